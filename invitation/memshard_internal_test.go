package invitation

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// The shard's account index (open addressing with linear probing, backward-shift deletion): after
// any sequence of additions and removals, with hashes drawn from a few home slots so that probe
// chains collide and wrap around the end of the table, every account present is found, every
// account removed is not, and the list and the index agree. A broken shift would lose an
// account's quotas, so that it could invite again as if new.
func TestShardIndexAddRemove(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: defaultAhead})
		s := &st.shards[0]
		homes := rapid.IntRange(1, 40).Draw(t, "homes")
		hashOf := map[string]uint64{}
		var present []string
		check := func() {
			for id, h := range hashOf {
				got := s.account(h, id)
				if want := slices.Contains(present, id); (got != nil) != want || got != nil && got.id != id {
					t.Fatalf("account %s (hash %d): found %v, want present %t; index %d slots, %d listed", id, h, got != nil, want, len(s.index), len(s.list))
				}
			}
			if len(s.list) != len(present) {
				t.Fatalf("%d listed, want %d", len(s.list), len(present))
			}
			n := 0
			for _, e := range s.index {
				if e.acc != nil {
					n++
				}
			}
			if n != len(present) {
				t.Fatalf("%d in the index, want %d", n, len(present))
			}
		}
		steps := rapid.IntRange(1, 300).Draw(t, "steps")
		for i := range steps {
			if len(present) == 0 || rapid.IntRange(0, 2).Draw(t, "op") > 0 {
				id := fmt.Sprint("a", i)
				h := uint64(rapid.IntRange(0, homes-1).Draw(t, "home"))*shardCount + uint64(rapid.IntRange(0, shardCount-1).Draw(t, "low"))
				if _, err := s.add(h, Account{ID: id, HomeMarket: affrules.UK}); err != nil {
					t.Fatal(err)
				}
				hashOf[id] = h
				present = append(present, id)
			} else {
				id := rapid.SampledFrom(present).Draw(t, "remove")
				k := slices.IndexFunc(s.list, func(a *account) bool { return a.id == id })
				s.remove(st, k)
				present = slices.DeleteFunc(present, func(p string) bool { return p == id })
			}
			check()
		}
	})
}
