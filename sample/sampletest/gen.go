package sampletest

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/sample"
)

// Policy draws valid sample policies: variations of [sample.DefaultPolicy] with the windows,
// the wait, the Collaboration Plus samples and the bands' caps moved around the catalog's values
// (or to the bounds [sample.Policy.Validate] allows), markets left out, bands added, removed or
// renamed, the over-quantity handling and the flags switched. Every policy it draws passes
// Validate; many break one of the [Properties] on purpose, as a host's edit might.
func Policy() *rapid.Generator[sample.Policy] {
	return rapid.Custom(func(t *rapid.T) sample.Policy {
		p := sample.DefaultPolicy()
		days := func(label string, v, lo int) int {
			return int(affrulestest.Straddle(int64(v)).Filter(func(n int64) bool { return n >= int64(lo) && n <= 3650 }).Draw(t, label))
		}
		p.AnswerDays = days("answer_days", p.AnswerDays, 1)
		p.WaitDays = days("wait_days", p.WaitDays, 0)
		p.ContentDays = days("content_days", p.ContentDays, 1)
		p.ExtensionDays = days("extension_days", p.ExtensionDays, 0)
		p.CollabPlusFree = days("collab_plus_free", p.CollabPlusFree, 0)
		p.FulfilmentDays = days("fulfilment_days", p.FulfilmentDays, 1)
		p.RefundDays = days("refund_days", p.RefundDays, 1)
		p.CollabPlusCapped = rapid.Bool().Draw(t, "collab_plus_capped")
		p.OverQuantity = rapid.SampledFrom([]string{sample.OverQuantityReview, sample.OverQuantityReject}).Draw(t, "over_quantity")
		p.SampleOrdersEarnCommission = rapid.Bool().Draw(t, "sample_orders_earn_commission")
		p.SampleOrdersCountAsGMV = rapid.Bool().Draw(t, "sample_orders_count_as_gmv")
		p.CountOwnPurchases = rapid.Bool().Draw(t, "count_own_purchases")
		p.PartialRefund = rapid.Bool().Draw(t, "partial_refund")
		p.CollabPlusExemptFromWait = rapid.Bool().Draw(t, "collab_plus_exempt_from_wait")
		markets := rapid.SliceOfNDistinct(rapid.SampledFrom(p.Markets), 1, len(p.Markets), func(m affrules.MarketCode) affrules.MarketCode { return m }).Draw(t, "markets")
		p.Markets = markets
		n := rapid.IntRange(1, 4).Draw(t, "bands")
		p.Bands = nil
		for i := range n {
			prev := 5
			if i > 0 {
				prev = p.Bands[i-1].Cap * 4
			}
			p.Bands = append(p.Bands, sample.Band{Name: fmt.Sprint("band_", i+1), Cap: int(affrulestest.Straddle(int64(prev)).Draw(t, fmt.Sprint("cap_", i+1)))})
		}
		return p
	})
}

// Instant draws an instant of 2026 or early 2027 in market m's zone that straddles the edges of
// the monthly caps (SMP-11): a month's first instant, a nanosecond, a second or an hour either
// side, a daylight-saving change of the zone (the United Kingdom has two), or any instant.
func Instant(p sample.Policy, m affrules.MarketCode) *rapid.Generator[time.Time] {
	mk, err := affrules.LookupMarket(m)
	loc := time.UTC
	if err == nil {
		loc = mk.Location()
	}
	var edges []time.Time
	for i := range 13 {
		edges = append(edges, time.Date(2026, time.January+time.Month(i), 1, 0, 0, 0, 0, loc))
	}
	return affrulestest.Instant(loc, edges...)
}

