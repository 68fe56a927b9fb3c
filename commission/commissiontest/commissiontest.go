// Package commissiontest checks implementations of [commission.OfferStore] and
// [commission.RecordStore], as testing/fstest checks file systems, and a host's own commission
// policy. It depends on the standard library, pgregory.net/rapid and shopspring/decimal only
// (besides the packages it checks), so a host's build of its tests pulls in nothing else.
//
// [TestOffers] and [TestRecords] are the conformance suites of the stores: fixed cases and
// rapid state machines that compare every answer with a plain model.
//
// [CheckPolicy] checks a policy: it runs the named properties of [Properties], each over inputs
// drawn for that policy by this package's generators ([Policy], [Rate], [Cases], [Records],
// [Events]), and reports a minimal counter-example through rapid:
//
//   - precedence_covers_every_source: COM-2, COM-5
//   - winner_ranks_highest: COM-5
//   - no_rate_outside_bounds: COM-9
//   - split_always_sums: COM-1, COM-7, COM-8
//
// Interpretations:
//
//   - A precedence list that leaves a source out is a valid policy (the source never wins),
//     yet it fails precedence_covers_every_source: a host that means to drop a source should
//     see that its orders then earn nothing from it.
//   - winner_ranks_highest, no_rate_outside_bounds and split_always_sums hold for every policy
//     [commission.Policy.Validate] accepts; they judge the evaluator and the settlement rule
//     that apply the policy, so that a host's CI catches a rule that changes under its policy.
//     Their own tests prove them able to fail on a broken evaluator.
//   - A generated event is well-formed; a refund may exceed what remains to refund by a minor
//     unit and a settlement may come a nanosecond before the record is due, the limits the
//     settlement rule refuses at.
package commissiontest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

var (
	t0   = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rule = commission.DefaultPolicy().OfferRule()
	// change is the instant of the changes the suite makes to stored offers (COM-3): after the
	// first entry of every history, before the entries the changes add.
	change = t0.Add(30 * time.Minute)
)

func mustRate(s string) affrules.Rate { return affrules.MustParseRate(s) }

func timeline(t *testing.T, es ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
	t.Helper()
	tl, err := affrules.NewTimeline(es...)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func entry(from time.Time, r string) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: mustRate(r)}}
}

func openOffer(t *testing.T, id, product string, es ...affrules.Effective[commission.Terms]) commission.Offer {
	return commission.Offer{ID: id, Source: commission.Open, Market: affrules.UK, Product: product, Coverage: commission.Everyone,
		Period: affrules.Period{Start: t0}, Rates: timeline(t, es...)}
}

func targetOffer(t *testing.T, id, product string, creators ...string) commission.Offer {
	return commission.Offer{ID: id, Source: commission.Target, Market: affrules.UK, Product: product, Coverage: commission.Listed,
		Creators: creators, Period: affrules.Period{Start: t0}, Rates: timeline(t, entry(t0, "10%"))}
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fieldError asserts err is (or joins) a *affrules.FieldError naming field, and returns it.
func fieldError(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error naming %s, got nil", field)
	}
	var fe *affrules.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *affrules.FieldError naming %s, got %T %v", field, err, err)
	}
	if !strings.Contains(err.Error(), field) {
		t.Fatalf("want an error naming %s, got %v", field, err)
	}
}

