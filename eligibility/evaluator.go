package eligibility

import (
	"errors"
	"maps"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/codeindex"
	"github.com/affrules/affrules/internal/coef"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/marketreg"
)

const pkg = "eligibility"

// ErrNoPolicy reports an [Evaluator] that was not built with [New], or a [Run] that was not
// built with [Evaluator.NewRun].
var ErrNoPolicy = errors.New("eligibility: evaluator has no policy; build it with New")

// Evaluator evaluates shops and products against a validated [Policy]. It is safe for concurrent
// use. Build one with [New]; every method of the zero Evaluator (and of a nil *Evaluator) returns
// an error wrapping [ErrNoPolicy].
type Evaluator struct {
	// markets are the codes of the markets registered when New ran; shops[i] and every
	// categoryTable's markets[i] hold market i's versions, the default merged with its override.
	markets []affrules.MarketCode
	// marketAt[k] is 1 + the index in markets of the code of two capital letters k encodes (see
	// codeindex.Of), 0 if it is not one of them. Other codes are found by a scan.
	marketAt   [codeindex.Size]uint16
	shops      [][]shopVersion
	defShop    []shopVersion // for a market registered after New: the default versions
	categories map[affrules.Category]*categoryTable
	few        []*categoryTable // the same tables when there are few categories: a scan beats hashing
}

// shopVersion is one policy version compiled for the shop rules (ELG-1, ELG-2).
type shopVersion struct {
	from       int64 // the version's start in Unix nanoseconds (unixNanoIn)
	productBan bool  // Thresholds.ProductBanDisqualifiesShop
	window     time.Duration
	windowDays int
	minRating  decimal.Decimal
	minValue   affrules.Value // minRating as a reason's limit, built once
	// minRating as minCoef×10^minExp when its coefficient is small (minSmall), so that ratings
	// compare with integers, not by rescaling big decimals
	minCoef  int64
	minExp   int32
	minSmall bool
	// minAt[k] is minRating × 10^k rounded up, the least whole number of units of 10^-k a rating
	// of k decimal places needs to pass ELG-2 (a rating coef×10^-k is low when coef < minAt[k]);
	// -1 where it is not known (minRating not small, or too large at that scale)
	minAt [ratingPlaces + 1]int64
}

// ratingPlaces is the most decimal places a rating compares in place with minAt and maxRatingAt
// (usually it has one); ratings with more, or a positive exponent, take cmpSmall.
const ratingPlaces = 17

// maxRatingAt[k] is the greatest rating, 5, in units of 10^-k.
var maxRatingAt = func() (m [ratingPlaces + 1]int64) {
	for k := range m {
		m[k] = 5 * coef.Pow10[k]
	}
	return m
}()

// scaledUp returns c×10^exp×10^k rounded up, for c ≥ 0, and false if it exceeds an int64.
func scaledUp(c int64, exp int32, k int) (int64, bool) {
	v, inexact, ok := coef.Scale(c, int(exp)+k)
	return v + int64(b2i(inexact)), ok
}

// categoryTable holds one category's limits over time: by market for the markets known when the
// evaluator was built (indexed as Evaluator.markets), and the default timeline for any other
// registered market.
type categoryTable struct {
	category affrules.Category
	markets  [][]limitVersion
	def      []limitVersion
}

// limitVersion is one policy version compiled for one category's product rules (ELG-3..5).
type limitVersion struct {
	from           int64 // the version's start in Unix nanoseconds (unixNanoIn)
	present        bool  // the category has limits in this version (ELG-5)
	negative       affrules.Rate
	refund         affrules.Rate
	minReviews     int64
	minRefundCases int64
	refundOfCases  bool // ELG-4's denominator is the return/refund cases, not the orders
	minSellerFault bool // ELG-4's minimum counts the seller-fault cases only
	productBan     bool // Thresholds.ProductBanDisqualifiesShop
	reasons        *versionReasons
}

// versionReasons are a version's product reasons, built once in New: a call sets only Observed.
type versionReasons struct {
	negFailed, negNotApplicable, refFailed, refNotApplicable affrules.Reason
}

