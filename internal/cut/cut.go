// Package cut bounds the text an error carries, so that no error holds megabytes of hostile
// input: a value, a field path or a problem past its bound keeps its beginning (a path and a
// problem their end too, where the leaf and the rule are named) and says how long it was. Text
// within the bounds, which every valid value and every usual path is, is kept as it is.
package cut

import (
	"strconv"
	"unicode/utf8"
)

// The bounds, in bytes, and what is kept of text past them.
const (
	maxValue    = 300 // a value longer is cut to its first keepValue characters
	keepValue   = 64
	maxField    = 300 // a path longer keeps its first headField and last tailField bytes
	headField   = 128
	tailField   = 64
	maxProblem  = 1024 // a problem longer keeps its first headProblem and last tailProblem bytes
	headProblem = 512
	tailProblem = 128
)

// Value returns the text of an error's value: v itself, or, past maxValue bytes, its first
// keepValue characters followed by "…" and its length in bytes.
func Value(v string) string {
	if len(v) <= maxValue {
		return v
	}
	n := 0
	for i := range v {
		if n == keepValue {
			return v[:i] + "… (" + strconv.Itoa(len(v)) + " bytes)"
		}
		n++
	}
	return v // not reached: more than maxValue bytes are more than keepValue characters
}

// Field returns the text of an error's field path: f itself, or, past maxField bytes, its
// beginning and its end around "…" and its length in bytes.
func Field(f string) string { return middle(f, maxField, headField, tailField) }

// Problem returns the text of an error's problem: p itself, or, past maxProblem bytes, its
// beginning and its end around "…" and its length in bytes.
func Problem(p string) string { return middle(p, maxProblem, headProblem, tailProblem) }

// middle returns s, or, past max bytes, its first head and last tail bytes (at character
// boundaries) around "… (n bytes) …".
func middle(s string, max, head, tail int) string {
	if len(s) <= max {
		return s
	}
	h, t := head, len(s)-tail
	for h > 0 && !utf8.RuneStart(s[h]) {
		h--
	}
	for t < len(s) && !utf8.RuneStart(s[t]) {
		t++
	}
	return s[:h] + "… (" + strconv.Itoa(len(s)) + " bytes) …" + s[t:]
}
