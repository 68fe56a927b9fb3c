package level_test

import (
	"context"
	"fmt"
	"slices"
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
	feb := affrules.NewMonth(2026, time.February)
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
		fmt.Printf("%s %s: %s (GMV %s, %d active days, %d products)\n", r.Market, r.Month, r.Level, p.GMV().StringFixed(2), p.ActiveDays(), p.Products())
	}
	// Output:
	// TH 2026-03: L3 (GMV 20000.00, 10 active days, 4 products)
	// TH 2026-03: L1 (GMV 0.00, 1 active days, 1 products)
}

// A creator given twice, or whose performance is for another month, is an error naming them,
// beside the zero Record. A loop that stores whatever it is given, ignoring the error, stores
// nothing wrong: the history refuses the zero Record.
func ExampleEvaluator_Refresh_badInput() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	feb := affrules.NewMonth(2026, time.February)
	perf := func(m affrules.Month, gmv int64) level.Performance {
		p, err := level.NewPerformance(affrules.UK, m, level.Totals{GMV: decimal.NewFromInt(gmv), ActiveDays: 10, Products: 4, Categories: 2})
		if err != nil {
			panic(err)
		}
		return p
	}
	input := []struct {
		creator string
		perf    level.Performance
	}{{"amy", perf(feb, 2_500)}, {"ben", perf(feb.Add(1), 900)}, {"amy", perf(feb, 60_000)}}
	var history level.MemoryHistory
	ctx := context.Background()
	for r, err := range ev.Refresh(affrules.UK, feb.Add(1), func(yield func(string, level.Performance) bool) {
		for _, in := range input {
			if !yield(in.creator, in.perf) {
				return
			}
		}
	}) {
		fmt.Printf("%+v, %v\n", r, err)
		if err := history.Put(ctx, r); err != nil { // careless: this record came beside an error
			fmt.Println("  not stored")
		}
	}
	l, _, _ := level.LevelAt(ctx, &history, affrules.UK, "amy", time.Date(2026, time.March, 10, 12, 0, 0, 0, time.UTC))
	fmt.Println("amy in March:", l)
	// Output:
	// {Market:UK Creator:amy Month:2026-03 Level:L4}, <nil>
	// {Market: Creator: Month:0000-01 Level:L0}, level: performance["ben"].month 2026-03: 2026-03's level comes from 2026-02's performance (LVL-2): out of range
	//   not stored
	// {Market: Creator: Month:0000-01 Level:L0}, level: creator "amy": is given more than once in the refresh of UK for 2026-03: only its first performance counts (LVL-3)
	//   not stored
	// amy in March: L4
}

// Active days come from promotion events; GMV and breadth come as totals from the host's order
// system. A creator with no promotion at all is refreshed too, from a performance of zero.
func ExampleNewPerformance() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	feb := affrules.NewMonth(2026, time.February)
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
			p, err := level.NewPerformance(affrules.MY, feb, level.Totals{
				GMV: decimal.RequireFromString(totals[c].gmv), ActiveDays: days, Products: totals[c].breadth, Categories: min(totals[c].breadth, 1)})
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
	feb := affrules.NewMonth(2026, time.February)
	perf, err := level.NewPerformance(affrules.UK, feb, level.Totals{GMV: decimal.RequireFromString("60000"), ActiveDays: 3, Products: 2, Categories: 2})
	if err != nil {
		panic(err)
	}
	table, _ := p.Tables[affrules.UK].At(time.Time{}) // the default table, in force from the zero instant
	for _, scheme := range []level.Scheme{level.HighestMet, level.GMVBand} {
		table.Scheme = scheme
		tl, err := affrules.NewTimeline(affrules.Effective[level.Table]{Value: table})
		if err != nil {
			panic(err)
		}
		p.Tables[affrules.UK] = tl
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

// By default sellers are warned only of a drop both significant and consistent; the policy can
// warn of either alone.
func ExampleEvaluator_Trend() {
	p := level.DefaultPolicy()
	ev, err := level.New(p)
	if err != nil {
		panic(err)
	}
	p.Trend.WarnOnEither = true
	either, err := level.New(p)
	if err != nil {
		panic(err)
	}
	for _, levels := range [][]level.Level{{level.L5, level.L4}, {level.L6, level.L5, level.L4}, {level.L6, level.L6, level.L3}, {level.L7, level.L6, level.L3}} {
		tr, err := ev.Trend(levels...)
		if err != nil {
			panic(err)
		}
		tre, err := either.Trend(levels...)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%v: %s, consistent %v; warned: %v by default, %v on either\n", levels, tr, tr.Consistent,
			!tr.Reliability.Allowed, !tre.Reliability.Allowed)
	}
	tr, _ := ev.Trend(level.L7, level.L6, level.L3)
	for _, r := range tr.Reliability.Failures() {
		fmt.Println(r)
	}
	// Output:
	// [L5 L4]: down by 1 (slight drop), consistent false; warned: false by default, false on either
	// [L6 L5 L4]: down by 1 (slight drop), consistent true; warned: false by default, true on either
	// [L6 L6 L3]: down by 3 (significant drop), consistent false; warned: false by default, true on either
	// [L7 L6 L3]: down by 3 (significant drop), consistent true; warned: true by default, true on either
	// LVL-6 failed: significant level drop: the creator may be unreliable (observed down by 3 (L6 → L3), limit a drop of fewer than 2 levels)
	// LVL-6 failed: consistent level drop: the creator may be unreliable (observed down 2 months running, limit fewer than 2 consecutive monthly drops)
}

