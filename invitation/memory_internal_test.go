package invitation

import (
	"context"
	"errors"
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

// memModel is the plain reference for Memory: per account, the present (the latest instant
// given), the day counter of Quota.Check, the instant each creator's window runs from, and the
// admitted records with their answers.
type memModel struct {
	p     Quota
	accts map[string]*modelAcct
}

type modelAcct struct {
	home    *time.Location
	present time.Time
	day     affrules.Period
	count   int
	from    map[string]time.Time
	recs    []Record
}

func (m *memModel) acct(a Account) *modelAcct {
	ma := m.accts[a.ID]
	if ma == nil {
		mk, _ := affrules.LookupMarket(a.HomeMarket)
		ma = &modelAcct{home: mk.Location(), from: map[string]time.Time{}}
		m.accts[a.ID] = ma
	}
	return ma
}

// reserve returns the failing rules and next instant, and records the invitation if none fail.
func (m *memModel) reserve(a Account, creator string, at time.Time) ([]affrules.RuleID, time.Time) {
	ma := m.acct(a)
	if at.After(ma.present) {
		ma.present = at
	}
	day, count := ma.day, ma.count
	if day.IsEmpty() || !at.Before(day.End) {
		day, count = affrules.DayOf(at, ma.home), 0
	}
	var rules []affrules.RuleID
	var next time.Time
	if count >= m.p.DailyLimit {
		rules, next = append(rules, RuleDaily), day.End
	}
	window := affrules.Days(m.p.RepeatWindowDays)
	if from, ok := ma.from[creator]; ok && from.Add(window).After(ma.present) {
		rules = append(rules, RuleRepeat)
		if again := from.Add(window); again.After(next) {
			next = again
		}
	}
	if len(rules) == 0 {
		ma.day, ma.count = day, count+1
		ma.from[creator] = ma.present
		ma.recs = append(ma.recs, Record{Account: a.ID, Seq: int64(len(ma.recs) + 1), At: at, Invitation: Invitation{CreatorID: creator, Username: "user_" + creator, Contacts: contactsOf(creator, at)}})
	}
	return rules, next
}

// TestMemoryLongRun compares Memory with the model over long runs: many creators per account (the
// tables grow, are rebuilt and reuse stale slots), accounts sharing shards (the sweep releases
// tables), a retention as short as the window (history blocks are dropped and reused), history
// pages, latest per creator and answers on what is kept. backwards also sends instants up to
// twice the window before the clock; Memory may then refuse where the model admits, only after
// the sweep released a table the account could still need, never the other way round.
func TestMemoryLongRun(t *testing.T) {
	for _, backwards := range []bool{false, true} {
		t.Run(fmt.Sprint("backwards=", backwards), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) { longRun(t, backwards) })
		})
	}
}

