package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
	"github.com/affrules/affrules/store/postgres"
)

func TestInvitations(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger { return postgres.Invitations(migrated(t)) })
}

func invitationTo(market affrules.MarketCode, creator string, purpose invitation.Purpose) invitation.Invitation {
	return invitation.Invitation{
		Market: market, CreatorID: creator, Username: "user_" + creator, Nickname: "Nick " + creator, Purpose: purpose,
		Message:  "We would like to work with you.",
		Contacts: []invitation.Contact{{Channel: affrules.Email, Value: "team@agency.example.com"}},
	}
}

// TestInvitationsMatchMemory runs one script of reservations, with instants up to a few
// milliseconds out of order and quotas that change between calls, on the PostgreSQL ledger and
// on invitation.Memory, and checks that every answer and every page of history is the same
// (INV-2, INV-3, INV-9, INV-10).
func TestInvitationsMatchMemory(t *testing.T) {
	ctx := context.Background()
	pg, mem := postgres.Invitations(migrated(t)), invitation.NewMemory()
	accounts := []invitation.Account{
		{ID: "acct-uk", HomeMarket: affrules.UK, Markets: []affrules.MarketCode{affrules.ID}, MCN: true, Partner: true},
		{ID: "acct-ph", HomeMarket: affrules.PH, MCN: true, Partner: true},
	}
	quotas := []invitation.Quota{{DailyLimit: 3, RepeatWindowDays: 7}, {DailyLimit: 5, RepeatWindowDays: 1}, {DailyLimit: 2}}
	purposes := []invitation.Purpose{invitation.CreatorPartnership, invitation.ProductDistribution}
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 3, 27, 20, 0, 0, 123456789, time.UTC) // London's spring forward is two days later
	admitted := 0
	for i := range 400 {
		switch rng.IntN(4) {
		case 0:
			at = at.Add(time.Duration(rng.IntN(50)) * time.Millisecond)
		case 1:
			at = at.Add(time.Duration(rng.IntN(600)) * time.Minute)
		case 2:
			at = at.Add(time.Duration(rng.IntN(3*24)) * time.Hour)
		}
		when := at.Add(-time.Duration(rng.IntN(20)) * time.Millisecond) // a little late at times
		a := accounts[rng.IntN(len(accounts))]
		q := quotas[rng.IntN(len(quotas))]
		market := a.HomeMarket
		if a.ID == "acct-uk" && rng.IntN(2) == 0 {
			market = affrules.ID
		}
		inv := invitationTo(market, fmt.Sprint("c", rng.IntN(6)), purposes[rng.IntN(2)])
		r1, d1, err1 := mem.Reserve(ctx, q, a, inv, when)
		r2, d2, err2 := pg.Reserve(ctx, q, a, inv, when)
		if (err1 == nil) != (err2 == nil) || d1.String() != d2.String() || !d1.NextAllowed.Equal(d2.NextAllowed) || r1.Seq != r2.Seq || !r1.At.Equal(r2.At) {
			t.Fatalf("step %d %s→%s at %s under %+v:\nMemory     #%d %s until %s (%v)\nPostgreSQL #%d %s until %s (%v)", i, a.ID, inv.CreatorID,
				when.Format(time.RFC3339Nano), q, r1.Seq, d1, d1.NextAllowed.Format(time.RFC3339Nano), err1, r2.Seq, d2, d2.NextAllowed.Format(time.RFC3339Nano), err2)
		}
		if d1.Allowed {
			admitted++
			if rng.IntN(3) == 0 {
				answer := when.Add(time.Duration(rng.IntN(48)) * time.Hour)
				x1, e1 := mem.Respond(ctx, a.ID, r1.Seq, answer)
				x2, e2 := pg.Respond(ctx, a.ID, r2.Seq, answer)
				if (e1 == nil) != (e2 == nil) || !x1.InterestedAt.Equal(x2.InterestedAt) {
					t.Fatalf("step %d: respond: Memory %s (%v), PostgreSQL %s (%v)", i, x1.InterestedAt, e1, x2.InterestedAt, e2)
				}
			}
		}
	}
	if admitted < 100 {
		t.Fatalf("only %d of 400 steps admitted: the script no longer tests much", admitted)
	}
	for _, a := range accounts {
		for _, q := range []invitation.Query{
			{}, {Limit: 7}, {Search: "C3"}, {Search: "nick c1", Limit: 2}, {LatestPerCreator: true, Limit: 2},
			{Purpose: invitation.CreatorPartnership, Limit: 5}, {Market: affrules.ID}, {Market: affrules.UK, LatestPerCreator: true},
			{From: at.AddDate(0, 0, -20), To: at.AddDate(0, 0, -5), Limit: 4}, {From: at.AddDate(0, 0, -10), LatestPerCreator: true, Search: "user"},
		} {
			q.Account = a.ID
			if got, want := allPages(t, pg, q), allPages(t, mem, q); !slices.EqualFunc(got, want, sameInvitation) {
				t.Errorf("%+v:\nPostgreSQL %v\nMemory     %v", q, seqsOf(got), seqsOf(want))
			}
		}
	}
}

