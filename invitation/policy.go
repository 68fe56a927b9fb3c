package invitation

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"unicode"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/fielderr"
)

// Upper bounds of the message budget of a [Policy]; they keep the arithmetic of INV-6 far from
// overflow.
const (
	maxWordsLimit    = 100_000
	maxSpacelessChar = 1_000_000
)

// Policy is the policy data of SPEC §3: the quota rule ([Quota], INV-2..4), the input rules
// (MKT-1, INV-5, INV-6, INV-12), the listing (INV-8, through eligibility's Listing) and what an
// invitation shows (INV-13). Its defaults come from [DefaultPolicy]; a host changes them through
// JSON ([ParsePolicy]) or a struct literal, checks the result with [Policy.Validate], and builds
// an [Evaluator] from it with [New], which applies both halves.
//
// The zero Policy is invalid: [New] refuses it with errors wrapping [affrules.ErrOutOfRange], and
// its Quota denies every invitation.
type Policy struct {
	// Quota holds the daily limit (INV-2, "daily_limit", default 100), the zone of its days
	// ("day_zone", default the home market's) and the repeat window (INV-3,
	// "repeat_window_days", default 7), top-level keys of the JSON form.
	Quota
	// MaxWords is the longest message, in whitespace-separated words (INV-6). Default 500.
	// Whatever the budgets, a message is also at most 20,000 characters (runes), a cap no real
	// message of 500 words reaches that bounds what a ledger stores; it is not policy.
	MaxWords int `json:"max_words"`
	// MaxSpacelessChars is the longest message in characters of scripts written without spaces
	// between words, such as Thai (INV-6 interpretation). Default 2500, five characters a word.
	// A message mixing both kinds of text spends the two budgets in proportion; see
	// [Evaluator.Validate]. A budget above 20,000 allows no more than 20,000: the message's cap
	// in characters comes first.
	MaxSpacelessChars int `json:"max_spaceless_chars"`
	// SpacelessScripts names the scripts written without spaces between words, whose
	// characters a message spends against MaxSpacelessChars instead of words (INV-6
	// interpretation), by their Unicode names as Go's unicode.Scripts keys them ("Thai",
	// "Han"). Default Thai, Lao, Khmer, Myanmar, Han, Hiragana and Katakana. nil (a struct
	// literal without it, or null in JSON) is the default; an empty list names none, so that
	// every token is a word. Each must be a known script, given once, without ASCII letters or
	// digits (not Latin or Common).
	SpacelessScripts []string `json:"spaceless_scripts"`
	// Channels overrides the contact channels offered in a market (INV-5). A market without an
	// entry offers the channels of its [affrules.Market] data, which already carry the catalog's
	// defaults (UK and SG: Email, WhatsApp, Phone by interpretation).
	// Every channel named must be known: one of the library's (email, phone, whatsapp, zalo,
	// viber, line), one a registered market offers, or one of CustomChannels.
	Channels map[affrules.MarketCode][]affrules.Channel `json:"channels,omitempty"`
	// CustomChannels declares contact channels of the host's own (such as "telegram") that
	// Channels may then offer; their values are checked as free text (see [Contact]). Each is
	// 1–32 of a–z, 0–9, "_" and "-", not one of the library's, given once. Default none, so a
	// typo such as "emial" in Channels is an error, not a channel that takes any text.
	CustomChannels []affrules.Channel `json:"custom_channels,omitempty"`
	// PhoneAloneCounts lets an invitation whose only contact is a phone number through (INV-5
	// interpretation). Default false: at least one contact must be on another channel.
	PhoneAloneCounts bool `json:"phone_alone_counts"`
	// Markets are the markets where invitations are offered (MKT-1: which features are
	// available in which market is policy). Default the Affiliate Marketplace's seven: UK, ID,
	// MY, VN, TH, PH, SG. An invitation in another market is refused as bad input.
	Markets []affrules.MarketCode `json:"markets"`
	// Listing is the Marketplace listing policy (ELG-7, INV-8, INV-12): whether an
	// affiliate-partner-only account may use the Marketplace (default no) and whether the
	// affiliate-partner role may invite MCN-linked creators for product distribution (default
	// yes). Given in JSON, both of its keys are required.
	Listing eligibility.Listing `json:"listing" strict:"all"`
	// TopCreators is how many of the account's linked creators, most followed first, an
	// invitation shows (INV-13). Default 3; 0 shows none.
	TopCreators int `json:"top_creators"`
	// LiveShowcase shows an invitation's creator the account's company information and top
	// linked creators as they are when the invitation is shown ([Evaluator.Shown]), not as they
	// were when it was sent (INV-13). Default false: as at send time. Send records the
	// send-time showcase either way, so that a policy changed later still has it.
	LiveShowcase bool `json:"live_showcase"`
}

