package level_test

import (
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBenefit(t *testing.T) { // LVL-7
	ev := mustNew(t, testPolicy(level.HighestMet)) // leaderboard from L4
	for l := level.L0; l <= level.L8; l++ {
		d, err := ev.Benefit("leaderboard", l)
		require.NoError(t, err)
		assert.Equal(t, l >= level.L4, d.Allowed, l)
		if !d.Allowed {
			require.Len(t, d.Reasons, 1)
			assert.Equal(t, affrules.Reason{Rule: level.RuleBenefit, Key: "level.lvl7.below_min_level",
				Observed: affrules.LevelOf(int(l)), Limit: affrules.LevelOf(4), Subject: "leaderboard"}, d.Reasons[0])
			assert.Equal(t, int64(l), d.Reasons[0].Observed.Int())
			assert.Equal(t, affrules.LevelValue, d.Reasons[0].Limit.Kind())
		} else {
			assert.Empty(t, d.Reasons)
		}
	}
	_, err := ev.Benefit("free lunch", level.L8)
	assert.ErrorContains(t, err, `level: benefit "free lunch"`)
	_, err = ev.Benefit("leaderboard", level.L8+1)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	p := testPolicy(level.HighestMet)
	p.Benefits = append(p.Benefits, level.Benefit{Name: "open to all", MinLevel: level.L0})
	d, err := mustNew(t, p).Benefit("open to all", level.L0)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "a benefit from L0 is open to every level")
}

