package commission

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/minor"
)

// search agrees with a plain scan on any strictly increasing history, evenly spaced or not,
// including instants far apart at the edges of int64.
func TestSearch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		froms := rapid.SliceOfDistinct(rapid.Int64(), rapid.ID[int64]).Draw(t, "froms")
		if rapid.Bool().Draw(t, "even") {
			step := rapid.Int64Range(1, 1e12).Draw(t, "step")
			start := rapid.Int64Range(-1e15, 1e15).Draw(t, "start")
			n := rapid.IntRange(0, 200).Draw(t, "n")
			froms = froms[:0]
			for i := range n {
				froms = append(froms, start+int64(i)*step)
			}
		}
		slices.Sort(froms)
		var probe int64
		if len(froms) > 0 && rapid.Bool().Draw(t, "near") {
			probe = froms[rapid.IntRange(0, len(froms)-1).Draw(t, "i")] + rapid.Int64Range(-2, 2).Draw(t, "d")
		} else {
			probe = rapid.Int64().Draw(t, "t")
		}
		want := -1
		for i, f := range froms {
			if f <= probe {
				want = i
			}
		}
		x := newTimeIndex(froms)
		if got := x.search(probe); got != want {
			t.Fatalf("search(%v, %d) = %d, want %d", froms, probe, got, want)
		}
	})
}

// COM-1: minorUnits' one-pass conversion of the usual amount agrees with the full checks
// (bounds.Decimal, the sign, minor.From and exactness) on any amount, at the edges of its fast
// path included: coefficients around 2^60, exponents at the bounds, scales up to 10^18.
func TestMinorUnitsFastPathAgrees(t *testing.T) {
	full := func(d decimal.Decimal, places int32) (int64, bool) {
		if bounds.Decimal(pkg, "x", d) != nil || d.Sign() < 0 {
			return 0, false
		}
		a, err := minor.From(d, places)
		if err != nil || !a.Exact {
			return 0, false
		}
		return a.Units, true
	}
	rapid.Check(t, func(t *rapid.T) {
		coef := rapid.OneOf(rapid.Int64(), rapid.Int64Range(1<<60-3, 1<<60+3), rapid.Int64Range(-1000, 1000)).Draw(t, "coef")
		exp := rapid.Int32Range(bounds.MinExponent-2, bounds.MaxExponent+2).Draw(t, "exp")
		places := rapid.Int32Range(0, 4).Draw(t, "places")
		d := decimal.New(coef, exp)
		got, err := minorUnits("x", d, places)
		want, ok := full(d, places)
		if (err == nil) != ok || err == nil && got != want {
			t.Fatalf("minorUnits(%s, %d) = %d, %v; the full checks give %d, ok %t", d, places, got, err, want, ok)
		}
	})
}
