package leveltest_test

import (
	"context"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/affrulestest"
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

// The state machine catches a store that does not replace a record, and one that stores an
// invalid record.
func TestMachineCanFail(t *testing.T) {
	for _, c := range []struct {
		name  string
		store func() level.History
		want  string
	}{
		{"first_wins", func() level.History { return new(firstWins) }, "the model holds"},
		{"careless", func() level.History { return new(careless) }, "want an error"},
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
