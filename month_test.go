package affrules_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// MKT-2: a month is the calendar month in the market's zone.
func TestMonth(t *testing.T) {
	uk := market(t, affrules.UK)
	th := market(t, affrules.TH)
	m := affrules.NewMonth(2026, time.March)
	y, mo := m.Date()
	assert.Equal(t, 2026, y)
	assert.Equal(t, time.March, mo)
	assert.Equal(t, "2026-03", m.String())
	assert.Equal(t, 31, m.Days())
	assert.Equal(t, 28, affrules.NewMonth(2026, time.February).Days())
	assert.Equal(t, 29, affrules.NewMonth(2028, time.February).Days())
	assert.Equal(t, affrules.NewMonth(2027, time.January), affrules.NewMonth(2026, 13), "month 13 is January of the next year")
	assert.Equal(t, affrules.NewMonth(2025, time.December), m.Add(-3))
	// UK DST: March 2026 is 743 hours, October 745.
	assert.Equal(t, 743*time.Hour, m.Period(uk).Duration())
	assert.Equal(t, 745*time.Hour, affrules.NewMonth(2026, time.October).Period(uk).Duration())
	// 00:30 on 1 March in Bangkok is March there, February in UTC.
	at := time.Date(2026, 3, 1, 0, 30, 0, 0, th.Location())
	assert.Equal(t, m, affrules.MonthAt(th, at))
	assert.Equal(t, m.Add(-1), affrules.MonthAt(uk, at))
	// Months before year 0 count backwards.
	y, mo = affrules.NewMonth(-1, time.December).Date()
	assert.Equal(t, -1, y)
	assert.Equal(t, time.December, mo)

	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Equal(t, `"2026-03"`, string(b))
	var back affrules.Month
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, m, back)
	assert.ErrorContains(t, json.Unmarshal([]byte(`"2026-3-1"`), &back), `affrules: month "2026-3-1"`)
}

// A month beyond what a Month holds saturates instead of wrapping round to an unrelated month
// (which evaluators would then judge, or report with a confusing year).
func TestMonthSaturates(t *testing.T) {
	top, bottom := affrules.Month(math.MaxInt32), affrules.Month(math.MinInt32)
	for _, tt := range []struct {
		got, want affrules.Month
	}{
		{affrules.NewMonth(200_000_000, time.January), top},
		{affrules.NewMonth(-200_000_000, time.January), bottom},
		{affrules.NewMonth(math.MaxInt, time.December), top},
		{affrules.NewMonth(2026, time.January).Add(math.MaxInt), top},
		{affrules.NewMonth(2026, time.January).Add(math.MinInt), bottom},
		{top.Add(1), top},
		{bottom.Add(-1), bottom},
		{affrules.NewMonth(2026, time.January).Add(-12), affrules.NewMonth(2025, time.January)},
		{affrules.NewMonth(2026, 13), affrules.NewMonth(2027, time.January)},
		// n beyond int32 with m + n within range: the sum, not a saturated month.
		{bottom.Add(math.MaxInt32 + 1), affrules.Month(0)},
		{top.Add(math.MinInt32 - 1), affrules.Month(-2)},
		{affrules.NewMonth(-100_000_000, time.January).Add(2_500_000_000), affrules.Month(1_300_000_000)},
		{top.Add(math.MaxInt - math.MaxInt32 + 1), top},
		{bottom.Add(math.MinInt + math.MaxInt32), bottom},
	} {
		if tt.got != tt.want {
			t.Errorf("got %v, want %v", tt.got, tt.want)
		}
	}
}

// Every month written by MarshalText reads back, years beyond 0–9999 and the saturated months
// too; malformed text is refused.
func TestMonthTextRoundTrip(t *testing.T) {
	for _, m := range []affrules.Month{affrules.NewMonth(2026, time.March), affrules.NewMonth(-1, time.December), affrules.NewMonth(10000, time.January),
		affrules.NewMonth(0, time.January), affrules.Month(math.MaxInt32), affrules.Month(math.MinInt32)} {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back affrules.Month
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("%s: %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "2026", "2026-3", "2026-13", "2026-00", "26-03", "2026/03", "+2026-03", "2026-03-01", "x026-03", "-26-03", "2026--03", "02026-03", "00000-01", "-000-01", "-0001-01", "999999999-01"} {
		var m affrules.Month
		if err := m.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q read as %v", bad, m)
		}
	}
}

// NewMonth saturates on the month it means, y×12 + m, not on the year alone: a year just beyond
// the range brought back by a negative month is a month a Month holds.
func TestNewMonthNearTheBounds(t *testing.T) {
	for _, tt := range []struct {
		got, want affrules.Month
	}{
		{affrules.NewMonth(178956972, -100), affrules.Month(178956972*12 - 101)},
		{affrules.NewMonth(-178956972, 200), affrules.Month(-178956972*12 + 199)},
		{affrules.NewMonth(200000000, -(1 << 35)), affrules.Month(math.MinInt32)},
		{affrules.NewMonth(math.MaxInt, time.January), affrules.Month(math.MaxInt32)},
		{affrules.NewMonth(math.MinInt, time.January), affrules.Month(math.MinInt32)},
	} {
		if tt.got != tt.want {
			t.Errorf("got %d, want %d", tt.got, tt.want)
		}
	}
}

// Days counts a month's days as time.Date does (the proleptic Gregorian calendar: 1900 and 2100
// are common years, 2000 a leap year), for any month a Month holds.
func TestMonthDays(t *testing.T) {
	for _, c := range []struct {
		y    int
		want int
	}{{1900, 28}, {2000, 29}, {2024, 29}, {2026, 28}, {2100, 28}, {2400, 29}, {0, 29}, {-4, 29}, {-100, 28}, {-400, 29}} {
		assert.Equal(t, c.want, affrules.NewMonth(c.y, time.February).Days(), "February %d", c.y)
	}
	rapid.Check(t, func(t *rapid.T) {
		m := affrules.Month(rapid.Int32().Draw(t, "month"))
		y, mo := m.Date()
		want := time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
		if got := m.Days(); got != want {
			t.Fatalf("%d-%02d: Days %d, time.Date %d", y, mo, got, want)
		}
	})
}
