package sample_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// SPEC §6: the catalog's values.
func TestDefaultPolicy(t *testing.T) {
	want := sample.Policy{
		AnswerDays:       7,  // SMP-10
		WaitDays:         30, // SMP-10
		ContentDays:      14, // SMP-9
		ExtensionDays:    7,  // SMP-9
		CollabPlusFree:   3,  // SMP-3
		CollabPlusCapped: false,
		OverQuantity:     "review",                                                                                      // SMP-2
		Bands:            []sample.Band{{Name: "band_1", Cap: 5}, {Name: "band_2", Cap: 20}, {Name: "band_3", Cap: 50}}, // SMP-11
		RefundDays:       60,                                                                                            // SMP-5
		FulfilmentDays:   90,                                                                                            // SMP-8

		Markets: []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"}, // MKT-1: the catalog's seven
	}
	if diff := cmp.Diff(want, sample.DefaultPolicy()); diff != "" {
		t.Errorf("DefaultPolicy (-want +got):\n%s", diff)
	}
	require.NoError(t, sample.DefaultPolicy().Validate())
}

// A top-level setting left out, or null, keeps its DefaultPolicy value; one given is used; the
// default policy survives a round trip through JSON.
func TestParsePolicy(t *testing.T) {
	tests := []struct {
		doc  string
		want func(p *sample.Policy)
	}{
		{`{}`, func(p *sample.Policy) {}},
		{`{"answer_days": null, "over_quantity": null}`, func(p *sample.Policy) {}},
		{`{"answer_days": 5, "wait_days": 0}`, func(p *sample.Policy) { p.AnswerDays, p.WaitDays = 5, 0 }},
		{`{"content_days": 10, "extension_days": 0}`, func(p *sample.Policy) { p.ContentDays, p.ExtensionDays = 10, 0 }},
		{`{"collab_plus_free": 2, "collab_plus_capped": true}`, func(p *sample.Policy) { p.CollabPlusFree, p.CollabPlusCapped = 2, true }},
		{`{"over_quantity": "reject"}`, func(p *sample.Policy) { p.OverQuantity = sample.OverQuantityReject }},
		{`{"bands": [{"name": "new", "cap": 3}, {"name": "top", "cap": 0}]}`, func(p *sample.Policy) { p.Bands = []sample.Band{{"new", 3}, {"top", 0}} }},
		{`{"refund_days": 90}`, func(p *sample.Policy) { p.RefundDays = 90 }},
		{`{"markets": ["MY", "SG"]}`, func(p *sample.Policy) { p.Markets = []affrules.MarketCode{affrules.MY, affrules.SG} }},
		{`{"fulfilment_days": 30}`, func(p *sample.Policy) { p.FulfilmentDays = 30 }},
		{`{"sample_orders_earn_commission": true, "sample_orders_count_as_gmv": true}`, func(p *sample.Policy) { // SMP-13
			p.SampleOrdersEarnCommission, p.SampleOrdersCountAsGMV = true, true
		}},
		{`{"fulfilment_days": null}`, func(p *sample.Policy) {}},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			got, err := sample.ParsePolicy([]byte(tt.doc))
			require.NoError(t, err)
			want := policyWith(tt.want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParsePolicy (-want +got):\n%s", diff)
			}
		})
	}

	def := sample.DefaultPolicy()
	b, err := json.Marshal(def)
	require.NoError(t, err)
	require.JSONEq(t, `{"markets": ["UK", "ID", "MY", "VN", "TH", "PH", "SG"], "answer_days": 7, "wait_days": 30, "content_days": 14,
		"extension_days": 7, "collab_plus_free": 3, "collab_plus_capped": false, "over_quantity": "review",
		"bands": [{"name": "band_1", "cap": 5}, {"name": "band_2", "cap": 20}, {"name": "band_3", "cap": 50}], "fulfilment_days": 90,
		"sample_orders_earn_commission": false, "sample_orders_count_as_gmv": false, "refund_days": 60,
		"count_own_purchases": false, "partial_refund": false, "collab_plus_exempt_from_wait": false}`, string(b))
	back, err := sample.ParsePolicy(b)
	require.NoError(t, err)
	if diff := cmp.Diff(def, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// Typos in a policy document are errors at any depth, each naming where it is: a key that
// names no field, one that names a field only when case is ignored, a key given twice, a value
// of the wrong JSON type, a band left without its name or cap; and a document that is not one
// JSON object. Nothing is returned beside the error.
func TestParsePolicyTypos(t *testing.T) {
	tests := []struct {
		name, doc string
		fields    []string
		contains  string
	}{
		{"UnknownKey", `{"answer_dayz": 7}`, []string{"policy"}, `"answer_dayz": is not a field`},
		{"CaseFolded", `{"Wait_Days": 30}`, []string{"policy"}, `did you mean "wait_days"`},
		{"Duplicate", `{"wait_days": 30, "wait_days": 3}`, []string{"policy"}, "given twice"},
		{"NestedUnknown", `{"bands": [{"name": "b", "cap": 1, "limit": 2}]}`, []string{"policy.bands[0]"}, `"limit": is not a field`},
		{"NestedCaseFolded", `{"bands": [{"Name": "b", "cap": 1}]}`, []string{"policy.bands[0]", "policy.bands[0].name"}, `did you mean "name"`},
		{"NestedDuplicate", `{"bands": [{"name": "b", "cap": 1, "cap": 2}]}`, []string{"policy.bands[0]"}, "given twice"},
		{"BandWithoutCap", `{"bands": [{"name": "b"}]}`, []string{"policy.bands[0].cap"}, "is required"},
		{"BandWithoutName", `{"bands": [{"cap": 4}]}`, []string{"policy.bands[0].name"}, "is required"},
		{"WrongType", `{"answer_days": "7"}`, []string{"policy.answer_days"}, "must be a JSON number"},
		{"WrongTypeBool", `{"collab_plus_capped": "yes"}`, []string{"policy.collab_plus_capped"}, "must be a JSON boolean"},
		{"WrongTypeNested", `{"bands": [{"name": "b", "cap": 1.5}]}`, []string{"policy.bands[0].cap"}, "must be a whole number"},
		{"WrongTypeList", `{"bands": {"name": "b", "cap": 1}}`, []string{"policy.bands"}, "must be a JSON array"},
		{"NotAnObject", `[]`, []string{"policy"}, "must be a JSON object"},
		{"NotJSON", `{"answer_days": 7`, []string{"policy"}, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := sample.ParsePolicy([]byte(tt.doc))
			badInput(t, err, tt.fields...)
			require.Contains(t, err.Error(), tt.contains)
			require.True(t, strings.HasPrefix(err.Error(), "sample: "), "%v", err)
			require.Equal(t, sample.Policy{}, p)
		})
	}

	// Several typos: all of them at once.
	_, err := sample.ParsePolicy([]byte(`{"Answer_days": 3, "wait_days": 1, "wait_days": 2, "zzz": 1, "bands": [{"name": "b"}]}`))
	badInput(t, err, "policy", "policy", "policy", "policy.bands[0].cap")

	// Trailing data is not a second document.
	_, err = sample.ParsePolicy([]byte(`{} {}`))
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "sample: "), "%v", err)
}

