package level_test

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
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
	d := decimal.RequireFromString
	neg := d("-0.5")
	huge := d("1e13")
	tests := []struct {
		name           string
		market         affrules.MarketCode
		totals         level.Totals
		sentinel       error
		wantInMessages []string
	}{
		{"negative GMV", affrules.UK, level.Totals{GMV: d("-0.01")}, affrules.ErrNegative, []string{"performance.gmv -0.01"}},
		{"negative days, products, categories and capability", affrules.UK,
			level.Totals{GMV: d("1"), ActiveDays: -1, Products: -2, Categories: -3, Capability: &neg}, affrules.ErrNegative,
			[]string{"performance.active_days -1", "performance.products -2", "performance.categories -3", "performance.capability -0.5"}},
		{"LVL-2 more categories than products", affrules.UK, level.Totals{GMV: d("1"), Products: 2, Categories: 3}, affrules.ErrOutOfRange,
			[]string{"performance.categories 3: exceeds the 2 products selected"}},
		{"29 active days in February 2026", affrules.UK, level.Totals{GMV: d("1"), ActiveDays: 29}, affrules.ErrOutOfRange,
			[]string{"performance.active_days 29: 2026-02 has only 28 days"}},
		{"unknown market", "XX", totals(d("1"), 1, 1), affrules.ErrUnknownMarket, []string{"performance.market XX"}},
		{"GMV beyond int64 minor units", affrules.UK, totals(d("1e20"), 1, 1), affrules.ErrOutOfRange, []string{"performance.gmv"}},
		{"capability beyond int64 micro-units", affrules.UK, level.Totals{GMV: d("1"), Capability: &huge}, affrules.ErrOutOfRange,
			[]string{"performance.capability 10000000000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := level.NewPerformance(tt.market, feb2026, tt.totals)
			require.ErrorIs(t, err, tt.sentinel)
			for _, s := range tt.wantInMessages {
				assert.ErrorContains(t, err, "level: "+s)
			}
		})
	}
	// Truncation to the minor unit keeps comparisons exact.
	capability := d("71.12345678")
	p, err := level.NewPerformance(affrules.UK, feb2026, level.Totals{GMV: d("9.999"), ActiveDays: 28, Products: 4, Categories: 2, Capability: &capability})
	require.NoError(t, err)
	assert.True(t, p.GMV().Equal(d("9.99")), p.GMV().String())
	assert.Equal(t, 28, p.ActiveDays())
	assert.Equal(t, 4, p.Products())
	assert.Equal(t, 2, p.Categories())
	c, ok := p.Capability()
	assert.True(t, ok)
	assert.True(t, c.Equal(d("71.123456")), "truncated to 6 places: %s", c)
	assert.Equal(t, feb2026, p.Month())
	assert.Equal(t, affrules.UK, p.Market())

	_, ok = mustPerf(t, affrules.UK, feb2026, "1", 1, 1).Capability()
	assert.False(t, ok, "no capability unless supplied")
	_, err = p.WithCapability(d("-1"))
	assert.ErrorIs(t, err, affrules.ErrNegative)
}

// capTable is ukTable with e-commerce capability thresholds from L5 on: 50, 60, 70, 80.
func capTable(scheme level.Scheme) level.Table {
	tb := ukTable(scheme)
	for i := 4; i < 8; i++ {
		c := decimal.NewFromInt(int64(10 * (i + 1)))
		tb.Levels[i].Capability = &c
	}
	return tb
}

