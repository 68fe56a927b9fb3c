package affrules_test

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// utc parses an RFC 3339 instant; the tests write every expected boundary as one.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func market(t testing.TB, code affrules.MarketCode) affrules.Market {
	t.Helper()
	m, err := affrules.LookupMarket(code)
	require.NoError(t, err)
	return m
}

// assertPeriod checks p against the expected [start, end) written in RFC 3339.
func assertPeriod(t *testing.T, p affrules.Period, start, end string) {
	t.Helper()
	assert.True(t, p.Start.Equal(utc(t, start)), "start = %s, want %s", p.Start.Format(time.RFC3339), start)
	assert.True(t, p.End.Equal(utc(t, end)), "end = %s, want %s", p.End.Format(time.RFC3339), end)
}

// MKT-2: the day and month of one instant, 2026-06-30T20:00Z, in each market's zone. It is still
// 30 June in London (BST, +01) and already 1 July everywhere in Asia.
func TestMKT2DayAndMonthPerMarket(t *testing.T) {
	at := "2026-06-30T20:00:00Z"
	tests := []struct {
		market                 affrules.MarketCode
		dayStart, dayEnd       string
		monthStart, monthEnd   string
		localDate              string
		wantLocalHourAndOffset string
	}{
		{affrules.UK, "2026-06-29T23:00:00Z", "2026-06-30T23:00:00Z", "2026-05-31T23:00:00Z", "2026-06-30T23:00:00Z", "2026-06-30", "21:00+01:00"},
		{affrules.ID, "2026-06-30T17:00:00Z", "2026-07-01T17:00:00Z", "2026-06-30T17:00:00Z", "2026-07-31T17:00:00Z", "2026-07-01", "03:00+07:00"},
		{affrules.MY, "2026-06-30T16:00:00Z", "2026-07-01T16:00:00Z", "2026-06-30T16:00:00Z", "2026-07-31T16:00:00Z", "2026-07-01", "04:00+08:00"},
		{affrules.VN, "2026-06-30T17:00:00Z", "2026-07-01T17:00:00Z", "2026-06-30T17:00:00Z", "2026-07-31T17:00:00Z", "2026-07-01", "03:00+07:00"},
		{affrules.TH, "2026-06-30T17:00:00Z", "2026-07-01T17:00:00Z", "2026-06-30T17:00:00Z", "2026-07-31T17:00:00Z", "2026-07-01", "03:00+07:00"},
		{affrules.PH, "2026-06-30T16:00:00Z", "2026-07-01T16:00:00Z", "2026-06-30T16:00:00Z", "2026-07-31T16:00:00Z", "2026-07-01", "04:00+08:00"},
		{affrules.SG, "2026-06-30T16:00:00Z", "2026-07-01T16:00:00Z", "2026-06-30T16:00:00Z", "2026-07-31T16:00:00Z", "2026-07-01", "04:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(string(tt.market), func(t *testing.T) {
			m := market(t, tt.market)
			instant := utc(t, at)
			assert.Equal(t, tt.wantLocalHourAndOffset, instant.In(m.Location()).Format("15:04Z07:00"))

			day := m.Day(instant)
			assertPeriod(t, day, tt.dayStart, tt.dayEnd)
			assert.Equal(t, day, affrules.DayOf(instant, m.Location()), "Market.Day is DayOf in the market's zone")
			assert.Equal(t, tt.localDate, day.Start.Format(time.DateOnly), "Start is expressed in the market's zone")
			assert.Equal(t, "00:00:00", day.Start.Format(time.TimeOnly))
			assert.True(t, day.Contains(instant))

			month := m.Month(instant)
			assertPeriod(t, month, tt.monthStart, tt.monthEnd)
			assert.Equal(t, month, affrules.MonthOf(instant, m.Location()))
			assert.True(t, month.Contains(instant))
			assert.Equal(t, 1, month.Start.Day())
		})
	}
}

