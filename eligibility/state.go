package eligibility

import (
	"strconv"

	"github.com/affrules/affrules"
)

// State is a shop's or product's standing for affiliate collaboration (ELG-6).
type State uint8

const (
	// Unevaluated is the zero State: nothing is known yet, and it is not eligible. As a previous
	// state it means "no earlier evaluation".
	Unevaluated State = iota
	// Eligible: every rule passes.
	Eligible
	// TemporarilyDisqualified: a metric rule fails; access is paused and returns by itself on a
	// later evaluation where every rule passes.
	TemporarilyDisqualified
	// PermanentlyDisqualified: the seller account was deactivated, or the product was frozen or
	// delisted for a policy violation. It is terminal: later good metrics never lift it.
	PermanentlyDisqualified
)

var stateNames = [...]string{"unevaluated", "eligible", "temporarily_disqualified", "permanently_disqualified"}

// String returns the state's name, e.g. "temporarily_disqualified".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText returns the state's name.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= len(stateNames) {
		return nil, affrules.Errorf("eligibility", "state", int(s), "%w", affrules.ErrOutOfRange)
	}
	return []byte(stateNames[s]), nil
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for i, n := range stateNames {
		if n == string(b) {
			*s = State(i)
			return nil
		}
	}
	return affrules.Errorf("eligibility", "state", string(b), "must be one of unevaluated, eligible, temporarily_disqualified, permanently_disqualified")
}

// Result is the outcome of evaluating a shop or a product: its state and the decision with every
// reason. Decision.Allowed is true exactly when State is [Eligible].
type Result struct {
	ID       string            `json:"id"`
	State    State             `json:"state"`
	Decision affrules.Decision `json:"decision"`
}

// Eligible reports whether the shop or product may take part in affiliate collaboration.
func (r Result) Eligible() bool { return r.State == Eligible }

// ForCampaign evaluates ELG-9: only an affiliate-eligible product may be put into a Collaboration
// Plus or partner campaign. The denial carries the product's state and its own reasons.
func (r Result) ForCampaign() affrules.Decision {
	if r.State == Eligible {
		return affrules.Decide()
	}
	reasons := make([]affrules.Reason, 0, 1+len(r.Decision.Reasons))
	reasons = append(reasons, affrules.Reason{Rule: RuleCampaigns, Observed: r.State.String(), Limit: "eligible", Message: "only affiliate-eligible products may join a campaign"})
	reasons = append(reasons, r.Decision.Failures()...)
	return affrules.Decide(reasons...)
}
