package level_test

// Boundary tests that mutation testing asked for (issue 10): each pins one comparison of the
// package at its edge, so that changing < to <= there fails a test.
//
// Mutation score, with gremlins (github.com/go-gremlins/gremlins), on 2 CPUs shared with other
// work, about 20 minutes a run:
//
//	gremlins unleash ./level --timeout-coefficient 5
//
//	before issue 10: 317 killed, 28 lived, 8 timed out, 79 not covered: efficacy 91.88%
//	after:           422 killed, 10 lived, 6 timed out, 74 not covered: efficacy 97.69%
//
// A mutant that timed out made a test hang (a decimal no longer bounded, an index that never
// grows): detected, though gremlins counts it apart. Most mutants not covered are the case
// expressions of switch statements, which gremlins does not see covered, constants, and
// leveltest's failure reports. The ten that live are equivalent: no input tells them from the
// code.
//
//   - aggregate.go, dayIndex (5): the first guess of the day, (s - dayStart[0]) / 86400 clamped to
//     [0, ndays-1], only speeds the search; the two loops after it find the day from any guess
//     in [0, ndays], and no instant in the month gives a guess above ndays.
//   - assign.go, creatorSet (3, and a fourth that timed out in one run and lived in another):
//     when the index grows (2*n > len(slots) as >=), its starting size (4*n as 4+n) and the
//     rounding of a size to a power of two (size-1 as size+1) change only the memory it takes,
//     not which IDs it holds.
//   - profile.go, GPM.Rat and GPM.Round (2): exp >= 0 as exp > 0 (and shift likewise) multiplies
//     the other side by 10^0 = 1 instead.

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// policyFields returns the fields of the problems New reports for p, nil if it accepts it.
func policyFields(t *testing.T, p level.Policy) []string {
	t.Helper()
	_, err := level.New(p)
	if err == nil {
		return nil
	}
	var fields []string
	for _, fe := range fieldErrors(t, err) {
		fields = append(fields, fe.Field)
	}
	return fields
}

// Every bounded policy parameter is accepted at its bounds and refused just past them.
func TestPolicyBoundaries(t *testing.T) {
	type edit func(p *level.Policy)
	tests := []struct {
		name     string
		ok, bad  []edit
		badField string
	}{
		{"trend.significant_drop",
			[]edit{func(p *level.Policy) { p.Trend.SignificantDrop = 1 }, func(p *level.Policy) { p.Trend.SignificantDrop = 8 }},
			[]edit{func(p *level.Policy) { p.Trend.SignificantDrop = 0 }, func(p *level.Policy) { p.Trend.SignificantDrop = 9 }},
			"policy.trend.significant_drop"},
		{"trend.consistent_months",
			[]edit{func(p *level.Policy) { p.Trend.ConsistentMonths = 1 }, func(p *level.Policy) { p.Trend.ConsistentMonths = 24 }},
			[]edit{func(p *level.Policy) { p.Trend.ConsistentMonths = 0 }, func(p *level.Policy) { p.Trend.ConsistentMonths = 25 }},
			"policy.trend.consistent_months"},
		{"badges.max_reply_minutes",
			[]edit{func(p *level.Policy) { p.Badges.MaxReplyMinutes = 1 }, func(p *level.Policy) { p.Badges.MaxReplyMinutes = 366 * 24 * 60 }},
			[]edit{func(p *level.Policy) { p.Badges.MaxReplyMinutes = 0 }, func(p *level.Policy) { p.Badges.MaxReplyMinutes = 366*24*60 + 1 }},
			"policy.badges.max_reply_minutes"},
		{"badges.post_window_days",
			[]edit{func(p *level.Policy) { p.Badges.PostWindowDays = 1 }, func(p *level.Policy) { p.Badges.PostWindowDays = 366 }},
			[]edit{func(p *level.Policy) { p.Badges.PostWindowDays = 0 }, func(p *level.Policy) { p.Badges.PostWindowDays = 367 }},
			"policy.badges.post_window_days"},
		{"badges.min_posts",
			[]edit{func(p *level.Policy) { p.Badges.MinPosts = 1 }},
			[]edit{func(p *level.Policy) { p.Badges.MinPosts = 0 }},
			"policy.badges.min_posts"},
		{"score weight",
			[]edit{func(p *level.Policy) {
				p.Score[affrules.ID] = level.ScorePolicy{Weights: level.ScoreWeights{GMV: 100}, Caps: p.Score[affrules.ID].Caps}
			}},
			[]edit{
				func(p *level.Policy) {
					p.Score[affrules.ID] = level.ScorePolicy{Weights: level.ScoreWeights{GMV: 101, LiveCount: -1}, Caps: p.Score[affrules.ID].Caps}
				},
				func(p *level.Policy) {
					p.Score[affrules.ID] = level.ScorePolicy{Weights: level.ScoreWeights{GMV: -1, LiveCount: 101}, Caps: p.Score[affrules.ID].Caps}
				},
			},
			"policy.score[ID].weights.gmv"},
		{"score cap of GMV",
			[]edit{func(p *level.Policy) {
				sp := p.Score[affrules.ID]
				sp.Caps.GMV = decimal.New(1, -2)
				p.Score[affrules.ID] = sp
			}},
			[]edit{func(p *level.Policy) {
				sp := p.Score[affrules.ID]
				sp.Caps.GMV = decimal.Zero
				p.Score[affrules.ID] = sp
			}},
			"policy.score[ID].caps.gmv"},
		{"threshold breadth",
			[]edit{func(p *level.Policy) { setUKLevel(p, 7, func(th *level.Thresholds) { th.Breadth = math.MaxInt32 }) }},
			[]edit{func(p *level.Policy) { setUKLevel(p, 7, func(th *level.Thresholds) { th.Breadth = math.MaxInt32 + 1 }) }},
			"policy.tables[UK][0].levels[7] (L8).breadth"},
		{"threshold active days",
			[]edit{func(p *level.Policy) { setUKLevel(p, 7, func(th *level.Thresholds) { th.ActiveDays = 31 }) }},
			[]edit{func(p *level.Policy) { setUKLevel(p, 7, func(th *level.Thresholds) { th.ActiveDays = 32 }) }},
			"policy.tables[UK][0].levels[7] (L8).active_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, e := range tt.ok {
				p := testPolicy(level.HighestMet)
				e(&p)
				assert.Empty(t, policyFields(t, p), "ok[%d]", i)
			}
			for i, e := range tt.bad {
				p := testPolicy(level.HighestMet)
				e(&p)
				assert.Contains(t, policyFields(t, p), tt.badField, "bad[%d]", i)
			}
		})
	}
}

