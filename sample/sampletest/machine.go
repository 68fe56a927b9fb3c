package sampletest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// sometimes draws true about once in n.
func sometimes(t *rapid.T, label string, n int) bool { return rapid.IntRange(1, n).Draw(t, label) == n }

// happened reports whether an event at e (zero: none) had happened by t.
func happened(e, t time.Time) bool { return !e.IsZero() && !e.After(t) }

// allEvents are the events a ledger records on a request.
var allEvents = []sample.EventKind{sample.Approved, sample.Declined, sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted}

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

// want is the request the rules must have recorded.
func (x *mreq) want() sample.Request {
	r := x.req
	r.Events = []sample.Event{{Kind: sample.Asked, At: x.asked, Due: x.answerBy}}
	add := func(k sample.EventKind, at, due time.Time, auto bool) {
		if !at.IsZero() {
			r.Events = append(r.Events, sample.Event{Kind: k, At: at, Due: due, Auto: auto})
		}
	}
	add(sample.Approved, x.approved, x.until, x.auto)
	add(sample.Declined, x.declined, time.Time{}, false)
	add(sample.ShippedEvent, x.shipped, time.Time{}, false)
	add(sample.DeliveredEvent, x.delivered, x.due, false)
	add(sample.Extended, x.extended, x.extDue, false)
	add(sample.Posted, x.posted, time.Time{}, false)
	return r
}

// model is the plain model of a ledger: every request made, in order, with the policy's rules
// written out one by one.
type model struct {
	p    sample.Policy
	reqs []*mreq
}

// autoApproved counts the automatic approvals of req's product in req's campaign (SMP-2).
func (m *model) autoApproved(req sample.Request) int64 {
	var n int64
	for _, x := range m.reqs {
		if x.req.Source == sample.Campaign && x.req.Seller == req.Seller && x.req.Context == req.Context && x.req.Product == req.Product && x.auto {
			n++
		}
	}
	return n
}

