package level

import (
	"context"
	"fmt"
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// Drop classifies a month-over-month level decrease (LVL-6).
type Drop uint8

// Drop classes.
const (
	NoDrop          Drop = iota // the level rose or stayed the same
	SlightDrop                  // down by fewer levels than the policy's significant drop
	SignificantDrop             // down by at least the policy's significant drop
)

var dropNames = enum.Names[Drop]{NoDrop: "none", SlightDrop: "slight", SignificantDrop: "significant"}

// String returns "none", "slight" or "significant".
func (d Drop) String() string { return dropNames.String("Drop", d) }

// MarshalText returns "none", "slight" or "significant", or an error for an unknown class.
func (d Drop) MarshalText() ([]byte, error) {
	if b, ok := dropNames.Text(d); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "drop", int(d), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses "none", "slight" or "significant", so that a [Trend] read back from JSON
// equals the one written.
func (d *Drop) UnmarshalText(b []byte) error {
	v, ok := dropNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "drop", strconv.Quote(string(b)), "must be one of %s (LVL-6)", dropNames.List())
	}
	*d = v
	return nil
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
	// Consistent reports a consistent drop: DropStreak at least the policy's consistent months.
	Consistent bool `json:"consistent"`
	// Reliability is the seller warning. By default it is denied when the latest drop is both
	// significant and consistent, with one LVL-6 reason for each; under
	// [TrendPolicy].WarnOnEither, when either holds, with a reason for each that does. Otherwise
	// it is allowed (Drop and Consistent still say what happened); with fewer than two months it
	// is allowed with a not-applicable reason.
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

// transitions holds "L6 → L3" for every pair of levels: the Subject of a significant-drop reason,
// built once.
var transitions = func() (t [numLevels + 1][numLevels + 1]string) {
	for from := range t {
		for to := range t[from] {
			t[from][to] = Level(from).String() + " → " + Level(to).String()
		}
	}
	return t
}()

// trendNotApplicable is the LVL-6 decision for months < 2 months of levels: allowed, with a
// not-applicable reason.
func trendNotApplicable(months int) affrules.Decision {
	return affrules.Decide(affrules.Reason{Rule: RuleTrend, Kind: affrules.NotApplicable, Key: keyTooLittleHistory,
		Observed: affrules.Count(int64(months)), Limit: affrules.Count(2)})
}

// Trend returns the trend of levels, the levels of consecutive months, oldest first (LVL-6):
// sellers are warned of a drop both significant and consistent, or, under
// [TrendPolicy].WarnOnEither, of either. A level out of range is an error. Its reliability decision's reasons may be shared with other
// calls: do not modify them in place.
func (e *Evaluator) Trend(levels ...Level) (Trend, error) {
	if err := e.ready("Trend"); err != nil {
		return Trend{}, err
	}
	for i, l := range levels {
		if !l.Valid() {
			return Trend{}, errLevelRange(fmt.Sprintf("levels[%d]", i), l)
		}
	}
	if len(levels) < 2 {
		t := Trend{Months: len(levels), Reliability: e.trendNA[len(levels)]}
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
	significant := t.Drop == SignificantDrop
	consistent := t.DropStreak >= e.trend.ConsistentMonths // at least 1, so a streak of none never is
	t.Consistent = consistent
	warn := significant && consistent
	if e.trend.WarnOnEither {
		warn = significant || consistent
	}
	if !warn {
		t.Reliability = affrules.Decide()
		return t, nil
	}
	reasons := make([]affrules.Reason, 0, 2)
	if significant {
		reasons = append(reasons, affrules.Reason{Rule: RuleTrend, Key: keySignificantDrop,
			Observed: affrules.Count(int64(-t.Delta)), Limit: affrules.Count(int64(e.trend.SignificantDrop)),
			Subject: transitions[t.From][t.To]})
	}
	if consistent {
		reasons = append(reasons, affrules.Reason{Rule: RuleTrend, Key: keyConsistentDrop,
			Observed: affrules.Count(int64(t.DropStreak)), Limit: affrules.Count(int64(e.trend.ConsistentMonths))})
	}
	t.Reliability = affrules.Decide(reasons...)
	return t, nil
}

// TrendAt returns creator's level trend in market up to month m (LVL-6), reading from h the levels
// of m and of as many months before it as the policy's consistent-drop rule needs, so the
// trend's DropStreak counts back no further than [TrendPolicy].ConsistentMonths. A month with
// no stored level ends the run: an unknown month is not a drop, nor is one before 1900, which it
// does not read. It returns false if no level is stored for m itself. An unknown market, a
// creator [Record.Validate] refuses, a month outside the years 1900 to 2199, a failing store (its
// error named as [LevelAt] names it) and a stored level that is not L0 to L8 are errors, each
// with false. As for [Evaluator.Trend], the reliability decision's reasons may be shared with
// other calls: do not modify them in place.
func (e *Evaluator) TrendAt(ctx context.Context, h History, market affrules.MarketCode, creator string, m affrules.Month) (Trend, bool, error) {
	if err := e.ready("TrendAt"); err != nil {
		return Trend{}, false, err
	}
	if h == nil {
		return Trend{}, false, nilHistory()
	}
	if err := e.knownMarket(market); err != nil {
		return Trend{}, false, err
	}
	if !bounds.IDOK(creator) {
		return Trend{}, false, bounds.ID(pkg, "creator", creator)
	}
	if err := checkMonth("month", m); err != nil {
		return Trend{}, false, err
	}
	const maxMonths = maxConsistentMonths + 1
	var buf [maxMonths]Level
	n := max(e.trend.ConsistentMonths, 1) + 1
	levels := buf[maxMonths-n:]
	i := n
	for ; i > 0 && m.Add(i-n) >= minMonth; i-- {
		l, ok, err := h.Get(ctx, market, creator, m.Add(i-n))
		if err != nil {
			return Trend{}, false, ctxerr.Store(pkg, "history", err)
		}
		if !ok {
			break
		}
		if l > L8 {
			return Trend{}, false, storedLevel(l)
		}
		levels[i-1] = l
	}
	if i == n {
		return Trend{}, false, nil
	}
	tr, err := e.Trend(levels[i:]...)
	if err != nil {
		return Trend{}, false, err
	}
	return tr, true, nil
}

// storedLevel is the error for a level a [History] returned that is not L0 to L8 (LVL-1).
func storedLevel(l Level) error {
	return fielderr.New(pkg, "history level", int(l), "is not a level L0 to L8 (LVL-1): the store returned it")
}
