package affrules

import (
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/internal/enum"
)

// RoundingMode names how an amount is rounded to a currency's minor unit (MKT-4). The zero value
// is [HalfUp], the catalog's default.
type RoundingMode uint8

// Rounding modes.
const (
	// HalfUp rounds to the nearest value, halves away from zero (2.345 → 2.35).
	HalfUp RoundingMode = iota
	// HalfEven rounds to the nearest value, halves to the even neighbour (2.345 → 2.34).
	HalfEven
	// Down truncates toward zero (2.349 → 2.34).
	Down
)

var roundingNames = enum.Names[RoundingMode]{HalfUp: "half_up", HalfEven: "half_even", Down: "down"}

// String returns "half_up", "half_even" or "down".
func (m RoundingMode) String() string { return roundingNames.String("RoundingMode", m) }

// MarshalText returns the mode's name, or an error for an unknown mode.
func (m RoundingMode) MarshalText() ([]byte, error) {
	if b, ok := roundingNames.Text(m); ok {
		return b, nil
	}
	return nil, fieldErrorf("rounding_mode", int(m), "%w", ErrOutOfRange)
}

// UnmarshalText parses "half_up", "half_even" or "down".
func (m *RoundingMode) UnmarshalText(b []byte) error {
	v, ok := roundingNames.Parse(b)
	if !ok {
		return fieldErrorf("rounding_mode", strconv.Quote(string(b)), "must be one of %s", roundingNames.List())
	}
	*m = v
	return nil
}

// Round rounds amount to places decimal places in mode m. An unknown mode rounds half-up. An
// amount with no more than places decimal places is returned as it is, and one below a tenth of
// the unit of places is 0 in every mode. One so far below it that its digits end 38 or more
// places past the unit is 0 at once, without rounding (decimal.Decimal would write out the
// zeros an exponent in the millions has, which takes minutes): 0 with places decimal places,
// or, for negative places, plain 0, whose unit could take as long to write. Places of -2^31,
// whose unit decimal.Decimal cannot write, round as -2^31 + 1.
func (m RoundingMode) Round(amount decimal.Decimal, places int32) decimal.Decimal {
	places = max(places, math.MinInt32+1) // so that -places is an int32
	exp, unit := int64(amount.Exponent()), -int64(places)
	if exp >= unit {
		return amount
	}
	// Only far below the unit is the digit count worth taking: decimal rounds the rest quickly.
	if exp < unit-38 && int64(amount.NumDigits())+exp < unit { // |amount| < 10^-(places+1): below half a unit
		if places < 0 {
			return decimal.Zero // 0 written with a large exponent would be written out in full
		}
		return decimal.New(0, -places)
	}
	switch m {
	case HalfEven:
		return amount.RoundBank(places)
	case Down:
		return amount.Truncate(places)
	}
	return amount.Round(places)
}

// Round rounds amount to the market currency's minor unit in mode mode (MKT-4): to whole rupiah
// in ID, to sen in MY.
func (m Market) Round(amount decimal.Decimal, mode RoundingMode) decimal.Decimal {
	return mode.Round(amount, m.MinorUnit)
}
