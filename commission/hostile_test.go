package commission_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// Every "Bad input" row of issue 12, and zero values, empty IDs, huge-exponent decimals built in
// code, typos in policy JSON and unknown enum values: each is a *affrules.FieldError naming the
// field and the value, and nothing is stored.
func TestHostileInput(t *testing.T) {
	ctx := context.Background()
	e := commission.MustNew(commission.DefaultPolicy())
	rule := commission.DefaultPolicy().OfferRule()
	s := commission.DefaultPolicy().Settlement()
	huge := decimal.New(4, -2_000_000_000)
	good := order("line", day(1))

	// stores: the offer store, and a record store holding one pending record "line" of 10.00 THB
	// (10% of 100.00 THB).
	type stores struct {
		offers  *commission.OfferMemory
		records *commission.RecordMemory
		record  commission.Record
	}
	fresh := func(t *testing.T) stores {
		st := stores{offers: commission.NewOfferMemory(), records: commission.NewRecordMemory()}
		b := mustBook(t, e, openOffer("open", at(day(1), "10%")))
		c, err := e.Compute(b, good, day(2))
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Open(c, "standard")
		if err != nil {
			t.Fatal(err)
		}
		if st.record, err = st.records.Create(ctx, s, r); err != nil {
			t.Fatal(err)
		}
		return st
	}
	putOffer := func(mutate func(o *commission.Offer)) func(st stores) error {
		return func(st stores) error {
			o := openOffer("bad", at(day(1), "10%"))
			mutate(&o)
			_, err := st.offers.Put(ctx, rule, o, day(1))
			return err
		}
	}
	compute := func(mutate func(o *commission.Order), when time.Time) func(st stores) error {
		return func(st stores) error {
			o := good
			mutate(&o)
			c, err := e.Compute(mustBook(t, e, openOffer("open", at(day(1), "10%"))), o, when)
			if err == nil {
				return nil
			}
			if c.Earned() || len(c.Candidates()) != 0 {
				t.Errorf("an error came with a result: %+v", c)
			}
			return err
		}
	}
	apply := func(ev commission.Event) func(st stores) error {
		return func(st stores) error {
			_, err := st.records.Apply(ctx, s, ev)
			return err
		}
	}
	refund := func(amount decimal.Decimal) commission.Event {
		return commission.Event{ID: "rf", Record: "line", Kind: commission.Refund, Amount: amount, Currency: "THB", At: day(3)}
	}
	parse := func(doc string) func(st stores) error {
		return func(st stores) error { _, err := commission.ParsePolicy([]byte(doc)); return err }
	}
	parseOffer := func(doc string) func(st stores) error {
		return func(st stores) error {
			o, err := commission.ParseOffer([]byte(doc))
			if err != nil {
				return err
			}
			_, err = st.offers.Put(ctx, rule, o, day(1))
			return err
		}
	}
	tierOffer := func(threshold int64, r, tier string) affrules.Effective[commission.Terms] {
		e := at(day(1), r)
		e.Value.Tier = &commission.Tier{Threshold: threshold, Rate: rate(tier)}
		return e
	}

	for _, tc := range []struct {
		name, field, value string
		call               func(st stores) error
	}{
		// Rates outside bounds or unparseable.
		{"rate below 1%", "offer.rates[0].value.rate", "0.5%", putOffer(func(o *commission.Offer) { o.Rates = history(at(day(1), "0.5%")) })},
		{"rate above 80%", "offer.rates[0].value.rate", "81%", putOffer(func(o *commission.Offer) { o.Rates = history(at(day(1), "81%")) })},
		{"shop-ads rate above 80%", "offer.rates[0].value.shop_ads", "90%", putOffer(func(o *commission.Offer) {
			o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("90%")}})
		})},
		{"unparseable rate", "rate", `"ten"`, parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-10-01T00:00:00Z","end":"0001-01-01T00:00:00Z"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"ten"}}]}`)},
		{"rate as a fraction", "rate", `"0.15"`, parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-10-01T00:00:00Z","end":"0001-01-01T00:00:00Z"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"0.15"}}]}`)},
		// Negative prices, coupons above the price, another market's currency.
		{"negative price", "order.price", "-1", compute(func(o *commission.Order) { o.Price = dec("-1") }, day(2))},
		{"price left out", "order.price", "0", compute(func(o *commission.Order) { o.Price = decimal.Decimal{} }, day(2))},
		{"price of zero", "order.price", "0", compute(func(o *commission.Order) {
			o.Price, o.PlatformCoupon, o.SellerCoupon, o.Tax = dec("0.00"), dec("0"), dec("0"), dec("0")
		}, day(2))},
		{"negative tax", "order.tax", "-0.01", compute(func(o *commission.Order) { o.Tax = dec("-0.01") }, day(2))},
		{"coupons above the price", "order.coupons", "60 + 50", compute(func(o *commission.Order) { o.PlatformCoupon, o.SellerCoupon = dec("60"), dec("50") }, day(2))},
		{"tax above the rest", "order.tax", "30", compute(func(o *commission.Order) { o.SellerCoupon, o.Tax = dec("80"), dec("30") }, day(2))},
		{"another market's currency", "order.currency", `"GBP"`, compute(func(o *commission.Order) { o.Currency = "GBP" }, day(2))},
		{"finer than the minor unit", "order.price", "100.001", compute(func(o *commission.Order) { o.Price = dec("100.001") }, day(2))},
		{"huge exponent price", "order.price", "e-2000000000", compute(func(o *commission.Order) { o.Price = huge }, day(2))},
		{"huge exponent coupon", "order.seller_coupon", "e-2000000000", compute(func(o *commission.Order) { o.SellerCoupon = huge }, day(2))},
		{"huge coefficient", "order.price", "more than 38 digits", compute(func(o *commission.Order) { o.Price = dec(strings.Repeat("9", 60)) }, day(2))},
		// Coefficients of one machine word at 2^63 minor units, and of two words (2^64): each is
		// out of range, not read as a negative or a truncated amount.
		{"2^63 minor units", "order.price", "92233720368547758.08", compute(func(o *commission.Order) { o.Price = dec("92233720368547758.08") }, day(2))},
		{"2^64 minor units", "order.price", "184467440737095516.16", compute(func(o *commission.Order) { o.Price = dec("184467440737095516.16") }, day(2))},
		// Refunds.
		{"refund above the sale", "event.amount", "100.01 THB", apply(refund(dec("100.01")))},
		{"negative refund", "event.amount", "-5", apply(refund(dec("-5")))},
		{"huge exponent refund", "event.amount", "e-2000000000", apply(refund(huge))},
		{"refund finer than the minor unit", "event.amount", "0.001", apply(refund(dec("0.001")))},
		{"zero event", "event.id", `""`, apply(commission.Event{Record: "line"})},
		{"event with zero instant", "event.at", "0001-01-01", apply(commission.Event{ID: "e", Record: "line", Kind: commission.Cancel})},
		{"unknown event kind", "event.kind", "9", apply(commission.Event{ID: "e", Record: "line", Kind: 9, At: day(3)})},
		// Histories overlapping or backwards, and tier changes that break COM-11.
		{"backwards history", "offer.rates[1].from", "2026-09-30", parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-10-01T00:00:00Z","end":"0001-01-01T00:00:00Z"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"10%"}},{"from":"2026-09-30T00:00:00Z","value":{"rate":"9%"}}]}`)},
		{"overlapping history", "offer.rates[1].from", "2026-10-01", parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-10-01T00:00:00Z","end":"0001-01-01T00:00:00Z"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"10%"}},{"from":"2026-10-01T00:00:00Z","value":{"rate":"9%"}}]}`)},
		{"instant without a zone", "offer.period.start", `"2026-09-22T00:00:00"`, parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-09-22T00:00:00"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"10%"}}]}`)},
		{"policy: a fraction of a day", "policy.settlement_days[standard]", "7.5", parse(`{"settlement_days": {"standard": 7.5}}`)},
		{"policy: a number for a source", "policy.precedence[2]", "1", parse(`{"precedence":["OPEN","TARGET",1,"PARTNER"],"rounding":5}`)},
		{"policy: a number for the rounding", "policy.rounding", "5", parse(`{"precedence":["OPEN","TARGET",1,"PARTNER"],"rounding":5}`)},
		{"policy: null settlement days", "policy.settlement_days[new]", "null", parse(`{"settlement_days": {"new": null}}`)},
		{"policy: base64 for a list of sources", "policy.precedence", `"AQ=="`, parse(`{"precedence":"AQ=="}`)},
		{"backwards period", "offer.period", "[2026-10-05", putOffer(func(o *commission.Offer) { o.Period = affrules.Period{Start: day(5), End: day(2)} })},
		{"tier threshold changed", "offer.rates[1].value.tier.threshold", "60", putOffer(func(o *commission.Offer) {
			second := tierOffer(60, "10%", "12%")
			second.From = day(2)
			o.Rates = history(tierOffer(50, "10%", "12%"), second)
		})},
		{"tier rate lowered", "offer.rates[1].value.tier.rate", "11%", putOffer(func(o *commission.Offer) {
			second := tierOffer(50, "10%", "11%")
			second.From = day(2)
			o.Rates = history(tierOffer(50, "10%", "12%"), second)
		})},
		{"tier removed", "offer.rates[1].value.tier", "null", putOffer(func(o *commission.Offer) {
			o.Rates = history(tierOffer(50, "10%", "12%"), at(day(2), "12%"))
		})},
		{"tier threshold 1", "offer.rates[0].value.tier.threshold", "1", putOffer(func(o *commission.Offer) { o.Rates = history(tierOffer(1, "10%", "12%")) })},
		{"tier on a target offer", "offer.rates[0].value.tier", "50", putOffer(func(o *commission.Offer) {
			o.Source, o.Coverage, o.Creators = commission.Target, commission.Listed, []string{"c1"}
			o.Rates = history(tierOffer(50, "10%", "12%"))
		})},
		// Zero values, empty IDs, zero instants.
		{"zero offer", "offer.id", `""`, putOffer(func(o *commission.Offer) { *o = commission.Offer{} })},
		{"empty offer ID", "offer.id", `""`, putOffer(func(o *commission.Offer) { o.ID = "" })},
		{"empty product", "offer.product", `""`, putOffer(func(o *commission.Offer) { o.Product = "" })},
		{"zero period start", "offer.period.start", "0001-01-01", putOffer(func(o *commission.Offer) { o.Period.Start = time.Time{} })},
		{"zero history instant", "offer.rates[0].from", "0001-01-01", putOffer(func(o *commission.Offer) { o.Rates = history(at(time.Time{}, "10%")) })},
		{"zero join instant", "offer.members[0].joined", "0001-01-01", putOffer(func(o *commission.Offer) {
			o.Source, o.Coverage, o.Members = commission.CollabPlus, commission.Members, []commission.Member{{Creator: "c1"}}
		})},
		{"CP-7 joined before the start", "offer.members[0].joined", "2026-09-30T23:59:59.999999999", putOffer(func(o *commission.Offer) {
			o.Source, o.Coverage, o.Period.Start = commission.CollabPlus, commission.Members, day(1)
			o.Members = []commission.Member{{Creator: "c1", Joined: day(1).Add(-time.Nanosecond)}}
		})},
		{"empty listed creator", "offer.creators[0]", `""`, putOffer(func(o *commission.Offer) {
			o.Source, o.Coverage, o.Creators = commission.Target, commission.Listed, []string{""}
		})},
		{"unknown market", "offer.market", `"XX"`, putOffer(func(o *commission.Offer) { o.Market = "XX" })},
		{"wrong coverage", "offer.coverage", "listed", putOffer(func(o *commission.Offer) { o.Coverage = commission.Listed })},
		{"zero order", "order.id", `""`, compute(func(o *commission.Order) { *o = commission.Order{} }, day(2))},
		{"empty creator", "order.creator", `""`, compute(func(o *commission.Order) { o.Creator = "" }, day(2))},
		{"zero order instant", "at", "0001-01-01", compute(func(o *commission.Order) {}, time.Time{})},
		{"order instant out of bounds", "at", "2200-01-01", compute(func(o *commission.Order) {}, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))},
		{"zero promotion start", "order.promoting_since", "0001-01-01", compute(func(o *commission.Order) { o.PromotingSince = time.Time{} }, day(2))},
		{"promotion after the order", "order.promoting_since", "2026-10-09", compute(func(o *commission.Order) { o.PromotingSince = day(9) }, day(2))},
		{"order count 0", "order.order_count", "0", compute(func(o *commission.Order) { o.OrderCount = 0 }, day(2))},
		{"unknown order market", "order.market", `"ZZ"`, compute(func(o *commission.Order) { o.Market = "ZZ" }, day(2))},
		// Unknown enum values.
		{"unknown source in code", "offer.source", "9", putOffer(func(o *commission.Offer) { o.Source = 9 })},
		{"unknown source in JSON", "source", `"OPENN"`, parseOffer(`{"id":"x","source":"OPENN"}`)},
		{"unknown coverage in JSON", "coverage", `"all"`, parseOffer(`{"id":"x","coverage":"all"}`)},
		{"unknown rounding in policy", "policy.rounding", `"up"`, parse(`{"rounding":"up"}`)},
		{"unknown source in policy", "policy.precedence[0]", `"CP"`, parse(`{"precedence":["CP"]}`)},
		// Typos in policy JSON and in offer JSON.
		{"policy key typo", "policy", `"decrease_delay_day"`, parse(`{"decrease_delay_day": 30}`)},
		{"policy key case", "policy", `"MinRate"`, parse(`{"MinRate": "2%"}`)},
		{"policy key twice", "policy", `"rounding"`, parse(`{"rounding":"down","rounding":"half_up"}`)},
		{"policy bad value", "policy.decrease_delay_days", "-1", parse(`{"decrease_delay_days": -1}`)},
		{"policy empty precedence", "policy.precedence", "[]", parse(`{"precedence": []}`)},
		{"policy settlement days", "policy.settlement_days[standard]", "-7", parse(`{"settlement_days": {"standard": -7}}`)},
		{"offer key typo", "offer.rates[0].value", `"rat"`, parseOffer(`{"id":"x","source":"OPEN","market":"TH","product":"p","coverage":"everyone","period":{"start":"2026-10-01T00:00:00Z","end":"0001-01-01T00:00:00Z"},"rates":[{"from":"2026-10-01T00:00:00Z","value":{"rat":"10%"}}]}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := fresh(t)
			err := tc.call(st)
			var fe *affrules.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T %v, want a *affrules.FieldError", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.field) || !strings.Contains(msg, tc.value) {
				t.Errorf("error %q does not name field %q and value %q", msg, tc.field, tc.value)
			}
			if _, err := st.offers.Offer(ctx, "bad"); !errors.Is(err, commission.ErrNotFound) {
				t.Errorf("an offer was stored")
			}
			if _, err := st.offers.Offer(ctx, "x"); !errors.Is(err, commission.ErrNotFound) {
				t.Errorf("an offer was stored")
			}
			if got, _ := st.records.Record(ctx, "line"); got.Refunded.Units != 0 || got.State != commission.Pending || len(got.Events) != 0 {
				t.Errorf("the record changed: %+v", got)
			}
		})
	}
}

// The zero Evaluator and a nil one refuse every call with ErrNoPolicy; New refuses the zero
// Policy; the zero Book earns nothing; a nil Book is an error.
func TestZeroValues(t *testing.T) {
	for _, e := range []*commission.Evaluator{nil, {}} {
		if _, err := e.Prepare(); !errors.Is(err, commission.ErrNoPolicy) {
			t.Errorf("Prepare: %v", err)
		}
		if _, err := e.Resolve(nil, order("o", day(1)), day(2)); !errors.Is(err, commission.ErrNoPolicy) {
			t.Errorf("Resolve: %v", err)
		}
		if _, err := e.Compute(nil, order("o", day(1)), day(2)); !errors.Is(err, commission.ErrNoPolicy) {
			t.Errorf("Compute: %v", err)
		}
		o, dst := order("o", day(1)), commission.Commission{Rounding: affrules.Down}
		if err := e.ComputeInto(&dst, nil, &o, day(2)); !errors.Is(err, commission.ErrNoPolicy) || dst.Rounding != 0 {
			t.Errorf("ComputeInto: %v, %+v", err, dst.Rounding)
		}
		if _, _, err := e.Advise(affrules.TH, affrules.Fashion, rate("1%")); !errors.Is(err, commission.ErrNoPolicy) {
			t.Errorf("Advise: %v", err)
		}
	}
	if _, err := commission.New(commission.Policy{}); err == nil {
		t.Error("New accepted the zero Policy")
	}
	e := commission.MustNew(commission.DefaultPolicy())
	r, err := e.Resolve(&commission.Book{}, order("o", day(1)), day(2))
	if err != nil || r.Earned() || !r.Decision().Failed(commission.RuleAtOrderTime) || r.Decision().Failed(commission.RuleNoExclusiveRate) {
		t.Errorf("zero book: %v %v", r.Decision(), err)
	}
	// A nil book, Prepare's result beside an error a host did not look at, is an error: read as
	// an empty book it would silently pay nothing on every order line.
	o := order("o", day(1))
	if _, err := e.Resolve(nil, o, day(2)); err == nil || !strings.Contains(err.Error(), "commission: book") {
		t.Errorf("Resolve(nil book) = %v, want an error naming the book", err)
	}
	if _, err := e.Compute(nil, o, day(2)); err == nil || !strings.Contains(err.Error(), "commission: book") {
		t.Errorf("Compute(nil book) = %v, want an error naming the book", err)
	}
	dst := commission.Commission{Rounding: affrules.Down}
	if err := e.ComputeInto(&dst, nil, &o, day(2)); err == nil || dst.Rounding != 0 {
		t.Errorf("ComputeInto(nil book) = %v, %+v", err, dst.Rounding)
	}
	if _, err := commission.DefaultPolicy().Settlement().Open(commission.Commission{}, "standard"); !errors.Is(err, commission.ErrNothingEarned) {
		t.Errorf("Open of the zero Commission: %v", err)
	}
	if err := (commission.Settlement{}).Check(commission.Record{}); err == nil {
		t.Error("the zero Settlement accepted the zero Record")
	}
	// The zero Record takes no event: Apply checks the record first.
	cancel := commission.Event{ID: "c", Kind: commission.Cancel, At: day(2)}
	if _, err := commission.DefaultPolicy().Settlement().Apply(commission.Record{}, cancel); err == nil || !strings.Contains(err.Error(), "record.id") {
		t.Errorf("Apply(Record{}, cancel) = %v, want an error naming record.id", err)
	}
	// Zero values explain themselves in plain words.
	if got := (commission.Resolution{}).Explain(); got != "no commission: not resolved" {
		t.Errorf("zero Resolution explains %q", got)
	}
	if got := (commission.Commission{}).String(); got != "no commission: not computed" {
		t.Errorf("zero Commission reads %q", got)
	}
}

// A nil *OfferMemory or *RecordMemory (a store a host declared and never made) is an error from
// every method, not a panic.
func TestNilMemory(t *testing.T) {
	ctx := t.Context()
	p := commission.DefaultPolicy()
	var o *commission.OfferMemory
	_, err := o.Put(ctx, p.OfferRule(), commission.Offer{}, day(1))
	assert.ErrorContains(t, err, "commission: nil *OfferMemory")
	_, err = o.Offer(ctx, "x")
	assert.ErrorContains(t, err, "commission: nil *OfferMemory")
	_, err = o.Offers(ctx, affrules.TH, "p")
	assert.ErrorContains(t, err, "commission: nil *OfferMemory")
	var r *commission.RecordMemory
	_, err = r.Create(ctx, p.Settlement(), commission.Record{})
	assert.ErrorContains(t, err, "commission: nil *RecordMemory")
	_, err = r.Apply(ctx, p.Settlement(), commission.Event{})
	assert.ErrorContains(t, err, "commission: nil *RecordMemory")
	_, err = r.Record(ctx, "x")
	assert.ErrorContains(t, err, "commission: nil *RecordMemory")
}

// A cancelled context is an error of the package, which errors.Is still finds.
func TestMemoryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := commission.NewOfferMemory().Offer(ctx, "x")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "commission: context canceled")
	_, err = commission.NewRecordMemory().Record(ctx, "x")
	assert.ErrorIs(t, err, context.Canceled)
}

// A nil context is an error of the package from every store method, not a panic.
func TestMemoryNilContext(t *testing.T) {
	var ctx context.Context // a host that forgot it
	om, rm := commission.NewOfferMemory(), commission.NewRecordMemory()
	_, err1 := om.Put(ctx, commission.OfferRule{}, commission.Offer{}, time.Now())
	_, err2 := om.Offer(ctx, "x")
	_, err3 := om.Offers(ctx, affrules.UK, "p")
	_, err4 := rm.Create(ctx, commission.Settlement{}, commission.Record{})
	_, err5 := rm.Apply(ctx, commission.Settlement{}, commission.Event{})
	_, err6 := rm.Record(ctx, "x")
	for i, err := range []error{err1, err2, err3, err4, err5, err6} {
		assert.ErrorContains(t, err, "commission: nil context.Context", "method %d", i)
	}
}

// The zero Resolution, and one built by hand, is not resolved: it denies with COM-3's "not
// resolved" in its decision, its failures and its JSON, never "allowed" beside no source.
func TestZeroResolutionDenies(t *testing.T) {
	for _, r := range []commission.Resolution{{}, {Order: "line-1"}} {
		d := r.Decision()
		if d.Allowed || len(d.Reasons) != 1 || d.Reasons[0].Key != "commission.com3.not_resolved" {
			t.Errorf("%+v: decision %s", r, d)
		}
		if fs := r.Failures(); len(fs) != 1 || fs[0].Rule != commission.RuleAtOrderTime {
			t.Errorf("%+v: failures %v", r, fs)
		}
		b, err := json.Marshal(r)
		if err != nil || !strings.Contains(string(b), `"allowed":false`) {
			t.Errorf("%+v: JSON %s, %v", r, b, err)
		}
	}
	if got := (commission.Resolution{}).Explain(); got != "no commission: not resolved" {
		t.Errorf("Explain: %q", got)
	}
}

// ComputeInto refuses a nil Commission or order line with an error naming it, and leaves a
// Commission it was given zero when it refuses the line.
func TestComputeIntoNil(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b := mustBook(t, e, openOffer("open", at(day(1), "10%")))
	o := order("line", day(1))
	if err := e.ComputeInto(nil, b, &o, day(2)); err == nil || !strings.Contains(err.Error(), "commission: dst") {
		t.Errorf("nil dst: %v", err)
	}
	var dst commission.Commission
	if err := e.ComputeInto(&dst, b, &o, day(2)); err != nil || !dst.Earned() {
		t.Fatalf("ComputeInto: %v, %v", err, dst.Decision())
	}
	if err := e.ComputeInto(&dst, b, nil, day(2)); err == nil || !strings.Contains(err.Error(), "commission: order") || !reflect.DeepEqual(dst, commission.Commission{}) {
		t.Errorf("nil order: %v, %+v", err, dst)
	}
	if err := e.ComputeInto(&dst, b, &o, day(2)); err != nil {
		t.Fatal(err)
	}
	o.OrderCount = 0
	if err := e.ComputeInto(&dst, b, &o, day(2)); err == nil || !reflect.DeepEqual(dst, commission.Commission{}) {
		t.Errorf("a refused line: %v, %+v", err, dst)
	}
}

// An offer's IDs are the host's beyond being given: one stored under an earlier version, with a
// long product or a creator with a control character, is still prepared and still pays.
func TestPrepareKeepsStoredIDs(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer("open", at(day(1), "10%"))
	o.Product = strings.Repeat("p", 300)
	tgt := o
	tgt.ID, tgt.Source, tgt.Coverage, tgt.Creators = "tgt", commission.Target, commission.Listed, []string{"c1", "c\t2"}
	b := mustBook(t, e, o, tgt)
	ord := order("o", day(1))
	ord.Product = o.Product
	c, err := e.Compute(b, ord, day(2))
	if err != nil || c.Amount.Decimal().IsZero() {
		t.Fatalf("stored offer: %s, %v: want a commission", c.Amount, err)
	}
}

// A new record's order and creator IDs, the host's, are ones every store holds as given (at most
// 256 bytes of UTF-8 text without ASCII control characters); a record stored under an earlier version
// keeps them.
func TestNewRecordIDsStorable(t *testing.T) {
	ctx := t.Context()
	// A record: Open refuses an order ID that is not valid UTF-8 (its JSON would read back as
	// another ID); Check, as every RecordStore's Create, refuses one with NUL.
	e := commission.MustNew(commission.DefaultPolicy())
	o := order("line-\xff", day(1))
	c, err := e.Compute(mustBook(t, e, openOffer("open", at(day(1), "10%"))), o, day(2))
	if err != nil || !c.Earned() {
		t.Fatal(err)
	}
	s := commission.DefaultPolicy().Settlement()
	if _, err := s.Open(c, "standard"); err == nil || !strings.Contains(err.Error(), "commission.order") {
		t.Errorf("Open: %v", err)
	}
	c.Order = "line"
	rec, err := s.Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	rec.ID = "line\x00"
	if _, err := commission.NewRecordMemory().Create(ctx, s, rec); err == nil || !strings.Contains(err.Error(), "record.id") {
		t.Errorf("Create: %v", err)
	}
	// Stored before, the record still takes its events.
	if _, err := s.Apply(rec, commission.Event{ID: "x", Record: rec.ID, Kind: commission.Cancel, At: day(3)}); err != nil {
		t.Errorf("a stored record with an earlier ID: %v", err)
	}
	// A new event's ID is kept in the record: it too is one every store holds.
	rec.ID = "line"
	for _, id := range []string{"rf\x00", "rf\xff", strings.Repeat("r", 257)} {
		if _, err := s.Apply(rec, commission.Event{ID: id, Record: rec.ID, Kind: commission.Cancel, At: day(3)}); err == nil || !strings.Contains(err.Error(), "event.id") {
			t.Errorf("event ID %q: %v", id, err)
		}
	}
}
