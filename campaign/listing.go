package campaign

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Open and Target Collaboration (CMP-1, CMP-7) are kept as [commission.Offer] values: the
// record a seller keeps for a product is the offer with its rate history, which the commission
// resolver reads as it is. These functions make and change them by the rules, each change
// checked by commission's offer rule ([commission.OfferRule.Check]) at the instant it is made.

// List puts product into Open Collaboration in market m from instant at, at terms t (CMP-1):
// an OPEN offer with ID id, covering every creator, with no end, whose rate history starts at
// at. Bad terms are [*affrules.FieldError] values (COM-9, COM-11).
func (e *Evaluator) List(id string, m affrules.MarketCode, product string, t commission.Terms, at time.Time) (commission.Offer, error) {
	if err := e.ready(); err != nil {
		return commission.Offer{}, err
	}
	o := commission.Offer{ID: id, Source: commission.Open, Market: m, Product: product, Coverage: commission.Everyone, Period: affrules.Period{Start: at}}
	o.Rates, _ = affrules.NewTimeline(affrules.Effective[commission.Terms]{From: at, Value: own(t)})
	l := fielderr.For(pkg)
	for _, x := range []struct{ field, v string }{{"id", id}, {"product", product}} {
		if x.v != "" { // an empty one is the offer check's: named once, below
			l.Append(bounds.ID(pkg, x.field, x.v)) // a new offer's, as a registration's
		}
	}
	// Named by List's own arguments: terms, id, market, product.
	l.Append(fielderr.Rebase(pkg, "offer.", "", fielderr.Rebase(pkg, "offer.rates[0].value", "terms", e.rule.Check(nil, o, at))))
	if err := l.Err(); err != nil {
		return commission.Offer{}, err
	}
	return o, nil
}

// TargetProduct is one product of a Target Collaboration offer and its terms.
type TargetProduct struct {
	Product string           `json:"product"`
	Terms   commission.Terms `json:"terms"`
}

// TargetOffer is a Target Collaboration offer (CMP-1): products and their rates offered to the
// creators a seller picks, for a period.
type TargetOffer struct {
	ID       string              `json:"id"`
	Market   affrules.MarketCode `json:"market"`
	Creators []string            `json:"creators"`
	// Period is when the offer runs, [Start, End); a zero End means no end.
	Period   affrules.Period `json:"period"`
	Products []TargetProduct `json:"products"`
}

