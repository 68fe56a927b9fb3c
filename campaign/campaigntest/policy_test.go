package campaigntest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/campaign/campaigntest"
	"github.com/affrules/affrules/commission"
)

func TestCheckPolicyDefault(t *testing.T) {
	campaigntest.CheckPolicy(t, campaign.DefaultPolicy())
}

// Each property fails, naming the broken value, on a valid policy that breaks the rule it
// guards.
func TestPropertiesFail(t *testing.T) {
	broken := func(f func(p *campaign.Policy)) campaign.Policy {
		p := campaign.DefaultPolicy()
		f(&p)
		return p
	}
	cases := []struct {
		name string
		p    campaign.Policy
		want string
	}{
		{"registration_within_campaign", broken(func(p *campaign.Policy) { p.RegistrationWithinCampaign = false }), "registration_within_campaign is false"},
		{"open_products_promoted_at_once", broken(func(p *campaign.Policy) { p.OpenApproval = true }), "open_approval is true"},
		{"permanent_disqualification_ends_participation", broken(func(p *campaign.Policy) { p.PermanentEndsParticipation = false }), "permanent_ends_participation is false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.p.Validate(); err != nil {
				t.Fatalf("the broken policy is invalid, so the check is not what fails: %v", err)
			}
			affrulestest.MustFail(t, affrulestest.Find(t, campaigntest.Properties(c.p), c.name), c.want)
		})
	}
	if n := len(campaigntest.Properties(campaign.DefaultPolicy())); n != len(cases) {
		t.Errorf("%d properties, %d tested here", n, len(cases))
	}
}

// A policy that switches one rule off on purpose passes every other property (the recipe the
// README gives with affrulestest.Without): with registration_within_campaign false, a
// registration running past the campaign's end does not make the ELG-11 property fail.
func TestPropertiesWithoutTheSwitchedOffRule(t *testing.T) {
	p := campaign.DefaultPolicy()
	p.RegistrationWithinCampaign = false
	affrulestest.Run(t, affrulestest.Without(campaigntest.Properties(p), "registration_within_campaign"))
}

// An invalid policy fails every property with campaign.New's error.
func TestPropertiesInvalidPolicy(t *testing.T) {
	for _, prop := range campaigntest.Properties(campaign.Policy{}) {
		if report := affrulestest.Fails(prop.Check); !strings.Contains(report, "campaign.New") {
			t.Errorf("%s on the zero policy: %q, want campaign.New's error", prop.Name, report)
		}
	}
}

// The generators draw only valid policies, campaigns that Create accepts, registrations that
// Register accepts as input (a rate below the requirement is refused, not bad input), and
// listings that List accepts.
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := campaigntest.Policy().Draw(t, "policy")
		e, err := campaign.New(p, commission.MustNew(commission.DefaultPolicy()))
		if err != nil {
			t.Fatalf("Policy drew an invalid policy: %v", err)
		}
		c := campaigntest.Campaign(p).Draw(t, "campaign")
		if c, err = e.Create(c, c.Registration.Start.Add(-1)); err != nil {
			t.Fatalf("Create rejected generated terms %+v: %v", c, err)
		}
		r := campaigntest.Registration(p, c).Draw(t, "registration")
		at := campaigntest.Instant(p, c).Filter(func(x time.Time) bool { return !x.Before(c.Updated) }).Draw(t, "at")
		_, err = e.Apply(c, campaign.Register(r, campaigntest.Eligible(r, c.Market)), at)
		var fe *affrules.FieldError
		if errors.As(err, &fe) {
			t.Fatalf("Register rejected generated input %+v at %v: %v", r, at, err)
		}
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		if _, err := e.List("open-1", m, "p-1", campaigntest.Listing(p).Draw(t, "terms"), at); err != nil {
			t.Fatalf("List rejected generated terms: %v", err)
		}
	})
}

// Campaign given an invalid policy (the zero one) fails with what is wrong, named, instead of
// rapid's own "slice should not be empty".
func TestCampaignRefusesAnInvalidPolicy(t *testing.T) {
	report := affrulestest.Fails(func(t *rapid.T) { campaigntest.Campaign(campaign.Policy{}).Draw(t, "x") })
	if !strings.Contains(report, "campaigntest.Campaign: the policy is invalid") {
		t.Errorf("report %q", report)
	}
}
