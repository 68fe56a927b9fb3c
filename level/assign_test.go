package level_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// LVL-2: at each level's thresholds exactly, a creator reaches the level; one minor unit of GMV,
// one active day or one product short, they do not. The expected levels follow from ukTable:
// active-day thresholds strictly increase, so one day short still meets the level below; L1 and
// L2 share a breadth threshold of 1, so a breadth of 0 meets neither.
func TestAssignThresholdBoundaries(t *testing.T) {
	tb := ukTable(level.HighestMet)
	penny := decimal.RequireFromString("0.01")
	for i, th := range tb.Levels {
		l := level.Level(i + 1)
		type want struct{ highestMet, gmvBand level.Level }
		cases := []struct {
			name          string
			gmv           decimal.Decimal
			days, breadth int
			want          want
		}{
			{"exactly at", th.GMV, th.ActiveDays, th.Breadth, want{l, l}},
			{"one active day short", th.GMV, th.ActiveDays - 1, th.Breadth, want{l - 1, l - 1}},
		}
		if th.GMV.IsPositive() {
			// GMVBand: the band below, whose (lower) activity requirement is met.
			cases = append(cases, struct {
				name          string
				gmv           decimal.Decimal
				days, breadth int
				want          want
			}{"GMV one penny short", th.GMV.Sub(penny), th.ActiveDays, th.Breadth, want{l - 1, l - 1}})
		}
		breadthShort := want{l - 1, l - 1}
		if l == level.L2 {
			breadthShort = want{level.L0, level.L1} // GMVBand keeps band L2 and drops one level
		}
		cases = append(cases, struct {
			name          string
			gmv           decimal.Decimal
			days, breadth int
			want          want
		}{"one product short", th.GMV, th.ActiveDays, th.Breadth - 1, breadthShort})

		for _, c := range cases {
			for _, scheme := range []level.Scheme{level.HighestMet, level.GMVBand} {
				t.Run(fmt.Sprintf("LVL-2/%s/%s/%s", scheme, l, c.name), func(t *testing.T) {
					ev := mustNew(t, testPolicy(scheme))
					got, err := ev.Assign(affrules.UK, march2026, mustPerf(t, affrules.UK, feb2026, c.gmv.String(), c.days, c.breadth))
					require.NoError(t, err)
					w := c.want.highestMet
					if scheme == level.GMVBand {
						w = c.want.gmvBand
					}
					assert.Equal(t, w, got)
				})
			}
		}
	}
}

// Under GMVBand, a creator far above the L8 GMV band with no activity drops exactly one level.
func TestGMVBandDropsOneLevel(t *testing.T) {
	ev := mustNew(t, testPolicy(level.GMVBand))
	got, err := ev.Assign(affrules.UK, march2026, mustPerf(t, affrules.UK, feb2026, "1000000", 1, 1))
	require.NoError(t, err)
	assert.Equal(t, level.L7, got, "LVL-2 GMVBand: one level down, not down to the activity level (L1)")
	hm := mustNew(t, testPolicy(level.HighestMet))
	got, err = hm.Assign(affrules.UK, march2026, mustPerf(t, affrules.UK, feb2026, "1000000", 1, 1))
	require.NoError(t, err)
	assert.Equal(t, level.L1, got, "LVL-2 HighestMet: every threshold must be met")
}

