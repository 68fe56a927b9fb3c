package sample_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// SMP-8: the fulfilment rate over a window is the exact ratio fulfilled ÷ (fulfilled + overdue)
// of the creator's requests that ended inside it: posted there, or whose deadline passed there.
// Requests still open, rejected or expired, ending outside the window, or of other creators are
// ignored; with none the rate is undefined.
func TestFulfilmentRate_SMP8(t *testing.T) {
	december := affrules.Period{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, kl), End: january}
	var reqs []sample.Request
	add := func(r sample.Request) { reqs = append(reqs, r) }
	// Fulfilled in December: two, one of them on the window's last nanosecond.
	add(walk(t, rule, delivered(t, "f1", "p1", t0.Add(day)), step{sample.Posted, t0.Add(2 * day)}))
	add(walk(t, rule, delivered(t, "f2", "p2", january.Add(-3*day)), step{sample.Posted, january.Add(-time.Nanosecond)}))
	// Overdue in December: delivered 2 Dec 09:00, due 16 Dec 09:00.
	add(delivered(t, "o1", "p3", t0.Add(day)))
	// Ends outside: posted on 1 January; overdue on 1 January exactly (delivered 18 Dec 00:00).
	add(walk(t, rule, delivered(t, "x1", "p4", january.Add(-5*day)), step{sample.Posted, january}))
	add(delivered(t, "x2", "p5", january.Add(-14*day)))
	// Not ended: still delivered, shipped, requested; rejected and expired are not counted.
	add(delivered(t, "n1", "p6", t0.Add(20*day)))
	add(walk(t, rule, ask(t, "n2", "aisyah", "p7", t0), step{sample.Approved, t0.Add(time.Hour)}, step{sample.ShippedEvent, t0.Add(day)}))
	add(ask(t, "n3", "aisyah", "p8", t0))
	add(walk(t, rule, ask(t, "n4", "aisyah", "p9", t0), step{sample.Declined, t0.Add(time.Hour)}))
	// Another creator's.
	other := walk(t, rule, delivered(t, "b1", "p1", t0.Add(day)), step{sample.Posted, t0.Add(2 * day)})
	other.Creator = "budi"
	add(other)

	f, o, rate, ok := rateOf(t, reqs, "aisyah", december)
	require.True(t, ok)
	require.Equal(t, int64(2), f)
	require.Equal(t, int64(1), o)
	num, den := rate.Ratio()
	require.Equal(t, [2]int64{2, 3}, [2]int64{num, den}, "exact: 2/3, not a rounded percentage")
	require.Equal(t, affrules.RatioValue, rate.Kind())
	require.Equal(t, affrules.MustParseRate("66.6666666%"), rate.Rate(), "usable as level's SampleFulfilment")

	f, o, rate, ok = rateOf(t, reqs, "aisyah", affrules.Period{Start: january, End: january.AddDate(0, 1, 0)})
	require.True(t, ok)
	require.Equal(t, [2]int64{1, 2}, [2]int64{f, o}, "January: x1 fulfilled; x2 overdue at its first instant, n1 on 4 January")
	num, den = rate.Ratio()
	require.Equal(t, [2]int64{1, 3}, [2]int64{num, den})

	f, o, rate, ok = rateOf(t, reqs, "budi", december)
	require.True(t, ok)
	require.Equal(t, "1/1 100% (1/1)", fmt.Sprint(f, "/", f+o, " ", rate))

	for name, w := range map[string]affrules.Period{
		"November":    {Start: time.Date(2026, 11, 1, 0, 0, 0, 0, kl), End: december.Start},
		"EmptyWindow": {Start: january, End: january},
	} {
		f, o, rate, ok := rateOf(t, reqs, "aisyah", w)
		require.False(t, ok, name)
		require.Zero(t, f+o, name)
		require.True(t, rate.IsZero(), "%s: the rate is undefined", name)
	}
	_, _, _, ok = rateOf(t, nil, "aisyah", december)
	require.False(t, ok, "no requests")
	_, _, _, ok = rateOf(t, reqs, "cara", december)
	require.False(t, ok, "a creator without requests")
}

