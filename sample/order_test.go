package sample_test

import (
	"context"
	"fmt"

	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"

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
		_, err = rule.Order(approved, at.Add(-time.Nanosecond))
		var early *affrules.FieldError
		require.ErrorAs(t, err, &early, "an instant before the request was made is bad input")
		require.Equal(t, "at", early.Field)
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

// SMP-3: the three pre-approved samples are per collaboration of one seller; another seller's
// collaboration of the same ID has its own three.
func TestCollabPlusPerSeller_SMP3(t *testing.T) {
	ctx := context.Background()
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	m := sample.NewMemory()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f := sample.Facts{Member: true, Band: "band_1", Until: at.AddDate(0, 1, 0), FreeSamples: true}
	for i, seller := range []string{"a", "a", "a", "b", "a"} {
		req := sample.Request{ID: fmt.Sprint("r", i), Seller: seller, Creator: "c", Product: fmt.Sprint("p", i), Market: affrules.MY, Source: sample.CollabPlus, Context: "C1"}
		_, d, err := m.Request(ctx, rule, req, f, at.Add(time.Duration(i)*time.Minute))
		require.NoError(t, err)
		require.Equal(t, i != 4, d.Allowed, "request %d of seller %s", i, seller)
	}
}

// A hostile decimal target is refused at once, before any arithmetic on it (SMP-5).
func TestRefundHostileTarget_SMP5(t *testing.T) {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	p := sample.Purchase{Creator: "c", Market: affrules.MY, At: at, Price: decimal.RequireFromString("10.00"),
		Goal: sample.Orders, Target: decimal.New(0, -2_000_000_000)}
	_, _, err := rule.Refund(p, nil, at)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
}

// A GMV goal is an amount: like the price, exact to the currency's minor unit (MKT-4, SMP-5).
func TestRefundGMVTargetMinorUnit_SMP5(t *testing.T) {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		market affrules.MarketCode
		target string
		ok     bool
	}{{affrules.ID, "100", true}, {affrules.ID, "100.5", false}, {affrules.MY, "100.05", true}, {affrules.MY, "100.005", false}} {
		p := sample.Purchase{Creator: "c", Market: tc.market, At: at, Price: decimal.RequireFromString("10"), Goal: sample.GMV, Target: decimal.RequireFromString(tc.target)}
		_, _, err := rule.Refund(p, nil, at)
		if tc.ok {
			require.NoError(t, err, "%s %s", tc.market, tc.target)
		} else {
			require.ErrorContains(t, err, "purchase.target", "%s %s", tc.market, tc.target)
		}
	}
}

// Identifiers every ledger can hold as given; others are bad input.
func TestIdentifiers(t *testing.T) {
	rule, _ := sample.MustNew(sample.DefaultPolicy()).Rule()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	req := sample.Request{ID: "r\x00", Seller: "s\xff", Creator: "c", Product: "p", Market: affrules.MY, Source: sample.Direct}
	_, _, err := rule.Decide(sample.History{}, req, sample.Facts{Band: "band_1"}, at)
	require.ErrorContains(t, err, "request.id")
	require.ErrorContains(t, err, "request.seller")
}
