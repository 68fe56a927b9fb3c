package invitation_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

func TestDefaultPolicy(t *testing.T) {
	p := invitation.DefaultPolicy()
	require.NoError(t, p.Validate())
	assert.Equal(t, 100, p.DailyLimit, "INV-2")
	assert.Equal(t, 7, p.RepeatWindowDays, "INV-3")
	assert.Equal(t, invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}, p.Quota)
	assert.Equal(t, 500, p.MaxWords, "INV-6")
	assert.Equal(t, 2500, p.MaxSpacelessChars, "INV-6 interpretation")
	assert.False(t, p.PhoneAloneCounts, "INV-5 interpretation: phone alone is not enough")
	assert.Equal(t, []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"}, p.Markets, "MKT-1: the Marketplace's seven markets")
	assert.Equal(t, eligibility.DefaultListing(), p.Listing, "ELG-7, INV-12")
	assert.Equal(t, 3, p.TopCreators, "INV-13")
}

// problems returns the problems of an error of this package, one or joined, each an
// *affrules.FieldError whose message starts with "invitation: " and its field.
func problems(t *testing.T, err error) []*affrules.FieldError {
	t.Helper()
	require.Error(t, err)
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var out []*affrules.FieldError
	for _, e := range errs {
		fe, ok := e.(*affrules.FieldError)
		require.True(t, ok, "%T %v", e, e)
		require.Equal(t, "invitation", fe.Pkg)
		require.True(t, strings.HasPrefix(e.Error(), "invitation: "+fe.Field+" "), e.Error())
		out = append(out, fe)
	}
	return out
}

// problemFields returns the fields of the problems of an error, in order.
func problemFields(t *testing.T, err error) []string {
	t.Helper()
	var fields []string
	for _, fe := range problems(t, err) {
		fields = append(fields, fe.Field)
	}
	return fields
}

func TestPolicyValidateReportsEveryProblem(t *testing.T) {
	p := invitation.Policy{Quota: invitation.Quota{RepeatWindowDays: -1}, Channels: map[affrules.MarketCode][]affrules.Channel{
		"XX":        {affrules.Email},
		affrules.TH: {affrules.Phone, affrules.Phone},
	}}
	err := p.Validate()
	fields := problemFields(t, err)
	want := []string{"policy.daily_limit", "policy.repeat_window_days", "policy.max_words", "policy.max_spaceless_chars", "policy.markets", "policy.channels[TH][1]", "policy.channels[TH]", "policy.channels[XX]"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.Contains(t, err.Error(), "invitation: policy.repeat_window_days -1: must be between 0 and 3650")
}

func TestQuotaValidate(t *testing.T) {
	require.NoError(t, invitation.DefaultPolicy().Quota.Validate())
	require.NoError(t, invitation.Quota{DailyLimit: 1}.Validate(), "a window of 0 switches INV-3 off")
	err := invitation.Quota{DailyLimit: 1_000_001, RepeatWindowDays: 3651}.Validate()
	assert.Equal(t, []string{"quota.daily_limit", "quota.repeat_window_days"}, problemFields(t, err))
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	// INV-2's day zone: empty (the home market's) or an IANA name, not the host's "Local".
	require.NoError(t, invitation.Quota{DailyLimit: 1, DayZone: "UTC"}.Validate())
	for _, zone := range []string{"Local", "Mars/Olympus", "utc ", strings.Repeat("A", 1000), "America//New_York", "./UTC", "Asia/./Singapore",
		"posixrules", "right/UTC", "posix/Asia/Singapore", "/etc/localtime", "../UTC"} {
		err := invitation.Quota{DailyLimit: 1, DayZone: zone}.Validate()
		assert.Equal(t, []string{"quota.day_zone"}, problemFields(t, err), "%q", zone)
	}
}

// INV-2's Interpretation is policy: the day is the home market's unless the quota names a zone,
// whose calendar days then count for every account (Quota.Day, Check), read from policy JSON.
func TestQuotaDayZone_INV2(t *testing.T) {
	p, err := invitation.ParsePolicy([]byte(`{"day_zone": "UTC"}`))
	require.NoError(t, err)
	require.Equal(t, "UTC", p.Quota.DayZone)
	_, err = invitation.ParsePolicy([]byte(`{"day_zone": "Europe/Lundon"}`))
	require.ErrorContains(t, err, `invitation: policy.day_zone "Europe/Lundon": is not a known IANA time zone`)

	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	at := time.Date(2026, 7, 20, 23, 30, 0, 0, time.UTC) // 00:30 on 21 July in London
	home := invitation.Quota{DailyLimit: 1}
	require.Equal(t, time.Date(2026, 7, 21, 0, 0, 0, 0, london), home.Day(london, at).Start)
	utc := invitation.Quota{DailyLimit: 1, DayZone: "UTC"}
	day := utc.Day(london, at)
	require.Equal(t, affrules.Period{Start: time.Date(2026, 7, 20, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 7, 21, 0, 0, 0, 0, time.UTC)}, day)
	d, _, err := utc.Check(london, invitation.Usage{Day: day, Count: 1}, at)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	require.Equal(t, "2026-07-20", d.Reasons[0].Subject)
	require.Equal(t, affrules.MessageKey("invitation.inv2.failed_day_zone"), d.Reasons[0].Key)
	require.Contains(t, d.String(), "limit 1 a day of the policy's day zone")
	for _, zone := range []string{"UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "America/Port-au-Prince"} {
		require.NoError(t, invitation.Quota{DailyLimit: 1, DayZone: zone}.Validate(), zone)
	}
	require.True(t, d.NextAllowed.Equal(day.End), "%s", d.NextAllowed)

	// A Memory ledger counts an account's days in one zone: a quota naming another for an
	// account it has counted is an error, and records nothing.
	m := invitation.NewMemory()
	a := invitation.Account{ID: "acct", HomeMarket: affrules.UK, Partner: true}
	inv := func(c string) invitation.Invitation {
		return invitation.Invitation{CreatorID: c, Market: affrules.UK, Purpose: invitation.ProductDistribution, Message: "hi",
			Contacts: []invitation.Contact{{Channel: affrules.Email, Value: "a@b.co"}}}
	}
	_, d, err = m.Reserve(context.Background(), utc, a, inv("c1"), at)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	_, _, err = m.Reserve(context.Background(), home, a, inv("c2"), at.Add(time.Minute))
	require.ErrorContains(t, err, `invitation: quota.day_zone "": differs from "UTC", the zone this ledger counts account "acct"'s days in`)
	_, d, err = m.Reserve(context.Background(), utc, a, inv("c2"), at.Add(time.Minute))
	require.NoError(t, err)
	require.False(t, d.Allowed, "the UTC day's one invitation is used")
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
	for _, bad := range []string{``, `{`, `[]`, `null`, `7`, `{"daily_limit": 0}`, `{"dailylimit": 5}`, `{"Daily_Limit": 5}`, `{"max_words": "500"}`, `{"max_words": 5.5}`, `{} {}`, `{"channels": {"ID": ["phone"]}}`, `{"channels": ["email"]}`, `{"daily_limit": 5, "daily_limit": 500}`, `{"daily_limit": 1,}`, `{"quota": {"daily_limit": 5}}`, `{"Quota": {}}`,
		`{"markets": []}`, `{"markets": ["UK", "UK"]}`, `{"markets": ["XX"]}`, `{"top_creators": -1}`, `{"top_creators": 101}`,
		`{"listing": {"allow_partner_only": true}}`, `{"listing": {"allow_partner_only": true, "partner_sees_managed": true, "x": 1}}`,
		`{"phone_alone_counts": "yes"}`} {
		_, err := invitation.ParsePolicy([]byte(bad))
		assert.Error(t, err, "%q", bad)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "invitation: "), err.Error())
		}
	}
}

