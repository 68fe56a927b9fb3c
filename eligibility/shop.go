package eligibility

import (
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Shop is what the daily run knows about a shop (ELG-1, ELG-2, ELG-6). The zero Shop has no ID
// and no market, so evaluating it is an error.
type Shop struct {
	ID                       string              `json:"id"`
	Market                   affrules.MarketCode `json:"market"`
	StoreRating              decimal.Decimal     `json:"store_rating"`                        // 0–5
	LastCounterfeitViolation time.Time           `json:"last_counterfeit_violation,omitzero"` // zero if none
	Deactivated              bool                `json:"deactivated,omitempty"`               // seller account deactivated
	Previous                 State               `json:"previous,omitempty"`                  // state recorded by the last run
	// ProductBanned says a product of the shop has been frozen or delisted for a policy
	// violation. It disqualifies the shop permanently where the policy version in force says
	// so (Thresholds.ProductBanDisqualifiesShop, ELG-6), and is not read otherwise.
	ProductBanned bool `json:"product_banned,omitempty"`
}

var maxRating = decimal.NewFromInt(5)

// Shop evaluates a shop at instant at: ELG-1 (no counterfeit violation within the window),
// ELG-2 (store rating at least the minimum) and ELG-6 (a deactivated account, a previous
// permanent disqualification, or a banned product where the policy says so, is permanent).
// Every failing rule is reported; when time alone lifts a temporary disqualification,
// Decision.NextAllowed is the first instant it does: when the violation leaves the window and
// the rating meets the minimum, each under the policy version in force then (none if that is
// 2200-01-01T00:00:00Z or later, beyond every instant accepted). A shop that is not eligible
// has Scope [ShopScope]: all of these rules disqualify the shop, and with it its products. The
// result carries the shop's market, against which [Evaluator.Product] checks each product's. An
// eligible shop's evaluation allocates nothing.
//
// Errors report bad input, each naming the shop: an empty ID, no market or an unknown one, a
// rating outside 0–5 or outside the library's decimal bounds (an exponent beyond ±28 or more
// than 38 digits, refused before any comparison), a violation after at or before 1900, an
// instant at that is the zero time or outside 1900–2199, or one before the policy's first
// version.
func (e *Evaluator) Shop(s Shop, at time.Time) (Result, error) { return e.AppendShop(nil, s, at) }

// AppendShop is [Evaluator.Shop] with the result's reasons written after dst's elements, in dst's
// array when it has room for them (dst, which may be nil, keeps its elements; the result's reasons
// are only its own). A host that is done with each result before the next evaluation (it writes it
// out) keeps the array (buf = r.Decision.Reasons after a result with reasons; a passing result has
// none, nil, and leaves buf as it was), passes buf[:0], and evaluates without allocating once the
// array is large enough. The result's reasons then share that array, which the next such call
// overwrites: a result kept in memory beyond it needs its own copy of them (slices.Clone). A shop
// that passes has no reasons (nil), whatever dst holds. A store rating of a long coefficient
// allocates still (see the package doc).
func (e *Evaluator) AppendShop(dst []affrules.Reason, s Shop, at time.Time) (r Result, err error) {
	err = e.shopInto(&r, dst, &s, at)
	return r, err
}

// ShopInto is [Evaluator.AppendShop] writing the result for shop *s into *dst instead of
// returning it, its reasons appended to reasons as AppendShop appends them to its dst: the same
// result, or the same error with *dst zero. It is for a daily run that passes each shop by
// pointer and reuses one Result, as [Evaluator.ProductInto] does for products, which spares
// copying the shop (80 bytes) and the result (112 bytes) on every call. Nothing of what *dst held
// before is kept. A nil dst or s is an error.
func (e *Evaluator) ShopInto(dst *Result, reasons []affrules.Reason, s *Shop, at time.Time) error {
	if dst == nil {
		return fielderr.New(pkg, "dst", "nil", "must point to a Result to write into")
	}
	*dst = Result{}
	if s == nil {
		return fielderr.New(pkg, "shop", "nil", "must point to a shop")
	}
	return e.shopInto(dst, reasons, s, at)
}

// shopInto is AppendShop writing the result into *r, zero on entry, which it leaves zero on
// error.
func (e *Evaluator) shopInto(r *Result, dst []affrules.Reason, s *Shop, at time.Time) error {
	if !e.ready() {
		return ErrNoPolicy
	}
	if !inBounds(at) {
		return bounds.Instant(pkg, "at", at)
	}
	if s.ID == "" {
		return fielderr.New(pkg, "shop.id", "", "is required (shop in market %q)", s.Market)
	}
	i, known := e.market(s.Market)
	if !known {
		return unknownMarket("shop["+s.ID+"].market", s.Market)
	}
	vs := e.defShop
	if i >= 0 {
		vs = e.shops[i]
	}
	// The library's decimal bounds before any comparison (issue 10): decimal.New(4, -2e9) would
	// take minutes to compare or print. Equivalent to bounds.Decimal, without building the
	// field's name on the pass path.
	if x := s.StoreRating.Exponent(); x < bounds.MinExponent || x > bounds.MaxExponent {
		return bounds.Decimal(pkg, "shop["+s.ID+"].store_rating", s.StoreRating)
	}
	coef, exp, isSmall := small(s.StoreRating)
	places := -int(exp) // compared in place when 0 ≤ places ≤ ratingPlaces (minAt, maxRatingAt)
	inPlace := isSmall && places >= 0 && places <= ratingPlaces
	if inPlace {
		if coef > maxRatingAt[places] {
			return s.badRating()
		}
	} else if isSmall {
		if cmpSmall(coef, exp, 5, 0) > 0 {
			return s.badRating()
		}
	} else if bounds.CoefficientBits(s.StoreRating) >= 126 { // maybe over 38 digits: the field named only then
		if err := bounds.Decimal(pkg, "shop["+s.ID+"].store_rating", s.StoreRating); err != nil {
			return err
		}
	}
	if !isSmall && (s.StoreRating.Sign() < 0 || s.StoreRating.GreaterThan(maxRating)) {
		return s.badRating()
	}
	// Instants as Unix nanoseconds, exact within the years 1900 to 2199 that bound both.
	atN, violationN := at.UnixNano(), int64(0)
	hasViolation := !s.LastCounterfeitViolation.IsZero()
	if v := s.LastCounterfeitViolation; hasViolation {
		if !inBounds(v) {
			return bounds.Instant(pkg, "shop["+s.ID+"].last_counterfeit_violation", v)
		}
		if violationN = v.UnixNano(); violationN > atN {
			return fielderr.New(pkg, "shop["+s.ID+"].last_counterfeit_violation", v.Format(time.RFC3339Nano), "is after the evaluation instant %s", at.Format(time.RFC3339Nano))
		}
	}
	if s.Previous > PermanentlyDisqualified {
		return fielderr.New(pkg, "shop["+s.ID+"].previous", int(s.Previous), "%w", affrules.ErrOutOfRange)
	}
	vi := shopAt(vs, atN)
	if vi < 0 {
		return fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "is before the policy's first version for market %s (shop %q)", s.Market, s.ID)
	}
	v := &vs[vi]

	// ELG-6: deactivation, a permanent disqualification already recorded, or (where the policy
	// says so) a product banned, is permanent.
	banned := s.ProductBanned && v.productBan
	permanent := s.Deactivated || s.Previous == PermanentlyDisqualified || banned
	// ELG-1, MKT-3: the window (at − window, at] is half-open.
	counterfeit := hasViolation && violationN > atN-int64(v.window)
	// ELG-2: exactly the minimum passes.
	var low bool
	if inPlace && v.minAt[places] >= 0 {
		low = coef < v.minAt[places]
	} else if isSmall && v.minSmall {
		low = cmpSmall(coef, exp, v.minCoef, v.minExp) < 0
	} else {
		low = s.StoreRating.LessThan(v.minRating)
	}
	// The result's fields are written one by one, which costs less than a whole Result.
	r.ID, r.ShopID, r.Market = s.ID, s.ID, s.Market
	if !permanent && !counterfeit && !low {
		r.State, r.Decision.Allowed = Eligible, true
		return nil
	}

	reasons := room(dst, b2i(permanent)+b2i(counterfeit)+b2i(low))
	switch {
	case s.Deactivated:
		reasons = append(reasons, affrules.Reason{Rule: RulePermanent, Key: keyDeactivated})
	case banned:
		reasons = append(reasons, affrules.Reason{Rule: RulePermanent, Key: keyProductBan})
	case permanent:
		reasons = append(reasons, affrules.Reason{Rule: RulePermanent, Key: keyEarlier})
	}
	if counterfeit {
		reasons = append(reasons, affrules.Reason{Rule: RuleCounterfeit, Key: keyCounterfeitFailed,
			Observed: affrules.Instant(s.LastCounterfeitViolation), Limit: affrules.DaysOf(v.windowDays)})
	}
	if low {
		reasons = append(reasons, affrules.Reason{Rule: RuleStoreRating, Key: keyStoreRatingFailed,
			Observed: affrules.Decimal(s.StoreRating), Limit: v.minValue})
	}
	r.State = TemporarilyDisqualified
	if permanent {
		r.State = PermanentlyDisqualified
	}
	// Every reason above is a failure: the shop is not allowed.
	r.Scope, r.Decision.Reasons = ShopScope, reasons
	if !permanent {
		r.Decision.NextAllowed = bounds.Next(nextShopAllowed(vs, vi, low, at, s.LastCounterfeitViolation, hasViolation, s.StoreRating, s.ProductBanned))
	}
	return nil
}