func longRun(t *rapid.T, backwards bool) {
	ctx := context.Background()
	p := DefaultPolicy().Quota
	p.DailyLimit = rapid.IntRange(1, 120).Draw(t, "daily")
	p.RepeatWindowDays = rapid.IntRange(1, 3).Draw(t, "window")
	window := affrules.Days(p.RepeatWindowDays)
	l := NewMemory(KeepHistory(0))
	// Accounts in two shards, three in the first, so that they share a log and a sweep.
	homes := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH}
	var accounts []Account
	first := l.shard("acct0")
	for i := 0; len(accounts) < 4; i++ {
		id := fmt.Sprint("acct", i)
		if (l.shard(id) == first) != (len(accounts) < 3) {
			continue
		}
		accounts = append(accounts, Account{ID: id, HomeMarket: homes[len(accounts)%len(homes)], Partner: true})
	}
	model := &memModel{p: p, accts: map[string]*modelAcct{}}
	creators := rapid.IntRange(1, 3000).Draw(t, "creators")
	now := time.Date(2026, 3, 27, 22, 0, 0, 0, time.UTC)

	reserve := func(t *rapid.T, a Account, creator string, at time.Time) {
		inv := Invitation{Market: a.HomeMarket, CreatorID: creator, Username: "user_" + creator, Nickname: "Nick " + creator, Purpose: ProductDistribution, Message: "hi",
			Contacts: contactsOf(creator, at)}
		wantRules, wantNext := model.reserve(a, creator, at)
		r, d, err := l.Reserve(ctx, p, a, inv, at)
		if err != nil {
			t.Fatal(err)
		}
		var got []affrules.RuleID
		for _, reason := range d.Failures() {
			got = append(got, reason.Rule)
		}
		if d.Allowed && len(wantRules) > 0 {
			t.Fatalf("%s→%s at %s: admitted, model refuses %v (next %s)", a.ID, creator, at, wantRules, wantNext)
		}
		if !slices.Equal(got, wantRules) || !d.NextAllowed.Equal(wantNext) {
			acc := l.accountOf(a.ID)
			if !backwards || !slices.Contains(got, RuleRepeat) || acc.released <= acc.latest-int64(window) {
				t.Fatalf("%s→%s at %s: got %s, want %v next %s", a.ID, creator, at, d, wantRules, wantNext)
			}
			// Conservative after a release: undo the model's admission, if any.
			if len(wantRules) == 0 {
				ma := model.accts[a.ID]
				ma.recs = ma.recs[:len(ma.recs)-1]
				ma.count--
				if ma.count == 0 {
					ma.day = affrules.Period{}
				}
				delete(ma.from, creator) // the model had no entry: it admitted
			}
			return
		}
		if d.Allowed {
			ma := model.accts[a.ID]
			if r.Seq != int64(len(ma.recs)) || !r.At.Equal(at) {
				t.Fatalf("record %d at %s, want %d at %s", r.Seq, r.At, len(ma.recs), at)
			}
		}
	}
	instant := func(t *rapid.T) time.Time {
		if !backwards || rapid.IntRange(0, 5).Draw(t, "back?") > 0 {
			return now
		}
		return now.Add(-time.Duration(rapid.Int64Range(0, int64(2*window)).Draw(t, "back")))
	}

	t.Repeat(map[string]func(*rapid.T){
		"advance": func(t *rapid.T) {
			now = now.Add(time.Duration(rapid.Int64Range(0, int64(window)).Draw(t, "d")))
		},
		"reserve": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			reserve(t, a, fmt.Sprint("c", rapid.IntRange(0, creators-1).Draw(t, "creator")), instant(t))
		},
		"burst": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			n := rapid.IntRange(1, 400).Draw(t, "n")
			step := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "step"))
			c0 := rapid.IntRange(0, creators-1).Draw(t, "c0")
			for i := range n {
				now = now.Add(step)
				reserve(t, a, fmt.Sprint("c", (c0+i*7)%creators), now)
			}
		},
		"history": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			checkHistory(t, l, model, a)
		},
		"respond": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			ma := model.acct(a)
			seq := rapid.Int64Range(0, int64(len(ma.recs))+1).Draw(t, "seq")
			kept := keptSeqs(t, l, a)
			r, err := l.Respond(ctx, a.ID, seq, now)
			if !kept[seq] {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("respond %s #%d (not kept): %v, %v", a.ID, seq, r, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := &ma.recs[seq-1]
			if want.InterestedAt.IsZero() {
				want.InterestedAt = now
			}
			if r.Seq != seq || r.CreatorID != want.CreatorID || !r.At.Equal(want.At) || !r.InterestedAt.Equal(want.InterestedAt) {
				t.Fatalf("respond %s #%d: %+v, want %+v", a.ID, seq, r, *want)
			}
		},
	})
	for _, a := range accounts {
		checkHistory(t, l, model, a)
	}
	checkIndex(t, l)
}

// contactsOf returns one to three contacts that name the creator and the instant, so that a
// record showing another record's contacts is caught.
func contactsOf(creator string, at time.Time) []Contact {
	cs := []Contact{{Channel: affrules.Email, Value: creator + "@x.example.com"}, {Channel: affrules.Phone, Value: fmt.Sprint(at.UnixNano())}, {Channel: affrules.WhatsApp, Value: creator}}
	return cs[:1+len(creator)%3]
}

