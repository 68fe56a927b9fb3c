package eligibility_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// ELG-6's split is policy: with ProductBanDisqualifiesShop a product frozen or delisted for a
// policy violation disqualifies its shop permanently (the shop's facts say so: ProductBanned),
// and the banned product's result has the shop's scope; by default the ban is the product's
// alone and the shop's fact is not read.
func TestProductBanDisqualifiesShop_ELG6(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	p := eligibility.DefaultPolicy()
	th, _ := p.Default.At(at)
	th.ProductBanDisqualifiesShop = true
	tl, err := affrules.NewTimeline(affrules.Effective[eligibility.Thresholds]{Value: th})
	require.NoError(t, err)
	p.Default = tl
	banning, plain := eligibility.MustNew(p), eligibility.MustNew(eligibility.DefaultPolicy())
	require.True(t, reloaded(t, p, at).ProductBanDisqualifiesShop, "the setting survives policy JSON")

	shop := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), ProductBanned: true}
	got, err := banning.Shop(shop, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.PermanentlyDisqualified, got.State)
	require.Equal(t, eligibility.ShopScope, got.Scope)
	require.Equal(t, []affrules.Reason{{Rule: eligibility.RulePermanent, Key: "eligibility.elg6.product_banned"}}, got.Decision.Reasons)
	require.True(t, got.Decision.NextAllowed.IsZero(), "permanent: time never lifts it")
	ok, err := plain.Shop(shop, at)
	require.NoError(t, err)
	require.True(t, ok.Eligible(), "by default the shop's fact is not read")

	fmcg := func(frozen bool) eligibility.Product {
		return eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Frozen: frozen}
	}
	// A sibling of the banned product, in the banned shop: permanent, for the shop.
	r, err := banning.Product(fmcg(false), got, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.PermanentlyDisqualified, r.State)
	require.Equal(t, eligibility.ShopScope, r.Scope)
	require.True(t, r.Decision.Failed(eligibility.RulePermanent))

	// The frozen product itself, its shop evaluated before the host recorded the ban: the
	// product's result says the shop goes with it.
	clean := shop
	clean.ProductBanned = false
	cleanRes, err := banning.Shop(clean, at)
	require.NoError(t, err)
	require.True(t, cleanRes.Eligible())
	r, err = banning.Product(fmcg(true), cleanRes, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.PermanentlyDisqualified, r.State)
	require.Equal(t, eligibility.ShopScope, r.Scope)
	r, err = plain.Product(fmcg(true), cleanRes, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.ProductScope, r.Scope, "by default the ban is the product's alone")

	// A frozen product of a paused shop: the shop's scope with the switch, the product's
	// without (its own disqualification is worse than its shop's).
	paused := clean
	paused.StoreRating = decimal.NewFromInt(1)
	for _, tc := range []struct {
		e     *eligibility.Evaluator
		scope eligibility.Scope
	}{{banning, eligibility.ShopScope}, {plain, eligibility.ProductScope}} {
		pr, err := tc.e.Shop(paused, at)
		require.NoError(t, err)
		require.Equal(t, eligibility.TemporarilyDisqualified, pr.State)
		r, err := tc.e.Product(fmcg(true), pr, at)
		require.NoError(t, err)
		require.Equal(t, eligibility.PermanentlyDisqualified, r.State)
		require.Equal(t, tc.scope, r.Scope)
	}
}

// reloaded returns the default thresholds in force at at of policy p written as JSON and parsed
// back, for a setting's round trip through policy data.
func reloaded(t *testing.T, p eligibility.Policy, at time.Time) eligibility.Thresholds {
	t.Helper()
	b, err := json.Marshal(p)
	require.NoError(t, err)
	back, err := eligibility.ParsePolicy(b)
	require.NoError(t, err, "%s", b)
	v, ok := back.Default.At(at)
	require.True(t, ok, "%s", b)
	return v
}
