package collabplus_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/collabplus"
)

// rankBench is one challenge of 100,000 members, each scored, with the same scores in the plain
// form the floor ranks.
type rankBench struct {
	c      collabplus.Collaboration
	scores []collabplus.Score
	plain  []plainScore
}

// plainScore is a score as a hand-written ranking would hold it: GMV in pence, the instant in
// Unix nanoseconds.
type plainScore struct {
	creator   string
	pence     int64
	reached   int64
	qualified bool
}

// rankBenches returns four challenges of 100,000 scores each, built once. Four, not the usual
// 1,024 cases: each is 100,000 varied scores already, and 1,024 of them would not fit in
// memory. Scores are GMV from 0 to 20,000.00 GBP, whole pounds for a third of them (so equal
// values are written with different exponents), drawn from 40,000 distinct pence values so a
// value is shared by two or three creators on average; instants are whole minutes, so some
// ties go on to creator IDs; one creator in ten is not qualified; members join in a shuffled
// order. Tiers reward ranks 1, 2–10, 11–100 and 101–1,000.
var rankBenches = sync.OnceValue(func() []rankBench {
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([]rankBench, 4)
	for k := range out {
		const n = 100_000
		c := challengeCollab()
		c.Preferences.Tiers = []collabplus.RankTier{{To: 1, Reward: dec("1000.00")}, {To: 10, Reward: dec("200.00")}, {To: 100, Reward: dec("50.00")}, {To: 1000, Reward: dec("10.00")}}
		c.Members = make([]collabplus.Member, n)
		scores := make([]collabplus.Score, n)
		plain := make([]plainScore, n)
		for i, j := range rng.Perm(n) {
			id := fmt.Sprintf("cr-%d-%06d", k, j)
			c.Members[i] = collabplus.Member{Creator: id, Joined: rewardPeriod.Start}
		}
		for i, j := range rng.Perm(n) {
			id := c.Members[j].Creator
			pence := rng.Int64N(40_000) * 50
			v := decimal.New(pence, -2)
			if rng.IntN(3) == 0 {
				pence -= pence % 100
				v = decimal.New(pence/100, 0)
			}
			reached := ukAt(2, 0, 0).Add(time.Duration(rng.IntN(19*24*60)) * time.Minute)
			q := rng.IntN(10) > 0
			scores[i] = collabplus.Score{Creator: id, Value: v, Reached: reached, Qualified: q}
			plain[i] = plainScore{creator: id, pence: pence, reached: reached.UnixNano(), qualified: q}
		}
		out[k] = rankBench{c: c, scores: scores, plain: plain}
	}
	return out
})

// CP-6: ranking 100,000 scores, cycling through the four challenges.
func BenchmarkRank100k(b *testing.B) {
	cases := rankBenches()
	e := moneyEval(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		bc := &cases[i%len(cases)]
		rs, err := e.Rank(bc.c, bc.scores)
		if err != nil || len(rs) != 1000 {
			b.Fatal(len(rs), err)
		}
	}
}

// The floor: the same ranking written by hand on plain integers, with no validation and no
// decimals, but the same membership check, filter, sort and tiers.
func BenchmarkRank100kFloor(b *testing.B) {
	cases := rankBenches()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		bc := &cases[i%len(cases)]
		if rs := plainRank(bc.c, bc.plain); len(rs) != 1000 {
			b.Fatal(len(rs))
		}
	}
}

// plainRank ranks members' qualified scores by pence, then earlier instant, then creator ID,
// and rewards the ranks the tiers cover.
func plainRank(c collabplus.Collaboration, scores []plainScore) []collabplus.Reward {
	members := make(map[string]bool, len(c.Members))
	for _, m := range c.Members {
		members[m.Creator] = false
	}
	ranked := make([]*plainScore, 0, len(scores))
	for i := range scores {
		s := &scores[i]
		if seen, ok := members[s.creator]; !ok || seen {
			return nil
		}
		members[s.creator] = true
		if s.qualified {
			ranked = append(ranked, s)
		}
	}
	slices.SortFunc(ranked, func(a, b *plainScore) int {
		if c := cmp.Compare(b.pence, a.pence); c != 0 {
			return c
		}
		if c := cmp.Compare(a.reached, b.reached); c != 0 {
			return c
		}
		return strings.Compare(a.creator, b.creator)
	})
	tiers := c.Preferences.Tiers
	out := make([]collabplus.Reward, 0, tiers[len(tiers)-1].To)
	t := 0
	for r, s := range ranked {
		for t < len(tiers) && tiers[t].To < r+1 {
			t++
		}
		if t == len(tiers) {
			break
		}
		out = append(out, collabplus.Reward{Creator: s.creator, Amount: tiers[t].Reward, Due: c.Preferences.Period.End, Rank: r + 1})
	}
	return out
}

// The benchmark's rankings agree with the floor's.
func TestRankBenchAgreesWithFloor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 400,000 scores")
	}
	e := moneyEval(t)
	for _, bc := range rankBenches()[:1] {
		got, err := e.Rank(bc.c, bc.scores)
		if err != nil {
			t.Fatal(err)
		}
		want := plainRank(bc.c, bc.plain)
		if len(got) != len(want) {
			t.Fatalf("%d rewards, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Creator != want[i].Creator || got[i].Rank != want[i].Rank || !got[i].Amount.Equal(want[i].Amount) {
				t.Fatalf("reward %d: %+v, want %+v", i, got[i], want[i])
			}
		}
	}
}

// CP-6: ranking builds no error text for scores without a problem and keeps one map of the
// members, so its allocations are not one or more per score: 100,000 scores take under 1,000
// (a large map is held in many tables), where 1,000 take a few dozen.
func TestRankAllocationsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("ranks 100,000 scores")
	}
	e := moneyEval(t)
	bc := &rankBenches()[0]
	joined := make(map[string]collabplus.Member, len(bc.c.Members))
	for _, m := range bc.c.Members {
		joined[m.Creator] = m
	}
	small := bc.c
	small.Members = nil
	scores := bc.scores[:1000]
	for _, s := range scores {
		small.Members = append(small.Members, joined[s.Creator])
	}
	count := func(c collabplus.Collaboration, scores []collabplus.Score) float64 {
		return testing.AllocsPerRun(2, func() {
			if _, err := e.Rank(c, scores); err != nil {
				t.Fatal(err)
			}
		})
	}
	few, many := count(small, scores), count(bc.c, bc.scores)
	if many >= float64(len(bc.scores))/100 {
		t.Fatalf("Rank: %v allocations for %d scores, %v for %d: they grow with the scores", many, len(bc.scores), few, len(scores))
	}
}
