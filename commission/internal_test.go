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

// COM-10: peak, by the keys a book computes once or entry by entry between tier thresholds,
// finds the latest entry at the highest rate of a window, as a plain scan of the entries does,
// on any history: rates up and down, shop-ads rates on some entries, tiers with thresholds that
// differ from entry to entry or none, orders on either side of them, with and without shop ads
// and the fallback.
func TestPeak(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "n")
		var p prepared
		thresholds := rapid.SliceOfN(rapid.Int64Range(0, 6), 1, 3).Draw(t, "thresholds") // 0: no tier
		from := rapid.Int64Range(-1e6, 1e6).Draw(t, "from")
		for range n {
			h := entry{from: from, rate: rapid.Int64Range(1, 20).Draw(t, "rate")}
			if rapid.Bool().Draw(t, "hasShopAds") {
				h.shopAds = rapid.Int64Range(1, 20).Draw(t, "shopAds")
			}
			if h.threshold = rapid.SampledFrom(thresholds).Draw(t, "threshold"); h.threshold != 0 {
				h.tier = rapid.Int64Range(1, 20).Draw(t, "tier")
			}
			p.hist = append(p.hist, h)
			from += rapid.Int64Range(1, 10).Draw(t, "gap")
		}
		p.index()
		cur := rapid.IntRange(0, n-1).Draw(t, "cur")
		lo := rapid.Int64Range(p.froms[0]-3, p.froms[cur]+1).Draw(t, "lo")
		count := rapid.Int64Range(1, 8).Draw(t, "count")
		shopAds := rapid.Bool().Draw(t, "shopAds")
		strict := shopAds && rapid.Bool().Draw(t, "strict")
		pays := func(h *entry) int64 {
			switch {
			case shopAds && h.shopAds != 0:
				return h.shopAds
			case strict:
				return -1
			case h.threshold != 0 && count >= h.threshold:
				return h.tier
			}
			return h.rate
		}
		wantBest, wantU := cur, pays(&p.hist[cur])
		for j := cur - 1; j >= 0; j-- {
			if p.froms[j+1] <= lo {
				break
			}
			if u := pays(&p.hist[j]); u > wantU {
				wantBest, wantU = j, u
			}
		}
		best, u := p.peak(cur, lo, count, shopAds, strict, pays(&p.hist[cur]))
		if u != wantU || (u >= 0 && best != wantBest) {
			t.Fatalf("peak(%d, %d, count %d, shop ads %t, strict %t) = %d, %d; want %d, %d", cur, lo, count, shopAds, strict, best, u, wantBest, wantU)
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
