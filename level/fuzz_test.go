package level_test

// Fuzz targets for the evaluators, the aggregator and the history (issue 10): any generated input
// gives a result or an error, never both and never neither, never a panic, and within one second
// (each input's evaluation runs under a deadline, [within]). Seeds are the f.Add cases; inputs the
// fuzzer found interesting are kept in testdata/fuzz/<target>.
//
// Each target was run for 60 s, one at a time, on 2 CPUs shared with other work (go test -run
// '^$' -fuzz '^FuzzX$' -fuzztime 60s ./level/), with no failure; the inputs it found interesting
// are in testdata/fuzz. Executions reached:
//
//	FuzzRefresh        602,835
//	FuzzAggregator     756,011
//	FuzzMarketplace    741,704
//	FuzzProfileView    689,513
//	FuzzHistory        871,537
//	FuzzParsePolicy      6,231 (policy_test.go; each input parses, round-trips and compiles a policy)

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/level"
)

// fuzzDecimal builds a decimal from a coefficient's big-endian bytes (at most 40, so up to 97
// digits), a sign and any exponent: hostile exponents and digit counts included.
func fuzzDecimal(coef []byte, neg bool, exp int32) decimal.Decimal {
	if len(coef) > 40 {
		coef = coef[:40]
	}
	c := new(big.Int).SetBytes(coef)
	if neg {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, exp)
}

// checkDecision fails t unless d is decided: allowed, or denied with at least one reason, every
// reason's message rendering.
func checkDecision(t *testing.T, name string, d affrules.Decision) {
	t.Helper()
	if !d.Allowed && len(d.Reasons) == 0 {
		t.Fatalf("%s: denied without a reason (neither a decision nor an error)", name)
	}
	for _, r := range d.Reasons {
		if r.Message() == "" {
			t.Fatalf("%s: a reason without a message: %+v", name, r)
		}
	}
}

// fuzzMarkets are the markets the fuzz targets choose from: one with tables under testPolicy for
// each time zone, a registered market without a creator score, and an unknown one.
var fuzzMarkets = []affrules.MarketCode{affrules.UK, affrules.TH, affrules.ID, affrules.VN, "XX", ""}

func pick[T any](xs []T, i uint8) T { return xs[int(i)%len(xs)] }

// FuzzRefresh: NewPerformance, Assign and Refresh over creators (repeats and empty IDs included)
// for any month, market and totals. Every creator yields exactly one of a valid record or an
// error beside the zero Record; records are unique per creator and agree with Assign.
func FuzzRefresh(f *testing.F) {
	f.Add(int32(0), uint8(0), "amy,ben,amy,,cal", []byte{0x27, 0x10}, false, int32(-2), 5, 3, 2, []byte{}, int32(0), false)
	f.Add(int32(2_000_000_000), uint8(1), "a", []byte{4}, false, int32(-2_000_000_000), 31, 1, 1, []byte{1}, int32(-6), true)
	f.Add(int32(-1_500), uint8(2), "x,x,x", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, true, int32(3), -1, 1<<30, 0, []byte{9}, int32(40), true)
	f.Add(int32(2_087), uint8(3), "z,y", []byte{1}, false, int32(28), 0, 0, 0, []byte{}, int32(0), false)
	f.Fuzz(func(t *testing.T, monthOff int32, mkt uint8, creators string, gmvCoef []byte, gmvNeg bool, gmvExp int32,
		days, products, categories int, capCoef []byte, capExp int32, withCap bool) {
		ev := fuzzEvaluator(t)
		market := pick(fuzzMarkets, mkt)
		m := march2026.Add(int(monthOff))
		tot := level.Totals{GMV: fuzzDecimal(gmvCoef, gmvNeg, gmvExp), ActiveDays: days, Products: products, Categories: categories}
		if withCap {
			c := fuzzDecimal(capCoef, false, capExp)
			tot.Capability = &c
		}
		ids := strings.Split(creators, ",")
		if len(ids) > 50 {
			ids = ids[:50]
		}
		deadline.Within(t, time.Second, func() {
			perf, err := level.NewPerformance(market, m.Add(-1), tot)
			if err != nil {
				if perf != (level.Performance{}) {
					t.Fatalf("NewPerformance: a performance beside the error %v", err)
				}
				return
			}
			want, aerr := ev.Assign(market, m, perf)
			if aerr != nil && want != level.L0 || !want.Valid() {
				t.Fatalf("Assign = %s, %v", want, aerr)
			}
			seen := map[string]bool{}
			n := 0
			for r, err := range ev.Refresh(market, m, func(yield func(string, level.Performance) bool) {
				for _, id := range ids {
					if !yield(id, perf) {
						return
					}
				}
			}) {
				n++
				if err != nil {
					if r != (level.Record{}) {
						t.Fatalf("Refresh: record %+v beside the error %v", r, err)
					}
					continue
				}
				if verr := r.Validate(); verr != nil {
					t.Fatalf("Refresh: invalid record %+v: %v", r, verr)
				}
				if seen[r.Creator] {
					t.Fatalf("Refresh: two records for %q", r.Creator)
				}
				seen[r.Creator] = true
				if aerr != nil || r.Level != want || r.Month != m || r.Market != market {
					t.Fatalf("Refresh: record %+v; Assign = %s, %v", r, want, aerr)
				}
			}
			if n != len(ids) && n != 1 {
				t.Fatalf("Refresh yielded %d results for %d creators", n, len(ids))
			}
		})
	})
}

