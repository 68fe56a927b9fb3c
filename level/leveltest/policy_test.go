package leveltest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/level/leveltest"
)

func TestCheckPolicyDefault(t *testing.T) {
	leveltest.CheckPolicy(t, level.DefaultPolicy())
}

// wrapped builds the real evaluator and wraps it with f.
func wrapped(f func(e *level.Evaluator, market affrules.MarketCode, m affrules.Month, p level.Performance) (level.Level, error)) func(level.Policy) (leveltest.Assigner, error) {
	return func(p level.Policy) (leveltest.Assigner, error) {
		e, err := level.New(p)
		return assignFunc(func(market affrules.MarketCode, m affrules.Month, perf level.Performance) (level.Level, error) {
			return f(e, market, m, perf)
		}), err
	}
}

type assignFunc func(affrules.MarketCode, affrules.Month, level.Performance) (level.Level, error)

func (f assignFunc) Assign(market affrules.MarketCode, m affrules.Month, p level.Performance) (level.Level, error) {
	return f(market, m, p)
}

// LVL-2: the property catches an evaluator that drops a creator with a large GMV to L0, as a
// careless fraud filter might.
func TestMoreNeverLowersCanFail(t *testing.T) {
	limit := decimal.NewFromInt(100_000)
	props := leveltest.PropertiesWith(level.DefaultPolicy(), wrapped(func(e *level.Evaluator, market affrules.MarketCode, m affrules.Month, p level.Performance) (level.Level, error) {
		if p.GMV().GreaterThan(limit) {
			return level.L0, nil
		}
		return e.Assign(market, m, p)
	}))
	affrulestest.MustFail(t, affrulestest.Find(t, props, "more_never_lowers"), "but the better totals{gmv", "earn L0")
}

// LVL-2: the property catches an evaluator that counts categories where the table counts
// products, and only that: the mistake never lowers a level for more of everything.
func TestLevelMatchesTableCanFail(t *testing.T) {
	props := leveltest.PropertiesWith(level.DefaultPolicy(), wrapped(func(e *level.Evaluator, market affrules.MarketCode, m affrules.Month, p level.Performance) (level.Level, error) {
		q, err := level.NewPerformance(market, p.Month(), level.Totals{GMV: p.GMV(), ActiveDays: p.ActiveDays(), Products: p.Categories(), Categories: p.Categories()})
		if err != nil {
			return level.L0, err
		}
		return e.Assign(market, m, q)
	}))
	affrulestest.MustFail(t, affrulestest.Find(t, props, "level_matches_table"), "the table in force (highest_met, breadth \"products\") gives")
	if report := affrulestest.Fails(affrulestest.Find(t, props, "more_never_lowers").Check); report != "" {
		t.Errorf("more_never_lowers failed on a monotone mistake:\n%s", report)
	}
}

// LVL-2: a Thai table whose L5 asks for less GMV than L4 is reported by table, version and level.
func TestTablesOrderedCanFail(t *testing.T) {
	p := level.DefaultPolicy()
	tab, _ := p.Tables[affrules.TH].At(time.Time{})
	tab.Levels = append([]level.Thresholds(nil), tab.Levels...)
	tab.Levels[4].GMV = decimal.NewFromInt(100)
	tl, err := affrules.NewTimeline(affrules.Effective[level.Table]{Value: tab})
	if err != nil {
		t.Fatal(err)
	}
	p.Tables[affrules.TH] = tl
	affrulestest.MustFail(t, affrulestest.Find(t, leveltest.Properties(p), "tables_ordered"), "policy.tables[TH][0]", "L5's gmv 100 is below L4's 80000")
}

