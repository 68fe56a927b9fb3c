package sample_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// purchase is aisyah's purchase in Malaysia of a refundable serum at t0 for MYR 59.90 plus 4.50
// shipping, with a goal of goal by target.
func purchase(goal sample.Goal, target string) sample.Purchase {
	return sample.Purchase{Creator: "aisyah", Market: affrules.MY, At: t0, Price: dec("59.90"), Shipping: dec("4.50"), Goal: goal, Target: dec(target)}
}

// refundDenial is the denial of a refund short of the goal: the sales counted against the
// target, not reached yet while the window is open ("sample.smp5.pending") or not reached in
// it ("sample.smp5.missed"), and a reason that does not count against the decision naming the
// window's deadline.
func refundDenial(key affrules.MessageKey, counted, target decimal.Decimal, deadline time.Time) []affrules.Reason {
	return []affrules.Reason{
		{Rule: sample.RuleRefundable, Key: key, Observed: affrules.Decimal(counted), Limit: affrules.Decimal(target), Subject: "aisyah"},
		{Rule: sample.RuleRefundable, Kind: affrules.NotApplicable, Key: "sample.smp5.deadline", Observed: affrules.Instant(deadline), Subject: "aisyah"},
	}
}

// sale returns n orders for amount by buyer at at.
func sale(at time.Time, n int64, amount, buyer string) sample.Sale {
	return sample.Sale{At: at, Orders: n, Amount: dec(amount), Buyer: buyer}
}

