package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
)

// Limits are one category's product-quality limits (ELG-3, ELG-4). A product passes a rule when its
// rate is strictly below the limit.
type Limits struct {
	NegativeReviewRate    affrules.Rate `json:"negative_review_rate_below"`     // ELG-3
	SellerFaultRefundRate affrules.Rate `json:"seller_fault_refund_rate_below"` // ELG-4
}

// Thresholds are the rules in force for a market from an instant on (ELG-10).
type Thresholds struct {
	CounterfeitWindowDays int                          `json:"counterfeit_window_days"` // ELG-1: 60
	MinStoreRating        decimal.Decimal              `json:"min_store_rating"`        // ELG-2: 2.5, inclusive
	MinReviews            int64                        `json:"min_reviews"`             // ELG-3 applies from this many reviews: 5
	MinRefundCases        int64                        `json:"min_refund_cases"`        // ELG-4 applies from this many return/refund cases: 5
	Categories            map[affrules.Category]Limits `json:"categories"`              // ELG-3, ELG-4, ELG-5
}

// Policy holds the eligibility thresholds by market, category and effective date (ELG-10).
// Default applies to every market; an entry in Markets overrides it for one market from the
// override's first instant on (before that, Default still applies).
//
// The zero Policy has no thresholds: [New] rejects it.
type Policy struct {
	Default affrules.Timeline[Thresholds]                         `json:"default"`
	Markets map[affrules.MarketCode]affrules.Timeline[Thresholds] `json:"markets,omitempty"`
}

// SeedThresholds returns the limits of the seed documents: no counterfeit violation within 60
// days, store rating at least 2.5, and negative-review and seller-fault refund limits for
// Electronics (1%, 2%), Fashion and Lifestyle (0.7%, 1.8%) and FMCG (0.6%, 1.5%), each applying
// from 5 reviews or 5 return/refund cases.
func SeedThresholds() Thresholds {
	r := affrules.MustParseRate
	return Thresholds{
		CounterfeitWindowDays: 60,
		MinStoreRating:        decimal.RequireFromString("2.5"),
		MinReviews:            5,
		MinRefundCases:        5,
		Categories: map[affrules.Category]Limits{
			affrules.Electronics: {NegativeReviewRate: r("1%"), SellerFaultRefundRate: r("2%")},
			affrules.Fashion:     {NegativeReviewRate: r("0.7%"), SellerFaultRefundRate: r("1.8%")},
			affrules.Lifestyle:   {NegativeReviewRate: r("0.7%"), SellerFaultRefundRate: r("1.8%")},
			affrules.FMCG:        {NegativeReviewRate: r("0.6%"), SellerFaultRefundRate: r("1.5%")},
		},
	}
}

// ThaiThresholds returns the limits published by the Thai seller guide of May 2025 (ELG-10): store
// rating at least 3; negative-review rate below 1.3% (Electronics), 0.8% (Fashion, FMCG), 0.7%
// (Lifestyle); seller-fault refund rate below 2%, 1.8%, 1.8%, 1.5% respectively. The counterfeit
// window and the applicability minimums are the seed values.
func ThaiThresholds() Thresholds {
	r := affrules.MustParseRate
	t := SeedThresholds()
	t.MinStoreRating = decimal.NewFromInt(3)
	t.Categories = map[affrules.Category]Limits{
		affrules.Electronics: {NegativeReviewRate: r("1.3%"), SellerFaultRefundRate: r("2%")},
		affrules.Fashion:     {NegativeReviewRate: r("0.8%"), SellerFaultRefundRate: r("1.8%")},
		affrules.FMCG:        {NegativeReviewRate: r("0.8%"), SellerFaultRefundRate: r("1.8%")},
		affrules.Lifestyle:   {NegativeReviewRate: r("0.7%"), SellerFaultRefundRate: r("1.5%")},
	}
	return t
}

// ThaiGuideEffective returns when [ThaiThresholds] take effect in the shipped override:
// 2025-05-01 00:00 in Bangkok, the start of the month the guide was published.
func ThaiGuideEffective() time.Time { return thaiGuideEffective }

var thaiGuideEffective = func() time.Time {
	th, _ := affrules.LookupMarket(affrules.TH)
	return time.Date(2025, 5, 1, 0, 0, 0, 0, th.Location())
}()

