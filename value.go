package affrules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules/internal/coef"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/strictjson"
)

// ValueKind says what a [Value] holds.
type ValueKind uint8

// The kinds of value a reason can carry.
const (
	NoValue       ValueKind = iota // nothing: the reason has no observed value or limit
	CountValue                     // a count, such as 3 reviews or 100 invitations
	RatioValue                     // a count ratio num/den, such as 4/400 orders (a rate with its fraction)
	RateValue                      // a [Rate], such as a 1% limit
	DecimalValue                   // an exact number, such as a store rating of 2.4
	AmountValue                    // an amount of money with its currency
	InstantValue                   // an instant, with the zone offset it is shown in
	DayValue                       // a calendar day, given by its first instant
	DaysValue                      // a number of 24-hour days (MKT-3)
	LevelValue                     // a creator level, L0 to L8
	TextValue                      // a name: a state, a market, a creator or account ID
	DurationValue                  // a length of time, such as a reply time of 12h
)

var valueKindNames = enum.Names[ValueKind]{"none", "count", "ratio", "rate", "decimal", "amount", "instant", "day", "days", "level", "text", "duration"}

// String returns the kind's name, e.g. "ratio".
func (k ValueKind) String() string { return valueKindNames.String("ValueKind", k) }

// MarshalText returns the kind's name.
func (k ValueKind) MarshalText() ([]byte, error) {
	if b, ok := valueKindNames.Text(k); ok {
		return b, nil
	}
	return nil, fieldErrorf("value.kind", int(k), "%w", ErrOutOfRange)
}

// UnmarshalText parses a kind's name.
func (k *ValueKind) UnmarshalText(b []byte) error {
	v, ok := valueKindNames.Parse(b)
	if !ok {
		return fieldErrorf("value.kind", strconv.Quote(string(b)), "must be one of %s", valueKindNames.List())
	}
	*k = v
	return nil
}

// Value is one typed value in a [Reason]: the observed value or the limit of a rule, such as a
// ratio of 4/400 orders, a 1% rate, a store rating of 2.4, an instant or a level. Hosts compare
// and render values through its accessors; [Value.String] is a language-neutral rendering.
//
// Value is small and comparable with ==, which compares representations: a decimal of 2.40 and
// one of 2.4 differ by ==, and [Value.Equal] compares what they mean. Building one allocates
// nothing, except a decimal whose coefficient has more than 18 digits, kept as its digits. The
// zero Value is [NoValue].
type Value struct {
	kind ValueKind
	n, d int64  // count, numerator, rate units, coefficient, Unix seconds, days, level; denominator, exponent, offset and nanoseconds
	s    string // text, currency, or a decimal too large for n and d
}

// Count returns a count value.
func Count(n int64) Value { return Value{kind: CountValue, n: n} }

// Ratio returns the count ratio num/den, such as 4 of 400 orders.
func Ratio(num, den int64) Value { return Value{kind: RatioValue, n: num, d: den} }

// RateOf returns the rate r as a value.
func RateOf(r Rate) Value { return Value{kind: RateValue, n: r.units} }

// Decimal returns the exact number x as a value.
func Decimal(x decimal.Decimal) Value {
	if c, ok := coef.Small(&x); ok && c < 1e18 { // the usual case, without counting digits
		return Value{kind: DecimalValue, n: c, d: int64(x.Exponent())}
	}
	if x.NumDigits() <= 18 {
		return Value{kind: DecimalValue, n: x.CoefficientInt64(), d: int64(x.Exponent())}
	}
	// A longer coefficient is kept as its digits, with the exponent in d.
	return Value{kind: DecimalValue, s: x.Coefficient().String(), d: int64(x.Exponent())}
}

