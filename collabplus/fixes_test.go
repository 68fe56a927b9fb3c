package collabplus_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
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
	at := fxDay(1, 20, 0)
	lcBadWith(t, e, fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"})), collabplus.Submit("c", fxFacts()), at,
		"preferences.products[0].rate")
	lcBadWith(t, e, fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan"})),
		collabplus.Submit("c", fxFacts()), at, "preferences.products[1].rate")
	lcApplyWith(t, e, fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})), collabplus.Submit("c", fxFacts()), at)
	// Under a policy that does not require one, a product without an exclusive rate is accepted.
	plain := fxEval(t, nil)
	lcApplyWith(t, plain, fxSeller(t, plain, fxTerms(collabplus.Product{ID: "lamp"})), collabplus.Submit("c", fxFacts()), at)
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
// rewrite a state already passed. A period starting at or before the instant, a product not
// submitted and a lower rate are bad input; a period outside CP-2's bounds is refused, naming
// the bound it crosses.
func TestFinalize(t *testing.T) {
	e := fxEval(t, nil)
	base := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	s := fxPaid(t, e, base)
	at := fxDay(1, 25, 0)
	period := func(first time.Time, days int) collabplus.Terms {
		t := base.Clone()
		t.Period = affrules.Period{Start: first, End: first.AddDate(0, 0, days)}
		return t
	}

	// Starting before the instant, or at it: the state at instants already past would change.
	lcBadWith(t, e, s, collabplus.Finalize("c", period(fxDay(1, 21, 0), 3)), at, "final.period.start")
	lcBadWith(t, e, s, collabplus.Finalize("c", period(at, 14)), at, "final.period.start")

	// Outside CP-2's bounds for a task: 14–120 days.
	duration := func(key affrules.MessageKey, observed, limit int) affrules.Decision {
		return lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleDuration, Key: key,
			Observed: affrules.Count(int64(observed)), Limit: affrules.Count(int64(limit)), Subject: "c"})
	}
	r := lcRefusedWith(t, e, s, collabplus.Finalize("c", period(fxDay(1, 26, 0), 4)), at)
	require.Equal(t, "finalize", r.Action)
	require.Equal(t, "c", r.Subject)
	lcRequireDecision(t, duration(lcKeyTooShort, 4, 14), r.Decision)
	r = lcRefusedWith(t, e, s, collabplus.Finalize("c", period(fxDay(2, 1, 0), 13)), at)
	lcRequireDecision(t, duration(lcKeyTooShort, 13, 14), r.Decision)
	r = lcRefusedWith(t, e, s, collabplus.Finalize("c", period(fxDay(2, 1, 0), 121)), at)
	lcRequireDecision(t, duration(lcKeyTooLong, 121, 120), r.Decision)
	lcApplyWith(t, e, s, collabplus.Finalize("c", period(fxDay(2, 1, 0), 14)), at)
	lcApplyWith(t, e, s, collabplus.Finalize("c", period(fxDay(2, 1, 0), 120)), at)

	// Only the products submitted, at rates no lower.
	other := base.Clone()
	other.Products = []collabplus.Product{{ID: "banned", Rate: affrules.MustParseRate("15%")}}
	lcBadWith(t, e, s, collabplus.Finalize("c", other), at, "final.products[0].id")
	lower := base.Clone()
	lower.Products[0].Rate = affrules.MustParseRate("14%")
	lcBadWith(t, e, s, collabplus.Finalize("c", lower), at, "final.products[0]")
	lower.Products[0].Rate = lcBelow(affrules.MustParseRate("15%"))
	lcBadWith(t, e, s, collabplus.Finalize("c", lower), at, "final.products[0]")
	lower.Products[0].Rate = affrules.Rate{} // no exclusive rate: the Open rate, lower
	lcBadWith(t, e, s, collabplus.Finalize("c", lower), at, "final.products[0]")
	lcApplyWith(t, e, s, collabplus.Finalize("c", base), at) // the same rate

	longer := base.Clone()
	longer.Period.End = fxDay(2, 20, 0)
	longer.Products[0].Rate = affrules.MustParseRate("16%")
	f := lcApplyWith(t, e, s, collabplus.Finalize("c", longer), at)
	require.Equal(t, collabplus.Ongoing, f.Collaborations[0].StateAt(fxDay(2, 19, 0)))
	require.Equal(t, collabplus.Paid, f.Collaborations[0].StateAt(fxDay(1, 22, 0)), "a state already passed is not rewritten")

	// From the start on, ongoing: refused.
	r = lcRefusedWith(t, e, f, collabplus.Finalize("c", longer), fxDay(2, 1, 0))
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c", collabplus.Ongoing, "pending_payment or paid")), r.Decision)
}