// LVL-2: e-commerce capability, where the table sets a threshold, is one more threshold: exactly
// at it meets the level, a millionth short does not. Levels below the first capability threshold
// need none.
func TestAssignCapability(t *testing.T) {
	d := decimal.RequireFromString
	for _, scheme := range []level.Scheme{level.HighestMet, level.GMVBand} {
		p := testPolicy(scheme)
		p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{Value: capTable(scheme)})
		ev := mustNew(t, p)
		l8 := mustPerf(t, affrules.UK, feb2026, "10000", 20, 10) // every L8 threshold but capability
		tests := []struct {
			capability string
			want       level.Level
		}{
			{"80", level.L8},
			{"79.999999", level.L7},
			{"70", level.L7},
			{"60", level.L6},
			{"50", level.L5},
			{"49.999999", level.L4},
			{"0", level.L4},
		}
		for _, tt := range tests {
			perf, err := l8.WithCapability(d(tt.capability))
			require.NoError(t, err)
			got, err := ev.Assign(affrules.UK, march2026, perf)
			require.NoError(t, err)
			want := tt.want
			if scheme == level.GMVBand && want < level.L8 {
				want = level.L7 // GMVBand: band L8, one level down whatever else is missed
			}
			assert.Equal(t, want, got, "%s capability %s", scheme, tt.capability)
		}

		// Without a capability the thresholds need, Assign and Refresh report an error.
		_, err := ev.Assign(affrules.UK, march2026, l8)
		assert.ErrorContains(t, err, "level: performance.capability (none): 2026-03's thresholds in UK set an e-commerce capability threshold")
		var errs []error
		for r, err := range ev.Refresh(affrules.UK, march2026, maps.All(map[string]level.Performance{"c": l8})) {
			assert.Zero(t, r, "the zero Record beside an error")
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.ErrorContains(t, errs[0], `level: performance["c"].capability (none)`)
	}
	// Without capability thresholds, a capability is accepted and changes nothing.
	ev := mustNew(t, testPolicy(level.HighestMet))
	perf, err := mustPerf(t, affrules.UK, feb2026, "10000", 20, 10).WithCapability(d("0"))
	require.NoError(t, err)
	got, err := ev.Assign(affrules.UK, march2026, perf)
	require.NoError(t, err)
	assert.Equal(t, level.L8, got)
}

// LVL-2: breadth counts products selected or their categories, as the table in force says.
func TestAssignBreadthBasis(t *testing.T) {
	perf, err := level.NewPerformance(affrules.UK, feb2026, level.Totals{GMV: decimal.NewFromInt(10_000), ActiveDays: 20, Products: 10, Categories: 3})
	require.NoError(t, err)
	for _, tt := range []struct {
		basis level.BreadthBasis
		want  level.Level
	}{
		{"", level.L8},                 // default: products
		{level.ByProducts, level.L8},   // 10 products meet L8's 10
		{level.ByCategories, level.L4}, // 3 categories meet L4's 3, not L5's 4
	} {
		tb := ukTable(level.HighestMet)
		tb.Breadth = tt.basis
		p := testPolicy(level.HighestMet)
		p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{Value: tb})
		got, err := mustNew(t, p).Assign(affrules.UK, march2026, perf)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "breadth %q", tt.basis)
	}
}

