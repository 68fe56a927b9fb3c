package benchmarks

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
)

// CEL (cel.dev/cel-go): each rule compiled and type-checked once in an environment declaring
// its variables, planned once as a Program with cel.OptOptimize, and evaluated on an activation
// built per case before timing (cel.NewActivation over values converted to CEL values once,
// nested maps and lists included). Thresholds, tables and offers are variables, not part of the
// program. The explanation programs are the same rules planned with cel.OptTrackState and
// cel.OptExhaustiveEval, whose EvalDetails hold the value of every subexpression.

const (
	celProduct = `(reviews < min_reviews || neg * 10000 < neg_bp[category] * orders) &&
		(refund_cases < min_refund_cases || seller_refunds * 10000 < refund_bp[category] * orders)`
	celShopResult = `shop_eligible && ` + celProduct
	celRaw        = `(!has_violation || at - violation >= window) && rating >= min_rating && ` + celProduct
	// the highest level whose every threshold is met (LVL-2)
	celLevel = `math.greatest([0] + tables[market].map(l, gmv >= l.gmv && days >= l.days && products >= l.breadth, l.level))`
	// the offers that apply (COM-3, COM-4; a product may have none), the first in precedence order
	// wins (COM-5), its rate in force at the order, the amount rounded half-up to the minor unit
	// (COM-1)
	celComm = `cel.bind(app, attributed && product in offers ? offers[product].filter(o, o.start <= at && (o.end == 0 || at < o.end) && o.approved &&
			(o.everyone || creator in o.creators || o.members.exists(m, m.creator == creator && m.joined <= at)) &&
			o.rates.exists(r, r.from <= at)) : [],
		size(app) == 0 ? [dyn(""), dyn(0)] :
		cel.bind(w, app[0],
		cel.bind(rs, w.rates.filter(r, r.from <= at),
		cel.bind(x, (price - platform_coupon - seller_coupon - tax) * rs[size(rs) - 1].bp + 5000,
		[dyn(w.source), dyn(x / 10000)]))))`
)

func celEnv(vars map[string]*cel.Type) (*cel.Env, error) {
	opts := []cel.EnvOption{ext.Bindings(), ext.Math()}
	for name, t := range vars {
		opts = append(opts, cel.Variable(name, t))
	}
	return cel.NewEnv(opts...)
}

func celProgram(env *cel.Env, src string, opts ...cel.EvalOption) (cel.Program, error) {
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	return env.Program(ast, cel.EvalOptions(opts...))
}

// celValue converts v, and every map, list and element inside it, to CEL values once.
// (NativeToValue alone converts only the outermost value: CEL then adapts a nested map or list
// by reflection, and boxes each element, every time a program reads it.)
func celValue(v any) ref.Val {
	if rv, ok := v.(ref.Val); ok {
		return rv
	}
	switch x := reflect.ValueOf(v); x.Kind() {
	case reflect.Map:
		m := make(map[ref.Val]ref.Val, x.Len())
		for it := x.MapRange(); it.Next(); {
			m[celValue(it.Key().Interface())] = celValue(it.Value().Interface())
		}
		return types.NewRefValMap(types.DefaultTypeAdapter, m)
	case reflect.Slice:
		l := make([]ref.Val, x.Len())
		for i := range l {
			l[i] = celValue(x.Index(i).Interface())
		}
		return types.NewRefValList(types.DefaultTypeAdapter, l)
	}
	return types.DefaultTypeAdapter.NativeToValue(v)
}

// celActivation converts every binding, all the way down, to CEL values once and returns the
// activation.
func celActivation(bindings map[string]any) (cel.Activation, error) {
	vals := make(map[string]any, len(bindings))
	for k, v := range bindings {
		if rv, ok := v.(ref.Val); ok {
			vals[k] = rv
			continue
		}
		rv := celValue(v)
		if types.IsError(rv) {
			return nil, fmt.Errorf("benchmarks: cel binding %s: %v", k, rv)
		}
		vals[k] = rv
	}
	return cel.NewActivation(vals)
}

