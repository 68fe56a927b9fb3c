package level

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/codeindex"
	"github.com/affrules/affrules/internal/fielderr"
)

// ErrNoPolicy reports a method called on an [Evaluator] that was not built by [New]: the zero
// Evaluator holds no policy and answers nothing.
var ErrNoPolicy = errors.New("the Evaluator has no policy: build it with level.New")

// Evaluator evaluates the rules of SPEC §1 under one validated [Policy]. Build it with [New]; it
// is immutable and safe for concurrent use. The zero Evaluator fails closed: every method
// returns an error wrapping [ErrNoPolicy] (and [Evaluator.Visible] a denial with it).
type Evaluator struct {
	valid    bool // built by New
	markets  map[affrules.MarketCode]*marketTables
	byCode   [codeindex.Size]*marketTables                // the tables of a two-letter code, without hashing it
	benefits map[string]*[numLevels + 1]affrules.Decision // LVL-7: the decision for each level, built once
	visible  visibility
	trend    TrendPolicy
	trendNA  [2]affrules.Decision // LVL-6: the not-applicable decision for 0 and 1 months of levels
	score    map[affrules.MarketCode]ScorePolicy
	tie      CreatorType
	badges   badgeRules
	profile  ProfilePolicy
	// dataHidden is the LVL-12 decision of a profile view without data authorisation (ELG-8).
	dataHidden affrules.Decision
}

// marketTables is a market with its compiled threshold tables, each with the first month whose
// first instant it is in force at (LVL-3), so that finding a month's table compares integers and
// reads no time zone.
type marketTables struct {
	market   affrules.Market
	versions []monthTable // by from, ascending
}

type monthTable struct {
	from  affrules.Month // the first month this version is in force at the start of
	table *table
}

// New validates p and returns an evaluator for it. Every problem is reported at once, joined,
// each a *[affrules.FieldError] naming the field and value ([Policy.Validate]). Markets are
// resolved from the registry here, once.
func New(p Policy) (*Evaluator, error) { return p.compile() }

// MustNew is like [New] but panics if p is not valid. It is for tests and examples with literal
// policies.
func MustNew(p Policy) *Evaluator {
	ev, err := New(p)
	if err != nil {
		panic(err)
	}
	return ev
}

// compile validates p and builds its evaluator.
func (p Policy) compile() (*Evaluator, error) {
	l := fielderr.For(pkg)
	ev := &Evaluator{
		valid:    true,
		markets:  make(map[affrules.MarketCode]*marketTables, len(p.Tables)),
		benefits: make(map[string]*[numLevels + 1]affrules.Decision, len(p.Benefits)),
		visible:  newVisibility(p.PartnersSeeLevel),
		trend:    p.Trend,
		trendNA:  [2]affrules.Decision{trendNotApplicable(0), trendNotApplicable(1)},
		score:    make(map[affrules.MarketCode]ScorePolicy, len(p.Score)),
		tie:      p.TieType,
		badges:   newBadgeRules(p.Badges),
		profile:  p.Profile,
		dataHidden: affrules.Decide(affrules.Reason{Rule: RuleProfile, Key: keyDataNotAuthorised,
			Subject: "label icons and performance data"}),
	}
	for _, code := range sortedKeys(p.Tables) {
		tl := p.Tables[code]
		field := "policy.tables[" + string(code) + "]"
		mk, err := affrules.LookupMarket(code)
		if err != nil {
			l.Add(field, code, "%w", affrules.ErrUnknownMarket)
			continue
		}
		if tl.Len() == 0 {
			l.Add(field, "[]", "must have at least one version")
			continue
		}
		mt := &marketTables{market: mk, versions: make([]monthTable, 0, tl.Len())}
		i := 0
		for from, t := range tl.All() {
			c := compileTable(l, field+"["+strconv.Itoa(i)+"]", mk, t)
			first := firstMonth(mk, from)
			if i > 0 && mt.versions[i-1].from == first {
				// Both take over at the start of the same month: the earlier would govern none.
				l.Add(field+"["+strconv.Itoa(i-1)+"]", first.String(), "is never in force: version %d takes over at the start of the same month (LVL-3: a version governs the months from the first that starts at or after it)", i)
			}
			mt.versions = append(mt.versions, monthTable{from: first, table: c})
			i++
		}
		ev.markets[code] = mt
		if k, ok := codeindex.Of(code); ok {
			ev.byCode[k] = mt
		}
	}
	if p.Trend.SignificantDrop < 1 || p.Trend.SignificantDrop > numLevels {
		l.Add("policy.trend.significant_drop", p.Trend.SignificantDrop, "must be between 1 and 8 levels (LVL-6): %w", affrules.ErrOutOfRange)
	}
	if p.Trend.ConsistentMonths < 1 || p.Trend.ConsistentMonths > maxConsistentMonths {
		l.Add("policy.trend.consistent_months", p.Trend.ConsistentMonths, "must be between 1 and %d (LVL-6): %w", maxConsistentMonths, affrules.ErrOutOfRange)
	}
	for i, b := range p.Benefits {
		f := fmt.Sprintf("policy.benefits[%d]", i)
		if b.Name == "" {
			l.Add(f+".name", b.Name, "must not be empty")
		} else if _, dup := ev.benefits[b.Name]; dup {
			l.Add(f+".name", strconv.Quote(b.Name), "is listed twice")
		}
		if !b.MinLevel.Valid() {
			l.Add(f+".min_level", int(b.MinLevel), "must be between L0 and L8 (LVL-7): %w", affrules.ErrOutOfRange)
		}
		ev.benefits[b.Name] = benefitDecisions(b)
	}
	for _, code := range sortedKeys(p.Score) {
		field := "policy.score[" + string(code) + "]"
		if _, err := affrules.LookupMarket(code); err != nil {
			l.Add(field, code, "%w", affrules.ErrUnknownMarket)
			continue
		}
		sp := p.Score[code]
		checkScorePolicy(l, field, sp)
		ev.score[code] = sp
	}
	switch p.TieType {
	case Live, Video, Mixed:
	default:
		l.Add("policy.tie_type", strconv.Quote(string(p.TieType)), "must be %q, %q or %q (LVL-9)", Live, Video, Mixed)
	}
	checkBadgePolicy(l, p.Badges)
	if err := l.Err(); err != nil {
		return nil, err
	}
	return ev, nil
}

