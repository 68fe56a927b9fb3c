package affrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules/internal/cut"
	"github.com/affrules/affrules/internal/strictjson"
)

// Effective is a value in force from an instant on, until the next entry of its [Timeline].
type Effective[T any] struct {
	From  time.Time `json:"from"`
	Value T         `json:"value" strict:"required,all"`
}

// Timeline is a sequence of effective-dated values answering "what was in force at instant t"
// (ELG-10, COM-3). Entries start at strictly increasing instants; each is in force from its From
// until the next entry's From, so entries can neither overlap nor leave a gap after the first.
// The zero Timeline has no entries and nothing is in force at any instant.
//
// A Timeline marshals to JSON as an array of {"from", "value"} objects.
type Timeline[T any] struct {
	entries []Effective[T]
}

// NewTimeline returns a timeline of the given entries, which must start at strictly increasing
// instants. The error names the first entry that does not.
func NewTimeline[T any](entries ...Effective[T]) (Timeline[T], error) {
	for i := 1; i < len(entries); i++ {
		if !entries[i].From.After(entries[i-1].From) {
			return Timeline[T]{}, fieldErrorf("timeline["+strconv.Itoa(i)+"].from", entries[i].From.Format(time.RFC3339Nano),
				"must be after entry %d's %s: versions may not overlap or go backwards", i-1, entries[i-1].From.Format(time.RFC3339Nano))
		}
	}
	return Timeline[T]{entries: slices.Clone(entries)}, nil
}

// At returns the value in force at t and true, or the zero value and false if t is before the
// first entry.
func (tl Timeline[T]) At(t time.Time) (T, bool) {
	// The first entry starting after t; the one before it is in force.
	i, _ := slices.BinarySearchFunc(tl.entries, t, func(e Effective[T], t time.Time) int {
		if e.From.After(t) {
			return 1
		}
		return -1
	})
	if i == 0 {
		var zero T
		return zero, false
	}
	return tl.entries[i-1].Value, true
}

// Len returns the number of entries.
func (tl Timeline[T]) Len() int { return len(tl.entries) }

// All yields each entry's start and value in order.
func (tl Timeline[T]) All() iter.Seq2[time.Time, T] {
	return func(yield func(time.Time, T) bool) {
		for _, e := range tl.entries {
			if !yield(e.From, e.Value) {
				return
			}
		}
	}
}

// With returns a new timeline with e added; e must start after the last entry.
func (tl Timeline[T]) With(e Effective[T]) (Timeline[T], error) {
	return NewTimeline(append(slices.Clip(tl.entries), e)...)
}

// JSONShape returns the type a timeline's JSON takes, a list of entries, for the policy loaders'
// strict shape check.
func (tl Timeline[T]) JSONShape() any { return []Effective[T](nil) }

// MarshalJSON encodes the entries as a JSON array. A From whose zone offset has seconds (local
// mean time in many zones before about 1920: Bangkok was +06:42:04), which RFC 3339 cannot
// write, is written in UTC, so that the entry comes back at the same instant.
func (tl Timeline[T]) MarshalJSON() ([]byte, error) {
	if tl.entries == nil {
		return []byte("[]"), nil
	}
	out := tl.entries
	for i := range tl.entries {
		if err := unwritable("timeline["+strconv.Itoa(i)+"].from", tl.entries[i].From); err != nil {
			return nil, err
		}
		if from := exactTime(tl.entries[i].From); from != tl.entries[i].From {
			if len(out) > 0 && &out[0] == &tl.entries[0] {
				out = slices.Clone(tl.entries)
			}
			out[i].From = from
		}
	}
	return json.Marshal(out)
}

// unwritable returns the error of writing instant t, named field, as JSON when RFC 3339 cannot
// write its year (outside 0 to 9999), or nil.
func unwritable(field string, t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return fieldErrorf(field, t.Format(time.RFC3339Nano), "is outside the years 0 to 9999, which JSON's RFC 3339 cannot write: %w", ErrOutOfRange)
	}
	return nil
}

