package collabplus_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/level"
)

const lcBenchCases = 1024 // inputs each benchmark cycles through, one seller each

// lcBenchAt is the instant the benchmarks act at: 20 February 2026, 10:00 in Bangkok.
var lcBenchAt = lcDate(2, 20, 10)

// lcBenchSeller returns seller i's record for the benchmarks, as of lcBenchAt: 10 creator
// groups, a blocklist of 40 changes, recent submissions (in the last 30 calendar days, paid or
// left to expire) and 0–20 older ones, each with its collaboration, and draft "new" to submit.
func lcBenchSeller(rng *rand.Rand, i, recent int) collabplus.Seller {
	id := fmt.Sprintf("shop-%04d", i)
	s, err := lcEval.NewSeller(id, affrules.TH, lcDate(1, 1, 0).AddDate(-1, 0, 0))
	if err != nil {
		panic(err)
	}
	for g := range 10 {
		s.Groups = append(s.Groups, collabplus.Group{ID: fmt.Sprintf("g%d", g), MinLevel: level.Level(g % 5), ContentTypes: []string{"video", "live"}})
	}
	for k := range 40 {
		s.Blocklist = append(s.Blocklist, collabplus.Block{Creator: fmt.Sprintf("creator-%03d", rng.IntN(500)), Blocked: k%3 != 2,
			At: s.Updated.Add(time.Duration(k) * 24 * time.Hour)})
	}
	period := lcDays(lcDate(6, 1, 0), 14)
	var at []time.Time
	for range rng.IntN(21) { // older: 30 to 400 days ago
		at = append(at, lcBenchAt.Add(-time.Duration(30*24+rng.IntN(370*24))*time.Hour))
	}
	for range recent { // in the window: today or up to 29 days before
		at = append(at, lcBenchAt.Add(-time.Duration(rng.IntN(29*24))*time.Hour))
	}
	slices.SortFunc(at, time.Time.Compare)
	for k, t := range at {
		c := collabplus.Collaboration{ID: fmt.Sprintf("c%02d", k), Market: affrules.TH, Preferences: lcTask(period)}
		c.Preferences.Group = "g0"
		g := s.Groups[0]
		c.Group = &g
		c.Events = append(c.Events, collabplus.Event{Kind: collabplus.Submitted, At: t, Due: t.Add(24 * time.Hour)})
		if k%3 != 0 {
			c.Events = append(c.Events, collabplus.Event{Kind: collabplus.PaidEvent, At: t.Add(time.Hour), Method: "credit_card"})
		}
		s.Collaborations = append(s.Collaborations, c)
		s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: c.ID, At: t})
	}
	draft := lcTask(period)
	draft.Group = "g3"
	s.Collaborations = append(s.Collaborations, collabplus.Collaboration{ID: "new", Market: affrules.TH, Preferences: draft})
	s.Updated = lcBenchAt.Add(-time.Hour)
	return s
}

// lcBenchStore returns a Memory store holding the sellers. Their histories are built by hand,
// which Create refuses, so they are seeded.
func lcBenchStore(b *testing.B, sellers []collabplus.Seller) *collabplus.Memory {
	b.Helper()
	m := collabplus.NewMemory()
	for _, s := range sellers {
		m.Seed(s)
	}
	return m
}

// lcSubmitSellers returns the 1,024 sellers of BenchmarkSubmit: 0–5 submissions in the window,
// equally often, so five in six submissions are admitted and one in six refused by the quota
// (CP-3).
func lcSubmitSellers() []collabplus.Seller {
	rng := rand.New(rand.NewPCG(3, 30))
	out := make([]collabplus.Seller, lcBenchCases)
	for i := range out {
		out[i] = lcBenchSeller(rng, i, i%6)
	}
	return out
}

