package sample

import (
	"iter"
	"math/bits"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/cut"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/marketreg"
)

// Facts are what the host knows when a request is made.
type Facts struct {
	// AutoApprove is the seller's setting for direct requests (SMP-1).
	AutoApprove bool
	// Quantity is the sample quantity in force for the product in the partner campaign at the
	// request (SMP-2): the registration's, which the seller may change at any time.
	Quantity int64
	// Band is the creator's GMV band for the monthly cap (SMP-11), one of [Policy.Bands].
	Band string
	// Until is, for a Collaboration Plus request, the collaboration's end instant: content is
	// due by then (SMP-4).
	Until time.Time
	// FreeSamples says, for a Collaboration Plus request, that the collaboration offers free
	// samples (SMP-12).
	FreeSamples bool
	// Member says, for a Collaboration Plus request, that the creator is a member of the
	// collaboration while it runs and the product one of its products still taking part: its
	// samples are its members' only (SMP-3, CP-20). [CollabPlusFacts] fills Until, FreeSamples
	// and Member from the collaboration.
	Member bool
}

// History is what a [Ledger] knows, at the request's instant, of the requests that bear on a new
// one, all in the request's market: Product, the creator's requests for the same product of the
// same seller (SMP-10); Month, how many requests the creator made in the calendar month of the
// instant, in the market's zone, from sources counted under the caps ([Rule.Capped], SMP-11);
// AutoApproved, how many requests for the product of the same seller in the same partner
// campaign were approved automatically (SMP-2); InCollab, how many requests the creator made in
// the same Collaboration Plus of the same seller (collaboration IDs are the seller's) (SMP-3).
// [Rule.History] builds it from the creator's requests, all but AutoApproved, which counts other
// creators' requests too and is the ledger's to fill.
//
// Counts are of requests whatever order they reached the ledger in: a request dated before
// others of its month (concurrent handlers, a retry) is judged against every request of that
// month the ledger holds, so requests arriving out of order cannot exceed a cap together. For
// the same reason LaterMonths holds, for the months after the instant's, in order, how many
// requests the creator made in each (counted as Month is), up to the last month with any (nil
// when there are none): a refusal under the cap names as its retry instant the first month with
// room, which need not be the next one.
type History struct {
	Product      []Request
	Month        int
	LaterMonths  []int
	AutoApproved int64
	InCollab     int
}

// History returns the [History] that bears on request req at instant at, from mine, the
// requests of req's creator in the order they were recorded: what a [Ledger] passes to
// [Rule.Decide], once it has set AutoApproved from the campaign's requests of every creator.
func (r Rule) History(req Request, mine []Request, at time.Time) History {
	return r.history(&req, at, func(yield func(*Request) bool) {
		for i := range mine {
			if !yield(&mine[i]) {
				return
			}
		}
	})
}

// history is [Rule.History] over the requests mine yields, which it only reads.
func (r Rule) history(req *Request, at time.Time, mine iter.Seq[*Request]) History {
	var h History
	loc, _, _ := marketreg.Lookup(string(req.Market)) // without copying the market
	if loc == nil {
		loc = time.UTC // an unknown market, which Decide refuses: no month is counted
	}
	month := affrules.MonthOf(at, loc)
	inRange := bounds.InRange(at) // else Decide refuses at: no months are counted from it
	for x := range mine {
		if x.Market != req.Market || len(x.Events) == 0 {
			continue
		}
		if x.Seller == req.Seller && x.Product == req.Product {
			h.Product = append(h.Product, x.clone())
		}
		if made := x.Events[0].At; r.Capped(x.Source) {
			switch {
			case month.Contains(made):
				h.Month++
			case inRange && !made.Before(month.End) && made.Before(bounds.MaxInstant):
				// months after the instant's, from 1900, before 2200: n is at most 3,600
				n := int(monthIn(loc, made) - monthIn(loc, at))
				if n > len(h.LaterMonths) {
					h.LaterMonths = append(h.LaterMonths, make([]int, n-len(h.LaterMonths))...)
				}
				h.LaterMonths[n-1]++
			}
		}
		if req.Source == CollabPlus && x.Source == CollabPlus && x.Context == req.Context && x.Seller == req.Seller {
			h.InCollab++
		}
	}
	return h
}