// SMP-5: the sales goal, by orders or GMV, reached within [purchase, purchase + 60 × 24 h),
// refunds the price and shipping in full; short of it, nothing. Sales from any channel count,
// after the collaboration too, never the creator's own purchases; a sale at exactly the
// deadline, or before the purchase, or after the instant of the decision, does not.
func TestRefund_SMP5(t *testing.T) {
	deadline := t0.Add(60 * day)
	full := dec("64.40")
	tests := []struct {
		name    string
		p       sample.Purchase
		sales   []sample.Sale
		at      time.Time
		counted string
		refund  bool
	}{
		{"OrdersReached", purchase(sample.Orders, "3"), []sample.Sale{sale(t0.Add(day), 1, "59.90", "u1"), sale(t0.Add(2*day), 2, "119.80", "u2")}, deadline, "3", true},
		{"OrdersShort", purchase(sample.Orders, "3"), []sample.Sale{sale(t0.Add(day), 2, "119.80", "u1")}, deadline, "2", false},
		{"GMVReached", purchase(sample.GMV, "500"), []sample.Sale{sale(t0.Add(day), 5, "299.50", "u1"), sale(t0.Add(3*day), 4, "200.50", "u2")}, deadline, "500.00", true},
		{"GMVShortByOneSen", purchase(sample.GMV, "500"), []sample.Sale{sale(t0.Add(day), 5, "299.50", "u1"), sale(t0.Add(3*day), 4, "200.49", "u2")}, deadline, "499.99", false},
		{"OwnPurchaseExcluded", purchase(sample.Orders, "2"), []sample.Sale{sale(t0, 1, "59.90", "aisyah"), sale(t0.Add(day), 1, "59.90", "u1")}, deadline, "1", false},
		{"AfterTheCollaboration", purchase(sample.Orders, "2"), []sample.Sale{sale(t0.Add(day), 1, "59.90", "u1"), sale(t0.Add(45*day), 1, "59.90", "u2")}, deadline, "2", true},
		{"LastNanosecondCounts", purchase(sample.Orders, "2"), []sample.Sale{sale(t0, 1, "59.90", "u1"), sale(deadline.Add(-time.Nanosecond), 1, "59.90", "u2")}, deadline.Add(day), "2", true},
		{"AtTheDeadlineDoesNot", purchase(sample.Orders, "2"), []sample.Sale{sale(t0, 1, "59.90", "u1"), sale(deadline, 1, "59.90", "u2")}, deadline.Add(day), "1", false},
		{"BeforeThePurchase", purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(-time.Nanosecond), 1, "59.90", "u1")}, deadline, "0", false},
		{"NotYetMade", purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(10*day), 1, "59.90", "u1")}, t0.Add(10*day - time.Nanosecond), "0", false},
		{"MadeByNow", purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(10*day), 1, "59.90", "u1")}, t0.Add(10 * day), "1", true},
		{"BeyondTheGoal", purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(day), 7, "419.30", "u1")}, deadline, "7", true},
		{"NoSales", purchase(sample.GMV, "100"), nil, deadline, "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d, err := rule.Refund(tt.p, tt.sales, tt.at)
			require.NoError(t, err)
			want := sample.Refund{Counted: dec(tt.counted), Deadline: deadline, Amount: decimal.Zero}
			if tt.refund {
				want.Amount = full
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			require.Equal(t, tt.refund, d.Allowed)
			if !tt.refund {
				key := affrules.MessageKey("sample.smp5.missed")
				if tt.at.Before(deadline) {
					key = "sample.smp5.pending"
				}
				if diff := cmp.Diff(refundDenial(key, dec(tt.counted), tt.p.Target, deadline), d.Reasons); diff != "" {
					t.Errorf("reasons (-want +got):\n%s", diff)
				}
				require.Len(t, d.Failures(), 1, "the deadline does not count against the refund")
				require.True(t, d.NextAllowed.IsZero())
			} else {
				require.Empty(t, d.Reasons)
			}
		})
	}

	// Whether the creator's own purchases count is policy (SMP-5's Interpretation).
	own := mustRule(policyWith(func(p *sample.Policy) { p.CountOwnPurchases = true }))
	mine := []sample.Sale{sale(t0, 1, "59.90", "aisyah"), sale(t0.Add(day), 1, "59.90", "u1")}
	got, d, err := own.Refund(purchase(sample.Orders, "2"), mine, deadline)
	require.NoError(t, err)
	require.True(t, d.Allowed, "own purchases counted: %v", d)
	require.True(t, got.Counted.Equal(dec("2")) && got.Amount.Equal(full), "%+v", got)
	pol, err := sample.ParsePolicy([]byte(`{"count_own_purchases": true}`))
	require.NoError(t, err)
	require.True(t, pol.CountOwnPurchases)

	// The window is policy.
	ten := mustRule(policyWith(func(p *sample.Policy) { p.RefundDays = 10 }))
	got, d, err = ten.Refund(purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(10*day), 1, "59.90", "u1")}, t0.Add(20*day))
	require.NoError(t, err)
	require.False(t, d.Allowed, "a sale at day 10 is outside a 10-day window")
	require.True(t, got.Deadline.Equal(t0.Add(10*day)))
	require.Equal(t, refundDenial("sample.smp5.missed", decimal.Zero, dec("1"), t0.Add(10*day)), d.Reasons)

	// Short of the goal: "not reached yet" until the deadline's last nanosecond, "not reached"
	// from the deadline on, each naming the deadline.
	for _, c := range []struct {
		at  time.Time
		key affrules.MessageKey
	}{{t0, "sample.smp5.pending"}, {deadline.Add(-time.Nanosecond), "sample.smp5.pending"}, {deadline, "sample.smp5.missed"}, {deadline.Add(day), "sample.smp5.missed"}} {
		_, d, err := rule.Refund(purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 2, "119.80", "u1")}, c.at)
		require.NoError(t, err)
		if diff := cmp.Diff(refundDenial(c.key, dec("2"), dec("3"), deadline), d.Reasons); diff != "" {
			t.Errorf("at %v (-want +got):\n%s", c.at, diff)
		}
		for _, r := range d.Reasons {
			require.NotEmpty(t, r.Message(), "%v", r)
		}
	}
	_, d, err = rule.Refund(purchase(sample.Orders, "3"), nil, t0)
	require.NoError(t, err)
	require.Contains(t, d.String(), "not reached yet")
	_, d, err = rule.Refund(purchase(sample.Orders, "3"), nil, deadline)
	require.NoError(t, err)
	require.NotContains(t, d.String(), "not reached yet")
	require.Contains(t, d.String(), "not reached in the refund window")
}

