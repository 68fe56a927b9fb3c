package collabplus_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/level"
)

// lcFuzzLimit is the time one fuzz input may take: a slow input is a failure, saved.
const lcFuzzLimit = time.Second

// lcOnlyFieldErrors reports whether err is bad input as the package reports it: one or more
// *affrules.FieldError values, joined, and nothing else.
func lcOnlyFieldErrors(err error) bool {
	n := 1
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n = len(j.Unwrap())
	}
	return len(lcFieldErrors(err)) == n
}

// The policy loader never panics; what it accepts validates, builds an evaluator and survives
// a round trip through JSON unchanged; what it refuses is field errors, with no policy beside
// them.
func FuzzParsePolicy(f *testing.F) {
	def, _ := json.Marshal(collabplus.DefaultPolicy())
	f.Add(def)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"quota_limit": 3, "quota_days": 7, "quota_calendar_days": false, "open_markets": ["TH"]}`))
	f.Add([]byte(`{"task_days": {"min": 20, "max": 10}, "Quota_Limit": 1, "quota_limit": 1, "quota_limit": 2}`))
	f.Add([]byte(`{"recommended": {"TH": {"min_days": 21, "min_reward": "300"}, "ZZ": {"min_days": -1}}}`))
	f.Add([]byte(`{"rounding": "up", "extra_fee_rate": "110%", "tie_breaks": ["coin"], "payment_methods": []}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"recommended": {}, "open_markets": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p collabplus.Policy
		var err error
		deadline.Within(t, lcFuzzLimit, func() { p, err = collabplus.ParsePolicy(data) })
		if err != nil {
			if len(lcFieldErrors(err)) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			if diff := cmp.Diff(collabplus.Policy{}, p); diff != "" {
				t.Fatalf("a policy beside the error:\n%s", diff)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate refuses: %v", err)
		}
		if _, err := collabplus.New(p, lcCom); err != nil {
			t.Fatalf("New refused a parsed policy: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := collabplus.ParsePolicy(b)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if diff := cmp.Diff(p, q, lcEquate); diff != "" { // an empty list or map is left out: nil
			t.Fatalf("round trip changed the policy (-want +got):\n%s", diff)
		}
	})
}

// What FuzzApply draws its actions' fields from: valid values, near misses and empties.
var (
	lcFuzzIDs      = []string{"c1", "c2", "c3", ""}
	lcFuzzCreators = []string{"mali", "kai", "niran", ""}
	lcFuzzGroups   = []string{lcGroup, "g2", "g3", ""}
	lcFuzzMethods  = []string{"credit_card", "bank_transfer", "cash", ""}
	lcFuzzRates    = []string{"", "0.9999999%", "1%", "10%", "10.0000001%", "15%", "80%", "80.0000001%"}
	lcFuzzLevels   = []level.Level{level.L0, level.L3, level.L8, 9}
	lcFuzzRewards  = []string{"500.00", "500.001", "0", "-1"}
)

// lcFuzzReader hands out the bytes of a fuzz input, zero once they run out.
type lcFuzzReader struct{ b []byte }

func (r *lcFuzzReader) next() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func lcPick[T any](r *lcFuzzReader, xs []T) T { return xs[int(r.next())%len(xs)] }

// instant returns the instant of the next action, after (or, for a hostile input, before) the
// last change prev: a signed number of 6-hour steps from it, or a value out of bounds.
func (r *lcFuzzReader) instant(prev time.Time) time.Time {
	switch b := r.next(); b {
	case 0xff:
		return time.Time{}
	case 0xfe:
		return time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfd:
		return time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfc:
		return prev.Add(-time.Nanosecond)
	case 0xfb:
		return prev.Add(24*time.Hour - time.Nanosecond)
	default:
		return prev.Add(time.Duration(int8(b)) * 6 * time.Hour)
	}
}

// terms decodes the terms of a draft, an edit or final terms: a task or a challenge over one of
// a few periods (14, 13, 61 or 120 days, or not on midnights), with a product at an exclusive
// rate, a group and a reward from the fuzz lists.
func (r *lcFuzzReader) terms() collabplus.Terms {
	start := lcDate(3, 1+int(r.next()%40), 0)
	days := lcPick(r, []int{14, 13, 61, 120})
	p := lcDays(start, days)
	if r.next()%8 == 7 {
		p.End = p.End.Add(time.Hour)
	}
	t := lcTask(p)
	if r.next()%3 == 0 {
		t = lcChallenge(p)
	}
	if rate := lcPick(r, lcFuzzRates); rate != "" {
		t.Products[0].Rate = lcRate(rate)
	}
	t.Group = lcPick(r, lcFuzzGroups)
	if t.Type == collabplus.Task {
		t.Reward = lcDec(lcPick(r, lcFuzzRewards))
	}
	return t
}

