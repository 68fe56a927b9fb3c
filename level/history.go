package level

import (
	"context"
	"sync"
	"time"

	"github.com/affrules/affrules"
)

// History stores creators' monthly levels. Implementations must pass the conformance suite
// leveltest.TestHistory and be safe for concurrent use.
type History interface {
	// Put stores r, replacing any record for the same market, creator and month, so that
	// storing a refresh twice leaves the same history. It rejects a record that fails
	// [Record.Validate].
	Put(ctx context.Context, r Record) error
	// Get returns the level of creator in market for month m, and false if none is stored.
	Get(ctx context.Context, market affrules.MarketCode, creator string, m Month) (Level, bool, error)
}

// MemoryHistory is a [History] held in memory, safe for concurrent use. The zero value is an
// empty history ready to use; a MemoryHistory must not be copied after first use.
type MemoryHistory struct {
	mu     sync.RWMutex
	levels map[historyKey]Level
}

type historyKey struct {
	market  affrules.MarketCode
	creator string
	month   Month
}

// Put stores r, replacing any record with the same market, creator and month.
func (h *MemoryHistory) Put(ctx context.Context, r Record) error {
	if err := ctx.Err(); err != nil {
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

// Get returns the level of creator in market for month m, and false if none is stored.
func (h *MemoryHistory) Get(ctx context.Context, market affrules.MarketCode, creator string, m Month) (Level, bool, error) {
	if err := ctx.Err(); err != nil {
		return L0, false, err
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	l, ok := h.levels[historyKey{market, creator, m}]
	return l, ok, nil
}

// LevelAt returns creator's level in market at instant t: the level stored for t's month in the
// market's calendar (LVL-3, MKT-2), and false if none is stored.
func LevelAt(ctx context.Context, h History, market affrules.MarketCode, creator string, t time.Time) (Level, bool, error) {
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return L0, false, affrules.Errorf("level", "market", market, "%w", affrules.ErrUnknownMarket)
	}
	return h.Get(ctx, market, creator, MonthAt(mk, t))
}

// TrendAt returns creator's level trend in market up to month m (LVL-6), reading from h the levels
// of m and of as many months before it as the policy's consistent-drop rule needs, so the
// trend's DropStreak counts back no further than [TrendPolicy].ConsistentMonths. A month with
// no stored level ends the run: an unknown month is not a drop. It returns false if no level is
// stored for m itself. An unknown market is an error.
func (e *Evaluator) TrendAt(ctx context.Context, h History, market affrules.MarketCode, creator string, m Month) (Trend, bool, error) {
	if _, err := affrules.LookupMarket(market); err != nil {
		return Trend{}, false, affrules.Errorf("level", "market", market, "%w", affrules.ErrUnknownMarket)
	}
	n := max(e.trend.ConsistentMonths, 1) + 1
	levels := make([]Level, n)
	i := n
	for ; i > 0; i-- {
		l, ok, err := h.Get(ctx, market, creator, m.Add(i-n))
		if err != nil {
			return Trend{}, false, err
		}
		if !ok {
			break
		}
		levels[i-1] = l
	}
	if i == n {
		return Trend{}, false, nil
	}
	tr, err := e.Trend(levels[i:]...)
	return tr, true, err
}
