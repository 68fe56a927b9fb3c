package commission_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

func mustBook(t interface {
	Helper()
	Fatal(...any)
}, e *commission.Evaluator, offers ...commission.Offer) *commission.Book {
	t.Helper()
	b, err := e.Prepare(offers...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func resolve(t *testing.T, e *commission.Evaluator, b *commission.Book, o commission.Order, at time.Time) commission.Resolution {
	t.Helper()
	r, err := e.Resolve(b, o, at)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func candidate(r commission.Resolution, id string) commission.Candidate {
	for _, c := range r.Candidates() {
		if c.OfferID == id {
			return c
		}
	}
	return commission.Candidate{}
}

func targetOffer(id string, creators []string, start, end time.Time, r string) commission.Offer {
	return commission.Offer{ID: id, Source: commission.Target, Market: affrules.TH, Product: "p1", Coverage: commission.Listed,
		Creators: creators, Period: affrules.Period{Start: start, End: end}, Rates: history(at(start, r))}
}

func partnerOffer(id string, creators []string, approved bool, start, end time.Time, r, share string) commission.Offer {
	return commission.Offer{ID: id, Source: commission.Partner, Market: affrules.TH, Product: "p1", Coverage: commission.Listed,
		Creators: creators, Approved: approved, Period: affrules.Period{Start: start, End: end},
		Rates: history(affrules.Effective[commission.Terms]{From: start, Value: commission.Terms{Rate: rate(r), PartnerShare: rate(share)}})}
}

// COM-3: an offer's period is half-open: an order exactly at its start is in, one exactly at its
// end is out (MKT-2).
func TestPeriodBoundaries_COM3(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	start, end := day(10), day(20)
	b := mustBook(t, e, openOffer("open", at(day(1), "5%")), targetOffer("tgt", []string{"c1"}, start, end, "9%"))
	for _, tc := range []struct {
		at      time.Time
		want    string
		outcome commission.Outcome
	}{
		{start.Add(-time.Nanosecond), "5%", commission.OutsidePeriod},
		{start, "9%", commission.Won},
		{end.Add(-time.Nanosecond), "9%", commission.Won},
		{end, "5%", commission.OutsidePeriod},
	} {
		r := resolve(t, e, b, order("o", day(1)), tc.at)
		if r.Rate.String() != tc.want || candidate(r, "tgt").Outcome != tc.outcome {
			t.Errorf("at %s: rate %s, target %s; want %s, %s", tc.at, r.Rate, candidate(r, "tgt").Outcome, tc.want, tc.outcome)
		}
	}
}

// COM-10: a decrease reaches a creator already promoting exactly 30×24h after it is made, not a
// second sooner; a new promoter gets it at once; an increase applies at once.
func TestDecreaseDelay_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	cut := day(5).Add(13 * time.Hour)
	b := mustBook(t, e, openOffer("open", at(day(1), "10%"), at(cut, "8%"), at(cut.Add(40*24*time.Hour), "9%")))
	for _, tc := range []struct {
		name      string
		since, at time.Time
		want      string
		wantDelay bool
	}{
		{"one second younger than 30×24h", day(1), cut.Add(30*24*time.Hour - time.Second), "10%", true},
		{"exactly 30×24h old", day(1), cut.Add(30 * 24 * time.Hour), "8%", false},
		{"just after the cut", day(1), cut, "10%", true},
		{"new promoter at the cut", cut, cut, "8%", false},
		{"new promoter a day later", cut.Add(24 * time.Hour), cut.Add(24 * time.Hour), "8%", false},
		{"promoter a second before the cut", cut.Add(-time.Second), cut.Add(time.Hour), "10%", true},
		{"increase at once", day(1), cut.Add(40 * 24 * time.Hour), "9%", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resolve(t, e, b, order("o", tc.since), tc.at)
			if r.Rate.String() != tc.want {
				t.Errorf("rate %s, want %s\n%s", r.Rate, tc.want, r.Explain())
			}
			delayed := false
			for _, n := range r.Notes() {
				if n.Rule == commission.RuleDecrease {
					delayed = true
					if !n.Limit.Time().Equal(cut.Add(30 * 24 * time.Hour)) {
						t.Errorf("COM-10 note says the decrease applies from %s, want %s", n.Limit.Time(), cut.Add(30*24*time.Hour))
					}
				}
			}
			if delayed != tc.wantDelay {
				t.Errorf("COM-10 note %v, want %v: %v", delayed, tc.wantDelay, r.Notes())
			}
		})
	}
	// The delay is policy: 0 applies decreases at once.
	p := commission.DefaultPolicy()
	p.DecreaseDelayDays = 0
	e0 := commission.MustNew(p)
	if r := resolve(t, e0, mustBook(t, e0, openOffer("open", at(day(1), "10%"), at(cut, "8%"))), order("o", day(1)), cut); r.Rate.String() != "8%" {
		t.Errorf("no delay: rate %s, want 8%%", r.Rate)
	}
}

// COM-10: with two decreases inside the delay (10%, then 9%, then 8%), the note names the
// instant the rate in force is paid: when the 9% entry, not the 10% one, has been out of force
// for the delay. At that instant the order earns 8%, one nanosecond before it 9%.
func TestTwoDecreasesInDelay_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	cut1, cut2 := day(11), day(21)
	delay := 30 * 24 * time.Hour
	b := mustBook(t, e, openOffer("open", at(day(1), "10%"), at(cut1, "9%"), at(cut2, "8%")))
	r := resolve(t, e, b, order("o", day(2)), day(26))
	var from time.Time
	for _, n := range r.Notes() {
		if n.Rule == commission.RuleDecrease {
			from = n.Limit.Time()
		}
	}
	if r.Rate.String() != "10%" || !from.Equal(cut2.Add(delay)) {
		t.Fatalf("rate %s, note's instant %s; want 10%% and %s\n%s", r.Rate, from, cut2.Add(delay), r.Explain())
	}
	if r := resolve(t, e, b, order("o", day(2)), from); r.Rate.String() != "8%" {
		t.Errorf("at the note's instant: rate %s, want 8%%", r.Rate)
	}
	if r := resolve(t, e, b, order("o", day(2)), from.Add(-time.Nanosecond)); r.Rate.String() != "9%" {
		t.Errorf("1ns before the note's instant: rate %s, want 9%%", r.Rate)
	}
	// An entry between paying the rate in force does not hold it back: 10%, 8%, 8% again.
	b = mustBook(t, e, openOffer("open", at(day(1), "10%"), at(cut1, "8%"), at(cut2, "8%")))
	r = resolve(t, e, b, order("o", day(2)), day(26))
	for _, n := range r.Notes() {
		if n.Rule == commission.RuleDecrease && !n.Limit.Time().Equal(cut1.Add(delay)) {
			t.Errorf("10%%, 8%%, 8%%: note's instant %s, want %s", n.Limit.Time(), cut1.Add(delay))
		}
	}
}

