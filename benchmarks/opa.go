package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/util"
)

// OPA (github.com/open-policy-agent/opa/v1/rego): each rule a Rego module, prepared once with
// rego.PrepareForEval against an in-memory store holding the thresholds, tables and offers as
// data (returning AST values on read, so data is not converted on each evaluation), evaluated on
// input converted before timing (ast.InterfaceToValue, passed with rego.EvalParsedInput). The
// explanation evaluates the same prepared query with a topdown.BufferTracer
// (rego.EvalQueryTracer), which collects OPA's explain trace: every event of the evaluation.

const opaElig = `package affrules.elig

elg1_ok if not input.has_violation
elg1_ok if input.at - input.violation >= data.elig.window

elg3_ok if input.reviews < data.elig.min_reviews
elg3_ok if input.neg * 10000 < data.elig.neg_bp[input.category] * input.orders

elg4_ok if input.refund_cases < data.elig.min_refund_cases
elg4_ok if input.seller_refunds * 10000 < data.elig.refund_bp[input.category] * input.orders

default shop_result := false

shop_result if {
	input.shop_eligible
	elg3_ok
	elg4_ok
}

default raw := false

raw if {
	elg1_ok
	input.rating >= data.elig.min_rating
	elg3_ok
	elg4_ok
}
`

// the highest level whose every threshold is met (LVL-2)
const opaLevel = `package affrules.level

default level := 0

level := max(met) if {
	met := {row.level |
		some row in data.tables[input.market]
		input.gmv >= row.gmv
		input.days >= row.days
		input.products >= row.breadth
	}
	count(met) > 0
}
`

// the offers that apply (COM-3, COM-4), the first in precedence order wins (COM-5), its rate in
// force at the order, the amount rounded half-up to the minor unit (COM-1)
const opaComm = `package affrules.commission

applies(o) if {
	o.start <= input.at
	open_ended(o)
	o.approved
	covered(o)
	some r in o.rates
	r.from <= input.at
}

open_ended(o) if o.end == 0
open_ended(o) if input.at < o.end

covered(o) if o.everyone
covered(o) if input.creator in o.creators
covered(o) if {
	some m in o.members
	m.creator == input.creator
	m.joined <= input.at
}

default result := {"source": "", "amount": 0}

result := {"source": w.source, "amount": (x - x % 10000) / 10000} if {
	input.attributed
	offers := data.offers[input.product]
	idx := {i | some i, o in offers; applies(o)}
	count(idx) > 0
	w := offers[min(idx)]
	bps := [r.bp | some r in w.rates; r.from <= input.at]
	x := ((input.price - input.platform_coupon) - input.seller_coupon - input.tax) * bps[count(bps) - 1] + 5000
}
`

// opaValue converts v to an AST value through JSON, as input arrives at a service.
func opaValue(v any) (ast.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var x any
	if err := util.UnmarshalJSON(b, &x); err != nil {
		return nil, err
	}
	return ast.InterfaceToValue(x)
}

func opaJSON(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var x map[string]any
	err = util.UnmarshalJSON(b, &x)
	return x, err
}

