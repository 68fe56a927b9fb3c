package level

import (
	"iter"
	"math"
	"math/bits"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// Promotion is the way a creator promoted affiliate products (LVL-4).
type Promotion string

// The promotions that make a day active (LVL-4), and the selection of a product, which does not.
const (
	PromoLive      Promotion = "live"       // a LIVE
	PromoVideo     Promotion = "video"      // a short video
	PromoLinkShare Promotion = "link_share" // a product link shared outside the platform
	// Selection is a creator selecting a product to promote (adding it to their showcase)
	// without promoting it yet: it counts toward breadth (LVL-2) but is not a promotion, so it
	// never makes a day active (LVL-4).
	Selection Promotion = "selection"
)

// Event is one promotion by a creator, or one product selection: when, how, which product and its
// category ("" for none; each counts toward breadth, LVL-2; a category needs its product), and the
// GMV attributed to it ("0" when GMV is supplied as a total instead).
type Event struct {
	Creator  string            `json:"creator"`
	At       time.Time         `json:"at"`
	Kind     Promotion         `json:"kind"`
	Product  string            `json:"product,omitempty"`
	Category affrules.Category `json:"category,omitempty"`
	GMV      decimal.Decimal   `json:"gmv"`
}

// Aggregator turns one month of promotion and selection events in one market into each creator's
// [Performance]: active days counted once per market-calendar day (LVL-4, MKT-2), GMV summed, and
// both the distinct products and the distinct categories selected counted (LVL-2: the table in
// force says which one breadth compares). The result does not depend on the order of events. An
// Aggregator is not safe for concurrent use; its memory grows with the number of creators, of
// distinct products and of distinct (creator, product) and (creator, category) pairs, not with
// the number of events. The
// zero Aggregator (and a nil *Aggregator) belongs to no market: it rejects every event with an
// error wrapping [affrules.ErrUnknownMarket]; build one with [NewAggregator].
type Aggregator struct {
	market       affrules.Market
	month        affrules.Month
	period       affrules.Period
	dayStart     [32]int64 // Unix seconds of each local midnight; dayStart[ndays] ends the month
	ndays        int
	index        map[string]int32
	creators     []string
	tallies      []tally
	productsOf   map[creatorProduct]affrules.Category // (creator, product) pairs seen, with the category counted for it
	categoryOf   map[string]affrules.Category         // each product's category, as first given
	categoriesOf map[creatorProduct]struct{}          // (creator, category) pairs seen
	// last is the creator of the previous event, whose index is lastIndex: events often come grouped.
	last      string
	lastIndex int32
}

type tally struct {
	days       uint32 // bit d set: day d+1 of the month was active
	gmv        int64  // minor units
	products   int32
	categories int32
}

// creatorProduct is a creator and a product, or a category, they selected.
type creatorProduct struct {
	creator int32
	product string
}

// NewAggregator returns an aggregator for the events of month m in market, the month whose
// performance sets the levels of m+1. An unknown market and a month outside the years 1900 to
// 2199 are errors.
func NewAggregator(market affrules.MarketCode, m affrules.Month) (*Aggregator, error) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return nil, fielderr.New(pkg, "market", market, "%w", affrules.ErrUnknownMarket)
	}
	if err := checkMonth("month", m); err != nil {
		return nil, err
	}
	a := &Aggregator{
		market:       mk,
		month:        m,
		period:       m.Period(mk),
		ndays:        m.Days(),
		index:        make(map[string]int32),
		productsOf:   make(map[creatorProduct]affrules.Category),
		categoryOf:   make(map[string]affrules.Category),
		categoriesOf: make(map[creatorProduct]struct{}),
	}
	t := a.period.Start
	for d := range a.ndays {
		day := mk.Day(t)
		a.dayStart[d] = day.Start.Unix()
		t = day.End
	}
	a.dayStart[a.ndays] = a.period.End.Unix()
	return a, nil
}

// dayIndex returns the 0-based local day of the month containing Unix second s, which must lie
// inside the month. Days are 86,400 s except on a DST change, so the first guess is at most one
// off.
func (a *Aggregator) dayIndex(s int64) int {
	d := int((s - a.dayStart[0]) / 86400)
	d = min(max(d, 0), a.ndays-1)
	for s < a.dayStart[d] {
		d--
	}
	for s >= a.dayStart[d+1] {
		d++
	}
	return d
}

