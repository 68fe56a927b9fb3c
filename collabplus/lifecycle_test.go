package collabplus_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/level"
)

// The lifecycle story: collaboration "c1", a task running 1–14 March (the instants [1 Mar
// 00:00, 15 Mar 00:00) in Bangkok), drafted at lcT0, submitted on 20 February at 10:00 (payment
// due before 21 February 10:00) and, in the paid story, paid on 20 February at 12:00.
var (
	lcLcPeriod    = lcDays(lcDay(1), 14)
	lcLcSubmitted = lcDate(2, 20, 10)
	lcLcDue       = lcLcSubmitted.Add(24 * time.Hour)
	lcLcPaid      = lcDate(2, 20, 12)
	lcLcRecalled  = lcDate(2, 22, 9)
)

// lcLcDraft returns shop-1 with draft c1.
func lcLcDraft(t testing.TB) collabplus.Seller {
	return lcDraft(t, lcSeller(t), "c1", lcTask(lcLcPeriod), lcT0)
}

// lcLcPending returns shop-1 with c1 submitted at lcLcSubmitted.
func lcLcPending(t testing.TB) collabplus.Seller {
	return lcApply(t, lcLcDraft(t), collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcSubmitted)
}

// lcLcPaidSeller returns shop-1 with c1 paid by card at lcLcPaid.
func lcLcPaidSeller(t testing.TB) collabplus.Seller {
	return lcApply(t, lcLcPending(t), collabplus.Pay("c1", "credit_card"), lcLcPaid)
}

// lcInState returns shop-1 whose c1 is in state st at the instant returned.
func lcInState(t testing.TB, st collabplus.State) (collabplus.Seller, time.Time) {
	t.Helper()
	switch st {
	case collabplus.Draft:
		return lcLcDraft(t), lcDate(2, 15, 10)
	case collabplus.PendingPayment:
		return lcLcPending(t), lcLcSubmitted.Add(time.Hour)
	case collabplus.Expired:
		return lcLcPending(t), lcLcDue
	case collabplus.Paid:
		return lcLcPaidSeller(t), lcDate(2, 25, 0)
	case collabplus.Ongoing:
		return lcLcPaidSeller(t), lcDate(3, 5, 12)
	case collabplus.Ended:
		return lcLcPaidSeller(t), lcLcPeriod.End
	case collabplus.Recalled:
		return lcApply(t, lcLcPaidSeller(t), collabplus.Recall("c1"), lcLcRecalled), lcDate(2, 25, 0)
	}
	t.Fatalf("no story for state %v", st)
	return collabplus.Seller{}, time.Time{}
}

var lcAllStates = []collabplus.State{collabplus.Draft, collabplus.PendingPayment, collabplus.Expired, collabplus.Paid,
	collabplus.Ongoing, collabplus.Ended, collabplus.Recalled}

