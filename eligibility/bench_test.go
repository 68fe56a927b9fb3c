package eligibility_test

import (
	"iter"
	"slices"
	"testing"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

func benchSetup(b *testing.B) (*eligibility.Evaluator, eligibility.Result) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
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

// BenchmarkProductFail: the product is frozen and fails ELG-3 and ELG-4 (target ≤ 300 ns/op).
func BenchmarkProductFail(b *testing.B) {
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

// BenchmarkRunMillionProducts evaluates a daily run of 1,000,000 products over 1,000 shops,
// generated on the fly; about one product in five fails a rule and one in fifteen has ELG-3 not
// applicable (both allocate their reasons).
func BenchmarkRunMillionProducts(b *testing.B) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
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
		run, err := e.NewRun(t0, slices.Values(shops))
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

// TestProductPassAllocs pins the pass path's zero allocations (the benchmark reports them too).
func TestProductPassAllocs(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
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
