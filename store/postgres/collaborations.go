package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/internal/fielderr"
)

// collaborations is the [collabplus.Store] [Collaborations] returns.
type collaborations struct {
	pool *pgxpool.Pool
	rows aggregateTable[collabplus.Seller]
}

// Collaborations returns the [collabplus.Store] kept in pool's database, which [Migrate] has
// prepared: a row per seller record, locked while an action is applied to it.
func Collaborations(pool *pgxpool.Pool) collabplus.Store {
	return &collaborations{pool: pool, rows: aggregateTable[collabplus.Seller]{pool: pool, table: "affrules_collab_sellers", noun: "seller", pkg: "collabplus",
		notFound: sellerNotFound, key: func(s collabplus.Seller) (string, time.Time) { return string(s.Market), s.Updated }}}
}

func sellerNotFound(id string) error {
	return fielderr.New("collabplus", "seller.id", strconv.Quote(id), "%w", collabplus.ErrNotFound)
}

// Create implements [collabplus.Store.Create].
func (s *collaborations) Create(ctx context.Context, r collabplus.Seller) (collabplus.Seller, error) {
	if err := usable(ctx, s.pool); err != nil {
		return collabplus.Seller{}, err
	}
	if err := r.Validate(); err != nil {
		return collabplus.Seller{}, err
	}
	if err := storableText("collabplus", "seller", r); err != nil {
		return collabplus.Seller{}, err
	}
	data, err := encode(r)
	if err != nil {
		return collabplus.Seller{}, fmt.Errorf("postgres: encode seller %s: %w", quoted(r.ID), err)
	}
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO affrules_collab_sellers (id, market, updated, data) VALUES ($1, $2, $3, $4)`,
			r.ID, string(r.Market), r.Updated, data)
		return err
	})
	if uniqueViolation(err) {
		return collabplus.Seller{}, fielderr.New("collabplus", "seller.id", strconv.Quote(r.ID), "%w", collabplus.ErrConflict)
	}
	if err != nil {
		return collabplus.Seller{}, fmt.Errorf("postgres: create seller %s: %w", quoted(r.ID), err)
	}
	return s.rows.decode(data)
}

// Apply implements [collabplus.Store.Apply]: in one transaction it locks the seller's row,
// applies e.Apply and writes the result.
func (s *collaborations) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	return s.rows.apply(ctx, id, func(r collabplus.Seller) (collabplus.Seller, error) { return e.Apply(r, a, at) })
}

// Seller implements [collabplus.Store.Seller].
func (s *collaborations) Seller(ctx context.Context, id string) (collabplus.Seller, error) {
	return s.rows.get(ctx, id)
}
