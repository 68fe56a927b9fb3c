// Command levels walks through a monthly creator-level refresh (SPEC §1): a month of promotion
// and product-selection events for a few creators in two markets, the refresh that turns them
// into next month's levels, drop warnings from the level history (a drop both significant and
// consistent), who may see a level, and what a seller or partner sees of a creator's Marketplace
// profile (creator kind, GPM, data authorisation).
package main

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
)

type promo struct {
	creator  string
	day      int // day of February, local time
	hour     int
	kind     level.Promotion
	product  string
	category affrules.Category
	gmv      string
}

func main() {
	ctx := context.Background()
	ev, err := level.New(level.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}
	feb := affrules.NewMonth(2026, time.February)
	march := feb.Add(1)

	// Levels already on record for January and February (LVL-3).
	var history level.MemoryHistory
	past := map[affrules.MarketCode]map[string][2]level.Level{
		affrules.UK: {"amy": {level.L3, level.L3}, "ben": {level.L6, level.L5}, "cal": {level.L2, level.L2}},
		affrules.TH: {"nok": {level.L2, level.L3}, "dao": {level.L5, level.L5}},
	}
	for market, creators := range past {
		for creator, levels := range creators {
			for i, l := range levels {
				r := level.Record{Market: market, Creator: creator, Month: feb.Add(i - 1), Level: l}
				if err := history.Put(ctx, r); err != nil {
					log.Fatal(err)
				}
			}
		}
	}

	// February's promotions and product selections, in each market's local time (MKT-2).
	events := map[affrules.MarketCode][]promo{
		affrules.UK: {
			{"amy", 2, 19, level.PromoLive, "kettle", "home", "820.00"},
			{"amy", 2, 21, level.PromoVideo, "kettle", "home", "335.50"}, // same day: still one active day (LVL-4)
			{"amy", 9, 18, level.PromoLive, "toaster", "home", "610.00"},
			{"amy", 12, 18, level.PromoVideo, "toaster", "home", "0"},
			{"amy", 16, 18, level.PromoLive, "mug", "home", "280.00"},
			{"amy", 20, 9, level.Selection, "scarf", "fashion", "0"}, // selected, not promoted: breadth, not an active day
			{"amy", 23, 18, level.PromoVideo, "kettle", "home", "95.00"},
			{"amy", 28, 23, level.PromoLinkShare, "mug", "home", "12.00"}, // 23:xx on the last day counts for February
			{"ben", 14, 12, level.PromoVideo, "scarf", "fashion", "40.00"},
		},
		affrules.TH: {
			{"nok", 1, 0, level.PromoLive, "serum", "beauty", "4500.00"}, // 00:xx local is still 31 January in UTC
			{"nok", 5, 20, level.PromoLive, "serum", "beauty", "6200.00"},
			{"nok", 12, 20, level.PromoLive, "toner", "beauty", "5100.00"},
			{"nok", 19, 20, level.PromoVideo, "mask", "beauty", "3900.00"},
			{"nok", 26, 20, level.PromoLive, "serum", "beauty", "7300.00"},
			{"dao", 3, 10, level.PromoLinkShare, "phone case", "electronics", "900.00"},
			{"dao", 20, 10, level.PromoLinkShare, "charger", "electronics", "1500.00"},
		},
	}

	fmt.Printf("Levels for %s, from %s's promotions\n", march, feb)
	for _, market := range []affrules.MarketCode{affrules.UK, affrules.TH} {
		mk, err := affrules.LookupMarket(market)
		if err != nil {
			log.Fatal(err)
		}
		agg, err := level.NewAggregator(market, feb)
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range events[market] {
			at := time.Date(2026, time.February, p.day, p.hour, 30, 0, 0, mk.Location())
			e := level.Event{Creator: p.creator, At: at, Kind: p.kind, Product: p.product, Category: p.category, GMV: decimal.RequireFromString(p.gmv)}
			if err := agg.Add(e); err != nil {
				log.Fatal(err)
			}
		}
		// A promotion from March is not February's: the aggregator refuses it.
		late := level.Event{Creator: "amy", At: march.Period(mk).Start, Kind: level.PromoLive}
		if err := agg.Add(late); err != nil {
			fmt.Printf("  rejected: %v\n", err)
		}

		// Every creator with February promotions, then those on record who had none (cal): they
		// are refreshed from a performance of zero, so their drop is on record too (LVL-3).
		perf := func(yield func(string, level.Performance) bool) {
			seen := make(map[string]bool)
			for c, p := range agg.All() {
				seen[c] = true
				if !yield(c, p) {
					return
				}
			}
			for _, c := range slices.Sorted(maps.Keys(past[market])) {
				if !seen[c] && !yield(c, agg.Performance(c)) {
					return
				}
			}
		}
		for r, err := range ev.Refresh(market, march, perf) {
			if err != nil {
				log.Fatal(err)
			}
			if err := history.Put(ctx, r); err != nil {
				log.Fatal(err)
			}
			p := agg.Performance(r.Creator)
			tr, _, err := ev.TrendAt(ctx, &history, market, r.Creator, march)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("  %s %-4s %s  GMV %10s %s, %2d active days, %d products in %d categories; %s\n",
				market, r.Creator, r.Level, p.GMV().StringFixed(mk.MinorUnit), mk.Currency, p.ActiveDays(), p.Products(), p.Categories(), tr)
			switch {
			case !tr.Reliability.Allowed:
				for _, reason := range tr.Reliability.Failures() {
					fmt.Printf("      warning for sellers: %s\n", reason)
				}
			case tr.Drop == level.SignificantDrop:
				fmt.Printf("      no warning: significant, but the first drop in a row (LVL-6 warns of significant and consistent)\n")
			case tr.Consistent:
				fmt.Printf("      no warning: %d drops in a row, but slight (LVL-6 warns of significant and consistent)\n", tr.DropStreak)
			}
			d, err := ev.Benefit("leaderboard", r.Level)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("      leaderboard: %s\n", d)
		}
	}

	// Who may see amy's level (LVL-5)? Affiliate partners only where the policy allows it.
	fmt.Println("Who may see amy's level")
	viewers := []level.Viewer{
		{Role: level.RoleCreator, ID: "amy"},
		{Role: level.RoleCreator, ID: "ben"},
		{Role: level.RoleSeller, ID: "kettle-shop"},
		{Role: level.RolePartner, ID: "mcn-london"},
		{Role: level.RoleBuyer, ID: "shopper-7"},
	}
	at := time.Date(2026, time.March, 10, 12, 0, 0, 0, time.UTC)
	l, _, err := level.LevelAt(ctx, &history, affrules.UK, "amy", at)
	if err != nil {
		log.Fatal(err)
	}
	show := func(ev *level.Evaluator, v level.Viewer) {
		d, err := ev.Visible(v, "amy")
		if err != nil {
			log.Fatal(err)
		}
		shown := "hidden"
		if d.Allowed {
			shown = l.String()
		}
		fmt.Printf("  %-7s %-12s %-6s %s\n", v.Role, v.ID, shown, d)
	}
	for _, v := range viewers {
		show(ev, v)
	}
	partnersPolicy, err := level.ParsePolicy([]byte(`{"partners_see_level": true}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("  with \"partners_see_level\": true")
	show(level.MustNew(partnersPolicy), viewers[3])

	// The Marketplace profiles a seller looking for LIVE and video creators filters by kind
	// (LVL-11), as a partner sees them (LVL-12): nok has not authorised data sharing (ELG-8).
	fmt.Println("Marketplace profiles, for a seller who needs LIVE and short video")
	profiles := []level.Profile{
		{Creator: "amy", Kind: level.AffiliateCreator, DataAuthorised: true, Category: "home", Labels: []string{"kitchen", "home decor"},
			LabelIcons: []string{"rising-star"}, Rating: decimal.RequireFromString("4.6"), ProductVolume: 42,
			Followers: level.Followers{Count: 18_400, Age: map[string]affrules.Rate{"25-34": affrules.MustParseRate("55%")}},
			Video:     level.GPM{GMV: decimal.RequireFromString("1800.50"), Exposures: 61_000},
			Live:      level.GPM{GMV: decimal.RequireFromString("1710.00"), Exposures: 9_500}},
		{Creator: "nok", Kind: level.AffiliateCreator, Category: "beauty", Labels: []string{"skincare"},
			LabelIcons: []string{"top-seller"}, Rating: decimal.RequireFromString("4.9"), ProductVolume: 12,
			Followers: level.Followers{Count: 230_000, Age: map[string]affrules.Rate{"18-24": affrules.MustParseRate("61%")}},
			Video:     level.GPM{GMV: decimal.RequireFromString("3900"), Exposures: 15_600},
			Live:      level.GPM{GMV: decimal.RequireFromString("23100"), Exposures: 0}}, // no exposures: no data
		{Creator: "dao", Kind: level.LinkShareOnly, DataAuthorised: true, Category: "electronics"},
	}
	needsContent := level.ByKind(level.AffiliateCreator)
	partner := level.Viewer{Role: level.RolePartner, ID: "mcn-london"}
	for _, p := range profiles {
		if !needsContent(p) {
			fmt.Printf("  %-4s %s: filtered out (can promote by LIVE: %v)\n", p.Creator, p.Kind, p.Kind.Promotes(level.PromoLive))
			continue
		}
		v, err := ev.ProfileView(p, partner)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("  %-4s %s, %s %v, rating %s, %d products, %d followers %v, icons %v, GPM video %s, LIVE %s; data %s\n",
			v.Creator, v.Kind, v.Category, v.Labels, v.Rating, v.ProductVolume, v.Followers.Count, v.Followers.Age, v.LabelIcons,
			v.Video, v.Live, v.Data)
	}
	// nok sees her own data; her LIVEs had no shopping-cart exposures, so their GPM has no data.
	v, err := ev.ProfileView(profiles[1], level.Viewer{Role: level.RoleCreator, ID: "nok"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("  nok, to herself: icons %v, GPM video %s, LIVE %s; data %s\n", v.LabelIcons, v.Video, v.Live, v.Data)
}
