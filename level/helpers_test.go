package level_test

import (
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// ukTable is a small hand-written table for the UK (GBP, two decimal places), L1 … L8.
func ukTable(scheme level.Scheme) level.Table {
	gmv := []string{"0", "10", "50", "100", "500", "1000", "5000", "10000"}
	days := []int{1, 2, 3, 5, 8, 12, 16, 20}
	breadth := []int{1, 1, 2, 3, 4, 6, 8, 10}
	t := level.Table{Scheme: scheme}
	for i := range gmv {
		t.Levels = append(t.Levels, level.Thresholds{GMV: decimal.RequireFromString(gmv[i]), ActiveDays: days[i], Breadth: breadth[i]})
	}
	return t
}

// testPolicy is the default policy with ukTable for the UK under scheme.
func testPolicy(scheme level.Scheme) level.Policy {
	p := level.DefaultPolicy()
	p.Tables[affrules.UK] = timeline(nil, affrules.Effective[level.Table]{Value: ukTable(scheme)})
	return p
}

// timeline returns the timeline of versions, which must be in order; t nil panics instead of
// failing the test, for use in rapid properties.
func timeline(t testing.TB, versions ...affrules.Effective[level.Table]) affrules.Timeline[level.Table] {
	tl, err := affrules.NewTimeline(versions...)
	if t == nil && err != nil {
		panic(err)
	}
	if t != nil {
		t.Helper()
		require.NoError(t, err)
	}
	return tl
}

func mustNew(t testing.TB, p level.Policy) *level.Evaluator {
	t.Helper()
	ev, err := level.New(p)
	require.NoError(t, err)
	return ev
}

// mustPerf returns a performance whose breadth, breadth products in as many categories, is the
// same under either breadth basis.
func mustPerf(t testing.TB, market affrules.MarketCode, m affrules.Month, gmv string, days, breadth int) level.Performance {
	t.Helper()
	p, err := level.NewPerformance(market, m, totals(decimal.RequireFromString(gmv), days, breadth))
	require.NoError(t, err)
	return p
}

// totals returns the totals of a performance with breadth products in as many categories.
func totals(gmv decimal.Decimal, days, breadth int) level.Totals {
	return level.Totals{GMV: gmv, ActiveDays: days, Products: breadth, Categories: breadth}
}

func market(t testing.TB, code affrules.MarketCode) affrules.Market {
	t.Helper()
	mk, err := affrules.LookupMarket(code)
	require.NoError(t, err)
	return mk
}

var (
	feb2026   = affrules.NewMonth(2026, time.February)
	march2026 = affrules.NewMonth(2026, time.March)
)
