package affrules

import (
	"strings"
	"time"
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

// String returns "failed" or "not applicable".
func (k ReasonKind) String() string {
	if k == NotApplicable {
		return "not applicable"
	}
	return "failed"
}

// MarshalText returns "failed" or "not_applicable".
func (k ReasonKind) MarshalText() ([]byte, error) {
	if k == NotApplicable {
		return []byte("not_applicable"), nil
	}
	return []byte("failed"), nil
}

// UnmarshalText parses "failed" or "not_applicable".
func (k *ReasonKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "failed":
		*k = Failed
	case "not_applicable":
		*k = NotApplicable
	default:
		return Errorf("affrules", "reason.kind", string(b), "must be failed or not_applicable")
	}
	return nil
}

// Reason explains one rule's outcome in a [Decision]: which rule, whether it failed or did not
// apply, the observed value, the limit it was held to, and a plain-English message.
type Reason struct {
	Rule     RuleID     `json:"rule"`
	Kind     ReasonKind `json:"kind"`
	Observed string     `json:"observed,omitempty"`
	Limit    string     `json:"limit,omitempty"`
	Message  string     `json:"message"`
}

// String formats the reason as "ELG-3 failed: message (observed 1.2% (6/500), limit below 1%)".
func (r Reason) String() string {
	var b strings.Builder
	r.appendTo(&b)
	return b.String()
}

func (r Reason) appendTo(b *strings.Builder) {
	b.WriteString(string(r.Rule))
	b.WriteByte(' ')
	b.WriteString(r.Kind.String())
	b.WriteString(": ")
	b.WriteString(r.Message)
	if r.Observed != "" || r.Limit != "" {
		b.WriteString(" (")
		if r.Observed != "" {
			b.WriteString("observed ")
			b.WriteString(r.Observed)
		}
		if r.Limit != "" {
			if r.Observed != "" {
				b.WriteString(", ")
			}
			b.WriteString("limit ")
			b.WriteString(r.Limit)
		}
		b.WriteByte(')')
	}
}

// Decision is an evaluator's answer (MKT-5): whether the action is allowed, one [Reason] per rule
// that failed and per rule that did not apply, and, where time is the obstacle, the instant from
// which it will next be allowed.
//
// The zero Decision denies: Allowed is false. Build decisions with [Decide] so that Allowed always
// agrees with the reasons.
type Decision struct {
	Allowed     bool      `json:"allowed"`
	Reasons     []Reason  `json:"reasons,omitempty"`
	NextAllowed time.Time `json:"next_allowed,omitzero"` // zero when time alone will not help
}

// Decide returns the decision the reasons add up to: allowed exactly when none of them failed.
func Decide(reasons ...Reason) Decision {
	d := Decision{Allowed: true, Reasons: reasons}
	for _, r := range reasons {
		if r.Kind != NotApplicable {
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
// allowed instant if any, e.g.
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
		b.WriteString(d.NextAllowed.Format(time.RFC3339))
	}
	return b.String()
}
