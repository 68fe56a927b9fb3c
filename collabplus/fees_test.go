package collabplus_test

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
)

// The helpers of the money tests (fees, rewards, advisories) build collaborations by hand: the
// events of a submission and a payment, terms with a whole-day period in the market's zone.

// moneyEval returns an evaluator of the default policy changed by edits.
func moneyEval(t testing.TB, edits ...func(*collabplus.Policy)) *collabplus.Evaluator {
	t.Helper()
	p := collabplus.DefaultPolicy()
	for _, edit := range edits {
		edit(&p)
	}
	e, err := collabplus.New(p, commission.MustNew(commission.DefaultPolicy()))
	require.NoError(t, err)
	return e
}

// marketZone returns market m's time zone.
func marketZone(m affrules.MarketCode) *time.Location {
	mk, err := affrules.LookupMarket(m)
	if err != nil {
		panic(err)
	}
	return mk.Location()
}

// localTime returns y-mo-d h:mi in market m's zone.
func localTime(m affrules.MarketCode, y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, marketZone(m))
}

// days returns the whole days first to last, both included, in market m's zone: [first's local
// midnight, the local midnight after last).
func days(m affrules.MarketCode, y int, mo time.Month, first int, y2 int, mo2 time.Month, last int) affrules.Period {
	loc := marketZone(m)
	return affrules.Period{Start: time.Date(y, mo, first, 0, 0, 0, 0, loc), End: time.Date(y2, mo2, last+1, 0, 0, 0, 0, loc)}
}

// obj returns an objective.
func obj(name, budget, target string) collabplus.Objective {
	return collabplus.Objective{Name: name, Budget: dec(budget), Target: dec(target)}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

// paidCollab returns a task collaboration in market m over period, submitted an hour before
// paidAt and paid at paidAt (CP-7), with the given objectives.
func paidCollab(m affrules.MarketCode, period affrules.Period, paidAt time.Time, objectives ...collabplus.Objective) collabplus.Collaboration {
	return collabplus.Collaboration{
		ID: "cp-1", Market: m,
		Preferences: collabplus.Terms{
			Type: collabplus.Task, Period: period, Group: "g-1",
			Products:   []collabplus.Product{{ID: "serum"}},
			Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Content, Target: dec("1")}},
			Reward:     dec("50"),
			Objectives: objectives,
		},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: paidAt.Add(-time.Hour), Due: paidAt.Add(23 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: paidAt, Method: "credit_card"},
		},
	}
}

// recalled returns c recalled at at (CP-7).
func recalled(c collabplus.Collaboration, at time.Time) collabplus.Collaboration {
	c.Events = append(append([]collabplus.Event(nil), c.Events...), collabplus.Event{Kind: collabplus.RecalledEvent, At: at})
	return c
}

