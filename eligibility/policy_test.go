package eligibility_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
)

func TestDefaultPolicyValues(t *testing.T) { // ELG-1..4, ELG-10 seed and Thai values
	p := eligibility.DefaultPolicy()
	require.NoError(t, p.Validate())
	seed, ok := p.Default.At(t0)
	require.True(t, ok)
	assert.Equal(t, 60, seed.CounterfeitWindowDays)
	assert.Equal(t, "2.5", seed.MinStoreRating.String())
	assert.Equal(t, int64(5), seed.MinReviews)
	assert.Equal(t, int64(5), seed.MinRefundCases)
	want := map[affrules.Category][2]string{
		affrules.Electronics: {"1%", "2%"}, affrules.Fashion: {"0.7%", "1.8%"},
		affrules.Lifestyle: {"0.7%", "1.8%"}, affrules.FMCG: {"0.6%", "1.5%"},
	}
	got := map[affrules.Category][2]string{}
	for c, l := range seed.Categories {
		got[c] = [2]string{l.NegativeReviewRate.String(), l.SellerFaultRefundRate.String()}
	}
	assert.Equal(t, want, got)

	assert.Empty(t, p.Markets, "no market override: the seed values apply in every market")
	require.NotNil(t, p.Markets, "a host may add an override to the map")
	inTH, ok := p.At(affrules.TH, t0)
	require.True(t, ok)
	assert.Equal(t, "2.5", inTH.MinStoreRating.String(), "TH too")

	th := eligibility.ThaiThresholds()
	assert.Equal(t, "3", th.MinStoreRating.String())
	got = map[affrules.Category][2]string{}
	for c, l := range th.Categories {
		got[c] = [2]string{l.NegativeReviewRate.String(), l.SellerFaultRefundRate.String()}
	}
	assert.Equal(t, map[affrules.Category][2]string{
		affrules.Electronics: {"1.3%", "2%"}, affrules.Fashion: {"0.8%", "1.8%"},
		affrules.FMCG: {"0.8%", "1.8%"}, affrules.Lifestyle: {"0.7%", "1.5%"},
	}, got)
	assert.Equal(t, "2025-05-01T00:00:00+07:00", eligibility.ThaiGuideEffective().Format(time.RFC3339))
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	p := eligibility.DefaultPolicy()
	b, err := json.Marshal(p)
	require.NoError(t, err)
	back, err := eligibility.ParsePolicy(b)
	require.NoError(t, err)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	at := t0
	w, _ := p.Markets[affrules.TH].At(at)
	g, _ := back.Markets[affrules.TH].At(at)
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("TH thresholds (-want +got):\n%s", diff)
	}
}

const validPolicy = `{
  "default": [{"from": "2020-01-01T00:00:00Z", "value": {
    "counterfeit_window_days": 60, "min_store_rating": "2.5", "min_reviews": 5, "min_refund_cases": 5,
    "categories": {"electronics": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}}}}]
}`

