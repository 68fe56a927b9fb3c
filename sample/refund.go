package sample

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
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

var goalNames = enum.Names[Goal]{"", "orders", "gmv"}

// String returns "orders" or "gmv".
func (g Goal) String() string { return goalNames.String("Goal", g) }

// MarshalText returns the goal's name, or an error for an unknown one.
func (g Goal) MarshalText() ([]byte, error) {
	if g != Orders && g != GMV {
		return nil, fielderr.New(pkg, "goal", int(g), "%w", affrules.ErrOutOfRange)
	}
	b, _ := goalNames.Text(g)
	return b, nil
}

// UnmarshalText parses a goal's name.
func (g *Goal) UnmarshalText(b []byte) error {
	v, ok := goalNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "goal", strconv.Quote(string(b)), "must be orders or gmv")
	}
	*g = v
	return nil
}

// Purchase is a creator's purchase of a refundable sample (SMP-5) and the seller's sales goal.
type Purchase struct {
	Creator string `json:"creator"`
	// Market is where the sample was bought; amounts are in its currency, exact to its minor
	// unit.
	Market   affrules.MarketCode `json:"market"`
	At       time.Time           `json:"at"`
	Price    decimal.Decimal     `json:"price"`
	Shipping decimal.Decimal     `json:"shipping"`
	Goal     Goal                `json:"goal"`
	Target   decimal.Decimal     `json:"target"`
}

// Sale is one sale of the product attributed to the creator, through any channel (SMP-5).
type Sale struct {
	At     time.Time       `json:"at"`
	Orders int64           `json:"orders"`
	Amount decimal.Decimal `json:"amount"`
	// Buyer is who bought; the creator's own purchase does not count unless
	// [Policy.CountOwnPurchases] says so.
	Buyer string `json:"buyer"`
}

// Refund is the answer on a refundable sample (SMP-5): what counted, by when, and the refund.
type Refund struct {
	// Counted is the orders or GMV counted towards the goal.
	Counted decimal.Decimal `json:"counted"`
	// Deadline is the end of the window [purchase, purchase + RefundDays × 24 h).
	Deadline time.Time `json:"deadline"`
	// Amount is the full refund, price and shipping, once the goal is reached; else zero, or,
	// under [Policy.PartialRefund] once the window has closed, the part the sales counted
	// reached.
	Amount decimal.Decimal `json:"amount"`
}

var (
	keyGoalPending = affrules.DefineMessage("sample.smp5.pending", affrules.Message{
		Text: "sales goal not reached yet", Observed: "{observed} counted", Limit: "goal {limit}",
	})
	keyGoalMissed = affrules.DefineMessage("sample.smp5.missed", affrules.Message{
		Text: "sales goal not reached in the refund window", Observed: "{observed} counted", Limit: "goal {limit}",
	})
	keyDeadline = affrules.DefineMessage("sample.smp5.deadline", affrules.Message{
		Text: "refund window", Observed: "closes {observed}",
	})
	// SMP-5 under Policy.PartialRefund: observed the sales counted, limit the goal.
	keyPartialRefund = affrules.DefineMessage("sample.smp5.partial", affrules.Message{
		Text: "sales goal reached in part: a partial refund", Observed: "{observed} counted", Limit: "goal {limit}",
	})
)

