package leveltest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/level"
)

// CheckPolicy checks every property of [Properties] for p, each as a subtest of t; a failure
// reports rapid's minimal counter-example.
func CheckPolicy(t *testing.T, p level.Policy) {
	t.Helper()
	affrulestest.Run(t, Properties(p))
}

// Properties returns the named properties of p (see the package doc), each checked through an
// evaluator built with [level.New]; if New refuses p, every property fails with its error (after
// the policy's own data, for the properties that read it).
func Properties(p level.Policy) []affrulestest.Property {
	return properties(p, func(p level.Policy) (assigner, error) {
		e, err := level.New(p)
		if err != nil {
			return nil, err
		}
		return e, nil
	})
}

// assigner is what the properties ask of a [level.Evaluator].
type assigner interface {
	Assign(market affrules.MarketCode, m affrules.Month, p level.Performance) (level.Level, error)
}

func properties(p level.Policy, build func(level.Policy) (assigner, error)) []affrulestest.Property {
	var once sync.Once
	var e assigner
	var err error
	ready := func(t *rapid.T) assigner { // built once, on first use
		once.Do(func() { e, err = build(p) })
		if err != nil {
			t.Fatalf("the policy is not valid: %v", err)
		}
		return e
	}
	// A policy without a table for a registered market assigns no level: nothing to draw.
	hasTables := len(tableMarkets(p)) > 0
	return []affrulestest.Property{
		{Name: "more_never_lowers", Check: func(t *rapid.T) {
			if e := ready(t); hasTables {
				moreNeverLowers(t, p, e)
			}
		}},
		{Name: "level_matches_table", Check: func(t *rapid.T) {
			if e := ready(t); hasTables {
				levelMatchesTable(t, p, e)
			}
		}},
		{Name: "tables_ordered", Check: func(t *rapid.T) {
			if msg := unordered(p); msg != "" {
				t.Fatal(msg)
			}
			if e := ready(t); hasTables {
				tablesOrdered(t, p, e)
			}
		}},
		{Name: "versions_start_at_month_start", Check: func(t *rapid.T) {
			if msg := offMonthStart(p); msg != "" {
				t.Fatal(msg)
			}
			ready(t)
		}},
	}
}

// assign returns the level tot earns in market for month m, failing t on an error: the
// generators draw valid input only.
func assign(t *rapid.T, e assigner, market affrules.MarketCode, m affrules.Month, tot level.Totals) level.Level {
	perf, err := level.NewPerformance(market, m-1, tot)
	if err != nil {
		t.Fatalf("NewPerformance(%s, %s, %s): %v", market, m-1, format(tot), err)
	}
	l, err := e.Assign(market, m, perf)
	if err != nil {
		t.Fatalf("Assign(%s, %s, %s): %v", market, m, format(tot), err)
	}
	return l
}

// moreNeverLowers: more GMV, active days, breadth or capability never lowers a level (LVL-2).
func moreNeverLowers(t *rapid.T, p level.Policy, e assigner) {
	market := Market(p).Draw(t, "market")
	m := Month(p, market).Draw(t, "month")
	tot := Totals(p, market, m).Draw(t, "totals")
	better := Better(tot, m).Draw(t, "better")
	l, lb := assign(t, e, market, m, tot), assign(t, e, market, m, better)
	if lb < l {
		t.Fatalf("in %s for %s, %s earn %s but the better %s earn %s", market, m, format(tot), l, format(better), lb)
	}
}

// levelMatchesTable: the level assigned is the one a plain reading of the table in force gives
// (LVL-2, LVL-3).
func levelMatchesTable(t *rapid.T, p level.Policy, e assigner) {
	market := Market(p).Draw(t, "market")
	m := Month(p, market).Draw(t, "month")
	tot := Totals(p, market, m).Draw(t, "totals")
	tab, _ := tableFor(p, market, m)
	mk, _ := affrules.LookupMarket(market)
	want := reference(tab, mk, tot)
	if got := assign(t, e, market, m, tot); got != want {
		t.Fatalf("in %s for %s, %s earn %s; the table in force (%s, breadth %q) gives %s", market, m, format(tot), got, tab.Scheme, tab.Breadth, want)
	}
}

// reference returns the level totals tot earn under table tab in market mk, read literally from
// the catalog (LVL-2): GMV truncated to the currency's minor unit and capability to 6 decimal
// places; under [level.HighestMet] the highest level whose every threshold is met; under
// [level.GMVBand] the highest level whose GMV threshold is met, one lower if that level's active
// days, breadth or capability threshold is missed. It is the plain model the evaluator is checked
// against.
func reference(tab level.Table, mk affrules.Market, tot level.Totals) level.Level {
	gmv := tot.GMV.Truncate(mk.MinorUnit)
	breadth := tot.Products
	if tab.Breadth == level.ByCategories {
		breadth = tot.Categories
	}
	gmvMet := func(th level.Thresholds) bool { return gmv.GreaterThanOrEqual(th.GMV) }
	othersMet := func(th level.Thresholds) bool {
		if th.Capability != nil && (tot.Capability == nil || tot.Capability.Truncate(capabilityPlaces).LessThan(*th.Capability)) {
			return false
		}
		return tot.ActiveDays >= th.ActiveDays && breadth >= th.Breadth
	}
	best := 0
	for i, th := range tab.Levels {
		switch {
		case tab.Scheme == level.GMVBand && gmvMet(th):
			best = i + 1
		case gmvMet(th) && othersMet(th):
			best = i + 1
		}
	}
	if tab.Scheme == level.GMVBand && best > 0 && !othersMet(tab.Levels[best-1]) {
		best--
	}
	return level.Level(best)
}

