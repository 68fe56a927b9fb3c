package eligibility

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
)

// Rule IDs of SPEC §2.
const (
	RuleCounterfeit    affrules.RuleID = "ELG-1"
	RuleStoreRating    affrules.RuleID = "ELG-2"
	RuleNegativeReview affrules.RuleID = "ELG-3"
	RuleSellerRefund   affrules.RuleID = "ELG-4"
	RulePermanent      affrules.RuleID = "ELG-6"
	RuleCampaigns      affrules.RuleID = "ELG-9"
)

// Shop is what the daily run knows about a shop (ELG-1, ELG-2, ELG-6).
type Shop struct {
	ID                       string              `json:"id"`
	Market                   affrules.MarketCode `json:"market"`
	StoreRating              decimal.Decimal     `json:"store_rating"`                        // 0–5
	LastCounterfeitViolation time.Time           `json:"last_counterfeit_violation,omitzero"` // zero if none
	Deactivated              bool                `json:"deactivated,omitempty"`               // seller account deactivated
	Previous                 State               `json:"previous,omitempty"`                  // state recorded by the last run
}

// Product is what the daily run knows about a product (ELG-3..6). Counts cover the window the host
// chooses; all must be non-negative.
type Product struct {
	ID                   string              `json:"id"`
	ShopID               string              `json:"shop_id"`
	Market               affrules.MarketCode `json:"market"`
	Category             affrules.Category   `json:"category"`
	Orders               int64               `json:"orders"`
	Reviews              int64               `json:"reviews"`                // reviews received (ELG-3 applicability)
	NegativeReviewOrders int64               `json:"negative_review_orders"` // orders with a negative product review
	RefundCases          int64               `json:"refund_cases"`           // return/refund cases whatever the fault (ELG-4 applicability)
	SellerFaultRefunds   int64               `json:"seller_fault_refunds"`   // of which the seller was at fault
	Frozen               bool                `json:"frozen,omitempty"`       // frozen for a policy violation
	Delisted             bool                `json:"delisted,omitempty"`     // delisted for a policy violation
	Previous             State               `json:"previous,omitempty"`     // state recorded by the last run
}

// Evaluator evaluates shops and products against a validated [Policy]. It is safe for concurrent
// use. Build one with [New]; the zero Evaluator has no policy and returns an error wrapping
// [ErrNoPolicy] for every shop and product.
type Evaluator struct {
	shop       map[affrules.MarketCode][]shopVersion // per known market, merged default + override
	defShop    []shopVersion
	categories map[affrules.Category]*categoryTable
	// marketAt[i] is 1 + the index, in every categoryTable's markets, of the market whose code is
	// the two capital letters i encodes (0: not known when New ran). Two-letter codes, all of the
	// catalog's, are found by indexing; others by a scan.
	marketAt [26 * 26]uint8
	few      []*categoryTable // the same tables when there are few categories: a scan beats hashing
}

type shopVersion struct {
	from       time.Time
	window     time.Duration
	windowDays int
	minRating  decimal.Decimal
}

// categoryTable holds one category's limits over time: by market for the markets known when the
// evaluator was built, and the default timeline for any other registered market.
type categoryTable struct {
	category affrules.Category
	markets  []marketLimits
	def      []limitVersion
}

type marketLimits struct {
	market   affrules.MarketCode
	versions []limitVersion
}

type limitVersion struct {
	from           time.Time
	present        bool // the category has limits in this version (ELG-5)
	negative       affrules.Rate
	refund         affrules.Rate
	minReviews     int64
	minRefundCases int64
	// The limits as reasons print them, built once.
	negLimit, refLimit, reviewsLimit, casesLimit string
}

// New validates p and returns an evaluator for it. It reports every problem in p at once.
func New(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	e := &Evaluator{shop: map[affrules.MarketCode][]shopVersion{}, categories: map[affrules.Category]*categoryTable{}}
	def := slices.Collect(entries(p.Default))
	e.defShop = shopVersions(def)
	// Every category any version names gets a table; a version that lacks it is "not present".
	cats := map[affrules.Category]bool{}
	for _, v := range def {
		for c := range v.Value.Categories {
			cats[c] = true
		}
	}
	for _, tl := range p.Markets {
		for _, t := range tl.All() {
			for c := range t.Categories {
				cats[c] = true
			}
		}
	}
	for c := range cats {
		e.categories[c] = &categoryTable{category: c, def: limitVersions(def, c)}
	}
	for i, m := range affrules.Markets() {
		if k, ok := twoLetters(m.Code); ok && i < 255 {
			e.marketAt[k] = uint8(i + 1)
		}
		merged := def
		if tl, ok := p.Markets[m.Code]; ok {
			merged = merge(def, slices.Collect(entries(tl)))
		}
		e.shop[m.Code] = shopVersions(merged)
		for c, tab := range e.categories {
			tab.markets = append(tab.markets, marketLimits{market: m.Code, versions: limitVersions(merged, c)})
		}
	}
	if len(e.categories) <= 8 {
		for _, c := range slices.Sorted(maps.Keys(e.categories)) {
			e.few = append(e.few, e.categories[c])
		}
	}
	return e, nil
}

