package campaign_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// A partner's campaign in Malaysia: a seller registers two products, one below the campaign's
// requirement; the partner approves the other and matches a creator to it, whose order then
// earns the campaign's rate.
func ExampleEvaluator_Apply() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	reg, _ := campaign.Dates(affrules.MY, "2026-12-01", "2026-12-10")
	run, _ := campaign.Dates(affrules.MY, "2026-12-05", "2026-12-31")
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	day := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, kl) }

	c, err := e.Create(campaign.Campaign{
		ID: "year-end", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY,
		Name: "Year-end beauty", Contact: "ops@agency.example", Registration: reg, Period: run,
		Requirement: affrules.MustParseRate("12%"), Audience: campaign.Audience{All: true},
	}, day(1, 9))
	if err != nil {
		fmt.Println(err)
		return
	}
	eligible := func(product string) eligibility.Result {
		return eligibility.Result{ID: product, ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
	}
	for _, r := range []campaign.Registration{
		{Product: "serum", Seller: "shop-1", Rate: affrules.MustParseRate("10%"), Samples: 5, Contact: "+60 3 1234"},
		{Product: "toner", Seller: "shop-1", Rate: affrules.MustParseRate("15%"), PartnerShare: affrules.MustParseRate("20%"), Samples: 5, Contact: "+60 3 1234"},
	} {
		next, err := e.Apply(c, campaign.Register(r, eligible(r.Product)), day(2, 10))
		var refusal *affrules.Refusal
		if errors.As(err, &refusal) {
			fmt.Println(err)
			continue
		}
		c = next
	}
	c, _ = e.Apply(c, campaign.Review("agency-1", "toner", true), day(3, 9))
	c, _ = e.Apply(c, campaign.MatchCreators("agency-1", "toner", "aisyah"), day(4, 9))

	at := day(6, 20)
	offers, _ := e.Offers(c, at)
	book, _ := com.Prepare(offers...)
	line := commission.Order{ID: "o-1", Creator: "aisyah", Product: "toner", Market: affrules.MY, Attributed: true,
		OrderCount: 1, PromotingSince: day(4, 9), Price: decimal.RequireFromString("80.00"), Currency: "MYR"}
	got, err := com.Compute(book, line, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got)
	// Output:
	// campaign: register "serum" refused: CMP-4 failed: total rate below the campaign's commission requirement (observed 10%, limit at least 12%)
	// 15% of 80.00 MYR = 12.00 MYR (partner 2.40 MYR, creator 9.60 MYR) (PARTNER offer year-end/toner/agency-1/1, half_up)
}