// LVL-2/LVL-3: the table in force at the first instant of the month being refreshed applies.
func TestAssignEffectiveDate(t *testing.T) {
	uk := market(t, affrules.UK)
	p := testPolicy(level.HighestMet)
	stricter := ukTable(level.HighestMet)
	for i := range stricter.Levels {
		stricter.Levels[i].GMV = stricter.Levels[i].GMV.Mul(decimal.NewFromInt(10))
	}
	april := march2026.Add(1)
	tl, err := p.Tables[affrules.UK].With(affrules.Effective[level.Table]{From: april.Period(uk).Start, Value: stricter})
	require.NoError(t, err)
	p.Tables[affrules.UK] = tl
	ev := mustNew(t, p)

	got, err := ev.Assign(affrules.UK, march2026, mustPerf(t, affrules.UK, feb2026, "100", 5, 3))
	require.NoError(t, err)
	assert.Equal(t, level.L4, got, "March: old table")
	got, err = ev.Assign(affrules.UK, april, mustPerf(t, affrules.UK, march2026, "100", 5, 3))
	require.NoError(t, err)
	assert.Equal(t, level.L2, got, "April: new table in force from April's first instant")

	p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{From: april.Period(uk).Start, Value: stricter})
	ev = mustNew(t, p)
	_, err = ev.Assign(affrules.UK, march2026, mustPerf(t, affrules.UK, feb2026, "100", 5, 3))
	assert.ErrorContains(t, err, "no thresholds in force")
}

func TestAssignErrors(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	p := mustPerf(t, affrules.UK, feb2026, "100", 5, 3)
	_, err := ev.Assign("XX", march2026, p)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	_, err = ev.Assign(affrules.UK, march2026.Add(1), p)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange, "LVL-2: February's performance cannot set April's level")
	assert.ErrorContains(t, err, "level: performance.month 2026-02: 2026-04's level comes from 2026-03's performance (LVL-2)")
	_, err = ev.Assign(affrules.UK, feb2026, p)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange, "LVL-2: nor February's own")
	_, err = ev.Assign(affrules.TH, march2026, p)
	assert.ErrorContains(t, err, "level: performance.market UK: cannot set a level in TH")
	_, err = ev.Assign(affrules.UK, march2026, level.Performance{})
	assert.ErrorContains(t, err, "level: performance.market", "the zero Performance is rejected")

	noUK := testPolicy(level.HighestMet)
	delete(noUK.Tables, affrules.UK)
	_, err = mustNew(t, noUK).Assign(affrules.UK, march2026, p)
	assert.ErrorContains(t, err, "no level thresholds for this market")
}

func TestNewPerformanceErrors(t *testing.T) {
	tests := []struct {
		name           string
		market         affrules.MarketCode
		gmv            string
		days, breadth  int
		sentinel       error
		wantInMessages []string
	}{
		{"negative GMV", affrules.UK, "-0.01", 0, 0, affrules.ErrNegative, []string{"performance.gmv -0.01"}},
		{"negative days and breadth", affrules.UK, "1", -1, -2, affrules.ErrNegative, []string{"performance.active_days -1", "performance.breadth -2"}},
		{"29 active days in February 2026", affrules.UK, "1", 29, 0, affrules.ErrOutOfRange, []string{"performance.active_days 29: 2026-02 has only 28 days"}},
		{"unknown market", "XX", "1", 1, 1, affrules.ErrUnknownMarket, []string{"performance.market XX"}},
		{"GMV beyond int64 minor units", affrules.UK, "1e20", 1, 1, affrules.ErrOutOfRange, []string{"performance.gmv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := level.NewPerformance(tt.market, feb2026, decimal.RequireFromString(tt.gmv), tt.days, tt.breadth)
			require.ErrorIs(t, err, tt.sentinel)
			for _, s := range tt.wantInMessages {
				assert.ErrorContains(t, err, "level: "+s)
			}
		})
	}
	// Truncation to the minor unit keeps comparisons exact.
	p, err := level.NewPerformance(affrules.UK, feb2026, decimal.RequireFromString("9.999"), 28, 0)
	require.NoError(t, err)
	assert.True(t, p.GMV().Equal(decimal.RequireFromString("9.99")), p.GMV().String())
	assert.Equal(t, 28, p.ActiveDays())
	assert.Equal(t, feb2026, p.Month())
	assert.Equal(t, affrules.UK, p.Market())
}

