package commissiontest

import (
	"context"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

// lenient is an offer store that checks offers against bounds of its own, 0.001%–100%, not the
// rule it is given (COM-9).
type lenient struct{ *commission.OfferMemory }

func (s lenient) Put(ctx context.Context, rule commission.OfferRule, o commission.Offer, at time.Time) (commission.Offer, error) {
	rule.MinRate, rule.MaxRate = affrules.MustParseRate("0.001%"), affrules.MustParseRate("100%")
	return s.OfferMemory.Put(ctx, rule, o, at)
}

// unsaved is a record store that answers a cancellation without storing it (COM-8).
type unsaved struct{ *commission.RecordMemory }

func (s unsaved) Apply(ctx context.Context, rule commission.Settlement, ev commission.Event) (commission.Record, error) {
	if ev.Kind != commission.Cancel {
		return s.RecordMemory.Apply(ctx, rule, ev)
	}
	r, err := s.Record(ctx, ev.Record)
	if err != nil {
		return r, err
	}
	return rule.Apply(r, ev)
}

// argument is a record store that answers a repeated Create with the caller's record, not the
// stored one with its events and refunds (COM-8).
type argument struct{ *commission.RecordMemory }

func (s argument) Create(ctx context.Context, rule commission.Settlement, r commission.Record) (commission.Record, error) {
	if _, err := s.RecordMemory.Create(ctx, rule, r); err != nil {
		return commission.Record{}, err
	}
	return r.Clone(), nil
}

// The machines fail on a store that breaks the rule it is given, with a counter-example.
func TestMachinesCanFail(t *testing.T) {
	t.Run("offers", func(t *testing.T) {
		report := affrulestest.Fails(func(t *rapid.T) { offersMachine(t, lenient{commission.NewOfferMemory()}) })
		if !strings.Contains(report, "accepted, want refused") || !strings.Contains(report, "value.rate") && !strings.Contains(report, "value.shop_ads") && !strings.Contains(report, "tier.rate") {
			t.Fatalf("report %q, want an offer accepted with a rate out of bounds", report)
		}
	})
	t.Run("records", func(t *testing.T) {
		report := affrulestest.Fails(func(t *rapid.T) { recordsMachine(t, unsaved{commission.NewRecordMemory()}) })
		if !strings.Contains(report, "want state") {
			t.Fatalf("report %q, want a record that differs from the model", report)
		}
	})
	t.Run("records created again", func(t *testing.T) {
		report := affrulestest.Fails(func(t *rapid.T) { recordsMachine(t, argument{commission.NewRecordMemory()}) })
		if !strings.Contains(report, "again = ") {
			t.Fatalf("report %q, want the repeated Create's answer that differs from the stored record", report)
		}
	})
}
