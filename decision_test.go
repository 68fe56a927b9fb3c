package affrules_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/deadline"
)

// Keys the tests define, with wording like the domain packages'.
var (
	keyDaily     = affrules.DefineMessage("test.inv2.failed", affrules.Message{Text: "daily invitation limit reached"})
	keyRepeat    = affrules.DefineMessage("test.inv3.failed", affrules.Message{Text: "creator invited within the last {limit} days", Limit: "{limit} days"})
	keyFew       = affrules.DefineMessage("test.elg3.not_applicable", affrules.Message{Text: "too few reviews to judge", Observed: "{observed} reviews", Limit: "at least {limit}"})
	keyFrozen    = affrules.DefineMessage("test.elg6.frozen", affrules.Message{Text: "product frozen", Observed: "frozen"})
	keyLong      = affrules.DefineMessage("test.inv6.long", affrules.Message{Text: "message too long", Limit: "{limit} words"})
	keyNotListed = affrules.DefineMessage("test.inv8.failed", affrules.Message{Text: "creator not listed"})
	keyNegative  = affrules.DefineMessage("test.elg3.failed", affrules.Message{Text: "negative-review rate is not below the limit", Limit: "below {limit} for {subject}"})
)

var (
	inv2 = affrules.Reason{Rule: "INV-2", Key: keyDaily, Observed: affrules.Count(100), Limit: affrules.Count(100)}
	inv3 = affrules.Reason{Rule: "INV-3", Key: keyRepeat, Observed: affrules.Instant(time.Date(2026, 11, 18, 9, 0, 0, 0, time.FixedZone("", 7*3600))), Limit: affrules.DaysOf(7)}
	elg3 = affrules.Reason{Rule: "ELG-3", Kind: affrules.NotApplicable, Key: keyFew, Observed: affrules.Count(3), Limit: affrules.Count(5)}
)

