package affrules

import (
	"errors"
	"fmt"

	"github.com/affrules/affrules/internal/cut"
)

// Sentinel errors wrapped by [FieldError] values, for use with [errors.Is].
var (
	// ErrUnknownMarket reports a market code that is not registered, or one a package's policy
	// does not cover (its error says which: "does not run there").
	ErrUnknownMarket = errors.New("unknown market")
	// ErrUnknownCategory reports a category a policy has no rules for.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrNegative reports a count or amount below zero.
	ErrNegative = errors.New("must not be negative")
	// ErrOutOfRange reports a value outside its allowed bounds.
	ErrOutOfRange = errors.New("out of range")
	// ErrInvertedPeriod reports a period whose end is before its start.
	ErrInvertedPeriod = errors.New("end is before start")
	// ErrNilContext reports a nil context.Context given to a store method, which every store
	// of the library refuses with an error of its package wrapping it, not a panic.
	ErrNilContext = errors.New("nil context.Context: pass context.Background() or a request's context")
)

// FieldError reports a bad value in an input or a policy. Its message names the package, the field
// and the value, as in `eligibility: product[p-1].orders -3: must not be negative`. A value over
// 300 bytes is quoted by its first 64 characters and its length, and a path or a problem of
// hostile length keeps its beginning and end, so that no error carries megabytes of input.
// Wherever a function reports every problem at once (joined, as [errors.Join] joins them), it
// lists the first 100 and counts the others in a last FieldError whose Field is "(more)" (for a
// policy document, a "policy" problem of its "(document)" saying how many more there are);
// [errors.Is] and [errors.As] find only what is listed.
type FieldError struct {
	Pkg     string // package that found the problem, e.g. "eligibility"
	Field   string // dotted path of the field, e.g. "policy.default[0].value.min_store_rating"
	Value   string // the offending value, as text
	Problem string // what is wrong, e.g. "must be between 0 and 5"
	Err     error  // an underlying sentinel or cause, if any; see [FieldError.Unwrap]
}

// fieldErrorf returns a [FieldError] of this package whose problem is formatted from format and
// args; an error argument matched by %w becomes Err. Domain packages use internal/fielderr.
func fieldErrorf(field string, value any, format string, args ...any) *FieldError {
	wrapped := fmt.Errorf(format, args...)
	return &FieldError{Pkg: "affrules", Field: cut.Field(field), Value: cut.Value(fmt.Sprint(value)), Problem: cut.Problem(wrapped.Error()), Err: errors.Unwrap(wrapped)}
}

// Error returns "pkg: field value: problem".
func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s %q: %s", e.Pkg, e.Field, e.Value, e.Problem)
	}
	return fmt.Sprintf("%s: %s %s: %s", e.Pkg, e.Field, e.Value, e.Problem)
}

// Unwrap returns the underlying sentinel or cause, if any.
func (e *FieldError) Unwrap() error { return e.Err }
