// Package eligibilitytest is the property-testing kit of package eligibility: rapid generators
// of shops, products, instants and policies that straddle a policy's own thresholds and
// effective dates, and the named properties a host checks its own [eligibility.Policy] with
// ([CheckPolicy], [Properties]). It uses the standard library, pgregory.net/rapid,
// shopspring/decimal and affrules' own packages only.
//
// The properties, each with the rules it guards:
//
//	worse_record_never_approves  a worse review, refund or shop record never turns a denial into an approval (ELG-1..4, ELG-6)
//	decision_matches_thresholds  a decision is the plain reading of the thresholds in force in the market at the instant, overrides and their first instant included (ELG-1..4, ELG-6, ELG-10)
//	categories_covered           every category in use has thresholds in every market at every instant (ELG-5, ELG-10)
//	overrides_start_at_midnight  every market override starts at a midnight of its market (ELG-10, MKT-2)
//
// # Interpretations
//
//   - worse_record_never_approves: "worse" is, at the same instant, more negative-review orders,
//     reviews, seller-fault refunds or return/refund cases for the same orders (under
//     refund_rate_of_cases only seller-fault cases: another case lowers ELG-4's rate), a product frozen
//     or delisted, a lower store rating, a later counterfeit violation (never after the
//     instant), a deactivated account. [eligibility.Policy.Validate] refuses every policy that
//     could break it (a 0% limit, a negative minimum); the property guards the evaluator
//     [eligibility.New] builds for the policy, so a change of the library that breaks it fails
//     the host's CI.
//   - decision_matches_thresholds compares the evaluator with a plain model, like
//     worse_record_never_approves it guards the evaluator rather than the policy: it catches one
//     that applies a market's override from the wrong instant (the Thai override a day late) or
//     not at all. It compares whether the shop and the product are allowed and the product's
//     state.
//   - categories_covered: a category is in use in a market when any version of the default
//     timeline or of that market's override names it (a category only another market's
//     override names is that market's own: markets split categories differently, ELG-10);
//     "every instant" is every instant, in the years 1900 to
//     2199, from the first version in force in the market. A category added to a later version
//     only is therefore a failure before that version.
//   - overrides_start_at_midnight: a market's override versions are where a host writes that
//     market's own dates, and a version starting elsewhere than at a midnight of the market's
//     zone (typically a UTC midnight in a market east of UTC) judges one market day by two
//     versions. The default timeline's versions apply in every zone and are not checked, nor is
//     an override version from before 1900 (the zero instant: in force since always).
package eligibilitytest

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
)

