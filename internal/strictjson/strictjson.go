// Package strictjson is what the policy loaders need beyond encoding/json: decoding exactly one
// value with unknown fields refused, and walking objects member by member to find what
// encoding/json lets through silently (a key given twice, where the last wins; a key that matches
// a field only when case is ignored; a field left out, which decodes as zero).
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
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
