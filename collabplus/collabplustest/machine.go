package collabplustest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// machineChecks is how many runs of the machine TestStore makes at most: each makes a new
// store, which for a database-backed store may be a schema and a connection pool of its own.
const machineChecks = 15

// sometimes draws true about once in n.
func sometimes(t *rapid.T, label string, n int) bool { return rapid.IntRange(1, n).Draw(t, label) == n }

// The message keys of the reasons the machine's model gives.
const (
	keyState       = "collabplus.cp7.state"
	keyPaymentLate = "collabplus.cp7.payment_late"
	keyOngoing     = "collabplus.cp7.ongoing"
	keyStarted     = "collabplus.cp7.started"
	keyPayStarted  = "collabplus.cp7.pay_started"
	keyFinalStart  = "collabplus.cp7.final_started"
	keyMember      = "collabplus.cp7.member"
	keyAllowlist   = "collabplus.cp17.not_allowlisted"
	keyQuota       = "collabplus.cp3.quota"
	keyBlocked     = "collabplus.cp13.blocked"
	keyBlockedJoin = "collabplus.cp13.blocked_at_join"
	keyLevelLow    = "collabplus.cp4.level_low"
	keyNotPerm     = "collabplus.elg11.not_permanent"
	keyNothingEnd  = "collabplus.elg11.nothing_to_end"
	keyEndedBefore = "collabplus.elg11.ended_before"
	keyShopOut     = "collabplus.elg11.shop_disqualified"
	keyAllEnded    = "collabplus.elg11.all_ended"
)

// msub is one submission as the plain reading of CP-3 and CP-7 sees it: when it was submitted,
// the end of its payment window, and when it was paid and recalled (zero: not).
type msub struct {
	id             string
	at, due        time.Time
	paid, recalled time.Time
}

// counts reports whether submission sub counts towards the quota of p at instant u in zone loc
// (CP-3): submitted by u; fewer than QuotaDays calendar days from its day to u's (or, rolling,
// less than QuotaDays × 24 h before u); not expired or recalled by u where p leaves those out.
func counts(p collabplus.Policy, loc *time.Location, sub msub, u time.Time) bool {
	if sub.at.After(u) {
		return false
	}
	if p.QuotaCalendarDays {
		y1, m1, d1 := sub.at.In(loc).Date()
		y2, m2, d2 := u.In(loc).Date()
		days := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour)
		if int(days) >= p.QuotaDays {
			return false
		}
	} else if u.Sub(sub.at) >= time.Duration(p.QuotaDays)*24*time.Hour {
		return false
	}
	paid := !sub.paid.IsZero() && !sub.paid.After(u)
	if !paid && !u.Before(sub.due) && !p.QuotaCountsExpired {
		return false
	}
	if !sub.recalled.IsZero() && !sub.recalled.After(u) && !p.QuotaCountsRecalled {
		return false
	}
	return true
}

func count(p collabplus.Policy, loc *time.Location, subs []msub, u time.Time) int {
	n := 0
	for _, s := range subs {
		if counts(p, loc, s, u) {
			n++
		}
	}
	return n
}

// nextSlot returns the first instant after at when fewer than QuotaLimit submissions count, if
// nothing else happens.
func nextSlot(p collabplus.Policy, loc *time.Location, subs []msub, at time.Time) time.Time {
	var cands []time.Time
	for _, s := range subs {
		y, m, d := s.at.In(loc).Date()
		cands = append(cands, midnight(y, m, d+p.QuotaDays, loc), s.at.Add(time.Duration(p.QuotaDays)*24*time.Hour), s.due)
	}
	slices.SortFunc(cands, time.Time.Compare)
	for _, c := range cands {
		if c.After(at) && count(p, loc, subs, c) < p.QuotaLimit {
			return c
		}
	}
	return time.Time{}
}