func opaVariants(c *Corpus) ([]Variant, error) {
	ctx := context.Background()
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
	ltables := map[string][]map[string]int64{}
	for m, rows := range tables {
		for _, r := range rows {
			ltables[m] = append(ltables[m], map[string]int64{"level": r.Level, "gmv": r.GMV, "days": r.Days, "breadth": r.Breadth})
		}
	}
	data, err := opaJSON(map[string]any{
		"elig": map[string]any{"window": ed.WindowSeconds, "min_rating": ed.MinRating, "min_reviews": ed.MinReviews,
			"min_refund_cases": ed.MinRefundCases, "neg_bp": ed.NegBP, "refund_bp": ed.RefundBP},
		"tables": ltables,
		"offers": celOffers(offers),
	})
	if err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
	prepare := func(query, module string) (rego.PreparedEvalQuery, error) {
		return rego.New(rego.Query(query), rego.Module("rules.rego", module), rego.Store(store)).PrepareForEval(ctx)
	}
	shopResult, err := prepare("data.affrules.elig.shop_result", opaElig)
	if err != nil {
		return nil, err
	}
	raw, err := prepare("data.affrules.elig.raw", opaElig)
	if err != nil {
		return nil, err
	}
	lvl, err := prepare("data.affrules.level.level", opaLevel)
	if err != nil {
		return nil, err
	}
	comm, err := prepare("data.affrules.commission.result", opaComm)
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, mix := range Mixes {
		ef := eligPeerFacts(c.Elig[mix])
		ein := make([]ast.Value, len(ef))
		for i, f := range ef {
			if ein[i], err = opaValue(map[string]any{"shop_eligible": f.ShopEligible, "has_violation": f.HasViolation, "at": f.At,
				"violation": f.Violation, "rating": f.Rating, "category": f.Category, "orders": f.Orders, "reviews": f.Reviews,
				"neg": f.Neg, "refund_cases": f.RefundCases, "seller_refunds": f.SellerRefunds}); err != nil {
				return nil, err
			}
		}
		lf := levelPeerFacts(c.Level[mix])
		lin := make([]ast.Value, len(lf))
		for i, f := range lf {
			if lin[i], err = opaValue(map[string]any{"market": f.Market, "gmv": f.GMV, "days": f.Days, "products": f.Products}); err != nil {
				return nil, err
			}
		}
		cf, err := commPeerFacts(c.Comm[mix])
		if err != nil {
			return nil, err
		}
		cin := make([]ast.Value, len(cf))
		for i, f := range cf {
			if cin[i], err = opaValue(map[string]any{"product": f.Product, "creator": f.Creator, "at": f.At, "attributed": f.Attributed,
				"price": f.Price, "platform_coupon": f.PlatformCoupon, "seller_coupon": f.SellerCoupon, "tax": f.Tax}); err != nil {
				return nil, err
			}
		}
		out = append(out,
			opaVariant(WorkEligShopResult, mix, ImplOPA, shopResult, ein, opaBool),
			opaVariant(WorkEligRaw, mix, ImplOPA, raw, ein, opaBool),
			opaVariant(WorkLevel, mix, ImplOPA, lvl, lin, opaLevelAnswer),
			opaVariant(WorkCommission, mix, ImplOPA, comm, cin, opaCommAnswer),
		)
		if mix == MixFail {
			out = append(out,
				opaVariant(WorkExplainElig, mix, ImplOPATrace, raw, ein, opaBool),
				opaVariant(WorkExplainComm, mix, ImplOPATrace, comm, cin, opaCommAnswer),
			)
		}
	}
	return out, nil
}

func opaVariant(work, mix, impl string, pq rego.PreparedEvalQuery, inputs []ast.Value, answer func(any) (Answer, error)) Variant {
	ctx := context.Background()
	eval := func(in ast.Value) (Answer, int, error) {
		var tracer *topdown.BufferTracer
		opts := []rego.EvalOption{rego.EvalParsedInput(in)}
		if impl == ImplOPATrace {
			tracer = topdown.NewBufferTracer()
			opts = append(opts, rego.EvalQueryTracer(tracer))
		}
		rs, err := pq.Eval(ctx, opts...)
		if err != nil {
			return Answer{}, 0, err
		}
		if len(rs) != 1 || len(rs[0].Expressions) != 1 {
			return Answer{}, 0, fmt.Errorf("benchmarks: opa returned %v", rs)
		}
		a, err := answer(rs[0].Expressions[0].Value)
		events := 0
		if tracer != nil {
			if events = len(*tracer); events == 0 {
				err = fmt.Errorf("benchmarks: %s/%s/%s traced nothing", work, mix, impl)
			}
		}
		return a, events, err
	}
	return Variant{Workload: work, Mix: mix, Impl: impl, Cases: len(inputs),
		Answer: func(i int) (Answer, error) {
			a, _, err := eval(inputs[i])
			return a, err
		},
		Loop: func(n int) (int64, error) {
			var sum int64
			for i, k := 0, 0; i < n; i++ {
				a, events, err := eval(inputs[k])
				if err != nil {
					return 0, err
				}
				sum += a.Amount + int64(a.Level) + int64(events)
				if a.Allowed {
					sum++
				}
				if k++; k == len(inputs) {
					k = 0
				}
			}
			return sum, nil
		}}
}

func opaBool(v any) (Answer, error) {
	b, ok := v.(bool)
	if !ok {
		return Answer{}, fmt.Errorf("benchmarks: opa returned %v", v)
	}
	return Answer{Allowed: b}, nil
}

func opaInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func opaLevelAnswer(v any) (Answer, error) {
	l, ok := opaInt(v)
	if !ok {
		return Answer{}, fmt.Errorf("benchmarks: opa level returned %v", v)
	}
	return Answer{Level: int(l)}, nil
}

func opaCommAnswer(v any) (Answer, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Answer{}, fmt.Errorf("benchmarks: opa commission returned %v", v)
	}
	src, ok1 := m["source"].(string)
	amount, ok2 := opaInt(m["amount"])
	if !ok1 || !ok2 {
		return Answer{}, fmt.Errorf("benchmarks: opa commission returned %v", v)
	}
	return Answer{Source: src, Amount: amount}, nil
}
