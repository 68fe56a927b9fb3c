package affrules_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    string // fraction
		wantErr error
	}{
		{in: "15%", want: "0.15"},
		{in: "0.7%", want: "0.007"},
		{in: "0%", want: "0"},
		{in: "100%", want: "1"},
		{in: "007.50%", want: "0.075"},
		{in: "0.0000001%", want: "0.000000001"},
		{in: "100.0000001%", wantErr: affrules.ErrOutOfRange},
		{in: "101%", wantErr: affrules.ErrOutOfRange},
		{in: "1000%", wantErr: affrules.ErrOutOfRange},
		{in: "-1%", wantErr: affrules.ErrNegative},
		{in: "0.15"},
		{in: "%"},
		{in: ".5%"},
		{in: "5.%"},
		{in: "1e2%"},
		{in: " 5%"},
		{in: "0.00000001%"},
		{in: "NaN%"},
		{in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := affrules.ParseRate(tt.in)
			if tt.want == "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "affrules: rate")
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
				}
				return
			}
			require.NoError(t, err)
			assert.True(t, decimal.RequireFromString(tt.want).Equal(r.Decimal()), "got %s", r.Decimal())
		})
	}
}

func TestRateString(t *testing.T) {
	for _, s := range []string{"15%", "0.7%", "0%", "100%", "1.25%", "0.0000001%", "33.3333333%"} {
		assert.Equal(t, s, affrules.MustParseRate(s).String())
	}
	assert.Equal(t, "7.5%", affrules.MustParseRate("007.50%").String())
}

