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
