// Command commission walks through the commission rules (SPEC §4): the seed's October story of
// a creator who joins a Collaboration Plus while the Open Collaboration rate is lowered, with the
// resolver's explanation of every order; a shop-ads order; a commission record refunded in part
// and then in full; and a partner campaign's split in rupiah (no minor unit) and in pounds.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

func main() {
	e := commission.MustNew(commission.DefaultPolicy())
	october(e)
	shopAds(e)
	refunds(e)
	split(e)
}

func rate(s string) affrules.Rate { return affrules.MustParseRate(s) }

func amount(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func timeline(es ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
	tl, err := affrules.NewTimeline(es...)
	if err != nil {
		log.Fatal(err)
	}
	return tl
}

func terms(from time.Time, t commission.Terms) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: t}
}

func market(code affrules.MarketCode) affrules.Market {
	m, err := affrules.LookupMarket(code)
	if err != nil {
		log.Fatal(err)
	}
	return m
}

// october is the seed's example as SPEC COM-3 reads it.
func october(e *commission.Evaluator) {
	th := market(affrules.TH)
	oct := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, th.Location()) }
	lastDay := oct(5, 0, 0)
	open := commission.Offer{ID: "open-lamp", Source: commission.Open, Market: affrules.TH, Product: "lamp", Coverage: commission.Everyone,
		Period: affrules.Period{Start: oct(1, 0, 0)},
		Rates:  timeline(terms(oct(1, 0, 0), commission.Terms{Rate: rate("10%")}), terms(oct(3, 0, 0), commission.Terms{Rate: rate("8%")}))}
	plus := commission.Offer{ID: "plus-lamp", Source: commission.CollabPlus, Market: affrules.TH, Product: "lamp", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "mali", Joined: oct(2, 0, 0)}},
		// Sep 22–Oct 5, end dates inclusive: it ends at the first instant of Oct 6.
		Period: affrules.Period{Start: time.Date(2026, 9, 22, 0, 0, 0, 0, th.Location()), End: th.Day(lastDay).End},
		Rates:  timeline(terms(time.Date(2026, 9, 22, 0, 0, 0, 0, th.Location()), commission.Terms{Rate: rate("15%")}))}
	book, err := e.Prepare(open, plus)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("== October (COM-3, COM-10): Open 10% from Oct 1, 8% from Oct 3; mali joined a 15% Collaboration Plus (Sep 22–Oct 5) on Oct 2")
	line := commission.Order{ID: "line", Creator: "mali", Product: "lamp", Market: affrules.TH, Attributed: true, OrderCount: 1,
		PromotingSince: oct(1, 0, 0), Currency: "THB", Price: amount("400.00")}
	for i, at := range []time.Time{oct(1, 18, 0), oct(4, 12, 0), oct(5, 23, 59), oct(6, 0, 0)} {
		line.ID = fmt.Sprint("oct-", i+1)
		c, err := e.Compute(book, line, at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s  %s\n  %s\n", at.Format("Mon Jan 2 15:04"), c, indent(c.Explain()))
	}
	fmt.Println()
}

// shopAds shows an order through shop ads (COM-5, COM-6): Target outranks Open but has no
// shop-ads rate, so its standard rate is paid; without the video authorisation the order is an
// ordinary one.
func shopAds(e *commission.Evaluator) {
	my := market(affrules.MY)
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, my.Location())
	open := commission.Offer{ID: "open-mat", Source: commission.Open, Market: affrules.MY, Product: "mat", Coverage: commission.Everyone,
		Period: affrules.Period{Start: start}, Rates: timeline(terms(start, commission.Terms{Rate: rate("9%"), ShopAds: rate("5%")}))}
	target := commission.Offer{ID: "target-mat", Source: commission.Target, Market: affrules.MY, Product: "mat", Coverage: commission.Listed,
		Creators: []string{"aziz"}, Period: affrules.Period{Start: start, End: start.AddDate(0, 1, 0)},
		Rates: timeline(terms(start, commission.Terms{Rate: rate("12%")}))}
	book, err := e.Prepare(open, target)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("== Shop ads (COM-5, COM-6): Open 9% with a 5% shop-ads rate, Target 12% for aziz without one")
	for _, tc := range []struct {
		creator    string
		authorised bool
	}{{"aziz", true}, {"siti", true}, {"siti", false}} {
		c, err := e.Compute(book, commission.Order{ID: "ads-" + tc.creator, Creator: tc.creator, Product: "mat", Market: affrules.MY, Attributed: true,
			ShopAds: true, VideoAuthorised: tc.authorised, OrderCount: 1, PromotingSince: start, Currency: "MYR", Price: amount("89.90"),
			SellerCoupon: amount("9.90")}, start.Add(30*time.Hour))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s, video authorised %v: %s\n  %s\n", tc.creator, tc.authorised, c, indent(c.Explain()))
	}
	fmt.Println()
}

