package eligibility

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Run is one daily evaluation (ELG-6): every shop evaluated once at the run's instant, then any
// number of products evaluated against their shop's result. A Run is safe for concurrent use by
// several goroutines evaluating products. The zero Run (and a nil *Run) has no evaluator and no
// shops: every product it is given yields an error wrapping [ErrNoPolicy].
type Run struct {
	e     *Evaluator
	at    time.Time
	shops map[string]Result
}

// NewRun evaluates shops at instant at and returns the run. A shop with bad input, or an ID
// given twice (every shop given under it, whichever was first or valid), is left out of the run,
// its error joined into the returned error, and its products then fail with an error; the run is
// usable for the other shops. A nil shops is no shops. The
// zero Evaluator, and an instant that is the zero time or outside 1900–2199, return a nil run
// and the error.
func (e *Evaluator) NewRun(shops iter.Seq[Shop], at time.Time) (*Run, error) {
	if !e.ready() {
		return nil, ErrNoPolicy
	}
	if !inBounds(at) {
		return nil, bounds.Instant(pkg, "at", at)
	}
	r := &Run{e: e, at: at, shops: map[string]Result{}}
	if shops == nil {
		return r, nil
	}
	l := fielderr.For(pkg)
	seen := map[string]bool{}  // every ID given, its shop valid or not
	twice := map[string]bool{} // the IDs given more than once: which shop is meant is unknown
	for s := range shops {
		if seen[s.ID] {
			if !twice[s.ID] {
				l.Add("shop.id", strconv.Quote(s.ID), "appears twice in the run: every shop under it is left out")
			}
			twice[s.ID] = true
			continue
		}
		seen[s.ID] = true
		res, err := e.Shop(s, at)
		if err != nil {
			l.Append(err)
			continue
		}
		r.shops[s.ID] = res
	}
	for id := range twice {
		delete(r.shops, id)
	}
	return r, l.Err()
}

// Shop returns the result of the shop with the given ID and whether the run evaluated it. The
// result is the caller's: changing its reasons changes nothing in the run.
func (r *Run) Shop(id string) (Result, bool) {
	res, ok := r.shop(id)
	res.Decision.Reasons = slices.Clone(res.Decision.Reasons)
	return res, ok
}

// shop returns the run's own result of shop id, shared with every product of the shop.
func (r *Run) shop(id string) (Result, bool) {
	if r == nil {
		return Result{}, false
	}
	res, ok := r.shops[id]
	return res, ok
}

// Shops yields every shop result in ID order, each the caller's as [Run.Shop]'s is.
func (r *Run) Shops() iter.Seq[Result] {
	return func(yield func(Result) bool) {
		if r == nil {
			return
		}
		for _, id := range slices.Sorted(maps.Keys(r.shops)) {
			if res, _ := r.Shop(id); !yield(res) {
				return
			}
		}
	}
}

// Products yields, in input order, each product's result, or the zero Result and the error its
// bad input caused, the error naming the product; an error for one product does not stop the
// others. Besides [Evaluator.Product]'s checks (among them: the product is in its shop's market),
// a product must belong to a shop of this run. It holds one product at a time, so the input may
// be a stream of any length; a nil products is no products. It does not look for a product given
// twice, which would take memory in proportion to the stream: the same facts give the same
// result, and a host keying results by product ID detects the duplicate where it stores them.
func (r *Run) Products(products iter.Seq[Product]) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		if products == nil {
			return
		}
		for p := range products {
			if !yield(r.AppendProduct(nil, p)) {
				return
			}
		}
	}
}

// AppendProduct evaluates one product as [Run.Products] does, with its reasons appended to dst
// as [Evaluator.AppendProduct] appends them: a run that writes each result out (to a database,
// a file, a queue) before the next keeps the array (buf = r.Decision.Reasons after a result with
// reasons; a passing result has none, nil), passes buf[:0], and allocates nothing once the array
// is large enough. The result's reasons share dst's array, so a result
// kept in memory beyond the next call needs its own copy of them (slices.Clone). The shop's
// result is the run's own: its reasons are copied into the product's, never handed out.
func (r *Run) AppendProduct(dst []affrules.Reason, p Product) (Result, error) {
	switch shop, ok := r.shop(p.ShopID); {
	case r == nil || r.e == nil:
		return Result{}, fmt.Errorf("eligibility: run not built with Evaluator.NewRun: %w", ErrNoPolicy)
	case !ok && p.ID != "" && p.ShopID != "":
		return Result{}, fielderr.New(pkg, "product["+p.ID+"].shop_id", strconv.Quote(p.ShopID), "is not a shop evaluated in this run")
	default: // Evaluator.AppendProduct names an empty ID or shop ID
		res, err := r.e.AppendProduct(dst, p, shop, r.at)
		if err != nil {
			return Result{}, err
		}
		return res, nil
	}
}
