package collabplus_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

var fxBKK, _ = time.LoadLocation("Asia/Bangkok")

func fxDay(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, fxBKK) }

func fxEval(t *testing.T, mutate func(*commission.Policy)) *collabplus.Evaluator {
	t.Helper()
	cp := commission.DefaultPolicy()
	if mutate != nil {
		mutate(&cp)
	}
	return collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(cp))
}

func fxTerms(products ...collabplus.Product) collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Task, Period: affrules.Period{Start: fxDay(2, 1, 0), End: fxDay(2, 15, 0)},
		Products: products, Group: "g",
		Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(5)}},
		Reward:     decimal.RequireFromString("100.00"),
		Objectives: []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("1000.00"), Target: decimal.NewFromInt(50)}},
	}
}

func fxFacts(open ...commission.Offer) collabplus.Facts {
	return collabplus.Facts{Allowlisted: true, Open: open, Eligibility: []eligibility.Result{
		{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.Eligible},
		{ID: "fan", ShopID: "shop", Market: affrules.TH, State: eligibility.Eligible}}}
}

// fxSeller returns a seller with group "g" and draft "c" of terms t, at Jan 10.
func fxSeller(t *testing.T, e *collabplus.Evaluator, terms collabplus.Terms) collabplus.Seller {
	t.Helper()
	s, err := e.NewSeller("shop", affrules.TH, fxDay(1, 10, 0))
	require.NoError(t, err)
	s, err = e.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: "g"}), fxDay(1, 10, 1))
	require.NoError(t, err)
	s, err = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "c", Preferences: terms}), fxDay(1, 10, 2))
	require.NoError(t, err)
	return s
}

func fxRefused(t *testing.T, err error, rule affrules.RuleID) *affrules.Refusal {
	t.Helper()
	var r *affrules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	require.True(t, r.Decision.Failed(rule), "want %s among %v", rule, r.Decision)
	return r
}

func openOffer(t *testing.T, entries ...affrules.Effective[commission.Terms]) commission.Offer {
	t.Helper()
	tl, err := affrules.NewTimeline(entries...)
	require.NoError(t, err)
	return commission.Offer{ID: "open-lamp", Source: commission.Open, Market: affrules.TH, Product: "lamp",
		Coverage: commission.Everyone, Period: affrules.Period{Start: entries[0].From}, Rates: tl}
}

// CP-8: a shop-ads order is paid each entry's shop-ads rate, else its standard rate; the floor
// is the highest of those over the entries live in COM-10's delay, not the highest shop-ads
// rate of any entry.
func TestCP8ShopAdsFloorPerEntry(t *testing.T) {
	e := fxEval(t, nil)
	at := fxDay(1, 20, 0)
	open := openOffer(t,
		affrules.Effective[commission.Terms]{From: fxDay(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("20%")}},
		affrules.Effective[commission.Terms]{From: at.Add(-5 * 24 * time.Hour), Value: commission.Terms{Rate: affrules.MustParseRate("10%"), ShopAds: affrules.MustParseRate("12%")}})
	for _, tc := range []struct {
		shopAds string
		ok      bool
	}{{"15%", false}, {"20%", false}, {"20.0000001%", true}} {
		s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("21%"), ShopAds: affrules.MustParseRate(tc.shopAds)}))
		_, err := e.Apply(s, collabplus.Submit("c", fxFacts(open)), at)
		if tc.ok {
			require.NoError(t, err, tc.shopAds)
		} else {
			fxRefused(t, err, collabplus.RuleExclusiveRates)
		}
	}
}

