package postgres

import (
	"encoding/json"
	"reflect"
	"time"
)

// encode is json.Marshal of v, every instant in it written so that it reads back as the same
// instant: encoding/json writes a zone offset in whole minutes, as RFC 3339 does, so an instant
// in a zone whose offset then had seconds (local mean time: Kuala Lumpur was +06:46:46 until
// 1905, Bangkok +06:42:04 until 1920) would come back up to a minute off, and the adapter would
// answer otherwise than the in-memory store. Such an instant is written in UTC; v is not changed.
func encode(v any) ([]byte, error) {
	if out, changed := exact(reflect.ValueOf(v)); changed {
		return json.Marshal(out.Interface())
	}
	return json.Marshal(v)
}

var timeType = reflect.TypeFor[time.Time]()

// exact returns v, or a copy of it in which every instant reachable through exported fields,
// pointers, slices, arrays, maps and interfaces whose offset has seconds is in UTC, and whether
// it copied. Only what it changes is copied; the rest is shared with v.
func exact(v reflect.Value) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if _, off := t.Zone(); off%60 != 0 {
				return reflect.ValueOf(t.UTC()), true
			}
			return v, false
		}
		var out reflect.Value
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			f, changed := exact(v.Field(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(v.Type()).Elem()
				out.Set(v)
			}
			out.Field(i).Set(f)
		}
		return out, out.IsValid()
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := exact(v.Elem())
		if !changed {
			return v, false
		}
		if v.Kind() == reflect.Pointer { // a new value pointed to, the original untouched
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(e)
			return p, true
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(e)
		return out, true
	case reflect.Slice, reflect.Array:
		var out reflect.Value
		for i := range v.Len() {
			e, changed := exact(v.Index(i))
			if !changed {
				continue
			}
			if !out.IsValid() {
				if v.Kind() == reflect.Slice {
					out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
					reflect.Copy(out, v)
				} else {
					out = reflect.New(v.Type()).Elem()
					out.Set(v)
				}
			}
			out.Index(i).Set(e)
		}
		return out, out.IsValid()
	case reflect.Map:
		var out reflect.Value
		iter := v.MapRange()
		for iter.Next() {
			e, changed := exact(iter.Value())
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.MakeMapWithSize(v.Type(), v.Len())
				for it := v.MapRange(); it.Next(); {
					out.SetMapIndex(it.Key(), it.Value())
				}
			}
			out.SetMapIndex(iter.Key(), e)
		}
		return out, out.IsValid()
	}
	return v, false
}
