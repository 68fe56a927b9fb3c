package eligibility_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
)

// Issue 10: hostile and careless input gives a clear error, never a silent answer, a hang or a
// panic. Each row names the error it expects: the sentinel (errors.Is), the FieldError's field,
// and a part of the message.

// wantErr checks err against a row's expectations.
func wantErr(t *testing.T, err error, target error, field, text string) {
	t.Helper()
	require.Error(t, err)
	if target != nil {
		assert.ErrorIs(t, err, target)
	}
	if field != "" {
		var fe *affrules.FieldError
		require.True(t, errors.As(err, &fe), "%v is not a *affrules.FieldError", err)
		assert.Equal(t, field, fe.Field, "%v", err)
		assert.Equal(t, "eligibility", fe.Pkg)
	}
	assert.Contains(t, err.Error(), text)
}

var (
	minInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive
)

func TestHostileShop(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	bkk := time.FixedZone("ICT", 7*3600)
	shop := func(f func(*eligibility.Shop)) eligibility.Shop {
		s := eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: dec("4")}
		f(&s)
		return s
	}
	rating := func(d decimal.Decimal) eligibility.Shop { return shop(func(s *eligibility.Shop) { s.StoreRating = d }) }
	good := shop(func(*eligibility.Shop) {})
	for _, tt := range []struct {
		name   string
		shop   eligibility.Shop
		at     time.Time
		target error
		field  string
		text   string
	}{
		// Today TH would judge by the generic thresholds of year 1: a 2.8-rated shop would pass.
		{"zero instant, a 2.8-rated TH shop", rating(dec("2.8")), time.Time{}, affrules.ErrOutOfRange, "at", "at 0001-01-01T00:00:00Z: is the zero time"},
		{"zero instant in another zone", good, time.Time{}.In(bkk), affrules.ErrOutOfRange, "at", "is the zero time"},
		{"instant just before 1900", good, minInstant.Add(-time.Nanosecond), affrules.ErrOutOfRange, "at", "must be in the years 1900 to 2199"},
		{"instant at 2200", good, maxInstant, affrules.ErrOutOfRange, "at", "must be in the years 1900 to 2199"},
		{"instant at year 9999", good, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), affrules.ErrOutOfRange, "at", "1900 to 2199"},
		{"rating with a huge negative exponent", rating(decimal.New(4, -2_000_000_000)), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "has an exponent outside -28 to 28"},
		{"rating with a huge exponent", rating(decimal.New(4, 2_000_000_000)), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "exponent"},
		{"rating one decimal place past the bound", rating(decimal.New(4, -29)), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "e-29"},
		{"rating of 39 digits", rating(dec("123456789012345678901234567890123456789")), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "more than 38"},
		{"rating of 20 digits above 5", rating(dec("5.0000000000000000001")), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "must be between 0 and 5"},
		{"rating of 20 digits below 0", rating(dec("-0.0000000000000000001")), t0, affrules.ErrOutOfRange, "shop[s].store_rating", "must be between 0 and 5"},
		{"empty shop ID", shop(func(s *eligibility.Shop) { s.ID = "" }), t0, nil, "shop.id", `eligibility: shop.id "": is required`},
		{"no market", shop(func(s *eligibility.Shop) { s.Market = "" }), t0, affrules.ErrUnknownMarket, "shop[s].market", `shop[s].market "": is required`},
		{"market in lower case", shop(func(s *eligibility.Shop) { s.Market = "th" }), t0, affrules.ErrUnknownMarket, "shop[s].market", "shop[s].market th: unknown market"},
		{"violation before 1900", shop(func(s *eligibility.Shop) { s.LastCounterfeitViolation = minInstant.Add(-time.Nanosecond) }), t0, affrules.ErrOutOfRange, "shop[s].last_counterfeit_violation", "1900 to 2199"},
		{"violation at year -5000", shop(func(s *eligibility.Shop) { s.LastCounterfeitViolation = time.Date(-5000, 1, 1, 0, 0, 0, 0, time.UTC) }), t0, affrules.ErrOutOfRange, "shop[s].last_counterfeit_violation", ""},
		{"violation after the instant", shop(func(s *eligibility.Shop) { s.LastCounterfeitViolation = t0.Add(time.Nanosecond) }), t0, nil, "shop[s].last_counterfeit_violation", "is after the evaluation instant"},
		{"previous state out of range", shop(func(s *eligibility.Shop) { s.Previous = 200 }), t0, affrules.ErrOutOfRange, "shop[s].previous", "previous 200"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r eligibility.Result
			var err error
			deadline.Within(t, time.Second, func() { r, err = e.Shop(tt.shop, tt.at) })
			wantErr(t, err, tt.target, tt.field, tt.text)
			assert.Equal(t, eligibility.Result{}, r, "a zero result beside the error")
		})
	}

	// The bounds themselves are accepted, and a result at the upper bound marshals: with every
	// instant before 2200 and a window of at most 100 years, no result reaches year 10000.
	for _, at := range []time.Time{minInstant, maxInstant.Add(-time.Nanosecond), time.Date(2199, 12, 31, 23, 0, 0, 0, bkk)} {
		r, err := e.Shop(good, at)
		require.NoError(t, err, at)
		assert.True(t, r.Eligible())
	}
	long := eligibility.SeedThresholds()
	long.CounterfeitWindowDays = 36500
	el := eligibility.MustNew(policyOf(mustTimeline(t, time.Time{}, long)))
	last := maxInstant.Add(-time.Nanosecond)
	r, err := el.Shop(shop(func(s *eligibility.Shop) { s.LastCounterfeitViolation = last }), last)
	require.NoError(t, err)
	assert.Equal(t, eligibility.TemporarilyDisqualified, r.State)
	assert.True(t, r.Decision.NextAllowed.IsZero(), "a lift in 2299 is after every instant accepted (MKT-5): %v", r.Decision.NextAllowed)
	_, err = json.Marshal(r)
	require.NoError(t, err, "a result at the upper bound marshals")
	// The rating bounds: exponents -28 and 28 are in, and ratings of more than 18 digits (compared
	// as big decimals) are judged exactly.
	for _, tt := range []struct {
		d     decimal.Decimal
		state eligibility.State
	}{
		{decimal.New(4, -28), eligibility.TemporarilyDisqualified},
		{decimal.New(0, 28), eligibility.TemporarilyDisqualified},
		{decimal.New(30000000000000000, -16), eligibility.Eligible}, // 3, 17 digits
		{dec("4.9999999999999999999999999999"), eligibility.Eligible},
		{dec("2.4999999999999999999999999999"), eligibility.TemporarilyDisqualified}, // below 2.5
		{dec("2.5000000000000000000000000000"), eligibility.Eligible},
		{dec("5.0000000000000000000000000000"), eligibility.Eligible},
	} {
		r, err := e.Shop(rating(tt.d), t0)
		require.NoError(t, err, "exponent %d, %d digits", tt.d.Exponent(), tt.d.NumDigits())
		assert.Equal(t, tt.state, r.State, "%s", tt.d)
	}
}