// exactTime returns t as RFC 3339 (the JSON and the String of Timeline, Value, Period and
// Decision; error texts print instants as given) should write it to name the same instant: t
// itself, or t in UTC when its zone's offset has seconds (local mean time in many zones before
// about 1920: Bangkok was +06:42:04), which RFC 3339, writing offsets in minutes, would shift.
func exactTime(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 {
		return t.UTC()
	}
	return t
}

// entryError names, in the error err of decoding a timeline's entry (at field, its JSON entry,
// into e), the entry and, for a value's own error, the place in the value: a type's error (a
// rate's, say) names no path of its own, so the checker's walk of the entry finds the member it
// came from, as the policy loaders name it; failing that, the value.
func entryError(field string, entry []byte, e any, err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		// encoding/json's own error (an unknown key, an instant that does not parse) names no
		// member, or not in our terms: the checker's walk finds where it is and says what is
		// wrong there.
		for _, p := range strictjson.Check(entry, e) {
			if !errors.As(p.Err, new(*FieldError)) {
				at := fieldErrorf(field+strings.TrimPrefix(p.Path, "policy"), p.Value, "%s", p.Problem)
				at.Err = p.Err // time's error, say, for errors.As
				return at
			}
		}
		return decodingError(field, err)
	}
	path := field + ".value"
	for _, p := range strictjson.Check(entry, e) {
		var at *FieldError
		if errors.As(p.Err, &at) && at.Value == fe.Value && at.Problem == fe.Problem {
			path = field + strings.TrimPrefix(p.Path, "policy")
			break
		}
	}
	if i := strings.IndexAny(fe.Field, "[."); i > 0 { // a place within the member ("value.rate")
		path += fe.Field[i:]
	}
	c := *fe
	c.Field = cut.Field(path)
	return &c
}

// UnmarshalJSON decodes a JSON array of entries and checks them as [NewTimeline] does. Unknown
// fields, in the entries or in their values, are errors, as are an entry that is not an object,
// one without a value (or with null for a value that cannot be nil), and an entry's key given
// twice or written in another case; what a value's fields may hold is its type's to check (the
// policy loaders check more: every field of a version required, keys given twice at any depth).
// An entry without "from" applies from the beginning of time (the zero From). null leaves tl as
// it was, as encoding/json does for a value.
func (tl *Timeline[T]) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil // encoding/json's rule: null leaves the value as it was
	}
	var entries []Effective[T]
	// A misspelt field in a policy version is an error, not a zero value; so is an entry's key
	// given twice (encoding/json would keep the last) or written in another case (encoding/json
	// would take "From" for "from"). The values' own fields are their types' to check, as
	// ParsePolicy does.
	var zero T
	nilable := false
	switch reflect.TypeOf(&zero).Elem().Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		nilable = true // null is a nil value, as encoding/json writes one
	}
	i := 0
	for entry := range strictjson.Elements(b) {
		field := "timeline[" + strconv.Itoa(i) + "]"
		if t := bytes.TrimSpace(entry); len(t) == 0 || t[0] != '{' {
			return fieldErrorf(field, string(t), "must be an entry, an object of from and value")
		}
		seen := map[string]bool{}
		for key, v := range strictjson.Members(entry) {
			switch {
			case seen[key]:
				return fieldErrorf(field, strconv.Quote(key), "key is given twice; the first value would be silently dropped")
			case key != "from" && key != "value" && (strings.EqualFold(key, "from") || strings.EqualFold(key, "value")):
				return fieldErrorf(field, strconv.Quote(key), "is not a field: keys are case-sensitive (from, value)")
			case key == "value" && !nilable && string(bytes.TrimSpace(v)) == "null":
				return fieldErrorf(field+".value", "null", "is required: null would silently be zero")
			}
			seen[key] = true
		}
		if !seen["value"] {
			return fieldErrorf(field+".value", "(absent)", "is required: left out it would silently be zero")
		}
		var e Effective[T] // decoded alone first, so that an error names the entry
		if err := strictjson.Decode(entry, &e); err != nil {
			return entryError(field, entry, &e, err)
		}
		i++
	}
	if err := strictjson.Decode(b, &entries); err != nil { // what is not an array of entries
		return decodingError("timeline", err)
	}
	v, err := NewTimeline(entries...)
	if err != nil {
		return err
	}
	*tl = v
	return nil
}
