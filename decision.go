package affrules

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules/internal/cut"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/jsonkind"
	"github.com/affrules/affrules/internal/strictjson"
)

// RuleID names a rule of the catalog, e.g. "ELG-3".
type RuleID string

// ReasonKind says whether a rule failed or did not apply.
type ReasonKind uint8

const (
	// Failed marks a rule that was evaluated and not met. It is the zero value, so a Reason built
	// without a kind counts against the decision; so does any kind other than NotApplicable,
	// which also prints and marshals as "failed".
	Failed ReasonKind = iota
	// NotApplicable marks a rule that did not apply to the facts (for example ELG-3 below five
	// reviews). It is reported so that "not checked" is never mistaken for "passed".
	NotApplicable
)

var reasonKindNames = enum.Names[ReasonKind]{"failed", "not_applicable"}

// String returns "failed" or "not applicable".
func (k ReasonKind) String() string {
	if k == NotApplicable {
		return "not applicable"
	}
	return "failed"
}

// MarshalText returns "failed" or "not_applicable".
func (k ReasonKind) MarshalText() ([]byte, error) {
	if k != NotApplicable {
		k = Failed
	}
	b, _ := reasonKindNames.Text(k)
	return b, nil
}

// UnmarshalText parses "failed" or "not_applicable".
func (k *ReasonKind) UnmarshalText(b []byte) error {
	v, ok := reasonKindNames.Parse(b)
	if !ok {
		return fieldErrorf("reason.kind", strconv.Quote(string(b)), "must be one of %s", reasonKindNames.List())
	}
	*k = v
	return nil
}

// Reason explains one rule's outcome in a [Decision]: which rule, whether it failed or did not
// apply, a stable message key naming the outcome, the observed value and the limit it was held to
// as typed [Value] values, and the subject the limit was chosen for (a category, a market).
// Building a reason formats nothing: the English text ([Reason.Message], [Reason.String]) is
// produced from the key's [Message] only when asked for, and a host renders it in its own language
// with a [Catalog].
//
// A Reason is comparable with == (its values as [Value]'s == compares them; [Value.Equal]
// compares what they mean).
type Reason struct {
	Rule     RuleID
	Kind     ReasonKind
	Key      MessageKey
	Observed Value
	Limit    Value
	Subject  string
}

// Message returns the English message of the reason's key, or the key itself if no message is
// defined for it.
func (r Reason) Message() string {
	m, ok := lookupMessage(r.Key)
	if !ok {
		return string(r.Key)
	}
	return r.expand(m.Text, nil)
}

// ObservedText returns the observed value in English, as the key's message words it, or "" if
// the reason has none.
func (r Reason) ObservedText() string {
	m, _ := lookupMessage(r.Key)
	return r.part(m.Observed, "{observed}", r.Observed)
}

// LimitText returns the limit in English, as the key's message words it, or "" if the reason has
// none.
func (r Reason) LimitText() string {
	m, _ := lookupMessage(r.Key)
	return r.part(m.Limit, "{limit}", r.Limit)
}

func (r Reason) part(tmpl, fallback string, v Value) string {
	if tmpl == "" {
		if v.IsZero() {
			return ""
		}
		tmpl = fallback
	}
	return r.expand(tmpl, nil)
}

// expand replaces {observed}, {limit} and {subject} in tmpl, rendering values with format (nil:
// Value.String).
func (r Reason) expand(tmpl string, format func(Value) string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	if format == nil {
		format = Value.String
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		rest := tmpl[i:]
		switch {
		case strings.HasPrefix(rest, "{observed}"):
			b.WriteString(format(r.Observed))
			tmpl = rest[len("{observed}"):]
		case strings.HasPrefix(rest, "{limit}"):
			b.WriteString(format(r.Limit))
			tmpl = rest[len("{limit}"):]
		case strings.HasPrefix(rest, "{subject}"):
			b.WriteString(r.Subject)
			tmpl = rest[len("{subject}"):]
		default:
			b.WriteByte('{')
			tmpl = rest[1:]
		}
	}
}

// String formats the reason in English as "ELG-3 failed: message (observed 1.2% (6/500), limit
// below 1% for electronics)". The zero Reason, no reason at all (what an evaluator returns
// beside false when it has none to give), formats as "".
func (r Reason) String() string {
	if r == (Reason{}) {
		return ""
	}
	var b strings.Builder
	r.appendTo(&b)
	return b.String()
}

