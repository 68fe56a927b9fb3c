package campaign_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// The generators of the property, state-machine and benchmark tests: campaigns in MY whose
// registration period opens at propHour(0), and the pools of IDs they draw from.
var (
	propCom  = commission.MustNew(commission.DefaultPolicy())
	propEval = campaign.MustNew(campaign.DefaultPolicy(), propCom)
	propBase = time.Date(2026, 12, 1, 0, 0, 0, 0, mustMarket(affrules.MY).Location())

	propSellers  = []string{"s1", "s2", "s3", "s4"}
	propPartners = []string{"a1", "a2", "a3", "a4"}
	propProducts = []string{"p1", "p2", "p3", "p4", "p5"}
	propCreators = []string{"c1", "c2", "c3", "c4"}

	// propOffers lets cmp compare commission offers, whose rate history keeps its entries
	// unexported.
	propOffers = cmp.Transformer("entries", func(tl affrules.Timeline[commission.Terms]) []affrules.Effective[commission.Terms] {
		var out []affrules.Effective[commission.Terms]
		for from, v := range tl.All() {
			out = append(out, affrules.Effective[commission.Terms]{From: from, Value: v})
		}
		return out
	})
)

func mustMarket(m affrules.MarketCode) affrules.Market {
	mk, err := affrules.LookupMarket(m)
	if err != nil {
		panic(err)
	}
	return mk
}

// propHour returns the instant h hours after the registration period of the generated
// campaigns opens.
func propHour(h int) time.Time { return propBase.Add(time.Duration(h) * time.Hour) }

// genInstant draws an instant on the hour from lo to hi hours after propBase, or a nanosecond
// either side of it, so that draws land on the periods' boundaries and their last instants.
func genInstant(t *rapid.T, label string, lo, hi int) time.Time {
	at := propHour(rapid.IntRange(lo, hi).Draw(t, label))
	return at.Add(time.Duration(rapid.SampledFrom([]int{0, 0, 0, -1, 1}).Draw(t, label+".ns")))
}

func pct(n int) affrules.Rate { return affrules.MustParseRate(fmt.Sprintf("%d%%", n)) }

// justBelow returns the rate 0.000000001 below r.
func justBelow(r affrules.Rate) affrules.Rate {
	b, err := affrules.RateFromDecimal(r.Decimal().Sub(decimal.New(1, -9)))
	if err != nil {
		panic(err)
	}
	return b
}

// genRate draws a total rate within COM-9's bounds, mostly meeting the requirement: exactly
// the requirement, the requirement and up to 20% more, sometimes a whole percentage from 1% to
// 30% or 0.000000001 below the requirement.
func genRate(t *rapid.T, label string, requirement affrules.Rate) affrules.Rate {
	switch k := rapid.IntRange(0, 7).Draw(t, label); {
	case k == 7 && !requirement.IsZero():
		return justBelow(requirement)
	case k == 6:
		return pct(rapid.IntRange(1, 30).Draw(t, label+".pct"))
	case k == 0:
		if !requirement.IsZero() {
			return requirement
		}
	}
	r, err := affrules.RateFromDecimal(requirement.Decimal().Add(pct(rapid.IntRange(1, 20).Draw(t, label+".more")).Decimal()))
	if err != nil {
		panic(err)
	}
	return r
}

// sometimes draws whether a rarer case happens, about one time in n.
func sometimes(t *rapid.T, label string, n int) bool { return rapid.IntRange(1, n).Draw(t, label) == n }

// propTerms are the drawn terms of a generated campaign, in hours after propBase: registration
// [0, regEnd), campaign [runStart, runEnd), created at created.
type propTerms struct {
	created, regEnd, runStart, runEnd int
}

