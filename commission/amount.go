package commission

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/coef"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// Money is an exact amount in whole minor units of a currency: 1234 units of GBP with 2 places
// is 12.34 GBP. It is a value; the zero Money is zero in no currency.
type Money struct {
	Currency string `json:"currency"`
	Units    int64  `json:"units"`
	Places   int32  `json:"places"`
}

// Decimal returns the amount as a decimal (12.34).
func (m Money) Decimal() decimal.Decimal { return decimal.New(m.Units, -m.Places) }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.Units == 0 }

// String formats the amount with its minor unit and currency, e.g. "12.34 GBP" or "15000 IDR".
func (m Money) String() string {
	return m.Decimal().StringFixed(m.Places) + " " + m.Currency
}

// Commission is the commission on one order line (COM-1, COM-7): the resolution, the base it was
// computed on, the amount, rounded once to the market's minor unit in the policy's rounding
// mode, and its split. For a partner campaign Partner and Creator are the two parts, which sum to
// Amount exactly; otherwise Creator is Amount and Partner is zero.
type Commission struct {
	Resolution
	Price    Money `json:"price"`
	Paid     Money `json:"paid"`     // price − platform coupon − seller coupon: what the buyer paid, tax included
	Base     Money `json:"base"`     // price − platform coupon − seller coupon − tax (tax kept with Policy.TaxInBase, platform coupon with Policy.PlatformCouponInBase, shipping added with Policy.ShippingInBase)
	Shipping Money `json:"shipping"` // excluded from the base, unless ShippingInBase
	// ShippingInBase is whether Base includes Shipping ([Policy.ShippingInBase]).
	ShippingInBase bool                  `json:"shipping_in_base,omitempty"`
	Amount         Money                 `json:"amount"`
	Partner        Money                 `json:"partner"`
	Creator        Money                 `json:"creator"`
	Rounding       affrules.RoundingMode `json:"rounding"`
}

// UnmarshalJSON refuses: a commission's JSON is for reading (its resolution keeps the book's
// candidates by reference, which JSON does not carry), so decoding it would silently drop its
// resolution. Compute it again with [Evaluator.Compute], or keep the [Record] it opened.
func (c *Commission) UnmarshalJSON([]byte) error {
	return fmt.Errorf("%s: a Commission is not decoded from JSON: compute it again with Evaluator.Compute, or keep its Record", pkg)
}

// UnmarshalJSON refuses, as [Commission.UnmarshalJSON] does: a resolution's JSON is for reading.
func (r *Resolution) UnmarshalJSON([]byte) error {
	return fmt.Errorf("%s: a Resolution is not decoded from JSON: resolve the order again with Evaluator.Resolve", pkg)
}

// MarshalJSON encodes the commission as its resolution ([Resolution.MarshalJSON]) under
// "resolution" beside the amounts.
func (c Commission) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Resolution Resolution            `json:"resolution"`
		Price      Money                 `json:"price"`
		Paid       Money                 `json:"paid"`
		Base       Money                 `json:"base"`
		Shipping   Money                 `json:"shipping"`
		InBase     bool                  `json:"shipping_in_base,omitempty"`
		Amount     Money                 `json:"amount"`
		Partner    Money                 `json:"partner"`
		Creator    Money                 `json:"creator"`
		Rounding   affrules.RoundingMode `json:"rounding"`
	}{c.Resolution, c.Price, c.Paid, c.Base, c.Shipping, c.ShippingInBase, c.Amount, c.Partner, c.Creator, c.Rounding})
}

// String formats the commission on one line, e.g. "8% of 100.00 GBP = 8.00 GBP (OPEN offer
// open-1, half_up)".
func (c Commission) String() string {
	var b strings.Builder
	if !c.Earned() {
		if c.Base.Currency == "" {
			return "no commission: not computed"
		}
		b.WriteString("no commission on ")
		b.WriteString(c.Base.String())
		b.WriteString(": ")
		b.WriteString(c.failureText())
		return b.String()
	}
	b.WriteString(c.Rate.String())
	b.WriteString(" of ")
	b.WriteString(c.Base.String())
	b.WriteString(" = ")
	b.WriteString(c.Amount.String())
	if c.Source == Partner {
		b.WriteString(" (partner ")
		b.WriteString(c.Partner.String())
		b.WriteString(", creator ")
		b.WriteString(c.Creator.String())
		b.WriteByte(')')
	}
	b.WriteString(" (")
	b.WriteString(c.Source.String())
	b.WriteString(" offer ")
	b.WriteString(c.OfferID)
	b.WriteString(", ")
	b.WriteString(c.Rounding.String())
	b.WriteByte(')')
	return b.String()
}

