package level

import (
	"fmt"
	"strconv"

	"github.com/affrules/affrules"
)

// Drop classifies a month-over-month level decrease (LVL-6).
type Drop uint8

// Drop classes.
const (
	NoDrop          Drop = iota // the level rose or stayed the same
	SlightDrop                  // down by fewer levels than the policy's significant drop
	SignificantDrop             // down by at least the policy's significant drop
)

// String returns "none", "slight" or "significant".
func (d Drop) String() string {
	switch d {
	case SlightDrop:
		return "slight"
	case SignificantDrop:
		return "significant"
	}
	return "none"
}

// MarshalText returns "none", "slight" or "significant".
func (d Drop) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "none", "slight" or "significant", so that a [Trend] read back from JSON
// equals the one written.
func (d *Drop) UnmarshalText(b []byte) error {
	for _, v := range []Drop{NoDrop, SlightDrop, SignificantDrop} {
		if v.String() == string(b) {
			*d = v
			return nil
		}
	}
	return affrules.Errorf("level", "drop", strconv.Quote(string(b)), "must be none, slight or significant (LVL-6)")
}

// Trend summarises consecutive monthly levels (LVL-6): the latest month-over-month change, how
// many months in a row the level has fallen, and whether sellers should be warned.
type Trend struct {
	// Months is the number of consecutive months of levels the trend was computed from; below 2
	// there is no change to report.
	Months int   `json:"months"`
	From   Level `json:"from"`  // level of the month before the latest
	To     Level `json:"to"`    // level of the latest month
	Delta  int   `json:"delta"` // To - From: up by Delta if positive, down by -Delta if negative
	Drop   Drop  `json:"drop"`
	// DropStreak is the number of consecutive month-over-month decreases ending with the latest
	// month.
	DropStreak int `json:"drop_streak"`
	// Reliability is the seller warning: denied when the latest drop is significant or the drop
	// is consistent (DropStreak at least the policy's consistent months), with one LVL-6 reason
	// for each; with fewer than two months it is allowed with a not-applicable reason.
	Reliability affrules.Decision `json:"reliability"`
}

// String describes the change, e.g. "up by 1", "same" or "down by 2 (significant drop)", or
// "no previous month" when there is no change to report.
func (t Trend) String() string {
	switch {
	case t.Months < 2:
		return "no previous month"
	case t.Delta > 0:
		return "up by " + strconv.Itoa(t.Delta)
	case t.Delta == 0:
		return "same"
	}
	return fmt.Sprintf("down by %d (%s drop)", -t.Delta, t.Drop)
}

// Trend returns the trend of levels, the levels of consecutive months, oldest first (LVL-6). A
// level out of range is an error.
func (e *Evaluator) Trend(levels ...Level) (Trend, error) {
	for i, l := range levels {
		if !l.Valid() {
			return Trend{}, affrules.Errorf("level", fmt.Sprintf("levels[%d]", i), int(l), "must be between L0 and L8 (LVL-1): %w", affrules.ErrOutOfRange)
		}
	}
	if len(levels) < 2 {
		t := Trend{Months: len(levels), Reliability: affrules.Decide(affrules.Reason{Rule: RuleTrend, Kind: affrules.NotApplicable,
			Observed: strconv.Itoa(len(levels)) + " month(s)", Limit: "2 consecutive months", Message: "too little level history to judge a trend"})}
		if len(levels) == 1 {
			t.From, t.To = levels[0], levels[0]
		}
		return t, nil
	}
	n := len(levels)
	t := Trend{Months: n, From: levels[n-2], To: levels[n-1]}
	t.Delta = int(t.To) - int(t.From)
	switch {
	case t.Delta < 0 && -t.Delta >= e.trend.SignificantDrop:
		t.Drop = SignificantDrop
	case t.Delta < 0:
		t.Drop = SlightDrop
	}
	for i := n - 1; i > 0 && levels[i] < levels[i-1]; i-- {
		t.DropStreak++
	}
	var reasons []affrules.Reason
	if t.Drop == SignificantDrop {
		reasons = append(reasons, affrules.Reason{Rule: RuleTrend,
			Observed: fmt.Sprintf("down by %d (%s → %s)", -t.Delta, t.From, t.To),
			Limit:    fmt.Sprintf("a drop of fewer than %d levels", e.trend.SignificantDrop),
			Message:  "significant level drop: the creator may be unreliable"})
	}
	if t.DropStreak > 0 && t.DropStreak >= e.trend.ConsistentMonths {
		reasons = append(reasons, affrules.Reason{Rule: RuleTrend,
			Observed: fmt.Sprintf("down %d months running", t.DropStreak),
			Limit:    fmt.Sprintf("fewer than %d consecutive monthly drops", e.trend.ConsistentMonths),
			Message:  "consistent level drop: the creator may be unreliable"})
	}
	t.Reliability = affrules.Decide(reasons...)
	return t, nil
}
