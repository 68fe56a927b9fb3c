package eligibility_test

import (
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

func benchSetup(b *testing.B) (*eligibility.Evaluator, eligibility.Result) {
	e := eligibility.MustNew(thaiPolicy())
	shop, err := e.Shop(goodShop(affrules.TH), t0)
	if err != nil || !shop.Eligible() {
		b.Fatal(err, shop.Decision)
	}
	return e, shop
}

// BenchmarkProductPass: every rule applies and passes (target ≤ 30 ns/op, 0 allocs/op).
func BenchmarkProductPass(b *testing.B) {
	e, shop := benchSetup(b)
	p := goodProduct(affrules.TH, affrules.Electronics)
	b.ReportAllocs()
	for b.Loop() {
		r, err := e.Product(p, shop, t0)
		if err != nil || !r.Decision.Allowed {
			b.Fatal(err, r.Decision)
		}
	}
}

// BenchmarkProductFailOwn: the product is frozen and fails ELG-3 and ELG-4, its shop eligible:
// the case BenchmarkProductFail measured before it covered every reason.
func BenchmarkProductFailOwn(b *testing.B) {
	e, shop := benchSetup(b)
	p := goodProduct(affrules.TH, affrules.Electronics)
	p.NegativeReviewOrders, p.SellerFaultRefunds, p.RefundCases, p.Frozen = 20, 30, 30, true
	b.ReportAllocs()
	for b.Loop() {
		r, err := e.Product(p, shop, t0)
		if err != nil || len(r.Decision.Reasons) != 3 {
			b.Fatal(err, r.Decision)
		}
	}
}

// dailyVersions is an evaluator of n policy versions of the seed thresholds, a day apart from
// first.
func dailyVersions(b *testing.B, first time.Time, n int) *eligibility.Evaluator {
	b.Helper()
	var es []affrules.Effective[eligibility.Thresholds]
	for i := range n {
		es = append(es, affrules.Effective[eligibility.Thresholds]{From: first.AddDate(0, 0, i), Value: eligibility.SeedThresholds()})
	}
	tl, err := affrules.NewTimeline(es...)
	if err != nil {
		b.Fatal(err)
	}
	return eligibility.MustNew(eligibility.Policy{PerMarket: affrules.PerMarket[eligibility.Thresholds]{Default: tl}})
}

// BenchmarkProductFailManyVersions: a product failing ELG-3 under every one of n policy versions,
// a day apart, evaluated under the first: its NextAllowed looks at each later version once
// (MKT-5), so the cost grows linearly with n, not with its square.
func BenchmarkProductFailManyVersions(b *testing.B) {
	first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 100, 1000} {
		e := dailyVersions(b, first, n)
		at := first.Add(time.Hour)
		shop, err := e.Shop(goodShop(affrules.TH), at)
		if err != nil || !shop.Eligible() {
			b.Fatal(err, shop.Decision)
		}
		p := goodProduct(affrules.TH, affrules.Electronics)
		p.NegativeReviewOrders = 50 // 5% of the orders
		b.Run(fmt.Sprint("versions=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r, err := e.Product(p, shop, at); err != nil || r.Decision.Allowed {
					b.Fatal(err, r.Decision)
				}
			}
		})
	}
}

// BenchmarkShopFailManyVersions: a shop whose violation was yesterday, evaluated under the first
// of n daily policy versions. The version in force is found by a scan back from the latest, so
// the cost grows with n, by about 1 ns a version: policies have few versions, and a binary
// search cost every evaluation a nanosecond or two.
func BenchmarkShopFailManyVersions(b *testing.B) {
	first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 100, 10000} {
		e := dailyVersions(b, first, n)
		at := first.Add(time.Hour)
		s := goodShop(affrules.TH)
		s.LastCounterfeitViolation = at.Add(-24 * time.Hour)
		b.Run(fmt.Sprint("versions=", n), func(b *testing.B) {
			var r eligibility.Result
			var buf []affrules.Reason
			b.ReportAllocs()
			for b.Loop() {
				if err := e.ShopInto(&r, buf[:0], &s, at); err != nil || r.Decision.Allowed {
					b.Fatal(err, r.Decision)
				}
				buf = r.Decision.Reasons
			}
		})
	}
}

