package collabplus_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/level"
)

// rewardPeriod is Mar 2–20, 2026 in the UK: [Mar 2 00:00 GMT, Mar 21 00:00 GMT).
var rewardPeriod = days(affrules.UK, 2026, time.March, 2, 2026, time.March, 20)

// ukAt returns March d, 2026 at h:mi in London.
func ukAt(d, h, mi int) time.Time { return localTime(affrules.UK, 2026, time.March, d, h, mi) }

// taskCollab is a UK task collaboration over rewardPeriod with two tasks, a video and a LIVE,
// a reward of 50.00 GBP, and members ann (joined Mar 3 10:00) and bob (whose join is recorded
// before the start, Mar 1 20:00).
func taskCollab() collabplus.Collaboration {
	c := paidCollab(affrules.UK, rewardPeriod, localTime(affrules.UK, 2026, time.February, 20, 12, 0), obj("gmv", "500.00", "100"))
	c.Preferences.Tasks = []collabplus.TaskSpec{
		{ContentType: "video", Goal: collabplus.Content, Target: dec("2")},
		{ContentType: "live", Goal: collabplus.Sales, Target: dec("300")},
	}
	c.Members = []collabplus.Member{{Creator: "ann", Joined: ukAt(3, 10, 0)}, {Creator: "bob", Joined: localTime(affrules.UK, 2026, time.March, 1, 20, 0)}}
	return c
}

func reasonsDiff(want, got []affrules.Reason) string { return cmp.Diff(want, got) }

// CP-5: a task reward only when every task completes within [join, end), due at the last
// task's first counted completion; partial completion earns nothing.
func TestTaskReward(t *testing.T) {
	e := moneyEval(t)
	c := taskCollab()
	end := rewardPeriod.End
	reason := func(key string, task int, observed, limit affrules.Value) affrules.Reason {
		return affrules.Reason{Rule: collabplus.RuleTaskRewards, Key: affrules.MessageKey("collabplus.cp5." + key), Observed: observed, Limit: limit, Subject: fmt.Sprintf("tasks[%d]", task)}
	}
	inst := affrules.Instant
	tests := []struct {
		name    string
		creator string
		done    []collabplus.Completion
		due     time.Time // zero: denied
		reasons []affrules.Reason
	}{
		{"every task, several completions, any order", "ann", []collabplus.Completion{{1, ukAt(10, 0, 0)}, {0, ukAt(12, 0, 0)}, {0, ukAt(5, 0, 0)}, {1, ukAt(15, 0, 0)}}, ukAt(10, 0, 0), nil},
		{"completions at the join instant count", "ann", []collabplus.Completion{{0, ukAt(3, 10, 0)}, {1, ukAt(3, 10, 0)}}, ukAt(3, 10, 0), nil},
		{"an instant before the end counts", "ann", []collabplus.Completion{{0, ukAt(4, 0, 0)}, {1, end.Add(-time.Nanosecond)}}, end.Add(-time.Nanosecond), nil},
		{"the end instant is outside", "ann", []collabplus.Completion{{0, ukAt(4, 0, 0)}, {1, end}}, time.Time{},
			[]affrules.Reason{reason("completed_late", 1, inst(end), inst(end))}},
		{"before the join is outside", "ann", []collabplus.Completion{{0, ukAt(3, 9, 59)}, {1, ukAt(4, 0, 0)}}, time.Time{},
			[]affrules.Reason{reason("completed_before_join", 0, inst(ukAt(3, 9, 59)), inst(ukAt(3, 10, 0)))}},
		{"a join before the start counts from the start", "bob", []collabplus.Completion{{0, ukAt(1, 23, 0)}, {1, ukAt(2, 0, 0)}}, time.Time{},
			[]affrules.Reason{reason("completed_before_join", 0, inst(ukAt(1, 23, 0)), inst(rewardPeriod.Start))}},
		{"partial: one task never completed", "ann", []collabplus.Completion{{0, ukAt(4, 0, 0)}}, time.Time{},
			[]affrules.Reason{reason("not_completed", 1, affrules.Count(0), inst(end))}},
		{"nothing completed: every task listed", "ann", nil, time.Time{},
			[]affrules.Reason{reason("not_completed", 0, affrules.Count(0), inst(end)), reason("not_completed", 1, affrules.Count(0), inst(end))}},
		{"early and late, never in time: the late one is named", "ann", []collabplus.Completion{{0, ukAt(4, 0, 0)}, {1, ukAt(3, 9, 0)}, {1, end.Add(time.Hour)}, {1, end.Add(2 * time.Hour)}}, time.Time{},
			[]affrules.Reason{reason("completed_late", 1, inst(end.Add(time.Hour)), inst(end))}},
		{"a late completion beside one in time", "ann", []collabplus.Completion{{0, ukAt(4, 0, 0)}, {1, end.Add(time.Hour)}, {1, ukAt(20, 23, 59)}}, ukAt(20, 23, 59), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, d, err := e.TaskReward(c, tt.creator, tt.done)
			require.NoError(t, err)
			if diff := reasonsDiff(tt.reasons, d.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			if tt.due.IsZero() {
				require.False(t, d.Allowed)
				require.True(t, d.Failed(collabplus.RuleTaskRewards))
				require.Equal(t, collabplus.Reward{}, r, "partial completion earns nothing")
				return
			}
			require.True(t, d.Allowed, d.String())
			want := collabplus.Reward{Creator: tt.creator, Amount: dec("50"), Due: tt.due}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("reward (-want +got):\n%s", diff)
			}
		})
	}
	// The final terms decide (CP-15): with a third task, two completions are not enough.
	final := c.Preferences
	final.Tasks = append(slices.Clone(final.Tasks), collabplus.TaskSpec{ContentType: "video", Goal: collabplus.Orders, Target: dec("5")})
	final.Reward = dec("80.00")
	c.Final = &final
	_, d, err := e.TaskReward(c, "ann", tests[0].done)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.Equal(t, "denied: CP-5 failed: tasks[2] not completed: no task reward (observed 0 completions, limit by 2026-03-21T00:00:00Z)", d.String())
}

