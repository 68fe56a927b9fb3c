package eligibility

import (
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Product is what the daily run knows about a product (ELG-3..6). Counts cover the window the host
// chooses; all must be non-negative. The zero Product has no ID, shop, market or category, so
// evaluating it is an error.
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

// Product evaluates product p of shop at instant at, given the shop's result from [Evaluator.Shop]
// for the same run: ELG-3 and ELG-4 against the limits of the product's market and category in
// force at at, each reported "not applicable" below its minimum count; ELG-6 for a frozen or
// delisted product, a permanently disqualified shop, or a previous permanent disqualification. A
// shop that is not eligible makes its products ineligible too, with the shop's reasons.
//
// The result's Scope says what is disqualified (ELG-6): [ProductScope] for the product's own rules
// (ELG-3, ELG-4, freezing, delisting) when its shop is eligible, [ShopScope] when the shop's
// disqualification accounts for the product's state, and [ProductScope] again when the product's
// own permanent disqualification outweighs its shop's temporary one; but [ShopScope] for a frozen
// or delisted product where [Thresholds.ProductBanDisqualifiesShop] makes the ban its shop's.
//
// A product that passes every rule allocates nothing; any other makes one allocation, its reasons.
//
// Errors report bad input (ELG-5 among them), each naming the product: an empty ID or shop ID,
// negative counts, more negative-review orders than orders or reviews, more seller-fault refunds
// than orders or refund cases, zero orders where a rate rule applies, no market, an unknown one or
// one other than the shop result's, an unknown category, an instant at that is the zero time or
// outside 1900–2199 or before the policy's first version, or a shop result for another shop, not
// from [Evaluator.Shop] (no market, no state, a product's result), or whose state and decision
// disagree, or that denies without a failed reason, or a temporarily disqualified shop's result
// whose NextAllowed is not after at (it was evaluated at an earlier instant, and its reasons no
// longer hold).
//
// The shop result stands for the shop at at: pass the shop evaluated at the same instant, as
// a [Run] does. A result carries no instant, so one from another instant is found out
// only in the case above; an eligible shop's result from before a stricter policy version, say,
// is taken as it is.
func (e *Evaluator) Product(p Product, shop Result, at time.Time) (Result, error) {
	return e.AppendProduct(nil, p, shop, at)
}

// AppendProduct is [Evaluator.Product] with the result's reasons written after dst's elements, in
// dst's array when it has room for them (dst, which may be nil, keeps its elements; the result's
// reasons are only its own). A host that is done with each result before the next evaluation (a
// daily run that writes each result out, to a database, a file or a queue, as it goes) keeps the
// array (buf = r.Decision.Reasons after a result with reasons; a passing result has none, nil, and
// leaves buf as it was), passes buf[:0], and evaluates without allocating once the array is large
// enough. The result's reasons then share that array, which the next such call overwrites: a result
// kept in memory beyond it needs its own copy of them (slices.Clone). [Run.AppendProduct] does the
// same for a product of a daily run. A product that passes has no reasons (nil), whatever dst
// holds. An array that holds any of the shop result's reasons, which the product's copy, is an
// error.
func (e *Evaluator) AppendProduct(dst []affrules.Reason, p Product, shop Result, at time.Time) (r Result, err error) {
	err = e.appendProduct(&r, dst, &p, &shop, at)
	return r, err
}

// ProductInto is [Evaluator.AppendProduct] writing the result for product *p of shop result *shop
// into *dst instead of returning it, its reasons appended to reasons as AppendProduct appends them
// to its dst: the same result, or the same error with *dst zero. It is for a daily run that passes
// each product and shop result by pointer and reuses one Result, which spares copying the
// product, the shop result and the result (112 bytes each) on every call (BenchmarkProductInto
// against BenchmarkProductMixAppend). Nothing of what *dst held before is kept. A nil dst, p or
// shop is an error, and so is dst pointing to the shop result itself, which is left as it is.
func (e *Evaluator) ProductInto(dst *Result, reasons []affrules.Reason, p *Product, shop *Result, at time.Time) error {
	switch {
	case dst == nil:
		return fielderr.New(pkg, "dst", "nil", "must point to a Result to write into")
	case dst == shop:
		return fielderr.New(pkg, "dst", "the shop result", "must not be the shop result the product is evaluated against")
	}
	*dst = Result{}
	switch {
	case p == nil:
		return fielderr.New(pkg, "product", "nil", "must point to a product")
	case shop == nil:
		return fielderr.New(pkg, "shop result", "nil", "must point to the product's shop result from Evaluator.Shop")
	}
	return e.appendProduct(dst, reasons, p, shop, at)
}

// appendProduct is AppendProduct writing the result into *r, zero on entry, which it leaves zero
// on error: a call that inlines AppendProduct then copies neither result nor arguments twice.
func (e *Evaluator) appendProduct(r *Result, dst []affrules.Reason, p *Product, shop *Result, at time.Time) error {
	if !e.ready() {
		return ErrNoPolicy
	}
	if !inBounds(at) {
		return bounds.Instant(pkg, "at", at)
	}
	// The keys, in one branch on the pass path: an empty ID, shop ID or market, or a shop result
	// of another shop or market (badKeys names which).
	if len(p.ID) == 0 || len(p.ShopID) == 0 || len(p.Market) == 0 || !same(p.ShopID, shop.ID) || !same(p.Market, shop.Market) ||
		!same(shop.ShopID, shop.ID) && len(shop.ShopID) != 0 || shop.Scope == ProductScope {
		return p.badKeys(shop)
	}
	tab := e.table(p.Category)
	if tab == nil {
		return fielderr.New(pkg, "product["+p.ID+"].category", strconv.Quote(string(p.Category)), "%w", affrules.ErrUnknownCategory)
	}
	mi, known := e.market(p.Market)
	if !known {
		return unknownMarket("product["+p.ID+"].market", p.Market)
	}
	vs := tab.def
	if mi >= 0 {
		vs = tab.markets[mi]
	}
	i := limitAt(vs, at.UnixNano()) // exact: at is within the bounds
	if i < 0 {
		return fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "is before the policy's first version for market %s (product %q)", p.Market, p.ID)
	}
	v := &vs[i]
	if err := p.check(shop, v); err != nil {
		return err
	}
	if p.passes(shop, v) { // *r is zero: its fields one by one cost less than a whole Result
		r.ID, r.ShopID, r.Market, r.State, r.Decision.Allowed = p.ID, p.ShopID, p.Market, Eligible, true
		return nil
	}
	if shop.Decision.Allowed != (shop.State == Eligible) { // off the pass path: passes needs both
		return fielderr.New(pkg, "product["+p.ID+"] shop result", shop.State, "disagrees with its decision.allowed %t: must come from Evaluator.Shop", shop.Decision.Allowed)
	}
	shopFailures := 0 // the shop's failed reasons, which the product's decision carries (MKT-5)
	if shop.State != Eligible {
		for i := range shop.Decision.Reasons {
			if shop.Decision.Reasons[i].Kind != affrules.NotApplicable {
				shopFailures++
			}
		}
		if shopFailures == 0 { // a denial must say why
			return fielderr.New(pkg, "product["+p.ID+"] shop result", shop.State, "has no failed reason: must come from Evaluator.Shop")
		}
	}
	if shop.lifted(at) {
		// The shop's temporary disqualification had lifted by at: its reasons are no longer true
		// (MKT-5), so the shop result is from an earlier instant than the product's.
		return fielderr.New(pkg, "product["+p.ID+"] shop result", strconv.Quote(shop.ID), "lifts at %s, not after the product's instant %s: evaluate the shop at the product's instant (the same run, ELG-6)",
			shop.Decision.NextAllowed.Format(time.RFC3339Nano), at.Format(time.RFC3339Nano))
	}
	if overlaps(dst, shop.Decision.Reasons) {
		return fielderr.New(pkg, "product["+p.ID+"] reasons", "dst", "shares the shop result's reasons: pass another array")
	}
	productReasons(r, dst, p, shop, v, shopFailures)
	if r.State == TemporarilyDisqualified {
		svs := e.defShop // the market's shop versions, one for each of vs
		if mi >= 0 {
			svs = e.shops[mi]
		}
		r.Decision.NextAllowed = p.nextAllowed(vs, svs, shop, at)
	}
	return nil
}

