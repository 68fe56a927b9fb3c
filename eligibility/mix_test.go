package eligibility_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// The benchmarks and allocation guards run on generated, varied inputs: one repeated case
// flatters through branch prediction (CONVENTIONS.md, habit 15).

// item is one product to evaluate with its shop's result, and the shop's facts as plain integers
// for the floor.
type item struct {
	p     eligibility.Product
	shop  eligibility.Result
	at    time.Time
	facts floorShop
}

// floorShop is a shop's facts as the plain-Go floor reads them.
type floorShop struct {
	ratingCenti int64 // store rating × 100
	violation   int64 // last counterfeit violation, Unix nanoseconds; 0 if none
	deactivated bool
}

const mixSize = 1024

// thBefore is an instant before the Thai override, when TH uses the seed thresholds (ELG-10).
var thBefore = eligibility.ThaiGuideEffective().Add(-10 * 24 * time.Hour)

func newItem(tb testing.TB, e *eligibility.Evaluator, s eligibility.Shop, p eligibility.Product, at time.Time) item {
	tb.Helper()
	shop, err := e.Shop(s, at)
	if err != nil {
		tb.Fatal(err)
	}
	p.ShopID, p.Market = s.ID, s.Market
	f := floorShop{ratingCenti: s.StoreRating.Shift(2).IntPart(), deactivated: s.Deactivated}
	if !s.LastCounterfeitViolation.IsZero() {
		f.violation = s.LastCounterfeitViolation.UnixNano()
	}
	return item{p: p, shop: shop, at: at, facts: f}
}

// mixItems returns mixSize varied products of a daily run: about half pass every rule; the rest
// have a rule not applicable, fail ELG-3 or ELG-4, are frozen or delisted, or belong to a shop
// that is not eligible (low rating, recent counterfeit violation, deactivated), in five markets
// (TH before and after the Thai override) and the four seed categories.
func mixItems(tb testing.TB, e *eligibility.Evaluator) []item {
	rng := rand.New(rand.NewPCG(1, 2))
	markets := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH, affrules.VN, affrules.MY}
	items := make([]item, 0, mixSize)
	for i := range mixSize {
		market := markets[rng.IntN(len(markets))]
		at := t0
		if market == affrules.TH && rng.IntN(2) == 0 {
			at = thBefore
		}
		s := eligibility.Shop{ID: "shop-" + itoa(i%97), Market: market, StoreRating: decimal.New(30+rng.Int64N(21), -1)} // 3.0–5.0
		switch r := rng.IntN(100); {
		case r < 6:
			s.StoreRating = decimal.New(20+rng.Int64N(5), -1) // 2.0–2.4: ELG-2 fails
		case r < 11:
			s.LastCounterfeitViolation = at.Add(-time.Duration(1+rng.IntN(50)) * 24 * time.Hour) // ELG-1 fails
		case r < 12:
			s.Deactivated = true // ELG-6
		}
		orders := 200 + rng.Int64N(4800)
		p := eligibility.Product{ID: "p-" + itoa(i), Category: categories[rng.IntN(len(categories))], Orders: orders}
		p.Reviews = 5 + rng.Int64N(300)
		p.NegativeReviewOrders = min(p.Reviews, rng.Int64N(orders/250+1)) // below 0.4%: passes
		p.RefundCases = 5 + rng.Int64N(60)
		p.SellerFaultRefunds = min(p.RefundCases, rng.Int64N(orders/100+1)) // below 1%: passes
		switch r := rng.IntN(100); {
		case r < 55: // passes
		case r < 65: // ELG-3 not applicable
			p.Reviews = rng.Int64N(5)
			p.NegativeReviewOrders = min(p.NegativeReviewOrders, p.Reviews)
		case r < 72: // ELG-4 not applicable
			p.RefundCases = rng.Int64N(5)
			p.SellerFaultRefunds = min(p.SellerFaultRefunds, p.RefundCases)
		case r < 76: // both not applicable
			p.Reviews, p.RefundCases = rng.Int64N(5), rng.Int64N(5)
			p.NegativeReviewOrders, p.SellerFaultRefunds = min(p.NegativeReviewOrders, p.Reviews), min(p.SellerFaultRefunds, p.RefundCases)
		case r < 86: // ELG-3 fails: 1.5–3%
			p.NegativeReviewOrders = orders * (15 + rng.Int64N(16)) / 1000
			p.Reviews = p.NegativeReviewOrders + rng.Int64N(100)
		case r < 94: // ELG-4 fails: 2–4%
			p.SellerFaultRefunds = orders * (2 + rng.Int64N(3)) / 100
			p.RefundCases = p.SellerFaultRefunds + rng.Int64N(20)
		case r < 97:
			p.Frozen = true
		default:
			p.Delisted = true
		}
		items = append(items, newItem(tb, e, s, p, at))
	}
	return items
}