func (r Reason) appendTo(b *strings.Builder) {
	b.WriteString(string(r.Rule))
	b.WriteByte(' ')
	b.WriteString(r.Kind.String())
	b.WriteString(": ")
	b.WriteString(r.Message())
	observed, limit := r.ObservedText(), r.LimitText()
	if observed != "" || limit != "" {
		b.WriteString(" (")
		if observed != "" {
			b.WriteString("observed ")
			b.WriteString(observed)
		}
		if limit != "" {
			if observed != "" {
				b.WriteString(", ")
			}
			b.WriteString("limit ")
			b.WriteString(limit)
		}
		b.WriteByte(')')
	}
}

// reasonJSON is a Reason's JSON form: the typed fields and, for readers that only show text, the
// English message, observed value and limit.
type reasonJSON = reasonJSONOf[*Value]

// reasonJSONOf is a reason's JSON form with its typed values as V: *Value to write them, raw JSON
// to read them one by one, so that their errors name their place in the reason.
type reasonJSONOf[V any] struct {
	Rule          RuleID     `json:"rule"`
	Kind          ReasonKind `json:"kind" strict:"required"` // left out, it would read as failed
	Key           MessageKey `json:"key"`
	Message       string     `json:"message"`
	Observed      string     `json:"observed,omitempty"`
	Limit         string     `json:"limit,omitempty"`
	ObservedValue V          `json:"observed_value,omitempty"`
	LimitValue    V          `json:"limit_value,omitempty"`
	Subject       string     `json:"subject,omitempty"`
}

// MarshalJSON encodes the reason with its typed values and its English texts.
func (r Reason) MarshalJSON() ([]byte, error) {
	if err := r.unwritable(); err != nil {
		return nil, err
	}
	j := reasonJSON{Rule: r.Rule, Kind: r.Kind, Key: r.Key, Message: r.Message(), Observed: r.ObservedText(), Limit: r.LimitText(), Subject: r.Subject}
	if !r.Observed.IsZero() {
		j.ObservedValue = &r.Observed
	}
	if !r.Limit.IsZero() {
		j.LimitValue = &r.Limit
	}
	return json.Marshal(j)
}

// unwritable returns the error of writing an instant of the reason's values that RFC 3339 cannot
// write (a year outside 0 to 9999), or nil.
func (r *Reason) unwritable() error {
	for _, v := range [...]struct {
		field string
		v     *Value
	}{{"reason.observed_value.time", &r.Observed}, {"reason.limit_value.time", &r.Limit}} {
		if k := v.v.kind; k == InstantValue || k == DayValue {
			if err := unwritable(v.field, v.v.Time()); err != nil {
				return err
			}
		}
	}
	return nil
}

// UnmarshalJSON decodes the typed fields of what [Reason.MarshalJSON] encodes, strictly (a key
// that names no field, such as a misspelt "kind", is an error, and so is "kind" left out, which
// would read as failed); the English texts are derived from them and not read: they are the
// messages defined by the packages a program imports (a program that imports none of the rule's
// package prints the key instead). null leaves r as it was.
func (r *Reason) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil // encoding/json's rule: null leaves the value as it was
	}
	// The typed values are decoded here, so that their errors name their place in the reason.
	var j reasonJSONOf[json.RawMessage]
	if err := decodeStrict(b, &j, "reason"); err != nil { // a misspelt "kind" would read as failed
		return err
	}
	out := Reason{Rule: j.Rule, Kind: j.Kind, Key: j.Key, Subject: j.Subject}
	for _, v := range []struct {
		raw   json.RawMessage
		into  *Value
		field string
	}{{j.ObservedValue, &out.Observed, "reason.observed_value"}, {j.LimitValue, &out.Limit, "reason.limit_value"}} {
		if v.raw != nil {
			if err := v.into.UnmarshalJSON(v.raw); err != nil {
				return rebaseField(err, "value", v.field)
			}
		}
	}
	*r = out
	return nil
}

