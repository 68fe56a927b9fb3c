// Package invitationtest checks implementations of [invitation.Ledger], as testing/fstest checks
// file systems, and a host's own invitation policy. It depends on the standard library and
// pgregory.net/rapid only (besides affrules' own packages), so a host's build of its tests pulls
// in nothing else.
//
// [TestLedger] is the conformance suite of a ledger: fixed cases and a rapid state machine that
// compares every answer with a plain model of INV-2..4, INV-9 and INV-10.
//
// [CheckPolicy] checks a policy: it runs the named properties of [Properties], each over inputs
// drawn for that policy by this package's generators ([Policy], [Instant], [QuotaInputs],
// [Requests]), and reports a minimal counter-example through rapid:
//
//   - daily_limit_and_window_positive: INV-2, INV-3
//   - refusal_names_true_obstacle: INV-2, INV-3, MKT-3
//   - next_allowed_is_allowed: INV-2, INV-3
//   - admission_counts_once: INV-2, INV-3, INV-11
//   - ledger_keeps_quota: INV-2, INV-3, INV-4
//
// Interpretations:
//
//   - A repeat window of 0 days is a valid policy (INV-3 switched off), yet it fails
//     daily_limit_and_window_positive: the catalog's rule is a positive window, and a policy
//     that turns it off is what the check is for.
//   - The properties other than daily_limit_and_window_positive hold for every policy
//     [invitation.Policy.Validate] accepts; they judge the quota rule and the ledger that apply
//     the policy ([invitation.Quota.Check], [invitation.Memory] through
//     [invitation.Evaluator.Send]), so that a host's CI catches a rule that changes under its
//     policy. Their own tests prove them able to fail on a broken rule or ledger.
//   - The generators keep to what a ledger must accept under [TestLedger]'s contract: scripts
//     of requests never go back in time and move at most 10 days at a step.
package invitationtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

// TestLedger runs the conformance suite against the ledgers newLedger returns: the quotas
// (INV-2..4) with their boundaries, each call decided by the quota it is given, atomicity under
// concurrent callers (INV-11), history with its filters and responses (INV-9, INV-10), and that
// bad input records nothing. It also checks the contract of issue 9: answers exact at the
// request's own instant when instants arrive a little out of order, a refusal or an error that
// changes no later answer (a cancelled context an error for Reserve, History and Respond alike),
// contacts and showcases that no slice given to the ledger or returned by it can change
// afterwards (INV-10, INV-13), other accounts' instants that change none, and a far-future instant
// that locks nothing; the two reproductions of the issue are among its subtests. Its last
// subtest, Machine, is a rapid state machine that checks every answer of a new ledger against a
// plain model of the rules, over random runs of reservations, late and repeated ones among them,
// calls that must fail, history queries and answers; each rapid check calls newLedger in a
// subtest of its own that ends, running the ledger's cleanups, when the check does. Machine runs
// at most 20 checks (lowering -rapid.checks while it runs, unless it is given on the command
// line, which then holds), so TestLedger must not run in parallel with other rapid tests. newLedger
// must return a new, empty ledger each time it is called, whose lateness bound covers at least
// 50 ms, whose lead bound at least 10 days, and which keeps at least two weeks of history; the
// suite runs its subtests in sequence.
func TestLedger(t *testing.T, newLedger func(t *testing.T) invitation.Ledger) {
	s := suite{newLedger: newLedger}
	t.Run("DailyLimit", s.dailyLimit)
	t.Run("DailyLimitHomeZone", s.dailyLimitHomeZone)
	t.Run("DailyLimitQuotaZone", s.dailyLimitQuotaZone)
	t.Run("LondonDST", s.londonDST)
	t.Run("RepeatWindow", s.repeatWindow)
	t.Run("SharedAcrossRoles", s.sharedAcrossRoles)
	t.Run("BothLimits", s.bothLimits)
	t.Run("LateInstants", s.lateInstants)
	t.Run("RefusalChangesNothing", s.refusalChangesNothing)
	t.Run("ErrorsChangeNothing", s.errorsChangeNothing)
	t.Run("OtherAccountsChangeNothing", s.otherAccounts)
	t.Run("FarFuture", s.farFuture)
	t.Run("AccountsIndependent", s.accountsIndependent)
	t.Run("QuotaPerCall", s.quotaPerCall)
	t.Run("RaceLastDailySlots", s.raceLastDailySlots)
	t.Run("RaceOneCreator", s.raceOneCreator)
	t.Run("RaceManyAccounts", s.raceManyAccounts)
	t.Run("History", s.history)
	t.Run("HistoryPages", s.historyPages)
	t.Run("Respond", s.respond)
	t.Run("Showcase", s.showcase)
	t.Run("ContactsIsolated", s.contactsIsolated)
	t.Run("BadInputRecordsNothing", s.badInput)
	t.Run("ReserveErrors", s.reserveErrors)
	t.Run("Machine", s.machine)
}

type suite struct {
	newLedger func(t *testing.T) invitation.Ledger
}

// fixture is a new ledger and the quota the subtest reserves under.
type fixture struct {
	l invitation.Ledger
	q invitation.Quota
}

func (s suite) ledger(t *testing.T, daily int) fixture {
	t.Helper()
	q := invitation.DefaultPolicy().Quota
	q.DailyLimit = daily
	l := s.newLedger(t)
	if l == nil {
		t.Fatal("newLedger returned nil")
	}
	return fixture{l: l, q: q}
}

var ctx = context.Background()

func zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	jakarta = zone("Asia/Jakarta")
	london  = zone("Europe/London")
)

func partner(id string, home affrules.MarketCode) invitation.Account {
	return invitation.Account{ID: id, HomeMarket: home, Partner: true}
}

func both(id string, home affrules.MarketCode) invitation.Account {
	return invitation.Account{ID: id, HomeMarket: home, MCN: true, Partner: true}
}

func invite(market affrules.MarketCode, creator string) invitation.Invitation {
	return invitation.Invitation{
		Market:    market,
		CreatorID: creator,
		Username:  "user_" + creator,
		Nickname:  "Nick " + strings.ToUpper(creator),
		Purpose:   invitation.ProductDistribution,
		Message:   "We would like to work with you on our spring range.",
		Contacts:  []invitation.Contact{{Channel: affrules.WhatsApp, Value: "+62 812 3456 7890"}, {Channel: affrules.Email, Value: "team@agency.example.com"}},
	}
}

func listed(id string) eligibility.Creator {
	return eligibility.Creator{ID: id, ECommercePermission: true}
}

func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) }

// reserve reserves under the fixture's quota and fails the test on error.
func (f fixture) reserve(t *testing.T, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision) {
	t.Helper()
	r, d, err := f.l.Reserve(ctx, f.q, a, inv, at)
	if err != nil {
		t.Fatalf("reserve %s→%s at %s: %v", a.ID, inv.CreatorID, stamp(at), err)
	}
	return r, d
}

// allow reserves inv and fails the test unless it is admitted.
func (f fixture) allow(t *testing.T, a invitation.Account, inv invitation.Invitation, at time.Time) invitation.Record {
	t.Helper()
	r, d := f.reserve(t, a, inv, at)
	if !d.Allowed {
		t.Fatalf("reserve %s→%s at %s: %s, want allowed", a.ID, inv.CreatorID, stamp(at), d)
	}
	if len(d.Reasons) != 0 {
		t.Errorf("allowed with reasons: %s", d)
	}
	if r.Account != a.ID || r.CreatorID != inv.CreatorID || r.Seq < 1 {
		t.Errorf("record %s #%d for %s, want account %s, creator %s, a positive Seq", r.Account, r.Seq, r.CreatorID, a.ID, inv.CreatorID)
	}
	if !r.At.Equal(at) {
		t.Errorf("record at %s, want %s", stamp(r.At), stamp(at))
	}
	return r
}

func (f fixture) mustAllow(t *testing.T, a invitation.Account, creator string, at time.Time) invitation.Record {
	t.Helper()
	return f.allow(t, a, invite(a.HomeMarket, creator), at)
}

