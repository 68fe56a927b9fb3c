package sample_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// The zero Evaluator and a nil *Evaluator fail closed: Policy and Rule return ErrNoPolicy.
func TestZeroEvaluator(t *testing.T) {
	for name, e := range map[string]*sample.Evaluator{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			p, err := e.Policy()
			require.ErrorIs(t, err, sample.ErrNoPolicy)
			require.Equal(t, sample.Policy{}, p)
			r, err := e.Rule()
			require.ErrorIs(t, err, sample.ErrNoPolicy)
			_, _, err = r.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
			require.ErrorIs(t, err, sample.ErrNoPolicy, "the Rule of a zero Evaluator is the zero Rule")
		})
	}
}

// The zero Rule refuses everything with ErrNoPolicy, whatever the input, and a ledger given it
// records nothing.
func TestZeroRule(t *testing.T) {
	var zero sample.Rule
	req, d, err := zero.Decide(sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	require.Equal(t, sample.Request{}, req)
	require.False(t, d.Allowed, "fails closed")

	held := ask(t, "r1", "aisyah", "serum", t0)
	got, err := zero.Record(held, sample.Approved, t0.Add(time.Hour))
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	require.Equal(t, held, got)
	// RecordAmong reports the zero Rule, and a zero instant, as Record does, whatever the other
	// requests hold.
	later := held
	later.ID = "r0"
	got, err = zero.RecordAmong([]sample.Request{later}, held, sample.Approved, t0.Add(time.Hour))
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	require.Equal(t, held, got)
	_, err = rule.RecordAmong([]sample.Request{later}, held, sample.Approved, time.Time{})
	require.ErrorContains(t, err, "sample: at")
	require.ErrorIs(t, err, affrules.ErrOutOfRange)

	refund, d, err := zero.Refund(purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(day), 5, "1", "u1")}, t0.Add(2*day))
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	require.False(t, d.Allowed)
	require.True(t, refund.Amount.IsZero(), "no refund")

	m := sample.NewMemory()
	_, d, err = m.Request(ctx, zero, direct("r1", "aisyah", "serum"), band1, t0)
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	require.False(t, d.Allowed)
	_, _, err = m.Request(ctx, rule, direct("r1", "aisyah", "serum"), band1, t0)
	require.NoError(t, err, "nothing was recorded under r1")
	_, err = m.Record(ctx, zero, "r1", sample.Approved, t0.Add(time.Hour))
	require.ErrorIs(t, err, sample.ErrNoPolicy)
	all, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Equal(t, sample.Requested, all[0].StateAt(t0.Add(2*time.Hour)), "the zero rule recorded no approval")
}

// The zero Request is bad input with every missing field named at once; it has no state and no
// rate.
func TestZeroRequest(t *testing.T) {
	var zero sample.Request
	got, d, err := rule.Decide(sample.History{}, zero, sample.Facts{}, t0)
	badInput(t, err, "request.id", "request.seller", "request.creator", "request.product", "request.market", "request.source", "facts.band")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.Equal(t, sample.Request{}, got)
	require.False(t, d.Allowed)

	got, err = rule.Record(zero, sample.Approved, t0)
	badInput(t, err, "request.events")
	require.Equal(t, zero, got)
	require.Equal(t, sample.State(0), zero.StateAt(t0))
	_, err = sample.FulfilmentRate([]sample.Request{zero}, "", affrules.Period{Start: t0, End: t0.Add(day)})
	badInput(t, err, "creator")
	_, err = sample.FulfilmentRate([]sample.Request{zero}, zero.Creator+"c", affrules.Period{Start: t0, End: t0.Add(day)})
	require.NoError(t, err, "another creator's requests are not read")

	m := sample.NewMemory()
	_, _, err = m.Request(ctx, rule, zero, sample.Facts{}, t0)
	require.NotEmpty(t, fieldErrors(err))
	all, err := m.Requests(ctx, "")
	require.NoError(t, err)
	require.Empty(t, all)
}

