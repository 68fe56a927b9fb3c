package level

import (
	"fmt"
	"strconv"
	"time"

	"github.com/affrules/affrules"
)

// Rule IDs of SPEC §1 that appear in the reasons this package returns.
const (
	RuleVisibility affrules.RuleID = "LVL-5"
	RuleTrend      affrules.RuleID = "LVL-6"
	RuleBenefit    affrules.RuleID = "LVL-7"
	RuleBadge      affrules.RuleID = "LVL-10"
)

// Level is a creator level, L0 (lowest) to L8 (LVL-1). The zero value is L0. It marshals to
// JSON as "L0" … "L8".
type Level uint8

// The nine levels (LVL-1).
const (
	L0 Level = iota
	L1
	L2
	L3
	L4
	L5
	L6
	L7
	L8
)

// numLevels is the number of levels above L0, each with its own thresholds (LVL-2).
const numLevels = int(L8)

// Valid reports whether l is one of L0 … L8.
func (l Level) Valid() bool { return l <= L8 }

// String returns "L0" … "L8", or "Level(n)" for a value out of range.
func (l Level) String() string {
	if !l.Valid() {
		return "Level(" + strconv.Itoa(int(l)) + ")"
	}
	return "L" + strconv.Itoa(int(l))
}

// MarshalText returns "L0" … "L8", or an error for a level out of range.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, affrules.Errorf("level", "level", int(l), "must be between L0 and L8 (LVL-1): %w", affrules.ErrOutOfRange)
	}
	return []byte(l.String()), nil
}

// UnmarshalText parses "L0" … "L8".
func (l *Level) UnmarshalText(b []byte) error {
	if len(b) == 2 && b[0] == 'L' && b[1] >= '0' && b[1] <= '8' {
		*l = Level(b[1] - '0')
		return nil
	}
	return affrules.Errorf("level", "level", strconv.Quote(string(b)), "must be one of L0 … L8 (LVL-1)")
}

// Month is a calendar month such as March 2026, independent of any time zone; a market's calendar
// turns it into a period of instants ([Month.Period], MKT-2). Levels are computed for a month
// from the month before (LVL-2, LVL-3). The zero Month is January of year 0.
type Month int32

// NewMonth returns the month of year y, normalising m as [time.Date] does (month 13 is January of
// the next year).
func NewMonth(y int, m time.Month) Month {
	n := int64(y)*12 + int64(m) - 1
	return Month(n)
}

// MonthAt returns the month containing t in market mk's calendar (MKT-2): 00:30 on 1 March in
// Bangkok is in March although it is still February in UTC.
func MonthAt(mk affrules.Market, t time.Time) Month {
	y, m, _ := t.In(mk.Location()).Date()
	return NewMonth(y, m)
}

// Date returns the month's year and month.
func (m Month) Date() (year int, month time.Month) {
	n := int64(m)
	y := n / 12
	if n%12 < 0 {
		y--
	}
	return int(y), time.Month(n-y*12) + 1
}

// Add returns the month n months after m (before it for negative n).
func (m Month) Add(n int) Month { return m + Month(n) }

// Period returns the month as the half-open period [first instant, first instant of the next
// month) in market mk's calendar (MKT-2). In the UK, March 2026 is 743 hours long and October
// 2026 745: the DST change moves the boundaries, it never drops an hour.
func (m Month) Period(mk affrules.Market) affrules.Period {
	y, mo := m.Date()
	loc := mk.Location()
	return affrules.MonthOf(time.Date(y, mo, 15, 12, 0, 0, 0, loc), loc)
}

// Days returns the number of calendar days in the month.
func (m Month) Days() int {
	y, mo := m.Date()
	return time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// String returns the month as "2026-03".
func (m Month) String() string {
	y, mo := m.Date()
	return fmt.Sprintf("%04d-%02d", y, int(mo))
}

// MarshalText returns the month as "2026-03".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses a month written "2026-03".
func (m *Month) UnmarshalText(b []byte) error {
	t, err := time.Parse("2006-01", string(b))
	if err != nil {
		return affrules.Errorf("level", "month", strconv.Quote(string(b)), "must be a month such as \"2026-03\"")
	}
	*m = NewMonth(t.Year(), t.Month())
	return nil
}
