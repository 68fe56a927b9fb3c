package commission_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

var creators = []string{"c1", "c2", "c3"}

// hour returns the instant h hours after Oct 1 00:00 in Bangkok.
func hour(h int) time.Time { return day(1).Add(time.Duration(h) * time.Hour) }

func genRate(t *rapid.T, label string) affrules.Rate {
	return rate(fmt.Sprintf("%d%%", rapid.IntRange(1, 80).Draw(t, label)))
}

// genOffer draws an offer of product p1 in TH whose instants lie within 60 days of Oct 1.
func genOffer(t *rapid.T, id string) commission.Offer {
	src := rapid.SampledFrom([]commission.Source{commission.Open, commission.Target, commission.CollabPlus, commission.Partner}).Draw(t, id+".source")
	start := rapid.IntRange(0, 1200).Draw(t, id+".start")
	o := commission.Offer{ID: id, Source: src, Market: affrules.TH, Product: "p1", Period: affrules.Period{Start: hour(start)}}
	length := 0 // hours; 0: no end
	if src != commission.Open || rapid.Bool().Draw(t, id+".ends") {
		length = rapid.IntRange(0, 800).Draw(t, id+".length")
		if src == commission.CollabPlus {
			length = max(length, 1) // CP-7: its members join within it
		}
		o.Period.End = hour(start + length)
	}
	switch src {
	case commission.Open:
		o.Coverage = commission.Everyone
	case commission.Target, commission.Partner:
		o.Coverage = commission.Listed
		o.Creators = rapid.SliceOfNDistinct(rapid.SampledFrom(creators), 1, 3, rapid.ID[string]).Draw(t, id+".creators")
		o.Approved = src == commission.Partner && rapid.IntRange(0, 3).Draw(t, id+".approved") > 0
	case commission.CollabPlus:
		o.Coverage = commission.Members
		for _, c := range rapid.SliceOfNDistinct(rapid.SampledFrom(creators), 1, 3, rapid.ID[string]).Draw(t, id+".members") {
			o.Members = append(o.Members, commission.Member{Creator: c, Joined: hour(start + rapid.IntRange(0, min(300, length-1)).Draw(t, id+".joined"))})
		}
	}
	n := rapid.IntRange(1, 5).Draw(t, id+".entries")
	if src == commission.CollabPlus && rapid.IntRange(0, 5).Draw(t, id+".norate") == 0 {
		n = 0 // COM-4: no exclusive rate
	}
	var es []affrules.Effective[commission.Terms]
	from := rapid.IntRange(0, 1200).Draw(t, id+".from")
	for i := range n {
		terms := commission.Terms{Rate: genRate(t, id+".rate")}
		if rapid.Bool().Draw(t, id+".hasShopAds") {
			terms.ShopAds = genRate(t, id+".shopAds")
		}
		if src == commission.Partner {
			terms.PartnerShare = rate(fmt.Sprintf("%d%%", rapid.IntRange(0, 100).Draw(t, id+".share")))
		}
		es = append(es, affrules.Effective[commission.Terms]{From: hour(from), Value: terms})
		from += rapid.IntRange(1, 400).Draw(t, id+".gap"+fmt.Sprint(i))
	}
	o.Rates = history(es...)
	return o
}

func genOffers(t *rapid.T) []commission.Offer {
	n := rapid.IntRange(0, 6).Draw(t, "offers")
	out := make([]commission.Offer, 0, n)
	for i := range n {
		o := genOffer(t, fmt.Sprintf("o%d", i))
		if o.Source == commission.Open && slices.ContainsFunc(out, isOpen) {
			continue // one OPEN offer per market and product (COM-10, COM-11)
		}
		out = append(out, o)
	}
	return out
}

func isOpen(o commission.Offer) bool {
	return o.Source == commission.Open
}

func genOrder(t *rapid.T, when int) commission.Order {
	o := order("line", hour(rapid.IntRange(0, when).Draw(t, "promoting")))
	o.Creator = rapid.SampledFrom(creators).Draw(t, "creator")
	o.ShopAds = rapid.Bool().Draw(t, "shopAds")
	o.VideoAuthorised = rapid.Bool().Draw(t, "authorised")
	return o
}

