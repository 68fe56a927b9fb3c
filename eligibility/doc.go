// Package eligibility decides which shops and products may take part in affiliate collaboration,
// and which creators the Affiliate Marketplace lists and shows (SPEC §2, ELG-1..10).
//
// A daily run evaluates every shop once ([Evaluator.Shop]: ELG-1 counterfeit violations, ELG-2
// store rating) and then each product against its shop's result ([Evaluator.Product]: ELG-3
// negative-review rate, ELG-4 seller-fault return/refund rate). [Evaluator.NewRun] and
// [Run.Products] do this for a stream of any length. Each result carries a [State] (ELG-6) and an
// affrules.Decision listing every failing rule with its observed value and limit, and every rule
// that did not apply.
//
// Thresholds live in a [Policy]: versions over time (affrules.Timeline) for all markets, with
// per-market overrides, and limits per category (ELG-10). [DefaultPolicy] has the seed values for
// every market and the Thai seller guide's values for TH from May 2025.
//
// # Interpretations
//
// Where the rule catalog is silent, this package chooses as follows; each is policy data or an
// input, never a constant:
//
//   - ELG-1: "within the past 60 days" is the half-open window (at − 60×24h, at] (MKT-3): a
//     violation exactly 60×24h before the instant no longer counts. When ELG-1 is the only failing
//     rule, Decision.NextAllowed is the violation plus the window in force at the instant
//     evaluated (a later policy version may move it). A violation after the instant evaluated at
//     is bad input (an error), not a failure. The window is 1 to 36500 days.
//   - ELG-2: the minimum is inclusive; a rating is an exact decimal between 0 and 5.
//   - ELG-3: the applicability minimum counts the product's reviews; ELG-4's counts every
//     return/refund case, whatever the fault. Below the minimum the rule is reported
//     affrules.NotApplicable, so a product with few reviews is eligible but says why.
//   - ELG-5: a category absent from the version in force is an error wrapping
//     affrules.ErrUnknownCategory; zero orders while a rate rule applies is an error (the rate is
//     undefined); so are negative counts, more negative-review orders or seller-fault refunds than
//     orders, more negative-review orders than reviews (each has at least one, so fewer would
//     dodge ELG-3's minimum), more seller-fault refunds than refund cases, and, in a [Run], a
//     product whose market is not its shop's.
//   - ELG-6: permanence is carried by the caller: Shop.Previous and Product.Previous hold the state
//     the last run recorded, and a previous permanent disqualification stays permanent whatever
//     the new facts say. A product of a permanently disqualified shop is permanently
//     disqualified; a product of a temporarily disqualified shop is temporarily disqualified and
//     carries the shop's reasons.
//   - ELG-7: "not linked with other MCNs" is read from the viewer's side (see [Listed]).
//   - ELG-10: a market override applies from its first version on; before that the default
//     timeline applies to that market too. Categories are strings; the seed's "Fashion &
//     Lifestyle" is two keys, affrules.Fashion and affrules.Lifestyle, with the same default
//     limits, because the Thai guide sets them apart. The Thai override takes effect at
//     [ThaiGuideEffective].
//   - A market registered after [New] is evaluated with the default thresholds (a policy can only
//     override a market registered before New).
//   - [ParsePolicy] requires every threshold field: one left out would silently be zero (no
//     minimum store rating). Keys must match exactly and appear once.
package eligibility
