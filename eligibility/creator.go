package eligibility

import (
	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/cut"
)

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

// Purpose is what a marketplace account looks for creators for, and invites them for (INV-7):
// the listing depends on it (ELG-7, INV-8). Package invitation's Purpose is this type. The zero
// Purpose is no purpose: nothing is listed for it.
type Purpose string

// The two purposes of INV-7.
const (
	// CreatorPartnership is a long-term linking relationship; it needs the MCN role.
	CreatorPartnership Purpose = "creator_partnership"
	// ProductDistribution is product distribution; it needs the affiliate-partner role.
	ProductDistribution Purpose = "product_distribution"
)

// Viewer is the account looking at the Affiliate Marketplace, with the roles the listing depends
// on (ELG-7, INV-12). The zero Viewer holds no role: it may not use the Marketplace and sees
// nothing.
type Viewer struct {
	ID      string `json:"id"`
	MCN     bool   `json:"mcn"`     // holds the MCN/CAP role: uses the Marketplace; creator partnership
	Partner bool   `json:"partner"` // holds the affiliate-partner role: product distribution; "Managed By Agency"
}

// Listing is the policy of the Affiliate Marketplace listing (ELG-7, INV-12): whether an account
// holding only the affiliate-partner role may use the Marketplace, and whether the
// affiliate-partner role sees, and may invite for product distribution, creators linked to
// another MCN. It is a small comparable value: a host passes it to whatever lists creators, and
// package invitation's Policy carries one for its Send. [DefaultListing] is the catalog's
// reading; the zero Listing is the strictest (partner-only accounts refused, MCN-linked creators
// never listed for another account).
type Listing struct {
	// AllowPartnerOnly lets an account holding the affiliate-partner role without the MCN/CAP
	// role use the Marketplace (INV-12). Default false: only MCN/CAP accounts use it.
	AllowPartnerOnly bool `json:"allow_partner_only"`
	// PartnerSeesManaged lets an account holding the affiliate-partner role see creators linked
	// to another MCN, with that MCN shown and a "Managed By Agency" filter, and invite them for
	// product distribution (ELG-7). Default true. The MCN-link exclusion always holds for
	// creator partnership.
	PartnerSeesManaged bool `json:"partner_sees_managed"`
}

// DefaultListing returns the catalog's listing policy: only MCN/CAP accounts use the Marketplace
// (INV-12), and an account also holding the affiliate-partner role sees MCN-linked creators and
// may invite them for product distribution (ELG-7).
func DefaultListing() Listing {
	return Listing{AllowPartnerOnly: false, PartnerSeesManaged: true}
}

// Uses reports whether viewer v may use the Affiliate Marketplace at all (INV-12): it holds the
// MCN/CAP role, or only the affiliate-partner role where l allows it.
func (l Listing) Uses(v Viewer) bool { return v.MCN || v.Partner && l.AllowPartnerOnly }

// Listed evaluates ELG-7 with INV-12 and INV-8: whether creator c is listed to viewer v for
// purpose p, that is whether v may find c in the Affiliate Marketplace and invite c for p. It
// requires, each failing condition reported:
//
//   - INV-12: v may use the Marketplace ([Listing.Uses]);
//   - INV-7: p is a known purpose whose role v holds (the MCN role for creator partnership, the
//     affiliate-partner role for product distribution);
//   - ELG-7: c has e-commerce permission, and is neither an official nor a marketing account;
//   - ELG-7: c is not linked to an MCN other than v, unless p is product distribution, v holds
//     the affiliate-partner role and l lets that role see MCN-linked creators (so always, for
//     creator partnership).
//
// A creator already linked to v is listed for v; give v an empty ID for the public listing, where
// any link counts as another MCN's. An eligible listing allocates nothing. A reason shows a
// purpose, viewer ID or linked MCN of over 300 bytes by its first 64 characters and its length.
func (l Listing) Listed(v Viewer, p Purpose, c Creator) affrules.Decision {
	f := l.check(v, p, c)
	if f.n == 0 {
		return affrules.Decision{Allowed: true}
	}
	reasons := make([]affrules.Reason, 0, f.n)
	if f.noAccess {
		held := "no role"
		if v.Partner {
			held = "the affiliate-partner role only"
		}
		reasons = append(reasons, affrules.Reason{Rule: RuleMarketplaceAccess, Key: keyNoAccess, Observed: affrules.Text(held), Subject: cut.Value(v.ID)})
	}
	switch {
	case f.unknown:
		reasons = append(reasons, affrules.Reason{Rule: RulePurposeRole, Key: keyUnknownPurpose, Observed: affrules.Text(cut.Value(string(p)))})
	case f.noRole:
		role := "the MCN role"
		if p == ProductDistribution {
			role = "the affiliate-partner role"
		}
		reasons = append(reasons, affrules.Reason{Rule: RulePurposeRole, Key: keyPurposeRole, Observed: affrules.Text(string(p)), Limit: affrules.Text(role), Subject: cut.Value(v.ID)})
	}
	if f.noPermission {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyNoPermission})
	}
	if f.otherMCN {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyOtherMCN, Observed: affrules.Text(cut.Value(c.LinkedMCN))})
	}
	if c.OfficialAccount {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyOfficial})
	}
	if c.MarketingAccount {
		reasons = append(reasons, affrules.Reason{Rule: RuleListing, Key: keyMarketing})
	}
	return affrules.Decision{Reasons: reasons}
}

