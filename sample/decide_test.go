package sample_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// SMP-1: a direct request is approved at once when the seller's setting says so, and otherwise
// waits for the seller, who approves it by hand.
func TestDirectApproval_SMP1(t *testing.T) {
	auto := made(t, rule, sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{AutoApprove: true, Band: "band_1"}, t0)
	want := []sample.Event{{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)}, {Kind: sample.Approved, At: t0, Auto: true}}
	if diff := cmp.Diff(want, auto.Events); diff != "" {
		t.Errorf("auto-approved request's events (-want +got):\n%s", diff)
	}
	require.Equal(t, sample.ToShip, auto.StateAt(t0))

	manual := made(t, rule, sample.History{}, direct("r2", "aisyah", "toner"), band1, t0)
	require.Equal(t, []sample.Event{{Kind: sample.Asked, At: t0, Due: t0.Add(7 * day)}}, manual.Events)
	require.Equal(t, sample.Requested, manual.StateAt(t0))
	approved := record(t, rule, manual, sample.Approved, t0.Add(time.Hour))
	require.Equal(t, sample.Event{Kind: sample.Approved, At: t0.Add(time.Hour)}, approved.Events[1], "approved by the seller, not automatically")
	require.Equal(t, sample.Requested, approved.StateAt(t0.Add(time.Hour-time.Nanosecond)))
	require.Equal(t, sample.ToShip, approved.StateAt(t0.Add(time.Hour)))

	// The request given is returned with its events and otherwise as it was.
	req := direct("r3", "aisyah", "lotion")
	got := made(t, rule, sample.History{}, req, band1, t0)
	got.Events = nil
	require.Equal(t, req, got)
}

// SMP-2: a partner's requests in a campaign are approved automatically while the automatic
// approvals of the product are below the quantity in force at the request; beyond it they wait
// for the seller (or are denied, by policy). Other products and campaigns have their own.
func TestCampaignQuantity_SMP2(t *testing.T) {
	tests := []struct {
		auto, quantity int64
		want           sample.State
	}{
		{0, 0, sample.Requested},
		{0, 1, sample.ToShip},
		{1, 2, sample.ToShip},
		{2, 2, sample.Requested}, // the quantity reached: review
		{5, 3, sample.Requested}, // lowered below what was approved
		{2, 3, sample.ToShip},    // raised
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d_of_%d", tt.auto, tt.quantity), func(t *testing.T) {
			got := made(t, rule, sample.History{AutoApproved: tt.auto}, inCampaign("r1", "aisyah", "serum"), sample.Facts{Quantity: tt.quantity, Band: "band_1"}, t0)
			require.Equal(t, tt.want, got.StateAt(t0))
			if tt.want == sample.ToShip {
				require.Equal(t, sample.Event{Kind: sample.Approved, At: t0, Auto: true}, got.Events[1])
			}
		})
	}

	// Under "reject", a request beyond the quantity is denied by SMP-2, naming the automatic
	// approvals and the quantity: nothing is made, so there is no rejection and no 30-day wait.
	t.Run("Reject", func(t *testing.T) {
		reject := mustRule(policyWith(func(p *sample.Policy) { p.OverQuantity = sample.OverQuantityReject }))
		for _, c := range []struct{ auto, quantity int64 }{{2, 2}, {0, 0}, {5, 3}} {
			got, d := decide(t, reject, sample.History{AutoApproved: c.auto}, inCampaign("r1", "aisyah", "serum"), sample.Facts{Quantity: c.quantity, Band: "band_1"}, t0)
			require.Equal(t, sample.Request{}, got, "%d of %d: nothing made", c.auto, c.quantity)
			want := []affrules.Reason{{Rule: sample.RuleQuantity, Key: "sample.smp2.over_quantity", Observed: affrules.Count(c.auto), Limit: affrules.Count(c.quantity), Subject: "serum"}}
			if diff := cmp.Diff(want, d.Reasons); diff != "" {
				t.Errorf("%d of %d (-want +got):\n%s", c.auto, c.quantity, diff)
			}
			require.False(t, d.Allowed)
			require.True(t, d.NextAllowed.IsZero(), "time alone will not help")
		}
		within := made(t, reject, sample.History{AutoApproved: 1}, inCampaign("r2", "budi", "serum"), sample.Facts{Quantity: 2, Band: "band_1"}, t0)
		require.Equal(t, sample.ToShip, within.StateAt(t0), "within the quantity the policy changes nothing")
		_, d := decide(t, reject, sample.History{AutoApproved: 2}, direct("r3", "budi", "serum"), sample.Facts{Quantity: 2, Band: "band_1"}, t0)
		require.True(t, d.Allowed, "the quantity is a campaign's: %v", d)

		// Through the ledger: the denial records nothing, and the creator may ask again at once,
		// when the quantity is raised.
		m := sample.NewMemory()
		for i, c := range []string{"c1", "c2"} {
			_, d, err := m.Request(ctx, reject, inCampaign(fmt.Sprint("r", i+1), c, "serum"), sample.Facts{Quantity: 2, Band: "band_1"}, t0)
			require.NoError(t, err)
			require.True(t, d.Allowed, "%s: %v", c, d)
		}
		got, d, err := m.Request(ctx, reject, inCampaign("r3", "c3", "serum"), sample.Facts{Quantity: 2, Band: "band_1"}, t0.Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, sample.Request{}, got)
		require.Equal(t, []string{"SMP-2 sample.smp2.over_quantity"}, reasonKeys(d))
		held, err := m.Requests(ctx, "c3")
		require.NoError(t, err)
		require.Empty(t, held, "a denial records nothing: no request, no declined event")
		again, d, err := m.Request(ctx, reject, inCampaign("r3", "c3", "serum"), sample.Facts{Quantity: 3, Band: "band_1"}, t0.Add(2*time.Hour))
		require.NoError(t, err)
		require.True(t, d.Allowed, "no 30-day wait after a denial: %v", d)
		require.Equal(t, sample.ToShip, again.StateAt(t0.Add(2*time.Hour)))
	})

	t.Run("NegativeQuantity", func(t *testing.T) {
		for _, req := range []sample.Request{inCampaign("r1", "aisyah", "serum"), direct("r1", "aisyah", "serum")} {
			got, d, err := rule.Decide(sample.History{}, req, sample.Facts{Quantity: -1, Band: "band_1"}, t0)
			badInput(t, err, "facts.quantity")
			require.ErrorIs(t, err, affrules.ErrNegative)
			require.Contains(t, err.Error(), "SMP-2")
			require.Equal(t, sample.Request{}, got)
			require.False(t, d.Allowed)
		}
	})
}

