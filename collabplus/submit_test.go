package collabplus_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// lcQuotaPeriod is the period of the quota stories' collaborations: 15–28 April, after every
// submission they make.
var lcQuotaPeriod = lcDays(lcDate(4, 15, 0), 14)

// lcQuotaSeller returns shop-1 with drafts q1 … qn for lcQuotaPeriod, made at lcT0.
func lcQuotaSeller(t testing.TB, n int) collabplus.Seller {
	s := lcSeller(t)
	for i := 1; i <= n; i++ {
		s = lcDraft(t, s, fmt.Sprintf("q%d", i), lcTask(lcQuotaPeriod), lcT0)
	}
	return s
}

func lcSubmit(id string) collabplus.Action {
	return collabplus.Submit(id, lcFacts([]string{lcProduct}))
}

// lcQuotaReason is CP-3's reason with n submissions counted.
func lcQuotaReason(n int64) affrules.Reason {
	return affrules.Reason{Rule: collabplus.RuleQuota, Key: lcKeyQuota, Observed: affrules.Count(n), Limit: affrules.Count(5), Subject: lcShop}
}

// lcQuota returns the evaluator's quota decision for s at at.
func lcQuota(t testing.TB, e *collabplus.Evaluator, s collabplus.Seller, at time.Time) affrules.Decision {
	t.Helper()
	d, err := e.Quota(s, at)
	require.NoError(t, err)
	return d
}

// CP-3, the seed's example: 5 collaborations submitted on day 1 (1 March); the 6th is refused
// on day 1 and until the last instant of day 30, the decision naming day 31 00:00 Bangkok;
// from day 31 00:00 five more are allowed, and any number run at once.
func TestSeedQuota_CP3(t *testing.T) {
	s := lcQuotaSeller(t, 11)
	for i := 1; i <= 5; i++ {
		at := lcDate(3, 1, 8+i)
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), at)
		s = lcApply(t, s, collabplus.Pay(fmt.Sprintf("q%d", i), "credit_card"), at)
	}
	require.Len(t, s.Submissions, 5)
	day31 := lcDay(31)
	require.Equal(t, time.Date(2026, 3, 31, 0, 0, 0, 0, lcBKK), day31)
	want := lcDecision(day31, lcQuotaReason(5))
	for _, at := range []time.Time{lcDate(3, 1, 14), lcDate(3, 15, 12), day31.Add(-time.Nanosecond)} {
		lcRequireDecision(t, want, lcQuota(t, lcEval, s, at))
		r := lcRefused(t, s, lcSubmit("q6"), at)
		require.Equal(t, "submit", r.Action)
		require.Equal(t, "q6", r.Subject)
		lcRequireDecision(t, want, r.Decision)
	}
	require.Equal(t, "2026-03-30T23:59:59.999999999+07:00", day31.Add(-time.Nanosecond).Format(time.RFC3339Nano))

	lcRequireDecision(t, affrules.Decide(), lcQuota(t, lcEval, s, day31))
	for i := 6; i <= 10; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), day31)
		s = lcApply(t, s, collabplus.Pay(fmt.Sprintf("q%d", i), "bank_transfer"), day31)
	}
	// The quota frees a slot on day 61 (30 April), after q11's period starts on 15 April, when
	// CP-7 refuses the submission: no instant is named (MKT-5).
	r := lcRefused(t, s, lcSubmit("q11"), day31)
	lcRequireDecision(t, lcDecision(time.Time{}, lcQuotaReason(5)), r.Decision)

	// Any number run at once: all ten are ongoing on 20 April.
	for _, c := range s.Collaborations[:10] {
		require.Equal(t, collabplus.Ongoing, c.StateAt(lcDate(4, 20, 0)), c.ID)
	}
}

// CP-3: the window is the day of the instant and the 29 days before it, in the market's zone:
// a submission at the last instant of day 1 frees its slot at day 31 00:00, not 30×24 h later.
func TestQuotaCalendarDays_CP3(t *testing.T) {
	s := lcQuotaSeller(t, 7)
	lastOfDay1 := lcDay(2).Add(-time.Nanosecond)
	s = lcApply(t, s, lcSubmit("q1"), lastOfDay1)
	for i := 2; i <= 5; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), lcDate(3, 2, i))
	}
	lcRequireDecision(t, lcDecision(lcDay(31), lcQuotaReason(5)), lcQuota(t, lcEval, s, lcDay(31).Add(-time.Nanosecond)))
	s = lcApply(t, s, lcSubmit("q6"), lcDay(31))
	r := lcRefused(t, s, lcSubmit("q7"), lcDay(31))
	lcRequireDecision(t, lcDecision(lcDay(32), lcQuotaReason(5)), r.Decision)
}

// CP-3 with QuotaCalendarDays off: a rolling window of 30×24 h, (at − 30×24h, at]; a slot frees
// exactly 30×24 h after the submission that leaves, the instant the decision names.
func TestQuotaRolling_CP3(t *testing.T) {
	p := collabplus.DefaultPolicy()
	p.QuotaCalendarDays = false
	e := collabplus.MustNew(p, lcCom)
	s := lcQuotaSeller(t, 7)
	first := lcDate(3, 1, 10)
	for i := 1; i <= 5; i++ {
		s = lcApplyWith(t, e, s, lcSubmit(fmt.Sprintf("q%d", i)), first.Add(time.Duration(i-1)*time.Minute))
	}
	next := first.Add(30 * 24 * time.Hour)
	require.Equal(t, lcDate(3, 31, 10), next)
	r := lcRefusedWith(t, e, s, lcSubmit("q6"), next.Add(-time.Nanosecond))
	lcRequireDecision(t, lcDecision(next, lcQuotaReason(5)), r.Decision)
	lcRefusedWith(t, e, s, lcSubmit("q6"), lcDay(31))
	s = lcApplyWith(t, e, s, lcSubmit("q6"), next)
	r = lcRefusedWith(t, e, s, lcSubmit("q7"), next)
	lcRequireDecision(t, lcDecision(next.Add(time.Minute), lcQuotaReason(5)), r.Decision)
}

