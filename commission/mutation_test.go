package commission_test

// Boundary tests that mutation testing asked for (issue 10): each pins one comparison or
// expression of the package at its edge, so that a mutant of it fails a test.
//
// Mutation score, with gremlins (github.com/go-gremlins/gremlins), one worker on 2 CPUs shared
// with other work; "after" is the 47 survivors re-applied by hand against the new tests (each
// mutation applied alone to a copy of the tree, then go test ./commission/), not a new run:
//
//	gremlins unleash --workers 1 --timeout-coefficient 5 ./commission
//
//	before these tests: 397 killed, 47 lived, 13 timed out, 196 not covered: efficacy 89.41%
//	after:              425 killed, 19 lived, 13 timed out, 196 not covered: efficacy 95.72%
//
// A mutant that timed out made a test hang: detected, though gremlins counts it apart. The
// nineteen that live are equivalent: no input tells them from the code.
//
//   - resolve.go, search (14): the interpolated first guess (span and off as sums, the ratio
//     divided or multiplied, the clamp to last+1), the walk's steps (g-- as g++, g++ as g--) and
//     its guard (g < 0 as <= 0 or >= 0, g >= last as > last or < last) only speed the search:
//     the walk returns g only when froms[g] <= t < froms[g+1], otherwise the binary search
//     answers, and no mutant indexes outside froms (the guess is clamped to [0, last], froms[0]
//     <= t keeps g from going below 0, and froms[g+1] is read only when froms[g] <= t <
//     froms[last], so g < last). TestSearch checks any history. That search has since been
//     replaced by timeIndex (book.go), whose mutants were not part of this run.
//   - resolve.go, resolve (2): len(idx) > 0 as >= 0 sets ncands to 0 either way; len(idx) >
//     inlineCands as >= holds exactly eight candidates in an allocated slice instead of the
//     inline array, the same values.
//   - resolve.go, judge (2): e.delay > 0 as >= 0 with no delay scans from lo = now, and no
//     earlier entry is in force after its successor's from <= now; bestU < 0 as <= 0, because a
//     rate paid is at least min_rate, above 0% and exact to 1e-9, so at least one unit.
//   - offer.go, ParseOffer (1): i < len(es) as <=: a decoded history has one entry per JSON
//     entry, in order (NewTimeline refuses any other), so i never reaches len(es).

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// COM-1: the tax may be at most the price less both coupons; a tax above it but within the
// price plus the platform coupon is refused.
func TestMutationCOM1TaxAfterCoupons(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(openOffer("open-1", at(day(1), "10%")))
	require.NoError(t, err)
	o := order("o1", day(1))
	o.PlatformCoupon, o.SellerCoupon = dec("10.00"), dec("5.00")
	o.Tax = dec("85.00") // exactly price − coupons
	_, err = e.Compute(b, o, day(2))
	require.NoError(t, err)
	o.Tax = dec("85.01")
	_, err = e.Compute(b, o, day(2))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "order.tax")
}

// Offer IDs are unique in a book: two offers of different products under one ID are refused.
func TestMutationDuplicateOfferID(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	a := openOffer("x", at(day(1), "10%"))
	b := openOffer("x", at(day(1), "10%"))
	b.Product = "p2"
	_, err := e.Prepare(a, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "offers[1].id")
}

// COM-14: the evaluator keeps its own copy of the suggested rates; changing the caller's map
// afterwards changes nothing.
func TestMutationCOM14SuggestedCopied(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("5%")}}
	e := commission.MustNew(p)
	p.Suggested[affrules.TH]["beauty"] = rate("50%")
	got, err := e.Policy()
	require.NoError(t, err)
	assert.Equal(t, "5%", got.Suggested[affrules.TH]["beauty"].String())
}

// Every coverage and event kind, the first and last included, has a name.
func TestMutationEnumEdges(t *testing.T) {
	for c, want := range map[commission.Coverage]string{commission.Everyone: "everyone", commission.Members: "members"} {
		b, err := c.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
	for k, want := range map[commission.EventKind]string{commission.Refund: "refund", commission.Settle: "settle"} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}
	_, err := (commission.Members + 1).MarshalText()
	assert.Error(t, err)
	_, err = (commission.Settle + 1).MarshalText()
	assert.Error(t, err)
}

