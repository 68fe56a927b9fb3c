package eligibility

import (
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
)

// Run is one daily evaluation (ELG-6): every shop evaluated once at the run's instant, then any
// number of products evaluated against their shop's result. A Run is safe for concurrent use by
// several goroutines evaluating products.
type Run struct {
	e     *Evaluator
	at    time.Time
	shops map[string]Result
}

// NewRun evaluates shops at instant at and returns the run. A shop with bad input is left out of
// the run, its error joined into the returned error, and its products then fail with an error; the
// run is usable for the other shops whenever it is not nil.
func (e *Evaluator) NewRun(at time.Time, shops iter.Seq[Shop]) (*Run, error) {
	r := &Run{e: e, at: at, shops: map[string]Result{}}
	var errs []error
	for s := range shops {
		if _, dup := r.shops[s.ID]; dup {
			errs = append(errs, affrules.Errorf("eligibility", "shop.id", strconv.Quote(s.ID), "appears twice in the run"))
			continue
		}
		res, err := e.Shop(s, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		r.shops[s.ID] = res
	}
	return r, errors.Join(errs...)
}

// Shop returns the result of the shop with the given ID and whether the run evaluated it.
func (r *Run) Shop(id string) (Result, bool) {
	res, ok := r.shops[id]
	return res, ok
}

// Shops yields every shop result in ID order.
func (r *Run) Shops() iter.Seq[Result] {
	return func(yield func(Result) bool) {
		for _, id := range slices.Sorted(maps.Keys(r.shops)) {
			if !yield(r.shops[id]) {
				return
			}
		}
	}
}

// Products yields, in input order, each product's result, or the error its bad input caused; an
// error for one product does not stop the others. It holds one product at a time, so the input
// may be a stream of any length.
func (r *Run) Products(products iter.Seq[Product]) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		for p := range products {
			shop, ok := r.shops[p.ShopID]
			if !ok {
				if !yield(Result{ID: p.ID}, affrules.Errorf("eligibility", "product["+p.ID+"].shop_id", strconv.Quote(p.ShopID), "is not a shop evaluated in this run")) {
					return
				}
				continue
			}
			res, err := r.e.Product(p, shop, r.at)
			if err != nil {
				res = Result{ID: p.ID}
			}
			if !yield(res, err) {
				return
			}
		}
	}
}
