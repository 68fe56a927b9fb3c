package commission_test

// Edges where a careless or changing host could get a wrong answer: offers edited after answers
// were given, a second Open offer, shop-ads rates inside the decrease delay, every failure at
// once, refunds rounded once in the record's currency against what was paid, settlement order,
// a book used by another evaluator.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/bounds"
)

// wantField asserts err is a *affrules.FieldError naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var fe *affrules.FieldError
	if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), field) {
		t.Fatalf("error %v, want a *affrules.FieldError naming %s", err, field)
	}
}

// COM-3: a change to a stored offer cannot change an answer already given: not the period, the
// creators, nor a rate dated before the change.
func TestChangeKeepsAnswersGiven_COM3(t *testing.T) {
	ctx := context.Background()
	e := commission.MustNew(commission.DefaultPolicy())
	rule := commission.DefaultPolicy().OfferRule()
	store := commission.NewOfferMemory()
	open := openOffer("open", at(day(1), "10%"))
	tgt := targetOffer("t", []string{"c1"}, day(1), day(20), "20%")
	for _, o := range []commission.Offer{open, tgt} {
		if _, err := store.Put(ctx, rule, o, day(1)); err != nil {
			t.Fatal(err)
		}
	}
	answer := func() string {
		t.Helper()
		offers, err := store.Offers(ctx, affrules.TH, "p1")
		if err != nil {
			t.Fatal(err)
		}
		r := resolve(t, e, mustBook(t, e, offers...), order("l", day(1)), day(5))
		return r.Source.String() + " " + r.Rate.String()
	}
	if got := answer(); got != "TARGET 20%" {
		t.Fatalf("Oct 5 answer %s, want TARGET 20%%", got)
	}
	change := day(6)
	ended := tgt
	ended.Period.End = day(3)
	_, err := store.Put(ctx, rule, ended, change)
	wantField(t, err, "offer.period.end")
	others := tgt
	others.Creators = []string{"c2"}
	_, err = store.Put(ctx, rule, others, change)
	wantField(t, err, "offer.creators")
	backdated := open
	backdated.Rates = history(at(day(1), "10%"), at(day(4), "30%"))
	_, err = store.Put(ctx, rule, backdated, change)
	wantField(t, err, "offer.rates[1].from")
	if got := answer(); got != "TARGET 20%" {
		t.Errorf("after refused changes the Oct 5 answer is %s, want TARGET 20%%", got)
	}
	// Ending the Target offer from the change on is allowed and keeps the Oct 5 answer.
	ended.Period.End = change
	if _, err := store.Put(ctx, rule, ended, change); err != nil {
		t.Fatal(err)
	}
	if got := answer(); got != "TARGET 20%" {
		t.Errorf("after ending the offer at the change the Oct 5 answer is %s", got)
	}
}

// COM-11 (Q4): entries not yet in force at the change may be corrected, a threshold not yet
// active included; once active it is fixed.
func TestTierNotYetActiveMayBeCorrected_COM11(t *testing.T) {
	rule := commission.DefaultPolicy().OfferRule()
	tiered := func(threshold int64) commission.Offer {
		later := at(day(10), "10%")
		later.Value.Tier = &commission.Tier{Threshold: threshold, Rate: rate("12%")}
		return openOffer("open", at(day(1), "10%"), later)
	}
	prev := tiered(50)
	if err := rule.Check(&prev, tiered(40), day(5)); err != nil {
		t.Errorf("correcting a threshold not yet active: %v", err)
	}
	wantField(t, rule.Check(&prev, tiered(40), day(11)), "offer.rates[1]")
	removed := openOffer("open", at(day(1), "10%"))
	if err := rule.Check(&prev, removed, day(5)); err != nil {
		t.Errorf("removing an entry not yet in force: %v", err)
	}
}

// COM-10, COM-11 (B2): a product has one OPEN offer per market, so a decrease or a tier change
// cannot skip its rule through a second OPEN offer.
func TestOneOpenOffer_COM10_COM11(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	first := openOffer("open-1", at(day(1), "10%"))
	first.Period.End = day(5)
	second := openOffer("open-2", at(day(5), "5%"))
	second.Period.Start = day(5)
	_, err := e.Prepare(first, second)
	wantField(t, err, "offers[1].source")
	elsewhere := second
	elsewhere.Market = affrules.MY
	if _, err := e.Prepare(first, elsewhere); err != nil {
		t.Errorf("one OPEN offer per market: %v", err)
	}
}

// COM-5, COM-10 (B3): without the shop-ads fallback, the delay window counts only entries with a
// shop-ads rate.
func TestShopAdsNoFallbackInDelayWindow_COM5_COM10(t *testing.T) {
	p := commission.DefaultPolicy()
	p.ShopAdsFallback = false
	e := commission.MustNew(p)
	ads := func(o commission.Order) commission.Order {
		o.ShopAds, o.VideoAuthorised = true, true
		return o
	}
	// 10% from Oct 1, then 8% with a 5% shop-ads rate from Oct 3: the shop-ads order earns 5%.
	cut := at(day(3), "8%")
	cut.Value.ShopAds = rate("5%")
	b := mustBook(t, e, openOffer("open", at(day(1), "10%"), cut))
	r := resolve(t, e, b, ads(order("l", day(1))), day(4))
	if !r.Earned() || !r.ShopAdsRate || !r.Rate.Equal(rate("5%")) {
		t.Errorf("got %s %s shop-ads %t, want the 5%% shop-ads rate:\n%s", r.Source, r.Rate, r.ShopAdsRate, r.Explain())
	}
	// 10% with a 12% shop-ads rate from Oct 1, then 8% without one from Oct 2: a creator already
	// promoting keeps 12% for the delay, then the offer no longer applies to shop-ads orders.
	first := at(day(1), "10%")
	first.Value.ShopAds = rate("12%")
	b = mustBook(t, e, openOffer("open", first, at(day(2), "8%")))
	r = resolve(t, e, b, ads(order("l", day(1))), day(3))
	if !r.Earned() || !r.ShopAdsRate || !r.Rate.Equal(rate("12%")) {
		t.Errorf("got %s %s, want the 12%% shop-ads rate kept for the delay:\n%s", r.Source, r.Rate, r.Explain())
	}
	r = resolve(t, e, b, ads(order("l", day(1))), day(2).Add(30*24*time.Hour))
	if r.Earned() {
		t.Fatalf("after the delay: %s", r.Explain())
	}
	c := candidate(r, "open")
	if c.Outcome != commission.NoRate || c.Reason.Key != "commission.com5.no_shop_ads_rate_no_fallback" || strings.Contains(c.Reason.String(), "standard rate used") {
		t.Errorf("candidate %+v: %s", c, c.Reason)
	}
}

