package sample_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// SMP-2, SMP-7: requests for a campaign product through a ledger, with the quantity changed
// between them (up, down, to zero), the seller approving some waiting ones by hand and other
// products requested in between: at every automatic approval the product's automatic approvals,
// this one included, are within the quantity in force at that request; a request is approved
// automatically exactly when they were below it; beyond it, a request waits for the seller
// ("review") or is denied by SMP-2 alone with nothing recorded ("reject"); and none is ever
// revoked.
func TestQuantityNeverExceeded_SMP2(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := sample.DefaultPolicy()
		p.OverQuantity = rapid.SampledFrom([]string{sample.OverQuantityReview, sample.OverQuantityReject}).Draw(t, "overQuantity")
		r := mustRule(p)
		m := sample.NewMemory()
		auto := map[string]int64{}
		var approved []string // every request approved automatically, with its creator
		var waiting []string
		at := t0
		for i := range rapid.IntRange(1, 40).Draw(t, "requests") {
			at = at.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes")) * time.Minute)
			product := rapid.SampledFrom([]string{"serum", "serum", "toner"}).Draw(t, "product")
			quantity := int64(rapid.IntRange(0, 6).Draw(t, "quantity"))
			id := fmt.Sprint("r", i)
			got, d, err := m.Request(ctx, r, inCampaign(id, id, product), sample.Facts{Quantity: quantity, Band: "band_1"}, at)
			if err != nil {
				t.Fatalf("request %s: %v", id, err)
			}
			if !d.Allowed {
				if auto[product] < quantity || p.OverQuantity != sample.OverQuantityReject || len(d.Reasons) != 1 || !d.Failed(sample.RuleQuantity) ||
					d.Reasons[0].Observed.Int() != auto[product] || d.Reasons[0].Limit.Int() != quantity || !d.NextAllowed.IsZero() {
					t.Fatalf("request %s denied with %d of %d approved automatically under %q: %v", id, auto[product], quantity, p.OverQuantity, d)
				}
				if rs, err := m.Requests(ctx, id); err != nil || len(rs) != 0 || len(got.Events) != 0 {
					t.Fatalf("request %s denied, but %+v returned and %+v recorded (%v)", id, got, rs, err)
				}
				continue
			}
			switch s := got.StateAt(at); {
			case s == sample.ToShip:
				auto[product]++
				if auto[product] > quantity {
					t.Fatalf("%s: automatic approval %d of %s with a quantity of %d in force", id, auto[product], product, quantity)
				}
				approved = append(approved, id)
			case auto[product] < quantity:
				t.Fatalf("%s: %v with %d of %d approved automatically; want to_ship", id, s, auto[product], quantity)
			case s == sample.Requested && p.OverQuantity == sample.OverQuantityReview:
				waiting = append(waiting, id)
			default:
				t.Fatalf("%s: %v beyond the quantity under %q", id, s, p.OverQuantity)
			}
			if len(waiting) > 0 && rapid.Bool().Draw(t, "byHand") { // the seller approves: not counted
				w := waiting[0]
				waiting = waiting[1:]
				if _, err := m.Record(ctx, r, w, sample.Approved, at); err != nil {
					t.Fatalf("approving %s: %v", w, err)
				}
			}
		}
		for _, id := range approved {
			rs, err := m.Requests(ctx, id)
			if err != nil || len(rs) != 1 || rs[0].StateAt(at) != sample.ToShip || !rs[0].Events[1].Auto {
				t.Fatalf("%s, approved automatically, is now %+v (%v)", id, rs, err)
			}
		}
	})
}