// genCampaign draws the terms of an agency campaign (owner a1, for all sellers or some) or a
// seller campaign (owner s1, for all partners or some) in MY (CMP-2, CMP-3), and creates it.
func genCampaign(t *rapid.T) (campaign.Campaign, propTerms) {
	var h propTerms
	h.created = rapid.IntRange(-48, 0).Draw(t, "created")
	h.regEnd = rapid.IntRange(24, 240).Draw(t, "regEnd")
	h.runStart = rapid.IntRange(0, h.regEnd+24).Draw(t, "runStart")
	h.runEnd = max(h.runStart+1, h.regEnd) + rapid.IntRange(0, 240).Draw(t, "runLonger")
	c := campaign.Campaign{ID: "cmp-1", Market: affrules.MY, Name: "Year-end", Contact: "ops@example.com",
		Registration: affrules.Period{Start: propHour(0), End: propHour(h.regEnd)},
		Period:       affrules.Period{Start: propHour(h.runStart), End: propHour(h.runEnd)},
		Requirement:  rapid.SampledFrom([]affrules.Rate{{}, pct(5), pct(10), affrules.MustParseRate("12.5%")}).Draw(t, "requirement")}
	pool := propSellers
	if rapid.Bool().Draw(t, "agency") {
		c.Initiator, c.Owner = campaign.Agency, "a1"
	} else {
		c.Initiator, c.Owner, pool = campaign.Seller, "s1", propPartners
	}
	if rapid.Bool().Draw(t, "all") {
		c.Audience.All = true
	} else {
		c.Audience.IDs = rapid.SliceOfNDistinct(rapid.SampledFrom(pool), 1, len(pool), rapid.ID[string]).Draw(t, "audience")
	}
	n, err := propEval.Create(c, propHour(h.created))
	if err != nil {
		t.Fatalf("Create(%+v): %v", c, err)
	}
	return n, h
}

// eligible returns the eligibility result of product of shop in MY in state s (ELG-9), with
// reasons when it is not eligible.
func resultOf(product, shop string, s eligibility.State, reasons ...affrules.Reason) eligibility.Result {
	return eligibility.Result{ID: product, ShopID: shop, Market: affrules.MY, State: s, Decision: affrules.Decide(reasons...)}
}

// propEvent is an action at an instant.
type propEvent struct {
	at time.Time
	a  campaign.Action
}

// genEvents draws the life of campaign c, sorted by instant: products registered around the
// registration period (mostly by sellers of the audience, or the owner of a seller campaign,
// and eligible), reviews by the owner (sometimes by another partner), a seller campaign's
// publication and partners joining it (mostly of its audience), creators matched to products
// (mostly by the owner, or by partners that joined), sample changes. Some are refused; the
// rest make the campaign. The first product is registered by the rules, so that a seller
// campaign can be published.
func genEvents(t *rapid.T, c campaign.Campaign, h propTerms) []propEvent {
	var out []propEvent
	add := func(at time.Time, a campaign.Action) { out = append(out, propEvent{at, a}) }
	agency := c.Initiator == campaign.Agency
	audience := c.Audience.IDs
	switch {
	case c.Audience.All && agency:
		audience = propSellers
	case c.Audience.All:
		audience = propPartners
	}
	products := rapid.SliceOfNDistinct(rapid.SampledFrom(propProducts), 1, len(propProducts), rapid.ID[string]).Draw(t, "products")
	registered := make([]time.Time, len(products))
	for i, p := range products {
		registered[i] = genInstant(t, p+".registered", 0, h.regEnd-1)
		if i > 0 && sometimes(t, p+".late", 8) { // around the period, or until the end of a seller campaign
			hi := h.regEnd
			if !agency {
				hi = h.runEnd
			}
			registered[i] = genInstant(t, p+".registeredLate", -6, hi+6)
		}
	}
	var joined []string
	joinedAt := map[string]time.Time{}
	if !agency {
		published := registered[0].Add(time.Duration(rapid.IntRange(0, 12).Draw(t, "publishAfter")) * time.Hour)
		if sometimes(t, "publishAny", 8) {
			published = genInstant(t, "published", -6, h.regEnd+3)
		}
		add(published, campaign.Publish(c.Owner))
		joined = rapid.SliceOfNDistinct(rapid.SampledFrom(audience), 1, len(audience), rapid.ID[string]).Draw(t, "joining")
		if sometimes(t, "joinOutsider", 8) {
			joined = append(joined, rapid.SampledFrom(propPartners).Draw(t, "outsider"))
		}
		for _, a := range joined {
			at := published.Add(time.Duration(rapid.IntRange(0, 24).Draw(t, a+".joinAfter")) * time.Hour)
			if sometimes(t, a+".joinAny", 8) {
				at = genInstant(t, a+".joined", -6, h.regEnd+3)
			}
			add(at, campaign.Join(a))
			joinedAt[a] = at
		}
	}
	for i, p := range products {
		sure := i == 0
		shop := c.Owner
		switch {
		case !sure && sometimes(t, p+".otherShop", 8):
			shop = rapid.SampledFrom(propSellers).Draw(t, p+".shop")
		case agency:
			shop = rapid.SampledFrom(audience).Draw(t, p+".shop")
		}
		state := eligibility.Eligible
		if !sure && sometimes(t, p+".ineligible", 10) {
			state = eligibility.TemporarilyDisqualified
		}
		rate := c.Requirement
		if !sure || rate.IsZero() {
			rate = genRate(t, p+".rate", c.Requirement)
		}
		r := campaign.Registration{Product: p, Seller: shop, Rate: rate, PartnerShare: pct(rapid.IntRange(0, 100).Draw(t, p+".share")),
			Samples: int64(rapid.IntRange(0, 20).Draw(t, p+".samples")), Contact: "+60 3 1234"}
		add(registered[i], campaign.Register(r, resultOf(p, shop, state)))
		reviewed := registered[i]
		if agency {
			reviewed = reviewed.Add(time.Duration(rapid.IntRange(0, 48).Draw(t, p+".reviewAfter")) * time.Hour)
			reviewer := "a1"
			if sometimes(t, p+".otherReviewer", 10) {
				reviewer = "a2"
			}
			add(reviewed, campaign.Review(reviewer, p, !sometimes(t, p+".reject", 4)))
		}
		for j := range rapid.IntRange(0, 3).Draw(t, p+".matches") {
			label := fmt.Sprintf("%s.match%d", p, j)
			partner, from := "a1", reviewed
			if !agency {
				partner = rapid.SampledFrom(joined).Draw(t, label+".partner")
				if sometimes(t, label+".notJoined", 10) {
					partner = rapid.SampledFrom(propPartners).Draw(t, label+".anyPartner")
				}
				if at, ok := joinedAt[partner]; ok && at.After(from) {
					from = at
				}
			}
			creators := rapid.SliceOfNDistinct(rapid.SampledFrom(propCreators), 1, 2, rapid.ID[string]).Draw(t, label+".creators")
			after := rapid.IntRange(0, 48).Draw(t, label+".after")
			if sometimes(t, label+".late", 8) {
				after = rapid.IntRange(0, h.runEnd+12).Draw(t, label+".afterLate")
			}
			add(from.Add(time.Duration(after)*time.Hour), campaign.MatchCreators(partner, p, creators...))
		}
		if sometimes(t, p+".resample", 4) {
			add(genInstant(t, p+".resampled", -6, h.runEnd+6), campaign.SetSamples(shop, p, int64(rapid.IntRange(0, 20).Draw(t, p+".samples2"))))
		}
	}
	slices.SortStableFunc(out, func(x, y propEvent) int { return x.at.Compare(y.at) })
	return out
}

