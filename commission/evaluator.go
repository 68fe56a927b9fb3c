package commission

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/codeindex"
	"github.com/affrules/affrules/internal/fielderr"
)

const pkg = "commission"

// ErrNoPolicy reports an [Evaluator] that was not built with [New].
var ErrNoPolicy = errors.New("commission: evaluator has no policy; build it with New")

// Evaluator applies one validated [Policy]: it prepares offers ([Evaluator.Prepare]), resolves
// which source pays an order line and at which rate ([Evaluator.Resolve], COM-3..6, COM-10..13)
// and computes the amounts ([Evaluator.Compute], COM-1, COM-7). It is safe for concurrent use.
// Build one with [New]; every method of the zero Evaluator (and of a nil *Evaluator) returns an
// error wrapping [ErrNoPolicy].
type Evaluator struct {
	policy  Policy
	rule    OfferRule
	ranks   [2][Partner + 1]int8 // [shop ads][source] → rank, lower wins; -1 not ranked
	delayed [Partner + 1]bool
	reset   [Partner + 1]bool
	delay   time.Duration
	// removalDelayed: an OPEN listing's removal is a decrease delayed like any (CMP-7,
	// Policy.RemovalDelayed, with OPEN's decreases delayed by a positive delay)
	removalDelayed bool
	markets        []affrules.Market // every market registered when New ran, by code
	// marketAt holds, for a two-letter code (codeindex.Of), 1 + the index of its market in
	// markets, 0 if it is not one of them
	marketAt [codeindex.Size]uint16
}

// New returns an evaluator applying policy p, or every problem [Policy.Validate] finds in p.
func New(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.clone()
	e := &Evaluator{policy: p, rule: p.OfferRule(), delay: affrules.Days(p.DecreaseDelayDays), markets: affrules.Markets()}
	for i, m := range e.markets {
		if k, ok := codeindex.Of(m.Code); ok && i < math.MaxUint16 {
			e.marketAt[k] = uint16(i + 1)
		}
	}
	for i, list := range [2][]Source{p.Precedence, p.ShopAdsPrecedence} {
		for s := range e.ranks[i] {
			e.ranks[i][s] = -1
		}
		for r, s := range list {
			e.ranks[i][s] = int8(r)
		}
	}
	for _, s := range p.DelayedSources {
		e.delayed[s] = true
	}
	for _, s := range p.ResetSources {
		e.reset[s] = true
	}
	e.removalDelayed = p.RemovalDelayed && e.delayed[Open] && e.delay > 0
	return e, nil
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
	if err := e.ready(); err != nil {
		return Policy{}, err
	}
	return e.policy.clone(), nil
}

// clone returns p with its own copies of the slices and maps it holds, so that an evaluator's
// policy and the caller's never share them.
func (p Policy) clone() Policy {
	p.Precedence = slices.Clone(p.Precedence)
	p.ShopAdsPrecedence = slices.Clone(p.ShopAdsPrecedence)
	p.DelayedSources = slices.Clone(p.DelayedSources)
	p.ResetSources = slices.Clone(p.ResetSources)
	p.SettlementDays = maps.Clone(p.SettlementDays)
	if p.Suggested != nil {
		s := make(map[affrules.MarketCode]map[affrules.Category]affrules.Rate, len(p.Suggested))
		for k, v := range p.Suggested {
			s[k] = maps.Clone(v)
		}
		p.Suggested = s
	}
	return p
}

func (e *Evaluator) ready() error {
	if e == nil || e.markets == nil {
		return ErrNoPolicy
	}
	return nil
}

// market returns the registered market code: one registered when New ran from the evaluator's
// copy (a two-letter code by array index, any other by a scan), one registered after New (or a
// two-letter one past marketAt's 65,534 entries) by lookup in the registry, which allocates.
func (e *Evaluator) market(code affrules.MarketCode) (*affrules.Market, bool) {
	if k, ok := codeindex.Of(code); ok {
		if i := e.marketAt[k]; i != 0 {
			return &e.markets[i-1], true
		}
	} else {
		for i := range e.markets {
			if e.markets[i].Code == code {
				return &e.markets[i], true
			}
		}
	}
	m, err := affrules.LookupMarket(code)
	return &m, err == nil
}

// Advise returns the COM-14 advisory for rate r of a product of category c in market m: a
// non-blocking reason (kind NotApplicable) and true when r is below the suggested rate the
// policy holds for them, and false otherwise. It never refuses a rate; an unknown market is an
// error wrapping [affrules.ErrUnknownMarket].
func (e *Evaluator) Advise(m affrules.MarketCode, c affrules.Category, r affrules.Rate) (affrules.Reason, bool, error) {
	if err := e.ready(); err != nil {
		return affrules.Reason{}, false, err
	}
	if _, ok := e.market(m); !ok {
		return affrules.Reason{}, false, fielderr.New(pkg, "market", strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
	}
	reason, ok := e.advise(m, c, r)
	return reason, ok, nil
}

func (e *Evaluator) advise(m affrules.MarketCode, c affrules.Category, r affrules.Rate) (affrules.Reason, bool) {
	s, ok := e.policy.Suggested[m][c]
	if !ok || r.Cmp(s) >= 0 {
		return affrules.Reason{}, false
	}
	return affrules.Reason{Rule: RuleSuggested, Kind: affrules.NotApplicable, Key: keyBelowSuggested,
		Observed: affrules.RateOf(r), Limit: affrules.RateOf(s), Subject: string(c)}, true
}
