package level

import (
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/cut"
	"github.com/affrules/affrules/internal/fielderr"
)

// benefitDecisions returns the LVL-7 decision of b for each level L0 … L8, built once in [New].
func benefitDecisions(b Benefit) *[numLevels + 1]affrules.Decision {
	var out [numLevels + 1]affrules.Decision
	for l := range out {
		if Level(l) >= b.MinLevel {
			out[l] = affrules.Decide()
			continue
		}
		out[l] = affrules.Decide(affrules.Reason{Rule: RuleBenefit, Key: keyBelowMinLevel,
			Observed: affrules.LevelOf(l), Limit: affrules.LevelOf(int(b.MinLevel)), Subject: b.Name})
	}
	return &out
}

// Benefit decides whether a creator at level l may have benefit, a level-gated benefit or
// campaign of the policy (LVL-7). Since a level holds for a month, pass the level of the month
// in question: eligibility is re-checked at each monthly refresh and lost in the first month
// whose level is below the benefit's minimum. A denial's reason carries the level and the
// minimum as [affrules.LevelOf] values and the benefit's name as Subject; decisions are built
// once, in [New], and shared: do not modify their reasons in place. An unknown benefit or a level
// out of range is an error. It allocates nothing unless it returns an error.
func (e *Evaluator) Benefit(benefit string, l Level) (affrules.Decision, error) {
	if err := e.ready("Benefit"); err != nil {
		return affrules.Decision{}, err
	}
	ds, ok := e.benefits[benefit]
	if !ok {
		return affrules.Decision{}, fielderr.New(pkg, "benefit", strconv.Quote(benefit), "the policy has no such benefit (LVL-7)")
	}
	if !l.Valid() {
		return affrules.Decision{}, errLevelRange("level", l)
	}
	return ds[l], nil
}

// Role is the role in which someone views a creator's profile (LVL-5).
type Role string

// Viewer roles (LVL-5).
const (
	RoleCreator Role = "creator" // a creator account; sees a level only if it is their own
	RoleSeller  Role = "seller"
	RolePartner Role = "partner" // an affiliate partner: MCN or TAP
	RoleBuyer   Role = "buyer"   // a buyer or any other platform user
)

// Viewer is who is looking: a role and, for a creator, their creator ID. The zero Viewer has no
// role and is denied.
type Viewer struct {
	Role Role   `json:"role"`
	ID   string `json:"id,omitempty"`
}

// visibility holds the LVL-5 decisions of one policy, built once in [New].
type visibility struct {
	partners                       bool
	anotherCreator, partner, buyer affrules.Decision
	unknownRole                    affrules.MessageKey
}

func newVisibility(partners bool) visibility {
	deny := func(key affrules.MessageKey, role Role) affrules.Decision {
		return affrules.Decide(affrules.Reason{Rule: RuleVisibility, Key: key, Observed: affrules.Text(string(role))})
	}
	if partners {
		return visibility{partners: true, anotherCreator: deny(keyAnotherCreatorPartners, RoleCreator),
			buyer: deny(keyBuyerPartners, RoleBuyer), unknownRole: keyUnknownRolePartners}
	}
	return visibility{anotherCreator: deny(keyAnotherCreator, RoleCreator), partner: deny(keyPartner, RolePartner),
		buyer: deny(keyBuyer, RoleBuyer), unknownRole: keyUnknownRole}
}

// Visible decides whether viewer may see the level of creator (LVL-5): the creator themself and
// sellers may; buyers and other users may not; affiliate partners (MCN/TAP) may only if
// [Policy].PartnersSeeLevel says so, which by default it does not. A creator viewing another
// creator is a user like any other. An unknown role is denied. A denial's reason carries the
// viewer's role as [affrules.Text] (an unknown role of over 300 bytes by its first 64 characters and
// its length); its key says which denial it is and whether the policy shows
// levels to partners. Decisions for the known roles are built once, in
// [New], and shared: do not modify their reasons in place. A creator ID [Record.Validate]
// refuses (empty, say) is an error: whose level is viewed (LVL-5) must be named. The
// zero Evaluator denies, with an error wrapping [ErrNoPolicy].
func (e *Evaluator) Visible(viewer Viewer, creator string) (affrules.Decision, error) {
	if err := e.ready("Visible"); err != nil {
		return affrules.Decision{}, err
	}
	if !bounds.IDOK(creator) { // whose level is viewed (LVL-5)
		return affrules.Decision{}, bounds.ID(pkg, "creator", creator)
	}
	v := &e.visible
	switch viewer.Role {
	case RoleCreator:
		if creator != "" && viewer.ID == creator {
			return affrules.Decide(), nil
		}
		return v.anotherCreator, nil
	case RoleSeller:
		return affrules.Decide(), nil
	case RolePartner:
		if v.partners {
			return affrules.Decide(), nil
		}
		return v.partner, nil
	case RoleBuyer:
		return v.buyer, nil
	}
	// The role as given, cut past 300 bytes: no role is that long, and a decision is shown.
	return affrules.Decide(affrules.Reason{Rule: RuleVisibility, Key: v.unknownRole, Observed: affrules.Text(cut.Value(string(viewer.Role)))}), nil
}
