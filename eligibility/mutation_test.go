package eligibility_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// Boundary tests added for mutation testing (issue 10): each pins a comparison or an index that
// no other test noticed when it changed.
//
// Mutation score, with `gremlins unleash --workers 1 --timeout-coefficient 3 ./eligibility`
// (github.com/go-gremlins/gremlins, latest on 2026-11-29): efficacy 87.56% before issue 10 (197
// killed, 28 lived), 99.60% after (252 killed, 2 timed out, 1 lived). gremlins reports the
// mutants inside a switch's case expressions as "not covered" (Go's coverage profile gives case
// expressions no block of their own), so those 57 were applied by hand, one at a time, each
// followed by `go test ./eligibility/`: 54 killed, 2 not viable (they do not compile), 1 lived.
//
// The two surviving mutants are equivalent (no input tells them from the original):
//
//   - shop.go, `s.StoreRating.Sign() < 0` → `<= 0` on the path for ratings of more than 18
//     digits: a zero rating always has one digit and takes the other path.
//   - evaluator.go, cmpSmall's `case ae < be` → `ae <= be`: the case before it takes ae == be.

// A version in force at the instant: before a policy's first version, Shop and Product are errors.
func TestBeforeFirstVersion(t *testing.T) { // ELG-10
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	e := eligibility.MustNew(policyOf(mustTimeline(t, from, eligibility.SeedThresholds())))
	shop, err := e.Shop(goodShop(affrules.UK), from)
	require.NoError(t, err)
	_, err = e.Product(goodProduct(affrules.UK, affrules.Electronics), shop, from.Add(-time.Nanosecond))
	assert.ErrorContains(t, err, `is before the policy's first version for market UK (product "p-1")`)
	r, err := e.Product(goodProduct(affrules.UK, affrules.Electronics), shop, from)
	require.NoError(t, err)
	assert.True(t, r.Eligible())
	_, err = e.Shop(goodShop(affrules.UK), from.Add(-time.Nanosecond))
	assert.ErrorContains(t, err, `is before the policy's first version for market UK (shop "shop-1")`)
}

// Every registered market's override applies to it, the first in the index too, and a market
// registered after New gets the default thresholds, not another market's (MKT-1, ELG-10).
func TestEveryMarketOverride(t *testing.T) {
	strict := eligibility.SeedThresholds()
	strict.MinStoreRating = dec("4.5")
	strict.Categories[affrules.FMCG] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate("0.1%"), SellerFaultRefundRate: affrules.MustParseRate("1.5%")}
	const late affrules.MarketCode = "QB"
	_, lateBefore := affrules.LookupMarket(late)
	p := eligibility.DefaultPolicy()
	var markets []affrules.MarketCode
	for _, m := range affrules.Markets() {
		if m.Code == late {
			continue
		}
		markets = append(markets, m.Code)
		var err error
		p, err = p.WithOverride(m.Code, eligibility.ThaiGuideEffective().Add(time.Hour), strict)
		require.NoError(t, err)
	}
	e := eligibility.MustNew(p)
	for _, m := range markets {
		s := goodShop(m)
		s.StoreRating = dec("4")
		r, err := e.Shop(s, t0)
		require.NoError(t, err)
		assert.True(t, r.Decision.Failed(eligibility.RuleStoreRating), "%s: the override's 4.5 applies", m)
		shop := eligibleShop(t, e, m)
		pr := goodProduct(m, affrules.FMCG)
		pr.NegativeReviewOrders = 3 // 0.3%: below the seed 0.6%, not below the override's 0.1%
		r, err = e.Product(pr, shop, t0)
		require.NoError(t, err)
		assert.True(t, r.Decision.Failed(eligibility.RuleNegativeReview), "%s: the override's 0.1%% applies", m)
	}
	if lateBefore == nil {
		return // registered by an earlier run of this test: no longer after New
	}
	require.NoError(t, affrules.RegisterMarket(affrules.Market{Code: late, Zone: "Asia/Qatar", Currency: "QAR", MinorUnit: 2, Channels: []affrules.Channel{affrules.Email}}))
	s := goodShop(late)
	s.StoreRating = dec("4")
	shop, err := e.Shop(s, t0)
	require.NoError(t, err)
	assert.True(t, shop.Eligible(), "a market registered after New has the default 2.5")
	pr := goodProduct(late, affrules.FMCG)
	pr.NegativeReviewOrders = 3
	r, err := e.Product(pr, shop, t0)
	require.NoError(t, err)
	assert.True(t, r.Eligible(), "and the default 0.6%%")
}