// referenceLevel is the plain reading of LVL-2: scan from L8 down for the first level whose
// thresholds are met, comparing decimals directly.
func referenceLevel(tb level.Table, gmv decimal.Decimal, days, breadth int) level.Level {
	met := func(i int) bool {
		th := tb.Levels[i]
		return gmv.GreaterThanOrEqual(th.GMV) && days >= th.ActiveDays && breadth >= th.Breadth
	}
	switch tb.Scheme {
	case level.GMVBand:
		band := 0
		for l := len(tb.Levels); l >= 1; l-- {
			if gmv.GreaterThanOrEqual(tb.Levels[l-1].GMV) {
				band = l
				break
			}
		}
		if band == 0 || met(band-1) {
			return level.Level(band)
		}
		return level.Level(band - 1)
	default:
		for l := len(tb.Levels); l >= 1; l-- {
			if met(l - 1) {
				return level.Level(l)
			}
		}
		return level.L0
	}
}

// genTable draws a valid table for a currency with two decimal places: non-decreasing thresholds.
func genTable(t *rapid.T) level.Table {
	tb := level.Table{Scheme: rapid.SampledFrom([]level.Scheme{level.HighestMet, level.GMVBand}).Draw(t, "scheme")}
	var gmv int64
	var days, breadth int
	for i := range 8 {
		gmv += rapid.Int64Range(0, 50_000).Draw(t, fmt.Sprint("gmvStep", i))
		days = min(days+rapid.IntRange(0, 5).Draw(t, fmt.Sprint("daysStep", i)), 31)
		breadth += rapid.IntRange(0, 4).Draw(t, fmt.Sprint("breadthStep", i))
		tb.Levels = append(tb.Levels, level.Thresholds{GMV: decimal.New(gmv, -2), ActiveDays: days, Breadth: breadth})
	}
	return tb
}

type perfInput struct {
	gmv           decimal.Decimal
	days, breadth int
}

func genPerf(t *rapid.T, label string) perfInput {
	return perfInput{
		// three decimal places: finer than GBP's minor unit, to exercise truncation
		gmv:     decimal.New(rapid.Int64Range(0, 500_000_000).Draw(t, label+"gmv"), -3),
		days:    rapid.IntRange(0, 28).Draw(t, label+"days"),
		breadth: rapid.IntRange(0, 40).Draw(t, label+"breadth"),
	}
}

func evaluatorFor(t *rapid.T, tb level.Table) *level.Evaluator {
	p := level.DefaultPolicy()
	p.Tables[affrules.UK] = timeline(nil, affrules.Effective[level.Table]{Value: tb})
	ev, err := level.New(p)
	if err != nil {
		t.Fatalf("generated table rejected: %v", err)
	}
	return ev
}

func assign(t *rapid.T, ev *level.Evaluator, in perfInput) level.Level {
	p, err := level.NewPerformance(affrules.UK, feb2026, in.gmv, in.days, in.breadth)
	if err != nil {
		t.Fatalf("NewPerformance: %v", err)
	}
	l, err := ev.Assign(affrules.UK, march2026, p)
	if err != nil {
		t.Fatalf("Assign: %v", err)
	}
	return l
}

// The optimised assignment (counting thresholds met) agrees with the plain reference scan.
func TestAssignMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tb := genTable(t)
		ev := evaluatorFor(t, tb)
		in := genPerf(t, "")
		if got, want := assign(t, ev, in), referenceLevel(tb, in.gmv, in.days, in.breadth); got != want {
			t.Fatalf("LVL-2 %s: Assign(%s, %d days, %d breadth) = %s; reference scan %s", tb.Scheme, in.gmv, in.days, in.breadth, got, want)
		}
	})
}

