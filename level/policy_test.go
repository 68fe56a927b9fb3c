package level_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultPolicy(t *testing.T) {
	p := level.DefaultPolicy()
	_, err := level.New(p)
	require.NoError(t, err)
	for _, code := range []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG} {
		assert.Equal(t, 1, p.Tables[code].Len(), "MKT-1 market %s has a default table", code)
	}
	for code, tl := range p.Tables {
		tb, _ := tl.At(time.Time{})
		assert.Equal(t, level.ByProducts, tb.Breadth, "LVL-2: %s breadth counts products selected", code)
		for i, th := range tb.Levels {
			assert.Nil(t, th.Capability, "LVL-2: %s L%d sets no capability threshold", code, i+1)
		}
	}
	assert.False(t, p.PartnersSeeLevel, "LVL-5: affiliate partners do not see levels by default")
	assert.Equal(t, level.TrendPolicy{SignificantDrop: 2, ConsistentMonths: 2, WarnOnEither: false}, p.Trend,
		"LVL-6 defaults: a drop both significant and consistent warns")
	assert.Equal(t, map[affrules.MarketCode]level.ScorePolicy{affrules.ID: p.Score[affrules.ID]}, p.Score,
		"LVL-8, MKT-1: a creator score in ID only")
	assert.Equal(t, level.Mixed, p.TieType, "LVL-9 interpretation default")
	assert.Equal(t, level.ProfilePolicy{HideAudience: true}, p.Profile, "LVL-12 interpretation default")
}

// exportTimelines lets cmp look inside affrules.Timeline, whose entries are unexported.
var exportTimelines = cmp.Exporter(func(t reflect.Type) bool {
	return strings.HasPrefix(t.String(), "affrules.Timeline[")
})

func TestParsePolicyRoundTrip(t *testing.T) {
	want := level.DefaultPolicy()
	tl, err := want.Tables[affrules.UK].With(affrules.Effective[level.Table]{
		From: time.Date(2026, time.April, 1, 0, 0, 0, 0, market(t, affrules.UK).Location()), Value: capTable(level.GMVBand)})
	require.NoError(t, err)
	want.Tables[affrules.UK] = tl
	want.PartnersSeeLevel, want.Trend.WarnOnEither, want.Profile.HideAudience = true, true, false
	tb, _ := tl.At(time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC))
	require.NotNil(t, tb.Levels[7].Capability, "precondition: the new version sets capability thresholds")
	b, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := level.ParsePolicy(b)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got, exportTimelines); diff != "" {
		t.Errorf("ParsePolicy(Marshal(p)) mismatch (-want +got):\n%s", diff)
	}
}

// A top-level setting left out keeps its DefaultPolicy value; one given is used as given.
func TestParsePolicyDefaults(t *testing.T) {
	p, err := level.ParsePolicy([]byte(`{"trend": {"significant_drop": 3, "consistent_months": 4}}`))
	require.NoError(t, err)
	assert.False(t, p.PartnersSeeLevel, "LVL-5: partners_see_level left out keeps the default, false")
	assert.Equal(t, level.TrendPolicy{SignificantDrop: 3, ConsistentMonths: 4}, p.Trend, "LVL-6: warn_on_either left out is false")
	def := level.DefaultPolicy()
	def.Trend = p.Trend
	if diff := cmp.Diff(def, p, exportTimelines); diff != "" {
		t.Errorf("settings left out differ from DefaultPolicy (-want +got):\n%s", diff)
	}

	p, err = level.ParsePolicy([]byte(`{"partners_see_level": true,
		"trend": {"significant_drop": 2, "consistent_months": 2, "warn_on_either": true}}`))
	require.NoError(t, err)
	assert.True(t, p.PartnersSeeLevel, "given, it is used")
	assert.True(t, p.Trend.WarnOnEither, "given, it is used")

	// LVL-2: a table version without "breadth" counts products; a threshold without
	// "capability", or with null, sets none; with one, it is used.
	p, err = level.ParsePolicy([]byte(`{"tables": {"UK": [{"from": "2026-01-01T00:00:00Z", "value": {"scheme": "highest_met", "levels": [
		{"gmv": "0", "active_days": 0, "breadth": 0}, {"gmv": "0", "active_days": 0, "breadth": 0, "capability": null},
		{"gmv": "0", "active_days": 0, "breadth": 0}, {"gmv": "0", "active_days": 0, "breadth": 0},
		{"gmv": "0", "active_days": 0, "breadth": 0}, {"gmv": "0", "active_days": 0, "breadth": 0},
		{"gmv": "0", "active_days": 0, "breadth": 0}, {"gmv": "0", "active_days": 0, "breadth": 0, "capability": "72.5"}]}}]}}`))
	require.NoError(t, err)
	tb, ok := p.Tables[affrules.UK].At(time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, level.BreadthBasis(""), tb.Breadth)
	assert.Nil(t, tb.Levels[1].Capability)
	require.NotNil(t, tb.Levels[7].Capability)
	assert.Equal(t, "72.5", tb.Levels[7].Capability.String())

	p, err = level.ParsePolicy([]byte(`{}`))
	require.NoError(t, err)
	if diff := cmp.Diff(level.DefaultPolicy(), p, exportTimelines); diff != "" {
		t.Errorf("ParsePolicy({}) differs from DefaultPolicy (-want +got):\n%s", diff)
	}
}

