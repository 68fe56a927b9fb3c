package affrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules/internal/strictjson"
)

// Period is the half-open interval [Start, End) (MKT-2). The zero Period is empty and contains
// no instant. Its JSON is {"start": …, "end": …}, decoded strictly ([Period.UnmarshalJSON]).
type Period struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// NewPeriod returns [start, end), or an error wrapping [ErrInvertedPeriod] if end is before start.
// An empty period (start equal to end) is allowed.
func NewPeriod(start, end time.Time) (Period, error) {
	if end.Before(start) {
		return Period{}, fieldErrorf("period", fmt.Sprintf("[%s, %s)", start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano)), "%w", ErrInvertedPeriod)
	}
	return Period{Start: start, End: end}, nil
}

// Contains reports whether Start <= t < End.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// IsEmpty reports whether the period contains no instant.
func (p Period) IsEmpty() bool { return !p.Start.Before(p.End) }

// Duration returns End - Start, or 0 for an empty period.
func (p Period) Duration() time.Duration {
	if p.IsEmpty() {
		return 0
	}
	return p.End.Sub(p.Start)
}

// Overlaps reports whether p and q share at least one instant.
func (p Period) Overlaps(q Period) bool {
	return !p.IsEmpty() && !q.IsEmpty() && p.Start.Before(q.End) && q.Start.Before(p.End)
}

// String formats the period as "[start, end)" in RFC 3339.
func (p Period) String() string {
	return "[" + exactTime(p.Start).Format(time.RFC3339Nano) + ", " + exactTime(p.End).Format(time.RFC3339Nano) + ")"
}

// DayOf returns the calendar day containing t in loc: [local midnight, next local midnight)
// (MKT-2). On a DST change day the period is 23 or 25 hours long. A nil loc is UTC (time.In
// would panic). Days follow one another without gap or overlap, and the period always contains
// t: where a change turned the clock back over midnight into the day before (America/St_Johns
// in 1990, at 00:01), the repeated hour, whose local date is the day before's, is in the day
// that began at the first midnight.
func DayOf(t time.Time, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	p := Period{Start: midnight(y, m, d, loc), End: midnight(y, m, d+1, loc)}
	for i := 0; i < 2 && !t.Before(p.End); i++ { // a repeated hour after the next midnight
		d++
		p = Period{Start: p.End, End: midnight(y, m, d+1, loc)}
	}
	return p
}

// MonthOf returns the calendar month containing t in loc (MKT-2); a nil loc is UTC, as for DayOf,
// and the period contains t as DayOf's does.
func MonthOf(t time.Time, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	y, m, _ := t.In(loc).Date()
	p := Period{Start: midnight(y, m, 1, loc), End: midnight(y, m+1, 1, loc)}
	if !t.Before(p.End) { // a repeated hour after the next month's first midnight
		p = Period{Start: p.End, End: midnight(y, m+2, 1, loc)}
	}
	return p
}

// midnight returns the first instant of the local date y-m-d (normalised, so d may overflow), even
// in a zone where a DST change skips 00:00: the result is then the first instant that exists that
// day. Where a change turns the clock back over midnight, so that 00:00 occurs twice (Asia/Amman
// until 2022), it is the first occurrence.
func midnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	ny, nm, nd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Date()
	t := time.Date(ny, nm, nd, 0, 0, 0, 0, loc)
	if ty, tm, td := t.Date(); ty == ny && tm == nm && td == nd {
		// time.Date may have picked the second of two 00:00s. 00:00 in the offset of the zone
		// period before t's, if it falls in that period, is the first.
		if start, _ := t.ZoneBounds(); !start.IsZero() {
			_, prevOffset := start.Add(-1).Zone()
			first := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC).Add(-time.Duration(prevOffset) * time.Second).In(loc)
			if fy, fm, fd := first.Date(); first.Before(start) && fy == ny && fm == nm && fd == nd && first.Hour() == 0 && first.Minute() == 0 && first.Second() == 0 {
				return first
			}
		}
		return t
	}
	// 00:00 fell in a gap and was resolved onto the previous day: the day starts when that zone
	// period ends.
	_, end := t.ZoneBounds()
	return end
}

