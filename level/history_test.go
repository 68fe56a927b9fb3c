package level_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/level/leveltest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestMemoryHistory(t *testing.T) {
	leveltest.TestHistory(t, func(*testing.T) level.History { return new(level.MemoryHistory) })
}

// LVL-3: the level at instant t is the level of t's month in the market's calendar.
func TestLevelAt(t *testing.T) {
	ctx := context.Background()
	var h level.MemoryHistory
	require.NoError(t, h.Put(ctx, level.Record{Market: affrules.TH, Creator: "c", Month: feb2026, Level: level.L3}))
	require.NoError(t, h.Put(ctx, level.Record{Market: affrules.TH, Creator: "c", Month: march2026, Level: level.L5}))
	bkk := market(t, affrules.TH).Location()
	tests := []struct {
		at   time.Time
		want level.Level
		ok   bool
	}{
		{time.Date(2026, time.February, 28, 23, 30, 0, 0, bkk), level.L3, true},
		{time.Date(2026, time.March, 1, 0, 0, 0, 0, bkk), level.L5, true}, // 17:00 UTC on 28 February
		{time.Date(2026, time.March, 31, 23, 59, 59, 0, bkk), level.L5, true},
		{time.Date(2026, time.April, 1, 0, 0, 0, 0, bkk), level.L0, false},
	}
	for _, tt := range tests {
		l, ok, err := level.LevelAt(ctx, &h, affrules.TH, "c", tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.ok, ok, tt.at)
		assert.Equal(t, tt.want, l, tt.at)
	}
	_, _, err := level.LevelAt(ctx, &h, "XX", "c", time.Date(2026, time.March, 1, 0, 0, 0, 0, bkk))
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
}

func TestTrendAtErrors(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	var h level.MemoryHistory
	_, ok, err := ev.TrendAt(t.Context(), &h, "XX", "c", march2026)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.False(t, ok)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err = ev.TrendAt(ctx, &h, affrules.UK, "c", march2026)
	assert.ErrorIs(t, err, context.Canceled, "a failing store is an error")
}

