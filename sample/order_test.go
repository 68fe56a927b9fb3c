package sample_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// SMP-13: an approved request has created a sample order that earns no commission and is not the
// creator's GMV by default; the policy turns either on; a request not approved has none.
func TestOrder_SMP13(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	req := sample.Request{ID: "o1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.Direct}
	for _, tc := range []struct {
		commission, gmv bool
	}{{false, false}, {true, false}, {false, true}} {
		p := sample.DefaultPolicy()
		p.SampleOrdersEarnCommission, p.SampleOrdersCountAsGMV = tc.commission, tc.gmv
		rule, err := sample.MustNew(p).Rule()
		require.NoError(t, err)
		pending, d, err := rule.Decide(sample.History{}, req, sample.Facts{Band: "band_1"}, at)
		require.NoError(t, err)
		require.True(t, d.Allowed)
		_, err = rule.Order(pending, at.Add(time.Hour))
		var ref *affrules.Refusal
		require.True(t, errors.As(err, &ref), "a request waiting for the seller has no order: %v", err)
		require.True(t, ref.Decision.Failed(sample.RuleSampleOrder))

		approvedAt := at.Add(2 * time.Hour)
		approved, err := rule.Record(pending, sample.Approved, approvedAt)
		require.NoError(t, err)
		_, err = rule.Order(approved, approvedAt.Add(-time.Nanosecond))
		require.ErrorAs(t, err, &ref, "not approved yet at that instant")
		o, err := rule.Order(approved, approvedAt)
		require.NoError(t, err)
		require.Equal(t, sample.SampleOrder{Request: "o1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY,
			Approved: approvedAt, Commission: tc.commission, GMV: tc.gmv}, o)
	}
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	_, err := rule.Order(sample.Request{ID: "x"}, at)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe, "a request without its history is bad input")
	_, err = sample.Rule{}.Order(req, at)
	require.ErrorIs(t, err, sample.ErrNoPolicy)
}