// MKT-5: a decision is allowed exactly when no reason failed; every reason is kept.
func TestMKT5Decide(t *testing.T) {
	tests := []struct {
		name        string
		reasons     []affrules.Reason
		allowed     bool
		failures    []affrules.Reason
		failedRules []affrules.RuleID
	}{
		{name: "no reasons", allowed: true},
		{name: "only not applicable", reasons: []affrules.Reason{elg3}, allowed: true},
		{name: "one failed", reasons: []affrules.Reason{inv2}, failures: []affrules.Reason{inv2}, failedRules: []affrules.RuleID{"INV-2"}},
		{name: "every failure kept, in order", reasons: []affrules.Reason{inv3, elg3, inv2}, failures: []affrules.Reason{inv3, inv2}, failedRules: []affrules.RuleID{"INV-3", "INV-2"}},
		{name: "a reason without a kind counts against", reasons: []affrules.Reason{{Rule: "ELG-2", Key: "store rating too low"}}, failures: []affrules.Reason{{Rule: "ELG-2", Key: "store rating too low"}}, failedRules: []affrules.RuleID{"ELG-2"}},
		{name: "an unknown kind counts against", reasons: []affrules.Reason{{Rule: "ELG-1", Kind: 7, Key: "?"}}, failures: []affrules.Reason{{Rule: "ELG-1", Kind: 7, Key: "?"}}, failedRules: []affrules.RuleID{"ELG-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := affrules.Decide(tt.reasons...)
			assert.Equal(t, tt.allowed, d.Allowed)
			if diff := cmp.Diff(tt.reasons, d.Reasons); diff != "" {
				t.Errorf("Reasons (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.failures, d.Failures()); diff != "" {
				t.Errorf("Failures (-want +got):\n%s", diff)
			}
			for _, r := range tt.reasons {
				want := false
				for _, id := range tt.failedRules {
					want = want || id == r.Rule
				}
				assert.Equal(t, want, d.Failed(r.Rule), "Failed(%s)", r.Rule)
			}
			assert.False(t, d.Failed("MKT-9"), "a rule not among the reasons has not failed")
		})
	}
}

// MKT-5: the zero Decision denies.
func TestMKT5ZeroDecisionDenies(t *testing.T) {
	var d affrules.Decision
	assert.False(t, d.Allowed)
	assert.Equal(t, "denied", d.String())
	assert.Empty(t, d.Failures())
	assert.False(t, d.Failed("INV-2"))
}

func TestDecisionString(t *testing.T) {
	bangkok := market(t, affrules.TH).Location()
	next := time.Date(2026, 11, 22, 0, 0, 0, 0, bangkok)
	withNext := affrules.Decide(inv2)
	withNext.NextAllowed = next
	tests := []struct {
		name string
		d    affrules.Decision
		want string
	}{
		{"allowed", affrules.Decide(), "allowed"},
		{"allowed with not applicable", affrules.Decide(elg3), "allowed: ELG-3 not applicable: too few reviews to judge (observed 3 reviews, limit at least 5)"},
		{"denied with next allowed (MKT-5)", withNext, "denied: INV-2 failed: daily invitation limit reached (observed 100, limit 100); next allowed 2026-11-22T00:00:00+07:00"},
		{"several reasons", affrules.Decide(inv2, elg3, inv3), "denied: INV-2 failed: daily invitation limit reached (observed 100, limit 100); " +
			"ELG-3 not applicable: too few reviews to judge (observed 3 reviews, limit at least 5); " +
			"INV-3 failed: creator invited within the last 7 days (observed 2026-11-18T09:00:00+07:00, limit 7 days)"},
		{"observed only", affrules.Decide(affrules.Reason{Rule: "ELG-6", Key: keyFrozen}), "denied: ELG-6 failed: product frozen (observed frozen)"},
		{"limit only", affrules.Decide(affrules.Reason{Rule: "INV-6", Key: keyLong, Limit: affrules.Count(500)}), "denied: INV-6 failed: message too long (limit 500 words)"},
		{"neither", affrules.Decide(affrules.Reason{Rule: "INV-8", Key: keyNotListed}), "denied: INV-8 failed: creator not listed"},
		{"subject", affrules.Decide(affrules.Reason{Rule: "ELG-3", Key: keyNegative, Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(affrules.MustParseRate("1%")), Subject: "electronics"}),
			"denied: ELG-3 failed: negative-review rate is not below the limit (observed 1% (4/400), limit below 1% for electronics)"},
		{"undefined key reads as itself", affrules.Decide(affrules.Reason{Rule: "X-1", Key: "host.custom", Observed: affrules.Text("v")}), "denied: X-1 failed: host.custom (observed v)"},
		{"next allowed alone", affrules.Decision{NextAllowed: next.UTC()}, "denied; next allowed 2026-11-21T17:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.d.String())
		})
	}
	assert.Equal(t, "ELG-3 not applicable: too few reviews to judge (observed 3 reviews, limit at least 5)", elg3.String())
	assert.Equal(t, "", affrules.Reason{}.String(), "no reason prints as nothing, not \" failed: \"")
	assert.NotEqual(t, "", affrules.Reason{Rule: "ELG-3"}.String())
	assert.Equal(t, "failed", affrules.Failed.String())
	assert.Equal(t, "not applicable", affrules.NotApplicable.String())
}

