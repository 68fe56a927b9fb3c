package sample

import (
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// Source says where a free-sample request comes from. The zero value is not a source.
type Source uint8

// Sources.
const (
	_ Source = iota
	// Direct is a creator's request to the seller (SMP-1): approved by the seller, or
	// automatically when the seller's setting says so.
	Direct
	// Campaign is a partner's request for a creator in an affiliate partner campaign (SMP-2):
	// auto-approved up to the product's sample quantity.
	Campaign
	// CollabPlus is a member's request in a Collaboration Plus offering free samples (SMP-3):
	// pre-approved, straight to "to ship".
	CollabPlus
)

var sourceNames = enum.Names[Source]{"", "direct", "campaign", "collab_plus"}

// String returns "direct", "campaign" or "collab_plus".
func (s Source) String() string { return sourceNames.String("Source", s) }

// MarshalText returns the source's name, or an error for an unknown one.
func (s Source) MarshalText() ([]byte, error) {
	if s < Direct || s > CollabPlus {
		return nil, fielderr.New(pkg, "source", int(s), "%w", affrules.ErrOutOfRange)
	}
	b, _ := sourceNames.Text(s)
	return b, nil
}

// UnmarshalText parses a source's name.
func (s *Source) UnmarshalText(b []byte) error {
	v, ok := sourceNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "source", strconv.Quote(string(b)), "must be direct, campaign or collab_plus")
	}
	*s = v
	return nil
}

// State is where a request stands at an instant (SMP-6). The zero value is not a state.
type State uint8

// States (SMP-6): requested → approved (to ship) / rejected, or expired unanswered; to ship →
// shipped → delivered → fulfilled, or overdue when the content deadline passes without content.
const (
	_ State = iota
	Requested
	Rejected
	Expired
	ToShip
	Shipped
	Delivered
	Fulfilled
	Overdue
)

var stateNames = enum.Names[State]{"", "requested", "rejected", "expired", "to_ship", "shipped", "delivered", "fulfilled", "overdue"}

// String returns the state's name, such as "to_ship".
func (s State) String() string { return stateNames.String("State", s) }

// MarshalText returns the state's name, or an error for an unknown one.
func (s State) MarshalText() ([]byte, error) {
	if s < Requested || s > Overdue {
		return nil, fielderr.New(pkg, "state", int(s), "%w", affrules.ErrOutOfRange)
	}
	b, _ := stateNames.Text(s)
	return b, nil
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, ok := stateNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "state", strconv.Quote(string(b)), "must be one of %s", stateNames.List()[2:])
	}
	*s = v
	return nil
}

// final reports whether s is a final state: nothing follows it.
func (s State) final() bool {
	return s == Rejected || s == Expired || s == Fulfilled || s == Overdue
}

// EventKind is the kind of one event of a request (SMP-6). The zero value is not a kind.
type EventKind uint8

// Events.
const (
	_ EventKind = iota
	// Asked: the request was made; Due is the end of the seller's answer window (SMP-10).
	Asked
	// Approved: the request was approved, by the seller or automatically (Auto).
	Approved
	// Declined: the seller rejected the request.
	Declined
	// ShippedEvent: the sample was shipped.
	ShippedEvent
	// DeliveredEvent: the sample was delivered; Due is when content is due (SMP-4, SMP-9).
	DeliveredEvent
	// Extended: the content deadline was extended once; Due is the new deadline (SMP-9).
	Extended
	// Posted: the creator posted content with the sample.
	Posted
)

var eventNames = enum.Names[EventKind]{"", "asked", "approved", "declined", "shipped", "delivered", "extended", "posted"}

// String returns the event kind's name.
func (k EventKind) String() string { return eventNames.String("EventKind", k) }

// MarshalText returns the kind's name, or an error for an unknown one.
func (k EventKind) MarshalText() ([]byte, error) {
	if k < Asked || k > Posted {
		return nil, fielderr.New(pkg, "event.kind", int(k), "%w", affrules.ErrOutOfRange)
	}
	b, _ := eventNames.Text(k)
	return b, nil
}

