package sampletest_test

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
)

func TestCheckPolicyDefault(t *testing.T) {
	sampletest.CheckPolicy(t, sample.DefaultPolicy())
}

// broken returns the catalog's policy changed by f.
func broken(f func(p *sample.Policy)) sample.Policy {
	p := sample.DefaultPolicy()
	f(&p)
	return p
}

// Each property holds for the catalog's policy and fails, naming the broken value, on a policy
// that breaks the rule it guards.
func TestPropertiesFail(t *testing.T) {
	for _, c := range []struct {
		name string
		p    sample.Policy
		want string
	}{
		{"wait_after_rejection_or_expiry", broken(func(p *sample.Policy) { p.WaitDays = 0 }), "wait_days is 0"},
		{"every_band_admits_requests_up_to_its_cap", broken(func(p *sample.Policy) { p.Bands[1].Cap = 0 }), `band "band_2" has cap 0`},
		{"collab_plus_grants_free_samples", broken(func(p *sample.Policy) { p.CollabPlusFree = 0 }), "collab_plus_free is 0"},
		{"collab_plus_outside_monthly_caps", broken(func(p *sample.Policy) { p.CollabPlusCapped = true }), "collab_plus_capped is true"},
		{"extension_moves_the_deadline", broken(func(p *sample.Policy) { p.ExtensionDays = 0 }), "extension_days is 0"},
		{"sample_orders_earn_nothing", broken(func(p *sample.Policy) { p.SampleOrdersCountAsGMV = true }), "sample_orders_count_as_gmv true"},
		{"refund_window_outlasts_content_deadline", broken(func(p *sample.Policy) { p.RefundDays = 21 }), "refund_days is 21"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.p.Validate(); err != nil {
				t.Fatalf("the broken policy is invalid, so the check is not what fails: %v", err)
			}
			affrulestest.MustFail(t, affrulestest.Find(t, sampletest.Properties(c.p), c.name), c.want)
		})
	}
	if n := len(sampletest.Properties(sample.DefaultPolicy())); n != 7 {
		t.Errorf("%d properties, 7 tested here", n)
	}
}

// An invalid policy fails every property with sample.New's error.
func TestPropertiesInvalidPolicy(t *testing.T) {
	for _, prop := range sampletest.Properties(sample.Policy{}) {
		if report := affrulestest.Fails(prop.Check); !strings.Contains(report, "sample.New") {
			t.Errorf("%s on the zero policy: %q, want sample.New's error", prop.Name, report)
		}
	}
}

// The generators draw only valid policies, requests, facts and histories that Rule.Decide
// accepts for the policy they were drawn for, and purchases and sales that Rule.Refund accepts.
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := sampletest.Policy().Draw(t, "policy")
		e, err := sample.New(p)
		if err != nil {
			t.Fatalf("Policy drew an invalid policy: %v", err)
		}
		r, _ := e.Rule()
		req := sampletest.Request(p).Draw(t, "request")
		at := sampletest.Instant(p, req.Market).Draw(t, "at")
		f := sampletest.Facts(p, req, at).Draw(t, "facts")
		h := sampletest.History(p, req, f).Draw(t, "history")
		if _, _, err := r.Decide(h, req, f, at); err != nil {
			t.Fatalf("Decide rejected generated input %+v, %+v, %+v at %v: %v", req, f, h, at, err)
		}
		pu := sampletest.Purchase(p).Draw(t, "purchase")
		sales := sampletest.Sales(p, pu).Draw(t, "sales")
		// A refund is decided at or after the purchase (SMP-5), up to a while after its window.
		after := rapid.Int64Range(0, int64(affrules.Days(2*p.RefundDays+1))).Draw(t, "refund_after")
		if _, _, err := r.Refund(pu, sales, pu.At.Add(time.Duration(after))); err != nil {
			t.Fatalf("Refund rejected generated input %+v, %+v: %v", pu, sales, err)
		}
	})
}

// A generator given an invalid policy (the zero one, say) fails with what is wrong, named,
// instead of rapid's own "slice should not be empty".
func TestGeneratorsRefuseAnInvalidPolicy(t *testing.T) {
	var zero sample.Policy
	for name, draw := range map[string]func(*rapid.T){
		"sampletest.Request":  func(t *rapid.T) { sampletest.Request(zero).Draw(t, "x") },
		"sampletest.Facts":    func(t *rapid.T) { sampletest.Facts(zero, sample.Request{}, time.Time{}).Draw(t, "x") },
		"sampletest.History":  func(t *rapid.T) { sampletest.History(zero, sample.Request{}, sample.Facts{}).Draw(t, "x") },
		"sampletest.Purchase": func(t *rapid.T) { sampletest.Purchase(zero).Draw(t, "x") },
	} {
		if report := affrulestest.Fails(draw); !strings.Contains(report, name+": the policy is invalid") {
			t.Errorf("%s with the zero policy: report %q", name, report)
		}
	}
}
