package eligibilitytest

import (
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
)

// Market draws the code of a market registered now ([affrules.Markets]), the markets an
// evaluator built now resolves: half the time one that p overrides, if it overrides any that are
// registered.
func Market(p eligibility.Policy) *rapid.Generator[affrules.MarketCode] {
	return rapid.Deferred(func() *rapid.Generator[affrules.MarketCode] {
		var all, overridden []affrules.MarketCode
		for _, m := range affrules.Markets() {
			all = append(all, m.Code)
			if _, ok := p.Markets[m.Code]; ok {
				overridden = append(overridden, m.Code)
			}
		}
		if len(overridden) == 0 {
			return rapid.SampledFrom(all)
		}
		return rapid.OneOf(rapid.SampledFrom(all), rapid.SampledFrom(overridden))
	})
}

// Instant draws an instant at which p has thresholds in force in market, in the years 1900 to
// 2199: at or near the start of one of the versions in force there (the default timeline's and
// the market's override's, ELG-10), near the market's midnights on those days, at the market's
// daylight-saving transitions, or anywhere within a year after the first of these.
func Instant(p eligibility.Policy, market affrules.MarketCode) *rapid.Generator[time.Time] {
	loc := location(market)
	tl := p.For(market)
	var first time.Time
	var edges []time.Time
	i := 0
	for from := range tl.All() {
		if i == 0 {
			first = from
		}
		i++
		if !bounds.InRange(from) {
			continue
		}
		day := affrules.DayOf(from, loc)
		edges = append(edges, from, day.Start, day.End)
	}
	if len(edges) == 0 {
		edges = []time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, loc)}
	}
	slices.SortFunc(edges, time.Time.Compare)
	if i == 0 { // no thresholds in force at any instant: say so, rather than fail to find one
		return rapid.Custom(func(t *rapid.T) time.Time {
			t.Fatalf("eligibilitytest.Instant: the policy has no thresholds in market %q (the zero Policy has none anywhere)", market)
			return time.Time{}
		})
	}
	return affrulestest.Instant(loc, edges...).Filter(func(at time.Time) bool {
		return !at.Before(first) && bounds.InRange(at)
	})
}

// Shop draws a shop of market, with the given ID, whose facts straddle the thresholds p has in
// force there at at (which should be an instant [Instant] draws): a store rating just below, at
// or just above the minimum (ELG-2; now and then the minimum of another version in force in the
// market, so that a version applied at the wrong instant shows), or anywhere from 0 to 5; no counterfeit violation half the
// time, otherwise one just inside or just outside the window before at (ELG-1), or anywhere in
// the two windows before it, never after at; now and then a deactivated account or a previous
// state (ELG-6).
func Shop(p eligibility.Policy, market affrules.MarketCode, id string, at time.Time) *rapid.Generator[eligibility.Shop] {
	th, ok := p.At(market, at)
	if !ok {
		th = eligibility.SeedThresholds()
	}
	others := versions(p, market)
	five := decimal.NewFromInt(5)
	return rapid.Custom(func(t *rapid.T) eligibility.Shop {
		s := eligibility.Shop{ID: id, Market: market}
		if rapid.IntRange(0, 3).Draw(t, "rating_how") > 0 {
			minimum := versionOf(t, th, others).MinStoreRating
			places := max(1, -minimum.Exponent())
			s.StoreRating = affrulestest.StraddleDecimal(minimum, places).Draw(t, "store_rating")
		} else {
			s.StoreRating = decimal.New(rapid.Int64Range(0, 500).Draw(t, "store_rating_cents"), -2)
		}
		if s.StoreRating.GreaterThan(five) {
			s.StoreRating = five
		}
		s.LastCounterfeitViolation = violation(t, at, time.Duration(th.CounterfeitWindowDays)*24*time.Hour)
		s.Deactivated = rapid.IntRange(0, 19).Draw(t, "deactivated") == 19
		s.ProductBanned = rapid.IntRange(0, 9).Draw(t, "product_banned") == 9
		s.Previous = previous(t)
		return s
	})
}

