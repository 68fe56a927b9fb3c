package sample_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

const (
	benchCases    = 1024 // inputs each benchmark cycles through
	benchCreators = 200  // creators of the ledger's history
	benchProducts = 40   // products of shop-1
)

// benchOp is one call of a ledger's history: a request made, or an event recorded.
type benchOp struct {
	req sample.Request
	f   sample.Facts
	k   sample.EventKind // 0: a request
	at  time.Time
}

// benchHistory returns the calls that build a realistic ledger: 200 creators, each making about
// ten requests from 1 October to 30 November 2026 (direct, in the "year-end" partner campaign,
// or in one of four Collaboration Plus), each left requested or expired, rejected, fulfilled,
// overdue or on its way.
func benchHistory(rng *rand.Rand) []benchOp {
	var ops []benchOp
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, kl)
	n := 0
	for c := range benchCreators {
		creator := fmt.Sprint("creator-", c)
		for range 8 + rng.IntN(5) {
			n++
			at := start.Add(time.Duration(rng.Int64N(int64(60 * day))))
			req := direct(fmt.Sprint("h", n), creator, fmt.Sprint("p", rng.IntN(benchProducts)))
			f := sample.Facts{Band: "band_3", AutoApprove: rng.IntN(2) == 0}
			switch rng.IntN(4) {
			case 1:
				req.Source, req.Context, req.Partner = sample.Campaign, "year-end", "agency-1"
				f.Quantity = int64(rng.IntN(400))
			case 2:
				req.Source, req.Context = sample.CollabPlus, fmt.Sprint("cp-", rng.IntN(4))
				f.Until, f.FreeSamples, f.Member = at.Add(30*day), true, true
			}
			ops = append(ops, benchOp{req: req, f: f, at: at})
			next := at
			later := func(within time.Duration) time.Time {
				next = next.Add(time.Duration(rng.Int64N(int64(within))))
				return next
			}
			switch rng.IntN(6) {
			case 0: // left unanswered
			case 1:
				ops = append(ops, benchOp{req: req, k: sample.Declined, at: later(6 * day)})
			default:
				ops = append(ops, benchOp{req: req, k: sample.Approved, at: later(6 * day)})
				for _, k := range []sample.EventKind{sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted}[:rng.IntN(5)] {
					ops = append(ops, benchOp{req: req, k: k, at: later(10 * day)})
				}
			}
		}
	}
	return ops
}

// replay builds a new Memory from the history; calls the rules refuse are skipped.
func replay(ops []benchOp) *sample.Memory {
	m := sample.NewMemory()
	for _, op := range ops {
		if op.k == 0 {
			_, _, _ = m.Request(ctx, rule, op.req, op.f, op.at)
		} else {
			_, _ = m.Record(ctx, rule, op.req.ID, op.k, op.at)
		}
	}
	return m
}

// requestCases returns 1,024 new requests in December 2026 by the history's creators: direct,
// campaign and Collaboration Plus alike, for products they asked for before or not, so that
// most are allowed, some are denied by the 30-day wait or SMP-3's three, and some are bad input
// (an open request for the product, or an instant before its last event, SMP-10).
func requestCases(rng *rand.Rand) []benchOp {
	out := make([]benchOp, benchCases)
	for i := range out {
		at := t0.Add(time.Duration(rng.Int64N(int64(29 * day))))
		req := direct(fmt.Sprint("new-", i), fmt.Sprint("creator-", rng.IntN(benchCreators)), fmt.Sprint("p", rng.IntN(benchProducts)))
		f := sample.Facts{Band: "band_3", AutoApprove: rng.IntN(2) == 0}
		switch rng.IntN(4) {
		case 1:
			req.Source, req.Context, req.Partner = sample.Campaign, "year-end", "agency-1"
			f.Quantity = int64(rng.IntN(400))
		case 2:
			req.Source, req.Context = sample.CollabPlus, fmt.Sprint("cp-", rng.IntN(4))
			f.Until, f.FreeSamples, f.Member = at.Add(30*day), true, true
		}
		out[i] = benchOp{req: req, f: f, at: at}
	}
	return out
}

// BenchmarkRequest makes a request through the Memory ledger (SMP-1..3, SMP-7, SMP-10, SMP-11)
// whose history holds about 2,000 requests of 200 creators, over 1,024 varied cases; the ledger
// is rebuilt, with the timer stopped, before each pass over the cases, so that every pass sees
// the same history.
func BenchmarkRequest(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	history := benchHistory(rng)
	cases := requestCases(rng)
	var m *sample.Memory
	allowed := 0
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%len(cases) == 0 {
			b.StopTimer()
			m = replay(history)
			b.StartTimer()
		}
		k := &cases[i%len(cases)]
		_, d, err := m.Request(ctx, rule, k.req, k.f, k.at)
		if err != nil && !outOfTurn(err) {
			b.Fatal(err)
		}
		if d.Allowed {
			allowed++
		}
		i++
	}
	b.ReportMetric(float64(allowed)/float64(i), "allowed/op")
}