// DefaultPolicy returns the seed thresholds for every market from the beginning of time, with
// the Thai seller guide's values as an override for TH from [ThaiGuideEffective] on (ELG-10).
func DefaultPolicy() Policy {
	def, _ := affrules.NewTimeline(affrules.Effective[Thresholds]{Value: SeedThresholds()})
	p := Policy{Default: def}
	p, _ = p.WithOverride(affrules.TH, thaiGuideEffective, ThaiThresholds())
	return p
}

// WithOverride returns a copy of p in which t applies to market from instant from on. The new
// version must start after the market's existing overrides.
func (p Policy) WithOverride(market affrules.MarketCode, from time.Time, t Thresholds) (Policy, error) {
	tl, err := p.Markets[market].With(affrules.Effective[Thresholds]{From: from, Value: t})
	if err != nil {
		return Policy{}, fmt.Errorf("eligibility: override for %s: %w", market, err)
	}
	out := Policy{Default: p.Default, Markets: maps.Clone(p.Markets)}
	if out.Markets == nil {
		out.Markets = map[affrules.MarketCode]affrules.Timeline[Thresholds]{}
	}
	out.Markets[market] = tl
	return out, nil
}

// ParsePolicy decodes a policy from JSON and validates it as [Policy.Validate] does. It is
// stricter than encoding/json: unknown fields, keys that match a field only when case is
// ignored, keys given twice, a version without "value" and thresholds that leave out any of
// their five fields are errors (left out, a field would silently be zero: a missing
// min_store_rating would pass every shop). A version without "from" starts at the beginning of
// time. Every problem found once the JSON has decoded is reported at once.
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := strictjson.Decode(data, &p); err != nil {
		return Policy{}, fmt.Errorf("eligibility: policy JSON: %w", err)
	}
	errs := checkShape(data)
	if err := p.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// checkShape reports what encoding/json lets through in policy JSON that decoded: a key that
// matches a field only case-insensitively, a key given twice (the last would silently win), and
// a required field left out. data must be valid JSON.
func checkShape(data []byte) []error {
	var c shapeChecker
	version := func(path string, raw json.RawMessage) {
		c.object(raw, path, []string{"from", "value"}, []string{"value"}, func(key string, raw json.RawMessage) {
			if key != "value" {
				return
			}
			c.object(raw, path+".value", thresholdFields, thresholdFields, func(key string, raw json.RawMessage) {
				if key != "categories" {
					return
				}
				c.object(raw, path+".value.categories", nil, nil, func(cat string, raw json.RawMessage) {
					c.object(raw, path+".value.categories["+cat+"]", limitFields, nil, nil)
				})
			})
		})
	}
	timeline := func(path string, raw json.RawMessage) {
		i := 0
		for v := range strictjson.Elements(raw) { // the decode has judged anything but an array or null
			version(path+"["+strconv.Itoa(i)+"]", v)
			i++
		}
	}
	c.object(data, "policy", []string{"default", "markets"}, []string{"default"}, func(key string, raw json.RawMessage) {
		switch key {
		case "default":
			timeline("policy.default", raw)
		case "markets":
			c.object(raw, "policy.markets", nil, nil, func(m string, raw json.RawMessage) {
				timeline("policy.markets["+m+"]", raw)
			})
		}
	})
	return c.errs
}

var (
	thresholdFields = []string{"counterfeit_window_days", "min_store_rating", "min_reviews", "min_refund_cases", "categories"}
	limitFields     = []string{"negative_review_rate_below", "seller_fault_refund_rate_below"}
)

type shapeChecker struct{ errs []error }

// object checks the JSON object raw at path: each key at most once, each key exactly one of
// fields (any key if fields is nil), and every key of required present. It calls each, if not
// nil, for every key that passes. A raw that is not an object (null) is left alone.
func (c *shapeChecker) object(raw json.RawMessage, path string, fields, required []string, each func(string, json.RawMessage)) {
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return
	}
	seen := map[string]bool{}
	for key, v := range strictjson.Members(raw) {
		switch {
		case seen[key]:
			c.errs = append(c.errs, affrules.Errorf("eligibility", path, strconv.Quote(key), "key is given twice; the first value would be silently dropped"))
			continue
		case fields != nil && !slices.Contains(fields, key):
			c.errs = append(c.errs, affrules.Errorf("eligibility", path, strconv.Quote(key), "is not a field (keys are case-sensitive; want one of %s)", strings.Join(fields, ", ")))
			continue
		}
		seen[key] = true
		if each != nil {
			each(key, v)
		}
	}
	for _, f := range required {
		if !seen[f] {
			c.errs = append(c.errs, affrules.Errorf("eligibility", path+"."+f, "(absent)", "is required: left out it would silently be zero"))
		}
	}
}

