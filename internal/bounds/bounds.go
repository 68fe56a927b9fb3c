// Package bounds holds the library's limits on what callers may pass, checked before any
// arithmetic so that no input can make an evaluation slow or wrong: instants within the years
// every package supports, and decimals of a bounded exponent and number of digits.
package bounds

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/coef"
	"github.com/affrules/affrules/internal/fielderr"
)

// The instants every evaluator and store accepts: from 1900-01-01 to the end of 2199, UTC. The
// zero time.Time (year 1) is outside, so an instant a host forgot to set is an error, never a
// silent answer under whatever policy was in force in year 1.
var (
	MinInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive
)

// minUnix and maxUnix are MinInstant and MaxInstant in Unix seconds. Both are whole seconds, so
// an instant is within [MinInstant, MaxInstant) exactly when its Unix seconds are within
// [minUnix, maxUnix): one comparison of integers, on the path every evaluation takes.
var minUnix, maxUnix = MinInstant.Unix(), MaxInstant.Unix()

// InRange reports whether at lies within [MinInstant, MaxInstant) (so is not the zero time):
// the check of [Instant] without building its error.
func InRange(at time.Time) bool {
	s := at.Unix()
	return s >= minUnix && s < maxUnix
}

// Reaches returns nil if due, the end of a window of days that an instant at opens (a
// settlement period, an answer window, a content deadline), is an instant evaluators accept, and
// otherwise a FieldError of package pkg naming field with at's value: what the window is for
// could then never happen (consequence, e.g. "the record could never settle (COM-8)"), since no
// event could be dated at or after due, so the action that opens it is refused up front rather
// than left pending for ever. window says what the window is, with a %d for days ("its
// settlement period of %d days"); it is formatted only for the error, so that the usual call
// costs a comparison.
func Reaches(pkg, field string, at, due time.Time, window string, days int, consequence string) error {
	if InRange(due) {
		return nil
	}
	return fielderr.New(pkg, field, at.Format(time.RFC3339Nano), "is too late: "+window+" would end at %s, when no instant is accepted (years 1900 to 2199), so %s: %w", days, due.Format(time.RFC3339Nano), consequence, affrules.ErrOutOfRange)
}

// Next returns t as a decision's NextAllowed (MKT-5): t itself when it is before MaxInstant,
// and the zero time otherwise, since no instant an evaluator accepts would then be allowed and
// the decision must not announce one.
func Next(t time.Time) time.Time {
	if t.Unix() >= maxUnix {
		return time.Time{}
	}
	return t
}

// Instant returns a FieldError of package pkg naming field if at is the zero time or outside
// [MinInstant, MaxInstant), and nil otherwise.
func Instant(pkg, field string, at time.Time) error {
	if InRange(at) {
		return nil
	}
	if at.IsZero() {
		return fielderr.New(pkg, field, "0001-01-01T00:00:00Z", "is the zero time: give the instant (MKT-6: no evaluator reads the clock): %w", affrules.ErrOutOfRange)
	}
	if at.Before(MinInstant) || !at.Before(MaxInstant) {
		return fielderr.New(pkg, field, at.Format(time.RFC3339Nano), "must be in the years 1900 to 2199: %w", affrules.ErrOutOfRange)
	}
	return nil
}

// The decimals every evaluator accepts from a caller: at most MaxDigits significant digits and
// an exponent in [MinExponent, MaxExponent], so 1e-18 and 123456789.123456789 pass while a value
// built in code as decimal.New(4, -2_000_000_000), whose comparisons would take minutes, does not.
const (
	MaxDigits   = 38
	MinExponent = -28
	MaxExponent = 28
)