// CP-7: a collaboration is paid before it starts; a payment at the start instant is refused.
func TestPayAfterStart(t *testing.T) {
	e := fxEval(t, nil)
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	s, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 31, 12))
	require.NoError(t, err)
	start := fxDay(2, 1, 0)
	for _, at := range []time.Time{start, start.Add(6 * time.Hour)} { // still inside the payment window
		require.Equal(t, collabplus.PendingPayment, s.Collaborations[0].StateAt(at))
		r := lcRefusedWith(t, e, s, collabplus.Pay("c", "credit_card"), at) // nothing recorded
		require.Equal(t, "pay", r.Action)
		require.Equal(t, "c", r.Subject)
		lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyPayStarted,
			Observed: affrules.Instant(at), Limit: affrules.Instant(start), Subject: "c"}), r.Decision)
	}
	paid := lcApplyWith(t, e, s, collabplus.Pay("c", "credit_card"), start.Add(-time.Nanosecond))
	require.Equal(t, collabplus.Ongoing, paid.Collaborations[0].StateAt(start))
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
	for _, c := range []collabplus.Creator{{ID: "a", Level: 42}, {ID: "a", Followers: -5}, {ID: "a", Risk: 9}, {ID: "a", Kind: 7}, {}} {
		_, err := e.Apply(s, collabplus.Join("c", c), fxDay(2, 2, 0))
		var fe *affrules.FieldError
		require.ErrorAs(t, err, &fe, "%+v", c)
	}
	// Before the start, time alone is the obstacle.
	_, err := e.Apply(s, collabplus.Join("c", collabplus.Creator{ID: "a"}), fxDay(1, 25, 0))
	r := fxRefused(t, err, collabplus.RuleLifecycle)
	require.True(t, r.Decision.NextAllowed.Equal(fxDay(2, 1, 0)))
	// LVL-11: the member keeps the kind the creator joined with, for the task rules.
	s, err = e.Apply(s, collabplus.Join("c", collabplus.Creator{ID: "a", Kind: level.LinkShareOnly}), fxDay(2, 2, 0))
	require.NoError(t, err)
	require.Equal(t, level.LinkShareOnly, s.Collaborations[0].Members[0].Kind)
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

	// A creator who joins after lamp has ended is covered by fan's offer only: every offer is
	// still made, lamp's without covering the late member.
	d, err = e.Apply(d, collabplus.Join("c", collabplus.Creator{ID: "noi"}), fxDay(2, 7, 0))
	require.NoError(t, err)
	offers, err = e.Offers(d.Collaborations[0], fxDay(2, 8, 0))
	require.NoError(t, err)
	require.Len(t, offers, 2)
	book, err = com.Prepare(offers...)
	require.NoError(t, err)
	late := order
	late.Creator, late.PromotingSince = "noi", fxDay(2, 7, 0)
	res, err = com.Resolve(book, late, fxDay(2, 8, 0))
	require.NoError(t, err)
	require.False(t, res.Earned(), "lamp ended before noi joined")
	late.Product = "fan"
	res, err = com.Resolve(book, late, fxDay(2, 8, 0))
	require.NoError(t, err)
	require.Equal(t, commission.CollabPlus, res.Source)
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

// Apply never changes the record it is given, whatever the action, though the record it
// returns shares what the action left alone (copy on write).
func TestApplyLeavesInputUnchanged(t *testing.T) {
	e := fxEval(t, nil)
	terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	s := fxSeller(t, e, terms)
	s, err := e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "d", Preferences: terms}), fxDay(1, 10, 3))
	require.NoError(t, err)
	perm := eligibility.Result{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	steps := []struct {
		a  collabplus.Action
		at time.Time
	}{
		{collabplus.SaveGroup(collabplus.Group{ID: "g", Categories: []affrules.Category{"home"}}), fxDay(1, 11, 0)},
		{collabplus.SaveGroup(collabplus.Group{ID: "g2"}), fxDay(1, 11, 1)},
		{collabplus.Edit("c", terms), fxDay(1, 11, 2)},
		{collabplus.BlockCreator("kai"), fxDay(1, 12, 0)},
		{collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0)},
		{collabplus.Finalize("c", terms), fxDay(1, 20, 1)},
		{collabplus.Pay("c", "credit_card"), fxDay(1, 20, 2)},
		{collabplus.UnblockCreator("kai"), fxDay(1, 21, 0)},
		{collabplus.Join("c", collabplus.Creator{ID: "mali", Categories: []affrules.Category{"home"}}), fxDay(2, 2, 0)},
		{collabplus.Disqualify(perm), fxDay(2, 3, 0)},
	}
	for _, st := range steps {
		before, err := json.Marshal(s)
		require.NoError(t, err)
		n, err := e.Apply(s, st.a, st.at)
		require.NoError(t, err, "%v", st.a)
		after, err := json.Marshal(s)
		require.NoError(t, err)
		require.JSONEq(t, string(before), string(after), "%v changed the record it was given", st.a)
		s = n
	}
	require.Len(t, s.Collaborations[0].Members, 1)
	require.Len(t, s.Collaborations[0].Ended, 1)
	require.Empty(t, s.Collaborations[1].Members, "the untouched draft")
}

// CP-9, CP-8, CP-15: final terms set after payment keep the deposit paid, and set no exclusive
// rate the submission did not (CP-8 never checked it against the Open rate).
func TestFinalizeKeepsWhatWasChecked(t *testing.T) {
	e := fxEval(t, nil)
	base := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan"})
	s := fxPaid(t, e, base)

	cheaper := base.Clone()
	cheaper.Objectives = []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("50.00"), Target: decimal.NewFromInt(50)}}
	_, err := e.Apply(s, collabplus.Finalize("c", cheaper), fxDay(1, 25, 0))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "final.objectives", fe.Field)

	split := base.Clone()
	split.Objectives = []collabplus.Objective{
		{Name: "orders", Budget: decimal.RequireFromString("600.00"), Target: decimal.NewFromInt(50)},
		{Name: "gmv", Budget: decimal.RequireFromString("400.00"), Target: decimal.NewFromInt(5000)},
	}
	_, err = e.Apply(s, collabplus.Finalize("c", split), fxDay(1, 25, 0))
	require.NoError(t, err, "the same deposit divided otherwise")

	rated := base.Clone()
	rated.Products[1].Rate = affrules.MustParseRate("1%")
	_, err = e.Apply(s, collabplus.Finalize("c", rated), fxDay(1, 25, 0))
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "final.products[1]", fe.Field)

	shop := base.Clone()
	shop.Products[0].ShopAds = affrules.MustParseRate("20%")
	_, err = e.Apply(s, collabplus.Finalize("c", shop), fxDay(1, 25, 0))
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "final.products[0]", fe.Field)
}