// Hostile input to TaskReward: FieldErrors of collabplus, nothing decided.
func TestTaskRewardHostile(t *testing.T) {
	e := moneyEval(t)
	c := taskCollab()
	ok := []collabplus.Completion{{0, ukAt(4, 0, 0)}, {1, ukAt(5, 0, 0)}}
	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		_, _, err := e.TaskReward(c, "ann", ok)
		require.ErrorIs(t, err, collabplus.ErrNoPolicy, name)
	}
	check := func(c collabplus.Collaboration, creator string, done []collabplus.Completion, fields ...string) {
		t.Helper()
		r, d, err := e.TaskReward(c, creator, done)
		for _, f := range fields {
			fieldErr(t, err, f)
		}
		require.Len(t, flatten(err), len(fields))
		require.Equal(t, collabplus.Reward{}, r)
		require.False(t, d.Allowed)
	}
	check(collabplus.Collaboration{}, "ann", ok, "collaboration.market")
	check(c, "carl", ok, "creator")
	check(c, "", ok, "creator")
	check(c, "ann", []collabplus.Completion{{-1, ukAt(4, 0, 0)}, {2, ukAt(4, 0, 0)}, {0, time.Time{}}}, "done[0].task", "done[1].task", "done[2].at")

	challenge := c
	challenge.Preferences.Type = collabplus.Challenge
	check(challenge, "ann", ok, "terms.type")
	zeroType := c
	zeroType.Preferences.Type = 0
	check(zeroType, "ann", ok, "terms.type")
	noPeriod := c
	noPeriod.Preferences.Period = affrules.Period{}
	check(noPeriod, "ann", ok, "terms.period.start")
	bad := c
	bad.Preferences.Tasks = nil
	bad.Preferences.Reward = dec("-1")
	check(bad, "ann", nil, "terms.tasks", "terms.reward")
	finer := c
	finer.Preferences.Reward = dec("10.001")
	check(finer, "ann", ok, "terms.reward")
	noJoin := c
	noJoin.Members = []collabplus.Member{{Creator: "ann"}}
	check(noJoin, "ann", ok, "collaboration.members[0].joined")
}