// setUKLevel edits L(i+1) of the UK table of p.
func setUKLevel(p *level.Policy, i int, edit func(th *level.Thresholds)) {
	tb := ukTable(level.HighestMet)
	edit(&tb.Levels[i])
	p.Tables[affrules.UK] = timeline(nil, affrules.Effective[level.Table]{Value: tb})
}

// A problem in a later table version names that version.
func TestPolicyVersionIndex(t *testing.T) {
	p := testPolicy(level.HighestMet)
	bad := ukTable(level.HighestMet)
	bad.Scheme = "best"
	p.Tables[affrules.UK] = timeline(t,
		affrules.Effective[level.Table]{Value: ukTable(level.HighestMet)},
		affrules.Effective[level.Table]{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Value: ukTable(level.GMVBand)},
		affrules.Effective[level.Table]{From: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Value: bad})
	assert.Equal(t, []string{"policy.tables[UK][2].scheme"}, policyFields(t, p))
}

// A table version takes effect in the first month whose first instant, in the market's calendar,
// is at or after its start; the months of a version starting in a far year are clamped, never
// wrapped around to the start of time.
func TestVersionFirstMonth(t *testing.T) {
	th := market(t, affrules.TH)
	april := affrules.NewMonth(2026, time.April)
	aprilStart := april.Period(th).Start // 00:00 on 1 April in Bangkok
	perf := mustPerf(t, affrules.TH, march2026, "0", 0, 0)
	for _, tt := range []struct {
		from time.Time
		want level.Level // in April
	}{
		{aprilStart, level.L8},
		{aprilStart.Add(time.Nanosecond), level.L0}, // in force from May
		{aprilStart.Add(-time.Nanosecond), level.L8},
	} {
		p := level.DefaultPolicy()
		p.Tables[affrules.TH] = timeline(t,
			affrules.Effective[level.Table]{Value: stepTable(0)},
			affrules.Effective[level.Table]{From: tt.from, Value: stepTable(8)})
		ev := mustNew(t, p)
		got, err := ev.Assign(affrules.TH, april, perf)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "a version from %s", tt.from)
	}
	// A version from August of the year 178956970, month number math.MaxInt32, is never in force
	// in the months level takes.
	for _, from := range []time.Time{
		time.Date(178_956_970, time.August, 1, 0, 0, 0, 0, time.UTC),
		time.Date(178_956_970, time.August, 15, 0, 0, 0, 0, time.UTC),
		time.Date(178_956_970, time.September, 15, 0, 0, 0, 0, time.UTC),
	} {
		p := level.DefaultPolicy()
		p.Tables[affrules.TH] = timeline(t,
			affrules.Effective[level.Table]{Value: stepTable(0)},
			affrules.Effective[level.Table]{From: from, Value: stepTable(8)})
		ev := mustNew(t, p)
		got, err := ev.Assign(affrules.TH, april, perf)
		require.NoError(t, err)
		assert.Equal(t, level.L0, got, "a version from %s", from)
	}
}