// MKT-2: UK DST days are 23 and 25 hours long; consecutive days tile with no hour lost or
// counted twice.
func TestMKT2LondonDSTDays(t *testing.T) {
	uk := market(t, affrules.UK)
	tests := []struct {
		name       string
		at         string
		start, end string
		want       time.Duration
	}{
		{"day before spring forward", "2026-03-28T12:00:00Z", "2026-03-28T00:00:00Z", "2026-03-29T00:00:00Z", 24 * time.Hour},
		{"spring forward 2026-03-29, first hour", "2026-03-29T00:30:00Z", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z", 23 * time.Hour},
		{"spring forward 2026-03-29, at 02:00 BST", "2026-03-29T01:00:00Z", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z", 23 * time.Hour},
		{"spring forward 2026-03-29, last instant", "2026-03-29T22:59:59.999999999Z", "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z", 23 * time.Hour},
		{"day after spring forward", "2026-03-29T23:00:00Z", "2026-03-29T23:00:00Z", "2026-03-30T23:00:00Z", 24 * time.Hour},
		{"fall back 2026-10-25, first 01:30 (BST)", "2026-10-25T00:30:00Z", "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", 25 * time.Hour},
		{"fall back 2026-10-25, second 01:30 (GMT)", "2026-10-25T01:30:00Z", "2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", 25 * time.Hour},
		{"day after fall back", "2026-10-26T00:00:00Z", "2026-10-26T00:00:00Z", "2026-10-27T00:00:00Z", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			day := uk.Day(utc(t, tt.at))
			assertPeriod(t, day, tt.start, tt.end)
			assert.Equal(t, tt.want, day.Duration())
			assert.True(t, day.Contains(utc(t, tt.at)))
		})
	}
	// No hour is lost or double-counted: each day ends where the next begins.
	d := uk.Day(utc(t, "2026-03-27T12:00:00Z"))
	for range 240 {
		next := uk.Day(d.End)
		require.True(t, next.Start.Equal(d.End), "gap or overlap after %s", d)
		d = next
	}
}

// MKT-2: the month of March 2026 in London loses no hour of activity: it runs from GMT midnight on
// 1 March to BST midnight on 1 April, 31×24h − 1h. October gains the hour back.
func TestMKT2LondonDSTMonths(t *testing.T) {
	uk := market(t, affrules.UK)
	march := uk.Month(utc(t, "2026-03-29T01:30:00Z"))
	assertPeriod(t, march, "2026-03-01T00:00:00Z", "2026-03-31T23:00:00Z")
	assert.Equal(t, 31*24*time.Hour-time.Hour, march.Duration())

	april := uk.Month(march.End)
	assertPeriod(t, april, "2026-03-31T23:00:00Z", "2026-04-30T23:00:00Z")
	assert.True(t, april.Contains(utc(t, "2026-03-31T23:00:00Z")), "00:00 BST on 1 April is April")
	assert.False(t, march.Contains(utc(t, "2026-03-31T23:00:00Z")))
	assert.True(t, march.Contains(utc(t, "2026-03-31T22:59:59.999999999Z")))

	october := uk.Month(utc(t, "2026-10-25T01:30:00Z"))
	assertPeriod(t, october, "2026-09-30T23:00:00Z", "2026-11-01T00:00:00Z")
	assert.Equal(t, 31*24*time.Hour+time.Hour, october.Duration())
}

// MKT-2: "month" is the month in the market's zone, never UTC. Bangkok is UTC+7, so the first
// seven hours of a Bangkok month are still the previous month in UTC; the last instants of a
// Bangkok month are the same month in UTC. (A zone behind UTC shows the opposite: 23:30 on the
// last day of a month in New York is already the next month in UTC.)
func TestMKT2MonthIsLocalNotUTC(t *testing.T) {
	th := market(t, affrules.TH)
	ny := loadZone(t, "America/New_York")
	tests := []struct {
		name       string
		at         string
		loc        *time.Location
		start, end string
		utcMonth   time.Month
	}{
		{"Bangkok 00:30 on 1 Feb is February, January in UTC", "2026-01-31T17:30:00Z", th.Location(), "2026-01-31T17:00:00Z", "2026-02-28T17:00:00Z", time.January},
		{"Bangkok 00:00 on 1 Feb is February", "2026-01-31T17:00:00Z", th.Location(), "2026-01-31T17:00:00Z", "2026-02-28T17:00:00Z", time.January},
		{"Bangkok 23:59:59.999999999 on 31 Jan is January", "2026-01-31T16:59:59.999999999Z", th.Location(), "2025-12-31T17:00:00Z", "2026-01-31T17:00:00Z", time.January},
		{"Bangkok 23:30 on 31 Jan is January", "2026-01-31T16:30:00Z", th.Location(), "2025-12-31T17:00:00Z", "2026-01-31T17:00:00Z", time.January},
		{"New York 23:30 on 31 Jan is January, February in UTC", "2026-02-01T04:30:00Z", ny, "2026-01-01T05:00:00Z", "2026-02-01T05:00:00Z", time.February},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := utc(t, tt.at)
			require.Equal(t, tt.utcMonth, at.UTC().Month())
			month := affrules.MonthOf(at, tt.loc)
			assertPeriod(t, month, tt.start, tt.end)
			assert.True(t, month.Contains(at))
		})
	}
}

