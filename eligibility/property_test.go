package eligibility_test

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

var categories = []affrules.Category{affrules.Electronics, affrules.Fashion, affrules.Lifestyle, affrules.FMCG}

func drawShop(t *rapid.T) eligibility.Shop {
	s := eligibility.Shop{
		ID:          "s",
		Market:      rapid.SampledFrom([]affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH, affrules.VN}).Draw(t, "market"),
		StoreRating: decimal.New(rapid.Int64Range(0, 50).Draw(t, "rating10"), -1),
		Deactivated: rapid.Float64Range(0, 1).Draw(t, "deactivated") < 0.05,
	}
	if rapid.Bool().Draw(t, "violation") {
		s.LastCounterfeitViolation = t0.Add(-time.Duration(rapid.Int64Range(0, int64(affrules.Days(120))).Draw(t, "violationAge")))
	}
	return s
}

// drawProduct draws consistent counts around the category limits.
func drawProduct(t *rapid.T, market affrules.MarketCode) eligibility.Product {
	orders := rapid.Int64Range(0, 3000).Draw(t, "orders")
	p := eligibility.Product{ID: "p", ShopID: "s", Market: market, Category: rapid.SampledFrom(categories).Draw(t, "category"), Orders: orders}
	p.NegativeReviewOrders = rapid.Int64Range(0, min(orders, 60)).Draw(t, "neg")
	p.Reviews = p.NegativeReviewOrders + rapid.Int64Range(0, 8).Draw(t, "otherReviews")
	p.SellerFaultRefunds = rapid.Int64Range(0, min(orders, 80)).Draw(t, "sellerFault")
	p.RefundCases = p.SellerFaultRefunds + rapid.Int64Range(0, 8).Draw(t, "otherCases")
	if orders == 0 {
		p.Reviews, p.RefundCases = min(p.Reviews, 4), min(p.RefundCases, 4)
	}
	p.Frozen = rapid.Float64Range(0, 1).Draw(t, "frozen") < 0.05
	return p
}

// reference is a plain re-statement of ELG-1..6 with decimal arithmetic and no shortcuts: the
// state and the failing and not-applicable rule IDs, in the order the evaluator reports them.
func reference(pol eligibility.Policy, s eligibility.Shop, p eligibility.Product, at time.Time) (eligibility.State, []affrules.RuleID, []affrules.RuleID) {
	th, ok := pol.Markets[s.Market].At(at)
	if !ok {
		th, _ = pol.Default.At(at)
	}
	var failed, na []affrules.RuleID
	permanent := s.Deactivated || p.Frozen || p.Delisted
	if p.Frozen || p.Delisted {
		failed = append(failed, "ELG-6")
	}
	lim := th.Categories[p.Category]
	rate := func(n int64) decimal.Decimal { return decimal.NewFromInt(n).DivRound(decimal.NewFromInt(p.Orders), 30) }
	if p.Reviews < th.MinReviews {
		na = append(na, "ELG-3")
	} else if !rate(p.NegativeReviewOrders).LessThan(lim.NegativeReviewRate.Decimal()) {
		failed = append(failed, "ELG-3")
	}
	if p.RefundCases < th.MinRefundCases {
		na = append(na, "ELG-4")
	} else if !rate(p.SellerFaultRefunds).LessThan(lim.SellerFaultRefundRate.Decimal()) {
		failed = append(failed, "ELG-4")
	}
	if s.Deactivated {
		failed = append(failed, "ELG-6")
	}
	if !s.LastCounterfeitViolation.IsZero() && at.Sub(s.LastCounterfeitViolation) < time.Duration(th.CounterfeitWindowDays)*24*time.Hour {
		failed = append(failed, "ELG-1")
	}
	if s.StoreRating.LessThan(th.MinStoreRating) {
		failed = append(failed, "ELG-2")
	}
	switch {
	case permanent:
		return eligibility.PermanentlyDisqualified, failed, na
	case len(failed) > 0:
		return eligibility.TemporarilyDisqualified, failed, na
	}
	return eligibility.Eligible, failed, na
}