// CP-7: every action in every state. An action is applied in the states that allow it and
// refused in every other with an affrules.Refusal naming the action, whose CP-7 reason observes
// the state and names the states that would allow it; a payment after the window is refused as
// late, a recall while ongoing as a cancellation. A refused join is about the creator (the
// refusal's subject) and, while paid, names the start as the instant it will be allowed.
func TestTransitions_CP7(t *testing.T) {
	final := lcTask(lcLcPeriod)
	final.Reward = lcDec("600.00")
	actions := []struct {
		name    string
		a       collabplus.Action
		allowed []collabplus.State
		limit   string
		after   collabplus.State // the state right after the action, when applied
	}{
		{"edit", collabplus.Edit("c1", lcTask(lcLcPeriod)), []collabplus.State{collabplus.Draft}, "draft", collabplus.Draft},
		{"submit", collabplus.Submit("c1", lcFacts([]string{lcProduct})), []collabplus.State{collabplus.Draft}, "draft", collabplus.PendingPayment},
		{"pay", collabplus.Pay("c1", "debit_card"), []collabplus.State{collabplus.PendingPayment}, "pending_payment", collabplus.Paid},
		{"recall", collabplus.Recall("c1"), []collabplus.State{collabplus.Paid}, "paid", collabplus.Recalled},
		{"finalize", collabplus.Finalize("c1", final), []collabplus.State{collabplus.PendingPayment, collabplus.Paid}, "pending_payment or paid", 0},
		{"join", collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), []collabplus.State{collabplus.Ongoing}, "ongoing", collabplus.Ongoing},
	}
	for _, st := range lcAllStates {
		for _, act := range actions {
			t.Run(st.String()+"/"+act.name, func(t *testing.T) {
				s, at := lcInState(t, st)
				require.Equal(t, st, lcCollab(t, s, "c1").StateAt(at), "the story's state")
				allowed := false
				for _, a := range act.allowed {
					allowed = allowed || a == st
				}
				if allowed {
					got := lcApply(t, s, act.a, at)
					want := act.after
					if act.name == "finalize" {
						want = st
					}
					require.Equal(t, want, lcCollab(t, got, "c1").StateAt(at))
					return
				}
				r := lcRefused(t, s, act.a, at)
				require.Equal(t, act.name, r.Action, "the refusal names the action")
				subject, next := "c1", time.Time{}
				if act.name == "join" {
					subject = "mali"
					if st == collabplus.Paid {
						next = lcLcPeriod.Start // time alone is the obstacle
					}
				}
				require.Equal(t, subject, r.Subject)
				reason := lcStateReason("c1", st, act.limit)
				switch {
				case act.name == "pay" && st == collabplus.Expired:
					reason = affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyPaymentLate, Observed: affrules.Instant(at), Limit: affrules.Instant(lcLcDue), Subject: "c1"}
				case act.name == "recall" && st == collabplus.Ongoing:
					reason = affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyOngoing, Observed: affrules.Text("ongoing"), Subject: "c1"}
				}
				lcRequireDecision(t, lcDecision(next, reason), r.Decision)
				require.Contains(t, r.Error(), fmt.Sprintf("collabplus: %s %q refused: CP-7 failed", act.name, subject))
			})
		}
	}
}

// CP-7: the payment window is [submitted, submitted+24h): a payment 1ns before its end is
// accepted, one at its end refused as late, observing the instant and limited by the due
// instant; a second payment is refused in state paid.
func TestPaymentWindow_CP7(t *testing.T) {
	s := lcLcPending(t)
	c := lcCollab(t, s, "c1")
	require.Len(t, c.Events, 1)
	require.Equal(t, collabplus.Submitted, c.Events[0].Kind)
	require.True(t, c.Events[0].At.Equal(lcLcSubmitted))
	require.True(t, c.Events[0].Due.Equal(lcLcDue), "due %v, want submitted + 24h", c.Events[0].Due)

	r := lcRefused(t, s, collabplus.Pay("c1", "credit_card"), lcLcDue)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyPaymentLate,
		Observed: affrules.Instant(lcLcDue), Limit: affrules.Instant(lcLcDue), Subject: "c1"}), r.Decision)
	lcRefused(t, s, collabplus.Pay("c1", "credit_card"), lcLcDue.Add(72*time.Hour))

	last := lcLcDue.Add(-time.Nanosecond)
	paid := lcApply(t, s, collabplus.Pay("c1", "bank_transfer"), last)
	c = lcCollab(t, paid, "c1")
	require.Equal(t, collabplus.Paid, c.StateAt(last))
	require.Equal(t, collabplus.Event{Kind: collabplus.PaidEvent, At: last, Method: "bank_transfer"}, c.Events[1])
	published, ok := c.Published(last)
	require.True(t, ok)
	require.True(t, published.Equal(last), "published is paid (CP-7)")
	_, ok = c.Published(last.Add(-time.Nanosecond))
	require.False(t, ok, "not published before the payment")

	r = lcRefused(t, paid, collabplus.Pay("c1", "credit_card"), last)
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c1", collabplus.Paid, "pending_payment")), r.Decision)

	// A policy of 48 hours to pay moves the deadline.
	p := collabplus.DefaultPolicy()
	p.PaymentHours = 48
	e := collabplus.MustNew(p, lcCom)
	s2 := lcApplyWith(t, e, lcLcDraft(t), collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcSubmitted)
	lcApplyWith(t, e, s2, collabplus.Pay("c1", "credit_card"), lcLcDue)
	lcRefusedWith(t, e, s2, collabplus.Pay("c1", "credit_card"), lcLcSubmitted.Add(48*time.Hour))
}

