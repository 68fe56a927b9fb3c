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

// The same at the end of the smallest index, where probe chains wrap around to its start: seven
// accounts whose home slots are the last two and the first two of 16, removed in every order.
func TestShardIndexRemoveWrapping(t *testing.T) {
	homes := []uint64{14, 15, 15, 14, 0, 15, 1}
	var perm func(order []int, rest []int)
	perm = func(order []int, rest []int) {
		if len(rest) > 0 {
			for i := range rest {
				next := append(append([]int(nil), rest[:i]...), rest[i+1:]...)
				perm(append(order, rest[i]), next)
			}
			return
		}
		st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: defaultAhead})
		s := &st.shards[0]
		for i, home := range homes {
			if _, err := s.add(home*shardCount, Account{ID: fmt.Sprint("a", i), HomeMarket: affrules.UK}); err != nil {
				t.Fatal(err)
			}
		}
		if len(s.index) != 16 {
			t.Fatalf("index of %d slots, want 16", len(s.index))
		}
		gone := map[int]bool{}
		for _, r := range order {
			id := fmt.Sprint("a", r)
			s.remove(st, slices.IndexFunc(s.list, func(a *account) bool { return a.id == id }))
			gone[r] = true
			for i, home := range homes {
				if got := s.account(home*shardCount, fmt.Sprint("a", i)); (got == nil) != gone[i] {
					t.Fatalf("removing in the order %v: account a%d found %t after removing %v", order, i, got != nil, order[:len(gone)])
				}
			}
		}
	}
	perm(nil, []int{0, 1, 2, 3, 4, 5, 6})
}