// action decodes the next action.
func (r *lcFuzzReader) action() collabplus.Action {
	switch r.next() % 11 {
	case 0:
		return collabplus.SaveGroup(collabplus.Group{ID: lcPick(r, lcFuzzGroups), MinLevel: lcPick(r, lcFuzzLevels)})
	case 1:
		return collabplus.BlockCreator(lcPick(r, lcFuzzCreators))
	case 2:
		return collabplus.UnblockCreator(lcPick(r, lcFuzzCreators))
	case 3:
		return collabplus.NewDraft(collabplus.Collaboration{ID: lcPick(r, lcFuzzIDs), Preferences: r.terms()})
	case 4:
		return collabplus.Edit(lcPick(r, lcFuzzIDs), r.terms())
	case 5:
		id := lcPick(r, lcFuzzIDs)
		f := lcFacts([]string{lcProduct})
		f.Allowlisted = r.next()%5 != 0
		switch r.next() % 6 {
		case 1:
			f.Eligibility[0].State = eligibility.TemporarilyDisqualified
			f.Eligibility[0].Decision = affrules.Decide(affrules.Reason{Rule: "ELG-3", Key: "eligibility.elg3.failed", Observed: affrules.Ratio(6, 500), Limit: affrules.RateOf(lcRate("1%"))})
		case 2:
			f.Eligibility = nil
		case 3:
			f.Eligibility[0].ShopID = "shop-2"
		case 4:
			f.Open = []commission.Offer{lcOpen(lcProduct, lcFrom(lcDate(1, 1, 0), lcPick(r, []string{"10%", "15%", "80%"})))}
		case 5:
			f.Open = []commission.Offer{{ID: "bad", Source: commission.Target, Market: affrules.TH, Product: lcProduct}}
		}
		return collabplus.Submit(id, f)
	case 6:
		return collabplus.Pay(lcPick(r, lcFuzzIDs), lcPick(r, lcFuzzMethods))
	case 7:
		return collabplus.Recall(lcPick(r, lcFuzzIDs))
	case 8:
		return collabplus.Finalize(lcPick(r, lcFuzzIDs), r.terms())
	case 9:
		return collabplus.Join(lcPick(r, lcFuzzIDs), collabplus.Creator{ID: lcPick(r, lcFuzzCreators), Level: lcPick(r, lcFuzzLevels)})
	default:
		return collabplus.Action{}
	}
}