// SMP-2 through the ledger: the quantity is read at each request, lowering it revokes nothing,
// raising it admits more, only automatic approvals count against it, and each product of each
// campaign counts on its own.
func TestQuantityThroughLedger_SMP2(t *testing.T) {
	m := sample.NewMemory()
	n := 0
	req := func(creator, product string, quantity int64, at time.Time) sample.Request {
		t.Helper()
		n++
		r := inCampaign(fmt.Sprint("r", n), creator, product)
		got, d, err := m.Request(ctx, rule, r, sample.Facts{Quantity: quantity, Band: "band_1"}, at)
		require.NoError(t, err)
		require.True(t, d.Allowed, "%v", d)
		return got
	}
	state := func(id string, at time.Time) sample.State {
		t.Helper()
		for _, c := range []string{"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"} {
			rs, err := m.Requests(ctx, c)
			require.NoError(t, err)
			for _, r := range rs {
				if r.ID == id {
					return r.StateAt(at)
				}
			}
		}
		t.Fatalf("request %s not in the ledger", id)
		return 0
	}

	for i, c := range []string{"c1", "c2", "c3"} {
		require.Equal(t, sample.ToShip, req(c, "serum", 3, t0.Add(time.Duration(i)*time.Minute)).StateAt(t0.Add(time.Hour)), "%s within the quantity of 3", c)
	}
	// Lowered to 1: the three stay approved, the next waits for the seller.
	require.Equal(t, sample.Requested, req("c4", "serum", 1, t0.Add(time.Hour)).StateAt(t0.Add(time.Hour)))
	for _, id := range []string{"r1", "r2", "r3"} {
		require.Equal(t, sample.ToShip, state(id, t0.Add(2*time.Hour)), "%s kept when the quantity is lowered", id)
	}
	// The seller approves r4 by hand: it does not count against the quantity.
	_, err := m.Record(ctx, rule, "r4", sample.Approved, t0.Add(2*time.Hour))
	require.NoError(t, err)
	// Raised to 5: two more are approved automatically, then review again.
	require.Equal(t, sample.ToShip, req("c5", "serum", 5, t0.Add(3*time.Hour)).StateAt(t0.Add(3*time.Hour)))
	require.Equal(t, sample.ToShip, req("c6", "serum", 5, t0.Add(3*time.Hour)).StateAt(t0.Add(3*time.Hour)))
	require.Equal(t, sample.Requested, req("c7", "serum", 5, t0.Add(3*time.Hour)).StateAt(t0.Add(3*time.Hour)))
	// Another product of the campaign, and the same product in another campaign, have their own
	// quantities.
	require.Equal(t, sample.ToShip, req("c8", "toner", 1, t0.Add(4*time.Hour)).StateAt(t0.Add(4*time.Hour)))
	other := inCampaign("r-other", "c8", "serum")
	other.Context = "new-year"
	got, d, err := m.Request(ctx, rule, other, sample.Facts{Quantity: 1, Band: "band_1"}, t0.Add(4*time.Hour))
	require.NoError(t, err)
	require.True(t, d.Allowed)
	require.Equal(t, sample.ToShip, got.StateAt(t0.Add(4*time.Hour)))
}

// SMP-3: three pre-approved samples per creator per Collaboration Plus, approved at once and
// straight to "to ship" whatever the seller's setting and the quantity, due by the
// collaboration's end; the fourth is denied, with no next-allowed instant. Another
// collaboration, or another creator, starts again from three.
func TestCollabPlusSamples_SMP3(t *testing.T) {
	m := sample.NewMemory()
	until := t0.Add(20 * day)
	f := offering(until) // no band: outside the monthly caps
	for i, p := range []string{"serum", "toner", "lotion"} {
		got, d, err := m.Request(ctx, rule, inCollab(fmt.Sprint("r", i+1), "aisyah", p, "cp-1"), f, t0.Add(time.Duration(i)*time.Hour))
		require.NoError(t, err)
		require.True(t, d.Allowed, "%s: %v", p, d)
		at := t0.Add(time.Duration(i) * time.Hour)
		want := []sample.Event{{Kind: sample.Asked, At: at, Due: at.Add(7 * day)}, {Kind: sample.Approved, At: at, Due: until, Auto: true}}
		if diff := cmp.Diff(want, got.Events); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", p, diff)
		}
		require.Equal(t, sample.ToShip, got.StateAt(at))
	}
	got, d, err := m.Request(ctx, rule, inCollab("r4", "aisyah", "mask", "cp-1"), f, t0.Add(3*time.Hour))
	require.NoError(t, err)
	require.Equal(t, sample.Request{}, got)
	want := []affrules.Reason{{Rule: sample.RuleCollabPlus, Key: "sample.smp3.limit", Observed: affrules.Count(3), Limit: affrules.Count(3), Subject: "aisyah"}}
	if diff := cmp.Diff(want, d.Reasons); diff != "" {
		t.Errorf("the fourth (-want +got):\n%s", diff)
	}
	require.False(t, d.Allowed)
	require.True(t, d.NextAllowed.IsZero(), "time alone will not help")

	for _, req := range []sample.Request{inCollab("r5", "aisyah", "mask", "cp-2"), inCollab("r6", "budi", "mask", "cp-1")} {
		_, d, err := m.Request(ctx, rule, req, f, t0.Add(4*time.Hour))
		require.NoError(t, err)
		require.True(t, d.Allowed, "%s in %s: %v", req.Creator, req.Context, d)
	}

	// CollabPlusFree is policy.
	one := mustRule(policyWith(func(p *sample.Policy) { p.CollabPlusFree = 1 }))
	_, d = decide(t, one, sample.History{InCollab: 1}, inCollab("r1", "cara", "mask", "cp-1"), f, t0)
	require.Equal(t, []string{"SMP-3 sample.smp3.limit"}, reasonKeys(d))
	_, d = decide(t, rule, sample.History{InCollab: 2}, inCollab("r1", "cara", "mask", "cp-1"), f, t0)
	require.True(t, d.Allowed, "the third of three")
}

