package commissiontest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

// The properties that every valid policy passes are proved able to fail by judging a broken
// evaluator in place of the library's: each names what is wrong.

// lopsided computes commissions whose creator part is one minor unit more than the amount
// leaves.
type lopsided struct{ *commission.Evaluator }

func (e lopsided) Compute(b *commission.Book, o commission.Order, at time.Time) (commission.Commission, error) {
	c, err := e.Evaluator.Compute(b, o, at)
	if c.Earned() {
		c.Creator.Units++
	}
	return c, err
}

func TestPropertiesCanFail(t *testing.T) {
	p := commission.DefaultPolicy()
	for _, tc := range []struct {
		name  string
		build func(commission.Policy) (engine, error)
		want  []string // all in the report
	}{
		{"no_rate_outside_bounds", func(p commission.Policy) (engine, error) {
			// An evaluator that checks offers against bounds wider than the policy's.
			p.MinRate, p.MaxRate = affrules.MustParseRate("0.5%"), affrules.MustParseRate("90%")
			return commission.New(p)
		}, []string{"min_rate 1%, max_rate 80%"}},
		{"winner_ranks_highest", func(p commission.Policy) (engine, error) {
			// An evaluator that ranks the sources the other way round.
			p.Precedence, p.ShopAdsPrecedence = slices.Clone(p.Precedence), slices.Clone(p.ShopAdsPrecedence)
			slices.Reverse(p.Precedence)
			slices.Reverse(p.ShopAdsPrecedence)
			return commission.New(p)
		}, []string{"won, yet"}},
		{"split_always_sums", func(p commission.Policy) (engine, error) {
			e, err := commission.New(p)
			return lopsided{e}, err
		}, []string{"the parts do not sum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, prop := range properties(p, tc.build) {
				if prop.Name != tc.name {
					continue
				}
				report := affrulestest.Fails(prop.Check)
				for _, w := range tc.want {
					if !strings.Contains(report, w) {
						t.Fatalf("report %q, want a failure naming %q", report, w)
					}
				}
				return
			}
			t.Fatalf("no property %s", tc.name)
		})
	}
}
