package invitationtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/invitation"
)

// CheckPolicy checks every property of [Properties] for policy p, each as a subtest of t named
// after it; a failing one reports rapid's minimal counter-example.
func CheckPolicy(t *testing.T, p invitation.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named checks of policy p, each drawing its inputs with this package's
// generators for p:
//
//   - "daily_limit_and_window_positive" (INV-2, INV-3): a creator an account has not invited is
//     invited on a day without invitations, and the same creator invited again a nanosecond
//     later is refused by INV-3. It fails on a policy whose repeat window is 0 days, which
//     [invitation.Policy.Validate] accepts as INV-3 switched off.
//   - "refusal_names_true_obstacle" (INV-2, INV-3, MKT-3): the quota rule
//     ([invitation.Quota.Check], through p) admits exactly when neither the day's count has
//     reached the daily limit nor the creator's window is open, and each reason of a refusal is
//     true, with the observed count and day, the last invitation, and the limits of p.
//   - "next_allowed_is_allowed" (INV-2, INV-3): a refusal's NextAllowed is the first instant
//     after the request at which the same usage is admitted: the rule admits at it, and refuses
//     at an instant drawn between the two.
//   - "admission_counts_once" (INV-2, INV-3, INV-11): an admission returns the usage to store,
//     the day's count one higher and the creator's last invitation the later of the instant
//     and the one before; a refusal returns the usage unchanged.
//   - "ledger_keeps_quota" (INV-2..4): a script of requests sent through the evaluator built
//     from p ([invitation.Evaluator.Send]) to a new [invitation.Memory] is admitted exactly
//     where a plain reading of INV-2 and INV-3 over the invitations admitted before admits
//     it, and refused for exactly the rules that reading names.
//
// The last four hold for every policy [invitation.Policy.Validate] accepts: they guard the quota
// rule and the ledger a policy is applied by, and a host's policy against a rule that changes
// under it. Every property fails, with the errors, when [invitation.New] refuses p.
func Properties(p invitation.Policy) []affrulestest.Property {
	return properties(p, p.Quota.Check, func() invitation.Ledger { return invitation.NewMemory() })
}

// checkFunc is the quota rule the properties judge, [invitation.Quota.Check] of the policy.
type checkFunc func(home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage, error)

// properties returns the properties of p, judging the rule check and the ledgers newLedger
// returns.
func properties(p invitation.Policy, check checkFunc, newLedger func() invitation.Ledger) []affrulestest.Property {
	return []affrulestest.Property{
		{Name: "daily_limit_and_window_positive", Check: func(t *rapid.T) { windowPositive(t, p, newLedger) }},
		{Name: "refusal_names_true_obstacle", Check: func(t *rapid.T) { trueObstacle(t, p, check) }},
		{Name: "next_allowed_is_allowed", Check: func(t *rapid.T) { nextAllowed(t, p, check) }},
		{Name: "admission_counts_once", Check: func(t *rapid.T) { countsOnce(t, p, check) }},
		{Name: "ledger_keeps_quota", Check: func(t *rapid.T) { keepsQuota(t, p, newLedger) }},
	}
}

// evaluator builds p's evaluator, failing t with New's errors if p is invalid.
func evaluator(t *rapid.T, p invitation.Policy) *invitation.Evaluator {
	e, err := invitation.New(p)
	if err != nil {
		t.Fatalf("the policy is invalid: %v", err)
	}
	return e
}

// INV-2, INV-3: the first invitation of a creator on a fresh day is admitted, the same creator a
// nanosecond later is refused by INV-3.
func windowPositive(t *rapid.T, p invitation.Policy, newLedger func() invitation.Ledger) {
	e := evaluator(t, p)
	r := request(p, invitation.Account{ID: "acct", HomeMarket: rapid.SampledFrom(p.Markets).Draw(t, "home"), MCN: true, Partner: true}, "c1",
		time.Time{})
	at := Instant(p, r.Account.HomeMarket).Draw(t, "at")
	l := newLedger()
	_, d, err := e.Send(context.Background(), l, r.Account, r.Invitation, r.Creator, at)
	if err != nil {
		t.Fatalf("send at %s: %v", stamp(at), err)
	}
	if !d.Allowed {
		t.Fatalf("daily_limit %d, repeat_window_days %d: the first invitation of the day at %s is refused: %s", p.DailyLimit, p.RepeatWindowDays, stamp(at), d)
	}
	again := at.Add(time.Nanosecond)
	_, d, err = e.Send(context.Background(), l, r.Account, r.Invitation, r.Creator, again)
	if err != nil {
		t.Fatalf("send again at %s: %v", stamp(again), err)
	}
	if d.Allowed || !d.Failed(invitation.RuleRepeat) {
		t.Fatalf("daily_limit %d, repeat_window_days %d: the same creator invited again 1ns later is not refused by %s: %s", p.DailyLimit, p.RepeatWindowDays, invitation.RuleRepeat, d)
	}
}

// reading is the plain reading of a usage that the quota rule is asked about at an instant: the
// count of the day any instant falls in, and the end of the creator's window.
type reading struct {
	q     invitation.Quota
	loc   *time.Location
	u     invitation.Usage
	own   bool      // u.Day is the day of the instant asked about
	until time.Time // the end of the creator's window, zero if none is open
}

func readUsage(p invitation.Policy, in QuotaInput) reading {
	r := reading{q: p.Quota, loc: dayLocation(p, in.Home), u: in.Usage} // loc: INV-2's days
	r.own = !in.Usage.Day.IsEmpty() && in.Usage.Day.Contains(in.At)
	if !in.Usage.Last.IsZero() && p.RepeatWindowDays > 0 {
		r.until = in.Usage.Last.Add(affrules.Days(p.RepeatWindowDays))
	}
	return r
}

// count returns the number of invitations of the day instant t falls in, t at or after the
// instant asked about: the usage's count in its day, its next day's count in the day after,
// none later.
func (r reading) count(t time.Time) int {
	switch {
	case !r.own:
		return 0
	case t.Before(r.u.Day.End):
		return r.u.Count
	case t.Before(affrules.DayOf(r.u.Day.End, r.loc).End):
		return r.u.NextDayCount
	}
	return 0
}

// at returns the usage a ledger holding the same invitations gives at instant t, t at or after
// the instant asked about.
func (r reading) at(t time.Time) invitation.Usage {
	if r.own && r.u.Day.Contains(t) {
		return r.u
	}
	return invitation.Usage{Day: affrules.DayOf(t, r.loc), Count: r.count(t), Last: r.u.Last}
}

func (r reading) full(t time.Time) bool { return r.count(t) >= r.q.DailyLimit }
func (r reading) open(t time.Time) bool { return t.Before(r.until) }

// next returns the first instant at or after t at which neither rule refuses.
func (r reading) next(t time.Time) time.Time {
	for range 4 {
		switch {
		case r.full(t):
			t = affrules.DayOf(t, r.loc).End
		case r.open(t):
			t = r.until
		default:
			return t
		}
	}
	return t
}

func describe(in QuotaInput) string {
	u := in.Usage
	return fmt.Sprintf("home %s, at %s, day %s count %d (next day %d), last %s", in.Home, stamp(in.At), u.Day, u.Count, u.NextDayCount, stamp(u.Last))
}

// ask draws a question to the rule and returns it with the rule's answer.
func ask(t *rapid.T, p invitation.Policy, check checkFunc) (QuotaInput, reading, affrules.Decision, invitation.Usage) {
	evaluator(t, p)
	in := QuotaInputs(p).Draw(t, "input")
	r := readUsage(p, in)
	d, u, err := check(r.loc, in.Usage, in.At)
	if err != nil {
		t.Fatalf("%s: %v", describe(in), err)
	}
	return in, r, d, u
}

// INV-2, INV-3, MKT-3: the rule admits exactly when no rule refuses, and each reason is true.
func trueObstacle(t *rapid.T, p invitation.Policy, check checkFunc) {
	in, r, d, _ := ask(t, p, check)
	var want []affrules.RuleID
	if r.full(in.At) {
		want = append(want, invitation.RuleDaily)
	}
	if r.open(in.At) {
		want = append(want, invitation.RuleRepeat)
	}
	var got []affrules.RuleID
	for _, reason := range d.Failures() {
		got = append(got, reason.Rule)
		switch reason.Rule {
		case invitation.RuleDaily:
			day := affrules.DayOf(in.At, r.loc).Start.In(r.loc).Format(time.DateOnly)
			if reason.Observed != affrules.Count(int64(r.count(in.At))) || reason.Limit != affrules.Count(int64(p.DailyLimit)) || reason.Subject != day {
				t.Fatalf("%s: %s observes %v of %v on %q, want %d of daily_limit %d on %s", describe(in), reason.Rule, reason.Observed, reason.Limit, reason.Subject, r.count(in.At), p.DailyLimit, day)
			}
		case invitation.RuleRepeat:
			if !reason.Observed.Time().Equal(in.Usage.Last) || reason.Limit != affrules.DaysOf(p.RepeatWindowDays) {
				t.Fatalf("%s: %s observes %v within %v, want the last invitation %s within repeat_window_days %d", describe(in), reason.Rule, reason.Observed, reason.Limit, stamp(in.Usage.Last), p.RepeatWindowDays)
			}
		}
	}
	if !slices.Equal(got, want) || d.Allowed != (len(want) == 0) {
		t.Fatalf("daily_limit %d, repeat_window_days %d, %s: %s, want the obstacles %v", p.DailyLimit, p.RepeatWindowDays, describe(in), d, want)
	}
}

// INV-2, INV-3: a refusal's NextAllowed is the first instant the same usage admits.
func nextAllowed(t *rapid.T, p invitation.Policy, check checkFunc) {
	in, r, d, _ := ask(t, p, check)
	if d.Allowed {
		if !d.NextAllowed.IsZero() {
			t.Fatalf("%s: admitted, with NextAllowed %s", describe(in), stamp(d.NextAllowed))
		}
		return
	}
	next := d.NextAllowed
	if !next.After(in.At) {
		t.Fatalf("%s: refused until %s, not after the request", describe(in), stamp(next))
	}
	if want := r.next(in.At); !next.Equal(want) {
		t.Fatalf("daily_limit %d, repeat_window_days %d, %s: NextAllowed %s, want %s", p.DailyLimit, p.RepeatWindowDays, describe(in), stamp(next), stamp(want))
	}
	if d2, _, err := check(r.loc, r.at(next), next); err != nil || !d2.Allowed {
		t.Fatalf("%s: NextAllowed %s is refused: %s %v", describe(in), stamp(next), d2, err)
	}
	between := in.At.Add(time.Duration(rapid.Int64Range(0, int64(next.Sub(in.At))-1).Draw(t, "between")))
	if d3, _, err := check(r.loc, r.at(between), between); err != nil || d3.Allowed {
		t.Fatalf("%s: refused until %s, yet admitted at %s: %s %v", describe(in), stamp(next), stamp(between), d3, err)
	}
}

// INV-2, INV-3, INV-11: an admission counts once; a refusal changes nothing.
func countsOnce(t *rapid.T, p invitation.Policy, check checkFunc) {
	in, r, d, u := ask(t, p, check)
	if !d.Allowed {
		if u != in.Usage {
			t.Fatalf("%s: a refusal returns the usage %+v, want it unchanged", describe(in), u)
		}
		return
	}
	last := in.At
	if in.Usage.Last.After(last) {
		last = in.Usage.Last
	}
	day := affrules.DayOf(in.At, r.loc)
	if !u.Day.Start.Equal(day.Start) || !u.Day.End.Equal(day.End) || u.Count != r.count(in.At)+1 || !u.Last.Equal(last) {
		t.Fatalf("%s: admitted, the usage to store is day %s count %d last %s, want day %s count %d last %s",
			describe(in), u.Day, u.Count, stamp(u.Last), day, r.count(in.At)+1, stamp(last))
	}
}

// INV-2..4: a script of requests through the evaluator and a ledger, against a plain reading of
// the invitations admitted before each.
func keepsQuota(t *rapid.T, p invitation.Policy, newLedger func() invitation.Ledger) {
	e := evaluator(t, p)
	reqs := Requests(p).Draw(t, "requests")
	l := newLedger()
	w := affrules.Days(p.RepeatWindowDays)
	var admitted []Request
	for i, r := range reqs {
		day := affrules.DayOf(r.At, dayLocation(p, r.Account.HomeMarket)) // INV-2's day
		n, repeat := 0, false
		for _, a := range admitted {
			if a.Account.ID != r.Account.ID {
				continue
			}
			if day.Contains(a.At) {
				n++
			}
			if a.Creator.ID == r.Creator.ID && r.At.Sub(a.At) < w {
				repeat = true
			}
		}
		var want []affrules.RuleID
		if n >= p.DailyLimit {
			want = append(want, invitation.RuleDaily)
		}
		if repeat {
			want = append(want, invitation.RuleRepeat)
		}
		rec, d, err := e.Send(context.Background(), l, r.Account, r.Invitation, r.Creator, r.At)
		if err != nil {
			t.Fatalf("request %d, %s→%s at %s: %v", i, r.Account.ID, r.Creator.ID, stamp(r.At), err)
		}
		var got []affrules.RuleID
		for _, reason := range d.Failures() {
			got = append(got, reason.Rule)
		}
		if !slices.Equal(got, want) || d.Allowed != (len(want) == 0) {
			t.Fatalf("daily_limit %d, repeat_window_days %d: request %d, %s→%s at %s (%d invited that day): %s, want the obstacles %v",
				p.DailyLimit, p.RepeatWindowDays, i, r.Account.ID, r.Creator.ID, stamp(r.At), n, d, want)
		}
		if d.Allowed {
			if rec.CreatorID != r.Creator.ID || !rec.At.Equal(r.At) {
				t.Fatalf("request %d: recorded %s at %s, want %s at %s", i, rec.CreatorID, stamp(rec.At), r.Creator.ID, stamp(r.At))
			}
			admitted = append(admitted, r)
		}
	}
}
