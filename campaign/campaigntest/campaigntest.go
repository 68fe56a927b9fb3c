// Package campaigntest checks implementations of [campaign.Store], as testing/fstest checks file
// systems. It depends on the standard library and pgregory.net/rapid only (besides the packages it
// checks and what they need), so a host's build of its own store's tests pulls in nothing else.
//
// [TestStore] runs the suite: creating campaigns and listing them by market and ID; a campaign
// created again under its ID ([campaign.ErrConflict]); an unknown ID ([campaign.ErrNotFound]);
// actions applied by the rules of the evaluator given on each call (registration, review and
// matching in an agency campaign, publication, joining and matching in a seller campaign) and
// stored exactly as returned; permanent disqualifications (ELG-11) of a product and of a shop
// ending participations as stored, and refused once there is nothing left to end; refused actions
// ([*affrules.Refusal]) and bad input ([*affrules.FieldError]) storing nothing; returned
// campaigns, with their audience, products, matches and partners, that are copies; a cancelled
// context; a model-based state machine ("machine": up to 15 runs of rapid, each on a new store,
// of campaigns created and actions of every kind applied at instants on the edges of the
// registration and campaign periods, compared at every step with a plain model of SPEC §7:
// accepted actions stored as the model makes them, refusals naming exactly the model's rules,
// refused and bad actions storing nothing, reviews once, instants only forward); and the
// atomic step the [campaign.Store] contract asks for under concurrent use:
// sixteen creates of one ID at once, with different terms (one is stored, as it returned; the
// others wrap [campaign.ErrConflict]), sixteen registrations of one product at once (one is stored,
// CMP-4), sixteen products registered at once (all stored), registrations racing the end of the
// registration period (exactly those before the end stored, CMP-4's half-open period) and
// registrations at instants out of order (each refused or stored, none lost).
//
// A store's own test calls it with a function returning a new, empty store:
//
//	func TestStore(t *testing.T) {
//		campaigntest.TestStore(t, func(t *testing.T) campaign.Store { return mystore.New(t) })
//	}
//
// The package also checks a host's own [campaign.Policy]: [CheckPolicy] runs [Properties], each
// a named rapid property that reports a minimal counter-example:
//
//   - registration_within_campaign (CMP-3): every campaign Create accepts registers from no
//     later than its start to no later than its end.
//   - open_products_promoted_at_once (CMP-1): a request to promote an Open Collaboration
//     product is refused before the listing, naming its start, and granted at once from then.
//   - permanent_disqualification_ends_participation (ELG-11): a permanent disqualification
//     ends a registered product's participation at its instant.
//
// The invariants no policy can break (the half-open registration period, reviews once and
// states only forward, refused and bad actions changing nothing, instants only forward) are the
// store's to keep, and TestStore's machine checks them.
//
// The generators draw valid policies ([Policy]) and, for a policy, campaign terms Create
// accepts whose periods start at local midnights and straddle the registration's limits
// ([Campaign]), registrations whose rates straddle the requirement ([Registration],
// [Eligible]), instants at the periods' edges and daylight-saving changes ([Instant]) and Open
// Collaboration terms ([Listing]).
//
// Interpretations: the properties build their evaluator with commission's catalog policy, whose
// rate bounds (1%–80%, COM-9) the generators keep to; TestStore's machine makes at most 15 runs
// (lowering -rapid.checks while it runs, unless it is given on the
// command line), each on a new store.
package campaigntest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

var (
	// t0 is when the suite's campaigns are created and their registration period opens.
	t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// regEnd is the end of the registration period [t0, regEnd): its last instant is
	// regEnd - 1ns (CMP-4).
	regEnd = t0.Add(10 * 24 * time.Hour)
	// run is the campaign period.
	run = affrules.Period{Start: t0.Add(5 * 24 * time.Hour), End: t0.Add(30 * 24 * time.Hour)}
)

func evaluator() *campaign.Evaluator {
	return campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
}

// agency returns the terms of an agency campaign of partner "partner-1" in market m, open to
// every seller, requiring a total rate of 10% (CMP-2, CMP-3).
func agency(id string, m affrules.MarketCode) campaign.Campaign {
	return campaign.Campaign{ID: id, Initiator: campaign.Agency, Owner: "partner-1", Market: m, Name: "Campaign " + id,
		Contact: "ops@partner.example", Registration: affrules.Period{Start: t0, End: regEnd}, Period: run,
		Requirement: affrules.MustParseRate("10%"), Audience: campaign.Audience{All: true}}
}

