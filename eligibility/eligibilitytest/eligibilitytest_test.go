package eligibilitytest_test

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/eligibility/eligibilitytest"
)

func TestCheckPolicyDefault(t *testing.T) {
	eligibilitytest.CheckPolicy(t, eligibility.DefaultPolicy())
}

// lenient wraps an evaluator and approves every product whose record is bad enough to be
// denied for negative reviews alone: the kind of shortcut a cache of verdicts might take.
type lenient struct{ *eligibility.Evaluator }

func (l lenient) Product(p eligibility.Product, shop eligibility.Result, at time.Time) (eligibility.Result, error) {
	r, err := l.Evaluator.Product(p, shop, at)
	if err == nil && p.NegativeReviewOrders >= 10 {
		r.State, r.Decision = eligibility.Eligible, affrules.Decision{Allowed: true}
	}
	return r, err
}

// ELG-3: the property catches an evaluator that approves a worse review record.
func TestWorseRecordNeverApprovesCanFail(t *testing.T) {
	props := eligibilitytest.PropertiesWith(eligibility.DefaultPolicy(), func(p eligibility.Policy) (eligibilitytest.Evaluator, error) {
		e, err := eligibility.New(p)
		return lenient{e}, err
	})
	affrulestest.MustFail(t, affrulestest.Find(t, props, "worse_record_never_approves"), "but its worse record", "is approved", "NegativeReviewOrders:10")
}

// ELG-10: the property catches an evaluator that ignores a market override (the Thai guide's,
// as a host adds it).
func TestDecisionMatchesThresholdsCanFail(t *testing.T) {
	thai, err := eligibility.DefaultPolicy().WithOverride(affrules.TH, eligibility.ThaiGuideEffective(), eligibility.ThaiThresholds())
	if err != nil {
		t.Fatal(err)
	}
	props := eligibilitytest.PropertiesWith(thai, func(p eligibility.Policy) (eligibilitytest.Evaluator, error) {
		p.Markets = nil
		return eligibility.New(p)
	})
	affrulestest.MustFail(t, affrulestest.Find(t, props, "decision_matches_thresholds"), "in TH", "the thresholds in force")
}

// ELG-5, ELG-10: a Thai override without FMCG leaves FMCG products in Thailand without thresholds.
func TestCategoriesCoveredCanFail(t *testing.T) {
	th := eligibility.ThaiThresholds()
	delete(th.Categories, affrules.FMCG)
	p := eligibility.DefaultPolicy()
	p.Markets = nil
	p, err := p.WithOverride(affrules.TH, eligibility.ThaiGuideEffective(), th)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("the broken policy must be valid: %v", err)
	}
	affrulestest.MustFail(t, affrulestest.Find(t, eligibilitytest.Properties(p), "categories_covered"), `category "fmcg"`, "market TH")
}

// ELG-10, MKT-2: a Thai override from a UTC midnight starts at 07:00 in Bangkok.
func TestOverridesStartAtMidnightCanFail(t *testing.T) {
	p := eligibility.DefaultPolicy()
	p.Markets = nil
	p, err := p.WithOverride(affrules.TH, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), eligibility.ThaiThresholds())
	if err != nil {
		t.Fatal(err)
	}
	affrulestest.MustFail(t, affrulestest.Find(t, eligibilitytest.Properties(p), "overrides_start_at_midnight"), "override TH[0]", "07:00:00", "not at a midnight")
}

// ELG-10: an override in force since always (from the zero instant) has no day to start on and
// is not checked; a later one at a UTC midnight beside it still fails.
func TestOverrideSinceAlwaysNotChecked(t *testing.T) {
	p := eligibility.DefaultPolicy()
	th := eligibility.SeedThresholds()
	th.MinReviews = 10
	p, err := p.WithOverride(affrules.MY, time.Time{}, th)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if failure := affrulestest.Fails(affrulestest.Find(t, eligibilitytest.Properties(p), "overrides_start_at_midnight").Check); failure != "" {
			t.Fatalf("an override since always: %s", failure)
		}
	}
	p, err = p.WithOverride(affrules.MY, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), th)
	if err != nil {
		t.Fatal(err)
	}
	affrulestest.MustFail(t, affrulestest.Find(t, eligibilitytest.Properties(p), "overrides_start_at_midnight"), "override MY[1]", "not at a midnight")
}

// A policy New refuses fails every property with New's error.
func TestInvalidPolicyFailsEveryProperty(t *testing.T) {
	for _, prop := range eligibilitytest.Properties(eligibility.Policy{}) {
		affrulestest.MustFail(t, prop, "the policy is not valid", "policy.default")
	}
}

// The generators draw valid policies, and for them valid shops and products the evaluator
// accepts at the instants drawn.
func TestGeneratorsValid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := eligibilitytest.Policy().Draw(t, "policy")
		e, err := eligibility.New(p)
		if err != nil {
			t.Fatalf("New(drawn policy): %v", err)
		}
		market := eligibilitytest.Market(p).Draw(t, "market")
		at := eligibilitytest.Instant(p, market).Draw(t, "at")
		s := eligibilitytest.Shop(p, market, "s1", at).Draw(t, "shop")
		sr, err := e.Shop(s, at)
		if err != nil {
			t.Fatalf("Shop(%+v, %s): %v", s, at, err)
		}
		pr := eligibilitytest.Product(p, s, "p1", at).Draw(t, "product")
		if _, err := e.Product(pr, sr, at); err != nil {
			t.Fatalf("Product(%+v, %s): %v", pr, at, err)
		}
	})
}

// The policies Policy draws satisfy every property.
func TestDrawnPoliciesPass(t *testing.T) {
	for seed := range 4 {
		p := eligibilitytest.Policy().Example(seed)
		for _, prop := range eligibilitytest.Properties(p) {
			if report := affrulestest.Fails(prop.Check); report != "" {
				t.Errorf("policy drawn with seed %d fails %s:\n%s", seed, prop.Name, report)
			}
		}
	}
}

// ELG-10: markets split categories differently: a category only the Thai override names is
// Thailand's own, and other markets need no thresholds for it (categories_covered holds, the
// override being in force in Thailand from the policy's first instant).
func TestCategoriesCoveredMarketsOwnCategory(t *testing.T) {
	th := eligibility.ThaiThresholds()
	th.Categories["beauty"] = th.Categories[affrules.FMCG]
	p := eligibility.DefaultPolicy()
	p.Markets = nil
	var first time.Time
	for from := range p.Default.All() {
		first = from
		break
	}
	p, err := p.WithOverride(affrules.TH, first, th)
	if err != nil {
		t.Fatal(err)
	}
	if report := affrulestest.Fails(affrulestest.Find(t, eligibilitytest.Properties(p), "categories_covered").Check); report != "" {
		t.Errorf("a Thai-only category fails categories_covered:\n%s", report)
	}
}

// Instant given a policy without thresholds in the market (the zero one) fails with what is
// wrong, named, instead of rapid's "failed to find suitable value".
func TestInstantRefusesAPolicyWithoutThresholds(t *testing.T) {
	report := affrulestest.Fails(func(t *rapid.T) { eligibilitytest.Instant(eligibility.Policy{}, affrules.UK).Draw(t, "x") })
	if !strings.Contains(report, `eligibilitytest.Instant: the policy has no thresholds in market "UK"`) {
		t.Errorf("report %q", report)
	}
}
