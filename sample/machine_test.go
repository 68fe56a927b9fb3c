package sample_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/sample"
)

// sometimes draws true about once in n.
func sometimes(t *rapid.T, label string, n int) bool { return rapid.IntRange(1, n).Draw(t, label) == n }

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

// last is the instant of the request's last event.
func (x *mreq) last() time.Time {
	out := x.asked
	for _, e := range []time.Time{x.approved, x.declined, x.shipped, x.delivered, x.extended, x.posted} {
		if e.After(out) {
			out = e
		}
	}
	return out
}

// events are the events the rules must have recorded.
func (x *mreq) events() []sample.Event {
	out := []sample.Event{{Kind: sample.Asked, At: x.asked, Due: x.answerBy}}
	if !x.approved.IsZero() {
		out = append(out, sample.Event{Kind: sample.Approved, At: x.approved, Auto: x.auto, Due: x.until})
	}
	if !x.declined.IsZero() {
		out = append(out, sample.Event{Kind: sample.Declined, At: x.declined})
	}
	if !x.shipped.IsZero() {
		out = append(out, sample.Event{Kind: sample.ShippedEvent, At: x.shipped})
	}
	if !x.delivered.IsZero() {
		out = append(out, sample.Event{Kind: sample.DeliveredEvent, At: x.delivered, Due: x.due})
	}
	if !x.extended.IsZero() {
		out = append(out, sample.Event{Kind: sample.Extended, At: x.extended, Due: x.extDue})
	}
	if !x.posted.IsZero() {
		out = append(out, sample.Event{Kind: sample.Posted, At: x.posted})
	}
	return out
}