var fuzzEv *level.Evaluator

// fuzzEvaluator returns an evaluator of testPolicy with tables for every market of fuzzMarkets.
func fuzzEvaluator(t testing.TB) *level.Evaluator {
	if fuzzEv == nil {
		fuzzEv = mustNew(t, testPolicy(level.HighestMet))
	}
	return fuzzEv
}

// FuzzAggregator: events of any creator, instant, kind, product, category and GMV, in any month.
// Add accepts or refuses each (refusing changes nothing); the performances it sums are valid for
// a refresh of the next month.
func FuzzAggregator(f *testing.F) {
	f.Add(int32(0), uint8(0), "amy", int64(86_400*3), uint8(0), "p1", "home", []byte{0x30, 0x39}, false, int32(-2))
	f.Add(int32(0), uint8(1), "", int64(-1), uint8(4), "", "", []byte{4}, false, int32(-2_000_000_000))
	f.Add(int32(900_000), uint8(2), "ben", int64(1<<62), uint8(3), "p", "c", []byte{1}, true, int32(0))
	f.Add(int32(-1_400), uint8(0), "c", int64(0), uint8(2), "p", "", []byte{}, false, int32(0))
	f.Fuzz(func(t *testing.T, monthOff int32, mkt uint8, creator string, offset int64, kind uint8, product, category string,
		gmvCoef []byte, gmvNeg bool, gmvExp int32) {
		market := pick(fuzzMarkets, mkt)
		m := feb2026.Add(int(monthOff))
		kinds := []level.Promotion{level.PromoLive, level.PromoVideo, level.PromoLinkShare, level.Selection, "", "LIVE"}
		deadline.Within(t, time.Second, func() {
			agg, err := level.NewAggregator(market, m)
			if (agg == nil) == (err == nil) {
				t.Fatalf("NewAggregator = %v, %v", agg, err)
			}
			if err != nil {
				return
			}
			var at time.Time
			if offset != -1 {
				mk, _ := affrules.LookupMarket(market)
				at = m.Period(mk).Start.Add(time.Duration(offset % (40 * 86_400 * int64(time.Second))))
			}
			e := level.Event{Creator: creator, At: at, Kind: pick(kinds, kind), Product: product,
				Category: affrules.Category(category), GMV: fuzzDecimal(gmvCoef, gmvNeg, gmvExp)}
			for range 2 { // the same event twice: one active day, one product
				before := agg.Performance(creator)
				if err := agg.Add(e); err != nil {
					if after := agg.Performance(creator); after != before {
						t.Fatalf("a refused event changed the performance: %+v, then %+v", before, after)
					}
					return
				}
			}
			ev := fuzzEvaluator(t)
			for c, p := range agg.All() {
				if c != creator || p.ActiveDays() > 1 || p.Products() > 1 || p.Categories() > 1 {
					t.Fatalf("All yields %q %+v after one event twice", c, p)
				}
				if _, err := ev.Assign(market, m.Add(1), p); err != nil && m.Add(1) <= affrules.NewMonth(2199, time.December) {
					t.Fatalf("Assign of an aggregated performance: %v", err)
				}
			}
		})
	})
}

