package commission_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// COM-1: the base is the price less both coupons and the tax, shipping excluded; the amount is
// rate × base rounded once to the minor unit in the policy's mode.
func TestBaseAndRounding_COM1(t *testing.T) {
	for _, tc := range []struct {
		mode                              affrules.RoundingMode
		price, platform, seller, tax, shp string
		rate, base, want                  string
	}{
		{affrules.HalfUp, "100.00", "5.00", "10.00", "7.00", "9.99", "10%", "78.00", "7.80"},
		{affrules.HalfUp, "0.25", "0", "0", "0", "0", "10%", "0.25", "0.03"},   // 0.025 → 0.03
		{affrules.HalfEven, "0.25", "0", "0", "0", "0", "10%", "0.25", "0.02"}, // 0.025 → 0.02
		{affrules.HalfEven, "0.35", "0", "0", "0", "0", "10%", "0.35", "0.04"}, // 0.035 → 0.04
		{affrules.Down, "0.29", "0", "0", "0", "0", "10%", "0.29", "0.02"},     // 0.029 → 0.02
		{affrules.HalfUp, "10.00", "4.00", "6.00", "0", "0", "10%", "0.00", "0.00"},
		{affrules.HalfUp, "33.33", "0", "0", "0", "0", "1%", "33.33", "0.33"},
		{affrules.HalfUp, "33.33", "0", "0", "0", "0", "80%", "33.33", "26.66"},
	} {
		p := commission.DefaultPolicy()
		p.Rounding = tc.mode
		e := commission.MustNew(p)
		b := mustBook(t, e, openOffer("open", at(day(1), tc.rate)))
		o := order("o", day(1))
		o.Price, o.PlatformCoupon, o.SellerCoupon, o.Tax, o.Shipping = dec(tc.price), dec(tc.platform), dec(tc.seller), dec(tc.tax), dec(tc.shp)
		c, err := e.Compute(b, o, day(2))
		if err != nil {
			t.Fatal(err)
		}
		if !c.Base.Decimal().Equal(dec(tc.base)) || !c.Amount.Decimal().Equal(dec(tc.want)) || c.Rounding != tc.mode || c.Creator != c.Amount || !c.Partner.IsZero() {
			t.Errorf("%s %s of %s: base %s amount %s (creator %s, partner %s), want %s and %s", tc.mode, tc.rate, tc.price, c.Base, c.Amount, c.Creator, c.Partner, tc.base, tc.want)
		}
		if !c.Shipping.Decimal().Equal(dec(tc.shp)) {
			t.Errorf("shipping %s, want %s stated", c.Shipping, tc.shp)
		}
	}
}

