package collabplus

import (
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// State is where a collaboration stands at an instant (CP-7). The zero value is [Draft].
type State uint8

// The states of CP-7.
const (
	// Draft: being prepared; the seller may edit it.
	Draft State = iota
	// PendingPayment: submitted, waiting for payment until its deadline; no edits.
	PendingPayment
	// Expired: not paid by the deadline. Final.
	Expired
	// Paid: paid (published) and scheduled; it may still be recalled before it starts.
	Paid
	// Ongoing: from the period's start to its end; creators join; it cannot be cancelled.
	Ongoing
	// Ended: from the period's end on. Final.
	Ended
	// Recalled: paid, then recalled before its start; the deposit is refunded. Final.
	Recalled
)

var stateNames = enum.Names[State]{"draft", "pending_payment", "expired", "paid", "ongoing", "ended", "recalled"}

// String returns the state's name, such as "pending_payment".
func (s State) String() string { return stateNames.String("State", s) }

// MarshalText returns the state's name, or an error for an unknown one.
func (s State) MarshalText() ([]byte, error) {
	b, ok := stateNames.Text(s)
	if !ok {
		return nil, fielderr.New(pkg, "state", int(s), "%w", affrules.ErrOutOfRange)
	}
	return b, nil
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, ok := stateNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "state", strconv.Quote(string(b)), "must be one of %s", stateNames.List())
	}
	*s = v
	return nil
}

// EventKind is a lifecycle event's kind (CP-7). The zero value is not a kind.
type EventKind uint8

// Lifecycle events.
const (
	_ EventKind = iota
	// Submitted: the seller confirmed the collaboration and must pay by the event's Due.
	Submitted
	// PaidEvent: the seller paid; the collaboration is published.
	PaidEvent
	// RecalledEvent: the seller recalled the paid collaboration before its start.
	RecalledEvent
)

var eventNames = enum.Names[EventKind]{"", "submitted", "paid", "recalled"}

// String returns "submitted", "paid" or "recalled".
func (k EventKind) String() string { return eventNames.String("EventKind", k) }

// MarshalText returns the kind's name, or an error for an unknown one.
func (k EventKind) MarshalText() ([]byte, error) {
	if k < Submitted || k > RecalledEvent {
		return nil, fielderr.New(pkg, "event.kind", int(k), "%w", affrules.ErrOutOfRange)
	}
	b, _ := eventNames.Text(k)
	return b, nil
}

// UnmarshalText parses a kind's name.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, ok := eventNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "event.kind", strconv.Quote(string(b)), "must be submitted, paid or recalled")
	}
	*k = v
	return nil
}

// Event is one lifecycle event of a collaboration (CP-7), recorded by [Evaluator.Apply].
type Event struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	// Due is, for [Submitted], the end of the payment window [At, Due) (CP-7).
	Due time.Time `json:"due,omitzero" strict:"optional"`
	// Method is, for [PaidEvent], how the seller paid (CP-7).
	Method string `json:"method,omitempty" strict:"optional"`
}

// event returns the collaboration's last event of kind k at or before t, if any.
func (c Collaboration) event(k EventKind, t time.Time) (Event, bool) {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if ev := c.Events[i]; ev.Kind == k && !ev.At.After(t) {
			return ev, true
		}
	}
	return Event{}, false
}

// StateAt returns the collaboration's state at instant at (CP-7), a pure function of its
// events and the instant: [Draft] before it is submitted; [PendingPayment] in the payment window;
// [Expired] from the window's end when it was not paid in it; [Paid] until the period starts,
// unless [Recalled] before; [Ongoing] during the period; [Ended] from its end.
func (c Collaboration) StateAt(at time.Time) State {
	sub, ok := c.event(Submitted, at)
	if !ok {
		return Draft
	}
	if _, ok := c.event(PaidEvent, at); !ok {
		if at.Before(sub.Due) {
			return PendingPayment
		}
		return Expired
	}
	if _, ok := c.event(RecalledEvent, at); ok {
		return Recalled
	}
	p := c.Terms().Period
	switch {
	case at.Before(p.Start):
		return Paid
	case at.Before(p.End):
		return Ongoing
	}
	return Ended
}

