package level_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

type perfView struct {
	GMV                              decimal.Decimal
	ActiveDays, Products, Categories int
}

func view(p level.Performance) perfView {
	return perfView{GMV: p.GMV(), ActiveDays: p.ActiveDays(), Products: p.Products(), Categories: p.Categories()}
}

func newAgg(t testing.TB, code affrules.MarketCode, m affrules.Month) *level.Aggregator {
	t.Helper()
	a, err := level.NewAggregator(code, m)
	require.NoError(t, err)
	return a
}

// LVL-4: an active day is a market-calendar day with at least one promotion; several count once.
func TestAggregatorActiveDays(t *testing.T) {
	th := market(t, affrules.TH)
	bkk := th.Location()
	at := func(d, h, min int) time.Time { return time.Date(2026, time.February, d, h, min, 0, 0, bkk) }
	a := newAgg(t, affrules.TH, feb2026)
	events := []level.Event{
		{Creator: "c1", At: at(1, 0, 0), Kind: level.PromoLive, Product: "p1", GMV: decimal.RequireFromString("100.50")},
		{Creator: "c1", At: at(1, 9, 0), Kind: level.PromoVideo, Product: "p1"},
		{Creator: "c1", At: at(1, 23, 59), Kind: level.PromoLinkShare, Product: "p2", GMV: decimal.RequireFromString("0.50")},
		// 23:30 local on the last day: still February in Bangkok (16:30 UTC).
		{Creator: "c1", At: at(28, 23, 30), Kind: level.PromoVideo, Product: "p3"},
		// 06:30 local on the 2nd is 23:30 UTC on the 1st: a different local day.
		{Creator: "c2", At: at(1, 8, 0), Kind: level.PromoLive},
		{Creator: "c2", At: at(2, 6, 30), Kind: level.PromoLive},
	}
	for _, e := range events {
		require.NoError(t, a.Add(e))
	}
	want := map[string]perfView{
		"c1": {GMV: decimal.RequireFromString("101"), ActiveDays: 2, Products: 3},
		"c2": {GMV: decimal.Zero, ActiveDays: 2, Products: 0},
		"c3": {GMV: decimal.Zero},
	}
	for c, w := range want {
		if diff := cmp.Diff(w, view(a.Performance(c))); diff != "" {
			t.Errorf("LVL-4 %s (-want +got):\n%s", c, diff)
		}
	}
	var order []string
	for c, p := range a.All() {
		order = append(order, c)
		assert.Equal(t, feb2026, p.Month())
		assert.Equal(t, affrules.TH, p.Market())
	}
	assert.Equal(t, []string{"c1", "c2"}, order, "creators in order of first event")
}

