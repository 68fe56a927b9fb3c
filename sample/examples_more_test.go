package sample_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// A creator asks a seller in Malaysia for a sample it rejected 10 days ago, in a month in which
// she has made 5 requests already: both rules are named at once, and the request is allowed
// again from the later of the wait's end and the next month (SMP-10, SMP-11).
func ExampleRule_Decide() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	at := time.Date(2026, 12, 20, 10, 0, 0, 0, kl)

	req := sample.Request{ID: "r7", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.Direct}
	earlier := req
	earlier.ID = "r2"
	earlier, _, _ = rule.Decide(sample.History{}, earlier, sample.Facts{Band: "band_1"}, at.AddDate(0, 0, -11))
	earlier, _ = rule.Record(earlier, sample.Declined, at.AddDate(0, 0, -10))

	h := sample.History{Product: []sample.Request{earlier}, Month: 5}
	_, d, err := rule.Decide(h, req, sample.Facts{Band: "band_1"}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Allowed)
	for _, r := range d.Reasons {
		fmt.Println(r)
	}
	fmt.Println("again from", d.NextAllowed.Format(time.RFC3339))

	// A partner's request in a campaign whose sample quantity of 2 is used: it waits for the
	// seller (SMP-2).
	req = sample.Request{ID: "r8", Seller: "shop-1", Creator: "budi", Product: "serum", Market: affrules.MY,
		Source: sample.Campaign, Context: "year-end", Partner: "agency-1"}
	made, d, _ := rule.Decide(sample.History{AutoApproved: 2}, req, sample.Facts{Quantity: 2, Band: "band_2"}, at)
	fmt.Println(d.Allowed, made.StateAt(at))
	// Output:
	// false
	// SMP-10 failed: the creator must wait after a rejection or an expiry (observed rejected, limit again from 2027-01-09T10:00:00+08:00)
	// SMP-11 failed: monthly request cap reached (observed 5 requests this month, limit at most 5)
	// again from 2027-01-09T10:00:00+08:00
	// true requested
}

// A sample's life from approval to content, with the one extension (SMP-6, SMP-9), and an
// event in the wrong state refused naming the state and the event.
func ExampleRule_Record() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	req, _, _ := rule.Decide(sample.History{},
		sample.Request{ID: "r1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.Direct},
		sample.Facts{Band: "band_1"}, t0)

	if _, err := rule.Record(req, sample.ShippedEvent, t0.Add(time.Hour)); err != nil {
		fmt.Println(err)
	}
	for i, k := range []sample.EventKind{sample.Approved, sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted} {
		at := t0.AddDate(0, 0, 3*i)
		next, err := rule.Record(req, k, at)
		if err != nil {
			fmt.Println(err)
			return
		}
		req = next
		line := fmt.Sprintf("%s %-9s %s", at.Format("Jan 2"), k, req.StateAt(at))
		if e := req.Events[len(req.Events)-1]; !e.Due.IsZero() {
			line += ", content due " + e.Due.Format("Jan 2")
		}
		fmt.Println(line)
	}
	_, err := rule.Record(req, sample.Extended, t0.AddDate(0, 0, 13))
	fmt.Println(err)
	// Output:
	// sample: shipped "r1" refused: SMP-6 failed: not possible in this state (observed requested, limit needs to_ship)
	// Dec 1 approved  to_ship
	// Dec 4 shipped   shipped
	// Dec 7 delivered delivered, content due Dec 21
	// Dec 10 extended  delivered, content due Dec 28
	// Dec 13 posted    fulfilled
	// sample: extended "r1" refused: SMP-6 failed: not possible in this state (observed fulfilled, limit needs delivered)
}