// Add counts event e: a promotion's market-calendar day as active, any event's GMV, product and
// category. An event whose creator [Record.Validate] refuses, an unknown kind, a category
// without a product or other than the one given before for its product, a GMV outside the
// library's decimal bounds (checked before any arithmetic), negative or finer than the market
// currency's minor unit, the zero instant or one outside the years 1900 to 2199, or an instant
// outside the month (in the market's calendar, MKT-2) is rejected with an error naming the field
// and changes nothing.
func (a *Aggregator) Add(e Event) error {
	if a == nil || a.ndays == 0 {
		return fielderr.New(pkg, "aggregator.market", `""`, "the zero Aggregator has no market, build one with NewAggregator: %w", affrules.ErrUnknownMarket)
	}
	if !bounds.IDOK(e.Creator) {
		return bounds.ID(pkg, "event.creator", e.Creator)
	}
	switch e.Kind {
	case PromoLive, PromoVideo, PromoLinkShare, Selection:
	default:
		return fielderr.New(pkg, "event.kind", strconv.Quote(string(e.Kind)), "must be %q, %q, %q or %q (LVL-4)",
			PromoLive, PromoVideo, PromoLinkShare, Selection)
	}
	if e.Category != "" && e.Product == "" {
		// LVL-2: breadth counts the categories of the products selected.
		return fielderr.New(pkg, "event.category", strconv.Quote(string(e.Category)), "names the category of no product: set event.product too (LVL-2)")
	}
	if err := bounds.Instant(pkg, "event.at", e.At); err != nil {
		return err
	}
	s := e.At.Unix() // local midnights fall on whole seconds, so comparing seconds is exact
	if s < a.dayStart[0] || s >= a.dayStart[a.ndays] {
		return fielderr.New(pkg, "event.at", e.At.Format(time.RFC3339Nano),
			"is outside %s in %s %s, the month being aggregated (MKT-2): %w", a.month, a.market.Code, a.period, affrules.ErrOutOfRange)
	}
	if err := bounds.Decimal(pkg, "event.gmv", e.GMV); err != nil {
		return err
	}
	var gmv minor.Amount
	if !e.GMV.IsZero() {
		if e.GMV.IsNegative() {
			return fielderr.New(pkg, "event.gmv", e.GMV, "%w", affrules.ErrNegative)
		}
		var err error
		if gmv, err = minor.From(e.GMV, a.market.MinorUnit); err != nil {
			return fielderr.New(pkg, "event.gmv", e.GMV, "%s: %w", err, affrules.ErrOutOfRange)
		}
		if !gmv.Exact {
			return fielderr.New(pkg, "event.gmv", e.GMV, "has more decimal places than %s's minor unit (%d)", a.market.Currency, a.market.MinorUnit)
		}
	}
	i, ok := a.lastIndex, a.last == e.Creator // e.Creator is not empty, last is until the first event
	if !ok {
		i, ok = a.index[e.Creator]
	}
	if e.Product != "" && e.Category != "" {
		// LVL-2: a product has one category, whichever event names it first, whoever selected it.
		if c := a.categoryOf[e.Product]; c != "" && c != e.Category {
			return fielderr.New(pkg, "event.category", strconv.Quote(string(e.Category)), "differs from %q, the category given before for product %s (LVL-2)", c, e.Product)
		}
	}
	if !ok {
		if len(a.tallies) == math.MaxInt32 {
			return fielderr.New(pkg, "event.creator", e.Creator, "too many creators in one aggregator: %w", affrules.ErrOutOfRange)
		}
		i = int32(len(a.tallies))
		a.index[e.Creator] = i
		a.creators = append(a.creators, e.Creator)
		a.tallies = append(a.tallies, tally{})
	}
	t := &a.tallies[i]
	if gmv.Units > math.MaxInt64-t.gmv {
		return fielderr.New(pkg, "event.gmv", e.GMV, "creator %s's GMV total overflows: %w", e.Creator, affrules.ErrOutOfRange)
	}
	a.last, a.lastIndex = e.Creator, i
	t.gmv += gmv.Units
	if e.Kind != Selection {
		t.days |= 1 << a.dayIndex(s) // LVL-4: several promotions on one day count once
	}
	if e.Product != "" {
		k := creatorProduct{creator: i, product: e.Product}
		c, seen := a.productsOf[k]
		if !seen {
			t.products++
		}
		if !seen || c == "" && e.Category != "" {
			a.productsOf[k] = e.Category
		}
		if e.Category != "" && a.categoryOf[e.Product] == "" {
			a.categoryOf[e.Product] = e.Category
		}
	}
	if e.Category != "" {
		k := creatorProduct{creator: i, product: string(e.Category)}
		if _, seen := a.categoriesOf[k]; !seen {
			a.categoriesOf[k] = struct{}{}
			t.categories++
		}
	}
	return nil
}

func (a *Aggregator) performance(t tally) Performance {
	return Performance{market: a.market.Code, month: a.month, gmv: t.gmv, activeDays: int32(bits.OnesCount32(t.days)),
		products: t.products, categories: t.categories, places: a.market.MinorUnit}
}

// Performance returns the performance of creator so far, without a capability (add one with
// [Performance.WithCapability]); a creator with no events has a performance of zero (no GMV, no
// active days, no breadth) in the aggregator's market and month, which [Evaluator.Refresh]
// accepts like any other.
func (a *Aggregator) Performance(creator string) Performance {
	if a == nil {
		return Performance{}
	}
	if i, ok := a.index[creator]; ok {
		return a.performance(a.tallies[i])
	}
	return Performance{market: a.market.Code, month: a.month, places: a.market.MinorUnit}
}

// All yields each creator with events and their performance, in the order of their first event.
// Its result can be passed straight to [Evaluator.Refresh] for the next month, unless the table
// in force sets a capability threshold: then the host adds each creator's capability first.
// Creators without events are not yielded: see [Aggregator.Performance] for them.
func (a *Aggregator) All() iter.Seq2[string, Performance] {
	return func(yield func(string, Performance) bool) {
		if a == nil {
			return
		}
		for i, c := range a.creators {
			if !yield(c, a.performance(a.tallies[i])) {
				return
			}
		}
	}
}