// A draft comes without what the rules set, ended products included (ELG-11).
func TestDraftWithoutEnded(t *testing.T) {
	e := fxEval(t, nil)
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	_, err := e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "x", Preferences: fxTerms(collabplus.Product{ID: "lamp"}),
		Ended: []collabplus.ProductEnd{{Product: "lamp", At: fxDay(1, 1, 0)}}}), fxDay(1, 11, 0))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "collaboration", fe.Field)
}

// CP-4: long category and content-type lists on both sides match in linear time.
func TestMatchLongLists(t *testing.T) {
	g := collabplus.Group{ID: "g"}
	c := collabplus.Creator{ID: "c"}
	for i := range 20_000 {
		g.Categories = append(g.Categories, affrules.Category("g"+strconv.Itoa(i)))
		c.Categories = append(c.Categories, affrules.Category("c"+strconv.Itoa(i)))
		g.ContentTypes = append(g.ContentTypes, "g"+strconv.Itoa(i))
		c.ContentTypes = append(c.ContentTypes, "c"+strconv.Itoa(i))
	}
	require.Len(t, g.Match(c).Failures(), 2)
	c.Categories[19_999], c.ContentTypes[0] = "g7", "g19999"
	require.True(t, g.Match(c).Allowed)
}

// Identifiers every store can hold as given; others are bad input.
func TestIdentifiers(t *testing.T) {
	e := fxEval(t, nil)
	_, err := e.NewSeller("shop\x00", affrules.TH, fxDay(1, 1, 0))
	require.ErrorContains(t, err, "seller.id")
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp"}))
	_, err = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "c\xff"}), fxDay(1, 11, 0))
	require.ErrorContains(t, err, "collaboration.id")
	_, err = e.Apply(s, collabplus.BlockCreator("k\x01"), fxDay(1, 11, 0))
	require.ErrorContains(t, err, "creator")
}

// A setting inside a policy object left out is an error, not a silent zero (CP-16, CP-2).
func TestPolicyNestedFieldsRequired(t *testing.T) {
	for doc, field := range map[string]string{
		`{"recommended": {"TH": {"min_days": 10}}}`: "min_reward",
		`{"task_days": {"min": 10}}`:                "max",
	} {
		_, err := collabplus.ParsePolicy([]byte(doc))
		require.ErrorContains(t, err, field, doc)
	}
	p, err := collabplus.ParsePolicy([]byte(`{"recommended": {"TH": {"min_days": 10, "min_reward": "50"}}}`))
	require.NoError(t, err)
	require.Equal(t, 10, p.Recommended["TH"].MinDays)
}

