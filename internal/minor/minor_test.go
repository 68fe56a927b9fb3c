package minor

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

func TestFrom(t *testing.T) {
	tests := []struct {
		in     string
		places int32
		units  int64
		exact  bool
		err    bool
	}{
		{"0", 2, 0, true, false},
		{"12.34", 2, 1234, true, false},
		{"12.345", 2, 1234, false, false},
		{"12.3", 2, 1230, true, false},
		{"15000", 0, 15000, true, false},
		{"0.5", 0, 0, false, false},
		{"1e-30", 2, 0, false, false},
		{"92233720368547758.07", 2, 9223372036854775807, true, false},
		{"92233720368547758.08", 2, 0, false, true},
		{"1e17", 2, 0, false, true},
		{"123456789012345678901.99", 0, 0, false, true},
		{"1234567890123456789.5", -1, 123456789012345678, false, false},
		// Coefficients at the fast path's edge (2^60) and past 18 digits take the exact slow path.
		{"1152921504606846975", 0, 1152921504606846975, true, false},    // 2^60 - 1
		{"1152921504606846976", 0, 1152921504606846976, true, false},    // 2^60
		{"11529215046068469.77", 2, 1152921504606846977, true, false},   // 2^60 + 1, 2 places
		{"11529215046068469.775", 2, 1152921504606846977, false, false}, // and a fraction dropped
		{"999999999999999999", 0, 999999999999999999, true, false},      // 18 digits
		{"0.000000000000000001", 18, 1, true, false},
	}
	for _, tt := range tests {
		got, err := From(decimal.RequireFromString(tt.in), tt.places)
		if tt.err {
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("From(%s, %d) error = %v, want ErrTooLarge", tt.in, tt.places, err)
			}
			continue
		}
		if err != nil || got.Units != tt.units || got.Exact != tt.exact {
			t.Errorf("From(%s, %d) = %+v, %v; want {%d %t}", tt.in, tt.places, got, err, tt.units, tt.exact)
		}
	}
	if !To(1234, 2).Equal(decimal.RequireFromString("12.34")) {
		t.Error("To(1234, 2)")
	}
	var sink Amount
	if a := testingAllocs(func() { sink, _ = From(decimal.New(123456, -2), 2) }); a != 0 {
		t.Errorf("From allocates %v times", a)
	}
	_ = sink
}

func testingAllocs(f func()) float64 { return testing.AllocsPerRun(100, f) }
