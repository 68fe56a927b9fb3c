package leveltest

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/level"
)

// machineChecks caps the number of checks of the state machine: each builds a fresh store,
// which for a database means a new schema.
const machineChecks = 15

// historyKey is what a [level.History] keys a record by.
type historyKey struct {
	market  affrules.MarketCode
	creator string
	month   affrules.Month
}

// machine checks the store against a plain model, a map from key to level, under random
// sequences of valid, invalid and cancelled Puts, of Puts replacing a stored record (often by
// L0) and of Gets, on a fresh store each check (LVL-3).
func machine(t *testing.T, newHistory func(t *testing.T) level.History) {
	affrulestest.Machine(t, machineChecks, newHistory, machineCheck)
}

func machineCheck(rt *rapid.T, h level.History) {
	ctx := context.Background()
	markets := []affrules.MarketCode{affrules.TH, affrules.UK}
	// Creators that differ only in case, and two long ones that differ only past their 64th
	// byte: a store must key by the exact ID.
	long := strings.Repeat("c", 64)
	creators := []string{"c1", "C1", "c2", long + "1", long + "2"}
	months := []affrules.Month{affrules.NewMonth(2026, time.March), affrules.NewMonth(2026, time.April),
		affrules.NewMonth(1900, time.January), affrules.NewMonth(2199, time.December)}
	key := rapid.Custom(func(t *rapid.T) historyKey {
		return historyKey{rapid.SampledFrom(markets).Draw(t, "market"), rapid.SampledFrom(creators).Draw(t, "creator"), rapid.SampledFrom(months).Draw(t, "month")}
	})
	model := map[historyKey]level.Level{}
	get := func(t *rapid.T, k historyKey) {
		l, ok, err := h.Get(ctx, k.market, k.creator, k.month)
		if err != nil {
			t.Fatalf("Get(%s, %q, %s): unexpected error %v", k.market, k.creator, k.month, err)
		}
		if want, stored := model[k]; ok != stored || l != want {
			t.Fatalf("Get(%s, %q, %s) = %s, %t; the model holds %s, %t", k.market, k.creator, k.month, l, ok, want, stored)
		}
	}
	var last *historyKey
	rt.Repeat(map[string]func(*rapid.T){
		"put": func(t *rapid.T) {
			k := key.Draw(t, "key")
			r := level.Record{Market: k.market, Creator: k.creator, Month: k.month, Level: level.Level(rapid.IntRange(0, int(level.L8)).Draw(t, "level"))}
			if err := h.Put(ctx, r); err != nil {
				t.Fatalf("Put(%+v): %v", r, err)
			}
			model[k] = r.Level
			last = &k
		},
		"replace": func(t *rapid.T) {
			// A stored record replaced, often by L0: a level like any other (LVL-3).
			if len(model) == 0 {
				t.Skip("nothing stored")
			}
			keys := slices.SortedFunc(maps.Keys(model), func(a, b historyKey) int {
				return cmp.Or(cmp.Compare(a.market, b.market), cmp.Compare(a.creator, b.creator), cmp.Compare(a.month, b.month))
			})
			k := rapid.SampledFrom(keys).Draw(t, "stored")
			l := level.L0
			if rapid.Bool().Draw(t, "other") {
				l = level.Level(rapid.IntRange(0, int(level.L8)).Draw(t, "level"))
			}
			r := level.Record{Market: k.market, Creator: k.creator, Month: k.month, Level: l}
			if err := h.Put(ctx, r); err != nil {
				t.Fatalf("Put(%+v): %v", r, err)
			}
			model[k] = r.Level
			last = &k
		},
		"put_invalid": func(t *rapid.T) {
			k := key.Draw(t, "key")
			r := level.Record{Market: k.market, Creator: k.creator, Month: k.month, Level: level.L1}
			switch rapid.IntRange(0, 5).Draw(t, "invalid") {
			case 0:
				r = level.Record{}
			case 1:
				r.Creator = ""
			case 2:
				r.Market = ""
			case 3:
				r.Level = level.Level(rapid.IntRange(int(level.L8)+1, 255).Draw(t, "bad_level"))
			case 4:
				r.Month = affrules.NewMonth(1899, time.December)
			default:
				r.Month = affrules.NewMonth(2200, time.January)
			}
			if err := h.Put(ctx, r); err == nil {
				t.Fatalf("Put(%+v) = nil; want an error", r)
			}
			last = &k
		},
		"put_cancelled": func(t *rapid.T) {
			k := key.Draw(t, "key")
			r := level.Record{Market: k.market, Creator: k.creator, Month: k.month, Level: level.Level(rapid.IntRange(0, int(level.L8)).Draw(t, "level"))}
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			if err := h.Put(cctx, r); !errors.Is(err, context.Canceled) {
				t.Fatalf("Put(%+v) with a cancelled context = %v; want context.Canceled", r, err)
			}
			last = &k
		},
		"get": func(t *rapid.T) {
			get(t, key.Draw(t, "key"))
		},
		"": func(t *rapid.T) {
			if last != nil {
				get(t, *last)
			}
		},
	})
	for _, m := range markets {
		for _, c := range creators {
			for _, mo := range months {
				get(rt, historyKey{m, c, mo})
			}
		}
	}
}