// failItems returns mixSize products that fail every rule at once, varied in market, instant,
// category and counts: the product is frozen (ELG-6) and fails ELG-3 and ELG-4, and its shop
// fails ELG-1 and ELG-2, so each decision carries five reasons.
func failItems(tb testing.TB, e *eligibility.Evaluator) []item {
	rng := rand.New(rand.NewPCG(3, 4))
	markets := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH, affrules.VN, affrules.MY}
	items := make([]item, 0, mixSize)
	for i := range mixSize {
		market := markets[rng.IntN(len(markets))]
		at := t0
		if market == affrules.TH && rng.IntN(2) == 0 {
			at = thBefore
		}
		s := eligibility.Shop{ID: "shop-" + itoa(i%31), Market: market, StoreRating: decimal.New(rng.Int64N(25), -1),
			LastCounterfeitViolation: at.Add(-time.Duration(1+rng.IntN(50)) * time.Hour * 24)}
		orders := 200 + rng.Int64N(4800)
		p := eligibility.Product{ID: "p-" + itoa(i), Category: categories[rng.IntN(len(categories))], Orders: orders, Frozen: true}
		p.NegativeReviewOrders = orders * (3 + rng.Int64N(5)) / 100
		p.Reviews = p.NegativeReviewOrders + rng.Int64N(50)
		p.SellerFaultRefunds = orders * (4 + rng.Int64N(5)) / 100
		p.RefundCases = p.SellerFaultRefunds + rng.Int64N(50)
		items = append(items, newItem(tb, e, s, p, at))
	}
	return items
}

// Floor bits: which rule fails, or that the input is an error.
const (
	floorELG1 = 1 << iota
	floorELG2
	floorELG3
	floorELG4
	floorELG6
	floorError
)

var floorThai = eligibility.ThaiGuideEffective().UnixNano()

// floor is ELG-1..6 for the benchmarks' policy (thaiPolicy) written out by hand in plain Go with integer
// comparisons only: the fastest this decision can be made, with no reasons. Rates are in parts
// per 10,000.
func floor(p *eligibility.Product, s *floorShop, at int64) uint8 {
	th := p.Market == affrules.TH && at >= floorThai
	var neg, ref int64
	switch p.Category {
	case affrules.Electronics:
		neg, ref = 100, 200
		if th {
			neg = 130
		}
	case affrules.Fashion:
		neg, ref = 70, 180
		if th {
			neg = 80
		}
	case affrules.Lifestyle:
		neg, ref = 70, 180
		if th {
			ref = 150
		}
	case affrules.FMCG:
		neg, ref = 60, 150
		if th {
			neg, ref = 80, 180
		}
	default:
		return floorError // ELG-5
	}
	minRating := int64(250)
	if th {
		minRating = 300
	}
	if p.Orders|p.Reviews|p.NegativeReviewOrders|p.RefundCases|p.SellerFaultRefunds|
		(p.Reviews-p.NegativeReviewOrders)|(p.Orders-p.NegativeReviewOrders)|
		(p.RefundCases-p.SellerFaultRefunds)|(p.Orders-p.SellerFaultRefunds) < 0 {
		return floorError
	}
	negApplies, refApplies := p.Reviews >= 5, p.RefundCases >= 5
	if p.Orders == 0 && (negApplies || refApplies) {
		return floorError // ELG-5
	}
	var m uint8
	if s.violation != 0 && at-s.violation < 60*24*int64(time.Hour) {
		m |= floorELG1
	}
	if s.ratingCenti < minRating {
		m |= floorELG2
	}
	if negApplies && p.NegativeReviewOrders*10000 >= neg*p.Orders {
		m |= floorELG3
	}
	if refApplies && p.SellerFaultRefunds*10000 >= ref*p.Orders {
		m |= floorELG4
	}
	if p.Frozen || p.Delisted || s.deactivated || p.Previous == eligibility.PermanentlyDisqualified {
		m |= floorELG6
	}
	return m
}