// decodeStrict decodes the JSON value b into v, refusing a key that names no field, a key given
// twice (encoding/json would keep the last silently) and data after the value, with the errors
// of [decodingError] for root.
func decodeStrict(b []byte, v any, root string) error {
	if err := strictjson.Decode(b, v); errors.Is(err, strictjson.ErrTrailing) {
		return fieldErrorf(root, "(JSON)", "has data after the value")
	} else if err != nil {
		return decodingError(root, err)
	}
	// A key given twice, or one that names a field only when case is ignored (encoding/json
	// would take it, and keep the last of two), at any depth of v's own fields.
	if problems := strictjson.Check(b, v); len(problems) > 0 {
		p := problems[0]
		return &FieldError{Pkg: "affrules", Field: cut.Field(root + strings.TrimPrefix(p.Path, "policy")), Value: cut.Value(p.Value), Problem: cut.Problem(p.Problem), Err: p.Err}
	}
	return nil
}

// rebaseField returns err with the field of its FieldError moved from the root from to the path
// to ("value.count" to "reason.limit_value.count"); any other error as it is.
func rebaseField(err error, from, to string) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if rest, ok := strings.CutPrefix(fe.Field, from); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
		c := *fe
		c.Field = to + rest
		return &c
	}
	return err
}

// firstInstant and endInstant bound the instants every evaluator takes and names:
// [firstInstant, endInstant), the years 1900 to 2199 in UTC.
var firstInstant, endInstant = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)

// Decision is an evaluator's answer (MKT-5): whether the action is allowed, one [Reason] per rule
// that failed and per rule that did not apply, and, where time is the obstacle, the instant from
// which it will next be allowed. Every evaluator takes instants before 2200-01-01T00:00:00Z only,
// so a decision never names a NextAllowed from that instant on: where time would lift the
// obstacle only then, it names none.
//
// The zero Decision denies: Allowed is false. Build decisions with [Decide] so that Allowed always
// agrees with the reasons.
type Decision struct {
	Allowed     bool      `json:"allowed"`
	Reasons     []Reason  `json:"reasons,omitempty"`
	NextAllowed time.Time `json:"next_allowed,omitzero"` // zero when time alone will not help
}

// MarshalJSON encodes the decision: allowed, its reasons, and its NextAllowed when there is one
// (in UTC when its zone's offset has seconds, which RFC 3339 cannot write).
func (d Decision) MarshalJSON() ([]byte, error) {
	if err := unwritable("decision.next_allowed", d.NextAllowed); err != nil {
		return nil, err
	}
	for i := range d.Reasons {
		if err := d.Reasons[i].unwritable(); err != nil { // named by its place, not by encoding/json
			return nil, rebaseField(err, "reason", "decision.reasons["+strconv.Itoa(i)+"]")
		}
	}
	type plain Decision
	d.NextAllowed = exactTime(d.NextAllowed)
	return json.Marshal(plain(d))
}

