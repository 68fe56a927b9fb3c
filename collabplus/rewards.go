package collabplus

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/level"
)

// Message keys of the reward reasons, with their English wording. The subject of a CP-5 reason
// is the task, as "tasks[0]".
var (
	// CP-18, LVL-11: a link-share-only member does not complete a task of content only a content
	// creator makes; observed the member's kind, limit the task's content type.
	keyTaskKind = affrules.DefineMessage("collabplus.cp18.link_share_only", affrules.Message{
		Text: "{subject} is {limit} content, which a link-share-only creator does not make: no task reward", Observed: "creator {observed}", Limit: "{limit} task",
	})
	// CP-5: the task has no completion at all; observed the number of completions counted
	// (zero), limit the period's end instant.
	keyTaskNotCompleted = affrules.DefineMessage("collabplus.cp5.not_completed", affrules.Message{
		Text: "{subject} not completed: no task reward", Observed: "{observed} completions", Limit: "by {limit}",
	})
	// CP-5: the task was completed only at or after the period's end; observed the first such
	// completion, limit the end instant.
	keyTaskLate = affrules.DefineMessage("collabplus.cp5.completed_late", affrules.Message{
		Text: "{subject} completed after the period: no task reward", Observed: "completed {observed}", Limit: "period ended {limit}",
	})
	// CP-5, ELG-11: the task was completed only after every product of the collaboration had
	// left it (disqualified, ELG-11), before the period's end; observed the first such
	// completion, limit the instant the last product left.
	keyTaskAfterProducts = affrules.DefineMessage("collabplus.elg11.completed_after_products", affrules.Message{
		Text: "{subject} completed after every product left the collaboration: no task reward", Observed: "completed {observed}", Limit: "last product left {limit}",
	})
	// CP-5: the task was completed only before the creator's join (or the period's start);
	// observed the last such completion, limit the instant completions count from.
	keyTaskBeforeJoin = affrules.DefineMessage("collabplus.cp5.completed_before_join", affrules.Message{
		Text: "{subject} completed before the creator joined: no task reward", Observed: "completed {observed}", Limit: "counted from {limit}",
	})
)

// Completion is one completion of one task by a creator (CP-5, CP-18): Task is the index of the
// task in [Terms].Tasks, At when the creator completed it. A host decides from the creator's
// content and attributed orders (COM-13) when a task's target was reached, counting a product
// only until it left the collaboration ([Collaboration].Ended, ELG-11).
type Completion struct {
	Task int       `json:"task"`
	At   time.Time `json:"at"`
}

// Reward is a reward a creator earns from a collaboration (CP-5, CP-6), paid by the platform:
// the amount, in the market's currency, when it is due, the creator's rank in a challenge (0
// for a task reward), and the reason code it was cancelled for ([Evaluator.CancelReward]), ""
// while it stands. A cancelled reward keeps its amount, which the platform does not pay.
type Reward struct {
	Creator   string          `json:"creator"`
	Amount    decimal.Decimal `json:"amount"`
	Due       time.Time       `json:"due"`
	Rank      int             `json:"rank,omitempty"`
	Cancelled string          `json:"cancelled,omitempty"`
}

