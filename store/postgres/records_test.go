package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/store/postgres"
)

// gbp returns units pence.
func gbp(units int64) commission.Money {
	return commission.Money{Currency: "GBP", Units: units, Places: 2}
}

// newRecord returns the pending record of a 10% Open commission on a line priced 100.00 GBP.
func newRecord(t *testing.T, id string) commission.Record {
	t.Helper()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: t0, Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	if err != nil {
		t.Fatal(err)
	}
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(commission.Offer{ID: "open", Source: commission.Open, Market: affrules.UK, Product: "p1", Coverage: commission.Everyone,
		Period: affrules.Period{Start: t0}, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compute(b, commission.Order{ID: id, Creator: "c1", Product: "p1", Market: affrules.UK, Attributed: true, OrderCount: 1,
		PromotingSince: t0, Currency: "GBP", Price: gbp(10000).Decimal()}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r, err := commission.DefaultPolicy().Settlement().Open(c, "standard")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRecordsRefuseInvalidSettlement checks that Apply under a settlement rule that is not valid
// reports what RecordMemory reports, for a record held and one not held.
func TestRecordsRefuseInvalidSettlement(t *testing.T) {
	ctx := context.Background()
	good := commission.DefaultPolicy().Settlement()
	r := newRecord(t, "l1")
	ev := commission.Event{ID: "c1", Record: "l1", Kind: commission.Cancel, At: r.OrderedAt.Add(time.Hour)}
	stores := map[string]commission.RecordStore{"postgres": postgres.Records(migrated(t)), "memory": commission.NewRecordMemory()}
	for _, st := range stores {
		if _, err := st.Create(ctx, good, r); err != nil {
			t.Fatal(err)
		}
	}
	for name, bad := range map[string]commission.Settlement{
		"no periods":    {Rounding: good.Rounding},
		"negative days": {Days: map[string]int{"standard": -1}, Rounding: good.Rounding},
		"empty type":    {Days: map[string]int{"": 7}, Rounding: good.Rounding},
		"unknown mode":  {Days: map[string]int{"standard": 7}, Rounding: affrules.RoundingMode(99)},
	} {
		for _, ev := range []commission.Event{ev, {ID: "c1", Record: "nope", Kind: commission.Cancel, At: ev.At}} {
			_, want := stores["memory"].Apply(ctx, bad, ev)
			_, got := stores["postgres"].Apply(ctx, bad, ev)
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Errorf("%s, record %q: error %v, want %v", name, ev.Record, got, want)
			}
		}
	}
	if _, err := stores["postgres"].Apply(ctx, good, ev); err != nil {
		t.Errorf("under the valid rule: %v", err)
	}
}

// TestRecordsMoneyColumns checks that the numeric and state columns follow the record.
func TestRecordsMoneyColumns(t *testing.T) {
	pool := migrated(t)
	st := postgres.Records(pool)
	ctx := context.Background()
	s := commission.DefaultPolicy().Settlement()
	r := newRecord(t, "l1")
	if _, err := st.Create(ctx, s, r); err != nil {
		t.Fatal(err)
	}
	columns := func() (state, currency, earned, refunded, amount, creator string, closed bool) {
		t.Helper()
		err := pool.QueryRow(ctx, `SELECT state, currency, earned::text, refunded::text, amount::text, creator_amount::text, closed_at IS NOT NULL
			FROM affrules_commission_records WHERE id = 'l1'`).Scan(&state, &currency, &earned, &refunded, &amount, &creator, &closed)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if state, cur, earned, refunded, amount, creator, closed := columns(); state != "pending" || cur != "GBP" || earned != "10.00" ||
		refunded != "0.00" || amount != "10.00" || creator != "10.00" || closed {
		t.Errorf("new record: %s %s earned %s refunded %s amount %s creator %s closed %v; want pending GBP 10.00 0.00 10.00 10.00 false",
			state, cur, earned, refunded, amount, creator, closed)
	}
	refund := commission.Event{ID: "r1", Record: "l1", Kind: commission.Refund, Amount: gbp(2500).Decimal(), Currency: "GBP", At: r.OrderedAt.Add(time.Hour)}
	if _, err := st.Apply(ctx, s, refund); err != nil {
		t.Fatal(err)
	}
	if state, _, _, refunded, amount, creator, closed := columns(); state != "pending" || refunded != "25.00" || amount != "7.50" || creator != "7.50" || closed {
		t.Errorf("after refunding 25.00: %s refunded %s amount %s creator %s closed %v; want pending 25.00 7.50 7.50 false", state, refunded, amount, creator, closed)
	}
	cancel := commission.Event{ID: "c1", Record: "l1", Kind: commission.Cancel, At: r.OrderedAt.Add(2 * time.Hour)}
	if _, err := st.Apply(ctx, s, cancel); err != nil {
		t.Fatal(err)
	}
	if state, _, _, _, amount, _, closed := columns(); state != "ineligible" || amount != "0.00" || !closed {
		t.Errorf("after cancelling: %s amount %s closed %v; want ineligible 0.00 true", state, amount, closed)
	}
}