// The floor and the evaluator agree on every generated input, so the benchmarks compare the same
// decisions; the mix has the variety it claims.
func TestBenchmarkInputs(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	var states [4]int
	var na, ineligibleShop, thaiBefore, thaiAfter int
	for _, it := range mixItems(t, e) {
		r, err := e.Product(it.p, it.shop, it.at)
		if err != nil {
			t.Fatal(err)
		}
		if m := floor(&it.p, &it.facts, it.at.UnixNano()); (m == 0) != r.Eligible() || m&floorError != 0 {
			t.Fatalf("floor %b, evaluator %s for %+v", m, r.Decision, it.p)
		}
		states[r.State]++
		if len(ruleIDs(r.Decision.Reasons, affrules.NotApplicable)) > 0 {
			na++
		}
		if !it.shop.Eligible() {
			ineligibleShop++
		}
		if it.p.Market == affrules.TH {
			if it.at.Before(eligibility.ThaiGuideEffective()) {
				thaiBefore++
			} else {
				thaiAfter++
			}
		}
	}
	t.Logf("eligible %d, temporarily %d, permanently %d; with a rule not applicable %d; of ineligible shops %d; TH before/after the override %d/%d",
		states[eligibility.Eligible], states[eligibility.TemporarilyDisqualified], states[eligibility.PermanentlyDisqualified], na, ineligibleShop, thaiBefore, thaiAfter)
	for _, n := range []int{states[eligibility.Eligible], states[eligibility.TemporarilyDisqualified], states[eligibility.PermanentlyDisqualified], na, ineligibleShop, thaiBefore, thaiAfter} {
		if n < 20 {
			t.Fatalf("the mix lacks variety")
		}
	}
	for _, it := range failItems(t, e) {
		r, err := e.Product(it.p, it.shop, it.at)
		if err != nil {
			t.Fatal(err)
		}
		want := []affrules.RuleID{eligibility.RulePermanent, eligibility.RuleNegativeReview, eligibility.RuleSellerRefund, eligibility.RuleCounterfeit, eligibility.RuleStoreRating}
		if got := ruleIDs(r.Decision.Reasons, affrules.Failed); len(got) != len(want) || len(r.Decision.Reasons) != len(want) {
			t.Fatalf("fail path reasons %v, want %v", got, want)
		}
		if m := floor(&it.p, &it.facts, it.at.UnixNano()); m != floorELG1|floorELG2|floorELG3|floorELG4|floorELG6 {
			t.Fatalf("floor %b on the fail path", m)
		}
	}
}