// MKT-2: in a zone whose DST change skips 00:00, the day starts at the first instant that
// exists, 01:00 local. The dates were checked against the tz database (zic rules):
// Cuba springs forward on the second Sunday of March at 00:00 (2026-03-08), Chile on the first
// Sunday of September at 24:00 of Saturday (2026-09-06), Lebanon on the last Sunday of March at
// 00:00 (2026-03-29). Go's time.Date resolves the missing 00:00 backwards (to 23:00 the day
// before) in the first two zones and forwards (to 01:00) in Beirut; both paths are covered.
func TestMKT2MidnightSkippedByDST(t *testing.T) {
	tests := []struct {
		zone           string
		at             string // an instant during the short day
		start, end     string // the short day
		prevStart      string // the day before, which must end at start
		wantStartLocal string
	}{
		{"America/Havana", "2026-03-08T12:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", "2026-03-07T05:00:00Z", "2026-03-08T01:00:00-04:00"},
		{"America/Santiago", "2026-09-06T12:00:00Z", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", "2026-09-05T04:00:00Z", "2026-09-06T01:00:00-03:00"},
		{"Asia/Beirut", "2026-03-29T12:00:00Z", "2026-03-28T22:00:00Z", "2026-03-29T21:00:00Z", "2026-03-27T22:00:00Z", "2026-03-29T01:00:00+03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			start := utc(t, tt.start)
			// The premise: 00:00 on that date does not exist in the zone.
			require.NotEqual(t, "00:00", start.In(loc).Format("15:04"))
			require.NotEqual(t, start.In(loc).Format(time.DateOnly), start.Add(-time.Nanosecond).In(loc).Format(time.DateOnly))

			day := affrules.DayOf(utc(t, tt.at), loc)
			assertPeriod(t, day, tt.start, tt.end)
			assert.Equal(t, tt.wantStartLocal, day.Start.Format(time.RFC3339))
			assert.Equal(t, 23*time.Hour, day.Duration())
			assert.True(t, day.Contains(start), "the first existing instant belongs to the day")
			assert.False(t, day.Contains(start.Add(-time.Nanosecond)))

			prev := affrules.DayOf(start.Add(-time.Nanosecond), loc)
			assertPeriod(t, prev, tt.prevStart, tt.start)
			assert.Equal(t, day, affrules.DayOf(start, loc))

			// The month containing that date starts at 00:00 on the 1st as usual, and the day is
			// inside it.
			month := affrules.MonthOf(start, loc)
			assert.Equal(t, 1, month.Start.Day())
			assert.Equal(t, "00:00", month.Start.Format("15:04"))
			assert.True(t, month.Contains(day.Start) && month.Contains(day.End.Add(-time.Nanosecond)))
		})
	}
}

