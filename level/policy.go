package level

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
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
// ActiveDays active days (LVL-4) and at least Breadth distinct products or categories promoted.
type Thresholds struct {
	GMV        decimal.Decimal `json:"gmv"`
	ActiveDays int             `json:"active_days"`
	Breadth    int             `json:"breadth"`
}

// Table is one market's level thresholds from an effective date on: the scheme and, in Levels,
// the thresholds of L1 … L8 in that order (L0 has none). Each field must be non-decreasing with
// level.
type Table struct {
	Scheme Scheme       `json:"scheme"`
	Levels []Thresholds `json:"levels"`
}

// TrendPolicy holds the LVL-6 parameters.
type TrendPolicy struct {
	// SignificantDrop is the drop, in levels, from which a month-over-month drop is significant
	// rather than slight (default 2).
	SignificantDrop int `json:"significant_drop"`
	// ConsistentMonths is the number of consecutive month-over-month decreases that make a
	// consistent drop (default 2).
	ConsistentMonths int `json:"consistent_months"`
}

// Benefit is a level-gated benefit or campaign, such as a leaderboard, open to creators at
// MinLevel or above (LVL-7).
type Benefit struct {
	Name     string `json:"name"`
	MinLevel Level  `json:"min_level"`
}

// Policy is the data every rule of this package reads. Build an [Evaluator] from it with [New];
// [DefaultPolicy] is the catalog's defaults.
type Policy struct {
	// Tables holds, per market, the level thresholds with the instant each version takes effect
	// (LVL-2). Versions must start at strictly increasing instants; each stays in force until the
	// next. A market without a table has no levels: refreshing it is an error.
	Tables map[affrules.MarketCode][]affrules.Effective[Table] `json:"tables"`
	// PartnersSeeLevel lets affiliate partners (MCN/TAP) see creator levels (LVL-5, default
	// true). The creator themself and sellers always may; buyers never.
	PartnersSeeLevel bool `json:"partners_see_level"`
	// Trend holds the drop classification (LVL-6).
	Trend TrendPolicy `json:"trend"`
	// Benefits lists the level-gated benefits (LVL-7).
	Benefits []Benefit `json:"benefits"`
	// Score holds, per market that has a creator score, its weights and caps (LVL-8; default
	// ID only).
	Score map[affrules.MarketCode]ScorePolicy `json:"score"`
	// TieType is the creator type reported when LIVE and video GMV are equal (LVL-9; default
	// [Mixed]).
	TieType CreatorType `json:"tie_type"`
	// Badges holds the marketplace badge thresholds (LVL-10).
	Badges BadgePolicy `json:"badges"`
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
// illustrative threshold table under [HighestMet], in force from the zero instant (the platform
// publishes none: hosts are expected to supply their own); partners see levels; a drop of 2 or
// more levels is significant and 2 consecutive decreases are consistent; a "leaderboard" benefit
// from L4 (illustrative); a creator score in ID; ties reported [Mixed]; and the badge thresholds
// of [BadgePolicy].
func DefaultPolicy() Policy {
	p := Policy{
		Tables:           make(map[affrules.MarketCode][]affrules.Effective[Table], len(defaultScale)),
		PartnersSeeLevel: true,
		Trend:            TrendPolicy{SignificantDrop: 2, ConsistentMonths: 2},
		Benefits:         []Benefit{{Name: "leaderboard", MinLevel: L4}},
		Score:            map[affrules.MarketCode]ScorePolicy{affrules.ID: defaultScorePolicy()},
		TieType:          Mixed,
		Badges:           defaultBadgePolicy(),
	}
	for code, scale := range defaultScale {
		levels := make([]Thresholds, numLevels)
		for i, d := range defaultLevels {
			levels[i] = Thresholds{GMV: decimal.NewFromInt(d.gmv * scale), ActiveDays: int(d.days), Breadth: int(d.breadth)}
		}
		p.Tables[code] = []affrules.Effective[Table]{{Value: Table{Scheme: HighestMet, Levels: levels}}}
	}
	return p
}

// ParsePolicy decodes a policy from JSON and validates it as [New] does. Unknown fields, a key
// given twice in one object (which encoding/json would resolve silently, keeping the last),
// trailing data and every invalid value are errors; a policy it returns builds an [Evaluator]
// without error.
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := strictjson.Decode(data, &p); err != nil {
		return Policy{}, fmt.Errorf("level: policy: %w", err)
	}
	// After Decode, so the input is one well-formed value no deeper than encoding/json allows.
	if err := checkDuplicateKeys(data); err != nil {
		return Policy{}, err
	}
	if _, err := New(p); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// checkDuplicateKeys reports the first key that occurs twice in one JSON object of data, a
// single well-formed JSON value. Keys are compared ignoring case, as encoding/json matches them
// to struct fields.
func checkDuplicateKeys(data []byte) error {
	var walk func(path string, raw json.RawMessage) error
	walk = func(path string, raw json.RawMessage) error {
		seen := make(map[string]bool)
		for key, v := range strictjson.Members(raw) {
			lower := strings.ToLower(key)
			if seen[lower] {
				return fmt.Errorf("level: policy: %s: key %q appears twice", path, key)
			}
			seen[lower] = true
			if err := walk(path+"."+key, v); err != nil {
				return err
			}
		}
		i := 0
		for v := range strictjson.Elements(raw) {
			if err := walk(path+"["+strconv.Itoa(i)+"]", v); err != nil {
				return err
			}
			i++
		}
		return nil
	}
	return walk("policy", data)
}

// errs collects validation problems.
type errs []error

func (e *errs) add(field string, value any, format string, args ...any) {
	*e = append(*e, affrules.Errorf("level", field, value, format, args...))
}

// joinErrs joins validation problems, or returns nil if there are none.
func joinErrs(e errs) error {
	if len(e) == 0 {
		return nil
	}
	if len(e) == 1 {
		return e[0]
	}
	return errors.Join(e...)
}

// compileTable checks one table version for market mk and returns its compiled form.
func compileTable(e *errs, field string, mk affrules.Market, t Table) *table {
	c := &table{scheme: t.Scheme}
	switch t.Scheme {
	case HighestMet, GMVBand:
	default:
		e.add(field+".scheme", strconv.Quote(string(t.Scheme)), "must be %q or %q (LVL-2)", HighestMet, GMVBand)
	}
	if len(t.Levels) != numLevels {
		e.add(field+".levels", len(t.Levels), "must list the thresholds of L1 … L8, 8 entries (LVL-1, LVL-2)")
		return nil
	}
	ok := true
	for i, th := range t.Levels {
		f := fmt.Sprintf("%s.levels[%d] (%s)", field, i, Level(i+1))
		gmv, err := toMinor(th.GMV, mk.MinorUnit)
		switch {
		case th.GMV.Sign() < 0:
			e.add(f+".gmv", th.GMV, "%w", affrules.ErrNegative)
			ok = false
		case err != nil:
			e.add(f+".gmv", th.GMV, "%s: %w", err, affrules.ErrOutOfRange)
			ok = false
		case !gmv.exact:
			e.add(f+".gmv", th.GMV, "has more decimal places than %s's minor unit (%d)", mk.Currency, mk.MinorUnit)
			ok = false
		}
		if th.ActiveDays < 0 || th.Breadth < 0 {
			if th.ActiveDays < 0 {
				e.add(f+".active_days", th.ActiveDays, "%w", affrules.ErrNegative)
			}
			if th.Breadth < 0 {
				e.add(f+".breadth", th.Breadth, "%w", affrules.ErrNegative)
			}
			ok = false
		}
		if th.ActiveDays > 31 {
			e.add(f+".active_days", th.ActiveDays, "a month has at most 31 days: %w", affrules.ErrOutOfRange)
			ok = false
		}
		if th.Breadth > maxCount {
			e.add(f+".breadth", th.Breadth, "must be at most %d: %w", maxCount, affrules.ErrOutOfRange)
			ok = false
		}
		c.gmv[i], c.days[i], c.breadth[i] = gmv.units, int32(th.ActiveDays), int32(th.Breadth)
		if i == 0 {
			continue
		}
		prev := t.Levels[i-1]
		if th.GMV.LessThan(prev.GMV) {
			e.add(f+".gmv", th.GMV, "is below %s's %s: thresholds must not decrease with level (LVL-2)", Level(i), prev.GMV)
			ok = false
		}
		if th.ActiveDays < prev.ActiveDays {
			e.add(f+".active_days", th.ActiveDays, "is below %s's %d: thresholds must not decrease with level (LVL-2)", Level(i), prev.ActiveDays)
			ok = false
		}
		if th.Breadth < prev.Breadth {
			e.add(f+".breadth", th.Breadth, "is below %s's %d: thresholds must not decrease with level (LVL-2)", Level(i), prev.Breadth)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return c
}

// New validates p and returns an evaluator for it. Every problem is reported at once, joined
// with [errors.Join]; each is a *[affrules.FieldError] naming the field and value.
func New(p Policy) (*Evaluator, error) {
	var e errs
	ev := &Evaluator{
		markets:  make(map[affrules.MarketCode]*marketTables, len(p.Tables)),
		benefits: make(map[string]Level, len(p.Benefits)),
		partners: p.PartnersSeeLevel,
		trend:    p.Trend,
		score:    make(map[affrules.MarketCode]ScorePolicy, len(p.Score)),
		tie:      p.TieType,
		badges:   p.Badges,
	}
	for _, code := range sortedKeys(p.Tables) {
		versions := p.Tables[code]
		field := "tables[" + string(code) + "]"
		mk, err := affrules.LookupMarket(code)
		if err != nil {
			e.add(field, code, "%w", affrules.ErrUnknownMarket)
			continue
		}
		if len(versions) == 0 {
			e.add(field, "[]", "must have at least one version")
			continue
		}
		compiled := make([]affrules.Effective[*table], 0, len(versions))
		for i, v := range versions {
			f := fmt.Sprintf("%s[%d]", field, i)
			if i > 0 && !v.From.After(versions[i-1].From) {
				e.add(f+".from", v.From.Format(time.RFC3339Nano),
					"must be after version %d's %s: versions may not overlap or go backwards", i-1, versions[i-1].From.Format(time.RFC3339Nano))
			}
			compiled = append(compiled, affrules.Effective[*table]{From: v.From, Value: compileTable(&e, f, mk, v.Value)})
		}
		tl, err := affrules.NewTimeline(compiled...)
		if err == nil {
			ev.markets[code] = &marketTables{market: mk, tables: tl}
		}
	}
	if p.Trend.SignificantDrop < 1 || p.Trend.SignificantDrop > numLevels {
		e.add("trend.significant_drop", p.Trend.SignificantDrop, "must be between 1 and 8 levels (LVL-6): %w", affrules.ErrOutOfRange)
	}
	if p.Trend.ConsistentMonths < 1 || p.Trend.ConsistentMonths > maxConsistentMonths {
		e.add("trend.consistent_months", p.Trend.ConsistentMonths, "must be between 1 and %d (LVL-6): %w", maxConsistentMonths, affrules.ErrOutOfRange)
	}
	for i, b := range p.Benefits {
		f := fmt.Sprintf("benefits[%d]", i)
		if b.Name == "" {
			e.add(f+".name", b.Name, "must not be empty")
		} else if _, dup := ev.benefits[b.Name]; dup {
			e.add(f+".name", strconv.Quote(b.Name), "is listed twice")
		}
		if !b.MinLevel.Valid() {
			e.add(f+".min_level", int(b.MinLevel), "must be between L0 and L8 (LVL-7): %w", affrules.ErrOutOfRange)
		}
		ev.benefits[b.Name] = b.MinLevel
	}
	for _, code := range sortedKeys(p.Score) {
		if _, err := affrules.LookupMarket(code); err != nil {
			e.add("score["+string(code)+"]", code, "%w", affrules.ErrUnknownMarket)
			continue
		}
		sp := p.Score[code]
		checkScorePolicy(&e, "score["+string(code)+"]", sp)
		ev.score[code] = sp
	}
	switch p.TieType {
	case Live, Video, Mixed:
	default:
		e.add("tie_type", strconv.Quote(string(p.TieType)), "must be %q, %q or %q (LVL-9)", Live, Video, Mixed)
	}
	checkBadgePolicy(&e, p.Badges)
	if len(e) > 0 {
		return nil, errors.Join(e...)
	}
	return ev, nil
}

// maxConsistentMonths bounds TrendPolicy.ConsistentMonths, and so how far back TrendAt reads.
const maxConsistentMonths = 24

// maxCount bounds counts held as int32 on the hot path.
const maxCount = 1<<31 - 1

func sortedKeys[V any](m map[affrules.MarketCode]V) []affrules.MarketCode {
	keys := make([]affrules.MarketCode, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