// SMP-5: all or nothing: the refund is either the price and shipping in full or zero, for every
// number of orders either side of the goal.
func TestRefundAllOrNothing_SMP5(t *testing.T) {
	p := purchase(sample.Orders, "5")
	for n := range 11 {
		var sales []sample.Sale
		for i := range n {
			sales = append(sales, sale(t0.Add(time.Duration(i+1)*time.Hour), 1, "59.90", fmt.Sprint("u", i)))
		}
		got, d, err := rule.Refund(p, sales, t0.Add(60*day))
		require.NoError(t, err)
		require.Equal(t, n >= 5, d.Allowed, "%d orders", n)
		want := decimal.Zero
		if n >= 5 {
			want = dec("64.40")
		}
		require.True(t, got.Amount.Equal(want), "%d orders: refund %s, want %s", n, got.Amount, want)
	}
}

// SMP-5, MKT-4: bad input is every field error at once, and no refund.
func TestRefundBadInput_SMP5(t *testing.T) {
	p := sample.Purchase{Price: dec("-1"), Shipping: dec("-0.01"), Target: dec("0"), Goal: 3}
	sales := []sample.Sale{{At: t0, Orders: -1, Amount: dec("-5")}, {Orders: 1, Amount: decimal.New(1, -40)}}
	got, d, err := rule.Refund(p, sales, time.Time{})
	badInput(t, err, "at", "purchase.at", "purchase.creator", "purchase.market", "purchase.price", "purchase.shipping", "purchase.target", "purchase.goal",
		"sales[0].buyer", "sales[0].orders", "sales[0].amount", "sales[1].at", "sales[1].buyer", "sales[1].amount")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.ErrorIs(t, err, affrules.ErrNegative)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.Equal(t, sample.Refund{}, got)
	require.False(t, d.Allowed)

	_, _, err = rule.Refund(purchase(sample.Orders, "-2"), nil, t0)
	require.NotEmpty(t, fieldErrors(err))
	for _, f := range fields(err) {
		require.Equal(t, "purchase.target", f, "%v", err)
	}
	require.ErrorIs(t, err, affrules.ErrNegative)
	_, _, err = rule.Refund(purchase(sample.GMV, "0"), nil, t0)
	badInput(t, err, "purchase.target")
	_, _, err = rule.Refund(purchase(sample.GMV, "1"), nil, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
	badInput(t, err, "at")
	old := purchase(sample.GMV, "1")
	old.At = time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC)
	_, _, err = rule.Refund(old, nil, t0)
	badInput(t, err, "purchase.at")
}