// lcCheckRecord checks the invariants of a seller's record after an accepted action at at:
// Updated is at; groups are unique and within MaxGroups (CP-4); the blocklist's instants never
// go backwards (CP-13); every collaboration's events are in order (submitted, paid, recalled),
// paid inside the payment window and before the start, and its creation log entry matches its
// submission (CP-3, CP-7); never more submissions count
// than the quota's limit at any of them (CP-3); members joined once each, while the
// collaboration was ongoing (CP-7); and its offers pass commission's Prepare.
func lcCheckRecord(t *testing.T, s collabplus.Seller, a collabplus.Action, at time.Time) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("after %v at %s: %s", a, at, fmt.Sprintf(format, args...))
	}
	if !s.Updated.Equal(at) {
		fail("Updated %s", s.Updated)
	}
	p, _ := lcEval.Policy()
	if len(s.Groups) > p.MaxGroups {
		fail("%d groups", len(s.Groups))
	}
	for i, g := range s.Groups {
		if slices.ContainsFunc(s.Groups[:i], func(x collabplus.Group) bool { return x.ID == g.ID }) {
			fail("group %s saved twice", g.ID)
		}
	}
	for i := 1; i < len(s.Blocklist); i++ {
		if s.Blocklist[i].At.Before(s.Blocklist[i-1].At) {
			fail("blocklist goes backwards: %+v", s.Blocklist)
		}
	}
	var subs []lcPlainSub
	for _, c := range s.Collaborations {
		kinds := make([]collabplus.EventKind, len(c.Events))
		for i, ev := range c.Events {
			kinds[i] = ev.Kind
			if i > 0 && ev.At.Before(c.Events[i-1].At) {
				fail("%s: events go backwards", c.ID)
			}
		}
		if want := []collabplus.EventKind{collabplus.Submitted, collabplus.PaidEvent, collabplus.RecalledEvent}[:len(kinds)]; len(kinds) > 3 || !slices.Equal(kinds, want) {
			fail("%s: events %v", c.ID, kinds)
		}
		// Offers and Settle accept the events Apply records (CP-7's checks of a log).
		if _, err := lcEval.Offers(c, at); err != nil {
			var fe *affrules.FieldError
			if errors.As(err, &fe) && strings.HasPrefix(fe.Field, "collaboration.events") {
				fail("%s: Offers refuses the events Apply recorded: %v", c.ID, err)
			}
		}
		if len(c.Events) == 0 {
			if c.Group != nil || len(c.Members) > 0 {
				fail("%s: a draft with a group or members", c.ID)
			}
			continue
		}
		sub := lcPlainSub{id: c.ID, at: c.Events[0].At, due: c.Events[0].Due}
		if !sub.due.Equal(sub.at.Add(24 * time.Hour)) {
			fail("%s: due %s", c.ID, sub.due)
		}
		if len(c.Events) > 1 {
			sub.paid = c.Events[1].At
			if !sub.paid.Before(sub.due) {
				fail("%s: paid at %s, due %s", c.ID, sub.paid, sub.due)
			}
			if start := c.Terms().Period.Start; !sub.paid.Before(start) {
				fail("%s: paid at %s, not before the start %s", c.ID, sub.paid, start)
			}
		}
		if len(c.Events) > 2 {
			sub.recalled = c.Events[2].At
			if !sub.recalled.Before(c.Terms().Period.Start) {
				fail("%s: recalled at %s, after the start", c.ID, sub.recalled)
			}
		}
		subs = append(subs, sub)
		if !slices.Contains(s.Submissions, collabplus.Submission{Collaboration: c.ID, At: sub.at}) {
			fail("%s: no creation log entry", c.ID)
		}
		for i, m := range c.Members {
			if slices.ContainsFunc(c.Members[:i], func(x collabplus.Member) bool { return x.Creator == m.Creator }) {
				fail("%s: %s joined twice", c.ID, m.Creator)
			}
			if c.StateAt(m.Joined) != collabplus.Ongoing {
				fail("%s: %s joined at %s in state %v", c.ID, m.Creator, m.Joined, c.StateAt(m.Joined))
			}
		}
		offers, err := lcEval.Offers(c, at)
		if err != nil {
			fail("Offers: %v", err)
		}
		if _, err := lcCom.Prepare(offers...); err != nil {
			fail("commission's Prepare refuses %s's offers: %v", c.ID, err)
		}
	}
	if len(subs) != len(s.Submissions) {
		fail("%d submissions logged, %d collaborations submitted", len(s.Submissions), len(subs))
	}
	for _, x := range subs {
		if n := lcPlainCount(p, lcBKK, subs, x.at); n > p.QuotaLimit {
			fail("%d submissions count at %s", n, x.at)
		}
	}
}