// COM-11: the order numbered Threshold is the first of the upper tier.
func TestTierThreshold_COM11(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer("open", at(day(1), "10%"))
	es := []affrules.Effective[commission.Terms]{at(day(1), "10%")}
	es[0].Value.Tier = &commission.Tier{Threshold: 100, Rate: rate("12%")}
	o.Rates = history(es...)
	b := mustBook(t, e, o)
	for _, tc := range []struct {
		count int64
		want  string
		upper bool
	}{{1, "10%", false}, {99, "10%", false}, {100, "12%", true}, {101, "12%", true}} {
		ord := order("o", day(1))
		ord.OrderCount = tc.count
		r := resolve(t, e, b, ord, day(2))
		if r.Rate.String() != tc.want || r.UpperTier != tc.upper {
			t.Errorf("order %d: rate %s upper %v, want %s %v", tc.count, r.Rate, r.UpperTier, tc.want, tc.upper)
		}
	}
}

// COM-9: rates exactly 1% and 80% are accepted, a step outside is refused naming the rule.
func TestRateBounds_COM9(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	for _, r := range []string{"1%", "80%"} {
		if _, err := e.Prepare(openOffer("open", at(day(1), r))); err != nil {
			t.Errorf("rate %s refused: %v", r, err)
		}
	}
	for _, r := range []string{"0.9999999%", "80.0000001%", "0%", "100%"} {
		_, err := e.Prepare(openOffer("open", at(day(1), r)))
		if err == nil || !strings.Contains(err.Error(), "offers[0].rates[0].value.rate") || !strings.Contains(err.Error(), "COM-9") {
			t.Errorf("rate %s: error %v, want one naming the field and COM-9", r, err)
		}
	}
}

