package collabplus_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
)

// SPEC §5 and MKT-1: the catalog's values.
func TestDefaultPolicy(t *testing.T) {
	want := collabplus.Policy{
		Markets:             []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"},
		TaskDays:            collabplus.Days{Min: 14, Max: 120}, // CP-2
		ChallengeDays:       collabplus.Days{Min: 14, Max: 60},  // CP-2
		QuotaLimit:          5,                                  // CP-3
		QuotaDays:           30,                                 // CP-3
		QuotaCalendarDays:   true,                               // CP-3
		QuotaCountsExpired:  true,                               // CP-3
		QuotaCountsRecalled: true,                               // CP-3
		MaxGroups:           100,                                // CP-4
		PaymentHours:        24,                                 // CP-7
		PaymentMethods:      []string{"credit_card", "debit_card", "bank_transfer"},
		RecallRefundDays:    collabplus.Days{Min: 7, Max: 14},                                                  // CP-7
		FeeRefundDays:       collabplus.Days{Min: 7, Max: 14},                                                  // CP-9
		ChargeCurve:         []collabplus.ChargePoint{{}, {Achieved: lcRate("100%"), Charged: lcRate("100%")}}, // CP-9
		Rounding:            affrules.HalfUp,                                                                   // MKT-4
		ExtraFee:            true,                                                                              // CP-10
		ExtraFeeRate:        lcRate("11%"),                                                                     // CP-10
		TaxReportDay:        7,                                                                                 // CP-11
		TieBreaks:           []string{collabplus.TieFirstReached, collabplus.TieCreatorID},
		CancelReasons:       []string{"account_security", "risk_control"}, // CP-14
		SampleLeadDays:      21,                                           // CP-16

		PermanentEndsParticipation: true,                      // ELG-11
		ContentCreatorTasks:        []string{"live", "video"}, // LVL-11, CP-18
	}
	if diff := cmp.Diff(want, collabplus.DefaultPolicy()); diff != "" {
		t.Errorf("DefaultPolicy (-want +got):\n%s", diff)
	}
	require.NoError(t, collabplus.DefaultPolicy().Validate())
	require.Empty(t, collabplus.DefaultPolicy().OpenMarkets, "CP-17: by invitation only")
}

// A top-level setting left out, or null, keeps its DefaultPolicy value; one given is used; the
// default policy survives a round trip through JSON.
func TestParsePolicy(t *testing.T) {
	tests := []struct {
		doc  string
		want func(p *collabplus.Policy)
	}{
		{`{}`, func(p *collabplus.Policy) {}},
		{`{"quota_limit": null, "task_days": null}`, func(p *collabplus.Policy) {}},
		{`{"quota_limit": 3, "quota_days": 7}`, func(p *collabplus.Policy) { p.QuotaLimit, p.QuotaDays = 3, 7 }},
		{`{"quota_calendar_days": false}`, func(p *collabplus.Policy) { p.QuotaCalendarDays = false }},
		{`{"quota_counts_expired": false, "quota_counts_recalled": false}`, func(p *collabplus.Policy) {
			p.QuotaCountsExpired, p.QuotaCountsRecalled = false, false
		}},
		{`{"task_days": {"min": 7, "max": 90}}`, func(p *collabplus.Policy) { p.TaskDays = collabplus.Days{Min: 7, Max: 90} }},
		{`{"open_markets": ["TH"], "markets": ["TH", "MY"]}`, func(p *collabplus.Policy) {
			p.OpenMarkets, p.Markets = []affrules.MarketCode{"TH"}, []affrules.MarketCode{"TH", "MY"}
		}},
		{`{"payment_methods": ["e_wallet"], "payment_hours": 48, "max_groups": 10}`, func(p *collabplus.Policy) {
			p.PaymentMethods, p.PaymentHours, p.MaxGroups = []string{"e_wallet"}, 48, 10
		}},
		{`{"rounding": "half_even", "extra_fee": false, "extra_fee_rate": "5%"}`, func(p *collabplus.Policy) {
			p.Rounding, p.ExtraFee, p.ExtraFeeRate = affrules.HalfEven, false, lcRate("5%")
		}},
		{`{"recommended": {"TH": {"min_days": 21, "min_reward": "300"}}}`, func(p *collabplus.Policy) {
			p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{"TH": {MinDays: 21, MinReward: lcDec("300")}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			got, err := collabplus.ParsePolicy([]byte(tt.doc))
			require.NoError(t, err)
			want := collabplus.DefaultPolicy()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParsePolicy (-want +got):\n%s", diff)
			}
			b, err := json.Marshal(got)
			require.NoError(t, err)
			back, err := collabplus.ParsePolicy(b)
			require.NoError(t, err, "%s", b)
			if diff := cmp.Diff(got, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

// The evaluator keeps its own copy of the policy, and Policy returns a copy of it.
func TestPolicyCopies(t *testing.T) {
	p := collabplus.DefaultPolicy()
	p.PaymentMethods = []string{"credit_card"}
	p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{"TH": {MinDays: 20}}
	e := collabplus.MustNew(p, lcCom)
	p.PaymentMethods[0] = "cash"
	p.Recommended["TH"] = collabplus.Recommendation{MinDays: 99}
	got, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, []string{"credit_card"}, got.PaymentMethods)
	require.Equal(t, 20, got.Recommended["TH"].MinDays)
	got.PaymentMethods[0] = "cash"
	got.Markets[0] = "ZZ"
	delete(got.Recommended, "TH")
	lcApplyWith(t, e, lcLcPending(t), collabplus.Pay("c1", "credit_card"), lcLcSubmitted)
	lcBadWith(t, e, lcLcPending(t), collabplus.Pay("c1", "cash"), lcLcSubmitted, "method")
	again, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, collabplus.DefaultPolicy().Markets, again.Markets)
	require.Equal(t, 20, again.Recommended["TH"].MinDays)
}

// COM-9: exclusive rates are held to the commission evaluator's bounds: under 5%–50%, 4% and 51%
// are bad input, and an Open rate of 50% leaves no exclusive rate possible (CP-8).
func TestCommissionBounds_COM9_CP8(t *testing.T) {
	cp := commission.DefaultPolicy()
	cp.MinRate, cp.MaxRate = lcRate("5%"), lcRate("50%")
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(cp))
	at := lcDate(2, 20, 10)
	draft := func(r string) collabplus.Seller {
		return lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcLcPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate(r)}), lcT0)
	}
	for _, r := range []string{"4.9999999%", "50.0000001%"} {
		err := lcBadWith(t, e, draft(r), lcSubmit("c1"), at, "preferences.products[0].rate")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
	lcApplyWith(t, e, draft("5%"), lcSubmit("c1"), at)
	lcApplyWith(t, e, draft("50%"), lcSubmit("c1"), at)
	lcApply(t, draft("4%"), lcSubmit("c1"), at) // inside the default bounds

	open := lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "50%"))
	r := lcRefusedWith(t, e, draft("50%"), collabplus.Submit("c1", lcFacts([]string{lcProduct}, open)), at)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleExclusiveRates, Key: lcKeyNoneAbove,
		Observed: affrules.RateOf(lcRate("50%")), Limit: affrules.RateOf(lcRate("50%")), Subject: lcProduct}), r.Decision)
}