func celVariants(c *Corpus) ([]Variant, error) {
	ed, err := eligPeerData()
	if err != nil {
		return nil, err
	}
	eligEnv, err := celEnv(map[string]*cel.Type{
		"shop_eligible": cel.BoolType, "has_violation": cel.BoolType, "at": cel.IntType, "violation": cel.IntType,
		"rating": cel.DoubleType, "category": cel.StringType, "orders": cel.IntType, "reviews": cel.IntType, "neg": cel.IntType,
		"refund_cases": cel.IntType, "seller_refunds": cel.IntType, "window": cel.IntType, "min_rating": cel.DoubleType,
		"min_reviews": cel.IntType, "min_refund_cases": cel.IntType,
		"neg_bp": cel.MapType(cel.StringType, cel.IntType), "refund_bp": cel.MapType(cel.StringType, cel.IntType),
	})
	if err != nil {
		return nil, err
	}
	eligData := map[string]any{"window": ed.WindowSeconds, "min_rating": ed.MinRating, "min_reviews": ed.MinReviews,
		"min_refund_cases": ed.MinRefundCases, "neg_bp": ed.NegBP, "refund_bp": ed.RefundBP}
	for k, v := range eligData {
		eligData[k] = celValue(v)
	}
	tables, err := levelPeerData(c)
	if err != nil {
		return nil, err
	}
	levelEnv, err := celEnv(map[string]*cel.Type{"market": cel.StringType, "gmv": cel.IntType, "days": cel.IntType, "products": cel.IntType,
		"tables": cel.MapType(cel.StringType, cel.ListType(cel.MapType(cel.StringType, cel.IntType)))})
	if err != nil {
		return nil, err
	}
	ctables := map[string][]map[string]int64{}
	for m, rows := range tables {
		for _, r := range rows {
			ctables[m] = append(ctables[m], map[string]int64{"level": r.Level, "gmv": r.GMV, "days": r.Days, "breadth": r.Breadth})
		}
	}
	tablesVal := celValue(ctables)
	offers, err := commPeerData(c)
	if err != nil {
		return nil, err
	}
	commEnv, err := celEnv(map[string]*cel.Type{"product": cel.StringType, "creator": cel.StringType, "at": cel.IntType,
		"attributed": cel.BoolType, "price": cel.IntType, "platform_coupon": cel.IntType, "seller_coupon": cel.IntType, "tax": cel.IntType,
		"offers": cel.MapType(cel.StringType, cel.ListType(cel.DynType))})
	if err != nil {
		return nil, err
	}
	offersVal := celValue(celOffers(offers))

	fast := []cel.EvalOption{cel.OptOptimize}
	tracked := []cel.EvalOption{cel.OptTrackState, cel.OptExhaustiveEval}
	shopResult, err := celProgram(eligEnv, celShopResult, fast...)
	if err != nil {
		return nil, err
	}
	raw, err := celProgram(eligEnv, celRaw, fast...)
	if err != nil {
		return nil, err
	}
	rawTracked, err := celProgram(eligEnv, celRaw, tracked...)
	if err != nil {
		return nil, err
	}
	lvl, err := celProgram(levelEnv, celLevel, fast...)
	if err != nil {
		return nil, err
	}
	comm, err := celProgram(commEnv, celComm, fast...)
	if err != nil {
		return nil, err
	}
	commTracked, err := celProgram(commEnv, celComm, tracked...)
	if err != nil {
		return nil, err
	}

	var out []Variant
	for _, mix := range Mixes {
		ef := eligPeerFacts(c.Elig[mix])
		eacts := make([]cel.Activation, len(ef))
		for i, f := range ef {
			b := map[string]any{"shop_eligible": f.ShopEligible, "has_violation": f.HasViolation, "at": f.At, "violation": f.Violation,
				"rating": f.Rating, "category": f.Category, "orders": f.Orders, "reviews": f.Reviews, "neg": f.Neg,
				"refund_cases": f.RefundCases, "seller_refunds": f.SellerRefunds}
			for k, v := range eligData {
				b[k] = v
			}
			if eacts[i], err = celActivation(b); err != nil {
				return nil, err
			}
		}
		lf := levelPeerFacts(c.Level[mix])
		lacts := make([]cel.Activation, len(lf))
		for i, f := range lf {
			if lacts[i], err = celActivation(map[string]any{"market": f.Market, "gmv": f.GMV, "days": f.Days, "products": f.Products, "tables": tablesVal}); err != nil {
				return nil, err
			}
		}
		cf, err := commPeerFacts(c.Comm[mix])
		if err != nil {
			return nil, err
		}
		cacts := make([]cel.Activation, len(cf))
		for i, f := range cf {
			if cacts[i], err = celActivation(map[string]any{"product": f.Product, "creator": f.Creator, "at": f.At, "attributed": f.Attributed,
				"price": f.Price, "platform_coupon": f.PlatformCoupon, "seller_coupon": f.SellerCoupon, "tax": f.Tax, "offers": offersVal}); err != nil {
				return nil, err
			}
		}
		out = append(out,
			celVariant(WorkEligShopResult, mix, ImplCEL, shopResult, eacts, celBool),
			celVariant(WorkEligRaw, mix, ImplCEL, raw, eacts, celBool),
			celVariant(WorkLevel, mix, ImplCEL, lvl, lacts, celLevelAnswer),
			celVariant(WorkCommission, mix, ImplCEL, comm, cacts, celCommAnswer),
		)
		if mix == MixFail {
			out = append(out,
				celVariant(WorkExplainElig, mix, ImplCELTracked, rawTracked, eacts, celBool),
				celVariant(WorkExplainComm, mix, ImplCELTracked, commTracked, cacts, celCommAnswer),
			)
		}
	}
	return out, nil
}

