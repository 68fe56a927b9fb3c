package eligibility_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
)

// Fuzz targets for the evaluators (issue 10): any generated input gives a result or an error,
// never both and never neither, never a panic, and within a second (internal/deadline). Each was run
// for 60 s, one at a time, with `go test -run '^$' -fuzz '^FuzzX$' -fuzztime 60s ./eligibility/`
// on a shared 2-core machine (load average 8–10), none failing:
//
//	FuzzShop         447,665 execs, 125 interesting inputs
//	FuzzProduct      364,561 execs, 113 interesting inputs
//	FuzzListing      251,486 execs,  94 interesting inputs
//	FuzzResultJSON   310,499 execs,  35 interesting inputs (40 s, 2026-12-02, load about 2)
//	FuzzParsePolicy  454,015 execs,  95 interesting inputs
//
// The interesting inputs are kept in testdata/fuzz, so every `go test` runs them as seeds.

// fuzzLimit is the per-input deadline.
const fuzzLimit = time.Second

var fuzzEvaluator = eligibility.MustNew(eligibility.DefaultPolicy())

// fuzzRating builds a store rating from a fuzzed text, or, when it does not parse, from a
// coefficient and an exponent of any size (decimal.New(4, -2e9) among them).
func fuzzRating(text string, coef int64, exp int32) decimal.Decimal {
	if d, err := decimal.NewFromString(text); err == nil && len(text) <= 64 {
		return d
	}
	return decimal.New(coef, exp)
}

// fuzzInstant is Unix seconds and nanoseconds, the zero time.Time when both are zero.
func fuzzInstant(sec int64, nsec int64) time.Time {
	if sec == 0 && nsec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, nsec)
}

// checkResult fails t unless exactly one of r and err is set, and a result is well formed: a
// known state, Allowed exactly when eligible, a scope exactly when disqualified, and JSON that
// marshals (no instant past year 9999).
func checkResult(t *testing.T, r eligibility.Result, err error) {
	t.Helper()
	if err != nil {
		if !reflect.ValueOf(r).IsZero() {
			t.Fatalf("a result %+v beside the error %v", r, err)
		}
		if err.Error() == "" {
			t.Fatal("an empty error message")
		}
		return
	}
	switch {
	case r.State != eligibility.Eligible && r.State != eligibility.TemporarilyDisqualified && r.State != eligibility.PermanentlyDisqualified:
		t.Fatalf("neither a result nor an error: state %s", r.State)
	case r.Decision.Allowed != r.Eligible():
		t.Fatalf("allowed %t with state %s", r.Decision.Allowed, r.State)
	case (r.Scope == eligibility.NoScope) != r.Eligible():
		t.Fatalf("scope %s with state %s", r.Scope, r.State)
	case r.ID == "" || r.ShopID == "" || r.Market == "":
		t.Fatalf("a result without its keys: %+v", r)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("the result does not marshal: %v", err)
	}
	_ = r.Decision.String()
}

// FuzzShop: Evaluator.Shop on any shop and instant.
func FuzzShop(f *testing.F) {
	f.Add("s", "TH", "2.8", int64(0), int32(0), int64(0), int64(0), t0.Unix(), int64(0), false, uint8(0))
	f.Add("s", "UK", "", int64(4), int32(-2_000_000_000), t0.Unix()-3600, int64(0), t0.Unix(), int64(0), false, uint8(0))
	f.Add("s", "TH", "2.8", int64(0), int32(0), int64(0), int64(0), int64(0), int64(0), false, uint8(0)) // the zero instant
	f.Add("", "", "x", int64(-1), int32(28), int64(-1e12), int64(1), int64(7e9), int64(0), true, uint8(3))
	f.Add("s", "MY", "5", int64(0), int32(0), int64(253402300799), int64(0), int64(253402300799), int64(0), false, uint8(2)) // year 9999
	f.Fuzz(func(t *testing.T, id, market, rating string, coef int64, exp int32, vSec, vNsec, atSec, atNsec int64, deactivated bool, previous uint8) {
		s := eligibility.Shop{ID: id, Market: affrules.MarketCode(market), StoreRating: fuzzRating(rating, coef, exp),
			LastCounterfeitViolation: fuzzInstant(vSec, vNsec), Deactivated: deactivated, Previous: eligibility.State(previous)}
		at := fuzzInstant(atSec, atNsec)
		var r eligibility.Result
		var err error
		deadline.Within(t, fuzzLimit, func() { r, err = fuzzEvaluator.Shop(s, at) })
		checkResult(t, r, err)
		if err == nil && (at.Year() < 1900 || at.Year() > 2199 || r.ID != id || r.Market != s.Market) {
			t.Fatalf("a result at %s for shop %q in %q: %+v", at, id, market, r)
		}
		// ELG-1 read with time.Time: a violation in the half-open window (at − 60 days, at].
		v := s.LastCounterfeitViolation
		if within := !v.IsZero() && v.After(at.Add(-60*24*time.Hour)); err == nil && r.Decision.Failed(eligibility.RuleCounterfeit) != within {
			t.Fatalf("ELG-1 for a violation at %s, evaluated at %s: failed %t, want %t", v, at, r.Decision.Failed(eligibility.RuleCounterfeit), within)
		}
		// AppendShop into an array holding an element gives the same, and keeps the element.
		buf := make([]affrules.Reason, 1, 8)
		buf[0] = affrules.Reason{Rule: "KEPT"}
		ar, aerr := fuzzEvaluator.AppendShop(buf, s, at)
		if fmt.Sprint(aerr) != fmt.Sprint(err) || !reflect.DeepEqual(ar, r) || buf[0].Rule != "KEPT" {
			t.Fatalf("AppendShop %+v, %v; Shop %+v, %v", ar, aerr, r, err)
		}
		// ShopInto over a result that holds another gives the same, and nothing of the other.
		into := eligibility.Result{ID: "stale", State: eligibility.PermanentlyDisqualified, Decision: affrules.Decision{Reasons: []affrules.Reason{{Rule: "STALE"}}}}
		if ierr := fuzzEvaluator.ShopInto(&into, nil, &s, at); fmt.Sprint(ierr) != fmt.Sprint(err) || !reflect.DeepEqual(into, r) {
			t.Fatalf("ShopInto %+v, %v; Shop %+v, %v", into, ierr, r, err)
		}
	})
}

