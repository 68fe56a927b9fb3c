package invitation_test

// Boundary tests that mutation testing asked for (issue 10): each pins one comparison of the
// package at its edge, so that changing < to <= there fails a test. The ledger's internal
// invariants (fast paths, sizing, housekeeping), which change no public answer, are pinned from
// inside the package in mutation_internal_test.go.
//
// Mutation score, with gremlins (github.com/go-gremlins/gremlins), one worker on 2 CPUs shared
// with other work, about 50 minutes a run:
//
//	gremlins unleash --workers 1 --timeout-coefficient 5 ./invitation
//
//	before these tests: 408 killed, 127 lived, 11 timed out, 364 not covered: efficacy 76.26%
//	after:              509 killed, 26 lived: efficacy 95.14%, the survivors re-applied by
//	                    hand against the new tests (each mutation alone, then go test ./invitation/),
//	                    not a new gremlins run
//
// A mutant that timed out made a test hang (a probe loop with no free slot): detected, though
// gremlins counts it apart. Most mutants not covered are case expressions of switch statements,
// which gremlins does not see covered, and invitationtest's failure reports. The 26
// survivors are equivalent: no input, and no state the ledger can reach, tells them from the
// code.
//
//   - Fast paths that the exact path backs up (memory.go Reserve: window > 0 and now < last+window
//     in open, now >= acc.dayStart in the admission inside the counted day): an instant the
//     mutant moves off the fast path goes through Check, which decides the same and leaves the
//     same usage; last < now when last == now (last becomes now either way).
//   - Ties that change nothing: raise with v == old (memory.go: the swap stores the same value),
//     a table size already minTable or exactly twice the live entries (memtable.go reserve:
//     recomputed, it is the same size), marks with none to drop (memshard.go mark, n > 0 at
//     n == 0: the marks are copied onto themselves and markSeq moves by 0), locate with no marks
//     (memshard.go, len(acc.marks) > 0 at 0: k < 0 is never true), ahead and back exactly at
//     their overflow point (memshard.go: t+d is then math.MaxInt64, t-d math.MinInt64).
//   - The search in remove (memshard.go): where it starts (the hash times instead of divided by
//     shardCount) and its direction (i-1) do not matter, since it runs until the one slot that
//     holds the account; and i == j, the edge of both comparisons of the backward shift, cannot
//     happen (j starts past i and the chain ends at an empty slot).
//   - Guards an earlier check already makes: 0x7f and 0x80 in a contact value (contact.go: both
//     are returned as control characters earlier in the same loop), a top-level domain of
//     exactly "xn--" (contact.go: its label ends with a hyphen, refused first), a space in the
//     visible-character test and 0x80 in the ASCII test of measure and isSeparator (message.go:
//     a space is a separator before; 0x80 is neither a space nor a format character either
//     way), the first rune's prev of -1 or +1 (message.go: a joiner at the start of a message
//     ends no token, and joins one that counts the same), a message of exactly 2^31 bytes
//     (message.go: cannot be built in a test; both sides are safe), the usage's counts at zero
//     in Check's shortcut (quota.go checkInput: the full check then finds nothing and allocates
//     nothing), the next day's count above zero (quota.go refuse: following >= DailyLimit >= 1
//     already implies it).

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
)

// INV-5 values at their length and character-class edges.
func TestContactValueEdges(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.CustomChannels = []affrules.Channel{"telegram"}
	p.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.ID: {affrules.Email, affrules.Line, "telegram"}}
	e := invitation.MustNew(p)
	// An e-mail address of exactly 254 bytes, with two 63-byte labels.
	domain := strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 57) + ".com"
	email254 := strings.Repeat("a", 64) + "@" + domain
	require.Len(t, email254, 254)
	for _, tc := range []struct {
		ch    affrules.Channel
		value string
		ok    bool
	}{
		{affrules.Email, email254, true},
		{affrules.Email, "a" + email254, false}, // 255 bytes (and a 65-byte local part)
		{affrules.Email, "x@" + strings.Repeat("b", 64) + ".com", false},
		{affrules.Email, "z09@x.nz", true},
		{affrules.Email, "ZZ@X.NZ", true},
		{affrules.Email, "a@b.xn--", false},
		{affrules.Email, "a@b.xn--p1ai", true},
		{affrules.Email, "a@b.c", false},
		{affrules.Line, "abcd", true},
		{affrules.Line, "abc", false},
		{affrules.Line, strings.Repeat("z", 20), true},
		{affrules.Line, "z0_9", true},
		{affrules.Line, "@Z9.-", true},
		{"telegram", strings.Repeat("t", 254), true},
		{"telegram", strings.Repeat("t", 255), false},
		{"telegram", "\u3164 \u3164", false}, // an inner space is not visible either
		{"telegram", "a b", true},
		{"telegram", "~", true},
		{"telegram", "x\u00a0x", true}, // U+00A0 is not a C1 control
	} {
		inv := goodID
		inv.Contacts = []invitation.Contact{{Channel: tc.ch, Value: tc.value}}
		err := e.Validate(acctID, inv)
		if tc.ok {
			assert.NoError(t, err, "%s %q", tc.ch, tc.value)
		} else {
			assert.ErrorIs(t, err, invitation.ErrContact, "%s %q", tc.ch, tc.value)
		}
	}
}

