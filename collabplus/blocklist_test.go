package collabplus_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/level"
)

// lcBlocked is CP-13's denial of creator, blocked since since, for a collaboration published
// at published.
func lcBlocked(creator string, since, published time.Time) affrules.Decision {
	return affrules.Decide(affrules.Reason{Rule: collabplus.RuleBlocklist, Key: lcKeyBlocked,
		Observed: affrules.Instant(since), Limit: affrules.Instant(published), Subject: creator})
}

// CP-13: a creator may join a collaboration published at P, at t, only if not blocked at any
// moment of [P, t]: a block before P that still holds at P, or one in (P, t], denies, observing
// the block's instant; an unblock before P (or at P) counts, one after P only for
// collaborations published after it.
func TestBlocklistAllows_CP13(t *testing.T) {
	P := lcDate(2, 20, 12)
	at := lcDate(3, 5, 0)
	feb := func(d int) time.Time { return lcDate(2, d, 0) }
	mar := func(d int) time.Time { return lcDate(3, d, 0) }
	block := func(at time.Time) collabplus.Block { return collabplus.Block{Creator: "kai", Blocked: true, At: at} }
	unblock := func(at time.Time) collabplus.Block { return collabplus.Block{Creator: "kai", At: at} }
	allowed := affrules.Decide()
	for _, tc := range []struct {
		name      string
		b         collabplus.Blocklist
		published time.Time
		at        time.Time
		want      affrules.Decision
	}{
		{"empty", nil, P, at, allowed},
		{"another creator", collabplus.Blocklist{{Creator: "mali", Blocked: true, At: feb(10)}}, P, at, allowed},
		{"block before publication", collabplus.Blocklist{block(feb(10))}, P, at, lcBlocked("kai", feb(10), P)},
		{"block at publication", collabplus.Blocklist{block(P)}, P, at, lcBlocked("kai", P, P)},
		{"block within", collabplus.Blocklist{block(mar(1))}, P, at, lcBlocked("kai", mar(1), P)},
		{"block at the instant", collabplus.Blocklist{block(at)}, P, at, lcBlocked("kai", at, P)},
		{"block after the instant", collabplus.Blocklist{block(at.Add(time.Nanosecond))}, P, at, allowed},
		{"unblock before publication", collabplus.Blocklist{block(feb(10)), unblock(feb(15))}, P, at, allowed},
		{"unblock at publication", collabplus.Blocklist{block(feb(10)), unblock(P)}, P, at, allowed},
		{"unblock 1ns after publication", collabplus.Blocklist{block(feb(10)), unblock(P.Add(time.Nanosecond))}, P, at, lcBlocked("kai", feb(10), P)},
		{"unblock after publication", collabplus.Blocklist{block(feb(10)), unblock(mar(1))}, P, at, lcBlocked("kai", feb(10), P)},
		{"unblock after, published later", collabplus.Blocklist{block(feb(10)), unblock(mar(1))}, mar(2), at, allowed},
		{"unblock after, published at the unblock", collabplus.Blocklist{block(feb(10)), unblock(mar(1))}, mar(1), at, allowed},
		{"blocked and unblocked within", collabplus.Blocklist{block(feb(10)), unblock(feb(15)), block(mar(1)), unblock(mar(3))}, P, at, lcBlocked("kai", mar(1), P)},
		{"blocked again at publication", collabplus.Blocklist{block(feb(10)), unblock(P), block(P)}, P, at, lcBlocked("kai", P, P)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lcRequireDecision(t, tc.want, tc.b.Allows("kai", tc.published, tc.at))
		})
	}
}

// CP-13: BlockedAt reads the last change at or before the instant.
func TestBlockedAt_CP13(t *testing.T) {
	b := collabplus.Blocklist{{Creator: "kai", Blocked: true, At: lcDate(2, 10, 0)}, {Creator: "kai", At: lcDate(2, 15, 0)}}
	require.False(t, b.BlockedAt("kai", lcDate(2, 10, 0).Add(-time.Nanosecond)))
	require.True(t, b.BlockedAt("kai", lcDate(2, 10, 0)))
	require.True(t, b.BlockedAt("kai", lcDate(2, 15, 0).Add(-time.Nanosecond)))
	require.False(t, b.BlockedAt("kai", lcDate(2, 15, 0)))
	require.False(t, b.BlockedAt("mali", lcDate(2, 12, 0)))
	require.False(t, collabplus.Blocklist(nil).BlockedAt("kai", lcDate(2, 12, 0)), "the zero Blocklist blocks nobody")
}