// SMP-5, MKT-1: a purchase is made in one of the policy's markets, and its amounts are in that
// market's currency, exact to its minor unit: the price, the shipping and each sale's amount;
// an orders target is a whole number of orders. Each is bad input naming the field.
func TestRefundMarket_SMP5(t *testing.T) {
	with := func(f func(p *sample.Purchase)) sample.Purchase {
		p := purchase(sample.Orders, "1")
		f(&p)
		return p
	}
	tests := []struct {
		name   string
		r      sample.Rule
		p      sample.Purchase
		sales  []sample.Sale
		fields []string
	}{
		{"NoMarket", rule, with(func(p *sample.Purchase) { p.Market = "" }), nil, []string{"purchase.market"}},
		{"UnknownMarket", rule, with(func(p *sample.Purchase) { p.Market = "ZZ" }), nil, []string{"purchase.market"}},
		{"MarketCaseFolded", rule, with(func(p *sample.Purchase) { p.Market = "my" }), nil, []string{"purchase.market"}},
		{"MarketNotInPolicy", mustRule(policyWith(func(p *sample.Policy) { p.Markets = []affrules.MarketCode{affrules.SG} })), purchase(sample.Orders, "1"), nil, []string{"purchase.market"}},
		{"PriceBelowTheSen", rule, with(func(p *sample.Purchase) { p.Price = dec("59.905") }), nil, []string{"purchase.price"}},
		{"ShippingBelowTheSen", rule, with(func(p *sample.Purchase) { p.Shipping = dec("4.501") }), nil, []string{"purchase.shipping"}},
		{"SaleBelowTheSen", rule, purchase(sample.GMV, "100"), []sample.Sale{sale(t0, 1, "59.90", "u1"), sale(t0, 1, "0.001", "u2")}, []string{"sales[1].amount"}},
		{"RupiahHasNoCents", rule, with(func(p *sample.Purchase) { p.Market, p.Price, p.Shipping = affrules.ID, dec("150000.50"), dec("9000") }), nil, []string{"purchase.price"}},
		{"HalfAnOrder", rule, purchase(sample.Orders, "2.5"), nil, []string{"purchase.target"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d, err := tt.r.Refund(tt.p, tt.sales, t0.Add(day))
			badInput(t, err, tt.fields...)
			require.Equal(t, sample.Refund{}, got)
			require.False(t, d.Allowed)
		})
	}
	_, _, err := rule.Refund(with(func(p *sample.Purchase) { p.Market = "ZZ" }), nil, t0)
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)

	// Exact amounts pass, trailing zeros included; a GMV target need not be a whole number (it
	// is an amount, exact to the minor unit like the others: TestRefundGMVTargetMinorUnit_SMP5).
	for name, c := range map[string]struct {
		p     sample.Purchase
		sales []sample.Sale
	}{
		"TrailingZeros": {with(func(p *sample.Purchase) { p.Price, p.Shipping = dec("59.900"), dec("4.5") }), []sample.Sale{sale(t0, 1, "59.9000", "u1")}},
		"Rupiah":        {with(func(p *sample.Purchase) { p.Market, p.Price, p.Shipping = affrules.ID, dec("150000"), dec("9000.00") }), []sample.Sale{sale(t0, 1, "150000", "u1")}},
		"GMVTarget":     {purchase(sample.GMV, "59.85"), []sample.Sale{sale(t0, 1, "59.90", "u1")}},
	} {
		got, d, err := rule.Refund(c.p, c.sales, t0.Add(day))
		require.NoError(t, err, name)
		require.True(t, d.Allowed, "%s: %v", name, d)
		require.True(t, got.Amount.Equal(c.p.Price.Add(c.p.Shipping)), "%s: refund %s", name, got.Amount)
	}
	sgRule := mustRule(policyWith(func(p *sample.Policy) { p.Markets = []affrules.MarketCode{affrules.SG} }))
	_, d, err := sgRule.Refund(with(func(p *sample.Purchase) { p.Market = affrules.SG }), []sample.Sale{sale(t0, 1, "10.00", "u1")}, t0.Add(day))
	require.NoError(t, err)
	require.True(t, d.Allowed)
}

// A goal is written by name, "orders" or "gmv", and read back by it; anything else is a
// FieldError on goal. A purchase survives a round trip through JSON.
func TestGoalText_SMP5(t *testing.T) {
	for g, name := range map[sample.Goal]string{sample.Orders: "orders", sample.GMV: "gmv"} {
		b, err := g.MarshalText()
		require.NoError(t, err)
		require.Equal(t, name, string(b))
		require.Equal(t, name, g.String())
		var back sample.Goal
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, g, back)
	}
	for _, g := range []sample.Goal{0, sample.GMV + 1} {
		_, err := g.MarshalText()
		badInput(t, err, "goal")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
	for _, name := range []string{"", "Orders", "GMV", "order", "1"} {
		g := sample.GMV
		err := g.UnmarshalText([]byte(name))
		badInput(t, err, "goal")
		require.Equal(t, sample.GMV, g, "%q changed the goal", name)
	}

	p := purchase(sample.GMV, "500")
	b, err := json.Marshal(p)
	require.NoError(t, err)
	require.JSONEq(t, `{"creator": "aisyah", "market": "MY", "at": "2026-12-01T09:00:00+08:00", "price": "59.9", "shipping": "4.5",
		"goal": "gmv", "target": "500"}`, string(b))
	var back sample.Purchase
	require.NoError(t, json.Unmarshal(b, &back))
	require.True(t, back.At.Equal(p.At))
	require.True(t, back.Price.Equal(p.Price) && back.Shipping.Equal(p.Shipping) && back.Target.Equal(p.Target))
	require.Equal(t, sample.GMV, back.Goal)
	require.Equal(t, affrules.MY, back.Market)
	require.Error(t, json.Unmarshal([]byte(`{"goal": "sales"}`), &back))
}

// SMP-5: a refund is decided at or after the purchase, and every sale names its buyer, without
// which the creator's own purchases could not be left out: both are bad input otherwise.
func TestRefundBeforePurchaseAndNoBuyer_SMP5(t *testing.T) {
	p := purchase(sample.Orders, "1")
	_, _, err := rule.Refund(p, nil, p.At.Add(-time.Nanosecond))
	badInput(t, err, "at")
	_, d, err := rule.Refund(p, nil, p.At)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	_, _, err = rule.Refund(p, []sample.Sale{sale(p.At.Add(time.Hour), 1, "59.90", "")}, p.At.Add(day))
	badInput(t, err, "sales[0].buyer")
}