// mustDeny reserves, expects a denial for exactly the given rules, each reason with the typed
// values of its rule under the fixture's quota, and returns the decision.
func (f fixture) mustDeny(t *testing.T, a invitation.Account, creator string, at time.Time, next time.Time, rules ...affrules.RuleID) affrules.Decision {
	t.Helper()
	r, d := f.reserve(t, a, invite(a.HomeMarket, creator), at)
	if d.Allowed {
		t.Fatalf("reserve %s→%s at %s: allowed, want denied by %v", a.ID, creator, stamp(at), rules)
	}
	if r.Seq != 0 {
		t.Errorf("a denial recorded #%d", r.Seq)
	}
	var got []affrules.RuleID
	for _, reason := range d.Failures() {
		got = append(got, reason.Rule)
		checkReason(t, f.q, reason)
	}
	if !slices.Equal(got, rules) {
		t.Errorf("failing rules %v, want %v: %s", got, rules, d)
	}
	if !d.NextAllowed.Equal(next) {
		t.Errorf("NextAllowed %s, want %s", stamp(d.NextAllowed), stamp(next))
	}
	return d
}

// checkReason checks the typed values of a quota reason: INV-2 a count against the daily limit,
// for a day; INV-3 an instant against the window in days.
func checkReason(t *testing.T, q invitation.Quota, r affrules.Reason) {
	t.Helper()
	if r.Key == "" || r.Message() == "" {
		t.Errorf("%s: no message key or message: %+v", r.Rule, r)
	}
	switch r.Rule {
	case invitation.RuleDaily:
		if r.Observed.Kind() != affrules.CountValue || r.Observed.Int() < int64(q.DailyLimit) {
			t.Errorf("INV-2 observed %v (%s), want a count of at least %d", r.Observed, r.Observed.Kind(), q.DailyLimit)
		}
		if r.Limit != affrules.Count(int64(q.DailyLimit)) {
			t.Errorf("INV-2 limit %v (%s), want the count %d", r.Limit, r.Limit.Kind(), q.DailyLimit)
		}
		if _, err := time.Parse(time.DateOnly, r.Subject); err != nil {
			t.Errorf("INV-2 subject %q, want the day as 2006-01-02", r.Subject)
		}
	case invitation.RuleRepeat:
		if r.Observed.Kind() != affrules.InstantValue {
			t.Errorf("INV-3 observed %v (%s), want an instant", r.Observed, r.Observed.Kind())
		}
		if r.Limit != affrules.DaysOf(q.RepeatWindowDays) {
			t.Errorf("INV-3 limit %v (%s), want %d days", r.Limit, r.Limit.Kind(), q.RepeatWindowDays)
		}
	}
}

// sameRecord reports whether two records are the same invitation, instants compared as
// instants (a ledger may return them in another zone or location value).
func sameRecord(a, b invitation.Record) bool {
	x, y := a.Invitation, b.Invitation
	return a.Account == b.Account && a.Seq == b.Seq && a.At.Equal(b.At) && a.InterestedAt.Equal(b.InterestedAt) &&
		x.Market == y.Market && x.CreatorID == y.CreatorID && x.Username == y.Username && x.Nickname == y.Nickname &&
		x.Purpose == y.Purpose && x.Message == y.Message && slices.Equal(x.Contacts, y.Contacts) &&
		sameShowcase(x.Showcase, y.Showcase)
}