// MKT-2: an event at 23:30 local on the last day of the month belongs to it even when UTC says
// next month; 00:00 local on the first of the next month does not.
// LVL-2: breadth is the diversity of products selected, counted both as distinct products and as
// their distinct categories; a selection without promotion counts toward breadth but is not an
// active day (LVL-4).
func TestAggregatorBreadth(t *testing.T) {
	uk := market(t, affrules.UK)
	at := func(d int) time.Time { return time.Date(2026, time.February, d, 12, 0, 0, 0, uk.Location()) }
	a := newAgg(t, affrules.UK, feb2026)
	for _, e := range []level.Event{
		{Creator: "c1", At: at(1), Kind: level.PromoLive, Product: "kettle", Category: "home"},
		{Creator: "c1", At: at(2), Kind: level.PromoVideo, Product: "kettle", Category: "home"},  // same product
		{Creator: "c1", At: at(2), Kind: level.PromoVideo, Product: "toaster", Category: "home"}, // same category
		{Creator: "c1", At: at(3), Kind: level.Selection, Product: "scarf", Category: affrules.Fashion},
		{Creator: "c1", At: at(4), Kind: level.PromoLinkShare},                               // no product named
		{Creator: "c1", At: at(4), Kind: level.Selection, Product: "lamp"},                   // its category comes later
		{Creator: "c1", At: at(5), Kind: level.Selection, Product: "lamp", Category: "home"}, // an old category
		{Creator: "c2", At: at(5), Kind: level.Selection, Product: "mug", Category: "home", GMV: decimal.RequireFromString("3.50")},
		{Creator: "c2", At: at(6), Kind: level.Selection, Product: "mug", Category: "home"},
	} {
		require.NoError(t, a.Add(e))
	}
	for c, w := range map[string]perfView{
		"c1": {GMV: decimal.Zero, ActiveDays: 3, Products: 4, Categories: 2}, // days 1, 2 and 4; the selections are not active
		"c2": {GMV: decimal.RequireFromString("3.5"), ActiveDays: 0, Products: 1, Categories: 1},
	} {
		if diff := cmp.Diff(w, view(a.Performance(c))); diff != "" {
			t.Errorf("LVL-2 %s (-want +got):\n%s", c, diff)
		}
	}
	n := 0
	for range a.All() {
		n++
	}
	assert.Equal(t, 2, n, "a creator with selections only is yielded")

	// Under a table counting categories, c1's three categories give what three products would.
	tb := ukTable(level.HighestMet)
	tb.Breadth = level.ByCategories
	p := testPolicy(level.HighestMet)
	p.Tables[affrules.UK] = timeline(t, affrules.Effective[level.Table]{Value: tb})
	l, err := mustNew(t, p).Assign(affrules.UK, march2026, a.Performance("c1"))
	require.NoError(t, err)
	assert.Equal(t, level.L1, l, "GMV 0 and 3 active days: L1 whatever the breadth")
}

func TestAggregatorMonthBoundaryBehindUTC(t *testing.T) {
	us, err := affrules.NewMarket("US", "America/Los_Angeles", "USD", 2, affrules.Email)
	require.NoError(t, err)
	require.NoError(t, affrules.RegisterMarket(us))
	la := market(t, "US").Location()
	jan := affrules.NewMonth(2026, time.January)
	a := newAgg(t, "US", jan)
	last := time.Date(2026, time.January, 31, 23, 30, 0, 0, la)
	require.Equal(t, time.February, last.UTC().Month())
	require.NoError(t, a.Add(level.Event{Creator: "c", At: last, Kind: level.PromoLive}))
	assert.Equal(t, 1, a.Performance("c").ActiveDays())
	err = a.Add(level.Event{Creator: "c", At: time.Date(2026, time.February, 1, 0, 0, 0, 0, la), Kind: level.PromoLive})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.NoError(t, a.Add(level.Event{Creator: "c", At: time.Date(2026, time.January, 1, 0, 0, 0, 0, la), Kind: level.PromoLive}))
	assert.Equal(t, 2, a.Performance("c").ActiveDays())
}