func TestHostileProduct(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	uk := eligibleShop(t, e, affrules.UK)
	product := func(f func(*eligibility.Product)) eligibility.Product {
		p := goodProduct(affrules.UK, affrules.Electronics)
		f(&p)
		return p
	}
	good := product(func(*eligibility.Product) {})
	for _, tt := range []struct {
		name   string
		p      eligibility.Product
		shop   eligibility.Result
		at     time.Time
		target error
		field  string
		text   string
	}{
		{"zero instant", good, uk, time.Time{}, affrules.ErrOutOfRange, "at", "is the zero time"},
		{"instant at year 9999", good, uk, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), affrules.ErrOutOfRange, "at", "1900 to 2199"},
		{"instant before 1900", good, uk, minInstant.Add(-time.Second), affrules.ErrOutOfRange, "at", "1900 to 2199"},
		{"empty product ID", product(func(p *eligibility.Product) { p.ID = "" }), uk, t0, nil, "product.id", `product.id "": is required (product of shop "shop-1")`},
		{"empty shop ID", product(func(p *eligibility.Product) { p.ShopID = "" }), uk, t0, nil, "product[p-1].shop_id", `product[p-1].shop_id "": is required`},
		{"no market", product(func(p *eligibility.Product) { p.Market = "" }), uk, t0, affrules.ErrUnknownMarket, "product[p-1].market", `product[p-1].market "": is required`},
		// Evaluator.Product checks the market against the shop result's, as Run.Products always did:
		// a UK shop's product judged by TH's thresholds would pass ELG-3 at 1.2%.
		{"market other than the shop's", product(func(p *eligibility.Product) { p.Market = affrules.TH; p.NegativeReviewOrders = 12 }), uk, t0, nil, "product[p-1].market", `product[p-1].market TH: differs from shop "shop-1"'s market UK`},
		{"unknown market", product(func(p *eligibility.Product) { p.Market = "ZZ" }), uk, t0, affrules.ErrUnknownMarket, "product[p-1].market", "product[p-1].market ZZ: unknown market"},
		{"market in lower case", product(func(p *eligibility.Product) { p.Market = "uk" }), uk, t0, affrules.ErrUnknownMarket, "product[p-1].market", "unknown market"},
		{"shop result without a market", good, eligibility.Result{ID: "shop-1", ShopID: "shop-1", State: eligibility.Eligible, Decision: affrules.Decide()}, t0, nil, "product[p-1] shop result", "has no market: must come from Evaluator.Shop"},
		{"shop result of another market", good, eligibleShop(t, e, affrules.TH), t0, nil, "product[p-1].market", `differs from shop "shop-1"'s market TH`},
		{"empty category", product(func(p *eligibility.Product) { p.Category = "" }), uk, t0, affrules.ErrUnknownCategory, "product[p-1].category", `product[p-1].category "": unknown category`},
		{"category in another case", product(func(p *eligibility.Product) { p.Category = "Electronics" }), uk, t0, affrules.ErrUnknownCategory, "product[p-1].category", "unknown category"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r eligibility.Result
			var err error
			deadline.Within(t, time.Second, func() { r, err = e.Product(tt.p, tt.shop, tt.at) })
			wantErr(t, err, tt.target, tt.field, tt.text)
			assert.Equal(t, eligibility.Result{}, r, "a zero result beside the error")
		})
	}
	// A shop result carries its market, through JSON too, so a host may store it and evaluate
	// the shop's products later.
	b, err := json.Marshal(uk)
	require.NoError(t, err)
	var back eligibility.Result
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, affrules.UK, back.Market)
	r, err := e.Product(good, back, t0)
	require.NoError(t, err)
	assert.Equal(t, affrules.UK, r.Market)
	assert.True(t, r.Eligible())
}

