package invitation

import (
	"errors"
	"slices"
	"strings"
	"unicode"

	"github.com/affrules/affrules"
)

const pkg = "invitation"

// ErrNoPolicy reports an [Evaluator] that was not built with [New].
var ErrNoPolicy = errors.New("invitation: evaluator has no policy; build it with New")

// Evaluator applies one validated [Policy] to invitations: the input rules
// ([Evaluator.Validate]: MKT-1, INV-1, INV-5..7, INV-12, INV-13) and, through [Evaluator.Send],
// the listing rule (INV-8, by the policy's eligibility.Listing), what the invitation shows
// (INV-13) and the policy's [Quota], which it hands to the [Ledger] on every reservation (INV-2..4), so
// that one policy governs both halves. It is safe for concurrent use. Build one with [New]; every
// method of the zero Evaluator (and of a nil *Evaluator) returns an error wrapping [ErrNoPolicy].
type Evaluator struct {
	policy  Policy
	offered string // the policy's markets, for messages: "UK, ID, MY, VN, TH, PH, SG" (MKT-1)
	// markets holds the input rules of every market registered when New ran, resolved once. A
	// market registered later is looked up in the registry on each call ([Evaluator.market]).
	markets map[affrules.MarketCode]*marketRules
	// spaceless holds the tables of the policy's spaceless scripts (INV-6).
	spaceless []*unicode.RangeTable
}

// marketRules is what the input rules need of one market under the policy (INV-1, INV-5).
type marketRules struct {
	code     affrules.MarketCode
	channels []affrules.Channel // the channels offered: the policy's override or the market's
	offered  string             // channels, for messages: "whatsapp, email, phone"
	nonPhone string             // the offered channels other than phone, for messages
}

func newMarketRules(p Policy, m affrules.Market) *marketRules {
	chans := p.channels(m)
	var other []affrules.Channel
	for _, c := range chans {
		if c != affrules.Phone {
			other = append(other, c)
		}
	}
	return &marketRules{code: m.Code, channels: chans, offered: listChannels(chans), nonPhone: listChannels(other)}
}

func listChannels(chans []affrules.Channel) string {
	s := make([]string, len(chans))
	for i, c := range chans {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// New returns an evaluator applying policy p, or every problem [Policy.Validate] finds in p. It
// resolves the input rules of every registered market once; build the evaluator after
// registering a host's own markets ([affrules.RegisterMarket]) to have theirs resolved too
// (a market registered later still works, looked up on each call).
func New(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Channels = cloneChannels(p.Channels)
	p.Markets = slices.Clone(p.Markets)
	p.SpacelessScripts = slices.Clone(p.SpacelessScripts)
	codes := make([]string, len(p.Markets))
	for i, m := range p.Markets {
		codes[i] = string(m)
	}
	e := &Evaluator{policy: p, offered: strings.Join(codes, ", "), markets: make(map[affrules.MarketCode]*marketRules), spaceless: scriptTables(p.SpacelessScripts)}
	for _, m := range affrules.Markets() {
		e.markets[m.Code] = newMarketRules(p, m)
	}
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

// cloneChannels copies the channel overrides, so that the caller changing its map later does not
// change the evaluator.
func cloneChannels(m map[affrules.MarketCode][]affrules.Channel) map[affrules.MarketCode][]affrules.Channel {
	if m == nil {
		return nil
	}
	out := make(map[affrules.MarketCode][]affrules.Channel, len(m))
	for k, v := range m {
		out[k] = append([]affrules.Channel(nil), v...)
	}
	return out
}

// ready returns ErrNoPolicy unless e was built by New.
func (e *Evaluator) ready() error {
	if e == nil || e.markets == nil {
		return ErrNoPolicy
	}
	return nil
}

// market returns the input rules of the registered market code, or nil if there is none.
func (e *Evaluator) market(code affrules.MarketCode) *marketRules {
	if r, ok := e.markets[code]; ok {
		return r
	}
	m, err := affrules.LookupMarket(code) // registered after New, or not at all
	if err != nil {
		return nil
	}
	return newMarketRules(e.policy, m)
}
