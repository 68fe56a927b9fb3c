package eligibility

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// The hot path's helpers at their boundaries. Their mistakes would mostly change speed, not
// answers (a two-letter code that misses the index is found by the scan), so they are pinned
// here, white-box, rather than left as mutants nothing notices.

func TestSmall(t *testing.T) {
	for _, tt := range []struct {
		d    string
		coef int64
		exp  int32
		ok   bool
	}{
		{"2.5", 25, -1, true},
		{"0", 0, 0, true},
		{"123456789012345678", 123456789012345678, 0, true},    // 18 digits
		{"1.23456789012345678", 123456789012345678, -17, true}, // 18 digits
		{"1234567890123456789", 0, 0, false},                   // 19 digits, above 2^60
		{"1152921504606846975", 1<<60 - 1, 0, true},            // 2^60 − 1
		{"1152921504606846976", 0, 0, false},                   // 2^60
		{"-2.5", 0, 0, false},                                  // negative: the slow path refuses it
	} {
		coef, exp, ok := small(decimal.RequireFromString(tt.d))
		if ok != tt.ok || ok && (coef != tt.coef || exp != tt.exp) {
			t.Errorf("small(%s) = %d, %d, %t; want %d, %d, %t", tt.d, coef, exp, ok, tt.coef, tt.exp, tt.ok)
		}
	}
}

func TestCmpSmall(t *testing.T) {
	for _, tt := range []struct {
		a      int64
		ae     int32
		b      int64
		be     int32
		want   int
		reason string
	}{
		{25, -1, 250, -2, 0, "equal at different exponents"},
		{25, -1, 251, -2, -1, "a remainder makes b larger"},
		{26, -1, 259, -2, 1, "quotient smaller"},
		{3, 0, 25, -1, 1, "3 > 2.5"},
		{2, 0, 25, -1, -1, "2 < 2.5"},
		{0, 0, 0, -5, 0, "zeros at any exponent"},
		{0, 3, 1, -5, -1, "zero against a positive"},
		{1, -5, 0, 3, 1, "a positive against zero"},
		{1, 0, 1, -18, 1, "k = 18: the largest power held"},
		{1, 0, 999999999999999999, -18, 1, "k = 18, eighteen nines"},
		{1, 0, 1, -19, 1, "k = 19: beyond pow10, without indexing it"},
		{1, 19, 999999999999999999, 0, 1, "k = 19 the other way"},
		{5, 0, 5, 0, 0, "equal"},
		{4, 0, 5, 0, -1, "less, same exponent"},
	} {
		if got := cmpSmall(tt.a, tt.ae, tt.b, tt.be); got != tt.want {
			t.Errorf("cmpSmall(%de%d, %de%d) = %d, want %d: %s", tt.a, tt.ae, tt.b, tt.be, got, tt.want, tt.reason)
		}
		if got := cmpSmall(tt.b, tt.be, tt.a, tt.ae); got != -tt.want {
			t.Errorf("cmpSmall(%de%d, %de%d) = %d, want %d (swapped): %s", tt.b, tt.be, tt.a, tt.ae, got, -tt.want, tt.reason)
		}
	}
}

// Up to 8 categories are looked up by a scan of e.few, more by the map.
func TestFewCategories(t *testing.T) {
	for _, n := range []int{8, 9} {
		th := SeedThresholds()
		for i := len(th.Categories); i < n; i++ {
			th.Categories[affrules.Category(fmt.Sprint("c", i))] = th.Categories[affrules.FMCG]
		}
		tl, err := affrules.NewTimeline(affrules.Effective[Thresholds]{Value: th})
		if err != nil {
			t.Fatal(err)
		}
		e := MustNew(Policy{affrules.PerMarket[Thresholds]{Default: tl}})
		if want := map[int]int{8: 8, 9: 0}[n]; len(e.few) != want {
			t.Errorf("%d categories: %d scanned, want %d", n, len(e.few), want)
		}
		if e.table(affrules.FMCG) == nil || e.table("c7") == nil || e.table("nope") != nil {
			t.Errorf("%d categories: lookup fails", n)
		}
	}
}

// inBounds is bounds.Instant's test, inlined: the same answer at every boundary.
func TestInBounds(t *testing.T) {
	lo := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{{}, lo.Add(-time.Nanosecond), lo, lo.Add(time.Nanosecond), hi.Add(-time.Nanosecond), hi, hi.Add(time.Nanosecond),
		time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", -12*3600)), time.Date(1900, 1, 1, 0, 0, 0, 0, time.FixedZone("y", 14*3600))} {
		want := !at.IsZero() && !at.Before(lo) && at.Before(hi)
		if inBounds(at) != want {
			t.Errorf("inBounds(%s) = %t, want %t", at, !want, want)
		}
	}
}

// ELG-2 in place: a rating of k decimal places compared with the minimum scaled to k places
// (minAt, rounded up) and with the greatest rating (maxRatingAt) answers as cmpSmall does, for
// minimums and ratings of any scale, at the boundaries of each.
func TestRatingInPlace(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		minCoef := rapid.OneOf(rapid.Int64Range(0, 100), rapid.Int64Range(0, 1<<60-1)).Draw(t, "minCoef")
		minExp := int32(rapid.IntRange(-28, 28).Draw(t, "minExp"))
		v := shopVersions([]affrules.Effective[Thresholds]{{Value: Thresholds{MinStoreRating: decimal.New(minCoef, minExp)}}})[0]
		k := rapid.IntRange(0, ratingPlaces).Draw(t, "places")
		var coef int64
		switch rapid.IntRange(0, 3).Draw(t, "near") {
		case 0:
			coef = rapid.Int64Range(0, 1<<60-1).Draw(t, "coef")
		case 1: // at and beside the minimum scaled to k places
			if v.minAt[k] < 0 {
				t.Skip("minimum out of range at this scale")
			}
			coef = max(0, v.minAt[k]+rapid.Int64Range(-1, 1).Draw(t, "delta"))
		default: // at and beside 5
			coef = max(0, maxRatingAt[k]+rapid.Int64Range(-1, 1).Draw(t, "delta5"))
		}
		exp := int32(-k)
		if got, want := coef > maxRatingAt[k], cmpSmall(coef, exp, 5, 0) > 0; got != want {
			t.Fatalf("%de%d above 5: in place %t, cmpSmall %t", coef, exp, got, want)
		}
		if v.minAt[k] >= 0 {
			if got, want := coef < v.minAt[k], cmpSmall(coef, exp, minCoef, minExp) < 0; got != want {
				t.Fatalf("%de%d below %de%d: in place %t (minAt %d), cmpSmall %t", coef, exp, minCoef, minExp, got, v.minAt[k], want)
			}
		}
	})
}
