package commission

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// Order is one order line to pay commission on: the facts the resolver decides by (COM-3..6,
// COM-10..13) and the amounts of the line item (COM-1).
type Order struct {
	// ID identifies the order line; a [Record] is kept under it.
	ID      string              `json:"id"`
	Creator string              `json:"creator"`
	Product string              `json:"product"`
	Market  affrules.MarketCode `json:"market"`
	// Category is read only for COM-14's advisory, given when the policy holds a suggested rate
	// for exactly this key in the order's market; it may be empty, and a category the policy does
	// not name (a typo included) gets no advisory and is not an error.
	Category affrules.Category `json:"category,omitempty"`
	// Attributed says the order came through the creator's promotion (COM-13, a host input).
	Attributed bool `json:"attributed"`
	// ShopAds says the order came through shop ads; VideoAuthorised that the creator
	// authorised the video for ads (COM-6).
	ShopAds         bool `json:"shop_ads"`
	VideoAuthorised bool `json:"video_authorised"`
	// OrderCount is the creator's number of orders of the product, this one included, for
	// tiered rates (COM-11): the order numbered Threshold is the first of the upper tier.
	OrderCount int64 `json:"order_count"`
	// PromotingSince is when the creator started promoting the product (COM-10).
	PromotingSince time.Time `json:"promoting_since"`
	// Currency and the line item's amounts (COM-1): the price, the platform and seller coupons
	// and the tax on it, each exact to the currency's minor unit. Shipping is stated beside the
	// base, which counts it only under [Policy.ShippingInBase].
	Currency       string          `json:"currency"`
	Price          decimal.Decimal `json:"price"`
	PlatformCoupon decimal.Decimal `json:"platform_coupon"`
	SellerCoupon   decimal.Decimal `json:"seller_coupon"`
	Tax            decimal.Decimal `json:"tax"`
	Shipping       decimal.Decimal `json:"shipping"`
}

// Outcome is what became of one candidate offer of an order (COM-5).
type Outcome uint8

// Outcomes.
const (
	Won Outcome = iota // the offer pays the order
	// Overridden: it applied, and another offer won (of a higher-ranked source, or of its own
	// source at a higher rate: COM-5), or none did, a failed rule keeping the order from
	// earning (COM-6, COM-13); its reason names the rule.
	Overridden
	OutsidePeriod // the order is outside its period (COM-3, COM-12)
	NotCovered    // the creator is not covered, not yet a member or not matched (COM-3, COM-12)
	NotApproved   // a partner campaign whose registration is not approved (COM-12)
	NoRate        // no rate in force at the order's instant, none set (COM-4), or no shop-ads rate without fallback
	NotRanked     // its source is not in the precedence list used (COM-5)
)

var outcomeNames = enum.Names[Outcome]{"won", "overridden", "outside_period", "not_covered", "not_approved", "no_rate", "not_ranked"}

// String returns the outcome's name, e.g. "overridden".
func (o Outcome) String() string { return outcomeNames.String("Outcome", o) }

// MarshalText returns the outcome's name.
func (o Outcome) MarshalText() ([]byte, error) {
	if b, ok := outcomeNames.Text(o); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "outcome", int(o), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses an outcome's name, so that candidates a host kept as JSON read back.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, ok := outcomeNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "outcome", strconv.Quote(string(b)), "must be one of %s", outcomeNames.List())
	}
	*o = v
	return nil
}

// Candidate is one offer that could have paid an order: its outcome, the rate it would give
// where it applied, and, unless it won, the reason it did not.
type Candidate struct {
	OfferID string          `json:"offer_id"`
	Source  Source          `json:"source"`
	Outcome Outcome         `json:"outcome"`
	Rate    affrules.Rate   `json:"rate,omitzero"`
	Reason  affrules.Reason `json:"reason,omitzero"`
}

// why says why a candidate did not win; the resolver records it in a few bytes and builds the
// reason only when asked ([Resolution.Candidates]).
type why uint8

const (
	whyNone why = iota
	whyBeforeStart
	whyEnded
	whyNotCovered
	whyNotJoined
	whyNotMatched
	whyNotApproved
	whyNotRanked
	whyNoExclusive
	whyNoRateYet
	whyNoShopAdsRate
	whyOverridden
	whyOutbid // another offer of the same source won: a higher rate, or the same rate and in force over a removed one, or a lower offer ID
	whyFailed // it applied, and the order earns nothing (COM-4, COM-6, COM-13)
)

