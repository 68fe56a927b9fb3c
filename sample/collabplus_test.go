package sample_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/sample"
)

// SMP-3, CP-20: a Collaboration Plus's free samples are its members' only, for its products,
// while it runs. CollabPlusFacts reads membership from the collaboration at the instant; a
// request it does not cover is refused (it was auto-approved, "to ship", for any creator).
func TestCollabPlusMembersOnly_SMP3_CP20(t *testing.T) {
	start, end := t0.Add(2*day), t0.Add(16*day)
	c := collabplus.Collaboration{ID: "cp-1", Market: affrules.MY,
		Preferences: collabplus.Terms{Type: collabplus.Task, Period: affrules.Period{Start: start, End: end}, FreeSamples: true,
			Products: []collabplus.Product{{ID: "serum"}, {ID: "toner"}}},
		Events:  []collabplus.Event{{Kind: collabplus.Submitted, At: t0, Due: t0.Add(day)}, {Kind: collabplus.PaidEvent, At: t0.Add(time.Hour)}},
		Members: []collabplus.Member{{Creator: "aisyah", Joined: start.Add(day)}},
		Ended:   []collabplus.ProductEnd{{Product: "toner", At: start.Add(5 * day)}},
	}
	for _, tc := range []struct {
		name             string
		creator, product string
		at               time.Time
		member           bool
	}{
		{"member, own product", "aisyah", "serum", start.Add(2 * day), true},
		{"member at the instant of joining", "aisyah", "serum", start.Add(day), true},
		{"member 1ns before joining", "aisyah", "serum", start.Add(day - time.Nanosecond), false},
		{"not a member", "budi", "serum", start.Add(2 * day), false},
		{"product not the collaboration's", "aisyah", "lotion", start.Add(2 * day), false},
		{"product's participation ended (ELG-11)", "aisyah", "toner", start.Add(5 * day), false},
		{"product before its participation ended", "aisyah", "toner", start.Add(5*day - time.Nanosecond), true},
		{"last instant of the period", "aisyah", "serum", end.Add(-time.Nanosecond), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sample.CollabPlusFacts(c, tc.creator, tc.product, tc.at)
			require.Equal(t, tc.member, f.Member)
			require.True(t, f.Until.Equal(end) && f.FreeSamples)
			got, d := decide(t, rule, sample.History{}, inCollab("r1", tc.creator, tc.product, "cp-1"), f, tc.at)
			require.Equal(t, tc.member, d.Allowed, "%v", d)
			if tc.member {
				require.Equal(t, sample.ToShip, got.StateAt(tc.at))
				return
			}
			require.Equal(t, []string{"SMP-3 sample.smp3.not_member"}, reasonKeys(d))
			require.True(t, d.NextAllowed.IsZero(), "joining, not time, lifts it")
			require.Equal(t, "the creator is not a member of the collaboration while it runs, or the product not one of its products (CP-20) (observed creator "+tc.creator+", limit product "+tc.product+")", d.Reasons[0].Message()+" (observed "+d.Reasons[0].ObservedText()+", limit "+d.Reasons[0].LimitText()+")")
		})
	}
	// A recalled collaboration runs for no one; neither does one not paid.
	recalled := c
	recalled.Events = append(recalled.Events[:2:2], collabplus.Event{Kind: collabplus.RecalledEvent, At: t0.Add(2 * time.Hour)})
	require.False(t, sample.CollabPlusFacts(recalled, "aisyah", "serum", start.Add(2*day)).Member)
	unpaid := c
	unpaid.Events = c.Events[:1]
	require.False(t, sample.CollabPlusFacts(unpaid, "aisyah", "serum", start.Add(2*day)).Member)
	// An end by a temporary disqualification (collabplus's temporary_ends_participation) ends
	// the product's participation as a permanent one does.
	temporary := c
	temporary.Ended = []collabplus.ProductEnd{{Product: "serum", At: start.Add(3 * day), Temporary: true}}
	require.True(t, sample.CollabPlusFacts(temporary, "aisyah", "serum", start.Add(3*day-time.Nanosecond)).Member)
	require.False(t, sample.CollabPlusFacts(temporary, "aisyah", "serum", start.Add(3*day)).Member)
}