// UnmarshalText parses a kind's name.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, ok := eventNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "event.kind", strconv.Quote(string(b)), "must be one of %s", eventNames.List()[2:])
	}
	*k = v
	return nil
}

// Event is one event of a request, recorded by the rules.
type Event struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	// Due is, for [Asked], the end of the answer window; for [DeliveredEvent] and [Extended],
	// when content is due; for the [Approved] event of a Collaboration Plus request, the
	// collaboration's end, which its delivery takes as the content deadline (SMP-4).
	Due time.Time `json:"due,omitzero" strict:"optional"`
	// Auto says an [Approved] event was automatic (SMP-1, SMP-2, SMP-3).
	Auto bool `json:"auto,omitempty" strict:"optional"`
}

// Request is a free-sample request with its events. A host gives ID, Seller, Creator, Product,
// Market, Source and, for a campaign or collaboration, Context; the rules record the events.
type Request struct {
	ID      string              `json:"id"`
	Seller  string              `json:"seller"`
	Creator string              `json:"creator"`
	Product string              `json:"product"`
	Market  affrules.MarketCode `json:"market"`
	Source  Source              `json:"source"`
	// Context is the campaign (Campaign) or the collaboration (CollabPlus) the request is
	// made in; empty for a direct request.
	Context string `json:"context,omitempty" strict:"optional"`
	// Partner is the partner requesting for the creator in a partner campaign.
	Partner string  `json:"partner,omitempty" strict:"optional"`
	Events  []Event `json:"events,omitempty" strict:"optional"`
}

// last returns the last event of kind k at or before t.
func (r Request) last(k EventKind, t time.Time) (Event, bool) {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if e := r.Events[i]; e.Kind == k && !e.At.After(t) {
			return e, true
		}
	}
	return Event{}, false
}

// StateAt returns the request's state at instant at (SMP-6), a pure function of its events and
// the instant; zero before it was made. An unanswered request expires at the end of the answer window
// (SMP-10); a delivered sample without content is overdue from its content deadline (SMP-4,
// SMP-9), the latest Due of its delivery and extension.
func (r Request) StateAt(at time.Time) State {
	asked, ok := r.last(Asked, at)
	if !ok {
		return 0
	}
	if _, ok := r.last(Declined, at); ok {
		return Rejected
	}
	if _, ok := r.last(Approved, at); !ok {
		if at.Before(asked.Due) {
			return Requested
		}
		return Expired
	}
	if _, ok := r.last(Posted, at); ok {
		return Fulfilled
	}
	d, delivered := r.last(DeliveredEvent, at)
	if !delivered {
		if _, ok := r.last(ShippedEvent, at); ok {
			return Shipped
		}
		return ToShip
	}
	if !at.Before(r.due(d, at)) {
		return Overdue
	}
	return Delivered
}

// due returns the content deadline in force at t: the delivery's, or the extension's.
func (r Request) due(d Event, t time.Time) time.Time {
	if x, ok := r.last(Extended, t); ok {
		return x.Due
	}
	return d.Due
}

// endedAt returns when the request reached its final state at or before t, and the state.
func (r Request) endedAt(t time.Time) (time.Time, State) {
	switch s := r.StateAt(t); s {
	case Rejected:
		e, _ := r.last(Declined, t)
		return e.At, s
	case Expired:
		e, _ := r.last(Asked, t)
		return e.Due, s
	case Fulfilled:
		e, _ := r.last(Posted, t)
		return e.At, s
	case Overdue:
		// Overdue from the deadline, or from the delivery if the sample arrived after it (a
		// Collaboration Plus sample delivered after the collaboration's end, SMP-4).
		d, _ := r.last(DeliveredEvent, t)
		if due := r.due(d, t); due.After(d.At) {
			return due, s
		}
		return d.At, s
	default:
		return time.Time{}, s
	}
}

// clone returns a deep copy of r.
func (r Request) clone() Request {
	r.Events = append([]Event(nil), r.Events...)
	return r
}
