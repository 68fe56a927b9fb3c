// Package fielderr builds the *affrules.FieldError values every domain package returns, and
// collects a validation's problems so that all of them are reported at once.
package fielderr

import (
	"errors"
	"fmt"
	"strings"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
)

// New returns a FieldError of package pkg for field and value, whose problem is formatted from
// format and args; an error argument matched by %w becomes its Err.
func New(pkg, field string, value any, format string, args ...any) *affrules.FieldError {
	wrapped := fmt.Errorf(format, args...)
	return &affrules.FieldError{Pkg: pkg, Field: field, Value: fmt.Sprint(value), Problem: wrapped.Error(), Err: errors.Unwrap(wrapped)}
}

// List collects the problems of one validation for one package. The zero List collects nothing
// until Pkg is set; use [For].
type List struct {
	pkg  string
	errs []error
}

// For returns an empty list for package pkg.
func For(pkg string) *List { return &List{pkg: pkg} }

// Add records a problem with field and value, as [New] builds it.
func (l *List) Add(field string, value any, format string, args ...any) {
	l.errs = append(l.errs, New(l.pkg, field, value, format, args...))
}

// Append records err, if not nil, flattening joined errors so every problem is one level deep.
func (l *List) Append(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			l.Append(e)
		}
		return
	}
	l.errs = append(l.errs, err)
}

// Len returns the number of problems recorded.
func (l *List) Len() int { return len(l.errs) }

// Err returns nil when no problem was recorded, the problem itself when there is one, and the
// problems joined with errors.Join otherwise.
func (l *List) Err() error {
	switch len(l.errs) {
	case 0:
		return nil
	case 1:
		return l.errs[0]
	}
	return errors.Join(l.errs...)
}

// Join joins errs like errors.Join, flattening joined errors and dropping nils.
func Join(errs ...error) error {
	var l List
	for _, e := range errs {
		l.Append(e)
	}
	return l.Err()
}

// Problems returns the shape problems [strictjson.Load] or [strictjson.Check] found in a
// document as FieldErrors of package pkg, joined, or nil if there are none. root, if not "",
// replaces the "policy" that starts each problem's path ("offer.rates[0].from").
func Problems(pkg, root string, problems []strictjson.Problem) error {
	if len(problems) == 0 {
		return nil
	}
	l := For(pkg)
	for _, pr := range problems {
		path := pr.Path
		if root != "" {
			path = root + strings.TrimPrefix(path, "policy")
		}
		l.Append(New(pkg, path, pr.Value, "%s", pr.Problem))
	}
	return l.Err()
}