func TestBenefitAllocs(t *testing.T) { // LVL-7: decisions built once, in New
	ev := mustNew(t, testPolicy(level.HighestMet))
	allocs := testing.AllocsPerRun(1000, func() {
		for _, l := range []level.Level{level.L2, level.L6} {
			if _, err := ev.Benefit("leaderboard", l); err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Zero(t, allocs)
}

// LVL-7: eligibility is re-checked at each monthly refresh: lost in the month the level falls.
func TestBenefitLostAtRefresh(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	ctx := t.Context()
	var h level.MemoryHistory
	feb := mustPerf(t, affrules.UK, feb2026, "500", 8, 4)   // L5 for March
	mar := mustPerf(t, affrules.UK, march2026, "100", 5, 3) // L4 for April
	apr := mustPerf(t, affrules.UK, march2026.Add(1), "50", 3, 2)
	for i, p := range []level.Performance{feb, mar, apr} {
		l, err := ev.Assign(affrules.UK, march2026.Add(i), p)
		require.NoError(t, err)
		require.NoError(t, h.Put(ctx, level.Record{Market: affrules.UK, Creator: "c", Month: march2026.Add(i), Level: l}))
	}
	uk := market(t, affrules.UK)
	want := []bool{true, true, false}
	for i := range 3 {
		at := march2026.Add(i).Period(uk).Start.Add(time.Hour)
		l, ok, err := level.LevelAt(ctx, &h, affrules.UK, "c", at)
		require.NoError(t, err)
		require.True(t, ok)
		d, err := ev.Benefit("leaderboard", l)
		require.NoError(t, err)
		assert.Equal(t, want[i], d.Allowed, "month %d at %s", i, l)
	}
}

// LVL-5 (revised): by default affiliate partners (MCN/TAP) do not see creator levels; under the
// old default (partners_see_level true) this test fails.
func TestVisiblePartnersDefault(t *testing.T) {
	assert.False(t, level.DefaultPolicy().PartnersSeeLevel, "LVL-5 default: off")
	d, err := mustNew(t, level.DefaultPolicy()).Visible(level.Viewer{Role: level.RolePartner, ID: "mcn-1"}, "c1")
	require.NoError(t, err)
	assert.False(t, d.Allowed, "LVL-5: a partner is denied under the default policy")
	assert.Equal(t, []affrules.Reason{{Rule: level.RuleVisibility, Key: "level.lvl5.partner", Observed: affrules.Text("partner")}}, d.Reasons)

	p, err := level.ParsePolicy([]byte(`{"partners_see_level": true}`))
	require.NoError(t, err)
	d, err = mustNew(t, p).Visible(level.Viewer{Role: level.RolePartner, ID: "mcn-1"}, "c1")
	require.NoError(t, err)
	assert.True(t, d.Allowed, "LVL-5: the policy switch lets partners see levels")
}

func TestVisible(t *testing.T) { // LVL-5
	p := testPolicy(level.HighestMet)
	p.PartnersSeeLevel = true
	withPartners := mustNew(t, p)
	noPartners := mustNew(t, testPolicy(level.HighestMet)) // the default
	visible := func(ev *level.Evaluator, v level.Viewer, creator string) affrules.Decision {
		t.Helper()
		d, err := ev.Visible(v, creator)
		require.NoError(t, err)
		return d
	}
	// The key of a denial names the denial and, by its suffix, whether partners see levels.
	tests := []struct {
		viewer            level.Viewer
		partners, without bool
		key               affrules.MessageKey // of the denial, without the policy suffix
	}{
		{level.Viewer{Role: level.RoleCreator, ID: "c1"}, true, true, ""},
		{level.Viewer{Role: level.RoleCreator, ID: "c2"}, false, false, "level.lvl5.another_creator"},
		{level.Viewer{Role: level.RoleCreator}, false, false, "level.lvl5.another_creator"},
		{level.Viewer{Role: level.RoleSeller, ID: "s1"}, true, true, ""},
		{level.Viewer{Role: level.RolePartner, ID: "mcn"}, true, false, "level.lvl5.partner"},
		{level.Viewer{Role: level.RoleBuyer, ID: "b1"}, false, false, "level.lvl5.buyer"},
		{level.Viewer{Role: "admin"}, false, false, "level.lvl5.unknown_role"},
		{level.Viewer{}, false, false, "level.lvl5.unknown_role"}, // the zero Viewer
	}
	for _, tt := range tests {
		d := visible(withPartners, tt.viewer, "c1")
		without := visible(noPartners, tt.viewer, "c1")
		assert.Equal(t, tt.partners, d.Allowed, "%+v", tt.viewer)
		assert.Equal(t, tt.without, without.Allowed, "%+v without partners", tt.viewer)
		if !d.Allowed {
			require.Len(t, d.Reasons, 1)
			assert.Equal(t, affrules.Reason{Rule: level.RuleVisibility, Key: tt.key + "_partners_see_level",
				Observed: affrules.Text(string(tt.viewer.Role))}, d.Reasons[0])
		}
		if !without.Allowed {
			require.Len(t, without.Reasons, 1)
			assert.Equal(t, affrules.Reason{Rule: level.RuleVisibility, Key: tt.key,
				Observed: affrules.Text(string(tt.viewer.Role))}, without.Reasons[0])
		}
	}
	// An unknown role of a megabyte is shown by its beginning and length: a decision is shown.
	huge := visible(noPartners, level.Viewer{Role: level.Role(strings.Repeat("r", 1<<20))}, "c1")
	assert.Equal(t, affrules.Text(strings.Repeat("r", 64)+"… (1048576 bytes)"), huge.Reasons[0].Observed)
	assert.False(t, visible(withPartners, level.Viewer{Role: level.RoleCreator}, "c1").Allowed, "an empty viewer ID never matches")
	for _, v := range []level.Viewer{{Role: level.RoleSeller}, {Role: level.RoleCreator}} {
		_, err := withPartners.Visible(v, "")
		assert.ErrorContains(t, err, `level: creator "": must not be empty`, "%+v", v)
	}

	allocs := testing.AllocsPerRun(1000, func() {
		for _, v := range []level.Viewer{{Role: level.RoleSeller}, {Role: level.RoleBuyer}, {Role: level.RoleCreator, ID: "c2"}} {
			if _, err := noPartners.Visible(v, "c1"); err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Zero(t, allocs, "LVL-5: decisions for the known roles are built once, in New")
}

func TestScore(t *testing.T) { // LVL-8
	ev := mustNew(t, level.DefaultPolicy())
	caps := level.DefaultPolicy().Score[affrules.ID].Caps
	full, ok, err := ev.Score(affrules.ID, caps)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, full.Equal(decimal.NewFromInt(100)), full.String())

	over := caps
	over.GMV = caps.GMV.Mul(decimal.NewFromInt(3))
	over.LiveCount *= 5
	s, _, err := ev.Score(affrules.ID, over)
	require.NoError(t, err)
	assert.True(t, s.Equal(decimal.NewFromInt(100)), "capped at 100: %s", s)

	zero, ok, err := ev.Score(affrules.ID, level.ScoreInput{})
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, zero.IsZero(), zero.String())

	// Half of every cap: half the weights, 50 points. A third of the GMV cap: 30/3 = 10 points.
	half := level.ScoreInput{GMV: caps.GMV.Div(decimal.NewFromInt(2)), LiveCount: caps.LiveCount / 2, LiveViewers: caps.LiveViewers / 2,
		ViewingSeconds: caps.ViewingSeconds / 2, VideoCount: caps.VideoCount / 2, VideoViews: caps.VideoViews / 2,
		Completion: affrules.MustParseRate("25%")}
	s, _, err = ev.Score(affrules.ID, half)
	require.NoError(t, err)
	assert.True(t, s.Equal(decimal.NewFromInt(50)), s.String())
	third := level.ScoreInput{GMV: caps.GMV.Div(decimal.NewFromInt(3)).Truncate(0)}
	s, _, err = ev.Score(affrules.ID, third)
	require.NoError(t, err)
	assert.Equal(t, "10", s.String(), "9.99999998… rounded once, half-up, to two places")

	// Rounded once, from the exact sum: a sum just below a half hundredth rounds down, however
	// close (terms rounded first had pushed these up by 0.01).
	s, _, err = ev.Score(affrules.ID, level.ScoreInput{GMV: decimal.RequireFromString("33333.333333333")})
	require.NoError(t, err)
	assert.True(t, s.IsZero(), "0.00499999999999995 is 0.00, not %s", s)
	p := level.DefaultPolicy()
	sp := p.Score[affrules.ID]
	sp.Caps.LiveViewers, sp.Caps.VideoViews = 997, 49999
	p.Score[affrules.ID] = sp
	s, _, err = mustNew(t, p).Score(affrules.ID, level.ScoreInput{GMV: decimal.NewFromInt(28181), LiveViewers: 1, VideoViews: 4619})
	require.NoError(t, err)
	assert.Equal(t, "1.4", s.String(), "1.40499999996… is 1.40")
	s, _, err = ev.Score(affrules.ID, level.ScoreInput{GMV: decimal.RequireFromString("33333.3333333334")})
	require.NoError(t, err)
	assert.Equal(t, "0.01", s.String(), "0.005000000000000001 is 0.01")

	_, ok, err = ev.Score(affrules.TH, caps)
	require.NoError(t, err)
	assert.False(t, ok, "LVL-8: TH has no creator score by default")
	_, _, err = ev.Score("XX", caps)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	_, _, err = ev.Score(affrules.ID, level.ScoreInput{GMV: decimal.NewFromInt(-1), VideoViews: -1})
	assert.ErrorIs(t, err, affrules.ErrNegative)
	assert.ErrorContains(t, err, "score_input.avg_video_views")
}

func TestTypeOf(t *testing.T) { // LVL-9
	ev := mustNew(t, level.DefaultPolicy())
	d := decimal.RequireFromString
	tests := []struct {
		live, video string
		want        level.CreatorType
	}{
		{"100.01", "100", level.Live},
		{"100", "100.01", level.Video},
		{"100.0", "100", level.Mixed}, // equal values with different exponents
		{"0", "0", level.Mixed},
	}
	for _, tt := range tests {
		got, err := ev.TypeOf(d(tt.live), d(tt.video))
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%s vs %s", tt.live, tt.video)
	}
	p := level.DefaultPolicy()
	p.TieType = level.Live
	got, err := mustNew(t, p).TypeOf(d("5"), d("5"))
	require.NoError(t, err)
	assert.Equal(t, level.Live, got, "tie type is policy")
	_, err = ev.TypeOf(d("-1"), d("0"))
	assert.ErrorIs(t, err, affrules.ErrNegative)
}

func TestBadges(t *testing.T) { // LVL-10
	ev := mustNew(t, level.DefaultPolicy()) // 80%, 12h, 12 posts in 30 days, margin 10%
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	posts := func(n int, start time.Time) []time.Time {
		out := make([]time.Time, n)
		for i := range out {
			out[i] = start.Add(time.Duration(i) * time.Hour)
		}
		return out
	}
	r := affrules.MustParseRate
	good := level.BadgeInput{ReplyRate: r("80%"), ReplyTime: 12 * time.Hour, Posts: posts(12, at.Add(-24*time.Hour)),
		SampleFulfilment: r("70%"), MarketAverage: r("60%")}
	b, err := ev.Badges(good, at)
	require.NoError(t, err)
	assert.True(t, b.QuickToRespond.Allowed, "exactly at both limits")
	assert.True(t, b.PostsFrequently.Allowed, "exactly 12 posts")
	assert.True(t, b.ReliableWithSamples.Allowed, "exactly average + margin")

	bad := good
	bad.ReplyRate = r("79.9%")
	bad.ReplyTime = 12*time.Hour + time.Second
	bad.Posts = append(posts(11, at.Add(-24*time.Hour)), at.Add(-30*24*time.Hour)) // MKT-3: exactly 30 days back is outside
	bad.SampleFulfilment = r("69.9%")
	b, err = ev.Badges(bad, at)
	require.NoError(t, err)
	assert.Equal(t, []affrules.Reason{
		{Rule: level.RuleBadge, Key: "level.lvl10.reply_rate_low", Observed: affrules.RateOf(r("79.9%")), Limit: affrules.RateOf(r("80%"))},
		{Rule: level.RuleBadge, Key: "level.lvl10.reply_time_slow", Observed: affrules.DurationOf(12*time.Hour + time.Second), Limit: affrules.DurationOf(12 * time.Hour)},
	}, b.QuickToRespond.Reasons, "both reply rules reported")
	assert.Equal(t, []affrules.Reason{{Rule: level.RuleBadge, Key: "level.lvl10.too_few_posts",
		Observed: affrules.Count(11), Limit: affrules.Count(12), Subject: "30"}}, b.PostsFrequently.Reasons)
	assert.Equal(t, []affrules.Reason{{Rule: level.RuleBadge, Key: "level.lvl10.samples_below_average",
		Observed: affrules.RateOf(r("69.9%")), Limit: affrules.RateOf(r("70%")), Subject: "60% + 10%"}}, b.ReliableWithSamples.Reasons)
	for _, d := range []affrules.Decision{b.QuickToRespond, b.PostsFrequently, b.ReliableWithSamples} {
		assert.False(t, d.Allowed)
		assert.True(t, d.Failed(level.RuleBadge))
	}

	// Posts in the future of at do not count (MKT-3 window looks back).
	future := good
	future.Posts = posts(12, at.Add(time.Second))
	b, err = ev.Badges(future, at)
	require.NoError(t, err)
	assert.False(t, b.PostsFrequently.Allowed)

	// An average of 95% puts the bar at 105%: unreachable.
	high := good
	high.SampleFulfilment, high.MarketAverage = r("100%"), r("95%")
	b, err = ev.Badges(high, at)
	require.NoError(t, err)
	assert.False(t, b.ReliableWithSamples.Allowed)
	assert.Equal(t, []affrules.Reason{{Rule: level.RuleBadge, Key: "level.lvl10.samples_unreachable",
		Observed: affrules.RateOf(r("100%")), Limit: affrules.Decimal(decimal.NewFromInt(105)), Subject: "95% + 10%"}}, b.ReliableWithSamples.Reasons)
	assert.True(t, b.ReliableWithSamples.Reasons[0].Limit.Decimal().Equal(decimal.NewFromInt(105)), "the limit in percent")

	neg := good
	neg.ReplyTime = -time.Second
	_, err = ev.Badges(neg, at)
	assert.ErrorIs(t, err, affrules.ErrNegative)
}
