package collabplus_test

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/level"
)

// The zero Evaluator and a nil *Evaluator fail closed: every method returns ErrNoPolicy, and
// Apply returns the record it was given.
func TestZeroEvaluator(t *testing.T) {
	s := lcLcPaidSeller(t)
	c := lcCollab(t, s, "c1")
	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			calls := map[string]func() error{
				"Policy":    func() error { _, err := e.Policy(); return err },
				"NewSeller": func() error { _, err := e.NewSeller(lcShop, affrules.TH, lcT0); return err },
				"Apply": func() error {
					before := lcSnapshot(s)
					got, err := e.Apply(s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), lcDate(3, 2, 0))
					lcSame(t, before, got, "Apply of the zero Evaluator")
					return err
				},
				"Quota": func() error {
					d, err := e.Quota(s, lcDate(3, 2, 0))
					require.False(t, d.Allowed, "fails closed")
					return err
				},
				"Offers": func() error { _, err := e.Offers(c, lcDate(3, 2, 0)); return err },
			}
			for m, call := range calls {
				require.ErrorIs(t, call(), collabplus.ErrNoPolicy, m)
			}
		})
	}
}

// New needs a commission evaluator built with commission.New: its rate bounds (COM-9) and
// decrease delay (COM-10) apply to exclusive rates.
func TestNewWithoutCommission(t *testing.T) {
	e, err := collabplus.New(collabplus.DefaultPolicy(), nil)
	require.ErrorIs(t, err, collabplus.ErrNoCommission)
	require.Nil(t, e)
	e, err = collabplus.New(collabplus.DefaultPolicy(), &commission.Evaluator{})
	require.ErrorIs(t, err, collabplus.ErrNoCommission)
	require.ErrorIs(t, err, commission.ErrNoPolicy)
	require.Nil(t, e)
	require.Panics(t, func() { collabplus.MustNew(collabplus.DefaultPolicy(), nil) })
}

// The zero Seller, one not made by NewSeller, and the zero Action are bad input, every problem
// at once; the record is returned unchanged.
func TestZeroSellerAndAction(t *testing.T) {
	var zero collabplus.Seller
	lcBad(t, zero, collabplus.BlockCreator("kai"), lcT0, "seller.id", "seller.market", "seller.updated")
	lcBad(t, zero, collabplus.Action{}, time.Time{}, "seller.id", "seller.market", "seller.updated", "action", "at")
	// A record read back without its last change (JSON that lost "updated") is bad input: an
	// action dated before its events would otherwise pass.
	lost := lcSeller(t)
	lost.Updated = time.Time{}
	lcBad(t, lost, collabplus.BlockCreator("kai"), lcT0, "seller.updated")
	s := lcSeller(t)
	lcBad(t, s, collabplus.Action{}, lcT0, "action")
	require.Equal(t, "no action", collabplus.Action{}.String())
	// Each action names its subject.
	for want, a := range map[string]collabplus.Action{
		`save_group "g1"`:    collabplus.SaveGroup(collabplus.Group{ID: "g1"}),
		`draft "c1"`:         collabplus.NewDraft(collabplus.Collaboration{ID: "c1"}),
		`join "c1" by "kai"`: collabplus.Join("c1", collabplus.Creator{ID: "kai"}),
		`disqualify "lamp"`:  collabplus.Disqualify(eligibility.Result{ID: "lamp"}),
		`recall "c1"`:        collabplus.Recall("c1"),
		`block "kai"`:        collabplus.BlockCreator("kai"),
	} {
		require.Equal(t, want, a.String())
	}
	_, err := lcEval.Quota(zero, lcT0)
	lcBadInput(t, err, "seller.market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	// A seller without an ID is refused by Quota too, as by Apply.
	for _, id := range []string{"", "shop\x00"} {
		noID := lcSeller(t)
		noID.ID = id
		_, err = lcEval.Quota(noID, lcT0)
		lcBadInput(t, err, "seller.id")
	}
}

// NewSeller needs an ID, a market where Collaboration Plus runs and an instant in bounds.
func TestNewSellerBadInput(t *testing.T) {
	_, err := lcEval.NewSeller("", "ZZ", time.Time{})
	lcBadInput(t, err, "seller.id", "seller.market", "at")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	p := collabplus.DefaultPolicy()
	p.Markets = []affrules.MarketCode{affrules.MY}
	my := collabplus.MustNew(p, lcCom)
	_, err = my.NewSeller(lcShop, affrules.TH, lcT0)
	lcBadInput(t, err, "seller.market")
	s := lcSeller(t)
	lcBadWith(t, my, s, collabplus.BlockCreator("kai"), lcT0, "seller.market")
	_, err = my.Quota(s, lcT0)
	lcBadInput(t, err, "seller.market")
}

// MKT-6: instants are arguments within 1900–2199, never the zero time; and they move forward:
// an action dated before the record's last change is bad input and records nothing, one at
// that very instant is applied.
func TestInstants(t *testing.T) {
	s := lcLcPaidSeller(t)
	a := collabplus.BlockCreator("kai")
	for _, at := range []time.Time{{}, time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
		err := lcBad(t, s, a, at, "at")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
		_, err = lcEval.Quota(s, at)
		lcBadInput(t, err, "at")
		_, err = lcEval.NewSeller(lcShop, affrules.TH, at)
		lcBadInput(t, err, "at")
	}
	lcBad(t, s, a, lcLcPaid.Add(-time.Nanosecond), "at")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), lcLcPaid.Add(-time.Hour), "at")
	lcApply(t, s, a, lcLcPaid)
	lcApply(t, s, a, time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC))
	lcApply(t, lcSeller(t), a, lcT0.In(time.UTC))
}