// SMP-12: a Collaboration Plus request needs the collaboration to offer free samples. Without
// them it is denied, naming the collaboration, with no next-allowed instant, and nothing is
// recorded; a collaboration's limit (SMP-3) is named beside it. Free samples are a
// collaboration's: direct and campaign requests do not need them.
func TestCollabPlusOffers_SMP12(t *testing.T) {
	until := t0.Add(20 * day)
	refundableOnly := sample.Facts{Member: true, Until: until}
	got, d := decide(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), refundableOnly, t0)
	require.Equal(t, sample.Request{}, got)
	want := []affrules.Reason{{Rule: sample.RuleOffers, Key: "sample.smp12.not_offered", Subject: "cp-1"}}
	if diff := cmp.Diff(want, d.Reasons); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	require.False(t, d.Allowed)
	require.True(t, d.NextAllowed.IsZero(), "time alone will not help")
	require.Equal(t, affrules.RuleID("SMP-12"), sample.RuleOffers)

	_, d = decide(t, rule, sample.History{InCollab: 3}, inCollab("r1", "aisyah", "serum", "cp-1"), refundableOnly, t0)
	require.Equal(t, []string{"SMP-12 sample.smp12.not_offered", "SMP-3 sample.smp3.limit"}, reasonKeys(d))
	made(t, rule, sample.History{}, inCollab("r1", "aisyah", "serum", "cp-1"), offering(until), t0)
	made(t, rule, sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
	made(t, rule, sample.History{}, inCampaign("r1", "aisyah", "serum"), sample.Facts{Quantity: 1, Band: "band_1"}, t0)

	m := sample.NewMemory()
	_, d, err := m.Request(ctx, rule, inCollab("r1", "aisyah", "serum", "cp-1"), refundableOnly, t0)
	require.NoError(t, err)
	require.Equal(t, []string{"SMP-12 sample.smp12.not_offered"}, reasonKeys(d))
	all, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Empty(t, all, "the denial recorded nothing")
	_, d, err = m.Request(ctx, rule, inCollab("r1", "aisyah", "serum", "cp-1"), offering(until), t0)
	require.NoError(t, err)
	require.True(t, d.Allowed, "and did not count against SMP-3's three: %v", d)
}

// SMP-3, SMP-11: Collaboration Plus requests are outside the monthly caps by default: a creator
// at the cap still gets them, and they do not count towards it. With CollabPlusCapped they are
// inside: counted, and refused at the cap.
func TestCollabPlusCaps_SMP3(t *testing.T) {
	until := t0.Add(20 * day)
	m := sample.NewMemory()
	for i := range 3 {
		_, d, err := m.Request(ctx, rule, inCollab(fmt.Sprint("cp", i), "aisyah", fmt.Sprint("p", i), "cp-1"), offering(until), t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	for i := range 5 {
		_, d, err := m.Request(ctx, rule, direct(fmt.Sprint("d", i), "aisyah", fmt.Sprint("q", i)), band1, t0.Add(time.Hour))
		require.NoError(t, err)
		require.True(t, d.Allowed, "direct request %d of 5: the collaboration's do not count: %v", i+1, d)
	}
	_, d, err := m.Request(ctx, rule, direct("d5", "aisyah", "q5"), band1, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d))
	_, d, err = m.Request(ctx, rule, inCollab("cp9", "aisyah", "p9", "cp-2"), offering(until), t0.Add(time.Hour))
	require.NoError(t, err)
	require.True(t, d.Allowed, "at the cap, a Collaboration Plus sample is still allowed: %v", d)

	capped := mustRule(policyWith(func(p *sample.Policy) { p.CollabPlusCapped = true }))
	// Rule.Capped says which sources a ledger counts under the caps.
	for _, s := range []sample.Source{sample.Direct, sample.Campaign, sample.CollabPlus} {
		require.Equal(t, s != sample.CollabPlus, rule.Capped(s), "%v by default", s)
		require.True(t, capped.Capped(s), "%v with CollabPlusCapped", s)
	}
	_, _, err = capped.Decide(sample.History{}, inCollab("r1", "aisyah", "p1", "cp-1"), offering(until), t0)
	badInput(t, err, "facts.band")
	_, d = decide(t, capped, sample.History{Month: 5}, inCollab("r1", "aisyah", "p1", "cp-1"), sample.Facts{Member: true, Until: until, FreeSamples: true, Band: "band_1"}, t0)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d))
	require.True(t, d.NextAllowed.IsZero(), "the collaboration ends on %v, before the cap lifts in January: waiting does not help (MKT-5), got %v", until, d.NextAllowed)
	_, d = decide(t, capped, sample.History{Month: 5}, inCollab("r1", "aisyah", "p1", "cp-1"), sample.Facts{Member: true, Until: january.Add(time.Nanosecond), FreeSamples: true, Band: "band_1"}, t0)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d))
	require.True(t, d.NextAllowed.Equal(january), "a collaboration running into January: %v", d.NextAllowed)
	_, d = decide(t, capped, sample.History{Month: 5}, inCollab("r1", "aisyah", "p1", "cp-1"), sample.Facts{Member: true, Until: january, FreeSamples: true, Band: "band_1"}, t0)
	require.True(t, d.NextAllowed.IsZero(), "a collaboration ending as the cap lifts: %v", d.NextAllowed)
	m = sample.NewMemory()
	for i := range 5 {
		_, d, err := m.Request(ctx, capped, inCollab(fmt.Sprint("cp", i), "aisyah", fmt.Sprint("p", i), fmt.Sprint("cp-", i)), sample.Facts{Member: true, Until: until, FreeSamples: true, Band: "band_1"}, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	_, d, err = m.Request(ctx, capped, direct("d1", "aisyah", "q1"), band1, t0)
	require.NoError(t, err)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d), "capped, the collaboration's requests count")
}