// nextAllowed is when time alone lifts the temporary disqualification of a product evaluated at
// at (MKT-5), or the zero time if it does not: the first instant after at from which its shop
// is eligible (at once, or from the lift its result names) and its own rules pass (passesOwn)
// under the policy version in force then, a later version's start among them: a looser limit
// scheduled lets the product's present facts pass from its start. The shop result says the shop
// passes from its instant (at, or its lift) under the version in force then, not what its facts
// are, so the search goes on only through later versions no stricter for shops (svs, the
// versions' shop rules, one for each of vs): a window no longer, a minimum rating no higher, no
// product ban disqualifying the shop where that version's did not. One stricter for shops might
// keep the shop out from its start: the product is told no instant then (the shop's next
// evaluation decides), rather than a later one that might not be the first.
func (p *Product) nextAllowed(vs []limitVersion, svs []shopVersion, shop *Result, at time.Time) time.Time {
	from := at
	if shop.State != Eligible {
		if shop.Decision.NextAllowed.IsZero() {
			return time.Time{}
		}
		from = shop.Decision.NextAllowed
		if p.passesOwn(vs, from) {
			return bounds.Next(from) // a stored shop result may name one from 2200 on
		}
	}
	f := unixNanoIn(from)
	ref := shopAt(svs, f) // the version the shop passes under from from
	if ref < 0 || len(svs) != len(vs) {
		return time.Time{}
	}
	for k := ref + 1; k < len(vs); k++ {
		switch {
		case vs[k].from <= f:
		case !noStricterForShops(&svs[k], &svs[ref]):
			return time.Time{} // the shop may be out from then on: no instant is promised
		case k+1 < len(vs) && vs[k+1].from == vs[k].from: // the next is in force from then
		case p.passesUnder(&vs[k]): // the version in force from its start
			return bounds.Next(time.Unix(0, vs[k].from).In(at.Location()))
		}
	}
	return time.Time{}
}

