package affrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules/internal/strictjson"
)

// PerMarket is effective-dated data with per-market overrides (ELG-10, COM-3): Default is in
// force in every market; a timeline in Markets overrides it for one market from that timeline's
// first instant on, and before that instant Default is in force there too. The zero PerMarket has
// nothing in force anywhere.
//
// It marshals to JSON as {"default": [...], "markets": {"TH": [...]}}, and decodes from it
// strictly (see [PerMarket.UnmarshalJSON]).
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

// WithOverride returns a copy of p in which v is in force in market m from instant from on; m
// must be registered ([ErrUnknownMarket]) and from after the market's existing override entries.
func (p PerMarket[T]) WithOverride(m MarketCode, from time.Time, v T) (PerMarket[T], error) {
	if _, err := LookupMarket(m); err != nil {
		return PerMarket[T]{}, fieldErrorf("market", strconv.Quote(string(m)), "%w", ErrUnknownMarket)
	}
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

// perMarketJSON is a PerMarket's JSON form: the same fields, without PerMarket's methods.
type perMarketJSON[T any] struct {
	Default Timeline[T]                `json:"default"`
	Markets map[MarketCode]Timeline[T] `json:"markets,omitempty"`
}

// JSONShape returns the type a PerMarket's JSON takes, for the policy loaders' checks of its
// members' paths.
func (PerMarket[T]) JSONShape() any { return perMarketJSON[T]{} }

// UnmarshalJSON decodes {"default": [...], "markets": {"TH": [...]}} into p, each timeline as
// [Timeline.UnmarshalJSON] does. A key other than default and markets (a misspelt "defualt"
// would leave nothing in force, silently), one written in another case, and a key or a market
// given twice are errors, and leave p as it was. Whether each market is registered is left to
// the policy's Validate, which reports it with every other problem of the policy. A key left out
// keeps p's value; default given as null is an empty timeline and markets given as null a nil
// map, as the library's policy loaders read a list or map given as null (so a policy's Validate
// refuses a null default as it refuses []); null for the whole leaves p as it was, as
// encoding/json does.
func (p *PerMarket[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if !json.Valid(b) || len(b) == 0 || b[0] != '{' {
		return fieldErrorf("per_market", shortJSON(b), "must be an object of default and markets")
	}
	out := PerMarket[T]{Default: p.Default, Markets: p.Markets}
	seen := map[string]bool{}
	for key, v := range strictjson.Members(b) {
		switch {
		case seen[key]:
			return fieldErrorf("per_market", strconv.Quote(key), "key is given twice; the first value would be silently dropped")
		case key == "default":
			if string(bytes.TrimSpace(v)) == "null" {
				out.Default = Timeline[T]{} // a list given as null is empty, as the policy loaders read one
				break
			}
			var tl Timeline[T]
			if err := json.Unmarshal(v, &tl); err != nil {
				return timelineError(err, "per_market.default", v)
			}
			out.Default = tl
		case key == "markets":
			ms, err := decodeMarkets[T](v)
			if err != nil {
				return err
			}
			out.Markets = ms
		case strings.EqualFold(key, "default") || strings.EqualFold(key, "markets"):
			return fieldErrorf("per_market", strconv.Quote(key), "is not a field: keys are case-sensitive (default, markets)")
		default:
			return fieldErrorf("per_market", strconv.Quote(key), "is not a field (default, markets)")
		}
		seen[key] = true
	}
	*p = out
	return nil
}

// decodeMarkets decodes a PerMarket's "markets" member: null is a nil map; each market must be
// given once.
func decodeMarkets[T any](v []byte) (map[MarketCode]Timeline[T], error) {
	v = bytes.TrimSpace(v)
	if string(v) == "null" {
		return nil, nil
	}
	if len(v) == 0 || v[0] != '{' {
		return nil, fieldErrorf("per_market.markets", shortJSON(v), "must be an object of market codes and timelines")
	}
	out := map[MarketCode]Timeline[T]{}
	for code, tv := range strictjson.Members(v) {
		m := MarketCode(code)
		if _, dup := out[m]; dup {
			return nil, fieldErrorf("per_market.markets", strconv.Quote(code), "is given twice; the first timeline would be silently dropped")
		}
		var tl Timeline[T]
		if err := json.Unmarshal(tv, &tl); err != nil {
			return nil, timelineError(err, "per_market.markets["+code+"]", tv)
		}
		out[m] = tl
	}
	return out, nil
}

// timelineError is the error of decoding the timeline at field (its JSON v): the timeline's own
// error with its path from field on.
func timelineError(err error, field string, v []byte) error {
	var fe *FieldError
	if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "timeline") {
		return rebaseField(err, "timeline", field)
	}
	return fieldErrorf(field, shortJSON(v), "%w", err)
}

// shortJSON is b for an error message, cut after 60 bytes.
func shortJSON(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
