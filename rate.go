package affrules

import (
	"math/bits"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// rateScale is the number of Rate units in a whole (100%): rates are exact to 1e-9 of a whole,
// that is to seven decimal places of a percentage.
const rateScale = 1_000_000_000

// Rate is an exact fraction between 0 and 1 (0% and 100%), such as a commission rate or a
// negative-review limit (MKT-4). It is parsed from and printed as a percentage ("15%", "0.7%"),
// and marshals to JSON as that string. The zero Rate is 0%.
type Rate struct {
	units int64 // fraction × rateScale, in [0, rateScale]
}

// ParseRate parses a percentage such as "15%", "0.7%" or "100%". The number must be written in
// plain decimal notation with at most seven decimal places and lie between 0% and 100%; the
// percent sign is required, so a fraction such as "0.15" is not taken for 0.15%.
func ParseRate(s string) (Rate, error) {
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "must be a percentage such as \"15%%\" or \"0.7%%\"")
	}
	if strings.HasPrefix(num, "-") {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "%w", ErrNegative)
	}
	intPart, fracPart, hasDot := strings.Cut(num, ".")
	if intPart == "" || (hasDot && fracPart == "") || !allDigits(intPart) || !allDigits(fracPart) {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "must be a percentage such as \"15%%\" or \"0.7%%\"")
	}
	if len(fracPart) > 7 {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "has more than seven decimal places")
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 3 {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "must be between 0%% and 100%%: %w", ErrOutOfRange)
	}
	var units int64
	for _, c := range intPart + fracPart + strings.Repeat("0", 7-len(fracPart)) {
		units = units*10 + int64(c-'0')
	}
	if units > rateScale {
		return Rate{}, fieldErrorf("rate", strconv.Quote(s), "must be between 0%% and 100%%: %w", ErrOutOfRange)
	}
	return Rate{units: units}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MustParseRate is like [ParseRate] but panics on error. It is for literal rates in tests,
// examples and defaults.
func MustParseRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// RateFromDecimal returns the rate equal to the fraction d (0.15 for 15%). d must lie in [0, 1]
// and be exact to 1e-9; its exponent must lie within ±28 (any rate can be written so), which is
// checked first, so that no decimal, however it was built, makes the conversion slow.
func RateFromDecimal(d decimal.Decimal) (Rate, error) {
	if e := d.Exponent(); e < -28 || e > 28 {
		return Rate{}, fieldErrorf("rate", "(coefficient) e"+strconv.Itoa(int(e)), "has an exponent outside -28 to 28: %w", ErrOutOfRange)
	}
	if d.Sign() < 0 {
		return Rate{}, fieldErrorf("rate", d, "%w", ErrNegative)
	}
	if d.GreaterThan(decimal.NewFromInt(1)) {
		return Rate{}, fieldErrorf("rate", d, "fraction must be at most 1 (100%%): %w", ErrOutOfRange)
	}
	scaled := d.Shift(9)
	if !scaled.IsInteger() {
		return Rate{}, fieldErrorf("rate", d, "is more precise than 1e-9")
	}
	return Rate{units: scaled.IntPart()}, nil
}

// Decimal returns the rate as a fraction (0.15 for 15%).
func (r Rate) Decimal() decimal.Decimal { return decimal.New(r.units, -9) }

// IsZero reports whether the rate is 0%.
func (r Rate) IsZero() bool { return r.units == 0 }

// Equal reports whether r and o are the same rate. go-cmp uses it to compare rates.
func (r Rate) Equal(o Rate) bool { return r.units == o.units }

// Cmp returns -1, 0 or +1 as r is below, equal to or above o.
func (r Rate) Cmp(o Rate) int {
	switch {
	case r.units < o.units:
		return -1
	case r.units > o.units:
		return 1
	}
	return 0
}

// CmpFraction compares the fraction num/den with r exactly, by integer cross-multiplication: it
// returns -1, 0 or +1 as num/den is below, equal to or above r. A negative num or a den that is
// not positive has no meaningful rate; CmpFraction then returns +1, so a caller that forgot to
// validate fails closed against an upper limit.
func (r Rate) CmpFraction(num, den int64) int {
	if num < 0 || den <= 0 {
		return 1
	}
	lh, ll := bits.Mul64(uint64(num), rateScale)
	rh, rl := bits.Mul64(uint64(r.units), uint64(den))
	switch {
	case lh < rh || (lh == rh && ll < rl):
		return -1
	case lh == rh && ll == rl:
		return 0
	}
	return 1
}

// String formats the rate as a percentage with no trailing zeros, e.g. "15%" or "0.7%".
func (r Rate) String() string {
	b, _ := r.MarshalText()
	return string(b)
}

// MarshalText formats the rate as [Rate.String] does.
func (r Rate) MarshalText() ([]byte, error) {
	whole, frac := r.units/1e7, r.units%1e7
	b := strconv.AppendInt(make([]byte, 0, 16), whole, 10)
	if frac != 0 {
		f := strconv.AppendInt(nil, frac+1e7, 10)[1:] // seven digits with leading zeros
		b = append(b, '.')
		b = append(b, strings.TrimRight(string(f), "0")...)
	}
	return append(b, '%'), nil
}

// UnmarshalText parses a percentage as [ParseRate] does.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// FormatRatio formats num/den as a percentage rounded half-up to at most four decimal places,
// followed by the ratio itself, e.g. "1.2% (6/500)". It is meant for the observed values in
// reasons. A den that is not positive gives "undefined (num/den)".
func FormatRatio(num, den int64) string {
	b := make([]byte, 0, 48)
	switch {
	case den <= 0:
		b = append(b, "undefined"...)
	case num < 0 || num/den >= 1<<40: // outside what the integer path below can hold
		b = append(b, decimal.NewFromInt(num).Shift(2).DivRound(decimal.NewFromInt(den), 4).String()...)
		b = append(b, '%')
	default:
		// q = round_half_up(num × 100 × 10⁴ / den) = ⌊(2 × num × 10⁶ + den) / (2 × den)⌋
		hi, lo := bits.Mul64(uint64(num), 2_000_000)
		lo, carry := bits.Add64(lo, uint64(den), 0)
		q, _ := bits.Div64(hi+carry, lo, 2*uint64(den))
		b = strconv.AppendUint(b, q/10_000, 10)
		if frac := q % 10_000; frac != 0 {
			b = append(b, '.')
			b = strconv.AppendUint(b, frac+10_000, 10) // "1dddd": four digits with leading zeros
			b = append(b[:len(b)-5], b[len(b)-4:]...)
			for b[len(b)-1] == '0' {
				b = b[:len(b)-1]
			}
		}
		b = append(b, '%')
	}
	b = append(b, " ("...)
	b = strconv.AppendInt(b, num, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, den, 10)
	b = append(b, ')')
	return string(b)
}
