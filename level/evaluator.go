package level

import (
	"iter"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/shopspring/decimal"
)

// Evaluator evaluates the rules of SPEC §1 under one validated [Policy]. Build it with [New]; it
// is immutable and safe for concurrent use. The zero Evaluator holds no validated policy and is
// not meant to be used: it has no thresholds (assigning a level is an error), no benefits and no
// creator score, shows levels to no affiliate partner and flags every level drop, but its badge
// and creator-type answers mean nothing.
type Evaluator struct {
	markets  map[affrules.MarketCode]*marketTables
	benefits map[string]Level
	partners bool
	trend    TrendPolicy
	score    map[affrules.MarketCode]ScorePolicy
	tie      CreatorType
	badges   BadgePolicy
}

// marketTables is a market with its effective-dated compiled tables.
type marketTables struct {
	market affrules.Market
	tables affrules.Timeline[*table]
}

// table is a [Table] compiled for the hot path: GMV in minor units, counts as int32.
type table struct {
	scheme  Scheme
	gmv     [numLevels]int64
	days    [numLevels]int32
	breadth [numLevels]int32
}

// assign returns the level p earns under t (LVL-2). Thresholds are non-decreasing with level, so
// the levels whose GMV threshold is met are L0 … g for some g, and likewise for active days (d)
// and breadth (b): the highest level meeting every threshold is min(g, d, b), and the GMV band is
// g. Counting the thresholds met gives g, d and b without branching on level order.
func (t *table) assign(p Performance) Level {
	var g, d, b int
	for i := range numLevels {
		if t.gmv[i] <= p.gmv {
			g++
		}
		if t.days[i] <= p.activeDays {
			d++
		}
		if t.breadth[i] <= p.breadth {
			b++
		}
	}
	if t.scheme == GMVBand {
		if g > 0 && (d < g || b < g) {
			g-- // LVL-2 (GMVBand): missing the band's activity requirement drops one level
		}
		return Level(g)
	}
	return Level(min(g, d, b))
}

// Performance is one creator's performance in one month in one market, the input of a level
// (LVL-2): GMV, active days (LVL-4) and product-selection breadth. GMV is held in whole minor
// units of the market's currency. Build it with [NewPerformance] from totals or with an
// [Aggregator] from promotion events; the zero Performance belongs to no market and is rejected.
type Performance struct {
	market     affrules.MarketCode
	month      Month
	gmv        int64 // minor units of the market currency
	activeDays int32
	breadth    int32
}

// NewPerformance returns the performance of a creator in market during month m, from totals: GMV
// in the market's currency, active days and breadth (distinct products or categories promoted).
// GMV finer than the currency's minor unit is truncated, which changes no comparison with a
// threshold since thresholds are whole minor units. Negative values, more active days than the
// month has, and an unknown market are errors.
func NewPerformance(market affrules.MarketCode, m Month, gmv decimal.Decimal, activeDays, breadth int) (Performance, error) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return Performance{}, affrules.Errorf("level", "performance.market", market, "%w", affrules.ErrUnknownMarket)
	}
	var e errs
	var units minor
	if gmv.Sign() < 0 {
		e.add("performance.gmv", gmv, "%w", affrules.ErrNegative)
	} else if units, err = toMinor(gmv, mk.MinorUnit); err != nil {
		e.add("performance.gmv", gmv, "%s: %w", err, affrules.ErrOutOfRange)
	}
	switch {
	case activeDays < 0:
		e.add("performance.active_days", activeDays, "%w", affrules.ErrNegative)
	case activeDays > m.Days():
		e.add("performance.active_days", activeDays, "%s has only %d days (LVL-4): %w", m, m.Days(), affrules.ErrOutOfRange)
	}
	switch {
	case breadth < 0:
		e.add("performance.breadth", breadth, "%w", affrules.ErrNegative)
	case breadth > maxCount:
		e.add("performance.breadth", breadth, "must be at most %d: %w", maxCount, affrules.ErrOutOfRange)
	}
	if len(e) > 0 {
		return Performance{}, joinErrs(e)
	}
	return Performance{market: market, month: m, gmv: units.units, activeDays: int32(activeDays), breadth: int32(breadth)}, nil
}

// Market returns the market the performance was achieved in.
func (p Performance) Market() affrules.MarketCode { return p.market }

// Month returns the month the performance covers.
func (p Performance) Month() Month { return p.month }