// Run: the instant and IDs are checked as by the evaluator; every error is yielded beside the
// zero Result and names the product.
func TestHostileRun(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shops := []eligibility.Shop{{ID: "a", Market: affrules.TH, StoreRating: dec("2.8")}}

	run, err := e.NewRun(slices.Values(shops), time.Time{})
	wantErr(t, err, affrules.ErrOutOfRange, "at", "is the zero time")
	assert.Nil(t, run, "no run at the zero instant")
	for r, err := range run.Products(slices.Values([]eligibility.Product{goodProduct(affrules.TH, affrules.FMCG)})) {
		assert.ErrorIs(t, err, eligibility.ErrNoPolicy, "a nil run fails closed")
		assert.Equal(t, eligibility.Result{}, r)
	}
	_, err = e.NewRun(nil, maxInstant)
	wantErr(t, err, affrules.ErrOutOfRange, "at", "1900 to 2199")

	run, err = e.NewRun(slices.Values([]eligibility.Shop{
		{ID: "a", Market: affrules.UK, StoreRating: dec("4")},
		{ID: "", Market: affrules.UK, StoreRating: dec("4")},
		{ID: "", Market: affrules.UK, StoreRating: dec("4")},
		{ID: "twice", Market: affrules.UK, StoreRating: dec("4")},
		{ID: "twice", Market: affrules.UK, StoreRating: dec("1")},
		{ID: "huge", Market: affrules.UK, StoreRating: decimal.New(4, -2_000_000_000)},
	}), t0)
	require.NotNil(t, run)
	assert.ErrorContains(t, err, `shop.id "": is required`)
	assert.ErrorContains(t, err, `shop.id "twice": appears twice in the run: every shop under it is left out`)
	_, ok := run.Shop("twice")
	assert.False(t, ok, "a shop ID given twice is left out: which shop is meant is unknown")
	assert.ErrorContains(t, err, "shop[huge].store_rating")
	_, ok = run.Shop("")
	assert.False(t, ok, "a shop without an ID is left out")

	p := func(f func(*eligibility.Product)) eligibility.Product {
		p := eligibility.Product{ID: "p", ShopID: "a", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 5, RefundCases: 5}
		f(&p)
		return p
	}
	for _, tt := range []struct {
		name  string
		p     eligibility.Product
		field string
		text  string
	}{
		{"empty product ID", p(func(p *eligibility.Product) { p.ID = "" }), "product.id", `product.id "": is required (product of shop "a")`},
		{"empty shop ID", p(func(p *eligibility.Product) { p.ShopID = "" }), "product[p].shop_id", `product[p].shop_id "": is required`},
		{"empty IDs", p(func(p *eligibility.Product) { p.ID, p.ShopID = "", "" }), "product.id", `product.id "": is required`},
		{"shop not in the run", p(func(p *eligibility.Product) { p.ShopID = "zz" }), "product[p].shop_id", `product[p].shop_id "zz": is not a shop evaluated in this run`},
		{"shop left out of the run", p(func(p *eligibility.Product) { p.ShopID = "huge" }), "product[p].shop_id", "is not a shop evaluated in this run"},
		{"shop ID given twice", p(func(p *eligibility.Product) { p.ShopID = "twice" }), "product[p].shop_id", "is not a shop evaluated in this run"},
		{"market other than the shop's", p(func(p *eligibility.Product) { p.Market = affrules.TH }), "product[p].market", `product[p].market TH: differs from shop "a"'s market UK`},
		{"no market", p(func(p *eligibility.Product) { p.Market = "" }), "product[p].market", `product[p].market "": is required`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for r, err := range run.Products(slices.Values([]eligibility.Product{tt.p})) {
				n++
				wantErr(t, err, nil, tt.field, tt.text)
				assert.Equal(t, eligibility.Result{}, r, "a zero result beside the error")
			}
			assert.Equal(t, 1, n)
		})
	}
}