// CP-7, CP-3: drafts of the wrong shape are bad input: no ID, an ID taken, another market, and
// events, final terms, group or members set by the caller.
func TestDraftBadInput(t *testing.T) {
	s := lcLcDraft(t)
	at := lcT0
	terms := lcTask(lcLcPeriod)
	lcBad(t, s, collabplus.NewDraft(collabplus.Collaboration{Preferences: terms}), at, "collaboration.id")
	lcBad(t, s, collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: terms}), at, "collaboration.id")
	lcBad(t, s, collabplus.NewDraft(collabplus.Collaboration{ID: "c2", Market: affrules.MY, Preferences: terms}), at, "collaboration.market")
	g := collabplus.Group{ID: lcGroup}
	for _, c := range []collabplus.Collaboration{
		{ID: "c2", Preferences: terms, Final: &terms},
		{ID: "c2", Preferences: terms, Group: &g},
		{ID: "c2", Preferences: terms, Events: []collabplus.Event{{Kind: collabplus.Submitted, At: at, Due: at.Add(24 * time.Hour)}}},
		{ID: "c2", Preferences: terms, Members: []collabplus.Member{{Creator: "mali", Joined: at}}},
	} {
		lcBad(t, s, collabplus.NewDraft(c), at, "collaboration")
	}
	got := lcApply(t, s, collabplus.NewDraft(collabplus.Collaboration{ID: "c2", Market: affrules.TH, Preferences: terms}), at)
	require.Equal(t, affrules.TH, lcCollab(t, got, "c2").Market)
	got = lcApply(t, s, collabplus.NewDraft(collabplus.Collaboration{ID: "c3", Preferences: terms}), at)
	require.Equal(t, affrules.TH, lcCollab(t, got, "c3").Market, "the seller's market")
}