// GMV returns the GMV in the market's currency, at the currency's minor unit.
func (p Performance) GMV() decimal.Decimal {
	mk, err := affrules.LookupMarket(p.market)
	if err != nil {
		return decimal.Zero
	}
	return fromMinor(p.gmv, mk.MinorUnit)
}

// ActiveDays returns the number of active days (LVL-4).
func (p Performance) ActiveDays() int { return int(p.activeDays) }

// Breadth returns the number of distinct products or categories promoted.
func (p Performance) Breadth() int { return int(p.breadth) }

// Record is a creator's level for a month in a market (LVL-3): computed from the performance of
// the month before and in force for the whole of Month.
type Record struct {
	Market  affrules.MarketCode `json:"market"`
	Creator string              `json:"creator"`
	Month   Month               `json:"month"`
	Level   Level               `json:"level"`
}

// Validate returns an error if r is a record a [History] must not store: one with no market or
// no creator, or with a level out of range. Every problem is reported.
func (r Record) Validate() error {
	var e errs
	if r.Market == "" {
		e.add("record.market", r.Market, "must not be empty")
	}
	if r.Creator == "" {
		e.add("record.creator", r.Creator, "must not be empty")
	}
	if !r.Level.Valid() {
		e.add("record.level", int(r.Level), "must be between L0 and L8 (LVL-1): %w", affrules.ErrOutOfRange)
	}
	return joinErrs(e)
}

// table returns market's compiled table in force at the first instant of month m (LVL-3).
func (e *Evaluator) table(market affrules.MarketCode, m Month) (*table, error) {
	mt, ok := e.markets[market]
	if !ok {
		if _, err := affrules.LookupMarket(market); err != nil {
			return nil, affrules.Errorf("level", "market", market, "%w", affrules.ErrUnknownMarket)
		}
		return nil, affrules.Errorf("level", "market", market, "the policy has no level thresholds for this market (LVL-2)")
	}
	start := m.Period(mt.market).Start
	t, ok := mt.tables.At(start)
	if !ok {
		return nil, affrules.Errorf("level", "tables["+string(market)+"]", m,
			"no thresholds in force at the month's start %s (LVL-2)", start.Format(time.RFC3339))
	}
	return t, nil
}

// checkPerformance reports a performance, named field in errors, that cannot set market's level
// for month m: one of another market (the zero Performance included) or of a month other than
// m-1 (LVL-2).
func checkPerformance(field string, market affrules.MarketCode, m Month, p Performance) error {
	if p.market != market {
		return affrules.Errorf("level", field+".market", p.market, "cannot set a level in %s", market)
	}
	if p.month != m-1 {
		return affrules.Errorf("level", field+".month", p.month,
			"%s's level comes from %s's performance (LVL-2): %w", m, m-1, affrules.ErrOutOfRange)
	}
	return nil
}

// Assign returns the level a creator holds in market during month m, given their performance in
// the month before (LVL-2, LVL-3), under the thresholds in force at m's first instant. Asking for
// the level at an instant t is Assign(market, [MonthAt](t), performance of the month before).
// It allocates nothing unless it returns an error.
func (e *Evaluator) Assign(market affrules.MarketCode, m Month, p Performance) (Level, error) {
	t, err := e.table(market, m)
	if err != nil {
		return L0, err
	}
	if err := checkPerformance("performance", market, m, p); err != nil {
		return L0, err
	}
	return t.assign(p), nil
}

// Refresh is the monthly refresh of market for month m (LVL-3): it reads each creator's
// performance in the month before from perf and yields the creator's [Record] for m. It streams:
// nothing is held beyond the creator at hand, so perf may come from a database cursor, and it
// allocates nothing per creator. A creator whose performance is for another market or month, or
// whose ID is empty, is yielded with an error and the refresh goes on; a market or month without
// thresholds yields a single error.
func (e *Evaluator) Refresh(market affrules.MarketCode, m Month, perf iter.Seq2[string, Performance]) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		t, err := e.table(market, m)
		if err != nil {
			yield(Record{Market: market, Month: m}, err)
			return
		}
		for creator, p := range perf {
			r := Record{Market: market, Creator: creator, Month: m}
			if creator == "" || p.market != market || p.month != m-1 {
				var err error = affrules.Errorf("level", "creator", creator, "must not be empty")
				if creator != "" {
					err = checkPerformance("performance["+strconv.Quote(creator)+"]", market, m, p)
				}
				if !yield(r, err) {
					return
				}
				continue
			}
			r.Level = t.assign(p)
			if !yield(r, nil) {
				return
			}
		}
	}
}