var (
	keyOverQuantity = affrules.DefineMessage("sample.smp2.over_quantity", affrules.Message{
		Text: "the campaign's sample quantity is used up", Observed: "{observed} approved automatically", Limit: "quantity {limit}",
	})
	keyNotOffered = affrules.DefineMessage("sample.smp12.not_offered", affrules.Message{
		Text: "the collaboration offers no free samples",
	})
	keyOpen = affrules.DefineMessage("sample.smp10.open", affrules.Message{
		Text: "the creator has an open request for the product", Observed: "{observed}",
	})
	keyWait = affrules.DefineMessage("sample.smp10.wait", affrules.Message{
		Text: "the creator must wait after a rejection or an expiry", Observed: "{observed}", Limit: "again from {limit}",
	})
	keyCap = affrules.DefineMessage("sample.smp11.cap", affrules.Message{
		Text: "monthly request cap reached", Observed: "{observed} requests this month", Limit: "at most {limit}",
	})
	keyCollabEnded = affrules.DefineMessage("sample.smp4.ended", affrules.Message{
		Text: "the collaboration has ended", Observed: "requested {observed}", Limit: "ended {limit}",
	})
	keyNotMember = affrules.DefineMessage("sample.smp3.not_member", affrules.Message{
		Text: "the creator is not a member of the collaboration while it runs, or the product not one of its products (CP-20)", Observed: "creator {observed}", Limit: "product {limit}",
	})
	keyCollabLimit = affrules.DefineMessage("sample.smp3.limit", affrules.Message{
		Text: "the creator has the most pre-approved samples of this collaboration", Observed: "{observed}", Limit: "at most {limit}",
	})
	keyState = affrules.DefineMessage("sample.smp6.state", affrules.Message{
		Text: "not possible in this state", Observed: "{observed}", Limit: "needs {limit}",
	})
	keyExtended = affrules.DefineMessage("sample.smp9.extended", affrules.Message{
		Text: "the content deadline was extended already", Observed: "extended {observed}",
	})
	keyNoExtension = affrules.DefineMessage("sample.smp4.no_extension", affrules.Message{
		Text: "a Collaboration Plus sample is due by the collaboration's end, with no extension",
	})
	keyLate = affrules.DefineMessage("sample.smp4.late", affrules.Message{
		Text: "the content deadline has passed", Observed: "at {observed}", Limit: "due {limit}",
	})
)

// monthIn is the month of t in the calendar of zone loc (affrules.MonthAt for a market's zone).
func monthIn(loc *time.Location, t time.Time) affrules.Month {
	y, m, _ := t.In(loc).Date()
	return affrules.NewMonth(y, m)
}

// roomFrom returns the first instant, not before from (at when from is zero), whose month has
// room under cap (SMP-11, cap above 0), by the counts of h: h.Month for the month of at, then
// h.LaterMonths; the months after those have none. From 2200 on it returns that month's start,
// which no decision names (bounds.Next).
func roomFrom(market affrules.MarketCode, h History, cap int, at, from time.Time) time.Time {
	loc, _, _ := marketreg.Lookup(string(market)) // without copying the market
	if loc == nil {
		loc = time.UTC // not reached: Decide refuses an unknown market first
	}
	if from.IsZero() {
		from = at
	}
	m := affrules.MonthOf(at, loc)
	for i := -1; ; i++ { // m is month i+1 after at's
		count := h.Month
		if i >= 0 {
			m = affrules.MonthOf(m.End, loc)
			count = 0
			if i < len(h.LaterMonths) {
				count = h.LaterMonths[i]
			}
		}
		if !m.End.After(from) {
			continue // the other obstacles last beyond it
		}
		if count < cap || !m.Start.Before(bounds.MaxInstant) {
			if from.After(m.Start) {
				return from
			}
			return m.Start
		}
	}
}

