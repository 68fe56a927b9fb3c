package sampletest

import (
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/sample"
)

// CheckPolicy checks every one of [Properties] for p, each as a subtest of t named after it.
func CheckPolicy(t *testing.T, p sample.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named checks of policy p, each drawing requests, facts, histories and
// instants for p with this package's generators and asserting one rule of SPEC §6 through
// [sample.Rule]. A check fails, with rapid's minimal counter-example, when [sample.New] refuses
// p or when p makes the rule it guards do nothing.
func Properties(p sample.Policy) []affrulestest.Property {
	return []affrulestest.Property{
		{Name: "wait_after_rejection_or_expiry", Check: waitAfterRejection(p)},
		{Name: "every_band_admits_requests_up_to_its_cap", Check: bandCaps(p)},
		{Name: "collab_plus_grants_free_samples", Check: collabPlusFree(p)},
		{Name: "collab_plus_outside_monthly_caps", Check: collabPlusUncapped(p)},
		{Name: "extension_moves_the_deadline", Check: extension(p)},
		{Name: "sample_orders_earn_nothing", Check: sampleOrders(p)},
		{Name: "refund_window_outlasts_content_deadline", Check: refundAfterContent(p)},
	}
}

// rule returns p's rule, or fails t with the reason it has none.
func rule(t *rapid.T, p sample.Policy) sample.Rule {
	e, err := sample.New(p)
	if err != nil {
		t.Fatalf("sample.New: %v", err)
	}
	r, err := e.Rule()
	if err != nil {
		t.Fatalf("Rule: %v", err)
	}
	return r
}

// asDirect makes req a direct request.
func asDirect(req sample.Request) sample.Request {
	req.Source, req.Context, req.Partner = sample.Direct, "", ""
	return req
}

// asCollab makes req a Collaboration Plus request.
func asCollab(req sample.Request) sample.Request {
	req.Source, req.Context, req.Partner = sample.CollabPlus, "cp-1", ""
	return req
}

// openBand returns the name of a band of p that admits a request in an empty month, or false.
func openBand(p sample.Policy) (string, bool) {
	i := slices.IndexFunc(p.Bands, func(b sample.Band) bool { return b.Cap > 0 })
	if i < 0 {
		return "", false
	}
	return p.Bands[i].Name, true
}

// decide decides req with h and f at at, failing t on an error.
func decide(t *rapid.T, r sample.Rule, h sample.History, req sample.Request, f sample.Facts, at time.Time) (sample.Request, affrules.Decision) {
	got, d, err := r.Decide(h, req, f, at)
	if err != nil {
		t.Fatalf("Decide(%+v, %+v) at %v: %v", req, f, at, err)
	}
	return got, d
}

// SMP-10: after a rejection or an expiry, the creator waits WaitDays × 24 h to request the
// product again: denied, naming the instant it is allowed, until then; allowed from then. A
// policy without a wait (wait_days 0) fails.
func waitAfterRejection(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		band, ok := openBand(p)
		if !ok {
			return // no band admits a request: every_band_admits_requests_up_to_its_cap fails
		}
		req := asDirect(Request(p).Draw(t, "request"))
		at := Instant(p, req.Market).Draw(t, "at")
		f := sample.Facts{Band: band}
		made, d := decide(t, r, sample.History{}, req, f, at)
		if !d.Allowed || made.StateAt(at) != sample.Requested {
			t.Fatalf("a direct request to a seller who answers by hand at %v: %v, state %v; want it requested", at, d, made.StateAt(at))
		}
		answer := affrules.Days(p.AnswerDays)
		var ended time.Time
		how := "expired"
		if rapid.Bool().Draw(t, "declined") {
			how = "rejected"
			ended = at.Add(time.Duration(rapid.Int64Range(0, int64(answer)-1).Draw(t, "answered_after")))
			var err error
			if made, err = r.Record(made, sample.Declined, ended); err != nil {
				t.Fatalf("Record(declined) at %v: %v", ended, err)
			}
		} else {
			ended = at.Add(answer)
		}
		again := ended.Add(affrules.Days(p.WaitDays))
		next := req
		next.ID = req.ID + "-again"
		if _, d := decide(t, r, sample.History{Product: []sample.Request{made}}, next, f, ended); d.Allowed {
			t.Fatalf("request %s %s at %v, and the creator asked for %s again at that instant and was allowed: wait_days is %d, so no wait is in force (SMP-10)",
				req.ID, how, ended, req.Product, p.WaitDays)
		}
		x := rapid.SampledFrom([]time.Time{again.Add(-time.Nanosecond), again, again.Add(time.Nanosecond), ended.Add(again.Sub(ended) / 2)}).Draw(t, "asked_again")
		_, d = decide(t, r, sample.History{Product: []sample.Request{made}}, next, f, x)
		if d.Allowed != !x.Before(again) {
			t.Fatalf("asked again at %v after %s at %v with wait_days %d: %v; want allowed from %v only", x, how, ended, p.WaitDays, d, again)
		}
		if !d.Allowed && (!d.Failed(sample.RuleAnswer) || !d.NextAllowed.Equal(again)) {
			t.Fatalf("asked again at %v: %v; want SMP-10 naming %v", x, d, again)
		}
	}
}