// Decimal returns a FieldError of package pkg naming field if d's exponent or number of digits is
// outside the bounds above, and nil otherwise. It reads only the exponent and, when the exponent
// is in bounds, the coefficient's size, so it is fast for any input.
func Decimal(pkg, field string, d decimal.Decimal) error {
	if DecimalOK(d) {
		return nil
	}
	if e := d.Exponent(); e < MinExponent || e > MaxExponent {
		return fielderr.New(pkg, field, "(coefficient) e"+itoa(int64(e)), "has an exponent outside %d to %d: %w", MinExponent, MaxExponent, affrules.ErrOutOfRange)
	}
	// A coefficient below 2^126 has at most 38 digits (2^126 < 10^38), so only the few between
	// 2^126 and 2^127 need their digits counted.
	if b := CoefficientBits(d); b > maxBits || b == maxBits && d.NumDigits() > MaxDigits {
		return fielderr.New(pkg, field, "(a number of more than 38 digits)", "has more than %d significant digits: %w", MaxDigits, affrules.ErrOutOfRange)
	}
	return nil
}

// DecimalOK reports whether d is within the bounds [Decimal] checks, without naming anything: a
// caller checking many values builds a field name only for one that is not.
func DecimalOK(d decimal.Decimal) bool {
	if e := d.Exponent(); e < MinExponent || e > MaxExponent {
		return false
	}
	b := CoefficientBits(d)
	return b < maxBits || b == maxBits && d.NumDigits() <= MaxDigits
}

// maxBits is the bit length of the largest coefficient of MaxDigits digits (10^38 < 2^127).
const maxBits = 127

// CoefficientBits returns the bit length of d's coefficient without copying it: d.NumDigits
// raises 10 to the number of digits, which takes seconds for a coefficient of millions of digits,
// and d.Coefficient copies it. decimal.Decimal is a *big.Int and an int32 exponent (pinned by
// TestCoefficientBits).
func CoefficientBits(d decimal.Decimal) int {
	v := coef.Of(&d)
	if v == nil {
		return 0
	}
	return v.BitLen()
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// MaxID is the longest identifier, in bytes, that evaluators and stores accept.
const MaxID = 256

// IDOK reports whether id is a usable identifier: not empty, at most MaxID bytes, UTF-8, with
// no ASCII control character (below 0x20, NUL included, or DEL), so that every store, a
// database's included, holds it as given. The C1 controls (U+0080 to U+009F) are text to it:
// IDs stored before are read as they were.
func IDOK(id string) bool {
	if id == "" || len(id) > MaxID || !utf8.ValidString(id) {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// ID returns a FieldError of package pkg naming field unless [IDOK] accepts id, and nil
// otherwise.
func ID(pkg, field, id string) error {
	switch {
	case IDOK(id):
		return nil
	case id == "":
		return fielderr.New(pkg, field, "", "must not be empty")
	case len(id) > MaxID:
		return fielderr.New(pkg, field, strconv.Itoa(len(id))+" bytes", "must be at most %d bytes", MaxID)
	}
	return fielderr.New(pkg, field, strconv.Quote(id), "must be UTF-8 text without ASCII control characters")
}

// Categories returns the problem of each category key of a policy's map, by key, in the order
// given: a key [ID] refuses, one with spaces around it or holding U+FFFD (what a JSON decoder
// makes of bytes that are not UTF-8), or one that differs only in case from an earlier key
// (categories compare exactly, so one of the two is a typo whose limits no product would
// read). keys should be sorted, so that the problems come in a stable order.
func Categories[K ~string](keys []K) map[K]string {
	var out map[K]string
	add := func(k K, problem string) {
		if out == nil {
			out = map[K]string{}
		}
		out[k] = problem
	}
	folded := make(map[string]K, len(keys))
	for _, key := range keys {
		k := string(key)
		lower := strings.ToLower(k)
		first, seen := folded[lower]
		switch {
		case k == "":
			add(key, "category key must not be empty")
		case !IDOK(k) || strings.ContainsRune(k, utf8.RuneError):
			add(key, "category key must be UTF-8 text without control characters")
		case strings.TrimSpace(k) != k:
			add(key, "category key has spaces around it: keys compare exactly")
		case seen:
			add(key, "category key differs only in case from "+strconv.Quote(string(first))+": keys compare exactly")
		default:
			folded[lower] = key
		}
	}
	return out
}