// applyAll applies events to c in order, from instant c.Updated on (earlier ones are skipped),
// and returns the campaign and the events applied. A refusal leaves the campaign as it was;
// any other error fails t: the events are well formed and in order.
func applyAll(t *rapid.T, c campaign.Campaign, events []propEvent) (campaign.Campaign, []propEvent) {
	var applied []propEvent
	for _, ev := range events {
		if ev.at.Before(c.Updated) {
			continue
		}
		n, err := propEval.Apply(c, ev.a, ev.at)
		if err != nil {
			if !errors.Is(err, affrules.ErrRefused) {
				t.Fatalf("%v at %v: %v", ev.a, ev.at, err)
			}
			continue
		}
		c = n
		applied = append(applied, ev)
	}
	return c, applied
}

// COM-12, COM-5, CMP-5: the offers a campaign makes at an instant, with Open listings of its
// products, give the resolver the answer of a plain reading of the rules: the campaign's rate
// (PARTNER) exactly when the product is approved by then, the creator was matched to it at or
// before the instant, and the instant is in the campaign period; else the Open rate when the
// product is listed by then; else nothing.
func TestOffersAgreeWithResolver_COM12(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, h := genCampaign(t)
		c, _ = applyAll(t, c, genEvents(t, c, h))
		type listing struct {
			rate affrules.Rate
			from time.Time
		}
		listed := map[string]listing{} // Open Collaboration listings (CMP-1)
		var listings []commission.Offer
		for _, p := range propProducts {
			if !rapid.Bool().Draw(t, p+".listed") {
				continue
			}
			l := listing{pct(rapid.IntRange(1, 30).Draw(t, p+".open")), genInstant(t, p+".listedAt", -24, h.runEnd+24)}
			o, err := propEval.List("open-"+p, affrules.MY, p, commission.Terms{Rate: l.rate}, l.from)
			if err != nil {
				t.Fatal(err)
			}
			listed[p] = l
			listings = append(listings, o)
		}

		// The order: mostly of a creator matched to a product, near the instant of the match
		// or of the campaign's start.
		product := rapid.SampledFrom(propProducts).Draw(t, "order.product")
		creator := rapid.SampledFrom(propCreators).Draw(t, "order.creator")
		at := genInstant(t, "order.at", -12, h.runEnd+12)
		type matchOf struct {
			product string
			m       campaign.Match
		}
		var matched []matchOf
		for _, r := range c.Products {
			for _, m := range r.Matches {
				matched = append(matched, matchOf{r.Product, m})
			}
		}
		if len(matched) > 0 && !sometimes(t, "order.unmatched", 4) {
			m := rapid.SampledFrom(matched).Draw(t, "order.match")
			product, creator, at = m.product, m.m.Creator, m.m.At
			if at.Before(c.Period.Start) && rapid.Bool().Draw(t, "order.fromStart") {
				at = c.Period.Start
			}
			at = at.Add(time.Duration(rapid.IntRange(-2, 48).Draw(t, "order.after"))*time.Hour + time.Duration(rapid.SampledFrom([]int{0, 0, -1}).Draw(t, "order.ns")))
		}

		got, err := propEval.Offers(c, at)
		require.NoError(t, err)
		book, err := propCom.Prepare(append(got, listings...)...)
		require.NoError(t, err)
		order := commission.Order{ID: "o-1", Creator: creator, Product: product, Market: affrules.MY, Attributed: true, OrderCount: 1,
			PromotingSince: at.Add(-time.Duration(rapid.IntRange(0, 200).Draw(t, "order.promoting")) * time.Hour)}
		res, err := propCom.Resolve(book, order, at)
		require.NoError(t, err)

		// The plain reading.
		var want struct {
			source      commission.Source
			offer       string
			rate, share affrules.Rate
		}
		for _, r := range c.Products {
			if r.Product != product || r.Status != campaign.Approved || r.Reviewed.After(at) || at.Before(c.Period.Start) || !at.Before(c.Period.End) {
				continue
			}
			// Each partner's matches at one instant are one offer, numbered from 1 in order.
			var ids []string
			for _, m := range r.Matches {
				if m.Creator != creator || m.At.After(at) {
					continue
				}
				var batches []time.Time
				for _, x := range r.Matches {
					if x.Partner == m.Partner && !slices.ContainsFunc(batches, x.At.Equal) {
						batches = append(batches, x.At)
					}
				}
				n := slices.IndexFunc(batches, m.At.Equal) + 1
				ids = append(ids, fmt.Sprintf("%s/%s/%s/%d", c.ID, product, m.Partner, n))
			}
			if len(ids) > 0 { // equal rates: the lower offer ID wins (COM-5)
				want.source, want.offer, want.rate, want.share = commission.Partner, slices.Min(ids), r.Rate, r.PartnerShare
			}
		}
		if l, ok := listed[product]; want.source == 0 && ok && !at.Before(l.from) {
			want.source, want.offer, want.rate = commission.Open, "open-"+product, l.rate
		}
		if res.Source != want.source || res.OfferID != want.offer || !res.Rate.Equal(want.rate) || !res.PartnerShare.Equal(want.share) {
			t.Fatalf("order of %s by %s at %v: resolver %s %q %s (partner %s), want %s %q %s (partner %s)\noffers: %+v\ncampaign products: %+v\nmatches: %+v\n%s",
				product, creator, at, res.Source, res.OfferID, res.Rate, res.PartnerShare, want.source, want.offer, want.rate, want.share, got, c.Products, matched, res.Explain())
		}
	})
}