// MKT-6: an instant is required and must lie in the years 1900 to 2199: the zero time, an
// instant before 1900 or from 2200 is bad input, wherever it is given; the bounds' own
// instants pass.
func TestInstants(t *testing.T) {
	first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	bad := []time.Time{{}, first.Add(-time.Nanosecond), end, end.Add(100 * 365 * day)}
	for _, at := range bad {
		_, _, err := rule.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, at)
		badInput(t, err, "at")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)

		_, _, err = rule.Decide(sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(at), t0)
		badInput(t, err, "facts.until")

		_, err = rule.Record(ask(t, "r1", "aisyah", "serum", t0), sample.Approved, at)
		badInput(t, err, "at")

		_, _, err = rule.Refund(purchase(sample.Orders, "1"), []sample.Sale{sale(at, 1, "1", "u1")}, at)
		badInput(t, err, "at", "sales[0].at")

		_, _, err = sample.NewMemory().Request(ctx, rule, direct("r1", "aisyah", "serum"), band1, at)
		badInput(t, err, "at")
	}
	// Identifiers that no other call accepts: refused by Fulfilment and Refund too.
	for _, id := range []string{"", "ai\x00syah"} {
		_, err := rule.Fulfilment(nil, id, t0)
		badInput(t, err, "creator")
		p := purchase(sample.Orders, "1")
		p.Creator = id
		_, _, err = rule.Refund(p, nil, t0.Add(day))
		badInput(t, err, "purchase.creator")
	}
	_, _, err := rule.Refund(purchase(sample.Orders, "1"), []sample.Sale{sale(t0.Add(day), 1, "1", "u\x01")}, t0.Add(2*day))
	badInput(t, err, "sales[0].buyer")

	// Instants far before the bounds, with a request already held: refused as bad input, with no
	// month counted between them and the held one (SMP-11's later months), nothing allocated
	// for them and nothing recorded.
	held := sample.NewMemory()
	if _, d, err := held.Request(ctx, rule, direct("r0", "aisyah", "serum"), band1, t0); err != nil || !d.Allowed {
		t.Fatalf("first request: %v %v", d, err)
	}
	stored, err := held.Requests(ctx, "aisyah")
	require.NoError(t, err)
	for _, at := range append(bad, time.Date(-1_000_000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-300_000_000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		require.Nil(t, rule.History(direct("r1", "aisyah", "toner"), stored, at).LaterMonths, "at %v", at)
		_, _, err := held.Request(ctx, rule, direct("r1", "aisyah", "toner"), band1, at)
		badInput(t, err, "at")
	}
	after, err := held.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Equal(t, stored, after)

	for _, at := range []time.Time{first, end.Add(-time.Nanosecond)} {
		_, d := decide(t, rule, sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{Band: "band_1", AutoApprove: true}, at)
		require.True(t, d.Allowed, "at %v", at)
	}

	// A Collaboration Plus request after the collaboration's end, or at it: denied (SMP-4), as a
	// creator asking late is, not bad input; time will not help.
	for _, until := range []time.Time{t0, t0.Add(-time.Nanosecond)} {
		_, d := decide(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(until), t0)
		require.Equal(t, []string{"SMP-4 sample.smp4.ended"}, reasonKeys(d))
		require.Equal(t, affrules.Instant(until), d.Reasons[0].Limit)
		require.True(t, d.NextAllowed.IsZero())
	}
	_, d := decide(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(t0.Add(time.Nanosecond)), t0)
	require.True(t, d.Allowed)
}

