package invitationtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/invitation"
)

// Bounds of the state machine: how far an instant is drawn behind the clock (within the
// lateness bound TestLedger asks of a ledger) and how far the clock moves in all.
const (
	machineLate = 50 * time.Millisecond
	machineSpan = 14 * 24 * time.Hour
	// machineSteps caps the actions of one check, which keeps a check against a store that is
	// slow to call (a database) to a fraction of a second.
	machineSteps = 30
	// machineChecks is how many checks the machine runs at most, each against a new ledger,
	// which may be slow to set up (a database schema).
	machineChecks = 20
)

// machineModel is the plain model a ledger is compared with: every invitation recorded, per
// account in the order recorded, and INV-2 and INV-3 applied literally at each request's instant
// by searching them all.
type machineModel struct {
	recs   map[string][]invitation.Record
	latest map[string]time.Time // per account, the latest instant admitted
}

// answer is what the model expects of one reservation.
type answer struct {
	rules []affrules.RuleID
	next  time.Time
	count int       // INV-2's observed count
	day   string    // INV-2's subject
	last  time.Time // INV-3's observed instant
}

func (m *machineModel) countDay(account string, day affrules.Period) int {
	n := 0
	for _, r := range m.recs[account] {
		if day.Contains(r.At) {
			n++
		}
	}
	return n
}

// within returns the account's latest invitation of creator less than the repeat window before
// or after instant t.
func (m *machineModel) within(account, creator string, t time.Time, w time.Duration) (time.Time, bool) {
	var last time.Time
	ok := false
	for _, r := range m.recs[account] {
		if w > 0 && r.CreatorID == creator && t.Sub(r.At) < w && r.At.Sub(t) < w && (!ok || r.At.After(last)) {
			last, ok = r.At, true
		}
	}
	return last, ok
}

// decide answers account a inviting creator at instant at.
func (m *machineModel) decide(q invitation.Quota, a invitation.Account, creator string, at time.Time) answer {
	w := affrules.Days(q.RepeatWindowDays)
	home := location(a.HomeMarket)
	var ans answer
	day := q.Day(home, at) // the home zone's, or the quota's DayZone's
	if n := m.countDay(a.ID, day); n >= q.DailyLimit {
		ans.rules = append(ans.rules, invitation.RuleDaily)
		ans.count, ans.day = n, day.Start.Format(time.DateOnly)
	}
	if last, ok := m.within(a.ID, creator, at, w); ok {
		ans.rules = append(ans.rules, invitation.RuleRepeat)
		ans.last = last
	}
	if len(ans.rules) == 0 {
		return ans
	}
	t := at // the first instant after at at which neither rule refuses
	for {
		if d := q.Day(home, t); m.countDay(a.ID, d) >= q.DailyLimit {
			t = d.End
			continue
		}
		if last, ok := m.within(a.ID, creator, t, w); ok {
			t = last.Add(w)
			continue
		}
		break
	}
	ans.next = t
	return ans
}

// page returns the account's records matching q, newest first, as a ledger's history gives them
// (INV-9), ignoring q's cursor and page size.
func (m *machineModel) page(q invitation.Query) []invitation.Record {
	rs := slices.Clone(m.recs[q.Account])
	slices.SortFunc(rs, func(a, b invitation.Record) int { return int(b.Seq - a.Seq) })
	seen := map[string]bool{}
	var out []invitation.Record
	for _, r := range rs {
		if !q.Matches(r) || q.LatestPerCreator && seen[r.CreatorID] {
			continue
		}
		seen[r.CreatorID] = true
		out = append(out, r)
	}
	return out
}

// machine runs a rapid state machine against a new ledger for each check (at most
// machineChecks, since a ledger may be slow to set up), comparing every
// answer with the plain model: reservations by three accounts of a few creators (INV-2..4) at
// instants that move forward by seconds to days, to local midnights and across London's
// daylight-saving changes (MKT-2), to a repeat window after an earlier invitation give or take
// a nanosecond (MKT-3), and a little late (up to 50 ms); calls that must fail and change
// nothing, Reserve, History and Respond under a cancelled context among them; history pages
// and queries (INV-9); answers, some at the invitation's own instant give or take a
// nanosecond, and answers again, the first standing and one before the invitation an error
// whether answered or not (INV-10).
func (s suite) machine(t *testing.T) {
	affrulestest.Machine(t, machineChecks, s.newLedger, runMachine)
}

