package benchmarks

import (
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// expr (github.com/expr-lang/expr): each rule compiled once against a struct environment
// (expr.Env), run on a pointer to a prebuilt environment per case with a reused vm.VM, as expr's
// documentation recommends for performance-critical code. Thresholds, tables and offers are
// fields of the environment (shared, by pointer or map), not part of the program.

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
	shopResult, err := expr.Compile(exprShopResult, expr.Env(&ExprElig{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	raw, err := expr.Compile(exprRaw, expr.Env(&ExprElig{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	lvl, err := expr.Compile(exprLevel, expr.Env(&ExprLevel{}), expr.AsInt())
	if err != nil {
		return nil, err
	}
	comm, err := expr.Compile(exprComm, expr.Env(&ExprComm{}))
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, mix := range Mixes {
		ef := eligPeerFacts(c.Elig[mix])
		ee := make([]ExprElig, len(ef))
		for i := range ef {
			ee[i] = ExprElig{EligFacts: ef[i], T: &ed}
		}
		lf := levelPeerFacts(c.Level[mix])
		le := make([]ExprLevel, len(lf))
		for i := range lf {
			le[i] = ExprLevel{LevelFacts: lf[i], Tables: tables}
		}
		cf, err := commPeerFacts(c.Comm[mix])
		if err != nil {
			return nil, err
		}
		ce := make([]ExprComm, len(cf))
		for i := range cf {
			ce[i] = ExprComm{CommFacts: cf[i], Offers: offers}
		}
		out = append(out,
			exprBool(WorkEligShopResult, mix, shopResult, ee),
			exprBool(WorkEligRaw, mix, raw, ee),
			Variant{Workload: WorkLevel, Mix: mix, Impl: ImplExpr, Cases: len(le),
				Answer: func(i int) (Answer, error) {
					v, err := expr.Run(lvl, &le[i])
					l, _ := v.(int)
					return Answer{Level: l}, err
				},
				Loop: func(n int) (int64, error) {
					var m vm.VM
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						v, err := m.Run(lvl, &le[k])
						if err != nil {
							return 0, err
						}
						sum += int64(v.(int))
						if k++; k == len(le) {
							k = 0
						}
					}
					return sum, nil
				}},
			Variant{Workload: WorkCommission, Mix: mix, Impl: ImplExpr, Cases: len(ce),
				Answer: func(i int) (Answer, error) {
					v, err := expr.Run(comm, &ce[i])
					if err != nil {
						return Answer{}, err
					}
					return exprCommAnswer(v)
				},
				Loop: func(n int) (int64, error) {
					var m vm.VM
					var sum int64
					for i, k := 0, 0; i < n; i++ {
						v, err := m.Run(comm, &ce[k])
						if err != nil {
							return 0, err
						}
						a, err := exprCommAnswer(v)
						if err != nil {
							return 0, err
						}
						sum += a.Amount
						if k++; k == len(ce) {
							k = 0
						}
					}
					return sum, nil
				}},
		)
	}
	return out, nil
}

func exprBool(work, mix string, prog *vm.Program, envs []ExprElig) Variant {
	return Variant{Workload: work, Mix: mix, Impl: ImplExpr, Cases: len(envs),
		Answer: func(i int) (Answer, error) {
			v, err := expr.Run(prog, &envs[i])
			b, _ := v.(bool)
			return Answer{Allowed: b}, err
		},
		Loop: func(n int) (int64, error) {
			var m vm.VM
			var sum int64
			for i, k := 0, 0; i < n; i++ {
				v, err := m.Run(prog, &envs[k])
				if err != nil {
					return 0, err
				}
				if v.(bool) {
					sum++
				}
				if k++; k == len(envs) {
					k = 0
				}
			}
			return sum, nil
		}}
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