// Unknown bands, markets and sources, contexts where they do not belong, events a caller must
// not give, negative history counts: bad input naming each field, nothing recorded.
func TestUnknownInput(t *testing.T) {
	with := func(f func(r *sample.Request)) sample.Request {
		r := direct("r1", "aisyah", "serum")
		f(&r)
		return r
	}
	tests := []struct {
		name   string
		req    sample.Request
		f      sample.Facts
		h      sample.History
		fields []string
	}{
		{"UnknownBand", direct("r1", "aisyah", "serum"), sample.Facts{Band: "band_4"}, sample.History{}, []string{"facts.band"}},
		{"BandCaseFolded", direct("r1", "aisyah", "serum"), sample.Facts{Band: "Band_1"}, sample.History{}, []string{"facts.band"}},
		{"NoBand", inCampaign("r1", "aisyah", "serum"), sample.Facts{Quantity: 1}, sample.History{}, []string{"facts.band"}},
		{"UnknownMarket", with(func(r *sample.Request) { r.Market = "US" }), band1, sample.History{}, []string{"request.market"}},
		{"MarketCaseFolded", with(func(r *sample.Request) { r.Market = "my" }), band1, sample.History{}, []string{"request.market"}},
		{"UnknownSource", with(func(r *sample.Request) { r.Source = sample.CollabPlus + 1 }), band1, sample.History{}, []string{"request.source"}},
		{"DirectWithContext", with(func(r *sample.Request) { r.Context = "year-end" }), band1, sample.History{}, []string{"request.context"}},
		{"DirectWithBlankContext", with(func(r *sample.Request) { r.Context = " " }), band1, sample.History{}, []string{"request.context"}},
		{"CampaignContextNotStorable", with(func(r *sample.Request) { r.Source, r.Context, r.Partner = sample.Campaign, "year\x00end", "agency-1" }), band1, sample.History{}, []string{"request.context"}},
		{"CampaignPartnerNotStorable", with(func(r *sample.Request) {
			r.Source, r.Context, r.Partner = sample.Campaign, "year-end", strings.Repeat("a", 257)
		}), band1, sample.History{}, []string{"request.partner"}},
		{"CampaignWithoutContext", with(func(r *sample.Request) { r.Source, r.Partner = sample.Campaign, "agency-1" }), band1, sample.History{}, []string{"request.context"}},
		{"CampaignWithoutPartner", with(func(r *sample.Request) { r.Source, r.Context = sample.Campaign, "year-end" }), band1, sample.History{}, []string{"request.partner"}},
		{"CampaignWithoutEither", with(func(r *sample.Request) { r.Source = sample.Campaign }), band1, sample.History{}, []string{"request.context", "request.partner"}},
		{"CollabPlusWithoutContextOrEnd", with(func(r *sample.Request) { r.Source = sample.CollabPlus }), sample.Facts{}, sample.History{}, []string{"request.context", "facts.until"}},
		{"EventsGiven", with(func(r *sample.Request) { r.Events = []sample.Event{{Kind: sample.Approved, At: t0}} }), band1, sample.History{}, []string{"request.events"}},
		{"NegativeMonth", direct("r1", "aisyah", "serum"), band1, sample.History{Month: -1}, []string{"history.month"}},
		{"NegativeAutoApproved", inCampaign("r1", "aisyah", "serum"), band1, sample.History{AutoApproved: -1}, []string{"history.auto_approved"}},
		{"NegativeInCollab", direct("r1", "aisyah", "serum"), band1, sample.History{InCollab: -1}, []string{"history.in_collab"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, d, err := rule.Decide(tt.h, tt.req, tt.f, t0)
			badInput(t, err, tt.fields...)
			require.Equal(t, sample.Request{}, got)
			require.False(t, d.Allowed)
			if tt.h.Month == 0 && tt.h.AutoApproved == 0 && tt.h.InCollab == 0 { // a ledger builds the history itself
				m := sample.NewMemory()
				_, _, err = m.Request(ctx, rule, tt.req, tt.f, t0)
				badInput(t, err, tt.fields...)
				all, err := m.Requests(ctx, "aisyah")
				require.NoError(t, err)
				require.Empty(t, all, "bad input recorded nothing")
			}
		})
	}
	_, _, err := rule.Decide(sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{Band: "band_4"}, t0)
	require.Contains(t, err.Error(), "SMP-11")
	_, _, err = rule.Decide(sample.History{}, with(func(r *sample.Request) { r.Source, r.Context = sample.Campaign, "year-end" }), sample.Facts{Quantity: 1, Band: "band_1"}, t0)
	require.Contains(t, err.Error(), "SMP-2", "the partner requests under a campaign's quantity")

	// A market of the catalog where the policy does not run the sample rules.
	sg := mustRule(policyWith(func(p *sample.Policy) { p.Markets = []affrules.MarketCode{affrules.SG} }))
	got, d, err := sg.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
	badInput(t, err, "request.market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.Equal(t, sample.Request{}, got)
	require.False(t, d.Allowed)
	_, _, err = sample.NewMemory().Request(ctx, sg, direct("r1", "aisyah", "serum"), band1, t0)
	badInput(t, err, "request.market")
	sgReq := direct("r1", "aisyah", "serum")
	sgReq.Market = affrules.SG
	_, d = decide(t, sg, sample.History{}, sgReq, band1, t0)
	require.True(t, d.Allowed, "%v", d)
	for _, m := range sample.DefaultPolicy().Markets {
		r := direct("r1", "aisyah", "serum")
		r.Market = m
		_, d := decide(t, rule, sample.History{}, r, band1, t0)
		require.True(t, d.Allowed, "%s, a market of the default policy: %v", m, d)
	}
}

// A request and its events survive a round trip through JSON; sources and event kinds are
// written by name, and an unknown name or value is an error naming it.
func TestRequestJSON(t *testing.T) {
	req := walk(t, rule, made(t, rule, sample.History{}, inCampaign("r1", "aisyah", "serum"), sample.Facts{Quantity: 1, Band: "band_1"}, t0),
		step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, t0.Add(3 * day)}, step{sample.Extended, t0.Add(4 * day)})
	b, err := json.Marshal(req)
	require.NoError(t, err)
	require.JSONEq(t, `{"id": "r1", "seller": "shop-1", "creator": "aisyah", "product": "serum", "market": "MY", "source": "campaign",
		"context": "year-end", "partner": "agency-1", "events": [
			{"kind": "asked", "at": "2026-12-01T09:00:00+08:00", "due": "2026-12-08T09:00:00+08:00"},
			{"kind": "approved", "at": "2026-12-01T09:00:00+08:00", "auto": true},
			{"kind": "shipped", "at": "2026-12-02T09:00:00+08:00"},
			{"kind": "delivered", "at": "2026-12-04T09:00:00+08:00", "due": "2026-12-18T09:00:00+08:00"},
			{"kind": "extended", "at": "2026-12-05T09:00:00+08:00", "due": "2026-12-25T09:00:00+08:00"}]}`, string(b))
	var back sample.Request
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(req, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, at := range []time.Time{t0, t0.Add(4 * day), t0.Add(24*day - time.Nanosecond), t0.Add(24 * day)} {
		require.Equal(t, req.StateAt(at), back.StateAt(at), "state at %v after the round trip", at)
	}

	// A direct request leaves out what it does not have.
	b, err = json.Marshal(ask(t, "r2", "aisyah", "serum", t0))
	require.NoError(t, err)
	require.JSONEq(t, `{"id": "r2", "seller": "shop-1", "creator": "aisyah", "product": "serum", "market": "MY", "source": "direct",
		"events": [{"kind": "asked", "at": "2026-12-01T09:00:00+08:00", "due": "2026-12-08T09:00:00+08:00"}]}`, string(b))

	for _, doc := range []string{`{"source": "Direct"}`, `{"source": ""}`, `{"events": [{"kind": "lost"}]}`, `{"events": [{"kind": ""}]}`} {
		var r sample.Request
		err := json.Unmarshal([]byte(doc), &r)
		require.NotEmpty(t, fieldErrors(err), "%s: %v", doc, err)
	}
	_, err = json.Marshal(sample.Request{})
	require.Error(t, err, "the zero source has no name")
	require.NotEmpty(t, fieldErrors(err))
	_, err = json.Marshal(sample.Event{Kind: sample.Posted + 1})
	require.Error(t, err)

	// Names of every value, and of values that are none.
	require.Equal(t, "direct campaign collab_plus", sample.Direct.String()+" "+sample.Campaign.String()+" "+sample.CollabPlus.String())
	var names []string
	for _, s := range allStates {
		b, err := s.MarshalText()
		require.NoError(t, err)
		require.Equal(t, s.String(), string(b))
		names = append(names, string(b))
	}
	require.Equal(t, []string{"requested", "rejected", "expired", "to_ship", "shipped", "delivered", "fulfilled", "overdue"}, names)
	for _, s := range []sample.State{0, sample.Overdue + 1} {
		_, err := s.MarshalText()
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
	require.Equal(t, "State(9)", (sample.Overdue + 1).String())

	// States are read back by name, as a host stores them; anything else is a FieldError on
	// state that leaves the value as it was.
	for i, name := range names {
		var s sample.State
		require.NoError(t, s.UnmarshalText([]byte(name)))
		require.Equal(t, allStates[i], s)
	}
	var states map[string]sample.State
	require.NoError(t, json.Unmarshal([]byte(`{"a": "to_ship", "b": "overdue"}`), &states))
	require.Equal(t, map[string]sample.State{"a": sample.ToShip, "b": sample.Overdue}, states)
	for _, name := range []string{"", "To_ship", "toship", "State(9)", "0"} {
		s := sample.Delivered
		err := s.UnmarshalText([]byte(name))
		badInput(t, err, "state")
		require.Equal(t, sample.Delivered, s, "%q changed the state", name)
	}
}

// A nil *Memory (a store a host declared and never made) is an error from every method, not a
// panic.
func TestNilMemory(t *testing.T) {
	ctx := t.Context()
	var m *sample.Memory
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, _, err := m.Request(ctx, sample.Rule{}, sample.Request{}, sample.Facts{}, at)
	assert.ErrorContains(t, err, "sample: nil *Memory")
	_, err = m.Record(ctx, sample.Rule{}, "x", 0, at)
	assert.ErrorContains(t, err, "sample: nil *Memory")
	_, err = m.Requests(ctx, "c")
	assert.ErrorContains(t, err, "sample: nil *Memory")
}

// A cancelled context is an error of the package, which errors.Is still finds.
func TestMemoryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sample.NewMemory().Requests(ctx, "c")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "sample: context canceled")
}

