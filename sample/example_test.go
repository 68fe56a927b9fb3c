package sample_test

import (
	"context"
	"fmt"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// A partner campaign in Malaysia with a sample quantity of 2: two requests are approved at once,
// the third waits for the seller; one sample is delivered and content posted in time.
func ExampleLedger_Request() {
	ctx := context.Background()
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	ledger := sample.NewMemory()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	for i, creator := range []string{"aisyah", "budi", "cara"} {
		req := sample.Request{ID: fmt.Sprint("r", i+1), Seller: "shop-1", Creator: creator, Product: "serum", Market: affrules.MY,
			Source: sample.Campaign, Context: "year-end", Partner: "agency-1"}
		got, d, err := ledger.Request(ctx, rule, req, sample.Facts{Quantity: 2, Band: "band_1"}, t0.Add(time.Duration(i)*time.Minute))
		if err != nil || !d.Allowed {
			fmt.Println(err, d)
			return
		}
		fmt.Println(got.ID, creator, got.StateAt(t0.Add(time.Hour)))
	}
	for i, k := range []sample.EventKind{sample.ShippedEvent, sample.DeliveredEvent, sample.Posted} {
		if _, err := ledger.Record(ctx, rule, "r1", k, t0.Add(time.Duration(24*(i+1))*time.Hour)); err != nil {
			fmt.Println(err)
			return
		}
	}
	reqs, _ := ledger.Requests(ctx, "aisyah")
	f, _ := rule.Fulfilment(reqs, "aisyah", t0.AddDate(0, 1, 0))
	ratio, _ := f.Ratio()
	fmt.Println("aisyah:", reqs[0].StateAt(t0.AddDate(0, 0, 10)), f.Fulfilled, f.Overdue, ratio)
	// Output:
	// r1 aisyah to_ship
	// r2 budi to_ship
	// r3 cara requested
	// aisyah: fulfilled 1 0 100% (1/1)
}
