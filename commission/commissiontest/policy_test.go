package commissiontest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/commission/commissiontest"
)

func TestCheckPolicyDefault(t *testing.T) {
	commissiontest.CheckPolicy(t, commission.DefaultPolicy())
}

// Policies Policy draws pass CheckPolicy: a few of them, each a full run of every property.
func TestCheckPolicyDrawn(t *testing.T) {
	for i := range 3 {
		p := commissiontest.Policy().Example(i)
		t.Run(fmt.Sprintf("example_%d", i), func(t *testing.T) { commissiontest.CheckPolicy(t, p) })
	}
}

// COM-5: a precedence list that leaves a source out, which Validate accepts, fails
// precedence_covers_every_source, and the report names the list and the source.
func TestPrecedenceCoversEverySourceFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(p *commission.Policy)
		want []string
	}{
		{"precedence", func(p *commission.Policy) {
			p.Precedence = []commission.Source{commission.CollabPlus, commission.Partner, commission.Open}
		}, []string{"policy.precedence [COLLAB_PLUS PARTNER OPEN]", "only a TARGET offer applies to earns nothing"}},
		{"shop_ads_precedence", func(p *commission.Policy) {
			p.ShopAdsPrecedence = []commission.Source{commission.Partner, commission.Target, commission.Open}
		}, []string{"policy.shop_ads_precedence [PARTNER TARGET OPEN]", "only a COLLAB_PLUS offer applies to earns"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := commission.DefaultPolicy()
			tc.edit(&p)
			if err := p.Validate(); err != nil {
				t.Fatalf("the policy is invalid, so the test proves nothing: %v", err)
			}
			report := affrulestest.Fails(affrulestest.Find(t, commissiontest.Properties(p), "precedence_covers_every_source").Check)
			for _, w := range tc.want {
				if !strings.Contains(report, w) {
					t.Errorf("report %q, want one naming %q", report, w)
				}
			}
			// The others still hold: a host that means to drop a source runs them Without it.
			affrulestest.Run(t, affrulestest.Without(commissiontest.Properties(p), "precedence_covers_every_source"))
		})
	}
	// Leaving OPEN out: the other properties hold too (split_always_sums used to fail on an
	// Open-only order, which then earns nothing).
	p := commission.DefaultPolicy()
	p.Precedence = []commission.Source{commission.CollabPlus, commission.Partner, commission.Target}
	affrulestest.Run(t, affrulestest.Without(commissiontest.Properties(p), "precedence_covers_every_source"))
}

// Every property fails on a policy New refuses, with New's errors.
func TestPropertiesFailOnInvalidPolicy(t *testing.T) {
	p := commission.DefaultPolicy()
	p.MinRate, p.MaxRate = affrules.MustParseRate("10%"), affrules.MustParseRate("5%")
	for _, prop := range commissiontest.Properties(p) {
		if report := affrulestest.Fails(prop.Check); !strings.Contains(report, "policy.max_rate") {
			t.Errorf("%s: report %q, want one naming policy.max_rate", prop.Name, report)
		}
	}
}

// The generators draw only valid policies and inputs: offers the evaluator accepts, orders it
// computes, records the settlement rule accepts, and well-formed events.
func TestGeneratorsValid(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		p := commissiontest.Policy().Draw(t, "policy")
		e, err := commission.New(p)
		if err != nil {
			t.Fatalf("a drawn policy is invalid: %v", err)
		}
		if r := commissiontest.Rate(p).Draw(t, "rate"); r.Cmp(p.MinRate) < 0 || r.Cmp(p.MaxRate) > 0 {
			t.Fatalf("rate %s outside %s–%s", r, p.MinRate, p.MaxRate)
		}
		c := commissiontest.Cases(p).Draw(t, "case")
		b, err := e.Prepare(c.Offers...)
		if err != nil {
			t.Fatalf("drawn offers are refused: %v", err)
		}
		for _, o := range c.Offers {
			if err := p.OfferRule().Check(nil, o, c.At); err != nil {
				t.Fatalf("a drawn offer is refused by the rule: %v", err)
			}
		}
		if _, err := e.Compute(b, c.Order, c.At); err != nil {
			t.Fatalf("a drawn order is refused: %v", err)
		}
		r := commissiontest.Records(p).Draw(t, "record")
		s := p.Settlement()
		if err := s.Check(r); err != nil {
			t.Fatalf("a drawn record is refused: %v", err)
		}
		st := commission.NewRecordMemory()
		if _, err := st.Create(ctx, s, r); err != nil {
			t.Fatalf("a drawn record is refused by a store: %v", err)
		}
		for _, ev := range commissiontest.Events(r).Draw(t, "events") {
			// Alone on the new record, each event is applied, or refused for a refund beyond what
			// was paid or a settlement before the record is due: the limits the events straddle.
			_, err := s.Apply(r, ev)
			if err != nil && !errors.Is(err, affrules.ErrOutOfRange) && !errors.Is(err, commission.ErrNotDue) {
				t.Fatalf("a drawn event %+v is malformed: %v", ev, err)
			}
		}
	})
}
