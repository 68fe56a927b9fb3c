package bounds

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
)

func TestInstant(t *testing.T) {
	for _, tt := range []struct {
		at time.Time
		ok bool
	}{
		{time.Time{}, false},
		{MinInstant.Add(-time.Nanosecond), false},
		{MinInstant, true},
		{time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), true},
		{MaxInstant.Add(-time.Nanosecond), true},
		{MaxInstant, false},
		{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(-300, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{MinInstant.In(time.FixedZone("", -5*3600)), true}, // 1899 on the local clock, 1900 in UTC
		{MaxInstant.Add(-time.Nanosecond).In(time.FixedZone("", 9*3600)), true},
		{MaxInstant.In(time.FixedZone("", -9*3600)), false},
		{time.Now(), true}, // with a monotonic reading
	} {
		err := Instant("level", "at", tt.at)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, affrules.ErrOutOfRange)) {
			t.Errorf("Instant(%s) = %v, want ok %t", tt.at, err, tt.ok)
		}
		if InRange(tt.at) != tt.ok {
			t.Errorf("InRange(%s) = %t, want %t", tt.at, !tt.ok, tt.ok)
		}
	}
	if err := Instant("level", "at", time.Time{}); err.Error() != "level: at 0001-01-01T00:00:00Z: is the zero time: give the instant (MKT-6: no evaluator reads the clock): out of range" {
		t.Errorf("zero instant: %v", err)
	}
}

func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		d  decimal.Decimal
		ok bool
	}{
		{decimal.Decimal{}, true},
		{decimal.RequireFromString("2.5"), true},
		{decimal.New(1, MinExponent), true},
		{decimal.New(1, MinExponent-1), false},
		{decimal.New(1, MaxExponent), true},
		{decimal.New(1, MaxExponent+1), false},
		{decimal.New(4, -2_000_000_000), false},
		{decimal.New(4, 2_000_000_000), false},
		{decimal.RequireFromString("12345678901234567890123456789012345678"), true},
		{decimal.RequireFromString("123456789012345678901234567890123456789"), false},
		// At the bit lengths where digits are counted: 2^126 - 1 and 2^126 (38 digits, 126 and
		// 127 bits), 10^38 - 1 (38 digits, 127 bits), 10^38 (39 digits, 127 bits), 2^127 (128).
		{decimal.NewFromBigInt(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 126), big.NewInt(1)), 0), true},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 126), 0), true},
		{decimal.NewFromBigInt(new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil), big.NewInt(1)), -5), true},
		{decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil), 0), false},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 127), 0), false},
		{decimal.NewFromBigInt(new(big.Int).Neg(new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)), 0), false},
	} {
		err := Decimal("level", "gmv", tt.d)
		if (err == nil) != tt.ok {
			t.Errorf("Decimal(e%d, %d digits) = %v, want ok %t", tt.d.Exponent(), tt.d.NumDigits(), err, tt.ok)
		}
	}
	var sink error
	if a := testing.AllocsPerRun(100, func() { sink = Decimal("x", "y", decimal.New(25, -1)) }); a != 0 {
		t.Errorf("an in-bounds decimal allocates %v times", a)
	}
	_ = sink
}

// TestCoefficientBits pins the layout CoefficientBits reads against decimal's own Coefficient.
func TestCoefficientBits(t *testing.T) {
	for _, s := range []string{"0", "1", "-7.25", "123456789012345678901234567890", "1e20", "-1e-10"} {
		d := decimal.RequireFromString(s)
		if got, want := CoefficientBits(d), d.Coefficient().BitLen(); got != want {
			t.Errorf("CoefficientBits(%s) = %d, want %d", s, got, want)
		}
	}
	if CoefficientBits(decimal.Decimal{}) != 0 {
		t.Error("the zero Decimal")
	}
	// A coefficient of a million digits is refused by its size, without counting digits.
	huge := decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(1_000_000), nil), 0)
	if err := Decimal("x", "y", huge); !errors.Is(err, affrules.ErrOutOfRange) {
		t.Errorf("a million-digit coefficient: %v", err)
	}
}