// A policy document that leaves out a top-level setting (or gives it as null) keeps the
// DefaultPolicy value of that setting, not a zero that would switch a rule off.
func TestParsePolicyKeepsDefaultsOfOmittedSettings(t *testing.T) {
	def := invitation.DefaultPolicy()
	for _, tc := range []struct {
		doc  string
		want func(*invitation.Policy)
	}{
		{`{}`, func(*invitation.Policy) {}},
		{`{"daily_limit": 40}`, func(p *invitation.Policy) { p.DailyLimit = 40 }},
		{`{"repeat_window_days": 3}`, func(p *invitation.Policy) { p.RepeatWindowDays = 3 }},
		{`{"repeat_window_days": null, "max_words": 200}`, func(p *invitation.Policy) { p.MaxWords = 200 }},
		{`{"phone_alone_counts": true, "markets": ["ID", "TH"], "top_creators": 0}`, func(p *invitation.Policy) {
			p.PhoneAloneCounts, p.Markets, p.TopCreators = true, []affrules.MarketCode{affrules.ID, affrules.TH}, 0
		}},
		{`{"listing": {"allow_partner_only": true, "partner_sees_managed": false}}`, func(p *invitation.Policy) {
			p.Listing = eligibility.Listing{AllowPartnerOnly: true}
		}},
		{`{"max_spaceless_chars": 1000, "channels": {"SG": ["email"]}}`, func(p *invitation.Policy) {
			p.MaxSpacelessChars = 1000
			p.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.SG: {affrules.Email}}
		}},
	} {
		p, err := invitation.ParsePolicy([]byte(tc.doc))
		require.NoError(t, err, tc.doc)
		want := def
		tc.want(&want)
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.doc, diff)
		}
	}
}