// COM-5: precedence with every source applicable, and the reasons of those that lost.
func TestPrecedence_COM5(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	offers := append(october(), targetOffer("tgt", []string{"c1"}, day(1), day(30), "12%"),
		partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "20%", "25%"))
	b := mustBook(t, e, offers...)
	r := resolve(t, e, b, order("o", day(1)), day(4))
	if r.Source != commission.CollabPlus || r.Rate.String() != "15%" {
		t.Fatalf("won %s %s, want COLLAB_PLUS 15%%", r.Source, r.Rate)
	}
	for _, id := range []string{"open-1", "tgt", "tap"} {
		c := candidate(r, id)
		if c.Outcome != commission.Overridden || c.Reason.Rule != commission.RulePrecedence || !strings.Contains(c.Reason.String(), "overridden by COLLAB_PLUS") {
			t.Errorf("%s: %s %s, want overridden by COLLAB_PLUS", id, c.Outcome, c.Reason)
		}
	}
	if !r.Decision().Allowed || len(r.Decision().Reasons) != 3 {
		t.Errorf("decision %v, want allowed with three reasons", r.Decision())
	}
	// After the collaboration: PARTNER > TARGET > OPEN.
	r = resolve(t, e, b, order("o", day(1)), day(7))
	if r.Source != commission.Partner || r.PartnerShare.String() != "25%" {
		t.Errorf("won %s, want PARTNER", r.Source)
	}
	if c := candidate(r, "cp-1"); c.Outcome != commission.OutsidePeriod || !strings.Contains(c.Reason.String(), "outside its period") {
		t.Errorf("cp-1: %s %s, want outside its period", c.Outcome, c.Reason)
	}
	// A custom order puts OPEN first.
	p := commission.DefaultPolicy()
	p.Precedence = []commission.Source{commission.Open, commission.Target}
	e2 := commission.MustNew(p)
	r = resolve(t, e2, mustBook(t, e2, offers...), order("o", day(1)), day(7))
	if r.Source != commission.Open || candidate(r, "tap").Outcome != commission.NotRanked {
		t.Errorf("custom precedence: won %s, tap %s; want OPEN, not ranked", r.Source, candidate(r, "tap").Outcome)
	}
}

// COM-3: a creator not covered, a member before joining, and ties within one source.
func TestCoverage_COM3(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b := mustBook(t, e, append(october(), targetOffer("t-a", []string{"c1"}, day(1), day(30), "12%"),
		targetOffer("t-b", []string{"c1"}, day(1), day(30), "14%"), targetOffer("t-c", []string{"c1"}, day(1), day(30), "14%"),
		targetOffer("t-other", []string{"c2"}, day(1), day(30), "30%"))...)
	r := resolve(t, e, b, order("o", day(1)), day(1).Add(time.Hour)) // before c1 joined cp-1
	if c := candidate(r, "cp-1"); c.Outcome != commission.NotCovered || !strings.Contains(c.Reason.String(), "not yet a member") {
		t.Errorf("cp-1 before joining: %s %s", c.Outcome, c.Reason)
	}
	if c := candidate(r, "t-other"); c.Outcome != commission.NotCovered || !strings.Contains(c.Reason.String(), "creator not covered") {
		t.Errorf("t-other: %s %s", c.Outcome, c.Reason)
	}
	if r.OfferID != "t-b" || r.Rate.String() != "14%" {
		t.Errorf("tie within TARGET: won %s %s, want t-b (higher rate, then lower ID)", r.OfferID, r.Rate)
	}
	// The losers of the same source say why: a lower rate, or the same rate and a higher ID.
	for id, observed := range map[string]string{"t-a": "12%", "t-c": "14%"} {
		c := candidate(r, id)
		want := affrules.Reason{Rule: commission.RulePrecedence, Kind: affrules.NotApplicable, Key: "commission.com5.outbid",
			Observed: affrules.RateOf(affrules.MustParseRate(observed)), Limit: affrules.RateOf(affrules.MustParseRate("14%")), Subject: id}
		if c.Outcome != commission.Overridden || affrulestest.Diff(want, c.Reason) != "" {
			t.Errorf("%s: %s %s, want %s", id, c.Outcome, c.Reason, want)
		}
	}
	if c := candidate(r, "open-1"); !strings.Contains(c.Reason.String(), "overridden by TARGET") {
		t.Errorf("open-1: %s", c.Reason)
	}
}