// FuzzProduct: Evaluator.Product on any product against a shop result that Evaluator.Shop gave
// or, when the shop is refused, one built by hand; and the same product through a Run, which
// must agree.
func FuzzProduct(f *testing.F) {
	f.Add("s", "UK", int64(46), "p", "s", "TH", "electronics", int64(1000), int64(50), int64(12), int64(5), int64(1), false, false, uint8(0), t0.Unix(), uint8(1), true)
	f.Add("s", "UK", int64(46), "p", "s", "UK", "fmcg", int64(1000), int64(50), int64(1), int64(5), int64(1), false, false, uint8(0), int64(0), uint8(1), true)
	f.Add("s", "TH", int64(28), "", "", "", "", int64(-1), int64(0), int64(0), int64(0), int64(0), true, true, uint8(9), t0.Unix(), uint8(0), false)
	f.Add("s", "UK", int64(46), "p", "s", "UK", "lifestyle", int64(9223372036854775807), int64(9223372036854775807), int64(92233720368547758), int64(9223372036854775807), int64(9223372036854775807), false, false, uint8(3), t0.Unix(), uint8(2), false)
	f.Fuzz(func(t *testing.T, shopID, shopMarket string, rating10 int64, id, pShopID, market, category string,
		orders, reviews, negative, cases, sellerFault int64, frozen, delisted bool, previous uint8, atSec int64, shopState uint8, shopAllowed bool) {
		at := fuzzInstant(atSec, 0)
		s := eligibility.Shop{ID: shopID, Market: affrules.MarketCode(shopMarket), StoreRating: decimal.New(rating10, -1)}
		shop, err := fuzzEvaluator.Shop(s, t0)
		fromShop := err == nil
		if !fromShop {
			shop = eligibility.Result{ID: shopID, ShopID: shopID, Market: affrules.MarketCode(shopMarket), State: eligibility.State(shopState), Decision: affrules.Decision{Allowed: shopAllowed}}
		}
		p := eligibility.Product{ID: id, ShopID: pShopID, Market: affrules.MarketCode(market), Category: affrules.Category(category),
			Orders: orders, Reviews: reviews, NegativeReviewOrders: negative, RefundCases: cases, SellerFaultRefunds: sellerFault,
			Frozen: frozen, Delisted: delisted, Previous: eligibility.State(previous)}
		var r eligibility.Result
		deadline.Within(t, fuzzLimit, func() { r, err = fuzzEvaluator.Product(p, shop, at) })
		checkResult(t, r, err)
		// AppendProduct into an array holding an element gives the same, and keeps the element.
		buf := make([]affrules.Reason, 1, 8)
		buf[0] = affrules.Reason{Rule: "KEPT"}
		ar, aerr := fuzzEvaluator.AppendProduct(buf, p, shop, at)
		if fmt.Sprint(aerr) != fmt.Sprint(err) || !reflect.DeepEqual(ar, r) || buf[0].Rule != "KEPT" {
			t.Fatalf("AppendProduct %+v, %v; Product %+v, %v", ar, aerr, r, err)
		}
		// ProductInto over a result that holds another gives the same, and nothing of the other.
		into := eligibility.Result{ID: "stale", State: eligibility.PermanentlyDisqualified, Decision: affrules.Decision{Reasons: []affrules.Reason{{Rule: "STALE"}}}}
		ierr := fuzzEvaluator.ProductInto(&into, nil, &p, &shop, at)
		if fmt.Sprint(ierr) != fmt.Sprint(err) || !reflect.DeepEqual(into, r) {
			t.Fatalf("ProductInto %+v, %v; Product %+v, %v", into, ierr, r, err)
		}
		if err == nil {
			if id == "" || pShopID != shop.ID || p.Market != shop.Market || r.Market != shop.Market || at.Year() < 1900 || at.Year() > 2199 {
				t.Fatalf("product %+v passed against shop %+v at %s: %+v", p, shop, at, r)
			}
			if r.Eligible() && !shop.Eligible() {
				t.Fatalf("an eligible product of an ineligible shop: %+v", r)
			}
		}
		if !fromShop {
			return
		}
		// Every path checks the same: Run.Products agrees with Evaluator.Product.
		run, runErr := fuzzEvaluator.NewRun(slices.Values([]eligibility.Shop{s}), at)
		if runErr != nil {
			if err == nil {
				t.Fatalf("NewRun refused %v where Product passed: %v", at, runErr)
			}
			return
		}
		n := 0
		for rr, rerr := range run.Products(slices.Values([]eligibility.Product{p})) {
			n++
			checkResult(t, rr, rerr)
			if (rerr == nil) != (err == nil) {
				t.Fatalf("Run.Products %v, Evaluator.Product %v", rerr, err)
			}
		}
		if n != 1 {
			t.Fatalf("Run.Products yielded %d times for one product", n)
		}
	})
}