// The shape of a document is checked at any depth, every problem at once: keys that are
// unknown, that match only when case is ignored, or that are given twice, a market given twice
// in "channels" included.
func TestParsePolicyShapeProblems(t *testing.T) {
	_, err := invitation.ParsePolicy([]byte(`{
		"DAILY_LIMIT": 5,
		"max_word": 300,
		"max_spaceless_chars": 0,
		"max_spaceless_chars": 10,
		"channels": {"UK": ["email"], "TH": ["line"], "UK": ["phone"]}
	}`))
	var got []string
	for _, fe := range problems(t, err) {
		got = append(got, fe.Field+" "+fe.Value)
	}
	want := []string{
		`policy "DAILY_LIMIT"`,         // names match exactly
		`policy "max_word"`,            // unknown
		`policy "max_spaceless_chars"`, // given twice
		`policy.channels "UK"`,         // a market given twice
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	assert.Contains(t, err.Error(), `did you mean "daily_limit"?`)
	assert.Contains(t, err.Error(), "key is given twice")
}

// A document of the right shape reports every problem Validate finds at once; a value of the
// wrong type is one error.
func TestParsePolicyReportsEveryProblem(t *testing.T) {
	_, err := invitation.ParsePolicy([]byte(`{
		"repeat_window_days": 4000,
		"max_spaceless_chars": 0,
		"channels": {"XX": ["email"], "UK": ["phone"], "TH": ["line", "line"]}
	}`))
	var got []string
	for _, fe := range problems(t, err) {
		got = append(got, fe.Field+" "+fe.Value)
	}
	want := []string{
		"policy.repeat_window_days 4000", // out of range
		"policy.max_spaceless_chars 0",   // out of range
		"policy.channels[TH][1] line",    // a channel listed twice
		"policy.channels[UK] [phone]",    // INV-5: phone alone
		"policy.channels[XX] XX",         // unknown market
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)

	_, err = invitation.ParsePolicy([]byte(`{"max_words": "many"}`))
	require.Error(t, err)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "policy.max_words", fe.Field, err.Error())
	assert.True(t, strings.HasPrefix(err.Error(), "invitation: policy.max_words "), err.Error())
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

func TestPolicyJSONKeepsTopLevelKeys(t *testing.T) {
	b, err := json.Marshal(invitation.DefaultPolicy())
	require.NoError(t, err)
	assert.JSONEq(t, `{"daily_limit":100,"repeat_window_days":7,"max_words":500,"max_spaceless_chars":2500,
		"phone_alone_counts":false,"markets":["UK","ID","MY","VN","TH","PH","SG"],
		"listing":{"allow_partner_only":false,"partner_sees_managed":true},"top_creators":3,"live_showcase":false,"spaceless_scripts":["Thai","Lao","Khmer","Myanmar","Han","Hiragana","Katakana"]}`, string(b))
}

var (
	acctID = invitation.Account{ID: "acct", HomeMarket: affrules.ID, MCN: true, Partner: true}
	goodID = invitation.Invitation{
		Market: affrules.ID, CreatorID: "c1", Username: "siti", Nickname: "Siti", Purpose: invitation.ProductDistribution,
		Message:  "Halo! We would love to work with you.",
		Contacts: []invitation.Contact{{Channel: affrules.WhatsApp, Value: "+62 812-3456-7890"}},
	}
)

func TestValidate(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
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
		{"INV-1 market not the account's", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Market = affrules.MY }, []string{"market"}, invitation.ErrMarket},
		{"INV-1 cross-border partner", func(a *invitation.Account, inv *invitation.Invitation) {
			a.Markets = []affrules.MarketCode{affrules.VN}
			inv.Market = affrules.VN
			inv.Contacts = []invitation.Contact{c(affrules.Zalo, "0912 345 678")}
		}, nil, nil},
		{"INV-1 an account's markets: unknown, empty, twice", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Markets = []affrules.MarketCode{"XX", affrules.VN, affrules.VN, ""}
		}, []string{"account.markets[0]", "account.markets[2]", "account.markets[3]"}, nil},
		{"missing account ID; the creator ID is Send's", func(a *invitation.Account, inv *invitation.Invitation) { a.ID, inv.CreatorID = "", "" }, []string{"account.id"}, nil},
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
		{"INV-6, INV-13 a bidirectional override", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Message = "Pay to \u202emoc.live\u202c" }, []string{"message"}, invitation.ErrMessage},
		{"INV-6 a message of several lines", func(_ *invitation.Account, inv *invitation.Invitation) {
			inv.Message = "Halo!\r\n\tWe would love\u2028to work with you."
		}, nil, nil},
		{"INV-7 unknown purpose", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Purpose = "fun" }, []string{"purpose"}, invitation.ErrPurpose},
		{"INV-12 partner-only account", func(a *invitation.Account, _ *invitation.Invitation) { a.MCN = false }, []string{"account.roles"}, invitation.ErrAccess},
		{"INV-12 and INV-7: no role at all", func(a *invitation.Account, _ *invitation.Invitation) { a.MCN, a.Partner = false, false }, []string{"account.roles", "purpose"}, invitation.ErrAccess},
		{"INV-12 and INV-7: partner-only, partnership", func(a *invitation.Account, inv *invitation.Invitation) {
			a.MCN = false
			inv.Purpose = invitation.CreatorPartnership
		}, []string{"account.roles", "purpose"}, invitation.ErrPurpose},
		{"INV-7 distribution needs partner", func(a *invitation.Account, _ *invitation.Invitation) { a.Partner = false }, []string{"purpose"}, invitation.ErrPurpose},
		{"INV-7 MCN only, partnership", func(a *invitation.Account, inv *invitation.Invitation) {
			a.Partner = false
			inv.Purpose = invitation.CreatorPartnership
		}, nil, nil},
		{"INV-7 both roles, partnership", func(_ *invitation.Account, inv *invitation.Invitation) { inv.Purpose = invitation.CreatorPartnership }, nil, nil},
		{"INV-13 profile", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Company = &invitation.Company{LinkedCreators: -1}
			a.LinkedCreators = []invitation.LinkedCreator{{ID: "x", Followers: 10}, {Followers: 5}, {ID: "x", Followers: -1}}
		}, []string{"account.company.linked_creators", "account.linked_creators[1].id", "account.linked_creators[2].id", "account.linked_creators[2].followers"}, invitation.ErrProfile},
		{"INV-13 shown texts", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Company = &invitation.Company{Name: "Agency\x00", Category: strings.Repeat("é", 201), Introduction: "\xff",
				Address: strings.Repeat("a", 501), Services: []string{"ok", "tab\there"}}
			a.LinkedCreators = []invitation.LinkedCreator{{ID: "x", Username: "x\u0085"}}
		}, []string{"account.company.name", "account.company.category", "account.company.introduction", "account.company.address",
			"account.company.services[1]", "account.linked_creators[0].username"}, invitation.ErrProfile},
		{"INV-13 shown texts: spoofing and nothing visible", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Company = &invitation.Company{Name: "\u202eycnegA", Category: "\u200b\u200b", Introduction: " \n ", Services: []string{"a\u2066b"}}
			a.LinkedCreators = []invitation.LinkedCreator{{ID: "x", Username: "admin\u202e"}}
		}, []string{"account.company.name", "account.company.category", "account.company.introduction",
			"account.company.services[0]", "account.linked_creators[0].username"}, invitation.ErrProfile},
		{"INV-13 an introduction and an address of several lines, an emoji sequence", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Company = &invitation.Company{Name: "Agency 👩‍💻", Introduction: "We are an agency.\r\n\tWe work with 300 creators.", Address: "Jl. Sudirman 1\nJakarta 10220"}
		}, nil, nil},
		{"INV-13 shown texts at their longest", func(a *invitation.Account, _ *invitation.Invitation) {
			a.Company = &invitation.Company{Name: strings.Repeat("ก", 200), Category: "ของใช้", Introduction: strings.Repeat("👩‍💻", 1000),
				Address: strings.Repeat("a", 500), Services: []string{strings.Repeat("s", 200)}}
		}, nil, nil},
		{"every problem at once", func(_ *invitation.Account, inv *invitation.Invitation) {
			inv.Message, inv.Purpose, inv.Contacts = "", "", []invitation.Contact{c(affrules.Line, "x")}
		}, []string{"contacts[0].channel", "message", "purpose"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, inv := acctID, goodID
			inv.Contacts = append([]invitation.Contact(nil), goodID.Contacts...)
			tc.edit(&a, &inv)
			err := e.Validate(a, inv)
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
	p.CustomChannels = []affrules.Channel{"telegram"}
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
		{affrules.Phone, "(+62) 812-3456-7890", true}, // the country code in parentheses
		{affrules.Phone, "(+62)", false},
		{affrules.Phone, "(+62 812-3456-7890", false},
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
		{"telegram", "\u200b", false},
		{"telegram", "a\u200bb", false},
		{"telegram", "\u3164", false},
		{"telegram", "ไทย", true},
	} {
		inv := goodID
		inv.Contacts = []invitation.Contact{{Channel: tc.ch, Value: tc.value}}
		if tc.ch == affrules.Phone {
			inv.Contacts = append(inv.Contacts, invitation.Contact{Channel: affrules.Email, Value: "a@b.co"})
		}
		err := invitation.MustNew(p).Validate(acctID, inv)
		if tc.ok {
			assert.NoError(t, err, "%s %q", tc.ch, tc.value)
		} else {
			assert.ErrorIs(t, err, invitation.ErrContact, "%s %q", tc.ch, tc.value)
		}
	}
}

