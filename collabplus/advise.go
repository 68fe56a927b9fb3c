package collabplus

import (
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Message keys of the advisories, with their English wording. Every advisory is non-blocking:
// its reasons are of kind [affrules.NotApplicable].
var (
	// CP-16: samples are offered and the period is shorter than the sample lead time; observed
	// the period's market-calendar days, limit [Policy.SampleLeadDays].
	keySampleLead = affrules.DefineMessage("collabplus.cp16.sample_lead", affrules.Message{
		Text: "period may be too short to deliver samples and post content (advisory)", Observed: "{observed} days", Limit: "at least {limit} days",
	})
	// CP-16: the period is shorter than the market's recommended one; observed the period's
	// market-calendar days, limit [Recommendation.MinDays]; the subject is the market.
	keyShortPeriod = affrules.DefineMessage("collabplus.cp16.short_period", affrules.Message{
		Text: "period shorter than recommended in {subject}: low exposure (advisory)", Observed: "{observed} days", Limit: "recommended at least {limit} days",
	})
	// CP-16: the task reward is below the market's recommended one; observed the reward,
	// limit [Recommendation.MinReward]; the subject is the market.
	keyLowReward = affrules.DefineMessage("collabplus.cp16.low_reward", affrules.Message{
		Text: "task reward below the recommended reward in {subject}: low exposure (advisory)", Observed: "{observed}", Limit: "recommended at least {limit}",
	})
	// CP-19: an exclusive shop-ads rate with the prompt to authorise videos off; observed the
	// shop-ads rate, limit the prompt's setting needed ("on"); the subject is the product.
	keyVideoPromptOff = affrules.DefineMessage("collabplus.cp19.video_prompt_off", affrules.Message{
		Text:     "exclusive shop-ads rate for {subject} while creators are not prompted to authorise videos: shop-ads commission needs an authorised video (advisory)",
		Observed: "shop-ads rate {observed}", Limit: "prompt {limit}",
	})
)

// Advise returns the advisories on terms t of a collaboration in market m (CP-16, CP-19):
// non-blocking reasons, of kind [affrules.NotApplicable] as commission's COM-14 advisory, each
// with its observed value and limit, in this order, or nil when there is none:
//
//   - samples are offered (free or refundable) and the period is shorter than
//     [Policy.SampleLeadDays] (CP-16: too short to ship samples and post content);
//   - the period is shorter than the market's [Recommendation].MinDays (CP-16, low exposure);
//   - a task collaboration's reward is below the market's [Recommendation].MinReward (CP-16,
//     low exposure);
//   - per product with an exclusive shop-ads rate, in the order of t.Products, when
//     [Terms].AuthoriseVideos is off (CP-19: shop-ads commission needs a video the creator
//     authorised, COM-6).
//
// Periods are counted in market-calendar days, the first and last day included, as CP-2
// counts them; "shorter" is strictly fewer days, so a period of exactly the recommended length
// draws nothing. A market without a [Policy.Recommended] entry has no recommendation to fall
// below. Advise refuses nothing: a market where Collaboration Plus does not run, a type other
// than task or challenge, a period that is not a valid period, or a reward out of bounds,
// negative or finer than the currency's minor unit is a [*affrules.FieldError]. A reward of
// zero, one not set yet, is below any recommended one; a period of part days counts every day
// it touches (MKT-2), though [Submit], applied with [Evaluator.Apply], refuses one (CP-2).
func (e *Evaluator) Advise(m affrules.MarketCode, t Terms) ([]affrules.Reason, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	mk, ok := e.market(m)
	if !ok {
		return nil, fielderr.New(pkg, "market", strconv.Quote(string(m)), "Collaboration Plus does not run there (policy markets %v): %w", e.policy.Markets, affrules.ErrUnknownMarket)
	}
	if err := periodProblem("terms.period", t.Period); err != nil {
		return nil, err
	}
	if t.Type != Task && t.Type != Challenge {
		return nil, fielderr.New(pkg, "terms.type", int(t.Type), "must be task or challenge (%s): %w", RuleTypes, affrules.ErrOutOfRange)
	}
	if _, err := amountUnits("terms.reward", t.Reward, mk.MinorUnit); err != nil {
		return nil, err
	}
	na := affrules.NotApplicable
	days, _ := calendarDays(mk, t.Period) // a period of part days covers the days it touches (MKT-2)
	var out []affrules.Reason
	if (t.FreeSamples || t.RefundableSamples) && days < e.policy.SampleLeadDays {
		out = append(out, affrules.Reason{Rule: RuleAdvisories, Kind: na, Key: keySampleLead,
			Observed: affrules.Count(int64(days)), Limit: affrules.Count(int64(e.policy.SampleLeadDays))})
	}
	if r, ok := e.policy.Recommended[m]; ok {
		if days < r.MinDays {
			out = append(out, affrules.Reason{Rule: RuleAdvisories, Kind: na, Key: keyShortPeriod,
				Observed: affrules.Count(int64(days)), Limit: affrules.Count(int64(r.MinDays)), Subject: string(m)})
		}
		if t.Type == Task && t.Reward.Cmp(r.MinReward) < 0 {
			out = append(out, affrules.Reason{Rule: RuleAdvisories, Kind: na, Key: keyLowReward,
				Observed: affrules.Amount(t.Reward, mk.Currency), Limit: affrules.Amount(r.MinReward, mk.Currency), Subject: string(m)})
		}
	}
	if !t.AuthoriseVideos {
		for _, p := range t.Products {
			if !p.ShopAds.IsZero() {
				out = append(out, affrules.Reason{Rule: RuleVideoFlag, Kind: na, Key: keyVideoPromptOff,
					Observed: affrules.RateOf(p.ShopAds), Limit: affrules.Text("on"), Subject: p.ID})
			}
		}
	}
	return out, nil
}
