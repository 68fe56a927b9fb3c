package level

import (
	"strconv"

	"github.com/affrules/affrules"
)

// Eligible decides whether a creator at level l may have benefit, a level-gated benefit or
// campaign of the policy (LVL-7). Since a level holds for a month, pass the level of the month
// in question: eligibility is re-checked at each monthly refresh and lost in the first month
// whose level is below the benefit's minimum. An unknown benefit or a level out of range is an
// error.
func (e *Evaluator) Eligible(benefit string, l Level) (affrules.Decision, error) {
	minLevel, ok := e.benefits[benefit]
	if !ok {
		return affrules.Decision{}, affrules.Errorf("level", "benefit", strconv.Quote(benefit), "the policy has no such benefit (LVL-7)")
	}
	if !l.Valid() {
		return affrules.Decision{}, affrules.Errorf("level", "level", int(l), "must be between L0 and L8 (LVL-1): %w", affrules.ErrOutOfRange)
	}
	if l >= minLevel {
		return affrules.Decide(), nil
	}
	return affrules.Decide(affrules.Reason{Rule: RuleBenefit, Observed: l.String(), Limit: minLevel.String() + " or above",
		Message: benefit + " requires level " + minLevel.String()}), nil
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

// Viewer is who is looking: a role and, for a creator, their creator ID.
type Viewer struct {
	Role Role   `json:"role"`
	ID   string `json:"id,omitempty"`
}

// Visible decides whether viewer may see the level of creator (LVL-5): the creator themself and
// sellers may; buyers and other users may not; affiliate partners may if the policy says so. A
// creator viewing another creator is a user like any other. An unknown role is denied.
func (e *Evaluator) Visible(viewer Viewer, creator string) affrules.Decision {
	limit := "the creator themself or a seller"
	if e.partners {
		limit = "the creator themself, a seller or an affiliate partner"
	}
	deny := func(observed, msg string) affrules.Decision {
		return affrules.Decide(affrules.Reason{Rule: RuleVisibility, Observed: observed, Limit: limit, Message: msg})
	}
	switch viewer.Role {
	case RoleCreator:
		if creator != "" && viewer.ID == creator {
			return affrules.Decide()
		}
		return deny("another creator", "creator levels are shown only to the creator themself among users")
	case RoleSeller:
		return affrules.Decide()
	case RolePartner:
		if e.partners {
			return affrules.Decide()
		}
		return deny("affiliate partner", "the policy does not show creator levels to affiliate partners")
	case RoleBuyer:
		return deny("buyer", "buyers and general users do not see creator levels")
	}
	return deny("role "+strconv.Quote(string(viewer.Role)), "unknown viewer role")
}