// SMP-10: at most one open request per creator and product. A second request while the first
// is requested, to ship, shipped or delivered is denied, the reason naming the open request and
// its state, with nothing made and no NextAllowed; once the first is fulfilled or overdue a new
// one is allowed at once. Another
// product, or the same product ID of another seller, is not held back.
func TestOneOpenRequest_SMP10(t *testing.T) {
	first := ask(t, "r1", "aisyah", "serum", t0)
	lives := []struct {
		state sample.State
		req   sample.Request
		at    time.Time
	}{
		{sample.Requested, first, t0.Add(time.Hour)},
		{sample.ToShip, walk(t, rule, first, step{sample.Approved, t0.Add(time.Hour)}), t0.Add(2 * time.Hour)},
		{sample.Shipped, walk(t, rule, first, step{sample.Approved, t0.Add(time.Hour)}, step{sample.ShippedEvent, t0.Add(day)}), t0.Add(2 * day)},
		{sample.Delivered, delivered(t, "r1", "serum", t0.Add(2*day)), t0.Add(3 * day)},
	}
	for _, l := range lives {
		t.Run(l.state.String(), func(t *testing.T) {
			require.Equal(t, l.state, l.req.StateAt(l.at))
			got, d, err := rule.Decide(sample.History{Product: []sample.Request{l.req}}, direct("r2", "aisyah", "serum"), band1, l.at)
			openRequest(t, d, err, "r1", l.state)
			require.Equal(t, sample.Request{}, got)
			require.Len(t, d.Reasons, 1, "%v", d)
		})
	}

	fulfilled := walk(t, rule, delivered(t, "r1", "serum", t0.Add(2*day)), step{sample.Posted, t0.Add(5 * day)})
	overdue := delivered(t, "r1", "serum", t0.Add(2*day))
	for name, c := range map[string]struct {
		req sample.Request
		at  time.Time
	}{"fulfilled": {fulfilled, t0.Add(5 * day)}, "overdue": {overdue, t0.Add(16 * day)}} {
		require.Equal(t, name, c.req.StateAt(c.at).String())
		_, d := decide(t, rule, sample.History{Product: []sample.Request{c.req}}, direct("r2", "aisyah", "serum"), band1, c.at)
		require.True(t, d.Allowed, "after the first is %s: %v", name, d)
	}
	_, open, err := rule.Decide(sample.History{Product: []sample.Request{overdue}}, direct("r2", "aisyah", "serum"), band1, t0.Add(16*day-time.Nanosecond))
	openRequest(t, open, err, "r1", sample.Delivered)

	// Through the ledger: the history is the creator's requests for this product of this seller.
	m := sample.NewMemory()
	for _, req := range []sample.Request{direct("r1", "aisyah", "serum"), direct("r2", "aisyah", "toner"), direct("r3", "budi", "serum")} {
		_, d, err := m.Request(ctx, rule, req, band1, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed, "%s: %v", req.ID, d)
	}
	otherShop := direct("r4", "aisyah", "serum")
	otherShop.Seller = "shop-2"
	_, d, err := m.Request(ctx, rule, otherShop, band1, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed, "shop-2's serum: %v", d)
	got, d, err := m.Request(ctx, rule, direct("r5", "aisyah", "serum"), band1, t0.Add(time.Hour))
	openRequest(t, d, err, "r1", sample.Requested)
	require.Equal(t, sample.Request{}, got)
	all, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Len(t, all, 3, "the denied request recorded nothing")
}

// SMP-10: the creator's requests for a product are made in order: a request at an instant
// before the last event of one of them is bad input naming "at", even when that request has
// ended since; at the instant of the last event it is in order.
func TestRequestsInOrder_SMP10(t *testing.T) {
	posted := t0.Add(5 * day)
	fulfilled := walk(t, rule, delivered(t, "r1", "serum", t0.Add(2*day)), step{sample.Posted, posted})
	h := sample.History{Product: []sample.Request{fulfilled}}
	for _, at := range []time.Time{posted.Add(-time.Nanosecond), t0.Add(time.Hour), t0.Add(-day)} {
		got, d, err := rule.Decide(h, direct("r2", "aisyah", "serum"), band1, at)
		badInput(t, err, "at")
		require.Contains(t, err.Error(), `request "r1"`)
		require.Equal(t, sample.Request{}, got)
		require.False(t, d.Allowed)
	}
	_, d := decide(t, rule, h, direct("r2", "aisyah", "serum"), band1, posted)
	require.True(t, d.Allowed, "at the last event's instant: %v", d)

	// Through the ledger, with nothing recorded.
	m := sample.NewMemory()
	auto := sample.Facts{AutoApprove: true, Band: "band_1"}
	_, _, err := m.Request(ctx, rule, direct("r1", "aisyah", "serum"), auto, t0)
	require.NoError(t, err)
	for _, e := range []step{{sample.ShippedEvent, t0.Add(day)}, {sample.DeliveredEvent, t0.Add(2 * day)}, {sample.Posted, posted}} {
		_, err = m.Record(ctx, rule, "r1", e.k, e.at)
		require.NoError(t, err)
	}
	_, _, err = m.Request(ctx, rule, direct("r2", "aisyah", "serum"), auto, posted.Add(-time.Nanosecond))
	badInput(t, err, "at")
	all, err := m.Requests(ctx, "aisyah")
	require.NoError(t, err)
	require.Len(t, all, 1, "the bad request recorded nothing")
	_, d, err = m.Request(ctx, rule, direct("r2", "aisyah", "serum"), auto, posted)
	require.NoError(t, err)
	require.True(t, d.Allowed, "%v", d)
	// Another product's events do not order this one's requests.
	_, d, err = m.Request(ctx, rule, direct("r3", "aisyah", "toner"), auto, t0.Add(time.Hour))
	require.NoError(t, err)
	require.True(t, d.Allowed, "%v", d)
}