// CP-7: nothing is edited from pending payment on: edits are refused in every state but
// draft, and an edit of a draft replaces its preferences.
func TestEditOnlyDraft_CP7(t *testing.T) {
	s := lcLcDraft(t)
	edited := lcTask(lcLcPeriod)
	edited.Reward = lcDec("750.00")
	s = lcApply(t, s, collabplus.Edit("c1", edited), lcDate(2, 10, 0))
	require.True(t, lcCollab(t, s, "c1").Preferences.Reward.Equal(lcDec("750.00")))

	s = lcApply(t, s, collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcSubmitted)
	r := lcRefused(t, s, collabplus.Edit("c1", lcTask(lcLcPeriod)), lcLcSubmitted)
	require.Equal(t, "edit", r.Action)
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c1", collabplus.PendingPayment, "draft")), r.Decision)
	require.EqualError(t, r, `collabplus: edit "c1" refused: CP-7 failed: not possible in this state (observed pending_payment, limit needs draft)`)
}

// CP-7: a paid collaboration may be recalled until the instant before its start; from the
// start it is ongoing and cannot be cancelled, and a recalled one stays recalled.
func TestRecall_CP7(t *testing.T) {
	s := lcLcPaidSeller(t)
	last := lcLcPeriod.Start.Add(-time.Nanosecond)
	recalled := lcApply(t, s, collabplus.Recall("c1"), last)
	c := lcCollab(t, recalled, "c1")
	require.Equal(t, collabplus.Event{Kind: collabplus.RecalledEvent, At: last}, c.Events[2])
	for _, at := range []time.Time{last, lcLcPeriod.Start, lcLcPeriod.End, lcLcPeriod.End.AddDate(1, 0, 0)} {
		require.Equal(t, collabplus.Recalled, c.StateAt(at), "at %v", at)
	}
	require.Equal(t, collabplus.Paid, c.StateAt(last.Add(-time.Nanosecond)))

	r := lcRefused(t, s, collabplus.Recall("c1"), lcLcPeriod.Start)
	lcRequireDecision(t, lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyOngoing, Observed: affrules.Text("ongoing"), Subject: "c1"}), r.Decision)
	require.Contains(t, r.Error(), "an ongoing collaboration cannot be cancelled")
	r = lcRefused(t, recalled, collabplus.Recall("c1"), lcLcPeriod.Start)
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c1", collabplus.Recalled, "paid")), r.Decision)
	r = lcRefused(t, s, collabplus.Recall("c1"), lcLcPeriod.End)
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c1", collabplus.Ended, "paid")), r.Decision)
}

// CP-7: creators join from the start instant until the end instant: before the start and at
// the end they are refused (paid, ended); before the start time alone is the obstacle, so the
// refusal names the start as the instant it will be allowed; at the start and 1ns before the
// end they join.
func TestJoinWindow_CP7(t *testing.T) {
	s := lcLcPaidSeller(t)
	mali := collabplus.Creator{ID: "mali", Level: level.L4}
	for _, tc := range []struct {
		at    time.Time
		state collabplus.State
		next  time.Time
	}{
		{lcLcPaid, collabplus.Paid, lcLcPeriod.Start},
		{lcLcPeriod.Start.Add(-time.Nanosecond), collabplus.Paid, lcLcPeriod.Start},
		{lcLcPeriod.End, collabplus.Ended, time.Time{}},
		{lcLcPeriod.End.Add(time.Hour), collabplus.Ended, time.Time{}},
	} {
		r := lcRefused(t, s, collabplus.Join("c1", mali), tc.at)
		require.Equal(t, "join", r.Action)
		lcRequireDecision(t, lcDecision(tc.next, lcStateReason("c1", tc.state, "ongoing")), r.Decision)
	}
	for _, at := range []time.Time{lcLcPeriod.Start, lcLcPeriod.End.Add(-time.Nanosecond)} {
		got := lcApply(t, s, collabplus.Join("c1", mali), at)
		require.Equal(t, []collabplus.Member{{Creator: "mali", Joined: at}}, lcCollab(t, got, "c1").Members)
	}
	// Final terms moving the start: the refusal names the start of the final terms (CP-15).
	moved := lcDays(lcDate(2, 27, 0), 14)
	s = lcApply(t, s, collabplus.Finalize("c1", lcTask(moved)), lcDate(2, 25, 0))
	r := lcRefused(t, s, collabplus.Join("c1", mali), lcDate(2, 26, 0))
	lcRequireDecision(t, lcDecision(moved.Start, lcStateReason("c1", collabplus.Paid, "ongoing")), r.Decision)
	lcApply(t, s, collabplus.Join("c1", mali), moved.Start)
}