// INV-5: the refusal of phone alone names the market's other channels, in the market's order.
func TestPhoneAloneNamesOtherChannels(t *testing.T) {
	phone := goodID
	phone.Contacts = []invitation.Contact{{Channel: affrules.Phone, Value: "+62 21 555 0100"}}
	err := invitation.MustNew(invitation.DefaultPolicy()).Validate(acctID, phone)
	assert.ErrorContains(t, err, `contacts 1 given: must include one of whatsapp, email; phone alone is not enough (INV-5)`)
}

// INV-9: the ledger keeps history for the retention back from the latest instant of the
// account's shard, dropping it a block of 256 records at a time: a block whose every record is
// exactly the retention old is dropped; one a nanosecond younger is kept.
func TestMemoryHistoryRetentionEdge(t *testing.T) {
	ctx := context.Background()
	q := invitation.Quota{DailyLimit: 1000}
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		after time.Duration
		kept  int
	}{
		{24 * time.Hour, 1},
		{24*time.Hour - time.Nanosecond, 257},
	} {
		l := invitation.NewMemory(invitation.KeepHistory(24 * time.Hour))
		reserve := func(creator string, at time.Time) {
			inv := invitation.Invitation{Market: affrules.UK, CreatorID: creator, Purpose: invitation.ProductDistribution, Message: "hi"}
			_, d, err := l.Reserve(ctx, q, a, inv, at)
			require.NoError(t, err)
			require.True(t, d.Allowed, d.String())
		}
		for i := range 256 {
			reserve(fmt.Sprint("c", i), t0)
		}
		reserve("late", t0.Add(tc.after))
		page, err := l.History(ctx, invitation.Query{Account: a.ID, Limit: 1000})
		require.NoError(t, err)
		assert.Len(t, page.Records, tc.kept, "after %s", tc.after)
	}
}

// INV-3 in the ledger: an invitation exactly the window after the last one to the creator is
// admitted, a nanosecond earlier refused (MKT-3); with the window off (0 days), a late instant
// behind an invitation of the same creator is admitted.
func TestMemoryRepeatWindowEdge(t *testing.T) {
	ctx := context.Background()
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	inv := invitation.Invitation{Market: affrules.UK, CreatorID: "c1", Purpose: invitation.ProductDistribution, Message: "hi"}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	for _, tc := range []struct {
		q       invitation.Quota
		then    time.Time
		allowed bool
	}{
		{invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}, t0.Add(week), true},
		{invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}, t0.Add(week - time.Nanosecond), false},
		{invitation.Quota{DailyLimit: 100}, t0.Add(-time.Second), true},
		{invitation.Quota{DailyLimit: 100}, t0, true},
	} {
		l := invitation.NewMemory()
		_, d, err := l.Reserve(ctx, tc.q, a, inv, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
		_, d, err = l.Reserve(ctx, tc.q, a, inv, tc.then)
		require.NoError(t, err)
		assert.Equal(t, tc.allowed, d.Allowed, "%+v at %s: %s", tc.q, tc.then, d)
	}
}

