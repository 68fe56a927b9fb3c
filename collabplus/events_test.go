package collabplus_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
)

// TestEventsApplyCouldRecord_CP7: Settle and Offers refuse, as bad input naming the event, a log
// of events Evaluator.Apply could not have recorded, which would read as a state the rules never
// allow (a recall while ongoing, a payment after the collaboration expired); logs Apply does
// record, the same instant used twice included, are accepted.
func TestEventsApplyCouldRecord_CP7(t *testing.T) {
	e := moneyEval(t)
	period := days(affrules.UK, 2026, time.March, 2, 2026, time.March, 20)
	start, end := period.Start, period.End
	paidAt := start.Add(-72 * time.Hour)
	base := paidCollab(affrules.UK, period, paidAt, obj("a", "100.00", "1"))
	sub, paid := base.Events[0], base.Events[1]
	recall := func(at time.Time) collabplus.Event { return collabplus.Event{Kind: collabplus.RecalledEvent, At: at} }
	pay := func(at time.Time) collabplus.Event {
		return collabplus.Event{Kind: collabplus.PaidEvent, At: at, Method: "credit_card"}
	}
	submitted := func(at time.Time, due time.Time) collabplus.Event {
		return collabplus.Event{Kind: collabplus.Submitted, At: at, Due: due}
	}

	for _, tc := range []struct {
		name   string
		events []collabplus.Event
		field  string // "" when Apply could record the log
	}{
		{"paid", []collabplus.Event{sub, paid}, ""},
		{"paid at the submission's instant, recalled at the payment's", []collabplus.Event{submitted(paidAt, paidAt.Add(24*time.Hour)), pay(paidAt), recall(paidAt)}, ""},
		{"paid 1 ns before the deadline and before the start", []collabplus.Event{submitted(start.Add(-24*time.Hour), start.Add(-time.Nanosecond)), pay(start.Add(-2 * time.Nanosecond))}, ""},
		{"recalled 1 ns before the start", []collabplus.Event{sub, paid, recall(start.Add(-time.Nanosecond))}, ""},
		{"recalled while ongoing", []collabplus.Event{sub, paid, recall(start.Add(8 * 24 * time.Hour))}, "collaboration.events[2].at"},
		{"recalled at the start", []collabplus.Event{sub, paid, recall(start)}, "collaboration.events[2].at"},
		{"paid at the deadline", []collabplus.Event{sub, pay(sub.Due)}, "collaboration.events[1].at"},
		{"paid nine days after the deadline", []collabplus.Event{sub, pay(sub.Due.Add(9 * 24 * time.Hour))}, "collaboration.events[1].at"},
		{"paid at the start", []collabplus.Event{submitted(start.Add(-time.Hour), start.Add(time.Hour)), pay(start)}, "collaboration.events[1].at"},
		{"paid before the submission", []collabplus.Event{pay(paidAt.Add(-2 * time.Hour)), sub}, "collaboration.events[0].kind"},
		{"out of order", []collabplus.Event{sub, pay(paidAt), recall(paidAt.Add(-time.Minute))}, "collaboration.events[2].at"},
		{"recalled before any payment", []collabplus.Event{sub, recall(paidAt)}, "collaboration.events[1].kind"},
		{"submitted twice", []collabplus.Event{sub, sub, paid}, "collaboration.events[1].kind"},
		{"paid twice", []collabplus.Event{sub, paid, paid}, "collaboration.events[2].kind"},
		{"recalled twice", []collabplus.Event{sub, paid, recall(paidAt), recall(paidAt)}, "collaboration.events[3].kind"},
		{"paid after a recall", []collabplus.Event{sub, paid, recall(paidAt), pay(paidAt)}, "collaboration.events[3].kind"},
		{"submission without a deadline", []collabplus.Event{submitted(paidAt.Add(-time.Hour), time.Time{}), paid}, "collaboration.events[0].due"},
		{"deadline at the submission", []collabplus.Event{submitted(paidAt, paidAt), paid}, "collaboration.events[0].due"},
		{"deadline from 2200 on", []collabplus.Event{submitted(paidAt.Add(-time.Hour), time.Date(2200, 5, 1, 0, 0, 0, 0, time.UTC)), paid}, ""},
		{"no kind", []collabplus.Event{sub, {At: paidAt}}, "collaboration.events[1].kind"},
		{"zero instant", []collabplus.Event{{Kind: collabplus.Submitted, Due: paidAt}}, "collaboration.events[0].at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.Events = tc.events
			_, err := e.Offers(c, start.Add(time.Hour))
			if tc.field == "" {
				require.NoError(t, err)
			} else {
				fieldErr(t, err, tc.field)
			}
			_, err = e.Settle(c, decs("1"), time.Time{}, end)
			switch {
			case tc.field != "":
				fieldErr(t, err, tc.field)
			case c.StateAt(end) == collabplus.Recalled:
				_, err = e.Settle(c, nil, time.Time{}, end)
				require.NoError(t, err)
			default:
				require.NoError(t, err)
			}
		})
	}
}
