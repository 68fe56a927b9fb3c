package invitation

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/affrules/affrules/internal/fielderr"
)

// spaceless lists the scripts written without spaces between words (INV-6 interpretation).
var spaceless = []*unicode.RangeTable{unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Han, unicode.Hiragana, unicode.Katakana}

// measure returns the number of whitespace-separated words of msg, not counting tokens whose
// letters and digits are all in a script written without spaces, and the number of characters of
// msg in such scripts.
func measure(msg string) (words, chars int) {
	for tok := range strings.FieldsSeq(msg) {
		word := false
		for _, r := range tok {
			if unicode.In(r, spaceless...) {
				chars++
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) {
				word = true
			}
		}
		// A token with no letters at all (such as "—" or "2+2") is still a word; one whose
		// letters are all of a spaceless script is counted by its characters.
		if word || !hasSpaceless(tok) {
			words++
		}
	}
	return words, chars
}

func hasSpaceless(tok string) bool {
	for _, r := range tok {
		if unicode.In(r, spaceless...) {
			return true
		}
	}
	return false
}

// checkMessage applies INV-6 under p.
func checkMessage(l *fielderr.List, p Policy, msg string) {
	if !utf8.ValidString(msg) {
		l.Add("message", fmt.Sprintf("%d bytes", len(msg)), "is not valid UTF-8 (INV-6): %w", ErrMessage)
		return
	}
	if strings.TrimSpace(msg) == "" {
		l.Add("message", "", "is required (INV-6): %w", ErrMessage)
		return
	}
	// Limits are capped at the bounds Policy.Validate enforces and the counts by the message
	// length, so int64 cannot overflow below 2^31 bytes; longer messages are refused first.
	if len(msg) >= 1<<31 {
		l.Add("message", fmt.Sprintf("%d bytes", len(msg)), "exceeds %d words (INV-6): %w", p.MaxWords, ErrMessage)
		return
	}
	words, chars := measure(msg)
	// words/MaxWords + chars/MaxSpacelessChars <= 1, in integers.
	mw, mc := int64(min(p.MaxWords, maxWordsLimit)), int64(min(p.MaxSpacelessChars, maxSpacelessChar))
	if int64(words)*mc+int64(chars)*mw > mw*mc {
		observed := fmt.Sprintf("%d words", words)
		if chars > 0 {
			observed += fmt.Sprintf(" and %d characters of a script without spaces", chars)
		}
		l.Add("message", observed, "exceeds the limit of %d words, or %d characters of a script without spaces such as Thai (INV-6): %w", p.MaxWords, p.MaxSpacelessChars, ErrMessage)
	}
}
