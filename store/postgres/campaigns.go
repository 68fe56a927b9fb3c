package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/internal/fielderr"
)

// campaigns is the [campaign.Store] [Campaigns] returns.
type campaigns struct {
	pool *pgxpool.Pool
	rows aggregateTable[campaign.Campaign]
}

// Campaigns returns the [campaign.Store] kept in pool's database, which [Migrate] has
// prepared: a row per campaign, locked while an action is applied to it.
func Campaigns(pool *pgxpool.Pool) campaign.Store {
	return &campaigns{pool: pool, rows: aggregateTable[campaign.Campaign]{pool: pool, table: "affrules_campaigns", noun: "campaign", pkg: "campaign",
		notFound: campaignNotFound, key: func(c campaign.Campaign) (string, time.Time) { return string(c.Market), c.Updated }}}
}

func campaignNotFound(id string) error {
	return fielderr.New("campaign", "campaign.id", strconv.Quote(id), "%w", campaign.ErrNotFound)
}

// Create implements [campaign.Store.Create]: e.Create builds the campaign, and an insert that
// meets a stored ID is an error wrapping [campaign.ErrConflict].
func (s *campaigns) Create(ctx context.Context, e *campaign.Evaluator, c campaign.Campaign, at time.Time) (campaign.Campaign, error) {
	if err := usable(ctx, s.pool); err != nil {
		return campaign.Campaign{}, err
	}
	n, err := e.Create(c, at)
	if err == nil {
		err = storableText("campaign", "campaign", n)
	}
	if err != nil {
		return campaign.Campaign{}, err
	}
	data, err := encode(n)
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("postgres: encode campaign %s: %w", quoted(n.ID), err)
	}
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO affrules_campaigns (id, market, created, updated, data) VALUES ($1, $2, $3, $4, $5)`,
			n.ID, string(n.Market), n.Created, n.Updated, data)
		return err
	})
	if uniqueViolation(err) {
		return campaign.Campaign{}, fielderr.New("campaign", "campaign.id", strconv.Quote(n.ID), "%w", campaign.ErrConflict)
	}
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("postgres: create campaign %s: %w", quoted(n.ID), err)
	}
	return s.rows.decode(data)
}

// Apply implements [campaign.Store.Apply]: in one transaction it locks the campaign's row,
// applies e.Apply and writes the result.
func (s *campaigns) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	return s.rows.apply(ctx, id, func(c campaign.Campaign) (campaign.Campaign, error) { return e.Apply(c, a, at) })
}

// Campaign implements [campaign.Store.Campaign].
func (s *campaigns) Campaign(ctx context.Context, id string) (campaign.Campaign, error) {
	return s.rows.get(ctx, id)
}

// Campaigns implements [campaign.Store.Campaigns]; IDs are ordered by their bytes, as Go
// orders strings.
func (s *campaigns) Campaigns(ctx context.Context, m affrules.MarketCode) ([]campaign.Campaign, error) {
	if err := usable(ctx, s.pool); err != nil {
		return nil, err
	}
	if _, err := affrules.LookupMarket(m); m != "" && err != nil { // as campaign.Memory
		return nil, fielderr.New("campaign", "market", strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
	}
	if !textOK(string(m)) {
		return nil, nil // no campaign is in such a market
	}
	rows, err := s.pool.Query(ctx, `SELECT data FROM affrules_campaigns WHERE $1 = '' OR market = $1 ORDER BY id COLLATE "C"`, string(m))
	if err != nil {
		return nil, fmt.Errorf("postgres: list campaigns: %w", err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("postgres: list campaigns: %w", err)
	}
	var out []campaign.Campaign
	for _, data := range all {
		c, err := s.rows.decode(data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