// allPages returns every record of q's history, following the pages.
func allPages(t *testing.T, l invitation.Ledger, q invitation.Query) []invitation.Record {
	t.Helper()
	var out []invitation.Record
	for range 1000 {
		page, err := l.History(context.Background(), q)
		if err != nil {
			t.Fatalf("history %+v: %v", q, err)
		}
		if len(page.Records) > q.PageSize() {
			t.Fatalf("history %+v: a page of %d records", q, len(page.Records))
		}
		out = append(out, page.Records...)
		if page.Next == 0 {
			return out
		}
		q.Before = page.Next
	}
	t.Fatalf("history %+v: more than 1000 pages", q)
	return nil
}

func seqsOf(rs []invitation.Record) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.Seq)
	}
	return out
}

func sameInvitation(a, b invitation.Record) bool {
	x, y := a.Invitation, b.Invitation
	return a.Account == b.Account && a.Seq == b.Seq && a.At.Equal(b.At) && a.At.Location().String() == b.At.Location().String() &&
		a.InterestedAt.Equal(b.InterestedAt) && x.Market == y.Market && x.CreatorID == y.CreatorID && x.Username == y.Username &&
		x.Nickname == y.Nickname && x.Purpose == y.Purpose && x.Message == y.Message && slices.Equal(x.Contacts, y.Contacts)
}