// SMP-10: after a rejection the creator may ask for the same product again from exactly
// 30 × 24 h later; 1 ns before, the request is denied with that instant as NextAllowed and as
// the reason's limit.
func TestWaitAfterRejection_SMP10(t *testing.T) {
	rejectedAt := t0.Add(3 * time.Hour)
	rejected := walk(t, rule, ask(t, "r1", "aisyah", "serum", t0), step{sample.Declined, rejectedAt})
	again := rejectedAt.Add(30 * day)
	h := sample.History{Product: []sample.Request{rejected}}

	for _, at := range []time.Time{rejectedAt, rejectedAt.Add(day), again.Add(-time.Nanosecond)} {
		got, d, err := rule.Decide(h, direct("r2", "aisyah", "serum"), band1, at)
		require.NoError(t, err)
		require.Equal(t, sample.Request{}, got)
		want := []affrules.Reason{{Rule: sample.RuleAnswer, Key: "sample.smp10.wait", Observed: affrules.Text("rejected"), Limit: affrules.Instant(again), Subject: "r1"}}
		if diff := cmp.Diff(want, d.Reasons); diff != "" {
			t.Errorf("at %v (-want +got):\n%s", at, diff)
		}
		require.True(t, d.NextAllowed.Equal(again), "at %v: next allowed %v, want %v", at, d.NextAllowed, again)
	}
	_, d := decide(t, rule, h, direct("r2", "aisyah", "serum"), band1, again)
	require.True(t, d.Allowed, "at exactly 30 × 24 h: %v", d)

	// The wait is policy, and runs from the rejection, not from the request.
	short := mustRule(policyWith(func(p *sample.Policy) { p.WaitDays = 2 }))
	_, d = decide(t, short, h, direct("r2", "aisyah", "serum"), band1, rejectedAt.Add(2*day-time.Nanosecond))
	require.True(t, d.NextAllowed.Equal(rejectedAt.Add(2*day)))
	_, d = decide(t, short, h, direct("r2", "aisyah", "serum"), band1, rejectedAt.Add(2*day))
	require.True(t, d.Allowed)
	none := mustRule(policyWith(func(p *sample.Policy) { p.WaitDays = 0 }))
	_, d = decide(t, none, h, direct("r2", "aisyah", "serum"), band1, rejectedAt)
	require.True(t, d.Allowed, "no wait")
}

// SMP-10, SMP-4, MKT-5: a Collaboration Plus request after a rejection names the end of the
// 30-day wait only if the collaboration still runs then; one ending first (at the wait's end or
// before) would refuse it as ended, so no instant is named.
func TestWaitPastCollaboration_SMP10_SMP4(t *testing.T) {
	rejectedAt := t0.Add(3 * time.Hour)
	rejected := walk(t, rule, ask(t, "r1", "aisyah", "serum", t0), step{sample.Declined, rejectedAt})
	again := rejectedAt.Add(30 * day)
	h := sample.History{Product: []sample.Request{rejected}}
	at := rejectedAt.Add(time.Hour)
	for _, tc := range []struct {
		until time.Time
		next  time.Time
	}{
		{at.Add(10 * day), time.Time{}},
		{again, time.Time{}},
		{again.Add(time.Nanosecond), again},
	} {
		_, d := decide(t, rule, h, inCollab("r2", "aisyah", "serum", "cp-1"), offering(tc.until), at)
		require.Equal(t, []string{"SMP-10 sample.smp10.wait"}, reasonKeys(d))
		require.True(t, d.NextAllowed.Equal(tc.next), "until %v: next allowed %v, want %v", tc.until, d.NextAllowed, tc.next)
	}
}

// SMP-10: with Policy.CollabPlusExemptFromWait, a Collaboration Plus request is not held back
// by the wait after a rejection; a direct request still is, and an open request still holds
// back both.
func TestCollabPlusExemptFromWait_SMP10(t *testing.T) {
	exempt := mustRule(policyWith(func(p *sample.Policy) { p.CollabPlusExemptFromWait = true }))
	rejectedAt := t0.Add(3 * time.Hour)
	rejected := walk(t, exempt, ask(t, "r1", "aisyah", "serum", t0), step{sample.Declined, rejectedAt})
	h := sample.History{Product: []sample.Request{rejected}}
	at := rejectedAt.Add(time.Hour)
	_, d := decide(t, exempt, h, inCollab("r2", "aisyah", "serum", "cp-1"), offering(at.Add(40*day)), at)
	require.True(t, d.Allowed, "exempt: %v", d)
	_, d = decide(t, exempt, h, direct("r2", "aisyah", "serum"), band1, at)
	require.Equal(t, []string{"SMP-10 sample.smp10.wait"}, reasonKeys(d))
	open := ask(t, "r1", "aisyah", "serum", t0)
	_, d = decide(t, exempt, sample.History{Product: []sample.Request{open}}, inCollab("r2", "aisyah", "serum", "cp-1"), offering(at.Add(40*day)), at)
	require.Equal(t, []string{"SMP-10 sample.smp10.open"}, reasonKeys(d))
	p, err := sample.ParsePolicy([]byte(`{"collab_plus_exempt_from_wait": true}`))
	require.NoError(t, err)
	require.True(t, p.CollabPlusExemptFromWait)
}

