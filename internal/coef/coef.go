// Package coef reads the coefficient of a decimal.Decimal in place: without the copy
// Decimal.Coefficient makes, or the digit count Decimal.NumDigits makes (a table lookup for a
// coefficient that fits an int64, a power of ten for a longer one). It depends on nothing of the
// library's, so that the root package and internal/bounds can both use it.
package coef

import (
	"math"
	"math/big"
	"math/bits"
	"unsafe"

	"github.com/shopspring/decimal"
)

// Small returns d's coefficient and true if it is at least 0 and below 2^60 (so of
// at most 19 digits), and false otherwise. It reads the coefficient's words once, in place:
// money amounts are usually such, and this is the quick way to convert them.
func Small(d *decimal.Decimal) (int64, bool) {
	v := Of(d)
	if v == nil {
		return 0, true
	}
	var u uint64
	switch w := v.Bits(); {
	case len(w) == 0:
		return 0, true
	case len(w) == 1:
		u = uint64(w[0])
	case len(w) == 2 && bits.UintSize == 32:
		u = uint64(w[1])<<32 | uint64(w[0])
	default:
		return 0, false
	}
	if u >= 1<<60 || v.Sign() < 0 {
		return 0, false
	}
	return int64(u), true
}

// Stripped returns d as c×10^exp with c at least 0 and below 2^60, and true, when d's
// coefficient is such once trailing zeros are struck off as needed: a value written with many
// decimal places, such as a NUMERIC(20,18) rating 4.600000000000000000, whose coefficient fits 64
// bits but not 60. It reads the coefficient in place and allocates nothing; false otherwise.
func Stripped(d *decimal.Decimal) (c int64, exp int32, ok bool) {
	if c, ok := Small(d); ok {
		return c, d.Exponent(), true
	}
	v := Of(d)
	if v == nil || v.Sign() < 0 {
		return 0, 0, false
	}
	var u uint64
	switch w := v.Bits(); {
	case len(w) == 1:
		u = uint64(w[0])
	case len(w) == 2 && bits.UintSize == 32:
		u = uint64(w[1])<<32 | uint64(w[0])
	default:
		return 0, 0, false
	}
	exp = d.Exponent()
	for u >= 1<<60 && u%10 == 0 && exp < math.MaxInt32 {
		u, exp = u/10, exp+1
	}
	if u >= 1<<60 {
		return 0, 0, false
	}
	return int64(u), exp, true
}

// Of returns d's coefficient itself, nil for zero, for reading only: decimal.Decimal is a
// *big.Int and an int32 exponent (pinned by TestLayout).
func Of(d *decimal.Decimal) *big.Int {
	return (*struct {
		value *big.Int
		exp   int32
	})(unsafe.Pointer(d)).value
}

// Pow10 holds the powers of ten an int64 holds, 10^0 to 10^18.
var Pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// MaxScaled[i] is the largest int64 that scales by Pow10[i] without overflowing: a table, since a
// division on every amount is a noticeable part of an evaluation.
var MaxScaled = func() (m [len(Pow10)]int64) {
	for i, p := range Pow10 {
		m[i] = math.MaxInt64 / p
	}
	return m
}()

// Scale returns c×10^shift for a coefficient c ≥ 0 (a decimal's coefficient brought to another
// exponent). For shift ≥ 0 it is the exact product, and ok is false when that exceeds an int64;
// for shift < 0 it is the quotient, truncated, with inexact true when a remainder was dropped.
func Scale(c int64, shift int) (v int64, inexact, ok bool) {
	if shift >= 0 {
		if shift >= len(Pow10) || c > MaxScaled[shift] {
			return 0, false, false
		}
		return c * Pow10[shift], false, true
	}
	if -shift >= len(Pow10) {
		return 0, c != 0, true // 0 ≤ c < 2^63 < 10^19 ≤ 10^-shift
	}
	p := Pow10[-shift]
	return c / p, c%p != 0, true
}
