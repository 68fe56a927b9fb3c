// Package collabplus evaluates the Collaboration Plus rules of SPEC §5 (CP-1..20): a seller's
// task and challenge collaborations through their lifecycle, the creation quota, creator
// groups, the blocklist, exclusive rates and the commission offers they make, rewards, fees and
// advisories.
//
// Everything the rules keep for one seller is one record, a [Seller]: creator groups (CP-4),
// the blocklist (CP-13), the creation log (CP-3) and the collaborations with their lifecycle
// events and members (CP-7). [Evaluator.NewSeller] makes an empty one; every change is an
// [Action] applied at an instant by [Evaluator.Apply]: [SaveGroup], [BlockCreator],
// [UnblockCreator], [NewDraft], [Edit], [Submit] (CP-2, CP-3, CP-8, CP-17, ELG-9), [Pay],
// [Recall], [Finalize] (CP-15) and [Join] (CP-4, CP-13). A [Store] applies actions atomically,
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
// Interpretations (each a default that policy data changes, SPEC's "Interpretation" items and the
// choices this package makes where the catalog is silent):
//
//   - CP-2: a period runs from a local midnight to another in the seller's market (whole
//     days), counted in calendar days with the first and last included (Feb 1–14 is 14);
//     the bounds ([Policy.TaskDays], [Policy.ChallengeDays]) are inclusive. A period that
//     starts at or before the submission is refused (CP-7: a collaboration is paid before
//     it starts).
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
//     force during COM-10's delay before it); a shop-ads rate with the Open shop-ads rate,
//     else the Open standard rate; only at submission. A product not listed in Open
//     Collaboration has no floor. An exclusive shop-ads rate needs an exclusive standard rate.
//     A submission refused only by the quota (CP-3), by the Open rates, or by products
//     temporarily disqualified until a known instant (ELG-9, the eligibility result's
//     NextAllowed) is told the first instant all of them let it through, if that comes before
//     the period starts (MKT-5, CP-7): the quota's next slot or the products' eligibility, or
//     later the end of a decrease's delay or of a listing.
//   - CP-13: a creator may join at t only if not blocked at any moment from the
//     collaboration's payment to t; blocking twice, or unblocking an unblocked creator,
//     changes nothing.
//   - CP-15: evaluators use the final terms once set ([Collaboration.Terms]), else the
//     preferences.
//   - CP-5: a task completion counts from the creator's join (or the start, if later) to the
//     end; the reward is due at the last task's first counted completion; partial → nothing.
//   - CP-6: the ranked value is the host's sum over content types from join to end; only
//     qualified members are ranked; ties by [Policy.TieBreaks] (who reached the value first,
//     then creator ID), creator ID last so the order never depends on input order; creators
//     below the last tier are not returned; rewards are due at the end.
//   - CP-9: charge = Σ budget × min(1, achieved ÷ target) over the objectives, summed exactly
//     and rounded once ([Policy.Rounding]); each objective's part of it by largest remainder,
//     so the parts sum to the charge; charged + refunded = paid to the minor unit. The refund
//     is due [end + 7, end + 14) market-calendar days (a recall's: from the recall,
//     [Policy.RecallRefundDays]); the platform may process it later.
//   - CP-10: the extra fee is [Policy.ExtraFeeRate] of the deposit, when paid in the calendar
//     month just before the start month (market zone), something is refunded and the refund
//     is processed in the start month; charged that month, returned the next. A recall's
//     refund draws it only with [Policy.ExtraFeeOnRecall].
//   - CP-11: the tax report is available from the local midnight starting the
//     [Policy.TaxReportDay]-th of the month after the payment.
//   - CP-12: finished > haven't fulfilled (a delivered sample, no content) > unfinished.
//   - CP-16, CP-19: advisories are reasons of kind affrules.NotApplicable: a period shorter
//     than [Policy.SampleLeadDays] with samples offered, settings below the market's
//     [Policy.Recommended] ones, an exclusive shop-ads rate with the video prompt off.
//   - ELG-11: eligibility is checked at submission; a later temporary disqualification changes
//     nothing in a running collaboration; a permanent one, recorded with [Disqualify], ends the
//     product's part in the seller's running and scheduled collaborations at that instant (its
//     offers end then; [Policy.PermanentEndsParticipation]). The product stays disqualified: a
//     later submission with it is refused whatever eligibility result is given; and once every
//     product of a collaboration has ended, no creator may join it.
//   - CP-7, CP-15: payment and final terms come before the start; final terms keep to the
//     products submitted (their ELG-9 and CP-8 checks stand) at rates no lower, for a period
//     that starts after they are set and within CP-2's bounds.
//   - Instants move forward: an action dated before the seller's last change is bad input,
//     so a state at an instant is never rewritten.
package collabplus
