package invitation

import "github.com/affrules/affrules"

// Rule IDs of SPEC §3, each with the function that decides it. The input rules (INV-1, INV-5..7,
// INV-12, INV-13's inputs, and MKT-1's markets of the feature) are reported as errors by
// [Evaluator.Validate] and name their rule in the message; the others are the reasons of a
// [affrules.Decision] or the behaviour of a [Ledger].
const (
	// RuleMarkets is INV-1, an account invites in its home market and the markets it lists, of
	// those where the policy offers invitations ([Policy.Markets], MKT-1): [Evaluator.Validate].
	RuleMarkets affrules.RuleID = "INV-1"
	// RuleDaily is INV-2, at most the daily limit of invitations per calendar day of the
	// account's home market, or of the zone the quota names: [Quota.Check].
	RuleDaily affrules.RuleID = "INV-2"
	// RuleRepeat is INV-3, one invitation per creator within the repeat window: [Quota.Check].
	RuleRepeat affrules.RuleID = "INV-3"
	// RuleSharedQuota is INV-4, INV-2 and INV-3 shared across the account's roles: [Quota.Check]
	// over the one [Usage] a [Ledger] keeps per account.
	RuleSharedQuota affrules.RuleID = "INV-4"
	// RuleContacts is INV-5, the contact channels of the market and well-formed values, phone
	// alone not enough unless [Policy.PhoneAloneCounts]: [Evaluator.Validate].
	RuleContacts affrules.RuleID = "INV-5"
	// RuleMessage is INV-6, a required message within the word budget: [Evaluator.Validate].
	RuleMessage affrules.RuleID = "INV-6"
	// RulePurpose is INV-7, a purpose whose role the account holds: [Evaluator.Validate].
	RulePurpose affrules.RuleID = "INV-7"
	// RuleListed is INV-8, only creators listed in the Affiliate Marketplace for the invitation's
	// purpose (ELG-7): [Evaluator.Send], by [eligibility.Listing.Listed].
	RuleListed affrules.RuleID = "INV-8"
	// RuleHistory is INV-9, the searchable history and resends: [Ledger.History] with [Query];
	// a resend is another [Evaluator.Send].
	RuleHistory affrules.RuleID = "INV-9"
	// RuleInterested is INV-10, the partner's contacts shown only to a creator who answered
	// "interested": [Ledger.Respond] and [Record.ContactsShown].
	RuleInterested affrules.RuleID = "INV-10"
	// RuleAtomic is INV-11, quota check and recording in one atomic step: [Ledger.Reserve]
	// ([Memory.Reserve]; package invitationtest checks any ledger).
	RuleAtomic affrules.RuleID = "INV-11"
	// RuleMarketplace is INV-12, only accounts holding the MCN/CAP role use the Marketplace
	// (an affiliate-partner-only account where [Policy.Listing] allows it):
	// [Evaluator.Validate]. Package eligibility applies it to the listing.
	RuleMarketplace affrules.RuleID = "INV-12"
	// RuleShown is INV-13, what an invitation shows the creator (the message, the top linked
	// creators and the company information as at send time, or as they are now under
	// [Policy.LiveShowcase]): [Evaluator.Send] fills [Invitation.Showcase], [Evaluator.Shown]
	// gives what is shown; [Evaluator.Validate] checks the account's profile.
	RuleShown affrules.RuleID = "INV-13"
)

// Message keys of every reason the package gives, with their English wording. A host translating
// reasons keys its templates by these strings ([affrules.Catalog]). An INV-8 decision also
// carries the ELG-7 reasons of package eligibility, with that package's keys.
var (
	// INV-2: observed a count of invitations, limit the daily limit (counts); subject the day
	// they were counted in, the home market's calendar day as "2006-01-02" (keyDailyFailedZone
	// when the quota names another zone).
	keyDailyFailed = affrules.DefineMessage("invitation.inv2.failed", affrules.Message{
		Text:     "daily invitation limit reached",
		Observed: "{observed} invitations on {subject}",
		Limit:    "{limit} a day in the account's home market, across its roles (INV-4)",
	})
	// INV-2 under a quota naming its day zone (Quota.DayZone): as keyDailyFailed, the day that
	// zone's calendar day.
	keyDailyFailedZone = affrules.DefineMessage("invitation.inv2.failed_day_zone", affrules.Message{
		Text:     "daily invitation limit reached",
		Observed: "{observed} invitations on {subject}",
		Limit:    "{limit} a day of the policy's day zone, across its roles (INV-4)",
	})
	// INV-3: observed the instant of the last invitation to the creator, in the home market's
	// zone; limit the repeat window in 24-hour days.
	keyRepeatFailed = affrules.DefineMessage("invitation.inv3.failed", affrules.Message{
		Text:     "creator already invited within {limit} days",
		Observed: "last invited {observed}",
		Limit:    "once every {limit}×24h per creator, across the account's roles (INV-4)",
	})
	// INV-8: observed the creator's ID (text); subject the inviting account's ID; no limit value.
	keyListedFailed = affrules.DefineMessage("invitation.inv8.failed", affrules.Message{
		Text:     "only creators listed in the Affiliate Marketplace can be invited",
		Observed: "creator {observed} not listed for {subject}",
		Limit:    "listed in the Affiliate Marketplace (ELG-7)",
	})
)
