package eligibility_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// Each exported type's zero value behaves as its doc says (the zero Evaluator, Run and Policy are
// covered by TestZeroEvaluator and TestNewRejectsZeroPolicy).
func TestZeroValues(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())

	var s eligibility.State
	assert.Equal(t, eligibility.Unevaluated, s)
	assert.Equal(t, "unevaluated", s.String())

	var r eligibility.Result
	assert.False(t, r.Eligible(), "the zero Result is not eligible")
	assert.False(t, r.ForCampaign().Allowed)
	_, err := e.Product(eligibility.Product{ID: "p", ShopID: "", Market: affrules.UK, Category: affrules.FMCG}, r, t0)
	assert.ErrorContains(t, err, `product[p].shop_id "": is required`, "the zero Result is refused as a shop result")
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG}, eligibility.Result{ID: "s"}, t0)
	assert.ErrorContains(t, err, "must come from Evaluator.Shop", "a result without a market is refused as a shop result")

	_, err = e.Shop(eligibility.Shop{}, t0)
	assert.ErrorContains(t, err, `eligibility: shop.id "": is required`, "the zero Shop has no ID")
	_, err = e.Shop(eligibility.Shop{ID: "s"}, t0)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket, "nor a market")
	shop := eligibleShop(t, e, affrules.UK)
	_, err = e.Product(eligibility.Product{}, shop, t0)
	assert.ErrorContains(t, err, `eligibility: product.id "": is required`, "the zero Product has no ID")
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: shop.ID, Market: affrules.UK}, shop, t0)
	assert.ErrorIs(t, err, affrules.ErrUnknownCategory, "nor a category")

	var c eligibility.Creator
	d := eligibility.DefaultListing().Listed(agency, eligibility.CreatorPartnership, c)
	assert.False(t, d.Allowed, "the zero Creator lacks e-commerce permission")
	assert.Equal(t, affrules.MessageKey("eligibility.elg7.no_ecommerce_permission"), d.Reasons[0].Key)
	assert.Equal(t, eligibility.View{}, eligibility.DefaultListing().ViewOf(agency, c))
	assert.Equal(t, eligibility.View{Listed: false, Performance: false, Contact: false, Partnership: false, Distribution: false, ManagedBy: ""}, eligibility.View{}, "the zero View shows nothing")
	listed := eligibility.Creator{ID: "c", ECommercePermission: true}
	assert.False(t, eligibility.DefaultListing().Listed(eligibility.Viewer{}, eligibility.ProductDistribution, listed).Allowed, "the zero Viewer holds no role")
	assert.Equal(t, eligibility.View{}, eligibility.DefaultListing().ViewOf(eligibility.Viewer{}, listed))
	assert.False(t, eligibility.DefaultListing().Listed(agency, "", listed).Allowed, "the zero Purpose lists nothing")
	var strict eligibility.Listing // the zero Listing: partner-only refused, MCN-linked creators kept out
	assert.False(t, strict.Uses(eligibility.Viewer{ID: "tap", Partner: true}))
	assert.False(t, strict.Listed(agency, eligibility.ProductDistribution, eligibility.Creator{ID: "c", ECommercePermission: true, LinkedMCN: "other"}).Allowed)
	var r0 eligibility.Result
	assert.Equal(t, eligibility.NoScope, r0.Scope, "the zero Result has no scope")
	assert.False(t, r0.Permanent())

	err = policyOf(mustTimeline(t, time.Time{}, eligibility.Thresholds{})).Validate()
	assert.ErrorContains(t, err, "counterfeit_window_days 0: must be at least 1", "the zero Thresholds do not validate")
	assert.ErrorContains(t, err, "categories {}: must name at least one category")
	th := eligibility.SeedThresholds()
	th.Categories[affrules.FMCG] = eligibility.Limits{}
	err = policyOf(mustTimeline(t, time.Time{}, th)).Validate()
	assert.ErrorContains(t, err, "categories[fmcg].negative_review_rate_below 0%: must be above 0%", "the zero Limits do not validate")
	assert.ErrorContains(t, err, "categories[fmcg].seller_fault_refund_rate_below 0%: must be above 0%")
}

// A top-level setting left out of policy JSON keeps its DefaultPolicy value; one given replaces
// it whole (issue 7 §3).
func TestParsePolicyTopLevelDefaults(t *testing.T) {
	def := eligibility.DefaultPolicy()
	jsonOf := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return string(b)
	}

	p, err := eligibility.ParsePolicy([]byte(`{}`))
	require.NoError(t, err)
	assert.JSONEq(t, jsonOf(def), jsonOf(p), "an empty document is the default policy")

	// "markets" left out: the default's stay (none: the seed values apply in every market).
	p, err = eligibility.ParsePolicy([]byte(validPolicy))
	require.NoError(t, err)
	assert.Empty(t, p.Overridden())
	assert.JSONEq(t, jsonOf(def.Markets), jsonOf(p.Markets))
	assert.Equal(t, 1, p.Default.Len())
	v, _ := p.Default.At(t0)
	assert.Equal(t, []affrules.Category{affrules.Electronics}, keys(v.Categories), "the given default replaces the seed one whole")

	// A top-level list or map given as null is none, by the one loading rule: no override for
	// "markets", and a "default" of no version, refused as [] is (not the seed values kept).
	p, err = eligibility.ParsePolicy([]byte(strings.Replace(validPolicy, "\n}", `, "markets": null}`, 1)))
	require.NoError(t, err)
	assert.Empty(t, p.Overridden())
	_, err = eligibility.ParsePolicy([]byte(`{"default": null, "markets": null}`))
	require.EqualError(t, err, "eligibility: policy.default []: must have at least one version")

	// "markets": {} given: no override.
	p, err = eligibility.ParsePolicy([]byte(strings.Replace(validPolicy, "\n}", `, "markets": {}}`, 1)))
	require.NoError(t, err)
	assert.Empty(t, p.Overridden())

	// "default" left out: the seed thresholds stay, under the given override.
	p, err = eligibility.ParsePolicy([]byte(`{"markets": {"SG": [{"from": "2026-01-01T00:00:00Z", "value": {
		"counterfeit_window_days": 30, "min_store_rating": "4", "min_reviews": 10, "min_refund_cases": 10,
		"categories": {"books": {"negative_review_rate_below": "2%", "seller_fault_refund_rate_below": "3%"}}}}]}}`))
	require.NoError(t, err)
	assert.JSONEq(t, jsonOf(def.Default), jsonOf(p.Default))
	assert.Equal(t, []affrules.MarketCode{affrules.SG}, p.Overridden(), "the given markets replace the default ones whole")
}

func keys[K ~string, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}