// decide is SPEC §6 on a new request: bad input (among it a request made before the last event
// of the creator's requests for the product, SMP-10); or the reasons it is denied (SMP-2,
// SMP-3, SMP-10: an open request or the wait, SMP-11, SMP-12) and the instant it will be
// allowed when only time stands in the way; or the request made (SMP-1, SMP-2, SMP-3).
func (m *model) decide(req sample.Request, f sample.Facts, at time.Time) (bad bool, reasons []affrules.Reason, next time.Time, made *mreq) {
	capped := req.Source != sample.CollabPlus || m.p.CollabPlusCapped
	cap, known := 0, false
	for _, b := range m.p.Bands {
		if b.Name == f.Band {
			cap, known = b.Cap, true
		}
	}
	if f.Quantity < 0 || capped && !known || req.Source == sample.Campaign && req.Partner == "" {
		return true, nil, time.Time{}, nil
	}
	for _, x := range m.reqs {
		if x.req.Creator != req.Creator || x.req.Seller != req.Seller || x.req.Product != req.Product {
			continue
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
			case sample.Requested, sample.ToShip, sample.Shipped, sample.Delivered: // SMP-10: open
				reasons = append(reasons, affrules.Reason{Rule: sample.RuleAnswer, Key: "sample.smp10.open", Observed: affrules.Text(s.String()), Subject: x.req.ID})
				timeOnly = false
			case sample.Rejected, sample.Expired: // SMP-10: the wait
				from := x.declined
				if s == sample.Expired {
					from = x.answerBy
				}
				if again := from.Add(affrules.Days(m.p.WaitDays)); at.Before(again) {
					reasons = append(reasons, affrules.Reason{Rule: sample.RuleAnswer, Key: "sample.smp10.wait", Observed: affrules.Text(s.String()), Limit: affrules.Instant(again), Subject: x.req.ID})
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
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleMonthlyCap, Key: "sample.smp11.cap", Observed: affrules.Count(int64(inMonth)), Limit: affrules.Count(int64(cap)), Subject: req.Creator})
		switch {
		case cap == 0:
			timeOnly = false
		case month.End.After(next):
			next = month.End
		}
	}
	if req.Source == sample.CollabPlus && !f.Until.After(at) { // SMP-4: ended
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleDeadline, Key: "sample.smp4.ended", Observed: affrules.Instant(at), Limit: affrules.Instant(f.Until), Subject: req.Context})
		timeOnly = false
	}
	if req.Source == sample.CollabPlus && !f.Member { // SMP-3, CP-20
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleCollabPlus, Key: "sample.smp3.not_member", Observed: affrules.Text(req.Creator), Limit: affrules.Text(req.Product), Subject: req.Context})
		timeOnly = false
	}
	if req.Source == sample.CollabPlus && !f.FreeSamples { // SMP-12
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleOffers, Key: "sample.smp12.not_offered", Subject: req.Context})
		timeOnly = false
	}
	if auto := m.autoApproved(req); req.Source == sample.Campaign && auto >= f.Quantity && m.p.OverQuantity == sample.OverQuantityReject { // SMP-2
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleQuantity, Key: "sample.smp2.over_quantity", Observed: affrules.Count(auto), Limit: affrules.Count(f.Quantity), Subject: req.Product})
		timeOnly = false
	}
	if req.Source == sample.CollabPlus && inCollab >= m.p.CollabPlusFree { // SMP-3
		reasons = append(reasons, affrules.Reason{Rule: sample.RuleCollabPlus, Key: "sample.smp3.limit", Observed: affrules.Count(int64(inCollab)), Limit: affrules.Count(int64(m.p.CollabPlusFree)), Subject: req.Creator})
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
func (m *model) record(x *mreq, k sample.EventKind, at time.Time) (bad bool, reasons []affrules.Reason, apply func()) {
	if k < sample.Approved || k > sample.Posted || at.Before(x.last()) {
		return true, nil, nil
	}
	s := x.state(at)
	id := x.req.ID
	need := func(want sample.State) []affrules.Reason {
		if s == want {
			return nil
		}
		return []affrules.Reason{{Rule: sample.RuleLifecycle, Key: "sample.smp6.state", Observed: affrules.Text(s.String()), Limit: affrules.Text(want.String()), Subject: id}}
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
			return false, []affrules.Reason{{Rule: sample.RuleDeadline, Key: "sample.smp4.no_extension", Subject: id}}, nil
		case !x.extended.IsZero():
			return false, []affrules.Reason{{Rule: sample.RuleContentDue, Key: "sample.smp9.extended", Observed: affrules.Instant(x.extended), Subject: id}}, nil
		}
		return false, nil, func() { x.extended, x.extDue = at, x.due.Add(affrules.Days(m.p.ExtensionDays)) }
	default: // Posted
		if s == sample.Overdue { // SMP-4 for a Collaboration Plus sample, SMP-9 elsewhere
			rule := sample.RuleContentDue
			if x.req.Source == sample.CollabPlus {
				rule = sample.RuleDeadline
			}
			return false, []affrules.Reason{{Rule: rule, Key: "sample.smp4.late", Observed: affrules.Instant(at), Limit: affrules.Instant(x.deadline(at)), Subject: id}}, nil
		}
		return false, need(sample.Delivered), func() { x.posted = at }
	}
}

// lifeNext are the events each state allows (SMP-6).
var lifeNext = map[sample.State][]sample.EventKind{
	sample.Requested: {sample.Approved, sample.Approved, sample.Declined},
	sample.ToShip:    {sample.ShippedEvent},
	sample.Shipped:   {sample.DeliveredEvent},
	sample.Delivered: {sample.Extended, sample.Posted},
}

// outcome checks one call's error against the model's verdict: bad input is a field error and
// no refusal; a refused event is a *affrules.Refusal with exactly the model's reasons.
func outcome(t *rapid.T, what string, err error, bad bool, reasons []affrules.Reason, k sample.EventKind, id string) {
	t.Helper()
	var r *affrules.Refusal
	var fe *affrules.FieldError
	switch {
	case bad:
		if !errors.As(err, &fe) || errors.Is(err, affrules.ErrRefused) {
			t.Fatalf("%s: error %v, want bad input", what, err)
		}
	case len(reasons) > 0:
		if !errors.As(err, &r) || !errors.Is(err, affrules.ErrRefused) {
			t.Fatalf("%s: error %v, want a refusal for %v", what, err, reasons)
		}
		if r.Action != k.String() || r.Subject != id || r.Pkg != "sample" || r.Decision.Allowed {
			t.Fatalf("%s: refusal %+v, want one of %v on %s", what, r, k, id)
		}
		if d := diffReasons(reasons, r.Decision.Reasons); d != "" {
			t.Fatalf("%s: reasons differ from the model's:\n%s", what, d)
		}
	case err != nil:
		t.Fatalf("%s: %v", what, err)
	}
}