// challengeCollab is a UK challenge over rewardPeriod with tiers 1: 500, 2–3: 200, 4–5: 50,
// and the given members.
func challengeCollab(members ...string) collabplus.Collaboration {
	c := paidCollab(affrules.UK, rewardPeriod, localTime(affrules.UK, 2026, time.February, 20, 12, 0), obj("gmv", "1000.00", "100"))
	c.Preferences.Type, c.Preferences.Goal, c.Preferences.Tasks, c.Preferences.Reward = collabplus.Challenge, collabplus.Sales, nil, decimal.Decimal{}
	c.Preferences.Tiers = []collabplus.RankTier{{To: 1, Reward: dec("500.00")}, {To: 3, Reward: dec("200.00")}, {To: 5, Reward: dec("50.00")}}
	for _, m := range members {
		c.Members = append(c.Members, collabplus.Member{Creator: m, Joined: rewardPeriod.Start})
	}
	return c
}

func score(creator, value string, reached time.Time, qualified bool) collabplus.Score {
	return collabplus.Score{Creator: creator, Value: dec(value), Reached: reached, Qualified: qualified}
}

// rankOf returns the creators of rewards in order, with their amounts, as "ann 500".
func rankOf(rs []collabplus.Reward) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%d %s %s", r.Rank, r.Creator, r.Amount)
	}
	return out
}

// CP-6: ranked by value, ties by who reached it first and then creator ID; the unqualified are
// not ranked; rewards by tier, nothing below the last tier; due at the end.
func TestRank(t *testing.T) {
	c := challengeCollab("ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal")
	scores := []collabplus.Score{
		score("ann", "120.50", ukAt(10, 0, 0), true),
		score("bob", "999", ukAt(4, 0, 0), false), // highest, but not qualified
		score("cat", "300.00", ukAt(12, 0, 0), true),
		score("dan", "300", ukAt(11, 0, 0), true), // equal to cat's, reached earlier
		score("eve", "80", ukAt(9, 0, 0), true),
		score("fay", "80", ukAt(9, 0, 0), true), // equal to eve's, reached together: creator ID
		score("gus", "500", ukAt(15, 0, 0), true),
		score("hal", "1", ukAt(3, 0, 0), true), // ranked 7th: below the last tier
	}
	got, err := moneyEval(t).Rank(c, scores)
	require.NoError(t, err)
	require.Equal(t, []string{"1 gus 500", "2 dan 200", "3 cat 200", "4 ann 50", "5 eve 50"}, rankOf(got))
	for _, r := range got {
		require.Equal(t, rewardPeriod.End, r.Due, "paid after the end")
		require.Empty(t, r.Cancelled)
	}

	// The policy's tie-breaks, in its order.
	byID := moneyEval(t, func(p *collabplus.Policy) { p.TieBreaks = []string{collabplus.TieCreatorID} })
	got, err = byID.Rank(c, scores)
	require.NoError(t, err)
	require.Equal(t, []string{"1 gus 500", "2 cat 200", "3 dan 200", "4 ann 50", "5 eve 50"}, rankOf(got))
	onlyReached := moneyEval(t, func(p *collabplus.Policy) { p.TieBreaks = []string{collabplus.TieFirstReached} })
	rev := slices.Clone(scores)
	slices.Reverse(rev)
	got, err = onlyReached.Rank(c, rev)
	require.NoError(t, err)
	require.Equal(t, []string{"1 gus 500", "2 dan 200", "3 cat 200", "4 ann 50", "5 eve 50"}, rankOf(got), "exhausted tie-breaks fall back to creator ID")

	// Fewer ranked creators than tiers; nobody qualified; no scores.
	got, err = moneyEval(t).Rank(c, scores[:3])
	require.NoError(t, err)
	require.Equal(t, []string{"1 cat 500", "2 ann 200"}, rankOf(got))
	got, err = moneyEval(t).Rank(c, []collabplus.Score{scores[1]})
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = moneyEval(t).Rank(c, nil)
	require.NoError(t, err)
	require.Empty(t, got)

	// A tier's last rank belongs to it: rank 3 earns 200, rank 4 earns 50.
	tiers := challengeCollab("a", "b", "c", "d")
	var ss []collabplus.Score
	for i, m := range []string{"a", "b", "c", "d"} {
		ss = append(ss, score(m, fmt.Sprint(100-i), ukAt(5, 0, 0), true))
	}
	got, err = moneyEval(t).Rank(tiers, ss)
	require.NoError(t, err)
	require.Equal(t, []string{"1 a 500", "2 b 200", "3 c 200", "4 d 50"}, rankOf(got))
}