// CP-3: expired and recalled collaborations count by default; a policy leaving them out frees
// their slots when they expire or are recalled, and a collaboration pending payment counts.
func TestQuotaExpiredRecalled_CP3(t *testing.T) {
	s := lcQuotaSeller(t, 6)
	for i := 1; i <= 5; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), lcDate(3, 1, 9+i)) // due 2 March 10:00 … 14:00
	}
	afterDue := lcDate(3, 3, 0)
	require.Equal(t, collabplus.Expired, lcCollab(t, s, "q1").StateAt(afterDue))
	lcRequireDecision(t, lcDecision(lcDay(31), lcQuotaReason(5)), lcRefused(t, s, lcSubmit("q6"), afterDue).Decision)

	p := collabplus.DefaultPolicy()
	p.QuotaCountsExpired = false
	noExpired := collabplus.MustNew(p, lcCom)
	// While all five are pending they count; the first slot opens when q1 expires, 24 h after
	// its submission, if it is not paid by then.
	pending := lcDate(3, 2, 9)
	r := lcRefusedWith(t, noExpired, s, lcSubmit("q6"), pending)
	lcRequireDecision(t, lcDecision(lcDate(3, 2, 10), lcQuotaReason(5)), r.Decision)
	lcRequireDecision(t, r.Decision, lcQuota(t, noExpired, s, pending))
	lcRefusedWith(t, noExpired, s, lcSubmit("q6"), lcDate(3, 2, 10).Add(-time.Nanosecond))
	lcApplyWith(t, noExpired, s, lcSubmit("q6"), lcDate(3, 2, 10))
	lcApplyWith(t, noExpired, s, lcSubmit("q6"), afterDue)
	// Paid ones count under that policy: q1 paid leaves the next slot to q2's expiry.
	paid := lcApplyWith(t, noExpired, s, collabplus.Pay("q1", "credit_card"), pending)
	r = lcRefusedWith(t, noExpired, paid, lcSubmit("q6"), pending)
	lcRequireDecision(t, lcDecision(lcDate(3, 2, 11), lcQuotaReason(5)), r.Decision)

	// Recalled: five paid, q3 recalled on 5 March.
	s = lcQuotaSeller(t, 6)
	for i := 1; i <= 5; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), lcDate(3, 1, 9+i))
		s = lcApply(t, s, collabplus.Pay(fmt.Sprintf("q%d", i), "credit_card"), lcDate(3, 1, 9+i))
	}
	s = lcApply(t, s, collabplus.Recall("q3"), lcDate(3, 5, 0))
	lcRefused(t, s, lcSubmit("q6"), lcDate(3, 5, 0))
	p = collabplus.DefaultPolicy()
	p.QuotaCountsRecalled = false
	noRecalled := collabplus.MustNew(p, lcCom)
	lcRequireDecision(t, affrules.Decide(), lcQuota(t, noRecalled, s, lcDate(3, 5, 0)))
	lcApplyWith(t, noRecalled, s, lcSubmit("q6"), lcDate(3, 5, 0))
	lcRequireDecision(t, lcDecision(lcDay(31), lcQuotaReason(5)), lcQuota(t, noRecalled, s, lcDate(3, 5, 0).Add(-time.Nanosecond)))
}

// CP-17, CP-3: a seller not allowlisted is refused for CP-17 alone; the refusal counts nothing
// and records nothing, so the quota's five slots stay free; a market the policy opens needs no
// allowlisting.
func TestAllowlist_CP17(t *testing.T) {
	s := lcQuotaSeller(t, 6)
	notListed := lcFacts([]string{lcProduct})
	notListed.Allowlisted = false
	r := lcRefused(t, s, collabplus.Submit("q1", notListed), lcDate(3, 1, 9))
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleAllowlist, Key: lcKeyAllowlist, Subject: lcShop}), r.Decision)
	require.Contains(t, r.Error(), "by invitation only")
	for i := 1; i <= 4; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), lcDate(3, 1, 9))
		lcRefused(t, s, collabplus.Submit(fmt.Sprintf("q%d", i+1), notListed), lcDate(3, 1, 9))
	}
	s = lcApply(t, s, lcSubmit("q5"), lcDate(3, 1, 10))
	require.Len(t, s.Submissions, 5, "CP-17 refusals counted nothing")

	// Both rules fail: both reasons, and no next instant (time alone does not help).
	r = lcRefused(t, s, collabplus.Submit("q6", notListed), lcDate(3, 1, 11))
	lcRequireDecision(t, lcDecision(time.Time{},
		affrules.Reason{Rule: collabplus.RuleAllowlist, Key: lcKeyAllowlist, Subject: lcShop}, lcQuotaReason(5)), r.Decision)

	p := collabplus.DefaultPolicy()
	p.OpenMarkets = []affrules.MarketCode{affrules.TH}
	open := collabplus.MustNew(p, lcCom)
	lcApplyWith(t, open, lcQuotaSeller(t, 1), collabplus.Submit("q1", notListed), lcDate(3, 1, 9))
	p.OpenMarkets = []affrules.MarketCode{affrules.MY}
	lcRefusedWith(t, collabplus.MustNew(p, lcCom), lcQuotaSeller(t, 1), collabplus.Submit("q1", notListed), lcDate(3, 1, 9))
}

// CP-7, CP-3: an accepted submission records the Submitted event with its due instant, the
// creation log entry and the group as it is; a refused one records none of them.
func TestSubmitRecords_CP3_CP7(t *testing.T) {
	s := lcQuotaSeller(t, 1)
	at := lcDate(3, 1, 9)
	got := lcApply(t, s, lcSubmit("q1"), at)
	require.Equal(t, []collabplus.Submission{{Collaboration: "q1", At: at}}, got.Submissions)
	c := lcCollab(t, got, "q1")
	require.Equal(t, []collabplus.Event{{Kind: collabplus.Submitted, At: at, Due: at.Add(24 * time.Hour)}}, c.Events)
	require.NotNil(t, c.Group)
	require.Equal(t, s.Groups[0], *c.Group)
	require.Nil(t, lcCollab(t, s, "q1").Group, "a draft has no group snapshot")

	bad := lcTask(lcDays(lcDate(3, 1, 0), 13))
	s = lcApply(t, s, collabplus.Edit("q1", bad), at)
	lcRefused(t, s, lcSubmit("q1"), at) // lcRefused requires the record unchanged
}