// noStricterForShops reports whether a shop that passes ELG-1, ELG-2 and ELG-6's product ban
// under version ref at some instant passes them under v at any later instant.
func noStricterForShops(v, ref *shopVersion) bool {
	if v.window > ref.window || v.productBan && !ref.productBan {
		return false
	}
	if v.minSmall && ref.minSmall { // in place, without allocating
		return cmpSmall(v.minCoef, v.minExp, ref.minCoef, ref.minExp) <= 0
	}
	return v.minRating.LessThanOrEqual(ref.minRating)
}

// passesOwn reports whether the product's own rules (ELG-3, ELG-4, with ELG-5's undefined rates
// as failures) pass under the version of vs in force at t (nextAllowed: its shop's lift, or a
// later version's start).
func (p *Product) passesOwn(vs []limitVersion, t time.Time) bool {
	i := len(vs) - 1
	if inBounds(t) {
		i = limitAt(vs, t.UnixNano())
	}
	return i >= 0 && p.passesUnder(&vs[i])
}

// passesUnder reports whether the product's own rules (ELG-3, ELG-4, with ELG-5's undefined
// rates as failures) pass under version v.
func (p *Product) passesUnder(v *limitVersion) bool {
	if !v.present || (p.Reviews >= v.minReviews && p.Orders == 0) || (p.refundCount(v) >= v.minRefundCases && p.refundBase(v) == 0) {
		return false // ELG-5: no thresholds, or a rate rule applying with no denominator
	}
	_, negFails, _, refFails := p.rateRules(v)
	return !negFails && !refFails
}

// rateRules judges ELG-3 and ELG-4 under v: whether each applies (its minimum of reviews or
// cases reached) and, if it does, fails (its rate not strictly below the limit).
func (p *Product) rateRules(v *limitVersion) (negApplies, negFails, refApplies, refFails bool) {
	negApplies, refApplies = p.Reviews >= v.minReviews, p.refundCount(v) >= v.minRefundCases
	negFails = negApplies && v.negative.CmpFraction(p.NegativeReviewOrders, p.Orders) >= 0    // ELG-3: strictly below passes
	refFails = refApplies && v.refund.CmpFraction(p.SellerFaultRefunds, p.refundBase(v)) >= 0 // ELG-4: strictly below passes
	return negApplies, negFails, refApplies, refFails
}

// passes reports whether every rule applies and passes: the hot path, which allocates nothing.
func (p *Product) passes(shop *Result, v *limitVersion) bool {
	return p.Reviews >= v.minReviews && p.refundCount(v) >= v.minRefundCases &&
		v.negative.CmpFraction(p.NegativeReviewOrders, p.Orders) < 0 && // ELG-3: strictly below
		v.refund.CmpFraction(p.SellerFaultRefunds, p.refundBase(v)) < 0 && // ELG-4: strictly below
		!p.Frozen && !p.Delisted && p.Previous != PermanentlyDisqualified && shop.State == Eligible && shop.Decision.Allowed
}