func TestDecisionJSON(t *testing.T) {
	next := time.Date(2026, 11, 22, 0, 0, 0, 0, market(t, affrules.TH).Location())
	d := affrules.Decide(inv2, elg3)
	d.NextAllowed = next
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"allowed": false,
		"reasons": [
			{"rule": "INV-2", "kind": "failed", "key": "test.inv2.failed", "observed": "100", "limit": "100", "message": "daily invitation limit reached",
			 "observed_value": {"kind": "count", "count": 100}, "limit_value": {"kind": "count", "count": 100}},
			{"rule": "ELG-3", "kind": "not_applicable", "key": "test.elg3.not_applicable", "observed": "3 reviews", "limit": "at least 5", "message": "too few reviews to judge",
			 "observed_value": {"kind": "count", "count": 3}, "limit_value": {"kind": "count", "count": 5}}
		],
		"next_allowed": "2026-11-22T00:00:00+07:00"
	}`, string(b))

	var back affrules.Decision
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(d, back); diff != "" { // time.Time compares with Equal
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	// Zero NextAllowed, empty reasons and empty observed/limit are left out.
	b, err = json.Marshal(affrules.Decide(affrules.Reason{Rule: "INV-8", Key: keyNotListed}))
	require.NoError(t, err)
	assert.JSONEq(t, `{"allowed":false,"reasons":[{"rule":"INV-8","kind":"failed","key":"test.inv8.failed","message":"creator not listed"}]}`, string(b))
	b, err = json.Marshal(affrules.Decide())
	require.NoError(t, err)
	assert.JSONEq(t, `{"allowed":true}`, string(b))

	err = json.Unmarshal([]byte(`{"allowed":false,"reasons":[{"rule":"INV-2","kind":"passed","message":"x"}]}`), &back)
	assert.ErrorContains(t, err, `affrules: decision.reasons[0].kind "passed": must be one of failed, not_applicable`)
}

func TestRefusal(t *testing.T) {
	r := &affrules.Refusal{Pkg: "campaign", Action: "register", Subject: "serum", Decision: affrules.Decide(affrules.Reason{Rule: "CMP-4", Key: "k"})}
	if got := r.Error(); got != `campaign: register "serum" refused: CMP-4 failed: k` {
		t.Errorf("Error() = %q", got)
	}
	var err error = r
	var got *affrules.Refusal
	if !errors.Is(err, affrules.ErrRefused) || !errors.As(fmt.Errorf("wrapped: %w", err), &got) || got != r {
		t.Errorf("a Refusal wraps ErrRefused and is found by errors.As")
	}
}

// A decision decoded from JSON that says it is allowed while a reason failed is refused, as is a
// reason without a rule; a consistent one decodes, with its not-applicable reasons.
func TestDecisionJSONConsistency(t *testing.T) {
	var d affrules.Decision
	if err := json.Unmarshal([]byte(`{"allowed":true,"reasons":[{"rule":"ELG-3","kind":"failed"}]}`), &d); err == nil {
		t.Errorf("an allowed decision with a failed reason decoded: %v", d)
	}
	if err := json.Unmarshal([]byte(`{"allowed":true,"reasons":[{"rule":"ELG-3","kind":"not_applicable"}]}`), &d); err != nil || !d.Allowed {
		t.Errorf("an allowed decision with a not-applicable reason: %v, %v", d, err)
	}
	// The zero Reason reads back what it writes, and null leaves a reason as it was.
	var r affrules.Reason
	b0, _ := json.Marshal(affrules.Reason{})
	if err := json.Unmarshal(b0, &r); err != nil || r.Rule != "" {
		t.Errorf("zero reason %s: %v, %v", b0, r, err)
	}
	r = affrules.Reason{Rule: "ELG-3"}
	if err := json.Unmarshal([]byte("null"), &r); err != nil || r.Rule != "ELG-3" {
		t.Errorf("null into a reason: %v, %v", r, err)
	}
	b, err := json.Marshal(affrules.Decide(affrules.Reason{Rule: "ELG-3", Key: "k", Observed: affrules.Ratio(4, 400)}))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &d); err != nil || d.Allowed || len(d.Reasons) != 1 {
		t.Errorf("round trip of %s: %v, %v", b, d, err)
	}
	// A reason's kind is required: left out, it would read as failed.
	if err := json.Unmarshal([]byte(`{"allowed":false,"reasons":[{"rule":"ELG-2","kind":"failed"},{"rule":"ELG-4","key":"k"}]}`), &d); err == nil || !strings.Contains(err.Error(), "decision.reasons[1].kind") {
		t.Errorf("a reason without a kind: %v", err)
	}
	// MKT-5: a denial that says when it lifts names the rules that failed; the zero Decision,
	// denied with neither reasons nor NextAllowed, reads back.
	if err := json.Unmarshal([]byte(`{"allowed":false,"next_allowed":"2026-01-01T00:00:00Z"}`), &d); err == nil || !strings.Contains(err.Error(), "decision.next_allowed") {
		t.Errorf("a denial without reasons but with a NextAllowed: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"allowed":false}`), &d); err != nil || d.Allowed || len(d.Reasons) != 0 {
		t.Errorf("the zero Decision: %v, %v", d, err)
	}
	// MKT-5: a NextAllowed no evaluator names, outside the years 1900 to 2199 (UTC), is refused;
	// the bounds themselves read back.
	for next, ok := range map[string]bool{
		"2300-01-01T00:00:00Z": false, "2200-01-01T00:00:00Z": false, "2200-01-01T07:00:00+07:00": false, "0001-01-01T00:00:00.5Z": false,
		"1899-12-31T23:59:59.999999999Z": false, "1900-01-01T00:00:00Z": true, "2199-12-31T23:59:59.999999999Z": true, "2200-01-01T06:59:59+07:00": true,
	} {
		doc := `{"allowed":false,"reasons":[{"rule":"INV-2","kind":"failed"}],"next_allowed":"` + next + `"}`
		err := json.Unmarshal([]byte(doc), &d)
		if ok && err != nil || !ok && (err == nil || !strings.Contains(err.Error(), "decision.next_allowed")) {
			t.Errorf("next_allowed %s: %v", next, err)
		}
	}
}

