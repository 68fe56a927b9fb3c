// Package invitationtest checks implementations of [invitation.Ledger], as testing/fstest checks
// file systems.
package invitationtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

// TestLedger runs the conformance suite against the ledgers newLedger returns: the quotas
// (INV-2..4) with their boundaries, atomicity under concurrent callers (INV-11), history and
// responses (INV-9, INV-10), and that bad input records nothing. newLedger must return a new,
// empty ledger enforcing p each time it is called; the suite runs its subtests in sequence.
func TestLedger(t *testing.T, newLedger func(t *testing.T, p invitation.Policy) invitation.Ledger) {
	s := suite{newLedger: newLedger}
	t.Run("DailyLimit", s.dailyLimit)
	t.Run("DailyLimitHomeZone", s.dailyLimitHomeZone)
	t.Run("LondonDST", s.londonDST)
	t.Run("RepeatWindow", s.repeatWindow)
	t.Run("SharedAcrossRoles", s.sharedAcrossRoles)
	t.Run("BothLimits", s.bothLimits)
	t.Run("ClockBackwards", s.clockBackwards)
	t.Run("AccountsIndependent", s.accountsIndependent)
	t.Run("RaceLastDailySlots", s.raceLastDailySlots)
	t.Run("RaceOneCreator", s.raceOneCreator)
	t.Run("RaceManyAccounts", s.raceManyAccounts)
	t.Run("History", s.history)
	t.Run("HistoryPages", s.historyPages)
	t.Run("Respond", s.respond)
	t.Run("BadInputRecordsNothing", s.badInput)
	t.Run("ReserveErrors", s.reserveErrors)
}

type suite struct {
	newLedger func(t *testing.T, p invitation.Policy) invitation.Ledger
}