// listingChecks are the conditions of [Listing.Listed] that fail, and how many.
type listingChecks struct {
	noAccess, noRole, unknown, noPermission, otherMCN bool
	n                                                 int
}

func (l Listing) check(v Viewer, p Purpose, c Creator) listingChecks {
	f := listingChecks{noAccess: !l.Uses(v), noPermission: !c.ECommercePermission}
	switch p {
	case CreatorPartnership:
		f.noRole = !v.MCN
	case ProductDistribution:
		f.noRole = !v.Partner
	default:
		f.unknown = true
	}
	// ELG-7: the MCN-link exclusion, lifted only for product distribution by the
	// affiliate-partner role, where l lets that role see MCN-linked creators.
	f.otherMCN = c.LinkedMCN != "" && c.LinkedMCN != v.ID && !(p == ProductDistribution && v.Partner && l.PartnerSeesManaged)
	f.n = b2i(f.noAccess) + b2i(f.noRole) + b2i(f.unknown) + b2i(f.noPermission) + b2i(f.otherMCN) + b2i(c.OfficialAccount) + b2i(c.MarketingAccount)
	return f
}

// OffersAgencyFilter reports whether viewer v is offered the "Managed By Agency" filter (ELG-7,
// INV-12): v uses the Marketplace, holds the affiliate-partner role, and l lets that role see
// MCN-linked creators. The filter keeps the creators whose [View.ManagedBy] is not empty.
func (l Listing) OffersAgencyFilter(v Viewer) bool {
	return l.Uses(v) && v.Partner && l.PartnerSeesManaged
}

// View is what a marketplace viewer may see of a creator (ELG-7, ELG-8). The zero View shows
// nothing.
type View struct {
	Listed      bool `json:"listed"`      // ELG-7: the creator appears in the marketplace
	Performance bool `json:"performance"` // ELG-8: performance data is shown
	Contact     bool `json:"contact"`     // ELG-8: contact details are shown
	// Partnership and Distribution say for which purposes the creator may be invited (INV-8),
	// contact display or not; Listed is true exactly when one of them is.
	Partnership  bool `json:"partnership"`
	Distribution bool `json:"distribution"`
	// ManagedBy is the MCN the creator is linked to, shown with a listed creator ("Managed By
	// Agency"); "" if the creator is linked to none or is not listed.
	ManagedBy string `json:"managed_by,omitempty"`
}

// ViewOf returns what viewer v sees of creator c: nothing unless c is listed to v for a purpose
// ([Listing.Listed] for creator partnership or product distribution); then the purposes c may be
// invited for, the MCN c is linked to, performance data only if c authorised data sharing, and
// contact details only if c left contact display on (ELG-8).
func (l Listing) ViewOf(v Viewer, c Creator) View {
	partnership := l.check(v, CreatorPartnership, c).n == 0
	distribution := l.check(v, ProductDistribution, c).n == 0
	if !partnership && !distribution {
		return View{}
	}
	return View{Listed: true, Performance: c.DataAuthorised, Contact: c.ContactDisplay,
		Partnership: partnership, Distribution: distribution, ManagedBy: c.LinkedMCN}
}

// DataFilter wraps match, a filter on creators' performance data, so that it never matches a
// creator who has not authorised data sharing (ELG-8): their data is not shown, so it cannot be
// filtered on either. A nil match is no condition on the data: the filter matches every creator
// who authorised data sharing.
func DataFilter(match func(Creator) bool) func(Creator) bool {
	if match == nil {
		return func(c Creator) bool { return c.DataAuthorised }
	}
	return func(c Creator) bool { return c.DataAuthorised && match(c) }
}