// seller returns the terms of a seller campaign of seller "shop-1" in MY for partners
// "partner-1" and "partner-2" (CMP-6).
func seller(id string) campaign.Campaign {
	c := agency(id, affrules.MY)
	c.Initiator, c.Owner, c.Contact = campaign.Seller, "shop-1", "ops@shop.example"
	c.Audience = campaign.Audience{IDs: []string{"partner-1", "partner-2"}}
	c.Preferences = "beauty creators"
	return c
}

// register returns the registration of product by shop at rate r, with its eligibility result
// (ELG-9) in market m.
func register(product, shop string, m affrules.MarketCode, r string) campaign.Action {
	reg := campaign.Registration{Product: product, Seller: shop, Rate: affrules.MustParseRate(r),
		PartnerShare: affrules.MustParseRate("30%"), Samples: 5, Contact: "+60 3 1234 5678"}
	return campaign.Register(reg, eligibility.Result{ID: product, ShopID: shop, Market: m, State: eligibility.Eligible})
}

func ids(cs []campaign.Campaign) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return strings.Join(out, ",")
}

// fieldError reports whether err is, or joins, a *affrules.FieldError naming field.
func fieldError(err error, field string) bool {
	var fe *affrules.FieldError
	if errors.As(err, &fe) && fe.Field == field {
		return true
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return slices.ContainsFunc(j.Unwrap(), func(e error) bool { return fieldError(e, field) })
	}
	return false
}

// stored returns the one campaign the store holds under id, read with Campaign, and checks
// that Campaigns lists the same.
func stored(t *testing.T, s campaign.Store, id string) campaign.Campaign {
	t.Helper()
	got, err := s.Campaign(context.Background(), id)
	if err != nil {
		t.Fatalf("Campaign(%q): %v", id, err)
	}
	cs, err := s.Campaigns(context.Background(), "")
	if err != nil {
		t.Fatalf("Campaigns: %v", err)
	}
	for _, c := range cs {
		if c.ID == id {
			if diff := affrulestest.Diff(c, got); diff != "" {
				t.Fatalf("Campaign(%q) is not what Campaigns lists (want is what Campaigns lists):\n%s", id, diff)
			}
			return got
		}
	}
	t.Fatalf("campaign %q is not listed by Campaigns (listed: %s)", id, ids(cs))
	return campaign.Campaign{}
}

func create(t *testing.T, s campaign.Store, e *campaign.Evaluator, c campaign.Campaign, at time.Time) campaign.Campaign {
	t.Helper()
	got, err := s.Create(context.Background(), e, c, at)
	if err != nil {
		t.Fatalf("Create(%s): %v", c.ID, err)
	}
	return got
}

func apply(t *testing.T, s campaign.Store, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) campaign.Campaign {
	t.Helper()
	got, err := s.Apply(context.Background(), e, id, a, at)
	if err != nil {
		t.Fatalf("Apply(%s, %v): %v", id, a, err)
	}
	return got
}

// snapshot returns a deep copy of c, sharing no slice with it.
func snapshot(c campaign.Campaign) campaign.Campaign {
	c.Audience.IDs = slices.Clone(c.Audience.IDs)
	c.Products = slices.Clone(c.Products)
	for i := range c.Products {
		c.Products[i].Matches = slices.Clone(c.Products[i].Matches)
	}
	c.Partners = slices.Clone(c.Partners)
	return c
}

// together runs f(0) … f(n-1) on n goroutines released at once, and waits for them.
func together(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-start
			f(i)
		})
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// unchanged fails t if the store's campaign differs from want.
func unchanged(t *testing.T, s campaign.Store, want campaign.Campaign, what string) {
	t.Helper()
	if diff := affrulestest.Diff(want, stored(t, s, want.ID)); diff != "" {
		t.Errorf("%s changed the stored campaign:\n%s", what, diff)
	}
}

