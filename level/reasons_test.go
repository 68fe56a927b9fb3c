package level_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// TestReasonsEnglishGolden: the English built from every reason's key and typed values is, word
// for word, what the package printed when reasons were strings (the texts below were taken from
// that code's Reason.String output, one per rule outcome and wording variant).
func TestReasonsEnglishGolden(t *testing.T) {
	p := level.DefaultPolicy()
	p.PartnersSeeLevel = true
	p.Trend.WarnOnEither = true // so that each LVL-6 reason shows on its own
	partners := mustNew(t, p)
	noPartners := mustNew(t, level.DefaultPolicy())
	r := affrules.MustParseRate
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

	var got []affrules.Reason
	add := func(d affrules.Decision, err error) {
		t.Helper()
		require.NoError(t, err)
		got = append(got, d.Reasons...)
	}
	// LVL-5, each denial under both settings of partners_see_level.
	for _, ev := range []*level.Evaluator{partners, noPartners} {
		for _, v := range []level.Viewer{{Role: level.RoleCreator, ID: "c2"}, {Role: level.RolePartner}, {Role: level.RoleBuyer}, {Role: "admin"}} {
			add(ev.Visible(v, "c1"))
		}
	}
	// LVL-6: not applicable (0 and 1 months), significant, consistent, both.
	for _, levels := range [][]level.Level{nil, {level.L4}, {level.L6, level.L3}, {level.L6, level.L5, level.L4}, {level.L8, level.L5, level.L3}} {
		tr, err := partners.Trend(levels...)
		add(tr.Reliability, err)
	}
	// LVL-7.
	add(partners.Benefit("leaderboard", level.L3))
	// LVL-12: a profile view without data authorisation.
	v, err := partners.ProfileView(level.Profile{Creator: "c1"}, level.Viewer{Role: level.RoleSeller})
	add(v.Data, err)
	// LVL-10: every badge failing, then the samples limit above 100% and with a fraction.
	var posts []time.Time
	for i := range 11 {
		posts = append(posts, at.Add(-time.Duration(i)*time.Hour))
	}
	for _, in := range []level.BadgeInput{
		{ReplyRate: r("79.9%"), ReplyTime: 12*time.Hour + time.Second, Posts: posts, SampleFulfilment: r("69.9%"), MarketAverage: r("60%")},
		{ReplyRate: r("80%"), Posts: append(posts, at), SampleFulfilment: r("100%"), MarketAverage: r("95%")},
		{ReplyRate: r("80%"), Posts: append(posts, at), SampleFulfilment: r("70%"), MarketAverage: r("60.5%")},
	} {
		b, err := partners.Badges(in, at)
		require.NoError(t, err)
		for _, d := range []affrules.Decision{b.QuickToRespond, b.PostsFrequently, b.ReliableWithSamples} {
			add(d, nil)
		}
	}

	want := []string{
		"LVL-5 failed: creator levels are shown only to the creator themself among users (observed another creator, limit the creator themself, a seller or an affiliate partner)",
		"LVL-5 failed: buyers and general users do not see creator levels (observed buyer, limit the creator themself, a seller or an affiliate partner)",
		`LVL-5 failed: unknown viewer role (observed role "admin", limit the creator themself, a seller or an affiliate partner)`,
		"LVL-5 failed: creator levels are shown only to the creator themself among users (observed another creator, limit the creator themself or a seller)",
		"LVL-5 failed: the policy does not show creator levels to affiliate partners (observed affiliate partner, limit the creator themself or a seller)",
		"LVL-5 failed: buyers and general users do not see creator levels (observed buyer, limit the creator themself or a seller)",
		`LVL-5 failed: unknown viewer role (observed role "admin", limit the creator themself or a seller)`,
		"LVL-6 not applicable: too little level history to judge a trend (observed 0 month(s), limit 2 consecutive months)",
		"LVL-6 not applicable: too little level history to judge a trend (observed 1 month(s), limit 2 consecutive months)",
		"LVL-6 failed: significant level drop: the creator may be unreliable (observed down by 3 (L6 → L3), limit a drop of fewer than 2 levels)",
		"LVL-6 failed: consistent level drop: the creator may be unreliable (observed down 2 months running, limit fewer than 2 consecutive monthly drops)",
		"LVL-6 failed: significant level drop: the creator may be unreliable (observed down by 2 (L5 → L3), limit a drop of fewer than 2 levels)",
		"LVL-6 failed: consistent level drop: the creator may be unreliable (observed down 2 months running, limit fewer than 2 consecutive monthly drops)",
		"LVL-7 failed: leaderboard requires level L4 (observed L3, limit L4 or above)",
		"LVL-12 failed: the creator has not authorised data sharing: label icons and performance data are hidden (ELG-8)",
		"LVL-10 failed: quick to respond: reply rate too low (observed 79.9%, limit at least 80%)",
		"LVL-10 failed: quick to respond: replies too slow (observed 12h0m1s, limit at most 12h0m0s)",
		"LVL-10 failed: posts frequently: too few videos and LIVEs (observed 11 posts, limit at least 12 posts in 30 days)",
		"LVL-10 failed: reliable with samples: fulfilment rate not well above the market average (observed 69.9%, limit at least 70% (market average 60% + 10%))",
		"LVL-10 failed: reliable with samples: fulfilment rate not well above the market average (observed 100%, limit at least 105% (market average 95% + 10%))",
		"LVL-10 failed: reliable with samples: fulfilment rate not well above the market average (observed 70%, limit at least 70.5% (market average 60.5% + 10%))",
	}
	var texts []string
	for _, r := range got {
		texts = append(texts, r.String())
	}
	assert.Equal(t, want, texts)

	// Every key is defined (its message is not the key itself), and the JSON of a reason carries
	// the English texts beside the typed values.
	for _, r := range got {
		assert.NotEqual(t, string(r.Key), r.Message(), "key %s has no English message", r.Key)
	}
	b, err := json.Marshal(got[13]) // LVL-7
	require.NoError(t, err)
	assert.JSONEq(t, `{"rule":"LVL-7","kind":"failed","key":"level.lvl7.below_min_level",
		"message":"leaderboard requires level L4","observed":"L3","limit":"L4 or above",
		"observed_value":{"kind":"level","level":3},"limit_value":{"kind":"level","level":4},"subject":"leaderboard"}`, string(b))
	var back affrules.Reason
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, got[13], back)
}