// New validates p and returns an evaluator for it. It reports every problem in p at once. The
// markets registered at this moment are resolved here, each with its override merged in.
func New(p Policy) (*Evaluator, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	e := &Evaluator{categories: map[affrules.Category]*categoryTable{}}
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
	for _, m := range affrules.Markets() {
		if len(e.markets) == math.MaxUint16 { // marketAt's bound: refused rather than misjudged
			return nil, fielderr.New(pkg, "markets", len(affrules.Markets()), "more than %d registered markets: an evaluator resolves at most that many", math.MaxUint16)
		}
		e.markets = append(e.markets, m.Code)
		if k, ok := codeindex.Of(m.Code); ok {
			e.marketAt[k] = uint16(len(e.markets))
		}
		if o, ok := p.Markets[m.Code]; !ok || o.Len() == 0 {
			// No override: the default's versions, compiled once and shared.
			e.shops = append(e.shops, e.defShop)
			for _, tab := range e.categories {
				tab.markets = append(tab.markets, tab.def)
			}
			continue
		}
		merged := slices.Collect(entries(p.For(m.Code)))
		e.shops = append(e.shops, shopVersions(merged))
		for c, tab := range e.categories {
			tab.markets = append(tab.markets, limitVersions(merged, c))
		}
	}
	if len(e.categories) <= 8 {
		for _, c := range slices.Sorted(maps.Keys(e.categories)) {
			e.few = append(e.few, e.categories[c])
		}
	}
	return e, nil
}

// MustNew is like [New] but panics on error; for tests and examples with literal policies.
func MustNew(p Policy) *Evaluator {
	e, err := New(p)
	if err != nil {
		panic(err)
	}
	return e
}

// ready reports whether e was built by New; the methods of one that was not return ErrNoPolicy.
func (e *Evaluator) ready() bool { return e != nil && e.defShop != nil }

func entries(tl affrules.Timeline[Thresholds]) func(func(affrules.Effective[Thresholds]) bool) {
	return func(yield func(affrules.Effective[Thresholds]) bool) {
		for from, t := range tl.All() {
			if !yield(affrules.Effective[Thresholds]{From: from, Value: t}) {
				return
			}
		}
	}
}

func shopVersions(vs []affrules.Effective[Thresholds]) []shopVersion {
	out := make([]shopVersion, len(vs))
	for i, v := range vs {
		t := v.Value
		out[i] = shopVersion{from: unixNanoIn(v.From), window: affrules.Days(t.CounterfeitWindowDays), windowDays: t.CounterfeitWindowDays, minRating: t.MinStoreRating, minValue: affrules.Decimal(t.MinStoreRating),
			productBan: t.ProductBanDisqualifiesShop}
		out[i].minCoef, out[i].minExp, out[i].minSmall = small(t.MinStoreRating)
		for k := range out[i].minAt {
			out[i].minAt[k] = -1
			if out[i].minSmall {
				if u, ok := scaledUp(out[i].minCoef, out[i].minExp, k); ok {
					out[i].minAt[k] = u
				}
			}
		}
	}
	return out
}

// refundNotApplicable is the key of ELG-4's "not applicable" reason under t: its minimum counts
// every return/refund case, or the seller-fault ones.
func refundNotApplicable(t Thresholds) affrules.MessageKey {
	if t.MinRefundCasesSellerFault {
		return keyRefundNotApplicableSellerFault
	}
	return keyRefundNotApplicable
}

func limitVersions(vs []affrules.Effective[Thresholds], c affrules.Category) []limitVersion {
	out := make([]limitVersion, len(vs))
	for i, v := range vs {
		t := v.Value
		l, ok := t.Categories[c]
		out[i] = limitVersion{from: unixNanoIn(v.From), present: ok, negative: l.NegativeReviewRate, refund: l.SellerFaultRefundRate,
			minReviews: t.MinReviews, minRefundCases: t.MinRefundCases, refundOfCases: t.RefundRateOfCases, minSellerFault: t.MinRefundCasesSellerFault, productBan: t.ProductBanDisqualifiesShop,
			reasons: &versionReasons{
				negFailed: affrules.Reason{Rule: RuleNegativeReview, Key: keyNegativeFailed,
					Limit: affrules.RateOf(l.NegativeReviewRate), Subject: string(c)},
				negNotApplicable: affrules.Reason{Rule: RuleNegativeReview, Kind: affrules.NotApplicable, Key: keyNegativeNotApplicable,
					Limit: affrules.Count(t.MinReviews)},
				refFailed: affrules.Reason{Rule: RuleSellerRefund, Key: keyRefundFailed,
					Limit: affrules.RateOf(l.SellerFaultRefundRate), Subject: string(c)},
				refNotApplicable: affrules.Reason{Rule: RuleSellerRefund, Kind: affrules.NotApplicable, Key: refundNotApplicable(t),
					Limit: affrules.Count(t.MinRefundCases)},
			}}
	}
	return out
}