// COM-1's Interpretation is policy: with TaxInBase the base is what the buyer paid (the price
// less both coupons, tax included), seed 002's "percentage of the sale price"; with
// PlatformCouponInBase the platform's coupon stays in the base, which may then exceed what the
// buyer paid. The seller coupon always comes off, shipping never counts, and a refund shrinks
// the commission in proportion to what was paid (COM-8).
func TestBase_COM1(t *testing.T) {
	p, err := commission.ParsePolicy([]byte(`{"platform_coupon_in_base": true, "tax_in_base": true}`))
	if err != nil {
		t.Fatal(err)
	}
	def := commission.DefaultPolicy()
	if !p.PlatformCouponInBase || !p.TaxInBase || def.PlatformCouponInBase || def.TaxInBase {
		t.Fatalf("parsed %t, %t; default %t, %t: want true, true and false, false", p.PlatformCouponInBase, p.TaxInBase, def.PlatformCouponInBase, def.TaxInBase)
	}
	// line computes an order line of an Open offer at 10% under p: price, platform coupon, seller
	// coupon, tax and shipping.
	line := func(p commission.Policy, price, platform, seller, tax, shipping string) commission.Commission {
		t.Helper()
		e := commission.MustNew(p)
		o := order("o", day(1))
		o.Price, o.PlatformCoupon, o.SellerCoupon, o.Tax, o.Shipping = dec(price), dec(platform), dec(seller), dec(tax), dec(shipping)
		c, err := e.Compute(mustBook(t, e, openOffer("open", at(day(1), "10%"))), o, day(2))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		couponIn, taxIn bool
		base, want      string
	}{{false, false, "78.00", "7.80"}, {false, true, "85.00", "8.50"}, {true, false, "83.00", "8.30"}, {true, true, "90.00", "9.00"}} {
		p.PlatformCouponInBase, p.TaxInBase = tc.couponIn, tc.taxIn
		c := line(p, "100.00", "5.00", "10.00", "7.00", "9.99")
		if !c.Base.Decimal().Equal(dec(tc.base)) || !c.Amount.Decimal().Equal(dec(tc.want)) || !c.Paid.Decimal().Equal(dec("85.00")) {
			t.Errorf("platform coupon in %t, tax in %t: base %s amount %s paid %s, want %s, %s and 85.00", tc.couponIn, tc.taxIn, c.Base, c.Amount, c.Paid, tc.base, tc.want)
		}
		s := p.Settlement()
		r, err := s.Open(c, "standard")
		if err != nil {
			t.Fatalf("platform coupon in %t, tax in %t: %v", tc.couponIn, tc.taxIn, err)
		}
		half := commission.Event{ID: "r1", Record: r.ID, Kind: commission.Refund, At: day(3), Amount: dec("42.50"), Currency: c.Paid.Currency}
		if r, err = s.Apply(r, half); err != nil {
			t.Fatal(err)
		}
		if wantHalf := dec(tc.want).Div(dec("2")); !r.Amount.Decimal().Equal(wantHalf) {
			t.Errorf("platform coupon in %t, tax in %t: after refunding half of what was paid, %s, want %s", tc.couponIn, tc.taxIn, r.Amount, wantHalf)
		}
	}

	// A line the platform's coupon paid in full: nothing was paid, the commission is earned on
	// the price less the seller coupon, and no refund can be taken from it.
	p.PlatformCouponInBase, p.TaxInBase = true, false
	c := line(p, "100.00", "90.00", "10.00", "0", "0")
	if !c.Paid.Decimal().IsZero() || !c.Base.Decimal().Equal(dec("90.00")) || !c.Amount.Decimal().Equal(dec("9.00")) {
		t.Fatalf("fully subsidised: paid %s base %s amount %s, want 0, 90.00 and 9.00", c.Paid, c.Base, c.Amount)
	}
	s := p.Settlement()
	r, err := s.Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	refund := commission.Event{ID: "r1", Record: r.ID, Kind: commission.Refund, At: day(3), Amount: dec("0.01"), Currency: c.Paid.Currency}
	if _, err := s.Apply(r, refund); err == nil || !strings.Contains(err.Error(), "event.amount") {
		t.Errorf("refund of a line nothing was paid for: %v, want an error naming event.amount", err)
	}
	settled, err := s.Apply(r, commission.Event{ID: "s", Record: r.ID, Kind: commission.Settle, At: r.DueAt})
	if err != nil || !settled.Amount.Decimal().Equal(dec("9.00")) {
		t.Errorf("settled %s, %v: want 9.00", settled.Amount, err)
	}

	// A stored record may hold a base above what was paid, never above the price.
	r.Base.Units, r.Earned.Units, r.Amount.Units, r.Creator.Units = r.Price.Units+1, 1001, 1001, 1001
	if err := s.Check(r); err == nil || !strings.Contains(err.Error(), "record.base") {
		t.Errorf("base above the price: %v, want an error naming record.base", err)
	}
}

// COM-7: a partner campaign's parts sum to the total exactly in a market without a minor unit.
func TestSplitIDR_COM7(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "17%", "33.3333333%")
	o.Market = affrules.ID
	b := mustBook(t, e, o)
	ord := order("o", day(1))
	ord.Market, ord.Currency, ord.Price = affrules.ID, "IDR", dec("123457")
	ord.PlatformCoupon, ord.SellerCoupon, ord.Tax, ord.Shipping = dec("0"), dec("0"), dec("0"), dec("0")
	c, err := e.Compute(b, ord, day(2))
	if err != nil {
		t.Fatal(err)
	}
	// 17% of 123457 = 20987.69 → 20988; partner 1/3 of 20987.69 = 6995.896… → 6996; creator 13992.
	if c.Amount.String() != "20988 IDR" || c.Partner.String() != "6996 IDR" || c.Creator.String() != "13992 IDR" {
		t.Errorf("split %s = %s + %s", c.Amount, c.Partner, c.Creator)
	}
}

