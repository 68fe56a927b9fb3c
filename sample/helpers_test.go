package sample_test

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// The story most tests share: shop-1 sells in Malaysia; requests are made from Tuesday
// 1 December 2026, 09:00 in Kuala Lumpur (01:00 UTC), under the catalog's policy: the seven
// markets, a 7-day answer window, a 30-day wait, content due 14 days after delivery with one
// 7-day extension, 3 Collaboration Plus samples, monthly caps of 5, 20 and 50, a 60-day refund
// window, a 90-day fulfilment window.
var (
	kl   = mustZone("Asia/Kuala_Lumpur")
	t0   = time.Date(2026, time.December, 1, 9, 0, 0, 0, kl)
	rule = mustRule(sample.DefaultPolicy())
	ctx  = context.Background()

	// january is the first instant of January 2027 in Kuala Lumpur: 2026-12-31T16:00:00Z.
	january = time.Date(2027, time.January, 1, 0, 0, 0, 0, kl)
)

const day = 24 * time.Hour

// tb is what the helpers need of a test: a *testing.T, or a *rapid.T in properties.
type tb interface {
	require.TestingT
	Helper()
	Fatalf(format string, args ...any)
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func mustRule(p sample.Policy) sample.Rule {
	r, err := sample.MustNew(p).Rule()
	if err != nil {
		panic(err)
	}
	return r
}

// policyWith returns the default policy changed by f.
func policyWith(f func(p *sample.Policy)) sample.Policy {
	p := sample.DefaultPolicy()
	f(&p)
	return p
}

// direct returns creator's direct request to shop-1 for product (SMP-1).
func direct(id, creator, product string) sample.Request {
	return sample.Request{ID: id, Seller: "shop-1", Creator: creator, Product: product, Market: affrules.MY, Source: sample.Direct}
}

// inCampaign returns partner agency-1's request for creator, for product in shop-1's
// registration in the partner campaign "year-end" (SMP-2).
func inCampaign(id, creator, product string) sample.Request {
	r := direct(id, creator, product)
	r.Source, r.Context, r.Partner = sample.Campaign, "year-end", "agency-1"
	return r
}

// inCollab returns creator's request for product in shop-1's Collaboration Plus collab (SMP-3).
// Its facts need FreeSamples (SMP-12): see offering.
func inCollab(id, creator, product, collab string) sample.Request {
	r := direct(id, creator, product)
	r.Source, r.Context = sample.CollabPlus, collab
	return r
}

// offering returns the facts of a Collaboration Plus request in a collaboration that offers
// free samples (SMP-12) and ends at until (SMP-4).
func offering(until time.Time) sample.Facts {
	return sample.Facts{Member: true, Until: until, FreeSamples: true}
}

// band1 are the facts of a creator of band_1 (5 requests a month) for whom the seller does not
// approve direct requests automatically.
var band1 = sample.Facts{Band: "band_1"}

// decide decides req with r and requires no error.
func decide(t tb, r sample.Rule, h sample.History, req sample.Request, f sample.Facts, at time.Time) (sample.Request, affrules.Decision) {
	t.Helper()
	got, d, err := r.Decide(h, req, f, at)
	require.NoError(t, err, "Decide(%s) at %v", req.ID, at)
	if d.Allowed != (len(got.Events) > 0) {
		t.Fatalf("Decide(%s): allowed %t with %d events", req.ID, d.Allowed, len(got.Events))
	}
	return got, d
}

// made decides req with r and requires it to be allowed.
func made(t tb, r sample.Rule, h sample.History, req sample.Request, f sample.Facts, at time.Time) sample.Request {
	t.Helper()
	got, d := decide(t, r, h, req, f, at)
	require.True(t, d.Allowed, "Decide(%s) at %v: %v", req.ID, at, d)
	return got
}

// record records k on req with r and requires no error.
func record(t tb, r sample.Rule, req sample.Request, k sample.EventKind, at time.Time) sample.Request {
	t.Helper()
	got, err := r.Record(req, k, at)
	require.NoError(t, err, "Record(%s, %v) at %v", req.ID, k, at)
	return got
}

// step is one event of a request's life.
type step struct {
	k  sample.EventKind
	at time.Time
}

// walk records the steps in order on req with r.
func walk(t tb, r sample.Rule, req sample.Request, steps ...step) sample.Request {
	t.Helper()
	for _, s := range steps {
		req = record(t, r, req, s.k, s.at)
	}
	return req
}

// ask returns shop-1's direct request id of creator for product made at at, waiting for the
// seller (SMP-1).
func ask(t tb, id, creator, product string, at time.Time) sample.Request {
	t.Helper()
	return made(t, rule, sample.History{}, direct(id, creator, product), band1, at)
}

// delivered returns a direct request of aisyah for product made at t0, approved at t0+1h,
// shipped at t0+1d and delivered at at.
func delivered(t tb, id, product string, at time.Time) sample.Request {
	t.Helper()
	return walk(t, rule, ask(t, id, "aisyah", product, t0),
		step{sample.Approved, t0.Add(time.Hour)}, step{sample.ShippedEvent, t0.Add(day)}, step{sample.DeliveredEvent, at})
}

// reasonKeys returns each reason of d as "RULE key", in order.
func reasonKeys(d affrules.Decision) []string {
	out := make([]string, len(d.Reasons))
	for i, r := range d.Reasons {
		out[i] = string(r.Rule) + " " + string(r.Key)
	}
	return out
}

// fieldErrors returns the *affrules.FieldError values err is or joins.
func fieldErrors(err error) []*affrules.FieldError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*affrules.FieldError
		for _, e := range j.Unwrap() {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var fe *affrules.FieldError
	if errors.As(err, &fe) {
		return []*affrules.FieldError{fe}
	}
	return nil
}

// fields returns the fields named by the field errors err is or joins, in order.
func fields(err error) []string {
	var out []string
	for _, fe := range fieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}

// badInput requires err to be bad input, and only that: field errors of package sample, not a
// refusal, naming exactly the fields want (in any order).
func badInput(t tb, err error, want ...string) {
	t.Helper()
	require.Error(t, err)
	require.NotErrorIs(t, err, affrules.ErrRefused, "bad input is not a refusal")
	n := 1
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n = len(j.Unwrap())
	}
	fes := fieldErrors(err)
	require.Len(t, fes, n, "only field errors: %v", err)
	for _, fe := range fes {
		require.Equal(t, "sample", fe.Pkg, "%v", fe)
	}
	got := fields(err)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("fields of %v (-want +got):\n%s", err, diff)
	}
}