// FuzzMarketplace: Score, TypeOf and Badges with any decimals, counts, rates, durations and
// instants.
func FuzzMarketplace(f *testing.F) {
	f.Add(uint8(2), []byte{0x0b, 0xeb, 0xc2, 0x00}, false, int32(0), 30, 1000, 300, 60, 50_000, int64(500_000_000),
		[]byte{1}, int32(0), []byte{2}, int32(0), int64(800_000_000), int64(3600), int64(0), int64(5), int64(500_000_000), int64(600_000_000))
	f.Add(uint8(2), []byte{4}, false, int32(-2_000_000_000), -1, 0, 0, 0, 0, int64(-1),
		[]byte{4}, int32(2_000_000_000), []byte{4}, int32(-29), int64(2_000_000_000), int64(-1), int64(-1), int64(1<<40), int64(0), int64(1_000_000_000))
	f.Add(uint8(0), []byte{}, true, int32(0), 0, 0, 0, 0, 0, int64(0),
		[]byte{}, int32(0), []byte{}, int32(0), int64(0), int64(0), int64(1<<62), int64(0), int64(999_999_999), int64(1_000_000_000))
	f.Fuzz(func(t *testing.T, mkt uint8, gmvCoef []byte, gmvNeg bool, gmvExp int32, lives, viewers, seconds, videos, views int,
		completion int64, liveCoef []byte, liveExp int32, videoCoef []byte, videoExp int32,
		replyRate, replySeconds, atOffset, posts, fulfilment, average int64) {
		ev := fuzzEvaluator(t)
		market := pick(fuzzMarkets, mkt)
		rate := func(units int64) affrules.Rate {
			r, err := affrules.RateFromDecimal(decimal.New(units, -9))
			if err != nil {
				return affrules.Rate{}
			}
			return r
		}
		at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC).Add(time.Duration(atOffset))
		if atOffset == -1 {
			at = time.Time{}
		}
		in := level.BadgeInput{ReplyRate: rate(replyRate), ReplyTime: time.Duration(replySeconds) * time.Second,
			SampleFulfilment: rate(fulfilment), MarketAverage: rate(average)}
		for i := range min(max(posts, 0), 100) {
			in.Posts = append(in.Posts, at.Add(-time.Duration(i)*36*time.Hour))
		}
		deadline.Within(t, time.Second, func() {
			s, ok, err := ev.Score(market, level.ScoreInput{GMV: fuzzDecimal(gmvCoef, gmvNeg, gmvExp), LiveCount: lives,
				LiveViewers: viewers, ViewingSeconds: seconds, VideoCount: videos, VideoViews: views, Completion: rate(completion)})
			switch {
			case err != nil && (ok || !s.IsZero()):
				t.Fatalf("Score = %s, %t beside the error %v", s, ok, err)
			case err == nil && ok && (s.Sign() < 0 || s.GreaterThan(decimal.NewFromInt(100))):
				t.Fatalf("Score = %s: outside 0 … 100", s)
			case err == nil && !ok && !s.IsZero():
				t.Fatalf("Score = %s without a score", s)
			}
			ct, err := ev.TypeOf(fuzzDecimal(liveCoef, false, liveExp), fuzzDecimal(videoCoef, false, videoExp))
			if (err == nil) != (ct == level.Live || ct == level.Video || ct == level.Mixed) {
				t.Fatalf("TypeOf = %q, %v", ct, err)
			}
			b, err := ev.Badges(in, at)
			if err != nil {
				if b.QuickToRespond.Allowed || b.PostsFrequently.Allowed || b.ReliableWithSamples.Allowed {
					t.Fatalf("Badges: a badge beside the error %v", err)
				}
				return
			}
			checkDecision(t, "quick to respond", b.QuickToRespond)
			checkDecision(t, "posts frequently", b.PostsFrequently)
			checkDecision(t, "reliable with samples", b.ReliableWithSamples)
		})
	})
}