// historySeqs checks that account's history under q (its account set to account) holds the
// records numbered want, in order, each matching q's purpose and market filters (INV-9).
func historySeqs(t *testing.T, l invitation.Ledger, account string, q invitation.Query, want []int64, why string) {
	t.Helper()
	q.Account = account
	page, err := l.History(ctx, q)
	if err != nil {
		t.Fatalf("%s: %v", why, err)
	}
	var got []int64
	for _, r := range page.Records {
		got = append(got, r.Seq)
		if q.Purpose != "" && r.Purpose != q.Purpose || q.Market != "" && r.Market != q.Market {
			t.Errorf("%s: record #%d is %s in %s", why, r.Seq, r.Purpose, r.Market)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %+v gives %v, want %v", why, q, got, want)
	}
}

// sameShowcase reports whether a and b show the same, nil showing nothing.
func sameShowcase(a, b *invitation.Showcase) bool {
	if a == nil || b == nil {
		var zero invitation.Showcase
		if a == nil {
			a = &zero
		}
		if b == nil {
			b = &zero
		}
	}
	x, y := a.Company, b.Company
	return slices.Equal(a.TopCreators, b.TopCreators) && x.Name == y.Name && x.LinkedCreators == y.LinkedCreators &&
		slices.Equal(x.Services, y.Services) && x.Category == y.Category && x.Introduction == y.Introduction && x.Address == y.Address
}

// showcase checks INV-13: what an invitation showed the creator is kept as it was at send time,
// whatever the caller does later with its slices, and a change of showcase is recorded as such.
func (s suite) showcase(t *testing.T) {
	f := s.ledger(t, 100)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
	a := partner("show", affrules.TH)
	inv := invite(affrules.TH, "c-show-1")
	inv.Showcase = &invitation.Showcase{
		TopCreators: []invitation.LinkedCreator{{ID: "top-1", Followers: 900}, {ID: "top-2", Followers: 800}},
		Company:     invitation.Company{Name: "Agency", Services: []string{"live", "video"}, Address: "Bangkok"},
	}
	want := *inv.Showcase
	want.TopCreators = slices.Clone(want.TopCreators)
	want.Company.Services = slices.Clone(want.Company.Services)
	f.allow(t, a, inv, t0)
	inv.Showcase.TopCreators[0].Followers = 1 // the caller reuses its slices
	inv.Showcase.Company.Services[0] = "changed"
	inv.Showcase.Company.Name = "changed"

	// The same account, now showing nothing: a Showcase that holds nothing is returned as nil.
	later := invite(affrules.TH, "c-show-2")
	later.Showcase = &invitation.Showcase{TopCreators: []invitation.LinkedCreator{}}
	if rec := f.allow(t, a, later, t0.Add(time.Minute)); rec.Showcase != nil {
		t.Errorf("a showcase that holds nothing is returned as %+v, want nil", rec.Showcase)
	}

	page, err := f.l.History(ctx, invitation.Query{Account: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 2 {
		t.Fatalf("history has %d records, want 2", len(page.Records))
	}
	if !sameShowcase(page.Records[1].Showcase, &want) || page.Records[1].Showcase == nil {
		t.Errorf("first invitation's showcase = %+v, want %+v", page.Records[1].Showcase, want)
	}
	if page.Records[0].Showcase != nil {
		t.Errorf("second invitation's showcase = %+v, want nil", page.Records[0].Showcase)
	}
	page.Records[1].Showcase.TopCreators[0].ID = "mutated" // the page is the caller's own
	page.Records[1].Showcase.Company.Name = "mutated"
	again, err := f.l.History(ctx, invitation.Query{Account: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !sameShowcase(again.Records[1].Showcase, &want) {
		t.Errorf("a page shares the ledger's showcase: %+v", again.Records[1].Showcase)
	}
}

// contactsIsolated checks INV-10: the contacts an invitation shows are the account's contacts as
// sent, whatever the caller does later with the slice it gave Reserve or with those of the
// records Respond and History return (a ledger keeps none of the slices it is given, and the
// records it returns are the caller's own).
func (s suite) contactsIsolated(t *testing.T) {
	f := s.ledger(t, 100)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
	a := partner("acct-contacts", affrules.ID)
	inv := invite(affrules.ID, "c-contacts-1")
	want := slices.Clone(inv.Contacts)
	first := f.allow(t, a, inv, t0)
	inv.Contacts[0].Value = "+62 800 0000 0000" // the caller reuses its slice for the next one
	inv.Contacts[1].Value = "changed@agency.example.com"
	// Two more invitations with the same contacts, which a ledger may keep once for both.
	f.allow(t, a, invite(affrules.ID, "c-contacts-2"), t0.Add(time.Minute))
	f.allow(t, a, invite(affrules.ID, "c-contacts-3"), t0.Add(2*time.Minute))

	got, err := f.l.Respond(ctx, a.ID, first.Seq, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.ContactsShown(), want) {
		t.Fatalf("contacts shown after the answer %v, want %v: a slice given to Reserve changed the stored contacts", got.ContactsShown(), want)
	}
	got.Contacts[0].Value = "mutated by the caller of Respond"

	read := func(why string) {
		t.Helper()
		page, err := f.l.History(ctx, invitation.Query{Account: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Records) != 3 {
			t.Fatalf("history has %d records, want 3", len(page.Records))
		}
		for _, r := range page.Records {
			if !slices.Equal(r.Contacts, want) {
				t.Errorf("#%d contacts %v, want %v: %s", r.Seq, r.Contacts, want, why)
			}
			if r.Seq == first.Seq && !slices.Equal(r.ContactsShown(), want) {
				t.Errorf("#%d, answered, shows %v, want %v: %s", r.Seq, r.ContactsShown(), want, why)
			}
		}
		for _, r := range page.Records {
			if len(r.Contacts) > 0 {
				r.Contacts[0].Value = "mutated by the caller of History" // the page is the caller's own
			}
		}
	}
	read("a slice returned by Respond changed the stored contacts")
	read("a slice returned by History changed the stored contacts")
	again, err := f.l.Respond(ctx, a.ID, first.Seq, t0.Add(2*time.Hour))
	if err != nil || !slices.Equal(again.ContactsShown(), want) {
		t.Errorf("answering again shows %v, %v; want %v: a slice returned by History changed the stored contacts", again.ContactsShown(), err, want)
	}
}

func count(t *testing.T, l invitation.Ledger, account string) int {
	t.Helper()
	n, before := 0, int64(0)
	for {
		page, err := l.History(ctx, invitation.Query{Account: account, Before: before, Limit: 1000})
		if err != nil {
			t.Fatalf("history of %s: %v", account, err)
		}
		n += len(page.Records)
		if page.Next == 0 {
			return n
		}
		before = page.Next
	}
}

func wantCount(t *testing.T, l invitation.Ledger, account string, want int) {
	t.Helper()
	if n := count(t, l, account); n != want {
		t.Errorf("%s has %d records, want %d", account, n, want)
	}
}

// INV-2: at most DailyLimit a calendar day of the home market; the next local midnight retries.
func (s suite) dailyLimit(t *testing.T) {
	f := s.ledger(t, 5)
	a := partner("acct-daily", affrules.ID)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
	for i := range 5 {
		f.mustAllow(t, a, fmt.Sprint("c", i), t0.Add(time.Duration(i)*time.Minute))
	}
	midnight := time.Date(2026, 11, 22, 0, 0, 0, 0, jakarta)
	d := f.mustDeny(t, a, "c5", t0.Add(time.Hour), midnight, invitation.RuleDaily)
	if r := d.Failures()[0]; r.Observed != affrules.Count(5) || r.Subject != "2026-11-21" {
		t.Errorf("INV-2 observed %v on %q, want 5 on 2026-11-21", r.Observed, r.Subject)
	}
	f.mustDeny(t, a, "c5", midnight.Add(-time.Nanosecond), midnight, invitation.RuleDaily)
	f.mustAllow(t, a, "c5", midnight)
	wantCount(t, f.l, a.ID, 6)
}

// INV-2 interpretation: the day is the home market's, wherever the creator is invited (INV-1).
func (s suite) dailyLimitHomeZone(t *testing.T) {
	f := s.ledger(t, 2)
	a := invitation.Account{ID: "acct-uk", HomeMarket: affrules.UK, Markets: []affrules.MarketCode{affrules.ID}, Partner: true}
	// 23:30 in London is 06:30 the next morning in Jakarta.
	late := time.Date(2026, 11, 20, 23, 30, 0, 0, london)
	f.allow(t, a, invite(affrules.ID, "c1"), late)
	f.allow(t, a, invite(affrules.UK, "c2"), late.Add(time.Minute))
	londonMidnight := time.Date(2026, 11, 21, 0, 0, 0, 0, london)
	_, d := f.reserve(t, a, invite(affrules.ID, "c3"), late.Add(2*time.Minute))
	if d.Allowed || !d.NextAllowed.Equal(londonMidnight) {
		t.Errorf("third of the London day: %s, want denied until %s", d, stamp(londonMidnight))
	}
	f.allow(t, a, invite(affrules.ID, "c3"), londonMidnight)
}

// INV-2: a quota naming a day zone counts every account's days in it (Quota.Day), here UTC for a
// London account in summer: 23:30 UTC is 00:30 the next London day but still the UTC day, and
// the refusal's retry is UTC midnight, its subject the UTC date.
func (s suite) dailyLimitQuotaZone(t *testing.T) {
	f := s.ledger(t, 2)
	f.q.DayZone = "UTC"
	a := partner("acct-utc-day", affrules.UK)
	late := time.Date(2026, 7, 20, 23, 30, 0, 0, time.UTC)
	f.mustAllow(t, a, "c1", late.Add(-2*time.Hour)) // 22:30 in London
	f.mustAllow(t, a, "c2", late)                   // 00:30 the next day in London
	utcMidnight := time.Date(2026, 7, 21, 0, 0, 0, 0, time.UTC)
	_, d := f.reserve(t, a, invite(affrules.UK, "c3"), late.Add(time.Minute))
	if d.Allowed || !d.NextAllowed.Equal(utcMidnight) || len(d.Reasons) != 1 || d.Reasons[0].Subject != "2026-07-20" {
		t.Errorf("third of the UTC day: %s, want denied until %s, the day 2026-07-20", d, stamp(utcMidnight))
	}
	f.mustAllow(t, a, "c3", utcMidnight)
}

// INV-2 on London's DST change days (MKT-2): the day is 23 or 25 hours long.
func (s suite) londonDST(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fill       time.Time // instant at which the day's limit is used up
		dayEnd     time.Time // next local midnight
		stillSame  time.Time // an instant that is still the same local day
		wantLength time.Duration
	}{
		{"spring forward 2026-03-29", time.Date(2026, 3, 29, 0, 30, 0, 0, london), time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 22, 59, 59, 0, time.UTC), 23 * time.Hour},
		{"fall back 2026-10-25", time.Date(2026, 10, 25, 0, 30, 0, 0, london), time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 23, 59, 59, 0, time.UTC), 25 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := s.ledger(t, 1)
			a := partner("acct-london", affrules.UK)
			if got := affrules.DayOf(tc.fill, london).Duration(); got != tc.wantLength {
				t.Fatalf("the day is %s long, want %s", got, tc.wantLength)
			}
			f.mustAllow(t, a, "c1", tc.fill)
			f.mustDeny(t, a, "c2", tc.stillSame, tc.dayEnd, invitation.RuleDaily)
			f.mustDeny(t, a, "c2", tc.dayEnd.Add(-time.Nanosecond), tc.dayEnd, invitation.RuleDaily)
			f.mustAllow(t, a, "c2", tc.dayEnd)
		})
	}
}

// INV-3, MKT-3: the same creator once within 7×24h; exactly 7×24h later is allowed.
func (s suite) repeatWindow(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-repeat", affrules.TH)
	t0 := time.Date(2026, 11, 21, 9, 15, 0, 0, time.UTC)
	f.mustAllow(t, a, "c1", t0)
	again := t0.Add(7 * 24 * time.Hour)
	d := f.mustDeny(t, a, "c1", t0.Add(time.Hour), again, invitation.RuleRepeat)
	bangkok := zone("Asia/Bangkok")
	if r := d.Failures()[0]; !r.Observed.Time().Equal(t0) || r.Observed != affrules.Instant(t0.In(bangkok)) {
		t.Errorf("INV-3 observed %v, want %s in the home zone", r.Observed, t0.In(bangkok).Format(time.RFC3339Nano))
	}
	f.mustDeny(t, a, "c1", again.Add(-time.Nanosecond), again, invitation.RuleRepeat)
	f.mustAllow(t, a, "c2", t0.Add(time.Hour)) // another creator is not affected
	f.mustAllow(t, a, "c1", again)
	f.mustDeny(t, a, "c1", again.Add(time.Nanosecond), again.Add(7*24*time.Hour), invitation.RuleRepeat)

	// Across London's spring forward, 7×24h is 13:00 BST a week after 12:00 GMT: seven
	// calendar days in the home zone are an hour short. (Another ledger: its instants are eight
	// months before the first one's.)
	f = s.ledger(t, 100)
	uk := partner("acct-repeat-uk", affrules.UK)
	last := time.Date(2026, 3, 25, 12, 0, 0, 0, london)
	week := last.Add(7 * 24 * time.Hour)
	f.mustAllow(t, uk, "c1", last)
	f.mustDeny(t, uk, "c1", last.AddDate(0, 0, 7), week, invitation.RuleRepeat)
	f.mustAllow(t, uk, "c1", week)
}

// INV-4: an account that is both MCN and partner has one budget and one window per creator.
func (s suite) sharedAcrossRoles(t *testing.T) {
	f := s.ledger(t, 3)
	a := both("acct-both", affrules.MY)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	inv := invite(affrules.MY, "c1")
	inv.Purpose = invitation.CreatorPartnership
	f.allow(t, a, inv, t0)
	inv.Purpose = invitation.ProductDistribution
	if _, d := f.reserve(t, a, inv, t0.Add(time.Minute)); d.Allowed || !d.Failed(invitation.RuleRepeat) {
		t.Errorf("c1 for the other role: %s, want INV-3", d)
	}

	inv2 := invite(affrules.MY, "c2")
	inv2.Purpose = invitation.CreatorPartnership
	f.allow(t, a, inv2, t0.Add(2*time.Minute))
	f.allow(t, a, invite(affrules.MY, "c3"), t0.Add(3*time.Minute))
	inv4 := invite(affrules.MY, "c4")
	inv4.Purpose = invitation.CreatorPartnership
	if _, d := f.reserve(t, a, inv4, t0.Add(4*time.Minute)); d.Allowed || !d.Failed(invitation.RuleDaily) {
		t.Errorf("fourth of the day across roles: %s, want INV-2", d)
	}
}

// INV-2 and INV-3 together: every failing rule, and NextAllowed the later retry instant.
func (s suite) bothLimits(t *testing.T) {
	t.Run("window outlasts the day", func(t *testing.T) {
		f := s.ledger(t, 1)
		a := partner("acct-both-limits", affrules.ID)
		t0 := time.Date(2026, 11, 21, 23, 0, 0, 0, jakarta)
		f.mustAllow(t, a, "c1", t0)
		f.mustDeny(t, a, "c1", t0.Add(time.Minute), t0.Add(7*24*time.Hour), invitation.RuleDaily, invitation.RuleRepeat)
	})
	t.Run("day outlasts the window", func(t *testing.T) {
		f := s.ledger(t, 2)
		a := partner("acct-both-limits", affrules.ID)
		t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
		f.mustAllow(t, a, "c1", t0)
		day8 := t0.Add(7*24*time.Hour - time.Hour) // 09:00, an hour before c1 may be invited again
		f.mustAllow(t, a, "c2", day8)
		f.mustAllow(t, a, "c3", day8.Add(time.Minute))
		midnight := time.Date(2026, 11, 29, 0, 0, 0, 0, jakarta)
		f.mustDeny(t, a, "c1", day8.Add(2*time.Minute), midnight, invitation.RuleDaily, invitation.RuleRepeat)
	})
}

// Instants that reach the ledger a little out of order (within its lateness bound; the suite
// uses 50 ms) are judged exactly at their own instant: the day's count is the count of the
// instant's own calendar day, which may be the day before the account's latest; a creator
// invited up to 7×24h before or after the instant is refused, the reason naming that
// invitation; NextAllowed is the first instant the recorded invitations allow.
func (s suite) lateInstants(t *testing.T) {
	manila := zone("Asia/Manila")
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, manila)
	next := midnight.AddDate(0, 0, 1)
	ms := time.Millisecond
	t.Run("INV-2 the instant's own day", func(t *testing.T) {
		f := s.ledger(t, 2)
		a := partner("acct-late-day", affrules.PH)
		f.mustAllow(t, a, "c1", midnight.Add(-10*ms))
		f.mustAllow(t, a, "c2", midnight.Add(10*ms))
		// 5 ms before the latest and in the day before it: the second of that day.
		f.mustAllow(t, a, "c3", midnight.Add(-5*ms))
		d := f.mustDeny(t, a, "c4", midnight.Add(-ms), midnight.Add(0), invitation.RuleDaily)
		if r := d.Failures()[0]; r.Observed != affrules.Count(2) || r.Subject != "2026-11-22" {
			t.Errorf("INV-2 observed %v on %q, want 2 on 2026-11-22", r.Observed, r.Subject)
		}
		f.mustAllow(t, a, "c4", midnight.Add(20*ms)) // the new day has one
		f.mustDeny(t, a, "c5", midnight.Add(30*ms), next, invitation.RuleDaily)
		wantCount(t, f.l, a.ID, 4)
	})
	t.Run("INV-2 both days full", func(t *testing.T) {
		f := s.ledger(t, 1)
		a := partner("acct-late-full", affrules.PH)
		f.mustAllow(t, a, "c1", midnight.Add(-10*ms))
		f.mustAllow(t, a, "c2", midnight.Add(10*ms))
		// The day before is full, and so is the next: the first instant allowed is the midnight
		// after both.
		d := f.mustDeny(t, a, "c3", midnight.Add(-5*ms), next, invitation.RuleDaily)
		if r := d.Failures()[0]; r.Observed != affrules.Count(1) || r.Subject != "2026-11-22" {
			t.Errorf("INV-2 observed %v on %q, want 1 on 2026-11-22", r.Observed, r.Subject)
		}
		f.mustDeny(t, a, "c3", midnight.Add(5*ms), next, invitation.RuleDaily)
	})
	t.Run("INV-3 before or after the instant", func(t *testing.T) {
		f := s.ledger(t, 100)
		a := partner("acct-late-repeat", affrules.PH)
		t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, manila)
		week := 7 * 24 * time.Hour
		f.mustAllow(t, a, "c1", t0)
		// c1 invited 1 ms after the instant: refused, the reason naming that invitation.
		d := f.mustDeny(t, a, "c1", t0.Add(-ms), t0.Add(week), invitation.RuleRepeat)
		if r := d.Failures()[0]; !r.Observed.Time().Equal(t0) {
			t.Errorf("INV-3 observed %v, want %s", r.Observed, stamp(t0))
		}
		// A creator invited late has its window from its own instant.
		f.mustAllow(t, a, "c2", t0.Add(-2*ms))
		f.mustDeny(t, a, "c2", t0.Add(week-2*ms-time.Nanosecond), t0.Add(week-2*ms), invitation.RuleRepeat)
		f.mustAllow(t, a, "c2", t0.Add(week-2*ms))
		// c1 again exactly 7×24h after t0, then asked for 1 ms late, yet 9 ms after that
		// invitation: refused by it.
		f.mustAllow(t, a, "c1", t0.Add(week))
		f.mustAllow(t, a, "c3", t0.Add(week+10*ms))
		f.mustDeny(t, a, "c1", t0.Add(week+9*ms), t0.Add(2*week), invitation.RuleRepeat)
	})
	t.Run("far behind the account's latest", func(t *testing.T) {
		// Two weeks behind the account's own latest instant: an exact answer, or an error
		// wrapping ErrTooLate that records nothing.
		f := s.ledger(t, 100)
		a := partner("acct-late-far", affrules.PH)
		t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, manila)
		f.mustAllow(t, a, "c1", t0)
		f.mustAllow(t, a, "c2", t0.Add(14*24*time.Hour))
		_, d, err := f.l.Reserve(ctx, f.q, a, invite(affrules.PH, "c1"), t0.Add(time.Hour))
		switch {
		case errors.Is(err, invitation.ErrTooLate):
		case err != nil:
			t.Fatalf("two weeks late: %v, want an exact answer or ErrTooLate", err)
		case d.Allowed || !d.Failed(invitation.RuleRepeat) || !d.NextAllowed.Equal(t0.Add(7*24*time.Hour)):
			t.Errorf("two weeks late, c1 an hour after its invitation: %s, want INV-3 until %s", d, stamp(t0.Add(7*24*time.Hour)))
		}
		wantCount(t, f.l, a.ID, 2)
		f.mustAllow(t, a, "c3", t0.Add(14*24*time.Hour+time.Minute))
	})
}