// The state of a request is a function of its events and the instant: a Collaboration Plus
// sample delivered 2 days before the collaboration ends is due at its end (SMP-4), and is
// overdue from that instant.
func ExampleRequest_StateAt() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	end := time.Date(2026, 12, 21, 0, 0, 0, 0, kl)
	req, _, _ := rule.Decide(sample.History{},
		sample.Request{ID: "r1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.CollabPlus, Context: "cp-1"},
		sample.Facts{Member: true, Until: end, FreeSamples: true}, t0)
	req, _ = rule.Record(req, sample.ShippedEvent, t0.AddDate(0, 0, 15))
	req, _ = rule.Record(req, sample.DeliveredEvent, end.AddDate(0, 0, -2))

	for _, at := range []time.Time{t0.Add(-time.Second), t0, t0.AddDate(0, 0, 16), end.AddDate(0, 0, -1), end.Add(-time.Nanosecond), end} {
		s := req.StateAt(at)
		if s == 0 {
			fmt.Println(at.Format(time.RFC3339Nano), "(not yet requested)")
			continue
		}
		fmt.Println(at.Format(time.RFC3339Nano), s)
	}
	// Output:
	// 2026-12-01T08:59:59+08:00 (not yet requested)
	// 2026-12-01T09:00:00+08:00 to_ship
	// 2026-12-17T09:00:00+08:00 shipped
	// 2026-12-20T00:00:00+08:00 delivered
	// 2026-12-20T23:59:59.999999999+08:00 delivered
	// 2026-12-21T00:00:00+08:00 overdue
}

// A refundable sample bought in Malaysia on 1 December with a goal of 3 orders: the creator's own
// order does not count, a sale after the collaboration does; on the 50th day the goal is not
// reached yet, and the decision names the window's deadline; the third order on the 59th day
// refunds the price and the shipping in full (SMP-5).
func ExampleRule_Refund() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	bought := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	p := sample.Purchase{Creator: "aisyah", Market: affrules.MY, At: bought, Price: decimal.RequireFromString("59.90"),
		Shipping: decimal.RequireFromString("4.50"), Goal: sample.Orders, Target: decimal.NewFromInt(3)}
	sales := []sample.Sale{
		{At: bought.Add(time.Hour), Orders: 1, Amount: decimal.RequireFromString("59.90"), Buyer: "aisyah"},
		{At: bought.AddDate(0, 0, 5), Orders: 1, Amount: decimal.RequireFromString("59.90"), Buyer: "u1"},
		{At: bought.AddDate(0, 0, 40), Orders: 1, Amount: decimal.RequireFromString("59.90"), Buyer: "u2"},
		{At: bought.AddDate(0, 0, 59), Orders: 1, Amount: decimal.RequireFromString("59.90"), Buyer: "u3"},
	}
	for _, at := range []time.Time{bought.AddDate(0, 0, 50), bought.AddDate(0, 0, 60)} {
		r, d, err := rule.Refund(p, sales, at)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(at.Format("Jan 2:"), r.Counted, "counted by", r.Deadline.Format("Jan 2 15:04"), "refund", r.Amount.StringFixed(2), d)
	}
	// Output:
	// Jan 20: 2 counted by Jan 30 09:00 refund 0.00 denied: SMP-5 failed: sales goal not reached yet (observed 2 counted, limit goal 3); SMP-5 not applicable: refund window (observed closes 2027-01-30T09:00:00+08:00)
	// Jan 30: 3 counted by Jan 30 09:00 refund 64.40 allowed
}

