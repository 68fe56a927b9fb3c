package postgres

import (
	"context"
	"encoding/json"
	"errors"
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
}

// Campaigns returns the [campaign.Store] kept in pool's database, which [Migrate] has
// prepared: a row per campaign, locked while an action is applied to it.
func Campaigns(pool *pgxpool.Pool) campaign.Store { return &campaigns{pool: pool} }

func campaignNotFound(id string) error {
	return fielderr.New("campaign", "campaign.id", strconv.Quote(id), "%w", campaign.ErrNotFound)
}

// Create implements [campaign.Store.Create]: e.Create builds the campaign, and an insert that
// meets a stored ID is an error wrapping [campaign.ErrConflict].
func (s *campaigns) Create(ctx context.Context, e *campaign.Evaluator, c campaign.Campaign, at time.Time) (campaign.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return campaign.Campaign{}, err
	}
	n, err := e.Create(c, at)
	if err != nil {
		return campaign.Campaign{}, err
	}
	data, err := json.Marshal(n)
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("postgres: encode campaign %q: %w", n.ID, err)
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
		return campaign.Campaign{}, fmt.Errorf("postgres: create campaign %q: %w", n.ID, err)
	}
	return decodeCampaign(data)
}

// Apply implements [campaign.Store.Apply]: in one transaction it locks the campaign's row,
// applies e.Apply and writes the result.
func (s *campaigns) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return campaign.Campaign{}, err
	}
	var data []byte
	var domain bool // the error, if any, is the rules' or the sentinel's, not the database's
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		domain = false
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT data FROM affrules_campaigns WHERE id = $1 FOR UPDATE`, id).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) {
			domain = true
			return campaignNotFound(id)
		}
		if err != nil {
			return err
		}
		c, err := decodeCampaign(stored)
		if err != nil {
			return err
		}
		n, err := e.Apply(c, a, at)
		if err != nil {
			domain = true
			return err
		}
		if data, err = json.Marshal(n); err != nil {
			return fmt.Errorf("encode campaign: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE affrules_campaigns SET market = $2, updated = $3, data = $4 WHERE id = $1`,
			id, string(n.Market), n.Updated, data)
		return err
	})
	if err != nil {
		if domain {
			return campaign.Campaign{}, err
		}
		return campaign.Campaign{}, fmt.Errorf("postgres: apply to campaign %q: %w", id, err)
	}
	return decodeCampaign(data)
}

// Campaign implements [campaign.Store.Campaign].
func (s *campaigns) Campaign(ctx context.Context, id string) (campaign.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return campaign.Campaign{}, err
	}
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM affrules_campaigns WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return campaign.Campaign{}, campaignNotFound(id)
	}
	if err != nil {
		return campaign.Campaign{}, fmt.Errorf("postgres: read campaign %q: %w", id, err)
	}
	return decodeCampaign(data)
}

// Campaigns implements [campaign.Store.Campaigns]; IDs are ordered by their bytes, as Go
// orders strings.
func (s *campaigns) Campaigns(ctx context.Context, m affrules.MarketCode) ([]campaign.Campaign, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
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
		c, err := decodeCampaign(data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeCampaign(data []byte) (campaign.Campaign, error) {
	var c campaign.Campaign
	if err := json.Unmarshal(data, &c); err != nil {
		return campaign.Campaign{}, fmt.Errorf("postgres: decode campaign: %w", err)
	}
	return c, nil
}