// want is the request the rules must have recorded.
func (x *mreq) want() sample.Request {
	r := x.req
	r.Events = x.events()
	return r
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

// machModel is the plain model of a ledger: every request made, in order, with the policy's
// rules written out one by one.
type machModel struct {
	p    sample.Policy
	reqs []*mreq
	byID map[string]*mreq
}

func (m *machModel) cap(band string) (int, bool) {
	for _, b := range m.p.Bands {
		if b.Name == band {
			return b.Cap, true
		}
	}
	return 0, false
}

// autoApproved counts the automatic approvals of req's product in req's campaign (SMP-2).
func (m *machModel) autoApproved(req sample.Request) int64 {
	var n int64
	for _, x := range m.reqs {
		if x.req.Source == sample.Campaign && x.req.Seller == req.Seller && x.req.Context == req.Context && x.req.Product == req.Product && x.auto {
			n++
		}
	}
	return n
}

// history is what a ledger must give Rule.Decide for req at at, built from the model and the
// requests as the rules recorded them (recorded).
func (m *machModel) history(req sample.Request, at time.Time, recorded map[string]sample.Request) sample.History {
	var h sample.History
	month := affrules.MonthOf(at, kl)
	for _, x := range m.reqs {
		if x.req.Creator != req.Creator {
			continue
		}
		if x.req.Seller == req.Seller && x.req.Product == req.Product {
			h.Product = append(h.Product, recorded[x.req.ID])
		}
		if month.Contains(x.asked) && (x.req.Source != sample.CollabPlus || m.p.CollabPlusCapped) {
			h.Month++
		}
		if req.Source == sample.CollabPlus && x.req.Source == sample.CollabPlus && x.req.Context == req.Context && x.req.Seller == req.Seller {
			h.InCollab++
		}
	}
	if req.Source == sample.Campaign {
		h.AutoApproved = m.autoApproved(req)
	}
	return h
}

// decide is SPEC §6 on a new request: bad input (among it a request while the creator's last
// request for the product is open, or made before that request's last event, SMP-10); or the
// reasons it is denied (SMP-2, SMP-3, SMP-10, SMP-11, SMP-12) and the instant it will be
// allowed when only time stands in the way; or the request made (SMP-1, SMP-2, SMP-3).
func (m *machModel) decide(req sample.Request, f sample.Facts, at time.Time) (bad bool, reasons []affrules.Reason, next time.Time, made *mreq) {
	capped := req.Source != sample.CollabPlus || m.p.CollabPlusCapped
	cap, known := m.cap(f.Band)
	if f.Quantity < 0 || capped && !known || req.Source == sample.CollabPlus && !f.Until.After(at) || req.Source == sample.Campaign && req.Partner == "" {
		return true, nil, time.Time{}, nil
	}
	for _, x := range m.reqs {
		if x.req.Creator != req.Creator || x.req.Seller != req.Seller || x.req.Product != req.Product {
			continue
		}
		switch x.state(at) {
		case sample.Requested, sample.ToShip, sample.Shipped, sample.Delivered: // SMP-10: open
			return true, nil, time.Time{}, nil
		}
		if x.last().After(at) { // requests are made in order
			return true, nil, time.Time{}, nil
		}
	}
	timeOnly := true
	month := affrules.MonthOf(at, kl)
	inMonth, inCollab := 0, 0
	for _, x := range m.reqs {
		if x.req.Creator != req.Creator {
			continue
		}
		if x.req.Seller == req.Seller && x.req.Product == req.Product {
			switch s := x.state(at); s {
			case sample.Rejected, sample.Expired: // SMP-10: the wait
				from := x.declined
				if s == sample.Expired {
					from = x.answerBy
				}
				if again := from.Add(affrules.Days(m.p.WaitDays)); at.Before(again) {
					reasons = append(reasons, affrules.Reason{Rule: "SMP-10", Key: "sample.smp10.wait", Observed: affrules.Text(s.String()), Limit: affrules.Instant(again), Subject: x.req.ID})
					if again.After(next) {
						next = again
					}
				}
			}
		}
		if month.Contains(x.asked) && (x.req.Source != sample.CollabPlus || m.p.CollabPlusCapped) {
			inMonth++
		}
		if req.Source == sample.CollabPlus && x.req.Source == sample.CollabPlus && x.req.Context == req.Context && x.req.Seller == req.Seller {
			inCollab++
		}
	}
	if capped && inMonth >= cap { // SMP-11
		reasons = append(reasons, affrules.Reason{Rule: "SMP-11", Key: "sample.smp11.cap", Observed: affrules.Count(int64(inMonth)), Limit: affrules.Count(int64(cap)), Subject: req.Creator})
		switch {
		case cap == 0:
			timeOnly = false
		case month.End.After(next):
			next = month.End
		}
	}
	if req.Source == sample.CollabPlus && !f.FreeSamples { // SMP-12
		reasons = append(reasons, affrules.Reason{Rule: "SMP-12", Key: "sample.smp12.not_offered", Subject: req.Context})
		timeOnly = false
	}
	if auto := m.autoApproved(req); req.Source == sample.Campaign && auto >= f.Quantity && m.p.OverQuantity == sample.OverQuantityReject { // SMP-2
		reasons = append(reasons, affrules.Reason{Rule: "SMP-2", Key: "sample.smp2.over_quantity", Observed: affrules.Count(auto), Limit: affrules.Count(f.Quantity), Subject: req.Product})
		timeOnly = false
	}
	if req.Source == sample.CollabPlus && inCollab >= m.p.CollabPlusFree { // SMP-3
		reasons = append(reasons, affrules.Reason{Rule: "SMP-3", Key: "sample.smp3.limit", Observed: affrules.Count(int64(inCollab)), Limit: affrules.Count(int64(m.p.CollabPlusFree)), Subject: req.Creator})
		timeOnly = false
	}
	if req.Source == sample.CollabPlus && !next.Before(f.Until) { // SMP-4: ended by then
		timeOnly = false
	}
	if len(reasons) > 0 {
		if !timeOnly {
			next = time.Time{}
		}
		return false, reasons, next, nil
	}
	x := &mreq{req: req, asked: at, answerBy: at.Add(affrules.Days(m.p.AnswerDays))}
	switch {
	case req.Source == sample.CollabPlus:
		x.approved, x.auto, x.until = at, true, f.Until
	case req.Source == sample.Campaign && m.autoApproved(req) < f.Quantity:
		x.approved, x.auto = at, true
	case req.Source == sample.Direct && f.AutoApprove:
		x.approved, x.auto = at, true
	}
	return false, nil, time.Time{}, x
}

// record is SMP-6 (with SMP-4 and SMP-9) on event k of x at at: bad input; or the reasons it
// is refused; or the change it makes.
func (m *machModel) record(x *mreq, k sample.EventKind, at time.Time) (bad bool, reasons []affrules.Reason, apply func()) {
	if k < sample.Approved || k > sample.Posted || at.Before(x.last()) {
		return true, nil, nil
	}
	s := x.state(at)
	id := x.req.ID
	need := func(want sample.State) []affrules.Reason {
		if s == want {
			return nil
		}
		return []affrules.Reason{{Rule: "SMP-6", Key: "sample.smp6.state", Observed: affrules.Text(s.String()), Limit: affrules.Text(want.String()), Subject: id}}
	}
	switch k {
	case sample.Approved:
		return false, need(sample.Requested), func() { x.approved = at }
	case sample.Declined:
		return false, need(sample.Requested), func() { x.declined = at }
	case sample.ShippedEvent:
		return false, need(sample.ToShip), func() { x.shipped = at }
	case sample.DeliveredEvent:
		return false, need(sample.Shipped), func() {
			x.delivered, x.due = at, at.Add(affrules.Days(m.p.ContentDays))
			if x.req.Source == sample.CollabPlus {
				x.due = x.until
			}
		}
	case sample.Extended:
		switch {
		case s != sample.Delivered:
			return false, need(sample.Delivered), nil
		case x.req.Source == sample.CollabPlus:
			return false, []affrules.Reason{{Rule: "SMP-4", Key: "sample.smp4.no_extension", Subject: id}}, nil
		case !x.extended.IsZero():
			return false, []affrules.Reason{{Rule: "SMP-9", Key: "sample.smp9.extended", Observed: affrules.Instant(x.extended), Subject: id}}, nil
		}
		return false, nil, func() { x.extended, x.extDue = at, x.due.Add(affrules.Days(m.p.ExtensionDays)) }
	default: // Posted
		if s == sample.Overdue { // SMP-4 for a Collaboration Plus sample, SMP-9 elsewhere
			rule := affrules.RuleID("SMP-9")
			if x.req.Source == sample.CollabPlus {
				rule = "SMP-4"
			}
			return false, []affrules.Reason{{Rule: rule, Key: "sample.smp4.late", Observed: affrules.Instant(at), Limit: affrules.Instant(x.deadline(at)), Subject: id}}, nil
		}
		return false, need(sample.Delivered), func() { x.posted = at }
	}
}

// lifeNext are the events each state allows (SMP-6), extended twice as often as posted so that
// runs reach extensions and their deadlines.
var lifeNext = map[sample.State][]sample.EventKind{
	sample.Requested: {sample.Approved, sample.Approved, sample.Declined},
	sample.ToShip:    {sample.ShippedEvent},
	sample.Shipped:   {sample.DeliveredEvent},
	sample.Delivered: {sample.Extended, sample.Extended, sample.Posted},
}

// sortReasons compares reasons as a set.
var sortReasons = cmpopts.SortSlices(func(a, b affrules.Reason) bool { return a.String()+a.Subject < b.String()+b.Subject })

// checkOutcome checks one call's error against the model's verdict: bad input is field errors
// only; a refusal of an event is a *affrules.Refusal with the model's reasons.
func checkOutcome(t *rapid.T, what string, err error, bad bool, reasons []affrules.Reason, k sample.EventKind, id string) {
	t.Helper()
	var r *affrules.Refusal
	switch {
	case bad:
		n := 1
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			n = len(j.Unwrap())
		}
		if err == nil || len(fieldErrors(err)) != n || errors.Is(err, affrules.ErrRefused) {
			t.Fatalf("%s: error %v, want bad input", what, err)
		}
	case len(reasons) > 0:
		if !errors.As(err, &r) || !errors.Is(err, affrules.ErrRefused) {
			t.Fatalf("%s: error %v, want a refusal for %v", what, err, reasons)
		}
		if r.Action != k.String() || r.Subject != id || r.Pkg != "sample" || r.Decision.Allowed || !r.Decision.NextAllowed.IsZero() {
			t.Fatalf("%s: refusal %+v, want one of %v on %s", what, r, k, id)
		}
		if diff := cmp.Diff(reasons, r.Decision.Reasons, sortReasons); diff != "" {
			t.Fatalf("%s: reasons (-model +got):\n%s", what, diff)
		}
	case err != nil:
		t.Fatalf("%s: %v", what, err)
	}
}