// COM-3, COM-12: the offers a campaign makes at instant t are the same whatever is done to it
// after t: registrations, reviews, matches, joins and sample changes dated later.
func TestOffersUnchangedByLaterActions_COM3(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, h := genCampaign(t)
		events := genEvents(t, c, h)
		at := genInstant(t, "at", -6, h.runEnd+12)
		var matches []time.Time // often judge the offers soon after a match
		for _, ev := range events {
			if strings.HasPrefix(ev.a.String(), "match ") {
				matches = append(matches, ev.at)
			}
		}
		if len(matches) > 0 && !sometimes(t, "anyInstant", 3) {
			at = rapid.SampledFrom(matches).Draw(t, "match").Add(time.Duration(rapid.IntRange(0, 24).Draw(t, "afterMatch")) * time.Hour)
		}
		split := slices.IndexFunc(events, func(ev propEvent) bool { return ev.at.After(at) })
		if split < 0 {
			split = len(events)
		}
		then, _ := applyAll(t, c, events[:split])
		before, err := propEval.Offers(then, at)
		require.NoError(t, err)
		later, applied := applyAll(t, then, events[split:])
		after, err := propEval.Offers(later, at)
		require.NoError(t, err)
		if diff := cmp.Diff(before, after, propOffers); diff != "" {
			t.Fatalf("offers at %v changed after %d later actions %v (-before +after):\n%s", at, len(applied), applied, diff)
		}
	})
}

