package invitation_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"

	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
)

func TestMemoryConformance(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger {
		return invitation.NewMemory()
	})
}

// The zero Memory is a ledger ready for use: it passes the whole suite.
func TestZeroMemoryConformance(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger {
		return new(invitation.Memory)
	})
}

// Issue 9, reproduction 2, as Memory answers it under its default bounds: other accounts eight
// days ahead are within the 30-day lead, so the account's invitation an hour after its last is
// admitted; 31 days ahead, it is an error wrapping ErrTooLate, never a refusal.
func TestMemoryOtherAccountsAhead(t *testing.T) {
	ctx := context.Background()
	q := invitation.DefaultPolicy().Quota
	inv := func(c string) invitation.Invitation {
		return invitation.Invitation{Market: affrules.ID, CreatorID: c, Purpose: invitation.ProductDistribution, Message: "hi"}
	}
	for _, tc := range []struct {
		ahead time.Duration
		want  error
	}{{8 * 24 * time.Hour, nil}, {31 * 24 * time.Hour, invitation.ErrTooLate}} {
		l := invitation.NewMemory()
		a := invitation.Account{ID: "a", HomeMarket: affrules.ID, Partner: true}
		t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
		if _, d, err := l.Reserve(ctx, q, a, inv("c1"), t0); err != nil || !d.Allowed {
			t.Fatal(d, err)
		}
		// Within the lead of t0 step by step, then to t0+ahead: 300 accounts, every shard.
		for at := t0.Add(20 * 24 * time.Hour); ; at = at.Add(20 * 24 * time.Hour) {
			if at.After(t0.Add(tc.ahead)) {
				at = t0.Add(tc.ahead)
			}
			for i := range 300 {
				b := invitation.Account{ID: fmt.Sprint("b", i), HomeMarket: affrules.ID, Partner: true}
				if _, d, err := l.Reserve(ctx, q, b, inv(fmt.Sprint("o", at.Unix())), at.Add(time.Duration(i)*time.Millisecond)); err != nil || !d.Allowed {
					t.Fatal(d, err)
				}
			}
			if at.Equal(t0.Add(tc.ahead)) {
				break
			}
		}
		r, d, err := l.Reserve(ctx, q, a, inv("c2"), t0.Add(time.Hour))
		if tc.want != nil {
			if !errors.Is(err, tc.want) || d.Allowed || r.Seq != 0 {
				t.Errorf("%s ahead: #%d %s, %v; want an error wrapping %v", tc.ahead, r.Seq, d, err, tc.want)
			}
			continue
		}
		if err != nil || !d.Allowed || r.Seq != 2 {
			t.Errorf("%s ahead: #%d %s, %v; want #2 admitted", tc.ahead, r.Seq, d, err)
		}
	}
}

// INV-11, the lead bound: first reservations racing on an empty ledger, for accounts in
// different shards at instants years apart, are accepted as some order of the calls would
// accept them: one, every other more than the lead away refused (two were accepted now and
// then, each taken as the ledger's first instant).
func TestMemoryFirstInstantsRace(t *testing.T) {
	ctx := context.Background()
	q := invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}
	for round := range 100 {
		m := invitation.NewMemory()
		const n = 8
		var wg sync.WaitGroup
		start := make(chan struct{})
		accepted := make([]bool, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				at := time.Date(2020+i*3, 6, 1, 0, 0, 0, 0, time.UTC)
				_, d, err := m.Reserve(ctx, q, invitation.Account{ID: fmt.Sprint("acct-", i), HomeMarket: affrules.UK},
					invitation.Invitation{Market: affrules.UK, CreatorID: "c", Purpose: invitation.CreatorPartnership}, at)
				accepted[i] = err == nil && d.Allowed
			}()
		}
		close(start)
		wg.Wait()
		got := 0
		for _, a := range accepted {
			if a {
				got++
			}
		}
		if got != 1 {
			t.Fatalf("round %d: %d first instants years apart accepted, want 1: %v", round, got, accepted)
		}
	}
}
