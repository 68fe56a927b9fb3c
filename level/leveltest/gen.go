package leveltest

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/level"
)

// levels is the number of levels with thresholds, L1 … L8 (LVL-1).
const levels = int(level.L8)

// capabilityPlaces is the precision of an e-commerce capability and its thresholds (LVL-2).
const capabilityPlaces = 6

// firstMonth and lastMonth bound the months a level is assigned for: a performance month and
// the level's month both in the years 1900 to 2199.
var (
	firstMonth = affrules.NewMonth(1900, time.February)
	lastMonth  = affrules.NewMonth(2199, time.December)
)

// Market draws the code of a market p has threshold tables for and that is registered now.
// Drawing from a policy without such a market fails the check that draws.
func Market(p level.Policy) *rapid.Generator[affrules.MarketCode] {
	codes := tableMarkets(p)
	if len(codes) == 0 {
		return rapid.Custom(func(t *rapid.T) affrules.MarketCode {
			t.Fatalf("the policy has no threshold table for a registered market")
			return ""
		})
	}
	return rapid.SampledFrom(codes)
}

// tableMarkets returns the registered markets p has threshold tables for, sorted.
func tableMarkets(p level.Policy) []affrules.MarketCode {
	var codes []affrules.MarketCode
	for code := range p.Tables {
		if _, err := affrules.LookupMarket(code); err == nil {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return codes
}

// Month draws a month whose levels p's tables decide in market (a table version is in force at
// its first instant, LVL-3), with the month before it, whose performance sets the level, in the
// years 1900 to 2199: the first month of one of market's table versions or a month either side
// of it, a January or December, or any month of the years 2025 to 2028.
func Month(p level.Policy, market affrules.MarketCode) *rapid.Generator[affrules.Month] {
	bad := unusable(p, market)
	mk, _ := affrules.LookupMarket(market)
	tl := p.Tables[market]
	var edges []affrules.Month
	for from := range tl.All() {
		m := startMonth(mk, from)
		edges = append(edges, m-1, m, m+1)
	}
	return rapid.Custom(func(t *rapid.T) affrules.Month {
		if bad != nil {
			t.Fatalf("leveltest.Month: %v", bad)
		}
		var m affrules.Month
		switch rapid.IntRange(0, 3).Draw(t, "month_how") {
		case 0:
			m = affrules.NewMonth(rapid.IntRange(2025, 2028).Draw(t, "year"), rapid.SampledFrom([]time.Month{time.January, time.December}).Draw(t, "month_of_year"))
		case 1:
			if len(edges) > 0 {
				m = rapid.SampledFrom(edges).Draw(t, "month_edge")
				break
			}
			fallthrough
		default:
			m = affrules.NewMonth(2025, time.January).Add(rapid.IntRange(0, 47).Draw(t, "month_offset"))
		}
		return m
	}).Filter(func(m affrules.Month) bool {
		if m < firstMonth || m > lastMonth {
			return false
		}
		_, ok := tableFor(p, market, m)
		return ok
	})
}

// startMonth is the first month whose first instant is at or after from: the first month a table
// version starting at from decides (LVL-3). The zero instant, a version in force since always,
// gives a month before every month a level is assigned for.
func startMonth(mk affrules.Market, from time.Time) affrules.Month {
	if from.Before(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)) {
		return firstMonth - 1
	}
	m := affrules.MonthAt(mk, from)
	if m.Period(mk).Start.Before(from) {
		m++
	}
	return m
}

// unusable returns why a generator cannot draw for policy p in market, or nil: p has no table
// for market (the zero Policy has none). It is cheap, since generators are built inside
// properties: a policy's validity is New's to report, as the properties do.
func unusable(p level.Policy, market affrules.MarketCode) error {
	if p.Tables[market].Len() == 0 {
		return fmt.Errorf("the policy has no level table for market %q", market)
	}
	return nil
}

// tableFor returns the table p has in force in market at the first instant of month m (LVL-3).
func tableFor(p level.Policy, market affrules.MarketCode, m affrules.Month) (level.Table, bool) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return level.Table{}, false
	}
	return p.Tables[market].At(m.Period(mk).Start)
}