// CMP-5, CMP-6: who sees a campaign, by the plain rules: its owner from its creation; a seller of an
// agency campaign's audience (everyone, or the sellers selected) from its creation; a partner
// of a seller campaign's audience from its publication; nobody else. And nobody loses sight of
// a campaign as time passes.
func TestVisibility_CMP5_CMP6(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, h := genCampaign(t)
		var published time.Time
		if c.Initiator == campaign.Seller && rapid.Bool().Draw(t, "publish") {
			r := campaign.Registration{Product: "p1", Seller: c.Owner, Rate: pct(20), Contact: "+60 3 1234"}
			var err error
			at := propHour(h.created)
			if c, err = propEval.Apply(c, campaign.Register(r, resultOf("p1", c.Owner, eligibility.Eligible)), at); err != nil {
				t.Fatal(err)
			}
			published = genInstant(t, "published", h.created, h.regEnd-1)
			if published.Before(at) {
				published = at
			}
			if c, err = propEval.Apply(c, campaign.Publish(c.Owner), published); err != nil {
				t.Fatal(err)
			}
		}
		var v campaign.Viewer
		var id string
		if rapid.Bool().Draw(t, "seller") {
			id = rapid.SampledFrom(propSellers).Draw(t, "viewer")
			v.Seller = id
		} else {
			id = rapid.SampledFrom(propPartners).Draw(t, "viewer")
			v.Partner = id
		}
		at := genInstant(t, "at", -72, h.runEnd+24)
		selected := c.Audience.All || slices.Contains(c.Audience.IDs, id)
		var want bool
		switch {
		case id == c.Owner && (c.Initiator == campaign.Agency) == (v.Partner != ""): // its owner, from creation
			want = !at.Before(propHour(h.created))
		case c.Initiator == campaign.Agency: // CMP-5: sellers of the audience, from creation
			want = v.Seller != "" && selected && !at.Before(propHour(h.created))
		default: // CMP-6: partners of the audience, once published
			want = v.Partner != "" && selected && !published.IsZero() && !at.Before(published)
		}
		got, err := propEval.Visible(c, v, at)
		require.NoError(t, err)
		if got != want {
			t.Fatalf("%+v sees %s campaign of %s (audience %+v, created %v, published %v) at %v: %v, want %v",
				v, c.Initiator, c.Owner, c.Audience, c.Created, c.Published, at, got, want)
		}
		if got {
			later := at.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "later")) * time.Hour)
			if still, err := propEval.Visible(c, v, later); err != nil || !still {
				t.Fatalf("%+v saw the campaign at %v but not at %v (%v)", v, at, later, err)
			}
		}
	})
}

// reasonKeys returns each reason as "rule key", sorted.
func reasonKeys(rs []affrules.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Rule) + " " + string(r.Key)
	}
	slices.Sort(out)
	return out
}

