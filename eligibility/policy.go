package eligibility

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Limits are one category's product-quality limits (ELG-3, ELG-4). A product passes a rule when its
// rate is strictly below the limit. The zero Limits (0%, which no rate is below) do not validate.
type Limits struct {
	NegativeReviewRate    affrules.Rate `json:"negative_review_rate_below"`     // ELG-3
	SellerFaultRefundRate affrules.Rate `json:"seller_fault_refund_rate_below"` // ELG-4
}

// Thresholds are the rules in force for a market from an instant on (ELG-10). The zero Thresholds
// (no window, no category) do not validate.
type Thresholds struct {
	CounterfeitWindowDays int                          `json:"counterfeit_window_days"` // ELG-1: 60
	MinStoreRating        decimal.Decimal              `json:"min_store_rating"`        // ELG-2: 2.5, inclusive
	MinReviews            int64                        `json:"min_reviews"`             // ELG-3 applies from this many reviews: 5
	MinRefundCases        int64                        `json:"min_refund_cases"`        // ELG-4 applies from this many return/refund cases: 5
	Categories            map[affrules.Category]Limits `json:"categories"`              // ELG-3, ELG-4, ELG-5
	// RefundRateOfCases divides ELG-4's seller-fault cases by the product's return/refund
	// cases instead of its orders (SPEC leaves ELG-4's denominator to interpretation); ELG-4
	// must then apply from at least one case (MinRefundCases ≥ 1), or a product without cases
	// would have no rate. Default false: by orders.
	RefundRateOfCases bool `json:"refund_rate_of_cases,omitempty" strict:"optional"`
	// MinRefundCasesSellerFault makes ELG-4's minimum count only the seller-fault cases
	// (Product.SellerFaultRefunds). Default false: every return/refund case counts, whatever
	// the fault (SPEC's reading of seed 002's "at least 5 return/refund cases").
	MinRefundCasesSellerFault bool `json:"min_refund_cases_seller_fault,omitempty" strict:"optional"`
	// ProductBanDisqualifiesShop makes a product frozen or delisted for a policy violation
	// disqualify its shop permanently, and with it every product of the shop (ELG-6, read as
	// seed 002's "you will be permanently banned"): the shop's own facts say so
	// (Shop.ProductBanned), and such a product's result has [ShopScope]. Default false: freezing
	// and delisting disqualify only the product.
	ProductBanDisqualifiesShop bool `json:"product_ban_disqualifies_shop,omitempty" strict:"optional"`
}

// Policy holds the eligibility thresholds by market, category and effective date (ELG-10): the
// default timeline is in force in every market; a timeline under Markets overrides it for one
// market from the override's first instant on (before that, the default still applies). It
// marshals to JSON as {"default": [...], "markets": {"TH": [...]}}.
//
// The zero Policy has no thresholds: [New] rejects it.
type Policy struct {
	// PerMarket's MarshalJSON is promoted, and its UnmarshalJSON does the decoding of Policy's
	// own (which names the package and the policy's fields in its errors): a field added beside
	// it needs JSON methods of Policy's own.
	affrules.PerMarket[Thresholds]
}