// SMP-5: the sales are checked without naming each one, so that a long list of good sales costs
// only the sums: at most two allocations a sale (a GMV sum's decimals), where naming each sale's
// fields took about five more.
func TestRefundAllocsPerSale_SMP5(t *testing.T) {
	sales := make([]sample.Sale, 1000)
	for i := range sales {
		sales[i] = sale(t0.Add(time.Duration(i)*time.Minute), 1, "1.50", fmt.Sprint("u", i))
	}
	p := purchase(sample.GMV, "10000.00")
	allocs := testing.AllocsPerRun(5, func() {
		if _, _, err := rule.Refund(p, sales, t0.Add(30*day)); err != nil {
			t.Fatal(err)
		}
	})
	require.LessOrEqual(t, allocs, 2.0*float64(len(sales))+20)
}

// SMP-5 with PartialRefund: once the window has closed, sales short of the goal are refunded
// in proportion, (price + shipping) × counted ÷ goal rounded down to the minor unit, allowed
// with a note; while the window is open, or with nothing counted, nothing is refunded, as by
// default; the goal reached is refunded in full.
func TestPartialRefund_SMP5(t *testing.T) {
	r := mustRule(policyWith(func(p *sample.Policy) { p.PartialRefund = true }))
	deadline := t0.Add(60 * 24 * time.Hour)
	note := func(counted, goal string) []affrules.Reason {
		return []affrules.Reason{{Rule: sample.RuleRefundable, Kind: affrules.NotApplicable, Key: "sample.smp5.partial", Observed: affrules.Decimal(dec(counted)), Limit: affrules.Decimal(dec(goal)), Subject: "aisyah"}}
	}
	for _, tc := range []struct {
		name   string
		p      sample.Purchase
		sales  []sample.Sale
		at     time.Time
		amount string
		notes  []affrules.Reason // nil: denied
	}{
		// 64.40 × 1 ÷ 3 = 21.4666… → 21.46
		{"one of three orders, window closed", purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 1, "59.90", "u1")}, deadline, "21.46", note("1", "3")},
		{"two of three orders", purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 2, "59.90", "u1")}, deadline, "42.93", note("2", "3")},
		{"GMV 100.00 of 300.00", purchase(sample.GMV, "300.00"), []sample.Sale{sale(t0, 1, "100.00", "u1")}, deadline, "21.46", note("100.00", "300.00")},
		{"window still open: nothing yet", purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 1, "59.90", "u1")}, deadline.Add(-time.Nanosecond), "0", nil},
		{"nothing counted", purchase(sample.Orders, "3"), nil, deadline, "0", nil},
		{"a part below the minor unit: nothing", purchase(sample.GMV, "100000.00"), []sample.Sale{sale(t0, 1, "0.01", "u1")}, deadline, "0", nil},
		{"goal reached: in full", purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 3, "59.90", "u1")}, deadline, "64.40", []affrules.Reason{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, d, err := r.Refund(tc.p, tc.sales, tc.at)
			require.NoError(t, err)
			require.True(t, got.Amount.Equal(dec(tc.amount)), "amount %s, want %s", got.Amount, tc.amount)
			if tc.notes == nil {
				require.False(t, d.Allowed, "%v", d)
				return
			}
			require.True(t, d.Allowed, "%v", d)
			require.Equal(t, len(tc.notes), len(d.Reasons))
			if len(tc.notes) > 0 {
				require.Equal(t, tc.notes, d.Reasons)
			}
		})
	}
	// By default, short of the goal is nothing.
	got, d, err := mustRule(sample.DefaultPolicy()).Refund(purchase(sample.Orders, "3"), []sample.Sale{sale(t0, 2, "59.90", "u1")}, deadline)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.True(t, got.Amount.IsZero())
	pol, err := sample.ParsePolicy([]byte(`{"partial_refund": true}`))
	require.NoError(t, err)
	require.True(t, pol.PartialRefund)
}
