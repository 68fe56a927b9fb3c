// Package jsonkind names the JSON form a Go type is written in, for the errors of decoders that
// report a value of the wrong kind. It imports nothing of affrules, so the root package and the
// internal packages built on it can both use it.
package jsonkind

import (
	"encoding"
	"reflect"
	"strconv"
	"strings"
)

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// Of names the JSON form of values of type t: "string" for a type decoded from text (an enum, a
// rate, an instant's own text), "boolean", "number", "string", "array" or "object", "value" for
// a nil type, and the Go type's name for anything else.
func Of(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	if t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "string"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	}
	return t.String()
}

// Problem words what is wrong with a JSON value that a value of type t cannot hold, value as
// encoding/json's UnmarshalTypeError names it ("number 1.5", "string"): a number that is not a
// whole number within an integer type's range (and not of a type read from text) says so; any
// other value must be of t's JSON kind.
func Problem(value string, t reflect.Type) string {
	kind := Of(t)
	if kind != "number" || value != "number" && !strings.HasPrefix(value, "number ") {
		return "must be a JSON " + kind
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return "must be a whole number (digits, no fraction or exponent) from " + strconv.FormatInt(-1<<(bits-1), 10) + " to " + strconv.FormatInt(1<<(bits-1)-1, 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "must be a whole number (digits, no fraction or exponent) from 0 to " + strconv.FormatUint(1<<t.Bits()-1, 10)
	}
	return "must be a JSON number" // a float that cannot hold it
}
