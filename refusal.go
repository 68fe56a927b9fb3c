package affrules

import (
	"errors"
	"strconv"
	"strings"
)

// ErrRefused is wrapped by every [Refusal]: an action the rules refuse.
var ErrRefused = errors.New("refused by the rules")

// Refusal is the error of an action on recorded state that the rules refuse, such as a campaign
// registration outside its period or a collaboration paid after its deadline: the action is not
// applied and nothing is recorded. Its decision gives every failing rule with its observed
// value and limit (MKT-5) and, where time alone is the obstacle, when the action will be
// allowed (Decision.NextAllowed). It wraps [ErrRefused]; use errors.As to read the decision.
type Refusal struct {
	// Pkg is the package that refused, such as "campaign".
	Pkg string
	// Action names the action refused, such as "register" or "pay".
	Action string
	// Subject is what the action is about, such as a product or a collaboration ID.
	Subject  string
	Decision Decision
}

// Error returns `<pkg>: <action> "<subject>" refused: ` (the subject quoted) and the decision's
// reasons, as in `campaign: register "p1" refused: CMP-4 failed: …`.
func (r *Refusal) Error() string {
	s := strings.TrimPrefix(r.Decision.String(), "denied: ")
	return r.Pkg + ": " + r.Action + " " + strconv.Quote(r.Subject) + " refused: " + s
}

// Unwrap returns [ErrRefused].
func (r *Refusal) Unwrap() error { return ErrRefused }