// Decide decides request r, made at instant at with facts f, given history h (SMP-1..3,
// SMP-10, SMP-11). It returns the request with its events when allowed: asked, and approved at
// once when automatic (a Collaboration Plus sample; a campaign sample within the quantity; a
// direct one under the seller's setting), else waiting for the seller's answer. A denial lists
// every rule that keeps it from being made (an open request for the product or the 30-day wait,
// the monthly cap, Collaboration Plus's three samples, a collaboration that has ended, one
// without free samples or a creator not its member, a campaign's quantity used up when
// [Policy.OverQuantity] says reject), with NextAllowed when
// only time stands in the way; nothing is recorded. Bad input is a [*affrules.FieldError],
// including an instant before the last event of the creator's requests for the product, and one
// of those requests whose events the rules would not have recorded (no answer window, events out
// of order or of the lifecycle), that is not the creator's for the product of the seller in the
// market, that has an ID not storable or given twice, named history.product[i]; a request left
// to the seller so late that its answer window would end in 2200 or later, when no instant is
// accepted, is bad input too, named "at": it could never expire.
func (r Rule) Decide(h History, req Request, f Facts, at time.Time) (Request, affrules.Decision, error) {
	if !r.ready() {
		return Request{}, affrules.Decision{}, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	for _, x := range []struct{ field, v string }{{"request.id", req.ID}, {"request.seller", req.Seller}, {"request.creator", req.Creator}, {"request.product", req.Product}} {
		l.Append(bounds.ID(pkg, x.field, x.v))
	}
	if !slices.Contains(r.p.Markets, req.Market) {
		l.Add("request.market", strconv.Quote(string(req.Market)), "the sample rules do not run there (policy markets %v): %w", r.p.Markets, affrules.ErrUnknownMarket)
	}
	switch req.Source {
	case Direct:
		if req.Context != "" {
			l.Add("request.context", strconv.Quote(req.Context), "is only for campaign and collab_plus requests")
		}
		if req.Partner != "" {
			l.Add("request.partner", strconv.Quote(req.Partner), "is only for campaign requests (%s)", RuleQuantity)
		}
	case Campaign, CollabPlus:
		if req.Context == "" {
			l.Add("request.context", "", "must name the %s", req.Source)
		} else {
			l.Append(bounds.ID(pkg, "request.context", req.Context)) // stored with the request
		}
		if req.Source == Campaign && req.Partner == "" {
			l.Add("request.partner", "", "must name the partner requesting (%s)", RuleQuantity)
		} else if req.Source == Campaign {
			l.Append(bounds.ID(pkg, "request.partner", req.Partner))
		}
		if req.Source == CollabPlus && req.Partner != "" {
			l.Add("request.partner", strconv.Quote(req.Partner), "is only for campaign requests (%s)", RuleQuantity)
		}
	default:
		l.Add("request.source", int(req.Source), "must be direct, campaign or collab_plus: %w", affrules.ErrOutOfRange)
	}
	if f.Quantity < 0 {
		l.Add("facts.quantity", f.Quantity, "%w (%s)", affrules.ErrNegative, RuleQuantity)
	}
	capped := r.Capped(req.Source)
	cap, known := r.caps[f.Band]
	if capped && !known {
		l.Add("facts.band", strconv.Quote(f.Band), "must be one of the policy's bands (%s)", RuleMonthlyCap)
	}
	if req.Source == CollabPlus {
		l.Append(bounds.Instant(pkg, "facts.until", f.Until))
	}
	if len(req.Events) > 0 {
		l.Add("request.events", len(req.Events), "are recorded by the rules: leave them out")
	}
	for _, c := range [...]struct {
		field string
		n     int64
	}{{"history.month", int64(h.Month)}, {"history.auto_approved", h.AutoApproved}, {"history.in_collab", int64(h.InCollab)}} {
		if c.n < 0 {
			l.Add(c.field, c.n, "%w", affrules.ErrNegative)
		}
	}
	for i, n := range h.LaterMonths {
		if n < 0 {
			l.Add("history.later_months["+strconv.Itoa(i)+"]", n, "%w", affrules.ErrNegative)
		}
	}
	var table []int32 // repeated IDs, as FulfilmentRate finds them
	if len(h.Product) > smallRequests {
		table = make([]int32, 2<<bits.Len(uint(len(h.Product))))
	}
	for i, p := range h.Product {
		field := func() string { return "history.product[" + strconv.Itoa(i) + "]" }
		// SMP-10: the creator's requests for the same product of the same seller in the
		// market, each once; another's would deny or allow this one wrongly.
		switch {
		case !bounds.IDOK(p.ID):
			l.Append(fielderr.Rebase(pkg, "id", field()+".id", bounds.ID(pkg, "id", p.ID)))
		case p.Creator != req.Creator || p.Product != req.Product || p.Seller != req.Seller || p.Market != req.Market:
			l.Add(field()+".id", strconv.Quote(p.ID), "is a request of creator %s for product %s of seller %s in %s, not the request's: give the creator's requests for the product (SMP-10)",
				cut.Value(strconv.Quote(p.Creator)), cut.Value(strconv.Quote(p.Product)), cut.Value(strconv.Quote(p.Seller)), cut.Value(string(p.Market)))
		default:
			if j := earlier(h.Product, i, table); j >= 0 {
				l.Add(field()+".id", strconv.Quote(p.ID), "is history.product[%d]'s too: give each request once (SMP-10)", j)
			}
		}
		// SMP-6, SMP-10: the product's earlier requests are judged by their events; a stored
		// one whose events the rules would not have recorded (its answer window lost) is bad
		// input, not a request that never was.
		if !checkEvents(nil, &p) {
			one := fielderr.For(pkg)
			checkEvents(one, &p)
			l.Append(fielderr.Rebase(pkg, "request", field(), one.Err()))
		}
		if len(p.Events) > 0 && p.Events[len(p.Events)-1].At.After(at) {
			l.Add("at", at.Format(time.RFC3339Nano), "is before request %q's last event at %s: requests are made in order", p.ID, p.Events[len(p.Events)-1].At.Format(time.RFC3339Nano))
		}
	}
	if err := l.Err(); err != nil {
		return Request{}, affrules.Decision{}, err
	}

	var reasons []affrules.Reason
	var next time.Time
	timeOnly := true
	later := func(t time.Time) {
		if t.After(next) {
			next = t
		}
	}
	for _, p := range h.Product { // SMP-10
		switch s := p.StateAt(at); {
		case !s.final(): // one open request per creator and product; it ends by others' doing
			reasons = append(reasons, affrules.Reason{Rule: RuleAnswer, Key: keyOpen, Observed: affrules.Text(s.String()), Subject: p.ID})
			timeOnly = false
		case (s == Rejected || s == Expired) && !(req.Source == CollabPlus && r.p.CollabPlusExemptFromWait):
			ended, _ := p.endedAt(at)
			if again := ended.Add(r.wait); at.Before(again) {
				reasons = append(reasons, affrules.Reason{Rule: RuleAnswer, Key: keyWait, Observed: affrules.Text(s.String()), Limit: affrules.Instant(again), Subject: p.ID})
				later(again)
			}
		}
	}
	full := capped && h.Month >= cap // SMP-11
	if full {
		reasons = append(reasons, affrules.Reason{Rule: RuleMonthlyCap, Key: keyCap, Observed: affrules.Count(int64(h.Month)), Limit: affrules.Count(int64(cap)), Subject: req.Creator})
		timeOnly = timeOnly && cap > 0 // a band capped at 0 allows no request in any month
	}
	if req.Source == CollabPlus && !f.Until.After(at) { // SMP-4: content is due by its end
		reasons = append(reasons, affrules.Reason{Rule: RuleDeadline, Key: keyCollabEnded, Observed: affrules.Instant(at), Limit: affrules.Instant(f.Until), Subject: req.Context})
		timeOnly = false
	}
	if req.Source == CollabPlus && !f.Member { // SMP-3, CP-20: the collaboration's members only
		reasons = append(reasons, affrules.Reason{Rule: RuleCollabPlus, Key: keyNotMember, Observed: affrules.Text(req.Creator), Limit: affrules.Text(req.Product), Subject: req.Context})
		timeOnly = false
	}
	if req.Source == CollabPlus && !f.FreeSamples { // SMP-12
		reasons = append(reasons, affrules.Reason{Rule: RuleOffers, Key: keyNotOffered, Subject: req.Context})
		timeOnly = false
	}
	if req.Source == Campaign && h.AutoApproved >= f.Quantity && r.p.OverQuantity == OverQuantityReject { // SMP-2
		reasons = append(reasons, affrules.Reason{Rule: RuleQuantity, Key: keyOverQuantity, Observed: affrules.Count(h.AutoApproved), Limit: affrules.Count(f.Quantity), Subject: req.Product})
		timeOnly = false
	}
	if req.Source == CollabPlus && h.InCollab >= r.p.CollabPlusFree { // SMP-3
		reasons = append(reasons, affrules.Reason{Rule: RuleCollabPlus, Key: keyCollabLimit, Observed: affrules.Count(int64(h.InCollab)), Limit: affrules.Count(int64(r.p.CollabPlusFree)), Subject: req.Creator})
		timeOnly = false
	}
	if capped && cap > 0 && timeOnly && (full || !next.IsZero()) {
		// SMP-11 at the retry instant too: the month the other obstacles end in may be full.
		next = roomFrom(req.Market, h, cap, at, next)
	}
	if req.Source == CollabPlus && !next.Before(f.Until) {
		timeOnly = false // the collaboration has ended by then (SMP-4): waiting does not help (MKT-5)
	}
	if len(reasons) > 0 {
		d := affrules.Decide(reasons...)
		if timeOnly {
			d.NextAllowed = bounds.Next(next)
		}
		return Request{}, d, nil
	}

	out := req
	out.Events = []Event{{Kind: Asked, At: at, Due: at.Add(r.answer)}}
	switch {
	case req.Source == CollabPlus,
		req.Source == Campaign && h.AutoApproved < f.Quantity,
		req.Source == Direct && f.AutoApprove:
		out.Events = append(out.Events, Event{Kind: Approved, At: at, Auto: true})
		if req.Source == CollabPlus {
			// SMP-4: due by the collaboration's end; kept on the approval for delivery.
			out.Events[1].Due = f.Until
		}
	default: // the seller answers, or the request expires when the window ends
		if err := bounds.Reaches(pkg, "at", at, out.Events[0].Due, "the seller's answer window of %d days", r.p.AnswerDays, "an unanswered request could never expire (SMP-10)"); err != nil {
			return Request{}, affrules.Decision{}, err
		}
	}
	return out, affrules.Decide(), nil
}

// RecordAmong is [Rule.Record] for a [Ledger], given mine, the requests of req's creator it
// holds (req among them or not): an instant before the last event of another of them for the
// same seller's product in the same market is a [*affrules.FieldError] too, as it is for a new
// request ([Rule.History], [Rule.Decide]). A creator's requests for one product are ordered, so
// an event arriving late cannot reopen a request that a later one relied on having ended
// (SMP-10: at most one open request per creator per product). A Ledger's Record calls it in the
// same atomic step as it records the result. The zero Rule and an instant out of bounds are
// reported as Record reports them, before the other requests are read.
func (r Rule) RecordAmong(mine []Request, req Request, k EventKind, at time.Time) (Request, error) {
	if !r.ready() || !bounds.InRange(at) {
		return r.Record(req, k, at)
	}
	for i := range mine {
		y := &mine[i]
		if y.ID == req.ID || y.Seller != req.Seller || y.Product != req.Product || y.Market != req.Market || len(y.Events) == 0 {
			continue
		}
		if last := y.Events[len(y.Events)-1].At; at.Before(last) {
			return req, fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "is before request %q's last event at %s: events of a creator's requests for one product are recorded in order", y.ID, last.Format(time.RFC3339Nano))
		}
	}
	return r.Record(req, k, at)
}

