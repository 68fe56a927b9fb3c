// Command levels walks through a monthly creator-level refresh (SPEC §1): a month of promotion
// events for a few creators in two markets, the refresh that turns them into next month's levels,
// a drop warning from the level history, and who may see what.
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
	creator string
	day     int // day of February, local time
	hour    int
	kind    level.Promotion
	product string
	gmv     string
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

	// February's promotions, in each market's local time (MKT-2).
	events := map[affrules.MarketCode][]promo{
		affrules.UK: {
			{"amy", 2, 19, level.PromoLive, "kettle", "820.00"},
			{"amy", 2, 21, level.PromoVideo, "kettle", "335.50"}, // same day: still one active day (LVL-4)
			{"amy", 9, 18, level.PromoLive, "toaster", "610.00"},
			{"amy", 12, 18, level.PromoVideo, "toaster", "0"},
			{"amy", 16, 18, level.PromoLive, "mug", "280.00"},
			{"amy", 23, 18, level.PromoVideo, "kettle", "95.00"},
			{"amy", 28, 23, level.PromoLinkShare, "mug", "12.00"}, // 23:xx on the last day counts for February
			{"ben", 14, 12, level.PromoVideo, "scarf", "40.00"},
		},
		affrules.TH: {
			{"nok", 1, 0, level.PromoLive, "serum", "4500.00"}, // 00:xx local is still 31 January in UTC
			{"nok", 5, 20, level.PromoLive, "serum", "6200.00"},
			{"nok", 12, 20, level.PromoLive, "toner", "5100.00"},
			{"nok", 19, 20, level.PromoVideo, "mask", "3900.00"},
			{"nok", 26, 20, level.PromoLive, "serum", "7300.00"},
			{"dao", 3, 10, level.PromoLinkShare, "phone case", "900.00"},
			{"dao", 20, 10, level.PromoVideo, "charger", "1500.00"},
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
			e := level.Event{Creator: p.creator, At: at, Kind: p.kind, Product: p.product, GMV: decimal.RequireFromString(p.gmv)}
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
			fmt.Printf("  %s %-4s %s  GMV %10s %s, %2d active days, %d products; %s\n",
				market, r.Creator, r.Level, p.GMV().StringFixed(mk.MinorUnit), mk.Currency, p.ActiveDays(), p.Breadth(), tr)
			if !tr.Reliability.Allowed {
				for _, reason := range tr.Reliability.Failures() {
					fmt.Printf("      warning for sellers: %s\n", reason)
				}
			}
			d, err := ev.Benefit("leaderboard", r.Level)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("      leaderboard: %s\n", d)
		}
	}

	// Who may see amy's level (LVL-5)?
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
	for _, v := range viewers {
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
}