// tablesOrdered: a creator who meets exactly a level's thresholds holds that level or a higher
// one (LVL-2): with thresholds that decrease somewhere, meeting a level's would not be enough.
func tablesOrdered(t *rapid.T, p level.Policy, e assigner) {
	market := Market(p).Draw(t, "market")
	m := Month(p, market).Draw(t, "month")
	tab, _ := tableFor(p, market, m)
	k := rapid.IntRange(1, len(tab.Levels)).Draw(t, "level")
	th := tab.Levels[k-1]
	if th.ActiveDays > (m - 1).Days() {
		return // no creator can meet it in a month this short
	}
	tot := level.Totals{GMV: th.GMV, ActiveDays: th.ActiveDays, Products: th.Breadth, Categories: th.Breadth}
	if c := capabilityAt(tab, k); c != nil {
		tot.Capability = c
	}
	if got := assign(t, e, market, m, tot); got < level.Level(k) {
		t.Fatalf("in %s for %s, %s meet exactly %s's thresholds but earn %s", market, m, format(tot), level.Level(k), got)
	}
}

// capabilityAt returns the capability that meets level k's threshold (0 below the first level
// that sets one), or nil if the table sets none.
func capabilityAt(tab level.Table, k int) *decimal.Decimal {
	var c *decimal.Decimal
	for i, th := range tab.Levels {
		if th.Capability == nil {
			continue
		}
		if i < k {
			c = th.Capability
		} else if c == nil {
			c = &decimal.Zero
		}
	}
	return c
}

// unordered describes the first threshold of p that is below the one of the level beneath it
// in the same table version, or returns "" if every table is ordered (LVL-2).
func unordered(p level.Policy) string {
	for _, code := range sortedMarkets(p) {
		i := 0
		for from, tab := range p.Tables[code].All() {
			where := fmt.Sprintf("policy.tables[%s][%d] (from %s)", code, i, from.Format(time.RFC3339Nano))
			i++
			for k := 1; k < len(tab.Levels); k++ {
				lo, hi := tab.Levels[k-1], tab.Levels[k]
				lower, upper := level.Level(k), level.Level(k+1)
				switch {
				case hi.GMV.LessThan(lo.GMV):
					return fmt.Sprintf("%s: %s's gmv %s is below %s's %s", where, upper, hi.GMV, lower, lo.GMV)
				case hi.ActiveDays < lo.ActiveDays:
					return fmt.Sprintf("%s: %s's active_days %d is below %s's %d", where, upper, hi.ActiveDays, lower, lo.ActiveDays)
				case hi.Breadth < lo.Breadth:
					return fmt.Sprintf("%s: %s's breadth %d is below %s's %d", where, upper, hi.Breadth, lower, lo.Breadth)
				case lo.Capability != nil && hi.Capability == nil:
					return fmt.Sprintf("%s: %s sets no capability threshold above %s's %s", where, upper, lower, lo.Capability)
				case lo.Capability != nil && hi.Capability.LessThan(*lo.Capability):
					return fmt.Sprintf("%s: %s's capability %s is below %s's %s", where, upper, hi.Capability, lower, lo.Capability)
				}
			}
		}
	}
	return ""
}

// offMonthStart describes the first table version of p that starts elsewhere than at the first
// instant of a month in its market's calendar, or returns "" if none does (LVL-3, MKT-2). A
// version from before 1900 (the zero instant: since always) is not checked.
func offMonthStart(p level.Policy) string {
	for _, code := range sortedMarkets(p) {
		mk, err := affrules.LookupMarket(code)
		if err != nil {
			continue // New reports it
		}
		loc := mk.Location()
		i := 0
		for from := range p.Tables[code].All() {
			if !from.Before(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)) && !affrules.MonthOf(from, loc).Start.Equal(from) {
				return fmt.Sprintf("policy.tables[%s][%d] starts at %s, %s in %s, not at a month's first instant: it decides levels only from %s (LVL-3)",
					code, i, from.Format(time.RFC3339Nano), from.In(loc).Format(time.DateTime), loc, startMonth(mk, from))
			}
			i++
		}
	}
	return ""
}

func sortedMarkets(p level.Policy) []affrules.MarketCode {
	codes := make([]affrules.MarketCode, 0, len(p.Tables))
	for c := range p.Tables {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// format prints totals with the capability's value, not its address.
func format(tot level.Totals) string {
	var b strings.Builder
	fmt.Fprintf(&b, "totals{gmv %s, active_days %d, products %d, categories %d", tot.GMV, tot.ActiveDays, tot.Products, tot.Categories)
	if tot.Capability != nil {
		fmt.Fprintf(&b, ", capability %s", tot.Capability)
	}
	b.WriteString("}")
	return b.String()
}