// Record records event kind k on request req at instant at (SMP-6, SMP-9) and returns the
// changed request: the seller's answer (Approved or Declined) while it is requested; shipping
// when to ship; delivery when shipped, with its content deadline (the collaboration's end for a
// Collaboration Plus sample, else [Policy.ContentDays] after delivery); one extension of
// [Policy.ExtensionDays] before the deadline, outside Collaboration Plus; content posted before
// the deadline. An event in the wrong state is an [*affrules.Refusal] naming the state and the
// event; an instant before the request's last event, or out of bounds, is a
// [*affrules.FieldError], as is a delivery or extension whose content deadline would fall in
// 2200 or later, when no instant is accepted (the sample could never become overdue). req is
// not changed.
func (r Rule) Record(req Request, k EventKind, at time.Time) (Request, error) {
	if !r.ready() {
		return req, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	if err := bounds.Instant(pkg, "at", at); err != nil {
		l.Append(err)
	} else if n := len(req.Events); n > 0 && at.Before(req.Events[n-1].At) {
		l.Add("at", at.Format(time.RFC3339Nano), "is before the request's last event at %s: events are recorded in order", req.Events[n-1].At.Format(time.RFC3339Nano))
	}
	checkEvents(l, &req)
	if k < Approved || k > Posted {
		l.Add("event", int(k), "must be approved, declined, shipped, delivered, extended or posted: %w", affrules.ErrOutOfRange)
	}
	if err := l.Err(); err != nil {
		return req, err
	}
	state := req.StateAt(at)
	refuse := func(rs ...affrules.Reason) error {
		return &affrules.Refusal{Pkg: pkg, Action: k.String(), Subject: req.ID, Decision: affrules.Decide(rs...)}
	}
	need := func(want State) error {
		if state == want {
			return nil
		}
		return refuse(affrules.Reason{Rule: RuleLifecycle, Key: keyState, Observed: affrules.Text(state.String()), Limit: affrules.Text(want.String()), Subject: req.ID})
	}
	ev := Event{Kind: k, At: at}
	switch k {
	case Approved, Declined:
		if err := need(Requested); err != nil {
			return req, err
		}
	case ShippedEvent:
		if err := need(ToShip); err != nil {
			return req, err
		}
	case DeliveredEvent:
		if err := need(Shipped); err != nil {
			return req, err
		}
		ev.Due = at.Add(r.content) // SMP-9
		if req.Source == CollabPlus {
			a, _ := req.last(Approved, at)
			ev.Due = a.Due // SMP-4: the collaboration's end, however late the delivery
		} else if err := bounds.Reaches(pkg, "at", at, ev.Due, "the content deadline of %d days", r.p.ContentDays, "the sample could never become overdue (SMP-9)"); err != nil {
			return req, err
		}
	case Extended:
		if err := need(Delivered); err != nil {
			return req, err
		}
		if req.Source == CollabPlus {
			return req, refuse(affrules.Reason{Rule: RuleDeadline, Key: keyNoExtension, Subject: req.ID})
		}
		if x, ok := req.last(Extended, at); ok {
			return req, refuse(affrules.Reason{Rule: RuleContentDue, Key: keyExtended, Observed: affrules.Instant(x.At), Subject: req.ID})
		}
		d, _ := req.last(DeliveredEvent, at)
		ev.Due = d.Due.Add(r.extension)
		if err := bounds.Reaches(pkg, "at", at, ev.Due, "the deadline extended by %d days", r.p.ExtensionDays, "the sample could never become overdue (SMP-9)"); err != nil {
			return req, err
		}
	case Posted:
		if state == Overdue {
			d, _ := req.last(DeliveredEvent, at)
			rule := RuleContentDue
			if req.Source == CollabPlus {
				rule = RuleDeadline
			}
			return req, refuse(affrules.Reason{Rule: rule, Key: keyLate, Observed: affrules.Instant(at), Limit: affrules.Instant(req.due(d, at)), Subject: req.ID})
		}
		if err := need(Delivered); err != nil {
			return req, err
		}
	}
	out := req.clone()
	out.Events = append(out.Events, ev)
	return out, nil
}

// next lists the events that may follow each kind (SMP-6).
var next = [...][]EventKind{
	Asked:          {Approved, Declined},
	Approved:       {ShippedEvent},
	ShippedEvent:   {DeliveredEvent},
	DeliveredEvent: {Extended, Posted},
	Extended:       {Posted},
}

// checkEvents adds a problem to l unless the events of req are a history the rules record:
// the request first, with its answer window, then events that follow one another in order of
// time and of the lifecycle, each with the deadline it carries. It reports whether they are; with
// a nil l it only reports it, building nothing.
func checkEvents(l *fielderr.List, req *Request) bool {
	ok := true
	add := func(field string, value any, format string, args ...any) {
		if ok = false; l != nil {
			l.Add(field, value, format, args...)
		}
	}
	evs := req.Events
	if len(evs) == 0 || evs[0].Kind != Asked || !evs[0].Due.After(evs[0].At) {
		add("request.events", len(evs), "must start with the request and its answer window: make it with Decide")
		return false
	}
	for i := 1; i < len(evs); i++ {
		prev, e := &evs[i-1], &evs[i]
		field := func() string { return "request.events[" + strconv.Itoa(i) + "]" }
		switch {
		case e.At.Before(prev.At):
			add(field()+".at", e.At.Format(time.RFC3339Nano), "is before the event before it: events are recorded in order")
		case int(prev.Kind) >= len(next) || !slices.Contains(next[prev.Kind], e.Kind):
			add(field()+".kind", e.Kind, "cannot follow %s (%s)", prev.Kind, RuleLifecycle)
		case prev.Kind == Asked && !e.At.Before(prev.Due):
			// The request expired at the window's end: no answer can follow it.
			add(field()+".at", e.At.Format(time.RFC3339Nano), "is not before the answer window's end %s: the request had expired (%s)", prev.Due.Format(time.RFC3339Nano), RuleAnswer)
		case (e.Kind == DeliveredEvent || e.Kind == Extended) && !e.Due.After(e.At) && req.Source != CollabPlus:
			add(field()+".due", e.Due.Format(time.RFC3339Nano), "must be after the event (%s)", RuleContentDue)
		case e.Kind == Approved && req.Source == CollabPlus && e.Due.IsZero():
			add(field()+".due", "", "must carry the collaboration's end (%s)", RuleDeadline)
		}
		if !ok && l == nil {
			return false
		}
	}
	return ok
}