// Validate reports every problem at once, each a FieldError naming its field and value;
// ParsePolicy and New report the same, and MustNew panics.
func TestValidate(t *testing.T) {
	p := sample.Policy{
		Markets:    []affrules.MarketCode{"MY", "ZZ", "MY", "my"},
		AnswerDays: 0, WaitDays: -1, ContentDays: 3651, ExtensionDays: -1, CollabPlusFree: 1001, RefundDays: 0, FulfilmentDays: 3651,
		OverQuantity: "hold",
		Bands:        []sample.Band{{Name: "", Cap: 1}, {Name: "a", Cap: -1}, {Name: "a", Cap: 1_000_001}},
	}
	all := underPolicy([]string{"markets[1]", "markets[2]", "markets[3]", "answer_days", "wait_days", "content_days", "extension_days", "collab_plus_free",
		"refund_days", "fulfilment_days", "over_quantity", "bands[0].name", "bands[1].cap", "bands[2].name", "bands[2].cap"})
	err := p.Validate()
	badInput(t, err, all...)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.Contains(t, err.Error(), `sample: policy.over_quantity "hold": must be review or reject (SMP-2)`)
	require.Contains(t, err.Error(), "sample: policy.bands[2].name a: is listed twice")
	require.Contains(t, err.Error(), "sample: policy.markets[2] MY: is listed twice")

	e, err := sample.New(p)
	badInput(t, err, all...)
	require.Nil(t, e)
	require.Panics(t, func() { sample.MustNew(p) })

	b, err := json.Marshal(p)
	require.NoError(t, err)
	_, err = sample.ParsePolicy(b)
	badInput(t, err, all...) // loaded from JSON: the same names

	// The zero policy, and one without bands or markets.
	badInput(t, sample.Policy{}.Validate(), underPolicy([]string{"markets", "answer_days", "content_days", "refund_days", "fulfilment_days", "over_quantity", "bands"})...)
	_, err = sample.New(sample.Policy{})
	require.Error(t, err)
	noBands := policyWith(func(p *sample.Policy) { p.Bands = []sample.Band{} })
	badInput(t, noBands.Validate(), "policy.bands")
	_, err = sample.ParsePolicy([]byte(`{"bands": []}`))
	badInput(t, err, "policy.bands")
	noMarkets := policyWith(func(p *sample.Policy) { p.Markets = nil })
	badInput(t, noMarkets.Validate(), "policy.markets")
	_, err = sample.ParsePolicy([]byte(`{"markets": []}`))
	badInput(t, err, "policy.markets")
	_, err = sample.ParsePolicy([]byte(`{"markets": ["MY", "US"], "fulfilment_days": 0}`))
	badInput(t, err, "policy.markets[1]", "policy.fulfilment_days")

	// The bounds themselves pass.
	edge := sample.Policy{Markets: []affrules.MarketCode{affrules.SG}, AnswerDays: 1, WaitDays: 3650, ContentDays: 1, ExtensionDays: 3650,
		CollabPlusFree: 1000, RefundDays: 3650, FulfilmentDays: 1, OverQuantity: "reject", Bands: []sample.Band{{"a", 0}, {"b", 1_000_000}}}
	require.NoError(t, edge.Validate())
	edge.FulfilmentDays = 3650
	require.NoError(t, edge.Validate())
}

