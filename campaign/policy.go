package campaign

import (
	"slices"
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Policy is the policy data of SPEC §7. Its defaults come from [DefaultPolicy]; a host changes
// them through JSON ([ParsePolicy]) or a struct literal, checks the result with
// [Policy.Validate], and builds an [Evaluator] from it with [New]. Rate bounds (COM-9) are
// commission's: the evaluator takes them from the [commission.Evaluator] it is built with.
//
// The zero Policy is invalid: [New] refuses it (no markets).
type Policy struct {
	// Markets are the markets where partner campaigns run (MKT-1). Default the seven markets
	// of the catalog: UK, ID, MY, VN, TH, PH, SG.
	Markets []affrules.MarketCode `json:"markets"`
	// OpenApproval makes a creator's request to promote an Open Collaboration product wait for
	// the seller's approval (CMP-1). Default false: any creator may promote it at once.
	OpenApproval bool `json:"open_approval"`
	// RegistrationWithinCampaign requires a campaign's registration period to start no later
	// than the campaign period and to end no later than its end (CMP-3). Default true; false
	// requires each period to be well formed and registration to open before the campaign
	// ends; registering, joining and publishing stay refused once the campaign is over (CMP-5).
	RegistrationWithinCampaign bool `json:"registration_within_campaign"`
	// PermanentEndsParticipation makes a permanent disqualification of a registered product,
	// or of its shop, end the product's participation from that instant ([Disqualify],
	// ELG-11). Default true; false keeps it in the campaign ([Disqualify] is refused), its
	// eligibility result being the host's to show.
	PermanentEndsParticipation bool `json:"permanent_ends_participation"`
	// TemporaryEndsParticipation makes a temporary disqualification of a registered product, or
	// of its shop, end the product's participation from that instant too, as a permanent one
	// does ([Disqualify], ELG-11); the product is not registered again in that campaign (CMP-4:
	// once per campaign). Default false: a temporary disqualification changes nothing in a
	// running campaign. It needs PermanentEndsParticipation.
	TemporaryEndsParticipation bool `json:"temporary_ends_participation"`
	// EligibleProductsOnly refuses a registration whose product is not affiliate-eligible
	// (ELG-9: SPEC reads the Collaboration Plus rule as holding for partner campaigns too).
	// Default true; false registers it whatever its eligibility, which must still be the
	// product's own result at the registration (ELG-11's Disqualify still ends a permanently
	// disqualified product's participation when PermanentEndsParticipation says so).
	EligibleProductsOnly bool `json:"eligible_products_only"`
	// RequirementOf is the rate a campaign's commission requirement is a minimum of (CMP-3,
	// CMP-4): "total", the product's total rate; "creator", the creator's part of it (the rate
	// × (100% − the partner share)); "partner", the partner's part (the rate × the partner
	// share). Default total; empty is read as total too.
	RequirementOf string `json:"requirement_of"`
}

// The rates a campaign's commission requirement may be a minimum of ([Policy.RequirementOf],
// CMP-3).
const (
	RequirementOfTotal   = "total"
	RequirementOfCreator = "creator"
	RequirementOfPartner = "partner"
)

// DefaultPolicy returns the catalog's values (SPEC §7).
func DefaultPolicy() Policy {
	return Policy{
		Markets:                    []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"},
		RegistrationWithinCampaign: true,
		PermanentEndsParticipation: true,
		EligibleProductsOnly:       true,
		RequirementOf:              RequirementOfTotal,
	}
}

// Validate reports every problem of the policy at once, each an [*affrules.FieldError] naming
// the field and its value: no market, a market that is not registered or listed twice, a
// requirement_of other than total, creator or partner, temporary_ends_participation without
// permanent_ends_participation.
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	if len(p.Markets) == 0 {
		l.Add("markets", "[]", "must list at least one market (MKT-1)")
	}
	for i, m := range p.Markets {
		f := "markets[" + strconv.Itoa(i) + "]"
		if _, err := affrules.LookupMarket(m); err != nil {
			l.Add(f, strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
		} else if slices.Contains(p.Markets[:i], m) {
			l.Add(f, m, "is listed twice")
		}
	}
	if p.TemporaryEndsParticipation && !p.PermanentEndsParticipation {
		l.Add("temporary_ends_participation", true, "needs permanent_ends_participation: a temporary disqualification would end a participation a permanent one keeps (%s)", RuleLaterDisqualification)
	}
	switch p.RequirementOf {
	case "", RequirementOfTotal, RequirementOfCreator, RequirementOfPartner:
	default:
		l.Add("requirement_of", strconv.Quote(p.RequirementOf), "must be total, creator or partner (%s)", RuleTerms)
	}
	return fielderr.UnderPolicy(pkg, l.Err())
}

// ParsePolicy decodes a JSON policy object and validates it, each problem an
// [*affrules.FieldError]: every problem of the document itself at once (its keys, JSON types and
// values a type refuses to decode, such as a rate over 100%), then, for a document without any,
// every problem [Policy.Validate] finds at once. It follows the library's one policy-loading rule:
// keys that name no field, that name one only when case is ignored, or that are given twice are
// errors at any depth; a top-level setting left out keeps its [DefaultPolicy] value, and so does
// one given as null, except a list or map, which null makes nil (as encoding/json writes a nil one,
// so a policy reads back from its own JSON). A document that is not one JSON object is a single
// error; a value of the wrong JSON type is a [*affrules.FieldError] naming its path. Every field is
// named under "policy", as the data's keys are ("policy.markets[1]"), whether its problem is its
// JSON type or its value.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}