// COM-10: the delay that keeps a decreased Open rate live for CP-8 is the commission
// evaluator's: with no delay, a decrease lowers the floor at once.
func TestCommissionDelay_COM10_CP8(t *testing.T) {
	decrease := lcDate(2, 19, 0)
	open := lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "12%"), lcFrom(decrease, "10%"))
	s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcLcPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate("11%")}), lcT0)
	a := collabplus.Submit("c1", lcFacts([]string{lcProduct}, open))
	at := lcDate(2, 20, 10)
	lcRefused(t, s, a, at)
	cp := commission.DefaultPolicy()
	cp.DecreaseDelayDays = 0
	lcApplyWith(t, collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(cp)), s, a, at)
	cp.DecreaseDelayDays = 1
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(cp))
	lcRefusedWith(t, e, s, a, decrease.Add(24*time.Hour-time.Nanosecond))
	lcApplyWith(t, e, s, a, decrease.Add(24*time.Hour))
}

// A top-level list given as null is nil, as encoding/json writes a nil one, not the default: a
// policy with no markets is refused, not silently given the default ones.
func TestParsePolicyNullListIsNil(t *testing.T) {
	_, err := collabplus.ParsePolicy([]byte(`{"markets": null}`))
	require.ErrorContains(t, err, "must list at least one market (MKT-1)")
}

// New and Policy copy every list of the policy: a host changing its own policy value after New,
// or the copy Policy returns, changes nothing in the evaluator (which would skip Validate and
// race with concurrent calls). Checked for every slice field, by reflection, so a field added
// later is covered too.
func TestPolicyCopiesEveryList(t *testing.T) {
	def := collabplus.DefaultPolicy()
	def.OpenMarkets = []affrules.MarketCode{"TH"}
	host := collabplus.DefaultPolicy()
	host.OpenMarkets = []affrules.MarketCode{"TH"}
	e, err := collabplus.New(host, commission.MustNew(commission.DefaultPolicy()))
	require.NoError(t, err)
	spoil := func(p *collabplus.Policy) {
		v := reflect.ValueOf(p).Elem()
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() > 0 {
				f.Index(f.Len() - 1).Set(reflect.Zero(f.Type().Elem())) // the last: a default curve starts at the zero point
			}
		}
	}
	spoil(&host)
	got, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, def, got, "the host's policy value changed the evaluator's")
	spoil(&got)
	again, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, def, again, "the copy Policy returned changed the evaluator's")
}
