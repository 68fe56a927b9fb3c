package commissiontest

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

// sources are the four rate sources of COM-2.
var sources = []commission.Source{commission.CollabPlus, commission.Partner, commission.Target, commission.Open}

// rateOf returns the rate of u billionths (1e-9), which must lie in 0–1e9.
func rateOf(u int64) affrules.Rate {
	r, err := affrules.RateFromDecimal(decimal.New(u, -9))
	if err != nil {
		panic(err) // u is in range by construction
	}
	return r
}

// units returns r in billionths.
func units(r affrules.Rate) int64 { return r.Decimal().Shift(9).IntPart() }

// Policy returns a generator of valid policies: variations of [commission.DefaultPolicy] with
// both precedence lists reordered (every source ranked), the rate bounds moved (a minimum of
// 0.5%–5%, a maximum of 50%–100%), another decrease delay, other delayed and reset sources,
// the fallbacks flipped, an exclusive rate required or not, a removal delayed or not, another
// rounding mode, other settlement periods, and at times a suggested rate for a category. Every policy it draws
// passes [commission.Policy.Validate].
func Policy() *rapid.Generator[commission.Policy] {
	return rapid.Custom(func(t *rapid.T) commission.Policy {
		p := commission.DefaultPolicy()
		p.Precedence = rapid.Permutation(sources).Draw(t, "precedence")
		p.ShopAdsPrecedence = rapid.Permutation(sources).Draw(t, "shop_ads_precedence")
		p.ShopAdsFallback = rapid.Bool().Draw(t, "shop_ads_fallback")
		p.UnauthorisedAdsStandard = rapid.Bool().Draw(t, "unauthorised_ads_standard")
		p.MinRate = rateOf(rapid.Int64Range(5_000_000, 50_000_000).Draw(t, "min_rate"))
		p.MaxRate = rateOf(rapid.Int64Range(500_000_000, 1_000_000_000).Draw(t, "max_rate"))
		p.DecreaseDelayDays = rapid.SampledFrom([]int{0, 1, 7, 30, 90}).Draw(t, "decrease_delay_days")
		p.DelayedSources = rapid.SliceOfDistinct(rapid.SampledFrom(sources), func(s commission.Source) commission.Source { return s }).Draw(t, "delayed_sources")
		p.ResetSources = rapid.SliceOfDistinct(rapid.SampledFrom(sources), func(s commission.Source) commission.Source { return s }).Draw(t, "reset_sources")
		p.RequireExclusiveRate = rapid.Bool().Draw(t, "require_exclusive_rate")
		// A removal that keeps paying is not also a return from a reset source.
		p.RemovalDelayed = !slices.Contains(p.ResetSources, commission.Open) && rapid.Bool().Draw(t, "removal_delayed")
		p.TaxInBase = rapid.Bool().Draw(t, "tax_in_base")
		p.PlatformCouponInBase = rapid.Bool().Draw(t, "platform_coupon_in_base")
		p.ShippingInBase = rapid.Bool().Draw(t, "shipping_in_base")
		p.Rounding = rapid.SampledFrom([]affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}).Draw(t, "rounding")
		p.SettlementDays = map[string]int{
			"standard": rapid.IntRange(0, 30).Draw(t, "standard_days"),
			"trusted":  rapid.IntRange(0, 30).Draw(t, "trusted_days"),
			"new":      rapid.IntRange(0, 30).Draw(t, "new_days"),
		}
		if rapid.Bool().Draw(t, "suggested") {
			p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{
				affrules.UK: {"beauty": Rate(p).Draw(t, "suggested_rate")},
			}
		}
		return p
	})
}

// Rate returns a generator of rates within p's bounds (COM-9): at or a billionth inside
// p.MinRate or p.MaxRate, or anywhere between them.
func Rate(p commission.Policy) *rapid.Generator[affrules.Rate] {
	lo, hi := units(p.MinRate), units(p.MaxRate)
	if hi < lo {
		hi = lo
	}
	near := []int64{lo, min(lo+1, hi), max(hi-1, lo), hi}
	return rapid.Custom(func(t *rapid.T) affrules.Rate {
		return rateOf(rapid.OneOf(rapid.SampledFrom(near), rapid.Int64Range(lo, hi)).Draw(t, "rate_units"))
	})
}

// Case is one question to the commission rules: the offers of one product in one market, and
// an order line of it at instant At.
type Case struct {
	Offers []commission.Offer
	Order  commission.Order
	At     time.Time
}

// caseMarkets are the markets cases are drawn in: currencies with and without minor units, and
// zones with and without daylight saving.
var caseMarkets = []affrules.MarketCode{affrules.UK, affrules.TH, affrules.ID}