// CP-7, CP-15: the platform's final terms are set while pending payment or paid, before the
// start; from the start on they are refused, and final terms that start at or before the
// instant they are set would rewrite the state at earlier instants.
func TestFinalizeBeforeStart_CP7_CP15(t *testing.T) {
	final := lcTask(lcLcPeriod)
	final.Reward = lcDec("650.00")

	s := lcLcPaidSeller(t)
	last := lcLcPeriod.Start.Add(-time.Nanosecond)
	got := lcApply(t, s, collabplus.Finalize("c1", final), last)
	c := lcCollab(t, got, "c1")
	require.NotNil(t, c.Final)
	require.True(t, c.Terms().Reward.Equal(lcDec("650.00")), "Terms are the final terms once set (CP-15)")
	require.True(t, c.Preferences.Reward.Equal(lcDec("500.00")), "the preferences stay the seller's")

	started := lcDecision(time.Time{}, affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyFinalStarted,
		Observed: affrules.Instant(lcLcPeriod.Start), Limit: affrules.Instant(lcLcPeriod.Start), Subject: "c1"})
	r := lcRefused(t, s, collabplus.Finalize("c1", final), lcLcPeriod.Start)
	require.Equal(t, "finalize", r.Action)
	lcRequireDecision(t, lcDecision(time.Time{}, lcStateReason("c1", collabplus.Ongoing, "pending_payment or paid")), r.Decision)

	// Submitted 6 hours before the start, still pending payment at the start: the final terms
	// are refused from the start on all the same.
	late := lcApply(t, lcLcDraft(t), collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcPeriod.Start.Add(-6*time.Hour))
	require.Equal(t, collabplus.PendingPayment, lcCollab(t, late, "c1").StateAt(lcLcPeriod.Start))
	lcApply(t, late, collabplus.Finalize("c1", final), last)
	r = lcRefused(t, late, collabplus.Finalize("c1", final), lcLcPeriod.Start)
	lcRequireDecision(t, started, r.Decision)

	// Final terms moving the start to the instant they are set, or before it, are bad input:
	// the collaboration would have been ongoing at instants already past.
	at := lcDate(2, 25, 0)
	require.Equal(t, collabplus.Paid, lcCollab(t, s, "c1").StateAt(lcDate(2, 22, 0)))
	for _, start := range []time.Time{lcDate(2, 25, 0), lcDate(2, 21, 0)} {
		moved := lcTask(lcDays(start, 14))
		lcBad(t, s, collabplus.Finalize("c1", moved), at, "final.period.start")
	}
	moved := lcTask(lcDays(lcDate(2, 26, 0), 14))
	got = lcApply(t, s, collabplus.Finalize("c1", moved), at)
	c = lcCollab(t, got, "c1")
	require.Equal(t, collabplus.Paid, c.StateAt(at))
	require.Equal(t, collabplus.Ongoing, c.StateAt(lcDate(2, 26, 0)))
	require.Equal(t, collabplus.Ended, c.StateAt(lcDate(3, 12, 0)), "the final period ends after 14 days")
}