// violation draws the instant of a shop's last counterfeit violation before at for a window:
// none half the time, else at the window's edge (give or take an hour, a second or a
// nanosecond) or anywhere in the two windows before at.
func violation(t *rapid.T, at time.Time, window time.Duration) time.Time {
	var v time.Time
	switch rapid.IntRange(0, 3).Draw(t, "violation_how") {
	case 0, 1:
		return time.Time{}
	case 2:
		offsets := []time.Duration{-time.Hour, -time.Second, -1, 0, 1, time.Second, time.Hour}
		v = at.Add(-window).Add(rapid.SampledFrom(offsets).Draw(t, "violation_offset"))
	default:
		v = at.Add(-time.Duration(rapid.Int64Range(0, int64(2*window)).Draw(t, "violation_age")))
	}
	if v.After(at) {
		v = at
	}
	if !bounds.InRange(v) {
		return time.Time{}
	}
	return v
}

// previous draws the state a previous run recorded: mostly none or a temporary one, now and
// then a permanent disqualification (ELG-6).
func previous(t *rapid.T) eligibility.State {
	switch rapid.IntRange(0, 19).Draw(t, "previous") {
	case 19:
		return eligibility.PermanentlyDisqualified
	case 16, 17, 18:
		return eligibility.TemporarilyDisqualified
	case 12, 13, 14, 15:
		return eligibility.Eligible
	}
	return eligibility.Unevaluated
}

// Product draws a product of shop s (its shop ID and market), with the given ID, in one of the
// categories p has limits for in s's market at at (which should be an instant [Instant] draws),
// whose counts straddle those limits (now and then those of another version in force in the
// market): negative-review orders and seller-fault refunds just
// below, at or just above the limit's share of the orders (ELG-3, ELG-4), reviews and
// return/refund cases (seller-fault cases, now and then, under min_refund_cases_seller_fault)
// just below, at or just above the applicability minimums, and counts that
// are consistent (no more negative-review orders than reviews or orders, no more seller-fault
// refunds than refund cases or orders, some orders wherever a rate rule applies); now and then a
// frozen or delisted product or a previous state (ELG-6).
func Product(p eligibility.Policy, s eligibility.Shop, id string, at time.Time) *rapid.Generator[eligibility.Product] {
	th, ok := p.At(s.Market, at)
	if !ok {
		th = eligibility.SeedThresholds()
	}
	cats := slices.Sorted(maps.Keys(th.Categories))
	others := versions(p, s.Market)
	return rapid.Custom(func(t *rapid.T) eligibility.Product {
		pr := eligibility.Product{ID: id, ShopID: s.ID, Market: s.Market}
		pr.Category = rapid.SampledFrom(cats).Draw(t, "category")
		lim, ok := versionOf(t, th, others).Categories[pr.Category]
		if !ok {
			lim = th.Categories[pr.Category]
		}
		pr.Orders = rapid.OneOf(
			rapid.SampledFrom([]int64{0, 1, 2, 99, 100, 1000}),
			rapid.Int64Range(0, 5000),
		).Draw(t, "orders")
		pr.NegativeReviewOrders, pr.Reviews = straddleShare(t, lim.NegativeReviewRate, pr.Orders, th.MinReviews, "negative_review")
		pr.SellerFaultRefunds, pr.RefundCases = straddleShare(t, lim.SellerFaultRefundRate, pr.Orders, th.MinRefundCases, "seller_fault_refund")
		if th.RefundRateOfCases { // ELG-4 by cases: straddle the limit on them instead
			pr.RefundCases = affrulestest.Straddle(th.MinRefundCases).Filter(func(n int64) bool { return n >= 0 }).Draw(t, "refund_cases")
			at := lim.SellerFaultRefundRate.Decimal().Mul(decimal.NewFromInt(pr.RefundCases)).Ceil().IntPart()
			pr.SellerFaultRefunds = min(affrulestest.Straddle(at).Filter(func(n int64) bool { return n >= 0 }).Draw(t, "seller_fault_cases"), pr.RefundCases, pr.Orders)
		}
		if th.MinRefundCasesSellerFault && rapid.Bool().Draw(t, "straddle_seller_fault_minimum") {
			// ELG-4's minimum counts the seller-fault cases: straddle it on them.
			pr.SellerFaultRefunds = affrulestest.Straddle(th.MinRefundCases).Draw(t, "seller_fault_at_minimum")
			pr.RefundCases, pr.Orders = max(pr.RefundCases, pr.SellerFaultRefunds), max(pr.Orders, pr.SellerFaultRefunds)
		}
		if pr.Orders == 0 && (pr.Reviews >= th.MinReviews || pr.RefundCases >= th.MinRefundCases) {
			pr.Orders = max(pr.NegativeReviewOrders, pr.SellerFaultRefunds, 1) // a rate rule applies: orders are needed (ELG-5)
		}
		pr.Frozen = rapid.IntRange(0, 19).Draw(t, "frozen") == 19
		pr.Delisted = rapid.IntRange(0, 19).Draw(t, "delisted") == 19
		pr.Previous = previous(t)
		return pr
	})
}

