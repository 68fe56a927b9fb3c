package affrules

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Month is a calendar month such as March 2026, independent of any time zone; a market's calendar
// turns it into a period of instants ([Month.Period], MKT-2). Levels, commission settlement,
// Collaboration Plus fees and sample caps all count in months. The zero Month is January of year
// 0.
type Month int32

// NewMonth returns the month of year y, normalising m as [time.Date] does (month 13 is January of
// the next year). A month beyond what a Month holds (years beyond about ±178 million) saturates at
// the nearest one it holds, which every evaluator refuses as outside the years 1900 to 2199,
// instead of wrapping round to an unrelated month.
func NewMonth(y int, m time.Month) Month {
	const big40 = 1 << 40 // within it, y×12 + m is exact in an int64
	if int64(y) <= big40 && int64(y) >= -big40 && int64(m) <= big40 && int64(m) >= -big40 {
		return clampMonth(int64(y)*12 + int64(m) - 1)
	}
	n := new(big.Int).Mul(big.NewInt(int64(y)), big.NewInt(12))
	n.Add(n, big.NewInt(int64(m)))
	n.Sub(n, big.NewInt(1))
	switch {
	case n.Cmp(big.NewInt(math.MaxInt32)) > 0:
		return saturate(true)
	case n.Cmp(big.NewInt(math.MinInt32)) < 0:
		return saturate(false)
	}
	return Month(n.Int64())
}

// clampMonth returns month number n, saturated to the range of Month.
func clampMonth(n int64) Month {
	return Month(min(max(n, math.MinInt32), math.MaxInt32))
}

// saturate returns the last Month if up, else the first.
func saturate(up bool) Month {
	if up {
		return math.MaxInt32
	}
	return math.MinInt32
}

// MonthAt returns the month containing t in market mk's calendar (MKT-2): 00:30 on 1 March in
// Bangkok is in March although it is still February in UTC.
func MonthAt(mk Market, t time.Time) Month {
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

// Add returns the month n months after m (before it for negative n), saturating as [NewMonth]
// does.
func (m Month) Add(n int) Month {
	if int64(n) > math.MaxInt64-math.MaxInt32 || int64(n) < math.MinInt64-math.MinInt32 { // m + n would overflow, far out of range
		return saturate(n > 0)
	}
	return clampMonth(int64(m) + int64(n))
}

// Period returns the month as the half-open period [first instant, first instant of the next
// month) in market mk's calendar (MKT-2). In the UK, March 2026 is 743 hours long and October
// 2026 745: the DST change moves the boundaries, it never drops an hour.
func (m Month) Period(mk Market) Period {
	y, mo := m.Date()
	loc := mk.Location()
	return MonthOf(time.Date(y, mo, 15, 12, 0, 0, 0, loc), loc)
}

// Days returns the number of calendar days in the month.
func (m Month) Days() int {
	y, mo := m.Date()
	if mo == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) { // proleptic Gregorian, as time.Date
		return 29
	}
	return int(monthDays[mo-1])
}

// monthDays are the days of each month of a common year.
var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// String returns the month as "2026-03".
func (m Month) String() string {
	y, mo := m.Date()
	return fmt.Sprintf("%04d-%02d", y, int(mo))
}

// MarshalText returns the month as "2026-03".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText parses a month written "2026-03": a year of four characters or more (digits,
// after a minus sign if negative: "-001"), as [Month.MarshalText] writes every month, a hyphen
// and the month's two digits.
func (m *Month) UnmarshalText(b []byte) error {
	bad := fieldErrorf("month", strconv.Quote(string(b)), "must be a month such as \"2026-03\"")
	text := string(b)
	i := strings.LastIndexByte(text, '-')
	if i < 4 || len(text)-i != 3 || len(text) > 16 {
		return bad
	}
	digits := strings.TrimPrefix(text[:i], "-") // the year, at least four characters with its sign
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" || strings.TrimLeft(text[i+1:], "0123456789") != "" {
		return bad
	}
	y, err1 := strconv.Atoi(text[:i])
	mo, err2 := strconv.Atoi(text[i+1:])
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 {
		return bad
	}
	n := NewMonth(y, time.Month(mo))
	if n.String() != text { // only the text String writes: no extra zeros, no month beyond a Month's range
		return bad
	}
	*m = n
	return nil
}