// MKT-2: in the UK's DST months every hour of the month counts and days follow the local
// calendar: an event every 30 minutes makes every day active, none is rejected, and the hour
// after the clocks change belongs to the right day.
func TestAggregatorUKDST(t *testing.T) {
	uk := market(t, affrules.UK)
	for _, m := range []affrules.Month{march2026, affrules.NewMonth(2026, time.October)} {
		t.Run(m.String(), func(t *testing.T) {
			a := newAgg(t, affrules.UK, m)
			p := m.Period(uk)
			n := 0
			for at := p.Start; at.Before(p.End); at = at.Add(30 * time.Minute) {
				require.NoError(t, a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoVideo}))
				n++
			}
			assert.Equal(t, m.Days(), a.Performance("c").ActiveDays())
			assert.Equal(t, int(p.Duration()/(30*time.Minute)), n)
			assert.Error(t, a.Add(level.Event{Creator: "c", At: p.End, Kind: level.PromoVideo}), "first instant of next month")
			assert.Error(t, a.Add(level.Event{Creator: "c", At: p.Start.Add(-time.Nanosecond), Kind: level.PromoVideo}))
		})
	}
	// 29 March 2026: clocks go forward at 01:00 GMT. 00:30 GMT and 02:30 BST are the same local
	// day, the 29th; 23:30 BST that evening is still the 29th, though 22:30 UTC.
	a := newAgg(t, affrules.UK, march2026)
	for _, at := range []time.Time{
		time.Date(2026, time.March, 29, 0, 30, 0, 0, time.UTC),
		time.Date(2026, time.March, 29, 1, 30, 0, 0, time.UTC),
		time.Date(2026, time.March, 29, 22, 30, 0, 0, time.UTC),
	} {
		require.NoError(t, a.Add(level.Event{Creator: "d", At: at, Kind: level.PromoLive}))
	}
	assert.Equal(t, 1, a.Performance("d").ActiveDays())
	// The days after the change start at local midnight, not 24 hours after the previous one:
	// 00:30 BST on the 30th (23:30 UTC on the 29th) is the 30th, a second active day.
	for _, at := range []time.Time{
		time.Date(2026, time.March, 29, 12, 0, 0, 0, time.UTC),
		time.Date(2026, time.March, 29, 23, 30, 0, 0, time.UTC),
	} {
		require.NoError(t, a.Add(level.Event{Creator: "f", At: at, Kind: level.PromoLive}))
	}
	assert.Equal(t, 2, a.Performance("f").ActiveDays(), "00:30 BST on 30 March")
	// 25 October 2026: clocks go back at 02:00 BST, the day is 25 hours long. 23:30 GMT that
	// evening is still the 25th: one active day with the morning's promotion.
	oct := newAgg(t, affrules.UK, affrules.NewMonth(2026, time.October))
	for _, at := range []time.Time{
		time.Date(2026, time.October, 25, 9, 0, 0, 0, time.UTC),
		time.Date(2026, time.October, 25, 23, 30, 0, 0, time.UTC),
	} {
		require.NoError(t, oct.Add(level.Event{Creator: "g", At: at, Kind: level.PromoLive}))
	}
	assert.Equal(t, 1, oct.Performance("g").ActiveDays(), "23:30 GMT on 25 October")
	// 31 March 23:30 BST is 22:30 UTC, still March.
	require.NoError(t, a.Add(level.Event{Creator: "e", At: time.Date(2026, time.March, 31, 22, 30, 0, 0, time.UTC), Kind: level.PromoLive}))
	assert.Error(t, a.Add(level.Event{Creator: "e", At: time.Date(2026, time.March, 31, 23, 0, 0, 0, time.UTC), Kind: level.PromoLive}),
		"00:00 BST on 1 April is April")
}