// CP-2: durations in market-calendar days, first and last included, bounds inclusive: a task
// runs 14–120 days, a challenge 14–60; outside, the refusal observes the days and names the
// bound of the type it crosses: too short below the minimum, too long above the maximum.
func TestDuration_CP2(t *testing.T) {
	start := lcDate(3, 1, 0)
	at := lcDate(2, 10, 9)
	for _, tc := range []struct {
		typ  collabplus.Type
		days int
		ok   bool
	}{
		{collabplus.Task, 14, true}, {collabplus.Task, 120, true}, {collabplus.Task, 13, false}, {collabplus.Task, 121, false},
		{collabplus.Task, 1, false}, {collabplus.Task, 60, true},
		{collabplus.Challenge, 14, true}, {collabplus.Challenge, 60, true}, {collabplus.Challenge, 13, false}, {collabplus.Challenge, 61, false},
		{collabplus.Challenge, 120, false},
	} {
		t.Run(fmt.Sprintf("%v/%d", tc.typ, tc.days), func(t *testing.T) {
			terms, max := lcTask(lcDays(start, tc.days)), 120
			if tc.typ == collabplus.Challenge {
				terms, max = lcChallenge(lcDays(start, tc.days)), 60
			}
			key, limit := lcKeyTooShort, 14
			if tc.days > max {
				key, limit = lcKeyTooLong, max
			}
			s := lcDraft(t, lcSeller(t), "c1", terms, lcT0)
			if tc.ok {
				lcApply(t, s, lcSubmit("c1"), at)
				return
			}
			r := lcRefused(t, s, lcSubmit("c1"), at)
			lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleDuration, Key: key,
				Observed: affrules.Count(int64(tc.days)), Limit: affrules.Count(int64(limit)), Subject: "c1"}), r.Decision)
		})
	}
	// The policy's bounds.
	p := collabplus.DefaultPolicy()
	p.TaskDays = collabplus.Days{Min: 20, Max: 30}
	e := collabplus.MustNew(p, lcCom)
	for _, tc := range []struct {
		days  int
		key   affrules.MessageKey // zero: accepted
		limit int
	}{{19, lcKeyTooShort, 20}, {20, "", 0}, {30, "", 0}, {31, lcKeyTooLong, 30}} {
		s := lcDraft(t, lcSeller(t), "c1", lcTask(lcDays(start, tc.days)), lcT0)
		if tc.key == "" {
			lcApplyWith(t, e, s, lcSubmit("c1"), at)
			continue
		}
		r := lcRefusedWith(t, e, s, lcSubmit("c1"), at)
		lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleDuration, Key: tc.key,
			Observed: affrules.Count(int64(tc.days)), Limit: affrules.Count(int64(tc.limit)), Subject: "c1"}), r.Decision)
	}
}

// CP-2, MKT-2: a UK period across a daylight-saving change is counted in calendar days, not
// 24-hour spans: 20 March – 2 April 2026 (the clocks go forward on 29 March) is 14 days of 335
// hours, 20 October – 2 November (back on 25 October) 14 days of 337 hours; one day less is
// refused in both. A London midnight after the change given as a UTC midnight is not whole days.
func TestDurationAcrossDST_CP2(t *testing.T) {
	london := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, lcLondon) }
	spring := affrules.Period{Start: london(3, 20), End: london(4, 3)}
	autumn := affrules.Period{Start: london(10, 20), End: london(11, 3)}
	require.Equal(t, 335*time.Hour, spring.Duration())
	require.Equal(t, 337*time.Hour, autumn.Duration())
	at := lcT0
	for _, tc := range []struct {
		name string
		p    affrules.Period
		days int
	}{
		{"spring 14", spring, 14},
		{"spring 13", affrules.Period{Start: spring.Start, End: london(4, 2)}, 13},
		{"autumn 14", autumn, 14},
		{"autumn 13", affrules.Period{Start: autumn.Start, End: london(11, 2)}, 13},
		{"autumn 121", affrules.Period{Start: london(7, 5), End: london(11, 3)}, 121},
		{"spring 120", affrules.Period{Start: london(3, 1), End: london(6, 29)}, 120},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := lcDraft(t, lcNewSeller(t, affrules.UK), "c1", lcTask(tc.p), lcT0)
			f := lcFacts(nil)
			f.Eligibility = []eligibility.Result{lcEligible(lcProduct, lcShop, affrules.UK)}
			if tc.days >= 14 && tc.days <= 120 {
				lcApply(t, s, collabplus.Submit("c1", f), at)
				return
			}
			key, limit := lcKeyTooShort, 14
			if tc.days > 120 {
				key, limit = lcKeyTooLong, 120
			}
			r := lcRefused(t, s, collabplus.Submit("c1", f), at)
			lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleDuration, Key: key,
				Observed: affrules.Count(int64(tc.days)), Limit: affrules.Count(int64(limit)), Subject: "c1"}), r.Decision)
		})
	}
	// 3 April 00:00 UTC is 01:00 in London (BST): not a local midnight.
	s := lcDraft(t, lcNewSeller(t, affrules.UK), "c1", lcTask(affrules.Period{Start: spring.Start, End: time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC)}), lcT0)
	f := lcFacts(nil)
	f.Eligibility = []eligibility.Result{lcEligible(lcProduct, lcShop, affrules.UK)}
	lcBad(t, s, collabplus.Submit("c1", f), at, "preferences.period")
	// 20 March 00:00 UTC is a London midnight (GMT): whole days.
	s = lcDraft(t, lcNewSeller(t, affrules.UK), "c1", lcTask(affrules.Period{Start: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), End: spring.End}), lcT0)
	lcApply(t, s, collabplus.Submit("c1", f), at)
}

