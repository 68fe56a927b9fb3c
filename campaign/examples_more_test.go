package campaign_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// A partner's campaign whose registration ends after the campaign and that has no contact is
// refused with both problems at once (CMP-3); with them fixed it is created.
func ExampleEvaluator_Create() {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	reg, _ := campaign.Dates(affrules.MY, "2026-12-01", "2027-01-10")
	run, _ := campaign.Dates(affrules.MY, "2026-12-05", "2026-12-31")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

	c := campaign.Campaign{
		ID: "year-end", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY,
		Name: "Year-end beauty", Registration: reg, Period: run,
		Requirement: affrules.MustParseRate("12%"), Audience: campaign.Audience{All: true},
	}
	if _, err := e.Create(c, at); err != nil {
		fmt.Println(err)
	}

	c.Registration.End = run.End
	c.Contact = "ops@agency.example"
	created, err := e.Create(c, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(created.ID, created.Initiator, "created", created.Created.Format(time.RFC3339))
	// Output:
	// campaign: campaign.contact "": must not be empty
	// campaign: campaign.registration.end 2027-01-11T00:00:00+08:00: is after the campaign's end 2027-01-01T00:00:00+08:00: registration ends no later than the campaign (CMP-3)
	// year-end agency created 2026-11-30T09:00:00Z
}

// An agency campaign for selected sellers is seen by them and by its owner, not by other
// sellers or partners (CMP-5); a seller's campaign is seen by its partners from publication
// (CMP-6).
func ExampleEvaluator_Visible() {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	reg, _ := campaign.Dates(affrules.MY, "2026-12-01", "2026-12-10")
	run, _ := campaign.Dates(affrules.MY, "2026-12-05", "2026-12-31")
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

	c, err := e.Create(campaign.Campaign{
		ID: "year-end", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY,
		Name: "Year-end beauty", Contact: "ops@agency.example", Registration: reg, Period: run,
		Audience: campaign.Audience{IDs: []string{"shop-1"}},
	}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range []campaign.Viewer{{Seller: "shop-1"}, {Seller: "shop-2"}, {Partner: "agency-1"}, {Partner: "agency-2"}} {
		sees, _ := e.Visible(c, v, at)
		fmt.Printf("%s%s sees it: %t\n", v.Seller, v.Partner, sees)
	}

	s, _ := e.Create(campaign.Campaign{
		ID: "shop-sale", Initiator: campaign.Seller, Owner: "shop-1", Market: affrules.MY,
		Name: "December sale", Contact: "+60 3 1234", Registration: reg, Period: run,
		Audience: campaign.Audience{All: true},
	}, at)
	product := eligibility.Result{ID: "serum", ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
	s, _ = e.Apply(s, campaign.Register(campaign.Registration{Product: "serum", Seller: "shop-1",
		Rate: affrules.MustParseRate("20%"), Samples: 5, Contact: "+60 3 1234"}, product), at)
	before, _ := e.Visible(s, campaign.Viewer{Partner: "agency-2"}, at)
	s, _ = e.Apply(s, campaign.Publish("shop-1"), at.Add(time.Hour))
	after, _ := e.Visible(s, campaign.Viewer{Partner: "agency-2"}, at.Add(time.Hour))
	fmt.Printf("agency-2 sees the seller's campaign: %t before publication, %t after\n", before, after)
	// Output:
	// shop-1 sees it: true
	// shop-2 sees it: false
	// agency-1 sees it: true
	// agency-2 sees it: false
	// agency-2 sees the seller's campaign: false before publication, true after
}

// A seller's campaign joined by two partners makes one PARTNER offer per product and partner,
// each covering the creators that partner matched by the instant asked about (CMP-6, COM-12).
func ExampleEvaluator_Offers() {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	reg, _ := campaign.Dates(affrules.MY, "2026-12-01", "2026-12-10")
	run, _ := campaign.Dates(affrules.MY, "2026-12-05", "2026-12-31")
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	day := func(d int) time.Time { return time.Date(2026, 12, d, 9, 0, 0, 0, kl) }

	c, _ := e.Create(campaign.Campaign{
		ID: "shop-sale", Initiator: campaign.Seller, Owner: "shop-1", Market: affrules.MY,
		Name: "December sale", Contact: "+60 3 1234", Registration: reg, Period: run,
		Audience: campaign.Audience{IDs: []string{"agency-1", "agency-2"}},
	}, day(1))
	product := eligibility.Result{ID: "serum", ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
	steps := []struct {
		a  campaign.Action
		at time.Time
	}{
		{campaign.Register(campaign.Registration{Product: "serum", Seller: "shop-1", Rate: affrules.MustParseRate("20%"),
			PartnerShare: affrules.MustParseRate("25%"), Samples: 5, Contact: "+60 3 1234"}, product), day(1)},
		{campaign.Publish("shop-1"), day(1)},
		{campaign.Join("agency-1"), day(2)},
		{campaign.Join("agency-2"), day(2)},
		{campaign.MatchCreators("agency-1", "serum", "aisyah"), day(3)},
		{campaign.MatchCreators("agency-2", "serum", "budi", "cara"), day(4)},
	}
	for _, s := range steps {
		var err error
		if c, err = e.Apply(c, s.a, s.at); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, at := range []time.Time{day(3), day(10)} {
		offers, _ := e.Offers(c, at)
		fmt.Println("on", at.Format(time.DateOnly))
		for _, o := range offers {
			terms, _ := o.Rates.At(at)
			fmt.Println(" ", o.ID, o.Creators, terms.Rate, "partner share", terms.PartnerShare)
		}
	}
	// Output:
	// on 2026-12-03
	//   shop-sale/serum/agency-1/1 [aisyah] 20% partner share 25%
	// on 2026-12-10
	//   shop-sale/serum/agency-1/1 [aisyah] 20% partner share 25%
	//   shop-sale/serum/agency-2/1 [budi cara] 20% partner share 25%
}

// A seller's joined campaigns, each with the seller's products and their review status
// (CMP-5).
func ExampleJoinedBy() {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	reg, _ := campaign.Dates(affrules.MY, "2026-12-01", "2026-12-10")
	run, _ := campaign.Dates(affrules.MY, "2026-12-05", "2026-12-31")
	at := reg.Start

	c, _ := e.Create(campaign.Campaign{
		ID: "year-end", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY,
		Name: "Year-end beauty", Contact: "ops@agency.example", Registration: reg, Period: run,
		Audience: campaign.Audience{All: true},
	}, at)
	for _, r := range []struct{ product, seller string }{{"serum", "shop-1"}, {"toner", "shop-1"}, {"lotion", "shop-2"}} {
		elig := eligibility.Result{ID: r.product, ShopID: r.seller, Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
		c, _ = e.Apply(c, campaign.Register(campaign.Registration{Product: r.product, Seller: r.seller,
			Rate: affrules.MustParseRate("15%"), Samples: 5, Contact: "+60 3 1234"}, elig), at)
	}
	c, _ = e.Apply(c, campaign.Review("agency-1", "serum", true), at.Add(time.Hour))
	c, _ = e.Apply(c, campaign.Review("agency-1", "lotion", false), at.Add(time.Hour))

	for _, j := range campaign.JoinedBy("shop-1", []campaign.Campaign{c}) {
		fmt.Println(j.Name)
		for _, p := range j.Products {
			fmt.Println(" ", p.Product, p.Status)
		}
	}
	// Output:
	// Year-end beauty
	//   serum approved
	//   toner pending
}

// A product listed in Open Collaboration at 10% earns every creator that rate from the
// instant of listing (CMP-1).
func ExampleEvaluator_List() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	open, err := e.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: affrules.MustParseRate("10%")}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(open.Source, open.Product, "from", open.Period.Start.Format(time.RFC3339), "covering", open.Coverage)

	book, _ := com.Prepare(open)
	line := commission.Order{ID: "o-1", Creator: "aisyah", Product: "toner", Market: affrules.MY, Attributed: true,
		OrderCount: 1, PromotingSince: at, Price: decimal.RequireFromString("50.00"), Currency: "MYR"}
	got, _ := com.Compute(book, line, at.Add(48*time.Hour))
	fmt.Println(got)

	_, err = e.List("open-serum", affrules.MY, "serum", commission.Terms{Rate: affrules.MustParseRate("85%")}, at)
	fmt.Println(err != nil)
	// Output:
	// OPEN toner from 2026-12-01T00:00:00Z covering everyone
	// 10% of 50.00 MYR = 5.00 MYR (OPEN offer open-toner, half_up)
	// true
}

// An Open rate lowered from 10% to 8% reaches a creator already promoting the product only 30
// days later, and a new promoter at once (CMP-7, COM-10).
func ExampleEvaluator_ChangeRate() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	listed := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	changed := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	open, _ := e.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: affrules.MustParseRate("10%")}, listed)
	open, err := e.ChangeRate(open, commission.Terms{Rate: affrules.MustParseRate("8%")}, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	book, _ := com.Prepare(open)
	for _, o := range []struct {
		creator        string
		since, ordered time.Time
	}{
		{"aisyah", listed, changed.Add(24 * time.Hour)},
		{"aisyah", listed, changed.Add(30 * 24 * time.Hour)},
		{"budi", changed, changed.Add(24 * time.Hour)},
	} {
		r, _ := com.Resolve(book, commission.Order{ID: "o", Creator: o.creator, Product: "toner", Market: affrules.MY,
			Attributed: true, OrderCount: 1, PromotingSince: o.since}, o.ordered)
		fmt.Println(o.creator, o.ordered.Format(time.DateOnly), r.Rate)
	}
	// Output:
	// aisyah 2026-12-02 10%
	// aisyah 2026-12-31 8%
	// budi 2026-12-02 8%
}

// A product removed from Open Collaboration earns no Open rate on orders from the removal
// instant on; earlier orders keep theirs. It cannot be removed twice (CMP-7).
func ExampleEvaluator_Remove() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	listed := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	removed := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	open, _ := e.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: affrules.MustParseRate("10%")}, listed)
	open, err := e.Remove(open, removed)
	if err != nil {
		fmt.Println(err)
		return
	}
	book, _ := com.Prepare(open)
	for _, at := range []time.Time{removed.Add(-time.Second), removed} {
		r, _ := com.Resolve(book, commission.Order{ID: "o", Creator: "aisyah", Product: "toner", Market: affrules.MY,
			Attributed: true, OrderCount: 1, PromotingSince: listed}, at)
		fmt.Println(at.Format(time.RFC3339), "earned:", r.Earned(), r.Rate)
	}
	_, err = e.Remove(open, removed.Add(time.Hour))
	fmt.Println(err)
	// Output:
	// 2026-11-30T23:59:59Z earned: true 10%
	// 2026-12-01T00:00:00Z earned: false 0%
	// campaign: remove "open-toner" refused: CMP-7 failed: the collaboration is not running (observed at 2026-12-01T01:00:00Z, limit 2026-12-01T00:00:00Z)
}