// MKT-5 with ELG-9: a product temporarily disqualified until an instant (ELG-1's NextAllowed)
// makes a refusal that says when the submission will next be allowed, if that comes before the
// period starts; a disqualification that time does not lift, or one lifting after the start,
// gives no instant. Another failure that time does not help (CP-17) clears it too.
func TestSubmitNextAllowedAfterDisqualification(t *testing.T) {
	e := fxEval(t, nil)
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
	at := fxDay(1, 12, 0)
	temp := func(lifts time.Time) collabplus.Facts {
		f := fxFacts()
		f.Eligibility[0].State, f.Eligibility[0].Scope = eligibility.TemporarilyDisqualified, eligibility.ShopScope
		f.Eligibility[0].Decision = affrules.Decision{NextAllowed: lifts, Reasons: []affrules.Reason{{Rule: eligibility.RuleCounterfeit, Key: "eligibility.elg1.failed"}}}
		return f
	}
	r := fxRefused(t, second(e.Apply(s, collabplus.Submit("c", temp(fxDay(1, 20, 0))), at)), collabplus.RuleEligibleProducts)
	assert.Equal(t, fxDay(1, 20, 0), r.Decision.NextAllowed, "lifts before the start")
	r = fxRefused(t, second(e.Apply(s, collabplus.Submit("c", temp(fxDay(2, 1, 0))), at)), collabplus.RuleEligibleProducts)
	assert.True(t, r.Decision.NextAllowed.IsZero(), "lifts at the start: too late")
	// A result that says it lifted by the submission is from an earlier instant: bad input.
	for _, lifted := range []time.Time{at, fxDay(1, 11, 0)} {
		_, err := e.Apply(s, collabplus.Submit("c", temp(lifted)), at)
		var fe *affrules.FieldError
		require.ErrorAs(t, err, &fe, "lifted at %v", lifted)
		assert.ErrorContains(t, err, "facts.eligibility[lamp].decision.next_allowed")
	}
	f := temp(fxDay(1, 20, 0))
	f.Eligibility[1].State = eligibility.TemporarilyDisqualified // no instant at which it lifts
	r = fxRefused(t, second(e.Apply(s, collabplus.Submit("c", f), at)), collabplus.RuleEligibleProducts)
	assert.True(t, r.Decision.NextAllowed.IsZero(), "another product that time does not help")
	f = temp(fxDay(1, 20, 0))
	f.Allowlisted = false
	e2 := collabplus.MustNew(func() collabplus.Policy { p := collabplus.DefaultPolicy(); p.OpenMarkets = nil; return p }(), commission.MustNew(commission.DefaultPolicy()))
	s2 := fxSeller(t, e2, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
	r = fxRefused(t, second(e2.Apply(s2, collabplus.Submit("c", f), at)), collabplus.RuleAllowlist)
	assert.True(t, r.Decision.NextAllowed.IsZero(), "CP-17 is not lifted by time")
}

// second returns the error of a call returning a value and an error.
func second[T any](_ T, err error) error { return err }

// ELG-11: once a shop-scoped permanent disqualification has ended every product's participation,
// a creator may not join the collaboration (nothing left to earn); before it ended, or while a
// product is left, joining is allowed.
func TestJoinAfterEveryProductEnded(t *testing.T) {
	e, s := fxLampAndFan(t)
	shop := eligibility.Result{ID: "shop", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ShopScope}
	d, err := e.Apply(s, collabplus.Disqualify(shop), fxDay(2, 5, 0))
	require.NoError(t, err)
	_, err = e.Apply(d, collabplus.Join("c", collabplus.Creator{ID: "mali"}), fxDay(2, 5, 0).Add(-time.Nanosecond))
	require.Error(t, err, "an instant before the end is before the stored change: instants only move forward")
	r := fxRefused(t, second(e.Apply(d, collabplus.Join("c", collabplus.Creator{ID: "mali"}), fxDay(2, 6, 0))), collabplus.RuleLaterDisqualification)
	require.Contains(t, r.Error(), "every product's participation has ended")
	require.True(t, r.Decision.NextAllowed.IsZero())
	_, err = e.Apply(s, collabplus.Join("c", collabplus.Creator{ID: "mali"}), fxDay(2, 6, 0))
	require.NoError(t, err, "without the disqualification")
}

// ELG-6, ELG-11: a product whose participation a permanent disqualification ended stays
// disqualified: a later submission with it is refused whatever (stale) eligibility result the
// host gives, while its other products may still be submitted.
func TestSubmitAfterPermanentDisqualification(t *testing.T) {
	e, s := fxLampAndFan(t)
	perm := eligibility.Result{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	s, err := e.Apply(s, collabplus.Disqualify(perm), fxDay(2, 5, 0))
	require.NoError(t, err)
	draft := func(id string, products ...collabplus.Product) collabplus.Seller {
		terms := fxTerms(products...)
		terms.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)}
		d, err := e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: terms}), fxDay(2, 6, 0))
		require.NoError(t, err)
		return d
	}
	d := draft("c2", collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	r := fxRefused(t, second(e.Apply(d, collabplus.Submit("c2", fxFacts()), fxDay(2, 6, 1))), collabplus.RuleLaterDisqualification)
	require.Contains(t, r.Error(), "lamp")
	require.True(t, r.Decision.NextAllowed.IsZero(), "time does not lift a permanent disqualification")
	d = draft("c3", collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")})
	_, err = e.Apply(d, collabplus.Submit("c3", fxFacts()), fxDay(2, 6, 1))
	require.NoError(t, err)
}

// ELG-6, ELG-11: a shop-scoped permanent disqualification is recorded on the seller, whether or
// not anything was running, and every later submission is refused whatever eligibility results
// the host gives (even of a product never submitted); a second one changes nothing and is
// refused; the record keeps it through JSON, and a new record may not carry it.
func TestSubmitAfterShopDisqualification(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	s, err := e.NewSeller("shop", affrules.TH, fxDay(1, 0, 0))
	require.NoError(t, err)
	s, err = e.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: "g"}), fxDay(1, 0, 1))
	require.NoError(t, err)
	shop := eligibility.Result{ID: "shop", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ShopScope}
	out := fxDay(2, 5, 0)
	d, err := e.Apply(s, collabplus.Disqualify(shop), out)
	require.NoError(t, err, "nothing runs, yet the shop is out for good")
	require.True(t, d.Disqualified.Equal(out))
	r := fxRefused(t, second(e.Apply(d, collabplus.Disqualify(shop), fxDay(2, 6, 0))), collabplus.RuleLaterDisqualification)
	require.Contains(t, r.Error(), "takes part in no running")
	q, err := e.Quota(d, fxDay(2, 6, 0))
	require.NoError(t, err)
	require.False(t, q.Allowed, "the quota has room, but the shop submits nothing more")
	require.True(t, q.Failed(collabplus.RuleLaterDisqualification))
	require.True(t, q.NextAllowed.IsZero())
	q, err = e.Quota(s, fxDay(2, 6, 0))
	require.NoError(t, err)
	require.True(t, q.Allowed, "without the disqualification")

	b, err := json.Marshal(d)
	require.NoError(t, err)
	var back collabplus.Seller
	require.NoError(t, json.Unmarshal(b, &back))
	require.True(t, back.Disqualified.Equal(out))

	terms := fxTerms(collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")})
	terms.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)}
	for _, rec := range []collabplus.Seller{d, back} {
		dr, err := e.Apply(rec, collabplus.NewDraft(collabplus.Collaboration{ID: "c2", Preferences: terms}), fxDay(2, 6, 0))
		require.NoError(t, err, "a draft records nothing the rules check")
		r = fxRefused(t, second(e.Apply(dr, collabplus.Submit("c2", fxFacts()), fxDay(2, 6, 1))), collabplus.RuleLaterDisqualification)
		require.Contains(t, r.Error(), "permanently disqualified")
		require.True(t, r.Decision.NextAllowed.IsZero(), "time does not lift it")
	}
	fresh, err := e.NewSeller("shop", affrules.TH, fxDay(1, 0, 0))
	require.NoError(t, err)
	fresh.Disqualified = out
	_, err = collabplus.NewMemory().Create(context.Background(), fresh)
	lcBadInput(t, err, "seller.disqualified")
}