// CP-2: periods that are not whole days of the seller's market, inverted, empty or out of the
// library's bounds are bad input naming the period; the submission records nothing.
func TestPeriodShape_CP2(t *testing.T) {
	at := lcDate(2, 10, 9)
	mar := func(d, h int) time.Time { return lcDate(3, d, h) }
	for _, tc := range []struct {
		name   string
		p      affrules.Period
		fields []string
	}{
		{"starts at 01:00", affrules.Period{Start: mar(1, 1), End: mar(15, 0)}, []string{"preferences.period"}},
		{"ends at 23:59:59.999999999", affrules.Period{Start: mar(1, 0), End: mar(15, 0).Add(-time.Nanosecond)}, []string{"preferences.period"}},
		{"UTC midnights", affrules.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)}, []string{"preferences.period"}},
		{"inverted", affrules.Period{Start: mar(15, 0), End: mar(1, 0)}, []string{"preferences.period"}},
		{"empty", affrules.Period{Start: mar(1, 0), End: mar(1, 0)}, []string{"preferences.period"}},
		{"zero", affrules.Period{}, []string{"preferences.period.start", "preferences.period.end"}},
		{"start in 1899", affrules.Period{Start: time.Date(1899, 12, 31, 0, 0, 0, 0, lcBKK), End: mar(15, 0)}, []string{"preferences.period.start"}},
		{"end in 2200", affrules.Period{Start: mar(1, 0), End: time.Date(2200, 1, 2, 0, 0, 0, 0, lcBKK)}, []string{"preferences.period.end"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := lcDraft(t, lcSeller(t), "c1", lcTask(tc.p), lcT0)
			err := lcBad(t, s, lcSubmit("c1"), at, tc.fields...)
			if tc.name == "inverted" || tc.name == "empty" {
				require.ErrorIs(t, err, affrules.ErrInvertedPeriod)
			}
		})
	}
}

// CP-7: a collaboration is submitted before its period starts: at the start instant it is
// refused, observing the submission and limited by the start; 1ns before, it is accepted.
func TestSubmitBeforeStart_CP7(t *testing.T) {
	p := lcDays(lcDate(3, 1, 0), 14)
	s := lcDraft(t, lcSeller(t), "c1", lcTask(p), lcT0)
	for _, at := range []time.Time{p.Start, p.Start.Add(time.Hour)} {
		r := lcRefused(t, s, lcSubmit("c1"), at)
		lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyStarted,
			Observed: affrules.Instant(at), Limit: affrules.Instant(p.Start), Subject: "c1"}), r.Decision)
	}
	lcApply(t, s, lcSubmit("c1"), p.Start.Add(-time.Nanosecond))
}

// lcOpenTerms returns an Open history entry from instant from.
func lcOpenTerms(from time.Time, t commission.Terms) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: t}
}

