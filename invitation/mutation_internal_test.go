package invitation

// Internal invariants that mutation testing asked for (issue 10, see mutation_test.go): the
// in-memory ledger's fast paths, sizing and housekeeping change no public answer, so these tests
// pin them exactly from inside the package, at their edges. Some build states directly, setting
// fields, to reach an edge no sequence of calls reaches on its own.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// An entry exactly at the cut is stale: find does not report it and takes its slot for an insert,
// the first stale slot of the probe chain even when it is slot 0.
func TestTableFindAtCut(t *testing.T) {
	const cut = 100
	tb := table{slots: make([]slot, minTable), used: 1}
	tb.slots[0] = slot{key: 8, at: cut} // home slot 8&3 = 0
	if i, _, ok := tb.find(8, cut); ok || i != 0 {
		t.Fatalf("find(8) = slot %d, live %t; want slot 0, stale", i, ok)
	}
	if i, at, ok := tb.find(8, cut-1); !ok || i != 0 || at != cut {
		t.Fatalf("find(8) one ns before the cut = slot %d, %d, live %t; want slot 0, %d, live", i, at, ok, cut)
	}
	// Key 4 also starts at slot 0: the stale slot 0 is where it goes, not the empty slot 1.
	if i, _, ok := tb.find(4, cut); ok || i != 0 {
		t.Fatalf("find(4) = slot %d, live %t; want slot 0, absent", i, ok)
	}
}

// fillTable returns a table of size slots with used entries, the first live of them after cut
// and the others exactly at it (stale).
func fillTable(size, used, live int, cut int64) table {
	tb := table{slots: make([]slot, size), used: used}
	for k := range used {
		at := cut
		if k < live {
			at = cut + 1 + int64(k)
		}
		tb.slots[k] = slot{key: uint64(k + 1), at: at}
	}
	return tb
}

// reserve rebuilds exactly when three quarters of the slots are used, drops the entries at the
// cut, and resizes to minTable doubled until it holds twice the live entries, unless the size is
// already between two and eight slots a live entry.
func TestTableReserveSizes(t *testing.T) {
	const cut = 1000
	var scratch []slot
	// Below three quarters: nothing happens, stale entries stay.
	for _, size := range []int{4, 8, 16} {
		tb := fillTable(size, size*3/4-1, 0, cut)
		tb.reserve(cut, &scratch)
		if len(tb.slots) != size || tb.used != size*3/4-1 {
			t.Fatalf("reserve at %d of %d used: %d slots, %d used; want it untouched", size*3/4-1, size, len(tb.slots), tb.used)
		}
	}
	for _, tc := range []struct{ size, live, want int }{
		{4, 0, 4},
		{4, 1, 4},
		{4, 2, 4},   // 2×live == size: kept
		{4, 3, 8},   // 2×live > size
		{8, 3, 8},   //
		{8, 4, 8},   // 2×live == size
		{8, 5, 16},  //
		{16, 2, 16}, // 8×live == size: kept
		{16, 1, 4},  // 8×live < size
		{32, 2, 4},  // minTable holds two live entries exactly
		{32, 3, 8},  //
		{32, 4, 32}, // 8×live == size
		{64, 5, 16}, //
		{64, 8, 64}, //
		{64, 7, 16}, //
	} {
		used := tc.size * 3 / 4
		tb := fillTable(tc.size, used, tc.live, cut)
		tb.reserve(cut, &scratch)
		if len(tb.slots) != tc.want || tb.used != tc.live {
			t.Fatalf("rebuild of %d slots with %d live: %d slots, %d used; want %d, %d", tc.size, tc.live, len(tb.slots), tb.used, tc.want, tc.live)
		}
		for k := range used {
			_, at, ok := tb.find(uint64(k+1), cut)
			if ok != (k < tc.live) || ok && at != cut+1+int64(k) {
				t.Fatalf("rebuild of %d slots with %d live: key %d found %t at %d", tc.size, tc.live, k+1, ok, at)
			}
		}
		n := 0
		for _, s := range tb.slots {
			if s.key != 0 {
				n++
			}
		}
		if n != tc.live {
			t.Fatalf("rebuild of %d slots with %d live: %d entries left", tc.size, tc.live, n)
		}
	}
}