func (s suite) ledger(t *testing.T, daily int) invitation.Ledger {
	p := invitation.DefaultPolicy()
	p.DailyLimit = daily
	l := s.newLedger(t, p)
	require.NotNil(t, l)
	return l
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

// reserve reserves and fails the test on error.
func reserve(t *testing.T, l invitation.Ledger, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision) {
	t.Helper()
	r, d, err := l.Reserve(ctx, a, inv, at)
	require.NoError(t, err)
	return r, d
}

func mustAllow(t *testing.T, l invitation.Ledger, a invitation.Account, creator string, at time.Time) invitation.Record {
	t.Helper()
	r, d := reserve(t, l, a, invite(a.HomeMarket, creator), at)
	require.Truef(t, d.Allowed, "reserve %s→%s at %s: %s", a.ID, creator, at.Format(time.RFC3339Nano), d)
	assert.Empty(t, d.Reasons)
	assert.Equal(t, a.ID, r.Account)
	assert.Equal(t, creator, r.CreatorID)
	assert.True(t, r.At.Equal(at), "record at %s, want %s", r.At, at)
	return r
}

// mustDeny reserves, expects a denial for exactly the given rules, and returns the decision.
func mustDeny(t *testing.T, l invitation.Ledger, a invitation.Account, creator string, at time.Time, next time.Time, rules ...affrules.RuleID) affrules.Decision {
	t.Helper()
	r, d := reserve(t, l, a, invite(a.HomeMarket, creator), at)
	require.Falsef(t, d.Allowed, "reserve %s→%s at %s: want denied", a.ID, creator, at.Format(time.RFC3339Nano))
	assert.Zero(t, r.Seq, "a denial records nothing")
	var got []affrules.RuleID
	for _, reason := range d.Failures() {
		got = append(got, reason.Rule)
		assert.NotEmpty(t, reason.Message)
		assert.NotEmpty(t, reason.Observed)
		assert.NotEmpty(t, reason.Limit)
	}
	assert.Equal(t, rules, got, "failing rules")
	assert.Truef(t, d.NextAllowed.Equal(next), "NextAllowed %s, want %s", d.NextAllowed.Format(time.RFC3339Nano), next.Format(time.RFC3339Nano))
	return d
}

func count(t *testing.T, l invitation.Ledger, account string) int {
	t.Helper()
	n, before := 0, int64(0)
	for {
		page, err := l.History(ctx, invitation.Query{Account: account, Before: before, Limit: 1000})
		require.NoError(t, err)
		n += len(page.Records)
		if page.Next == 0 {
			return n
		}
		before = page.Next
	}
}

// INV-2: at most DailyLimit a calendar day of the home market; the next local midnight retries.
func (s suite) dailyLimit(t *testing.T) {
	l := s.ledger(t, 5)
	a := partner("acct-daily", affrules.ID)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
	for i := range 5 {
		mustAllow(t, l, a, fmt.Sprint("c", i), t0.Add(time.Duration(i)*time.Minute))
	}
	midnight := time.Date(2026, 11, 22, 0, 0, 0, 0, jakarta)
	d := mustDeny(t, l, a, "c5", t0.Add(time.Hour), midnight, invitation.RuleDaily)
	assert.Contains(t, d.Failures()[0].Observed, "5")
	mustDeny(t, l, a, "c5", midnight.Add(-time.Nanosecond), midnight, invitation.RuleDaily)
	mustAllow(t, l, a, "c5", midnight)
	assert.Equal(t, 6, count(t, l, a.ID))
}

// INV-2 interpretation: the day is the home market's, wherever the creator is invited (INV-1).
func (s suite) dailyLimitHomeZone(t *testing.T) {
	l := s.ledger(t, 2)
	a := invitation.Account{ID: "acct-uk", HomeMarket: affrules.UK, Markets: []affrules.MarketCode{affrules.ID}, Partner: true}
	// 23:30 in London is 06:30 the next morning in Jakarta.
	late := time.Date(2026, 11, 20, 23, 30, 0, 0, london)
	_, d := reserve(t, l, a, invite(affrules.ID, "c1"), late)
	require.True(t, d.Allowed, d.String())
	_, d = reserve(t, l, a, invite(affrules.UK, "c2"), late.Add(time.Minute))
	require.True(t, d.Allowed, d.String())
	londonMidnight := time.Date(2026, 11, 21, 0, 0, 0, 0, london)
	_, d = reserve(t, l, a, invite(affrules.ID, "c3"), late.Add(2*time.Minute))
	require.False(t, d.Allowed)
	assert.True(t, d.NextAllowed.Equal(londonMidnight), "next %s", d.NextAllowed)
	_, d = reserve(t, l, a, invite(affrules.ID, "c3"), londonMidnight)
	assert.True(t, d.Allowed, d.String())
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
			l := s.ledger(t, 1)
			a := partner("acct-london", affrules.UK)
			require.Equal(t, tc.wantLength, affrules.DayOf(tc.fill, london).Duration())
			mustAllow(t, l, a, "c1", tc.fill)
			mustDeny(t, l, a, "c2", tc.stillSame, tc.dayEnd, invitation.RuleDaily)
			mustDeny(t, l, a, "c2", tc.dayEnd.Add(-time.Nanosecond), tc.dayEnd, invitation.RuleDaily)
			mustAllow(t, l, a, "c2", tc.dayEnd)
		})
	}
}

// INV-3, MKT-3: the same creator once within 7×24h; exactly 7×24h later is allowed.
func (s suite) repeatWindow(t *testing.T) {
	l := s.ledger(t, 100)
	a := partner("acct-repeat", affrules.TH)
	t0 := time.Date(2026, 11, 21, 9, 15, 0, 0, time.UTC)
	mustAllow(t, l, a, "c1", t0)
	again := t0.Add(7 * 24 * time.Hour)
	mustDeny(t, l, a, "c1", t0.Add(time.Hour), again, invitation.RuleRepeat)
	mustDeny(t, l, a, "c1", again.Add(-time.Nanosecond), again, invitation.RuleRepeat)
	mustAllow(t, l, a, "c2", t0.Add(time.Hour)) // another creator is not affected
	mustAllow(t, l, a, "c1", again)
	mustDeny(t, l, a, "c1", again.Add(time.Nanosecond), again.Add(7*24*time.Hour), invitation.RuleRepeat)

	// Across London's spring forward, 7×24h is 13:00 BST a week after 12:00 GMT: seven
	// calendar days in the home zone are an hour short.
	uk := partner("acct-repeat-uk", affrules.UK)
	last := time.Date(2026, 3, 25, 12, 0, 0, 0, london)
	week := last.Add(7 * 24 * time.Hour)
	mustAllow(t, l, uk, "c1", last)
	mustDeny(t, l, uk, "c1", last.AddDate(0, 0, 7), week, invitation.RuleRepeat)
	mustAllow(t, l, uk, "c1", week)
}

