package coef

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
)

// TestLayout pins the layout Of reads against decimal's own Coefficient.
func TestLayout(t *testing.T) {
	for _, s := range []string{"0", "1", "-7.25", "123456789012345678901234567890", "1e20", "-1e-10"} {
		d := decimal.RequireFromString(s)
		if got, want := Of(&d), d.Coefficient(); (got == nil && want.Sign() != 0) || (got != nil && got.Cmp(want) != 0) {
			t.Errorf("Of(%s) = %v, want %v", s, got, want)
		}
	}
	if d := (decimal.Decimal{}); Of(&d) != nil {
		t.Error("the zero Decimal has a coefficient")
	}
}

// Small gives the coefficient exactly when it is 0 ≤ c < 2^60, at the edges of that
// range and of a machine word, and refuses the rest.
func TestSmall(t *testing.T) {
	for _, tt := range []struct {
		d    decimal.Decimal
		want int64
		ok   bool
	}{
		{decimal.Decimal{}, 0, true},
		{decimal.New(0, 5), 0, true},
		{decimal.New(1, 0), 1, true},
		{decimal.New(1234, -2), 1234, true},
		{decimal.New(1<<60-1, 3), 1<<60 - 1, true},
		{decimal.New(1<<32, 0), 1 << 32, true},
		{decimal.New(1<<32-1, 0), 1<<32 - 1, true},
		{decimal.New(1<<60, 0), 0, false},
		{decimal.New(-1, 0), 0, false},
		{decimal.New(-(1 << 40), 0), 0, false},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 64), 0), 0, false},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(3), 100), -2), 0, false},
	} {
		got, ok := Small(&tt.d)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Small(%s) = %d, %t; want %d, %t", tt.d, got, ok, tt.want, tt.ok)
		}
		if ok && tt.d.Coefficient().Int64() != got {
			t.Errorf("Small(%s) = %d, but its coefficient is %s", tt.d, got, tt.d.Coefficient())
		}
	}
	d := decimal.New(25, -1)
	if a := testing.AllocsPerRun(100, func() { Small(&d) }); a != 0 {
		t.Errorf("Small allocates %v times", a)
	}
}

// Scale at its edges: the largest coefficient each power of ten takes and one more, shifts of
// 18 and 19 places either way, remainders dropped or not.
func TestScale(t *testing.T) {
	const maxInt64 = 1<<63 - 1
	for _, tt := range []struct {
		c           int64
		shift       int
		v           int64
		inexact, ok bool
	}{
		{0, 0, 0, false, true},
		{25, 2, 2500, false, true},
		{maxInt64, 0, maxInt64, false, true},
		{maxInt64 / 1000, 3, maxInt64 / 1000 * 1000, false, true},
		{maxInt64/1000 + 1, 3, 0, false, false},
		{9, 18, 9e18, false, true},
		{10, 18, 0, false, false},
		{1, 19, 0, false, false},
		{0, 19, 0, false, false},
		{2500, -2, 25, false, true},
		{2501, -2, 25, true, true},
		{1e18, -18, 1, false, true},
		{1e18 + 1, -18, 1, true, true},
		{maxInt64, -19, 0, true, true},
		{0, -19, 0, false, true},
		{7, -40, 0, true, true},
	} {
		v, inexact, ok := Scale(tt.c, tt.shift)
		if v != tt.v || inexact != tt.inexact || ok != tt.ok {
			t.Errorf("Scale(%d, %d) = %d, %t, %t; want %d, %t, %t", tt.c, tt.shift, v, inexact, ok, tt.v, tt.inexact, tt.ok)
		}
	}
}

func TestStripped(t *testing.T) {
	for _, tc := range []struct {
		in   string
		c    int64
		exp  int32
		want bool
	}{
		{"4.6", 46, -1, true},
		{"4.600000000000000000", 460000000000000000, -17, true}, // stripped only to below 2^60
		{"0", 0, 0, true},
		{"1152921504606846976", 0, 0, false}, // 2^60, no trailing zero
		{"11529215046068469760", 1152921504606846976, 1, false},
		{"-4.600000000000000000", 0, 0, false},
		{"46000000000000000000000000", 0, 0, false}, // more than 64 bits
	} {
		d := decimal.RequireFromString(tc.in)
		c, exp, ok := Stripped(&d)
		if ok != tc.want || ok && (c != tc.c || exp != tc.exp || !decimal.New(c, exp).Equal(d)) {
			t.Errorf("Stripped(%s) = %d, %d, %t; want %d, %d, %t", tc.in, c, exp, ok, tc.c, tc.exp, tc.want)
		}
	}
}