// CP-6: values too large for the integer keys are compared as decimals.
func TestRankLargeValues(t *testing.T) {
	c := challengeCollab("ann", "bob", "cat", "dan")
	scores := []collabplus.Score{
		score("ann", "0.0001", ukAt(5, 0, 0), true),
		score("bob", "123456789012345678901234567", ukAt(5, 0, 0), true),
		score("cat", "123456789012345678901234566.9999", ukAt(4, 0, 0), true),
		score("dan", "0", ukAt(3, 0, 0), true),
	}
	got, err := moneyEval(t).Rank(c, scores)
	require.NoError(t, err)
	require.Equal(t, []string{"1 bob 500", "2 cat 200", "3 ann 200", "4 dan 50"}, rankOf(got))

	// Each coefficient fits 63 bits, but not at the common scale of 0.0001.
	scores = []collabplus.Score{
		score("ann", "0.0001", ukAt(5, 0, 0), true),
		score("bob", "100000000000000000", ukAt(5, 0, 0), true),
		score("cat", "99999999999999999.9999", ukAt(4, 0, 0), true),
	}
	got, err = moneyEval(t).Rank(c, scores)
	require.NoError(t, err)
	require.Equal(t, []string{"1 bob 500", "2 cat 200", "3 ann 200"}, rankOf(got))

	// 38 digits, the library's bound, with coefficients of 127 bits: ranked, none dropped.
	scores = []collabplus.Score{
		score("ann", "99999999999999999999999999999999999999", ukAt(5, 0, 0), true),
		score("bob", "0.0000000000000000000000000001", ukAt(5, 0, 0), true),
		score("cat", "5", ukAt(5, 0, 0), true),
		score("dan", "99999999999999999999999999999999999998", ukAt(4, 0, 0), true),
	}
	got, err = moneyEval(t).Rank(c, scores)
	require.NoError(t, err)
	require.Equal(t, []string{"1 ann 500", "2 dan 200", "3 cat 200", "4 bob 50"}, rankOf(got))
	// 39 digits: bad input, never a silent drop.
	_, err = moneyEval(t).Rank(c, []collabplus.Score{score("ann", "999999999999999999999999999999999999999", ukAt(5, 0, 0), true)})
	require.ErrorContains(t, err, "collabplus: scores[0].value")
}

// Hostile input to Rank: FieldErrors of collabplus, every problem of the scores at once.
func TestRankHostile(t *testing.T) {
	e := moneyEval(t)
	c := challengeCollab("ann", "bob")
	ok := []collabplus.Score{score("ann", "1", ukAt(5, 0, 0), true)}
	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		_, err := e.Rank(c, ok)
		require.ErrorIs(t, err, collabplus.ErrNoPolicy, name)
	}
	check := func(c collabplus.Collaboration, scores []collabplus.Score, fields ...string) {
		t.Helper()
		got, err := e.Rank(c, scores)
		for _, f := range fields {
			fieldErr(t, err, f)
		}
		require.Len(t, flatten(err), len(fields))
		require.Nil(t, got)
	}
	check(collabplus.Collaboration{}, ok, "collaboration.market")
	check(taskCollab(), ok, "terms.type")
	check(c, []collabplus.Score{
		score("carl", "1", ukAt(5, 0, 0), true),
		score("ann", "-1", ukAt(5, 0, 0), true),
		score("ann", "2", ukAt(5, 0, 0), false),
		score("bob", "3", time.Time{}, true),
		{Creator: "bob", Value: decimal.New(1, 40), Qualified: true},
	}, "scores[0].creator", "scores[1].value", "scores[2].creator", "scores[3].reached", "scores[4].creator", "scores[4].value")
	_, err := e.Rank(c, []collabplus.Score{score("ann", "1", time.Time{}, false)})
	require.NoError(t, err, "an unqualified score needs no instant")

	noTiers := c
	noTiers.Preferences.Tiers = nil
	check(noTiers, ok, "terms.tiers")
	badTiers := c
	badTiers.Preferences.Tiers = []collabplus.RankTier{{To: 0, Reward: dec("1")}, {To: 3, Reward: dec("-1")}, {To: 3, Reward: dec("0.001")}}
	check(badTiers, ok, "terms.tiers[0].to", "terms.tiers[1].reward", "terms.tiers[2].to", "terms.tiers[2].reward")
}

