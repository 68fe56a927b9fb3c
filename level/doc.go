// Package level evaluates creator levels, SPEC §1 (LVL-1 … LVL-12): the monthly level L0 … L8
// computed from the previous month's GMV, active days, diversity of the products selected and,
// optionally, e-commerce capability; how it changes from month to month, who may see it and what
// it unlocks; and the marketplace attributes shown beside it (creator score, creator type,
// badges, creator kind, and the Marketplace profile metrics). rules.go lists each rule with the
// function that decides it.
//
// A host builds an [Evaluator] from a [Policy] with [New] (or [ParsePolicy] for JSON), turns a
// month of promotion [Event] values into each creator's [Performance] with an [Aggregator] (or
// supplies totals with [NewPerformance]), and runs [Evaluator.Refresh] on the first of the next
// month, storing each [Record] in a [History]. [LevelAt] answers "which level at instant at",
// [Evaluator.TrendAt] whether sellers should be warned of a drop, [Evaluator.Benefit] and
// [Evaluator.Visible] what the level unlocks and who may see it. [Kind] says whether a creator
// shares links only or also makes LIVE and video (sellers choose by it, Collaboration Plus tasks
// read it), and [Evaluator.ProfileView] what a viewer sees of a creator's Marketplace
// [Profile]. Months are market-calendar months, [affrules.Month].
//
// The threshold tables of [DefaultPolicy] are illustrative only: the platform publishes no
// threshold table, so hosts are expected to supply their own per market. The same holds for the
// default creator-score weights and caps, the "leaderboard" benefit level and the badge
// thresholds.
//
// Money on the hot path: GMV is converted once, when a [Performance] or [Evaluator] is built, to
// whole minor units of the market's currency (int64), so a refresh compares integers and
// allocates nothing per creator. Markets are resolved once, in [New] and [NewAggregator]; the
// table in force for a month is found by comparing months, without reading a time zone.
//
// # Policy loading
//
// [ParsePolicy] decodes strictly, then validates ([Policy.Validate]), each problem a
// *[affrules.FieldError]: every problem of the document itself at once (keys, JSON types, values
// a type refuses to decode such as a rate over 100%), then, once there is none, every problem
// Validate finds at once. A top-level setting left out keeps its [DefaultPolicy]
// value: a policy without "partners_see_level" hides levels from partners, as the default does. A
// setting that is given is given whole: every field inside it, and inside every version of a
// threshold table, is required, since a field left out or given as null would silently be zero;
// the exceptions are fields whose zero is the default: a table's "breadth" (products), a
// threshold's "capability" (none; null too), the trend's "warn_on_either" (false) and a table
// version's "from" (left out, the version starts at the beginning of time, as the first version
// of the default tables does). Unknown keys,
// keys that match a field only when case is ignored and keys given twice are errors at any depth.
// Threshold tables are effective-dated ([affrules.Timeline]): versions must start at strictly
// increasing instants; a list out of order is refused by the timeline while decoding, so it is
// reported on its own, before the other checks. A version governs the months from the first
// that starts at or after its instant, so two versions taking over at the start of the same
// month are refused (the earlier would govern none). A number or string over 2,000 bytes (a
// string's quotes aside) where a value is decoded from it is refused unread.
//
// # Zero values
//
// The zero [Evaluator] fails closed: every method returns an error wrapping [ErrNoPolicy] (and
// [Evaluator.Visible] a denial). The zero [MemoryHistory] is an empty history ready to use. The
// zero [Aggregator] rejects every event with an error wrapping [affrules.ErrUnknownMarket]. The
// zero [Performance] belongs to no market and is rejected by [Evaluator.Assign] and
// [Evaluator.Refresh]; the zero [Record] fails [Record.Validate], so no [History] stores it, and
// it is what [Evaluator.Refresh] yields beside every error; the zero [Policy] fails
// [Policy.Validate]; the zero [Viewer] is denied; the zero [Level] is L0; the zero [Kind] is
// [UnknownKind], which meets no need and promotes nothing; the zero [GPM] has no data.
//
// # Bounds on input
//
// Careless and hostile input is an error, a *[affrules.FieldError] naming the field (and the
// creator, for one creator's problem), never a silent answer, a hang or a panic:
//
//   - Instants ([LevelAt]'s and [Evaluator.Badges]' at, a badge input's posts, an [Event]'s At)
//     must be set and in the years 1900 to 2199 UTC: the zero time.Time is an error wrapping
//     [affrules.ErrOutOfRange], not an answer under whatever held in year 1.
//   - Months ([Evaluator.Assign], [Evaluator.Refresh], [Evaluator.TrendAt], [NewPerformance],
//     [NewAggregator], a [Record]'s, [MemoryHistory.Get]'s) must be months of the years 1900 to
//     2199, so no record is ever made for year 9999 or for a month number that wrapped (such as
//     affrules.NewMonth(200000000, time.January)).
//   - Decimals from callers (GMV in [Totals], [Event], [ScoreInput], [Evaluator.TypeOf] and a
//     [GPM]; capability; a profile's rating; a policy's thresholds and caps) must have an
//     exponent within ±28 and at most 38 digits. This is checked before any arithmetic,
//     comparison or formatting, and such a decimal is never printed in an error, so no input
//     makes an evaluation slow. A [GPM] outside its own range has no data.
//   - Identifiers that key a record: the market of a [Record] must not be empty; a creator (of a
//     [Record], [LevelAt], [Evaluator.TrendAt], [Evaluator.Refresh], [Evaluator.Visible], an
//     [Event] or a [Profile]) is an identifier in the library's storable form, not empty, at
//     most 256 bytes of UTF-8 without ASCII control characters, so every store holds it as
//     given; a creator given twice in one [Evaluator.Refresh] is an error naming them, and only
//     their first performance counts.
//
// # Reasons
//
// Each reason of a decision ([Evaluator.Visible], [Evaluator.Benefit], [Trend].Reliability,
// [Badges], [ProfileView].Data) carries a stable message key and typed values, by which a host
// renders it in its own language with an [affrules.Catalog]. Every reason is a denial (a level
// hidden, a benefit or badge withheld, a seller warned, data hidden) but the one marked not
// applicable, which allows and says why:
//
//	level.lvl5.another_creator                     Text: the viewer's role (another creator)
//	level.lvl5.another_creator_partners_see_level  the same, where the policy shows levels to partners
//	level.lvl5.buyer                               Text: the viewer's role (a buyer or general user)
//	level.lvl5.buyer_partners_see_level            the same, where the policy shows levels to partners
//	level.lvl5.unknown_role                        Text: the viewer's role, not a known one
//	level.lvl5.unknown_role_partners_see_level     the same, where the policy shows levels to partners
//	level.lvl5.partner                             Text: the viewer's role (partners may not see levels)
//	level.lvl6.too_little_history                  not applicable; Count of months; Count 2, the months needed
//	level.lvl6.significant_drop                    Count of levels dropped; Count minimum; subject: the change, as "L6 → L3"
//	level.lvl6.consistent_drop                     Count of monthly drops in a row; Count minimum
//	level.lvl7.below_min_level                     LevelOf the level; LevelOf the minimum; subject: the benefit
//	level.lvl10.reply_rate_low                     RateOf the reply rate; RateOf the minimum
//	level.lvl10.reply_time_slow                    DurationOf the reply time; DurationOf the maximum
//	level.lvl10.too_few_posts                      Count of posts in the window; Count minimum; subject: the window in days
//	level.lvl10.samples_below_average              RateOf the fulfilment rate; RateOf average + margin; subject: "60% + 10%"
//	level.lvl10.samples_unreachable                RateOf the fulfilment rate; Decimal: that limit in percent (above 100); subject: as above
//	level.lvl12.data_not_authorised                no values; subject: what is hidden
//
// # Interpretations
//
// Where the catalog is silent this package chooses the following, each a default a host can
// change through [Policy] data unless it is a matter of input form:
//
//   - Interpretation (MKT-1): which markets have which level feature is policy: levels where
//     [Policy].Tables has a table (default the seven Marketplace markets, illustrative tables),
//     the creator score where [Policy].Score lists the market (default ID only, LVL-8). Badges,
//     creator kind and profile metrics are computed for any registered market: where the
//     Marketplace's features run is the policy of the packages that offer them (the Markets of
//     invitation, collabplus, sample and campaign); eligibility and commission judge any
//     registered market.
//   - Interpretation (LVL-2): thresholds are per market and effective date ([Policy].Tables);
//     each of GMV, active days, breadth and e-commerce capability must be non-decreasing with
//     level; L0 has none. Under [HighestMet] (default) a creator gets the highest level whose
//     every threshold is met; under [GMVBand] GMV picks the band and missing any of that band's
//     other thresholds drops exactly one level, never more, and never below L0.
//   - Interpretation (LVL-2, LVL-3): the level for month M uses the table in force at M's first
//     instant in the market's calendar, that is at the refresh, not the one in force during M-1.
//   - Interpretation (LVL-3): [Evaluator.Refresh] records a level for each creator its input
//     yields, and only for those, once: a creator yielded twice is an input error, and the
//     record of their first performance stands. [Aggregator.All] yields creators with at least
//     one event in the month; a host that wants a creator without any recorded too (at L0 under
//     the default tables, so that [Evaluator.TrendAt] sees the drop) yields
//     [Aggregator.Performance] of that creator, a performance of zero, as well.
//   - Interpretation (LVL-2): GMV is compared at the currency's minor unit. Thresholds must be
//     whole minor units; total GMV supplied to [NewPerformance] is truncated to the minor unit
//     (which changes no comparison with a whole-minor-unit threshold); GMV on individual events
//     must be whole minor units, so that their sum is exact.
//   - Interpretation (LVL-2): breadth is the diversity of the products a creator selected in the
//     month: the number of distinct products, or of their distinct categories, as the table in
//     force says ([Table].Breadth, default [ByProducts]). A [Performance] carries both counts.
//     The [Aggregator] counts the products and categories on every event: promoting a product
//     selects it, and a [Selection] event (a product added to the creator's selection, not yet
//     promoted) counts toward breadth without making its day active. A category counts only as
//     the category of a product selected: more categories than products is an error, and so is
//     an event naming a category without its product, or another category than the one given
//     before for the same product.
//   - Interpretation (LVL-2): e-commerce capability is a metric the host computes (a score) and
//     supplies ([Totals].Capability, [Performance.WithCapability]); a table may set a minimum per
//     level ([Thresholds].Capability, default none). Once a level sets one every level above
//     must, at least as high. It is compared at 6 decimal places: thresholds may be no finer and
//     a capability is truncated to them. Where the table in force sets a capability threshold, a
//     performance without a capability is an error, not a level short: the host forgot an input.
//   - Interpretation (LVL-4): every event but a [Selection] is a promotion; an event's kind must
//     be LIVE, short video, external link share or selection, and each promotion counts its
//     market-calendar day as active whatever GMV it carries.
//   - Interpretation (LVL-5): affiliate partners (MCN/TAP) do not see levels unless
//     [Policy].PartnersSeeLevel allows it (default false). A creator viewing another creator's
//     profile is a general user and may not. An unknown role is denied.
//   - Interpretation (LVL-6): a drop of k levels is slight when k is below
//     [TrendPolicy].SignificantDrop (default 2), significant otherwise; a consistent drop is
//     [TrendPolicy].ConsistentMonths (default 2) month-over-month decreases in a row ending with
//     the latest month. Sellers are warned ([Trend].Reliability denied) of a drop both significant
//     and consistent, or, under [TrendPolicy].WarnOnEither (default false), of either; a drop that
//     does not warn is still reported in [Trend].Drop and [Trend].Consistent.
//     [Evaluator.TrendAt] stops at the first month with no stored level: an unknown month is not
//     a drop.
//   - Interpretation (LVL-7): benefits are named in the policy with a minimum level
//     ([Policy].Benefits; default "leaderboard" from L4, illustrative).
//   - Interpretation (LVL-8): the creator score exists in the markets listed in [Policy].Score
//     (default ID) and is Σ weight × min(metric ÷ cap, 1) over the seven metrics, weights adding
//     up to 100, so it runs from 0 to 100; the terms are summed exactly and the sum rounded
//     half-up once, to 2.
//   - Interpretation (LVL-9): a tie, including no GMV at all, reports [Policy].TieType (default
//     [Mixed]).
//   - Interpretation (LVL-10): quick to respond needs both a reply rate of at least
//     [BadgePolicy].MinReplyRate (default 80%) and a typical reply time of at most
//     [BadgePolicy].MaxReplyMinutes (default 720); posts frequently needs at least
//     [BadgePolicy].MinPosts (default 12) videos and LIVEs within [BadgePolicy].PostWindowDays
//     (default 30, MKT-3); reliable with samples needs a fulfilment rate of at least the market
//     average plus [BadgePolicy].SampleMargin (default 10 percentage points).
//   - Interpretation (LVL-11): a creator's [Kind] is a host input (the platform's classification),
//     not derived from a month's events. A seller's need for link sharing is met by either kind,
//     a need for LIVE and short video only by an affiliate creator ([Kind.Meets], [ByKind]).
//     [Kind.Promotes] says a link-share-only creator promotes by link only, so cannot complete a
//     LIVE or video task (CP-18). Package collabplus applies that rule to its members by the kind
//     they joined with and its policy's content-creator task types, and restricts a member of
//     unknown kind in nothing (members recorded before kinds were, or joined without one). Here
//     an unknown kind meets nothing and promotes nothing.
//   - Interpretation (LVL-12): GPM is computed exactly ([GPM] holds GMV and exposures; [GPM.Cmp]
//     cross-multiplies) and rounded once, for display, by the host's choice of places and mode
//     ([GPM.Round], MKT-4). Zero shopping-cart exposures mean no data, not an error, whatever
//     the GMV: a creator without videos or LIVEs has none, and a GPM without data compares below
//     every GPM with data, so filters on it never match. Main industry labels number 0 to 3
//     ([MaxLabels], the seed's own range): more, an empty label or one repeated is an error.
//     E-commerce rating, product volume and follower shares are on the host's scales, checked
//     only for sign (shares: adding up to at most 100%).
//   - Interpretation (LVL-12, ELG-8): without data authorisation, every viewer but the creator
//     themself sees no label icons and no performance data (GPM per video and per LIVE), and,
//     under [ProfilePolicy].HideAudience (default true), no follower age or gender
//     distribution; category, labels, rating, product volume, follower count and kind stay shown
//     as basic profile information. Viewer roles other than the creator's own make no difference
//     here: who may open the Marketplace is ELG-7/INV-12's concern.
package level
