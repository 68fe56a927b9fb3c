package invitation

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/affrules/affrules"
)

// benchLedger is a Memory ledger filled with a week of invitations, shared by the runs of one
// benchmark (its setup takes seconds).
type benchLedger struct {
	m          *Memory
	q          Quota
	accounts   []Account
	creatorIDs string // the creators' IDs, creatorIDLen bytes each, one after the other
	creators   int
	clock      atomic.Int64 // ns; advanced by every run
	step       int64        // simulated ns between two reservations, over all goroutines
	bytesEntry float64
	live       int
}

var benchContacts = []Contact{{Channel: affrules.Email, Value: "team@agency.example.com"}}

// creatorIDLen is the length of the benchmark's creator IDs, "c-0000000" to "c-9999999".
const creatorIDLen = 9

// creator returns the ID of creator i: a substring of one contiguous arena (setup only).
func (bl *benchLedger) creator(i int) string {
	return bl.creatorIDs[i*creatorIDLen : (i+1)*creatorIDLen]
}

// idDecoder writes creator IDs as a request decoder would: each into new memory, so that the ID
// is in the cache when Reserve reads it, and never written again, since the ledger keeps it. It
// takes memory in chunks of idChunk bytes, one allocation per 7,000 IDs, instead of one per ID.
type idDecoder struct{ buf []byte }

const idChunk = 64 << 10

// decode returns the ID of creator i, "c-" and seven digits, in new memory.
func (d *idDecoder) decode(i int) string {
	if cap(d.buf)-len(d.buf) < creatorIDLen {
		d.buf = make([]byte, 0, idChunk)
	}
	n := len(d.buf)
	d.buf = d.buf[:n+creatorIDLen]
	id := d.buf[n:]
	id[0], id[1] = 'c', '-'
	for j := creatorIDLen - 1; j >= 2; j-- {
		id[j] = byte('0' + i%10)
		i /= 10
	}
	return unsafe.String(&id[0], creatorIDLen)
}

// invitation returns an invitation to creator id, built on the stack as a request handler would.
func (bl *benchLedger) invitation(id string) Invitation {
	return Invitation{Market: affrules.ID, CreatorID: id, Username: id, Nickname: id, Purpose: ProductDistribution, Message: "Hello from the benchmark.", Contacts: benchContacts}
}

func newBenchLedger(b *testing.B, accounts, creators int) *benchLedger {
	markets := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG}
	bl := &benchLedger{accounts: make([]Account, accounts), creators: creators}
	for i := range bl.accounts {
		bl.accounts[i] = Account{ID: fmt.Sprintf("acct-%05d", i), HomeMarket: markets[i%len(markets)], Partner: true}
	}
	ids := make([]byte, 0, creators*creatorIDLen)
	for i := range creators {
		ids = fmt.Appendf(ids, "c-%07d", i)
	}
	bl.creatorIDs = string(ids)
	p := DefaultPolicy().Quota
	bl.q = p
	// Capacity is accounts×DailyLimit invitations a day; the clock runs at that rate.
	bl.step = int64(24*time.Hour) / int64(accounts*p.DailyLimit)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	// The goroutines' instants drift apart by up to maxDrift calls (see runReserve): the
	// lateness bound covers that and a quarter more, so that no call is refused as too late
	// (7 minutes for the large ledger, 12 hours, the most, for the small one).
	late := time.Duration(bl.step) * maxDrift * 5 / 4
	m := NewMemory(KeepHistory(affrules.Days(p.RepeatWindowDays)), AllowLate(late))
	bl.m = m
	// Eight full days, every account sending its 100 a day to random creators, so that the
	// window has rolled over once and the ledger is in its steady state (tables resized, history
	// recycled) when its memory is measured.
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	const days = 8
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for d := range days {
				for i := range p.DailyLimit {
					for a := w; a < accounts; a += workers {
						at := start + int64(d)*int64(24*time.Hour) + int64(i*accounts+a)*bl.step
						if _, _, err := m.Reserve(context.Background(), p, bl.accounts[a], bl.invitation(bl.creator(rng.IntN(creators))), time.Unix(0, at)); err != nil {
							panic(err)
						}
					}
				}
			}
		})
	}
	wg.Wait()
	bl.clock.Store(start + days*int64(24*time.Hour))
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	bl.live = m.liveEntries()
	bl.bytesEntry = float64(after.HeapAlloc-before.HeapAlloc) / float64(bl.live)
	return bl
}

// liveEntries returns the number of last-invitation instants within the repeat window that the
// ledger holds (INV-3 state).
func (m *Memory) liveEntries() int {
	st := m.load()
	n := 0
	for i := range st.shards {
		s := &st.shards[i]
		s.mu.Lock()
		for _, acc := range s.list {
			n += acc.last.live(acc.latest - acc.keep)
		}
		s.mu.Unlock()
	}
	return n
}

var (
	largeOnce sync.Once
	large     *benchLedger
)

// BenchmarkReserveParallel measures Memory.Reserve under b.RunParallel with 10,000 accounts and
// 1,000,000 creators after eight full days (about 7 million live entries; history kept for the
// 7-day window only, so there is about one history record per live entry). The simulated clock
// runs at the ledger's capacity (a day per 1,000,000 reservations), so days roll over, quotas
// refuse some calls and pruning runs as in steady operation.
func BenchmarkReserveParallel(b *testing.B) {
	largeOnce.Do(func() { large = newBenchLedger(b, 10_000, 1_000_000) })
	runReserve(b, large)
}