// INV-4: an account that is both MCN and partner has one budget and one window per creator.
func (s suite) sharedAcrossRoles(t *testing.T) {
	l := s.ledger(t, 3)
	a := both("acct-both", affrules.MY)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	inv := invite(affrules.MY, "c1")
	inv.Purpose = invitation.CreatorPartnership
	_, d := reserve(t, l, a, inv, t0)
	require.True(t, d.Allowed, d.String())
	inv.Purpose = invitation.ProductDistribution
	_, d = reserve(t, l, a, inv, t0.Add(time.Minute))
	require.False(t, d.Allowed)
	assert.True(t, d.Failed(invitation.RuleRepeat), d.String())

	inv2 := invite(affrules.MY, "c2")
	inv2.Purpose = invitation.CreatorPartnership
	_, d = reserve(t, l, a, inv2, t0.Add(2*time.Minute))
	require.True(t, d.Allowed, d.String())
	_, d = reserve(t, l, a, invite(affrules.MY, "c3"), t0.Add(3*time.Minute))
	require.True(t, d.Allowed, d.String())
	inv4 := invite(affrules.MY, "c4")
	inv4.Purpose = invitation.CreatorPartnership
	_, d = reserve(t, l, a, inv4, t0.Add(4*time.Minute))
	require.False(t, d.Allowed)
	assert.True(t, d.Failed(invitation.RuleDaily), d.String())
}

// INV-2 and INV-3 together: every failing rule, and NextAllowed the later retry instant.
func (s suite) bothLimits(t *testing.T) {
	t.Run("window outlasts the day", func(t *testing.T) {
		l := s.ledger(t, 1)
		a := partner("acct-both-limits", affrules.ID)
		t0 := time.Date(2026, 11, 21, 23, 0, 0, 0, jakarta)
		mustAllow(t, l, a, "c1", t0)
		mustDeny(t, l, a, "c1", t0.Add(time.Minute), t0.Add(7*24*time.Hour), invitation.RuleDaily, invitation.RuleRepeat)
	})
	t.Run("day outlasts the window", func(t *testing.T) {
		l := s.ledger(t, 2)
		a := partner("acct-both-limits", affrules.ID)
		t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, jakarta)
		mustAllow(t, l, a, "c1", t0)
		day8 := t0.Add(7*24*time.Hour - time.Hour) // 09:00, an hour before c1 may be invited again
		mustAllow(t, l, a, "c2", day8)
		mustAllow(t, l, a, "c3", day8.Add(time.Minute))
		midnight := time.Date(2026, 11, 29, 0, 0, 0, 0, jakarta)
		mustDeny(t, l, a, "c1", day8.Add(2*time.Minute), midnight, invitation.RuleDaily, invitation.RuleRepeat)
	})
}

// A clock that goes backwards never reopens a quota.
func (s suite) clockBackwards(t *testing.T) {
	l := s.ledger(t, 2)
	a := partner("acct-backwards", affrules.PH)
	manila := zone("Asia/Manila")
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, manila)
	mustAllow(t, l, a, "c1", t0)
	mustDeny(t, l, a, "c1", t0.Add(-time.Hour), t0.Add(7*24*time.Hour), invitation.RuleRepeat)
	mustAllow(t, l, a, "c2", t0.Add(time.Hour))
	// The previous day is counted in the latest day the account has used.
	mustDeny(t, l, a, "c3", t0.Add(-24*time.Hour), time.Date(2026, 11, 23, 0, 0, 0, 0, manila), invitation.RuleDaily)
}

// Quotas are per account.
func (s suite) accountsIndependent(t *testing.T) {
	l := s.ledger(t, 1)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	for i := range 5 {
		r := mustAllow(t, l, partner(fmt.Sprint("acct-", i), affrules.VN), "c1", t0)
		assert.Equal(t, int64(1), r.Seq)
	}
}