// Active days at the edges of local days: an event at local midnight just after the spring DST
// change belongs to the new day, though 24 hours have not passed since the previous midnight.
func TestAggregatorMidnightAfterDST(t *testing.T) {
	uk := market(t, affrules.UK)
	a := newAgg(t, affrules.UK, march2026)
	midnight := time.Date(2026, time.March, 30, 0, 0, 0, 0, uk.Location())
	for _, at := range []time.Time{midnight.Add(-time.Hour), midnight} {
		require.NoError(t, a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoLive}))
	}
	assert.Equal(t, 2, a.Performance("c").ActiveDays(), "00:00 on 30 March is the 30th")
}

// A creator's GMV may add up to exactly the most minor units 64 bits hold, and not one more.
func TestAggregatorGMVTotalBoundary(t *testing.T) {
	a := newAgg(t, affrules.UK, feb2026)
	at := time.Date(2026, time.February, 10, 12, 0, 0, 0, time.UTC)
	half := decimal.New(math.MaxInt64/2, -2)
	for _, gmv := range []decimal.Decimal{half, half, decimal.New(1, -2)} { // MaxInt64 = 2·(MaxInt64/2) + 1
		require.NoError(t, a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoLive, GMV: gmv}))
	}
	assert.True(t, a.Performance("c").GMV().Equal(decimal.New(math.MaxInt64, -2)))
	err := a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoLive, GMV: decimal.New(1, -2)})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.True(t, a.Performance("c").GMV().Equal(decimal.New(math.MaxInt64, -2)), "a refused event changes nothing")
}

// Events of creators in turn go to each creator's own tally.
func TestAggregatorCreatorsInTurn(t *testing.T) {
	a := newAgg(t, affrules.UK, feb2026)
	for d, c := range []string{"a", "a", "b", "a", "b", "b", "c"} {
		at := time.Date(2026, time.February, d+1, 12, 0, 0, 0, time.UTC)
		require.NoError(t, a.Add(level.Event{Creator: c, At: at, Kind: level.PromoLive, GMV: decimal.NewFromInt(int64(d + 1))}))
	}
	for c, want := range map[string]struct{ days, gmv int }{"a": {3, 1 + 2 + 4}, "b": {3, 3 + 5 + 6}, "c": {1, 7}} {
		p := a.Performance(c)
		assert.Equal(t, want.days, p.ActiveDays(), c)
		assert.True(t, p.GMV().Equal(decimal.NewFromInt(int64(want.gmv))), "%s: %s", c, p.GMV())
	}
}

// An unreachable sample bar is given in percent without trailing zeros: 100% + 10% is 110, not
// 11 × 10^1.
func TestSamplesUnreachablePercent(t *testing.T) {
	ev := mustNew(t, level.DefaultPolicy())
	r := affrules.MustParseRate
	b, err := ev.Badges(level.BadgeInput{SampleFulfilment: r("100%"), MarketAverage: r("100%")}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, b.ReliableWithSamples.Reasons, 1)
	assert.Equal(t, affrules.Decimal(decimal.NewFromInt(110)), b.ReliableWithSamples.Reasons[0].Limit)
}

// TrendAt reads as many months as the longest consistent drop a policy may ask for needs.
func TestTrendAtLongestRun(t *testing.T) {
	p := testPolicy(level.HighestMet)
	p.Trend.ConsistentMonths = 24
	ev := mustNew(t, p)
	var h level.MemoryHistory
	for i := range 30 {
		require.NoError(t, h.Put(t.Context(), level.Record{Market: affrules.UK, Creator: "c", Month: march2026.Add(-i), Level: level.L4}))
	}
	tr, ok, err := ev.TrendAt(t.Context(), &h, affrules.UK, "c", march2026)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 25, tr.Months, "the month and the 24 before it")
}

// A GPM's GMV may have an exponent of 18 when it is zero, and 18 decimal places.
func TestGPMBounds(t *testing.T) {
	for _, g := range []level.GPM{{GMV: decimal.New(0, 18), Exposures: 1}, {GMV: decimal.New(0, -18), Exposures: 1}} {
		assert.True(t, g.HasData(), "exponent %d", g.GMV.Exponent())
		assert.NoError(t, level.Profile{Creator: "c", Video: g}.Validate())
	}
	for _, g := range []level.GPM{{GMV: decimal.New(0, 19), Exposures: 1}, {GMV: decimal.New(0, -19), Exposures: 1}} {
		assert.False(t, g.HasData(), "exponent %d", g.GMV.Exponent())
		assert.Error(t, level.Profile{Creator: "c", Video: g}.Validate())
	}
}