// TestStore runs the conformance suite against the stores newStore returns; newStore must
// return a new, empty store each time it is called. Every subtest runs on its own store.
func TestStore(t *testing.T, newStore func(t *testing.T) campaign.Store) {
	ctx := context.Background()
	e := evaluator()

	t.Run("CreateAndList", func(t *testing.T) {
		s := newStore(t)
		want := map[string]campaign.Campaign{}
		for _, c := range []campaign.Campaign{agency("c", affrules.MY), agency("a", affrules.MY), seller("b"), agency("d", affrules.TH)} {
			got := create(t, s, e, c, t0)
			if !got.Created.Equal(t0) || !got.Updated.Equal(t0) {
				t.Errorf("Create(%s) set created %v, updated %v; want both %v", c.ID, got.Created, got.Updated, t0)
			}
			c.Created, c.Updated = t0, t0
			if diff := affrulestest.Diff(c, got); diff != "" {
				t.Errorf("Create(%s) returned:\n%s", c.ID, diff)
			}
			want[c.ID] = got
		}
		for _, tc := range []struct {
			market affrules.MarketCode
			ids    string
		}{{affrules.MY, "a,b,c"}, {affrules.TH, "d"}, {"", "a,b,c,d"}, {affrules.SG, ""}} {
			got, err := s.Campaigns(ctx, tc.market)
			if err != nil {
				t.Fatalf("Campaigns(%q): %v", tc.market, err)
			}
			if ids(got) != tc.ids {
				t.Errorf("Campaigns(%q) = [%s], want [%s] in ID order", tc.market, ids(got), tc.ids)
			}
			for _, c := range got {
				if diff := affrulestest.Diff(want[c.ID], c); diff != "" {
					t.Errorf("Campaigns(%q): %s is not what Create returned:\n%s", tc.market, c.ID, diff)
				}
			}
		}
		// A market not registered, such as a code in the wrong case, is an error, not "none".
		for _, m := range []affrules.MarketCode{"my", "XX"} {
			if got, err := s.Campaigns(ctx, m); !errors.Is(err, affrules.ErrUnknownMarket) {
				t.Errorf("Campaigns(%q) = %v, %v; want an error wrapping ErrUnknownMarket", m, got, err)
			}
		}
		for id, c := range want {
			if diff := affrulestest.Diff(c, stored(t, s, id)); diff != "" {
				t.Errorf("Campaign(%q) is not what Create returned:\n%s", id, diff)
			}
		}
		if _, err := s.Campaign(ctx, "x"); !errors.Is(err, campaign.ErrNotFound) {
			t.Errorf("Campaign of an unknown ID: error %v, want ErrNotFound", err)
		}
	})

	t.Run("CreateAgainIsConflict", func(t *testing.T) {
		s := newStore(t)
		first := create(t, s, e, agency("a", affrules.MY), t0)
		again := agency("a", affrules.TH)
		again.Name = "Another"
		if _, err := s.Create(ctx, e, again, t0.Add(time.Hour)); !errors.Is(err, campaign.ErrConflict) {
			t.Errorf("Create of a stored ID: error %v, want one wrapping ErrConflict", err)
		}
		unchanged(t, s, first, "a conflicting Create")
		if got, _ := s.Campaigns(ctx, affrules.TH); len(got) != 0 {
			t.Errorf("a conflicting Create stored a campaign in TH: [%s]", ids(got))
		}
		// IDs are held as given: one that differs only in case is another campaign.
		if _, err := s.Campaign(ctx, "A"); !errors.Is(err, campaign.ErrNotFound) {
			t.Errorf("Campaign(A) error = %v, want one wrapping ErrNotFound (a is held)", err)
		}
		upper := create(t, s, e, agency("A", affrules.TH), t0.Add(time.Hour))
		if got, err := s.Campaign(ctx, "A"); err != nil || got.ID != "A" || got.Market != affrules.TH {
			t.Errorf("Campaign(A) = %s in %s, %v; want the campaign created under A", got.ID, got.Market, err)
		}
		unchanged(t, s, first, "the Create of an ID that differs only in case")
		if got, _ := s.Campaigns(ctx, affrules.TH); len(got) != 1 || got[0].ID != upper.ID {
			t.Errorf("Campaigns(TH) = [%s], want [A]", ids(got))
		}
	})

	t.Run("RefusedCreateStoresNothing_CMP3", func(t *testing.T) {
		s := newStore(t)
		bad := agency("a", affrules.MY)
		bad.Registration.End = run.End.Add(time.Hour) // registration ends after the campaign (CMP-3)
		_, err := s.Create(ctx, e, bad, t0)
		if !fieldError(err, "campaign.registration.end") {
			t.Errorf("Create with registration ending after the campaign: error %v, want a FieldError on campaign.registration.end", err)
		}
		inverted := agency("b", affrules.MY)
		inverted.Period = affrules.Period{Start: run.End, End: run.Start}
		if _, err := s.Create(ctx, e, inverted, t0); !errors.Is(err, affrules.ErrInvertedPeriod) {
			t.Errorf("Create with an inverted period: error %v, want ErrInvertedPeriod", err)
		}
		if _, err := s.Create(ctx, e, agency("c", affrules.MY), time.Time{}); !fieldError(err, "at") {
			t.Errorf("Create at the zero instant: error %v, want a FieldError on at", err)
		}
		if got, err := s.Campaigns(ctx, ""); err != nil || len(got) != 0 {
			t.Errorf("refused creates stored [%s] (%v); want nothing", ids(got), err)
		}
	})

	t.Run("ApplyUnknownIsNotFound", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		if _, err := s.Apply(ctx, e, "b", register("p1", "shop-1", affrules.MY, "12%"), t0); !errors.Is(err, campaign.ErrNotFound) {
			t.Errorf("Apply to an unknown campaign: error %v, want one wrapping ErrNotFound", err)
		}
		if got, _ := s.Campaigns(ctx, ""); ids(got) != "a" {
			t.Errorf("Apply to an unknown campaign stored [%s]", ids(got))
		}
	})

	t.Run("RegisterReviewMatch_CMP4_CMP5", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		steps := []struct {
			a  campaign.Action
			at time.Time
		}{
			{register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour)},
			{register("p2", "shop-2", affrules.MY, "10%"), t0.Add(2 * time.Hour)},
			{campaign.Review("partner-1", "p1", true), t0.Add(3 * time.Hour)},
			{campaign.Review("partner-1", "p2", false), t0.Add(3 * time.Hour)},
			{campaign.MatchCreators("partner-1", "p1", "creator-1", "creator-2"), t0.Add(4 * time.Hour)},
			{campaign.SetSamples("shop-1", "p1", 9), t0.Add(5 * time.Hour)},
		}
		var got campaign.Campaign
		for _, st := range steps {
			got = apply(t, s, e, "a", st.a, st.at)
			if diff := affrulestest.Diff(got, stored(t, s, "a")); diff != "" {
				t.Errorf("after %v the store holds what Apply did not return (want is what Apply returned):\n%s", st.a, diff)
			}
		}
		if len(got.Products) != 2 {
			t.Fatalf("%d products stored, want 2: %+v", len(got.Products), got.Products)
		}
		p1, p2 := got.Products[0], got.Products[1]
		if p1.Product != "p1" || p1.Status != campaign.Approved || !p1.Registered.Equal(t0.Add(time.Hour)) || !p1.Reviewed.Equal(t0.Add(3*time.Hour)) || p1.Samples != 9 {
			t.Errorf("p1 = %+v, want approved at t0+3h, registered at t0+1h, 9 samples", p1)
		}
		if p2.Product != "p2" || p2.Status != campaign.Rejected || !p2.Reviewed.Equal(t0.Add(3*time.Hour)) {
			t.Errorf("p2 = %+v, want rejected at t0+3h", p2)
		}
		wantMatches := []campaign.Match{{Partner: "partner-1", Creator: "creator-1", At: t0.Add(4 * time.Hour)}, {Partner: "partner-1", Creator: "creator-2", At: t0.Add(4 * time.Hour)}}
		if diff := affrulestest.Diff(wantMatches, p1.Matches); diff != "" {
			t.Errorf("p1 matches:\n%s", diff)
		}
		if !got.Updated.Equal(t0.Add(5 * time.Hour)) {
			t.Errorf("updated %v, want the last action's instant %v", got.Updated, t0.Add(5*time.Hour))
		}
	})

	t.Run("PublishJoinMatch_CMP6", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, seller("s"), t0)
		apply(t, s, e, "s", register("p1", "shop-1", affrules.MY, "15%"), t0.Add(time.Hour))
		apply(t, s, e, "s", campaign.Publish("shop-1"), t0.Add(2*time.Hour))
		apply(t, s, e, "s", campaign.Join("partner-2"), t0.Add(3*time.Hour))
		got := apply(t, s, e, "s", campaign.MatchCreators("partner-2", "p1", "creator-1"), t0.Add(4*time.Hour))
		if diff := affrulestest.Diff(got, stored(t, s, "s")); diff != "" {
			t.Errorf("the store holds what Apply did not return (want is what Apply returned):\n%s", diff)
		}
		want := []campaign.Participant{{Partner: "partner-2", Joined: t0.Add(3 * time.Hour)}}
		if diff := affrulestest.Diff(want, got.Partners); diff != "" {
			t.Errorf("partners:\n%s", diff)
		}
		if !got.Published.Equal(t0.Add(2*time.Hour)) || len(got.Products) != 1 || got.Products[0].Status != campaign.Approved || len(got.Products[0].Matches) != 1 {
			t.Errorf("campaign = %+v, want published at t0+2h with p1 approved and matched once", got)
		}
	})

	t.Run("Disqualify_ELG11", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		for _, p := range []struct{ product, shop string }{{"p1", "shop-1"}, {"p2", "shop-1"}, {"p3", "shop-2"}} {
			apply(t, s, e, "a", register(p.product, p.shop, affrules.MY, "12%"), t0.Add(time.Hour))
		}
		for _, p := range []string{"p1", "p2", "p3"} {
			apply(t, s, e, "a", campaign.Review("partner-1", p, true), t0.Add(2*time.Hour))
		}
		// A permanent disqualification ends the participation of the product, or of every product
		// of a disqualified shop, at the instant applied (ELG-11); a product's end stays as stored.
		product := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
		shop := eligibility.Result{ID: "shop-1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ShopScope}
		first, second := run.Start.Add(time.Hour), run.Start.Add(2*time.Hour)
		for _, st := range []struct {
			el   eligibility.Result
			at   time.Time
			ends []time.Time // of p1, p2, p3
		}{
			{product, first, []time.Time{first, {}, {}}},
			{shop, second, []time.Time{first, second, {}}},
		} {
			got := apply(t, s, e, "a", campaign.Disqualify(st.el), st.at)
			if diff := affrulestest.Diff(got, stored(t, s, "a")); diff != "" {
				t.Errorf("after disqualifying %s the store holds what Apply did not return (want is what Apply returned):\n%s", st.el.ID, diff)
			}
			var ends []time.Time
			for _, r := range got.Products {
				ends = append(ends, r.Ended)
			}
			if diff := affrulestest.Diff(st.ends, ends); diff != "" {
				t.Errorf("after disqualifying %s, the ends of p1, p2, p3:\n%s", st.el.ID, diff)
			}
		}
		// Disqualifying an ended product again is refused: there is nothing left to end.
		before := stored(t, s, "a")
		_, err := s.Apply(ctx, e, "a", campaign.Disqualify(product), second.Add(time.Hour))
		var r *affrules.Refusal
		if !errors.As(err, &r) || !r.Decision.Failed(campaign.RuleLaterDisqualification) {
			t.Errorf("disqualifying p1 again: error %v, want an ELG-11 *Refusal", err)
		}
		unchanged(t, s, before, "a refused disqualification")
	})

	t.Run("RefusedActionStoresNothing", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		before := apply(t, s, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour))
		refused := []struct {
			name string
			a    campaign.Action
			at   time.Time
		}{
			{"BelowRequirement_CMP4", register("p2", "shop-1", affrules.MY, "9.9999999%"), t0.Add(2 * time.Hour)},
			{"RegisteredTwice_CMP4", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(2 * time.Hour)},
			{"RegistrationClosed_CMP4", register("p2", "shop-1", affrules.MY, "12%"), regEnd},
			{"ReviewByAnotherPartner_CMP5", campaign.Review("partner-2", "p1", true), t0.Add(2 * time.Hour)},
			{"MatchPending_CMP5", campaign.MatchCreators("partner-1", "p1", "creator-1"), t0.Add(2 * time.Hour)},
			{"PublishAgencyCampaign_CMP6", campaign.Publish("partner-1"), t0.Add(2 * time.Hour)},
		}
		for _, tc := range refused {
			_, err := s.Apply(ctx, e, "a", tc.a, tc.at)
			var r *affrules.Refusal
			if !errors.As(err, &r) || !errors.Is(err, affrules.ErrRefused) {
				t.Errorf("%s: error %v, want a *Refusal wrapping ErrRefused", tc.name, err)
			}
			unchanged(t, s, before, tc.name)
		}
	})

	t.Run("BadInputStoresNothing", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		before := apply(t, s, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour))
		negative := campaign.Registration{Product: "p2", Seller: "shop-1", Rate: affrules.MustParseRate("12%"), Samples: -1, Contact: "+60 3 1234"}
		other := campaign.Registration{Product: "p3", Seller: "shop-1", Rate: affrules.MustParseRate("12%"), Contact: "+60 3 1234"}
		bad := []struct {
			name, field string
			a           campaign.Action
			at          time.Time
		}{
			{"NegativeSamples", "registration.samples", campaign.Register(negative, eligibility.Result{ID: "p2", ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible}), t0.Add(2 * time.Hour)},
			{"RateAboveBounds_COM9", "registration.rate", register("p2", "shop-1", affrules.MY, "80.0000001%"), t0.Add(2 * time.Hour)},
			{"EligibilityOfAnotherProduct_ELG9", "eligibility.id", campaign.Register(other, eligibility.Result{ID: "p4", ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible}), t0.Add(2 * time.Hour)},
			{"NegativeSamplesChange", "action.samples", campaign.SetSamples("shop-1", "p1", -3), t0.Add(2 * time.Hour)},
			{"NoAction", "action", campaign.Action{}, t0.Add(2 * time.Hour)},
			{"InstantBeforeLastChange", "at", campaign.Review("partner-1", "p1", true), t0.Add(time.Hour - time.Nanosecond)},
		}
		for _, tc := range bad {
			_, err := s.Apply(ctx, e, "a", tc.a, tc.at)
			if !fieldError(err, tc.field) {
				t.Errorf("%s: error %v, want a FieldError on %s", tc.name, err, tc.field)
			}
			if errors.Is(err, affrules.ErrRefused) {
				t.Errorf("%s: bad input reported as a refusal: %v", tc.name, err)
			}
			unchanged(t, s, before, tc.name)
		}
	})

	t.Run("EvaluatorGivenPerCall", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		p := campaign.DefaultPolicy()
		p.Markets = []affrules.MarketCode{affrules.TH} // partner campaigns no longer run in MY (MKT-1)
		thOnly := campaign.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
		before := stored(t, s, "a")
		if _, err := s.Apply(ctx, thOnly, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour)); !fieldError(err, "campaign.market") {
			t.Errorf("Apply under a policy without MY: error %v, want a FieldError on campaign.market", err)
		}
		unchanged(t, s, before, "an action refused by the evaluator given")
		apply(t, s, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour))
	})

	t.Run("CopiesIsolated", func(t *testing.T) {
		s := newStore(t)
		terms := agency("a", affrules.MY)
		terms.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-2"}}
		created := create(t, s, e, terms, t0)
		terms.Audience.IDs[0] = "shop-9" // the caller's slice after Create
		created.Audience.IDs[1] = "shop-8"
		apply(t, s, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour))
		apply(t, s, e, "a", campaign.Review("partner-1", "p1", true), t0.Add(2*time.Hour))
		got := apply(t, s, e, "a", campaign.MatchCreators("partner-1", "p1", "creator-1"), t0.Add(3*time.Hour))
		want := snapshot(got)
		if diff := affrulestest.Diff([]string{"shop-1", "shop-2"}, want.Audience.IDs); diff != "" {
			t.Errorf("the caller's slices changed the stored audience:\n%s", diff)
		}
		if len(got.Products) != 1 || len(got.Products[0].Matches) != 1 {
			t.Fatalf("Apply returned %d products (the first with %v), want p1 with creator-1 matched", len(got.Products), got.Products)
		}
		got.Products[0].Matches[0].Creator = "creator-x"
		got.Products[0].Status = campaign.Rejected
		got.Audience.IDs[0] = "shop-x"
		got.Products = append(got.Products[:0], campaign.Registration{Product: "p-x"})
		unchanged(t, s, want, "changing a campaign Apply returned")
		listed := stored(t, s, "a")
		if len(listed.Products) != 1 || len(listed.Products[0].Matches) != 1 {
			t.Fatalf("the store holds %d products (the first with %v) after its copies were changed, want p1 with creator-1 matched", len(listed.Products), listed.Products)
		}
		listed.Products[0].Matches[0].Creator = "creator-y"
		listed.Products[0].Samples = 99
		listed.Audience.IDs[1] = "shop-y"
		listed.Products[0].Matches = append(listed.Products[0].Matches, campaign.Match{Partner: "x", Creator: "y", At: t0})
		unchanged(t, s, want, "changing a campaign Campaigns returned")

		// The partners of a seller campaign (CMP-6), which Create is never given: changing those
		// Apply, Campaign or Campaigns returned changes nothing stored.
		create(t, s, e, seller("s"), t0)
		apply(t, s, e, "s", register("p1", "shop-1", affrules.MY, "15%"), t0.Add(time.Hour))
		apply(t, s, e, "s", campaign.Publish("shop-1"), t0.Add(2*time.Hour))
		apply(t, s, e, "s", campaign.Join("partner-1"), t0.Add(3*time.Hour))
		joined := apply(t, s, e, "s", campaign.Join("partner-2"), t0.Add(4*time.Hour))
		want = snapshot(joined)
		if len(joined.Partners) != 2 {
			t.Fatalf("Apply returned %d partners, want partner-1 and partner-2", len(joined.Partners))
		}
		joined.Partners[0].Partner = "partner-x"
		joined.Partners[1].Joined = t0
		unchanged(t, s, want, "changing the partners Apply returned")
		read, err := s.Campaign(ctx, "s")
		if err != nil {
			t.Fatalf("Campaign(s): %v", err)
		}
		if len(read.Partners) == 2 {
			read.Partners[1].Partner = "partner-y"
			read.Partners[0].Joined = t0
		}
		unchanged(t, s, want, "changing the partners Campaign returned")
		all, err := s.Campaigns(ctx, affrules.MY)
		if err != nil {
			t.Fatalf("Campaigns: %v", err)
		}
		for _, c := range all {
			if c.ID == "s" && len(c.Partners) == 2 {
				c.Partners[0].Partner = "partner-z"
				c.Partners[1].Joined = t0.Add(time.Nanosecond)
			}
		}
		unchanged(t, s, want, "changing the partners Campaigns returned")
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Create(c, e, agency("b", affrules.MY), t0); !errors.Is(err, context.Canceled) {
			t.Errorf("Create: error %v, want context.Canceled", err)
		}
		if _, err := s.Apply(c, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour)); !errors.Is(err, context.Canceled) {
			t.Errorf("Apply: error %v, want context.Canceled", err)
		}
		if _, err := s.Campaigns(c, ""); !errors.Is(err, context.Canceled) {
			t.Errorf("Campaigns: error %v, want context.Canceled", err)
		}
		if _, err := s.Campaign(c, "a"); !errors.Is(err, context.Canceled) {
			t.Errorf("Campaign: error %v, want context.Canceled", err)
		}
		got := stored(t, s, "a")
		if len(got.Products) != 0 {
			t.Errorf("a cancelled Apply stored products: %+v", got.Products)
		}
		if all, _ := s.Campaigns(ctx, ""); ids(all) != "a" {
			t.Errorf("a cancelled Create stored a campaign: [%s]", ids(all))
		}
	})

	t.Run("machine", func(t *testing.T) { affrulestest.Machine(t, machineChecks, newStore, machine(t)) })

	t.Run("ConcurrentSameProduct_CMP4", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		// Eight rounds, each of sixteen calls registering one product of shop-1 at once, at
		// rates 10% to 25%, as a seller's repeated submissions would.
		const rounds = 8
		for round := range rounds {
			product := fmt.Sprintf("p%d", round)
			errs := make([]error, 16)
			together(len(errs), func(i int) {
				_, errs[i] = s.Apply(ctx, e, "a", register(product, "shop-1", affrules.MY, fmt.Sprintf("%d%%", 10+i)), t0.Add(time.Hour))
			})
			ok, refused := 0, 0
			for i, err := range errs {
				var r *affrules.Refusal
				switch {
				case err == nil:
					ok++
				case errors.As(err, &r) && errors.Is(err, affrules.ErrRefused) && r.Decision.Failed(campaign.RuleRegistration):
					refused++
				default:
					t.Errorf("%s, call %d: error %v, want nil or a CMP-4 *Refusal", product, i, err)
				}
			}
			if ok != 1 || refused != 15 {
				t.Errorf("%s: %d registrations accepted, %d refused; want 1 and 15", product, ok, refused)
			}
		}
		got := stored(t, s, "a")
		var products []string
		for _, r := range got.Products {
			products = append(products, r.Product)
		}
		if diff := affrulestest.Diff([]string{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"}, products); diff != "" {
			t.Errorf("stored products: each once\n%s", diff)
		}
	})

	t.Run("ConcurrentDifferentProducts", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		var want []string
		for round := range 4 {
			together(16, func(i int) {
				product := fmt.Sprintf("p%d-%02d", round, i)
				if _, err := s.Apply(ctx, e, "a", register(product, fmt.Sprintf("shop-%d", i%3), affrules.MY, "12%"), t0.Add(time.Hour)); err != nil {
					t.Errorf("registering %s: %v", product, err)
				}
			})
			for i := range 16 {
				want = append(want, fmt.Sprintf("p%d-%02d", round, i))
			}
		}
		got := stored(t, s, "a")
		var products []string
		for _, r := range got.Products {
			products = append(products, r.Product)
		}
		slices.Sort(products)
		if diff := affrulestest.Diff(want, products); diff != "" {
			t.Errorf("stored products:\n%s", diff)
		}
	})

	t.Run("ConcurrentCreateSameID", func(t *testing.T) {
		// Store.Create: "A campaign whose ID the store holds is an error wrapping ErrConflict",
		// under concurrent use too. Four rounds, each of sixteen creates of one ID at once, with
		// different terms: exactly one is stored, as it returned, and the others conflict.
		s := newStore(t)
		const rounds, calls = 4, 16
		for round := range rounds {
			id := fmt.Sprintf("c%d", round)
			got := make([]campaign.Campaign, calls)
			errs := make([]error, calls)
			together(calls, func(i int) {
				c := agency(id, affrules.MY)
				switch i % 3 {
				case 1:
					c = seller(id)
				case 2:
					c = agency(id, affrules.TH)
				}
				c.Name = fmt.Sprintf("Campaign %s, call %d", id, i)
				got[i], errs[i] = s.Create(ctx, e, c, t0.Add(time.Duration(i)*time.Minute))
			})
			var won []int
			for i, err := range errs {
				switch {
				case err == nil:
					won = append(won, i)
				case !errors.Is(err, campaign.ErrConflict):
					t.Errorf("%s, call %d: error %v, want nil or one wrapping ErrConflict", id, i, err)
				}
			}
			if len(won) != 1 {
				t.Errorf("%s: %d creates of one ID at once succeeded (calls %v); want exactly one, the others conflicting", id, len(won), won)
			}
			if len(won) > 0 {
				unchanged(t, s, got[won[len(won)-1]], "creates racing the one that succeeded")
			}
		}
		if all, err := s.Campaigns(ctx, ""); err != nil || ids(all) != "c0,c1,c2,c3" {
			t.Errorf("Campaigns = [%s] (%v), want [c0,c1,c2,c3]", ids(all), err)
		}
	})

	t.Run("RegistrationsRacingTheEnd_CMP4", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		last := regEnd.Add(-time.Nanosecond)
		type call struct {
			product string
			at      time.Time
		}
		var calls []call
		for i := range 16 {
			at := last
			if i%2 == 1 {
				at = regEnd
			}
			calls = append(calls, call{fmt.Sprintf("p%02d", i), at})
		}
		rand.New(rand.NewPCG(13, 4)).Shuffle(len(calls), func(i, j int) { calls[i], calls[j] = calls[j], calls[i] })
		errs := make([]error, len(calls))
		together(len(calls), func(i int) {
			_, errs[i] = s.Apply(ctx, e, "a", register(calls[i].product, "shop-1", affrules.MY, "12%"), calls[i].at)
		})
		var want []string
		for i, c := range calls {
			var r *affrules.Refusal
			switch {
			case c.at.Equal(last) && errs[i] != nil:
				t.Errorf("%s at the period's last instant: %v", c.product, errs[i])
			case c.at.Equal(last):
				want = append(want, c.product)
			case !errors.As(errs[i], &r) || !r.Decision.Failed(campaign.RuleRegistration) || r.Decision.Reasons[0].Limit.Time().Compare(regEnd) != 0:
				t.Errorf("%s at the period's end: error %v, want a CMP-4 refusal whose limit is the end", c.product, errs[i])
			}
		}
		got := stored(t, s, "a")
		var products []string
		for _, r := range got.Products {
			products = append(products, r.Product)
		}
		slices.Sort(products)
		slices.Sort(want)
		if diff := affrulestest.Diff(want, products); diff != "" {
			t.Errorf("stored products: exactly those before the end\n%s", diff)
		}
	})

	t.Run("InstantsOutOfOrder", func(t *testing.T) {
		s := newStore(t)
		create(t, s, e, agency("a", affrules.MY), t0)
		before := apply(t, s, e, "a", register("p0", "shop-1", affrules.MY, "12%"), t0.Add(2*time.Hour))
		_, err := s.Apply(ctx, e, "a", register("p1", "shop-1", affrules.MY, "12%"), t0.Add(time.Hour))
		if !fieldError(err, "at") {
			t.Errorf("an action dated before the last change: error %v, want a FieldError on at", err)
		}
		unchanged(t, s, before, "an action dated before the last change")

		// Sixteen registrations at instants in a random order, at once: each is stored or
		// refused as dated before a change already stored; none stored is lost.
		at := make([]time.Time, 16)
		for i := range at {
			at[i] = t0.Add(3*time.Hour + time.Duration(i)*time.Minute)
		}
		rand.New(rand.NewPCG(7, 11)).Shuffle(len(at), func(i, j int) { at[i], at[j] = at[j], at[i] })
		errs := make([]error, len(at))
		together(len(at), func(i int) {
			_, errs[i] = s.Apply(ctx, e, "a", register(fmt.Sprintf("p%02d", i+1), "shop-1", affrules.MY, "12%"), at[i])
		})
		got := stored(t, s, "a")
		want := []string{"p0"}
		for i, err := range errs {
			switch {
			case err == nil:
				want = append(want, fmt.Sprintf("p%02d", i+1))
			case !fieldError(err, "at"):
				t.Errorf("registration at %v: error %v, want nil or a FieldError on at", at[i], err)
			case !at[i].Before(got.Updated):
				t.Errorf("registration at %v refused as out of order, but the last change stored is at %v", at[i], got.Updated)
			}
		}
		var products []string
		for i, r := range got.Products {
			products = append(products, r.Product)
			if i > 0 && r.Registered.Before(got.Products[i-1].Registered) {
				t.Errorf("%s registered at %v after %s at %v: instants went backwards", r.Product, r.Registered, got.Products[i-1].Product, got.Products[i-1].Registered)
			}
		}
		slices.Sort(want)
		slices.Sort(products)
		if diff := affrulestest.Diff(want, products); diff != "" {
			t.Errorf("stored products are not the registrations accepted (want is what was accepted):\n%s", diff)
		}
		if len(want) < 2 {
			t.Errorf("no concurrent registration was accepted")
		}
	})
}
