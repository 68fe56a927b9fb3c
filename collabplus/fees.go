package collabplus

import (
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// ObjectiveCharge is one objective's part of a [Settlement] (CP-9): the objective's budget and
// target as the terms set them, what was achieved, and its part of the charge.
type ObjectiveCharge struct {
	Name     string          `json:"name"`
	Budget   decimal.Decimal `json:"budget"`
	Target   decimal.Decimal `json:"target"`
	Achieved decimal.Decimal `json:"achieved"`
	// Charged is the objective's part of [Settlement.Charged], in whole minor units. The charge
	// is rounded once, from the exact sum over the objectives of budget × min(1, achieved ÷
	// target) (or the share [Policy.ChargeCurve] gives); it is then divided among the objectives by largest remainder: each objective
	// gets its exact part rounded down to the minor unit, and the minor units left over go one
	// each to the objectives with the largest fractions left (the earlier objective first on
	// equal fractions). So the parts sum to the charge exactly, each is within one minor unit of
	// its exact value, and none exceeds its budget.
	Charged decimal.Decimal `json:"charged"`
}

// Settlement is the money of a collaboration that ended or was recalled (CP-9, CP-10, CP-11):
// what the seller paid, what is charged and what is refunded, in the market's currency, each
// exact in its minor unit, with Charged + Refunded == Paid exactly.
type Settlement struct {
	// Currency is the market's currency (MKT-1).
	Currency string `json:"currency"`
	// Paid is the deposit: the sum of the objectives' budgets ([Terms.Deposit]).
	Paid     decimal.Decimal `json:"paid"`
	Charged  decimal.Decimal `json:"charged"`
	Refunded decimal.Decimal `json:"refunded"`
	// Objectives are the parts of the charge per objective, in the order of the terms.
	Objectives []ObjectiveCharge `json:"objectives"`
	// RefundFrom and RefundBy are the half-open window [RefundFrom, RefundBy) in which the
	// refund is due: from [Policy.FeeRefundDays].Min to .Max market-calendar days after the
	// end instant (CP-9), or for a recalled collaboration [Policy.RecallRefundDays] after the
	// recall (CP-7). Both are zero when nothing is refunded.
	RefundFrom time.Time `json:"refund_from,omitzero"`
	RefundBy   time.Time `json:"refund_by,omitzero"`
	// ExtraFee is CP-10's extra platform fee, zero when it does not apply; it is charged in
	// month ExtraFeeCharged and returned in month ExtraFeeReturned, both zero when there is no
	// extra fee. It is not part of Charged: it is charged and returned in full.
	ExtraFee         decimal.Decimal `json:"extra_fee"`
	ExtraFeeCharged  affrules.Month  `json:"extra_fee_charged,omitzero"`
	ExtraFeeReturned affrules.Month  `json:"extra_fee_returned,omitzero"`
	// TaxReport is when the tax report is available (CP-11): the local midnight that starts
	// day [Policy.TaxReportDay] of the month after the payment, in the market's zone.
	TaxReport time.Time `json:"tax_report"`
}

// chargeShare is the share of an objective's budget charged at achievement x (achieved ÷
// target) on curve (CP-9, [Policy.ChargeCurve], valid): linear between the points around x, the
// last point's share from it on. It is exact.
func chargeShare(curve []ChargePoint, x *big.Rat) *big.Rat {
	rat := func(r affrules.Rate) *big.Rat { return r.Decimal().Rat() }
	for i := len(curve) - 1; i >= 0; i-- {
		a := rat(curve[i].Achieved)
		if x.Cmp(a) < 0 {
			continue
		}
		s := rat(curve[i].Charged)
		if i == len(curve)-1 {
			return s
		}
		// s + (next share − s) × (x − a) ÷ (next achievement − a)
		d := new(big.Rat).Sub(rat(curve[i+1].Charged), s)
		d.Mul(d, new(big.Rat).Sub(x, a))
		d.Quo(d, new(big.Rat).Sub(rat(curve[i+1].Achieved), a))
		return d.Add(d, s)
	}
	return new(big.Rat) // before the first point, which a valid curve puts at 0%
}

// Settle returns the settlement of collaboration c at instant at (CP-9, CP-10, CP-11), given
// what was achieved of each objective of c's terms ([Collaboration.Terms]), in their order,
// and the instant the refund is processed, refundAt, or the zero time when that is not known
// yet.
//
//   - c must be [Ended] or [Recalled] at at (CP-7).
//   - The charge is Σ budget × min(1, achieved ÷ target) over the objectives (or the share
//     [Policy.ChargeCurve] gives at achieved ÷ target), computed exactly (as a fraction) and
//     rounded once to the market currency's minor unit in the policy's rounding mode
//     ([affrules.Market.Round]); with the default curve, achieving a target exactly or beyond
//     it charges the whole budget. A recalled collaboration is charged nothing and refunded in full.
//   - The refund is what was paid less the charge, due in [RefundFrom, RefundBy).
//     Interpretation: the window's days are market-calendar days, counted from the end instant
//     (the local midnight after the last day) or the recall instant at the same local time of
//     day, so a DST change inside the window moves it with the clock instead of shifting it by
//     an hour; the window is half-open, as MKT-3's "within N days".
//   - CP-10: the extra fee is the deposit (with [Policy.ExtraFeeOnCharged], what is charged) ×
//     [Policy.ExtraFeeRate], rounded once (none when that rounds to zero), when the policy
//     turns it on, the payment's calendar month is the month just before the month of the
//     period's start (any month before it under [Policy.ExtraFeeAnyEarlierMonth]), something
//     is refunded, and refundAt lies in the start month (months of
//     the market's calendar, MKT-2). It is charged in the start month and returned the month
//     after. Interpretation: the refund is CP-9's; a recall's refund draws the fee only when
//     [Policy.ExtraFeeOnRecall] is on. With refundAt zero no extra fee is decided.
//     Interpretation: the platform may process the refund after its due window, so refundAt
//     is any instant not before the end (or the recall).
//
// Bad input is a [*affrules.FieldError]: an instant out of bounds, a market where Collaboration
// Plus does not run, a period that is not a valid period, events Evaluator.Apply could not have
// recorded (out of order, a payment outside its window or from the start on, a recall not
// after a payment or from the start on, and so on: CP-7), another state, no objectives, a
// budget that is negative or finer than the minor unit, a target not above zero, a number of
// achievements other than one per objective (a recalled collaboration may also give none), a
// negative achievement, a refundAt before the end or the recall. Every problem of the
// objectives, achievements and refundAt is reported at once.
func (e *Evaluator) Settle(c Collaboration, achieved []decimal.Decimal, refundAt time.Time, at time.Time) (Settlement, error) {
	if err := e.ready(); err != nil {
		return Settlement{}, err
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return Settlement{}, err
	}
	mk, ok := e.market(c.Market)
	if !ok {
		return Settlement{}, fielderr.New(pkg, "collaboration.market", strconv.Quote(string(c.Market)), "Collaboration Plus does not run there (policy markets %v): %w", e.policy.Markets, affrules.ErrUnknownMarket)
	}
	t := c.Terms()
	if err := periodProblem("terms.period", t.Period); err != nil {
		return Settlement{}, err
	}
	if err := c.checkEvents(); err != nil {
		return Settlement{}, err
	}
	state := c.StateAt(at)
	if state != Ended && state != Recalled {
		return Settlement{}, fielderr.New(pkg, "collaboration.state", state, "must be ended or recalled to settle (CP-7, CP-9)")
	}
	paidAt, _ := c.Published(at) // Ended and Recalled both need a payment (CP-7), checked with the events
	closed := t.Period.End
	if state == Recalled {
		ev, _ := c.event(RecalledEvent, at)
		closed = ev.At
	}

	l := fielderr.For(pkg)
	places := mk.MinorUnit
	n := len(t.Objectives)
	if n == 0 {
		l.Add("terms.objectives", "[]", "must list at least one objective (CP-9)")
	}
	budgets := make([]*big.Int, n)
	for i, o := range t.Objectives {
		f := "terms.objectives[" + strconv.Itoa(i) + "]"
		u, err := amountUnits(f+".budget", o.Budget, places)
		l.Append(err)
		budgets[i] = u
		if err := bounds.Decimal(pkg, f+".target", o.Target); err != nil {
			l.Append(err)
		} else if o.Target.Sign() <= 0 {
			l.Add(f+".target", o.Target, "must be above zero (CP-9)")
		}
	}
	if len(achieved) != n && (state != Recalled || len(achieved) != 0) {
		l.Add("achieved", len(achieved), "must give one value per objective: %d (CP-9)", n)
	}
	for i, a := range achieved {
		f := "achieved[" + strconv.Itoa(i) + "]"
		if err := bounds.Decimal(pkg, f, a); err != nil {
			l.Append(err)
		} else if a.Sign() < 0 {
			l.Add(f, a, "%w", affrules.ErrNegative)
		}
	}
	if !refundAt.IsZero() {
		if err := bounds.Instant(pkg, "refund_at", refundAt); err != nil {
			l.Append(err)
		} else if refundAt.Before(closed) {
			what := "end"
			if state == Recalled {
				what = "recall"
			}
			l.Add("refund_at", refundAt.Format(time.RFC3339Nano), "is before the %s %s: a refund follows it (CP-9)", what, closed.Format(time.RFC3339Nano))
		}
	}
	if err := l.Err(); err != nil {
		return Settlement{}, err
	}

	// The exact charge of each objective, in minor units, and their sum.
	parts := make([]*big.Rat, n)
	paid, sum := new(big.Int), new(big.Rat)
	for i, o := range t.Objectives {
		paid.Add(paid, budgets[i])
		p := new(big.Rat)
		if state != Recalled {
			x := new(big.Rat).Quo(achieved[i].Rat(), o.Target.Rat())
			p.Mul(chargeShare(e.policy.ChargeCurve, x), new(big.Rat).SetInt(budgets[i]))
		}
		parts[i] = p
		sum.Add(sum, p)
	}
	charged := mk.Round(ratDecimal(sum, places), e.policy.Rounding)
	shares := allocate(parts, charged.Shift(places).BigInt())

	s := Settlement{
		Currency:   mk.Currency,
		Paid:       decimal.NewFromBigInt(paid, -places),
		Charged:    charged,
		Objectives: make([]ObjectiveCharge, n),
	}
	s.Refunded = s.Paid.Sub(s.Charged)
	for i, o := range t.Objectives {
		a := decimal.Zero
		if len(achieved) > 0 {
			a = achieved[i]
		}
		s.Objectives[i] = ObjectiveCharge{Name: o.Name, Budget: o.Budget, Target: o.Target, Achieved: a, Charged: decimal.NewFromBigInt(shares[i], -places)}
	}
	loc := mk.Location()
	if s.Refunded.Sign() > 0 {
		days := e.policy.FeeRefundDays
		if state == Recalled {
			days = e.policy.RecallRefundDays
		}
		s.RefundFrom, s.RefundBy = addCalendarDays(mk, closed, days.Min), addCalendarDays(mk, closed, days.Max)
	}
	start, paidIn := affrules.MonthAt(mk, t.Period.Start), affrules.MonthAt(mk, paidAt)
	paidBefore := paidIn == start.Add(-1) || e.policy.ExtraFeeAnyEarlierMonth && paidIn < start // CP-10
	if e.policy.ExtraFee && (state == Ended || e.policy.ExtraFeeOnRecall) && s.Refunded.Sign() > 0 && !refundAt.IsZero() &&
		paidBefore && affrules.MonthAt(mk, refundAt) == start {
		feeBase := s.Paid
		if e.policy.ExtraFeeOnCharged {
			feeBase = s.Charged
		}
		fee := mk.Round(feeBase.Mul(e.policy.ExtraFeeRate.Decimal()), e.policy.Rounding)
		if fee.Sign() > 0 {
			s.ExtraFee, s.ExtraFeeCharged, s.ExtraFeeReturned = fee, start, start.Add(1)
		}
	}
	y, m := paidIn.Add(1).Date()
	s.TaxReport = mk.Day(time.Date(y, m, e.policy.TaxReportDay, 12, 0, 0, 0, loc)).Start
	return s, nil
}

// periodProblem returns a FieldError naming field if p's instants are out of bounds or p is
// empty or inverted, and nil otherwise.
func periodProblem(field string, p affrules.Period) error {
	if err := bounds.Instant(pkg, field+".start", p.Start); err != nil {
		return err
	}
	if err := bounds.Instant(pkg, field+".end", p.End); err != nil {
		return err
	}
	if !p.Start.Before(p.End) {
		return fielderr.New(pkg, field, p.String(), "must end after it starts: %w", affrules.ErrInvertedPeriod)
	}
	return nil
}

// amountUnits returns amount d, given in field, in whole minor units of a currency with places
// decimal places, or a FieldError if d is out of bounds, negative or finer than the minor unit.
func amountUnits(field string, d decimal.Decimal, places int32) (*big.Int, error) {
	if err := bounds.Decimal(pkg, field, d); err != nil {
		return new(big.Int), err
	}
	if d.Sign() < 0 {
		return new(big.Int), fielderr.New(pkg, field, d, "%w", affrules.ErrNegative)
	}
	u := d.Shift(places)
	if !u.IsInteger() {
		return new(big.Int), fielderr.New(pkg, field, d, "is finer than the currency's minor unit (%d decimal places) (MKT-4)", places)
	}
	return u.BigInt(), nil
}

// ratDecimal returns the non-negative amount of x minor units, x exact, as a decimal that any
// rounding mode rounds to places decimal places as it would round x itself: x when x has at
// most one decimal place more than the minor unit; otherwise x cut after that place with a
// 1 appended after it. Rounding to the minor unit depends only on the whole minor units, on
// whether the rest is zero, and on whether it is below, at or above one half; a rest that does
// not end within one more place is above or below one half by its first digit, and never zero.
// So the charge is rounded once, exactly, whatever the fractions of the objectives were.
func ratDecimal(x *big.Rat, places int32) decimal.Decimal {
	tenths := new(big.Int).Mul(x.Num(), big.NewInt(10))
	q, r := new(big.Int).QuoRem(tenths, x.Denom(), new(big.Int))
	if r.Sign() == 0 {
		return decimal.NewFromBigInt(q, -places-1)
	}
	q.Mul(q, big.NewInt(10))
	q.Add(q, big.NewInt(1))
	return decimal.NewFromBigInt(q, -places-2)
}

// allocate divides total minor units among exact parts (in minor units) by largest remainder:
// each part's floor, then one more unit to each of the parts with the largest fractions, the
// earlier part first on equal fractions, until total is reached. total must lie between the
// sum of the floors and the sum of the ceilings of the parts, as the sum of the parts rounded
// in any mode does.
func allocate(parts []*big.Rat, total *big.Int) []*big.Int {
	out := make([]*big.Int, len(parts))
	fracs := make([]*big.Rat, len(parts))
	left := new(big.Int).Set(total)
	for i, p := range parts {
		q, r := new(big.Int).QuoRem(p.Num(), p.Denom(), new(big.Int)) // parts are not negative
		out[i] = q
		fracs[i] = new(big.Rat).SetFrac(r, p.Denom())
		left.Sub(left, q)
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return fracs[b].Cmp(fracs[a]) })
	for _, i := range order[:max(0, min(left.Int64(), int64(len(order))))] {
		out[i].Add(out[i], big.NewInt(1))
	}
	return out
}

// addCalendarDays returns the instant n calendar days after t in market mk's zone at the same
// local time of day (MKT-2): a local midnight stays a local midnight across a DST change.
func addCalendarDays(mk affrules.Market, t time.Time, n int) time.Time {
	loc := mk.Location()
	lt := t.In(loc)
	y, m, d := lt.Date()
	if day := mk.Day(t); day.Start.Equal(t) {
		return mk.Day(time.Date(y, m, d+n, 12, 0, 0, 0, loc)).Start
	}
	h, mi, s := lt.Clock()
	return time.Date(y, m, d+n, h, mi, s, lt.Nanosecond(), loc)
}
