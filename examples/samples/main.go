// Command samples walks through free and refundable samples (SPEC §6) in Malaysia: a seller's
// serum in a partner's campaign with a sample quantity of 3, whose requests are approved
// automatically up to it (SMP-2); the quantity lowered to 2, after which a request waits for the
// seller, is rejected, and may be made again only 30 days later (SMP-10); one of a creator's
// samples delivered and used in content, another left without content past its deadline (SMP-9,
// SMP-6); a refundable sample whose sales goal is reached within 60 days (SMP-5); and the
// creator's fulfilment rate (SMP-8).
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
	"github.com/affrules/affrules/sample"
)

func main() {
	ctx := context.Background()
	kl, err := time.LoadLocation("Asia/Kuala_Lumpur")
	if err != nil {
		log.Fatal(err)
	}
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, kl) }
	date := func(t time.Time) string { return t.Format("Jan 2 15:04") }

	ev := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	rule, err := sample.MustNew(sample.DefaultPolicy()).Rule()
	if err != nil {
		log.Fatal(err)
	}
	ledger := sample.NewMemory()

	// The partner's campaign, and shop-glow's serum registered in it with a sample quantity of 3
	// (CMP-4, SMP-2).
	dates := func(first, last string) affrules.Period {
		p, err := campaign.Dates(affrules.MY, first, last)
		if err != nil {
			log.Fatal(err)
		}
		return p
	}
	reg, run := dates("2026-12-01", "2026-12-10"), dates("2026-12-01", "2026-12-31")
	c, err := ev.Create(campaign.Campaign{ID: "my-year-end", Initiator: campaign.Agency, Owner: "agency-kl", Market: affrules.MY,
		Name: "Year-end skincare", Contact: "campaigns@agency-kl.example", Registration: reg, Period: run,
		Requirement: affrules.MustParseRate("10%"), Audience: campaign.Audience{All: true}}, day(11, 30, 9))
	if err != nil {
		log.Fatal(err)
	}
	serum := campaign.Registration{Product: "glow-serum", Seller: "shop-glow", Rate: affrules.MustParseRate("15%"),
		PartnerShare: affrules.MustParseRate("20%"), Samples: 3, Contact: "+60 3-2000 1000"}
	eligible := eligibility.Result{ID: "glow-serum", ShopID: "shop-glow", Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
	for _, a := range []struct {
		a  campaign.Action
		at time.Time
	}{
		{campaign.Register(serum, eligible), day(12, 1, 10)},
		{campaign.Review("agency-kl", "glow-serum", true), day(12, 1, 11)},
	} {
		if c, err = ev.Apply(c, a.a, a.at); err != nil {
			log.Fatal(err)
		}
	}
	// quantity is the serum's sample quantity in force: the host reads it from the campaign at
	// each request.
	quantity := func() int64 { return c.Products[0].Samples }
	fmt.Printf("campaign %s: glow-serum registered, sample quantity %d\n", c.ID, quantity())

	// request makes the partner's request for creator, at at, through the ledger.
	n := 0
	request := func(creator string, at time.Time) (sample.Request, affrules.Decision) {
		n++
		req := sample.Request{ID: fmt.Sprintf("s%d", n), Seller: "shop-glow", Creator: creator, Product: "glow-serum", Market: affrules.MY,
			Source: sample.Campaign, Context: c.ID, Partner: "agency-kl"}
		got, d, err := ledger.Request(ctx, rule, req, sample.Facts{Quantity: quantity(), Band: "band_2"}, at)
		if err != nil {
			log.Fatal(err)
		}
		if d.Allowed {
			fmt.Printf("%s  %s for %s: %s (quantity %d)\n", date(at), got.ID, creator, got.StateAt(at), quantity())
		} else {
			fmt.Printf("%s  request for %s: %v\n", date(at), creator, d)
		}
		return got, d
	}
	// record records event k on request id, or prints the refusal.
	record := func(id string, k sample.EventKind, at time.Time) bool {
		got, err := ledger.Record(ctx, rule, id, k, at)
		var refusal *affrules.Refusal
		switch {
		case errors.As(err, &refusal):
			fmt.Printf("%s  %v\n", date(at), err)
			return false
		case err != nil:
			log.Fatal(err)
		}
		line := fmt.Sprintf("%s  %s %s: %s", date(at), id, k, got.StateAt(at))
		if e := got.Events[len(got.Events)-1]; !e.Due.IsZero() {
			line += ", content due " + date(e.Due)
		}
		fmt.Println(line)
		return true
	}

	// SMP-2: three requests, approved at once and ready to ship.
	fmt.Println("\n-- requests within the quantity (SMP-2)")
	aisyah, _ := request("aisyah", day(12, 2, 10))
	request("budi", day(12, 2, 11))
	request("cara", day(12, 2, 12))

	// The seller lowers the quantity to 2: the three approved stay approved; the next request
	// waits for the seller, who rejects it.
	fmt.Println("\n-- the quantity lowered to 2")
	if c, err = ev.Apply(c, campaign.SetSamples("shop-glow", "glow-serum", 2), day(12, 3, 9)); err != nil {
		log.Fatal(err)
	}
	dewi, _ := request("dewi", day(12, 3, 10))
	record(dewi.ID, sample.Declined, day(12, 4, 9))
	// SMP-10: dewi may ask for the serum again only 30 days after the rejection.
	_, d := request("dewi", day(12, 9, 9))
	fmt.Println("   dewi may ask again from", date(d.NextAllowed))
	held, _ := ledger.Requests(ctx, "budi")
	fmt.Println("   budi's sample is still", held[0].StateAt(day(12, 9, 9)))

	// SMP-6, SMP-9: aisyah's serum arrives and she posts within 14 days. She also asks
	// shop-glow directly for its mask, approved at once by the seller's setting (SMP-1); it
	// arrives, she posts nothing, it is overdue at the deadline and content after it is refused.
	fmt.Println("\n-- shipping, delivery and content (SMP-1, SMP-6, SMP-9)")
	record(aisyah.ID, sample.ShippedEvent, day(12, 3, 15))
	record(aisyah.ID, sample.DeliveredEvent, day(12, 5, 14))
	record(aisyah.ID, sample.Posted, day(12, 12, 20))
	mask := sample.Request{ID: "m1", Seller: "shop-glow", Creator: "aisyah", Product: "glow-mask", Market: affrules.MY, Source: sample.Direct}
	if _, d, err := ledger.Request(ctx, rule, mask, sample.Facts{AutoApprove: true, Band: "band_2"}, day(12, 13, 10)); err != nil || !d.Allowed {
		log.Fatal(d, err)
	}
	fmt.Printf("%s  m1 for aisyah, direct: to_ship, approved by the seller's setting\n", date(day(12, 13, 10)))
	record("m1", sample.ShippedEvent, day(12, 13, 15))
	record("m1", sample.DeliveredEvent, day(12, 15, 11))
	held, _ = ledger.Requests(ctx, "aisyah")
	fmt.Printf("%s  m1: %s\n", date(day(12, 29, 11)), held[1].StateAt(day(12, 29, 11)))
	record("m1", sample.Posted, day(12, 30, 9))

	// SMP-5: aisyah buys a refundable toner on Dec 1 in shop-glow's Collaboration Plus, which
	// ends with December, with a goal of 3 orders within 60 days: her own order does not count,
	// orders through any channel after the collaboration do.
	fmt.Println("\n-- a refundable sample (SMP-5)")
	bought := day(12, 1, 9)
	toner := sample.Purchase{Creator: "aisyah", Market: affrules.MY, At: bought, Price: decimal.RequireFromString("45.00"),
		Shipping: decimal.RequireFromString("5.00"), Goal: sample.Orders, Target: decimal.NewFromInt(3)}
	sales := []sample.Sale{
		{At: day(12, 2, 20), Orders: 1, Amount: decimal.RequireFromString("45.00"), Buyer: "aisyah"},
		{At: day(12, 14, 21), Orders: 1, Amount: decimal.RequireFromString("45.00"), Buyer: "buyer-1"},
		{At: time.Date(2027, 1, 5, 20, 0, 0, 0, kl), Orders: 2, Amount: decimal.RequireFromString("90.00"), Buyer: "buyer-2"},
	}
	for _, at := range []time.Time{day(12, 31, 23), time.Date(2027, 1, 6, 0, 0, 0, 0, kl)} {
		r, d, err := rule.Refund(toner, sales, at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s  orders counted %s of 3 (window until %s): refund MYR %s, %v\n", date(at), r.Counted, date(r.Deadline), r.Amount.StringFixed(2), d)
	}

	// SMP-8: aisyah's fulfilment rate over December, exact, and as the rate level's badges
	// take; budi's sample is still on its way, so his is undefined.
	fmt.Println("\n-- fulfilment rate over December (SMP-8)")
	december := affrules.MonthOf(day(12, 1, 0), kl)
	for _, creator := range []string{"aisyah", "budi"} {
		reqs, err := ledger.Requests(ctx, creator)
		if err != nil {
			log.Fatal(err)
		}
		f, err := sample.FulfilmentRate(reqs, creator, december)
		if err != nil {
			log.Fatal(err)
		}
		rate, ok := f.Ratio()
		if !ok {
			fmt.Printf("%s: no sample fulfilled or overdue in December\n", creator)
			continue
		}
		fmt.Printf("%s: %d fulfilled, %d overdue: %s, as a rate %s\n", creator, f.Fulfilled, f.Overdue, rate, rate.Rate())
	}
}