// A nil context is an error of the package from every store method, not a panic.
func TestMemoryNilContext(t *testing.T) {
	var ctx context.Context // a host that forgot it
	m := sample.NewMemory()
	_, _, err1 := m.Request(ctx, sample.Rule{}, sample.Request{}, sample.Facts{}, time.Now())
	_, err2 := m.Record(ctx, sample.Rule{}, "r", sample.ShippedEvent, time.Now())
	_, err3 := m.Requests(ctx, "c")
	for i, err := range []error{err1, err2, err3} {
		assert.ErrorContains(t, err, "sample: nil context.Context", "method %d", i)
	}
}

// SMP-10: a history whose answer comes at or after the answer window's end is one the rules
// cannot have recorded (the request had expired): Record and Order refuse it, naming the event.
func TestAnswerAfterWindow(t *testing.T) {
	rule, err := sample.MustNew(sample.DefaultPolicy()).Rule()
	require.NoError(t, err)
	day := 24 * time.Hour
	t0 := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	req := func(answered time.Time) sample.Request {
		return sample.Request{ID: "r", Seller: "s", Creator: "c", Product: "p", Market: affrules.TH, Source: sample.Direct,
			Events: []sample.Event{{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)}, {Kind: sample.Approved, At: answered}}}
	}
	for _, answered := range []time.Time{t0.Add(7 * day), t0.Add(10 * day)} {
		_, err := rule.Record(req(answered), sample.ShippedEvent, t0.Add(11*day))
		require.ErrorContains(t, err, "request.events[1].at", answered)
		require.ErrorContains(t, err, "the request had expired (SMP-10)")
		_, err = rule.Order(req(answered), t0.Add(11*day))
		require.ErrorContains(t, err, "request.events[1].at", answered)
	}
	// One nanosecond before the window's end the answer stands.
	_, err = rule.Record(req(t0.Add(7*day-time.Nanosecond)), sample.ShippedEvent, t0.Add(11*day))
	require.NoError(t, err)
}

