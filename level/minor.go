package level

import (
	"errors"
	"math"

	"github.com/shopspring/decimal"
)

// minor is an amount converted to whole minor units of a currency, truncated toward zero, and
// whether the conversion was exact.
type minor struct {
	units int64
	exact bool
}

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

var errTooLarge = errors.New("too large for this package's 64-bit minor-unit arithmetic")

// toMinor converts a non-negative amount d to minor units of a currency with places decimal
// places, truncating anything finer. It allocates nothing when d's coefficient fits 18 digits,
// which is every realistic amount; a larger amount takes a slower path. Amounts of 2^63 minor
// units or more are an error.
func toMinor(d decimal.Decimal, places int32) (minor, error) {
	if d.Sign() == 0 {
		return minor{exact: true}, nil
	}
	if d.NumDigits() <= 18 {
		coef := d.CoefficientInt64()
		shift := int64(d.Exponent()) + int64(places)
		switch {
		case shift >= 0:
			if shift >= int64(len(pow10)) || coef > math.MaxInt64/pow10[shift] {
				return minor{}, errTooLarge
			}
			return minor{units: coef * pow10[shift], exact: true}, nil
		case -shift < int64(len(pow10)):
			p := pow10[-shift]
			return minor{units: coef / p, exact: coef%p == 0}, nil
		default:
			return minor{units: 0, exact: false}, nil // |coef| < 1e18 <= 10^-shift
		}
	}
	scaled := d.Shift(places)
	whole := scaled.Truncate(0)
	if whole.GreaterThan(decimal.NewFromInt(math.MaxInt64)) || whole.LessThan(decimal.NewFromInt(math.MinInt64)) {
		return minor{}, errTooLarge
	}
	return minor{units: whole.IntPart(), exact: whole.Equal(scaled)}, nil
}

// fromMinor returns units minor units of a currency with places decimal places as an amount.
func fromMinor(units int64, places int32) decimal.Decimal { return decimal.New(units, -places) }