// Cases returns a generator of valid cases under p, straddling its rates and the offers'
// periods: one to four offers of the product (at most one of each source), each checked by
// p's rule ([commission.Policy.OfferRule]), with rates from [Rate] that change over time (a
// decrease, an increase, an upper tier for Open, a shop-ads rate, a partner share), periods that
// start and end around the order, members who join around it; and an order by one of three
// creators (covered by all, some or none of the offers), attributed or not, through shop ads or
// not, numbered around an upper tier's threshold, promoting since before or after a rate
// change, with amounts that are exact in the market's currency. The instant is at or near an
// edge of an offer's period or history, a member's join, a decrease's delay (COM-10), a market
// midnight or a daylight-saving change.
func Cases(p commission.Policy) *rapid.Generator[Case] {
	return rapid.Custom(func(t *rapid.T) Case { return drawCase(t, p, false, 0) })
}

// earning returns a generator of cases whose order earns under p if any source of its offers is
// ranked: attributed, not through shop ads, by a creator every offer covers, inside every
// period and after every change. Its offers include one of source must, unless must is 0.
func earning(p commission.Policy, must commission.Source) *rapid.Generator[Case] {
	return rapid.Custom(func(t *rapid.T) Case { return drawCase(t, p, true, must) })
}

func drawCase(t *rapid.T, p commission.Policy, earns bool, must commission.Source) Case {
	market := rapid.SampledFrom(caseMarkets).Draw(t, "market")
	m, err := affrules.LookupMarket(market)
	if err != nil {
		t.Fatalf("market %s: %v", market, err)
	}
	loc := m.Location()
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, loc)
	day := 24 * time.Hour
	kinds := rapid.SliceOfNDistinct(rapid.SampledFrom(sources), 1, 4, func(s commission.Source) commission.Source { return s }).Draw(t, "sources")
	if earns && !slices.Contains(kinds, commission.Open) {
		kinds = append(kinds, commission.Open) // an Open rate, for a Collaboration Plus without one (COM-4)
	}
	if must != 0 && !slices.Contains(kinds, must) {
		kinds = append(kinds, must)
	}
	var edges []time.Time
	var offers []commission.Offer
	for i, s := range kinds {
		o := commission.Offer{ID: fmt.Sprintf("o%d-%s", i, s), Source: s, Market: market, Product: "p1"}
		start := t0.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "start_day")) * day)
		if earns {
			start = t0
		}
		o.Period.Start = start
		if !earns && rapid.Bool().Draw(t, "ends") {
			o.Period.End = start.Add(time.Duration(rapid.IntRange(1, 20).Draw(t, "days")) * day)
		}
		edges = append(edges, o.Period.Start)
		if !o.Period.End.IsZero() {
			edges = append(edges, o.Period.End)
		}
		switch s {
		case commission.Open:
			o.Coverage = commission.Everyone
		case commission.Target:
			o.Coverage, o.Creators = commission.Listed, []string{"c1"}
			if rapid.Bool().Draw(t, "target_c2") {
				o.Creators = append(o.Creators, "c2")
			}
		case commission.Partner:
			o.Coverage, o.Creators, o.Approved = commission.Listed, []string{"c1"}, earns || rapid.IntRange(0, 3).Draw(t, "approved") > 0
		case commission.CollabPlus:
			o.Coverage = commission.Members
			joined := start
			if !earns {
				// CP-7: from the start until the end.
				late := 5 * day
				if !o.Period.End.IsZero() {
					late = min(late, o.Period.End.Sub(start)-1)
				}
				joined = start.Add(time.Duration(rapid.Int64Range(0, int64(late)).Draw(t, "joined")))
			}
			o.Members = []commission.Member{{Creator: "c1", Joined: joined}}
			edges = append(edges, joined)
		}
		rates, froms := drawRates(t, p, o, start, earns)
		o.Rates = rates
		edges = append(edges, froms...)
		for _, f := range froms {
			edges = append(edges, f.Add(affrules.Days(p.DecreaseDelayDays)))
		}
		offers = append(offers, o)
	}
	var at time.Time
	if rapid.Bool().Draw(t, "at_case_edge") {
		offsets := []time.Duration{0, -1, 1, -time.Second, time.Second, -time.Hour, time.Hour, 24 * time.Hour}
		at = rapid.SampledFrom(edges).Draw(t, "edge").Add(rapid.SampledFrom(offsets).Draw(t, "edge_offset"))
	} else {
		at = instants(market, loc).Draw(t, "at")
	}
	if earns {
		at = t0.Add(time.Duration(rapid.Int64Range(int64(7*day), int64(9*day)).Draw(t, "at_earning")))
	}
	order := drawOrder(t, p, m, offers, at, earns)
	return Case{Offers: offers, Order: order, At: at}
}

