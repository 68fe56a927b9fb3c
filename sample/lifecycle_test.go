package sample_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// inState returns a direct request of aisyah for serum made at t0 that is in state s at the
// instant returned, with the events it needs.
func inState(t *testing.T, s sample.State) (sample.Request, time.Time) {
	t.Helper()
	req := ask(t, "r1", "aisyah", "serum", t0)
	h := time.Hour
	switch s {
	case sample.Requested:
		return req, t0.Add(h)
	case sample.Rejected:
		return walk(t, rule, req, step{sample.Declined, t0.Add(h)}), t0.Add(2 * h)
	case sample.Expired:
		return req, t0.Add(7 * day)
	case sample.ToShip:
		return walk(t, rule, req, step{sample.Approved, t0.Add(h)}), t0.Add(2 * h)
	case sample.Shipped:
		return walk(t, rule, req, step{sample.Approved, t0.Add(h)}, step{sample.ShippedEvent, t0.Add(2 * h)}), t0.Add(3 * h)
	case sample.Delivered:
		return delivered(t, "r1", "serum", t0.Add(2*day)), t0.Add(3 * day)
	case sample.Fulfilled:
		return walk(t, rule, delivered(t, "r1", "serum", t0.Add(2*day)), step{sample.Posted, t0.Add(3 * day)}), t0.Add(4 * day)
	case sample.Overdue:
		return delivered(t, "r1", "serum", t0.Add(2*day)), t0.Add(16 * day)
	}
	t.Fatalf("no request in state %v", s)
	return sample.Request{}, time.Time{}
}

var (
	allStates = []sample.State{sample.Requested, sample.Rejected, sample.Expired, sample.ToShip, sample.Shipped, sample.Delivered, sample.Fulfilled, sample.Overdue}
	allEvents = []sample.EventKind{sample.Approved, sample.Declined, sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted}
)

// SMP-6: every event in every state. The allowed transitions are requested → to ship (approved)
// or rejected (declined), to ship → shipped, shipped → delivered, delivered → delivered
// (extended) or fulfilled (posted); every other event is refused with an *affrules.Refusal
// naming the state, the state the event needs and the event, and the request is returned as
// given. Content after the deadline of a direct sample is SMP-9's refusal, naming the deadline.
func TestTransitions_SMP6(t *testing.T) {
	next := map[sample.State]map[sample.EventKind]sample.State{
		sample.Requested: {sample.Approved: sample.ToShip, sample.Declined: sample.Rejected},
		sample.ToShip:    {sample.ShippedEvent: sample.Shipped},
		sample.Shipped:   {sample.DeliveredEvent: sample.Delivered},
		sample.Delivered: {sample.Extended: sample.Delivered, sample.Posted: sample.Fulfilled},
	}
	needs := map[sample.EventKind]sample.State{
		sample.Approved: sample.Requested, sample.Declined: sample.Requested, sample.ShippedEvent: sample.ToShip,
		sample.DeliveredEvent: sample.Shipped, sample.Extended: sample.Delivered, sample.Posted: sample.Delivered,
	}
	allowed := 0
	for _, s := range allStates {
		for _, k := range allEvents {
			t.Run(s.String()+"/"+k.String(), func(t *testing.T) {
				req, at := inState(t, s)
				require.Equal(t, s, req.StateAt(at))
				before := snapshot(req)
				got, err := rule.Record(req, k, at)
				if diff := cmp.Diff(before, req); diff != "" {
					t.Fatalf("Record changed the request given (-before +after):\n%s", diff)
				}
				want, ok := next[s][k]
				switch {
				case ok:
					allowed++
					require.NoError(t, err)
					require.Equal(t, want, got.StateAt(at))
					require.Len(t, got.Events, len(req.Events)+1)
					last := got.Events[len(got.Events)-1]
					require.Equal(t, k, last.Kind)
					require.True(t, last.At.Equal(at))
				case s == sample.Overdue && k == sample.Posted:
					r := refused(t, err, "posted", "r1")
					require.Equal(t, []string{"SMP-9 sample.smp4.late"}, reasonKeys(r.Decision))
					instant(t, t0.Add(16*day), r.Decision.Reasons[0].Limit, "the deadline")
					instant(t, at, r.Decision.Reasons[0].Observed, "the post")
					require.Equal(t, req, got)
				default:
					wrongState(t, err, "r1", k, s, needs[k])
					require.Equal(t, req, got, "a refused event returns the request as given")
				}
			})
		}
	}
	require.Equal(t, 6, allowed, "every allowed transition tried")
}