// mcollab is one collaboration as the plain model keeps it: its period, the instants of its
// lifecycle events (zero: none), the group's minimum level as it was when it was submitted or
// its final terms set, its members, and when a disqualification ended its one product's
// participation (ELG-11; zero: never) and whether only a temporary one has (temporary).
type mcollab struct {
	period                         affrules.Period
	submitted, due, paid, recalled time.Time
	minLevel                       level.Level
	members                        map[string]bool
	ended                          time.Time
	temporary                      bool
}

// endedBy reports whether c's one product had left it by t (ELG-11).
func (c *mcollab) endedBy(t time.Time) bool { return !c.ended.IsZero() && !c.ended.After(t) }

// state is CP-7 read plainly.
func (c *mcollab) state(t time.Time) collabplus.State {
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

// model is the plain model of one seller's record: the record it must be (want), kept by the
// rules of SPEC §5 written out one by one. Each method returns the reasons ("rule key") an
// action must be refused with, or bad when it is bad input, and the change it makes when
// accepted.
type model struct {
	p      collabplus.Policy
	loc    *time.Location
	want   collabplus.Seller
	subs   []msub
	cs     map[string]*mcollab
	blocks []collabplus.Block
	group  level.Level // group g1's minimum level now
}

func (m *model) sub(id string) *msub {
	for i := range m.subs {
		if m.subs[i].id == id {
			return &m.subs[i]
		}
	}
	return nil
}

func (m *model) collab(id string) *collabplus.Collaboration {
	for i := range m.want.Collaborations {
		if m.want.Collaborations[i].ID == id {
			return &m.want.Collaborations[i]
		}
	}
	return nil
}

// stateReason is CP-7's refusal of an action in a state that needs limit.
func stateReason(limit string) string { return "CP-7 " + keyState + " " + limit }

// blockedAt reports whether creator is blocked at t: the last change at or before t blocks.
func (m *model) blockedAt(creator string, t time.Time) bool {
	blocked := false
	for _, b := range m.blocks {
		if b.Creator == creator && !b.At.After(t) {
			blocked = b.Blocked
		}
	}
	return blocked
}

// CP-7: a draft is added once per ID.
func (m *model) draft(id string, terms collabplus.Terms) (reasons []string, bad bool, apply func()) {
	if m.cs[id] != nil {
		return nil, true, nil
	}
	return nil, false, func() {
		m.cs[id] = &mcollab{period: terms.Period, members: map[string]bool{}}
		m.want.Collaborations = append(m.want.Collaborations, collabplus.Collaboration{ID: id, Market: m.want.Market, Preferences: terms})
	}
}

// CP-7: only a draft is edited.
func (m *model) edit(id string, terms collabplus.Terms, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	if c.state(at) != collabplus.Draft {
		return []string{stateReason("draft")}, false, nil
	}
	return nil, false, func() { m.collab(id).Preferences = terms }
}

// CP-3, CP-7, CP-17: a draft is submitted by an allowlisted seller, under the quota, before its
// period starts; the refusal names every rule failing and, when the quota alone fails, the
// first instant it admits one more.
func (m *model) submit(id string, allowlisted bool, at time.Time) (reasons []string, next time.Time, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, time.Time{}, true, nil
	}
	if c.state(at) != collabplus.Draft {
		return []string{stateReason("draft")}, time.Time{}, false, nil
	}
	if !allowlisted && !slices.Contains(m.p.OpenMarkets, m.want.Market) {
		reasons = append(reasons, "CP-17 "+keyAllowlist)
	}
	if count(m.p, m.loc, m.subs, at) >= m.p.QuotaLimit {
		reasons = append(reasons, "CP-3 "+keyQuota)
		if len(reasons) == 1 {
			next = nextSlot(m.p, m.loc, m.subs, at)
			if !next.Before(c.period.Start) { // CP-7 would refuse it then (MKT-5)
				next = time.Time{}
			}
		}
	}
	if !at.Before(c.period.Start) {
		reasons = append(reasons, "CP-7 "+keyStarted)
		next = time.Time{}
	}
	if !m.want.Disqualified.IsZero() { // ELG-6, ELG-11: the shop is out for good
		reasons = append(reasons, "ELG-11 "+keyShopOut)
		next = time.Time{}
	}
	for _, o := range m.cs { // ELG-11: product p1 left a collaboration, so it is disqualified for good
		if o.endedBy(at) && !o.temporary {
			reasons = append(reasons, "ELG-11 "+keyEndedBefore)
			next = time.Time{}
			break
		}
	}
	return reasons, next, false, func() {
		c.submitted, c.due, c.minLevel = at, at.Add(time.Duration(m.p.PaymentHours)*time.Hour), m.group
		m.subs = append(m.subs, msub{id: id, at: at, due: c.due})
		w := m.collab(id)
		w.Events = append(w.Events, collabplus.Event{Kind: collabplus.Submitted, At: at, Due: c.due})
		g := m.want.Groups[0]
		w.Group = &g
		m.want.Submissions = append(m.want.Submissions, collabplus.Submission{Collaboration: id, At: at})
	}
}

