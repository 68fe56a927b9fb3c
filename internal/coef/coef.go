// Package coef reads the coefficient of a decimal.Decimal in place: without the copy
// Decimal.Coefficient makes, or the digit count Decimal.NumDigits makes (a table lookup for a
// coefficient that fits an int64, a power of ten for a longer one). It depends on nothing of the
// library's, so that the root package and internal/bounds can both use it.
package coef

import (
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

// Of returns d's coefficient itself, nil for zero, for reading only: decimal.Decimal is a
// *big.Int and an int32 exponent (pinned by TestLayout).
func Of(d *decimal.Decimal) *big.Int {
	return (*struct {
		value *big.Int
		exp   int32
	})(unsafe.Pointer(d)).value
}