// referenceScope restates ELG-6's interpretation: deactivation, ELG-1 and ELG-2 disqualify the
// shop, freezing, delisting, ELG-3 and ELG-4 only the product; a result's scope is the shop when
// the shop's own state is the result's, the product when its own rules make it worse off.
func referenceScope(state eligibility.State, s eligibility.Shop, failed []affrules.RuleID) eligibility.Scope {
	shop := eligibility.Eligible
	switch {
	case s.Deactivated:
		shop = eligibility.PermanentlyDisqualified
	case slices.Contains(failed, "ELG-1") || slices.Contains(failed, "ELG-2"):
		shop = eligibility.TemporarilyDisqualified
	}
	switch {
	case state == eligibility.Eligible:
		return eligibility.NoScope
	case shop == state:
		return eligibility.ShopScope
	}
	return eligibility.ProductScope
}

// The optimised evaluator agrees with the plain reference on generated inputs.
func TestEvaluatorMatchesReference(t *testing.T) {
	pol := eligibility.DefaultPolicy()
	e := eligibility.MustNew(pol)
	rapid.Check(t, func(t *rapid.T) {
		s := drawShop(t)
		p := drawProduct(t, s.Market)
		shop, err := e.Shop(s, t0)
		if err != nil {
			t.Fatalf("shop: %v", err)
		}
		r, err := e.Product(p, shop, t0)
		if err != nil {
			t.Fatalf("product: %v", err)
		}
		state, failed, na := reference(pol, s, p, t0)
		if r.State != state {
			t.Fatalf("state %s, reference %s; %s", r.State, state, r.Decision)
		}
		if got := ruleIDs(r.Decision.Reasons, affrules.Failed); !slices.Equal(got, failed) {
			t.Fatalf("failed rules %v, reference %v; %s", got, failed, r.Decision)
		}
		if got := ruleIDs(r.Decision.Reasons, affrules.NotApplicable); !slices.Equal(got, na) {
			t.Fatalf("not-applicable rules %v, reference %v", got, na)
		}
		if r.Decision.Allowed != (state == eligibility.Eligible) {
			t.Fatalf("allowed %v with state %s", r.Decision.Allowed, state)
		}
		if want := referenceScope(state, s, failed); r.Scope != want || r.ShopID != "s" || r.Permanent() != (state == eligibility.PermanentlyDisqualified) {
			t.Fatalf("scope %s of shop %q, reference %s; %s", r.Scope, r.ShopID, want, r.Decision)
		}
		if (shop.Scope == eligibility.ShopScope) != !shop.Eligible() || shop.ShopID != "s" {
			t.Fatalf("shop scope %s, shop %q, state %s", shop.Scope, shop.ShopID, shop.State)
		}
	})
}