// BenchmarkSubmit submits a collaboration through the Memory store (CP-2, CP-3, CP-7, CP-8,
// CP-17, ELG-9), over 1,024 sellers with 0–5 submissions in the quota's window and up to 20
// older ones. The store is filled again, off the clock, after each 1,024.
func BenchmarkSubmit(b *testing.B) {
	sellers := lcSubmitSellers()
	facts := make([]collabplus.Action, len(sellers))
	for i, s := range sellers {
		f := lcFacts([]string{lcProduct})
		f.Eligibility[0].ShopID = s.ID
		facts[i] = collabplus.Submit("new", f)
	}
	ctx := context.Background()
	m := lcBenchStore(b, sellers)
	b.ReportAllocs()
	i, refused := 0, 0
	for b.Loop() {
		if i > 0 && i%lcBenchCases == 0 {
			b.StopTimer()
			m = lcBenchStore(b, sellers)
			b.StartTimer()
		}
		k := i % lcBenchCases
		if _, err := m.Apply(ctx, lcEval, sellers[k].ID, facts[k], lcBenchAt); err != nil {
			refused++
		}
		i++
	}
	if d := refused - i/6; d < -(i/50+2) || d > i/50+2 {
		b.Fatalf("%d of %d refused, want about one in six", refused, i)
	}
}

// BenchmarkQuotaFloor is the floor of BenchmarkSubmit's rule: a plain count of the seller's
// submissions in the 30 calendar days to the instant, with the window's first instant computed
// once, over the same 1,024 sellers; no store, no record copied.
func BenchmarkQuotaFloor(b *testing.B) {
	sellers := lcSubmitSellers()
	from := lcDate(2, 20-29, 0)
	atQuota := func(s *collabplus.Seller) bool {
		n := 0
		for _, sub := range s.Submissions {
			if !sub.At.Before(from) && !sub.At.After(lcBenchAt) {
				n++
			}
		}
		return n >= 5
	}
	if !slices.ContainsFunc(sellers, func(s collabplus.Seller) bool { return atQuota(&s) }) {
		b.Fatal("no seller at the quota")
	}
	b.ReportAllocs()
	i, refused := 0, 0
	for b.Loop() {
		if atQuota(&sellers[i%lcBenchCases]) {
			refused++
		}
		i++
	}
	lcSink = refused
}

// lcSink keeps a benchmark's result alive.
var lcSink int

// lcJoinCase is one join of BenchmarkJoin: a seller, the action and the instant.
type lcJoinCase struct {
	seller string
	a      collabplus.Action
}

// lcJoinSellers returns the 1,024 sellers of BenchmarkJoin, each with collaboration "live",
// paid and ongoing on 5 March, for group "full" (every condition CP-4 has), with 100 members,
// and the joins: about three in five accepted, the rest refused by the group, the blocklist
// (blocked before or after the publication), as members already, or by the state (joins before
// the start).
func lcJoinSellers() ([]collabplus.Seller, []lcJoinCase, time.Time) {
	rng := rand.New(rand.NewPCG(5, 50))
	period := lcDays(lcDate(3, 1, 0), 30)
	at := lcDate(3, 5, 12)
	sellers := make([]collabplus.Seller, lcBenchCases)
	cases := make([]lcJoinCase, lcBenchCases)
	for i := range sellers {
		s := lcBenchSeller(rng, i, rng.IntN(5))
		g := lcFullGroup()
		s.Groups = append(s.Groups, g)
		c := collabplus.Collaboration{ID: "live", Market: affrules.TH, Preferences: lcTask(period), Group: &g}
		c.Preferences.Group = g.ID
		c.Events = []collabplus.Event{{Kind: collabplus.Submitted, At: lcDate(2, 10, 9), Due: lcDate(2, 11, 9)},
			{Kind: collabplus.PaidEvent, At: lcDate(2, 10, 12), Method: "bank_transfer"}}
		for k := range 100 {
			c.Members = append(c.Members, collabplus.Member{Creator: fmt.Sprintf("member-%03d", k), Joined: period.Start.Add(time.Duration(k) * time.Hour)})
		}
		s.Collaborations = append(s.Collaborations, c)
		s.Updated = at.Add(-time.Hour)
		cr := lcFits(fmt.Sprintf("joiner-%04d", i))
		id := "live"
		switch k := rng.IntN(10); {
		case k == 6:
			cr.Level = level.L1 // outside the group
			cr.Attributes = map[string]string{"region": "east", "age": "1e-2000000000"}
		case k == 7:
			cr.ID = s.Blocklist[rng.IntN(len(s.Blocklist))].Creator // on the blocklist
			s.Blocklist = append(s.Blocklist, collabplus.Block{Creator: cr.ID, Blocked: true, At: lcDate(3, 1, 0)})
		case k == 8:
			cr.ID = fmt.Sprintf("member-%03d", rng.IntN(100)) // joined already
		case k == 9:
			id = "c00" // not ongoing: a collaboration of the log, paid or expired
			if !slices.ContainsFunc(s.Collaborations, func(c collabplus.Collaboration) bool { return c.ID == id }) {
				id = "new" // a draft
			}
		}
		sellers[i] = s
		cases[i] = lcJoinCase{seller: s.ID, a: collabplus.Join(id, cr)}
	}
	return sellers, cases, at
}

