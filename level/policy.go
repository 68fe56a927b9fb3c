package level

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// Scheme names how a market's thresholds turn performance into a level (LVL-2).
type Scheme string

// The two assignment schemes hosts meet in practice (LVL-2).
const (
	// HighestMet assigns the highest level whose every threshold (GMV, active days, breadth) is
	// met. It is the catalog's default.
	HighestMet Scheme = "highest_met"
	// GMVBand lets GMV pick a band (the highest level whose GMV threshold is met); a creator who
	// misses that band's active-day or breadth threshold drops one level, and only one.
	GMVBand Scheme = "gmv_band"
)

// Thresholds are what one level requires of the previous month's performance (LVL-2). A level
// is met when every field is met: GMV at least GMV (in the market's currency), at least
// ActiveDays active days (LVL-4), at least Breadth distinct products selected or their
// categories ([Table].Breadth says which), and, when Capability is set, an e-commerce capability
// of at least Capability.
type Thresholds struct {
	GMV        decimal.Decimal `json:"gmv"`
	ActiveDays int             `json:"active_days"`
	Breadth    int             `json:"breadth"`
	// Capability is the minimum e-commerce capability, the host-supplied metric of
	// [Performance.Capability], with at most 6 decimal places; nil (absent or null in JSON) sets
	// no threshold. Once a level sets one, every level above must set one at least as high.
	Capability *decimal.Decimal `json:"capability,omitempty" strict:"optional"`
}

// BreadthBasis names what a table's breadth counts (LVL-2): distinct products selected, or the
// distinct categories of those products.
type BreadthBasis string

// Breadth bases (LVL-2).
const (
	// ByProducts counts distinct products selected. It is the default; "" means ByProducts too.
	ByProducts BreadthBasis = "products"
	// ByCategories counts the distinct categories of the products selected.
	ByCategories BreadthBasis = "categories"
)

// Table is one market's level thresholds from an effective date on: the scheme, what breadth
// counts and, in Levels, the thresholds of L1 … L8 in that order (L0 has none). Each threshold
// must be non-decreasing with level.
type Table struct {
	Scheme Scheme `json:"scheme"`
	// Breadth is what the breadth thresholds count: [ByProducts] (default; "" or absent in JSON
	// means the same) or [ByCategories].
	Breadth BreadthBasis `json:"breadth" strict:"optional"`
	Levels  []Thresholds `json:"levels"`
}

// TrendPolicy holds the LVL-6 parameters.
type TrendPolicy struct {
	// SignificantDrop is the drop, in levels, from which a month-over-month drop is significant
	// rather than slight (default 2).
	SignificantDrop int `json:"significant_drop"`
	// ConsistentMonths is the number of consecutive month-over-month decreases that make a
	// consistent drop (default 2).
	ConsistentMonths int `json:"consistent_months"`
	// WarnOnEither warns sellers of a drop that is significant or consistent; by default (false)
	// only a drop that is both is a warning. Left out of a "trend" setting in JSON it is false.
	WarnOnEither bool `json:"warn_on_either" strict:"optional"`
}

// Benefit is a level-gated benefit or campaign, such as a leaderboard, open to creators at
// MinLevel or above (LVL-7).
type Benefit struct {
	Name     string `json:"name"`
	MinLevel Level  `json:"min_level"`
}

// ScoreWeights are the points each metric of [ScoreInput] contributes at or above its cap; they
// add up to 100.
type ScoreWeights struct {
	GMV            int `json:"gmv"`
	LiveCount      int `json:"live_count"`
	LiveViewers    int `json:"avg_live_viewers"`
	ViewingSeconds int `json:"avg_viewing_seconds"`
	VideoCount     int `json:"video_count"`
	VideoViews     int `json:"avg_video_views"`
	Completion     int `json:"completion_rate"`
}

// ScorePolicy is how one market computes the creator score (LVL-8): each metric is normalised to
// min(value ÷ cap, 1) and weighted, so the score runs from 0 to 100. Every cap must be positive.
type ScorePolicy struct {
	Weights ScoreWeights `json:"weights"`
	Caps    ScoreInput   `json:"caps"`
}

