package invitation_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

func TestDefaultPolicy(t *testing.T) {
	p := invitation.DefaultPolicy()
	require.NoError(t, p.Validate())
	assert.Equal(t, 100, p.DailyLimit, "INV-2")
	assert.Equal(t, 7, p.RepeatWindowDays, "INV-3")
	assert.Equal(t, 500, p.MaxWords, "INV-6")
	assert.Equal(t, 2500, p.MaxSpacelessChars, "INV-6 interpretation")
}

// problems returns the problems of a joined error, each an *affrules.FieldError of this package
// whose message starts with "invitation: " and its field.
func problems(t *testing.T, err error) []*affrules.FieldError {
	t.Helper()
	require.Error(t, err)
	var out []*affrules.FieldError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *affrules.FieldError
		require.True(t, errors.As(e, &fe), "%v", e)
		require.Equal(t, "invitation", fe.Pkg)
		require.True(t, strings.HasPrefix(e.Error(), "invitation: "+fe.Field+" "), e.Error())
		out = append(out, fe)
	}
	return out
}

// problemFields returns the fields of the problems of a joined error, in order.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var fields []string
	for _, fe := range problems(t, err) {
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestPolicyValidateReportsEveryProblem(t *testing.T) {
	p := invitation.Policy{RepeatWindowDays: -1, Channels: map[affrules.MarketCode][]affrules.Channel{
		"XX":        {affrules.Email},
		affrules.TH: {affrules.Phone, affrules.Phone},
	}}
	err := p.Validate()
	fields := problemFields(t, err)
	want := []string{"daily_limit", "repeat_window_days", "max_words", "max_spaceless_chars", "channels[TH][1]", "channels[TH]", "channels[XX]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.Contains(t, err.Error(), "invitation: repeat_window_days -1: must be between 0 and 3650")
}

func TestParsePolicy(t *testing.T) {
	p, err := invitation.ParsePolicy([]byte(`{"daily_limit": 50, "channels": {"UK": ["email", "phone"]}}`))
	require.NoError(t, err)
	want := invitation.DefaultPolicy()
	want.DailyLimit = 50
	want.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.UK: {affrules.Email, affrules.Phone}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	for _, bad := range []string{``, `{`, `[]`, `null`, `{"daily_limit": 0}`, `{"dailylimit": 5}`, `{"Daily_Limit": 5}`, `{"max_words": "500"}`, `{"max_words": 5.5}`, `{} {}`, `{"channels": {"ID": ["phone"]}}`, `{"channels": ["email"]}`, `{"daily_limit": 5, "daily_limit": 500}`, `{"daily_limit": 1,}`} {
		_, err := invitation.ParsePolicy([]byte(bad))
		assert.Error(t, err, "%q", bad)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "invitation: "), err.Error())
		}
	}
}

