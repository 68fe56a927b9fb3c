package invitation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

// golden is every reason the package gives, as the whole decision prints in English, taken from
// the package before reasons were typed (commit e09f9da, printed by its own code): the lazily
// built English must not change by a character.
var golden = []struct {
	name string
	want string
}{
	{"daily", "denied: INV-2 failed: daily invitation limit reached (observed 100 invitations on 2026-11-21, limit 100 a day in the account's home market, across its roles (INV-4)); next allowed 2026-11-22T00:00:00+07:00"},
	{"repeat", "denied: INV-3 failed: creator already invited within 7 days (observed last invited 2026-11-21T13:00:00+07:00, limit once every 7×24h per creator, across the account's roles (INV-4)); next allowed 2026-11-28T13:00:00+07:00"},
	{"repeat london winter", "denied: INV-3 failed: creator already invited within 7 days (observed last invited 2026-01-10T08:30:00Z, limit once every 7×24h per creator, across the account's roles (INV-4)); next allowed 2026-01-17T08:30:00Z"},
	{"both", "denied: INV-2 failed: daily invitation limit reached (observed 5 invitations on 2026-07-04, limit 5 a day in the account's home market, across its roles (INV-4)); INV-3 failed: creator already invited within 3 days (observed last invited 2026-07-02T23:30:00+01:00, limit once every 3×24h per creator, across the account's roles (INV-4)); next allowed 2026-07-05T23:30:00+01:00"},
	{"listed no permission", "denied: INV-8 failed: only creators listed in the Affiliate Marketplace can be invited (observed creator c1 not listed for mcn-2, limit listed in the Affiliate Marketplace (ELG-7)); ELG-7 failed: creator lacks e-commerce permission (observed no e-commerce permission, limit e-commerce permission)"},
	{"listed other mcn", "denied: INV-8 failed: only creators listed in the Affiliate Marketplace can be invited (observed creator c1 not listed for mcn-2, limit listed in the Affiliate Marketplace (ELG-7)); ELG-7 failed: creator is linked to another MCN (observed linked to MCN mcn-1, limit not linked to another MCN)"},
	{"listed official", "denied: INV-8 failed: only creators listed in the Affiliate Marketplace can be invited (observed creator c1 not listed for mcn-2, limit listed in the Affiliate Marketplace (ELG-7)); ELG-7 failed: official accounts are not listed (observed official account, limit not an official account)"},
	{"listed marketing", "denied: INV-8 failed: only creators listed in the Affiliate Marketplace can be invited (observed creator c1 not listed for mcn-2, limit listed in the Affiliate Marketplace (ELG-7)); ELG-7 failed: marketing accounts are not listed (observed marketing account, limit not a marketing account)"},
	{"listed all four", "denied: INV-8 failed: only creators listed in the Affiliate Marketplace can be invited (observed creator c1 not listed for mcn-2, limit listed in the Affiliate Marketplace (ELG-7)); ELG-7 failed: creator lacks e-commerce permission (observed no e-commerce permission, limit e-commerce permission); ELG-7 failed: creator is linked to another MCN (observed linked to MCN mcn-9, limit not linked to another MCN); ELG-7 failed: official accounts are not listed (observed official account, limit not an official account); ELG-7 failed: marketing accounts are not listed (observed marketing account, limit not a marketing account)"},
}

