// Package minor converts amounts to and from whole minor units of a currency (pence, sen) for
// integer arithmetic on the hot path, exactly and without allocating for every realistic amount.
package minor

import (
	"errors"
	"math"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/coef"
)

// Amount is an amount converted to whole minor units of a currency, truncated toward zero, and
// whether the conversion was exact.
type Amount struct {
	Units int64 // whole minor units, truncated toward zero
	Exact bool  // nothing was truncated
}

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
	c, small := coef.Small(&d) // the usual amount, read in place
	if !small && bounds.CoefficientBits(d) < 60 {
		c, small = d.CoefficientInt64(), true // a negative one
	}
	if small { // below 2^60 < 10^19: 19 digits at most
		// The shift clamped to ±19, where Scale answers as it would beyond (too large; below
		// one unit), so that it fits an int anywhere.
		shift := max(min(int64(d.Exponent())+int64(places), 19), -19)
		u, inexact, ok := coef.Scale(c, int(shift))
		if !ok {
			return Amount{}, ErrTooLarge
		}
		return Amount{Units: u, Exact: !inexact}, nil
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