// ParsePolicy reports every problem of a document at once, each naming its field and value.
func TestParsePolicyReportsEveryProblem(t *testing.T) {
	_, err := invitation.ParsePolicy([]byte(`{
		"DAILY_LIMIT": 5,
		"max_words": "many",
		"repeat_window_days": 4000,
		"max_spaceless_chars": 0,
		"max_spaceless_chars": 10,
		"channels": {"XX": ["email"], "UK": ["phone"]}
	}`))
	var got []string
	for _, fe := range problems(t, err) {
		got = append(got, fe.Field+" "+fe.Value)
	}
	want := []string{
		"DAILY_LIMIT 5",           // names match exactly
		`max_words "many"`,        // wrong type
		"max_spaceless_chars 10",  // given twice
		"repeat_window_days 4000", // out of range
		"max_spaceless_chars 0",   // out of range
		"channels[UK] [phone]",    // INV-5: phone alone
		"channels[XX] XX",         // unknown market
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.Contains(t, err.Error(), "invitation: DAILY_LIMIT 5: is not a policy field (want channels, daily_limit, max_spaceless_chars, max_words, repeat_window_days)")
}

func FuzzParsePolicy(f *testing.F) {
	b, _ := json.Marshal(invitation.DefaultPolicy())
	f.Add(b)
	f.Add([]byte(`{"daily_limit": 50, "channels": {"UK": ["email", "phone"]}}`))
	f.Add([]byte(`{"repeat_window_days": 0, "max_words": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := invitation.ParsePolicy(data)
		if err != nil {
			return
		}
		require.NoError(t, p.Validate())
		again, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := invitation.ParsePolicy(again)
		require.NoError(t, err, "%s", again)
		if diff := cmp.Diff(p, q, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
	})
}

var (
	acctID = invitation.Account{ID: "acct", HomeMarket: affrules.ID, Partner: true}
	goodID = invitation.Invitation{
		Market: affrules.ID, CreatorID: "c1", Username: "siti", Nickname: "Siti", Purpose: invitation.ProductDistribution,
		Message:  "Halo! We would love to work with you.",
		Contacts: []invitation.Contact{{Channel: affrules.WhatsApp, Value: "+62 812-3456-7890"}},
	}
)

func TestValidate(t *testing.T) {
	p := invitation.DefaultPolicy()
	type edit func(*invitation.Account, *invitation.Invitation)
	contacts := func(cs ...invitation.Contact) edit {
		return func(_ *invitation.Account, inv *invitation.Invitation) { inv.Contacts = cs }
	}
	c := func(ch affrules.Channel, v string) invitation.Contact {
		return invitation.Contact{Channel: ch, Value: v}
	}
	for _, tc := range []struct {
		name   string
		edit   edit
		fields []string // fields of the problems, in order; none when valid
		target error
	}{
		{"valid", func(*invitation.Account, *invitation.Invitation) {}, nil, nil},
		{"INV-1 unknown invitation market", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Market = "US" }, []string{"market"}, affrules.ErrUnknownMarket},
		{"INV-1 unknown home market", func(a *invitation.Account, _ *invitation.Invitation) { a.HomeMarket = "" }, []string{"account.home_market", "market"}, affrules.ErrUnknownMarket},
		{"INV-1 market not the account's", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Market = affrules.MY }, []string{"market"}, nil},
		{"INV-1 cross-border partner", func(a *invitation.Account, inv *invitation.Invitation) {
			a.Markets = []affrules.MarketCode{affrules.VN}
			inv.Market = affrules.VN
			inv.Contacts = []invitation.Contact{c(affrules.Zalo, "0912 345 678")}
		}, nil, nil},
		{"missing IDs", func(a *invitation.Account, inv *invitation.Invitation) { a.ID, inv.CreatorID = "", "" }, []string{"account.id", "creator_id"}, nil},
		{"INV-5 no contact", contacts(), []string{"contacts"}, invitation.ErrContact},
		{"INV-5 phone alone", contacts(c(affrules.Phone, "+62 21 555 0100")), []string{"contacts"}, invitation.ErrContact},
		{"INV-5 phone alone and malformed: both problems", contacts(c(affrules.Phone, "call me")), []string{"contacts[0].value", "contacts"}, invitation.ErrContact},
		{"INV-5 malformed e-mail beside phone: the e-mail to fix", contacts(c(affrules.Phone, "+62 21 555 0100"), c(affrules.Email, "team@agency")), []string{"contacts[1].value"}, invitation.ErrContact},
		{"INV-5 phone is optional beside email", contacts(c(affrules.Email, "a@b.co"), c(affrules.Phone, "+62 21 555 0100")), nil, nil},
		{"INV-5 channel the market lacks", contacts(c(affrules.Email, "a@b.co"), c(affrules.Zalo, "0912345678")), []string{"contacts[1].channel"}, invitation.ErrContact},
		{"INV-5 channel twice", contacts(c(affrules.Email, "a@b.co"), c(affrules.Email, "b@b.co")), []string{"contacts[1].channel"}, invitation.ErrContact},
		{"INV-5 malformed e-mail", contacts(c(affrules.Email, "a@b")), []string{"contacts[0].value"}, invitation.ErrContact},
		{"INV-5 malformed WhatsApp", contacts(c(affrules.WhatsApp, "0812")), []string{"contacts[0].value"}, invitation.ErrContact},
		{"INV-6 empty message", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Message = "" }, []string{"message"}, invitation.ErrMessage},
		{"INV-6 invalid UTF-8", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Message = "hi \xff" }, []string{"message"}, invitation.ErrMessage},
		{"INV-7 unknown purpose", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Purpose = "fun" }, []string{"purpose"}, invitation.ErrPurpose},
		{"INV-7 partnership needs MCN", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Purpose = invitation.CreatorPartnership }, []string{"purpose"}, invitation.ErrPurpose},
		{"INV-7 distribution needs partner", func(a *invitation.Account, _ *invitation.Invitation) { a.Partner, a.MCN = false, true }, []string{"purpose"}, invitation.ErrPurpose},
		{"INV-7 both roles, partnership", func(a *invitation.Account, inv *invitation.Invitation) {
			a.MCN = true
			inv.Purpose = invitation.CreatorPartnership
		}, nil, nil},
		{"every problem at once", func(_ *invitation.Account, inv *invitation.Invitation) {
			inv.Message, inv.Purpose, inv.Contacts = "", "", []invitation.Contact{c(affrules.Line, "x")}
		}, []string{"contacts[0].channel", "message", "purpose"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, inv := acctID, goodID
			inv.Contacts = append([]invitation.Contact(nil), goodID.Contacts...)
			tc.edit(&a, &inv)
			err := invitation.Validate(p, a, inv)
			if tc.fields == nil {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, tc.fields, problemFields(t, err), err.Error())
			if tc.target != nil {
				assert.ErrorIs(t, err, tc.target)
			}
		})
	}
}

// INV-5: each channel's values.
func TestContactValues(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.ID: {affrules.Email, affrules.Phone, affrules.WhatsApp, affrules.Zalo, affrules.Viber, affrules.Line, "telegram"}}
	for _, tc := range []struct {
		ch    affrules.Channel
		value string
		ok    bool
	}{
		{affrules.Email, "partner@agency.co.id", true},
		{affrules.Email, "first.last+tag@sub.example.com", true},
		{affrules.Email, "a@b.co", true},
		{affrules.Email, "", false},
		{affrules.Email, "no-at.example.com", false},
		{affrules.Email, "two@@example.com", false},
		{affrules.Email, "a@b@example.com", false},
		{affrules.Email, "@example.com", false},
		{affrules.Email, "name@", false},
		{affrules.Email, "name@localhost", false},
		{affrules.Email, "name@example.c", false},
		{affrules.Email, "name@example.c0m", false},
		{affrules.Email, ".name@example.com", false},
		{affrules.Email, "na..me@example.com", false},
		{affrules.Email, "name@-example.com", false},
		{affrules.Email, "name@example..com", false},
		{affrules.Email, "Name <name@example.com>", false},
		{affrules.Email, "na me@example.com", false},
		{affrules.Email, strings.Repeat("a", 65) + "@example.com", false},
		{affrules.Email, strings.Repeat("a", 64) + "@example.com", true},
		{affrules.Email, "Sales@Agency.CO.TH", true},
		{affrules.Email, "o'brien@example.ie", true},
		{affrules.Email, "info@xn--12cfi8ixb8l.xn--o3cw4h", true}, // an internationalised domain and TLD, ASCII form
		{affrules.Email, "info@example.xn--", false},
		{affrules.Email, "name@example.com.", false},
		{affrules.Email, " name@example.com", false},
		{affrules.Email, "name@exam_ple.com", false},
		{affrules.Phone, "+62 812 3456 7890", true},
		{affrules.Phone, "081234567890", true},
		{affrules.Phone, "(021) 555-0100", true},
		{affrules.Phone, "+44 20 7946 0958", true},
		{affrules.Phone, "+44 (0)20 7946 0958", true},
		{affrules.Phone, "1234567", true},
		{affrules.Phone, "123456789012345", true},
		{affrules.Phone, "123456", false},
		{affrules.Phone, "+", false},
		{affrules.Phone, "0812345678 ext 5", false},
		{affrules.Phone, "+62-812-", false},
		{affrules.Phone, "1234567890123456", false},
		{affrules.Phone, "+62  812 3456", false},
		{affrules.Phone, "+62 812 3456 ", false},
		{affrules.Phone, "++62812345678", false},
		{affrules.Phone, "62812345678x", false},
		{affrules.Phone, "(021 5550100", false},
		{affrules.WhatsApp, "+60 12-345 6789", true},
		{affrules.WhatsApp, "wa.me/60123456789", false},
		{affrules.Zalo, "0912 345 678", true},
		{affrules.Viber, "+63 917 123 4567", true},
		{affrules.Line, "agency.th", true},
		{affrules.Line, "@agency_th", true},
		{affrules.Line, "abc", false},
		{affrules.Line, "Agency.TH", true}, // a phone keyboard capitalises the first letter
		{affrules.Line, "@123abcde", true}, // a LINE Official Account's basic ID
		{affrules.Line, "agency th", false},
		{affrules.Line, "agency@th", false},
		{affrules.Line, "ไลน์ไอดี", false},
		{affrules.Line, strings.Repeat("a", 21), false},
		{"telegram", "@agency", true},
		{"telegram", " agency", false},
		{"telegram", "a\x00b", false},
	} {
		inv := goodID
		inv.Contacts = []invitation.Contact{{Channel: tc.ch, Value: tc.value}}
		if tc.ch == affrules.Phone {
			inv.Contacts = append(inv.Contacts, invitation.Contact{Channel: affrules.Email, Value: "a@b.co"})
		}
		err := invitation.Validate(p, acctID, inv)
		if tc.ok {
			assert.NoError(t, err, "%s %q", tc.ch, tc.value)
		} else {
			assert.ErrorIs(t, err, invitation.ErrContact, "%s %q", tc.ch, tc.value)
		}
	}
}

// INV-6: at most 500 words, with the per-character budget for scripts without spaces.
func TestMessageLength(t *testing.T) {
	p := invitation.DefaultPolicy()
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("kata ", n)) }
	thai := func(n int) string { return strings.Repeat("ก", n) }
	for _, tc := range []struct {
		name string
		msg  string
		ok   bool
	}{
		{"one word", "Hi", true},
		{"500 words", words(500), true},
		{"501 words", words(501), false},
		{"500 words over many lines", strings.ReplaceAll(words(500), " ", "\n\t"), true},
		{"2500 Thai characters", thai(2500), true},
		{"2501 Thai characters", thai(2501), false},
		{"Thai with spaces between phrases cannot bypass", strings.Repeat(thai(100)+" ", 26), false},
		{"Thai vowel and tone marks count", strings.Repeat("ที่", 834), false}, // 3 code points each
		{"half of each budget", words(250) + " " + thai(1250), true},
		{"half of each budget and one more character", words(250) + " " + thai(1251), false},
		{"Thai with punctuation", strings.Repeat(thai(99)+"! ", 25), true},
		{"mixed token counts as a word and its characters", strings.Repeat("Aก ", 416), true},
		{"mixed token over", strings.Repeat("Aก ", 417), false},
		{"Japanese", strings.Repeat("こんにちは", 501), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := goodID
			inv.Message = tc.msg
			err := invitation.Validate(p, acctID, inv)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, invitation.ErrMessage)
			assert.Contains(t, err.Error(), "invitation: message ")
		})
	}
}

func FuzzValidateMessage(f *testing.F) {
	for _, s := range []string{"", " ", "hello world", "สวัสดีครับ ยินดีที่ได้รู้จัก", "Aก", "\xff", "日本語 text", "one two กขคงจฉ", "one two three กขคงจฉ"} {
		f.Add(s)
	}
	p := invitation.DefaultPolicy()
	p.MaxWords, p.MaxSpacelessChars = 5, 12
	f.Fuzz(func(t *testing.T, msg string) {
		inv := goodID
		inv.Message = msg
		err := invitation.Validate(p, acctID, inv)
		fields := strings.Fields(msg)
		// plain counts the tokens free of spaceless scripts, which are words whatever else the
		// token holds; spaceless counts the characters of such scripts.
		plain, spaceless := 0, 0
		for _, f := range fields {
			if !strings.ContainsFunc(f, isSpaceless) {
				plain++
			}
		}
		for _, r := range msg {
			if isSpaceless(r) {
				spaceless++
			}
		}
		if err != nil {
			require.ErrorIs(t, err, invitation.ErrMessage)
			// Not over-strict: valid UTF-8 of 1..MaxWords plain words and nothing else passes.
			if utf8.ValidString(msg) && spaceless == 0 && len(fields) > 0 && len(fields) <= p.MaxWords {
				t.Fatalf("%q refused with %d plain words: %v", msg, len(fields), err)
			}
			return
		}
		require.True(t, utf8.ValidString(msg), "invalid UTF-8 passed")
		require.NotEmpty(t, fields, "a blank message passed")
		// A message that passes spends at most the whole of the two budgets together (INV-6):
		// plain/MaxWords + spaceless/MaxSpacelessChars <= 1.
		require.LessOrEqual(t, plain*p.MaxSpacelessChars+spaceless*p.MaxWords, p.MaxWords*p.MaxSpacelessChars,
			"%q passed with %d plain words and %d spaceless characters", msg, plain, spaceless)
	})
}

// isSpaceless reports whether r is in a script written without spaces (INV-6 interpretation).
func isSpaceless(r rune) bool {
	return unicode.In(r, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func FuzzValidateContact(f *testing.F) {
	for _, s := range []string{"a@b.co", "+62 812 3456 7890", "(021) 555-0100", "agency.th", "", "@", "a@b@c", "+", "()", "1-2-3-4-5-6-7"} {
		f.Add("email", s)
		f.Add("whatsapp", s)
	}
	p := invitation.DefaultPolicy()
	p.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.ID: {affrules.Email, affrules.WhatsApp, affrules.Line, affrules.Phone, "telegram"}}
	f.Fuzz(func(t *testing.T, channel, value string) {
		inv := goodID
		inv.Contacts = []invitation.Contact{{Channel: affrules.Channel(channel), Value: value}}
		err := invitation.Validate(p, acctID, inv)
		if err != nil {
			require.ErrorIs(t, err, invitation.ErrContact)
			// Not over-strict: a plain number of 7 to 15 digits, with or without "+", is a
			// WhatsApp number.
			digits := strings.TrimPrefix(value, "+")
			if affrules.Channel(channel) == affrules.WhatsApp && len(digits) >= 7 && len(digits) <= 15 && strings.Trim(digits, "0123456789") == "" {
				t.Fatalf("WhatsApp %q refused: %v", value, err)
			}
			return
		}
		require.NotEmpty(t, value)
		switch affrules.Channel(channel) {
		case affrules.Email:
			require.Equal(t, 1, strings.Count(value, "@"), value)
			require.False(t, strings.ContainsAny(value, " <>\"\\,;:"), value)
		case affrules.WhatsApp:
			digits := 0
			for _, r := range value {
				switch {
				case r >= '0' && r <= '9':
					digits++
				case !strings.ContainsRune("+ -.()", r):
					t.Fatalf("%q passed as a number", value)
				}
			}
			require.True(t, digits >= 7 && digits <= 15, value)
		case affrules.Line:
			require.True(t, len(value) >= 4 && len(value) <= 21, value)
		}
	})
}

// INV-2..4 as the pure function the ledgers call.
func TestCheck(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.DailyLimit = 2
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, london)
	day := affrules.DayOf(t0, london)
	week := 7 * 24 * time.Hour
	for _, tc := range []struct {
		name    string
		policy  invitation.Policy
		u       invitation.Usage
		at      time.Time
		rules   []affrules.RuleID
		next    time.Time
		wantUse invitation.Usage // when allowed
	}{
		{name: "first invitation", policy: p, at: t0, wantUse: invitation.Usage{Day: day, Count: 1, Last: t0}},
		{name: "INV-2 second of the day", policy: p, u: invitation.Usage{Day: day, Count: 1}, at: t0, wantUse: invitation.Usage{Day: day, Count: 2, Last: t0}},
		{name: "INV-2 limit reached", policy: p, u: invitation.Usage{Day: day, Count: 2}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily}, next: day.End},
		{name: "INV-2 next local midnight resets", policy: p, u: invitation.Usage{Day: day, Count: 2}, at: day.End, wantUse: invitation.Usage{Day: affrules.DayOf(day.End, london), Count: 1, Last: day.End}},
		{name: "INV-3 one nanosecond early", policy: p, u: invitation.Usage{Day: day, Count: 1, Last: t0.Add(-week + time.Nanosecond)}, at: t0, rules: []affrules.RuleID{invitation.RuleRepeat}, next: t0.Add(time.Nanosecond)},
		{name: "INV-3 exactly 7×24h later (MKT-3)", policy: p, u: invitation.Usage{Day: day, Count: 1, Last: t0.Add(-week)}, at: t0, wantUse: invitation.Usage{Day: day, Count: 2, Last: t0}},
		{name: "INV-2 and INV-3: the later retry", policy: p, u: invitation.Usage{Day: day, Count: 2, Last: t0}, at: t0.Add(time.Hour), rules: []affrules.RuleID{invitation.RuleDaily, invitation.RuleRepeat}, next: t0.Add(week)},
		{name: "clock backwards: counted in the latest day", policy: p, u: invitation.Usage{Day: day, Count: 2}, at: day.Start.Add(-time.Hour), rules: []affrules.RuleID{invitation.RuleDaily}, next: day.End},
		{name: "clock backwards: before the last invitation", policy: p, u: invitation.Usage{Day: day, Count: 1, Last: t0}, at: t0.Add(-time.Hour), rules: []affrules.RuleID{invitation.RuleRepeat}, next: t0.Add(week)},
		{name: "clock backwards, allowed, keeps the later last", policy: invitation.Policy{DailyLimit: 5}, u: invitation.Usage{Day: day, Count: 1, Last: t0}, at: t0.Add(-time.Hour), wantUse: invitation.Usage{Day: day, Count: 2, Last: t0}},
		{name: "zero policy denies", policy: invitation.Policy{}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily}, next: day.End},
		{name: "INV-2 default: the 100th of the day", policy: invitation.DefaultPolicy(), u: invitation.Usage{Day: day, Count: 99}, at: t0, wantUse: invitation.Usage{Day: day, Count: 100, Last: t0}},
		{name: "INV-2 default: the 101st of the day", policy: invitation.DefaultPolicy(), u: invitation.Usage{Day: day, Count: 100}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily}, next: day.End},
		{name: "INV-2 and INV-3: the day outlasts the window", policy: p, u: invitation.Usage{Day: day, Count: 2, Last: t0.Add(-week + time.Hour)}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily, invitation.RuleRepeat}, next: day.End},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, u := tc.policy.Check(london, tc.u, tc.at)
			var rules []affrules.RuleID
			for _, r := range d.Failures() {
				rules = append(rules, r.Rule)
			}
			assert.Equal(t, tc.rules, rules, d.String())
			assert.Equal(t, tc.rules == nil, d.Allowed)
			assert.True(t, d.NextAllowed.Equal(tc.next), "next %s, want %s", d.NextAllowed, tc.next)
			want := tc.wantUse
			if !d.Allowed {
				want = tc.u
			}
			if diff := cmp.Diff(want, u); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
		})
	}
}

// INV-2 on London's DST change days (MKT-2): the day is 23 or 25 hours long and its limit resets
// at the next local midnight; INV-3 (MKT-3): the window is 7×24h, not seven calendar days, across
// the change.
func TestCheckLondonDST(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	p := invitation.DefaultPolicy()
	for _, tc := range []struct {
		name     string
		at       time.Time // a full day's limit used, at this instant
		midnight time.Time // the next local midnight
		length   time.Duration
	}{
		{"spring forward", time.Date(2026, 3, 29, 0, 30, 0, 0, london), time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), 23 * time.Hour},
		{"spring forward, after the change", time.Date(2026, 3, 29, 22, 59, 0, 0, time.UTC), time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), 23 * time.Hour},
		{"fall back", time.Date(2026, 10, 25, 0, 30, 0, 0, london), time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
		{"fall back, the repeated hour", time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			day := affrules.DayOf(tc.at, london)
			require.Equal(t, tc.length, day.Duration())
			full := invitation.Usage{Day: day, Count: p.DailyLimit}
			d, _ := p.Check(london, full, tc.at)
			require.True(t, d.Failed(invitation.RuleDaily), d.String())
			assert.True(t, d.NextAllowed.Equal(tc.midnight), "next %s, want %s", d.NextAllowed, tc.midnight)
			d, _ = p.Check(london, full, tc.midnight.Add(-time.Nanosecond))
			assert.False(t, d.Allowed, "a nanosecond before local midnight")
			d, u := p.Check(london, full, tc.midnight)
			assert.True(t, d.Allowed, d.String())
			assert.Equal(t, 1, u.Count)
		})
	}
	t.Run("INV-3 across spring forward", func(t *testing.T) {
		last := time.Date(2026, 3, 25, 12, 0, 0, 0, london) // GMT
		again := last.Add(7 * 24 * time.Hour)               // 13:00 BST, not 12:00
		u := invitation.Usage{Day: affrules.DayOf(last, london), Count: 1, Last: last}
		d, _ := p.Check(london, u, time.Date(2026, 4, 1, 12, 30, 0, 0, london))
		require.True(t, d.Failed(invitation.RuleRepeat), "seven calendar days are not yet 7×24h: %s", d)
		assert.True(t, d.NextAllowed.Equal(again), "next %s, want %s", d.NextAllowed, again)
		d, _ = p.Check(london, u, again)
		assert.True(t, d.Allowed, d.String())
	})
}

func TestCheckAllocs(t *testing.T) {
	p := invitation.DefaultPolicy()
	loc := time.FixedZone("WIB", 7*3600)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	u := invitation.Usage{Day: affrules.DayOf(t0, loc), Count: 3}
	allocs := testing.AllocsPerRun(100, func() { p.Check(loc, u, t0) })
	assert.Zero(t, allocs, "an allowed Check within the counted day")
}

func TestNewMemoryRejectsBadPolicy(t *testing.T) {
	_, err := invitation.NewMemory(invitation.Policy{})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
}

// Send reports every input problem at once, including those only Send can see, and records
// nothing; INV-8 asks eligibility.Listed from the inviting account's side.
func TestSend(t *testing.T) {
	ctx := context.Background()
	p := invitation.DefaultPolicy()
	l, err := invitation.NewMemory(p)
	require.NoError(t, err)
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

	inv := goodID
	inv.Message = ""
	_, d, err := invitation.Send(ctx, l, p, acctID, inv, eligibility.Creator{ID: "c2", ECommercePermission: true}, time.Time{})
	assert.False(t, d.Allowed)
	assert.Equal(t, []string{"message", "creator.id", "at"}, problemFields(t, err), err.Error())

	page, err := l.History(ctx, invitation.Query{Account: acctID.ID})
	require.NoError(t, err)
	assert.Empty(t, page.Records, "nothing recorded")

	// INV-8: a creator linked to the inviting MCN is listed for it, not for another account.
	mcn := invitation.Account{ID: "mcn-1", HomeMarket: affrules.ID, MCN: true}
	inv = goodID
	inv.Purpose = invitation.CreatorPartnership
	linked := eligibility.Creator{ID: "c1", ECommercePermission: true, LinkedMCN: "mcn-1"}
	_, d, err = invitation.Send(ctx, l, p, mcn, inv, linked, t0)
	require.NoError(t, err)
	assert.True(t, d.Allowed, d.String())
	other := mcn
	other.ID = "mcn-2"
	_, d, err = invitation.Send(ctx, l, p, other, inv, linked, t0)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	require.Len(t, d.Reasons, 2, d.String())
	assert.Equal(t, []affrules.RuleID{invitation.RuleListed, eligibility.RuleListing}, []affrules.RuleID{d.Reasons[0].Rule, d.Reasons[1].Rule}, d.String())
}
