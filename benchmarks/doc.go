// Package benchmarks times affrules against expr, CEL and OPA, and against a plain float64 Go
// floor, on the same rules and inputs: product eligibility (ELG-1..5, from a precomputed shop
// result and from raw shop facts), level assignment (LVL-2) and commission precedence and amount
// (COM-3..5, COM-1), each on a passing, a failing and a daily-run mix of [CorpusSize] generated
// cases, and the cost of an explanation on failing cases (affrules' reasons, CEL's tracked state,
// OPA's explain trace).
//
// [NewCorpus] generates the cases, [Variants] sets every implementation up once (compiled,
// inputs prepared), [Agree] checks that every implementation gives affrules' answer on every
// case. bench_test.go has a benchmark per workload; cmd/compare and run.sh produce the table of
// BENCHMARKS.md. README.md describes the set-up of each peer.
//
// # Interpretations
//
//   - Eligibility uses the seed thresholds, which the default policy applies in every market: the
//     corpus draws shops from all seven, and one threshold table is the peers' data. No product is frozen or delisted and no previous state is given (ELG-6 is not
//     part of the workloads). The peers' "precomputed shop result" is the verdict of affrules'
//     own shop result.
//   - Level uses the default tables of all seven markets for March 2026; each peer looks its
//     market's table up itself. A level above L0 counts as passing, L0 as failing.
//   - Commission: Open rates only rise, so COM-10's delay of a decrease never changes an answer
//     and the peers implement COM-3..5 without it; no shop-ads orders and no tiers. Peers get a
//     product's offers in the policy's precedence order, as a book indexes them once.
//   - Amounts are compared exactly, in minor units. The peers compute in integers (rates in
//     basis points) and round half-up; the float64 floor rounds math.Floor(base × rate + 0.5),
//     which differs from exact rounding only on an exact half of a minor unit, so the corpus
//     leaves out the orders whose exact commission ends in one.
//   - In the commission workload affrules runs Evaluator.ComputeInto, a settlement run's call
//     (each order line by pointer, one Commission reused), whose result holds every candidate's
//     outcome and builds the reasons when asked for; the explanation workload asks
//     (Commission.Decision). Eligibility results always carry their reasons.
package benchmarks