// UnmarshalJSON decodes {"default": [...], "markets": {...}} into p, as PerMarket does, its errors
// those of package eligibility naming the policy's fields ("policy.default[0].value…"). It checks
// the JSON's shape and each value's own rules only: [New] validates the policy, and
// [ParsePolicy] does both, reporting every problem at once and filling what is left out from
// [DefaultPolicy].
func (p *Policy) UnmarshalJSON(b []byte) error {
	return fielderr.Rebase(pkg, "per_market", "policy", p.PerMarket.UnmarshalJSON(b))
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
// window and the applicability minimums are the seed values. They are platform practice, not the
// seed documents' values, so [DefaultPolicy] does not apply them: a host that wants them adds them
// as an override, for example
//
//	p, err := eligibility.DefaultPolicy().WithOverride(affrules.TH, eligibility.ThaiGuideEffective(), eligibility.ThaiThresholds())
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

// ThaiGuideEffective returns when the Thai seller guide's values ([ThaiThresholds]) took effect:
// 2025-05-01 00:00 in Bangkok, the start of the month the guide was published.
func ThaiGuideEffective() time.Time { return thaiGuideEffective }

var thaiGuideEffective = func() time.Time {
	th, _ := affrules.LookupMarket(affrules.TH)
	return time.Date(2025, 5, 1, 0, 0, 0, 0, th.Location())
}()

// DefaultPolicy returns the seed thresholds ([SeedThresholds]) for every market from the
// beginning of time, with no market override (ELG-10: the seed values are the default for every
// market, Thailand included; see [ThaiThresholds] for the Thai guide's). Its Markets map is
// empty, not nil, so a host may add an override to it directly.
func DefaultPolicy() Policy {
	def, _ := affrules.NewTimeline(affrules.Effective[Thresholds]{Value: SeedThresholds()})
	return Policy{affrules.PerMarket[Thresholds]{Default: def, Markets: map[affrules.MarketCode]affrules.Timeline[Thresholds]{}}}
}

// WithOverride returns a copy of p in which t applies to market from instant from on. The new
// version must start after the market's existing overrides.
func (p Policy) WithOverride(market affrules.MarketCode, from time.Time, t Thresholds) (Policy, error) {
	pm, err := p.PerMarket.WithOverride(market, from, t)
	if err != nil {
		return Policy{}, fmt.Errorf("eligibility: override for %s: %w", market, err)
	}
	return Policy{pm}, nil
}

// ParsePolicy decodes policy JSON by the library's policy-loading rule (see the package doc: strict
// keys at any depth, every field inside a version required, a top-level setting left out keeping
// its [DefaultPolicy] value), then validates it as [Policy.Validate] does: every problem of the
// document itself at once (its keys, JSON types and values a type refuses to decode, such as a
// rate over 100%), then, for a document without any, every problem Validate finds at once. A
// version without "from" starts at the beginning of time.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}

// Validate reports every problem in p at once, joined: no default thresholds, an override for
// an unregistered market or with no versions, and, in every version, a counterfeit window
// outside 1–36500 days, a minimum store rating outside 0–5 or the library's decimal bounds (an
// exponent beyond ±28, more than 38 digits), applicability minimums below 1 (from 0 reviews or
// cases, a rule would apply to a product without orders, an error under ELG-5), no categories,
// a category key that no product's category could match as written (empty, not UTF-8 text,
// padded with spaces, or differing only in case from another: keys compare exactly), or a limit
// of 0% (which no rate can be strictly below).
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	if p.Default.Len() == 0 {
		l.Add("policy.default", "[]", "must have at least one version")
	}
	check := func(path string, tl affrules.Timeline[Thresholds]) {
		i := 0
		for from, t := range tl.All() {
			t.validate(l, fmt.Sprintf("%s[%d] (from %s)", path, i, from.Format(time.RFC3339Nano)))
			i++
		}
	}
	check("policy.default", p.Default)
	for _, m := range slices.Sorted(maps.Keys(p.Markets)) {
		if _, err := affrules.LookupMarket(m); err != nil {
			l.Add("policy.markets", m, "%w", affrules.ErrUnknownMarket)
			continue
		}
		if p.Markets[m].Len() == 0 {
			l.Add("policy.markets["+string(m)+"]", "[]", "must have at least one version; leave the market out to use the default")
		}
		check("policy.markets["+string(m)+"]", p.Markets[m])
	}
	return l.Err()
}

func (t Thresholds) validate(l *fielderr.List, path string) {
	switch {
	case t.CounterfeitWindowDays < 1:
		l.Add(path+".counterfeit_window_days", t.CounterfeitWindowDays, "must be at least 1")
	case t.CounterfeitWindowDays > maxWindowDays:
		l.Add(path+".counterfeit_window_days", t.CounterfeitWindowDays, "must be at most %d (100 years): %w", maxWindowDays, affrules.ErrOutOfRange)
	}
	// The library's decimal bounds before any comparison: a huge exponent would take minutes.
	if err := bounds.Decimal(pkg, path+".min_store_rating", t.MinStoreRating); err != nil {
		l.Append(err)
	} else if t.MinStoreRating.Sign() < 0 || t.MinStoreRating.GreaterThan(maxRating) {
		l.Add(path+".min_store_rating", t.MinStoreRating, "must be between 0 and 5: %w", affrules.ErrOutOfRange)
	}
	// ELG-3 and ELG-4 apply from at least one review or case: from none, they would apply to a
	// product without orders (or, under refund_rate_of_cases, without cases), whose rate is
	// undefined (ELG-5), and every new product would be an error.
	switch {
	case t.MinReviews < 0:
		l.Add(path+".min_reviews", t.MinReviews, "%w", affrules.ErrNegative)
	case t.MinReviews == 0:
		l.Add(path+".min_reviews", 0, "must be at least 1: ELG-3 would apply to a product without orders, whose rate is undefined (ELG-5)")
	}
	switch {
	case t.MinRefundCases < 0:
		l.Add(path+".min_refund_cases", t.MinRefundCases, "%w", affrules.ErrNegative)
	case t.MinRefundCases == 0:
		l.Add(path+".min_refund_cases", 0, "must be at least 1: ELG-4 would apply to a product without orders or cases, whose rate is undefined (ELG-5)")
	}
	if len(t.Categories) == 0 {
		l.Add(path+".categories", "{}", "must name at least one category")
	}
	keys := slices.Sorted(maps.Keys(t.Categories))
	bad := bounds.Categories(keys)
	for _, c := range keys {
		lim := t.Categories[c]
		if problem, ok := bad[c]; ok {
			l.Add(path+".categories", strconv.Quote(string(c)), "%s", problem)
		}
		if lim.NegativeReviewRate.IsZero() {
			l.Add(path+".categories["+string(c)+"].negative_review_rate_below", lim.NegativeReviewRate, "must be above 0%%: no rate is below 0%%")
		}
		if lim.SellerFaultRefundRate.IsZero() {
			l.Add(path+".categories["+string(c)+"].seller_fault_refund_rate_below", lim.SellerFaultRefundRate, "must be above 0%%: no rate is below 0%%")
		}
	}
}

// maxWindowDays bounds ELG-1's window well inside what a time.Duration can hold.
const maxWindowDays = 36500