// nextShopAllowed is when time alone lifts a temporary disqualification (MKT-5): the first
// instant after at at which the shop's facts pass both ELG-1 and ELG-2 under the policy version
// in force then (vs[vi] at at, where ELG-2 fails if low), or the zero time if none does: its
// violation has left that version's window by then and its rating meets that version's
// minimum. A later version can bring that instant forward or back (a shorter or longer window,
// another minimum), or make it none; one under which the shop's banned product disqualifies it
// (ELG-6) ends the search, since from its start the shop is permanently disqualified.
func nextShopAllowed(vs []shopVersion, vi int, low bool, at, violation time.Time, hasViolation bool, rating decimal.Decimal, productBanned bool) time.Time {
	rc, re, rSmall := small(rating) // compared in place, as shopInto compares it
	for k := vi; k < len(vs); k++ {
		t := at
		if k > vi {
			if productBanned && vs[k].productBan {
				return time.Time{}
			}
			if rSmall && vs[k].minSmall {
				if cmpSmall(rc, re, vs[k].minCoef, vs[k].minExp) < 0 {
					continue
				}
			} else if rating.LessThan(vs[k].minRating) {
				continue
			}
			t = time.Unix(0, vs[k].from).In(at.Location())
		} else if low {
			continue
		}
		if hasViolation { // ELG-1: the window (t − window, t] is clear of it from violation + window on
			if clear := violation.Add(vs[k].window); clear.After(t) {
				t = clear
			}
		}
		if k+1 == len(vs) || t.Before(time.Unix(0, vs[k+1].from)) {
			return t
		}
	}
	return time.Time{}
}

func (s *Shop) badRating() error {
	return fielderr.New(pkg, "shop["+s.ID+"].store_rating", s.StoreRating, "must be between 0 and 5: %w", affrules.ErrOutOfRange)
}

// room returns an empty slice that can hold n reasons: the part of dst's array after its
// elements if it has room for them there (dst's elements are left as they are), else a new
// array, the one allocation of a result's reasons, at their exact number.
func room(dst []affrules.Reason, n int) []affrules.Reason {
	if cap(dst)-len(dst) >= n {
		return dst[len(dst):]
	}
	return make([]affrules.Reason, 0, n)
}

// overlaps reports whether the array dst can write into (up to its capacity) holds any of
// reasons, so that writing a result's reasons there would overwrite those it copies.
func overlaps(dst, reasons []affrules.Reason) bool {
	if cap(dst) == 0 || len(reasons) == 0 {
		return false
	}
	size := unsafe.Sizeof(affrules.Reason{})
	d, r := uintptr(unsafe.Pointer(unsafe.SliceData(dst))), uintptr(unsafe.Pointer(unsafe.SliceData(reasons)))
	return d < r+uintptr(len(reasons))*size && r < d+uintptr(cap(dst))*size
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