// INV-13: each record shows what its invitation showed, when consecutive invitations of an
// account differ in any one field of the showcase, return to an earlier one, or show nothing.
func TestMemoryShowcaseEachField(t *testing.T) {
	ctx := context.Background()
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	base := invitation.Showcase{
		TopCreators: []invitation.LinkedCreator{{ID: "k1", Username: "kay", Followers: 9}},
		Company:     invitation.Company{Name: "Agency", LinkedCreators: 4, Services: []string{"live"}, Category: "beauty", Introduction: "We grow creators.", Address: "London"},
	}
	edits := []func(*invitation.Showcase){
		func(s *invitation.Showcase) {},
		func(s *invitation.Showcase) { s.Company.Name = "Agency Ltd" },
		func(s *invitation.Showcase) { s.Company.LinkedCreators = 5 },
		func(s *invitation.Showcase) { s.Company.Services = []string{"live", "video"} },
		func(s *invitation.Showcase) { s.Company.Category = "fashion" },
		func(s *invitation.Showcase) { s.Company.Introduction = "We grow creators fast." },
		func(s *invitation.Showcase) { s.Company.Address = "Leeds" },
		func(s *invitation.Showcase) { s.TopCreators = []invitation.LinkedCreator{{ID: "k2", Followers: 9}} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{Name: "Agency"}} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{LinkedCreators: 1}} },
		func(s *invitation.Showcase) {
			*s = invitation.Showcase{Company: invitation.Company{Services: []string{"x"}}}
		},
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{Category: "x"}} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{Introduction: "x"}} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{Address: "x"}} },
		func(s *invitation.Showcase) {
			*s = invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "k"}}}
		},
		func(s *invitation.Showcase) {}, // back to the first, which the account's cache of recent ones holds
		func(s *invitation.Showcase) { *s = invitation.Showcase{} },
		func(s *invitation.Showcase) {
			*s = invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "k"}}}
		},
		func(s *invitation.Showcase) { *s = invitation.Showcase{} },
		func(s *invitation.Showcase) { *s = invitation.Showcase{Company: invitation.Company{Address: "x"}} },
	}
	l := invitation.NewMemory()
	var want []*invitation.Showcase
	for i, edit := range edits {
		s := &invitation.Showcase{TopCreators: append([]invitation.LinkedCreator(nil), base.TopCreators...), Company: base.Company}
		s.Company.Services = append([]string(nil), base.Company.Services...)
		edit(s)
		inv := invitation.Invitation{Market: affrules.UK, CreatorID: fmt.Sprint("c", i), Purpose: invitation.ProductDistribution, Message: "hi", Showcase: s}
		if s.TopCreators == nil && s.Company.Name == "" && s.Company.LinkedCreators == 0 && s.Company.Services == nil &&
			s.Company.Category == "" && s.Company.Introduction == "" && s.Company.Address == "" {
			s = nil // shows nothing: History returns nil
		}
		_, d, err := l.Reserve(ctx, invitation.DefaultPolicy().Quota, a, inv, t0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		require.True(t, d.Allowed)
		want = append(want, s)
	}
	page, err := l.History(ctx, invitation.Query{Account: a.ID, Limit: 100})
	require.NoError(t, err)
	require.Len(t, page.Records, len(edits))
	for _, r := range page.Records {
		assert.Equal(t, want[r.Seq-1], r.Showcase, "record #%d", r.Seq)
	}
}

// INV-10: Respond finds a record by its Seq through the account's marks (one per 64 records),
// also once the log has dropped the oldest blocks and the marks pointing into them: every record
// History still holds is the one Respond answers for its Seq, and every other Seq is not found.
func TestMemoryRespondFindsEverySeq(t *testing.T) {
	ctx := context.Background()
	q := invitation.Quota{DailyLimit: 10_000}
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	l := invitation.NewMemory(invitation.KeepHistory(10 * time.Hour))
	const n = 3000
	for i := range n {
		inv := invitation.Invitation{Market: affrules.UK, CreatorID: fmt.Sprint("c", i), Purpose: invitation.ProductDistribution, Message: "hi"}
		_, d, err := l.Reserve(ctx, q, a, inv, t0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	page, err := l.History(ctx, invitation.Query{Account: a.ID, Limit: 1000})
	require.NoError(t, err)
	require.NotEmpty(t, page.Records)
	require.Less(t, len(page.Records), n, "the oldest blocks are dropped")
	held := map[int64]invitation.Record{}
	for _, r := range page.Records {
		held[r.Seq] = r
	}
	at := t0.Add(n * time.Minute)
	for seq := int64(0); seq <= n+1; seq++ {
		r, err := l.Respond(ctx, a.ID, seq, at)
		want, ok := held[seq]
		if !ok {
			assert.ErrorIs(t, err, invitation.ErrNotFound, "seq %d", seq)
			continue
		}
		require.NoError(t, err, "seq %d", seq)
		assert.Equal(t, want.CreatorID, r.CreatorID, "seq %d", seq)
		assert.True(t, want.At.Equal(r.At), "seq %d", seq)
		assert.True(t, r.Interested(), "seq %d", seq)
	}
}

// INV-13: a record from the ledger owns its showcase: changing what History returned changes
// neither the ledger's copy nor a later answer.
func TestMemoryRecordOwnsShowcase(t *testing.T) {
	ctx := context.Background()
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	inv := invitation.Invitation{Market: affrules.UK, CreatorID: "c1", Purpose: invitation.ProductDistribution, Message: "hi",
		Showcase: &invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "k1", Followers: 9}}, Company: invitation.Company{Services: []string{"live"}}}}
	l := invitation.NewMemory()
	_, _, err := l.Reserve(ctx, invitation.DefaultPolicy().Quota, a, inv, time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	page, err := l.History(ctx, invitation.Query{Account: a.ID})
	require.NoError(t, err)
	page.Records[0].Showcase.TopCreators[0].Followers = 0
	page.Records[0].Showcase.Company.Services[0] = "changed"
	page.Records[0].Showcase.Company.Name = "changed"
	page, err = l.History(ctx, invitation.Query{Account: a.ID})
	require.NoError(t, err)
	assert.Equal(t, inv.Showcase, page.Records[0].Showcase)
}

