package campaign

import (
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// refuse returns an [*affrules.Refusal] of action for reasons, or nil when there are none. When the only
// obstacle is a registration period that has not opened, at opens, the decision says so.
func refuse(opens time.Time, action, subject string, reasons ...affrules.Reason) error {
	if len(reasons) == 0 {
		return nil
	}
	d := affrules.Decide(reasons...)
	if !slices.ContainsFunc(reasons, func(r affrules.Reason) bool { return r.Key != keyNotOpenYet && r.Key != keyJoinNotOpenYet }) {
		d.NextAllowed = bounds.Next(opens)
	}
	return &affrules.Refusal{Pkg: pkg, Action: action, Subject: subject, Decision: d}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

type actionKind uint8

const (
	_ actionKind = iota
	actRegister
	actReview
	actMatch
	actPublish
	actJoin
	actSamples
	actDisqualify
)

var actionNames = [...]string{"", "register", "review", "match", "publish", "join", "set_samples", "disqualify"}

// Action is one change to a campaign, made by [Evaluator.Apply] at an instant: build it with
// [Register], [Review], [MatchCreators], [Publish], [Join], [SetSamples] or [Disqualify]. The
// zero Action is refused.
type Action struct {
	kind     actionKind
	reg      Registration
	elig     eligibility.Result
	actor    string // the reviewing, matching or joining partner; the publishing seller
	product  string
	approve  bool
	creators []string
	samples  int64
}

// String names the action and its subject, as in `review "P1" by "partner-1"`.
func (a Action) String() string {
	if int(a.kind) >= len(actionNames) || a.kind == 0 {
		return "no action"
	}
	s := actionNames[a.kind]
	switch a.kind {
	case actRegister:
		return s + " " + strconv.Quote(a.reg.Product) + " by " + strconv.Quote(a.reg.Seller)
	case actDisqualify:
		return s + " " + strconv.Quote(a.elig.ID)
	case actPublish, actJoin:
		return s + " by " + strconv.Quote(a.actor)
	}
	return s + " " + strconv.Quote(a.product) + " by " + strconv.Quote(a.actor)
}

// Register registers product r.Product of seller r.Seller (CMP-4), given the product's
// eligibility result evaluated at the instant of registration (ELG-9, ELG-11). In an agency
// campaign the seller must be in the audience and register inside the registration period, the
// product then waits for the partner's review; in a seller campaign only its owner registers,
// before publishing it (CMP-6), and its own products are approved as registered.
func Register(r Registration, elig eligibility.Result) Action {
	return Action{kind: actRegister, reg: r, elig: elig}
}

// Review records the partner's review of a pending product in an agency campaign (CMP-5):
// approved or rejected.
func Review(partner, product string, approve bool) Action {
	return Action{kind: actReview, actor: partner, product: product, approve: approve}
}

// MatchCreators records creators a partner matched to an approved product (CMP-5, COM-12):
// the campaign's owner in an agency campaign, a partner that joined in a seller campaign. They
// are covered by the product's offer from the instant of the match.
func MatchCreators(partner, product string, creators ...string) Action {
	return Action{kind: actMatch, actor: partner, product: product, creators: slices.Clone(creators)}
}

// Publish publishes a seller campaign with at least one product, before its registration
// period and the campaign end (CMP-6, CMP-5): from then on the partners of its audience see it
// and may join it during the registration period, until the campaign ends.
func Publish(seller string) Action { return Action{kind: actPublish, actor: seller} }

// Join records a partner of a published seller campaign's audience joining it during the
// registration period (CMP-6).
func Join(partner string) Action { return Action{kind: actJoin, actor: partner} }

// SetSamples sets the sample quantity of a registered product (SMP-2); the seller who
// registered it may change it at any time.
func SetSamples(seller, product string, n int64) Action {
	return Action{kind: actSamples, actor: seller, product: product, samples: n}
}

// Disqualify records a permanent disqualification of a registered product, or of its shop, after
// registration (ELG-11; a temporary one too under [Policy.TemporaryEndsParticipation]): the
// participation of the product (of every product of the shop, for a shop-scoped result) ends at the
// instant applied, and its offers with it; orders before keep theirs. A rejected product takes no
// part, so it has nothing to end: disqualifying it alone is refused (CMP-5). A temporary
// disqualification changes nothing in a running campaign (it only blocks new registrations) and is
// refused, unless [Policy.TemporaryEndsParticipation] has it end the participation too (its result
// must not have lifted by then: bad input), as is one under a policy that keeps such products
// ([Policy.PermanentEndsParticipation] false).
func Disqualify(elig eligibility.Result) Action { return Action{kind: actDisqualify, elig: elig} }

// Apply applies action a to campaign c at instant at and returns the changed campaign, with
// Updated set to at. c is not changed: an error returns c as it was beside the error, and
// nothing is to be recorded.
//
// Bad input is a [*affrules.FieldError] (several joined): at out of the library's bounds or
// before the campaign's last change (c.Updated: instants only move forward); a campaign not
// made by [Evaluator.Create], or in a state the rules cannot have produced (a product
// registered twice, an approval without a review instant, a rate outside the bounds); an empty product, seller, partner or creator; a rate outside the
// bounds (COM-9) or a partner share outside 0%–100%; a negative sample quantity; an empty
// contact; an eligibility result of another product, shop or market, or not evaluated; fields
// the rules set given already. An action the rules refuse is a [*affrules.Refusal] whose decision gives
// every failing rule.
func (e *Evaluator) Apply(c Campaign, a Action, at time.Time) (Campaign, error) {
	if err := e.ready(); err != nil {
		return c, err
	}
	l := fielderr.For(pkg)
	if err := bounds.Instant(pkg, "at", at); err != nil {
		l.Append(err)
	} else if at.Before(c.Updated) {
		l.Add("at", stamp(at), "is before the campaign's last change at %s: instants only move forward", stamp(c.Updated))
	}
	e.checkCampaign(l, &c)
	if a.kind == 0 || int(a.kind) >= len(actionNames) {
		l.Add("action", "none", "must be built with Register, Review, MatchCreators, Publish, Join, SetSamples or Disqualify")
	}
	if err := l.Err(); err != nil {
		return c, err
	}
	n := c.clone()
	var err error
	switch a.kind {
	case actRegister:
		err = e.register(&n, a, at)
	case actReview:
		err = review(&n, a, at)
	case actMatch:
		err = match(&n, a, at)
	case actPublish:
		err = publish(&n, a, at)
	case actJoin:
		err = join(&n, a, at)
	case actSamples:
		err = setSamples(&n, a)
	case actDisqualify:
		err = e.disqualify(&n, a, at)
	}
	if err != nil {
		return c, err
	}
	n.Updated = at
	return n, nil
}

// window returns the reason at is outside the registration period of c, if it is: a seller's
// registration (CMP-4) or, with join set, a partner's joining (CMP-6).
func window(c *Campaign, at time.Time, subject string, join bool) *affrules.Reason {
	rule, early, late := RuleRegistration, keyNotOpenYet, keyClosed
	if join {
		rule, early, late = RuleSellerCampaigns, keyJoinNotOpenYet, keyJoinClosed
	}
	switch {
	case at.Before(c.Registration.Start):
		return &affrules.Reason{Rule: rule, Key: early, Observed: affrules.Instant(at), Limit: affrules.Instant(c.Registration.Start), Subject: subject}
	case !at.Before(c.Registration.End):
		return &affrules.Reason{Rule: rule, Key: late, Observed: affrules.Instant(at), Limit: affrules.Instant(c.Registration.End), Subject: subject}
	}
	return nil
}

// over returns the reason the campaign period of c has ended at at, if it has.
func over(c *Campaign, at time.Time, subject string) []affrules.Reason {
	if at.Before(c.Period.End) {
		return nil
	}
	return []affrules.Reason{{Rule: RuleReview, Key: keyCampaignOver, Observed: affrules.Instant(at), Limit: affrules.Instant(c.Period.End), Subject: subject}}
}

func notOwner(actor string, c *Campaign) affrules.Reason {
	return affrules.Reason{Rule: RuleInitiators, Key: keyNotOwner, Observed: affrules.Text(actor), Limit: affrules.Text(c.Owner), Subject: c.ID}
}

func wrongInitiator(c *Campaign, want Initiator) affrules.Reason {
	return affrules.Reason{Rule: RuleInitiators, Key: keyWrongInitiator, Observed: affrules.Text(c.Initiator.String()), Limit: affrules.Text(want.String()), Subject: c.ID}
}

// register applies a Register action (CMP-4, ELG-9).
func (e *Evaluator) register(c *Campaign, a Action, at time.Time) error {
	r := a.reg
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "registration.product", r.Product))
	l.Append(bounds.ID(pkg, "registration.seller", r.Seller))
	e.bound(l, "registration.rate", r.Rate)
	if r.Samples < 0 {
		l.Add("registration.samples", r.Samples, "%w", affrules.ErrNegative)
	}
	text(l, "registration.contact", r.Contact, maxContact, true, false)
	if !r.Registered.IsZero() || r.Status != Pending || !r.Reviewed.IsZero() || len(r.Matches) > 0 || !r.Ended.IsZero() {
		l.Add("registration", r.Product, "registered, status, reviewed, matches and ended are set by the rules: leave them out")
	}
	el := a.elig
	switch {
	case el.State == eligibility.Unevaluated || el.State > eligibility.PermanentlyDisqualified:
		l.Add("eligibility.state", el.State, "must be the product's evaluated eligibility (%s)", RuleEligibleProducts)
	case el.ID != r.Product:
		l.Add("eligibility.id", strconv.Quote(el.ID), "is not the product %q: give the product's own result (%s)", r.Product, RuleEligibleProducts)
	case el.ShopID != r.Seller:
		l.Add("eligibility.shop_id", strconv.Quote(el.ShopID), "is not the seller %q: give the product's own result (%s)", r.Seller, RuleEligibleProducts)
	case el.Market != c.Market:
		l.Add("eligibility.market", strconv.Quote(string(el.Market)), "is not the campaign's market %s (%s)", c.Market, RuleEligibleProducts)
	case el.Lifted(at):
		l.Add("eligibility.decision.next_allowed", el.Decision.NextAllowed.Format(time.RFC3339Nano), "is not after the registration at %s: the disqualification had lifted, so the result is from an earlier instant; give the product's eligibility evaluated at the registration (%s)", at.Format(time.RFC3339Nano), RuleEligibleProducts)
	}
	if err := l.Err(); err != nil {
		return err
	}

	var reasons []affrules.Reason
	switch c.Initiator {
	case Agency: // CMP-2, CMP-4: sellers of the audience, inside the registration period
		if !c.Audience.Includes(r.Seller) {
			reasons = append(reasons, affrules.Reason{Rule: RuleInitiators, Key: keyNotInAudience, Subject: r.Seller})
		}
		if w := window(c, at, r.Product, false); w != nil {
			reasons = append(reasons, *w)
		}
		// A registration period may outlast the campaign (Policy.RegistrationWithinCampaign
		// false), but a product registered once it has ended would never be promoted.
		reasons = append(reasons, over(c, at, r.Product)...)
	case Seller: // CMP-6: the owner registers its own products, then publishes
		if r.Seller != c.Owner {
			reasons = append(reasons, notOwner(r.Seller, c))
		}
		if !c.Published.IsZero() {
			reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyPublished, Observed: affrules.Instant(c.Published), Subject: c.ID})
		}
		reasons = append(reasons, over(c, at, r.Product)...)
	}
	if ok, part := e.meets(c, &r); !ok {
		reasons = append(reasons, affrules.Reason{Rule: RuleRegistration, Key: e.belowKey(), Observed: affrules.RateOf(part), Limit: affrules.RateOf(c.Requirement), Subject: r.Product})
	}
	eligFrom := len(reasons)
	if d := el.ForCampaign(); !d.Allowed && e.policy.EligibleProductsOnly { // ELG-9
		reasons = append(reasons, affrules.Reason{Rule: RuleEligibleProducts, Key: keyIneligible, Observed: affrules.Text(el.State.String()), Limit: affrules.Text(eligibility.Eligible.String()), Subject: r.Product})
		reasons = append(reasons, d.Failures()[1:]...)
	}
	eligTo := len(reasons)
	if i := c.registration(r.Product); i >= 0 {
		reasons = append(reasons, affrules.Reason{Rule: RuleRegistration, Key: keyRegistered, Observed: affrules.Text(c.Products[i].Status.String()), Subject: r.Product})
	}
	if len(reasons) > 0 {
		// MKT-5: time alone helps when only the registration period not yet open and a
		// temporary disqualification that says when it lifts (ELG-9) stand in the way: the later
		// of the two, if registration is still possible then.
		d := affrules.Decide(reasons...)
		next := time.Time{}
		if eligTo > eligFrom {
			next = el.Decision.NextAllowed
			if el.State != eligibility.TemporarilyDisqualified {
				next = time.Time{}
			}
		}
		timeOnly := eligTo == eligFrom || !next.IsZero()
		for i, x := range reasons {
			switch {
			case i >= eligFrom && i < eligTo:
			case x.Key == keyNotOpenYet:
				next = later(next, c.Registration.Start)
			default:
				timeOnly = false
			}
		}
		closes := c.Registration.End // CMP-4, and CMP-5: not once the campaign is over
		if c.Initiator == Seller || c.Period.End.Before(closes) {
			closes = c.Period.End // CMP-6: the owner registers until the campaign is over
		}
		if timeOnly && next.Before(closes) {
			d.NextAllowed = bounds.Next(next)
		}
		return &affrules.Refusal{Pkg: pkg, Action: "register", Subject: r.Product, Decision: d}
	}
	r.Registered, r.Status = at, Pending
	if c.Initiator == Seller {
		r.Status, r.Reviewed = Approved, at
	}
	r.Matches = nil
	c.Products = append(c.Products, r)
	return nil
}