func TestRateJSON(t *testing.T) {
	type doc struct {
		Limit affrules.Rate `json:"limit"`
	}
	var d doc
	require.NoError(t, json.Unmarshal([]byte(`{"limit":"0.7%"}`), &d))
	assert.Equal(t, "0.7%", d.Limit.String())
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"limit":"0.7%"}`, string(b))

	err = json.Unmarshal([]byte(`{"limit":"170%"}`), &d)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.Error(t, json.Unmarshal([]byte(`{"limit":0.7}`), &d), "a bare number is ambiguous and refused")
}

func TestRateFromDecimal(t *testing.T) {
	r, err := affrules.RateFromDecimal(decimal.RequireFromString("0.125"))
	require.NoError(t, err)
	assert.Equal(t, "12.5%", r.String())
	_, err = affrules.RateFromDecimal(decimal.RequireFromString("1.01"))
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	_, err = affrules.RateFromDecimal(decimal.RequireFromString("-0.01"))
	assert.ErrorIs(t, err, affrules.ErrNegative)
	_, err = affrules.RateFromDecimal(decimal.RequireFromString("0.0000000001"))
	assert.Error(t, err)
}

// MKT-4, ELG-3: exactly at the limit is not below it.
func TestRateCmpFraction(t *testing.T) {
	one := affrules.MustParseRate("1%")
	assert.Equal(t, 0, one.CmpFraction(5, 500))
	assert.Equal(t, -1, one.CmpFraction(4, 500))
	assert.Equal(t, 1, one.CmpFraction(6, 500))
	assert.Equal(t, 1, one.CmpFraction(1, 0), "undefined rate fails closed")
	assert.Equal(t, 1, one.CmpFraction(-1, 10), "negative count fails closed")
	// Large counts do not overflow.
	big := int64(1) << 62
	assert.Equal(t, 0, one.CmpFraction(big/100, big/100*100))
	assert.Equal(t, 1, affrules.MustParseRate("0%").CmpFraction(1, big))
	assert.Equal(t, 0, affrules.MustParseRate("100%").CmpFraction(big, big))
}

// Property: CmpFraction agrees with exact decimal division, and Cmp with Decimal comparison.
func TestRateCmpFractionProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		units := rapid.Int64Range(0, 1_000_000_000).Draw(t, "units")
		r, err := affrules.RateFromDecimal(decimal.New(units, -9))
		if err != nil {
			t.Fatal(err)
		}
		den := rapid.Int64Range(1, 1<<40).Draw(t, "den")
		num := rapid.Int64Range(0, den).Draw(t, "num")
		lhs := decimal.NewFromInt(num)
		rhs := r.Decimal().Mul(decimal.NewFromInt(den))
		if got, want := r.CmpFraction(num, den), lhs.Cmp(rhs); got != want {
			t.Fatalf("CmpFraction(%d, %d) vs %s = %d, want %d", num, den, r, got, want)
		}
		o, _ := affrules.RateFromDecimal(decimal.New(rapid.Int64Range(0, 1_000_000_000).Draw(t, "o"), -9))
		if got, want := r.Cmp(o), r.Decimal().Cmp(o.Decimal()); got != want {
			t.Fatalf("Cmp = %d, want %d", got, want)
		}
	})
}

// Property: printing then parsing a rate gives it back.
func TestRateRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, err := affrules.RateFromDecimal(decimal.New(rapid.Int64Range(0, 1_000_000_000).Draw(t, "units"), -9))
		if err != nil {
			t.Fatal(err)
		}
		back, err := affrules.ParseRate(r.String())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r.Decimal(), back.Decimal()); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"15%", "0.7%", "100%", "-1%", "1e3%", "", "%", "99.9999999%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := affrules.ParseRate(s)
		if err != nil {
			var fe *affrules.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			return
		}
		if r.Decimal().Sign() < 0 || r.Decimal().GreaterThan(decimal.NewFromInt(1)) {
			t.Fatalf("ParseRate(%q) = %s out of bounds", s, r)
		}
		if back, err := affrules.ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("round trip of %q: %v, %v", s, back, err)
		}
	})
}

// FormatRatio's integer path agrees with exact decimal division, rounding half-up.
func TestFormatRatioProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		den := rapid.Int64Range(1, 1<<50).Draw(t, "den")
		num := rapid.Int64Range(0, den*3).Draw(t, "num")
		pct := decimal.NewFromInt(num).Shift(2).DivRound(decimal.NewFromInt(den), 4)
		want := pct.String() + "% (" + decimal.NewFromInt(num).String() + "/" + decimal.NewFromInt(den).String() + ")"
		if got := affrules.FormatRatio(num, den); got != want {
			t.Fatalf("FormatRatio(%d, %d) = %s, want %s", num, den, got, want)
		}
	})
}

func TestFormatRatio(t *testing.T) {
	assert.Equal(t, "1.2% (6/500)", affrules.FormatRatio(6, 500))
	assert.Equal(t, "33.3333% (1/3)", affrules.FormatRatio(1, 3))
	assert.Equal(t, "66.6667% (2/3)", affrules.FormatRatio(2, 3))
	assert.Equal(t, "0.0001% (1/1000000)", affrules.FormatRatio(1, 1_000_000))
	assert.Equal(t, "0% (1/100000000)", affrules.FormatRatio(1, 100_000_000))
	assert.Equal(t, "undefined (3/0)", affrules.FormatRatio(3, 0))
	assert.Equal(t, "-50% (-1/2)", affrules.FormatRatio(-1, 2))
	assert.Equal(t, "922337203685477580700% (9223372036854775807/1)", affrules.FormatRatio(1<<63-1, 1))
}

// A decimal built in code with a huge exponent is refused at once rather than compared for
// minutes (hostile input).
func TestRateFromDecimalHugeExponent(t *testing.T) {
	for _, d := range []decimal.Decimal{decimal.New(4, -2_000_000_000), decimal.New(4, 2_000_000_000), decimal.New(1, -29), decimal.New(1, 29)} {
		_, err := affrules.RateFromDecimal(d)
		assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
	r, err := affrules.RateFromDecimal(decimal.New(15, -2))
	assert.NoError(t, err)
	assert.Equal(t, "15%", r.String())
	r, err = affrules.RateFromDecimal(decimal.New(1500000, -7))
	assert.NoError(t, err)
	assert.Equal(t, "15%", r.String())
}
