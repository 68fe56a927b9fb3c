package collabplus_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/eligibility"
)

// lcPlainSub is one submission as the plain reading of CP-3 and CP-7 sees it: when it was
// submitted, the end of its payment window, and when it was paid and recalled (zero: not).
type lcPlainSub struct {
	id             string
	at, due        time.Time
	paid, recalled time.Time
}

// lcPlainCounts reports whether submission sub counts towards the quota at instant u, reading
// CP-3 plainly: submitted by u; in a calendar window, fewer than QuotaDays calendar days from its
// day to u's in zone loc, else less than QuotaDays × 24 h before u; not expired (unpaid at the
// end of its payment window) or recalled by u where the policy leaves those out.
func lcPlainCounts(p collabplus.Policy, loc *time.Location, sub lcPlainSub, u time.Time) bool {
	if sub.at.After(u) {
		return false
	}
	if p.QuotaCalendarDays {
		y1, m1, d1 := sub.at.In(loc).Date()
		y2, m2, d2 := u.In(loc).Date()
		days := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour)
		if int(days) >= p.QuotaDays {
			return false
		}
	} else if u.Sub(sub.at) >= time.Duration(p.QuotaDays)*24*time.Hour {
		return false
	}
	paid := !sub.paid.IsZero() && !sub.paid.After(u)
	if !paid && !u.Before(sub.due) && !p.QuotaCountsExpired {
		return false
	}
	if !sub.recalled.IsZero() && !sub.recalled.After(u) && !p.QuotaCountsRecalled {
		return false
	}
	return true
}

func lcPlainCount(p collabplus.Policy, loc *time.Location, subs []lcPlainSub, u time.Time) int {
	n := 0
	for _, s := range subs {
		if lcPlainCounts(p, loc, s, u) {
			n++
		}
	}
	return n
}

// lcPlainNext returns the first instant after at when fewer than QuotaLimit submissions count,
// if nothing else happens: among the instants where a count can change (a submission's day or
// 24-hour span leaving the window, a payment window ending), the first where the plain count is
// below the limit.
func lcPlainNext(p collabplus.Policy, loc *time.Location, subs []lcPlainSub, at time.Time) time.Time {
	var cands []time.Time
	for _, s := range subs {
		y, m, d := s.at.In(loc).Date()
		cands = append(cands, time.Date(y, m, d+p.QuotaDays, 0, 0, 0, 0, loc), s.at.Add(time.Duration(p.QuotaDays)*24*time.Hour), s.due)
	}
	slices.SortFunc(cands, time.Time.Compare)
	for _, c := range cands {
		if c.After(at) && lcPlainCount(p, loc, subs, c) < p.QuotaLimit {
			return c
		}
	}
	return time.Time{}
}

// lcGenPolicy draws a quota policy: 1–5 collaborations in 1–30 days, calendar or rolling,
// expired and recalled ones counted or not.
func lcGenPolicy(t *rapid.T) collabplus.Policy {
	p := collabplus.DefaultPolicy()
	p.QuotaLimit = rapid.IntRange(1, 5).Draw(t, "quota_limit")
	p.QuotaDays = rapid.SampledFrom([]int{1, 2, 7, 30}).Draw(t, "quota_days")
	p.QuotaCalendarDays = rapid.Bool().Draw(t, "calendar")
	p.QuotaCountsExpired = rapid.Bool().Draw(t, "counts_expired")
	p.QuotaCountsRecalled = rapid.Bool().Draw(t, "counts_recalled")
	return p
}

// lcGenMarket draws Thailand or the UK (whose calendar days are 23 or 25 hours at the
// daylight-saving changes) and returns its zone.
func lcGenMarket(t *rapid.T) (affrules.MarketCode, *time.Location) {
	if rapid.Bool().Draw(t, "uk") {
		return affrules.UK, lcLondon
	}
	return affrules.TH, lcBKK
}

