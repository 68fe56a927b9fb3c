package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/level"
)

// levels is the [level.History] [Levels] returns.
type levels struct {
	pool *pgxpool.Pool
}

// Levels returns the [level.History] kept in pool's database, which [Migrate] has prepared: a
// row per market, creator and month, replaced when a record is stored again.
func Levels(pool *pgxpool.Pool) level.History { return &levels{pool: pool} }

// The months a level history takes: those of the years 1900 to 2199, as package level bounds
// them.
var (
	minLevelMonth = affrules.NewMonth(bounds.MinInstant.Year(), time.January)
	maxLevelMonth = affrules.NewMonth(bounds.MaxInstant.Year(), time.January) - 1
)

// levelKey returns nil for a key a valid record may have, and otherwise every problem of it,
// as [level.MemoryHistory.Get] reports them.
func levelKey(market affrules.MarketCode, creator string, m affrules.Month) error {
	if market != "" && bounds.IDOK(creator) && minLevelMonth <= m && m <= maxLevelMonth {
		return nil
	}
	l := fielderr.For("level")
	if market == "" {
		l.Add("market", market, "must not be empty")
	}
	l.Append(bounds.ID("level", "creator", creator))
	if m < minLevelMonth || m > maxLevelMonth {
		l.Add("month", m, "must be a month of the years %d to %d: %w",
			bounds.MinInstant.Year(), bounds.MaxInstant.Year()-1, affrules.ErrOutOfRange)
	}
	return l.Err()
}

// firstDay returns m's first day, the value of the month column.
func firstDay(m affrules.Month) time.Time {
	y, mo := m.Date()
	return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
}

// Put implements [level.History.Put]: a record that fails [level.Record.Validate] is an error
// and stores nothing; otherwise one upsert stores it, replacing the level stored for its key.
func (s *levels) Put(ctx context.Context, r level.Record) error {
	if err := usable(ctx, s.pool); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if err := storableText("level", "record", r); err != nil {
		return err
	}
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO affrules_levels (market, creator, month, level) VALUES ($1, $2, $3, $4)
			ON CONFLICT (market, creator, month) DO UPDATE SET level = EXCLUDED.level`,
			string(r.Market), r.Creator, firstDay(r.Month), int16(r.Level))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put level of %s in %s for %s: %w", quoted(r.Creator), r.Market, r.Month, err)
	}
	return nil
}

// Get implements [level.History.Get]; an empty market, a creator that is not in the library's
// storable form (empty, longer than 256 bytes, an ASCII control character, not UTF-8), or a
// month outside the years 1900 to 2199, is an error, as for [level.MemoryHistory].
func (s *levels) Get(ctx context.Context, market affrules.MarketCode, creator string, m affrules.Month) (level.Level, bool, error) {
	if err := usable(ctx, s.pool); err != nil {
		return level.L0, false, err
	}
	if err := levelKey(market, creator, m); err != nil {
		return level.L0, false, err
	}
	if !textOK(creator) || !textOK(string(market)) {
		return level.L0, false, nil // nothing stored has such a creator or market
	}
	var l int16
	err := s.pool.QueryRow(ctx, `SELECT level FROM affrules_levels WHERE market = $1 AND creator = $2 AND month = $3`,
		string(market), creator, firstDay(m)).Scan(&l)
	if errors.Is(err, pgx.ErrNoRows) {
		return level.L0, false, nil
	}
	if err != nil {
		return level.L0, false, fmt.Errorf("postgres: get level of %s in %s for %s: %w", quoted(creator), market, m, err)
	}
	lv := level.Level(l)
	if !lv.Valid() {
		return level.L0, false, fmt.Errorf("postgres: get level of %s in %s for %s: stored level %d out of range", quoted(creator), market, m, l)
	}
	return lv, true, nil
}
