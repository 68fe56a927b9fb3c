package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// CorpusSize is the number of cases of each workload and mix; the timed loops cycle through them.
const CorpusSize = 1024

// The three mixes of every workload.
const (
	MixPass  = "pass"  // every case allowed, or a level above L0, or a commission earned
	MixFail  = "fail"  // every case denied, L0, or nothing earned
	MixDaily = "daily" // a daily run: mostly passing, some failing
)

// Mixes lists the mixes in the order they are reported.
var Mixes = []string{MixPass, MixFail, MixDaily}

// EligCase is one product of a daily eligibility run (ELG-1..5) with its shop and the shop's
// result as affrules evaluated it at At.
type EligCase struct {
	Shop       eligibility.Shop
	Product    eligibility.Product
	At         time.Time
	ShopResult eligibility.Result
}

// LevelCase is one creator's performance in February 2026, assigned a level for March (LVL-2).
type LevelCase struct {
	Market     affrules.MarketCode
	Month      affrules.Month // the month the level is for
	Totals     level.Totals   // the creator's totals for the month before, as the host holds them
	GMVUnits   int64          // GMV in minor units of the market's currency
	MinorUnit  int32
	ActiveDays int
	Products   int
}

// CommCase is one order line resolved and computed at At against a book of offers (COM-3..5,
// COM-1).
type CommCase struct {
	Order commission.Order
	At    time.Time
}

// Corpus is the generated input of every workload and mix, with the data (thresholds, tables,
// offers) every implementation is given.
type Corpus struct {
	Elig  map[string][]EligCase
	Level map[string][]LevelCase
	Comm  map[string][]CommCase

	EligPolicy  eligibility.Policy
	LevelPolicy level.Policy
	CommPolicy  commission.Policy
	Offers      []commission.Offer
}

var (
	eligMarkets = []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG}
	categories  = []affrules.Category{affrules.Electronics, affrules.Fashion, affrules.Lifestyle, affrules.FMCG}
	t0          = time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC)
)