// CP-1, CP-5, CP-6, CP-9, CP-18, COM-9, MKT-4: terms of the wrong shape are bad input at the
// submission (or the final terms), each problem named; amounts must be exact to the market's
// minor unit (THB 2 places, IDR none), targets and amounts above zero, counts whole.
func TestTermsBadInput(t *testing.T) {
	at := lcDate(2, 20, 10)
	task := func(edit func(*collabplus.Terms)) collabplus.Terms {
		t := lcTask(lcLcPeriod)
		edit(&t)
		return t
	}
	challenge := func(edit func(*collabplus.Terms)) collabplus.Terms {
		t := lcChallenge(lcLcPeriod)
		edit(&t)
		return t
	}
	for _, tc := range []struct {
		name   string
		terms  collabplus.Terms
		fields []string
	}{
		{"no type", task(func(t *collabplus.Terms) { t.Type = 0; t.Tasks, t.Reward = nil, decimal.Zero }), []string{"preferences.type"}},
		{"type 3", task(func(t *collabplus.Terms) { t.Type = 3 }), []string{"preferences.type"}},
		{"no products", task(func(t *collabplus.Terms) { t.Products = nil }), []string{"preferences.products"}},
		{"empty product", task(func(t *collabplus.Terms) { t.Products = []collabplus.Product{{}} }), []string{"preferences.products[0].id", "facts.eligibility[]"}},
		{"product twice", task(func(t *collabplus.Terms) { t.Products = []collabplus.Product{{ID: lcProduct}, {ID: lcProduct}} }), []string{"preferences.products[1].id"}},
		{"rate below 1%", task(func(t *collabplus.Terms) { t.Products[0].Rate = lcBelow(lcRate("1%")) }), []string{"preferences.products[0].rate"}},
		{"rate above 80%", task(func(t *collabplus.Terms) { t.Products[0].Rate = lcAbove(lcRate("80%")) }), []string{"preferences.products[0].rate"}},
		{"shop ads above 80%", task(func(t *collabplus.Terms) { t.Products[0].Rate, t.Products[0].ShopAds = lcRate("20%"), lcRate("81%") }), []string{"preferences.products[0].shop_ads"}},
		{"no tasks", task(func(t *collabplus.Terms) { t.Tasks = nil }), []string{"preferences.tasks"}},
		{"task without content type", task(func(t *collabplus.Terms) { t.Tasks[0].ContentType = "" }), []string{"preferences.tasks[0].content_type"}},
		{"task without goal", task(func(t *collabplus.Terms) { t.Tasks[0].Goal = 0 }), []string{"preferences.tasks[0].goal"}},
		{"zero target", task(func(t *collabplus.Terms) { t.Tasks[0].Target = decimal.Zero }), []string{"preferences.tasks[0].target"}},
		{"negative target", task(func(t *collabplus.Terms) { t.Tasks[0].Target = lcDec("-1") }), []string{"preferences.tasks[0].target"}},
		{"orders target not whole", task(func(t *collabplus.Terms) { t.Tasks[0].Target = lcDec("1.5") }), []string{"preferences.tasks[0].target"}},
		{"sales target past the minor unit", task(func(t *collabplus.Terms) {
			t.Tasks[0].Goal, t.Tasks[0].Target = collabplus.Sales, lcDec("100.001")
		}), []string{"preferences.tasks[0].target"}},
		{"reward past the minor unit", task(func(t *collabplus.Terms) { t.Reward = lcDec("500.001") }), []string{"preferences.reward"}},
		{"zero reward", task(func(t *collabplus.Terms) { t.Reward = decimal.Zero }), []string{"preferences.reward"}},
		{"tiers on a task", task(func(t *collabplus.Terms) { t.Tiers = []collabplus.RankTier{{To: 1, Reward: lcDec("1")}} }), []string{"preferences.tiers"}},
		{"goal on a task", task(func(t *collabplus.Terms) { t.Goal = collabplus.Sales }), []string{"preferences.goal"}},
		{"tasks on a challenge", challenge(func(t *collabplus.Terms) { t.Tasks = lcTask(lcLcPeriod).Tasks }), []string{"preferences.tasks"}},
		{"task reward on a challenge", challenge(func(t *collabplus.Terms) { t.Reward = lcDec("5") }), []string{"preferences.reward"}},
		{"content goal on a challenge", challenge(func(t *collabplus.Terms) { t.Goal = collabplus.Content }), []string{"preferences.goal"}},
		{"no tiers", challenge(func(t *collabplus.Terms) { t.Tiers = nil }), []string{"preferences.tiers"}},
		{"tiers not rising", challenge(func(t *collabplus.Terms) {
			t.Tiers = []collabplus.RankTier{{To: 3, Reward: lcDec("100")}, {To: 3, Reward: lcDec("50")}, {To: 0, Reward: lcDec("10")}}
		}), []string{"preferences.tiers[1].to", "preferences.tiers[2].to"}},
		{"tier reward past the minor unit", challenge(func(t *collabplus.Terms) { t.Tiers[0].Reward = lcDec("0.005") }), []string{"preferences.tiers[0].reward"}},
		{"no objectives", task(func(t *collabplus.Terms) { t.Objectives = nil }), []string{"preferences.objectives"}},
		{"objective twice, unnamed, zero", task(func(t *collabplus.Terms) {
			t.Objectives = []collabplus.Objective{{Name: "a", Budget: lcDec("1"), Target: lcDec("1")}, {Name: "a", Budget: lcDec("1"), Target: lcDec("1")},
				{Budget: decimal.Zero, Target: lcDec("-2")}}
		}), []string{"preferences.objectives[1].name", "preferences.objectives[2].name", "preferences.objectives[2].budget", "preferences.objectives[2].target"}},
		{"budget past the minor unit", task(func(t *collabplus.Terms) { t.Objectives[0].Budget = lcDec("10000.005") }), []string{"preferences.objectives[0].budget"}},
		{"hostile decimal", task(func(t *collabplus.Terms) { t.Reward = decimal.New(1, -2_000_000_000) }), []string{"preferences.reward"}},
		{"whatsapp too long", task(func(t *collabplus.Terms) { t.WhatsApp = strings.Repeat("9", 33) }), []string{"preferences.whatsapp"}},
		{"whatsapp not UTF-8", task(func(t *collabplus.Terms) { t.WhatsApp = "+66\xff" }), []string{"preferences.whatsapp"}},
		{"everything", collabplus.Terms{Type: collabplus.Task, Tiers: []collabplus.RankTier{{}}, WhatsApp: "\xff"},
			[]string{"preferences.period.start", "preferences.period.end", "preferences.products", "preferences.group", "preferences.tasks",
				"preferences.reward", "preferences.tiers", "preferences.objectives", "preferences.whatsapp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := lcDraft(t, lcSeller(t), "c1", tc.terms, lcT0)
			deadline.Within(t, time.Second, func() {
				lcBad(t, s, lcSubmit("c1"), at, tc.fields...)
			})
			// The same terms as final terms are bad input too, named under "final".
			var final []string
			for _, f := range tc.fields {
				if strings.HasPrefix(f, "preferences") { // facts are read at the submission only
					final = append(final, "final"+strings.TrimPrefix(f, "preferences"))
				}
			}
			lcBad(t, lcLcPaidSeller(t), collabplus.Finalize("c1", tc.terms), lcDate(2, 21, 0), final...)
		})
	}
	// The exact amounts are accepted: 2 decimal places in THB.
	s := lcDraft(t, lcSeller(t), "c1", task(func(t *collabplus.Terms) { t.Reward = lcDec("500.01") }), lcT0)
	lcApply(t, s, lcSubmit("c1"), at)
}