func genPolicy(t *rapid.T) commission.Policy {
	p := commission.DefaultPolicy()
	all := []commission.Source{commission.Open, commission.Target, commission.CollabPlus, commission.Partner}
	p.Precedence = rapid.Permutation(all).Draw(t, "precedence")[:rapid.IntRange(1, 4).Draw(t, "ranked")]
	p.ShopAdsPrecedence = rapid.Permutation(all).Draw(t, "shopAdsPrecedence")
	p.DecreaseDelayDays = rapid.IntRange(0, 40).Draw(t, "delay")
	p.ShopAdsFallback = rapid.Bool().Draw(t, "fallback")
	p.RemovalDelayed = rapid.Bool().Draw(t, "removal_delayed")
	return p
}

// answer is what a resolution decides, for comparison.
func answer(t *rapid.T, r commission.Resolution) string {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + fmt.Sprint(r.Decision())
}

// COM-5: the resolver's answer does not depend on the order offers are given in.
func TestPropertyOfferOrder_COM5(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := commission.MustNew(genPolicy(t))
		offers := genOffers(t)
		when := rapid.IntRange(0, 2400).Draw(t, "at")
		o := genOrder(t, when)
		b1, err := e.Prepare(offers...)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := e.Prepare(rapid.Permutation(offers).Draw(t, "permutation")...)
		if err != nil {
			t.Fatal(err)
		}
		r1, err1 := e.Resolve(b1, o, hour(when))
		r2, err2 := e.Resolve(b2, o, hour(when))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a1, a2 := answer(t, r1), answer(t, r2); a1 != a2 {
			t.Fatalf("answers differ:\n%s\n%s", a1, a2)
		}
	})
}

// COM-3: the answer at t does not change when offers, or rate changes, dated after t are added.
func TestPropertyLaterChanges_COM3(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := commission.MustNew(genPolicy(t))
		offers := genOffers(t)
		when := rapid.IntRange(0, 2400).Draw(t, "at")
		o := genOrder(t, when)
		before, err := e.Resolve(mustBook(t, e, offers...), o, hour(when))
		if err != nil {
			t.Fatal(err)
		}
		later := slices.Clone(offers)
		for i := range later {
			if rapid.Bool().Draw(t, "extend") {
				last := hour(when)
				for from := range later[i].Rates.All() {
					last = from
				}
				if last.Before(hour(when)) {
					last = hour(when)
				}
				next, err := later[i].Rates.With(affrules.Effective[commission.Terms]{From: last.Add(time.Hour), Value: commission.Terms{Rate: genRate(t, "later")}})
				if err != nil {
					t.Fatal(err)
				}
				later[i].Rates = next
			}
		}
		for j := range rapid.IntRange(0, 3).Draw(t, "new") {
			n := genOffer(t, fmt.Sprintf("new%d", j))
			shift := hour(when + 1).Sub(n.Period.Start)
			if shift > 0 { // move it, history and all, after t
				n.Period.Start = n.Period.Start.Add(shift)
				if !n.Period.End.IsZero() {
					n.Period.End = n.Period.End.Add(shift)
				}
				var es []affrules.Effective[commission.Terms]
				for from, v := range n.Rates.All() {
					es = append(es, affrules.Effective[commission.Terms]{From: from.Add(shift), Value: v})
				}
				n.Rates = history(es...)
				for k := range n.Members {
					n.Members[k].Joined = n.Members[k].Joined.Add(shift)
				}
			}
			if n.Source == commission.Open && slices.ContainsFunc(later, isOpen) {
				continue // one OPEN offer per market and product (COM-10, COM-11)
			}
			later = append(later, n)
		}
		after, err := e.Resolve(mustBook(t, e, later...), o, hour(when))
		if err != nil {
			t.Fatal(err)
		}
		if before.Source != after.Source || before.OfferID != after.OfferID || !before.Rate.Equal(after.Rate) || before.ShopAdsRate != after.ShopAdsRate {
			t.Fatalf("answer at t changed: %s %s %s → %s %s %s", before.Source, before.OfferID, before.Rate, after.Source, after.OfferID, after.Rate)
		}
	})
}