// NewCorpus generates the corpus from seed: the same seed gives the same cases.
func NewCorpus(seed uint64) (*Corpus, error) {
	c := &Corpus{
		Elig: map[string][]EligCase{}, Level: map[string][]LevelCase{}, Comm: map[string][]CommCase{},
		EligPolicy: eligibility.DefaultPolicy(), LevelPolicy: level.DefaultPolicy(), CommPolicy: commission.DefaultPolicy(),
	}
	ee, err := eligibility.New(c.EligPolicy)
	if err != nil {
		return nil, err
	}
	le, err := level.New(c.LevelPolicy)
	if err != nil {
		return nil, err
	}
	ce, err := commission.New(c.CommPolicy)
	if err != nil {
		return nil, err
	}
	c.Offers = genOffers(rand.New(rand.NewPCG(seed, 100)))
	book, err := ce.Prepare(c.Offers...)
	if err != nil {
		return nil, err
	}
	for k, mix := range Mixes {
		if c.Elig[mix], err = genElig(rand.New(rand.NewPCG(seed, uint64(k))), ee, mix); err != nil {
			return nil, err
		}
		if c.Level[mix], err = genLevel(rand.New(rand.NewPCG(seed, uint64(10+k))), le, c.LevelPolicy, mix); err != nil {
			return nil, err
		}
		if c.Comm[mix], err = genComm(rand.New(rand.NewPCG(seed, uint64(20+k))), ce, book, mix); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// perTenThousand returns r in units of 0.01 %, or an error if r is finer than that.
func perTenThousand(r affrules.Rate) (int64, error) {
	d := r.Decimal().Shift(4)
	if !d.Equal(d.Truncate(0)) {
		return 0, fmt.Errorf("benchmarks: rate %s is finer than 0.01%%", r)
	}
	return d.IntPart(), nil
}

// Eligibility: the default policy applies the seed thresholds in every market, so one threshold
// table describes every case.

func genElig(rng *rand.Rand, e *eligibility.Evaluator, mix string) ([]EligCase, error) {
	th := eligibility.SeedThresholds()
	out := make([]EligCase, 0, CorpusSize)
	for i := 0; len(out) < CorpusSize; i++ {
		shopFails, productFails := false, false
		switch r := rng.IntN(100); mix {
		case MixFail:
			shopFails, productFails = r < 40, r >= 30
		case MixDaily:
			shopFails, productFails = r < 4, r >= 4 && r < 16
		}
		at := t0.Add(time.Duration(rng.Int64N(60*86400)) * time.Second)
		cat := categories[rng.IntN(len(categories))]
		lim := th.Categories[cat]
		negBP, err := perTenThousand(lim.NegativeReviewRate)
		if err != nil {
			return nil, err
		}
		refBP, err := perTenThousand(lim.SellerFaultRefundRate)
		if err != nil {
			return nil, err
		}
		m := eligMarkets[rng.IntN(len(eligMarkets))]
		elg1, elg2 := false, false // which shop rule fails
		if shopFails {
			switch rng.IntN(3) {
			case 0:
				elg1 = true
			case 1:
				elg2 = true
			default:
				elg1, elg2 = true, true
			}
		}
		s := eligibility.Shop{ID: fmt.Sprint("s-", i), Market: m, StoreRating: genRating(rng, !elg2)}
		window := time.Duration(th.CounterfeitWindowDays) * 24 * time.Hour
		switch {
		case elg1:
			// a violation within (at − window, at], its edges included
			v := []time.Duration{0, window - time.Second, time.Duration(rng.Int64N(int64(window/time.Second))) * time.Second}[rng.IntN(3)]
			s.LastCounterfeitViolation = at.Add(-v)
		case rng.IntN(2) == 0:
			// an old violation: exactly the window ago passes (MKT-3)
			v := []time.Duration{window, window + time.Second, window + time.Duration(rng.Int64N(400*86400))*time.Second}[rng.IntN(3)]
			s.LastCounterfeitViolation = at.Add(-v)
		}
		p := eligibility.Product{ID: fmt.Sprint("p-", i), ShopID: s.ID, Market: m, Category: cat, Orders: 20 + rng.Int64N(5000)}
		elg3, elg4 := productFails, productFails
		if productFails {
			switch rng.IntN(3) {
			case 0:
				elg4 = false
			case 1:
				elg3 = false
			}
		}
		p.Reviews, p.NegativeReviewOrders = genCount(rng, p.Orders, negBP, th.MinReviews, elg3)
		p.RefundCases, p.SellerFaultRefunds = genCount(rng, p.Orders, refBP, th.MinRefundCases, elg4)
		shop, err := e.Shop(s, at)
		if err != nil {
			return nil, err
		}
		r, err := e.Product(p, shop, at)
		if err != nil {
			return nil, err
		}
		if r.Eligible() == (shopFails || productFails) {
			return nil, fmt.Errorf("benchmarks: eligibility case %d: generated to fail %v, affrules says %s", i, shopFails || productFails, r.Decision)
		}
		out = append(out, EligCase{Shop: s, Product: p, At: at, ShopResult: shop})
	}
	return out, nil
}

// genRating returns a store rating at least 2.5 (ELG-2) when pass, below it otherwise; the edges
// are drawn often.
func genRating(rng *rand.Rand, pass bool) decimal.Decimal {
	if pass {
		return decimal.RequireFromString([]string{"2.5", "2.50", "2.51", "3", "3.7", "4.25", "4.6", "4.9", "5"}[rng.IntN(9)])
	}
	return decimal.RequireFromString([]string{"2.49", "2.4", "0", "1.25", "2", "2.499"}[rng.IntN(6)])
}

// genCount returns a population (reviews or refund cases) and the part of it counted against the
// rate limit bp (per 10,000 orders), so that the rule (ELG-3 or ELG-4) fails when fail is set and
// passes or does not apply (below min) otherwise. The edges (just below the limit, exactly at
// it, exactly min) are drawn often.
func genCount(rng *rand.Rand, orders, bp, min int64, fail bool) (population, counted int64) {
	// the smallest count that is not strictly below the limit: count × 10,000 ≥ bp × orders
	atLimit := (bp*orders + 9999) / 10000
	if fail {
		counted = atLimit
		if rng.IntN(3) > 0 {
			counted += rng.Int64N(orders - atLimit + 1)
		}
		return max(counted, min) + rng.Int64N(50), counted
	}
	if rng.IntN(5) == 0 { // not applicable: below the minimum, whatever the rate
		population = rng.Int64N(min)
		return population, rng.Int64N(population + 1)
	}
	if atLimit > 0 {
		counted = atLimit - 1
		if rng.IntN(3) > 0 {
			counted = rng.Int64N(atLimit)
		}
	}
	population = max(counted, min)
	if rng.IntN(4) > 0 {
		population += rng.Int64N(2000)
	}
	return population, counted
}

// Levels: the default tables of every market, March 2026 from February's performance.

var levelMarkets = []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG}

// LevelTable returns the thresholds of L1 … L8 in force in market m for month, GMV in minor units.
func LevelTable(p level.Policy, m affrules.MarketCode, month affrules.Month) ([]LevelRow, error) {
	mk, err := affrules.LookupMarket(m)
	if err != nil {
		return nil, err
	}
	t, ok := p.Tables[m].At(month.Period(mk).Start)
	if !ok {
		return nil, fmt.Errorf("benchmarks: no level table for %s", m)
	}
	if t.Scheme != level.HighestMet || (t.Breadth != level.ByProducts && t.Breadth != "") {
		return nil, fmt.Errorf("benchmarks: the %s table is not highest-met by products", m)
	}
	rows := make([]LevelRow, len(t.Levels))
	for i, l := range t.Levels {
		if l.Capability != nil {
			return nil, fmt.Errorf("benchmarks: the %s table sets a capability threshold", m)
		}
		rows[i] = LevelRow{Level: int64(i + 1), GMV: l.GMV.Shift(mk.MinorUnit).IntPart(), Days: int64(l.ActiveDays), Breadth: int64(l.Breadth)}
	}
	return rows, nil
}

// LevelRow is one level's thresholds (LVL-2) as the peers and the floor are given them.
type LevelRow struct {
	Level, GMV, Days, Breadth int64
}

var (
	feb2026   = affrules.NewMonth(2026, time.February)
	march2026 = affrules.NewMonth(2026, time.March)
)

func genLevel(rng *rand.Rand, e *level.Evaluator, p level.Policy, mix string) ([]LevelCase, error) {
	out := make([]LevelCase, 0, CorpusSize)
	for i := 0; len(out) < CorpusSize; i++ {
		m := levelMarkets[rng.IntN(len(levelMarkets))]
		mk, err := affrules.LookupMarket(m)
		if err != nil {
			return nil, err
		}
		rows, err := LevelTable(p, m, march2026)
		if err != nil {
			return nil, err
		}
		var want int
		switch mix {
		case MixPass:
			want = 1 + rng.IntN(8)
		case MixDaily:
			want = []int{0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8}[rng.IntN(16)]
		}
		var gmv, days, products int64
		if want == 0 {
			// below L1: no active day or no product, the rest anything
			gmv, days, products = rng.Int64N(rows[2].GMV+1), rng.Int64N(29), rng.Int64N(20)
			if rng.IntN(2) == 0 {
				days = 0
			} else {
				products = 0
			}
		} else {
			r := rows[want-1]
			gmv, days, products = r.GMV, r.Days, r.Breadth
			if rng.IntN(3) > 0 {
				gmv += rng.Int64N(max(r.GMV/2, 100))
				days += rng.Int64N(3)
				products += rng.Int64N(3)
			}
			if want < len(rows) { // miss the next level on one threshold that rises
				next := rows[want]
				var rising []int
				for d, up := range []bool{next.GMV > r.GMV, next.Days > r.Days, next.Breadth > r.Breadth} {
					if up {
						rising = append(rising, d)
					}
				}
				switch rising[rng.IntN(len(rising))] {
				case 0:
					gmv = r.GMV + rng.Int64N(next.GMV-r.GMV)
				case 1:
					days = r.Days + rng.Int64N(next.Days-r.Days)
				default:
					products = r.Breadth + rng.Int64N(next.Breadth-r.Breadth)
				}
			}
			days = min(days, 28)
		}
		totals := level.Totals{GMV: decimal.New(gmv, -mk.MinorUnit), ActiveDays: int(days), Products: int(products), Categories: min(int(products), 3)}
		perf, err := level.NewPerformance(m, feb2026, totals)
		if err != nil {
			return nil, err
		}
		got, err := e.Assign(m, march2026, perf)
		if err != nil {
			return nil, err
		}
		if int(got) != want {
			return nil, fmt.Errorf("benchmarks: level case %d generated for L%d, affrules says %s", i, want, got)
		}
		out = append(out, LevelCase{Market: m, Month: march2026, Totals: totals, GMVUnits: gmv, MinorUnit: mk.MinorUnit, ActiveDays: int(days), Products: int(products)})
	}
	return out, nil
}

// Commission: 32 products in four markets, each with some of the four sources. Open rates only
// ever rise, so COM-10's delay of a decrease (and a return from a Collaboration Plus making a new
// promoter) never changes an answer: the peers implement COM-3..5, not COM-10.

var (
	commMarkets = []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.TH}
	creators    = []string{"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"}
)

