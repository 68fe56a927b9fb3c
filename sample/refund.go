package sample

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Goal is what a refundable sample's sales goal counts (SMP-5). The zero value is not a goal.
type Goal uint8

// Goals.
const (
	_ Goal = iota
	// Orders counts orders.
	Orders
	// GMV counts the amount sold, in the market's currency.
	GMV
)

// Purchase is a creator's purchase of a refundable sample (SMP-5) and the seller's sales goal.
type Purchase struct {
	Creator  string          `json:"creator"`
	At       time.Time       `json:"at"`
	Price    decimal.Decimal `json:"price"`
	Shipping decimal.Decimal `json:"shipping"`
	Goal     Goal            `json:"goal"`
	Target   decimal.Decimal `json:"target"`
}

// Sale is one sale of the product attributed to the creator, through any channel (SMP-5).
type Sale struct {
	At     time.Time       `json:"at"`
	Orders int64           `json:"orders"`
	Amount decimal.Decimal `json:"amount"`
	// Buyer is who bought; the creator's own purchase does not count.
	Buyer string `json:"buyer"`
}

// Refund is the answer on a refundable sample (SMP-5): what counted, by when, and the refund.
type Refund struct {
	// Counted is the orders or GMV counted towards the goal.
	Counted decimal.Decimal `json:"counted"`
	// Deadline is the end of the window [purchase, purchase + RefundDays × 24 h).
	Deadline time.Time `json:"deadline"`
	// Amount is the full refund, price and shipping, once the goal is reached; else zero.
	Amount decimal.Decimal `json:"amount"`
}

var keyGoal = affrules.DefineMessage("sample.smp5.goal", affrules.Message{
	Text: "sales goal not reached in the refund window", Observed: "{observed} counted", Limit: "goal {limit}",
})

// Refund decides a refundable sample at instant at (SMP-5): the sales counted are those of
// sales in [purchase, purchase + [Policy.RefundDays] × 24 h) made by at, from any channel, even
// after the collaboration ended, except the creator's own purchases. When they reach the goal
// the creator is refunded the price and shipping in full; short of it, nothing (all or
// nothing), and the decision observes the sales counted against the goal. Bad input is a
// [*affrules.FieldError]: negative amounts or orders, an unknown goal, a target not above zero.
func (r Rule) Refund(p Purchase, sales []Sale, at time.Time) (Refund, affrules.Decision, error) {
	if !r.ready() {
		return Refund{}, affrules.Decision{}, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	l.Append(bounds.Instant(pkg, "purchase.at", p.At))
	if p.Creator == "" {
		l.Add("purchase.creator", "", "must not be empty")
	}
	for _, x := range []struct {
		field string
		d     decimal.Decimal
	}{{"purchase.price", p.Price}, {"purchase.shipping", p.Shipping}, {"purchase.target", p.Target}} {
		if err := bounds.Decimal(pkg, x.field, x.d); err != nil {
			l.Append(err)
		} else if x.d.Sign() < 0 {
			l.Add(x.field, x.d, "%w", affrules.ErrNegative)
		}
	}
	if p.Target.Sign() <= 0 {
		l.Add("purchase.target", p.Target, "must be above zero (%s)", RuleRefundable)
	}
	if p.Goal != Orders && p.Goal != GMV {
		l.Add("purchase.goal", int(p.Goal), "must be orders or gmv (%s): %w", RuleRefundable, affrules.ErrOutOfRange)
	}
	for i, s := range sales {
		f := "sales[" + strconv.Itoa(i) + "]"
		l.Append(bounds.Instant(pkg, f+".at", s.At))
		if s.Orders < 0 {
			l.Add(f+".orders", s.Orders, "%w", affrules.ErrNegative)
		}
		if err := bounds.Decimal(pkg, f+".amount", s.Amount); err != nil {
			l.Append(err)
		} else if s.Amount.Sign() < 0 {
			l.Add(f+".amount", s.Amount, "%w", affrules.ErrNegative)
		}
	}
	if err := l.Err(); err != nil {
		return Refund{}, affrules.Decision{}, err
	}
	out := Refund{Counted: decimal.Zero, Deadline: p.At.Add(r.refund), Amount: decimal.Zero}
	for _, s := range sales {
		if s.Buyer == p.Creator || s.At.Before(p.At) || !s.At.Before(out.Deadline) || s.At.After(at) {
			continue
		}
		if p.Goal == Orders {
			out.Counted = out.Counted.Add(decimal.NewFromInt(s.Orders))
		} else {
			out.Counted = out.Counted.Add(s.Amount)
		}
	}
	if out.Counted.Cmp(p.Target) >= 0 {
		out.Amount = p.Price.Add(p.Shipping)
		return out, affrules.Decide(), nil
	}
	return out, affrules.Decide(affrules.Reason{Rule: RuleRefundable, Key: keyGoal, Observed: affrules.Decimal(out.Counted), Limit: affrules.Decimal(p.Target), Subject: p.Creator}), nil
}
