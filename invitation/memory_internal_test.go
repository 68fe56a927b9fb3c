package invitation

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// The last-invitation table against a map, with keys drawn so that many collide on their low bits
// (the probe start): stale slots are reused, chains cross rebuilds, and a live entry is never lost.
func TestTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tb table
		var scratch []slot
		model := map[uint64]int64{}
		now := int64(0)
		const window = 100
		t.Repeat(map[string]func(*rapid.T){
			"insert": func(t *rapid.T) {
				// Keys share their low 10 bits half of the time: one probe chain for every size.
				key := uint64(rapid.IntRange(1, 40).Draw(t, "k"))
				if rapid.Bool().Draw(t, "collide") {
					key <<= 10
				}
				cut := now - window
				tb.reserve(cut, &scratch)
				if tb.used >= len(tb.slots) {
					t.Fatalf("no empty slot after reserve: used %d of %d", tb.used, len(tb.slots))
				}
				i, at, ok := tb.find(key, cut)
				wat, wok := model[key]
				wok = wok && wat > cut
				if ok != wok || ok && at != wat {
					t.Fatalf("find(%d) = %d, %v; want %d, %v", key, at, ok, wat, wok)
				}
				tb.set(i, key, now)
				model[key] = now
			},
			"advance": func(t *rapid.T) {
				now += int64(rapid.IntRange(0, 60).Draw(t, "d"))
			},
			"check": func(t *rapid.T) {
				cut := now - window
				seen := map[uint64]bool{}
				used := 0
				for _, s := range tb.slots {
					if s.key == 0 {
						continue
					}
					used++
					if seen[s.key] {
						t.Fatalf("key %d twice", s.key)
					}
					seen[s.key] = true
				}
				if used != tb.used {
					t.Fatalf("used %d, counted %d", tb.used, used)
				}
				live := 0
				for k, at := range model {
					if at > cut {
						live++
						if !seen[k] {
							t.Fatalf("live key %d lost", k)
						}
					}
				}
				if live != tb.live(cut) {
					t.Fatalf("live %d, table says %d", live, tb.live(cut))
				}
			},
		})
	})
}

// History before 1970 (negative nanoseconds) is kept like any other, and a retention longer than
// the instants allow does not overflow.
func TestMemoryEarlyInstants(t *testing.T) {
	ctx := context.Background()
	for _, keep := range []time.Duration{0, math.MaxInt64} {
		m := NewMemory(KeepHistory(keep))
		q := DefaultPolicy().Quota
		a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
		t0 := time.Date(1901, 1, 2, 10, 0, 0, 0, time.UTC)
		for i := range 300 {
			at := t0.Add(time.Duration(i) * time.Hour)
			if _, d, err := m.Reserve(ctx, q, a, Invitation{Market: affrules.UK, CreatorID: fmt.Sprint("c", i), Purpose: ProductDistribution, Message: "hi"}, at); err != nil || !d.Allowed {
				t.Fatal(d, err)
			}
		}
		page, err := m.History(ctx, Query{Account: "a", Limit: 1000})
		if err != nil || len(page.Records) != 300 {
			t.Fatalf("keep %s: %d records, %v; want 300", keep, len(page.Records), err)
		}
	}
}