// SMP-10, SMP-11, MKT-5: when a denial names NextAllowed, it is exactly the first instant a
// retry is allowed: the same request is denied at NextAllowed − 1 ns (naming the same
// NextAllowed) and allowed at NextAllowed, with nothing recorded in between. The history is
// drawn: requests for the same and other products, answered, rejected, left to expire or
// fulfilled, under drawn caps and waits.
func TestNextAllowedExact_SMP10(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := sample.DefaultPolicy()
		p.WaitDays = rapid.IntRange(0, 40).Draw(t, "waitDays")
		p.Bands = []sample.Band{{Name: "b", Cap: rapid.IntRange(0, 4).Draw(t, "cap")}}
		r := mustRule(p)
		m := sample.NewMemory()
		f := sample.Facts{Band: "b"}
		at := t0.Add(time.Duration(rapid.IntRange(0, 40*24).Draw(t, "start")) * time.Hour)
		for i := range rapid.IntRange(0, 8).Draw(t, "history") {
			at = at.Add(time.Duration(rapid.IntRange(0, 15*24).Draw(t, "hours")) * time.Hour)
			id := fmt.Sprint("h", i)
			_, d, err := m.Request(ctx, r, direct(id, "aisyah", rapid.SampledFrom([]string{"serum", "toner"}).Draw(t, "product")), f, at)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Allowed {
				continue
			}
			switch rapid.IntRange(0, 3).Draw(t, "fate") {
			case 0: // rejected
				_, err = m.Record(ctx, r, id, sample.Declined, at.Add(time.Hour))
				at = at.Add(time.Hour) // requests are made in order (SMP-10)
			case 1: // fulfilled
				for j, k := range []sample.EventKind{sample.Approved, sample.ShippedEvent, sample.DeliveredEvent, sample.Posted} {
					if err == nil {
						_, err = m.Record(ctx, r, id, k, at.Add(time.Duration(j+1)*time.Minute))
					}
				}
				at = at.Add(4 * time.Minute)
			}
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
		}
		at = at.Add(time.Duration(rapid.IntRange(0, 60*24).Draw(t, "later")) * time.Hour)
		req := direct("new", "aisyah", "serum")
		_, d, err := m.Request(ctx, r, req, f, at)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed || d.NextAllowed.IsZero() {
			return
		}
		if !d.NextAllowed.After(at) {
			t.Fatalf("denied at %v with next allowed %v, not after it", at, d.NextAllowed)
		}
		_, before, err := m.Request(ctx, r, req, f, d.NextAllowed.Add(-time.Nanosecond))
		if err != nil || before.Allowed || !before.NextAllowed.Equal(d.NextAllowed) {
			t.Fatalf("1 ns before next allowed %v: %v (%v); want the same denial", d.NextAllowed, before, err)
		}
		_, retry, err := m.Request(ctx, r, req, f, d.NextAllowed)
		if err != nil || !retry.Allowed {
			t.Fatalf("denied at %v: %v; at next allowed %v: %v (%v)", at, d, d.NextAllowed, retry, err)
		}
	})
}

// lifeOf draws a request's life: made at t0, then each event of a path through SMP-6's
// states at drawn gaps, some within and some beyond the windows.
func lifeOf(t *rapid.T, id string) sample.Request {
	req := ask(t, id, "aisyah", "serum", t0)
	at := t0
	gap := func() time.Time {
		at = at.Add(time.Duration(rapid.Int64Range(0, int64(16*day)).Draw(t, "gap")))
		return at
	}
	for _, k := range rapid.SampledFrom([][]sample.EventKind{
		{},
		{sample.Declined},
		{sample.Approved, sample.ShippedEvent},
		{sample.Approved, sample.ShippedEvent, sample.DeliveredEvent},
		{sample.Approved, sample.ShippedEvent, sample.DeliveredEvent, sample.Posted},
		{sample.Approved, sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted},
	}).Draw(t, "path") {
		next, err := rule.Record(req, k, gap())
		if err != nil {
			break // a window passed: the life ends where it stands
		}
		req = next
	}
	return req
}

// SMP-6: StateAt is a pure function of the events and the instant: events after the instant do
// not change it, asking again gives the same answer, and it changes nothing.
func TestStateAtBlindToLaterEvents_SMP6(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		req := lifeOf(t, "r1")
		before := snapshot(req)
		for range 8 {
			at := t0.Add(time.Duration(rapid.Int64Range(-int64(day), int64(70*day)).Draw(t, "at")))
			s := req.StateAt(at)
			upTo := snapshot(req)
			upTo.Events = slices.DeleteFunc(upTo.Events, func(e sample.Event) bool { return e.At.After(at) })
			if got := upTo.StateAt(at); got != s {
				t.Fatalf("at %v: %v with every event, %v with those up to it", at, s, got)
			}
			if again := req.StateAt(at); again != s {
				t.Fatalf("at %v: %v, then %v", at, s, again)
			}
		}
		if !slices.Equal(before.Events, req.Events) {
			t.Fatalf("StateAt changed the events")
		}
	})
}