// product returns the registration of product in c and the reason it is missing.
func product(c *Campaign, p string) (*Registration, []affrules.Reason) {
	if i := c.registration(p); i >= 0 {
		return &c.Products[i], nil
	}
	return nil, []affrules.Reason{{Rule: RuleReview, Key: keyNotRegistered, Subject: p}}
}

// needStatus returns the reasons registration r cannot be acted on: not in status want, or its
// participation ended (ELG-11).
func needStatus(r *Registration, want Status) []affrules.Reason {
	var out []affrules.Reason
	if r == nil {
		return nil
	}
	if r.Status != want {
		out = append(out, affrules.Reason{Rule: RuleReview, Key: keyWrongStatus, Observed: affrules.Text(r.Status.String()), Limit: affrules.Text(want.String()), Subject: r.Product})
	}
	if !r.Ended.IsZero() {
		out = append(out, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyEnded, Observed: affrules.Instant(r.Ended), Subject: r.Product})
	}
	return out
}

func actorAndProduct(a Action) error {
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "action.actor", a.actor))
	if a.kind != actPublish && a.kind != actJoin {
		l.Append(bounds.ID(pkg, "action.product", a.product))
	}
	return l.Err()
}

// review applies a Review action (CMP-5).
func review(c *Campaign, a Action, at time.Time) error {
	if err := actorAndProduct(a); err != nil {
		return err
	}
	if c.Initiator != Agency { // a seller's own products are approved as registered
		return refuse(time.Time{}, "review", a.product, wrongInitiator(c, Agency))
	}
	var reasons []affrules.Reason
	if a.actor != c.Owner {
		reasons = append(reasons, notOwner(a.actor, c))
	}
	r, missing := product(c, a.product)
	reasons = append(reasons, missing...)
	reasons = append(reasons, needStatus(r, Pending)...)
	reasons = append(reasons, over(c, at, a.product)...)
	if err := refuse(time.Time{}, "review", a.product, reasons...); err != nil {
		return err
	}
	r.Status, r.Reviewed = Rejected, at
	if a.approve {
		r.Status = Approved
	}
	return nil
}