// AppendProduct and AppendShop give what Product and Shop give, with one reasons array reused
// from call to call (its results are used before the next call); a passing product or shop has
// no reasons whatever the array holds; an array that starts on the shop result's reasons is
// refused, since the product's reasons copy them.
func TestAppendMatches(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	var buf, shopBuf, intoBuf []affrules.Reason
	var into eligibility.Result // reused: each call overwrites what the last one wrote
	for _, items := range [][]item{mixItems(t, e), failItems(t, e)} {
		for _, it := range items {
			want, err := e.Product(it.p, it.shop, it.at)
			require.NoError(t, err)
			got, err := e.AppendProduct(buf[:0], it.p, it.shop, it.at)
			require.NoError(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("AppendProduct differs from Product (-want +got):\n%s", diff)
			}
			if got.Decision.Reasons != nil {
				buf = got.Decision.Reasons
			}
			require.NoError(t, e.ProductInto(&into, intoBuf[:0], &it.p, &it.shop, it.at))
			if diff := cmp.Diff(want, into); diff != "" {
				t.Fatalf("ProductInto differs from Product (-want +got):\n%s", diff)
			}
			if into.Decision.Reasons != nil {
				intoBuf = into.Decision.Reasons
			}
		}
	}
	for _, s := range append(passShops(), eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: dec("2.9"), LastCounterfeitViolation: t0.Add(-time.Hour)}) {
		want, err := e.Shop(s, t0)
		require.NoError(t, err)
		got, err := e.AppendShop(shopBuf[:0], s, t0)
		require.NoError(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("AppendShop differs from Shop (-want +got):\n%s", diff)
		}
		if got.Decision.Reasons != nil {
			shopBuf = got.Decision.Reasons
		}
		require.NoError(t, e.ShopInto(&into, intoBuf[:0], &s, t0))
		if diff := cmp.Diff(want, into); diff != "" {
			t.Fatalf("ShopInto differs from Shop (-want +got):\n%s", diff)
		}
		if into.Decision.Reasons != nil {
			intoBuf = into.Decision.Reasons
		}
	}
	require.NotEmpty(t, buf, "the fail path filled the array")

	shop, err := e.Shop(eligibility.Shop{ID: "shop-1", Market: affrules.TH, StoreRating: dec("1")}, t0)
	require.NoError(t, err)
	p := goodProduct(affrules.TH, affrules.Electronics)
	_, err = e.AppendProduct(shop.Decision.Reasons[:0], p, shop, t0)
	require.ErrorContains(t, err, "eligibility: product[p-1] reasons dst: shares the shop result's reasons")
	arena := make([]affrules.Reason, 0, 16)
	deactivated, err := e.AppendShop(arena, eligibility.Shop{ID: "shop-1", Market: affrules.TH, StoreRating: dec("1"), Deactivated: true, LastCounterfeitViolation: t0.Add(-time.Hour)}, t0)
	require.NoError(t, err)
	require.Len(t, deactivated.Decision.Reasons, 3)
	for _, inside := range [][]affrules.Reason{deactivated.Decision.Reasons[1:1], arena[:0]} {
		_, err = e.AppendProduct(inside, p, deactivated, t0)
		require.ErrorContains(t, err, "shares the shop result's reasons", "an array that holds any of them")
	}
	after, err := e.AppendProduct(deactivated.Decision.Reasons[3:3], p, deactivated, t0) // the array past them
	require.NoError(t, err)
	want, err := e.Product(p, deactivated, t0)
	require.NoError(t, err)
	require.Equal(t, want, after)
	// Elements already in the array are kept: the result's reasons are written after them.
	kept := make([]affrules.Reason, 1, 8)
	kept[0] = affrules.Reason{Rule: "KEPT"}
	fail := p
	fail.NegativeReviewOrders = 40
	r, err := e.AppendProduct(kept, fail, eligibleShop(t, e, affrules.TH), t0)
	require.NoError(t, err)
	require.Equal(t, affrules.RuleID("KEPT"), kept[0].Rule)
	require.Equal(t, eligibility.RuleNegativeReview, r.Decision.Reasons[0].Rule)
	require.Same(t, &kept[:2][1], &r.Decision.Reasons[0], "written in the array, after its element")
	ok, err := e.AppendProduct(buf[:0], p, eligibleShop(t, e, affrules.TH), t0)
	require.NoError(t, err)
	require.True(t, ok.Eligible())
	require.Nil(t, ok.Decision.Reasons, "a passing product has no reasons, whatever the array")
}

// ProductInto refuses a nil destination, product or shop result, and a destination that is the
// shop result itself (left as it was); on any error the destination is the zero Result, whatever
// it held.
func TestProductIntoRefuses(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	shop := eligibleShop(t, e, affrules.TH)
	p := goodProduct(affrules.TH, affrules.Electronics)
	stale := func() eligibility.Result {
		r, err := e.Product(p, shop, t0)
		require.NoError(t, err)
		return r
	}
	require.ErrorContains(t, e.ProductInto(nil, nil, &p, &shop, t0), "eligibility: dst nil: must point to a Result")
	dst := stale()
	require.ErrorContains(t, e.ProductInto(&dst, nil, nil, &shop, t0), "eligibility: product nil: must point to a product")
	require.Zero(t, dst)
	dst = stale()
	require.ErrorContains(t, e.ProductInto(&dst, nil, &p, nil, t0), "eligibility: shop result nil: must point to the product's shop result")
	require.Zero(t, dst)
	before := shop
	require.ErrorContains(t, e.ProductInto(&shop, nil, &p, &shop, t0), "eligibility: dst the shop result: must not be the shop result")
	require.Equal(t, before, shop)
	dst = stale()
	bad := p
	bad.Orders = -1
	_, want := e.Product(bad, shop, t0)
	require.Error(t, want)
	require.EqualError(t, e.ProductInto(&dst, nil, &bad, &shop, t0), want.Error())
	require.Zero(t, dst)
	var zero eligibility.Evaluator
	dst = stale()
	require.ErrorIs(t, zero.ProductInto(&dst, nil, &p, &shop, t0), eligibility.ErrNoPolicy)
	require.Zero(t, dst)
}

