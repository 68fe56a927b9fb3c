package invitation

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
)

// Upper bounds a [Policy] may not exceed; they keep the arithmetic of INV-6 and the windows of
// INV-3 far from overflow.
const (
	maxDailyLimit    = 1_000_000
	maxWindowDays    = 3650
	maxWordsLimit    = 100_000
	maxSpacelessChar = 1_000_000
)

// Policy is the policy data of SPEC §3. Its defaults come from [DefaultPolicy]; a host changes them
// through JSON ([ParsePolicy]) or a struct literal, and checks the result with [Policy.Validate].
//
// The zero Policy is invalid, and [Policy.Check] under it denies every invitation (INV-2 with a
// limit of 0).
type Policy struct {
	// DailyLimit is the most invitations an account may send per calendar day of its home market
	// (INV-2). Default 100.
	DailyLimit int `json:"daily_limit"`
	// RepeatWindowDays is the window, in 24-hour days, within which an account may invite the
	// same creator only once (INV-3, MKT-3). Default 7. 0 switches the rule off.
	RepeatWindowDays int `json:"repeat_window_days"`
	// MaxWords is the longest message, in whitespace-separated words (INV-6). Default 500.
	MaxWords int `json:"max_words"`
	// MaxSpacelessChars is the longest message in characters of scripts written without spaces
	// between words, such as Thai (INV-6 interpretation). Default 2500, five characters a word.
	// A message mixing both kinds of text spends the two budgets in proportion; see [Validate].
	MaxSpacelessChars int `json:"max_spaceless_chars"`
	// Channels overrides the contact channels offered in a market (INV-5). A market without an
	// entry offers the channels of its [affrules.Market] data, which already carry the catalog's
	// defaults (UK and SG: Email, WhatsApp, Phone by interpretation).
	Channels map[affrules.MarketCode][]affrules.Channel `json:"channels,omitempty"`
}

// DefaultPolicy returns the catalog's values: 100 invitations a day, one per creator within 7
// days, messages of at most 500 words or 2500 characters of a script without spaces, and each
// market's own contact channels.
func DefaultPolicy() Policy {
	return Policy{DailyLimit: 100, RepeatWindowDays: 7, MaxWords: 500, MaxSpacelessChars: 2500}
}

// Validate reports every problem of the policy at once, joined with [errors.Join]; each is an
// [*affrules.FieldError] naming the field and its value.
func (p Policy) Validate() error {
	var errs []error
	bound := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, affrules.Errorf(pkg, field, v, "must be between %d and %d: %w", lo, hi, affrules.ErrOutOfRange))
		}
	}
	bound("daily_limit", p.DailyLimit, 1, maxDailyLimit)
	bound("repeat_window_days", p.RepeatWindowDays, 0, maxWindowDays)
	bound("max_words", p.MaxWords, 1, maxWordsLimit)
	bound("max_spaceless_chars", p.MaxSpacelessChars, 1, maxSpacelessChar)
	codes := make([]string, 0, len(p.Channels))
	for code := range p.Channels {
		codes = append(codes, string(code))
	}
	sort.Strings(codes)
	for _, c := range codes {
		code := affrules.MarketCode(c)
		field := "channels[" + c + "]"
		if _, err := affrules.LookupMarket(code); err != nil {
			errs = append(errs, affrules.Errorf(pkg, field, code, "%w", affrules.ErrUnknownMarket))
			continue
		}
		chans := p.Channels[code]
		other := false
		for i, ch := range chans {
			f := fmt.Sprintf("%s[%d]", field, i)
			switch {
			case ch == "":
				errs = append(errs, affrules.Errorf(pkg, f, ch, "must not be empty"))
			case slices.Contains(chans[:i], ch):
				errs = append(errs, affrules.Errorf(pkg, f, ch, "is listed twice"))
			case ch != affrules.Phone:
				other = true
			}
		}
		if !other {
			errs = append(errs, affrules.Errorf(pkg, field, fmt.Sprint(chans), "must offer a channel other than phone (INV-5)"))
		}
	}
	return errors.Join(errs...)
}

// ParsePolicy decodes a JSON policy object. Fields the document leaves out keep their
// [DefaultPolicy] values. It reports every problem at once, joined with [errors.Join]: each field
// that is unknown (names match exactly, case included), given twice or of the wrong type, and
// then every problem [Policy.Validate] finds. A field given as null keeps its default. A document
// that is not one JSON object is a single error.
func ParsePolicy(data []byte) (Policy, error) {
	p := DefaultPolicy()
	fields := map[string]any{
		"daily_limit":         &p.DailyLimit,
		"repeat_window_days":  &p.RepeatWindowDays,
		"max_words":           &p.MaxWords,
		"max_spaceless_chars": &p.MaxSpacelessChars,
		"channels":            &p.Channels,
	}
	var members map[string]json.RawMessage // the document must be one object
	if err := strictjson.Decode(data, &members); err != nil || members == nil {
		if err == nil {
			err = errors.New("found null")
		}
		return Policy{}, fmt.Errorf("%s: policy: want a JSON object: %w", pkg, err)
	}
	var errs []error
	seen := map[string]bool{}
	for name, raw := range strictjson.Members(data) { // in order, with repeated keys
		dst, known := fields[name]
		switch {
		case !known:
			errs = append(errs, affrules.Errorf(pkg, name, excerpt(raw), "is not a policy field (want %s)", strings.Join(slices.Sorted(maps.Keys(fields)), ", ")))
		case seen[name]:
			errs = append(errs, affrules.Errorf(pkg, name, excerpt(raw), "is given twice"))
		default:
			if err := json.Unmarshal(raw, dst); err != nil {
				want := "an integer"
				if name == "channels" {
					want = `an object of market codes to lists of channels, e.g. {"UK": ["email", "phone"]}`
				}
				errs = append(errs, affrules.Errorf(pkg, name, excerpt(raw), "must be %s", want))
			}
		}
		seen[name] = true
	}
	errs = append(errs, p.Validate())
	if err := joinErrs(errs...); err != nil {
		return Policy{}, err
	}
	return p, nil
}

// excerpt returns raw JSON for an error message, shortened to about 40 bytes.
func excerpt(raw json.RawMessage) string {
	if len(raw) <= 40 {
		return string(raw)
	}
	cut := 37
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return string(raw[:cut]) + "..."
}

// channels returns the contact channels offered in market m under p (INV-5).
func (p Policy) channels(m affrules.Market) []affrules.Channel {
	if c, ok := p.Channels[m.Code]; ok {
		return c
	}
	return m.Channels
}