// INV-11: 200 goroutines racing for the last 5 daily slots admit exactly 5. The race is run on
// three days, so that a ledger that checks and records in two steps rarely slips through.
func (s suite) raceLastDailySlots(t *testing.T) {
	l := s.ledger(t, 100)
	a := partner("acct-race", affrules.ID)
	for day := range 3 {
		t0 := time.Date(2026, 11, 21+day, 8, 0, 0, 0, jakarta)
		for i := range 95 {
			mustAllow(t, l, a, fmt.Sprint("pre", day, "-", i), t0)
		}
		admitted, seqs := race(t, 200, func(i int) (invitation.Record, affrules.Decision, error) {
			return l.Reserve(ctx, a, invite(affrules.ID, fmt.Sprint("racer", day, "-", i)), t0.Add(time.Minute))
		}, invitation.RuleDaily)
		assert.Equal(t, 5, admitted, "day %d", day)
		for seq := int64(100*day + 96); seq <= int64(100*day+100); seq++ {
			assert.True(t, seqs[seq], "seq %d not handed out", seq)
		}
		assert.Equal(t, 100*(day+1), count(t, l, a.ID))
	}
}

// INV-11: 50 goroutines inviting one creator admit exactly 1, for ten creators at once, the
// goroutines of each split between the account's two roles (INV-4).
func (s suite) raceOneCreator(t *testing.T) {
	l := s.ledger(t, 100)
	a := both("acct-race-one", affrules.TH)
	t0 := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	const creators = 10
	admitted, _ := race(t, creators*50, func(i int) (invitation.Record, affrules.Decision, error) {
		inv := invite(affrules.TH, fmt.Sprint("star", i%creators))
		if i/creators%2 == 0 {
			inv.Purpose = invitation.CreatorPartnership
		}
		return l.Reserve(ctx, a, inv, t0.Add(time.Duration(i)*time.Millisecond))
	}, invitation.RuleRepeat)
	assert.Equal(t, creators, admitted)
	page, err := l.History(ctx, invitation.Query{Account: a.ID})
	require.NoError(t, err)
	got := map[string]int{}
	for _, r := range page.Records {
		got[r.CreatorID]++
	}
	for c := range creators {
		assert.Equal(t, 1, got[fmt.Sprint("star", c)], "star%d admitted", c)
	}
}

// INV-11 across accounts: concurrent accounts each get exactly their own quota.
func (s suite) raceManyAccounts(t *testing.T) {
	l := s.ledger(t, 10)
	t0 := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	const accounts = 8
	admitted, _ := race(t, accounts*30, func(i int) (invitation.Record, affrules.Decision, error) {
		a := partner(fmt.Sprint("acct-many-", i%accounts), affrules.SG)
		return l.Reserve(ctx, a, invite(affrules.SG, fmt.Sprint("c", i/accounts)), t0)
	}, invitation.RuleDaily)
	assert.Equal(t, accounts*10, admitted)
	for i := range accounts {
		assert.Equal(t, 10, count(t, l, fmt.Sprint("acct-many-", i)))
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
	require.Empty(t, errs)
	require.Empty(t, bad)
	return len(keys), seqs
}

// INV-9: history survives, newest first, searchable, filterable; a resend is a new record.
func (s suite) history(t *testing.T) {
	l := s.ledger(t, 100)
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
		r, d := reserve(t, l, a, inv, t0.Add(time.Duration(i)*time.Hour))
		require.True(t, d.Allowed, d.String())
		sent = append(sent, r)
	}
	// Resend to c1 a week later: a new record under the quotas (INV-9, INV-3).
	resendAt := t0.Add(7 * 24 * time.Hour)
	inv := sent[0].Invitation
	_, d := reserve(t, l, a, inv, resendAt.Add(-time.Second))
	require.False(t, d.Allowed)
	r, d := reserve(t, l, a, inv, resendAt)
	require.True(t, d.Allowed, d.String())
	sent = append(sent, r)
	for i, r := range sent {
		assert.Equal(t, int64(i+1), r.Seq)
	}

	all, err := l.History(ctx, invitation.Query{Account: a.ID})
	require.NoError(t, err)
	assert.Zero(t, all.Next)
	want := []invitation.Record{sent[3], sent[2], sent[1], sent[0]}
	if diff := cmp.Diff(want, all.Records); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	seqsOf := func(q invitation.Query) []int64 {
		t.Helper()
		q.Account = a.ID
		page, err := l.History(ctx, q)
		require.NoError(t, err)
		var out []int64
		for _, r := range page.Records {
			out = append(out, r.Seq)
		}
		return out
	}
	assert.Equal(t, []int64{4, 3, 1}, seqsOf(invitation.Query{Search: "RAHM"}), "username, any case")
	assert.Equal(t, []int64{2}, seqsOf(invitation.Query{Search: "fitness"}), "nickname")
	assert.Empty(t, seqsOf(invitation.Query{Search: "nobody"}))
	assert.Equal(t, []int64{2}, seqsOf(invitation.Query{From: t0.Add(time.Hour), To: t0.Add(2 * time.Hour)}), "[From, To) half-open")
	assert.Equal(t, []int64{4, 3}, seqsOf(invitation.Query{From: t0.Add(2 * time.Hour)}))
	assert.Equal(t, []int64{2, 1}, seqsOf(invitation.Query{To: t0.Add(2 * time.Hour)}))
	assert.Equal(t, []int64{4, 3, 2}, seqsOf(invitation.Query{LatestPerCreator: true}))
	assert.Equal(t, []int64{3, 2, 1}, seqsOf(invitation.Query{LatestPerCreator: true, To: resendAt}), "latest among the matches")
	assert.Equal(t, []int64{4}, seqsOf(invitation.Query{LatestPerCreator: true, Search: "siti"}))

	other, err := l.History(ctx, invitation.Query{Account: "acct-nobody"})
	require.NoError(t, err)
	assert.Empty(t, other.Records)

	for _, q := range []invitation.Query{{}, {Account: a.ID, Limit: -1}, {Account: a.ID, Limit: 1001}, {Account: a.ID, Before: -1}, {Account: a.ID, From: t0, To: t0.Add(-time.Second)}} {
		_, err := l.History(ctx, q)
		assert.Error(t, err, "query %+v", q)
	}
}

