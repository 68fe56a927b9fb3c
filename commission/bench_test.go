package commission_test

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

const (
	mixSize    = 1024
	historyLen = 100
)

// benchOffers returns five offers of product p1 in TH, one of each source and a second Target,
// whose histories hold 100 entries each from Sep 1, unevenly spaced (6 hours to 4 days apart,
// about 200 days in all), with rates going up and down (so that COM-10's delay has work to do),
// shop-ads rates on some entries, and tiers on Open.
func benchOffers() []commission.Offer {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, bangkok)
	hist := func(partner, tiers bool) affrules.Timeline[commission.Terms] {
		es := make([]affrules.Effective[commission.Terms], historyLen)
		for i := range es {
			t := commission.Terms{Rate: rate(fmt.Sprintf("%d%%", 2+rng.IntN(30)))}
			if i%3 == 0 {
				t.ShopAds = rate(fmt.Sprintf("%d%%", 2+rng.IntN(30)))
			}
			if partner {
				t.PartnerShare = rate(fmt.Sprintf("%d%%", rng.IntN(60)))
			}
			if tiers {
				t.Rate = rate(fmt.Sprintf("%d%%", 5+i/10))
				t.Tier = &commission.Tier{Threshold: 50, Rate: rate(fmt.Sprintf("%d%%", 20+i/10))}
			}
			from := start
			if i > 0 {
				from = es[i-1].From.Add(6*time.Hour + time.Duration(rng.Int64N(int64(90*time.Hour))))
			}
			es[i] = affrules.Effective[commission.Terms]{From: from, Value: t}
		}
		return history(es...)
	}
	period := affrules.Period{Start: start, End: start.Add(200 * 24 * time.Hour)}
	open := commission.Offer{ID: "open", Source: commission.Open, Market: affrules.TH, Product: "p1", Coverage: commission.Everyone,
		Period: affrules.Period{Start: start}, Rates: hist(false, rng.IntN(2) == 0)}
	t1 := commission.Offer{ID: "target-1", Source: commission.Target, Market: affrules.TH, Product: "p1", Coverage: commission.Listed,
		Creators: []string{"c1", "c2", "c3"}, Period: period, Rates: hist(false, false)}
	t2 := t1
	t2.ID, t2.Creators, t2.Rates = "target-2", []string{"c2", "c4"}, hist(false, false)
	cp := commission.Offer{ID: "plus", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "c1", Joined: start.Add(10 * 24 * time.Hour)}, {Creator: "c3", Joined: start.Add(40 * 24 * time.Hour)}},
		Period:  affrules.Period{Start: start, End: start.Add(60 * 24 * time.Hour)}, Rates: hist(false, false)}
	tap := commission.Offer{ID: "tap", Source: commission.Partner, Market: affrules.TH, Product: "p1", Coverage: commission.Listed,
		Creators: []string{"c2", "c3", "c4"}, Approved: true, Period: period, Rates: hist(true, false)}
	return []commission.Offer{open, t1, t2, cp, tap}
}

type benchCase struct {
	o  commission.Order
	at time.Time
	f  floorOrder
}

// benchCases returns 1,024 varied order lines: creators covered by different offers, instants over
// the histories and after them, shop-ads orders with and without authorised videos, order counts on both sides
// of the tier, promotion starts before and after rate cuts, prices from 0.01 to 99,999.99 THB.
func benchCases() []benchCase {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, bangkok)
	out := make([]benchCase, mixSize)
	for i := range out {
		at := start.Add(time.Duration(rng.Int64N(int64(230 * 24 * time.Hour))))
		since := at.Add(-time.Duration(rng.Int64N(int64(80 * 24 * time.Hour))))
		if since.Before(start) {
			since = start
		}
		price := rng.Int64N(10_000_000) + 1
		o := commission.Order{ID: fmt.Sprint("line-", i), Creator: fmt.Sprint("c", 1+rng.IntN(5)), Product: "p1", Market: affrules.TH,
			Attributed: rng.IntN(20) > 0, ShopAds: rng.IntN(3) == 0, VideoAuthorised: rng.IntN(4) > 0, OrderCount: 1 + rng.Int64N(100),
			PromotingSince: since, Currency: "THB", Price: decimal.New(price, -2), PlatformCoupon: decimal.New(price/10, -2),
			SellerCoupon: decimal.New(price/20, -2), Tax: decimal.New(price/15, -2), Shipping: decimal.New(300, -2)}
		out[i] = benchCase{o: o, at: at}
	}
	return out
}

