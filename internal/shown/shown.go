// Package shown checks free text that one party writes and another is shown (an invitation's
// company profile, a campaign's name and description), so that every package refuses the same
// things: text that is not UTF-8, control characters, bidirectional controls that would show the
// text in another order than it is written, text that shows nothing, and text too long.
package shown

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Problem returns what is wrong with s, and how to name the value in an error, or "" if nothing
// is. The empty text has no problem (whether a text is required is the caller's rule). lines
// allows tab, line feed and carriage return (and the Unicode line and paragraph separators), for
// a text of several lines; max is the most characters s may have. Every bidirectional control
// (Unicode's Bidi_Control: the embeddings, overrides and isolates, and the left-to-right,
// right-to-left and Arabic letter marks) is refused. Other invisible format characters (the
// zero-width joiner and non-joiner that emoji and several scripts need, a zero-width space) are
// allowed beside visible text.
func Problem(s string, max int, lines bool) (value, problem string) {
	if s == "" {
		return "", ""
	}
	if !utf8.ValidString(s) {
		return strconv.Quote(s), "must be UTF-8 text"
	}
	n, visible := 0, false
	for i, r := range s {
		n++
		switch {
		case r < ' ' && !(lines && (r == '\t' || r == '\n' || r == '\r')) || r >= 0x7f && r < 0xa0:
			return fmt.Sprintf("U+%04X at byte %d", r, i), "holds a control character"
		case !lines && (r == '\u2028' || r == '\u2029'):
			return fmt.Sprintf("U+%04X at byte %d", r, i), "holds a line or paragraph separator in a text of one line"
		case Bidi(r):
			return fmt.Sprintf("U+%04X at byte %d", r, i), "holds a bidirectional control character"
		}
		visible = visible || r > ' ' && r < 0x7f || r >= utf8.RuneSelf && Visible(r)
	}
	switch {
	case !visible:
		return strconv.Quote(s), "shows nothing: it holds no visible character"
	case n > max:
		return strconv.Itoa(n) + " characters", fmt.Sprintf("must be at most %d characters", max)
	}
	return "", ""
}

// Bidi reports whether r is a bidirectional control (Unicode's Bidi_Control), which would show
// the text around it in another order than it is written.
func Bidi(r rune) bool { return r >= utf8.RuneSelf && unicode.Is(unicode.Bidi_Control, r) }

// Visible reports whether r, outside ASCII, shows something: a letter, digit, punctuation mark
// or symbol, other than the blank fillers that render as nothing (Hangul fillers, braille blank).
func Visible(r rune) bool {
	return !Filler(r) && unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
}

// Filler reports whether r is a letter or symbol that renders as blank space: the Hangul
// fillers and the braille blank.
func Filler(r rune) bool {
	switch r {
	case '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800':
		return true
	}
	return false
}