// ShopInto refuses a nil destination or shop; on any error the destination is the zero Result,
// whatever it held.
func TestShopIntoRefuses(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	s := goodShop(affrules.TH)
	stale := func() eligibility.Result { return eligibleShop(t, e, affrules.TH) }
	require.ErrorContains(t, e.ShopInto(nil, nil, &s, t0), "eligibility: dst nil: must point to a Result")
	dst := stale()
	require.ErrorContains(t, e.ShopInto(&dst, nil, nil, t0), "eligibility: shop nil: must point to a shop")
	require.Zero(t, dst)
	dst = stale()
	bad := s
	bad.StoreRating = dec("5.1")
	_, want := e.Shop(bad, t0)
	require.Error(t, want)
	require.EqualError(t, e.ShopInto(&dst, nil, &bad, t0), want.Error())
	require.Zero(t, dst)
	var zero eligibility.Evaluator
	dst = stale()
	require.ErrorIs(t, zero.ShopInto(&dst, nil, &s, t0), eligibility.ErrNoPolicy)
	require.Zero(t, dst)
}

// Run.AppendProduct gives what Run.Products gives, errors included, and with an array large
// enough allocates nothing, for a product of a disqualified shop too (its reasons copied from
// the run's own shop result).
func TestRunAppendProduct(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shops := []eligibility.Shop{{ID: "a", Market: affrules.UK, StoreRating: dec("4")}, {ID: "b", Market: affrules.UK, StoreRating: dec("2"), LastCounterfeitViolation: t0.Add(-time.Hour)}}
	run, err := e.NewRun(slices.Values(shops), t0)
	require.NoError(t, err)
	products := []eligibility.Product{
		{ID: "1", ShopID: "a", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 5, RefundCases: 5},
		{ID: "2", ShopID: "b", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 50, NegativeReviewOrders: 9, RefundCases: 2},
		{ID: "3", ShopID: "c", Market: affrules.UK, Category: affrules.FMCG, Orders: 100},
		{ID: "4", ShopID: "a", Market: affrules.UK, Category: affrules.FMCG, Orders: -1},
	}
	var want []eligibility.Result
	var wantErr []string
	for r, err := range run.Products(slices.Values(products)) {
		want = append(want, r)
		wantErr = append(wantErr, fmt.Sprint(err))
	}
	var buf []affrules.Reason
	for i, p := range products {
		got, err := run.AppendProduct(buf[:0], p)
		require.Equal(t, wantErr[i], fmt.Sprint(err))
		if diff := cmp.Diff(want[i], got); diff != "" {
			t.Fatalf("product %s (-Products +AppendProduct):\n%s", p.ID, diff)
		}
		if got.Decision.Reasons != nil {
			buf = got.Decision.Reasons
		}
	}
	require.Len(t, want[1].Decision.Reasons, 4, "ELG-3, ELG-4 not applicable, and the shop's ELG-1, ELG-2")
	big := make([]affrules.Reason, 0, 8)
	if allocs := testing.AllocsPerRun(20, func() { _, _ = run.AppendProduct(big, products[1]) }); allocs != 0 {
		t.Errorf("Run.AppendProduct allocates %v times for a product of a disqualified shop", allocs)
	}
	var nilRun *eligibility.Run
	_, err = nilRun.AppendProduct(nil, products[0])
	require.ErrorIs(t, err, eligibility.ErrNoPolicy)
}