func TestID(t *testing.T) {
	for id, want := range map[string]string{
		"shop-1":                     "",
		"店铺/1 ✓":                     "",
		strings.Repeat("x", MaxID):   "",
		"":                           `campaign: campaign.id "": must not be empty`,
		strings.Repeat("x", MaxID+1): "campaign: campaign.id 257 bytes: must be at most 256 bytes",
		"a\x00b":                     `campaign: campaign.id "a\x00b": must be UTF-8 text without ASCII control characters`,
		"a\xffb":                     `campaign: campaign.id "a\xffb": must be UTF-8 text without ASCII control characters`,
		"tab\tin":                    `campaign: campaign.id "tab\tin": must be UTF-8 text without ASCII control characters`,
		"del\x7f":                    `campaign: campaign.id "del\x7f": must be UTF-8 text without ASCII control characters`,
		"c1\u0080":                   "",
		"c1\u0085":                   "",
		"c1\u009f":                   "",
		"nbsp\u00a0é":                "",
	} {
		err := ID("campaign", "campaign.id", id)
		if (err == nil) != (want == "") || (err != nil && err.Error() != want) || IDOK(id) != (want == "") {
			t.Errorf("ID(%q) = %v, want %q", id, err, want)
		}
	}
}

// Next keeps an instant before MaxInstant and drops one at or after it: no decision announces
// an instant at which every evaluator refuses to be called (MKT-5).
func TestNext(t *testing.T) {
	last := MaxInstant.Add(-time.Nanosecond)
	if got := Next(last); !got.Equal(last) {
		t.Errorf("Next(%v) = %v", last, got)
	}
	for _, t2 := range []time.Time{MaxInstant, MaxInstant.Add(time.Nanosecond), time.Unix(0, math.MaxInt64)} {
		if got := Next(t2); !got.IsZero() {
			t.Errorf("Next(%v) = %v, want the zero time", t2, got)
		}
	}
}

// A window ending a nanosecond before MaxInstant can be reached; one ending at it or later is a
// FieldError naming the field, the instant that opens it and why it matters.
func TestReaches(t *testing.T) {
	at := MaxInstant.Add(-7 * 24 * time.Hour)
	if err := Reaches("pkg", "f", at, MaxInstant.Add(-time.Nanosecond), "its window of %d days", 7, "x"); err != nil {
		t.Errorf("a window ending before the bound: %v", err)
	}
	for _, due := range []time.Time{MaxInstant, MaxInstant.Add(time.Hour)} {
		err := Reaches("pkg", "f", at, due, "its window of %d days", 7, "it could never close (R-1)")
		var fe *affrules.FieldError
		if !errors.As(err, &fe) || !errors.Is(err, affrules.ErrOutOfRange) {
			t.Fatalf("due %v: %v, want a FieldError wrapping ErrOutOfRange", due, err)
		}
		for _, part := range []string{"pkg: f " + at.Format(time.RFC3339Nano), "its window of 7 days would end at " + due.Format(time.RFC3339Nano), "it could never close (R-1)"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%q does not say %q", err, part)
			}
		}
	}
}

// A policy's category keys: empty, not UTF-8 text (or holding what a JSON decoder makes of
// bytes that are not), padded with spaces, or differing only in case from an earlier key are
// each named; distinct clean keys are not.
func TestCategories(t *testing.T) {
	got := Categories([]string{"", " fmcg", "Electronics", "electronics", "fashion", "fmcg", "life\u0007style", "pets\ufffd"})
	want := map[string]string{
		"":                "must not be empty",
		" fmcg":           "spaces around it",
		"electronics":     `differs only in case from "Electronics"`,
		"life\u0007style": "without control characters",
		"pets\ufffd":      "without control characters",
	}
	if len(got) != len(want) {
		t.Fatalf("Categories = %q, want problems for %d keys", got, len(want))
	}
	for k, part := range want {
		if !strings.Contains(got[k], part) {
			t.Errorf("key %q: %q, want it to say %q", k, got[k], part)
		}
	}
	if got := Categories([]string{"electronics", "fashion"}); got != nil {
		t.Errorf("clean keys: %q", got)
	}
}