// BadgePolicy holds the marketplace badge thresholds (LVL-10). The defaults are illustrative.
type BadgePolicy struct {
	// MinReplyRate is the share of messages a quick responder answers (default 80%).
	MinReplyRate affrules.Rate `json:"min_reply_rate"`
	// MaxReplyMinutes is the typical reply time a quick responder stays within (default 720, at
	// most a year's 527,040).
	MaxReplyMinutes int `json:"max_reply_minutes"`
	// PostWindowDays is the window posts are counted over, looking back (default 30, MKT-3).
	PostWindowDays int `json:"post_window_days"`
	// MinPosts is the number of videos and LIVEs in the window for "posts frequently" (default 12).
	MinPosts int `json:"min_posts"`
	// SampleMargin is how far above the market average a sample fulfilment rate (SMP-8) must be
	// for "reliable with samples", in percentage points (default 10%).
	SampleMargin affrules.Rate `json:"sample_margin"`
}

// Policy is the data every rule of this package reads. Build an [Evaluator] from it with [New];
// [DefaultPolicy] is the catalog's defaults. The zero Policy is not valid: [New] rejects it.
//
// In JSON ([ParsePolicy]) a top-level setting left out keeps its [DefaultPolicy] value; a setting
// given is given whole: every field inside it, and inside every table version, is required, but
// for the fields whose zero is their default ([Table].Breadth, [Thresholds].Capability,
// [TrendPolicy].WarnOnEither).
type Policy struct {
	// Tables holds, per market, the level thresholds with the instant each version takes effect
	// (LVL-2); each governs the months from the first that starts at or after that instant in
	// the market's calendar until the next version takes over (LVL-3), so two versions taking
	// over at the start of the same month are refused. A market without a table has no levels:
	// refreshing it is an error.
	Tables map[affrules.MarketCode]affrules.Timeline[Table] `json:"tables"`
	// PartnersSeeLevel lets affiliate partners (MCN/TAP) see creator levels (LVL-5, default
	// false). The creator themself and sellers always may; buyers never.
	PartnersSeeLevel bool `json:"partners_see_level"`
	// Trend holds the drop classification (LVL-6).
	Trend TrendPolicy `json:"trend" strict:"all"`
	// Benefits lists the level-gated benefits (LVL-7).
	Benefits []Benefit `json:"benefits" strict:"all"`
	// Score holds, per market that has a creator score, its weights and caps (LVL-8; default
	// ID only). Which markets have a creator score is this policy's choice (MKT-1): a market not
	// listed has none, and Score reports so without an error.
	Score map[affrules.MarketCode]ScorePolicy `json:"score" strict:"all"`
	// TieType is the creator type reported when LIVE and video GMV are equal (LVL-9; default
	// [Mixed]).
	TieType CreatorType `json:"tie_type"`
	// Badges holds the marketplace badge thresholds (LVL-10).
	Badges BadgePolicy `json:"badges" strict:"all"`
	// Profile holds what the Marketplace profile hides from viewers when the creator has not
	// authorised data sharing (LVL-12, ELG-8).
	Profile ProfilePolicy `json:"profile" strict:"all"`
}

// ProfilePolicy holds the LVL-12 parameters. Label icons and performance data (GPM per video and
// per LIVE) are always hidden from other viewers when the creator has not authorised data
// sharing (ELG-8); this policy says what else counts as such data.
type ProfilePolicy struct {
	// HideAudience hides the follower age and gender distribution too (default true); the
	// follower count stays shown, as basic profile information.
	HideAudience bool `json:"hide_audience"`
}

// defaultLevels are the illustrative L1 … L8 thresholds in units of a base currency, scaled per
// market by defaultScale; the platform publishes no threshold table.
var defaultLevels = [numLevels]struct{ gmv, days, breadth int64 }{
	{0, 1, 1}, {100, 2, 1}, {500, 4, 2}, {2_000, 6, 3},
	{5_000, 8, 5}, {20_000, 12, 8}, {50_000, 16, 10}, {200_000, 20, 15},
}

// defaultScale converts defaultLevels' GMV into each market's currency, roughly.
var defaultScale = map[affrules.MarketCode]int64{
	affrules.UK: 1, affrules.SG: 2, affrules.MY: 6, affrules.TH: 40,
	affrules.PH: 75, affrules.ID: 20_000, affrules.VN: 30_000,
}