func ExampleLevelAt() {
	ctx := context.Background()
	var h level.MemoryHistory
	march := affrules.NewMonth(2026, time.March)
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
	jan := affrules.NewMonth(2026, time.January)
	for i, l := range []level.Level{level.L7, level.L6, level.L4} {
		if err := h.Put(ctx, level.Record{Market: affrules.MY, Creator: "siti", Month: jan.Add(i), Level: l}); err != nil {
			panic(err)
		}
	}
	tr, ok, err := ev.TrendAt(ctx, &h, affrules.MY, "siti", jan.Add(2))
	fmt.Println(tr, ok, err)
	for _, r := range tr.Reliability.Failures() {
		fmt.Println(r.Message())
	}
	// Output:
	// down by 2 (significant drop) true <nil>
	// significant level drop: the creator may be unreliable
	// consistent level drop: the creator may be unreliable
}

func ExampleEvaluator_Benefit() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	for _, l := range []level.Level{level.L5, level.L3} {
		d, err := ev.Benefit("leaderboard", l)
		fmt.Println(l, d, err)
	}
	d, _ := ev.Benefit("leaderboard", level.L3)
	r := d.Reasons[0] // typed: compare levels without reading the text
	fmt.Println(r.Key, r.Subject, r.Observed.Int() < r.Limit.Int())
	// Output:
	// L5 allowed <nil>
	// L3 denied: LVL-7 failed: leaderboard requires level L4 (observed L3, limit L4 or above) <nil>
	// level.lvl7.below_min_level leaderboard true
}

// A host in Indonesia shows reasons in Bahasa Indonesia from the message keys and typed values,
// with its own catalog; keys it has no template for stay in English.
func ExampleEvaluator_Benefit_catalog() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	id := affrules.Catalog{Messages: map[affrules.MessageKey]string{
		"level.lvl7.below_min_level": "{subject} memerlukan level {limit} atau lebih tinggi (level Anda {observed})",
	}}
	d, err := ev.Benefit("leaderboard", level.L2)
	if err != nil {
		panic(err)
	}
	fmt.Println(id.Decision(d))
	v, err := ev.Visible(level.Viewer{Role: level.RoleBuyer}, "amy")
	if err != nil {
		panic(err)
	}
	fmt.Println(id.Decision(v))
	// Output:
	// [leaderboard memerlukan level L4 atau lebih tinggi (level Anda L2)]
	// [LVL-5 failed: buyers and general users do not see creator levels (observed buyer, limit the creator themself or a seller)]
}