// SMP-11: a creator in a band makes up to the band's cap of requests a month: allowed below
// it, denied at and above it with the start of the next month (in the market's zone) as the
// instant allowed (its history holds no request of a later month). A band capped at 0 admits
// nothing and fails.
func bandCaps(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		req := asDirect(Request(p).Draw(t, "request"))
		at := Instant(p, req.Market).Draw(t, "at")
		f := Facts(p, req, at).Draw(t, "facts")
		cap := 0
		for _, b := range p.Bands {
			if b.Name == f.Band {
				cap = b.Cap
			}
		}
		if cap <= 0 {
			t.Fatalf("band %q has cap %d: a creator in it can make no request in any month (SMP-11)", f.Band, cap)
		}
		h := History(p, req, f).Draw(t, "history")
		_, d := decide(t, r, h, req, f, at)
		if d.Allowed != (h.Month < cap) {
			t.Fatalf("band %q (cap %d), %d requests this month: %v; want allowed only below the cap", f.Band, cap, h.Month, d)
		}
		mk, _ := affrules.LookupMarket(req.Market)
		if !d.Allowed && (!d.Failed(sample.RuleMonthlyCap) || !d.NextAllowed.Equal(mk.Month(at).End)) {
			t.Fatalf("band %q at the cap at %v: %v; want SMP-11 allowing from %v", f.Band, at, d, mk.Month(at).End)
		}
	}
}

// SMP-3: a member of a Collaboration Plus offering free samples gets CollabPlusFree of them,
// approved at once and straight to "to ship", and no more. A policy granting none
// (collab_plus_free 0) fails.
func collabPlusFree(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		if p.CollabPlusFree <= 0 {
			t.Fatalf("collab_plus_free is %d: a Collaboration Plus offering free samples grants none (SMP-3)", p.CollabPlusFree)
		}
		req := asCollab(Request(p).Draw(t, "request"))
		at := Instant(p, req.Market).Draw(t, "at")
		f := Facts(p, req, at).Draw(t, "facts")
		f.FreeSamples, f.Member = true, true
		h := History(p, req, f).Draw(t, "history")
		h.Month = 0
		if band, ok := openBand(p); ok {
			f.Band = band
		}
		got, d := decide(t, r, h, req, f, at)
		if d.Failed(sample.RuleCollabPlus) != (h.InCollab >= p.CollabPlusFree) {
			t.Fatalf("%d samples of the collaboration already, collab_plus_free %d: %v", h.InCollab, p.CollabPlusFree, d)
		}
		if d.Allowed && got.StateAt(at) != sample.ToShip {
			t.Fatalf("a pre-approved sample at %v is %v, want to_ship (SMP-3)", at, got.StateAt(at))
		}
	}
}

// SMP-3, SMP-11: Collaboration Plus samples are outside the monthly caps: a member at or above
// the cap still gets them. A policy counting them (collab_plus_capped) fails.
func collabPlusUncapped(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		req := asCollab(Request(p).Draw(t, "request"))
		at := Instant(p, req.Market).Draw(t, "at")
		f := Facts(p, req, at).Draw(t, "facts")
		h := History(p, req, f).Draw(t, "history")
		if _, d := decide(t, r, h, req, f, at); d.Failed(sample.RuleMonthlyCap) {
			t.Fatalf("a Collaboration Plus request with %d requests this month in band %q was denied by the monthly cap: collab_plus_capped is %t (SMP-3, SMP-11)",
				h.Month, f.Band, p.CollabPlusCapped)
		}
	}
}