// fieldErr requires err to be a *affrules.FieldError of collabplus naming field, or to join one.
func fieldErr(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	for _, e := range flatten(err) {
		var fe *affrules.FieldError
		if errors.As(e, &fe) && fe.Field == field {
			require.Equal(t, "collabplus", fe.Pkg)
			require.Contains(t, fe.Error(), "collabplus: ")
			return
		}
	}
	t.Fatalf("no FieldError naming %q in %v", field, err)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// seedCollab is the seed's CP-10 example in the UK: paid on Jan 30, running Feb 1–14 (the
// seed's Feb 1–10 is shorter than CP-2 allows), a deposit of 1,000.00 GBP in two objectives.
func seedCollab() collabplus.Collaboration {
	return paidCollab(affrules.UK, days(affrules.UK, 2027, time.February, 1, 2027, time.February, 14), localTime(affrules.UK, 2027, time.January, 30, 10, 0),
		obj("gmv", "600.00", "10000"), obj("orders", "400.00", "200"))
}

// CP-9, CP-10, CP-11: the seed's example. Paid Jan 30, runs Feb 1–14, the refund processed in
// February: the extra fee is charged in February and returned in March.
func TestSettleSeedExtraFee(t *testing.T) {
	e := moneyEval(t)
	c := seedCollab()
	got, err := e.Settle(c, decs("7500", "250"), localTime(affrules.UK, 2027, time.February, 25, 9, 0), localTime(affrules.UK, 2027, time.February, 20, 0, 0))
	require.NoError(t, err)
	want := collabplus.Settlement{
		Currency: "GBP", Paid: dec("1000.00"), Charged: dec("850.00"), Refunded: dec("150.00"),
		Objectives: []collabplus.ObjectiveCharge{
			{Name: "gmv", Budget: dec("600.00"), Target: dec("10000"), Achieved: dec("7500"), Charged: dec("450.00")},
			{Name: "orders", Budget: dec("400.00"), Target: dec("200"), Achieved: dec("250"), Charged: dec("400.00")}, // above target: capped
		},
		RefundFrom:      localTime(affrules.UK, 2027, time.February, 22, 0, 0), // the end (Feb 15 00:00) + 7 days
		RefundBy:        localTime(affrules.UK, 2027, time.March, 1, 0, 0),     // + 14 days, exclusive
		ExtraFee:        dec("110.00"),                                         // 11% of the deposit
		ExtraFeeCharged: affrules.NewMonth(2027, time.February), ExtraFeeReturned: affrules.NewMonth(2027, time.March),
		TaxReport: localTime(affrules.UK, 2027, time.February, 7, 0, 0),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Settle (-want +got):\n%s", diff)
	}
	require.True(t, got.Charged.Add(got.Refunded).Equal(got.Paid), "CP-9: charged + refunded = paid")
}

// CP-9: the charge is budget × min(1, achieved ÷ target) per objective, summed exactly and
// rounded once.
func TestSettleCharge(t *testing.T) {
	uk := days(affrules.UK, 2026, time.March, 2, 2026, time.March, 20)
	id := days(affrules.ID, 2026, time.March, 2, 2026, time.March, 20)
	paidUK := localTime(affrules.UK, 2026, time.February, 20, 12, 0)
	paidID := localTime(affrules.ID, 2026, time.February, 20, 12, 0)
	tests := []struct {
		name     string
		c        collabplus.Collaboration
		mode     affrules.RoundingMode
		achieved []decimal.Decimal
		charged  string
		parts    []string
	}{
		{"achieved equals target: whole budget", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.HalfUp, decs("40"), "100.00", []string{"100.00"}},
		{"above target: capped at the budget", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.HalfUp, decs("40.0001"), "100.00", []string{"100.00"}},
		{"just below target", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.HalfUp, decs("39.99"), "99.98", []string{"99.98"}}, // 99.975 half up
		{"just below target, half even", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.HalfEven, decs("39.99"), "99.98", []string{"99.98"}},
		{"just below target, down", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.Down, decs("39.99"), "99.97", []string{"99.97"}},
		{"nothing achieved", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "40")), affrules.HalfUp, decs("0"), "0.00", []string{"0.00"}},
		{"a third", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "3")), affrules.HalfUp, decs("1"), "33.33", []string{"33.33"}},
		{"two thirds", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "3")), affrules.HalfUp, decs("2"), "66.67", []string{"66.67"}},
		{"two thirds, down", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "3")), affrules.Down, decs("2"), "66.66", []string{"66.66"}},
		{"exact half of a penny, half up", paidCollab(affrules.UK, uk, paidUK, obj("a", "0.01", "2")), affrules.HalfUp, decs("1"), "0.01", []string{"0.01"}},
		{"exact half of a penny, half even", paidCollab(affrules.UK, uk, paidUK, obj("a", "0.01", "2")), affrules.HalfEven, decs("1"), "0.00", []string{"0.00"}},
		{"exact half of a penny, down", paidCollab(affrules.UK, uk, paidUK, obj("a", "0.01", "2")), affrules.Down, decs("1"), "0.00", []string{"0.00"}},
		// Three thirds of a penny are exactly one penny, in every mode: rounding per objective,
		// or dividing to a fixed precision first, would lose it.
		{"thirds sum exactly, down", paidCollab(affrules.UK, uk, paidUK, obj("a", "0.01", "3"), obj("b", "0.01", "3"), obj("c", "0.01", "3")), affrules.Down,
			decs("1", "1", "1"), "0.01", []string{"0.01", "0.00", "0.00"}},
		{"thirds sum exactly, half even", paidCollab(affrules.UK, uk, paidUK, obj("a", "0.01", "3"), obj("b", "0.01", "3"), obj("c", "0.01", "3")), affrules.HalfEven,
			decs("1", "1", "1"), "0.01", []string{"0.01", "0.00", "0.00"}},
		// Largest remainder: 33.333…, 16.666…, 50: floors 33.33 + 16.66 + 50.00 = 99.99, the
		// charge 100.00; the penny left goes to the larger fraction, 0.666….
		{"largest remainder", paidCollab(affrules.UK, uk, paidUK, obj("a", "100.00", "3"), obj("b", "50.00", "3"), obj("c", "50.00", "1")), affrules.HalfUp,
			decs("1", "1", "7"), "100.00", []string{"33.33", "16.67", "50.00"}},
		{"IDR: whole rupiah", paidCollab(affrules.ID, id, paidID, obj("a", "1000000", "7"), obj("b", "500000", "1")), affrules.HalfUp,
			decs("3", "0.5"), "678571", []string{"428571", "250000"}}, // 428571.43 + 250000
		{"IDR: half a rupiah up", paidCollab(affrules.ID, id, paidID, obj("a", "1", "2")), affrules.HalfUp, decs("1"), "1", []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := moneyEval(t, func(p *collabplus.Policy) { p.Rounding = tt.mode })
			got, err := e.Settle(tt.c, tt.achieved, time.Time{}, tt.c.Terms().Period.End)
			require.NoError(t, err)
			require.True(t, dec(tt.charged).Equal(got.Charged), "charged %s, want %s", got.Charged, tt.charged)
			require.True(t, got.Charged.Add(got.Refunded).Equal(got.Paid), "CP-9: charged + refunded = paid")
			sum := decimal.Zero
			for i, p := range tt.parts {
				require.True(t, dec(p).Equal(got.Objectives[i].Charged), "objective %d charged %s, want %s", i, got.Objectives[i].Charged, p)
				sum = sum.Add(got.Objectives[i].Charged)
			}
			require.True(t, sum.Equal(got.Charged), "the parts sum to the charge")
			require.Equal(t, -tt.c.Terms().Objectives[0].Budget.Exponent(), -got.Charged.Exponent(), "the charge is in the minor unit")
		})
	}
}