// Policies: huge decimals are refused before any comparison, unknown markets and repeated keys
// at any depth are errors, and the enums of results refuse unknown names.
func TestHostilePolicy(t *testing.T) {
	th := eligibility.SeedThresholds()
	th.MinStoreRating = decimal.New(25, -2_000_000_000)
	var err error
	deadline.Within(t, time.Second, func() { err = policyOf(mustTimeline(t, time.Time{}, th)).Validate() })
	wantErr(t, err, affrules.ErrOutOfRange, "policy.default[0] (from 0001-01-01T00:00:00Z).min_store_rating", "has an exponent outside -28 to 28")
	th.MinStoreRating = decimal.New(25, 2_000_000_000)
	deadline.Within(t, time.Second, func() { _, err = eligibility.New(policyOf(mustTimeline(t, time.Time{}, th))) })
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	version := `{"from": "2020-01-01T00:00:00Z", "value": {"counterfeit_window_days": 60, "min_store_rating": "2.5", "min_reviews": 5, "min_refund_cases": 5,
		"categories": {"fmcg": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}}}}`
	for _, tt := range []struct {
		name, json string
		target     error
		text       string
	}{
		{"huge exponent in JSON", strings.Replace(validPolicy, `"2.5"`, `"4e-2000000000"`, 1), nil, "exponent -2000000000"},
		{"exponent past the bound in JSON", strings.Replace(validPolicy, `"2.5"`, `"2.50000000000000000000000000000"`, 1), affrules.ErrOutOfRange, "min_store_rating (coefficient) e-29"},
		{"unknown market", `{"markets": {"XX": [` + version + `]}}`, affrules.ErrUnknownMarket, "policy.markets XX: unknown market"},
		{"market in lower case", `{"markets": {"th": [` + version + `]}}`, affrules.ErrUnknownMarket, "policy.markets th: unknown market"},
		{"empty market key", `{"markets": {"": [` + version + `]}}`, affrules.ErrUnknownMarket, "unknown market"},
		{"empty category key", strings.Replace(validPolicy, `"electronics"`, `""`, 1), nil, `categories "": category key must not be empty`},
		// Typos in category keys that no product's category would ever match.
		{"category key padded", strings.Replace(validPolicy, `"electronics"`, `" electronics"`, 1), nil, `categories " electronics": category key has spaces around it`},
		{"category key in two cases", strings.Replace(validPolicy, `"electronics": {`, `"Electronics": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}, "electronics": {`, 1), nil,
			`categories "electronics": category key differs only in case from "Electronics"`},
		{"category key not UTF-8", strings.Replace(validPolicy, `"electronics"`, "\"electr\xffnics\"", 1), nil, `category key must be UTF-8 text`},
		{"top-level key twice", `{"default": [` + version + `], "default": [` + version + `]}`, nil, `policy "default": key is given twice`},
		{"from twice in a version", `{"default": [{"from": "2020-01-01T00:00:00Z", ` + version[1:] + `]}`, nil, `policy.default[0] "from": key is given twice`},
		{"limit twice in a category", strings.Replace(validPolicy, `"negative_review_rate_below": "1%"`, `"negative_review_rate_below": "1%", "negative_review_rate_below": "9%"`, 1), nil,
			`policy.default[0].value.categories[electronics] "negative_review_rate_below": key is given twice`},
		{"ELG-2 limit given as null", strings.Replace(validPolicy, `"2.5"`, `null`, 1), nil, `min_store_rating null: is required: null would silently be zero`},
		{"ELG-3 minimum given as null", `{"markets": {"TH": [` + strings.Replace(version, `"min_reviews": 5`, `"min_reviews": null`, 1) + `]}}`, nil,
			`policy.markets[TH][0].value.min_reviews null: is required`},
		{"field twice in an override", `{"markets": {"TH": [` + strings.Replace(version, `"min_reviews": 5`, `"min_reviews": 5, "min_reviews": 0`, 1) + `]}}`, nil,
			`policy.markets[TH][0].value "min_reviews": key is given twice`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			deadline.Within(t, time.Second, func() { _, err = eligibility.ParsePolicy([]byte(tt.json)) })
			require.Error(t, err)
			if tt.target != nil {
				assert.ErrorIs(t, err, tt.target)
			}
			assert.Contains(t, err.Error(), tt.text)
		})
	}

	// The enums a result carries refuse unknown names, other cases and the empty name.
	for _, name := range []string{"", "Eligible", "ELIGIBLE", "eligible ", "suspended"} {
		var s eligibility.State
		assert.Error(t, s.UnmarshalText([]byte(name)), "state %q", name)
	}
	for _, name := range []string{"", "Shop", "market", "shop\x00"} {
		var s eligibility.Scope
		assert.Error(t, s.UnmarshalText([]byte(name)), "scope %q", name)
	}
	var r eligibility.Result
	assert.Error(t, json.Unmarshal([]byte(`{"id":"s","state":"gone","decision":{"allowed":false}}`), &r))
}

