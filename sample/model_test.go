package sample_test

import (
	"time"

	"github.com/affrules/affrules/sample"
)

// The plain reading of a request's events that the benchmarks' floors use (the store machine
// of package sampletest keeps the same model for its checks).

// happened reports whether an event at e (zero: none) had happened by t.
func happened(e, t time.Time) bool { return !e.IsZero() && !e.After(t) }

// mreq is the model of one request: the instants of what happened to it, kept as SPEC §6 tells
// them, from which its state and events follow.
type mreq struct {
	req                                                      sample.Request // as given, without events
	asked, answerBy                                          time.Time      // SMP-10: [asked, answerBy)
	approved, declined, shipped, delivered, extended, posted time.Time      // zero: not happened
	auto                                                     bool
	until                                                    time.Time // SMP-4: a Collaboration Plus request's end
	due, extDue                                              time.Time // SMP-9: at delivery, and after the extension
}

// state is SMP-6's state of the request at t.
func (x *mreq) state(t time.Time) sample.State {
	switch {
	case t.Before(x.asked):
		return 0
	case happened(x.declined, t):
		return sample.Rejected
	case !happened(x.approved, t) && t.Before(x.answerBy):
		return sample.Requested
	case !happened(x.approved, t):
		return sample.Expired
	case happened(x.posted, t):
		return sample.Fulfilled
	case happened(x.delivered, t):
		if t.Before(x.deadline(t)) {
			return sample.Delivered
		}
		return sample.Overdue
	case happened(x.shipped, t):
		return sample.Shipped
	}
	return sample.ToShip
}

// deadline is the content deadline in force at t (SMP-4, SMP-9).
func (x *mreq) deadline(t time.Time) time.Time {
	if happened(x.extended, t) {
		return x.extDue
	}
	return x.due
}

// ended returns when the request became fulfilled or overdue, and which, or false if it had
// not by t (SMP-8).
func (x *mreq) ended(t time.Time) (time.Time, sample.State, bool) {
	switch s := x.state(t); s {
	case sample.Fulfilled:
		return x.posted, s, true
	case sample.Overdue:
		d := x.deadline(t)
		if x.delivered.After(d) {
			d = x.delivered
		}
		return d, s, true
	}
	return time.Time{}, 0, false
}