// COM-1, COM-7: the amount is rate × base rounded once (checked against decimal arithmetic);
// a partner campaign's parts always sum to it exactly.
func TestPropertySplitSums_COM7(t *testing.T) {
	markets := []struct {
		code     affrules.MarketCode
		currency string
		places   int32
	}{{affrules.UK, "GBP", 2}, {affrules.ID, "IDR", 0}, {affrules.VN, "VND", 0}, {affrules.TH, "THB", 2}}
	rapid.Check(t, func(t *rapid.T) {
		p := commission.DefaultPolicy()
		p.Rounding = rapid.SampledFrom([]affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}).Draw(t, "mode")
		e := commission.MustNew(p)
		m := rapid.SampledFrom(markets).Draw(t, "market")
		total := affrules.MustParseRate(fmt.Sprintf("%d.%07d%%", rapid.IntRange(1, 79).Draw(t, "rate"), rapid.IntRange(0, 9_999_999).Draw(t, "rateFrac")))
		share := affrules.MustParseRate(fmt.Sprintf("%d.%07d%%", rapid.IntRange(0, 99).Draw(t, "share"), rapid.IntRange(0, 9_999_999).Draw(t, "shareFrac")))
		o := partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "10%", "10%")
		o.Market = m.code
		o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: total, PartnerShare: share}})
		b := mustBook(t, e, o)
		price := decimal.New(rapid.Int64Range(1, 1e15).Draw(t, "price"), -m.places)
		ord := order("line", day(1))
		ord.Market, ord.Currency, ord.Price = m.code, m.currency, price
		c, err := e.Compute(b, ord, day(2))
		if err != nil {
			t.Fatal(err)
		}
		if c.Partner.Units+c.Creator.Units != c.Amount.Units || c.Partner.Units < 0 || c.Creator.Units < 0 {
			t.Fatalf("%s ≠ %s + %s", c.Amount, c.Partner, c.Creator)
		}
		wantTotal := p.Rounding.Round(price.Mul(total.Decimal()), m.places)
		wantPartner := p.Rounding.Round(price.Mul(total.Decimal()).Mul(share.Decimal()), m.places)
		if !c.Amount.Decimal().Equal(wantTotal) || !c.Partner.Decimal().Equal(wantPartner) {
			t.Fatalf("%s of %s: amount %s partner %s, want %s and %s (%s)", total, price, c.Amount, c.Partner, wantTotal, wantPartner, p.Rounding)
		}
	})
}

// COM-8: any sequence of partial refunds, in any order and with duplicates, never takes back
// more than was earned, never refunds beyond what was paid (here the price: no coupons), and a full refund reaches exactly zero;
// what remains depends only on the total refunded.
func TestPropertyRefunds_COM8(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := commission.DefaultPolicy()
		p.Rounding = rapid.SampledFrom([]affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}).Draw(t, "mode")
		e := commission.MustNew(p)
		s := p.Settlement()
		price := rapid.Int64Range(10_000, 1e9).Draw(t, "price") // at least 1.00 earned at 1%
		o := partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "10%", "10%")
		o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: genRate(t, "rate"), PartnerShare: genRate(t, "share")}})
		ord := order("line", day(1))
		ord.Price = decimal.New(price, -2)
		c, err := e.Compute(mustBook(t, e, o), ord, day(2))
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Open(c, "standard")
		if err != nil {
			t.Fatal(err)
		}
		// Split the price into parts, maybe not all of it, plus one too many.
		var parts []int64
		left := price
		full := rapid.Bool().Draw(t, "full")
		for left > 0 && len(parts) < 8 {
			n := rapid.Int64Range(1, left).Draw(t, "part")
			parts = append(parts, n)
			left -= n
		}
		if full && left > 0 {
			parts = append(parts, left)
			left = 0
		}
		var events []commission.Event
		for i, n := range parts {
			events = append(events, commission.Event{ID: fmt.Sprint("r", i), Record: "line", Kind: commission.Refund, Amount: decimal.New(n, -2), Currency: "THB", At: day(3).Add(time.Duration(i) * time.Minute)})
		}
		events = rapid.Permutation(events).Draw(t, "order")
		for range rapid.IntRange(0, 4).Draw(t, "duplicates") {
			if len(events) > 0 {
				events = append(events, events[rapid.IntRange(0, len(events)-1).Draw(t, "dup")])
			}
		}
		over := commission.Event{ID: "over", Record: "line", Kind: commission.Refund, Currency: "THB", At: day(4)} // amount set when applied
		events = slices.Insert(events, rapid.IntRange(0, len(events)).Draw(t, "overAt"), over)
		prev := rec
		for _, ev := range events {
			if ev.ID == "over" { // one minor unit beyond what is left of what was paid
				ev.Amount = decimal.New(price-prev.Refunded.Units+1, -2)
				if next, err := s.Apply(prev, ev); err == nil {
					t.Fatalf("refund of %s beyond what was paid was accepted: %+v", ev.Amount, next)
				}
				continue
			}
			next, err := s.Apply(prev, ev)
			if err != nil {
				t.Fatal(err)
			}
			if next.Amount.Units > prev.Amount.Units || next.Partner.Units > prev.Partner.Units || next.Creator.Units > rec.Earned.Units ||
				next.Refunded.Units > price || next.Partner.Units+next.Creator.Units != next.Amount.Units || next.Creator.Units < 0 {
				t.Fatalf("refund %v: %+v after %+v", ev, next, prev)
			}
			prev = next
		}
		// COM-8 (B5): what remains is rounded once from the exact rate × base × share not refunded.
		wantAmount, wantPartner := remainingRef(rec.Base.Units, rec.Paid.Units, rec.Paid.Units-prev.Refunded.Units, rec.Rate, rec.PartnerShare, p.Rounding)
		if prev.Amount.Units != wantAmount || prev.Partner.Units != wantPartner {
			t.Fatalf("remaining %d (partner %d), want %d (%d)", prev.Amount.Units, prev.Partner.Units, wantAmount, wantPartner)
		}
		if full && (prev.Amount.Units != 0 || prev.Partner.Units != 0 || prev.Creator.Units != 0 || prev.State != commission.Ineligible) {
			t.Fatalf("full refund left %+v", prev)
		}
	})
}

