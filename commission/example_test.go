package commission_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// The seed's October story (SPEC COM-3): Open Collaboration at 10% from Oct 1, lowered to 8% on
// Oct 3; a 15% Collaboration Plus running Sep 22–Oct 5 that the creator, promoting since Oct 1,
// joined on Oct 2. Orders on Oct 4 and at Oct 5 23:59 earn 15%; at Oct 6 00:00 the creator is
// back on Open as a new promoter (COM-10) and earns the current 8%.
func ExampleEvaluator_Resolve() {
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	oct := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, bkk) }
	tl := func(es ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
		t, _ := affrules.NewTimeline(es...)
		return t
	}
	terms := func(from time.Time, r string) affrules.Effective[commission.Terms] {
		return affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: affrules.MustParseRate(r)}}
	}
	open := commission.Offer{ID: "open-1", Source: commission.Open, Market: affrules.TH, Product: "lamp",
		Coverage: commission.Everyone, Period: affrules.Period{Start: oct(1, 0, 0)},
		Rates: tl(terms(oct(1, 0, 0), "10%"), terms(oct(3, 0, 0), "8%"))}
	plus := commission.Offer{ID: "plus-7", Source: commission.CollabPlus, Market: affrules.TH, Product: "lamp",
		Coverage: commission.Members, Members: []commission.Member{{Creator: "mali", Joined: oct(2, 0, 0)}},
		Period: affrules.Period{Start: time.Date(2026, 9, 22, 0, 0, 0, 0, bkk), End: oct(6, 0, 0)}, // Sep 22–Oct 5 inclusive
		Rates:  tl(terms(time.Date(2026, 9, 22, 0, 0, 0, 0, bkk), "15%"))}

	e := commission.MustNew(commission.DefaultPolicy())
	book, err := e.Prepare(open, plus)
	if err != nil {
		fmt.Println(err)
		return
	}
	line := commission.Order{ID: "line-1", Creator: "mali", Product: "lamp", Market: affrules.TH, Attributed: true,
		OrderCount: 1, PromotingSince: oct(1, 0, 0)}
	for _, at := range []time.Time{oct(4, 12, 0), oct(5, 23, 59), oct(6, 0, 0)} {
		r, err := e.Resolve(book, line, at)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(at.Format("Jan 2 15:04"), "→", r.Explain())
	}
	// Output:
	// Oct 4 12:00 → COLLAB_PLUS offer plus-7 pays 15%
	//   OPEN offer open-1 (10%): COM-5 not applicable: overridden by COLLAB_PLUS (observed OPEN offer open-1, limit COLLAB_PLUS ranks higher)
	// Oct 5 23:59 → COLLAB_PLUS offer plus-7 pays 15%
	//   OPEN offer open-1 (10%): COM-5 not applicable: overridden by COLLAB_PLUS (observed OPEN offer open-1, limit COLLAB_PLUS ranks higher)
	// Oct 6 00:00 → OPEN offer open-1 pays 8%
	//   note: COM-10 not applicable: back from COLLAB_PLUS: a new promoter, who gets the current rate (observed COLLAB_PLUS offer plus-7, limit from 2026-10-06T00:00:00+07:00)
	//   COLLAB_PLUS offer plus-7: COM-3 not applicable: outside its period (observed order at 2026-10-06T00:00:00+07:00, limit ended 2026-10-06T00:00:00+07:00)
}

// A partner campaign (COM-7, COM-12): a 20% total rate, of which the partner takes 30%. The
// amount is rounded once to the market's minor unit and the parts sum to it exactly, in GBP
// (pence) and in IDR (whole rupiah).
func ExampleEvaluator_Compute() {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	e := commission.MustNew(commission.DefaultPolicy())
	for _, tc := range []struct {
		market          affrules.MarketCode
		currency, price string
	}{{affrules.UK, "GBP", "33.33"}, {affrules.ID, "IDR", "99999"}} {
		rates, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: start,
			Value: commission.Terms{Rate: affrules.MustParseRate("20%"), PartnerShare: affrules.MustParseRate("30%")}})
		campaign := commission.Offer{ID: "tap-" + string(tc.market), Source: commission.Partner, Market: tc.market, Product: "serum",
			Coverage: commission.Listed, Creators: []string{"ana"}, Approved: true,
			Period: affrules.Period{Start: start, End: start.AddDate(0, 1, 0)}, Rates: rates}
		book, err := e.Prepare(campaign)
		if err != nil {
			fmt.Println(err)
			return
		}
		c, err := e.Compute(book, commission.Order{ID: "line-" + string(tc.market), Creator: "ana", Product: "serum", Market: tc.market,
			Attributed: true, OrderCount: 1, PromotingSince: start, Currency: tc.currency,
			Price: decimal.RequireFromString(tc.price), Shipping: decimal.RequireFromString("5")}, start.AddDate(0, 0, 3))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c)
	}
	// Output:
	// 20% of 33.33 GBP = 6.67 GBP (partner 2.00 GBP, creator 4.67 GBP) (PARTNER offer tap-UK, half_up)
	// 20% of 99999 IDR = 20000 IDR (partner 6000 IDR, creator 14000 IDR) (PARTNER offer tap-ID, half_up)
}