// Issue 9, reproduction 1: a refusal records nothing and changes nothing a later answer depends
// on. Each scenario is run with and without its refused call, which must give the same answers.
func (s suite) refusalChangesNothing(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	t.Run("a refused repeat does not move the account's present", func(t *testing.T) {
		for _, refused := range []bool{true, false} {
			f := s.ledger(t, 100)
			a := partner("acct-repro-1a", affrules.SG)
			f.mustAllow(t, a, "c1", t0)
			f.mustAllow(t, a, "c2", t0.Add(time.Second))
			if refused {
				f.mustDeny(t, a, "c2", t0.Add(week), t0.Add(week+time.Second), invitation.RuleRepeat)
			}
			// c1 7×24h−1ms after its invitation: refused (INV-3), with or without the refusal.
			d := f.mustDeny(t, a, "c1", t0.Add(week-time.Millisecond), t0.Add(week), invitation.RuleRepeat)
			if r := d.Failures()[0]; !r.Observed.Time().Equal(t0) {
				t.Errorf("refused call %v: INV-3 observed %v, want %s", refused, r.Observed, stamp(t0))
			}
			wantCount(t, f.l, a.ID, 2)
		}
	})
	t.Run("a refused repeat gives no reason later", func(t *testing.T) {
		for _, refused := range []bool{true, false} {
			f := s.ledger(t, 100)
			a := partner("acct-repro-1b", affrules.SG)
			f.mustAllow(t, a, "c1", t0)
			if refused {
				f.mustDeny(t, a, "c1", t0.Add(6*24*time.Hour), t0.Add(week), invitation.RuleRepeat)
			}
			f.mustAllow(t, a, "c2", t0.Add(time.Hour))
			// c2's window ends at t0+7d+1h; no invitation was ever recorded at t0+6d.
			f.mustAllow(t, a, "c2", t0.Add(week+2*time.Hour))
			wantCount(t, f.l, a.ID, 3)
		}
	})
}

