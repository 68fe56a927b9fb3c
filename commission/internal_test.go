package commission

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
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
		if got := search(froms, probe); got != want {
			t.Fatalf("search(%v, %d) = %d, want %d", froms, probe, got, want)
		}
	})
}
