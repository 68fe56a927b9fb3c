package invitation

import (
	"sync"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/tzname"
)

// Quota is the quota rule of SPEC §3 (INV-2..4) as a small comparable value: the daily limit and
// the repeat window. A [Ledger] is given it on every call of [Ledger.Reserve] and decides with
// [Quota.Check]; it owns no policy of its own. [Policy] embeds it, so a policy document sets it
// with its top-level "daily_limit" and "repeat_window_days".
//
// The zero Quota (a daily limit of 0) is out of range: [Quota.Check] and [Ledger.Reserve] refuse
// it with an error wrapping [affrules.ErrOutOfRange].
type Quota struct {
	// DailyLimit is the most invitations an account may send per calendar day (INV-2), of its
	// home market unless DayZone names another zone ([Quota.Day]). Default 100.
	DailyLimit int `json:"daily_limit"`
	// RepeatWindowDays is the window, in 24-hour days, within which an account may invite the
	// same creator only once (INV-3, MKT-3). Default 7. 0 switches the rule off.
	RepeatWindowDays int `json:"repeat_window_days"`
	// DayZone names the IANA time zone whose calendar days DailyLimit counts in, for every
	// account ("UTC", "Asia/Singapore"); empty (the default, INV-2's Interpretation) is each
	// account's home market's zone.
	DayZone string `json:"day_zone,omitempty" strict:"optional"`
}

// Upper bounds of a [Quota]; they keep the windows of INV-3 far from overflow.
const (
	maxDailyLimit = 1_000_000
	maxWindowDays = 3650
)

// Validate reports every problem of the quota at once: a daily limit outside 1–1,000,000 or a
// repeat window outside 0–3650 days, each an [*affrules.FieldError] wrapping
// [affrules.ErrOutOfRange].
func (q Quota) Validate() error {
	l := fielderr.For(pkg)
	q.validate(l, "quota.")
	return l.Err()
}

func (q Quota) validate(l *fielderr.List, prefix string) {
	if _, ok := zoneOf(q.DayZone); !ok {
		l.Add(prefix+"day_zone", quoteCut(q.DayZone), "is not a known IANA time zone (empty: each account's home market's)")
	}
	if q.DailyLimit < 1 || q.DailyLimit > maxDailyLimit {
		l.Add(prefix+"daily_limit", q.DailyLimit, "must be between 1 and %d: %w", maxDailyLimit, affrules.ErrOutOfRange)
	}
	if q.RepeatWindowDays < 0 || q.RepeatWindowDays > maxWindowDays {
		l.Add(prefix+"repeat_window_days", q.RepeatWindowDays, "must be between 0 and %d: %w", maxWindowDays, affrules.ErrOutOfRange)
	}
}

// valid reports whether [Quota.Validate] finds no problem, without building one.
func (q Quota) valid() bool {
	if q.DailyLimit < 1 || q.DailyLimit > maxDailyLimit || q.RepeatWindowDays < 0 || q.RepeatWindowDays > maxWindowDays {
		return false
	}
	_, ok := zoneOf(q.DayZone)
	return ok
}

// Day returns the calendar day that instant at falls in for the daily limit (INV-2): the day of
// q.DayZone, or, when that is empty, of home, the zone of the account's home market. A [Ledger]
// counts each account's invitations by it. A DayZone [Quota.Validate] refuses counts in home.
func (q Quota) Day(home *time.Location, at time.Time) affrules.Period {
	return affrules.DayOf(at, q.dayLoc(home))
}

// dayLoc is the zone of Day.
func (q Quota) dayLoc(home *time.Location) *time.Location {
	if q.DayZone == "" {
		return home
	}
	if loc, ok := zoneOf(q.DayZone); ok && loc != nil {
		return loc
	}
	return home
}

// zones caches the zones Quotas name: loading one reads the zone database.
var zones sync.Map // string → *time.Location