// CheckPolicy checks every property of [Properties] for p, each as a subtest of t; a failure
// reports rapid's minimal counter-example.
func CheckPolicy(t *testing.T, p eligibility.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named properties of p (see the package doc), each checked through an
// evaluator built with [eligibility.New]; if New refuses p, every property fails with its error.
func Properties(p eligibility.Policy) []affrulestest.Property {
	return properties(p, func(p eligibility.Policy) (evaluator, error) {
		e, err := eligibility.New(p)
		if err != nil {
			return nil, err
		}
		return e, nil
	})
}

// evaluator is what the properties ask of an [eligibility.Evaluator].
type evaluator interface {
	Shop(s eligibility.Shop, at time.Time) (eligibility.Result, error)
	Product(p eligibility.Product, shop eligibility.Result, at time.Time) (eligibility.Result, error)
}

func properties(p eligibility.Policy, build func(eligibility.Policy) (evaluator, error)) []affrulestest.Property {
	var once sync.Once
	var e evaluator
	var err error
	ready := func(t *rapid.T) evaluator { // built once, on first use
		once.Do(func() { e, err = build(p) })
		if err != nil {
			t.Fatalf("the policy is not valid: %v", err)
		}
		return e
	}
	return []affrulestest.Property{
		{Name: "worse_record_never_approves", Check: func(t *rapid.T) { worseRecordNeverApproves(t, p, ready(t)) }},
		{Name: "decision_matches_thresholds", Check: func(t *rapid.T) { decisionMatchesThresholds(t, p, ready(t)) }},
		{Name: "categories_covered", Check: func(t *rapid.T) { categoriesCovered(t, p, ready(t)) }},
		{Name: "overrides_start_at_midnight", Check: func(t *rapid.T) { overridesStartAtMidnight(t, p, ready(t)) }},
	}
}

// worseRecordNeverApproves: a shop or product denied at an instant stays denied with a worse
// record at the same instant (ELG-1..4, ELG-6).
func worseRecordNeverApproves(t *rapid.T, p eligibility.Policy, e evaluator) {
	market := Market(p).Draw(t, "market")
	at := Instant(p, market).Draw(t, "at")
	s := Shop(p, market, "shop", at).Draw(t, "shop")
	pr := Product(p, s, "product", at).Draw(t, "product")
	ws := worseShop(t, s, at)
	wp := worseProduct(t, p, pr, at)

	sr := evaluate(t, e, s, nil, at)
	wsr := evaluate(t, e, ws, nil, at)
	if !sr.Decision.Allowed && wsr.Decision.Allowed {
		t.Fatalf("shop %+v is denied at %s (%s) but its worse record %+v is approved", s, at.Format(time.RFC3339Nano), sr.Decision, ws)
	}
	r := evaluate(t, e, s, &pr, at)
	wr := evaluate(t, e, ws, &wp, at)
	if !r.Decision.Allowed && wr.Decision.Allowed {
		t.Fatalf("product %+v is denied at %s (%s) but its worse record %+v is approved", pr, at.Format(time.RFC3339Nano), r.Decision, wp)
	}
}

// evaluate returns the shop's result, or the product's if pr is set, failing t on an error: the
// generators draw valid input only.
func evaluate(t *rapid.T, e evaluator, s eligibility.Shop, pr *eligibility.Product, at time.Time) eligibility.Result {
	sr, err := e.Shop(s, at)
	if err != nil {
		t.Fatalf("Shop(%+v, %s): %v", s, at.Format(time.RFC3339Nano), err)
	}
	if pr == nil {
		return sr
	}
	r, err := e.Product(*pr, sr, at)
	if err != nil {
		t.Fatalf("Product(%+v, %s): %v", *pr, at.Format(time.RFC3339Nano), err)
	}
	return r
}

// worseShop draws a worse record for s at at: a rating as low or lower, a violation as late or
// later (never after at), deactivated if s is.
func worseShop(t *rapid.T, s eligibility.Shop, at time.Time) eligibility.Shop {
	w := s
	cents := s.StoreRating.Shift(2).IntPart()
	w.StoreRating = s.StoreRating.Sub(decimal.New(rapid.Int64Range(0, max(cents, 0)).Draw(t, "worse_rating_cents_lower"), -2))
	if w.StoreRating.IsNegative() {
		w.StoreRating = decimal.Zero
	}
	switch v := s.LastCounterfeitViolation; {
	case v.IsZero():
		if rapid.Bool().Draw(t, "worse_violation") {
			w.LastCounterfeitViolation = at.Add(-time.Duration(rapid.Int64Range(0, int64(120*24*time.Hour)).Draw(t, "worse_violation_age")))
		}
	default:
		w.LastCounterfeitViolation = v.Add(time.Duration(rapid.Int64Range(0, int64(at.Sub(v))).Draw(t, "worse_violation_later")))
	}
	if !bounds.InRange(w.LastCounterfeitViolation) {
		w.LastCounterfeitViolation = s.LastCounterfeitViolation
	}
	w.Deactivated = s.Deactivated || rapid.IntRange(0, 9).Draw(t, "worse_deactivated") == 9
	w.ProductBanned = s.ProductBanned || rapid.IntRange(0, 9).Draw(t, "worse_product_banned") == 9
	return w
}

// worseProduct draws a worse record for pr at at, for the same orders: as many or more
// negative-review orders and reviews, seller-fault refunds and refund cases (consistent counts),
// frozen or delisted if pr is.
func worseProduct(t *rapid.T, p eligibility.Policy, pr eligibility.Product, at time.Time) eligibility.Product {
	th, _ := p.At(pr.Market, at)
	w := pr
	w.NegativeReviewOrders += rapid.Int64Range(0, pr.Orders-pr.NegativeReviewOrders).Draw(t, "worse_negative_review_orders")
	w.Reviews = max(w.NegativeReviewOrders, pr.Reviews) + rapid.Int64Range(0, 10).Draw(t, "worse_reviews")
	w.SellerFaultRefunds += rapid.Int64Range(0, pr.Orders-pr.SellerFaultRefunds).Draw(t, "worse_seller_fault_refunds")
	w.RefundCases = max(w.SellerFaultRefunds, pr.RefundCases) + rapid.Int64Range(0, 10).Draw(t, "worse_refund_cases")
	if th.RefundRateOfCases {
		// ELG-4's rate is over the cases: a case not at the seller's fault lowers it, so a worse
		// record adds only seller-fault cases.
		w.RefundCases = pr.RefundCases + w.SellerFaultRefunds - pr.SellerFaultRefunds
	}
	if pr.Orders == 0 { // no rate rule may apply without orders (ELG-5): keep below the minimums
		w.Reviews = min(w.Reviews, max(pr.Reviews, th.MinReviews-1))
		w.RefundCases = min(w.RefundCases, max(pr.RefundCases, th.MinRefundCases-1))
	}
	w.Frozen = pr.Frozen || rapid.IntRange(0, 9).Draw(t, "worse_frozen") == 9
	w.Delisted = pr.Delisted || rapid.IntRange(0, 9).Draw(t, "worse_delisted") == 9
	return w
}

// decisionMatchesThresholds: the evaluator's decisions for a shop and its product are those a
// plain reading of the thresholds in force in the market at the instant gives (ELG-1..4, ELG-6,
// ELG-10).
func decisionMatchesThresholds(t *rapid.T, p eligibility.Policy, e evaluator) {
	market := Market(p).Draw(t, "market")
	at := Instant(p, market).Draw(t, "at")
	s := Shop(p, market, "shop", at).Draw(t, "shop")
	pr := Product(p, s, "product", at).Draw(t, "product")
	th, _ := p.At(market, at)
	wantShop, wantState := reference(th, s, pr, at)
	sr := evaluate(t, e, s, nil, at)
	r := evaluate(t, e, s, &pr, at)
	if sr.Decision.Allowed != wantShop || r.State != wantState {
		t.Fatalf("at %s in %s, shop allowed=%t and product %s; the thresholds in force (window %d days, minimum rating %s, %s limits %s and %s from %d reviews and %d refund cases) give shop allowed=%t and product %s",
			at.Format(time.RFC3339Nano), market, sr.Decision.Allowed, r.State, th.CounterfeitWindowDays, th.MinStoreRating, pr.Category,
			th.Categories[pr.Category].NegativeReviewRate, th.Categories[pr.Category].SellerFaultRefundRate, th.MinReviews, th.MinRefundCases, wantShop, wantState)
	}
}

// reference reads ELG-1..4 and ELG-6 literally for shop s and its product pr at at under th:
// whether the shop is allowed, and the product's state.
func reference(th eligibility.Thresholds, s eligibility.Shop, pr eligibility.Product, at time.Time) (bool, eligibility.State) {
	shopPermanent := s.Deactivated || s.Previous == eligibility.PermanentlyDisqualified || (s.ProductBanned && th.ProductBanDisqualifiesShop)
	counterfeit := !s.LastCounterfeitViolation.IsZero() && at.Sub(s.LastCounterfeitViolation) < time.Duration(th.CounterfeitWindowDays)*24*time.Hour
	low := s.StoreRating.LessThan(th.MinStoreRating)
	shopOK := !shopPermanent && !counterfeit && !low

	lim := th.Categories[pr.Category]
	// count/base ≥ limit, exactly: count ≥ limit × base.
	fails := func(count, base int64, limit affrules.Rate) bool {
		return !decimal.NewFromInt(count).LessThan(limit.Decimal().Mul(decimal.NewFromInt(base)))
	}
	refundBase := pr.Orders // ELG-4's denominator
	if th.RefundRateOfCases {
		refundBase = pr.RefundCases
	}
	negative := pr.Reviews >= th.MinReviews && fails(pr.NegativeReviewOrders, pr.Orders, lim.NegativeReviewRate)
	counted := pr.RefundCases // what ELG-4's minimum counts
	if th.MinRefundCasesSellerFault {
		counted = pr.SellerFaultRefunds
	}
	refund := counted >= th.MinRefundCases && fails(pr.SellerFaultRefunds, refundBase, lim.SellerFaultRefundRate)
	permanent := shopPermanent || pr.Frozen || pr.Delisted || pr.Previous == eligibility.PermanentlyDisqualified
	switch {
	case permanent:
		return shopOK, eligibility.PermanentlyDisqualified
	case !shopOK || negative || refund:
		return shopOK, eligibility.TemporarilyDisqualified
	}
	return true, eligibility.Eligible
}

// categoriesCovered: every category any version names has limits in every market at every
// instant from the first version in force there (ELG-5, ELG-10).
func categoriesCovered(t *rapid.T, p eligibility.Policy, e evaluator) {
	market := Market(p).Draw(t, "market")
	used := inUse(p, market)
	at := Instant(p, market).Draw(t, "at")
	s := eligibility.Shop{ID: "shop", Market: market, StoreRating: decimal.NewFromInt(5)}
	sr, err := e.Shop(s, at)
	if err != nil {
		t.Fatalf("Shop(%+v, %s): %v", s, at.Format(time.RFC3339Nano), err)
	}
	for _, c := range used {
		pr := eligibility.Product{ID: "product", ShopID: s.ID, Market: market, Category: c, Orders: 100, Reviews: 100, RefundCases: 100}
		if _, err := e.Product(pr, sr, at); err != nil {
			if errors.Is(err, affrules.ErrUnknownCategory) {
				t.Fatalf("category %q, in use in market %s, has no thresholds there at %s: %v", c, market, at.Format(time.RFC3339Nano), err)
			}
			t.Fatalf("Product(%+v, %s): %v", pr, at.Format(time.RFC3339Nano), err)
		}
	}
}

// inUse returns the categories in use in market m, sorted: those any version of p's default
// timeline or of m's override names (a category only another market's override names is that
// market's own: markets split categories differently, ELG-10).
func inUse(p eligibility.Policy, m affrules.MarketCode) []affrules.Category {
	set := map[affrules.Category]bool{}
	add := func(tl affrules.Timeline[eligibility.Thresholds]) {
		for _, th := range tl.All() {
			for c := range th.Categories {
				set[c] = true
			}
		}
	}
	add(p.Default)
	if tl, ok := p.Markets[m]; ok {
		add(tl)
	}
	return slices.Sorted(maps.Keys(set))
}

// overridesStartAtMidnight: every override version starts at a midnight of its market, so the
// evaluator judges the whole market day by one version (ELG-10, MKT-2).
func overridesStartAtMidnight(t *rapid.T, p eligibility.Policy, e evaluator) {
	type version struct {
		market affrules.MarketCode
		index  int
		from   time.Time
	}
	var vs []version
	for _, m := range p.Overridden() {
		i := 0
		for from := range p.Markets[m].All() {
			if !from.Before(bounds.MinInstant) { // one from before 1900 (the zero instant) is in force since always
				vs = append(vs, version{m, i, from})
			}
			i++
		}
	}
	if len(vs) == 0 {
		return // no override: nothing to check
	}
	v := vs[rapid.IntRange(0, len(vs)-1).Draw(t, "override_index")]
	loc := location(v.market)
	day := affrules.DayOf(v.from, loc)
	if !bounds.InRange(v.from) || !bounds.InRange(day.Start) {
		t.Fatalf("override %s[%d] starts at %s, outside the years 1900 to 2199", v.market, v.index, v.from.Format(time.RFC3339Nano))
	}
	// Through the evaluator: a shop whose rating straddles the minimum of the version or of the
	// one before gets the same decision at the day's first instant and at the version's.
	before, _ := p.At(v.market, v.from.Add(-1))
	after, _ := p.At(v.market, v.from)
	limit := rapid.SampledFrom([]decimal.Decimal{before.MinStoreRating, after.MinStoreRating}).Draw(t, "rating_of")
	rating := affrulestest.StraddleDecimal(limit, max(1, -limit.Exponent())).Draw(t, "store_rating")
	rating = decimal.Min(rating, decimal.NewFromInt(5))
	s := eligibility.Shop{ID: "shop", Market: v.market, StoreRating: rating}
	if _, ok := p.At(v.market, day.Start); ok && day.Start.Before(v.from) {
		atStart := evaluate(t, e, s, nil, day.Start)
		atFrom := evaluate(t, e, s, nil, v.from)
		if atStart.Decision.Allowed != atFrom.Decision.Allowed {
			t.Fatalf("override %s[%d] starts at %s, %s in %s, not at a midnight: shop %+v is allowed=%t at the day's start %s and allowed=%t at the override's",
				v.market, v.index, v.from.Format(time.RFC3339Nano), v.from.In(loc).Format(time.TimeOnly), loc, s, atStart.Decision.Allowed, day.Start.Format(time.RFC3339Nano), atFrom.Decision.Allowed)
		}
	}
	// Any override off midnight, drawn or not.
	for _, v := range vs {
		loc := location(v.market)
		if day := affrules.DayOf(v.from, loc); !day.Start.Equal(v.from) {
			t.Fatalf("override %s[%d] starts at %s, %s in %s, not at a midnight: the day %s is judged by two versions",
				v.market, v.index, v.from.Format(time.RFC3339Nano), v.from.In(loc).Format(time.TimeOnly), loc, day.Start.In(loc).Format(time.DateOnly))
		}
	}
}