// checkSeqs checks that the first page of q holds the records numbered want, up to its size.
func checkSeqs(t *rapid.T, l *Memory, q Query, want []int64) {
	page, err := l.History(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, r := range page.Records {
		got = append(got, r.Seq)
	}
	want = want[:min(len(want), q.PageSize())]
	if !slices.Equal(got, want) {
		t.Fatalf("%+v: %v, want %v", q, got, want)
	}
}

// shard returns the shard of account id.
func (m *Memory) shard(id string) *shard {
	s, _ := m.load().locate(id)
	return s
}

// accountOf returns the state of account id, or nil; it takes the shard's lock.
func (m *Memory) accountOf(id string) *account {
	s, h := m.load().locate(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account(h, id)
}

// checkIndex checks that every shard's index holds exactly the shard's accounts, each found by
// its own ID.
func checkIndex(t interface{ Fatalf(string, ...any) }, m *Memory) {
	st := m.load()
	for i := range st.shards {
		s := &st.shards[i]
		n := 0
		for _, e := range s.index {
			if e.acc != nil {
				n++
			}
		}
		if n != len(s.list) || 2*n > len(s.index) {
			t.Fatalf("shard %d: %d accounts in an index of %d, %d in the list", i, n, len(s.index), len(s.list))
		}
		for _, acc := range s.list {
			if got, h := st.locate(acc.id); got != s || s.account(h, acc.id) != acc {
				t.Fatalf("shard %d: account %s not found by its ID", i, acc.id)
			}
		}
	}
}

// An account takes 320 bytes, a size class aligned to cache lines, and what a reservation reads
// is in its first four lines; a sent takes 120 bytes, size class 128 (see account and sent).
func TestAccountSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(account{}); n != 320 {
		t.Errorf("account is %d bytes, want 320: adjust its padding", n)
	}
	if off := unsafe.Offsetof(account{}.marks); off != 256 {
		t.Errorf("what a reservation reads ends at byte %d of an account, want 256", off)
	}
	if off := unsafe.Offsetof(account{}.sentInline); off%64 != 0 {
		t.Errorf("account.sentInline at byte %d, want it to start a cache line", off)
	}
	if n := unsafe.Sizeof(sent{}); n != 128 {
		t.Errorf("sent is %d bytes, want 128 (size class 128)", n)
	}
}

// INV-10: records share an account's market, purpose and contacts while they repeat, yet each
// record shows the contacts it was sent with: the caller changing its slice afterwards, an
// account switching between more variants than it remembers, or the caller changing a slice
// returned by History changes no record.
func TestMemorySharedContacts(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := DefaultPolicy().Quota
	a := Account{ID: "a", HomeMarket: affrules.ID, Markets: []affrules.MarketCode{affrules.MY}, MCN: true, Partner: true}
	cs := []Contact{{Channel: affrules.Email, Value: "a@x.example.com"}, {Channel: affrules.Phone, Value: "+62 812 3456 7890"}, {Channel: affrules.WhatsApp, Value: "+62 812 0000 0000"}}
	type variant struct {
		market  affrules.MarketCode
		purpose Purpose
		n       int // contacts
	}
	variants := []variant{
		{affrules.ID, ProductDistribution, 1}, {affrules.ID, ProductDistribution, 3}, {affrules.MY, ProductDistribution, 1},
		{affrules.ID, CreatorPartnership, 1}, {affrules.ID, ProductDistribution, 0}, {affrules.ID, ProductDistribution, 2},
	}
	type sentAs struct {
		v        variant
		contacts []Contact
	}
	var want []sentAs
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i := range 40 {
		v := variants[i*i%len(variants)]
		mine := slices.Clone(cs[:v.n])
		if i%5 == 0 && v.n > 0 {
			mine[0].Value = fmt.Sprintf("a%d@x.example.com", i)
		}
		inv := Invitation{Market: v.market, CreatorID: fmt.Sprint("c", i), Purpose: v.purpose, Message: "hi", Contacts: mine}
		if _, d, err := m.Reserve(ctx, q, a, inv, t0.Add(time.Duration(i)*time.Minute)); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
		want = append(want, sentAs{v, slices.Clone(mine)})
		for j := range mine {
			mine[j].Value = "changed by the caller"
		}
	}
	check := func() {
		t.Helper()
		page, err := m.History(ctx, Query{Account: a.ID, Limit: 1000})
		if err != nil || len(page.Records) != len(want) {
			t.Fatalf("%d records, %v; want %d", len(page.Records), err, len(want))
		}
		for _, r := range page.Records {
			w := want[r.Seq-1]
			if r.Market != w.v.market || r.Purpose != w.v.purpose || !slices.Equal(r.Contacts, w.contacts) {
				t.Fatalf("#%d: %s %s %v; want %s %s %v", r.Seq, r.Market, r.Purpose, r.Contacts, w.v.market, w.v.purpose, w.contacts)
			}
			for j := range r.Contacts {
				r.Contacts[j].Value = "changed by the reader"
			}
		}
	}
	check()
	check()
	r, err := m.Respond(ctx, a.ID, 2, t0.Add(time.Hour))
	if err != nil || !slices.Equal(r.ContactsShown(), want[1].contacts) {
		t.Fatalf("respond: %v, %v; want contacts %v", r.ContactsShown(), err, want[1].contacts)
	}
	r.Contacts[0].Value = "changed by the reader"
	check()
}

// A shard takes 256 bytes, so that shards do not share cache lines (see shard).
func TestShardSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(shard{}); n != 256 {
		t.Errorf("shard is %d bytes, want 256", n)
	}
	if off := unsafe.Offsetof(shard{}.list); off > 128 {
		t.Errorf("what a reservation uses ends at byte %d of a shard, want at most 128", off)
	}
	// The shards start on a cache line, whether the state was made by NewMemory or on the
	// first use of a zero Memory.
	var zero Memory
	for i, m := range []*Memory{NewMemory(), NewMemory(KeepHistory(time.Hour)), &zero} {
		if p := uintptr(unsafe.Pointer(&m.load().shards[0])); p%64 != 0 {
			t.Errorf("memory %d: shards at %#x, not on a cache line", i, p)
		}
	}
}