// COM-12: a partner campaign not approved, or a creator not matched, is not applicable.
func TestPartnerScope_COM12(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b := mustBook(t, e, openOffer("open", at(day(1), "5%")),
		partnerOffer("tap-no", []string{"c1"}, false, day(1), day(30), "20%", "25%"),
		partnerOffer("tap-other", []string{"c2"}, true, day(1), day(30), "20%", "25%"))
	r := resolve(t, e, b, order("o", day(1)), day(2))
	if r.Source != commission.Open {
		t.Errorf("won %s, want OPEN", r.Source)
	}
	if c := candidate(r, "tap-no"); c.Outcome != commission.NotApproved || c.Reason.Rule != commission.RulePartnerScope {
		t.Errorf("tap-no: %s %s", c.Outcome, c.Reason)
	}
	if c := candidate(r, "tap-other"); c.Outcome != commission.NotCovered || c.Reason.Rule != commission.RulePartnerScope {
		t.Errorf("tap-other: %s %s", c.Outcome, c.Reason)
	}
	// The reason's kind says "not applicable"; its text does not say it again.
	if got, want := candidate(r, "tap-other").Reason.String(), "COM-12 not applicable: creator not matched by the partner (observed creator c1)"; got != want {
		t.Errorf("tap-other's reason:\n got %s\nwant %s", got, want)
	}
}

// COM-4: a Collaboration Plus without an exclusive rate falls back to Open; no Open either earns
// nothing, with a failed COM-4 reason.
func TestNoExclusiveRate_COM4(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	cp := october()[1]
	cp.Rates = affrules.Timeline[commission.Terms]{}
	r := resolve(t, e, mustBook(t, e, cp, october()[0]), order("o", day(1)), day(4))
	if r.Source != commission.Open || r.Rate.String() != "10%" || candidate(r, "cp-1").Reason.Rule != commission.RuleNoExclusiveRate {
		t.Errorf("won %s %s; cp-1 %s", r.Source, r.Rate, candidate(r, "cp-1").Reason)
	}
	r = resolve(t, e, mustBook(t, e, cp), order("o", day(1)), day(4))
	d := r.Decision()
	if r.Earned() || d.Allowed || !d.Failed(commission.RuleNoExclusiveRate) {
		t.Errorf("no open rate: %v", d)
	}
	if got, want := d.String(), "observed offers considered: 1)"; !strings.Contains(got, want) {
		t.Errorf("no open rate: %s, want the count of offers considered (%s)", got, want)
	}
	p := commission.DefaultPolicy()
	p.RequireExclusiveRate = true
	if _, err := commission.MustNew(p).Prepare(cp); err == nil || !strings.Contains(err.Error(), "offers[0].rates") {
		t.Errorf("RequireExclusiveRate: error %v", err)
	}
}

// COM-5, COM-6: shop-ads orders use the shop-ads precedence and the winner's shop-ads rate, or its
// standard rate where it has none; a video not authorised for ads gets no shop-ads rate.
func TestShopAds_COM5_COM6(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	open := openOffer("open", affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("6%")}})
	tgt := targetOffer("tgt", []string{"c1"}, day(1), day(30), "12%")
	b := mustBook(t, e, open, tgt)
	ads := order("o", day(1))
	ads.ShopAds, ads.VideoAuthorised = true, true
	r := resolve(t, e, b, ads, day(2))
	if r.Source != commission.Target || r.Rate.String() != "12%" || r.ShopAdsRate {
		t.Errorf("won %s %s shop-ads %v, want TARGET's standard 12%%", r.Source, r.Rate, r.ShopAdsRate)
	}
	if n := r.Notes(); len(n) != 1 || !strings.Contains(n[0].String(), "no shop-ads rate: standard rate used") {
		t.Errorf("notes %v", n)
	}
	b = mustBook(t, e, open)
	if r := resolve(t, e, b, ads, day(2)); r.Rate.String() != "6%" || !r.ShopAdsRate {
		t.Errorf("open's shop-ads rate: %s %v", r.Rate, r.ShopAdsRate)
	}
	ads.VideoAuthorised = false
	r = resolve(t, e, b, ads, day(2))
	if r.Rate.String() != "10%" || r.ShopAdsRate || r.Notes()[0].Rule != commission.RuleShopAdsVideo {
		t.Errorf("video not authorised: %s %v %v", r.Rate, r.ShopAdsRate, r.Notes())
	}
	p := commission.DefaultPolicy()
	p.UnauthorisedAdsStandard = false
	e2 := commission.MustNew(p)
	if r := resolve(t, e2, mustBook(t, e2, open), ads, day(2)); r.Earned() || !r.Decision().Failed(commission.RuleShopAdsVideo) {
		t.Errorf("strict COM-6: %v", r.Decision())
	}
	p = commission.DefaultPolicy()
	p.ShopAdsFallback = false
	e3 := commission.MustNew(p)
	ads.VideoAuthorised = true
	if r := resolve(t, e3, mustBook(t, e3, open, tgt), ads, day(2)); r.Source != commission.Open || r.Rate.String() != "6%" {
		t.Errorf("no fallback: won %s %s, want OPEN's shop-ads 6%%", r.Source, r.Rate)
	}
}

