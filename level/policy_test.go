package level_test

import (
	"encoding/json"
	"errors"
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
		assert.Len(t, p.Tables[code], 1, "MKT-1 market %s has a default table", code)
	}
	assert.True(t, p.PartnersSeeLevel, "LVL-5 interpretation default")
	assert.Equal(t, level.TrendPolicy{SignificantDrop: 2, ConsistentMonths: 2}, p.Trend, "LVL-6 defaults")
	assert.Contains(t, p.Score, affrules.ID, "LVL-8: ID has a creator score")
	assert.Len(t, p.Score, 1)
	assert.Equal(t, level.Mixed, p.TieType, "LVL-9 interpretation default")
}

func TestParsePolicyRoundTrip(t *testing.T) {
	want := level.DefaultPolicy()
	want.Tables[affrules.UK] = append(want.Tables[affrules.UK], affrules.Effective[level.Table]{
		From: time.Date(2026, time.April, 1, 0, 0, 0, 0, market(t, affrules.UK).Location()), Value: ukTable(level.GMVBand)})
	b, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := level.ParsePolicy(b)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParsePolicy(Marshal(p)) mismatch (-want +got):\n%s", diff)
	}
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
	uk := func(mod func(*level.Table)) level.Policy {
		p := testPolicy(level.HighestMet)
		tb := ukTable(level.HighestMet)
		mod(&tb)
		p.Tables[affrules.UK] = []affrules.Effective[level.Table]{{Value: tb}}
		return p
	}
	tests := []struct {
		name   string
		policy level.Policy
		fields []string // every field reported, in order
	}{
		{"LVL-2 decreasing GMV", uk(func(tb *level.Table) { tb.Levels[3].GMV = decimal.RequireFromString("49.99") }),
			[]string{"tables[UK][0].levels[3] (L4).gmv"}},
		{"LVL-2 decreasing days and breadth", uk(func(tb *level.Table) { tb.Levels[7].ActiveDays = 15; tb.Levels[1].Breadth = 0 }),
			[]string{"tables[UK][0].levels[1] (L2).breadth", "tables[UK][0].levels[7] (L8).active_days"}},
		{"negative thresholds", uk(func(tb *level.Table) {
			tb.Levels[0].GMV = decimal.RequireFromString("-1")
			tb.Levels[0].ActiveDays = -1
			tb.Levels[0].Breadth = -1
		}), []string{"tables[UK][0].levels[0] (L1).gmv", "tables[UK][0].levels[0] (L1).active_days", "tables[UK][0].levels[0] (L1).breadth"}},
		{"sub-minor GMV", uk(func(tb *level.Table) { tb.Levels[0].GMV = decimal.RequireFromString("0.001") }),
			[]string{"tables[UK][0].levels[0] (L1).gmv"}},
		{"more active days than a month has", uk(func(tb *level.Table) { tb.Levels[7].ActiveDays = 32 }),
			[]string{"tables[UK][0].levels[7] (L8).active_days"}},
		{"LVL-1 seven levels", uk(func(tb *level.Table) { tb.Levels = tb.Levels[:7] }),
			[]string{"tables[UK][0].levels"}},
		{"unknown scheme", uk(func(tb *level.Table) { tb.Scheme = "best" }),
			[]string{"tables[UK][0].scheme"}},
		{"zero policy", level.Policy{}, []string{"trend.significant_drop", "trend.consistent_months", "tie_type",
			"badges.max_reply_minutes", "badges.post_window_days", "badges.min_posts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := level.New(tt.policy)
			assert.Nil(t, ev)
			var fields []string
			for _, fe := range fieldErrors(t, err) {
				fields = append(fields, fe.Field)
			}
			assert.Equal(t, tt.fields, fields)
		})
	}

	t.Run("unsorted and overlapping versions, unknown market", func(t *testing.T) {
		p := testPolicy(level.HighestMet)
		t0 := time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)
		p.Tables[affrules.UK] = []affrules.Effective[level.Table]{
			{From: t0, Value: ukTable(level.HighestMet)},
			{From: t0, Value: ukTable(level.HighestMet)},                 // overlaps
			{From: t0.Add(-time.Hour), Value: ukTable(level.HighestMet)}, // goes backwards
		}
		p.Tables["XX"] = []affrules.Effective[level.Table]{{Value: ukTable(level.HighestMet)}}
		p.Score["XX"] = p.Score[affrules.ID]
		err := func() error { _, err := level.New(p); return err }()
		var fields []string
		for _, fe := range fieldErrors(t, err) {
			fields = append(fields, fe.Field)
		}
		assert.Equal(t, []string{"tables[UK][1].from", "tables[UK][2].from", "tables[XX]", "score[XX]"}, fields)
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
		assert.Equal(t, []string{"benefits[1].name", "benefits[1].min_level", "benefits[2].name", "score[ID].weights", "score[ID].caps.live_count"}, fields)
	})
}

