// Package minor converts amounts to and from whole minor units of a currency (pence, sen) for
// integer arithmetic on the hot path, exactly and without allocating for every realistic amount.
package minor

import (
	"errors"
	"math"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/internal/bounds"
)

// Amount is an amount converted to whole minor units of a currency, truncated toward zero, and
// whether the conversion was exact.
type Amount struct {
	Units int64 // whole minor units, truncated toward zero
	Exact bool  // nothing was truncated
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// ErrTooLarge reports an amount of 2^63 minor units or more.
var ErrTooLarge = errors.New("too large for this package's 64-bit minor-unit arithmetic")

// From converts a non-negative amount d to minor units of a currency with places decimal
// places, truncating anything finer. It allocates nothing when d's coefficient is below 2^60,
// which is every realistic amount; a larger amount takes a slower path. Amounts of 2^63 minor
// units or more are an error.
func From(d decimal.Decimal, places int32) (Amount, error) {
	if d.Sign() == 0 {
		return Amount{Exact: true}, nil
	}
	if bounds.CoefficientBits(d) < 60 { // below 2^60 < 10^19: 19 digits at most
		coef := d.CoefficientInt64()
		shift := int64(d.Exponent()) + int64(places)
		switch {
		case shift >= 0:
			if shift >= int64(len(pow10)) || coef > math.MaxInt64/pow10[shift] {
				return Amount{}, ErrTooLarge
			}
			return Amount{Units: coef * pow10[shift], Exact: true}, nil
		case -shift < int64(len(pow10)):
			p := pow10[-shift]
			return Amount{Units: coef / p, Exact: coef%p == 0}, nil
		default:
			return Amount{Units: 0, Exact: false}, nil // |coef| < 2^60 < 10^19 <= 10^-shift
		}
	}
	scaled := d.Shift(places)
	whole := scaled.Truncate(0)
	if whole.GreaterThan(decimal.NewFromInt(math.MaxInt64)) || whole.LessThan(decimal.NewFromInt(math.MinInt64)) {
		return Amount{}, ErrTooLarge
	}
	return Amount{Units: whole.IntPart(), Exact: whole.Equal(scaled)}, nil
}

// To returns units minor units of a currency with places decimal places as an amount.
func To(units int64, places int32) decimal.Decimal { return decimal.New(units, -places) }
