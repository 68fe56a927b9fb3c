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