// openRequest requires d to deny a request for SMP-10's open request id, open in state s,
// among its reasons, with no error and no NextAllowed (the open request ends by the seller's,
// the carrier's or the creator's doing, not by time alone).
func openRequest(t tb, d affrules.Decision, err error, id string, s sample.State) {
	t.Helper()
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.Contains(t, d.Reasons, affrules.Reason{Rule: sample.RuleAnswer, Key: "sample.smp10.open", Observed: affrules.Text(s.String()), Subject: id}, "%v", d)
	require.True(t, d.NextAllowed.IsZero(), "next allowed %v", d.NextAllowed)
}

// refused requires err to be an *affrules.Refusal of package sample for action on subject, and
// returns it.
func refused(t tb, err error, action, subject string) *affrules.Refusal {
	t.Helper()
	var r *affrules.Refusal
	require.ErrorAs(t, err, &r)
	require.ErrorIs(t, err, affrules.ErrRefused)
	require.Equal(t, "sample", r.Pkg)
	require.Equal(t, action, r.Action, "the refusal names the event")
	require.Equal(t, subject, r.Subject)
	require.False(t, r.Decision.Allowed)
	require.Empty(t, fieldErrors(err), "a refusal is not bad input")
	return r
}

// wrongState requires err to be SMP-6's refusal of event k on request id in state have, which
// needs state need.
func wrongState(t tb, err error, id string, k sample.EventKind, have, need sample.State) {
	t.Helper()
	r := refused(t, err, k.String(), id)
	want := []affrules.Reason{{Rule: sample.RuleLifecycle, Key: "sample.smp6.state", Observed: affrules.Text(have.String()), Limit: affrules.Text(need.String()), Subject: id}}
	if diff := cmp.Diff(want, r.Decision.Reasons); diff != "" {
		t.Fatalf("refusal of %v in state %v (-want +got):\n%s", k, have, diff)
	}
	require.True(t, r.Decision.NextAllowed.IsZero())
}

// instant requires v to be the instant want.
func instant(t tb, want time.Time, v affrules.Value, what string) {
	t.Helper()
	require.Equal(t, affrules.InstantValue, v.Kind(), "%s: %v", what, v)
	require.True(t, v.Time().Equal(want), "%s: %v, want %v", what, v.Time(), want)
}
