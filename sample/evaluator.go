package sample

import (
	"errors"
	"slices"
	"time"

	"github.com/affrules/affrules"
)

const pkg = "sample"

// ErrNoPolicy reports an [Evaluator] or [Rule] that was not built with [New].
var ErrNoPolicy = errors.New("sample: no policy; build the evaluator with New")

// Evaluator applies one validated [Policy]. It is pure and safe for concurrent use. Every method
// of the zero Evaluator (and of a nil *Evaluator) returns an error wrapping [ErrNoPolicy].
type Evaluator struct {
	rule Rule
}

// Rule is the pure rule a [Ledger] is given on every call: the request, answer and content
// rules of one policy. Take it from [Evaluator.Rule]; the zero Rule refuses everything with
// [ErrNoPolicy].
type Rule struct {
	p                                Policy
	answer, wait, content, extension time.Duration
	refund, fulfilment               time.Duration
	caps                             map[string]int
}

// New returns an evaluator applying policy p, or every problem [Policy.Validate] finds in p.
func New(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Bands = slices.Clone(p.Bands)
	p.Markets = slices.Clone(p.Markets)
	r := Rule{p: p, answer: affrules.Days(p.AnswerDays), wait: affrules.Days(p.WaitDays), content: affrules.Days(p.ContentDays),
		extension: affrules.Days(p.ExtensionDays), refund: affrules.Days(p.RefundDays), fulfilment: affrules.Days(p.FulfilmentDays), caps: map[string]int{}}
	for _, b := range p.Bands {
		r.caps[b.Name] = b.Cap
	}
	return &Evaluator{rule: r}, nil
}

// MustNew is like [New] but panics on an invalid policy. It is for tests and examples whose
// policy is literal data.
func MustNew(p Policy) *Evaluator {
	e, err := New(p)
	if err != nil {
		panic(err)
	}
	return e
}

// Policy returns a copy of the evaluator's policy.
func (e *Evaluator) Policy() (Policy, error) {
	if e == nil || !e.rule.ready() {
		return Policy{}, ErrNoPolicy
	}
	p := e.rule.p
	p.Bands = slices.Clone(p.Bands)
	p.Markets = slices.Clone(p.Markets)
	return p, nil
}

// Rule returns the evaluator's rule, to give a [Ledger].
func (e *Evaluator) Rule() (Rule, error) {
	if e == nil || !e.rule.ready() {
		return Rule{}, ErrNoPolicy
	}
	return e.rule, nil
}

func (r Rule) ready() bool { return r.caps != nil }

// Capped reports whether requests from source s count under the monthly caps (SMP-3, SMP-11):
// every source but Collaboration Plus, which counts only under [Policy.CollabPlusCapped]. A
// [Ledger] reads it to fill [History].
func (r Rule) Capped(s Source) bool { return s != CollabPlus || r.p.CollabPlusCapped }
