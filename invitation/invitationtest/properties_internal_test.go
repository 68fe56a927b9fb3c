package invitationtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/invitation"
)

// The properties that every valid policy passes are proved able to fail by judging a broken
// rule or a broken ledger in place of the library's: each names what is wrong.

// loose is a ledger that applies a daily limit one higher than the valid quota it is given.
type loose struct{ invitation.Ledger }

func (l loose) Reserve(ctx context.Context, q invitation.Quota, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision, error) {
	if q.Validate() == nil {
		q.DailyLimit++
	}
	return l.Ledger.Reserve(ctx, q, a, inv, at)
}

func TestPropertiesCanFail(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.DailyLimit = 2
	memory := func() invitation.Ledger { return invitation.NewMemory() }
	for _, tc := range []struct {
		name   string
		check  checkFunc
		ledger func() invitation.Ledger
		want   []string // one of them in the report
	}{
		{"refusal_names_true_obstacle", func(home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage, error) {
			q := p.Quota
			q.DailyLimit++ // admits one more than the policy's limit
			return q.Check(home, u, at)
		}, memory, []string{"of daily_limit 2", "want the obstacles [INV-2]"}},
		{"refusal_names_true_obstacle", func(home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage, error) {
			if !u.Last.IsZero() {
				u.Last = u.Last.Add(-time.Hour) // reads the window from an hour before the last invitation
			}
			return p.Check(home, u, at)
		}, memory, []string{"want the obstacles [INV-3]", "INV-3 observes"}},
		{"next_allowed_is_allowed", func(home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage, error) {
			d, u, err := p.Check(home, u, at)
			if !d.Allowed {
				d.NextAllowed = d.NextAllowed.Add(-time.Nanosecond)
			}
			return d, u, err
		}, memory, []string{"NextAllowed", "refused until"}},
		{"admission_counts_once", func(home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage, error) {
			d, next, err := p.Check(home, u, at)
			if d.Allowed {
				next.Count-- // forgets the invitation it admits
			}
			return d, next, err
		}, memory, []string{"the usage to store"}},
		{"ledger_keeps_quota", p.Check, func() invitation.Ledger { return loose{invitation.NewMemory()} }, []string{"want the obstacles [INV-2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, prop := range properties(p, tc.check, tc.ledger) {
				if prop.Name != tc.name {
					continue
				}
				report := affrulestest.Fails(prop.Check)
				if report == "" || !slices.ContainsFunc(tc.want, func(w string) bool { return strings.Contains(report, w) }) {
					t.Fatalf("report %q, want a failure naming one of %q", report, tc.want)
				}
				return
			}
			t.Fatalf("no property %s", tc.name)
		})
	}
}