// SMP-8: the rate is conserved across windows: the counts over [a, c) are the sums of those over
// [a, b) and [b, c), each request counted once, in the window where it ended.
func TestFulfilmentRateAdditive_SMP8(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var reqs []sample.Request
		for i := range rapid.IntRange(0, 12).Draw(t, "requests") {
			reqs = append(reqs, lifeOf(t, fmt.Sprint("r", i)))
		}
		a := t0.Add(time.Duration(rapid.Int64Range(0, int64(30*day)).Draw(t, "a")))
		b := a.Add(time.Duration(rapid.Int64Range(0, int64(30*day)).Draw(t, "b")))
		c := b.Add(time.Duration(rapid.Int64Range(0, int64(30*day)).Draw(t, "c")))
		f, o, rate, ok := rateOf(t, reqs, "aisyah", affrules.Period{Start: a, End: c})
		f1, o1, _, _ := rateOf(t, reqs, "aisyah", affrules.Period{Start: a, End: b})
		f2, o2, _, _ := rateOf(t, reqs, "aisyah", affrules.Period{Start: b, End: c})
		if f != f1+f2 || o != o1+o2 {
			t.Fatalf("[a, c): %d fulfilled, %d overdue; [a, b) + [b, c): %d + %d, %d + %d", f, o, f1, f2, o1, o2)
		}
		if num, den := rate.Ratio(); ok != (f+o > 0) || ok && (num != f || den != f+o) {
			t.Fatalf("rate %v (%t) for %d fulfilled, %d overdue", rate, ok, f, o)
		}
	})
}

// SMP-5: all or nothing, and monotone: the refund is the price and shipping in full or zero,
// exactly as the counted sales reach the goal, and one more sale inside the window never turns
// a refund into none.
func TestRefundMonotone_SMP5(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		goal := rapid.SampledFrom([]sample.Goal{sample.Orders, sample.GMV}).Draw(t, "goal")
		p := purchase(goal, fmt.Sprint(rapid.IntRange(1, 500).Draw(t, "target")))
		full := p.Price.Add(p.Shipping)
		var sales []sample.Sale
		for range rapid.IntRange(0, 10).Draw(t, "sales") {
			sales = append(sales, sample.Sale{
				At:     t0.Add(time.Duration(rapid.Int64Range(-int64(day), int64(70*day)).Draw(t, "at"))),
				Orders: int64(rapid.IntRange(0, 5).Draw(t, "orders")),
				Amount: decimal.New(int64(rapid.IntRange(0, 20000).Draw(t, "sen")), -2),
				Buyer:  rapid.SampledFrom([]string{"aisyah", "u1", "u2"}).Draw(t, "buyer"),
			})
		}
		at := t0.Add(70 * day)
		got, d, err := rule.Refund(p, sales, at)
		if err != nil {
			t.Fatal(err)
		}
		reached := got.Counted.Cmp(p.Target) >= 0
		if d.Allowed != reached || !got.Amount.Equal(full) && !got.Amount.IsZero() || got.Amount.Equal(full) != reached {
			t.Fatalf("counted %s of %s: refund %s, %v", got.Counted, p.Target, got.Amount, d)
		}
		more := append(slices.Clone(sales), sample.Sale{At: t0.Add(time.Hour), Orders: 1, Amount: decimal.NewFromInt(1), Buyer: "u3"})
		again, d2, err := rule.Refund(p, more, at)
		if err != nil {
			t.Fatal(err)
		}
		if again.Counted.Cmp(got.Counted) <= 0 || d.Allowed && !d2.Allowed {
			t.Fatalf("one more sale: counted %s → %s, refund %t → %t", got.Counted, again.Counted, d.Allowed, d2.Allowed)
		}
	})
}
