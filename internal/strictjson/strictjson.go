// Package strictjson is what the policy loaders need beyond encoding/json: decoding exactly one
// value with unknown fields refused, and walking objects member by member to find what
// encoding/json lets through silently (a key given twice, where the last wins; a key that matches
// a field only when case is ignored; a field left out, which decodes as zero).
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/internal/jsonkind"
)

// ErrTrailing reports data after the one JSON value a document must hold.
var ErrTrailing = errors.New("trailing data after the JSON value")

// Decode decodes data, which must hold exactly one JSON value, into v, refusing fields v does not
// have. Its errors are encoding/json's, or [ErrTrailing].
func Decode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrTrailing
	}
	return nil
}

// Members yields the members of the JSON object raw in order, each key as written and its value
// raw. It yields nothing if raw is not an object, and stops at the first malformed member: walk
// only JSON that has already decoded.
func Members(raw []byte) iter.Seq2[string, json.RawMessage] {
	return func(yield func(string, json.RawMessage) bool) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := tok.(string) // inside an object the decoder yields string keys
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return
			}
			if !yield(key, v) {
				return
			}
		}
	}
}

// Elements yields the elements of the JSON array raw in order. It yields nothing if raw is not an
// array, and stops at the first malformed element.
func Elements(raw []byte) iter.Seq[json.RawMessage] {
	return func(yield func(json.RawMessage) bool) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return
		}
		for dec.More() {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}

// Problem is one thing wrong with the shape of a JSON document: the path of the member, the value
// as written (a key, or "(absent)") and what is wrong. Err is, for a value its type's
// UnmarshalText or UnmarshalJSON refused, that method's error.
type Problem struct {
	Path, Value, Problem string
	Err                  error
	// Lead, if not "", is what Problem says before Err's own text: a value of the wrong JSON
	// kind, which Err then says as its type would of the value as text.
	Lead string
}

// Shaper is implemented by a type whose JSON form is another type's, such as a timeline that
// marshals as a list of entries: Check walks the JSON against JSONShape's type.
type Shaper interface {
	JSONShape() any
}

// Check walks the JSON document data against the Go type of v (a pointer or a value) and reports
// what encoding/json would let through silently, at any depth: a key given twice (the last would
// win), a key that names a field only when case is ignored, a key that names no field, and, where
// a struct field is tagged `strict:"all"`, any field of that field's value (at any depth) left
// out or given as null (encoding/json would leave it zero either way), unless tagged
// `strict:"optional"`; a field tagged `strict:"required"` must be present and not null; a value
// of the wrong JSON kind; a value its type's own UnmarshalJSON or UnmarshalText refuses. Types
// with their own JSON or text decoding are leaves, unless they implement [Shaper]. A document
// that is not valid JSON is one problem.
func Check(data []byte, v any) []Problem { return check(data, v, false) }

// check is [Check]; with load, a top-level member given as null is let through, as [Load] reads
// it (nil, or the default).
func check(data []byte, v any, load bool) []Problem {
	if !json.Valid(data) {
		return []Problem{{Path: "policy", Value: "(document)", Problem: "is not valid JSON"}}
	}
	c := checker{load: load}
	c.walk(data, reflect.TypeOf(v), "policy", false)
	if c.more > 0 {
		c.problems = append(c.problems, Problem{Path: "policy", Value: "(document)", Problem: "has " + strconv.Itoa(c.more) + " more problems, not listed"})
	}
	return c.problems
}

// Keys returns the keys of the JSON object data, which must be valid JSON, as written.
func Keys(data []byte) map[string]bool {
	keys := map[string]bool{}
	for k := range Members(data) {
		keys[k] = true
	}
	return keys
}

// Load decodes data into dst, a pointer to the zero value of a struct type, strictly: the
// document must be a JSON object; its shape is checked first ([Check]), then it is decoded with
// [Decode]; every top-level field whose key is absent from data is then copied from defaults (a
// value of the same struct type). A top-level field given as null is nil if it is a list, map or
// pointer, since encoding/json writes a nil one as null (so a value reads back from its own
// JSON), and zero (empty) if its JSON is a list or map ([Shaper], such as a timeline); any other
// given as null is copied from defaults too. It returns every shape problem
// found, or the first decoding error.
func Load(data []byte, dst, defaults any) ([]Problem, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); json.Valid(data) && (len(t) == 0 || t[0] != '{') {
		return []Problem{{Path: "policy", Value: "(document)", Problem: "must be a JSON object"}}, nil
	}
	if problems := check(data, dst, true); len(problems) > 0 {
		return problems, nil
	}
	if err := Decode(data, dst); err != nil {
		return nil, err
	}
	present := map[string]bool{}
	for k, v := range Members(data) {
		present[k] = !isNull(v)
	}
	d := reflect.ValueOf(dst).Elem()
	def := reflect.ValueOf(defaults)
	for _, f := range structFields(d.Type()) {
		switch v, given := present[f.name]; {
		case given && !v && (nilable(f.typ) || nilable(shape(f.typ))):
			d.FieldByIndex(f.index).SetZero() // null for a list or map: none
		case !v:
			d.FieldByIndex(f.index).Set(def.FieldByIndex(f.index))
		}
	}
	return nil, nil
}

