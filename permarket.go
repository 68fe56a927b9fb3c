package affrules

import (
	"maps"
	"slices"
	"time"
)

// PerMarket is effective-dated data with per-market overrides (ELG-10, COM-3): Default is in
// force in every market; a timeline in Markets overrides it for one market from that timeline's
// first instant on, and before that instant Default is in force there too. The zero PerMarket has
// nothing in force anywhere.
//
// It marshals to JSON as {"default": [...], "markets": {"TH": [...]}}.
type PerMarket[T any] struct {
	Default Timeline[T]                `json:"default"`
	Markets map[MarketCode]Timeline[T] `json:"markets,omitempty"`
}

// At returns the value in force in market m at instant at, and false if nothing is.
func (p PerMarket[T]) At(m MarketCode, at time.Time) (T, bool) {
	if o, ok := p.Markets[m]; ok && o.Len() > 0 && !at.Before(o.entries[0].From) {
		return o.At(at)
	}
	return p.Default.At(at)
}

// For returns the timeline in force in market m: Default's entries before the override's first
// instant, then the override's.
func (p PerMarket[T]) For(m MarketCode) Timeline[T] {
	o, ok := p.Markets[m]
	if !ok || o.Len() == 0 {
		return p.Default
	}
	first := o.entries[0].From
	var out []Effective[T]
	for _, e := range p.Default.entries {
		if e.From.Before(first) {
			out = append(out, e)
		}
	}
	return Timeline[T]{entries: append(out, o.entries...)}
}

// WithOverride returns a copy of p in which v is in force in market m from instant from on; from
// must be after the market's existing override entries.
func (p PerMarket[T]) WithOverride(m MarketCode, from time.Time, v T) (PerMarket[T], error) {
	tl, err := p.Markets[m].With(Effective[T]{From: from, Value: v})
	if err != nil {
		return PerMarket[T]{}, err
	}
	out := PerMarket[T]{Default: p.Default, Markets: maps.Clone(p.Markets)}
	if out.Markets == nil {
		out.Markets = map[MarketCode]Timeline[T]{}
	}
	out.Markets[m] = tl
	return out, nil
}

// Overridden returns the codes of the markets with an override, sorted.
func (p PerMarket[T]) Overridden() []MarketCode {
	return slices.Sorted(maps.Keys(p.Markets))
}