// INV-9 pagination: pages cover the history once, newest first, also with LatestPerCreator.
func (s suite) historyPages(t *testing.T) {
	l := s.ledger(t, 100)
	a := partner("acct-pages", affrules.VN)
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	const n = 23
	for i := range n {
		// Creators c0..c9 invited every 8 days: 23 records, 10 creators.
		mustAllow(t, l, a, fmt.Sprint("c", i%10), t0.Add(time.Duration(i/10)*8*24*time.Hour+time.Duration(i)*time.Minute))
	}
	collect := func(q invitation.Query) []int64 {
		var seqs []int64
		for pages := 0; ; pages++ {
			require.Less(t, pages, 100)
			page, err := l.History(ctx, q)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Records), q.PageSize())
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
	assert.Equal(t, want, collect(invitation.Query{Account: a.ID, Limit: 5}))
	assert.Equal(t, want, collect(invitation.Query{Account: a.ID, Limit: 23}))
	assert.Equal(t, want[:10], collect(invitation.Query{Account: a.ID, Limit: 3, LatestPerCreator: true}))
}

// INV-10: contacts are shown to the creator only once they answer "interested".
func (s suite) respond(t *testing.T) {
	l := s.ledger(t, 100)
	a := partner("acct-respond", affrules.ID)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	r := mustAllow(t, l, a, "c1", t0)
	assert.False(t, r.Interested())
	assert.Empty(t, r.ContactsShown())

	_, err := l.Respond(ctx, a.ID, r.Seq, t0.Add(-time.Second))
	assert.Error(t, err, "an answer before the invitation")
	got, err := l.Respond(ctx, a.ID, r.Seq, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, got.Interested())
	assert.True(t, got.InterestedAt.Equal(t0.Add(time.Hour)))
	assert.Equal(t, invite(affrules.ID, "c1").Contacts, got.ContactsShown())
	again, err := l.Respond(ctx, a.ID, r.Seq, t0.Add(2*time.Hour))
	require.NoError(t, err)
	assert.True(t, again.InterestedAt.Equal(t0.Add(time.Hour)), "the first answer stands")

	page, err := l.History(ctx, invitation.Query{Account: a.ID})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	assert.True(t, page.Records[0].Interested())

	for _, tc := range []struct {
		account string
		seq     int64
	}{{a.ID, 2}, {a.ID, 0}, {a.ID, -1}, {"acct-other", 1}} {
		_, err := l.Respond(ctx, tc.account, tc.seq, t0.Add(time.Hour))
		assert.ErrorIs(t, err, invitation.ErrNotFound, "%s #%d", tc.account, tc.seq)
	}
}