// BenchmarkProductMix cycles through 1,024 varied products of a daily run (see mixItems): pass,
// fail, not applicable, several markets and categories, TH before and after the Thai override,
// products of ineligible shops. Compare with BenchmarkFloorMix.
func BenchmarkProductMix(b *testing.B) {
	benchProducts(b, mixItems(b, eligibility.MustNew(thaiPolicy())))
}

// BenchmarkProductFail cycles through 1,024 varied products that fail every rule, each decision
// with five reasons (ELG-6, ELG-3, ELG-4 and the shop's ELG-1, ELG-2). Compare with
// BenchmarkFloorFail.
func BenchmarkProductFail(b *testing.B) {
	benchProducts(b, failItems(b, eligibility.MustNew(thaiPolicy())))
}

// BenchmarkProductFailAppend is BenchmarkProductFail through AppendProduct, one reasons array
// reused from call to call, as a daily run that stores each result before the next does: every
// reason built, no allocation.
func BenchmarkProductFailAppend(b *testing.B) {
	benchAppend(b, failItems(b, eligibility.MustNew(thaiPolicy())))
}

// BenchmarkProductMixAppend is BenchmarkProductMix through AppendProduct, as
// BenchmarkProductFailAppend.
func BenchmarkProductMixAppend(b *testing.B) {
	benchAppend(b, mixItems(b, eligibility.MustNew(thaiPolicy())))
}

// BenchmarkProductInto is BenchmarkProductMixAppend through ProductInto: the product and the shop
// result by pointer, one Result reused from call to call.
func BenchmarkProductInto(b *testing.B) {
	e := eligibility.MustNew(thaiPolicy())
	items := mixItems(b, e)
	b.ReportAllocs()
	var buf []affrules.Reason
	var r eligibility.Result
	i := 0
	for b.Loop() {
		it := &items[i%mixSize]
		if err := e.ProductInto(&r, buf[:0], &it.p, &it.shop, it.at); err != nil {
			b.Fatal(err)
		}
		if r.Decision.Reasons != nil {
			buf = r.Decision.Reasons
		}
		i++
	}
}

func benchAppend(b *testing.B, items []item) {
	e := eligibility.MustNew(thaiPolicy())
	b.ReportAllocs()
	var buf []affrules.Reason
	i := 0
	for b.Loop() {
		it := &items[i%mixSize]
		r, err := e.AppendProduct(buf[:0], it.p, it.shop, it.at)
		if err != nil {
			b.Fatal(err)
		}
		if r.Decision.Reasons != nil {
			buf = r.Decision.Reasons
		}
		i++
	}
}

func benchProducts(b *testing.B, items []item) {
	e := eligibility.MustNew(thaiPolicy())
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		it := &items[i%mixSize]
		if _, err := e.Product(it.p, it.shop, it.at); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFloorMix is the plain-Go floor on BenchmarkProductMix's inputs: ELG-1..6 by hand with
// integer comparisons, returning a bitmask and no reasons.
func BenchmarkFloorMix(b *testing.B) {
	benchFloor(b, mixItems(b, eligibility.MustNew(thaiPolicy())))
}

// BenchmarkFloorFail is the plain-Go floor on BenchmarkProductFail's inputs.
func BenchmarkFloorFail(b *testing.B) {
	benchFloor(b, failItems(b, eligibility.MustNew(thaiPolicy())))
}

var floorSink uint8

func benchFloor(b *testing.B, items []item) {
	ats := make([]int64, len(items))
	for i := range items {
		ats[i] = items[i].at.UnixNano()
	}
	b.ReportAllocs()
	i := 0
	var m uint8
	for b.Loop() {
		k := i % mixSize
		m |= floor(&items[k].p, &items[k].facts, ats[k])
		i++
	}
	floorSink = m
}

// BenchmarkShopPass cycles through 1,024 eligible shops in five markets, with ratings of other
// exponents than the policy's minimums (2.5, and 3 in TH) and old counterfeit violations.
func BenchmarkShopPass(b *testing.B) {
	e := eligibility.MustNew(thaiPolicy())
	shops := passShops()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := &shops[i%mixSize]
		if r, err := e.Shop(*s, t0); err != nil || !r.Eligible() {
			b.Fatal(err, r.Decision)
		}
		i++
	}
}