func benchSetup(b testing.TB) (*commission.Evaluator, *commission.Book, []benchCase, *floorBook) {
	e := commission.MustNew(commission.DefaultPolicy())
	offers := benchOffers()
	book := mustBook(b, e, offers...)
	cases := benchCases()
	fb := newFloorBook(offers)
	for i := range cases {
		cases[i].f = newFloorOrder(cases[i].o, cases[i].at)
	}
	return e, book, cases, fb
}

// benchSetupAll is benchSetup with every offer applying to every order: creator c9 is listed by
// both Target offers and the partner campaign and is a member of the Collaboration Plus from the
// start, every period covers the orders' instants, and the orders fall within the histories.
func benchSetupAll(b testing.TB) (*commission.Evaluator, *commission.Book, []benchCase, *floorBook) {
	e := commission.MustNew(commission.DefaultPolicy())
	offers := benchOffers()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, bangkok)
	for i := range offers {
		o := &offers[i]
		switch o.Coverage {
		case commission.Listed:
			o.Creators = append(o.Creators, "c9")
		case commission.Members:
			o.Members = append(o.Members, commission.Member{Creator: "c9", Joined: start})
		}
		if o.Source != commission.Open {
			o.Period.End = start.Add(250 * 24 * time.Hour)
		}
	}
	book := mustBook(b, e, offers...)
	cases := benchCases()
	for i := range cases {
		c := &cases[i]
		c.o.Creator = "c9"
		c.at = start.Add(c.at.Sub(start) % (190 * 24 * time.Hour))
		if c.o.PromotingSince.After(c.at) {
			c.o.PromotingSince = c.at
		}
		c.o.Attributed = true
		c.f = newFloorOrder(c.o, c.at)
	}
	return e, book, cases, newFloorBook(offers)
}

// In benchSetupAll every one of the five offers applies to every order, and the floor agrees.
func TestFloorAgreesAllApply(t *testing.T) {
	e, book, cases, fb := benchSetupAll(t)
	for _, c := range cases {
		got, err := e.Compute(book, c.o, c.at)
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range got.Candidates() {
			if cd.Outcome != commission.Won && cd.Outcome != commission.Overridden {
				t.Fatalf("%s at %s: %s did not apply: %s", c.o.ID, c.at, cd.OfferID, cd.Reason)
			}
		}
		if amount, partner := fb.compute(&c.f); got.Amount.Units != amount || got.Partner.Units != partner {
			t.Fatalf("%s: evaluator %s (partner %s), floor %d (partner %d)", c.o.ID, got.Amount, got.Partner, amount, partner)
		}
	}
}

// The floor agrees with the evaluator on every benchmark case: both implement the same rules.
func TestFloorAgrees(t *testing.T) {
	e, book, cases, fb := benchSetup(t)
	earned := 0
	for _, c := range cases {
		got, err := e.Compute(book, c.o, c.at)
		if err != nil {
			t.Fatal(err)
		}
		amount, partner := fb.compute(&c.f)
		if got.Amount.Units != amount || got.Partner.Units != partner {
			t.Fatalf("%s at %s: evaluator %s (partner %s) by %s, floor %d (partner %d)\n%s", c.o.ID, c.at, got.Amount, got.Partner, got.OfferID, amount, partner, got.Explain())
		}
		if got.Earned() {
			earned++
		}
	}
	if earned < mixSize/2 {
		t.Errorf("only %d of %d cases earn: the mix is too thin", earned, mixSize)
	}
}