// Request draws a new request valid for p (no events: the rules record them): an ID, seller,
// creator and product, one of p's markets, and a source with what it needs (a campaign and a
// partner, or a collaboration).
func Request(p sample.Policy) *rapid.Generator[sample.Request] {
	bad := unusable(p)
	return rapid.Custom(func(t *rapid.T) sample.Request {
		if bad != nil {
			t.Fatalf("sampletest.Request: %v", bad)
		}
		r := sample.Request{
			ID:      rapid.StringMatching(`r-[a-z0-9]{1,8}`).Draw(t, "id"),
			Seller:  rapid.SampledFrom([]string{"shop-1", "shop-2"}).Draw(t, "seller"),
			Creator: rapid.SampledFrom([]string{"aisyah", "budi", "cara"}).Draw(t, "creator"),
			Product: rapid.SampledFrom([]string{"serum", "toner", "lotion"}).Draw(t, "product"),
			Market:  rapid.SampledFrom(p.Markets).Draw(t, "market"),
			Source:  rapid.SampledFrom([]sample.Source{sample.Direct, sample.Campaign, sample.CollabPlus}).Draw(t, "source"),
		}
		switch r.Source {
		case sample.Campaign:
			r.Context = rapid.SampledFrom([]string{"year-end", "new-year"}).Draw(t, "campaign")
			r.Partner = rapid.SampledFrom([]string{"agency-1", "agency-2"}).Draw(t, "partner")
		case sample.CollabPlus:
			r.Context = rapid.SampledFrom([]string{"cp-1", "cp-2"}).Draw(t, "collab")
		}
		return r
	})
}

// Facts draws the facts of request req made at instant at, valid for p: a band of p's (its cap
// is what [History] straddles), the seller's setting, a campaign quantity around 3, and for a
// Collaboration Plus request an end after at, at p's content deadline, extension or answer
// window or a nanosecond either side, and free samples offered nine times in ten.
func Facts(p sample.Policy, req sample.Request, at time.Time) *rapid.Generator[sample.Facts] {
	bad := unusable(p)
	return rapid.Custom(func(t *rapid.T) sample.Facts {
		if bad != nil {
			t.Fatalf("sampletest.Facts: %v", bad)
		}
		f := sample.Facts{
			Band:        rapid.SampledFrom(p.Bands).Draw(t, "band").Name,
			AutoApprove: rapid.Bool().Draw(t, "auto_approve"),
		}
		if req.Source == sample.Campaign {
			f.Quantity = affrulestest.Straddle(3).Draw(t, "quantity")
		}
		if req.Source == sample.CollabPlus {
			d := rapid.SampledFrom([]int{p.ContentDays, p.ContentDays + p.ExtensionDays, p.AnswerDays, 1}).Draw(t, "until_days")
			off := rapid.SampledFrom([]time.Duration{-time.Nanosecond, 0, time.Nanosecond}).Draw(t, "until_offset")
			f.Until = at.Add(affrules.Days(d) + off)
			f.FreeSamples = rapid.IntRange(0, 9).Draw(t, "free_samples") > 0
			f.Member = rapid.IntRange(0, 9).Draw(t, "member") > 0
		}
		return f
	})
}

// History draws the history a ledger may hold for request req with facts f, valid for p: no
// earlier request for the product, and counts that straddle the limits that bear on it: the
// monthly cap of f's band (SMP-11), p's Collaboration Plus samples (SMP-3) and the campaign's
// quantity (SMP-2).
func History(p sample.Policy, req sample.Request, f sample.Facts) *rapid.Generator[sample.History] {
	bad := unusable(p)
	return rapid.Custom(func(t *rapid.T) sample.History {
		if bad != nil {
			t.Fatalf("sampletest.History: %v", bad)
		}
		var h sample.History
		if i := slices.IndexFunc(p.Bands, func(b sample.Band) bool { return b.Name == f.Band }); i >= 0 {
			h.Month = int(affrulestest.Straddle(int64(p.Bands[i].Cap)).Draw(t, "month"))
		}
		if req.Source == sample.CollabPlus {
			h.InCollab = int(affrulestest.Straddle(int64(p.CollabPlusFree)).Draw(t, "in_collab"))
		}
		if req.Source == sample.Campaign {
			h.AutoApproved = affrulestest.Straddle(f.Quantity).Draw(t, "auto_approved")
		}
		return h
	})
}

