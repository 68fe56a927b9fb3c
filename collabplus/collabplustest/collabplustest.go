// Package collabplustest checks implementations of [collabplus.Store], as testing/fstest checks
// file systems. It depends on the standard library and pgregory.net/rapid only (besides the
// packages it checks and what they need, github.com/shopspring/decimal), so a host's build of
// its own store's tests pulls in nothing else.
//
// [TestStore] runs the suite: creating sellers' records and reading them back; a record created
// again under its ID ([collabplus.ErrConflict]), also by sixteen Creates at once (exactly one
// succeeds, the others are conflicts, and the winner's record is the one stored); a record
// [collabplus.Seller.Validate] refuses, among them one holding a history built by hand (groups,
// blocklist, creation log, collaborations or a disqualification, which only the rules add),
// refused as bad input
// naming the field and storing nothing; an unknown ID ([collabplus.ErrNotFound]); actions
// applied by the rules of the evaluator given on each call (creator groups, drafts, submission,
// payment, the blocklist, joins, final terms, recalls and permanent disqualifications, whose
// ended products the rules then read: ELG-11) and stored exactly as returned; refused actions
// ([*affrules.Refusal]) and bad input ([*affrules.FieldError]) storing nothing; returned records
// that are copies (changing any slice, map or pointer of a record Create, Apply or Seller
// returned, or of what a caller gave to Apply, changes nothing stored: groups with their
// categories, content types, criteria and maximum level, blocklist, creation log,
// collaborations with their terms, final terms, group, events, members and ended products); a
// cancelled context; a model-based state machine ("machine": up to 15 runs of rapid, each on a
// new store, of one seller's groups, drafts, edits, submissions, payments, recalls, final terms,
// blocks, joins and disqualifications at instants on the payment windows', periods' and quota's
// edges, in Thailand or the United Kingdom, compared at every step with a plain model of SPEC §5
// and ELG-11: accepted actions stored as the model makes them, refusals naming the model's
// reasons and storing nothing, states only forward, never more than the quota counted, no
// blocked creator joining, no product taking part after a permanent disqualification); and the
// atomic step the [collabplus.Store] contract asks for under concurrent use: twenty submissions
// at once admitting exactly the quota's free slots (CP-3), joins racing blocks of the same
// creators (CP-13, each join stored only if it came before its block), actions on different
// sellers at once (all stored) and actions at instants out of order (each stored or refused as
// dated before the last change, none lost).
//
// A store's own test calls it with a function returning a new, empty store:
//
//	func TestStore(t *testing.T) {
//		collabplustest.TestStore(t, func(t *testing.T) collabplus.Store { return mystore.New(t) })
//	}
//
// The package also checks a host's own [collabplus.Policy]: [CheckPolicy] runs [Properties],
// each a named rapid property that reports a minimal counter-example:
//
//   - quota_counts_expired_and_recalled (CP-3): with the quota's collaborations submitted, one
//     of them expired or recalled, the seller may submit no more.
//   - quota_slot_frees_at_local_midnight (CP-3): the quota counts market-calendar days, so the
//     next slot, the instant a refusal names, is a local midnight.
//   - submission_needs_invitation (CP-17): a seller who is not allowlisted is refused.
//   - permanent_disqualification_ends_participation (ELG-11): a permanent disqualification
//     after submission ends the product's part in a paid collaboration at its instant.
//
// The invariants no policy can break (states only move forward, expired, recalled and ended
// collaborations never change again, refused and bad actions changing nothing, never more than
// the quota submitted, no blocked creator joining) are the store's to keep, and TestStore's
// machine checks them.
//
// The generators draw valid policies ([Policy]) and, for a policy, instants on local midnights
// and daylight-saving changes ([Instant]), a seller's empty record ([Seller]), terms whose
// periods run whole local days at, just inside or just outside the policy's bounds ([Terms])
// and the facts of a submission ([Facts]).
//
// Interpretations: the properties build their evaluator with commission's catalog policy; the
// quota properties build a record with the quota's submissions as the rules record them rather
// than applying each, so that a large quota stays cheap; quota_counts_expired_and_recalled
// checks an expiry only when the payment window ends inside the quota's window; TestStore's
// machine makes at most 15 runs (lowering -rapid.checks while it runs, unless it is given on the
// command line), each on a new store.
package collabplustest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

var (
	// bkk is Bangkok's zone, UTC+7 all year; the suite's sellers are in Thailand.
	bkk = time.FixedZone("ICT", 7*60*60)
	// london is the United Kingdom's zone, with its daylight-saving changes.
	london = mustZone("Europe/London")
	// t0 is when the suite's sellers are created: 1 February 2026, 09:00 in Bangkok.
	t0 = time.Date(2026, 2, 1, 9, 0, 0, 0, bkk)
	// period is the suite's collaborations' period, 1–14 March 2026 in Bangkok (CP-2).
	period = affrules.Period{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, bkk), End: time.Date(2026, 3, 15, 0, 0, 0, 0, bkk)}
	// submitted is when they are submitted and paid.
	submitted = time.Date(2026, 2, 20, 10, 0, 0, 0, bkk)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func evaluator() *collabplus.Evaluator {
	return collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
}

// terms returns task terms for group "g1" and product "p1" over period.
func terms() collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Task, Period: period, Group: "g1",
		Products:   []collabplus.Product{{ID: "p1", Rate: affrules.MustParseRate("15%")}},
		Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)}},
		Reward:     decimal.RequireFromString("500.00"),
		Objectives: []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("10000.00"), Target: decimal.NewFromInt(400)}},
	}
}

// facts returns the facts of an allowlisted seller id whose product p1 is eligible.
func facts(id string) collabplus.Facts {
	return collabplus.Facts{Allowlisted: true, Eligibility: []eligibility.Result{
		{ID: "p1", ShopID: id, Market: affrules.TH, State: eligibility.Eligible, Decision: affrules.Decide()}}}
}

func draft(id string) collabplus.Action {
	return collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: terms()})
}