// snapshot returns a deep copy of r.
func snapshot(r sample.Request) sample.Request {
	r.Events = slices.Clone(r.Events)
	return r
}

// SMP-6, SMP-9, SMP-4: a whole life, with the state at every instant that matters.
func TestLifecycle_SMP6(t *testing.T) {
	req := ask(t, "r1", "aisyah", "serum", t0)
	approved, shipped, arrived, posted := t0.Add(time.Hour), t0.Add(day), t0.Add(3*day), t0.Add(10*day)
	req = walk(t, rule, req, step{sample.Approved, approved}, step{sample.ShippedEvent, shipped}, step{sample.DeliveredEvent, arrived}, step{sample.Posted, posted})
	want := []sample.Event{
		{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)},
		{Kind: sample.Approved, At: approved},
		{Kind: sample.ShippedEvent, At: shipped},
		{Kind: sample.DeliveredEvent, At: arrived, Due: arrived.Add(14 * day)},
		{Kind: sample.Posted, At: posted},
	}
	if diff := cmp.Diff(want, req.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		at   time.Time
		want sample.State
	}{
		{t0.Add(-time.Nanosecond), 0},
		{t0, sample.Requested},
		{approved.Add(-time.Nanosecond), sample.Requested},
		{approved, sample.ToShip},
		{shipped, sample.Shipped},
		{arrived.Add(-time.Nanosecond), sample.Shipped},
		{arrived, sample.Delivered},
		{posted.Add(-time.Nanosecond), sample.Delivered},
		{posted, sample.Fulfilled},
		{t0.Add(7 * day), sample.Delivered},       // past the answer window: answered
		{arrived.Add(30 * day), sample.Fulfilled}, // past the deadline: posted in time
	} {
		require.Equal(t, c.want, req.StateAt(c.at), "at %v", c.at)
	}
}

// SMP-9: content is due exactly 14 × 24 h after delivery: at the last nanosecond the sample is
// delivered and content is recorded; at the deadline it is overdue and content is refused,
// citing SMP-9. One
// extension of 7 × 24 h, before the deadline, moves it to delivery + 21 × 24 h; a second is
// refused. ContentDays and ExtensionDays are policy.
func TestContentDeadline_SMP9(t *testing.T) {
	arrived := t0.Add(2 * day)
	due := arrived.Add(14 * day)
	req := delivered(t, "r1", "serum", arrived)
	require.True(t, req.Events[len(req.Events)-1].Due.Equal(due))
	require.Equal(t, sample.Delivered, req.StateAt(due.Add(-time.Nanosecond)))
	require.Equal(t, sample.Overdue, req.StateAt(due))
	require.Equal(t, sample.Fulfilled, record(t, rule, req, sample.Posted, due.Add(-time.Nanosecond)).StateAt(due))
	_, err := rule.Record(req, sample.Posted, due)
	r := refused(t, err, "posted", "r1")
	require.Equal(t, []string{"SMP-9 sample.smp4.late"}, reasonKeys(r.Decision), "a direct sample's deadline is SMP-9's")
	instant(t, due, r.Decision.Reasons[0].Limit, "deadline")

	// The extension, asked for at the last nanosecond before the deadline.
	extended := record(t, rule, req, sample.Extended, due.Add(-time.Nanosecond))
	end := due.Add(7 * day)
	require.Equal(t, sample.Event{Kind: sample.Extended, At: due.Add(-time.Nanosecond), Due: end}, extended.Events[len(extended.Events)-1])
	require.Equal(t, sample.Delivered, extended.StateAt(due), "the old deadline no longer applies")
	require.Equal(t, sample.Delivered, extended.StateAt(end.Add(-time.Nanosecond)))
	require.Equal(t, sample.Overdue, extended.StateAt(end), "overdue at the extension's end")
	require.Equal(t, sample.Fulfilled, record(t, rule, extended, sample.Posted, end.Add(-time.Nanosecond)).StateAt(end))
	_, err = rule.Record(extended, sample.Posted, end)
	r = refused(t, err, "posted", "r1")
	require.Equal(t, []string{"SMP-9 sample.smp4.late"}, reasonKeys(r.Decision))
	instant(t, end, r.Decision.Reasons[0].Limit, "the extended deadline")

	_, err = rule.Record(extended, sample.Extended, due)
	r = refused(t, err, "extended", "r1")
	want := []affrules.Reason{{Rule: sample.RuleContentDue, Key: "sample.smp9.extended", Observed: affrules.Instant(due.Add(-time.Nanosecond)), Subject: "r1"}}
	if diff := cmp.Diff(want, r.Decision.Reasons); diff != "" {
		t.Errorf("second extension (-want +got):\n%s", diff)
	}
	_, err = rule.Record(req, sample.Extended, due)
	wrongState(t, err, "r1", sample.Extended, sample.Overdue, sample.Delivered)

	// Policy: content due 3 days after delivery, extended by 1.
	short := mustRule(policyWith(func(p *sample.Policy) { p.ContentDays, p.ExtensionDays = 3, 1 }))
	q := walk(t, short, made(t, short, sample.History{}, direct("r2", "aisyah", "toner"), sample.Facts{AutoApprove: true, Band: "band_1"}, t0),
		step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, arrived})
	require.Equal(t, sample.Overdue, q.StateAt(arrived.Add(3*day)))
	q = record(t, short, q, sample.Extended, arrived.Add(day))
	require.Equal(t, sample.Delivered, q.StateAt(arrived.Add(4*day-time.Nanosecond)))
	require.Equal(t, sample.Overdue, q.StateAt(arrived.Add(4*day)))
}

