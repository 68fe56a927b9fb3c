package level_test

import (
	"context"
	"encoding/json"
	"errors"
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

// failingHistory is a host's History whose store is down.
type failingHistory struct{ err error }

func (f failingHistory) Put(context.Context, level.Record) error { return f.err }

func (f failingHistory) Get(context.Context, affrules.MarketCode, string, affrules.Month) (level.Level, bool, error) {
	return level.L5, true, f.err // what it returns beside the error is not to be trusted
}

// A failing host store's error reaches the caller named by the package, still matched by
// errors.Is, beside L0 and false; one that names the package already is kept as it is.
func TestFailingHistoryNamed(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	bkk := market(t, affrules.TH).Location()
	down := errors.New("db down")
	l, ok, err := level.LevelAt(t.Context(), failingHistory{down}, affrules.TH, "c", time.Date(2026, time.March, 1, 0, 0, 0, 0, bkk))
	require.ErrorIs(t, err, down)
	require.EqualError(t, err, "level: history: db down")
	require.Equal(t, level.L0, l)
	require.False(t, ok)
	tr, ok, err := ev.TrendAt(t.Context(), failingHistory{down}, affrules.UK, "c", march2026)
	require.EqualError(t, err, "level: history: db down")
	require.Zero(t, tr)
	require.False(t, ok)
	named := errors.New("level: postgres: connection refused")
	_, _, err = level.LevelAt(t.Context(), failingHistory{named}, affrules.TH, "c", time.Date(2026, time.March, 1, 0, 0, 0, 0, bkk))
	require.Same(t, named, err)
}

func TestTrend(t *testing.T) { // LVL-6
	ev := mustNew(t, testPolicy(level.HighestMet))
	p := testPolicy(level.HighestMet)
	p.Trend.WarnOnEither = true
	either := mustNew(t, p)
	significant := func(k int64, change string) affrules.Reason {
		return affrules.Reason{Rule: level.RuleTrend, Key: "level.lvl6.significant_drop",
			Observed: affrules.Count(k), Limit: affrules.Count(2), Subject: change}
	}
	consistent := func(months int64) affrules.Reason {
		return affrules.Reason{Rule: level.RuleTrend, Key: "level.lvl6.consistent_drop",
			Observed: affrules.Count(months), Limit: affrules.Count(2)}
	}
	tests := []struct {
		levels     []level.Level
		str        string
		drop       level.Drop
		streak     int
		consistent bool
		// the warning by default (both needed) and under warn_on_either
		allowed, allowedEither bool
		reasons, reasonsEither []affrules.Reason
	}{
		{[]level.Level{level.L3, level.L4}, "up by 1", level.NoDrop, 0, false, true, true, nil, nil},
		{[]level.Level{level.L4, level.L4}, "same", level.NoDrop, 0, false, true, true, nil, nil},
		{[]level.Level{level.L4, level.L3}, "down by 1 (slight drop)", level.SlightDrop, 1, false, true, true, nil, nil},
		{[]level.Level{level.L4, level.L2}, "down by 2 (significant drop)", level.SignificantDrop, 1, false, true, false,
			nil, []affrules.Reason{significant(2, "L4 → L2")}},
		{[]level.Level{level.L5, level.L4, level.L3}, "down by 1 (slight drop)", level.SlightDrop, 2, true, true, false,
			nil, []affrules.Reason{consistent(2)}},
		{[]level.Level{level.L8, level.L5, level.L3}, "down by 2 (significant drop)", level.SignificantDrop, 2, true, false, false,
			[]affrules.Reason{significant(2, "L5 → L3"), consistent(2)}, []affrules.Reason{significant(2, "L5 → L3"), consistent(2)}},
		{[]level.Level{level.L5, level.L6, level.L5}, "down by 1 (slight drop)", level.SlightDrop, 1, false, true, true, nil, nil},
		{[]level.Level{level.L4, level.L3, level.L3}, "same", level.NoDrop, 0, false, true, true, nil, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.levels), func(t *testing.T) {
			tr, err := ev.Trend(tt.levels...)
			require.NoError(t, err)
			assert.Equal(t, tt.str, tr.String())
			assert.Equal(t, len(tt.levels), tr.Months)
			assert.Equal(t, tt.drop, tr.Drop)
			assert.Equal(t, tt.streak, tr.DropStreak)
			assert.Equal(t, tt.consistent, tr.Consistent)
			assert.Equal(t, tt.allowed, tr.Reliability.Allowed)
			assert.Equal(t, tt.reasons, tr.Reliability.Reasons)

			tr, err = either.Trend(tt.levels...)
			require.NoError(t, err)
			assert.Equal(t, tt.allowedEither, tr.Reliability.Allowed, "warn_on_either")
			assert.Equal(t, tt.reasonsEither, tr.Reliability.Reasons, "warn_on_either")
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
	p = testPolicy(level.HighestMet)
	p.Trend = level.TrendPolicy{SignificantDrop: 3, ConsistentMonths: 3, WarnOnEither: true}
	tr, err = mustNew(t, p).Trend(level.L8, level.L6, level.L4)
	require.NoError(t, err)
	assert.Equal(t, level.SlightDrop, tr.Drop)
	assert.True(t, tr.Reliability.Allowed)
}

// LVL-6 (revised): by default sellers are warned only of a drop both significant and consistent.
// Under the old default (either alone) this test fails: a significant drop in its first month
// and a consistent run of slight drops each warned on their own.
func TestTrendDefaultNeedsBoth(t *testing.T) {
	assert.False(t, level.DefaultPolicy().Trend.WarnOnEither, "LVL-6 default: both needed")
	ev := mustNew(t, level.DefaultPolicy())
	for _, levels := range [][]level.Level{{level.L6, level.L6, level.L3}, {level.L6, level.L5, level.L4}} {
		tr, err := ev.Trend(levels...)
		require.NoError(t, err)
		assert.True(t, tr.Reliability.Allowed, "%v: one condition alone does not warn", levels)
		assert.Empty(t, tr.Reliability.Reasons)
	}
	tr, err := ev.Trend(level.L6, level.L5, level.L3)
	require.NoError(t, err)
	assert.False(t, tr.Reliability.Allowed, "significant and consistent: warned")
}

// LVL-6 boundaries, for every significant drop S and consistent run N from 1 to 4: a drop of
// exactly S levels is significant and S-1 is not; exactly N monthly decreases in a row are
// consistent and N-1 are not; by default only both together warn, under warn_on_either either.
func TestTrendBoundaries(t *testing.T) {
	// run returns levels ending in n decreases in a row, the last by k levels, the others by 1,
	// after a month without change.
	run := func(n, k int) []level.Level {
		l := level.L8
		out := []level.Level{l, l}
		for i := range n {
			step := 1
			if i == n-1 {
				step = k
			}
			l -= level.Level(step)
			out = append(out, l)
		}
		return out
	}
	for s := 1; s <= 4; s++ {
		for n := 1; n <= 4; n++ {
			for _, eitherOn := range []bool{false, true} {
				p := testPolicy(level.HighestMet)
				p.Trend = level.TrendPolicy{SignificantDrop: s, ConsistentMonths: n, WarnOnEither: eitherOn}
				ev := mustNew(t, p)
				check := func(levels []level.Level, sig, cons bool) {
					t.Helper()
					tr, err := ev.Trend(levels...)
					require.NoError(t, err)
					assert.Equal(t, sig, tr.Drop == level.SignificantDrop, "S=%d N=%d %v significant", s, n, levels)
					assert.Equal(t, cons, tr.Consistent, "S=%d N=%d %v consistent", s, n, levels)
					warn := sig && cons
					if eitherOn {
						warn = sig || cons
					}
					assert.Equal(t, !warn, tr.Reliability.Allowed, "S=%d N=%d either=%v %v warning", s, n, eitherOn, levels)
				}
				check(run(n, s), true, true) // exactly S levels, exactly N months
				if n > 1 {
					check(run(n-1, s), true, false) // one month short
				}
				if s > 1 {
					check(run(n, s-1), false, true) // one level short
				}
			}
		}
	}
}

// historyModel is the state machine's reference: a plain map and a direct reading of LVL-6.
type historyModel struct {
	levels map[string]map[affrules.Month]level.Level // creator → month → level
}

func (m historyModel) trend(creator string, month affrules.Month, consistent, significant int, either bool) (drop level.Drop, streak int, warn, ok bool) {
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
	sig, cons := drop == level.SignificantDrop, streak >= consistent
	if either {
		return drop, streak, sig || cons, true
	}
	return drop, streak, sig && cons, true
}

// State machine (LVL-3, LVL-6): refreshes written to the history over months, read back and
// summarised as trends, agree with a plain model.
func TestHistoryStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := testPolicy(level.HighestMet)
		p.Trend = level.TrendPolicy{
			SignificantDrop:  rapid.IntRange(1, 4).Draw(t, "significant"),
			ConsistentMonths: rapid.IntRange(1, 4).Draw(t, "consistent"),
			WarnOnEither:     rapid.Bool().Draw(t, "either"),
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
				drop, streak, warn, wantOK := model.trend(c, m, p.Trend.ConsistentMonths, p.Trend.SignificantDrop, p.Trend.WarnOnEither)
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