// decimalText returns x as text: as decimal.Decimal writes it, or, for an exponent beyond ±28
// (outside the library's bounds, which evaluators refuse), as coefficient "e" exponent, since
// writing out 10^100000000 in full would take minutes. decimal.NewFromString reads both.
func decimalText(x decimal.Decimal) string {
	if e := x.Exponent(); e < -28 || e > 28 {
		return x.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return x.String()
}

// Amount returns an amount of money in currency (an ISO 4217 code, such as "THB") as a value. A
// currency of another length is kept as it is given (a NUL in it is dropped).
func Amount(x decimal.Decimal, currency string) Value {
	v := Decimal(x)
	v.kind = AmountValue
	currency = strings.ReplaceAll(currency, "\x00", "")
	if v.s != "" {
		v.s = currency + "\x00" + v.s // the currency, then the digits of a long coefficient
	} else {
		v.s = currency
	}
	return v
}

// amountParts returns an amount value's currency and the digits of its long coefficient ("" if
// its coefficient is in n).
func (v Value) amountParts() (currency, digits string) {
	c, d, _ := strings.Cut(v.s, "\x00")
	return c, d
}

// Instant returns the instant t as a value, keeping the zone offset t is shown in (its
// monotonic reading and zone name are dropped).
func Instant(t time.Time) Value {
	_, off := t.Zone()
	return Value{kind: InstantValue, n: t.Unix(), d: int64(off)*1e9 + int64(t.Nanosecond())}
}

// Day returns the calendar day that starts at instant start (in start's zone) as a value.
func Day(start time.Time) Value {
	v := Instant(start)
	v.kind = DayValue
	return v
}

// DaysOf returns a number of 24-hour days as a value.
func DaysOf(n int) Value { return Value{kind: DaysValue, n: int64(n)} }

// LevelOf returns creator level L<n> as a value.
func LevelOf(n int) Value { return Value{kind: LevelValue, n: int64(n)} }

// DurationOf returns a length of time as a value.
func DurationOf(d time.Duration) Value { return Value{kind: DurationValue, n: int64(d)} }

// Text returns a name, such as a state or an account ID, as a value.
func Text(s string) Value { return Value{kind: TextValue, s: s} }

// Kind returns what v holds.
func (v Value) Kind() ValueKind { return v.kind }

// Equal reports whether v and o are the same value: of one kind and, for decimals and amounts,
// numerically equal (2.40 equals 2.4) in the same currency; for instants, the same moment
// whatever zone each is shown in (as [time.Time.Equal]); for days, the same day of the same
// zone offset, to the minute as RFC 3339 writes it (a day of a zone whose offset had seconds,
// such as Monrovia's until 1972, reads back from JSON without them). go-cmp compares values
// with it.
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind {
		return false
	}
	switch v.kind {
	case DecimalValue, AmountValue:
		return v.Currency() == o.Currency() && sameNumber(v.Decimal(), o.Decimal())
	case InstantValue:
		return v.n == o.n && v.nanos() == o.nanos()
	case DayValue: // as JSON writes them: an offset's seconds are not written (RFC 3339)
		return v.n == o.n && v.d == o.d || v.Time().Format(time.RFC3339Nano) == o.Time().Format(time.RFC3339Nano)
	}
	return v == o
}

// nanos is an instant's nanoseconds within its second (d holds the zone offset too).
func (v Value) nanos() int64 {
	n := v.d % 1e9
	if n < 0 {
		n += 1e9
	}
	return n
}

// IsZero reports whether v holds nothing.
func (v Value) IsZero() bool { return v == Value{} }

// Int returns the number of a count, days or level value, a ratio's numerator, and 0 otherwise.
func (v Value) Int() int64 {
	switch v.kind {
	case CountValue, DaysValue, LevelValue, RatioValue:
		return v.n
	}
	return 0
}

// Duration returns a duration value's length, a days value's as 24-hour days, and 0 otherwise.
func (v Value) Duration() time.Duration {
	switch v.kind {
	case DurationValue:
		return time.Duration(v.n)
	case DaysValue:
		return Days(int(v.n))
	}
	return 0
}

// Ratio returns a ratio value's numerator and denominator.
func (v Value) Ratio() (num, den int64) {
	if v.kind != RatioValue {
		return 0, 0
	}
	return v.n, v.d
}

// Rate returns a rate value's rate, or a ratio value's rate rounded down to 1e-9 (0% for a
// denominator that is not positive or a negative numerator, 100% for a ratio of 1 or more).
func (v Value) Rate() Rate {
	switch v.kind {
	case RateValue:
		return Rate{units: v.n}
	case RatioValue:
		switch {
		case v.d <= 0 || v.n < 0:
		case v.n >= v.d:
			return Rate{units: rateScale} // a ratio of 1 or more: 100%, the most a rate holds
		default: // 0 ≤ n < d: n×1e9 fits in 128 bits and its quotient by d in 64, exactly floored
			hi, lo := bits.Mul64(uint64(v.n), uint64(rateScale))
			q, _ := bits.Div64(hi, lo, uint64(v.d))
			return Rate{units: int64(q)}
		}
	}
	return Rate{}
}

// Decimal returns a decimal or amount value's number, a count's as a decimal, and zero otherwise.
func (v Value) Decimal() decimal.Decimal {
	switch v.kind {
	case DecimalValue, AmountValue:
		text := v.s
		if v.kind == AmountValue {
			_, text = v.amountParts()
		}
		if text != "" {
			c, ok := new(big.Int).SetString(text, 10)
			if !ok {
				return decimal.Decimal{}
			}
			return decimal.NewFromBigInt(c, int32(v.d))
		}
		return decimal.New(v.n, int32(v.d))
	case CountValue:
		return decimal.NewFromInt(v.n)
	}
	return decimal.Decimal{}
}

