package sample_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/sample"
)

// fuzzLimit is the time one fuzz input may take: a slow input is a failure, saved.
const fuzzLimit = time.Second

// onlyFieldErrors reports whether err is bad input as the package reports it: one or more
// *affrules.FieldError values, joined, and nothing else.
func onlyFieldErrors(err error) bool {
	n := 1
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n = len(j.Unwrap())
	}
	return len(fieldErrors(err)) == n
}

// The policy loader never panics; what it accepts validates, builds an evaluator and survives
// a round trip through JSON unchanged; what it refuses is field errors, with no policy beside.
func FuzzParsePolicy(f *testing.F) {
	def, _ := json.Marshal(sample.DefaultPolicy())
	f.Add(def)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"answer_days": 3, "over_quantity": "reject", "bands": [{"name": "a", "cap": 0}]}`))
	f.Add([]byte(`{"Answer_days": 3, "answer_days": 3, "answer_days": 4, "bands": [{"name": "a"}, {"cap": 1, "cap": 2}]}`))
	f.Add([]byte(`{"wait_days": "30", "collab_plus_capped": 1, "bands": {}}`))
	f.Add([]byte(`{"answer_days": 0, "bands": [{"name": "", "cap": -1}, {"name": "x", "cap": 1}, {"name": "x", "cap": 2}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p sample.Policy
		var err error
		deadline.Within(t, fuzzLimit, func() { p, err = sample.ParsePolicy(data) })
		if err != nil {
			if !onlyFieldErrors(err) && !strings.HasPrefix(err.Error(), "sample: policy JSON: ") || !strings.HasPrefix(err.Error(), "sample: ") {
				t.Fatalf("error %T %v", err, err)
			}
			if diff := cmp.Diff(sample.Policy{}, p); diff != "" {
				t.Fatalf("a policy beside the error:\n%s", diff)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate refuses: %v", err)
		}
		if _, err := sample.New(p); err != nil {
			t.Fatalf("New refused a parsed policy: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := sample.ParsePolicy(b)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if diff := cmp.Diff(p, q); diff != "" {
			t.Fatalf("round trip changed the policy (-want +got):\n%s", diff)
		}
	})
}

// fuzzReader hands out the bytes of a fuzz input, zero once they run out.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) next() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func pick[T any](r *fuzzReader, xs []T) T { return xs[int(r.next())%len(xs)] }

// instant returns an instant near prev: a signed number of 6-hour steps from it, the nanosecond
// before it, or a value out of bounds.
func (r *fuzzReader) instant(prev time.Time) time.Time {
	switch b := r.next(); b {
	case 0xff:
		return time.Time{}
	case 0xfe:
		return time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfd:
		return time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfc:
		return prev.Add(-time.Nanosecond)
	case 0xfb:
		return prev.Add(7 * day)
	default:
		return prev.Add(time.Duration(int8(b)) * 6 * time.Hour)
	}
}

// What FuzzDecide draws its requests' fields from: valid values, near misses and empties.
var (
	fuzzIDs      = []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", ""}
	fuzzCreators = []string{"aisyah", "budi", ""}
	fuzzProducts = []string{"serum", "toner", ""}
	fuzzSellers  = []string{"shop-1", "shop-1", "shop-2", ""}
	fuzzMarkets  = []affrules.MarketCode{affrules.MY, affrules.MY, affrules.UK, "ZZ", "", "my"}
	fuzzContexts = []string{"", "year-end", "cp-1"}
	fuzzPartners = []string{"agency-1", "agency-1", ""}
	fuzzBands    = []string{"band_1", "band_1", "band_2", "nope", ""}
	fuzzQuantity = []int64{0, 1, 2, 3, -1, 1 << 62}
)

// request decodes the next request and its facts.
func (r *fuzzReader) request(at time.Time) (sample.Request, sample.Facts) {
	req := sample.Request{ID: pick(r, fuzzIDs), Seller: pick(r, fuzzSellers), Creator: pick(r, fuzzCreators), Product: pick(r, fuzzProducts),
		Market: pick(r, fuzzMarkets), Source: sample.Source(r.next() % 5), Context: pick(r, fuzzContexts)}
	if r.next()%16 == 0 {
		req.Events = []sample.Event{{Kind: sample.Asked, At: at}}
	}
	f := sample.Facts{AutoApprove: r.next()%2 == 0, Quantity: pick(r, fuzzQuantity), Band: pick(r, fuzzBands), Until: r.instant(at)}
	req.Partner = pick(r, fuzzPartners)
	f.FreeSamples = r.next()%4 != 0
	f.Member = r.next()%8 != 0
	return req, f
}

// FuzzDecide drives requests, events and reads through a Memory ledger, and Rule.Decide with
// hostile histories, from fuzzed bytes. Nothing panics or hangs; errors are bad input, refusals,
// conflicts or unknown IDs, and record nothing; an allowed request starts with its asking and
// at most one approval at that instant; a denial lists failing SMP-2, SMP-3, SMP-10, SMP-11 or
// SMP-12 reasons and names no NextAllowed before its instant; events are recorded in order,
// one per call; at no instant does a creator hold two open requests for one product;
// fulfilment rates count only ended requests.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 4, 3, 1, 2, 0, 1, 2, 3, 0, 0, 4, 5})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 2, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 3, 0, 1, 0, 4, 1, 0, 5, 1, 0, 7, 2, 4})
	f.Add([]byte("\x00\x01\x01\x01\x01\x00\x03\x02\x00\x00\x00\xfb\x02\xfc\x01\x01\xff\x00\xfe\x02\xfd"))
	f.Add([]byte("\x00\x02\x00\x00\x00\x00\x01\x01\x00\x02\x00\x30\x00\x00\x01\x02\x10\x20\x01\x02\xfb\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		deadline.Within(t, fuzzLimit, func() { fuzzDecide(t, data) })
	})
}