// versions returns every version of p in force in market at some instant.
func versions(p eligibility.Policy, market affrules.MarketCode) []eligibility.Thresholds {
	var out []eligibility.Thresholds
	for _, th := range p.For(market).All() {
		out = append(out, th)
	}
	return out
}

// versionOf draws the thresholds whose limits a generator straddles: most often th, those in force
// at the instant, otherwise one of the market's other versions, so that an evaluator that applies
// the wrong version is caught at its limits.
func versionOf(t *rapid.T, th eligibility.Thresholds, others []eligibility.Thresholds) eligibility.Thresholds {
	if len(others) < 2 || rapid.IntRange(0, 2).Draw(t, "version_of") < 2 {
		return th
	}
	return rapid.SampledFrom(others).Draw(t, "other_version")
}

// straddleShare draws a count of orders just below, at or just above rate's share of orders
// (or anywhere up to all of them), and a total (reviews or return/refund cases) of at least that
// count that straddles minimum.
func straddleShare(t *rapid.T, rate affrules.Rate, orders, minimum int64, label string) (part, total int64) {
	at := rate.Decimal().Mul(decimal.NewFromInt(orders)).Ceil().IntPart() // the fewest that fail
	part = min(affrulestest.Straddle(at).Draw(t, label+"_orders"), orders)
	total = max(part, affrulestest.Straddle(minimum).Draw(t, label+"_total"))
	return part, total
}

// Policy draws a valid policy as a host would make one from [eligibility.DefaultPolicy]: its
// thresholds moved (the counterfeit window, the minimum store rating, the applicability minimums
// and each category's limits), perhaps a category added, perhaps a later default version, the
// Thai guide's override added (or another drawn for TH) or not, and perhaps an override for another market. Every
// version names the same categories, and every override starts at a midnight of its market, so
// the policies it draws satisfy [Properties].
func Policy() *rapid.Generator[eligibility.Policy] {
	return rapid.Custom(func(t *rapid.T) eligibility.Policy {
		cats := []affrules.Category{affrules.Electronics, affrules.Fashion, affrules.Lifestyle, affrules.FMCG}
		if rapid.Bool().Draw(t, "extra_category") {
			cats = append(cats, "beauty")
		}
		def := []affrules.Effective[eligibility.Thresholds]{{Value: thresholds(t, eligibility.SeedThresholds(), cats, "default")}}
		if rapid.Bool().Draw(t, "later_default") {
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, 2*365*24).Draw(t, "later_default_hours")) * time.Hour)
			def = append(def, affrules.Effective[eligibility.Thresholds]{From: from, Value: thresholds(t, eligibility.SeedThresholds(), cats, "later_default")})
		}
		tl, err := affrules.NewTimeline(def...)
		if err != nil {
			panic(err) // the versions are in order by construction
		}
		p := eligibility.Policy{PerMarket: affrules.PerMarket[eligibility.Thresholds]{Default: tl}}
		switch rapid.IntRange(0, 2).Draw(t, "thai") {
		case 0: // the Thai guide's override, with the categories drawn
			th := eligibility.ThaiThresholds()
			if len(cats) > 4 {
				th.Categories["beauty"] = th.Categories[affrules.Lifestyle]
			}
			p = override(p, affrules.TH, eligibility.ThaiGuideEffective(), th)
		case 1: // another Thai override from another Bangkok midnight
			p = override(p, affrules.TH, midnight(t, affrules.TH, "thai_from"), thresholds(t, eligibility.ThaiThresholds(), cats, "thai"))
		}
		if rapid.Bool().Draw(t, "other_override") {
			m := rapid.SampledFrom([]affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.PH, affrules.SG}).Draw(t, "other_market")
			p = override(p, m, midnight(t, m, "other_from"), thresholds(t, eligibility.SeedThresholds(), cats, "other"))
		}
		return p
	})
}

