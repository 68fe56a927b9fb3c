// Quickstart evaluates a daily eligibility run on the embedded default policy, with the Thai seller
// guide's values (also embedded) added for Thailand as a market override: shops and products
// in the UK, Indonesia and Thailand, each decision printed with every reason and with what it
// disqualifies, the shop or the product only (SPEC §2); a forgotten instant, refused; then what
// the Affiliate Marketplace lists to an agency by its roles and purpose (ELG-7).
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
	// Policy: the seed thresholds everywhere (DefaultPolicy), and, as this host chooses, the Thai
	// seller guide's values in TH from May 2025: a market override (ELG-10).
	policy, err := eligibility.DefaultPolicy().WithOverride(affrules.TH, eligibility.ThaiGuideEffective(), eligibility.ThaiThresholds())
	if err != nil {
		log.Fatal(err)
	}
	e, err := eligibility.New(policy)
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
		if err != nil { // r is the zero Result: never store it; the error names the product
			fmt.Printf("  error: %v\n", err)
			continue
		}
		switch r.Scope { // ELG-6: the shop's rules pause every product of it; a product's only itself
		case eligibility.ShopScope:
			fmt.Printf("  %-15s %s: shop %s\n", r.ID, r.State, r.ShopID)
		case eligibility.ProductScope:
			fmt.Printf("  %-15s %s: this product only\n", r.ID, r.State)
		default:
			fmt.Printf("  %-15s %s\n", r.ID, r.State)
		}
		for _, reason := range r.Decision.Reasons {
			fmt.Printf("      %s\n", reason)
		}
		if !r.Decision.NextAllowed.IsZero() {
			fmt.Printf("      eligible again from %s\n", r.Decision.NextAllowed.In(th.Location()).Format("2006-01-02 15:04 MST"))
		}
		if d := r.ForCampaign(); !d.Allowed { // no minimum stock: eligibility is the whole check
			fmt.Printf("      may not join Collaboration Plus or partner campaigns (ELG-9)\n")
		}
	}

	// Careless input is an error, never a silent answer: a forgotten instant (the zero time.Time)
	// would otherwise judge bangkok-home by the thresholds of year 1, where 2.8 passes.
	if _, err := e.Shop(shops[2], time.Time{}); err != nil {
		fmt.Printf("\nForgotten instant\n  error: %v\n", err)
	}

	// The Marketplace lists creators to an account by its roles and the purpose (ELG-7, INV-12):
	// an agency that also holds the affiliate-partner role may invite another MCN's creator for
	// product distribution, never for creator partnership.
	listing := eligibility.DefaultListing()
	agency := eligibility.Viewer{ID: "bangkok-mcn", MCN: true, Partner: true}
	fmt.Printf("\nMarketplace, as seen by %s (Managed By Agency filter offered: %t)\n", agency.ID, listing.OffersAgencyFilter(agency))
	for _, c := range []eligibility.Creator{
		{ID: "mali.cooks", ECommercePermission: true, DataAuthorised: true},
		{ID: "niran.tech", ECommercePermission: true, LinkedMCN: "siam-talent", ContactDisplay: true},
		{ID: "brand.official", ECommercePermission: true, OfficialAccount: true},
	} {
		v := listing.ViewOf(agency, c)
		fmt.Printf("  %-15s listed %-5t partnership %-5t distribution %-5t managed by %q\n", c.ID, v.Listed, v.Partnership, v.Distribution, v.ManagedBy)
	}
	tap := eligibility.Viewer{ID: "solo-partner", Partner: true}
	fmt.Printf("  %-15s %s\n", tap.ID, listing.Listed(tap, eligibility.ProductDistribution, eligibility.Creator{ID: "mali.cooks", ECommercePermission: true}))
}