// table returns the limits table of category c, or nil if the policy does not name it.
func (e *Evaluator) table(c affrules.Category) *categoryTable {
	if e.few == nil {
		return e.categories[c]
	}
	for _, t := range e.few {
		if same(t.category, c) {
			return t
		}
	}
	return nil
}

// MustNew is like [New] but panics on error; for tests and examples with literal policies.
func MustNew(p Policy) *Evaluator {
	e, err := New(p)
	if err != nil {
		panic(err)
	}
	return e
}

func entries(tl affrules.Timeline[Thresholds]) func(func(affrules.Effective[Thresholds]) bool) {
	return func(yield func(affrules.Effective[Thresholds]) bool) {
		for from, t := range tl.All() {
			if !yield(affrules.Effective[Thresholds]{From: from, Value: t}) {
				return
			}
		}
	}
}

// merge returns the default versions up to the override's first instant, then the override's.
func merge(def, override []affrules.Effective[Thresholds]) []affrules.Effective[Thresholds] {
	if len(override) == 0 {
		return def
	}
	var out []affrules.Effective[Thresholds]
	for _, d := range def {
		if d.From.Before(override[0].From) {
			out = append(out, d)
		}
	}
	return append(out, override...)
}

func shopVersions(vs []affrules.Effective[Thresholds]) []shopVersion {
	out := make([]shopVersion, len(vs))
	for i, v := range vs {
		out[i] = shopVersion{from: v.From, window: affrules.Days(v.Value.CounterfeitWindowDays), windowDays: v.Value.CounterfeitWindowDays, minRating: v.Value.MinStoreRating}
	}
	return out
}

func limitVersions(vs []affrules.Effective[Thresholds], c affrules.Category) []limitVersion {
	out := make([]limitVersion, len(vs))
	for i, v := range vs {
		l, ok := v.Value.Categories[c]
		out[i] = limitVersion{from: v.From, present: ok, negative: l.NegativeReviewRate, refund: l.SellerFaultRefundRate,
			minReviews: v.Value.MinReviews, minRefundCases: v.Value.MinRefundCases,
			negLimit:     "below " + l.NegativeReviewRate.String() + " for " + string(c),
			refLimit:     "below " + l.SellerFaultRefundRate.String() + " for " + string(c),
			reviewsLimit: "applies from " + strconv.FormatInt(v.Value.MinReviews, 10) + " reviews",
			casesLimit:   "applies from " + strconv.FormatInt(v.Value.MinRefundCases, 10) + " cases"}
	}
	return out
}

// shopAt and limitAt return the index of the version in force at t, or -1 before the first.
// Policies have few versions, so a backward scan beats a binary search.
func shopAt(vs []shopVersion, t time.Time) int {
	i := len(vs) - 1
	for i >= 0 && vs[i].from.After(t) {
		i--
	}
	return i
}

func limitAt(vs []limitVersion, t time.Time) int {
	i := len(vs) - 1
	for i >= 0 && vs[i].from.After(t) {
		i--
	}
	return i
}

// ErrNoPolicy reports an [Evaluator] that was not built with [New].
var ErrNoPolicy = errors.New("eligibility: evaluator has no policy; build it with New")

func (e *Evaluator) shopVersionsFor(m affrules.MarketCode) ([]shopVersion, error) {
	if e.shop == nil {
		return nil, ErrNoPolicy
	}
	if vs, ok := e.shop[m]; ok {
		return vs, nil
	}
	if _, err := affrules.LookupMarket(m); err != nil { // registered after New: default thresholds
		return nil, affrules.Errorf("eligibility", "market", m, "%w", affrules.ErrUnknownMarket)
	}
	return e.defShop, nil
}