// A script of reservations, run on one ledger as it is and on another with refused and invalid
// calls before every step: every answer must be the same (a refusal or an error records nothing
// and changes nothing a later answer depends on).
func (s suite) errorsChangeNothing(t *testing.T) {
	type step struct {
		a       invitation.Account
		creator string
		at      time.Time
	}
	accounts := []invitation.Account{partner("acct-noise-uk", affrules.UK), partner("acct-noise-id", affrules.ID)}
	t0 := time.Date(2026, 3, 27, 20, 0, 0, 0, time.UTC) // London's spring forward is two days later
	var script []step
	at, x := t0, uint64(9)
	for range 60 {
		x = x*6364136223846793005 + 1442695040888963407
		switch r := x >> 33; r % 4 {
		case 0:
			at = at.Add(time.Duration(r%50) * time.Millisecond)
		case 1:
			at = at.Add(time.Duration(r%600) * time.Minute)
		case 2:
			at = at.Add(time.Duration(r%(4*24)) * time.Hour)
		}
		script = append(script, step{accounts[x>>40%2], fmt.Sprint("c", x>>45%5), at})
	}
	plain, noisy := s.ledger(t, 3), s.ledger(t, 3)
	var recorded []step
	known := map[string]bool{}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for i, st := range script {
		// Noise: a repeat of a recorded invitation 6 days later (refused by INV-3, or an error),
		// then calls that are errors.
		if len(recorded) > 0 {
			r := recorded[(i*7)%len(recorded)]
			if _, d, err := noisy.l.Reserve(ctx, noisy.q, r.a, invite(r.a.HomeMarket, r.creator), r.at.Add(6*24*time.Hour)); err == nil && d.Allowed {
				t.Fatalf("step %d: %s→%s 6 days after its invitation admitted", i, r.a.ID, r.creator)
			}
		}
		other := st.a
		other.HomeMarket = affrules.VN
		inv := invite(st.a.HomeMarket, st.creator)
		for _, c := range []struct {
			ctx context.Context
			q   invitation.Quota
			inv invitation.Invitation
			at  time.Time
		}{
			{ctx, invitation.Quota{}, inv, st.at},
			{ctx, noisy.q, invite(st.a.HomeMarket, ""), st.at},
			{cancelled, noisy.q, inv, st.at},
			{ctx, noisy.q, inv, time.Time{}},
		} {
			if _, _, err := noisy.l.Reserve(c.ctx, c.q, st.a, c.inv, c.at); err == nil {
				t.Fatalf("step %d: an invalid call succeeded", i)
			}
		}
		if known[st.a.ID] {
			if _, _, err := noisy.l.Reserve(ctx, noisy.q, other, invite(other.HomeMarket, st.creator), st.at); err == nil {
				t.Fatalf("step %d: another home market for %s accepted", i, st.a.ID)
			}
		}
		r1, d1, err1 := plain.l.Reserve(ctx, plain.q, st.a, invite(st.a.HomeMarket, st.creator), st.at)
		r2, d2, err2 := noisy.l.Reserve(ctx, noisy.q, st.a, invite(st.a.HomeMarket, st.creator), st.at)
		if (err1 == nil) != (err2 == nil) || d1.String() != d2.String() || !d1.NextAllowed.Equal(d2.NextAllowed) || r1.Seq != r2.Seq {
			t.Fatalf("step %d %s→%s at %s: without noise #%d %s (%v), with noise #%d %s (%v)", i, st.a.ID, st.creator, stamp(st.at), r1.Seq, d1, err1, r2.Seq, d2, err2)
		}
		if d1.Allowed {
			recorded = append(recorded, st)
			known[st.a.ID] = true
		}
	}
	if len(recorded) < 20 {
		t.Errorf("only %d of %d steps admitted: the script no longer tests much", len(recorded), len(script))
	}
	for _, a := range accounts {
		wantCount(t, noisy.l, a.ID, count(t, plain.l, a.ID))
	}
}

// Issue 9, reproduction 2: other accounts' instants, eight days ahead, do not change an
// account's answers; a ledger may answer an error wrapping ErrTooLate if its bounds say so,
// never a refusal whose reason is not true.
func (s suite) otherAccounts(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-repro-2", affrules.ID)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	f.mustAllow(t, a, "c1", t0)
	// Enough other accounts and invitations that some share whatever part of the ledger a
	// holds, and any periodic work there runs.
	for i := range 300 {
		b := partner(fmt.Sprint("acct-other-", i), affrules.ID)
		for j := range 16 {
			f.mustAllow(t, b, fmt.Sprint("o", j), t0.Add(8*24*time.Hour+time.Duration(16*i+j)*time.Millisecond))
		}
	}
	r, d, err := f.l.Reserve(ctx, f.q, a, invite(affrules.ID, "c2"), t0.Add(time.Hour))
	switch {
	case errors.Is(err, invitation.ErrTooLate):
		wantCount(t, f.l, a.ID, 1)
		return
	case err != nil:
		t.Fatal(err)
	case !d.Allowed || r.Seq != 2:
		t.Fatalf("c2, never invited, an hour after c1: #%d %s; want #2 admitted", r.Seq, d)
	}
	d = f.mustDeny(t, a, "c1", t0.Add(2*time.Hour), t0.Add(7*24*time.Hour), invitation.RuleRepeat)
	if r := d.Failures()[0]; !r.Observed.Time().Equal(t0) {
		t.Errorf("INV-3 observed %v, want %s", r.Observed, stamp(t0))
	}
	f.mustAllow(t, a, "c1", t0.Add(7*24*time.Hour))
}

// One far-future instant (a host's clock bug) locks no account and makes no later real instant
// late: the ledger refuses it with an error wrapping ErrTooFarAhead, or takes it and still
// answers the real instants after it.
func (s suite) farFuture(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-future", affrules.ID)
	b := partner("acct-future-other", affrules.ID)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	f.mustAllow(t, a, "c1", t0)
	f.mustAllow(t, b, "c1", t0)
	want := 2
	r, d, err := f.l.Reserve(ctx, f.q, a, invite(affrules.ID, "c2"), time.Date(2199, 6, 1, 0, 0, 0, 0, time.UTC))
	switch {
	case errors.Is(err, invitation.ErrTooFarAhead):
		if d.Allowed || r.Seq != 0 {
			t.Errorf("an error with a decision %s, record #%d", d, r.Seq)
		}
		if !strings.HasPrefix(err.Error(), "invitation: ") {
			t.Errorf("error without the package prefix: %v", err)
		}
	case err != nil:
		t.Fatalf("2199: %v, want an error wrapping ErrTooFarAhead, or an admission", err)
	case d.Allowed:
		want++
	default:
		t.Fatalf("2199: %s, want an error wrapping ErrTooFarAhead, or an admission", d)
	}
	f.mustAllow(t, a, "c3", t0.Add(time.Minute))
	f.mustAllow(t, b, "c2", t0.Add(time.Minute))
	f.mustAllow(t, a, "c2", t0.Add(2*time.Minute))
	wantCount(t, f.l, a.ID, want+1)
}

// Quotas are per account.
func (s suite) accountsIndependent(t *testing.T) {
	f := s.ledger(t, 1)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		if r := f.mustAllow(t, partner(fmt.Sprint("acct-", i), affrules.VN), "c1", t0); r.Seq != 1 {
			t.Errorf("acct-%d's first record is #%d", i, r.Seq)
		}
	}
}