// A setting given is given whole: every field inside it, and inside every table version, is
// required, since a field left out would silently be zero.
func TestParsePolicyRequiredFields(t *testing.T) {
	_, err := level.ParsePolicy([]byte(`{
		"tables": {"UK": [{"from": "2026-01-01T00:00:00Z", "value": {"levels": [{"gmv": "0", "active_days": 1}]}}]},
		"trend": {"significant_drop": 3},
		"benefits": [{"name": "leaderboard"}],
		"badges": {"min_reply_rate": "80%", "max_reply_minutes": 720, "post_window_days": 30, "min_posts": 12},
		"profile": {}}`))
	var got []string
	for _, fe := range fieldErrors(t, err) {
		assert.Equal(t, "(absent)", fe.Value)
		got = append(got, fe.Field)
	}
	assert.ElementsMatch(t, []string{
		"policy.tables[UK][0].value.scheme",
		"policy.tables[UK][0].value.levels[0].breadth",
		"policy.trend.consistent_months",
		"policy.benefits[0].min_level",
		"policy.badges.sample_margin",
		"policy.profile.hide_audience",
	}, got, "breadth, capability and warn_on_either are optional: left out they are the defaults")
}

// fieldErrors returns the level field errors joined in err.
func fieldErrors(t *testing.T, err error) []*affrules.FieldError {
	t.Helper()
	require.Error(t, err)
	var out []*affrules.FieldError
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *affrules.FieldError
		require.True(t, errors.As(err, &fe), "not a FieldError: %v", err)
		assert.Equal(t, "level", fe.Pkg)
		assert.True(t, strings.HasPrefix(fe.Error(), "level: "), fe.Error())
		out = append(out, fe)
	}
	walk(err)
	return out
}

