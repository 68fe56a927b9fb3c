package eligibility

import (
	"bytes"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/strictjson"
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

// Scope is what a disqualification applies to (ELG-6): the whole shop, or one product only. The
// zero Scope is [NoScope], the scope of an eligible (or unevaluated) result.
type Scope uint8

const (
	// NoScope: nothing is disqualified.
	NoScope Scope = iota
	// ShopScope: the shop is disqualified, by ELG-1, ELG-2, a deactivated seller account or
	// (where [Thresholds.ProductBanDisqualifiesShop] says so) a banned product, and with it
	// every product of the shop. The subject is [Result.ShopID]. A banned product's own result
	// has it before its shop's does: the host records the ban on the shop (Shop.ProductBanned)
	// for the shop's next evaluation.
	ShopScope
	// ProductScope: only the product is disqualified, by ELG-3, ELG-4, freezing or delisting; the
	// shop's other products are not affected. The subject is [Result.ID].
	ProductScope
)

var scopeNames = enum.Names[Scope]{NoScope: "none", ShopScope: "shop", ProductScope: "product"}

// String returns the scope's name: "none", "shop" or "product".
func (s Scope) String() string { return scopeNames.String("Scope", s) }

// MarshalText returns the scope's name, or an error for an unknown scope.
func (s Scope) MarshalText() ([]byte, error) {
	if b, ok := scopeNames.Text(s); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "scope", int(s), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses a scope's name.
func (s *Scope) UnmarshalText(b []byte) error {
	v, ok := scopeNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "scope", string(b), "must be one of %s", scopeNames.List())
	}
	*s = v
	return nil
}

// Result is the outcome of evaluating a shop or a product: its state, what a disqualification
// applies to, and the decision with every reason. Decision.Allowed is true exactly when State is
// [Eligible]; Scope is [NoScope] exactly when the result is not a disqualification. The zero
// Result is [Unevaluated]: not eligible, and refused by [Evaluator.Product] as a shop result;
// every method that returns an error returns it beside the zero Result. A result's instants
// fall before the year 2200 (an ELG-1 reason's violation, given in 1900–2199) or name none
// (Decision.NextAllowed, when the disqualification would lift only from 2200-01-01T00:00:00Z
// on): a result always marshals to JSON.
//
// Collaboration Plus and partner campaigns (ELG-9, ELG-11) need of a result its subject (Scope
// with ShopID or ID) and its permanence ([Result.Permanent]).
type Result struct {
	ID string `json:"id"` // the product's ID, or the shop's for a shop result
	// ShopID is the shop: the product's shop, or the shop itself (equal to ID) for a shop result.
	ShopID string `json:"shop_id,omitempty"`
	// Market is the market whose thresholds applied: the shop's. [Evaluator.Product] refuses a
	// shop result without one, and a product of another market.
	Market affrules.MarketCode `json:"market,omitempty"`
	State  State               `json:"state"`
	// Scope says what the disqualification applies to (ELG-6): [ShopScope] when the shop's own
	// state accounts for this result's (the shop ShopID is disqualified, and every product of it)
	// or when the product is banned and the policy makes a ban disqualify its shop,
	// [ProductScope] when only the product ID is, or when its own rules make it worse off than
	// its shop (a frozen product of a temporarily disqualified shop).
	Scope    Scope             `json:"scope,omitempty"`
	Decision affrules.Decision `json:"decision"`
}

// UnmarshalJSON decodes a result as its JSON is written, strictly: a key that is unknown, given
// twice or written in another case is an error, as is id, state or decision left out, a
// decision that disagrees with the state (allowed exactly when it is eligible), or a scope that
// does (only a disqualification has one, ELG-6): a stored result misread would pass or fail a
// Collaboration Plus or campaign's ELG-9 check unnoticed. null leaves r as it was; on error r is
// unchanged.
func (r *Result) UnmarshalJSON(b []byte) error {
	type plain Result // without this method
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	var p plain
	if err := fielderr.Problems(pkg, "result", strictjson.Check(b, &p)); err != nil {
		return err
	}
	if err := strictjson.Decode(b, &p); err != nil {
		return fielderr.Decoding(pkg, "result", err)
	}
	keys := strictjson.Keys(b)
	l := fielderr.For(pkg)
	for _, k := range [...]string{"id", "state", "decision"} {
		if _, given := keys[k]; !given {
			l.Add("result."+k, "(absent)", "is required: left out it would silently be zero")
		}
	}
	if err := l.Err(); err != nil {
		return err
	}
	disqualified := p.State == TemporarilyDisqualified || p.State == PermanentlyDisqualified
	switch {
	case p.Decision.Allowed != (p.State == Eligible):
		return fielderr.New(pkg, "result.decision.allowed", p.Decision.Allowed, "disagrees with the result's state %s: a decision is allowed exactly when the state is eligible", p.State)
	case disqualified != (p.Scope != NoScope):
		return fielderr.New(pkg, "result.scope", p.Scope, "disagrees with the result's state %s: a disqualification has a scope, and nothing else has one (ELG-6)", p.State)
	}
	*r = Result(p)
	return nil
}

// Eligible reports whether the shop or product may take part in affiliate collaboration.
func (r Result) Eligible() bool { return r.State == Eligible }

// Lifted reports whether r is a denial whose disqualification says it lifts at or before at
// (its Decision.NextAllowed): judged at at, r's reasons no longer hold (MKT-5), so r was evaluated
// at an earlier instant. Evaluator.Product refuses such a shop result, as collabplus and campaign
// refuse such a product's result at a submission or registration.
func (r Result) Lifted(at time.Time) bool { return r.lifted(at) }

// lifted is Lifted without copying the result.
func (r *Result) lifted(at time.Time) bool {
	na := &r.Decision.NextAllowed
	return !r.Decision.Allowed && !na.IsZero() && !at.Before(*na)
}

// Permanent reports whether the result is a permanent disqualification (ELG-6), which later good
// metrics never lift: a Collaboration Plus or partner campaign ends the participation of its
// subject (ELG-11), where a temporary one only blocks new participations (unless their policy
// has it end them too, while its NextAllowed is after the instant: [Result.Lifted]).
func (r Result) Permanent() bool { return r.State == PermanentlyDisqualified }

// ForCampaign evaluates ELG-9: only an affiliate-eligible product may be put into a Collaboration
// Plus or partner campaign. Collaboration Plus sets no minimum stock, so eligibility is the whole
// of the check. The denial carries the product's state and its own reasons and, where the
// product is temporarily disqualified and time alone lifts it, when it does (the product's
// Decision.NextAllowed, MKT-5). It reads the state, with which the decision of every result
// an [Evaluator] makes, or JSON decodes ([Result.UnmarshalJSON]), agrees.
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
	d := affrules.Decide(reasons...)
	if r.State == TemporarilyDisqualified { // a permanent one never lifts (ELG-6)
		d.NextAllowed = r.Decision.NextAllowed
	}
	return d
}
