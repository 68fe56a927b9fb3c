package level_test

import (
	"context"
	"fmt"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
)

// A month of promotion events becomes next month's levels.
func ExampleEvaluator_Refresh() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	feb := level.NewMonth(2026, time.February)
	agg, err := level.NewAggregator(affrules.TH, feb)
	if err != nil {
		panic(err)
	}
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	for d := 1; d <= 10; d++ {
		// Two promotions a day for "nok", the second at 23:30 local time: ten active days.
		for _, h := range []int{9, 23} {
			at := time.Date(2026, time.February, d, h, 30, 0, 0, bkk)
			e := level.Event{Creator: "nok", At: at, Kind: level.PromoLive, Product: fmt.Sprint("p", d%4), GMV: decimal.NewFromInt(1_000)}
			if err := agg.Add(e); err != nil {
				panic(err)
			}
		}
	}
	if err := agg.Add(level.Event{Creator: "dao", At: time.Date(2026, time.February, 3, 12, 0, 0, 0, bkk), Kind: level.PromoLinkShare, Product: "p1"}); err != nil {
		panic(err)
	}
	for r, err := range ev.Refresh(affrules.TH, feb.Add(1), agg.All()) {
		if err != nil {
			panic(err)
		}
		p := agg.Performance(r.Creator)
		fmt.Printf("%s %s: %s (GMV %s, %d active days, breadth %d)\n", r.Market, r.Month, r.Level, p.GMV().StringFixed(2), p.ActiveDays(), p.Breadth())
	}
	// Output:
	// TH 2026-03: L3 (GMV 20000.00, 10 active days, breadth 4)
	// TH 2026-03: L1 (GMV 0.00, 1 active days, breadth 1)
}

// Active days come from promotion events; GMV and breadth come as totals from the host's order
// system. A creator with no promotion at all is refreshed too, from a performance of zero.
func ExampleNewPerformance() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	feb := level.NewMonth(2026, time.February)
	agg, err := level.NewAggregator(affrules.MY, feb)
	if err != nil {
		panic(err)
	}
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	for _, d := range []int{2, 2, 9, 16, 23} { // two promotions on the 2nd: four active days
		at := time.Date(2026, time.February, d, 20, 0, 0, 0, kl)
		if err := agg.Add(level.Event{Creator: "aina", At: at, Kind: level.PromoVideo}); err != nil {
			panic(err)
		}
	}
	totals := map[string]struct {
		gmv     string
		breadth int
	}{"aina": {"3250.40", 3}, "hafiz": {"0", 0}}
	perf := func(yield func(string, level.Performance) bool) {
		for _, c := range []string{"aina", "hafiz"} {
			days := agg.Performance(c).ActiveDays() // zero for hafiz, who has no events
			p, err := level.NewPerformance(affrules.MY, feb, decimal.RequireFromString(totals[c].gmv), days, totals[c].breadth)
			if err != nil {
				panic(err)
			}
			if !yield(c, p) {
				return
			}
		}
	}
	for r, err := range ev.Refresh(affrules.MY, feb.Add(1), perf) {
		fmt.Println(r.Creator, r.Month, r.Level, err)
	}
	// Output:
	// aina 2026-03 L3 <nil>
	// hafiz 2026-03 L0 <nil>
}

// The two assignment schemes disagree on a creator with high GMV and little activity.
func ExampleEvaluator_Assign() {
	p := level.DefaultPolicy()
	feb := level.NewMonth(2026, time.February)
	perf, err := level.NewPerformance(affrules.UK, feb, decimal.RequireFromString("60000"), 3, 2)
	if err != nil {
		panic(err)
	}
	for _, scheme := range []level.Scheme{level.HighestMet, level.GMVBand} {
		p.Tables[affrules.UK][0].Value.Scheme = scheme
		ev, err := level.New(p)
		if err != nil {
			panic(err)
		}
		l, err := ev.Assign(affrules.UK, feb.Add(1), perf)
		if err != nil {
			panic(err)
		}
		fmt.Println(scheme, l)
	}
	// Output:
	// highest_met L2
	// gmv_band L6
}

func ExampleEvaluator_Trend() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	for _, levels := range [][]level.Level{{level.L5, level.L4}, {level.L6, level.L5, level.L4}, {level.L6, level.L3}} {
		tr, err := ev.Trend(levels...)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%v: %s; %s\n", levels, tr, tr.Reliability)
	}
	// Output:
	// [L5 L4]: down by 1 (slight drop); allowed
	// [L6 L5 L4]: down by 1 (slight drop); denied: LVL-6 failed: consistent level drop: the creator may be unreliable (observed down 2 months running, limit fewer than 2 consecutive monthly drops)
	// [L6 L3]: down by 3 (significant drop); denied: LVL-6 failed: significant level drop: the creator may be unreliable (observed down by 3 (L6 → L3), limit a drop of fewer than 2 levels)
}