// DefaultPolicy returns the catalog's values: 100 invitations a day, one per creator within 7
// days, messages of at most 500 words or 2500 characters of a script without spaces, each
// market's own contact channels with phone alone not enough, invitations in the Marketplace's
// seven markets, only MCN/CAP accounts using the Marketplace with the affiliate-partner role
// seeing MCN-linked creators ([eligibility.DefaultListing]), and the top 3 linked creators shown.
func DefaultPolicy() Policy {
	return Policy{
		Quota:    Quota{DailyLimit: 100, RepeatWindowDays: 7},
		MaxWords: 500, MaxSpacelessChars: 2500,
		SpacelessScripts: slices.Clone(defaultSpaceless),
		Markets:          []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG},
		Listing:          eligibility.DefaultListing(),
		TopCreators:      3,
	}
}

// maxTopCreators bounds [Policy.TopCreators].
const maxTopCreators = 100

// Validate reports every problem of the policy at once, joined with [errors.Join]; each is an
// [*affrules.FieldError] naming the field ("policy.daily_limit", "policy.channels[TH][1]") and
// its value: a daily limit outside 1–1,000,000, a repeat window outside 0–3650 days, word or
// character budgets outside 1–100,000 and 1–1,000,000, a channel override for an unregistered
// market, with an empty, repeated or unknown channel (neither one of the library's channels nor
// one a registered market offers or the policy declares in custom_channels: a typo such as
// "emial"), a malformed, built-in or repeated custom channel, or offering nothing but phone (INV-5)
// unless phone alone counts, an unknown or repeated script among the spaceless scripts, or one
// holding ASCII letters or digits (INV-6),
// no markets or an unregistered or repeated one (MKT-1), and a number of top creators outside
// 0–100 (INV-13).
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	p.Quota.validate(l, "policy.")
	bound := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			l.Add(field, v, "must be between %d and %d: %w", lo, hi, affrules.ErrOutOfRange)
		}
	}
	bound("policy.max_words", p.MaxWords, 1, maxWordsLimit)
	bound("policy.max_spaceless_chars", p.MaxSpacelessChars, 1, maxSpacelessChar)
	bound("policy.top_creators", p.TopCreators, 0, maxTopCreators)
	for i, name := range p.SpacelessScripts {
		f := "policy.spaceless_scripts[" + strconv.Itoa(i) + "]"
		switch {
		case unicode.Scripts[name] == nil:
			l.Add(f, quoteCut(name), "is not a Unicode script name such as Thai or Han (INV-6): %w", affrules.ErrOutOfRange)
		case asciiWord(unicode.Scripts[name]):
			l.Add(f, name, "holds ASCII letters or digits, which are written with spaces: not a script without spaces (INV-6): %w", affrules.ErrOutOfRange)
		case slices.Contains(p.SpacelessScripts[:i], name):
			l.Add(f, name, "is listed twice")
		}
	}
	if len(p.Markets) == 0 {
		l.Add("policy.markets", "[]", "must list at least one market (MKT-1)")
	}
	for i, m := range p.Markets {
		f := fmt.Sprintf("policy.markets[%d]", i)
		if _, err := affrules.LookupMarket(m); err != nil {
			l.Add(f, strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
		} else if slices.Contains(p.Markets[:i], m) {
			l.Add(f, m, "is listed twice")
		}
	}
	known := p.validateCustom(l)
	codes := make([]string, 0, len(p.Channels))
	for code := range p.Channels {
		codes = append(codes, string(code))
	}
	sort.Strings(codes)
	for _, c := range codes {
		code := affrules.MarketCode(c)
		field := "policy.channels[" + c + "]"
		if _, err := affrules.LookupMarket(code); err != nil {
			l.Add(field, code, "%w", affrules.ErrUnknownMarket)
			continue
		}
		chans := p.Channels[code]
		other := false
		for i, ch := range chans {
			f := fmt.Sprintf("%s[%d]", field, i)
			switch {
			case ch == "":
				l.Add(f, ch, "must not be empty")
			case slices.Contains(chans[:i], ch):
				l.Add(f, ch, "is listed twice")
			case !known[ch]:
				l.Add(f, strconv.Quote(string(ch)), "is not a known channel: want one of %s, a channel a registered market offers, or one of custom_channels (INV-5)", builtinChannels)
			case ch != affrules.Phone:
				other = true
			}
		}
		if !other && !(p.PhoneAloneCounts && len(chans) > 0) {
			l.Add(field, fmt.Sprint(chans), "must offer a channel other than phone (INV-5)")
		}
	}
	return l.Err()
}

