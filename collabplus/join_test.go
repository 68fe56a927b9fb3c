package collabplus_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/level"
)

// CP-4, CP-13, CP-7, MKT-5: a join failing every check lists every reason at once, in the
// order member, group, blocklist: a creator who joined already, now reported at L1, and
// blocked since.
func TestJoinEveryReason_CP4_CP13(t *testing.T) {
	s := lcLcPaidSeller(t)
	joined := lcDate(3, 2, 0)
	s = lcApply(t, s, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L4}), joined)
	s = lcApply(t, s, collabplus.BlockCreator("kai"), lcDate(3, 3, 0))
	r := lcRefused(t, s, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L1}), lcDate(3, 4, 0))
	require.Equal(t, "join", r.Action)
	require.Equal(t, "kai", r.Subject)
	lcRequireDecision(t, lcDecision(time.Time{},
		affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyMember, Observed: affrules.Instant(joined), Subject: "kai"},
		affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyLevelLow, Observed: affrules.LevelOf(1), Limit: affrules.LevelOf(3), Subject: "kai"},
		affrules.Reason{Rule: collabplus.RuleBlocklist, Key: lcKeyBlocked, Observed: affrules.Instant(lcDate(3, 3, 0)), Limit: affrules.Instant(lcLcPaid), Subject: "kai"},
	), r.Decision)
}

// CP-7: a creator joins a collaboration once; the second join is refused, observing the first.
func TestJoinTwice_CP7(t *testing.T) {
	s := lcLcPaidSeller(t)
	mali := collabplus.Creator{ID: "mali", Level: level.L4}
	s = lcApply(t, s, collabplus.Join("c1", mali), lcLcPeriod.Start)
	r := lcRefused(t, s, collabplus.Join("c1", mali), lcLcPeriod.Start)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyMember,
		Observed: affrules.Instant(lcLcPeriod.Start), Subject: "mali"}), r.Decision)
	s = lcApply(t, s, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L8}), lcLcPeriod.Start)
	require.Equal(t, []collabplus.Member{{Creator: "mali", Joined: lcLcPeriod.Start}, {Creator: "kai", Joined: lcLcPeriod.Start}},
		lcCollab(t, s, "c1").Members)
}

// A join of an unknown collaboration or by a creator whose data is out of range (no ID, a level
// above L8, negative followers, a risk above high) is bad input, not a refusal; it records
// nothing.
func TestJoinBadInput(t *testing.T) {
	s := lcLcPaidSeller(t)
	at := lcDate(3, 2, 0)
	lcBad(t, s, collabplus.Join("c9", collabplus.Creator{ID: "mali", Level: level.L4}), at, "collaboration")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{Level: level.L4}), at, "creator.id")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L8 + 1}), at, "creator.level")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4, Followers: -1}), at, "creator.followers")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4, Risk: collabplus.HighRisk + 1}), at, "creator.risk")
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{Level: level.L8 + 1, Followers: -1, Risk: collabplus.HighRisk + 1}), at,
		"creator.id", "creator.level", "creator.followers", "creator.risk")
	for _, a := range []collabplus.Action{collabplus.Edit("c9", lcTask(lcLcPeriod)), collabplus.Submit("c9", lcFacts(nil)),
		collabplus.Pay("c9", "credit_card"), collabplus.Recall("c9"), collabplus.Finalize("c9", lcTask(lcLcPeriod))} {
		lcBad(t, s, a, at, "collaboration")
	}
}

// CP-4: the creator's attributes are those given at the join; the Join action keeps its own
// copy of them.
func TestJoinCopiesCreator_CP4(t *testing.T) {
	s := lcApply(t, lcLcPaidSeller(t), collabplus.SaveGroup(collabplus.Group{ID: "video", ContentTypes: []string{"video"}}), lcDate(2, 25, 0))
	final := lcTask(lcLcPeriod)
	final.Group = "video"
	s = lcApply(t, s, collabplus.Finalize("c1", final), lcDate(2, 25, 0))
	c := collabplus.Creator{ID: "mali", ContentTypes: []string{"video"}}
	a := collabplus.Join("c1", c)
	c.ContentTypes[0] = "live"
	lcApply(t, s, a, lcDate(3, 2, 0))
	lcRefused(t, s, collabplus.Join("c1", c), lcDate(3, 2, 0))
}

// CP-7, CP-13, CP-4, MKT-5: before the start of a paid collaboration, a join by a creator who
// is blocked, or outside the group, lists those reasons beside the state and names no instant,
// since the start would not admit it either; a creator whom only time holds back is told the
// start.
func TestJoinBeforeStartBlocked_CP13_MKT5(t *testing.T) {
	s := lcLcPaidSeller(t)
	blockedAt := lcLcPaid.Add(time.Hour)
	s = lcApply(t, s, collabplus.BlockCreator("kai"), blockedAt)
	at := blockedAt.Add(time.Hour)
	r := lcRefused(t, s, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L4}), at)
	lcRequireDecision(t, lcDecision(time.Time{},
		lcStateReason("c1", collabplus.Paid, "ongoing"),
		affrules.Reason{Rule: collabplus.RuleBlocklist, Key: lcKeyBlocked, Observed: affrules.Instant(blockedAt), Limit: affrules.Instant(lcLcPaid), Subject: "kai"},
	), r.Decision)
	r = lcRefused(t, s, collabplus.Join("c1", collabplus.Creator{ID: "ann", Level: level.L1}), at)
	lcRequireDecision(t, lcDecision(time.Time{},
		lcStateReason("c1", collabplus.Paid, "ongoing"),
		affrules.Reason{Rule: collabplus.RuleGroups, Key: lcKeyLevelLow, Observed: affrules.LevelOf(1), Limit: affrules.LevelOf(3), Subject: "ann"},
	), r.Decision)
	r = lcRefused(t, s, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), at)
	lcRequireDecision(t, lcDecision(lcLcPeriod.Start, lcStateReason("c1", collabplus.Paid, "ongoing")), r.Decision)
}

// CP-4: a Join action holds the creator as given when it was built: a host that reuses its
// attributes map (or slices) for the next creator before the action is applied changes nothing
// the action is judged on.
func TestJoinKeepsTheCreatorAsBuilt_CP4(t *testing.T) {
	s := lcApply(t, lcSeller(t), collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L3,
		Criteria: []collabplus.Criterion{{Attribute: "tier", OneOf: []string{"gold"}}}}), lcT0)
	s = lcDraft(t, s, "c1", lcTask(lcLcPeriod), lcT0)
	s = lcApply(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcSubmitted)
	s = lcApply(t, s, collabplus.Pay("c1", "credit_card"), lcLcPaid)
	attrs := map[string]string{"tier": "silver"}
	cats := []affrules.Category{affrules.FMCG}
	a := collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4, Categories: cats, Attributes: attrs})
	attrs["tier"], cats[0] = "gold", affrules.Fashion // the host's next creator
	r := lcRefused(t, s, a, lcDate(3, 2, 0))
	require.Equal(t, collabplus.RuleGroups, r.Decision.Reasons[0].Rule, "%v", r)
	require.Equal(t, affrules.Text("silver"), r.Decision.Reasons[0].Observed, "%v", r)
}

// CP-4: a paid collaboration read back without its group (a host's JSON that lost "group") is
// bad input to a join, not one open to every creator.
func TestJoinWithoutTheGroupSnapshot_CP4(t *testing.T) {
	s := lcLcPaidSeller(t)
	s.Collaborations = slices.Clone(s.Collaborations)
	s.Collaborations[0].Group = nil
	lcBad(t, s, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L1}), lcDate(3, 2, 0), "collaboration.group")
}