// instants returns a generator of instants in market m, whose zone is loc, around the
// market's midnights of October 2026 and its daylight-saving changes ([affrulestest.Instant]),
// built once per market: the changes take a while to find.
func instants(m affrules.MarketCode, loc *time.Location) *rapid.Generator[time.Time] {
	instantGens.Lock()
	defer instantGens.Unlock()
	g, ok := instantGens.m[m]
	if !ok {
		from := time.Date(2026, 10, 1, 0, 0, 0, 0, loc)
		g = affrulestest.Instant(loc, affrulestest.Midnights(loc, from, from.AddDate(0, 1, 0))...)
		if instantGens.m == nil {
			instantGens.m = map[affrules.MarketCode]*rapid.Generator[time.Time]{}
		}
		instantGens.m[m] = g
	}
	return g
}

var instantGens struct {
	sync.Mutex
	m map[affrules.MarketCode]*rapid.Generator[time.Time]
}

// drawRates returns a valid rate history of offer o under p starting at start, and the instants
// its entries start.
func drawRates(t *rapid.T, p commission.Policy, o commission.Offer, start time.Time, earns bool) (affrules.Timeline[commission.Terms], []time.Time) {
	rate := Rate(p)
	if o.Source == commission.CollabPlus && !p.RequireExclusiveRate && !earns && rapid.IntRange(0, 4).Draw(t, "no_exclusive_rate") == 0 {
		return affrules.Timeline[commission.Terms]{}, nil // COM-4: no exclusive rate
	}
	n := rapid.IntRange(1, 3).Draw(t, "entries")
	var es []affrules.Effective[commission.Terms]
	var froms []time.Time
	from := start
	if earns {
		n = 1
	}
	share := rapid.OneOf(rapid.SampledFrom([]int64{0, 1, 500_000_000, 999_999_999, 1_000_000_000}), rapid.Int64Range(0, 1_000_000_000)).Draw(t, "partner_share")
	tier := o.Source == commission.Open && n == 1 && rapid.Bool().Draw(t, "tier")
	for i := range n {
		terms := commission.Terms{Rate: rate.Draw(t, "rate")}
		if rapid.Bool().Draw(t, "shop_ads") {
			terms.ShopAds = rate.Draw(t, "shop_ads_rate")
		}
		if o.Source == commission.Partner {
			terms.PartnerShare = rateOf(share)
		}
		if tier && units(terms.Rate) < units(p.MaxRate) {
			lo := units(terms.Rate) + 1
			terms.Tier = &commission.Tier{
				Threshold: rapid.Int64Range(2, 20).Draw(t, "threshold"),
				Rate:      rateOf(rapid.OneOf(rapid.Just(lo), rapid.Int64Range(lo, units(p.MaxRate))).Draw(t, "tier_rate")),
			}
		}
		es = append(es, affrules.Effective[commission.Terms]{From: from, Value: terms})
		froms = append(froms, from)
		from = from.Add(time.Duration(rapid.Int64Range(int64(time.Hour), int64(6*24*time.Hour)).Draw(t, "next_entry"))).Add(time.Duration(i))
	}
	tl, err := affrules.NewTimeline(es...)
	if err != nil {
		t.Fatalf("rate history: %v", err)
	}
	return tl, froms
}

// drawOrder returns an order line of the product by one of three creators at instant at.
func drawOrder(t *rapid.T, p commission.Policy, m affrules.Market, offers []commission.Offer, at time.Time, earns bool) commission.Order {
	o := commission.Order{
		ID: "line-1", Product: "p1", Market: m.Code, Currency: m.Currency,
		Creator:         rapid.SampledFrom([]string{"c1", "c1", "c2", "c3"}).Draw(t, "creator"),
		Category:        rapid.SampledFrom([]affrules.Category{"", "beauty"}).Draw(t, "category"),
		Attributed:      rapid.IntRange(0, 5).Draw(t, "attributed") > 0,
		ShopAds:         rapid.Bool().Draw(t, "shop_ads_order"),
		VideoAuthorised: rapid.Bool().Draw(t, "video_authorised"),
	}
	if earns {
		o.Creator, o.Attributed, o.ShopAds = "c1", true, false
	}
	threshold := int64(2)
	for _, of := range offers {
		for _, e := range of.Rates.All() {
			if e.Tier != nil {
				threshold = e.Tier.Threshold
			}
		}
	}
	o.OrderCount = max(affrulestest.Straddle(threshold).Draw(t, "order_count"), 1)
	o.PromotingSince = at.Add(-time.Duration(rapid.Int64Range(0, int64(60*24*time.Hour)).Draw(t, "promoting_for")))
	places := int32(m.MinorUnit)
	price := rapid.Int64Range(1, 10_000_000).Draw(t, "price")
	if earns {
		price = rapid.Int64Range(100_000, 10_000_000).Draw(t, "price_earning") // earns a minor unit at 0.01%
	}
	platform := rapid.Int64Range(0, price/2).Draw(t, "platform_coupon")
	seller := rapid.Int64Range(0, (price-platform)/2).Draw(t, "seller_coupon")
	tax := rapid.Int64Range(0, (price-platform-seller)/2).Draw(t, "tax")
	o.Price, o.PlatformCoupon, o.SellerCoupon, o.Tax = decimal.New(price, -places), decimal.New(platform, -places), decimal.New(seller, -places), decimal.New(tax, -places)
	o.Shipping = decimal.New(rapid.Int64Range(0, 100_000).Draw(t, "shipping"), -places)
	return o
}