// The pass path's result is exactly an allowed decision with no reasons, at the applicability
// minimums too, where the rules start to apply (ELG-3, ELG-4).
func TestPassResultExact(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shop := eligibleShop(t, e, affrules.UK)
	for _, p := range []eligibility.Product{
		goodProduct(affrules.UK, affrules.FMCG),
		{ID: "p-1", ShopID: "shop-1", Market: affrules.UK, Category: affrules.FMCG, Orders: 1000, Reviews: 5, RefundCases: 5},
	} {
		r, err := e.Product(p, shop, t0)
		require.NoError(t, err)
		assert.Equal(t, eligibility.Result{ID: "p-1", ShopID: "shop-1", Market: affrules.UK, State: eligibility.Eligible, Decision: affrules.Decision{Allowed: true}}, r)
	}
	r, err := e.Shop(goodShop(affrules.UK), t0)
	require.NoError(t, err)
	assert.Equal(t, eligibility.Result{ID: "shop-1", ShopID: "shop-1", Market: affrules.UK, State: eligibility.Eligible, Decision: affrules.Decision{Allowed: true}}, r)
}

// A shop result's not-applicable reasons are not carried to its products: only its failures are.
func TestShopResultNotApplicableDropped(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	elg2 := affrules.Reason{Rule: eligibility.RuleStoreRating, Key: "eligibility.elg2.failed"}
	na := affrules.Reason{Rule: eligibility.RuleNegativeReview, Kind: affrules.NotApplicable, Key: "eligibility.elg3.not_applicable"}
	shop := eligibility.Result{ID: "shop-1", ShopID: "shop-1", Market: affrules.UK, State: eligibility.TemporarilyDisqualified, Scope: eligibility.ShopScope,
		Decision: affrules.Decide(na, elg2)}
	r, err := e.Product(goodProduct(affrules.UK, affrules.FMCG), shop, t0)
	require.NoError(t, err)
	assert.Equal(t, []affrules.Reason{elg2}, r.Decision.Reasons)
}

// ForCampaign allocates its reasons once, sized to the failures it carries (ELG-9).
func TestForCampaignAllocs(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	s := goodShop(affrules.UK)
	s.StoreRating, s.LastCounterfeitViolation = dec("2"), t0.Add(-time.Hour)
	shop, err := e.Shop(s, t0)
	require.NoError(t, err)
	p := goodProduct(affrules.UK, affrules.FMCG)
	p.Frozen, p.Reviews, p.NegativeReviewOrders = true, 3, 1 // ELG-3 not applicable: dropped
	r, err := e.Product(p, shop, t0)
	require.NoError(t, err)
	var d affrules.Decision
	allocs := testing.AllocsPerRun(20, func() { d = r.ForCampaign() })
	assert.Equal(t, 1.0, allocs)
	assert.Equal(t, []affrules.RuleID{eligibility.RuleCampaigns, eligibility.RulePermanent, eligibility.RuleCounterfeit, eligibility.RuleStoreRating}, ruleIDs(d.Reasons, affrules.Failed))
	assert.Len(t, d.Reasons, 4)
}