// CP-7: StateAt at every boundary of the story: before and at the submission, at the end of
// the payment window (paid or not), 1ns before and at the start and the end, and around a
// recall.
func TestStateAtBoundaries_CP7(t *testing.T) {
	draft := lcCollab(t, lcLcDraft(t), "c1")
	pending := lcCollab(t, lcLcPending(t), "c1")
	paid := lcCollab(t, lcLcPaidSeller(t), "c1")
	s, _ := lcInState(t, collabplus.Recalled)
	recalled := lcCollab(t, s, "c1")
	ns := time.Nanosecond
	start, end := lcLcPeriod.Start, lcLcPeriod.End
	for _, tc := range []struct {
		name string
		c    collabplus.Collaboration
		at   time.Time
		want collabplus.State
	}{
		{"draft far ahead", draft, end.AddDate(5, 0, 0), collabplus.Draft},
		{"before submission", pending, lcLcSubmitted.Add(-ns), collabplus.Draft},
		{"at submission", pending, lcLcSubmitted, collabplus.PendingPayment},
		{"due-1ns", pending, lcLcDue.Add(-ns), collabplus.PendingPayment},
		{"due", pending, lcLcDue, collabplus.Expired},
		{"expired at start", pending, start, collabplus.Expired},
		{"expired after end", pending, end, collabplus.Expired},
		{"paid: before payment", paid, lcLcPaid.Add(-ns), collabplus.PendingPayment},
		{"paid: at payment", paid, lcLcPaid, collabplus.Paid},
		{"paid: due", paid, lcLcDue, collabplus.Paid},
		{"start-1ns", paid, start.Add(-ns), collabplus.Paid},
		{"start", paid, start, collabplus.Ongoing},
		{"end-1ns", paid, end.Add(-ns), collabplus.Ongoing},
		{"end", paid, end, collabplus.Ended},
		{"recall-1ns", recalled, lcLcRecalled.Add(-ns), collabplus.Paid},
		{"recall", recalled, lcLcRecalled, collabplus.Recalled},
		{"recalled after end", recalled, end, collabplus.Recalled},
	} {
		require.Equal(t, tc.want, tc.c.StateAt(tc.at), tc.name)
	}
	require.Equal(t, collabplus.Draft, collabplus.Collaboration{}.StateAt(lcT0), "the zero Collaboration is a draft")
	require.Equal(t, collabplus.Draft, collabplus.State(0), "the zero State is Draft")
}

// CP-7: the state at an instant is a pure function of the events and the instant: asked again
// after later actions, in any order, at any instant already passed, it gives the answer it
// gave then.
func TestStatePure_CP7(t *testing.T) {
	s := lcLcDraft(t)
	steps := []struct {
		a  collabplus.Action
		at time.Time
	}{
		{collabplus.Submit("c1", lcFacts([]string{lcProduct})), lcLcSubmitted},
		{collabplus.Pay("c1", "credit_card"), lcLcPaid},
		{collabplus.Finalize("c1", lcTask(lcLcPeriod)), lcDate(2, 27, 0)},
		{collabplus.Join("c1", collabplus.Creator{ID: "mali", Level: level.L4}), lcDate(3, 2, 0)},
		{collabplus.Join("c1", collabplus.Creator{ID: "kai", Level: level.L8}), lcDate(3, 14, 23)},
	}
	var grid []time.Time
	for at := lcT0; at.Before(lcDate(3, 20, 0)); at = at.Add(7 * time.Hour) {
		grid = append(grid, at)
	}
	grid = append(grid, lcLcSubmitted, lcLcDue, lcLcPaid, lcLcPeriod.Start, lcLcPeriod.End)
	seen := map[time.Time]collabplus.State{} // the state at each instant, asked when it was the last
	for _, st := range steps {
		s = lcApply(t, s, st.a, st.at)
		c := lcCollab(t, s, "c1")
		for _, g := range grid {
			if g.After(st.at) {
				continue
			}
			got := c.StateAt(g)
			if was, ok := seen[g]; ok {
				require.Equal(t, was, got, "state at %v changed after %v", g, st.a)
			}
			seen[g] = got
		}
	}
	c := lcCollab(t, s, "c1")
	for i := len(grid) - 1; i >= 0; i-- { // asked in reverse: the same
		if want, ok := seen[grid[i]]; ok {
			require.Equal(t, want, c.StateAt(grid[i]))
		}
	}
	require.Equal(t, collabplus.Ongoing, c.StateAt(lcDate(3, 14, 23)))
	require.Equal(t, collabplus.Ended, c.StateAt(lcLcPeriod.End))
}

// CP-7: the payment methods are the policy's list; another method is bad input and records
// nothing, and a policy listing it accepts it.
func TestPaymentMethods_CP7(t *testing.T) {
	s := lcLcPending(t)
	at := lcLcSubmitted.Add(time.Hour)
	for _, m := range []string{"credit_card", "debit_card", "bank_transfer"} {
		lcApply(t, s, collabplus.Pay("c1", m), at)
	}
	for _, m := range []string{"", "cash", "Credit_Card", "credit_card "} {
		lcBad(t, s, collabplus.Pay("c1", m), at, "method")
	}
	p := collabplus.DefaultPolicy()
	p.PaymentMethods = []string{"e_wallet"}
	e := collabplus.MustNew(p, lcCom)
	lcApplyWith(t, e, s, collabplus.Pay("c1", "e_wallet"), at)
	lcBadWith(t, e, s, collabplus.Pay("c1", "credit_card"), at, "method")
}
