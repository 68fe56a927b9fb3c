package collabplus

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/minor"
)

// Days is a range of whole days: for TaskDays and ChallengeDays the least and most calendar
// days a period may cover, both included (CP-2); for RecallRefundDays and FeeRefundDays the
// window in which a refund is due, from Min days after the recall or the end to Max days
// after it, excluded (MKT-3), so Min must be below Max.
type Days struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Recommendation holds the platform's recommended settings in one market (CP-16): settings
// below them draw a low-exposure advisory, never a refusal.
type Recommendation struct {
	// MinDays is the shortest recommended period, in market-calendar days.
	MinDays int `json:"min_days"`
	// MinReward is the lowest recommended task reward per creator, in the market's currency.
	MinReward decimal.Decimal `json:"min_reward"`
}

// Policy is the policy data of SPEC §5. Its defaults come from [DefaultPolicy]; a host changes
// them through JSON ([ParsePolicy]) or a struct literal, checks the result with
// [Policy.Validate], and builds an [Evaluator] from it with [New]. Rate bounds and the Open
// Collaboration decrease delay (CP-8) are commission's: the evaluator takes them from the
// [commission.Evaluator] it is built with.
//
// The zero Policy is invalid: [New] refuses it.
type Policy struct {
	// Markets are the markets where Collaboration Plus runs (MKT-1). Default the catalog's
	// seven markets.
	Markets []affrules.MarketCode `json:"markets"`
	// OpenMarkets are the markets where any seller may create collaborations; everywhere else
	// only allowlisted sellers may (CP-17). Default none: invitation only.
	OpenMarkets []affrules.MarketCode `json:"open_markets"`
	// TaskDays and ChallengeDays bound a collaboration's period in market-calendar days, the
	// first and last day included (CP-2). Defaults 14–120 and 14–60.
	TaskDays      Days `json:"task_days" strict:"all"`
	ChallengeDays Days `json:"challenge_days" strict:"all"`
	// QuotaLimit collaborations may be submitted in QuotaDays (CP-3). Defaults 5 and 30.
	QuotaLimit int `json:"quota_limit"`
	QuotaDays  int `json:"quota_days"`
	// QuotaCalendarDays counts QuotaDays as market-calendar days (the day of the instant and
	// the ones before it), so a slot frees at a local midnight (CP-3). Default true; false
	// counts a rolling window of QuotaDays × 24 hours.
	QuotaCalendarDays bool `json:"quota_calendar_days"`
	// QuotaCountsExpired and QuotaCountsRecalled keep an expired or recalled collaboration in
	// the quota (CP-3). Defaults true.
	QuotaCountsExpired  bool `json:"quota_counts_expired"`
	QuotaCountsRecalled bool `json:"quota_counts_recalled"`
	// BlockedAtJoinOnly reads the blocklist at the join instant only (CP-13): a creator the
	// seller blocked and has unblocked by then may join a collaboration published while they
	// were blocked, SPEC's "unblocking takes effect from the next collaboration" read as the
	// next one the creator joins. Default false: a creator may join only if not blocked at any moment from
	// the collaboration's publication to the join, so an unblock counts from the next
	// collaboration published.
	BlockedAtJoinOnly bool `json:"blocked_at_join_only"`
	// MaxGroups is the most creator groups a seller keeps (CP-4). Default 100.
	MaxGroups int `json:"max_groups"`
	// PaymentHours is how long a submitted collaboration waits for payment before it expires
	// (CP-7). Default 24.
	PaymentHours int `json:"payment_hours"`
	// PaymentMethods are the accepted ways to pay (CP-7). Default credit_card, debit_card,
	// bank_transfer.
	PaymentMethods []string `json:"payment_methods"`
	// RecallRefundDays is when a recall's refund is due, in days after the recall (CP-7), and
	// FeeRefundDays when the excess of the deposit is refunded, in days after the end (CP-9).
	// Defaults 7–14.
	RecallRefundDays Days `json:"recall_refund_days" strict:"all"`
	FeeRefundDays    Days `json:"fee_refund_days" strict:"all"`
	// ChargeCurve is CP-9's charge of an objective as a share of its budget, by its achievement
	// (achieved ÷ target): points in increasing achievement from 0% to 100%, the last 100% →
	// 100% (a met objective is charged in full), shares never decreasing and below 100% short
	// of the target (a missed one only partly); linear between points, the whole budget from
	// 100% on. At most 20 points. Default 0% → 0% and 100% → 100%: budget × min(1, achieved ÷
	// target). A curve of 0% → 0%, 50% → 0%, 100% → 100%, say, charges nothing below half the
	// target; one of 0% → 10%, 100% → 100% charges a tenth of the budget however little is met.
	// The charge is exact, then rounded once to the minor unit (MKT-4): an objective whose exact
	// charge is within half a minor unit of its budget (a share such as 99.9999999%, or 9,999.99
	// of 10,000 on the default curve) is charged the whole budget once rounded.
	ChargeCurve []ChargePoint `json:"charge_curve" strict:"all"`
	// Rounding is how charges and fees are rounded to the market's minor unit (MKT-4).
	// Default half_up.
	Rounding affrules.RoundingMode `json:"rounding"`
	// ExtraFee turns on CP-10's extra platform fee, ExtraFeeRate of the deposit. Defaults on,
	// 11%. ExtraFeeOnRecall applies it to a recall's refund too. Default false.
	// ExtraFeeOnCharged takes the rate of what the collaboration is charged (the deposit less
	// the refund, CP-9) instead of the deposit. Default false.
	ExtraFee          bool          `json:"extra_fee"`
	ExtraFeeRate      affrules.Rate `json:"extra_fee_rate"`
	ExtraFeeOnRecall  bool          `json:"extra_fee_on_recall"`
	ExtraFeeOnCharged bool          `json:"extra_fee_on_charged"`
	// ExtraFeeAnyEarlierMonth applies CP-10's extra fee to a collaboration paid in any calendar
	// month before its start month, not only in the one just before. Default false.
	ExtraFeeAnyEarlierMonth bool `json:"extra_fee_any_earlier_month"`
	// TaxReportDay is the day of the month after payment when the tax report is available
	// (CP-11). Default 7.
	TaxReportDay int `json:"tax_report_day"`
	// TieBreaks orders challenge creators with equal values (CP-6): "first_reached" (who
	// reached the value first), "creator_id". Default both, in that order.
	TieBreaks []string `json:"tie_breaks"`
	// CancelReasons are the reason codes a reward may be cancelled for (CP-14). Default
	// account_security, risk_control.
	CancelReasons []string `json:"cancel_reasons"`
	// SampleLeadDays is how many days a collaboration offering samples needs for delivery
	// and content; a shorter period draws an advisory (CP-16). Default 21: a week for delivery
	// and two for content, so that with the default minimum of 14 days (CP-2) a short
	// collaboration offering samples is told (seed 003 advises a longer period for delivery
	// delays, since content is due by the collaboration's end, SMP-4).
	SampleLeadDays int `json:"sample_lead_days"`
	// PermanentEndsParticipation makes a permanent disqualification of a product, or of its
	// shop, end the product's part in the seller's running and scheduled collaborations from
	// that instant ([Disqualify], ELG-11). Default true; false keeps it.
	PermanentEndsParticipation bool `json:"permanent_ends_participation"`
	// TemporaryEndsParticipation makes a temporary disqualification of a product, or of its
	// shop, end the product's part in the seller's running and scheduled collaborations from
	// that instant too, as a permanent one does ([Disqualify], ELG-11), but not for good: the
	// product may be submitted again once eligible, and a shop's temporary disqualification is
	// not recorded on the seller. Default false: a temporary disqualification changes nothing
	// in a running collaboration. It needs PermanentEndsParticipation.
	TemporaryEndsParticipation bool `json:"temporary_ends_participation"`
	// ContentCreatorTasks are the task content types only a creator who makes content completes
	// (LVL-11, CP-18): a member who joined as a link-share-only creator ([Creator].Kind) does not
	// complete a task of one of them (compared with the task's content type ignoring case),
	// whatever completions are reported. Default "live" and "video"; none lets every member
	// complete every task.
	ContentCreatorTasks []string `json:"content_creator_tasks"`
	// TaskRewardAtEnd makes a task reward due at the period's end, as a challenge's is (CP-6),
	// rather than at the last task's first counted completion. Default false: SPEC has the
	// platform pay task rewards during the collaboration, as the last task completes (CP-5).
	TaskRewardAtEnd bool `json:"task_reward_at_end"`
	// OneSampleKind lets a collaboration offer free samples or refundable samples, not both
	// (SMP-12): terms offering both are refused where they are submitted or finalised. Default
	// false: either, both or neither.
	OneSampleKind bool `json:"one_sample_kind"`
	// ShopAdsNeedVideoPrompt refuses an exclusive shop-ads rate in terms whose prompt to
	// authorise videos is off ([Terms].AuthoriseVideos), where they are submitted or finalised
	// (CP-19: shop-ads commission needs a video the creator authorised, COM-6).
	// Default false: such terms draw an advisory only ([Evaluator.Advise]), which they draw
	// under either setting.
	ShopAdsNeedVideoPrompt bool `json:"shop_ads_need_video_prompt"`
	// ExclusiveOverCurrentOpen compares each exclusive rate with the product's Open
	// Collaboration rate in force at the submission, the one a new promoter is paid, rather than
	// with the highest one a creator already promoting it is still paid during commission's
	// decrease delay (CP-8, COM-10). Default false.
	ExclusiveOverCurrentOpen bool `json:"exclusive_over_current_open"`
	// StandardAboveOpenShopAds holds a product that sets an exclusive standard rate but no
	// shop-ads rate to that standard rate for shop-ads orders too, which earn it (commission's
	// ShopAdsFallback, a Collaboration Plus and Open both ranked for shop-ads orders, the
	// Collaboration Plus above): it must be
	// strictly above the product's Open shop-ads rate as well as its Open standard rate (CP-8,
	// seed 003's "both standard and shop ads commission ... must be higher than the rate on
	// Open Collaboration", so that a member never earns less than a non-member on a shop-ads
	// order). Default false: SPEC's pairwise reading, the standard rate against Open's standard
	// rate only.
	StandardAboveOpenShopAds bool `json:"standard_above_open_shop_ads"`
	// Recommended holds the platform's recommended settings per market (CP-16). Default none.
	Recommended map[affrules.MarketCode]Recommendation `json:"recommended,omitempty" strict:"all"`
}

