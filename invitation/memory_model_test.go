package invitation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// litModel is the plain reference for a ledger (issue 9): every recorded invitation, and INV-2..4
// applied literally at the request's instant by searching them all; the bounds of a Memory
// (lateness behind the account's latest instant, lead ahead of and behind the ledger's).
type litModel struct {
	late, ahead time.Duration
	recs        map[string][]Record // per account, in recording order
	latest      map[string]time.Time
	g           time.Time // latest instant accepted, zero before the first
	tally       map[string]int
}

func newLitModel(late, ahead time.Duration) *litModel {
	return &litModel{late: late, ahead: ahead, recs: map[string][]Record{}, latest: map[string]time.Time{}, tally: map[string]int{}}
}

// litAnswer is what the model expects of one reservation.
type litAnswer struct {
	err   error // ErrTooLate or ErrTooFarAhead, or nil
	rules []affrules.RuleID
	next  time.Time
	count int       // INV-2 observed, if refused by it
	day   string    // INV-2 subject
	last  time.Time // INV-3 observed, if refused by it
}

func homeOf(a Account) *time.Location {
	mk, err := affrules.LookupMarket(a.HomeMarket)
	if err != nil {
		panic(err)
	}
	return mk.Location()
}

// countDay returns the number of a's invitations in day.
func (m *litModel) countDay(account string, day affrules.Period) int {
	n := 0
	for _, r := range m.recs[account] {
		if day.Contains(r.At) {
			n++
		}
	}
	return n
}

// within returns the latest invitation of creator by account less than w before or after t.
func (m *litModel) within(account, creator string, t time.Time, w time.Duration) (time.Time, bool) {
	var last time.Time
	ok := false
	for _, r := range m.recs[account] {
		if r.CreatorID == creator && t.Sub(r.At) < w && r.At.Sub(t) < w && (!ok || r.At.After(last)) {
			last, ok = r.At, true
		}
	}
	return last, ok
}

// decide answers a reservation of creator by a at instant at under q, literally.
func (m *litModel) decide(q Quota, a Account, creator string, at time.Time) litAnswer {
	if !m.g.IsZero() && at.Sub(m.g) > m.ahead {
		return litAnswer{err: ErrTooFarAhead}
	}
	if p, ok := m.latest[a.ID]; ok && p.Sub(at) > m.late || !m.g.IsZero() && m.g.Sub(at) > m.ahead {
		return litAnswer{err: ErrTooLate}
	}
	home := homeOf(a)
	w := affrules.Days(q.RepeatWindowDays)
	var ans litAnswer
	day := affrules.DayOf(at, home)
	if n := m.countDay(a.ID, day); n >= q.DailyLimit {
		ans.rules = append(ans.rules, RuleDaily)
		ans.count, ans.day = n, day.Start.In(home).Format(time.DateOnly)
	}
	if last, ok := m.within(a.ID, creator, at, w); ok && w > 0 {
		ans.rules = append(ans.rules, RuleRepeat)
		ans.last = last
	}
	if len(ans.rules) == 0 {
		return ans
	}
	// The first instant after at at which neither rule refuses.
	t := at
	for {
		d := affrules.DayOf(t, home)
		if m.countDay(a.ID, d) >= q.DailyLimit {
			t = d.End
			continue
		}
		if last, ok := m.within(a.ID, creator, t, w); ok && w > 0 {
			t = last.Add(w)
			continue
		}
		break
	}
	ans.next = t
	return ans
}

// record adds an admitted invitation.
func (m *litModel) record(r Record) {
	m.recs[r.Account] = append(m.recs[r.Account], r)
	if p, ok := m.latest[r.Account]; !ok || r.At.After(p) {
		m.latest[r.Account] = r.At
	}
	if r.At.After(m.g) {
		m.g = r.At
	}
}

// lastSeq returns the Seq of a's latest record, 0 if none.
func (m *litModel) lastSeq(account string) int64 {
	if rs := m.recs[account]; len(rs) > 0 {
		return rs[len(rs)-1].Seq
	}
	return 0
}