// SMP-10: a stored earlier request of the product whose answer window was lost (a host's JSON
// without "due") is bad input to Decide, not a request that never was: otherwise the 30-day
// wait after its expiry would be skipped.
func TestDecideRefusesAHistoryWithoutItsWindow_SMP10(t *testing.T) {
	first, d, err := rule.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	at := t0.Add(10 * 24 * time.Hour) // expired, inside the 30-day wait
	again := direct("r2", "aisyah", "serum")
	_, d, err = rule.Decide(rule.History(again, []sample.Request{first}, at), again, band1, at)
	require.NoError(t, err)
	require.False(t, d.Allowed, "the wait after the expiry")
	lost := first
	lost.Events = slices.Clone(first.Events)
	lost.Events[0].Due = time.Time{}
	_, _, err = rule.Decide(rule.History(again, []sample.Request{lost}, at), again, band1, at)
	badInput(t, err, "history.product[0].events")
}

// SMP-10: history.product holds the creator's requests for the product of the seller in the
// market, each once: another creator's, product's, seller's or market's, one given twice or one
// with an ID no store holds would deny or allow the request wrongly, so each is bad input.
func TestDecideRefusesAForeignHistory_SMP10(t *testing.T) {
	first, d, err := rule.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	at := t0.Add(10 * 24 * time.Hour)
	again := direct("r2", "aisyah", "serum")
	for name, tc := range map[string]struct {
		history []sample.Request
		field   string
	}{
		"another creator's": {[]sample.Request{func() sample.Request { q := first; q.Creator = "budi"; return q }()}, "history.product[0].id"},
		"another product's": {[]sample.Request{func() sample.Request { q := first; q.Product = "toner"; return q }()}, "history.product[0].id"},
		"another seller's":  {[]sample.Request{func() sample.Request { q := first; q.Seller = "shop-9"; return q }()}, "history.product[0].id"},
		"another market's":  {[]sample.Request{func() sample.Request { q := first; q.Market = affrules.TH; return q }()}, "history.product[0].id"},
		"given twice":       {[]sample.Request{first, first}, "history.product[1].id"},
		"without an ID":     {[]sample.Request{func() sample.Request { q := first; q.ID = ""; return q }()}, "history.product[0].id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := rule.Decide(sample.History{Product: tc.history}, again, band1, at)
			badInput(t, err, tc.field)
		})
	}
	// The creator's own request, once, is the history: the 30-day wait after its expiry.
	_, d, err = rule.Decide(sample.History{Product: []sample.Request{first}}, again, band1, at)
	require.NoError(t, err)
	require.False(t, d.Allowed)
}