// Target makes the commission offers of Target Collaboration offer t, made at instant at
// (CMP-1): one TARGET offer per product, with ID "TARGET/<t.ID>/<product>" (each part
// path-escaped, "/" written %2F; the prefix keeps it apart from a Collaboration Plus offer,
// "<collaboration>/<product>", of the same IDs, and a partner campaign's has four parts), covering t's creators for its period, at the product's terms from the
// period's start. It may run beside the product's Open Collaboration listing; precedence
// decides between them (COM-5). Every problem is reported at once: no product or the same
// product twice, a period starting before at (an offer made now cannot change the answer an
// earlier order had), and every problem [commission.OfferRule.Check] finds in an offer.
func (e *Evaluator) Target(t TargetOffer, at time.Time) ([]commission.Offer, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	l.Append(bounds.ID(pkg, "target.id", t.ID))
	if len(t.Products) == 0 {
		l.Add("target.products", "[]", "must list at least one product (%s)", RuleListings)
	}
	out := make([]commission.Offer, 0, len(t.Products))
	if !t.Period.End.IsZero() && !t.Period.End.After(t.Period.Start) {
		l.Add("target.period", t.Period.String(), "must end after it starts: an offer that never runs is no offer (%s)", RuleListings)
	}
	if t.Period.Start.Before(at) {
		l.Add("target.period.start", stamp(t.Period.Start), "is before the offer is made at %s: an offer starts when it is made or later (COM-3)", stamp(at))
	}
	// The creators and the market are the offer's, the same for every product: their problems
	// are reported once, under the target's own fields, from the check of one offer.
	probe := commission.Offer{ID: "target", Source: commission.Target, Market: t.Market, Product: "product",
		Coverage: commission.Listed, Creators: t.Creators, Period: t.Period}
	shared, _ := fielderr.Split(e.rule.Check(nil, probe, at), offerLevel)
	l.Append(fielderr.Rebase(pkg, "offer", "target", shared))
	for i, c := range t.Creators { // the offer's own check refuses only an empty one
		if c != "" {
			l.Append(bounds.ID(pkg, "target.creators["+strconv.Itoa(i)+"]", c))
		}
	}
	seen := make(map[string]struct{}, len(t.Products))
	for i, p := range t.Products {
		if _, dup := seen[p.Product]; dup {
			l.Add("target.products["+strconv.Itoa(i)+"].product", p.Product, "is listed twice")
			continue
		}
		if p.Product != "" {
			l.Append(bounds.ID(pkg, "target.products["+strconv.Itoa(i)+"].product", p.Product))
		}
		seen[p.Product] = struct{}{}
		o := commission.Offer{ID: commission.Target.String() + "/" + url.PathEscape(t.ID) + "/" + url.PathEscape(p.Product), Source: commission.Target, Market: t.Market, Product: p.Product,
			Coverage: commission.Listed, Creators: slices.Clone(t.Creators), Period: t.Period}
		o.Rates, _ = affrules.NewTimeline(affrules.Effective[commission.Terms]{From: t.Period.Start, Value: own(p.Terms)})
		_, own := fielderr.Split(e.rule.Check(nil, o, at), offerLevel)
		field := "target.products[" + strconv.Itoa(i) + "]" // its terms are the offer's one rate entry
		l.Append(fielderr.Rebase(pkg, "offer", field, fielderr.Rebase(pkg, "offer.rates[0].value", field+".terms", own)))
		out = append(out, o)
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ChangeRate changes the rate of Open or Target offer o to terms t from instant at (CMP-7,
// COM-10, COM-11) and returns the changed offer: its history with t added from at. Changes move
// forward: at must be after the history's last entry and not before the offer's last change
// (its Updated, set by the commission.OfferStore that stored it), a [*affrules.FieldError]
// otherwise. Whether a decrease reaches creators already promoting at once is the resolver's to
// decide (COM-10). An offer that has ended by at (removed, CMP-7) is a [*affrules.Refusal];
// terms breaking COM-9 or COM-11 are [*affrules.FieldError] values.
func (e *Evaluator) ChangeRate(o commission.Offer, t commission.Terms, at time.Time) (commission.Offer, error) {
	if err := e.ready(); err != nil {
		return o, err
	}
	if err := e.listed(o, at, "change_rate"); err != nil {
		return o, err
	}
	var kept []affrules.Effective[commission.Terms]
	for from, v := range o.Rates.All() {
		if !from.Before(at) {
			// Dated at or after at: the rate changed there already. Instants move forward.
			return o, fielderr.New(pkg, "at", stamp(at), "is not after the offer's last rate change at %s: changes move forward (%s)", stamp(from), RuleOpenChange)
		}
		kept = append(kept, affrules.Effective[commission.Terms]{From: from, Value: own(v)})
	}
	kept = append(kept, affrules.Effective[commission.Terms]{From: at, Value: own(t)})
	n := o
	n.Creators = slices.Clone(o.Creators)
	var err error
	if n.Rates, err = affrules.NewTimeline(kept...); err != nil {
		return o, err
	}
	if err := e.rule.Check(&o, n, at); err != nil {
		return o, fielderr.Rebase(pkg, "offer", "offer", err)
	}
	return n, nil
}

// Remove takes Open offer o out of Open Collaboration at instant at (CMP-7): its period ends
// at at, so orders from at on earn no Open rate and earlier ones keep theirs (under the
// commission policy's RemovalDelayed, a creator promoting it since before at is still paid for
// the decrease delay after at, as after a decrease). An offer removed
// already (or given an end otherwise) is a [*affrules.Refusal]: a removal is final and is not moved.
// An at before the offer's last change (its Updated, set by the commission.OfferStore that stored
// it) is a [*affrules.FieldError].
// Relisting the product later is a new OPEN offer (another ID) from the removal on, whose terms
// at its start pay no order less than the removed offer still owes a creator promoting it, its
// rates within commission's decrease delay (commission.OfferRule.Conflicts).
func (e *Evaluator) Remove(o commission.Offer, at time.Time) (commission.Offer, error) {
	if err := e.ready(); err != nil {
		return o, err
	}
	if o.Source != commission.Open {
		return o, fielderr.New(pkg, "offer.source", o.Source, "must be OPEN: only Open Collaboration listings are removed (%s)", RuleOpenChange)
	}
	if err := e.listed(o, at, "remove"); err != nil {
		return o, err
	}
	if !o.Period.End.IsZero() {
		return o, refuse(time.Time{}, "remove", o.ID, affrules.Reason{Rule: RuleOpenChange, Key: keyNotListed, Observed: affrules.Instant(at), Limit: affrules.Instant(o.Period.End), Subject: o.ID})
	}
	first := true
	for from := range o.Rates.All() {
		// A rate change is made at its instant (ChangeRate): a removal before one would rewrite
		// answers already given. The first rate may be scheduled: a removal before it is one
		// before the listing starts.
		if !first && at.Before(from) {
			return o, fielderr.New(pkg, "at", stamp(at), "is before the offer's last rate change at %s: changes move forward (%s)", stamp(from), RuleOpenChange)
		}
		first = false
	}
	n := o
	n.Period.End = at
	if at.Before(o.Period.Start) { // removed before it started: it never runs
		n.Period.End = o.Period.Start
	}
	if err := e.rule.Check(&o, n, at); err != nil {
		return o, fielderr.Rebase(pkg, "offer", "offer", err)
	}
	return n, nil
}

// listed checks that o is a valid Open or Target offer that has not ended by at.
func (e *Evaluator) listed(o commission.Offer, at time.Time, action string) error {
	if o.Source != commission.Open && o.Source != commission.Target {
		return fielderr.New(pkg, "offer.source", o.Source, "must be OPEN or TARGET (%s)", RuleListings)
	}
	if err := e.rule.Check(nil, o, at); err != nil {
		return err
	}
	if ended(o, at) {
		return refuse(time.Time{}, action, o.ID, affrules.Reason{Rule: RuleOpenChange, Key: keyNotListed, Observed: affrules.Instant(at), Limit: affrules.Instant(o.Period.End), Subject: o.ID})
	}
	return nil
}

// Request decides a creator's request at instant at to promote the product of Open
// Collaboration listing o (CMP-1): refused while the product is not listed (before the
// listing's start, when the decision says when it starts, or from its removal on); otherwise
// granted at once ([Approved]), or waiting for the seller ([Pending]) when
// [Policy.OpenApproval] is set.
func (e *Evaluator) Request(o commission.Offer, creator string, at time.Time) (Status, affrules.Decision, error) {
	if err := e.ready(); err != nil {
		return Pending, affrules.Decision{}, err
	}
	l := fielderr.For(pkg)
	if o.Source != commission.Open {
		l.Add("offer.source", o.Source, "must be OPEN (%s)", RuleListings)
	}
	l.Append(bounds.ID(pkg, "creator", creator))
	l.Append(fielderr.Rebase(pkg, "offer", "offer", e.rule.Check(nil, o, at)))
	if err := l.Err(); err != nil {
		return Pending, affrules.Decision{}, err
	}
	switch {
	case ended(o, at):
		return Rejected, affrules.Decide(affrules.Reason{Rule: RuleOpenChange, Key: keyNotListed, Observed: affrules.Instant(at), Limit: affrules.Instant(o.Period.End), Subject: o.ID}), nil
	case at.Before(o.Period.Start):
		d := affrules.Decide(affrules.Reason{Rule: RuleListings, Key: keyNotListed, Observed: affrules.Instant(at), Limit: affrules.Instant(o.Period.Start), Subject: o.ID})
		d.NextAllowed = bounds.Next(o.Period.Start)
		return Rejected, d, nil
	}
	if e.policy.OpenApproval {
		return Pending, affrules.Decide(), nil
	}
	return Approved, affrules.Decide(), nil
}

// own returns t with a copy of its tier, so that an offer made here shares nothing with its
// caller's terms.
func own(t commission.Terms) commission.Terms {
	if t.Tier != nil {
		tier := *t.Tier
		t.Tier = &tier
	}
	return t
}

// ended reports whether offer o has ended by instant at: its end is at or before at, or it was
// removed before it started (an end not after its start), so it never runs (CMP-7).
func ended(o commission.Offer, at time.Time) bool {
	return !o.Period.End.IsZero() && (!at.Before(o.Period.End) || !o.Period.End.After(o.Period.Start))
}

// offerLevel reports whether a problem of a TARGET offer's check is about the Target offer as a
// whole (its creators, its market), not about one product.
func offerLevel(field string) bool {
	return field == "offer.market" || field == "offer.creators" || strings.HasPrefix(field, "offer.creators[")
}
