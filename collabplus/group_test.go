package collabplus_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/level"
)

func lcDecPtr(s string) *decimal.Decimal {
	d := lcDec(s)
	return &d
}

// lcFullGroup sets every condition a group has: categories, levels L3–L5, average rate
// 10%–20%, content types, 1,000–50,000 followers, risk at most medium, a region one of north
// or south and an age of 18–35.
func lcFullGroup() collabplus.Group {
	return collabplus.Group{ID: "full", Categories: []affrules.Category{"beauty", "fashion"}, MinLevel: level.L3, MaxLevel: lcLevel(level.L5),
		MinAvgRate: lcRate("10%"), MaxAvgRate: lcRate("20%"), ContentTypes: []string{"video", "live"},
		MinFollowers: 1000, MaxFollowers: 50000, MaxRisk: collabplus.MediumRisk,
		Criteria: []collabplus.Criterion{{Attribute: "region", OneOf: []string{"north", "south"}}, {Attribute: "age", Min: lcDecPtr("18"), Max: lcDecPtr("35")}}}
}

// lcFits returns a creator matching lcFullGroup.
func lcFits(id string) collabplus.Creator {
	return collabplus.Creator{ID: id, Categories: []affrules.Category{"food", "fashion"}, Level: level.L4, AvgRate: lcRate("15%"),
		ContentTypes: []string{"photo", "live"}, Followers: 20000, Risk: collabplus.LowRisk, Attributes: map[string]string{"region": "south", "age": "30"}}
}

// CP-4: a creator failing every condition of a group is denied with one reason for each, in
// the group's order, each observing the creator's value and limited by the group's condition.
func TestMatchEveryAttribute_CP4(t *testing.T) {
	g := lcFullGroup()
	x := collabplus.Creator{ID: "x", Categories: []affrules.Category{"food"}, Level: level.L6, AvgRate: lcRate("25%"),
		ContentTypes: []string{"photo"}, Followers: 999, Risk: collabplus.HighRisk, Attributes: map[string]string{"region": "east", "age": "17"}}
	reason := func(key affrules.MessageKey, observed, limit affrules.Value, subject string) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleGroups, Key: key, Observed: observed, Limit: limit, Subject: subject}
	}
	want := affrules.Decide(
		reason(lcKeyCategory, affrules.Text("food"), affrules.Text("beauty, fashion"), "x"),
		reason(lcKeyLevelHigh, affrules.LevelOf(6), affrules.LevelOf(5), "x"),
		reason(lcKeyAvgRateHigh, affrules.RateOf(lcRate("25%")), affrules.RateOf(lcRate("20%")), "x"),
		reason(lcKeyContentType, affrules.Text("photo"), affrules.Text("video, live"), "x"),
		reason(lcKeyFollowersLow, affrules.Count(999), affrules.Count(1000), "x"),
		reason(lcKeyRisk, affrules.Text("high"), affrules.Text("medium"), "x"),
		reason(lcKeyCriterion, affrules.Text("east"), affrules.Text("one of north, south"), "region"),
		reason(lcKeyCriterion, affrules.Text("17"), affrules.Text("18–35"), "age"),
	)
	got := g.Match(x)
	lcRequireDecision(t, want, got)
	for _, r := range got.Reasons {
		require.NotEqual(t, string(r.Key), r.Message(), "reason %s has no English message", r.Key)
	}
	require.Contains(t, got.Reasons[6].Message(), "condition on region")

	// Unknown risk and a missing attribute.
	x.Risk, x.Attributes = 0, nil
	got = g.Match(x)
	require.Equal(t, affrules.Text("unknown"), got.Reasons[5].Observed)
	require.Equal(t, affrules.Text("none"), got.Reasons[6].Observed)
	require.Equal(t, affrules.Text("none"), got.Reasons[7].Observed)

	lcRequireDecision(t, affrules.Decide(), g.Match(lcFits("y")))
}

