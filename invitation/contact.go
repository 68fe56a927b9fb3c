package invitation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/shown"
)

// checkContacts applies INV-5 to the contacts of an invitation in market m; phoneAlone is
// [Policy.PhoneAloneCounts].
func checkContacts(l *fielderr.List, m *marketRules, cs []Contact, phoneAlone bool) {
	for i, c := range cs {
		field := func() string { return "contacts[" + strconv.Itoa(i) + "]" } // named only for a problem
		switch {
		case !slices.Contains(m.channels, c.Channel):
			l.Add(field()+".channel", quoteCut(string(c.Channel)), "is not offered in market %s, which offers %s (INV-5): %w", m.code, m.offered, ErrContact)
			continue
		case slices.ContainsFunc(cs[:i], func(d Contact) bool { return d.Channel == c.Channel }):
			l.Add(field()+".channel", c.Channel, "is given twice (INV-5): %w", ErrContact)
			continue
		}
		if err := checkContactValue(c); err != nil {
			l.Add(field()+".value", quoteCut(c.Value), "%s (INV-5): %w", err, ErrContact)
		}
	}
	// Phone alone is reported beside any other problem, unless some contact is on a channel
	// other than phone: then that contact's own problem, if any, is the one to fix. Where the
	// policy lets phone alone count, only no contact at all is.
	switch {
	case len(cs) == 0 && phoneAlone:
		l.Add("contacts", "0 given", "must include one of %s (INV-5): %w", m.offered, ErrContact)
	case !phoneAlone && !slices.ContainsFunc(cs, func(c Contact) bool { return c.Channel != affrules.Phone }):
		l.Add("contacts", fmt.Sprintf("%d given", len(cs)), "must include one of %s; phone alone is not enough (INV-5): %w", m.nonPhone, ErrContact)
	}
}

// checkContactValue checks a contact's value for its channel. The problem it returns is a plain
// description (the caller wraps it).
//
//   - email: local@domain, at most 254 bytes; the local part 1–64 bytes of letters, digits and
//     !#$%&'*+/=?^_`{|}~.- without a leading, trailing or doubled dot; the domain at least two
//     dot-separated labels of letters, digits and inner hyphens, 1–63 bytes each, the last
//     alphabetic and at least two letters long, or an internationalised one in its xn-- form.
//   - phone, whatsapp, zalo, viber (numbers): an optional leading "+", then 7–15 digits, which may
//     be grouped with single spaces, hyphens, dots or one pair of parentheses, which may hold
//     the "+" and the country code ("(+62) 812-3456-7890").
//   - line (LINE ID): 4–20 of a–z (either case), 0–9, ".", "-", "_", optionally after one "@".
//   - any other channel a host adds: 1–254 bytes of valid UTF-8 with a visible character, without
//     control or invisible format characters (zero-width space…) or leading or trailing spaces.
func checkContactValue(c Contact) error {
	v := c.Value
	if v == "" {
		return fmt.Errorf("%s must not be empty", c.Channel)
	}
	switch c.Channel {
	case affrules.Email:
		return checkEmail(v)
	case affrules.Phone, affrules.WhatsApp, affrules.Zalo, affrules.Viber:
		return checkPhone(c.Channel, v)
	case affrules.Line:
		return checkLineID(v)
	}
	if len(v) > 254 || !utf8.ValidString(v) || strings.TrimSpace(v) != v {
		return fmt.Errorf("must be 1–254 bytes of UTF-8 without surrounding spaces")
	}
	visible := false
	for _, r := range v {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return fmt.Errorf("must not contain control characters")
		case r >= utf8.RuneSelf && (unicode.Is(unicode.Cf, r) || shown.Filler(r)):
			return fmt.Errorf("must not contain invisible characters such as U+%04X", r)
		}
		visible = visible || r > ' ' && r < 0x7f || r >= utf8.RuneSelf && shown.Visible(r)
	}
	if !visible {
		return fmt.Errorf("must hold a visible character")
	}
	return nil
}

func checkEmail(v string) error {
	bad := fmt.Errorf("is not an e-mail address of the form name@example.com")
	if len(v) > 254 {
		return fmt.Errorf("e-mail address longer than 254 bytes")
	}
	at := strings.IndexByte(v, '@')
	if at <= 0 || at != strings.LastIndexByte(v, '@') {
		return bad
	}
	local, domain := v[:at], v[at+1:]
	if len(local) > 64 || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return bad
	}
	for i := 0; i < len(local); i++ {
		b := local[i]
		if !isAlnum(b) && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", rune(b)) {
			return bad
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return bad
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return bad
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return bad
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return bad
	}
	if len(tld) > 4 && strings.EqualFold(tld[:4], "xn--") {
		return nil // an internationalised top-level domain in its ASCII form, e.g. xn--o3cw4h (.ไทย)
	}
	for i := 0; i < len(tld); i++ {
		if !isAlpha(tld[i]) {
			return bad
		}
	}
	return nil
}

func checkPhone(ch affrules.Channel, v string) error {
	bad := fmt.Errorf("is not a %s number: want an optional + and 7 to 15 digits", ch)
	s := strings.TrimPrefix(v, "+")
	if rest, ok := strings.CutPrefix(v, "(+"); ok { // the country code in parentheses: "(+62) 812…"
		s = "(" + rest
	}
	digits, parens := 0, 0
	prevSep := true // no separator at the start
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= '0' && b <= '9':
			digits++
			prevSep = false
		case b == ' ' || b == '-' || b == '.':
			if prevSep {
				return bad
			}
			prevSep = true
		case b == '(' && parens == 0 && (i == 0 || s[i-1] == ' '):
			parens = 1
			prevSep = true
		case b == ')' && parens == 1 && !prevSep:
			parens = 2
			prevSep = false
		default:
			return bad
		}
	}
	if digits < 7 || digits > 15 || parens == 1 || prevSep {
		return bad
	}
	return nil
}

// checkLineID accepts upper-case letters too: LINE IDs are lower-case, but a phone keyboard
// capitalises the first letter typed, and the ID is the same one.
func checkLineID(v string) error {
	bad := fmt.Errorf("is not a LINE ID: want 4 to 20 of a-z, 0-9, '.', '-', '_'")
	s := strings.TrimPrefix(v, "@")
	if len(s) < 4 || len(s) > 20 {
		return bad
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !isAlnum(b) && b != '.' && b != '-' && b != '_' {
			return bad
		}
	}
	return nil
}

func isAlpha(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }
func isAlnum(b byte) bool { return isAlpha(b) || (b >= '0' && b <= '9') }