// Compute resolves order line o at its instant at ([Evaluator.Resolve]) and computes its commission
// (COM-1): the base is the price less the platform coupon (unless [Policy.PlatformCouponInBase]),
// the seller coupon and the tax (unless [Policy.TaxInBase]), shipping excluded (added with
// [Policy.ShippingInBase]); the amount is rate × base rounded once to the market currency's minor
// unit in the policy's rounding mode; a partner campaign's amount is split by its partner share,
// the partner's part rounded once from the exact product and the creator's the rest, so the parts
// sum to the amount exactly (COM-7). An order that earns nothing has a zero amount.
//
// Bad input is an error, besides Resolve's: a currency other than the market's, an amount with
// an exponent or number of digits out of bounds, negative, finer than the minor unit or of 2^63
// minor units or more, a price of zero (most likely left out), coupons above the price, tax
// above what the coupons leave, or, under [Policy.ShippingInBase], a price and shipping whose
// sum reaches 2^63 minor units.
func (e *Evaluator) Compute(b *Book, o Order, at time.Time) (c Commission, err error) {
	err = e.compute(&c, b, &o, at)
	return c, err
}

// ComputeInto is [Evaluator.Compute] writing the commission on order line *o into *dst instead
// of returning it: the same commission, or the same error with *dst zero. It is for a run over
// many order lines that passes each by pointer and reuses one Commission, which spares copying
// both on every call (a Commission is some 900 bytes, an Order some 220; BenchmarkComputeInto
// against BenchmarkCompute). Nothing of what *dst held before is kept or reused. A nil dst or o
// is an error.
func (e *Evaluator) ComputeInto(dst *Commission, b *Book, o *Order, at time.Time) error {
	switch {
	case dst == nil:
		return fielderr.New(pkg, "dst", "nil", "must point to a Commission to write into")
	case o == nil:
		*dst = Commission{}
		return fielderr.New(pkg, "order", "nil", "must point to an order line")
	}
	return e.compute(dst, b, o, at)
}

// compute is Compute and ComputeInto: it overwrites *c with the commission on *o, or with the
// zero Commission and returns the error.
func (e *Evaluator) compute(c *Commission, b *Book, o *Order, at time.Time) error {
	*c = Commission{}
	if err := e.ready(); err != nil {
		return err
	}
	m, err := e.checkOrder(o, at)
	if err != nil {
		return err
	}
	var amounts [5]int64
	if err := checkAmounts(o, m, &amounts); err != nil {
		return err
	}
	if e.policy.ShippingInBase && amounts[0] > math.MaxInt64-amounts[4] { // the base is at most the price
		return fielderr.New(pkg, "order.shipping", o.Shipping, "with the price %s makes a base that may reach 2^63 minor units (COM-1): %w", o.Price, affrules.ErrOutOfRange)
	}
	if err := e.checkBook(b); err != nil {
		return err
	}
	c.Rounding = e.policy.Rounding
	e.resolve(&c.Resolution, b, o, at)
	cur, places := m.Currency, m.MinorUnit
	money := func(u int64) Money { return Money{Currency: cur, Units: u, Places: places} }
	paid := amounts[0] - amounts[1] - amounts[2]
	base := paid - amounts[3]
	if e.policy.TaxInBase {
		base = paid
	}
	if e.policy.PlatformCouponInBase {
		base += amounts[1]
	}
	if e.policy.ShippingInBase { // within int64: checked with the amounts
		base += amounts[4]
		c.ShippingInBase = true
	}
	c.Price, c.Paid, c.Base, c.Shipping = money(amounts[0]), money(paid), money(base), money(amounts[4])
	c.Amount, c.Partner, c.Creator = money(0), money(0), money(0)
	if c.Source == 0 { // earns nothing (Earned, without copying c)
		return nil
	}
	total := mulDivRound(uint64(base), uint64(c.rateUnits), rateScale, c.Rounding)
	c.Amount = money(int64(total))
	if c.Source == Partner {
		part := mulMulDivRound(uint64(base), uint64(c.rateUnits), uint64(c.shareUnits), c.Rounding)
		c.Partner = money(int64(part))
		c.Creator = money(int64(total - part))
	} else {
		c.Creator = c.Amount
	}
	return nil
}

// checkAmounts checks the line item's amounts and writes them into out in minor units: price,
// platform coupon, seller coupon, tax, shipping.
func checkAmounts(o *Order, m *affrules.Market, out *[5]int64) error {
	ok := o.Currency == m.Currency
	for i, d := range [5]*decimal.Decimal{&o.Price, &o.PlatformCoupon, &o.SellerCoupon, &o.Tax, &o.Shipping} {
		// coef.Small inline for the usual amount, zero or positive with a coefficient of one
		// word below 2^60; any other takes checkEachAmount.
		var c uint64
		if v := coef.Of(d); v != nil {
			w := v.Bits()
			if len(w) > 1 || v.Sign() < 0 {
				ok = false
				continue
			}
			if len(w) == 1 {
				c = uint64(w[0])
			}
		}
		u, usual := scaleUnits(int64(c), c < 1<<60, d.Exponent(), m.MinorUnit)
		out[i], ok = u, ok && usual
	}
	if !ok {
		return checkEachAmount(o, m, out)
	}
	return checkSums(o, out)
}