// SMP-4: a Collaboration Plus sample is due by the collaboration's end however late it arrives:
// delivered 2 days before the end, its deadline is the end (not 14 days later), content is
// recorded until the end's last nanosecond, it is overdue at the end (content then is refused
// citing SMP-4), and it cannot be extended. Delivered after the end, it is overdue at once.
func TestCollabPlusDeadline_SMP4(t *testing.T) {
	end := t0.Add(20 * day)
	req := made(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(end), t0)
	arrived := end.Add(-2 * day)
	req = walk(t, rule, req, step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, arrived})
	require.Equal(t, sample.Event{Kind: sample.DeliveredEvent, At: arrived, Due: end}, req.Events[len(req.Events)-1])
	require.Equal(t, sample.Delivered, req.StateAt(end.Add(-time.Nanosecond)))
	require.Equal(t, sample.Overdue, req.StateAt(end))
	require.Equal(t, sample.Overdue, req.StateAt(arrived.Add(14*day-time.Nanosecond)), "not 14 days after delivery")
	require.Equal(t, sample.Fulfilled, record(t, rule, req, sample.Posted, end.Add(-time.Nanosecond)).StateAt(end))
	_, err := rule.Record(req, sample.Posted, end)
	r := refused(t, err, "posted", "r1")
	require.Equal(t, []string{"SMP-4 sample.smp4.late"}, reasonKeys(r.Decision), "a Collaboration Plus sample's deadline is SMP-4's")
	instant(t, end, r.Decision.Reasons[0].Limit, "the collaboration's end")
	instant(t, end, r.Decision.Reasons[0].Observed, "the post")

	got, err := rule.Record(req, sample.Extended, arrived.Add(time.Hour))
	r = refused(t, err, "extended", "r1")
	require.Equal(t, []affrules.Reason{{Rule: sample.RuleDeadline, Key: "sample.smp4.no_extension", Subject: "r1"}}, r.Decision.Reasons)
	require.Equal(t, req, got)

	late := made(t, rule, sample.History{}, inCollab("r2", "aisyah", "toner", "cp-1"), offering(end), t0)
	late = walk(t, rule, late, step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, end.Add(day)})
	require.Equal(t, sample.Overdue, late.StateAt(end.Add(day)), "delivered after the end")
	require.Equal(t, sample.Shipped, late.StateAt(end.Add(day-time.Nanosecond)))
}