// Totals draws a creator's totals for the month before m in market, which decide the creator's
// level for m, straddling the thresholds of the table p has in force then: each of GMV, active
// days, products and categories just below, at or just above the threshold of a level drawn (most
// often the same level for all), or anywhere up to twice it, never more active days than the month has nor more categories
// than products; a capability straddling a capability threshold whenever the table sets one, and
// now and then otherwise. m should be a month [Month] draws for market.
func Totals(p level.Policy, market affrules.MarketCode, m affrules.Month) *rapid.Generator[level.Totals] {
	bad := unusable(p, market)
	tab, ok := tableFor(p, market, m)
	if bad == nil && !ok {
		bad = fmt.Errorf("the policy has no table in force in %s for %s", market, m)
	}
	mk, _ := affrules.LookupMarket(market)
	days := (m - 1).Days()
	var caps []decimal.Decimal
	for _, th := range tab.Levels {
		if th.Capability != nil {
			caps = append(caps, *th.Capability)
		}
	}
	return rapid.Custom(func(t *rapid.T) level.Totals {
		if bad != nil {
			t.Fatalf("leveltest.Totals: %v", bad)
		}
		if len(tab.Levels) == 0 {
			return level.Totals{}
		}
		// Most metrics straddle one level's thresholds, so that every level is reached; each may
		// straddle another level's instead.
		target := rapid.IntRange(0, len(tab.Levels)-1).Draw(t, "level")
		th := func(label string) level.Thresholds {
			if rapid.IntRange(0, 3).Draw(t, label+"_own_level") < 3 {
				return tab.Levels[target]
			}
			return tab.Levels[rapid.IntRange(0, len(tab.Levels)-1).Draw(t, label+"_level")]
		}
		var tot level.Totals
		tot.GMV = affrulestest.StraddleDecimal(th("gmv").GMV, mk.MinorUnit).Draw(t, "gmv")
		tot.ActiveDays = int(min(affrulestest.Straddle(int64(th("active_days").ActiveDays)).Draw(t, "active_days"), int64(days)))
		tot.Categories = int(affrulestest.Straddle(int64(th("categories").Breadth)).Draw(t, "categories"))
		tot.Products = max(tot.Categories, int(affrulestest.Straddle(int64(th("products").Breadth)).Draw(t, "products")))
		switch {
		case len(caps) > 0:
			c := affrulestest.StraddleDecimal(rapid.SampledFrom(caps).Draw(t, "capability_of"), capabilityPlaces).Draw(t, "capability")
			tot.Capability = &c
		case rapid.IntRange(0, 3).Draw(t, "with_capability") == 3:
			c := decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, "capability_units"), -capabilityPlaces)
			tot.Capability = &c
		}
		return tot
	})
}

// Better draws totals at least as good as tot in every respect: as much GMV, active days,
// products, categories and capability or more (never more active days than the month m-1
// has, never more categories than products).
func Better(tot level.Totals, m affrules.Month) *rapid.Generator[level.Totals] {
	return rapid.Custom(func(t *rapid.T) level.Totals {
		b := tot
		more := func(label string) int64 {
			return rapid.OneOf(rapid.Just[int64](0), rapid.Int64Range(0, 3), rapid.Int64Range(0, 1_000_000)).Draw(t, label)
		}
		b.GMV = tot.GMV.Add(decimal.NewFromInt(more("more_gmv")))
		b.ActiveDays = min(tot.ActiveDays+int(more("more_active_days")), max((m-1).Days(), tot.ActiveDays))
		b.Categories = tot.Categories + int(min(more("more_categories"), 1000))
		b.Products = max(b.Categories, tot.Products+int(min(more("more_products"), 1000)))
		if tot.Capability != nil {
			c := tot.Capability.Add(decimal.New(more("more_capability"), -capabilityPlaces))
			b.Capability = &c
		}
		return b
	})
}