// TestOffers runs the conformance suite against the offer stores newStore returns: storing and
// reading offers, every put in the next Offers answer, changes that extend a history, every refused
// offer or change storing nothing (COM-9 bounds, COM-11 tiers, rewritten histories), one OPEN offer
// per market and product, a relisting after a removal refused while its terms at its start pay less
// than the removed offer still owes (CMP-7, COM-10), copies isolated from the caller, and
// concurrent puts. Its last subtest, Machine, is a rapid state machine that compares every answer
// of a new store with a plain model: a map of the offers stored, a put accepted exactly when the
// rule given accepts the offer over the one stored under its ID and it is neither a second OPEN
// offer of its market and product running then nor such a relisting, over random runs of new
// offers, changes (new rates, rewritten ones, ends, moved starts, members, creators, sources) under
// two rules, reads and calls that must fail. newStore must return a new, empty store each time it
// is called; Machine calls it in a subtest of its own for each rapid check, which ends, running the
// store's cleanups, when the check does, and runs at most 20 checks (lowering -rapid.checks while
// it runs, unless it is given on the command line, which then holds), so TestOffers must not run in
// parallel with other rapid tests.
func TestOffers(t *testing.T, newStore func(t *testing.T) commission.OfferStore) {
	ctx := context.Background()
	t.Run("PutAndRead", func(t *testing.T) {
		s := newStore(t)
		o := openOffer(t, "o1", "p1", entry(t0, "10%"))
		got, err := s.Put(ctx, rule, o, t0)
		if err != nil {
			t.Fatal(err)
		}
		o.Updated = t0.UTC() // the instant of the put
		if asJSON(t, got) != asJSON(t, o) {
			t.Errorf("Put returned %s, want %s", asJSON(t, got), asJSON(t, o))
		}
		read, err := s.Offer(ctx, "o1")
		if err != nil || asJSON(t, read) != asJSON(t, o) {
			t.Errorf("Offer = %s, %v; want %s", asJSON(t, read), err, asJSON(t, o))
		}
		if _, err := s.Offer(ctx, "nope"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("Offer(nope) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("OffersByMarketAndProduct", func(t *testing.T) {
		s := newStore(t)
		for _, id := range []string{"c", "a", "b"} {
			if _, err := s.Put(ctx, rule, targetOffer(t, id, "p1", "c1"), t0); err != nil {
				t.Fatal(err)
			}
		}
		other := openOffer(t, "d", "p2", entry(t0, "10%"))
		elsewhere := openOffer(t, "e", "p1", entry(t0, "10%"))
		elsewhere.Market = affrules.TH
		for _, o := range []commission.Offer{other, elsewhere} {
			if _, err := s.Put(ctx, rule, o, t0); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Offers(ctx, affrules.UK, "p1")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range got {
			ids = append(ids, o.ID)
		}
		if strings.Join(ids, ",") != "a,b,c" {
			t.Errorf("Offers(UK, p1) = %v, want [a b c] in ID order", ids)
		}
		none, err := s.Offers(ctx, affrules.MY, "p1")
		if err != nil || len(none) != 0 {
			t.Errorf("Offers(MY, p1) = %v, %v; want none", none, err)
		}
		// A market not registered, such as a code in the wrong case, is an error, not "none".
		for _, m := range []affrules.MarketCode{"uk", "XX", ""} {
			if got, err := s.Offers(ctx, m, "p1"); !errors.Is(err, affrules.ErrUnknownMarket) {
				t.Errorf("Offers(%q, p1) = %v, %v; want an error wrapping ErrUnknownMarket", m, got, err)
			}
		}
	})
	t.Run("IDsCaseSensitive", func(t *testing.T) {
		// IDs and products are held as given: ones that differ only in case are others (a
		// database column that ignores case would merge them).
		s := newStore(t)
		for _, o := range []commission.Offer{targetOffer(t, "t", "P1", "c1"), targetOffer(t, "T", "p1", "c2")} {
			if _, err := s.Put(ctx, rule, o, t0); err != nil {
				t.Fatal(err)
			}
		}
		for id, creator := range map[string]string{"t": "c1", "T": "c2"} {
			if got, err := s.Offer(ctx, id); err != nil || got.ID != id || !slices.Equal(got.Creators, []string{creator}) {
				t.Errorf("Offer(%q) = %s, %v; want the offer put under %q", id, asJSON(t, got), err, id)
			}
		}
		for product, id := range map[string]string{"P1": "t", "p1": "T"} {
			got, err := s.Offers(ctx, affrules.UK, product)
			if err != nil || len(got) != 1 || got[0].ID != id {
				t.Errorf("Offers(UK, %q) = %s, %v; want the one offer %q", product, asJSON(t, got), err, id)
			}
		}
		if _, err := s.Offer(ctx, "t "); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("Offer(%q) error = %v, want ErrNotFound", "t ", err)
		}
	})
	t.Run("ChangeExtendsHistory", func(t *testing.T) {
		s := newStore(t)
		o := openOffer(t, "o1", "p1", entry(t0, "10%"))
		if _, err := s.Put(ctx, rule, o, t0); err != nil {
			t.Fatal(err)
		}
		o.Rates = timeline(t, entry(t0, "10%"), entry(t0.Add(48*time.Hour), "8%"))
		if _, err := s.Put(ctx, rule, o, change); err != nil {
			t.Fatalf("extending the history: %v", err)
		}
		got, _ := s.Offer(ctx, "o1")
		if got.Rates.Len() != 2 {
			t.Errorf("history has %d entries, want 2", got.Rates.Len())
		}
	})
	t.Run("OffersAfterEachPut", func(t *testing.T) {
		// Offers answers with what is stored now: each put, new or a change, is in the next
		// answer (a store that kept an earlier answer would resolve orders on old rates).
		s := newStore(t)
		o := openOffer(t, "o1", "p1", entry(t0, "10%"))
		want := func(what string, ids string, rates ...int) {
			t.Helper()
			got, err := s.Offers(ctx, affrules.UK, "p1")
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			var gotIDs []string
			for i, g := range got {
				gotIDs = append(gotIDs, g.ID)
				if i < len(rates) && g.Rates.Len() != rates[i] {
					t.Errorf("%s: Offers(UK, p1)[%d] has %d history entries, want %d", what, i, g.Rates.Len(), rates[i])
				}
			}
			if strings.Join(gotIDs, ",") != ids {
				t.Errorf("%s: Offers(UK, p1) = %v, want [%s]", what, gotIDs, ids)
			}
		}
		if _, err := s.Put(ctx, rule, o, t0); err != nil {
			t.Fatal(err)
		}
		want("after the first put", "o1", 1)
		o.Rates = timeline(t, entry(t0, "10%"), entry(t0.Add(48*time.Hour), "12%"))
		if _, err := s.Put(ctx, rule, o, change); err != nil {
			t.Fatal(err)
		}
		want("after a change", "o1", 2)
		if _, err := s.Put(ctx, rule, targetOffer(t, "o0", "p1", "c1"), change); err != nil {
			t.Fatal(err)
		}
		want("after another offer", "o0,o1", 1, 2)
	})
	refused := []struct {
		name, field string
		change      func(t *testing.T, o *commission.Offer)
	}{
		{"RateBelowBounds_COM9", "offer.rates[1].value.rate", func(t *testing.T, o *commission.Offer) {
			o.Rates = timeline(t, entry(t0, "10%"), entry(t0.Add(time.Hour), "0.99%"))
		}},
		{"RateAboveBounds_COM9", "offer.rates[1].value.rate", func(t *testing.T, o *commission.Offer) {
			o.Rates = timeline(t, entry(t0, "10%"), entry(t0.Add(time.Hour), "80.01%"))
		}},
		{"HistoryRewritten", "offer.rates[0]", func(t *testing.T, o *commission.Offer) {
			o.Rates = timeline(t, entry(t0, "11%"), entry(t0.Add(time.Hour), "12%"))
		}},
		{"HistoryShortened", "offer.rates", func(t *testing.T, o *commission.Offer) {
			o.Rates = affrules.Timeline[commission.Terms]{}
		}},
		{"EntryDatedBeforeTheChange_COM3", "offer.rates[1].from", func(t *testing.T, o *commission.Offer) {
			o.Rates = timeline(t, entry(t0, "10%"), entry(change.Add(-time.Minute), "30%"))
		}},
		{"PeriodEndedInThePast_COM3", "offer.period.end", func(t *testing.T, o *commission.Offer) {
			o.Period.End = change.Add(-time.Minute)
		}},
		{"PeriodStartMoved_COM3", "offer.period.start", func(t *testing.T, o *commission.Offer) {
			o.Period.Start = t0.Add(time.Minute)
		}},
		{"SourceChanged", "offer.source", func(t *testing.T, o *commission.Offer) {
			o.Source, o.Coverage, o.Creators = commission.Target, commission.Listed, []string{"c1"}
		}},
		{"TierRateFalls_COM11", "offer.rates[1].value.tier.rate", func(t *testing.T, o *commission.Offer) {
			es := []affrules.Effective[commission.Terms]{entry(t0, "10%")}
			es[0].Value.Tier = &commission.Tier{Threshold: 50, Rate: mustRate("15%")}
			next := entry(t0.Add(time.Hour), "10%")
			next.Value.Tier = &commission.Tier{Threshold: 50, Rate: mustRate("14%")}
			o.Rates = timeline(t, append(es, next)...)
		}},
	}
	for _, tc := range refused {
		t.Run("Refused/"+tc.name, func(t *testing.T) {
			s := newStore(t)
			o := openOffer(t, "o1", "p1", entry(t0, "10%"))
			if tc.name == "TierRateFalls_COM11" {
				tc.change(t, &o)
				_, err := s.Put(ctx, rule, o, t0)
				fieldError(t, err, tc.field)
				if _, err := s.Offer(ctx, "o1"); !errors.Is(err, commission.ErrNotFound) {
					t.Errorf("a refused offer was stored: %v", err)
				}
				return
			}
			stored, err := s.Put(ctx, rule, o, t0)
			if err != nil {
				t.Fatal(err)
			}
			before := asJSON(t, stored)
			c := o
			tc.change(t, &c)
			_, err = s.Put(ctx, rule, c, change)
			fieldError(t, err, tc.field)
			got, _ := s.Offer(ctx, "o1")
			if asJSON(t, got) != before {
				t.Errorf("a refused change was stored: %s, want %s", asJSON(t, got), before)
			}
		})
	}
	t.Run("BoundsExactlyAccepted_COM9", func(t *testing.T) {
		s := newStore(t)
		for i, r := range []string{"1%", "80%"} {
			if _, err := s.Put(ctx, rule, openOffer(t, fmt.Sprint("o", i), fmt.Sprint("p", i), entry(t0, r)), t0); err != nil {
				t.Errorf("rate %s: %v", r, err)
			}
		}
	})
	t.Run("RuleGivenPerCall", func(t *testing.T) {
		s := newStore(t)
		strict := rule
		strict.MaxRate = mustRate("20%")
		_, err := s.Put(ctx, strict, openOffer(t, "o1", "p1", entry(t0, "25%")), t0)
		fieldError(t, err, "offer.rates[0].value.rate")
		if _, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "25%")), t0); err != nil {
			t.Errorf("the default rule allows 25%%: %v", err)
		}
	})
	t.Run("CopiesIsolated", func(t *testing.T) {
		s := newStore(t)
		o := commission.Offer{ID: "t1", Source: commission.Target, Market: affrules.UK, Product: "p1", Coverage: commission.Listed,
			Creators: []string{"c1", "c2"}, Period: affrules.Period{Start: t0}, Rates: timeline(t, entry(t0, "10%"))}
		if _, err := s.Put(ctx, rule, o, t0); err != nil {
			t.Fatal(err)
		}
		o.Creators[0] = "x"
		got, _ := s.Offer(ctx, "t1")
		if got.Creators[0] != "c1" {
			t.Errorf("the caller's slice changed the stored offer: %v", got.Creators)
		}
		got.Creators[1] = "y"
		again, _ := s.Offer(ctx, "t1")
		if again.Creators[1] != "c2" {
			t.Errorf("a returned slice changed the stored offer: %v", again.Creators)
		}
	})
	t.Run("ConcurrentPuts", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Put(ctx, rule, targetOffer(t, fmt.Sprintf("o%02d", i), "p1", "c1"), t0); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := s.Offers(ctx, affrules.UK, "p1")
		if err != nil || len(got) != 16 {
			t.Errorf("Offers = %d offers, %v; want 16", len(got), err)
		}
		// Concurrent puts of OPEN offers of one product under different IDs: exactly one is
		// stored, the others refused as a second OPEN offer (COM-10, COM-11), so the check and
		// the store are one atomic step.
		var mu sync.Mutex
		ok := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Put(ctx, rule, openOffer(t, fmt.Sprint("open", i), "p9", entry(t0, fmt.Sprintf("%d%%", 20+i))), t0); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		got2, err := s.Offers(ctx, affrules.UK, "p9")
		if ok != 1 || err != nil || len(got2) != 1 {
			t.Errorf("%d concurrent OPEN offers accepted, %d stored (%v); want 1 and 1", ok, len(got2), err)
		}
	})
	t.Run("EntriesNotYetInForceEditable_COM3", func(t *testing.T) {
		s := newStore(t)
		o := openOffer(t, "o1", "p1", entry(t0, "10%"), entry(t0.Add(48*time.Hour), "8%"))
		if _, err := s.Put(ctx, rule, o, t0); err != nil {
			t.Fatal(err)
		}
		// At t0+24h the 8% from t0+48h is not yet in force: it may be moved, changed, removed.
		o.Rates = timeline(t, entry(t0, "10%"), entry(t0.Add(72*time.Hour), "9%"))
		if _, err := s.Put(ctx, rule, o, t0.Add(24*time.Hour)); err != nil {
			t.Fatalf("changing an entry not yet in force: %v", err)
		}
		o.Rates = timeline(t, entry(t0, "10%"))
		if _, err := s.Put(ctx, rule, o, t0.Add(24*time.Hour)); err != nil {
			t.Fatalf("removing an entry not yet in force: %v", err)
		}
		got, _ := s.Offer(ctx, "o1")
		if got.Rates.Len() != 1 {
			t.Errorf("history has %d entries, want 1", got.Rates.Len())
		}
		// Ending the offer from the change on is allowed; ending it in the past is not.
		o.Period.End = t0.Add(24 * time.Hour)
		if _, err := s.Put(ctx, rule, o, t0.Add(24*time.Hour)); err != nil {
			t.Fatalf("ending the offer at the change: %v", err)
		}
	})
	t.Run("ChangesOnlyMoveForward_COM3", func(t *testing.T) {
		// A change dated before the offer's last one would rewrite what that one put in force: a
		// rate raised from day 10 (and paid on day 12) must not become another from day 5.
		s := newStore(t)
		day := 24 * time.Hour
		if _, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%")), t0); err != nil {
			t.Fatal(err)
		}
		raised, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%"), entry(t0.Add(10*day), "20%")), t0.Add(10*day))
		if err != nil {
			t.Fatal(err)
		}
		if !raised.Updated.Equal(t0.Add(10 * day)) {
			t.Errorf("Updated = %s, want the instant of the change %s", raised.Updated, t0.Add(10*day))
		}
		before := asJSON(t, raised)
		_, err = s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%"), entry(t0.Add(5*day), "11%")), t0.Add(5*day))
		fieldError(t, err, "at")
		if got, _ := s.Offer(ctx, "o1"); asJSON(t, got) != before {
			t.Errorf("a refused change was stored: %s", asJSON(t, got))
		}
		// At the instant of the last change itself, a change is accepted.
		if _, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%"), entry(t0.Add(10*day), "25%")), t0.Add(10*day)); err != nil {
			t.Errorf("a change at the instant of the last one: %v", err)
		}
	})
	t.Run("ListedCreatorsFixedOnceStarted_COM3", func(t *testing.T) {
		s := newStore(t)
		o := targetOffer(t, "t1", "p1", "c1")
		stored, err := s.Put(ctx, rule, o, t0)
		if err != nil {
			t.Fatal(err)
		}
		before := asJSON(t, stored)
		c := o
		c.Creators = []string{"c2"}
		_, err = s.Put(ctx, rule, c, change)
		fieldError(t, err, "offer.creators")
		if got, _ := s.Offer(ctx, "t1"); asJSON(t, got) != before {
			t.Errorf("a refused change was stored: %s", asJSON(t, got))
		}
	})
	t.Run("MembersJoinFromTheChangeOn_COM3", func(t *testing.T) {
		s := newStore(t)
		o := commission.Offer{ID: "cp", Source: commission.CollabPlus, Market: affrules.UK, Product: "p1", Coverage: commission.Members,
			Members: []commission.Member{{Creator: "c1", Joined: t0}}, Period: affrules.Period{Start: t0}, Rates: timeline(t, entry(t0, "15%"))}
		if _, err := s.Put(ctx, rule, o, t0); err != nil {
			t.Fatal(err)
		}
		c := o
		c.Members = []commission.Member{{Creator: "c1", Joined: t0.Add(time.Minute)}}
		_, err := s.Put(ctx, rule, c, change)
		fieldError(t, err, "offer.members[0].joined")
		c.Members = []commission.Member{{Creator: "c1", Joined: t0}, {Creator: "c2", Joined: t0}}
		_, err = s.Put(ctx, rule, c, change)
		fieldError(t, err, "offer.members[1].joined")
		c.Members = nil
		_, err = s.Put(ctx, rule, c, change)
		fieldError(t, err, "offer.members")
		c.Members = []commission.Member{{Creator: "c1", Joined: t0}, {Creator: "c2", Joined: change}}
		if _, err := s.Put(ctx, rule, c, change); err != nil {
			t.Errorf("a member joining at the change: %v", err)
		}
	})
	t.Run("OneOpenOfferPerProduct_COM10_COM11", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%")), t0); err != nil {
			t.Fatal(err)
		}
		_, err := s.Put(ctx, rule, openOffer(t, "o2", "p1", entry(t0, "5%")), change)
		fieldError(t, err, "offer.source")
		if _, err := s.Offer(ctx, "o2"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("a second OPEN offer was stored: %v", err)
		}
		elsewhere := openOffer(t, "o3", "p1", entry(t0, "5%"))
		elsewhere.Market = affrules.TH
		if _, err := s.Put(ctx, rule, elsewhere, change); err != nil {
			t.Errorf("an OPEN offer of the product in another market: %v", err)
		}
	})
	t.Run("RelistAfterRemoval_CMP7", func(t *testing.T) {
		// A product removed from Open Collaboration is listed again by a new OPEN offer: at once
		// at the same rate or a higher one; at a lower one only once the decrease delay has
		// passed since the removal (COM-10), and since any higher rate the offer paid.
		s := newStore(t)
		removed := change.Add(time.Hour)
		for _, p := range []string{"p1", "p2"} {
			o := openOffer(t, "old-"+p, p, entry(t0, "10%"))
			if _, err := s.Put(ctx, rule, o, t0); err != nil {
				t.Fatal(err)
			}
			o.Period.End = removed
			if _, err := s.Put(ctx, rule, o, removed); err != nil {
				t.Fatalf("removing %s: %v", o.ID, err)
			}
		}
		relist := func(id, product, r string, start time.Time) commission.Offer {
			o := openOffer(t, id, product, entry(start, r))
			o.Period.Start = start
			return o
		}
		if _, err := s.Put(ctx, rule, relist("new-p1", "p1", "10%", removed), removed); err != nil {
			t.Errorf("relisting at the same rate at the removal: %v", err)
		}
		_, err := s.Put(ctx, rule, relist("low-p2", "p2", "8%", removed.Add(rule.RelistDelay-time.Nanosecond)), removed)
		fieldError(t, err, "offer.source")
		if _, err := s.Offer(ctx, "low-p2"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("a lower relisting within the delay was stored: %v", err)
		}
		if _, err := s.Put(ctx, rule, relist("low-p2", "p2", "8%", removed.Add(rule.RelistDelay)), removed); err != nil {
			t.Errorf("a lower relisting once the delay has passed: %v", err)
		}
		_, err = s.Put(ctx, rule, relist("again-p1", "p1", "12%", removed.Add(time.Hour)), removed)
		fieldError(t, err, "offer.source") // new-p1 runs then

		// A cut made just before the removal is still owed to promoters for the delay after
		// it (COM-10): a relisting at the cut rate waits until the cut is that old, not only
		// until the removal is.
		cut := removed.Add(time.Hour)
		o := openOffer(t, "old-p3", "p3", entry(t0, "20%"), entry(cut, "10%"))
		if _, err := s.Put(ctx, rule, o, change); err != nil {
			t.Fatal(err)
		}
		gone := cut.Add(time.Hour)
		o.Period.End = gone
		if _, err := s.Put(ctx, rule, o, gone); err != nil {
			t.Fatalf("removing old-p3: %v", err)
		}
		_, err = s.Put(ctx, rule, relist("new-p3", "p3", "10%", cut.Add(rule.RelistDelay-time.Nanosecond)), gone)
		fieldError(t, err, "offer.source")
		if _, err := s.Offer(ctx, "new-p3"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("a relisting at the cut rate within the cut's delay was stored: %v", err)
		}
		if _, err := s.Put(ctx, rule, relist("new-p3", "p3", "20%", gone), gone); err != nil {
			t.Errorf("relisting at the rate still owed, at the removal: %v", err)
		}
	})
	t.Run("InstantOutOfBounds", func(t *testing.T) {
		s := newStore(t)
		_, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%")), time.Time{})
		fieldError(t, err, "at")
		if _, err := s.Offer(ctx, "o1"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("an offer put at the zero instant was stored: %v", err)
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(c, rule, openOffer(t, "o1", "p1", entry(t0, "10%")), t0); !errors.Is(err, context.Canceled) {
			t.Errorf("Put error = %v, want context.Canceled", err)
		}
		if _, err := s.Offer(ctx, "o1"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("a cancelled Put stored the offer: %v", err)
		}
		if _, err := s.Put(ctx, rule, openOffer(t, "o1", "p1", entry(t0, "10%")), t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Offer(c, "o1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Offer error = %v, want context.Canceled", err)
		}
		if _, err := s.Offers(c, affrules.TH, "p1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Offers error = %v, want context.Canceled", err)
		}
	})
	t.Run("Machine", func(t *testing.T) { affrulestest.Machine(t, machineChecks, newStore, offersMachine) })
}