// Currency returns an amount value's currency, and "" otherwise.
func (v Value) Currency() string {
	if v.kind != AmountValue {
		return ""
	}
	c, _ := v.amountParts()
	return c
}

// Time returns an instant or day value's instant, in a fixed zone of the offset it was shown in.
func (v Value) Time() time.Time {
	if v.kind != InstantValue && v.kind != DayValue {
		return time.Time{}
	}
	nsec := v.nanos()
	off := (v.d - nsec) / 1e9
	t := time.Unix(v.n, nsec)
	if off == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(off)))
}

// Text returns a text value's text, and "" otherwise.
func (v Value) Text() string {
	if v.kind != TextValue {
		return ""
	}
	return v.s
}

// String renders v without words of any language: "3", "1% (4/400)", "0.7%", "2.4", "12.5 GBP",
// an RFC 3339 instant (to the nanosecond, its fraction of a second shown when it has one: a
// retry instant is exact), a "2006-01-02" day, "60" days, "L3", the text, or a duration as Go
// writes it ("12h0m1s").
func (v Value) String() string {
	switch v.kind {
	case CountValue, DaysValue:
		return strconv.FormatInt(v.n, 10)
	case RatioValue:
		return FormatRatio(v.n, v.d)
	case RateValue:
		return Rate{units: v.n}.String()
	case DecimalValue:
		return decimalText(v.Decimal())
	case AmountValue:
		return decimalText(v.Decimal()) + " " + v.Currency()
	case InstantValue:
		return exactTime(v.Time()).Format(time.RFC3339Nano) // an offset with seconds: in UTC
	case DayValue:
		return v.Time().Format(time.DateOnly)
	case LevelValue:
		return "L" + strconv.FormatInt(v.n, 10)
	case TextValue:
		return v.s
	case DurationValue:
		return time.Duration(v.n).String()
	}
	return ""
}

// valueJSON is a Value's JSON form: its kind and the fields of that kind.
type valueJSON struct {
	Kind     ValueKind    `json:"kind"`
	Count    *int64       `json:"count,omitempty"`
	Num      *int64       `json:"num,omitempty"`
	Den      *int64       `json:"den,omitempty"`
	Rate     *Rate        `json:"rate,omitempty"`
	Decimal  *jsonDecimal `json:"decimal,omitempty"`
	Currency string       `json:"currency,omitempty"`
	Time     *time.Time   `json:"time,omitempty"`
	Level    *int64       `json:"level,omitempty"`
	Text     *string      `json:"text,omitempty"`
	Nanos    *int64       `json:"nanoseconds,omitempty"`
}

// valueFields are the JSON fields of each kind of value besides "kind".
var valueFields = map[ValueKind][]string{
	CountValue: {"count"}, DaysValue: {"count"}, LevelValue: {"level"}, DurationValue: {"nanoseconds"},
	RatioValue: {"num", "den"}, RateValue: {"rate"}, DecimalValue: {"decimal"}, AmountValue: {"decimal", "currency"},
	InstantValue: {"time"}, DayValue: {"time"}, TextValue: {"text"},
}

// maxDecimalDigits is the most digits a decimal in a value's JSON may have, before its exponent.
const maxDecimalDigits = 1000

// decimalDigits returns the number of digits of the decimal b writes (a JSON string or number),
// before any exponent; a text far longer than any such decimal counts as all digits.
func decimalDigits(b []byte) int {
	if len(b) > maxDecimalDigits+64 { // a sign, a point, quotes and an exponent take fewer
		return len(b)
	}
	n := 0
	for _, c := range b {
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// jsonDecimal is a decimal in a value's JSON: a string as decimal.Decimal writes it (decimalText
// for an exponent beyond the bounds); it reads what decimal.Decimal reads.
type jsonDecimal struct{ decimal.Decimal }

// MarshalJSON writes the decimal as a JSON string.
func (d jsonDecimal) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, decimalText(d.Decimal)), nil
}

// UnmarshalJSON reads what MarshalJSON writes, and what decimal.Decimal reads: the
// coefficient-e-exponent form too, whatever the exponent (decimal.Decimal refuses one beyond
// 10,000).
func (d *jsonDecimal) UnmarshalJSON(b []byte) error {
	// Reading and comparing a number grows with the square of its digits: a megabyte of them
	// takes seconds. No value the library builds comes near (inputs have at most 38).
	if n := decimalDigits(b); n > maxDecimalDigits {
		return fieldErrorf("value.decimal", fmt.Sprintf("(a number of %d digits)", n), "has more than %d digits", maxDecimalDigits)
	}
	var text string
	if json.Unmarshal(b, &text) == nil {
		if c, e, ok := strings.Cut(text, "e"); ok {
			coef, okc := new(big.Int).SetString(c, 10)
			exp, err := strconv.ParseInt(e, 10, 32)
			if okc && err == nil {
				d.Decimal = decimal.NewFromBigInt(coef, int32(exp))
				return nil
			}
		}
	}
	if err := d.Decimal.UnmarshalJSON(b); err != nil {
		return fieldErrorf("value.decimal", string(b), "is not a decimal number such as \"2.4\" or \"1e-9\"")
	}
	return nil
}

