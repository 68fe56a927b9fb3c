package invitation

import (
	"strconv"
	"time"

	"github.com/affrules/affrules"
)

// Usage is what a [Ledger] knows of one account's quotas when it is asked to record an invitation
// to one creator: the counter of INV-2 and the last invitation of INV-3. Both are per account,
// whatever the role or market of the invitations (INV-4).
type Usage struct {
	// Day is the calendar day of the account's home market that Count counts, the day of the
	// latest counted invitation; the zero Period when the account has none.
	Day affrules.Period `json:"day"`
	// Count is the number of invitations counted in Day (INV-2).
	Count int `json:"count"`
	// Last is the account's latest invitation of the creator, or the zero time if there is none
	// or it is older than the repeat window (INV-3).
	Last time.Time `json:"last,omitzero"`
}

// Check is the quota rule (INV-2..4) as a pure function: whether an account whose quota state
// towards one creator is u may invite that creator at instant at, home being the zone of the
// account's home market. It returns the decision and the usage to store if the invitation is recorded; when
// the decision denies, the usage is u unchanged. A [Ledger] calls Check inside the atomic step
// that records the invitation (INV-11).
//
// The decision lists every failing rule: INV-2 when the day's count has reached p.DailyLimit,
// with the next local midnight as its retry instant; INV-3 when at is before u.Last plus
// p.RepeatWindowDays×24h (MKT-3: exactly 7×24h later is allowed again), retrying then.
// [affrules.Decision.NextAllowed] is the later of the failing rules' retry instants, the first
// instant at which both can pass.
//
// A clock that goes backwards never reopens a quota: an instant before u.Day is counted in u.Day
// (the latest day the account has used), and an instant before u.Last is within the window of
// u.Last.
func (p Policy) Check(home *time.Location, u Usage, at time.Time) (affrules.Decision, Usage) {
	return p.check(home, u, at, nil)
}

// reasonTexts are the parts of Check's reasons that depend only on the policy.
type reasonTexts struct {
	dailyLimit, repeatLimit, repeatMessage string
}

func (p Policy) reasonTexts() reasonTexts {
	return reasonTexts{
		dailyLimit:    strconv.Itoa(p.DailyLimit) + " a day in the account's home market, across its roles (INV-4)",
		repeatLimit:   "once every " + strconv.Itoa(p.RepeatWindowDays) + "×24h per creator, across the account's roles (INV-4)",
		repeatMessage: "creator already invited within " + strconv.Itoa(p.RepeatWindowDays) + " days",
	}
}

// check is Check with the policy's reason texts built in advance, or built on a refusal when
// texts is nil.
func (p Policy) check(home *time.Location, u Usage, at time.Time, texts *reasonTexts) (affrules.Decision, Usage) {
	day, count := u.Day, u.Count
	if day.IsEmpty() || !at.Before(day.End) {
		day, count = affrules.DayOf(at, home), 0
	}
	daily := count >= p.DailyLimit
	var again time.Time
	repeat := false
	if !u.Last.IsZero() && p.RepeatWindowDays > 0 {
		again = u.Last.Add(affrules.Days(p.RepeatWindowDays))
		repeat = at.Before(again)
	}
	if !p.admits(count, repeat) {
		return p.refuse(home, u, day, count, daily, repeat, again, texts), u
	}
	last := at
	if u.Last.After(at) {
		last = u.Last
	}
	return affrules.Decision{Allowed: true}, Usage{Day: day, Count: count + 1, Last: last}
}

// admits is the core of the quota rule (INV-2, INV-3): an invitation passes when the count of the
// day it falls in is below the daily limit and no repeat window towards the creator is open. Check
// decides with it; a ledger that keeps usage in a form of its own (Memory, in Unix nanoseconds)
// decides with it too for an instant inside the counted day, where Check would decide the same,
// and calls Check for everything else.
func (p Policy) admits(count int, windowOpen bool) bool {
	return count < p.DailyLimit && !windowOpen
}

// refuse builds the decision of a refusal: the reasons of the failing rules in order, and the
// later of their retry instants.
func (p Policy) refuse(home *time.Location, u Usage, day affrules.Period, count int, daily, repeat bool, again time.Time, texts *reasonTexts) affrules.Decision {
	if texts == nil {
		t := p.reasonTexts()
		texts = &t
	}
	reasons := make([]affrules.Reason, 0, 2)
	var next time.Time
	var buf [64]byte
	if daily {
		b := strconv.AppendInt(buf[:0], int64(count), 10)
		b = append(b, " invitations on "...)
		b = day.Start.In(home).AppendFormat(b, time.DateOnly)
		reasons = append(reasons, affrules.Reason{
			Rule:     RuleDaily,
			Observed: string(b),
			Limit:    texts.dailyLimit,
			Message:  "daily invitation limit reached",
		})
		next = day.End
	}
	if repeat {
		b := append(buf[:0], "last invited "...)
		b = u.Last.In(home).AppendFormat(b, time.RFC3339)
		reasons = append(reasons, affrules.Reason{
			Rule:     RuleRepeat,
			Observed: string(b),
			Limit:    texts.repeatLimit,
			Message:  texts.repeatMessage,
		})
		if again.After(next) {
			next = again
		}
	}
	d := affrules.Decide(reasons...)
	d.NextAllowed = next.In(home)
	return d
}
