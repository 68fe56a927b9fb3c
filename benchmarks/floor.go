package benchmarks

import (
	"math"

	"github.com/affrules/affrules"
)

// The float64 floor: each rule by hand in plain Go, rates as float64 fractions compared after a
// float division, GMV and prices as float64, category and market resolved to slice indexes
// once, no reasons. No library can beat it; it measures what a rule engine adds.

type floorElig struct {
	window             int64
	minRating          float64
	minReviews, minRef int64
	neg, ref           []float64 // by category index
}

type floorEligCase struct {
	shopOK, hasViolation bool
	at, violation        int64
	rating               float64
	cat                  int
	orders, reviews, neg int64
	refundCases, refunds int64
}

func (t *floorElig) product(c *floorEligCase) bool {
	o := float64(c.orders)
	if c.reviews >= t.minReviews && float64(c.neg)/o >= t.neg[c.cat] {
		return false
	}
	return c.refundCases < t.minRef || float64(c.refunds)/o < t.ref[c.cat]
}

func (t *floorElig) shop(c *floorEligCase) bool {
	if c.hasViolation && c.at-c.violation < t.window {
		return false
	}
	return c.rating >= t.minRating
}

type floorLevelRow struct {
	gmv            float64
	days, products int64
}

type floorLevelCase struct {
	table          []floorLevelRow
	gmv            float64
	days, products int64
}

func floorLevel(c *floorLevelCase) int {
	for i := len(c.table) - 1; i >= 0; i-- {
		r := &c.table[i]
		if c.gmv >= r.gmv && c.days >= r.days && c.products >= r.products {
			return i + 1
		}
	}
	return 0
}

type floorOffer struct {
	source             string
	start, end         int64
	everyone, approved bool
	creators, members  []string
	joined             []int64
	from               []int64
	rate               []float64
}

type floorCommCase struct {
	offers     []floorOffer // the product's, in precedence order
	creator    string
	at         int64
	attributed bool
	base       float64 // minor units
}

func floorComm(c *floorCommCase) (string, int64) {
	if !c.attributed {
		return "", 0
	}
	for k := range c.offers {
		o := &c.offers[k]
		if c.at < o.start || (o.end != 0 && c.at >= o.end) || !o.approved {
			continue
		}
		covered := o.everyone
		for _, cr := range o.creators {
			covered = covered || cr == c.creator
		}
		for j, m := range o.members {
			covered = covered || (m == c.creator && o.joined[j] <= c.at)
		}
		if !covered {
			continue
		}
		r := -1
		for j, f := range o.from {
			if f <= c.at {
				r = j
			}
		}
		if r < 0 {
			continue
		}
		return o.source, int64(math.Floor(c.base*o.rate[r] + 0.5))
	}
	return "", 0
}

func floorVariants(c *Corpus) ([]Variant, error) {
	ed, err := eligPeerData()
	if err != nil {
		return nil, err
	}
	fe := &floorElig{window: ed.WindowSeconds, minRating: ed.MinRating, minReviews: ed.MinReviews, minRef: ed.MinRefundCases}
	catIndex := map[string]int{}
	for i, cat := range categories {
		catIndex[string(cat)] = i
		fe.neg = append(fe.neg, float64(ed.NegBP[string(cat)])/10000)
		fe.ref = append(fe.ref, float64(ed.RefundBP[string(cat)])/10000)
	}
	tables, err := levelPeerData(c)
	if err != nil {
		return nil, err
	}
	ftables := map[string][]floorLevelRow{}
	for m, rows := range tables {
		mk, err := affrules.LookupMarket(affrules.MarketCode(m))
		if err != nil {
			return nil, err
		}
		for _, r := range rows { // GMV in currency units, as a float64 host holds it
			ftables[m] = append(ftables[m], floorLevelRow{gmv: float64(r.GMV) / math.Pow10(int(mk.MinorUnit)), days: r.Days, products: r.Breadth})
		}
	}
	offers, err := commPeerData(c)
	if err != nil {
		return nil, err
	}
	foffers := map[string][]floorOffer{}
	for p, os := range offers {
		for _, o := range os {
			f := floorOffer{source: o.Source, start: o.Start, end: o.End, everyone: o.Everyone, approved: o.Approved, creators: o.Creators}
			for _, m := range o.Members {
				f.members, f.joined = append(f.members, m.Creator), append(f.joined, m.Joined)
			}
			for _, r := range o.Rates {
				f.from, f.rate = append(f.from, r.From), append(f.rate, float64(r.BP)/10000)
			}
			foffers[p] = append(foffers[p], f)
		}
	}
	var out []Variant
	for _, mix := range Mixes {
		facts := eligPeerFacts(c.Elig[mix])
		ec := make([]floorEligCase, len(facts))
		for i, f := range facts {
			ec[i] = floorEligCase{shopOK: f.ShopEligible, hasViolation: f.HasViolation, at: f.At, violation: f.Violation, rating: f.Rating,
				cat: catIndex[f.Category], orders: f.Orders, reviews: f.Reviews, neg: f.Neg, refundCases: f.RefundCases, refunds: f.SellerRefunds}
		}
		lf := levelPeerFacts(c.Level[mix])
		lc := make([]floorLevelCase, len(lf))
		for i, f := range lf {
			lc[i] = floorLevelCase{table: ftables[f.Market], gmv: float64(f.GMV) / math.Pow10(int(c.Level[mix][i].MinorUnit)), days: f.Days, products: f.Products}
		}
		cf, err := commPeerFacts(c.Comm[mix])
		if err != nil {
			return nil, err
		}
		cc := make([]floorCommCase, len(cf))
		for i, f := range cf {
			cc[i] = floorCommCase{offers: foffers[f.Product], creator: f.Creator, at: f.At, attributed: f.Attributed,
				base: float64(f.Price) - float64(f.PlatformCoupon) - float64(f.SellerCoupon) - float64(f.Tax)}
		}
		out = append(out,
			Variant{Workload: WorkEligShopResult, Mix: mix, Impl: ImplFloor, Cases: len(ec),
				Answer: func(i int) (Answer, error) { return Answer{Allowed: ec[i].shopOK && fe.product(&ec[i])}, nil },
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						if c := &ec[k]; c.shopOK && fe.product(c) {
							sum++
						}
						if k++; k == len(ec) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkEligRaw, Mix: mix, Impl: ImplFloor, Cases: len(ec),
				Answer: func(i int) (Answer, error) { return Answer{Allowed: fe.shop(&ec[i]) && fe.product(&ec[i])}, nil },
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						if c := &ec[k]; fe.shop(c) && fe.product(c) {
							sum++
						}
						if k++; k == len(ec) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkLevel, Mix: mix, Impl: ImplFloor, Cases: len(lc),
				Answer: func(i int) (Answer, error) { return Answer{Level: floorLevel(&lc[i])}, nil },
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						sum += int64(floorLevel(&lc[k]))
						if k++; k == len(lc) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkCommission, Mix: mix, Impl: ImplFloor, Cases: len(cc),
				Answer: func(i int) (Answer, error) {
					s, a := floorComm(&cc[i])
					return Answer{Source: s, Amount: a}, nil
				},
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						_, a := floorComm(&cc[k])
						sum += a
						if k++; k == len(cc) {
							k = 0
						}
					}
					return sum, nil
				}},
		)
	}
	return out, nil
}