// SMP-1, SMP-2, SMP-3: only a partner campaign's request names a partner; a direct or a
// Collaboration Plus one naming one is bad input.
func TestDirectWithPartner_SMP1(t *testing.T) {
	req := direct("r1", "aisyah", "serum")
	req.Partner = "agency-1"
	_, _, err := rule.Decide(sample.History{}, req, band1, t0)
	badInput(t, err, "request.partner")
	cp := inCollab("r1", "aisyah", "serum", "cp-1")
	cp.Partner = "agency-1"
	_, _, err = rule.Decide(sample.History{}, cp, offering(t0.Add(20*day)), t0)
	badInput(t, err, "request.partner")
}

// SMP-10: an unanswered request expires at the end of its 7 × 24 h answer window; until then it
// is open (a second request is bad input), and from then the creator waits 30 × 24 h, to exactly request + 37 × 24 h.
func TestWaitAfterExpiry_SMP10(t *testing.T) {
	first := ask(t, "r1", "aisyah", "serum", t0)
	expiry := t0.Add(7 * day)
	again := expiry.Add(30 * day)
	require.Equal(t, sample.Requested, first.StateAt(expiry.Add(-time.Nanosecond)))
	require.Equal(t, sample.Expired, first.StateAt(expiry))
	h := sample.History{Product: []sample.Request{first}}

	_, open, err := rule.Decide(h, direct("r2", "aisyah", "serum"), band1, expiry.Add(-time.Nanosecond))
	openRequest(t, open, err, "r1", sample.Requested) // open until it expires: the seller may still answer
	for _, at := range []time.Time{expiry, again.Add(-time.Nanosecond)} {
		_, d := decide(t, rule, h, direct("r2", "aisyah", "serum"), band1, at)
		want := []affrules.Reason{{Rule: sample.RuleAnswer, Key: "sample.smp10.wait", Observed: affrules.Text("expired"), Limit: affrules.Instant(again), Subject: "r1"}}
		if diff := cmp.Diff(want, d.Reasons); diff != "" {
			t.Errorf("at %v (-want +got):\n%s", at, diff)
		}
		require.True(t, d.NextAllowed.Equal(again), "at %v: next allowed %v, want %v", at, d.NextAllowed, again)
	}
	_, d := decide(t, rule, h, direct("r2", "aisyah", "serum"), band1, again)
	require.True(t, d.Allowed, "at exactly 30 × 24 h after the expiry: %v", d)

	// Through the ledger, with the same instants.
	m := sample.NewMemory()
	_, _, err = m.Request(ctx, rule, direct("r1", "aisyah", "serum"), band1, t0)
	require.NoError(t, err)
	_, d, err = m.Request(ctx, rule, direct("r2", "aisyah", "serum"), band1, again.Add(-time.Nanosecond))
	require.NoError(t, err)
	require.True(t, d.NextAllowed.Equal(again), "%v", d)
	_, d, err = m.Request(ctx, rule, direct("r2", "aisyah", "serum"), band1, again)
	require.NoError(t, err)
	require.True(t, d.Allowed, "%v", d)
}

// SMP-10: the seller answers within [request, request + 7 × 24 h): an approval or a rejection at
// its last nanosecond is recorded; at its end the request has expired and the answer is refused
// naming the state and the event. The answer window is policy.
func TestAnswerWindow_SMP10(t *testing.T) {
	req := ask(t, "r1", "aisyah", "serum", t0)
	end := t0.Add(7 * day)
	for _, k := range []sample.EventKind{sample.Approved, sample.Declined} {
		got := record(t, rule, req, k, end.Add(-time.Nanosecond))
		want := map[sample.EventKind]sample.State{sample.Approved: sample.ToShip, sample.Declined: sample.Rejected}[k]
		require.Equal(t, want, got.StateAt(end), "%v at the last instant", k)

		got, err := rule.Record(req, k, end)
		wrongState(t, err, "r1", k, sample.Expired, sample.Requested)
		require.Contains(t, err.Error(), "expired")
		require.Contains(t, err.Error(), k.String())
		require.Equal(t, req, got, "the request is returned unchanged")
	}

	two := mustRule(policyWith(func(p *sample.Policy) { p.AnswerDays = 2 }))
	short := made(t, two, sample.History{}, direct("r1", "aisyah", "serum"), band1, t0)
	require.True(t, short.Events[0].Due.Equal(t0.Add(2*day)))
	_, err := two.Record(short, sample.Approved, t0.Add(2*day))
	wrongState(t, err, "r1", sample.Approved, sample.Expired, sample.Requested)
}

// SMP-11: band_1's cap is 5 requests in a calendar month of the market's zone. The fifth is
// allowed; the sixth is denied with the count and the cap, and NextAllowed is the next month's
// first instant in Kuala Lumpur (+08:00): denied 1 ns before it, allowed at it.
func TestMonthlyCap_SMP11(t *testing.T) {
	m := sample.NewMemory()
	last := january.Add(-time.Nanosecond)
	for i := range 5 {
		_, d, err := m.Request(ctx, rule, direct(fmt.Sprint("r", i+1), "aisyah", fmt.Sprint("p", i+1)), band1, t0.Add(time.Duration(i)*day))
		require.NoError(t, err)
		require.True(t, d.Allowed, "request %d of 5: %v", i+1, d)
	}
	for _, at := range []time.Time{t0.Add(5 * day), last} {
		got, d, err := m.Request(ctx, rule, direct("r6", "aisyah", "p6"), band1, at)
		require.NoError(t, err)
		require.Equal(t, sample.Request{}, got)
		want := []affrules.Reason{{Rule: sample.RuleMonthlyCap, Key: "sample.smp11.cap", Observed: affrules.Count(5), Limit: affrules.Count(5), Subject: "aisyah"}}
		if diff := cmp.Diff(want, d.Reasons); diff != "" {
			t.Errorf("at %v (-want +got):\n%s", at, diff)
		}
		require.True(t, d.NextAllowed.Equal(january), "next allowed %v, want %v", d.NextAllowed, january)
		require.Equal(t, "2027-01-01T00:00:00+08:00", d.NextAllowed.Format(time.RFC3339), "the market's midnight")
		require.Equal(t, time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), d.NextAllowed.UTC())
	}
	_, d, err := m.Request(ctx, rule, direct("r6", "aisyah", "p6"), band1, january)
	require.NoError(t, err)
	require.True(t, d.Allowed, "the first instant of January: %v", d)

	// The bands' caps, at exactly the limit and one below, and other creators apart.
	for band, cap := range map[string]int{"band_1": 5, "band_2": 20, "band_3": 50} {
		f := sample.Facts{Band: band}
		_, d := decide(t, rule, sample.History{Month: cap - 1}, direct("r1", "budi", "serum"), f, t0)
		require.True(t, d.Allowed, "%s: request %d of %d", band, cap, cap)
		_, d = decide(t, rule, sample.History{Month: cap}, direct("r1", "budi", "serum"), f, t0)
		require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d), band)
		require.Equal(t, int64(cap), d.Reasons[0].Limit.Int())
	}
	_, d, err = m.Request(ctx, rule, direct("b1", "budi", "p1"), band1, t0.Add(6*day))
	require.NoError(t, err)
	require.True(t, d.Allowed, "another creator's month: %v", d)
}