// Listing (ELG-7, INV-12): an unknown purpose lists nothing and says so; an empty viewer ID is
// the public listing, which is never "the creator's own MCN", so it fails closed.
func TestHostileListing(t *testing.T) {
	l := eligibility.DefaultListing()
	c := eligibility.Creator{ID: "c", ECommercePermission: true}
	linked := eligibility.Creator{ID: "c", ECommercePermission: true, LinkedMCN: "agency-x"}
	unknown := func(p eligibility.Purpose) affrules.Reason {
		return affrules.Reason{Rule: eligibility.RulePurposeRole, Key: "eligibility.inv7.unknown_purpose", Observed: affrules.Text(string(p))}
	}
	for _, tt := range []struct {
		name    string
		viewer  eligibility.Viewer
		purpose eligibility.Purpose
		creator eligibility.Creator
		want    []affrules.Reason // nil: listed
	}{
		{"purpose in another case", agency, "Creator_Partnership", c, []affrules.Reason{unknown("Creator_Partnership")}},
		{"purpose with a trailing space", agency, "product_distribution ", c, []affrules.Reason{unknown("product_distribution ")}},
		{"empty purpose", agency, "", c, []affrules.Reason{unknown("")}},
		{"purpose holding NUL", agency, "creator_partnership\x00", c, []affrules.Reason{unknown("creator_partnership\x00")}},
		{"empty viewer ID: an unlinked creator is listed", eligibility.Viewer{MCN: true}, eligibility.CreatorPartnership, c, nil},
		{"empty viewer ID: a linked creator is another MCN's", eligibility.Viewer{MCN: true}, eligibility.CreatorPartnership, linked,
			[]affrules.Reason{{Rule: eligibility.RuleListing, Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("agency-x")}}},
		{"empty viewer ID without a role", eligibility.Viewer{}, eligibility.CreatorPartnership, c, []affrules.Reason{
			{Rule: eligibility.RuleMarketplaceAccess, Key: "eligibility.inv12.no_marketplace_access", Observed: affrules.Text("no role")},
			{Rule: eligibility.RulePurposeRole, Key: "eligibility.inv7.purpose_not_held", Observed: affrules.Text("creator_partnership"), Limit: affrules.Text("the MCN role")},
		}},
		{"viewer ID equal to the link only when exact", eligibility.Viewer{ID: "Agency-X", MCN: true}, eligibility.CreatorPartnership, linked,
			[]affrules.Reason{{Rule: eligibility.RuleListing, Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("agency-x")}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := l.Listed(tt.viewer, tt.purpose, tt.creator)
			assert.Equal(t, tt.want == nil, d.Allowed)
			assert.Equal(t, tt.want, d.Reasons)
			_, err := json.Marshal(d)
			assert.NoError(t, err)
		})
	}
	assert.Equal(t, eligibility.View{}, l.ViewOf(eligibility.Viewer{}, c), "the zero viewer sees nothing")
	assert.False(t, l.ViewOf(eligibility.Viewer{MCN: true}, linked).Partnership, "the public listing never sees a linked creator as its own")
}

