// Package enum is the one way the library writes an enumeration's text form: a table of names
// indexed by the value, used by String, MarshalText and UnmarshalText alike.
package enum

import (
	"strconv"
	"strings"
)

// Names lists the text of each value of an enumeration T, indexed by the value.
type Names[T ~uint8] []string

// String returns v's name, or "typ(v)" for a value without one.
func (n Names[T]) String(typ string, v T) string {
	if int(v) < len(n) {
		return n[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// Text returns v's name and whether it has one.
func (n Names[T]) Text(v T) ([]byte, bool) {
	if int(v) < len(n) {
		return []byte(n[v]), true
	}
	return nil, false
}

// Parse returns the value named b and whether there is one. Names match exactly.
func (n Names[T]) Parse(b []byte) (T, bool) {
	for i, name := range n {
		if name == string(b) {
			return T(i), true
		}
	}
	return 0, false
}

// List returns the names separated by commas, for error messages.
func (n Names[T]) List() string { return strings.Join(n, ", ") }
