package invitationtest

import (
	"context"
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

// The machine fails on a ledger that breaks INV-2 or INV-3, with a counter-example.
func TestMachineCanFail(t *testing.T) {
	for name, newLedger := range map[string]func() invitation.Ledger{
		"INV-2": func() invitation.Ledger { return loose{invitation.NewMemory()} },
		"INV-3": func() invitation.Ledger { return forgetful{invitation.NewMemory(), map[string]bool{}} },
	} {
		t.Run(name, func(t *testing.T) {
			report := affrulestest.Fails(func(t *rapid.T) { runMachine(t, newLedger()) })
			if !regexp.MustCompile(`want the failures \[[^\]]*` + name).MatchString(report) {
				t.Fatalf("report %q, want one naming the failure %s", report, name)
			}
		})
	}
}