// Sequences of actions with fuzzed fields and instants, applied to shop-1's record, never
// panic; on an error (a refusal with a failed reason, or field errors only) the record given
// and the one returned are unchanged; after each accepted action the record keeps its
// invariants (lcCheckRecord).
func FuzzApply(f *testing.F) {
	// Each action is its kind (0 save group, 1 block, 2 unblock, 3 draft, 4 edit, 5 submit,
	// 6 pay, 7 recall, 8 finalize, 9 join, 10 the zero Action), indexes into the fuzz lists and
	// terms, then its instant in 6-hour steps from the last change (0xfb: a day less 1ns;
	// 0xfc–0xff: out of order or out of bounds). The record is created on 1 February at 09:00.
	draftC1 := []byte{3, 0, 0, 0, 0, 1, 3, 0, 0, 1} // draft c1: task 1–14 March at 10%, group g1, reward 500.00; at +6h
	submitC1 := []byte{5, 0, 1, 0, 40}              // submit c1, allowlisted, eligible; 10 days later
	payC1 := []byte{6, 0, 0, 2}                     // pay c1 by card 12 hours later
	toStart := []byte{1, 3, 80}                     // block nobody ("" is bad input) 20 days later: 1–14 March runs
	join := func(creator, lv byte) []byte { return []byte{9, 0, creator, lv, 1} }
	f.Add(slices.Concat(draftC1,
		[]byte{4, 0, 5, 1, 0, 4, 0, 1, 1, 1}, // edit c1: 13 days from 6 March, group g2, reward 500.001
		submitC1,                             // bad input
		[]byte{4, 0, 0, 0, 0, 1, 0, 0, 0, 1}, // edit c1 back: 14 days, no exclusive rate, g1
		submitC1,
		[]byte{4, 0, 0, 0, 0, 1, 0, 0, 0, 1}, // edit after the submission: refused
		[]byte{6, 0, 2, 0},                   // pay in cash: bad input
		[]byte{6, 0, 0, 0xfb},                // pay 1ns before the deadline
		payC1))                               // pay again: refused
	f.Add(slices.Concat(draftC1, submitC1, payC1,
		[]byte{8, 0, 2, 0, 0, 1, 5, 1, 0, 1}, // final terms from 3 March at 15% for group g2: bad input (no such group)
		[]byte{0, 1, 0, 1},                   // save group g2
		[]byte{7, 0, 1}, []byte{7, 0, 1},     // recall c1, and again: refused
		toStart, join(0, 2))) // join the recalled c1: refused
	f.Add(slices.Concat(draftC1, submitC1, payC1, // join at the start, twice; block kai; kai and niran (L0) refused; recall refused
		[]byte{9, 0, 0, 1, 80}, join(0, 1), []byte{1, 1, 1}, join(1, 2), join(2, 0), []byte{7, 0, 1}))
	f.Add(slices.Concat(draftC1,
		[]byte{3, 1, 2, 1, 7, 0, 4, 0, 1}, // draft c2: a challenge from 3 March, 13 days, ending at 01:00, 10.0000001%
		[]byte{5, 1, 1, 4, 0, 1},          // submit c2 with an Open rate of 10%: bad input (the period)
		[]byte{5, 1, 1, 5, 1},             // with a TARGET offer as an Open one
		[]byte{5, 1, 0, 3, 1},             // not allowlisted, another shop's eligibility
		[]byte{0, 1, 3, 1},                // save group g2 at level 9
		[]byte{0, 3, 0, 0xff},             // a group without an ID at the zero time
		[]byte{10, 0xfe},                  // the zero Action in 2300
		[]byte{2, 3, 0xfd},                // unblock nobody in 1800
		[]byte{1, 0, 0xfc}))               // block mali 1ns before the last change
	f.Fuzz(func(t *testing.T, data []byte) {
		deadline.Within(t, lcFuzzLimit, func() {
			r := &lcFuzzReader{b: data}
			s, err := lcEval.NewSeller(lcShop, affrules.TH, lcT0)
			if err != nil {
				t.Fatal(err)
			}
			s, err = lcEval.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L3}), lcT0)
			if err != nil {
				t.Fatal(err)
			}
			for steps := 0; len(r.b) > 0 && steps < 64; steps++ {
				a := r.action()
				at := r.instant(s.Updated)
				before := lcSnapshot(s)
				got, err := lcEval.Apply(s, a, at)
				if diff := cmp.Diff(before, s, lcEquate); diff != "" {
					t.Fatalf("%v changed the record given (-want +got):\n%s", a, diff)
				}
				if err != nil {
					var refusal *affrules.Refusal
					switch {
					case errors.As(err, &refusal):
						if refusal.Decision.Allowed || len(refusal.Decision.Failures()) == 0 || !strings.HasPrefix(err.Error(), "collabplus: ") {
							t.Fatalf("%v at %s: a refusal without a failed reason: %v", a, at, refusal)
						}
					case !lcOnlyFieldErrors(err):
						t.Fatalf("%v at %s: error %T %v", a, at, err, err)
					}
					if diff := cmp.Diff(before, got, lcEquate); diff != "" {
						t.Fatalf("%v at %s refused with %v, and the record changed (-want +got):\n%s", a, at, err, diff)
					}
					continue
				}
				lcCheckRecord(t, got, a, at)
				s = got
			}
		})
	})
}