// CP-4: every range is inclusive at both ends; one step outside fails that condition alone.
func TestMatchBoundaries_CP4(t *testing.T) {
	g := lcFullGroup()
	for _, tc := range []struct {
		name string
		edit func(*collabplus.Creator)
		key  affrules.MessageKey // zero: matches
	}{
		{"level L3", func(c *collabplus.Creator) { c.Level = level.L3 }, ""},
		{"level L5", func(c *collabplus.Creator) { c.Level = level.L5 }, ""},
		{"level L2", func(c *collabplus.Creator) { c.Level = level.L2 }, lcKeyLevelLow},
		{"level L6", func(c *collabplus.Creator) { c.Level = level.L6 }, lcKeyLevelHigh},
		{"rate 10%", func(c *collabplus.Creator) { c.AvgRate = lcRate("10%") }, ""},
		{"rate 20%", func(c *collabplus.Creator) { c.AvgRate = lcRate("20%") }, ""},
		{"rate 1e-9 below 10%", func(c *collabplus.Creator) { c.AvgRate = lcBelow(lcRate("10%")) }, lcKeyAvgRateLow},
		{"rate 1e-9 above 20%", func(c *collabplus.Creator) { c.AvgRate = lcAbove(lcRate("20%")) }, lcKeyAvgRateHigh},
		{"1000 followers", func(c *collabplus.Creator) { c.Followers = 1000 }, ""},
		{"50000 followers", func(c *collabplus.Creator) { c.Followers = 50000 }, ""},
		{"999 followers", func(c *collabplus.Creator) { c.Followers = 999 }, lcKeyFollowersLow},
		{"50001 followers", func(c *collabplus.Creator) { c.Followers = 50001 }, lcKeyFollowersHigh},
		{"medium risk", func(c *collabplus.Creator) { c.Risk = collabplus.MediumRisk }, ""},
		{"unknown risk", func(c *collabplus.Creator) { c.Risk = 0 }, lcKeyRisk},
		{"one category of two", func(c *collabplus.Creator) { c.Categories = []affrules.Category{"beauty"} }, ""},
		{"no category", func(c *collabplus.Creator) { c.Categories = nil }, lcKeyCategory},
		{"category case", func(c *collabplus.Creator) { c.Categories = []affrules.Category{"Beauty"} }, lcKeyCategory},
		{"no content type", func(c *collabplus.Creator) { c.ContentTypes = nil }, lcKeyContentType},
		{"age 18", func(c *collabplus.Creator) { c.Attributes["age"] = "18" }, ""},
		{"age 35.000", func(c *collabplus.Creator) { c.Attributes["age"] = "35.000" }, ""},
		{"age 35.0000001", func(c *collabplus.Creator) { c.Attributes["age"] = "35.0000001" }, lcKeyCriterion},
		{"age 17.9999", func(c *collabplus.Creator) { c.Attributes["age"] = "17.9999" }, lcKeyCriterion},
		{"age not a number", func(c *collabplus.Creator) { c.Attributes["age"] = "thirty" }, lcKeyCriterion},
		{"region case", func(c *collabplus.Creator) { c.Attributes["region"] = "South" }, lcKeyCriterion},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := lcFits("y")
			tc.edit(&c)
			got := g.Match(c)
			if tc.key == "" {
				lcRequireDecision(t, affrules.Decide(), got)
				return
			}
			require.False(t, got.Allowed)
			require.Len(t, got.Reasons, 1, "%v", got)
			require.Equal(t, tc.key, got.Reasons[0].Key)
		})
	}
}

// CP-4: conditions left at zero match everyone: the zero Group matches the zero Creator; a
// zero MaxLevel is L8, a zero MaxAvgRate 100%, a zero MaxFollowers no upper bound, a zero
// MaxRisk every level, unknown included.
func TestZeroGroup_CP4(t *testing.T) {
	lcRequireDecision(t, affrules.Decide(), collabplus.Group{}.Match(collabplus.Creator{}))
	big := collabplus.Creator{ID: "big", Level: level.L8, AvgRate: lcRate("100%"), Followers: 1 << 62, Risk: collabplus.HighRisk}
	lcRequireDecision(t, affrules.Decide(), collabplus.Group{ID: "g", MinLevel: level.L8, MinAvgRate: lcRate("80%"), MinFollowers: 1 << 61}.Match(big))
}

