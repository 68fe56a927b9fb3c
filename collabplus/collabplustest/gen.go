package collabplustest

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/level"
)

// Policy draws valid Collaboration Plus policies: variations of [collabplus.DefaultPolicy] with
// the quota (limit, days, calendar or rolling, expired and recalled ones counted or not), the
// duration bounds, the payment window and the sample lead time moved around the catalog's
// values, markets left out or opened to every seller, and the flags switched. Every policy it
// draws passes [collabplus.Policy.Validate]; many break one of the [Properties] on purpose, as
// a host's edit might.
func Policy() *rapid.Generator[collabplus.Policy] {
	return rapid.Custom(func(t *rapid.T) collabplus.Policy {
		p := collabplus.DefaultPolicy()
		straddle := func(label string, v, lo, hi int) int {
			return int(affrulestest.Straddle(int64(v)).Filter(func(n int64) bool { return n >= int64(lo) && n <= int64(hi) }).Draw(t, label))
		}
		p.Markets = rapid.SliceOfNDistinct(rapid.SampledFrom(p.Markets), 1, len(p.Markets), func(m affrules.MarketCode) affrules.MarketCode { return m }).Draw(t, "markets")
		if sometimes(t, "open_markets", 4) {
			p.OpenMarkets = []affrules.MarketCode{rapid.SampledFrom(p.Markets).Draw(t, "open_market")}
		}
		p.QuotaLimit = straddle("quota_limit", p.QuotaLimit, 1, 10_000)
		p.QuotaDays = straddle("quota_days", p.QuotaDays, 1, 3650)
		p.QuotaCalendarDays = rapid.Bool().Draw(t, "quota_calendar_days")
		p.QuotaCountsExpired = rapid.Bool().Draw(t, "quota_counts_expired")
		p.QuotaCountsRecalled = rapid.Bool().Draw(t, "quota_counts_recalled")
		p.BlockedAtJoinOnly = rapid.Bool().Draw(t, "blocked_at_join_only")
		p.TaskRewardAtEnd = rapid.Bool().Draw(t, "task_reward_at_end")
		p.OneSampleKind = rapid.Bool().Draw(t, "one_sample_kind")
		p.ShopAdsNeedVideoPrompt = rapid.Bool().Draw(t, "shop_ads_need_video_prompt")
		p.ExclusiveOverCurrentOpen = rapid.Bool().Draw(t, "exclusive_over_current_open")
		p.StandardAboveOpenShopAds = rapid.Bool().Draw(t, "standard_above_open_shop_ads")
		p.ExtraFeeAnyEarlierMonth = rapid.Bool().Draw(t, "extra_fee_any_earlier_month")
		p.TaskDays.Min = straddle("task_days_min", p.TaskDays.Min, 1, 60)
		p.TaskDays.Max = straddle("task_days_max", p.TaskDays.Max, p.TaskDays.Min, 3650)
		p.ChallengeDays.Min = straddle("challenge_days_min", p.ChallengeDays.Min, 1, 60)
		p.ChallengeDays.Max = straddle("challenge_days_max", p.ChallengeDays.Max, p.ChallengeDays.Min, 3650)
		p.PaymentHours = straddle("payment_hours", p.PaymentHours, 1, 24*365)
		p.SampleLeadDays = straddle("sample_lead_days", p.SampleLeadDays, 0, 3650)
		p.PermanentEndsParticipation = rapid.Bool().Draw(t, "permanent_ends_participation")
		p.TemporaryEndsParticipation = p.PermanentEndsParticipation && rapid.Bool().Draw(t, "temporary_ends_participation")
		p.ExtraFee = rapid.Bool().Draw(t, "extra_fee")
		if sometimes(t, "charge_curve", 4) { // CP-9: nothing charged below a share of the target
			from := affrules.MustParseRate(strconv.Itoa(rapid.IntRange(1, 99).Draw(t, "charge_from_percent")) + "%")
			full := affrules.MustParseRate("100%")
			p.ChargeCurve = []collabplus.ChargePoint{{}, {Achieved: from}, {Achieved: full, Charged: full}}
		}
		return p
	})
}

// Instant draws an instant of 2026 in market m's zone at or near a local midnight (the edge of
// CP-2's days and CP-3's calendar window) or a daylight-saving change (the United Kingdom has
// two), or any instant of the year.
func Instant(p collabplus.Policy, m affrules.MarketCode) *rapid.Generator[time.Time] {
	loc := time.UTC
	if mk, err := affrules.LookupMarket(m); err == nil {
		loc = mk.Location()
	}
	var edges []time.Time
	for i := range 12 {
		edges = append(edges, midnight(2026, time.January+time.Month(i), 1, loc), midnight(2026, time.January+time.Month(i), 15, loc))
	}
	return affrulestest.Instant(loc, edges...)
}