// More GMV, more active days or more breadth never lowers a level (LVL-2), under either scheme.
func TestAssignMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tb := genTable(t)
		ev := evaluatorFor(t, tb)
		lo := genPerf(t, "lo")
		hi := lo
		switch rapid.IntRange(0, 3).Draw(t, "which") {
		case 0:
			hi.gmv = hi.gmv.Add(decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, "moreGMV"), -3))
		case 1:
			hi.days = min(hi.days+rapid.IntRange(0, 28).Draw(t, "moreDays"), 28)
		case 2:
			hi.breadth += rapid.IntRange(0, 40).Draw(t, "moreBreadth")
		default:
			hi.gmv = hi.gmv.Add(decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, "moreGMV"), -3))
			hi.days = min(hi.days+rapid.IntRange(0, 28).Draw(t, "moreDays"), 28)
			hi.breadth += rapid.IntRange(0, 40).Draw(t, "moreBreadth")
		}
		if a, b := assign(t, ev, lo), assign(t, ev, hi); b < a {
			t.Fatalf("LVL-2 %s: more performance lowered the level: %+v → %s, %+v → %s", tb.Scheme, lo, a, hi, b)
		}
	})
}

// Refreshing twice gives the same records (LVL-3), and storing both leaves the same history.
func TestRefreshTwice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ev := evaluatorFor(t, genTable(t))
		perfs := map[string]level.Performance{}
		for i := range rapid.IntRange(0, 20).Draw(t, "creators") {
			in := genPerf(t, fmt.Sprint(i))
			p, err := level.NewPerformance(affrules.UK, feb2026, in.gmv, in.days, in.breadth)
			if err != nil {
				t.Fatal(err)
			}
			perfs[fmt.Sprint("c", i)] = p
		}
		var h level.MemoryHistory
		run := func() []level.Record {
			var out []level.Record
			for r, err := range ev.Refresh(affrules.UK, march2026, maps.All(perfs)) {
				if err != nil {
					t.Fatal(err)
				}
				if err := h.Put(t.Context(), r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
			slices.SortFunc(out, func(a, b level.Record) int { return cmpString(a.Creator, b.Creator) })
			return out
		}
		first := run()
		second := run()
		if !slices.Equal(first, second) {
			t.Fatalf("refresh not repeatable:\n%v\n%v", first, second)
		}
		for _, r := range first {
			l, ok, err := h.Get(t.Context(), affrules.UK, r.Creator, march2026)
			if err != nil || !ok || l != r.Level {
				t.Fatalf("history after two refreshes: %s = %s, %v, %v; want %s", r.Creator, l, ok, err, r.Level)
			}
		}
	})
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRefreshErrors(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	in := []struct {
		creator string
		perf    level.Performance
	}{
		{"ok", mustPerf(t, affrules.UK, feb2026, "100", 5, 3)},
		{"wrong month", mustPerf(t, affrules.UK, march2026, "100", 5, 3)},
		{"", mustPerf(t, affrules.UK, feb2026, "100", 5, 3)},
		{"wrong market", mustPerf(t, affrules.TH, feb2026, "100", 5, 3)},
		{"ok2", mustPerf(t, affrules.UK, feb2026, "0", 1, 1)},
	}
	seq := func(yield func(string, level.Performance) bool) {
		for _, x := range in {
			if !yield(x.creator, x.perf) {
				return
			}
		}
	}
	var got []string
	for r, err := range ev.Refresh(affrules.UK, march2026, seq) {
		if err != nil {
			got = append(got, r.Creator+": "+err.Error())
			continue
		}
		got = append(got, r.Creator+": "+r.Level.String())
	}
	assert.Equal(t, []string{
		"ok: L4",
		`wrong month: level: performance["wrong month"].month 2026-03: 2026-03's level comes from 2026-02's performance (LVL-2): out of range`,
		`: level: creator "": must not be empty`,
		`wrong market: level: performance["wrong market"].market TH: cannot set a level in UK`,
		"ok2: L1",
	}, got)

	// A market without thresholds yields one error and stops.
	n := 0
	for _, err := range ev.Refresh("XX", march2026, seq) {
		n++
		assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	}
	assert.Equal(t, 1, n)

	// Stopping early stops the input.
	for range ev.Refresh(affrules.UK, march2026, seq) {
		break
	}
}