func newSeller(t *testing.T, e *collabplus.Evaluator, id string) collabplus.Seller {
	t.Helper()
	s, err := e.NewSeller(id, affrules.TH, t0)
	if err != nil {
		t.Fatalf("NewSeller(%s): %v", id, err)
	}
	return s
}

// forgedSeller returns seller id's record as NewSeller makes it with, added by hand, what only
// the rules set: a group never saved, a block, a creation log entry, and a collaboration running
// one day (CP-2 needs 14) whose submission and payment never went through Submit and Pay (CP-3,
// CP-7), with a member of that group (CP-4).
func forgedSeller(t *testing.T, e *collabplus.Evaluator, id string) collabplus.Seller {
	t.Helper()
	r := newSeller(t, e, id)
	oneDay := terms()
	oneDay.Group = "ghost"
	oneDay.Period.End = oneDay.Period.Start.AddDate(0, 0, 1)
	r.Groups = []collabplus.Group{{ID: "ghost"}}
	r.Blocklist = collabplus.Blocklist{{Creator: "kai", Blocked: true, At: t0}}
	r.Submissions = []collabplus.Submission{{Collaboration: "c", At: t0}}
	r.Collaborations = []collabplus.Collaboration{{ID: "c", Market: affrules.TH, Preferences: oneDay,
		Group: &collabplus.Group{ID: "ghost"},
		Events: []collabplus.Event{{Kind: collabplus.Submitted, At: t0, Due: t0.Add(24 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: t0.Add(time.Minute), Method: "credit_card"}},
		Members: []collabplus.Member{{Creator: "mali", Joined: period.Start}}}}
	return r
}

func create(t *testing.T, s collabplus.Store, rec collabplus.Seller) collabplus.Seller {
	t.Helper()
	got, err := s.Create(context.Background(), rec)
	if err != nil {
		t.Fatalf("Create(%s): %v", rec.ID, err)
	}
	return got
}

func apply(t *testing.T, s collabplus.Store, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) collabplus.Seller {
	t.Helper()
	got, err := s.Apply(context.Background(), e, id, a, at)
	if err != nil {
		t.Fatalf("Apply(%s, %v at %v): %v", id, a, at, err)
	}
	return got
}

// stored returns the record the store holds for seller id.
func stored(t *testing.T, s collabplus.Store, id string) collabplus.Seller {
	t.Helper()
	got, err := s.Seller(context.Background(), id)
	if err != nil {
		t.Fatalf("Seller(%q): %v", id, err)
	}
	return got
}

// unchanged fails t if the store's record of want.ID differs from want.
func unchanged(t *testing.T, s collabplus.Store, want collabplus.Seller, what string) {
	t.Helper()
	if diff := affrulestest.Diff(want, stored(t, s, want.ID)); diff != "" {
		t.Errorf("%s changed the stored record:\n%s", what, diff)
	}
}

// snapshot returns a deep copy of rec, sharing nothing with it: its JSON round trip, which
// gives back the same record.
func snapshot(t *testing.T, rec collabplus.Seller) collabplus.Seller {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("snapshot of %s: %v", rec.ID, err)
	}
	var c collabplus.Seller
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("snapshot of %s: %v", rec.ID, err)
	}
	if diff := affrulestest.Diff(rec, c); diff != "" {
		t.Fatalf("the record of %s does not round-trip through JSON:\n%s", rec.ID, diff)
	}
	return c
}

// isolatedGroup returns group g1 with every condition that is a slice or a pointer set: the
// categories, the content types, the criteria (one of a set, and a numeric range) and a
// maximum level.
func isolatedGroup() collabplus.Group {
	maxLevel, low, high := level.L7, decimal.NewFromInt(18), decimal.NewFromInt(60)
	return collabplus.Group{ID: "g1", Categories: []affrules.Category{"beauty"}, MinLevel: level.L3, MaxLevel: &maxLevel,
		ContentTypes: []string{"video"},
		Criteria: []collabplus.Criterion{{Attribute: "region", OneOf: []string{"north"}},
			{Attribute: "age", Min: &low, Max: &high}}}
}

// isolatedCreator returns creator mali, whom isolatedGroup admits.
func isolatedCreator() collabplus.Creator {
	return collabplus.Creator{ID: "mali", Categories: []affrules.Category{"beauty"}, Level: level.L4, ContentTypes: []string{"video"},
		Attributes: map[string]string{"region": "north", "age": "30"}}
}

// challengeTerms returns a challenge's terms with rank tiers, as a draft may hold them.
func challengeTerms() collabplus.Terms {
	tm := terms()
	tm.Type, tm.Tasks, tm.Reward, tm.Goal = collabplus.Challenge, nil, decimal.Zero, collabplus.Sales
	tm.Tiers = []collabplus.RankTier{{To: 1, Reward: decimal.RequireFromString("300.00")}}
	return tm
}

// disqualified returns product p1 of seller id permanently disqualified (ELG-11).
func disqualified(id string) eligibility.Result {
	return eligibility.Result{ID: "p1", ShopID: id, Market: affrules.TH, State: eligibility.PermanentlyDisqualified, Decision: affrules.Decide()}
}

// scribble changes, in place, every element of every slice and every value behind every
// pointer of rec, as a careless caller might: what it changes must be the caller's own.
func scribble(rec *collabplus.Seller) {
	for i := range rec.Groups {
		scribbleGroup(&rec.Groups[i])
	}
	for i := range rec.Blocklist {
		rec.Blocklist[i].Creator, rec.Blocklist[i].Blocked = "x", !rec.Blocklist[i].Blocked
	}
	for i := range rec.Submissions {
		rec.Submissions[i].Collaboration = "x"
	}
	for i := range rec.Collaborations {
		c := &rec.Collaborations[i]
		scribbleTerms(&c.Preferences)
		if c.Final != nil {
			scribbleTerms(c.Final)
		}
		if c.Group != nil {
			scribbleGroup(c.Group)
		}
		for k := range c.Events {
			c.Events[k].Kind, c.Events[k].Method = collabplus.RecalledEvent, "x"
		}
		for k := range c.Members {
			c.Members[k].Creator = "x"
		}
		for k := range c.Ended {
			c.Ended[k].Product = "x"
		}
		c.ID = "x"
	}
}