// Validate reports every problem in p at once, joined: no default thresholds, an override for
// an unregistered market or with no versions, and, in every version, a counterfeit window
// outside 1–36500 days, a minimum store rating outside 0–5, negative applicability minimums, no
// categories, an empty category key, or a limit of 0% (which no rate can be strictly below).
func (p Policy) Validate() error {
	var errs []error
	if p.Default.Len() == 0 {
		errs = append(errs, affrules.Errorf("eligibility", "policy.default", "[]", "must have at least one version"))
	}
	check := func(path string, tl affrules.Timeline[Thresholds]) {
		i := 0
		for from, t := range tl.All() {
			errs = append(errs, t.validate(fmt.Sprintf("%s[%d] (from %s)", path, i, from.Format(time.RFC3339)))...)
			i++
		}
	}
	check("policy.default", p.Default)
	for _, m := range slices.Sorted(maps.Keys(p.Markets)) {
		if _, err := affrules.LookupMarket(m); err != nil {
			errs = append(errs, affrules.Errorf("eligibility", "policy.markets", m, "%w", affrules.ErrUnknownMarket))
			continue
		}
		if p.Markets[m].Len() == 0 {
			errs = append(errs, affrules.Errorf("eligibility", "policy.markets["+string(m)+"]", "[]", "must have at least one version; leave the market out to use the default"))
		}
		check("policy.markets["+string(m)+"]", p.Markets[m])
	}
	return errors.Join(errs...)
}

func (t Thresholds) validate(path string) []error {
	var errs []error
	switch {
	case t.CounterfeitWindowDays < 1:
		errs = append(errs, affrules.Errorf("eligibility", path+".counterfeit_window_days", t.CounterfeitWindowDays, "must be at least 1"))
	case t.CounterfeitWindowDays > maxWindowDays:
		errs = append(errs, affrules.Errorf("eligibility", path+".counterfeit_window_days", t.CounterfeitWindowDays, "must be at most %d (100 years): %w", maxWindowDays, affrules.ErrOutOfRange))
	}
	if t.MinStoreRating.Sign() < 0 || t.MinStoreRating.GreaterThan(maxRating) {
		errs = append(errs, affrules.Errorf("eligibility", path+".min_store_rating", t.MinStoreRating, "must be between 0 and 5: %w", affrules.ErrOutOfRange))
	}
	if t.MinReviews < 0 {
		errs = append(errs, affrules.Errorf("eligibility", path+".min_reviews", t.MinReviews, "%w", affrules.ErrNegative))
	}
	if t.MinRefundCases < 0 {
		errs = append(errs, affrules.Errorf("eligibility", path+".min_refund_cases", t.MinRefundCases, "%w", affrules.ErrNegative))
	}
	if len(t.Categories) == 0 {
		errs = append(errs, affrules.Errorf("eligibility", path+".categories", "{}", "must name at least one category"))
	}
	for _, c := range slices.Sorted(maps.Keys(t.Categories)) {
		l := t.Categories[c]
		if c == "" {
			errs = append(errs, affrules.Errorf("eligibility", path+".categories", `""`, "category key must not be empty"))
		}
		if l.NegativeReviewRate.IsZero() {
			errs = append(errs, affrules.Errorf("eligibility", path+".categories["+string(c)+"].negative_review_rate_below", l.NegativeReviewRate, "must be above 0%%: no rate is below 0%%"))
		}
		if l.SellerFaultRefundRate.IsZero() {
			errs = append(errs, affrules.Errorf("eligibility", path+".categories["+string(c)+"].seller_fault_refund_rate_below", l.SellerFaultRefundRate, "must be above 0%%: no rate is below 0%%"))
		}
	}
	return errs
}

var maxRating = decimal.NewFromInt(5)

// maxWindowDays bounds ELG-1's window well inside what a time.Duration can hold.
const maxWindowDays = 36500
