package level_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// hugeExp is a decimal built in code with an exponent no JSON policy or input would carry: before
// the library bounded decimals, comparing, converting or printing one took minutes.
var (
	hugeExp    = decimal.New(4, -2_000_000_000)
	hugeExpPos = decimal.New(4, 2_000_000_000)
	// wrapped is affrules.NewMonth(200000000, January): beyond what a Month holds, it saturates
	// at the last month it holds (it used to wrap round to a negative year).
	wrapped = affrules.NewMonth(200_000_000, time.January)
)

// TestHostileInput is issue 10's table for this package: careless and hostile input from a host,
// each refused quickly with a *affrules.FieldError naming the field (and, for an item, the item),
// wrapping the sentinel a host can test with errors.Is.
func TestHostileInput(t *testing.T) {
	ctx := context.Background()
	ev := mustNew(t, testPolicy(level.HighestMet))
	perf := mustPerf(t, affrules.UK, feb2026, "100", 5, 3)
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	var h level.MemoryHistory
	require.NoError(t, h.Put(ctx, level.Record{Market: affrules.UK, Creator: "c", Month: march2026, Level: level.L3}))
	agg, err := level.NewAggregator(affrules.UK, feb2026)
	require.NoError(t, err)
	inFeb := time.Date(2026, time.February, 10, 12, 0, 0, 0, time.UTC)
	perfOf := func(gmv decimal.Decimal) error {
		_, err := level.NewPerformance(affrules.UK, feb2026, level.Totals{GMV: gmv})
		return err
	}
	policyWith := func(edit func(p *level.Policy)) error {
		p := testPolicy(level.HighestMet)
		edit(&p)
		_, err := level.New(p)
		return err
	}
	ukLevel := func(p *level.Policy, i int, th level.Thresholds) {
		tb := ukTable(level.HighestMet)
		tb.Levels[i] = th
		p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{Value: tb})
	}
	refreshErr := func(m affrules.Month, creators ...string) error {
		var errs []error
		for r, err := range ev.Refresh(affrules.UK, m, func(yield func(string, level.Performance) bool) {
			for _, c := range creators {
				if !yield(c, perf) {
					return
				}
			}
		}) {
			if err != nil {
				if r != (level.Record{}) {
					return errors.New("a record beside an error")
				}
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	trendAt := func(m affrules.Month, creator string) error {
		_, _, err := ev.TrendAt(ctx, &h, affrules.UK, creator, m)
		return err
	}
	levelAt := func(at time.Time, creator string) error {
		_, _, err := level.LevelAt(ctx, &h, affrules.UK, creator, at)
		return err
	}
	badges := func(in level.BadgeInput, at time.Time) error {
		_, err := ev.Badges(in, at)
		return err
	}
	profile := func(p level.Profile) error {
		p.Creator = "c"
		_, err := ev.ProfileView(p, level.Viewer{Role: level.RoleSeller})
		return err
	}
	put := func(r level.Record) error { return h.Put(ctx, r) }
	millionA, millionEmpty := slices.Repeat([]string{"a"}, 1_000_000), make([]string, 1_000_000) // built outside the timing
	errEmpty := errors.New("(no sentinel: must not be empty)")

	tests := []struct {
		name  string
		run   func() error
		field string
		is    error // errEmpty: the error wraps no sentinel
	}{
		// Decimals with a huge exponent: refused before any arithmetic, comparison or formatting.
		{"performance GMV, huge negative exponent", func() error { return perfOf(hugeExp) }, "performance.gmv", affrules.ErrOutOfRange},
		{"performance GMV, huge positive exponent", func() error { return perfOf(hugeExpPos) }, "performance.gmv", affrules.ErrOutOfRange},
		{"performance capability", func() error { _, err := perf.WithCapability(hugeExp); return err }, "performance.capability", affrules.ErrOutOfRange},
		{"totals capability", func() error {
			_, err := level.NewPerformance(affrules.UK, feb2026, level.Totals{Capability: &hugeExp})
			return err
		}, "performance.capability", affrules.ErrOutOfRange},
		{"event GMV", func() error {
			return agg.Add(level.Event{Creator: "c", At: inFeb, Kind: level.PromoLive, GMV: hugeExp})
		}, "event.gmv", affrules.ErrOutOfRange},
		{"creator-type input, LIVE GMV", func() error { _, err := ev.TypeOf(hugeExp, decimal.Zero); return err }, "live_gmv", affrules.ErrOutOfRange},
		{"creator-type input, video GMV", func() error { _, err := ev.TypeOf(decimal.Zero, hugeExpPos); return err }, "video_gmv", affrules.ErrOutOfRange},
		{"score input GMV", func() error {
			_, _, err := ev.Score(affrules.ID, level.ScoreInput{GMV: hugeExp})
			return err
		}, "score_input.gmv", affrules.ErrOutOfRange},
		{"profile rating", func() error { return profile(level.Profile{Rating: hugeExp}) }, "profile.rating", affrules.ErrOutOfRange},
		{"profile video GPM", func() error { return profile(level.Profile{Video: level.GPM{GMV: hugeExp, Exposures: 3}}) }, "profile.video.gmv", affrules.ErrOutOfRange},
		{"profile LIVE GPM, 39 digits", func() error {
			return profile(level.Profile{Live: level.GPM{GMV: decimal.RequireFromString("123456789012345678901234567890123456789"), Exposures: 3}})
		}, "profile.live.gmv", affrules.ErrOutOfRange},
		{"policy threshold GMV", func() error {
			return policyWith(func(p *level.Policy) { ukLevel(p, 3, level.Thresholds{GMV: hugeExp}) })
		}, "policy.tables[UK][0].levels[3] (L4).gmv", affrules.ErrOutOfRange},
		{"policy threshold capability", func() error {
			return policyWith(func(p *level.Policy) {
				ukLevel(p, 7, level.Thresholds{GMV: decimal.NewFromInt(10_000), ActiveDays: 20, Breadth: 10, Capability: &hugeExpPos})
			})
		}, "policy.tables[UK][0].levels[7] (L8).capability", affrules.ErrOutOfRange},
		{"policy score cap", func() error {
			return policyWith(func(p *level.Policy) {
				sp := p.Score[affrules.ID]
				sp.Caps.GMV = hugeExp
				p.Score[affrules.ID] = sp
			})
		}, "policy.score[ID].caps.gmv", affrules.ErrOutOfRange},

		// Refresh: the zero Record beside every error, duplicates named, months bounded.
		{"the same creator twice in one refresh", func() error { return refreshErr(march2026, "amy", "ben", "amy") }, "creator", errEmpty},
		{"an empty creator in a refresh", func() error { return refreshErr(march2026, "") }, "creator", errEmpty},
		{"refresh of a wrapped month", func() error { return refreshErr(wrapped, "amy") }, "month", affrules.ErrOutOfRange},
		{"refresh of year 9999", func() error { return refreshErr(affrules.NewMonth(9999, time.January), "amy") }, "month", affrules.ErrOutOfRange},
		{"refresh of January 2200", func() error { return refreshErr(affrules.NewMonth(2200, time.January), "amy") }, "month", affrules.ErrOutOfRange},
		{"the zero Record stored", func() error { return put(level.Record{}) }, "record.market", errEmpty},
		{"a record of a wrapped month", func() error {
			return put(level.Record{Market: affrules.UK, Creator: "c", Month: wrapped})
		}, "record.month", affrules.ErrOutOfRange},

		// Months from callers.
		{"assign for a wrapped month", func() error { _, err := ev.Assign(affrules.UK, wrapped, perf); return err }, "month", affrules.ErrOutOfRange},
		{"performance of a wrapped month", func() error {
			_, err := level.NewPerformance(affrules.UK, wrapped, level.Totals{})
			return err
		}, "performance.month", affrules.ErrOutOfRange},
		{"aggregator of a wrapped month", func() error { _, err := level.NewAggregator(affrules.UK, wrapped); return err }, "month", affrules.ErrOutOfRange},
		{"aggregator of December 1899", func() error {
			_, err := level.NewAggregator(affrules.UK, affrules.NewMonth(1899, time.December))
			return err
		}, "month", affrules.ErrOutOfRange},
		{"trend at a wrapped month", func() error { return trendAt(wrapped, "c") }, "month", affrules.ErrOutOfRange},
		{"history get of a wrapped month", func() error { _, _, err := h.Get(ctx, affrules.UK, "c", wrapped); return err }, "month", affrules.ErrOutOfRange},

		// Instants: the zero time and those outside 1900–2199.
		{"level at the zero instant", func() error { return levelAt(time.Time{}, "c") }, "at", affrules.ErrOutOfRange},
		{"level at 1899", func() error { return levelAt(time.Date(1899, 12, 31, 23, 0, 0, 0, time.UTC), "c") }, "at", affrules.ErrOutOfRange},
		{"level at 9999", func() error { return levelAt(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), "c") }, "at", affrules.ErrOutOfRange},
		{"badges at the zero instant", func() error { return badges(level.BadgeInput{}, time.Time{}) }, "at", affrules.ErrOutOfRange},
		{"badges at 2200", func() error { return badges(level.BadgeInput{}, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)) }, "at", affrules.ErrOutOfRange},
		{"a post at the zero instant", func() error { return badges(level.BadgeInput{Posts: []time.Time{at, {}}}, at) }, "badge_input.posts[1]", affrules.ErrOutOfRange},
		{"an event at the zero instant", func() error { return agg.Add(level.Event{Creator: "c", Kind: level.PromoLive}) }, "event.at", affrules.ErrOutOfRange},
		{"an event at 9999", func() error {
			return agg.Add(level.Event{Creator: "c", At: time.Date(9999, 2, 10, 0, 0, 0, 0, time.UTC), Kind: level.PromoLive})
		}, "event.at", affrules.ErrOutOfRange},

		// Sizes: a million labels or label icons take no longer than a few.
		{"a million equal labels", func() error { return profile(level.Profile{Labels: millionA}) }, "profile.labels", affrules.ErrOutOfRange},
		{"a million empty label icons", func() error { return profile(level.Profile{LabelIcons: millionEmpty}) }, "profile.label_icons[0]", errEmpty},

		// Identifiers wherever a record is keyed by them.
		{"level at for an empty creator", func() error { return levelAt(at, "") }, "creator", errEmpty},
		{"trend at for an empty creator", func() error { return trendAt(march2026, "") }, "creator", errEmpty},
		{"history get for an empty creator", func() error { _, _, err := h.Get(ctx, affrules.UK, "", march2026); return err }, "creator", errEmpty},
		{"history get for an empty market", func() error { _, _, err := h.Get(ctx, "", "c", march2026); return err }, "market", errEmpty},
		// Creator IDs as every package's IDs: at most 256 bytes of UTF-8 without ASCII control characters.
		{"a 257-byte creator stored", func() error {
			return put(level.Record{Market: affrules.UK, Creator: strings.Repeat("c", 257), Month: march2026, Level: level.L1})
		}, "record.creator", errEmpty},
		{"a creator with a NUL stored", func() error {
			return put(level.Record{Market: affrules.UK, Creator: "c\x00", Month: march2026, Level: level.L1})
		}, "record.creator", errEmpty},
		{"a 257-byte creator in a refresh", func() error { return refreshErr(march2026, strings.Repeat("c", 257)) }, "creator", errEmpty},
		{"level at for a creator not UTF-8", func() error { return levelAt(at, "c\xff") }, "creator", errEmpty},
		{"trend at for a creator with a NUL", func() error { return trendAt(march2026, "c\x00") }, "creator", errEmpty},
		{"an event of a 257-byte creator", func() error {
			return agg.Add(level.Event{Creator: strings.Repeat("c", 257), At: inFeb, Kind: level.PromoLive})
		}, "event.creator", errEmpty},
		{"visibility of a creator with a NUL", func() error { _, err := ev.Visible(level.Viewer{Role: level.RoleSeller}, "c\x00"); return err }, "creator", errEmpty},
		{"an event without a creator", func() error { return agg.Add(level.Event{At: inFeb, Kind: level.PromoLive}) }, "event.creator", errEmpty},
		{"a profile without a creator", func() error {
			_, err := ev.ProfileView(level.Profile{}, level.Viewer{Role: level.RoleSeller})
			return err
		}, "profile.creator", errEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.run()
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("took %s: hostile input must be refused fast", d)
			}
			require.Error(t, err)
			var fe *affrules.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "level", fe.Pkg)
			assert.Equal(t, tt.field, fe.Field, err.Error())
			if tt.is == errEmpty {
				assert.Nil(t, fe.Err, "no sentinel: %v", err)
			} else {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.Less(t, len(err.Error()), 1_000, "an error never prints a hostile decimal in full")
		})
	}
	// The aggregator and the history are unchanged by what they refused.
	p := agg.Performance("c")
	assert.True(t, p.GMV().IsZero())
	assert.Zero(t, p.ActiveDays())
	l, ok, err := h.Get(ctx, affrules.UK, "c", march2026)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, level.L3, l)
}