// CP-19: the seller's WhatsApp number, when given, reads as a phone number: 6 to 15 digits, an
// optional leading +, and spaces, dashes, dots or parentheses between them. Anything else is bad
// input, in the preferences and in final terms.
func TestWhatsApp_CP19(t *testing.T) {
	at := lcDate(2, 10, 9)
	withNumber := func(n string) collabplus.Terms {
		t := lcTask(lcLcPeriod)
		t.WhatsApp = n
		return t
	}
	for _, n := range []string{"", "123456", "123456789012345", "+66812345678", "+66 81 234 5678", "(081) 234-5678", "081.234.5678"} {
		s := lcDraft(t, lcSeller(t), "c1", withNumber(n), lcT0)
		lcApply(t, s, lcSubmit("c1"), at)
		lcApply(t, lcLcPaidSeller(t), collabplus.Finalize("c1", withNumber(n)), lcDate(2, 21, 0))
	}
	for _, n := range []string{"12345", "1234567890123456", "call me", "+66 81 234 5678 ext 9", "66+812345678", "++66812345678",
		"+66_812345678", "+66/81/234/5678", "0812345678#", " ", "+", "(-.)"} {
		s := lcDraft(t, lcSeller(t), "c1", withNumber(n), lcT0)
		lcBad(t, s, lcSubmit("c1"), at, "preferences.whatsapp")
		lcBad(t, lcLcPaidSeller(t), collabplus.Finalize("c1", withNumber(n)), lcDate(2, 21, 0), "final.whatsapp")
	}
}