// INV-6 at the edges of the character classes: tab, line feed and carriage return separate
// words; DEL is a control character and U+00A0 is not; the observed value names characters of
// a script without spaces only when there are some, and quotes at most 16 characters of an
// invisible message.
func TestMessageEdges(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	validate := func(msg string) error {
		inv := goodID
		inv.Message = msg
		return e.Validate(acctID, inv)
	}
	for _, sep := range []string{"\t", "\n", "\r", " "} {
		assert.NoError(t, validate(strings.TrimSuffix(strings.Repeat("kata"+sep, 500), sep)), "500 words joined by %q", sep)
		assert.ErrorContains(t, validate(strings.TrimSuffix(strings.Repeat("kata"+sep, 501), sep)), "message 501 words: exceeds", "501 words joined by %q", sep)
	}
	assert.ErrorContains(t, validate("a\x7fb"), "U+007F at byte 1: holds a control character")
	assert.NoError(t, validate("a\u00a0b"))
	assert.ErrorContains(t, validate(strings.Repeat("ก", 2501)), "message 0 words and 2501 characters of a script without spaces: exceeds")
	assert.ErrorContains(t, validate(strings.Repeat("\u200b", 20)), `message "`+strings.Repeat(`\u200b`, 16)+`"…: has no visible character`)
	assert.ErrorContains(t, validate(strings.Repeat("\u200b", 16)), `message "`+strings.Repeat(`\u200b`, 16)+`": has no visible character`)
}

// Policy bounds at their edges: each bounded setting accepts its lowest and highest value and
// refuses one beyond; phone alone may be offered only where it counts, and an empty list never;
// custom channel names of 1 to 32 of a-z, 0-9, '_' and '-'.
func TestPolicyEdges(t *testing.T) {
	for _, tc := range []struct {
		doc string
		ok  bool
	}{
		{`{"max_words": 1, "max_spaceless_chars": 1, "top_creators": 0}`, true},
		{`{"max_words": 100000, "max_spaceless_chars": 1000000, "top_creators": 100}`, true},
		{`{"max_words": 0}`, false},
		{`{"max_words": 100001}`, false},
		{`{"max_spaceless_chars": 0}`, false},
		{`{"max_spaceless_chars": 1000001}`, false},
		{`{"top_creators": -1}`, false},
		{`{"top_creators": 101}`, false},
		{`{"daily_limit": 1, "repeat_window_days": 0}`, true},
		{`{"daily_limit": 1000000, "repeat_window_days": 3650}`, true},
		{`{"daily_limit": 1000001}`, false},
		{`{"repeat_window_days": 3651}`, false},
		{`{"phone_alone_counts": true, "channels": {"TH": ["phone"]}}`, true},
		{`{"phone_alone_counts": true, "channels": {"TH": []}}`, false},
		{`{"phone_alone_counts": false, "channels": {"TH": ["phone"]}}`, false},
		{`{"custom_channels": ["az09_-"]}`, true},
		{`{"custom_channels": ["` + strings.Repeat("z", 32) + `"]}`, true},
		{`{"custom_channels": ["` + strings.Repeat("z", 33) + `"]}`, false},
		{`{"custom_channels": ["a.b"]}`, false},
		{`{"custom_channels": ["A"]}`, false},
	} {
		_, err := invitation.ParsePolicy([]byte(tc.doc))
		if tc.ok {
			assert.NoError(t, err, tc.doc)
		} else {
			assert.Error(t, err, tc.doc)
		}
	}
}

// The quota's bounds at their edges, in Check and in the ledger; a problem of Check's input is
// reported alone, not beside the zero counts of a valid usage.
func TestQuotaEdges(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	inv := invitation.Invitation{Market: affrules.UK, CreatorID: "c1", Purpose: invitation.ProductDistribution, Message: "hi"}
	for _, q := range []invitation.Quota{{DailyLimit: 1}, {DailyLimit: 1_000_000, RepeatWindowDays: 3650}} {
		d, _, err := q.Check(time.UTC, invitation.Usage{}, t0)
		require.NoError(t, err, "%+v", q)
		assert.True(t, d.Allowed)
		_, d, err = invitation.NewMemory().Reserve(ctx, q, a, inv, t0)
		require.NoError(t, err, "%+v", q)
		assert.True(t, d.Allowed)
	}
	_, _, err := invitation.Quota{DailyLimit: 1}.Check(nil, invitation.Usage{Count: 0, NextDayCount: 0}, t0)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "usage.")
}