// Affiliate partners (MCN/TAP) see levels only where the policy allows it.
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
		d, err := ev.Visible(v, "amy")
		fmt.Println(v.Role, d.Allowed, err)
	}
	p, err := level.ParsePolicy([]byte(`{"partners_see_level": true}`))
	if err != nil {
		panic(err)
	}
	d, err := level.MustNew(p).Visible(level.Viewer{Role: level.RolePartner, ID: "mcn-9"}, "amy")
	fmt.Println("partner, when the policy allows:", d.Allowed, err)
	var zero level.Evaluator // no policy: denies, and says why
	d, err = zero.Visible(level.Viewer{Role: level.RoleSeller}, "amy")
	fmt.Println(d.Allowed, err)
	// Output:
	// creator true <nil>
	// seller true <nil>
	// partner false <nil>
	// buyer false <nil>
	// partner, when the policy allows: true <nil>
	// false level: Evaluator.Visible: the Evaluator has no policy: build it with level.New
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
	b, err := ev.Badges(level.BadgeInput{
		ReplyRate: affrules.MustParseRate("92%"), ReplyTime: 3 * time.Hour, Posts: posts,
		SampleFulfilment: affrules.MustParseRate("74%"), MarketAverage: affrules.MustParseRate("68%"),
	}, at)
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
	// Settings left out keep their defaults: partners still do not see levels, the default
	// tables stay; inside "trend", "warn_on_either" may be left out, false.
	p, err := level.ParsePolicy([]byte(`{"trend": {"significant_drop": 3, "consistent_months": 2}}`))
	fmt.Println(p.PartnersSeeLevel, p.Trend.SignificantDrop, len(p.Tables), err)

	// Shape problems, all at once: a key given twice, a field of a table version left out, a
	// key that matches only when case is ignored.
	_, err = level.ParsePolicy([]byte(`{"tables": {"UK": [{"from": "2026-04-01T00:00:00+01:00",
		"value": {"scheme": "gmv_band", "scheme": "highest_met", "levels": [{"gmv": "0", "active_days": 1}]}}]},
		"Tie_Type": "live"}`))
	fmt.Println(err)

	// Then the values, all at once.
	_, err = level.ParsePolicy([]byte(`{"tables": {"UK": [{"from": "2026-04-01T00:00:00+01:00",
		"value": {"scheme": "best", "levels": []}}]}, "trend": {"significant_drop": 0, "consistent_months": 2}}`))
	fmt.Println(err)
	// Output:
	// false 3 7 <nil>
	// level: policy.tables[UK][0].value "scheme": key is given twice; the first value would be silently dropped
	// level: policy.tables[UK][0].value.levels[0].breadth (absent): is required: left out it would silently be zero
	// level: policy "Tie_Type": is not a field: keys are case-sensitive (did you mean "tie_type"?)
	// level: policy.tables[UK][0].scheme "best": must be "highest_met" or "gmv_band" (LVL-2)
	// level: policy.tables[UK][0].levels 0: must list the thresholds of L1 … L8, 8 entries (LVL-1, LVL-2)
	// level: policy.trend.significant_drop 0: must be between 1 and 8 levels (LVL-6): out of range
}

// Breadth is the diversity of the products a creator selected: a selection counts toward it
// without making the day active, and a table may count categories instead of products.
func ExampleAggregator_Add() {
	feb := affrules.NewMonth(2026, time.February)
	agg, err := level.NewAggregator(affrules.UK, feb)
	if err != nil {
		panic(err)
	}
	london, _ := time.LoadLocation("Europe/London")
	for _, e := range []level.Event{
		{Kind: level.PromoLive, Product: "kettle", Category: "home"},
		{Kind: level.PromoVideo, Product: "toaster", Category: "home"},
		{Kind: level.Selection, Product: "scarf", Category: affrules.Fashion}, // selected, not yet promoted
	} {
		e.Creator, e.At = "amy", time.Date(2026, time.February, 3, 18, 0, 0, 0, london)
		if err := agg.Add(e); err != nil {
			panic(err)
		}
	}
	p := agg.Performance("amy")
	fmt.Println(p.ActiveDays(), "active day,", p.Products(), "products,", p.Categories(), "categories")
	// Output:
	// 1 active day, 3 products, 2 categories
}

// A table may require an e-commerce capability, a metric the host computes, from some level up;
// the host adds it to each performance.
func ExamplePerformance_WithCapability() {
	p := level.DefaultPolicy()
	table, _ := p.Tables[affrules.UK].At(time.Time{})
	table.Levels = slices.Clone(table.Levels)
	for i := 4; i < 8; i++ { // L5 … L8 need a capability of 60 or more
		c := decimal.NewFromInt(60)
		table.Levels[i].Capability = &c
	}
	tl, err := affrules.NewTimeline(affrules.Effective[level.Table]{Value: table})
	if err != nil {
		panic(err)
	}
	p.Tables[affrules.UK] = tl
	ev := level.MustNew(p)

	feb := affrules.NewMonth(2026, time.February)
	perf, err := level.NewPerformance(affrules.UK, feb, level.Totals{GMV: decimal.NewFromInt(25_000), ActiveDays: 14, Products: 9, Categories: 4})
	if err != nil {
		panic(err)
	}
	_, err = ev.Assign(affrules.UK, feb.Add(1), perf)
	fmt.Println(err)
	for _, c := range []string{"59.5", "60"} {
		withCap, err := perf.WithCapability(decimal.RequireFromString(c))
		if err != nil {
			panic(err)
		}
		l, err := ev.Assign(affrules.UK, feb.Add(1), withCap)
		fmt.Println("capability", c, l, err)
	}
	// Output:
	// level: performance.capability (none): 2026-03's thresholds in UK set an e-commerce capability threshold: supply one with Performance.WithCapability (LVL-2)
	// capability 59.5 L4 <nil>
	// capability 60 L6 <nil>
}