// at returns nil for a position not written yet in the last block, in a block past the last, in
// a dropped block, and for 0 and below, whatever the base.
func TestLogAtEdges(t *testing.T) {
	var l histLog
	p := l.add(record{at: 1})
	if p != logChunkLen {
		t.Fatalf("first position %d, want %d", p, logChunkLen)
	}
	if r := l.at(p); r == nil || r.at != 1 {
		t.Fatalf("at(%d) = %v", p, r)
	}
	for _, pos := range []int64{p + 1, p + logChunkLen - 1, p + logChunkLen, p + 5*logChunkLen, p - 1, 0, -1, math.MinInt64} {
		if r := l.at(pos); r != nil {
			t.Fatalf("at(%d) = %+v, want nil", pos, *r)
		}
	}
	// Position 0 means none even in a log whose base is 0 (add never leaves one so).
	c := new(logChunk)
	c.n = 1
	l0 := histLog{chunks: []*logChunk{c}}
	if r := l0.at(0); r != nil {
		t.Fatal("at(0) of a log based at 0 is a record")
	}
	if r := l0.at(1); r != nil {
		t.Fatal("at(1) past the count of a log based at 0 is a record")
	}
}

// The hint's step is a sixteenth of the lead bound; advance moves the hint only past hint+step,
// and sets lo, hi and next from it exactly; raise only raises, except from math.MaxInt64.
func TestHintAdvance(t *testing.T) {
	const h = int64(time.Hour)
	st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: 16 * h})
	if st.step != h {
		t.Fatalf("step %d, want %d", st.step, h)
	}
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).UnixNano()
	check := func(hint int64) {
		t.Helper()
		if g := st.hint.Load(); g != hint {
			t.Fatalf("hint %d, want %d", g, hint)
		}
		if lo, hi, next := st.lo.Load(), st.hi.Load(), st.next.Load(); lo != hint+h-16*h || hi != hint+16*h || next != hint+h {
			t.Fatalf("lo, hi, next = %d, %d, %d; want %d, %d, %d", lo, hi, next, hint+h-16*h, hint+16*h, hint+h)
		}
	}
	st.advance(t0)
	check(t0)
	st.advance(t0 + 1)
	check(t0)
	st.advance(t0 + h)
	check(t0)
	st.advance(t0 + h + 1)
	check(t0 + h + 1)

	var a atomic.Int64
	a.Store(10)
	raise(&a, 5)
	if a.Load() != 10 {
		t.Fatalf("raise lowered 10 to %d", a.Load())
	}
	raise(&a, 10)
	raise(&a, 20)
	if a.Load() != 20 {
		t.Fatalf("raise of 10 to 20 gave %d", a.Load())
	}
	a.Store(math.MaxInt64)
	raise(&a, 5)
	if a.Load() != 5 {
		t.Fatalf("raise from math.MaxInt64 to 5 gave %d", a.Load())
	}
}

// bounds takes the hint's word for every instant of [lo, hi], both edges included, without
// asking the shards: here the hint vouches for an instant the shards never saw (they hold
// nothing), so the exact path would refuse what the hint accepts.
func TestBoundsTrustsHintToEdges(t *testing.T) {
	const h = int64(time.Hour)
	st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: 16 * h})
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).UnixNano()
	st.advance(t0)
	for _, now := range []int64{st.lo.Load(), st.hi.Load(), t0} {
		if err := st.bounds(now, time.Unix(0, now)); err != nil {
			t.Fatalf("bounds(%d) within [lo, hi]: %v", now, err)
		}
	}
	if err := st.bounds(st.hi.Load()+1, time.Unix(0, st.hi.Load()+1)); err == nil {
		t.Fatal("bounds past hi, with the shards empty, accepted")
	}
}