// MKT-5 (B4): every failed rule is reported, COM-13 and COM-6 together.
func TestEveryFailureReported_COM6_COM13(t *testing.T) {
	p := commission.DefaultPolicy()
	p.UnauthorisedAdsStandard = false
	e := commission.MustNew(p)
	o := order("l", day(1))
	o.Attributed, o.ShopAds = false, true
	r := resolve(t, e, mustBook(t, e, openOffer("open", at(day(1), "10%"))), o, day(2))
	d := r.Decision()
	if r.Earned() || !d.Failed(commission.RuleAttributed) || !d.Failed(commission.RuleShopAdsVideo) || len(r.Failures()) != 2 {
		t.Errorf("failures %v, want COM-13 and COM-6", r.Failures())
	}
	if x := r.Explain(); !strings.Contains(x, "COM-13") || !strings.Contains(x, "COM-6") {
		t.Errorf("Explain names one failure only: %s", x)
	}
	// Nothing applies as well: COM-3 beside COM-13.
	o.ShopAds = false
	o.Creator = "nobody"
	r = resolve(t, e, mustBook(t, e, targetOffer("t", []string{"c1"}, day(1), day(9), "10%")), o, day(2))
	if d := r.Decision(); !d.Failed(commission.RuleAttributed) || !d.Failed(commission.RuleAtOrderTime) || d.Failed(commission.RuleNoExclusiveRate) {
		t.Errorf("failures %v, want COM-13 and COM-3", r.Failures())
	}
}

// COM-4: nothing applying because the creator is not covered is COM-3, not COM-4; COM-4 fails
// only for a Collaboration Plus without an exclusive rate and no Open rate, and its candidate
// does not claim an Open rate applies.
func TestNoExclusiveRateLabels_COM4(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := order("l", day(1))
	r := resolve(t, e, mustBook(t, e, targetOffer("t", []string{"c2"}, day(1), day(9), "10%")), o, day(2))
	if d := r.Decision(); !d.Failed(commission.RuleAtOrderTime) || d.Failed(commission.RuleNoExclusiveRate) {
		t.Errorf("not covered: %v", d)
	}
	cp := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "c1", Joined: day(1)}}, Period: affrules.Period{Start: day(1), End: day(9)}}
	r = resolve(t, e, mustBook(t, e, cp), o, day(2))
	if d := r.Decision(); !d.Failed(commission.RuleNoExclusiveRate) || d.Failed(commission.RuleAtOrderTime) {
		t.Errorf("no exclusive rate, no Open rate: %v", d)
	}
	if s := candidate(r, "cp").Reason.String(); strings.Contains(s, "Open Collaboration rate applies") {
		t.Errorf("the CP candidate claims an Open rate applies: %s", s)
	}
	r = resolve(t, e, mustBook(t, e, cp, openOffer("open", at(day(1), "10%"))), o, day(2))
	if s := candidate(r, "cp").Reason.String(); !r.Earned() || !strings.Contains(s, "Open Collaboration rate applies") {
		t.Errorf("with an Open rate: %s", s)
	}
}

// COM-10 (Q3): the end of a Collaboration Plus that paid the creator nothing (no exclusive rate,
// or not ranked) does not make the creator a new promoter.
func TestResetOnlyAfterAPayingOffer_COM10(t *testing.T) {
	open := openOffer("open", at(day(1), "10%"), at(day(2), "8%"))
	cp := func(rates bool) commission.Offer {
		o := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
			Members: []commission.Member{{Creator: "c1", Joined: day(1)}}, Period: affrules.Period{Start: day(1), End: day(3)}}
		if rates {
			o.Rates = history(at(day(1), "15%"))
		}
		return o
	}
	e := commission.MustNew(commission.DefaultPolicy())
	if r := resolve(t, e, mustBook(t, e, open, cp(false)), order("l", day(1)), day(4)); !r.Rate.Equal(rate("10%")) {
		t.Errorf("after a CP without an exclusive rate: %s, want 10%% (the decrease is delayed)\n%s", r.Rate, r.Explain())
	}
	if r := resolve(t, e, mustBook(t, e, open, cp(true)), order("l", day(1)), day(4)); !r.Rate.Equal(rate("8%")) {
		t.Errorf("after a paying CP: %s, want 8%% (a new promoter)\n%s", r.Rate, r.Explain())
	}
	p := commission.DefaultPolicy()
	p.Precedence = []commission.Source{commission.Open}
	e = commission.MustNew(p)
	if r := resolve(t, e, mustBook(t, e, open, cp(true)), order("l", day(1)), day(4)); !r.Rate.Equal(rate("10%")) {
		t.Errorf("after a CP not ranked: %s, want 10%%\n%s", r.Rate, r.Explain())
	}
}

// record opens the record of a line priced price with a platform coupon, under an Open rate.
func record(t *testing.T, r, price, coupon string) commission.Record {
	t.Helper()
	e := commission.MustNew(commission.DefaultPolicy())
	o := order("line", day(1))
	o.Price, o.PlatformCoupon = dec(price), dec(coupon)
	c, err := e.Compute(mustBook(t, e, openOffer("open", at(day(1), r))), o, day(2))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := commission.DefaultPolicy().Settlement().Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func refundOf(id, amount, currency string, when time.Time) commission.Event {
	return commission.Event{ID: id, Record: "line", Kind: commission.Refund, Amount: dec(amount), Currency: currency, At: when}
}

// COM-8 (B5): what remains after a refund is rounded once from the exact rate × base, not from
// the rounded commission.
func TestRefundRoundedOnce_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "7%", "1.01", "0")
	if rec.Earned.Decimal().String() != "0.07" {
		t.Fatalf("earned %s, want 0.07", rec.Earned)
	}
	got, err := s.Apply(rec, refundOf("r", "0.08", "THB", day(3)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Amount.Decimal().String() != "0.07" { // 7% × 0.93 = 0.0651
		t.Errorf("after refunding 0.08: %s, want 0.07 THB", got.Amount)
	}
}

// COM-8 (B6): a refund states its currency, which must be the record's.
func TestRefundCurrency_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "10%", "100.00", "0")
	for _, cur := range []string{"", "GBP"} {
		_, err := s.Apply(rec, refundOf("r", "10.00", cur, day(3)))
		wantField(t, err, "event.currency")
	}
	_, err := s.Apply(rec, commission.Event{ID: "c", Record: "line", Kind: commission.Cancel, Currency: "THB", At: day(3)})
	wantField(t, err, "event.currency")
}