// TaskReward decides member creator's reward in task collaboration c (CP-5) from the tasks'
// completions done, given in any order. A completion counts only inside [the creator's join,
// the period's end), and before every product of c has left it (ELG-11, [Collaboration].Ended:
// nothing is left to count then, CP-18): Interpretation: if a join is recorded before the period's
// start, completions count from the start (CP-7: members join from the start instant). Every task
// needs a counted completion; the reward is then [Terms].Reward, due at the last of the tasks'
// first counted completions (the platform pays during the collaboration, as the last task
// completes), or at the period's end under [Policy].TaskRewardAtEnd. Partial completion earns
// nothing: the decision is denied with one reason per task not completed in time, with its
// observed instant or count and the limit it missed, and the Reward is the zero Reward. A member
// who joined as a link-share-only creator does not complete a task of
// [Policy].ContentCreatorTasks, whatever completions are reported (LVL-11, CP-18): its reason names
// the task's content type.
//
// The outcome depends only on c and done: completions still to come, before the end, are the
// host's to add. Bad input is a [*affrules.FieldError]: a collaboration that is not a task
// collaboration, whose market Collaboration Plus does not run in, whose period is not valid,
// with no tasks or a reward that is negative or finer than the minor unit; a creator who is
// not a member; a completion of a task that does not exist or at an instant out of bounds.
//
// The member is found by a scan of c.Members, so one call costs in proportion to the members,
// and rewarding each member of a very large collaboration in turn is quadratic in them.
func (e *Evaluator) TaskReward(c Collaboration, creator string, done []Completion) (Reward, affrules.Decision, error) {
	if err := e.ready(); err != nil {
		return Reward{}, affrules.Decision{}, err
	}
	mk, t, err := e.rewardTerms(c, Task)
	if err != nil {
		return Reward{}, affrules.Decision{}, err
	}
	l := fielderr.For(pkg)
	if len(t.Tasks) == 0 {
		l.Add("terms.tasks", "[]", "must list at least one task (CP-18)")
	}
	if _, err := amountUnits("terms.reward", t.Reward, mk.MinorUnit); err != nil {
		l.Append(err)
	}
	m := slices.IndexFunc(c.Members, func(m Member) bool { return m.Creator == creator })
	if m < 0 {
		l.Add("creator", strconv.Quote(creator), "is not a member of collaboration %q (CP-5)", c.ID)
	} else {
		field := "collaboration.members[" + strconv.Itoa(m) + "]"
		l.Append(bounds.Instant(pkg, field+".joined", c.Members[m].Joined))
		if _, err := c.Members[m].Kind.MarshalText(); err != nil {
			l.Add(field+".kind", int(c.Members[m].Kind), "must be unknown, link_share_only or affiliate_creator (LVL-11): %w", affrules.ErrOutOfRange)
		}
	}
	for i, d := range done { // fields named only on error
		if d.Task < 0 || d.Task >= len(t.Tasks) {
			l.Add("done["+strconv.Itoa(i)+"].task", d.Task, "must be the index of one of the %d tasks (CP-18): %w", len(t.Tasks), affrules.ErrOutOfRange)
		}
		if !bounds.InRange(d.At) {
			l.Append(bounds.Instant(pkg, "done["+strconv.Itoa(i)+"].at", d.At))
		}
	}
	if err := l.Err(); err != nil {
		return Reward{}, affrules.Decision{}, err
	}

	from, end := c.Members[m].Joined, t.Period.End
	if from.Before(t.Period.Start) {
		from = t.Period.Start
	}
	// ELG-11, CP-18: once every product has left the collaboration, nothing is left whose
	// content or orders a task counts.
	gone, allGone := allEnded(&c, end)
	allGone = allGone && gone.Before(end)
	// Per task: its first counted completion, its first completion at or after the end, its
	// first after every product left, its last completion before the window.
	first := make([]time.Time, len(t.Tasks))
	late := make([]time.Time, len(t.Tasks))
	afterProducts := make([]time.Time, len(t.Tasks))
	early := make([]time.Time, len(t.Tasks))
	// LVL-11, CP-18: a link-share-only member completes no task of content only a content
	// creator makes; its reported completions do not count.
	cannot := make([]bool, len(t.Tasks))
	if c.Members[m].Kind == level.LinkShareOnly {
		for i, k := range t.Tasks {
			cannot[i] = slices.ContainsFunc(e.policy.ContentCreatorTasks, func(s string) bool { return fold(s) == fold(k.ContentType) })
		}
	}
	for _, d := range done {
		i := d.Task
		switch {
		case cannot[i]:
		case d.At.Before(from):
			if early[i].IsZero() || d.At.After(early[i]) {
				early[i] = d.At
			}
		case !d.At.Before(end):
			if late[i].IsZero() || d.At.Before(late[i]) {
				late[i] = d.At
			}
		case allGone && !d.At.Before(gone):
			if afterProducts[i].IsZero() || d.At.Before(afterProducts[i]) {
				afterProducts[i] = d.At
			}
		default:
			if first[i].IsZero() || d.At.Before(first[i]) {
				first[i] = d.At
			}
		}
	}
	loc := mk.Location()
	var reasons []affrules.Reason
	var due time.Time
	for i, f := range first {
		subject := "tasks[" + strconv.Itoa(i) + "]"
		switch {
		case cannot[i]:
			reasons = append(reasons, affrules.Reason{Rule: RuleTasks, Key: keyTaskKind,
				Observed: affrules.Text(level.LinkShareOnly.String()), Limit: affrules.Text(t.Tasks[i].ContentType), Subject: subject})
		case !f.IsZero():
			if f.After(due) {
				due = f
			}
		case !afterProducts[i].IsZero():
			reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyTaskAfterProducts,
				Observed: affrules.Instant(afterProducts[i].In(loc)), Limit: affrules.Instant(gone.In(loc)), Subject: subject})
		case !late[i].IsZero():
			reasons = append(reasons, affrules.Reason{Rule: RuleTaskRewards, Key: keyTaskLate,
				Observed: affrules.Instant(late[i].In(loc)), Limit: affrules.Instant(end.In(loc)), Subject: subject})
		case !early[i].IsZero():
			reasons = append(reasons, affrules.Reason{Rule: RuleTaskRewards, Key: keyTaskBeforeJoin,
				Observed: affrules.Instant(early[i].In(loc)), Limit: affrules.Instant(from.In(loc)), Subject: subject})
		default:
			reasons = append(reasons, affrules.Reason{Rule: RuleTaskRewards, Key: keyTaskNotCompleted,
				Observed: affrules.Count(0), Limit: affrules.Instant(end.In(loc)), Subject: subject})
		}
	}
	if len(reasons) > 0 {
		return Reward{}, affrules.Decide(reasons...), nil
	}
	if e.policy.TaskRewardAtEnd { // CP-5 read as paid after the end, as CP-6's rewards are
		due = end
	}
	return Reward{Creator: creator, Amount: t.Reward, Due: due}, affrules.Decide(), nil
}