// A quota may change between calls (issue 7: the ledger owns no policy): a creator's last
// invitation is kept for the longest window the account has been given, through table rebuilds
// and sweeps under shorter windows, so that the longer window, back in force, still covers it.
func TestMemoryKeepsLongestWindow(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	week := Quota{DailyLimit: 1000, RepeatWindowDays: 7}
	day := Quota{DailyLimit: 1000, RepeatWindowDays: 1}
	a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
	inv := func(c string) Invitation {
		return Invitation{Market: affrules.UK, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
	}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if _, d, err := m.Reserve(ctx, week, a, inv("x"), t0); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	// Three days of many creators under the one-day window: the table is rebuilt many times.
	for i := range 3000 {
		at := t0.Add(time.Duration(i+1) * time.Minute * 90 / 60)
		if _, d, err := m.Reserve(ctx, day, a, inv(fmt.Sprint("c", i)), at); err != nil || !d.Allowed {
			t.Fatalf("c%d: %s, %v", i, d, err)
		}
	}
	_, d, err := m.Reserve(ctx, week, a, inv("x"), t0.Add(affrules.Days(4)))
	if err != nil || d.Allowed || !d.Failed(RuleRepeat) || !d.NextAllowed.Equal(t0.Add(affrules.Days(7))) {
		t.Fatalf("x four days later under the week: %s, %v; want INV-3 until %s", d, err, t0.Add(affrules.Days(7)))
	}
	if n := len(m.accountOf("a").last.slots); n < 3001 {
		t.Errorf("a table of %d slots: the test no longer makes it grow past its first rebuilds", n)
	}
}

// Thousands of accounts grow every shard's index many times over; each account keeps its own
// state (INV-4: quotas per account) and history.
func TestMemoryManyAccounts(t *testing.T) {
	ctx := context.Background()
	q := DefaultPolicy().Quota
	q.DailyLimit = 2
	m := NewMemory()
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	const n = 5000
	for round := range 3 {
		for i := range n {
			a := Account{ID: fmt.Sprint("acct-", i), HomeMarket: affrules.SG, Partner: true}
			inv := Invitation{Market: affrules.SG, CreatorID: fmt.Sprint("c", round), Purpose: ProductDistribution, Message: "hi"}
			_, d, err := m.Reserve(ctx, q, a, inv, t0.Add(time.Duration(round)*time.Minute))
			if err != nil || d.Allowed != (round < 2) {
				t.Fatalf("round %d, %s: %s, %v", round, a.ID, d, err)
			}
		}
	}
	checkIndex(t, m)
	for i := range n {
		page, err := m.History(ctx, Query{Account: fmt.Sprint("acct-", i)})
		if err != nil || len(page.Records) != 2 || page.Records[0].CreatorID != "c1" {
			t.Fatalf("acct-%d: %+v, %v", i, page, err)
		}
	}
}

// INV-13: an account whose latest invitation showed nothing, then sends the same market, purpose
// and contacts with a showcase, records the showcase (the account's flag for "shows nothing"
// does not let the second invitation share the first one's sent), and back again.
func TestMemoryShowcaseAfterNone(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := DefaultPolicy().Quota
	a := Account{ID: "a", HomeMarket: affrules.ID, Partner: true}
	cs := []Contact{{Channel: affrules.Email, Value: "a@x.example.com"}}
	show := &Showcase{Company: Company{Name: "Agency"}}
	shows := []*Showcase{nil, show, show, {}, nil, {TopCreators: []LinkedCreator{{ID: "top", Followers: 5}}}}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, s := range shows {
		inv := Invitation{Market: affrules.ID, CreatorID: fmt.Sprint("c", i), Purpose: ProductDistribution, Message: "hi", Contacts: cs, Showcase: s}
		if _, d, err := m.Reserve(ctx, q, a, inv, t0.Add(time.Duration(i)*time.Minute)); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
	}
	page, err := m.History(ctx, Query{Account: "a"})
	if err != nil || len(page.Records) != len(shows) {
		t.Fatal(page, err)
	}
	for _, r := range page.Records {
		want := shows[r.Seq-1]
		if want.IsZero() {
			want = nil // a showcase that shows nothing comes back as nil
		}
		got := r.Showcase
		if (got == nil) != (want == nil) || got != nil && (got.Company.Name != want.Company.Name || len(got.TopCreators) != len(want.TopCreators)) {
			t.Errorf("record %d shows %+v, want %+v", r.Seq, got, want)
		}
	}
}

// INV-3 with a window longer than any given before: the entries widen takes back from the history
// stay while that window lasts, even when the call was refused (nothing recorded) and the account
// was one whose state the sweep had given up: a later sweep must not give them up again.
func TestWidenSurvivesSweep(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	st := m.load()
	q7 := Quota{DailyLimit: 100, RepeatWindowDays: 7}
	q60 := Quota{DailyLimit: 100, RepeatWindowDays: 60}
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }
	cs := []Contact{{Channel: affrules.Email, Value: "a@x.example.com"}}
	reserve := func(id, creator string, q Quota, at time.Time) bool {
		t.Helper()
		_, d, err := m.Reserve(ctx, q, Account{ID: id, HomeMarket: affrules.UK, Partner: true},
			Invitation{Market: affrules.UK, CreatorID: creator, Purpose: ProductDistribution, Message: "hi", Contacts: cs}, at)
		if err != nil {
			t.Fatal(err)
		}
		return d.Allowed
	}
	if !reserve("a", "x", q7, t0) {
		t.Fatal("first invitation refused")
	}
	sa, ha := st.locate("a")
	other := ""
	for i := 0; other == ""; i++ { // an account of the same shard moves its clock on
		if s, _ := st.locate(fmt.Sprint("b", i)); s == sa {
			other = fmt.Sprint("b", i)
		}
	}
	for _, d := range []int{20, 40, 50} { // steps within the lead bound
		reserve(other, fmt.Sprint("y", d), q7, day(d))
	}
	sweep := func() {
		sa.mu.Lock()
		defer sa.mu.Unlock()
		for range 2*len(sa.list) + 2 {
			sa.sweepStep(st)
		}
	}
	sweep()
	sa.mu.Lock()
	given := sa.account(ha, "a").last.live(math.MinInt64) == 0
	sa.mu.Unlock()
	if !given {
		t.Fatal("the sweep kept the state of account a: the test does not reach the case")
	}
	if reserve("a", "x", q60, day(50)) {
		t.Fatal("x admitted 50 days after its invitation under a 60-day window")
	}
	sweep()
	if reserve("a", "x", q60, day(51)) {
		t.Fatal("x admitted 51 days after its invitation under a 60-day window, after a sweep")
	}
	if !reserve("a", "x", q60, day(60)) {
		t.Fatal("x refused 60 days after its invitation under a 60-day window")
	}
}

