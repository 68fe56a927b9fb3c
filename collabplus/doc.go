// Package collabplus evaluates the Collaboration Plus rules of SPEC §5 (CP-1..20): a seller's
// task and challenge collaborations through their lifecycle, the creation quota, creator
// groups, the blocklist, exclusive rates and the commission offers they make, rewards, fees and
// advisories.
//
// Everything the rules keep for one seller is one record, a [Seller]: creator groups (CP-4),
// the blocklist (CP-13), the creation log (CP-3), the collaborations with their lifecycle
// events and members (CP-7), and a shop's permanent disqualification (ELG-6, ELG-11).
// [Evaluator.NewSeller] makes an empty one, the only kind a [Store] creates ([Seller.Validate]
// refuses a record holding groups, a blocklist, a creation log, collaborations or a
// disqualification); every change is an [Action] applied at an instant by [Evaluator.Apply]:
// [SaveGroup], [BlockCreator], [UnblockCreator], [NewDraft], [Edit], [Submit] (CP-2, CP-3,
// CP-8, CP-17, ELG-9), [Pay], [Recall], [Finalize] (CP-15) and [Join] (CP-4, CP-13). A [Store] applies actions atomically,
// so the quota and the blocklist hold under concurrency; [Memory] is the in-memory one and
// package collabplustest the conformance suite.
//
// A collaboration's state at an instant is [Collaboration.StateAt], a pure function of its
// events and the instant: draft → pending payment → paid → ongoing → ended, or expired, or
// recalled. [Evaluator.Quota] says whether a seller may submit now and, if not, when the next
// slot opens. [Evaluator.Offers] yields the COLLAB_PLUS commission offers a collaboration makes
// for its members, for [commission.Evaluator.Prepare].
//
// A business "no" is an [*affrules.Refusal] whose decision lists every failing rule with its
// observed value and limit; an action in the wrong state names the state and the action. Bad
// input is a [*affrules.FieldError] naming the field and value. Nothing is recorded on either.
//
// Zero values: the zero [Evaluator] returns [ErrNoPolicy] from every method; the zero [Policy]
// is refused by [New]; the zero [Seller] and [Action] are refused as bad input; the zero
// [State] is [Draft]; the zero [Group] matches every creator; the zero [Blocklist] blocks
// nobody; the zero [Memory] is an empty store ready for use.
//
// Interpretations (SPEC's "Interpretation" items and the choices this package makes where the
// catalog is silent). Each is the default: the policy setting that changes it is named beside it
// ([Policy] fields); a reading named without one is fixed in this version:
//
//   - CP-2: a period runs from a local midnight to another in the seller's market (whole
//     days), counted in calendar days with the first and last included (Feb 1–14 is 14);
//     the bounds ([Policy.TaskDays], [Policy.ChallengeDays]) are inclusive. A period that
//     starts at or before the submission is refused (CP-7: a collaboration is paid before
//     it starts), as is, as bad input, one whose deposit refund window after its end (CP-9)
//     or after a recall at its start (CP-7) would end in 2200 or later, when no instant is
//     accepted: the refund could never be recorded.
//   - CP-3: a collaboration counts when submitted, not as a draft; expired and recalled ones
//     count ([Policy.QuotaCountsExpired], [Policy.QuotaCountsRecalled]). The window is
//     [Policy.QuotaDays] market-calendar days, the day of the instant and the ones before
//     ([Policy.QuotaCalendarDays]; false: a rolling window of days × 24 h), so five submitted
//     on day 1 free their slots at the start of day 31, the instant the decision names. A
//     refusal for another rule (CP-17 first of all) records nothing and counts nothing.
//   - CP-4: a group's conditions left at zero match everyone; the attributes beyond the
//     seed's six are data ([Criterion]). A creator is matched once, at join, against the group
//     as it was when the collaboration was submitted or its final terms set (the seller may
//     edit or reuse the group meanwhile); a later change never removes a member. Saving a group
//     under an existing ID replaces it and does not count towards [Policy.MaxGroups].
//   - CP-7: the payment window is [submitted, submitted + 24 h), then expired. Published is
//     paid. Creators join from the start instant to the end instant. Only a draft is edited;
//     the platform's final terms may be set while pending payment or paid, not after the
//     start. Payment after the start is refused. Recalling an ongoing collaboration is
//     refused (no cancellation).
//   - CP-8: each exclusive rate is compared with the highest Open Collaboration rate live for
//     the product at the submission (the standard or upper tier rate, over the entries in
//     force during COM-10's delay before it; [Policy.ExclusiveOverCurrentOpen]: the entry in
//     force at the submission only, a new promoter's; a listing removed less than the delay
//     before counts under commission's RemovalDelayed, which pays its promoters until then);
//     a shop-ads rate with the highest, over the same
//     entries, of each entry's shop-ads rate, or of its standard or upper tier rate where the
//     entry has none; only at submission. A product with an exclusive standard rate and no
//     shop-ads rate pays that standard rate on shop-ads orders (commission's ShopAdsFallback),
//     which may be below Open's shop-ads rate: [Policy.StandardAboveOpenShopAds] compares it
//     with that shop-ads floor too, so that a member never earns less than a non-member (seed
//     003's literal reading; default off, the pairwise one). A product not listed in Open
//     Collaboration has no floor. An exclusive shop-ads rate needs an exclusive standard rate
//     (seed 003 lets a seller "also" set shop-ads commissions beside the collaboration's), a
//     reading of the seed rather than a policy setting: an offer's terms pay one standard rate,
//     with a shop-ads rate beside it (package commission).
//     A submission refused only by the quota (CP-3), by the Open rates, or by products
//     temporarily disqualified until a known instant (ELG-9, the eligibility result's
//     NextAllowed) is told the first instant all of them let it through, if that comes before
//     the period starts (MKT-5, CP-7): the quota's next slot or the products' eligibility, or
//     later the end of a decrease's delay or of a listing.
//   - CP-13: a creator may join at t only if not blocked at any moment from the
//     collaboration's payment to t ([Policy.BlockedAtJoinOnly]: only if not blocked at t);
//     blocking twice, or unblocking an unblocked creator, changes nothing.
//   - CP-15: evaluators use the final terms once set ([Collaboration.Terms]), else the
//     preferences.
//   - CP-5: a task completion counts from the creator's join (or the start, if later) to the
//     end; the reward is due at the last task's first counted completion, as SPEC has the
//     platform pay during the collaboration ([Policy.TaskRewardAtEnd]: at the period's end,
//     as a challenge's); partial → nothing.
//   - CP-18, LVL-11: a member keeps the kind the creator joined with ([Creator].Kind,
//     [Member].Kind); one who joined as link-share-only does not complete a task whose content
//     type is one of [Policy].ContentCreatorTasks (default "live" and "video"), whatever
//     completions are reported. An unknown kind restricts nothing, and an empty list lets every
//     member complete every task.
//   - CP-6: the ranked value is the host's sum over content types from join to end; only
//     qualified members are ranked; ties by [Policy.TieBreaks] (who reached the value first,
//     then creator ID), creator ID last so the order never depends on input order; creators
//     below the last tier are not returned; rewards are due at the end.
//   - CP-9: charge = Σ budget × min(1, achieved ÷ target) over the objectives (SPEC's formula
//     is pluggable: [Policy.ChargeCurve] maps achieved ÷ target to the share charged), summed exactly
//     and rounded once ([Policy.Rounding]); each objective's part of it by largest remainder,
//     so the parts sum to the charge; charged + refunded = paid to the minor unit. The refund
//     is due [end + 7, end + 14) market-calendar days (a recall's: from the recall,
//     [Policy.RecallRefundDays]); the platform may process it later.
//   - CP-10: the extra fee is [Policy.ExtraFeeRate] of the deposit ([Policy.ExtraFeeOnCharged]:
//     of what is charged, the deposit less the refund), when paid in the calendar
//     month just before the start month (market zone; [Policy.ExtraFeeAnyEarlierMonth]: in
//     any month before it), something is refunded and the refund
//     is processed in the start month; charged that month, returned the next. A recall's
//     refund draws it only with [Policy.ExtraFeeOnRecall].
//   - CP-11: the tax report is available from the local midnight starting the
//     [Policy.TaxReportDay]-th of the month after the payment.
//   - CP-12: finished > haven't fulfilled (a delivered sample, no content) > unfinished.
//   - CP-16, CP-19: advisories are reasons of kind affrules.NotApplicable: a period shorter
//     than [Policy.SampleLeadDays] with samples offered, settings below the market's
//     [Policy.Recommended] ones, an exclusive shop-ads rate with the video prompt off
//     ([Policy.ShopAdsNeedVideoPrompt]: that one is also refused where the terms are
//     submitted or finalised).
//   - SMP-12: a collaboration offers free samples, refundable samples, both or neither
//     ([Policy.OneSampleKind]: not both, refused where its terms are submitted or finalised).
//   - ELG-11: eligibility is checked at submission; a later temporary disqualification changes
//     nothing in a running collaboration; a permanent one, recorded with [Disqualify], ends the
//     product's part in the seller's running and scheduled collaborations at that instant (its
//     offers end then; [Policy.PermanentEndsParticipation]; [Policy.TemporaryEndsParticipation]:
//     a temporary one ends it too, but not for good). After a permanent one the product stays
//     disqualified: a later submission with it is refused whatever eligibility result is given
//     (after a temporary one, it is judged by the result given); a shop-scoped permanent one
//     is recorded on the seller too (Seller.Disqualified, even when nothing was running), and every
//     later submission is refused; and once every product of a collaboration has ended, no creator
//     may join it, and nothing is left for a task or a challenge to count (CP-18): a task completed
//     from then on earns no reward ([Evaluator.TaskReward], an ELG-11 reason,
//     collabplus.elg11.completed_after_products), and a challenge score reached from then on is bad
//     input ([Evaluator.Rank]). While some products take part, which content and orders count is
//     the host's (a [Completion] or [Score] counts a product only until it left).
//   - CP-7, CP-15: payment and final terms come before the start; final terms keep to the
//     products submitted (their ELG-9 and CP-8 checks stand) at rates no lower, for a period
//     that starts after they are set and within CP-2's bounds.
//   - Instants move forward: an action dated before the seller's last change is bad input,
//     so a state at an instant is never rewritten.
//
// # Reasons
//
// Each reason of a refusal ([Evaluator.Apply]) or a decision ([Evaluator.Quota], [Group.Match],
// [Blocklist.Allows], [Evaluator.TaskReward]) carries a stable message key and typed values, by
// which a host renders it in its own language with an [affrules.Catalog]. All are failed reasons
// but the advisories of [Evaluator.Advise], of kind affrules.NotApplicable. A refused submission
// also carries each ineligible product's own reasons, whose keys package eligibility lists:
//
//	collabplus.cp2.too_short                   Count of the period's calendar days; Count of the type's minimum; subject: the collaboration
//	collabplus.cp2.too_long                    Count of the period's calendar days; Count of the type's maximum; subject: the collaboration
//	collabplus.cp3.quota                       Count submitted in the window; Count the quota; subject: the seller
//	collabplus.cp4.category                    Text: the creator's categories; Text: the group's; subject: the creator
//	collabplus.cp4.level_low                   LevelOf the creator's level; LevelOf the group's minimum; subject: the creator
//	collabplus.cp4.level_high                  LevelOf the creator's level; LevelOf the group's maximum; subject: the creator
//	collabplus.cp4.avg_rate_low                RateOf the creator's average rate; RateOf the group's minimum; subject: the creator
//	collabplus.cp4.avg_rate_high               RateOf the creator's average rate; RateOf the group's maximum; subject: the creator
//	collabplus.cp4.content_type                Text: the creator's content types; Text: the group's; subject: the creator
//	collabplus.cp4.followers_low               Count of followers; Count the group's minimum; subject: the creator
//	collabplus.cp4.followers_high              Count of followers; Count the group's maximum; subject: the creator
//	collabplus.cp4.risk                        Text: the creator's risk, "unknown" if not given; Text: the group's maximum; subject: the creator
//	collabplus.cp4.criterion                   Text: the creator's value, "none" if not given; Text: the condition; subject: the attribute
//	collabplus.cp4.too_many_groups             Count of the seller's groups; Count maximum; subject: the seller
//	collabplus.cp5.not_completed               Count 0, the completions; Instant the period ends; subject: the task, as "tasks[0]"
//	collabplus.cp18.link_share_only            Text "link_share_only", the member's kind; Text: the task's content type; subject: the task
//	collabplus.cp5.completed_late              Instant of the first completion at or after the end; Instant the period ended; subject: the task
//	collabplus.cp5.completed_before_join       Instant of the last completion too early; Instant completions count from; subject: the task
//	collabplus.cp7.state                       Text: the state; Text: the state or states the action needs; subject: the collaboration
//	collabplus.cp7.payment_late                Instant of the payment; Instant the payment window closed; subject: the collaboration
//	collabplus.cp7.pay_started                 Instant of the payment; Instant the period started; subject: the collaboration
//	collabplus.cp7.final_started               Instant of the final terms; Instant the period started; subject: the collaboration
//	collabplus.cp7.started                     Instant of the submission; Instant the period starts; subject: the collaboration
//	collabplus.cp7.ongoing                     Text: the state, a recall refused; subject: the collaboration
//	collabplus.cp7.member                      Instant the creator joined; subject: the creator
//	collabplus.cp8.not_above_open              RateOf the exclusive rate; RateOf the Open rate; subject: the product ("<ID> shop ads" for that rate)
//	collabplus.cp8.none_possible               RateOf the Open rate; RateOf the maximum rate; subject: as above
//	collabplus.cp13.blocked                    Instant of the block that applies; Instant the collaboration was published; subject: the creator
//	collabplus.cp13.blocked_at_join            Instant of the block in force ([Policy.BlockedAtJoinOnly]); Instant of the join; subject: the creator
//	collabplus.cp17.not_allowlisted            no values; subject: the seller
//	collabplus.elg9.ineligible                 Text: the product's state; Text "eligible"; subject: the product
//	collabplus.elg11.ended_before              Instant the product's participation ended; subject: the product
//	collabplus.elg11.shop_disqualified         Instant the shop's permanent disqualification was recorded; subject: the seller
//	collabplus.elg11.all_ended                 Instant the last product's participation ended; subject: the collaboration
//	collabplus.elg11.completed_after_products  Instant of the first task completion after every product left; Instant the last left; subject: the task
//	collabplus.elg11.not_permanent             Text: the result's state; Text "permanently_disqualified"; subject: the result's ID
//	collabplus.elg11.not_disqualified          Text "eligible" (Policy.TemporaryEndsParticipation); subject: the result's ID
//	collabplus.elg11.kept                      no values: the policy keeps the product in; subject: the result's ID
//	collabplus.elg11.nothing_to_end            no values: nothing running or scheduled to end (nor a shop to record); subject: the result's ID
//	collabplus.cp16.sample_lead                advisory; Count of the period's days; Count the sample lead days
//	collabplus.cp16.short_period               advisory; Count of the period's days; Count recommended; subject: the market
//	collabplus.cp16.low_reward                 advisory; Amount of the task reward; Amount recommended; subject: the market
//	collabplus.cp19.video_prompt_off           advisory; RateOf the exclusive shop-ads rate; Text "on", the prompt; subject: the product
//	collabplus.cp19.video_prompt_needed        RateOf the exclusive shop-ads rate; Text "on"; subject: the product (Policy.ShopAdsNeedVideoPrompt, a refusal)
//	collabplus.smp12.one_kind                  Text "free and refundable"; Text "one kind"; subject: the collaboration (Policy.OneSampleKind)
package collabplus