// rewardTerms checks what every reward rule needs of c: a market where Collaboration Plus
// runs, terms of type typ, a valid period.
func (e *Evaluator) rewardTerms(c Collaboration, typ Type) (affrules.Market, Terms, error) {
	mk, ok := e.market(c.Market)
	if !ok {
		return mk, Terms{}, fielderr.New(pkg, "collaboration.market", strconv.Quote(string(c.Market)), "Collaboration Plus does not run there (policy markets %v): %w", e.policy.Markets, affrules.ErrUnknownMarket)
	}
	t := c.Terms()
	if t.Type != typ {
		rule := "CP-5"
		if typ == Challenge {
			rule = "CP-6"
		}
		return mk, Terms{}, fielderr.New(pkg, "terms.type", t.Type, "must be %s (%s)", typ, rule)
	}
	if err := periodProblem("terms.period", t.Period); err != nil {
		return mk, Terms{}, err
	}
	return mk, t, nil
}

// Score is a member's result in a challenge (CP-6), a host input: the value of the goal
// ([Terms].Goal: GMV in the market's currency, or a count of attributed orders) summed over
// content types from the creator's join to the end, when the creator reached that value (for
// the first_reached tie-break), and whether the creator met the challenge's ranking criteria.
type Score struct {
	Creator   string          `json:"creator"`
	Value     decimal.Decimal `json:"value"`
	Reached   time.Time       `json:"reached"`
	Qualified bool            `json:"qualified"`
}

