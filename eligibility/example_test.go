package eligibility_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

func ExampleEvaluator_Product() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)

	shop, _ := e.Shop(eligibility.Shop{ID: "s1", Market: affrules.UK, StoreRating: decimal.RequireFromString("4.2")}, at)
	product := eligibility.Product{
		ID: "p1", ShopID: "s1", Market: affrules.UK, Category: affrules.Electronics,
		Orders: 400, Reviews: 120, NegativeReviewOrders: 4, // exactly 1%: not below the limit
		RefundCases: 3, SellerFaultRefunds: 1, // ELG-4 needs 5 cases
	}
	r, err := e.Product(product, shop, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.State)
	for _, reason := range r.Decision.Reasons {
		fmt.Println(reason)
	}
	// Output:
	// temporarily_disqualified
	// ELG-3 failed: negative-review rate is not below the category limit (observed 1% (4/400), limit below 1% for electronics)
	// ELG-4 not applicable: too few return/refund cases for the seller-fault refund rule (observed 3 return/refund cases, limit applies from 5 cases)
}

// A daily run that writes each result out before the next evaluates with one reasons array,
// reused: no allocation once the array is large enough. The next call overwrites the array, so a
// result kept in memory keeps a copy of its reasons.
func ExampleRun_AppendProduct() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	shops := []eligibility.Shop{{ID: "s1", Market: affrules.UK, StoreRating: decimal.RequireFromString("4.2")}}
	run, err := e.NewRun(slices.Values(shops), at)
	if err != nil {
		fmt.Println(err)
		return
	}
	out := json.NewEncoder(os.Stdout) // the host's database or queue
	var buf []affrules.Reason
	var worst eligibility.Result // kept in memory: its reasons are copied
	for _, negative := range []int64{1, 9, 4} {
		p := eligibility.Product{ID: fmt.Sprint("p", negative), ShopID: "s1", Market: affrules.UK, Category: affrules.Electronics,
			Orders: 400, Reviews: 120, NegativeReviewOrders: negative, RefundCases: 8, SellerFaultRefunds: 1}
		r, err := run.AppendProduct(buf[:0], p)
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Decision.Reasons != nil {
			buf = r.Decision.Reasons // the array, grown if it had to be, for the next product
		}
		_ = out.Encode(map[string]any{"id": r.ID, "state": r.State, "reasons": len(r.Decision.Reasons)}) // written out now
		if negative == 9 {
			worst = r
			worst.Decision.Reasons = slices.Clone(r.Decision.Reasons)
		}
	}
	fmt.Println(worst.ID, worst.Decision.Reasons[0].Observed)
	// Output:
	// {"id":"p1","reasons":0,"state":"eligible"}
	// {"id":"p9","reasons":1,"state":"temporarily_disqualified"}
	// {"id":"p4","reasons":1,"state":"temporarily_disqualified"}
	// p9 2.25% (9/400)
}

func ExampleEvaluator_Shop() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	r, _ := e.Shop(eligibility.Shop{
		ID: "s1", Market: affrules.TH, StoreRating: decimal.RequireFromString("4.8"),
		LastCounterfeitViolation: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
	}, at)
	fmt.Println(r.Decision)
	// Output:
	// denied: ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-10-01T12:00:00Z, limit none within 60 days); next allowed 2026-11-30T12:00:00Z
}

func ExampleEvaluator_NewRun() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	shops := []eligibility.Shop{
		{ID: "good", Market: affrules.ID, StoreRating: decimal.RequireFromString("4.5")},
		{ID: "low", Market: affrules.ID, StoreRating: decimal.RequireFromString("2.4")},
	}
	run, err := e.NewRun(slices.Values(shops), at)
	if err != nil {
		fmt.Println(err)
		return
	}
	products := []eligibility.Product{
		{ID: "soap", ShopID: "good", Market: affrules.ID, Category: affrules.FMCG, Orders: 2000, Reviews: 300, NegativeReviewOrders: 11, RefundCases: 40, SellerFaultRefunds: 29},
		{ID: "shampoo", ShopID: "low", Market: affrules.ID, Category: affrules.FMCG, Orders: 900, Reviews: 80, NegativeReviewOrders: 1, RefundCases: 9, SellerFaultRefunds: 2},
		{ID: "toy", ShopID: "good", Market: affrules.ID, Category: "toys"},
	}
	for r, err := range run.Products(slices.Values(products)) {
		if err != nil {
			fmt.Println("error:", err) // the error names the product; r is the zero Result
			continue
		}
		fmt.Println(r.ID, r.Decision)
	}
	// Output:
	// soap allowed
	// shampoo denied: ELG-2 failed: store rating is below the minimum (observed 2.4, limit at least 2.5)
	// error: eligibility: product[toy].category "toys": unknown category
}

