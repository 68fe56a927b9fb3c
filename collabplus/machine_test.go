package collabplus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/level"
)

// lcMachCollab is one collaboration as the plain model keeps it: its period, the instants of
// its lifecycle events (zero: none), the creator group's minimum level as it was when the
// collaboration was submitted or its final terms set, and its members.
type lcMachCollab struct {
	period                         affrules.Period
	submitted, due, paid, recalled time.Time
	minLevel                       level.Level
	members                        map[string]bool
}

// state is CP-7 read plainly.
func (c *lcMachCollab) state(t time.Time) collabplus.State {
	switch {
	case c.submitted.IsZero() || t.Before(c.submitted):
		return collabplus.Draft
	case c.paid.IsZero() || t.Before(c.paid):
		if t.Before(c.due) {
			return collabplus.PendingPayment
		}
		return collabplus.Expired
	case !c.recalled.IsZero() && !t.Before(c.recalled):
		return collabplus.Recalled
	case t.Before(c.period.Start):
		return collabplus.Paid
	case t.Before(c.period.End):
		return collabplus.Ongoing
	}
	return collabplus.Ended
}

// lcMach is the plain model of one seller's record: the record it must be (want), kept by the
// rules of SPEC §5 written out one by one. Each method returns the reasons ("rule key") an
// action must be refused with, or bad when it is bad input, and the change it makes when
// accepted.
type lcMach struct {
	p      collabplus.Policy
	loc    *time.Location
	want   collabplus.Seller
	subs   []lcPlainSub
	cs     map[string]*lcMachCollab
	blocks []collabplus.Block
	group  level.Level // group g1's minimum level now
}

func (m *lcMach) sub(id string) *lcPlainSub {
	for i := range m.subs {
		if m.subs[i].id == id {
			return &m.subs[i]
		}
	}
	return nil
}

func (m *lcMach) collab(id string) *collabplus.Collaboration {
	for i := range m.want.Collaborations {
		if m.want.Collaborations[i].ID == id {
			return &m.want.Collaborations[i]
		}
	}
	return nil
}

// lcMachState is the model's CP-7 refusal of an action in a state that needs limit.
func lcMachState(limit string) string { return "CP-7 " + string(lcKeyState) + " " + limit }

// blockedAt reports whether creator is blocked at t: the last change at or before t blocks.
func (m *lcMach) blockedAt(creator string, t time.Time) bool {
	blocked := false
	for _, b := range m.blocks {
		if b.Creator == creator && !b.At.After(t) {
			blocked = b.Blocked
		}
	}
	return blocked
}

// CP-7: a draft is added once per ID.
func (m *lcMach) draft(id string, terms collabplus.Terms) (reasons []string, bad bool, apply func()) {
	if m.cs[id] != nil {
		return nil, true, nil
	}
	return nil, false, func() {
		m.cs[id] = &lcMachCollab{period: terms.Period, members: map[string]bool{}}
		m.want.Collaborations = append(m.want.Collaborations, collabplus.Collaboration{ID: id, Market: m.want.Market, Preferences: terms})
	}
}

// CP-7: only a draft is edited.
func (m *lcMach) edit(id string, terms collabplus.Terms, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	if c.state(at) != collabplus.Draft {
		return []string{lcMachState("draft")}, false, nil
	}
	return nil, false, func() { m.collab(id).Preferences = terms }
}

// CP-3, CP-7, CP-17: a draft is submitted by an allowlisted seller, under the quota, before its
// period starts; the refusal names every rule failing, and, when the quota alone fails, the
// first instant it admits one more.
func (m *lcMach) submit(id string, allowlisted bool, at time.Time) (reasons []string, next time.Time, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, time.Time{}, true, nil
	}
	if c.state(at) != collabplus.Draft {
		return []string{lcMachState("draft")}, time.Time{}, false, nil
	}
	if !allowlisted {
		reasons = append(reasons, "CP-17 "+string(lcKeyAllowlist))
	}
	if lcPlainCount(m.p, m.loc, m.subs, at) >= m.p.QuotaLimit {
		reasons = append(reasons, "CP-3 "+string(lcKeyQuota))
		if len(reasons) == 1 {
			next = lcPlainNext(m.p, m.loc, m.subs, at)
			if !next.Before(c.period.Start) { // CP-7 would refuse it then (MKT-5)
				next = time.Time{}
			}
		}
	}
	if !at.Before(c.period.Start) {
		reasons = append(reasons, "CP-7 "+string(lcKeyStarted))
		next = time.Time{}
	}
	return reasons, next, false, func() {
		c.submitted, c.due, c.minLevel = at, at.Add(24*time.Hour), m.group
		m.subs = append(m.subs, lcPlainSub{id: id, at: at, due: c.due})
		w := m.collab(id)
		w.Events = append(w.Events, collabplus.Event{Kind: collabplus.Submitted, At: at, Due: c.due})
		g := m.want.Groups[0]
		w.Group = &g
		m.want.Submissions = append(m.want.Submissions, collabplus.Submission{Collaboration: id, At: at})
	}
}