type checker struct {
	problems []Problem
	more     int  // problems found past maxProblems, counted, not listed
	load     bool // the document is [Load]'s: a top-level null is nil or the default
}

func (c *checker) add(path, value, problem string) { c.addErr(path, value, problem, nil) }

// addErr records a problem, unless maxProblems are recorded already: a document of many bad
// members (a key repeated a hundred thousand times) gets an error of bounded size.
func (c *checker) addErr(path, value, problem string, err error) {
	c.addProblem(Problem{Path: path, Value: value, Problem: problem, Err: err})
}

// addProblem is addErr of a problem built by the caller.
func (c *checker) addProblem(p Problem) {
	if len(c.problems) == maxProblems {
		c.more++
		return
	}
	c.problems = append(c.problems, p)
}

// maxProblems is the number of problems of a document listed; the others are counted.
const maxProblems = 100

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	shaper          = reflect.TypeFor[Shaper]()
)

func (c *checker) walk(raw []byte, t reflect.Type, path string, all bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s := shape(t); s != t {
		before := len(c.problems)
		c.walk(raw, s, path, all)
		if len(c.problems) == before {
			c.decodes(raw, t, path) // the value's own checks, once its shape is right
		}
		return
	}
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		c.decodes(raw, t, path)
		return
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		// A string the type refuses is a problem at this path, reported with every other one
		// (encoding/json would stop at the first, and name no path); so is any other value but
		// null, which encoding/json refuses for a type decoded from text.
		var text string
		tr := bytes.TrimSpace(raw)
		if len(tr) > 0 && tr[0] != '"' && !isNull(tr) {
			c.notText(t, tr, path)
			return
		}
		if tooLong(tr) {
			c.add(path, short(tr), longScalar)
			return
		}
		if len(tr) > 0 && tr[0] == '"' && json.Unmarshal(raw, &text) == nil {
			if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
				c.addErr(path, strconv.Quote(text), bounded(err.Error()), err)
			}
		}
		return
	}
	if !c.kind(raw, t, path) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		c.object(raw, t, path, all)
	case reflect.Map:
		seen := map[string]bool{}
		for key, v := range Members(raw) {
			if seen[key] {
				c.add(path, quoteKey(key), "key is given twice; the first value would be silently dropped")
				continue
			}
			seen[key] = true
			c.element(v, t.Elem(), path+"["+pathKey(key)+"]", all)
		}
	case reflect.Slice, reflect.Array:
		i := 0
		for v := range Elements(raw) {
			c.element(v, t.Elem(), path+"["+strconv.Itoa(i)+"]", all)
			i++
		}
	}
}

// element walks a map's value or a list's element. null there is a problem unless the element
// type has a nil of its own (a pointer, an interface, a map or a list, whose nil is "none" and
// which encoding/json writes as null): encoding/json would make it a zero value, silently, as it
// does for a required field left out.
func (c *checker) element(raw []byte, t reflect.Type, path string, all bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		c.walk(raw, t, path, all)
		return
	}
	if isNull(raw) {
		c.add(path, "null", "must not be null: it would silently be zero")
		return
	}
	c.walk(raw, t, path, all)
}

// decodes reports, at path, the error of decoding raw into a value of type t with the type's own
// UnmarshalJSON (an instant without a zone, a malformed number, a timeline's entries out of
// order), which encoding/json would report without a path. null decodes as nothing.
//
// A number or string longer than maxScalar is refused unread: every scalar such a type reads (a
// decimal, a rate, an instant) is far shorter, and decoding a number of a million digits takes
// seconds. A problem quotes at most maxProblem bytes of the type's error, which may quote the
// value.
func (c *checker) decodes(raw []byte, t reflect.Type, path string) {
	if isNull(raw) {
		return
	}
	v := bytes.TrimSpace(raw)
	if v[0] != '{' && v[0] != '[' && tooLong(v) {
		c.add(path, short(raw), longScalar)
		return
	}
	if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(v); err != nil {
		c.addErr(path, short(raw), bounded(advice(t, v, err)), err)
	}
}