// Paging from a cursor (INV-9) jumps to the record below it by the account's marks: every page
// size, over several marks' worth of records, pages through the whole history newest first, and
// a cursor above the newest, at 1, at 2 or just past a mark gives what walking would (records
// dropped by the retention are the model test's, checkHistory).
func TestHistoryCursorJumps(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := Quota{DailyLimit: 1000, RepeatWindowDays: 1}
	a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	const n = 5*markEvery + 3
	for i := range n {
		inv := Invitation{Market: affrules.UK, CreatorID: fmt.Sprint("c", i), Purpose: ProductDistribution, Message: "hi"}
		if _, d, err := m.Reserve(ctx, q, a, inv, t0.Add(time.Duration(i)*time.Minute)); err != nil || !d.Allowed {
			t.Fatalf("c%d: %s, %v", i, d, err)
		}
	}
	for _, size := range []int{1, 7, markEvery, markEvery + 1, 100} {
		var seqs []int64
		for before := int64(0); ; {
			page, err := m.History(ctx, Query{Account: "a", Before: before, Limit: size})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Records {
				seqs = append(seqs, r.Seq)
			}
			if page.Next == 0 {
				break
			}
			before = page.Next
		}
		if len(seqs) != n {
			t.Fatalf("pages of %d: %d records, want %d", size, len(seqs), n)
		}
		for i, s := range seqs {
			if s != int64(n-i) {
				t.Fatalf("pages of %d: record %d is #%d, want #%d", size, i, s, n-i)
			}
		}
	}
	for before, want := range map[int64][]int64{n + 5: {n, n - 1}, 1: nil, 2: {1}, markEvery + 1: {markEvery, markEvery - 1}} {
		page, err := m.History(ctx, Query{Account: "a", Before: before, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range page.Records {
			got = append(got, r.Seq)
		}
		if !slices.Equal(got, want) {
			t.Errorf("before %d: %v, want %v", before, got, want)
		}
	}
}
