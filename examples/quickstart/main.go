// Quickstart evaluates a daily eligibility run on the embedded default policy: shops and products
// in the UK, Indonesia and Thailand, each decision printed with every reason (SPEC §2).
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

func main() {
	// Policy: the seed thresholds everywhere, the Thai seller guide's values in TH (ELG-10).
	e, err := eligibility.New(eligibility.DefaultPolicy())
	if err != nil {
		log.Fatal(err)
	}

	// The run's instant: 06:00 in Bangkok on 21 November 2026. Evaluators never read the clock.
	th, err := affrules.LookupMarket(affrules.TH)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, 11, 21, 6, 0, 0, 0, th.Location())

	rating := decimal.RequireFromString
	shops := []eligibility.Shop{
		{ID: "london-gadgets", Market: affrules.UK, StoreRating: rating("4.7")},
		{ID: "jakarta-beauty", Market: affrules.ID, StoreRating: rating("2.5")}, // exactly the minimum: passes
		{ID: "bangkok-home", Market: affrules.TH, StoreRating: rating("2.8")},   // 2.5 elsewhere, 3 in TH
		{ID: "bangkok-style", Market: affrules.TH, StoreRating: rating("4.4"),
			LastCounterfeitViolation: at.Add(-20 * 24 * time.Hour)}, // 20 days ago: inside the 60-day window
	}
	run, err := e.NewRun(slices.Values(shops), at)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Shops")
	for r := range run.Shops() {
		fmt.Printf("  %-15s %-25s %s\n", r.ID, r.State, r.Decision)
	}

	products := []eligibility.Product{
		// 9 negative-review orders in 1,000 (0.9%) is below Electronics' 1%.
		{ID: "earbuds", ShopID: "london-gadgets", Market: affrules.UK, Category: affrules.Electronics,
			Orders: 1000, Reviews: 240, NegativeReviewOrders: 9, RefundCases: 30, SellerFaultRefunds: 12},
		// Exactly 1% is not below 1%: temporarily disqualified until the rate improves.
		{ID: "charger", ShopID: "london-gadgets", Market: affrules.UK, Category: affrules.Electronics,
			Orders: 500, Reviews: 60, NegativeReviewOrders: 5, RefundCases: 8, SellerFaultRefunds: 2},
		// Only 4 reviews: ELG-3 does not apply yet, and the report says so.
		{ID: "serum", ShopID: "jakarta-beauty", Market: affrules.ID, Category: affrules.FMCG,
			Orders: 80, Reviews: 4, NegativeReviewOrders: 2, RefundCases: 5, SellerFaultRefunds: 1},
		// Frozen for a policy violation: permanent, whatever the metrics.
		{ID: "whitening-cream", ShopID: "jakarta-beauty", Market: affrules.ID, Category: affrules.FMCG,
			Orders: 300, Reviews: 50, RefundCases: 6, Frozen: true},
		// 1.2% negative reviews passes Thailand's 1.3% Electronics limit (it would fail the seed 1%),
		// but the shop's rating of 2.8 is below Thailand's 3.
		{ID: "rice-cooker", ShopID: "bangkok-home", Market: affrules.TH, Category: affrules.Electronics,
			Orders: 1000, Reviews: 150, NegativeReviewOrders: 12, RefundCases: 20, SellerFaultRefunds: 10},
		// The shop's counterfeit violation pauses its products until the window passes.
		{ID: "linen-shirt", ShopID: "bangkok-style", Market: affrules.TH, Category: affrules.Fashion,
			Orders: 2000, Reviews: 310, NegativeReviewOrders: 15, RefundCases: 40, SellerFaultRefunds: 30},
		// A category the policy does not know is an error, never a pass (ELG-5).
		{ID: "kite", ShopID: "bangkok-style", Market: affrules.TH, Category: "toys", Orders: 10},
	}
	fmt.Println("\nProducts")
	for r, err := range run.Products(slices.Values(products)) {
		if err != nil {
			fmt.Printf("  %-15s error: %v\n", r.ID, err)
			continue
		}
		fmt.Printf("  %-15s %s\n", r.ID, r.State)
		for _, reason := range r.Decision.Reasons {
			fmt.Printf("      %s\n", reason)
		}
		if !r.Decision.NextAllowed.IsZero() {
			fmt.Printf("      eligible again from %s\n", r.Decision.NextAllowed.In(th.Location()).Format("2006-01-02 15:04 MST"))
		}
		if d := r.ForCampaign(); !d.Allowed {
			fmt.Printf("      may not join Collaboration Plus or partner campaigns (ELG-9)\n")
		}
	}
}