// naiveRank is a plain reading of CP-6: filter the qualified, sort with decimal comparisons and
// the tie-breaks, then creator ID, and give each rank the first tier it fits.
func naiveRank(c collabplus.Collaboration, ties []string, scores []collabplus.Score) []collabplus.Reward {
	var q []collabplus.Score
	for _, s := range scores {
		if s.Qualified {
			q = append(q, s)
		}
	}
	slices.SortStableFunc(q, func(a, b collabplus.Score) int {
		if c := b.Value.Cmp(a.Value); c != 0 {
			return c
		}
		for _, tb := range ties {
			if tb == collabplus.TieFirstReached && !a.Reached.Equal(b.Reached) {
				return a.Reached.Compare(b.Reached)
			}
			if tb == collabplus.TieCreatorID && a.Creator != b.Creator {
				return strings.Compare(a.Creator, b.Creator)
			}
		}
		return strings.Compare(a.Creator, b.Creator)
	})
	var out []collabplus.Reward
	for i, s := range q {
		for _, tier := range c.Terms().Tiers {
			if i+1 <= tier.To {
				out = append(out, collabplus.Reward{Creator: s.Creator, Amount: tier.Reward, Due: c.Terms().Period.End, Rank: i + 1})
				break
			}
		}
	}
	return out
}

// CP-6 as properties: Rank agrees with the plain reading on random scores full of ties (equal
// values written with different exponents, equal instants), under every order of tie-breaks,
// and its result does not depend on the order of the scores.
func TestRankProperties(t *testing.T) {
	orders := [][]string{
		{collabplus.TieFirstReached, collabplus.TieCreatorID},
		{collabplus.TieCreatorID, collabplus.TieFirstReached},
		{collabplus.TieFirstReached},
		{collabplus.TieCreatorID},
	}
	evals := make([]*collabplus.Evaluator, len(orders))
	for i, o := range orders {
		evals[i] = moneyEval(t, func(p *collabplus.Policy) { p.TieBreaks = o })
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "members")
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("c%02d", (i*37)%100)
		}
		c := challengeCollab(names...)
		var tiers []collabplus.RankTier
		to := 0
		for range rapid.IntRange(1, 4).Draw(t, "tiers") {
			to += rapid.IntRange(1, 8).Draw(t, "tier.width")
			tiers = append(tiers, collabplus.RankTier{To: to, Reward: decimal.New(rapid.Int64Range(0, 100000).Draw(t, "tier.reward"), -2)})
		}
		c.Preferences.Tiers = tiers
		scores := make([]collabplus.Score, n)
		for i, name := range names {
			v := rapid.Int64Range(0, 6).Draw(t, "value")
			exp := rapid.IntRange(0, 3).Draw(t, "value.zeros") // 5, 5.0, 5.00, 5.000 are one value
			scores[i] = collabplus.Score{
				Creator:   name,
				Value:     decimal.New(v*[]int64{1, 10, 100, 1000}[exp], -int32(exp)),
				Reached:   ukAt(2+rapid.IntRange(0, 3).Draw(t, "reached"), 0, 0),
				Qualified: rapid.IntRange(0, 4).Draw(t, "qualified") > 0,
			}
		}
		oi := rapid.IntRange(0, len(orders)-1).Draw(t, "tie_breaks")
		got, err := evals[oi].Rank(c, scores)
		require.NoError(t, err)
		want := naiveRank(c, orders[oi], scores)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Rank disagrees with the plain reading (-want +got):\n%s", diff)
		}
		perm := rapid.Permutation(scores).Draw(t, "order")
		again, err := evals[oi].Rank(c, perm)
		require.NoError(t, err)
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("the order of the scores changed the ranking (-first +permuted):\n%s", diff)
		}
	})
}