// ELG-1, MKT-5: a temporarily disqualified shop's result used for a product at or after the
// instant its disqualification lifts came from an earlier instant: its reasons no longer hold,
// so the product is an error, not a denial with a reason that is not true. Up to the last
// nanosecond before it lifts, the shop's reasons stand.
func TestProductStaleShopResult(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	violation := at.Add(-10 * 24 * time.Hour)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.PH, StoreRating: decimal.RequireFromString("4"), LastCounterfeitViolation: violation}, at)
	require.NoError(t, err)
	lifts := violation.Add(60 * 24 * time.Hour)
	require.Equal(t, lifts, shop.Decision.NextAllowed)
	p := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.PH, Category: affrules.FMCG, Orders: 1000, Reviews: 10, NegativeReviewOrders: 1}

	r, err := e.Product(p, shop, lifts.Add(-time.Nanosecond))
	require.NoError(t, err)
	assert.True(t, r.Decision.Failed(eligibility.RuleCounterfeit))
	assert.Equal(t, lifts, r.Decision.NextAllowed)

	for _, later := range []time.Time{lifts, lifts.Add(24 * time.Hour)} {
		_, err = e.Product(p, shop, later)
		wantErr(t, err, nil, "product[p] shop result", "lifts at 2026-07-30T00:00:00Z, not after the product's instant")
	}
	// A permanent or undated disqualification has no instant at which it lifts: no such check.
	low, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.PH, StoreRating: decimal.RequireFromString("2")}, at)
	require.NoError(t, err)
	_, err = e.Product(p, low, at.AddDate(1, 0, 0))
	require.NoError(t, err)
}

// ELG-6: a product's result given as its shop's is refused, though its ID is the product's
// shop ID: its state is the product's own, which would be reported as the shop's (a disqualified
// product's) or hide the shop's (an eligible product of a disqualified shop).
func TestProductResultAsShopResult(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s9", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	for name, counts := range map[string]eligibility.Product{
		"disqualified": {Orders: 100, Reviews: 10, NegativeReviewOrders: 10},
		"eligible":     {Orders: 100},
	} {
		p := counts
		p.ID, p.ShopID, p.Market, p.Category = "s1", "s9", affrules.UK, affrules.FMCG // a product ID that is also a shop's
		pr, err := e.Product(p, shop, at)
		require.NoError(t, err, name)
		_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s1", Market: affrules.UK, Category: affrules.FMCG, Orders: 10}, pr, at)
		wantErr(t, err, nil, "product[p] shop result", "is the result of a product of shop \"s9\"")
	}
	// A product whose ID is its shop's, disqualified by its own rules: its result names the shop
	// as itself, and only its product scope tells it from the shop's.
	own := eligibility.Product{ID: "s9", ShopID: "s9", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 10, NegativeReviewOrders: 10}
	pr, err := e.Product(own, shop, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.ProductScope, pr.Scope)
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s9", Market: affrules.UK, Category: affrules.FMCG, Orders: 10}, pr, at)
	wantErr(t, err, nil, "product[p] shop result", "is the result of a product of shop \"s9\" (scope product)")
	// The shop's own result, and one built by hand without a shop ID, are taken.
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s9", Market: affrules.UK, Category: affrules.FMCG, Orders: 10}, shop, at)
	require.NoError(t, err)
	byHand := eligibility.Result{ID: "s9", Market: affrules.UK, State: eligibility.Eligible, Decision: affrules.Decide()}
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s9", Market: affrules.UK, Category: affrules.FMCG, Orders: 10}, byHand, at)
	require.NoError(t, err)
}

