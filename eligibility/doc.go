// Package eligibility decides which shops and products may take part in affiliate collaboration,
// and which creators the Affiliate Marketplace lists and shows (SPEC §2, ELG-1..10).
//
// A daily run evaluates every shop once ([Evaluator.Shop]: ELG-1 counterfeit violations, ELG-2
// store rating) and then each product against its shop's result ([Evaluator.Product]: ELG-3
// negative-review rate, ELG-4 seller-fault return/refund rate). [Evaluator.NewRun] and
// [Run.Products] do this for a stream of any length. Each result carries a [State] (ELG-6) and an
// affrules.Decision listing every failing rule and every rule that did not apply. [Listed],
// [ViewOf] and [DataFilter] decide what the Affiliate Marketplace shows of a creator (ELG-7,
// ELG-8); [Result.ForCampaign] whether a product may join a campaign (ELG-9). rules.go lists every
// rule ID with the function that decides it.
//
// # Reasons
//
// Each affrules.Reason carries typed values (Observed, Limit) and a stable message key, by which
// a host renders it in its own language with an affrules.Catalog. The keys and values:
//
//	eligibility.elg1.failed                   Instant of the violation; DaysOf the window
//	eligibility.elg2.failed                   Decimal rating; Decimal minimum
//	eligibility.elg3.failed                   Ratio negative-review orders/orders; RateOf the limit; subject: the category
//	eligibility.elg3.not_applicable           Count of reviews; Count minimum
//	eligibility.elg4.failed                   Ratio seller-fault refunds/orders; RateOf the limit; subject: the category
//	eligibility.elg4.not_applicable           Count of return/refund cases; Count minimum
//	eligibility.elg6.deactivated              no values: the seller account is deactivated
//	eligibility.elg6.frozen                   no values: the product is frozen
//	eligibility.elg6.delisted                 no values: the product is delisted
//	eligibility.elg6.earlier                  no values: a previous run disqualified it permanently
//	eligibility.elg7.no_ecommerce_permission  no values
//	eligibility.elg7.linked_to_other_mcn      Text: the MCN the creator is linked to
//	eligibility.elg7.official_account         no values
//	eligibility.elg7.marketing_account        no values
//	eligibility.elg9.failed                   Text: the product's state; Text "eligible"
//
// The English text, the same as earlier releases printed, is built only when a reason is
// printed or marshalled. An eligible product or shop allocates nothing; any other
// product allocates its reasons once, and the not-applicable and failed reasons that depend only
// on the policy and the category are built once, in [New].
//
// # Policy
//
// Thresholds live in a [Policy]: versions over time for all markets, with per-market overrides
// (affrules.PerMarket), and limits per category (ELG-10). [DefaultPolicy] has the seed values for
// every market and the Thai seller guide's values for TH from May 2025. [New] validates a policy
// once, resolving the markets registered at that moment.
//
// [ParsePolicy] loads policy JSON by the library's one rule: unknown keys, keys that match a
// field only when case is ignored and keys given twice are errors at any depth; every field
// inside a version is required (a category's limits too), since left out it would silently be
// zero; a top-level "default" or "markets" left out keeps its [DefaultPolicy] value (so leaving
// out "markets" keeps the Thai override, and "markets": {} removes it); every problem is reported
// at once as *affrules.FieldError.
//
// # Zero values
//
// The zero [Evaluator], like a nil one, and the zero [Run] fail closed: every method returns (or
// yields) an error wrapping [ErrNoPolicy]. [New] rejects the zero [Policy], and [Policy.Validate]
// the zero [Thresholds] and [Limits]. The zero [State] is [Unevaluated], not eligible; the zero
// [Result] is not eligible, may not join a campaign and is refused as a shop result. The zero
// [Shop] and [Product] are bad input (no market, no category). The zero [Creator] is not listed,
// and the zero [View] shows nothing.
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
//   - ELG-7: "not linked with other MCNs" is read from the viewer's side (see [Listed]); the
//     viewer comes first, as in level.Visible: Listed(viewer, creator).
//   - ELG-10: a market override applies from its first version on; before that the default
//     timeline applies to that market too. Categories are strings; the seed's "Fashion &
//     Lifestyle" is two keys, affrules.Fashion and affrules.Lifestyle, with the same default
//     limits, because the Thai guide sets them apart. The Thai override takes effect at
//     [ThaiGuideEffective].
//   - A market registered after [New] is evaluated with the default thresholds (a policy can only
//     override a market registered before New); only such a market, or an unknown one, is looked
//     up in the registry when evaluated.
package eligibility