// A settlement run over many order lines passes each by pointer and writes every commission
// into one Commission, which spares copying both on each call; each line's commission is used
// (here summed) before the next overwrites it.
func ExampleEvaluator_ComputeInto() {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	e := commission.MustNew(commission.DefaultPolicy())
	rates, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: start, Value: commission.Terms{Rate: affrules.MustParseRate("12%")}})
	book, err := e.Prepare(commission.Offer{ID: "open-mat", Source: commission.Open, Market: affrules.UK, Product: "mat",
		Coverage: commission.Everyone, Period: affrules.Period{Start: start}, Rates: rates})
	if err != nil {
		fmt.Println(err)
		return
	}
	lines := []commission.Order{
		{ID: "l1", Creator: "ana", Product: "mat", Market: affrules.UK, Attributed: true, OrderCount: 1, PromotingSince: start, Currency: "GBP", Price: decimal.RequireFromString("20.00")},
		{ID: "l2", Creator: "ben", Product: "mat", Market: affrules.UK, Attributed: false, OrderCount: 1, PromotingSince: start, Currency: "GBP", Price: decimal.RequireFromString("35.50")},
		{ID: "l3", Creator: "ana", Product: "mat", Market: affrules.UK, Attributed: true, OrderCount: 2, PromotingSince: start, Currency: "GBP", Price: decimal.RequireFromString("9.99")},
	}
	var c commission.Commission
	var total int64
	for i := range lines {
		if err := e.ComputeInto(&c, book, &lines[i], start.AddDate(0, 0, 2)); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(lines[i].ID, c.Amount, c.Earned())
		total += c.Amount.Units
	}
	fmt.Println("total", total, "pence")
	// Output:
	// l1 2.40 GBP true
	// l2 0.00 GBP false
	// l3 1.20 GBP true
	// total 360 pence
}

// Refunds (COM-8): a partial refund reduces the commission in proportion, the same refund event
// applied twice changes nothing, and refunding the rest leaves exactly zero and the record
// ineligible.
func ExampleSettlement_Apply() {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	e := commission.MustNew(commission.DefaultPolicy())
	rates, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: start, Value: commission.Terms{Rate: affrules.MustParseRate("12%")}})
	book, _ := e.Prepare(commission.Offer{ID: "open-9", Source: commission.Open, Market: affrules.UK, Product: "kettle",
		Coverage: commission.Everyone, Period: affrules.Period{Start: start}, Rates: rates})
	c, err := e.Compute(book, commission.Order{ID: "line-9", Creator: "ben", Product: "kettle", Market: affrules.UK, Attributed: true,
		OrderCount: 1, PromotingSince: start, Currency: "GBP", Price: decimal.RequireFromString("60.00"),
		SellerCoupon: decimal.RequireFromString("10.00")}, start.Add(time.Hour))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := commission.DefaultPolicy().Settlement()
	store := commission.NewRecordMemory()
	ctx := context.Background()
	rec, _ := s.Open(c, "standard")
	rec, err = store.Create(ctx, s, rec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rec.State, rec.Amount, "due", rec.DueAt.Format(time.DateOnly))
	// The buyer paid 50.00 GBP (the price less the seller coupon): refunds are of that.
	refund := commission.Event{ID: "rf-1", Record: "line-9", Kind: commission.Refund, Amount: decimal.RequireFromString("20.00"), Currency: "GBP", At: start.Add(48 * time.Hour)}
	for range 2 {
		rec, _ = store.Apply(ctx, s, refund)
		fmt.Println(rec.State, rec.Amount, "refunded", rec.Refunded)
	}
	_, err = store.Apply(ctx, s, commission.Event{ID: "rf-2", Record: "line-9", Kind: commission.Refund, Amount: decimal.RequireFromString("30.01"), Currency: "GBP", At: start.Add(49 * time.Hour)})
	fmt.Println(errors.Is(err, affrules.ErrOutOfRange))
	rec, _ = store.Apply(ctx, s, commission.Event{ID: "rf-3", Record: "line-9", Kind: commission.Refund, Amount: decimal.RequireFromString("30.00"), Currency: "GBP", At: start.Add(50 * time.Hour)})
	fmt.Println(rec.State, rec.Amount, "refunded", rec.Refunded)
	// Output:
	// pending 6.00 GBP due 2026-11-08
	// pending 3.60 GBP refunded 20.00 GBP
	// pending 3.60 GBP refunded 20.00 GBP
	// true
	// ineligible 0.00 GBP refunded 50.00 GBP
}