// Rank ranks the scores of challenge c's members and returns their rewards (CP-6), best first.
// Creators who did not qualify are not ranked. The others are ordered by Value, highest
// first; equal values by [Policy.TieBreaks] in order (first_reached: the earlier Reached
// first; creator_id: the lower ID first, comparing bytes), and, once those are exhausted, by
// creator ID, so the order never depends on the order of scores. They are ranked 1, 2, 3 …
// and each rank takes the reward of the first tier of [Terms].Tiers whose To it does not
// exceed. Every reward is due at the period's end (the platform pays after the end).
//
// Interpretation (SPEC CP-6: below the last tier, nothing): a creator ranked below the last
// tier earns nothing and is left out of the result, so the result holds at most the last
// tier's To rewards, ranks 1 to n without gaps.
//
// Scores are sorted once, on integer keys when every value fits 63 bits at a common scale
// (every realistic GMV or order count does), so 100,000 scores rank in milliseconds.
//
// Bad input is a [*affrules.FieldError], every problem of the scores reported at once: a
// collaboration that is not a challenge, whose market Collaboration Plus does not run in,
// whose period is not valid, with no tiers, tiers whose To are not ascending from 1 or whose
// rewards are negative or finer than the minor unit; a score of a creator who is not a member
// or is scored twice, a negative or out-of-bounds value, a fraction of an order for an orders
// goal, a qualified score whose Reached is out of bounds, outside the challenge's period, before
// the creator joined or at or after the instant every product had left the collaboration
// (ELG-11: nothing is left to count then).
func (e *Evaluator) Rank(c Collaboration, scores []Score) ([]Reward, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	mk, t, err := e.rewardTerms(c, Challenge)
	if err != nil {
		return nil, err
	}
	gone, allGone := allEnded(&c, t.Period.End) // ELG-11: every product left before the end
	allGone = allGone && gone.Before(t.Period.End)
	l := fielderr.For(pkg)
	if len(t.Tiers) == 0 {
		l.Add("terms.tiers", "[]", "must list at least one rank tier (CP-6)")
	}
	prev := 0
	for i, tier := range t.Tiers {
		f := "terms.tiers[" + strconv.Itoa(i) + "]"
		if tier.To <= prev {
			l.Add(f+".to", tier.To, "must be above %d: tiers ascend by rank from 1 (CP-6)", prev)
		}
		prev = max(prev, tier.To)
		if _, err := amountUnits(f+".reward", tier.Reward, mk.MinorUnit); err != nil {
			l.Append(err)
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}

	// member maps each member to their index in c.Members; scored holds, for each member, 0 or
	// 1 + the index of their score.
	member := make(map[string]int, len(c.Members))
	for i := range c.Members {
		member[c.Members[i].Creator] = i
	}
	scored := make([]int, len(c.Members))
	entries := make([]rankEntry, 0, len(scores))
	minExp := int32(math.MaxInt32)
	for i := range scores {
		s := &scores[i]
		m, ok := member[s.Creator]
		switch {
		case !ok:
			l.Add(scoreField(i, "creator"), strconv.Quote(s.Creator), "is not a member of collaboration %q (CP-6)", c.ID)
		case scored[m] != 0:
			l.Add(scoreField(i, "creator"), strconv.Quote(s.Creator), "is scored twice, also in scores[%d]", scored[m]-1)
		default:
			scored[m] = i + 1
		}
		if !decimalInBounds(s.Value) {
			l.Append(bounds.Decimal(pkg, scoreField(i, "value"), s.Value))
			continue
		}
		switch { // the field is named only on error: a ranking of every member builds none
		case s.Value.Sign() < 0:
			l.Add(scoreField(i, "value"), s.Value, "%w", affrules.ErrNegative)
		case t.Goal == Orders && !s.Value.IsInteger():
			l.Add(scoreField(i, "value"), s.Value, "must be a whole number of orders (CP-6)")
		}
		if !s.Qualified {
			continue
		}
		switch f := "reached"; {
		case !bounds.InRange(s.Reached):
			l.Append(bounds.Instant(pkg, scoreField(i, f), s.Reached))
		case s.Reached.Before(t.Period.Start) || !s.Reached.Before(t.Period.End):
			// CP-6: the value counts from the creator's join to the end, so it is reached within.
			l.Add(scoreField(i, f), s.Reached.Format(time.RFC3339Nano), "is outside the challenge's period %s: the value counts from join to end (CP-6)", t.Period)
		case allGone && !s.Reached.Before(gone):
			// ELG-11, CP-18: the value counts the collaboration's products while they take part.
			l.Add(scoreField(i, f), s.Reached.Format(time.RFC3339Nano), "is after every product left the collaboration at %s (ELG-11): the value counts the products while they take part", gone.Format(time.RFC3339Nano))
		case ok && s.Reached.Before(c.Members[m].Joined):
			l.Add(scoreField(i, f), s.Reached.Format(time.RFC3339Nano), "is before the creator joined at %s: the value counts from join to end (CP-6)", c.Members[m].Joined.Format(time.RFC3339Nano))
		}
		if bounds.CoefficientBits(s.Value) != 0 { // zero ranks at any scale
			minExp = min(minExp, s.Value.Exponent())
		}
		entries = append(entries, rankEntry{reached: s.Reached.UnixNano(), i: int32(i)})
	}
	if err := l.Err(); err != nil {
		return nil, err
	}

	fast := scaleKeys(entries, scores, minExp)
	var ties [2]uint8 // the tie-breaks in order: 1 first_reached, 2 creator_id, 0 none
	for i, tb := range e.policy.TieBreaks[:min(2, len(e.policy.TieBreaks))] {
		if tb == TieFirstReached {
			ties[i] = 1
		} else if tb == TieCreatorID {
			ties[i] = 2
		}
	}
	slices.SortFunc(entries, func(a, b rankEntry) int {
		var c int
		if fast {
			c = cmp.Compare(b.key, a.key)
		} else {
			c = scores[b.i].Value.Cmp(scores[a.i].Value)
		}
		if c != 0 {
			return c
		}
		for _, tb := range ties {
			switch tb {
			case 1:
				c = cmp.Compare(a.reached, b.reached)
			case 2:
				c = strings.Compare(scores[a.i].Creator, scores[b.i].Creator)
			}
			if c != 0 {
				return c
			}
		}
		return strings.Compare(scores[a.i].Creator, scores[b.i].Creator)
	})

	n := min(len(entries), t.Tiers[len(t.Tiers)-1].To)
	out := make([]Reward, n)
	tier := 0
	for r := range n {
		for t.Tiers[tier].To < r+1 {
			tier++
		}
		out[r] = Reward{Creator: scores[entries[r].i].Creator, Amount: t.Tiers[tier].Reward, Due: t.Period.End, Rank: r + 1}
	}
	return out, nil
}

// decimalInBounds reports whether d passes [bounds.Decimal] (38 digits at most, the exponent
// within bounds), without building the field name its error would need.
func decimalInBounds(d decimal.Decimal) bool { return bounds.Decimal(pkg, "", d) == nil }

// rankEntry is a qualified score in the ranking: its value as an integer at a common scale
// (when the fast path applies), its Reached in Unix nanoseconds, its index in the scores.
type rankEntry struct {
	key     int64
	reached int64
	i       int32
}

var rankPow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// scaleKeys sets each entry's key to its score's value in units of 10^minExp and reports
// whether every one fits an int64; if one does not, the keys are not used and values are
// compared as decimals.
func scaleKeys(entries []rankEntry, scores []Score, minExp int32) bool {
	for k := range entries {
		v := scores[entries[k].i].Value
		if bounds.CoefficientBits(v) == 0 {
			entries[k].key = 0
			continue
		}
		if bounds.CoefficientBits(v) > 62 {
			return false
		}
		shift := int(v.Exponent() - minExp)
		c := v.CoefficientInt64()
		if shift >= len(rankPow10) || c > math.MaxInt64/rankPow10[shift] {
			return false
		}
		entries[k].key = c * rankPow10[shift]
	}
	return true
}

// CancelReward returns reward r cancelled for reason code (CP-14), which must be one of
// [Policy.CancelReasons] (default account_security, risk_control). A reward without a creator,
// with a negative amount or one out of the decimal bounds, without a due instant in bounds,
// one already cancelled, or an unknown code is a [*affrules.FieldError]; r is returned
// unchanged with the error.
func (e *Evaluator) CancelReward(r Reward, code string) (Reward, error) {
	if err := e.ready(); err != nil {
		return r, err
	}
	l := fielderr.For(pkg)
	if r.Creator == "" {
		l.Add("reward.creator", "", "must not be empty: cancel a reward a creator earned (CP-14)")
	}
	if err := bounds.Decimal(pkg, "reward.amount", r.Amount); err != nil {
		l.Append(err)
	} else if r.Amount.Sign() < 0 {
		l.Add("reward.amount", r.Amount, "%w", affrules.ErrNegative)
	}
	l.Append(bounds.Instant(pkg, "reward.due", r.Due))
	if r.Cancelled != "" {
		l.Add("reward.cancelled", strconv.Quote(r.Cancelled), "is already cancelled: a reward is cancelled once (CP-14)")
	}
	if !slices.Contains(e.policy.CancelReasons, code) {
		l.Add("code", strconv.Quote(code), "must be one of %s (CP-14)", strings.Join(e.policy.CancelReasons, ", "))
	}
	if err := l.Err(); err != nil {
		return r, err
	}
	r.Cancelled = code
	return r, nil
}

// scoreField names field of scores[i] in an error.
func scoreField(i int, field string) string { return "scores[" + strconv.Itoa(i) + "]." + field }
