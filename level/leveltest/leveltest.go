// Package leveltest is the property-testing kit of package level: the conformance suite of
// [level.History] ([TestHistory], as testing/fstest checks file systems), rapid generators of
// creator totals, months and policies that straddle a policy's own thresholds and table
// versions, and the named properties a host checks its own [level.Policy] with ([CheckPolicy],
// [Properties]). It uses the standard library, pgregory.net/rapid, shopspring/decimal and
// affrules' own packages only.
//
// The properties, each with the rules it guards:
//
//	more_never_lowers              more GMV, active days, breadth or capability never lowers a level (LVL-2)
//	level_matches_table            the level assigned is the plain reading of the table in force (LVL-2, LVL-3)
//	tables_ordered                 every market's table is ordered: no threshold below the level beneath's, and meeting exactly a level's thresholds earns it (LVL-1, LVL-2)
//	versions_start_at_month_start  every table version starts at a month's first instant in its market (LVL-3, MKT-2)
//
// # Interpretations
//
//   - more_never_lowers and level_matches_table hold for every policy [level.Policy.Validate]
//     accepts (it refuses tables that decrease); they guard the evaluator [level.New] builds for
//     the policy, so a change of the library that breaks them fails the host's CI. "More"
//     is as much or more of every metric, in the same market and month.
//   - tables_ordered and versions_start_at_month_start read the policy's data before building
//     an evaluator, so that a policy that breaks them is reported by the table, version and
//     level at fault, whatever [level.New] says of it.
//   - versions_start_at_month_start: levels hold for whole months (LVL-3), so a version starting
//     inside a month (typically a UTC midnight in a market east of UTC) silently decides levels
//     only from the next month. A version from before 1900 (the zero instant, "since always") is
//     not checked.
//   - The [TestHistory] state machine draws its keys from 2 markets, 5 creators (two differing
//     only in case, two long ones differing only past their 64th byte) and 4 months (two of them
//     the first and last months a record may have), so that keys collide and records are
//     replaced; its model is a map.
package leveltest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// TestHistory runs the conformance suite against the stores newHistory returns; each subtest
// calls it, with the subtest's t, for a fresh, empty store (release it with t.Cleanup). A store
// passes when it stores and returns levels by market, creator and month (LVL-3), creator IDs
// exact (case, accents, trailing spaces and every byte of an ID up to 256 bytes counted),
// replaces a record stored again (by L0 too), rejects invalid records (those failing
// [level.Record.Validate]: the zero Record, an empty market, a creator empty, longer than 256
// bytes, with a control character or not UTF-8, a market not registered, a month outside the
// years 1900 to 2199, a level out of range) and storing under a cancelled context, and stays
// consistent under concurrent use.
//
// Its "machine" subtest checks the store against a plain model (a map) under random sequences of
// valid, invalid and cancelled Puts, of Puts replacing a stored record (often by L0) and of
// Gets, with rapid: rapid's -rapid.steps actions (30
// on average) per check, each
// check on a fresh store from newHistory, made for a subtest of its own ("store#N") and
// released, with whatever newHistory registered with that subtest's Cleanup, when the check
// ends. It runs at most 15 checks: while it runs it lowers rapid's -rapid.checks flag to 15 if it
// is higher and not given on the command line, so it must not run in parallel with other rapid
// checks of the same test binary.
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
		// L0 over a stored level among them: L0 is a level like any other, not "nothing to
		// store", and replaces what was stored (a creator dropping to L0 must not keep L7).
		for _, l := range []level.Level{level.L2, level.L7, level.L7, level.L0, level.L0, level.L4} {
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

	t.Run("CreatorIDsExact", func(t *testing.T) {
		// History keys by creator as given, every byte counted, up to the longest ID a record
		// may have (256 bytes, Record.Validate). Creators differing only in case or accent, or
		// by a trailing space (as a case- or accent-insensitive or padding collation would fold
		// them), and the longest IDs differing only in their last byte (as a column that
		// truncates would cut them) are different creators.
		h := newHistory(t)
		long := strings.Repeat("creator-", 31) + "creator" // 255 bytes: 256 with the last
		creators := []string{"creator-a", "Creator-A", "CREATOR-A", "créator-a", "creator-a ", long + "1", long + "2"}
		for i, c := range creators {
			r := level.Record{Market: rec.Market, Creator: c, Month: rec.Month, Level: level.Level(i + 1)}
			if err := h.Put(ctx, r); err != nil {
				t.Fatalf("Put(%+v): %v", r, err)
			}
		}
		for i, c := range creators {
			if l, ok := get(t, h, rec.Market, c, rec.Month); !ok || l != level.Level(i+1) {
				t.Errorf("Get(%s, %q, %s) = %s, %v; want %s, true: creator IDs are exact, case and every byte counted", rec.Market, c, rec.Month, l, ok, level.Level(i+1))
			}
		}
		for _, c := range []string{"CREATOR-a", "creator-A", "creator-a  ", long, long[:64], long + "3"} {
			if l, ok := get(t, h, rec.Market, c, rec.Month); ok {
				t.Errorf("Get(%s, %q, %s) = %s, true for a creator never stored; want false: creator IDs are exact, case and every byte counted", rec.Market, c, rec.Month, l)
			}
		}
	})

	t.Run("RejectsInvalidRecords", func(t *testing.T) {
		h := newHistory(t)
		bad := []level.Record{
			{}, // what Refresh yields beside an error: a careless loop stores it
			{Market: rec.Market, Creator: "", Month: march, Level: level.L1},
			// Creators no store need hold: longer than an ID may be, a control character, not UTF-8.
			{Market: rec.Market, Creator: strings.Repeat("c", 257), Month: march, Level: level.L1},
			{Market: rec.Market, Creator: "c\x001", Month: march, Level: level.L1},
			{Market: rec.Market, Creator: "c\xff", Month: march, Level: level.L1},
			{Market: "", Creator: "c1", Month: march, Level: level.L1},
			{Market: "uk", Creator: "c1", Month: march, Level: level.L1}, // not registered: codes are case-sensitive
			{Market: "XX", Creator: "c1", Month: march, Level: level.L1},
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

	t.Run("RefusedPutKeepsStored", func(t *testing.T) {
		// A Put refused over a key that holds a level (an invalid level, a cancelled context)
		// leaves that level: nothing is removed before the record is checked.
		h := newHistory(t)
		if err := h.Put(ctx, rec); err != nil {
			t.Fatalf("Put(%+v): %v", rec, err)
		}
		bad := rec
		bad.Level = level.L8 + 1
		if err := h.Put(ctx, bad); err == nil {
			t.Errorf("Put(%+v) = nil; want an error", bad)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		other := rec
		other.Level = level.L1
		if err := h.Put(cctx, other); err == nil {
			t.Errorf("Put with a cancelled context = nil; want an error")
		}
		if l, ok := get(t, h, rec.Market, rec.Creator, rec.Month); !ok || l != rec.Level {
			t.Errorf("Get after refused Puts over %+v = %s, %v; want %s, true: a refused Put stores nothing and removes nothing", rec, l, ok, rec.Level)
		}
	})

	t.Run("machine", func(t *testing.T) { machine(t, newHistory) })

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
