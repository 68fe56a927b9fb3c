package level

import (
	"math/big"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// ScoreInput is a creator's last 30 days for the creator score (LVL-8). The host counts the 30
// days; averages are per LIVE or per video.
type ScoreInput struct {
	GMV            decimal.Decimal `json:"gmv"`                 // in the market's currency
	LiveCount      int             `json:"live_count"`          // LIVEs held
	LiveViewers    int             `json:"avg_live_viewers"`    // average viewers per LIVE
	ViewingSeconds int             `json:"avg_viewing_seconds"` // average LIVE viewing duration per viewer
	VideoCount     int             `json:"video_count"`         // videos published
	VideoViews     int             `json:"avg_video_views"`     // average views per video
	Completion     affrules.Rate   `json:"completion_rate"`     // video completion rate
}

// scoreTerm returns weight × min(v ÷ cap, 1), exactly: the score rounds only the sum (LVL-8).
func scoreTerm(weight int, v, limit decimal.Decimal) *big.Rat {
	w := new(big.Rat).SetInt64(int64(weight))
	if v.GreaterThanOrEqual(limit) {
		return w
	}
	return w.Mul(w, new(big.Rat).Quo(v.Rat(), limit.Rat()))
}

// Score returns the creator score of in for market, from 0 to 100 rounded half-up to two decimal
// places, and true; or false if the market has no creator score (LVL-8). Negative metrics and a
// GMV outside the library's decimal bounds (an exponent within ±28, at most 38 digits, checked
// before any arithmetic) are errors.
func (e *Evaluator) Score(market affrules.MarketCode, in ScoreInput) (decimal.Decimal, bool, error) {
	if err := e.ready("Score"); err != nil {
		return decimal.Zero, false, err
	}
	l := fielderr.For(pkg)
	if err := bounds.Decimal(pkg, "score_input.gmv", in.GMV); err != nil {
		l.Append(err)
	} else if in.GMV.Sign() < 0 {
		l.Add("score_input.gmv", in.GMV, "%w", affrules.ErrNegative)
	}
	ints := []struct {
		name string
		v    int
	}{{"live_count", in.LiveCount}, {"avg_live_viewers", in.LiveViewers}, {"avg_viewing_seconds", in.ViewingSeconds},
		{"video_count", in.VideoCount}, {"avg_video_views", in.VideoViews}}
	for _, x := range ints {
		if x.v < 0 {
			l.Add("score_input."+x.name, x.v, "%w", affrules.ErrNegative)
		}
	}
	if err := l.Err(); err != nil {
		return decimal.Zero, false, err
	}
	sp, ok := e.score[market]
	if !ok {
		if _, err := affrules.LookupMarket(market); err != nil {
			return decimal.Zero, false, fielderr.New(pkg, "market", market, "%w", affrules.ErrUnknownMarket)
		}
		return decimal.Zero, false, nil
	}
	w, c := sp.Weights, sp.Caps
	d := func(v int) decimal.Decimal { return decimal.NewFromInt(int64(v)) }
	sum := new(big.Rat)
	for _, t := range []*big.Rat{
		scoreTerm(w.GMV, in.GMV, c.GMV),
		scoreTerm(w.LiveCount, d(in.LiveCount), d(c.LiveCount)),
		scoreTerm(w.LiveViewers, d(in.LiveViewers), d(c.LiveViewers)),
		scoreTerm(w.ViewingSeconds, d(in.ViewingSeconds), d(c.ViewingSeconds)),
		scoreTerm(w.VideoCount, d(in.VideoCount), d(c.VideoCount)),
		scoreTerm(w.VideoViews, d(in.VideoViews), d(c.VideoViews)),
		scoreTerm(w.Completion, in.Completion.Decimal(), c.Completion.Decimal()),
	} {
		sum.Add(sum, t)
	}
	// half-up to hundredths of the exact, non-negative sum: ⌊(200 × n + d) ÷ 2d⌋ hundredths
	n := new(big.Int).Mul(sum.Num(), big.NewInt(200))
	n.Add(n, sum.Denom())
	n.Quo(n, new(big.Int).Lsh(sum.Denom(), 1))
	return decimal.NewFromBigInt(n, -2), true, nil
}

// CreatorType is a creator's better-performing content type (LVL-9).
type CreatorType string

// Creator types (LVL-9).
const (
	Live  CreatorType = "live"  // LIVE produced more GMV
	Video CreatorType = "video" // short videos produced more GMV
	Mixed CreatorType = "mixed" // both produced the same GMV
)

// TypeOf returns the creator type from the last 30 days' GMV by LIVE and by video (LVL-9): the one
// that produced more; on a tie, including no GMV at all, the policy's tie type. Negative GMV and
// GMV outside the library's decimal bounds (checked before any comparison) are errors.
func (e *Evaluator) TypeOf(liveGMV, videoGMV decimal.Decimal) (CreatorType, error) {
	if err := e.ready("TypeOf"); err != nil {
		return "", err
	}
	l := fielderr.For(pkg)
	if err := bounds.Decimal(pkg, "live_gmv", liveGMV); err != nil {
		l.Append(err)
	} else if liveGMV.Sign() < 0 {
		l.Add("live_gmv", liveGMV, "%w", affrules.ErrNegative)
	}
	if err := bounds.Decimal(pkg, "video_gmv", videoGMV); err != nil {
		l.Append(err)
	} else if videoGMV.Sign() < 0 {
		l.Add("video_gmv", videoGMV, "%w", affrules.ErrNegative)
	}
	if err := l.Err(); err != nil {
		return "", err
	}
	switch liveGMV.Cmp(videoGMV) {
	case 1:
		return Live, nil
	case -1:
		return Video, nil
	}
	return e.tie, nil
}

// BadgeInput is what the marketplace badges are judged on (LVL-10).
type BadgeInput struct {
	ReplyRate affrules.Rate `json:"reply_rate"` // share of messages answered
	ReplyTime time.Duration `json:"reply_time"` // typical time to answer, as the host measures it
	Posts     []time.Time   `json:"posts"`      // when each video or LIVE was published
	// SampleFulfilment is the creator's sample fulfilment rate (SMP-8); MarketAverage is the
	// market's average of it.
	SampleFulfilment affrules.Rate `json:"sample_fulfilment"`
	MarketAverage    affrules.Rate `json:"market_average"`
}

// Badges are the marketplace badges (LVL-10), each a decision with its failing reasons.
type Badges struct {
	QuickToRespond      affrules.Decision `json:"quick_to_respond"`
	PostsFrequently     affrules.Decision `json:"posts_frequently"`
	ReliableWithSamples affrules.Decision `json:"reliable_with_samples"`
}

// badgeRules is a [BadgePolicy] with what its reasons need, built once in [New].
type badgeRules struct {
	BadgePolicy
	maxReplyTime time.Duration
	maxReplyText affrules.Value // the maximum reply time as a value
	window       string         // PostWindowDays as text, the posts limit's Subject
	margin       string         // SampleMargin as text
}

func newBadgeRules(p BadgePolicy) badgeRules {
	maxTime := time.Duration(p.MaxReplyMinutes) * time.Minute
	return badgeRules{BadgePolicy: p, maxReplyTime: maxTime, maxReplyText: affrules.DurationOf(maxTime),
		window: strconv.Itoa(p.PostWindowDays), margin: p.SampleMargin.String()}
}

// Badges judges the three marketplace badges at instant at (LVL-10): quick to respond (reply rate
// at least the minimum and reply time at most the maximum), posts frequently (at least the
// minimum posts in the window (at - window, at], MKT-3: a post after at is not counted, so a
// host may pass every post it has and judge the badges as of an earlier instant) and reliable
// with samples (fulfilment
// rate at least the market average plus the margin). A negative reply time, and the zero
// instant or one outside the years 1900 to 2199, whether at or a post's, are errors. The reasons'
// values are typed: rates, a post count, reply times in Go's duration syntax.
func (e *Evaluator) Badges(in BadgeInput, at time.Time) (Badges, error) {
	if err := e.ready("Badges"); err != nil {
		return Badges{}, err
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return Badges{}, err
	}
	if in.ReplyTime < 0 {
		return Badges{}, fielderr.New(pkg, "badge_input.reply_time", in.ReplyTime, "%w", affrules.ErrNegative)
	}
	for i, t := range in.Posts {
		if bounds.Instant(pkg, "", t) != nil {
			return Badges{}, bounds.Instant(pkg, "badge_input.posts["+strconv.Itoa(i)+"]", t)
		}
	}
	p := &e.badges
	var quick []affrules.Reason
	if in.ReplyRate.Cmp(p.MinReplyRate) < 0 {
		quick = append(quick, affrules.Reason{Rule: RuleBadge, Key: keyReplyRate,
			Observed: affrules.RateOf(in.ReplyRate), Limit: affrules.RateOf(p.MinReplyRate)})
	}
	if in.ReplyTime > p.maxReplyTime {
		quick = append(quick, affrules.Reason{Rule: RuleBadge, Key: keyReplyTime,
			Observed: affrules.DurationOf(in.ReplyTime), Limit: p.maxReplyText})
	}
	posts := 0
	for _, t := range in.Posts {
		if affrules.WithinPast(t, at, p.PostWindowDays) {
			posts++
		}
	}
	var frequent affrules.Decision
	if posts < p.MinPosts {
		frequent = affrules.Decide(affrules.Reason{Rule: RuleBadge, Key: keyFewPosts,
			Observed: affrules.Count(int64(posts)), Limit: affrules.Count(int64(p.MinPosts)), Subject: p.window})
	} else {
		frequent = affrules.Decide()
	}
	var reliable affrules.Decision
	need := in.MarketAverage.Decimal().Add(p.SampleMargin.Decimal())
	if in.SampleFulfilment.Decimal().LessThan(need) {
		r := affrules.Reason{Rule: RuleBadge, Key: keySamples, Observed: affrules.RateOf(in.SampleFulfilment),
			Subject: in.MarketAverage.String() + " + " + p.margin}
		if rate, err := affrules.RateFromDecimal(need); err == nil {
			r.Limit = affrules.RateOf(rate)
		} else { // above 100%: unreachable
			r.Key, r.Limit = keySamplesUnreachable, affrules.Decimal(percent(need))
		}
		reliable = affrules.Decide(r)
	} else {
		reliable = affrules.Decide()
	}
	return Badges{QuickToRespond: affrules.Decide(quick...), PostsFrequently: frequent, ReliableWithSamples: reliable}, nil
}

// percent returns the fraction d, with at most 9 decimal places, in percent without trailing
// zeros (1.05 → 105), so that equal limits are equal values.
func percent(d decimal.Decimal) decimal.Decimal {
	c, e := d.CoefficientInt64(), d.Exponent()+2
	for e < 0 && c%10 == 0 {
		c /= 10
		e++
	}
	return decimal.New(c, e)
}