// COM-8 (Q1): refunds are measured against what the buyer paid, the price less coupons.
func TestRefundOfWhatWasPaid_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "2%", "100.00", "20.00")
	if rec.Paid.Decimal().String() != "80" || rec.Earned.Decimal().String() != "1.6" {
		t.Fatalf("paid %s earned %s", rec.Paid, rec.Earned)
	}
	_, err := s.Apply(rec, refundOf("r", "80.01", "THB", day(3)))
	wantField(t, err, "event.amount")
	if !errors.Is(err, affrules.ErrOutOfRange) {
		t.Errorf("refund beyond what was paid: %v", err)
	}
	got, err := s.Apply(rec, refundOf("r", "80.00", "THB", day(3)))
	if err != nil || got.Amount.Units != 0 || got.State != commission.Ineligible {
		t.Errorf("refunding all that was paid: %s %s %v", got.Amount, got.State, err)
	}
}

// COM-8 (Q2): a settlement is not dated before an event already applied; a refund dated before
// the settlement but delivered after it is refused as closed.
func TestSettleAfterEvents_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "10%", "100.00", "0")
	late := rec.DueAt.Add(2 * time.Hour)
	rec, err := s.Apply(rec, refundOf("r1", "10.00", "THB", late))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Apply(rec, commission.Event{ID: "s", Record: "line", Kind: commission.Settle, At: rec.DueAt.Add(time.Hour)})
	wantField(t, err, "event.at")
	settled, err := s.Apply(rec, commission.Event{ID: "s", Record: "line", Kind: commission.Settle, At: late})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(settled, refundOf("r2", "10.00", "THB", rec.DueAt.Add(time.Hour))); !errors.Is(err, commission.ErrClosed) {
		t.Errorf("refund dated before the settlement, delivered after: %v, want ErrClosed", err)
	}
}

// A book prepared under other rate bounds (COM-9) is refused.
func TestForeignBook_COM9(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	p := commission.DefaultPolicy()
	p.MaxRate = rate("20%")
	strict := commission.MustNew(p)
	b := mustBook(t, e, openOffer("open", at(day(1), "50%")))
	if _, err := strict.Resolve(b, order("l", day(1)), day(2)); !errors.Is(err, commission.ErrForeignBook) {
		t.Errorf("Resolve: %v, want ErrForeignBook", err)
	}
	if _, err := strict.Compute(b, order("l", day(1)), day(2)); !errors.Is(err, commission.ErrForeignBook) {
		t.Errorf("Compute: %v, want ErrForeignBook", err)
	}
	if _, err := commission.MustNew(commission.DefaultPolicy()).Resolve(b, order("l", day(1)), day(2)); err != nil {
		t.Errorf("another evaluator of the same rule: %v", err)
	}
	// A rule differing only in the shop-ads fallback is another rule too, and the error shows
	// where the two differ.
	p = commission.DefaultPolicy()
	p.ShopAdsFallback = false
	_, err := commission.MustNew(p).Resolve(b, order("l", day(1)), day(2))
	if !errors.Is(err, commission.ErrForeignBook) || !strings.Contains(err.Error(), "shop-ads fallback true)") || !strings.Contains(err.Error(), "shop-ads fallback false)") {
		t.Errorf("Resolve under another shop-ads fallback: %v, want ErrForeignBook naming both settings", err)
	}
}

// COM-14: Advise refuses an unknown market; a suggested rate of 0% is refused.
func TestAdviseAndSuggested_COM14(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	if _, _, err := e.Advise("XX", affrules.Fashion, rate("5%")); !errors.Is(err, affrules.ErrUnknownMarket) {
		t.Errorf("Advise(XX): %v", err)
	}
	_, err := commission.ParsePolicy([]byte(`{"suggested": {"TH": {"fashion": "0%"}}}`))
	wantField(t, err, "policy.suggested[TH][fashion]")
}

// COM-9: a shop-ads rate given as "0%" is refused, not read as none.
func TestZeroShopAdsRateRefused_COM9(t *testing.T) {
	_, err := commission.ParseOffer([]byte(`{"id": "o", "source": "OPEN", "market": "TH", "product": "p", "coverage": "everyone",
		"period": {"start": "2026-10-01T00:00:00+07:00"}, "rates": [{"from": "2026-10-01T00:00:00+07:00", "value": {"rate": "10%", "shop_ads": "0%"}}]}`))
	wantField(t, err, "offer.rates[0].value.shop_ads")
}

// A period with a mistyped key names the key, and an inverted one its bounds, where the value
// of the whole object would say only "(an object)".
func TestOfferPeriodProblemNamed(t *testing.T) {
	doc := func(period string) []byte {
		return []byte(`{"id": "o", "source": "OPEN", "market": "TH", "product": "p", "coverage": "everyone", "period": ` + period +
			`, "rates": [{"from": "2026-01-01T00:00:00Z", "value": {"rate": "10%"}}]}`)
	}
	_, err := commission.ParseOffer(doc(`{"start": "2026-01-01T00:00:00Z", "ende": "2026-02-01T00:00:00Z"}`))
	wantField(t, err, "offer.period")
	if err == nil || !strings.Contains(err.Error(), `commission: offer.period "ende": is not a field`) {
		t.Errorf("mistyped key: %v", err)
	}
	_, err = commission.ParseOffer(doc(`{"start": "2026-03-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"}`))
	if err == nil || !strings.Contains(err.Error(), `commission: offer.period [2026-03-01T00:00:00Z, 2026-02-01T00:00:00Z): end is before start`) {
		t.Errorf("inverted: %v", err)
	}
}

// A value of the wrong JSON type names its full path.
func TestTypeErrorPath(t *testing.T) {
	_, err := commission.ParsePolicy([]byte(`{"decrease_delay_days": "30"}`))
	wantField(t, err, "policy.decrease_delay_days")
	_, err = commission.ParseOffer([]byte(`{"id": 7}`))
	wantField(t, err, "offer.id")
}

// COM-2: the four rate sources by name, both ways; an unknown or zero source is refused, in an
// offer's JSON and in an offer built in code.
func TestSources_COM2(t *testing.T) {
	for _, s := range []commission.Source{commission.Open, commission.Target, commission.CollabPlus, commission.Partner} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatalf("%d: %v", s, err)
		}
		var back commission.Source
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Fatalf("%s: back %d, %v", b, back, err)
		}
	}
	want := []string{"OPEN", "TARGET", "COLLAB_PLUS", "PARTNER"}
	for i, s := range []commission.Source{commission.Open, commission.Target, commission.CollabPlus, commission.Partner} {
		if s.String() != want[i] {
			t.Errorf("source %d is %q, want %q", s, s, want[i])
		}
	}
	var s commission.Source
	if err := s.UnmarshalText([]byte("OPEN_COLLABORATION")); err == nil {
		t.Error("an unknown source name was accepted")
	}
	if _, err := (commission.Source(0)).MarshalText(); err == nil {
		t.Error("the zero source marshalled")
	}
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer("o")
	o.Source = 0
	_, err := e.Prepare(o)
	if err == nil || !strings.Contains(err.Error(), "offers[0].source 0: must be one of OPEN, TARGET, COLLAB_PLUS, PARTNER (COM-2)") {
		t.Errorf("an offer of the zero source: %v", err)
	}
}