// Days returns n whole 24-hour days as a duration (MKT-3): "7 days" is 7×24h, whatever the
// calendar does. A count beyond what a Duration can hold (about 106,751 days, 292 years)
// saturates at the largest or smallest Duration instead of wrapping around, so a huge window
// stays huge rather than turning negative.
func Days(n int) time.Duration {
	const maxDays = math.MaxInt64 / int64(24*time.Hour)
	switch {
	case int64(n) > maxDays:
		return math.MaxInt64
	case int64(n) < -maxDays:
		return math.MinInt64
	}
	return time.Duration(n) * 24 * time.Hour
}

// WithinPast reports whether event lies within n days before at: in (at - n×24h, at] (MKT-3).
// An event exactly n×24h before at is outside. It is exact for any n, also beyond what a
// Duration holds ([Days]).
func WithinPast(event, at time.Time, n int) bool {
	return !event.After(at) && lessThanDays(event, at, n)
}

// WithinNext reports whether event lies within n days from at: in [at, at + n×24h) (MKT-3). It
// is exact for any n, also beyond what a Duration holds ([Days]).
func WithinNext(event, at time.Time, n int) bool {
	return !event.Before(at) && lessThanDays(at, event, n)
}

// lessThanDays reports whether later − earlier, which is not negative, is less than n×24h,
// exactly: the whole days between them are fewer than n. Each instant is split into days since
// the Unix epoch and the rest of its day, so no difference overflows, however far apart they are.
func lessThanDays(earlier, later time.Time, n int) bool {
	if n <= 0 {
		return false
	}
	const day = 24 * 60 * 60
	ld, lr := floorDiv(later.Unix(), day)
	ed, er := floorDiv(earlier.Unix(), day)
	days, rest := ld-ed, lr-er // |days| < 2^48: Unix seconds of a time.Time fit in int64
	if rest < 0 || rest == 0 && later.Nanosecond() < earlier.Nanosecond() {
		days-- // the last day is not whole
	}
	return days < int64(n)
}

// floorDiv returns the quotient and remainder of a ÷ b rounded toward minus infinity, for b > 0:
// the remainder is in [0, b).
func floorDiv(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// MarshalJSON encodes p as {"start": …, "end": …}, each instant in RFC 3339 (in UTC when its
// zone's offset has seconds, which RFC 3339 cannot write), so that it reads back the same.
func (p Period) MarshalJSON() ([]byte, error) {
	if err := errors.Join(unwritable("period.start", p.Start), unwritable("period.end", p.End)); err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	}{exactTime(p.Start), exactTime(p.End)})
}

// UnmarshalJSON decodes {"start": …, "end": …} into p. A key other than start and end, one
// written in another case or given twice, and an end before the start ([ErrInvertedPeriod])
// are errors, and leave p as it was. A zero end (left out, or the zero time) is not checked
// against the start: some rules read it as "no end" (an open-ended offer). A key left out
// keeps p's value, and null leaves p as it was, as encoding/json does.
func (p *Period) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
		return fieldErrorf("period", shortJSON(b), "must be an object of start and end")
	}
	out := *p
	seen := map[string]bool{}
	for key, v := range strictjson.Members(b) {
		var dst *time.Time
		switch {
		case seen[key]:
			return fieldErrorf("period", strconv.Quote(key), "key is given twice; the first value would be silently dropped")
		case key == "start":
			dst = &out.Start
		case key == "end":
			dst = &out.End
		case strings.EqualFold(key, "start") || strings.EqualFold(key, "end"):
			return fieldErrorf("period", strconv.Quote(key), "is not a field: keys are case-sensitive (start, end)")
		default:
			return fieldErrorf("period", strconv.Quote(key), "is not a field (start, end)")
		}
		seen[key] = true
		if err := json.Unmarshal(v, dst); err != nil {
			if perr := (*time.ParseError)(nil); errors.As(err, &perr) && perr.Message == "" { // a layout problem
				fe := fieldErrorf("period."+key, shortJSON(v), "%s", strictjson.InstantWanted)
				fe.Err = err // time's own error, for errors.As
				return fe
			}
			return fieldErrorf("period."+key, shortJSON(v), "%w", err)
		}
	}
	if !out.End.IsZero() && out.End.Before(out.Start) {
		return fieldErrorf("period", out.String(), "%w", ErrInvertedPeriod)
	}
	*p = out
	return nil
}