// Reserve moves the hint only for an instant past next: here next is set beyond hint+step, and an
// instant exactly at it leaves the hint where it is.
func TestReserveAdvancesPastNext(t *testing.T) {
	ctx := context.Background()
	const h = int64(time.Hour)
	m := NewMemory(AllowAhead(16 * time.Hour))
	st := m.load()
	q := Quota{DailyLimit: 100, RepeatWindowDays: 1}
	a := Account{ID: "a", HomeMarket: affrules.UK}
	t0 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	if _, d, err := m.Reserve(ctx, q, a, Invitation{CreatorID: "c0"}, t0); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	if st.hint.Load() != t0.UnixNano() || st.next.Load() != t0.UnixNano()+h {
		t.Fatalf("hint %d, next %d after the first instant %d", st.hint.Load(), st.next.Load(), t0.UnixNano())
	}
	st.next.Store(t0.UnixNano() + 2*h)
	if _, d, err := m.Reserve(ctx, q, a, Invitation{CreatorID: "c1"}, t0.Add(2*time.Hour)); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	if st.hint.Load() != t0.UnixNano() {
		t.Fatalf("an instant at next moved the hint to %d", st.hint.Load())
	}
	if _, d, err := m.Reserve(ctx, q, a, Invitation{CreatorID: "c2"}, t0.Add(2*time.Hour+1)); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	if want := t0.UnixNano() + 2*h + 1; st.hint.Load() != want {
		t.Fatalf("an instant past next left the hint at %d, want %d", st.hint.Load(), want)
	}
}

// Reserve marks every markEvery-th record of an account and sweeps every 64 reservations of a
// shard, no more often.
func TestReserveMarksAndSweeps(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := Quota{DailyLimit: 1000, RepeatWindowDays: 1}
	a := Account{ID: "a", HomeMarket: affrules.UK}
	s := m.shard(a.ID)
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var positions []int64
	for i := 1; i <= 2*markEvery+1; i++ {
		if _, d, err := m.Reserve(ctx, q, a, Invitation{CreatorID: fmt.Sprint("c", i)}, t0.Add(time.Duration(i)*time.Second)); err != nil || !d.Allowed {
			t.Fatal(i, d, err)
		}
		acc := m.accountOf(a.ID)
		positions = append(positions, acc.newest)
		if s.tick != uint32(i) {
			t.Fatalf("after %d reservations: tick %d", i, s.tick)
		}
		wantSweep := 0
		if i >= 64 {
			wantSweep = 1 // the sweep visited the account once, and kept it
		}
		if s.sweep != wantSweep {
			t.Fatalf("after %d reservations: sweep at %d, want %d", i, s.sweep, wantSweep)
		}
		var want []int64
		for k := markEvery; k <= i; k += markEvery {
			want = append(want, positions[k-1])
		}
		if !slices.Equal(acc.marks, want) || len(want) > 0 && acc.markSeq != markEvery {
			t.Fatalf("after %d reservations: marks %v from %d, want %v from %d", i, acc.marks, acc.markSeq, want, markEvery)
		}
	}
}

// mark forgets the marks whose records the log dropped, exactly those, and moves markSeq with
// them; when all are gone it starts again at the newest record.
func TestMarkPrunes(t *testing.T) {
	var l histLog
	pos := make([]int64, 3*logChunkLen+1) // pos[i] is the record at instant i
	for i := range pos {
		pos[i] = l.add(record{at: int64(i)})
	}
	acc := &account{seq: 4 * markEvery, newest: pos[3*logChunkLen], markSeq: markEvery,
		marks: []int64{pos[10], pos[logChunkLen+10], pos[2*logChunkLen+10]}}
	l.drop(logChunkLen - 1) // the first block
	acc.mark(&l)
	if want := []int64{pos[logChunkLen+10], pos[2*logChunkLen+10], pos[3*logChunkLen]}; !slices.Equal(acc.marks, want) || acc.markSeq != 2*markEvery {
		t.Fatalf("marks %v from %d; want %v from %d", acc.marks, acc.markSeq, want, 2*markEvery)
	}
	acc.mark(&l) // nothing dropped: only appended
	if len(acc.marks) != 4 || acc.markSeq != 2*markEvery {
		t.Fatalf("marks %v from %d; want 4 from %d", acc.marks, acc.markSeq, 2*markEvery)
	}
	l.drop(3*logChunkLen - 1) // all but the last block
	acc.seq, acc.newest = 5*markEvery, pos[3*logChunkLen]
	acc.mark(&l)
	if want := []int64{pos[3*logChunkLen], pos[3*logChunkLen], pos[3*logChunkLen]}; !slices.Equal(acc.marks, want) || acc.markSeq != 4*markEvery {
		t.Fatalf("marks %v from %d; want %v from %d", acc.marks, acc.markSeq, want, 4*markEvery)
	}
	l.drop(3 * logChunkLen) // everything
	acc.mark(&l)
	if want := []int64{pos[3*logChunkLen]}; !slices.Equal(acc.marks, want) || acc.markSeq != acc.seq {
		t.Fatalf("marks %v from %d; want %v from %d", acc.marks, acc.markSeq, want, acc.seq)
	}
}

