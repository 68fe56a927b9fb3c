package collabplustest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// CheckPolicy checks every one of [Properties] for p, each as a subtest of t named after it.
func CheckPolicy(t *testing.T, p collabplus.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named checks of policy p, each drawing sellers, terms and instants for
// p with this package's generators and asserting one rule of SPEC §5 through a
// [collabplus.Evaluator] built from p and commission's catalog policy. A check fails, with
// rapid's minimal counter-example, when [collabplus.New] refuses p or when p makes the rule it
// guards do nothing.
func Properties(p collabplus.Policy) []affrulestest.Property {
	return []affrulestest.Property{
		{Name: "quota_counts_expired_and_recalled", Check: quotaCountsAll(p)},
		{Name: "quota_slot_frees_at_local_midnight", Check: quotaMidnight(p)},
		{Name: "submission_needs_invitation", Check: invitation(p)},
		{Name: "permanent_disqualification_ends_participation", Check: permanentEnds(p)},
	}
}

// evaluatorOf returns p's evaluator, or fails t with the reason it has none.
func evaluatorOf(t *rapid.T, p collabplus.Policy) *collabplus.Evaluator {
	e, err := collabplus.New(p, commission.MustNew(commission.DefaultPolicy()))
	if err != nil {
		t.Fatalf("collabplus.New: %v", err)
	}
	return e
}

// withSubmitted returns seller s with n collaborations submitted from instant first on, one a
// minute (closer together when n of them would take more than a quarter of a day), built as the
// rules record them (CP-3, CP-7): a record the quota reads, whatever QuotaLimit is, without
// applying n submissions one by one.
func withSubmitted(p collabplus.Policy, s collabplus.Seller, tm collabplus.Terms, first time.Time, n int) collabplus.Seller {
	g := s.Groups[0]
	step := time.Minute
	if n > 0 && time.Duration(n)*step > 6*time.Hour {
		step = 6 * time.Hour / time.Duration(n)
	}
	for i := range n {
		at := first.Add(time.Duration(i) * step)
		id := fmt.Sprint("c", i)
		s.Collaborations = append(s.Collaborations, collabplus.Collaboration{ID: id, Market: s.Market, Preferences: tm, Group: &g,
			Events: []collabplus.Event{{Kind: collabplus.Submitted, At: at, Due: at.Add(time.Duration(p.PaymentHours) * time.Hour)}}})
		s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: id, At: at})
		s.Updated = at
	}
	return s
}

// noon returns local noon of the day of instant at in market m.
func noon(m affrules.MarketCode, at time.Time) time.Time {
	mk, _ := affrules.LookupMarket(m)
	y, mo, d := at.In(mk.Location()).Date()
	return time.Date(y, mo, d, 12, 0, 0, 0, mk.Location())
}

// CP-3: expired and recalled collaborations count towards the quota while in its window: a
// seller with QuotaLimit submitted, one of them recalled or expired, may submit no more. A policy
// that leaves them out (quota_counts_expired or quota_counts_recalled false) fails.
func quotaCountsAll(p collabplus.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		first := noon(m, Instant(p, m).Draw(t, "first"))
		s := Seller("shop-1", m, first)
		tm := Terms(p, s, first).Draw(t, "terms")
		s = withSubmitted(p, s, tm, first, p.QuotaLimit)
		c := &s.Collaborations[rapid.IntRange(0, p.QuotaLimit-1).Draw(t, "which")]
		sub := c.Events[0]
		var at time.Time
		how := ""
		if rapid.Bool().Draw(t, "recalled") {
			how = fmt.Sprintf("recalled (quota_counts_recalled is %t)", p.QuotaCountsRecalled)
			at = s.Updated.Add(2 * time.Minute)
			c.Events = append(c.Events, collabplus.Event{Kind: collabplus.PaidEvent, At: s.Updated.Add(time.Minute), Method: p.PaymentMethods[0]},
				collabplus.Event{Kind: collabplus.RecalledEvent, At: at})
		} else {
			// Expired: unpaid at the end of its payment window, while still in the quota's
			// window (a payment window longer than the quota's leaves nothing to check).
			how = fmt.Sprintf("expired (quota_counts_expired is %t)", p.QuotaCountsExpired)
			at = sub.Due
			if at.Sub(first) >= time.Duration(p.QuotaDays-1)*24*time.Hour+11*time.Hour {
				return
			}
		}
		if st := c.StateAt(at); st != collabplus.Recalled && st != collabplus.Expired {
			t.Fatalf("%s at %v: %v, want recalled or expired", c.ID, at, st)
		}
		d, err := e.Quota(s, at)
		if err != nil {
			t.Fatalf("Quota at %v: %v", at, err)
		}
		if d.Allowed {
			t.Fatalf("%d collaborations submitted from %v, %s %s: at %v the seller may submit again: a quota of %d in %d days is exceeded (CP-3)",
				p.QuotaLimit, first, c.ID, how, at, p.QuotaLimit, p.QuotaDays)
		}
	}
}