// LVL-3, MKT-2: a Thai table version from a UTC midnight starts at 07:00 in Bangkok and decides
// levels only from the next month.
func TestVersionsStartAtMonthStartCanFail(t *testing.T) {
	p := level.DefaultPolicy()
	tab, _ := p.Tables[affrules.TH].At(time.Time{})
	tl, err := p.Tables[affrules.TH].With(affrules.Effective[level.Table]{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Value: tab})
	if err != nil {
		t.Fatal(err)
	}
	p.Tables[affrules.TH] = tl
	if _, err := level.New(p); err != nil {
		t.Fatalf("the broken policy must be valid: %v", err)
	}
	affrulestest.MustFail(t, affrulestest.Find(t, leveltest.Properties(p), "versions_start_at_month_start"), "policy.tables[TH][1]", "07:00:00", "only from 2026-04")
}

// A policy New refuses fails every property.
func TestInvalidPolicyFailsEveryProperty(t *testing.T) {
	p := level.DefaultPolicy()
	p.Trend.SignificantDrop = 0
	for _, prop := range leveltest.Properties(p) {
		affrulestest.MustFail(t, prop, "the policy is not valid", "significant_drop")
	}
}

// The generators draw valid policies, and for them totals and performances the evaluator accepts
// for the months drawn; Better draws totals at least as good.
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := leveltest.Policy().Draw(t, "policy")
		e, err := level.New(p)
		if err != nil {
			t.Fatalf("New(drawn policy): %v", err)
		}
		market := leveltest.Market(p).Draw(t, "market")
		m := leveltest.Month(p, market).Draw(t, "month")
		perf := leveltest.Performance(p, market, m).Draw(t, "performance")
		if _, err := e.Assign(market, m, perf); err != nil {
			t.Fatalf("Assign(%s, %s, %+v): %v", market, m, perf, err)
		}
		tot := leveltest.Totals(p, market, m).Draw(t, "totals")
		better := leveltest.Better(tot, m).Draw(t, "better")
		for _, x := range []level.Totals{tot, better} {
			perf, err := level.NewPerformance(market, m-1, x)
			if err != nil {
				t.Fatalf("NewPerformance(%s, %s, %+v): %v", market, m-1, x, err)
			}
			if _, err := e.Assign(market, m, perf); err != nil {
				t.Fatalf("Assign(%s, %s, %+v): %v", market, m, perf, err)
			}
		}
		if better.GMV.LessThan(tot.GMV) || better.ActiveDays < tot.ActiveDays || better.Products < tot.Products || better.Categories < tot.Categories ||
			(tot.Capability != nil && better.Capability.LessThan(*tot.Capability)) {
			t.Fatalf("Better(%+v) = %+v: worse somewhere", tot, better)
		}
	})
}

// The policies Policy draws satisfy every property.
func TestDrawnPoliciesPass(t *testing.T) {
	for seed := range 4 {
		p := leveltest.Policy().Example(seed)
		for _, prop := range leveltest.Properties(p) {
			if report := affrulestest.Fails(prop.Check); report != "" {
				t.Errorf("policy drawn with seed %d fails %s:\n%s", seed, prop.Name, report)
			}
		}
	}
}

// The generators given a market the policy has no table for (any, for the zero policy) fail with
// what is wrong, named, instead of rapid's own messages.
func TestGeneratorsRefuseWhatTheyCannotDraw(t *testing.T) {
	m := affrules.NewMonth(2026, time.March)
	for name, tc := range map[string]struct {
		draw func(*rapid.T)
		want string
	}{
		"Totals, no market": {func(t *rapid.T) { leveltest.Totals(level.DefaultPolicy(), "", m).Draw(t, "x") }, `leveltest.Totals: the policy has no level table for market ""`},
		"Performance, zero": {func(t *rapid.T) { leveltest.Performance(level.Policy{}, affrules.UK, m).Draw(t, "x") }, `leveltest.Totals: the policy has no level table for market "UK"`},
		"Month, zero":       {func(t *rapid.T) { leveltest.Month(level.Policy{}, affrules.UK).Draw(t, "x") }, `leveltest.Month: the policy has no level table for market "UK"`},
	} {
		if report := affrulestest.Fails(tc.draw); !strings.Contains(report, tc.want) {
			t.Errorf("%s: report %q, want %q", name, report, tc.want)
		}
	}
}