// fxLampAndFan returns an evaluator and a seller whose collaboration "c" of lamp (15%) and fan
// (12%) is paid.
func fxLampAndFan(t *testing.T) (*collabplus.Evaluator, collabplus.Seller) {
	t.Helper()
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	return e, fxPaid(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
}

// Two eligibility results for one product may disagree: the submission is refused as bad input,
// whichever comes first, rather than taking one of them (ELG-9).
func TestSubmitTwoResultsForOneProduct(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}))
	perm := eligibility.Result{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	for _, order := range [][]eligibility.Result{
		{fxFacts().Eligibility[0], perm},
		{perm, fxFacts().Eligibility[0]},
	} {
		f := fxFacts()
		f.Eligibility = order
		_, err := e.Apply(s, collabplus.Submit("c", f), fxDay(1, 10, 2))
		require.ErrorContains(t, err, `facts.eligibility[lamp] "lamp": is given twice: give one result per product (ELG-9)`)
	}
}

// An objective's name is text others are shown: control characters, bidirectional controls and
// a name that shows nothing are bad input, as campaign and invitation texts are.
func TestSubmitObjectiveNameShown(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	for _, name := range []string{"orders\x00", "\u202esredro", " ", strings.Repeat("o", 201)} {
		terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
		terms.Objectives[0].Name = name
		s := fxSeller(t, e, terms)
		_, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 10, 2))
		require.ErrorContains(t, err, "objectives[0].name", "%q", name)
	}
}

// CP-6: a challenge's goal that is a task's (content) is named by its name, as its JSON gives it,
// and one that is no goal at all by its number.
func TestSubmitChallengeGoalNamed_CP6(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	for goal, want := range map[collabplus.Goal]string{
		collabplus.Content: `collabplus: preferences.goal "content": must be sales or orders (CP-6)`,
		9:                  `collabplus: preferences.goal 9: must be sales or orders (CP-6)`,
	} {
		terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
		terms.Type, terms.Goal, terms.Tasks, terms.Reward = collabplus.Challenge, goal, nil, decimal.Decimal{}
		terms.Tiers = []collabplus.RankTier{{To: 1, Reward: decimal.NewFromInt(100)}}
		s := fxSeller(t, e, terms)
		_, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 10, 2))
		require.ErrorContains(t, err, want)
	}
}

// ELG-11: a collaboration whose every product a permanent disqualification ended before payment
// is not paid for: no creator could join it.
func TestPayAfterEveryProductEnded(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	s := fxSeller(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
	s, err := e.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 10, 2))
	require.NoError(t, err)
	for i, id := range []string{"lamp", "fan"} {
		perm := eligibility.Result{ID: id, ShopID: "shop", Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
		if i == 1 {
			// One product left: payment is still possible.
			_, err := e.Apply(s, collabplus.Pay("c", "bank_transfer"), fxDay(1, 10, 3))
			require.NoError(t, err)
		}
		s, err = e.Apply(s, collabplus.Disqualify(perm), fxDay(1, 10, 3))
		require.NoError(t, err)
	}
	fxRefused(t, second(e.Apply(s, collabplus.Pay("c", "bank_transfer"), fxDay(1, 10, 4))), collabplus.RuleLaterDisqualification)
	// An unknown method is bad input, reported before any refusal.
	_, err = e.Apply(s, collabplus.Pay("c", "bitcoin"), fxDay(1, 10, 4))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "method", fe.Field)
	require.Equal(t, "must be one of credit_card, debit_card, bank_transfer (CP-7)", fe.Problem)
}

// CP-4, CP-18: content types compare ignoring case, in a group's condition as in the tasks a
// link-share-only member cannot complete; the policy may not list one twice in two cases.
func TestContentTypesIgnoreCase(t *testing.T) {
	g := collabplus.Group{ID: "g", ContentTypes: []string{"LIVE"}}
	require.True(t, g.Match(collabplus.Creator{ID: "a", ContentTypes: []string{"live"}}).Allowed)
	require.False(t, g.Match(collabplus.Creator{ID: "b", ContentTypes: []string{"video"}}).Allowed)
	p := collabplus.DefaultPolicy()
	p.ContentCreatorTasks = []string{"live", "LIVE"}
	require.ErrorContains(t, p.Validate(), "content_creator_tasks[1] LIVE: is listed twice")
	// Both compare as strings.EqualFold does, special foldings included (ſ is s, K is k).
	g = collabplus.Group{ID: "g", ContentTypes: []string{"SHORT", "\u212Aiss"}}
	require.True(t, g.Match(collabplus.Creator{ID: "c", ContentTypes: []string{"ſhort"}}).Allowed)
	require.True(t, g.Match(collabplus.Creator{ID: "d", ContentTypes: []string{"kiss"}}).Allowed)
}