// BenchmarkJoin applies a join through the Memory store: the creator group's match (every
// condition of CP-4), the blocklist (CP-13) and the state (CP-7), over 1,024 sellers whose
// ongoing collaboration has 100 members; about three in five accepted. The store is filled again,
// off the clock, after each 1,024.
func BenchmarkJoin(b *testing.B) {
	sellers, cases, at := lcJoinSellers()
	ctx := context.Background()
	m := lcBenchStore(b, sellers)
	b.ReportAllocs()
	i, accepted := 0, 0
	for b.Loop() {
		if i > 0 && i%lcBenchCases == 0 {
			b.StopTimer()
			m = lcBenchStore(b, sellers)
			b.StartTimer()
		}
		k := &cases[i%lcBenchCases]
		if _, err := m.Apply(ctx, lcEval, k.seller, k.a, at); err == nil {
			accepted++
		}
		i++
	}
	if accepted < i/3 || accepted > 4*i/5 {
		b.Fatalf("%d of %d accepted, want about three in five", accepted, i)
	}
}

// BenchmarkJoinFloor is the floor of BenchmarkJoin's rule, written plainly over the same
// sellers: the state from the events, a scan of the members, the level range, the blocklist
// scanned from the publication; no store, no record copied, no reasons built.
func BenchmarkJoinFloor(b *testing.B) {
	sellers, _, at := lcJoinSellers()
	type floorCase struct {
		s     *collabplus.Seller
		c     int
		id    string
		level level.Level
	}
	rng := rand.New(rand.NewPCG(5, 51))
	cases := make([]floorCase, lcBenchCases)
	for i := range cases {
		s := &sellers[i]
		cases[i] = floorCase{s: s, c: len(s.Collaborations) - 1, id: fmt.Sprintf("creator-%03d", rng.IntN(500)), level: level.Level(rng.IntN(9))}
	}
	b.ReportAllocs()
	i, accepted := 0, 0
	for b.Loop() {
		k := &cases[i%lcBenchCases]
		c := &k.s.Collaborations[k.c]
		var paid time.Time
		for _, ev := range c.Events {
			if ev.Kind == collabplus.PaidEvent {
				paid = ev.At
			}
		}
		p := c.Terms().Period
		ok := !paid.IsZero() && !at.Before(p.Start) && at.Before(p.End)
		for _, m := range c.Members {
			ok = ok && m.Creator != k.id
		}
		ok = ok && k.level >= c.Group.MinLevel && (c.Group.MaxLevel == nil || k.level <= *c.Group.MaxLevel)
		for _, bl := range k.s.Blocklist {
			if bl.Creator == k.id && bl.Blocked && !bl.At.After(at) {
				ok = false
			}
		}
		if ok {
			accepted++
		}
		i++
	}
	_ = accepted
}

