package invitation

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/shown"
)

// defaultSpaceless names the scripts written without spaces between words (INV-6
// interpretation), [Policy].SpacelessScripts by default.
var defaultSpaceless = []string{"Thai", "Lao", "Khmer", "Myanmar", "Han", "Hiragana", "Katakana"}

// scriptTables returns the tables of the scripts names names (valid: Policy.Validate checked
// them), or of the default ones for nil.
func scriptTables(names []string) []*unicode.RangeTable {
	if names == nil {
		names = defaultSpaceless
	}
	out := make([]*unicode.RangeTable, len(names))
	for i, n := range names {
		out[i] = unicode.Scripts[n]
	}
	return out
}

// measure returns the number of words of msg, not counting tokens whose letters and digits are
// all in a script written without spaces (one of spaceless), the number of characters of msg in
// such scripts, and
// whether msg holds a visible character. Words are separated by whitespace and by invisible
// format characters (Unicode Cf: zero-width space, word joiner, byte-order mark, zero-width
// non-joiner and joiner, soft hyphen…), so invisible characters cannot join words past the limit;
// a zero-width joiner between two characters that are neither letters nor digits (an emoji
// sequence such as a family) joins them.
func measure(msg string, spaceless []*unicode.RangeTable) (words, chars int, visible bool) {
	inTok, word, spacelessTok := false, false, false
	end := func() {
		// A token with no letters at all (such as "—" or "2+2") is still a word; one whose
		// letters are all of a spaceless script is counted by its characters.
		if inTok && (word || !spacelessTok) {
			words++
		}
		inTok, word, spacelessTok = false, false, false
	}
	prev := rune(-1)
	for i, r := range msg {
		if isSeparator(msg, i, prev, r) {
			end()
			prev = r
			continue
		}
		inTok = true
		switch {
		case r < utf8.RuneSelf:
			word = word || isAlnum(byte(r))
			visible = visible || r > ' ' && r < 0x7f
		case unicode.In(r, spaceless...):
			chars++
			spacelessTok = true
			visible = visible || shown.Visible(r) // a lone Thai vowel or tone mark shows nothing
		default:
			word = word || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
			visible = visible || shown.Visible(r)
		}
		prev = r
	}
	end()
	return words, chars, visible
}

// isSeparator reports whether r, at byte i of msg after prev, separates words: whitespace, a
// blank filler that renders as space (a Hangul filler, the braille blank), or an invisible
// format character other than a zero-width joiner inside an emoji sequence.
func isSeparator(msg string, i int, prev, r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r >= '\t' && r <= '\r'
	}
	if unicode.IsSpace(r) || shown.Filler(r) {
		return true
	}
	if !unicode.Is(unicode.Cf, r) {
		return false
	}
	if r != zwj {
		return true
	}
	next, _ := utf8.DecodeRuneInString(msg[i+utf8.RuneLen(r):])
	return prev < 0 || next == utf8.RuneError || isWordRune(prev) || isWordRune(next) || unicode.IsSpace(next) || unicode.IsSpace(prev)
}

const zwj = '\u200d' // zero-width joiner

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// firstControl returns the first control character of msg other than tab, line feed and carriage
// return (NUL, the other C0 controls, DEL and the C1 controls) or bidirectional control (which
// would show the message in another order than it is written, as shown texts refuse it), and its
// byte offset.
func firstControl(msg string) (rune, int, bool) {
	for i, r := range msg {
		if r < ' ' && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r < 0xa0 || shown.Bidi(r) {
			return r, i, true
		}
	}
	return 0, 0, false
}

// checkMessage applies INV-6 under p, spaceless the tables of its spaceless scripts: valid
// UTF-8, at most [maxMessage] characters, no control character, something visible, and the word
// budget.
func checkMessage(l *fielderr.List, p Policy, spaceless []*unicode.RangeTable, msg string) {
	if !utf8.ValidString(msg) {
		l.Add("message", fmt.Sprintf("%d bytes", len(msg)), "is not valid UTF-8 (INV-6): %w", ErrMessage)
		return
	}
	// The absolute cap comes before the word budget, which counts a token however long as one
	// word; it also bounds the counts below, so the int64 arithmetic of the budget cannot
	// overflow (limits are capped at the bounds Policy.Validate enforces).
	if n, over := overLength(msg, maxMessage); over {
		l.Add("message", fmt.Sprintf("%d characters", n), "must be at most %d characters (INV-6): %w", maxMessage, ErrMessage)
		return
	}
	if r, i, ok := firstControl(msg); ok {
		what := "a control character; only tab, line feed and carriage return are allowed (INV-6)"
		if shown.Bidi(r) {
			what = "a bidirectional control character, which would show it in another order than written (INV-6, INV-13)"
		}
		l.Add("message", fmt.Sprintf("U+%04X at byte %d", r, i), "holds %s: %w", what, ErrMessage)
		return
	}
	words, chars, visible := measure(msg, spaceless)
	if !visible {
		switch {
		case msg == "":
			l.Add("message", "", "is required (INV-6): %w", ErrMessage)
		case strings.TrimSpace(msg) == "":
			l.Add("message", quoteShort(msg), "is blank, only spaces: a message is required (INV-6): %w", ErrMessage)
		default:
			l.Add("message", quoteShort(msg), "has no visible character, only spaces and invisible ones (INV-6): %w", ErrMessage)
		}
		return
	}
	// words/MaxWords + chars/MaxSpacelessChars <= 1, in integers.
	mw, mc := int64(min(p.MaxWords, maxWordsLimit)), int64(min(p.MaxSpacelessChars, maxSpacelessChar))
	if int64(words)*mc+int64(chars)*mw > mw*mc {
		observed := fmt.Sprintf("%d words", words)
		if chars > 0 {
			observed += fmt.Sprintf(" and %d characters of a script without spaces", chars)
		}
		l.Add("message", observed, "exceeds the limit of %d words, or %d characters of the policy's scripts without spaces (INV-6): %w", p.MaxWords, p.MaxSpacelessChars, ErrMessage)
	}
}

// quoteShort quotes s in ASCII, invisible characters escaped, cut to its first 16 characters.
func quoteShort(s string) string {
	n := 0
	for i := range s {
		if n == 16 {
			return strconv.QuoteToASCII(s[:i]) + "…"
		}
		n++
	}
	return strconv.QuoteToASCII(s)
}

// overLength reports whether s has more than max characters (runes; each byte of invalid UTF-8
// counts as one) and, if it has, how many. Only a string of more than max bytes can, so only one
// is counted.
func overLength(s string, max int) (n int, over bool) {
	if len(s) <= max {
		return 0, false
	}
	n = utf8.RuneCountInString(s)
	return n, n > max
}

// quoteCut quotes s as strconv.Quote does, or, if s is longer than 256 bytes (no valid value of
// the fields it names is), its first 64 characters followed by "…" and its length in bytes, so
// that an error never carries megabytes of hostile input.
func quoteCut(s string) string {
	if len(s) <= 256 {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == 64 {
			return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:i]), len(s))
		}
		n++
	}
	return strconv.Quote(s) // not reached: more than 256 bytes are more than 64 characters
}