func runMachine(t *rapid.T, l invitation.Ledger) {
	ctx := context.Background()
	q := invitation.Quota{
		DailyLimit:       rapid.IntRange(1, 3).Draw(t, "daily_limit"),
		RepeatWindowDays: rapid.SampledFrom([]int{0, 1, 2, 7}).Draw(t, "repeat_window_days"),
	}
	w := affrules.Days(q.RepeatWindowDays)
	m := &machineModel{recs: map[string][]invitation.Record{}, latest: map[string]time.Time{}}
	accounts := []invitation.Account{
		{ID: "acct-uk", HomeMarket: affrules.UK, Markets: []affrules.MarketCode{affrules.ID}, MCN: true, Partner: true},
		{ID: "acct-id", HomeMarket: affrules.ID, MCN: true, Partner: true},
		{ID: "acct-ph", HomeMarket: affrules.PH, Partner: true},
	}
	start := rapid.SampledFrom([]time.Time{
		time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC),  // the night before London's spring forward
		time.Date(2026, 10, 24, 21, 0, 0, 0, time.UTC), // the night before it falls back
	}).Draw(t, "start")
	now := start
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	invitationOf := func(t *rapid.T, a invitation.Account, creator string) invitation.Invitation {
		inv := invite(a.HomeMarket, creator)
		if len(a.Markets) > 0 && rapid.Bool().Draw(t, "abroad") {
			inv.Market = a.Markets[0]
		}
		if a.MCN && rapid.Bool().Draw(t, "partnership") {
			inv.Purpose = invitation.CreatorPartnership
		}
		return inv
	}
	reserve := func(t *rapid.T, q invitation.Quota, a invitation.Account, inv invitation.Invitation, at time.Time) {
		want := m.decide(q, a, inv.CreatorID, at)
		what := fmt.Sprintf("%s→%s at %s", a.ID, inv.CreatorID, stamp(at))
		r, d, err := l.Reserve(ctx, q, a, inv, at)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var got []affrules.RuleID
		for _, reason := range d.Failures() {
			got = append(got, reason.Rule)
			switch reason.Rule {
			case invitation.RuleDaily:
				if reason.Observed != affrules.Count(int64(want.count)) || reason.Subject != want.day || reason.Limit != affrules.Count(int64(q.DailyLimit)) {
					t.Fatalf("%s: INV-2 observes %v on %q (limit %v), want %d on %s", what, reason.Observed, reason.Subject, reason.Limit, want.count, want.day)
				}
			case invitation.RuleRepeat:
				if !reason.Observed.Time().Equal(want.last) || reason.Limit != affrules.DaysOf(q.RepeatWindowDays) {
					t.Fatalf("%s: INV-3 observes %v (limit %v), want the last invitation %s", what, reason.Observed, reason.Limit, stamp(want.last))
				}
			}
		}
		if !slices.Equal(got, want.rules) || d.Allowed != (len(want.rules) == 0) || !d.NextAllowed.Equal(want.next) {
			t.Fatalf("%s: %s (next %s), want the failures %v, next %s", what, d, stamp(d.NextAllowed), want.rules, stamp(want.next))
		}
		if !d.Allowed {
			if r.Seq != 0 {
				t.Fatalf("%s: a refusal recorded #%d", what, r.Seq)
			}
			return
		}
		rs := m.recs[a.ID]
		if r.Account != a.ID || r.Seq < 1 || len(rs) > 0 && r.Seq <= rs[len(rs)-1].Seq || !r.At.Equal(at) {
			t.Fatalf("%s: recorded %s #%d at %s, want a number above the account's last", what, r.Account, r.Seq, stamp(r.At))
		}
		want2 := invitation.Record{Account: a.ID, Seq: r.Seq, At: at, Invitation: inv}
		want2.Contacts = slices.Clone(inv.Contacts)
		if !sameRecord(r, want2) {
			t.Fatalf("%s: recorded %+v, want %+v", what, r, want2)
		}
		m.recs[a.ID] = append(rs, want2)
		if at.After(m.latest[a.ID]) {
			m.latest[a.ID] = at
		}
	}
	checkHistory := func(t *rapid.T, a invitation.Account, limit int) {
		want := m.page(invitation.Query{Account: a.ID})
		var got []invitation.Record
		for before, pages := int64(0), 0; ; pages++ {
			if pages > len(want)+1 {
				t.Fatalf("history of %s: more pages than records", a.ID)
			}
			p, err := l.History(ctx, invitation.Query{Account: a.ID, Before: before, Limit: limit})
			if err != nil {
				t.Fatalf("history of %s: %v", a.ID, err)
			}
			if len(p.Records) > limit {
				t.Fatalf("history of %s: a page of %d records, the size is %d", a.ID, len(p.Records), limit)
			}
			got = append(got, p.Records...)
			if p.Next == 0 {
				break
			}
			before = p.Next
		}
		if !slices.EqualFunc(got, want, sameRecord) {
			t.Fatalf("history of %s:\n got %+v\nwant %+v", a.ID, got, want)
		}
	}

	actions := map[string]func(*rapid.T){
		"advance": func(t *rapid.T) {
			var to time.Time
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 0:
				to = now.Add(time.Duration(rapid.Int64Range(0, int64(3*time.Hour)).Draw(t, "by")))
			case 1: // to a local midnight of a home zone, or a nanosecond before it
				a := rapid.SampledFrom(accounts).Draw(t, "zone")
				to = affrules.DayOf(now, location(a.HomeMarket)).End.Add(-time.Duration(rapid.IntRange(0, 1).Draw(t, "before")))
			case 2:
				to = now.Add(time.Duration(rapid.Int64Range(0, int64(2*24*time.Hour)).Draw(t, "by")))
			}
			if to.Sub(start) > machineSpan {
				t.Skip("the clock has run its span")
			}
			if to.After(now) {
				now = to
			}
		},
		"reserve": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			qc := q
			if rapid.IntRange(0, 3).Draw(t, "other window") == 0 {
				// A quota changed between calls (INV-3's window is policy): a shorter or
				// longer window, judged against every invitation recorded so far.
				qc.RepeatWindowDays = rapid.SampledFrom([]int{0, 1, 2, 7, 10}).Draw(t, "window")
			}
			reserve(t, qc, a, invitationOf(t, a, fmt.Sprint("c", rapid.IntRange(0, 4).Draw(t, "creator"))), now)
		},
		"late": func(t *rapid.T) {
			// Behind the clock, within the lateness bound: judged at its own instant.
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			back := time.Duration(rapid.Int64Range(0, int64(machineLate)).Draw(t, "back"))
			reserve(t, q, a, invitationOf(t, a, fmt.Sprint("c", rapid.IntRange(0, 4).Draw(t, "creator"))), now.Add(-back))
		},
		"repeat": func(t *rapid.T) {
			// A creator again, a repeat window after one of its invitations give or take 1 ns.
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			rs := m.recs[a.ID]
			if len(rs) == 0 {
				t.Skip("no invitations yet")
			}
			r := rapid.SampledFrom(rs).Draw(t, "record")
			at := r.At.Add(w).Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "offset")))
			if at.Before(m.latest[a.ID].Add(-machineLate)) || at.Sub(start) > machineSpan {
				t.Skip("beyond the lateness bound or the span")
			}
			if at.After(now) {
				now = at
			}
			reserve(t, q, a, invitationOf(t, a, r.CreatorID), at)
		},
		"invalid": func(t *rapid.T) {
			// Calls that are errors, each of which records nothing and changes no later answer.
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			inv := invitationOf(t, a, "c0")
			var err error
			var d affrules.Decision
			var r invitation.Record
			switch kind := rapid.IntRange(0, 6).Draw(t, "kind"); kind {
			case 0:
				r, d, err = l.Reserve(ctx, invitation.Quota{}, a, inv, now)
			case 1:
				inv.CreatorID = ""
				r, d, err = l.Reserve(ctx, q, a, inv, now)
			case 2:
				r, d, err = l.Reserve(cancelled, q, a, inv, now)
			case 3:
				r, d, err = l.Reserve(ctx, q, a, inv, time.Time{})
			case 4:
				if len(m.recs[a.ID]) == 0 {
					t.Skip("an account without invitations may have any home market")
				}
				other := a
				other.HomeMarket = affrules.VN
				r, d, err = l.Reserve(ctx, q, other, invite(affrules.VN, "c0"), now)
			case 5:
				if p, err := l.History(cancelled, invitation.Query{Account: a.ID}); err == nil {
					t.Fatalf("history of %s under a cancelled context: %d records, no error", a.ID, len(p.Records))
				}
				return
			case 6:
				// An answer under a cancelled context is an error and records none: the model
				// keeps the invitation unanswered, which later answers and history check.
				seq := int64(1)
				if rs := m.recs[a.ID]; len(rs) > 0 {
					seq = rapid.SampledFrom(rs).Draw(t, "record").Seq
				}
				if _, err := l.Respond(cancelled, a.ID, seq, now); err == nil {
					t.Fatalf("respond %s #%d under a cancelled context: no error", a.ID, seq)
				}
				return
			}
			if err == nil || d.Allowed || r.Seq != 0 {
				t.Fatalf("an invalid call by %s: #%d %s, %v; want an error", a.ID, r.Seq, d, err)
			}
		},
		"history": func(t *rapid.T) {
			checkHistory(t, rapid.SampledFrom(accounts).Draw(t, "account"), rapid.IntRange(1, 4).Draw(t, "limit"))
		},
		"query": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			q := invitation.Query{Account: a.ID, Limit: 1000, LatestPerCreator: rapid.Bool().Draw(t, "latest")}
			if rapid.Bool().Draw(t, "search") {
				q.Search = rapid.SampledFrom([]string{"C1", "user_c2", "nick", "x"}).Draw(t, "text")
			}
			if rapid.Bool().Draw(t, "range") {
				q.From = now.Add(-time.Duration(rapid.Int64Range(0, int64(3*24*time.Hour)).Draw(t, "from")))
				q.To = q.From.Add(time.Duration(rapid.Int64Range(0, int64(2*24*time.Hour)).Draw(t, "to")))
			}
			q.Purpose = rapid.SampledFrom([]invitation.Purpose{"", invitation.CreatorPartnership, invitation.ProductDistribution}).Draw(t, "purpose")
			q.Market = rapid.SampledFrom([]affrules.MarketCode{"", a.HomeMarket, affrules.ID}).Draw(t, "market")
			p, err := l.History(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			if want := m.page(q); !slices.EqualFunc(p.Records, want, sameRecord) {
				t.Fatalf("%+v:\n got %+v\nwant %+v", q, p.Records, want)
			}
		},
		"respond": func(t *rapid.T) {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			rs := m.recs[a.ID]
			var top int64
			if len(rs) > 0 {
				top = rs[len(rs)-1].Seq
			}
			seq := rapid.Int64Range(0, top+1).Draw(t, "seq")
			i := slices.IndexFunc(rs, func(r invitation.Record) bool { return r.Seq == seq })
			var at time.Time
			if i >= 0 && rapid.Bool().Draw(t, "at the invitation") {
				// At the invitation's own instant give or take 1 ns, answered or not yet.
				at = rs[i].At.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "offset")))
			} else {
				at = now.Add(-time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "back")))
			}
			got, err := l.Respond(ctx, a.ID, seq, at)
			switch {
			case i < 0:
				if !errors.Is(err, invitation.ErrNotFound) {
					t.Fatalf("respond %s #%d, no such invitation: %v, want an error wrapping ErrNotFound", a.ID, seq, err)
				}
			case at.Before(rs[i].At):
				// "An instant before the invitation was sent is an error, answered or not."
				if err == nil {
					t.Fatalf("respond %s #%d at %s, before the invitation at %s: no error", a.ID, seq, stamp(at), stamp(rs[i].At))
				}
			default:
				if rs[i].InterestedAt.IsZero() {
					rs[i].InterestedAt = at // INV-10: the first answer stands
				}
				if err != nil || !sameRecord(got, rs[i]) {
					t.Fatalf("respond %s #%d at %s: %+v, %v; want %+v", a.ID, seq, stamp(at), got, err, rs[i])
				}
			}
		},
		"answer again": func(t *rapid.T) {
			// An invitation answered already, answered again at its own instant give or take
			// 1 ns: the first answer stands, and an instant before the invitation was sent is
			// an error, answered or not (INV-10).
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			rs := m.recs[a.ID]
			var answered []int
			for i, r := range rs {
				if r.Interested() {
					answered = append(answered, i)
				}
			}
			if len(answered) == 0 {
				t.Skip("no answered invitation")
			}
			r := rs[rapid.SampledFrom(answered).Draw(t, "answered")]
			at := r.At.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "offset")))
			got, err := l.Respond(ctx, a.ID, r.Seq, at)
			switch {
			case at.Before(r.At):
				if err == nil {
					t.Fatalf("respond %s #%d again at %s, before the invitation at %s: no error", a.ID, r.Seq, stamp(at), stamp(r.At))
				}
			case err != nil || !sameRecord(got, r):
				t.Fatalf("respond %s #%d again at %s: %+v, %v; want %+v", a.ID, r.Seq, stamp(at), got, err, r)
			}
		},
	}
	t.Repeat(affrulestest.Capped(machineSteps, actions))
	for _, a := range accounts {
		checkHistory(t, a, 1000)
	}
}