// SMP-12 with OneSampleKind: terms offering both free and refundable samples are refused where
// they are submitted or finalised, with a reason time does not lift; one kind, or neither, is
// accepted. By default both are.
func TestOneSampleKind_SMP12(t *testing.T) {
	p := collabplus.DefaultPolicy()
	p.OneSampleKind = true
	one := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	both := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	both.FreeSamples, both.RefundableSamples = true, true

	s := fxSeller(t, one, both)
	r := lcRefusedWith(t, one, s, collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	require.Equal(t, []affrules.Reason{{Rule: collabplus.RuleSampleKinds, Key: "collabplus.smp12.one_kind",
		Observed: affrules.Text("free and refundable"), Limit: affrules.Text("one kind"), Subject: "c"}}, r.Decision.Reasons)
	require.True(t, r.Decision.NextAllowed.IsZero())
	_, err := fxEval(t, nil).Apply(fxSeller(t, fxEval(t, nil), both), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	require.NoError(t, err, "both kinds by default")

	for _, kind := range []func(*collabplus.Terms){
		func(t *collabplus.Terms) { t.FreeSamples = true },
		func(t *collabplus.Terms) { t.RefundableSamples = true },
		func(t *collabplus.Terms) {},
	} {
		terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
		kind(&terms)
		s := fxSeller(t, one, terms)
		s, err := one.Apply(s, collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
		require.NoError(t, err)
		s, err = one.Apply(s, collabplus.Pay("c", "credit_card"), fxDay(1, 20, 12))
		require.NoError(t, err)
		final := terms.Clone()
		final.FreeSamples, final.RefundableSamples = true, true
		r := lcRefusedWith(t, one, s, collabplus.Finalize("c", final), fxDay(1, 25, 0))
		require.True(t, r.Decision.Failed(collabplus.RuleSampleKinds))
	}

	got, err := collabplus.ParsePolicy([]byte(`{"one_sample_kind": true}`))
	require.NoError(t, err)
	require.True(t, got.OneSampleKind)
}

// CP-19 with ShopAdsNeedVideoPrompt: an exclusive shop-ads rate with the prompt to authorise
// videos off is refused where the terms are submitted or finalised, a reason naming the
// product's shop-ads rate; with the prompt on, or without a shop-ads rate, the terms are accepted. By
// default it is an advisory only, under either setting.
func TestShopAdsNeedVideoPrompt_CP19(t *testing.T) {
	p := collabplus.DefaultPolicy()
	p.ShopAdsNeedVideoPrompt = true
	strict := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	ads := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%"), ShopAds: affrules.MustParseRate("18%")})

	r := lcRefusedWith(t, strict, fxSeller(t, strict, ads), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	require.Equal(t, "denied: CP-19 failed: an exclusive shop-ads rate for lamp needs creators prompted to authorise their videos (observed shop-ads rate 18%, limit prompt on)", r.Decision.String())
	plain := fxEval(t, nil)
	lcApplyWith(t, plain, fxSeller(t, plain, ads), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	for _, e := range []*collabplus.Evaluator{plain, strict} {
		adv, err := e.Advise(affrules.TH, ads)
		require.NoError(t, err)
		require.Len(t, adv, 1)
		require.Equal(t, collabplus.RuleVideoFlag, adv[0].Rule)
	}

	on := ads.Clone()
	on.AuthoriseVideos = true
	s := lcApplyWith(t, strict, fxSeller(t, strict, on), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))
	s = lcApplyWith(t, strict, s, collabplus.Pay("c", "credit_card"), fxDay(1, 20, 12))
	off := on.Clone()
	off.AuthoriseVideos = false
	r = lcRefusedWith(t, strict, s, collabplus.Finalize("c", off), fxDay(1, 25, 0))
	require.True(t, r.Decision.Failed(collabplus.RuleVideoFlag))
	lcApplyWith(t, strict, s, collabplus.Finalize("c", on), fxDay(1, 25, 0))
	noAds := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	lcApplyWith(t, strict, fxSeller(t, strict, noAds), collabplus.Submit("c", fxFacts()), fxDay(1, 20, 0))

	got, err := collabplus.ParsePolicy([]byte(`{"shop_ads_need_video_prompt": true}`))
	require.NoError(t, err)
	require.True(t, got.ShopAdsNeedVideoPrompt)
}

// CP-8 with ExclusiveOverCurrentOpen: an exclusive rate is compared with the Open rate in force
// at the submission (10%, five days after a cut from 20%), not with the 20% a creator already
// promoting is still paid during COM-10's delay; payment is unchanged (commission's policy).
// The refusal under the default tells when the cut's delay has passed.
func TestExclusiveOverCurrentOpen_CP8(t *testing.T) {
	at := fxDay(1, 20, 0)
	cut := at.Add(-5 * 24 * time.Hour)
	open := openOffer(t,
		affrules.Effective[commission.Terms]{From: fxDay(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("20%")}},
		affrules.Effective[commission.Terms]{From: cut, Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	p := collabplus.DefaultPolicy()
	p.ExclusiveOverCurrentOpen = true
	current := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	def := fxEval(t, nil)
	terms := func(rate string) collabplus.Terms {
		tt := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate(rate)})
		tt.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)} // after the delay ends (Feb 14)
		return tt
	}
	_, err := def.Apply(fxSeller(t, def, terms("15%")), collabplus.Submit("c", fxFacts(open)), at)
	r := fxRefused(t, err, collabplus.RuleExclusiveRates)
	require.Equal(t, cut.Add(30*24*time.Hour), r.Decision.NextAllowed, "the 20% stops counting when the cut is 30 days old")
	lcApplyWith(t, current, fxSeller(t, current, terms("15%")), collabplus.Submit("c", fxFacts(open)), at)
	lcApplyWith(t, current, fxSeller(t, current, terms("10.0000001%")), collabplus.Submit("c", fxFacts(open)), at)
	_, err = current.Apply(fxSeller(t, current, terms("10%")), collabplus.Submit("c", fxFacts(open)), at)
	fxRefused(t, err, collabplus.RuleExclusiveRates) // strictly above the rate in force

	got, err := collabplus.ParsePolicy([]byte(`{"exclusive_over_current_open": true}`))
	require.NoError(t, err)
	require.True(t, got.ExclusiveOverCurrentOpen)
}

// CP-8 with commission's RemovalDelayed: an Open listing removed five days before the
// submission still pays a creator who promoted it (CMP-7), so its 20% is the floor until the
// removal is 30 days old, when the submission is allowed; by default a removed listing sets no
// floor.
func TestCP8RemovedListingStillPays(t *testing.T) {
	at := fxDay(1, 20, 0)
	removed := at.Add(-5 * 24 * time.Hour)
	open := openOffer(t, affrules.Effective[commission.Terms]{From: fxDay(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("20%")}})
	open.Period.End = removed
	terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
	terms.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)}
	def := fxEval(t, nil)
	lcApplyWith(t, def, fxSeller(t, def, terms), collabplus.Submit("c", fxFacts(open)), at)

	e := fxEval(t, func(p *commission.Policy) { p.RemovalDelayed = true })
	_, err := e.Apply(fxSeller(t, e, terms), collabplus.Submit("c", fxFacts(open)), at)
	r := fxRefused(t, err, collabplus.RuleExclusiveRates)
	require.Equal(t, removed.Add(30*24*time.Hour), r.Decision.NextAllowed)
	lcApplyWith(t, e, fxSeller(t, e, terms), collabplus.Submit("c", fxFacts(open)), removed.Add(30*24*time.Hour))
	// Under ExclusiveOverCurrentOpen only the rate in force counts: a removed listing has none.
	p := collabplus.DefaultPolicy()
	p.ExclusiveOverCurrentOpen = true
	cur := collabplus.MustNew(p, commission.MustNew(func() commission.Policy {
		cp := commission.DefaultPolicy()
		cp.RemovalDelayed = true
		return cp
	}()))
	lcApplyWith(t, cur, fxSeller(t, cur, terms), collabplus.Submit("c", fxFacts(open)), at)
}