// Seller returns the empty record of seller id in market m, created at instant at, with creator
// group g1 (every level from L1): what [collabplus.Evaluator.NewSeller] and a [collabplus.SaveGroup]
// make.
// It panics, naming the argument, for an empty id, an unregistered market or an instant outside
// the years 1900 to 2199: a record no evaluator would make.
func Seller(id string, m affrules.MarketCode, at time.Time) collabplus.Seller {
	if err := kitInput(id, m, at); err != nil {
		panic("collabplustest.Seller: " + err.Error())
	}
	return collabplus.Seller{ID: id, Market: m, Groups: []collabplus.Group{{ID: "g1", MinLevel: level.L1}}, Updated: at}
}

// Terms draws the terms of a collaboration of seller s submitted at instant at, valid for p: a
// task or a challenge for group g1 and product p1 at an exclusive rate of 15%, whose period runs
// whole days of s's market from the local midnight 1 to 30 days after at's day, for a number of
// days at, just inside or just outside p's bounds for its type (CP-2; outside them the
// submission is refused, not bad input).
func Terms(p collabplus.Policy, s collabplus.Seller, at time.Time) *rapid.Generator[collabplus.Terms] {
	loc := time.UTC
	if mk, err := affrules.LookupMarket(s.Market); err == nil {
		loc = mk.Location()
	}
	err := kitInput(s.ID, s.Market, at)
	if err == nil && (p.TaskDays.Min < 1 || p.ChallengeDays.Min < 1) {
		err = errors.New("the policy has no task or challenge days: give a policy New accepts")
	}
	return rapid.Custom(func(t *rapid.T) collabplus.Terms {
		if err != nil {
			t.Fatalf("collabplustest.Terms: %v", err)
		}
		typ := rapid.SampledFrom([]collabplus.Type{collabplus.Task, collabplus.Challenge}).Draw(t, "type")
		bounds := p.TaskDays
		if typ == collabplus.Challenge {
			bounds = p.ChallengeDays
		}
		n := rapid.SampledFrom([]int{bounds.Min - 1, bounds.Min, bounds.Min + 1, bounds.Max - 1, bounds.Max, bounds.Max + 1}).Filter(func(n int) bool { return n >= 1 }).Draw(t, "days")
		y, mo, d := at.In(loc).Date()
		d += rapid.IntRange(1, 30).Draw(t, "starts_after_days")
		period := affrules.Period{Start: midnight(y, mo, d, loc), End: midnight(y, mo, d+n, loc)}
		tm := collabplus.Terms{
			Type: typ, Period: period, Group: "g1",
			Products:   []collabplus.Product{{ID: "p1", Rate: affrules.MustParseRate("15%")}},
			Objectives: []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("1000"), Target: decimal.NewFromInt(400)}},
		}
		if typ == collabplus.Task {
			tm.Tasks = []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)}}
			tm.Reward = decimal.RequireFromString("500")
		} else {
			tm.Goal = collabplus.Sales
			tm.Tiers = []collabplus.RankTier{{To: 10, Reward: decimal.RequireFromString("1000")}}
		}
		return tm
	})
}

// kitInput returns an error naming what of a seller's ID, market and an instant no evaluator
// would take.
func kitInput(id string, m affrules.MarketCode, at time.Time) error {
	if id == "" {
		return errors.New("the seller has no ID")
	}
	if _, err := affrules.LookupMarket(m); err != nil {
		return err // names the market
	}
	if !bounds.InRange(at) {
		return fmt.Errorf("instant %s: outside the years 1900 to 2199", at.Format(time.RFC3339Nano))
	}
	return nil
}

// Facts returns the facts of a submission of terms tm by seller s: allowlisted as given, every
// product of tm eligible (ELG-9), no Open Collaboration offer.
func Facts(s collabplus.Seller, tm collabplus.Terms, allowlisted bool) collabplus.Facts {
	f := collabplus.Facts{Allowlisted: allowlisted}
	for _, pr := range tm.Products {
		f.Eligibility = append(f.Eligibility, eligibility.Result{ID: pr.ID, ShopID: s.ID, Market: s.Market, State: eligibility.Eligible, Decision: affrules.Decide()})
	}
	return f
}

// midnight returns the first instant of the local date y-m-d in loc (d may overflow, as for
// time.Date): the day's start as the market's calendar has it, also in a zone whose daylight
// saving change skips 00:00, where time.Date's 00:00 would fall on the day before.
func midnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	return affrules.DayOf(time.Date(y, m, d, 12, 0, 0, 0, loc), loc).Start
}