// MKT-2: where a DST change turns the clock back over midnight, 00:00 occurs twice and the day
// starts at the first. Jordan fell back from 01:00 EEST to 00:00 EET on the last Friday of October
// until 2022 (2021-10-29); Cuba falls back from 01:00 CDT to 00:00 CST on the first Sunday of
// November (2026-11-01). Go's time.Date picks the second 00:00 in Amman and the first in Havana.
func TestMKT2MidnightRepeatedByDST(t *testing.T) {
	tests := []struct {
		zone       string
		at         string // an instant in the first occurrence of 00:00–01:00
		start, end string // the long day
		prevStart  string
	}{
		{"Asia/Amman", "2021-10-28T21:30:00Z", "2021-10-28T21:00:00Z", "2021-10-29T22:00:00Z", "2021-10-27T21:00:00Z"},
		{"America/Havana", "2026-11-01T04:30:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "2026-10-31T04:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			start, at := utc(t, tt.start), utc(t, tt.at)
			// The premise: the clock reads 00:00 on that date at start and again an hour later.
			require.Equal(t, "00:00", start.In(loc).Format("15:04"))
			require.Equal(t, "00:00", start.Add(time.Hour).In(loc).Format("15:04"))
			require.Equal(t, start.In(loc).Format(time.DateOnly), start.Add(time.Hour).In(loc).Format(time.DateOnly))

			day := affrules.DayOf(at, loc)
			assertPeriod(t, day, tt.start, tt.end)
			assert.Equal(t, 25*time.Hour, day.Duration())
			assert.True(t, day.Contains(at))
			assert.Equal(t, day, affrules.DayOf(start.Add(90*time.Minute), loc), "the second 00:30 is the same day")

			prev := affrules.DayOf(start.Add(-time.Nanosecond), loc)
			assertPeriod(t, prev, tt.prevStart, tt.start)

			month := affrules.MonthOf(at, loc)
			assert.True(t, month.Contains(day.Start) && month.Contains(day.End.Add(-time.Nanosecond)))
		})
	}
}

// MKT-3: "within N days" is (at−N·24h, at] looking back and [at, at+N·24h) looking forward;
// exactly N·24h away is outside. Days are 24-hour days even across a DST change.
func TestMKT3WithinDays(t *testing.T) {
	at := utc(t, "2026-11-21T10:00:00Z")
	ns := time.Nanosecond
	tests := []struct {
		name  string
		event time.Time
		n     int
		past  bool
		next  bool
	}{
		{"exactly N days before: outside (ELG-1 60 days)", at.Add(-60 * 24 * time.Hour), 60, false, false},
		{"just inside N days before", at.Add(-60*24*time.Hour + ns), 60, true, false},
		{"exactly 7 days before: outside (INV-3)", at.Add(-7 * 24 * time.Hour), 7, false, false},
		{"just inside 7 days before", at.Add(-7*24*time.Hour + ns), 7, true, false},
		{"at the instant itself: both", at, 7, true, true},
		{"just after: only next", at.Add(ns), 7, false, true},
		{"just before: only past", at.Add(-ns), 7, true, false},
		{"exactly N days after: outside", at.Add(7 * 24 * time.Hour), 7, false, false},
		{"just inside N days after", at.Add(7*24*time.Hour - ns), 7, false, true},
		{"zero days: nothing before or after", at.Add(-ns), 0, false, false},
		{"zero days: not even the instant", at, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.past, affrules.WithinPast(tt.event, at, tt.n), "WithinPast")
			assert.Equal(t, tt.next, affrules.WithinNext(tt.event, at, tt.n), "WithinNext")
		})
	}

	assert.Equal(t, 168*time.Hour, affrules.Days(7))

	// A window too long for a Duration saturates instead of wrapping negative, which would
	// turn "within 200,000 days" into "never".
	assert.Equal(t, time.Duration(math.MaxInt64), affrules.Days(200_000))
	assert.Equal(t, time.Duration(math.MinInt64), affrules.Days(-200_000))
	assert.Equal(t, 106_751*24*time.Hour, affrules.Days(106_751), "the largest count that fits is exact")
	assert.True(t, affrules.WithinPast(at.Add(-100_000*24*time.Hour), at, 200_000))
	assert.True(t, affrules.WithinNext(at.Add(100_000*24*time.Hour), at, 200_000))
	// Windows are exact beyond what a Duration holds: an event 106,752 or 199,999 days away is
	// within 106,753 or 200,000 days, one exactly that far is not.
	for _, n := range []int{106_753, 200_000, math.MaxInt} {
		for _, d := range []int{106_752, 199_999} {
			if d >= n {
				continue
			}
			assert.True(t, affrules.WithinNext(at.AddDate(0, 0, d), at, n), "%d days after, within %d", d, n)
			assert.True(t, affrules.WithinPast(at.AddDate(0, 0, -d), at, n), "%d days before, within %d", d, n)
		}
	}
	assert.False(t, affrules.WithinNext(at.AddDate(0, 0, 200_000), at, 200_000))
	assert.True(t, affrules.WithinNext(at.AddDate(0, 0, 200_000).Add(-ns), at, 200_000))
	assert.False(t, affrules.WithinPast(at.AddDate(0, 0, -200_000), at, 200_000))
	assert.True(t, affrules.WithinPast(at.AddDate(0, 0, -200_000).Add(ns), at, 200_000))
	assert.False(t, affrules.WithinPast(at.Add(-ns), at, -5), "a negative count is an empty window")
	// Instants 2^63 seconds apart: no difference overflows.
	far, farBack := time.Unix(1<<62, 0).UTC(), time.Unix(-(1<<62), 0).UTC()
	assert.False(t, affrules.WithinPast(farBack, far, 1))
	assert.False(t, affrules.WithinNext(far, farBack, 1))
	assert.True(t, affrules.WithinNext(far, farBack, math.MaxInt))
	if strconv.IntSize == 64 { // a count of days this large needs a 64-bit int
		wholeDays := int(int64(106_751_991_167_300)) // 2^63 s is that many days and 55,808 s
		assert.False(t, affrules.WithinNext(far, farBack, wholeDays))
		assert.True(t, affrules.WithinNext(far, farBack, wholeDays+1))
		assert.False(t, affrules.WithinPast(farBack, far, wholeDays))
		assert.True(t, affrules.WithinPast(farBack, far, wholeDays+1))
	}

	// Across the London spring-forward the calendar week is 167 hours; "7 days" stays 168.
	uk := market(t, affrules.UK)
	londonAt := time.Date(2026, 4, 1, 12, 0, 0, 0, uk.Location())
	sameClockWeekAgo := time.Date(2026, 3, 25, 12, 0, 0, 0, uk.Location())
	require.Equal(t, 167*time.Hour, londonAt.Sub(sameClockWeekAgo))
	assert.True(t, affrules.WithinPast(sameClockWeekAgo, londonAt, 7), "167h ago is within 7×24h")
	assert.False(t, affrules.WithinPast(londonAt.Add(-affrules.Days(7)), londonAt, 7))
}