// INV-6: at most 500 words, with the per-character budget for scripts without spaces.
func TestMessageLength(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
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
			err := e.Validate(acctID, inv)
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
	e := invitation.MustNew(p)
	f.Fuzz(func(t *testing.T, msg string) {
		inv := goodID
		inv.Message = msg
		err := e.Validate(acctID, inv)
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
		// Invisible format characters and blank fillers also separate words, and control
		// characters and messages with nothing visible are refused: the plain model below holds
		// for text without them.
		control := strings.ContainsFunc(msg, func(r rune) bool {
			return r < ' ' && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0
		})
		invisible := strings.ContainsFunc(msg, func(r rune) bool {
			return unicode.Is(unicode.Cf, r) || strings.ContainsRune("\u115f\u1160\u3164\uffa0\u2800", r)
		})
		visible := strings.ContainsFunc(msg, func(r rune) bool {
			return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && !strings.ContainsRune("\u115f\u1160\u3164\uffa0\u2800", r)
		})
		if err != nil {
			require.ErrorIs(t, err, invitation.ErrMessage)
			// Not over-strict: valid UTF-8 of 1..MaxWords plain words, something visible and
			// nothing else passes.
			if utf8.ValidString(msg) && !control && !invisible && visible && spaceless == 0 && len(fields) > 0 && len(fields) <= p.MaxWords {
				t.Fatalf("%q refused with %d plain words: %v", msg, len(fields), err)
			}
			return
		}
		require.True(t, utf8.ValidString(msg), "invalid UTF-8 passed")
		require.NotEmpty(t, fields, "a blank message passed")
		require.False(t, control, "a control character passed")
		require.True(t, visible, "a message with nothing visible passed")
		// A message that passes spends at most the whole of the two budgets together (INV-6):
		// plain/MaxWords + spaceless/MaxSpacelessChars <= 1.
		if !invisible {
			require.LessOrEqual(t, plain*p.MaxSpacelessChars+spaceless*p.MaxWords, p.MaxWords*p.MaxSpacelessChars,
				"%q passed with %d plain words and %d spaceless characters", msg, plain, spaceless)
		}
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
	p.CustomChannels = []affrules.Channel{"telegram"}
	e := invitation.MustNew(p)
	f.Fuzz(func(t *testing.T, channel, value string) {
		inv := goodID
		inv.Contacts = []invitation.Contact{{Channel: affrules.Channel(channel), Value: value}}
		err := e.Validate(acctID, inv)
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
	p := invitation.DefaultPolicy().Quota
	p.DailyLimit = 2
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, london)
	day := affrules.DayOf(t0, london)
	week := 7 * 24 * time.Hour
	for _, tc := range []struct {
		name    string
		policy  invitation.Quota
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
		{name: "clock backwards, allowed, keeps the later last", policy: invitation.Quota{DailyLimit: 5}, u: invitation.Usage{Day: day, Count: 1, Last: t0}, at: t0.Add(-time.Hour), wantUse: invitation.Usage{Day: day, Count: 2, Last: t0}},
		{name: "INV-2 default: the 100th of the day", policy: invitation.DefaultPolicy().Quota, u: invitation.Usage{Day: day, Count: 99}, at: t0, wantUse: invitation.Usage{Day: day, Count: 100, Last: t0}},
		{name: "INV-2 default: the 101st of the day", policy: invitation.DefaultPolicy().Quota, u: invitation.Usage{Day: day, Count: 100}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily}, next: day.End},
		{name: "INV-2 and INV-3: the day outlasts the window", policy: p, u: invitation.Usage{Day: day, Count: 2, Last: t0.Add(-week + time.Hour)}, at: t0, rules: []affrules.RuleID{invitation.RuleDaily, invitation.RuleRepeat}, next: day.End},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, u := mustCheck(t, tc.policy, london, tc.u, tc.at)
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
	p := invitation.DefaultPolicy().Quota
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
			d, _ := mustCheck(t, p, london, full, tc.at)
			require.True(t, d.Failed(invitation.RuleDaily), d.String())
			assert.True(t, d.NextAllowed.Equal(tc.midnight), "next %s, want %s", d.NextAllowed, tc.midnight)
			d, _ = mustCheck(t, p, london, full, tc.midnight.Add(-time.Nanosecond))
			assert.False(t, d.Allowed, "a nanosecond before local midnight")
			d, u := mustCheck(t, p, london, full, tc.midnight)
			assert.True(t, d.Allowed, d.String())
			assert.Equal(t, 1, u.Count)
		})
	}
	t.Run("INV-3 across spring forward", func(t *testing.T) {
		last := time.Date(2026, 3, 25, 12, 0, 0, 0, london) // GMT
		again := last.Add(7 * 24 * time.Hour)               // 13:00 BST, not 12:00
		u := invitation.Usage{Day: affrules.DayOf(last, london), Count: 1, Last: last}
		d, _ := mustCheck(t, p, london, u, time.Date(2026, 4, 1, 12, 30, 0, 0, london))
		require.True(t, d.Failed(invitation.RuleRepeat), "seven calendar days are not yet 7×24h: %s", d)
		assert.True(t, d.NextAllowed.Equal(again), "next %s, want %s", d.NextAllowed, again)
		d, _ = mustCheck(t, p, london, u, again)
		assert.True(t, d.Allowed, d.String())
	})
}

func TestCheckAllocs(t *testing.T) {
	p := invitation.DefaultPolicy().Quota
	loc := time.FixedZone("WIB", 7*3600)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	u := invitation.Usage{Day: affrules.DayOf(t0, loc), Count: 3}
	allocs := testing.AllocsPerRun(100, func() { _, _, _ = p.Check(loc, u, t0) })
	assert.Zero(t, allocs, "an allowed Check within the counted day")
}

func TestNewRejectsBadPolicy(t *testing.T) {
	_, err := invitation.New(invitation.Policy{})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.Panics(t, func() { invitation.MustNew(invitation.Policy{}) })
}