// CP-4: numbers a creator's attribute gives, however hostile, are compared quickly or not at
// all: exponents far outside the library's bounds never match and take no time; a group with
// such a bound is bad input, found as quickly.
func TestHostileNumbers_CP4(t *testing.T) {
	g := collabplus.Group{ID: "g", Criteria: []collabplus.Criterion{{Attribute: "score", Min: lcDecPtr("0"), Max: lcDecPtr("10")}}}
	for _, v := range []string{"1e-2000000000", "1e2000000000", "-1e2000000000", "9e999999999",
		"NaN", "Infinity", "0x10", "", " 5", "5 ", "1_000", "1e-29"} {
		deadline.Within(t, time.Second, func() {
			got := g.Match(collabplus.Creator{ID: "c", Attributes: map[string]string{"score": v}})
			require.False(t, got.Allowed, "%q", v)
		})
	}
	for _, v := range []string{"0", "10", "5.5", "1e0", "-0", "1e-28"} {
		require.True(t, g.Match(collabplus.Creator{ID: "c", Attributes: map[string]string{"score": v}}).Allowed, "%q", v)
	}

	s := lcSeller(t)
	tiny := decimal.New(1, -2_000_000_000)
	huge := decimal.New(1, 2_000_000_000)
	bad := collabplus.Group{ID: "g2", Criteria: []collabplus.Criterion{{Attribute: "score", Min: &tiny}, {Attribute: "score", Max: &huge}}}
	deadline.Within(t, time.Second, func() {
		lcBad(t, s, collabplus.SaveGroup(bad), lcT0, "group.criteria[0].min", "group.criteria[1].max")
	})
}

// CP-4: a group of the wrong shape is bad input naming every problem at once; nothing is saved.
func TestGroupShape_CP4(t *testing.T) {
	s := lcSeller(t)
	for _, tc := range []struct {
		name   string
		g      collabplus.Group
		fields []string
	}{
		{"no ID", collabplus.Group{}, []string{"group.id"}},
		{"levels inverted", collabplus.Group{ID: "g", MinLevel: level.L6, MaxLevel: lcLevel(level.L3)}, []string{"group.min_level"}},
		{"level L9", collabplus.Group{ID: "g", MinLevel: 9}, []string{"group.min_level"}},
		{"max level L9", collabplus.Group{ID: "g", MaxLevel: lcLevel(level.Level(9))}, []string{"group.max_level"}},
		{"rates inverted", collabplus.Group{ID: "g", MinAvgRate: lcRate("20%"), MaxAvgRate: lcRate("10%")}, []string{"group.min_avg_rate"}},
		{"negative followers", collabplus.Group{ID: "g", MinFollowers: -1}, []string{"group.min_followers"}},
		{"negative max followers", collabplus.Group{ID: "g", MaxFollowers: -1}, []string{"group.min_followers"}},
		{"followers inverted", collabplus.Group{ID: "g", MinFollowers: 10, MaxFollowers: 5}, []string{"group.min_followers"}},
		{"risk out of range", collabplus.Group{ID: "g", MaxRisk: 4}, []string{"group.max_risk"}},
		{"empty category", collabplus.Group{ID: "g", Categories: []affrules.Category{"beauty", ""}}, []string{"group.categories[1]"}},
		{"empty content type", collabplus.Group{ID: "g", ContentTypes: []string{""}}, []string{"group.content_types[0]"}},
		{"criterion without attribute", collabplus.Group{ID: "g", Criteria: []collabplus.Criterion{{OneOf: []string{"a"}}}}, []string{"group.criteria[0].attribute"}},
		{"criterion without condition", collabplus.Group{ID: "g", Criteria: []collabplus.Criterion{{Attribute: "a"}}}, []string{"group.criteria[0]"}},
		{"criterion with both", collabplus.Group{ID: "g", Criteria: []collabplus.Criterion{{Attribute: "a", OneOf: []string{"x"}, Min: lcDecPtr("1")}}}, []string{"group.criteria[0]"}},
		{"criterion inverted", collabplus.Group{ID: "g", Criteria: []collabplus.Criterion{{Attribute: "a", Min: lcDecPtr("2"), Max: lcDecPtr("1")}}}, []string{"group.criteria[0].min"}},
		{"everything", collabplus.Group{MinLevel: 9, MinAvgRate: lcRate("20%"), MaxAvgRate: lcRate("10%"), MinFollowers: -1, MaxRisk: 7,
			Categories: []affrules.Category{""}, ContentTypes: []string{""}, Criteria: []collabplus.Criterion{{}, {Attribute: "b", Min: lcDecPtr("2"), Max: lcDecPtr("1")}}},
			[]string{"group.id", "group.min_level", "group.min_avg_rate", "group.min_followers", "group.max_risk", "group.categories[0]",
				"group.content_types[0]", "group.criteria[0].attribute", "group.criteria[0]", "group.criteria[1].min"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := lcBad(t, s, collabplus.SaveGroup(tc.g), lcT0, tc.fields...)
			require.Len(t, lcFieldErrors(err), len(tc.fields), "%v", err)
		})
	}
}