// SMP-11, MKT-5: a creator's December is full, and so are January and March, whose requests
// reached the ledger first (out of order, as a retry or a concurrent handler does): a December
// request is refused with the first instant of February, the first month with room, not of
// January, where it would be refused again; a request refused in January names February too.
func TestMonthlyCapNextMonthFull_SMP11(t *testing.T) {
	m := sample.NewMemory()
	february := time.Date(2027, time.February, 1, 0, 0, 0, 0, january.Location())
	n := 0
	fill := func(at time.Time) {
		t.Helper()
		for range 5 {
			n++
			_, d, err := m.Request(ctx, rule, direct(fmt.Sprint("r", n), "aisyah", fmt.Sprint("p", n)), band1, at)
			require.NoError(t, err)
			require.True(t, d.Allowed, "request %d: %v", n, d)
		}
	}
	fill(january.Add(day))
	fill(february.AddDate(0, 1, 0))
	fill(t0)
	for _, at := range []time.Time{t0.Add(day), january.Add(-time.Nanosecond), january, february.Add(-time.Nanosecond)} {
		_, d, err := m.Request(ctx, rule, direct("late", "aisyah", "late"), band1, at)
		require.NoError(t, err)
		require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d), "at %v", at)
		require.True(t, d.NextAllowed.Equal(february), "at %v: next allowed %v, want %v", at, d.NextAllowed, february)
	}
	_, d, err := m.Request(ctx, rule, direct("late", "aisyah", "late"), band1, february)
	require.NoError(t, err)
	require.True(t, d.Allowed, "the first instant of February: %v", d)

	// The counts come from the ledger's History; a negative one is bad input.
	_, _, err = rule.Decide(sample.History{Month: 5, LaterMonths: []int{5, -1}}, direct("x", "aisyah", "x"), band1, t0)
	require.ErrorContains(t, err, "sample: history.later_months[1]")
	// From the History alone: December and January full, February with room.
	_, d = decide(t, rule, sample.History{Month: 5, LaterMonths: []int{5, 4}}, direct("y", "aisyah", "y"), band1, t0)
	require.True(t, d.NextAllowed.Equal(february), "next allowed %v, want %v", d.NextAllowed, february)
	// SMP-10's wait after a rejection ends on 4 January, in a full month: the retry instant is
	// February's first, not the wait's end; with room in January, it is the wait's end.
	rejected := walk(t, rule, ask(t, "r0", "aisyah", "serum", t0.Add(4*day)), step{sample.Declined, t0.Add(5 * day)})
	again := t0.Add(35 * day)
	_, d = decide(t, rule, sample.History{Product: []sample.Request{rejected}, Month: 5, LaterMonths: []int{5}}, direct("z", "aisyah", "serum"), band1, t0.Add(10*day))
	require.Equal(t, []string{"SMP-10 sample.smp10.wait", "SMP-11 sample.smp11.cap"}, reasonKeys(d))
	require.True(t, d.NextAllowed.Equal(february), "next allowed %v, want %v", d.NextAllowed, february)
	_, d = decide(t, rule, sample.History{Product: []sample.Request{rejected}, Month: 5, LaterMonths: []int{4}}, direct("z", "aisyah", "serum"), band1, t0.Add(10*day))
	require.True(t, d.NextAllowed.Equal(again), "next allowed %v, want %v", d.NextAllowed, again)
	// December has room: only the wait refuses, but it ends in a full January, so the retry
	// instant is February's first too (the wait's end would be refused under SMP-11).
	_, d = decide(t, rule, sample.History{Product: []sample.Request{rejected}, Month: 1, LaterMonths: []int{5}}, direct("z", "aisyah", "serum"), band1, t0.Add(10*day))
	require.Equal(t, []string{"SMP-10 sample.smp10.wait"}, reasonKeys(d))
	require.True(t, d.NextAllowed.Equal(february), "next allowed %v, want %v", d.NextAllowed, february)
	// A request held for a month far beyond the bounds (a host's own ledger, bad data) counts
	// in no month and costs nothing.
	far := ask(t, "rf", "aisyah", "far", t0)
	far.Events[0].At = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	h := rule.History(direct("q", "aisyah", "q"), []sample.Request{far}, t0)
	require.Empty(t, h.LaterMonths)
}

// SMP-11, MKT-2: the month is the market's: 17:00 UTC on 31 December is already January in
// Kuala Lumpur, and December's requests do not count there, while in the UK (whose January
// starts at 00:00 UTC) the same instant is still December.
func TestMonthInMarketZone_SMP11(t *testing.T) {
	m := sample.NewMemory()
	for i := range 5 {
		_, d, err := m.Request(ctx, rule, direct(fmt.Sprint("r", i), "aisyah", fmt.Sprint("p", i)), band1, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	at := time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)
	_, d, err := m.Request(ctx, rule, direct("r5", "aisyah", "p5"), band1, at)
	require.NoError(t, err)
	require.True(t, d.Allowed, "January in Kuala Lumpur: %v", d)

	uk := sample.NewMemory()
	for i := range 5 {
		r := direct(fmt.Sprint("u", i), "aisyah", fmt.Sprint("p", i))
		r.Market = affrules.UK
		_, d, err := uk.Request(ctx, rule, r, band1, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	r := direct("u5", "aisyah", "p5")
	r.Market = affrules.UK
	_, d, err = uk.Request(ctx, rule, r, band1, at)
	require.NoError(t, err)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d), "still December in London")
	london := mustZone("Europe/London")
	require.True(t, d.NextAllowed.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, london)))
}