// notText adds the problem of a number or literal v given at path for type t, decoded from a
// JSON string, with what t says of v as text: a rate written 5 is told at once that it wants
// "5%".
func (c *checker) notText(t reflect.Type, v []byte, path string) {
	const lead = "must be a JSON string, and "
	if len(v) > maxScalar {
		c.add(path, short(v), "must be a JSON string")
		return
	}
	if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText(v); err != nil {
		c.addProblem(Problem{Path: path, Value: short(v), Problem: lead + bounded(err.Error()), Err: err, Lead: lead})
		return
	}
	c.add(path, short(v), "must be a JSON string: "+strconv.Quote(string(v)))
}

// advice is the problem of a value v a JSON-decoded type t refuses with err: the type's own
// text, or for the library types whose texts give no advice (time's layout, decimal's
// conversion), what is wanted.
func advice(t reflect.Type, v []byte, err error) string {
	var perr *time.ParseError
	switch {
	case t == timeType && errors.As(err, &perr) && perr.Message == "": // a layout, not a range, problem
		return InstantWanted
	case t == decimalType:
		// decimal's text repeats the value, and says what is wrong with it after this (of a
		// number or string: it reads true's "e" as an exponent)
		const want = `must be a decimal number, such as 3.5 or "3.5"`
		if _, detail, ok := strings.Cut(err.Error(), " to decimal: "); ok && v[0] != 't' && v[0] != 'f' {
			return want + ": " + detail
		}
		return want
	}
	return err.Error()
}

// InstantWanted is the problem of an instant written otherwise than in RFC 3339 with its zone
// offset, a date or a local time without one included.
const InstantWanted = `must be an RFC 3339 instant with its zone offset, such as "2026-11-01T00:00:00+07:00" or "2026-11-01T00:00:00Z"`

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
)

// bounded returns a type's error text cut to maxProblem bytes.
func bounded(text string) string {
	if len(text) <= maxProblem {
		return text
	}
	return strings.ToValidUTF8(text[:maxProblem], "") + "…"
}

// tooLong reports whether the number or string v, as written, is longer than maxScalar bytes, a
// string's quotes aside.
func tooLong(v []byte) bool {
	n := len(v)
	if n >= 2 && v[0] == '"' {
		n -= 2
	}
	return n > maxScalar
}

// longScalar is the problem of a number or string tooLong refuses.
var longScalar = "is longer than " + strconv.Itoa(maxScalar) + " bytes"

// maxScalar and maxProblem bound what decodes reads and reports.
const (
	maxScalar  = 2000
	maxProblem = 300
)

// kind reports a JSON value of the wrong kind for Go type t at path (a string for a number, a
// fraction or an out-of-range number for an integer, an array for an object), which encoding/json
// would report one at a time and, inside a map or an embedded struct, without the exact path. It
// returns whether the value is of the right kind; null is, as encoding/json leaves the field as
// it was.
func (c *checker) kind(raw []byte, t reflect.Type, path string) bool {
	v := bytes.TrimSpace(raw)
	if len(v) == 0 || isNull(v) {
		return true
	}
	number := v[0] == '-' || v[0] >= '0' && v[0] <= '9'
	var problem string
	switch t.Kind() {
	case reflect.Bool:
		if v[0] != 't' && v[0] != 'f' {
			problem = "must be a JSON boolean"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch _, err := strconv.ParseInt(string(v), 10, t.Bits()); {
		case !number:
			problem = "must be a JSON number"
		case err != nil: // a fraction, an exponent, or out of range
			problem = jsonkind.Problem("number", t)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		switch _, err := strconv.ParseUint(string(v), 10, t.Bits()); {
		case !number:
			problem = "must be a JSON number"
		case v[0] == '-':
			problem = "must not be negative"
		case err != nil: // a fraction, an exponent, or out of range
			problem = jsonkind.Problem("number", t)
		}
	case reflect.Float32, reflect.Float64:
		if !number {
			problem = "must be a JSON number"
		}
	case reflect.String:
		if v[0] != '"' {
			problem = "must be a JSON string"
		}
	case reflect.Struct, reflect.Map:
		if v[0] != '{' {
			problem = "must be a JSON object"
		}
	case reflect.Slice:
		// Bytes may come as base64 text; a list of an enum stored in a byte (a source, a
		// rounding mode) is a list of its names, never base64 that encoding/json would take.
		bytes := t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(textUnmarshaler)
		if bytes && v[0] != '"' && v[0] != '[' {
			problem = "must be a JSON string (base64) or array"
		} else if !bytes && v[0] != '[' {
			problem = "must be a JSON array"
		}
	case reflect.Array:
		if v[0] != '[' {
			problem = "must be a JSON array"
		}
	}
	if problem != "" {
		c.add(path, short(v), problem)
	}
	return problem == ""
}

// shape returns the type whose JSON a value of type t takes: its [Shaper.JSONShape]'s, or t.
func shape(t reflect.Type) reflect.Type {
	if t.Implements(shaper) || reflect.PointerTo(t).Implements(shaper) {
		return reflect.TypeOf(reflect.New(t).Elem().Interface().(Shaper).JSONShape())
	}
	return t
}

// nilable reports whether a value of type t can be nil: what a JSON null decodes to.
func nilable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		return true
	}
	return false
}