// goldenDecisions makes the decisions of the golden table with today's API, and asserts the
// typed values of each reason as it goes.
func goldenDecisions(t *testing.T) map[string]affrules.Decision {
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	london, _ := time.LoadLocation("Europe/London")
	out := map[string]affrules.Decision{}
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, jakarta)
	q := invitation.DefaultPolicy().Quota

	d, _ := mustCheck(t, q, jakarta, invitation.Usage{Day: affrules.DayOf(at, jakarta), Count: 100}, at)
	require.Len(t, d.Reasons, 1)
	assert.Equal(t, affrules.Reason{Rule: invitation.RuleDaily, Key: "invitation.inv2.failed", Observed: affrules.Count(100), Limit: affrules.Count(100), Subject: "2026-11-21"}, d.Reasons[0])
	out["daily"] = d

	last := at.Add(-2 * time.Hour).UTC()
	d, _ = mustCheck(t, q, jakarta, invitation.Usage{Day: affrules.DayOf(at, jakarta), Count: 3, Last: last}, at)
	require.Len(t, d.Reasons, 1)
	assert.Equal(t, affrules.Reason{Rule: invitation.RuleRepeat, Key: "invitation.inv3.failed", Observed: affrules.Instant(last.In(jakarta)), Limit: affrules.DaysOf(7)}, d.Reasons[0])
	out["repeat"] = d

	lat := time.Date(2026, 1, 10, 9, 30, 0, 0, london)
	d, _ = mustCheck(t, q, london, invitation.Usage{Day: affrules.DayOf(lat, london), Count: 1, Last: lat.Add(-time.Hour)}, lat)
	out["repeat london winter"] = d

	q5 := invitation.Quota{DailyLimit: 5, RepeatWindowDays: 3}
	sat := time.Date(2026, 7, 4, 23, 30, 0, 0, london)
	d, _ = mustCheck(t, q5, london, invitation.Usage{Day: affrules.DayOf(sat, london), Count: 5, Last: sat.Add(-48 * time.Hour)}, sat)
	require.Len(t, d.Reasons, 2)
	assert.Equal(t, affrules.Count(5), d.Reasons[0].Limit)
	assert.Equal(t, affrules.DaysOf(3), d.Reasons[1].Limit)
	assert.True(t, d.Reasons[1].Observed.Time().Equal(sat.Add(-48*time.Hour)))
	out["both"] = d

	e := invitation.MustNew(invitation.DefaultPolicy())
	l := invitation.NewMemory()
	a := invitation.Account{ID: "mcn-2", HomeMarket: affrules.ID, MCN: true, Partner: true}
	// Creator partnership: the MCN-link exclusion holds for it whatever the account's roles (ELG-7).
	inv := invitation.Invitation{Market: affrules.ID, Purpose: invitation.CreatorPartnership, Message: "hi", Contacts: []invitation.Contact{{Channel: affrules.Email, Value: "a@b.co"}}}
	for name, c := range map[string]eligibility.Creator{
		"listed no permission": {ID: "c1"},
		"listed other mcn":     {ID: "c1", ECommercePermission: true, LinkedMCN: "mcn-1"},
		"listed official":      {ID: "c1", ECommercePermission: true, OfficialAccount: true},
		"listed marketing":     {ID: "c1", ECommercePermission: true, MarketingAccount: true},
		"listed all four":      {ID: "c1", LinkedMCN: "mcn-9", OfficialAccount: true, MarketingAccount: true},
	} {
		_, d, err := e.Send(context.Background(), l, a, inv, c, at)
		require.NoError(t, err)
		require.NotEmpty(t, d.Reasons)
		assert.Equal(t, affrules.Reason{Rule: invitation.RuleListed, Key: "invitation.inv8.failed", Observed: affrules.Text("c1"), Subject: "mcn-2"}, d.Reasons[0], name)
		out[name] = d
	}
	return out
}

func TestReasonsGoldenEnglish(t *testing.T) {
	got := goldenDecisions(t)
	for _, g := range golden {
		d, ok := got[g.name]
		require.True(t, ok, g.name)
		assert.Equal(t, g.want, d.String(), g.name)
	}
}

// The JSON of a reason carries the English texts beside the typed values, and reads back to the
// same reason.
func TestReasonJSON(t *testing.T) {
	d := goldenDecisions(t)["both"]
	b, err := json.Marshal(d.Reasons[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"rule":"INV-2","kind":"failed","key":"invitation.inv2.failed",
		"message":"daily invitation limit reached",
		"observed":"5 invitations on 2026-07-04",
		"limit":"5 a day in the account's home market, across its roles (INV-4)",
		"observed_value":{"kind":"count","count":5},"limit_value":{"kind":"count","count":5},
		"subject":"2026-07-04"}`, string(b))
	var back affrules.Reason
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, d.Reasons[0], back)

	r := d.Reasons[1]
	assert.Equal(t, "creator already invited within 3 days", r.Message())
	assert.Equal(t, "last invited 2026-07-02T23:30:00+01:00", r.ObservedText())
	assert.Equal(t, "once every 3×24h per creator, across the account's roles (INV-4)", r.LimitText())
}

// Building a refusal's reasons formats nothing: an INV-3 refusal allocates only its reasons.
func TestRefusalAllocs(t *testing.T) {
	q := invitation.DefaultPolicy().Quota
	loc := time.FixedZone("WIB", 7*3600)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, loc)
	u := invitation.Usage{Day: affrules.DayOf(t0, loc), Count: 3, Last: t0.Add(-time.Hour)}
	allocs := testing.AllocsPerRun(100, func() { _, _, _ = q.Check(loc, u, t0) })
	assert.LessOrEqual(t, allocs, 1.0, "an INV-3 refusal")
}