// CP-8: each exclusive rate must be strictly above the product's Open Collaboration rate:
// standard against the highest live Open standard (or upper tier) rate, shop ads against the
// highest rate a live Open entry pays a shop-ads order (its shop-ads rate, else its standard or
// upper tier rate); live over COM-10's 30-day delay of a decrease; at 80% (COM-9's maximum) no
// exclusive rate is possible, for shop ads too; a product not listed in Open, or no longer
// listed, has no floor. A refusal names the instant the Open rates stop holding the exclusive
// ones back when that comes before the period starts (MKT-5): the end of a decrease's delay, of
// a listing; an Open rate that never falls, or falls only after the start, names none.
func TestExclusiveRate_CP8(t *testing.T) {
	jan1 := lcDate(1, 1, 0)
	decrease := lcDate(1, 15, 10)
	at := lcDate(2, 20, 10)
	delayed := decrease.Add(30 * 24 * time.Hour) // the decrease reaches promoters already promoting
	r := lcRate
	open10 := lcOpen(lcProduct, lcFrom(jan1, "10%"))
	decreased := lcOpen(lcProduct, lcFrom(jan1, "12%"), lcFrom(decrease, "10%"))
	increased := lcOpen(lcProduct, lcFrom(jan1, "10%"), lcFrom(at.Add(-time.Hour), "12%"))
	tiered := lcOpen(lcProduct, lcOpenTerms(jan1, commission.Terms{Rate: r("10%"), Tier: &commission.Tier{Threshold: 10, Rate: r("15%")}}))
	shopAds := lcOpen(lcProduct, lcOpenTerms(jan1, commission.Terms{Rate: r("10%"), ShopAds: r("12%")}))
	max := lcOpen(lcProduct, lcFrom(jan1, "80%"))
	ended := lcOpen(lcProduct, lcFrom(jan1, "10%"))
	ended.Period.End = lcDate(2, 15, 0)
	future := lcOpen(lcProduct, lcFrom(lcDate(3, 1, 0), "10%"))
	future.Period.Start = lcDate(3, 1, 0)
	// 20% with no shop-ads rate, then, 5 days before at, 10% with a shop-ads rate of 12%: the
	// decrease is delayed, so a shop-ads order may still be paid 20% (the first entry's
	// standard rate), above the second entry's shop-ads rate.
	perEntry := lcOpen(lcProduct, lcFrom(jan1, "20%"), lcOpenTerms(at.Add(-5*24*time.Hour), commission.Terms{Rate: r("10%"), ShopAds: r("12%")}))
	perEntryDecreased := lcOpen(lcProduct, lcFrom(jan1, "20%"), lcOpenTerms(decrease, commission.Terms{Rate: r("10%"), ShopAds: r("12%")}))
	shopAdsMax := lcOpen(lcProduct, lcOpenTerms(jan1, commission.Terms{Rate: r("10%"), ShopAds: r("80%")}))

	// When only time stands in the way, before the period starts (MKT-5); none elsewhere.
	nexts := map[string]time.Time{
		"decrease 30×24h−1ns ago":         delayed,
		"shop ads before the delay's end": delayed,
		"listing ended 1ns later":         ended.Period.End,
	}
	notAbove := func(observed, limit affrules.Rate, subject string) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleExclusiveRates, Key: lcKeyNotAbove, Observed: affrules.RateOf(observed), Limit: affrules.RateOf(limit), Subject: subject}
	}
	for _, tc := range []struct {
		name string
		p    collabplus.Product
		open commission.Offer
		at   time.Time
		want []affrules.Reason
	}{
		{"equal to Open", collabplus.Product{ID: lcProduct, Rate: r("10%")}, open10, at, []affrules.Reason{notAbove(r("10%"), r("10%"), lcProduct)}},
		{"1e-9 above Open", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("10%"))}, open10, at, nil},
		{"below Open", collabplus.Product{ID: lcProduct, Rate: r("5%")}, open10, at, []affrules.Reason{notAbove(r("5%"), r("10%"), lcProduct)}},
		{"no exclusive rate", collabplus.Product{ID: lcProduct}, max, at, nil},
		{"decrease 30×24h ago", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("10%"))}, decreased, delayed, nil},
		{"decrease 30×24h−1ns ago", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("10%"))}, decreased, delayed.Add(-time.Nanosecond),
			[]affrules.Reason{notAbove(lcAbove(r("10%")), r("12%"), lcProduct)}},
		{"above the rate before the decrease", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("12%"))}, decreased, delayed.Add(-time.Nanosecond), nil},
		{"increase applies at once", collabplus.Product{ID: lcProduct, Rate: r("11%")}, increased, at, []affrules.Reason{notAbove(r("11%"), r("12%"), lcProduct)}},
		{"upper tier counts", collabplus.Product{ID: lcProduct, Rate: r("15%")}, tiered, at, []affrules.Reason{notAbove(r("15%"), r("15%"), lcProduct)}},
		{"above the upper tier", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("15%"))}, tiered, at, nil},
		{"shop ads vs Open shop ads", collabplus.Product{ID: lcProduct, Rate: r("11%"), ShopAds: r("12%")}, shopAds, at,
			[]affrules.Reason{notAbove(r("12%"), r("12%"), lcProduct+" shop ads")}},
		{"shop ads above Open shop ads", collabplus.Product{ID: lcProduct, Rate: r("11%"), ShopAds: lcAbove(r("12%"))}, shopAds, at, nil},
		{"shop ads vs Open standard", collabplus.Product{ID: lcProduct, Rate: r("11%"), ShopAds: r("10%")}, open10, at,
			[]affrules.Reason{notAbove(r("10%"), r("10%"), lcProduct+" shop ads")}},
		{"shop ads above Open standard", collabplus.Product{ID: lcProduct, Rate: r("11%"), ShopAds: lcAbove(r("10%"))}, open10, at, nil},
		{"both not above", collabplus.Product{ID: lcProduct, Rate: r("10%"), ShopAds: r("12%")}, shopAds, at,
			[]affrules.Reason{notAbove(r("10%"), r("10%"), lcProduct), notAbove(r("12%"), r("12%"), lcProduct+" shop ads")}},
		{"standard above, shop ads not", collabplus.Product{ID: lcProduct, Rate: r("12%"), ShopAds: r("11%")}, shopAds, at,
			[]affrules.Reason{notAbove(r("11%"), r("12%"), lcProduct+" shop ads")}},
		{"Open at the maximum", collabplus.Product{ID: lcProduct, Rate: r("80%")}, max, at, []affrules.Reason{{Rule: collabplus.RuleExclusiveRates,
			Key: lcKeyNoneAbove, Observed: affrules.RateOf(r("80%")), Limit: affrules.RateOf(r("80%")), Subject: lcProduct}}},
		{"shop ads vs each entry as paid", collabplus.Product{ID: lcProduct, Rate: r("21%"), ShopAds: r("15%")}, perEntry, at,
			[]affrules.Reason{notAbove(r("15%"), r("20%"), lcProduct+" shop ads")}},
		{"shop ads equal to an earlier entry's standard", collabplus.Product{ID: lcProduct, Rate: r("21%"), ShopAds: r("20%")}, perEntry, at,
			[]affrules.Reason{notAbove(r("20%"), r("20%"), lcProduct+" shop ads")}},
		{"shop ads above every entry as paid", collabplus.Product{ID: lcProduct, Rate: r("21%"), ShopAds: lcAbove(r("20%"))}, perEntry, at, nil},
		{"shop ads before the delay's end", collabplus.Product{ID: lcProduct, Rate: r("21%"), ShopAds: r("15%")}, perEntryDecreased,
			delayed.Add(-time.Nanosecond), []affrules.Reason{notAbove(r("15%"), r("20%"), lcProduct+" shop ads")}},
		{"shop ads at the delay's end", collabplus.Product{ID: lcProduct, Rate: lcAbove(r("10%")), ShopAds: lcAbove(r("12%"))}, perEntryDecreased,
			delayed, nil},
		{"Open shop ads at the maximum", collabplus.Product{ID: lcProduct, Rate: r("11%"), ShopAds: r("50%")}, shopAdsMax, at,
			[]affrules.Reason{{Rule: collabplus.RuleExclusiveRates, Key: lcKeyNoneAbove, Observed: affrules.RateOf(r("80%")),
				Limit: affrules.RateOf(r("80%")), Subject: lcProduct + " shop ads"}}},
		{"Open shop ads at the maximum, no exclusive shop-ads rate", collabplus.Product{ID: lcProduct, Rate: r("11%")}, shopAdsMax, at, nil},
		{"no exclusive shop-ads rate, standard below Open shop ads (pairwise)", collabplus.Product{ID: lcProduct, Rate: r("11%")}, shopAds, at, nil},
		{"listing ended", collabplus.Product{ID: lcProduct, Rate: r("1%")}, ended, at, nil},
		{"listing ended 1ns later", collabplus.Product{ID: lcProduct, Rate: r("1%")}, ended, ended.Period.End.Add(-time.Nanosecond),
			[]affrules.Reason{notAbove(r("1%"), r("10%"), lcProduct)}},
		{"listed from a later instant", collabplus.Product{ID: lcProduct, Rate: r("1%")}, future, at, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)), tc.p), lcT0)
			a := collabplus.Submit("c1", lcFacts([]string{lcProduct}, tc.open))
			if len(want) == 0 {
				lcApply(t, s, a, tc.at)
				return
			}
			next := nexts[tc.name]
			lcRequireDecision(t, lcDecision(next, want...), lcRefused(t, s, a, tc.at).Decision)
			if !next.IsZero() {
				lcApply(t, s, a, next) // allowed then, with nothing else changed
			}
		})
	}
	// Open at the maximum: the message says so.
	s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)), collabplus.Product{ID: lcProduct, Rate: r("50%")}), lcT0)
	refusal := lcRefused(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, max)), at)
	require.Contains(t, refusal.Error(), "no exclusive rate is possible")
}