// Bad input is an error (or, for an unlisted creator, a decision) and records nothing.
func (s suite) badInput(t *testing.T) {
	p := invitation.DefaultPolicy()
	l := s.newLedger(t, p)
	a := invitation.Account{ID: "acct-bad", HomeMarket: affrules.ID, Partner: true}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, jakarta)
	good := invite(affrules.ID, "c1")
	for _, tc := range []struct {
		name   string
		edit   func(*invitation.Account, *invitation.Invitation, *eligibility.Creator)
		target error
	}{
		{"INV-1 unknown market", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) { inv.Market = "XX" }, affrules.ErrUnknownMarket},
		{"INV-6 empty message", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) { inv.Message = " \n\t" }, invitation.ErrMessage},
		{"INV-6 oversize message", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Message = strings.Repeat("word ", 501)
		}, invitation.ErrMessage},
		{"INV-5 malformed e-mail", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = []invitation.Contact{{Channel: affrules.Email, Value: "team@@agency"}}
		}, invitation.ErrContact},
		{"INV-5 malformed phone", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = append(inv.Contacts, invitation.Contact{Channel: affrules.Phone, Value: "call me"})
		}, invitation.ErrContact},
		{"INV-5 channel the market lacks", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Contacts = []invitation.Contact{{Channel: affrules.Line, Value: "agency.id"}}
		}, invitation.ErrContact},
		{"INV-7 purpose the roles do not allow", func(_ *invitation.Account, inv *invitation.Invitation, _ *eligibility.Creator) {
			inv.Purpose = invitation.CreatorPartnership
		}, invitation.ErrPurpose},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acct, inv, c := a, good, listed("c1")
			tc.edit(&acct, &inv, &c)
			r, d, err := invitation.Send(ctx, l, p, acct, inv, c, t0)
			require.ErrorIs(t, err, tc.target)
			assert.True(t, strings.HasPrefix(err.Error(), "invitation: "), err.Error())
			assert.False(t, d.Allowed)
			assert.Zero(t, r.Seq)
		})
	}
	t.Run("INV-8 creator not listed", func(t *testing.T) {
		c := listed("c1")
		c.LinkedMCN = "another-mcn"
		_, d, err := invitation.Send(ctx, l, p, a, good, c, t0)
		require.NoError(t, err)
		assert.False(t, d.Allowed)
		assert.True(t, d.Failed(invitation.RuleListed))
		assert.True(t, d.Failed(eligibility.RuleListing))
		assert.True(t, d.NextAllowed.IsZero(), "time will not help")
	})
	assert.Zero(t, count(t, l, a.ID), "nothing recorded")
	// The whole quota is still there: the first good invitation is number 1 and the same
	// creator is not blocked by the refused attempts.
	r, d, err := invitation.Send(ctx, l, p, a, good, listed("c1"), t0)
	require.NoError(t, err)
	require.True(t, d.Allowed, d.String())
	assert.Equal(t, int64(1), r.Seq)
}

// Reserve reports store-level errors and records nothing.
func (s suite) reserveErrors(t *testing.T) {
	l := s.ledger(t, 100)
	a := partner("acct-errors", affrules.ID)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _, err := l.Reserve(cancelled, a, invite(affrules.ID, "c1"), t0)
	assert.ErrorIs(t, err, context.Canceled)
	_, _, err = l.Reserve(ctx, invitation.Account{HomeMarket: affrules.ID}, invite(affrules.ID, "c1"), t0)
	assert.Error(t, err, "account without ID")
	_, _, err = l.Reserve(ctx, a, invite(affrules.ID, ""), t0)
	assert.Error(t, err, "creator without ID")
	_, _, err = l.Reserve(ctx, partner("acct-errors", "XX"), invite(affrules.ID, "c1"), t0)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	_, _, err = l.Reserve(ctx, a, invite(affrules.ID, "c1"), time.Time{})
	assert.Error(t, err, "zero instant")
	assert.Zero(t, count(t, l, a.ID))
	mustAllow(t, l, a, "c1", t0)
	_, _, err = l.Reserve(ctx, partner("acct-errors", affrules.UK), invite(affrules.UK, "c2"), t0)
	assert.Error(t, err, "home market changed")
	assert.Equal(t, 1, count(t, l, a.ID))
}