// CP-7: payment inside the window, before the period starts, by a method of the policy; after
// the window, refused as late; at or after the start, refused and nothing recorded.
func (m *lcMach) pay(id, method string, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	switch c.state(at) {
	case collabplus.Expired:
		return []string{"CP-7 " + string(lcKeyPaymentLate)}, false, nil
	case collabplus.PendingPayment:
	default:
		return []string{lcMachState("pending_payment")}, false, nil
	}
	if !at.Before(c.period.Start) {
		return []string{"CP-7 " + string(lcKeyPayStarted)}, false, nil
	}
	if !slices.Contains(m.p.PaymentMethods, method) {
		return nil, true, nil
	}
	return nil, false, func() {
		c.paid = at
		m.sub(id).paid = at
		w := m.collab(id)
		w.Events = append(w.Events, collabplus.Event{Kind: collabplus.PaidEvent, At: at, Method: method})
	}
}

// CP-7: a paid collaboration is recalled before its start; an ongoing one is not cancelled.
func (m *lcMach) recall(id string, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	switch c.state(at) {
	case collabplus.Ongoing:
		return []string{"CP-7 " + string(lcKeyOngoing)}, false, nil
	case collabplus.Paid:
	default:
		return []string{lcMachState("paid")}, false, nil
	}
	return nil, false, func() {
		c.recalled = at
		m.sub(id).recalled = at
		w := m.collab(id)
		w.Events = append(w.Events, collabplus.Event{Kind: collabplus.RecalledEvent, At: at})
	}
}

// CP-7, CP-15: final terms while pending payment or paid, before the start; the group is taken
// as it is then.
func (m *lcMach) finalize(id string, terms collabplus.Terms, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	if st := c.state(at); st != collabplus.PendingPayment && st != collabplus.Paid {
		return []string{lcMachState("pending_payment or paid")}, false, nil
	}
	if !at.Before(c.period.Start) {
		return []string{"CP-7 " + string(lcKeyFinalStarted)}, false, nil
	}
	return nil, false, func() {
		c.minLevel = m.group
		w := m.collab(id)
		f, g := terms, m.want.Groups[0]
		w.Final, w.Group = &f, &g
	}
}

// CP-4, CP-7, CP-13: a creator joins an ongoing collaboration once, at a level the group (as
// it was at the submission) admits, not blocked at its publication nor blocked since. Before
// the start of a paid one the refusal names the start, if time alone is the obstacle (MKT-5).
func (m *lcMach) join(id, creator string, lv level.Level, at time.Time) (reasons []string, next time.Time, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, time.Time{}, true, nil
	}
	paid := false
	switch c.state(at) {
	case collabplus.Ongoing:
	case collabplus.Paid:
		paid = true
		reasons = append(reasons, lcMachState("ongoing"))
	default:
		return []string{lcMachState("ongoing")}, time.Time{}, false, nil
	}
	if c.members[creator] {
		reasons = append(reasons, "CP-7 "+string(lcKeyMember))
	}
	if lv < c.minLevel {
		reasons = append(reasons, "CP-4 "+string(lcKeyLevelLow))
	}
	blocked := m.blockedAt(creator, c.paid)
	for _, b := range m.blocks {
		blocked = blocked || b.Creator == creator && b.Blocked && b.At.After(c.paid) && !b.At.After(at)
	}
	if blocked {
		reasons = append(reasons, "CP-13 "+string(lcKeyBlocked))
	}
	if paid {
		if len(reasons) == 1 {
			next = c.period.Start
		}
		return reasons, next, false, nil
	}
	return reasons, time.Time{}, false, func() {
		c.members[creator] = true
		w := m.collab(id)
		w.Members = append(w.Members, collabplus.Member{Creator: creator, Joined: at})
	}
}