// The duplicate's error names the creator and keeps the first record; the months at the edges of
// the bounds are accepted.
func TestHostileInputDetails(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	perf := mustPerf(t, affrules.UK, feb2026, "100", 5, 3)
	var recs []level.Record
	var errs []error
	for r, err := range ev.Refresh(affrules.UK, march2026, func(yield func(string, level.Performance) bool) {
		for range 2 {
			if !yield("amy", perf) {
				return
			}
		}
	}) {
		recs, errs = append(recs, r), append(errs, err)
	}
	require.Len(t, recs, 2)
	assert.Equal(t, level.Record{Market: affrules.UK, Creator: "amy", Month: march2026, Level: level.L4}, recs[0])
	require.NoError(t, errs[0])
	assert.Zero(t, recs[1])
	assert.EqualError(t, errs[1], `level: creator "amy": is given more than once in the refresh of UK for 2026-03: only its first performance counts (LVL-3)`)

	_, err := ev.Assign(affrules.UK, wrapped, perf)
	assert.ErrorContains(t, err, "level: month 178956970-08: must be a month of the years 1900 to 2199: out of range")

	// The bounds themselves.
	first, last := affrules.NewMonth(1900, time.January), affrules.NewMonth(2199, time.December)
	for _, m := range []affrules.Month{first, last} {
		_, err := level.NewAggregator(affrules.UK, m)
		assert.NoError(t, err, m)
		_, err = level.NewPerformance(affrules.UK, m, level.Totals{})
		assert.NoError(t, err, m)
		assert.NoError(t, level.Record{Market: affrules.UK, Creator: "c", Month: m}.Validate(), m)
	}
	for _, m := range []affrules.Month{first - 1, last + 1} {
		_, err := level.NewAggregator(affrules.UK, m)
		assert.ErrorIs(t, err, affrules.ErrOutOfRange, m)
		_, err = level.NewPerformance(affrules.UK, m, level.Totals{})
		assert.ErrorIs(t, err, affrules.ErrOutOfRange, m)
		assert.ErrorIs(t, level.Record{Market: affrules.UK, Creator: "c", Month: m}.Validate(), affrules.ErrOutOfRange, m)
	}
	// A history stores no record of a market that is not registered (a code in the wrong case
	// included), and nothing is kept of one refused.
	var hist level.MemoryHistory
	for _, code := range []affrules.MarketCode{"uk", "XX", "U K"} {
		r := level.Record{Market: code, Creator: "c", Month: first, Level: level.L1}
		assert.ErrorIs(t, r.Validate(), affrules.ErrUnknownMarket, code)
		assert.ErrorIs(t, hist.Put(t.Context(), r), affrules.ErrUnknownMarket, code)
		_, found, _ := hist.Get(t.Context(), code, "c", first)
		assert.False(t, found, code)
	}
	// A month out of range is not also checked for its number of days.
	_, err = level.NewPerformance(affrules.UK, wrapped, level.Totals{ActiveDays: 40})
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "performance.month", fe.Field)

	// TrendAt in January 1900 reads no month before it.
	var h level.MemoryHistory
	require.NoError(t, h.Put(t.Context(), level.Record{Market: affrules.UK, Creator: "c", Month: first, Level: level.L2}))
	tr, ok, err := ev.TrendAt(t.Context(), &h, affrules.UK, "c", first)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 1, tr.Months)

	// A hostile GPM has no data, and its methods answer at once.
	for _, g := range []level.GPM{
		{GMV: hugeExp, Exposures: 1}, {GMV: hugeExpPos, Exposures: 1}, {GMV: decimal.NewFromInt(-1), Exposures: 1},
		{GMV: decimal.New(1, 18), Exposures: 1}, {GMV: decimal.New(1, -19), Exposures: 1},
	} {
		start := time.Now()
		assert.False(t, g.HasData(), g.GMV.Exponent())
		_, ok := g.Round(2, affrules.HalfUp)
		assert.False(t, ok)
		_, ok = g.Rat()
		assert.False(t, ok)
		assert.Equal(t, "no data", g.String())
		assert.Equal(t, -1, g.Cmp(level.GPM{GMV: decimal.NewFromInt(1), Exposures: 1}))
		assert.Less(t, time.Since(start), 500*time.Millisecond)
	}
	for _, g := range []level.GPM{
		{GMV: decimal.New(999_999_999_999_999_999, 0), Exposures: 1}, {GMV: decimal.New(1, -18), Exposures: 1},
		{GMV: decimal.Zero, Exposures: 1}, {GMV: decimal.New(1, 17), Exposures: 1},
	} {
		assert.True(t, g.HasData(), g.GMV.String())
	}
}