// MKT-4: in Indonesia (IDR, no minor unit) amounts are whole rupiah: 500.5 is bad input,
// 500 and 500.00 are exact.
func TestAmountsIDR(t *testing.T) {
	f := lcFacts(nil)
	f.Eligibility = []eligibility.Result{lcEligible(lcProduct, lcShop, affrules.ID)}
	at := lcDate(2, 20, 10)
	jkt := lcDays(time.Date(2026, 3, 1, 0, 0, 0, 0, lcZone("Asia/Jakarta")), 14)
	for reward, ok := range map[string]bool{"500.5": false, "0.1": false, "500": true, "500.00": true} {
		terms := lcTask(jkt)
		terms.Reward = lcDec(reward)
		s := lcDraft(t, lcNewSeller(t, affrules.ID), "c1", terms, lcT0)
		if ok {
			lcApply(t, s, collabplus.Submit("c1", f), at)
		} else {
			lcBad(t, s, collabplus.Submit("c1", f), at, "preferences.reward")
		}
	}
}

// Policy JSON with typos is bad input, each naming the key: a key that names no field, one that
// names a field only when case is ignored, one given twice, a value of the wrong JSON type.
func TestPolicyTypos(t *testing.T) {
	for _, tc := range []struct {
		doc, field, says string
	}{
		{`{"quota_limt": 5}`, "policy", "is not a field"},
		{`{"Quota_Limit": 5}`, "policy", `did you mean "quota_limit"`},
		{`{"quota_limit": 5, "quota_limit": 6}`, "policy", "given twice"},
		{`{"quota_limit": "5"}`, "policy.quota_limit", "must be a JSON number"},
		{`{"quota_calendar_days": "yes"}`, "policy.quota_calendar_days", "must be a JSON boolean"},
		{`{"task_days": {"min": 14, "max": 120, "mx": 1}}`, "policy.task_days", "is not a field"},
		{`{"task_days": {"Min": 14, "min": 14, "max": 120}}`, "policy.task_days", "keys are case-sensitive"},
		{`{"recommended": {"TH": {"min_days": 3, "min_days": 4, "min_reward": "0"}}}`, "policy.recommended[TH]", "given twice"},
		{`{"payment_methods": "credit_card"}`, "policy.payment_methods", "must be a JSON array"},
		{`{"tie_breaks": ["first-reached"]}`, "policy.tie_breaks[0]", "must be one of first_reached, creator_id"},
		{`[]`, "policy", "must be a JSON object"},
		{`null`, "policy", "must be a JSON object"},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			p, err := collabplus.ParsePolicy([]byte(tc.doc))
			require.Error(t, err)
			require.Equal(t, collabplus.Policy{}, p, "no policy beside the error")
			fes := lcFieldErrors(err)
			require.Len(t, fes, 1, "%v", err)
			require.True(t, strings.HasPrefix(fes[0].Field, tc.field), "field %q, want %q: %v", fes[0].Field, tc.field, err)
			require.Contains(t, err.Error(), tc.says)
			require.True(t, strings.HasPrefix(err.Error(), "collabplus: "), "%v", err)
		})
	}
	// Several typos: all reported.
	_, err := collabplus.ParsePolicy([]byte(`{"quota_limt": 5, "Max_Groups": 3, "tax_report_day": 7, "tax_report_day": 8}`))
	require.Len(t, lcFieldErrors(err), 3, "%v", err)
	// Values that decode but are invalid text: the field's own error.
	for _, doc := range []string{`{"rounding": "up"}`, `{"extra_fee_rate": "11"}`, `{"markets": [7]}`} {
		_, err := collabplus.ParsePolicy([]byte(doc))
		require.NotEmpty(t, lcFieldErrors(err), "%s: %v", doc, err)
	}
}