// CP-13: a block or an unblock is recorded when it changes something.
func (m *lcMach) block(creator string, blocked bool, at time.Time) (reasons []string, bad bool, apply func()) {
	return nil, false, func() {
		if m.blockedAt(creator, at) != blocked {
			b := collabplus.Block{Creator: creator, Blocked: blocked, At: at}
			m.blocks = append(m.blocks, b)
			m.want.Blocklist = append(m.want.Blocklist, b)
		}
	}
}

// CP-4: saving group g1 again replaces it.
func (m *lcMach) saveGroup(lv level.Level) (reasons []string, bad bool, apply func()) {
	return nil, false, func() {
		m.group = lv
		m.want.Groups[0] = collabplus.Group{ID: lcGroup, MinLevel: lv}
	}
}

var (
	lcMachIDs      = []string{"c0", "c1", "c2", "c3", "c4", "c5"}
	lcMachCreators = []string{"mali", "kai", "niran"}
)

// lcMachine is the state machine of one seller's record: creator group g1, drafts, edits,
// submissions (CP-3, CP-17, CP-7), payments, recalls, final terms, blocks and unblocks, joins
// (CP-4, CP-13), at instants moving forward (and sometimes backwards), under a drawn quota
// policy, in Thailand or the UK. It drives Evaluator.Apply and a Memory store side by side and
// compares both with lcMach after every step: accepted actions make the model's record, refused
// ones name the model's reasons (and, for the quota alone, its next instant) and change
// nothing, bad input is a FieldError and changes nothing.
func lcMachine(t *rapid.T) {
	ctx := context.Background()
	p := lcGenPolicy(t)
	e := collabplus.MustNew(p, lcCom)
	market, loc := lcGenMarket(t)
	s, err := e.NewSeller(lcShop, market, lcT0)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = e.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L3}), lcT0); err != nil {
		t.Fatal(err)
	}
	store := collabplus.NewMemory()
	if _, err := store.Create(ctx, s); err != nil {
		t.Fatal(err)
	}
	m := &lcMach{p: p, loc: loc, want: lcSnapshot(s), cs: map[string]*lcMachCollab{}, group: level.L3}
	// Periods of 14 days starting 10, 20 or 35 days after the first day, local midnights.
	y, mo, d := lcT0.In(loc).Date()
	periods := []affrules.Period{
		lcDays(time.Date(y, mo, d+10, 0, 0, 0, 0, loc), 14),
		lcDays(time.Date(y, mo, d+20, 0, 0, 0, 0, loc), 14),
		lcDays(time.Date(y, mo, d+35, 0, 0, 0, 0, loc), 14),
	}
	facts := func(allowlisted bool) collabplus.Facts {
		return collabplus.Facts{Allowlisted: allowlisted, Eligibility: []eligibility.Result{lcEligible(lcProduct, lcShop, market)}}
	}
	clock := lcT0

	// when draws the instant of the next action: the clock, moved on by nothing, a
	// nanosecond, an hour, a day, or to (or just before) the next instant something changes:
	// a payment window's end, a period's start or end, the quota's next slot; or, sometimes,
	// an instant before the record's last change.
	when := func(t *rapid.T) time.Time {
		switch rapid.IntRange(0, 9).Draw(t, "clock") {
		case 0, 1:
		case 2:
			clock = clock.Add(time.Nanosecond)
		case 3, 4:
			clock = clock.Add(time.Hour)
		case 5:
			clock = clock.Add(24 * time.Hour)
		case 6, 7:
			var ahead []time.Time
			for _, c := range m.cs {
				ahead = append(ahead, c.due, c.period.Start, c.period.End)
			}
			ahead = append(ahead, lcPlainNext(p, loc, m.subs, clock))
			ahead = slices.DeleteFunc(ahead, func(x time.Time) bool { return !x.After(clock) })
			if len(ahead) > 0 {
				slices.SortFunc(ahead, time.Time.Compare)
				clock = ahead[0].Add(-time.Duration(rapid.IntRange(0, 1).Draw(t, "justBefore")))
			}
		case 8:
			clock = clock.Add(time.Duration(rapid.IntRange(2, 9).Draw(t, "days")) * 24 * time.Hour)
		case 9:
			if lcSometimes(t, "backwards", 3) && m.want.Updated.After(lcT0) { // must be refused as bad input
				return m.want.Updated.Add(-rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour, 30 * 24 * time.Hour}).Draw(t, "back"))
			}
		}
		return clock
	}

	// step applies a at at to the record and the store and checks both against the model.
	step := func(t *rapid.T, name string, a collabplus.Action, at time.Time, reasons []string, next time.Time, bad bool, apply func()) {
		if at.Before(m.want.Updated) { // instants only move forward
			reasons, next, bad = nil, time.Time{}, true
		}
		got, err := e.Apply(s, a, at)
		stored, serr := store.Apply(ctx, e, lcShop, a, at)
		for _, x := range []error{err, serr} {
			var refusal *affrules.Refusal
			var fe *affrules.FieldError
			switch {
			case bad:
				if !errors.As(x, &fe) || errors.Is(x, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a FieldError", a, at, x)
				}
			case len(reasons) > 0:
				if !errors.As(x, &refusal) || !errors.Is(x, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a refusal for %v", a, at, x, reasons)
				}
				want := slices.Clone(reasons)
				for i, r := range want { // a state reason's limit is compared on its own
					if limit, ok := strings.CutPrefix(r, lcMachState("")); ok {
						want[i] = strings.TrimSuffix(lcMachState(""), " ")
						if got := refusal.Decision.Reasons[0].Limit; got != affrules.Text(limit) {
							t.Fatalf("%v at %v: CP-7 limit %v, want %q", a, at, got, limit)
						}
					}
				}
				slices.Sort(want)
				if diff := cmp.Diff(want, lcReasonKeys(refusal.Decision.Reasons)); diff != "" {
					t.Fatalf("%v at %v: reasons (-want +got):\n%s\n%v", a, at, diff, refusal)
				}
				if refusal.Action != name || !refusal.Decision.NextAllowed.Equal(next) {
					t.Fatalf("%v at %v: refusal of %q, next allowed %v; want %q, %v", a, at, refusal.Action, refusal.Decision.NextAllowed, name, next)
				}
			case x != nil:
				t.Fatalf("%v at %v: %v", a, at, x)
			}
		}
		if err != nil {
			if diff := cmp.Diff(s, got, lcEquate); diff != "" {
				t.Fatalf("%v at %v refused: the record returned is not the one given (-given +returned):\n%s", a, at, diff)
			}
			return
		}
		apply()
		m.want.Updated = at
		if diff := cmp.Diff(got, stored, lcEquate); diff != "" {
			t.Fatalf("%v at %v: the store's record is not Apply's (-Apply +store):\n%s", a, at, diff)
		}
		s = got
	}

	noNext := time.Time{}
	// id draws, most of the time, a collaboration in one of the states the action needs at
	// the clock (a draft to submit, one pending payment to pay, an ongoing one to join), and
	// otherwise any ID.
	id := func(t *rapid.T, states ...collabplus.State) string {
		var usual []string
		for _, id := range lcMachIDs {
			if c := m.cs[id]; c != nil && slices.Contains(states, c.state(clock)) {
				usual = append(usual, id)
			}
		}
		if len(usual) > 0 && !lcSometimes(t, "other", 5) {
			return rapid.SampledFrom(usual).Draw(t, "id")
		}
		return rapid.SampledFrom(lcMachIDs).Draw(t, "id")
	}
	terms := func(t *rapid.T, id string) collabplus.Terms {
		period := rapid.SampledFrom(periods).Draw(t, "period")
		if c := m.cs[id]; c != nil {
			period = c.period // final terms and edits keep the period
		}
		tm := lcTask(period)
		tm.Reward = lcDec(fmt.Sprintf("%d.00", rapid.IntRange(1, 999).Draw(t, "reward")))
		return tm
	}
	actions := map[string]func(*rapid.T){
		"draft": func(t *rapid.T) {
			id := id(t)
			tm := terms(t, id)
			at := when(t)
			reasons, bad, apply := m.draft(id, tm)
			step(t, "draft", collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: tm}), at, reasons, noNext, bad, apply)
		},
		"edit": func(t *rapid.T) {
			id := id(t, collabplus.Draft)
			tm := terms(t, id)
			at := when(t)
			reasons, bad, apply := m.edit(id, tm, at)
			step(t, "edit", collabplus.Edit(id, tm), at, reasons, noNext, bad, apply)
		},
		"submit": func(t *rapid.T) {
			id := id(t, collabplus.Draft)
			allowlisted := !lcSometimes(t, "notAllowlisted", 6)
			at := when(t)
			reasons, next, bad, apply := m.submit(id, allowlisted, at)
			step(t, "submit", collabplus.Submit(id, facts(allowlisted)), at, reasons, next, bad, apply)
		},
		"pay": func(t *rapid.T) {
			id := id(t, collabplus.PendingPayment)
			method := rapid.SampledFrom([]string{"credit_card", "debit_card", "bank_transfer", "credit_card", "cash"}).Draw(t, "method")
			at := when(t)
			reasons, bad, apply := m.pay(id, method, at)
			step(t, "pay", collabplus.Pay(id, method), at, reasons, noNext, bad, apply)
		},
		"recall": func(t *rapid.T) {
			id := id(t, collabplus.Paid)
			at := when(t)
			reasons, bad, apply := m.recall(id, at)
			step(t, "recall", collabplus.Recall(id), at, reasons, noNext, bad, apply)
		},
		"finalize": func(t *rapid.T) {
			id := id(t, collabplus.PendingPayment, collabplus.Paid)
			tm := terms(t, id)
			at := when(t)
			reasons, bad, apply := m.finalize(id, tm, at)
			step(t, "finalize", collabplus.Finalize(id, tm), at, reasons, noNext, bad, apply)
		},
		"join": func(t *rapid.T) {
			id := id(t, collabplus.Ongoing)
			creator := rapid.SampledFrom(lcMachCreators).Draw(t, "creator")
			lv := level.Level(rapid.IntRange(0, 8).Draw(t, "level"))
			at := when(t)
			reasons, next, bad, apply := m.join(id, creator, lv, at)
			step(t, "join", collabplus.Join(id, collabplus.Creator{ID: creator, Level: lv}), at, reasons, next, bad, apply)
		},
		"block": func(t *rapid.T) {
			creator := rapid.SampledFrom(lcMachCreators).Draw(t, "creator")
			blocked := rapid.Bool().Draw(t, "blocked")
			at := when(t)
			reasons, bad, apply := m.block(creator, blocked, at)
			a := collabplus.UnblockCreator(creator)
			if blocked {
				a = collabplus.BlockCreator(creator)
			}
			step(t, "block", a, at, reasons, noNext, bad, apply)
		},
		"group": func(t *rapid.T) {
			lv := level.Level(rapid.IntRange(0, 8).Draw(t, "minLevel"))
			at := when(t)
			reasons, bad, apply := m.saveGroup(lv)
			step(t, "save_group", collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: lv}), at, reasons, noNext, bad, apply)
		},
		"": func(t *rapid.T) {
			if diff := cmp.Diff(m.want, s, lcEquate); diff != "" {
				t.Fatalf("record (-model +got):\n%s", diff)
			}
			got, err := store.Seller(ctx, lcShop)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m.want, got, lcEquate); diff != "" {
				t.Fatalf("stored record (-model +got):\n%s", diff)
			}
			for _, w := range s.Collaborations { // CP-7: the state at the clock is the plain one
				if got, want := w.StateAt(clock), m.cs[w.ID].state(clock); got != want {
					t.Fatalf("%s at %v: %v, plain %v", w.ID, clock, got, want)
				}
			}
			// CP-3: never more than the limit counted at any submission.
			for _, x := range m.subs {
				if n := lcPlainCount(p, loc, m.subs, x.at); n > p.QuotaLimit {
					t.Fatalf("%d submissions count at %v, more than %d", n, x.at, p.QuotaLimit)
				}
			}
		},
	}
	// A start most runs share: a few collaborations drafted, submitted and paid, creators
	// blocked, then the clock at the first period's start.
	if !lcSometimes(t, "noStart", 4) {
		for range rapid.IntRange(1, 4).Draw(t, "drafts") {
			actions["draft"](t)
			actions["submit"](t)
			actions["pay"](t)
		}
		actions["block"](t)
		if rapid.Bool().Draw(t, "toStart") && periods[0].Start.After(clock) {
			clock = periods[0].Start
		}
	}
	t.Repeat(actions)
}

// CP-3, CP-4, CP-7, CP-13, CP-15, CP-17: drafts, edits, submissions, payments, recalls, final
// terms, blocks, unblocks, group changes and joins, applied with Evaluator.Apply and through a
// Memory store, agree with the plain model at every step.
func TestMachine_CP7(t *testing.T) { rapid.Check(t, lcMachine) }

// FuzzMachine drives the state machine of TestMachine_CP7 from fuzzed bytes (rapid.MakeFuzz).
// Every input must finish within lcMachineLimit.
func FuzzMachine(f *testing.F) {
	run := rapid.MakeFuzz(lcMachine)
	f.Fuzz(func(t *testing.T, b []byte) { deadline.Within(t, lcMachineLimit, func() { run(t, b) }) })
}

// lcMachineLimit is the per-input deadline of FuzzMachine: one input is a whole run of the
// machine, a few dozen actions taking milliseconds, ten times more under the race detector.
const lcMachineLimit = 10 * time.Second