// MKT-2: periods are half-open.
func TestPeriod(t *testing.T) {
	t0 := utc(t, "2026-11-01T00:00:00Z")
	t1 := t0.Add(24 * time.Hour)
	p, err := affrules.NewPeriod(t0, t1)
	require.NoError(t, err)

	assert.True(t, p.Contains(t0), "Start is in")
	assert.True(t, p.Contains(t1.Add(-time.Nanosecond)))
	assert.False(t, p.Contains(t1), "End is out")
	assert.False(t, p.Contains(t0.Add(-time.Nanosecond)))
	assert.False(t, p.IsEmpty())
	assert.Equal(t, 24*time.Hour, p.Duration())
	assert.Equal(t, "[2026-11-01T00:00:00Z, 2026-11-02T00:00:00Z)", p.String())

	_, err = affrules.NewPeriod(t1, t0)
	require.Error(t, err)
	assert.ErrorIs(t, err, affrules.ErrInvertedPeriod)
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "period", fe.Field)
	assert.Equal(t, "affrules: period [2026-11-02T00:00:00Z, 2026-11-01T00:00:00Z): end is before start", err.Error())

	empty, err := affrules.NewPeriod(t0, t0)
	require.NoError(t, err, "an empty period is allowed")
	assert.True(t, empty.IsEmpty())
	assert.False(t, empty.Contains(t0))
	assert.Equal(t, time.Duration(0), empty.Duration())
	assert.True(t, affrules.Period{}.IsEmpty(), "the zero Period is empty")
	assert.False(t, affrules.Period{}.Contains(time.Time{}))
	assert.Equal(t, time.Duration(0), affrules.Period{Start: t1, End: t0}.Duration(), "an inverted literal has no duration")

	next := affrules.Period{Start: t1, End: t1.Add(time.Hour)}
	overlapping := affrules.Period{Start: t1.Add(-time.Nanosecond), End: t1.Add(time.Hour)}
	inside := affrules.Period{Start: t0.Add(time.Hour), End: t0.Add(2 * time.Hour)}
	tests := []struct {
		name string
		a, b affrules.Period
		want bool
	}{
		{"touching periods do not overlap", p, next, false},
		{"touching, other order", next, p, false},
		{"one nanosecond shared", p, overlapping, true},
		{"containment", p, inside, true},
		{"identical", p, p, true},
		{"empty period inside never overlaps", p, affrules.Period{Start: inside.Start, End: inside.Start}, false},
		{"zero period", p, affrules.Period{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.a.Overlaps(tt.b))
			assert.Equal(t, tt.want, tt.b.Overlaps(tt.a), "Overlaps is symmetric")
		})
	}
}