// remainingRef is the reference for what remains of a commission when rest of what was paid is
// not refunded (COM-8): rate × base × rest / paid, and that × share, each rounded once.
func remainingRef(base, paid, rest int64, r, share affrules.Rate, mode affrules.RoundingMode) (amount, partner int64) {
	x := decimal.NewFromInt(base).Mul(r.Decimal()).Mul(decimal.NewFromInt(rest)).DivRound(decimal.NewFromInt(paid), 40)
	return mode.Round(x, 0).IntPart(), mode.Round(x.Mul(share.Decimal()), 0).IntPart()
}

// ComputeInto writes exactly what Compute returns, or its error with a zero Commission, into one
// Commission reused from line to line: nothing of an earlier line (its candidates, more than
// the inline ones included, its notes, its split) shows through.
func TestPropertyComputeInto(t *testing.T) { rapid.Check(t, computeIntoProperty) }

// computeIntoProperty is TestPropertyComputeInto's property, fuzzed by FuzzComputeInto.
func computeIntoProperty(t *rapid.T) {
	e := commission.MustNew(genPolicy(t))
	var offers []commission.Offer
	for i := range rapid.IntRange(0, 12).Draw(t, "offers") {
		o := genOffer(t, fmt.Sprintf("o%d", i))
		if o.Source == commission.Open && slices.ContainsFunc(offers, isOpen) {
			continue // one OPEN offer per market and product (COM-10, COM-11)
		}
		offers = append(offers, o)
	}
	b, err := e.Prepare(offers...)
	if err != nil {
		t.Fatal(err)
	}
	var dst commission.Commission
	for i := range rapid.IntRange(1, 6).Draw(t, "lines") {
		when := rapid.IntRange(0, 2400).Draw(t, "at")
		o := genOrder(t, when)
		o.ID = fmt.Sprintf("line%d", i)
		o.Attributed = rapid.IntRange(0, 4).Draw(t, "attributed") > 0
		o.OrderCount = rapid.Int64Range(0, 3).Draw(t, "count") // 0 is refused
		switch rapid.IntRange(0, 5).Draw(t, "amounts") {
		case 0:
			o.Price = dec("-1") // refused
		case 1:
			o.Currency = "GBP" // refused
		case 2:
			o.Price, o.PlatformCoupon, o.Tax = dec("250.50"), dec("20.25"), dec("1.05")
		}
		want, wantErr := e.Compute(b, o, hour(when))
		gotErr := e.ComputeInto(&dst, b, &o, hour(when))
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("line %d: ComputeInto: %v; Compute: %v", i, gotErr, wantErr)
		}
		if !reflect.DeepEqual(dst, want) {
			t.Fatalf("line %d: ComputeInto wrote\n%s\nCompute returned\n%s", i, answer(t, dst.Resolution), answer(t, want.Resolution))
		}
	}
}