// The ledger owns no policy: each call is decided by the quota it is given, over the usage the
// ledger keeps whatever the quotas of earlier calls (a policy change applies from the next call).
func (s suite) quotaPerCall(t *testing.T) {
	f := s.ledger(t, 2)
	a := partner("acct-quota", affrules.SG)
	sg := zone("Asia/Singapore")
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, sg)
	midnight := time.Date(2026, 11, 22, 0, 0, 0, 0, sg)
	f.mustAllow(t, a, "c1", t0)
	f.mustAllow(t, a, "c2", t0.Add(time.Minute))
	f.mustDeny(t, a, "c3", t0.Add(2*time.Minute), midnight, invitation.RuleDaily)
	raised := fixture{l: f.l, q: invitation.Quota{DailyLimit: 3, RepeatWindowDays: 7}}
	raised.mustAllow(t, a, "c3", t0.Add(3*time.Minute))
	raised.mustDeny(t, a, "c4", t0.Add(4*time.Minute), midnight, invitation.RuleDaily)
	// Lowered below the day's count: the count as it stands is held to the new limit.
	lowered := fixture{l: f.l, q: invitation.Quota{DailyLimit: 1, RepeatWindowDays: 7}}
	d := lowered.mustDeny(t, a, "c4", t0.Add(5*time.Minute), midnight, invitation.RuleDaily)
	if r := d.Failures()[0]; r.Observed != affrules.Count(3) || r.Limit != affrules.Count(1) {
		t.Errorf("INV-2 observed %v, limit %v; want 3 and 1", r.Observed, r.Limit)
	}

	// A shorter window lets c1 in again two days later; the default window, back in force, still
	// covers the invitation made under the shorter one, and a lengthened window covers c2's
	// first invitation, made while the windows in between were shorter.
	short := fixture{l: f.l, q: invitation.Quota{DailyLimit: 100, RepeatWindowDays: 1}}
	day3 := t0.Add(2 * 24 * time.Hour)
	for i := range 20 { // other creators under the short window, a day apart
		short.mustAllow(t, a, fmt.Sprint("x", i), day3.Add(time.Duration(i)*time.Minute))
	}
	short.mustAllow(t, a, "c1", day3.Add(time.Hour))
	week := fixture{l: f.l, q: invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}}
	week.mustDeny(t, a, "c1", day3.Add(2*time.Hour), day3.Add(time.Hour+7*24*time.Hour), invitation.RuleRepeat)
	week.mustDeny(t, a, "c2", day3.Add(2*time.Hour), t0.Add(time.Minute+7*24*time.Hour), invitation.RuleRepeat)
	off := fixture{l: f.l, q: invitation.Quota{DailyLimit: 100}}
	off.mustAllow(t, a, "c2", day3.Add(3*time.Hour)) // INV-3 switched off

	// A window longer than any given before covers what was recorded under the shorter one,
	// whatever else the account sent in between: x invited under 7 days, then another creator a
	// week later (which let a ledger drop x from its 7-day state), then x again under 10 days,
	// 8 days after the first: refused until 10 days after it.
	b := partner("acct-widen", affrules.SG)
	x0 := t0.Add(10 * 24 * time.Hour)
	seven := fixture{l: f.l, q: invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}}
	ten := fixture{l: f.l, q: invitation.Quota{DailyLimit: 100, RepeatWindowDays: 10}}
	seven.mustAllow(t, b, "x", x0)
	seven.mustAllow(t, b, "y", x0.Add(7*24*time.Hour+time.Hour))
	seven.mustAllow(t, b, "z", x0.Add(7*24*time.Hour+2*time.Hour))
	ten.mustDeny(t, b, "x", x0.Add(8*24*time.Hour), x0.Add(10*24*time.Hour), invitation.RuleRepeat)
	ten.mustDeny(t, b, "x", x0.Add(10*24*time.Hour-time.Nanosecond), x0.Add(10*24*time.Hour), invitation.RuleRepeat)
	seven.mustAllow(t, b, "x", x0.Add(8*24*time.Hour)) // the refusals changed nothing for 7 days
}

// INV-11: 200 goroutines racing for the last 5 daily slots admit exactly 5. The race is run on
// three days, so that a ledger that checks and records in two steps rarely slips through.
func (s suite) raceLastDailySlots(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-race", affrules.ID)
	for day := range 3 {
		t0 := time.Date(2026, 11, 21+day, 8, 0, 0, 0, jakarta)
		for i := range 95 {
			f.mustAllow(t, a, fmt.Sprint("pre", day, "-", i), t0)
		}
		admitted, seqs := race(t, 200, func(i int) (invitation.Record, affrules.Decision, error) {
			return f.l.Reserve(ctx, f.q, a, invite(affrules.ID, fmt.Sprint("racer", day, "-", i)), t0.Add(time.Minute))
		}, invitation.RuleDaily)
		if admitted != 5 {
			t.Errorf("day %d: %d admitted, want 5", day, admitted)
		}
		for seq := int64(100*day + 96); seq <= int64(100*day+100); seq++ {
			if !seqs[seq] {
				t.Errorf("seq %d not handed out", seq)
			}
		}
		wantCount(t, f.l, a.ID, 100*(day+1))
	}
}

