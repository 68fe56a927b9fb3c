package invitation

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/affrules/affrules"
)

// Memory stays bounded when accounts come and go (issue 9): 60 simulated days in which 20,000
// new accounts a day send two invitations each and are never seen again, while 50 steady
// accounts send 100 a day, all to creators drawn from a million. History is kept for the 7-day
// window and the lead bound is 7 days, so an account idle for about two weeks is forgotten: the
// number of accounts held, the table slots and the heap reach a plateau within the first three
// weeks and stay there (before issue 9 they grew by about 14 MB a day). Under the race detector
// a tenth of the new accounts.
func TestMemoryBoundedAccountsComeAndGo(t *testing.T) {
	newPerDay := 20_000
	if raceEnabled || testing.Short() {
		newPerDay = 2_000
	}
	const (
		days     = 60
		steady   = 50
		creators = 1_000_000
	)
	ctx := context.Background()
	q := DefaultPolicy().Quota
	week := 7 * 24 * time.Hour
	m := NewMemory(KeepHistory(week), AllowAhead(week))
	rng := rand.New(rand.NewPCG(1, 2))
	creator := func() string { return "c" + strconv.Itoa(rng.IntN(creators)) }
	steadyAccounts := make([]Account, steady)
	for i := range steadyAccounts {
		steadyAccounts[i] = Account{ID: "steady-" + strconv.Itoa(i), HomeMarket: affrules.ID, Partner: true}
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	type sample struct {
		day             int
		accounts, slots int
		heap            uint64
	}
	var samples []sample
	perDay := 2*newPerDay + 100*steady
	step := 24 * time.Hour / time.Duration(perDay)
	admitted := 0
	for day := range days {
		n := 0
		at := func() time.Time {
			n++
			return t0.Add(time.Duration(day)*24*time.Hour + time.Duration(n)*step)
		}
		for i := range newPerDay {
			a := Account{ID: "d" + strconv.Itoa(day) + "-" + strconv.Itoa(i), HomeMarket: affrules.SG, Partner: true}
			for range 2 {
				inv := Invitation{Market: affrules.SG, CreatorID: creator(), Purpose: ProductDistribution, Message: "hi"}
				_, d, err := m.Reserve(ctx, q, a, inv, at())
				if err != nil {
					t.Fatal(err)
				}
				if d.Allowed {
					admitted++
				}
			}
		}
		for j := range 100 {
			for _, a := range steadyAccounts {
				inv := Invitation{Market: affrules.ID, CreatorID: creator(), Purpose: ProductDistribution, Message: "hi"}
				if _, d, err := m.Reserve(ctx, q, a, inv, at()); err != nil {
					t.Fatal(err, j)
				} else if d.Allowed {
					admitted++
				}
			}
		}
		if (day+1)%10 == 0 {
			s := sample{day: day + 1}
			st := m.load()
			for i := range st.shards {
				sh := &st.shards[i]
				s.accounts += len(sh.list)
				for _, acc := range sh.list {
					s.slots += len(acc.last.slots)
				}
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			s.heap = ms.HeapAlloc
			samples = append(samples, s)
			t.Logf("day %d: %d accounts held, %d table slots, heap %.1f MB", s.day, s.accounts, s.slots, float64(s.heap)/(1<<20))
		}
	}
	if admitted < days*perDay*9/10 {
		t.Errorf("%d of %d admitted: the test no longer fills the ledger", admitted, days*perDay)
	}
	// From day 20 on, a plateau: at most about 16 days of new accounts held (a week of
	// history, a week of lead, the days in between), the tables and the heap no larger than at
	// day 20, give or take 10 %.
	base := samples[1]
	for _, s := range samples[1:] {
		if s.accounts > 18*newPerDay+steady {
			t.Errorf("day %d: %d accounts held, want at most %d", s.day, s.accounts, 18*newPerDay+steady)
		}
		if s.accounts > base.accounts*11/10 || s.slots > base.slots*11/10 || s.heap > base.heap*11/10 {
			t.Errorf("day %d: %d accounts, %d slots, heap %d B; day %d: %d, %d, %d B: still growing", s.day, s.accounts, s.slots, s.heap, base.day, base.accounts, base.slots, base.heap)
		}
	}
}