// match applies a MatchCreators action (CMP-5, COM-12).
func match(c *Campaign, a Action, at time.Time) error {
	l := fielderr.For(pkg)
	l.Append(actorAndProduct(a))
	if len(a.creators) == 0 {
		l.Add("action.creators", "[]", "must list at least one creator")
	}
	distinct(l, "action.creators", a.creators)
	if err := l.Err(); err != nil {
		return err
	}
	var reasons []affrules.Reason
	switch {
	case c.Initiator == Agency && a.actor != c.Owner:
		reasons = append(reasons, notOwner(a.actor, c))
	case c.Initiator == Seller && c.joined(a.actor) < 0:
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyNotJoined, Subject: a.actor})
	}
	r, missing := product(c, a.product)
	reasons = append(reasons, missing...)
	reasons = append(reasons, needStatus(r, Approved)...)
	reasons = append(reasons, over(c, at, a.product)...)
	if r != nil {
		matchedBy := make(map[string]string, len(r.Matches)) // the first partner to match each creator
		mine := make(map[string]bool, len(r.Matches))        // the creators this partner matched
		for _, m := range r.Matches {
			if _, ok := matchedBy[m.Creator]; !ok {
				matchedBy[m.Creator] = m.Partner
			}
			mine[m.Creator] = mine[m.Creator] || m.Partner == a.actor
		}
		for _, cr := range a.creators {
			switch by, ok := matchedBy[cr]; {
			case !ok:
			case mine[cr]: // its own match, whoever matched first (a campaign stored before CMP-6's rule)
				reasons = append(reasons, affrules.Reason{Rule: RuleReview, Key: keyMatched, Subject: cr})
			case c.Initiator == Seller: // CMP-6: one partner's offer covers a creator, so an order pays one partner
				reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyMatchedByOther, Observed: affrules.Text(by), Subject: cr})
			}
		}
	}
	if err := refuse(time.Time{}, "match", a.product, reasons...); err != nil {
		return err
	}
	for _, cr := range a.creators {
		r.Matches = append(r.Matches, Match{Partner: a.actor, Creator: cr, At: at})
	}
	return nil
}

