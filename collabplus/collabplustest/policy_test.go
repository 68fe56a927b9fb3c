package collabplustest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
	"github.com/affrules/affrules/commission"
)

func TestCheckPolicyDefault(t *testing.T) {
	collabplustest.CheckPolicy(t, collabplus.DefaultPolicy())
}

// Each property fails, naming the broken value, on a valid policy that breaks the rule it
// guards.
func TestPropertiesFail(t *testing.T) {
	broken := func(f func(p *collabplus.Policy)) collabplus.Policy {
		p := collabplus.DefaultPolicy()
		f(&p)
		return p
	}
	cases := []struct {
		name string
		p    collabplus.Policy
		want string
	}{
		{"quota_counts_expired_and_recalled", broken(func(p *collabplus.Policy) { p.QuotaCountsRecalled = false }), "quota_counts_recalled is false"},
		{"quota_counts_expired_and_recalled", broken(func(p *collabplus.Policy) { p.QuotaCountsExpired = false }), "quota_counts_expired is false"},
		{"quota_slot_frees_at_local_midnight", broken(func(p *collabplus.Policy) { p.QuotaCalendarDays = false }), "quota_calendar_days is false"},
		{"submission_needs_invitation", broken(func(p *collabplus.Policy) { p.OpenMarkets = []affrules.MarketCode{affrules.TH} }), "open_markets is [TH]"},
		{"permanent_disqualification_ends_participation", broken(func(p *collabplus.Policy) { p.PermanentEndsParticipation = false }), "permanent_ends_participation is false"},
	}
	names := map[string]bool{}
	for _, c := range cases {
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			if err := c.p.Validate(); err != nil {
				t.Fatalf("the broken policy is invalid, so the check is not what fails: %v", err)
			}
			affrulestest.MustFail(t, affrulestest.Find(t, collabplustest.Properties(c.p), c.name), c.want)
		})
	}
	if n := len(collabplustest.Properties(collabplus.DefaultPolicy())); n != len(names) {
		t.Errorf("%d properties, %d tested here", n, len(names))
	}
}

// An invalid policy fails every property with collabplus.New's error.
func TestPropertiesInvalidPolicy(t *testing.T) {
	for _, prop := range collabplustest.Properties(collabplus.Policy{}) {
		if report := affrulestest.Fails(prop.Check); !strings.Contains(report, "collabplus.New") {
			t.Errorf("%s on the zero policy: %q, want collabplus.New's error", prop.Name, report)
		}
	}
}

// The generators draw only valid policies, and terms that a seller's draft and submission
// accept as input (a period outside the bounds is refused, not bad input).
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := collabplustest.Policy().Draw(t, "policy")
		e, err := collabplus.New(p, commission.MustNew(commission.DefaultPolicy()))
		if err != nil {
			t.Fatalf("Policy drew an invalid policy: %v", err)
		}
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		at := collabplustest.Instant(p, m).Draw(t, "at")
		s := collabplustest.Seller("shop-1", m, at)
		tm := collabplustest.Terms(p, s, at).Draw(t, "terms")
		if s, err = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: "c1", Preferences: tm}), at); err != nil {
			t.Fatalf("NewDraft rejected generated terms %+v: %v", tm, err)
		}
		_, err = e.Apply(s, collabplus.Submit("c1", collabplustest.Facts(s, tm, rapid.Bool().Draw(t, "allowlisted"))), at)
		var fe *affrules.FieldError
		if errors.As(err, &fe) {
			t.Fatalf("Submit rejected generated terms %+v at %v as bad input: %v", tm, at, err)
		}
	})
}

// The generated terms run whole days from a local midnight (CP-2) in a host's market whose
// daylight saving change skips 00:00 (America/Santiago, 6 September 2026), where 00:00 by
// time.Date is 23:00 the day before; the properties then hold on such a market too.
func TestTermsMidnightInZoneSkippingMidnight(t *testing.T) {
	if _, err := affrules.LookupMarket("CL"); err != nil {
		if err := affrules.RegisterMarket(affrules.Market{Code: "CL", Zone: "America/Santiago", Currency: "CLP",
			Channels: []affrules.Channel{affrules.Email, affrules.WhatsApp}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := collabplus.ParsePolicy([]byte(`{"markets":["CL"]}`))
	if err != nil {
		t.Fatal(err)
	}
	mk, _ := affrules.LookupMarket("CL")
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, mk.Location())
	g := collabplustest.Terms(p, collabplustest.Seller("shop-1", "CL", at), at)
	for i := range 300 {
		tm := g.Example(i)
		for _, x := range []time.Time{tm.Period.Start, tm.Period.End} {
			if !mk.Day(x).Start.Equal(x) {
				t.Fatalf("example %d: period %s does not run from a local midnight to another", i, tm.Period)
			}
		}
	}
	collabplustest.CheckPolicy(t, p)
}