// CP-13, the seed's example: creator Y joins collaboration A, then the seller blocks them;
// they stay in A (its members and the offers covering them unchanged) but cannot join B,
// published before the block or after it. An unblock counts from the next collaboration: B
// stays closed to them, C, published after the unblock, is open.
func TestSeedBlocklist_CP13(t *testing.T) {
	s := lcSeller(t)
	s = lcSubmitted(t, s, "A", lcTask(lcLcPeriod), lcDate(2, 20, 10))
	s = lcApply(t, s, collabplus.Pay("A", "credit_card"), lcDate(2, 20, 10))
	s = lcDraft(t, s, "B", lcTask(lcLcPeriod), lcDate(2, 20, 10))
	s = lcDraft(t, s, "C", lcTask(lcDays(lcDate(3, 5, 0), 14)), lcDate(2, 20, 10))
	s = lcApply(t, s, collabplus.Submit("B", lcFacts([]string{lcProduct})), lcDate(2, 21, 9))
	s = lcApply(t, s, collabplus.Pay("B", "bank_transfer"), lcDate(2, 21, 9))
	y := collabplus.Creator{ID: "y", Level: level.L5}
	joined := lcDate(3, 1, 10)
	s = lcApply(t, s, collabplus.Join("A", y), joined)
	blockedAt := lcDate(3, 2, 0)
	s = lcApply(t, s, collabplus.BlockCreator("y"), blockedAt)
	require.Equal(t, collabplus.Blocklist{{Creator: "y", Blocked: true, At: blockedAt}}, s.Blocklist)

	a := lcCollab(t, s, "A")
	require.Equal(t, []collabplus.Member{{Creator: "y", Joined: joined}}, a.Members, "Y finishes A")
	offers, err := lcEval.Offers(a, lcDate(3, 10, 0))
	require.NoError(t, err)
	require.Len(t, offers, 1)
	require.Len(t, offers[0].Members, 1)
	require.Equal(t, "y", offers[0].Members[0].Creator, "A's offer still covers Y")

	r := lcRefused(t, s, collabplus.Join("B", y), lcDate(3, 3, 0))
	require.Equal(t, "join", r.Action)
	require.Equal(t, "y", r.Subject)
	lcRequireDecision(t, lcBlocked("y", blockedAt, lcDate(2, 21, 9)), r.Decision)

	// C is paid after the block: Y is blocked at its publication.
	s = lcApply(t, s, collabplus.Submit("C", lcFacts([]string{lcProduct})), lcDate(3, 2, 8))
	s = lcApply(t, s, collabplus.Pay("C", "credit_card"), lcDate(3, 2, 8))
	r = lcRefused(t, s, collabplus.Join("C", y), lcDate(3, 5, 0))
	lcRequireDecision(t, lcBlocked("y", blockedAt, lcDate(3, 2, 8)), r.Decision)

	// Unblocked on 3 March: B (published before) stays closed; D, published after, is open.
	s = lcApply(t, s, collabplus.UnblockCreator("y"), lcDate(3, 3, 0))
	lcRefused(t, s, collabplus.Join("B", y), lcDate(3, 4, 0))
	lcRefused(t, s, collabplus.Join("C", y), lcDate(3, 5, 0))
	s = lcDraft(t, s, "D", lcTask(lcDays(lcDate(3, 10, 0), 14)), lcDate(3, 4, 0))
	s = lcApply(t, s, collabplus.Submit("D", lcFacts([]string{lcProduct})), lcDate(3, 4, 0))
	s = lcApply(t, s, collabplus.Pay("D", "credit_card"), lcDate(3, 4, 1))
	s = lcApply(t, s, collabplus.Join("D", y), lcDate(3, 10, 0))
	require.Len(t, lcCollab(t, s, "D").Members, 1)
	require.Len(t, lcCollab(t, s, "A").Members, 1, "A unchanged throughout")
}

