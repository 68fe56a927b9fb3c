// Command campaigns walks through an affiliate partner campaign (SPEC §7) in Malaysia: a
// partner creates it for all sellers; two sellers register products, one refused below the
// campaign's commission requirement and one refused because the product is not eligible
// (ELG-9); the partner reviews the products, matches a creator to the approved one, and an order
// placed once the campaign is live earns the campaign's rate, split between partner and creator.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

func main() {
	ctx := context.Background()
	com := commission.MustNew(commission.DefaultPolicy())
	ev := campaign.MustNew(campaign.DefaultPolicy(), com)
	elig := eligibility.MustNew(eligibility.DefaultPolicy())
	store := campaign.NewMemory()

	kl, err := time.LoadLocation("Asia/Kuala_Lumpur")
	if err != nil {
		log.Fatal(err)
	}
	day := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, kl) }
	dates := func(first, last string) affrules.Period {
		p, err := campaign.Dates(affrules.MY, first, last)
		if err != nil {
			log.Fatal(err)
		}
		return p
	}

	// CMP-2, CMP-3: the partner's campaign, open to every seller; registration Dec 1–10,
	// promotion Dec 5–31, a total rate of at least 12%.
	c, err := store.Create(ctx, ev, campaign.Campaign{
		ID: "my-year-end", Initiator: campaign.Agency, Owner: "agency-kl", Market: affrules.MY,
		Name: "Year-end skincare", Description: "Skincare for the holidays, promoted by our creators",
		Contact: "campaigns@agency-kl.example", Registration: dates("2026-12-01", "2026-12-10"),
		Period: dates("2026-12-05", "2026-12-31"), Requirement: affrules.MustParseRate("12%"),
		Audience: campaign.Audience{All: true},
	}, day(1, 9, 0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("campaign %s: registration %s, live %s, requirement %s\n", c.ID, c.Registration, c.Period, c.Requirement)

	seen, err := ev.Visible(c, campaign.Viewer{Seller: "shop-glow"}, day(2, 9, 0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("visible to shop-glow:", seen)

	// Each seller's products, evaluated for eligibility at the instant they register (ELG-9).
	at := day(3, 10, 0)
	result := func(shop eligibility.Shop, p eligibility.Product) eligibility.Result {
		s, err := elig.Shop(shop, at)
		if err != nil {
			log.Fatal(err)
		}
		r, err := elig.Product(p, s, at)
		if err != nil {
			log.Fatal(err)
		}
		return r
	}
	glow := eligibility.Shop{ID: "shop-glow", Market: affrules.MY, StoreRating: decimal.RequireFromString("4.6")}
	dew := eligibility.Shop{ID: "shop-dew", Market: affrules.MY, StoreRating: decimal.RequireFromString("4.1")}
	registrations := []struct {
		reg  campaign.Registration
		elig eligibility.Result
	}{
		{campaign.Registration{Product: "glow-serum", Seller: "shop-glow", Rate: affrules.MustParseRate("15%"),
			PartnerShare: affrules.MustParseRate("20%"), Samples: 20, Contact: "+60 3-2000 1000"},
			result(glow, eligibility.Product{ID: "glow-serum", ShopID: "shop-glow", Market: affrules.MY, Category: affrules.FMCG, Orders: 900, Reviews: 300, NegativeReviewOrders: 2})},
		{campaign.Registration{Product: "glow-mask", Seller: "shop-glow", Rate: affrules.MustParseRate("10%"),
			PartnerShare: affrules.MustParseRate("20%"), Samples: 10, Contact: "+60 3-2000 1000"},
			result(glow, eligibility.Product{ID: "glow-mask", ShopID: "shop-glow", Market: affrules.MY, Category: affrules.FMCG, Orders: 500, Reviews: 80, NegativeReviewOrders: 1})},
		{campaign.Registration{Product: "dew-toner", Seller: "shop-dew", Rate: affrules.MustParseRate("18%"),
			PartnerShare: affrules.MustParseRate("25%"), Samples: 5, Contact: "+60 4-300 2000"},
			result(dew, eligibility.Product{ID: "dew-toner", ShopID: "shop-dew", Market: affrules.MY, Category: affrules.FMCG, Orders: 400, Reviews: 60, NegativeReviewOrders: 4})},
	}
	for _, r := range registrations {
		next, err := store.Apply(ctx, ev, c.ID, campaign.Register(r.reg, r.elig), at)
		var refusal *affrules.Refusal
		switch {
		case errors.As(err, &refusal):
			fmt.Println("refused:", refusal.Subject)
			for _, reason := range refusal.Decision.Failures() {
				fmt.Println("  ", reason)
			}
		case err != nil:
			log.Fatal(err)
		default:
			c = next
			fmt.Printf("registered: %s at %s, %s\n", r.reg.Product, r.reg.Rate, status(c, r.reg.Product))
		}
	}

	// CMP-5: the partner approves the serum and matches a creator to it.
	if c, err = store.Apply(ctx, ev, c.ID, campaign.Review("agency-kl", "glow-serum", true), day(4, 11, 0)); err != nil {
		log.Fatal(err)
	}
	if c, err = store.Apply(ctx, ev, c.ID, campaign.MatchCreators("agency-kl", "glow-serum", "nurul"), day(4, 15, 0)); err != nil {
		log.Fatal(err)
	}
	for _, j := range campaign.JoinedBy("shop-glow", []campaign.Campaign{c}) {
		for _, p := range j.Products {
			fmt.Printf("shop-glow's joined list: %s / %s: %s\n", j.Name, p.Product, p.Status)
		}
	}

	// The serum is also in Open Collaboration at 8%. An order before the campaign is live earns
	// the Open rate; once it is live, the campaign's 15%, split 20% to the partner.
	open, err := ev.List("open-glow-serum", affrules.MY, "glow-serum", commission.Terms{Rate: affrules.MustParseRate("8%")}, day(1, 0, 0))
	if err != nil {
		log.Fatal(err)
	}
	for _, when := range []time.Time{day(4, 20, 0), day(6, 20, 30)} {
		offers, err := ev.Offers(c, when)
		if err != nil {
			log.Fatal(err)
		}
		book, err := com.Prepare(append(offers, open)...)
		if err != nil {
			log.Fatal(err)
		}
		line := commission.Order{ID: "order-" + when.Format("0102"), Creator: "nurul", Product: "glow-serum", Market: affrules.MY,
			Attributed: true, OrderCount: 1, PromotingSince: day(4, 15, 0),
			Price: decimal.RequireFromString("89.90"), Currency: "MYR"}
		got, err := com.Compute(book, line, when)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("order on %s: %s\n", when.Format("Jan 2 15:04"), got)
	}
}

func status(c campaign.Campaign, product string) campaign.Status {
	for _, r := range c.Products {
		if r.Product == product {
			return r.Status
		}
	}
	return campaign.Pending
}