// productReasons explains a product that does not pass: every failing rule and every rule that
// did not apply, then the shop's failures (shopFailures of them) if the shop is not eligible,
// appended to dst (empty).
// It allocates the reasons at most once, at their exact number, when dst is too small.
func productReasons(r *Result, dst []affrules.Reason, p *Product, shop *Result, v *limitVersion, shopFailures int) {
	negApplies, negFails, refApplies, refFails := p.rateRules(v)
	ownPermanent := p.Frozen || p.Delisted || p.Previous == PermanentlyDisqualified
	permanent := ownPermanent || shop.State == PermanentlyDisqualified
	banned := (p.Frozen || p.Delisted) && v.productBan // ELG-6: the ban disqualifies the shop

	n := b2i(ownPermanent) + b2i(!negApplies || negFails) + b2i(!refApplies || refFails)
	// The product's own reasons are written straight into their array, then the shop's follow.
	reasons := room(dst, n+shopFailures)[:n]
	k := 0
	if ownPermanent { // ELG-6
		key := keyEarlier
		switch {
		case p.Frozen:
			key = keyFrozen
		case p.Delisted:
			key = keyDelisted
		}
		reasons[k] = affrules.Reason{Rule: RulePermanent, Key: key}
		k++
	}
	switch {
	case !negApplies:
		reasons[k] = v.reasons.negNotApplicable
		reasons[k].Observed = affrules.Count(p.Reviews)
		k++
	case negFails:
		reasons[k] = v.reasons.negFailed
		reasons[k].Observed = affrules.Ratio(p.NegativeReviewOrders, p.Orders)
		k++
	}
	switch {
	case !refApplies:
		reasons[k] = v.reasons.refNotApplicable
		reasons[k].Observed = affrules.Count(p.refundCount(v))
	case refFails:
		reasons[k] = v.reasons.refFailed
		reasons[k].Observed = affrules.Ratio(p.SellerFaultRefunds, p.refundBase(v))
	}
	ownFails := ownPermanent || negFails || refFails
	// *r is zero: its fields are written one by one, which costs less than a whole Result.
	r.ID, r.ShopID, r.Market = p.ID, p.ShopID, p.Market
	if shop.State == Eligible {
		switch {
		case ownPermanent:
			r.State = PermanentlyDisqualified
		case ownFails:
			r.State = TemporarilyDisqualified
		default:
			r.State = Eligible
		}
		if ownFails {
			r.Scope = ProductScope
			if banned {
				r.Scope = ShopScope // the shop's facts must now say so: Shop.ProductBanned
			}
		}
		r.Decision.Allowed, r.Decision.Reasons = !ownFails, reasons
		return
	}
	// The shop's failures make the product ineligible too (Product has checked that the shop's
	// decision denies); when time lifts them is nextAllowed's.
	for i := range shop.Decision.Reasons { // its failures: a result from Evaluator.Shop has no other
		if shop.Decision.Reasons[i].Kind != affrules.NotApplicable {
			reasons = append(reasons, shop.Decision.Reasons[i])
		}
	}
	r.Decision.Reasons = reasons
	switch {
	case permanent:
		r.State = PermanentlyDisqualified
	default:
		r.State = TemporarilyDisqualified
	}
	r.Scope = ShopScope
	if r.State != shop.State && !banned { // ELG-6: a frozen or delisted product of a paused shop
		r.Scope = ProductScope
	}
}

// badKeys names what is wrong with the keys that identify the product and tie it to its shop
// result: its ID, its shop's ID and its market, which must be the shop result's (the thresholds
// applied are the market's). A shop result without a market did not come from [Evaluator.Shop].
// Product calls it only when a key is wrong, so it always returns an error.
func (p *Product) badKeys(shop *Result) error {
	switch {
	case p.ID == "":
		return fielderr.New(pkg, "product.id", "", "is required (product of shop %q)", p.ShopID)
	case p.ShopID == "":
		return fielderr.New(pkg, "product["+p.ID+"].shop_id", "", "is required")
	case shop.Scope == ProductScope || shop.ShopID != "" && shop.ShopID != shop.ID:
		// A product's result given for its shop's: its state is the product's (ELG-6).
		return fielderr.New(pkg, "product["+p.ID+"] shop result", strconv.Quote(shop.ID), "is the result of a product of shop %q (scope %s), not a shop's: must come from Evaluator.Shop", shop.ShopID, shop.Scope)
	case !same(p.ShopID, shop.ID):
		return fielderr.New(pkg, "product["+p.ID+"].shop_id", strconv.Quote(p.ShopID), "does not match the shop result's id %q", shop.ID)
	case p.Market == "":
		return unknownMarket("product["+p.ID+"].market", "")
	case shop.Market == "":
		return fielderr.New(pkg, "product["+p.ID+"] shop result", strconv.Quote(shop.ID), "has no market: must come from Evaluator.Shop")
	}
	if _, err := affrules.LookupMarket(p.Market); err != nil {
		return unknownMarket("product["+p.ID+"].market", p.Market)
	}
	return fielderr.New(pkg, "product["+p.ID+"].market", p.Market, "differs from shop %s's market %s", strconv.Quote(p.ShopID), shop.Market)
}