func TestParsePolicyErrors(t *testing.T) {
	good, err := json.Marshal(level.DefaultPolicy())
	require.NoError(t, err)
	tests := []struct {
		name, data string
		want       string // in the message
	}{
		{"not JSON", `{`, "unexpected EOF"},
		{"unknown field", strings.Replace(string(good), `"tie_type"`, `"tie_kind"`, 1), `unknown field "tie_kind"`},
		{"trailing data", string(good) + `{}`, "trailing data"},
		{"bad level", strings.Replace(string(good), `"min_level":"L4"`, `"min_level":"L9"`, 1), "must be one of L0 … L8"},
		{"invalid policy", strings.Replace(string(good), `"significant_drop":2`, `"significant_drop":0`, 1), "trend.significant_drop 0"},
		{"unknown field in a threshold", strings.Replace(string(good), `"active_days"`, `"active_day"`, 1), `unknown field "active_day"`},
		{"unknown field in a version", strings.Replace(string(good), `"value"`, `"values"`, 1), `unknown field "values"`},
		{"duplicate market", strings.Replace(string(good), `"tables":{`, `"tables":{"UK":[],`, 1), `policy.tables: key "UK" appears twice`},
		{"duplicate field, other case", strings.Replace(string(good), `"tie_type"`, `"TIE_TYPE":"live","tie_type"`, 1), `key "tie_type" appears twice`},
		{"reply time beyond a year", strings.Replace(string(good), `"max_reply_minutes":720`, `"max_reply_minutes":527041`, 1), "badges.max_reply_minutes 527041"},
		{"out-of-order versions", strings.Replace(string(good), `"UK":[{"from":"0001-01-01T00:00:00Z"`,
			`"UK":[{"from":"2026-04-01T00:00:00Z","value":{"scheme":"highest_met","levels":[]}},{"from":"2026-01-01T00:00:00Z"`, 1),
			"tables[UK][1].from 2026-01-01T00:00:00Z: must be after version 0's 2026-04-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, string(good), tt.data, "precondition: the input was altered")
			_, err := level.ParsePolicy([]byte(tt.data))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "level: "), err.Error())
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestParsePolicyDuplicateKeys: encoding/json keeps the last of two equal keys; ParsePolicy
// names the key instead, at any depth.
func TestParsePolicyDuplicateKeys(t *testing.T) {
	good, err := json.Marshal(level.DefaultPolicy())
	require.NoError(t, err)
	dup := strings.Replace(string(good), `"scheme":"highest_met"`, `"scheme":"gmv_band","scheme":"highest_met"`, 1)
	_, err = level.ParsePolicy([]byte(dup))
	require.Error(t, err)
	assert.Regexp(t, `^level: policy: policy\.tables\.[A-Z]{2}\[0\]\.value: key "scheme" appears twice$`, err.Error())
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
		if diff := cmp.Diff(p, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("policy changed in a JSON round trip (-parsed +reparsed):\n%s", diff)
		}
		ev, err := level.New(p)
		require.NoError(t, err)
		m := level.NewMonth(10_000, time.January) // after every version a policy can hold
		for code := range p.Tables {
			perf, err := level.NewPerformance(code, m.Add(-1), decimal.NewFromInt(1_000), 10, 5)
			require.NoError(t, err)
			l, err := ev.Assign(code, m, perf)
			require.NoError(t, err)
			require.True(t, l.Valid())
		}
	})
}
