// Package commission evaluates the commission rules of SPEC §4 (COM-1..14): which rate source
// pays an order line, at which rate, the amount and its split, and the commission record's
// refunds and settlement.
//
// The package owns the data every rate source is made of, so that packages of other areas
// (campaigns, Collaboration Plus) build [Offer] values and hand them here: an offer names its
// [Source] (Open Collaboration, Target Collaboration, Collaboration Plus exclusive,
// affiliate-partner campaign), the product and market, whom it covers ([Coverage]: everyone,
// listed creators, members with their join instants), its period, and its rate history, an
// [affrules.Timeline] of [Terms]: the standard rate (for a partner campaign the total rate), an
// optional shop-ads rate, an optional upper [Tier] and a partner campaign's partner share.
//
// Build an [Evaluator] from a validated [Policy] with [New]. [Evaluator.Prepare] checks a set of
// offers once ([OfferRule.Check]: COM-9 bounds, COM-11 tiers, coverage and periods) and indexes
// them as a [Book] (at most one OPEN offer per market and product; the book remembers the rule
// it was checked under and another evaluator's rule refuses it, [ErrForeignBook]);
// [Evaluator.Resolve] then decides one [Order] at its instant (COM-3..6,
// COM-10..13) and [Evaluator.Compute] adds the amounts (COM-1, COM-7; [Evaluator.ComputeInto]
// writes them into a Commission a run reuses). A [Resolution] names the
// winning source, offer and rate, every other candidate offer with its [Outcome] and the reason
// it lost ("overridden by COLLAB_PLUS", "outside its period", "creator not covered"), notes on
// the winner ("no shop-ads rate: standard rate used", a delayed decrease, a new promoter, the
// upper tier, a rate below the suggested one) and, as [Resolution.Decision], an
// [affrules.Decision] whose reasons carry rule IDs, typed values and stable message keys; when
// nothing is earned, [Resolution.Failures] gives every rule that failed (MKT-5).
//
// # Reasons
//
// Each reason of a [Resolution] ([Resolution.Decision], [Resolution.Candidates],
// [Resolution.Notes]) carries a stable message key and typed values, by which a host renders it
// in its own language with an [affrules.Catalog]; unless a line says otherwise, the subject is
// the offer's ID. Failed reasons say why nothing is earned ([Resolution.Failures], where the
// first four below have no subject, and each candidate's reason, where the subject is its
// offer's ID); the others explain a candidate that did not pay or note something about the
// winner:
//
//	commission.com3.no_source                     failed; Count of offers considered
//	commission.com4.no_rate                       failed; Count of offers considered
//	commission.com13.not_attributed               failed; Text: the order line's ID
//	commission.com3.not_resolved                  failed; no values: the zero Resolution, no order resolved
//	commission.com6.not_authorised                failed, or a note when the standard rate is paid instead; Text: the creator's ID; subject: the order line's ID
//	commission.com3.before_start                  Instant of the order; Instant the offer's period starts
//	commission.com3.ended                         Instant of the order; Instant the offer's period ended
//	commission.com3.not_covered                   Text: the creator's ID
//	commission.com3.not_joined                    Instant of the order; Instant the creator joined
//	commission.com3.no_rate_yet                   Instant of the order; Instant of the offer's first rate
//	commission.com4.no_exclusive_rate             no values: the Open rate applies (a note on the winner)
//	commission.com4.no_exclusive_rate_set         no values: a Collaboration Plus without its own rate lost
//	commission.com5.overridden                    Text: the candidate's source; Text: the winning source
//	commission.com5.outbid                        RateOf the candidate's rate; RateOf the rate paid (same source)
//	commission.com5.not_ranked                    Text: the candidate's source, not in the precedence list
//	commission.com5.no_shop_ads_rate              RateOf the standard rate used (a note on the winner)
//	commission.com5.no_shop_ads_rate_no_fallback  no values: the offer does not apply to a shop-ads order
//	commission.com10.delayed                      RateOf the rate in force; Instant this creator gets it (a note)
//	commission.com10.new_promoter                 Text: the source left; Instant it ended; subject: that offer's ID (a note)
//	commission.com10.removal_delayed              Instant the listing was removed; Instant it stops paying this creator; subject: the offer's ID (a note)
//	commission.com11.upper_tier                   Count: the creator's order; Count: the upper tier's first order (a note)
//	commission.com12.not_approved                 no values: the partner campaign registration is not approved
//	commission.com12.not_matched                  Text: the creator's ID
//	commission.com14.below_suggested              RateOf the rate; RateOf the suggested rate; subject: the category (advisory)
//
// Bad input is an error and decides or stores nothing: a [*affrules.FieldError] naming the field
// and the value, such as a rate outside the bounds, a negative price, coupons above the price,
// a refund above the sale, an amount in another market's currency, a history that overlaps or
// goes backwards, or a tier change that breaks COM-11.
//
// Storage is the host's. An [OfferStore] keeps offers and their histories, each change made at
// an instant that nothing in force before it may change; a [RecordStore] keeps
// the commission [Record] of each order line with its refunds and settlement (COM-8). Neither
// owns policy: the pure rules, [OfferRule] and [Settlement], are passed on every call and the
// store applies them in one atomic step ([Settlement.Apply] for an [Event]). [OfferMemory] and
// [RecordMemory] are the in-memory implementations; package commissiontest is the conformance
// suite any implementation must pass.
//
// Policy loading follows the library's one rule ([ParsePolicy]): keys that name no field, that
// name one only when case is ignored, or that are given twice are errors at any depth; a
// top-level setting left out keeps its [DefaultPolicy] value, as does one given as null unless it
// is a list or map, which null makes nil (as encoding/json writes a nil one); every problem
// is reported at once. [ParseOffer] decodes offers by the same strict rule.
//
// Zero values: the zero [Evaluator] returns [ErrNoPolicy] from every method; the zero [Policy]
// is refused by [New]; the zero [Book] holds no offers, so every order earns nothing (a failed
// COM-3 reason: no rate source applies); the zero [Offer], [Order], [Event] and [Record] are
// refused as bad input ([Settlement.Apply] checks the record before the event); the zero
// [Resolution] explains itself as "no commission: not resolved" (its decision denies, with
// COM-3's "not resolved") and the zero [Commission] as "no commission: not computed"; the zero [OfferMemory] and [RecordMemory] are empty stores
// ready for use; the zero [Money] is zero; the zero [State] is [Pending].
//
// Interpretations (SPEC's "Interpretation" items and the choices this package makes where the
// catalog is silent). Each is the default: the policy setting that changes it is named beside it
// ([Policy] fields); a reading named without one is fixed in this version:
//
//   - COM-1: the base is the line item's price less the platform coupon, the seller coupon and
//     the tax ([Policy.TaxInBase] keeps the tax in: the base is then what the buyer paid, seed
//     002's "percentage of the sale price", plus the platform coupon if that is kept in too;
//     [Policy.PlatformCouponInBase] keeps the platform
//     coupon in, a base the platform's subsidy may lift above what the buyer paid, up to the
//     price); shipping is excluded and stated beside it ([Policy.ShippingInBase] adds it, and
//     the record opened then carries it: [Record].Shipping). What the buyer paid
//     ([Commission.Paid], [Record.Paid]) is the price less both coupons, tax included. Every amount must be exact to the
//     market currency's minor unit (a price of 100.001 THB is bad input), non-negative and in
//     the market's currency; a price of zero is bad input (most likely a price left out: a
//     line given away, such as a free sample's order, earns nothing and is not computed);
//     coupons above the price, or tax above what the coupons leave, are
//     bad input rather than a zero base.
//   - COM-1, MKT-4: the amount is rate × base, rounded once to the minor unit in
//     [Policy.Rounding] (default half-up). It is computed in 128-bit integer arithmetic, exactly.
//   - COM-3: an offer's period is half-open [Start, End); a zero End means no end. A
//     Collaboration Plus's inclusive end date is given as the first instant of the next market
//     day (the seed's "Sep 22–Oct 5" ends at Oct 6 00:00 local). A member is covered from its
//     join instant on (join ≤ t < end). An offer whose first rate is after the order has "no
//     rate in force" and does not apply.
//   - COM-3: every offer is judged at the order's instant only; offers and rate changes dated
//     after it do not change the answer. A change to a stored offer is made at an instant `at`
//     ([OfferStore.Put], [OfferRule.Check]) and changes nothing in force before it, so an answer
//     already given is never changed by a later edit: history entries from before `at` stay
//     and no new entry is dated before it (entries from `at` on, not yet in force, may be
//     changed or removed); the period's start and end move only where the old and the new
//     instant are both at or after `at` (an offer is ended from `at` on, never in the past); a
//     member joins, leaves or has its join instant moved only at or after `at`; listed
//     creators and a partner campaign's approval, which carry no instant, change only before
//     the offer starts. A new offer may be dated in the past: adding it is the host's record
//     of an offer that ran.
//   - COM-4: a Collaboration Plus without a rate history set no exclusive rate and does not
//     apply; the Open rate applies, and with none either the order earns nothing (a failed
//     COM-4 reason). [Policy.RequireExclusiveRate] refuses such an offer instead. When nothing
//     applies for any other reason (the creator not covered, every offer outside its period),
//     the failed reason is COM-3's "no rate source applies". That an exclusive rate is strictly
//     above the Open rate (CP-8) is checked where a Collaboration Plus is submitted (package
//     collabplus, whose Offers build its offers); an offer built by hand and given to
//     [Evaluator.Prepare] is ranked by COM-5 at whatever rate it has.
//   - MKT-5: every rule that keeps an order from earning is reported, together: COM-13, COM-6
//     and COM-4 or COM-3 ([Resolution.Failures]).
//   - COM-5: precedence is [Policy.Precedence] (default COLLAB_PLUS, PARTNER, TARGET, OPEN) for
//     ordinary orders and [Policy.ShopAdsPrecedence] for shop-ads orders (default the same: the
//     catalog's PARTNER > TARGET > OPEN, with a Collaboration Plus first, since seed 003 lets it
//     set shop-ads rates of its own). A source not in the list used is "not ranked" and never
//     wins. Two applicable offers of one source: the higher rate wins, then a listing in force
//     over a removed one still paying ([Policy.RemovalDelayed]), then the lower offer ID, so
//     the answer does not depend on the order offers are given in.
//   - COM-5: a shop-ads order earns the winner's shop-ads rate, or its standard rate where it has
//     none, with a note ([Policy.ShopAdsFallback], default true; false makes an offer without a
//     shop-ads rate in force for the order not apply to shop-ads orders, with the reason "no
//     shop-ads rate: does not apply to shop-ads orders", so the next-ranked offer with one
//     wins; inside COM-10's delay window only entries with a shop-ads rate count then). A
//     shop-ads rate is not tiered; a shop-ads rate given as "0%" in JSON is refused (COM-9),
//     leave it out for none.
//   - COM-6: a shop-ads order whose video the creator did not authorise for ads is judged as an
//     ordinary order, at standard rates, with a note ([Policy.UnauthorisedAdsStandard], default
//     true; false earns nothing on it, a failed COM-6 reason).
//   - COM-7: a partner campaign's split is its partner share, a [Terms.PartnerShare] of the
//     commission: the partner's part is base × total rate × share rounded once, the creator's the
//     rest, so the parts sum to the amount exactly in any rounding mode.
//   - COM-8: settlement periods are per seller type ([Policy.SettlementDays], default standard 7,
//     trusted 3, new 15 days: platform practice, three figures SPEC gives without saying which type
//     has which; the seeds name a settlement period but no figure). A record is due at the order's
//     instant plus the period and settles on a settle event at or after that instant and not before
//     an event already applied. Refund events are amounts of what the buyer paid ([Record.Paid],
//     and the shipping where the base counts it, [Policy.ShippingInBase], [Record].Shipping), in
//     its currency ([Event.Currency], required): a refund beyond that is an error. What remains
//     of the commission is the exact rate × base × the share of it not refunded,
//     rounded once, and the partner's part likewise with its share (the creator's is the rest), so
//     refunds arriving in any order give the same result and a full refund leaves exactly zero and
//     the record ineligible. A cancel event makes it ineligible at once. A settled or ineligible
//     record takes no further event ([ErrClosed]), whatever the event's instant: a refund dated
//     before the settlement but delivered after it is refused, and is the host's business. A zero
//     commission opens no record ([ErrNothingEarned]). A Collaboration Plus commission settles like
//     any other and never comes out of the collaboration's reward budget, which this package does
//     not see; each record names its winning source and offer (COM-5).
//   - COM-9: [Policy.MinRate] and [Policy.MaxRate] (1% and 80%) bound every configured rate:
//     standard, total, shop-ads and tier rates, and the suggested rates of COM-14. A partner
//     share lies in 0%–100%.
//   - COM-10: a decrease of a delayed source ([Policy.DelayedSources], default OPEN) reaches a
//     creator after [Policy.DecreaseDelayDays] (30) × 24h; the creator gets the highest rate in
//     force at any instant of [max(promotion start, t − delay), t], which makes increases
//     immediate, a decrease exactly delay old applied, and a new promoter (promotion start at or
//     after the change) get the current rate at once. The end of an offer of a
//     [Policy.ResetSources] source (default COLLAB_PLUS) that paid the creator (its source
//     ranked for the order, and a rate in force while it covered the creator) makes the creator
//     a new promoter from its end instant; a Collaboration Plus that set no exclusive rate
//     (COM-4) does not; returns from TARGET or PARTNER do not reset, unless listed. A product
//     has at most one OPEN offer per market at a time ([Evaluator.Prepare], [OfferStore.Put]),
//     so every Open rate change goes through the one history the delay applies to. A product
//     removed from Open Collaboration (CMP-7) may be listed again by a new OPEN offer from the
//     removal on; within the decrease delay after the removal, when Open decreases are
//     delayed, its terms at its start must pay every order at least what a creator already
//     promoting it is still owed then: the highest rate the removed offer paid that order within
//     the delay before ([OfferRule.Conflicts]: standard, shop-ads and tier rates alike). The
//     resolver then pays such a creator at least that until the delay has passed, the
//     relisting's own later cuts delayed as any listing's. So the rate it paid last, its tier
//     and its shop-ads rate kept, or higher ones, are allowed at the removal unless a cut within
//     the delay before it is still owed, and lower ones once the delay has passed, so that no
//     decrease skips the delay through a removal and a relisting.
//   - CMP-7: a removal ends the OPEN offer's period, and orders from the removal instant earn
//     no Open rate ([Policy.RemovalDelayed]: the removal is a decrease to nothing, delayed as
//     COM-10 delays any when OPEN's decreases are: a creator promoting since before the removal
//     is still paid by the removed listing, as if it ran on at its last rate, until the removal
//     is the delay old, with a commission.com10.removal_delayed note, and a
//     commission.com10.delayed one too while a cut before the removal is still owed; a listing
//     removed at or before its start, or before its first rate, ran for no one and pays no one;
//     not with OPEN among [Policy.ResetSources]).
//   - COM-11: the upper tier pays from the creator's Threshold-th order of the product
//     ([Order.OrderCount] counts this order), and its rate must be above the standard rate.
//     Once a tier is active, every later version keeps the threshold and a tier, and neither
//     the standard nor the upper rate may fall; tiers are for OPEN offers only. A tier in an
//     entry not yet in force at a change may still be corrected (it is not yet active).
//   - COM-12: a partner campaign's listed creators are the creators the partner matched to the
//     product; an unapproved registration, an unmatched creator or an order outside the
//     campaign period make it "not applicable" (a COM-12 reason), never "overridden".
//   - COM-13: [Order.Attributed] is the host's attribution; an unattributed order earns nothing
//     (a failed COM-13 reason), the candidates still explained.
//   - COM-14: suggested rates are [Policy.Suggested] per market and category (default none); a
//     winning rate below the suggestion for the order's category adds a non-blocking note, and
//     [Evaluator.Advise] answers the same for a rate being set (an unknown market is an error
//     wrapping [affrules.ErrUnknownMarket]).
package commission