func ExampleParsePolicy() {
	p, err := eligibility.ParsePolicy([]byte(`{"default": [{"from": "2026-01-01T00:00:00Z", "value": {
		"counterfeit_window_days": 30, "min_store_rating": "4", "min_reviews": 10, "min_refund_cases": 10,
		"categories": {"books": {"negative_review_rate_below": "2%", "seller_fault_refund_rate_below": "0%"}}}}]}`))
	fmt.Println(p.Default.Len(), err)
	// Output:
	// 0 eligibility: policy.default[0] (from 2026-01-01T00:00:00Z).categories[books].seller_fault_refund_rate_below 0%: must be above 0%: no rate is below 0%
}

func ExampleListing_Listed() {
	listing := eligibility.DefaultListing()
	agency := eligibility.Viewer{ID: "my-agency", MCN: true, Partner: true}
	c := eligibility.Creator{ID: "nadia", ECommercePermission: true, LinkedMCN: "other-agency"}
	// Another MCN's creator: not for creator partnership, but the partner role may invite her for
	// product distribution (ELG-7, INV-8).
	fmt.Println(listing.Listed(agency, eligibility.CreatorPartnership, c))
	fmt.Println(listing.Listed(agency, eligibility.ProductDistribution, c))
	// Only MCN/CAP accounts use the Marketplace (INV-12).
	tap := eligibility.Viewer{ID: "tap-7", Partner: true}
	fmt.Println(listing.Listed(tap, eligibility.ProductDistribution, eligibility.Creator{ID: "ari", ECommercePermission: true}))
	// Output:
	// denied: ELG-7 failed: creator is linked to another MCN (observed linked to MCN other-agency, limit not linked to another MCN)
	// allowed
	// denied: INV-12 failed: only MCN/CAP accounts use the Affiliate Marketplace (observed account tap-7 holds the affiliate-partner role only, limit the MCN/CAP role)
}

func ExampleListing_ViewOf() {
	listing := eligibility.DefaultListing()
	agency := eligibility.Viewer{ID: "my-agency", MCN: true, Partner: true}
	fmt.Println(listing.OffersAgencyFilter(agency))
	fmt.Printf("%+v\n", listing.ViewOf(agency, eligibility.Creator{ID: "ari", ECommercePermission: true, DataAuthorised: true}))
	fmt.Printf("%+v\n", listing.ViewOf(agency, eligibility.Creator{ID: "nadia", ECommercePermission: true, LinkedMCN: "other-agency", ContactDisplay: true}))
	// Output:
	// true
	// {Listed:true Performance:true Contact:false Partnership:true Distribution:true ManagedBy:}
	// {Listed:true Performance:false Contact:true Partnership:false Distribution:true ManagedBy:other-agency}
}

// A result says what is disqualified (ELG-6) and whether for good: what Collaboration Plus and
// partner campaigns need of it (ELG-11).
func ExampleResult_Scope() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	shop, _ := e.Shop(eligibility.Shop{ID: "s1", Market: affrules.MY, StoreRating: decimal.RequireFromString("2.1")}, at)
	fmt.Println(shop.ID, shop.State, shop.Scope, shop.Permanent())
	good, _ := e.Shop(eligibility.Shop{ID: "s2", Market: affrules.MY, StoreRating: decimal.RequireFromString("4.9")}, at)
	for _, p := range []eligibility.Product{
		{ID: "kettle", ShopID: "s1", Market: affrules.MY, Category: affrules.Electronics},
		{ID: "fan", ShopID: "s2", Market: affrules.MY, Category: affrules.Electronics, Frozen: true},
	} {
		s := shop
		if p.ShopID == "s2" {
			s = good
		}
		r, _ := e.Product(p, s, at)
		fmt.Println(r.ID, r.ShopID, r.State, r.Scope, r.Permanent())
	}
	// Output:
	// s1 temporarily_disqualified shop false
	// kettle s1 temporarily_disqualified shop false
	// fan s2 permanently_disqualified product true
}