// checkEachAmount is checkAmounts with every amount through the full checks, each problem
// reported.
func checkEachAmount(o *Order, m *affrules.Market, out *[5]int64) error {
	var l *fielderr.List
	add := func(err error) {
		if l == nil {
			l = fielderr.For(pkg)
		}
		l.Append(err)
	}
	if o.Currency != m.Currency {
		add(fielderr.New(pkg, "order.currency", strconv.Quote(o.Currency), "must be %s, the currency of market %s (MKT-4)", m.Currency, m.Code))
	}
	names := [5]string{"order.price", "order.platform_coupon", "order.seller_coupon", "order.tax", "order.shipping"}
	vals := [5]*decimal.Decimal{&o.Price, &o.PlatformCoupon, &o.SellerCoupon, &o.Tax, &o.Shipping}
	for i, d := range vals {
		u, err := minorUnits(names[i], *d, m.MinorUnit)
		if err != nil {
			add(err)
		}
		out[i] = u
	}
	if l != nil {
		return l.Err()
	}
	return checkSums(o, out)
}

// checkSums checks that the price is above zero, the coupons within it and the tax within what
// they leave.
func checkSums(o *Order, out *[5]int64) error {
	if out[0] == 0 {
		return fielderr.New(pkg, "order.price", o.Price, "must be above zero: a line item has a price, and one left out would earn a commission of nothing unnoticed (COM-1)")
	}
	if out[1] > out[0] || out[2] > out[0]-out[1] {
		return fielderr.New(pkg, "order.coupons", o.PlatformCoupon.String()+" + "+o.SellerCoupon.String(), "exceed the price %s (COM-1)", o.Price)
	}
	if out[3] > out[0]-out[1]-out[2] {
		return fielderr.New(pkg, "order.tax", o.Tax, "exceeds the price %s less coupons (COM-1)", o.Price)
	}
	return nil
}

// minorUnits checks an amount a caller gives and returns it in minor units.
func minorUnits(field string, d decimal.Decimal, places int32) (int64, error) {
	if u, ok := usualUnits(&d, places); ok {
		return u, nil
	}
	if err := bounds.Decimal(pkg, field, d); err != nil {
		return 0, err
	}
	if d.Sign() < 0 {
		return 0, fielderr.New(pkg, field, d, "%w", affrules.ErrNegative)
	}
	a, err := minor.From(d, places)
	if err != nil {
		return 0, fielderr.New(pkg, field, d, "%w", affrules.ErrOutOfRange)
	}
	if !a.Exact {
		return 0, fielderr.New(pkg, field, d, "is finer than the currency's minor unit (%d decimal places)", places)
	}
	return a.Units, nil
}

// usualUnits converts the usual amount in one pass and reports whether it could: an exponent
// within bounds and a coefficient below 2^60 (so of at most 19 digits, within bounds.Decimal's
// limits too), not negative, scaled by at most 10^18 to a whole number of minor units below
// 2^63. Any other amount takes minorUnits' full checks.
func usualUnits(d *decimal.Decimal, places int32) (int64, bool) {
	c, ok := coef.Small(d)
	return scaleUnits(c, ok, d.Exponent(), places)
}

// scaleUnits is usualUnits once the coefficient c is read (ok: it is small).
func scaleUnits(c int64, ok bool, e, places int32) (int64, bool) {
	if !ok || e < bounds.MinExponent || e > bounds.MaxExponent {
		return 0, false
	}
	switch shift := int(e) + int(places); {
	case shift >= 0 && shift < len(coef.Pow10) && c <= coef.MaxScaled[shift]:
		return c * coef.Pow10[shift], true
	case shift < 0 && -shift < len(coef.Pow10) && c%coef.Pow10[-shift] == 0:
		return c / coef.Pow10[-shift], true
	}
	return 0, false
}

const rateScale = 1_000_000_000

// rateUnits returns r in units of 1e-9 (rates are exact to 1e-9). It allocates; the resolver
// reads the units a [Book] computed once.
func rateUnits(r affrules.Rate) int64 { return r.Decimal().Shift(9).IntPart() }

// mulDivRound returns a × b / d rounded in mode, for a × b / d < 2^63.
func mulDivRound(a, b, d uint64, mode affrules.RoundingMode) uint64 {
	hi, lo := bits.Mul64(a, b)
	return divRound(hi, lo, d, mode)
}

// mulMulDivRound returns a × b × c / 10^18 rounded in mode, for a < 2^63 and b, c ≤ 10^9.
func mulMulDivRound(a, b, c uint64, mode affrules.RoundingMode) uint64 {
	hi, lo := bits.Mul64(a, b)
	h2, l2 := bits.Mul64(lo, c)
	return divRound(hi*c+h2, l2, rateScale*rateScale, mode)
}

func divRound(hi, lo, d uint64, mode affrules.RoundingMode) uint64 {
	q, r := bits.Div64(hi, lo, d)
	switch mode {
	case affrules.Down:
	case affrules.HalfEven:
		if r > d-r || (r == d-r && q&1 == 1) {
			q++
		}
	default:
		if r >= d-r && r != 0 {
			q++
		}
	}
	return q
}
