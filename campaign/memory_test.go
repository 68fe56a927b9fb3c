package campaign_test

import (
	"testing"

	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/campaign/campaigntest"
)

func TestMemoryConformance(t *testing.T) {
	campaigntest.TestStore(t, func(t *testing.T) campaign.Store { return campaign.NewMemory() })
}

// The zero Memory is a store ready for use.
func TestZeroMemoryConformance(t *testing.T) {
	campaigntest.TestStore(t, func(t *testing.T) campaign.Store { return &campaign.Memory{} })
}