// Shop evaluates a shop at instant at: ELG-1 (no counterfeit violation within the window),
// ELG-2 (store rating at least the minimum) and ELG-6 (a deactivated account, or a previous
// permanent disqualification, is permanent). Every failing rule is reported; when only ELG-1
// fails, Decision.NextAllowed is when the violation leaves the window.
//
// Errors report bad input: an unknown market, a rating outside 0–5, a violation after at, or an
// instant before the policy's first version.
func (e *Evaluator) Shop(s Shop, at time.Time) (Result, error) {
	vs, err := e.shopVersionsFor(s.Market)
	if err != nil {
		return Result{}, err
	}
	if s.StoreRating.Sign() < 0 || s.StoreRating.GreaterThan(maxRating) {
		return Result{}, affrules.Errorf("eligibility", "shop["+s.ID+"].store_rating", s.StoreRating, "must be between 0 and 5: %w", affrules.ErrOutOfRange)
	}
	if s.LastCounterfeitViolation.After(at) {
		return Result{}, affrules.Errorf("eligibility", "shop["+s.ID+"].last_counterfeit_violation", s.LastCounterfeitViolation.Format(time.RFC3339), "is after the evaluation instant %s", at.Format(time.RFC3339))
	}
	if s.Previous > PermanentlyDisqualified {
		return Result{}, affrules.Errorf("eligibility", "shop["+s.ID+"].previous", int(s.Previous), "%w", affrules.ErrOutOfRange)
	}
	i := shopAt(vs, at)
	if i < 0 {
		return Result{}, affrules.Errorf("eligibility", "at", at.Format(time.RFC3339), "is before the policy's first version for market %s", s.Market)
	}
	v := &vs[i]

	var reasons []affrules.Reason
	permanent := false
	if s.Deactivated {
		permanent = true
		reasons = append(reasons, permanentReason("seller account deactivated"))
	} else if s.Previous == PermanentlyDisqualified {
		permanent = true
		reasons = append(reasons, permanentReason("permanently disqualified by an earlier evaluation"))
	}
	var next time.Time
	if !s.LastCounterfeitViolation.IsZero() && s.LastCounterfeitViolation.After(at.Add(-v.window)) { // ELG-1, MKT-3
		next = s.LastCounterfeitViolation.Add(v.window)
		reasons = append(reasons, affrules.Reason{Rule: RuleCounterfeit,
			Observed: "counterfeit violation at " + s.LastCounterfeitViolation.Format(time.RFC3339),
			Limit:    "none within " + strconv.Itoa(v.windowDays) + " days",
			Message:  "shop had a counterfeit violation within the window"})
	}
	if s.StoreRating.LessThan(v.minRating) { // ELG-2: exactly the minimum passes
		reasons = append(reasons, affrules.Reason{Rule: RuleStoreRating, Observed: s.StoreRating.String(),
			Limit: "at least " + v.minRating.String(), Message: "store rating is below the minimum"})
	}
	r := Result{ID: s.ID, State: stateOf(reasons, permanent), Decision: affrules.Decide(reasons...)}
	if len(reasons) == 1 && !next.IsZero() {
		r.Decision.NextAllowed = next // time alone will lift ELG-1
	}
	return r, nil
}

func permanentReason(observed string) affrules.Reason {
	return affrules.Reason{Rule: RulePermanent, Observed: observed, Limit: "no permanent disqualification",
		Message: "permanently disqualified: later good metrics never lift it"}
}

func stateOf(reasons []affrules.Reason, permanent bool) State {
	switch {
	case permanent:
		return PermanentlyDisqualified
	case len(reasons) == 0:
		return Eligible
	}
	for _, r := range reasons {
		if r.Kind != affrules.NotApplicable {
			return TemporarilyDisqualified
		}
	}
	return Eligible
}