// CMP-7, COM-10: a product removed from Open Collaboration is listed again by a new OPEN offer:
// at a lower rate only from the decrease delay after the removal, in a book and in a store (one
// starting a nanosecond sooner is a second OPEN offer); at the same or a higher rate at once.
func TestRelistAfterDelay_CMP7_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	rule := commission.DefaultPolicy().OfferRule()
	if rule.RelistDelay != 30*24*time.Hour {
		t.Fatalf("RelistDelay = %v, want the 30-day decrease delay", rule.RelistDelay)
	}
	first := openOffer("open-1", at(day(1), "10%"))
	first.Period.End = day(5)
	again := day(5).Add(rule.RelistDelay)
	soon := openOffer("open-2", at(again.Add(-time.Nanosecond), "5%"))
	soon.Period.Start = again.Add(-time.Nanosecond)
	_, err := e.Prepare(first, soon)
	wantField(t, err, "offers[1].source")
	relisted := openOffer("open-2", at(again, "5%"))
	relisted.Period.Start = again
	b, err := e.Prepare(relisted, first)
	if err != nil {
		t.Fatalf("a relisting after the delay: %v", err)
	}
	if b.Len() != 2 {
		t.Errorf("book of %d offers, want 2", b.Len())
	}
	// Orders before the removal keep the first listing's rate, orders in between earn no Open
	// rate, and orders from the relisting earn the new one.
	for _, tc := range []struct {
		at    time.Time
		offer string
		rate  string
	}{{day(3), "open-1", "10%"}, {day(10), "", ""}, {again, "open-2", "5%"}} {
		r, err := e.Resolve(b, order("o", day(1)), tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if r.OfferID != tc.offer || tc.rate != "" && !r.Rate.Equal(rate(tc.rate)) {
			t.Errorf("at %v: won %q at %v, want %q at %s", tc.at, r.OfferID, r.Rate, tc.offer, tc.rate)
		}
	}

	ctx := context.Background()
	s := commission.NewOfferMemory()
	if _, err := s.Put(ctx, rule, first, day(1)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Put(ctx, rule, soon, day(6))
	wantField(t, err, "offer.source")
	if _, err := s.Put(ctx, rule, relisted, day(6)); err != nil {
		t.Errorf("a relisting after the delay: %v", err)
	}
	// At the same rate or a higher one, a relisting may start at the removal: not a decrease.
	for _, r := range []string{"10%", "12%"} {
		up := openOffer("open-3", at(day(5), r))
		up.Period.Start = day(5)
		if _, err := e.Prepare(first, up); err != nil {
			t.Errorf("a relisting at %s at the removal: %v", r, err)
		}
	}
	// With no delay, or with Open decreases not delayed, a lower relisting may start at the
	// removal too.
	at5 := openOffer("open-3", at(day(5), "5%"))
	at5.Period.Start = day(5)
	noDelay := commission.DefaultPolicy()
	noDelay.DecreaseDelayDays = 0
	notDelayed := commission.DefaultPolicy()
	notDelayed.DelayedSources = nil
	for name, p := range map[string]commission.Policy{"no delay": noDelay, "Open not delayed": notDelayed} {
		if p.OfferRule().RelistDelay != 0 {
			t.Errorf("%s: RelistDelay %v, want 0", name, p.OfferRule().RelistDelay)
		}
		if _, err := commission.MustNew(p).Prepare(first, at5); err != nil {
			t.Errorf("%s, a lower relisting at the removal: %v", name, err)
		}
	}
}

// CMP-7, COM-10: a cut just before a removal is still owed to a creator promoting the product
// for the delay after the cut, so a relisting at the cut rate starts no sooner than the cut is
// that old (one nanosecond sooner is a second OPEN offer), while one at the rate paid before the
// cut may start at the removal. The creator is paid the same either way.
func TestRelistAfterCut_CMP7_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	delay := commission.DefaultPolicy().OfferRule().RelistDelay
	first := openOffer("open-1", at(day(1), "20%"), at(day(3), "10%"))
	first.Period.End = day(5)
	relist := func(start time.Time, r string) commission.Offer {
		o := openOffer("open-2", at(start, r))
		o.Period.Start = start
		return o
	}
	_, err := e.Prepare(first, relist(day(3).Add(delay-time.Nanosecond), "10%"))
	wantField(t, err, "offers[1].source")
	_, err = e.Prepare(relist(day(5), "10%"), first)
	wantField(t, err, "offers[1].source")
	for _, ok := range []commission.Offer{relist(day(3).Add(delay), "10%"), relist(day(5), "20%")} {
		b, err := e.Prepare(first, ok)
		if err != nil {
			t.Fatalf("relisting at %v from %v: %v", ok.Rates, ok.Period.Start, err)
		}
		// A creator promoting since day 1 is owed 20% until the cut is a delay old, from the
		// first listing and then, if it starts by then, from the relisting.
		for _, when := range []time.Time{day(4), ok.Period.Start} {
			r, err := e.Resolve(b, order("o", day(1)), when)
			if err != nil {
				t.Fatal(err)
			}
			want := "20%"
			if !when.Before(day(3).Add(delay)) {
				want = "10%"
			}
			if r.OfferID == "" || !r.Rate.Equal(rate(want)) {
				t.Errorf("relisting from %v, order at %v: won %q at %v, want %s", ok.Period.Start, when, r.OfferID, r.Rate, want)
			}
		}
	}
	ctx := context.Background()
	s := commission.NewOfferMemory()
	rule := commission.DefaultPolicy().OfferRule()
	if _, err := s.Put(ctx, rule, first, day(1)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Put(ctx, rule, relist(day(5), "10%"), day(6))
	wantField(t, err, "offer.source")
}

// CMP-7, COM-10, COM-11, COM-6: a relisting within the delay pays every order at least what the
// removed offer still owes a creator promoting it: its active tier and its shop-ads rate too; a
// history entry dated before the relisting's start counts as the resolver counts it (what is in
// force at the start is paid, not the first entry); and Conflicts does not depend on the order
// of its arguments, an offer withdrawn before it started beside one starting then included.
func TestRelistPaysWhatIsOwed_CMP7_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	rule := commission.DefaultPolicy().OfferRule()
	withTerms := func(from time.Time, terms commission.Terms) affrules.Effective[commission.Terms] {
		return affrules.Effective[commission.Terms]{From: from, Value: terms}
	}
	first := openOffer("open-1", withTerms(day(1), commission.Terms{Rate: rate("10%"), ShopAds: rate("30%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("25%")}}))
	first.Period.End = day(20)
	relist := func(es ...affrules.Effective[commission.Terms]) commission.Offer {
		o := openOffer("open-2", es...)
		o.Period.Start = day(20)
		return o
	}
	for _, tc := range []struct {
		name     string
		relisted commission.Offer
		ok       bool
	}{
		{"the standard rate alone drops the tier and the shop-ads rate", relist(at(day(20), "10%")), false},
		{"the tier kept, the shop-ads rate dropped", relist(withTerms(day(20), commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("25%")}})), false},
		{"both kept", relist(withTerms(day(20), commission.Terms{Rate: rate("10%"), ShopAds: rate("30%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("25%")}})), true},
		{"a standard rate above every rate owed", relist(at(day(20), "30%")), true},
		{"a tier from a later order", relist(withTerms(day(20), commission.Terms{Rate: rate("10%"), ShopAds: rate("30%"), Tier: &commission.Tier{Threshold: 6, Rate: rate("25%")}})), false},
	} {
		_, err := e.Prepare(first, tc.relisted)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		wantField(t, err, "offers[1].source")
		if rule.Conflicts(first, tc.relisted) != rule.Conflicts(tc.relisted, first) {
			t.Errorf("%s: Conflicts depends on the order of its arguments", tc.name)
		}
	}
	// The resolver: a promoter's 10th order and a shop-ads order on day 19 and day 20.
	b, err := e.Prepare(first, relist(withTerms(day(20), commission.Terms{Rate: rate("10%"), ShopAds: rate("30%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("25%")}})))
	if err != nil {
		t.Fatal(err)
	}
	for _, when := range []time.Time{day(19), day(20)} {
		tenth := order("o", day(1))
		tenth.OrderCount = 10
		ads := order("o", day(1))
		ads.ShopAds, ads.VideoAuthorised = true, true
		for o, want := range map[*commission.Order]string{&tenth: "25%", &ads: "30%"} {
			r, err := e.Resolve(b, *o, when)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Rate.Equal(rate(want)) {
				t.Errorf("at %v: %v, want %s", when, r.Rate, want)
			}
		}
	}

	// Entries before the start: the rate in force at the start is what the relisting pays.
	plain := openOffer("open-1", at(day(1), "20%"))
	plain.Period.End = day(20)
	cut := relist(at(day(20).AddDate(0, 0, -40), "20%"), at(day(20).AddDate(0, 0, -35), "10%"))
	_, err = e.Prepare(plain, cut)
	wantField(t, err, "offers[1].source")
	raised := relist(at(day(10), "10%"), at(day(15), "25%"))
	if _, err := e.Prepare(plain, raised); err != nil {
		t.Errorf("a relisting paying 25%% from its start, its history starting lower: %v", err)
	}
	// The relisting's own later cut is delayed as any listing's is (COM-10): a creator promoting
	// since before the removal keeps 20% until the cut is a delay old, past what the removed
	// offer owes, so it is no conflict.
	later := relist(at(day(20), "20%"), at(day(25), "10%"))
	b, err = e.Prepare(plain, later)
	if err != nil {
		t.Fatalf("a relisting cutting its own rate within the delay: %v", err)
	}
	r, err := e.Resolve(b, order("o", day(1)), day(25).AddDate(0, 0, 30).Add(-time.Nanosecond))
	if err != nil || !r.Rate.Equal(rate("20%")) {
		t.Errorf("a promoter since day 1, just before the relisting's cut is a delay old: %v, %v; want 20%%", r.Rate, err)
	}

	// A shop-ads order of an offer without a shop-ads rate earns its standard rate under the
	// fallback (the default policy's, and the zero rule's), nothing from it without: a relisting
	// with a lower shop-ads rate underpays in the first reading only.
	noAds := openOffer("open-1", at(day(1), "20%"))
	noAds.Period.End = day(20)
	ads := relist(withTerms(day(20), commission.Terms{Rate: rate("20%"), ShopAds: rate("10%")}))
	if !rule.Conflicts(noAds, ads) || !(commission.OfferRule{RelistDelay: rule.RelistDelay}).Conflicts(noAds, ads) {
		t.Errorf("with the fallback, a 10%% shop-ads rate underpays shop-ads orders owed 20%%")
	}
	noFallback := commission.DefaultPolicy()
	noFallback.ShopAdsFallback = false
	if noFallback.OfferRule().Conflicts(noAds, ads) {
		t.Errorf("without the fallback, the removed offer paid shop-ads orders nothing: no conflict")
	}

	// An offer withdrawn before it started (an empty period) beside one starting then.
	withdrawn := openOffer("b-withdrawn", at(day(10), "10%"))
	withdrawn.Period = affrules.Period{Start: day(10), End: day(10)}
	listing := openOffer("a-listing", at(day(10), "20%"))
	listing.Period = affrules.Period{Start: day(10), End: day(20)}
	if rule.Conflicts(withdrawn, listing) || rule.Conflicts(listing, withdrawn) {
		t.Errorf("a withdrawn offer conflicts with the listing starting as it was to")
	}
	if _, err := e.Prepare(withdrawn, listing); err != nil {
		t.Errorf("Prepare(withdrawn, listing): %v", err)
	}
}

// CP-7 in an offer's members: a creator joins a Collaboration Plus from its start instant; one
// who joined at or after the offer's end (a product that left the collaboration early, whose
// offer ends before the collaboration does) is kept, and never covered.
func TestMembersJoinFromStart(t *testing.T) {
	cp := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "c1", Joined: day(1)}, {Creator: "c2", Joined: day(9)}},
		Period:  affrules.Period{Start: day(1), End: day(9)}, Rates: history(at(day(1), "15%"))}
	if err := commission.DefaultPolicy().OfferRule().Check(nil, cp, day(1)); err != nil {
		t.Fatal(err)
	}
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(cp)
	if err != nil {
		t.Fatal(err)
	}
	o := order("o", day(1))
	o.Creator = "c2"
	r, err := e.Resolve(b, o, day(9).Add(-time.Nanosecond))
	if err != nil || r.Earned() {
		t.Errorf("a member who joined at the end earned: %s, %v", r.Explain(), err)
	}
	cp.Members[0].Joined = day(1).Add(-time.Nanosecond)
	if err := commission.DefaultPolicy().OfferRule().Check(nil, cp, day(1)); err == nil {
		t.Fatal("a member joining before the start was accepted")
	}
}

// COM-8 (Q2): a cancellation is not dated before an event already applied either; a record
// refunded in full closes at the latest of its refunds, whichever arrived last.
func TestCloseAfterEvents_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "10%", "100.00", "0")
	r1, err := s.Apply(rec, refundOf("r1", "10.00", "THB", day(6)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Apply(r1, commission.Event{ID: "c", Record: "line", Kind: commission.Cancel, At: day(3)})
	wantField(t, err, "event.at")
	full, err := s.Apply(r1, refundOf("r2", "90.00", "THB", day(4)))
	if err != nil {
		t.Fatal(err)
	}
	if full.State != commission.Ineligible || !full.ClosedAt.Equal(day(6)) {
		t.Errorf("fully refunded: %s closed at %s, want ineligible at the latest refund %s", full.State, full.ClosedAt, day(6))
	}
}

// COM-8, MKT-4: a record keeps the settlement period and rounding it was opened under; a change
// of the rule applies to records opened after it, and those opened before still take events.
func TestRuleChangeKeepsOpenRecords_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "7%", "1.50", "0") // 0.105 THB: rounded half up to 0.11
	if rec.Earned.Units != 11 || rec.Rounding != affrules.HalfUp {
		t.Fatalf("earned %s in %s", rec.Earned, rec.Rounding)
	}
	changed := s
	changed.Days = map[string]int{"standard": 10, "trusted": 3, "new": 15}
	changed.Rounding = affrules.Down
	refunded, err := changed.Apply(rec, refundOf("r", "0.40", "THB", day(3)))
	if err != nil {
		t.Fatalf("a refund under the changed rule: %v", err)
	}
	if refunded.Amount.Units != 8 { // 0.105 × 1.10 / 1.50 = 0.077: 0.08 half up as opened, 0.07 down
		t.Errorf("after the refund: %s, want 0.08, rounded in the record's own mode", refunded.Amount)
	}
	if _, err := changed.Apply(refunded, commission.Event{ID: "s", Record: "line", Kind: commission.Settle, At: rec.DueAt}); err != nil {
		t.Errorf("settling at the record's own DueAt under the changed rule: %v", err)
	}
	if err := changed.Check(rec); err == nil {
		t.Error("a record opened under the old rule is not a new record of the changed one")
	}
}

// A record's JSON without "rounding" (written before Record.Rounding existed) is refused, not
// read as half_up whatever mode it was opened under; with it, the record reads back.
func TestRecordJSONNeedsRounding_COM8(t *testing.T) {
	rec := record(t, "7%", "1.50", "0")
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var back commission.Record
	if err := json.Unmarshal(b, &back); err != nil || !back.SameOrigin(rec) {
		t.Fatalf("read back: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "rounding")
	old, _ := json.Marshal(m)
	err = json.Unmarshal(old, &back)
	wantField(t, err, "record.rounding")
	m["rounding"] = nil
	null, _ := json.Marshal(m)
	err = json.Unmarshal(null, &back)
	wantField(t, err, "record.rounding")
}

// COM-8: a record opened again under another settlement period or rounding mode conflicts with
// the one stored; a new record must be opened under the rule given; a stored record's DueAt is a
// whole number of days after its order; null leaves a record as it was.
func TestRecordOriginGuards_COM8(t *testing.T) {
	ctx := context.Background()
	st := commission.NewRecordMemory()
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "10%", "100.00", "0")
	if _, err := st.Create(ctx, s, rec); err != nil {
		t.Fatal(err)
	}
	down := s
	down.Rounding = affrules.Down
	again := rec
	again.Rounding = affrules.Down
	if _, err := st.Create(ctx, down, again); !errors.Is(err, commission.ErrConflict) {
		t.Errorf("opened again under another mode: %v, want ErrConflict", err)
	}
	longer := s
	longer.Days = map[string]int{"standard": 10, "trusted": 3, "new": 15}
	again = rec
	again.DueAt = rec.OrderedAt.Add(affrules.Days(10))
	if _, err := st.Create(ctx, longer, again); !errors.Is(err, commission.ErrConflict) {
		t.Errorf("opened again under another period: %v, want ErrConflict", err)
	}
	other := rec
	other.Rounding = affrules.Down
	if err := s.Check(other); err == nil {
		t.Error("a new record in another mode than the rule's was accepted")
	}
	odd := rec
	odd.DueAt = odd.DueAt.Add(time.Hour)
	_, err := s.Apply(odd, commission.Event{ID: "c", Record: "line", Kind: commission.Cancel, At: day(3)})
	wantField(t, err, "record.due_at")
	back := rec
	if err := back.UnmarshalJSON([]byte("null")); err != nil || !back.SameOrigin(rec) {
		t.Errorf("null: %v", err)
	}
}

// COM-3, COM-12: an offer covers exactly its members from their join instants and exactly the
// creators it lists, however long its lists (a long list is searched in key order, a short one
// scanned): every member, listed creator and stranger of lists around the switch-over gets the
// offer that covers it.
func TestLongCoverageLists_COM3(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	for _, n := range []int{0, 1, 31, 32, 33, 64, 500} {
		cp := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
			Period: affrules.Period{Start: day(1), End: day(20)}, Rates: history(at(day(1), "20%"))}
		var listed []string
		for i := range n {
			cp.Members = append(cp.Members, commission.Member{Creator: fmt.Sprintf("m%d", n-i), Joined: day(1 + i%5)})
			listed = append(listed, fmt.Sprintf("l%d", i*7%max(n, 1)))
		}
		listed = slices.Compact(slices.Sorted(slices.Values(listed)))
		offers := []commission.Offer{openOffer("open", at(day(1), "5%")), cp}
		if len(listed) > 0 {
			offers = append(offers, targetOffer("t", listed, day(1), day(20), "10%"))
		}
		b := mustBook(t, e, offers...)
		for i := range n + 3 {
			for _, c := range []string{fmt.Sprintf("m%d", i), fmt.Sprintf("l%d", i), fmt.Sprintf("x%d", i)} {
				want := commission.Open
				if slices.Contains(listed, c) {
					want = commission.Target
				}
				if j := slices.IndexFunc(cp.Members, func(m commission.Member) bool { return m.Creator == c }); j >= 0 && !cp.Members[j].Joined.After(day(3)) {
					want = commission.CollabPlus
				}
				o := order("o", day(1))
				o.Creator = c
				if r := resolve(t, e, b, o, day(3)); r.Source != want {
					t.Fatalf("%d members: creator %s paid by %v, want %v\n%s", n, c, r.Source, want, r.Explain())
				}
			}
		}
	}
}

// Offer.Clone shares nothing with the offer: creators, members, the history and its tiers.
func TestOfferClone(t *testing.T) {
	tier := &commission.Tier{Threshold: 50, Rate: rate("20%")}
	o := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members,
		Members: []commission.Member{{Creator: "c1", Joined: day(1)}}, Period: affrules.Period{Start: day(1)},
		Rates: history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: tier}})}
	c := o.Clone()
	before, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	o.Members[0].Creator, tier.Rate = "c9", rate("11%")
	if after, _ := json.Marshal(c); string(after) != string(before) {
		t.Errorf("the clone changed with the offer:\n%s\n%s", before, after)
	}
}

// COM-7, COM-8: a stored record whose amounts are not what was earned less its refunds (a
// corrupted or hand-edited row) takes no event: settling it would pay what it does not owe.
func TestStoredRecordAmountsChecked_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "8%", "199.99", "0")
	settle := commission.Event{ID: "st", Record: rec.ID, Kind: commission.Settle, At: rec.DueAt}
	if _, err := s.Apply(rec, settle); err != nil {
		t.Fatal(err)
	}
	refunded, err := s.Apply(rec, refundOf("rf", "50.00", "THB", day(3)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(refunded, settle); err != nil {
		t.Fatalf("a refunded record: %v", err)
	}
	for name, edit := range map[string]func(r *commission.Record){
		"amount raised":         func(r *commission.Record) { r.Amount.Units = 9999 },
		"creator part lowered":  func(r *commission.Record) { r.Creator.Units-- },
		"refund without effect": func(r *commission.Record) { r.Refunded.Units = 5000 },
		"partner part invented": func(r *commission.Record) { r.Partner.Units, r.Creator.Units = 100, r.Creator.Units-100 },
	} {
		bad := rec
		edit(&bad)
		if _, err := s.Apply(bad, settle); err == nil || !strings.Contains(err.Error(), "record.amount") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A record refunded before records kept their mode took the refund in the rule's mode of the
	// day: 10% of 1.10 opened half up (0.11), refunded 0.05 under half even (0.105 → 0.10).
	old := record(t, "10%", "1.10", "0")
	even := s
	even.Rounding = affrules.HalfEven
	old.Rounding = affrules.HalfEven // the refund in the rule's mode
	old, err = even.Apply(old, refundOf("rf", "0.05", "THB", day(3)))
	if err != nil || old.Amount.Units != 10 {
		t.Fatalf("refund: %v, %v", old.Amount, err)
	}
	old.Rounding = affrules.HalfUp // the mode it was opened under, added to its JSON as the doc asks
	if _, err := even.Apply(old, commission.Event{ID: "st", Record: old.ID, Kind: commission.Settle, At: old.DueAt}); err != nil {
		t.Errorf("a record refunded in another mode before records kept theirs: %v", err)
	}
	cancelled, err := s.Apply(rec, commission.Event{ID: "c", Record: rec.ID, Kind: commission.Cancel, At: day(3)})
	if err != nil {
		t.Fatal(err)
	}
	cancelled.Amount = rec.Amount // an ineligible record pays nothing
	if _, err := s.Apply(cancelled, settle); err == nil || !strings.Contains(err.Error(), "record.amount") {
		t.Errorf("an ineligible record with an amount: %v", err)
	}
}

// A stored record with a negative base is named for it, not also for a partner part computed
// from the negative base as if it were huge.
func TestNegativeBaseNamedOnce(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	rec := record(t, "8%", "199.99", "0")
	rec.Base.Units = -1
	_, err := s.Apply(rec, commission.Event{ID: "st", Record: rec.ID, Kind: commission.Settle, At: rec.DueAt})
	if err == nil || !strings.Contains(err.Error(), "record.base") || strings.Contains(err.Error(), "earned_partner") {
		t.Errorf("a negative base: %v", err)
	}
}

// CMP-7 with RemovalDelayed: a removal is a decrease to nothing, delayed as COM-10 delays any.
// Open 10% from Oct 1, cut to 8% on Oct 3, removed on Oct 5. A creator promoting since before
// the removal is paid the highest rate in force in the delay before the order (10% while the
// cut is under 30 days old, then 8%) until the removal is 30 days old, with a note saying
// until when; from then on, or for a creator who started at the removal, nothing. By default,
// nothing from the removal on.
func TestRemovalDelayed_CMP7_COM10(t *testing.T) {
	removed := day(5)
	first := openOffer("open-1", at(day(1), "10%"), at(day(3), "8%"))
	first.Period.End = removed
	p := commission.DefaultPolicy()
	p.RemovalDelayed = true
	e := commission.MustNew(p)
	b := mustBook(t, e, first)
	delay := 30 * 24 * time.Hour
	for _, tc := range []struct {
		name      string
		promoting time.Time
		at        time.Time
		rate      string // "": nothing earned
	}{
		{"before the removal", day(1), day(4), "10%"},
		{"at the removal, the cut under 30 days old", day(1), removed, "10%"},
		{"the cut 30 days old: 8%", day(1), day(3).Add(delay), "8%"},
		{"the last instant before the removal is 30 days old", day(1), removed.Add(delay - time.Nanosecond), "8%"},
		{"the removal 30 days old", day(1), removed.Add(delay), ""},
		{"promoting from a nanosecond before the removal", removed.Add(-time.Nanosecond), day(10), "8%"},
		{"promoting from the removal: a new promoter", removed, day(10), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := e.Resolve(b, order("o", tc.promoting), tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rate == "" {
				if r.Earned() {
					t.Fatalf("earned %s %s, want nothing: %s", r.OfferID, r.Rate, r.Explain())
				}
				return
			}
			if r.OfferID != "open-1" || !r.Rate.Equal(rate(tc.rate)) {
				t.Fatalf("won %q at %v, want open-1 at %s: %s", r.OfferID, r.Rate, tc.rate, r.Explain())
			}
			notes := r.Notes()
			if !tc.at.Before(removed) {
				want := fmt.Sprintf("COM-10 not applicable: listing removed from Open Collaboration: a creator already promoting is paid until the decrease delay has passed (observed removed %s, limit paid until %s)",
					removed.Format(time.RFC3339), removed.Add(delay).Format(time.RFC3339))
				if len(notes) == 0 || notes[0].String() != want || notes[0].Key != "commission.com10.removal_delayed" {
					t.Fatalf("notes %v, want %s", notes, want)
				}
			}
		})
	}

	// By default, with Open's decreases not delayed, or with no delay, the removal is final.
	notDelayed := p
	notDelayed.DelayedSources = nil
	noDelay := p
	noDelay.DecreaseDelayDays = 0
	for name, p := range map[string]commission.Policy{"default": commission.DefaultPolicy(), "Open not delayed": notDelayed, "no delay": noDelay} {
		e := commission.MustNew(p)
		r, err := e.Resolve(mustBook(t, e, first), order("o", day(1)), removed)
		if err != nil {
			t.Fatal(err)
		}
		if r.Earned() {
			t.Errorf("%s: earned %s at the removal: %s", name, r.Rate, r.Explain())
		}
	}
	// A listing removed at its start ran for no one and owes no one.
	never := openOffer("open-0", at(day(1), "10%"))
	never.Period = affrules.Period{Start: day(2), End: day(2)}
	r, err := e.Resolve(mustBook(t, e, never), order("o", day(1)), day(3))
	if err != nil {
		t.Fatal(err)
	}
	if r.Earned() {
		t.Errorf("a listing removed at its start pays %s: %s", r.Rate, r.Explain())
	}
	// Policy data.
	got, err := commission.ParsePolicy([]byte(`{"removal_delayed": true}`))
	if err != nil || !got.RemovalDelayed {
		t.Fatalf("removal_delayed: %+v, %v", got.RemovalDelayed, err)
	}
}

// CMP-7 with RemovalDelayed, the edges: a listing in force beats a removed one at the same rate
// whatever their IDs; a listing removed before its first rate paid no one and is reported
// ended; a cut before the removal still owed is noted beside the removal; the setting is
// refused beside OPEN among the reset sources.
func TestRemovalDelayedEdges_CMP7(t *testing.T) {
	p := commission.DefaultPolicy()
	p.RemovalDelayed = true
	e := commission.MustNew(p)
	removed := day(5)
	for _, ids := range [][2]string{{"open-1", "open-2"}, {"z-old", "a-new"}} {
		old := openOffer(ids[0], at(day(1), "10%"))
		old.Period.End = removed
		relisted := openOffer(ids[1], at(removed, "10%"))
		relisted.Period.Start = removed
		r, err := e.Resolve(mustBook(t, e, old, relisted), order("o", day(1)), day(10))
		if err != nil {
			t.Fatal(err)
		}
		if r.OfferID != ids[1] || len(r.Notes()) != 0 {
			t.Errorf("%v: won %s with notes %v, want the listing in force %s without a note", ids, r.OfferID, r.Notes(), ids[1])
		}
	}

	late := openOffer("open-5", at(day(6), "10%"))
	late.Period = affrules.Period{Start: day(1), End: removed}
	r, err := e.Resolve(mustBook(t, e, late), order("o", day(1)), day(8))
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Candidates(); r.Earned() || len(c) != 1 || c[0].Outcome != commission.OutsidePeriod {
		t.Errorf("a listing removed before its first rate: %s", r.Explain())
	}

	cut := openOffer("open-1", at(day(1), "10%"), at(day(3), "8%"))
	cut.Period.End = removed
	r, err = e.Resolve(mustBook(t, e, cut), order("o", day(1)), day(10))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, n := range r.Notes() {
		keys = append(keys, string(n.Key)+" "+n.Limit.Time().Format("Jan 2"))
	}
	if want := []string{"commission.com10.removal_delayed Nov 4", "commission.com10.delayed Nov 2"}; !slices.Equal(keys, want) || !r.Rate.Equal(rate("10%")) {
		t.Errorf("notes %v at %s, want %v at 10%%", keys, r.Rate, want)
	}

	p.ResetSources = []commission.Source{commission.CollabPlus, commission.Open}
	err = p.Validate()
	wantField(t, err, "policy.removal_delayed")
}

// A record's JSON of the wrong shape is refused with the package's error naming the record's
// field, not encoding/json's naming an internal type; ParseOffer refuses null as it refuses
// any other JSON that is not an object, rather than reading it as the zero offer.
func TestRecordAndOfferJSONShapes(t *testing.T) {
	var r commission.Record
	for in, field := range map[string]string{`[]`: "record", `"x"`: "record", `{"rounding":"half_up","id":5}`: "record.id"} {
		err := json.Unmarshal([]byte(in), &r)
		wantField(t, err, field)
		if strings.Contains(err.Error(), "plain") || !strings.HasPrefix(err.Error(), "commission: ") {
			t.Errorf("%s: error %q", in, err)
		}
	}
	for _, in := range []string{`null`, ` null`, `[]`} {
		if o, err := commission.ParseOffer([]byte(in)); err == nil || o.ID != "" {
			t.Errorf("ParseOffer(%s) = %+v, %v; want an error", in, o, err)
		} else {
			wantField(t, err, "offer")
		}
	}
}

// COM-8: a record settles from its due instant on, and no event is accepted from 2200 on: an
// order whose settlement period ends at 2200-01-01T00:00:00Z or later could never settle, so
// Open and Check refuse it; one whose period ends a nanosecond earlier opens and settles.
func TestRecordDueWithinBounds_COM8(t *testing.T) {
	s := commission.DefaultPolicy().Settlement()
	e := commission.MustNew(commission.DefaultPolicy())
	book := mustBook(t, e, openOffer("open", at(day(1), "10%")))
	last := bounds.MaxInstant.Add(-affrules.Days(s.Days["new"])) // an order then is due at the bound
	compute := func(when time.Time) commission.Commission {
		t.Helper()
		c, err := e.Compute(book, order("line", day(1)), when)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	rec, err := s.Open(compute(last.Add(-time.Nanosecond)), "new")
	if err != nil {
		t.Fatalf("an order due a nanosecond before the bound: %v", err)
	}
	if err := s.Check(rec); err != nil {
		t.Fatalf("Check of the record Open made: %v", err)
	}
	if _, err := s.Apply(rec, commission.Event{ID: "s", Record: "line", Kind: commission.Settle, At: rec.DueAt}); err != nil {
		t.Fatalf("settling at its due instant: %v", err)
	}
	_, err = s.Open(compute(last), "new")
	wantField(t, err, "commission.at")
	if !errors.Is(err, affrules.ErrOutOfRange) || !strings.Contains(err.Error(), "could never settle") {
		t.Errorf("%v: want ErrOutOfRange, saying the record could never settle", err)
	}
	late := rec
	late.OrderedAt, late.DueAt = last, bounds.MaxInstant
	wantField(t, s.Check(late), "record.ordered_at")
	if _, err := commission.NewRecordMemory().Create(context.Background(), s, late); err == nil {
		t.Error("RecordMemory.Create stored a record that could never settle")
	}
}