// referenceLevel is the plain reading of LVL-2: scan from L8 down for the first level whose
// thresholds are met, comparing decimals directly: breadth as the table says, a capability
// threshold met by a capability at least as high (exact, not truncated), no threshold by anything.
func referenceLevel(tb level.Table, in perfInput) level.Level {
	breadth := in.products
	if tb.Breadth == level.ByCategories {
		breadth = in.categories
	}
	met := func(i int) bool {
		th := tb.Levels[i]
		return in.gmv.GreaterThanOrEqual(th.GMV) && in.days >= th.ActiveDays && breadth >= th.Breadth &&
			(th.Capability == nil || in.capability.GreaterThanOrEqual(*th.Capability))
	}
	switch tb.Scheme {
	case level.GMVBand:
		band := 0
		for l := len(tb.Levels); l >= 1; l-- {
			if in.gmv.GreaterThanOrEqual(tb.Levels[l-1].GMV) {
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

// genTable draws a valid table for a currency with two decimal places: non-decreasing thresholds,
// breadth by products or categories, and capability thresholds (6 decimal places) from a drawn
// level on, or none.
func genTable(t *rapid.T) level.Table {
	tb := level.Table{
		Scheme:  rapid.SampledFrom([]level.Scheme{level.HighestMet, level.GMVBand}).Draw(t, "scheme"),
		Breadth: rapid.SampledFrom([]level.BreadthBasis{"", level.ByProducts, level.ByCategories}).Draw(t, "basis"),
	}
	capFrom := rapid.IntRange(0, 8).Draw(t, "capFrom") // 8: no capability threshold
	var gmv, capability int64
	var days, breadth int
	for i := range 8 {
		gmv += rapid.Int64Range(0, 50_000).Draw(t, fmt.Sprint("gmvStep", i))
		days = min(days+rapid.IntRange(0, 5).Draw(t, fmt.Sprint("daysStep", i)), 31)
		breadth += rapid.IntRange(0, 4).Draw(t, fmt.Sprint("breadthStep", i))
		th := level.Thresholds{GMV: decimal.New(gmv, -2), ActiveDays: days, Breadth: breadth}
		if i >= capFrom {
			capability += rapid.Int64Range(0, 20_000_000).Draw(t, fmt.Sprint("capStep", i))
			c := decimal.New(capability, -6)
			th.Capability = &c
		}
		tb.Levels = append(tb.Levels, th)
	}
	return tb
}

type perfInput struct {
	gmv, capability            decimal.Decimal
	days, products, categories int
}

func genPerf(t *rapid.T, label string) perfInput {
	products := rapid.IntRange(0, 40).Draw(t, label+"products")
	return perfInput{
		// three decimal places: finer than GBP's minor unit, to exercise truncation
		gmv:        decimal.New(rapid.Int64Range(0, 500_000_000).Draw(t, label+"gmv"), -3),
		days:       rapid.IntRange(0, 28).Draw(t, label+"days"),
		products:   products,
		categories: rapid.IntRange(0, products).Draw(t, label+"categories"), // each product has one (LVL-2)
		// eight decimal places: finer than the 6 capability is compared at
		capability: decimal.New(rapid.Int64Range(0, 20_000_000_000).Draw(t, label+"capability"), -8),
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

func (in perfInput) performance(t *rapid.T) level.Performance {
	p, err := level.NewPerformance(affrules.UK, feb2026, level.Totals{GMV: in.gmv, ActiveDays: in.days,
		Products: in.products, Categories: in.categories, Capability: &in.capability})
	if err != nil {
		t.Fatalf("NewPerformance: %v", err)
	}
	return p
}

func assign(t *rapid.T, ev *level.Evaluator, in perfInput) level.Level {
	l, err := ev.Assign(affrules.UK, march2026, in.performance(t))
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
		if got, want := assign(t, ev, in), referenceLevel(tb, in); got != want {
			t.Fatalf("LVL-2 %s by %q: Assign(%+v) = %s; reference scan %s", tb.Scheme, tb.Breadth, in, got, want)
		}
	})
}

// More GMV, active days, products, categories or capability never lowers a level (LVL-2), under
// either scheme and either breadth basis.
func TestAssignMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tb := genTable(t)
		ev := evaluatorFor(t, tb)
		lo := genPerf(t, "lo")
		hi := lo
		all := rapid.Bool().Draw(t, "all")
		which := rapid.IntRange(0, 4).Draw(t, "which")
		if all || which == 0 {
			hi.gmv = hi.gmv.Add(decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, "moreGMV"), -3))
		}
		if all || which == 1 {
			hi.days = min(hi.days+rapid.IntRange(0, 28).Draw(t, "moreDays"), 28)
		}
		if all || which == 2 {
			hi.products += rapid.IntRange(0, 40).Draw(t, "moreProducts")
		}
		if all || which == 3 {
			hi.categories += rapid.IntRange(0, 40).Draw(t, "moreCategories")
			hi.products = max(hi.products, hi.categories) // each category is a product's (LVL-2)
		}
		if all || which == 4 {
			hi.capability = hi.capability.Add(decimal.New(rapid.Int64Range(0, 1_000_000_000).Draw(t, "moreCapability"), -8))
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
			perfs[fmt.Sprint("c", i)] = genPerf(t, fmt.Sprint(i)).performance(t)
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
		{"ok", mustPerf(t, affrules.UK, feb2026, "10000", 20, 10)},          // twice: an error, no second record
		{"wrong month", mustPerf(t, affrules.UK, feb2026, "10000", 20, 10)}, // twice, though its first was refused
		{"", mustPerf(t, affrules.UK, feb2026, "100", 5, 3)},                // empty again: the same error
	}
	seq := func(yield func(string, level.Performance) bool) {
		for _, x := range in {
			if !yield(x.creator, x.perf) {
				return
			}
		}
	}
	var got []string
	var h level.MemoryHistory
	for r, err := range ev.Refresh(affrules.UK, march2026, seq) {
		// The README's loop, careless: it stores whatever it is given. The zero Record beside an
		// error is refused, so nothing wrong is stored.
		if perr := h.Put(t.Context(), r); (perr == nil) == (err != nil) {
			t.Errorf("Put(%+v) = %v beside the refresh error %v", r, perr, err)
		}
		if err != nil {
			assert.Zero(t, r, "the zero Record beside an error")
			got = append(got, err.Error())
			continue
		}
		got = append(got, r.Creator+": "+r.Level.String())
	}
	assert.Equal(t, []string{
		"ok: L4",
		`level: performance["wrong month"].month 2026-03: 2026-03's level comes from 2026-02's performance (LVL-2): out of range`,
		`level: creator "": must not be empty`,
		`level: performance["wrong market"].market TH: cannot set a level in UK`,
		"ok2: L1",
		`level: creator "ok": is given more than once in the refresh of UK for 2026-03: only its first performance counts (LVL-3)`,
		`level: creator "wrong month": is given more than once in the refresh of UK for 2026-03: only its first performance counts (LVL-3)`,
		`level: creator "": must not be empty`,
	}, got)
	for creator, want := range map[string]level.Level{"ok": level.L4, "ok2": level.L1} {
		l, ok, err := h.Get(t.Context(), affrules.UK, creator, march2026)
		require.NoError(t, err)
		assert.True(t, ok, creator)
		assert.Equal(t, want, l, "%s keeps the level of its first performance", creator)
	}
	for _, creator := range []string{"wrong month", "wrong market"} {
		_, ok, err := h.Get(t.Context(), affrules.UK, creator, march2026)
		require.NoError(t, err)
		assert.False(t, ok, "%s was stored", creator)
	}

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

	// NewPerformance reads a market's minor unit from the registry once, then from its own table:
	// valid totals allocate nothing (LookupMarket copies the market's channels on every call).
	tot := totals(decimal.RequireFromString("777.77"), 9, 5)
	allocs = testing.AllocsPerRun(1000, func() {
		if _, err := level.NewPerformance(affrules.UK, feb2026, tot); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "NewPerformance allocates")

	// Refresh remembers the creators seen, to refuse one given twice, in chunks of 4,096 IDs: it
	// allocates once per 4,096 creators, plus a hash index (doubling as it grows) when they are not
	// in increasing order of ID.
	refreshAllocs := func(n int, id func(i int) string) float64 {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = id(i)
		}
		seq := func(yield func(string, level.Performance) bool) {
			for _, c := range ids {
				if !yield(c, p) {
					return
				}
			}
		}
		return testing.AllocsPerRun(10, func() {
			for _, err := range ev.Refresh(affrules.UK, march2026, seq) {
				if err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	sorted := func(i int) string { return fmt.Sprintf("c%07d", i) }
	unordered := func(i int) string { return fmt.Sprint("c", i) } // "c10" < "c9"
	for name, id := range map[string]func(int) string{"in order": sorted, "out of order": unordered} {
		small, large := refreshAllocs(1_000, id), refreshAllocs(100_000, id)
		t.Logf("Refresh allocations, creators %s: %v for 1,000, %v for 100,000", name, small, large)
		assert.LessOrEqual(t, small, 15.0, "Refresh of 1,000 creators %s", name)
		assert.LessOrEqual(t, large, 100_000/4_096+30.0, "Refresh of 100,000 creators %s", name)
	}
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
		// A version superseded by a later one taking over at the start of the same month would
		// govern no month: New refuses it, so keep the later one.
		takesOver := func(from time.Time) affrules.Month {
			m := affrules.MonthAt(uk, from)
			if m.Period(uk).Start.Before(from) {
				m++
			}
			return m
		}
		for i := len(versions) - 2; i >= 0; i-- {
			if takesOver(versions[i].From) == takesOver(versions[i+1].From) {
				versions = slices.Delete(versions, i, i+1)
			}
		}
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
			perf, err := level.NewPerformance(affrules.UK, m-1, level.Totals{})
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
			case ok && got != referenceLevel(want, perfInput{}):
				t.Fatalf("%s: Assign = %s; the version in force at the month's start gives %s", m, got, referenceLevel(want, perfInput{}))
			}
		}
	})
}

// LVL-3: two table versions taking over at the start of the same month (from the 15th and the
// 20th of January: both from February) leave the earlier in force in no month: refused, naming
// it. Versions a nanosecond either side of a month's first instant take over a month apart.
func TestTableVersionNeverInForce_LVL3(t *testing.T) {
	uk := market(t, affrules.UK)
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, uk.Location())
	for _, tc := range []struct {
		second time.Time
		dead   bool
	}{
		{jan.AddDate(0, 0, 19), true},
		{jan.AddDate(0, 1, 0), true},
		{jan.AddDate(0, 1, 0).Add(time.Nanosecond), false},
	} {
		tl, err := affrules.NewTimeline(affrules.Effective[level.Table]{From: jan.AddDate(0, 0, 14), Value: stepTable(1)}, affrules.Effective[level.Table]{From: tc.second, Value: stepTable(2)})
		require.NoError(t, err)
		p := level.DefaultPolicy()
		p.Tables[affrules.UK] = tl
		_, err = level.New(p)
		if tc.dead {
			require.ErrorContains(t, err, "level: policy.tables[UK][0] 2026-02: is never in force: version 1 takes over at the start of the same month", "second from %v", tc.second)
		} else {
			require.NoError(t, err, "second from %v", tc.second)
		}
	}
}

