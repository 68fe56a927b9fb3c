package benchmarks

import (
	"fmt"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// affrules, set up as a host would: evaluators built once from the default policies, a book of
// the offers prepared once, inputs as the library's own types. Every eligibility result carries
// its reasons (typed, with observed values and limits); a commission's Resolution carries every
// candidate's outcome, its reasons built when asked for (the explanation workload asks).

func affrulesVariants(c *Corpus) ([]Variant, error) {
	ee, ce, book, err := setUp(c)
	if err != nil {
		return nil, err
	}
	le, err := level.New(c.LevelPolicy)
	if err != nil {
		return nil, err
	}
	// The agreement check's arrays, reused from case to case as the timed loops reuse theirs.
	var agreeBuf, agreeShopBuf []affrules.Reason
	var out []Variant
	for _, mix := range Mixes {
		ec, lc, cc := c.Elig[mix], c.Level[mix], c.Comm[mix]
		out = append(out,
			Variant{Workload: WorkEligShopResult, Mix: mix, Impl: ImplAffrules, Cases: len(ec),
				Answer: func(i int) (Answer, error) { // the call the loop times, into a reused array
					var r eligibility.Result
					err := ee.ProductInto(&r, agreeBuf[:0], &ec[i].Product, &ec[i].ShopResult, ec[i].At)
					if r.Decision.Reasons != nil {
						agreeBuf = r.Decision.Reasons
					}
					return Answer{Allowed: r.Eligible()}, err
				},
				Loop: func(n int) (int64, error) {
					var sum int64
					var buf []affrules.Reason // one array for every result's reasons, reused
					var r eligibility.Result  // one result, overwritten by each product
					for i, k := 0, 0; i < n; i++ {
						c := &ec[k]
						if err := ee.ProductInto(&r, buf[:0], &c.Product, &c.ShopResult, c.At); err != nil {
							return 0, err
						}
						sum += int64(len(r.Decision.Reasons))
						if r.Decision.Reasons != nil {
							buf = r.Decision.Reasons
						}
						if k++; k == len(ec) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkEligRaw, Mix: mix, Impl: ImplAffrules, Cases: len(ec),
				Answer: func(i int) (Answer, error) {
					r, err := rawResult(ee, &ec[i], &agreeShopBuf, &agreeBuf)
					return Answer{Allowed: r.Eligible()}, err
				},
				Loop: eligRawLoop(ee, ec)},
			Variant{Workload: WorkLevel, Mix: mix, Impl: ImplAffrules, Cases: len(lc),
				Answer: func(i int) (Answer, error) { return levelOf(le, &lc[i]) },
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						c := &lc[k]
						// The host's totals checked and converted (NewPerformance), then the level.
						p, err := level.NewPerformance(c.Market, c.Month.Add(-1), c.Totals)
						if err != nil {
							return 0, err
						}
						l, err := le.Assign(c.Market, c.Month, p)
						if err != nil {
							return 0, err
						}
						sum += int64(l)
						if k++; k == len(lc) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkCommission, Mix: mix, Impl: ImplAffrules, Cases: len(cc),
				Answer: func(i int) (Answer, error) { // the call the loop times
					var r commission.Commission
					err := ce.ComputeInto(&r, book, &cc[i].Order, cc[i].At)
					return commAnswer(&r), err
				},
				Loop: func(n int) (int64, error) {
					var sum int64
					var r commission.Commission // one result, overwritten by each order line
					for i, k := 0, 0; i < n; i++ {
						c := &cc[k]
						if err := ce.ComputeInto(&r, book, &c.Order, c.At); err != nil {
							return 0, err
						}
						sum += r.Amount.Units
						if k++; k == len(cc) {
							k = 0
						}
					}
					return sum, nil
				}},
		)
	}
	ec, cc := c.Elig[MixFail], c.Comm[MixFail]
	out = append(out,
		Variant{Workload: WorkExplainElig, Mix: MixFail, Impl: ImplAffrules, Cases: len(ec),
			Answer: func(i int) (Answer, error) {
				r, err := rawResult(ee, &ec[i], &agreeShopBuf, &agreeBuf)
				if err == nil && len(r.Decision.Reasons) == 0 {
					err = fmt.Errorf("benchmarks: %s denied without a reason", ec[i].Product.ID)
				}
				return Answer{Allowed: r.Eligible()}, err
			},
			Loop: eligRawLoop(ee, ec)},
		Variant{Workload: WorkExplainComm, Mix: MixFail, Impl: ImplAffrules, Cases: len(cc),
			Answer: func(i int) (Answer, error) { // the calls the loop times
				var r commission.Commission
				err := ce.ComputeInto(&r, book, &cc[i].Order, cc[i].At)
				if err == nil && len(r.Decision().Reasons) == 0 {
					err = fmt.Errorf("benchmarks: %s earns nothing without a reason", cc[i].Order.ID)
				}
				return commAnswer(&r), err
			},
			Loop: func(n int) (int64, error) {
				var sum int64
				var r commission.Commission
				for i, k := 0, 0; i < n; i++ {
					c := &cc[k]
					if err := ce.ComputeInto(&r, book, &c.Order, c.At); err != nil {
						return 0, err
					}
					sum += int64(len(r.Decision().Reasons))
					if k++; k == len(cc) {
						k = 0
					}
				}
				return sum, nil
			}},
	)
	return out, nil
}

// eligByValue is the by-value variant of an eligibility workload on mix, whose cases ec eval
// evaluates.
func eligByValue(workload, mix string, ec []EligCase, eval func(*EligCase) (eligibility.Result, error)) Variant {
	return Variant{Workload: workload, Mix: mix, Impl: ImplByValue, Cases: len(ec),
		Answer: func(i int) (Answer, error) {
			r, err := eval(&ec[i])
			return Answer{Allowed: r.Eligible()}, err
		},
		Loop: func(n int) (int64, error) {
			var sum int64
			for i, k := 0, 0; i < n; i++ {
				r, err := eval(&ec[k])
				if err != nil {
					return 0, err
				}
				sum += int64(len(r.Decision.Reasons))
				if k++; k == len(ec) {
					k = 0
				}
			}
			return sum, nil
		}}
}

// setUp builds the eligibility and commission evaluators from the corpus's policies and prepares
// the book of its offers, once, as a host does.
func setUp(c *Corpus) (*eligibility.Evaluator, *commission.Evaluator, *commission.Book, error) {
	ee, err := eligibility.New(c.EligPolicy)
	if err != nil {
		return nil, nil, nil, err
	}
	ce, err := commission.New(c.CommPolicy)
	if err != nil {
		return nil, nil, nil, err
	}
	book, err := ce.Prepare(c.Offers...)
	return ee, ce, book, err
}

// levelOf is the level of case c as the timed loop finds it: the performance built from the
// host's totals, then assigned.
func levelOf(le *level.Evaluator, c *LevelCase) (Answer, error) {
	p, err := level.NewPerformance(c.Market, c.Month.Add(-1), c.Totals)
	if err != nil {
		return Answer{}, err
	}
	l, err := le.Assign(c.Market, c.Month, p)
	return Answer{Level: int(l)}, err
}

func commAnswer(r *commission.Commission) Answer {
	if !r.Earned() {
		return Answer{Amount: r.Amount.Units}
	}
	return Answer{Source: r.Source.String(), Amount: r.Amount.Units}
}

// rawResult evaluates case c from raw shop facts with the calls eligRawLoop times (ShopInto,
// then ProductInto), the reasons written into *shopBuf's and *buf's arrays, reused from call to
// call as the loop reuses its own.
func rawResult(ee *eligibility.Evaluator, c *EligCase, shopBuf, buf *[]affrules.Reason) (eligibility.Result, error) {
	var shop eligibility.Result
	if err := ee.ShopInto(&shop, (*shopBuf)[:0], &c.Shop, c.At); err != nil {
		return eligibility.Result{}, err
	}
	if shop.Decision.Reasons != nil {
		*shopBuf = shop.Decision.Reasons
	}
	var r eligibility.Result
	err := ee.ProductInto(&r, (*buf)[:0], &c.Product, &shop, c.At)
	if r.Decision.Reasons != nil {
		*buf = r.Decision.Reasons
	}
	return r, err
}

// eligRawLoop is the timed loop of eligibility from raw shop facts: Shop then Product for each
// case in turn, with every reason built. Each result is done with before the next, as in a daily
// run that stores each as it goes, so the shop's and the product's reasons are written into two
// arrays reused from case to case, and the shop's and the product's results into two reused
// Results (ShopInto and ProductInto, which take the shop, the product and the shop result by
// pointer).
func eligRawLoop(ee *eligibility.Evaluator, ec []EligCase) func(n int) (int64, error) {
	return func(n int) (int64, error) {
		var sum int64
		var shopBuf, buf []affrules.Reason
		var shop, r eligibility.Result // one shop and one product result, overwritten by each case
		for i, k := 0, 0; i < n; i++ {
			c := &ec[k]
			if err := ee.ShopInto(&shop, shopBuf[:0], &c.Shop, c.At); err != nil {
				return 0, err
			}
			if shop.Decision.Reasons != nil {
				shopBuf = shop.Decision.Reasons
			}
			if err := ee.ProductInto(&r, buf[:0], &c.Product, &shop, c.At); err != nil {
				return 0, err
			}
			if r.Decision.Reasons != nil {
				buf = r.Decision.Reasons
			}
			sum += int64(len(r.Decision.Reasons))
			if k++; k == len(ec) {
				k = 0
			}
		}
		return sum, nil
	}
}

// byValueVariants are affrules through the calls a host starts with, those of the package docs'
// first examples: Evaluator.Shop and Evaluator.Product, which take the shop, the product and the
// shop result by value and return a result whose reasons are in an array of their own, allocated
// for each result that has any, and Evaluator.Compute, which takes the order line and returns the
// commission by value. Level has one call only (NewPerformance, then Assign), timed as
// ImplAffrules.
func byValueVariants(c *Corpus) ([]Variant, error) {
	ee, ce, book, err := setUp(c)
	if err != nil {
		return nil, err
	}
	fromShop := func(c *EligCase) (eligibility.Result, error) { return ee.Product(c.Product, c.ShopResult, c.At) }
	raw := func(c *EligCase) (eligibility.Result, error) {
		shop, err := ee.Shop(c.Shop, c.At)
		if err != nil {
			return eligibility.Result{}, err
		}
		return ee.Product(c.Product, shop, c.At)
	}
	var out []Variant
	for _, mix := range Mixes {
		ec, cc := c.Elig[mix], c.Comm[mix]
		out = append(out,
			eligByValue(WorkEligShopResult, mix, ec, fromShop),
			eligByValue(WorkEligRaw, mix, ec, raw),
			Variant{Workload: WorkCommission, Mix: mix, Impl: ImplByValue, Cases: len(cc),
				Answer: func(i int) (Answer, error) {
					r, err := ce.Compute(book, cc[i].Order, cc[i].At)
					return commAnswer(&r), err
				},
				Loop: func(n int) (int64, error) {
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						c := &cc[k]
						r, err := ce.Compute(book, c.Order, c.At)
						if err != nil {
							return 0, err
						}
						sum += r.Amount.Units
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