// calendarZone is a zone and its transitions between 1800 and 2400, where the calendar's
// boundary cases are.
type calendarZone struct {
	loc         *time.Location
	transitions []time.Time
}

// calendarZones returns the seven market zones plus the zones whose DST changes skip or repeat
// midnight, by name.
func calendarZones(t *testing.T) map[string]calendarZone {
	zones := map[string]calendarZone{}
	add := func(loc *time.Location) {
		z := calendarZone{loc: loc}
		for at, stop := time.Date(1800, 1, 1, 0, 0, 0, 0, loc), time.Date(2400, 1, 1, 0, 0, 0, 0, loc); at.Before(stop); {
			_, end := at.ZoneBounds()
			switch {
			case end.IsZero(): // no later transition
				at = stop
			case !end.After(at):
				// Where a zone's rule extends past its listed transitions, Go's ZoneBounds
				// reports an end that is not after the instant on 31 December of a leap year
				// (2040 in London). Step over it; no transition falls there.
				at = at.Add(time.Hour)
			default:
				if _, before := end.Add(-time.Nanosecond).Zone(); before != offset(end) {
					z.transitions = append(z.transitions, end)
				}
				at = end
			}
		}
		zones[loc.String()] = z
	}
	for _, m := range []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG} {
		add(market(t, m).Location())
	}
	for _, z := range []string{"America/Havana", "America/Santiago", "Asia/Beirut", "Asia/Amman"} {
		add(loadZone(t, z))
	}
	return zones
}

func offset(t time.Time) int {
	_, o := t.Zone()
	return o
}

// drawZone draws one of zones, labelled by its name.
func drawZone(t *rapid.T, zones map[string]calendarZone) calendarZone {
	return zones[rapid.SampledFrom(slices.Sorted(maps.Keys(zones))).Draw(t, "zone")]
}