// locate starts at the first mark at or after seq: here no record links to an earlier one, so a
// walk of even one step finds nothing, and only a start exactly at the mark finds the record.
func TestLocateStartsAtMark(t *testing.T) {
	var l histLog
	pos := make([]int64, 4*markEvery+10)
	for i := range pos {
		pos[i] = l.add(record{at: int64(i)}) // prev 0: no links
	}
	acc := &account{seq: 4*markEvery + 5, newest: pos[len(pos)-1], markSeq: markEvery,
		marks: []int64{pos[1], pos[2], pos[3]}} // the records numbered 64, 128, 192
	for k, want := range acc.marks {
		seq := acc.markSeq + int64(k)*markEvery
		if got := acc.locate(&l, seq); got != want {
			t.Fatalf("locate(%d) = %d, want the mark %d", seq, got, want)
		}
	}
	if got := acc.locate(&l, acc.seq); got != acc.newest {
		t.Fatalf("locate(%d) = %d, want the newest %d", acc.seq, got, acc.newest)
	}
	for _, seq := range []int64{acc.markSeq + 1, acc.markSeq - 1, 0, acc.seq + 1} {
		if got := acc.locate(&l, seq); got != 0 {
			t.Fatalf("locate(%d) = %d with no links, want 0", seq, got)
		}
	}
	// With the links, every number is found by walking from the mark at or after it.
	for i := 1; i < len(pos); i++ {
		l.at(pos[i]).prev = pos[i-1]
	}
	acc.marks = []int64{pos[markEvery-1], pos[2*markEvery-1], pos[3*markEvery-1]}
	acc.seq, acc.newest = int64(len(pos)), pos[len(pos)-1]
	for seq := int64(1); seq <= acc.seq; seq++ {
		if got := acc.locate(&l, seq); got != pos[seq-1] {
			t.Fatalf("locate(%d) = %d, want %d", seq, got, pos[seq-1])
		}
	}
}

// History numbers records down to 1 and stops there, even where the log links further back.
func TestHistoryStopsAtSeqOne(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	q := Quota{DailyLimit: 100, RepeatWindowDays: 1}
	a := Account{ID: "a", HomeMarket: affrules.UK}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i := range 2 {
		if _, d, err := m.Reserve(ctx, q, a, Invitation{CreatorID: fmt.Sprint("c", i)}, t0.Add(time.Duration(i)*time.Second)); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
	}
	acc := m.accountOf(a.ID)
	acc.seq = 1 // the newest record, whose prev is a record still in the log
	page, err := m.History(ctx, Query{Account: a.ID})
	if err != nil || len(page.Records) != 1 || page.Records[0].Seq != 1 || page.Records[0].CreatorID != "c1" {
		t.Fatalf("History = %+v, %v; want one record, numbered 1, to c1", page.Records, err)
	}
}

// The account index grows exactly when it would be more than half full, and shrinks (to half)
// exactly when it is larger than 16 slots and less than an eighth full.
func TestIndexSizes(t *testing.T) {
	st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: defaultAhead})
	s := &st.shards[0]
	hashOf := func(i int) uint64 { return uint64(i) * 7 * shardCount }
	for i := 1; i <= 17; i++ {
		if _, err := s.add(hashOf(i), Account{ID: fmt.Sprint("a", i), HomeMarket: affrules.UK}); err != nil {
			t.Fatal(err)
		}
		want := 16
		if i > 8 {
			want = 32
		}
		if i > 16 {
			want = 64
		}
		if len(s.index) != want {
			t.Fatalf("%d accounts: %d slots, want %d", i, len(s.index), want)
		}
	}
	for n := 16; n >= 0; n-- {
		id := s.list[len(s.list)-1].id
		s.remove(st, len(s.list)-1)
		if s.account(hashOf(n+1), id) != nil {
			t.Fatalf("%s still found", id)
		}
		want := 64 // until 8n < 64
		switch {
		case n <= 3:
			want = 16 // 8n < 32; never below 16
		case n <= 7:
			want = 32
		}
		if len(s.index) != want {
			t.Fatalf("%d accounts left: %d slots, want %d", n, len(s.index), want)
		}
		for _, acc := range s.list {
			i, err := strconv.Atoi(acc.id[1:])
			if err != nil {
				t.Fatal(err)
			}
			if s.account(hashOf(i), acc.id) != acc {
				t.Fatalf("%d accounts left: %s lost", n, acc.id)
			}
		}
	}
}

