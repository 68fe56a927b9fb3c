package commissiontest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

// CheckPolicy checks every property of [Properties] for policy p, each as a subtest of t named
// after it; a failing one reports rapid's minimal counter-example.
func CheckPolicy(t *testing.T, p commission.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named checks of policy p, each drawing its inputs with this package's
// generators for p and judging them through p's evaluator ([commission.New]):
//
//   - "precedence_covers_every_source" (COM-2, COM-5): an order that one offer of any source
//     applies to, and no other, earns that offer's rate, ordinary or through shop ads: both
//     precedence lists rank every source. [commission.Policy.Validate] accepts lists that
//     leave a source out (it then never wins), and this check fails on them.
//   - "winner_ranks_highest" (COM-5): of the offers that apply to an order, the one that wins
//     ranks highest in the precedence list used for it (shop-ads or ordinary), every other one
//     is overridden, and the answer does not depend on the order the offers are given in.
//   - "no_rate_outside_bounds" (COM-9): offers whose rates straddle p's bounds are accepted
//     only when every rate (standard, shop-ads, tier) lies within them, and every rate an
//     order earns lies within them.
//   - "split_always_sums" (COM-1, COM-7, COM-8): a commission's partner and creator parts sum
//     to its amount exactly, each between zero and the amount, and so does what remains of it
//     after every refund, cancellation or settlement, which never raises it.
//
// The last three hold for every policy Validate accepts: they guard the evaluator and the
// settlement rule a policy is applied by. Every property fails, with the errors, when
// [commission.New] refuses p.
func Properties(p commission.Policy) []affrulestest.Property {
	return properties(p, func(p commission.Policy) (engine, error) {
		e, err := commission.New(p)
		if err != nil {
			return nil, err
		}
		return e, nil
	})
}

// engine is what the properties judge of an evaluator.
type engine interface {
	Prepare(offers ...commission.Offer) (*commission.Book, error)
	Resolve(b *commission.Book, o commission.Order, at time.Time) (commission.Resolution, error)
	Compute(b *commission.Book, o commission.Order, at time.Time) (commission.Commission, error)
}

// properties returns the properties of p, judging the engines build returns for it.
func properties(p commission.Policy, build func(commission.Policy) (engine, error)) []affrulestest.Property {
	get := func(t *rapid.T) engine {
		e, err := build(p)
		if err != nil {
			t.Fatalf("the policy is invalid: %v", err)
		}
		return e
	}
	return []affrulestest.Property{
		{Name: "precedence_covers_every_source", Check: func(t *rapid.T) { coversEverySource(t, p, get(t)) }},
		{Name: "winner_ranks_highest", Check: func(t *rapid.T) { ranksHighest(t, p, get(t)) }},
		{Name: "no_rate_outside_bounds", Check: func(t *rapid.T) { withinBounds(t, p, get(t)) }},
		{Name: "split_always_sums", Check: func(t *rapid.T) { splitSums(t, p, get(t)) }},
	}
}

// COM-2, COM-5: an order that one offer of source s applies to, alone, earns its rate.
func coversEverySource(t *rapid.T, p commission.Policy, e engine) {
	s := rapid.SampledFrom(sources).Draw(t, "source")
	shopAds := rapid.Bool().Draw(t, "shop_ads")
	c := earning(p, s).Draw(t, "case")
	o := c.Offers[slices.IndexFunc(c.Offers, func(o commission.Offer) bool { return o.Source == s })]
	if shopAds { // an offer with a shop-ads rate, on a video authorised for ads (COM-5, COM-6)
		es := slices.Collect(func(yield func(affrules.Effective[commission.Terms]) bool) {
			for from, terms := range o.Rates.All() {
				if terms.ShopAds.IsZero() {
					terms.ShopAds = terms.Rate
				}
				if !yield(affrules.Effective[commission.Terms]{From: from, Value: terms}) {
					return
				}
			}
		})
		tl, err := affrules.NewTimeline(es...)
		if err != nil {
			t.Fatalf("rate history: %v", err)
		}
		o.Rates = tl
		c.Order.ShopAds, c.Order.VideoAuthorised = true, true
	}
	b, err := e.Prepare(o)
	if err != nil {
		t.Fatalf("the offer drawn is refused: %v", err)
	}
	res, err := e.Resolve(b, c.Order, c.At)
	if err != nil {
		t.Fatalf("the order drawn is refused: %v", err)
	}
	if !res.Earned() || res.Source != s {
		list, name := p.Precedence, "precedence"
		if shopAds {
			list, name = p.ShopAdsPrecedence, "shop_ads_precedence"
		}
		earns := "nothing"
		if res.Earned() {
			earns = "through a " + res.Source.String() + " offer"
		}
		t.Fatalf("policy.%s %v: an order that only a %s offer applies to earns %s: %s", name, list, s, earns, res.Explain())
	}
}

// COM-5: the winner ranks highest among the offers that apply, whatever their order.
func ranksHighest(t *rapid.T, p commission.Policy, e engine) {
	c := Cases(p).Draw(t, "case")
	b, err := e.Prepare(c.Offers...)
	if err != nil {
		t.Fatalf("the offers drawn are refused: %v", err)
	}
	res, err := e.Resolve(b, c.Order, c.At)
	if err != nil {
		t.Fatalf("the order drawn is refused: %v", err)
	}
	list, name := p.Precedence, "precedence"
	if c.Order.ShopAds && c.Order.VideoAuthorised {
		list, name = p.ShopAdsPrecedence, "shop_ads_precedence"
	}
	rank := func(s commission.Source) int { return slices.Index(list, s) }
	if res.Earned() {
		if rank(res.Source) < 0 {
			t.Fatalf("policy.%s %v: %s won, a source the list leaves out: %s", name, list, res.Source, res.Explain())
		}
		for _, cand := range res.Candidates() {
			if cand.OfferID == res.OfferID {
				continue
			}
			if cand.Outcome == commission.Won || cand.Outcome == commission.Overridden && rank(cand.Source) <= rank(res.Source) && cand.Source != res.Source {
				t.Fatalf("policy.%s %v: %s won, yet %s offer %s is %s: %s", name, list, res.Source, cand.Source, cand.OfferID, cand.Outcome, res.Explain())
			}
		}
	}
	shuffled := rapid.Permutation(c.Offers).Draw(t, "shuffled")
	b2, err := e.Prepare(shuffled...)
	if err != nil {
		t.Fatalf("the offers drawn, in another order, are refused: %v", err)
	}
	res2, err := e.Resolve(b2, c.Order, c.At)
	if err != nil || res2.Source != res.Source || res2.OfferID != res.OfferID || !res2.Rate.Equal(res.Rate) {
		t.Fatalf("policy.%s %v: %s offer %s at %s, but %s offer %s at %s with the offers in another order (%v)",
			name, list, res.Source, res.OfferID, res.Rate, res2.Source, res2.OfferID, res2.Rate, err)
	}
}

// bounded reports whether rate r lies within p's bounds (COM-9).
func bounded(p commission.Policy, r affrules.Rate) bool {
	return r.Cmp(p.MinRate) >= 0 && r.Cmp(p.MaxRate) <= 0
}

// COM-9: rates outside p's bounds are refused, and no rate outside them is earned.
func withinBounds(t *rapid.T, p commission.Policy, e engine) {
	c := Cases(p).Draw(t, "case")
	// One rate of one offer moved to straddle a bound.
	i := rapid.IntRange(0, len(c.Offers)-1).Draw(t, "offer")
	o := &c.Offers[i]
	if o.Rates.Len() > 0 {
		bound := rapid.SampledFrom([]affrules.Rate{p.MinRate, p.MaxRate}).Draw(t, "bound")
		moved := affrulestest.StraddleRate(bound).Draw(t, "moved")
		var es []affrules.Effective[commission.Terms]
		k := rapid.IntRange(0, o.Rates.Len()-1).Draw(t, "entry")
		j := 0
		for from, terms := range o.Rates.All() {
			if j == k {
				switch {
				case terms.Tier != nil && rapid.Bool().Draw(t, "move_tier"):
					tier := *terms.Tier
					tier.Rate = moved
					terms.Tier = &tier
				case !terms.ShopAds.IsZero() && rapid.Bool().Draw(t, "move_shop_ads"):
					terms.ShopAds = moved
				default:
					terms.Rate = moved
				}
			}
			es = append(es, affrules.Effective[commission.Terms]{From: from, Value: terms})
			j++
		}
		tl, err := affrules.NewTimeline(es...)
		if err != nil {
			t.Fatalf("rate history: %v", err)
		}
		o.Rates = tl
	}
	var outside []string
	for _, o := range c.Offers {
		for from, terms := range o.Rates.All() {
			for what, r := range map[string]affrules.Rate{"rate": terms.Rate, "shop_ads": terms.ShopAds} {
				if !(what == "shop_ads" && r.IsZero()) && !bounded(p, r) {
					outside = append(outside, fmt.Sprintf("offer %s's %s %s from %s", o.ID, what, r, from.Format(time.RFC3339Nano)))
				}
			}
			if terms.Tier != nil && !bounded(p, terms.Tier.Rate) {
				outside = append(outside, fmt.Sprintf("offer %s's tier rate %s from %s", o.ID, terms.Tier.Rate, from.Format(time.RFC3339Nano)))
			}
		}
	}
	b, err := e.Prepare(c.Offers...)
	if len(outside) > 0 {
		var fe *affrules.FieldError
		if err == nil || !errors.As(err, &fe) {
			t.Fatalf("min_rate %s, max_rate %s: %v accepted (%v)", p.MinRate, p.MaxRate, outside, err)
		}
		return
	}
	if err != nil {
		return // refused for another reason than a bound, such as a tier no longer above its rate
	}
	res, err := e.Resolve(b, c.Order, c.At)
	if err != nil {
		t.Fatalf("the order drawn is refused: %v", err)
	}
	if res.Earned() && !bounded(p, res.Rate) {
		t.Fatalf("min_rate %s, max_rate %s: the order earns %s: %s", p.MinRate, p.MaxRate, res.Rate, res.Explain())
	}
}

// COM-1, COM-7, COM-8: the parts sum to the amount, when computed and after every event.
func splitSums(t *rapid.T, p commission.Policy, e engine) {
	c := earning(p, 0).Draw(t, "case")
	r, com, err := open(e, p, c, sellerType(t, p))
	if err != nil {
		unranked := slices.ContainsFunc(c.Offers, func(o commission.Offer) bool { return !slices.Contains(p.Precedence, o.Source) })
		if errors.Is(err, commission.ErrNothingEarned) && (com.Earned() && com.Amount.Units == 0 || !com.Earned() && unranked) {
			// Nothing to split: a commission that rounds to nothing opens no record, and an
			// order may earn nothing under a policy whose precedence leaves out a source of the
			// offers drawn (which precedence_covers_every_source reports).
			return
		}
		t.Fatalf("%v", err)
	}
	check := func(what string, amount, partner, creator, limit commission.Money) {
		if partner.Units+creator.Units != amount.Units || partner.Units < 0 || creator.Units < 0 || amount.Units > limit.Units {
			t.Fatalf("%s: amount %s, partner %s, creator %s (share %s, rounding %s): the parts do not sum, or exceed %s",
				what, amount, partner, creator, com.PartnerShare, p.Rounding, limit)
		}
	}
	check(com.String(), com.Amount, com.Partner, com.Creator, com.Amount)
	if com.Source != commission.Partner && com.Partner.Units != 0 {
		t.Fatalf("%s: a partner part %s for a %s offer", com, com.Partner, com.Source)
	}
	s := p.Settlement()
	for _, ev := range Events(r).Draw(t, "events") {
		next, err := s.Apply(r, ev)
		if err != nil {
			continue
		}
		check(fmt.Sprintf("after %s %s of %s at %s", ev.Kind, ev.Amount, ev.Currency, ev.At.Format(time.RFC3339Nano)), next.Amount, next.Partner, next.Creator, r.Amount)
		// What was paid, and the shipping where the base counts it (Record.Shipping).
		if next.Refunded.Units > next.Paid.Units+next.Shipping.Units {
			t.Fatalf("refunded %s of %s paid and %s shipping in the base", next.Refunded, next.Paid, next.Shipping)
		}
		r = next
	}
}