func ExampleLevelAt() {
	ctx := context.Background()
	var h level.MemoryHistory
	march := level.NewMonth(2026, time.March)
	if err := h.Put(ctx, level.Record{Market: affrules.UK, Creator: "amy", Month: march, Level: level.L4}); err != nil {
		panic(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	for _, at := range []time.Time{
		time.Date(2026, time.February, 28, 23, 59, 0, 0, london),
		time.Date(2026, time.March, 31, 23, 30, 0, 0, london), // 22:30 UTC, British Summer Time
	} {
		l, ok, err := level.LevelAt(ctx, &h, affrules.UK, "amy", at)
		fmt.Println(at.Format("Jan 2 15:04 MST"), l, ok, err)
	}
	// Output:
	// Feb 28 23:59 GMT L0 false <nil>
	// Mar 31 23:30 BST L4 true <nil>
}

func ExampleEvaluator_TrendAt() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	var h level.MemoryHistory
	jan := level.NewMonth(2026, time.January)
	for i, l := range []level.Level{level.L7, level.L6, level.L4} {
		if err := h.Put(ctx, level.Record{Market: affrules.MY, Creator: "siti", Month: jan.Add(i), Level: l}); err != nil {
			panic(err)
		}
	}
	tr, ok, err := ev.TrendAt(ctx, &h, affrules.MY, "siti", jan.Add(2))
	fmt.Println(tr, ok, err)
	for _, r := range tr.Reliability.Failures() {
		fmt.Println(r.Message)
	}
	// Output:
	// down by 2 (significant drop) true <nil>
	// significant level drop: the creator may be unreliable
	// consistent level drop: the creator may be unreliable
}

func ExampleEvaluator_Eligible() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	for _, l := range []level.Level{level.L5, level.L3} {
		d, err := ev.Eligible("leaderboard", l)
		fmt.Println(l, d, err)
	}
	// Output:
	// L5 allowed <nil>
	// L3 denied: LVL-7 failed: leaderboard requires level L4 (observed L3, limit L4 or above) <nil>
}

func ExampleEvaluator_Visible() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	for _, v := range []level.Viewer{
		{Role: level.RoleCreator, ID: "amy"},
		{Role: level.RoleSeller, ID: "shop-1"},
		{Role: level.RolePartner, ID: "mcn-9"},
		{Role: level.RoleBuyer, ID: "bob"},
	} {
		fmt.Println(v.Role, ev.Visible(v, "amy").Allowed)
	}
	// Output:
	// creator true
	// seller true
	// partner true
	// buyer false
}

func ExampleEvaluator_Score() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	in := level.ScoreInput{GMV: decimal.NewFromInt(50_000_000), LiveCount: 12, LiveViewers: 400, ViewingSeconds: 90,
		VideoCount: 30, VideoViews: 10_000, Completion: affrules.MustParseRate("20%")}
	for _, m := range []affrules.MarketCode{affrules.ID, affrules.VN} {
		s, ok, err := ev.Score(m, in)
		fmt.Println(m, s, ok, err)
	}
	// Output:
	// ID 32.5 true <nil>
	// VN 0 false <nil>
}

func ExampleEvaluator_TypeOf() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	t, err := ev.TypeOf(decimal.RequireFromString("1200.50"), decimal.RequireFromString("980"))
	fmt.Println(t, err)
	t, err = ev.TypeOf(decimal.RequireFromString("500"), decimal.RequireFromString("500.00"))
	fmt.Println(t, err)
	// Output:
	// live <nil>
	// mixed <nil>
}

func ExampleEvaluator_Badges() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, time.March, 31, 12, 0, 0, 0, time.UTC)
	var posts []time.Time
	for d := range 15 {
		posts = append(posts, at.AddDate(0, 0, -2*d))
	}
	b, err := ev.Badges(at, level.BadgeInput{
		ReplyRate: affrules.MustParseRate("92%"), ReplyTime: 3 * time.Hour, Posts: posts,
		SampleFulfilment: affrules.MustParseRate("74%"), MarketAverage: affrules.MustParseRate("68%"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("quick to respond:", b.QuickToRespond)
	fmt.Println("posts frequently:", b.PostsFrequently)
	fmt.Println("reliable with samples:", b.ReliableWithSamples)
	// Output:
	// quick to respond: allowed
	// posts frequently: allowed
	// reliable with samples: denied: LVL-10 failed: reliable with samples: fulfilment rate not well above the market average (observed 74%, limit at least 78% (market average 68% + 10%))
}

func ExampleParsePolicy() {
	_, err := level.ParsePolicy([]byte(`{"tables": {"UK": [
		{"from": "2026-04-01T00:00:00+01:00", "value": {"scheme": "highest_met", "levels": []}},
		{"from": "2026-01-01T00:00:00Z", "value": {"scheme": "gmv_band", "levels": []}}
	]}, "partners_see_level": true, "trend": {"significant_drop": 2, "consistent_months": 2},
	"tie_type": "mixed", "badges": {"min_reply_rate": "80%", "max_reply_minutes": 720, "post_window_days": 30, "min_posts": 12, "sample_margin": "10%"}}`))
	fmt.Println(err)
	// Output:
	// level: tables[UK][0].levels 0: must list the thresholds of L1 … L8, 8 entries (LVL-1, LVL-2)
	// level: tables[UK][1].from 2026-01-01T00:00:00Z: must be after version 0's 2026-04-01T00:00:00+01:00: versions may not overlap or go backwards
	// level: tables[UK][1].levels 0: must list the thresholds of L1 … L8, 8 entries (LVL-1, LVL-2)
}
