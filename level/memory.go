package level

import (
	"context"
	"errors"
	"sync"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/ctxerr"
)

// errNilMemoryHistory is the error of a method called on a nil *MemoryHistory, which holds nothing to use.
var errNilMemoryHistory = errors.New(pkg + ": nil *MemoryHistory: use a MemoryHistory value (its zero value is ready)")

// MemoryHistory is a [History] held in memory, safe for concurrent use. The zero value is an
// empty history ready to use; a MemoryHistory must not be copied after first use.
type MemoryHistory struct {
	mu     sync.RWMutex
	levels map[historyKey]Level
}

type historyKey struct {
	market  affrules.MarketCode
	creator string
	month   affrules.Month
}

// Put stores r, replacing any record with the same market, creator and month. A record that
// fails [Record.Validate] (the zero Record included) is an error and stores nothing.
func (h *MemoryHistory) Put(ctx context.Context, r Record) error {
	if h == nil {
		return errNilMemoryHistory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.levels == nil {
		h.levels = make(map[historyKey]Level)
	}
	h.levels[historyKey{r.Market, r.Creator, r.Month}] = r.Level
	return nil
}

// Get returns the level of creator in market for month m, and false if none is stored. An
// empty market, a creator [Record.Validate] refuses, or a month outside the years 1900 to 2199,
// is an error.
func (h *MemoryHistory) Get(ctx context.Context, market affrules.MarketCode, creator string, m affrules.Month) (Level, bool, error) {
	if h == nil {
		return L0, false, errNilMemoryHistory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return L0, false, err
	}
	if err := checkKey("", market, creator, m); err != nil {
		return L0, false, err
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	l, ok := h.levels[historyKey{market, creator, m}]
	return l, ok, nil
}