const commProducts = 32

func genRates(rng *rand.Rand, start time.Time, rising bool) affrules.Timeline[commission.Terms] {
	n := 1 + rng.IntN(3)
	es := make([]affrules.Effective[commission.Terms], n)
	pct := 2 + rng.IntN(20)
	from := start
	for i := range es {
		if i > 0 {
			from = from.Add(time.Duration(1+rng.IntN(40)) * 24 * time.Hour)
			if rising {
				pct += 1 + rng.IntN(5)
			} else {
				pct = 2 + rng.IntN(40)
			}
		}
		rate := affrules.MustParseRate(fmt.Sprintf("%d.%d%%", pct, []int{0, 5, 25}[rng.IntN(3)]))
		es[i] = affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: rate}}
	}
	tl, err := affrules.NewTimeline(es...)
	if err != nil {
		panic(err) // increasing instants by construction
	}
	return tl
}

func pick(rng *rand.Rand) []string {
	var out []string
	for _, c := range creators {
		if rng.IntN(3) == 0 {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = append(out, creators[rng.IntN(len(creators))])
	}
	return out
}

func genOffers(rng *rand.Rand) []commission.Offer {
	var offers []commission.Offer
	day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }
	for k := range commProducts {
		m, product := commMarkets[k%len(commMarkets)], fmt.Sprint("p", k)
		if rng.IntN(10) > 0 {
			start := t0
			if rng.IntN(4) == 0 {
				start = day(30 + rng.IntN(30))
			}
			offers = append(offers, commission.Offer{ID: product + "-open", Source: commission.Open, Market: m, Product: product,
				Coverage: commission.Everyone, Period: affrules.Period{Start: start}, Rates: genRates(rng, start, true)})
		}
		if rng.IntN(5) < 3 {
			start := day(rng.IntN(40))
			offers = append(offers, commission.Offer{ID: product + "-target", Source: commission.Target, Market: m, Product: product,
				Coverage: commission.Listed, Creators: pick(rng), Period: affrules.Period{Start: start, End: start.Add(time.Duration(20+rng.IntN(80)) * 24 * time.Hour)},
				Rates: genRates(rng, start, false)})
		}
		if rng.IntN(2) == 0 {
			start := day(rng.IntN(40))
			rates := genRates(rng, start, false)
			es := slices.Collect(func(yield func(affrules.Effective[commission.Terms]) bool) {
				for from, t := range rates.All() {
					t.PartnerShare = affrules.MustParseRate("30%")
					if !yield(affrules.Effective[commission.Terms]{From: from, Value: t}) {
						return
					}
				}
			})
			rates, _ = affrules.NewTimeline(es...)
			offers = append(offers, commission.Offer{ID: product + "-partner", Source: commission.Partner, Market: m, Product: product,
				Coverage: commission.Listed, Creators: pick(rng), Approved: rng.IntN(5) > 0,
				Period: affrules.Period{Start: start, End: start.Add(time.Duration(20+rng.IntN(80)) * 24 * time.Hour)}, Rates: rates})
		}
		if rng.IntN(2) == 0 {
			start := day(rng.IntN(40))
			end := start.Add(time.Duration(14+rng.IntN(60)) * 24 * time.Hour)
			var members []commission.Member
			for _, c := range pick(rng) {
				members = append(members, commission.Member{Creator: c, Joined: start.Add(time.Duration(rng.Int64N(int64(end.Sub(start)/time.Second))) * time.Second)})
			}
			o := commission.Offer{ID: product + "-plus", Source: commission.CollabPlus, Market: m, Product: product,
				Coverage: commission.Members, Members: members, Period: affrules.Period{Start: start, End: end}}
			if rng.IntN(4) > 0 { // else no exclusive rate (COM-4)
				o.Rates = genRates(rng, start, false)
			}
			offers = append(offers, o)
		}
	}
	return offers
}