// CMP-4, ELG-9, CMP-2, CMP-6, MKT-5: a registration's decision names every rule it breaks, not
// the first: the window (not yet open, closed; for a seller campaign, the campaign's end), the
// requirement, the product's eligibility with the eligibility result's own failed reasons, a
// product registered already, a seller outside the audience (or not the owner of a seller
// campaign, or a seller campaign published already). With none broken the product is registered; the decision says when registration
// opens when that is the only obstacle.
func TestRegisterListsEveryFailingRule_CMP4(t *testing.T) {
	elgReasons := []affrules.Reason{
		{Rule: "ELG-3", Key: "eligibility.elg3.negative_reviews"},
		{Rule: "ELG-2", Key: "eligibility.elg2.store_rating"},
		{Rule: "ELG-4", Kind: affrules.NotApplicable, Key: "eligibility.elg4.not_applicable"},
	}
	rapid.Check(t, func(t *rapid.T) {
		c, h := genCampaign(t)
		events := genEvents(t, c, h)
		at := genInstant(t, "at", -12, h.runEnd+12)
		if at.Before(c.Updated) {
			at = c.Updated
		}
		c, applied := applyAll(t, c, slices.DeleteFunc(events, func(ev propEvent) bool { return ev.at.After(at) }))
		registered := map[string]bool{} // the products of the registrations accepted
		for _, ev := range applied {
			for _, p := range propProducts {
				if strings.HasPrefix(ev.a.String(), "register "+strconv.Quote(p)+" ") {
					registered[p] = true
				}
			}
		}

		product := rapid.SampledFrom(propProducts).Draw(t, "product")
		shop := rapid.SampledFrom(propSellers).Draw(t, "shop")
		r := campaign.Registration{Product: product, Seller: shop, Rate: genRate(t, "rate", c.Requirement),
			PartnerShare: pct(rapid.IntRange(0, 100).Draw(t, "share")), Samples: 3, Contact: "+60 3 1234"}
		state := rapid.SampledFrom([]eligibility.State{eligibility.Eligible, eligibility.Eligible, eligibility.TemporarilyDisqualified, eligibility.PermanentlyDisqualified}).Draw(t, "state")
		var elg []affrules.Reason
		if state != eligibility.Eligible {
			elg = rapid.SliceOfN(rapid.SampledFrom(elgReasons), 0, 3).Draw(t, "eligibilityReasons")
		}

		var want []affrules.Reason
		reason := func(rule affrules.RuleID, key string) {
			want = append(want, affrules.Reason{Rule: rule, Key: affrules.MessageKey(key)})
		}
		if c.Initiator == campaign.Agency {
			if !c.Audience.All && !slices.Contains(c.Audience.IDs, shop) {
				reason(campaign.RuleInitiators, "campaign.cmp2.not_in_audience")
			}
			switch {
			case at.Before(propHour(0)):
				reason(campaign.RuleRegistration, "campaign.cmp4.not_open_yet")
			case !at.Before(propHour(h.regEnd)):
				reason(campaign.RuleRegistration, "campaign.cmp4.closed")
			}
			if !at.Before(propHour(h.runEnd)) {
				reason(campaign.RuleReview, "campaign.cmp5.campaign_over")
			}
		} else {
			if shop != "s1" {
				reason(campaign.RuleInitiators, "campaign.cmp2.not_owner")
			}
			if !c.Published.IsZero() { // CMP-6: registered before publication
				reason(campaign.RuleSellerCampaigns, "campaign.cmp6.published")
			}
			if !at.Before(propHour(h.runEnd)) {
				reason(campaign.RuleReview, "campaign.cmp5.campaign_over")
			}
		}
		if r.Rate.Cmp(c.Requirement) < 0 {
			reason(campaign.RuleRegistration, "campaign.cmp4.below_requirement")
		}
		if state != eligibility.Eligible {
			reason(campaign.RuleEligibleProducts, "campaign.elg9.ineligible")
			for _, e := range elg {
				if e.Kind != affrules.NotApplicable {
					want = append(want, e)
				}
			}
		}
		if registered[product] {
			reason(campaign.RuleRegistration, "campaign.cmp4.registered")
		}

		got, err := propEval.Apply(c, campaign.Register(r, resultOf(product, shop, state, elg...)), at)
		if len(want) == 0 {
			require.NoError(t, err)
			i := slices.IndexFunc(got.Products, func(x campaign.Registration) bool { return x.Product == product })
			require.GreaterOrEqual(t, i, 0, "registered product not in the campaign")
			wantStatus := campaign.Pending
			if c.Initiator == campaign.Seller {
				wantStatus = campaign.Approved
			}
			if reg := got.Products[i]; reg.Status != wantStatus || !reg.Registered.Equal(at) {
				t.Fatalf("registered %+v, want status %s at %v", reg, wantStatus, at)
			}
			return
		}
		var refusal *affrules.Refusal
		require.ErrorAs(t, err, &refusal)
		require.ErrorIs(t, err, affrules.ErrRefused)
		if diff := cmp.Diff(reasonKeys(want), reasonKeys(refusal.Decision.Reasons)); diff != "" {
			t.Fatalf("register %s by %s at %v (%s campaign, state %s): reasons (-want +got):\n%s\n%v", product, shop, at, c.Initiator, state, diff, refusal)
		}
		var next time.Time
		if len(want) == 1 && want[0].Key == "campaign.cmp4.not_open_yet" {
			next = propHour(0)
		}
		if !refusal.Decision.NextAllowed.Equal(next) {
			t.Fatalf("next allowed %v, want %v: %v", refusal.Decision.NextAllowed, next, refusal)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("a refused registration changed the campaign returned (-want +got):\n%s", diff)
		}
	})
}