// CP-14: a reward is cancelled once, for one of the policy's reason codes.
func TestCancelReward(t *testing.T) {
	e := moneyEval(t)
	r := collabplus.Reward{Creator: "ann", Amount: dec("50.00"), Due: ukAt(10, 0, 0)}
	for _, code := range []string{"account_security", "risk_control"} {
		got, err := e.CancelReward(r, code)
		require.NoError(t, err)
		want := r
		want.Cancelled = code
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		again, err := e.CancelReward(got, code)
		fieldErr(t, err, "reward.cancelled")
		require.Equal(t, got, again, "unchanged")
	}
	for _, code := range []string{"", "fraud", "Risk_Control", "risk_control "} {
		got, err := e.CancelReward(r, code)
		fieldErr(t, err, "code")
		require.Equal(t, r, got)
	}
	_, err := e.CancelReward(collabplus.Reward{}, "fraud")
	fieldErr(t, err, "reward.creator")
	fieldErr(t, err, "reward.due")
	fieldErr(t, err, "code")
	// A reward no rule could have produced is not cancelled as if it had been.
	for _, bad := range []collabplus.Reward{
		{Creator: "ann", Amount: dec("-5"), Due: r.Due},
		{Creator: "ann", Amount: decimal.New(1, 5000), Due: r.Due},
	} {
		got, err := e.CancelReward(bad, "risk_control")
		fieldErr(t, err, "reward.amount")
		require.Equal(t, bad, got)
	}

	custom := moneyEval(t, func(p *collabplus.Policy) { p.CancelReasons = []string{"fraud"} })
	_, err = custom.CancelReward(r, "risk_control")
	fieldErr(t, err, "code")
	got, err := custom.CancelReward(r, "fraud")
	require.NoError(t, err)
	require.Equal(t, "fraud", got.Cancelled)

	for name, e := range map[string]*collabplus.Evaluator{"zero": {}, "nil": nil} {
		got, err := e.CancelReward(r, "risk_control")
		require.ErrorIs(t, err, collabplus.ErrNoPolicy, name)
		require.Equal(t, r, got)
	}
}

// CP-6: an orders goal counts whole orders, and a qualified creator reaches its value within the
// challenge's period (from join to end): a fraction of an order, or a Reached at or after the end,
// before the start or before the creator joined, is bad input. The last instant of the period is within it.
func TestRankScoreBounds(t *testing.T) {
	e := moneyEval(t)
	c := challengeCollab("ann", "bob")
	end := c.Preferences.Period.End
	_, err := e.Rank(c, []collabplus.Score{score("ann", "10", end.Add(-time.Nanosecond), true), score("bob", "9", ukAt(5, 0, 0), true)})
	require.NoError(t, err)
	_, err = e.Rank(c, []collabplus.Score{score("ann", "10", end, true), score("bob", "9", c.Preferences.Period.Start.Add(-time.Nanosecond), true)})
	require.ErrorContains(t, err, "collabplus: scores[0].reached")
	require.ErrorContains(t, err, "collabplus: scores[1].reached")
	require.ErrorContains(t, err, "is outside the challenge's period")
	_, err = e.Rank(c, []collabplus.Score{score("ann", "10", end.Add(time.Hour), false)}) // not ranked: Reached unused
	require.NoError(t, err)
	// Nor before the creator joined, inside the period (a tie it would win).
	late := c
	late.Members = append([]collabplus.Member{{Creator: "cat", Joined: ukAt(10, 0, 0)}}, c.Members...)
	_, err = e.Rank(late, []collabplus.Score{score("cat", "3", ukAt(9, 23, 0), true), score("ann", "3", ukAt(5, 0, 0), true)})
	require.ErrorContains(t, err, "collabplus: scores[0].reached")
	require.ErrorContains(t, err, "is before the creator joined")
	_, err = e.Rank(late, []collabplus.Score{score("cat", "3", ukAt(10, 0, 0), true)})
	require.NoError(t, err, "at the join instant")

	c.Preferences.Goal = collabplus.Orders
	_, err = e.Rank(c, []collabplus.Score{score("ann", "1.5", ukAt(5, 0, 0), true)})
	require.ErrorContains(t, err, "collabplus: scores[0].value 1.5: must be a whole number of orders (CP-6)")
	_, err = e.Rank(c, []collabplus.Score{score("ann", "2.000", ukAt(5, 0, 0), true)})
	require.NoError(t, err)
}