// outOfTurn reports whether err is SMP-10's bad input alone: a request made before the last
// event of the creator's requests for the product.
func outOfTurn(err error) bool {
	fes := fieldErrors(err)
	if len(fes) == 0 || !onlyFieldErrors(err) {
		return false
	}
	for _, fe := range fes {
		if fe.Field != "at" {
			return false
		}
	}
	return true
}

// stateCase is a request and an instant to read its state at.
type stateCase struct {
	req sample.Request
	x   *mreq // the same request as the model keeps it, for the floor
	at  time.Time
}

// stateCases returns 1,024 requests of the history, at instants from before them to two months
// after, in every state.
func stateCases(rng *rand.Rand) []stateCase {
	history := benchHistory(rng)
	m := replay(history)
	var reqs []sample.Request
	for c := range benchCreators {
		rs, _ := m.Requests(ctx, fmt.Sprint("creator-", c))
		reqs = append(reqs, rs...)
	}
	out := make([]stateCase, benchCases)
	for i := range out {
		r := reqs[rng.IntN(len(reqs))]
		out[i] = stateCase{req: r, x: modelOf(r), at: r.Events[0].At.Add(time.Duration(rng.Int64N(int64(60*day))) - day)}
	}
	return out
}

// modelOf returns r as machModel keeps it: the instants of its events.
func modelOf(r sample.Request) *mreq {
	x := &mreq{req: r}
	for _, e := range r.Events {
		switch e.Kind {
		case sample.Asked:
			x.asked, x.answerBy = e.At, e.Due
		case sample.Approved:
			x.approved, x.auto, x.until = e.At, e.Auto, e.Due
		case sample.Declined:
			x.declined = e.At
		case sample.ShippedEvent:
			x.shipped = e.At
		case sample.DeliveredEvent:
			x.delivered, x.due = e.At, e.Due
		case sample.Extended:
			x.extended, x.extDue = e.At, e.Due
		case sample.Posted:
			x.posted = e.At
		}
	}
	return x
}