// CP-13: blocking a blocked creator, or unblocking one not blocked, changes nothing but the
// record's instant; an empty creator is bad input.
func TestBlockIdempotent_CP13(t *testing.T) {
	s := lcSeller(t)
	s = lcApply(t, s, collabplus.UnblockCreator("kai"), lcDate(2, 2, 0))
	require.Empty(t, s.Blocklist)
	s = lcApply(t, s, collabplus.BlockCreator("kai"), lcDate(2, 3, 0))
	s = lcApply(t, s, collabplus.BlockCreator("kai"), lcDate(2, 4, 0))
	require.Equal(t, collabplus.Blocklist{{Creator: "kai", Blocked: true, At: lcDate(2, 3, 0)}}, s.Blocklist)
	require.True(t, s.Updated.Equal(lcDate(2, 4, 0)))
	s = lcApply(t, s, collabplus.UnblockCreator("kai"), lcDate(2, 5, 0))
	s = lcApply(t, s, collabplus.BlockCreator("kai"), lcDate(2, 5, 0))
	require.Equal(t, collabplus.Blocklist{{Creator: "kai", Blocked: true, At: lcDate(2, 3, 0)}, {Creator: "kai", At: lcDate(2, 5, 0)},
		{Creator: "kai", Blocked: true, At: lcDate(2, 5, 0)}}, s.Blocklist)
	require.True(t, s.Blocklist.BlockedAt("kai", lcDate(2, 5, 0)), "the later change at one instant wins")

	lcBad(t, s, collabplus.BlockCreator(""), lcDate(2, 6, 0), "creator")
	lcBad(t, s, collabplus.UnblockCreator(""), lcDate(2, 6, 0), "creator")
}

// CP-13 with BlockedAtJoinOnly: the blocklist is read at the join instant only. Y, blocked after
// B's publication and unblocked since, may join B; while blocked, Y may not. By default the same
// join is refused: Y was blocked after B's publication.
func TestBlockedAtJoinOnly_CP13(t *testing.T) {
	for _, atJoinOnly := range []bool{true, false} {
		p := collabplus.DefaultPolicy()
		p.BlockedAtJoinOnly = atJoinOnly
		e := collabplus.MustNew(p, lcCom)
		s := lcSeller(t)
		s = lcDraft(t, s, "B", lcTask(lcLcPeriod), lcDate(2, 20, 10))
		s = lcApplyWith(t, e, s, collabplus.Submit("B", lcFacts([]string{lcProduct})), lcDate(2, 21, 9))
		s = lcApplyWith(t, e, s, collabplus.Pay("B", "bank_transfer"), lcDate(2, 21, 9))
		y := collabplus.Creator{ID: "y", Level: level.L5}
		s = lcApplyWith(t, e, s, collabplus.BlockCreator("y"), lcDate(3, 2, 0))
		r := lcRefusedWith(t, e, s, collabplus.Join("B", y), lcDate(3, 3, 0).Add(-time.Nanosecond))
		require.True(t, r.Decision.Failed(collabplus.RuleBlocklist), "%v", r.Decision)
		if atJoinOnly { // the reason says what was read: the block in force at the join
			require.Equal(t, "CP-13 failed: creator blocked by the seller (observed blocked 2026-03-02T00:00:00+07:00, limit joining 2026-03-02T23:59:59.999999999+07:00)", r.Decision.Failures()[0].String())
		}
		s = lcApplyWith(t, e, s, collabplus.UnblockCreator("y"), lcDate(3, 3, 0))
		if !atJoinOnly {
			r = lcRefusedWith(t, e, s, collabplus.Join("B", y), lcDate(3, 3, 0))
			require.True(t, r.Decision.Failed(collabplus.RuleBlocklist), "%v", r.Decision)
			continue
		}
		s = lcApplyWith(t, e, s, collabplus.Join("B", y), lcDate(3, 3, 0))
		require.Len(t, lcCollab(t, s, "B").Members, 1)
	}
}