// A commission's JSON carries its resolution (winner, candidates with reasons, notes, decision)
// and its amounts.
func TestCommissionJSON(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	c, err := e.Compute(mustBook(t, e, october()...), order("o", day(1)), day(4))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Resolution struct {
			Source     string `json:"source"`
			Rate       string `json:"rate"`
			Candidates []struct {
				OfferID string `json:"offer_id"`
				Outcome string `json:"outcome"`
				Reason  struct {
					Rule    string `json:"rule"`
					Message string `json:"message"`
				} `json:"reason"`
			} `json:"candidates"`
			Decision struct {
				Allowed bool `json:"allowed"`
			} `json:"decision"`
		} `json:"resolution"`
		Amount struct {
			Units int64 `json:"units"`
		} `json:"amount"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	r := got.Resolution
	if r.Source != "COLLAB_PLUS" || r.Rate != "15%" || !r.Decision.Allowed || got.Amount.Units != 1500 || len(r.Candidates) != 2 ||
		r.Candidates[1].OfferID != "open-1" || r.Candidates[1].Outcome != "overridden" || r.Candidates[1].Reason.Message != "overridden by COLLAB_PLUS" {
		t.Errorf("JSON %s", b)
	}
}

// COM-1 with ShippingInBase: the line's shipping joins the base, which may then exceed the
// price; the record opened carries it, so its checks allow a base up to the price and the
// shipping, and a refund still shrinks the commission in proportion to what was paid. By
// default shipping is stated beside the base and the record carries none.
func TestShippingInBase_COM1(t *testing.T) {
	p := commission.DefaultPolicy()
	p.ShippingInBase = true
	e := commission.MustNew(p)
	o := order("o", day(1))
	o.Price, o.PlatformCoupon, o.SellerCoupon, o.Tax, o.Shipping = dec("100.00"), dec("5.00"), dec("10.00"), dec("7.00"), dec("30.00")
	book := mustBook(t, e, openOffer("open", at(day(1), "10%")))
	c, err := e.Compute(book, o, day(2))
	if err != nil {
		t.Fatal(err)
	}
	if !c.ShippingInBase || c.Base.String() != "108.00 THB" || c.Amount.String() != "10.80 THB" || c.Shipping.String() != "30.00 THB" {
		t.Fatalf("base %s amount %s shipping %s (in base %t), want 108.00 (78.00 + 30.00), 10.80 and 30.00 in", c.Base, c.Amount, c.Shipping, c.ShippingInBase)
	}
	s := p.Settlement()
	r, err := s.Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	if r.Shipping.String() != "30.00 THB" {
		t.Fatalf("record shipping %s, want 30.00 THB", r.Shipping)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back commission.Record
	if err := json.Unmarshal(b, &back); err != nil || !back.SameOrigin(r) {
		t.Fatalf("JSON round trip: %v, same origin %t", err, back.SameOrigin(r))
	}
	// Refunds reach what was paid and the shipping (85.00 + 30.00), and shrink the commission
	// in proportion: half of it leaves half, all of it nothing.
	half, err := s.Apply(r, commission.Event{ID: "r1", Record: r.ID, Kind: commission.Refund, At: day(3), Amount: dec("57.50"), Currency: "THB"})
	if err != nil || half.Amount.String() != "5.40 THB" {
		t.Fatalf("after refunding half of what was paid and the shipping: %s, %v, want 5.40 THB", half.Amount, err)
	}
	all, err := s.Apply(half, commission.Event{ID: "r2", Record: r.ID, Kind: commission.Refund, At: day(3), Amount: dec("57.50"), Currency: "THB"})
	if err != nil || !all.Amount.IsZero() || all.State != commission.Ineligible {
		t.Fatalf("after refunding all of it: %s %s, %v, want nothing, ineligible", all.Amount, all.State, err)
	}
	if _, err := s.Apply(half, commission.Event{ID: "r3", Record: r.ID, Kind: commission.Refund, At: day(3), Amount: dec("57.51"), Currency: "THB"}); err == nil || !strings.Contains(err.Error(), "and the shipping 30.00 THB") {
		t.Errorf("a refund beyond what was paid and the shipping: %v", err)
	}
	// A line the coupons paid in full but for its shipping: the shipping alone is refundable.
	sub := o
	sub.Price, sub.PlatformCoupon, sub.SellerCoupon, sub.Tax = dec("10.00"), dec("4.00"), dec("6.00"), dec("0")
	cs, err := e.Compute(book, sub, day(2))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := s.Open(cs, "standard")
	if err != nil || rs.Amount.String() != "3.00 THB" {
		t.Fatalf("shipping-only line: %s, %v, want 3.00 THB", rs.Amount, err)
	}
	if rs, err = s.Apply(rs, commission.Event{ID: "r1", Record: rs.ID, Kind: commission.Refund, At: day(3), Amount: dec("30.00"), Currency: "THB"}); err != nil || !rs.Amount.IsZero() {
		t.Fatalf("refunding the shipping of a shipping-only line: %s, %v, want nothing left", rs.Amount, err)
	}
	// A base above the price and the shipping is refused; so is a shipping of zero or below.
	bad := r
	bad.Base.Units, bad.Earned.Units, bad.Amount.Units, bad.Creator.Units = r.Price.Units+r.Shipping.Units+1, 1300, 1300, 1300
	if err := s.Check(bad); err == nil || !strings.Contains(err.Error(), "record.base") {
		t.Errorf("base above the price and the shipping: %v, want an error naming record.base", err)
	}
	for _, u := range []int64{-1, 0, r.Base.Units + 1} { // and one above the base that counts it
		bad = r
		bad.Shipping.Units = u
		if err := s.Check(bad); err == nil || !strings.Contains(err.Error(), "record.shipping") {
			t.Errorf("shipping of %d minor units: %v, want an error naming record.shipping", u, err)
		}
	}
	// Shipping of zero: the record carries none, as by default.
	o.Shipping = dec("0")
	c, err = e.Compute(book, o, day(2))
	if err != nil {
		t.Fatal(err)
	}
	if r, err = s.Open(c, "standard"); err != nil || r.Shipping != (commission.Money{}) {
		t.Fatalf("no shipping: record shipping %+v, %v", r.Shipping, err)
	}
	// A price and shipping whose sum reaches 2^63 minor units is bad input.
	o.Price, o.Shipping, o.PlatformCoupon, o.SellerCoupon, o.Tax = dec("92233720368547758.07"), dec("0.01"), dec("0"), dec("0"), dec("0")
	if _, err := e.Compute(book, o, day(2)); err == nil || !strings.Contains(err.Error(), "order.shipping") {
		t.Errorf("a base of 2^63 minor units: %v, want an error naming order.shipping", err)
	}
	// By default: the base leaves shipping out and the record carries none.
	def := commission.MustNew(commission.DefaultPolicy())
	o.Price, o.Shipping = dec("100.00"), dec("30.00")
	c, err = def.Compute(book, o, day(2))
	if err != nil || c.ShippingInBase || c.Base.String() != "100.00 THB" {
		t.Fatalf("default: base %s (shipping in %t), %v; want 100.00", c.Base, c.ShippingInBase, err)
	}
	if r, err := commission.DefaultPolicy().Settlement().Open(c, "standard"); err != nil || r.Shipping != (commission.Money{}) {
		t.Fatalf("default record shipping %+v, %v", r.Shipping, err)
	}
	got, err := commission.ParsePolicy([]byte(`{"shipping_in_base": true}`))
	if err != nil || !got.ShippingInBase {
		t.Fatalf("shipping_in_base: %t, %v", got.ShippingInBase, err)
	}
}
