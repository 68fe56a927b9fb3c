package commission_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/deadline"
)

// fuzzLimit is the time one fuzz input may take: a slow input is a failure, saved.
const fuzzLimit = time.Second

// wellFormedError reports whether err is what a loader may return: field errors (joined), or a
// decoding error wrapped with the package's prefix.
func wellFormedError(err error) bool {
	var fe *affrules.FieldError
	return errors.As(err, &fe) || strings.HasPrefix(err.Error(), "commission: ")
}

// The policy loader never panics; what it accepts validates, builds an evaluator and survives a
// round trip through JSON unchanged.
func FuzzParsePolicy(f *testing.F) {
	def, _ := json.Marshal(commission.DefaultPolicy())
	f.Add(def)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"decrease_delay_days": 14, "rounding": "half_even", "precedence": ["OPEN", "TARGET"]}`))
	f.Add([]byte(`{"suggested": {"TH": {"fashion": "12%"}}, "settlement_days": {"standard": 7}}`))
	f.Add([]byte(`{"Rounding": "down", "rounding": "down", "rounding": "up"}`))
	f.Add([]byte(`{"min_rate": "90%", "max_rate": "10%", "precedence": ["OPEN", "OPEN"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p commission.Policy
		var err error
		deadline.Within(t, fuzzLimit, func() { p, err = commission.ParsePolicy(data) })
		if err != nil {
			if !wellFormedError(err) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate refuses: %v", err)
		}
		if _, err := commission.New(p); err != nil {
			t.Fatalf("New refused a parsed policy: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := commission.ParsePolicy(b)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if b2, _ := json.Marshal(q); string(b2) != string(b) {
			t.Fatalf("round trip changed the policy:\n%s\n%s", b, b2)
		}
	})
}

// The offer JSON decoder never panics; an offer it decodes either is refused by the rule with
// field errors or prepares, resolves, and survives a round trip through JSON unchanged.
func FuzzParseOffer(f *testing.F) {
	for _, o := range october() {
		b, _ := json.Marshal(o)
		f.Add(b)
	}
	tap, _ := json.Marshal(partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "20%", "25%"))
	f.Add(tap)
	tier := openOffer("tier", at(day(1), "10%"))
	es := []affrules.Effective[commission.Terms]{at(day(1), "10%")}
	es[0].Value.Tier = &commission.Tier{Threshold: 10, Rate: rate("12%")}
	tier.Rates = history(es...)
	tb, _ := json.Marshal(tier)
	f.Add(tb)
	f.Add([]byte(`{"id":"x","source":"OPEN","rates":[{"from":"2026-10-01T00:00:00Z","value":{"rate":"81%"}}]}`))
	f.Add([]byte(`{"id":"x","source":"OPENN","Rates":[]}`))
	e := commission.MustNew(commission.DefaultPolicy())
	rule := commission.DefaultPolicy().OfferRule()
	f.Fuzz(func(t *testing.T, data []byte) {
		var o commission.Offer
		var err error
		deadline.Within(t, fuzzLimit, func() { o, err = commission.ParseOffer(data) })
		if err != nil {
			if !wellFormedError(err) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		deadline.Within(t, fuzzLimit, func() { err = rule.Check(nil, o, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) })
		if err != nil {
			var fe *affrules.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Check error %T %v", err, err)
			}
			return
		}
		b, err := e.Prepare(o)
		if err != nil {
			t.Fatalf("Prepare refused an offer Check accepts: %v", err)
		}
		ord := order("line", o.Period.Start)
		ord.Market, ord.Product = o.Market, o.Product
		if _, err := e.Resolve(b, ord, o.Period.Start); err != nil {
			t.Fatalf("Resolve: %v", err)
		}
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		again, err := commission.ParseOffer(out)
		if err != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		if out2, _ := json.Marshal(again); string(out2) != string(out) {
			t.Fatalf("round trip changed the offer:\n%s\n%s", out, out2)
		}
	})
}

// The resolver on drawn offers, orders and policies: the winner is one applicable candidate of
// the highest-ranked source at the highest rate of that source; every other candidate says why it
// lost; the decision agrees; the rate lies within the bounds.
func resolverProperty(t *rapid.T) {
	p := genPolicy(t)
	e := commission.MustNew(p)
	offers := genOffers(t)
	when := rapid.IntRange(0, 2400).Draw(t, "at")
	o := genOrder(t, when)
	o.Attributed = rapid.IntRange(0, 9).Draw(t, "attributed") > 0
	o.OrderCount = rapid.Int64Range(1, 1000).Draw(t, "count")
	b := mustBook(t, e, offers...)
	r, err := e.Resolve(b, o, hour(when))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Candidates()) != len(offers) {
		t.Fatalf("%d candidates for %d offers", len(r.Candidates()), len(offers))
	}
	d := r.Decision()
	if d.Allowed != r.Earned() {
		t.Fatalf("decision %v but earned %v", d, r.Earned())
	}
	won := 0
	for _, c := range r.Candidates() {
		switch {
		case c.Outcome == commission.Won:
			won++
			if c.OfferID != r.OfferID || !c.Rate.Equal(r.Rate) {
				t.Fatalf("winner %s %s, resolution %s %s", c.OfferID, c.Rate, r.OfferID, r.Rate)
			}
		case c.Reason.Rule == "" || c.Reason.Kind != affrules.NotApplicable:
			t.Fatalf("candidate %s lost without a reason: %+v", c.OfferID, c)
		}
	}
	if r.Earned() != (won == 1) || won > 1 {
		t.Fatalf("earned %v with %d winners", r.Earned(), won)
	}
	if r.Earned() {
		if r.Rate.Cmp(p.MinRate) < 0 || r.Rate.Cmp(p.MaxRate) > 0 {
			t.Fatalf("rate %s outside the bounds", r.Rate)
		}
		ranks := p.Precedence
		if o.ShopAds && o.VideoAuthorised {
			ranks = p.ShopAdsPrecedence
		}
		rank := func(s commission.Source) int {
			for i, x := range ranks {
				if x == s {
					return i
				}
			}
			return 99
		}
		for _, c := range r.Candidates() {
			if c.Outcome == commission.Overridden && (rank(c.Source) < rank(r.Source) || rank(c.Source) == rank(r.Source) && c.Rate.Cmp(r.Rate) > 0) {
				t.Fatalf("%s %s %s lost to %s %s", c.Source, c.OfferID, c.Rate, r.Source, r.Rate)
			}
		}
	}
	if !o.Attributed && (r.Earned() || !d.Failed(commission.RuleAttributed)) {
		t.Fatalf("unattributed order: %v", d)
	}
	if r.Explain() == "" {
		t.Fatal("empty explanation")
	}
}

func TestResolverProperty(t *testing.T) { rapid.Check(t, resolverProperty) }

// FuzzResolve drives the resolver property from go test -fuzz.
func FuzzResolve(f *testing.F) { f.Fuzz(rapid.MakeFuzz(resolverProperty)) }

// FuzzComputeInto is TestPropertyComputeInto's property under the fuzzer: one Commission reused
// over a run of order lines, refused ones included, always holds what Compute returns.
func FuzzComputeInto(f *testing.F) { f.Fuzz(rapid.MakeFuzz(computeIntoProperty)) }