// CP-7, CP-9: a refund window of one day count ([7, 7)) is empty: refused, as a recommended
// reward beyond the library's decimal bounds or finer than the currency's minor unit is (CP-16).
func TestValidateRefundWindowsAndRecommendedReward(t *testing.T) {
	for _, edit := range []func(*collabplus.Policy){
		func(p *collabplus.Policy) { p.FeeRefundDays = collabplus.Days{Min: 7, Max: 7} },
		func(p *collabplus.Policy) { p.RecallRefundDays = collabplus.Days{Min: 0, Max: 0} },
	} {
		p := collabplus.DefaultPolicy()
		edit(&p)
		require.ErrorContains(t, p.Validate(), "must have min below max")
	}
	p := collabplus.DefaultPolicy()
	p.FeeRefundDays, p.RecallRefundDays = collabplus.Days{Min: 7, Max: 8}, collabplus.Days{Min: 0, Max: 1}
	require.NoError(t, p.Validate())
	for reward, want := range map[string]string{
		"1e9999": "recommended[UK].min_reward (coefficient) e9999: has an exponent outside -28 to 28",
		"0.001":  "recommended[UK].min_reward 0.001: must be a whole number of GBP's minor unit (2 decimal places)",
	} {
		p := collabplus.DefaultPolicy()
		p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{affrules.UK: {MinDays: 20, MinReward: lcDec(reward)}}
		require.ErrorContains(t, p.Validate(), want)
	}
	p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{affrules.UK: {MinDays: 20, MinReward: lcDec("0.01")}}
	require.NoError(t, p.Validate())
}

// Validate reports every problem of a policy at once, each an *affrules.FieldError naming the
// field; ParsePolicy and New report the same.
func TestValidateEveryProblem(t *testing.T) {
	p := collabplus.Policy{
		Markets:          []affrules.MarketCode{"TH", "ZZ", "TH"},
		OpenMarkets:      []affrules.MarketCode{"QQ"},
		TaskDays:         collabplus.Days{Min: 30, Max: 14},
		ChallengeDays:    collabplus.Days{Min: 0, Max: 60},
		QuotaLimit:       0,
		QuotaDays:        3651,
		MaxGroups:        -1,
		PaymentHours:     0,
		PaymentMethods:   []string{"card", "", "card"},
		RecallRefundDays: collabplus.Days{Min: -1, Max: 14},
		FeeRefundDays:    collabplus.Days{Min: 7, Max: 4000},
		Rounding:         9,
		ExtraFee:         true,
		TaxReportDay:     29,
		TieBreaks:        []string{"coin_toss"},
		SampleLeadDays:   -1,
		Recommended:      map[affrules.MarketCode]collabplus.Recommendation{"ZZ": {MinDays: -1, MinReward: lcDec("-1")}},
	}
	want := []string{"markets[1]", "markets[2]", "open_markets[0]", "task_days", "challenge_days", "quota_limit", "quota_days", "max_groups",
		"payment_hours", "payment_methods[1]", "payment_methods[2]", "recall_refund_days", "fee_refund_days", "rounding", "extra_fee_rate",
		"tax_report_day", "tie_breaks[0]", "cancel_reasons", "sample_lead_days", "recommended[ZZ]", "recommended[ZZ].min_days", "recommended[ZZ].min_reward",
		"charge_curve"}
	for i := range want { // named under "policy", as the data's keys, however the policy came
		want[i] = "policy." + want[i]
	}
	err := p.Validate()
	lcBadInput(t, err, want...)
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	e, err2 := collabplus.New(p, lcCom)
	require.Nil(t, e)
	require.Equal(t, err.Error(), err2.Error())

	b, jerr := json.Marshal(map[string]any{"markets": []string{}, "quota_limit": 0, "tie_breaks": []string{"creator_id", "creator_id"}})
	require.NoError(t, jerr)
	_, err = collabplus.ParsePolicy(b) // loaded from JSON: the same names, as a mistyped value's
	lcBadInput(t, err, "policy.markets", "policy.quota_limit", "policy.tie_breaks[1]")
	_, err = collabplus.ParsePolicy([]byte(`{"quota_limit": "5"}`))
	lcBadInput(t, err, "policy.quota_limit")

	lcBadInput(t, collabplus.Policy{}.Validate(), "policy.markets", "policy.task_days", "policy.challenge_days", "policy.recall_refund_days", "policy.fee_refund_days", "policy.quota_limit", "policy.quota_days", "policy.max_groups",
		"policy.payment_hours", "policy.payment_methods", "policy.tax_report_day", "policy.tie_breaks", "policy.cancel_reasons", "policy.charge_curve")
	require.Panics(t, func() { collabplus.MustNew(collabplus.Policy{}, lcCom) })
}