// SMP-8, SMP-4: a Collaboration Plus sample delivered after the collaboration's end is overdue
// from its delivery, and counts in the window of the delivery.
func TestFulfilmentRateLateCollabPlus_SMP8(t *testing.T) {
	end := time.Date(2026, 12, 31, 20, 0, 0, 0, kl)
	req := made(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(end), t0)
	req = walk(t, rule, req, step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, january.Add(2 * day)})
	december := affrules.Period{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, kl), End: january}
	_, _, _, ok := rateOf(t, []sample.Request{req}, "aisyah", december)
	require.False(t, ok, "in December the sample had not arrived")
	f, o, _, ok := rateOf(t, []sample.Request{req}, "aisyah", affrules.Period{Start: january, End: january.AddDate(0, 1, 0)})
	require.True(t, ok, "counted in January, when it arrived overdue")
	require.Equal(t, [2]int64{0, 1}, [2]int64{f, o})
}

// SMP-8: Rule.Fulfilment rates a creator over the policy's window ending at the instant given,
// (at − 90 × 24 h, at], as of at: a request that ended at the window's start is out, one that
// ended 1 ns later or at at itself is in, and content posted after at is not yet counted. It is
// FulfilmentRate over its Window, and the window is policy.
func TestFulfilment_SMP8(t *testing.T) {
	at := t0.Add(100 * day)
	start := at.Add(-90 * day)
	var reqs []sample.Request
	post := func(id, product string, posted time.Time) {
		reqs = append(reqs, walk(t, rule, delivered(t, id, product, posted.Add(-5*day)), step{sample.Posted, posted}))
	}
	post("out", "p1", start)                      // ended at the window's start: out
	post("in1", "p2", start.Add(time.Nanosecond)) // its first instant
	post("in2", "p3", at)                         // its last
	post("later", "p4", at.Add(time.Nanosecond))
	reqs = append(reqs, delivered(t, "o1", "p5", t0.Add(50*day))) // overdue from t0+64d
	other := walk(t, rule, delivered(t, "b1", "p1", t0.Add(50*day)), step{sample.Posted, t0.Add(51 * day)})
	other.Creator = "budi"
	reqs = append(reqs, other)

	f, err := rule.Fulfilment(reqs, "aisyah", at)
	require.NoError(t, err)
	require.Equal(t, int64(2), f.Fulfilled)
	require.Equal(t, int64(1), f.Overdue)
	require.True(t, f.Window.Start.Equal(start.Add(time.Nanosecond)), "window starts %v", f.Window.Start)
	require.True(t, f.Window.End.Equal(at.Add(time.Nanosecond)), "window ends %v", f.Window.End)
	ratio, ok := f.Ratio()
	require.True(t, ok)
	num, den := ratio.Ratio()
	require.Equal(t, [2]int64{2, 3}, [2]int64{num, den})
	rate, ok := f.Rate()
	require.True(t, ok)
	require.Equal(t, affrules.MustParseRate("66.6666666%"), rate)

	ff, fo, fr, fok := rateOf(t, reqs, "aisyah", f.Window)
	require.Equal(t, [2]int64{f.Fulfilled, f.Overdue}, [2]int64{ff, fo}, "FulfilmentRate over the same window")
	require.True(t, fok)
	require.True(t, fr.Equal(ratio))

	// A nanosecond on, "later" is in and "in2" still is; the window moved past "in1".
	f, err = rule.Fulfilment(reqs, "aisyah", at.Add(time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, [2]int64{2, 1}, [2]int64{f.Fulfilled, f.Overdue})
	f, err = rule.Fulfilment(reqs, "aisyah", start)
	require.NoError(t, err)
	require.Equal(t, [2]int64{1, 0}, [2]int64{f.Fulfilled, f.Overdue}, "out, at its own instant")
	f, err = rule.Fulfilment(reqs, "aisyah", start.Add(time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, [2]int64{2, 0}, [2]int64{f.Fulfilled, f.Overdue}, "out and in1")
	f, err = rule.Fulfilment(reqs, "budi", at)
	require.NoError(t, err)
	require.Equal(t, [2]int64{1, 0}, [2]int64{f.Fulfilled, f.Overdue})

	// FulfilmentDays is policy: over 30 days only "in2" ended.
	thirty := mustRule(policyWith(func(p *sample.Policy) { p.FulfilmentDays = 30 }))
	f, err = thirty.Fulfilment(reqs, "aisyah", at)
	require.NoError(t, err)
	require.Equal(t, [2]int64{1, 0}, [2]int64{f.Fulfilled, f.Overdue})
	require.True(t, f.Window.Start.Equal(at.Add(-30*day+time.Nanosecond)))

	// None ended in the window: defined neither exactly nor as a rate.
	f, err = rule.Fulfilment(reqs, "cara", at)
	require.NoError(t, err)
	require.Zero(t, f.Fulfilled+f.Overdue)
	_, ok = f.Ratio()
	require.False(t, ok)
	r, ok := f.Rate()
	require.False(t, ok)
	require.True(t, r.IsZero())
	// Rounded down exactly, even a hair below a unit of 1e-9; undefined for negative counts or
	// a sum past int64, as a host may build a Fulfilment by hand.
	r, ok = sample.Fulfilment{Fulfilled: 3_000_000_000, Overdue: 3_000_000_000_000_000_001 - 3_000_000_000}.Rate()
	require.True(t, ok)
	require.True(t, r.IsZero(), "%v", r)
	for _, bad := range []sample.Fulfilment{{Fulfilled: -1, Overdue: 2}, {Fulfilled: 2, Overdue: -1}, {Fulfilled: -3}, {Fulfilled: math.MaxInt64, Overdue: 1}} {
		_, ok = bad.Rate()
		require.False(t, ok, "%+v", bad)
		_, ok = bad.Ratio()
		require.False(t, ok, "Ratio of %+v", bad)
	}

	// A policy-less rule, and an instant out of bounds.
	_, err = sample.Rule{}.Fulfilment(reqs, "aisyah", at)
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	for _, bad := range []time.Time{{}, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err = rule.Fulfilment(reqs, "aisyah", bad)
		badInput(t, err, "at")
	}
}

// SMP-8: Fulfilment.Rate is the exact ratio rounded down to the nearest 1e-9, so that a
// threshold the exact rate does not reach is never reached: 2/3 is 66.6666666%, not
// 66.6666667%. Ratio stays exact.
func TestFulfilmentRateRounding_SMP8(t *testing.T) {
	for _, c := range []struct {
		fulfilled, overdue int64
		want               string
	}{
		{2, 1, "66.6666666%"},
		{1, 2, "33.3333333%"},
		{1, 5, "16.6666666%"}, // 0.1666666666…, rounded half up it would be 16.6666667%
		{5, 1, "83.3333333%"},
		{999_999_999, 1, "99.9999999%"}, // one short of all: below 100%
		{1, 999_999_999, "0.0000001%"},
		{1, 1_999_999_999, "0%"}, // below 1e-9: rounded down to 0
		{1, 7, "12.5%"},
		{3, 0, "100%"},
		{0, 4, "0%"},
	} {
		f := sample.Fulfilment{Fulfilled: c.fulfilled, Overdue: c.overdue}
		rate, ok := f.Rate()
		require.True(t, ok)
		require.Equal(t, affrules.MustParseRate(c.want), rate, "%d/%d: %v", c.fulfilled, c.fulfilled+c.overdue, rate)
		ratio, ok := f.Ratio()
		require.True(t, ok)
		num, den := ratio.Ratio()
		require.Equal(t, [2]int64{c.fulfilled, c.fulfilled + c.overdue}, [2]int64{num, den})
		require.GreaterOrEqual(t, rate.CmpFraction(c.fulfilled, c.fulfilled+c.overdue), 0, "never above the exact rate")
	}
	_, ok := sample.Fulfilment{}.Rate()
	require.False(t, ok, "undefined with no request")
}

// rateOf is FulfilmentRate's record as counts, its exact rate and whether it is defined,
// failing the test on an error.
func rateOf(t interface {
	Helper()
	Fatal(...any)
}, requests []sample.Request, creator string, w affrules.Period) (fulfilled, overdue int64, rate affrules.Value, ok bool) {
	t.Helper()
	f, err := sample.FulfilmentRate(requests, creator, w)
	if err != nil {
		t.Fatal(err)
	}
	rate, ok = f.Ratio()
	return f.Fulfilled, f.Overdue, rate, ok
}

// SMP-8: the creator's requests are checked before they are counted, as Decide checks a
// product's history: one given twice, without an ID or a registered market, or whose events the
// rules would not have recorded, would count wrongly, so each is bad input named requests[i];
// another creator's requests are not read. A window out of bounds or inverted is bad input too.
func TestFulfilmentRateBadRequests_SMP8(t *testing.T) {
	at := t0.Add(100 * day)
	w := affrules.Period{Start: t0, End: at}
	good := walk(t, rule, delivered(t, "r1", "p1", t0.Add(5*day)), step{sample.Posted, t0.Add(6 * day)})
	edit := func(f func(*sample.Request)) sample.Request {
		q := good
		q.Events = slices.Clone(good.Events)
		q.ID = "r2"
		f(&q)
		return q
	}
	other := edit(func(q *sample.Request) { q.Creator, q.Events = "budi", nil })
	_, err := sample.FulfilmentRate([]sample.Request{good, other}, "aisyah", w)
	require.NoError(t, err, "another creator's requests are not checked")
	for name, tc := range map[string]struct {
		bad   sample.Request
		field string
	}{
		"given twice":          {good, "requests[1].id"},
		"no ID":                {edit(func(q *sample.Request) { q.ID = "" }), "requests[1].id"},
		"unknown market":       {edit(func(q *sample.Request) { q.Market = "XX" }), "requests[1].market"},
		"no events":            {edit(func(q *sample.Request) { q.Events = nil }), "requests[1].events"},
		"answer window lost":   {edit(func(q *sample.Request) { q.Events[0].Due = time.Time{} }), "requests[1].events"},
		"posted before asking": {edit(func(q *sample.Request) { q.Events[len(q.Events)-1].At = t0.Add(-day) }), "requests[1].events[4].at"},
		"content due lost":     {edit(func(q *sample.Request) { q.Events[3].Due = time.Time{} }), "requests[1].events[3].due"},
		"unknown event":        {edit(func(q *sample.Request) { q.Events = append(q.Events, sample.Event{Kind: 99, At: at}) }), "requests[1].events[5].kind"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sample.FulfilmentRate([]sample.Request{good, tc.bad}, "aisyah", w)
			badInput(t, err, tc.field)
			_, err = rule.Fulfilment([]sample.Request{good, tc.bad}, "aisyah", at)
			badInput(t, err, tc.field)
		})
	}
	// 40 of the creator's requests, past the number from which repeats are found by a map, and
	// one more repeating requests[4].
	var many []sample.Request
	for i := range 40 {
		many = append(many, edit(func(q *sample.Request) { q.ID = fmt.Sprint("m", i) }))
		many = append(many, other)
	}
	_, err = sample.FulfilmentRate(many, "aisyah", w)
	require.NoError(t, err)
	_, err = sample.FulfilmentRate(append(many, many[4]), "aisyah", w)
	badInput(t, err, "requests[80].id")
	require.ErrorContains(t, err, `requests[80].id "m2": is requests[4]'s too`)

	for _, bad := range []affrules.Period{{Start: at, End: t0}, {Start: time.Time{}, End: at}, {Start: t0, End: time.Date(2200, 1, 1, 0, 0, 0, 1, time.UTC)}} {
		_, err = sample.FulfilmentRate([]sample.Request{good}, "aisyah", bad)
		require.Error(t, err, "%v", bad)
		require.ErrorContains(t, err, "sample: window.")
	}
}

// SMP-8, MKT-6: an instant at either end of the bounds is rated: the policy's window is cut at
// 1900, and a window may end at the first instant of 2200, which it excludes.
func TestFulfilmentAtTheBounds_SMP8(t *testing.T) {
	for _, at := range []time.Time{time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		f, err := rule.Fulfilment(nil, "aisyah", at)
		require.NoError(t, err, "%v", at)
		require.Zero(t, f.Fulfilled+f.Overdue)
	}
}

// SMP-8: 100,000 bad requests are an error of bounded size: the first problems and a count of
// the others.
func TestFulfilmentRateManyBadRequests_SMP8(t *testing.T) {
	reqs := make([]sample.Request, 100_000)
	for i := range reqs {
		reqs[i] = sample.Request{Creator: "aisyah", Market: affrules.TH}
	}
	_, err := sample.FulfilmentRate(reqs, "aisyah", affrules.Period{Start: t0, End: t0.Add(day)})
	require.Error(t, err)
	require.Less(t, len(err.Error()), 50_000)
	require.ErrorContains(t, err, "sample: (more) 199900: problems past the first 100, not listed")
}