// BenchmarkStateAt reads a request's state at an instant (SMP-6) over 1,024 varied requests
// and instants.
func BenchmarkStateAt(b *testing.B) {
	cases := stateCases(rand.New(rand.NewPCG(3, 4)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		if k.req.StateAt(k.at) > sample.Overdue {
			b.Fatal("no state")
		}
		i++
	}
}

// BenchmarkStateAtFloor is the floor of BenchmarkStateAt: the same states read by a plain
// switch over the instants of each event, kept in fields beforehand (the machine's model).
func BenchmarkStateAtFloor(b *testing.B) {
	cases := stateCases(rand.New(rand.NewPCG(3, 4)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		if k.x.state(k.at) > sample.Overdue {
			b.Fatal("no state")
		}
		i++
	}
}

// rateCase is 1,000 requests of a creator, the same as the model keeps them, and a window to
// rate them over.
type rateCase struct {
	reqs []sample.Request
	xs   []*mreq
	w    affrules.Period
}

// rateCases returns 1,024 windows (a calendar month, 30 or 90 days ending at a drawn instant)
// over one of 8 sets of 1,000 requests of creator-0, made from October 2026 to March 2027 in
// every state.
func rateCases(rng *rand.Rand) []rateCase {
	// One creator's 1,000 requests in six months are beyond band_3's cap: a band without one.
	r := mustRule(policyWith(func(p *sample.Policy) { p.Bands = []sample.Band{{Name: "all", Cap: 1_000_000}} }))
	sets := make([][]sample.Request, 8)
	for s := range sets {
		m := sample.NewMemory()
		ats := make([]time.Time, 1000) // a creator's requests are made in order
		for i := range ats {
			ats[i] = time.Date(2026, 10, 1, 0, 0, 0, 0, kl).Add(time.Duration(rng.Int64N(int64(180 * day))))
		}
		slices.SortFunc(ats, time.Time.Compare)
		for i, at := range ats {
			req := direct(fmt.Sprint("r", i), "creator-0", fmt.Sprint("p", i))
			if _, d, err := m.Request(ctx, r, req, sample.Facts{Band: "all", AutoApprove: true}, at); err != nil || !d.Allowed {
				panic(fmt.Sprint(d, err))
			}
			fate := rng.IntN(10)
			next := at
			for j, k := range []sample.EventKind{sample.ShippedEvent, sample.DeliveredEvent, sample.Extended, sample.Posted} {
				if j >= fate {
					break
				}
				next = next.Add(time.Duration(rng.Int64N(int64(12 * day))))
				if _, err := m.Record(ctx, r, req.ID, k, next); err != nil {
					break // the deadline passed: overdue
				}
			}
		}
		sets[s], _ = m.Requests(ctx, "creator-0")
	}
	out := make([]rateCase, benchCases)
	for i := range out {
		reqs := sets[rng.IntN(len(sets))]
		end := time.Date(2026, 11, 1, 0, 0, 0, 0, kl).Add(time.Duration(rng.Int64N(int64(180 * day))))
		var w affrules.Period
		switch rng.IntN(3) {
		case 0:
			w = affrules.MonthOf(end, kl)
		case 1:
			w = affrules.Period{Start: end.Add(-30 * day), End: end}
		default:
			w = affrules.Period{Start: end.Add(-90 * day), End: end}
		}
		k := rateCase{reqs: reqs, w: w}
		for _, r := range reqs {
			k.xs = append(k.xs, modelOf(r))
		}
		out[i] = k
	}
	return out
}

// BenchmarkFulfilmentRate rates a creator's 1,000 requests over a window (SMP-8), over 1,024
// varied windows and request sets.
func BenchmarkFulfilmentRate(b *testing.B) {
	cases := rateCases(rand.New(rand.NewPCG(5, 6)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		if _, err := sample.FulfilmentRate(k.reqs, "creator-0", k.w); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// rateFloor is the floor of FulfilmentRate: the same counts from the model's instants, by a
// plain loop.
func rateFloor(xs []*mreq, creator string, w affrules.Period) (fulfilled, overdue int64) {
	at := w.End.Add(-time.Nanosecond)
	for _, x := range xs {
		if x.req.Creator != creator {
			continue
		}
		if ended, s, ok := x.ended(at); ok && w.Contains(ended) {
			if s == sample.Fulfilled {
				fulfilled++
			} else {
				overdue++
			}
		}
	}
	return fulfilled, overdue
}

// BenchmarkFulfilmentRateFloor is the floor of BenchmarkFulfilmentRate: rateFloor over the same
// cases.
func BenchmarkFulfilmentRateFloor(b *testing.B) {
	cases := rateCases(rand.New(rand.NewPCG(5, 6)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		rateFloor(k.xs, "creator-0", k.w)
		i++
	}
}

// The floors count what the package counts, on the benchmarks' own cases.
func TestBenchFloors(t *testing.T) {
	for i, k := range stateCases(rand.New(rand.NewPCG(3, 4))) {
		if got, want := k.req.StateAt(k.at), k.x.state(k.at); got != want {
			t.Fatalf("case %d (%s at %v): StateAt %v, floor %v", i, k.req.ID, k.at, got, want)
		}
	}
	for i, k := range rateCases(rand.New(rand.NewPCG(5, 6)))[:64] {
		r, err := sample.FulfilmentRate(k.reqs, "creator-0", k.w)
		if err != nil {
			t.Fatal(err)
		}
		if ff, fo := rateFloor(k.xs, "creator-0", k.w); r.Fulfilled != ff || r.Overdue != fo {
			f, o := r.Fulfilled, r.Overdue
			t.Fatalf("case %d over %v: %d and %d, floor %d and %d", i, k.w, f, o, ff, fo)
		}
	}
}

// BenchmarkRequestLongHistory is a request SMP-10's wait denies (nothing is stored) from a
// creator who made n earlier direct requests, one a day for other products: the ledger reads the
// creator's history in place, copying only the requests of the same product.
func BenchmarkRequestLongHistory(b *testing.B) {
	ctx := b.Context()
	for _, n := range []int{10, 1_000, 10_000} {
		r, err := sample.MustNew(sample.DefaultPolicy()).Rule()
		if err != nil {
			b.Fatal(err)
		}
		m := sample.NewMemory()
		end := time.Date(2026, 11, 30, 9, 0, 0, 0, kl)
		f := sample.Facts{Band: "band_3"}
		for i := range n {
			req := sample.Request{ID: fmt.Sprint("h", i), Seller: "shop-1", Creator: "cr", Product: fmt.Sprint("p", i), Market: affrules.MY, Source: sample.Direct}
			if _, d, err := m.Request(ctx, r, req, f, end.AddDate(0, 0, i+1-n)); err != nil || !d.Allowed {
				b.Fatal(err, d)
			}
		}
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, kl)
		req := sample.Request{ID: "x", Seller: "shop-1", Creator: "cr", Product: "px", Market: affrules.MY, Source: sample.Direct}
		if _, d, err := m.Request(ctx, r, req, f, at); err != nil || !d.Allowed {
			b.Fatal(err, d)
		}
		if _, err := m.Record(ctx, r, "x", sample.Declined, at.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
		again := req
		again.ID = "y"
		b.Run(fmt.Sprint("history=", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, d, err := m.Request(ctx, r, again, f, at.Add(24*time.Hour)); err != nil || d.Allowed {
					b.Fatal(err, d)
				}
			}
		})
	}
}