func genComm(rng *rand.Rand, e *commission.Evaluator, book *commission.Book, mix string) ([]CommCase, error) {
	out := make([]CommCase, 0, CorpusSize)
	for i := 0; len(out) < CorpusSize; i++ {
		if i > 200*CorpusSize {
			return nil, fmt.Errorf("benchmarks: the %s commission mix cannot be drawn", mix)
		}
		k := rng.IntN(commProducts)
		m := commMarkets[k%len(commMarkets)]
		mk, err := affrules.LookupMarket(m)
		if err != nil {
			return nil, err
		}
		at := t0.Add(time.Duration(rng.Int64N(140*86400)) * time.Second)
		price := 100 + rng.Int64N(10_000_000)
		pc, sc := rng.Int64N(price/10+1), rng.Int64N(price/20+1)
		tax := rng.Int64N((price-pc-sc)/11 + 1)
		d := func(u int64) decimal.Decimal { return decimal.New(u, -mk.MinorUnit) }
		o := commission.Order{ID: fmt.Sprint("line-", i), Creator: creators[rng.IntN(len(creators))], Product: fmt.Sprint("p", k), Market: m,
			Attributed: rng.IntN(40) > 0, OrderCount: 1, PromotingSince: at.Add(-time.Duration(rng.Int64N(int64(10 * 24 * time.Hour)))),
			Currency: mk.Currency, Price: d(price), PlatformCoupon: d(pc), SellerCoupon: d(sc), Tax: d(tax), Shipping: d(300)}
		if mix == MixFail && rng.IntN(4) == 0 {
			o.Attributed = false
		}
		if o.PromotingSince.Before(t0) {
			o.PromotingSince = t0
		}
		c, err := e.Compute(book, o, at)
		if err != nil {
			return nil, err
		}
		switch {
		case mix == MixPass && !c.Earned(), mix == MixFail && c.Earned(), mix == MixDaily && !c.Earned() && rng.IntN(3) > 0:
			continue
		}
		if c.Earned() {
			// No exact half of a minor unit: a float64 floor cannot round those the way exact
			// arithmetic does, so the corpus leaves them out (see the package doc).
			bp, err := perTenThousand(c.Rate)
			if err != nil {
				return nil, err
			}
			if base := price - pc - sc - tax; base*bp%10000 == 5000 {
				continue
			}
		}
		out = append(out, CommCase{Order: o, At: at})
	}
	return out, nil
}