func TestNewRejects(t *testing.T) {
	dec := func(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
	uk := func(mod func(*level.Table)) level.Policy {
		p := testPolicy(level.HighestMet)
		tb := ukTable(level.HighestMet)
		mod(&tb)
		p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{Value: tb})
		return p
	}
	tests := []struct {
		name   string
		policy level.Policy
		fields []string // every field reported, in order
	}{
		{"LVL-2 decreasing GMV", uk(func(tb *level.Table) { tb.Levels[3].GMV = decimal.RequireFromString("49.99") }),
			[]string{"policy.tables[UK][0].levels[3] (L4).gmv"}},
		{"LVL-2 decreasing days and breadth", uk(func(tb *level.Table) { tb.Levels[7].ActiveDays = 15; tb.Levels[1].Breadth = 0 }),
			[]string{"policy.tables[UK][0].levels[1] (L2).breadth", "policy.tables[UK][0].levels[7] (L8).active_days"}},
		{"negative thresholds", uk(func(tb *level.Table) {
			tb.Levels[0].GMV = decimal.RequireFromString("-1")
			tb.Levels[0].ActiveDays = -1
			tb.Levels[0].Breadth = -1
		}), []string{"policy.tables[UK][0].levels[0] (L1).gmv", "policy.tables[UK][0].levels[0] (L1).active_days", "policy.tables[UK][0].levels[0] (L1).breadth"}},
		{"sub-minor GMV", uk(func(tb *level.Table) { tb.Levels[0].GMV = decimal.RequireFromString("0.001") }),
			[]string{"policy.tables[UK][0].levels[0] (L1).gmv"}},
		{"more active days than a month has", uk(func(tb *level.Table) { tb.Levels[7].ActiveDays = 32 }),
			[]string{"policy.tables[UK][0].levels[7] (L8).active_days"}},
		{"LVL-1 seven levels", uk(func(tb *level.Table) { tb.Levels = tb.Levels[:7] }),
			[]string{"policy.tables[UK][0].levels"}},
		{"unknown scheme and breadth basis", uk(func(tb *level.Table) { tb.Scheme = "best"; tb.Breadth = "brands" }),
			[]string{"policy.tables[UK][0].scheme", "policy.tables[UK][0].breadth"}},
		{"LVL-2 decreasing capability", uk(func(tb *level.Table) { tb.Levels[5].Capability, tb.Levels[6].Capability = dec("60"), dec("59.999999") }),
			[]string{"policy.tables[UK][0].levels[6] (L7).capability", "policy.tables[UK][0].levels[7] (L8).capability"}},
		{"LVL-2 capability threshold dropped above a level that sets one", uk(func(tb *level.Table) { tb.Levels[7].Capability = nil; tb.Levels[6].Capability = dec("1") }),
			[]string{"policy.tables[UK][0].levels[7] (L8).capability"}},
		{"capability negative, too fine, too large", uk(func(tb *level.Table) {
			tb.Levels[5].Capability, tb.Levels[6].Capability, tb.Levels[7].Capability = dec("-1"), dec("0.0000001"), dec("1e13")
		}), []string{"policy.tables[UK][0].levels[5] (L6).capability", "policy.tables[UK][0].levels[6] (L7).capability",
			"policy.tables[UK][0].levels[7] (L8).capability"}},
		{"zero policy", level.Policy{}, []string{"policy.trend.significant_drop", "policy.trend.consistent_months", "policy.tie_type",
			"policy.badges.max_reply_minutes", "policy.badges.post_window_days", "policy.badges.min_posts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := level.New(tt.policy)
			assert.Nil(t, ev)
			require.Error(t, err)
			assert.EqualError(t, tt.policy.Validate(), err.Error(), "Validate reports what New does")
			var fields []string
			for _, fe := range fieldErrors(t, err) {
				fields = append(fields, fe.Field)
			}
			assert.Equal(t, tt.fields, fields)
		})
	}

	t.Run("empty table, unknown market", func(t *testing.T) {
		p := testPolicy(level.HighestMet)
		p.Tables[affrules.UK] = affrules.Timeline[level.Table]{}
		p.Tables["XX"] = timeline(t, affrules.Effective[level.Table]{Value: ukTable(level.HighestMet)})
		p.Score["XX"] = p.Score[affrules.ID]
		err := p.Validate()
		var fields []string
		for _, fe := range fieldErrors(t, err) {
			fields = append(fields, fe.Field)
		}
		assert.Equal(t, []string{"policy.tables[UK]", "policy.tables[XX]", "policy.score[XX]"}, fields)
		assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	})

	t.Run("benefits and score", func(t *testing.T) {
		p := testPolicy(level.HighestMet)
		p.Benefits = []level.Benefit{{Name: "a", MinLevel: level.L2}, {Name: "a", MinLevel: level.L8 + 1}, {Name: ""}}
		sp := p.Score[affrules.ID]
		sp.Weights.GMV = 31
		sp.Caps.LiveCount = 0
		p.Score[affrules.ID] = sp
		_, err := level.New(p)
		var fields []string
		for _, fe := range fieldErrors(t, err) {
			fields = append(fields, fe.Field)
		}
		assert.Equal(t, []string{"policy.benefits[1].name", "policy.benefits[1].min_level", "policy.benefits[2].name",
			"policy.score[ID].weights", "policy.score[ID].caps.live_count"}, fields)
	})
}