// publish applies a Publish action (CMP-6).
func publish(c *Campaign, a Action, at time.Time) error {
	if err := actorAndProduct(a); err != nil {
		return err
	}
	if c.Initiator != Seller {
		return refuse(time.Time{}, "publish", c.ID, wrongInitiator(c, Seller))
	}
	var reasons []affrules.Reason
	if a.actor != c.Owner {
		reasons = append(reasons, notOwner(a.actor, c))
	}
	if !c.Published.IsZero() {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyPublished, Observed: affrules.Instant(c.Published), Subject: c.ID})
	}
	if len(c.Products) == 0 {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyNoProducts, Observed: affrules.Count(0), Limit: affrules.Count(1), Subject: c.ID})
	}
	if !at.Before(c.Registration.End) {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyJoinClosed, Observed: affrules.Instant(at), Limit: affrules.Instant(c.Registration.End), Subject: c.ID})
	}
	reasons = append(reasons, over(c, at, c.ID)...) // no partner could join it any more
	if err := refuse(time.Time{}, "publish", c.ID, reasons...); err != nil {
		return err
	}
	c.Published = at
	return nil
}

// join applies a Join action (CMP-6).
func join(c *Campaign, a Action, at time.Time) error {
	if err := actorAndProduct(a); err != nil {
		return err
	}
	if c.Initiator != Seller {
		return refuse(time.Time{}, "join", a.actor, wrongInitiator(c, Seller))
	}
	var reasons []affrules.Reason
	if c.Published.IsZero() {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyNotPublished, Observed: affrules.Instant(at), Subject: c.ID})
	}
	if !c.Audience.Includes(a.actor) {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyJoinNotInAudience, Subject: a.actor})
	}
	if w := window(c, at, c.ID, true); w != nil {
		reasons = append(reasons, *w)
	}
	reasons = append(reasons, over(c, at, c.ID)...) // a join window may outlast the campaign
	if i := c.joined(a.actor); i >= 0 {
		reasons = append(reasons, affrules.Reason{Rule: RuleSellerCampaigns, Key: keyJoined, Observed: affrules.Instant(c.Partners[i].Joined), Subject: a.actor})
	}
	if err := refuse(c.Registration.Start, "join", a.actor, reasons...); err != nil {
		return err
	}
	c.Partners = append(c.Partners, Participant{Partner: a.actor, Joined: at})
	return nil
}