// Product evaluates product p of shop at instant at, given the shop's result from [Evaluator.Shop]
// for the same run: ELG-3 and ELG-4 against the limits of the product's market and category in
// force at at, each reported "not applicable" below its minimum count; ELG-6 for a frozen or
// delisted product, a permanently disqualified shop, or a previous permanent disqualification.
// A shop that is not eligible makes its products ineligible too, with the shop's reasons.
//
// Errors report bad input (ELG-5 among them): negative counts, more negative-review orders than
// orders or reviews, more seller-fault refunds than orders or refund cases, zero orders where a
// rate rule applies, an unknown market or category, an instant before the policy's first
// version, or a shop result for another shop, not from [Evaluator.Shop], or whose state and
// decision disagree. The product's market is taken as given; [Run.Products] also checks it
// against the shop's.
func (e *Evaluator) Product(p Product, shop Result, at time.Time) (Result, error) {
	if p.ShopID != shop.ID {
		return Result{}, affrules.Errorf("eligibility", "product["+p.ID+"].shop_id", strconv.Quote(p.ShopID), "does not match the shop result's id %q", shop.ID)
	}
	tab := e.table(p.Category)
	if tab == nil {
		if e.categories == nil {
			return Result{}, ErrNoPolicy
		}
		return Result{}, affrules.Errorf("eligibility", "product["+p.ID+"].category", strconv.Quote(string(p.Category)), "%w", affrules.ErrUnknownCategory)
	}
	vs, err := e.versions(tab, p.Market)
	if err != nil {
		return Result{}, err
	}
	i := limitAt(vs, at)
	if i < 0 {
		return Result{}, affrules.Errorf("eligibility", "at", at.Format(time.RFC3339), "is before the policy's first version for market %s", p.Market)
	}
	v := &vs[i]
	if err := p.check(&shop, v); err != nil {
		return Result{}, err
	}
	if p.passes(&shop, v) {
		return Result{ID: p.ID, State: Eligible, Decision: affrules.Decision{Allowed: true}}, nil
	}
	if shop.Decision.Allowed != (shop.State == Eligible) { // off the pass path: passes needs both
		return Result{}, affrules.Errorf("eligibility", "product["+p.ID+"] shop result", shop.State, "disagrees with its decision.allowed %t: must come from Evaluator.Shop", shop.Decision.Allowed)
	}
	return productReasons(&p, &shop, v), nil
}

// versions returns the limits of tab over time in market m.
func (e *Evaluator) versions(tab *categoryTable, m affrules.MarketCode) ([]limitVersion, error) {
	if k, ok := twoLetters(m); ok {
		if i := e.marketAt[k]; i > 0 {
			return tab.markets[i-1].versions, nil
		}
	} else {
		for i := range tab.markets {
			if same(tab.markets[i].market, m) {
				return tab.markets[i].versions, nil
			}
		}
	}
	if _, err := affrules.LookupMarket(m); err != nil {
		return nil, affrules.Errorf("eligibility", "market", m, "%w", affrules.ErrUnknownMarket)
	}
	return tab.def, nil // registered after New: the default thresholds
}

// twoLetters returns the index in [Evaluator.marketAt] of a code of two capital letters.
func twoLetters(m affrules.MarketCode) (int, bool) {
	if len(m) != 2 || m[0]-'A' >= 26 || m[1]-'A' >= 26 {
		return 0, false
	}
	return int(m[0]-'A')*26 + int(m[1]-'A'), true
}

// same is a == b for the short keys of the hot path (IDs, codes, categories), inlined rather
// than a call to the runtime's memequal.
func same[S ~string](a, b S) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// passes reports whether every rule applies and passes: the hot path, which allocates nothing.
func (p *Product) passes(shop *Result, v *limitVersion) bool {
	return p.Reviews >= v.minReviews && p.RefundCases >= v.minRefundCases &&
		v.negative.CmpFraction(p.NegativeReviewOrders, p.Orders) < 0 && // ELG-3: strictly below
		v.refund.CmpFraction(p.SellerFaultRefunds, p.Orders) < 0 && // ELG-4: strictly below
		!p.Frozen && !p.Delisted && p.Previous != PermanentlyDisqualified && shop.State == Eligible && shop.Decision.Allowed
}

// productReasons explains a product that does not pass: every failing rule and every rule that
// did not apply.
func productReasons(p *Product, shop *Result, v *limitVersion) Result {
	negApplies, refApplies := p.Reviews >= v.minReviews, p.RefundCases >= v.minRefundCases
	negOK := v.negative.CmpFraction(p.NegativeReviewOrders, p.Orders) < 0 // ELG-3: strictly below
	refOK := v.refund.CmpFraction(p.SellerFaultRefunds, p.Orders) < 0     // ELG-4: strictly below
	permanent := p.Frozen || p.Delisted || p.Previous == PermanentlyDisqualified || shop.State == PermanentlyDisqualified
	reasons := make([]affrules.Reason, 0, 4)
	switch { // ELG-6
	case p.Frozen:
		reasons = append(reasons, permanentReason("product frozen for a policy violation"))
	case p.Delisted:
		reasons = append(reasons, permanentReason("product delisted for a policy violation"))
	case p.Previous == PermanentlyDisqualified:
		reasons = append(reasons, permanentReason("permanently disqualified by an earlier evaluation"))
	}
	switch {
	case !negApplies:
		reasons = append(reasons, affrules.Reason{Rule: RuleNegativeReview, Kind: affrules.NotApplicable,
			Observed: strconv.FormatInt(p.Reviews, 10) + " reviews", Limit: v.reviewsLimit,
			Message: "too few reviews for the negative-review rule"})
	case !negOK:
		reasons = append(reasons, affrules.Reason{Rule: RuleNegativeReview, Observed: affrules.FormatRatio(p.NegativeReviewOrders, p.Orders),
			Limit:   v.negLimit,
			Message: "negative-review rate is not below the category limit"})
	}
	switch {
	case !refApplies:
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerRefund, Kind: affrules.NotApplicable,
			Observed: strconv.FormatInt(p.RefundCases, 10) + " return/refund cases", Limit: v.casesLimit,
			Message: "too few return/refund cases for the seller-fault refund rule"})
	case !refOK:
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerRefund, Observed: affrules.FormatRatio(p.SellerFaultRefunds, p.Orders),
			Limit:   v.refLimit,
			Message: "seller-fault return/refund rate is not below the category limit"})
	}
	own := affrules.Decide(reasons...)
	if shop.State == Eligible {
		return Result{ID: p.ID, State: stateOf(reasons, permanent), Decision: own}
	}
	// The shop's failures make the product ineligible too; time lifts them only if the product
	// has no failures of its own.
	d := affrules.Decide(append(reasons, shop.Decision.Failures()...)...)
	if own.Allowed && !permanent {
		d.NextAllowed = shop.Decision.NextAllowed
	}
	state := TemporarilyDisqualified
	if permanent {
		state = PermanentlyDisqualified
	}
	return Result{ID: p.ID, State: state, Decision: d}
}