// Purchase draws a creator's purchase of a refundable sample valid for p (SMP-5): in one of p's
// markets at an instant of [Instant], at a price and shipping exact to the market's minor unit,
// with a goal of orders (a whole number around 10) or GMV (an amount around 1,000).
func Purchase(p sample.Policy) *rapid.Generator[sample.Purchase] {
	bad := unusable(p)
	return rapid.Custom(func(t *rapid.T) sample.Purchase {
		if bad != nil {
			t.Fatalf("sampletest.Purchase: %v", bad)
		}
		m := rapid.SampledFrom(p.Markets).Draw(t, "purchase_market")
		mk, _ := affrules.LookupMarket(m)
		places := mk.MinorUnit
		pu := sample.Purchase{
			Creator:  rapid.SampledFrom([]string{"aisyah", "budi"}).Draw(t, "purchase_creator"),
			Market:   m,
			At:       Instant(p, m).Draw(t, "purchase_at"),
			Price:    affrulestest.StraddleDecimal(decimal.NewFromInt(25), places).Draw(t, "price"),
			Shipping: affrulestest.StraddleDecimal(decimal.NewFromInt(3), places).Draw(t, "shipping"),
			Goal:     rapid.SampledFrom([]sample.Goal{sample.Orders, sample.GMV}).Draw(t, "goal"),
		}
		if pu.Goal == sample.Orders {
			pu.Target = decimal.NewFromInt(affrulestest.Straddle(10).Filter(func(n int64) bool { return n > 0 }).Draw(t, "target_orders"))
		} else {
			pu.Target = affrulestest.StraddleDecimal(decimal.NewFromInt(1000), places).Filter(func(d decimal.Decimal) bool { return d.IsPositive() }).Draw(t, "target_gmv")
		}
		return pu
	})
}

// Sales draws sales of the product bought in purchase pu, valid for p: at the edges of the
// refund window [pu.At, pu.At + RefundDays × 24 h) (exactly, a nanosecond either side) or
// inside it, with amounts exact to the market's minor unit, some of them the creator's own
// purchases (which do not count).
func Sales(p sample.Policy, pu sample.Purchase) *rapid.Generator[[]sample.Sale] {
	if !bounds.InRange(pu.At) || p.RefundDays < 1 {
		return rapid.Custom(func(t *rapid.T) []sample.Sale {
			t.Fatalf("sampletest.Sales: purchase at %s, refund days %d: give a purchase in the years 1900 to 2199 and a policy New accepts",
				pu.At.Format(time.RFC3339Nano), p.RefundDays)
			return nil
		})
	}
	end := pu.At.Add(affrules.Days(p.RefundDays))
	places := int32(2)
	if mk, err := affrules.LookupMarket(pu.Market); err == nil {
		places = mk.MinorUnit
	}
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) sample.Sale {
		at := rapid.SampledFrom([]time.Time{pu.At.Add(-time.Nanosecond), pu.At, end.Add(-time.Nanosecond), end, pu.At.Add(end.Sub(pu.At) / 2)}).Draw(t, "sale_at")
		buyer := "buyer"
		if sometimes(t, "own_purchase", 6) {
			buyer = pu.Creator
		}
		return sample.Sale{At: at, Orders: rapid.Int64Range(0, 5).Draw(t, "sale_orders"),
			Amount: affrulestest.StraddleDecimal(decimal.NewFromInt(100), places).Draw(t, "sale_amount"), Buyer: buyer}
	}), 0, 8)
}

// unusable returns why a generator cannot draw for policy p, or nil: p is invalid (the zero
// Policy has no markets or bands to draw from).
func unusable(p sample.Policy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("the policy is invalid: %w", err)
	}
	return nil
}