// COM-13: an order not attributed to the creator's promotion earns nothing.
func TestAttributed_COM13(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	o := order("o", day(1))
	o.Attributed = false
	r := resolve(t, e, mustBook(t, e, october()...), o, day(4))
	if r.Earned() || !r.Decision().Failed(commission.RuleAttributed) {
		t.Errorf("unattributed: %v", r.Decision())
	}
}

// COM-14: a winning rate below the suggested rate carries an advisory note; the order still
// earns.
func TestSuggestedAdvisory_COM14(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {affrules.Fashion: rate("12%")}}
	e := commission.MustNew(p)
	o := order("o", day(1))
	o.Category = affrules.Fashion
	r := resolve(t, e, mustBook(t, e, october()...), o, day(7))
	d := r.Decision()
	advisory := 0
	for _, reason := range d.Reasons {
		if reason.Rule == commission.RuleSuggested && reason.Kind == affrules.NotApplicable && reason.Subject == "fashion" {
			advisory++
		}
	}
	if !d.Allowed || advisory != 1 || r.Rate.String() != "8%" {
		t.Errorf("advisory: %v", d)
	}
	o.Category = affrules.Electronics // no suggested rate: no advisory
	for _, reason := range resolve(t, e, mustBook(t, e, october()...), o, day(7)).Decision().Reasons {
		if reason.Rule == commission.RuleSuggested {
			t.Errorf("advisory without a suggested rate: %v", reason)
		}
	}
}

// COM-3: the answer at t is decided at t only: an offer or a rate change dated after t changes
// nothing.
func TestLaterChangesChangeNothing_COM3(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	before := resolve(t, e, mustBook(t, e, october()...), order("o", day(1)), day(7))
	later := october()
	later[0].Rates = history(at(day(1), "10%"), at(day(3), "8%"), at(day(8), "40%"))
	later = append(later, targetOffer("tgt", []string{"c1"}, day(8), day(30), "50%"))
	after := resolve(t, e, mustBook(t, e, later...), order("o", day(1)), day(7))
	if after.Source != before.Source || !after.Rate.Equal(before.Rate) || after.OfferID != before.OfferID {
		t.Errorf("later changes changed the answer: %s %s → %s %s", before.Source, before.Rate, after.Source, after.Rate)
	}
}

// More candidates than a Resolution holds inline: the answer and every reason are kept, and
// copies of the resolution keep their own candidates.
func TestManyCandidates_COM5(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	var offers []commission.Offer
	for i := range 11 {
		offers = append(offers, targetOffer(fmt.Sprintf("t%02d", i), []string{"c1"}, day(1), day(30), fmt.Sprintf("%d%%", 10+i)))
	}
	r := resolve(t, e, mustBook(t, e, offers...), order("o", day(1)), day(2))
	if r.OfferID != "t10" || r.Rate.String() != "20%" || len(r.Candidates()) != 11 || len(r.Decision().Reasons) != 10 {
		t.Errorf("won %s %s with %d candidates, %v", r.OfferID, r.Rate, len(r.Candidates()), r.Decision())
	}
	small := resolve(t, e, mustBook(t, e, offers[:3]...), order("o", day(1)), day(2))
	copied := small
	if got := copied.Candidates(); len(got) != 3 || got[2].Outcome != commission.Won || got[0].Reason.Rule != commission.RulePrecedence {
		t.Errorf("a copy's candidates: %+v", got)
	}
}