// TestInvitationsAnyLateness checks that answers are exact at instants any distance behind
// the account's latest, against a plain reference over the recorded invitations: the count of
// the instant's own day (INV-2), the creator's invitations less than the window before or after
// it (INV-3), and NextAllowed the first instant the recorded invitations allow. Instants carry
// nanoseconds, which timestamptz would round away.
func TestInvitationsAnyLateness(t *testing.T) {
	ctx := context.Background()
	l := postgres.Invitations(migrated(t))
	a := invitation.Account{ID: "acct-any", HomeMarket: affrules.TH, Partner: true}
	home := zone(t, "Asia/Bangkok")
	q := invitation.Quota{DailyLimit: 2, RepeatWindowDays: 3}
	window := 3 * 24 * time.Hour
	type rec struct {
		creator string
		at      time.Time
	}
	var recorded []rec
	allowedAt := func(creator string, at time.Time) (count int, last time.Time, ok bool) {
		day := affrules.DayOf(at, home)
		for _, r := range recorded {
			if day.Contains(r.at) {
				count++
			}
			if r.creator == creator && r.at.After(at.Add(-window)) && r.at.Before(at.Add(window)) && r.at.After(last) {
				last = r.at
			}
		}
		return count, last, count < q.DailyLimit && last.IsZero()
	}
	next := func(creator string, at time.Time) time.Time {
		var cands []time.Time
		for _, r := range recorded {
			cands = append(cands, affrules.DayOf(r.at, home).End)
			if r.creator == creator {
				cands = append(cands, r.at.Add(window))
			}
		}
		slices.SortFunc(cands, time.Time.Compare)
		for _, c := range cands {
			if _, _, ok := allowedAt(creator, c); ok && c.After(at) {
				return c
			}
		}
		t.Fatalf("no instant allowed after %s", at)
		return time.Time{}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, home)
	admitted := 0
	for i := range 300 {
		// Anywhere in sixty days, in any order, to the nanosecond.
		at := base.Add(time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
		creator := fmt.Sprint("c", rng.IntN(8))
		count, last, ok := allowedAt(creator, at)
		r, d, err := l.Reserve(ctx, q, a, invitationTo(affrules.TH, creator, invitation.ProductDistribution), at)
		if err != nil {
			t.Fatalf("step %d at %s: %v", i, at.Format(time.RFC3339Nano), err)
		}
		if d.Allowed != ok {
			t.Fatalf("step %d %s at %s: %s, want allowed %v (day count %d, last %s)", i, creator, at.Format(time.RFC3339Nano), d, ok, count, last.Format(time.RFC3339Nano))
		}
		if ok {
			if !r.At.Equal(at) || r.Seq != int64(admitted+1) {
				t.Fatalf("step %d: record #%d at %s, want #%d at %s", i, r.Seq, r.At.Format(time.RFC3339Nano), admitted+1, at.Format(time.RFC3339Nano))
			}
			admitted++
			recorded = append(recorded, rec{creator, at})
			continue
		}
		var rules []affrules.RuleID
		if count >= q.DailyLimit {
			rules = append(rules, invitation.RuleDaily)
		}
		if !last.IsZero() {
			rules = append(rules, invitation.RuleRepeat)
		}
		var got []affrules.RuleID
		for _, reason := range d.Failures() {
			got = append(got, reason.Rule)
			if reason.Rule == invitation.RuleRepeat && !reason.Observed.Time().Equal(last) {
				t.Errorf("step %d: INV-3 observed %s, want %s", i, reason.Observed.Time().Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))
			}
			if reason.Rule == invitation.RuleDaily && reason.Observed != affrules.Count(int64(count)) {
				t.Errorf("step %d: INV-2 observed %v, want %d", i, reason.Observed, count)
			}
		}
		if !slices.Equal(got, rules) {
			t.Errorf("step %d: failing rules %v, want %v", i, got, rules)
		}
		if want := next(creator, at); !d.NextAllowed.Equal(want) {
			t.Errorf("step %d %s at %s: NextAllowed %s, want %s", i, creator, at.Format(time.RFC3339Nano), d.NextAllowed.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	}
	if admitted < 50 || admitted > 250 {
		t.Fatalf("%d of 300 admitted: the script no longer tests much", admitted)
	}
	page, err := l.History(ctx, invitation.Query{Account: a.ID, Limit: 1000})
	if err != nil || len(page.Records) != admitted {
		t.Fatalf("history: %d records, %v; want %d", len(page.Records), err, admitted)
	}
	for _, r := range page.Records {
		if want := recorded[r.Seq-1].at; !r.At.Equal(want) {
			t.Errorf("#%d at %s, want %s", r.Seq, r.At.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
		}
	}
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestInvitationsUnstorableText checks that text PostgreSQL cannot hold exactly (invalid UTF-8,
// NUL) is an error that records nothing, and that the account is then still new.
func TestInvitationsUnstorableText(t *testing.T) {
	ctx := context.Background()
	l := postgres.Invitations(migrated(t))
	a := invitation.Account{ID: "acct-text", HomeMarket: affrules.VN, Partner: true}
	q := invitation.Quota{DailyLimit: 10, RepeatWindowDays: 7}
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, edit := range []func(*invitation.Invitation){
		func(inv *invitation.Invitation) { inv.Username = "bad\xff" },
		func(inv *invitation.Invitation) { inv.Message = "nul\x00" },
		func(inv *invitation.Invitation) { inv.Contacts[0].Value = "\xc3" },
		func(inv *invitation.Invitation) {
			inv.Showcase = &invitation.Showcase{Company: invitation.Company{Services: []string{"ok", "\x00"}}}
		},
		func(inv *invitation.Invitation) {
			inv.Showcase = &invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "k\xff"}}}
		},
	} {
		inv := invitationTo(affrules.VN, "c1", invitation.ProductDistribution)
		edit(&inv)
		r, d, err := l.Reserve(ctx, q, a, inv, at)
		if err == nil || d.Allowed || r.Seq != 0 {
			t.Errorf("%+v: #%d %s, %v; want an error", inv, r.Seq, d, err)
		}
		var fe *affrules.FieldError
		if !errors.As(err, &fe) {
			t.Errorf("error %v is not an *affrules.FieldError", err)
		}
	}
	r, d, err := l.Reserve(ctx, q, a, invitationTo(affrules.VN, "c1", invitation.ProductDistribution), at)
	if err != nil || !d.Allowed || r.Seq != 1 {
		t.Fatalf("first storable invitation: #%d %s, %v; want #1 allowed", r.Seq, d, err)
	}
}

// TestInvitationsTwoPools races reservations for the last slots of a day and for one creator
// through two pools that share no connection, as two processes would (INV-11): exactly the
// quota is admitted, each with its own number.
func TestInvitationsTwoPools(t *testing.T) {
	ctx := context.Background()
	pool := migrated(t)
	other, err := pgxpool.NewWithConfig(ctx, pool.Config())
	if err != nil {
		t.Fatalf("open second pool: %v", err)
	}
	defer other.Close()
	ledgers := []invitation.Ledger{postgres.Invitations(pool), postgres.Invitations(other)}
	a := invitation.Account{ID: "acct-pools", HomeMarket: affrules.MY, Partner: true}
	q := invitation.Quota{DailyLimit: 10, RepeatWindowDays: 7}
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for i := range 7 {
		if _, d, err := ledgers[i%2].Reserve(ctx, q, a, invitationTo(affrules.MY, fmt.Sprint("pre", i), invitation.ProductDistribution), at); err != nil || !d.Allowed {
			t.Fatalf("pre %d: %s, %v", i, d, err)
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		seqs  = map[int64]bool{}
		stars int
	)
	for i := range 120 {
		wg.Go(func() {
			creator := fmt.Sprint("racer", i)
			if i%3 == 0 {
				creator = "star"
			}
			r, d, err := ledgers[i%2].Reserve(ctx, q, a, invitationTo(affrules.MY, creator, invitation.ProductDistribution), at.Add(time.Duration(i)*time.Millisecond))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("racer %d: %v", i, err)
			case d.Allowed:
				if seqs[r.Seq] {
					t.Errorf("#%d handed out twice", r.Seq)
				}
				seqs[r.Seq] = true
				if creator == "star" {
					stars++
				}
			case !d.Failed(invitation.RuleDaily) && !d.Failed(invitation.RuleRepeat):
				t.Errorf("racer %d refused by %s", i, d)
			}
		})
	}
	wg.Wait()
	if len(seqs) != 3 || stars > 1 {
		t.Errorf("%d admitted (%d of them the one creator), want 3 (at most 1)", len(seqs), stars)
	}
	for seq := int64(8); seq <= 10; seq++ {
		if !seqs[seq] {
			t.Errorf("#%d not handed out", seq)
		}
	}
	if got := allPages(t, ledgers[0], invitation.Query{Account: a.ID}); len(got) != 10 {
		t.Errorf("history holds %d invitations, want 10", len(got))
	}
}