// CP-4: a seller keeps at most 100 groups: the 101st is refused, observing 100; saving a group
// under an existing ID replaces it and is allowed at 100; the policy sets the limit.
func TestMaxGroups_CP4(t *testing.T) {
	s := lcSeller(t) // g1
	for i := 2; i <= 100; i++ {
		s = lcApply(t, s, collabplus.SaveGroup(collabplus.Group{ID: fmt.Sprintf("g%d", i)}), lcT0)
	}
	require.Len(t, s.Groups, 100)
	r := lcRefused(t, s, collabplus.SaveGroup(collabplus.Group{ID: "g101"}), lcT0.Add(time.Hour))
	require.Equal(t, "save_group", r.Action)
	require.Equal(t, "g101", r.Subject)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyTooMany,
		Observed: affrules.Count(100), Limit: affrules.Count(100), Subject: lcShop}), r.Decision)

	replaced := lcApply(t, s, collabplus.SaveGroup(collabplus.Group{ID: "g50", MinLevel: level.L7}), lcT0.Add(time.Hour))
	require.Len(t, replaced.Groups, 100)
	require.Equal(t, collabplus.Group{ID: "g50", MinLevel: level.L7}, replaced.Groups[49], "replaced in place")
	require.Equal(t, collabplus.Group{ID: lcGroup, MinLevel: level.L3}, replaced.Groups[0])

	p := collabplus.DefaultPolicy()
	p.MaxGroups = 2
	e := collabplus.MustNew(p, lcCom)
	s = lcApplyWith(t, e, lcSeller(t), collabplus.SaveGroup(collabplus.Group{ID: "g2"}), lcT0)
	r = lcRefusedWith(t, e, s, collabplus.SaveGroup(collabplus.Group{ID: "g3"}), lcT0)
	require.Equal(t, affrules.Count(2), r.Decision.Reasons[0].Observed)
	lcApplyWith(t, e, s, collabplus.SaveGroup(collabplus.Group{ID: "g2", MaxLevel: lcLevel(level.L2)}), lcT0)
}