// INV-11: 50 goroutines inviting one creator admit exactly 1, for ten creators at once, the
// goroutines of each split between the account's two roles (INV-4).
func (s suite) raceOneCreator(t *testing.T) {
	f := s.ledger(t, 100)
	a := both("acct-race-one", affrules.TH)
	t0 := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	const creators = 10
	admitted, _ := race(t, creators*50, func(i int) (invitation.Record, affrules.Decision, error) {
		inv := invite(affrules.TH, fmt.Sprint("star", i%creators))
		if i/creators%2 == 0 {
			inv.Purpose = invitation.CreatorPartnership
		}
		return f.l.Reserve(ctx, f.q, a, inv, t0.Add(time.Duration(i)*time.Millisecond))
	}, invitation.RuleRepeat)
	if admitted != creators {
		t.Errorf("%d admitted, want %d", admitted, creators)
	}
	page, err := f.l.History(ctx, invitation.Query{Account: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range page.Records {
		got[r.CreatorID]++
	}
	for c := range creators {
		if n := got[fmt.Sprint("star", c)]; n != 1 {
			t.Errorf("star%d admitted %d times", c, n)
		}
	}
}

// INV-11 across accounts: concurrent accounts each get exactly their own quota.
func (s suite) raceManyAccounts(t *testing.T) {
	f := s.ledger(t, 10)
	t0 := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	const accounts = 8
	admitted, _ := race(t, accounts*30, func(i int) (invitation.Record, affrules.Decision, error) {
		a := partner(fmt.Sprint("acct-many-", i%accounts), affrules.SG)
		return f.l.Reserve(ctx, f.q, a, invite(affrules.SG, fmt.Sprint("c", i/accounts)), t0)
	}, invitation.RuleDaily)
	if admitted != accounts*10 {
		t.Errorf("%d admitted, want %d", admitted, accounts*10)
	}
	for i := range accounts {
		wantCount(t, f.l, fmt.Sprint("acct-many-", i), 10)
	}
}

// race runs n calls at once and returns how many were admitted and the sequence numbers they
// got (of the last account to get each); every denial must fail on rule.
func race(t *testing.T, n int, call func(i int) (invitation.Record, affrules.Decision, error), rule affrules.RuleID) (int, map[int64]bool) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		seqs  = map[int64]bool{}
		keys  = map[string]bool{}
		errs  []error
		bad   []string
	)
	for i := range n {
		wg.Go(func() {
			<-start
			r, d, err := call(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case d.Allowed:
				key := fmt.Sprintf("%s #%d", r.Account, r.Seq)
				if keys[key] {
					bad = append(bad, key+" handed out twice")
				}
				keys[key], seqs[r.Seq] = true, true
			case !d.Failed(rule):
				bad = append(bad, d.String())
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 || len(bad) > 0 {
		t.Fatalf("race: errors %v; wrong outcomes %v", errs, bad)
	}
	return len(keys), seqs
}

// INV-9: history survives, newest first, searchable, filterable; a resend is a new record.
func (s suite) history(t *testing.T) {
	f := s.ledger(t, 100)
	a := both("acct-history", affrules.ID)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, jakarta)
	var sent []invitation.Record
	people := []struct{ id, user, nick string }{{"c1", "siti.rahma", "Siti"}, {"c2", "budi_fit", "Budi Fitness"}, {"c3", "rahmat", "Mat"}}
	for i, p := range people {
		inv := invite(affrules.ID, p.id)
		inv.Username, inv.Nickname = p.user, p.nick
		inv.Message = fmt.Sprintf("Message %d for %s", i, p.nick)
		if i == 1 {
			inv.Purpose = invitation.CreatorPartnership
		}
		sent = append(sent, f.allow(t, a, inv, t0.Add(time.Duration(i)*time.Hour)))
	}
	// Resend to c1 a week later: a new record under the quotas (INV-9, INV-3).
	resendAt := t0.Add(7 * 24 * time.Hour)
	inv := sent[0].Invitation
	if _, d := f.reserve(t, a, inv, resendAt.Add(-time.Second)); d.Allowed {
		t.Fatal("resend within the window admitted")
	}
	sent = append(sent, f.allow(t, a, inv, resendAt))
	for i, r := range sent {
		if r.Seq != int64(i+1) {
			t.Errorf("record %d numbered %d", i+1, r.Seq)
		}
	}

	all, err := f.l.History(ctx, invitation.Query{Account: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if all.Next != 0 {
		t.Errorf("one page, yet Next is %d", all.Next)
	}
	want := []invitation.Record{sent[3], sent[2], sent[1], sent[0]}
	if !slices.EqualFunc(want, all.Records, sameRecord) {
		t.Errorf("history:\n got %+v\nwant %+v", all.Records, want)
	}

	check := func(q invitation.Query, want []int64, why string) { historySeqs(t, f.l, a.ID, q, want, why) }
	check(invitation.Query{Search: "RAHM"}, []int64{4, 3, 1}, "username, any case")
	check(invitation.Query{Search: "fitness"}, []int64{2}, "nickname")
	check(invitation.Query{Search: "nobody"}, nil, "no match")
	check(invitation.Query{From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}, []int64{2}, "[From, To) half-open")
	check(invitation.Query{From: t0.Add(2 * time.Hour)}, []int64{4, 3}, "from")
	check(invitation.Query{To: t0.Add(2 * time.Hour)}, []int64{2, 1}, "to")
	check(invitation.Query{LatestPerCreator: true}, []int64{4, 3, 2}, "latest per creator")
	check(invitation.Query{LatestPerCreator: true, To: resendAt}, []int64{3, 2, 1}, "latest among the matches")
	check(invitation.Query{LatestPerCreator: true, Search: "siti"}, []int64{4}, "latest per creator, searched")

	// INV-9 (revised): filters by purpose and by market, alone and with the others.
	x := both("acct-history-filters", affrules.ID)
	x.Markets = []affrules.MarketCode{affrules.MY}
	for i, v := range []struct {
		market  affrules.MarketCode
		purpose invitation.Purpose
	}{
		{affrules.ID, invitation.CreatorPartnership}, {affrules.MY, invitation.ProductDistribution},
		{affrules.ID, invitation.ProductDistribution}, {affrules.MY, invitation.CreatorPartnership},
	} {
		inv := invite(v.market, fmt.Sprint("f", i))
		inv.Purpose = v.purpose
		f.allow(t, x, inv, t0.Add(time.Duration(i)*time.Hour))
	}
	filter := func(q invitation.Query, want []int64, why string) { historySeqs(t, f.l, x.ID, q, want, why) }
	filter(invitation.Query{Purpose: invitation.ProductDistribution}, []int64{3, 2}, "purpose")
	filter(invitation.Query{Purpose: invitation.CreatorPartnership}, []int64{4, 1}, "the other purpose")
	filter(invitation.Query{Market: affrules.MY}, []int64{4, 2}, "market")
	filter(invitation.Query{Market: affrules.ID, Purpose: invitation.CreatorPartnership}, []int64{1}, "market and purpose")
	filter(invitation.Query{Market: affrules.SG}, nil, "a market without invitations")
	filter(invitation.Query{Market: affrules.MY, From: t0.Add(2 * time.Hour)}, []int64{4}, "market and time range")
	filter(invitation.Query{Purpose: invitation.ProductDistribution, Search: "F2"}, []int64{3}, "purpose and search")
	filter(invitation.Query{Purpose: invitation.ProductDistribution, Limit: 1}, []int64{3}, "purpose, first page")
	filter(invitation.Query{Purpose: invitation.ProductDistribution, Limit: 1, Before: 3}, []int64{2}, "purpose, second page")

	// Ledger.History: a cancelled context is an error.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if page, err := f.l.History(cancelled, invitation.Query{Account: a.ID}); !errors.Is(err, context.Canceled) {
		t.Errorf("history under a cancelled context: %d records, %v; want an error wrapping context.Canceled", len(page.Records), err)
	}

	other, err := f.l.History(ctx, invitation.Query{Account: "acct-nobody"})
	if err != nil || len(other.Records) != 0 {
		t.Errorf("history of an unknown account: %+v, %v; want empty", other, err)
	}

	for _, q := range []invitation.Query{{}, {Account: a.ID, Limit: -1}, {Account: a.ID, Limit: 1001}, {Account: a.ID, Before: -1}, {Account: a.ID, From: t0, To: t0.Add(-time.Second)},
		{Account: a.ID, Purpose: "partnership"}, {Account: a.ID, Market: "XX"}} {
		if _, err := f.l.History(ctx, q); !errors.Is(err, invitation.ErrQuery) {
			t.Errorf("query %+v: %v, want an error wrapping ErrQuery", q, err)
		}
	}
	if _, err := f.l.History(ctx, invitation.Query{Account: a.ID, Market: "XX"}); !errors.Is(err, affrules.ErrUnknownMarket) {
		t.Errorf("query of an unknown market: %v, want an error wrapping affrules.ErrUnknownMarket", err)
	}
}

// INV-9 pagination: pages cover the history once, newest first, also with LatestPerCreator.
func (s suite) historyPages(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-pages", affrules.VN)
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	const n = 23
	for i := range n {
		// Creators c0..c9 invited every 8 days: 23 records, 10 creators.
		f.mustAllow(t, a, fmt.Sprint("c", i%10), t0.Add(time.Duration(i/10)*8*24*time.Hour+time.Duration(i)*time.Minute))
	}
	collect := func(q invitation.Query) []int64 {
		t.Helper()
		var seqs []int64
		for pages := 0; ; pages++ {
			if pages >= 100 {
				t.Fatalf("%+v: more than 100 pages", q)
			}
			page, err := f.l.History(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Records) > q.PageSize() {
				t.Fatalf("a page of %d records, the size is %d", len(page.Records), q.PageSize())
			}
			for _, r := range page.Records {
				seqs = append(seqs, r.Seq)
			}
			if page.Next == 0 {
				return seqs
			}
			q.Before = page.Next
		}
	}
	var want []int64
	for seq := int64(n); seq >= 1; seq-- {
		want = append(want, seq)
	}
	for _, tc := range []struct {
		q    invitation.Query
		want []int64
	}{
		{invitation.Query{Account: a.ID, Limit: 5}, want},
		{invitation.Query{Account: a.ID, Limit: 23}, want},
		{invitation.Query{Account: a.ID, Limit: 3, LatestPerCreator: true}, want[:10]},
	} {
		if got := collect(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
		}
	}
}

// INV-10: contacts are shown to the creator only once they answer "interested".
func (s suite) respond(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-respond", affrules.ID)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	r := f.mustAllow(t, a, "c1", t0)
	if r.Interested() || len(r.ContactsShown()) != 0 {
		t.Errorf("a new invitation is answered or shows contacts: %+v", r)
	}

	if _, err := f.l.Respond(ctx, a.ID, r.Seq, t0.Add(-time.Second)); err == nil {
		t.Error("an answer before the invitation was accepted")
	}
	// Ledger.Respond: a cancelled context is an error and records no answer, so the answer
	// below is the first.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.l.Respond(cancelled, a.ID, r.Seq, t0.Add(time.Minute)); !errors.Is(err, context.Canceled) {
		t.Errorf("an answer under a cancelled context: %v, want an error wrapping context.Canceled", err)
	}
	got, err := f.l.Respond(ctx, a.ID, r.Seq, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Interested() || !got.InterestedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("answered at %s, want %s", stamp(got.InterestedAt), stamp(t0.Add(time.Hour)))
	}
	if want := invite(affrules.ID, "c1").Contacts; !slices.Equal(want, got.ContactsShown()) {
		t.Errorf("contacts shown %v, want %v", got.ContactsShown(), want)
	}
	again, err := f.l.Respond(ctx, a.ID, r.Seq, t0.Add(2*time.Hour))
	if err != nil || !again.InterestedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("answering again: %s, %v; the first answer stands", stamp(again.InterestedAt), err)
	}
	// An earlier instant answering again (a retry stamped before the first answer) does not
	// replace it either: the first answer made stands, not the earliest instant given.
	earlier, err := f.l.Respond(ctx, a.ID, r.Seq, t0.Add(30*time.Minute))
	if err != nil || !earlier.InterestedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("answering again at an earlier instant: %s, %v; the first answer stands", stamp(earlier.InterestedAt), err)
	}

	// Nor is an answer dated before the invitation was sent accepted once it is answered: it is
	// as impossible then as before.
	if _, err := f.l.Respond(ctx, a.ID, r.Seq, t0.Add(-time.Second)); err == nil {
		t.Errorf("answering again before the invitation was sent: accepted, want an error naming respond.at")
	}

	page, err := f.l.History(ctx, invitation.Query{Account: a.ID})
	if err != nil || len(page.Records) != 1 || !page.Records[0].Interested() {
		t.Errorf("history after the answer: %+v, %v", page, err)
	}

	for _, tc := range []struct {
		account string
		seq     int64
	}{{a.ID, 2}, {a.ID, 0}, {a.ID, -1}, {"acct-other", 1}} {
		if _, err := f.l.Respond(ctx, tc.account, tc.seq, t0.Add(time.Hour)); !errors.Is(err, invitation.ErrNotFound) {
			t.Errorf("%s #%d: %v, want ErrNotFound", tc.account, tc.seq, err)
		}
	}
}

// Bad input is an error (or, for an unlisted creator, a decision) and records nothing.
func (s suite) badInput(t *testing.T) {
	l := s.newLedger(t)
	e := invitation.MustNew(invitation.DefaultPolicy())
	a := invitation.Account{ID: "acct-bad", HomeMarket: affrules.ID, MCN: true}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, jakarta)
	good := invite(affrules.ID, "c1")
	good.Purpose = invitation.CreatorPartnership
	for _, tc := range []struct {
		name   string
		edit   func(*invitation.Invitation, *eligibility.Creator)
		target error
	}{
		{"INV-1 unknown market", func(inv *invitation.Invitation, _ *eligibility.Creator) { inv.Market = "XX" }, affrules.ErrUnknownMarket},
		{"INV-6 empty message", func(inv *invitation.Invitation, _ *eligibility.Creator) { inv.Message = " \n\t" }, invitation.ErrMessage},
		{"INV-6 oversize message", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Message = strings.Repeat("word ", 501)
		}, invitation.ErrMessage},
		{"INV-6 message of one word over 20,000 characters", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Message = "Hello " + strings.Repeat("x", 20_000)
		}, invitation.ErrMessage},
		{"INV-9 username over 200 characters", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Username = strings.Repeat("u", 201)
		}, affrules.ErrOutOfRange},
		{"INV-9 nickname over 200 characters", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Nickname = strings.Repeat("n", 201)
		}, affrules.ErrOutOfRange},
		{"INV-5 malformed e-mail", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = []invitation.Contact{{Channel: affrules.Email, Value: "team@@agency"}}
		}, invitation.ErrContact},
		{"INV-5 malformed phone", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = append(inv.Contacts, invitation.Contact{Channel: affrules.Phone, Value: "call me"})
		}, invitation.ErrContact},
		{"INV-5 channel the market lacks", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = []invitation.Contact{{Channel: affrules.Line, Value: "agency.id"}}
		}, invitation.ErrContact},
		{"INV-7 purpose the roles do not allow", func(inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Purpose = invitation.ProductDistribution
		}, invitation.ErrPurpose},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv, c := good, listed("c1")
			inv.Contacts = slices.Clone(good.Contacts)
			tc.edit(&inv, &c)
			r, d, err := e.Send(ctx, l, a, inv, c, t0)
			if !errors.Is(err, tc.target) {
				t.Fatalf("%v, want an error wrapping %v", err, tc.target)
			}
			if !strings.HasPrefix(err.Error(), "invitation: ") {
				t.Errorf("error without the package prefix: %v", err)
			}
			if d.Allowed || r.Seq != 0 {
				t.Errorf("bad input gave %s, record #%d", d, r.Seq)
			}
		})
	}
	t.Run("INV-8 creator not listed", func(t *testing.T) {
		c := listed("c1")
		c.LinkedMCN = "another-mcn"
		_, d, err := e.Send(ctx, l, a, good, c, t0)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed || !d.Failed(invitation.RuleListed) || !d.Failed(eligibility.RuleListing) {
			t.Errorf("%s, want INV-8 and ELG-7", d)
		}
		if !d.NextAllowed.IsZero() {
			t.Errorf("next allowed %s: time will not help", stamp(d.NextAllowed))
		}
	})
	wantCount(t, l, a.ID, 0)
	// The whole quota is still there: the first good invitation is number 1 and the same
	// creator is not blocked by the refused attempts.
	r, d, err := e.Send(ctx, l, a, good, listed("c1"), t0)
	if err != nil || !d.Allowed || r.Seq != 1 {
		t.Fatalf("first good invitation: #%d, %s, %v; want #1 allowed", r.Seq, d, err)
	}
}