// cand is a candidate as the resolver records it: no pointers, so the one allocation of a
// resolution is cheap for the collector.
type cand struct {
	offer   int32 // index in the book
	source  Source
	outcome Outcome
	why     why
	rate    affrules.Rate
	limit   int64 // Unix nanoseconds of the instant a reason's limit names
}

// noteKind names a note on the winner.
type noteKind uint8

const (
	noteVideo noteKind = iota + 1
	noteNoShopAds
	noteTier
	noteNewPromoter
	noteDelayed
	noteAdvisory
	noteRemoved               // CMP-7 under Policy.RemovalDelayed
	noteKinds   = noteRemoved // the number of kinds: a resolution has at most one note of each
)

type note struct {
	kind         noteKind
	offer        int32
	rate1, rate2 affrules.Rate
	n1, n2       int64
}

// Resolution is the resolver's answer for one order line at its instant: the winning source and
// offer and the rate it pays (zero Source when nothing is earned), every candidate offer of the
// product in the market with its outcome, by offer ID ([Resolution.Candidates]), notes on the
// winner (COM-5's shop-ads fallback, COM-6, COM-10's delayed decrease or new promoter, COM-11's
// tier, COM-14's advisory: [Resolution.Notes]) and, when nothing is earned, the failed reason of
// every rule that kept it from earning ([Resolution.Failures], [Resolution.Decision], MKT-5).
// Reasons are built only when asked for.
type Resolution struct {
	Order        string              `json:"order"`
	CreatorID    string              `json:"creator_id"`
	Market       affrules.MarketCode `json:"market"`
	At           time.Time           `json:"at"`
	Source       Source              `json:"source,omitzero"`
	OfferID      string              `json:"offer_id,omitempty"`
	Rate         affrules.Rate       `json:"rate"`
	ShopAdsRate  bool                `json:"shop_ads_rate"` // the winner's shop-ads rate was paid
	UpperTier    bool                `json:"upper_tier"`    // the upper tier's rate was paid (COM-11)
	PartnerShare affrules.Rate       `json:"partner_share,omitzero"`

	book                  *Book
	category              affrules.Category
	small                 [inlineCands]cand // the candidates when there are at most inlineCands
	ncands                int32
	many                  []cand // the candidates when there are more
	notes                 [noteKinds]note
	nnotes                uint8
	failures              failSet // every failed rule when nothing is earned (MKT-5)
	considered            int32   // offers considered, for COM-4's reason
	rateUnits, shareUnits int64
}

// failSet is the set of rules that failed an order, reported together (MKT-5).
type failSet uint8

const (
	failAttributed  failSet = 1 << iota // COM-13: not attributed
	failVideo                           // COM-6: video not authorised, standard rates refused
	failNoExclusive                     // COM-4: a Collaboration Plus without an exclusive rate, and no Open rate
	failNoSource                        // COM-3: no rate source applies to the order
)

// inlineCands is how many candidates a Resolution holds without allocating.
const inlineCands = 8

// cands returns the candidates as recorded. A Resolution is a value: its inline candidates are
// sliced from the copy the method was called on.
func (r *Resolution) cands() []cand {
	if r.many != nil {
		return r.many
	}
	return r.small[:r.ncands]
}

// Earned reports whether a source pays the order.
func (r Resolution) Earned() bool { return r.Source != 0 }

// Candidates returns every candidate offer, by offer ID, with its outcome and, unless it won,
// the reason it did not.
func (r Resolution) Candidates() []Candidate {
	cs := r.cands()
	out := make([]Candidate, len(cs))
	for i, c := range cs {
		out[i] = Candidate{OfferID: r.book.offers[c.offer].ID, Source: c.source, Outcome: c.outcome, Rate: c.rate, Reason: r.candReason(c)}
	}
	return out
}

// instant returns Unix nanoseconds as an instant value in the zone of the order's instant.
func (r *Resolution) instant(n int64) affrules.Value {
	return affrules.Instant(time.Unix(0, n).In(r.At.Location()))
}