// CP-8: every product's rates are checked, each failure listed: two products both not above
// their Open rates give two reasons.
func TestExclusiveRateEveryProduct_CP8(t *testing.T) {
	jan1 := lcDate(1, 1, 0)
	terms := lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)),
		collabplus.Product{ID: "p1", Rate: lcRate("10%")}, collabplus.Product{ID: "p2", Rate: lcRate("20%")}, collabplus.Product{ID: "p3", Rate: lcRate("5%")})
	s := lcDraft(t, lcSeller(t), "c1", terms, lcT0)
	f := lcFacts([]string{"p1", "p2", "p3"}, lcOpen("p1", lcFrom(jan1, "10%")), lcOpen("p2", lcFrom(jan1, "25%")))
	r := lcRefused(t, s, collabplus.Submit("c1", f), lcDate(2, 20, 10))
	lcRequireDecision(t, lcDecision(time.Time{},
		affrules.Reason{Rule: collabplus.RuleExclusiveRates, Key: lcKeyNotAbove, Observed: affrules.RateOf(lcRate("10%")), Limit: affrules.RateOf(lcRate("10%")), Subject: "p1"},
		affrules.Reason{Rule: collabplus.RuleExclusiveRates, Key: lcKeyNotAbove, Observed: affrules.RateOf(lcRate("20%")), Limit: affrules.RateOf(lcRate("25%")), Subject: "p2"},
	), r.Decision)
}

// CP-8: facts' Open offers must be OPEN offers of the seller's market; an exclusive shop-ads
// rate needs an exclusive standard rate beside it; both are bad input.
func TestExclusiveRateBadInput_CP8(t *testing.T) {
	jan1 := lcDate(1, 1, 0)
	at := lcDate(2, 20, 10)
	s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)), collabplus.Product{ID: lcProduct, Rate: lcRate("15%")}), lcT0)
	my := lcOpen(lcProduct, lcFrom(jan1, "10%"))
	my.Market = affrules.MY
	target := lcOpen(lcProduct, lcFrom(jan1, "10%"))
	target.Source, target.Coverage, target.Creators = commission.Target, commission.Listed, []string{"mali"}
	lcBad(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, my)), at, "facts.open[0]")
	lcBad(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, lcOpen(lcProduct, lcFrom(jan1, "10%")), target)), at, "facts.open[1]")

	s = lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)), collabplus.Product{ID: lcProduct, ShopAds: lcRate("15%")}), lcT0)
	lcBad(t, s, lcSubmit("c1"), at, "preferences.products[0].shop_ads")
}

// ELG-9: an ineligible product is refused with ELG-9, observing its state, followed by the
// failed reasons of the eligibility result itself (its not-applicable ones left out);
// eligibility results missing, of another shop or market, or not evaluated are bad input.
func TestEligibleProducts_ELG9(t *testing.T) {
	at := lcDate(2, 20, 10)
	terms := lcWith(lcTask(lcDays(lcDate(3, 1, 0), 14)), collabplus.Product{ID: "p1"}, collabplus.Product{ID: "p2"})
	s := lcDraft(t, lcSeller(t), "c1", terms, lcT0)
	elg3 := affrules.Reason{Rule: "ELG-3", Key: "eligibility.elg3.failed", Observed: affrules.Ratio(6, 500), Limit: affrules.RateOf(lcRate("1%")), Subject: "electronics"}
	elg4 := affrules.Reason{Rule: "ELG-4", Kind: affrules.NotApplicable, Key: "eligibility.elg4.not_applicable", Observed: affrules.Count(2), Limit: affrules.Count(5)}
	f := lcFacts([]string{"p1"})
	f.Eligibility = append(f.Eligibility, eligibility.Result{ID: "p2", ShopID: lcShop, Market: affrules.TH,
		State: eligibility.TemporarilyDisqualified, Scope: eligibility.ProductScope, Decision: affrules.Decide(elg3, elg4)})
	r := lcRefused(t, s, collabplus.Submit("c1", f), at)
	lcRequireDecision(t, lcDecision(time.Time{},
		affrules.Reason{Rule: collabplus.RuleEligibleProducts, Key: lcKeyIneligible, Observed: affrules.Text("temporarily_disqualified"), Limit: affrules.Text("eligible"), Subject: "p2"},
		elg3), r.Decision)

	f.Eligibility[1].State, f.Eligibility[1].Decision = eligibility.PermanentlyDisqualified, affrules.Decide()
	r = lcRefused(t, s, collabplus.Submit("c1", f), at)
	lcRequireDecision(t, lcDecision(time.Time{},
		affrules.Reason{Rule: collabplus.RuleEligibleProducts, Key: lcKeyIneligible, Observed: affrules.Text("permanently_disqualified"), Limit: affrules.Text("eligible"), Subject: "p2"}), r.Decision)

	// Results for other products are ignored.
	f = lcFacts([]string{"p1", "p2", "p9"})
	f.Eligibility[2].State = eligibility.PermanentlyDisqualified
	lcApply(t, s, collabplus.Submit("c1", f), at)

	for _, tc := range []struct {
		name  string
		edit  func(*eligibility.Result)
		field string
	}{
		{"missing", func(r *eligibility.Result) { r.ID = "p9" }, "facts.eligibility[p2]"},
		{"another shop", func(r *eligibility.Result) { r.ShopID = "shop-2" }, "facts.eligibility[p2].shop_id"},
		{"another market", func(r *eligibility.Result) { r.Market = affrules.MY }, "facts.eligibility[p2].market"},
		{"not evaluated", func(r *eligibility.Result) { r.State = eligibility.Unevaluated }, "facts.eligibility[p2].state"},
		{"unknown state", func(r *eligibility.Result) { r.State = 9 }, "facts.eligibility[p2].state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := lcFacts([]string{"p1", "p2"})
			tc.edit(&f.Eligibility[1])
			lcBad(t, s, collabplus.Submit("c1", f), at, tc.field)
		})
	}
}