// zoneOf returns the zone named name and whether it is one a Quota may name: "" (the home
// market's: nil) or an IANA name other than "Local" (the host's zone).
func zoneOf(name string) (*time.Location, bool) {
	if name == "" {
		return nil, true
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), true
	}
	if !tzname.Valid(name) {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	zones.Store(name, loc)
	return loc, true
}

// Usage is what a [Ledger] knows of one account's quotas when it is asked to record an invitation
// to one creator at an instant: the count of INV-2 for the instant's own calendar day and the
// creator's last invitation for INV-3. Both are per account, whatever the role or market of the
// invitations (INV-4). The zero Usage is an account that has invited no one.
type Usage struct {
	// Day is the calendar day the instant falls in ([Quota.Day]: of the account's home market
	// unless the quota names another zone) and Count
	// the number of invitations recorded in it (INV-2). The zero Period, or a day that ends at
	// or before the instant, is a day without invitations. A ledger that gives a later day than
	// the instant's own has the instant counted in that day, which can refuse more, never less.
	Day   affrules.Period `json:"day"`
	Count int             `json:"count"`
	// Last is the account's latest recorded invitation of the creator, before or after the
	// instant, or the zero time if there is none within the repeat window (INV-3).
	Last time.Time `json:"last,omitzero"`
	// NextDayCount is the number of invitations recorded on the calendar day after Day, which
	// the retry instant of a refusal depends on; the days after it are taken to have none. It
	// is 0 unless the instant is late, behind invitations recorded on the next day.
	NextDayCount int `json:"next_day_count,omitempty"`
}

// Check is the quota rule (INV-2..4) as a pure function, the one place it is decided: whether an
// account whose usage at instant at, towards one creator, is u may invite that creator then,
// home being the zone of the account's home market. It returns the decision and the usage to
// store if the invitation is recorded; when the decision denies, the usage is u unchanged. A
// [Ledger] calls Check inside the atomic step that records the invitation (INV-11).
//
// The decision lists every failing rule: INV-2 when the count of the instant's day has reached
// q.DailyLimit, INV-3 when at is before u.Last plus q.RepeatWindowDays×24h (MKT-3: exactly
// 7×24h later is allowed again). A last invitation after the instant is within its window: a
// ledger's lateness bound is shorter than a day, the shortest window. The reasons carry typed
// values: INV-2 the day's count and the limit ([affrules.Count]) with the day as subject, INV-3
// the last invitation ([affrules.Instant], in the home zone) and the window
// ([affrules.DaysOf]). [affrules.Decision.NextAllowed] is the first instant after at at which
// neither rule refuses over the same usage: the end of a full day (and of the next day, if it
// is full too), the end of the creator's window, whichever comes last; none when that is
// 2200-01-01T00:00:00Z or later, which no call accepts.
//
// Bad input is an error, with the zero decision and the zero usage: a quota outside the bounds
// of [Quota.Validate], a nil zone, an instant that is zero or outside the years 1900–2199, and a
// usage with a negative count, an inverted day or a last invitation outside those years, each an
// [*affrules.FieldError] wrapping [affrules.ErrOutOfRange] (a nil zone, an inverted day: none).
func (q Quota) Check(home *time.Location, u Usage, at time.Time) (affrules.Decision, Usage, error) {
	if err := q.checkInput(home, u, at); err != nil {
		return affrules.Decision{}, Usage{}, err
	}
	d, next := q.check(home, u, at)
	return d, next, nil
}

// checkInput reports every problem of Check's input at once, without allocating when there is
// none.
func (q Quota) checkInput(home *time.Location, u Usage, at time.Time) error {
	if q.valid() && home != nil && u.Count >= 0 && u.NextDayCount >= 0 && !u.Day.End.Before(u.Day.Start) &&
		checkInstant(at) == nil && (u.Last.IsZero() || checkInstant(u.Last) == nil) {
		return nil
	}
	l := fielderr.For(pkg)
	q.validate(l, "quota.")
	if home == nil {
		l.Add("home", "nil", "must be the time zone of the account's home market")
	}
	l.Append(checkInstant(at))
	if u.Count < 0 {
		l.Add("usage.count", u.Count, "must not be negative: %w", affrules.ErrOutOfRange)
	}
	if u.NextDayCount < 0 {
		l.Add("usage.next_day_count", u.NextDayCount, "must not be negative: %w", affrules.ErrOutOfRange)
	}
	if u.Day.End.Before(u.Day.Start) {
		l.Add("usage.day", u.Day, "ends before it starts")
	}
	if !u.Last.IsZero() {
		l.Append(bounds.Instant(pkg, "usage.last", u.Last))
	}
	return l.Err()
}