// Adding a negative review or a seller-fault refund never turns a denial into an approval.
func TestMoreComplaintsNeverHelp(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	rapid.Check(t, func(t *rapid.T) {
		s := drawShop(t)
		p := drawProduct(t, s.Market)
		shop, err := e.Shop(s, t0)
		if err != nil {
			t.Fatal(err)
		}
		before, err := e.Product(p, shop, t0)
		if err != nil {
			t.Fatal(err)
		}
		worse := p
		if p.Orders == 0 {
			worse.Orders = 1 // a complaint needs an order
		}
		if rapid.Bool().Draw(t, "review") {
			if worse.NegativeReviewOrders == worse.Orders {
				t.Skip("every order already has a negative review")
			}
			worse.NegativeReviewOrders++
			worse.Reviews++
		} else {
			if worse.SellerFaultRefunds == worse.Orders {
				t.Skip("every order already refunded for seller fault")
			}
			worse.SellerFaultRefunds++
			worse.RefundCases++
		}
		after, err := e.Product(worse, shop, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !before.Decision.Allowed && after.Decision.Allowed && p.Orders > 0 {
			t.Fatalf("complaint turned a denial into approval:\nbefore %s\nafter  %s", before.Decision, after.Decision)
		}
	})
}

// State machine (ELG-6): across any sequence of daily runs feeding each result's state into the
// next run, permanent disqualification is terminal, and a temporary one lifts as soon as every
// rule passes.
func TestPermanenceStateMachine(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	rapid.Check(t, func(t *rapid.T) {
		at := t0
		var shopState, productState eligibility.State
		everPermanent := false
		t.Repeat(map[string]func(*rapid.T){
			"run": func(t *rapid.T) {
				at = at.Add(time.Duration(rapid.IntRange(1, 72).Draw(t, "hours")) * time.Hour)
				s := drawShop(t)
				s.LastCounterfeitViolation = time.Time{}
				if rapid.Bool().Draw(t, "violation") {
					s.LastCounterfeitViolation = at.Add(-time.Hour)
				}
				s.Previous = shopState
				p := drawProduct(t, s.Market)
				p.Previous = productState
				shop, err := e.Shop(s, at)
				if err != nil {
					t.Fatal(err)
				}
				r, err := e.Product(p, shop, at)
				if err != nil {
					t.Fatal(err)
				}
				if everPermanent && r.State != eligibility.PermanentlyDisqualified {
					t.Fatalf("permanent disqualification lifted: %s", r.Decision)
				}
				if !everPermanent && !s.Deactivated && !p.Frozen && r.State == eligibility.PermanentlyDisqualified {
					t.Fatalf("permanent without cause: %s", r.Decision)
				}
				if r.State == eligibility.PermanentlyDisqualified {
					everPermanent = true
				}
				if r.State != eligibility.PermanentlyDisqualified && r.Decision.Allowed != (r.State == eligibility.Eligible) {
					t.Fatalf("state %s disagrees with decision %s", r.State, r.Decision)
				}
				shopState, productState = shop.State, r.State
			},
		})
	})
}

// ELG-2 compares ratings exactly whatever their exponents and sizes: the evaluator's integer
// comparison (and its decimal fallback for coefficients beyond 18 digits) agrees with
// decimal.Decimal.LessThan, and the 0–5 range check with decimal comparisons.
func TestStoreRatingComparesExactly(t *testing.T) {
	mins := []string{"2.5", "2.50", "3", "0", "5", "0.000000000000000001", "4.999999999999999999", "2.5000000000000000000001", "25e-1"}
	evaluators := make([]*eligibility.Evaluator, len(mins))
	for i, m := range mins {
		th := eligibility.SeedThresholds()
		th.MinStoreRating = decimal.RequireFromString(m)
		evaluators[i] = eligibility.MustNew(policyOf(mustTimeline(t, time.Time{}, th)))
	}
	rapid.Check(t, func(t *rapid.T) {
		i := rapid.IntRange(0, len(mins)-1).Draw(t, "min")
		var rating decimal.Decimal
		if rapid.Bool().Draw(t, "near") { // around the minimum, at another exponent
			min := decimal.RequireFromString(mins[i])
			shift := rapid.Int32Range(-25, 2).Draw(t, "exp")
			rating = min.Add(decimal.New(rapid.Int64Range(-3, 3).Draw(t, "delta"), shift))
			if rapid.Bool().Draw(t, "rescale") {
				rating = decimal.NewFromBigInt(rating.Shift(-shift).BigInt(), shift) // same value, exponent shift
			}
		} else {
			rating = decimal.New(rapid.Int64Range(-10, 6e18).Draw(t, "coef"), rapid.Int32Range(-20, 1).Draw(t, "exp2"))
		}
		r, err := evaluators[i].Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: rating}, t0)
		inRange := rating.Sign() >= 0 && rating.LessThanOrEqual(decimal.NewFromInt(5))
		if (err == nil) != inRange {
			t.Fatalf("rating %s (coefficient %s, exponent %d): error %v", rating, rating.Coefficient(), rating.Exponent(), err)
		}
		if err != nil {
			return
		}
		want := rating.LessThan(decimal.RequireFromString(mins[i]))
		if got := r.Decision.Failed(eligibility.RuleStoreRating); got != want {
			t.Fatalf("rating %s (coefficient %s, exponent %d) against %s: failed %v, want %v", rating, rating.Coefficient(), rating.Exponent(), mins[i], got, want)
		}
	})
}
