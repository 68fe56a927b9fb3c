package level

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"iter"
	"math/bits"
	"strconv"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/codeindex"
	"github.com/affrules/affrules/internal/coef"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/marketreg"
	"github.com/affrules/affrules/internal/minor"
	"github.com/affrules/affrules/internal/strictjson"
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
func (t *table) assign(p *Performance) Level {
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
		if d < g || b < g || c < g { // never for g = 0: d, b and c are not negative
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
	GMV        decimal.Decimal `json:"gmv" strict:"required"`         // in the market's currency
	ActiveDays int             `json:"active_days" strict:"required"` // LVL-4
	Products   int             `json:"products" strict:"required"`    // distinct products selected
	Categories int             `json:"categories" strict:"required"`  // distinct categories of those products
	// Capability is the creator's e-commerce capability, a metric the host computes (a score);
	// nil if it has none. It is needed only where a table sets a capability threshold.
	Capability *decimal.Decimal `json:"capability,omitempty"`
}

// NewPerformance returns the performance of a creator in market during month m from the host's
// totals. GMV finer than the currency's minor unit is truncated, and a capability finer than 6
// decimal places likewise, which changes no comparison with a threshold since thresholds are no
// finer. Negative values, more active days than the month has, more categories than products, a
// month outside the years 1900
// to 2199, a GMV or capability outside the library's decimal bounds (an exponent within ±28, at
// most 38 digits, checked before any arithmetic) and an unknown market are errors, all reported
// at once. It reads the market's minor unit from the registry once per market, not once per call,
// and allocates nothing for the usual totals (no capability, a GMV whose coefficient is below
// 2^60, as one of up to 18 digits is).
func NewPerformance(market affrules.MarketCode, m affrules.Month, t Totals) (Performance, error) {
	places, known := minorUnit(market)
	if !known {
		return Performance{}, fielderr.New(pkg, "performance.market", market, "%w", affrules.ErrUnknownMarket)
	}
	// The usual totals, checked in one expression: a GMV whose coefficient is read in place
	// (non-negative, below 2^60) and whose exponent is within the bounds, counts within theirs, no
	// capability. Any other goes through the checks below, which name every problem.
	if x := t.GMV.Exponent(); monthInRange(m) && t.Capability == nil && x >= bounds.MinExponent && x <= bounds.MaxExponent &&
		t.ActiveDays >= 0 && t.ActiveDays <= m.Days() && t.Products >= 0 && t.Products <= maxCount &&
		t.Categories >= 0 && t.Categories <= t.Products {
		// GMV in minor units, truncated, as minor.From converts it (the shift clamped to ±19, where
		// Scale answers as it would beyond).
		if c, small := coef.Small(&t.GMV); small {
			if units, _, ok := coef.Scale(c, int(max(min(x+places, 19), -19))); ok {
				return Performance{market: market, month: m, gmv: units, activeDays: int32(t.ActiveDays),
					products: int32(t.Products), categories: int32(t.Categories), places: places}, nil
			}
		}
	}
	return checkedPerformance(market, m, t, places)
}

// checkedPerformance is NewPerformance for totals of any kind, reporting every problem of them.
func checkedPerformance(market affrules.MarketCode, m affrules.Month, t Totals, places int32) (Performance, error) {
	l := fielderr.For(pkg)
	monthErr := checkMonth("performance.month", m)
	l.Append(monthErr)
	var units minor.Amount
	if err := bounds.Decimal(pkg, "performance.gmv", t.GMV); err != nil {
		l.Append(err)
	} else if t.GMV.Sign() < 0 {
		l.Add("performance.gmv", t.GMV, "%w", affrules.ErrNegative)
	} else if units, err = minor.From(t.GMV, places); err != nil {
		l.Add("performance.gmv", t.GMV, "%s: %w", err, affrules.ErrOutOfRange)
	}
	switch {
	case t.ActiveDays < 0:
		l.Add("performance.active_days", t.ActiveDays, "%w", affrules.ErrNegative)
	case monthErr == nil && t.ActiveDays > m.Days():
		l.Add("performance.active_days", t.ActiveDays, "%s has only %d days (LVL-4): %w", m, m.Days(), affrules.ErrOutOfRange)
	}
	checkCount(l, "performance.products", t.Products)
	checkCount(l, "performance.categories", t.Categories)
	if t.Categories > t.Products && t.Products >= 0 {
		// LVL-2: breadth counts the categories of the products selected; each has one.
		l.Add("performance.categories", t.Categories, "exceeds the %d products selected, each of one category (LVL-2): %w", t.Products, affrules.ErrOutOfRange)
	}
	p := Performance{market: market, month: m, gmv: units.Units, activeDays: int32(t.ActiveDays),
		products: int32(t.Products), categories: int32(t.Categories), places: places}
	if t.Capability != nil {
		var err error
		if p, err = p.WithCapability(*t.Capability); err != nil {
			l.Append(err)
		}
	}
	if err := l.Err(); err != nil {
		return Performance{}, err
	}
	return p, nil
}

// minorUnits[k] is 1 + the minor unit of the registered market whose code of two capital letters
// k encodes (codeindex.Of), 0 until NewPerformance first looks that market up: a registered
// market's data never changes (affrules.RegisterMarket refuses other data for a code, and nothing
// unregisters one), so the registry, and the copy of the market it makes, are consulted once per
// market rather than once per creator. A market with another code is read from the registry on
// each call, without copying it.
var minorUnits [codeindex.Size]atomic.Int32

// minorUnit returns the minor unit of the currency of market m, and false if m is not registered.
func minorUnit(m affrules.MarketCode) (int32, bool) {
	k, short := codeindex.Of(m)
	if short {
		if u := minorUnits[k].Load(); u > 0 {
			return u - 1, true
		}
	}
	_, u, ok := marketreg.Lookup(string(m)) // without copying the market
	if !ok {
		return 0, false
	}
	if short {
		minorUnits[k].Store(u + 1)
	}
	return u, true
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
// set thresholds on (LVL-2), truncated to 6 decimal places. A negative capability, one outside
// the library's decimal bounds (checked first), or one too large for 64-bit arithmetic at that
// precision (about 9.2 × 10^12 or more), is an error.
func (p Performance) WithCapability(c decimal.Decimal) (Performance, error) {
	if err := bounds.Decimal(pkg, "performance.capability", c); err != nil {
		return p, err
	}
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
// the month before and in force for the whole of Month. The zero Record fails [Record.Validate],
// so no [History] stores it: [Evaluator.Refresh] yields the zero Record beside every error.
type Record struct {
	Market  affrules.MarketCode `json:"market"`
	Creator string              `json:"creator"`
	Month   affrules.Month      `json:"month"`
	Level   Level               `json:"level"`
}

// Validate returns an error if r is a record a [History] must not store: one with no market, a
// market not registered (wrapping [affrules.ErrUnknownMarket]), a creator that is empty, longer
// than 256 bytes, not UTF-8 or holding a control character (an ID every store holds as given,
// as every package's IDs), a month outside the years 1900 to 2199 (the zero Record's, year 0,
// included), or a level out of range. Every problem is reported.
func (r Record) Validate() error {
	l := fielderr.For(pkg)
	l.Append(checkKey("record.", r.Market, r.Creator, r.Month))
	if _, known := minorUnit(r.Market); r.Market != "" && !known {
		l.Add("record.market", strconv.Quote(string(r.Market)), "%w", affrules.ErrUnknownMarket)
	}
	if !r.Level.Valid() {
		l.Append(errLevelRange("record.level", r.Level))
	}
	return l.Err()
}

// checkPerformance reports a performance, named field in errors, that cannot set market's level
// for month m under t: one of another market (the zero Performance included), of a month other
// than m-1, or without a capability where t sets capability thresholds (LVL-2).
func checkPerformance(field string, market affrules.MarketCode, m affrules.Month, t *table, p *Performance) error {
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
// an error, not a level short; so is a month outside the years 1900 to 2199. Asking for the
// level at an instant at is Assign(market, [affrules.MonthAt](mk, at), performance of the month
// before). It allocates nothing unless it returns an error.
func (e *Evaluator) Assign(market affrules.MarketCode, m affrules.Month, p Performance) (Level, error) {
	if err := e.ready("Assign"); err != nil {
		return L0, err
	}
	if err := checkMonth("month", m); err != nil {
		return L0, err
	}
	t, err := e.table(market, m)
	if err != nil {
		return L0, err
	}
	if err := checkPerformance("performance", market, m, t, &p); err != nil {
		return L0, err
	}
	return t.assign(&p), nil
}

// Refresh is the monthly refresh of market for month m (LVL-3): it reads each creator's
// performance in the month before from perf and yields the creator's [Record] for m. It streams,
// so perf may come from a database cursor: of the creators before the one at hand it keeps only
// their IDs, to refuse a creator given twice. It does not copy the IDs' bytes; it holds 16 bytes
// per creator while they arrive in increasing order of ID (as from a cursor sorted by creator),
// two to three times that, with a hash index, otherwise, and allocates once per 4,096 creators
// and as the index grows.
//
// A creator whose ID [Record.Validate] refuses, who was already given in this refresh, or whose
// performance is for another market or month or lacks a capability the thresholds need is
// yielded as an error naming the creator beside the zero Record, and the refresh goes on: a
// creator given twice keeps the record of their first performance, if it had one, and gets no
// second. A month outside the years
// 1900 to 2199, a market or month without thresholds, or the zero Evaluator yields a single error,
// beside the zero Record. The zero Record fails [Record.Validate], so a loop that stores every
// record it is given, even one beside an error, stores nothing wrong: [History.Put] refuses it.
func (e *Evaluator) Refresh(market affrules.MarketCode, m affrules.Month, perf iter.Seq2[string, Performance]) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if err := e.ready("Refresh"); err != nil {
			yield(Record{}, err)
			return
		}
		if err := checkMonth("month", m); err != nil {
			yield(Record{}, err)
			return
		}
		if perf == nil {
			yield(Record{}, fielderr.New(pkg, "performances", "nil", "must be a sequence of performances (an empty one refreshes no creator)"))
			return
		}
		t, err := e.table(market, m)
		if err != nil {
			yield(Record{}, err)
			return
		}
		var seen creatorSet
		for creator, p := range perf {
			var err error
			if !bounds.IDOK(creator) {
				err = bounds.ID(pkg, "creator", creator)
			} else if !seen.add(creator) {
				err = fielderr.New(pkg, "creator", strconv.Quote(creator),
					"is given more than once in the refresh of %s for %s: only its first performance counts (LVL-3)", market, m)
			} else {
				if p.market != market || p.month != m-1 || (!p.hasCap && t.needsCapability()) {
					err = checkPerformance("performance["+strconv.Quote(creator)+"]", market, m, t, &p)
				}
			}
			if err != nil {
				if !yield(Record{}, err) {
					return
				}
				continue
			}
			if !yield(Record{Market: market, Creator: creator, Month: m, Level: t.assign(&p)}, nil) {
				return
			}
		}
	}
}

// creatorSet is the set of creator IDs a refresh has seen, to refuse one given twice. It keeps
// the IDs (not copying their bytes) in fixed-size chunks, so growing never copies them. While IDs
// arrive in strictly increasing order it compares each with the last only: a repeat can only be
// the last one. At the first ID out of order it builds an index, an open-addressing hash table
// holding no pointers, and uses it from then on; a hash match is confirmed by comparing the IDs,
// so the set is exact. The zero creatorSet is empty.
type creatorSet struct {
	chunks  [][]string // every ID so far, in arrival order, setChunk to a chunk
	n       int        // the number of IDs
	indexed bool       // the order broke: slots indexes every ID
	seed    maphash.Seed
	// slots is a power-of-two table at most half full; a slot is 0 when empty, and otherwise
	// holds the top 24 bits of its ID's hash above the ID's position in chunks plus one.
	slots []uint64
}

const (
	setChunk   = 1 << 12
	slotPosBit = 40 // a slot's low 40 bits hold a position plus one
	slotPos    = 1<<slotPosBit - 1
)

// add adds id to s and reports whether it was not already there.
func (s *creatorSet) add(id string) bool {
	if !s.indexed {
		if s.n == 0 || s.at(s.n-1) < id {
			s.push(id)
			return true
		}
		s.index()
	}
	h := maphash.String(s.seed, id)
	tag := h >> slotPosBit << slotPosBit
	mask := uint64(len(s.slots) - 1)
	i := h & mask
	for ; s.slots[i] != 0; i = (i + 1) & mask {
		if slot := s.slots[i]; slot&^slotPos == tag && s.at(int(slot&slotPos)-1) == id {
			return false
		}
	}
	s.slots[i] = tag | uint64(s.n+1)
	s.push(id)
	if 2*s.n > len(s.slots) {
		s.rehash(2 * len(s.slots))
	}
	return true
}

func (s *creatorSet) at(i int) string { return s.chunks[i/setChunk][i%setChunk] }

func (s *creatorSet) push(id string) {
	if s.n%setChunk == 0 {
		s.chunks = append(s.chunks, make([]string, 0, setChunk))
	}
	c := &s.chunks[len(s.chunks)-1]
	*c = append(*c, id)
	s.n++
}

// index builds the hash index of the IDs so far.
func (s *creatorSet) index() {
	s.indexed, s.seed = true, maphash.MakeSeed()
	s.rehash(max(1024, 4*s.n))
}

// rehash rebuilds the index with size slots, a power of two; a size that is not one is rounded up.
func (s *creatorSet) rehash(size int) {
	size = 1 << bits.Len(uint(size-1))
	s.slots = make([]uint64, size)
	mask := uint64(size - 1)
	for pos := range s.n {
		h := maphash.String(s.seed, s.at(pos))
		i := h & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = h>>slotPosBit<<slotPosBit | uint64(pos+1)
	}
}

// performanceJSON is the JSON form of a [Performance]: its market and month beside its totals.
type performanceJSON struct {
	Market affrules.MarketCode `json:"market" strict:"required"`
	Month  affrules.Month      `json:"month" strict:"required"`
	Totals
}

// MarshalJSON writes the performance as its market, month and totals (the keys of [Totals]),
// which [Performance.UnmarshalJSON] reads back through [NewPerformance]: a performance sent
// through a queue arrives checked. The zero Performance, which no call accepts, is an error.
func (p Performance) MarshalJSON() ([]byte, error) {
	if p.market == "" {
		return nil, fielderr.New(pkg, "performance", "(zero)", "is the zero Performance: build one with NewPerformance or an Aggregator")
	}
	out := performanceJSON{Market: p.market, Month: p.month,
		Totals: Totals{GMV: p.GMV(), ActiveDays: p.ActiveDays(), Products: p.Products(), Categories: p.Categories()}}
	if c, ok := p.Capability(); ok {
		out.Capability = &c
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a performance [Performance.MarshalJSON] wrote, strictly (every key but
// capability required, no other) and through [NewPerformance]'s checks; on error p is unchanged.
func (p *Performance) UnmarshalJSON(data []byte) error {
	var in performanceJSON
	if t := bytes.TrimSpace(data); string(t) == "null" {
		return fielderr.New(pkg, "performance", "null", "must be a JSON object")
	}
	if err := fielderr.Problems(pkg, "performance", strictjson.Check(data, &in)); err != nil {
		return err
	}
	if err := strictjson.Decode(data, &in); err != nil {
		return fielderr.Decoding(pkg, "performance", err)
	}
	v, err := NewPerformance(in.Market, in.Month, in.Totals)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