func ExampleResult_ForCampaign() {
	r := eligibility.Result{ID: "p9", State: eligibility.PermanentlyDisqualified}
	fmt.Println(r.ForCampaign())
	// Output:
	// denied: ELG-9 failed: only affiliate-eligible products may join a campaign (observed permanently_disqualified, limit eligible)
}

// A host shows reasons in its own language with an affrules.Catalog: a template per message key
// over the typed values. Here the ELG-3 failure is in Thai; a key without a template (ELG-4's
// not-applicable reason) falls back to English.
func ExampleEvaluator_Product_thai() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	shop, _ := e.Shop(eligibility.Shop{ID: "s1", Market: affrules.TH, StoreRating: decimal.RequireFromString("4.5")}, at)
	r, _ := e.Product(eligibility.Product{
		ID: "p1", ShopID: "s1", Market: affrules.TH, Category: affrules.Electronics,
		Orders: 1000, Reviews: 90, NegativeReviewOrders: 10, // exactly the 1% limit: not below it
		RefundCases: 2,
	}, shop, at)

	thai := affrules.Catalog{
		Messages: map[affrules.MessageKey]string{
			"eligibility.elg3.failed": "อัตราคำสั่งซื้อที่ได้รับรีวิวเชิงลบ {observed} ไม่ต่ำกว่าเกณฑ์ {limit} ของหมวด {subject}",
		},
		Format: func(v affrules.Value) string {
			if num, den := v.Ratio(); v.Kind() == affrules.RatioValue {
				return fmt.Sprintf("%s (%d จาก %d คำสั่งซื้อ)", v.Rate(), num, den)
			}
			return v.String()
		},
	}
	for _, line := range thai.Decision(r.Decision) {
		fmt.Println(line)
	}
	// The typed values, for a host that compares rather than reads.
	neg := r.Decision.Reasons[0]
	fmt.Println(neg.Key, neg.Observed.Rate(), neg.Limit.Rate(), neg.Subject)
	// Output:
	// อัตราคำสั่งซื้อที่ได้รับรีวิวเชิงลบ 1% (10 จาก 1000 คำสั่งซื้อ) ไม่ต่ำกว่าเกณฑ์ 1% ของหมวด electronics
	// ELG-4 not applicable: too few return/refund cases for the seller-fault refund rule (observed 2 return/refund cases, limit applies from 5 cases)
	// eligibility.elg3.failed 1% 1% electronics
}

// A daily run over many products can pass each product and its shop's result by pointer and
// reuse one Result and one reasons array: ProductInto overwrites the result on every call, so
// each is written out before the next.
func ExampleEvaluator_ProductInto() {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s1", Market: affrules.UK, StoreRating: decimal.RequireFromString("4.2")}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	products := []eligibility.Product{
		{ID: "p1", ShopID: "s1", Market: affrules.UK, Category: affrules.Electronics, Orders: 400, Reviews: 120, NegativeReviewOrders: 1, RefundCases: 8, SellerFaultRefunds: 1},
		{ID: "p2", ShopID: "s1", Market: affrules.UK, Category: affrules.Electronics, Orders: 400, Reviews: 120, NegativeReviewOrders: 9, RefundCases: 8, SellerFaultRefunds: 1},
	}
	var r eligibility.Result
	var buf []affrules.Reason
	for i := range products {
		if err := e.ProductInto(&r, buf[:0], &products[i], &shop, at); err != nil {
			fmt.Println(err)
			return
		}
		if r.Decision.Reasons != nil {
			buf = r.Decision.Reasons
		}
		fmt.Println(r.ID, r.State, len(r.Decision.Reasons))
	}
	// Output:
	// p1 eligible 0
	// p2 temporarily_disqualified 1
}