// isNull reports whether raw is the JSON null.
func isNull(raw []byte) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// short returns a JSON value as a problem shows it: as written if short, else its kind.
func short(raw []byte) string {
	v := bytes.TrimSpace(raw)
	if len(v) <= 40 {
		return string(v)
	}
	switch v[0] {
	case '{':
		return "(an object)"
	case '[':
		return "(an array)"
	case '"':
		return "(a long string)"
	}
	return "(a long value)"
}

func (c *checker) object(raw []byte, t reflect.Type, path string, all bool) {
	if tr := bytes.TrimLeft(raw, " \t\r\n"); len(tr) == 0 || tr[0] != '{' {
		return // null, or a type error encoding/json reports
	}
	fields := structFields(t)
	byName := make(map[string]field, len(fields))
	for _, f := range fields {
		byName[f.name] = f
	}
	seen := map[string]bool{}
	for key, v := range Members(raw) {
		f, ok := byName[key]
		switch {
		case seen[key]:
			if ok { // an unknown key is named once, however often it is repeated
				c.add(path, quoteKey(key), "key is given twice; the first value would be silently dropped")
			}
			continue
		case !ok:
			seen[key] = true
			c.add(path, quoteKey(key), unknownKey(key, fields))
			continue
		}
		seen[key] = true
		if isNull(v) && (f.required || all && !f.optional) && !(c.load && path == "policy") {
			// encoding/json leaves a field given as null as it was: zero, like one left out.
			c.add(path+"."+key, "null", "is required: null would silently be zero")
			continue
		}
		c.walk(v, f.typ, path+"."+key, all || f.all)
	}
	for _, f := range fields {
		if !seen[f.name] && (f.required || all && !f.optional) {
			c.add(path+"."+f.name, "(absent)", "is required: left out it would silently be zero")
		}
	}
}

// pathKey is a map's key as the paths below it name it: whole up to 64 bytes, else its start,
// so that a path, built for every value below the key, stays short (a key of a megabyte over
// ten thousand values would otherwise be copied into each one's path). Keys are as long as
// their types allow: the key itself is the map's to check.
func pathKey(key string) string {
	if len(key) <= 64 {
		return key
	}
	return strings.ToValidUTF8(key[:60], "") + "…"
}

// quoteKey quotes a key for a problem: whole up to maxProblem bytes, else its start and its
// length, so that no problem holds a key of megabytes.
func quoteKey(key string) string {
	if len(key) <= maxProblem {
		return strconv.Quote(key)
	}
	return strconv.Quote(strings.ToValidUTF8(key[:60], "")+"…") + " (" + strconv.Itoa(len(key)) + " bytes)"
}

func unknownKey(key string, fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
		if strings.EqualFold(f.name, key) {
			return "is not a field: keys are case-sensitive (did you mean " + strconv.Quote(f.name) + "?)"
		}
	}
	return "is not a field (want one of " + strings.Join(names, ", ") + ")"
}

type field struct {
	name                    string
	index                   []int
	typ                     reflect.Type
	all, optional, required bool
}

// structFields returns the JSON members of struct type t as encoding/json names them, embedded
// structs without a tag flattened.
func structFields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" || (!sf.IsExported() && !sf.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			for _, f := range structFields(sf.Type) {
				f.index = append([]int{i}, f.index...)
				out = append(out, f)
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		f := field{name: name, index: []int{i}, typ: sf.Type}
		for opt := range strings.SplitSeq(sf.Tag.Get("strict"), ",") {
			switch opt {
			case "all":
				f.all = true
			case "optional":
				f.optional = true
			case "required":
				f.required = true
			}
		}
		out = append(out, f)
	}
	return out
}