// BenchmarkReserveParallelSmall is the same on 100 accounts and 10,000 creators, quick to set up.
func BenchmarkReserveParallelSmall(b *testing.B) {
	runReserve(b, newBenchLedger(b, 100, 10_000))
}

// maxDrift is how many calls of the simulated clock a goroutine of runReserve may fall behind
// the others before it skips ahead.
const maxDrift = 4096

func runReserve(b *testing.B, bl *benchLedger) {
	ctx := context.Background()
	base := bl.clock.Load()
	// The goroutines draw instants in blocks from one counter, so that they stay within a block
	// of each other and no account sees its clock go backwards by more than that; a goroutine
	// held up while the others drew maxDrift more (a goroutine descheduled on a busy machine)
	// skips to a new block, so that its instants stay well within the lateness bound (4,096
	// calls are 9.8 hours of the small benchmark's clock, 6 minutes of the large one's).
	const block = 256
	var admitted, late, seed, ticks atomic.Int64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(uint64(seed.Add(1)), uint64(base)))
		var ids idDecoder
		var tick, end, ok, tooLate int64
		for pb.Next() {
			if tick == end || ticks.Load()-tick > maxDrift {
				end = ticks.Add(block)
				tick = end - block
			}
			at := time.Unix(0, base+tick*bl.step)
			tick++
			_, d, err := bl.m.Reserve(ctx, bl.q, bl.accounts[rng.IntN(len(bl.accounts))], bl.invitation(ids.decode(rng.IntN(bl.creators))), at)
			switch {
			case errors.Is(err, ErrTooLate):
				// A goroutine held up between drawing its instant and reserving for more than
				// the lateness bound: counted, not an error.
				tooLate++
			case err != nil:
				b.Error(err)
				return
			case d.Allowed:
				ok++
			}
		}
		admitted.Add(ok)
		late.Add(tooLate)
	})
	b.StopTimer()
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&after)
	bl.clock.Store(base + (ticks.Load()+1)*bl.step)
	// The exact allocation rate, which the built-in allocs/op would round down: refusals
	// allocate their reasons (see BenchmarkReserveRefused).
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "exact-allocs/op")
	b.ReportMetric(bl.bytesEntry, "B/entry")
	b.ReportMetric(float64(bl.live), "entries")
	b.ReportMetric(100*float64(admitted.Load())/float64(b.N), "%admitted")
	b.ReportMetric(100*float64(late.Load())/float64(b.N), "%late")
	// The process's CPU time per call, all threads: on a shared machine it moves less than the
	// wall time, which counts the time other processes hold the cores.
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkReserveRefused measures a refusal (INV-3): the same creator invited again within the
// window. A refusal allocates its decision's reasons (INV-3: the slice only; INV-2 also the
// day's text).
func BenchmarkReserveRefused(b *testing.B) {
	m := NewMemory()
	q := DefaultPolicy().Quota
	ctx := context.Background()
	a := Account{ID: "acct-refused", HomeMarket: affrules.ID, Partner: true}
	inv := (&benchLedger{}).invitation("c-0000001")
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if _, d, err := m.Reserve(ctx, q, a, inv, t0); err != nil || !d.Allowed {
		b.Fatal(d, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, d, _ := m.Reserve(ctx, q, a, inv, t0.Add(time.Hour)); d.Allowed {
			b.Fatal("admitted")
		}
	}
}

// BenchmarkCheck measures the pure quota rule on an allowed invitation within the counted day.
func BenchmarkCheck(b *testing.B) {
	p := DefaultPolicy().Quota
	loc, _ := time.LoadLocation("Asia/Jakarta")
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	u := Usage{Day: affrules.DayOf(t0, loc), Count: 3, Last: t0.Add(-8 * 24 * time.Hour)}
	b.ReportAllocs()
	for b.Loop() {
		p.Check(loc, u, t0)
	}
}

// BenchmarkHistoryPages pages through an account's n invitations (INV-9), 50 a page, each page
// from the cursor the one before it gave: the walk passes over the records above the cursor
// without building them.
func BenchmarkHistoryPages(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1_000, 10_000} {
		m := NewMemory(KeepHistory(400 * 24 * time.Hour))
		q := Quota{DailyLimit: 100, RepeatWindowDays: 7}
		a := Account{ID: "acct", HomeMarket: affrules.ID, Partner: true}
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			inv := (&benchLedger{}).invitation(fmt.Sprintf("c-%07d", i))
			at := start.AddDate(0, 0, i/100).Add(time.Duration(i%100) * 10 * time.Minute)
			if _, d, err := m.Reserve(ctx, q, a, inv, at); err != nil || !d.Allowed {
				b.Fatal(d, err)
			}
		}
		b.Run(fmt.Sprint("records=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, query := 0, Query{Account: "acct", Limit: 50}
				for {
					p, err := m.History(ctx, query)
					if err != nil {
						b.Fatal(err)
					}
					if got += len(p.Records); p.Next == 0 {
						break
					}
					query.Before = p.Next
				}
				if got != n {
					b.Fatal(got)
				}
			}
		})
	}
}
