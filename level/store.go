package level

import (
	"context"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/fielderr"
)

// History stores creators' monthly levels (LVL-3). It owns no policy: it stores the records
// [Evaluator.Refresh] computes. Implementations must pass the conformance suite
// leveltest.TestHistory and be safe for concurrent use; a cancelled or expired ctx is an error
// from every method (wrapping ctx.Err()) and stores nothing.
type History interface {
	// Put stores r, replacing any record for the same market, creator and month, so that
	// storing a refresh twice leaves the same history. It rejects a record that fails
	// [Record.Validate].
	Put(ctx context.Context, r Record) error
	// Get returns the level of creator in market for month m, and false if none is stored. For
	// a key no valid record has (an empty market, a creator [Record.Validate] refuses, a month
	// outside the years 1900 to 2199) it returns false or an error.
	Get(ctx context.Context, market affrules.MarketCode, creator string, m affrules.Month) (Level, bool, error)
}

// nilHistory is the error of a nil [History] given to a function that reads one.
func nilHistory() error { return fielderr.New(pkg, "history", "nil", "must be a History") }

// LevelAt returns creator's level in market at instant at: the level stored for at's month in
// the market's calendar (LVL-3, MKT-2), and false if none is stored. It looks market up in the
// registry, for its time zone; an unknown market, a creator [Record.Validate] refuses, and the
// zero instant or one outside the years 1900 to 2199 (or whose month in the market's calendar
// is: the last hours of 2199 in UTC are 2200 east of it), a nil h, a failing store (its error
// named "level: history: …" unless it names the package already) and a stored level that is not
// L0 to L8 are errors.
func LevelAt(ctx context.Context, h History, market affrules.MarketCode, creator string, at time.Time) (Level, bool, error) {
	if h == nil {
		return L0, false, nilHistory()
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return L0, false, err
	}
	mk, err := affrules.LookupMarket(market)
	if err != nil {
		return L0, false, fielderr.New(pkg, "market", market, "%w", affrules.ErrUnknownMarket)
	}
	if !bounds.IDOK(creator) {
		return L0, false, bounds.ID(pkg, "creator", creator)
	}
	l, ok, err := h.Get(ctx, market, creator, affrules.MonthAt(mk, at))
	switch {
	case err != nil:
		return L0, false, ctxerr.Store(pkg, "history", err)
	case !ok:
		return L0, false, nil // whatever a store returns beside "not stored"
	case l > L8:
		return L0, false, storedLevel(l)
	}
	return l, true, nil
}
