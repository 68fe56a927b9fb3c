package affrulestest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Diff describes how got differs from want, one line per difference with its path, or returns
// "" when they are the same. It compares as go-cmp with EquateEmpty would: values of a type with
// an Equal method (instants, rates, decimals) with that method, so an instant read back in
// another zone is the same instant; a nil slice or map equal to an empty one. Reflection cannot
// call a method of a value held in an unexported field, so there (a Timeline's entries, say)
// values are compared field by field: an instant must be in the same zone to be the same.
func Diff(want, got any) string {
	var b strings.Builder
	diffValue(&b, "", reflect.ValueOf(want), reflect.ValueOf(got))
	return b.String()
}

func diffValue(b *strings.Builder, path string, w, g reflect.Value) {
	if !w.IsValid() || !g.IsValid() {
		if w.IsValid() != g.IsValid() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
		}
		return
	}
	if w.Type() != g.Type() {
		fmt.Fprintf(b, "%s: got a %v, want a %v\n", orRoot(path), g.Type(), w.Type())
		return
	}
	if m, ok := w.Type().MethodByName("Equal"); ok && w.CanInterface() && g.CanInterface() &&
		m.Type.NumIn() == 2 && m.Type.In(1) == w.Type() && m.Type.NumOut() == 1 && m.Type.Out(0).Kind() == reflect.Bool {
		if !m.Func.Call([]reflect.Value{w, g})[0].Bool() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
		}
		return
	}
	switch w.Kind() {
	case reflect.Struct:
		for i := range w.NumField() {
			diffValue(b, path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i))
		}
	case reflect.Slice, reflect.Array:
		if w.Len() != g.Len() {
			fmt.Fprintf(b, "%s: got %d elements, want %d: got %v, want %v\n", orRoot(path), g.Len(), w.Len(), show(g), show(w))
			return
		}
		for i := range w.Len() {
			diffValue(b, fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i))
		}
	case reflect.Map:
		if w.Len() != g.Len() {
			fmt.Fprintf(b, "%s: got %d entries, want %d: got %v, want %v\n", orRoot(path), g.Len(), w.Len(), show(g), show(w))
			return
		}
		for _, k := range sortedKeys(w) {
			gv := g.MapIndex(k)
			if !gv.IsValid() {
				fmt.Fprintf(b, "%s[%v]: missing\n", path, k)
				continue
			}
			diffValue(b, fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), gv)
		}
		for _, k := range sortedKeys(g) { // of the same number, got has as many keys want lacks
			if !w.MapIndex(k).IsValid() {
				fmt.Fprintf(b, "%s[%v]: unexpected, got %v\n", path, k, show(g.MapIndex(k)))
			}
		}
	case reflect.Pointer, reflect.Interface:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
			}
			return
		}
		diffValue(b, path, w.Elem(), g.Elem())
	case reflect.Bool:
		if w.Bool() != g.Bool() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), g.Bool(), w.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if w.Int() != g.Int() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if w.Uint() != g.Uint() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
		}
	case reflect.Float32, reflect.Float64:
		if w.Float() != g.Float() {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), g.Float(), w.Float())
		}
	case reflect.String:
		if w.String() != g.String() {
			fmt.Fprintf(b, "%s: got %q, want %q\n", orRoot(path), g.String(), w.String())
		}
	default:
		if w.CanInterface() && g.CanInterface() && !reflect.DeepEqual(w.Interface(), g.Interface()) {
			fmt.Fprintf(b, "%s: got %v, want %v\n", orRoot(path), show(g), show(w))
		}
	}
}

// show formats v for a difference, through its String method when it has one.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "nothing"
	}
	if v.CanInterface() {
		return fmt.Sprintf("%+v", v.Interface())
	}
	return fmt.Sprintf("%v", v)
}

func orRoot(path string) string {
	if path == "" {
		return "value"
	}
	return strings.TrimPrefix(path, ".")
}

// sortedKeys returns map m's keys in the order of their text, so that a diff lists them the same
// way each time.
func sortedKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return keys
}