// A decision's JSON decodes strictly and only as Decide builds one; null leaves it as it was;
// a wrong kind is a FieldError naming the field, not an internal type.
func TestDecisionJSONStrict(t *testing.T) {
	d := affrules.Decide()
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || !d.Allowed {
		t.Errorf("null: %v, %v", d, err)
	}
	for doc, want := range map[string]string{
		`{"allowed":false,"bogus":1}`:                                            `unknown field "bogus"`,
		`{"allowed":false,"reasons":[{"rule":"ELG-3","kind":"not_applicable"}]}`: "none of which failed",
		`{"allowed":true,"next_allowed":"2026-01-01T00:00:00Z"}`:                 "decision.next_allowed",
		`[]`:                 "affrules: decision",
		`{"allowed":"yes"}`:  "affrules: decision.allowed",
		`{"reasons":{}}`:     "affrules: decision.reasons",
		`{"next_allowed":5}`: "affrules: decision",
		// A reason of no rule: null, {} and an empty rule alike.
		`{"allowed":false,"reasons":[null]}`:                                                         "affrules: decision.reasons[0] null: must be a reason",
		`{"allowed":false,"reasons":[{"kind":"failed"}]}`:                                            `affrules: decision.reasons[0].rule "": must name the rule`,
		`{"allowed":false,"reasons":[{"rule":"ELG-3","kind":"failed"},{"rule":"","kind":"failed"}]}`: `affrules: decision.reasons[1].rule "": must name the rule`,
	} {
		var d affrules.Decision
		err := json.Unmarshal([]byte(doc), &d)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "decision of type affrules.decision") {
			t.Errorf("%s: %v, want an error containing %q", doc, err, want)
		}
	}
	if err := json.Unmarshal([]byte(`{"allowed":false}`), &d); err != nil || d.Allowed {
		t.Errorf("the zero decision: %v, %v", d, err)
	}
}

// A reason's and a value's JSON decode strictly (a misspelt "kind" used to read as failed), and
// errors are FieldErrors of the part that failed, with the JSON kind a text field expects.
func TestReasonValueJSONStrict(t *testing.T) {
	for doc, want := range map[string]string{
		`{"allowed":false,"reasons":[{"rule":"ELG-1","kidn":"not_applicable"}]}`:                                                                     `unknown field "kidn"`,
		`{"allowed":false,"reasons":[{"rule":"ELG-1","kind":"failed","observed_value":{"kind":"count","count":1,"x":2}}]}`:                           `unknown field "x"`,
		`{"allowed":false,"reasons":[{"rule":"ELG-1","kind":1}]}`:                                                                                    "must be a JSON string",
		`{"allowed":false,"reasons":[{"rule":"ELG-1","kind":"nope"}]}`:                                                                               `affrules: decision.reasons[0].kind "nope"`,
		`{"allowed":false,"next_allowed":"2026-13-01T00:00:00Z"}`:                                                                                    "affrules: decision (JSON)",
		`{"allowed":false,"reasons":[{"rule":"ELG-1","kind":"failed"},{"rule":"ELG-2","kind":"failed","limit_value":{"kind":"count","count":"1"}}]}`: "affrules: decision.reasons[1].limit_value.count",
		`{"allowed":false,"reasons":[{"rule":"ELG-2","subject":5}]}`:                                                                                 "affrules: decision.reasons[0].subject",
	} {
		var d affrules.Decision
		err := json.Unmarshal([]byte(doc), &d)
		var fe *affrules.FieldError
		if err == nil || !strings.Contains(err.Error(), want) || !errors.As(err, &fe) || strings.Contains(err.Error(), "affrules: decision: affrules:") {
			t.Errorf("%s: %v, want a FieldError containing %q", doc, err, want)
		}
	}
	v := affrules.Count(3)
	if err := json.Unmarshal([]byte(`null`), &v); err != nil || v != affrules.Count(3) {
		t.Errorf("null into a value: %v, %v", v, err)
	}
	var r affrules.Reason
	if err := r.UnmarshalJSON([]byte(`{"rule":"ELG-1","kind":"failed","key":"k"} garbage`)); err == nil {
		t.Error("data after a reason was dropped")
	}
	if err := v.UnmarshalJSON([]byte(`{"kind":"count","count":1} {"kind":"text"}`)); err == nil {
		t.Error("data after a value was dropped")
	}
	long := affrules.Decimal(decimal.RequireFromString("-" + strings.Repeat("7", 500) + "." + strings.Repeat("1", 500)))
	b, err := json.Marshal(long)
	if err != nil {
		t.Fatal(err)
	}
	var back affrules.Value
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(long) {
		t.Errorf("a decimal of 1,000 digits reads back: %v", err)
	}
}