// celOffers returns the offers as CEL reads them: lists of maps keyed by field name.
func celOffers(offers map[string][]PeerOffer) map[string][]any {
	out := map[string][]any{}
	for p, os := range offers {
		for _, o := range os {
			members, rates := []any{}, []any{}
			for _, m := range o.Members {
				members = append(members, map[string]any{"creator": m.Creator, "joined": m.Joined})
			}
			for _, r := range o.Rates {
				rates = append(rates, map[string]any{"from": r.From, "bp": r.BP})
			}
			creators := append([]string{}, o.Creators...)
			out[p] = append(out[p], map[string]any{"source": o.Source, "start": o.Start, "end": o.End, "everyone": o.Everyone,
				"approved": o.Approved, "creators": creators, "members": members, "rates": rates})
		}
	}
	return out
}

func celVariant(work, mix, impl string, prg cel.Program, acts []cel.Activation, answer func(ref.Val) (Answer, error)) Variant {
	return Variant{Workload: work, Mix: mix, Impl: impl, Cases: len(acts),
		Answer: func(i int) (Answer, error) {
			out, det, err := prg.Eval(acts[i])
			if err != nil {
				return Answer{}, err
			}
			if impl == ImplCELTracked && (det == nil || det.State() == nil || len(det.State().IDs()) == 0) {
				return Answer{}, fmt.Errorf("benchmarks: %s/%s/%s tracked no state", work, mix, impl)
			}
			return answer(out)
		},
		Loop: func(n int) (int64, error) {
			var sum int64
			for i, k := 0, 0; i < n; i++ {
				out, det, err := prg.Eval(acts[k])
				if err != nil {
					return 0, err
				}
				a, err := answer(out)
				if err != nil {
					return 0, err
				}
				sum += a.Amount + int64(a.Level)
				if a.Allowed {
					sum++
				}
				if det != nil && det.State() != nil {
					sum += int64(len(det.State().IDs()))
				}
				if k++; k == len(acts) {
					k = 0
				}
			}
			return sum, nil
		}}
}

func celBool(v ref.Val) (Answer, error) {
	b, ok := v.(types.Bool)
	if !ok {
		return Answer{}, fmt.Errorf("benchmarks: cel returned %v", v)
	}
	return Answer{Allowed: bool(b)}, nil
}

func celLevelAnswer(v ref.Val) (Answer, error) {
	l, ok := v.(types.Int)
	if !ok {
		return Answer{}, fmt.Errorf("benchmarks: cel level returned %v", v)
	}
	return Answer{Level: int(l)}, nil
}

func celCommAnswer(v ref.Val) (Answer, error) {
	l, ok := v.(traits.Lister)
	if !ok || l.Size() != types.Int(2) {
		return Answer{}, fmt.Errorf("benchmarks: cel commission returned %v", v)
	}
	src, ok1 := l.Get(types.Int(0)).(types.String)
	amount, ok2 := l.Get(types.Int(1)).(types.Int)
	if !ok1 || !ok2 {
		return Answer{}, fmt.Errorf("benchmarks: cel commission returned %v", v)
	}
	return Answer{Source: string(src), Amount: int64(amount)}, nil
}