// GPM is GMV per 1,000 shopping-cart exposures, held exactly; without exposures there is no data.
func ExampleGPM() {
	for _, g := range []level.GPM{
		{GMV: decimal.RequireFromString("45.60"), Exposures: 1},
		{GMV: decimal.RequireFromString("100"), Exposures: 3},
		{GMV: decimal.RequireFromString("100"), Exposures: 0},
	} {
		idr, _ := g.Round(0, affrules.HalfUp) // to whole rupiah, say
		fmt.Println(g, idr, g.HasData())
	}
	third := level.GPM{GMV: decimal.NewFromInt(1), Exposures: 3}
	fmt.Println(third.Cmp(level.GPM{GMV: decimal.RequireFromString("0.333333"), Exposures: 1})) // exact: 333.33… > 333.333
	// Output:
	// 45600.00 45600 true
	// 33333.33 33333 true
	// no data 0 false
	// 1
}

// A seller who needs content (LIVE and short video) filters out link-share-only creators; one who
// needs links only is served by either kind. Collaboration Plus reads what each kind can do.
func ExampleByKind() {
	profiles := []level.Profile{
		{Creator: "amy", Kind: level.AffiliateCreator},
		{Creator: "ben", Kind: level.LinkShareOnly},
	}
	for _, need := range []level.Kind{level.LinkShareOnly, level.AffiliateCreator} {
		keep := level.ByKind(need)
		var chosen []string
		for _, p := range profiles {
			if keep(p) {
				chosen = append(chosen, p.Creator)
			}
		}
		fmt.Println(need, chosen)
	}
	fmt.Println(level.LinkShareOnly.Promotes(level.PromoLive), level.AffiliateCreator.Promotes(level.PromoLive))
	// Output:
	// link_share_only [amy ben]
	// affiliate_creator [amy]
	// false true
}

// A creator who has not authorised data sharing shows their basic profile, but no label icons
// and no performance data, to anyone but themself.
func ExampleEvaluator_ProfileView() {
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	p := level.Profile{
		Creator: "siti", Kind: level.AffiliateCreator, Category: "beauty", Labels: []string{"skincare", "makeup"},
		LabelIcons: []string{"rising-star"}, Rating: decimal.RequireFromString("4.7"), ProductVolume: 85,
		Followers: level.Followers{Count: 120_000, Gender: map[string]affrules.Rate{"female": affrules.MustParseRate("82%")}},
		Video:     level.GPM{GMV: decimal.RequireFromString("15200.50"), Exposures: 48_000},
		Live:      level.GPM{GMV: decimal.RequireFromString("9800"), Exposures: 12_250},
	}
	for _, authorised := range []bool{true, false} {
		p.DataAuthorised = authorised
		v, err := ev.ProfileView(p, level.Viewer{Role: level.RolePartner, ID: "mcn-1"})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %v, %d followers %v, icons %v, GPM video %s live %s; %s\n",
			v.Category, v.Labels, v.Followers.Count, v.Followers.Gender, v.LabelIcons, v.Video, v.Live, v.Data)
	}
	p.Labels = append(p.Labels, "haircare", "fashion")
	_, err = ev.ProfileView(p, level.Viewer{Role: level.RolePartner, ID: "mcn-1"})
	fmt.Println(err)
	// Output:
	// beauty [skincare makeup], 120000 followers map[female:82%], icons [rising-star], GPM video 316.68 live 800.00; allowed
	// beauty [skincare makeup], 120000 followers map[], icons [], GPM video no data live no data; denied: LVL-12 failed: the creator has not authorised data sharing: label icons and performance data are hidden (ELG-8)
	// level: profile.labels 4: a profile shows at most 3 main industry labels (LVL-12): out of range
}