// CP-3: Quota finds the collaborations of the submissions in its window without indexing every
// collaboration the seller ever had: its allocations do not grow with the history.
func TestQuotaLongHistoryAllocs_CP3(t *testing.T) {
	period := lcDays(lcDate(6, 1, 0), 14)
	seller := func(old int) collabplus.Seller {
		s, err := lcEval.NewSeller("shop", affrules.TH, lcDate(1, 1, 0).AddDate(-30, 0, 0))
		require.NoError(t, err)
		for k := range old + 3 {
			at := lcBenchAt.Add(-time.Duration(old+3-k) * 24 * time.Hour) // one a day, the last 3 in the window
			if k < old {
				at = at.Add(-30 * 24 * time.Hour) // the older ones before it
			}
			c := collabplus.Collaboration{ID: fmt.Sprintf("c%05d", k), Market: affrules.TH, Preferences: lcTask(period)}
			c.Events = append(c.Events, collabplus.Event{Kind: collabplus.Submitted, At: at, Due: at.Add(24 * time.Hour)},
				collabplus.Event{Kind: collabplus.PaidEvent, At: at.Add(time.Hour), Method: "credit_card"})
			s.Collaborations = append(s.Collaborations, c)
			s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: c.ID, At: at})
		}
		return s
	}
	count := func(s collabplus.Seller) float64 {
		return testing.AllocsPerRun(10, func() {
			if d, err := lcEval.Quota(s, lcBenchAt); err != nil || !d.Allowed {
				t.Fatal(d, err)
			}
		})
	}
	few, many := count(seller(10)), count(seller(10_000))
	require.Equal(t, few, many, "allocations with 10 earlier collaborations, then 10,000")
}

// CP-3: past a few submissions in the window, Quota indexes the collaborations instead of
// searching for each: the states it reads are the same either way. Twelve recalled
// collaborations in the window, under a policy that does not count recalled ones, leave the
// quota free; counted, they fill it.
func TestQuotaManySubmissionsInWindow_CP3(t *testing.T) {
	period := lcDays(lcDate(6, 1, 0), 14)
	s, err := lcEval.NewSeller("shop", affrules.TH, lcDate(1, 1, 0).AddDate(-1, 0, 0))
	require.NoError(t, err)
	for k := range 12 {
		at := lcBenchAt.Add(-time.Duration(12-k) * time.Hour)
		c := collabplus.Collaboration{ID: fmt.Sprintf("c%02d", k), Market: affrules.TH, Preferences: lcTask(period)}
		c.Events = append(c.Events, collabplus.Event{Kind: collabplus.Submitted, At: at, Due: at.Add(24 * time.Hour)},
			collabplus.Event{Kind: collabplus.PaidEvent, At: at.Add(time.Minute), Method: "credit_card"},
			collabplus.Event{Kind: collabplus.RecalledEvent, At: at.Add(2 * time.Minute)})
		s.Collaborations = append(s.Collaborations, c)
		s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: c.ID, At: at})
	}
	p := collabplus.DefaultPolicy()
	p.QuotaCountsRecalled = false
	uncounted := collabplus.MustNew(p, lcCom)
	d, err := uncounted.Quota(s, lcBenchAt)
	require.NoError(t, err)
	require.True(t, d.Allowed, "recalled ones do not count: %v", d)
	d, err = lcEval.Quota(s, lcBenchAt)
	require.NoError(t, err)
	require.False(t, d.Allowed, "recalled ones count by default")
}

// BenchmarkQuotaMissingCollabs: n submissions in the window whose collaboration the record does
// not hold, beside n collaborations: after a few searches the collaborations are indexed once,
// so the cost is linear in n, not n².
func BenchmarkQuotaMissingCollabs(b *testing.B) {
	for _, n := range []int{1_000, 16_000} {
		s := collabplus.Seller{ID: "shop", Market: affrules.TH, Updated: lcBenchAt.Add(-time.Hour)}
		for k := range n {
			s.Collaborations = append(s.Collaborations, collabplus.Collaboration{ID: fmt.Sprintf("c%06d", k), Market: affrules.TH})
			s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: "missing", At: lcBenchAt.Add(-time.Duration(k+1) * time.Second)})
		}
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lcEval.Quota(s, lcBenchAt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
