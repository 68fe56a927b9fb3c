package affrules

import (
	"testing"

	"github.com/shopspring/decimal"
)

// A decimal value holds a coefficient of up to 18 digits inline (n, with the exponent in d) and
// a longer one as its digits (s), on either side of the fast path's cutoff and of 2^60.
func TestDecimalValueInline(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Value
	}{
		{"0", Value{kind: DecimalValue}},
		{"0.00", Value{kind: DecimalValue, d: -2}},
		{"2.5", Value{kind: DecimalValue, n: 25, d: -1}},
		{"-2.5", Value{kind: DecimalValue, n: -25, d: -1}},
		{"999999999999999999", Value{kind: DecimalValue, n: 999999999999999999}},
		{"-999999999999999999", Value{kind: DecimalValue, n: -999999999999999999}},
		{"1000000000000000000", Value{kind: DecimalValue, s: "1000000000000000000"}},
		{"-1000000000000000000", Value{kind: DecimalValue, s: "-1000000000000000000"}},
		{"1152921504606846975", Value{kind: DecimalValue, s: "1152921504606846975"}},
		{"1152921504606846976", Value{kind: DecimalValue, s: "1152921504606846976"}},
	} {
		if got := Decimal(decimal.RequireFromString(tt.in)); got != tt.want {
			t.Errorf("Decimal(%s) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}
