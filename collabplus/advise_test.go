package collabplus_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
)

// adviseEval returns an evaluator whose policy recommends, in TH, periods of at least 21 days
// and task rewards of at least 100.00 THB (CP-16).
func adviseEval(t testing.TB, edits ...func(*collabplus.Policy)) *collabplus.Evaluator {
	t.Helper()
	return moneyEval(t, append([]func(*collabplus.Policy){func(p *collabplus.Policy) {
		p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{affrules.TH: {MinDays: 21, MinReward: dec("100.00")}}
	}}, edits...)...)
}

// adviseTerms returns task terms over the days Mar 1 to Mar last, 2026, in market m's zone,
// with a reward of 100.00, no samples and no exclusive shop-ads rate.
func adviseTerms(m affrules.MarketCode, last int) collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Task, Period: days(m, 2026, time.March, 1, 2026, time.March, last), Group: "g-1",
		Products: []collabplus.Product{{ID: "serum", Rate: affrules.MustParseRate("12%")}},
		Tasks:    []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Content, Target: dec("1")}},
		Reward:   dec("100.00"), Objectives: []collabplus.Objective{obj("gmv", "1000.00", "100")},
	}
}

// CP-16, CP-19: each advisory at its boundary, non-blocking, with observed value and limit.
func TestAdvise(t *testing.T) {
	na := affrules.NotApplicable
	lead := func(observed, limit int64) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleAdvisories, Kind: na, Key: "collabplus.cp16.sample_lead", Observed: affrules.Count(observed), Limit: affrules.Count(limit)}
	}
	short := func(observed int64) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleAdvisories, Kind: na, Key: "collabplus.cp16.short_period", Observed: affrules.Count(observed), Limit: affrules.Count(21), Subject: "TH"}
	}
	low := func(observed string) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleAdvisories, Kind: na, Key: "collabplus.cp16.low_reward", Observed: affrules.Amount(dec(observed), "THB"), Limit: affrules.Amount(dec("100.00"), "THB"), Subject: "TH"}
	}
	video := func(product, rate string) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleVideoFlag, Kind: na, Key: "collabplus.cp19.video_prompt_off", Observed: affrules.RateOf(affrules.MustParseRate(rate)), Limit: affrules.Text("on"), Subject: product}
	}
	with := func(last int, edit func(*collabplus.Terms)) collabplus.Terms {
		t := adviseTerms(affrules.TH, last)
		if edit != nil {
			edit(&t)
		}
		return t
	}
	withIn := func(m affrules.MarketCode, last int, edit func(*collabplus.Terms)) collabplus.Terms {
		t := adviseTerms(m, last)
		edit(&t)
		return t
	}
	freeSamples := func(t *collabplus.Terms) { t.FreeSamples = true }
	tests := []struct {
		name   string
		market affrules.MarketCode
		terms  collabplus.Terms
		want   []affrules.Reason
	}{
		{"recommended settings: nothing", affrules.TH, with(21, nil), nil},
		{"one day short of the recommendation", affrules.TH, with(20, nil), []affrules.Reason{short(20)}},
		{"free samples, exactly the lead time", affrules.TH, with(21, freeSamples), nil},
		{"free samples, a day under the lead time", affrules.TH, with(20, freeSamples), []affrules.Reason{lead(20, 21), short(20)}},
		{"refundable samples, under the lead time", affrules.TH, with(20, func(t *collabplus.Terms) { t.RefundableSamples = true }), []affrules.Reason{lead(20, 21), short(20)}},
		{"free samples, CP-2's shortest period", affrules.TH, with(14, freeSamples), []affrules.Reason{lead(14, 21), short(14)}},
		{"no samples, under the lead time: no sample advisory", affrules.TH, with(6, nil), []affrules.Reason{short(6)}},
		{"reward a satang below", affrules.TH, with(30, func(t *collabplus.Terms) { t.Reward = dec("99.99") }), []affrules.Reason{low("99.99")}},
		{"reward equal to the recommendation", affrules.TH, with(30, func(t *collabplus.Terms) { t.Reward = dec("100") }), nil},
		{"a challenge has no task reward", affrules.TH, with(30, func(t *collabplus.Terms) { t.Type, t.Reward = collabplus.Challenge, dec("0") }), nil},
		{"no recommendation in this market", affrules.MY, withIn(affrules.MY, 6, func(t *collabplus.Terms) { t.Reward = dec("1") }), nil},
		{"no recommendation, samples, short", affrules.MY, withIn(affrules.MY, 6, freeSamples), []affrules.Reason{lead(6, 21)}},
		// Days in Bangkok's calendar seen from Kuala Lumpur, an hour ahead: Mar 1 01:00 to
		// Mar 21 01:00 touches 21 calendar days there.
		{"a TH period in MY's calendar", affrules.MY, with(20, freeSamples), nil},
		{"shop-ads rates, prompt off", affrules.TH, with(30, func(t *collabplus.Terms) {
			t.Products = []collabplus.Product{
				{ID: "serum", Rate: affrules.MustParseRate("12%"), ShopAds: affrules.MustParseRate("15%")},
				{ID: "toner", Rate: affrules.MustParseRate("12%")},
				{ID: "mask", ShopAds: affrules.MustParseRate("9.5%")},
			}
		}), []affrules.Reason{video("serum", "15%"), video("mask", "9.5%")}},
		{"shop-ads rate, prompt on", affrules.TH, with(30, func(t *collabplus.Terms) {
			t.Products[0].ShopAds, t.AuthoriseVideos = affrules.MustParseRate("15%"), true
		}), nil},
		{"everything at once", affrules.TH, with(5, func(t *collabplus.Terms) {
			t.FreeSamples, t.Reward, t.Products[0].ShopAds = true, dec("0"), affrules.MustParseRate("20%")
		}), []affrules.Reason{lead(5, 21), short(5), low("0"), video("serum", "20%")}},
	}
	e := adviseEval(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.Advise(tt.market, tt.terms)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Advise (-want +got):\n%s", diff)
			}
			require.True(t, affrules.Decide(got...).Allowed, "advisories never block")
		})
	}
}