var newPerformanceRuns atomic.Int64

// NewPerformance keeps the minor unit of each market it has looked up: a market unknown at one
// call and registered before the next is found then, with its own minor unit, and a market code
// other than two capital letters is looked up in the registry every time, without allocating.
func TestNewPerformanceMarkets(t *testing.T) {
	tot := totals(decimal.RequireFromString("100.75"), 9, 5)
	// Codes of their own for each run (-count), so that they are unknown before it every time.
	run := newPerformanceRuns.Add(1)
	for _, code := range []affrules.MarketCode{affrules.MarketCode([]byte{'Q', byte('A' + run%26)}), affrules.MarketCode(fmt.Sprintf("QZ%d", run))} {
		_, err := level.NewPerformance(code, feb2026, tot)
		require.ErrorIs(t, err, affrules.ErrUnknownMarket, code)
		mk, err := affrules.NewMarket(code, "UTC", "XQZ", 0, affrules.Email)
		require.NoError(t, err)
		require.NoError(t, affrules.RegisterMarket(mk))
		for range 2 { // the lookup, then the table
			p, err := level.NewPerformance(code, feb2026, tot)
			require.NoError(t, err, code)
			assert.Equal(t, "100", p.GMV().String(), "%s: a currency of no minor unit truncates to whole units", code)
		}
		// The registry is read without copying the market: no allocation, whatever the code.
		assert.Zero(t, testing.AllocsPerRun(20, func() { _, _ = level.NewPerformance(code, feb2026, tot) }), code)
	}
	p, err := level.NewPerformance(affrules.UK, feb2026, tot)
	require.NoError(t, err)
	assert.Equal(t, "100.75", p.GMV().String())
}