func (r *Resolution) candReason(c cand) affrules.Reason {
	p := &r.book.offers[c.offer]
	na := affrules.NotApplicable
	at := affrules.Instant(r.At)
	switch c.why {
	case whyBeforeStart:
		return affrules.Reason{Rule: ruleOfPeriod(c.source), Kind: na, Key: keyBeforeStart, Observed: at, Limit: r.instant(c.limit), Subject: p.ID}
	case whyEnded:
		return affrules.Reason{Rule: ruleOfPeriod(c.source), Kind: na, Key: keyEnded, Observed: at, Limit: r.instant(c.limit), Subject: p.ID}
	case whyNotCovered:
		return affrules.Reason{Rule: RuleAtOrderTime, Kind: na, Key: keyNotCovered, Observed: affrules.Text(r.CreatorID), Subject: p.ID}
	case whyNotJoined:
		return affrules.Reason{Rule: RuleAtOrderTime, Kind: na, Key: keyNotJoined, Observed: at, Limit: r.instant(c.limit), Subject: p.ID}
	case whyNotMatched:
		return affrules.Reason{Rule: RulePartnerScope, Kind: na, Key: keyNotMatched, Observed: affrules.Text(r.CreatorID), Subject: p.ID}
	case whyNotApproved:
		return affrules.Reason{Rule: RulePartnerScope, Kind: na, Key: keyNotApproved, Subject: p.ID}
	case whyNotRanked:
		return affrules.Reason{Rule: RulePrecedence, Kind: na, Key: keyNotRanked, Observed: affrules.Text(c.source.String()), Subject: p.ID}
	case whyNoExclusive:
		if r.Source == Open {
			return affrules.Reason{Rule: RuleNoExclusiveRate, Kind: na, Key: keyNoExclusiveRate, Subject: p.ID}
		}
		return affrules.Reason{Rule: RuleNoExclusiveRate, Kind: na, Key: keyNoExclusiveSet, Subject: p.ID}
	case whyNoRateYet:
		return affrules.Reason{Rule: RuleAtOrderTime, Kind: na, Key: keyNoRateYet, Observed: at, Limit: r.instant(c.limit), Subject: p.ID}
	case whyNoShopAdsRate:
		return affrules.Reason{Rule: RulePrecedence, Kind: na, Key: keyNoShopAdsNoFallback, Subject: p.ID}
	case whyOverridden:
		return affrules.Reason{Rule: RulePrecedence, Kind: na, Key: keyOverridden, Observed: affrules.Text(c.source.String()), Limit: affrules.Text(r.Source.String()), Subject: p.ID}
	case whyOutbid:
		return affrules.Reason{Rule: RulePrecedence, Kind: na, Key: keyOutbid, Observed: affrules.RateOf(c.rate), Limit: affrules.RateOf(r.Rate), Subject: p.ID}
	case whyFailed:
		var buf [1]affrules.Reason
		f := r.failureReasons(buf[:0])[0] // the first failed rule
		f.Kind, f.Subject = na, p.ID
		return f
	}
	return affrules.Reason{}
}

// failureReasons appends the failed reason of every rule that failed the order to dst, COM-13
// first, then COM-6, then COM-4 or COM-3 (nothing applies).
func (r *Resolution) failureReasons(dst []affrules.Reason) []affrules.Reason {
	if r.failures&failAttributed != 0 {
		dst = append(dst, affrules.Reason{Rule: RuleAttributed, Key: keyNotAttributed, Observed: affrules.Text(r.Order)})
	}
	if r.failures&failVideo != 0 {
		dst = append(dst, affrules.Reason{Rule: RuleShopAdsVideo, Key: keyVideoNotAuthorised, Observed: affrules.Text(r.CreatorID), Subject: r.Order})
	}
	if r.failures&failNoExclusive != 0 {
		dst = append(dst, affrules.Reason{Rule: RuleNoExclusiveRate, Key: keyNoRate, Observed: affrules.Count(int64(r.considered))})
	}
	if r.failures&failNoSource != 0 {
		dst = append(dst, affrules.Reason{Rule: RuleAtOrderTime, Key: keyNoSource, Observed: affrules.Count(int64(r.considered))})
	}
	if r.failures == 0 && !r.Earned() { // neither paid nor failed: not from Resolve (the zero one)
		dst = append(dst, affrules.Reason{Rule: RuleAtOrderTime, Key: keyNotResolved})
	}
	return dst
}

// Failures returns the failed reason of every rule that kept the order from earning (MKT-5):
// COM-13 (not attributed), COM-6 (video not authorised for ads, when the policy refuses
// standard rates for it), COM-4 (a Collaboration Plus without an exclusive rate and no Open
// rate) or COM-3 (no rate source applies). It is empty when a source pays; a Resolution with
// neither a source nor a failure, which [Evaluator.Resolve] never makes (the zero Resolution),
// fails COM-3 as "not resolved".
func (r Resolution) Failures() []affrules.Reason {
	return r.failureReasons(nil)
}

