// Package fielderr builds the *affrules.FieldError values every domain package returns, and
// collects a validation's problems so that all of them are reported at once.
package fielderr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/cut"
	"github.com/affrules/affrules/internal/jsonkind"
	"github.com/affrules/affrules/internal/strictjson"
)

// New returns a FieldError of package pkg for field and value, whose problem is formatted from
// format and args; an error argument matched by %w becomes its Err.
func New(pkg, field string, value any, format string, args ...any) *affrules.FieldError {
	wrapped := fmt.Errorf(format, args...)
	return &affrules.FieldError{Pkg: pkg, Field: cut.Field(field), Value: cut.Value(fmt.Sprint(value)), Problem: cut.Problem(wrapped.Error()), Err: errors.Unwrap(wrapped)}
}

// List collects the problems of one validation for one package. The zero List collects nothing
// until Pkg is set; use [For].
type List struct {
	pkg  string
	errs []error
	more int // problems recorded past maxListed, counted, not kept
}

// maxListed is the number of problems a List keeps: an input of a hundred thousand bad elements
// gets an error of bounded size, its first problems and a count of the others.
const maxListed = 100

// For returns an empty list for package pkg.
func For(pkg string) *List { return &List{pkg: pkg} }

// Add records a problem with field and value, as [New] builds it.
func (l *List) Add(field string, value any, format string, args ...any) {
	if len(l.errs) >= maxListed {
		l.more++
		return
	}
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
	if f, ok := err.(*affrules.FieldError); ok && f.Field == moreField {
		// Another list's count of the problems it left out: they are this list's too.
		n, _ := strconv.Atoi(f.Value)
		l.more += max(n, 1)
		return
	}
	if len(l.errs) >= maxListed {
		l.more++
		return
	}
	l.errs = append(l.errs, err)
}

// moreField is the field of the FieldError that counts the problems a list left out.
const moreField = "(more)"

// Len returns the number of problems recorded.
func (l *List) Len() int { return len(l.errs) + l.more }

// Err returns nil when no problem was recorded, the problem itself when there is one, and the
// problems joined with errors.Join otherwise: the first maxListed, then, if there were more, a
// FieldError "(more)" counting the others.
func (l *List) Err() error {
	if l.more > 0 {
		return errors.Join(append(l.errs[:len(l.errs):len(l.errs)], &affrules.FieldError{Pkg: l.pkg, Field: moreField, Value: strconv.Itoa(l.more),
			Problem: "problems past the first " + strconv.Itoa(maxListed) + ", not listed"})...)
	}
	switch len(l.errs) {
	case 0:
		return nil
	case 1:
		return l.errs[0]
	}
	return errors.Join(l.errs...)
}

// Rebase returns err with each FieldError in it (err itself, or each of the errors joined in it)
// copied into package pkg with the leading from of its field replaced by to, such as another
// package's "offer.rates[0]" found in a caller's "facts.open[1]"; other errors are kept as they
// are. It returns nil for nil.
func Rebase(pkg, from, to string, err error) error {
	return rename(pkg, err, func(field string) string {
		if rest, ok := strings.CutPrefix(field, from); ok {
			return to + rest
		}
		return field
	})
}

// rename returns err with each FieldError in it (err itself, or each of the errors joined in it)
// copied into package pkg with its field renamed by name; other errors are kept as they are. It
// returns nil for nil.
func rename(pkg string, err error, name func(field string) string) error {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	l := For(pkg)
	for _, e := range errs {
		if f, ok := e.(*affrules.FieldError); ok {
			c := *f
			c.Pkg = pkg
			if c.Field != moreField { // the count of problems left out keeps its name
				c.Field = name(c.Field)
			}
			l.Append(&c)
			continue
		}
		l.Append(e)
	}
	return l.Err()
}

// Split splits the errors joined in err into the FieldErrors whose field matches and the rest,
// each joined again (nil when there are none).
func Split(err error, match func(field string) bool) (matching, rest error) {
	if err == nil {
		return nil, nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var m, r []error
	for _, e := range errs {
		if f, ok := e.(*affrules.FieldError); ok && match(f.Field) {
			m = append(m, e)
		} else {
			r = append(r, e)
		}
	}
	return errors.Join(m...), errors.Join(r...)
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
	// Not a List: strictjson keeps the first problems and counts the others already.
	var errs []error
	for _, pr := range problems {
		path := pr.Path
		if root != "" {
			path = root + strings.TrimPrefix(path, "policy")
		}
		var fe *affrules.FieldError
		if errors.As(pr.Err, &fe) { // a value's own check: its problem, at the member's path
			field, value := path, pr.Value
			// A problem inside the value ("timeline[1].from") is at that place within the member;
			// one of the value as a whole names what it found wrong (a key, a bound) as its value.
			if i := strings.IndexAny(fe.Field, "[."); i > 0 {
				field, value = path+fe.Field[i:], fe.Value
			} else if fe.Value != "" && pr.Lead == "" { // a Lead's value is the one written
				value = fe.Value
			}
			errs = append(errs, &affrules.FieldError{Pkg: pkg, Field: cut.Field(field), Value: cut.Value(value), Problem: pr.Lead + fe.Problem, Err: fe.Err})
			continue
		}
		fe = New(pkg, path, pr.Value, "%s", pr.Problem)
		fe.Err = pr.Err // a value's own decoding error (time's, decimal's), for errors.As
		errs = append(errs, fe)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// Decoding returns the error of decoding JSON document doc ("policy", "offer") for package pkg:
// a value of the wrong JSON type as a FieldError naming the field's path and the JSON form
// expected, a FieldError of package pkg (from a field's UnmarshalText) as it is, anything else
// (another package's FieldError included) wrapped with the package and document named.
func Decoding(pkg, doc string, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return New(pkg, doc+"."+te.Field, te.Value, "%s", jsonkind.Problem(te.Value, te.Type))
	}
	var fe *affrules.FieldError
	if errors.As(err, &fe) && fe.Pkg == pkg {
		return err
	}
	return fmt.Errorf("%s: %s JSON: %w", pkg, doc, err)
}

// ParsePolicy decodes JSON policy data for package pkg by the library's one policy-loading rule
// ([strictjson.Load]: unknown, case-folded and repeated keys are errors at any depth; top-level
// settings left out keep their value in defaults, as do ones given as null except lists and maps,
// which null makes none: nil, or empty for a type whose JSON is a list or a map, a timeline),
// then validates it: every shape problem at once, a decoding error as [Decoding] gives it, else
// every problem Validate finds.
func ParsePolicy[P interface{ Validate() error }](pkg string, data []byte, defaults P) (P, error) {
	var p, zero P
	problems, err := strictjson.Load(data, &p, defaults)
	if err != nil {
		return zero, Decoding(pkg, "policy", err)
	}
	if err := Problems(pkg, "", problems); err != nil {
		return zero, err
	}
	if err := p.Validate(); err != nil {
		return zero, err
	}
	return p, nil
}

// UnderPolicy returns err with each FieldError's field named under "policy", as the shape
// problems of policy data are ([ParsePolicy]), so that one setting has one name whatever is wrong
// with it and however the policy came: a Validate whose checks name "quota_limit" returns its
// problems through UnderPolicy as "policy.quota_limit". Fields already under "policy" are kept.
func UnderPolicy(pkg string, err error) error {
	return rename(pkg, err, func(field string) string {
		switch {
		case field == "policy" || strings.HasPrefix(field, "policy.") || strings.HasPrefix(field, "policy["):
			return field
		case field == "":
			return "policy"
		}
		return "policy." + field
	})
}