func override(p eligibility.Policy, m affrules.MarketCode, from time.Time, th eligibility.Thresholds) eligibility.Policy {
	out, err := p.WithOverride(m, from, th)
	if err != nil {
		panic(err) // one version per market, so always in order
	}
	return out
}

// midnight draws a midnight of market m (the start of a market day, MKT-2) in 2025 to 2027,
// now and then on a daylight-saving day.
func midnight(t *rapid.T, m affrules.MarketCode, label string) time.Time {
	loc := location(m)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	if ts := affrulestest.Transitions(loc, start, start.AddDate(3, 0, 0)); len(ts) > 0 && rapid.IntRange(0, 3).Draw(t, label+"_dst") == 0 {
		return affrules.DayOf(rapid.SampledFrom(ts).Draw(t, label+"_transition"), loc).Start
	}
	return affrules.DayOf(start.AddDate(0, 0, rapid.IntRange(0, 3*365).Draw(t, label+"_day")), loc).Start
}

// atLeastOne keeps a minimum count Validate accepts (ELG-3, ELG-4 apply from one review or case).
func atLeastOne(n int64) bool { return n >= 1 }

// thresholds draws thresholds near base for the categories given: each field kept or moved.
func thresholds(t *rapid.T, base eligibility.Thresholds, cats []affrules.Category, label string) eligibility.Thresholds {
	th := eligibility.Thresholds{
		CounterfeitWindowDays: int(affrulestest.Straddle(int64(base.CounterfeitWindowDays)).Filter(func(n int64) bool { return n >= 1 }).Draw(t, label+"_window_days")),
		MinStoreRating:        decimal.New(rapid.Int64Range(0, 50).Draw(t, label+"_min_rating_tenths"), -1),
		MinReviews:            affrulestest.Straddle(base.MinReviews).Filter(atLeastOne).Draw(t, label+"_min_reviews"),
		MinRefundCases:        affrulestest.Straddle(base.MinRefundCases).Filter(atLeastOne).Draw(t, label+"_min_refund_cases"),
		Categories:            make(map[affrules.Category]eligibility.Limits, len(cats)),
	}
	// ELG-4 by return/refund cases now and then.
	th.RefundRateOfCases = rapid.IntRange(0, 3).Draw(t, label+"_refund_rate_of_cases") == 3
	th.MinRefundCasesSellerFault = rapid.IntRange(0, 3).Draw(t, label+"_min_refund_cases_seller_fault") == 3
	th.ProductBanDisqualifiesShop = rapid.Bool().Draw(t, label+"_product_ban_disqualifies_shop")
	for _, c := range cats {
		lim, ok := base.Categories[c]
		if !ok || rapid.Bool().Draw(t, label+"_move_"+string(c)) {
			lim = eligibility.Limits{NegativeReviewRate: basisPoints(t, label+"_negative_"+string(c)), SellerFaultRefundRate: basisPoints(t, label+"_refund_"+string(c))}
		}
		th.Categories[c] = lim
	}
	return th
}

// basisPoints draws a rate from 0.01% to 10% in steps of 0.01%.
func basisPoints(t *rapid.T, label string) affrules.Rate {
	r, err := affrules.RateFromDecimal(decimal.New(rapid.Int64Range(1, 1000).Draw(t, label), -4))
	if err != nil {
		panic(err) // 0.01% to 10% is a rate
	}
	return r
}

// location is market's time zone, UTC for an unknown market.
func location(m affrules.MarketCode) *time.Location {
	mk, err := affrules.LookupMarket(m)
	if err != nil {
		return time.UTC
	}
	return mk.Location()
}