// The evaluator keeps its own copy of the policy, and Policy returns a copy of it.
func TestPolicyCopies(t *testing.T) {
	p := sample.DefaultPolicy()
	e, err := sample.New(p)
	require.NoError(t, err)
	p.Bands[0].Cap = 0
	p.Markets[2] = affrules.SG
	got, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, 5, got.Bands[0].Cap)
	require.Equal(t, affrules.MY, got.Markets[2])
	got.Bands[0].Cap = 0
	got.Markets[2] = affrules.SG
	again, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, sample.DefaultPolicy(), again)
	r, err := e.Rule()
	require.NoError(t, err)
	_, d := decide(t, r, sample.History{Month: 4}, direct("r1", "aisyah", "serum"), band1, t0)
	require.True(t, d.Allowed, "band_1 still allows 5, in Malaysia: %v", d)
}

// A top-level list given as null is nil, as encoding/json writes a nil one, not the default: a
// policy with no markets is refused, not silently given the default ones.
func TestParsePolicyNullListIsNil(t *testing.T) {
	_, err := sample.ParsePolicy([]byte(`{"markets": null}`))
	require.ErrorContains(t, err, "must list at least one market (MKT-1)")
}

// underPolicy returns fields as Validate and ParsePolicy name them: under "policy", as the
// policy data's keys.
func underPolicy(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = "policy." + f
	}
	return out
}
