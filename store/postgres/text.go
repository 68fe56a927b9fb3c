package postgres

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/affrules/affrules/internal/fielderr"
)

// textOK reports whether PostgreSQL can hold s exactly, in a text column or inside jsonb: valid
// UTF-8 (JSON would replace the rest with U+FFFD) without the NUL character (neither type takes
// it). Nothing stored holds such a string, so a lookup by one finds nothing.
func textOK(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// maxKey is the longest text, in bytes, an adapter stores in an indexed column: a B-tree index
// entry holds at most about 2,700 bytes. The domain packages bound the IDs they check to 256;
// commission's offer IDs and products are the host's, so this bound is the adapter's.
const maxKey = 2048

// keyLength returns a FieldError of package pkg naming field if key is longer than [maxKey],
// or nil.
func keyLength(pkg, field, key string) error {
	if len(key) <= maxKey {
		return nil
	}
	return fielderr.New(pkg, field, strconv.Itoa(len(key))+" bytes", "must be at most %d bytes to be stored (a database index key)", maxKey)
}

// storableText returns a FieldError of package pkg for every string of v, named by its JSON path
// under root ("seller.groups[0].id"), that PostgreSQL cannot hold exactly ([textOK]), all joined,
// or nil. The in-memory stores keep such strings; a database cannot, so it refuses them before
// anything is written rather than store other text than it was given.
func storableText(pkg, root string, v any) error {
	l := fielderr.For(pkg)
	walkText(reflect.ValueOf(v), root, func(path, s string) {
		l.Add(path, strconv.Quote(s), "must be valid UTF-8 without NUL characters to be stored")
	})
	return l.Err()
}

// walkText calls bad for every string in v that [textOK] refuses: v's exported fields (by their
// JSON names, embedded structs flattened), elements, map keys and values, at any depth.
func walkText(v reflect.Value, path string, bad func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !textOK(s) {
			bad(path, s)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, bad)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes, written as base64
		}
		for i := range v.Len() {
			walkText(v.Index(i), path+"["+strconv.Itoa(i)+"]", bad)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			name := "?"
			if k.Kind() == reflect.String {
				name = k.String()
				if !textOK(name) {
					bad(path, name)
				}
			}
			walkText(iter.Value(), path+"["+name+"]", bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case f.Anonymous && name == "":
				walkText(v.Field(i), path, bad)
				continue
			case name == "":
				name = f.Name
			}
			walkText(v.Field(i), path+"."+name, bad)
		}
	}
}