// shopAt and limitAt return the index of the version in force at t (Unix nanoseconds, within the
// bounds inBounds checks), or -1 before the first. Policies have few versions and most
// evaluations are under the latest, so a backward scan beats a binary search (which, tried, cost
// a nanosecond or two on every evaluation): an instant under the first of n versions costs a
// scan of n (about 1 ns a version, BenchmarkShopFailManyVersions).
func shopAt(vs []shopVersion, t int64) int {
	i := len(vs) - 1
	for i >= 0 && vs[i].from > t {
		i--
	}
	return i
}

func limitAt(vs []limitVersion, t int64) int {
	i := len(vs) - 1
	for i >= 0 && vs[i].from > t {
		i--
	}
	return i
}

// market returns the index of market m in e.markets, or -1 for a market registered after New,
// and false for one not registered at all (the caller names the field in its error).
func (e *Evaluator) market(m affrules.MarketCode) (int, bool) {
	if k, ok := codeindex.Of(m); ok {
		if i := e.marketAt[k]; i > 0 {
			return int(i) - 1, true
		}
	} else {
		for i, code := range e.markets {
			if same(code, m) {
				return i, true
			}
		}
	}
	if _, _, ok := marketreg.Lookup(string(m)); !ok { // without copying the market
		return 0, false
	}
	return -1, true // registered after New: the default thresholds
}

// unknownMarket is the error for market m of the item named by field, e.g. "shop[s].market".
func unknownMarket(field string, m affrules.MarketCode) error {
	if m == "" {
		return fielderr.New(pkg, field, "", "is required: %w", affrules.ErrUnknownMarket)
	}
	return fielderr.New(pkg, field, m, "%w", affrules.ErrUnknownMarket)
}

// Instants every method accepts, as Unix seconds: [bounds.MinInstant, bounds.MaxInstant), both
// whole seconds, so comparing at.Unix() (which rounds down) is exact. The zero time.Time is
// outside.
var (
	minUnix = bounds.MinInstant.Unix()
	maxUnix = bounds.MaxInstant.Unix()
)

// inBounds reports whether at is an instant the library accepts (bounds.Instant, inlined on the
// hot path); bounds.Instant builds the error.
func inBounds(at time.Time) bool {
	u := at.Unix()
	return u >= minUnix && u < maxUnix
}

// unixNanoIn returns t in Unix nanoseconds, and an instant before or after the bounds inBounds
// checks as the least or greatest int64: compared with an instant within them, it orders as t
// does.
func unixNanoIn(t time.Time) int64 {
	switch u := t.Unix(); {
	case u < minUnix:
		return math.MinInt64
	case u >= maxUnix:
		return math.MaxInt64
	}
	return t.UnixNano()
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

// same is a == b for the short keys of the hot path (IDs, codes, categories), inlined rather
// than a call to the runtime's memequal.
func same[S ~string](a, b S) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || unsafe.StringData(string(a)) == unsafe.StringData(string(b)) {
		return true // one string: a host that copied the shop's ID into its products
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// small returns d as c×10^exp and true when its coefficient, trailing zeros struck off as
// needed, is at least 0 and below 2^60 (coef.Stripped: read in place, without counting digits);
// a negative d is not small.
func small(d decimal.Decimal) (c int64, exp int32, ok bool) {
	return coef.Stripped(&d)
}

// cmpSmall compares a×10^ae with b×10^be for non-negative coefficients, returning -1, 0 or +1,
// without multiplying anything that could overflow.
func cmpSmall(a int64, ae int32, b int64, be int32) int {
	if ae == be { // the usual case, inlined
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	return cmpScaled(a, ae, b, be)
}

// cmpScaled is cmpSmall for ae ≠ be.
func cmpScaled(a int64, ae int32, b int64, be int32) int {
	switch {
	case ae < be:
		return -cmpScaled(b, be, a, ae)
	case a == 0:
		if b == 0 {
			return 0
		}
		return -1
	}
	// a×10^k against b, with k > 0: compare a with b's quotient and remainder by 10^k.
	k := int64(ae) - int64(be)
	if k >= int64(len(coef.Pow10)) {
		return 1 // a ≥ 1, so a×10^k ≥ 10^19 > b
	}
	q, r := b/coef.Pow10[k], b%coef.Pow10[k]
	switch {
	case a > q:
		return 1
	case a < q || r != 0:
		return -1
	}
	return 0
}
