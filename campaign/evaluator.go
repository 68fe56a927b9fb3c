package campaign

import (
	"errors"
	"slices"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

const pkg = "campaign"

// ErrNoPolicy reports an [Evaluator] that was not built with [New].
var ErrNoPolicy = errors.New("campaign: evaluator has no policy; build it with New")

// ErrNoCommission reports an [Evaluator] built without a commission evaluator.
var ErrNoCommission = errors.New("campaign: a commission evaluator is required: its rate bounds (COM-9) apply to every rate")

// Evaluator applies one validated [Policy] and the rate rules of one [commission.Evaluator]
// (COM-9 bounds, COM-10 and COM-11 changes): it checks campaigns ([Evaluator.Create]), applies
// actions to them ([Evaluator.Apply]), says who sees them ([Evaluator.Visible]), yields the
// commission offers they make ([Evaluator.Offers]) and keeps Open and Target Collaboration
// listings ([Evaluator.List], [Evaluator.Target]). It is pure and safe for concurrent use.
// Every method of the zero Evaluator (and of a nil *Evaluator) returns an error wrapping
// [ErrNoPolicy].
type Evaluator struct {
	policy  Policy
	com     *commission.Evaluator
	rule    commission.OfferRule
	markets []affrules.MarketCode
}

// New returns an evaluator applying policy p, with the offer rules of commission evaluator c,
// or every problem [Policy.Validate] finds in p.
func New(p Policy, c *commission.Evaluator) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ErrNoCommission
	}
	cp, err := c.Policy()
	if err != nil {
		return nil, errors.Join(ErrNoCommission, err)
	}
	p.Markets = slices.Clone(p.Markets)
	return &Evaluator{policy: p, com: c, rule: cp.OfferRule(), markets: p.Markets}, nil
}

// MustNew is like [New] but panics on an invalid policy. It is for tests and examples whose
// policy is literal data.
func MustNew(p Policy, c *commission.Evaluator) *Evaluator {
	e, err := New(p, c)
	if err != nil {
		panic(err)
	}
	return e
}

// Policy returns a copy of the evaluator's policy.
func (e *Evaluator) Policy() (Policy, error) {
	if err := e.ready(); err != nil {
		return Policy{}, err
	}
	p := e.policy
	p.Markets = slices.Clone(p.Markets)
	return p, nil
}

func (e *Evaluator) ready() error {
	if e == nil || e.com == nil {
		return ErrNoPolicy
	}
	return nil
}

// runs reports whether partner campaigns run in market m.
func (e *Evaluator) runs(m affrules.MarketCode) bool { return slices.Contains(e.markets, m) }
