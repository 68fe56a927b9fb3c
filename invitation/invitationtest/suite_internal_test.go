package invitationtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/childtest"
	"github.com/affrules/affrules/invitation"
)

// aliasing is a ledger whose History hands every reader one contacts slice per record, so that
// a caller that changes the contacts of a page changes what the next reader is shown.
type aliasing struct {
	invitation.Ledger
	mu   sync.Mutex
	read map[string][]invitation.Contact
}

func (l *aliasing) History(ctx context.Context, q invitation.Query) (invitation.Page, error) {
	p, err := l.Ledger.History(ctx, q)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, r := range p.Records {
		key := fmt.Sprint(r.Account, "#", r.Seq)
		if cs, ok := l.read[key]; ok {
			p.Records[i].Contacts = cs
		} else {
			l.read[key] = r.Contacts
		}
	}
	return p, err
}

// keeping is a ledger that keeps the contacts slice Reserve is given and shows it ever after, so
// that a caller reusing its slice changes what the invitation shows.
type keeping struct {
	invitation.Ledger
	mu   sync.Mutex
	kept map[string][]invitation.Contact
}

func (l *keeping) Reserve(ctx context.Context, q invitation.Quota, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision, error) {
	r, d, err := l.Ledger.Reserve(ctx, q, a, inv, at)
	if err == nil && d.Allowed {
		l.mu.Lock()
		l.kept[fmt.Sprint(r.Account, "#", r.Seq)] = inv.Contacts
		l.mu.Unlock()
		r.Contacts = inv.Contacts
	}
	return r, d, err
}

func (l *keeping) shown(r invitation.Record) invitation.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cs, ok := l.kept[fmt.Sprint(r.Account, "#", r.Seq)]; ok {
		r.Contacts = cs
	}
	return r
}

func (l *keeping) History(ctx context.Context, q invitation.Query) (invitation.Page, error) {
	p, err := l.Ledger.History(ctx, q)
	for i, r := range p.Records {
		p.Records[i] = l.shown(r)
	}
	return p, err
}

func (l *keeping) Respond(ctx context.Context, account string, seq int64, at time.Time) (invitation.Record, error) {
	r, err := l.Ledger.Respond(ctx, account, seq, at)
	if err == nil {
		r = l.shown(r)
	}
	return r, err
}

// deaf is a ledger whose History and Respond ignore their context: a cancelled call reads the
// history, or records the answer, all the same.
type deaf struct{ invitation.Ledger }

func (l deaf) History(_ context.Context, q invitation.Query) (invitation.Page, error) {
	return l.Ledger.History(context.Background(), q)
}

func (l deaf) Respond(_ context.Context, account string, seq int64, at time.Time) (invitation.Record, error) {
	return l.Ledger.Respond(context.Background(), account, seq, at)
}

// brokenLedgers are the broken ledgers TestSuitesCatchBrokenStores runs the suite against.
var brokenLedgers = map[string]func() invitation.Ledger{
	"aliasing": func() invitation.Ledger {
		return &aliasing{Ledger: invitation.NewMemory(), read: map[string][]invitation.Contact{}}
	},
	"keeping": func() invitation.Ledger {
		return &keeping{Ledger: invitation.NewMemory(), kept: map[string][]invitation.Contact{}}
	},
	"deaf": func() invitation.Ledger { return deaf{invitation.NewMemory()} },
}

// The fixed cases of the suite fail on a ledger that shares the contacts it returns or keeps
// those it is given (INV-10), and on one whose History and Respond ignore a cancelled context.
// Each suite runs in a child process, so that its failure is observed, not suffered.
func TestSuitesCatchBrokenStores(t *testing.T) {
	if name := os.Getenv("INVITATIONTEST_BROKEN"); name != "" {
		TestLedger(t, func(t *testing.T) invitation.Ledger { return brokenLedgers[name]() })
		return
	}
	for _, tc := range []struct{ ledger, subtest, says string }{
		{"aliasing", "ContactsIsolated", "a slice returned by History changed the stored contacts"},
		{"keeping", "ContactsIsolated", "a slice given to Reserve changed the stored contacts"},
		{"deaf", "History", "history under a cancelled context"},
		{"deaf", "Respond", "an answer under a cancelled context"},
	} {
		t.Run(tc.ledger+"/"+tc.subtest, func(t *testing.T) {
			childtest.Fails(t, "TestSuitesCatchBrokenStores", tc.subtest, "INVITATIONTEST_BROKEN="+tc.ledger, nil, tc.says)
		})
	}
}