// setSamples applies a SetSamples action (SMP-2).
func setSamples(c *Campaign, a Action) error {
	l := fielderr.For(pkg)
	l.Append(actorAndProduct(a))
	if a.samples < 0 {
		l.Add("action.samples", a.samples, "%w", affrules.ErrNegative)
	}
	if err := l.Err(); err != nil {
		return err
	}
	r, reasons := product(c, a.product)
	if r != nil && r.Seller != a.actor {
		reasons = append(reasons, affrules.Reason{Rule: RuleRegistration, Key: keyNotSeller, Observed: affrules.Text(a.actor), Limit: affrules.Text(r.Seller), Subject: a.product})
	}
	if err := refuse(time.Time{}, "set_samples", a.product, reasons...); err != nil {
		return err
	}
	r.Samples = a.samples
	return nil
}

// disqualify applies a Disqualify action (ELG-11).
func (e *Evaluator) disqualify(c *Campaign, a Action, at time.Time) error {
	el := a.elig
	l := fielderr.For(pkg)
	switch {
	case el.State == eligibility.Unevaluated || el.State > eligibility.PermanentlyDisqualified:
		l.Add("eligibility.state", el.State, "must be an evaluated eligibility (%s)", RuleLaterDisqualification)
	case el.ID == "" || el.ShopID == "":
		l.Add("eligibility.id", strconv.Quote(el.ID), "must name the product and its shop (%s)", RuleLaterDisqualification)
	case el.Market != c.Market:
		l.Add("eligibility.market", strconv.Quote(string(el.Market)), "is not the campaign's market %s (%s)", c.Market, RuleLaterDisqualification)
	case e.policy.TemporaryEndsParticipation && el.State == eligibility.TemporarilyDisqualified && el.Lifted(at): // a temporary one must still hold
		l.Add("eligibility.decision.next_allowed", el.Decision.NextAllowed.Format(time.RFC3339Nano), "is not after the disqualification at %s: it had lifted, so the result is from an earlier instant (%s)", at.Format(time.RFC3339Nano), RuleLaterDisqualification)
	}
	if err := l.Err(); err != nil {
		return err
	}
	// The products it disqualifies: the shop's every product for a shop-scoped result, but the
	// rejected ones, which take no part in the campaign.
	var hit []int
	var rejected *Registration
	for i := range c.Products {
		r := &c.Products[i]
		if r.Seller == el.ShopID && (el.Scope == eligibility.ShopScope || r.Product == el.ID) {
			if r.Status == Rejected {
				rejected = r
				continue
			}
			hit = append(hit, i)
		}
	}
	subject := el.ID
	var reasons []affrules.Reason
	if len(hit) > 0 && !at.Before(c.Period.End) {
		// The campaign is over: every participation ended with it, so there is nothing to end
		// (MKT-5: reported beside the other failures).
		reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyOverAlready, Observed: affrules.Instant(at), Limit: affrules.Instant(c.Period.End), Subject: el.ID})
	}
	switch {
	case len(hit) == 0 && rejected != nil:
		reasons = append(reasons, affrules.Reason{Rule: RuleReview, Key: keyWrongStatus, Observed: affrules.Text(Rejected.String()), Limit: affrules.Text(Approved.String()), Subject: rejected.Product})
	case len(hit) == 0:
		reasons = append(reasons, affrules.Reason{Rule: RuleReview, Key: keyNotRegistered, Subject: el.ID})
	case el.State == eligibility.Eligible && e.policy.TemporaryEndsParticipation:
		reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyNotDisqualified, Observed: affrules.Text(el.State.String()), Subject: el.ID})
	case !el.Permanent() && !e.policy.TemporaryEndsParticipation:
		reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyNotPermanent, Observed: affrules.Text(el.State.String()), Limit: affrules.Text(eligibility.PermanentlyDisqualified.String()), Subject: el.ID})
	case !e.policy.PermanentEndsParticipation:
		reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyKept, Subject: el.ID})
	default:
		live := 0
		for _, i := range hit {
			if c.Products[i].Ended.IsZero() {
				live++
			}
		}
		if live == 0 {
			reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyEnded, Observed: affrules.Instant(c.Products[hit[0]].Ended), Subject: el.ID})
		}
	}
	if err := refuse(time.Time{}, "disqualify", subject, reasons...); err != nil {
		return err
	}
	for _, i := range hit {
		if c.Products[i].Ended.IsZero() {
			c.Products[i].Ended = at
		}
	}
	return nil
}
