package collabplus

import (
	"errors"
	"slices"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

const pkg = "collabplus"

// ErrNoPolicy reports an [Evaluator] that was not built with [New].
var ErrNoPolicy = errors.New("collabplus: evaluator has no policy; build it with New")

// ErrNoCommission reports an [Evaluator] built without a commission evaluator.
var ErrNoCommission = errors.New("collabplus: a commission evaluator is required: its rate bounds (COM-9) and decrease delay (COM-10) apply to exclusive rates")

// Evaluator applies one validated [Policy] and the rate rules of one [commission.Evaluator]. It
// is pure and safe for concurrent use. Every method of the zero Evaluator (and of a nil
// *Evaluator) returns an error wrapping [ErrNoPolicy].
type Evaluator struct {
	policy Policy
	com    *commission.Evaluator
	rule   commission.OfferRule
	delay  time.Duration // COM-10's decrease delay, for CP-8's live Open rates; 0 for the rate in force only
	// removalPays: a removed Open listing pays a creator promoting it for the delay after
	// (commission's RemovalDelayed, CMP-7), so its rates are live for CP-8 until then
	removalPays bool
	// standardForShopAds: a shop-ads order a Collaboration Plus wins over Open earns its
	// standard rate where it sets no shop-ads rate (commission's ShopAdsFallback, with
	// COLLAB_PLUS ranked above OPEN for shop-ads orders), so CP-8 compares that standard rate
	// with Open's shop-ads rate too, under Policy.StandardAboveOpenShopAds
	standardForShopAds bool
	// markets holds the policy's markets as New found them registered (a registered market never
	// changes), so that no call copies one from the registry.
	markets map[affrules.MarketCode]affrules.Market
}

// New returns an evaluator applying policy p, with the rate rules of commission evaluator c,
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
	e := &Evaluator{policy: p.clone(), com: c, rule: cp.OfferRule(), markets: make(map[affrules.MarketCode]affrules.Market, len(p.Markets))}
	for _, code := range p.Markets {
		if mk, err := affrules.LookupMarket(code); err == nil { // Validate found each registered
			mk.Channels = nil // not read here
			e.markets[code] = mk
		}
	}
	// CP-8 under StandardAboveOpenShopAds: only where a shop-ads order a Collaboration Plus
	// wins over a ranked Open earns its standard rate (a source left out of the list never wins,
	// so an unranked Open pays no one its shop-ads rate).
	if plus, open := slices.Index(cp.ShopAdsPrecedence, commission.CollabPlus), slices.Index(cp.ShopAdsPrecedence, commission.Open); p.StandardAboveOpenShopAds && cp.ShopAdsFallback && plus >= 0 && open > plus {
		e.standardForShopAds = true
	}
	// CP-8 reads Open's live rates as COM-10 pays them, unless the policy compares with the
	// rate in force only.
	if slices.Contains(cp.DelayedSources, commission.Open) && !p.ExclusiveOverCurrentOpen {
		e.delay = affrules.Days(cp.DecreaseDelayDays)
		e.removalPays = cp.RemovalDelayed && e.delay > 0 // a removed listing still pays its promoters
	}
	return e, nil
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
	return e.policy.clone(), nil
}

func (e *Evaluator) ready() error {
	if e == nil || e.com == nil {
		return ErrNoPolicy
	}
	return nil
}

// clone returns a deep copy of p.
func (p Policy) clone() Policy {
	p.Markets = slices.Clone(p.Markets)
	p.OpenMarkets = slices.Clone(p.OpenMarkets)
	p.PaymentMethods = slices.Clone(p.PaymentMethods)
	p.TieBreaks = slices.Clone(p.TieBreaks)
	p.CancelReasons = slices.Clone(p.CancelReasons)
	p.ContentCreatorTasks = slices.Clone(p.ContentCreatorTasks)
	p.ChargeCurve = slices.Clone(p.ChargeCurve)
	if p.Recommended != nil {
		r := make(map[affrules.MarketCode]Recommendation, len(p.Recommended))
		for k, v := range p.Recommended {
			r[k] = v
		}
		p.Recommended = r
	}
	return p
}

// market returns market m if Collaboration Plus runs there.
func (e *Evaluator) market(m affrules.MarketCode) (affrules.Market, bool) {
	mk, ok := e.markets[m]
	return mk, ok
}