func TestParsePolicy(t *testing.T) {
	p, err := eligibility.ParsePolicy([]byte(validPolicy))
	require.NoError(t, err)
	_, err = eligibility.New(p)
	require.NoError(t, err)

	tests := []struct {
		name string
		json string
		want []string // every one must appear
	}{
		{"malformed", `{"default": [`, []string{"eligibility: policy (document): is not valid JSON"}},
		{"trailing data", validPolicy + `{}`, []string{"policy (document): is not valid JSON"}},
		{"unknown field", strings.Replace(validPolicy, `"min_reviews"`, `"min_reviewz"`, 1),
			[]string{`policy.default[0].value "min_reviewz": is not a field`, "policy.default[0].value.min_reviews (absent): is required"}},
		{"rate not a percentage", strings.Replace(validPolicy, `"1%"`, `"0.01"`, 1), []string{`eligibility: policy.default[0].value.categories[electronics].negative_review_rate_below "0.01": must be a percentage`}},
		{"rate above 100%", strings.Replace(validPolicy, `"2%"`, `"200%"`, 1), []string{"out of range"}},
		{"trailing brace", validPolicy + `}`, []string{"policy (document): is not valid JSON"}},
		{"trailing bracket", validPolicy + `]`, []string{"policy (document): is not valid JSON"}},
		{"empty default", `{"default": []}`, []string{"policy.default []: must have at least one version"}},
		// A list given as null is empty, by the one loading rule, not the seed thresholds kept.
		{"default given as null", `{"default": null}`, []string{"policy.default []: must have at least one version"}},
		{"not an object", `null`, []string{"policy (document): must be a JSON object"}},
		{"unknown top-level key", `{"defaults": []}`, []string{`policy "defaults": is not a field`}},
		// encoding/json matches keys case-insensitively, and even by Unicode folding (ſ is s).
		{"key in another case", strings.Replace(validPolicy, `"min_store_rating"`, `"MIN_STORE_RATING"`, 1),
			[]string{`policy.default[0].value "MIN_STORE_RATING": is not a field: keys are case-sensitive (did you mean "min_store_rating"?)`,
				"policy.default[0].value.min_store_rating (absent): is required"}},
		{"key by Unicode folding", strings.Replace(validPolicy, `"min_store_rating"`, `"min_ſtore_rating"`, 1),
			[]string{`policy.default[0].value "min_ſtore_rating": is not a field`}},
		{"top-level key in another case", strings.Replace(validPolicy, `"default"`, `"Default"`, 1),
			[]string{`policy "Default": is not a field: keys are case-sensitive (did you mean "default"?)`}},
		{"key given twice", strings.Replace(validPolicy, `"min_store_rating": "2.5"`, `"min_store_rating": "2.5", "min_store_rating": "0"`, 1),
			[]string{`policy.default[0].value "min_store_rating": key is given twice`}},
		{"category given twice", strings.Replace(validPolicy, `"categories": {`, `"categories": {"electronics": {"negative_review_rate_below": "9%", "seller_fault_refund_rate_below": "9%"}, `, 1),
			[]string{`policy.default[0].value.categories "electronics": key is given twice`}},
		{"market given twice", strings.Replace(validPolicy, "\n}", `, "markets": {"TH": [], "TH": []}}`, 1),
			[]string{`policy.markets "TH": key is given twice`}},
		// A left-out min_store_rating would be 0 and pass every shop (ELG-2): a silent pass.
		{"ELG-2 min_store_rating left out", strings.Replace(validPolicy, `"min_store_rating": "2.5",`, ``, 1),
			[]string{"policy.default[0].value.min_store_rating (absent): is required"}},
		{"every threshold field left out", `{"default": [{"from": "2020-01-01T00:00:00Z", "value": {}}]}`,
			[]string{"value.counterfeit_window_days (absent)", "value.min_store_rating (absent)", "value.min_reviews (absent)",
				"value.min_refund_cases (absent)", "value.categories (absent)"}},
		{"ELG-3 category limit left out", strings.Replace(validPolicy, `"negative_review_rate_below": "1%", `, ``, 1),
			[]string{"policy.default[0].value.categories[electronics].negative_review_rate_below (absent): is required"}},
		{"override version field left out", strings.Replace(validPolicy, "\n}", `, "markets": {"TH": [{"from": "2025-05-01T00:00:00+07:00", "value": {"counterfeit_window_days": 60, "min_store_rating": "3", "min_reviews": 5, "categories": {"fmcg": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}}}}]}}`, 1),
			[]string{"policy.markets[TH][0].value.min_refund_cases (absent): is required"}},
		{"version without value", `{"default": [{"from": "2020-01-01T00:00:00Z"}]}`, []string{"policy.default[0].value (absent): is required"}},
		{"rate limit in another case", strings.Replace(validPolicy, `"negative_review_rate_below"`, `"Negative_Review_Rate_Below"`, 1),
			[]string{`categories[electronics] "Negative_Review_Rate_Below": is not a field`}},
		// ELG-1: 200,000 days overflows a time.Duration; unchecked, the window would wrap negative and pass every shop.
		{"ELG-1 window beyond 100 years", strings.Replace(validPolicy, `"counterfeit_window_days": 60`, `"counterfeit_window_days": 200000`, 1),
			[]string{"counterfeit_window_days 200000: must be at most 36500 (100 years): out of range"}},
		{"market override with no versions", strings.Replace(validPolicy, "\n}", `, "markets": {"TH": []}}`, 1),
			[]string{"policy.markets[TH] []: must have at least one version"}},
		{"versions go backwards", `{"default": [
			{"from": "2021-01-01T00:00:00Z", "value": {"counterfeit_window_days": 60, "min_store_rating": "2.5", "min_reviews": 5, "min_refund_cases": 5, "categories": {"fmcg": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}}}},
			{"from": "2020-01-01T00:00:00Z", "value": {"counterfeit_window_days": 60, "min_store_rating": "2.5", "min_reviews": 5, "min_refund_cases": 5, "categories": {"fmcg": {"negative_review_rate_below": "1%", "seller_fault_refund_rate_below": "2%"}}}}]}`,
			[]string{"policy.default[1].from", "overlap or go backwards"}},
		{"every problem at once", `{"default": [{"from": "2020-01-01T00:00:00Z", "value": {
			"counterfeit_window_days": 0, "min_store_rating": "5.5", "min_reviews": -1, "min_refund_cases": -2,
			"categories": {"fmcg": {"negative_review_rate_below": "0%", "seller_fault_refund_rate_below": "0%"}}}}],
			"markets": {"XX": [{"from": "2020-01-01T00:00:00Z", "value": {"counterfeit_window_days": 60, "min_store_rating": "2", "min_reviews": 5, "min_refund_cases": 5, "categories": {}}}],
			            "SG": [{"from": "2021-01-01T00:00:00Z", "value": {"counterfeit_window_days": 60, "min_store_rating": "2", "min_reviews": 5, "min_refund_cases": 5, "categories": {}}}]}}`,
			[]string{
				"policy.default[0] (from 2020-01-01T00:00:00Z).counterfeit_window_days 0: must be at least 1",
				"min_store_rating 5.5: must be between 0 and 5",
				"min_reviews -1: must not be negative",
				"min_refund_cases -2: must not be negative",
				"categories[fmcg].negative_review_rate_below 0%",
				"categories[fmcg].seller_fault_refund_rate_below 0%",
				"policy.markets XX: unknown market",
				"policy.markets[SG][0] (from 2021-01-01T00:00:00Z).categories {}: must name at least one category",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := eligibility.ParsePolicy([]byte(tt.json))
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestNewRejectsZeroPolicy(t *testing.T) { // fail-closed zero value
	_, err := eligibility.New(eligibility.Policy{})
	require.Error(t, err)
	var fe *affrules.FieldError
	assert.True(t, errors.As(err, &fe))
	assert.Panics(t, func() { eligibility.MustNew(eligibility.Policy{}) })
}

// Policies built by hand are validated as strictly as loaded ones.
func TestValidateHandBuilt(t *testing.T) { // ELG-1, ELG-10
	p := eligibility.DefaultPolicy()
	p.Markets[affrules.SG] = affrules.Timeline[eligibility.Thresholds]{}
	assert.ErrorContains(t, p.Validate(), "policy.markets[SG] []: must have at least one version")

	th := eligibility.SeedThresholds()
	th.CounterfeitWindowDays = 36500 // the largest window: 100 years
	require.NoError(t, policyOf(mustTimeline(t, time.Time{}, th)).Validate())
	th.CounterfeitWindowDays = 36501
	err := policyOf(mustTimeline(t, time.Time{}, th)).Validate()
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.ErrorContains(t, err, "counterfeit_window_days 36501: must be at most 36500")
	th.Categories = nil
	th.CounterfeitWindowDays = 0
	err = policyOf(mustTimeline(t, time.Time{}, th)).Validate()
	assert.ErrorContains(t, err, "counterfeit_window_days 0: must be at least 1")
	assert.ErrorContains(t, err, "categories {}: must name at least one category")
	_, err = eligibility.New(policyOf(mustTimeline(t, time.Time{}, th)))
	assert.Error(t, err, "New validates too")
}

func TestWithOverride(t *testing.T) {
	p := thaiPolicy()
	_, err := p.WithOverride(affrules.TH, eligibility.ThaiGuideEffective().Add(-time.Hour), eligibility.SeedThresholds())
	assert.ErrorContains(t, err, "eligibility: override for TH")
	p2, err := p.WithOverride(affrules.SG, t0, eligibility.ThaiThresholds())
	require.NoError(t, err)
	_, had := p.Markets[affrules.SG]
	assert.False(t, had, "WithOverride does not change its receiver")
	assert.Equal(t, 1, p2.Markets[affrules.SG].Len())
}

// FuzzParsePolicy: any bytes give an error or a policy that validates, never both and never
// neither, never a panic, and within a second.
func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(validPolicy))
	b, _ := json.Marshal(eligibility.DefaultPolicy())
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"default": null}`))
	f.Add([]byte(`{"default":[{"from":"2020-01-01T00:00:00Z","value":{"categories":{"x":{}}}}],"markets":{"TH":[]}}`))
	f.Add([]byte(strings.Replace(validPolicy, `"2.5"`, `"4e-2000000000"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p eligibility.Policy
		var err error
		deadline.Within(t, fuzzLimit, func() { p, err = eligibility.ParsePolicy(data) })
		if err != nil {
			if p.Default.Len() != 0 || p.Markets != nil {
				t.Fatalf("a policy beside the error %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy that does not validate: %v", err)
		}
		e, err := eligibility.New(p)
		if err != nil {
			t.Fatalf("New rejected a parsed policy: %v", err)
		}
		// Evaluating with it never panics.
		shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: dec("3")}, t0)
		if err == nil {
			_, _ = e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 10, Reviews: 5, RefundCases: 5}, shop, t0)
		}
	})
}

// A policy decoded with encoding/json (embedded in a host's own configuration, say) reports its
// errors as the package's, naming the policy's fields, as ParsePolicy does, and reads back what
// it writes.
func TestPolicyUnmarshalJSONErrors(t *testing.T) {
	var p eligibility.Policy
	for in, want := range map[string]string{
		`{"x":1}`: `eligibility: policy "x": is not a field`,
		`{"default":[{"from":"2026-01-01T00:00:00Z","value":{"counterfeit_window_days":"x"}}]}`: "eligibility: policy.default[0].value.counterfeit_window_days",
		`{"markets":{"TH":[{"from":"2026-01-01T00:00:00Z"}]}}`:                                  "eligibility: policy.markets[TH][0].value",
	} {
		err := json.Unmarshal([]byte(in), &p)
		require.Error(t, err, in)
		require.Contains(t, err.Error(), want, in)
	}
	b, err := json.Marshal(eligibility.DefaultPolicy())
	require.NoError(t, err)
	var back eligibility.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	require.NoError(t, back.Validate())
}