// CP-8 reads Open's live rates as COM-10 pays them: with Open's decreases not delayed, only the
// rate in force counts.
func TestCP8DelayFollowsCommission(t *testing.T) {
	at := fxDay(1, 20, 0)
	open := openOffer(t,
		affrules.Effective[commission.Terms]{From: fxDay(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("20%")}},
		affrules.Effective[commission.Terms]{From: at.Add(-5 * 24 * time.Hour), Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	delayed := fxEval(t, nil)
	_, err := delayed.Apply(fxSeller(t, delayed, terms), collabplus.Submit("c", fxFacts(open)), at)
	fxRefused(t, err, collabplus.RuleExclusiveRates)
	undelayed := fxEval(t, func(p *commission.Policy) { p.DelayedSources = []commission.Source{commission.Target} })
	_, err = undelayed.Apply(fxSeller(t, undelayed, terms), collabplus.Submit("c", fxFacts(open)), at)
	require.NoError(t, err)
}

// COM-4: under a commission policy that requires an exclusive rate, a product without one is
// refused at submission, not left to fail when its offers are made.
func TestRequireExclusiveRate(t *testing.T) {
	e := fxEval(t, func(p *commission.Policy) { p.RequireExclusiveRate = true })
	_, err := e.Apply(fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"})), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "preferences.products[0].rate", fe.Field)
}

// paid returns the seller with collaboration c submitted Jan 20 and paid Jan 20 12:00.
func fxPaid(t *testing.T, e *collabplus.Evaluator, terms collabplus.Terms) collabplus.Seller {
	t.Helper()
	s := fxSeller(t, e, terms)
	s, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	require.NoError(t, err)
	s, err = e.Apply(s, collabplus.Pay("c", "credit_card"), fxDay(1, 20, 12))
	require.NoError(t, err)
	return s
}

// CP-7, CP-15, CP-2: final terms come before the start, for a period starting after they are
// set and within CP-2's bounds, with the products submitted at rates no lower; they never
// rewrite a state already passed.
func TestFinalize(t *testing.T) {
	e := fxEval(t, nil)
	base := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	s := fxPaid(t, e, base)

	short := base.Clone()
	short.Period = affrules.Period{Start: fxDay(1, 21, 0), End: fxDay(1, 24, 0)}
	_, err := e.Apply(s, collabplus.Finalize("c", short), fxDay(1, 25, 0))
	r := fxRefused(t, err, collabplus.RuleDuration)
	require.True(t, r.Decision.Failed(collabplus.RuleLifecycle), "a period starting before the final terms are set")

	other := base.Clone()
	other.Products = []collabplus.Product{{ID: "banned", Rate: affrules.MustParseRate("15%")}}
	_, err = e.Apply(s, collabplus.Finalize("c", other), fxDay(1, 25, 0))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "final.products[0].id", fe.Field)

	lower := base.Clone()
	lower.Products[0].Rate = affrules.MustParseRate("14%")
	_, err = e.Apply(s, collabplus.Finalize("c", lower), fxDay(1, 25, 0))
	require.ErrorAs(t, err, &fe)

	longer := base.Clone()
	longer.Period.End = fxDay(2, 20, 0)
	longer.Products[0].Rate = affrules.MustParseRate("16%")
	f, err := e.Apply(s, collabplus.Finalize("c", longer), fxDay(1, 25, 0))
	require.NoError(t, err)
	require.Equal(t, collabplus.Ongoing, f.Collaborations[0].StateAt(fxDay(2, 19, 0)))
	require.Equal(t, collabplus.Paid, f.Collaborations[0].StateAt(fxDay(1, 22, 0)), "a state already passed is not rewritten")
	_, err = e.Apply(f, collabplus.Finalize("c", longer), fxDay(2, 1, 0))
	fxRefused(t, err, collabplus.RuleLifecycle)
}

// CP-7: a collaboration is paid before it starts; a payment at the start instant is refused.
func TestPayAfterStart(t *testing.T) {
	e := fxEval(t, nil)
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	s, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 31, 12))
	require.NoError(t, err)
	_, err = e.Apply(s, collabplus.Pay("c", "credit_card"), fxDay(2, 1, 0))
	fxRefused(t, err, collabplus.RuleLifecycle)
	_, err = e.Apply(s, collabplus.Pay("c", "credit_card"), fxDay(2, 1, 0).Add(-time.Nanosecond))
	require.NoError(t, err)
}

// CP-4: a group limited to L0 admits L0 only; levels, followers and rates are typed limits.
func TestGroupLevelZero(t *testing.T) {
	l0 := level.L0
	g := collabplus.Group{ID: "new", MaxLevel: &l0}
	require.True(t, g.Match(collabplus.Creator{ID: "a", Level: level.L0}).Allowed)
	d := g.Match(collabplus.Creator{ID: "b", Level: level.L7})
	require.False(t, d.Allowed)
	require.Equal(t, affrules.LevelOf(0), d.Reasons[0].Limit)
}