// instant draws an instant in z between 1800 and 2400 with nanosecond resolution, so that the
// zones' historical changes (local mean time, Singapore and Malaysia moving from +07:30 to +08
// at midnight in 1982) are exercised as well as the current rules. Two draws in three are moved
// to within two hours of one of the zone's transitions or of a local midnight, where the
// boundaries are.
func instant(t *rapid.T, z calendarZone) time.Time {
	lo := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	at := time.Unix(rapid.Int64Range(lo, hi).Draw(t, "unix"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).UTC()
	offset := time.Duration(rapid.Int64Range(-int64(2*time.Hour), int64(2*time.Hour)).Draw(t, "offset"))
	switch rapid.IntRange(0, 2).Draw(t, "near") {
	case 0: // near a zone transition
		if len(z.transitions) > 0 {
			return rapid.SampledFrom(z.transitions).Draw(t, "transition").Add(offset)
		}
	case 1: // near local midnight
		y, m, d := at.In(z.loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, z.loc).Add(offset)
	}
	return at
}

// date returns the local calendar date of t in loc.
func date(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// firstInstantOfDate reports whether s is the first instant of its local date in loc: local
// midnight, or the first instant that exists where a DST change skips midnight.
func firstInstantOfDate(s time.Time, loc *time.Location) bool {
	return date(s.Add(-time.Nanosecond), loc) < date(s, loc)
}

// Property (MKT-2): in every market's zone, DayOf(t) contains t and is exactly t's local date:
// Start is the first instant of that date (00:00, or the first existing instant), End is the
// first instant of the next date and the Start of the next day, with no gap.
func TestMKT2DayOfProperty(t *testing.T) {
	zones := calendarZones(t)
	rapid.Check(t, func(rt *rapid.T) {
		z := drawZone(rt, zones)
		loc, at := z.loc, instant(rt, z)
		day := affrules.DayOf(at, loc)
		if !day.Contains(at) {
			rt.Fatalf("DayOf(%s) = %s does not contain it", at.In(loc), day)
		}
		if date(day.Start, loc) != date(at, loc) || !firstInstantOfDate(day.Start, loc) {
			rt.Fatalf("DayOf(%s).Start = %s is not the first instant of its date", at.In(loc), day.Start)
		}
		if l := day.Start.In(loc); !(l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0) {
			// Only a zone transition may move the start off 00:00.
			if zs, _ := l.ZoneBounds(); !zs.Equal(day.Start) {
				rt.Fatalf("DayOf(%s).Start = %s is neither midnight nor a zone transition", at.In(loc), l)
			}
		}
		if date(day.End.Add(-time.Nanosecond), loc) != date(at, loc) || !firstInstantOfDate(day.End, loc) {
			rt.Fatalf("DayOf(%s).End = %s is not the first instant of the next date", at.In(loc), day.End.In(loc))
		}
		if next := affrules.DayOf(day.End, loc); !next.Start.Equal(day.End) {
			rt.Fatalf("next day after %s starts at %s", day, next.Start)
		}
		if d := day.Duration(); d < 22*time.Hour || d > 26*time.Hour {
			rt.Fatalf("DayOf(%s) lasts %s", at.In(loc), d)
		}
	})
}

// Property (MKT-2): MonthOf(t) contains t, starts at the first instant of the 1st of t's local
// month and ends where the next month starts.
func TestMKT2MonthOfProperty(t *testing.T) {
	zones := calendarZones(t)
	rapid.Check(t, func(rt *rapid.T) {
		z := drawZone(rt, zones)
		loc, at := z.loc, instant(rt, z)
		month := affrules.MonthOf(at, loc)
		if !month.Contains(at) {
			rt.Fatalf("MonthOf(%s) = %s does not contain it", at.In(loc), month)
		}
		s := month.Start.In(loc)
		if s.Day() != 1 || s.Format("2006-01") != at.In(loc).Format("2006-01") || !firstInstantOfDate(month.Start, loc) {
			rt.Fatalf("MonthOf(%s).Start = %s is not the first instant of the 1st", at.In(loc), s)
		}
		if !month.Start.Equal(affrules.DayOf(month.Start, loc).Start) {
			rt.Fatalf("MonthOf(%s).Start = %s is not a day start", at.In(loc), s)
		}
		if next := affrules.MonthOf(month.End, loc); !next.Start.Equal(month.End) || next.Start.In(loc).Day() != 1 {
			rt.Fatalf("next month after %s starts at %s", month, next.Start)
		}
		if date(month.End.Add(-time.Nanosecond), loc)[:7] != s.Format("2006-01") {
			rt.Fatalf("MonthOf(%s).End = %s leaves out the end of the month", at.In(loc), month.End.In(loc))
		}
	})
}

// A nil location is UTC (time.In would panic): a host that forgot to resolve a zone gets UTC's
// day and month, not a crash.
func TestDayOfNilLocation(t *testing.T) {
	at := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	if got, want := affrules.DayOf(at, nil), affrules.DayOf(at, time.UTC); got != want {
		t.Errorf("DayOf(nil) = %v, want %v", got, want)
	}
	if got, want := affrules.MonthOf(at, nil), affrules.MonthOf(at, time.UTC); got != want {
		t.Errorf("MonthOf(nil) = %v, want %v", got, want)
	}
}

// A Period decoded from JSON refuses a misspelt, case-folded or repeated key and an end before
// its start; a zero end, which some rules read as "no end", is not compared with the start.
func TestPeriodJSON(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := affrules.Period{Start: start, End: start.Add(24 * time.Hour)}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	var back affrules.Period
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Start.Equal(p.Start) && back.End.Equal(p.End))
	var open affrules.Period
	require.NoError(t, json.Unmarshal([]byte(`{"start":"2026-11-01T00:00:00Z"}`), &open))
	assert.True(t, open.End.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`{"start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:00:00Z"}`), &open), "an empty period")
	for _, tt := range []struct{ name, in, want string }{
		{"inverted", `{"start":"2026-11-02T00:00:00Z","end":"2026-11-01T00:00:00Z"}`, "end is before start"},
		{"inverted by a nanosecond", `{"start":"2026-11-01T00:00:00.000000001Z","end":"2026-11-01T00:00:00Z"}`, "end is before start"},
		{"misspelt key", `{"start":"2026-11-01T00:00:00Z","ned":"2026-11-02T00:00:00Z"}`, `affrules: period "ned": is not a field`},
		{"key in another case", `{"Start":"2026-11-01T00:00:00Z"}`, "keys are case-sensitive"},
		{"key given twice", `{"start":"2026-11-01T00:00:00Z","start":"2026-11-02T00:00:00Z"}`, "key is given twice"},
		{"bad instant", `{"start":"2026-11-01"}`, `affrules: period.start "2026-11-01": must be an RFC 3339 instant with its zone offset`},
		{"instant without its offset", `{"start":"2026-11-01T00:00:00"}`, `must be an RFC 3339 instant with its zone offset, such as "2026-11-01T00:00:00+07:00"`},
		{"month out of range", `{"start":"2026-13-01T00:00:00Z"}`, `month out of range`},
		{"not an object", `"2026-11-01"`, "must be an object"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p
			require.ErrorContains(t, json.Unmarshal([]byte(tt.in), &got), tt.want)
			assert.Equal(t, p, got, "an error leaves the value as it was")
		})
	}
	var layout *time.ParseError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"start":"2026-11-01T00:00:00"}`), new(affrules.Period)), &layout, "time's own error stays wrapped")
	var inv affrules.Period
	require.ErrorIs(t, json.Unmarshal([]byte(`{"start":"2026-11-02T00:00:00Z","end":"2026-11-01T00:00:00Z"}`), &inv), affrules.ErrInvertedPeriod)
}

func FuzzPeriodJSON(f *testing.F) {
	f.Add([]byte(`{"start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00+07:00"}`))
	f.Add([]byte(`{"start":"2026-11-02T00:00:00Z","end":"2026-11-01T00:00:00Z"}`))
	f.Add([]byte(`{"Start":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p affrules.Period
		if err := json.Unmarshal(b, &p); err != nil {
			return
		}
		if !p.End.IsZero() && p.End.Before(p.Start) {
			t.Fatalf("decoded an inverted period %v from %s", p, b)
		}
		out, err := json.Marshal(p)
		if err != nil {
			return // an instant encoding/json cannot write (a year past 9999)
		}
		var back affrules.Period
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		require.True(t, back.Start.Equal(p.Start) && back.End.Equal(p.End))
	})
}