// CP-9's formula is pluggable by policy data: Policy.ChargeCurve maps achieved ÷ target to the
// share of the budget charged, linearly between points, exactly, the last share from the last
// point on. The default curve is min(1, achieved ÷ target).
func TestSettleChargeCurve(t *testing.T) {
	uk := days(affrules.UK, 2026, time.March, 2, 2026, time.March, 20)
	paid := localTime(affrules.UK, 2026, time.February, 20, 12, 0)
	c := paidCollab(affrules.UK, uk, paid, obj("a", "100.00", "40"))
	pt := func(a, s string) collabplus.ChargePoint {
		return collabplus.ChargePoint{Achieved: lcRate(a), Charged: lcRate(s)}
	}
	halfFirst := []collabplus.ChargePoint{pt("0%", "0%"), pt("50%", "0%"), pt("100%", "100%")}
	early := []collabplus.ChargePoint{pt("0%", "10%"), pt("80%", "90%"), pt("100%", "100%")}
	for _, tc := range []struct {
		curve    []collabplus.ChargePoint
		achieved string
		charged  string
	}{
		{nil, "10", "25.00"}, {nil, "40", "100.00"}, {nil, "60", "100.00"},
		{halfFirst, "0", "0.00"}, {halfFirst, "19.99", "0.00"}, {halfFirst, "20", "0.00"}, {halfFirst, "30", "50.00"},
		{halfFirst, "39.99", "99.95"}, {halfFirst, "40", "100.00"}, {halfFirst, "400", "100.00"},
		{early, "0", "10.00"}, {early, "16", "50.00"}, {early, "32", "90.00"}, {early, "35", "93.75"}, {early, "40", "100.00"},
		{[]collabplus.ChargePoint{pt("0%", "0%"), pt("100%", "100%")}, "13", "32.50"},
	} {
		e := moneyEval(t, func(p *collabplus.Policy) {
			if tc.curve != nil {
				p.ChargeCurve = tc.curve
			}
		})
		got, err := e.Settle(c, decs(tc.achieved), time.Time{}, uk.End)
		require.NoError(t, err)
		require.True(t, dec(tc.charged).Equal(got.Charged), "curve %v, achieved %s of 40: charged %s, want %s", tc.curve, tc.achieved, got.Charged, tc.charged)
		require.True(t, got.Charged.Add(got.Refunded).Equal(got.Paid))
	}

	p, err := collabplus.ParsePolicy([]byte(`{"charge_curve": [{"achieved": "0%", "charged": "0%"}, {"achieved": "50%", "charged": "0%"}, {"achieved": "100%", "charged": "100%"}]}`))
	require.NoError(t, err)
	require.Equal(t, halfFirst, p.ChargeCurve)
	for _, tc := range []struct {
		doc, field string
	}{
		{`{"charge_curve": []}`, "charge_curve"},
		{`{"charge_curve": [{"achieved": "10%", "charged": "0%"}]}`, "charge_curve[0].achieved"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "0%"}, {"achieved": "0%", "charged": "10%"}]}`, "charge_curve[1].achieved"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "50%"}, {"achieved": "100%", "charged": "40%"}]}`, "charge_curve[1].charged"},
		{`{"charge_curve": [{"achieved": "0%"}]}`, "charge_curve[0].charged"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "120%"}]}`, "charge_curve[0].charged"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "0%"}]}`, "charge_curve[0] 0% → 0%: must be 100% → 100%"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "0%"}, {"achieved": "90%", "charged": "95%"}]}`, "charge_curve[1] 90% → 95%: must be 100% → 100%"},
		{`{"charge_curve": [{"achieved": "0%", "charged": "100%"}, {"achieved": "100%", "charged": "100%"}]}`, "charge_curve[0].charged 100%: must be below 100% short of the target"},
	} {
		_, err := collabplus.ParsePolicy([]byte(tc.doc))
		require.ErrorContains(t, err, tc.field, tc.doc)
	}
	many := make([]collabplus.ChargePoint, 21)
	for i := range many {
		many[i] = collabplus.ChargePoint{Achieved: lcRate(fmt.Sprint(i, "%")), Charged: lcRate(fmt.Sprint(i, "%"))}
	}
	pol := collabplus.DefaultPolicy()
	pol.ChargeCurve = many
	require.ErrorContains(t, pol.Validate(), "charge_curve 21: has more than 20 points")
}

// CP-10: when the extra fee applies, months in the market's calendar (MKT-2).
func TestSettleExtraFee(t *testing.T) {
	th := affrules.TH
	feb := days(th, 2027, time.February, 1, 2027, time.February, 14)
	at := localTime(th, 2027, time.February, 16, 0, 0)
	thMar1 := localTime(th, 2027, time.March, 1, 0, 0)
	base := paidCollab(th, feb, localTime(th, 2027, time.January, 30, 10, 0), obj("gmv", "1000.00", "100"))
	// paidAt returns a collaboration running Feb 3–16, paid at p.
	feb3 := days(th, 2027, time.February, 3, 2027, time.February, 16)
	paidAt := func(p time.Time) collabplus.Collaboration {
		return paidCollab(th, feb3, p, obj("gmv", "1000.00", "100"))
	}
	at17 := feb3.End
	tests := []struct {
		name     string
		c        collabplus.Collaboration
		edit     func(*collabplus.Policy)
		achieved string
		refundAt time.Time
		at       time.Time
		fee      string
	}{
		{"seed: paid the month before, refunded in the start month", base, nil, "50", localTime(th, 2027, time.February, 20, 0, 0), at, "110.00"},
		{"refund at the end instant", base, nil, "50", feb.End, at, "110.00"},
		{"refund an instant before the start month ends", base, nil, "50", thMar1.Add(-time.Nanosecond), at, "110.00"},
		{"refund at the local midnight starting March", base, nil, "50", thMar1, at, "0"},
		{"refund in March", base, nil, "50", localTime(th, 2027, time.March, 3, 0, 0), at, "0"},
		{"refund not known yet", base, nil, "50", time.Time{}, at, "0"},
		{"nothing refunded: target met", base, nil, "100", localTime(th, 2027, time.February, 20, 0, 0), at, "0"},
		{"extra fee off", base, func(p *collabplus.Policy) { p.ExtraFee = false }, "50", localTime(th, 2027, time.February, 20, 0, 0), at, "0"},
		{"another rate", base, func(p *collabplus.Policy) { p.ExtraFeeRate = affrules.MustParseRate("12.5%") }, "50", localTime(th, 2027, time.February, 20, 0, 0), at, "125.00"},
		{"paid two months before", paidAt(localTime(th, 2026, time.December, 30, 10, 0)), nil, "50", localTime(th, 2027, time.February, 20, 0, 0), at17, "0"},
		{"paid two months before, any earlier month counts", paidAt(localTime(th, 2026, time.December, 30, 10, 0)), func(p *collabplus.Policy) { p.ExtraFeeAnyEarlierMonth = true }, "50", localTime(th, 2027, time.February, 20, 0, 0), at17, "110.00"},
		{"paid in the start month, any earlier month counts", paidAt(localTime(th, 2027, time.February, 1, 0, 30)), func(p *collabplus.Policy) { p.ExtraFeeAnyEarlierMonth = true }, "50", localTime(th, 2027, time.February, 20, 0, 0), at17, "0"},
		// Jan 31 23:30 in Bangkok is January there; Feb 1 00:30 is February there although it is
		// still January 31 in UTC.
		{"paid in the last minutes of January, local", paidAt(localTime(th, 2027, time.January, 31, 23, 30)), nil, "50", localTime(th, 2027, time.February, 20, 0, 0), at17, "110.00"},
		{"paid in the first minutes of February, local", paidAt(localTime(th, 2027, time.February, 1, 0, 30)), nil, "50", localTime(th, 2027, time.February, 20, 0, 0), at17, "0"},
		{"fee on what is charged", base, func(p *collabplus.Policy) { p.ExtraFeeOnCharged = true }, "50", localTime(th, 2027, time.February, 20, 0, 0), at, "55.00"},
		{"fee on what is charged, most refunded", base, func(p *collabplus.Policy) { p.ExtraFeeOnCharged = true }, "3", localTime(th, 2027, time.February, 20, 0, 0), at, "3.30"},
		{"recalled, fee on what is charged: nothing is", recalled(base, localTime(th, 2027, time.January, 31, 9, 0)), func(p *collabplus.Policy) { p.ExtraFeeOnRecall, p.ExtraFeeOnCharged = true, true }, "0", localTime(th, 2027, time.February, 5, 0, 0), at, "0"},
		{"recalled: off by default", recalled(base, localTime(th, 2027, time.January, 31, 9, 0)), nil, "0", localTime(th, 2027, time.February, 5, 0, 0), at, "0"},
		{"recalled: on by policy", recalled(base, localTime(th, 2027, time.January, 31, 9, 0)), func(p *collabplus.Policy) { p.ExtraFeeOnRecall = true }, "0", localTime(th, 2027, time.February, 5, 0, 0), at, "110.00"},
		{"recalled, refunded in January", recalled(base, localTime(th, 2027, time.January, 30, 11, 0)), func(p *collabplus.Policy) { p.ExtraFeeOnRecall = true }, "0", localTime(th, 2027, time.January, 31, 0, 0), at, "0"},
	}
	onCharged, err := collabplus.ParsePolicy([]byte(`{"extra_fee_on_charged": true}`))
	require.NoError(t, err)
	require.True(t, onCharged.ExtraFeeOnCharged, "extra_fee_on_charged")
	require.False(t, collabplus.DefaultPolicy().ExtraFeeOnCharged, "CP-10's default base is the deposit")
	anyMonth, err := collabplus.ParsePolicy([]byte(`{"extra_fee_any_earlier_month": true}`))
	require.NoError(t, err)
	require.True(t, anyMonth.ExtraFeeAnyEarlierMonth, "extra_fee_any_earlier_month")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var edits []func(*collabplus.Policy)
			if tt.edit != nil {
				edits = append(edits, tt.edit)
			}
			got, err := moneyEval(t, edits...).Settle(tt.c, decs(tt.achieved), tt.refundAt, tt.at)
			require.NoError(t, err)
			require.True(t, dec(tt.fee).Equal(got.ExtraFee), "extra fee %s, want %s", got.ExtraFee, tt.fee)
			if got.ExtraFee.IsZero() {
				require.Zero(t, got.ExtraFeeCharged)
				require.Zero(t, got.ExtraFeeReturned)
			} else {
				require.Equal(t, affrules.NewMonth(2027, time.February), got.ExtraFeeCharged)
				require.Equal(t, affrules.NewMonth(2027, time.March), got.ExtraFeeReturned)
			}
		})
	}
	// The paid-at instant of the "first minutes of February" case is 00:30 in Bangkok and still
	// January 31 in UTC.
	p := localTime(th, 2027, time.February, 1, 0, 30)
	require.Equal(t, time.January, p.UTC().Month())
}

// CP-9, MKT-2: the refund window counts market-calendar days from the end instant; across the
// UK's October DST change it moves with the clock and keeps local midnights, so 7 calendar
// days are 7×24h + 1h there.
func TestSettleRefundWindowDST(t *testing.T) {
	uk := affrules.UK
	period := days(uk, 2026, time.October, 1, 2026, time.October, 20) // ends Oct 21 00:00 BST
	c := paidCollab(uk, period, localTime(uk, 2026, time.September, 20, 10, 0), obj("gmv", "500.00", "100"))
	got, err := moneyEval(t).Settle(c, decs("10"), time.Time{}, period.End)
	require.NoError(t, err)
	require.Equal(t, localTime(uk, 2026, time.October, 28, 0, 0), got.RefundFrom)
	require.Equal(t, localTime(uk, 2026, time.November, 4, 0, 0), got.RefundBy)
	require.Equal(t, 7*24*time.Hour+time.Hour, got.RefundFrom.Sub(period.End), "the clocks went back on Oct 25")
	require.Equal(t, 14*24*time.Hour+time.Hour, got.RefundBy.Sub(period.End))
	for _, at := range []time.Time{got.RefundFrom, got.RefundBy} {
		h, m, s := at.In(marketZone(uk)).Clock()
		require.Equal(t, [3]int{0, 0, 0}, [3]int{h, m, s}, "a local midnight")
	}

	// A recall's window counts from the recall instant, keeping its local time of day (CP-7):
	// recalled on Oct 19 at 10:00 BST, due from Oct 26 at 10:00 GMT.
	rp := days(uk, 2026, time.October, 20, 2026, time.November, 10)
	recall := localTime(uk, 2026, time.October, 19, 10, 0)
	r := recalled(paidCollab(uk, rp, localTime(uk, 2026, time.October, 18, 9, 0), obj("gmv", "500.00", "100")), recall)
	got, err = moneyEval(t).Settle(r, nil, time.Time{}, localTime(uk, 2026, time.October, 19, 12, 0))
	require.NoError(t, err)
	require.Equal(t, localTime(uk, 2026, time.October, 26, 10, 0), got.RefundFrom)
	require.Equal(t, localTime(uk, 2026, time.November, 2, 10, 0), got.RefundBy)
	require.Equal(t, 7*24*time.Hour+time.Hour, got.RefundFrom.Sub(recall))
}

// CP-7, CP-9: a recalled collaboration is charged nothing and refunded in full, due
// RecallRefundDays after the recall.
func TestSettleRecalled(t *testing.T) {
	uk := affrules.UK
	period := days(uk, 2026, time.March, 2, 2026, time.March, 20)
	c := recalled(paidCollab(uk, period, localTime(uk, 2026, time.February, 20, 12, 0), obj("a", "300.00", "10"), obj("b", "200.00", "10")),
		localTime(uk, 2026, time.February, 25, 15, 30))
	at := localTime(uk, 2026, time.February, 26, 0, 0)
	for _, achieved := range [][]decimal.Decimal{nil, decs("10", "10")} {
		got, err := moneyEval(t, func(p *collabplus.Policy) { p.RecallRefundDays = collabplus.Days{Min: 3, Max: 10} }).Settle(c, achieved, time.Time{}, at)
		require.NoError(t, err)
		require.True(t, got.Charged.IsZero())
		require.True(t, got.Refunded.Equal(dec("500.00")))
		require.True(t, got.Objectives[0].Charged.IsZero() && got.Objectives[1].Charged.IsZero())
		require.Equal(t, localTime(uk, 2026, time.February, 28, 15, 30), got.RefundFrom)
		require.Equal(t, localTime(uk, 2026, time.March, 7, 15, 30), got.RefundBy)
	}
	// A refund dated before the recall is refused; at the recall it is accepted.
	_, err := moneyEval(t).Settle(c, nil, localTime(uk, 2026, time.February, 25, 15, 29), at)
	fieldErr(t, err, "refund_at")
	_, err = moneyEval(t).Settle(c, nil, localTime(uk, 2026, time.February, 25, 15, 30), at)
	require.NoError(t, err)
}

// CP-9: nothing refunded, no refund window.
func TestSettleNothingRefunded(t *testing.T) {
	c := seedCollab()
	got, err := moneyEval(t).Settle(c, decs("10000", "200"), time.Time{}, c.Preferences.Period.End)
	require.NoError(t, err)
	require.True(t, got.Refunded.IsZero())
	require.True(t, got.RefundFrom.IsZero() && got.RefundBy.IsZero())
}

// CP-7: only an ended or recalled collaboration settles; the period is half-open.
func TestSettleState(t *testing.T) {
	c := seedCollab()
	end := c.Preferences.Period.End
	_, err := moneyEval(t).Settle(c, decs("1", "1"), time.Time{}, end)
	require.NoError(t, err, "ended from the end instant on")
	for name, at := range map[string]time.Time{
		"ongoing, an instant before the end": end.Add(-time.Nanosecond),
		"paid, before the start":             c.Preferences.Period.Start.Add(-time.Hour),
		"pending payment":                    c.Events[0].At,
		"draft":                              c.Events[0].At.Add(-time.Second),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := moneyEval(t).Settle(c, decs("1", "1"), time.Time{}, at)
			fieldErr(t, err, "collaboration.state")
		})
	}
	expired := c
	expired.Events = expired.Events[:1]
	_, err = moneyEval(t).Settle(expired, decs("1", "1"), time.Time{}, end)
	fieldErr(t, err, "collaboration.state")
	require.ErrorContains(t, err, "expired")
}

// CP-11: the tax report is available at the local midnight of the 7th of the month after the
// payment.
func TestSettleTaxReport(t *testing.T) {
	th := affrules.TH
	tests := []struct {
		paid time.Time
		want time.Time
	}{
		{localTime(th, 2026, time.December, 15, 10, 0), localTime(th, 2027, time.January, 7, 0, 0)},
		{localTime(th, 2027, time.January, 31, 23, 30), localTime(th, 2027, time.February, 7, 0, 0)},
		{localTime(th, 2027, time.February, 1, 0, 30), localTime(th, 2027, time.March, 7, 0, 0)}, // still January in UTC
	}
	period := days(th, 2027, time.March, 10, 2027, time.March, 30)
	for _, tt := range tests {
		c := paidCollab(th, period, tt.paid, obj("a", "10.00", "1"))
		got, err := moneyEval(t).Settle(c, decs("1"), time.Time{}, period.End)
		require.NoError(t, err)
		require.Equal(t, tt.want, got.TaxReport)
	}
	c := paidCollab(th, period, tests[0].paid, obj("a", "10.00", "1"))
	got, err := moneyEval(t, func(p *collabplus.Policy) { p.TaxReportDay = 28 }).Settle(c, decs("1"), time.Time{}, period.End)
	require.NoError(t, err)
	require.Equal(t, localTime(th, 2027, time.January, 28, 0, 0), got.TaxReport)
}

// Hostile input: every problem is a FieldError of collabplus; the zero Evaluator fails closed.
func TestSettleHostile(t *testing.T) {
	c := seedCollab()
	end := c.Preferences.Period.End
	e := moneyEval(t)
	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		_, err := e.Settle(c, decs("1", "1"), time.Time{}, end)
		require.ErrorIs(t, err, collabplus.ErrNoPolicy, name)
	}
	_, err := e.Settle(collabplus.Collaboration{}, nil, time.Time{}, end)
	fieldErr(t, err, "collaboration.market")
	zeroTerms := collabplus.Collaboration{Market: affrules.UK}
	_, err = e.Settle(zeroTerms, nil, time.Time{}, end)
	fieldErr(t, err, "terms.period.start")
	_, err = e.Settle(c, decs("1", "1"), time.Time{}, time.Time{})
	fieldErr(t, err, "at")
	inverted := c
	inverted.Preferences.Period = affrules.Period{Start: end, End: c.Preferences.Period.Start}
	_, err = e.Settle(inverted, decs("1", "1"), time.Time{}, end)
	fieldErr(t, err, "terms.period")
	require.ErrorIs(t, err, affrules.ErrInvertedPeriod)

	_, err = e.Settle(c, decs("1"), time.Time{}, end)
	fieldErr(t, err, "achieved")
	_, err = e.Settle(c, nil, time.Time{}, end)
	fieldErr(t, err, "achieved")
	_, err = e.Settle(c, decs("1", "1", "1"), time.Time{}, end)
	fieldErr(t, err, "achieved")
	_, err = e.Settle(c, decs("-0.01", "1"), time.Time{}, end)
	fieldErr(t, err, "achieved[0]")
	require.ErrorIs(t, err, affrules.ErrNegative)
	_, err = e.Settle(c, []decimal.Decimal{decimal.New(1, -2_000_000), dec("1")}, time.Time{}, end)
	fieldErr(t, err, "achieved[0]")
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	_, err = e.Settle(c, decs("1", "1"), end.Add(-time.Nanosecond), end)
	fieldErr(t, err, "refund_at")
	_, err = e.Settle(c, decs("1", "1"), end, end)
	require.NoError(t, err, "a refund at the end instant")
	_, err = e.Settle(c, decs("1", "1"), time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), end)
	fieldErr(t, err, "refund_at")

	bad := c
	bad.Preferences.Objectives = []collabplus.Objective{obj("a", "-1.00", "1"), obj("b", "1.005", "0"), obj("c", "1.00", "-3")}
	_, err = e.Settle(bad, decs("1", "-1"), time.Time{}, end)
	for _, f := range []string{"terms.objectives[0].budget", "terms.objectives[1].budget", "terms.objectives[1].target", "terms.objectives[2].target", "achieved", "achieved[1]"} {
		fieldErr(t, err, f)
	}
	require.Len(t, flatten(err), 6, "every problem at once")

	none := c
	none.Preferences.Objectives = nil
	_, err = e.Settle(none, nil, time.Time{}, end)
	fieldErr(t, err, "terms.objectives")

	idr := paidCollab(affrules.ID, days(affrules.ID, 2026, time.March, 2, 2026, time.March, 20), localTime(affrules.ID, 2026, time.February, 20, 12, 0), obj("a", "1000.5", "1"))
	_, err = e.Settle(idr, decs("1"), time.Time{}, idr.Preferences.Period.End)
	fieldErr(t, err, "terms.objectives[0].budget")

	noPayment := c // a payment at the zero instant, after a submission in bounds
	noPayment.Events = []collabplus.Event{c.Events[0], {Kind: collabplus.PaidEvent}}
	_, err = e.Settle(noPayment, decs("1", "1"), time.Time{}, end)
	fieldErr(t, err, "collaboration.events[1].at")

	notHere := moneyEval(t, func(p *collabplus.Policy) { p.Markets = []affrules.MarketCode{affrules.TH} })
	_, err = notHere.Settle(c, decs("1", "1"), time.Time{}, end)
	fieldErr(t, err, "collaboration.market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
}

// CP-15: the final terms, once set, are what is settled.
func TestSettleFinalTerms(t *testing.T) {
	c := seedCollab()
	final := c.Preferences
	final.Objectives = []collabplus.Objective{obj("gmv", "800.00", "100")}
	c.Final = &final
	got, err := moneyEval(t).Settle(c, decs("25"), time.Time{}, final.Period.End)
	require.NoError(t, err)
	require.True(t, got.Paid.Equal(dec("800.00")))
	require.True(t, got.Charged.Equal(dec("200.00")))
}

// refRound rounds the non-negative exact amount x to places decimal places in mode, by plain
// integer arithmetic: the reference the evaluator's one rounding is checked against.
func refRound(x *big.Rat, places int32, mode affrules.RoundingMode) decimal.Decimal {
	n := new(big.Int).Mul(x.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	q, r := new(big.Int).QuoRem(n, x.Denom(), new(big.Int))
	half := new(big.Int).Lsh(r, 1).Cmp(x.Denom()) // 2r vs d
	switch {
	case r.Sign() == 0 || mode == affrules.Down:
	case half > 0, half == 0 && mode == affrules.HalfUp, half == 0 && mode == affrules.HalfEven && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	return decimal.NewFromBigInt(q, -places)
}

// CP-9, MKT-4, as properties in every market's minor unit and every rounding mode, on random
// budgets, targets and achievements: charged + refunded = paid exactly; the charge is never
// above what was paid, and is the exact Σ budget × min(1, achieved ÷ target) rounded once;
// the objectives' parts sum to it, each within one minor unit of its exact value and never
// above its budget; raising any one achievement never lowers the charge.
func TestSettleProperties(t *testing.T) {
	modes := []affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}
	evals := make([]*collabplus.Evaluator, len(modes))
	for i, m := range modes {
		evals[i] = moneyEval(t, func(p *collabplus.Policy) { p.Rounding = m })
	}
	codes := []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG}
	rapid.Check(t, func(t *rapid.T) {
		code := rapid.SampledFrom(codes).Draw(t, "market")
		mk, err := affrules.LookupMarket(code)
		require.NoError(t, err)
		mi := rapid.IntRange(0, len(modes)-1).Draw(t, "mode")
		places := mk.MinorUnit
		n := rapid.IntRange(1, 5).Draw(t, "objectives")
		objs := make([]collabplus.Objective, n)
		achieved := make([]decimal.Decimal, n)
		exact := new(big.Rat)
		exactParts := make([]*big.Rat, n)
		for i := range objs {
			budget := decimal.New(rapid.Int64Range(0, 1e12).Draw(t, "budget"), -places)
			target := decimal.New(rapid.Int64Range(1, 1e7).Draw(t, "target"), -int32(rapid.IntRange(0, 4).Draw(t, "target.places")))
			achieved[i] = decimal.New(rapid.Int64Range(0, 2e7).Draw(t, "achieved"), -int32(rapid.IntRange(0, 4).Draw(t, "achieved.places")))
			objs[i] = collabplus.Objective{Name: "o", Budget: budget, Target: target}
			ratio := new(big.Rat).Quo(achieved[i].Rat(), target.Rat())
			if ratio.Cmp(big.NewRat(1, 1)) > 0 {
				ratio.SetInt64(1)
			}
			exactParts[i] = ratio.Mul(ratio, budget.Rat())
			exact.Add(exact, exactParts[i])
		}
		period := days(code, 2026, time.March, 2, 2026, time.March, 20)
		c := paidCollab(code, period, localTime(code, 2026, time.February, 20, 12, 0), objs...)
		s, err := evals[mi].Settle(c, achieved, time.Time{}, period.End)
		require.NoError(t, err)

		unit := decimal.New(1, -places)
		require.Equal(t, mk.Currency, s.Currency)
		require.True(t, s.Charged.Add(s.Refunded).Equal(s.Paid), "charged %s + refunded %s != paid %s", s.Charged, s.Refunded, s.Paid)
		require.True(t, s.Paid.Equal(c.Preferences.Deposit()))
		require.True(t, s.Charged.Sign() >= 0 && s.Charged.LessThanOrEqual(s.Paid), "charged %s, paid %s", s.Charged, s.Paid)
		require.True(t, s.Charged.Shift(places).IsInteger() && s.Refunded.Shift(places).IsInteger(), "in the minor unit")
		want := refRound(exact, places, modes[mi])
		require.True(t, want.Equal(s.Charged), "charged %s, want %s rounded once from %s", s.Charged, want, exact.FloatString(12))
		sum := decimal.Zero
		for i, o := range s.Objectives {
			sum = sum.Add(o.Charged)
			require.True(t, o.Charged.Shift(places).IsInteger())
			require.True(t, o.Charged.LessThanOrEqual(objs[i].Budget), "part %s above budget %s", o.Charged, objs[i].Budget)
			diff := new(big.Rat).Sub(o.Charged.Rat(), exactParts[i])
			require.True(t, diff.Abs(diff).Cmp(unit.Rat()) < 0, "part %s more than a minor unit from %s", o.Charged, exactParts[i].FloatString(12))
		}
		require.True(t, sum.Equal(s.Charged), "parts sum %s, charged %s", sum, s.Charged)

		// Monotone in each achievement.
		j := rapid.IntRange(0, n-1).Draw(t, "raise")
		more := append([]decimal.Decimal(nil), achieved...)
		more[j] = more[j].Add(decimal.New(rapid.Int64Range(0, 1e7).Draw(t, "delta"), -int32(rapid.IntRange(0, 4).Draw(t, "delta.places"))))
		s2, err := evals[mi].Settle(c, more, time.Time{}, period.End)
		require.NoError(t, err)
		require.True(t, s2.Charged.GreaterThanOrEqual(s.Charged), "raising achieved[%d] lowered the charge from %s to %s", j, s.Charged, s2.Charged)
	})
}

// CP-9 over arbitrary valid charge curves: the charge never falls as more is achieved, never
// exceeds the deposit, and at no achievement is the first point's share of the budget.
func TestChargeCurveProperty_CP9(t *testing.T) {
	uk := days(affrules.UK, 2026, time.March, 2, 2026, time.March, 20)
	paid := localTime(affrules.UK, 2026, time.February, 20, 12, 0)
	c := paidCollab(affrules.UK, uk, paid, obj("a", "100.00", "40"))
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 4).Draw(t, "inner_points")
		achieved := rapid.SliceOfNDistinct(rapid.IntRange(1, 99), n, n, func(k int) int { return k }).Draw(t, "achieved")
		slices.Sort(achieved)
		shares := rapid.SliceOfN(rapid.IntRange(0, 99), n+1, n+1).Draw(t, "shares")
		slices.Sort(shares)
		curve := []collabplus.ChargePoint{{Charged: lcRate(fmt.Sprint(shares[0], "%"))}}
		for i, a := range achieved {
			curve = append(curve, collabplus.ChargePoint{Achieved: lcRate(fmt.Sprint(a, "%")), Charged: lcRate(fmt.Sprint(shares[i+1], "%"))})
		}
		curve = append(curve, collabplus.ChargePoint{Achieved: lcRate("100%"), Charged: lcRate("100%")})
		pol := collabplus.DefaultPolicy()
		pol.ChargeCurve = curve
		e, err := collabplus.New(pol, commission.MustNew(commission.DefaultPolicy()))
		if err != nil {
			t.Fatalf("curve %v: %v", curve, err)
		}
		lo := rapid.IntRange(0, 60).Draw(t, "lo")
		hi := lo + rapid.IntRange(0, 60).Draw(t, "more")
		a, err := e.Settle(c, decs(fmt.Sprint(lo)), time.Time{}, uk.End)
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.Settle(c, decs(fmt.Sprint(hi)), time.Time{}, uk.End)
		if err != nil {
			t.Fatal(err)
		}
		if a.Charged.GreaterThan(b.Charged) || b.Charged.GreaterThan(b.Paid) || (hi < 40) != b.Charged.LessThan(b.Paid) {
			t.Fatalf("curve %v: charged %s at %d, %s at %d of 40, paid %s", curve, a.Charged, lo, b.Charged, hi, b.Paid)
		}
		if lo == 0 && !a.Charged.Equal(dec(fmt.Sprint(shares[0])+".00")) {
			t.Fatalf("curve %v: at no achievement charged %s, want %d%% of 100.00", curve, a.Charged, shares[0])
		}
	})
}
