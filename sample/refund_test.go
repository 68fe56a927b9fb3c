package sample_test

import (
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

// purchase is aisyah's purchase of a refundable serum at t0 for MYR 59.90 plus 4.50 shipping,
// with a goal of goal by target.
func purchase(goal sample.Goal, target string) sample.Purchase {
	return sample.Purchase{Creator: "aisyah", At: t0, Price: dec("59.90"), Shipping: dec("4.50"), Goal: goal, Target: dec(target)}
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
				r := []affrules.Reason{{Rule: sample.RuleRefundable, Key: "sample.smp5.goal", Observed: affrules.Decimal(dec(tt.counted)), Limit: affrules.Decimal(tt.p.Target), Subject: "aisyah"}}
				if diff := cmp.Diff(r, d.Reasons); diff != "" {
					t.Errorf("reasons (-want +got):\n%s", diff)
				}
				require.True(t, d.NextAllowed.IsZero())
			} else {
				require.Empty(t, d.Reasons)
			}
		})
	}

	// The window is policy.
	ten := mustRule(policyWith(func(p *sample.Policy) { p.RefundDays = 10 }))
	got, d, err := ten.Refund(purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(10*day), 1, "59.90", "u1")}, t0.Add(20*day))
	require.NoError(t, err)
	require.False(t, d.Allowed, "a sale at day 10 is outside a 10-day window")
	require.True(t, got.Deadline.Equal(t0.Add(10*day)))
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
	badInput(t, err, "at", "purchase.at", "purchase.creator", "purchase.price", "purchase.shipping", "purchase.target", "purchase.goal",
		"sales[0].orders", "sales[0].amount", "sales[1].at", "sales[1].amount")
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
