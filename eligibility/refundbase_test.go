package eligibility_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// ELG-4's denominator is policy: by default the product's orders; with RefundRateOfCases its
// return/refund cases. The limit is strict either way; a policy whose ELG-4 would apply from no
// case is refused (a product without cases would have no rate).
func TestRefundRateOfCases_ELG4(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	p, err := eligibility.ParsePolicy([]byte(`{"default":[{"value":{"counterfeit_window_days":60,"min_store_rating":"2.5","min_reviews":5,"min_refund_cases":1,"refund_rate_of_cases":true,
		"categories":{"fmcg":{"negative_review_rate_below":"0.6%","seller_fault_refund_rate_below":"50%"}}}}]}`))
	require.NoError(t, err)
	v, _ := p.Default.At(at)
	require.True(t, v.RefundRateOfCases)
	byCases := eligibility.MustNew(p)
	shop, err := byCases.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	product := func(refunds, cases int64) eligibility.Product {
		return eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 1000, RefundCases: cases, SellerFaultRefunds: refunds}
	}
	for _, tc := range []struct {
		refunds, cases int64
		eligible       bool
	}{{4, 10, true}, {5, 10, false}, {0, 1, true}, {1, 1, false}} {
		r, err := byCases.Product(product(tc.refunds, tc.cases), shop, at)
		require.NoError(t, err)
		require.Equal(t, tc.eligible, r.Eligible(), "%d of %d cases: %v", tc.refunds, tc.cases, r.Decision)
		if !tc.eligible {
			n, d := r.Decision.Reasons[len(r.Decision.Reasons)-1].Observed.Ratio()
			require.Equal(t, [2]int64{tc.refunds, tc.cases}, [2]int64{n, d}, "the observed rate is of the cases")
		}
	}
	r, err := byCases.Product(product(0, 0), shop, at)
	require.NoError(t, err)
	require.True(t, r.Eligible(), "no cases: ELG-4 does not apply")
	_, err = eligibility.ParsePolicy([]byte(`{"default":[{"value":{"counterfeit_window_days":60,"min_store_rating":"2.5","min_reviews":5,"min_refund_cases":0,"refund_rate_of_cases":true,
		"categories":{"fmcg":{"negative_review_rate_below":"0.6%","seller_fault_refund_rate_below":"50%"}}}}]}`))
	require.ErrorContains(t, err, "min_refund_cases 0: must be at least 1")
	// By orders too: a minimum of 0 reviews or cases would make every product without orders an
	// error (ELG-5), so Validate refuses it; 1 is accepted.
	for _, field := range []string{"min_reviews", "min_refund_cases"} {
		th := eligibility.SeedThresholds()
		set := map[string]*int64{"min_reviews": &th.MinReviews, "min_refund_cases": &th.MinRefundCases}
		for _, n := range []int64{0, 1} {
			*set[field] = n
			tl, err := affrules.NewTimeline(affrules.Effective[eligibility.Thresholds]{Value: th})
			require.NoError(t, err)
			err = eligibility.Policy{PerMarket: affrules.PerMarket[eligibility.Thresholds]{Default: tl}}.Validate()
			if n == 0 {
				require.ErrorContains(t, err, "eligibility: policy.default[0] (from 0001-01-01T00:00:00Z)."+field+" 0: must be at least 1")
			} else {
				require.NoError(t, err)
			}
		}
	}

	// By orders (the default), 5 of 10 cases over 1000 orders is 0.5%, below 1.5%.
	def := eligibility.MustNew(eligibility.DefaultPolicy())
	shop, err = def.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	r, err = def.Product(product(5, 10), shop, at)
	require.NoError(t, err)
	require.True(t, r.Eligible(), "%v", r.Decision)
}

// ELG-4's minimum is policy too: by default every return/refund case counts, whatever the fault;
// with MinRefundCasesSellerFault only the seller-fault ones do. 4 seller-fault cases of 10 over
// 100 orders (4%, above FMCG's 1.5%) fail by default and are not applicable under the setting;
// 5 fail under both.
func TestMinRefundCasesSellerFault_ELG4(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	th := eligibility.SeedThresholds()
	th.MinRefundCasesSellerFault = true
	tl, err := affrules.NewTimeline(affrules.Effective[eligibility.Thresholds]{Value: th})
	require.NoError(t, err)
	policy := eligibility.DefaultPolicy()
	policy.Default = tl
	for _, tc := range []struct {
		sellerFault   bool
		refunds       int64
		eligible      bool
		observedCount int64
		notApplicable bool
	}{{false, 4, false, 0, false}, {true, 4, true, 4, true}, {false, 5, false, 0, false}, {true, 5, false, 0, false},
		// 1 of 100 is below FMCG's 1.5%, but the rule applies from 5 seller-fault cases, not 10
		// cases: not applicable, and said so (the pass path counts what the minimum counts).
		{true, 1, true, 1, true}} {
		p := eligibility.DefaultPolicy()
		if tc.sellerFault {
			p = policy
		}
		e := eligibility.MustNew(p)
		shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
		require.NoError(t, err)
		r, err := e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 10,
			RefundCases: 10, SellerFaultRefunds: tc.refunds}, shop, at)
		require.NoError(t, err)
		require.Equal(t, tc.eligible, r.Eligible(), "seller-fault minimum %v, %d refunds: %v", tc.sellerFault, tc.refunds, r.Decision)
		if tc.notApplicable {
			last := r.Decision.Reasons[len(r.Decision.Reasons)-1]
			require.Equal(t, eligibility.RuleSellerRefund, last.Rule)
			require.Equal(t, affrules.NotApplicable, last.Kind)
			require.Equal(t, affrules.Count(tc.observedCount), last.Observed, "the count the minimum counts")
			require.Equal(t, fmt.Sprintf("ELG-4 not applicable: too few seller-fault return/refund cases for the seller-fault refund rule (observed %d seller-fault cases, limit applies from 5 seller-fault cases)", tc.observedCount), last.String())
		}
	}
	// Without orders, cases that are not the seller's fault leave ELG-4 not applicable under the
	// setting: the product is judged, not refused for an undefined rate (ELG-5), and a product of
	// a temporarily disqualified shop is told the shop's lift.
	e := eligibility.MustNew(policy)
	noOrders := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, RefundCases: 6}
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	r, err := e.Product(noOrders, shop, at)
	require.NoError(t, err)
	require.True(t, r.Eligible(), "%v", r.Decision)
	paused, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: at.Add(-time.Hour)}, at)
	require.NoError(t, err)
	r, err = e.Product(noOrders, paused, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
	require.True(t, r.Decision.NextAllowed.Equal(paused.Decision.NextAllowed), "next allowed %v, want the shop's %v", r.Decision.NextAllowed, paused.Decision.NextAllowed)
	// By default the same product's six cases make ELG-4 apply without orders: bad input (ELG-5).
	_, err = eligibility.MustNew(eligibility.DefaultPolicy()).Product(noOrders, shop, at)
	require.ErrorContains(t, err, "rate undefined")
	require.True(t, reloaded(t, policy, at).MinRefundCasesSellerFault, "the setting survives policy JSON")
}