// machine is the state machine of a ledger's requests (SMP-1..4, SMP-6, SMP-8..12): requests
// made and events recorded at instants that mostly move on, to the windows' boundaries and the
// nanosecond before them, and sometimes back, driven through Rule.Decide and Rule.Record (with
// the history the model says a ledger must give) and a Memory ledger side by side, and compared
// with machModel after every step: states at every boundary, events, decisions with every
// reason and NextAllowed, refusals naming the state and the event, bad input recording nothing,
// and fulfilment rates.
func machine(t *rapid.T) {
	p := sample.DefaultPolicy()
	p.OverQuantity = rapid.SampledFrom([]string{sample.OverQuantityReview, sample.OverQuantityReject}).Draw(t, "overQuantity")
	p.CollabPlusCapped = rapid.Bool().Draw(t, "collabPlusCapped")
	p.CollabPlusFree = rapid.IntRange(0, 3).Draw(t, "collabPlusFree")
	p.Bands = []sample.Band{{Name: "small", Cap: rapid.IntRange(0, 4).Draw(t, "smallCap")}, {Name: "big", Cap: 50}}
	r := mustRule(p)
	var mem sample.Ledger = sample.NewMemory()
	if rapid.Bool().Draw(t, "zeroMemory") {
		mem = &sample.Memory{}
	}
	model := &machModel{p: p, byID: map[string]*mreq{}}
	pure := map[string]sample.Request{} // the requests as Rule.Decide and Rule.Record returned them
	clock := t0
	n := 0

	// when draws the instant of the next action: the clock, moved on by nothing, an hour, a day or
	// a week, or to the next boundary of a window (or the nanosecond before it).
	when := func(t *rapid.T) time.Time {
		switch rapid.IntRange(0, 7).Draw(t, "clock") {
		case 1, 2:
			clock = clock.Add(time.Hour)
		case 3:
			clock = clock.Add(day)
		case 4:
			clock = clock.Add(7 * day)
		case 5, 6, 7:
			var ahead []time.Time
			add := func(b time.Time) {
				for _, x := range []time.Time{b.Add(-time.Nanosecond), b} {
					if !b.IsZero() && x.After(clock) {
						ahead = append(ahead, x)
					}
				}
			}
			add(affrules.MonthOf(clock, kl).End)
			for _, x := range model.reqs {
				add(x.answerBy)
				add(x.due)
				add(x.extDue)
				add(x.until)
				add(x.answerBy.Add(affrules.Days(p.WaitDays)))
				if !x.declined.IsZero() {
					add(x.declined.Add(affrules.Days(p.WaitDays)))
				}
			}
			if len(ahead) > 0 {
				slices.SortFunc(ahead, time.Time.Compare)
				clock = ahead[rapid.IntRange(0, min(len(ahead)-1, 3)).Draw(t, "boundary")]
			}
		}
		return clock
	}

	request := func(t *rapid.T) {
		creator := rapid.SampledFrom([]string{"c1", "c2"}).Draw(t, "creator")
		req := direct("", creator, rapid.SampledFrom([]string{"p1", "p2"}).Draw(t, "product"))
		if sometimes(t, "otherSeller", 6) {
			req.Seller = "shop-2"
		}
		f := sample.Facts{Band: rapid.SampledFrom([]string{"small", "big"}).Draw(t, "band")}
		if sometimes(t, "unknownBand", 15) {
			f.Band = "nope"
		}
		at := when(t)
		switch rapid.IntRange(0, 2).Draw(t, "source") {
		case 0:
			f.AutoApprove = rapid.Bool().Draw(t, "autoApprove")
		case 1:
			req.Source, req.Context, req.Partner = sample.Campaign, "camp-1", "agency-1"
			f.Quantity = int64(rapid.IntRange(0, 3).Draw(t, "quantity"))
			if sometimes(t, "negativeQuantity", 15) {
				f.Quantity = -1
			}
			if sometimes(t, "noPartner", 15) {
				req.Partner = ""
			}
		case 2:
			req.Source, req.Context = sample.CollabPlus, rapid.SampledFrom([]string{"cp-1", "cp-2"}).Draw(t, "collab")
			f.Until = at.Add(rapid.SampledFrom([]time.Duration{time.Hour, 3 * day, 20 * day}).Draw(t, "until"))
			if sometimes(t, "ended", 15) {
				f.Until = at
			}
			f.FreeSamples = !sometimes(t, "noFreeSamples", 8)
		}
		n++
		req.ID = fmt.Sprint("r", n)
		conflict := len(model.reqs) > 0 && sometimes(t, "conflict", 15)
		if conflict {
			req.ID = rapid.SampledFrom(model.reqs).Draw(t, "again").req.ID
		}
		what := fmt.Sprintf("request %+v with %+v at %v", req, f, at)

		got, d, err := mem.Request(ctx, r, req, f, at)
		if conflict {
			if !errors.Is(err, sample.ErrConflict) || d.Allowed || len(got.Events) > 0 {
				t.Fatalf("%s: %v, %v; want ErrConflict", what, d, err)
			}
			return
		}
		bad, reasons, next, made := model.decide(req, f, at)
		pgot, pd, perr := r.Decide(model.history(req, at, pure), req, f, at)
		for _, c := range []struct {
			side string
			got  sample.Request
			d    affrules.Decision
			err  error
		}{{"Memory", got, d, err}, {"Rule", pgot, pd, perr}} {
			checkOutcome(t, c.side+": "+what, c.err, bad, nil, 0, req.ID)
			if bad {
				continue
			}
			if c.d.Allowed != (len(reasons) == 0) || !c.d.NextAllowed.Equal(next) {
				t.Fatalf("%s: %s: %v; want reasons %v, next allowed %v", c.side, what, c.d, reasons, next)
			}
			if diff := cmp.Diff(reasons, c.d.Reasons, sortReasons, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: %s: reasons (-model +got):\n%s", c.side, what, diff)
			}
			want := sample.Request{}
			if made != nil {
				want = made.want()
			}
			if diff := cmp.Diff(want, c.got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: %s: request (-model +got):\n%s", c.side, what, diff)
			}
		}
		if made != nil {
			model.reqs = append(model.reqs, made)
			model.byID[req.ID] = made
			pure[req.ID] = pgot
		}
	}

	record := func(t *rapid.T) {
		if len(model.reqs) == 0 || sometimes(t, "unknown", 20) {
			if _, err := mem.Record(ctx, r, "nope", sample.Approved, clock); !errors.Is(err, sample.ErrNotFound) {
				t.Fatalf("Record of an unknown request: error %v, want ErrNotFound", err)
			}
			return
		}
		x := rapid.SampledFrom(model.reqs).Draw(t, "req")
		at := when(t)
		// Mostly an event the request's state allows, so that runs go the whole way; sometimes
		// any event, or one that is none.
		k := rapid.SampledFrom(allEvents).Draw(t, "event")
		if next := lifeNext[x.state(at)]; len(next) > 0 && !sometimes(t, "anyEvent", 3) {
			k = rapid.SampledFrom(next).Draw(t, "next")
		}
		if sometimes(t, "notAnEvent", 20) {
			k = rapid.SampledFrom([]sample.EventKind{0, sample.Asked, sample.Posted + 1}).Draw(t, "badEvent")
		}
		if sometimes(t, "backwards", 8) {
			at = x.last().Add(-rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour}).Draw(t, "back"))
		}
		id := x.req.ID
		what := fmt.Sprintf("%v on %s at %v", k, id, at)
		bad, reasons, apply := model.record(x, k, at)
		got, err := mem.Record(ctx, r, id, k, at)
		checkOutcome(t, "Memory: "+what, err, bad, reasons, k, id)
		pgot, perr := r.Record(pure[id], k, at)
		checkOutcome(t, "Rule: "+what, perr, bad, reasons, k, id)
		if bad || len(reasons) > 0 {
			if diff := cmp.Diff(pure[id], pgot); diff != "" {
				t.Fatalf("Rule: %s failed but returned another request (-given +returned):\n%s", what, diff)
			}
			return
		}
		apply()
		for side, g := range map[string]sample.Request{"Memory": got, "Rule": pgot} {
			if diff := cmp.Diff(x.want(), g); diff != "" {
				t.Fatalf("%s: %s: request (-model +got):\n%s", side, what, diff)
			}
		}
		pure[id] = pgot
	}

	check := func(t *rapid.T) {
		for _, c := range []string{"c1", "c2"} {
			var want []sample.Request
			for _, x := range model.reqs {
				if x.req.Creator == c {
					want = append(want, x.want())
				}
			}
			held, err := mem.Requests(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, held, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("Memory holds for %s (-model +got):\n%s", c, diff)
			}
			for i, h := range held {
				x := model.byID[h.ID]
				if diff := cmp.Diff(pure[h.ID], h); diff != "" {
					t.Fatalf("%s: Memory's is not Rule's (-Rule +Memory):\n%s", h.ID, diff)
				}
				instants := []time.Time{clock, clock.Add(time.Duration(rapid.Int64Range(-int64(40*day), int64(40*day)).Draw(t, fmt.Sprint("offset", i))))}
				for _, b := range []time.Time{x.asked, x.answerBy, x.approved, x.declined, x.shipped, x.delivered, x.extended, x.posted, x.due, x.extDue, x.until} {
					if !b.IsZero() {
						instants = append(instants, b.Add(-time.Nanosecond), b)
					}
				}
				for _, at := range instants {
					if got, want := h.StateAt(at), x.state(at); got != want {
						t.Fatalf("%s at %v: state %v, want %v (events %+v)", h.ID, at, got, want, h.Events)
					}
				}
			}
			// SMP-8 over a window around the clock, against the model's count.
			start := clock.Add(-time.Duration(rapid.Int64Range(0, int64(30*day)).Draw(t, "windowStart")))
			w := affrules.Period{Start: start, End: start.Add(time.Duration(rapid.Int64Range(1, int64(40*day)).Draw(t, "windowLength")))}
			var wf, wo int64
			for _, x := range model.reqs {
				if ended, s, ok := x.ended(w.End.Add(-time.Nanosecond)); ok && x.req.Creator == c && w.Contains(ended) {
					if s == sample.Fulfilled {
						wf++
					} else {
						wo++
					}
				}
			}
			f, o, rate, ok := sample.FulfilmentRate(held, c, w)
			if f != wf || o != wo || ok != (wf+wo > 0) {
				t.Fatalf("%s's fulfilment over %v: %d fulfilled, %d overdue (%t); want %d and %d", c, w, f, o, ok, wf, wo)
			}
			if num, den := rate.Ratio(); ok && (num != wf || den != wf+wo) {
				t.Fatalf("%s's rate %v, want %d/%d", c, rate, wf, wf+wo)
			}
		}
	}

	t.Repeat(map[string]func(*rapid.T){
		"request": request,
		"record":  record,
		"":        check,
	})
}

// SMP-1..4, SMP-6, SMP-8..12: requests and events through Rule.Decide, Rule.Record and a Memory
// ledger agree with the plain model at every step.
func TestMachine_SMP6(t *testing.T) { rapid.Check(t, machine) }

// FuzzMachine drives the state machine of TestMachine_SMP6 from fuzzed bytes
// (rapid.MakeFuzz). Every input must finish within machineLimit.
func FuzzMachine(f *testing.F) {
	run := rapid.MakeFuzz(machine)
	f.Fuzz(func(t *testing.T, b []byte) { deadline.Within(t, machineLimit, func() { run(t, b) }) })
}

// machineLimit is the per-input deadline of FuzzMachine: one input is a whole run of the
// machine, a few dozen steps taking milliseconds, ten times more under the race detector.
const machineLimit = 10 * time.Second