// ELG-11 with TemporaryEndsParticipation: a temporary disqualification ends the product's part
// in running and scheduled collaborations too, marked temporary, so a later submission with the
// product eligible again is allowed; a shop-scoped one records nothing on the seller; a
// permanent one afterwards makes the end permanent, so the product is then refused; an
// eligible result ends nothing and one that had lifted is bad input. The setting needs
// PermanentEndsParticipation.
func TestDisqualifyTemporaryEnds(t *testing.T) {
	p := collabplus.DefaultPolicy()
	p.TemporaryEndsParticipation = true
	e := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	s := fxPaid(t, e, fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")}, collabplus.Product{ID: "fan", Rate: affrules.MustParseRate("12%")}))
	off := fxDay(2, 5, 0)
	temp := eligibility.Result{ID: "lamp", ShopID: "shop", Market: affrules.TH, State: eligibility.TemporarilyDisqualified, Scope: eligibility.ProductScope,
		Decision: affrules.Decision{NextAllowed: off.Add(7 * 24 * time.Hour)}}
	d, err := e.Apply(s, collabplus.Disqualify(temp), off)
	require.NoError(t, err)
	require.Equal(t, []collabplus.ProductEnd{{Product: "lamp", At: off, Temporary: true}}, d.Collaborations[0].Ended)
	offers, err := e.Offers(d.Collaborations[0], off)
	require.NoError(t, err)
	require.True(t, offers[0].Period.End.Equal(off), "lamp's offer ends at the disqualification")

	draft := func(s collabplus.Seller, id string) collabplus.Seller {
		terms := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate("15%")})
		terms.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)}
		n, err := e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: terms}), fxDay(2, 13, 0))
		require.NoError(t, err)
		return n
	}
	_, err = e.Apply(draft(d, "c2"), collabplus.Submit("c2", fxFacts()), fxDay(2, 13, 1))
	require.NoError(t, err, "lamp is eligible again: not out for good")

	perm := temp
	perm.State, perm.Decision = eligibility.PermanentlyDisqualified, affrules.Decision{}
	pd, err := e.Apply(d, collabplus.Disqualify(perm), fxDay(2, 6, 0))
	require.NoError(t, err, "a permanent one makes the temporary end permanent")
	require.Equal(t, []collabplus.ProductEnd{{Product: "lamp", At: off}}, pd.Collaborations[0].Ended)
	fxRefused(t, second(e.Apply(draft(pd, "c2"), collabplus.Submit("c2", fxFacts()), fxDay(2, 13, 1))), collabplus.RuleLaterDisqualification)

	shop := temp
	shop.ID, shop.Scope = "shop", eligibility.ShopScope
	sd, err := e.Apply(s, collabplus.Disqualify(shop), off)
	require.NoError(t, err)
	require.Len(t, sd.Collaborations[0].Ended, 2)
	require.True(t, sd.Disqualified.IsZero(), "a temporary shop disqualification is not recorded on the seller")

	ok := temp
	ok.State, ok.Decision = eligibility.Eligible, affrules.Decide()
	r := fxRefused(t, second(e.Apply(s, collabplus.Disqualify(ok), off)), collabplus.RuleLaterDisqualification)
	require.Equal(t, affrules.MessageKey("collabplus.elg11.not_disqualified"), r.Decision.Failures()[0].Key)
	stale := temp
	stale.Decision.NextAllowed = off
	lcBadWith(t, e, s, collabplus.Disqualify(stale), off, "eligibility.decision.next_allowed")
	stalePerm := stale // only a temporary one is read for its lift
	stalePerm.State = eligibility.PermanentlyDisqualified
	_, err = e.Apply(s, collabplus.Disqualify(stalePerm), off)
	require.NoError(t, err)

	// By default a temporary one is refused (TestDisqualify); the setting needs the permanent one.
	p.PermanentEndsParticipation = false
	var fe *affrules.FieldError
	require.ErrorAs(t, p.Validate(), &fe)
	require.Equal(t, "policy.temporary_ends_participation", fe.Field)
	got, err := collabplus.ParsePolicy([]byte(`{"temporary_ends_participation": true}`))
	require.NoError(t, err)
	require.True(t, got.TemporaryEndsParticipation)
}