// Policy validation at its boundaries: each limit itself is valid, and every version of a
// timeline is named by its index.
func TestValidateBoundaries(t *testing.T) {
	th := eligibility.SeedThresholds()
	th.CounterfeitWindowDays, th.MinStoreRating, th.MinReviews, th.MinRefundCases = 1, dec("0"), 1, 1
	require.NoError(t, policyOf(mustTimeline(t, time.Time{}, th)).Validate(), "window 1, rating 0, minimums 1")
	th.MinStoreRating = dec("5")
	require.NoError(t, policyOf(mustTimeline(t, time.Time{}, th)).Validate(), "rating 5")
	th.MinStoreRating = dec("5.000000000000000000001")
	assert.ErrorContains(t, policyOf(mustTimeline(t, time.Time{}, th)).Validate(), "min_store_rating 5.000000000000000000001: must be between 0 and 5")
	th.MinStoreRating = dec("-0.1")
	assert.ErrorContains(t, policyOf(mustTimeline(t, time.Time{}, th)).Validate(), "min_store_rating -0.1: must be between 0 and 5")

	bad := eligibility.SeedThresholds()
	bad.MinReviews = -1
	tl, err := affrules.NewTimeline(
		affrules.Effective[eligibility.Thresholds]{Value: eligibility.SeedThresholds()},
		affrules.Effective[eligibility.Thresholds]{From: t0, Value: eligibility.SeedThresholds()},
		affrules.Effective[eligibility.Thresholds]{From: t0.Add(time.Hour), Value: bad},
	)
	require.NoError(t, err)
	assert.ErrorContains(t, policyOf(tl).Validate(), "policy.default[2] (from 2026-11-21T10:00:00Z).min_reviews -1")
}

// Bad input at its boundaries: the first shop state out of range, zero orders with a rate rule
// applying from exactly its minimum, and which count an error names when several are wrong.
func TestBadInputBoundaries(t *testing.T) { // ELG-5
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shop := eligibleShop(t, e, affrules.UK)
	for _, state := range []eligibility.State{eligibility.PermanentlyDisqualified + 1, 255} {
		bad := shop
		bad.State, bad.Decision = state, affrules.Decide(affrules.Reason{Rule: eligibility.RuleStoreRating})
		_, err := e.Product(goodProduct(affrules.UK, affrules.FMCG), bad, t0)
		assert.ErrorContains(t, err, "must come from Evaluator.Shop", "state %d", state)
	}
	for _, tt := range []struct {
		name string
		p    eligibility.Product
		text string
	}{
		{"zero orders, exactly the reviews ELG-3 applies from", eligibility.Product{Reviews: 5, RefundCases: 4}, "product[p].orders 0: rate undefined"},
		{"zero orders, exactly the cases ELG-4 applies from", eligibility.Product{Reviews: 4, RefundCases: 5}, "product[p].orders 0: rate undefined"},
		// Negative-review orders equal to reviews and to orders are fine: the error is the refunds'.
		{"several counts at their limits, one beyond", eligibility.Product{Orders: 5, Reviews: 5, NegativeReviewOrders: 5, RefundCases: 1, SellerFaultRefunds: 2},
			"product[p].seller_fault_refunds 2: exceeds refund_cases 1"},
		{"seller-fault refunds equal to cases, beyond orders", eligibility.Product{Orders: 5, Reviews: 5, RefundCases: 6, SellerFaultRefunds: 6},
			"product[p].seller_fault_refunds 6: exceeds orders 5"},
	} {
		p := tt.p
		p.ID, p.ShopID, p.Market, p.Category = "p", "shop-1", affrules.UK, affrules.FMCG
		_, err := e.Product(p, shop, t0)
		assert.ErrorContains(t, err, "eligibility: "+tt.text, tt.name)
	}
	// With one review fewer, zero orders is fine: no rate rule applies.
	r, err := e.Product(eligibility.Product{ID: "p", ShopID: "shop-1", Market: affrules.UK, Category: affrules.FMCG, Reviews: 4, RefundCases: 4}, shop, t0)
	require.NoError(t, err)
	assert.True(t, r.Eligible())
}
