package campaigntest_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/campaign/campaigntest"
)

// Generators refuse the zero Campaign, naming what it lacks, instead of drawing from year 1.
func TestGeneratorsRefuseZeroCampaign(t *testing.T) {
	p := campaign.DefaultPolicy()
	affrulestest.MustFail(t, affrulestest.Property{Name: "registration", Check: func(t *rapid.T) {
		campaigntest.Registration(p, campaign.Campaign{}).Draw(t, "registration")
	}}, "campaigntest.Registration: the campaign has no owner")
	affrulestest.MustFail(t, affrulestest.Property{Name: "instant", Check: func(t *rapid.T) {
		campaigntest.Instant(p, campaign.Campaign{Owner: "agency"}).Draw(t, "instant")
	}}, "campaigntest.Instant: registration", "not a period in the years 1900 to 2199")
}
