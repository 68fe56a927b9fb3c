package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/store/postgres"
)

// TestOffersPutLosesRaceForNewID puts an offer under an ID that another transaction is
// inserting, for another product, and commits while the put waits on it: the put, which found
// the ID free, runs again, finds the offer stored and is refused by the rule (an offer keeps its
// product, COM-3), rather than overwriting it or failing on the database.
func TestOffersPutLosesRaceForNewID(t *testing.T) {
	pool := migrated(t)
	s := postgres.Offers(pool)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: t0, Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	if err != nil {
		t.Fatal(err)
	}
	offer := func(product string) commission.Offer {
		return commission.Offer{ID: "same", Source: commission.Target, Market: affrules.UK, Product: product, Coverage: commission.Listed,
			Creators: []string{"c1"}, Period: affrules.Period{Start: t0}, Rates: rates}
	}
	first, err := json.Marshal(offer("p1"))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO affrules_offers (id, market, product, source, starts, data) VALUES ('same', 'UK', 'p1', 'TARGET', $1, $2)`, t0, first); err != nil {
		t.Fatal(err)
	}

	var holder int // the backend inserting the first offer
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Put(ctx, commission.DefaultPolicy().OfferRule(), offer("p2"), t0)
		done <- err
	}()
	// Commit once the put waits for the uncommitted row.
	for waiting := false; !waiting; {
		if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)))`, holder).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			t.Fatalf("the put ended before the other insert committed: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	err = <-done
	var fe *affrules.FieldError
	if !errors.As(err, &fe) {
		t.Errorf("put of another product under a stored ID: %v, want the rule's refusal", err)
	}
	if got, err := s.Offer(ctx, "same"); err != nil || got.Product != "p1" {
		t.Errorf("Offer(same) = product %q, %v; want the first offer, of p1", got.Product, err)
	}
}

// A commission offer's ID and product are the host's text and keys of a database index: up to
// 2,048 bytes they are stored; over it, Put refuses them with a FieldError naming the field and
// stores nothing, where it would otherwise fail on the index.
func TestOffersLongKeys(t *testing.T) {
	s := postgres.Offers(migrated(t))
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: t0, Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	if err != nil {
		t.Fatal(err)
	}
	rule := commission.DefaultPolicy().OfferRule()
	open := func(id, product string) commission.Offer {
		return commission.Offer{ID: id, Source: commission.Open, Market: affrules.UK, Product: product, Coverage: commission.Everyone,
			Period: affrules.Period{Start: t0}, Rates: rates}
	}
	long := strings.Repeat("x", 2048)
	if _, err := s.Put(ctx, rule, open(long, long), t0); err != nil {
		t.Fatalf("2,048-byte keys: %v", err)
	}
	for field, o := range map[string]commission.Offer{"offer.id": open(long+"y", "p1"), "offer.product": open("o2", long+"y")} {
		_, err := s.Put(ctx, rule, o, t0)
		var fe *affrules.FieldError
		if !errors.As(err, &fe) || fe.Field != field || fe.Pkg != "commission" || !strings.Contains(err.Error(), "2049 bytes: must be at most 2048 bytes") {
			t.Errorf("%s over 2,048 bytes: %v", field, err)
		}
		if _, err := s.Offer(ctx, o.ID); !errors.Is(err, commission.ErrNotFound) {
			t.Errorf("%s: a refused offer was stored: %v", field, err)
		}
	}
	// A market no index could hold (3,000 bytes, not compressible) is no market at all: the
	// rule's error, as the memory store's.
	o := open("o3", "p1")
	o.Market = affrules.MarketCode(incompressible(3000))
	_, err = s.Put(ctx, rule, o, t0)
	_, want := commission.NewOfferMemory().Put(ctx, rule, o, t0)
	if !errors.Is(err, affrules.ErrUnknownMarket) || want == nil || err.Error() != want.Error() {
		t.Errorf("a 3,000-byte market: %v, want %v", err, want)
	}
	if _, err := s.Offer(ctx, "o3"); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("an offer in a 3,000-byte market was stored: %v", err)
	}
}