// lcQuotaStep draws how far the clock moves: nothing, a nanosecond, a few hours, a day, the
// windows' lengths, or to (or just before) the next instant a count can change.
func lcQuotaStep(t *rapid.T, clock time.Time, boundary time.Time) time.Time {
	switch rapid.IntRange(0, 5).Draw(t, "step") {
	case 0:
		return clock
	case 1:
		if !boundary.IsZero() && boundary.After(clock) {
			return boundary.Add(-time.Duration(rapid.IntRange(0, 1).Draw(t, "before")))
		}
	case 2:
		return clock.Add(rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour, 5 * time.Hour, 23*time.Hour + 59*time.Minute}).Draw(t, "short"))
	case 3:
		return clock.Add(time.Duration(rapid.IntRange(1, 30).Draw(t, "days")) * 24 * time.Hour)
	}
	return clock.Add(time.Duration(rapid.Int64Range(0, int64(10*24*time.Hour)).Draw(t, "any")))
}

// lcQuotaRun drives one seller's submissions, payments and recalls at instants moving forward
// under a drawn policy, checking every submission's outcome and every Quota decision against the
// plain reading of CP-3, and the decision's next instant for exactness.
func lcQuotaRun(t *rapid.T) {
	p := lcGenPolicy(t)
	e := collabplus.MustNew(p, lcCom)
	m, loc := lcGenMarket(t)
	s, err := e.NewSeller(lcShop, m, lcT0)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = e.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: lcGroup}), lcT0); err != nil {
		t.Fatal(err)
	}
	period := lcDays(time.Date(2030, 1, 1, 0, 0, 0, 0, loc), 14) // after every instant drawn (40 steps of at most 30 days)
	const drafts = 16
	for i := range drafts {
		if s, err = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: fmt.Sprintf("d%02d", i), Preferences: lcTask(period)}), lcT0); err != nil {
			t.Fatal(err)
		}
	}
	facts := collabplus.Facts{Allowlisted: true, Eligibility: []eligibility.Result{lcEligible(lcProduct, lcShop, m)}}
	var subs []lcPlainSub
	clock := lcT0
	next := 0
	apply := func(a collabplus.Action, at time.Time) {
		n, err := e.Apply(s, a, at)
		if err != nil {
			t.Fatalf("%v at %v: %v", a, at, err)
		}
		s = n
	}
	// check compares the Quota decision at u with the plain reading, and the next instant it
	// names with the first instant the quota admits one more.
	check := func(u time.Time) {
		d, err := e.Quota(s, u)
		if err != nil {
			t.Fatal(err)
		}
		count := lcPlainCount(p, loc, subs, u)
		if d.Allowed != (count < p.QuotaLimit) {
			t.Fatalf("Quota at %v: %v; plain count %d of %d", u, d, count, p.QuotaLimit)
		}
		if d.Allowed {
			if !d.NextAllowed.IsZero() || len(d.Reasons) != 0 {
				t.Fatalf("Quota at %v allowed with %v", u, d)
			}
			return
		}
		if len(d.Reasons) != 1 || d.Reasons[0].Observed != affrules.Count(int64(count)) || d.Reasons[0].Key != lcKeyQuota {
			t.Fatalf("Quota at %v: %v; plain count %d", u, d, count)
		}
		want := lcPlainNext(p, loc, subs, u)
		if !d.NextAllowed.Equal(want) {
			t.Fatalf("Quota at %v: next allowed %v, plain %v", u, d.NextAllowed, want)
		}
		if a, _ := e.Quota(s, d.NextAllowed); !a.Allowed {
			t.Fatalf("Quota at the next allowed instant %v: %v", d.NextAllowed, a)
		}
		if b, _ := e.Quota(s, d.NextAllowed.Add(-time.Nanosecond)); b.Allowed {
			t.Fatalf("Quota 1ns before the next allowed instant %v: allowed", d.NextAllowed)
		}
		mid := u.Add(time.Duration(rapid.Int64Range(0, int64(d.NextAllowed.Sub(u))-1).Draw(t, "mid")))
		if c, _ := e.Quota(s, mid); c.Allowed {
			t.Fatalf("Quota at %v, between %v and the next allowed instant %v: allowed", mid, u, d.NextAllowed)
		}
	}
	steps := rapid.IntRange(1, 40).Draw(t, "steps")
	for range steps {
		clock = lcQuotaStep(t, clock, lcPlainNext(p, loc, subs, clock))
		switch rapid.IntRange(0, 4).Draw(t, "action") {
		case 0, 1: // submit the next draft
			if next == drafts {
				continue
			}
			id := fmt.Sprintf("d%02d", next)
			count := lcPlainCount(p, loc, subs, clock)
			n, err := e.Apply(s, collabplus.Submit(id, facts), clock)
			if count < p.QuotaLimit {
				if err != nil {
					t.Fatalf("submit at %v with %d counted: %v", clock, count, err)
				}
				s = n
				subs = append(subs, lcPlainSub{id: id, at: clock, due: clock.Add(24 * time.Hour)})
				next++
			} else {
				r := lcRefusalOf(t, err)
				want := lcDecision(lcPlainNext(p, loc, subs, clock), affrules.Reason{Rule: collabplus.RuleQuota, Key: lcKeyQuota,
					Observed: affrules.Count(int64(count)), Limit: affrules.Count(int64(p.QuotaLimit)), Subject: lcShop})
				if r.Decision.String() != want.String() || !r.Decision.NextAllowed.Equal(want.NextAllowed) {
					t.Fatalf("submit at %v: %v, want %v", clock, r.Decision, want)
				}
			}
		case 2: // pay a collaboration pending payment
			var pending []int
			for i, x := range subs {
				if x.paid.IsZero() && clock.Before(x.due) {
					pending = append(pending, i)
				}
			}
			if len(pending) == 0 {
				continue
			}
			i := rapid.SampledFrom(pending).Draw(t, "pay")
			apply(collabplus.Pay(subs[i].id, "credit_card"), clock)
			subs[i].paid = clock
		case 3: // recall a paid collaboration
			var paid []int
			for i, x := range subs {
				if !x.paid.IsZero() && x.recalled.IsZero() {
					paid = append(paid, i)
				}
			}
			if len(paid) == 0 {
				continue
			}
			i := rapid.SampledFrom(paid).Draw(t, "recall")
			apply(collabplus.Recall(subs[i].id), clock)
			subs[i].recalled = clock
		default:
			check(clock)
		}
		// Never more than the limit counted in any window: a count only falls between
		// submissions, so its highs are at the submissions.
		for _, x := range subs {
			if n := lcPlainCount(p, loc, subs, x.at); n > p.QuotaLimit {
				t.Fatalf("%d submissions count at %v, more than %d", n, x.at, p.QuotaLimit)
			}
		}
		if len(s.Submissions) != len(subs) {
			t.Fatalf("%d submissions logged, %d accepted", len(s.Submissions), len(subs))
		}
	}
	check(clock)
}

// lcRefusalOf returns err as a *affrules.Refusal, failing t if it is not one.
func lcRefusalOf(t *rapid.T, err error) *affrules.Refusal {
	r, ok := err.(*affrules.Refusal)
	if !ok {
		t.Fatalf("error %T %v, want a *affrules.Refusal", err, err)
	}
	return r
}

// CP-3, MKT-5: under drawn policies (limit, window length, calendar or rolling days, expired
// and recalled counted or not) in Thailand and the UK, a submission is accepted exactly when
// fewer than the limit count by a plain reading of the rule; never more than the limit count in
// any window; a denial's next instant is the first instant the quota admits one more: allowed
// there, denied 1ns before and at every instant between.
func TestQuotaProperties_CP3(t *testing.T) { rapid.Check(t, lcQuotaRun) }