func TestTrend(t *testing.T) { // LVL-6
	ev := mustNew(t, testPolicy(level.HighestMet))
	significant := func(k int64, change string) affrules.Reason {
		return affrules.Reason{Rule: level.RuleTrend, Key: "level.lvl6.significant_drop",
			Observed: affrules.Count(k), Limit: affrules.Count(2), Subject: change}
	}
	consistent := func(months int64) affrules.Reason {
		return affrules.Reason{Rule: level.RuleTrend, Key: "level.lvl6.consistent_drop",
			Observed: affrules.Count(months), Limit: affrules.Count(2)}
	}
	tests := []struct {
		levels  []level.Level
		str     string
		drop    level.Drop
		streak  int
		allowed bool
		reasons []affrules.Reason
	}{
		{[]level.Level{level.L3, level.L4}, "up by 1", level.NoDrop, 0, true, nil},
		{[]level.Level{level.L4, level.L4}, "same", level.NoDrop, 0, true, nil},
		{[]level.Level{level.L4, level.L3}, "down by 1 (slight drop)", level.SlightDrop, 1, true, nil},
		{[]level.Level{level.L4, level.L2}, "down by 2 (significant drop)", level.SignificantDrop, 1, false,
			[]affrules.Reason{significant(2, "L4 → L2")}},
		{[]level.Level{level.L5, level.L4, level.L3}, "down by 1 (slight drop)", level.SlightDrop, 2, false,
			[]affrules.Reason{consistent(2)}},
		{[]level.Level{level.L8, level.L5, level.L3}, "down by 2 (significant drop)", level.SignificantDrop, 2, false,
			[]affrules.Reason{significant(2, "L5 → L3"), consistent(2)}},
		{[]level.Level{level.L5, level.L6, level.L5}, "down by 1 (slight drop)", level.SlightDrop, 1, true, nil},
		{[]level.Level{level.L4, level.L3, level.L3}, "same", level.NoDrop, 0, true, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.levels), func(t *testing.T) {
			tr, err := ev.Trend(tt.levels...)
			require.NoError(t, err)
			assert.Equal(t, tt.str, tr.String())
			assert.Equal(t, len(tt.levels), tr.Months)
			assert.Equal(t, tt.drop, tr.Drop)
			assert.Equal(t, tt.streak, tr.DropStreak)
			assert.Equal(t, tt.allowed, tr.Reliability.Allowed)
			assert.Equal(t, tt.reasons, tr.Reliability.Reasons)
		})
	}
	for n := range 2 {
		levels := []level.Level{level.L4}[:n]
		tr, err := ev.Trend(levels...)
		require.NoError(t, err)
		assert.Equal(t, "no previous month", tr.String())
		assert.Equal(t, n, tr.Months)
		assert.True(t, tr.Reliability.Allowed)
		assert.Equal(t, []affrules.Reason{{Rule: level.RuleTrend, Kind: affrules.NotApplicable, Key: "level.lvl6.too_little_history",
			Observed: affrules.Count(int64(n)), Limit: affrules.Count(2)}}, tr.Reliability.Reasons)
	}
	tr, err := ev.Trend(level.L4)
	require.NoError(t, err)
	assert.Equal(t, level.L4, tr.To)
	_, err = ev.Trend(level.L1, level.L8+1)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	// A Trend marshals to JSON and reads back unchanged.
	tr, err = ev.Trend(level.L8, level.L5, level.L3)
	require.NoError(t, err)
	b, err := json.Marshal(tr)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"drop":"significant"`)
	var back level.Trend
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, tr, back)
	assert.Error(t, json.Unmarshal([]byte(`{"drop":"huge"}`), &back))

	// The thresholds are policy: a significant drop from 3 levels, a consistent drop over 3 months.
	p := testPolicy(level.HighestMet)
	p.Trend = level.TrendPolicy{SignificantDrop: 3, ConsistentMonths: 3}
	tr, err = mustNew(t, p).Trend(level.L8, level.L6, level.L4)
	require.NoError(t, err)
	assert.Equal(t, level.SlightDrop, tr.Drop)
	assert.True(t, tr.Reliability.Allowed)
}

// historyModel is the state machine's reference: a plain map and a direct reading of LVL-6.
type historyModel struct {
	levels map[string]map[affrules.Month]level.Level // creator → month → level
}

func (m historyModel) trend(creator string, month affrules.Month, consistent, significant int) (drop level.Drop, streak int, warn, ok bool) {
	byMonth := m.levels[creator]
	cur, ok := byMonth[month]
	if !ok {
		return level.NoDrop, 0, false, false
	}
	prev, okPrev := byMonth[month.Add(-1)]
	if okPrev && prev > cur {
		drop = level.SlightDrop
		if int(prev-cur) >= significant {
			drop = level.SignificantDrop
		}
	}
	// Count decreases, looking back no further than the evaluator needs to.
	for i := 0; i < consistent; i++ {
		a, okA := byMonth[month.Add(-i-1)]
		b := byMonth[month.Add(-i)]
		if !okA || a <= b {
			break
		}
		streak++
	}
	return drop, streak, drop == level.SignificantDrop || streak >= consistent, true
}

// State machine (LVL-3, LVL-6): refreshes written to the history over months, read back and
// summarised as trends, agree with a plain model.
func TestHistoryStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := testPolicy(level.HighestMet)
		p.Trend = level.TrendPolicy{
			SignificantDrop:  rapid.IntRange(1, 4).Draw(t, "significant"),
			ConsistentMonths: rapid.IntRange(1, 4).Draw(t, "consistent"),
		}
		ev, err := level.New(p)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		h := new(level.MemoryHistory)
		model := historyModel{levels: map[string]map[affrules.Month]level.Level{}}
		creators := []string{"a", "b", "c"}
		month := rapid.Custom(func(t *rapid.T) affrules.Month {
			return march2026.Add(rapid.IntRange(-6, 6).Draw(t, "monthOffset"))
		})
		t.Repeat(map[string]func(*rapid.T){
			"put": func(t *rapid.T) {
				r := level.Record{
					Market:  affrules.UK,
					Creator: rapid.SampledFrom(creators).Draw(t, "creator"),
					Month:   month.Draw(t, "month"),
					Level:   level.Level(rapid.IntRange(0, 8).Draw(t, "level")),
				}
				if err := h.Put(ctx, r); err != nil {
					t.Fatal(err)
				}
				if model.levels[r.Creator] == nil {
					model.levels[r.Creator] = map[affrules.Month]level.Level{}
				}
				model.levels[r.Creator][r.Month] = r.Level
			},
			"putInvalid": func(t *rapid.T) {
				r := level.Record{Market: affrules.UK, Creator: rapid.SampledFrom(creators).Draw(t, "creator"),
					Month: month.Draw(t, "month"), Level: level.L8 + 1}
				if err := h.Put(ctx, r); err == nil {
					t.Fatal("invalid level stored")
				}
			},
			"get": func(t *rapid.T) {
				c, m := rapid.SampledFrom(creators).Draw(t, "creator"), month.Draw(t, "month")
				l, ok, err := h.Get(ctx, affrules.UK, c, m)
				if err != nil {
					t.Fatal(err)
				}
				want, wantOK := model.levels[c][m]
				if ok != wantOK || l != want {
					t.Fatalf("Get(%s, %s) = %s, %v; model %s, %v", c, m, l, ok, want, wantOK)
				}
			},
			"trend": func(t *rapid.T) {
				c, m := rapid.SampledFrom(creators).Draw(t, "creator"), month.Draw(t, "month")
				tr, ok, err := ev.TrendAt(ctx, h, affrules.UK, c, m)
				if err != nil {
					t.Fatal(err)
				}
				drop, streak, warn, wantOK := model.trend(c, m, p.Trend.ConsistentMonths, p.Trend.SignificantDrop)
				if ok != wantOK {
					t.Fatalf("TrendAt(%s, %s) ok = %v; model %v", c, m, ok, wantOK)
				}
				if !ok {
					return
				}
				if tr.Drop != drop || min(tr.DropStreak, p.Trend.ConsistentMonths) != streak || tr.Reliability.Allowed == warn {
					t.Fatalf("TrendAt(%s, %s) = %+v; model drop %s, streak %d, warn %v", c, m, tr, drop, streak, warn)
				}
			},
		})
	})
}