// refunds records a commission and refunds its line in part, then in full (COM-8).
func refunds(e *commission.Evaluator) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, market(affrules.UK).Location())
	book, err := e.Prepare(commission.Offer{ID: "open-kettle", Source: commission.Open, Market: affrules.UK, Product: "kettle",
		Coverage: commission.Everyone, Period: affrules.Period{Start: start}, Rates: timeline(terms(start, commission.Terms{Rate: rate("12.5%")}))})
	if err != nil {
		log.Fatal(err)
	}
	c, err := e.Compute(book, commission.Order{ID: "line-kettle", Creator: "ben", Product: "kettle", Market: affrules.UK, Attributed: true,
		OrderCount: 1, PromotingSince: start, Currency: "GBP", Price: amount("59.99"), PlatformCoupon: amount("5.00"), Tax: amount("9.17"),
		Shipping: amount("3.99")}, start.Add(2*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("== Refunds (COM-1, COM-8)")
	fmt.Println(c)
	s := commission.DefaultPolicy().Settlement()
	store := commission.NewRecordMemory()
	ctx := context.Background()
	rec, err := s.Open(c, "standard")
	if err != nil {
		log.Fatal(err)
	}
	if rec, err = store.Create(ctx, s, rec); err != nil {
		log.Fatal(err)
	}
	show := func(what string, r commission.Record) {
		fmt.Printf("%-34s %-10s commission %s (refunded %s of %s paid)\n", what, r.State, r.Amount, r.Refunded, r.Paid)
	}
	show("recorded, due "+rec.DueAt.Format(time.DateOnly)+":", rec)
	// Refunds are of what the buyer paid: the price less the platform coupon, 54.99 GBP.
	events := []commission.Event{
		{ID: "rf-1", Record: rec.ID, Kind: commission.Refund, Amount: amount("20.00"), Currency: "GBP", At: start.Add(26 * time.Hour)},
		{ID: "rf-1", Record: rec.ID, Kind: commission.Refund, Amount: amount("20.00"), Currency: "GBP", At: start.Add(26 * time.Hour)},
		{ID: "rf-2", Record: rec.ID, Kind: commission.Refund, Amount: amount("50.00"), Currency: "GBP", At: start.Add(27 * time.Hour)},
		{ID: "rf-3", Record: rec.ID, Kind: commission.Refund, Amount: amount("34.99"), Currency: "GBP", At: start.Add(28 * time.Hour)},
	}
	labels := []string{"partial refund of 20.00:", "the same refund again:", "a refund of 50.00:", "the rest, 34.99:"}
	for i, ev := range events {
		r, err := store.Apply(ctx, s, ev)
		if err != nil {
			fmt.Printf("%-34s refused: %v\n", labels[i], err)
			continue
		}
		show(labels[i], r)
	}
	fmt.Println()
}

// split computes a partner campaign's commission in rupiah and in pounds (COM-7).
func split(e *commission.Evaluator) {
	fmt.Println("== Partner campaign split (COM-7): 17% total, the partner's share 35%")
	for _, tc := range []struct {
		code   affrules.MarketCode
		prices []string
	}{{affrules.ID, []string{"149900", "33333", "7"}}, {affrules.UK, []string{"24.99", "33.33", "0.07"}}} {
		m := market(tc.code)
		start := time.Date(2026, 11, 2, 0, 0, 0, 0, m.Location())
		book, err := e.Prepare(commission.Offer{ID: "tap-" + string(tc.code), Source: commission.Partner, Market: tc.code, Product: "serum",
			Coverage: commission.Listed, Creators: []string{"ana"}, Approved: true, Period: affrules.Period{Start: start, End: start.AddDate(0, 0, 14)},
			Rates: timeline(terms(start, commission.Terms{Rate: rate("17%"), PartnerShare: rate("35%")}))})
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range tc.prices {
			c, err := e.Compute(book, commission.Order{ID: "line", Creator: "ana", Product: "serum", Market: tc.code, Attributed: true,
				OrderCount: 1, PromotingSince: start, Currency: m.Currency, Price: amount(p)}, start.Add(5*time.Hour))
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("%s: %s + %s = %s\n", c, c.Partner, c.Creator, c.Amount)
		}
	}
}

func indent(s string) string {
	out := []byte{}
	for i := 0; i < len(s); i++ {
		out = append(out, s[i])
		if s[i] == '\n' {
			out = append(out, ' ', ' ')
		}
	}
	return string(out)
}