// A direct request's context is quoted in its error, so a blank one shows as given.
func TestDirectContextQuoted(t *testing.T) {
	req := direct("r1", "aisyah", "serum")
	req.Context = " "
	_, _, err := rule.Decide(sample.History{}, req, band1, t0)
	require.ErrorContains(t, err, `sample: request.context " ": is only for campaign and collab_plus requests`)
}

// SMP-9, SMP-10: no instant from 2200 on is accepted, so a window that would end then could
// never close: a request left to the seller, a delivery and an extension that open one are
// refused up front, naming the instant that opens it; a nanosecond earlier, each window ends in
// bounds and is accepted. A request approved at once opens no answer window and is not
// refused; a refundable purchase (SMP-5), which no store keeps, is judged at the instant given.
func TestWindowsEndInBounds(t *testing.T) {
	p := sample.DefaultPolicy()
	end := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	days := func(n int) time.Duration { return time.Duration(n) * day }
	tooLate := func(err error, field string) {
		t.Helper()
		badInput(t, err, field)
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
		require.ErrorContains(t, err, "could never")
	}

	lastAsk := end.Add(-days(p.AnswerDays))
	_, d := decide(t, rule, sample.History{}, direct("r1", "aisyah", "serum"), band1, lastAsk.Add(-time.Nanosecond))
	require.True(t, d.Allowed)
	_, _, err := rule.Decide(sample.History{}, direct("r1", "aisyah", "serum"), band1, lastAsk)
	tooLate(err, "at")
	_, _, err = sample.NewMemory().Request(ctx, rule, direct("r1", "aisyah", "serum"), band1, lastAsk)
	tooLate(err, "at")
	_, d = decide(t, rule, sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{Band: "band_1", AutoApprove: true}, lastAsk)
	require.True(t, d.Allowed, "approved at once: no answer window")

	shipped := walk(t, rule, ask(t, "r1", "aisyah", "serum", t0), step{sample.Approved, t0.Add(time.Hour)}, step{sample.ShippedEvent, t0.Add(day)})
	lastDelivery := end.Add(-days(p.ContentDays))
	_, err = rule.Record(shipped, sample.DeliveredEvent, lastDelivery)
	tooLate(err, "at")
	got, err := rule.Record(shipped, sample.DeliveredEvent, lastDelivery.Add(-time.Nanosecond))
	require.NoError(t, err)
	// Its deadline is a nanosecond before the bound: extending it by 7 days would pass it.
	_, err = rule.Record(got, sample.Extended, lastDelivery)
	tooLate(err, "at")
	got, err = rule.Record(shipped, sample.DeliveredEvent, lastDelivery.Add(-days(p.ExtensionDays)-time.Nanosecond))
	require.NoError(t, err)
	_, err = rule.Record(got, sample.Extended, lastDelivery.Add(-days(p.ExtensionDays)))
	require.NoError(t, err)

	// Refund records nothing: a purchase whose window ends past the bound is judged at the
	// instant given, and refunded once its goal is reached.
	bought := purchase(sample.Orders, "1")
	bought.At = end.Add(-days(p.RefundDays))
	_, d, err = rule.Refund(bought, nil, bought.At)
	require.NoError(t, err)
	require.False(t, d.Allowed, "not reached yet")
	_, d, err = rule.Refund(bought, []sample.Sale{sale(bought.At.Add(time.Hour), 1, "1", "u1")}, bought.At.Add(time.Hour))
	require.NoError(t, err)
	require.True(t, d.Allowed, "reached")
}