// failureText joins the failed reasons in English.
func (r *Resolution) failureText() string {
	fs := r.failureReasons(nil)
	if len(fs) == 1 && fs[0].Key == keyNotResolved {
		return "not resolved" // as the zero Resolution has always read
	}
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Notes returns the notes on the winner, non-blocking reasons (kind NotApplicable).
func (r Resolution) Notes() []affrules.Reason {
	out := make([]affrules.Reason, r.nnotes)
	for i, n := range r.notes[:r.nnotes] {
		out[i] = r.noteReason(n)
	}
	return out
}

func (r *Resolution) noteReason(n note) affrules.Reason {
	na := affrules.NotApplicable
	switch n.kind {
	case noteVideo:
		return affrules.Reason{Rule: RuleShopAdsVideo, Kind: na, Key: keyVideoNotAuthorised, Observed: affrules.Text(r.CreatorID), Subject: r.Order}
	case noteNoShopAds:
		return affrules.Reason{Rule: RulePrecedence, Kind: na, Key: keyNoShopAdsRate, Observed: affrules.RateOf(n.rate1), Subject: r.OfferID}
	case noteTier:
		return affrules.Reason{Rule: RuleTiers, Kind: na, Key: keyTierUpper, Observed: affrules.Count(n.n1), Limit: affrules.Count(n.n2), Subject: r.OfferID}
	case noteNewPromoter:
		p := &r.book.offers[n.offer]
		return affrules.Reason{Rule: RuleDecrease, Kind: na, Key: keyNewPromoter, Observed: affrules.Text(p.Source.String()), Limit: r.instant(n.n1), Subject: p.ID}
	case noteDelayed:
		return affrules.Reason{Rule: RuleDecrease, Kind: na, Key: keyDecreaseDelayed, Observed: affrules.RateOf(n.rate1), Limit: r.instant(n.n1), Subject: r.OfferID}
	case noteAdvisory:
		return affrules.Reason{Rule: RuleSuggested, Kind: na, Key: keyBelowSuggested, Observed: affrules.RateOf(n.rate1), Limit: affrules.RateOf(n.rate2), Subject: string(r.category)}
	case noteRemoved:
		return affrules.Reason{Rule: RuleDecrease, Kind: na, Key: keyRemovalDelayed, Observed: r.instant(n.n1), Limit: r.instant(n.n2), Subject: r.OfferID}
	}
	return affrules.Reason{}
}

// Decision returns the resolution as a decision (MKT-5): allowed when a source pays, with the
// notes on the winner and the reason of every other candidate; denied with every failed reason
// (COM-13, COM-6, then COM-4 or COM-3) first when none does.
func (r Resolution) Decision() affrules.Decision {
	cs := r.cands()
	reasons := make([]affrules.Reason, 0, 1+int(r.nnotes)+len(cs))
	reasons = r.failureReasons(reasons)
	for _, n := range r.notes[:r.nnotes] {
		reasons = append(reasons, r.noteReason(n))
	}
	for _, c := range cs {
		if c.outcome != Won {
			reasons = append(reasons, r.candReason(c))
		}
	}
	return affrules.Decide(reasons...)
}

// MarshalJSON encodes the resolution with its candidates, notes and decision.
func (r Resolution) MarshalJSON() ([]byte, error) {
	type plain Resolution // without this method
	return json.Marshal(struct {
		plain
		Candidates []Candidate       `json:"candidates"`
		Notes      []affrules.Reason `json:"notes"`
		Decision   affrules.Decision `json:"decision"`
	}{plain(r), r.Candidates(), r.Notes(), r.Decision()})
}

// Explain returns the resolution in English on several lines: the winner and its rate, then
// each note, then each other candidate with why it lost.
func (r Resolution) Explain() string {
	var b strings.Builder
	if r.Earned() {
		b.WriteString(r.Source.String())
		b.WriteString(" offer ")
		b.WriteString(r.OfferID)
		b.WriteString(" pays ")
		b.WriteString(r.Rate.String())
		if r.ShopAdsRate {
			b.WriteString(" (shop-ads rate)")
		}
		if r.UpperTier {
			b.WriteString(" (upper tier)")
		}
	} else {
		b.WriteString("no commission: ")
		b.WriteString(r.failureText())
	}
	for _, n := range r.Notes() {
		b.WriteString("\n  note: ")
		b.WriteString(n.String())
	}
	for _, c := range r.Candidates() {
		if c.Outcome == Won {
			continue
		}
		b.WriteString("\n  ")
		b.WriteString(c.Source.String())
		b.WriteString(" offer ")
		b.WriteString(c.OfferID)
		if !c.Rate.IsZero() {
			b.WriteString(" (")
			b.WriteString(c.Rate.String())
			b.WriteByte(')')
		}
		b.WriteString(": ")
		b.WriteString(c.Reason.String())
	}
	return b.String()
}

// note adds n; the resolver adds at most one note of each kind, which the array holds.
func (r *Resolution) note(n note) {
	r.notes[r.nnotes] = n
	r.nnotes++
}

// checkOrder checks the facts the resolver reads; it returns the order's market.
func (e *Evaluator) checkOrder(o *Order, at time.Time) (*affrules.Market, error) {
	m, ok := e.market(o.Market)
	if ok && o.ID != "" && o.Creator != "" && o.Product != "" && o.OrderCount >= 1 &&
		bounds.InRange(at) && bounds.InRange(o.PromotingSince) && !o.PromotingSince.After(at) {
		return m, nil // the usual order, in one pass; any other is checked field by field below
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return nil, err
	}
	var l *fielderr.List
	add := func(field string, v any, format string, args ...any) {
		if l == nil {
			l = fielderr.For(pkg)
		}
		l.Add(field, v, format, args...)
	}
	if o.ID == "" {
		add("order.id", "", "must not be empty")
	}
	if o.Creator == "" {
		add("order.creator", "", "must not be empty")
	}
	if o.Product == "" {
		add("order.product", "", "must not be empty")
	}
	if !ok {
		add("order.market", strconv.Quote(string(o.Market)), "%w", affrules.ErrUnknownMarket)
	}
	if o.OrderCount < 1 {
		add("order.order_count", o.OrderCount, "must be at least 1, this order included (COM-11): %w", affrules.ErrOutOfRange)
	}
	if err := bounds.Instant(pkg, "order.promoting_since", o.PromotingSince); err != nil {
		if l == nil {
			l = fielderr.For(pkg)
		}
		l.Append(err)
	} else if o.PromotingSince.After(at) {
		add("order.promoting_since", o.PromotingSince.Format(time.RFC3339Nano), "is after the order's instant %s (COM-10)", at.Format(time.RFC3339Nano))
	}
	if l != nil {
		return m, l.Err()
	}
	return m, nil
}

// checkBook refuses a book prepared under another offer rule than the evaluator's.
func (e *Evaluator) checkBook(b *Book) error {
	if b == nil { // most likely Prepare's result beside an error not looked at
		return fielderr.New(pkg, "book", "nil", "must be a Book from Evaluator.Prepare (a book of no offers is &commission.Book{})")
	}
	if b.slots != nil && b.rule != e.rule {
		return fielderr.New(pkg, "book", "("+b.rule.describe()+")", "was prepared under another offer rule than the evaluator's (%s): %w", e.rule.describe(), ErrForeignBook)
	}
	return nil
}

// describe names every setting of offer rule r, as an error comparing two rules shows them.
func (r OfferRule) describe() string {
	return fmt.Sprintf("rates %s–%s, exclusive rate required %t, relisting delay %s, shop-ads fallback %t",
		r.MinRate, r.MaxRate, r.RequireExclusiveRate, r.RelistDelay, !r.NoShopAdsFallback)
}

// Resolve decides which source pays order line o at its instant at, and at which rate (COM-3):
// of the book's offers for the order's product and market, each is judged at at only, so that
// offers and rate changes dated after at do not change the answer. An offer applies when the
// order is in its period, it covers the creator (a Collaboration Plus member from join ≤ at <
// end, COM-3; a partner campaign approved and the creator matched, COM-12), its source is
// ranked and it has a rate in force; of those the highest-ranked source wins (COM-5, the
// shop-ads list for an authorised shop-ads order, COM-6), ties going to the higher rate, then a
// listing in force over a removed one still paying ([Policy.RemovalDelayed]), then the lower
// offer ID. A delayed source's decrease reaches a creator already promoting only
// after the policy's delay, and the end of a reset source's offer makes a returning creator a
// new promoter (COM-10); a tiered rate pays the upper tier from its threshold order (COM-11).
// An unattributed order earns nothing (COM-13).
//
// Bad input is an error and decides nothing: an instant out of bounds, an empty order, creator
// or product ID, an unknown market, an order count below 1, a promotion start out of bounds or
// after at; a nil book; a book prepared by an evaluator with another offer rule
// ([ErrForeignBook]).
// Resolve does not read the order's amounts; [Evaluator.Compute] does.
func (e *Evaluator) Resolve(b *Book, o Order, at time.Time) (Resolution, error) {
	if err := e.ready(); err != nil {
		return Resolution{}, err
	}
	if _, err := e.checkOrder(&o, at); err != nil {
		return Resolution{}, err
	}
	if err := e.checkBook(b); err != nil {
		return Resolution{}, err
	}
	var r Resolution
	e.resolve(&r, b, &o, at)
	return r, nil
}

// resolve fills res, a zero Resolution, with the answer for o at at.
func (e *Evaluator) resolve(res *Resolution, b *Book, o *Order, at time.Time) {
	res.Order, res.CreatorID, res.Market, res.At, res.book, res.category = o.ID, o.Creator, o.Market, at, b, o.Category
	var idx []int32
	if b != nil {
		idx = b.offersOf(o.Market, o.Product)
	}
	res.considered = int32(len(idx))
	shopAds := o.ShopAds
	if o.ShopAds && !o.VideoAuthorised { // COM-6
		if !e.policy.UnauthorisedAdsStandard {
			res.failures |= failVideo
		} else {
			res.note(note{kind: noteVideo})
		}
		shopAds = false
	}
	list := 0
	if shopAds {
		list = 1
	}
	ranks := &e.ranks[list]
	if len(idx) > 0 {
		if len(idx) > inlineCands {
			res.many = make([]cand, len(idx))
		}
		res.ncands = int32(len(idx))
	}
	now := at.UnixNano()

	// COM-10: a creator back from a reset source's offer is a new promoter from its end.
	since, resetBy := o.PromotingSince.UnixNano(), int32(-1)
	key := strKey(o.Creator)
	// Only an offer that paid the creator counts (Q: its source ranked for this order and a
	// rate in force while the creator was covered); a Collaboration Plus that set no exclusive
	// rate (COM-4) never took the creator away from the Open rate.
	for _, i := range idx {
		h := &b.periods[i]
		end := h.end
		if !e.reset[h.source] || end > now || end <= since || ranks[h.source] < 0 {
			continue
		}
		p := &b.offers[i]
		if len(p.froms) == 0 {
			continue
		}
		from := max(p.start, p.froms[0]) // covered and paid from here on
		switch p.Coverage {
		case Members:
			j := p.memberIndex(o.Creator, key)
			if j < 0 {
				continue
			}
			from = max(from, p.joined[j])
		case Listed:
			if !p.listed(o.Creator, key) || (p.Source == Partner && !p.Approved) {
				continue
			}
		}
		if from < end {
			since, resetBy = end, i
		}
	}

	cs := res.cands()
	win, winRank := -1, int8(127)
	var winRates, ri rateInfo
	for k, i := range idx {
		h := &b.periods[i]
		c := &cs[k]
		c.offer, c.source = i, h.source
		// the period first (COM-3), from periods alone for an offer outside it
		if now < h.start {
			c.outcome, c.why, c.limit = OutsidePeriod, whyBeforeStart, h.start
			continue
		}
		p := &b.offers[i]
		if now >= h.end && !e.removalPays(p, now, since) {
			c.outcome, c.why, c.limit = OutsidePeriod, whyEnded, h.end
			continue
		}
		if !e.judge(p, o, key, now, since, shopAds, ranks, c, &ri) {
			continue
		}
		c.rate = ri.rate
		r := ranks[h.source]
		// Of one source: the higher rate, then a listing in force over a removed one (CMP-7
		// under RemovalDelayed), then the lower ID (the order of idx).
		if win < 0 || r < winRank || (r == winRank && (ri.units > winRates.units || ri.units == winRates.units && winRates.removed && !ri.removed)) {
			win, winRank, winRates = k, r, ri
		}
	}
	if !o.Attributed { // COM-13
		res.failures |= failAttributed
	}
	if win < 0 { // COM-4 when a Collaboration Plus set no exclusive rate, else COM-3
		res.failures |= failNoSource
		for k := range cs {
			if cs[k].why == whyNoExclusive {
				res.failures = res.failures&^failNoSource | failNoExclusive
				break
			}
		}
	}
	if res.failures != 0 {
		for k := range cs { // nothing won: the applicable ones lost to the failure
			if c := &cs[k]; c.outcome == Won {
				c.outcome, c.why = Overridden, whyFailed
			}
		}
		res.nnotes = 0
		return
	}
	wc := &cs[win]
	wp := &b.offers[wc.offer]
	h := &wp.hist[winRates.cur] // the winner's entry in force, which sets the partner share
	res.Source, res.OfferID, res.Rate = wc.source, wp.ID, winRates.rate
	res.ShopAdsRate, res.UpperTier, res.PartnerShare = winRates.shopAds, winRates.upper, h.Value.PartnerShare
	res.rateUnits, res.shareUnits = winRates.units, h.share
	for k := range cs {
		if c := &cs[k]; k != win && c.outcome == Won {
			c.outcome, c.why = Overridden, whyOverridden
			if c.source == wc.source {
				c.why = whyOutbid
			}
		}
	}
	if shopAds && !winRates.shopAds {
		res.note(note{kind: noteNoShopAds, rate1: winRates.rate})
	}
	if winRates.upper {
		res.note(note{kind: noteTier, n1: o.OrderCount, n2: wp.hist[winRates.best].threshold})
	}
	if resetBy >= 0 && e.delayed[wc.source] {
		res.note(note{kind: noteNewPromoter, offer: resetBy, n1: since})
	}
	if winRates.removed {
		// CMP-7 under RemovalDelayed: the listing was removed, and pays this creator until the
		// removal is the delay old (and its last rate from when a cut before it is, below).
		res.note(note{kind: noteRemoved, n1: wp.end, n2: wp.end + int64(e.delay)})
	}
	if winRates.best != winRates.cur {
		// COM-10: the rate in force (none for a shop-ads order without the fallback when that
		// entry has no shop-ads rate) reaches the creator when the entry paid has been out of
		// force for the delay.
		var now affrules.Rate
		if !shopAds || e.policy.ShopAdsFallback || h.shopAds != 0 {
			now, _, _, _ = termsRate(h, o.OrderCount, shopAds)
		}
		// It is paid once every entry paying more than it has been out of force for the delay:
		// the latest such entry, which need not be the one paid (10%, then 9%, then 8%).
		strict := shopAds && !e.policy.ShopAdsFallback
		cur, above := int(winRates.cur), int(winRates.best)
		curU := wp.unitsAt(cur, o.OrderCount, shopAds, strict)
		for j := cur - 1; j > above; j-- {
			if wp.unitsAt(j, o.OrderCount, shopAds, strict) > curU {
				above = j
				break
			}
		}
		res.note(note{kind: noteDelayed, rate1: now, n1: wp.froms[above+1] + int64(e.delay)})
	}
	if s, ok := e.policy.Suggested[o.Market][o.Category]; ok && res.Rate.Cmp(s) < 0 {
		res.note(note{kind: noteAdvisory, rate1: res.Rate, rate2: s})
	}
}

// rateInfo is the rate an applicable offer gives an order.
type rateInfo struct {
	rate           affrules.Rate
	units          int64
	cur, best      int32 // the entry in force and the entry paid, an earlier one under COM-10
	shopAds, upper bool  // the rate paid is the entry's shop-ads rate, its upper tier's
	removed        bool  // the offer's listing was removed (CMP-7): cur is its last entry
}

// judge decides whether offer p, in its period at now (Unix nanoseconds) or a removed listing
// still paying ([Evaluator.removalPays]), applies to order o, key the [strKey] of its creator:
// if it does, it fills ri with the rate it gives and returns true; if not, it records the
// outcome and why in c.
func (e *Evaluator) judge(p *prepared, o *Order, key uint64, now, since int64, shopAds bool, ranks *[Partner + 1]int8, c *cand, ri *rateInfo) bool {
	fail := func(out Outcome, w why, limit int64) bool {
		c.outcome, c.why, c.limit = out, w, limit
		return false
	}
	at := now // the instant whose entry is in force: now, or the last one of a removed listing
	if now >= p.end {
		at = p.end - 1
	}
	switch p.Coverage {
	case Listed:
		if !p.listed(o.Creator, key) {
			if p.Source == Partner {
				return fail(NotCovered, whyNotMatched, 0)
			}
			return fail(NotCovered, whyNotCovered, 0)
		}
	case Members:
		j := p.memberIndex(o.Creator, key)
		if j < 0 {
			return fail(NotCovered, whyNotCovered, 0)
		}
		if now < p.joined[j] {
			return fail(NotCovered, whyNotJoined, p.joined[j])
		}
	}
	if p.Source == Partner && !p.Approved {
		return fail(NotApproved, whyNotApproved, 0)
	}
	if ranks[p.Source] < 0 {
		return fail(NotRanked, whyNotRanked, 0)
	}
	if len(p.hist) == 0 { // COM-4: a Collaboration Plus without an exclusive rate
		return fail(NoRate, whyNoExclusive, 0)
	}
	cur := p.search(at)
	if cur < 0 {
		return fail(NoRate, whyNoRateYet, p.froms[0])
	}
	h := &p.hist[cur]
	// COM-5: without the fallback, a shop-ads order counts only entries with a shop-ads rate.
	strict := shopAds && !e.policy.ShopAdsFallback
	count := o.OrderCount
	best, bestU := cur, int64(-1)
	if !strict || h.shopAds != 0 {
		ri.rate, bestU, ri.shopAds, ri.upper = termsRate(h, count, shopAds)
	}
	if e.delayed[p.Source] && e.delay > 0 {
		// COM-10: the creator gets the highest rate in force at any instant of [lo, at], lo the
		// later of the promotion start and at − delay: a decrease reaches a creator already
		// promoting when it is delay old, a new promoter at once, and an increase at once.
		best, bestU = p.peak(cur, max(now-int64(e.delay), since), count, shopAds, strict, bestU)
	}
	if bestU < 0 {
		return fail(NoRate, whyNoShopAdsRate, 0)
	}
	if best != cur {
		ri.rate, bestU, ri.shopAds, ri.upper = termsRate(&p.hist[best], count, shopAds)
	}
	ri.units, ri.cur, ri.best, ri.removed = bestU, int32(cur), int32(best), at != now
	c.outcome = Won
	return true
}

// removalPays reports whether OPEN offer p, whose period has ended by now, still pays an order
// at now of a creator promoting since since (CMP-7 under [Policy.RemovalDelayed]): its removal
// is a decrease to nothing, which reaches a creator promoting since before it only once it is
// the decrease delay old (COM-10). A listing that never ran (removed at or before its start, or
// before its first rate) paid no one and owes no one.
func (e *Evaluator) removalPays(p *prepared, now, since int64) bool {
	return e.removalDelayed && p.Source == Open && p.start < p.end && len(p.froms) > 0 && p.froms[0] < p.end &&
		since < p.end && now-p.end < int64(e.delay)
}

// peak returns the entry that pays an order of count through shop ads or not (strict: shop
// ads without the fallback) the highest rate in force at any instant of [lo, froms[cur]], and
// that rate in units of 1e-9; of entries paying it, the latest. curU is the rate entry cur pays;
// a rate of -1 is none (an entry without a shop-ads rate in strict).
func (p *prepared) peak(cur int, lo, count int64, shopAds, strict bool, curU int64) (best int, bestU int64) {
	// Entry j is in force over [from j, from j+1): it meets [lo, now] when from j+1 > lo.
	if keys := p.peakKind(count, shopAds, strict); keys != nil {
		// The largest key is the latest entry at the highest rate.
		k := keys[cur]
		for j := cur - 1; j >= 0 && p.froms[j+1] > lo; j-- {
			k = max(k, keys[j])
		}
		if k < 0 {
			return cur, -1
		}
		return int(uint32(k)), k >> 32
	}
	// Between the tier thresholds, entry by entry; scanning back with ">" keeps the latest entry
	// at the highest rate.
	best, bestU = cur, curU
	for j := cur - 1; j >= 0 && p.froms[j+1] > lo; j-- {
		if u := p.unitsAt(j, count, shopAds, strict); u > bestU {
			best, bestU = j, u
		}
	}
	return best, bestU
}

// unitsAt is the rate entry j pays an order of count through shop ads or not (strict: shop ads
// without the fallback), in units of 1e-9, or -1 for none (an entry without a shop-ads rate in
// strict).
func (p *prepared) unitsAt(j int, count int64, shopAds, strict bool) int64 {
	switch {
	case shopAds && p.shop[j] != 0:
		return p.shop[j]
	case strict:
		return -1
	case p.thr[j] != 0 && count >= p.thr[j]:
		return p.tier[j]
	}
	return p.std[j]
}

func ruleOfPeriod(s Source) affrules.RuleID {
	if s == Partner {
		return RulePartnerScope
	}
	return RuleAtOrderTime
}

// termsRate returns the rate terms t pay an order: the shop-ads rate for a shop-ads order where
// there is one, else the upper tier's from its threshold order, else the standard rate.
func termsRate(e *entry, count int64, shopAds bool) (r affrules.Rate, units int64, usedShopAds, upper bool) {
	if shopAds && e.shopAds != 0 {
		return e.Value.ShopAds, e.shopAds, true, false
	}
	if e.threshold != 0 && count >= e.threshold {
		return e.tierRate, e.tier, false, true
	}
	return e.Value.Rate, e.rate, false, false
}