// SMP-6: events are recorded in order. An event dated before the request's last event is bad
// input naming "at", and nothing is recorded: the request is returned as given, and the ledger
// keeps what it had. An event at the same instant as the last is in order.
func TestEventsOutOfOrder_SMP6(t *testing.T) {
	req := walk(t, rule, ask(t, "r1", "aisyah", "serum", t0), step{sample.Approved, t0.Add(time.Hour)})
	got, err := rule.Record(req, sample.ShippedEvent, t0.Add(time.Hour-time.Nanosecond))
	badInput(t, err, "at")
	require.Equal(t, req, got)
	record(t, rule, req, sample.ShippedEvent, t0.Add(time.Hour))

	m := sample.NewMemory()
	_, _, err = m.Request(ctx, rule, direct("r1", "aisyah", "serum"), sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
	require.NoError(t, err)
	_, err = m.Record(ctx, rule, "r1", sample.ShippedEvent, t0.Add(2*day))
	require.NoError(t, err)
	before, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	for _, at := range []time.Time{t0.Add(day), t0, t0.Add(-day)} {
		got, err := m.Record(ctx, rule, "r1", sample.DeliveredEvent, at)
		badInput(t, err, "at")
		require.Equal(t, sample.Request{}, got)
	}
	after, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("an event out of order changed the ledger (-before +after):\n%s", diff)
	}

	// A request not made by Decide, and an event that is not one.
	_, err = rule.Record(direct("r9", "aisyah", "serum"), sample.Approved, t0)
	badInput(t, err, "request.events")
	for _, k := range []sample.EventKind{0, sample.Asked, sample.Posted + 1} {
		_, err = rule.Record(req, k, t0.Add(2*time.Hour))
		badInput(t, err, "event")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
}

// SMP-6, SMP-9, SMP-4: Record checks the whole history it is given, as a host may have stored
// and read it back: the request first with its answer window, then events in order of time and
// of the lifecycle, each with the deadline it carries. A history the rules could not have
// recorded is bad input naming the event, and the request is returned as given.
func TestRecordChecksHistory_SMP6(t *testing.T) {
	later := t0.Add(30 * day)
	base := delivered(t, "r1", "serum", t0.Add(2*day)) // asked, approved, shipped, delivered
	end := t0.Add(20 * day)
	collab := walk(t, rule, made(t, rule, sample.History{}, inCollab("r2", "aisyah", "toner", "cp-1"), offering(end), t0), step{sample.ShippedEvent, t0.Add(day)})
	tamper := func(r sample.Request, f func(evs []sample.Event) []sample.Event) sample.Request {
		r = snapshot(r)
		r.Events = f(r.Events)
		return r
	}
	tests := []struct {
		name  string
		req   sample.Request
		k     sample.EventKind
		field string
	}{
		{"NoAnswerWindow", tamper(base, func(e []sample.Event) []sample.Event { e[0].Due = time.Time{}; return e }), sample.Posted, "request.events"},
		{"AnswerWindowBeforeRequest", tamper(base, func(e []sample.Event) []sample.Event { e[0].Due = e[0].At; return e }), sample.Posted, "request.events"},
		{"NotStartingWithTheRequest", tamper(base, func(e []sample.Event) []sample.Event { return e[1:] }), sample.Posted, "request.events"},
		{"OutOfTimeOrder", tamper(base, func(e []sample.Event) []sample.Event { e[2].At = e[1].At.Add(-time.Nanosecond); return e }), sample.Posted, "request.events[2].at"},
		{"ShippedUnapproved", tamper(base, func(e []sample.Event) []sample.Event { return append(e[:1], e[2:]...) }), sample.Posted, "request.events[1].kind"},
		{"ApprovedAfterDeclined", tamper(base, func(e []sample.Event) []sample.Event {
			return []sample.Event{e[0], {Kind: sample.Declined, At: e[1].At}, e[1]}
		}), sample.ShippedEvent, "request.events[2].kind"},
		{"AskedTwice", tamper(base, func(e []sample.Event) []sample.Event { return append(e[:1], e...) }), sample.Posted, "request.events[1].kind"},
		{"DeliveredWithoutDeadline", tamper(base, func(e []sample.Event) []sample.Event { e[3].Due = time.Time{}; return e }), sample.Posted, "request.events[3].due"},
		{"DeliveredDueAtDelivery", tamper(base, func(e []sample.Event) []sample.Event { e[3].Due = e[3].At; return e }), sample.Posted, "request.events[3].due"},
		{"ExtendedWithoutDeadline", tamper(base, func(e []sample.Event) []sample.Event {
			return append(e, sample.Event{Kind: sample.Extended, At: e[3].At.Add(day)})
		}), sample.Posted, "request.events[4].due"},
		{"CollabPlusApprovedWithoutEnd", tamper(collab, func(e []sample.Event) []sample.Event { e[1].Due = time.Time{}; return e }), sample.DeliveredEvent, "request.events[1].due"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(tt.req)
			got, err := rule.Record(tt.req, tt.k, later)
			badInput(t, err, tt.field)
			require.Equal(t, before, got, "the request is returned as given")
		})
	}

	// What the rules record passes, a Collaboration Plus sample delivered after the
	// collaboration's end included: posting on it is refused by SMP-4, not bad input.
	record(t, rule, base, sample.Posted, t0.Add(3*day))
	late := record(t, rule, collab, sample.DeliveredEvent, end.Add(day))
	require.True(t, late.Events[3].Due.Before(late.Events[3].At), "due before the delivery")
	_, err := rule.Record(late, sample.Posted, end.Add(day))
	r := refused(t, err, "posted", "r2")
	require.Equal(t, []string{"SMP-4 sample.smp4.late"}, reasonKeys(r.Decision))
}