func keptSeqs(t *rapid.T, l *Memory, a Account) map[int64]bool {
	kept := map[int64]bool{}
	page, err := l.History(context.Background(), Query{Account: a.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Records {
		kept[r.Seq] = true
	}
	return kept
}

// checkHistory checks that the account's history is a newest-first suffix of the model's records,
// holds every record within the retention, pages the same in small pages, and that latest per
// creator keeps the newest record of each creator.
func checkHistory(t *rapid.T, l *Memory, model *memModel, a Account) {
	ctx := context.Background()
	ma := model.acct(a)
	var all []Record
	for before := int64(0); ; {
		page, err := l.History(ctx, Query{Account: a.ID, Before: before, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Records...)
		if page.Next == 0 {
			break
		}
		before = page.Next
	}
	for i, r := range all {
		want := ma.recs[len(ma.recs)-1-i]
		if r.Seq != want.Seq || r.CreatorID != want.CreatorID || !r.At.Equal(want.At) || !r.InterestedAt.Equal(want.InterestedAt) || !slices.Equal(r.Contacts, want.Contacts) {
			t.Fatalf("%s history[%d] = #%d %s at %s (answered %s), want #%d %s at %s (answered %s)", a.ID, i, r.Seq, r.CreatorID, r.At, r.InterestedAt, want.Seq, want.CreatorID, want.At, want.InterestedAt)
		}
	}
	s := l.shard(a.ID)
	retention := max(l.load().retention, int64(affrules.Days(model.p.RepeatWindowDays)))
	for _, r := range ma.recs[:len(ma.recs)-len(all)] {
		if r.At.UnixNano() > s.latest-retention {
			t.Fatalf("%s record #%d at %s lost within the retention (shard at %s)", a.ID, r.Seq, r.At, time.Unix(0, s.latest))
		}
	}
	// A search and a time range select the same records from what is kept.
	search := fmt.Sprint("R_C", rapid.IntRange(0, 9).Draw(t, "search"))
	var from time.Time
	if len(all) > 0 {
		from = rapid.SampledFrom(all).Draw(t, "from").At
	}
	var wantSel []int64
	for _, r := range all {
		if !r.At.Before(from) && containsFold(r.Username, search) {
			wantSel = append(wantSel, r.Seq)
		}
	}
	checkSeqs(t, l, Query{Account: a.ID, Search: search, From: from, Limit: 1000}, wantSel)
	seen := map[string]bool{}
	var want []int64
	for _, r := range all {
		if !seen[r.CreatorID] {
			seen[r.CreatorID] = true
			want = append(want, r.Seq)
		}
	}
	checkSeqs(t, l, Query{Account: a.ID, LatestPerCreator: true, Limit: 1000}, want)
}

// INV-3, INV-11: an instant a whole window before the account's present must not make the new
// entry stale at once, which let the same creator be invited again and again at that instant.
func TestMemoryBackdatedBeyondWindow(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := DefaultPolicy().Quota
	a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
	inv := func(c string) Invitation {
		return Invitation{Market: affrules.UK, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
	}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if _, d, _ := m.Reserve(ctx, q, a, inv("y"), t0); !d.Allowed {
		t.Fatal(d)
	}
	back := t0.Add(-affrules.Days(8))
	if _, d, _ := m.Reserve(ctx, q, a, inv("x"), back); !d.Allowed {
		t.Fatalf("first invitation of x: %s", d)
	}
	_, d, err := m.Reserve(ctx, q, a, inv("x"), back)
	if err != nil || d.Allowed || !d.Failed(RuleRepeat) || !d.NextAllowed.Equal(t0.Add(affrules.Days(7))) {
		t.Fatalf("x again at the same instant: %s, %v; want INV-3 until %s", d, err, t0.Add(affrules.Days(7)))
	}
}

// INV-3 is per account: the shard's sweep must not age an account to another account's instants
// and so reopen its creators' windows.
func TestMemorySweepKeepsAccountsApart(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := DefaultPolicy().Quota
	var ids []string
	for i := 0; len(ids) < 2; i++ {
		if id := fmt.Sprint("a", i); m.shard(id) == m.shard("a0") {
			ids = append(ids, id)
		}
	}
	inv := func(c string) Invitation {
		return Invitation{Market: affrules.UK, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
	}
	a := Account{ID: ids[0], HomeMarket: affrules.UK, Partner: true}
	b := Account{ID: ids[1], HomeMarket: affrules.UK, Partner: true}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if _, d, _ := m.Reserve(ctx, q, a, inv("x"), t0); !d.Allowed {
		t.Fatal(d)
	}
	// b, a month ahead, makes the shard sweep a (the first of its list) at least once.
	for i := range 2 * 64 {
		if _, d, _ := m.Reserve(ctx, q, b, inv(fmt.Sprint("b", i)), t0.Add(affrules.Days(30)+time.Duration(i)*15*time.Minute)); !d.Allowed {
			t.Fatal(d)
		}
	}
	if m.accountOf(a.ID).last.slots != nil {
		t.Fatal("the sweep did not release a's table; the test no longer tests it")
	}
	_, d, err := m.Reserve(ctx, q, a, inv("x"), t0.Add(affrules.Days(1)))
	if err != nil || d.Allowed || !d.Failed(RuleRepeat) {
		t.Fatalf("a→x a day after inviting x: %s, %v; want INV-3", d, err)
	}
	if _, d, _ := m.Reserve(ctx, q, a, inv("x"), t0.Add(affrules.Days(7))); !d.Allowed {
		t.Fatalf("a→x exactly 7×24h later: %s", d)
	}
}

// History before 1970 (negative nanoseconds) is kept like any other, and a retention longer than
// the instants allow does not overflow.
func TestMemoryEarlyInstants(t *testing.T) {
	ctx := context.Background()
	for _, keep := range []time.Duration{0, math.MaxInt64} {
		m := NewMemory(KeepHistory(keep))
		q := DefaultPolicy().Quota
		a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
		t0 := time.Date(1701, 1, 2, 10, 0, 0, 0, time.UTC)
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
	if n := unsafe.Sizeof(sent{}); n != 120 {
		t.Errorf("sent is %d bytes, want 120 (size class 128)", n)
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

// Reserve decides the usual admission (no live entry for the creator, an instant within the
// counted day, the count below the limit) without calling Quota.Check; it must agree with
// Check at the edges of that case: the last invitation the day allows, the first instant of the
// next day (exactly the end of the counted day), an instant before the counted day, a creator
// invited exactly one window earlier, and DST change days in London.
func TestMemoryReserveAgreesWithCheck(t *testing.T) {
	ctx := context.Background()
	p := DefaultPolicy().Quota
	p.DailyLimit = 3
	q := p
	m := NewMemory()
	a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
	home, _ := time.LoadLocation("Europe/London")
	var u Usage
	last := map[string]time.Time{}
	present := time.Time{}
	check := func(creator string, at time.Time) {
		t.Helper()
		if at.After(present) {
			present = at
		}
		uc := u
		if l, ok := last[creator]; ok && l.Add(affrules.Days(p.RepeatWindowDays)).After(present) {
			uc.Last = l
		} else {
			uc.Last = time.Time{}
		}
		want, next := p.Check(home, uc, at)
		_, got, err := m.Reserve(ctx, q, a, Invitation{Market: affrules.UK, CreatorID: creator, Purpose: ProductDistribution, Message: "hi"}, at)
		if err != nil {
			t.Fatal(err)
		}
		if got.Allowed != want.Allowed || !got.NextAllowed.Equal(want.NextAllowed) || len(got.Reasons) != len(want.Reasons) {
			t.Fatalf("%s at %s: Reserve %s, Check %s", creator, at, got, want)
		}
		if want.Allowed {
			u.Day, u.Count = next.Day, next.Count
			last[creator] = present
		}
	}
	for _, day := range []time.Time{
		time.Date(2026, 3, 28, 0, 0, 0, 0, home), // the day before spring forward
		time.Date(2026, 10, 24, 0, 0, 0, 0, home),
	} {
		for d := range 3 {
			start := day.AddDate(0, 0, d)
			end := day.AddDate(0, 0, d+1)
			for i := range 4 { // the fourth is over the limit
				check(fmt.Sprint("c", d, i), start.Add(time.Duration(i)*time.Hour))
			}
			check("c-late", end.Add(-time.Nanosecond)) // still the counted day: over the limit
			check(fmt.Sprint("c-end", d), end)         // exactly the next day's start: admitted
			check(fmt.Sprint("c-before", d), start)    // before the counted day: counted in it
		}
		// A creator invited exactly one window before is allowed again; a nanosecond earlier not.
		check("c00", day.Add(affrules.Days(p.RepeatWindowDays)-time.Nanosecond))
		check("c00", day.Add(affrules.Days(p.RepeatWindowDays)))
	}
	// A day below the limit, then the next day from its first instant: that instant counts in
	// the new day, whose fourth invitation is over the limit.
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, home)
	check("d0", start.Add(time.Hour))
	for i := range 4 {
		check(fmt.Sprint("d1-", i), start.AddDate(0, 0, 1).Add(time.Duration(i)*time.Hour))
	}
}
