package level_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLevelText(t *testing.T) { // LVL-1
	for l := level.L0; l <= level.L8; l++ {
		b, err := l.MarshalText()
		require.NoError(t, err)
		var back level.Level
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, l, back)
	}
	_, err := (level.L8 + 1).MarshalText()
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	for _, bad := range []string{"L9", "l3", "3", "L", "L10", ""} {
		var l level.Level
		assert.Error(t, l.UnmarshalText([]byte(bad)), bad)
	}
	assert.Equal(t, "Level(9)", (level.L8 + 1).String())
}

func TestMonth(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		str  string
		days int
	}{
		{2026, time.January, "2026-01", 31},
		{2026, time.February, "2026-02", 28},
		{2024, time.February, "2024-02", 29},
		{2026, time.December, "2026-12", 31},
		{0, time.January, "0000-01", 31},
	}
	for _, tt := range tests {
		m := affrules.NewMonth(tt.y, tt.m)
		y, mo := m.Date()
		assert.Equal(t, tt.y, y)
		assert.Equal(t, tt.m, mo)
		assert.Equal(t, tt.str, m.String())
		assert.Equal(t, tt.days, m.Days())
		var back affrules.Month
		require.NoError(t, back.UnmarshalText([]byte(tt.str)))
		assert.Equal(t, m, back)
	}
	assert.Equal(t, affrules.NewMonth(2027, time.January), affrules.NewMonth(2026, time.December).Add(1))
	assert.Equal(t, affrules.NewMonth(2025, time.December), affrules.NewMonth(2026, time.January).Add(-1))
	assert.Equal(t, affrules.NewMonth(2027, time.January), affrules.NewMonth(2026, 13), "normalised like time.Date")
	y, mo := affrules.NewMonth(-1, time.March).Date()
	assert.Equal(t, -1, y)
	assert.Equal(t, time.March, mo)
	var m affrules.Month
	assert.Error(t, m.UnmarshalText([]byte("2026-13")))
	b, err := json.Marshal(march2026)
	require.NoError(t, err)
	assert.JSONEq(t, `"2026-03"`, string(b))
}

// MKT-2 boundaries of a month in a market's calendar.
func TestMonthBoundaries(t *testing.T) {
	// A zone behind UTC, registered as a host would: 23:30 on 31 January in Los Angeles is already
	// February in UTC, yet the promotion belongs to January.
	us, err := affrules.NewMarket("US", "America/Los_Angeles", "USD", 2, affrules.Email)
	require.NoError(t, err)
	require.NoError(t, affrules.RegisterMarket(us))
	us = market(t, "US")
	la := us.Location()
	lastDay := time.Date(2026, time.January, 31, 23, 30, 0, 0, la)
	require.Equal(t, time.February, lastDay.UTC().Month(), "precondition: next month in UTC")
	assert.Equal(t, affrules.NewMonth(2026, time.January), affrules.MonthAt(us, lastDay))

	// Bangkok is ahead of UTC: 23:30 on the last day is the same month in UTC, and 00:30 on the
	// first is still the previous month in UTC but belongs to the new month.
	th := market(t, affrules.TH)
	bkk := th.Location()
	assert.Equal(t, feb2026, affrules.MonthAt(th, time.Date(2026, time.February, 28, 23, 30, 0, 0, bkk)))
	firstMarch := time.Date(2026, time.March, 1, 0, 30, 0, 0, bkk)
	require.Equal(t, time.February, firstMarch.UTC().Month())
	assert.Equal(t, march2026, affrules.MonthAt(th, firstMarch))

	// UK DST: March 2026 loses an hour of clock time, October gains one; the periods tile the
	// timeline with no gap.
	uk := market(t, affrules.UK)
	mar := march2026.Period(uk)
	assert.Equal(t, 31*24*time.Hour-time.Hour, mar.Duration())
	oct := affrules.NewMonth(2026, time.October).Period(uk)
	assert.Equal(t, 31*24*time.Hour+time.Hour, oct.Duration())
	assert.Equal(t, mar.End, march2026.Add(1).Period(uk).Start)
	assert.Equal(t, feb2026.Period(uk).End, mar.Start)
	assert.Equal(t, time.Date(2026, time.April, 1, 0, 0, 0, 0, uk.Location()), mar.End)
}