// DefaultPolicy returns the catalog's defaults: for each of the seven markets of MKT-1 one
// illustrative threshold table under [HighestMet], breadth counted [ByProducts] and no
// e-commerce capability threshold, in force from the zero instant (the platform publishes none:
// hosts are expected to supply their own); affiliate partners do not see levels; a drop of 2 or
// more levels is significant, 2 consecutive decreases are consistent, and sellers are warned of a
// drop that is both; a "leaderboard" benefit from L4 (illustrative); a creator score in ID only;
// ties reported [Mixed]; the badge thresholds of [BadgePolicy]; and follower age and gender
// hidden with performance data.
func DefaultPolicy() Policy {
	p := Policy{
		Tables:           make(map[affrules.MarketCode]affrules.Timeline[Table], len(defaultScale)),
		PartnersSeeLevel: false,
		Trend:            TrendPolicy{SignificantDrop: 2, ConsistentMonths: 2, WarnOnEither: false},
		Benefits:         []Benefit{{Name: "leaderboard", MinLevel: L4}},
		Score:            map[affrules.MarketCode]ScorePolicy{affrules.ID: defaultScorePolicy()},
		TieType:          Mixed,
		Badges:           defaultBadgePolicy(),
		Profile:          ProfilePolicy{HideAudience: true},
	}
	for code, scale := range defaultScale {
		levels := make([]Thresholds, numLevels)
		for i, d := range defaultLevels {
			levels[i] = Thresholds{GMV: decimal.NewFromInt(d.gmv * scale), ActiveDays: int(d.days), Breadth: int(d.breadth)}
		}
		tl, err := affrules.NewTimeline(affrules.Effective[Table]{Value: Table{Scheme: HighestMet, Breadth: ByProducts, Levels: levels}})
		if err != nil {
			panic(err) // one entry is always in order
		}
		p.Tables[code] = tl
	}
	return p
}

// defaultScorePolicy is an illustrative ID policy; the platform publishes no formula.
func defaultScorePolicy() ScorePolicy {
	return ScorePolicy{
		Weights: ScoreWeights{GMV: 30, LiveCount: 10, LiveViewers: 15, ViewingSeconds: 10, VideoCount: 10, VideoViews: 15, Completion: 10},
		Caps: ScoreInput{GMV: decimal.NewFromInt(200_000_000), LiveCount: 30, LiveViewers: 1_000, ViewingSeconds: 300,
			VideoCount: 60, VideoViews: 50_000, Completion: affrules.MustParseRate("50%")},
	}
}

func defaultBadgePolicy() BadgePolicy {
	return BadgePolicy{MinReplyRate: affrules.MustParseRate("80%"), MaxReplyMinutes: 720, PostWindowDays: 30, MinPosts: 12,
		SampleMargin: affrules.MustParseRate("10%")}
}

// ParsePolicy decodes a policy from JSON and validates it as [Policy.Validate] does, each problem
// a *[affrules.FieldError]: every problem of the document itself at once (its keys, JSON types
// and values a type refuses to decode, such as a rate over 100%), then, for a document without
// any, every problem Validate finds at once. A top-level setting left out keeps its
// [DefaultPolicy] value (leaving out "partners_see_level" keeps it false); a top-level list or map
// given as null is nil ("benefits": null is no benefit), as encoding/json writes a nil one; a
// setting given is given whole: every field inside it, and inside every table version, is required,
// since a field left out would silently be zero (but for "breadth" in a table version, "capability"
// in a threshold and "warn_on_either" in "trend", whose zero is their default). Unknown keys, keys
// that match a field only when case is ignored, keys given twice (at any depth), table versions out
// of order and trailing data are errors. A policy it returns builds an [Evaluator] without error.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}

// Validate reports every problem in p at once, joined, each a *[affrules.FieldError] naming the
// field and value: a GMV, capability or cap outside the library's decimal bounds (an exponent
// within ±28, at most 38 digits; checked first, and never printed); a table for an unregistered
// market or with no versions; a table version never in force (the next one takes over at the
// start of the same month); a table version with an unknown scheme or breadth basis, other than 8 levels, negative thresholds, thresholds that
// decrease with level (a capability threshold left out above a level that sets one included),
// GMV finer than the market currency's minor unit, a capability finer than 6 decimal places, or
// more than 31 active days; trend
// parameters out of range; a benefit without a name, listed twice or with a level out of range;
// a creator score for an unregistered market, with weights out of range or not adding up to 100,
// or a cap that is not positive; an unknown tie type; and badge parameters out of range.
// [New] accepts exactly the policies Validate accepts.
func (p Policy) Validate() error {
	_, err := p.compile()
	return err
}