// MKT-5: a submission failing every rule at once lists every reason, in the order CP-17,
// CP-3, CP-2, CP-7, ELG-9, CP-8, with no next instant.
func TestSubmitEveryReason(t *testing.T) {
	s := lcQuotaSeller(t, 5)
	for i := 1; i <= 5; i++ {
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), lcDate(3, 1, 9))
	}
	short := lcDays(lcDate(3, 1, 0), 10)
	s = lcDraft(t, s, "bad", lcWith(lcTask(short), collabplus.Product{ID: lcProduct, Rate: lcRate("10%")}), lcDate(3, 1, 9))
	f := lcFacts(nil, lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "10%")))
	f.Allowlisted = false
	f.Eligibility = []eligibility.Result{{ID: lcProduct, ShopID: lcShop, Market: affrules.TH, State: eligibility.TemporarilyDisqualified}}
	at := lcDate(3, 1, 12)
	r := lcRefused(t, s, collabplus.Submit("bad", f), at)
	var rules []affrules.RuleID
	for _, x := range r.Decision.Reasons {
		rules = append(rules, x.Rule)
	}
	require.Equal(t, []affrules.RuleID{"CP-17", "CP-3", "CP-2", "CP-7", "ELG-9", "CP-8"}, rules, "%v", r)
	require.True(t, r.Decision.NextAllowed.IsZero(), "time alone does not help")
}

// CP-8: a bad OPEN offer among a submission's facts is bad input of this package, named by its
// place in the facts.
func TestSubmitBadOpenFactNamed(t *testing.T) {
	s := lcDraft(t, lcSeller(t), "c1", lcTask(lcQuotaPeriod), lcT0)
	bad := lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "10%"))
	bad.ID, bad.Product = "bad", ""
	f := lcFacts([]string{lcProduct}, lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "10%")), bad)
	_, err := lcEval.Apply(s, collabplus.Submit("c1", f), lcT0)
	lcBadInput(t, err, "facts.open[1].product")
}

// CP-8: an Open offer of a product the collaboration does not hold (a mistyped ID) would leave
// the product's exclusive rate unchecked, and two Open offers of one product that commission
// would not list together are not its listing: both are bad input, named by their place.
func TestSubmitOpenFactsMustBeTheProductsListing_CP8(t *testing.T) {
	s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcQuotaPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate("15%")}), lcT0)
	open := lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), "20%"))
	for _, id := range []string{"P1", "p1 ", "p2"} {
		typo := open
		typo.Product = id
		_, err := lcEval.Apply(s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, typo)), lcT0)
		lcBadInput(t, err, "facts.open[0].product")
		require.ErrorContains(t, err, strconv.Quote(id)+`: is not a product of collaboration "c1"`)
	}
	second := open
	second.ID = "open-p1-again"
	_, err := lcEval.Apply(s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, open, second)), lcT0)
	lcBadInput(t, err, "facts.open[1].source")
	require.ErrorContains(t, err, "beside facts.open[0]")

	// Not listed on Open Collaboration, the product has no rate to be above.
	lcApply(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcT0)

	// The product's own listing, ended and relisted at the same rate, is sound.
	ended := open
	ended.Period.End = lcDate(1, 20, 0)
	relisted := open
	relisted.ID, relisted.Period.Start = "open-p1-relisted", lcDate(1, 25, 0)
	relisted.Rates = lcHistory(lcFrom(lcDate(1, 25, 0), "20%"))
	_, err = lcEval.Apply(s, collabplus.Submit("c1", lcFacts([]string{lcProduct}, ended, relisted)), lcT0)
	require.ErrorIs(t, err, affrules.ErrRefused, "%v", err) // CP-8: its rate is not above 20%
	var r *affrules.Refusal
	require.True(t, errors.As(err, &r))
	require.Equal(t, collabplus.RuleExclusiveRates, r.Decision.Reasons[len(r.Decision.Reasons)-1].Rule, "%v", r)
}

// MKT-5, CP-3, CP-8, CP-7: refused by the quota and by an Open rate still counting after a
// decrease, a submission is told the first instant both let it through, if that comes before
// the period starts: the quota's slot when the decrease's delay ends first, the delay's end when
// it comes later, and none when the delay runs past the start.
func TestQuotaAndOpenRateNextAllowed_CP3_CP8(t *testing.T) {
	s := lcQuotaSeller(t, 5)
	for i := 1; i <= 5; i++ {
		at := lcDate(3, 1, 8+i)
		s = lcApply(t, s, lcSubmit(fmt.Sprintf("q%d", i)), at)
		s = lcApply(t, s, collabplus.Pay(fmt.Sprintf("q%d", i), "credit_card"), at)
	}
	at := lcDate(3, 10, 12)
	s = lcDraft(t, s, "x", lcWith(lcTask(lcQuotaPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate("11%")}), at)
	jan1 := lcDate(1, 1, 0)
	for _, tc := range []struct {
		name     string
		decrease time.Time
		next     time.Time
	}{
		{"delay ends before the quota's slot", lcDate(2, 10, 0), lcDay(31)},
		{"delay ends after the quota's slot", lcDate(3, 8, 0), lcDate(3, 8, 0).Add(30 * 24 * time.Hour)},
		{"delay ends after the start", lcDate(3, 17, 0), time.Time{}}, // a decrease already scheduled
	} {
		t.Run(tc.name, func(t *testing.T) {
			open := lcOpen(lcProduct, lcFrom(jan1, "12%"), lcFrom(tc.decrease, "10%"))
			f := lcFacts([]string{lcProduct}, open)
			r := lcRefused(t, s, collabplus.Submit("x", f), at)
			require.True(t, r.Decision.Failed(collabplus.RuleQuota) && r.Decision.Failed(collabplus.RuleExclusiveRates), "%v", r.Decision)
			require.True(t, r.Decision.NextAllowed.Equal(tc.next), "next allowed %v, want %v", r.Decision.NextAllowed, tc.next)
			if !tc.next.IsZero() {
				lcApply(t, s, collabplus.Submit("x", f), tc.next)
			}
		})
	}
}