// firstMonth returns the first month whose first instant in mk's calendar is at or after from:
// the first month a table version starting at from is in force at the start of (LVL-3).
func firstMonth(mk affrules.Market, from time.Time) affrules.Month {
	y, mo, _ := from.In(mk.Location()).Date()
	n := int64(y)*12 + int64(mo) - 1
	switch {
	case n >= math.MaxInt32:
		return math.MaxInt32
	case n < math.MinInt32:
		return math.MinInt32
	}
	m := affrules.Month(n)
	if m.Period(mk).Start.Before(from) {
		m++ // from is inside m (below math.MaxInt32): the version takes over with the next month
	}
	return m
}

// ready returns nil if e was built by [New], and otherwise an error wrapping [ErrNoPolicy] that
// names method.
func (e *Evaluator) ready(method string) error {
	if e == nil || !e.valid {
		return fmt.Errorf("level: Evaluator.%s: %w", method, ErrNoPolicy)
	}
	return nil
}

// table returns market's compiled table in force at the first instant of month m (LVL-3).
func (e *Evaluator) table(market affrules.MarketCode, m affrules.Month) (*table, error) {
	var mt *marketTables
	if k, ok := codeindex.Of(market); ok {
		mt = e.byCode[k]
	} else {
		mt = e.markets[market]
	}
	if mt == nil {
		if _, err := affrules.LookupMarket(market); err != nil {
			return nil, fielderr.New(pkg, "market", market, "%w", affrules.ErrUnknownMarket)
		}
		return nil, fielderr.New(pkg, "market", market, "the policy has no level thresholds for this market (LVL-2)")
	}
	for i := len(mt.versions) - 1; i >= 0; i-- {
		if mt.versions[i].from <= m {
			return mt.versions[i].table, nil
		}
	}
	start := m.Period(mt.market).Start
	return nil, fielderr.New(pkg, "policy.tables["+string(market)+"]", m,
		"no thresholds in force at the month's start %s (LVL-2)", start.Format(time.RFC3339Nano))
}

// knownMarket returns nil if market is one the policy has tables for or one registered, and an
// error wrapping [affrules.ErrUnknownMarket] otherwise.
func (e *Evaluator) knownMarket(market affrules.MarketCode) error {
	if _, ok := e.markets[market]; ok {
		return nil
	}
	if _, err := affrules.LookupMarket(market); err != nil {
		return fielderr.New(pkg, "market", market, "%w", affrules.ErrUnknownMarket)
	}
	return nil
}
