package commission_test

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

var bangkok = mustZone("Asia/Bangkok")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func day(d int) time.Time { return time.Date(2026, 10, d, 0, 0, 0, 0, bangkok) }

func rate(s string) affrules.Rate { return affrules.MustParseRate(s) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func history(entries ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
	tl, err := affrules.NewTimeline(entries...)
	if err != nil {
		panic(err)
	}
	return tl
}

func at(from time.Time, r string) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: rate(r)}}
}

func openOffer(id string, entries ...affrules.Effective[commission.Terms]) commission.Offer {
	return commission.Offer{ID: id, Source: commission.Open, Market: affrules.TH, Product: "p1", Coverage: commission.Everyone,
		Period: affrules.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, bangkok)}, Rates: history(entries...)}
}

// october is the seed's story (SPEC COM-3): Open 10% from Oct 1, lowered to 8% on Oct 3; a 15%
// Collaboration Plus running Sep 22–Oct 5 (end instant Oct 6 00:00) that creator c1 joined on
// Oct 2.
func october() []commission.Offer {
	cp := commission.Offer{ID: "cp-1", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "c1", Joined: day(2)}},
		Period:  affrules.Period{Start: time.Date(2026, 9, 22, 0, 0, 0, 0, bangkok), End: day(6)},
		Rates:   history(at(time.Date(2026, 9, 22, 0, 0, 0, 0, bangkok), "15%"))}
	return []commission.Offer{openOffer("open-1", at(day(1), "10%"), at(day(3), "8%")), cp}
}

func order(id string, promoting time.Time) commission.Order {
	return commission.Order{ID: id, Creator: "c1", Product: "p1", Market: affrules.TH, Attributed: true, OrderCount: 1,
		PromotingSince: promoting, Currency: "THB", Price: dec("100.00"), PlatformCoupon: dec("0"), SellerCoupon: dec("0"),
		Tax: dec("0"), Shipping: dec("0")}
}
