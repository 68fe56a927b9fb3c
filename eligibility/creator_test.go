package eligibility_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

var (
	mcnOnly     = eligibility.Viewer{ID: "mcn-1", MCN: true}
	mcnPartner  = eligibility.Viewer{ID: "mcn-1", MCN: true, Partner: true}
	partnerOnly = eligibility.Viewer{ID: "tap-1", Partner: true}
)

func TestListed(t *testing.T) { // ELG-7, INV-8, INV-12
	ok := eligibility.Creator{ID: "c", ECommercePermission: true}
	cp, pd := eligibility.CreatorPartnership, eligibility.ProductDistribution
	tests := []struct {
		name    string
		mod     func(*eligibility.Creator)
		viewer  eligibility.Viewer
		purpose eligibility.Purpose
		failed  int
		first   affrules.Reason // the first reason, typed
	}{
		{"listed", func(*eligibility.Creator) {}, mcnOnly, cp, 0, affrules.Reason{}},
		{"no e-commerce permission", func(c *eligibility.Creator) { c.ECommercePermission = false }, mcnOnly, cp, 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.no_ecommerce_permission"}},
		{"linked to another MCN, creator partnership", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-2" }, mcnPartner, cp, 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("mcn-2")}},
		{"linked to another MCN, product distribution by the partner role", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-2" }, mcnPartner, pd, 0, affrules.Reason{}},
		{"linked to the viewer itself", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-1" }, mcnOnly, cp, 0, affrules.Reason{}},
		{"linked, public listing", func(c *eligibility.Creator) { c.LinkedMCN = "mcn-1" }, eligibility.Viewer{MCN: true}, cp, 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.linked_to_other_mcn", Observed: affrules.Text("mcn-1")}},
		{"official account", func(c *eligibility.Creator) { c.OfficialAccount = true }, mcnOnly, cp, 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.official_account"}},
		{"marketing account, product distribution", func(c *eligibility.Creator) { c.MarketingAccount = true }, mcnPartner, pd, 1,
			affrules.Reason{Rule: "ELG-7", Key: "eligibility.elg7.marketing_account"}},
		{"INV-12: partner-only account", func(*eligibility.Creator) {}, partnerOnly, pd, 1,
			affrules.Reason{Rule: "INV-12", Key: "eligibility.inv12.no_marketplace_access", Observed: affrules.Text("the affiliate-partner role only"), Subject: "tap-1"}},
		{"INV-7: product distribution without the partner role", func(*eligibility.Creator) {}, mcnOnly, pd, 1,
			affrules.Reason{Rule: "INV-7", Key: "eligibility.inv7.purpose_not_held", Observed: affrules.Text("product_distribution"), Limit: affrules.Text("the affiliate-partner role"), Subject: "mcn-1"}},
		{"unknown purpose", func(*eligibility.Creator) {}, mcnPartner, "distribution", 1,
			affrules.Reason{Rule: "INV-7", Key: "eligibility.inv7.unknown_purpose", Observed: affrules.Text("distribution")}},
		{"every reason at once", func(c *eligibility.Creator) {
			*c = eligibility.Creator{ID: "c", LinkedMCN: "x", OfficialAccount: true, MarketingAccount: true}
		}, partnerOnly, cp, 6, affrules.Reason{Rule: "INV-12", Key: "eligibility.inv12.no_marketplace_access", Observed: affrules.Text("the affiliate-partner role only"), Subject: "tap-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			d := eligibility.DefaultListing().Listed(tt.viewer, tt.purpose, c)
			assert.Equal(t, tt.failed == 0, d.Allowed)
			assert.Len(t, d.Failures(), tt.failed)
			if tt.failed > 0 {
				assert.Equal(t, tt.first, d.Reasons[0])
			}
		})
	}
}

// The defaults the revised catalog changed, each failing under the previous one: a
// partner-only account no longer uses the Marketplace (INV-12), and an account also holding the
// partner role sees, and may invite for product distribution, creators linked to another MCN
// (ELG-7, INV-8).
func TestListingDefaults(t *testing.T) {
	l := eligibility.DefaultListing()
	assert.Equal(t, eligibility.Listing{AllowPartnerOnly: false, PartnerSeesManaged: true}, l)
	c := eligibility.Creator{ID: "c", ECommercePermission: true}
	assert.False(t, l.Listed(partnerOnly, eligibility.ProductDistribution, c).Allowed, "INV-12: partner-only refused")
	assert.True(t, eligibility.Listing{AllowPartnerOnly: true}.Listed(partnerOnly, eligibility.ProductDistribution, c).Allowed, "INV-12: policy allows it")
	managed := c
	managed.LinkedMCN = "mcn-2"
	assert.True(t, l.Listed(mcnPartner, eligibility.ProductDistribution, managed).Allowed, "ELG-7: partner role, product distribution")
	assert.False(t, l.Listed(mcnPartner, eligibility.CreatorPartnership, managed).Allowed, "ELG-7: the MCN exclusion holds for creator partnership")
	assert.False(t, eligibility.Listing{}.Listed(mcnPartner, eligibility.ProductDistribution, managed).Allowed, "ELG-7: policy keeps them out")
	assert.True(t, l.OffersAgencyFilter(mcnPartner))
	assert.False(t, l.OffersAgencyFilter(mcnOnly), "the filter is the partner role's")
	assert.False(t, l.OffersAgencyFilter(partnerOnly), "a partner-only account does not use the Marketplace")
	assert.False(t, eligibility.Listing{}.OffersAgencyFilter(mcnPartner))
}

func TestViewOf(t *testing.T) { // ELG-7, ELG-8
	l := eligibility.DefaultListing()
	c := eligibility.Creator{ID: "c", ECommercePermission: true, DataAuthorised: true, ContactDisplay: true}
	assert.Equal(t, eligibility.View{Listed: true, Performance: true, Contact: true, Partnership: true, Distribution: true}, l.ViewOf(mcnPartner, c))
	assert.Equal(t, eligibility.View{Listed: true, Performance: true, Contact: true, Partnership: true}, l.ViewOf(mcnOnly, c))
	c.DataAuthorised = false
	assert.Equal(t, eligibility.View{Listed: true, Contact: true, Partnership: true}, l.ViewOf(mcnOnly, c))
	c.ContactDisplay = false
	assert.Equal(t, eligibility.View{Listed: true, Partnership: true}, l.ViewOf(mcnOnly, c), "contact hidden, still invitable")
	c.LinkedMCN = "mcn-2"
	assert.Equal(t, eligibility.View{}, l.ViewOf(mcnOnly, c), "another MCN's creator: not for the MCN role")
	assert.Equal(t, eligibility.View{Listed: true, Distribution: true, ManagedBy: "mcn-2"}, l.ViewOf(mcnPartner, c), "Managed By Agency, for product distribution")
	c.LinkedMCN = "mcn-1"
	assert.Equal(t, eligibility.View{Listed: true, Partnership: true, Distribution: true, ManagedBy: "mcn-1"}, l.ViewOf(mcnPartner, c), "the viewer's own creator")
	assert.Equal(t, eligibility.View{}, l.ViewOf(partnerOnly, c), "INV-12")
	c.OfficialAccount = true
	assert.Equal(t, eligibility.View{}, l.ViewOf(mcnPartner, c), "not listed: nothing shown")
}

func TestDataFilter(t *testing.T) { // ELG-8: filters on data never match unauthorised creators
	highScore := func(c eligibility.Creator) bool { return c.ID == "star" }
	f := eligibility.DataFilter(highScore)
	assert.True(t, f(eligibility.Creator{ID: "star", DataAuthorised: true}))
	assert.False(t, f(eligibility.Creator{ID: "star"}))
	assert.False(t, f(eligibility.Creator{ID: "other", DataAuthorised: true}))
	always := eligibility.DataFilter(func(eligibility.Creator) bool { return true })
	assert.False(t, always(eligibility.Creator{ID: "x"}))
	// A nil match is no condition on the data: every authorised creator, and no panic.
	none := eligibility.DataFilter(nil)
	assert.True(t, none(eligibility.Creator{ID: "x", DataAuthorised: true}))
	assert.False(t, none(eligibility.Creator{ID: "x"}))
}

// listedModel restates ELG-7, INV-7, INV-8 and INV-12 as the catalog reads, plainly: the keys
// of the conditions that fail, in no particular order.
func listedModel(l eligibility.Listing, v eligibility.Viewer, p eligibility.Purpose, c eligibility.Creator) []string {
	var fail []string
	// INV-12: only MCN/CAP accounts use the Marketplace; a partner-only one if policy allows.
	if !v.MCN && !(v.Partner && l.AllowPartnerOnly) {
		fail = append(fail, "eligibility.inv12.no_marketplace_access")
	}
	// INV-7: creator partnership is the MCN role's, product distribution the partner role's.
	switch p {
	case eligibility.CreatorPartnership:
		if !v.MCN {
			fail = append(fail, "eligibility.inv7.purpose_not_held")
		}
	case eligibility.ProductDistribution:
		if !v.Partner {
			fail = append(fail, "eligibility.inv7.purpose_not_held")
		}
	default:
		fail = append(fail, "eligibility.inv7.unknown_purpose")
	}
	// ELG-7: e-commerce permission; no official or marketing account.
	if !c.ECommercePermission {
		fail = append(fail, "eligibility.elg7.no_ecommerce_permission")
	}
	if c.OfficialAccount {
		fail = append(fail, "eligibility.elg7.official_account")
	}
	if c.MarketingAccount {
		fail = append(fail, "eligibility.elg7.marketing_account")
	}
	// ELG-7: not linked to another MCN, except that the partner role (which product
	// distribution needs) sees MCN-linked creators and invites them for product distribution.
	linkedToOther := c.LinkedMCN != "" && c.LinkedMCN != v.ID
	partnerMayInvite := p == eligibility.ProductDistribution && v.Partner && l.PartnerSeesManaged
	if linkedToOther && !partnerMayInvite {
		fail = append(fail, "eligibility.elg7.linked_to_other_mcn")
	}
	return fail
}

// An account's roles and the purpose decide the listing exactly as ELG-7, INV-8 and INV-12 read:
// Listed, ViewOf and OffersAgencyFilter against the plain model, on every policy.
func TestListingMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := eligibility.Listing{AllowPartnerOnly: rapid.Bool().Draw(t, "allowPartnerOnly"), PartnerSeesManaged: rapid.Bool().Draw(t, "partnerSeesManaged")}
		v := eligibility.Viewer{ID: rapid.SampledFrom([]string{"", "mcn-1", "mcn-2"}).Draw(t, "viewer"), MCN: rapid.Bool().Draw(t, "mcn"), Partner: rapid.Bool().Draw(t, "partner")}
		p := rapid.SampledFrom([]eligibility.Purpose{eligibility.CreatorPartnership, eligibility.ProductDistribution, "", "other"}).Draw(t, "purpose")
		c := eligibility.Creator{
			ID:                  "c",
			ECommercePermission: rapid.Float64Range(0, 1).Draw(t, "permission") < 0.8,
			LinkedMCN:           rapid.SampledFrom([]string{"", "", "mcn-1", "mcn-2"}).Draw(t, "linked"),
			OfficialAccount:     rapid.Float64Range(0, 1).Draw(t, "official") < 0.15,
			MarketingAccount:    rapid.Float64Range(0, 1).Draw(t, "marketing") < 0.15,
			DataAuthorised:      rapid.Bool().Draw(t, "data"),
			ContactDisplay:      rapid.Bool().Draw(t, "contact"),
		}
		want := listedModel(l, v, p, c)
		d := l.Listed(v, p, c)
		var got []string
		for _, r := range d.Failures() {
			got = append(got, string(r.Key))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) || d.Allowed != (len(want) == 0) || len(d.Reasons) != len(want) {
			t.Fatalf("Listed(%+v, %q, %+v) under %+v = %s, model %v", v, p, c, l, d, want)
		}

		// ViewOf: listed for some purpose; then the purposes, the linked MCN and ELG-8.
		cp := len(listedModel(l, v, eligibility.CreatorPartnership, c)) == 0
		pd := len(listedModel(l, v, eligibility.ProductDistribution, c)) == 0
		wantView := eligibility.View{}
		if cp || pd {
			wantView = eligibility.View{Listed: true, Performance: c.DataAuthorised, Contact: c.ContactDisplay, Partnership: cp, Distribution: pd, ManagedBy: c.LinkedMCN}
		}
		if got := l.ViewOf(v, c); got != wantView {
			t.Fatalf("ViewOf(%+v, %+v) under %+v = %+v, model %+v", v, c, l, got, wantView)
		}
		uses := v.MCN || v.Partner && l.AllowPartnerOnly
		if l.Uses(v) != uses || l.OffersAgencyFilter(v) != (uses && v.Partner && l.PartnerSeesManaged) {
			t.Fatalf("Uses %v, OffersAgencyFilter %v for %+v under %+v", l.Uses(v), l.OffersAgencyFilter(v), v, l)
		}
	})
}

func TestListedAllocs(t *testing.T) {
	l := eligibility.DefaultListing()
	c := eligibility.Creator{ID: "c", ECommercePermission: true, LinkedMCN: "mcn-2"}
	allocs := testing.AllocsPerRun(100, func() {
		l.Listed(mcnPartner, eligibility.ProductDistribution, c)
		l.ViewOf(mcnOnly, c)
	})
	assert.Zero(t, allocs, "a listed creator and an unlisted view")
}

// ELG-7: a reason shows a linked MCN or a viewer ID of a megabyte by its beginning and length,
// so that a decision never carries megabytes of a caller's input.
func TestListedLongValuesCut(t *testing.T) {
	big := strings.Repeat("m", 1<<20)
	d := eligibility.DefaultListing().Listed(eligibility.Viewer{ID: "acct", MCN: true}, eligibility.CreatorPartnership,
		eligibility.Creator{ID: "c1", ECommercePermission: true, LinkedMCN: big})
	assert.False(t, d.Allowed)
	assert.Less(t, len(d.String()), 2000)
	assert.Contains(t, d.String(), "… (1048576 bytes)")
	d = eligibility.DefaultListing().Listed(eligibility.Viewer{ID: big}, eligibility.CreatorPartnership, eligibility.Creator{ID: "c1", ECommercePermission: true})
	assert.Less(t, len(d.String()), 2000)
}