// Catalog.Check flags every text in braces but the three placeholders, and a brace left open,
// and nothing in a valid template.
func TestCatalogCheckPlaceholders(t *testing.T) {
	key := affrules.DefineMessage("test.chk1.failed", affrules.Message{Text: "failed"})
	for tmpl, bad := range map[string]bool{
		"{observed}. ({limit}) {subject}":   false,
		"≥ {limit}, «{observed}» 日本":        false,
		"{{observed}}":                      false, // braces around a value, written as they are
		"{ observed }":                      true,
		"{observé}":                         true,
		"{observed1}":                       true,
		"{obs-erved}":                       true,
		"up to {observed":                   true,
		"{observed and more":                true,
		"{SKU} {observed}":                  true,
		"no placeholder at all":             false,
		"{1 day":                            true,
		"{{observed}} / {subject} {limit}}": false, // a closing brace is written as it is
	} {
		err := affrules.Catalog{Messages: map[affrules.MessageKey]string{key: tmpl}}.Check()
		if (err != nil) != bad {
			t.Errorf("Check(%q) = %v, want an error %t", tmpl, err, bad)
		}
	}
}

// Catalog.Check reports every stray brace of a template, not only the first, each naming its
// text.
func TestCatalogCheckEveryStrayBrace(t *testing.T) {
	key := affrules.DefineMessage("test.chk2.failed", affrules.Message{Text: "failed"})
	err := affrules.Catalog{Messages: map[affrules.MessageKey]string{key: "{observed} {Observed} and {Limit}, {limit"}}.Check()
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *affrules.FieldError
		require.ErrorAs(t, e, &fe)
		got = append(got, fe.Value)
	}
	require.Equal(t, []string{`"{Observed}"`, `"{Limit}"`, `"{limit"`}, got)
}

// Any bytes decode to an error or to a decision that encodes and decodes back to itself; never a
// panic, and quickly whatever the digits of a decimal value.
func FuzzDecisionJSON(f *testing.F) {
	d := affrules.Decide(
		affrules.Reason{Rule: "ELG-3", Key: keyNegative, Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(affrules.MustParseRate("1%")), Subject: "electronics"},
		affrules.Reason{Rule: "ELG-2", Key: keyNegative, Observed: affrules.Decimal(decimal.RequireFromString("2.40")), Limit: affrules.Amount(decimal.RequireFromString("10.50"), "THB")},
		affrules.Reason{Rule: "ELG-1", Kind: affrules.NotApplicable, Key: keyNegative, Observed: affrules.Instant(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)), Limit: affrules.Text("x")},
	)
	d.Allowed, d.NextAllowed = false, time.Time{}
	b, _ := json.Marshal(d)
	for _, s := range []string{string(b), `{"allowed":true}`, `null`, `{"allowed":false,"reasons":[{"kind":"failed"}]}`,
		`{"allowed":false,"reasons":[{"rule":"X","kind":"failed","key":"k","observed_value":{"kind":"decimal","decimal":"1e-999"}}]}`,
		`{"allowed":true,"allowed":true}`, `{"reasons":[{"rule":"A","rule":"B"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d affrules.Decision
		var err error
		deadline.Within(t, time.Second, func() { err = json.Unmarshal(b, &d) })
		if err != nil {
			return
		}
		again, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("%q decoded to a decision that does not encode: %v", b, err)
		}
		var back affrules.Decision
		if err := json.Unmarshal(again, &back); err != nil {
			t.Fatalf("%q decoded, encoded as %s, which does not decode: %v", b, again, err)
		}
		if twice, err := json.Marshal(back); err != nil || string(twice) != string(again) {
			t.Fatalf("%q: %s read back and encoded as %s (%v)", b, again, twice, err)
		}
	})
}
