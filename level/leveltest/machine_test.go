package leveltest_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/internal/childtest"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/level/leveltest"
)

// firstWins keeps the first record stored under a key: it does not replace (LVL-3).
type firstWins struct{ level.MemoryHistory }

func (h *firstWins) Put(ctx context.Context, r level.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if _, ok, err := h.Get(ctx, r.Market, r.Creator, r.Month); err == nil && ok {
		return nil
	}
	return h.MemoryHistory.Put(ctx, r)
}

// careless stores a record with an empty creator under creator "c1" instead of refusing it.
type careless struct{ level.MemoryHistory }

func (h *careless) Put(ctx context.Context, r level.Record) error {
	if r.Creator == "" && r.Market != "" {
		r.Creator = "c1"
	}
	return h.MemoryHistory.Put(ctx, r)
}

// zeroIgnored takes a Put of L0 over a stored record for "nothing to store" and keeps the
// stored level.
type zeroIgnored struct{ level.MemoryHistory }

func (h *zeroIgnored) Put(ctx context.Context, r level.Record) error {
	if r.Level == level.L0 && r.Validate() == nil {
		if _, ok, err := h.Get(ctx, r.Market, r.Creator, r.Month); err == nil && ok {
			return nil
		}
	}
	return h.MemoryHistory.Put(ctx, r)
}

// caseFolded keys creators ignoring case, as a column of a case-insensitive collation would.
type caseFolded struct{ level.MemoryHistory }

func (h *caseFolded) Put(ctx context.Context, r level.Record) error {
	r.Creator = strings.ToLower(r.Creator)
	return h.MemoryHistory.Put(ctx, r)
}

func (h *caseFolded) Get(ctx context.Context, market affrules.MarketCode, creator string, m affrules.Month) (level.Level, bool, error) {
	return h.MemoryHistory.Get(ctx, market, strings.ToLower(creator), m)
}

// truncated keys creators by their first 64 bytes, as a column of 64 characters would.
type truncated struct{ level.MemoryHistory }

func cut(creator string) string { return creator[:min(len(creator), 64)] }

func (h *truncated) Put(ctx context.Context, r level.Record) error {
	r.Creator = cut(r.Creator)
	return h.MemoryHistory.Put(ctx, r)
}

func (h *truncated) Get(ctx context.Context, market affrules.MarketCode, creator string, m affrules.Month) (level.Level, bool, error) {
	return h.MemoryHistory.Get(ctx, market, cut(creator), m)
}

// brokenStores are the broken stores TestSuitesCatchBrokenStores runs the suite against.
var brokenStores = map[string]func() level.History{
	"zero_ignored": func() level.History { return new(zeroIgnored) },
	"case_folded":  func() level.History { return new(caseFolded) },
	"truncated":    func() level.History { return new(truncated) },
}

// The fixed cases of the suite fail on a store that ignores L0 over a stored level, one that
// folds the case of creator IDs and one that truncates them. Each suite runs in a child
// process, so that its failure is observed, not suffered.
func TestSuitesCatchBrokenStores(t *testing.T) {
	if name := os.Getenv("LEVELTEST_BROKEN"); name != "" {
		leveltest.TestHistory(t, func(t *testing.T) level.History { return brokenStores[name]() })
		return
	}
	for _, tc := range []struct{ store, subtest, says string }{
		{"zero_ignored", "ReplaceIsIdempotent", "Get after storing L0 = L7, true; want the latest record"},
		{"case_folded", "CreatorIDsExact", "creator IDs are exact"},
		{"truncated", "CreatorIDsExact", "creator IDs are exact"},
	} {
		t.Run(tc.store, func(t *testing.T) {
			childtest.Fails(t, "TestSuitesCatchBrokenStores", tc.subtest, "LEVELTEST_BROKEN="+tc.store, nil, tc.says)
		})
	}
}

// The state machine catches a store that does not replace a record, one that stores an invalid
// record, one that ignores L0 over a stored level, and ones that fold the case of creator IDs or
// truncate them.
func TestMachineCanFail(t *testing.T) {
	for _, c := range []struct {
		name  string
		store func() level.History
		want  string
	}{
		{"first_wins", func() level.History { return new(firstWins) }, "the model holds"},
		{"careless", func() level.History { return new(careless) }, "want an error"},
		{"zero_ignored", brokenStores["zero_ignored"], "the model holds L0, true"},
		{"case_folded", brokenStores["case_folded"], "the model holds"},
		{"truncated", brokenStores["truncated"], "the model holds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			report := affrulestest.Fails(func(rt *rapid.T) { leveltest.MachineCheck(rt, c.store()) })
			if report == "" {
				t.Fatalf("the state machine passed a %s store", c.name)
			}
			if !strings.Contains(report, c.want) {
				t.Errorf("report does not mention %q:\n%s", c.want, report)
			}
		})
	}
}
