package sample_test

import (
	"fmt"
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

	f, o, rate, ok := sample.FulfilmentRate(reqs, "aisyah", december)
	require.True(t, ok)
	require.Equal(t, int64(2), f)
	require.Equal(t, int64(1), o)
	num, den := rate.Ratio()
	require.Equal(t, [2]int64{2, 3}, [2]int64{num, den}, "exact: 2/3, not a rounded percentage")
	require.Equal(t, affrules.RatioValue, rate.Kind())
	require.Equal(t, affrules.MustParseRate("66.6666666%"), rate.Rate(), "usable as level's SampleFulfilment")

	f, o, rate, ok = sample.FulfilmentRate(reqs, "aisyah", affrules.Period{Start: january, End: january.AddDate(0, 1, 0)})
	require.True(t, ok)
	require.Equal(t, [2]int64{1, 2}, [2]int64{f, o}, "January: x1 fulfilled; x2 overdue at its first instant, n1 on 4 January")
	num, den = rate.Ratio()
	require.Equal(t, [2]int64{1, 3}, [2]int64{num, den})

	f, o, rate, ok = sample.FulfilmentRate(reqs, "budi", december)
	require.True(t, ok)
	require.Equal(t, "1/1 100% (1/1)", fmt.Sprint(f, "/", f+o, " ", rate))

	for name, w := range map[string]affrules.Period{
		"November":    {Start: time.Date(2026, 11, 1, 0, 0, 0, 0, kl), End: december.Start},
		"EmptyWindow": {Start: january, End: january},
	} {
		f, o, rate, ok := sample.FulfilmentRate(reqs, "aisyah", w)
		require.False(t, ok, name)
		require.Zero(t, f+o, name)
		require.True(t, rate.IsZero(), "%s: the rate is undefined", name)
	}
	_, _, _, ok = sample.FulfilmentRate(nil, "aisyah", december)
	require.False(t, ok, "no requests")
	_, _, _, ok = sample.FulfilmentRate(reqs, "cara", december)
	require.False(t, ok, "a creator without requests")
}

// SMP-8, SMP-4: a Collaboration Plus sample delivered after the collaboration's end is overdue
// from its delivery, and counts in the window of the delivery.
func TestFulfilmentRateLateCollabPlus_SMP8(t *testing.T) {
	end := time.Date(2026, 12, 31, 20, 0, 0, 0, kl)
	req := made(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), sample.Facts{Until: end}, t0)
	req = walk(t, rule, req, step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, january.Add(2 * day)})
	december := affrules.Period{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, kl), End: january}
	_, _, _, ok := sample.FulfilmentRate([]sample.Request{req}, "aisyah", december)
	require.False(t, ok, "in December the sample had not arrived")
	f, o, _, ok := sample.FulfilmentRate([]sample.Request{req}, "aisyah", affrules.Period{Start: january, End: january.AddDate(0, 1, 0)})
	require.True(t, ok, "counted in January, when it arrived overdue")
	require.Equal(t, [2]int64{0, 1}, [2]int64{f, o})
}