// CP-7, ELG-11: payment inside the window, before the period starts, by a method of the
// policy, of a collaboration whose product has not left it.
func (m *model) pay(id, method string, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	switch c.state(at) {
	case collabplus.Expired:
		return []string{"CP-7 " + keyPaymentLate}, false, nil
	case collabplus.PendingPayment:
	default:
		return []string{stateReason("pending_payment")}, false, nil
	}
	if !at.Before(c.period.Start) {
		return []string{"CP-7 " + keyPayStarted}, false, nil
	}
	if !slices.Contains(m.p.PaymentMethods, method) {
		return nil, true, nil
	}
	if c.endedBy(at) {
		return []string{"ELG-11 " + keyAllEnded}, false, nil
	}
	return nil, false, func() {
		c.paid = at
		m.sub(id).paid = at
		w := m.collab(id)
		w.Events = append(w.Events, collabplus.Event{Kind: collabplus.PaidEvent, At: at, Method: method})
	}
}

// CP-7: a paid collaboration is recalled before its start; an ongoing one is not cancelled.
func (m *model) recall(id string, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	switch c.state(at) {
	case collabplus.Ongoing:
		return []string{"CP-7 " + keyOngoing}, false, nil
	case collabplus.Paid:
	default:
		return []string{stateReason("paid")}, false, nil
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
func (m *model) finalize(id string, terms collabplus.Terms, at time.Time) (reasons []string, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, true, nil
	}
	if st := c.state(at); st != collabplus.PendingPayment && st != collabplus.Paid {
		return []string{stateReason("pending_payment or paid")}, false, nil
	}
	if !at.Before(c.period.Start) {
		return []string{"CP-7 " + keyFinalStart}, false, nil
	}
	return nil, false, func() {
		c.minLevel = m.group
		w := m.collab(id)
		f, g := terms, m.want.Groups[0]
		w.Final, w.Group = &f, &g
	}
}

// CP-4, CP-7, CP-13, ELG-11: a creator joins an ongoing collaboration once, at a level the group
// (as it was at the submission) admits, while its product takes part, not blocked at its
// publication nor blocked since. Before the
// start of a paid one the refusal names the start, if time alone is the obstacle (MKT-5).
func (m *model) join(id, creator string, lv level.Level, at time.Time) (reasons []string, next time.Time, bad bool, apply func()) {
	c := m.cs[id]
	if c == nil {
		return nil, time.Time{}, true, nil
	}
	paid := false
	switch c.state(at) {
	case collabplus.Ongoing:
	case collabplus.Paid:
		paid = true
		reasons = append(reasons, stateReason("ongoing"))
	default:
		return []string{stateReason("ongoing")}, time.Time{}, false, nil
	}
	if c.members[creator] {
		reasons = append(reasons, "CP-7 "+keyMember)
	}
	if lv < c.minLevel {
		reasons = append(reasons, "CP-4 "+keyLevelLow)
	}
	if c.endedBy(at) {
		reasons = append(reasons, "ELG-11 "+keyAllEnded)
	}
	from := c.paid
	if m.p.BlockedAtJoinOnly {
		from = at
	}
	blocked := m.blockedAt(creator, from)
	for _, b := range m.blocks {
		blocked = blocked || b.Creator == creator && b.Blocked && b.At.After(from) && !b.At.After(at)
	}
	switch {
	case blocked && m.p.BlockedAtJoinOnly:
		reasons = append(reasons, "CP-13 "+keyBlockedJoin)
	case blocked:
		reasons = append(reasons, "CP-13 "+keyBlocked)
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

// ELG-11: a permanent disqualification of product p1 (or of the shop) ends its participation,
// at the instant, in each collaboration pending payment, paid or ongoing that it has not left
// yet, and makes a temporary one's ends permanent; the shop's is recorded on the seller the
// first time (ELG-6); a temporary one ends it too, but not for good, when the policy says so
// (temporary_ends_participation), and is refused otherwise, as is one that changes nothing.
func (m *model) disqualify(permanent, shop bool, at time.Time) (reasons []string, bad bool, apply func()) {
	if !permanent && !m.p.TemporaryEndsParticipation {
		return []string{"ELG-11 " + keyNotPerm}, false, nil
	}
	var ends, upgrades []string
	for _, w := range m.want.Collaborations {
		c := m.cs[w.ID]
		if !c.ended.IsZero() {
			if permanent && c.temporary {
				upgrades = append(upgrades, w.ID)
			}
			continue
		}
		switch c.state(at) {
		case collabplus.PendingPayment, collabplus.Paid, collabplus.Ongoing:
			ends = append(ends, w.ID)
		}
	}
	record := permanent && shop && m.want.Disqualified.IsZero()
	if len(ends) == 0 && len(upgrades) == 0 && !record {
		return []string{"ELG-11 " + keyNothingEnd}, false, nil
	}
	return nil, false, func() {
		if record {
			m.want.Disqualified = at
		}
		for _, id := range ends {
			m.cs[id].ended, m.cs[id].temporary = at, !permanent
			w := m.collab(id)
			w.Ended = append(w.Ended, collabplus.ProductEnd{Product: "p1", At: at, Temporary: !permanent})
		}
		for _, id := range upgrades {
			m.cs[id].temporary = false
			w := m.collab(id)
			for k := range w.Ended {
				w.Ended[k].Temporary = false
			}
		}
	}
}

// CP-13: a block or an unblock is recorded when it changes something.
func (m *model) block(creator string, blocked bool, at time.Time) (reasons []string, bad bool, apply func()) {
	return nil, false, func() {
		if m.blockedAt(creator, at) != blocked {
			b := collabplus.Block{Creator: creator, Blocked: blocked, At: at}
			m.blocks = append(m.blocks, b)
			m.want.Blocklist = append(m.want.Blocklist, b)
		}
	}
}

// CP-4: saving group g1 again replaces it.
func (m *model) saveGroup(lv level.Level) (reasons []string, bad bool, apply func()) {
	return nil, false, func() {
		m.group = lv
		m.want.Groups[0] = collabplus.Group{ID: "g1", MinLevel: lv}
	}
}

// reasonKeys returns "rule key" for each reason, sorted.
func reasonKeys(rs []affrules.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Rule) + " " + string(r.Key)
	}
	slices.Sort(out)
	return out
}

// days returns the whole days first … first+n−1 as a period of first's zone (CP-2).
func days(first time.Time, n int) affrules.Period {
	y, m, d := first.Date()
	loc := first.Location()
	return affrules.Period{Start: midnight(y, m, d, loc), End: midnight(y, m, d+n, loc)}
}

var (
	machineIDs      = []string{"c0", "c1", "c2", "c3", "c4", "c5"}
	machineCreators = []string{"mali", "kai", "niran"}
)

// machine returns the model-based state machine of TestStore: one seller's record in Thailand
// or the United Kingdom (whose calendar days are 23 or 25 hours at the daylight-saving
// changes), under a quota policy drawn around the catalog's (1–5 in 1–30 days, calendar or
// rolling, expired and recalled ones counted or not), in a new store: creator group g1 saved
// again, drafts, edits, submissions (CP-3, CP-17, CP-7), payments, recalls, final terms
// (CP-15), blocks and unblocks (CP-13), joins (CP-4) and disqualifications of the product,
// temporary or permanent (ELG-11: its participation ends in the collaborations running then,
// which are then neither paid nor joined, and, after a permanent one, it is not submitted
// again; a temporary one ends it too under temporary_ends_participation, drawn), at instants that move
// forward to the payment windows' ends, the periods' edges and the quota's next slot (or the
// nanosecond before), and sometimes back. After every step the stored record is compared with
// the plain model: accepted actions stored as the model makes them, refusals naming the model's
// reasons (and, for the quota alone, its next instant) and storing nothing, bad input storing
// nothing, states at the clock as CP-7 reads them, and never more than the quota counted.
func machine(tt *testing.T) func(*rapid.T, collabplus.Store) {
	return func(t *rapid.T, store collabplus.Store) {
		ctx := context.Background()
		p := collabplus.DefaultPolicy()
		p.QuotaLimit = rapid.IntRange(1, 5).Draw(t, "quota_limit")
		p.QuotaDays = rapid.SampledFrom([]int{1, 2, 7, 30}).Draw(t, "quota_days")
		p.QuotaCalendarDays = rapid.Bool().Draw(t, "quota_calendar_days")
		p.QuotaCountsExpired = rapid.Bool().Draw(t, "quota_counts_expired")
		p.QuotaCountsRecalled = rapid.Bool().Draw(t, "quota_counts_recalled")
		p.BlockedAtJoinOnly = rapid.Bool().Draw(t, "blocked_at_join_only")
		p.TemporaryEndsParticipation = rapid.Bool().Draw(t, "temporary_ends_participation")
		e, err := collabplus.New(p, commission.MustNew(commission.DefaultPolicy()))
		if err != nil {
			t.Fatalf("collabplus.New: %v", err)
		}
		market, loc := affrules.TH, bkk
		if rapid.Bool().Draw(t, "uk") {
			market, loc = affrules.UK, london
		}
		const shop = "shop-1"
		s, err := e.NewSeller(shop, market, t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Create(ctx, s); err != nil {
			t.Fatalf("Create: %v", err)
		}
		if _, err := store.Apply(ctx, e, shop, collabplus.SaveGroup(collabplus.Group{ID: "g1", MinLevel: level.L3}), t0); err != nil {
			t.Fatalf("SaveGroup: %v", err)
		}
		m := &model{p: p, loc: loc, cs: map[string]*mcollab{}, group: level.L3,
			want: collabplus.Seller{ID: shop, Market: market, Groups: []collabplus.Group{{ID: "g1", MinLevel: level.L3}}, Updated: t0}}
		// Periods of 14 days starting 10, 20 or 35 days after the first day, local midnights.
		y, mo, d := t0.In(loc).Date()
		periods := []affrules.Period{
			days(midnight(y, mo, d+10, loc), 14),
			days(midnight(y, mo, d+20, loc), 14),
			days(midnight(y, mo, d+35, loc), 14),
		}
		facts := func(allowlisted bool) collabplus.Facts {
			return collabplus.Facts{Allowlisted: allowlisted, Eligibility: []eligibility.Result{
				{ID: "p1", ShopID: shop, Market: market, State: eligibility.Eligible, Decision: affrules.Decide()}}}
		}
		clock := t0

		// when draws the instant of the next action: the clock, moved on by nothing, a
		// nanosecond, an hour, a day, or to (or just before) the next instant something
		// changes; or, sometimes, an instant before the record's last change.
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
				ahead = append(ahead, nextSlot(p, loc, m.subs, clock))
				ahead = slices.DeleteFunc(ahead, func(x time.Time) bool { return !x.After(clock) })
				if len(ahead) > 0 {
					slices.SortFunc(ahead, time.Time.Compare)
					clock = ahead[0].Add(-time.Duration(rapid.IntRange(0, 1).Draw(t, "just_before")))
				}
			case 8:
				clock = clock.Add(time.Duration(rapid.IntRange(2, 9).Draw(t, "days")) * 24 * time.Hour)
			case 9:
				if sometimes(t, "backwards", 3) && m.want.Updated.After(t0) { // bad input
					return m.want.Updated.Add(-rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour}).Draw(t, "back"))
				}
			}
			return clock
		}

		// step applies a at at through the store and checks the outcome against the model.
		step := func(t *rapid.T, name string, a collabplus.Action, at time.Time, reasons []string, next time.Time, bad bool, apply func()) {
			if at.Before(m.want.Updated) { // instants only move forward
				reasons, next, bad = nil, time.Time{}, true
			}
			got, err := store.Apply(ctx, e, shop, a, at)
			var refusal *affrules.Refusal
			var fe *affrules.FieldError
			switch {
			case bad:
				if !errors.As(err, &fe) || errors.Is(err, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a FieldError", a, at, err)
				}
				return
			case len(reasons) > 0:
				if !errors.As(err, &refusal) || !errors.Is(err, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a refusal for %v", a, at, err, reasons)
				}
				want := slices.Clone(reasons)
				for i, r := range want { // a state reason's limit is compared on its own
					if limit, ok := strings.CutPrefix(r, stateReason("")); ok {
						want[i] = strings.TrimSuffix(stateReason(""), " ")
						if got := refusal.Decision.Reasons[0].Limit; got != affrules.Text(limit) {
							t.Fatalf("%v at %v: CP-7 limit %v, want %q", a, at, got, limit)
						}
					}
				}
				slices.Sort(want)
				if got := reasonKeys(refusal.Decision.Reasons); !slices.Equal(got, want) {
					t.Fatalf("%v at %v: reasons %v, want %v (%v)", a, at, got, want, refusal)
				}
				if refusal.Action != name || !refusal.Decision.NextAllowed.Equal(next) {
					t.Fatalf("%v at %v: refusal of %q, next allowed %v; want %q, %v", a, at, refusal.Action, refusal.Decision.NextAllowed, name, next)
				}
				return
			case err != nil:
				t.Fatalf("%v at %v: %v", a, at, err)
			}
			apply()
			m.want.Updated = at
			if d := affrulestest.Diff(m.want, got); d != "" {
				t.Fatalf("%v at %v: Apply returned what the model does not make:\n%s", a, at, d)
			}
		}

		noNext := time.Time{}
		// id draws, most of the time, a collaboration in one of the states the action needs
		// at the clock, and otherwise any ID.
		id := func(t *rapid.T, states ...collabplus.State) string {
			var usual []string
			for _, id := range machineIDs {
				if c := m.cs[id]; c != nil && slices.Contains(states, c.state(clock)) {
					usual = append(usual, id)
				}
			}
			if len(usual) > 0 && !sometimes(t, "other", 5) {
				return rapid.SampledFrom(usual).Draw(t, "id")
			}
			return rapid.SampledFrom(machineIDs).Draw(t, "id")
		}
		terms := func(t *rapid.T, id string) collabplus.Terms {
			period := rapid.SampledFrom(periods).Draw(t, "period")
			if c := m.cs[id]; c != nil {
				period = c.period // final terms and edits keep the period
			}
			tm := taskTerms(period)
			tm.Reward = decimal.New(int64(rapid.IntRange(100, 99900).Draw(t, "reward")), -2)
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
				allowlisted := !sometimes(t, "not_allowlisted", 6)
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
				creator := rapid.SampledFrom(machineCreators).Draw(t, "creator")
				lv := level.Level(rapid.IntRange(0, 8).Draw(t, "level"))
				at := when(t)
				reasons, next, bad, apply := m.join(id, creator, lv, at)
				step(t, "join", collabplus.Join(id, collabplus.Creator{ID: creator, Level: lv}), at, reasons, next, bad, apply)
			},
			"block": func(t *rapid.T) {
				creator := rapid.SampledFrom(machineCreators).Draw(t, "creator")
				blocked := rapid.Bool().Draw(t, "blocked")
				at := when(t)
				reasons, bad, apply := m.block(creator, blocked, at)
				a := collabplus.UnblockCreator(creator)
				if blocked {
					a = collabplus.BlockCreator(creator)
				}
				step(t, "block", a, at, reasons, noNext, bad, apply)
			},
			"disqualify": func(t *rapid.T) {
				// Most disqualifications are temporary: a permanent one ends the product's
				// part for good (ELG-11), and the seller submits nothing after it.
				permanent := sometimes(t, "permanent", 3)
				r := eligibility.Result{ID: "p1", ShopID: shop, Market: market, State: eligibility.TemporarilyDisqualified, Decision: affrules.Decide()}
				shopScope := false
				if permanent {
					r.State = eligibility.PermanentlyDisqualified
				}
				if permanent || p.TemporaryEndsParticipation {
					if shopScope = rapid.Bool().Draw(t, "shop_scope"); shopScope { // the shop, and so its one product
						r.ID, r.Scope = shop, eligibility.ShopScope
					}
				}
				at := when(t)
				reasons, bad, apply := m.disqualify(permanent, shopScope, at)
				step(t, "disqualify", collabplus.Disqualify(r), at, reasons, noNext, bad, apply)
			},
			"group": func(t *rapid.T) {
				lv := level.Level(rapid.IntRange(0, 8).Draw(t, "min_level"))
				at := when(t)
				reasons, bad, apply := m.saveGroup(lv)
				step(t, "save_group", collabplus.SaveGroup(collabplus.Group{ID: "g1", MinLevel: lv}), at, reasons, noNext, bad, apply)
			},
			"": func(t *rapid.T) {
				got, err := store.Seller(ctx, shop)
				if err != nil {
					t.Fatalf("Seller(%s): %v", shop, err)
				}
				if d := affrulestest.Diff(m.want, got); d != "" {
					t.Fatalf("the store holds what the model does not:\n%s", d)
				}
				for _, w := range got.Collaborations { // CP-7: the state at the clock is the plain one
					if got, want := w.StateAt(clock), m.cs[w.ID].state(clock); got != want {
						t.Fatalf("%s at %v: %v, plain %v", w.ID, clock, got, want)
					}
				}
				for _, x := range m.subs { // CP-3: never more than the limit counted
					if n := count(p, loc, m.subs, x.at); n > p.QuotaLimit {
						t.Fatalf("%d submissions count at %v, more than %d", n, x.at, p.QuotaLimit)
					}
				}
			},
		}
		// A start most runs share: a few collaborations drafted, submitted and paid, a
		// creator blocked, then the clock at the first period's start.
		if !sometimes(t, "no_start", 4) {
			for range rapid.IntRange(1, 4).Draw(t, "drafts") {
				actions["draft"](t)
				actions["submit"](t)
				actions["pay"](t)
			}
			actions["block"](t)
			if rapid.Bool().Draw(t, "to_start") && periods[0].Start.After(clock) {
				clock = periods[0].Start
			}
		}
		t.Repeat(actions)
	}
}

// taskTerms returns task terms for group g1 and product p1 over period p: one video task of 20
// orders, a reward of 500.00 and one objective of 10,000.00.
func taskTerms(p affrules.Period) collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Task, Period: p, Group: "g1",
		Products:   []collabplus.Product{{ID: "p1"}},
		Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)}},
		Reward:     decimal.RequireFromString("500.00"),
		Objectives: []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("10000.00"), Target: decimal.NewFromInt(400)}},
	}
}