// A Target Collaboration offer runs beside the product's Open listing: the creators it names
// earn its rate, everyone else the Open rate (CMP-1, COM-5).
func ExampleEvaluator_Target() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

	open, _ := e.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: affrules.MustParseRate("10%")}, start)
	targets, err := e.Target(campaign.TargetOffer{
		ID: "vip", Market: affrules.MY, Creators: []string{"aisyah"},
		Period:   affrules.Period{Start: start, End: start.AddDate(0, 1, 0)},
		Products: []campaign.TargetProduct{{Product: "toner", Terms: commission.Terms{Rate: affrules.MustParseRate("15%")}}},
	}, start)
	if err != nil {
		fmt.Println(err)
		return
	}
	book, _ := com.Prepare(append(targets, open)...)
	for _, creator := range []string{"aisyah", "budi"} {
		r, _ := com.Resolve(book, commission.Order{ID: "o", Creator: creator, Product: "toner", Market: affrules.MY,
			Attributed: true, OrderCount: 1, PromotingSince: start}, start.Add(72*time.Hour))
		fmt.Println(creator, r.Source, r.OfferID, r.Rate)
	}
	// Output:
	// aisyah TARGET TARGET/vip/toner 15%
	// budi OPEN open-toner 10%
}

// A creator's request to promote an Open product: denied before the listing starts, with the
// instant it starts; granted at once from then on, or waiting for the seller when the policy
// asks for approval (CMP-1).
func ExampleEvaluator_Request() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	open, _ := e.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: affrules.MustParseRate("10%")}, start)

	status, d, _ := e.Request(open, "aisyah", start.Add(-time.Hour))
	fmt.Println(status, d)
	status, d, _ = e.Request(open, "aisyah", start)
	fmt.Println(status, d)

	p := campaign.DefaultPolicy()
	p.OpenApproval = true
	status, _, _ = campaign.MustNew(p, com).Request(open, "aisyah", start)
	fmt.Println(status)
	// Output:
	// rejected denied: CMP-1 failed: the collaboration is not running (observed at 2026-11-30T23:00:00Z, limit 2026-12-01T00:00:00Z); next allowed 2026-12-01T00:00:00Z
	// approved allowed
	// pending
}

