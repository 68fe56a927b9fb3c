// Package sample evaluates the free and refundable sample rules of SPEC §6 (SMP-1..13): who
// approves a request and when it is approved automatically, the quotas and waits on requests,
// a sample's lifecycle and content deadline, refundable samples and the fulfilment rate.
//
// A [Request] is made through a [Ledger] ([Ledger.Request]), which reads the [History] that
// bears on it and records it in one atomic step with [Rule.Decide]: one open request per
// creator and product, the 30-day wait after a rejection or expiry (SMP-10), the monthly cap by
// GMV band (SMP-11), three pre-approved samples per creator per Collaboration Plus (SMP-3), and
// approval: automatic for Collaboration Plus, within a partner campaign's sample quantity
// (SMP-2), or by the seller's setting for direct requests (SMP-1). [Ledger.Record] then
// records the seller's answer, shipping, delivery, the one extension and content posted with
// [Rule.Record] (SMP-6, SMP-9). A request's state at an instant is [Request.StateAt], a pure
// function of its events and the instant. [Rule.Refund] decides a refundable sample (SMP-5)
// and [Rule.Fulfilment] a creator's fulfilment rate (SMP-8), exact and as the Rate level's
// badges read. [Memory] is the in-memory ledger and
// package sampletest the conformance suite.
//
// A request the rules do not allow is a denied decision, not an error: it lists every rule that
// keeps it from being made and, when only time stands in the way, when it will be allowed. A
// second request while one for the product is open is denied too (SMP-10, listed with every
// other rule that fails). Instants out of order are bad input, a [*affrules.FieldError]; an
// event in the wrong state is an [*affrules.Refusal] naming the state. Nothing is recorded on
// any of these.
//
// Zero values: the zero [Evaluator] and the zero [Rule] return [ErrNoPolicy]; the zero
// [Policy] is refused by [New]; the zero [Request] is refused as bad input; the zero [Memory]
// is an empty ledger ready for use.
//
// Interpretations (SPEC's "Interpretation" items and the choices this package makes where the
// catalog is silent). Each is the default: the policy setting that changes it is named beside it
// ([Policy] fields); a reading named without one is fixed in this version:
//
//   - SMP-2: the quantity is per registered product, read at each request (the host passes the
//     quantity in force, [Facts.Quantity]); only automatic approvals count against it, so
//     lowering it revokes nothing; beyond it a request waits for the seller
//     ([Policy.OverQuantity]: "review") or is denied, recording nothing ("reject").
//   - SMP-12, SMP-3, CP-20: a Collaboration Plus request needs the collaboration to offer free
//     samples ([Facts.FreeSamples]) and the creator to be its member while it runs, asking for
//     one of its products ([Facts.Member]; [CollabPlusFacts] reads both from the
//     collabplus.Collaboration): a non-member is denied (a decision, not an error), and
//     joining, not time, lifts it. A request at or after the collaboration's end is denied
//     too (SMP-4, sample.smp4.ended), with no instant: time will not help.
//   - SMP-3: three requests, one unit each, per creator per collaboration, approved at once and
//     straight to "to ship", outside the seller's setting and the quantity, and outside the
//     monthly caps ([Policy.CollabPlusCapped]).
//   - SMP-4, SMP-9: content is due by the collaboration's end for a Collaboration Plus sample,
//     however late it arrives, with no extension; elsewhere [Policy.ContentDays] × 24 h after
//     delivery, extendable once by [Policy.ExtensionDays] × 24 h before the deadline. A
//     delivered sample without content by then is overdue. (A creator's CP-12 status,
//     "haven't fulfilled" from delivery on, is package collabplus's.)
//   - SMP-5: the window is [purchase, purchase + 60 × 24 h) (MKT-3); the seller's goal counts
//     orders or GMV from any channel, after the collaboration too, never the creator's own
//     purchases ([Policy.CountOwnPurchases]); the refund (price and shipping) is all or
//     nothing, as the seeds speak of a full refund on reaching the goal
//     ([Policy.PartialRefund]: once the window has closed, sales short of the goal are
//     refunded in proportion, rounded down to the minor unit).
//   - SMP-6: approval puts a sample "to ship"; the states are requested, rejected, expired, to
//     ship, shipped, delivered, fulfilled and overdue; rejected, expired, fulfilled and overdue
//     are final.
//   - SMP-8: a request counts in the window in which it ended fulfilled (content posted) or
//     overdue (its deadline passed, or its delivery if after the deadline); the window is
//     (at − [Policy.FulfilmentDays] × 24 h, at]; the rate is exact, fulfilled ÷ (fulfilled +
//     overdue), and as a Rate rounded down.
//   - SMP-10: the answer window is [request, request + 7 × 24 h); unanswered, the request has
//     expired at its end. A request is open until it is rejected, expired, fulfilled or
//     overdue. The 30-day wait runs from the rejection, or from the expiry, and a rejected
//     direct request also holds back a Collaboration Plus request for the product (SPEC
//     exempts those from SMP-1, SMP-2 and SMP-11 only; [Policy.CollabPlusExemptFromWait]). A Collaboration Plus request is told
//     when it will be allowed only if the collaboration still runs then (MKT-5).
//   - SMP-2, SMP-3, SMP-11: counts are of every request the ledger holds in the month, the
//     campaign or the collaboration, whatever order requests reached it in: one dated before
//     others of its month (concurrent handlers, a retry) is judged against all of them, so
//     requests arriving out of order cannot pass a cap together. Only a creator's requests for
//     one product are ordered: one made before that product's last event is bad input.
//   - SMP-11: the month is the calendar month of the request in the market's zone; a creator's
//     band is the host's input ([Facts.Band]), the caps per band are policy. A denial names
//     the start of the first month with room: the next one, unless requests recorded out of
//     order have filled it too ([History].LaterMonths).
//   - SMP-13: an approved request has created a sample order ([Rule.Order]); it earns no
//     commission and is not the creator's GMV ([Policy.SampleOrdersEarnCommission],
//     [Policy.SampleOrdersCountAsGMV]); the host keeps such orders out of commission's orders
//     and level's GMV by these flags.
//
// # Reasons
//
// Each reason of a decision ([Rule.Decide], [Rule.Refund]) or a refusal ([Rule.Record],
// [Rule.Order]) carries a stable message key and typed values, by which a host renders it in its
// own language with an [affrules.Catalog]. All are failed reasons but the refund window's, of
// kind affrules.NotApplicable, which explains the refund it goes with:
//
//	sample.smp2.over_quantity  Count approved automatically; Count the campaign's quantity; subject: the product
//	sample.smp3.limit          Count of the creator's samples of the collaboration; Count maximum; subject: the creator
//	sample.smp3.not_member     Text: the creator; Text: the product; subject: the collaboration
//	sample.smp4.ended          Instant of the request; Instant the collaboration ended; subject: the collaboration
//	sample.smp10.open          Text: the open request's state; subject: that request
//	sample.smp10.wait          Text: rejected or expired; Instant a new request is allowed; subject: that request
//	sample.smp11.cap           Count of requests this month; Count the cap of the creator's band; subject: the creator
//	sample.smp12.not_offered   no values: no free samples; subject: the collaboration
//	sample.smp6.state          Text: the request's state; Text: the state the event needs; subject: the request
//	sample.smp9.extended       Instant of the extension already made; subject: the request
//	sample.smp4.no_extension   no values: a Collaboration Plus sample; subject: the request
//	sample.smp4.late           Instant the content is posted; Instant it was due; subject: the request
//	sample.smp13.not_approved  Text: the request's state; subject: the request
//	sample.smp5.pending        Decimal counted (orders or GMV); Decimal the goal; subject: the creator (window open)
//	sample.smp5.missed         Decimal counted (orders or GMV); Decimal the goal; subject: the creator (window closed)
//	sample.smp5.deadline       not applicable; Instant the refund window closes; subject: the creator
//	sample.smp5.partial        not applicable; Decimal counted; Decimal the goal; subject: the creator (Policy.PartialRefund)
package sample