// COM-5, COM-10: without the shop-ads fallback, a shop-ads order is paid the last shop-ads rate
// while a later entry without one is under the delay; the delay note gives the rate in force as
// 0% (none for this order) and the instant the entry paid has been out of force for 30 days.
func TestDelayedShopAdsWithoutFallback_COM10(t *testing.T) {
	p := commission.DefaultPolicy()
	p.ShopAdsFallback = false
	e := commission.MustNew(p)
	o := openOffer("open-1")
	o.Rates = history(
		affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: rate("10%"), ShopAds: rate("12%")}},
		at(day(10), "8%"))
	ads := order("o", day(1))
	ads.ShopAds, ads.VideoAuthorised = true, true
	r := resolve(t, e, mustBook(t, e, o), ads, day(15))
	if r.Rate.String() != "12%" || !r.ShopAdsRate {
		t.Fatalf("won %s (shop-ads rate %t), want 12%% through shop ads\n%s", r.Rate, r.ShopAdsRate, r.Explain())
	}
	notes := r.Notes()
	if len(notes) != 1 || notes[0].Rule != commission.RuleDecrease || notes[0].Observed.String() != "0%" ||
		notes[0].Limit.String() != affrules.Instant(day(10).Add(30*24*time.Hour)).String() {
		t.Errorf("notes %v, want COM-10's delay note: 0%% in force, paid until Nov 9", notes)
	}
}

// Markets are data (MKT-1): markets registered before New and after it, of two capital letters
// or not, are found; one registered before New is found without allocating; a code of the right
// form that is no market is unknown.
func TestMarketCodeForms(t *testing.T) {
	register := func(code affrules.MarketCode) {
		t.Helper()
		require.NoError(t, affrules.RegisterMarket(affrules.Market{Code: code, Zone: "Europe/Paris", Currency: "EUR", MinorUnit: 2, Channels: []affrules.Channel{affrules.Email}}))
	}
	register("CQ")
	register("CQX")
	e := commission.MustNew(commission.DefaultPolicy())
	// Codes of their own for each run (-count), so that they are registered after New every time.
	after := affrules.MarketCode([]byte{'W', byte('A' + marketFormsRuns.Add(1)%26)})
	register(after)
	register(after + "X")
	for _, code := range []affrules.MarketCode{"CQ", "CQX", after, after + "X", affrules.TH} {
		o := openOffer("open", at(day(1), "10%"))
		o.Market = code
		line := order("line", day(1))
		line.Market = code
		if code != affrules.TH {
			line.Currency = "EUR"
		}
		b := mustBook(t, e, o)
		c, err := e.Compute(b, line, day(2))
		require.NoError(t, err, code)
		assert.Equal(t, "10.00", c.Amount.Decimal().StringFixed(2), code)
		if (code == "CQ" || code == "CQX") && !raceEnabled {
			allocs := testing.AllocsPerRun(100, func() { c, err = e.Compute(b, line, day(2)) })
			assert.Zero(t, allocs, "Compute, %s, registered before New", code)
			allocs = testing.AllocsPerRun(100, func() { err = e.ComputeInto(&c, b, &line, day(2)) })
			assert.Zero(t, allocs, "ComputeInto, %s, registered before New", code)
		}
	}
	line := order("line", day(1))
	line.Market = "CZ"
	_, err := e.Compute(mustBook(t, e), line, day(2))
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
}

var marketFormsRuns atomic.Int32

// A book of many products in two markets finds each product's offers in each market, and none
// for a product or market it does not hold (COM-3).
func TestBookManyProducts(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	var offers []commission.Offer
	for i := range 300 {
		for _, m := range []affrules.MarketCode{affrules.TH, affrules.MY} {
			o := openOffer(fmt.Sprintf("%s-%d", m, i), at(day(1), fmt.Sprintf("%d%%", 1+i%50)))
			o.Market, o.Product = m, fmt.Sprintf("p%d", i)
			offers = append(offers, o)
		}
	}
	b := mustBook(t, e, offers...)
	for i := range 300 {
		for _, m := range []affrules.MarketCode{affrules.TH, affrules.MY} {
			line := order("line", day(1))
			line.Market, line.Product, line.Currency = m, fmt.Sprintf("p%d", i), map[affrules.MarketCode]string{affrules.TH: "THB", affrules.MY: "MYR"}[m]
			r, err := e.Resolve(b, line, day(2))
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("%s-%d", m, i), r.OfferID, "p%d in %s", i, m)
			require.Len(t, r.Candidates(), 1)
		}
	}
	for _, tc := range []struct {
		product string
		market  affrules.MarketCode
	}{{"p300", affrules.TH}, {"p1", affrules.UK}, {"p", affrules.TH}, {"P1", affrules.TH}} {
		line := order("line", day(1))
		line.Market, line.Product = tc.market, tc.product
		r, err := e.Resolve(b, line, day(2))
		require.NoError(t, err)
		assert.False(t, r.Earned(), "%s in %s", tc.product, tc.market)
		assert.Empty(t, r.Candidates())
	}
}
