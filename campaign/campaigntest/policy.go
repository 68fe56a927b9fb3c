package campaigntest

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// CheckPolicy checks every one of [Properties] for p, each as a subtest of t named after it.
func CheckPolicy(t *testing.T, p campaign.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named checks of policy p, each drawing campaigns, registrations,
// listings and instants for p with this package's generators and asserting one rule of SPEC §7
// through a [campaign.Evaluator] built from p and commission's catalog policy (its rate bounds,
// COM-9). A check fails, with rapid's minimal counter-example, when [campaign.New] refuses p or
// when p makes the rule it guards do nothing.
func Properties(p campaign.Policy) []affrulestest.Property {
	return []affrulestest.Property{
		{Name: "registration_within_campaign", Check: registrationWithin(p)},
		{Name: "open_products_promoted_at_once", Check: openAtOnce(p)},
		{Name: "permanent_disqualification_ends_participation", Check: permanentEnds(p)},
	}
}

// evaluatorOf returns p's evaluator, or fails t with the reason it has none.
func evaluatorOf(t *rapid.T, p campaign.Policy) *campaign.Evaluator {
	e, err := campaign.New(p, commission.MustNew(commission.DefaultPolicy()))
	if err != nil {
		t.Fatalf("campaign.New: %v", err)
	}
	return e
}

// CMP-3: every campaign Create accepts has a registration period that starts no later than the
// campaign and ends no later than its end; Create refuses the others. A policy that lets it run
// outside (registration_within_campaign false) fails.
func registrationWithin(p campaign.Policy) func(*rapid.T) {
	campaigns := Campaign(p)
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		c := campaigns.Draw(t, "campaign")
		// Move the registration's edges around the campaign's, either way.
		offsets := []time.Duration{0, -time.Nanosecond, time.Nanosecond, -24 * time.Hour, 24 * time.Hour}
		c.Registration.Start = c.Period.Start.Add(rapid.SampledFrom(offsets).Draw(t, "registration_start"))
		c.Registration.End = c.Period.End.Add(rapid.SampledFrom(offsets).Draw(t, "registration_end"))
		at := c.Registration.Start.Add(-time.Hour)
		got, err := e.Create(c, at)
		if err != nil {
			return // refused: nothing runs
		}
		if got.Registration.Start.After(got.Period.Start) || got.Registration.End.After(got.Period.End) {
			t.Fatalf("campaign %s was created with registration %v outside its period %v: registration_within_campaign is %t (CMP-3)",
				got.ID, got.Registration, got.Period, p.RegistrationWithinCampaign)
		}
	}
}

// CMP-1: a creator's request to promote an Open Collaboration product is refused before the
// listing starts, naming its start, and granted at once from then, with no seller approval. A
// policy that makes it wait for the seller (open_approval) fails.
func openAtOnce(p campaign.Policy) func(*rapid.T) {
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		mk, _ := affrules.LookupMarket(m)
		start := affrulestest.Instant(mk.Location()).Draw(t, "listed")
		o, err := e.List("open-1", m, "p-1", Listing(p).Draw(t, "terms"), start)
		if err != nil {
			t.Fatalf("List at %v: %v", start, err)
		}
		at := affrulestest.Instant(mk.Location(), start).Draw(t, "asked")
		s, d, err := e.Request(o, "creator-1", at)
		if err != nil {
			t.Fatalf("Request at %v: %v", at, err)
		}
		if at.Before(start) {
			if s != campaign.Rejected || !d.Failed(campaign.RuleListings) || !d.NextAllowed.Equal(start) {
				t.Fatalf("a request at %v before the listing at %v: %v, %v; want refused until the listing (CMP-1)", at, start, s, d)
			}
			return
		}
		if s != campaign.Approved || !d.Allowed {
			t.Fatalf("a request at %v for a product listed from %v is %v: open_approval is %t, so creators wait for the seller (CMP-1)", at, start, s, p.OpenApproval)
		}
	}
}

// ELG-11: a permanent disqualification of a registered product ends its participation at that
// instant: it is no longer matched. A policy that keeps such products in the campaign
// (permanent_ends_participation false) fails.
func permanentEnds(p campaign.Policy) func(*rapid.T) {
	campaigns := Campaign(p)
	return func(t *rapid.T) {
		e := evaluatorOf(t, p)
		c := campaigns.Draw(t, "campaign")
		created := c.Registration.Start.Add(-time.Hour)
		c, err := e.Create(c, created)
		if err != nil {
			t.Fatalf("Create at %v: %v", created, err)
		}
		r := Registration(p, c).Draw(t, "registration")
		at := rapid.SampledFrom([]time.Time{c.Registration.Start, c.Registration.End.Add(-time.Nanosecond)}).Draw(t, "registered")
		if !at.Before(c.Period.End) { // CMP-5: a registration running past the campaign's end
			at = c.Period.End.Add(-time.Nanosecond) // (registration_within_campaign false) stops there
		}
		if r.Rate.Cmp(c.Requirement) < 0 {
			r.Rate = c.Requirement
		}
		if whole, ok := wholeShare(p); ok && !meets(p, &c, &r) {
			r.PartnerShare = whole // the part is then the rate itself
		}
		if c, err = e.Apply(c, campaign.Register(r, Eligible(r, c.Market)), at); err != nil {
			t.Fatalf("Register %s at %v: %v", r.Product, at, err)
		}
		el := Eligible(r, c.Market)
		el.State = eligibility.PermanentlyDisqualified
		// While the campaign runs: at its end every participation is over already.
		off := Instant(p, c).Filter(func(x time.Time) bool { return !x.Before(at) && x.Before(c.Period.End) }).Draw(t, "disqualified")
		got, err := e.Apply(c, campaign.Disqualify(el), off)
		var refusal *affrules.Refusal
		if errors.As(err, &refusal) {
			t.Fatalf("product %s permanently disqualified at %v: %v; permanent_ends_participation is %t, so it stays in the campaign (ELG-11)",
				r.Product, off, refusal.Decision, p.PermanentEndsParticipation)
		}
		if err != nil {
			t.Fatalf("Disqualify %s at %v: %v", r.Product, off, err)
		}
		if ended := got.Products[0].Ended; !ended.Equal(off) {
			t.Fatalf("product %s disqualified at %v ended at %v (ELG-11)", r.Product, off, ended)
		}
	}
}