// A policy in JSON: settings left out keep their defaults; a misspelt key is an error naming it.
func ExampleParsePolicy() {
	p, err := commission.ParsePolicy([]byte(`{"decrease_delay_days": 14, "rounding": "half_even"}`))
	fmt.Println(p.DecreaseDelayDays, p.Rounding, p.Precedence, p.MaxRate, err)
	_, err = commission.ParsePolicy([]byte(`{"Rounding": "half_even"}`))
	fmt.Println(err)
	// Output:
	// 14 half_even [COLLAB_PLUS PARTNER TARGET OPEN] 80% <nil>
	// commission: policy "Rounding": is not a field: keys are case-sensitive (did you mean "rounding"?)
}

// Suggested rates (COM-14) are advisory: a lower rate yields a non-blocking reason.
func ExampleEvaluator_Advise() {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {affrules.Fashion: affrules.MustParseRate("12%")}}
	e := commission.MustNew(p)
	r, below, _ := e.Advise(affrules.TH, affrules.Fashion, affrules.MustParseRate("8%"))
	fmt.Println(below, r)
	_, below, _ = e.Advise(affrules.TH, affrules.Fashion, affrules.MustParseRate("12%"))
	fmt.Println(below)
	// Output:
	// true COM-14 not applicable: rate below the suggested rate for fashion (advisory) (observed 8%, limit suggested 12%)
	// false
}

// An offer store checks every change, made at an instant, under the policy's rule (COM-9,
// COM-11) and stores nothing it refuses: nothing in force before the change may change (COM-3).
func ExampleOfferMemory_Put() {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rule := commission.DefaultPolicy().OfferRule()
	store := commission.NewOfferMemory()
	ctx := context.Background()
	tier := &commission.Tier{Threshold: 50, Rate: affrules.MustParseRate("12%")}
	rates, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: start, Value: commission.Terms{Rate: affrules.MustParseRate("10%"), Tier: tier}})
	o := commission.Offer{ID: "open-3", Source: commission.Open, Market: affrules.MY, Product: "mat", Coverage: commission.Everyone,
		Period: affrules.Period{Start: start}, Rates: rates}
	_, err := store.Put(ctx, rule, o, start)
	fmt.Println(err)
	o.Rates, _ = o.Rates.With(affrules.Effective[commission.Terms]{From: start.AddDate(0, 0, 7),
		Value: commission.Terms{Rate: affrules.MustParseRate("10%"), Tier: &commission.Tier{Threshold: 40, Rate: affrules.MustParseRate("12%")}}})
	_, err = store.Put(ctx, rule, o, start.AddDate(0, 0, 6)) // made on Nov 7, in force from Nov 8
	fmt.Println(err)
	o.Rates, _ = affrules.NewTimeline(affrules.Effective[commission.Terms]{From: start, Value: commission.Terms{Rate: affrules.MustParseRate("10%"), Tier: tier}},
		affrules.Effective[commission.Terms]{From: start.AddDate(0, 0, 3), Value: commission.Terms{Rate: affrules.MustParseRate("11%"), Tier: tier}})
	_, err = store.Put(ctx, rule, o, start.AddDate(0, 0, 6)) // a rate dated before the change (COM-3)
	fmt.Println(err)
	stored, _ := store.Offer(ctx, "open-3")
	fmt.Println(stored.Rates.Len())
	// Output:
	// <nil>
	// commission: offer.rates[1].value.tier.threshold 40: changes the active threshold 50 (COM-11: the threshold cannot change once active)
	// commission: offer.rates[1].from 2026-11-04T00:00:00Z: is before the change at 2026-11-07T00:00:00Z: a new rate is in force from the change on (COM-3)
	// 1
}

// Offers arrive as JSON from the host's campaign data; keys are read strictly, and the policy's
// rule then checks the offer (COM-9: every rate within 1%–80%).
func ExampleParseOffer() {
	o, err := commission.ParseOffer([]byte(`{
		"id": "target-9", "source": "TARGET", "market": "PH", "product": "fan", "coverage": "listed",
		"creators": ["jo"], "period": {"start": "2026-11-01T00:00:00+08:00", "end": "2026-12-01T00:00:00+08:00"},
		"rates": [{"from": "2026-11-01T00:00:00+08:00", "value": {"rate": "12%", "shop_ads": "85%"}}]}`))
	fmt.Println(o.Source, o.Creators, o.Rates.Len(), err)
	fmt.Println(commission.DefaultPolicy().OfferRule().Check(nil, o, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))
	_, err = commission.ParseOffer([]byte(`{"id": "x", "Source": "TARGET"}`))
	fmt.Println(err)
	// Output:
	// TARGET [jo] 1 <nil>
	// commission: offer.rates[0].value.shop_ads 85%: must be between 1% and 80% (COM-9): out of range
	// commission: offer "Source": is not a field: keys are case-sensitive (did you mean "source"?)
}