// check compares a reservation's outcome with the model's answer, and records it in the model
// if admitted. keep is the retention a Memory may forget an account's records after, so that a
// Seq may jump (never repeat) only for an account idle that long.
func (m *litModel) check(t interface {
	Helper()
	Fatalf(string, ...any)
}, q Quota, a Account, inv Invitation, at time.Time, r Record, d affrules.Decision, err error, keep time.Duration) {
	t.Helper()
	want := m.decide(q, a, inv.CreatorID, at)
	what := fmt.Sprintf("%s→%s at %s", a.ID, inv.CreatorID, at.Format(time.RFC3339Nano))
	if want.err != nil || err != nil {
		if !errors.Is(err, want.err) || want.err == nil {
			t.Fatalf("%s: %v (%s), want an error wrapping %v", what, err, d, want.err)
		}
		if d.Allowed || r.Seq != 0 {
			t.Fatalf("%s: an error with %s, record #%d", what, d, r.Seq)
		}
		m.tally[want.err.Error()]++
		return
	}
	var got []affrules.RuleID
	for _, reason := range d.Failures() {
		got = append(got, reason.Rule)
		switch reason.Rule {
		case RuleDaily:
			if reason.Observed != affrules.Count(int64(want.count)) || reason.Subject != want.day || reason.Limit != affrules.Count(int64(q.DailyLimit)) {
				t.Fatalf("%s: INV-2 %v on %s (limit %v), want %d on %s", what, reason.Observed, reason.Subject, reason.Limit, want.count, want.day)
			}
		case RuleRepeat:
			if !reason.Observed.Time().Equal(want.last) || reason.Limit != affrules.DaysOf(q.RepeatWindowDays) {
				t.Fatalf("%s: INV-3 last %v (limit %v), want %s", what, reason.Observed, reason.Limit, want.last.Format(time.RFC3339Nano))
			}
		}
	}
	if !slices.Equal(got, want.rules) || d.Allowed != (len(want.rules) == 0) || !d.NextAllowed.Equal(want.next) {
		t.Fatalf("%s: %s (next %s), want failures %v, next %s", what, d, d.NextAllowed.Format(time.RFC3339Nano), want.rules, want.next.Format(time.RFC3339Nano))
	}
	if !d.Allowed {
		if r.Seq != 0 {
			t.Fatalf("%s: a refusal recorded #%d", what, r.Seq)
		}
		for _, rule := range got {
			m.tally[string(rule)]++
		}
		return
	}
	m.tally["admitted"]++
	prev := m.lastSeq(a.ID)
	if r.Seq <= prev || !r.At.Equal(at) || r.Account != a.ID || r.CreatorID != inv.CreatorID {
		t.Fatalf("%s: record %s #%d at %s, want a Seq above %d at the instant", what, r.Account, r.Seq, r.At.Format(time.RFC3339Nano), prev)
	}
	if p, ok := m.latest[a.ID]; ok && p.After(m.g.Add(-keep)) && r.Seq != prev+1 {
		t.Fatalf("%s: #%d after #%d, and the account is not idle", what, r.Seq, prev)
	}
	r.Invitation = inv
	r.Contacts = slices.Clone(inv.Contacts)
	m.record(r)
}

// TestMemoryMachine over several accounts, three of them in one shard (one history log, one
// sweep), against the literal model at every step: instants move forward by seconds to weeks,
// jitter backwards within the lateness bound and beyond it, jump ahead within the lead bound and
// beyond it; refused and invalid calls are mixed in, history is paged and searched, answers are
// recorded. The bounds are drawn small, so that accounts go idle, give up their state and are
// forgotten, and instants are refused as too late or too far ahead.
func TestMemoryMachineExact(t *testing.T) {
	rapid.Check(t, machineExact)
}