// SMP-9: content is due ContentDays × 24 h after delivery, and the one extension, asked before
// then, moves the deadline ExtensionDays × 24 h later: delivered, not overdue, until the new
// deadline. A policy whose extension is nothing (extension_days 0) fails.
func extension(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		band, ok := openBand(p)
		if !ok {
			return // no band admits a request: every_band_admits_requests_up_to_its_cap fails
		}
		req := asDirect(Request(p).Draw(t, "request"))
		at := Instant(p, req.Market).Draw(t, "at")
		got, d := decide(t, r, sample.History{}, req, sample.Facts{Band: band, AutoApprove: true}, at)
		if !d.Allowed {
			t.Fatalf("an automatically approved request at %v: %v", at, d)
		}
		shipped := at.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "ship_after")))
		delivered := shipped.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "deliver_after")))
		var err error
		for _, s := range []struct {
			k  sample.EventKind
			at time.Time
		}{{sample.ShippedEvent, shipped}, {sample.DeliveredEvent, delivered}} {
			if got, err = r.Record(got, s.k, s.at); err != nil {
				t.Fatalf("Record(%v) at %v: %v", s.k, s.at, err)
			}
		}
		due := delivered.Add(affrules.Days(p.ContentDays))
		if s := got.StateAt(due.Add(-time.Nanosecond)); s != sample.Delivered {
			t.Fatalf("the nanosecond before content is due (%v): %v, want delivered (SMP-9)", due, s)
		}
		ext := rapid.SampledFrom([]time.Time{delivered, due.Add(-time.Nanosecond), delivered.Add(due.Sub(delivered) / 2)}).Draw(t, "extended_at")
		if got, err = r.Record(got, sample.Extended, ext); err != nil {
			t.Fatalf("Record(extended) at %v, content due %v: %v", ext, due, err)
		}
		newDue := due.Add(affrules.Days(p.ExtensionDays))
		if s := got.StateAt(due); s != sample.Delivered {
			t.Fatalf("extended at %v, content was due %v: at that instant the sample is %v, not delivered: extension_days is %d, so the extension moves nothing (SMP-9)",
				ext, due, s, p.ExtensionDays)
		}
		if s := got.StateAt(newDue); s != sample.Overdue {
			t.Fatalf("extended deadline %v: %v, want overdue (SMP-9)", newDue, s)
		}
	}
}

// SMP-13: the order an approved request creates earns no commission and is not the creator's
// GMV. A policy that says otherwise (sample_orders_earn_commission, sample_orders_count_as_gmv)
// fails.
func sampleOrders(p sample.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		r := rule(t, p)
		req := Request(p).Draw(t, "request")
		at := Instant(p, req.Market).Draw(t, "at")
		f := Facts(p, req, at).Draw(t, "facts")
		f.AutoApprove, f.FreeSamples, f.Member = true, true, true
		h := sample.History{}
		if band, ok := openBand(p); ok {
			f.Band = band
		}
		got, d := decide(t, r, h, req, f, at)
		if !d.Allowed || len(got.Events) < 2 {
			return // not approved at once under this policy: nothing to order
		}
		o, err := r.Order(got, at)
		if err != nil {
			t.Fatalf("Order of %s approved at %v: %v", got.ID, at, err)
		}
		if o.Commission || o.GMV {
			t.Fatalf("the sample order of %s earns commission %t and counts as GMV %t: sample_orders_earn_commission is %t, sample_orders_count_as_gmv %t (SMP-13)",
				got.ID, o.Commission, o.GMV, p.SampleOrdersEarnCommission, p.SampleOrdersCountAsGMV)
		}
	}
}

// SMP-5, SMP-9: a refundable sample's window outlasts the content deadline: a creator who posts
// content at the last instant the deadline and its extension allow, and whose sales reach the
// goal at once, is refunded the price and shipping in full. A policy whose refund window closes
// before that (refund_days below content_days + extension_days and the delivery) fails.
func refundAfterContent(p sample.Policy) func(*rapid.T) {
	purchases := Purchase(p)
	return func(t *rapid.T) {
		r := rule(t, p)
		pu := purchases.Draw(t, "purchase")
		delivered := pu.At.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "delivered_after")))
		deadline := delivered.Add(affrules.Days(p.ContentDays + p.ExtensionDays))
		posted := deadline.Add(-time.Nanosecond)
		sale := sample.Sale{At: posted, Orders: pu.Target.IntPart(), Amount: pu.Target, Buyer: "buyer"}
		if pu.Goal == sample.Orders {
			sale.Amount = decimal.Zero
		}
		got, d, err := r.Refund(pu, []sample.Sale{sale}, posted)
		if err != nil {
			t.Fatalf("Refund(%+v, %+v) at %v: %v", pu, sale, posted, err)
		}
		if want := pu.Price.Add(pu.Shipping); !d.Allowed || !got.Amount.Equal(want) {
			t.Fatalf("content posted at the last instant allowed, %v (content_days %d + extension_days %d after a delivery at %v), and the goal reached then, but the refund window closed at %v: refund_days is %d, refund %v, want %v: %v (SMP-5, SMP-9)",
				posted, p.ContentDays, p.ExtensionDays, delivered, got.Deadline, p.RefundDays, got.Amount, want, d)
		}
	}
}
