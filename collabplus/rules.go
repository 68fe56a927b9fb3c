package collabplus

import "github.com/affrules/affrules"

// Rule IDs of SPEC §5, each with the function that decides it.
const (
	// RuleTypes is CP-1, task and challenge collaborations: [Type].
	RuleTypes affrules.RuleID = "CP-1"
	// RuleDuration is CP-2, a task runs 14–120 market-calendar days, a challenge 14–60, both
	// days included: [Submit].
	RuleDuration affrules.RuleID = "CP-2"
	// RuleQuota is CP-3, at most 5 collaborations submitted in 30 market-calendar days:
	// [Evaluator.Quota] and [Submit].
	RuleQuota affrules.RuleID = "CP-3"
	// RuleGroups is CP-4, creator groups (at most 100 per seller), one per collaboration, a
	// creator joining only if they match it: [Group.Match], [SaveGroup] and
	// [Join].
	RuleGroups affrules.RuleID = "CP-4"
	// RuleTaskRewards is CP-5, a task reward only when every task completes within the
	// period, due at the last completion: [Evaluator.TaskReward].
	RuleTaskRewards affrules.RuleID = "CP-5"
	// RuleChallengeRewards is CP-6, challenge ranking and rank tiers, due after the end:
	// [Evaluator.Rank].
	RuleChallengeRewards affrules.RuleID = "CP-6"
	// RuleLifecycle is CP-7, draft → pending payment (24 h) → paid → ongoing → ended, expiry,
	// recall before the start, no edits from pending payment on: [Collaboration.StateAt] and
	// the lifecycle actions of [Evaluator.Apply].
	RuleLifecycle affrules.RuleID = "CP-7"
	// RuleExclusiveRates is CP-8, exclusive rates strictly above the product's live Open
	// Collaboration rates at submission: [Submit].
	RuleExclusiveRates affrules.RuleID = "CP-8"
	// RuleFees is CP-9, the charge by achievement and the refund of the excess 7–14 days after
	// the end: [Evaluator.Settle].
	RuleFees affrules.RuleID = "CP-9"
	// RuleExtraFee is CP-10, the extra platform fee when paid in the month before the start
	// month and refunded in the start month: [Evaluator.Settle].
	RuleExtraFee affrules.RuleID = "CP-10"
	// RuleTaxReport is CP-11, the tax report on the 7th of the month after payment:
	// [Evaluator.Settle].
	RuleTaxReport affrules.RuleID = "CP-11"
	// RuleCreatorStatus is CP-12, unfinished, haven't fulfilled, finished: [StatusOf].
	RuleCreatorStatus affrules.RuleID = "CP-12"
	// RuleBlocklist is CP-13, blocks effective at once for collaborations not yet joined,
	// unblocks from the next collaboration: [Blocklist.Allows] and [Join].
	RuleBlocklist affrules.RuleID = "CP-13"
	// RuleCancelReward is CP-14, rewards cancelled with a reason code: [Evaluator.CancelReward].
	RuleCancelReward affrules.RuleID = "CP-14"
	// RuleFinalTerms is CP-15, the seller's preferences and the platform's final terms are
	// separate; evaluators use the final terms: [Collaboration.Terms].
	RuleFinalTerms affrules.RuleID = "CP-15"
	// RuleAdvisories is CP-16, non-blocking advisories: [Evaluator.Advise].
	RuleAdvisories affrules.RuleID = "CP-16"
	// RuleAllowlist is CP-17, creation by invitation only: [Submit].
	RuleAllowlist affrules.RuleID = "CP-17"
	// RuleTasks is CP-18, a task collaboration's tasks: content type, goal and target:
	// [TaskSpec].
	RuleTasks affrules.RuleID = "CP-18"
	// RuleVideoFlag is CP-19, the flag prompting creators to authorise their videos, and the
	// seller's WhatsApp number: [Terms].
	RuleVideoFlag affrules.RuleID = "CP-19"
	// RuleScope is CP-20, exclusive rates and samples only for members within the period:
	// [Evaluator.Offers].
	RuleScope affrules.RuleID = "CP-20"
	// RuleLaterDisqualification is eligibility's ELG-11, a permanent disqualification after
	// submission (or a temporary one, under [Policy.TemporaryEndsParticipation]) ending the
	// product's participation: [Disqualify].
	RuleLaterDisqualification affrules.RuleID = "ELG-11"
	// RuleEligibleProducts is eligibility's ELG-9, only affiliate-eligible products, checked at
	// submission: [Submit].
	RuleEligibleProducts affrules.RuleID = "ELG-9"
	// RuleSampleKinds is sample's SMP-12, the kinds of sample a collaboration offers, checked
	// at submission and finalisation under [Policy.OneSampleKind]: [Submit], [Finalize].
	RuleSampleKinds affrules.RuleID = "SMP-12"
)