// MarshalJSON encodes v as {"kind": …} with the fields of its kind: count; num and den; rate;
// decimal (and currency); time; level; text; nanoseconds.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.kind == InstantValue || v.kind == DayValue {
		if err := unwritable("value.time", v.Time()); err != nil {
			return nil, err
		}
	}
	j := valueJSON{Kind: v.kind}
	switch v.kind {
	case CountValue, DaysValue:
		n := v.n
		j.Count = &n
	case RatioValue:
		n, d := v.n, v.d
		j.Num, j.Den = &n, &d
	case RateValue:
		r := v.Rate()
		j.Rate = &r
	case DecimalValue, AmountValue:
		x := v.Decimal()
		j.Decimal, j.Currency = &jsonDecimal{x}, v.Currency()
	case InstantValue:
		t := exactTime(v.Time()) // the same instant back, whatever its zone's offset
		j.Time = &t
	case DayValue:
		t := v.Time() // a day's start as its zone writes it: the date is what a day means
		j.Time = &t
	case LevelValue:
		n := v.n
		j.Level = &n
	case TextValue:
		s := v.s
		j.Text = &s
	case DurationValue:
		n := v.n
		j.Nanos = &n
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what [Value.MarshalJSON] encodes (with a decimal of at most 1,000
// digits), strictly: a key that names no field is an error. null leaves v as it was.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil // encoding/json's rule: null leaves the value as it was
	}
	var j valueJSON
	if err := decodeStrict(b, &j, "value"); err != nil {
		return rebaseField(err, "rate", "value.rate") // ParseRate's error names the bare field
	}
	// A field of another kind (a "text" beside a count) would be silently dropped.
	for key := range strictjson.Members(b) {
		if key != "kind" && !slices.Contains(valueFields[j.Kind], key) {
			return fieldErrorf("value."+key, "(given)", "is not a field of a %s value", j.Kind)
		}
	}
	missing := func(field string) error {
		return fieldErrorf("value."+field, "(absent)", "is required for a %s value", j.Kind)
	}
	get := func(p *int64, field string) (int64, error) {
		if p == nil {
			return 0, missing(field)
		}
		return *p, nil
	}
	var err error
	var out Value
	switch j.Kind {
	case NoValue:
	case CountValue, DaysValue:
		out.n, err = get(j.Count, "count")
	case LevelValue:
		out.n, err = get(j.Level, "level")
	case DurationValue:
		out.n, err = get(j.Nanos, "nanoseconds")
	case RatioValue:
		if out.n, err = get(j.Num, "num"); err == nil {
			out.d, err = get(j.Den, "den")
		}
	case RateValue:
		if j.Rate == nil {
			return missing("rate")
		}
		out = RateOf(*j.Rate)
	case DecimalValue:
		if j.Decimal == nil {
			return missing("decimal")
		}
		out = Decimal(j.Decimal.Decimal)
	case AmountValue:
		if j.Decimal == nil {
			return missing("decimal")
		}
		if strings.ContainsRune(j.Currency, 0) { // Amount would drop it, reading another currency
			return fieldErrorf("value.currency", strconv.Quote(j.Currency), "must not hold NUL")
		}
		out = Amount(j.Decimal.Decimal, j.Currency)
	case InstantValue, DayValue:
		if j.Time == nil {
			return missing("time")
		}
		out = Instant(*j.Time)
	case TextValue:
		if j.Text == nil {
			return missing("text")
		}
		out = Text(*j.Text)
	}
	if err != nil {
		return err
	}
	out.kind = j.Kind
	*v = out
	return nil
}

// sameNumber reports whether a and b are numerically equal (2.40 and 2.4) without rescaling one
// to the other's exponent, which decimal.Decimal.Equal does and which takes minutes for exponents
// millions apart: a·10^ea = b·10^eb with ea ≤ eb holds exactly when a has eb−ea more digits than
// b and a = b·10^(eb−ea), so exponents further apart than the digits answer at once.
func sameNumber(a, b decimal.Decimal) bool {
	if a.Sign() != b.Sign() {
		return false
	}
	if a.Sign() == 0 {
		return true
	}
	ea, eb := int64(a.Exponent()), int64(b.Exponent())
	if ea > eb {
		a, b, ea, eb = b, a, eb, ea
	}
	k := eb - ea
	if int64(a.NumDigits())-int64(b.NumDigits()) != k {
		return false
	}
	scaled := new(big.Int).Mul(b.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil))
	return a.Coefficient().Cmp(scaled) == 0
}
