package affrules_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
)

// ELG-10, COM-3: the default is in force everywhere until a market's override starts.
func TestPerMarket(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	def, err := affrules.NewTimeline(affrules.Effective[int]{From: t0, Value: 1}, affrules.Effective[int]{From: t0.AddDate(0, 6, 0), Value: 2})
	require.NoError(t, err)
	p := affrules.PerMarket[int]{Default: def}
	p, err = p.WithOverride(affrules.TH, t0.AddDate(0, 3, 0), 10)
	require.NoError(t, err)
	p, err = p.WithOverride(affrules.TH, t0.AddDate(0, 9, 0), 11)
	require.NoError(t, err)
	_, err = p.WithOverride(affrules.TH, t0.AddDate(0, 9, 0), 12)
	assert.Error(t, err, "an override must start after the market's last one")

	at := func(m affrules.MarketCode, d time.Duration) (int, bool) { return p.At(m, t0.Add(d)) }
	for _, tt := range []struct {
		m    affrules.MarketCode
		d    time.Duration
		want int
		ok   bool
	}{
		{affrules.TH, -time.Nanosecond, 0, false},
		{affrules.TH, 0, 1, true},
		{affrules.TH, 90*24*time.Hour - time.Nanosecond, 1, true},
		{affrules.TH, 90 * 24 * time.Hour, 10, true},
		{affrules.TH, 200 * 24 * time.Hour, 10, true}, // the default's later version does not apply once overridden
		{affrules.TH, 273 * 24 * time.Hour, 11, true},
		{affrules.UK, 200 * 24 * time.Hour, 2, true},
		{affrules.UK, -1, 0, false},
	} {
		got, ok := at(tt.m, tt.d)
		assert.Equal(t, tt.ok, ok, "%s at %s", tt.m, tt.d)
		assert.Equal(t, tt.want, got, "%s at %s", tt.m, tt.d)
	}
	// For(m) is the same answer as a single timeline.
	th := p.For(affrules.TH)
	assert.Equal(t, 3, th.Len())
	for _, d := range []time.Duration{-1, 0, 100 * 24 * time.Hour, 300 * 24 * time.Hour} {
		a, aok := th.At(t0.Add(d))
		b, bok := p.At(affrules.TH, t0.Add(d))
		assert.Equal(t, aok, bok)
		assert.Equal(t, a, b)
	}
	assert.Equal(t, def.Len(), p.For(affrules.UK).Len())
	assert.Equal(t, []affrules.MarketCode{affrules.TH}, p.Overridden())

	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back affrules.PerMarket[int]
	require.NoError(t, json.Unmarshal(b, &back))
	v, _ := back.At(affrules.TH, t0.AddDate(0, 4, 0))
	assert.Equal(t, 10, v)

	var zero affrules.PerMarket[int]
	_, ok := zero.At(affrules.UK, t0)
	assert.False(t, ok, "the zero PerMarket has nothing in force")
}

// A PerMarket decoded from JSON by itself (not through a package's ParsePolicy) refuses what
// would silently leave nothing in force: a misspelt or case-folded key, a key or a market given
// twice, a member of the wrong kind. An error leaves the value as it was.
func TestPerMarketJSON(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	def, err := affrules.NewTimeline(affrules.Effective[int]{From: t0, Value: 1})
	require.NoError(t, err)
	p, err := affrules.PerMarket[int]{Default: def}.WithOverride(affrules.TH, t0.AddDate(0, 3, 0), 10)
	require.NoError(t, err)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back affrules.PerMarket[int]
	require.NoError(t, json.Unmarshal(b, &back))
	for _, m := range []affrules.MarketCode{affrules.TH, affrules.UK} {
		assert.Equal(t, p.For(m).Len(), back.For(m).Len(), m)
		v, ok := back.At(m, t0.AddDate(1, 0, 0))
		w, _ := p.At(m, t0.AddDate(1, 0, 0))
		assert.True(t, ok)
		assert.Equal(t, w, v, m)
	}
	var none affrules.PerMarket[int]
	require.NoError(t, json.Unmarshal([]byte(`{"default":[{"value":3}],"markets":null}`), &none))
	assert.Nil(t, none.Markets)
	require.NoError(t, json.Unmarshal([]byte(`null`), &none))
	assert.Equal(t, 1, none.Default.Len(), "null leaves the value as it was")
	require.NoError(t, json.Unmarshal([]byte(`{"default":null}`), &none))
	assert.Equal(t, 0, none.Default.Len(), "default: null is an empty timeline, as the policy loaders read a list given as null")

	for _, tt := range []struct{ name, in, want string }{
		{"misspelt key", `{"defualt":[{"value":3}]}`, `affrules: per_market "defualt": is not a field`},
		{"key in another case", `{"Default":[{"value":3}]}`, `keys are case-sensitive`},
		{"key given twice", `{"default":[{"value":3}],"default":[]}`, `"default": key is given twice`},
		{"market given twice", `{"markets":{"TH":[{"value":3}],"TH":[{"value":4}]}}`, `per_market.markets "TH": is given twice`},
		{"markets not an object", `{"markets":[]}`, `per_market.markets []: must be an object`},
		{"not an object", `[]`, `per_market []: must be an object`},
		{"bad timeline", `{"default":[{"value":"x"}]}`, `per_market.default`},
		// A timeline's own error keeps its path: the entry, then the value's field.
		{"bad entry of a market", `{"markets":{"TH":[{"value":3},{"from":"2026-01-01T00:00:00Z","value":"x"}]}}`, `affrules: per_market.markets[TH][1].value`},
		{"entries out of order", `{"default":[{"from":"2026-02-01T00:00:00Z","value":3},{"from":"2026-01-01T00:00:00Z","value":4}]}`, `affrules: per_market.default[1].from 2026-01-01T00:00:00Z: must be after entry 0's`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p
			err := json.Unmarshal([]byte(tt.in), &got)
			require.ErrorContains(t, err, tt.want)
			assert.Equal(t, p.Overridden(), got.Overridden(), "an error leaves the value as it was")
			assert.Equal(t, p.Default.Len(), got.Default.Len())
		})
	}
	_, err = p.WithOverride("ZZ", t0, 3)
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	_, err = p.WithOverride("th", t0, 3)
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
}

func FuzzPerMarketJSON(f *testing.F) {
	f.Add([]byte(`{"default":[{"from":"2025-01-01T00:00:00Z","value":1}],"markets":{"TH":[{"from":"2025-04-01T00:00:00Z","value":10}]}}`))
	f.Add([]byte(`{"defualt":[]}`))
	f.Add([]byte(`{"markets":{"TH":[],"TH":null}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p affrules.PerMarket[int]
		if err := json.Unmarshal(b, &p); err != nil {
			return
		}
		out, err := json.Marshal(p)
		require.NoError(t, err)
		var back affrules.PerMarket[int]
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		require.Equal(t, p.Overridden(), back.Overridden())
	})
}