// ChargePoint is a point of [Policy.ChargeCurve]: at an objective's achievement Achieved
// (achieved ÷ target, up to 100%), the share Charged of its budget is charged (CP-9).
type ChargePoint struct {
	Achieved affrules.Rate `json:"achieved"`
	Charged  affrules.Rate `json:"charged"`
}

// maxChargePoints is the most points a charge curve may have.
const maxChargePoints = 20

// validateCurve adds every problem of p.ChargeCurve to l (CP-9): it runs from no achievement to
// the target met, (0%, s) to (100%, 100%), its achievements rising and its shares never
// falling, and charges only part of the budget (below 100%) short of the target.
func (p Policy) validateCurve(l *fielderr.List) {
	c := p.ChargeCurve
	full := affrules.MustParseRate("100%")
	switch n := len(c); {
	case n == 0:
		l.Add("charge_curve", "[]", "must have at least one point (CP-9)")
		return
	case n > maxChargePoints:
		l.Add("charge_curve", n, "has more than %d points (CP-9)", maxChargePoints)
	}
	if !c[0].Achieved.IsZero() {
		l.Add("charge_curve[0].achieved", c[0].Achieved, "must be 0%%: the curve starts at no achievement (CP-9)")
	}
	for i, pt := range c {
		f := "charge_curve[" + strconv.Itoa(i) + "]"
		if i > 0 && pt.Achieved.Cmp(c[i-1].Achieved) <= 0 {
			l.Add(f+".achieved", pt.Achieved, "must be above the previous point's %s (CP-9)", c[i-1].Achieved)
		}
		if i > 0 && pt.Charged.Cmp(c[i-1].Charged) < 0 {
			l.Add(f+".charged", pt.Charged, "must not be below the previous point's %s: more achieved never charges less (CP-9)", c[i-1].Charged)
		}
		if pt.Achieved.Cmp(full) < 0 && pt.Charged.Cmp(full) >= 0 {
			l.Add(f+".charged", pt.Charged, "must be below 100%% short of the target (at %s): a missed objective is only partly charged (CP-9)", pt.Achieved)
		}
	}
	if last := c[len(c)-1]; last.Achieved.Cmp(full) != 0 || last.Charged.Cmp(full) != 0 {
		l.Add("charge_curve["+strconv.Itoa(len(c)-1)+"]", last.Achieved.String()+" → "+last.Charged.String(), "must be 100%% → 100%%: a met objective is charged in full (CP-9)")
	}
}