func TestParsePolicyErrors(t *testing.T) {
	good, err := json.Marshal(level.DefaultPolicy())
	require.NoError(t, err)
	tests := []struct {
		name, data string
		want       string // in the message
	}{
		{"not JSON", `{`, "level: policy (document): is not valid JSON"},
		{"unknown field", strings.Replace(string(good), `"tie_type"`, `"tie_kind"`, 1), `level: policy "tie_kind": is not a field`},
		{"trailing data", string(good) + `{}`, "level: policy (document): is not valid JSON"},
		{"bad level", strings.Replace(string(good), `"min_level":"L4"`, `"min_level":"L9"`, 1), "must be one of L0 … L8"},
		{"invalid policy", strings.Replace(string(good), `"significant_drop":2`, `"significant_drop":0`, 1), "policy.trend.significant_drop 0"},
		{"unknown field in a threshold", strings.Replace(string(good), `"active_days"`, `"active_day"`, 1), `"active_day": is not a field`},
		{"unknown field in a version", strings.Replace(string(good), `"value"`, `"values"`, 1), `"values": is not a field`},
		{"duplicate market", strings.Replace(string(good), `"tables":{`, `"tables":{"UK":[],`, 1), `level: policy.tables "UK": key is given twice`},
		{"field in another case", strings.Replace(string(good), `"tie_type"`, `"TIE_TYPE":"live","tie_type"`, 1), `"TIE_TYPE": is not a field: keys are case-sensitive`},
		{"unknown scheme", strings.Replace(string(good), `"scheme":"highest_met"`, `"scheme":"highest"`, 1), `.scheme "highest": must be "highest_met" or "gmv_band"`},
		{"unknown breadth basis", strings.Replace(string(good), `"breadth":"products"`, `"breadth":"brands"`, 1), `.breadth "brands": must be "products" or "categories"`},
		{"unknown tie type", strings.Replace(string(good), `"tie_type":"mixed"`, `"tie_type":"both"`, 1), `policy.tie_type "both": must be "live", "video" or "mixed"`},
		{"unknown market", strings.Replace(string(good), `"tables":{`, `"tables":{"XX":[],`, 1), `policy.tables[XX] XX: unknown market`},
		{"unknown score market", strings.Replace(string(good), `"score":{"ID"`, `"score":{"IDN"`, 1), `policy.score[IDN] IDN: unknown market`},
		{"threshold with a huge exponent", strings.Replace(string(good), `"gmv":"0"`, `"gmv":"4e-2000000000"`, 1), `exceeds MaxDecodeExponent`},
		{"threshold with an exponent beyond the bounds", strings.Replace(string(good), `"gmv":"0"`, `"gmv":"4e-29"`, 1),
			`level: policy.tables[ID][0].levels[0] (L1).gmv (coefficient) e-29: has an exponent outside -28 to 28: out of range`},
		{"threshold of 39 digits", strings.Replace(string(good), `"gmv":"0"`, `"gmv":"100000000000000000000000000000000000000"`, 1),
			`level: policy.tables[ID][0].levels[0] (L1).gmv (a number of more than 38 digits): has more than 38 significant digits: out of range`},
		{"reply time beyond a year", strings.Replace(string(good), `"max_reply_minutes":720`, `"max_reply_minutes":527041`, 1), "policy.badges.max_reply_minutes 527041"},
		{"out-of-order versions", strings.Replace(string(good), `"UK":[{"from":"0001-01-01T00:00:00Z"`,
			`"UK":[{"from":"2026-04-01T00:00:00Z","value":{"scheme":"highest_met","levels":[]}},{"from":"2026-01-01T00:00:00Z"`, 1),
			"level: policy.tables[UK][1].from 2026-01-01T00:00:00Z: must be after entry 0's 2026-04-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, string(good), tt.data, "precondition: the input was altered")
			start := time.Now()
			_, err := level.ParsePolicy([]byte(tt.data))
			assert.Less(t, time.Since(start), time.Second)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "level: "), err.Error())
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestParsePolicyDuplicateKeys: encoding/json keeps the last of two equal keys; ParsePolicy
// names every one instead, at any depth.
func TestParsePolicyDuplicateKeys(t *testing.T) {
	good, err := json.Marshal(level.DefaultPolicy())
	require.NoError(t, err)
	dup := string(good)
	for _, r := range []struct{ old, new string }{
		{`"partners_see_level":false`, `"partners_see_level":true,"partners_see_level":false`}, // top level
		{`"tables":{`, `"tables":{"UK":[],`},                                                   // a market
		{`"scheme":"highest_met"`, `"scheme":"gmv_band","scheme":"highest_met"`},               // in a version
		{`"active_days":1,`, `"active_days":2,"active_days":1,`},                               // in a threshold
		{`"significant_drop":2`, `"significant_drop":3,"significant_drop":2`},                  // in a setting
		{`"min_posts":12`, `"min_posts":1,"min_posts":12`},                                     // in another
		{`"min_level":"L4"`, `"min_level":"L1","min_level":"L4"`},                              // in a list
		{`"live_count":10`, `"live_count":11,"live_count":10`},                                 // in a map's value
	} {
		before := dup
		dup = strings.Replace(dup, r.old, r.new, 1)
		require.NotEqual(t, before, dup, "precondition: %s is in the policy", r.old)
	}
	_, err = level.ParsePolicy([]byte(dup))
	var got []string
	for _, fe := range fieldErrors(t, err) {
		assert.Contains(t, fe.Problem, "key is given twice")
		got = append(got, fe.Field+" "+fe.Value)
	}
	require.Len(t, got, 8, "every repeated key is reported: %v", got)
	assert.Contains(t, got, `policy "partners_see_level"`)
	assert.Contains(t, got, `policy.tables "UK"`)
	assert.Contains(t, got, `policy.trend "significant_drop"`)
	assert.Contains(t, got, `policy.badges "min_posts"`)
	assert.Contains(t, got, `policy.benefits[0] "min_level"`)
	assert.Contains(t, got, `policy.score[ID].weights "live_count"`)
}

// FuzzParsePolicy: any bytes give an error or a policy that validates, survives a JSON round
// trip unchanged, and assigns levels in every market it has tables for, never a panic.
func FuzzParsePolicy(f *testing.F) {
	good, err := json.Marshal(level.DefaultPolicy())
	require.NoError(f, err)
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"tables":{"UK":[{"from":"2026-01-01T00:00:00Z","value":{"scheme":"gmv_band","levels":[]}}]}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(strings.Replace(string(good), `"tie_type"`, `"TIE_TYPE":"live","tie_type"`, 1)))
	f.Add([]byte(strings.Replace(string(good), `"gmv":"0"`, `"gmv":"0.001"`, 1)))
	f.Add([]byte(strings.Replace(string(good), `"breadth":15}]`, `"breadth":15,"capability":"5.5"}]`, 1)))
	f.Add([]byte(strings.Replace(string(good), `"breadth":"products"`, `"breadth":"categories"`, 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := level.ParsePolicy(data)
		if err != nil {
			require.True(t, strings.HasPrefix(err.Error(), "level: "), err.Error())
			return
		}
		b, err := json.Marshal(p)
		require.NoError(t, err)
		back, err := level.ParsePolicy(b)
		require.NoError(t, err, "an accepted policy, marshalled, is rejected: %s", b)
		if diff := cmp.Diff(p, back, cmpopts.EquateEmpty(), exportTimelines); diff != "" {
			t.Fatalf("policy changed in a JSON round trip (-parsed +reparsed):\n%s", diff)
		}
		ev, err := level.New(p)
		require.NoError(t, err)
		m := affrules.NewMonth(2199, time.December) // the last month level takes
		for code, tl := range p.Tables {
			capability := decimal.NewFromInt(1_000)
			tt := totals(decimal.NewFromInt(1_000), 10, 5)
			tt.Capability = &capability // in case the tables set capability thresholds
			perf, err := level.NewPerformance(code, m.Add(-1), tt)
			require.NoError(t, err)
			l, err := ev.Assign(code, m, perf)
			var first time.Time
			for from := range tl.All() {
				first = from
				break
			}
			if first.After(time.Date(2199, time.November, 30, 0, 0, 0, 0, time.UTC)) {
				continue // a table in force only after 2199 (or on its last day): no month level takes has it
			}
			require.NoError(t, err)
			require.True(t, l.Valid())
		}
	})
}

// A policy whose lists are nil (LVL-7: no benefit; LVL-8: no market has a creator score) reads
// back from its own JSON, where encoding/json writes them as null: null is nil, not the default.
func TestParsePolicyNilListsReadBack(t *testing.T) {
	p := level.DefaultPolicy()
	p.Benefits, p.Score = nil, nil
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	got, err := level.ParsePolicy(b)
	require.NoError(t, err)
	assert.Nil(t, got.Benefits)
	assert.Nil(t, got.Score)
}