// Send reports every input problem at once, including those only Send can see, and records
// nothing; INV-8 asks the policy's eligibility.Listing from the inviting account's side; the creator's ID is
// the creator's, given once.
func TestSend(t *testing.T) {
	ctx := context.Background()
	e := invitation.MustNew(invitation.DefaultPolicy())
	l := invitation.NewMemory()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

	inv := goodID
	inv.Message = ""
	_, d, err := e.Send(ctx, l, acctID, inv, eligibility.Creator{ECommercePermission: true}, time.Time{})
	assert.False(t, d.Allowed)
	assert.Equal(t, []string{"message", "creator.id", "at"}, problemFields(t, err), err.Error())
	_, _, err = e.Send(ctx, nil, acctID, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
	assert.Equal(t, []string{"ledger"}, problemFields(t, err))

	page, err := l.History(ctx, invitation.Query{Account: acctID.ID})
	require.NoError(t, err)
	assert.Empty(t, page.Records, "nothing recorded")

	// The recorded creator is the one given, whatever inv.CreatorID held.
	inv = goodID
	inv.CreatorID = "someone-else"
	r, d, err := e.Send(ctx, l, acctID, inv, eligibility.Creator{ID: "c9", ECommercePermission: true}, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed, d.String())
	assert.Equal(t, "c9", r.CreatorID)

	// INV-8: a creator linked to the inviting MCN is listed for it, not for another account.
	mcn := invitation.Account{ID: "mcn-1", HomeMarket: affrules.ID, MCN: true}
	inv = goodID
	inv.Purpose = invitation.CreatorPartnership
	linked := eligibility.Creator{ID: "c1", ECommercePermission: true, LinkedMCN: "mcn-1"}
	_, d, err = e.Send(ctx, l, mcn, inv, linked, t0)
	require.NoError(t, err)
	assert.True(t, d.Allowed, d.String())
	other := mcn
	other.ID = "mcn-2"
	_, d, err = e.Send(ctx, l, other, inv, linked, t0)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	require.Len(t, d.Reasons, 2, d.String())
	assert.Equal(t, affrules.Reason{Rule: invitation.RuleListed, Key: "invitation.inv8.failed", Observed: affrules.Text("c1"), Subject: "mcn-2"}, d.Reasons[0])
	assert.Equal(t, eligibility.RuleListing, d.Reasons[1].Rule)
	assert.Equal(t, affrules.Text("mcn-1"), d.Reasons[1].Observed)
}

// Send hands the evaluator's quota to the ledger: one policy governs both halves.
func TestSendUsesThePolicysQuota(t *testing.T) {
	ctx := context.Background()
	p := invitation.DefaultPolicy()
	p.DailyLimit, p.RepeatWindowDays = 2, 3
	e := invitation.MustNew(p)
	l := invitation.NewMemory()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	send := func(creator string, at time.Time) affrules.Decision {
		t.Helper()
		_, d, err := e.Send(ctx, l, acctID, goodID, eligibility.Creator{ID: creator, ECommercePermission: true}, at)
		require.NoError(t, err)
		return d
	}
	require.True(t, send("c1", t0).Allowed)
	require.True(t, send("c2", t0.Add(time.Minute)).Allowed)
	d := send("c3", t0.Add(2*time.Minute))
	require.True(t, d.Failed(invitation.RuleDaily), d.String())
	assert.Equal(t, affrules.Count(2), d.Failures()[0].Limit)
	d = send("c1", t0.Add(affrules.Days(3)-time.Nanosecond))
	require.True(t, d.Failed(invitation.RuleRepeat), d.String())
	assert.Equal(t, affrules.DaysOf(3), d.Failures()[0].Limit)
	assert.True(t, send("c1", t0.Add(affrules.Days(3))).Allowed)
}

// The zero value of every exported type a host can declare does what its doc says.
func TestZeroValues(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

	// Evaluator: every method returns ErrNoPolicy, also on a nil pointer.
	for _, e := range []*invitation.Evaluator{{}, nil} {
		assert.ErrorIs(t, e.Validate(acctID, goodID), invitation.ErrNoPolicy)
		r, d, err := e.Send(ctx, invitation.NewMemory(), acctID, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		assert.ErrorIs(t, err, invitation.ErrNoPolicy)
		assert.False(t, d.Allowed)
		assert.Zero(t, r.Seq)
	}

	// Quota and Policy: out of range; Check, New and Reserve refuse them.
	d, u, err := invitation.Quota{}.Check(time.UTC, invitation.Usage{}, t0)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.False(t, d.Allowed)
	assert.Equal(t, invitation.Usage{}, u)
	d, _, err = invitation.Policy{}.Check(time.UTC, invitation.Usage{}, t0)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.False(t, d.Allowed)
	_, err = invitation.New(invitation.Policy{})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	_, _, err = invitation.NewMemory().Reserve(ctx, invitation.Quota{}, acctID, goodID, t0)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	// Usage: an account that has invited no one.
	d, u = mustCheck(t, invitation.DefaultPolicy().Quota, time.UTC, invitation.Usage{}, t0)
	assert.True(t, d.Allowed)
	assert.Equal(t, 1, u.Count)

	// Account, Invitation, Contact, Purpose: refused by Validate with their sentinels.
	e := invitation.MustNew(invitation.DefaultPolicy())
	err = e.Validate(invitation.Account{}, goodID)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.Contains(t, problemFields(t, err), "account.id")
	err = e.Validate(acctID, invitation.Invitation{})
	for _, target := range []error{affrules.ErrUnknownMarket, invitation.ErrMessage, invitation.ErrPurpose} {
		assert.ErrorIs(t, err, target)
	}
	inv := goodID
	inv.Contacts = []invitation.Contact{{}}
	assert.ErrorIs(t, e.Validate(acctID, inv), invitation.ErrContact)
	inv = goodID
	inv.Purpose = ""
	assert.ErrorIs(t, e.Validate(acctID, inv), invitation.ErrPurpose)

	// Record and Page: nothing yet.
	assert.False(t, invitation.Record{}.Interested())
	assert.Empty(t, invitation.Record{}.ContactsShown())
	assert.Empty(t, invitation.Page{}.Records)
	assert.Zero(t, invitation.Page{}.Next)

	// Query: refused with ErrQuery.
	_, err = invitation.NewMemory().History(ctx, invitation.Query{})
	assert.ErrorIs(t, err, invitation.ErrQuery)
	assert.ErrorIs(t, invitation.Query{Account: "a", Limit: -1}.Validate(), affrules.ErrOutOfRange)
	assert.ErrorIs(t, invitation.Query{Account: "a", Limit: -1}.Validate(), invitation.ErrQuery)

	// Memory: an empty ledger ready for use, also from several goroutines at once.
	var m invitation.Memory
	var wg sync.WaitGroup
	admitted := make(chan int64, 8)
	for i := range 8 {
		wg.Go(func() {
			r, d, err := m.Reserve(ctx, invitation.DefaultPolicy().Quota, acctID, goodID, t0.Add(time.Duration(i)))
			if err == nil && d.Allowed {
				admitted <- r.Seq
			}
		})
	}
	wg.Wait()
	close(admitted)
	assert.Len(t, admitted, 1, "one creator, one invitation within the window")
	page, err := m.History(ctx, invitation.Query{Account: acctID.ID})
	require.NoError(t, err)
	assert.Len(t, page.Records, 1)
	var fresh invitation.Memory
	_, err = fresh.Respond(ctx, "a", 1, t0)
	assert.ErrorIs(t, err, invitation.ErrNotFound)

	// MemoryOption: a nil option does nothing.
	_, d, err = invitation.NewMemory(nil, invitation.KeepHistory(0)).Reserve(ctx, invitation.DefaultPolicy().Quota, acctID, goodID, t0)
	require.NoError(t, err)
	assert.True(t, d.Allowed)
}

// New resolves the markets registered when it runs; a market a host registers later is still
// known, looked up when used (INV-1, INV-5), but invitations are offered only in the policy's
// markets (MKT-1), which must be registered when the policy is validated.
func TestEvaluatorMarketRegisteredAfterNew(t *testing.T) {
	e := invitation.MustNew(invitation.DefaultPolicy())
	mk, err := affrules.NewMarket("QA", "Asia/Qatar", "QAR", 2, affrules.Email, affrules.WhatsApp)
	require.NoError(t, err)
	require.NoError(t, affrules.RegisterMarket(mk))
	// A home market registered after New bounds the account's day; it invites in ID.
	a := invitation.Account{ID: "acct-qa", HomeMarket: "QA", Markets: []affrules.MarketCode{affrules.ID}, MCN: true, Partner: true}
	require.NoError(t, e.Validate(a, goodID))
	// MKT-1: QA is not one of the default policy's markets.
	inv := goodID
	inv.Market = "QA"
	inv.Contacts = []invitation.Contact{{Channel: affrules.Email, Value: "team@agency.qa"}}
	err = e.Validate(a, inv)
	require.ErrorIs(t, err, invitation.ErrMarket)
	assert.Contains(t, err.Error(), "invitation: market QA: is not a market where the policy offers invitations, which are UK, ID, MY, VN, TH, PH, SG (MKT-1)")
	// A policy that offers QA, with its channels from the registry.
	p := invitation.DefaultPolicy()
	p.Markets = append(p.Markets, "QA")
	eq := invitation.MustNew(p)
	require.NoError(t, eq.Validate(a, inv))
	inv.Contacts = []invitation.Contact{{Channel: affrules.Line, Value: "agency.qa"}}
	err = eq.Validate(a, inv)
	require.ErrorIs(t, err, invitation.ErrContact)
	assert.Contains(t, err.Error(), "is not offered in market QA, which offers email, whatsapp (INV-5)")
}

// MKT-1: the markets of the feature are policy; the seven by default, and a market left out of
// the policy's list is refused, though registered.
func TestPolicyMarkets(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.Markets = []affrules.MarketCode{affrules.ID, affrules.TH}
	e := invitation.MustNew(p)
	require.NoError(t, e.Validate(acctID, goodID))
	a := acctID
	a.Markets = []affrules.MarketCode{affrules.VN}
	inv := goodID
	inv.Market = affrules.VN
	inv.Contacts = []invitation.Contact{{Channel: affrules.Zalo, Value: "0912 345 678"}}
	require.NoError(t, invitation.MustNew(invitation.DefaultPolicy()).Validate(a, inv), "VN is one of the seven")
	err := e.Validate(a, inv)
	assert.Equal(t, []string{"market"}, problemFields(t, err))
	assert.ErrorIs(t, err, invitation.ErrMarket)
	assert.Contains(t, err.Error(), "which are ID, TH (MKT-1)")
}

// INV-5: phone alone is not a contact by default; a policy switch lets it count.
func TestPhoneAloneSwitch(t *testing.T) {
	phone := goodID
	phone.Contacts = []invitation.Contact{{Channel: affrules.Phone, Value: "+62 21 555 0100"}}
	err := invitation.MustNew(invitation.DefaultPolicy()).Validate(acctID, phone)
	require.ErrorIs(t, err, invitation.ErrContact)
	assert.Contains(t, err.Error(), "phone alone is not enough (INV-5)")

	p := invitation.DefaultPolicy()
	p.PhoneAloneCounts = true
	e := invitation.MustNew(p)
	require.NoError(t, e.Validate(acctID, phone))
	none := goodID
	none.Contacts = nil
	err = e.Validate(acctID, none)
	require.ErrorIs(t, err, invitation.ErrContact)
	assert.Contains(t, err.Error(), "invitation: contacts 0 given: must include one of whatsapp, email, phone (INV-5)")
	bad := goodID
	bad.Contacts = []invitation.Contact{{Channel: affrules.Phone, Value: "call me"}}
	assert.Equal(t, []string{"contacts[0].value"}, problemFields(t, e.Validate(acctID, bad)), "only the malformed number")

	// A channel override of phone alone is valid only where phone alone counts.
	p.Channels = map[affrules.MarketCode][]affrules.Channel{affrules.ID: {affrules.Phone}}
	require.NoError(t, p.Validate())
	p.PhoneAloneCounts = false
	assert.Equal(t, []string{"policy.channels[ID]"}, problemFields(t, p.Validate()))
}

// INV-8 follows ELG-7 per purpose, and INV-12 refuses a partner-only account; each default the
// revised catalog changed fails under the previous one (another MCN's creator was refused for
// product distribution too, and a partner-only account could invite).
func TestSendListingByPurpose(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	managed := eligibility.Creator{ID: "c-managed", ECommercePermission: true, LinkedMCN: "mcn-9"}
	send := func(p invitation.Policy, a invitation.Account, purpose invitation.Purpose, c eligibility.Creator) (affrules.Decision, error) {
		t.Helper()
		inv := goodID
		inv.Purpose = purpose
		_, d, err := invitation.MustNew(p).Send(ctx, invitation.NewMemory(), a, inv, c, t0)
		return d, err
	}
	def := invitation.DefaultPolicy()

	// Both roles: product distribution reaches another MCN's creator, creator partnership not.
	d, err := send(def, acctID, invitation.ProductDistribution, managed)
	require.NoError(t, err)
	assert.True(t, d.Allowed, d.String())
	d, err = send(def, acctID, invitation.CreatorPartnership, managed)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	assert.Equal(t, []affrules.RuleID{invitation.RuleListed, eligibility.RuleListing}, []affrules.RuleID{d.Reasons[0].Rule, d.Reasons[1].Rule})
	assert.Equal(t, affrules.MessageKey("eligibility.elg7.linked_to_other_mcn"), d.Reasons[1].Key)

	// A policy that keeps MCN-linked creators from the partner role.
	strict := def
	strict.Listing.PartnerSeesManaged = false
	d, err = send(strict, acctID, invitation.ProductDistribution, managed)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.True(t, d.Failed(eligibility.RuleListing))

	// INV-12: a partner-only account is bad input, unless the policy allows it.
	partner := invitation.Account{ID: "tap-1", HomeMarket: affrules.ID, Partner: true}
	_, err = send(def, partner, invitation.ProductDistribution, eligibility.Creator{ID: "c1", ECommercePermission: true})
	require.ErrorIs(t, err, invitation.ErrAccess)
	assert.Equal(t, []string{"account.roles"}, problemFields(t, err))
	assert.Contains(t, err.Error(), "(INV-12)")
	open := def
	open.Listing.AllowPartnerOnly = true
	d, err = send(open, partner, invitation.ProductDistribution, managed)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "a partner-only account, allowed by policy, sees MCN-linked creators too")
	d, err = send(open, partner, invitation.ProductDistribution, eligibility.Creator{ID: "c1", ECommercePermission: true, OfficialAccount: true})
	require.NoError(t, err)
	assert.False(t, d.Allowed)
}

// INV-13: the record carries what the invitation shows the creator as at send time: the
// message, the top linked creators by followers (most first, ties by ID) and the company.
func TestSendShowcase(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a := acctID
	a.Company = &invitation.Company{Name: "Agency", LinkedCreators: 5, Services: []string{"live", "video"}, Category: "beauty", Introduction: "We grow brands.", Address: "Jl. Sudirman 1, Jakarta"}
	a.LinkedCreators = []invitation.LinkedCreator{
		{ID: "e", Followers: 10}, {ID: "b", Followers: 500}, {ID: "d", Followers: 70}, {ID: "a", Followers: 70}, {ID: "c", Followers: 0},
	}
	before := slices.Clone(a.LinkedCreators)
	e := invitation.MustNew(invitation.DefaultPolicy())
	inv := goodID
	inv.Showcase = &invitation.Showcase{Company: invitation.Company{Name: "forged"}} // Send's to fill
	r, d, err := e.Send(ctx, invitation.NewMemory(), a, inv, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	assert.Equal(t, goodID.Message, r.Message)
	want := &invitation.Showcase{
		TopCreators: []invitation.LinkedCreator{{ID: "b", Followers: 500}, {ID: "a", Followers: 70}, {ID: "d", Followers: 70}},
		Company:     *a.Company,
	}
	if diff := cmp.Diff(want, r.Showcase); diff != "" {
		t.Errorf("showcase (-want +got):\n%s", diff)
	}
	assert.Equal(t, before, a.LinkedCreators, "the account's list is not reordered")
	// As at send time: changing the account afterwards does not reach the record.
	a.Company.Services[0] = "changed"
	assert.Equal(t, "live", r.Showcase.Company.Services[0])

	// The number shown is policy; 0 shows none.
	for n, want := range map[int]int{0: 0, 1: 1, 3: 3, 10: 5} {
		p := invitation.DefaultPolicy()
		p.TopCreators = n
		r, _, err := invitation.MustNew(p).Send(ctx, invitation.NewMemory(), a, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		require.NoError(t, err)
		assert.Len(t, r.Showcase.TopCreators, want, "top %d", n)
	}
	// An account without a profile shows nothing but the message; so does one whose company
	// information is empty, or whose linked creators the policy does not show.
	for _, a := range []invitation.Account{acctID, withCompany(acctID, &invitation.Company{})} {
		inv := goodID
		inv.Showcase = &invitation.Showcase{Company: invitation.Company{Name: "forged"}}
		r, _, err = e.Send(ctx, invitation.NewMemory(), a, inv, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		require.NoError(t, err)
		assert.Nil(t, r.Showcase, "company %+v", a.Company)
	}
	p := invitation.DefaultPolicy()
	p.TopCreators = 0
	r, _, err = invitation.MustNew(p).Send(ctx, invitation.NewMemory(), withLinked(acctID, a.LinkedCreators), goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
	require.NoError(t, err)
	assert.Nil(t, r.Showcase, "linked creators, none shown")
	// A malformed profile is bad input.
	a.LinkedCreators = append(a.LinkedCreators, invitation.LinkedCreator{ID: "f", Followers: -3})
	_, _, err = e.Send(ctx, invitation.NewMemory(), a, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
	require.ErrorIs(t, err, invitation.ErrProfile)
	assert.Equal(t, []string{"account.linked_creators[5].followers"}, problemFields(t, err))
}

func withCompany(a invitation.Account, c *invitation.Company) invitation.Account {
	a.Company = c
	return a
}

func withLinked(a invitation.Account, cs []invitation.LinkedCreator) invitation.Account {
	a.LinkedCreators = cs
	return a
}

// INV-13: the creators shown are the top N by followers, ties by ID, whatever the order and
// length of the account's list: Send against sorting the whole list.
func TestShowcaseTopMatchesSort(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 6).Draw(t, "n")
		ids := rapid.SliceOfNDistinct(rapid.StringMatching(`c[0-9]{1,3}`), 0, 40, func(s string) string { return s }).Draw(t, "ids")
		a := acctID
		for _, id := range ids {
			a.LinkedCreators = append(a.LinkedCreators, invitation.LinkedCreator{ID: id, Followers: rapid.Int64Range(0, 5).Draw(t, "followers")})
		}
		p := invitation.DefaultPolicy()
		p.TopCreators = n
		r, d, err := invitation.MustNew(p).Send(ctx, invitation.NewMemory(), a, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		if err != nil || !d.Allowed {
			t.Fatalf("%v %s", err, d)
		}
		want := slices.Clone(a.LinkedCreators)
		slices.SortFunc(want, func(x, y invitation.LinkedCreator) int {
			if x.Followers != y.Followers {
				return int(y.Followers - x.Followers)
			}
			return strings.Compare(x.ID, y.ID)
		})
		want = want[:min(n, len(want))]
		var got []invitation.LinkedCreator
		if r.Showcase != nil {
			got = r.Showcase.TopCreators
		}
		if !slices.Equal(want, got) && !(len(want) == 0 && len(got) == 0) {
			t.Fatalf("top %d: %v, want %v", n, got, want)
		}
		// A creator given twice is bad input, in a long list too.
		if len(ids) > 0 {
			a.LinkedCreators = append(a.LinkedCreators, invitation.LinkedCreator{ID: ids[0]})
			_, _, err = invitation.MustNew(p).Send(ctx, invitation.NewMemory(), a, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
			if !errors.Is(err, invitation.ErrProfile) {
				t.Fatalf("creator %s twice: %v", ids[0], err)
			}
		}
	})
}

// mustCheck is [invitation.Quota.Check] on input the test knows to be valid.
func mustCheck(t testing.TB, q invitation.Quota, home *time.Location, u invitation.Usage, at time.Time) (affrules.Decision, invitation.Usage) {
	t.Helper()
	d, next, err := q.Check(home, u, at)
	require.NoError(t, err)
	return d, next
}

// INV-13 with LiveShowcase: Shown gives the creator the send-time showcase by default, and the
// account's profile as it is now under the policy, so an account manager's edit reaches an
// invitation already sent. Send records the send-time showcase under either policy. Under
// LiveShowcase the account must be the record's and its profile valid.
func TestShownLiveShowcase_INV13(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	a := acctID
	a.Company = &invitation.Company{Name: "Agency", Category: "beauty"}
	a.LinkedCreators = []invitation.LinkedCreator{{ID: "x", Followers: 10}, {ID: "y", Followers: 20}}
	sent := &invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "y", Followers: 20}, {ID: "x", Followers: 10}}, Company: *a.Company}

	// The account manager's later edits: a new name, a new top creator.
	now := a
	now.Company = &invitation.Company{Name: "Agency Asia", Category: "beauty"}
	now.LinkedCreators = []invitation.LinkedCreator{{ID: "x", Followers: 10}, {ID: "y", Followers: 20}, {ID: "z", Followers: 900}}
	live := &invitation.Showcase{TopCreators: []invitation.LinkedCreator{{ID: "z", Followers: 900}, {ID: "y", Followers: 20}, {ID: "x", Followers: 10}}, Company: *now.Company}

	for _, liveShowcase := range []bool{false, true} {
		p := invitation.DefaultPolicy()
		p.LiveShowcase = liveShowcase
		e := invitation.MustNew(p)
		r, d, err := e.Send(ctx, invitation.NewMemory(), a, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
		require.NoError(t, err)
		require.True(t, d.Allowed)
		if diff := cmp.Diff(sent, r.Showcase); diff != "" {
			t.Errorf("live_showcase %t: recorded showcase (-want +got):\n%s", liveShowcase, diff)
		}
		got, err := e.Shown(r, now)
		require.NoError(t, err)
		want := sent
		if liveShowcase {
			want = live
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("live_showcase %t: shown (-want +got):\n%s", liveShowcase, diff)
		}
		// An account whose profile shows nothing now shows nothing live.
		got, err = e.Shown(r, acctID)
		require.NoError(t, err)
		if liveShowcase {
			assert.Nil(t, got)
		} else {
			assert.Equal(t, sent, got)
		}
		// A record without a showcase shows nothing as at send time.
		got, err = e.Shown(invitation.Record{Account: acctID.ID}, acctID)
		require.NoError(t, err)
		assert.Nil(t, got)
	}

	p := invitation.DefaultPolicy()
	p.LiveShowcase = true
	e := invitation.MustNew(p)
	r := invitation.Record{Account: acctID.ID, Seq: 1, At: t0, Invitation: goodID}
	other := now
	other.ID = "agency-2"
	_, err := e.Shown(r, other)
	assert.Equal(t, []string{"account.id"}, problemFields(t, err))
	assert.ErrorContains(t, err, `account.id "agency-2": is not the record's account`)
	bad := now
	bad.LinkedCreators = append(slices.Clone(now.LinkedCreators), invitation.LinkedCreator{ID: "f", Followers: -3})
	got, err := e.Shown(r, bad)
	require.ErrorIs(t, err, invitation.ErrProfile)
	assert.Nil(t, got)
	assert.Equal(t, []string{"account.linked_creators[3].followers"}, problemFields(t, err))
	_, err = e.Shown(invitation.Record{}, invitation.Account{})
	assert.Equal(t, []string{"account.id"}, problemFields(t, err))
	_, err = (*invitation.Evaluator)(nil).Shown(r, now)
	require.ErrorIs(t, err, invitation.ErrNoPolicy)

	pp, err := invitation.ParsePolicy([]byte(`{"live_showcase": true}`))
	require.NoError(t, err)
	assert.True(t, pp.LiveShowcase)
}

// INV-6 with SpacelessScripts: which scripts a message spends by character is policy. With
// budgets of 2 words or 10 characters, a Thai message of 12 characters in one token is over
// the budget by default and with Thai listed, and one word with no spaceless script; a Chinese
// one likewise follows the list. nil is the default list, an empty list none; unknown or
// repeated names are refused.
func TestSpacelessScripts_INV6(t *testing.T) {
	thai := "สวัสดีครับผมชื่อ" // 16 characters of Thai, no space
	han := "我们代理三个护肤品牌想寄样品"    // 14 characters of Han
	for _, tc := range []struct {
		name    string
		scripts []string
		thaiOK  bool
		hanOK   bool
	}{
		{"default (nil)", nil, false, false},
		{"the catalog's list", []string{"Thai", "Lao", "Khmer", "Myanmar", "Han", "Hiragana", "Katakana"}, false, false},
		{"Thai only", []string{"Thai"}, false, true},
		{"none", []string{}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := invitation.DefaultPolicy()
			p.MaxWords, p.MaxSpacelessChars = 2, 10
			p.SpacelessScripts = tc.scripts
			e := invitation.MustNew(p)
			for _, m := range []struct {
				msg string
				ok  bool
			}{{thai, tc.thaiOK}, {han, tc.hanOK}} {
				inv := goodID
				inv.Message = m.msg
				err := e.Validate(acctID, inv)
				if m.ok {
					assert.NoError(t, err, m.msg)
				} else {
					assert.ErrorIs(t, err, invitation.ErrMessage, m.msg)
				}
			}
		})
	}
	p := invitation.DefaultPolicy()
	p.SpacelessScripts = []string{"Thai", "thai", "Klingon", "Thai", "Latin", "Common", "Cyrillic"}
	// Latin and Common hold ASCII letters or digits, which are written with spaces.
	assert.Equal(t, []string{"policy.spaceless_scripts[1]", "policy.spaceless_scripts[2]", "policy.spaceless_scripts[3]", "policy.spaceless_scripts[4]", "policy.spaceless_scripts[5]"}, problemFields(t, p.Validate()))
	got, err := invitation.ParsePolicy([]byte(`{"spaceless_scripts": ["Thai", "Lao"]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"Thai", "Lao"}, got.SpacelessScripts)
	got, err = invitation.ParsePolicy([]byte(`{"spaceless_scripts": null}`))
	require.NoError(t, err)
	assert.Nil(t, got.SpacelessScripts, "null is nil: the default list")
}