// A creator's fulfilment rate over December (SMP-8): exact, as a ratio a host can render or pass
// on as a rate.
func ExampleFulfilmentRate() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	var reqs []sample.Request
	for i, post := range []bool{true, true, false} {
		r, _, _ := rule.Decide(sample.History{},
			sample.Request{ID: fmt.Sprint("r", i), Seller: "shop-1", Creator: "aisyah", Product: fmt.Sprint("p", i), Market: affrules.MY, Source: sample.Direct},
			sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
		r, _ = rule.Record(r, sample.ShippedEvent, t0.AddDate(0, 0, 1))
		r, _ = rule.Record(r, sample.DeliveredEvent, t0.AddDate(0, 0, 3))
		if post {
			r, _ = rule.Record(r, sample.Posted, t0.AddDate(0, 0, 10))
		}
		reqs = append(reqs, r)
	}
	december := affrules.MonthOf(t0, kl)
	f, err := sample.FulfilmentRate(reqs, "aisyah", december)
	rate, ok := f.Ratio()
	fmt.Println(f.Fulfilled, f.Overdue, rate, ok, rate.Rate(), err)
	f, _ = sample.FulfilmentRate(reqs, "aisyah", affrules.MonthOf(t0.AddDate(0, -1, 0), kl))
	_, ok = f.Ratio()
	fmt.Println("November defined:", ok)
	// The same requests given twice would count twice: they are bad input.
	_, err = sample.FulfilmentRate(append(reqs, reqs...), "aisyah", december)
	fmt.Println(err)
	// Output:
	// 2 1 66.6667% (2/3) true 66.6666666% <nil>
	// November defined: false
	// sample: requests[3].id "r0": is requests[0]'s too: give each request once (SMP-8)
	// sample: requests[4].id "r1": is requests[1]'s too: give each request once (SMP-8)
	// sample: requests[5].id "r2": is requests[2]'s too: give each request once (SMP-8)
}

// A creator's fulfilment over the policy's 90 days up to an instant (SMP-8): exact, and as the
// Rate level's badges read, rounded down so that a threshold the exact rate does not reach is
// never reached.
func ExampleRule_Fulfilment() {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	kl, _ := time.LoadLocation("Asia/Kuala_Lumpur")
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
	var reqs []sample.Request
	for i, post := range []bool{true, true, false} {
		r, _, _ := rule.Decide(sample.History{},
			sample.Request{ID: fmt.Sprint("r", i), Seller: "shop-1", Creator: "aisyah", Product: fmt.Sprint("p", i), Market: affrules.MY, Source: sample.Direct},
			sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
		r, _ = rule.Record(r, sample.ShippedEvent, t0.AddDate(0, 0, 1))
		r, _ = rule.Record(r, sample.DeliveredEvent, t0.AddDate(0, 0, 3))
		if post {
			r, _ = rule.Record(r, sample.Posted, t0.AddDate(0, 0, 10))
		}
		reqs = append(reqs, r)
	}
	f, err := rule.Fulfilment(reqs, "aisyah", time.Date(2027, 1, 31, 23, 59, 59, 0, kl))
	if err != nil {
		fmt.Println(err)
		return
	}
	ratio, _ := f.Ratio()
	rate, _ := f.Rate()
	fmt.Println(f.Fulfilled, f.Overdue, ratio, rate)
	fmt.Println("window", f.Window.Start.Format(time.RFC3339Nano), "to", f.Window.End.Format(time.RFC3339Nano))
	// Output:
	// 2 1 66.6667% (2/3) 66.6666666%
	// window 2026-11-02T23:59:59.000000001+08:00 to 2027-01-31T23:59:59.000000001+08:00
}

// A policy with caps of its own, and one with a typo: every problem is reported, each naming
// its field.
func ExampleParsePolicy() {
	p, err := sample.ParsePolicy([]byte(`{"over_quantity": "reject", "bands": [{"name": "new", "cap": 3}, {"name": "top", "cap": 100}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.OverQuantity, p.Bands, p.AnswerDays, p.WaitDays)

	_, err = sample.ParsePolicy([]byte(`{"Wait_days": 10, "bands": [{"name": "new"}]}`))
	fmt.Println(err)
	// Output:
	// reject [{new 3} {top 100}] 7 30
	// sample: policy "Wait_days": is not a field: keys are case-sensitive (did you mean "wait_days"?)
	// sample: policy.bands[0].cap (absent): is required: left out it would silently be zero
}