// FuzzProfileView: a profile with any rating, GPMs, labels and shares, seen by any viewer; and the
// GPM methods on any GPM.
func FuzzProfileView(f *testing.F) {
	f.Add("c", uint8(2), true, []byte{45}, int32(-1), int64(7), "a,b", []byte{0x01, 0x00}, int32(-2), int64(100),
		[]byte{3}, int32(0), int64(0), int64(500_000_000), uint8(0), "c")
	f.Add("", uint8(9), false, []byte{4}, int32(-2_000_000_000), int64(-1), "a,a,,b,c", []byte{4}, int32(2_000_000_000), int64(1),
		[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, int32(-18), int64(-5), int64(1_000_000_000), uint8(1), "")
	f.Fuzz(func(t *testing.T, creator string, kind uint8, authorised bool, ratingCoef []byte, ratingExp int32, volume int64,
		labels string, videoCoef []byte, videoExp int32, videoExp2 int64, liveCoef []byte, liveExp int32, liveExposures int64,
		share int64, role uint8, viewerID string) {
		ev := fuzzEvaluator(t)
		p := level.Profile{Creator: creator, Kind: level.Kind(kind % 4), DataAuthorised: authorised,
			Rating: fuzzDecimal(ratingCoef, false, ratingExp), ProductVolume: volume,
			Video: level.GPM{GMV: fuzzDecimal(videoCoef, false, videoExp), Exposures: videoExp2},
			Live:  level.GPM{GMV: fuzzDecimal(liveCoef, false, liveExp), Exposures: liveExposures}}
		if labels != "" {
			p.Labels = strings.Split(labels, ",")
		}
		if r, err := affrules.RateFromDecimal(decimal.New(share, -9)); err == nil {
			p.Followers.Age = map[string]affrules.Rate{"18-24": r, "25-34": r}
		}
		roles := []level.Role{level.RoleCreator, level.RoleSeller, level.RolePartner, level.RoleBuyer, ""}
		viewer := level.Viewer{Role: pick(roles, role), ID: viewerID}
		deadline.Within(t, time.Second, func() {
			v, err := ev.ProfileView(p, viewer)
			if err != nil {
				if v.Creator != "" || v.Data.Allowed {
					t.Fatalf("ProfileView: a view beside the error %v", err)
				}
			} else {
				checkDecision(t, "data", v.Data)
				if v.Creator != creator || creator == "" {
					t.Fatalf("ProfileView of %q shows %q", creator, v.Creator)
				}
			}
			for _, g := range []level.GPM{p.Video, p.Live} {
				r, ok := g.Round(2, affrules.HalfUp)
				if ok != g.HasData() || !ok && !r.IsZero() {
					t.Fatalf("GPM %v: Round = %s, %t", g, r, ok)
				}
				_, ok = g.Rat()
				if ok != g.HasData() {
					t.Fatalf("GPM: Rat ok %t, HasData %t", ok, g.HasData())
				}
				_ = g.String()
				if c := g.Cmp(p.Live); c < -1 || c > 1 {
					t.Fatalf("GPM.Cmp = %d", c)
				}
			}
		})
	})
}

// FuzzHistory: Put, Get, LevelAt and TrendAt with any market, creator, month and instant.
func FuzzHistory(f *testing.F) {
	f.Add(uint8(0), "c", int32(0), uint8(3), int64(0), int32(-1))
	f.Add(uint8(5), "", int32(2_000_000_000), uint8(9), int64(-1), int32(4))
	f.Add(uint8(1), "c", int32(-1_514), uint8(8), int64(1<<62), int32(-1_514))
	f.Add(uint8(2), "c", int32(2_085), uint8(0), int64(-(1 << 62)), int32(2_085))
	f.Fuzz(func(t *testing.T, mkt uint8, creator string, monthOff int32, lvl uint8, atOffset int64, trendOff int32) {
		ctx := context.Background()
		ev := fuzzEvaluator(t)
		market := pick(fuzzMarkets, mkt)
		m := march2026.Add(int(monthOff))
		r := level.Record{Market: market, Creator: creator, Month: m, Level: level.Level(lvl)}
		at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC).Add(time.Duration(atOffset))
		if atOffset == -1 {
			at = time.Time{}
		}
		deadline.Within(t, time.Second, func() {
			var h level.MemoryHistory
			for i := range 3 { // three consecutive months, so TrendAt has a run to read
				ri := r
				ri.Month = m.Add(-i)
				err := h.Put(ctx, ri)
				if (err == nil) != (ri.Validate() == nil) {
					t.Fatalf("Put(%+v) = %v, Validate = %v", ri, err, ri.Validate())
				}
				l, ok, gerr := h.Get(ctx, ri.Market, ri.Creator, ri.Month)
				switch {
				case gerr != nil && (ok || l != level.L0):
					t.Fatalf("Get = %s, %t beside the error %v", l, ok, gerr)
				case err == nil && (gerr != nil || !ok || l != ri.Level):
					t.Fatalf("Get after Put(%+v) = %s, %t, %v", ri, l, ok, gerr)
				case err != nil && ok:
					t.Fatalf("refused record %+v stored as %s", ri, l)
				}
			}
			l, ok, err := level.LevelAt(ctx, &h, market, creator, at)
			if err != nil && (ok || l != level.L0) || !l.Valid() {
				t.Fatalf("LevelAt = %s, %t, %v", l, ok, err)
			}
			tr, ok, err := ev.TrendAt(ctx, &h, market, creator, march2026.Add(int(trendOff)))
			switch {
			case err != nil && (ok || tr.Months != 0):
				t.Fatalf("TrendAt = %+v, %t beside the error %v", tr, ok, err)
			case err == nil && ok:
				if tr.Months < 1 || tr.Months > 3 {
					t.Fatalf("TrendAt read %d months", tr.Months)
				}
				checkDecision(t, "reliability", tr.Reliability)
			case err == nil && !ok && tr.Months != 0:
				t.Fatalf("TrendAt = %+v without a level", tr)
			}
		})
	})
}
