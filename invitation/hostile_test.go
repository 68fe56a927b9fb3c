package invitation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

// wantFieldErr checks that err is an *affrules.FieldError of package invitation naming field,
// wrapping target when it is not nil, and that its message contains text.
func wantFieldErr(t *testing.T, err error, target error, field, text string) {
	t.Helper()
	require.Error(t, err)
	if target != nil {
		assert.ErrorIs(t, err, target)
	}
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe), "%v is not a *affrules.FieldError", err)
	assert.Equal(t, "invitation", fe.Pkg)
	if field != "" {
		found := false
		for _, e := range flatten(err) {
			if errors.As(e, &fe) && fe.Field == field {
				found = true
			}
		}
		assert.True(t, found, "no error names %s: %v", field, err)
	}
	assert.Contains(t, err.Error(), text)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Hostile and careless input as a host sends it (issue 10): every row is an error naming the
// field and its value, nothing is recorded, and nothing panics.
func TestHostileInput(t *testing.T) {
	ctx := context.Background()
	e := invitation.MustNew(invitation.DefaultPolicy())
	q := invitation.DefaultPolicy().Quota
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	creator := eligibility.Creator{ID: "c1", ECommercePermission: true}
	msg := func(m string) invitation.Invitation { inv := goodID; inv.Message = m; return inv }
	words := func(n int, sep string) string { return strings.TrimSuffix(strings.Repeat("kata"+sep, n), sep) }

	for _, tc := range []struct {
		name        string
		a           invitation.Account
		inv         invitation.Invitation
		c           eligibility.Creator
		at          time.Time
		target      error
		field, text string
	}{
		{name: "zero instant (MKT-6)", a: acctID, inv: goodID, c: creator, target: affrules.ErrOutOfRange, field: "at", text: "zero time"},
		{name: "year 1899", a: acctID, inv: goodID, c: creator, at: time.Date(1899, 12, 31, 23, 59, 59, 0, time.UTC), target: affrules.ErrOutOfRange, field: "at", text: "1900 to 2199"},
		{name: "year 2200", a: acctID, inv: goodID, c: creator, at: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), target: affrules.ErrOutOfRange, field: "at", text: "1900 to 2199"},
		{name: "empty account ID", a: func() invitation.Account { a := acctID; a.ID = ""; return a }(), inv: goodID, c: creator, at: t0, field: "account.id", text: "must not be empty"},
		{name: "empty creator ID", a: acctID, inv: goodID, c: eligibility.Creator{ECommercePermission: true}, at: t0, field: "creator.id", text: "must not be empty"},
		{name: "linked MCN of a megabyte (ELG-7 would name it)", a: acctID, inv: goodID, c: eligibility.Creator{ID: "cr1", ECommercePermission: true, LinkedMCN: strings.Repeat("m", 1<<20)}, at: t0,
			field: "creator.linked_mcn", text: "1048576 bytes: must be at most 256 bytes"},
		{name: "INV-6 message of zero-width spaces only", a: acctID, inv: msg("\u200b\u200b\u200b"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: `"\u200b\u200b\u200b": has no visible character`},
		{name: "INV-6 message of a byte-order mark and spaces", a: acctID, inv: msg(" \ufeff \u2060 "), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "no visible character"},
		{name: "INV-6 message of Hangul fillers", a: acctID, inv: msg("\u3164\u3164"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "no visible character"},
		{name: "INV-6 message of Thai vowel and tone marks only", a: acctID, inv: msg("\u0e31\u0e48"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "no visible character"},
		{name: "INV-6 message holding NUL", a: acctID, inv: msg("hello\x00world"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "U+0000 at byte 5: holds a control character"},
		{name: "INV-6 message holding ESC", a: acctID, inv: msg("hello \x1b[31mred"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "U+001B"},
		{name: "INV-6 message holding a C1 control", a: acctID, inv: msg("hello \u0085"), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "U+0085"},
		{name: "INV-6 501 words joined by zero-width spaces", a: acctID, inv: msg(words(501, "\u200b")), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "501 words"},
		{name: "INV-6 600 words joined by word joiners", a: acctID, inv: msg(words(600, "\u2060")), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "600 words"},
		{name: "INV-6 501 words joined by zero-width joiners", a: acctID, inv: msg(words(501, "\u200d")), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "501 words"},
		{name: "INV-6 501 words joined by soft hyphens", a: acctID, inv: msg(words(501, "\u00ad")), c: creator, at: t0, target: invitation.ErrMessage, field: "message", text: "501 words"},
		{name: "INV-5 contact of a zero-width space", a: acctID, inv: func() invitation.Invitation {
			inv := goodID
			inv.Contacts = []invitation.Contact{{Channel: affrules.Email, Value: "a\u200b@b.co"}}
			return inv
		}(), c: creator, at: t0, target: invitation.ErrContact, field: "contacts[0].value", text: "e-mail"},
		{name: "INV-7 purpose typo", a: acctID, inv: func() invitation.Invitation { inv := goodID; inv.Purpose = "product-distribution"; return inv }(), c: creator, at: t0, target: invitation.ErrPurpose, field: "purpose", text: `"product-distribution"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := invitation.NewMemory()
			r, d, err := e.Send(ctx, l, tc.a, tc.inv, tc.c, tc.at)
			wantFieldErr(t, err, tc.target, tc.field, tc.text)
			assert.False(t, d.Allowed)
			assert.Zero(t, r.Seq)
			page, herr := l.History(ctx, invitation.Query{Account: acctID.ID})
			require.NoError(t, herr)
			assert.Empty(t, page.Records, "nothing recorded")
		})
	}

	// The same bounds at the ledger, for a host that calls Reserve itself.
	t.Run("Reserve", func(t *testing.T) {
		l := invitation.NewMemory()
		for _, at := range []time.Time{{}, time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
			_, d, err := l.Reserve(ctx, q, acctID, goodID, at)
			wantFieldErr(t, err, affrules.ErrOutOfRange, "at", "")
			assert.False(t, d.Allowed)
		}
		noCreator := goodID
		noCreator.CreatorID = ""
		_, _, err := l.Reserve(ctx, q, acctID, noCreator, t0)
		wantFieldErr(t, err, nil, "invitation.creator_id", "must not be empty")
		badCreator := goodID
		badCreator.CreatorID = "c\x00"
		_, _, err = l.Reserve(ctx, q, acctID, badCreator, t0)
		wantFieldErr(t, err, nil, "invitation.creator_id", "must be UTF-8 text without ASCII control characters")
		badAccount := acctID
		badAccount.ID = strings.Repeat("a", 257)
		_, _, err = l.Reserve(ctx, q, badAccount, goodID, t0)
		wantFieldErr(t, err, nil, "account.id", "257 bytes: must be at most 256 bytes")
		e := invitation.MustNew(invitation.DefaultPolicy())
		_, _, err = e.Send(ctx, l, badAccount, goodID, eligibility.Creator{ID: "c\xff", ECommercePermission: true}, t0)
		wantFieldErr(t, err, nil, "account.id", "must be at most 256 bytes")
		wantFieldErr(t, err, nil, "creator.id", `"c\xff": must be UTF-8 text`)
		// The linked creators an invitation's showcase stores (INV-13) are held to the same form.
		linked := acctID
		linked.LinkedCreators = []invitation.LinkedCreator{{ID: "lc\x00"}, {ID: strings.Repeat("l", 300)}}
		_, _, err = e.Send(ctx, l, linked, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		wantFieldErr(t, err, invitation.ErrProfile, "account.linked_creators[0].id", "must be at most 256 bytes of UTF-8 text without ASCII control characters")
		wantFieldErr(t, err, invitation.ErrProfile, "account.linked_creators[1].id", "(300 bytes)")
		page, err := l.History(ctx, invitation.Query{Account: acctID.ID})
		require.NoError(t, err)
		assert.Empty(t, page.Records)
	})
}

// The limit's boundary with invisible separators: exactly 500 words joined by zero-width spaces
// pass, as 500 words joined by spaces do; an emoji sequence joined by zero-width joiners is one
// word, and visible text around invisible characters is a message.
func TestMessageInvisibleCharacters(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	family := "\U0001F468\u200d\U0001F469\u200d\U0001F467" // one emoji: man ZWJ woman ZWJ girl
	for _, tc := range []struct {
		name string
		msg  string
		ok   bool
	}{
		{"500 words joined by zero-width spaces", strings.TrimSuffix(strings.Repeat("kata\u200b", 500), "\u200b"), true},
		{"500 words joined by spaces", strings.TrimSuffix(strings.Repeat("kata ", 500), " "), true},
		{"499 words and an emoji family", strings.Repeat("kata ", 499) + family, true},
		{"499 words and two emoji families", strings.Repeat("kata ", 499) + family + " " + family, false},
		{"500 emoji families", strings.TrimSuffix(strings.Repeat(family+" ", 500), " "), true},
		{"501 emoji families", strings.TrimSuffix(strings.Repeat(family+" ", 501), " "), false},
		{"tabs and new lines are spaces", "Halo!\n\tWe would love to work with you.\r\n", true},
		{"a visible word among invisible ones", "\u200bhi\u200b", true},
		{"one emoji", family, true},
		{"Thai with a zero-width space between words", "สวัสดี\u200bครับ", true},
		{"501 words joined by a Hangul filler", strings.TrimSuffix(strings.Repeat("kata\u3164", 501), "\u3164"), false},
		{"501 words joined by a halfwidth Hangul filler", strings.TrimSuffix(strings.Repeat("kata\uffa0", 501), "\uffa0"), false},
		{"501 words joined by Hangul choseong and jungseong fillers", strings.TrimSuffix(strings.Repeat("kata\u115f\u1160", 501), "\u115f\u1160"), false},
		{"501 words joined by the braille blank", strings.TrimSuffix(strings.Repeat("kata\u2800", 501), "\u2800"), false},
		{"500 words joined by the braille blank", strings.TrimSuffix(strings.Repeat("kata\u2800", 500), "\u2800"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := goodID
			inv.Message = tc.msg
			err := e.Validate(acctID, inv)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				wantFieldErr(t, err, invitation.ErrMessage, "message", "exceeds the limit")
			}
		})
	}
}

// Quota.Check is the pure rule a host may call with usage it keeps itself: usage it could not
// have recorded is an error, never a decision.
func TestHostileCheck(t *testing.T) {
	q := invitation.DefaultPolicy().Quota
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	day := affrules.DayOf(t0, time.UTC)
	for _, tc := range []struct {
		name        string
		q           invitation.Quota
		home        *time.Location
		u           invitation.Usage
		at          time.Time
		target      error
		field, text string
	}{
		{name: "negative count", q: q, home: time.UTC, u: invitation.Usage{Day: day, Count: -1}, at: t0, target: affrules.ErrOutOfRange, field: "usage.count", text: "-1: must not be negative"},
		{name: "negative count of the next day", q: q, home: time.UTC, u: invitation.Usage{Day: day, NextDayCount: -5}, at: t0, target: affrules.ErrOutOfRange, field: "usage.next_day_count", text: "-5"},
		{name: "inverted day", q: q, home: time.UTC, u: invitation.Usage{Day: affrules.Period{Start: day.End, End: day.Start}}, at: t0, field: "usage.day", text: "ends before it starts"},
		{name: "last invitation in year 1", q: q, home: time.UTC, u: invitation.Usage{Last: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)}, at: t0, target: affrules.ErrOutOfRange, field: "usage.last", text: "1900 to 2199"},
		{name: "zero instant", q: q, home: time.UTC, at: time.Time{}, target: affrules.ErrOutOfRange, field: "at", text: "zero time"},
		{name: "nil zone", q: q, u: invitation.Usage{}, at: t0, field: "home", text: "nil"},
		{name: "zero quota", q: invitation.Quota{}, home: time.UTC, at: t0, target: affrules.ErrOutOfRange, field: "quota.daily_limit", text: "0: must be between 1 and 1000000"},
		{name: "negative window", q: invitation.Quota{DailyLimit: 1, RepeatWindowDays: -1}, home: time.UTC, at: t0, target: affrules.ErrOutOfRange, field: "quota.repeat_window_days", text: "-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, u, err := tc.q.Check(tc.home, tc.u, tc.at)
			wantFieldErr(t, err, tc.target, tc.field, tc.text)
			assert.Equal(t, affrules.Decision{}, d)
			assert.Equal(t, invitation.Usage{}, u)
		})
	}
	// Boundaries that are valid: a count of 0, the first and last instants of the years.
	for _, at := range []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		d, _, err := q.Check(time.UTC, invitation.Usage{}, at)
		require.NoError(t, err)
		assert.True(t, d.Allowed)
	}
}

// Policy typos (issue 10): an unknown channel, a custom channel that is malformed, built in or
// repeated, and repeated keys nested in the channel lists are errors naming the field.
func TestHostilePolicy(t *testing.T) {
	for _, tc := range []struct {
		name, doc, field, text string
	}{
		{"unknown channel", `{"channels": {"TH": ["line", "emial"]}}`, "policy.channels[TH][1]", `"emial": is not a known channel`},
		{"a fraction of an invitation", `{"daily_limit": 1.5}`, "policy.daily_limit", `1.5: must be a whole number`},
		{"a number as text", `{"repeat_window_days": "7"}`, "policy.repeat_window_days", `"7": must be a JSON number`},
		{"channel in capitals", `{"channels": {"UK": ["Email"]}}`, "policy.channels[UK][0]", `"Email": is not a known channel`},
		{"custom channel with a capital", `{"custom_channels": ["Telegram"]}`, "policy.custom_channels[0]", `"Telegram": must be 1 to 32`},
		{"custom channel already built in", `{"custom_channels": ["email"]}`, "policy.custom_channels[0]", "already a known channel"},
		{"custom channel twice", `{"custom_channels": ["telegram", "telegram"]}`, "policy.custom_channels[1]", "listed twice"},
		{"empty custom channel", `{"custom_channels": [""]}`, "policy.custom_channels[0]", "must be 1 to 32"},
		{"market given twice in channels", `{"channels": {"TH": ["line"], "TH": ["email"]}}`, "", "TH"},
		{"repeated key inside the listing", `{"listing": {"allow_partner_only": true, "allow_partner_only": false, "partner_sees_managed": true}}`, "", "allow_partner_only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := invitation.ParsePolicy([]byte(tc.doc))
			wantFieldErr(t, err, nil, tc.field, tc.text)
		})
	}
	// A custom channel, once declared, may be offered, and its values are checked as free text.
	p, err := invitation.ParsePolicy([]byte(`{"custom_channels": ["telegram"], "channels": {"ID": ["telegram", "whatsapp"]}}`))
	require.NoError(t, err)
	e := invitation.MustNew(p)
	inv := goodID
	inv.Contacts = []invitation.Contact{{Channel: "telegram", Value: "@agency"}}
	require.NoError(t, e.Validate(acctID, inv))
	inv.Contacts = []invitation.Contact{{Channel: "telegram", Value: "\u200b"}}
	wantFieldErr(t, e.Validate(acctID, inv), invitation.ErrContact, "contacts[0].value", "invisible")
	inv.Contacts = []invitation.Contact{{Channel: "telegram", Value: "@agency\u3164"}} // a blank filler looks like a space
	wantFieldErr(t, e.Validate(acctID, inv), invitation.ErrContact, "contacts[0].value", "invisible characters such as U+3164")
}

// A nil *Memory (a ledger a host declared and never made) is an error from every method, not a
// panic, with valid input too; so is one passed to Send as a Ledger.
func TestNilMemory(t *testing.T) {
	ctx := t.Context()
	var m *invitation.Memory
	a := invitation.Account{ID: "a", HomeMarket: affrules.ID, Partner: true}
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	_, _, err := m.Reserve(ctx, invitation.DefaultPolicy().Quota, a, invitation.Invitation{Market: affrules.ID, CreatorID: "c"}, at)
	assert.ErrorContains(t, err, "invitation: nil *Memory")
	_, err = m.History(ctx, invitation.Query{Account: "a"})
	assert.ErrorContains(t, err, "invitation: nil *Memory")
	_, err = m.Respond(ctx, "a", 1, at)
	assert.ErrorContains(t, err, "invitation: nil *Memory")
	e := invitation.MustNew(invitation.DefaultPolicy())
	_, _, err = e.Send(ctx, m, acctID, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, at)
	assert.ErrorContains(t, err, "invitation: nil *Memory")
}

// INV-6: an empty message is required; a blank one is named as given, not as empty.
func TestBlankMessageNamed(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	inv := goodID
	inv.Message = ""
	wantFieldErr(t, e.Validate(acctID, inv), invitation.ErrMessage, "message", `"": is required`)
	inv.Message = "  \n\t "
	wantFieldErr(t, e.Validate(acctID, inv), invitation.ErrMessage, "message", `"  \n\t ": is blank`)
}

// failingLedger is a host's Ledger whose store is down and which carelessly returns an
// allowing decision and a record beside its error.
type failingLedger struct {
	invitation.Ledger
	err error
}

func (f failingLedger) Reserve(context.Context, invitation.Quota, invitation.Account, invitation.Invitation, time.Time) (invitation.Record, affrules.Decision, error) {
	return invitation.Record{Seq: 7}, affrules.Decide(), f.err
}

// INV-11: Send returns a failing ledger's error named by the package, beside the zero record and
// a decision that allows nothing, whatever the ledger returned with it.
func TestSendFailingLedger(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	down := errors.New("db down")
	r, d, err := e.Send(t.Context(), failingLedger{err: down}, acctID, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, at)
	require.ErrorIs(t, err, down)
	require.EqualError(t, err, "invitation: ledger: db down")
	require.Zero(t, r)
	require.False(t, d.Allowed)
	named := errors.New("invitation: postgres: connection refused")
	_, _, err = e.Send(t.Context(), failingLedger{err: named}, acctID, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, at)
	require.Same(t, named, err)
}

// A nil context is an error of the package from every ledger method, not a panic.
func TestMemoryNilContext(t *testing.T) {
	var ctx context.Context // a host that forgot it
	m := invitation.NewMemory()
	_, _, err1 := m.Reserve(ctx, invitation.DefaultPolicy().Quota, invitation.Account{ID: "a"}, invitation.Invitation{CreatorID: "c"}, time.Now())
	_, err2 := m.History(ctx, invitation.Query{Account: "a"})
	_, err3 := m.Respond(ctx, "a", 1, time.Now())
	for i, err := range []error{err1, err2, err3} {
		assert.ErrorContains(t, err, "invitation: ", "method %d", i)
		assert.ErrorContains(t, err, "nil context.Context", "method %d", i)
	}
}

// Oversize texts (hostile-input review): the word budget counts a token however long as one
// word, so the message is also capped at 20,000 characters, and the username and nickname at
// 200 (INV-6, INV-9 interpretations). A text exactly at its cap is sent and stored whole; one
// character more is an error naming the field and its length in characters, never its text,
// and the ledger is as it was. Characters are runes: a multi-byte rune counts one.
func TestTextCaps(t *testing.T) {
	ctx := context.Background()
	e := invitation.MustNew(invitation.DefaultPolicy())
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	// 500 words of 40 characters with their separator (39 emoji, 4 bytes each, and a space):
	// 20,000 characters in 78,500 bytes, within the default budget of 500 words.
	emojiWords := strings.Repeat(strings.Repeat("😀", 39)+" ", 500)
	asciiWords := strings.Repeat(strings.Repeat("x", 39)+" ", 500)
	require.Equal(t, 20_000, utf8.RuneCountInString(emojiWords))
	require.Len(t, asciiWords, 20_000)
	set := map[string]func(*invitation.Invitation, string){
		"message":  func(inv *invitation.Invitation, s string) { inv.Message = s },
		"username": func(inv *invitation.Invitation, s string) { inv.Username = s },
		"nickname": func(inv *invitation.Invitation, s string) { inv.Nickname = s },
	}
	for _, tc := range []struct {
		name, field string
		atCap, over string // over has one character more than atCap, the cap, and no more words
		target      error
		overLen     int
	}{
		{"message of ASCII", "message", asciiWords, "x" + asciiWords, invitation.ErrMessage, 20_001},
		{"message of emoji", "message", emojiWords, "😀" + emojiWords, invitation.ErrMessage, 20_001},
		{"message of Thai, one word", "message", "ok " + strings.Repeat("ก", 19_997), "ok " + strings.Repeat("ก", 19_998), invitation.ErrMessage, 20_001},
		{"username of Thai", "username", strings.Repeat("ก", 200), strings.Repeat("ก", 201), affrules.ErrOutOfRange, 201},
		{"username of ASCII", "username", strings.Repeat("u", 200), strings.Repeat("u", 201), affrules.ErrOutOfRange, 201},
		{"nickname of emoji", "nickname", strings.Repeat("😀", 200), strings.Repeat("😀", 201), affrules.ErrOutOfRange, 201},
		{"nickname of ASCII", "nickname", strings.Repeat("n", 200), strings.Repeat("n", 201), affrules.ErrOutOfRange, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := invitation.DefaultPolicy()
			if strings.Contains(tc.name, "Thai") && tc.field == "message" {
				p.MaxSpacelessChars = 1_000_000 // a policy that allows it: the cap still holds
			}
			e := invitation.MustNew(p)
			l := invitation.NewMemory()
			// Something recorded first, so that "unchanged" is not "empty".
			first, d, err := e.Send(ctx, l, acctID, goodID, eligibility.Creator{ID: "c0", ECommercePermission: true}, t0)
			require.NoError(t, err)
			require.True(t, d.Allowed)
			before, err := l.History(ctx, invitation.Query{Account: acctID.ID})
			require.NoError(t, err)

			over := goodID
			set[tc.field](&over, tc.over)
			r, d, err := e.Send(ctx, l, acctID, over, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0.Add(time.Minute))
			wantFieldErr(t, err, tc.target, tc.field, fmt.Sprintf("invitation: %s %d characters: must be at most %d characters", tc.field, tc.overLen, tc.overLen-1))
			assert.Less(t, len(err.Error()), 200, "the error names the length, not the text")
			assert.Zero(t, r)
			assert.Zero(t, d)
			after, err := l.History(ctx, invitation.Query{Account: acctID.ID})
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing recorded")

			at := goodID
			set[tc.field](&at, tc.atCap)
			r, d, err = e.Send(ctx, l, acctID, at, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0.Add(2*time.Minute))
			require.NoError(t, err)
			require.True(t, d.Allowed, "%s", d)
			assert.Equal(t, first.Seq+1, r.Seq, "the refusal took no number")
			page, err := l.History(ctx, invitation.Query{Account: acctID.ID, Limit: 1})
			require.NoError(t, err)
			require.Len(t, page.Records, 1)
			stored := map[string]string{"message": page.Records[0].Message, "username": page.Records[0].Username, "nickname": page.Records[0].Nickname}
			assert.Equal(t, tc.atCap, stored[tc.field], "stored whole")
		})
	}

	// The review's reproduction: a 4 MiB one-word message, a 1 MiB username and 100,000 emoji,
	// each refused with its length, every problem at once, the error short.
	l := invitation.NewMemory()
	inv := invitation.Invitation{Market: affrules.TH, Purpose: invitation.CreatorPartnership,
		Message: "Hello " + strings.Repeat("x", 4<<20), Username: strings.Repeat("u", 1<<20), Nickname: strings.Repeat("n", 1<<20),
		Contacts: []invitation.Contact{{Channel: affrules.Email, Value: "a@b.co"}}}
	acct := invitation.Account{ID: "acct-th", HomeMarket: affrules.TH, MCN: true}
	creator := eligibility.Creator{ID: "c1", ECommercePermission: true}
	r, d, err := e.Send(ctx, l, acct, inv, creator, t0)
	wantFieldErr(t, err, invitation.ErrMessage, "message", "invitation: message 4194310 characters: must be at most 20000 characters (INV-6)")
	wantFieldErr(t, err, affrules.ErrOutOfRange, "username", "invitation: username 1048576 characters: must be at most 200 characters (INV-9)")
	wantFieldErr(t, err, affrules.ErrOutOfRange, "nickname", "invitation: nickname 1048576 characters")
	assert.Less(t, len(err.Error()), 600)
	assert.Zero(t, r)
	assert.Zero(t, d)
	inv.Username, inv.Nickname = "", ""
	inv.Message = strings.Repeat("😀", 100_000) // one word
	_, _, err = e.Send(ctx, l, acct, inv, creator, t0)
	wantFieldErr(t, err, invitation.ErrMessage, "message", "message 100000 characters: must be at most 20000 characters")
	page, err := l.History(ctx, invitation.Query{Account: acct.ID})
	require.NoError(t, err)
	assert.Empty(t, page.Records, "nothing recorded")
}

// Values no field takes, megabytes long, are named in errors by their start and length, not
// quoted whole: a contact's channel and value, the market, the home market and the purpose.
func TestLongValuesNotEchoed(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	big := strings.Repeat("é", 1<<19) // 1 MiB
	inv := goodID
	inv.Contacts = []invitation.Contact{{Channel: affrules.Email, Value: big}, {Channel: affrules.Channel(big), Value: "x"}}
	err := e.Validate(acctID, inv)
	wantFieldErr(t, err, invitation.ErrContact, "contacts[0].value", `"`+strings.Repeat("é", 64)+`"… (1048576 bytes)`)
	wantFieldErr(t, err, invitation.ErrContact, "contacts[1].channel", "… (1048576 bytes): is not offered")
	assert.Less(t, len(err.Error()), 2000)
	inv = goodID
	inv.Market, inv.Purpose = affrules.MarketCode(big), invitation.Purpose(big)
	a := acctID
	a.HomeMarket = affrules.MarketCode(big)
	err = e.Validate(a, inv)
	wantFieldErr(t, err, affrules.ErrUnknownMarket, "market", "… (1048576 bytes)")
	wantFieldErr(t, err, affrules.ErrUnknownMarket, "account.home_market", "… (1048576 bytes)")
	wantFieldErr(t, err, invitation.ErrPurpose, "purpose", "… (1048576 bytes)")
	assert.Less(t, len(err.Error()), 2000)
	// A linked creator's ID too long to store is named cut too.
	a = acctID
	a.LinkedCreators = []invitation.LinkedCreator{{ID: big}, {ID: big}}
	err = e.Validate(a, goodID)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "… (1048576 bytes): must be at most 256 bytes")
	assert.Less(t, len(err.Error()), 2000)
	// At 256 bytes a value is still quoted whole.
	inv = goodID
	inv.Purpose = invitation.Purpose(strings.Repeat("p", 256))
	wantFieldErr(t, e.Validate(acctID, inv), invitation.ErrPurpose, "purpose", `"`+strings.Repeat("p", 256)+`": must be`)
}