// Reserve reports store-level errors and records nothing.
func (s suite) reserveErrors(t *testing.T) {
	f := s.ledger(t, 100)
	a := partner("acct-errors", affrules.ID)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := f.l.Reserve(cancelled, f.q, a, invite(affrules.ID, "c1"), t0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
	for _, tc := range []struct {
		name   string
		q      invitation.Quota
		a      invitation.Account
		inv    invitation.Invitation
		at     time.Time
		target error // nil: any error
	}{
		{"account without ID", f.q, invitation.Account{HomeMarket: affrules.ID}, invite(affrules.ID, "c1"), t0, nil},
		{"creator without ID", f.q, a, invite(affrules.ID, ""), t0, nil},
		// IDs are stored as given: each must be one every store holds (at most 256 bytes of
		// UTF-8 text without ASCII control characters).
		{"creator ID with NUL", f.q, a, invite(affrules.ID, "c\x00"), t0, nil},
		{"creator ID not UTF-8", f.q, a, invite(affrules.ID, "c\xff"), t0, nil},
		{"account ID over 256 bytes", f.q, partner(strings.Repeat("a", 257), affrules.ID), invite(affrules.ID, "c1"), t0, nil},
		{"unknown home market", f.q, partner("acct-errors", "XX"), invite(affrules.ID, "c1"), t0, affrules.ErrUnknownMarket},
		{"zero instant", f.q, a, invite(affrules.ID, "c1"), time.Time{}, nil},
		{"zero quota", invitation.Quota{}, a, invite(affrules.ID, "c1"), t0, affrules.ErrOutOfRange},
		{"negative window", invitation.Quota{DailyLimit: 5, RepeatWindowDays: -1}, a, invite(affrules.ID, "c1"), t0, affrules.ErrOutOfRange},
	} {
		_, _, err := f.l.Reserve(ctx, tc.q, tc.a, tc.inv, tc.at)
		if err == nil || tc.target != nil && !errors.Is(err, tc.target) {
			t.Errorf("%s: %v, want an error wrapping %v", tc.name, err, tc.target)
		}
	}
	wantCount(t, f.l, a.ID, 0)
	f.mustAllow(t, a, "c1", t0)
	if _, _, err := f.l.Reserve(ctx, f.q, partner("acct-errors", affrules.UK), invite(affrules.UK, "c2"), t0); err == nil {
		t.Error("home market changed: no error")
	}
	// An unknown home market is unknown, for an account already known too.
	if _, _, err := f.l.Reserve(ctx, f.q, partner("acct-errors", "XX"), invite(affrules.ID, "c2"), t0); !errors.Is(err, affrules.ErrUnknownMarket) {
		t.Errorf("a known account with an unknown home market: %v, want an error wrapping ErrUnknownMarket", err)
	}
	wantCount(t, f.l, a.ID, 1)
}