// ParsePolicy decodes a JSON policy object and validates it, reporting every problem at once, each
// an [*affrules.FieldError]. The rule is the library's one policy-loading rule: keys that name no
// field, that name one only when case is ignored, or that are given twice are errors at any depth
// (a market given twice in "channels" included), all reported together; a top-level setting left
// out keeps its [DefaultPolicy] value, and so does one given as null, except a list or map, which
// null makes nil (as encoding/json writes a nil one, so a policy reads back from its own JSON). A
// document of the right shape is then validated, and every problem [Policy.Validate] finds is
// reported. A document that is not one JSON object, or a value of the wrong type, is a single
// error.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}

// channels returns the contact channels offered in market m under p (INV-5).
func (p Policy) channels(m affrules.Market) []affrules.Channel {
	if c, ok := p.Channels[m.Code]; ok {
		return c
	}
	return m.Channels
}

// builtinChannels lists the library's contact channels, for messages.
const builtinChannels = "email, phone, whatsapp, zalo, viber, line"

// knownChannels returns the channels a policy may name (INV-5): the library's own and every
// channel a registered market offers, so that a host's own channel is known once its market
// offers it.
func knownChannels() map[affrules.Channel]bool {
	known := map[affrules.Channel]bool{affrules.Email: true, affrules.Phone: true, affrules.WhatsApp: true, affrules.Zalo: true, affrules.Viber: true, affrules.Line: true}
	for _, m := range affrules.Markets() {
		for _, c := range m.Channels {
			known[c] = true
		}
	}
	return known
}

// validateCustom checks [Policy.CustomChannels] and returns the channels the policy may name:
// [knownChannels] and the valid custom ones.
func (p Policy) validateCustom(l *fielderr.List) map[affrules.Channel]bool {
	known := knownChannels()
	builtin := maps.Clone(known)
	for i, ch := range p.CustomChannels {
		f := fmt.Sprintf("policy.custom_channels[%d]", i)
		switch {
		case !channelName(string(ch)):
			l.Add(f, strconv.Quote(string(ch)), "must be 1 to 32 of a-z, 0-9, '_' and '-'")
		case builtin[ch]:
			l.Add(f, ch, "is already a known channel")
		case slices.Contains(p.CustomChannels[:i], ch):
			l.Add(f, ch, "is listed twice")
		default:
			known[ch] = true
		}
	}
	return known
}

func channelName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-') {
			return false
		}
	}
	return true
}

// asciiWord reports whether script t holds an ASCII letter or digit (Latin, Common), which the
// word count reads as words whatever the spaceless scripts (INV-6).
func asciiWord(t *unicode.RangeTable) bool {
	for r := rune(0); r < 0x80; r++ {
		if isAlnum(byte(r)) && unicode.Is(t, r) {
			return true
		}
	}
	return false
}
