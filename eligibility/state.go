package eligibility

import (
	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// State is a shop's or product's standing for affiliate collaboration (ELG-6). The zero State is
// [Unevaluated], which is not eligible.
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

var stateNames = enum.Names[State]{Unevaluated: "unevaluated", Eligible: "eligible", TemporarilyDisqualified: "temporarily_disqualified", PermanentlyDisqualified: "permanently_disqualified"}

// String returns the state's name, e.g. "temporarily_disqualified".
func (s State) String() string { return stateNames.String("State", s) }

// MarshalText returns the state's name, or an error for an unknown state.
func (s State) MarshalText() ([]byte, error) {
	if b, ok := stateNames.Text(s); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "state", int(s), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, ok := stateNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "state", string(b), "must be one of %s", stateNames.List())
	}
	*s = v
	return nil
}

// Result is the outcome of evaluating a shop or a product: its state and the decision with every
// reason. Decision.Allowed is true exactly when State is [Eligible]. The zero Result is
// [Unevaluated]: not eligible, and refused by [Evaluator.Product] as a shop result.
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
	n := 1
	for i := range r.Decision.Reasons {
		if r.Decision.Reasons[i].Kind != affrules.NotApplicable {
			n++
		}
	}
	reasons := make([]affrules.Reason, 1, n)
	reasons[0] = affrules.Reason{Rule: RuleCampaigns, Key: keyCampaignFailed, Observed: affrules.Text(r.State.String()), Limit: affrules.Text(Eligible.String())}
	for _, f := range r.Decision.Reasons {
		if f.Kind != affrules.NotApplicable {
			reasons = append(reasons, f)
		}
	}
	return affrules.Decide(reasons...)
}