// DefaultPolicy returns the catalog's values (SPEC §5).
func DefaultPolicy() Policy {
	return Policy{
		Markets:             []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"},
		TaskDays:            Days{14, 120},
		ChallengeDays:       Days{14, 60},
		QuotaLimit:          5,
		QuotaDays:           30,
		QuotaCalendarDays:   true,
		QuotaCountsExpired:  true,
		QuotaCountsRecalled: true,
		MaxGroups:           100,
		PaymentHours:        24,
		PaymentMethods:      []string{"credit_card", "debit_card", "bank_transfer"},
		RecallRefundDays:    Days{7, 14},
		FeeRefundDays:       Days{7, 14},
		Rounding:            affrules.HalfUp,
		ExtraFee:            true,
		ExtraFeeRate:        affrules.MustParseRate("11%"),
		ChargeCurve:         []ChargePoint{{}, {Achieved: affrules.MustParseRate("100%"), Charged: affrules.MustParseRate("100%")}},
		TaxReportDay:        7,
		TieBreaks:           []string{TieFirstReached, TieCreatorID},
		CancelReasons:       []string{"account_security", "risk_control"},
		SampleLeadDays:      21,

		PermanentEndsParticipation: true,
		ContentCreatorTasks:        []string{"live", "video"},
	}
}