// check validates the product's counts (ELG-5 and bad input) and the shop result's state. It is
// on the pass path, so the count checks share one branch: with every count non-negative no
// difference can overflow, and a negative count or difference sets the sign bit of the OR.
func (p *Product) check(shop *Result, v *limitVersion) error {
	switch {
	case shop.State-1 > PermanentlyDisqualified-1: // Unevaluated wraps round to 255
		return fielderr.New(pkg, "product["+p.ID+"] shop result", shop.State, "must come from Evaluator.Shop")
	case !v.present:
		return fielderr.New(pkg, "product["+p.ID+"].category", strconv.Quote(string(p.Category)), "has no thresholds in the policy version in force: %w", affrules.ErrUnknownCategory)
	case p.Orders|p.Reviews|p.NegativeReviewOrders|p.RefundCases|p.SellerFaultRefunds|
		(p.Reviews-p.NegativeReviewOrders)|(p.Orders-p.NegativeReviewOrders)|
		(p.RefundCases-p.SellerFaultRefunds)|(p.Orders-p.SellerFaultRefunds) < 0:
		return p.badCount()
	case p.Orders == 0 && (p.Reviews >= v.minReviews || (p.refundCount(v) >= v.minRefundCases && !v.refundOfCases)):
		return fielderr.New(pkg, "product["+p.ID+"].orders", 0, "rate undefined: a rate rule applies but there are no orders (ELG-5)")
	case p.Previous > PermanentlyDisqualified:
		return fielderr.New(pkg, "product["+p.ID+"].previous", int(p.Previous), "%w", affrules.ErrOutOfRange)
	}
	return nil
}

// refundCount is what ELG-4's minimum counts under v: every return/refund case, or only the
// seller-fault ones ([Thresholds.MinRefundCasesSellerFault]).
func (p *Product) refundCount(v *limitVersion) int64 {
	if v.minSellerFault {
		return p.SellerFaultRefunds
	}
	return p.RefundCases
}

// refundBase is ELG-4's denominator under v: the product's orders, or its return/refund cases
// ([Thresholds.RefundRateOfCases]).
func (p *Product) refundBase(v *limitVersion) int64 {
	if v.refundOfCases {
		return p.RefundCases
	}
	return p.Orders
}

// badCount names the first count that is negative or exceeds what it is a part of.
func (p *Product) badCount() error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"orders", p.Orders}, {"reviews", p.Reviews}, {"negative_review_orders", p.NegativeReviewOrders}, {"refund_cases", p.RefundCases}, {"seller_fault_refunds", p.SellerFaultRefunds}} {
		if f.v < 0 {
			return fielderr.New(pkg, "product["+p.ID+"]."+f.name, f.v, "%w", affrules.ErrNegative)
		}
	}
	switch {
	case p.NegativeReviewOrders > p.Reviews: // each such order has at least one review
		return fielderr.New(pkg, "product["+p.ID+"].negative_review_orders", p.NegativeReviewOrders, "exceeds reviews %d", p.Reviews)
	case p.NegativeReviewOrders > p.Orders:
		return fielderr.New(pkg, "product["+p.ID+"].negative_review_orders", p.NegativeReviewOrders, "exceeds orders %d", p.Orders)
	case p.SellerFaultRefunds > p.RefundCases:
		return fielderr.New(pkg, "product["+p.ID+"].seller_fault_refunds", p.SellerFaultRefunds, "exceeds refund_cases %d", p.RefundCases)
	default:
		return fielderr.New(pkg, "product["+p.ID+"].seller_fault_refunds", p.SellerFaultRefunds, "exceeds orders %d", p.Orders)
	}
}