// COM-9: an offer whose versions leave shop_ads out has no shop-ads rate and is accepted; "0%"
// is refused.
func TestMutationCOM9ShopAdsLeftOut(t *testing.T) {
	doc := `{"id": "t1", "source": "TARGET", "market": "PH", "product": "fan", "coverage": "listed",
		"creators": ["jo"], "period": {"start": "2026-11-01T00:00:00+08:00", "end": "2026-12-01T00:00:00+08:00"},
		"rates": [{"from": "2026-11-01T00:00:00+08:00", "value": {"rate": "12%"}}%s]}`
	o, err := commission.ParseOffer([]byte(strings.Replace(doc, "%s", "", 1)))
	require.NoError(t, err)
	assert.Equal(t, 1, o.Rates.Len())
	_, err = commission.ParseOffer([]byte(strings.Replace(doc, "%s",
		`, {"from": "2026-11-02T00:00:00+08:00", "value": {"rate": "12%", "shop_ads": "0%"}}`, 1)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "offer.rates[1].value.shop_ads")
}

// COM-11: the upper tier's rate must be above the standard rate; equal is refused.
func TestMutationCOM11TierRateEqual(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer("open-1")
	o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("10%")}}})
	_, err := e.Prepare(o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "offers[0].rates[0].value.tier.rate")
	o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 5, Rate: rate("10.0000001%")}}})
	_, err = e.Prepare(o)
	require.NoError(t, err)
}

// The offer store keeps its own copy of an offer's tiers.
func TestMutationStoreCopiesTiers(t *testing.T) {
	ctx := context.Background()
	m := commission.NewOfferMemory()
	tier := &commission.Tier{Threshold: 5, Rate: rate("12%")}
	o := openOffer("open-1")
	o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: tier}})
	_, err := m.Put(ctx, commission.DefaultPolicy().OfferRule(), o, day(1))
	require.NoError(t, err)
	tier.Rate = rate("50%")
	got, err := m.Offer(ctx, "open-1")
	require.NoError(t, err)
	v, ok := got.Rates.At(day(2))
	require.True(t, ok)
	require.NotNil(t, v.Tier)
	assert.Equal(t, "12%", v.Tier.Rate.String())
}