// FuzzListing: Listing.Listed and ViewOf on any viewer, purpose and creator: a denial always
// says why, an unknown purpose is never listed, and the view agrees with Listed.
func FuzzListing(f *testing.F) {
	f.Add("my-agency", true, true, "creator_partnership", "c", true, "", false, false, false, true)
	f.Add("", true, false, "Creator_Partnership", "c", true, "x", false, false, true, false)
	f.Add("x", false, false, "\x00", "", false, "x", true, true, false, false)
	f.Fuzz(func(t *testing.T, viewerID string, mcn, partner bool, purpose, creatorID string, permission bool, linked string, official, marketing, allowPartnerOnly, partnerSeesManaged bool) {
		l := eligibility.Listing{AllowPartnerOnly: allowPartnerOnly, PartnerSeesManaged: partnerSeesManaged}
		v := eligibility.Viewer{ID: viewerID, MCN: mcn, Partner: partner}
		c := eligibility.Creator{ID: creatorID, ECommercePermission: permission, LinkedMCN: linked, OfficialAccount: official, MarketingAccount: marketing}
		p := eligibility.Purpose(purpose)
		var d affrules.Decision
		var view eligibility.View
		deadline.Within(t, fuzzLimit, func() { d, view = l.Listed(v, p, c), l.ViewOf(v, c) })
		if d.Allowed != (len(d.Reasons) == 0) {
			t.Fatalf("allowed %t with reasons %v", d.Allowed, d.Reasons)
		}
		known := p == eligibility.CreatorPartnership || p == eligibility.ProductDistribution
		if d.Allowed && (!known || !l.Uses(v) || !permission || official || marketing) {
			t.Fatalf("listed %+v to %+v for %q", c, v, p)
		}
		if d.Allowed && linked != "" && linked != viewerID && p == eligibility.CreatorPartnership {
			t.Fatalf("another MCN's creator listed for creator partnership: %+v to %+v", c, v)
		}
		if view.Partnership != l.Listed(v, eligibility.CreatorPartnership, c).Allowed ||
			view.Distribution != l.Listed(v, eligibility.ProductDistribution, c).Allowed ||
			view.Listed != (view.Partnership || view.Distribution) {
			t.Fatalf("view %+v disagrees with Listed", view)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatalf("the decision does not marshal: %v", err)
		}
	})
}

// FuzzResultJSON: any bytes decode to an error, leaving the result as it was, or to a result
// whose decision agrees with its state and which encodes and decodes back to itself; never a
// panic, and within a second.
func FuzzResultJSON(f *testing.F) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: decimal.NewFromInt(2), LastCounterfeitViolation: at.AddDate(0, 0, -10)}, at)
	if err != nil {
		f.Fatal(err)
	}
	b, _ := json.Marshal(shop)
	for _, s := range []string{string(b), `null`, `{}`, `{"id":"p","state":"eligible","decision":{"allowed":true}}`,
		`{"id":"p","state":"eligible","decision":{"allowed":false}}`, `{"id":"p","state":"eligible","state":"eligible","decision":{"allowed":true}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		deadline.Within(t, time.Second, func() {
			r := eligibility.Result{ID: "kept"}
			if err := json.Unmarshal(data, &r); err != nil {
				if r.ID != "kept" {
					t.Fatalf("%q: error %v, and the result changed to %+v", data, err, r)
				}
				return
			}
			if r.Decision.Allowed != r.Eligible() {
				t.Fatalf("%q decoded to a %s result whose decision allowed is %t", data, r.State, r.Decision.Allowed)
			}
			out, err := json.Marshal(r)
			if err != nil {
				return // a decision no evaluator makes may not encode (an instant past 9999, say)
			}
			var back eligibility.Result
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("%q decoded, but its encoding %s does not: %v", data, out, err)
			}
			if again, _ := json.Marshal(back); string(again) != string(out) {
				t.Fatalf("%s decodes to %s", out, again)
			}
		})
	})
}