// CP-4, CP-15: creators are matched against the group as it was when the collaboration was
// submitted: the seller's later edits of the group, stricter or looser, change nothing for it,
// a collaboration submitted after the edit uses the edited group, and final terms naming
// another group use that group as it is then. Members are never removed by a group change.
func TestGroupSnapshot_CP4_CP15(t *testing.T) {
	s := lcLcPaidSeller(t) // c1 with g1 (L3 and up), paid
	s = lcDraft(t, s, "c2", lcTask(lcLcPeriod), lcLcPaid)
	s = lcApply(t, s, collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L6}), lcDate(2, 21, 0))
	s = lcApply(t, s, collabplus.Submit("c2", lcFacts([]string{lcProduct})), lcDate(2, 21, 0))
	s = lcApply(t, s, collabplus.Pay("c2", "credit_card"), lcDate(2, 21, 1))
	require.Equal(t, collabplus.Group{ID: lcGroup, MinLevel: level.L3}, *lcCollab(t, s, "c1").Group)
	require.Equal(t, collabplus.Group{ID: lcGroup, MinLevel: level.L6}, *lcCollab(t, s, "c2").Group)

	l4 := collabplus.Creator{ID: "mali", Level: level.L4}
	l1 := collabplus.Creator{ID: "niran", Level: level.L1}
	joinAt := lcDate(3, 2, 9)
	joined := lcApply(t, s, collabplus.Join("c1", l4), joinAt)
	r := lcRefused(t, s, collabplus.Join("c2", l4), joinAt)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyLevelLow,
		Observed: affrules.LevelOf(4), Limit: affrules.LevelOf(6), Subject: "mali"}), r.Decision)

	// Looser now, still L3–L8 for c1.
	loose := lcApply(t, joined, collabplus.SaveGroup(collabplus.Group{ID: lcGroup}), joinAt.Add(time.Hour))
	r = lcRefused(t, loose, collabplus.Join("c1", l1), joinAt.Add(2*time.Hour))
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyLevelLow,
		Observed: affrules.LevelOf(1), Limit: affrules.LevelOf(3), Subject: "niran"}), r.Decision)
	require.Equal(t, "niran", r.Subject)
	require.Equal(t, []collabplus.Member{{Creator: "mali", Joined: joinAt}}, lcCollab(t, loose, "c1").Members, "a group change removes no member")

	// Final terms with group g2 (L0–L2): matched against g2.
	s = lcApply(t, lcLcPaidSeller(t), collabplus.SaveGroup(collabplus.Group{ID: "g2", MaxLevel: lcLevel(level.L2)}), lcDate(2, 25, 0))
	final := lcTask(lcLcPeriod)
	final.Group = "g2"
	s = lcApply(t, s, collabplus.Finalize("c1", final), lcDate(2, 25, 0))
	require.Equal(t, collabplus.Group{ID: "g2", MaxLevel: lcLevel(level.L2)}, *lcCollab(t, s, "c1").Group)
	s = lcApply(t, s, collabplus.SaveGroup(collabplus.Group{ID: "g2", MaxLevel: lcLevel(level.L8)}), lcDate(2, 26, 0))
	lcApply(t, s, collabplus.Join("c1", l1), joinAt)
	r = lcRefused(t, s, collabplus.Join("c1", l4), joinAt)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyLevelHigh,
		Observed: affrules.LevelOf(4), Limit: affrules.LevelOf(2), Subject: "mali"}), r.Decision)

	// Unknown groups are bad input, in preferences and final terms.
	final.Group = "g9"
	lcBad(t, s, collabplus.Finalize("c1", final), lcDate(2, 27, 0), "final.group")
	s = lcDraft(t, s, "c3", lcWith(lcTask(lcLcPeriod), collabplus.Product{ID: lcProduct}), lcDate(2, 27, 0))
	bad := lcTask(lcLcPeriod)
	bad.Group = "g9"
	s = lcApply(t, s, collabplus.Edit("c3", bad), lcDate(2, 27, 0))
	lcBad(t, s, lcSubmit("c3"), lcDate(2, 27, 0), "preferences.group")
}

// CP-4: one group serves several collaborations.
func TestGroupReused_CP4(t *testing.T) {
	s := lcSeller(t)
	for _, id := range []string{"a", "b", "c"} {
		s = lcSubmitted(t, s, id, lcTask(lcLcPeriod), lcDate(2, 20, 10))
		s = lcApply(t, s, collabplus.Pay(id, "credit_card"), lcDate(2, 20, 10))
	}
	for _, id := range []string{"a", "b", "c"} {
		s = lcApply(t, s, collabplus.Join(id, collabplus.Creator{ID: "mali", Level: level.L3}), lcDate(3, 1, 0))
	}
	require.Len(t, s.Groups, 1)
}
