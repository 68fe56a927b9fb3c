package benchmarks

import (
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// expr (github.com/expr-lang/expr): each rule compiled once against the environment's type
// (expr.Env), run on a prebuilt environment per case with a reused vm.VM, as expr's
// documentation recommends for performance-critical code, in two set-ups: a struct environment
// by pointer (ImplExpr), and a map[string]any environment (ImplExprMap), whose top-level names
// expr loads by a direct lookup, its fastest. Thresholds, tables and offers are values of the
// environment (shared, by pointer or map), not part of the program.

// ExprElig is the environment of the eligibility programs.
type ExprElig struct {
	EligFacts
	T *EligData
}

// ExprLevel is the environment of the level program.
type ExprLevel struct {
	LevelFacts
	Tables map[string][]LevelRow
}

// ExprComm is the environment of the commission program.
type ExprComm struct {
	CommFacts
	Offers map[string][]PeerOffer
}

const (
	exprProduct = `(Reviews < T.MinReviews || Neg * 10000 < T.NegBP[Category] * Orders) &&
		(RefundCases < T.MinRefundCases || SellerRefunds * 10000 < T.RefundBP[Category] * Orders)`
	exprShopResult = `ShopEligible && ` + exprProduct
	exprRaw        = `(!HasViolation || At - Violation >= T.WindowSeconds) && Rating >= T.MinRating && ` + exprProduct
	// the highest level whose every threshold is met (LVL-2)
	exprLevel = `(findLastIndex(Tables[Market], GMV >= .GMV && Days >= .Days && Products >= .Breadth) ?? -1) + 1`
	// the first offer in precedence order that applies (COM-3..5), its rate in force at At, and
	// the amount rounded half-up to the minor unit (COM-1)
	exprComm = `let w = Attributed ? find(Offers[Product], .Start <= At && (.End == 0 || At < .End) && .Approved &&
			(.Everyone || Creator in .Creators || any(.Members, .Creator == Creator && .Joined <= At)) &&
			any(.Rates, .From <= At)) : nil;
		w == nil ? ["", 0] : (
			let bp = findLast(w.Rates, .From <= At).BP;
			let x = (Price - PlatformCoupon - SellerCoupon - Tax) * bp + 5000;
			[w.Source, (x - x % 10000) / 10000])`
)

func exprVariants(c *Corpus) ([]Variant, error) {
	ed, err := eligPeerData()
	if err != nil {
		return nil, err
	}
	tables, err := levelPeerData(c)
	if err != nil {
		return nil, err
	}
	offers, err := commPeerData(c)
	if err != nil {
		return nil, err
	}
	// Each environment by pointer, built before timing.
	return exprSet(c, ImplExpr, exprEnvs{
		elig:  func(f EligFacts) any { return &ExprElig{EligFacts: f, T: &ed} },
		level: func(f LevelFacts) any { return &ExprLevel{LevelFacts: f, Tables: tables} },
		comm:  func(f CommFacts) any { return &ExprComm{CommFacts: f, Offers: offers} },
	})
}

// exprMapVariants are expr on map environments (map[string]any, each case's built before
// timing): expr loads a map environment's top-level names with a direct lookup (OpLoadFast)
// where a struct's fields are read by reflection, so this set-up is expr's fastest; the program
// texts and the data are the same as exprVariants'.
func exprMapVariants(c *Corpus) ([]Variant, error) {
	ed, err := eligPeerData()
	if err != nil {
		return nil, err
	}
	tables, err := levelPeerData(c)
	if err != nil {
		return nil, err
	}
	offers, err := commPeerData(c)
	if err != nil {
		return nil, err
	}
	// The data as maps and lists too, boxed once, so that no read reflects on a struct.
	t := map[string]any{"WindowSeconds": ed.WindowSeconds, "MinRating": ed.MinRating, "MinReviews": ed.MinReviews,
		"MinRefundCases": ed.MinRefundCases, "NegBP": ed.NegBP, "RefundBP": ed.RefundBP}
	mt := map[string]any{}
	for m, rows := range tables {
		var rs []any
		for _, r := range rows {
			rs = append(rs, map[string]any{"GMV": r.GMV, "Days": r.Days, "Breadth": r.Breadth})
		}
		mt[m] = rs
	}
	mo := map[string]any{}
	for p, os := range offers {
		var list []any
		for _, o := range os {
			var members, rates []any
			for _, m := range o.Members {
				members = append(members, map[string]any{"Creator": m.Creator, "Joined": m.Joined})
			}
			for _, r := range o.Rates {
				rates = append(rates, map[string]any{"From": r.From, "BP": r.BP})
			}
			list = append(list, map[string]any{"Source": o.Source, "Start": o.Start, "End": o.End, "Everyone": o.Everyone, "Approved": o.Approved,
				"Creators": o.Creators, "Members": members, "Rates": rates})
		}
		mo[p] = list
	}
	for _, mix := range Mixes { // a product without offers has none (a missing key reads as nil)
		for _, cc := range c.Comm[mix] {
			if _, ok := mo[cc.Order.Product]; !ok {
				mo[cc.Order.Product] = []any{}
			}
		}
	}
	return exprSet(c, ImplExprMap, exprEnvs{
		elig: func(f EligFacts) any {
			return map[string]any{"ShopEligible": f.ShopEligible, "HasViolation": f.HasViolation, "At": f.At, "Violation": f.Violation, "Rating": f.Rating,
				"Category": f.Category, "Orders": f.Orders, "Reviews": f.Reviews, "Neg": f.Neg, "RefundCases": f.RefundCases, "SellerRefunds": f.SellerRefunds, "T": t}
		},
		level: func(f LevelFacts) any {
			return map[string]any{"Market": f.Market, "GMV": f.GMV, "Days": f.Days, "Products": f.Products, "Tables": mt}
		},
		comm: func(f CommFacts) any {
			return map[string]any{"Product": f.Product, "Creator": f.Creator, "At": f.At, "Attributed": f.Attributed, "Price": f.Price,
				"PlatformCoupon": f.PlatformCoupon, "SellerCoupon": f.SellerCoupon, "Tax": f.Tax, "Offers": mo}
		},
	})
}

// exprEnvs build one case's environment for each program.
type exprEnvs struct {
	elig  func(EligFacts) any
	level func(LevelFacts) any
	comm  func(CommFacts) any
}

// exprSet compiles the programs against the environments' type (that of a first case's) and
// returns the variants of implementation impl on every mix.
func exprSet(c *Corpus, impl string, envs exprEnvs) ([]Variant, error) {
	compile := func(text string, env any, opts ...expr.Option) (*vm.Program, error) {
		return expr.Compile(text, append([]expr.Option{expr.Env(env)}, opts...)...)
	}
	shopResult, err := compile(exprShopResult, envs.elig(EligFacts{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	raw, err := compile(exprRaw, envs.elig(EligFacts{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	lvl, err := compile(exprLevel, envs.level(LevelFacts{}), expr.AsInt())
	if err != nil {
		return nil, err
	}
	comm, err := compile(exprComm, envs.comm(CommFacts{}))
	if err != nil {
		return nil, err
	}
	allowed := func(v any) (Answer, error) { b, _ := v.(bool); return Answer{Allowed: b}, nil }
	var out []Variant
	for _, mix := range Mixes {
		var ee, le, ce []any
		for _, f := range eligPeerFacts(c.Elig[mix]) {
			ee = append(ee, envs.elig(f))
		}
		for _, f := range levelPeerFacts(c.Level[mix]) {
			le = append(le, envs.level(f))
		}
		cf, err := commPeerFacts(c.Comm[mix])
		if err != nil {
			return nil, err
		}
		for _, f := range cf {
			ce = append(ce, envs.comm(f))
		}
		out = append(out,
			exprVariant(WorkEligShopResult, mix, impl, shopResult, ee, allowed, func(a Answer) int64 { return int64(b2i(a.Allowed)) }),
			exprVariant(WorkEligRaw, mix, impl, raw, ee, allowed, func(a Answer) int64 { return int64(b2i(a.Allowed)) }),
			exprVariant(WorkLevel, mix, impl, lvl, le, func(v any) (Answer, error) { l, _ := v.(int); return Answer{Level: l}, nil },
				func(a Answer) int64 { return int64(a.Level) }),
			exprVariant(WorkCommission, mix, impl, comm, ce, exprCommAnswer, func(a Answer) int64 { return a.Amount }),
		)
	}
	return out, nil
}

// exprVariant runs prog on envs, one case's each, with a reused vm.VM; answer reads a result,
// count what the loop sums of it.
func exprVariant(work, mix, impl string, prog *vm.Program, envs []any, answer func(any) (Answer, error), count func(Answer) int64) Variant {
	return Variant{Workload: work, Mix: mix, Impl: impl, Cases: len(envs),
		Answer: func(i int) (Answer, error) {
			v, err := expr.Run(prog, envs[i])
			if err != nil {
				return Answer{}, err
			}
			return answer(v)
		},
		Loop: func(n int) (int64, error) {
			var m vm.VM
			var sum int64
			for i, k := 0, 0; i < n; i++ {
				v, err := m.Run(prog, envs[k])
				if err != nil {
					return 0, err
				}
				a, err := answer(v)
				if err != nil {
					return 0, err
				}
				sum += count(a)
				if k++; k == len(envs) {
					k = 0
				}
			}
			return sum, nil
		}}
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func exprCommAnswer(v any) (Answer, error) {
	pair, ok := v.([]any)
	if !ok || len(pair) != 2 {
		return Answer{}, fmt.Errorf("benchmarks: expr commission returned %v", v)
	}
	src, ok1 := pair[0].(string)
	var amount int64
	var ok2 bool
	switch a := pair[1].(type) {
	case int:
		amount, ok2 = int64(a), true
	case float64:
		amount, ok2 = int64(a), a == float64(int64(a))
	case int64:
		amount, ok2 = a, true
	}
	if !ok1 || !ok2 {
		return Answer{}, fmt.Errorf("benchmarks: expr commission returned %v", v)
	}
	return Answer{Source: src, Amount: amount}, nil
}