// MKT-2: a day always contains its instant, also where a change turned the clock back over
// midnight into the day before (St John's, 28 October 1990: at 00:01 NDT the clock went back to
// 23:01 NST on the 27th). The repeated hour is in the day that began at the first midnight, so
// days follow one another without gap or overlap; scanned minute by minute over the change.
func TestDayOfClockBackOverMidnight(t *testing.T) {
	loc, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(1990, 10, 27, 20, 0, 0, 0, time.UTC)
	prev := affrules.DayOf(from, loc)
	for at := from; at.Before(from.Add(12 * time.Hour)); at = at.Add(time.Minute) {
		p := affrules.DayOf(at, loc)
		if at.Before(p.Start) || !at.Before(p.End) {
			t.Fatalf("%s: day %s does not contain it", at, p)
		}
		if p != prev && !p.Start.Equal(prev.End) {
			t.Fatalf("%s: day %s does not follow %s", at, p, prev)
		}
		prev = p
		if mp := affrules.MonthOf(at, loc); at.Before(mp.Start) || !at.Before(mp.End) {
			t.Fatalf("%s: month %s does not contain it", at, mp)
		}
	}
	// The repeated hour (23:10 NST on the 27th) is in the day of the 28th, begun at 00:00 NDT.
	p := affrules.DayOf(time.Date(1990, 10, 28, 2, 40, 0, 0, time.UTC), loc)
	if want := time.Date(1990, 10, 28, 2, 30, 0, 0, time.UTC); !p.Start.Equal(want) {
		t.Errorf("the repeated hour's day starts %s, want %s", p.Start, want)
	}
}