// Dates builds a period from calendar days in the market's zone, the last day included
// (MKT-2): the UK's spring-forward day is 23 hours long.
func ExampleDates() {
	p, _ := campaign.Dates(affrules.UK, "2026-03-29", "2026-03-29")
	fmt.Println(p, p.Duration())
	p, _ = campaign.Dates(affrules.MY, "2026-12-01", "2026-12-10")
	fmt.Println(p, p.Duration())
	_, err := campaign.Dates(affrules.MY, "2026-12-10", "2026-12-01")
	fmt.Println(err)
	// Output:
	// [2026-03-29T00:00:00Z, 2026-03-30T00:00:00+01:00) 23h0m0s
	// [2026-12-01T00:00:00+08:00, 2026-12-11T00:00:00+08:00) 240h0m0s
	// campaign: last 2026-12-01: is before first 2026-12-10: end is before start
}

// ParsePolicy keeps the defaults of the settings left out and names a typo's place.
func ExampleParsePolicy() {
	p, err := campaign.ParsePolicy([]byte(`{"markets": ["MY", "TH"], "open_approval": true}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Markets, p.OpenApproval, p.RegistrationWithinCampaign)

	_, err = campaign.ParsePolicy([]byte(`{"Markets": ["MY"]}`))
	fmt.Println(err)
	// Output:
	// [MY TH] true true
	// campaign: policy "Markets": is not a field: keys are case-sensitive (did you mean "markets"?)
}