// MKT-5: a shop result that denies without a failed reason (a host's hand-made or edited one)
// is refused: the product's denial would say no why.
func TestProductShopResultWithoutFailure(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: at.AddDate(0, 0, -10)}, at)
	require.NoError(t, err)
	shop.Decision.Reasons = nil
	_, err = e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.TH, Category: affrules.Electronics, Orders: 10, Reviews: 2, RefundCases: 1}, shop, at)
	wantErr(t, err, nil, "product[p] shop result", "has no failed reason")
}

// Lifted: a denial whose NextAllowed is at or before the instant was evaluated earlier; one
// lifting later, one time does not lift, and an allowed result are not.
func TestResultLifted(t *testing.T) {
	lifts := time.Date(2026, 7, 30, 0, 0, 0, 0, time.UTC)
	temp := eligibility.Result{State: eligibility.TemporarilyDisqualified, Decision: affrules.Decision{NextAllowed: lifts}}
	assert.False(t, temp.Lifted(lifts.Add(-time.Nanosecond)))
	assert.True(t, temp.Lifted(lifts))
	assert.True(t, temp.Lifted(lifts.Add(time.Hour)))
	assert.False(t, eligibility.Result{State: eligibility.TemporarilyDisqualified}.Lifted(lifts), "no instant: time does not lift it")
	assert.False(t, eligibility.Result{State: eligibility.Eligible, Decision: affrules.Decide()}.Lifted(lifts))
	var zero eligibility.Result
	assert.False(t, zero.Lifted(lifts))
}

// A stored result reads back as it was written, and only so: a key unknown, given twice or in
// another case, a required one left out, or a decision that disagrees with the state is an
// error naming the result's field, and the result given is left as it was.
func TestResultJSONStrict(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: at.AddDate(0, 0, -10)}, at)
	require.NoError(t, err)
	ok, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	for _, r := range []eligibility.Result{shop, ok} {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var back eligibility.Result
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, r.Decision.String(), back.Decision.String())
		require.Equal(t, r.State, back.State)
	}
	for name, tc := range map[string]struct{ json, want string }{
		"allowed, not eligible":  {`{"id":"p","state":"temporarily_disqualified","scope":"product","decision":{"allowed":true}}`, `eligibility: result.decision.allowed true: disagrees with the result's state temporarily_disqualified`},
		"eligible, denied":       {`{"id":"p","state":"eligible","decision":{"allowed":false,"reasons":[{"rule":"ELG-3","kind":"failed","key":"k"}]}}`, `result.decision.allowed false: disagrees`},
		"no decision":            {`{"id":"p","state":"temporarily_disqualified","scope":"product"}`, `eligibility: result.decision (absent): is required`},
		"no id":                  {`{"state":"eligible","decision":{"allowed":true}}`, `eligibility: result.id (absent): is required`},
		"no state":               {`{"id":"p","decision":{"allowed":false}}`, `eligibility: result.state (absent): is required`},
		"eligible with a scope":  {`{"id":"p","state":"eligible","scope":"product","decision":{"allowed":true}}`, `eligibility: result.scope product: disagrees with the result's state eligible`},
		"disqualified, no scope": {`{"id":"p","state":"permanently_disqualified","decision":{"allowed":false,"reasons":[{"rule":"ELG-2","kind":"failed","key":"k"}]}}`, `result.scope none: disagrees`},
		"unknown key":            {`{"id":"p","stat":"eligible","state":"eligible","decision":{"allowed":true}}`, `"stat"`},
		"key in another case":    {`{"id":"p","State":"eligible","decision":{"allowed":true}}`, `"State"`},
		"key twice":              {`{"id":"p","state":"permanently_disqualified","state":"eligible","decision":{"allowed":true}}`, `"state": key is given twice`},
	} {
		before := eligibility.Result{ID: "kept"}
		err := json.Unmarshal([]byte(tc.json), &before)
		require.ErrorContains(t, err, tc.want, name)
		require.Equal(t, "kept", before.ID, name)
	}
}
