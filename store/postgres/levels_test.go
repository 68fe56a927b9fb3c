package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/store/postgres"
)

// TestLevelsKeyErrors checks that Get of a key no valid record has reports what MemoryHistory
// reports.
func TestLevelsKeyErrors(t *testing.T) {
	ctx := context.Background()
	pg, mem := postgres.Levels(migrated(t)), &level.MemoryHistory{}
	march := affrules.NewMonth(2026, time.March)
	for _, k := range []struct {
		market  affrules.MarketCode
		creator string
		month   affrules.Month
	}{
		{"", "c1", march},
		{affrules.TH, "", march},
		{affrules.TH, "c1", affrules.NewMonth(1899, time.December)},
		{affrules.TH, "c1", affrules.NewMonth(2200, time.January)},
		{"", "", 0},
	} {
		_, _, want := mem.Get(ctx, k.market, k.creator, k.month)
		_, ok, got := pg.Get(ctx, k.market, k.creator, k.month)
		if want == nil || got == nil || got.Error() != want.Error() || ok {
			t.Errorf("Get(%q, %q, %s) = %v, %v; want false, %v", k.market, k.creator, k.month, ok, got, want)
		}
	}
}