// SMP-11: a band capped at 0 refuses every request, and time alone will not help: no
// NextAllowed.
func TestZeroCap_SMP11(t *testing.T) {
	none := mustRule(policyWith(func(p *sample.Policy) { p.Bands = append(p.Bands, sample.Band{Name: "paused", Cap: 0}) }))
	_, d := decide(t, none, sample.History{}, direct("r1", "aisyah", "serum"), sample.Facts{Band: "paused"}, t0)
	require.Equal(t, []string{"SMP-11 sample.smp11.cap"}, reasonKeys(d))
	require.True(t, d.NextAllowed.IsZero(), "next allowed %v: the next month refuses too", d.NextAllowed)
	m := sample.NewMemory()
	_, d, err := m.Request(ctx, none, direct("r1", "aisyah", "serum"), sample.Facts{Band: "paused"}, january)
	require.NoError(t, err)
	require.False(t, d.Allowed)
}

// MKT-5: every rule that keeps a request from being made is listed at once, each with its
// observed value and limit; NextAllowed is given only when time alone stands in the way, and is
// then the latest instant any of them names. An open request is one reason among them.
func TestEveryReasonAtOnce_MKT5(t *testing.T) {
	capped := mustRule(policyWith(func(p *sample.Policy) { p.CollabPlusCapped = true }))
	rejected := walk(t, rule, ask(t, "r0", "aisyah", "serum", t0.Add(-2*time.Hour)), step{sample.Declined, t0.Add(-time.Hour)})
	h := sample.History{Product: []sample.Request{rejected}, Month: 5, InCollab: 3}
	f := sample.Facts{Member: true, Band: "band_1", Until: t0.Add(20 * day)} // a collaboration without free samples
	got, d, err := capped.Decide(h, inCollab("r2", "aisyah", "serum", "cp-1"), f, t0.Add(time.Hour))
	require.NoError(t, err)
	require.Equal(t, sample.Request{}, got)
	require.Equal(t, []string{"SMP-10 sample.smp10.wait", "SMP-11 sample.smp11.cap", "SMP-12 sample.smp12.not_offered", "SMP-3 sample.smp3.limit"}, reasonKeys(d))
	require.Len(t, d.Failures(), 4)
	require.True(t, d.NextAllowed.IsZero(), "the collaboration's offer and limit are not lifted by time")
	for _, r := range d.Reasons {
		require.NotEmpty(t, r.Message(), "%v", r)
	}

	// A campaign request beyond the quantity under "reject", after a rejection, at the cap.
	reject := mustRule(policyWith(func(p *sample.Policy) { p.OverQuantity = sample.OverQuantityReject }))
	_, d = decide(t, reject, sample.History{Product: []sample.Request{rejected}, Month: 5, AutoApproved: 4}, inCampaign("r2", "aisyah", "serum"), sample.Facts{Quantity: 4, Band: "band_1"}, t0.Add(time.Hour))
	require.Equal(t, []string{"SMP-10 sample.smp10.wait", "SMP-11 sample.smp11.cap", "SMP-2 sample.smp2.over_quantity"}, reasonKeys(d))
	require.True(t, d.NextAllowed.IsZero(), "a used quantity is not lifted by time")
	for _, r := range d.Reasons {
		require.NotEmpty(t, r.Message(), "%v", r)
	}

	// With an open request beside them: one more reason, listed with the others.
	open := ask(t, "r1", "aisyah", "serum", t0)
	h.Product = append(h.Product, open)
	got, d, err = capped.Decide(h, inCollab("r2", "aisyah", "serum", "cp-1"), f, t0.Add(time.Hour))
	openRequest(t, d, err, "r1", sample.Requested)
	require.Equal(t, sample.Request{}, got)
	require.Equal(t, []string{"SMP-10 sample.smp10.wait", "SMP-10 sample.smp10.open", "SMP-11 sample.smp11.cap", "SMP-12 sample.smp12.not_offered", "SMP-3 sample.smp3.limit"}, reasonKeys(d))

	// The wait and the cap alone: the later of the wait's end and the next month.
	for _, c := range []struct {
		name       string
		rejectedAt time.Time
		want       time.Time
	}{
		{"WaitEndsFirst", t0.Add(-29 * day), january},                        // wait ends 2 Dec
		{"MonthEndsFirst", t0.Add(20 * day), t0.Add(50 * day)},               // wait ends 20 Jan
		{"BothAtOnce", january.Add(-30 * day), january},                      // wait ends on 1 Jan 00:00
		{"WaitEndsLastNanosecond", january.Add(-30*day + 1), january.Add(1)}, // 1 ns into January
	} {
		t.Run(c.name, func(t *testing.T) {
			r := walk(t, rule, ask(t, "r0", "aisyah", "serum", c.rejectedAt.Add(-time.Hour)), step{sample.Declined, c.rejectedAt})
			at := c.rejectedAt
			if at.Before(t0) {
				at = t0
			}
			_, d := decide(t, rule, sample.History{Product: []sample.Request{r}, Month: 5}, direct("r1", "aisyah", "serum"), band1, at)
			require.Equal(t, []string{"SMP-10 sample.smp10.wait", "SMP-11 sample.smp11.cap"}, reasonKeys(d))
			require.True(t, d.NextAllowed.Equal(c.want), "next allowed %v, want %v", d.NextAllowed, c.want)
		})
	}
}