// LVL-11, CP-18: a member who joined as a link-share-only creator does not complete a video or
// LIVE task (the policy's content-creator tasks), whatever is reported; an affiliate creator,
// an unknown kind, or a policy that names no such content, completes it.
func TestTaskRewardKind(t *testing.T) {
	c := taskCollab()
	c.Preferences.Tasks[1].ContentType = "link" // a task a link-share-only creator can do
	done := []collabplus.Completion{{0, ukAt(5, 0, 0)}, {1, ukAt(6, 0, 0)}}
	for _, tt := range []struct {
		kind   level.Kind
		tasks  []string
		reward bool
	}{
		{level.LinkShareOnly, []string{"live", "video"}, false},
		{level.AffiliateCreator, []string{"live", "video"}, true},
		{level.UnknownKind, []string{"live", "video"}, true},
		{level.LinkShareOnly, nil, true},
	} {
		p := collabplus.DefaultPolicy()
		p.ContentCreatorTasks = tt.tasks
		e := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
		c.Members[0].Kind = tt.kind
		r, d, err := e.TaskReward(c, "ann", done)
		require.NoError(t, err)
		require.Equal(t, tt.reward, d.Allowed, "%s, %v: %s", tt.kind, tt.tasks, d)
		if !tt.reward {
			require.Equal(t, []affrules.Reason{{Rule: collabplus.RuleTasks, Key: "collabplus.cp18.link_share_only",
				Observed: affrules.Text("link_share_only"), Limit: affrules.Text("video"), Subject: "tasks[0]"}}, d.Reasons)
			require.Equal(t, collabplus.Reward{}, r)
		}
	}
	// Content types compare ignoring case; the evaluator keeps its own copy of the list; a kind
	// out of range is bad input.
	p := collabplus.DefaultPolicy()
	e := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	p.ContentCreatorTasks[1] = "other" // the host's copy, after New
	c.Members[0].Kind = level.LinkShareOnly
	c.Preferences.Tasks[0].ContentType = "VIDEO"
	_, d, err := e.TaskReward(c, "ann", done)
	require.NoError(t, err)
	require.True(t, d.Failed(collabplus.RuleTasks), "VIDEO is video: %s", d)
	// And ignoring spaces at the ends: "video " in the terms is still video content.
	c.Preferences.Tasks[0].ContentType = "video "
	_, d, err = e.TaskReward(c, "ann", done)
	require.NoError(t, err)
	require.True(t, d.Failed(collabplus.RuleTasks), "video with a space is video: %s", d)
	c.Members[0].Kind = level.Kind(7)
	_, _, err = e.TaskReward(c, "ann", done)
	require.ErrorContains(t, err, "collaboration.members[0].kind 7")
}