// compileTable checks one table version for market mk, named field in errors, and returns its
// compiled form.
func compileTable(l *fielderr.List, field string, mk affrules.Market, t Table) *table {
	c := &table{gmvBand: t.Scheme == GMVBand, byCategory: t.Breadth == ByCategories, capFrom: numLevels}
	switch t.Scheme {
	case HighestMet, GMVBand:
	default:
		l.Add(field+".scheme", strconv.Quote(string(t.Scheme)), "must be %q or %q (LVL-2)", HighestMet, GMVBand)
	}
	switch t.Breadth {
	case "", ByProducts, ByCategories:
	default:
		l.Add(field+".breadth", strconv.Quote(string(t.Breadth)), "must be %q or %q (LVL-2)", ByProducts, ByCategories)
	}
	if len(t.Levels) != numLevels {
		l.Add(field+".levels", len(t.Levels), "must list the thresholds of L1 … L8, 8 entries (LVL-1, LVL-2)")
		return nil
	}
	before := l.Len()
	// Decimals outside the library's bounds are refused before any arithmetic, comparison or
	// formatting; a threshold so refused is compared with no other.
	var gmvOK, capOK [numLevels]bool
	for i, th := range t.Levels {
		f := fmt.Sprintf("%s.levels[%d] (%s)", field, i, Level(i+1))
		if err := bounds.Decimal(pkg, f+".gmv", th.GMV); err != nil {
			l.Append(err)
		} else {
			gmvOK[i] = true
		}
		if th.Capability == nil {
			capOK[i] = true
		} else if err := bounds.Decimal(pkg, f+".capability", *th.Capability); err != nil {
			l.Append(err)
		} else {
			capOK[i] = true
		}
		var gmv minor.Amount
		var err error
		if gmvOK[i] {
			gmv, err = minor.From(th.GMV, mk.MinorUnit)
		}
		switch {
		case !gmvOK[i]:
		case th.GMV.Sign() < 0:
			l.Add(f+".gmv", th.GMV, "%w", affrules.ErrNegative)
		case err != nil:
			l.Add(f+".gmv", th.GMV, "%s: %w", err, affrules.ErrOutOfRange)
		case !gmv.Exact:
			l.Add(f+".gmv", th.GMV, "has more decimal places than %s's minor unit (%d)", mk.Currency, mk.MinorUnit)
		}
		if th.ActiveDays < 0 {
			l.Add(f+".active_days", th.ActiveDays, "%w", affrules.ErrNegative)
		}
		if th.Breadth < 0 {
			l.Add(f+".breadth", th.Breadth, "%w", affrules.ErrNegative)
		}
		if th.ActiveDays > 31 {
			l.Add(f+".active_days", th.ActiveDays, "a month has at most 31 days: %w", affrules.ErrOutOfRange)
		}
		if th.Breadth > maxCount {
			l.Add(f+".breadth", th.Breadth, "must be at most %d: %w", maxCount, affrules.ErrOutOfRange)
		}
		if th.Capability != nil {
			var capability minor.Amount
			var err error
			if capOK[i] {
				capability, err = minor.From(*th.Capability, capabilityPlaces)
			}
			switch {
			case !capOK[i]:
			case th.Capability.Sign() < 0:
				l.Add(f+".capability", *th.Capability, "%w", affrules.ErrNegative)
			case err != nil:
				l.Add(f+".capability", *th.Capability, "%s: %w", err, affrules.ErrOutOfRange)
			case !capability.Exact:
				l.Add(f+".capability", *th.Capability, "has more than %d decimal places (LVL-2)", capabilityPlaces)
			}
			c.capability[i] = capability.Units
			c.capFrom = min(c.capFrom, i)
		}
		c.gmv[i], c.days[i], c.breadth[i] = gmv.Units, int32(th.ActiveDays), int32(th.Breadth)
		if i == 0 {
			continue
		}
		prev := t.Levels[i-1]
		if gmvOK[i] && gmvOK[i-1] && th.GMV.LessThan(prev.GMV) {
			l.Add(f+".gmv", th.GMV, "is below %s's %s: thresholds must not decrease with level (LVL-2)", Level(i), prev.GMV)
		}
		if th.ActiveDays < prev.ActiveDays {
			l.Add(f+".active_days", th.ActiveDays, "is below %s's %d: thresholds must not decrease with level (LVL-2)", Level(i), prev.ActiveDays)
		}
		if th.Breadth < prev.Breadth {
			l.Add(f+".breadth", th.Breadth, "is below %s's %d: thresholds must not decrease with level (LVL-2)", Level(i), prev.Breadth)
		}
		switch {
		case prev.Capability == nil:
		case !capOK[i] || !capOK[i-1]:
		case th.Capability == nil:
			l.Add(f+".capability", "null", "is missing above %s's %s: thresholds must not decrease with level (LVL-2)", Level(i), prev.Capability)
		case th.Capability.LessThan(*prev.Capability):
			l.Add(f+".capability", *th.Capability, "is below %s's %s: thresholds must not decrease with level (LVL-2)", Level(i), prev.Capability)
		}
	}
	if l.Len() > before {
		return nil
	}
	return c
}