// check validates the product's counts (ELG-5 and bad input) and the shop result's state. It is
// on the pass path, so the count checks share one branch: with every count non-negative no
// difference can overflow, and a negative count or difference sets the sign bit of the OR.
func (p *Product) check(shop *Result, v *limitVersion) error {
	switch {
	case shop.State-1 > PermanentlyDisqualified-1: // Unevaluated wraps round to 255
		return affrules.Errorf("eligibility", "product["+p.ID+"] shop result", shop.State, "must come from Evaluator.Shop")
	case !v.present:
		return affrules.Errorf("eligibility", "product["+p.ID+"].category", strconv.Quote(string(p.Category)), "has no thresholds in the policy version in force: %w", affrules.ErrUnknownCategory)
	case p.Orders|p.Reviews|p.NegativeReviewOrders|p.RefundCases|p.SellerFaultRefunds|
		(p.Reviews-p.NegativeReviewOrders)|(p.Orders-p.NegativeReviewOrders)|
		(p.RefundCases-p.SellerFaultRefunds)|(p.Orders-p.SellerFaultRefunds) < 0:
		return p.badCount()
	case p.Orders == 0 && (p.Reviews >= v.minReviews || p.RefundCases >= v.minRefundCases):
		return affrules.Errorf("eligibility", "product["+p.ID+"].orders", 0, "rate undefined: a rate rule applies but there are no orders (ELG-5)")
	case p.Previous > PermanentlyDisqualified:
		return affrules.Errorf("eligibility", "product["+p.ID+"].previous", int(p.Previous), "%w", affrules.ErrOutOfRange)
	}
	return nil
}

// badCount names the first count that is negative or exceeds what it is a part of.
func (p *Product) badCount() error {
	if err := p.negativeCount(); err != nil {
		return err
	}
	switch {
	case p.NegativeReviewOrders > p.Reviews: // each such order has at least one review
		return affrules.Errorf("eligibility", "product["+p.ID+"].negative_review_orders", p.NegativeReviewOrders, "exceeds reviews %d", p.Reviews)
	case p.NegativeReviewOrders > p.Orders:
		return affrules.Errorf("eligibility", "product["+p.ID+"].negative_review_orders", p.NegativeReviewOrders, "exceeds orders %d", p.Orders)
	case p.SellerFaultRefunds > p.RefundCases:
		return affrules.Errorf("eligibility", "product["+p.ID+"].seller_fault_refunds", p.SellerFaultRefunds, "exceeds refund_cases %d", p.RefundCases)
	default:
		return affrules.Errorf("eligibility", "product["+p.ID+"].seller_fault_refunds", p.SellerFaultRefunds, "exceeds orders %d", p.Orders)
	}
}

func (p *Product) negativeCount() error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"orders", p.Orders}, {"reviews", p.Reviews}, {"negative_review_orders", p.NegativeReviewOrders}, {"refund_cases", p.RefundCases}, {"seller_fault_refunds", p.SellerFaultRefunds}} {
		if f.v < 0 {
			return affrules.Errorf("eligibility", "product["+p.ID+"]."+f.name, f.v, "%w", affrules.ErrNegative)
		}
	}
	return nil
}