// A seller's record survives a round trip through JSON: what comes back equals what went, and
// Apply gives the same result on both.
func TestSellerJSONRoundTrip(t *testing.T) {
	s := lcOfSeller(t)
	g := lcFullGroup()
	s = lcApply(t, s, collabplus.SaveGroup(g), lcDate(3, 5, 1))
	s = lcApply(t, s, collabplus.BlockCreator("kai"), lcDate(3, 5, 2))
	s = lcApply(t, s, collabplus.UnblockCreator("kai"), lcDate(3, 5, 3))
	s = lcDraft(t, s, "apr", lcChallenge(lcDays(lcDate(4, 1, 0), 20)), lcDate(3, 5, 4))
	s = lcApply(t, s, collabplus.Submit("apr", lcFacts([]string{lcProduct})), lcDate(3, 5, 5))
	final := lcChallenge(lcDays(lcDate(4, 1, 0), 20))
	final.Group = "full"
	final.AuthoriseVideos, final.WhatsApp, final.FreeSamples = true, "+66 2 123 4567", true
	s = lcApply(t, s, collabplus.Finalize("apr", final), lcDate(3, 5, 6))

	b, err := json.Marshal(s)
	require.NoError(t, err)
	var back collabplus.Seller
	require.NoError(t, json.Unmarshal(b, &back))
	lcSame(t, s, back, "round trip")
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(b2))

	for _, st := range []struct {
		a  collabplus.Action
		at time.Time
	}{
		{collabplus.Pay("apr", "credit_card"), lcDate(3, 5, 7)},
		{collabplus.Join("mar", collabplus.Creator{ID: "niran", Level: level.L3}), lcDate(3, 6, 0)},
		{collabplus.Join("mar", collabplus.Creator{ID: "mali", Level: level.L3}), lcDate(3, 6, 0)},
		{collabplus.Submit("mar", lcFacts([]string{lcProduct})), lcDate(3, 6, 0)},
	} {
		want, werr := lcEval.Apply(s, st.a, st.at)
		got, gerr := lcEval.Apply(back, st.a, st.at)
		if werr != nil || gerr != nil {
			require.Error(t, werr)
			require.Error(t, gerr)
			require.Equal(t, werr.Error(), gerr.Error())
			continue
		}
		lcSame(t, want, got, "Apply after the round trip")
		s, back = want, got
	}
	q1, _ := lcEval.Quota(s, lcDate(3, 7, 0))
	q2, _ := lcEval.Quota(back, lcDate(3, 7, 0))
	lcRequireDecision(t, q1, q2)
}