func machineExact(t *rapid.T) {
	ctx := context.Background()
	q := Quota{
		DailyLimit:       rapid.SampledFrom([]int{1, 2, 3, 120}).Draw(t, "daily"),
		RepeatWindowDays: rapid.IntRange(0, 3).Draw(t, "window"),
	}
	w := affrules.Days(q.RepeatWindowDays)
	late := rapid.SampledFrom([]time.Duration{0, time.Millisecond, time.Minute, time.Hour, 12 * time.Hour}).Draw(t, "late")
	ahead := rapid.SampledFrom([]time.Duration{time.Hour, 2 * 24 * time.Hour, 10 * 24 * time.Hour, 30 * 24 * time.Hour}).Draw(t, "ahead")
	retention := rapid.SampledFrom([]time.Duration{0, 24 * time.Hour, 10 * 24 * time.Hour}).Draw(t, "retention")
	l := NewMemory(KeepHistory(retention), AllowLate(late), AllowAhead(ahead))
	keep := max(retention, w)
	model := newLitModel(late, ahead)

	// Four accounts, three in one shard; homes with and without DST.
	homes := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.UK, affrules.TH}
	var accounts []Account
	first := l.shard("m0")
	for i := 0; len(accounts) < 4; i++ {
		id := fmt.Sprint("m", i)
		if (l.shard(id) == first) != (len(accounts) < 3) {
			continue
		}
		accounts = append(accounts, Account{ID: id, HomeMarket: homes[len(accounts)], Partner: true})
	}
	crowd := 0 // number of the next crowd account to try
	creators := rapid.IntRange(1, 2000).Draw(t, "creators")
	// Start the night before London's spring forward, or fall back.
	now := rapid.SampledFrom([]time.Time{
		time.Date(2026, 3, 28, 22, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC),
	}).Draw(t, "start")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	reserve := func(t *rapid.T, a Account, creator string, at time.Time) {
		inv := Invitation{Market: a.HomeMarket, CreatorID: creator, Username: "user_" + creator, Nickname: "Nick " + creator,
			Purpose: ProductDistribution, Message: "hi", Contacts: contactsOf(creator, at)}
		r, d, err := l.Reserve(ctx, q, a, inv, at)
		model.check(t, q, a, inv, at, r, d, err, keep)
		if err == nil && d.Allowed && at.After(now) {
			now = at
		}
	}
	draw := func(t *rapid.T) (Account, string) {
		return rapid.SampledFrom(accounts).Draw(t, "account"), fmt.Sprint("c", rapid.IntRange(0, creators-1).Draw(t, "creator"))
	}

	t.Repeat(map[string]func(*rapid.T){
		"advance": func(t *rapid.T) {
			scale := rapid.SampledFrom([]time.Duration{time.Second, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}).Draw(t, "scale")
			now = now.Add(time.Duration(rapid.Int64Range(0, int64(3*scale)).Draw(t, "d")))
		},
		"midnight": func(t *rapid.T) {
			// To a millisecond either side of the next midnight of a home zone.
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			end := affrules.DayOf(now, homeOf(a)).End
			now = end.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "side")) * time.Millisecond)
		},
		"reserve": func(t *rapid.T) {
			a, c := draw(t)
			reserve(t, a, c, now)
		},
		"late": func(t *rapid.T) {
			// Behind the clock: within the lateness bound mostly, beyond it sometimes.
			a, c := draw(t)
			back := time.Duration(rapid.Int64Range(0, int64(late)).Draw(t, "back"))
			if rapid.IntRange(0, 3).Draw(t, "beyond") == 0 {
				back = late + time.Duration(rapid.Int64Range(1, int64(3*24*time.Hour)).Draw(t, "more"))
			}
			reserve(t, a, c, now.Add(-back))
		},
		"repeat": func(t *rapid.T) {
			// A creator the account invited, again, near one of its invitations.
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			rs := model.recs[a.ID]
			if len(rs) == 0 {
				t.Skip("no invitations yet")
			}
			r := rapid.SampledFrom(rs).Draw(t, "record")
			off := time.Duration(rapid.Int64Range(-int64(w), int64(w)).Draw(t, "offset"))
			if rapid.Bool().Draw(t, "edge") {
				off = w - time.Duration(rapid.IntRange(0, 1).Draw(t, "minus"))
			}
			reserve(t, a, r.CreatorID, r.At.Add(off))
		},
		"ahead": func(t *rapid.T) {
			// Ahead of the ledger's latest instant: within the lead bound, or beyond it.
			a, c := draw(t)
			reserve(t, a, c, now.Add(time.Duration(rapid.Int64Range(1, int64(2*ahead)).Draw(t, "d"))))
		},
		"burst": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			n := rapid.IntRange(1, 300).Draw(t, "n")
			step := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "step"))
			c0 := rapid.IntRange(0, creators-1).Draw(t, "c0")
			for i := range n {
				now = now.Add(step)
				reserve(t, a, fmt.Sprint("c", (c0+i*7)%creators), now)
			}
		},
		"crowd": func(t *rapid.T) {
			// New accounts of the first shard, one invitation each: accounts come and go, and
			// each one added moves the shard's sweep, which gives up the state of idle accounts
			// and forgets them.
			n := rapid.IntRange(1, 20).Draw(t, "n")
			for i := range n {
				for l.shard(fmt.Sprint("x", crowd)) != first {
					crowd++
				}
				a := Account{ID: fmt.Sprint("x", crowd), HomeMarket: affrules.SG, Partner: true}
				crowd++
				reserve(t, a, "c0", now.Add(time.Duration(i)*time.Millisecond))
			}
		},
		"invalid": func(t *rapid.T) {
			// Errors, each of which must change nothing.
			a, c := draw(t)
			inv := Invitation{Market: a.HomeMarket, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
			other := a
			other.HomeMarket = affrules.VN
			var err error
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 0:
				_, _, err = l.Reserve(ctx, Quota{}, a, inv, now)
			case 1:
				inv.CreatorID = ""
				_, _, err = l.Reserve(ctx, q, a, inv, now)
			case 2:
				_, _, err = l.Reserve(cancelled, q, a, inv, now)
			case 3:
				_, _, err = l.Reserve(ctx, q, a, inv, time.Time{})
			case 4:
				if _, ok := model.latest[a.ID]; !ok || l.accountOf(a.ID) == nil {
					t.Skip("a new account may have any home market")
				}
				_, _, err = l.Reserve(ctx, q, other, inv, now)
			}
			if err == nil {
				t.Fatalf("an invalid call to %s succeeded", a.ID)
			}
		},
		"history": func(t *rapid.T) {
			checkHistory(t, l, model, rapid.SampledFrom(accounts).Draw(t, "account"), keep)
		},
		"respond": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			rs := model.recs[a.ID]
			seq := rapid.Int64Range(0, model.lastSeq(a.ID)+1).Draw(t, "seq")
			kept := keptSeqs(t, l, a)
			r, err := l.Respond(ctx, a.ID, seq, now)
			if !kept[seq] {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("respond %s #%d (not kept): %v, %v", a.ID, seq, r, err)
				}
				return
			}
			i := slices.IndexFunc(rs, func(r Record) bool { return r.Seq == seq })
			want := &rs[i]
			if now.Before(want.At) {
				if err == nil {
					t.Fatalf("respond %s #%d at %s, before the invitation at %s: no error", a.ID, seq, now, want.At)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want.InterestedAt.IsZero() {
				want.InterestedAt = now
			}
			if r.Seq != seq || r.CreatorID != want.CreatorID || !r.At.Equal(want.At) || !r.InterestedAt.Equal(want.InterestedAt) {
				t.Fatalf("respond %s #%d: %+v, want %+v", a.ID, seq, r, *want)
			}
		},
	})
	for _, a := range accounts {
		checkHistory(t, l, model, a, keep)
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

// checkHistory checks that the account's history, paged in small pages, is the newest part of
// the model's records in recording order, holds every record within the retention (keep back
// from the latest instant of the account's shard), and that a search with a time range, the
// purpose and market filters and latest per creator select the same records from it.
func checkHistory(t *rapid.T, l *Memory, model *litModel, a Account, keep time.Duration) {
	ctx := context.Background()
	recs := model.recs[a.ID]
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
	if len(all) > len(recs) {
		t.Fatalf("%s: %d records in history, %d recorded", a.ID, len(all), len(recs))
	}
	for i, r := range all {
		want := recs[len(recs)-1-i]
		if r.Seq != want.Seq || r.CreatorID != want.CreatorID || !r.At.Equal(want.At) || !r.InterestedAt.Equal(want.InterestedAt) || !slices.Equal(r.Contacts, want.Contacts) || r.Market != want.Market || r.Purpose != want.Purpose {
			t.Fatalf("%s history[%d] = #%d %s at %s (answered %s), want #%d %s at %s (answered %s)", a.ID, i, r.Seq, r.CreatorID, r.At, r.InterestedAt, want.Seq, want.CreatorID, want.At, want.InterestedAt)
		}
	}
	s := l.shard(a.ID)
	s.mu.Lock()
	latest := s.latest
	s.mu.Unlock()
	for _, r := range recs[:len(recs)-len(all)] {
		if r.At.UnixNano() > latest-int64(keep) {
			t.Fatalf("%s record #%d at %s lost within the retention (shard at %s)", a.ID, r.Seq, r.At, time.Unix(0, latest))
		}
	}
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
	var kept []int64
	for _, r := range all {
		kept = append(kept, r.Seq)
	}
	checkSeqs(t, l, Query{Account: a.ID, Purpose: ProductDistribution, Market: a.HomeMarket, Limit: 1000}, kept)
	checkSeqs(t, l, Query{Account: a.ID, Purpose: CreatorPartnership, Limit: 1000}, nil)
	checkSeqs(t, l, Query{Account: a.ID, Market: affrules.VN, Limit: 1000}, nil)
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

// Reserve decides the usual admission (an instant within the counted day, the count below the
// limit, no creator window open) without calling Quota.Check, and hands every other case to
// Check with the usage of the instant's own day; both must agree with the literal model at the
// edges: the last invitation a day allows, the day's last nanosecond and the next day's first,
// a late instant in the day before the counted one (full or not, with the next day full or
// not), a creator invited exactly one window before or after, London's DST change days.
func TestMemoryAgreesAtEdges(t *testing.T) {
	ctx := context.Background()
	q := Quota{DailyLimit: 3, RepeatWindowDays: 2}
	const late = 10 * time.Millisecond
	var m *Memory
	var model *litModel
	tally := map[string]int{}
	a := Account{ID: "a", HomeMarket: affrules.UK, Partner: true}
	home := homeOf(a)
	fresh := func() {
		if model != nil {
			for k, n := range model.tally {
				tally[k] += n
			}
		}
		m, model = NewMemory(AllowLate(late)), newLitModel(late, time.Duration(defaultAhead))
	}
	check := func(creator string, at time.Time) {
		t.Helper()
		inv := Invitation{Market: affrules.UK, CreatorID: creator, Purpose: ProductDistribution, Message: "hi"}
		r, d, err := m.Reserve(ctx, q, a, inv, at)
		model.check(t, q, a, inv, at, r, d, err, 0)
	}
	ms := time.Millisecond
	for _, first := range []time.Time{
		time.Date(2026, 3, 28, 0, 0, 0, 0, home), // the day before spring forward
		time.Date(2026, 10, 24, 0, 0, 0, 0, home),
	} {
		fresh()
		for d := range 3 {
			start := first.AddDate(0, 0, d)
			end := start.AddDate(0, 0, 1)
			for i := range 4 { // the fourth is over the limit
				check(fmt.Sprint("c", d, i), start.Add(time.Duration(i)*time.Hour))
			}
			check("c-late", end.Add(-time.Nanosecond)) // still the counted day: over the limit
			check(fmt.Sprint("e", d), end)             // the next day's first instant
			check(fmt.Sprint("f", d), end.Add(-5*ms))  // late, in the full day before: refused
			check(fmt.Sprint("e", d), end.Add(-ms))    // late, and e is invited 1 ms after
			check(fmt.Sprint("g", d), end.Add(ms))
			check(fmt.Sprint("h", d), end.Add(2*ms)) // the new day is full now
			check(fmt.Sprint("i", d), end.Add(-ms))  // late: both days full
			check(fmt.Sprint("j", d), end.Add(-11*ms))
		}
		// A creator invited exactly one window after an invitation, a nanosecond less, and
		// late, 1 ms before an invitation.
		w := affrules.Days(q.RepeatWindowDays)
		at := first.AddDate(0, 0, 3).Add(time.Hour)
		check("w", at)
		check("w", at.Add(w-time.Nanosecond))
		check("w", at.Add(w))
		check("w", at.Add(w).Add(-ms))
	}
	// A day below the limit, then, late, the day before a full one.
	fresh()
	start := time.Date(2026, 11, 20, 0, 0, 0, 0, home)
	check("d0", start.Add(-2*ms))
	for i := range 3 {
		check(fmt.Sprint("d1-", i), start.Add(time.Duration(i)*ms))
	}
	check("d0", start.Add(-ms)) // d0 invited 1 ms before: INV-3
	check("d2", start.Add(-ms)) // admitted in the day before, which has one
	check("d3", start.Add(5*ms))
	fresh()
	for _, k := range []string{"admitted", string(RuleDaily), string(RuleRepeat), ErrTooLate.Error()} {
		if tally[k] < 4 {
			t.Errorf("%d outcomes %q: the edges are no longer reached (%v)", tally[k], k, tally)
		}
	}
}

// An instant further behind the account's latest than the lateness bound is an error wrapping
// ErrTooLate that records nothing; at the bound it is judged exactly. Another account is not
// held to the first one's latest instant.
func TestMemoryLatenessBound(t *testing.T) {
	ctx := context.Background()
	q := DefaultPolicy().Quota
	for _, late := range []time.Duration{0, time.Second, 12 * time.Hour} {
		m := NewMemory(AllowLate(late))
		a := Account{ID: "a", HomeMarket: affrules.SG, Partner: true}
		b := Account{ID: "b", HomeMarket: affrules.SG, Partner: true}
		inv := Invitation{Market: affrules.SG, CreatorID: "x", Purpose: ProductDistribution, Message: "hi"}
		t0 := time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC)
		if _, d, err := m.Reserve(ctx, q, a, inv, t0); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
		inv.CreatorID = "y"
		_, d, err := m.Reserve(ctx, q, a, inv, t0.Add(-late-time.Nanosecond))
		if !errors.Is(err, ErrTooLate) || d.Allowed {
			t.Fatalf("late %s: a nanosecond beyond the bound: %s, %v; want ErrTooLate", late, d, err)
		}
		if r, d, err := m.Reserve(ctx, q, a, inv, t0.Add(-late)); err != nil || !d.Allowed || r.Seq != 2 {
			t.Fatalf("late %s: at the bound: #%d %s, %v; want #2 admitted", late, r.Seq, d, err)
		}
		if _, d, err := m.Reserve(ctx, q, b, inv, t0.Add(-late-time.Hour)); err != nil || !d.Allowed {
			t.Fatalf("late %s: another account an hour earlier: %s, %v", late, d, err)
		}
	}
	// The clamp: more than 12 hours is 12 hours, a negative bound is 0.
	if st := NewMemory(AllowLate(48 * time.Hour)).load(); st.late != maxLate {
		t.Errorf("AllowLate(48h) gives %s", time.Duration(st.late))
	}
	if st := NewMemory(AllowLate(-time.Hour)).load(); st.late != 0 {
		t.Errorf("AllowLate(-1h) gives %s", time.Duration(st.late))
	}
}

// The lead bound: an instant more than the lead ahead of the latest instant the ledger has
// accepted, for any account, is an error wrapping ErrTooFarAhead; one more than the lead behind
// it, ErrTooLate. Both are exact even when the latest instant is ahead of the ledger's hint.
func TestMemoryLeadBound(t *testing.T) {
	ctx := context.Background()
	q := DefaultPolicy().Quota
	const lead = 3 * 24 * time.Hour
	m := NewMemory(AllowAhead(lead))
	inv := func(c string) Invitation {
		return Invitation{Market: affrules.SG, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
	}
	acct := func(id string) Account { return Account{ID: id, HomeMarket: affrules.SG, Partner: true} }
	// The first instant is taken as it is.
	t0 := time.Date(2150, 11, 20, 13, 0, 0, 0, time.UTC)
	if _, d, err := m.Reserve(ctx, q, acct("a"), inv("x"), t0); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	// 30 s later: the hint stays at t0, the latest is t0+30s.
	g := t0.Add(30 * time.Second)
	if _, d, err := m.Reserve(ctx, q, acct("b"), inv("x"), g); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	if h := m.load().hint.Load(); h != t0.UnixNano() {
		t.Fatalf("hint %s, want %s: the test no longer tests the exact path", time.Unix(0, h).UTC(), t0)
	}
	for _, tc := range []struct {
		account string
		at      time.Time
		want    error
	}{
		{"c", g.Add(lead + time.Nanosecond), ErrTooFarAhead},
		{"c", time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC), ErrTooFarAhead},
		{"c", g.Add(-lead - time.Nanosecond), ErrTooLate},
		{"a", g.Add(-lead - time.Nanosecond), ErrTooLate},
		{"c", g.Add(-lead), nil},
		{"d", g.Add(lead), nil},
	} {
		_, d, err := m.Reserve(ctx, q, acct(tc.account), inv("y"), tc.at)
		if tc.want == nil && (err != nil || !d.Allowed) || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s at %s: %s, %v; want %v", tc.account, tc.at, d, err, tc.want)
		}
	}
	// The real instants after a refused far-future one are answered as before: the refusal
	// moved nothing.
	if _, d, err := m.Reserve(ctx, q, acct("a"), inv("z"), g.Add(time.Minute)); err != nil || !d.Allowed {
		t.Errorf("a after the refused instants: %s, %v", d, err)
	}
	if n := len(must(m.History(ctx, Query{Account: "c"})).Records); n != 1 {
		t.Errorf("c has %d records, want 1", n)
	}
	if st := NewMemory(AllowAhead(time.Second)).load(); st.ahead != minAhead {
		t.Errorf("AllowAhead(1s) gives %s", time.Duration(st.ahead))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// An account idle for longer than the lead bound gives up its quota state (its table and
// counters), and once its history is older than the retention the ledger forgets it. It can
// come back only within the bounds, where nothing it gave up applies, and numbers its
// invitations above every number it had.
func TestMemoryForgetsIdleAccounts(t *testing.T) {
	ctx := context.Background()
	q := DefaultPolicy().Quota
	for _, tc := range []struct {
		keep   time.Duration
		forget bool
	}{{0, true}, {30 * 24 * time.Hour, false}} {
		m := NewMemory(AllowAhead(2*24*time.Hour), KeepHistory(tc.keep))
		var ids []string
		for i := 0; len(ids) < 2; i++ {
			if id := fmt.Sprint("a", i); m.shard(id) == m.shard("a0") {
				ids = append(ids, id)
			}
		}
		a := Account{ID: ids[0], HomeMarket: affrules.SG, Partner: true}
		b := Account{ID: ids[1], HomeMarket: affrules.SG, Partner: true}
		inv := func(c string) Invitation {
			return Invitation{Market: affrules.SG, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
		}
		t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
		if _, d, err := m.Reserve(ctx, q, a, inv("x"), t0); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
		// b invites 100 a day for 20 days: a is idle.
		var now time.Time
		for day := range 20 {
			for i := range 100 {
				now = t0.Add(time.Duration(day)*24*time.Hour + time.Duration(i)*time.Minute)
				if _, d, err := m.Reserve(ctx, q, b, inv(fmt.Sprint("b", day, "-", i)), now); err != nil || !d.Allowed {
					t.Fatal(d, err)
				}
			}
		}
		acc := m.accountOf(a.ID)
		if tc.forget {
			if acc != nil {
				t.Fatalf("keep %s: a is still held", tc.keep)
			}
			if page, _ := m.History(ctx, Query{Account: a.ID}); len(page.Records) != 0 {
				t.Errorf("a forgotten, yet its history has %d records", len(page.Records))
			}
			if _, err := m.Respond(ctx, a.ID, 1, now); !errors.Is(err, ErrNotFound) {
				t.Errorf("respond to a forgotten record: %v", err)
			}
		} else {
			if acc == nil || acc.last.slots != nil || acc.dayEnd != 0 {
				t.Fatalf("keep %s: a's quota state not given up", tc.keep)
			}
			if page, _ := m.History(ctx, Query{Account: a.ID}); len(page.Records) != 1 {
				t.Errorf("a's history lost within the retention")
			}
		}
		// a back at an instant its state could have applied to: too late.
		if _, _, err := m.Reserve(ctx, q, a, inv("x"), t0.Add(24*time.Hour)); !errors.Is(err, ErrTooLate) {
			t.Errorf("keep %s: a back at t0+1d: %v, want ErrTooLate", tc.keep, err)
		}
		// a back within the bounds: admitted, numbered above its first invitation.
		r, d, err := m.Reserve(ctx, q, a, inv("x"), now.Add(-time.Hour))
		if err != nil || !d.Allowed || r.Seq != 2 {
			t.Fatalf("keep %s: a back: #%d %s, %v; want #2 admitted", tc.keep, r.Seq, d, err)
		}
		if _, d, _ := m.Reserve(ctx, q, a, inv("x"), now); d.Allowed || !d.Failed(RuleRepeat) {
			t.Errorf("keep %s: x again an hour later: %s, want INV-3", tc.keep, d)
		}
		checkIndex(t, m)
	}
}

// A late instant is judged against every invitation within the window of it, also one that is
// older than the window back from the account's latest instant: table rebuilds keep the
// entries of the window back from the latest instant less the lateness bound.
func TestMemoryLateKeepsWindow(t *testing.T) {
	ctx := context.Background()
	q := Quota{DailyLimit: 1000, RepeatWindowDays: 1}
	m := NewMemory(AllowLate(12 * time.Hour))
	a := Account{ID: "a", HomeMarket: affrules.SG, Partner: true}
	inv := func(c string) Invitation {
		return Invitation{Market: affrules.SG, CreatorID: c, Purpose: ProductDistribution, Message: "hi"}
	}
	t0 := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	if _, d, err := m.Reserve(ctx, q, a, inv("x"), t0); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	latest := t0.Add(30 * time.Hour)
	for i := range 100 { // many rebuilds of the table
		if _, d, err := m.Reserve(ctx, q, a, inv(fmt.Sprint("c", i)), latest); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
	}
	// 12 hours late, 18 hours after x's invitation: within its window.
	_, d, err := m.Reserve(ctx, q, a, inv("x"), latest.Add(-12*time.Hour))
	if err != nil || d.Allowed || !d.Failed(RuleRepeat) || !d.NextAllowed.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("x 18 hours after its invitation: %s, %v; want INV-3 until %s", d, err, t0.Add(24*time.Hour))
	}
}
