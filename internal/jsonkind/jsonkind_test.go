package jsonkind

import (
	"reflect"
	"testing"
	"time"
)

type name uint8

func (*name) UnmarshalText([]byte) error { return nil }

func TestOf(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{true, "boolean"}, {1, "number"}, {1.5, "number"}, {"x", "string"}, {[]int{}, "array"}, {[2]int{}, "array"},
		{map[string]int{}, "object"}, {struct{}{}, "object"}, {name(0), "string"}, {time.Time{}, "string"}, {func() {}, "func()"},
	} {
		if got := Of(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("Of(%T) = %s, want %s", tt.v, got, tt.want)
		}
	}
	if Of(nil) != "value" {
		t.Error("Of(nil)")
	}
}

func TestProblem(t *testing.T) {
	for _, tt := range []struct {
		value string
		v     any
		want  string
	}{
		{"number 1.5", int64(0), "must be a whole number (digits, no fraction or exponent) from -9223372036854775808 to 9223372036854775807"},
		{"number 1e3", int8(0), "must be a whole number (digits, no fraction or exponent) from -128 to 127"},
		{"number -1", uint16(0), "must be a whole number (digits, no fraction or exponent) from 0 to 65535"},
		{"number 1.5", "", "must be a JSON string"},
		{"string", int64(0), "must be a JSON number"},
		{"number", float64(0), "must be a JSON number"},
		{"object", []int{}, "must be a JSON array"},
	} {
		if got := Problem(tt.value, reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("Problem(%q, %T) = %s, want %s", tt.value, tt.v, got, tt.want)
		}
	}
}
