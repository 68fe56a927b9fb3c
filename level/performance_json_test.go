package level_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// A Performance written to JSON (to a queue, say) reads back as the same performance, checked
// again on the way in; the zero Performance is not written as an empty object.
func TestPerformanceJSON(t *testing.T) {
	m := affrules.NewMonth(2026, time.October)
	capability := decimal.RequireFromString("12.5")
	p, err := level.NewPerformance(affrules.UK, m, level.Totals{GMV: decimal.RequireFromString("2000.05"), ActiveDays: 28, Products: 100, Categories: 3, Capability: &capability})
	require.NoError(t, err)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"market":"UK","month":"2026-10","gmv":"2000.05","active_days":28,"products":100,"categories":3,"capability":"12.5"}`, string(b))
	var back level.Performance
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, p, back)

	without, err := level.NewPerformance(affrules.ID, m, level.Totals{GMV: decimal.NewFromInt(5)})
	require.NoError(t, err)
	b, err = json.Marshal(without)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "capability")
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, without, back)

	_, err = json.Marshal(level.Performance{})
	require.ErrorContains(t, err, "zero Performance")

	for _, tt := range []struct{ name, in, want string }{
		{"totals left out", `{"market":"UK","month":"2026-10"}`, "performance.gmv (absent): is required"},
		{"misspelt key", `{"market":"UK","month":"2026-10","gmv":"1","active_days":1,"products":1,"categories":1,"categores":1}`, "categores"},
		{"negative", `{"market":"UK","month":"2026-10","gmv":"-1","active_days":1,"products":1,"categories":1}`, "performance.gmv"},
		{"unknown market", `{"market":"XX","month":"2026-10","gmv":"1","active_days":1,"products":1,"categories":1}`, "unknown market"},
		{"null", `null`, "level: performance null: must be a JSON object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p
			err := json.Unmarshal([]byte(tt.in), &got)
			require.ErrorContains(t, err, tt.want)
			assert.Equal(t, p, got, "an error leaves the value as it was")
		})
	}
}

// Whatever a Performance reads from JSON it writes back and reads again as itself.
func FuzzPerformanceJSON(f *testing.F) {
	f.Add([]byte(`{"market":"UK","month":"2026-10","gmv":"2000.05","active_days":28,"products":100,"categories":3,"capability":"12.5"}`))
	f.Add([]byte(`{"market":"ID","month":"2026-02","gmv":1e3,"active_days":29,"products":0,"categories":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p level.Performance
		if json.Unmarshal(b, &p) != nil {
			return
		}
		out, err := json.Marshal(p)
		require.NoError(t, err)
		var back level.Performance
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		require.Equal(t, p, back)
	})
}