func TestAssignAllocs(t *testing.T) {
	ev := mustNew(t, testPolicy(level.GMVBand))
	p := mustPerf(t, affrules.UK, feb2026, "777.77", 9, 5)
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := ev.Assign(affrules.UK, march2026, p); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "Assign allocates")

	perfs := make([]level.Performance, 1000)
	ids := make([]string, len(perfs))
	for i := range perfs {
		perfs[i] = p
		ids[i] = fmt.Sprint("c", i)
	}
	seq := func(yield func(string, level.Performance) bool) {
		for i := range perfs {
			if !yield(ids[i], perfs[i]) {
				return
			}
		}
	}
	allocs = testing.AllocsPerRun(20, func() {
		for _, err := range ev.Refresh(affrules.UK, march2026, seq) {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.LessOrEqual(t, allocs, 5.0, "Refresh of 1,000 creators: allocations must not grow with creators")
}

// stepTable returns a table under which a performance of zero earns exactly level k: L1 … Lk
// require nothing, the levels above more than a month can hold.
func stepTable(k int) level.Table {
	tb := level.Table{Scheme: level.HighestMet}
	for i := range 8 {
		th := level.Thresholds{GMV: decimal.Zero}
		if i >= k {
			th = level.Thresholds{GMV: decimal.NewFromInt(1_000_000), ActiveDays: 31, Breadth: 1_000}
		}
		tb.Levels = append(tb.Levels, th)
	}
	return tb
}

// LVL-3: the table for a month is the version in force at the month's first instant in the
// market's calendar, wherever the versions start: on a month's first instant, a nanosecond
// either side of it, or inside the month, across the UK's DST changes. The evaluator's compiled
// month lookup agrees with Timeline.At at each month's start.
func TestTableInForceMatchesTimeline(t *testing.T) {
	uk := market(t, affrules.UK)
	rapid.Check(t, func(t *rapid.T) {
		var versions []affrules.Effective[level.Table]
		for i := range rapid.IntRange(1, 8).Draw(t, "versions") {
			m := march2026.Add(rapid.IntRange(-3, 8).Draw(t, fmt.Sprint("month", i)))
			p := m.Period(uk)
			from := p.Start
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprint("where", i)) {
			case 1:
				from = from.Add(-time.Nanosecond)
			case 2:
				from = from.Add(time.Nanosecond)
			case 3:
				from = from.Add(time.Duration(rapid.Int64Range(0, int64(p.Duration()-1)).Draw(t, fmt.Sprint("offset", i))))
			}
			versions = append(versions, affrules.Effective[level.Table]{From: from, Value: stepTable(i + 1)})
		}
		slices.SortFunc(versions, func(a, b affrules.Effective[level.Table]) int { return a.From.Compare(b.From) })
		versions = slices.CompactFunc(versions, func(a, b affrules.Effective[level.Table]) bool { return a.From.Equal(b.From) })
		tl, err := affrules.NewTimeline(versions...)
		if err != nil {
			t.Fatal(err)
		}
		p := level.DefaultPolicy()
		p.Tables[affrules.UK] = tl
		ev, err := level.New(p)
		if err != nil {
			t.Fatal(err)
		}
		for m := march2026.Add(-4); m <= march2026.Add(10); m++ {
			perf, err := level.NewPerformance(affrules.UK, m-1, decimal.Zero, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ev.Assign(affrules.UK, m, perf)
			want, ok := tl.At(m.Period(uk).Start)
			switch {
			case !ok && err == nil:
				t.Fatalf("%s: Assign = %s; no version is in force at the month's start", m, got)
			case ok && err != nil:
				t.Fatalf("%s: Assign: %v; a version is in force at the month's start", m, err)
			case ok && got != referenceLevel(want, decimal.Zero, 0, 0):
				t.Fatalf("%s: Assign = %s; the version in force at the month's start gives %s", m, got, referenceLevel(want, decimal.Zero, 0, 0))
			}
		}
	})
}