// CP-3: the quota counts market-calendar days, so a slot frees at a local midnight, the instant
// a refusal names. A policy counting a rolling window (quota_calendar_days false) fails.
func quotaMidnight(p collabplus.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		mk, _ := affrules.LookupMarket(m)
		// From local noon, so that the submissions (at most six hours of them) and the instant
		// an hour later fall on one market day, whatever the window's length.
		first := noon(m, Instant(p, m).Draw(t, "first"))
		s := Seller("shop-1", m, first)
		s = withSubmitted(p, s, Terms(p, s, first).Draw(t, "terms"), first, p.QuotaLimit)
		for i := range s.Collaborations { // paid: they count whatever the policy says of expiry
			c := &s.Collaborations[i]
			c.Events = append(c.Events, collabplus.Event{Kind: collabplus.PaidEvent, At: c.Events[0].At, Method: p.PaymentMethods[0]})
		}
		at := s.Updated.Add(time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(t, "after")))
		d, err := e.Quota(s, at)
		if err != nil {
			t.Fatalf("Quota at %v: %v", at, err)
		}
		if d.Allowed || !d.Failed(collabplus.RuleQuota) {
			t.Fatalf("%d collaborations submitted from %v: at %v %v; want the quota (CP-3)", p.QuotaLimit, first, at, d)
		}
		if next := d.NextAllowed; !next.Equal(mk.Day(next).Start) {
			t.Fatalf("the quota of %d in %d days frees its next slot at %v, not at a local midnight in %s: quota_calendar_days is %t (CP-3)",
				p.QuotaLimit, p.QuotaDays, next.In(mk.Location()), m, p.QuotaCalendarDays)
		}
	}
}

// CP-17: creation is by invitation only: a seller who is not allowlisted is refused. A policy
// that opens a market to every seller (open_markets) fails there.
func invitation(p collabplus.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		at := Instant(p, m).Draw(t, "at")
		s := Seller("shop-1", m, at)
		tm := Terms(p, s, at).Draw(t, "terms")
		s, err := e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: tm}), at)
		if err != nil {
			t.Fatalf("NewDraft: %v", err)
		}
		_, err = e.Apply(s, collabplus.Submit("c1", Facts(s, tm, false)), at)
		var r *affrules.Refusal
		if !errors.As(err, &r) && err != nil {
			t.Fatalf("Submit at %v: %v", at, err)
		}
		if r == nil || !r.Decision.Failed(collabplus.RuleAllowlist) {
			t.Fatalf("a seller not allowlisted was not refused under CP-17 in %s at %v (got %v, without a CP-17 reason, whatever else it names): open_markets is %v", m, at, err, p.OpenMarkets)
		}
	}
}

// ELG-11: a permanent disqualification of a product after submission ends its part in the
// seller's paid collaboration at that instant. A policy that keeps it
// (permanent_ends_participation false) fails.
func permanentEnds(p collabplus.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		at := Instant(p, m).Draw(t, "at")
		s := Seller("shop-1", m, at)
		tm := Terms(p, s, at).Draw(t, "terms")
		b := p.TaskDays
		if tm.Type == collabplus.Challenge {
			b = p.ChallengeDays
		}
		mk, _ := affrules.LookupMarket(m)
		y, mo, d := tm.Period.Start.In(mk.Location()).Date()
		tm.Period.End = midnight(y, mo, d+b.Min, mk.Location()) // within CP-2's bounds
		var err error
		for _, a := range []collabplus.Action{
			collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: tm}),
			collabplus.Submit("c1", Facts(s, tm, true)),
			collabplus.Pay("c1", p.PaymentMethods[0]),
		} {
			if s, err = e.Apply(s, a, at); err != nil {
				t.Fatalf("%v at %v: %v", a, at, err)
			}
		}
		off := rapid.SampledFrom([]time.Time{at, tm.Period.Start, tm.Period.End.Add(-time.Nanosecond)}).Draw(t, "disqualified")
		el := eligibility.Result{ID: "p1", ShopID: s.ID, Market: m, State: eligibility.PermanentlyDisqualified}
		got, err := e.Apply(s, collabplus.Disqualify(el), off)
		var r *affrules.Refusal
		if errors.As(err, &r) {
			t.Fatalf("product p1 permanently disqualified at %v: %v; permanent_ends_participation is %t, so it stays in the collaboration (ELG-11)",
				off, r.Decision, p.PermanentEndsParticipation)
		}
		if err != nil {
			t.Fatalf("Disqualify at %v: %v", off, err)
		}
		c := got.Collaborations[0]
		if !slices.ContainsFunc(c.Ended, func(x collabplus.ProductEnd) bool { return x.Product == "p1" && x.At.Equal(off) }) {
			t.Fatalf("product p1 disqualified at %v: ended %v (ELG-11)", off, c.Ended)
		}
	}
}
