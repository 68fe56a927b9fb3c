package level

import (
	"iter"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// table is a [Table] compiled for the hot path: GMV in minor units, capability in units of
// 10^-capabilityPlaces, counts as int32.
type table struct {
	gmvBand    bool // the scheme is GMVBand; otherwise HighestMet
	byCategory bool // breadth counts categories; otherwise products
	capFrom    int  // index of the first level with a capability threshold; numLevels if none
	gmv        [numLevels]int64
	days       [numLevels]int32
	breadth    [numLevels]int32
	capability [numLevels]int64 // from capFrom on
}

// needsCapability reports whether the table sets a capability threshold at any level.
func (t *table) needsCapability() bool { return t.capFrom < numLevels }

// assign returns the level p earns under t (LVL-2); p carries a capability if t needs one.
// Thresholds are non-decreasing with level, so the levels whose GMV threshold is met are L0 … g
// for some g, and likewise for active days (d), breadth (b) and capability (c, every level below
// the first capability threshold counting as met): the highest level meeting every threshold is
// min(g, d, b, c), and the GMV band is g. Counting the thresholds met gives g, d, b and c without
// branching on level order.
func (t *table) assign(p Performance) Level {
	breadth := p.products
	if t.byCategory {
		breadth = p.categories
	}
	var g, d, b int
	c := t.capFrom
	for i := range numLevels {
		if t.gmv[i] <= p.gmv {
			g++
		}
		if t.days[i] <= p.activeDays {
			d++
		}
		if t.breadth[i] <= breadth {
			b++
		}
		if i >= t.capFrom && t.capability[i] <= p.capability {
			c++
		}
	}
	if t.gmvBand {
		if g > 0 && (d < g || b < g || c < g) {
			g-- // LVL-2 (GMVBand): missing the band's other requirements drops one level
		}
		return Level(g)
	}
	return Level(min(g, d, b, c))
}

// Performance is one creator's performance in one month in one market, the input of a level
// (LVL-2): GMV, active days (LVL-4), the breadth of the products selected (distinct products and
// distinct categories, both counted; the table in force says which is compared) and, optionally,
// an e-commerce capability the host supplies. GMV is held in whole minor units of the market's
// currency. Build it with [NewPerformance] from totals or with an [Aggregator] from events, and
// add a capability with [Performance.WithCapability]; the zero Performance belongs to no market
// and is rejected.
type Performance struct {
	market     affrules.MarketCode
	gmv        int64 // minor units of the market currency
	capability int64 // units of 10^-capabilityPlaces; meaningful only if hasCapability
	month      affrules.Month
	activeDays int32
	products   int32
	categories int32
	places     int32 // the market currency's minor unit, so GMV needs no registry lookup
	hasCap     bool
}

// Totals are one creator's totals for a month as a host's own systems hold them, the input of
// [NewPerformance] (LVL-2).
type Totals struct {
	GMV        decimal.Decimal `json:"gmv"`         // in the market's currency
	ActiveDays int             `json:"active_days"` // LVL-4
	Products   int             `json:"products"`    // distinct products selected
	Categories int             `json:"categories"`  // distinct categories of those products
	// Capability is the creator's e-commerce capability, a metric the host computes (a score);
	// nil if it has none. It is needed only where a table sets a capability threshold.
	Capability *decimal.Decimal `json:"capability,omitempty"`
}

// NewPerformance returns the performance of a creator in market during month m from the host's
// totals. GMV finer than the currency's minor unit is truncated, and a capability finer than 6
// decimal places likewise, which changes no comparison with a threshold since thresholds are no
// finer. Negative values, more active days than the month has, and an unknown market are errors,
// all reported at once. It looks market up in the registry on each call; an [Aggregator] resolves
// it once for a whole month of events.
func NewPerformance(market affrules.MarketCode, m affrules.Month, t Totals) (Performance, error) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return Performance{}, fielderr.New(pkg, "performance.market", market, "%w", affrules.ErrUnknownMarket)
	}
	l := fielderr.For(pkg)
	var units minor.Amount
	if t.GMV.Sign() < 0 {
		l.Add("performance.gmv", t.GMV, "%w", affrules.ErrNegative)
	} else if units, err = minor.From(t.GMV, mk.MinorUnit); err != nil {
		l.Add("performance.gmv", t.GMV, "%s: %w", err, affrules.ErrOutOfRange)
	}
	switch {
	case t.ActiveDays < 0:
		l.Add("performance.active_days", t.ActiveDays, "%w", affrules.ErrNegative)
	case t.ActiveDays > m.Days():
		l.Add("performance.active_days", t.ActiveDays, "%s has only %d days (LVL-4): %w", m, m.Days(), affrules.ErrOutOfRange)
	}
	checkCount(l, "performance.products", t.Products)
	checkCount(l, "performance.categories", t.Categories)
	p := Performance{market: market, month: m, gmv: units.Units, activeDays: int32(t.ActiveDays),
		products: int32(t.Products), categories: int32(t.Categories), places: mk.MinorUnit}
	if t.Capability != nil {
		if p, err = p.WithCapability(*t.Capability); err != nil {
			l.Append(err)
		}
	}
	if err := l.Err(); err != nil {
		return Performance{}, err
	}
	return p, nil
}

