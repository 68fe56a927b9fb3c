package benchmarks

import (
	"sync"
	"testing"
)

var (
	agreeOnce sync.Once
	agreeErr  error
)

// benchVariants returns the variants of workload, after the agreement check has passed once in
// this process: no timing without it.
func benchVariants(b *testing.B, workload string) []Variant {
	b.Helper()
	vs := variants(b)
	agreeOnce.Do(func() { agreeErr = Agree(vs) })
	if agreeErr != nil {
		b.Fatal(agreeErr)
	}
	var out []Variant
	for _, v := range vs {
		if v.Workload == workload {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		b.Fatalf("no variant of %s", workload)
	}
	return out
}

// runWorkload times every implementation of workload on every mix as sub-benchmarks mix/impl,
// each cycling through its 1,024 cases.
func runWorkload(b *testing.B, workload string) {
	for _, v := range benchVariants(b, workload) {
		b.Run(v.Mix+"/"+v.Impl, func(b *testing.B) {
			b.ReportAllocs()
			sum, err := v.Loop(b.N)
			if err != nil {
				b.Fatal(err)
			}
			sink += sum
		})
	}
}

var sink int64

// BenchmarkEligibilityShopResult: ELG-3..5 of a product against its shop's precomputed result.
func BenchmarkEligibilityShopResult(b *testing.B) { runWorkload(b, WorkEligShopResult) }

// BenchmarkEligibilityRaw: ELG-1..5 from the shop's and the product's facts.
func BenchmarkEligibilityRaw(b *testing.B) { runWorkload(b, WorkEligRaw) }

// BenchmarkLevel: LVL-2, a creator's level from a month's performance, default tables.
func BenchmarkLevel(b *testing.B) { runWorkload(b, WorkLevel) }

// BenchmarkCommission: COM-3..5 and the amount (COM-1) of one order line.
func BenchmarkCommission(b *testing.B) { runWorkload(b, WorkCommission) }

// BenchmarkExplainEligibility: ELG-1..5 on failing cases, with affrules' reasons, CEL's tracked
// state and OPA's explain trace.
func BenchmarkExplainEligibility(b *testing.B) { runWorkload(b, WorkExplainElig) }

// BenchmarkExplainCommission: COM-3..5 on orders that earn nothing, with affrules' reasons, CEL's
// tracked state and OPA's explain trace.
func BenchmarkExplainCommission(b *testing.B) { runWorkload(b, WorkExplainComm) }