// COM-9, COM-10, COM-14, COM-8: every bounded policy parameter is accepted at its bounds.
func TestMutationPolicyBoundaries(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *commission.Policy)
		ok   bool
	}{
		{"COM-9 max_rate = min_rate", func(p *commission.Policy) { p.MaxRate = p.MinRate }, true},
		{"COM-10 decrease_delay_days 3650", func(p *commission.Policy) { p.DecreaseDelayDays = 3650 }, true},
		{"COM-10 decrease_delay_days 3651", func(p *commission.Policy) { p.DecreaseDelayDays = 3651 }, false},
		{"COM-14 suggested at min_rate 1%", func(p *commission.Policy) {
			p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("1%")}}
		}, true},
		{"COM-14 suggested at max_rate 80%", func(p *commission.Policy) {
			p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("80%")}}
		}, true},
		{"COM-8 settlement 0 days", func(p *commission.Policy) { p.SettlementDays = map[string]int{"standard": 0} }, true},
		{"COM-8 settlement 3650 days", func(p *commission.Policy) { p.SettlementDays = map[string]int{"standard": 3650} }, true},
		{"COM-8 settlement 3651 days", func(p *commission.Policy) { p.SettlementDays = map[string]int{"standard": 3651} }, false},
		{"COM-8 settlement -1 days", func(p *commission.Policy) { p.SettlementDays = map[string]int{"standard": -1} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := commission.DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// A value of the wrong JSON type names the type it should have been.
func TestMutationPolicyTypeError(t *testing.T) {
	_, err := commission.ParsePolicy([]byte(`{"decrease_delay_days": "x"}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "must be a JSON number")
}

// MKT-5: the failed reasons of an order that earns nothing are joined by "; ", none before the
// first.
func TestMutationFailureText(t *testing.T) {
	p := commission.DefaultPolicy()
	p.UnauthorisedAdsStandard = false
	e := commission.MustNew(p)
	b, err := e.Prepare(october()...)
	require.NoError(t, err)
	o := order("o1", day(1))
	o.Attributed = false
	r, err := e.Resolve(b, o, day(4))
	require.NoError(t, err)
	require.False(t, r.Earned())
	assert.NotContains(t, r.Explain(), "no commission: ;")
	assert.NotContains(t, r.Explain(), "; ")
	o.ShopAds = true // COM-6 fails too
	r, err = e.Resolve(b, o, day(4))
	require.NoError(t, err)
	assert.NotContains(t, r.Explain(), "no commission: ;")
	assert.Contains(t, r.Explain(), "; ")
}

// MKT-5, COM-6, COM-11, COM-14: a decision holds every note on the winner, three here with one
// candidate.
func TestMutationDecisionThreeNotes(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("50%")}}
	e := commission.MustNew(p)
	o := openOffer("open-1")
	o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 2, Rate: rate("12%")}}})
	b, err := e.Prepare(o)
	require.NoError(t, err)
	ord := order("o1", day(1))
	ord.ShopAds, ord.VideoAuthorised, ord.OrderCount, ord.Category = true, false, 5, "beauty"
	r, err := e.Resolve(b, ord, day(4))
	require.NoError(t, err)
	require.True(t, r.Earned())
	assert.Len(t, r.Notes(), 3)
	d := r.Decision()
	assert.Len(t, d.Reasons, 3)
}

func decreaseNotes(r commission.Resolution) int {
	n := 0
	for _, x := range r.Notes() {
		if x.Rule == commission.RuleDecrease {
			n++
		}
	}
	return n
}

// COM-3, COM-10: at the Collaboration Plus's end instant exactly (Oct 6 00:00) the creator is a
// new promoter and gets the current 8%, not the 10% of before.
func TestMutationCOM3EndInstant(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(october()...)
	require.NoError(t, err)
	r, err := e.Resolve(b, order("o1", day(1)), day(6))
	require.NoError(t, err)
	assert.Equal(t, "8%", r.Rate.String())
	assert.Equal(t, 1, decreaseNotes(r))
}

// COM-10: the new-promoter note is made whichever place the Collaboration Plus has in the book,
// the first included.
func TestMutationCOM10ResetByFirstOffer(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	os := october()
	b, err := e.Prepare(os[1], os[0])
	require.NoError(t, err)
	r, err := e.Resolve(b, order("o1", day(1)), day(7))
	require.NoError(t, err)
	assert.Equal(t, "8%", r.Rate.String())
	assert.Equal(t, 1, decreaseNotes(r))
}

// COM-10: a Collaboration Plus whose rates start exactly at its end instant never paid the
// creator, so it does not make them a new promoter: they keep the 10% of before the decrease.
func TestMutationCOM10NeverPaid(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	os := october()
	os[1].Rates = history(at(day(6), "15%"))
	b, err := e.Prepare(os...)
	require.NoError(t, err)
	r, err := e.Resolve(b, order("o1", day(1)), day(7))
	require.NoError(t, err)
	assert.Equal(t, "10%", r.Rate.String())
}

// COM-14: a rate equal to the suggested rate is not below it: no advisory.
func TestMutationCOM14AtSuggested(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("10%")}}
	e := commission.MustNew(p)
	b, err := e.Prepare(openOffer("open-1", at(day(1), "10%")))
	require.NoError(t, err)
	o := order("o1", day(1))
	o.Category = "beauty"
	r, err := e.Resolve(b, o, day(2))
	require.NoError(t, err)
	assert.Empty(t, r.Notes())
	p.Suggested[affrules.TH]["beauty"] = rate("10.0000001%")
	e = commission.MustNew(p)
	b, err = e.Prepare(openOffer("open-1", at(day(1), "10%")))
	require.NoError(t, err)
	r, err = e.Resolve(b, o, day(2))
	require.NoError(t, err)
	assert.Len(t, r.Notes(), 1)
}

// COM-10: a version that changes only the shop-ads rate leaves the standard rate where it was:
// no decrease is delayed and no note is made for a standard order.
func TestMutationCOM10EqualRateNoDelay(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer("open-1")
	o.Rates = history(
		affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("12%")}},
		affrules.Effective[commission.Terms]{From: day(3), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("15%")}})
	b, err := e.Prepare(o)
	require.NoError(t, err)
	r, err := e.Resolve(b, order("o1", day(1)), day(5))
	require.NoError(t, err)
	assert.Equal(t, "10%", r.Rate.String())
	assert.Empty(t, r.Notes())
}

// COM-8: a record's due instant is its order's instant plus the seller type's period; any other
// is refused.
func TestMutationCOM8DueAt(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(openOffer("open-1", at(day(1), "10%")))
	require.NoError(t, err)
	c, err := e.Compute(b, order("o1", day(1)), day(2))
	require.NoError(t, err)
	s := commission.DefaultPolicy().Settlement()
	r, err := s.Open(c, "standard")
	require.NoError(t, err)
	require.NoError(t, s.Check(r))
	r.DueAt = r.DueAt.Add(time.Hour)
	err = s.Check(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "record.due_at")
}

// COM-10: a creator who starts promoting exactly at the Collaboration Plus's end instant is not
// returning from it: they are a new promoter by their own start, and no new-promoter note names
// the collaboration.
func TestMutationCOM10PromotingFromEndInstant(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(october()...)
	require.NoError(t, err)
	r, err := e.Resolve(b, order("o1", day(6)), day(7))
	require.NoError(t, err)
	assert.Equal(t, "8%", r.Rate.String())
	assert.Equal(t, 0, decreaseNotes(r))
	r, err = e.Resolve(b, order("o1", day(6).Add(-time.Nanosecond)), day(7))
	require.NoError(t, err)
	assert.Equal(t, 1, decreaseNotes(r))
}

// MKT-5, COM-5, COM-10, COM-11, COM-14: the most notes one order can earn. A shop-ads order
// whose offer has just added a 12% shop-ads rate still gets, for the 30-day delay, the 30% upper
// tier it had (no shop-ads rate, the tier, the delay), as a creator back from a Collaboration
// Plus (a new promoter), below the 50% suggested rate (the advisory): five notes, each kept.
func TestMutationMostNotes(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"beauty": rate("50%")}}
	e := commission.MustNew(p)
	tier := func() *commission.Tier { return &commission.Tier{Threshold: 2, Rate: rate("30%")} }
	open := openOffer("open-1")
	open.Rates = history(
		affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), Tier: tier()}},
		affrules.Effective[commission.Terms]{From: day(3), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("12%"), Tier: tier()}})
	cp := october()[1]
	cp.Members = []commission.Member{{Creator: "c1", Joined: day(1)}}
	cp.Period.End = day(2)
	b, err := e.Prepare(open, cp)
	require.NoError(t, err)
	o := order("o1", day(1))
	o.ShopAds, o.VideoAuthorised, o.OrderCount, o.Category = true, true, 5, "beauty"
	r, err := e.Resolve(b, o, day(5))
	require.NoError(t, err)
	assert.Equal(t, "30%", r.Rate.String())
	assert.True(t, r.UpperTier)
	rules := map[affrules.RuleID]int{}
	for _, n := range r.Notes() {
		rules[n.Rule]++
	}
	assert.Len(t, r.Notes(), 5, "%v", r.Notes())
	assert.Equal(t, 1, rules[commission.RulePrecedence])
	assert.Equal(t, 1, rules[commission.RuleTiers])
	assert.Equal(t, 2, rules[commission.RuleDecrease])
	assert.Equal(t, 1, rules[commission.RuleSuggested])
}

// COM-4: a Collaboration Plus without an exclusive rate is stored and read back exactly as it
// was put, its empty rate history included.
func TestMutationStoreRoundTripNoRates(t *testing.T) {
	ctx := context.Background()
	m := commission.NewOfferMemory()
	cp := october()[1]
	cp.Rates = affrules.Timeline[commission.Terms]{}
	put, err := m.Put(ctx, commission.DefaultPolicy().OfferRule(), cp, day(1))
	require.NoError(t, err)
	cp.Updated = day(1).UTC() // the instant of the put
	assert.Equal(t, cp, put)
	got, err := m.Offer(ctx, cp.ID)
	require.NoError(t, err)
	assert.Equal(t, cp, got)
}