// UnmarshalJSON decodes a decision's JSON strictly (a key that names no field is an error) and
// refuses a decision [Decide] never builds, whose Allowed disagrees with its reasons: allowed
// beside a failed reason, allowed with a NextAllowed, denied by reasons none of which failed, or
// denied without reasons but with a NextAllowed (the zero Decision, denied with neither, reads
// back);
// a reason that names no rule (null, {}, "rule": ""); and a NextAllowed no evaluator names,
// outside the years 1900 to 2199 (UTC).
// null leaves the decision as it was, as encoding/json does for a value.
func (d *Decision) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	// The reasons are decoded here, so that their errors name their place in the decision.
	var j struct {
		Allowed     bool              `json:"allowed"`
		Reasons     []json.RawMessage `json:"reasons,omitempty"`
		NextAllowed time.Time         `json:"next_allowed,omitzero"`
	}
	if err := decodeStrict(b, &j, "decision"); err != nil {
		return err
	}
	p := Decision{Allowed: j.Allowed, NextAllowed: j.NextAllowed}
	if j.Reasons != nil {
		p.Reasons = make([]Reason, len(j.Reasons))
	}
	for i, raw := range j.Reasons {
		if string(bytes.TrimSpace(raw)) == "null" { // would be a zero reason, of no rule
			return fieldErrorf("decision.reasons["+strconv.Itoa(i)+"]", "null", "must be a reason")
		}
		if err := p.Reasons[i].UnmarshalJSON(raw); err != nil {
			return rebaseField(err, "reason", "decision.reasons["+strconv.Itoa(i)+"]")
		}
		if p.Reasons[i].Rule == "" { // {} or "rule": "", as null: a reason of no rule
			return fieldErrorf("decision.reasons["+strconv.Itoa(i)+"].rule", `""`, "must name the rule the reason is about (MKT-5)")
		}
	}
	failed := -1
	for i, r := range p.Reasons {
		if r.Kind != NotApplicable {
			failed = i
			break
		}
	}
	switch {
	case p.Allowed && failed >= 0:
		r := p.Reasons[failed]
		return fieldErrorf("decision.allowed", "true", "disagrees with reasons[%d], %s %s: an allowed decision has no failed reason", failed, r.Rule, r.Kind)
	case p.Allowed && !p.NextAllowed.IsZero():
		return fieldErrorf("decision.next_allowed", p.NextAllowed.Format(time.RFC3339Nano), "is set on an allowed decision: it says when a denied one will next be allowed")
	case !p.NextAllowed.IsZero() && (p.NextAllowed.Before(firstInstant) || !p.NextAllowed.Before(endInstant)):
		return fieldErrorf("decision.next_allowed", p.NextAllowed.Format(time.RFC3339Nano), "is outside the years 1900 to 2199, the instants every evaluator takes and names")
	case !p.Allowed && len(p.Reasons) > 0 && failed < 0:
		return fieldErrorf("decision.allowed", "false", "disagrees with its reasons, none of which failed")
	case !p.Allowed && len(p.Reasons) == 0 && !p.NextAllowed.IsZero():
		// The zero Decision, denied without a reason, reads back; one that says when it lifts
		// names what: a denial lists its failing rules (MKT-5).
		return fieldErrorf("decision.next_allowed", p.NextAllowed.Format(time.RFC3339Nano), "is set on a denial without reasons: a denial names the rules that failed (MKT-5)")
	}
	*d = p
	return nil
}

// decodingError returns the error of decoding a root's JSON ("decision", "reason", "value"): a
// FieldError from a part's own decoding as it is, a value of the wrong JSON kind as a FieldError
// naming the field and the kind expected, anything else (an instant that does not parse, data
// after the value) as a FieldError of the root.
func decodingError(root string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := root
		if te.Field != "" {
			field += "." + te.Field
		}
		return fieldErrorf(field, te.Value, "%s", jsonkind.Problem(te.Value, te.Type))
	}
	return fieldErrorf(root, "(JSON)", "%v", err)
}

// Decide returns the decision the reasons add up to: allowed exactly when none of them failed.
func Decide(reasons ...Reason) Decision {
	d := Decision{Allowed: true, Reasons: reasons}
	for i := range reasons { // by index: a Reason is too large to copy for its kind
		if reasons[i].Kind != NotApplicable {
			d.Allowed = false
			break
		}
	}
	return d
}

// Failures returns the reasons whose rules failed, in order.
func (d Decision) Failures() []Reason {
	var out []Reason
	for _, r := range d.Reasons {
		if r.Kind != NotApplicable {
			out = append(out, r)
		}
	}
	return out
}

// Failed reports whether rule id is among the failed reasons.
func (d Decision) Failed(id RuleID) bool {
	for _, r := range d.Reasons {
		if r.Rule == id && r.Kind != NotApplicable {
			return true
		}
	}
	return false
}

// String formats the decision on one line: "allowed" or "denied", then each reason, then the next
// allowed instant if any, e.g., for a reason whose message is "daily invitation limit reached"
// and whose observed and limit values are counts (each package's messages word their values
// more fully),
// "denied: INV-2 failed: daily invitation limit reached (observed 100, limit 100); next allowed 2026-11-22T00:00:00+07:00".
func (d Decision) String() string {
	var b strings.Builder
	if d.Allowed {
		b.WriteString("allowed")
	} else {
		b.WriteString("denied")
	}
	for i, r := range d.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		r.appendTo(&b)
	}
	if !d.NextAllowed.IsZero() {
		b.WriteString("; next allowed ")
		b.WriteString(exactTime(d.NextAllowed).Format(time.RFC3339Nano))
	}
	return b.String()
}
