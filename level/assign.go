package level

import (
	"iter"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// table is a [Table] compiled for the hot path: GMV in minor units, counts as int32.
type table struct {
	gmvBand bool // the scheme is GMVBand; otherwise HighestMet
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
	if t.gmvBand {
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
	gmv        int64 // minor units of the market currency
	month      affrules.Month
	activeDays int32
	breadth    int32
	places     int32 // the market currency's minor unit, so GMV needs no registry lookup
}

// NewPerformance returns the performance of a creator in market during month m, from totals: GMV
// in the market's currency, active days and breadth (distinct products or categories promoted).
// GMV finer than the currency's minor unit is truncated, which changes no comparison with a
// threshold since thresholds are whole minor units. Negative values, more active days than the
// month has, and an unknown market are errors. It looks market up in the registry on each call;
// an [Aggregator] resolves it once for a whole month of events.
func NewPerformance(market affrules.MarketCode, m affrules.Month, gmv decimal.Decimal, activeDays, breadth int) (Performance, error) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return Performance{}, fielderr.New(pkg, "performance.market", market, "%w", affrules.ErrUnknownMarket)
	}
	l := fielderr.For(pkg)
	var units minor.Amount
	if gmv.Sign() < 0 {
		l.Add("performance.gmv", gmv, "%w", affrules.ErrNegative)
	} else if units, err = minor.From(gmv, mk.MinorUnit); err != nil {
		l.Add("performance.gmv", gmv, "%s: %w", err, affrules.ErrOutOfRange)
	}
	switch {
	case activeDays < 0:
		l.Add("performance.active_days", activeDays, "%w", affrules.ErrNegative)
	case activeDays > m.Days():
		l.Add("performance.active_days", activeDays, "%s has only %d days (LVL-4): %w", m, m.Days(), affrules.ErrOutOfRange)
	}
	switch {
	case breadth < 0:
		l.Add("performance.breadth", breadth, "%w", affrules.ErrNegative)
	case breadth > maxCount:
		l.Add("performance.breadth", breadth, "must be at most %d: %w", maxCount, affrules.ErrOutOfRange)
	}
	if err := l.Err(); err != nil {
		return Performance{}, err
	}
	return Performance{market: market, month: m, gmv: units.Units, activeDays: int32(activeDays), breadth: int32(breadth),
		places: mk.MinorUnit}, nil
}

// Market returns the market the performance was achieved in.
func (p Performance) Market() affrules.MarketCode { return p.market }

// Month returns the month the performance covers.
func (p Performance) Month() affrules.Month { return p.month }

// GMV returns the GMV in the market's currency, at the currency's minor unit.
func (p Performance) GMV() decimal.Decimal { return minor.To(p.gmv, p.places) }

// ActiveDays returns the number of active days (LVL-4).
func (p Performance) ActiveDays() int { return int(p.activeDays) }

// Breadth returns the number of distinct products or categories promoted.
func (p Performance) Breadth() int { return int(p.breadth) }

// Record is a creator's level for a month in a market (LVL-3): computed from the performance of
// the month before and in force for the whole of Month. The zero Record fails [Record.Validate].
type Record struct {
	Market  affrules.MarketCode `json:"market"`
	Creator string              `json:"creator"`
	Month   affrules.Month      `json:"month"`
	Level   Level               `json:"level"`
}

// Validate returns an error if r is a record a [History] must not store: one with no market or
// no creator, or with a level out of range. Every problem is reported.
func (r Record) Validate() error {
	l := fielderr.For(pkg)
	if r.Market == "" {
		l.Add("record.market", r.Market, "must not be empty")
	}
	if r.Creator == "" {
		l.Add("record.creator", r.Creator, "must not be empty")
	}
	if !r.Level.Valid() {
		l.Append(errLevelRange("record.level", r.Level))
	}
	return l.Err()
}

// checkPerformance reports a performance, named field in errors, that cannot set market's level
// for month m: one of another market (the zero Performance included) or of a month other than
// m-1 (LVL-2).
func checkPerformance(field string, market affrules.MarketCode, m affrules.Month, p Performance) error {
	if p.market != market {
		return fielderr.New(pkg, field+".market", p.market, "cannot set a level in %s", market)
	}
	if p.month != m-1 {
		return fielderr.New(pkg, field+".month", p.month,
			"%s's level comes from %s's performance (LVL-2): %w", m, m-1, affrules.ErrOutOfRange)
	}
	return nil
}

// Assign returns the level a creator holds in market during month m, given their performance in
// the month before (LVL-2, LVL-3), under the thresholds in force at m's first instant. Asking for
// the level at an instant at is Assign(market, [affrules.MonthAt](mk, at), performance of the
// month before). It allocates nothing unless it returns an error.
func (e *Evaluator) Assign(market affrules.MarketCode, m affrules.Month, p Performance) (Level, error) {
	if err := e.ready("Assign"); err != nil {
		return L0, err
	}
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
// thresholds, or the zero Evaluator, yields a single error.
func (e *Evaluator) Refresh(market affrules.MarketCode, m affrules.Month, perf iter.Seq2[string, Performance]) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if err := e.ready("Refresh"); err != nil {
			yield(Record{Market: market, Month: m}, err)
			return
		}
		t, err := e.table(market, m)
		if err != nil {
			yield(Record{Market: market, Month: m}, err)
			return
		}
		for creator, p := range perf {
			r := Record{Market: market, Creator: creator, Month: m}
			if creator == "" || p.market != market || p.month != m-1 {
				var err error = fielderr.New(pkg, "creator", creator, "must not be empty")
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
