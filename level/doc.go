// Package level evaluates creator levels, SPEC §1 (LVL-1 … LVL-10): the monthly level L0 … L8
// computed from the previous month's GMV, active days and product-selection breadth, how it
// changes from month to month, who may see it and what it unlocks, and the marketplace
// attributes shown beside it (creator score, creator type, badges). rules.go lists each rule
// with the function that decides it.
//
// A host builds an [Evaluator] from a [Policy] with [New] (or [ParsePolicy] for JSON), turns a
// month of promotion [Event] values into each creator's [Performance] with an [Aggregator] (or
// supplies totals with [NewPerformance]), and runs [Evaluator.Refresh] on the first of the next
// month, storing each [Record] in a [History]. [LevelAt] answers "which level at instant at",
// [Evaluator.TrendAt] whether sellers should be warned of a drop, [Evaluator.Benefit] and
// [Evaluator.Visible] what the level unlocks and who may see it. Months are market-calendar
// months, [affrules.Month].
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
// [ParsePolicy] decodes strictly, then validates ([Policy.Validate]) and reports every problem at
// once, each a *[affrules.FieldError]. A top-level setting left out keeps its [DefaultPolicy]
// value: a policy without "partners_see_level" shows levels to partners, as the default does. A
// setting that is given is given whole: every field inside it, and inside every version of a
// threshold table, is required, since a field left out would silently be zero. Unknown keys,
// keys that match a field only when case is ignored and keys given twice are errors at any depth.
// Threshold tables are effective-dated ([affrules.Timeline]): versions must start at strictly
// increasing instants; a list out of order is refused by the timeline while decoding, so it is
// reported on its own, before the other checks.
//
// # Zero values
//
// The zero [Evaluator] fails closed: every method returns an error wrapping [ErrNoPolicy] (and
// [Evaluator.Visible] a denial). The zero [MemoryHistory] is an empty history ready to use. The
// zero [Aggregator] rejects every event with an error wrapping [affrules.ErrUnknownMarket]. The
// zero [Performance] belongs to no market and is rejected by [Evaluator.Assign] and
// [Evaluator.Refresh]; the zero [Record] fails [Record.Validate]; the zero [Policy] fails
// [Policy.Validate]; the zero [Viewer] is denied; the zero [Level] is L0.
//
// # Reasons
//
// Every reason carries typed values ([affrules.Value]) and a stable message key; the English
// text is built only when asked for and reads as it always has. The keys, for a host's own
// [affrules.Catalog]:
//
//   - LVL-5 (observed: the viewer's role, [affrules.Text]): level.lvl5.another_creator,
//     level.lvl5.buyer, level.lvl5.unknown_role, level.lvl5.partner; when the policy shows levels
//     to partners, whose limit reads differently, level.lvl5.another_creator_partners_see_level,
//     level.lvl5.buyer_partners_see_level and level.lvl5.unknown_role_partners_see_level.
//   - LVL-6 ([affrules.Count] of months or levels): level.lvl6.too_little_history (not
//     applicable), level.lvl6.significant_drop (subject: the change, such as "L6 → L3"),
//     level.lvl6.consistent_drop.
//   - LVL-7 ([affrules.LevelOf]; subject: the benefit): level.lvl7.below_min_level.
//   - LVL-10: level.lvl10.reply_rate_low ([affrules.RateOf]), level.lvl10.reply_time_slow
//     ([affrules.DurationOf]), level.lvl10.too_few_posts ([affrules.Count];
//     subject: the window in days), level.lvl10.samples_below_average ([affrules.RateOf];
//     subject: "average + margin"), level.lvl10.samples_unreachable (as before, but the limit,
//     above 100%, is a percentage as [affrules.Decimal]).
//
// # Interpretations
//
// Where the catalog is silent this package chooses the following, each a default a host can
// change through [Policy] data unless it is a matter of input form:
//
//   - Interpretation (LVL-2): thresholds are per market and effective date ([Policy].Tables);
//     each of GMV, active days and breadth must be non-decreasing with level; L0 has none. Under
//     [HighestMet] (default) a creator gets the highest level whose every threshold is met;
//     under [GMVBand] GMV picks the band and missing that band's active-day or breadth threshold
//     drops exactly one level, never more, and never below L0.
//   - Interpretation (LVL-2, LVL-3): the level for month M uses the table in force at M's first
//     instant in the market's calendar, that is at the refresh, not the one in force during M-1.
//   - Interpretation (LVL-3): [Evaluator.Refresh] records a level for each creator its input
//     yields, and only for those. [Aggregator.All] yields creators with at least one promotion
//     in the month; a host that wants a creator without any recorded too (at L0 under the
//     default tables, so that [Evaluator.TrendAt] sees the drop) yields
//     [Aggregator.Performance] of that creator, a performance of zero, as well.
//   - Interpretation (LVL-2): GMV is compared at the currency's minor unit. Thresholds must be
//     whole minor units; total GMV supplied to [NewPerformance] is truncated to the minor unit
//     (which changes no comparison with a whole-minor-unit threshold); GMV on individual events
//     must be whole minor units, so that their sum is exact.
//   - Interpretation (LVL-2): breadth is the number of distinct product keys a creator promoted
//     in the month; the host chooses whether the key is a product or a category ID.
//   - Interpretation (LVL-4): every event is a promotion; an event's kind must be LIVE, short
//     video or external link share, and each counts its market-calendar day as active whatever
//     GMV it carries.
//   - Interpretation (LVL-5): affiliate partners (MCN/TAP) may see levels
//     ([Policy].PartnersSeeLevel, default true). A creator viewing another creator's profile is a
//     general user and may not. An unknown role is denied.
//   - Interpretation (LVL-6): a drop of k levels is slight when k is below
//     [TrendPolicy].SignificantDrop (default 2), significant otherwise; a consistent drop is
//     [TrendPolicy].ConsistentMonths (default 2) month-over-month decreases in a row ending with
//     the latest month. [Evaluator.TrendAt] stops at the first month with no stored level: an
//     unknown month is not a drop.
//   - Interpretation (LVL-7): benefits are named in the policy with a minimum level
//     ([Policy].Benefits; default "leaderboard" from L4, illustrative).
//   - Interpretation (LVL-8): the creator score exists in the markets listed in [Policy].Score
//     (default ID) and is Σ weight × min(metric ÷ cap, 1) over the seven metrics, weights adding
//     up to 100, so it runs from 0 to 100; each term is computed to 10 decimal places and the sum
//     rounded half-up once, to 2.
//   - Interpretation (LVL-9): a tie, including no GMV at all, reports [Policy].TieType (default
//     [Mixed]).
//   - Interpretation (LVL-10): quick to respond needs both a reply rate of at least
//     [BadgePolicy].MinReplyRate (default 80%) and a typical reply time of at most
//     [BadgePolicy].MaxReplyMinutes (default 720); posts frequently needs at least
//     [BadgePolicy].MinPosts (default 12) videos and LIVEs within [BadgePolicy].PostWindowDays
//     (default 30, MKT-3); reliable with samples needs a fulfilment rate of at least the market
//     average plus [BadgePolicy].SampleMargin (default 10 percentage points).
package level