// Errors of bad input never wrap ErrRefused, refusals never are field errors; both are
// recognisable with errors.Is and errors.As.
func TestErrorKinds(t *testing.T) {
	s := lcLcPaidSeller(t)
	_, err := lcEval.Apply(s, collabplus.Pay("c1", "cash"), lcDate(2, 20, 13))
	require.True(t, errors.Is(err, affrules.ErrRefused), "pay in state paid is refused before the method is read: %v", err)
	_, err = lcEval.Apply(lcLcPending(t), collabplus.Pay("c1", "cash"), lcDate(2, 20, 13))
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "method", fe.Field)
	require.False(t, errors.Is(err, affrules.ErrRefused))
}

// A nil *Memory (a store a host declared and never made) is an error from every method, not a
// panic.
func TestNilMemory(t *testing.T) {
	ctx := t.Context()
	var m *collabplus.Memory
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err := m.Create(ctx, collabplus.Seller{})
	assert.ErrorContains(t, err, "collabplus: nil *Memory")
	_, err = m.Apply(ctx, nil, "x", collabplus.Action{}, at)
	assert.ErrorContains(t, err, "collabplus: nil *Memory")
	_, err = m.Seller(ctx, "x")
	assert.ErrorContains(t, err, "collabplus: nil *Memory")
}

// A cancelled context is an error of the package, which errors.Is still finds.
func TestMemoryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := collabplus.NewMemory().Seller(ctx, "x")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "collabplus: context canceled")
}

// A nil context is an error of the package from every store method, not a panic.
func TestMemoryNilContext(t *testing.T) {
	var ctx context.Context                                      // a host that forgot it
	m, e := collabplus.NewMemory(), (*collabplus.Evaluator)(nil) // the context is checked first
	_, err1 := m.Create(ctx, collabplus.Seller{ID: "s"})
	_, err2 := m.Apply(ctx, e, "s", collabplus.Action{}, time.Now())
	_, err3 := m.Seller(ctx, "s")
	for i, err := range []error{err1, err2, err3} {
		assert.ErrorContains(t, err, "collabplus: nil context.Context", "method %d", i)
	}
}

// A policy decimal of a million digits is refused unread, at once and in a short error (it was
// decoded in full, twice, taking seconds, and an eligibility rating's error quoted it whole).
func TestParsePolicyLongDecimal(t *testing.T) {
	long := "1" + strings.Repeat("0", 1_000_000)
	start := time.Now()
	_, err := collabplus.ParsePolicy([]byte(`{"recommended":{"UK":{"min_days":20,"min_reward":` + long + `}}}`))
	require.ErrorContains(t, err, "collabplus: policy.recommended[UK].min_reward (a long value): is longer than 2000 bytes")
	require.Less(t, len(err.Error()), 1000)
	require.Less(t, time.Since(start), time.Second)
	_, err = eligibility.ParsePolicy([]byte(`{"default":[{"value":{"counterfeit_window_days":60,"min_store_rating":"2.` + strings.Repeat("5", 1_000_000) + `","min_reviews":5,"min_refund_cases":5,"categories":{"fmcg":{"negative_review_rate_below":"1%","seller_fault_refund_rate_below":"2%"}}}}]}`))
	require.ErrorContains(t, err, "min_store_rating (a long string): is longer than 2000 bytes")
	require.Less(t, len(err.Error()), 1000)
}

// A policy name with spaces at an end matches nothing as written: " live" in
// content_creator_tasks would silently turn LVL-11's restriction off. Refused.
func TestValidateNamesWithSpaces(t *testing.T) {
	for _, edit := range []func(*collabplus.Policy){
		func(p *collabplus.Policy) { p.ContentCreatorTasks = []string{" live"} },
		func(p *collabplus.Policy) { p.PaymentMethods = []string{"credit_card "} },
		func(p *collabplus.Policy) { p.CancelReasons = append(p.CancelReasons, "\tother") },
	} {
		p := collabplus.DefaultPolicy()
		edit(&p)
		require.ErrorContains(t, p.Validate(), "has spaces at an end")
	}
}