func fuzzDecide(t *testing.T, data []byte) {
	r := &fuzzReader{b: data}
	p := sample.DefaultPolicy()
	p.OverQuantity = pick(r, []string{sample.OverQuantityReview, sample.OverQuantityReject})
	p.CollabPlusCapped = r.next()%2 == 1
	p.Bands[0].Cap = int(r.next() % 4)
	rl := mustRule(p)
	m := sample.NewMemory()
	clock := t0
	latest := t0
	held := func(creator string) []sample.Request {
		rs, err := m.Requests(ctx, creator)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	snapshotAll := func() map[string][]sample.Request {
		out := map[string][]sample.Request{}
		for _, c := range fuzzCreators {
			out[c] = held(c)
		}
		return out
	}
	for steps := 0; len(r.b) > 0 && steps < 64; steps++ {
		before := snapshotAll()
		switch r.next() % 4 {
		case 0, 1:
			at := r.instant(clock)
			req, f := r.request(at)
			got, d, err := m.Request(ctx, rl, req, f, at)
			checkDecision(t, req, at, got, d, err)
			if err != nil || !d.Allowed {
				if diff := cmp.Diff(before, snapshotAll()); diff != "" {
					t.Fatalf("request %+v at %v: %v, %v; and the ledger changed (-before +after):\n%s", req, at, d, err, diff)
				}
			}
			// The same through Rule.Decide with a hostile history: what the ledger holds for
			// the creator, and drawn counts.
			h := sample.History{Product: held(req.Creator), Month: int(int8(r.next())), AutoApproved: int64(int8(r.next())), InCollab: int(int8(r.next()))}
			got, d, err = rl.Decide(h, req, f, at)
			checkDecision(t, req, at, got, d, err)
			if at.After(clock) && at.Before(t0.Add(400*day)) {
				clock = at
			}
		case 2:
			id := pick(r, fuzzIDs)
			k := sample.EventKind(r.next() % 9)
			at := r.instant(clock)
			var prev *sample.Request
			for _, rs := range before {
				for i := range rs {
					if rs[i].ID == id {
						prev = &rs[i]
					}
				}
			}
			got, err := m.Record(ctx, rl, id, k, at)
			var refusal *affrules.Refusal
			switch {
			case err == nil:
				if prev == nil || len(got.Events) != len(prev.Events)+1 || got.Events[len(got.Events)-1].Kind != k || !got.Events[len(got.Events)-1].At.Equal(at) {
					t.Fatalf("Record(%s, %v) at %v: %+v after %+v", id, k, at, got, prev)
				}
				if last := prev.Events[len(prev.Events)-1].At; at.Before(last) {
					t.Fatalf("Record(%s, %v) at %v recorded before the last event at %v", id, k, at, last)
				}
				if s := got.StateAt(at); s == sample.Requested || s == sample.Rejected && k != sample.Declined || s == sample.Expired || s == 0 {
					t.Fatalf("Record(%s, %v) at %v: state %v after it", id, k, at, s)
				}
			case errors.As(err, &refusal):
				if refusal.Decision.Allowed || len(refusal.Decision.Failures()) == 0 || refusal.Action != k.String() || refusal.Subject != id {
					t.Fatalf("Record(%s, %v) at %v: refusal %+v", id, k, at, refusal)
				}
			case errors.Is(err, sample.ErrNotFound):
				if prev != nil {
					t.Fatalf("Record(%s): ErrNotFound for a request held", id)
				}
			case !onlyFieldErrors(err):
				t.Fatalf("Record(%s, %v) at %v: error %T %v", id, k, at, err, err)
			}
			if err != nil {
				if diff := cmp.Diff(before, snapshotAll()); diff != "" {
					t.Fatalf("Record(%s, %v) at %v failed with %v, and the ledger changed (-before +after):\n%s", id, k, at, err, diff)
				}
			} else if at.After(latest) {
				latest = at
			}
			if at.After(clock) && at.Before(t0.Add(400*day)) {
				clock = at
			}
		case 3:
			at := r.instant(clock)
			for _, c := range fuzzCreators {
				rs := held(c)
				for _, x := range rs {
					if s := x.StateAt(at); s > sample.Overdue {
						t.Fatalf("%s at %v: state %v", x.ID, at, s)
					}
				}
				f, o, rate, ok := rateOf(t, rs, c, affrules.Period{Start: at.Add(-30 * day), End: at})
				if f < 0 || o < 0 || f+o > int64(len(rs)) || ok != (f+o > 0) || ok && rate.Kind() != affrules.RatioValue {
					t.Fatalf("%s's rate at %v: %d fulfilled, %d overdue of %d, %v %t", c, at, f, o, len(rs), rate, ok)
				}
			}
		}
		if clock.After(latest) {
			latest = clock
		}
		oneOpen(t, snapshotAll(), []time.Time{t0, clock, latest, latest.Add(7 * day)})
	}
}

// checkDecision checks the invariants of one request decided at at.
func checkDecision(t *testing.T, req sample.Request, at time.Time, got sample.Request, d affrules.Decision, err error) {
	t.Helper()
	what := fmt.Sprintf("request %+v at %v", req, at)
	if err != nil {
		if !onlyFieldErrors(err) {
			t.Fatalf("%s: error %T %v", what, err, err)
		}
		if d.Allowed || len(got.Events) > 0 {
			t.Fatalf("%s: %v and %+v beside the error %v", what, d, got, err)
		}
		return
	}
	if !d.Allowed {
		if len(got.Events) > 0 || len(d.Failures()) == 0 {
			t.Fatalf("%s denied with %+v, %v", what, got, d)
		}
		for _, x := range d.Reasons {
			switch x.Rule {
			case sample.RuleQuantity, sample.RuleCollabPlus, sample.RuleAnswer, sample.RuleMonthlyCap, sample.RuleOffers:
			default:
				t.Fatalf("%s: reason %v", what, x)
			}
		}
		if !d.NextAllowed.IsZero() && !d.NextAllowed.After(at) {
			t.Fatalf("%s: next allowed %v, not after it", what, d.NextAllowed)
		}
		return
	}
	ev := got.Events
	if len(ev) == 0 || len(ev) > 2 || ev[0].Kind != sample.Asked || !ev[0].At.Equal(at) || !ev[0].Due.Equal(at.Add(7*day)) {
		t.Fatalf("%s: events %+v", what, ev)
	}
	if len(ev) == 2 && (ev[1].Kind != sample.Approved || !ev[1].Auto || !ev[1].At.Equal(at)) {
		t.Fatalf("%s: events %+v", what, ev)
	}
	if s := got.StateAt(at); s != sample.Requested && s != sample.ToShip {
		t.Fatalf("%s: state %v", what, s)
	}
}

// oneOpen checks SMP-10 over the ledger's requests: at each instant, at most one open request
// per creator, seller, product and market.
func oneOpen(t *testing.T, all map[string][]sample.Request, instants []time.Time) {
	t.Helper()
	for _, at := range instants {
		open := map[string]string{}
		for _, rs := range all {
			for _, x := range rs {
				switch x.StateAt(at) {
				case sample.Requested, sample.ToShip, sample.Shipped, sample.Delivered:
					key := strings.Join([]string{x.Creator, x.Seller, x.Product, string(x.Market)}, "/")
					if other, ok := open[key]; ok {
						t.Fatalf("at %v, %s and %s are both open for %s (SMP-10)", at, other, x.ID, key)
					}
					open[key] = x.ID
				}
			}
		}
	}
}

// FuzzRefund: Rule.Refund of any purchase, sale and instant, under the all-or-nothing default
// and PartialRefund. It never panics and answers within a second; bad input is field errors
// with the zero refund and decision; otherwise the refund is zero or, allowed, the price and
// shipping in full once the goal is reached, or under PartialRefund, once the window has
// closed short of it, (price + shipping) × counted ÷ goal rounded down to the minor unit.
func FuzzRefund(f *testing.F) {
	f.Add("aisyah", "MY", int64(5990), int64(450), uint8(1), int64(3), int64(1), int64(0), "u1", int64(60*24))
	f.Add("aisyah", "ID", int64(100001), int64(0), uint8(2), int64(300000), int64(1), int64(100000), "aisyah", int64(0))
	f.Add("", "", int64(-1), int64(0), uint8(0), int64(0), int64(-1), int64(-1), "", int64(-1))
	all := mustRule(sample.DefaultPolicy())
	part := mustRule(policyWith(func(p *sample.Policy) { p.PartialRefund = true }))
	f.Fuzz(func(t *testing.T, creator, market string, price, shipping int64, goal uint8, target, orders, amount int64, buyer string, minutes int64) {
		mk, known := affrules.LookupMarket(affrules.MarketCode(market))
		places := int32(2)
		if known == nil {
			places = mk.MinorUnit
		}
		dec := func(u int64) decimal.Decimal { return decimal.New(u, -places) }
		p := sample.Purchase{Creator: creator, Market: affrules.MarketCode(market), At: t0, Price: dec(price), Shipping: dec(shipping), Goal: sample.Goal(goal % 4), Target: dec(target)}
		if p.Goal == sample.Orders {
			p.Target = decimal.NewFromInt(target)
		}
		sales := []sample.Sale{{At: t0.Add(time.Hour), Orders: orders, Amount: dec(amount), Buyer: buyer}}
		at := t0.Add(time.Duration(minutes) * time.Minute)
		deadline.Within(t, fuzzLimit, func() {
			for i, r := range []sample.Rule{all, part} {
				got, d, err := r.Refund(p, sales, at)
				if err != nil {
					if !onlyFieldErrors(err) || !reflect.ValueOf(got).IsZero() || !reflect.ValueOf(d).IsZero() {
						t.Fatalf("error %v with refund %+v and decision %s", err, got, d)
					}
					continue
				}
				full := p.Price.Add(p.Shipping)
				reached := got.Counted.Cmp(p.Target) >= 0
				want := decimal.Zero
				switch {
				case reached:
					want = full
				case i == 1 && !at.Before(got.Deadline): // PartialRefund
					want, _ = full.Mul(got.Counted).QuoRem(p.Target, places)
				}
				if !got.Amount.Equal(want) || d.Allowed != got.Amount.IsPositive() && !(reached && full.IsZero()) {
					t.Fatalf("refund %s (allowed %t, %s) for %+v, counted %s by %v: want %s", got.Amount, d.Allowed, d, p, got.Counted, at, want)
				}
			}
		})
	})
}