// Property: whatever the order of creators (increasing for a while, then not, with repeats), a
// refresh yields a record for the first performance of each creator and an error naming the
// creator for every later one, as a map of the creators seen would.
func TestRefreshRepeatsProperty(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	perf := mustPerf(t, affrules.UK, feb2026, "100", 5, 3)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 3_000).Draw(t, "n")
		domain := rapid.IntRange(1, 5_000).Draw(t, "domain")
		sortedPrefix := rapid.IntRange(0, n).Draw(t, "sorted prefix")
		ids := make([]string, n)
		for i := range ids {
			if i < sortedPrefix {
				ids[i] = fmt.Sprintf("c%06d", i*domain/max(n, 1)) // increasing, with repeats when domain < n
			} else {
				ids[i] = fmt.Sprintf("c%06d", rapid.IntRange(0, domain).Draw(t, "id"))
			}
		}
		seen := map[string]bool{}
		i := 0
		for r, err := range ev.Refresh(affrules.UK, march2026, func(yield func(string, level.Performance) bool) {
			for _, id := range ids {
				if !yield(id, perf) {
					return
				}
			}
		}) {
			id := ids[i]
			if seen[id] {
				if err == nil || !strings.Contains(err.Error(), strconv.Quote(id)) {
					t.Fatalf("ids[%d] %q repeats: got %+v, %v", i, id, r, err)
				}
			} else if err != nil || r.Creator != id {
				t.Fatalf("ids[%d] %q is new: got %+v, %v", i, id, r, err)
			}
			seen[id] = true
			i++
		}
		if i != n {
			t.Fatalf("%d results for %d creators", i, n)
		}
	})
}