// passShops returns mixSize eligible shops, varied.
func passShops() []eligibility.Shop {
	markets := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH, affrules.VN, affrules.MY}
	ratings := []string{"3", "3.0", "3.05", "4.6", "5", "4.99", "3.50", "4.125"}
	shops := make([]eligibility.Shop, mixSize)
	for i := range shops {
		shops[i] = eligibility.Shop{ID: "s", Market: markets[i%len(markets)], StoreRating: dec(ratings[i%len(ratings)])}
		if i%3 == 0 {
			shops[i].LastCounterfeitViolation = t0.Add(-affrules.Days(61 + i%100))
		}
	}
	return shops
}

// BenchmarkRunMillionProducts evaluates a daily run of 1,000,000 products over 1,000 shops,
// generated on the fly; about one product in five fails a rule and one in fifteen has ELG-3 not
// applicable (both allocate their reasons).
func BenchmarkRunMillionProducts(b *testing.B) {
	e := eligibility.MustNew(thaiPolicy())
	const nShops, nProducts = 1000, 1_000_000
	shops := make([]eligibility.Shop, nShops)
	ids := make([]string, nShops)
	for i := range shops {
		ids[i] = "shop-" + itoa(i)
		shops[i] = eligibility.Shop{ID: ids[i], Market: []affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH, affrules.VN}[i%4], StoreRating: dec("4.1")}
	}
	products := func(yield func(eligibility.Product) bool) {
		for i := range nProducts {
			s := &shops[i%nShops]
			p := eligibility.Product{ID: "p", ShopID: s.ID, Market: s.Market, Category: categories[i%4],
				Orders: 1000, Reviews: int64(i%9 + i%25), NegativeReviewOrders: int64(i % 9), RefundCases: 5 + int64(i%7), SellerFaultRefunds: int64(i % 5)}
			if !yield(p) {
				return
			}
		}
	}
	var seq iter.Seq[eligibility.Product] = products
	b.ReportAllocs()
	for b.Loop() {
		run, err := e.NewRun(slices.Values(shops), t0)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range run.Products(seq) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != nProducts {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/nProducts, "ns/product")
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// TestProductPassAllocs pins the pass path's zero allocations (the benchmark reports them too)
// (issue 8).
func TestProductPassAllocs(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	shop := eligibleShop(t, e, affrules.TH)
	p := goodProduct(affrules.TH, affrules.Electronics)
	atMinimum := p
	atMinimum.Reviews, atMinimum.NegativeReviewOrders = 5, 0 // ELG-3 applies from exactly 5 reviews
	for _, p := range []eligibility.Product{p, atMinimum} {
		allocs := testing.AllocsPerRun(100, func() {
			if r, err := e.Product(p, shop, t0); err != nil || !r.Eligible() {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Fatalf("pass path allocates %v times for %+v", allocs, p)
		}
	}
}

// TestAllocs pins the allocations of issue 8's targets: at most one per product on the mix and on
// the fail path with every reason (its reasons), none for an eligible shop.
func TestAllocs(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	for name, items := range map[string][]item{"mix": mixItems(t, e), "fail": failItems(t, e)} {
		worst := 0.0
		for i := range items {
			it := &items[i]
			worst = max(worst, testing.AllocsPerRun(50, func() {
				if _, err := e.Product(it.p, it.shop, it.at); err != nil {
					t.Fatal(err)
				}
			}))
		}
		if worst > 1 {
			t.Errorf("%s: a product allocates %v times, want at most 1", name, worst)
		}
	}
	for _, s := range passShops() {
		if allocs := testing.AllocsPerRun(5, func() {
			if r, err := e.Shop(s, t0); err != nil || !r.Eligible() {
				t.Fatal(err)
			}
		}); allocs != 0 {
			t.Fatalf("Shop allocates %v times for %+v", allocs, s)
		}
	}
	// A failing shop allocates its reasons once.
	s := eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: dec("2.9"), LastCounterfeitViolation: t0.Add(-time.Hour), Deactivated: true}
	if allocs := testing.AllocsPerRun(20, func() { _, _ = e.Shop(s, t0) }); allocs > 1 {
		t.Errorf("a failing shop allocates %v times, want at most 1", allocs)
	}
}

// TestAppendAllocs pins AppendProduct's, ProductInto's, AppendShop's and ShopInto's promise: with an array large enough, no
// allocation on any product of the mix or the fail path, nor on a failing shop (issue 8).
func TestAppendAllocs(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	buf := make([]affrules.Reason, 0, 8)
	for name, items := range map[string][]item{"mix": mixItems(t, e), "fail": failItems(t, e)} {
		for i := range items {
			it := &items[i]
			if allocs := testing.AllocsPerRun(20, func() {
				if _, err := e.AppendProduct(buf, it.p, it.shop, it.at); err != nil {
					t.Fatal(err)
				}
			}); allocs != 0 {
				t.Fatalf("%s: AppendProduct allocates %v times for %+v", name, allocs, it.p)
			}
			var r eligibility.Result
			if allocs := testing.AllocsPerRun(20, func() {
				if err := e.ProductInto(&r, buf, &it.p, &it.shop, it.at); err != nil {
					t.Fatal(err)
				}
			}); allocs != 0 {
				t.Fatalf("%s: ProductInto allocates %v times for %+v", name, allocs, it.p)
			}
		}
	}
	s := eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: dec("2.9"), LastCounterfeitViolation: t0.Add(-time.Hour), Deactivated: true}
	if allocs := testing.AllocsPerRun(20, func() { _, _ = e.AppendShop(buf, s, t0) }); allocs != 0 {
		t.Errorf("a failing shop through AppendShop allocates %v times, want none", allocs)
	}
	var r eligibility.Result
	if allocs := testing.AllocsPerRun(20, func() { _ = e.ShopInto(&r, buf, &s, t0) }); allocs != 0 {
		t.Errorf("a failing shop through ShopInto allocates %v times, want none", allocs)
	}
}

var reasonsSink []affrules.Reason

// BenchmarkReasonsAlloc is the cost of the fail path's one allocation alone: five reasons, as
// BenchmarkProductFail returns. It bounds how close the fail path can come to the floor.
func BenchmarkReasonsAlloc(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		reasonsSink = make([]affrules.Reason, 5)
	}
}