// money returns units minor units of GBP.
func money(units int64) commission.Money {
	return commission.Money{Currency: "GBP", Units: units, Places: 2}
}

// newRecord computes a real commission: 10% (Open) of a line priced price pence, or a partner
// campaign's 20% of which the partner takes 30% when partner is true.
func newRecord(t *testing.T, id string, price int64, partner bool) commission.Record {
	t.Helper()
	e := commission.MustNew(commission.DefaultPolicy())
	o := openOffer(t, "open", "p1", entry(t0, "10%"))
	if partner {
		o = commission.Offer{ID: "tap", Source: commission.Partner, Market: affrules.UK, Product: "p1", Coverage: commission.Listed,
			Creators: []string{"c1"}, Approved: true, Period: affrules.Period{Start: t0}, Rates: timeline(t, affrules.Effective[commission.Terms]{
				From: t0, Value: commission.Terms{Rate: mustRate("20%"), PartnerShare: mustRate("30%")}})}
	}
	b, err := e.Prepare(o)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compute(b, commission.Order{ID: id, Creator: "c1", Product: "p1", Market: affrules.UK, Attributed: true, OrderCount: 1,
		PromotingSince: t0, Currency: "GBP", Price: money(price).Decimal()}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r, err := commission.DefaultPolicy().Settlement().Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func refund(id, record string, units int64, at time.Time) commission.Event {
	return commission.Event{ID: id, Record: record, Kind: commission.Refund, Amount: money(units).Decimal(), Currency: "GBP", At: at}
}

// TestRecords runs the conformance suite against the record stores newStore returns: creating
// records (idempotent, conflicting, refused), refunds in proportion that never take back more
// than was earned and reach exactly zero (COM-8), duplicate and conflicting events,
// cancellation, settlement at the end of the period and not before, closed records, every
// refused event storing nothing, copies isolated from the caller, and concurrent refunds. Its
// last subtest, Machine, is a rapid state machine that compares every answer of a new store
// with a plain model of COM-8 kept in integers and exact fractions, over random runs of
// records created (again, in conflict, or broken), events (refunds straddling what remains,
// cancellations, settlements around the due instant, events sent twice or under a used ID,
// malformed ones) and reads. newStore must return a new, empty store each time it is called;
// Machine calls it as TestOffers' does, so TestRecords must not run in parallel with other
// rapid tests either.
func TestRecords(t *testing.T, newStore func(t *testing.T) commission.RecordStore) {
	ctx := context.Background()
	s := commission.DefaultPolicy().Settlement()
	create := func(t *testing.T, st commission.RecordStore, r commission.Record) commission.Record {
		t.Helper()
		got, err := st.Create(ctx, s, r)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	t.Run("CreateAndRead", func(t *testing.T) {
		st := newStore(t)
		r := newRecord(t, "l1", 10000, false)
		got := create(t, st, r)
		if asJSON(t, got) != asJSON(t, r) {
			t.Errorf("Create returned %s, want %s", asJSON(t, got), asJSON(t, r))
		}
		if got.State != commission.Pending || got.Amount != money(1000) {
			t.Errorf("new record %v %v, want pending 10.00 GBP", got.State, got.Amount)
		}
		again := create(t, st, r)
		if asJSON(t, again) != asJSON(t, r) {
			t.Errorf("creating again returned %s", asJSON(t, again))
		}
		other := newRecord(t, "l1", 20000, false)
		if _, err := st.Create(ctx, s, other); !errors.Is(err, commission.ErrConflict) {
			t.Errorf("another record under one ID: error %v, want ErrConflict", err)
		}
		if _, err := st.Record(ctx, "nope"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("Record(nope) error = %v, want ErrNotFound", err)
		}
		// IDs are held as given: one that differs only in case is another record.
		if _, err := st.Record(ctx, "L1"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("Record(L1) error = %v, want ErrNotFound (l1 is held)", err)
		}
		upper := create(t, st, newRecord(t, "L1", 20000, false))
		if got, err := st.Record(ctx, "L1"); err != nil || asJSON(t, got) != asJSON(t, upper) {
			t.Errorf("Record(L1) = %s, %v; want %s", asJSON(t, got), err, asJSON(t, upper))
		}
		if got, err := st.Record(ctx, "l1"); err != nil || asJSON(t, got) != asJSON(t, r) {
			t.Errorf("Record(l1) = %s, %v; want %s, unchanged by L1's", asJSON(t, got), err, asJSON(t, r))
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		st := newStore(t)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := st.Create(c, s, newRecord(t, "l1", 10000, false)); !errors.Is(err, context.Canceled) {
			t.Errorf("Create error = %v, want context.Canceled", err)
		}
		if _, err := st.Record(ctx, "l1"); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("a cancelled Create stored the record: %v", err)
		}
		before := create(t, st, newRecord(t, "l1", 10000, false))
		if _, err := st.Apply(c, s, commission.Event{ID: "c1", Record: "l1", Kind: commission.Cancel, At: t0.Add(2 * time.Hour)}); !errors.Is(err, context.Canceled) {
			t.Errorf("Apply error = %v, want context.Canceled", err)
		}
		if _, err := st.Record(c, "l1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Record error = %v, want context.Canceled", err)
		}
		if got, err := st.Record(ctx, "l1"); err != nil || asJSON(t, got) != asJSON(t, before) {
			t.Errorf("a cancelled Apply changed the record: %s, %v", asJSON(t, got), err)
		}
	})
	t.Run("BadRecordStoresNothing", func(t *testing.T) {
		st := newStore(t)
		for name, mutate := range map[string]func(r *commission.Record) string{
			"empty ID":        func(r *commission.Record) string { r.ID = ""; return "record.id" },
			"ID not UTF-8":    func(r *commission.Record) string { r.ID = "bad\xff"; return "record.id" },
			"creator NUL":     func(r *commission.Record) string { r.CreatorID = "c\x00"; return "record.creator_id" },
			"seller type":     func(r *commission.Record) string { r.SellerType = "unknown"; return "record.seller_type" },
			"currency":        func(r *commission.Record) string { r.Earned.Currency = "THB"; return "record.earned" },
			"amount too high": func(r *commission.Record) string { r.Earned.Units = r.Base.Units + 1; return "record.earned" },
			"not pending":     func(r *commission.Record) string { r.State = commission.Settled; return "record.state" },
		} {
			r := newRecord(t, "bad", 10000, false)
			field := mutate(&r)
			_, err := st.Create(ctx, s, r)
			if err == nil || !strings.Contains(err.Error(), field) {
				t.Errorf("%s: error %v, want one naming %s", name, err, field)
			}
			if _, err := st.Record(ctx, r.ID); !errors.Is(err, commission.ErrNotFound) {
				t.Errorf("%s: a refused record was stored", name)
			}
		}
	})
	t.Run("RefundsInProportion_COM8", func(t *testing.T) {
		st := newStore(t)
		create(t, st, newRecord(t, "l1", 10000, true)) // 20.00 GBP: partner 6.00, creator 14.00
		r, err := st.Apply(ctx, s, refund("r1", "l1", 2500, t0.Add(2*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if r.Amount != money(1500) || r.Partner != money(450) || r.Creator != money(1050) || r.Refunded != money(2500) {
			t.Errorf("after refunding a quarter: amount %v partner %v creator %v refunded %v; want 15.00, 4.50, 10.50, 25.00", r.Amount, r.Partner, r.Creator, r.Refunded)
		}
		dup, err := st.Apply(ctx, s, refund("r1", "l1", 2500, t0.Add(2*time.Hour)))
		if err != nil || asJSON(t, dup) != asJSON(t, r) {
			t.Errorf("the same refund again: %v, changed %v", err, asJSON(t, dup) != asJSON(t, r))
		}
		if _, err := st.Apply(ctx, s, refund("r1", "l1", 100, t0.Add(2*time.Hour))); !errors.Is(err, commission.ErrConflict) {
			t.Errorf("another refund under the ID r1: error %v, want ErrConflict", err)
		}
		_, err = st.Apply(ctx, s, refund("r2", "l1", 7501, t0.Add(3*time.Hour)))
		fieldError(t, err, "event.amount")
		if got, _ := st.Record(ctx, "l1"); asJSON(t, got) != asJSON(t, r) {
			t.Errorf("a refused refund changed the record")
		}
		r, err = st.Apply(ctx, s, refund("r3", "l1", 7500, t0.Add(4*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if r.Amount.Units != 0 || r.Partner.Units != 0 || r.Creator.Units != 0 || r.State != commission.Ineligible {
			t.Errorf("after a full refund: %v %v %v %v; want zero and ineligible", r.Amount, r.Partner, r.Creator, r.State)
		}
	})
	t.Run("ShippingInBaseKept_COM1_COM8", func(t *testing.T) {
		// A record whose base counts the line's shipping (Policy.ShippingInBase) keeps it:
		// read back whole, refunds reach what was paid and the shipping, and a full refund of
		// both leaves nothing. A store that drops Record.Shipping fails here.
		p := commission.DefaultPolicy()
		p.ShippingInBase = true
		e := commission.MustNew(p)
		b, err := e.Prepare(openOffer(t, "open", "p1", entry(t0, "10%")))
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.Compute(b, commission.Order{ID: "l1", Creator: "c1", Product: "p1", Market: affrules.UK, Attributed: true, OrderCount: 1,
			PromotingSince: t0, Currency: "GBP", Price: money(10000).Decimal(), Shipping: money(3000).Decimal()}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ps := p.Settlement()
		r, err := ps.Open(c, "standard")
		if err != nil {
			t.Fatal(err)
		}
		st := newStore(t)
		if _, err := st.Create(ctx, ps, r); err != nil {
			t.Fatal(err)
		}
		if got, err := st.Record(ctx, "l1"); err != nil || got.Shipping != money(3000) || asJSON(t, got) != asJSON(t, r) {
			t.Fatalf("read back %s, %v; want %s with shipping 30.00 GBP", asJSON(t, got), err, asJSON(t, r))
		}
		half, err := st.Apply(ctx, ps, refund("r1", "l1", 6500, t0.Add(2*time.Hour)))
		if err != nil || half.Amount != money(650) { // 13.00 × 65.00 / 130.00
			t.Fatalf("after refunding half of what was paid and the shipping: %v, %v; want 6.50 GBP", half.Amount, err)
		}
		all, err := st.Apply(ctx, ps, refund("r2", "l1", 6500, t0.Add(3*time.Hour)))
		if err != nil || all.Amount.Units != 0 || all.State != commission.Ineligible {
			t.Fatalf("after refunding all of it: %v %v, %v; want zero and ineligible", all.Amount, all.State, err)
		}
	})
	t.Run("CancelThenClosed_COM8", func(t *testing.T) {
		st := newStore(t)
		create(t, st, newRecord(t, "l1", 10000, false))
		r, err := st.Apply(ctx, s, commission.Event{ID: "c1", Record: "l1", Kind: commission.Cancel, At: t0.Add(2 * time.Hour)})
		if err != nil || r.State != commission.Ineligible || r.Amount.Units != 0 {
			t.Fatalf("cancel: %v %v %v", r.State, r.Amount, err)
		}
		if _, err := st.Apply(ctx, s, refund("r1", "l1", 100, t0.Add(3*time.Hour))); !errors.Is(err, commission.ErrClosed) {
			t.Errorf("refund after cancel: error %v, want ErrClosed", err)
		}
	})
	t.Run("SettleAtTheEndOfThePeriod_COM8", func(t *testing.T) {
		st := newStore(t)
		r := create(t, st, newRecord(t, "l1", 10000, false))
		due := r.OrderedAt.Add(7 * 24 * time.Hour)
		if !r.DueAt.Equal(due) {
			t.Fatalf("due %v, want %v (7 days for a standard seller)", r.DueAt, due)
		}
		if _, err := st.Apply(ctx, s, commission.Event{ID: "s0", Record: "l1", Kind: commission.Settle, At: due.Add(-time.Second)}); !errors.Is(err, commission.ErrNotDue) {
			t.Errorf("settling a second early: error %v, want ErrNotDue", err)
		}
		r, err := st.Apply(ctx, s, commission.Event{ID: "s1", Record: "l1", Kind: commission.Settle, At: due})
		if err != nil || r.State != commission.Settled || r.Amount != money(1000) {
			t.Fatalf("settling at the due instant: %v %v %v", r.State, r.Amount, err)
		}
		if _, err := st.Apply(ctx, s, refund("r1", "l1", 100, due.Add(time.Hour))); !errors.Is(err, commission.ErrClosed) {
			t.Errorf("refund after settlement: error %v, want ErrClosed", err)
		}
		// A refund dated before the settlement but delivered after it is refused too.
		if _, err := st.Apply(ctx, s, refund("r2", "l1", 100, due.Add(-time.Hour))); !errors.Is(err, commission.ErrClosed) {
			t.Errorf("refund dated before the settlement, delivered after: error %v, want ErrClosed", err)
		}
	})
	t.Run("SettleNotBeforeAnEventApplied_COM8", func(t *testing.T) {
		st := newStore(t)
		r := create(t, st, newRecord(t, "l1", 10000, false))
		if _, err := st.Apply(ctx, s, refund("r1", "l1", 100, r.DueAt.Add(2*time.Hour))); err != nil {
			t.Fatal(err)
		}
		_, err := st.Apply(ctx, s, commission.Event{ID: "s1", Record: "l1", Kind: commission.Settle, At: r.DueAt.Add(time.Hour)})
		fieldError(t, err, "event.at")
		if got, _ := st.Record(ctx, "l1"); got.State != commission.Pending {
			t.Errorf("a refused settlement changed the record: %v", got.State)
		}
	})
	t.Run("BadEventsStoreNothing", func(t *testing.T) {
		st := newStore(t)
		r := create(t, st, newRecord(t, "l1", 10000, false))
		for _, tc := range []struct {
			field string
			ev    commission.Event
		}{
			{"event.id", refund("", "l1", 100, t0.Add(2*time.Hour))},
			{"event.at", refund("r1", "l1", 100, time.Time{})},
			{"event.at", refund("r1", "l1", 100, t0.Add(-time.Hour))},
			{"event.amount", refund("r1", "l1", 0, t0.Add(2*time.Hour))},
			{"event.amount", refund("r1", "l1", -100, t0.Add(2*time.Hour))},
			{"event.kind", commission.Event{ID: "r1", Record: "l1", At: t0.Add(2 * time.Hour)}},
			{"event.currency", commission.Event{ID: "r1", Record: "l1", Kind: commission.Refund, Amount: money(100).Decimal(), Currency: "THB", At: t0.Add(2 * time.Hour)}},
			{"event.currency", commission.Event{ID: "r1", Record: "l1", Kind: commission.Refund, Amount: money(100).Decimal(), At: t0.Add(2 * time.Hour)}},
			{"event.amount", refund("r1", "l1", 10001, t0.Add(2*time.Hour))},
		} {
			_, err := st.Apply(ctx, s, tc.ev)
			fieldError(t, err, tc.field)
		}
		if _, err := st.Apply(ctx, s, refund("r1", "nope", 100, t0.Add(2*time.Hour))); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("an event for no record: error %v, want ErrNotFound", err)
		}
		if got, _ := st.Record(ctx, "l1"); asJSON(t, got) != asJSON(t, r) {
			t.Errorf("a refused event changed the record: %s", asJSON(t, got))
		}
	})
	t.Run("CopiesIsolated", func(t *testing.T) {
		st := newStore(t)
		create(t, st, newRecord(t, "l1", 10000, false))
		r, err := st.Apply(ctx, s, refund("r1", "l1", 100, t0.Add(2*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		r.Events[0].ID = "changed"
		got, _ := st.Record(ctx, "l1")
		if got.Events[0].ID != "r1" {
			t.Errorf("a slice returned by Apply changed the stored record")
		}
		got.Events[0].ID = "changed" // what Record returns is the caller's too
		if again, _ := st.Record(ctx, "l1"); again.Events[0].ID != "r1" {
			t.Errorf("a slice returned by Record changed the stored record")
		}
		// Creating the record again returns the stored one, its events included: the caller's.
		stored := create(t, st, newRecord(t, "l1", 10000, false))
		if len(stored.Events) != 1 {
			t.Fatalf("creating l1 again returned %d events; want the stored one", len(stored.Events))
		}
		stored.Events[0].ID = "changed"
		if again, _ := st.Record(ctx, "l1"); again.Events[0].ID != "r1" {
			t.Errorf("a slice returned by Create changed the stored record")
		}
	})
	t.Run("ConcurrentRefunds", func(t *testing.T) {
		st := newStore(t)
		create(t, st, newRecord(t, "l1", 9999, true))
		var wg sync.WaitGroup
		// 9999 pence in 33 refunds of 303, each sent twice, concurrently.
		for i := range 66 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := st.Apply(ctx, s, refund(fmt.Sprint("r", i/2), "l1", 303, t0.Add(time.Duration(2+i/2)*time.Hour))); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		r, _ := st.Record(ctx, "l1")
		if r.Refunded.Units != 9999 || r.Amount.Units != 0 || r.Partner.Units != 0 || r.State != commission.Ineligible || len(r.Events) != 33 {
			t.Errorf("after every refund: refunded %v amount %v partner %v %v, %d events; want all refunded, zero, ineligible, 33",
				r.Refunded, r.Amount, r.Partner, r.State, len(r.Events))
		}
	})
	t.Run("Machine", func(t *testing.T) { affrulestest.Machine(t, machineChecks, newStore, recordsMachine) })
}
