package level_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
)

// BenchmarkRefresh refreshes 1,000,000 creators per iteration (LVL-3); target: 60 ms with the
// creators in increasing order of ID (as from a cursor sorted by creator), where remembering them
// to refuse a repeat costs a slice append each; in any other order Refresh keeps a hash set of
// them, which costs a cache miss per creator.
func BenchmarkRefresh(b *testing.B) {
	const creators = 1_000_000
	ev := mustNew(b, testPolicy(level.HighestMet))
	perfs := make([]level.Performance, creators)
	for i := range perfs {
		// GMV with varied exponents, as decimals arrive from a database.
		gmv := decimal.New(int64(i%1_000_000), -int32(i%3))
		perfs[i] = mustPerf(b, affrules.UK, feb2026, gmv.String(), i%29, i%12)
	}
	for _, order := range []struct {
		name string
		id   func(i int) string
	}{{"sorted", func(i int) string { return fmt.Sprintf("creator-%07d", i) }}, {"unsorted", func(i int) string { return fmt.Sprint("creator-", i) }}} {
		ids := make([]string, creators)
		for i := range ids {
			ids[i] = order.id(i)
		}
		seq := func(yield func(string, level.Performance) bool) {
			for i := range perfs {
				if !yield(ids[i], perfs[i]) {
					return
				}
			}
		}
		b.Run(order.name, func(b *testing.B) {
			var counts [9]int
			b.ReportAllocs()
			for b.Loop() {
				for r, err := range ev.Refresh(affrules.UK, march2026, seq) {
					if err != nil {
						b.Fatal(err)
					}
					counts[r.Level]++
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/creators, "ns/creator")
			if counts[level.L0]+counts[level.L8] == 0 {
				b.Log(counts) // keep counts live
			}
		})
	}
}

// BenchmarkAggregate aggregates 10,000,000 promotion events of 100,000 creators over the UK's
// March (a DST month) per iteration (LVL-4): active days only, then with GMV and breadth. Events
// are generated on the fly rather than held in a 10M-element slice, so the figure includes
// building each Event value (a few ns).
func BenchmarkAggregate(b *testing.B) {
	const events, creators = 10_000_000, 100_000
	uk := market(b, affrules.UK)
	p := march2026.Period(uk)
	ids := make([]string, creators)
	for i := range ids {
		ids[i] = fmt.Sprint("creator-", i)
	}
	products := make([]string, 40)
	for i := range products {
		products[i] = fmt.Sprint("product-", i)
	}
	gmv := []decimal.Decimal{decimal.Zero, decimal.RequireFromString("12.34"), decimal.NewFromInt(5)}
	kinds := []level.Promotion{level.PromoLive, level.PromoVideo, level.PromoLinkShare}
	step := p.Duration() / events
	for _, full := range []bool{false, true} {
		name := "ActiveDays"
		if full {
			name = "ActiveDaysGMVBreadth"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a, err := level.NewAggregator(affrules.UK, march2026)
				if err != nil {
					b.Fatal(err)
				}
				for i := range events {
					e := level.Event{Creator: ids[(i*7919)%creators], At: p.Start.Add(time.Duration(i) * step), Kind: kinds[i%3]}
					if full {
						e.Product, e.GMV = products[(i*31)%len(products)], gmv[i%3]
					}
					if err := a.Add(e); err != nil {
						b.Fatal(err)
					}
				}
				if a.Performance(ids[0]).ActiveDays() == 0 {
					b.Fatal("no active days")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/events, "ns/event")
		})
	}
}

// BenchmarkAssign is one level assignment.
func BenchmarkAssign(b *testing.B) {
	ev := mustNew(b, testPolicy(level.GMVBand))
	p := mustPerf(b, affrules.UK, feb2026, "777.77", 9, 5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ev.Assign(affrules.UK, march2026, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReasons is each rule that returns reasons, on its failing path, with every reason
// (LVL-5, LVL-6, LVL-7, LVL-10); the passing paths allocate nothing.
func BenchmarkReasons(b *testing.B) {
	ev := mustNew(b, testPolicy(level.HighestMet)) // partners do not see levels by default
	b.Run("Visible", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if d, err := ev.Visible(level.Viewer{Role: level.RolePartner, ID: "mcn"}, "c1"); err != nil || d.Allowed {
				b.Fatal(d, err)
			}
		}
	})
	b.Run("Benefit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if d, err := ev.Benefit("leaderboard", level.L3); err != nil || d.Allowed {
				b.Fatal(d, err)
			}
		}
	})
	b.Run("Trend", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if tr, err := ev.Trend(level.L8, level.L5, level.L3); err != nil || tr.Reliability.Allowed {
				b.Fatal(tr, err)
			}
		}
	})
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	r := affrules.MustParseRate
	in := level.BadgeInput{ReplyRate: r("79.9%"), ReplyTime: 13 * time.Hour, Posts: []time.Time{at.Add(-time.Hour)},
		SampleFulfilment: r("69.9%"), MarketAverage: r("60%")}
	b.Run("Badges", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if bs, err := ev.Badges(in, at); err != nil || bs.QuickToRespond.Allowed {
				b.Fatal(bs, err)
			}
		}
	})
}

// BenchmarkNewPerformance builds one creator's performance from the host's totals (LVL-2 input:
// the market's minor unit, the checks of every field, GMV in minor units), then assigns its level:
// a monthly run's two calls per creator.
func BenchmarkNewPerformance(b *testing.B) {
	ev := mustNew(b, testPolicy(level.GMVBand))
	t := level.Totals{GMV: decimal.RequireFromString("777.77"), ActiveDays: 9, Products: 5, Categories: 2}
	b.ReportAllocs()
	for b.Loop() {
		p, err := level.NewPerformance(affrules.UK, feb2026, t)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ev.Assign(affrules.UK, march2026, p); err != nil {
			b.Fatal(err)
		}
	}
}