func checkScorePolicy(l *fielderr.List, field string, sp ScorePolicy) {
	w := sp.Weights
	sum := 0
	for _, x := range []struct {
		name string
		v    int
	}{{"gmv", w.GMV}, {"live_count", w.LiveCount}, {"avg_live_viewers", w.LiveViewers}, {"avg_viewing_seconds", w.ViewingSeconds},
		{"video_count", w.VideoCount}, {"avg_video_views", w.VideoViews}, {"completion_rate", w.Completion}} {
		if x.v < 0 || x.v > 100 {
			l.Add(field+".weights."+x.name, x.v, "must be between 0 and 100 (LVL-8): %w", affrules.ErrOutOfRange)
		}
		sum += x.v
	}
	if sum != 100 {
		l.Add(field+".weights", sum, "must add up to 100 (LVL-8)")
	}
	c := sp.Caps
	if err := bounds.Decimal(pkg, field+".caps.gmv", c.GMV); err != nil {
		l.Append(err)
	} else if c.GMV.Sign() <= 0 {
		l.Add(field+".caps.gmv", c.GMV, "must be positive (LVL-8)")
	}
	for _, x := range []struct {
		name string
		v    int
	}{{"live_count", c.LiveCount}, {"avg_live_viewers", c.LiveViewers}, {"avg_viewing_seconds", c.ViewingSeconds},
		{"video_count", c.VideoCount}, {"avg_video_views", c.VideoViews}} {
		if x.v <= 0 {
			l.Add(field+".caps."+x.name, x.v, "must be positive (LVL-8)")
		}
	}
	if c.Completion.IsZero() {
		l.Add(field+".caps.completion_rate", c.Completion, "must be positive (LVL-8)")
	}
}

// maxReplyMinutes bounds BadgePolicy.MaxReplyMinutes to 366 days, far from where converting it
// to a time.Duration would overflow.
const maxReplyMinutes = 366 * 24 * 60

func checkBadgePolicy(l *fielderr.List, b BadgePolicy) {
	if b.MaxReplyMinutes < 1 || b.MaxReplyMinutes > maxReplyMinutes {
		l.Add("policy.badges.max_reply_minutes", b.MaxReplyMinutes, "must be between 1 and %d (LVL-10): %w", maxReplyMinutes, affrules.ErrOutOfRange)
	}
	if b.PostWindowDays < 1 || b.PostWindowDays > 366 {
		l.Add("policy.badges.post_window_days", b.PostWindowDays, "must be between 1 and 366 (LVL-10): %w", affrules.ErrOutOfRange)
	}
	if b.MinPosts < 1 {
		l.Add("policy.badges.min_posts", b.MinPosts, "must be at least 1 (LVL-10): %w", affrules.ErrOutOfRange)
	}
}

// maxConsistentMonths bounds TrendPolicy.ConsistentMonths, and so how far back TrendAt reads.
const maxConsistentMonths = 24

// capabilityPlaces is the precision, in decimal places, at which e-commerce capability is
// compared (LVL-2): thresholds may be no finer, and a performance's capability is truncated to it,
// which changes no comparison with a threshold.
const capabilityPlaces = 6

// maxCount bounds counts held as int32 on the hot path.
const maxCount = 1<<31 - 1

func sortedKeys[V any](m map[affrules.MarketCode]V) []affrules.MarketCode {
	return slices.Sorted(maps.Keys(m))
}