func checkCount(l *fielderr.List, field string, n int) {
	switch {
	case n < 0:
		l.Add(field, n, "%w", affrules.ErrNegative)
	case n > maxCount:
		l.Add(field, n, "must be at most %d: %w", maxCount, affrules.ErrOutOfRange)
	}
}

// WithCapability returns p with e-commerce capability c, the host-supplied metric a table may
// set thresholds on (LVL-2), truncated to 6 decimal places. A negative capability, or one too
// large for 64-bit arithmetic at that precision (about 9.2 × 10^12 or more), is an error.
func (p Performance) WithCapability(c decimal.Decimal) (Performance, error) {
	if c.Sign() < 0 {
		return p, fielderr.New(pkg, "performance.capability", c, "%w", affrules.ErrNegative)
	}
	units, err := minor.From(c, capabilityPlaces)
	if err != nil {
		return p, fielderr.New(pkg, "performance.capability", c, "%s: %w", err, affrules.ErrOutOfRange)
	}
	p.capability, p.hasCap = units.Units, true
	return p, nil
}

// Market returns the market the performance was achieved in.
func (p Performance) Market() affrules.MarketCode { return p.market }

// Month returns the month the performance covers.
func (p Performance) Month() affrules.Month { return p.month }

// GMV returns the GMV in the market's currency, at the currency's minor unit.
func (p Performance) GMV() decimal.Decimal { return minor.To(p.gmv, p.places) }

// ActiveDays returns the number of active days (LVL-4).
func (p Performance) ActiveDays() int { return int(p.activeDays) }

// Products returns the number of distinct products selected.
func (p Performance) Products() int { return int(p.products) }

// Categories returns the number of distinct categories of the products selected.
func (p Performance) Categories() int { return int(p.categories) }

// Capability returns the e-commerce capability, to 6 decimal places, and whether the host
// supplied one.
func (p Performance) Capability() (decimal.Decimal, bool) {
	if !p.hasCap {
		return decimal.Zero, false
	}
	return minor.To(p.capability, capabilityPlaces), true
}

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
// for month m under t: one of another market (the zero Performance included), of a month other
// than m-1, or without a capability where t sets capability thresholds (LVL-2).
func checkPerformance(field string, market affrules.MarketCode, m affrules.Month, t *table, p Performance) error {
	if p.market != market {
		return fielderr.New(pkg, field+".market", p.market, "cannot set a level in %s", market)
	}
	if p.month != m-1 {
		return fielderr.New(pkg, field+".month", p.month,
			"%s's level comes from %s's performance (LVL-2): %w", m, m-1, affrules.ErrOutOfRange)
	}
	if t.needsCapability() && !p.hasCap {
		return fielderr.New(pkg, field+".capability", "(none)",
			"%s's thresholds in %s set an e-commerce capability threshold: supply one with Performance.WithCapability (LVL-2)", m, market)
	}
	return nil
}

// Assign returns the level a creator holds in market during month m, given their performance in
// the month before (LVL-2, LVL-3), under the thresholds in force at m's first instant. Where
// those thresholds set an e-commerce capability threshold, a performance without a capability is
// an error, not a level short. Asking for
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
	if err := checkPerformance("performance", market, m, t, p); err != nil {
		return L0, err
	}
	return t.assign(p), nil
}

// Refresh is the monthly refresh of market for month m (LVL-3): it reads each creator's
// performance in the month before from perf and yields the creator's [Record] for m. It streams:
// nothing is held beyond the creator at hand, so perf may come from a database cursor, and it
// allocates nothing per creator. A creator whose performance is for another market or month, or
// lacks a capability the thresholds need, or whose ID is empty, is yielded with an error and the
// refresh goes on; a market or month without
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
			if creator == "" || p.market != market || p.month != m-1 || (!p.hasCap && t.needsCapability()) {
				var err error = fielderr.New(pkg, "creator", creator, "must not be empty")
				if creator != "" {
					err = checkPerformance("performance["+strconv.Quote(creator)+"]", market, m, t, p)
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