// CP-16: days are market-calendar days, the first and last included; a UK period across the
// October DST change has a 25-hour day and is still counted in days.
func TestAdviseCalendarDays(t *testing.T) {
	e := moneyEval(t, func(p *collabplus.Policy) { p.SampleLeadDays = 10 })
	terms := adviseTerms(affrules.UK, 30)
	terms.FreeSamples = true
	terms.Period = days(affrules.UK, 2026, time.October, 20, 2026, time.October, 29) // 10 days, 241 hours
	got, err := e.Advise(affrules.UK, terms)
	require.NoError(t, err)
	require.Empty(t, got)
	terms.Period = days(affrules.UK, 2026, time.October, 20, 2026, time.October, 28) // 9 days, 217 hours
	got, err = e.Advise(affrules.UK, terms)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, "CP-16 not applicable: period may be too short to deliver samples and post content (advisory) (observed 9 days, limit at least 10 days)", got[0].String())
}

// CP-16, MKT-2: a period that is not whole days covers the days of its first and last
// instants: from 10:00 on 1 March to the midnight starting 21 March is 1–20 March, 20 days (its
// end opens a day it does not reach), as is 1 March to 12:00 on 20 March.
func TestAdvisePartialDays(t *testing.T) {
	e := moneyEval(t, func(p *collabplus.Policy) { p.SampleLeadDays = 21 })
	mk, err := affrules.LookupMarket(affrules.TH)
	require.NoError(t, err)
	bkk := mk.Location()
	for _, p := range []affrules.Period{
		{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, bkk), End: time.Date(2026, 3, 21, 0, 0, 0, 0, bkk)},
		{Start: time.Date(2026, 3, 1, 10, 0, 0, 0, bkk), End: time.Date(2026, 3, 21, 0, 0, 0, 0, bkk)},
		{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, bkk), End: time.Date(2026, 3, 20, 12, 0, 0, 0, bkk)},
		{Start: time.Date(2026, 3, 1, 23, 0, 0, 0, bkk), End: time.Date(2026, 3, 20, 0, 0, 1, 0, bkk)},
	} {
		terms := adviseTerms(affrules.TH, 20)
		terms.FreeSamples, terms.Period = true, p
		got, err := e.Advise(affrules.TH, terms)
		require.NoError(t, err)
		require.Len(t, got, 1, "%v", p)
		require.Equal(t, affrules.Count(20), got[0].Observed, "%v", p)
	}
}

// Hostile input to Advise: FieldErrors of collabplus; the zero Evaluator fails closed.
func TestAdviseHostile(t *testing.T) {
	e := adviseEval(t)
	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		_, err := e.Advise(affrules.TH, adviseTerms(affrules.TH, 30))
		require.ErrorIs(t, err, collabplus.ErrNoPolicy, name)
	}
	_, err := e.Advise("XX", adviseTerms(affrules.TH, 30))
	fieldErr(t, err, "market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	_, err = e.Advise("", adviseTerms(affrules.TH, 30))
	fieldErr(t, err, "market")
	_, err = moneyEval(t, func(p *collabplus.Policy) { p.Markets = []affrules.MarketCode{affrules.UK} }).Advise(affrules.TH, adviseTerms(affrules.TH, 30))
	fieldErr(t, err, "market")
	_, err = e.Advise(affrules.TH, collabplus.Terms{})
	fieldErr(t, err, "terms.period.start")
	inverted := adviseTerms(affrules.TH, 30)
	inverted.Period.Start, inverted.Period.End = inverted.Period.End, inverted.Period.Start
	_, err = e.Advise(affrules.TH, inverted)
	fieldErr(t, err, "terms.period")
	huge := adviseTerms(affrules.TH, 30)
	huge.Reward = dec("1e-40")
	_, err = e.Advise(affrules.TH, huge)
	fieldErr(t, err, "terms.reward")
	// A reward below zero or finer than the baht's satang is not advised on: it is refused, as
	// a type other than task or challenge is.
	for _, r := range []string{"-1", "99.999"} {
		bad := adviseTerms(affrules.TH, 30)
		bad.Reward = dec(r)
		_, err = e.Advise(affrules.TH, bad)
		fieldErr(t, err, "terms.reward")
	}
	untyped := adviseTerms(affrules.TH, 30)
	untyped.Type = 0
	_, err = e.Advise(affrules.TH, untyped)
	fieldErr(t, err, "terms.type")
	zero := adviseTerms(affrules.TH, 30)
	zero.Reward = dec("0") // not set yet: below the recommendation
	got, err := e.Advise(affrules.TH, zero)
	require.NoError(t, err)
	require.NotEmpty(t, got)
}