// SMP-6: StateAt is a pure function of the events and the instant: zero before the request,
// unchanged by repeated calls or by the order of calls, blind to events after the instant, and
// it changes nothing.
func TestStateAtPure_SMP6(t *testing.T) {
	arrived := t0.Add(3 * day)
	req := walk(t, rule, delivered(t, "r1", "serum", arrived), step{sample.Extended, arrived.Add(13 * day)})
	before := snapshot(req)
	instants := []time.Time{t0.Add(-time.Nanosecond), t0, t0.Add(time.Hour), arrived, arrived.Add(14 * day), arrived.Add(21 * day), arrived.Add(-day)}
	first := make([]sample.State, len(instants))
	for i, at := range instants {
		first[i] = req.StateAt(at)
	}
	require.Equal(t, sample.State(0), first[0], "before the request")
	for i := len(instants) - 1; i >= 0; i-- {
		require.Equal(t, first[i], req.StateAt(instants[i]), "at %v, asked again in reverse order", instants[i])
		upTo := snapshot(req)
		upTo.Events = slices.DeleteFunc(upTo.Events, func(e sample.Event) bool { return e.At.After(instants[i]) })
		require.Equal(t, first[i], upTo.StateAt(instants[i]), "at %v, with only the events up to it", instants[i])
	}
	require.Equal(t, before, req, "StateAt changed the request")
	require.Equal(t, sample.State(0), sample.Request{}.StateAt(t0), "no events, no state")
}

// SMP-6 through a ledger: Record applies the rule given to the request held, and an event the
// rule refuses records nothing.
func TestRecordThroughLedger_SMP6(t *testing.T) {
	m := sample.NewMemory()
	_, _, err := m.Request(ctx, rule, direct("r1", "aisyah", "serum"), band1, t0)
	require.NoError(t, err)
	_, err = m.Record(ctx, rule, "r1", sample.ShippedEvent, t0.Add(time.Hour))
	wrongState(t, err, "r1", sample.ShippedEvent, sample.Requested, sample.ToShip)
	got, err := m.Record(ctx, rule, "r1", sample.Approved, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, sample.ToShip, got.StateAt(t0.Add(time.Hour)))
	held, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Equal(t, []sample.Request{got}, held)

	_, err = m.Record(ctx, rule, "nope", sample.Approved, t0.Add(time.Hour))
	require.ErrorIs(t, err, sample.ErrNotFound)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = m.Record(cancelled, rule, "r1", sample.ShippedEvent, t0.Add(2*time.Hour))
	require.ErrorIs(t, err, context.Canceled)
	held, err = m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Equal(t, []sample.Request{got}, held)
}
