package benchmarks

import (
	"fmt"
)

// The workloads, as reported.
const (
	WorkEligShopResult = "eligibility, shop result given" // ELG-3..5 against a precomputed shop result
	WorkEligRaw        = "eligibility, raw shop facts"    // ELG-1..5 from the shop's and the product's facts
	WorkLevel          = "level"                          // LVL-2 with the default table
	WorkCommission     = "commission"                     // COM-3..5 and the amount (COM-1) for one order
	WorkExplainElig    = "explain: eligibility"           // ELG-1..5 on failing cases, with an explanation
	WorkExplainComm    = "explain: commission"            // COM-3..5 on orders that earn nothing, with an explanation
)

// Workloads lists the workloads in the order they are reported.
var Workloads = []string{WorkEligShopResult, WorkEligRaw, WorkLevel, WorkCommission, WorkExplainElig, WorkExplainComm}

// The implementations, as reported. Every ratio is to [ImplAffrules].
const (
	ImplAffrules = "affrules"
	// ImplByValue is affrules through its plain calls (Evaluator.Shop, Evaluator.Product,
	// Evaluator.Compute), which take and return values and allocate each result's reasons,
	// instead of the calls of a run that reuses its arrays (ImplAffrules).
	ImplByValue    = "affrules-by-value"
	ImplExpr       = "expr"
	ImplExprMap    = "expr-map" // expr on map environments, its fastest set-up
	ImplCEL        = "cel"
	ImplOPA        = "opa"
	ImplFloor      = "float64-floor"
	ImplCELTracked = "cel-tracked"
	ImplOPATrace   = "opa-explain"
)

// Impls lists the implementations in the order they are reported.
var Impls = []string{ImplAffrules, ImplByValue, ImplExpr, ImplExprMap, ImplCEL, ImplOPA, ImplFloor, ImplCELTracked, ImplOPATrace}

// Answer is what an implementation decides for one case; the agreement check compares it with
// affrules'. Eligibility sets Allowed, level Level, commission Source ("" when nothing is earned)
// and Amount (in minor units, rounded half-up as affrules' default policy rounds).
type Answer struct {
	Allowed bool
	Level   int
	Source  string
	Amount  int64
}

// Variant is one implementation of one workload on one mix, set up once (compiled, inputs
// prepared) and ready to run.
type Variant struct {
	Workload, Mix, Impl string
	// Cases is the number of cases of the mix.
	Cases int
	// Answer evaluates case i of the mix.
	Answer func(i int) (Answer, error)
	// Loop evaluates n cases, cycling through the mix from its first case, and returns a sum of
	// what it decided, so that nothing is optimised away.
	Loop func(n int) (int64, error)
}

// Name returns the variant's name, workload/mix/implementation.
func (v Variant) Name() string { return v.Workload + "/" + v.Mix + "/" + v.Impl }

// Variants sets up every implementation of every workload and mix of the corpus c: the timed
// workloads on every mix, the explanation workloads on the failing mix.
func Variants(c *Corpus) ([]Variant, error) {
	var out []Variant
	for _, build := range []func(*Corpus) ([]Variant, error){affrulesVariants, byValueVariants, floorVariants, exprVariants, exprMapVariants, celVariants, opaVariants} {
		vs, err := build(c)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// Agree runs every variant on every case of its mix and returns an error naming the first case on
// which an implementation's answer differs from affrules' (or fails).
func Agree(vs []Variant) error {
	ref := map[string]Variant{}
	for _, v := range vs {
		if v.Impl == ImplAffrules {
			ref[v.Workload+"/"+v.Mix] = v
		}
	}
	for _, v := range vs {
		r, ok := ref[v.Workload+"/"+v.Mix]
		if !ok {
			return fmt.Errorf("benchmarks: %s has no affrules variant", v.Name())
		}
		if v.Cases != r.Cases {
			return fmt.Errorf("benchmarks: %s has %d cases, affrules %d", v.Name(), v.Cases, r.Cases)
		}
		for i := range v.Cases {
			want, err := r.Answer(i)
			if err != nil {
				return fmt.Errorf("benchmarks: %s case %d: affrules: %w", v.Name(), i, err)
			}
			got, err := v.Answer(i)
			if err != nil {
				return fmt.Errorf("benchmarks: %s case %d: %w", v.Name(), i, err)
			}
			if got != want {
				return fmt.Errorf("benchmarks: %s case %d: got %+v, affrules %+v", v.Name(), i, got, want)
			}
		}
	}
	return nil
}

// BenchName returns the name of the benchmark function of bench_test.go that times workload.
func BenchName(workload string) string {
	return map[string]string{
		WorkEligShopResult: "BenchmarkEligibilityShopResult",
		WorkEligRaw:        "BenchmarkEligibilityRaw",
		WorkLevel:          "BenchmarkLevel",
		WorkCommission:     "BenchmarkCommission",
		WorkExplainElig:    "BenchmarkExplainEligibility",
		WorkExplainComm:    "BenchmarkExplainCommission",
	}[workload]
}
