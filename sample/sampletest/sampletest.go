// Package sampletest checks implementations of [sample.Ledger], as testing/fstest checks file
// systems. It depends on the standard library and pgregory.net/rapid only (besides the packages it
// checks and what they need, github.com/shopspring/decimal), so a host's build of its own
// ledger's tests pulls in nothing else.
//
// [TestLedger] runs the suite: requests recorded exactly as returned and listed per creator by the
// instant asked, those asked at one instant in the order they were recorded (not by ID); events
// recorded by the rule given on each call; the [sample.History] a ledger builds, checked through
// the decisions and errors it leads to (the open request denied, the order of requests and the
// 30-day wait per creator, seller and product, SMP-10; the monthly cap in the market's month over
// the sources [sample.Rule.Capped] counts, SMP-11; the automatic approvals per product of a
// campaign, under review or reject, SMP-2; the samples per creator of a Collaboration Plus, SMP-3);
// a request made again under its ID ([sample.ErrConflict]); an unknown ID ([sample.ErrNotFound]);
// denials, refusals and bad input recording nothing; returned requests that are copies; a cancelled
// context; a model-based state machine ("machine": up to 15 runs of rapid, each on a new ledger, of
// requests and events at instants on the windows' edges, compared at every step with a plain model
// of SPEC §6: every decision with its reasons and NextAllowed, every event and refusal, states that
// only move forward, refused and bad calls recording nothing, the fulfilment rate); and the atomic
// step SMP-7 asks for under concurrent use: 100 requests racing for the last 3 units of a quantity
// admit exactly 3 (the rest wait for the seller's review), 20 requests of one creator for one
// product leave exactly one open (the rest are denied), 16 requests of different creators under one
// ID record exactly one (the rest wrap [sample.ErrConflict]), 20 requests of one creator at once
// stop at the monthly cap, 10 at once in one Collaboration Plus stop at 3, and 10 answers to one
// request record one.
//
// A ledger's own test calls it with a function returning a new, empty ledger:
//
//	func TestLedger(t *testing.T) {
//		sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return myledger.New(t) })
//	}
//
// The package also checks a host's own [sample.Policy]: [CheckPolicy] runs [Properties], each
// a named rapid property that reports a minimal counter-example:
//
//   - wait_after_rejection_or_expiry (SMP-10): after a rejection or an expiry the creator
//     waits wait_days for the product, denied with the instant allowed, then allowed.
//   - every_band_admits_requests_up_to_its_cap (SMP-11): a band admits requests below its cap
//     and denies them at it until the market's next month (none of a later month is held);
//     a band capped at 0 fails.
//   - collab_plus_grants_free_samples (SMP-3): a Collaboration Plus member gets
//     collab_plus_free samples straight to "to ship", no more, and at least one.
//   - collab_plus_outside_monthly_caps (SMP-3, SMP-11): the monthly cap never denies them.
//   - extension_moves_the_deadline (SMP-9): the one extension keeps a sample delivered, not
//     overdue, past its first deadline. A policy whose extension_days is 0 (valid: no
//     extension) fails it on purpose: its host runs the others Without it.
//   - sample_orders_earn_nothing (SMP-13): a sample order earns no commission and no GMV.
//   - refund_window_outlasts_content_deadline (SMP-5, SMP-9): content posted at the last
//     instant the deadline and its extension allow, with the goal reached then, is refunded.
//
// The invariants no policy can break (states only move forward, a final state never changes,
// refused and bad calls record nothing, the quantity, caps and Collaboration Plus samples never
// exceeded) are the ledger's to keep, and TestLedger's machine checks them.
//
// The generators draw valid policies ([Policy]) and, for a policy, instants on its markets'
// month edges and daylight-saving changes ([Instant]), requests ([Request]), facts ([Facts]),
// histories whose counts straddle the policy's caps and the campaign's quantity ([History]),
// refundable purchases ([Purchase]) and sales on the edges of their refund window ([Sales]).
//
// Interpretations: a property that needs an approved request (extension_moves_the_deadline,
// wait_after_rejection_or_expiry) uses a band whose cap admits one and passes when there is
// none, which every_band_admits_requests_up_to_its_cap reports; TestLedger's machine makes at
// most 15 runs (lowering -rapid.checks while it runs, unless it is given on the
// command line), each on a new ledger.
package sampletest

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/sample"
)

const day = 24 * time.Hour