// CP-3, MKT-5: a quota full late in 2199 frees a slot only in 2200, an instant no evaluator
// accepts: the decision announces none, under the calendar and the rolling window alike.
func TestQuotaNextAllowedBeyond2199_CP3(t *testing.T) {
	lon, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	base := time.Date(2199, 12, 20, 0, 30, 0, 0, lon)
	for _, calendar := range []bool{true, false} {
		p := collabplus.DefaultPolicy()
		p.QuotaCalendarDays = calendar
		p.OpenMarkets = p.Markets
		e := collabplus.MustNew(p, lcCom)
		s := collabplus.Seller{ID: "s", Market: affrules.UK, Updated: base}
		for i := range 5 {
			s.Submissions = append(s.Submissions, collabplus.Submission{Collaboration: fmt.Sprint("c", i), At: base.Add(time.Duration(i) * time.Minute)})
		}
		d, err := e.Quota(s, base.Add(10*time.Minute))
		require.NoError(t, err)
		require.False(t, d.Allowed)
		require.True(t, d.NextAllowed.IsZero(), "calendar %v: next allowed %v, after the last instant accepted", calendar, d.NextAllowed)
		// A month earlier, the slot frees within the bounds and is announced.
		s.Updated = base.AddDate(0, -1, 0)
		for i := range s.Submissions {
			s.Submissions[i].At = s.Submissions[i].At.AddDate(0, -1, 0)
		}
		d, err = e.Quota(s, base.AddDate(0, -1, 0).Add(10*time.Minute))
		require.NoError(t, err)
		require.False(t, d.Allowed)
		require.False(t, d.NextAllowed.IsZero(), "calendar %v", calendar)
	}
}

// CP-8: a Submit action holds its Open offers as given when it was built: a host that changes an
// offer's tier (shared by pointer) before the action is applied changes nothing it is judged on.
func TestSubmitKeepsTheOpenOffersAsBuilt_CP8(t *testing.T) {
	s := lcDraft(t, lcSeller(t), "c1", lcWith(lcTask(lcQuotaPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate("25%")}), lcT0)
	tier := &commission.Tier{Threshold: 100, Rate: lcRate("30%")}
	open := lcOpen(lcProduct, affrules.Effective[commission.Terms]{From: lcDate(1, 1, 0), Value: commission.Terms{Rate: lcRate("20%"), Tier: tier}})
	a := collabplus.Submit("c1", lcFacts([]string{lcProduct}, open))
	tier.Rate = lcRate("21%") // the host's next offer
	r := lcRefused(t, s, a, lcT0)
	require.Equal(t, affrules.RateOf(lcRate("30%")), r.Decision.Reasons[len(r.Decision.Reasons)-1].Limit, "%v", r)
}

// CP-9, MKT-6: no instant from 2200 on is accepted, so a collaboration whose deposit refund
// window, 7 to 14 days after its end, would close then is refused at submission (its refund
// could never be recorded), naming its end: in Bangkok, an end at the midnight starting
// 19 December 2199 puts the window's end at 2 January 2200 local time, past the bound; a day
// earlier it ends at the local midnight starting 2200, 17:00 UTC on 31 December, in bounds.
func TestSubmitRefundWindowInBounds_CP9_CP7(t *testing.T) {
	at := time.Date(2199, 11, 20, 9, 0, 0, 0, marketZone(affrules.TH))
	ok := lcTask(days(affrules.TH, 2199, time.December, 4, 2199, time.December, 17))
	lcSubmitted(t, lcSeller(t), "c1", ok, at)
	late := lcTask(days(affrules.TH, 2199, time.December, 5, 2199, time.December, 18))
	err := lcBad(t, lcDraft(t, lcSeller(t), "c1", late, at), collabplus.Submit("c1", lcFactsFor(late)), at, "preferences.period.end")
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.ErrorContains(t, err, "refund could never be recorded (CP-9)")

	// CP-7: under a policy whose recall refunds are due up to 400 days after the recall, a
	// collaboration starting in March 2199 could be recalled at its start with a refund due in
	// 2200: refused, naming its start; one starting 400 days before the bound is not.
	p := collabplus.DefaultPolicy()
	p.RecallRefundDays = collabplus.Days{Min: 7, Max: 400}
	e := collabplus.MustNew(p, lcCom)
	spring := lcTask(days(affrules.TH, 2199, time.March, 1, 2199, time.March, 14))
	err = lcBadWith(t, e, lcDraft(t, lcSeller(t), "c1", spring, at.AddDate(0, -9, 0)), collabplus.Submit("c1", lcFactsFor(spring)), at.AddDate(0, -9, 0), "preferences.period.start")
	require.ErrorContains(t, err, "refund could never be recorded (CP-7)")
	early := lcTask(days(affrules.TH, 2198, time.November, 26, 2198, time.December, 9))
	lcApplyWith(t, e, lcDraft(t, lcSeller(t), "c1", early, at.AddDate(-1, -1, 0)), collabplus.Submit("c1", lcFactsFor(early)), at.AddDate(-1, -1, 0))
}