// CP-8 with StandardAboveOpenShopAds: a product whose collaboration sets an exclusive standard
// rate but no shop-ads rate pays that standard rate on shop-ads orders (commission's
// ShopAdsFallback), so it must be above Open's shop-ads rate too (seed 003: "both standard and
// shop ads commission ... must be higher than the rate on Open Collaboration"). Open at 10%,
// 20% through shop ads: 15% is refused, 20.0000001% allowed. By default (SPEC's pairwise
// reading), or where a shop-ads order would not earn the standard rate (no fallback, or Open
// ranked above Collaboration Plus for shop-ads orders), 15% is allowed.
func TestStandardAboveOpenShopAds_CP8(t *testing.T) {
	at := fxDay(1, 20, 0)
	open := openOffer(t, affrules.Effective[commission.Terms]{From: fxDay(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("10%"), ShopAds: affrules.MustParseRate("20%")}})
	terms := func(rate string) collabplus.Terms {
		tt := fxTerms(collabplus.Product{ID: "lamp", Rate: affrules.MustParseRate(rate)})
		tt.Period = affrules.Period{Start: fxDay(3, 1, 0), End: fxDay(3, 15, 0)}
		return tt
	}
	with := func(edit func(*commission.Policy)) *collabplus.Evaluator {
		p := collabplus.DefaultPolicy()
		p.StandardAboveOpenShopAds = true
		cp := commission.DefaultPolicy()
		if edit != nil {
			edit(&cp)
		}
		return collabplus.MustNew(p, commission.MustNew(cp))
	}
	on := with(nil)
	_, err := on.Apply(fxSeller(t, on, terms("15%")), collabplus.Submit("c", fxFacts(open)), at)
	r := fxRefused(t, err, collabplus.RuleExclusiveRates)
	require.Equal(t, []affrules.Reason{{Rule: collabplus.RuleExclusiveRates, Key: "collabplus.cp8.not_above_open",
		Observed: affrules.RateOf(affrules.MustParseRate("15%")), Limit: affrules.RateOf(affrules.MustParseRate("20%")), Subject: "lamp shop ads (standard rate)"}}, r.Decision.Failures())
	_, err = on.Apply(fxSeller(t, on, terms("20%")), collabplus.Submit("c", fxFacts(open)), at)
	fxRefused(t, err, collabplus.RuleExclusiveRates) // strictly above
	lcApplyWith(t, on, fxSeller(t, on, terms("20.0000001%")), collabplus.Submit("c", fxFacts(open)), at)

	def := fxEval(t, nil)
	lcApplyWith(t, def, fxSeller(t, def, terms("15%")), collabplus.Submit("c", fxFacts(open)), at)
	for name, edit := range map[string]func(*commission.Policy){
		"no shop-ads fallback": func(cp *commission.Policy) { cp.ShopAdsFallback = false },
		"Open first for shop-ads orders": func(cp *commission.Policy) {
			cp.ShopAdsPrecedence = []commission.Source{commission.Open, commission.CollabPlus, commission.Partner, commission.Target}
		},
		"Open not ranked for shop-ads orders": func(cp *commission.Policy) {
			cp.ShopAdsPrecedence = []commission.Source{commission.CollabPlus, commission.Partner, commission.Target}
		},
	} {
		e := with(edit)
		if _, err := e.Apply(fxSeller(t, e, terms("15%")), collabplus.Submit("c", fxFacts(open)), at); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, err := collabplus.ParsePolicy([]byte(`{"standard_above_open_shop_ads": true}`))
	require.NoError(t, err)
	require.True(t, got.StandardAboveOpenShopAds)
}

// What the rules accept is written to JSON and read back the same: a seller holding a draft
// whose terms are not filled in yet (no type; a task without a goal), which a store keeping
// JSON must hold as the in-memory one does, and a creator whose fake-order risk is unknown.
func TestIncompleteDraftAndUnknownRiskJSON(t *testing.T) {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	at := time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC)
	s, err := e.NewSeller("shop-siam", affrules.TH, at)
	require.NoError(t, err)
	s, err = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "feb"}), at.Add(time.Minute))
	require.NoError(t, err)
	roundTrip := func(v, into any) {
		t.Helper()
		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, into))
		again, err := json.Marshal(into)
		require.NoError(t, err)
		require.JSONEq(t, string(b), string(again))
	}
	var back collabplus.Seller
	roundTrip(s, &back)
	s, err = e.Apply(s, collabplus.Edit("feb", collabplus.Terms{Type: collabplus.Task, Tasks: []collabplus.TaskSpec{{ContentType: "video"}}}), at.Add(2*time.Minute))
	require.NoError(t, err)
	roundTrip(s, &back)
	require.Equal(t, collabplus.Goal(0), back.Collaborations[0].Preferences.Tasks[0].Goal)
	c := collabplus.Creator{ID: "mali", Level: level.L4}
	var cb collabplus.Creator
	roundTrip(c, &cb)
	require.Equal(t, collabplus.Risk(0), cb.Risk)
}
