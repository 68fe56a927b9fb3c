// Package eligibility decides which shops and products may take part in affiliate collaboration,
// and which creators the Affiliate Marketplace lists and shows (SPEC §2, ELG-1..11).
//
// A daily run evaluates every shop once ([Evaluator.Shop]: ELG-1 counterfeit violations, ELG-2
// store rating) and then each product against its shop's result ([Evaluator.Product]: ELG-3
// negative-review rate, ELG-4 seller-fault return/refund rate). [Evaluator.NewRun] and
// [Run.Products] do this for a stream of any length. Each result carries a [State] (ELG-6), a
// [Scope] saying whether the shop or only the product is disqualified, and an affrules.Decision
// listing every failing rule and every rule that did not apply. A [Listing] decides which
// creators the Affiliate Marketplace lists to a [Viewer] for a [Purpose] and what it shows of
// them ([Listing.Listed], [Listing.ViewOf]: ELG-7, ELG-8, with INV-8 and INV-12), and
// [DataFilter] keeps filters off unshared data (ELG-8); [Result.ForCampaign] says whether a
// product may join a campaign (ELG-9). rules.go lists every rule ID with the function that
// decides it.
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
//	eligibility.elg4.failed                   Ratio seller-fault refunds/orders (/return-refund cases under refund_rate_of_cases); RateOf the limit; subject: the category
//	eligibility.elg4.not_applicable           Count of return/refund cases; Count minimum
//	eligibility.elg4.not_applicable_seller_fault  Count of seller-fault cases (min_refund_cases_seller_fault); Count minimum
//	eligibility.elg6.deactivated              no values: the seller account is deactivated
//	eligibility.elg6.frozen                   no values: the product is frozen
//	eligibility.elg6.delisted                 no values: the product is delisted
//	eligibility.elg6.earlier                  no values: a previous run disqualified it permanently
//	eligibility.elg6.product_banned           no values: a product of the shop is frozen or delisted
//	                                          (Thresholds.ProductBanDisqualifiesShop)
//	eligibility.elg7.no_ecommerce_permission  no values
//	eligibility.elg7.linked_to_other_mcn      Text: the MCN the creator is linked to
//	eligibility.elg7.official_account         no values
//	eligibility.elg7.marketing_account        no values
//	eligibility.inv7.purpose_not_held         Text: the purpose; Text: the role it needs; subject: the viewer (rule INV-7)
//	eligibility.inv7.unknown_purpose          Text: the purpose as given
//	eligibility.inv12.no_marketplace_access   Text: the roles held; subject: the viewer (rule INV-12)
//	eligibility.elg9.failed                   Text: the product's state; Text "eligible"
//
// The English text, the same as earlier releases printed, is built only when a reason is
// printed or marshalled. A product or shop that passes every rule allocates nothing (for a store
// rating, and a policy's minimum, whose coefficient as written fits 64 bits, as a rating of up
// to 18 decimal places does, and is below 2^60 once trailing zeros are struck off, as
// 4.600000000000000000's is; another is compared as a decimal, which allocates, and a failing
// shop's reason keeps a rating of more than 18 digits as its digits); any other
// product, an eligible one with a "not applicable" reason too (fewer reviews or refund cases than
// the minimum), allocates its reasons once, and the not-applicable and failed reasons that depend
// only on the policy and the category are built once, in [New]. [Run.AppendProduct],
// [Evaluator.AppendProduct] and [Evaluator.AppendShop] write the reasons into an array the caller
// passes and reuses, for a daily run that writes each result out before the next: no allocation
// at all (a result kept in memory needs its own copy of its reasons). [Evaluator.ProductInto]
// and [Evaluator.ShopInto] do the same with the product, the shop and the shop result passed by
// pointer and one [Result] reused, which spares copying them on every call.
//
// # Policy
//
// Thresholds live in a [Policy]: versions over time for all markets, with per-market overrides
// (affrules.PerMarket), and limits per category (ELG-10). [DefaultPolicy] has the seed values for
// every market, Thailand included; the Thai seller guide's values ([ThaiThresholds], platform
// practice rather than the seeds') are an override a host adds with [Policy.WithOverride]. [New] validates a policy
// once, resolving the markets registered at that moment.
//
// [ParsePolicy] loads policy JSON by the library's one rule: unknown keys, keys that match a
// field only when case is ignored and keys given twice are errors at any depth; every field
// inside a version is required (a category's limits too), since left out or given as null it
// would silently be zero, but for the three that default to the seed's reading
// ([Thresholds].RefundRateOfCases, MinRefundCasesSellerFault and ProductBanDisqualifiesShop,
// false when left out); a top-level "default" or "markets" left out keeps its [DefaultPolicy]
// value (the seed thresholds, and no market override), while given as null each is a list or map
// of none, as every package's loader reads one: a null "default" is refused as [] is, and null
// "markets" is no override; a number or string over 2,000 bytes (a string's quotes aside)
// where a value is decoded from it (a rating) is refused unread. Each problem is an
// *affrules.FieldError: every problem of the document itself at once (keys, JSON types, values a
// type refuses to decode such as a rate over 100%), then, once there is none, every problem
// [Policy.Validate] finds at once.
//
// # Zero values
//
// The zero [Evaluator], like a nil one, and the zero [Run] fail closed: every method returns (or
// yields) an error wrapping [ErrNoPolicy]. [New] rejects the zero [Policy], and [Policy.Validate]
// the zero [Thresholds] and [Limits]. The zero [State] is [Unevaluated], not eligible; the zero
// [Result] is not eligible, has [NoScope], may not join a campaign and is refused as a shop
// result. The zero [Shop] and [Product] are bad input (no ID, no market, no category). The zero
// [Creator] is not listed; the zero [Viewer] holds no role and sees nothing; nothing is listed
// for the zero [Purpose]; the zero [Listing] is the strictest listing policy (partner-only
// accounts refused, MCN-linked creators never listed to another account); the zero [View] shows
// nothing.
//
// # Hostile and careless input
//
// Bad input is an error, never a silent answer, a hang or a panic (issue 10). Every instant given
// (the at of [Evaluator.Shop], [Evaluator.Product] and [Evaluator.NewRun], and a shop's
// LastCounterfeitViolation when set) must be in the years 1900 to 2199, UTC: the zero time.Time
// is an error wrapping affrules.ErrOutOfRange, never an evaluation under whatever policy was in
// force in year 1. A result's instants therefore stay before 2200-01-01T00:00:00Z (a
// NextAllowed from then on is none), so every result marshals. A store rating (and a policy's
// minimum) must have an exponent within ±28 and at most 38 digits, checked before any comparison
// or formatting: decimal.New(4, -2e9) is refused at once, and its value is never printed. Shops
// and products need an ID, a product its shop's ID, and every error about one names it
// (shop[ID].field, product[ID].field). Beyond that an ID is the host's key, echoed into the
// result as given: this package stores none, so, unlike the packages whose stores keep IDs
// (level, invitation, commission's records, campaign, collabplus, sample), it does not hold them
// to the library's storable form (at most 256 bytes of UTF-8 text without ASCII control
// characters), which would cost every evaluation a pass over each ID. A method that returns an
// error
// returns the zero [Result] beside it, and so does [Run.Products] for each product it refuses.
//
// # Interpretations
//
// Where the rule catalog is silent, this package chooses as follows; each is policy data or an
// input, never a constant:
//
//   - ELG-1: "within the past 60 days" is the half-open window (at − 60×24h, at] (MKT-3): a
//     violation exactly 60×24h before the instant no longer counts. A temporarily disqualified
//     shop's Decision.NextAllowed is the first instant at which its facts pass ELG-1 and ELG-2
//     under the policy version in force then (the violation plus that version's window, or a
//     later version's start), or none if no version lets them pass before one under which its
//     banned product disqualifies it permanently (ELG-6, which a daily run then records). A
//     violation after the instant evaluated at is bad input (an error), not a failure. The
//     window is 1 to 36500 days.
//   - ELG-2: the minimum is inclusive; a rating is an exact decimal between 0 and 5.
//   - ELG-3: the applicability minimum counts the product's reviews; ELG-4's counts every
//     return/refund case, whatever the fault ([Thresholds.MinRefundCasesSellerFault]: the
//     seller-fault ones only). ELG-4's rate is the seller-fault cases over the
//     product's orders, or over its return/refund cases ([Thresholds.RefundRateOfCases]). Below
//     the minimum the rule is reported affrules.NotApplicable, so a product with few reviews is
//     eligible but says why. A minimum is at least 1: from 0, a rule would apply to every new
//     product, whose rate is undefined (ELG-5), so every product without orders would be an
//     error; [Policy.Validate] refuses it.
//   - ELG-5: a category absent from the version in force is an error wrapping
//     affrules.ErrUnknownCategory; zero orders while a rate rule applies is an error (the rate is
//     undefined); so are negative counts, more negative-review orders or seller-fault refunds than
//     orders, more negative-review orders than reviews (each has at least one, so fewer would
//     dodge ELG-3's minimum), more seller-fault refunds than refund cases, and a product whose
//     market is not its shop's, on every path: a shop [Result] carries its market (Result.Market,
//     kept through JSON), and [Evaluator.Product] refuses a shop result without one.
//   - ELG-6: permanence is carried by the caller: Shop.Previous and Product.Previous hold the state
//     the last run recorded, and a previous permanent disqualification stays permanent whatever
//     the new facts say. A product of a permanently disqualified shop is permanently
//     disqualified; a product of a temporarily disqualified shop is temporarily disqualified and
//     carries the shop's reasons. A temporarily disqualified product's Decision.NextAllowed
//     (MKT-5) is the first instant after the one evaluated at from which its shop is eligible
//     (at once, or from the lift the shop's result names) and its own facts pass ELG-3 and
//     ELG-4 under the version in force then: a later version's start when a looser limit is
//     scheduled, as for a shop; none when no version lets them pass (its facts must change), or
//     when a version stricter for shops (a longer window, a higher minimum rating, a product
//     ban newly disqualifying the shop) starts first, since a shop result does not say whether
//     the shop's facts pass it.
//   - ELG-6: ELG-1, ELG-2 and deactivation disqualify the shop ([ShopScope]: every product of
//     it); ELG-3, ELG-4, freezing and delisting only the product ([ProductScope]). A product's
//     result has the shop's scope when the shop's state accounts for it, and the product's when
//     its own rules make it worse off (frozen in a paused shop: permanent, for the product).
//     [Thresholds.ProductBanDisqualifiesShop] reads seed 002's "permanently banned" as the
//     seller's: a product frozen or delisted then disqualifies its shop permanently. The run
//     evaluates shops before their products, so a product's facts cannot reach its shop: the
//     host says so on the shop (Shop.ProductBanned), and the banned product's own result has
//     [ShopScope], telling it to. ELG-3 and ELG-4 always disqualify only the product: they are
//     rates of one product's orders.
//   - ELG-7, INV-7, INV-12 ([Listing], default [DefaultListing]): only an account holding the
//     MCN/CAP role uses the Marketplace (AllowPartnerOnly, default false, admits an
//     affiliate-partner-only account); a purpose lists only for an account holding its role
//     (INV-7); the seed's two ❌ conditions read as "not linked to another MCN" and "not an
//     official or marketing account", both required, the MCN one only for creator partnership:
//     an account holding the affiliate-partner role sees creators linked to another MCN, with
//     that MCN shown ([View.ManagedBy]) and the "Managed By Agency" filter
//     ([Listing.OffersAgencyFilter]), and may invite them for product distribution
//     (PartnerSeesManaged, default true). "Another MCN" is read from the viewer's side: a
//     creator linked to the viewer stays listed for it. A creator is seen ([Listing.ViewOf]) when
//     listed for either purpose, and the view says for which; the linked MCN is shown with any
//     listed creator. The viewer comes first, as in level.Visible: Listed(viewer, purpose,
//     creator).
//   - ELG-9: Collaboration Plus sets no minimum stock; eligibility is the whole of the check, for
//     partner campaigns too.
//   - ELG-11 belongs to Collaboration Plus and campaigns, which check ELG-9 at submission and
//     registration; this package gives them a result's subject ([Result.Scope] with
//     [Result.ShopID] or [Result.ID]), its permanence ([Result.Permanent]) and whether a
//     temporary one had lifted by an instant ([Result.Lifted]), nothing more.
//   - ELG-10: a market override applies from its first version on; before that the default
//     timeline applies to that market too. Categories are strings; the seed's "Fashion &
//     Lifestyle" is two keys, affrules.Fashion and affrules.Lifestyle, with the same default
//     limits, because the Thai guide sets them apart. The Thai guide's values are not in
//     [DefaultPolicy] (SPEC: platform practice, not the seeds'); added as an override they take
//     effect at [ThaiGuideEffective].
//   - Issue 10: [Run.Products] does not detect a product given twice in its stream, which would
//     take memory in proportion to the stream; the same facts give the same result, and the host
//     keys results by product ID where it stores them. [Evaluator.NewRun] refuses a shop given
//     twice. An empty [Viewer] ID is the public listing: it is never the MCN a creator is linked
//     to, so it fails closed; an unknown [Purpose] lists nothing and is reported as such
//     ([Listing.Listed] decides, it does not error).
//   - A market registered after [New] is evaluated with the default thresholds (a policy can only
//     override a market registered before New); only such a market, or an unknown one, is looked
//     up in the registry when evaluated.
package eligibility