// The tie-breaks of [Policy.TieBreaks] (CP-6).
const (
	TieFirstReached = "first_reached"
	TieCreatorID    = "creator_id"
)

// Validate reports every problem of the policy at once, each an [*affrules.FieldError] naming
// the field and its value.
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	markets := func(field string, list []affrules.MarketCode, required bool) {
		if required && len(list) == 0 {
			l.Add(field, "[]", "must list at least one market (MKT-1)")
		}
		for i, m := range list {
			f := field + "[" + strconv.Itoa(i) + "]"
			if _, err := affrules.LookupMarket(m); err != nil {
				l.Add(f, strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
			} else if slices.Contains(list[:i], m) {
				l.Add(f, m, "is listed twice")
			}
		}
	}
	markets("markets", p.Markets, true)
	if p.TemporaryEndsParticipation && !p.PermanentEndsParticipation {
		l.Add("temporary_ends_participation", true, "needs permanent_ends_participation: a temporary disqualification would end a participation a permanent one keeps (%s)", RuleLaterDisqualification)
	}
	markets("open_markets", p.OpenMarkets, false)
	days := func(field string, d Days, lo int, window bool) {
		switch {
		case d.Min < lo || d.Max > 3650 || d.Min > d.Max:
			l.Add(field, strconv.Itoa(d.Min)+"–"+strconv.Itoa(d.Max), "must be a range within %d–3650 days, min not above max: %w", lo, affrules.ErrOutOfRange)
		case window && d.Min == d.Max:
			l.Add(field, strconv.Itoa(d.Min)+"–"+strconv.Itoa(d.Max), "must have min below max: the refund is due from min days to max days, excluded, and the window would be empty: %w", affrules.ErrOutOfRange)
		}
	}
	days("task_days", p.TaskDays, 1, false)
	days("challenge_days", p.ChallengeDays, 1, false)
	days("recall_refund_days", p.RecallRefundDays, 0, true)
	days("fee_refund_days", p.FeeRefundDays, 0, true)
	between := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			l.Add(field, v, "must be between %d and %d: %w", lo, hi, affrules.ErrOutOfRange)
		}
	}
	between("quota_limit", p.QuotaLimit, 1, 10_000)
	between("quota_days", p.QuotaDays, 1, 3650)
	between("max_groups", p.MaxGroups, 1, 100_000)
	between("payment_hours", p.PaymentHours, 1, 24*365)
	between("tax_report_day", p.TaxReportDay, 1, 28)
	between("sample_lead_days", p.SampleLeadDays, 0, 3650)
	names := func(field string, list []string, allowed []string) {
		if len(list) == 0 {
			l.Add(field, "[]", "must list at least one")
		}
		for i, s := range list {
			f := field + "[" + strconv.Itoa(i) + "]"
			switch {
			case s == "":
				l.Add(f, "", "must not be empty")
			case strings.TrimSpace(s) != s:
				l.Add(f, strconv.Quote(s), "has spaces at an end: it would match nothing as written")
			case allowed != nil && !slices.Contains(allowed, s):
				l.Add(f, strconv.Quote(s), "must be one of %s", strings.Join(allowed, ", "))
			case slices.Contains(list[:i], s):
				l.Add(f, s, "is listed twice")
			}
		}
	}
	names("payment_methods", p.PaymentMethods, nil)
	names("tie_breaks", p.TieBreaks, []string{TieFirstReached, TieCreatorID})
	names("cancel_reasons", p.CancelReasons, nil)
	for i, s := range p.ContentCreatorTasks { // none is a choice: every member completes every task
		f := "content_creator_tasks[" + strconv.Itoa(i) + "]"
		switch {
		case s == "":
			l.Add(f, "", "must not be empty")
		case strings.TrimSpace(s) != s:
			l.Add(f, strconv.Quote(s), "has spaces at an end: no content type would match it, and the restriction would be off (LVL-11)")
		case slices.ContainsFunc(p.ContentCreatorTasks[:i], func(x string) bool { return fold(x) == fold(s) }):
			l.Add(f, s, "is listed twice (content types compare ignoring case)")
		}
	}
	if _, err := p.Rounding.MarshalText(); err != nil {
		l.Add("rounding", int(p.Rounding), "must be half_up, half_even or down: %w", affrules.ErrOutOfRange)
	}
	p.validateCurve(l)
	if p.ExtraFee && p.ExtraFeeRate.IsZero() {
		l.Add("extra_fee_rate", p.ExtraFeeRate, "must be above 0%% when extra_fee is on (CP-10)")
	}
	for m, r := range p.Recommended {
		f := "recommended[" + string(m) + "]"
		mk, err := affrules.LookupMarket(m)
		if err != nil {
			l.Add(f, strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
		}
		between(f+".min_days", r.MinDays, 0, 3650)
		// An amount of the market's currency: the library's decimal bounds first, then whole
		// minor units, as every amount.
		if err := bounds.Decimal(pkg, f+".min_reward", r.MinReward); err != nil {
			l.Append(err)
		} else if r.MinReward.Sign() < 0 {
			l.Add(f+".min_reward", r.MinReward, "%w", affrules.ErrNegative)
		} else if a, err := minor.From(r.MinReward, mk.MinorUnit); mk.Code != "" && err != nil {
			l.Add(f+".min_reward", r.MinReward, "%s: %w", err, affrules.ErrOutOfRange)
		} else if mk.Code != "" && !a.Exact {
			l.Add(f+".min_reward", r.MinReward, "must be a whole number of %s's minor unit (%d decimal places): %w", mk.Currency, mk.MinorUnit, affrules.ErrOutOfRange)
		}
	}
	return fielderr.UnderPolicy(pkg, l.Err())
}

// ParsePolicy decodes a JSON policy object and validates it, each problem an
// [*affrules.FieldError]: every problem of the document itself at once (its keys, JSON types and
// values a type refuses to decode, such as a rate over 100%), then, for a document without any,
// every problem [Policy.Validate] finds at once. It follows the library's one policy-loading rule:
// keys that name no field, that name one only when case is ignored, or that are given twice are
// errors at any depth; a top-level setting left out keeps its [DefaultPolicy] value, and so does
// one given as null, except a list or map, which null makes nil (as encoding/json writes a nil one,
// so a policy reads back from its own JSON); inside a setting that is an object (task_days, a
// market's recommendation) every field is required, so none is silently zero. Every field is named
// under "policy", as the data's keys are ("policy.markets[1]"), whether its problem is its JSON
// type or its value.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}