// Refund decides a refundable sample at instant at (SMP-5): the sales counted are those of
// sales in [purchase, purchase + [Policy.RefundDays] × 24 h) made by at, from any channel, even
// after the collaboration ended, except the creator's own purchases (unless
// [Policy.CountOwnPurchases]). When they reach the goal
// the creator is refunded the price and shipping in full; short of it, nothing (all or
// nothing), and the decision observes the sales counted against the goal ("not reached yet"
// while the window is open, "not reached" after it) and, in a second, non-blocking reason, the
// window's deadline. Under [Policy.PartialRefund], once the window has closed, sales short of
// the goal but above nothing are refunded in part: the price and shipping × counted ÷ goal,
// rounded down to the minor unit; the decision allows it, with a non-blocking reason observing
// the sales counted against the goal. Bad input is a
// [*affrules.FieldError]: negative amounts or orders, an unknown goal, a target not above zero
// (a GMV target, like every amount, exact to the currency's minor unit),
// an instant before the purchase, a sale without a buyer. Refund records nothing: a purchase
// whose window ends in 2200 or later is judged at any instant given, as not reached yet until
// its goal is (no later instant is accepted to find it missed).
func (r Rule) Refund(p Purchase, sales []Sale, at time.Time) (Refund, affrules.Decision, error) {
	if !r.ready() {
		return Refund{}, affrules.Decision{}, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	errAt, errPurchase := bounds.Instant(pkg, "at", at), bounds.Instant(pkg, "purchase.at", p.At)
	l.Append(errAt)
	l.Append(errPurchase)
	if errAt == nil && errPurchase == nil && at.Before(p.At) {
		l.Add("at", at.Format(time.RFC3339Nano), "is before the purchase at %s: a refund is decided after it", p.At.Format(time.RFC3339Nano))
	}
	l.Append(bounds.ID(pkg, "purchase.creator", p.Creator))
	mk, err := affrules.LookupMarket(p.Market)
	if err != nil || !slices.Contains(r.p.Markets, p.Market) {
		l.Add("purchase.market", strconv.Quote(string(p.Market)), "the sample rules do not run there: %w", affrules.ErrUnknownMarket)
	}
	exact := func(field string, d decimal.Decimal) {
		if err == nil && bounds.Decimal(pkg, field, d) == nil && !d.Equal(d.Truncate(mk.MinorUnit)) {
			l.Add(field, d, "must be exact to the currency's minor unit (%d decimal places)", mk.MinorUnit)
		}
	}
	exact("purchase.price", p.Price)
	exact("purchase.shipping", p.Shipping)
	if p.Goal == Orders && bounds.Decimal(pkg, "purchase.target", p.Target) == nil && !p.Target.IsInteger() {
		l.Add("purchase.target", p.Target, "must be a whole number of orders (%s)", RuleRefundable)
	}
	if p.Goal == GMV {
		exact("purchase.target", p.Target) // a GMV goal is an amount of the market's currency
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
	for i := range sales {
		s := &sales[i]
		f := func(leaf string) string { return "sales[" + strconv.Itoa(i) + "]." + leaf } // named only for a problem
		if !bounds.InRange(s.At) {
			l.Append(bounds.Instant(pkg, f("at"), s.At))
		}
		if s.Buyer == "" {
			l.Add(f("buyer"), "", "must not be empty: it tells the creator's own purchases (%s)", RuleRefundable)
		} else if !bounds.IDOK(s.Buyer) {
			l.Append(bounds.ID(pkg, f("buyer"), s.Buyer))
		}
		if s.Orders < 0 {
			l.Add(f("orders"), s.Orders, "%w", affrules.ErrNegative)
		}
		switch {
		case !bounds.DecimalOK(s.Amount):
			l.Append(bounds.Decimal(pkg, f("amount"), s.Amount))
		case s.Amount.Sign() < 0:
			l.Add(f("amount"), s.Amount, "%w", affrules.ErrNegative)
		case err == nil && !s.Amount.Equal(s.Amount.Truncate(mk.MinorUnit)):
			l.Add(f("amount"), s.Amount, "must be exact to the currency's minor unit (%d decimal places)", mk.MinorUnit)
		}
	}
	if err := l.Err(); err != nil {
		return Refund{}, affrules.Decision{}, err
	}
	out := Refund{Counted: decimal.Zero, Deadline: p.At.Add(r.refund), Amount: decimal.Zero}
	for _, s := range sales {
		if (s.Buyer == p.Creator && !r.p.CountOwnPurchases) || s.At.Before(p.At) || !s.At.Before(out.Deadline) || s.At.After(at) {
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
	key := keyGoalMissed
	if at.Before(out.Deadline) {
		key = keyGoalPending // sales until the deadline may still reach it
	} else if r.p.PartialRefund && out.Counted.Sign() > 0 {
		// Exact, then rounded down once: (price + shipping) × counted ÷ target.
		out.Amount, _ = p.Price.Add(p.Shipping).Mul(out.Counted).QuoRem(p.Target, mk.MinorUnit)
		if out.Amount.Sign() > 0 {
			return out, affrules.Decide(affrules.Reason{Rule: RuleRefundable, Kind: affrules.NotApplicable, Key: keyPartialRefund,
				Observed: affrules.Decimal(out.Counted), Limit: affrules.Decimal(p.Target), Subject: p.Creator}), nil
		}
		out.Amount = decimal.Zero
	}
	return out, affrules.Decide(
		affrules.Reason{Rule: RuleRefundable, Key: key, Observed: affrules.Decimal(out.Counted), Limit: affrules.Decimal(p.Target), Subject: p.Creator},
		affrules.Reason{Rule: RuleRefundable, Kind: affrules.NotApplicable, Key: keyDeadline, Observed: affrules.Instant(out.Deadline), Subject: p.Creator},
	), nil
}