// A store rating or a policy minimum written with many decimal places (a NUMERIC(20,18) column:
// 4.600000000000000000) is compared in place, as a short one is: a shop passing, and a failing
// shop's NextAllowed under a later version whose minimum has another exponent (the Thai guide's
// 3 against a rating of 4.5), allocate nothing through ShopInto. (A failing shop's reason keeps
// its rating exactly: one of more than 18 digits is kept as its digits, which allocates.)
func TestRatingDigitsAllocateNothing(t *testing.T) {
	thai, err := eligibility.DefaultPolicy().WithOverride(affrules.TH, eligibility.ThaiGuideEffective(), eligibility.ThaiThresholds())
	require.NoError(t, err)
	long := eligibility.DefaultPolicy()
	th := eligibility.SeedThresholds()
	th.MinStoreRating = dec("2.500000000000000000")
	long, err = long.WithOverride(affrules.MY, time.Time{}, th)
	require.NoError(t, err)
	before := eligibility.ThaiGuideEffective().AddDate(0, -1, 0)
	for _, tc := range []struct {
		name   string
		p      eligibility.Policy
		market affrules.MarketCode
		rating string
		at     time.Time
		fails  bool
	}{
		{"18 places, passing", eligibility.DefaultPolicy(), affrules.TH, "4.600000000000000000", t0, false},
		{"18 places, failing on a shorter one", eligibility.DefaultPolicy(), affrules.TH, "2.4", t0, true},
		{"a later minimum of another exponent", thai, affrules.TH, "4.5", before, true},
		{"a policy minimum of 18 places", long, affrules.MY, "4.6", t0, false},
	} {
		e := eligibility.MustNew(tc.p)
		s := eligibility.Shop{ID: "s", Market: tc.market, StoreRating: dec(tc.rating)}
		if tc.name == "a later minimum of another exponent" {
			s.LastCounterfeitViolation = tc.at.Add(-time.Hour)
		}
		var r eligibility.Result
		buf := make([]affrules.Reason, 0, 8)
		require.NoError(t, e.ShopInto(&r, buf, &s, tc.at), tc.name)
		require.Equal(t, tc.fails, !r.Eligible(), "%s: %v", tc.name, r.Decision)
		if allocs := testing.AllocsPerRun(50, func() { _ = e.ShopInto(&r, buf, &s, tc.at) }); allocs != 0 {
			t.Errorf("%s: ShopInto allocates %v times", tc.name, allocs)
		}
	}
}
