package level

import (
	"fmt"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/shopspring/decimal"
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

// ScoreWeights are the points each metric of [ScoreInput] contributes at or above its cap; they
// add up to 100.
type ScoreWeights struct {
	GMV            int `json:"gmv"`
	LiveCount      int `json:"live_count"`
	LiveViewers    int `json:"avg_live_viewers"`
	ViewingSeconds int `json:"avg_viewing_seconds"`
	VideoCount     int `json:"video_count"`
	VideoViews     int `json:"avg_video_views"`
	Completion     int `json:"completion_rate"`
}

// ScorePolicy is how one market computes the creator score (LVL-8): each metric is normalised to
// min(value ÷ cap, 1) and weighted, so the score runs from 0 to 100. Every cap must be positive.
type ScorePolicy struct {
	Weights ScoreWeights `json:"weights"`
	Caps    ScoreInput   `json:"caps"`
}

// defaultScorePolicy is an illustrative ID policy; the platform publishes no formula.
func defaultScorePolicy() ScorePolicy {
	return ScorePolicy{
		Weights: ScoreWeights{GMV: 30, LiveCount: 10, LiveViewers: 15, ViewingSeconds: 10, VideoCount: 10, VideoViews: 15, Completion: 10},
		Caps: ScoreInput{GMV: decimal.NewFromInt(200_000_000), LiveCount: 30, LiveViewers: 1_000, ViewingSeconds: 300,
			VideoCount: 60, VideoViews: 50_000, Completion: affrules.MustParseRate("50%")},
	}
}

func checkScorePolicy(e *errs, field string, sp ScorePolicy) {
	w := sp.Weights
	sum := 0
	for _, x := range []struct {
		name string
		v    int
	}{{"gmv", w.GMV}, {"live_count", w.LiveCount}, {"avg_live_viewers", w.LiveViewers}, {"avg_viewing_seconds", w.ViewingSeconds},
		{"video_count", w.VideoCount}, {"avg_video_views", w.VideoViews}, {"completion_rate", w.Completion}} {
		if x.v < 0 || x.v > 100 {
			e.add(field+".weights."+x.name, x.v, "must be between 0 and 100 (LVL-8): %w", affrules.ErrOutOfRange)
		}
		sum += x.v
	}
	if sum != 100 {
		e.add(field+".weights", sum, "must add up to 100 (LVL-8)")
	}
	c := sp.Caps
	if c.GMV.Sign() <= 0 {
		e.add(field+".caps.gmv", c.GMV, "must be positive (LVL-8)")
	}
	for _, x := range []struct {
		name string
		v    int
	}{{"live_count", c.LiveCount}, {"avg_live_viewers", c.LiveViewers}, {"avg_viewing_seconds", c.ViewingSeconds},
		{"video_count", c.VideoCount}, {"avg_video_views", c.VideoViews}} {
		if x.v <= 0 {
			e.add(field+".caps."+x.name, x.v, "must be positive (LVL-8)")
		}
	}
	if c.Completion.IsZero() {
		e.add(field+".caps.completion_rate", c.Completion, "must be positive (LVL-8)")
	}
}

// scoreTerm returns weight × min(v ÷ cap, 1) to 10 decimal places.
func scoreTerm(weight int, v, limit decimal.Decimal) decimal.Decimal {
	if v.GreaterThanOrEqual(limit) {
		return decimal.NewFromInt(int64(weight))
	}
	return v.Mul(decimal.NewFromInt(int64(weight))).DivRound(limit, 10)
}

// Score returns the creator score of in for market, from 0 to 100 rounded half-up to two decimal
// places, and true; or false if the market has no creator score (LVL-8). Negative metrics are an
// error.
func (e *Evaluator) Score(market affrules.MarketCode, in ScoreInput) (decimal.Decimal, bool, error) {
	var es errs
	if in.GMV.Sign() < 0 {
		es.add("score_input.gmv", in.GMV, "%w", affrules.ErrNegative)
	}
	ints := []struct {
		name string
		v    int
	}{{"live_count", in.LiveCount}, {"avg_live_viewers", in.LiveViewers}, {"avg_viewing_seconds", in.ViewingSeconds},
		{"video_count", in.VideoCount}, {"avg_video_views", in.VideoViews}}
	for _, x := range ints {
		if x.v < 0 {
			es.add("score_input."+x.name, x.v, "%w", affrules.ErrNegative)
		}
	}
	if len(es) > 0 {
		return decimal.Zero, false, joinErrs(es)
	}
	sp, ok := e.score[market]
	if !ok {
		if _, err := affrules.LookupMarket(market); err != nil {
			return decimal.Zero, false, affrules.Errorf("level", "market", market, "%w", affrules.ErrUnknownMarket)
		}
		return decimal.Zero, false, nil
	}
	w, c := sp.Weights, sp.Caps
	d := func(v int) decimal.Decimal { return decimal.NewFromInt(int64(v)) }
	sum := scoreTerm(w.GMV, in.GMV, c.GMV).
		Add(scoreTerm(w.LiveCount, d(in.LiveCount), d(c.LiveCount))).
		Add(scoreTerm(w.LiveViewers, d(in.LiveViewers), d(c.LiveViewers))).
		Add(scoreTerm(w.ViewingSeconds, d(in.ViewingSeconds), d(c.ViewingSeconds))).
		Add(scoreTerm(w.VideoCount, d(in.VideoCount), d(c.VideoCount))).
		Add(scoreTerm(w.VideoViews, d(in.VideoViews), d(c.VideoViews))).
		Add(scoreTerm(w.Completion, in.Completion.Decimal(), c.Completion.Decimal()))
	return affrules.HalfUp.Round(sum, 2), true, nil
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
// that produced more; on a tie, including no GMV at all, the policy's tie type. Negative GMV is
// an error.
func (e *Evaluator) TypeOf(liveGMV, videoGMV decimal.Decimal) (CreatorType, error) {
	var es errs
	if liveGMV.Sign() < 0 {
		es.add("live_gmv", liveGMV, "%w", affrules.ErrNegative)
	}
	if videoGMV.Sign() < 0 {
		es.add("video_gmv", videoGMV, "%w", affrules.ErrNegative)
	}
	if len(es) > 0 {
		return "", joinErrs(es)
	}
	switch liveGMV.Cmp(videoGMV) {
	case 1:
		return Live, nil
	case -1:
		return Video, nil
	}
	return e.tie, nil
}

// BadgePolicy holds the marketplace badge thresholds (LVL-10). The defaults are illustrative.
type BadgePolicy struct {
	// MinReplyRate is the share of messages a quick responder answers (default 80%).
	MinReplyRate affrules.Rate `json:"min_reply_rate"`
	// MaxReplyMinutes is the typical reply time a quick responder stays within (default 720, at
	// most a year's 527,040).
	MaxReplyMinutes int `json:"max_reply_minutes"`
	// PostWindowDays is the window posts are counted over, looking back (default 30, MKT-3).
	PostWindowDays int `json:"post_window_days"`
	// MinPosts is the number of videos and LIVEs in the window for "posts frequently" (default 12).
	MinPosts int `json:"min_posts"`
	// SampleMargin is how far above the market average a sample fulfilment rate (SMP-8) must be
	// for "reliable with samples", in percentage points (default 10%).
	SampleMargin affrules.Rate `json:"sample_margin"`
}

func defaultBadgePolicy() BadgePolicy {
	return BadgePolicy{MinReplyRate: affrules.MustParseRate("80%"), MaxReplyMinutes: 720, PostWindowDays: 30, MinPosts: 12,
		SampleMargin: affrules.MustParseRate("10%")}
}

// maxReplyMinutes bounds BadgePolicy.MaxReplyMinutes to 366 days, far from where converting it
// to a time.Duration would overflow.
const maxReplyMinutes = 366 * 24 * 60

func checkBadgePolicy(e *errs, b BadgePolicy) {
	if b.MaxReplyMinutes < 1 || b.MaxReplyMinutes > maxReplyMinutes {
		e.add("badges.max_reply_minutes", b.MaxReplyMinutes, "must be between 1 and %d (LVL-10): %w", maxReplyMinutes, affrules.ErrOutOfRange)
	}
	if b.PostWindowDays < 1 || b.PostWindowDays > 366 {
		e.add("badges.post_window_days", b.PostWindowDays, "must be between 1 and 366 (LVL-10): %w", affrules.ErrOutOfRange)
	}
	if b.MinPosts < 1 {
		e.add("badges.min_posts", b.MinPosts, "must be at least 1 (LVL-10): %w", affrules.ErrOutOfRange)
	}
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

// Badges judges the three marketplace badges at instant at (LVL-10): quick to respond (reply rate
// at least the minimum and reply time at most the maximum), posts frequently (at least the
// minimum posts in the window (at - window, at], MKT-3) and reliable with samples (fulfilment
// rate at least the market average plus the margin). A negative reply time is an error.
func (e *Evaluator) Badges(at time.Time, in BadgeInput) (Badges, error) {
	if in.ReplyTime < 0 {
		return Badges{}, affrules.Errorf("level", "badge_input.reply_time", in.ReplyTime, "%w", affrules.ErrNegative)
	}
	p := e.badges
	var quick []affrules.Reason
	if in.ReplyRate.Cmp(p.MinReplyRate) < 0 {
		quick = append(quick, affrules.Reason{Rule: RuleBadge, Observed: in.ReplyRate.String(), Limit: "at least " + p.MinReplyRate.String(),
			Message: "quick to respond: reply rate too low"})
	}
	if maxTime := time.Duration(p.MaxReplyMinutes) * time.Minute; in.ReplyTime > maxTime {
		quick = append(quick, affrules.Reason{Rule: RuleBadge, Observed: in.ReplyTime.String(), Limit: "at most " + maxTime.String(),
			Message: "quick to respond: replies too slow"})
	}
	posts := 0
	for _, t := range in.Posts {
		if affrules.WithinPast(t, at, p.PostWindowDays) {
			posts++
		}
	}
	var frequent []affrules.Reason
	if posts < p.MinPosts {
		frequent = append(frequent, affrules.Reason{Rule: RuleBadge, Observed: strconv.Itoa(posts) + " posts",
			Limit:   fmt.Sprintf("at least %d posts in %d days", p.MinPosts, p.PostWindowDays),
			Message: "posts frequently: too few videos and LIVEs"})
	}
	var reliable []affrules.Reason
	need := in.MarketAverage.Decimal().Add(p.SampleMargin.Decimal())
	if in.SampleFulfilment.Decimal().LessThan(need) {
		reliable = append(reliable, affrules.Reason{Rule: RuleBadge, Observed: in.SampleFulfilment.String(),
			Limit:   fmt.Sprintf("at least %s (market average %s + %s)", need.Shift(2).String()+"%", in.MarketAverage, p.SampleMargin),
			Message: "reliable with samples: fulfilment rate not well above the market average"})
	}
	return Badges{QuickToRespond: affrules.Decide(quick...), PostsFrequently: affrules.Decide(frequent...),
		ReliableWithSamples: affrules.Decide(reliable...)}, nil
}
