package campaigntest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// machineChecks is how many runs of the machine TestStore makes at most: each makes a new
// store, which for a database-backed store may be a schema and a connection pool of its own.
const machineChecks = 15

// sometimes draws true about once in n.
func sometimes(t *rapid.T, label string, n int) bool { return rapid.IntRange(1, n).Draw(t, label) == n }

// model is the plain model of a store: the campaigns it must hold, each changed by the rules of
// SPEC §7 written out one by one. Each rule method returns whether the action is bad input, the
// rules that refuse it (in any order), and the change it makes when accepted.
type model struct {
	p         campaign.Policy
	campaigns map[string]*campaign.Campaign
}

func (m *model) reg(c *campaign.Campaign, product string) *campaign.Registration {
	for i := range c.Products {
		if c.Products[i].Product == product {
			return &c.Products[i]
		}
	}
	return nil
}

func (m *model) joined(c *campaign.Campaign, partner string) bool {
	return slices.ContainsFunc(c.Partners, func(p campaign.Participant) bool { return p.Partner == partner })
}

// register is CMP-2, CMP-4, CMP-6 and ELG-9 on a registration.
func (m *model) register(c *campaign.Campaign, r campaign.Registration, el eligibility.Result, at time.Time) (bad bool, rules []affrules.RuleID, apply func()) {
	if r.Samples < 0 || el.ID != r.Product || el.ShopID != r.Seller || el.Market != c.Market {
		return true, nil, nil
	}
	if c.Initiator == campaign.Agency {
		if !c.Audience.Includes(r.Seller) {
			rules = append(rules, campaign.RuleInitiators)
		}
		if at.Before(c.Registration.Start) || !at.Before(c.Registration.End) {
			rules = append(rules, campaign.RuleRegistration)
		}
		if !at.Before(c.Period.End) { // CMP-5: however long registration runs
			rules = append(rules, campaign.RuleReview)
		}
	} else {
		if r.Seller != c.Owner {
			rules = append(rules, campaign.RuleInitiators)
		}
		if !c.Published.IsZero() {
			rules = append(rules, campaign.RuleSellerCampaigns)
		}
		if !at.Before(c.Period.End) {
			rules = append(rules, campaign.RuleReview)
		}
	}
	if !meets(m.p, c, &r) {
		rules = append(rules, campaign.RuleRegistration)
	}
	if el.State != eligibility.Eligible && m.p.EligibleProductsOnly {
		rules = append(rules, campaign.RuleEligibleProducts)
	}
	if m.reg(c, r.Product) != nil {
		rules = append(rules, campaign.RuleRegistration)
	}
	return false, rules, func() {
		r.Registered, r.Status = at, campaign.Pending
		if c.Initiator == campaign.Seller {
			r.Status, r.Reviewed = campaign.Approved, at
		}
		c.Products = append(c.Products, r)
	}
}

// status is CMP-5's and ELG-11's reasons a registration cannot be acted on.
func status(r *campaign.Registration, want campaign.Status) (rules []affrules.RuleID) {
	if r == nil {
		return []affrules.RuleID{campaign.RuleReview}
	}
	if r.Status != want {
		rules = append(rules, campaign.RuleReview)
	}
	if !r.Ended.IsZero() {
		rules = append(rules, campaign.RuleLaterDisqualification)
	}
	return rules
}

// review is CMP-5 on a partner's review.
func (m *model) review(c *campaign.Campaign, actor, product string, approve bool, at time.Time) (rules []affrules.RuleID, apply func()) {
	if c.Initiator != campaign.Agency {
		return []affrules.RuleID{campaign.RuleInitiators}, nil
	}
	if actor != c.Owner {
		rules = append(rules, campaign.RuleInitiators)
	}
	r := m.reg(c, product)
	rules = append(rules, status(r, campaign.Pending)...)
	if !at.Before(c.Period.End) {
		rules = append(rules, campaign.RuleReview)
	}
	return rules, func() {
		r.Status, r.Reviewed = campaign.Rejected, at
		if approve {
			r.Status = campaign.Approved
		}
	}
}