// share reuses the very same sent for the same market, purpose, contacts and showcase, from
// the account or its cache; with at most two contacts it compares the account's inline copy;
// it stores no showcase for a zero one, and a copy of a non-zero one.
func TestShareReuses(t *testing.T) {
	cs := []Contact{{Channel: affrules.Email, Value: "a@x.example.com"}, {Channel: affrules.Phone, Value: "+62 812 3456 7890"}, {Channel: affrules.WhatsApp, Value: "+62 812 0000 0000"}}
	two := Invitation{Market: affrules.ID, Purpose: ProductDistribution, Contacts: cs[:2]}
	three := Invitation{Market: affrules.ID, Purpose: ProductDistribution, Contacts: cs}
	acc := &account{}
	e2 := acc.share(two)
	if e2.showcase != nil || !slices.Equal(e2.contacts, cs[:2]) || &e2.contacts[0] != &e2.inline[0] {
		t.Fatalf("sent for two contacts: %+v", e2)
	}
	if acc.share(two) != e2 {
		t.Fatal("the same two contacts made a new sent")
	}
	e3 := acc.share(three)
	if e3 == e2 || !slices.Equal(e3.contacts, cs) || &e3.contacts[0] == &cs[0] {
		t.Fatalf("sent for three contacts: %+v", e3)
	}
	if acc.share(three) != e3 {
		t.Fatal("the same three contacts made a new sent")
	}
	if acc.share(two) != e2 || acc.older[0] != e3 || acc.share(three) != e3 {
		t.Fatal("the cache of recent sent missed")
	}
	// The comparison with two contacts reads the account's inline copy, not the sent.
	acc = &account{}
	e2 = acc.share(two)
	acc.sentInline[1].Value = "not the sent's"
	if acc.share(two) == e2 {
		t.Fatal("two contacts compared with the sent, not the account's inline copy")
	}
	// A showcase is copied; a zero one is not stored.
	sc := &Showcase{TopCreators: []LinkedCreator{{ID: "x", Followers: 3}}}
	acc = &account{}
	e := acc.share(Invitation{Market: affrules.ID, Purpose: ProductDistribution, Showcase: sc})
	if e.showcase == nil || !slices.Equal(e.showcase.TopCreators, sc.TopCreators) || &e.showcase.TopCreators[0] == &sc.TopCreators[0] {
		t.Fatalf("showcase %+v", e.showcase)
	}
	if acc.share(Invitation{Market: affrules.ID, Purpose: ProductDistribution, Showcase: &Showcase{TopCreators: []LinkedCreator{}}}).showcase != nil {
		t.Fatal("a zero showcase stored")
	}
}

