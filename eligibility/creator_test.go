package eligibility_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

func TestListed(t *testing.T) { // ELG-7
	ok := eligibility.Creator{ID: "c", ECommercePermission: true}
	tests := []struct {
		name   string
		mod    func(*eligibility.Creator)
		viewer string
		failed int
		first  affrules.Reason // the first reason, typed
	}{
		{"listed", func(*eligibility.Creator) {}, "mcn-1", 0, affrules.Reason{}},
		{"no e-commerce permission", func(c *eligibility.Creator) { c.ECommercePermission = false }, "mcn-1", 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.no_ecommerce_permission"}},
		{"linked to another MCN", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-2" }, "mcn-1", 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("mcn-2")}},
		{"linked to the viewer itself", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-1" }, "mcn-1", 0, affrules.Reason{}},
		{"linked, public listing", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-1" }, "", 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("mcn-1")}},
		{"official account", func(c *eligibility.Creator) { c.OfficialAccount = true }, "mcn-1", 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.official_account"}},
		{"marketing account", func(c *eligibility.Creator) { c.MarketingAccount = true }, "mcn-1", 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.marketing_account"}},
		{"every reason at once", func(c *eligibility.Creator) {
			*c = eligibility.Creator{ID: "c", LinkedMCN: "x", OfficialAccount: true, MarketingAccount: true}
		}, "mcn-1", 4, affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.no_ecommerce_permission"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			d := eligibility.Listed(tt.viewer, c)
			assert.Equal(t, tt.failed == 0, d.Allowed)
			assert.Len(t, d.Failures(), tt.failed)
			for _, r := range d.Reasons {
				assert.Equal(t, eligibility.RuleListing, r.Rule)
			}
			if tt.failed > 0 {
				assert.Equal(t, tt.first, d.Reasons[0])
			}
		})
	}
}

func TestViewOf(t *testing.T) { // ELG-8
	c := eligibility.Creator{ID: "c", ECommercePermission: true, DataAuthorised: true, ContactDisplay: true}
	assert.Equal(t, eligibility.View{Listed: true, Performance: true, Contact: true, Invitable: true}, eligibility.ViewOf("m", c))
	c.DataAuthorised = false
	assert.Equal(t, eligibility.View{Listed: true, Contact: true, Invitable: true}, eligibility.ViewOf("m", c))
	c.ContactDisplay = false
	assert.Equal(t, eligibility.View{Listed: true, Invitable: true}, eligibility.ViewOf("m", c), "contact hidden, still invitable")
	c.OfficialAccount = true
	assert.Equal(t, eligibility.View{}, eligibility.ViewOf("m", c), "not listed: nothing shown")
}

func TestDataFilter(t *testing.T) { // ELG-8: filters on data never match unauthorised creators
	highScore := func(c eligibility.Creator) bool { return c.ID == "star" }
	f := eligibility.DataFilter(highScore)
	assert.True(t, f(eligibility.Creator{ID: "star", DataAuthorised: true}))
	assert.False(t, f(eligibility.Creator{ID: "star"}))
	assert.False(t, f(eligibility.Creator{ID: "other", DataAuthorised: true}))
	always := eligibility.DataFilter(func(eligibility.Creator) bool { return true })
	assert.False(t, always(eligibility.Creator{ID: "x"}))
}