var (
	kl = mustZone("Asia/Kuala_Lumpur")
	// t0 is when the suite's first requests are made: 1 December 2026, 09:00 in Kuala Lumpur.
	t0 = time.Date(2026, time.December, 1, 9, 0, 0, 0, kl)
	// january is the first instant of January 2027 in Kuala Lumpur, the end of t0's month.
	january = time.Date(2027, time.January, 1, 0, 0, 0, 0, kl)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ruleOf returns the rule of policy p.
func ruleOf(t *testing.T, p sample.Policy) sample.Rule {
	t.Helper()
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

// direct returns creator's direct request to shop-1 in MY for product.
func direct(id, creator, product string) sample.Request {
	return sample.Request{ID: id, Seller: "shop-1", Creator: creator, Product: product, Market: affrules.MY, Source: sample.Direct}
}

// longKey returns 4,000 random hexadecimal digits: too long for an ID, and for an index of a
// database that compresses what it indexes.
func longKey() string {
	b := make([]byte, 2000)
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return hex.EncodeToString(b)
}

// inCampaign returns agency-1's request for creator in shop-1's registration of product in the
// partner campaign "year-end".
func inCampaign(id, creator, product string) sample.Request {
	r := direct(id, creator, product)
	r.Source, r.Context, r.Partner = sample.Campaign, "year-end", "agency-1"
	return r
}

// inCollab returns creator's request for product in shop-1's Collaboration Plus collab.
func inCollab(id, creator, product, collab string) sample.Request {
	r := direct(id, creator, product)
	r.Source, r.Context = sample.CollabPlus, collab
	return r
}

var (
	band1  = sample.Facts{Band: "band_1"}
	until  = t0.Add(20 * day)
	collab = sample.Facts{Member: true, Until: until, FreeSamples: true}
)

// ask makes req at at and requires it to be allowed.
func ask(t *testing.T, l sample.Ledger, r sample.Rule, req sample.Request, f sample.Facts, at time.Time) sample.Request {
	t.Helper()
	got, d, err := l.Request(context.Background(), r, req, f, at)
	if err != nil {
		t.Fatalf("Request(%s) at %v: %v", req.ID, at, err)
	}
	if !d.Allowed {
		t.Fatalf("Request(%s) at %v: %v", req.ID, at, d)
	}
	return got
}

// denied makes req at at and requires a denial for exactly the rules want (in order), with
// next as NextAllowed.
func denied(t *testing.T, l sample.Ledger, r sample.Rule, req sample.Request, f sample.Facts, at time.Time, next time.Time, want ...affrules.RuleID) {
	t.Helper()
	got, d, err := l.Request(context.Background(), r, req, f, at)
	if err != nil {
		t.Fatalf("Request(%s) at %v: %v, want a denial for %v", req.ID, at, err, want)
	}
	var rules []affrules.RuleID
	for _, x := range d.Reasons {
		rules = append(rules, x.Rule)
	}
	if d.Allowed || !slices.Equal(rules, want) {
		t.Fatalf("Request(%s) at %v: %v, want a denial for %v", req.ID, at, d, want)
	}
	if !d.NextAllowed.Equal(next) {
		t.Fatalf("Request(%s) at %v: next allowed %v, want %v", req.ID, at, d.NextAllowed, next)
	}
	if diffRequest(sample.Request{}, got) != "" {
		t.Fatalf("Request(%s) denied, but returned %+v", req.ID, got)
	}
}

// badRequest makes req at at and requires bad input naming field, with nothing returned.
func badRequest(t *testing.T, l sample.Ledger, r sample.Rule, req sample.Request, f sample.Facts, at time.Time, field string) {
	t.Helper()
	got, d, err := l.Request(context.Background(), r, req, f, at)
	if !fieldError(err, field) {
		t.Fatalf("Request(%s) at %v: %v, %v; want a FieldError on %s", req.ID, at, d, err, field)
	}
	if d.Allowed || diffRequest(sample.Request{}, got) != "" {
		t.Fatalf("Request(%s) was bad input, but returned %+v, %v", req.ID, got, d)
	}
}

// record records k on id at at and requires it to succeed.
func record(t *testing.T, l sample.Ledger, r sample.Rule, id string, k sample.EventKind, at time.Time) sample.Request {
	t.Helper()
	got, err := l.Record(context.Background(), r, id, k, at)
	if err != nil {
		t.Fatalf("Record(%s, %v) at %v: %v", id, k, at, err)
	}
	return got
}

// held returns creator's requests, read with Requests.
func held(t *testing.T, l sample.Ledger, creator string) []sample.Request {
	t.Helper()
	rs, err := l.Requests(context.Background(), creator)
	if err != nil {
		t.Fatalf("Requests(%q): %v", creator, err)
	}
	return rs
}

// unchanged requires creator's requests to be want.
func unchanged(t *testing.T, l sample.Ledger, creator string, want []sample.Request, after string) {
	t.Helper()
	if diff := diffRequests(want, held(t, l, creator)); diff != "" {
		t.Errorf("after %s, %s's requests changed:\n%s", after, creator, diff)
	}
}

// fieldError reports whether err is, or joins, a *affrules.FieldError naming field.
func fieldError(err error, field string) bool {
	var fe *affrules.FieldError
	if errors.As(err, &fe) && fe.Field == field {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return slices.ContainsFunc(j.Unwrap(), func(e error) bool { return fieldError(e, field) })
	}
	return false
}

// together runs f(0) … f(n-1) on n goroutines released at once, and waits for them.
func together(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			f(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// TestLedger checks the ledger newLedger returns, which must be new and empty each call.
func TestLedger(t *testing.T, newLedger func(t *testing.T) sample.Ledger) {
	ctx := context.Background()
	rule := ruleOf(t, sample.DefaultPolicy())

	t.Run("RequestAndRecord", func(t *testing.T) {
		l := newLedger(t)
		r1 := ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		r2 := ask(t, l, rule, inCampaign("r2", "aisyah", "toner"), sample.Facts{Quantity: 1, Band: "band_1"}, t0.Add(time.Minute))
		r3 := ask(t, l, rule, inCollab("r3", "aisyah", "lotion", "cp-1"), collab, t0.Add(2*time.Minute))
		ask(t, l, rule, direct("b1", "budi", "serum"), band1, t0)
		for _, c := range []struct {
			r    sample.Request
			want sample.State
		}{{r1, sample.Requested}, {r2, sample.ToShip}, {r3, sample.ToShip}} {
			if s := c.r.StateAt(t0.Add(time.Hour)); s != c.want {
				t.Errorf("%s: state %v, want %v", c.r.ID, s, c.want)
			}
		}
		if diff := diffRequests([]sample.Request{r1, r2, r3}, held(t, l, "aisyah")); diff != "" {
			t.Errorf("Requests holds what Request did not return, or not by the instant asked (want is what was returned):\n%s", diff)
		}

		steps := []struct {
			k  sample.EventKind
			at time.Time
		}{
			{sample.Approved, t0.Add(time.Hour)},
			{sample.ShippedEvent, t0.Add(day)},
			{sample.DeliveredEvent, t0.Add(3 * day)},
			{sample.Extended, t0.Add(10 * day)},
			{sample.Posted, t0.Add(12 * day)},
		}
		var got sample.Request
		for _, s := range steps {
			got = record(t, l, rule, "r1", s.k, s.at)
			if diff := diffRequest(got, held(t, l, "aisyah")[0]); diff != "" {
				t.Errorf("after %v the ledger holds what Record did not return (want is what was returned):\n%s", s.k, diff)
			}
		}
		want := []sample.Event{
			{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)},
			{Kind: sample.Approved, At: t0.Add(time.Hour)},
			{Kind: sample.ShippedEvent, At: t0.Add(day)},
			{Kind: sample.DeliveredEvent, At: t0.Add(3 * day), Due: t0.Add(17 * day)},
			{Kind: sample.Extended, At: t0.Add(10 * day), Due: t0.Add(24 * day)},
			{Kind: sample.Posted, At: t0.Add(12 * day)},
		}
		if diff := diffEvents(want, got.Events); diff != "" {
			t.Errorf("r1's events:\n%s", diff)
		}
		if rs := held(t, l, "cara"); len(rs) != 0 {
			t.Errorf("Requests of a creator without requests: %+v", rs)
		}
	})

	t.Run("RequestsInRecordingOrder", func(t *testing.T) {
		// Ledger.Requests: "by the instant each was asked (its first event), those asked at the
		// same instant in the order they were recorded". Three asked at one instant, recorded in
		// neither the text nor the numeric order of their IDs; one asked before them, recorded
		// last.
		l := newLedger(t)
		var tied []sample.Request
		for i, id := range []string{"r9", "r2", "r10"} {
			tied = append(tied, ask(t, l, rule, direct(id, "aisyah", fmt.Sprint("p", i)), band1, t0.Add(time.Hour)))
		}
		want := append([]sample.Request{ask(t, l, rule, direct("r5", "aisyah", "p9"), band1, t0)}, tied...)
		got := held(t, l, "aisyah")
		if !slices.Equal(ids(want), ids(got)) {
			t.Errorf("Requests(aisyah) lists %v, want %v: by the instant asked, those asked at one instant not in the order recorded", ids(got), ids(want))
		} else if diff := diffRequests(want, got); diff != "" {
			t.Errorf("Requests holds what Request did not return (want is what was returned):\n%s", diff)
		}
	})

	t.Run("OpenRequestAndWait_SMP10", func(t *testing.T) {
		l := newLedger(t)
		ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		denied(t, l, rule, direct("r2", "aisyah", "serum"), band1, t0.Add(time.Hour), time.Time{}, "SMP-10")
		// A request dated before the open one is judged against it too, never beside it.
		before := held(t, l, "aisyah")
		badRequest(t, l, rule, direct("r2", "aisyah", "serum"), band1, t0.Add(-time.Hour), "at")
		unchanged(t, l, "aisyah", before, "a request dated before the product's open one")
		otherShop := direct("r2", "aisyah", "serum")
		otherShop.Seller = "shop-2"
		ask(t, l, rule, otherShop, band1, t0.Add(time.Hour))
		ask(t, l, rule, direct("r3", "aisyah", "toner"), band1, t0.Add(time.Hour))
		ask(t, l, rule, direct("b1", "budi", "serum"), band1, t0.Add(time.Hour))

		// Rejected: the same product again from exactly 30 × 24 h after the rejection.
		rejectedAt := t0.Add(2 * time.Hour)
		record(t, l, rule, "r1", sample.Declined, rejectedAt)
		again := rejectedAt.Add(30 * day)
		denied(t, l, rule, direct("r4", "aisyah", "serum"), band1, again.Add(-time.Nanosecond), again, "SMP-10")
		ask(t, l, rule, direct("r4", "aisyah", "serum"), band1, again)

		// Expired unanswered (r3, at t0+1h+7d): toner again from 30 × 24 h after the expiry.
		expiry := t0.Add(time.Hour + 7*day)
		denied(t, l, rule, direct("r5", "aisyah", "toner"), band1, expiry.Add(-time.Nanosecond), time.Time{}, "SMP-10")
		denied(t, l, rule, direct("r5", "aisyah", "toner"), band1, expiry.Add(30*day-time.Nanosecond), expiry.Add(30*day), "SMP-10")
		ask(t, l, rule, direct("r5", "aisyah", "toner"), band1, expiry.Add(30*day))
		// An answer dated within the expired request's window that reaches the ledger after the
		// next request is bad input: it would reopen r3 beside r5 (two open requests for one
		// product). Nothing is recorded.
		before = held(t, l, "aisyah")
		if _, err := l.Record(ctx, rule, "r3", sample.Approved, expiry.Add(-time.Second)); !fieldError(err, "at") {
			t.Errorf("a late answer to r3, dated before r5 was made: %v, want a FieldError naming at", err)
		}
		unchanged(t, l, "aisyah", before, "a late answer to an expired request")

		// Fulfilled: asked again at once.
		auto := sample.Facts{AutoApprove: true, Band: "band_1"}
		ask(t, l, rule, direct("c1", "cara", "serum"), auto, t0)
		record(t, l, rule, "c1", sample.ShippedEvent, t0.Add(day))
		record(t, l, rule, "c1", sample.DeliveredEvent, t0.Add(2*day))
		denied(t, l, rule, direct("c2", "cara", "serum"), auto, t0.Add(3*day), time.Time{}, "SMP-10")
		record(t, l, rule, "c1", sample.Posted, t0.Add(4*day))
		// Requests are made in order: not before the last event of the product's requests.
		before = held(t, l, "cara")
		badRequest(t, l, rule, direct("c2", "cara", "serum"), auto, t0.Add(4*day-time.Nanosecond), "at")
		unchanged(t, l, "cara", before, "a request before the product's last event")
		ask(t, l, rule, direct("c2", "cara", "serum"), auto, t0.Add(4*day))
	})

	t.Run("MonthlyCap_SMP11", func(t *testing.T) {
		l := newLedger(t)
		for i := range 5 {
			ask(t, l, rule, direct(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i)), band1, t0.Add(time.Duration(i)*day))
		}
		denied(t, l, rule, direct("r5", "aisyah", "p5"), band1, t0.Add(5*day), january, "SMP-11")
		denied(t, l, rule, direct("r5", "aisyah", "p5"), band1, january.Add(-time.Nanosecond), january, "SMP-11")
		// A request dated before some of the month's five counts them all: requests arriving out
		// of order cannot pass the cap together.
		denied(t, l, rule, direct("r9", "aisyah", "p9"), band1, t0.Add(2*day-time.Hour), january, "SMP-11")
		ask(t, l, rule, direct("b0", "budi", "p0"), band1, t0.Add(5*day))
		ask(t, l, rule, direct("b1", "budi", "p1"), sample.Facts{Band: "band_2"}, t0.Add(5*day))
		// 17:00 UTC on 31 December is January in Kuala Lumpur.
		ask(t, l, rule, direct("r5", "aisyah", "p5"), band1, time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC))
		// Another market's requests are another count, in that market's month.
		uk := direct("u0", "aisyah", "p0")
		uk.Market = affrules.UK
		ask(t, l, rule, uk, band1, t0)

		// Requests reaching the ledger out of order: January is full before December is, so a
		// December request refused under the cap is told February, the first month with room
		// (the ledger passes the later months' counts, History.LaterMonths).
		c := newLedger(t)
		february := january.AddDate(0, 1, 0)
		for i := range 5 {
			ask(t, c, rule, direct(fmt.Sprint("j", i), "citra", fmt.Sprint("j", i)), band1, january.Add(time.Duration(i)*day))
			ask(t, c, rule, direct(fmt.Sprint("d", i), "citra", fmt.Sprint("d", i)), band1, t0.Add(time.Duration(i)*day))
		}
		denied(t, c, rule, direct("d5", "citra", "d5"), band1, t0.Add(5*day), february, "SMP-11")
	})

	t.Run("Quantity_SMP2", func(t *testing.T) {
		l := newLedger(t)
		state := func(r sample.Request) sample.State { return r.StateAt(r.Events[0].At) }
		q := func(n int64) sample.Facts { return sample.Facts{Quantity: n, Band: "band_1"} }
		for i := range 2 {
			if s := state(ask(t, l, rule, inCampaign(fmt.Sprint("r", i), fmt.Sprint("c", i), "serum"), q(2), t0)); s != sample.ToShip {
				t.Errorf("request %d within a quantity of 2: %v, want to_ship", i+1, s)
			}
		}
		if s := state(ask(t, l, rule, inCampaign("r2", "c2", "serum"), q(2), t0)); s != sample.Requested {
			t.Errorf("beyond the quantity: %v, want requested (review)", s)
		}
		record(t, l, rule, "r2", sample.Approved, t0.Add(time.Hour)) // by hand: not counted
		if s := state(ask(t, l, rule, inCampaign("r3", "c3", "serum"), q(3), t0.Add(2*time.Hour))); s != sample.ToShip {
			t.Errorf("quantity raised to 3: %v, want to_ship", s)
		}
		if s := state(ask(t, l, rule, inCampaign("r4", "c4", "serum"), q(1), t0.Add(2*time.Hour))); s != sample.Requested {
			t.Errorf("quantity lowered to 1: %v, want requested", s)
		}
		for _, id := range []string{"r0", "r1", "r3"} {
			c := "c" + id[1:]
			if s := held(t, l, c)[0].StateAt(t0.Add(3 * time.Hour)); s != sample.ToShip {
				t.Errorf("%s after the quantity was lowered: %v, want to_ship (nothing revoked)", id, s)
			}
		}
		// Other products and campaigns count on their own.
		if s := state(ask(t, l, rule, inCampaign("r5", "c5", "toner"), q(1), t0)); s != sample.ToShip {
			t.Errorf("another product: %v, want to_ship", s)
		}
		other := inCampaign("r6", "c6", "serum")
		other.Context = "new-year"
		if s := state(ask(t, l, rule, other, q(1), t0)); s != sample.ToShip {
			t.Errorf("another campaign: %v, want to_ship", s)
		}
		// The rule is given on each call: under "reject", beyond the quantity is denied, nothing
		// is recorded, and the creator may ask again at once when the quantity is raised.
		p := sample.DefaultPolicy()
		p.OverQuantity = sample.OverQuantityReject
		reject := ruleOf(t, p)
		denied(t, l, reject, inCampaign("r7", "c7", "serum"), q(3), t0.Add(3*time.Hour), time.Time{}, "SMP-2")
		unchanged(t, l, "c7", nil, "a request denied beyond the quantity")
		if s := state(ask(t, l, reject, inCampaign("r7", "c7", "serum"), q(4), t0.Add(3*time.Hour))); s != sample.ToShip {
			t.Errorf("quantity raised to 4 under reject: %v, want to_ship", s)
		}
	})

	t.Run("CollabPlus_SMP3", func(t *testing.T) {
		l := newLedger(t)
		for i := range 3 {
			got := ask(t, l, rule, inCollab(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i), "cp-1"), collab, t0)
			if s := got.StateAt(t0); s != sample.ToShip {
				t.Errorf("pre-approved sample %d: %v, want to_ship", i+1, s)
			}
		}
		denied(t, l, rule, inCollab("r3", "aisyah", "p3", "cp-1"), collab, t0, time.Time{}, "SMP-3")
		ask(t, l, rule, inCollab("r3", "aisyah", "p3", "cp-2"), collab, t0)
		ask(t, l, rule, inCollab("b0", "budi", "p3", "cp-1"), collab, t0)
		// Collaboration IDs are the seller's: another seller's "cp-1" has its own three.
		other := inCollab("o0", "aisyah", "p4", "cp-1")
		other.Seller = "shop-2"
		ask(t, l, rule, other, collab, t0)
		// Outside the caps: five direct requests still allowed this month.
		for i := range 5 {
			ask(t, l, rule, direct(fmt.Sprint("d", i), "aisyah", fmt.Sprint("q", i)), band1, t0)
		}
		// Inside them with CollabPlusCapped: the four collaboration requests count.
		p := sample.DefaultPolicy()
		p.CollabPlusCapped = true
		l = newLedger(t)
		capped := ruleOf(t, p)
		f := sample.Facts{Member: true, Band: "band_1", Until: until, FreeSamples: true}
		for i := range 3 {
			ask(t, l, capped, inCollab(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i), "cp-1"), f, t0)
		}
		ask(t, l, capped, direct("d0", "aisyah", "q0"), band1, t0)
		ask(t, l, capped, direct("d1", "aisyah", "q1"), band1, t0)
		denied(t, l, capped, direct("d2", "aisyah", "q2"), band1, t0, january, "SMP-11")
	})

	t.Run("Conflict", func(t *testing.T) {
		l := newLedger(t)
		first := ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		for _, req := range []sample.Request{direct("r1", "aisyah", "toner"), direct("r1", "budi", "serum")} {
			got, d, err := l.Request(ctx, rule, req, band1, t0.Add(time.Hour))
			if !errors.Is(err, sample.ErrConflict) {
				t.Errorf("request %s again (%s, %s): error %v, want ErrConflict", req.ID, req.Creator, req.Product, err)
			}
			if d.Allowed || diffRequest(sample.Request{}, got) != "" {
				t.Errorf("a conflicting request returned %+v, %v", got, d)
			}
		}
		unchanged(t, l, "aisyah", []sample.Request{first}, "requests under a held ID")
		unchanged(t, l, "budi", nil, "requests under a held ID")
	})

	t.Run("NotFound", func(t *testing.T) {
		l := newLedger(t)
		first := ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		for _, id := range []string{"r2", "", "R1"} {
			if _, err := l.Record(ctx, rule, id, sample.Approved, t0.Add(time.Hour)); !errors.Is(err, sample.ErrNotFound) {
				t.Errorf("Record(%q): error %v, want ErrNotFound", id, err)
			}
		}
		unchanged(t, l, "aisyah", []sample.Request{first}, "events on unknown requests")
	})

	t.Run("DenialsAndErrorsRecordNothing", func(t *testing.T) {
		l := newLedger(t)
		first := ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		before := []sample.Request{first}
		// A denial (SMP-12), SMP-10's open request, bad input, a policy-less rule.
		denied(t, l, rule, inCollab("r2", "aisyah", "lotion", "cp-1"), sample.Facts{Member: true, Until: until}, t0.Add(time.Hour), time.Time{}, "SMP-12")
		denied(t, l, rule, direct("r2", "aisyah", "serum"), band1, t0.Add(time.Hour), time.Time{}, "SMP-10")
		bad := direct("r3", "aisyah", "toner")
		bad.Market = "ZZ"
		if _, _, err := l.Request(ctx, rule, bad, band1, t0); !fieldError(err, "request.market") {
			t.Errorf("a request in an unknown market: error %v, want a FieldError on request.market", err)
		}
		if _, _, err := l.Request(ctx, rule, direct("r4", "aisyah", "toner"), sample.Facts{Band: "band_9"}, t0); !fieldError(err, "facts.band") {
			t.Errorf("an unknown band: error %v, want a FieldError on facts.band", err)
		}
		if _, _, err := l.Request(ctx, sample.Rule{}, direct("r5", "aisyah", "toner"), band1, t0); !errors.Is(err, sample.ErrNoPolicy) {
			t.Errorf("the zero Rule: error %v, want ErrNoPolicy", err)
		}
		// A key too long to be an ID (and, random, too long for a database's index) is the
		// rules' bad input, as Decide reports it, whatever the ledger writes first.
		long := longKey()
		for field, edit := range map[string]func(*sample.Request){
			"request.seller":  func(r *sample.Request) { r.Seller = long },
			"request.product": func(r *sample.Request) { r.Product = long },
			"request.context": func(r *sample.Request) { r.Context = long },
		} {
			req := inCampaign("r6", "aisyah", "toner")
			edit(&req)
			if _, _, err := l.Request(ctx, rule, req, band1, t0.Add(time.Hour)); !fieldError(err, field) {
				t.Errorf("a campaign request whose %s is %d bytes: error %v, want a FieldError on %s", field, len(long), err, field)
			}
		}
		if _, _, err := l.Request(ctx, rule, direct("r6", long, "toner"), band1, t0.Add(time.Hour)); !fieldError(err, "request.creator") {
			t.Errorf("a creator of %d bytes: error %v, want a FieldError on request.creator", len(long), err)
		}
		unchanged(t, l, long, nil, "a request by a creator of a long ID")
		unchanged(t, l, "aisyah", before, "a denial and bad requests")
		// The IDs of what was not recorded are free.
		ask(t, l, rule, direct("r3", "budi", "toner"), band1, t0)

		// A refused event (SMP-6), an event out of order, an event that is none.
		var refusal *affrules.Refusal
		if _, err := l.Record(ctx, rule, "r1", sample.ShippedEvent, t0.Add(time.Hour)); !errors.As(err, &refusal) || !errors.Is(err, affrules.ErrRefused) {
			t.Errorf("shipping a requested sample: error %v, want a *Refusal", err)
		} else if refusal.Action != "shipped" || !refusal.Decision.Failed(sample.RuleLifecycle) {
			t.Errorf("refusal %v, want SMP-6's refusal of shipped", refusal)
		}
		record(t, l, rule, "r1", sample.Approved, t0.Add(2*time.Hour))
		before = held(t, l, "aisyah")
		if _, err := l.Record(ctx, rule, "r1", sample.ShippedEvent, t0.Add(time.Hour)); !fieldError(err, "at") {
			t.Errorf("an event before the last: error %v, want a FieldError on at", err)
		}
		if _, err := l.Record(ctx, rule, "r1", sample.Asked, t0.Add(3*time.Hour)); !fieldError(err, "event") {
			t.Errorf("recording asked: error %v, want a FieldError on event", err)
		}
		if _, err := l.Record(ctx, sample.Rule{}, "r1", sample.ShippedEvent, t0.Add(3*time.Hour)); !errors.Is(err, sample.ErrNoPolicy) {
			t.Errorf("the zero Rule: error %v, want ErrNoPolicy", err)
		}
		unchanged(t, l, "aisyah", before, "refused and bad events")
	})

	t.Run("CopiesIsolated", func(t *testing.T) {
		l := newLedger(t)
		req := direct("r1", "aisyah", "serum")
		got := ask(t, l, rule, req, sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
		want := []sample.Request{{ID: "r1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.Direct,
			Events: []sample.Event{{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)}, {Kind: sample.Approved, At: t0, Auto: true}}}}
		got.Events[0].Due = t0
		got.Events[1].Kind = sample.Declined
		got.Events = append(got.Events, sample.Event{Kind: sample.Posted, At: t0})
		got.Creator = "x"
		unchanged(t, l, "aisyah", want, "changing a request Request returned")

		rec := record(t, l, rule, "r1", sample.ShippedEvent, t0.Add(day))
		want[0].Events = append(want[0].Events, sample.Event{Kind: sample.ShippedEvent, At: t0.Add(day)})
		rec.Events[2].At = t0
		rec.Events = append(rec.Events[:1], sample.Event{Kind: sample.Declined, At: t0})
		unchanged(t, l, "aisyah", want, "changing a request Record returned")

		listed := held(t, l, "aisyah")
		listed[0].Events[0].Kind = sample.Posted
		listed[0].Events = listed[0].Events[:1]
		listed[0].ID = "x"
		unchanged(t, l, "aisyah", want, "changing what Requests returned")
		// Recording after the changes sees the request as it was recorded.
		if s := record(t, l, rule, "r1", sample.DeliveredEvent, t0.Add(2*day)).StateAt(t0.Add(2 * day)); s != sample.Delivered {
			t.Errorf("state after delivery: %v, want delivered", s)
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		l := newLedger(t)
		first := ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := l.Request(c, rule, direct("r2", "aisyah", "toner"), band1, t0); !errors.Is(err, context.Canceled) {
			t.Errorf("Request: error %v, want context.Canceled", err)
		}
		if _, err := l.Record(c, rule, "r1", sample.Approved, t0.Add(time.Hour)); !errors.Is(err, context.Canceled) {
			t.Errorf("Record: error %v, want context.Canceled", err)
		}
		if _, err := l.Requests(c, "aisyah"); !errors.Is(err, context.Canceled) {
			t.Errorf("Requests: error %v, want context.Canceled", err)
		}
		unchanged(t, l, "aisyah", []sample.Request{first}, "calls with a cancelled context")
	})

	t.Run("machine", func(t *testing.T) { affrulestest.Machine(t, machineChecks, newLedger, machine(t)) })

	t.Run("ConcurrentLastUnits_SMP7", func(t *testing.T) {
		l := newLedger(t)
		const quantity = 10
		f := sample.Facts{Quantity: quantity, Band: "band_1"}
		for i := range quantity - 3 {
			ask(t, l, rule, inCampaign(fmt.Sprint("early-", i), fmt.Sprint("early-", i), "serum"), f, t0)
		}
		// 100 partners' requests for 100 creators, at once, for the last 3 units.
		got := make([]sample.Request, 100)
		errs := make([]error, len(got))
		together(len(got), func(i int) {
			var d affrules.Decision
			got[i], d, errs[i] = l.Request(ctx, rule, inCampaign(fmt.Sprint("race-", i), fmt.Sprint("creator-", i), "serum"), f, t0.Add(time.Hour))
			if errs[i] == nil && !d.Allowed {
				errs[i] = fmt.Errorf("denied: %v", d)
			}
		})
		auto, review := 0, 0
		for i, r := range got {
			if errs[i] != nil {
				t.Errorf("request %d: %v", i, errs[i])
				continue
			}
			switch s := r.StateAt(t0.Add(time.Hour)); s {
			case sample.ToShip:
				auto++
			case sample.Requested:
				review++
			default:
				t.Errorf("request %d: state %v", i, s)
			}
			if s := held(t, l, r.Creator); len(s) != 1 || diffRequest(r, s[0]) != "" {
				t.Errorf("request %d: the ledger holds %+v, Request returned %+v", i, s, r)
			}
		}
		if auto != 3 || review != 97 {
			t.Errorf("%d approved automatically and %d waiting for review; want exactly 3 and 97 (SMP-2, SMP-7)", auto, review)
		}
	})

	t.Run("ConcurrentSameProduct_SMP10", func(t *testing.T) {
		l := newLedger(t)
		ds := make([]affrules.Decision, 20)
		errs := make([]error, len(ds))
		together(len(ds), func(i int) {
			_, ds[i], errs[i] = l.Request(ctx, rule, direct(fmt.Sprint("r", i), "aisyah", "serum"), band1, t0)
		})
		allowed := 0
		for i, d := range ds {
			switch {
			case errs[i] != nil:
				t.Errorf("request %d: %v", i, errs[i])
			case d.Allowed:
				allowed++
			case len(d.Reasons) != 1 || d.Reasons[0].Rule != sample.RuleAnswer || !d.NextAllowed.IsZero():
				t.Errorf("request %d denied by %v, want it allowed or denied for the open request alone (SMP-10)", i, d)
			}
		}
		if rs := held(t, l, "aisyah"); allowed != 1 || len(rs) != 1 {
			t.Errorf("%d requests allowed, %d held; want exactly one open request (SMP-10, SMP-7)", allowed, len(rs))
		}
	})

	t.Run("ConcurrentSameID", func(t *testing.T) {
		// Ledger.Request: an error for "a request ID the ledger holds, wrapping ErrConflict",
		// under concurrent use too. Four rounds, each of sixteen requests under one ID at once,
		// of different creators, each allowed on its own: exactly one is recorded, as it
		// returned; the others conflict, returning the zero Request.
		l := newLedger(t)
		const rounds, calls = 4, 16
		recorded := make([][]sample.Request, calls) // each creator's requests recorded
		for round := range rounds {
			id := fmt.Sprint("r", round)
			got := make([]sample.Request, calls)
			ds := make([]affrules.Decision, calls)
			errs := make([]error, calls)
			together(calls, func(i int) {
				got[i], ds[i], errs[i] = l.Request(ctx, rule, direct(id, fmt.Sprint("creator-", i), fmt.Sprint("p", round)), band1, t0.Add(time.Duration(round)*time.Minute))
			})
			var won []int
			for i := range calls {
				switch {
				case errs[i] == nil && ds[i].Allowed:
					won = append(won, i)
					recorded[i] = append(recorded[i], got[i])
				case errs[i] == nil:
					t.Errorf("%s, call %d: %v, want it allowed or an error wrapping ErrConflict", id, i, ds[i])
				case !errors.Is(errs[i], sample.ErrConflict):
					t.Errorf("%s, call %d: error %v, want nil or one wrapping ErrConflict", id, i, errs[i])
				case ds[i].Allowed || diffRequest(sample.Request{}, got[i]) != "":
					t.Errorf("%s, call %d: a conflicting request returned %+v, %v", id, i, got[i], ds[i])
				}
			}
			if len(won) != 1 {
				t.Errorf("%s: %d requests under one ID at once recorded (calls %v); want exactly one, the others conflicting", id, len(won), won)
			}
		}
		for i, want := range recorded {
			unchanged(t, l, fmt.Sprint("creator-", i), want, "requests under one ID at once")
		}
	})

	t.Run("ConcurrentMonthlyCap_SMP11", func(t *testing.T) {
		l := newLedger(t)
		ds := make([]affrules.Decision, 20)
		errs := make([]error, len(ds))
		together(len(ds), func(i int) {
			_, ds[i], errs[i] = l.Request(ctx, rule, direct(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i)), band1, t0)
		})
		allowed := 0
		for i, d := range ds {
			switch {
			case errs[i] != nil:
				t.Errorf("request %d: %v", i, errs[i])
			case d.Allowed:
				allowed++
			case !d.Failed(sample.RuleMonthlyCap) || !d.NextAllowed.Equal(january):
				t.Errorf("request %d denied by %v, want SMP-11 until January", i, d)
			}
		}
		if rs := held(t, l, "aisyah"); allowed != 5 || len(rs) != 5 {
			t.Errorf("%d requests allowed, %d held; want exactly band_1's 5 (SMP-11)", allowed, len(rs))
		}
	})

	t.Run("ConcurrentCollabPlus_SMP3", func(t *testing.T) {
		l := newLedger(t)
		ds := make([]affrules.Decision, 10)
		errs := make([]error, len(ds))
		together(len(ds), func(i int) {
			_, ds[i], errs[i] = l.Request(ctx, rule, inCollab(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i), "cp-1"), collab, t0)
		})
		allowed := 0
		for i, d := range ds {
			switch {
			case errs[i] != nil:
				t.Errorf("request %d: %v", i, errs[i])
			case d.Allowed:
				allowed++
			case !d.Failed(sample.RuleCollabPlus):
				t.Errorf("request %d denied by %v, want SMP-3", i, d)
			}
		}
		if rs := held(t, l, "aisyah"); allowed != 3 || len(rs) != 3 {
			t.Errorf("%d requests allowed, %d held; want exactly 3 (SMP-3)", allowed, len(rs))
		}
	})

	t.Run("ConcurrentAnswers_SMP6", func(t *testing.T) {
		l := newLedger(t)
		ask(t, l, rule, direct("r1", "aisyah", "serum"), band1, t0)
		errs := make([]error, 10)
		together(len(errs), func(i int) {
			k := sample.Approved
			if i%2 == 1 {
				k = sample.Declined
			}
			_, errs[i] = l.Record(ctx, rule, "r1", k, t0.Add(time.Hour))
		})
		ok := 0
		for i, err := range errs {
			var r *affrules.Refusal
			switch {
			case err == nil:
				ok++
			case !errors.As(err, &r) || !r.Decision.Failed(sample.RuleLifecycle):
				t.Errorf("answer %d: error %v, want nil or SMP-6's refusal", i, err)
			}
		}
		rs := held(t, l, "aisyah")
		if ok != 1 || len(rs) != 1 || len(rs[0].Events) != 2 {
			t.Errorf("%d answers recorded, events %+v; want exactly one answer", ok, rs)
		}
	})

	t.Run("ConcurrentCreators", func(t *testing.T) {
		l := newLedger(t)
		const creators, each = 16, 4
		together(creators*each, func(i int) {
			c, p := fmt.Sprint("creator-", i%creators), fmt.Sprint("p", i/creators)
			if _, d, err := l.Request(ctx, rule, direct(fmt.Sprint("r", i), c, p), band1, t0.Add(time.Duration(i/creators)*time.Minute)); err != nil || !d.Allowed {
				t.Errorf("%s's request for %s: %v, %v", c, p, d, err)
			}
		})
		for c := range creators {
			rs := held(t, l, fmt.Sprint("creator-", c))
			if len(rs) != each {
				t.Errorf("creator-%d: %d requests held, want %d", c, len(rs), each)
				continue
			}
			for i := 1; i < len(rs); i++ {
				if rs[i].Events[0].At.Before(rs[i-1].Events[0].At) {
					t.Errorf("creator-%d: requests not by the instant asked: %v before %v", c, rs[i-1].Events[0].At, rs[i].Events[0].At)
				}
			}
		}
	})
}