// machine returns the model-based state machine of TestLedger: requests made and events
// recorded on a new ledger from newLedger, at instants that mostly move on, to the windows'
// boundaries and the nanosecond before them, and sometimes back, under a policy drawn around
// the catalog's (quantity review or reject, capped or uncapped Collaboration Plus, small caps),
// and compared after every step with a plain model of SPEC §6: decisions with every reason and
// NextAllowed (SMP-2, SMP-3, SMP-10, SMP-11, SMP-12), events and their deadlines (SMP-4,
// SMP-6, SMP-9), refusals and bad input recording nothing, the requests held per creator in the
// order made, states at every boundary, and fulfilment rates (SMP-8).
func machine(tt *testing.T) func(*rapid.T, sample.Ledger) {
	return func(t *rapid.T, l sample.Ledger) {
		ctx := context.Background()
		p := sample.DefaultPolicy()
		p.OverQuantity = rapid.SampledFrom([]string{sample.OverQuantityReview, sample.OverQuantityReject}).Draw(t, "over_quantity")
		p.CollabPlusCapped = rapid.Bool().Draw(t, "collab_plus_capped")
		p.CollabPlusFree = rapid.IntRange(0, 3).Draw(t, "collab_plus_free")
		p.Bands = []sample.Band{{Name: "small", Cap: rapid.IntRange(0, 4).Draw(t, "small_cap")}, {Name: "big", Cap: 50}}
		r := ruleOf(tt, p)
		m := &model{p: p}
		byID := map[string]*mreq{}
		clock := t0
		n := 0

		// when draws the instant of the next action: the clock, moved on by nothing, an hour, a
		// day or a week, or to the next boundary of a window (or the nanosecond before it).
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
				for _, x := range m.reqs {
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
			req := direct("", rapid.SampledFrom([]string{"c1", "c2"}).Draw(t, "creator"), rapid.SampledFrom([]string{"p1", "p2"}).Draw(t, "product"))
			if sometimes(t, "other_seller", 6) {
				req.Seller = "shop-2"
			}
			f := sample.Facts{Band: rapid.SampledFrom([]string{"small", "big"}).Draw(t, "band")}
			if sometimes(t, "unknown_band", 15) {
				f.Band = "nope"
			}
			at := when(t)
			switch rapid.IntRange(0, 2).Draw(t, "source") {
			case 0:
				f.AutoApprove = rapid.Bool().Draw(t, "auto_approve")
			case 1:
				req.Source, req.Context, req.Partner = sample.Campaign, "camp-1", "agency-1"
				f.Quantity = int64(rapid.IntRange(0, 3).Draw(t, "quantity"))
				if sometimes(t, "negative_quantity", 15) {
					f.Quantity = -1
				}
				if sometimes(t, "no_partner", 15) {
					req.Partner = ""
				}
			case 2:
				req.Source, req.Context = sample.CollabPlus, rapid.SampledFrom([]string{"cp-1", "cp-2"}).Draw(t, "collab")
				f.Until = at.Add(rapid.SampledFrom([]time.Duration{time.Hour, 3 * day, 20 * day}).Draw(t, "until"))
				if sometimes(t, "ended", 15) {
					f.Until = at
				}
				f.FreeSamples = !sometimes(t, "no_free_samples", 8)
				f.Member = !sometimes(t, "not_member", 8)
			}
			n++
			req.ID = fmt.Sprint("r", n)
			conflict := len(m.reqs) > 0 && sometimes(t, "conflict", 15)
			if conflict {
				req.ID = rapid.SampledFrom(m.reqs).Draw(t, "again").req.ID
			}
			what := fmt.Sprintf("request %+v with %+v at %v", req, f, at)
			got, d, err := l.Request(ctx, r, req, f, at)
			if conflict {
				if !errors.Is(err, sample.ErrConflict) || d.Allowed || len(got.Events) > 0 {
					t.Fatalf("%s: %v, %v; want ErrConflict", what, d, err)
				}
				return
			}
			bad, reasons, next, made := m.decide(req, f, at)
			outcome(t, what, err, bad, nil, 0, req.ID)
			if bad {
				if d.Allowed || len(got.Events) > 0 {
					t.Fatalf("%s: bad input, but returned %+v, %v", what, got, d)
				}
				return
			}
			if d.Allowed != (len(reasons) == 0) || !d.NextAllowed.Equal(next) {
				t.Fatalf("%s: %v; want reasons %v, next allowed %v", what, d, reasons, next)
			}
			if diff := diffReasons(reasons, d.Reasons); diff != "" {
				t.Fatalf("%s: reasons differ from the model's:\n%s", what, diff)
			}
			want := sample.Request{}
			if made != nil {
				want = made.want()
			}
			if diff := diffRequest(want, got); diff != "" {
				t.Fatalf("%s: the request returned differs from the model's:\n%s", what, diff)
			}
			if made != nil {
				m.reqs = append(m.reqs, made)
				byID[req.ID] = made
			}
		}

		record := func(t *rapid.T) {
			if len(m.reqs) == 0 || sometimes(t, "unknown", 20) {
				if _, err := l.Record(ctx, r, "nope", sample.Approved, clock); !errors.Is(err, sample.ErrNotFound) {
					t.Fatalf("Record of an unknown request: error %v, want ErrNotFound", err)
				}
				return
			}
			x := rapid.SampledFrom(m.reqs).Draw(t, "req")
			at := when(t)
			// Mostly an event the request's state allows, so that runs go the whole way;
			// sometimes any event, or one that is none.
			k := rapid.SampledFrom(allEvents).Draw(t, "event")
			if next := lifeNext[x.state(at)]; len(next) > 0 && !sometimes(t, "any_event", 3) {
				k = rapid.SampledFrom(next).Draw(t, "next")
			}
			if sometimes(t, "not_an_event", 20) {
				k = rapid.SampledFrom([]sample.EventKind{0, sample.Asked, sample.Posted + 1}).Draw(t, "bad_event")
			}
			if sometimes(t, "backwards", 8) {
				at = x.last().Add(-rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour}).Draw(t, "back"))
			}
			what := fmt.Sprintf("%v on %s at %v", k, x.req.ID, at)
			bad, reasons, apply := m.record(x, k, at)
			got, err := l.Record(ctx, r, x.req.ID, k, at)
			outcome(t, what, err, bad, reasons, k, x.req.ID)
			if bad || len(reasons) > 0 {
				return
			}
			apply()
			if diff := diffRequest(x.want(), got); diff != "" {
				t.Fatalf("%s: the request returned differs from the model's:\n%s", what, diff)
			}
		}

		check := func(t *rapid.T) {
			for _, c := range []string{"c1", "c2"} {
				var want []sample.Request
				for _, x := range m.reqs {
					if x.req.Creator == c {
						want = append(want, x.want())
					}
				}
				held, err := l.Requests(ctx, c)
				if err != nil {
					t.Fatalf("Requests(%q): %v", c, err)
				}
				if diff := diffRequests(want, held); diff != "" {
					t.Fatalf("the ledger holds for %s what the model does not:\n%s", c, diff)
				}
				for _, h := range held {
					x := byID[h.ID]
					instants := []time.Time{clock}
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
				// SMP-8 over the policy's window ending at the clock, against the model's count.
				fr, err := r.Fulfilment(held, c, clock)
				if err != nil {
					t.Fatalf("Fulfilment(%s): %v", c, err)
				}
				var wf, wo int64
				for _, x := range m.reqs {
					if x.req.Creator != c {
						continue
					}
					var ended time.Time
					switch x.state(clock) {
					case sample.Fulfilled:
						ended = x.posted
						if fr.Window.Contains(ended) {
							wf++
						}
					case sample.Overdue:
						ended = x.deadline(clock)
						if x.delivered.After(ended) {
							ended = x.delivered
						}
						if fr.Window.Contains(ended) {
							wo++
						}
					}
				}
				if fr.Fulfilled != wf || fr.Overdue != wo {
					t.Fatalf("%s's fulfilment at %v: %d fulfilled, %d overdue; want %d and %d", c, clock, fr.Fulfilled, fr.Overdue, wf, wo)
				}
			}
		}

		t.Repeat(map[string]func(*rapid.T){
			"request": request,
			"record":  record,
			"":        check,
		})
	}
}

// machineChecks is how many runs of the machine TestLedger makes at most: each makes a new
// ledger, which for a database-backed ledger may be a schema and a connection pool of its own.
const machineChecks = 15