// Published returns when the collaboration was paid (CP-7: published = paid), if it was by at.
func (c Collaboration) Published(at time.Time) (time.Time, bool) {
	ev, ok := c.event(PaidEvent, at)
	return ev.At, ok
}

// checkEvents reports, as bad input, events that [Evaluator.Apply] could not have recorded
// (CP-7): a kind that is none of the three, an instant out of bounds, events out of order, a
// first event other than the submission, a second submission, payment or recall, a payment
// dated outside its window [submitted, due) or from the period's start on, a recall not after a
// payment or from the start on. A collaboration a host built or stored by hand with such a log
// would read as a state the rules never allow, such as a recall while ongoing.
func (c *Collaboration) checkEvents() error {
	start := c.Terms().Period.Start
	var sub, paid, recalled *Event
	for i := range c.Events {
		ev := &c.Events[i]
		f := "collaboration.events[" + strconv.Itoa(i) + "]"
		if err := bounds.Instant(pkg, f+".at", ev.At); err != nil {
			return err
		}
		if i > 0 && ev.At.Before(c.Events[i-1].At) {
			return fielderr.New(pkg, f+".at", ev.At.Format(time.RFC3339Nano), "is before the event before it, at %s: events are recorded in order (%s)", c.Events[i-1].At.Format(time.RFC3339Nano), RuleLifecycle)
		}
		twice := func(what string) error {
			return fielderr.New(pkg, f+".kind", ev.Kind, "is a second %s: a collaboration has one (%s)", what, RuleLifecycle)
		}
		switch {
		case ev.Kind < Submitted || ev.Kind > RecalledEvent:
			return fielderr.New(pkg, f+".kind", int(ev.Kind), "must be submitted, paid or recalled: %w", affrules.ErrOutOfRange)
		case ev.Kind != Submitted && sub == nil:
			return fielderr.New(pkg, f+".kind", ev.Kind, "comes before the submission: a collaboration is submitted first (%s)", RuleLifecycle)
		case ev.Kind == Submitted && sub != nil:
			return twice("submission")
		case ev.Kind == Submitted: // its deadline may fall from 2200 on (payment_hours after a late submission)
			if !ev.Due.After(ev.At) {
				return fielderr.New(pkg, f+".due", ev.Due.Format(time.RFC3339Nano), "must be after the submission at %s: the payment window is [submitted, due) (%s)", ev.At.Format(time.RFC3339Nano), RuleLifecycle)
			}
			sub = ev
		case ev.Kind == PaidEvent && paid != nil:
			return twice("payment")
		case ev.Kind == PaidEvent:
			if !ev.At.Before(sub.Due) {
				return fielderr.New(pkg, f+".at", ev.At.Format(time.RFC3339Nano), "is not before the payment deadline %s: the collaboration had expired (%s)", sub.Due.Format(time.RFC3339Nano), RuleLifecycle)
			}
			if !ev.At.Before(start) {
				return fielderr.New(pkg, f+".at", ev.At.Format(time.RFC3339Nano), "is not before the period's start %s: payment comes before it (%s)", start.Format(time.RFC3339Nano), RuleLifecycle)
			}
			paid = ev
		case recalled != nil:
			return twice("recall")
		case paid == nil:
			return fielderr.New(pkg, f+".kind", ev.Kind, "comes before the payment: only a paid collaboration is recalled (%s)", RuleLifecycle)
		default:
			if !ev.At.Before(start) {
				return fielderr.New(pkg, f+".at", ev.At.Format(time.RFC3339Nano), "is not before the period's start %s: an ongoing collaboration cannot be recalled (%s)", start.Format(time.RFC3339Nano), RuleLifecycle)
			}
			recalled = ev
		}
	}
	return nil
}