// sweepStep gives up an account's quota state exactly when its counted day and its longest
// window after its last invitation both end at or before the horizon (the shard's latest less
// the lead), and forgets the account exactly when its latest is at or before the shard's latest
// less the longer of the retention and its window.
func TestSweepStepEdges(t *testing.T) {
	const day = int64(24 * time.Hour)
	st := newMemState(memConfig{retention: 90 * day, late: defaultLate, ahead: 30 * day})
	latest := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC).UnixNano()
	horizon := latest - 30*day
	type state struct {
		dayEnd, lastAt, keep, latest int64
	}
	for _, tc := range []struct {
		name         string
		s            state
		giveUp, gone bool
	}{
		{"both at the horizon", state{horizon, horizon - 7*day, 7 * day, horizon}, true, false},
		{"day 1 ns after", state{horizon + 1, horizon - 7*day, 7 * day, horizon}, false, false},
		{"window 1 ns after", state{horizon, horizon - 7*day + 1, 7 * day, horizon}, false, false},
		{"latest at the retention", state{horizon, horizon - 7*day, 7 * day, latest - 90*day}, true, true},
		{"latest 1 ns after the retention", state{horizon, horizon - 7*day, 7 * day, latest - 90*day + 1}, true, false},
		{"window longer than the retention", state{horizon - 100*day, horizon - 100*day, 100 * day, latest - 100*day}, true, true},
		{"window longer, 1 ns after", state{horizon - 100*day, horizon - 100*day, 100 * day, latest - 100*day + 1}, true, false},
	} {
		s := &shard{latest: latest, seqFloor: 3}
		acc, err := s.add(5*shardCount, Account{ID: "x", HomeMarket: affrules.UK})
		if err != nil {
			t.Fatal(err)
		}
		acc.seq = 9
		acc.dayStart, acc.dayEnd, acc.count, acc.prevCount = tc.s.dayEnd-day, tc.s.dayEnd, 4, 2
		acc.lastAt, acc.keep, acc.latest = tc.s.lastAt, tc.s.keep, tc.s.latest
		acc.last = table{slots: []slot{{key: 1, at: tc.s.lastAt}, {}, {}, {}}, used: 1}
		s.sweepStep(st)
		if gone := s.account(5*shardCount, "x") == nil; gone != tc.gone || len(s.list) != 1-btoi(gone) {
			t.Fatalf("%s: forgotten %t (%d listed), want %t", tc.name, gone, len(s.list), tc.gone)
		}
		if tc.gone {
			if s.seqFloor != 9 || s.sweep != 0 {
				t.Fatalf("%s: seqFloor %d, sweep %d; want 9, 0", tc.name, s.seqFloor, s.sweep)
			}
			continue
		}
		if s.sweep != 1 {
			t.Fatalf("%s: sweep at %d, want 1", tc.name, s.sweep)
		}
		gaveUp := acc.last.slots == nil && acc.lastAt == math.MinInt64 && acc.dayStart == 0 && acc.dayEnd == 0 && acc.count == 0 && acc.prevCount == 0
		kept := acc.last.used == 1 && acc.lastAt == tc.s.lastAt && acc.dayEnd == tc.s.dayEnd && acc.count == 4 && acc.prevCount == 2
		if gaveUp != tc.giveUp || kept == tc.giveUp {
			t.Fatalf("%s: gave up %t, kept %t; want give up %t", tc.name, gaveUp, kept, tc.giveUp)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkProfile scans a list of up to 16 linked creators for duplicates and uses a map for a
// longer one: the scan allocates nothing, not even a valid creator's field name.
func TestCheckProfileScansShortLists(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocations")
	}
	allocs := func(n int) float64 {
		a := Account{}
		for i := range n {
			a.LinkedCreators = append(a.LinkedCreators, LinkedCreator{ID: fmt.Sprint("c", i), Followers: 1})
		}
		l := fielderr.For(pkg)
		return testing.AllocsPerRun(20, func() { checkProfile(l, a) })
	}
	base := allocs(0)
	for _, n := range []int{1, 9, 16} {
		if got := allocs(n); got != base {
			t.Fatalf("%d linked creators: %v allocations, want %v", n, got, base)
		}
	}
	if got := allocs(17); got <= base {
		t.Fatalf("17 linked creators: %v allocations, want a map's beyond %v", got, base)
	}
}

// The showcase ranks ties of followers by ID, and keeps the first of equal ones.
func TestShowcaseTies(t *testing.T) {
	a := Account{LinkedCreators: []LinkedCreator{
		{ID: "b", Username: "first", Followers: 5}, {ID: "a", Followers: 5}, {ID: "b", Username: "second", Followers: 5}, {ID: "c", Followers: 9},
	}}
	got := showcase(a, 3).TopCreators
	want := []LinkedCreator{{ID: "c", Followers: 9}, {ID: "a", Followers: 5}, {ID: "b", Username: "first", Followers: 5}}
	if !slices.Equal(got, want) {
		t.Fatalf("top 3: %+v, want %+v", got, want)
	}
}

// measure: DEL is not visible; a zero-width joiner is a separator at the start of the message
// (prev < 0) or next to a word character, and not between U+0000 and an emoji.
func TestMeasureEdges(t *testing.T) {
	if _, _, visible := measure("\x7f", scriptTables(nil)); visible {
		t.Fatal("DEL counted as visible")
	}
	if _, _, visible := measure("\x7e", scriptTables(nil)); !visible {
		t.Fatal("~ not counted as visible")
	}
	emoji := "\U0001F600"
	if !isSeparator("\u200d"+emoji, 0, -1, zwj) {
		t.Fatal("a joiner at the start is not a separator")
	}
	if isSeparator("\x00\u200d"+emoji, 1, 0, zwj) {
		t.Fatal("a joiner after U+0000, before an emoji, is a separator")
	}
}