// check is Check on valid input.
func (q Quota) check(home *time.Location, u Usage, at time.Time) (affrules.Decision, Usage) {
	day, count, following := u.Day, u.Count, u.NextDayCount
	if day.IsEmpty() || !at.Before(day.End) {
		day, count, following = q.Day(home, at), 0, 0
	}
	var again time.Time
	repeat := false
	if !u.Last.IsZero() && q.RepeatWindowDays > 0 {
		again = u.Last.Add(affrules.Days(q.RepeatWindowDays))
		repeat = at.Before(again)
	}
	if !q.admits(count, repeat) {
		return q.refuse(home, u.Last, day, count, following, repeat, again, at), u
	}
	last := at
	if u.Last.After(at) {
		last = u.Last
	}
	return affrules.Decision{Allowed: true}, Usage{Day: day, Count: count + 1, Last: last, NextDayCount: following}
}

// admits is the core of the quota rule (INV-2, INV-3): an invitation passes when the count of the
// day it falls in is below the daily limit and no repeat window towards the creator is open.
// Check decides with it; a ledger that keeps usage in a form of its own ([Memory], in Unix
// nanoseconds) decides with it too for an instant inside the counted day, where Check would
// decide the same, and calls Check for everything else.
func (q Quota) admits(count int, windowOpen bool) bool {
	return count < q.DailyLimit && !windowOpen
}

// refuse builds the decision of a refusal at instant at: the reasons of the failing rules in
// order, and the first later instant at which neither rule refuses.
func (q Quota) refuse(home *time.Location, last time.Time, day affrules.Period, count, following int, repeat bool, again, at time.Time) affrules.Decision {
	daily := count >= q.DailyLimit
	n := 0 // the reasons are one allocation of the size they need: usually one reason
	if daily {
		n++
	}
	if repeat {
		n++
	}
	reasons := make([]affrules.Reason, 0, n)
	if daily {
		var buf [len(time.DateOnly)]byte
		key := keyDailyFailed
		if q.DayZone != "" {
			key = keyDailyFailedZone
		}
		reasons = append(reasons, affrules.Reason{
			Rule:     RuleDaily,
			Key:      key,
			Observed: affrules.Count(int64(count)),
			Limit:    affrules.Count(int64(q.DailyLimit)),
			Subject:  string(day.Start.In(q.dayLoc(home)).AppendFormat(buf[:0], time.DateOnly)),
		})
	}
	if repeat {
		reasons = append(reasons, affrules.Reason{
			Rule:     RuleRepeat,
			Key:      keyRepeatFailed,
			Observed: affrules.Instant(last.In(home)),
			Limit:    affrules.DaysOf(q.RepeatWindowDays),
		})
	}
	// The later of the failing rules' retry instants: past a full day and past the creator's
	// window. Neither holds after it, unless it falls in the next day and that day is full too
	// (a late instant, behind the invitations of the next day): then the end of that day, after
	// which no day has invitations and the window has passed.
	var next time.Time
	if daily {
		next = day.End
	}
	if repeat && again.After(next) {
		next = again
	}
	if following > 0 && following >= q.DailyLimit && !next.Before(day.End) {
		if nextDay := q.Day(home, day.End); next.Before(nextDay.End) {
			next = nextDay.End
		}
	}
	d := affrules.Decide(reasons...)
	d.NextAllowed = bounds.Next(next.In(home))
	return d
}