// ELG-11, CP-18: once every product has left a collaboration (permanently disqualified), a task
// completed from then on earns nothing (an ELG-11 reason) and a challenge score reached from then
// on is bad input; one a nanosecond before counts, and products that leave at or after the end
// change nothing.
func TestRewardsAfterEveryProductLeft_ELG11(t *testing.T) {
	e := moneyEval(t)
	left := ukAt(12, 0, 0)
	c := taskCollab()
	c.Preferences.Products = append(slices.Clone(c.Preferences.Products), collabplus.Product{ID: "toner"})
	c.Ended = []collabplus.ProductEnd{{Product: "serum", At: ukAt(8, 0, 0)}}
	done := func(last time.Time) []collabplus.Completion {
		return []collabplus.Completion{{0, ukAt(5, 0, 0)}, {1, last}}
	}
	_, d, err := e.TaskReward(c, "ann", done(left))
	require.NoError(t, err)
	require.True(t, d.Allowed, "one product still takes part: %s", d)

	c.Ended = append(c.Ended, collabplus.ProductEnd{Product: "toner", At: left})
	r, d, err := e.TaskReward(c, "ann", done(left.Add(-time.Nanosecond)))
	require.NoError(t, err)
	require.True(t, d.Allowed, d.String())
	require.Equal(t, left.Add(-time.Nanosecond), r.Due)
	r, d, err = e.TaskReward(c, "ann", done(left))
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.Equal(t, collabplus.Reward{}, r)
	want := []affrules.Reason{{Rule: collabplus.RuleLaterDisqualification, Key: "collabplus.elg11.completed_after_products",
		Observed: affrules.Instant(left), Limit: affrules.Instant(left), Subject: "tasks[1]"}}
	if diff := reasonsDiff(want, d.Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	// Leaving at the end changes nothing: the end already bounds the completions.
	c.Ended[1].At = rewardPeriod.End
	_, d, err = e.TaskReward(c, "ann", done(rewardPeriod.End.Add(-time.Nanosecond)))
	require.NoError(t, err)
	require.True(t, d.Allowed, d.String())

	ch := challengeCollab("ann", "bob")
	for _, p := range ch.Terms().Products {
		ch.Ended = append(ch.Ended, collabplus.ProductEnd{Product: p.ID, At: left})
	}
	got, err := e.Rank(ch, []collabplus.Score{score("ann", "10", left.Add(-time.Nanosecond), true), score("bob", "5", ukAt(4, 0, 0), true)})
	require.NoError(t, err)
	require.Equal(t, []string{"1 ann 500", "2 bob 200"}, rankOf(got))
	_, err = e.Rank(ch, []collabplus.Score{score("ann", "10", left, true), score("bob", "5", ukAt(4, 0, 0), true)})
	lcBadInput(t, err, "scores[0].reached")
	require.ErrorContains(t, err, "ELG-11")
}

// CP-5: the completions are checked without naming each one, so their number does not add
// allocations: 1,000 completions allocate as 2 do.
func TestTaskRewardAllocsFlat(t *testing.T) {
	e := moneyEval(t)
	c := taskCollab()
	count := func(n int) float64 {
		done := make([]collabplus.Completion, n)
		for i := range done {
			done[i] = collabplus.Completion{Task: i % 2, At: ukAt(10, 0, i%60)}
		}
		return testing.AllocsPerRun(10, func() {
			if _, d, err := e.TaskReward(c, "ann", done); err != nil || !d.Allowed {
				t.Fatal(d, err)
			}
		})
	}
	require.Equal(t, count(2), count(1000))
}

// CP-5 with TaskRewardAtEnd: the same completions earn the same reward, due at the period's
// end instead of at the last task's first counted completion; partial completion still earns
// nothing. By default the reward is due as the last task completes.
func TestTaskRewardAtEnd_CP5(t *testing.T) {
	c := taskCollab()
	done := []collabplus.Completion{{1, ukAt(10, 0, 0)}, {0, ukAt(12, 0, 0)}}
	for _, atEnd := range []bool{false, true} {
		e := moneyEval(t, func(p *collabplus.Policy) { p.TaskRewardAtEnd = atEnd })
		r, d, err := e.TaskReward(c, "ann", done)
		require.NoError(t, err)
		require.True(t, d.Allowed, d.String())
		want := collabplus.Reward{Creator: "ann", Amount: dec("50"), Due: ukAt(12, 0, 0)}
		if atEnd {
			want.Due = rewardPeriod.End
		}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("task_reward_at_end %t: reward (-want +got):\n%s", atEnd, diff)
		}
		r, d, err = e.TaskReward(c, "ann", done[:1])
		require.NoError(t, err)
		require.False(t, d.Allowed)
		require.Equal(t, collabplus.Reward{}, r)
	}
	p, err := collabplus.ParsePolicy([]byte(`{"task_reward_at_end": true}`))
	require.NoError(t, err)
	require.True(t, p.TaskRewardAtEnd)
	require.False(t, collabplus.DefaultPolicy().TaskRewardAtEnd)
}