func TestAggregatorRejects(t *testing.T) {
	uk := market(t, affrules.UK)
	in := feb2026.Period(uk).Start.Add(time.Hour)
	tests := []struct {
		name     string
		event    level.Event
		sentinel error
		field    string
	}{
		{"empty creator", level.Event{At: in, Kind: level.PromoLive}, nil, "event.creator"},
		{"unknown kind", level.Event{Creator: "c", At: in, Kind: "post"}, nil, "event.kind"},
		{"before the month", level.Event{Creator: "c", At: in.Add(-2 * time.Hour), Kind: level.PromoLive}, affrules.ErrOutOfRange, "event.at"},
		{"next month", level.Event{Creator: "c", At: feb2026.Period(uk).End, Kind: level.PromoLive}, affrules.ErrOutOfRange, "event.at"},
		{"zero instant", level.Event{Creator: "c", Kind: level.PromoLive}, affrules.ErrOutOfRange, "event.at"},
		{"negative GMV", level.Event{Creator: "c", At: in, Kind: level.PromoLive, GMV: decimal.RequireFromString("-5")}, affrules.ErrNegative, "event.gmv"},
		{"sub-minor GMV", level.Event{Creator: "c", At: in, Kind: level.PromoLive, GMV: decimal.RequireFromString("1.005")}, nil, "event.gmv"},
		{"LVL-2 category of no product", level.Event{Creator: "c", At: in, Kind: level.PromoLinkShare, Category: affrules.Fashion}, nil, `event.category "fashion"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAgg(t, affrules.UK, feb2026)
			err := a.Add(tt.event)
			require.Error(t, err)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			assert.ErrorContains(t, err, "level: "+tt.field)
			if diff := cmp.Diff(perfView{GMV: decimal.Zero}, view(a.Performance("c"))); diff != "" {
				t.Errorf("a rejected event changed the tally (-want +got):\n%s", diff)
			}
			n := 0
			for range a.All() {
				n++
			}
			assert.Zero(t, n, "a rejected event added a creator")
		})
	}
	_, err := level.NewAggregator("XX", feb2026)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)

	// LVL-2: a product has one category; an event giving it another is rejected and changes
	// nothing, while one leaving it out, or naming it again, counts as before.
	a := newAgg(t, affrules.UK, feb2026)
	require.NoError(t, a.Add(level.Event{Creator: "c", At: in, Kind: level.Selection, Product: "p1"}))
	require.NoError(t, a.Add(level.Event{Creator: "c", At: in, Kind: level.Selection, Product: "p1", Category: affrules.Fashion}))
	before := view(a.Performance("c"))
	err = a.Add(level.Event{Creator: "c", At: in.Add(time.Hour), Kind: level.PromoLive, Product: "p1", Category: affrules.FMCG, GMV: decimal.NewFromInt(5)})
	assert.ErrorContains(t, err, `level: event.category "fmcg": differs from "fashion", the category given before for product p1 (LVL-2)`)
	assert.Equal(t, before, view(a.Performance("c")), "a rejected event changed the tally")
	require.NoError(t, a.Add(level.Event{Creator: "c", At: in, Kind: level.PromoLive, Product: "p1", Category: affrules.Fashion}))
	err = a.Add(level.Event{Creator: "other", At: in, Kind: level.PromoLive, Product: "p1", Category: affrules.FMCG}) // the same product, whoever selects it
	assert.ErrorContains(t, err, `level: event.category "fmcg": differs from "fashion", the category given before for product p1 (LVL-2)`)
	require.NoError(t, a.Add(level.Event{Creator: "other", At: in, Kind: level.PromoLive, Product: "p1"}))
	if diff := cmp.Diff(perfView{GMV: decimal.Zero, ActiveDays: 1, Products: 1, Categories: 1}, view(a.Performance("c"))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The performance and the level do not depend on the order of events (LVL-2, LVL-4).
func TestAggregatorOrderIndependent(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	uk := market(t, affrules.UK)
	p := feb2026.Period(uk)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 200).Draw(t, "events")
		events := make([]level.Event, n)
		for i := range events {
			events[i] = level.Event{
				Creator: fmt.Sprint("c", rapid.IntRange(0, 4).Draw(t, "creator")),
				At:      p.Start.Add(time.Duration(rapid.Int64Range(0, int64(p.Duration()-1)).Draw(t, "offset"))),
				Kind:    rapid.SampledFrom([]level.Promotion{level.PromoLive, level.PromoVideo, level.PromoLinkShare, level.Selection}).Draw(t, "kind"),
				Product: rapid.SampledFrom([]string{"", "p1", "p2", "p3", "p4", "p5"}).Draw(t, "product"),
				GMV:     decimal.New(rapid.Int64Range(0, 100_000).Draw(t, "gmv"), -2),
			}
		}
		for i := range events {
			// A product has one category (LVL-2), which an event may leave out.
			if p := events[i].Product; p != "" && rapid.Bool().Draw(t, "with category") {
				events[i].Category = []affrules.Category{affrules.Fashion, affrules.FMCG}[p[1]%2]
			}
		}
		perm := rapid.Permutation(events).Draw(t, "perm")
		type result struct {
			Level level.Level
			Perf  perfView
		}
		levels := func(evs []level.Event) map[string]result {
			a, err := level.NewAggregator(affrules.UK, feb2026)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if err := a.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			out := map[string]result{}
			for r, err := range ev.Refresh(affrules.UK, march2026, a.All()) {
				if err != nil {
					t.Fatal(err)
				}
				out[r.Creator] = result{r.Level, view(a.Performance(r.Creator))}
			}
			return out
		}
		if diff := cmp.Diff(levels(events), levels(perm)); diff != "" {
			t.Fatalf("LVL-4 levels depend on event order (-original +permuted):\n%s", diff)
		}
	})
}