func scribbleGroup(g *collabplus.Group) {
	g.ID = "x"
	for i := range g.Categories {
		g.Categories[i] = "x"
	}
	for i := range g.ContentTypes {
		g.ContentTypes[i] = "x"
	}
	for i := range g.Criteria {
		cr := &g.Criteria[i]
		cr.Attribute = "x"
		for k := range cr.OneOf {
			cr.OneOf[k] = "x"
		}
		if cr.Min != nil {
			*cr.Min = decimal.NewFromInt(-1)
		}
		if cr.Max != nil {
			*cr.Max = decimal.NewFromInt(-1)
		}
	}
	if g.MaxLevel != nil {
		*g.MaxLevel = level.L0
	}
}

func scribbleTerms(tm *collabplus.Terms) {
	tm.Group = "x"
	for i := range tm.Products {
		tm.Products[i].ID = "x"
	}
	for i := range tm.Tasks {
		tm.Tasks[i].ContentType = "x"
	}
	for i := range tm.Tiers {
		tm.Tiers[i].To = 99
	}
	for i := range tm.Objectives {
		tm.Objectives[i].Name = "x"
	}
}

// ready returns a store holding seller id with group g1 (L3 and up) and n drafts c1 … cn, all at
// t0.
func ready(t *testing.T, s collabplus.Store, e *collabplus.Evaluator, id string, n int) collabplus.Seller {
	t.Helper()
	create(t, s, newSeller(t, e, id))
	got := apply(t, s, e, id, collabplus.SaveGroup(collabplus.Group{ID: "g1", MinLevel: level.L3}), t0)
	for i := 1; i <= n; i++ {
		got = apply(t, s, e, id, draft(fmt.Sprintf("c%d", i)), t0)
	}
	return got
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

// refusedFor reports whether err is a *affrules.Refusal wrapping ErrRefused whose decision
// fails rule.
func refusedFor(err error, rule affrules.RuleID) bool {
	var r *affrules.Refusal
	return errors.As(err, &r) && errors.Is(err, affrules.ErrRefused) && r.Decision.Failed(rule)
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

// consistent fails t unless every submission in rec's creation log names a collaboration whose
// Submitted event is at the same instant, and every Submitted event has its log entry: a record
// never half-written.
func consistent(t *testing.T, rec collabplus.Seller) {
	t.Helper()
	events := 0
	for _, c := range rec.Collaborations {
		for _, ev := range c.Events {
			if ev.Kind != collabplus.Submitted {
				continue
			}
			events++
			if !slices.ContainsFunc(rec.Submissions, func(s collabplus.Submission) bool { return s.Collaboration == c.ID && s.At.Equal(ev.At) }) {
				t.Errorf("%s: submitted at %v without a creation log entry", c.ID, ev.At)
			}
			if c.Group == nil {
				t.Errorf("%s: submitted without its group", c.ID)
			}
		}
	}
	if events != len(rec.Submissions) {
		t.Errorf("%d submissions logged, %d collaborations submitted", len(rec.Submissions), events)
	}
}

// TestStore runs the conformance suite against the stores newStore returns; newStore must
// return a new, empty store each time it is called. Every subtest runs on its own store.
func TestStore(t *testing.T, newStore func(t *testing.T) collabplus.Store) {
	ctx := context.Background()
	e := evaluator()

	t.Run("CreateAndRead", func(t *testing.T) {
		s := newStore(t)
		for _, id := range []string{"shop-2", "shop-1", "shop-3"} {
			rec := newSeller(t, e, id)
			got := create(t, s, rec)
			if diff := affrulestest.Diff(rec, got); diff != "" {
				t.Errorf("Create(%s) returned:\n%s", id, diff)
			}
			if diff := affrulestest.Diff(rec, stored(t, s, id)); diff != "" {
				t.Errorf("Seller(%s) is not what Create stored:\n%s", id, diff)
			}
		}
		if _, err := s.Seller(ctx, "shop-9"); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("Seller of an unknown ID: error %v, want one wrapping ErrNotFound", err)
		}
		if _, err := s.Create(ctx, collabplus.Seller{}); err == nil {
			t.Errorf("Create of a record without an ID: no error")
		}
		if _, err := s.Seller(ctx, ""); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("Seller(\"\"): error %v, want one wrapping ErrNotFound", err)
		}
	})

	t.Run("CreateAgainIsConflict", func(t *testing.T) {
		s := newStore(t)
		first := ready(t, s, e, "shop-1", 1)
		again := newSeller(t, e, "shop-1")
		again.Market = affrules.MY
		if _, err := s.Create(ctx, again); !errors.Is(err, collabplus.ErrConflict) {
			t.Errorf("Create of a stored ID: error %v, want one wrapping ErrConflict", err)
		}
		unchanged(t, s, first, "a conflicting Create")
		// IDs are held as given: one that differs only in case is another seller.
		if _, err := s.Seller(ctx, "SHOP-1"); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("Seller(SHOP-1) error = %v, want one wrapping ErrNotFound (shop-1 is held)", err)
		}
		upper := newSeller(t, e, "SHOP-1")
		if _, err := s.Create(ctx, upper); err != nil {
			t.Errorf("Create of SHOP-1 beside shop-1: %v", err)
		}
		if got, err := s.Seller(ctx, "SHOP-1"); err != nil || got.ID != "SHOP-1" {
			t.Errorf("Seller(SHOP-1) = %s, %v; want the seller created under SHOP-1", got.ID, err)
		}
		unchanged(t, s, first, "the Create of an ID that differs only in case")
	})

	t.Run("ConcurrentCreates", func(t *testing.T) {
		// "A seller the store holds is an error wrapping ErrConflict", and the store is safe
		// for concurrent use: of sixteen Creates of one ID at once, exactly one succeeds, the
		// others are conflicts, and the record stored is the winner's, not overwritten by a
		// Create that checked before the winner wrote.
		s := newStore(t)
		for k := range 8 {
			id := fmt.Sprintf("shop-%d", k)
			recs := make([]collabplus.Seller, 16)
			for i := range recs {
				recs[i] = newSeller(t, e, id)
				recs[i].Updated = t0.Add(time.Duration(i) * time.Minute) // tells the records apart
			}
			got := make([]collabplus.Seller, len(recs))
			errs := make([]error, len(recs))
			together(len(recs), func(i int) { got[i], errs[i] = s.Create(ctx, recs[i]) })
			winner := -1
			for i, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Errorf("%s: Creates %d and %d both succeeded", id, winner, i)
				case err == nil:
					winner = i
				case !errors.Is(err, collabplus.ErrConflict):
					t.Errorf("%s, Create %d: error %v, want nil or one wrapping ErrConflict", id, i, err)
				}
			}
			if winner < 0 {
				t.Errorf("%s: no Create succeeded", id)
				continue
			}
			if diff := affrulestest.Diff(recs[winner], got[winner]); diff != "" {
				t.Errorf("%s: the winning Create returned:\n%s", id, diff)
			}
			if diff := affrulestest.Diff(recs[winner], stored(t, s, id)); diff != "" {
				t.Errorf("%s: the store holds another record than the winning Create's (Create %d):\n%s", id, winner, diff)
			}
		}
	})

	t.Run("CreateBadRecord", func(t *testing.T) {
		// A record NewSeller would not make (no market, an unknown one, no instant, no ID) is bad
		// input naming the field, and nothing is stored.
		s := newStore(t)
		good := newSeller(t, e, "shop-1")
		for _, tc := range []struct {
			field string
			edit  func(*collabplus.Seller)
		}{
			{"seller.market", func(r *collabplus.Seller) { r.Market = "" }},
			{"seller.market", func(r *collabplus.Seller) { r.Market = "ZZ" }},
			{"seller.updated", func(r *collabplus.Seller) { r.Updated = time.Time{} }},
			{"seller.id", func(r *collabplus.Seller) { r.ID = "" }},
		} {
			r := good
			tc.edit(&r)
			if _, err := s.Create(ctx, r); !fieldError(err, tc.field) {
				t.Errorf("Create(%+v): error %v, want a FieldError on %s", r, err, tc.field)
			}
			if _, err := s.Seller(ctx, r.ID); !errors.Is(err, collabplus.ErrNotFound) && r.ID != "" {
				t.Errorf("a refused Create stored seller %q: %v", r.ID, err)
			}
		}
	})

	t.Run("CreateForgedHistory_CP2_CP3_CP4_CP7_CP13", func(t *testing.T) {
		// A record holding what only Apply sets (groups, blocklist, creation log, collaborations, a
		// disqualification) is bad input naming each such field, whichever store keeps it: its
		// history never went through the rules (a one-day period, a submission outside the quota, a
		// payment never made, a group never saved). Nothing is stored, the records held are
		// unchanged, and a record fresh from NewSeller is still created.
		s := newStore(t)
		held := ready(t, s, e, "shop-held", 1)
		forged := forgedSeller(t, e, "shop-forged")
		only := func(edit func(*collabplus.Seller)) collabplus.Seller {
			r := newSeller(t, e, "shop-forged")
			edit(&r)
			return r
		}
		for _, tc := range []struct {
			name   string
			fields []string
			rec    collabplus.Seller
		}{
			{"Forged", []string{"seller.groups", "seller.blocklist", "seller.submissions", "seller.collaborations"}, forged},
			{"Groups_CP4", []string{"seller.groups"}, only(func(r *collabplus.Seller) { r.Groups = forged.Groups })},
			{"Blocklist_CP13", []string{"seller.blocklist"}, only(func(r *collabplus.Seller) { r.Blocklist = forged.Blocklist })},
			{"Submissions_CP3", []string{"seller.submissions"}, only(func(r *collabplus.Seller) { r.Submissions = forged.Submissions })},
			{"Collaborations_CP2_CP7", []string{"seller.collaborations"}, only(func(r *collabplus.Seller) { r.Collaborations = forged.Collaborations })},
			{"Disqualified_ELG11", []string{"seller.disqualified"}, only(func(r *collabplus.Seller) { r.Disqualified = r.Updated })},
			{"Draft", []string{"seller.collaborations"}, only(func(r *collabplus.Seller) {
				r.Collaborations = []collabplus.Collaboration{{ID: "c1", Market: affrules.TH, Preferences: terms()}}
			})},
			{"ForgedUnderHeldID", []string{"seller.collaborations"}, func() collabplus.Seller {
				r := forged
				r.ID = held.ID
				return r
			}()},
		} {
			_, err := s.Create(ctx, tc.rec)
			for _, f := range tc.fields {
				if !fieldError(err, f) {
					t.Errorf("%s: error %v, want a FieldError on %s", tc.name, err, f)
				}
			}
			if errors.Is(err, affrules.ErrRefused) {
				t.Errorf("%s: bad input reported as a refusal: %v", tc.name, err)
			}
			if tc.rec.ID != held.ID {
				if _, err := s.Seller(ctx, tc.rec.ID); !errors.Is(err, collabplus.ErrNotFound) {
					t.Errorf("%s: a refused Create stored seller %q: %v", tc.name, tc.rec.ID, err)
				}
			}
			unchanged(t, s, held, tc.name)
		}
		fresh := newSeller(t, e, "shop-forged")
		if diff := affrulestest.Diff(fresh, create(t, s, fresh)); diff != "" {
			t.Errorf("Create of a record from NewSeller after refusals returned:\n%s", diff)
		}
		// The seller's own history is the rules': the one-day period is refused at submission.
		apply(t, s, e, "shop-forged", collabplus.SaveGroup(collabplus.Group{ID: "g1"}), t0)
		oneDay := terms()
		oneDay.Period.End = oneDay.Period.Start.AddDate(0, 0, 1)
		apply(t, s, e, "shop-forged", collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: oneDay}), t0)
		if _, err := s.Apply(ctx, e, "shop-forged", collabplus.Submit("c1", facts("shop-forged")), submitted); !refusedFor(err, collabplus.RuleDuration) {
			t.Errorf("Submit of a one-day task: error %v, want a CP-2 refusal", err)
		}
	})

	t.Run("IncompleteDraftStored_CP7", func(t *testing.T) {
		// A draft may be incomplete (its shape is checked at submission): the store holds one
		// without a type, and one whose task has no goal yet, as the rules leave them.
		s := newStore(t)
		create(t, s, newSeller(t, e, "shop-1"))
		apply(t, s, e, "shop-1", collabplus.NewDraft(collabplus.Collaboration{ID: "bare"}), t0)
		got := apply(t, s, e, "shop-1", collabplus.Edit("bare", collabplus.Terms{Type: collabplus.Task, Tasks: []collabplus.TaskSpec{{ContentType: "video"}}}), t0)
		unchanged(t, s, got, "reading the seller back")
	})

	t.Run("ApplyUnknownIsNotFound", func(t *testing.T) {
		s := newStore(t)
		create(t, s, newSeller(t, e, "shop-1"))
		if _, err := s.Apply(ctx, e, "shop-2", collabplus.BlockCreator("kai"), t0); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("Apply to an unknown seller: error %v, want one wrapping ErrNotFound", err)
		}
		if _, err := s.Seller(ctx, "shop-2"); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("Apply to an unknown seller stored it: %v", err)
		}
	})

	t.Run("ActionsStored_CP4_CP7_CP13", func(t *testing.T) {
		s := newStore(t)
		create(t, s, newSeller(t, e, "shop-1"))
		paid := submitted.Add(time.Hour)
		steps := []struct {
			a  collabplus.Action
			at time.Time
		}{
			{collabplus.SaveGroup(collabplus.Group{ID: "g1", MinLevel: level.L3}), t0},
			{draft("c1"), t0},
			{collabplus.Edit("c1", terms()), t0.Add(time.Hour)},
			{collabplus.Submit("c1", facts("shop-1")), submitted},
			{collabplus.Pay("c1", "credit_card"), paid},
			{collabplus.BlockCreator("kai"), paid},
			{collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4, Kind: level.LinkShareOnly}), period.Start},
		}
		var got collabplus.Seller
		for _, st := range steps {
			got = apply(t, s, e, "shop-1", st.a, st.at)
			if diff := affrulestest.Diff(got, stored(t, s, "shop-1")); diff != "" {
				t.Errorf("after %v the store holds what Apply did not return:\n%s", st.a, diff)
			}
			if !got.Updated.Equal(st.at) {
				t.Errorf("after %v: updated %v, want %v", st.a, got.Updated, st.at)
			}
		}
		if len(got.Collaborations) != 1 {
			t.Fatalf("%d collaborations stored, want 1", len(got.Collaborations))
		}
		c := got.Collaborations[0]
		wantEvents := []collabplus.Event{{Kind: collabplus.Submitted, At: submitted, Due: submitted.Add(24 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: paid, Method: "credit_card"}}
		if diff := affrulestest.Diff(wantEvents, c.Events); diff != "" {
			t.Errorf("events:\n%s", diff)
		}
		if diff := affrulestest.Diff([]collabplus.Member{{Creator: "mali", Joined: period.Start, Kind: level.LinkShareOnly}}, c.Members); diff != "" { // LVL-11: the kind is kept
			t.Errorf("members:\n%s", diff)
		}
		if diff := affrulestest.Diff(collabplus.Blocklist{{Creator: "kai", Blocked: true, At: paid}}, got.Blocklist); diff != "" {
			t.Errorf("blocklist:\n%s", diff)
		}
		if diff := affrulestest.Diff([]collabplus.Submission{{Collaboration: "c1", At: submitted}}, got.Submissions); diff != "" {
			t.Errorf("creation log:\n%s", diff)
		}
		if st := c.StateAt(period.Start); st != collabplus.Ongoing {
			t.Errorf("state at the start %v, want ongoing", st)
		}
	})

	t.Run("FinalRecallDisqualifyStored_CP7_CP15_ELG11", func(t *testing.T) {
		// Final terms (CP-15), a recall (CP-7) and a permanent disqualification (ELG-11) are
		// stored exactly as Apply returns them. The disqualified product of each collaboration
		// running then (pending payment, paid, ongoing) gets an Ended entry at the instant; a
		// draft's and a recalled one's get none. What is stored is what the rules read next: a
		// collaboration whose products all ended is not paid, and the product is not
		// submitted again.
		s := newStore(t)
		ready(t, s, e, "shop-1", 4)
		final := terms()
		final.Reward = decimal.RequireFromString("600.00")
		finalized, recalled, off := submitted.Add(time.Hour), submitted.Add(2*time.Hour), submitted.Add(3*time.Hour)
		steps := []struct {
			a  collabplus.Action
			at time.Time
		}{
			{collabplus.Submit("c1", facts("shop-1")), submitted},
			{collabplus.Submit("c2", facts("shop-1")), submitted},
			{collabplus.Submit("c3", facts("shop-1")), submitted},
			{collabplus.Pay("c1", "credit_card"), submitted},
			{collabplus.Pay("c2", "credit_card"), submitted},
			{collabplus.Finalize("c1", final), finalized},
			{collabplus.Recall("c2"), recalled},
			{collabplus.Disqualify(disqualified("shop-1")), off},
		}
		var got collabplus.Seller
		for _, st := range steps {
			got = apply(t, s, e, "shop-1", st.a, st.at)
			if diff := affrulestest.Diff(got, stored(t, s, "shop-1")); diff != "" {
				t.Errorf("after %v the store holds what Apply did not return:\n%s", st.a, diff)
			}
		}
		if len(got.Collaborations) != 4 {
			t.Fatalf("%d collaborations stored, want 4", len(got.Collaborations))
		}
		c1, c2, c3, c4 := got.Collaborations[0], got.Collaborations[1], got.Collaborations[2], got.Collaborations[3]
		if c1.Final == nil {
			t.Errorf("c1: no final terms stored (CP-15)")
		} else if diff := affrulestest.Diff(final, *c1.Final); diff != "" {
			t.Errorf("c1's final terms (CP-15):\n%s", diff)
		}
		if st := c2.StateAt(recalled); st != collabplus.Recalled {
			t.Errorf("c2 at the recall: %v, want recalled (CP-7)", st)
		}
		ended := []collabplus.ProductEnd{{Product: "p1", At: off}}
		for _, tc := range []struct {
			c    collabplus.Collaboration
			want []collabplus.ProductEnd
		}{{c1, ended}, {c2, nil}, {c3, ended}, {c4, nil}} {
			if diff := affrulestest.Diff(tc.want, tc.c.Ended); diff != "" {
				t.Errorf("%s: ended products (ELG-11):\n%s", tc.c.ID, diff)
			}
		}
		if _, err := s.Apply(ctx, e, "shop-1", collabplus.Pay("c3", "credit_card"), off); !refusedFor(err, collabplus.RuleLaterDisqualification) {
			t.Errorf("Pay of c3, whose only product ended: error %v, want an ELG-11 refusal", err)
		}
		if _, err := s.Apply(ctx, e, "shop-1", collabplus.Submit("c4", facts("shop-1")), off); !refusedFor(err, collabplus.RuleLaterDisqualification) {
			t.Errorf("Submit of c4, whose product was disqualified for good: error %v, want an ELG-11 refusal", err)
		}
		unchanged(t, s, got, "actions refused for ELG-11")
	})

	t.Run("RefusedActionStoresNothing", func(t *testing.T) {
		s := newStore(t)
		ready(t, s, e, "shop-1", 7)
		for i := 1; i <= 5; i++ {
			apply(t, s, e, "shop-1", collabplus.Submit(fmt.Sprintf("c%d", i), facts("shop-1")), submitted)
		}
		apply(t, s, e, "shop-1", collabplus.Pay("c1", "credit_card"), submitted)
		before := apply(t, s, e, "shop-1", collabplus.BlockCreator("kai"), submitted)
		notListed := facts("shop-1")
		notListed.Allowlisted = false
		refused := []struct {
			name string
			rule affrules.RuleID
			a    collabplus.Action
			at   time.Time
		}{
			{"Quota_CP3", collabplus.RuleQuota, collabplus.Submit("c6", facts("shop-1")), submitted},
			{"Allowlist_CP17", collabplus.RuleAllowlist, collabplus.Submit("c6", notListed), submitted},
			{"EditSubmitted_CP7", collabplus.RuleLifecycle, collabplus.Edit("c1", terms()), submitted},
			{"PayTwice_CP7", collabplus.RuleLifecycle, collabplus.Pay("c1", "credit_card"), submitted},
			{"PayLate_CP7", collabplus.RuleLifecycle, collabplus.Pay("c2", "credit_card"), submitted.Add(24 * time.Hour)},
			{"RecallOngoing_CP7", collabplus.RuleLifecycle, collabplus.Recall("c1"), period.Start},
			{"JoinBeforeStart_CP7", collabplus.RuleLifecycle, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), submitted},
			{"JoinOutsideGroup_CP4", collabplus.RuleGroups, collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L1}), period.Start},
			{"JoinBlocked_CP13", collabplus.RuleBlocklist, collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L4}), period.Start},
		}
		for _, tc := range refused {
			_, err := s.Apply(ctx, e, "shop-1", tc.a, tc.at)
			if !refusedFor(err, tc.rule) {
				t.Errorf("%s: error %v, want a *Refusal failing %s", tc.name, err, tc.rule)
			}
			unchanged(t, s, before, tc.name)
		}
	})

	t.Run("BadInputStoresNothing", func(t *testing.T) {
		s := newStore(t)
		ready(t, s, e, "shop-1", 2)
		before := apply(t, s, e, "shop-1", collabplus.Submit("c1", facts("shop-1")), submitted)
		short := terms()
		short.Period.End = period.End.Add(time.Hour) // not a local midnight (CP-2)
		bad := []struct {
			name, field string
			a           collabplus.Action
			at          time.Time
		}{
			{"NoAction", "action", collabplus.Action{}, submitted},
			{"ZeroInstant", "at", collabplus.BlockCreator("kai"), time.Time{}},
			{"InstantBeforeLastChange", "at", collabplus.BlockCreator("kai"), submitted.Add(-time.Nanosecond)},
			{"UnknownMethod_CP7", "method", collabplus.Pay("c1", "cash"), submitted},
			{"UnknownCollaboration", "collaboration", collabplus.Pay("c9", "credit_card"), submitted},
			{"DraftTaken", "collaboration.id", draft("c2"), submitted},
			{"NotWholeDays_CP2", "final.period", collabplus.Finalize("c1", short), submitted},
			{"EligibilityMissing_ELG9", "facts.eligibility[p1]", collabplus.Submit("c2", collabplus.Facts{Allowlisted: true}), submitted},
			{"EmptyCreator_CP13", "creator", collabplus.BlockCreator(""), submitted},
		}
		for _, tc := range bad {
			_, err := s.Apply(ctx, e, "shop-1", tc.a, tc.at)
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
		before := ready(t, s, e, "shop-1", 1)
		p := collabplus.DefaultPolicy()
		p.Markets = []affrules.MarketCode{affrules.MY} // Collaboration Plus no longer runs in TH (MKT-1)
		myOnly := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
		if _, err := s.Apply(ctx, myOnly, "shop-1", collabplus.BlockCreator("kai"), t0); !fieldError(err, "seller.market") {
			t.Errorf("Apply under a policy without TH: error %v, want a FieldError on seller.market", err)
		}
		unchanged(t, s, before, "an action refused by the evaluator given")
		p = collabplus.DefaultPolicy()
		p.QuotaLimit = 1
		one := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
		apply(t, s, e, "shop-1", draft("c2"), t0)
		apply(t, s, one, "shop-1", collabplus.Submit("c1", facts("shop-1")), submitted)
		if _, err := s.Apply(ctx, one, "shop-1", collabplus.Submit("c2", facts("shop-1")), submitted); !refusedFor(err, collabplus.RuleQuota) {
			t.Errorf("a second submission under a quota of 1: error %v, want a CP-3 refusal", err)
		}
		apply(t, s, e, "shop-1", collabplus.Submit("c2", facts("shop-1")), submitted)
	})

	t.Run("CopiesIsolated", func(t *testing.T) {
		// A Store keeps its own copy (Evaluator.Apply): changing what a caller gave to Apply,
		// or any slice, map or pointer of a record Create, Apply or Seller returned, changes
		// nothing stored. The record compared against is a deep snapshot, not a read that may
		// share with the store. A record Create accepts holds no slice element to share
		// (Seller.Validate), so Create's input has nothing to change.
		s := newStore(t)
		created := create(t, s, newSeller(t, e, "shop-1"))
		g := isolatedGroup()
		saved := apply(t, s, e, "shop-1", collabplus.SaveGroup(g), t0)
		scribbleGroup(&g) // the caller's group after SaveGroup
		tm, challenge, final := terms(), challengeTerms(), terms()
		final.Reward = decimal.RequireFromString("600.00")
		apply(t, s, e, "shop-1", collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: tm}), t0)
		apply(t, s, e, "shop-1", collabplus.NewDraft(collabplus.Collaboration{ID: "c2", Preferences: challenge}), t0)
		apply(t, s, e, "shop-1", collabplus.Submit("c1", facts("shop-1")), submitted)
		apply(t, s, e, "shop-1", collabplus.BlockCreator("kai"), submitted)
		apply(t, s, e, "shop-1", collabplus.Pay("c1", "credit_card"), submitted)
		apply(t, s, e, "shop-1", collabplus.Finalize("c1", final), submitted)
		apply(t, s, e, "shop-1", collabplus.Join("c1", isolatedCreator()), period.Start)
		got := apply(t, s, e, "shop-1", collabplus.Disqualify(disqualified("shop-1")), period.Start.Add(time.Hour))
		scribbleTerms(&tm) // the caller's terms after NewDraft and Finalize
		scribbleTerms(&challenge)
		scribbleTerms(&final)
		want := snapshot(t, got)
		for _, part := range []struct {
			name      string
			want, got any
		}{
			{"group", isolatedGroup(), want.Groups[0]},
			{"preferences", terms(), want.Collaborations[0].Preferences},
			{"draft's preferences", challengeTerms(), want.Collaborations[1].Preferences},
			{"final terms", func() collabplus.Terms { f := terms(); f.Reward = decimal.RequireFromString("600.00"); return f }(), *want.Collaborations[0].Final},
			{"collaboration's group", isolatedGroup(), *want.Collaborations[0].Group},
			{"members", []collabplus.Member{{Creator: "mali", Joined: period.Start}}, want.Collaborations[0].Members},
			{"ended", []collabplus.ProductEnd{{Product: "p1", At: period.Start.Add(time.Hour)}}, want.Collaborations[0].Ended},
		} {
			if diff := affrulestest.Diff(part.want, part.got); diff != "" {
				t.Errorf("the stored %s is not what the caller gave:\n%s", part.name, diff)
			}
		}
		scribble(&created)
		scribble(&saved)
		scribble(&got)
		unchanged(t, s, want, "changing a record Apply returned")
		got.Collaborations = append(got.Collaborations[:0], collabplus.Collaboration{ID: "y"})
		unchanged(t, s, want, "appending to a record Apply returned")
		read := stored(t, s, "shop-1")
		scribble(&read)
		unchanged(t, s, want, "changing a record Seller returned")
		read = stored(t, s, "shop-1")
		if len(read.Collaborations) > 0 {
			c := &read.Collaborations[0]
			c.Events = append(c.Events[:0], collabplus.Event{Kind: collabplus.RecalledEvent, At: submitted})
			c.Members = append(c.Members[:0], collabplus.Member{Creator: "y", Joined: period.Start})
		}
		unchanged(t, s, want, "appending to a record Seller returned")
	})

	t.Run("CancelledContext", func(t *testing.T) {
		s := newStore(t)
		before := ready(t, s, e, "shop-1", 1)
		c, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Create(c, newSeller(t, e, "shop-2")); !errors.Is(err, context.Canceled) {
			t.Errorf("Create: error %v, want context.Canceled", err)
		}
		if _, err := s.Apply(c, e, "shop-1", collabplus.Submit("c1", facts("shop-1")), submitted); !errors.Is(err, context.Canceled) {
			t.Errorf("Apply: error %v, want context.Canceled", err)
		}
		if _, err := s.Seller(c, "shop-1"); !errors.Is(err, context.Canceled) {
			t.Errorf("Seller: error %v, want context.Canceled", err)
		}
		unchanged(t, s, before, "a cancelled Apply")
		if _, err := s.Seller(ctx, "shop-2"); !errors.Is(err, collabplus.ErrNotFound) {
			t.Errorf("a cancelled Create stored a record: %v", err)
		}
	})

	t.Run("machine", func(t *testing.T) { affrulestest.Machine(t, machineChecks, newStore, machine(t)) })

	t.Run("ConcurrentSubmissions_CP3", func(t *testing.T) {
		s := newStore(t)
		// Four sellers, each with 0, 1, 2 or 4 collaborations submitted already, then twenty
		// submissions at once: exactly the free slots of five are admitted, the rest refused
		// for CP-3 alone.
		for k, already := range []int{0, 1, 2, 4} {
			id := fmt.Sprintf("shop-%d", k)
			ready(t, s, e, id, already+20)
			var admitted []string
			for i := 1; i <= already; i++ {
				apply(t, s, e, id, collabplus.Submit(fmt.Sprintf("c%d", i), facts(id)), submitted)
				admitted = append(admitted, fmt.Sprintf("c%d", i))
			}
			errs := make([]error, 20)
			together(len(errs), func(i int) {
				_, errs[i] = s.Apply(ctx, e, id, collabplus.Submit(fmt.Sprintf("c%d", already+1+i), facts(id)), submitted)
			})
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
					admitted = append(admitted, fmt.Sprintf("c%d", already+1+i))
				case !refusedFor(err, collabplus.RuleQuota):
					t.Errorf("%s, call %d: error %v, want nil or a CP-3 refusal", id, i, err)
				}
			}
			if ok != 5-already {
				t.Errorf("%s with %d submitted: %d of 20 admitted, want %d", id, already, ok, 5-already)
			}
			got := stored(t, s, id)
			consistent(t, got)
			if len(got.Submissions) != 5 {
				t.Errorf("%s: %d submissions stored, want 5", id, len(got.Submissions))
			}
			for _, c := range got.Collaborations {
				want := collabplus.Draft
				if slices.Contains(admitted, c.ID) {
					want = collabplus.PendingPayment
				}
				if st := c.StateAt(submitted); st != want {
					t.Errorf("%s/%s: %v, want %v", id, c.ID, st, want)
				}
			}
		}
	})

	t.Run("JoinsRacingBlocks_CP13", func(t *testing.T) {
		s := newStore(t)
		ready(t, s, e, "shop-1", 1)
		apply(t, s, e, "shop-1", collabplus.Submit("c1", facts("shop-1")), submitted)
		apply(t, s, e, "shop-1", collabplus.Pay("c1", "credit_card"), submitted)
		// Sixteen creators, each joining while the seller blocks them, at one instant: each
		// join is stored if it came first, refused for CP-13 if the block did; every block is
		// stored.
		const n = 16
		at := period.Start.Add(time.Hour)
		errs := make([]error, 2*n)
		together(2*n, func(i int) {
			creator := fmt.Sprintf("creator-%02d", i/2)
			if i%2 == 0 {
				_, errs[i] = s.Apply(ctx, e, "shop-1", collabplus.Join("c1", collabplus.Creator{ID: creator, Level: level.L5}), at)
			} else {
				_, errs[i] = s.Apply(ctx, e, "shop-1", collabplus.BlockCreator(creator), at)
			}
		})
		got := stored(t, s, "shop-1")
		members := got.Collaborations[0].Members
		for k := range n {
			creator := fmt.Sprintf("creator-%02d", k)
			if errs[2*k+1] != nil {
				t.Errorf("blocking %s: %v", creator, errs[2*k+1])
			}
			if !got.Blocklist.BlockedAt(creator, at) {
				t.Errorf("%s is not blocked in the stored record", creator)
			}
			member := slices.ContainsFunc(members, func(m collabplus.Member) bool { return m.Creator == creator })
			switch err := errs[2*k]; {
			case err == nil && !member:
				t.Errorf("%s's join was accepted and not stored", creator)
			case err != nil && member:
				t.Errorf("%s's join was refused (%v) and stored", creator, err)
			case err != nil && !refusedFor(err, collabplus.RuleBlocklist):
				t.Errorf("%s's join: error %v, want nil or a CP-13 refusal", creator, err)
			}
		}
		if len(got.Blocklist) != n {
			t.Errorf("%d blocklist changes stored, want %d", len(got.Blocklist), n)
		}
	})

	t.Run("ConcurrentSellers", func(t *testing.T) {
		s := newStore(t)
		const n = 16
		for k := range n {
			ready(t, s, e, fmt.Sprintf("shop-%02d", k), 1)
		}
		errs := make([]error, n*3)
		together(len(errs), func(i int) {
			id := fmt.Sprintf("shop-%02d", i%n)
			var a collabplus.Action
			switch i / n {
			case 0:
				a = collabplus.BlockCreator("kai")
			case 1:
				a = collabplus.SaveGroup(collabplus.Group{ID: "g2"})
			default:
				a = collabplus.Submit("c1", facts(id))
			}
			_, errs[i] = s.Apply(ctx, e, id, a, submitted)
		})
		for i, err := range errs {
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
		}
		for k := range n {
			got := stored(t, s, fmt.Sprintf("shop-%02d", k))
			if len(got.Blocklist) != 1 || len(got.Groups) != 2 || len(got.Submissions) != 1 {
				t.Errorf("%s: %d blocklist changes, %d groups, %d submissions; want 1, 2, 1", got.ID, len(got.Blocklist), len(got.Groups), len(got.Submissions))
			}
			consistent(t, got)
		}
	})

	t.Run("InstantsOutOfOrder", func(t *testing.T) {
		s := newStore(t)
		ready(t, s, e, "shop-1", 0)
		// Sixteen blocks of distinct creators at instants in a random order, at once: each is
		// stored or refused as dated before a change already stored; none stored is lost.
		at := make([]time.Time, 16)
		for i := range at {
			at[i] = t0.Add(time.Duration(i+1) * time.Minute)
		}
		rand.New(rand.NewPCG(3, 14)).Shuffle(len(at), func(i, j int) { at[i], at[j] = at[j], at[i] })
		errs := make([]error, len(at))
		together(len(at), func(i int) {
			_, errs[i] = s.Apply(ctx, e, "shop-1", collabplus.BlockCreator(fmt.Sprintf("creator-%02d", i)), at[i])
		})
		got := stored(t, s, "shop-1")
		var want []string
		for i, err := range errs {
			switch {
			case err == nil:
				want = append(want, fmt.Sprintf("creator-%02d", i))
			case !fieldError(err, "at"):
				t.Errorf("block at %v: error %v, want nil or a FieldError on at", at[i], err)
			case !at[i].Before(got.Updated):
				t.Errorf("block at %v refused as out of order, but the last change stored is at %v", at[i], got.Updated)
			}
		}
		var blocked []string
		for i, b := range got.Blocklist {
			blocked = append(blocked, b.Creator)
			if i > 0 && b.At.Before(got.Blocklist[i-1].At) {
				t.Errorf("%s blocked at %v after %s at %v: instants went backwards", b.Creator, b.At, got.Blocklist[i-1].Creator, got.Blocklist[i-1].At)
			}
		}
		slices.Sort(want)
		slices.Sort(blocked)
		if diff := affrulestest.Diff(want, blocked); diff != "" {
			t.Errorf("stored blocks are not the blocks accepted:\n%s", diff)
		}
		if len(want) == 0 {
			t.Errorf("no concurrent block was accepted")
		}
	})
}