// Compute and ComputeInto on the hot path do not allocate: a resolution holds up to eight candidates inline
// (issue 12 allows one allocation).
func TestComputeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	e, book, cases, _ := benchSetup(t)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		c := &cases[i%mixSize]
		if _, err := e.Compute(book, c.o, c.at); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 0 {
		t.Errorf("Compute allocates %.1f times per call, want 0", allocs)
	}
	var into commission.Commission
	allocs = testing.AllocsPerRun(1000, func() {
		c := &cases[i%mixSize]
		if err := e.ComputeInto(&into, book, &c.o, c.at); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs > 0 {
		t.Errorf("ComputeInto allocates %.1f times per call, want 0", allocs)
	}
}

// BenchmarkCompute resolves and computes one order line against 5 applicable offers whose
// histories hold 100 entries each, cycling through 1,024 varied cases (target ≤ 300 ns/op and
// ≤ 1 alloc/op). Compare with BenchmarkFloor, run beside it.
func BenchmarkCompute(b *testing.B) { runCompute(b, benchSetup) }

// runCompute times Compute over the cases setup makes.
func runCompute(b *testing.B, setup func(testing.TB) (*commission.Evaluator, *commission.Book, []benchCase, *floorBook)) {
	e, book, cases, _ := setup(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := &cases[i%mixSize]
		if _, err := e.Compute(book, c.o, c.at); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkComputeInto is BenchmarkCompute through ComputeInto, as a run over many order lines
// calls it: each line passed by pointer, one Commission overwritten by each.
func BenchmarkComputeInto(b *testing.B) {
	e, book, cases, _ := benchSetup(b)
	b.ReportAllocs()
	var c commission.Commission
	i := 0
	for b.Loop() {
		k := &cases[i%mixSize]
		if err := e.ComputeInto(&c, book, &k.o, k.at); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkComputeAllApply is BenchmarkCompute with all five offers applying to every order
// (benchSetupAll). Compare with BenchmarkFloorAllApply.
func BenchmarkComputeAllApply(b *testing.B) { runCompute(b, benchSetupAll) }

// BenchmarkFloorAllApply is the floor on BenchmarkComputeAllApply's inputs.
func BenchmarkFloorAllApply(b *testing.B) { runFloor(b, benchSetupAll) }

var floorSink int64

// BenchmarkFloor is the plain-Go floor on BenchmarkCompute's inputs: the same rules by hand over
// integer instants and rates, returning the amounts and no reasons.
func BenchmarkFloor(b *testing.B) { runFloor(b, benchSetup) }

// runFloor times the plain-Go floor over the cases setup makes.
func runFloor(b *testing.B, setup func(testing.TB) (*commission.Evaluator, *commission.Book, []benchCase, *floorBook)) {
	_, _, cases, fb := setup(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a, p := fb.compute(&cases[i%mixSize].f)
		floorSink += a + p
		i++
	}
}

// BenchmarkComputeLongLists computes order lines of 1,024 creators drawn at random among the n
// members of a Collaboration Plus that a Target offer lists too, beside an Open offer: the cost
// of finding a creator among long coverage lists (COM-3, COM-12), which grows with the
// logarithm of n (a binary search, whose reads miss the cache more as the lists grow).
func BenchmarkComputeLongLists(b *testing.B) {
	e := commission.MustNew(commission.DefaultPolicy())
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, bangkok)
	for _, n := range []int{10, 1_000, 10_000} {
		cp := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
			Period: affrules.Period{Start: start}, Rates: history(at(start, "20%"))}
		t := commission.Offer{ID: "t", Source: commission.Target, Market: affrules.TH, Product: "p1", Coverage: commission.Listed,
			Period: affrules.Period{Start: start}, Rates: history(at(start, "10%"))}
		for i := range n {
			cp.Members = append(cp.Members, commission.Member{Creator: fmt.Sprintf("c%06d", i), Joined: start})
			t.Creators = append(t.Creators, fmt.Sprintf("c%06d", i))
		}
		open := commission.Offer{ID: "o", Source: commission.Open, Market: affrules.TH, Product: "p1", Coverage: commission.Everyone,
			Period: affrules.Period{Start: start}, Rates: history(at(start, "5%"))}
		book, err := e.Prepare(open, cp, t)
		if err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		orders := make([]commission.Order, 1024)
		for i := range orders {
			orders[i] = commission.Order{ID: "l", Creator: fmt.Sprintf("c%06d", rng.IntN(n)), Product: "p1", Market: affrules.TH, Attributed: true, OrderCount: 1,
				PromotingSince: start, Currency: "THB", Price: decimal.RequireFromString("100.00"), PlatformCoupon: decimal.Zero,
				SellerCoupon: decimal.Zero, Tax: decimal.Zero, Shipping: decimal.Zero}
		}
		at := start.Add(24 * time.Hour)
		b.Run(fmt.Sprint("members=", n), func(b *testing.B) {
			b.ReportAllocs()
			var c commission.Commission
			for i := 0; b.Loop(); i++ {
				if err := e.ComputeInto(&c, book, &orders[i%len(orders)], at); err != nil || c.Source != commission.CollabPlus {
					b.Fatal(err, c.Source)
				}
			}
		})
	}
}

// BenchmarkOfferMemoryPut puts an offer again into an OfferMemory holding n offers of other
// products: the Open-offer conflict check reads only the product's offers, so the cost is about
// flat in n.
func BenchmarkOfferMemoryPut(b *testing.B) {
	ctx := context.Background()
	rule := commission.DefaultPolicy().OfferRule()
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, bangkok)
	open := func(product string) commission.Offer {
		return commission.Offer{ID: "open-" + product, Source: commission.Open, Market: affrules.TH, Product: product, Coverage: commission.Everyone,
			Period: affrules.Period{Start: start}, Rates: history(at(start, "10%"))}
	}
	for _, n := range []int{10, 1_000, 10_000} {
		m := commission.NewOfferMemory()
		for i := range n {
			if _, err := m.Put(ctx, rule, open(fmt.Sprintf("p%06d", i)), start); err != nil {
				b.Fatal(err)
			}
		}
		o := open("p000000")
		b.Run(fmt.Sprint("offers=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Put(ctx, rule, o, start); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBatch computes 1,000,000 order lines (the 1,024 cases, cycled) per iteration and
// reports the time per order line.
func BenchmarkBatch(b *testing.B) {
	e, book, cases, _ := benchSetup(b)
	const n = 1_000_000
	b.ReportAllocs()
	var total int64
	for b.Loop() {
		for i := range n {
			c := &cases[i%mixSize]
			r, err := e.Compute(book, c.o, c.at)
			if err != nil {
				b.Fatal(err)
			}
			total += r.Amount.Units
		}
	}
	floorSink += total
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/order")
}

// The floor: offers and orders reduced to integers, resolved by hand with the default policy's
// rules (COM-3..6, COM-10..13) and computed with integer arithmetic (COM-1, COM-7).

type floorEntry struct {
	from                       int64
	rate, shopAds, tier, share int64
	threshold                  int64
}

type floorOffer struct {
	id         string
	source     commission.Source
	start, end int64 // end 0: none
	creators   []string
	members    []string
	joined     []int64
	approved   bool
	hist       []floorEntry
}

type floorBook struct{ offers []floorOffer }

type floorOrder struct {
	creator                         string
	attributed, shopAds, authorised bool
	count, since, at, base          int64
}

func units(r affrules.Rate) int64 { return r.Decimal().Shift(9).IntPart() }

func newFloorBook(offers []commission.Offer) *floorBook {
	fb := &floorBook{}
	for _, o := range offers {
		f := floorOffer{id: o.ID, source: o.Source, start: o.Period.Start.UnixNano(), creators: o.Creators, approved: o.Approved}
		if !o.Period.End.IsZero() {
			f.end = o.Period.End.UnixNano()
		}
		for _, m := range o.Members {
			f.members = append(f.members, m.Creator)
			f.joined = append(f.joined, m.Joined.UnixNano())
		}
		for from, t := range o.Rates.All() {
			e := floorEntry{from: from.UnixNano(), rate: units(t.Rate), shopAds: units(t.ShopAds), share: units(t.PartnerShare)}
			if t.Tier != nil {
				e.tier, e.threshold = units(t.Tier.Rate), t.Tier.Threshold
			}
			f.hist = append(f.hist, e)
		}
		fb.offers = append(fb.offers, f)
	}
	// by ID, as a Book orders them
	for i := 1; i < len(fb.offers); i++ {
		for j := i; j > 0 && fb.offers[j].id < fb.offers[j-1].id; j-- {
			fb.offers[j], fb.offers[j-1] = fb.offers[j-1], fb.offers[j]
		}
	}
	return fb
}

func newFloorOrder(o commission.Order, at time.Time) floorOrder {
	base := o.Price.Sub(o.PlatformCoupon).Sub(o.SellerCoupon).Sub(o.Tax).Shift(2).IntPart()
	return floorOrder{creator: o.Creator, attributed: o.Attributed, shopAds: o.ShopAds, authorised: o.VideoAuthorised,
		count: o.OrderCount, since: o.PromotingSince.UnixNano(), at: at.UnixNano(), base: base}
}

// default precedence: COLLAB_PLUS, PARTNER, TARGET, OPEN, for both lists
var floorRank = [...]int{commission.CollabPlus: 0, commission.Partner: 1, commission.Target: 2, commission.Open: 3}

const floorDelay = int64(30 * 24 * time.Hour)

func floorRate(e *floorEntry, count int64, shopAds bool) int64 {
	if shopAds && e.shopAds != 0 {
		return e.shopAds
	}
	if e.threshold != 0 && count >= e.threshold {
		return e.tier
	}
	return e.rate
}

func floorSearch(h []floorEntry, t int64) int {
	lo, hi := 0, len(h)
	for lo < hi {
		m := (lo + hi) / 2
		if h[m].from > t {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

func (fb *floorBook) compute(o *floorOrder) (amount, partner int64) {
	if !o.attributed {
		return 0, 0
	}
	shopAds := o.shopAds && o.authorised
	since := o.since
	for k := range fb.offers { // COM-10: back from a Collaboration Plus
		f := &fb.offers[k]
		if f.source != commission.CollabPlus || f.end == 0 || f.end > o.at {
			continue
		}
		for j, m := range f.members {
			if m == o.creator && f.joined[j] < f.end && f.end > since {
				since = f.end
			}
		}
	}
	best, bestRank, bestRate, bestShare := -1, 99, int64(0), int64(0)
	for k := range fb.offers {
		f := &fb.offers[k]
		if o.at < f.start || (f.end != 0 && o.at >= f.end) {
			continue
		}
		ok := f.source == commission.Open
		for _, c := range f.creators {
			ok = ok || c == o.creator
		}
		for j, m := range f.members {
			ok = ok || (m == o.creator && f.joined[j] <= o.at)
		}
		if !ok || (f.source == commission.Partner && !f.approved) || len(f.hist) == 0 {
			continue
		}
		cur := floorSearch(f.hist, o.at)
		if cur < 0 {
			continue
		}
		r := floorRate(&f.hist[cur], o.count, shopAds)
		if f.source == commission.Open {
			lo := max(o.at-floorDelay, since)
			for j := max(floorSearch(f.hist, lo), 0); j < cur; j++ {
				r = max(r, floorRate(&f.hist[j], o.count, shopAds))
			}
		}
		if rank := floorRank[f.source]; rank < bestRank || (rank == bestRank && r > bestRate) {
			best, bestRank, bestRate, bestShare = k, rank, r, f.hist[cur].share
		}
	}
	if best < 0 {
		return 0, 0
	}
	hi, lo := bits.Mul64(uint64(o.base), uint64(bestRate))
	q, rem := bits.Div64(hi, lo, 1e9)
	if rem >= 1e9-rem && rem != 0 {
		q++
	}
	if fb.offers[best].source == commission.Partner {
		hi, lo := bits.Mul64(uint64(o.base), uint64(bestRate))
		h2, l2 := bits.Mul64(lo, uint64(bestShare))
		p, r2 := bits.Div64(hi*uint64(bestShare)+h2, l2, 1e18)
		if r2 >= 1e18-r2 && r2 != 0 {
			p++
		}
		return int64(q), int64(p)
	}
	return int64(q), 0
}

// BenchmarkPrepareRelistLongTiered prepares a tiered OPEN offer of 10,000 rate versions and its
// relisting at its end with as many (CMP-7's check of what the relisting pays against what the
// first still owes): each tier threshold is compared once, whatever the number of versions that
// name it (it was compared once per version, 10,000² times).
func BenchmarkPrepareRelistLongTiered(b *testing.B) {
	e := commission.MustNew(commission.DefaultPolicy())
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const r = 10_000
	end := start.Add(r * time.Minute)
	var first, second []affrules.Effective[commission.Terms]
	for i := range r {
		at := time.Duration(i) * time.Minute
		first = append(first, affrules.Effective[commission.Terms]{From: start.Add(at), Value: commission.Terms{Rate: affrules.MustParseRate("10%"), Tier: &commission.Tier{Threshold: 5, Rate: affrules.MustParseRate("20%")}}})
		second = append(second, affrules.Effective[commission.Terms]{From: end.Add(at), Value: commission.Terms{Rate: affrules.MustParseRate("50%"), Tier: &commission.Tier{Threshold: 5, Rate: affrules.MustParseRate("60%")}}})
	}
	a, err := affrules.NewTimeline(first...)
	if err != nil {
		b.Fatal(err)
	}
	c, err := affrules.NewTimeline(second...)
	if err != nil {
		b.Fatal(err)
	}
	o1 := commission.Offer{ID: "o1", Source: commission.Open, Market: affrules.TH, Product: "p", Coverage: commission.Everyone, Period: affrules.Period{Start: start, End: end}, Rates: a}
	o2 := commission.Offer{ID: "o2", Source: commission.Open, Market: affrules.TH, Product: "p", Coverage: commission.Everyone, Period: affrules.Period{Start: end}, Rates: c}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Prepare(o1, o2); err != nil {
			b.Fatal(err)
		}
	}
}