// match is CMP-5, CMP-6 and COM-12 on creators matched to a product.
func (m *model) match(c *campaign.Campaign, actor, product string, creators []string, at time.Time) (rules []affrules.RuleID, apply func()) {
	switch {
	case c.Initiator == campaign.Agency && actor != c.Owner:
		rules = append(rules, campaign.RuleInitiators)
	case c.Initiator == campaign.Seller && !m.joined(c, actor):
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	r := m.reg(c, product)
	rules = append(rules, status(r, campaign.Approved)...)
	if !at.Before(c.Period.End) {
		rules = append(rules, campaign.RuleReview)
	}
	if r != nil {
		for _, cr := range creators {
			// CMP-5: a partner matches a creator once; CMP-6: in a seller campaign, the first
			// partner to match a creator to a product is the only one.
			switch i := slices.IndexFunc(r.Matches, func(x campaign.Match) bool { return x.Creator == cr }); {
			case i < 0:
			case r.Matches[i].Partner == actor:
				rules = append(rules, campaign.RuleReview)
			case c.Initiator == campaign.Seller:
				rules = append(rules, campaign.RuleSellerCampaigns)
			}
		}
	}
	return rules, func() {
		for _, cr := range creators {
			r.Matches = append(r.Matches, campaign.Match{Partner: actor, Creator: cr, At: at})
		}
	}
}

// publish is CMP-6 on a seller's publication.
func (m *model) publish(c *campaign.Campaign, actor string, at time.Time) (rules []affrules.RuleID, apply func()) {
	if c.Initiator != campaign.Seller {
		return []affrules.RuleID{campaign.RuleInitiators}, nil
	}
	if actor != c.Owner {
		rules = append(rules, campaign.RuleInitiators)
	}
	if !c.Published.IsZero() {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if len(c.Products) == 0 {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if !at.Before(c.Registration.End) {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if !at.Before(c.Period.End) { // CMP-5: no partner could join any more
		rules = append(rules, campaign.RuleReview)
	}
	return rules, func() { c.Published = at }
}

// join is CMP-6 on a partner joining.
func (m *model) join(c *campaign.Campaign, partner string, at time.Time) (rules []affrules.RuleID, apply func()) {
	if c.Initiator != campaign.Seller {
		return []affrules.RuleID{campaign.RuleInitiators}, nil
	}
	if c.Published.IsZero() {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if !c.Audience.Includes(partner) {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if at.Before(c.Registration.Start) || !at.Before(c.Registration.End) {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	if !at.Before(c.Period.End) { // CMP-5: however long the join window runs
		rules = append(rules, campaign.RuleReview)
	}
	if m.joined(c, partner) {
		rules = append(rules, campaign.RuleSellerCampaigns)
	}
	return rules, func() { c.Partners = append(c.Partners, campaign.Participant{Partner: partner, Joined: at}) }
}

// samples is SMP-2's quantity, changed by the seller who registered the product.
func (m *model) samples(c *campaign.Campaign, seller, product string, n int64) (bad bool, rules []affrules.RuleID, apply func()) {
	if n < 0 {
		return true, nil, nil
	}
	r := m.reg(c, product)
	if r == nil {
		return false, []affrules.RuleID{campaign.RuleReview}, nil
	}
	if r.Seller != seller {
		rules = append(rules, campaign.RuleRegistration)
	}
	return false, rules, func() { r.Samples = n }
}

// disqualify is ELG-11 on a disqualification after registration.
func (m *model) disqualify(c *campaign.Campaign, el eligibility.Result, at time.Time) (rules []affrules.RuleID, apply func()) {
	var hit []*campaign.Registration
	for i := range c.Products {
		r := &c.Products[i]
		if r.Seller == el.ShopID && (el.Scope == eligibility.ShopScope || r.Product == el.ID) && r.Status != campaign.Rejected {
			hit = append(hit, r) // a rejected product takes no part: nothing to end (CMP-5)
		}
	}
	live := slices.ContainsFunc(hit, func(r *campaign.Registration) bool { return r.Ended.IsZero() })
	if len(hit) == 0 {
		return []affrules.RuleID{campaign.RuleReview}, nil
	}
	// ELG-11, every failure reported (MKT-5): the campaign over ends every participation; the
	// disqualification must be permanent, the policy let it end one, and one must be left.
	if !at.Before(c.Period.End) {
		rules = append(rules, campaign.RuleLaterDisqualification)
	}
	ends := el.Permanent() || m.p.TemporaryEndsParticipation && el.State == eligibility.TemporarilyDisqualified
	if !ends || !m.p.PermanentEndsParticipation || !live {
		rules = append(rules, campaign.RuleLaterDisqualification)
	}
	if len(rules) > 0 {
		return rules, nil
	}
	return nil, func() {
		for _, r := range hit {
			if r.Ended.IsZero() {
				r.Ended = at
			}
		}
	}
}

// ruleIDs returns the rule IDs of the failed reasons of d, sorted.
func ruleIDs(d affrules.Decision) []affrules.RuleID {
	var out []affrules.RuleID
	for _, r := range d.Failures() {
		out = append(out, r.Rule)
	}
	slices.Sort(out)
	return out
}

// machine returns the model-based state machine of TestStore: campaigns created, and actions of
// every kind applied to them at instants that mostly move on, to the edges of the registration
// and campaign periods and the nanosecond before them, and sometimes back, on a new store from
// newStore, compared after every step with a plain model of SPEC §7: accepted actions stored
// exactly as the model makes them (CMP-2, CMP-4..6, SMP-2, ELG-9, ELG-11), refusals naming
// exactly the model's rules and bad input storing nothing, reviews only once (pending →
// approved or rejected), instants only forward, and the campaigns listed by market.
func machine(tt *testing.T) func(*rapid.T, campaign.Store) {
	return func(t *rapid.T, s campaign.Store) {
		ctx := context.Background()
		p := campaign.DefaultPolicy()
		p.PermanentEndsParticipation = rapid.Bool().Draw(t, "permanent_ends_participation")
		p.EligibleProductsOnly = !sometimes(t, "any_products", 4)
		p.RegistrationWithinCampaign = !sometimes(t, "loose_registration", 4)
		p.TemporaryEndsParticipation = p.PermanentEndsParticipation && sometimes(t, "temporary_ends", 3)
		p.RequirementOf = rapid.SampledFrom([]string{campaign.RequirementOfTotal, campaign.RequirementOfCreator, campaign.RequirementOfPartner}).Draw(t, "requirement_of")
		e, err := campaign.New(p, commission.MustNew(commission.DefaultPolicy()))
		if err != nil {
			t.Fatalf("campaign.New: %v", err)
		}
		m := &model{p: p, campaigns: map[string]*campaign.Campaign{}}
		clock := t0

		when := func(t *rapid.T) time.Time {
			switch rapid.IntRange(0, 9).Draw(t, "clock") {
			case 1, 2, 3, 4:
				clock = clock.Add(time.Hour)
			case 5, 6:
				clock = clock.Add(24 * time.Hour)
			case 7:
				var ahead []time.Time
				for _, b := range []time.Time{t0, regEnd, run.Start, run.End} {
					for _, x := range []time.Time{b.Add(-time.Nanosecond), b} {
						if x.After(clock) {
							ahead = append(ahead, x)
						}
					}
				}
				if len(ahead) > 0 {
					clock = ahead[rapid.IntRange(0, min(len(ahead)-1, 2)).Draw(t, "boundary")]
				}
			}
			return clock
		}

		// check compares what the store holds with the model.
		check := func(t *rapid.T) {
			var want []campaign.Campaign
			for _, c := range m.campaigns {
				want = append(want, *c)
			}
			slices.SortFunc(want, func(a, b campaign.Campaign) int { return compareIDs(a.ID, b.ID) })
			got, err := s.Campaigns(ctx, affrules.MY)
			if err != nil {
				t.Fatalf("Campaigns: %v", err)
			}
			if d := affrulestest.Diff(want, got); d != "" {
				t.Fatalf("the store holds what the model does not:\n%s", d)
			}
		}

		create := func(t *rapid.T) {
			id := rapid.SampledFrom([]string{"a1", "a2", "s1", "s2"}).Draw(t, "id")
			c := agency(id, affrules.MY)
			if id[0] == 's' {
				c = seller(id)
			}
			badTerms := p.RegistrationWithinCampaign && sometimes(t, "bad_terms", 8)
			switch {
			case badTerms: // CMP-3: registration ending after the campaign
				c.Registration.End = c.Period.End.Add(time.Nanosecond)
			case !p.RegistrationWithinCampaign && sometimes(t, "long_registration", 2): // allowed: CMP-5 then refuses late ones
				c.Registration.End = c.Period.End.Add(5 * 24 * time.Hour)
			}
			at := when(t)
			// CMP-3: a campaign over, or its registration (join window) closed, by its
			// creation is refused.
			over, closed := !at.Before(c.Period.End), !at.Before(c.Registration.End)
			bad := func(err error) bool {
				return (badTerms && fieldError(err, "campaign.registration.end")) || (over && fieldError(err, "campaign.period.end")) ||
					(closed && fieldError(err, "campaign.registration.end"))
			}
			got, err := s.Create(ctx, e, c, at)
			switch {
			case m.campaigns[id] != nil:
				if !errors.Is(err, campaign.ErrConflict) && !bad(err) {
					t.Fatalf("Create(%s) again: error %v, want ErrConflict (or bad input for bad terms)", id, err)
				}
			case badTerms || over || closed:
				if !bad(err) {
					t.Fatalf("Create(%s) with bad terms at %v: error %v, want a FieldError on campaign.registration.end or campaign.period.end", id, at, err)
				}
			case err != nil:
				t.Fatalf("Create(%s) at %v: %v", id, at, err)
			default:
				c.Created, c.Updated = at, at
				if d := affrulestest.Diff(c, got); d != "" {
					t.Fatalf("Create(%s) returned what the model does not make:\n%s", id, d)
				}
				m.campaigns[id] = &c
			}
		}

		act := func(t *rapid.T) {
			if len(m.campaigns) == 0 {
				if _, err := s.Apply(ctx, e, "nope", campaign.Publish("shop-1"), clock); !errors.Is(err, campaign.ErrNotFound) {
					t.Fatalf("Apply on an unknown campaign: error %v, want ErrNotFound", err)
				}
				return
			}
			var keys []string
			for id := range m.campaigns {
				keys = append(keys, id)
			}
			slices.Sort(keys)
			id := rapid.SampledFrom(keys).Draw(t, "campaign")
			c := m.campaigns[id]
			next := cloneCampaign(*c)
			at := when(t)
			backwards := sometimes(t, "backwards", 10)
			if backwards {
				at = c.Updated.Add(-time.Nanosecond)
			}
			// Mostly a product registered already, its seller and a partner of the audience, so
			// that runs go the whole way; sometimes anyone.
			product := rapid.SampledFrom([]string{"p1", "p2", "p3"}).Draw(t, "product")
			shop := rapid.SampledFrom([]string{"shop-1", "shop-2"}).Draw(t, "shop")
			if len(c.Products) > 0 && !sometimes(t, "any_product", 3) {
				r := rapid.SampledFrom(c.Products).Draw(t, "registered")
				product, shop = r.Product, r.Seller
			}
			partner := rapid.SampledFrom([]string{"partner-1", "partner-2", "partner-3"}).Draw(t, "partner")
			if len(c.Partners) > 0 && !sometimes(t, "any_partner", 3) {
				partner = rapid.SampledFrom(c.Partners).Draw(t, "joined").Partner
			}
			var (
				a     campaign.Action
				bad   bool
				rules []affrules.RuleID
				apply func()
			)
			// Mostly the actions of the campaign's kind (CMP-2: reviews in an agency campaign,
			// publication and joining in a seller's), sometimes the others, to be refused.
			kinds := []int{0, 0, 1, 1, 2, 2, 5, 6, 3, 4}
			if c.Initiator == campaign.Seller {
				kinds = []int{0, 0, 3, 3, 4, 4, 2, 2, 5, 6, 1}
			}
			switch kind := rapid.SampledFrom(kinds).Draw(t, "action"); kind {
			case 0:
				// A product of the set, mostly by the campaign's own seller in a seller campaign.
				product = rapid.SampledFrom([]string{"p1", "p2", "p3"}).Draw(t, "new_product")
				if c.Initiator == campaign.Seller && !sometimes(t, "other_seller", 4) {
					shop = c.Owner
				}
				share := affrules.MustParseRate("30%")
				if p.RequirementOf != campaign.RequirementOfTotal { // CMP-3: the part compared moves with the share
					share = rapid.SampledFrom([]affrules.Rate{{}, share, affrules.MustParseRate("100%")}).Draw(t, "partner_share")
				}
				r := campaign.Registration{Product: product, Seller: shop, PartnerShare: share, Samples: 5, Contact: "+60 3 1234 5678",
					Rate: rapid.SampledFrom([]affrules.Rate{affrules.MustParseRate("9.9999999%"), affrules.MustParseRate("10%"), affrules.MustParseRate("10%"), affrules.MustParseRate("15%")}).Draw(t, "rate")}
				el := eligibility.Result{ID: product, ShopID: shop, Market: affrules.MY, State: eligibility.Eligible}
				switch rapid.IntRange(0, 9).Draw(t, "eligibility") {
				case 0:
					el.State = eligibility.TemporarilyDisqualified
				case 1:
					el.ID = "other" // bad input: another product's result
				case 2:
					r.Samples = -1
				}
				a = campaign.Register(r, el)
				bad, rules, apply = m.register(&next, r, el, at)
			case 1:
				actor := rapid.SampledFrom([]string{c.Owner, c.Owner, c.Owner, "partner-2"}).Draw(t, "reviewer")
				approve := rapid.Bool().Draw(t, "approve")
				a = campaign.Review(actor, product, approve)
				rules, apply = m.review(&next, actor, product, approve, at)
			case 2:
				creators := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"c1", "c2", "c3"}), 1, 2, func(s string) string { return s }).Draw(t, "creators")
				actor := partner
				if c.Initiator == campaign.Agency && rapid.Bool().Draw(t, "by_owner") {
					actor = c.Owner
				}
				a = campaign.MatchCreators(actor, product, creators...)
				rules, apply = m.match(&next, actor, product, creators, at)
			case 3:
				actor := rapid.SampledFrom([]string{c.Owner, c.Owner, c.Owner, "shop-2"}).Draw(t, "publisher")
				a = campaign.Publish(actor)
				rules, apply = m.publish(&next, actor, at)
			case 4:
				a = campaign.Join(partner)
				rules, apply = m.join(&next, partner, at)
			case 5:
				n := rapid.Int64Range(-1, 3).Draw(t, "samples")
				a = campaign.SetSamples(shop, product, n)
				bad, rules, apply = m.samples(&next, shop, product, n)
			case 6:
				el := eligibility.Result{ID: product, ShopID: shop, Market: affrules.MY, State: eligibility.PermanentlyDisqualified}
				if sometimes(t, "temporary", 4) {
					el.State = eligibility.TemporarilyDisqualified
				}
				if sometimes(t, "shop_scope", 3) {
					el.ID, el.Scope = shop, eligibility.ShopScope
				}
				a = campaign.Disqualify(el)
				rules, apply = m.disqualify(&next, el, at)
			}
			bad = bad || backwards
			what := fmt.Sprintf("%v on %s at %v", a, id, at)
			got, err := s.Apply(ctx, e, id, a, at)
			var r *affrules.Refusal
			var fe *affrules.FieldError
			switch {
			case bad:
				if !errors.As(err, &fe) || errors.Is(err, affrules.ErrRefused) {
					t.Fatalf("%s: error %v, want bad input", what, err)
				}
			case len(rules) > 0:
				slices.Sort(rules)
				if !errors.As(err, &r) || !errors.Is(err, affrules.ErrRefused) {
					t.Fatalf("%s: error %v, want a refusal for %v", what, err, rules)
				}
				if got := ruleIDs(r.Decision); !slices.Equal(got, rules) {
					t.Fatalf("%s: refused for %v, want %v (%v)", what, got, rules, r.Decision)
				}
			case err != nil:
				t.Fatalf("%s: %v", what, err)
			default:
				apply()
				next.Updated = at
				if d := affrulestest.Diff(next, got); d != "" {
					t.Fatalf("%s: Apply returned what the model does not make:\n%s", what, d)
				}
				m.campaigns[id] = &next
			}
		}

		for _, id := range []string{"a1", "s1"} {
			c := agency(id, affrules.MY)
			if id == "s1" {
				c = seller(id)
			}
			got, err := s.Create(ctx, e, c, clock)
			if err != nil {
				t.Fatalf("Create(%s): %v", id, err)
			}
			m.campaigns[id] = &got
		}
		t.Repeat(map[string]func(*rapid.T){
			"create": create,
			"act":    act,
			"act_2":  act,
			"act_3":  act,
			"":       check,
		})
	}
}

// cloneCampaign returns a deep copy of c.
func cloneCampaign(c campaign.Campaign) campaign.Campaign {
	c.Audience.IDs = slices.Clone(c.Audience.IDs)
	c.Products = slices.Clone(c.Products)
	for i := range c.Products {
		c.Products[i].Matches = slices.Clone(c.Products[i].Matches)
	}
	c.Partners = slices.Clone(c.Partners)
	return c
}

// compareIDs orders campaign IDs as a store lists them: by ID.
func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