// CP-4: a creator's data out of range is bad input, not a refusal.
func TestJoinBadCreator(t *testing.T) {
	e := fxEval(t, nil)
	s := fxPaid(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	for _, c := range []collabplus.Creator{{ID: "a", Level: 42}, {ID: "a", Followers: -5}, {ID: "a", Risk: 9}, {}} {
		_, err := e.Apply(s, collabplus.Join("c", c), fxDay(2, 2, 0))
		var fe *affrules.FieldError
		require.ErrorAs(t, err, &fe, "%+v", c)
	}
	// Before the start, time alone is the obstacle.
	_, err := e.Apply(s, collabplus.Join("c", collabplus.Creator{ID: "a"}), fxDay(1, 25, 0))
	r := fxRefused(t, err, collabplus.RuleLifecycle)
	require.True(t, r.Decision.NextAllowed.Equal(fxDay(2, 1, 0)))
}

// ELG-11: a permanent disqualification ends the product's part from that instant; its offer
// ends then and earlier orders keep the exclusive rate.
func TestDisqualify(t *testing.T) {
	com := commission.MustNew(commission.DefaultPolicy())
	e := collabplus.MustNew(collabplus.DefaultPolicy(), com)
	s := fxPaid(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
	s, err := e.Apply(s, collabplus.Join("c", collabplus.Creator{ID: "mali"}), fxDay(2, 2, 0))
	require.NoError(t, err)
	perm := eligibility.Result{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	temp := perm
	temp.State = eligibility.TemporarilyDisqualified
	_, err = e.Apply(s, collabplus.Disqualify(temp), fxDay(2, 5, 0))
	fxRefused(t, err, collabplus.RuleLaterDisqualification)
	d, err := e.Apply(s, collabplus.Disqualify(perm), fxDay(2, 5, 0))
	require.NoError(t, err)
	offers, err := e.Offers(d.Collaborations[0], fxDay(2, 6, 0))
	require.NoError(t, err)
	require.True(t, offers[0].Period.End.Equal(fxDay(2, 5, 0)), "lamp's offer ends at the disqualification")
	require.True(t, offers[1].Period.End.Equal(fxDay(2, 15, 0)), "fan's does not")
	book, err := com.Prepare(offers...)
	require.NoError(t, err)
	order := commission.Order{ID: "o", Creator: "mali", Product: "lamp", Market: affrules.TH, Attributed: true, OrderCount: 1, PromotingSince: fxDay(2, 2, 0)}
	res, err := com.Resolve(book, order, fxDay(2, 5, 0).Add(-time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, commission.CollabPlus, res.Source)
	res, err = com.Resolve(book, order, fxDay(2, 5, 0))
	require.NoError(t, err)
	require.False(t, res.Earned())
	_, err = e.Apply(d, collabplus.Disqualify(perm), fxDay(2, 6, 0))
	fxRefused(t, err, collabplus.RuleLaterDisqualification)
}

// A stored record shares nothing with the values given to or returned by Apply.
func TestApplyCopies(t *testing.T) {
	e := fxEval(t, nil)
	lo := decimal.NewFromInt(10)
	g := collabplus.Group{ID: "g2", Categories: []affrules.Category{"beauty"}, Criteria: []collabplus.Criterion{{Attribute: "age", Min: &lo}}}
	a := collabplus.SaveGroup(g)
	s1 := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	s1, err := e.Apply(s1, a, fxDay(1, 11, 0))
	require.NoError(t, err)
	*g.Criteria[0].Min = decimal.NewFromInt(999)
	g.Categories[0] = "toys"
	s2, err := e.Apply(fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"})), a, fxDay(1, 11, 0))
	require.NoError(t, err)
	s1.Groups[1].Categories[0] = "x"
	*s1.Groups[1].Criteria[0].Min = decimal.NewFromInt(5)
	require.Equal(t, affrules.Category("beauty"), s2.Groups[1].Categories[0])
	require.True(t, s2.Groups[1].Criteria[0].Min.Equal(decimal.NewFromInt(10)))
}
