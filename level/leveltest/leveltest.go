// Package leveltest checks implementations of [level.History], as testing/fstest checks file
// systems.
package leveltest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// TestHistory runs the conformance suite against the stores newHistory returns; each subtest
// calls it, with the subtest's t, for a fresh, empty store (release it with t.Cleanup). A store
// passes when it stores and returns levels by market, creator and month (LVL-3), replaces a
// record stored again, rejects invalid records (those failing [level.Record.Validate]: the zero
// Record, an empty market or creator, a month outside the years 1900 to 2199, a level out of
// range) and storing under a cancelled context, and stays consistent under concurrent use. It
// uses the standard library only.
func TestHistory(t *testing.T, newHistory func(t *testing.T) level.History) {
	t.Helper()
	ctx := context.Background()
	march := affrules.NewMonth(2026, time.March)
	rec := level.Record{Market: affrules.TH, Creator: "c1", Month: march, Level: level.L5}

	get := func(t *testing.T, h level.History, market affrules.MarketCode, creator string, m affrules.Month) (level.Level, bool) {
		t.Helper()
		l, ok, err := h.Get(ctx, market, creator, m)
		if err != nil {
			t.Fatalf("Get(%s, %q, %s): unexpected error %v", market, creator, m, err)
		}
		return l, ok
	}

	t.Run("Empty", func(t *testing.T) {
		h := newHistory(t)
		if l, ok := get(t, h, rec.Market, rec.Creator, rec.Month); ok {
			t.Errorf("Get on an empty store = %s, true; want false", l)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		h := newHistory(t)
		for _, want := range []level.Level{level.L0, level.L8} {
			r := rec
			r.Level = want
			r.Creator = "c-" + want.String()
			if err := h.Put(ctx, r); err != nil {
				t.Fatalf("Put(%+v): %v", r, err)
			}
			if l, ok := get(t, h, r.Market, r.Creator, r.Month); !ok || l != want {
				t.Errorf("Get after Put(%+v) = %s, %v; want %s, true", r, l, ok, want)
			}
		}
	})

	t.Run("ReplaceIsIdempotent", func(t *testing.T) {
		h := newHistory(t)
		for _, l := range []level.Level{level.L2, level.L7, level.L7} {
			r := rec
			r.Level = l
			if err := h.Put(ctx, r); err != nil {
				t.Fatalf("Put(%+v): %v", r, err)
			}
			if got, ok := get(t, h, r.Market, r.Creator, r.Month); !ok || got != l {
				t.Errorf("Get after storing %s = %s, %v; want the latest record", l, got, ok)
			}
		}
	})

	t.Run("KeyedByMarketCreatorMonth", func(t *testing.T) {
		h := newHistory(t)
		if err := h.Put(ctx, rec); err != nil {
			t.Fatalf("Put(%+v): %v", rec, err)
		}
		others := []struct {
			market  affrules.MarketCode
			creator string
			month   affrules.Month
		}{
			{affrules.UK, rec.Creator, rec.Month},
			{rec.Market, "c2", rec.Month},
			{rec.Market, rec.Creator, rec.Month.Add(-1)},
			{rec.Market, rec.Creator, rec.Month.Add(12)},
		}
		for _, o := range others {
			if l, ok := get(t, h, o.market, o.creator, o.month); ok {
				t.Errorf("Get(%s, %q, %s) = %s, true after storing only %+v; want false", o.market, o.creator, o.month, l, rec)
			}
		}
	})

	t.Run("RejectsInvalidRecords", func(t *testing.T) {
		h := newHistory(t)
		bad := []level.Record{
			{}, // what Refresh yields beside an error: a careless loop stores it
			{Market: rec.Market, Creator: "", Month: march, Level: level.L1},
			{Market: "", Creator: "c1", Month: march, Level: level.L1},
			{Market: rec.Market, Creator: "c1", Month: march, Level: level.L8 + 1},
			{Market: rec.Market, Creator: "c1", Level: level.L1}, // month 0000-01
			{Market: rec.Market, Creator: "c1", Month: affrules.NewMonth(1899, time.December), Level: level.L1},
			{Market: rec.Market, Creator: "c1", Month: affrules.NewMonth(2200, time.January), Level: level.L1},
			{Market: rec.Market, Creator: "c1", Month: affrules.NewMonth(9999, time.December), Level: level.L1},
			{Market: rec.Market, Creator: "c1", Month: affrules.NewMonth(200_000_000, time.January), Level: level.L1}, // wraps to a negative year
		}
		for _, r := range bad {
			if err := h.Put(ctx, r); err == nil {
				t.Errorf("Put(%+v) = nil; want an error", r)
			}
			// Get of a key no valid record has may report an error or nothing stored.
			if l, ok, err := h.Get(ctx, r.Market, r.Creator, r.Month); err == nil && ok {
				t.Errorf("invalid record %+v was stored as %s", r, l)
			}
		}
		for _, m := range []affrules.Month{affrules.NewMonth(1900, time.January), affrules.NewMonth(2199, time.December)} {
			r := level.Record{Market: rec.Market, Creator: "c1", Month: m, Level: level.L3}
			if err := h.Put(ctx, r); err != nil {
				t.Errorf("Put(%+v) = %v; want nil: the years 1900 to 2199 are in range", r, err)
			}
			if l, ok := get(t, h, r.Market, r.Creator, r.Month); !ok || l != level.L3 {
				t.Errorf("Get after Put(%+v) = %s, %v; want L3, true", r, l, ok)
			}
		}
	})

	t.Run("CancelledContext", func(t *testing.T) {
		h := newHistory(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := h.Put(cctx, rec); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a cancelled context = %v; want context.Canceled", err)
		}
		if _, _, err := h.Get(cctx, rec.Market, rec.Creator, rec.Month); !errors.Is(err, context.Canceled) {
			t.Errorf("Get with a cancelled context = %v; want context.Canceled", err)
		}
		if l, ok := get(t, h, rec.Market, rec.Creator, rec.Month); ok {
			t.Errorf("Put under a cancelled context stored %s", l)
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		h := newHistory(t)
		const writers, months = 8, 24
		var wg sync.WaitGroup
		errs := make(chan error, writers*months)
		for w := range writers {
			wg.Go(func() {
				for i := range months {
					r := level.Record{Market: affrules.ID, Creator: fmt.Sprint("w", w), Month: march.Add(i), Level: level.Level(i % 9)}
					if err := h.Put(ctx, r); err != nil {
						errs <- err
					}
					if _, _, err := h.Get(ctx, r.Market, r.Creator, r.Month); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent Put/Get: %v", err)
		}
		for w := range writers {
			for i := range months {
				creator, m := fmt.Sprint("w", w), march.Add(i)
				if l, ok := get(t, h, affrules.ID, creator, m); !ok || l != level.Level(i%9) {
					t.Errorf("after concurrent writes Get(ID, %q, %s) = %s, %v; want %s, true", creator, m, l, ok, level.Level(i%9))
				}
			}
		}
	})
}
