package invitationtest

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/invitation"
)

// forgetful is a ledger that answers INV-3 from the creator's first invitation only: it forgets
// each later one of the same creator.
type forgetful struct {
	invitation.Ledger
	seen map[string]bool
}

func (l forgetful) Reserve(ctx context.Context, q invitation.Quota, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision, error) {
	key := a.ID + "/" + inv.CreatorID
	if l.seen[key] {
		q.RepeatWindowDays = 0
	}
	r, d, err := l.Ledger.Reserve(ctx, q, a, inv, at)
	if d.Allowed {
		l.seen[key] = true
	}
	return r, d, err
}

// lateAnswer is a ledger that checks an answer's instant only the first time: once the creator
// has answered, it returns the record whatever the instant, one before the invitation included.
// It is broken in that alone: a cancelled context is refused as Ledger.Respond says.
type lateAnswer struct {
	invitation.Ledger
	answered map[string]invitation.Record
}

func (l lateAnswer) Respond(ctx context.Context, account string, seq int64, at time.Time) (invitation.Record, error) {
	if err := ctx.Err(); err != nil {
		return invitation.Record{}, err
	}
	key := fmt.Sprint(account, "#", seq)
	if r, ok := l.answered[key]; ok {
		return r, nil
	}
	r, err := l.Ledger.Respond(ctx, account, seq, at)
	if err == nil {
		l.answered[key] = r
	}
	return r, err
}

// The machine fails on a ledger that breaks INV-2 or INV-3, with a counter-example, on one that
// accepts an answer dated before the invitation once it is answered, and on one whose History
// and Respond ignore a cancelled context (Ledger.History, Ledger.Respond).
func TestMachineCanFail(t *testing.T) {
	for _, tc := range []struct {
		name      string
		newLedger func() invitation.Ledger
		want      string // a regular expression the report matches
	}{
		{"INV-2", func() invitation.Ledger { return loose{invitation.NewMemory()} }, `want the failures \[[^\]]*INV-2`},
		{"INV-3", func() invitation.Ledger { return forgetful{invitation.NewMemory(), map[string]bool{}} }, `want the failures \[[^\]]*INV-3`},
		{"INV-10", func() invitation.Ledger { return lateAnswer{invitation.NewMemory(), map[string]invitation.Record{}} }, `before the invitation at .*: no error`},
		{"cancelled", brokenLedgers["deaf"], `under a cancelled context: .*no error`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			report := affrulestest.Fails(func(t *rapid.T) { runMachine(t, tc.newLedger()) })
			if !regexp.MustCompile(tc.want).MatchString(report) {
				t.Fatalf("report %q, want one matching %s", report, tc.want)
			}
		})
	}
}
