package invitationtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
)

func TestCheckPolicyDefault(t *testing.T) {
	invitationtest.CheckPolicy(t, invitation.DefaultPolicy())
}

// Policies Policy draws pass CheckPolicy: a few of them, each a full run of every property.
func TestCheckPolicyDrawn(t *testing.T) {
	for i := range 3 {
		p := invitationtest.Policy().Example(i)
		t.Run(fmt.Sprintf("daily_%d_window_%d", p.DailyLimit, p.RepeatWindowDays), func(t *testing.T) {
			invitationtest.CheckPolicy(t, p)
		})
	}
}

// INV-2 under a quota naming its day zone: every property holds for policies whose days are
// those of UTC or of zones with a half hour's or a quarter's offset or daylight saving, small
// limits so that the daily one is reached (the kit's model and generators count the days the
// quota counts, not the home market's).
func TestCheckPolicyDayZone(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Kiritimati"} {
		t.Run(zone, func(t *testing.T) {
			p := invitation.DefaultPolicy()
			p.DailyLimit, p.DayZone = 2, zone
			invitationtest.CheckPolicy(t, p)
		})
	}
}

// INV-3: a repeat window of 0 days, which Validate accepts as the rule switched off, fails
// daily_limit_and_window_positive, and the report names the window.
func TestWindowPositiveFails(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.RepeatWindowDays = 0
	if err := p.Validate(); err != nil {
		t.Fatalf("the policy is invalid, so the test proves nothing: %v", err)
	}
	report := affrulestest.Fails(affrulestest.Find(t, invitationtest.Properties(p), "daily_limit_and_window_positive").Check)
	if report == "" || !strings.Contains(report, "repeat_window_days 0") {
		t.Fatalf("report %q, want a failure naming repeat_window_days 0", report)
	}
}

// Every property fails on a policy New refuses, with New's errors.
func TestPropertiesFailOnInvalidPolicy(t *testing.T) {
	p := invitation.DefaultPolicy()
	p.DailyLimit = 0
	for _, prop := range invitationtest.Properties(p) {
		if report := affrulestest.Fails(prop.Check); !strings.Contains(report, "policy.daily_limit") {
			t.Errorf("%s: report %q, want one naming policy.daily_limit", prop.Name, report)
		}
	}
}

// The generators draw only valid policies and inputs the rule and the evaluator accept.
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := invitationtest.Policy().Draw(t, "policy")
		e, err := invitation.New(p)
		if err != nil {
			t.Fatalf("a drawn policy is invalid: %v", err)
		}
		if p.RepeatWindowDays < 1 {
			t.Fatalf("a drawn policy has a window of %d days", p.RepeatWindowDays)
		}
		in := invitationtest.QuotaInputs(p).Draw(t, "input")
		m, ok := marketOf(p, in.Home)
		if !ok {
			t.Fatalf("home %s is not a market of the policy", in.Home)
		}
		if _, _, err := p.Check(m, in.Usage, in.At); err != nil {
			t.Fatalf("the rule refuses a drawn input: %v", err)
		}
		for _, r := range invitationtest.Requests(p).Draw(t, "requests") {
			if err := e.Validate(r.Account, r.Invitation); err != nil {
				t.Fatalf("a drawn request is invalid: %v", err)
			}
			if _, d, err := e.Send(context.Background(), invitation.NewMemory(), r.Account, r.Invitation, r.Creator, r.At); err != nil || !d.Allowed {
				t.Fatalf("a drawn request to a new ledger: %s, %v", d, err)
			}
		}
	})
}
