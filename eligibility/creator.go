package eligibility

import "github.com/affrules/affrules"

// Creator is what the Affiliate Marketplace knows about a creator for listing (ELG-7) and for
// data and contact visibility (ELG-8). The zero Creator has no e-commerce permission, so it is
// not listed.
type Creator struct {
	ID                  string `json:"id"`
	ECommercePermission bool   `json:"ecommerce_permission"`
	LinkedMCN           string `json:"linked_mcn,omitempty"` // MCN the creator is linked to; "" if none
	OfficialAccount     bool   `json:"official_account,omitempty"`
	MarketingAccount    bool   `json:"marketing_account,omitempty"`
	DataAuthorised      bool   `json:"data_authorised"` // ELG-8: performance data shared
	ContactDisplay      bool   `json:"contact_display"` // ELG-8: contact details shown
}

// Listed evaluates ELG-7: whether creator c appears in the Affiliate Marketplace seen by the
// MCN or partner account viewer. A creator is listed only with e-commerce permission, when not
// linked to an MCN other than viewer, and when not an official or marketing account. Every
// failing condition is reported.
//
// Interpretation: "not linked with other MCNs" is read from the viewer's side, so a creator
// already linked to viewer stays listed for viewer; pass viewer "" for the public listing, where
// any link excludes the creator.
func Listed(viewer string, c Creator) affrules.Decision {
	noPermission, otherMCN := !c.ECommercePermission, c.LinkedMCN != "" && c.LinkedMCN != viewer
	n := b2i(noPermission) + b2i(otherMCN) + b2i(c.OfficialAccount) + b2i(c.MarketingAccount)
	if n == 0 {
		return affrules.Decision{Allowed: true}
	}
	reasons := make([]affrules.Reason, 0, n)
	if noPermission {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyNoPermission})
	}
	if otherMCN {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyOtherMCN, Observed: affrules.Text(c.LinkedMCN)})
	}
	if c.OfficialAccount {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyOfficial})
	}
	if c.MarketingAccount {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyMarketing})
	}
	return affrules.Decision{Reasons: reasons}
}

// View is what a marketplace viewer may see of a creator (ELG-7, ELG-8). The zero View shows
// nothing.
type View struct {
	Listed      bool `json:"listed"`      // ELG-7: the creator appears in the marketplace
	Performance bool `json:"performance"` // ELG-8: performance data is shown
	Contact     bool `json:"contact"`     // ELG-8: contact details are shown
	Invitable   bool `json:"invitable"`   // listed creators can be invited, contact display or not
}

// ViewOf returns what viewer sees of creator c: nothing unless c is listed for viewer (ELG-7);
// performance data only if c authorised data sharing, contact details only if c left contact
// display on (ELG-8). A listed creator can be invited either way.
func ViewOf(viewer string, c Creator) View {
	if !Listed(viewer, c).Allowed {
		return View{}
	}
	return View{Listed: true, Performance: c.DataAuthorised, Contact: c.ContactDisplay, Invitable: true}
}

// DataFilter wraps match, a filter on creators' performance data, so that it never matches a
// creator who has not authorised data sharing (ELG-8): their data is not shown, so it cannot be
// filtered on either.
func DataFilter(match func(Creator) bool) func(Creator) bool {
	return func(c Creator) bool { return c.DataAuthorised && match(c) }
}