// Performance draws a creator's performance in market in the month before m, which decides the
// creator's level for m: [Totals] turned into a [level.Performance] with [level.NewPerformance].
func Performance(p level.Policy, market affrules.MarketCode, m affrules.Month) *rapid.Generator[level.Performance] {
	return rapid.Custom(func(t *rapid.T) level.Performance {
		tot := Totals(p, market, m).Draw(t, "totals")
		perf, err := level.NewPerformance(market, m-1, tot)
		if err != nil {
			t.Fatalf("NewPerformance(%s, %s, %+v): %v", market, m-1, tot, err)
		}
		return perf
	})
}

// Policy draws a valid policy as a host would make one from [level.DefaultPolicy]: for some
// markets a table of its own (either scheme, breadth counted by products or categories,
// thresholds non-decreasing with level, now and then capability thresholds from some level up),
// perhaps a later version of a market's table from the first instant of a month in that
// market's calendar, and the trend parameters moved. Every version starts at a month's first
// instant, so the policies it draws satisfy [Properties].
func Policy() *rapid.Generator[level.Policy] {
	return rapid.Custom(func(t *rapid.T) level.Policy {
		p := level.DefaultPolicy()
		codes := slices.Sorted(func(yield func(affrules.MarketCode) bool) {
			for c := range p.Tables {
				if !yield(c) {
					return
				}
			}
		})
		for _, code := range codes {
			mk, err := affrules.LookupMarket(code)
			if err != nil {
				continue
			}
			switch rapid.IntRange(0, 2).Draw(t, "table_"+string(code)) {
			case 0: // the default table
				continue
			case 1: // a table of the market's own, in force since always
				tl, err := affrules.NewTimeline(affrules.Effective[level.Table]{Value: table(t, mk, "table_"+string(code))})
				if err != nil {
					panic(err)
				}
				p.Tables[code] = tl
			default: // a later version from the first instant of a month
				from := affrules.NewMonth(2025, time.January).Add(rapid.IntRange(0, 47).Draw(t, "from_"+string(code))).Period(mk).Start
				tl, err := p.Tables[code].With(affrules.Effective[level.Table]{From: from, Value: table(t, mk, "later_"+string(code))})
				if err != nil {
					panic(err) // the default's one version starts at the zero instant
				}
				p.Tables[code] = tl
			}
		}
		p.Trend = level.TrendPolicy{
			SignificantDrop:  rapid.IntRange(1, levels).Draw(t, "significant_drop"),
			ConsistentMonths: rapid.IntRange(1, 24).Draw(t, "consistent_months"),
			WarnOnEither:     rapid.Bool().Draw(t, "warn_on_either"),
		}
		return p
	})
}

// table draws a valid threshold table for market mk.
func table(t *rapid.T, mk affrules.Market, label string) level.Table {
	tab := level.Table{
		Scheme:  rapid.SampledFrom([]level.Scheme{level.HighestMet, level.GMVBand}).Draw(t, label+"_scheme"),
		Breadth: rapid.SampledFrom([]level.BreadthBasis{level.ByProducts, level.ByCategories}).Draw(t, label+"_breadth"),
		Levels:  make([]level.Thresholds, levels),
	}
	capFrom := levels
	if rapid.Bool().Draw(t, label+"_with_capability") {
		capFrom = rapid.IntRange(0, levels-1).Draw(t, label+"_capability_from")
	}
	var gmv, capability int64
	var days, breadth int
	for i := range tab.Levels {
		gmv += rapid.Int64Range(0, 1_000_000).Draw(t, label+"_gmv_step")
		days = min(31, days+rapid.IntRange(0, 4).Draw(t, label+"_days_step"))
		breadth += rapid.IntRange(0, 5).Draw(t, label+"_breadth_step")
		th := level.Thresholds{GMV: decimal.New(gmv, -mk.MinorUnit), ActiveDays: days, Breadth: breadth}
		if i >= capFrom {
			capability += rapid.Int64Range(0, 10_000_000).Draw(t, label+"_capability_step")
			c := decimal.New(capability, -capabilityPlaces)
			th.Capability = &c
		}
		tab.Levels[i] = th
	}
	return tab
}
