package commission

import (
	"slices"
	"sort"
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Policy is the policy data of SPEC §4. Its defaults come from [DefaultPolicy]; a host changes
// them through JSON ([ParsePolicy]) or a struct literal, checks the result with
// [Policy.Validate], and builds an [Evaluator] from it with [New].
//
// The zero Policy is invalid: [New] refuses it (no precedence, no rate bounds, no settlement
// periods).
type Policy struct {
	// Precedence ranks the sources for an ordinary order, highest first (COM-5). Default
	// COLLAB_PLUS, PARTNER, TARGET, OPEN. A source left out never wins such an order.
	Precedence []Source `json:"precedence"`
	// ShopAdsPrecedence ranks the sources for an order through shop ads (COM-5). Default
	// COLLAB_PLUS, PARTNER, TARGET, OPEN: the catalog's PARTNER > TARGET > OPEN, with a
	// Collaboration Plus, which may set a shop-ads rate of its own (seed 003), first as in
	// Precedence.
	ShopAdsPrecedence []Source `json:"shop_ads_precedence"`
	// ShopAdsFallback lets a shop-ads order whose winning offer has no shop-ads rate earn that
	// offer's standard rate (COM-5, platform practice). Default true; false makes an offer
	// without a shop-ads rate in force for the order not apply to shop-ads orders, so the
	// next-ranked offer with one wins, or, with none, nothing is earned.
	ShopAdsFallback bool `json:"shop_ads_fallback"`
	// UnauthorisedAdsStandard lets a shop-ads order whose video the creator did not authorise
	// for ads be judged as an ordinary order, at standard rates (COM-6). Default true; false
	// earns nothing on it.
	UnauthorisedAdsStandard bool `json:"unauthorised_ads_standard"`
	// MinRate and MaxRate bound every configured rate (COM-9). Defaults 1% and 80%.
	MinRate affrules.Rate `json:"min_rate"`
	MaxRate affrules.Rate `json:"max_rate"`
	// DecreaseDelayDays is how long, in 24-hour days, a rate decrease takes to reach creators
	// already promoting the product (COM-10). Default 30; 0 applies decreases at once.
	DecreaseDelayDays int `json:"decrease_delay_days"`
	// DelayedSources are the sources whose decreases are delayed (COM-10). Default OPEN.
	DelayedSources []Source `json:"delayed_sources"`
	// ResetSources are the sources whose end makes a returning member a new promoter of the
	// product from the end instant (COM-10, COM-3). Default COLLAB_PLUS; adding TARGET or
	// PARTNER resets on their ends too.
	ResetSources []Source `json:"reset_sources"`
	// RemovalDelayed makes a product's removal from Open Collaboration (its OPEN offer's period
	// ending, CMP-7) a decrease to nothing, delayed as COM-10 delays any when OPEN is among
	// DelayedSources: a creator promoting the product since before the removal is still paid,
	// until the removal is DecreaseDelayDays old, the highest rate the listing paid in the delay
	// before the order, as if it ran on at its last rate. Default false: orders from the
	// removal instant earn no Open rate. It may not be set with OPEN among ResetSources, which
	// makes the end of an OPEN offer a return from which a creator is a new promoter.
	RemovalDelayed bool `json:"removal_delayed"`
	// RequireExclusiveRate refuses a Collaboration Plus offer without a rate (COM-4's
	// alternative). Default false: the Open rate applies.
	RequireExclusiveRate bool `json:"require_exclusive_rate"`
	// TaxInBase keeps the tax in the commission base (COM-1), which is then what the buyer paid
	// (the price less both coupons, as seed 002's "a percentage of the sale price" reads; plus
	// the platform coupon with PlatformCouponInBase). Default
	// false: the tax comes off too (platform practice). The seller coupon always comes off, and
	// shipping counts only with ShippingInBase.
	TaxInBase bool `json:"tax_in_base"`
	// PlatformCouponInBase keeps the platform coupon in the commission base (COM-1): the
	// platform funds it, so the creator is paid as if the buyer had paid it too, and the base
	// may then exceed what the buyer paid. Default false: the platform coupon comes off, as the
	// seller coupon always does. A refund still shrinks the commission in proportion to what the
	// buyer paid (COM-8), so a line the platform paid in full earns its commission whole and
	// takes no refund (but of its shipping, where ShippingInBase counts it).
	PlatformCouponInBase bool `json:"platform_coupon_in_base"`
	// ShippingInBase adds the line's shipping to the commission base (COM-1). Default false:
	// shipping is excluded, and stated beside the base. The base may then exceed the price; the
	// record opened carries the shipping ([Record].Shipping), and refunds reach it as they reach
	// what the buyer paid, the commission falling in proportion (COM-8).
	ShippingInBase bool `json:"shipping_in_base"`
	// Rounding is how commission is rounded to the market's minor unit (MKT-4). Default
	// half_up.
	Rounding affrules.RoundingMode `json:"rounding"`
	// SettlementDays is the settlement period per seller type, in 24-hour days (COM-8).
	// Default standard 7, trusted 3, new 15.
	SettlementDays map[string]int `json:"settlement_days"`
	// Suggested holds the suggested rates per market and category (COM-14); a rate below one
	// yields an advisory reason, never a refusal. Default none.
	Suggested map[affrules.MarketCode]map[affrules.Category]affrules.Rate `json:"suggested,omitempty"`
}

// DefaultPolicy returns the catalog's values (SPEC §4).
func DefaultPolicy() Policy {
	order := []Source{CollabPlus, Partner, Target, Open}
	return Policy{
		Precedence:              order,
		ShopAdsPrecedence:       slices.Clone(order),
		ShopAdsFallback:         true,
		UnauthorisedAdsStandard: true,
		MinRate:                 affrules.MustParseRate("1%"),
		MaxRate:                 affrules.MustParseRate("80%"),
		DecreaseDelayDays:       30,
		DelayedSources:          []Source{Open},
		ResetSources:            []Source{CollabPlus},
		Rounding:                affrules.HalfUp,
		SettlementDays:          map[string]int{"standard": 7, "trusted": 3, "new": 15},
	}
}

// OfferRule returns the rule offers are checked by under p.
func (p Policy) OfferRule() OfferRule {
	r := OfferRule{MinRate: p.MinRate, MaxRate: p.MaxRate, RequireExclusiveRate: p.RequireExclusiveRate, NoShopAdsFallback: !p.ShopAdsFallback}
	if slices.Contains(p.DelayedSources, Open) {
		r.RelistDelay = affrules.Days(p.DecreaseDelayDays)
	}
	return r
}

// Settlement returns the settlement rule of p (COM-8).
func (p Policy) Settlement() Settlement {
	s := Settlement{Rounding: p.Rounding, Days: make(map[string]int, len(p.SettlementDays))}
	for k, v := range p.SettlementDays {
		s.Days[k] = v
	}
	return s
}

// Validate reports every problem of the policy at once, each an [*affrules.FieldError] naming the
// field and its value: an empty precedence list, an unknown or repeated source in a list; a
// min_rate not above 0% (COM-9), a max_rate above 100%, or bounds inverted; a delay outside
// 0–3650 days; removal_delayed with OPEN among reset_sources; an unknown rounding mode; no
// settlement period, an empty seller type or a period outside 0–3650 days; a suggested rate for
// an unregistered market, for a category key no order's category could match as written (empty,
// not UTF-8 text, padded with spaces, or differing only in case from another of its market), or
// outside min_rate–max_rate ("0%" included).
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	sources := func(field string, list []Source, required bool) {
		if required && len(list) == 0 {
			l.Add(field, "[]", "must rank at least one source (COM-5)")
		}
		for i, s := range list {
			f := field + "[" + strconv.Itoa(i) + "]"
			if !s.IsValid() {
				l.Add(f, int(s), "must be one of OPEN, TARGET, COLLAB_PLUS, PARTNER: %w", affrules.ErrOutOfRange)
			} else if slices.Contains(list[:i], s) {
				l.Add(f, s, "is listed twice")
			}
		}
	}
	sources("policy.precedence", p.Precedence, true)
	sources("policy.shop_ads_precedence", p.ShopAdsPrecedence, true)
	sources("policy.delayed_sources", p.DelayedSources, false)
	sources("policy.reset_sources", p.ResetSources, false)
	if p.RemovalDelayed && slices.Contains(p.ResetSources, Open) {
		l.Add("policy.removal_delayed", true, "must not be set with OPEN among reset_sources: a removal would both keep paying a creator already promoting the product and make them a new promoter (CMP-7, COM-10)")
	}
	if p.MinRate.IsZero() {
		l.Add("policy.min_rate", p.MinRate, "must be above 0%% (COM-9): %w", affrules.ErrOutOfRange)
	}
	if p.MaxRate.Cmp(p.MinRate) < 0 {
		l.Add("policy.max_rate", p.MaxRate, "must not be below min_rate %s (COM-9): %w", p.MinRate, affrules.ErrOutOfRange)
	}
	if p.DecreaseDelayDays < 0 || p.DecreaseDelayDays > 3650 {
		l.Add("policy.decrease_delay_days", p.DecreaseDelayDays, "must be between 0 and 3650 (COM-10): %w", affrules.ErrOutOfRange)
	}
	if _, err := p.Rounding.MarshalText(); err != nil {
		l.Add("policy.rounding", int(p.Rounding), "must be half_up, half_even or down: %w", affrules.ErrOutOfRange)
	}
	l.Append(p.Settlement().validate("policy.settlement_days"))
	markets := make([]string, 0, len(p.Suggested))
	for m := range p.Suggested {
		markets = append(markets, string(m))
	}
	sort.Strings(markets)
	for _, m := range markets {
		f := "policy.suggested[" + m + "]"
		if _, err := affrules.LookupMarket(affrules.MarketCode(m)); err != nil {
			l.Add(f, strconv.Quote(m), "%w", affrules.ErrUnknownMarket)
		}
		cats := make([]string, 0, len(p.Suggested[affrules.MarketCode(m)]))
		for c := range p.Suggested[affrules.MarketCode(m)] {
			cats = append(cats, string(c))
		}
		sort.Strings(cats)
		bad := bounds.Categories(cats)
		for _, c := range cats {
			r := p.Suggested[affrules.MarketCode(m)][affrules.Category(c)]
			if problem, ok := bad[c]; c == "" {
				l.Add(f+"[]", r, "category must not be empty")
			} else if ok {
				l.Add(f, strconv.Quote(c), "%s", problem)
			} else if r.Cmp(p.MinRate) < 0 || r.Cmp(p.MaxRate) > 0 {
				l.Add(f+"["+c+"]", r, "must be between min_rate %s and max_rate %s (COM-9, COM-14): %w", p.MinRate, p.MaxRate, affrules.ErrOutOfRange)
			}
		}
	}
	return l.Err()
}

// ParsePolicy decodes a JSON policy object and validates it, each problem an
// [*affrules.FieldError] naming its path under "policy": every problem of the document itself at
// once (keys, JSON types, and values a type refuses to decode, such as an unknown source name or
// a rate over 100%), then, for a document without any, every problem [Policy.Validate] finds at
// once. It follows the library's one policy-loading rule: keys that name no field, that name one
// only when case is ignored, or that are given twice are errors at any depth; a top-level setting
// left out keeps its [DefaultPolicy] value, and so does one given as null, except a list or map,
// which null makes nil (as encoding/json writes a nil one, so a policy reads back from its own
// JSON). A document that is not one JSON object is a single error.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}