// Records returns a generator of new commission records under p (COM-8): the commission of an
// order line that earns, computed by p's evaluator from a case like those of [Cases] and opened
// for one of p's seller types. It fails the check drawing it if p's evaluator cannot be built
// or no source of the offers drawn is ranked.
func Records(p commission.Policy) *rapid.Generator[commission.Record] {
	return rapid.Custom(func(t *rapid.T) commission.Record {
		e, err := commission.New(p)
		if err != nil {
			t.Fatalf("the policy is invalid: %v", err)
		}
		c := earning(p, 0).Draw(t, "case")
		r, _, err := open(e, p, c, sellerType(t, p))
		if err != nil {
			t.Fatalf("%v", err)
		}
		return r
	})
}

// sellerType draws one of p's seller types.
func sellerType(t *rapid.T, p commission.Policy) string {
	types := make([]string, 0, len(p.SettlementDays))
	for k := range p.SettlementDays {
		types = append(types, k)
	}
	slices.Sort(types)
	if len(types) == 0 {
		return "standard"
	}
	return rapid.SampledFrom(types).Draw(t, "seller_type")
}

// open computes case c with e and opens its record for a seller of type st.
func open(e engine, p commission.Policy, c Case, st string) (commission.Record, commission.Commission, error) {
	b, err := e.Prepare(c.Offers...)
	if err != nil {
		return commission.Record{}, commission.Commission{}, fmt.Errorf("the offers drawn are refused: %w", err)
	}
	com, err := e.Compute(b, c.Order, c.At)
	if err != nil {
		return commission.Record{}, com, fmt.Errorf("the order drawn is refused: %w", err)
	}
	r, err := p.Settlement().Open(com, st)
	if err != nil {
		return commission.Record{}, com, fmt.Errorf("%s: no record: %w", com, err)
	}
	return r, com, nil
}

// Events returns a generator of events on record r (COM-8), as a host sends them: refunds of
// amounts just below, at or above what remains to refund (of what was paid and the shipping
// where the base counts it), or any part of it, in r's currency
// (now and then sent twice, or under an ID already used), cancellations, and settlements at or a
// nanosecond around r's due instant, at instants from the order on, in no particular order.
func Events(r commission.Record) *rapid.Generator[[]commission.Event] {
	return rapid.Custom(func(t *rapid.T) []commission.Event {
		n := rapid.IntRange(1, 8).Draw(t, "events")
		refunded := r.Refunded.Units
		var out []commission.Event
		for i := range n {
			ev := commission.Event{ID: fmt.Sprint("e", i), Record: r.ID, At: r.OrderedAt.Add(time.Duration(rapid.Int64Range(0, int64(30*24*time.Hour)).Draw(t, "after")))}
			if len(out) > 0 && rapid.IntRange(0, 5).Draw(t, "again") == 0 {
				ev = rapid.SampledFrom(out).Draw(t, "resent")
				out = append(out, ev)
				continue
			}
			switch rapid.IntRange(0, 5).Draw(t, "kind") {
			case 0:
				ev.Kind = commission.Cancel
			case 1:
				ev.Kind = commission.Settle
				ev.At = r.DueAt.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "due_offset")))
				if ev.At.Before(r.OrderedAt) {
					ev.At = r.OrderedAt
				}
			default:
				ev.Kind, ev.Currency = commission.Refund, r.Paid.Currency
				rest := r.Paid.Units + r.Shipping.Units - refunded // what a refund may reach
				u := max(affrulestest.Straddle(rest).Draw(t, "refund"), 1)
				ev.Amount = decimal.New(u, -r.Paid.Places)
				if u <= rest {
					refunded += u
				}
			}
			out = append(out, ev)
		}
		return out
	})
}
