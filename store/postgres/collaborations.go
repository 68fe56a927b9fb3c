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

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/internal/fielderr"
)

// collaborations is the [collabplus.Store] [Collaborations] returns.
type collaborations struct {
	pool *pgxpool.Pool
}

// Collaborations returns the [collabplus.Store] kept in pool's database, which [Migrate] has
// prepared: a row per seller record, locked while an action is applied to it.
func Collaborations(pool *pgxpool.Pool) collabplus.Store { return &collaborations{pool: pool} }

func sellerNotFound(id string) error {
	return fielderr.New("collabplus", "seller.id", strconv.Quote(id), "%w", collabplus.ErrNotFound)
}

// Create implements [collabplus.Store.Create].
func (s *collaborations) Create(ctx context.Context, r collabplus.Seller) (collabplus.Seller, error) {
	if err := ctx.Err(); err != nil {
		return collabplus.Seller{}, err
	}
	if r.ID == "" {
		return collabplus.Seller{}, fielderr.New("collabplus", "seller.id", "", "must not be empty: build the record with NewSeller")
	}
	data, err := json.Marshal(r)
	if err != nil {
		return collabplus.Seller{}, fmt.Errorf("postgres: encode seller %q: %w", r.ID, err)
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
		return collabplus.Seller{}, fmt.Errorf("postgres: create seller %q: %w", r.ID, err)
	}
	return decodeSeller(data)
}

// Apply implements [collabplus.Store.Apply]: in one transaction it locks the seller's row,
// applies e.Apply and writes the result.
func (s *collaborations) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	if err := ctx.Err(); err != nil {
		return collabplus.Seller{}, err
	}
	var data []byte
	var domain bool // the error, if any, is the rules' or the sentinel's, not the database's
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		domain = false
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT data FROM affrules_collab_sellers WHERE id = $1 FOR UPDATE`, id).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) {
			domain = true
			return sellerNotFound(id)
		}
		if err != nil {
			return err
		}
		r, err := decodeSeller(stored)
		if err != nil {
			return err
		}
		n, err := e.Apply(r, a, at)
		if err != nil {
			domain = true
			return err
		}
		if data, err = json.Marshal(n); err != nil {
			return fmt.Errorf("encode seller: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE affrules_collab_sellers SET market = $2, updated = $3, data = $4 WHERE id = $1`,
			id, string(n.Market), n.Updated, data)
		return err
	})
	if err != nil {
		if domain {
			return collabplus.Seller{}, err
		}
		return collabplus.Seller{}, fmt.Errorf("postgres: apply to seller %q: %w", id, err)
	}
	return decodeSeller(data)
}

// Seller implements [collabplus.Store.Seller].
func (s *collaborations) Seller(ctx context.Context, id string) (collabplus.Seller, error) {
	if err := ctx.Err(); err != nil {
		return collabplus.Seller{}, err
	}
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM affrules_collab_sellers WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return collabplus.Seller{}, sellerNotFound(id)
	}
	if err != nil {
		return collabplus.Seller{}, fmt.Errorf("postgres: read seller %q: %w", id, err)
	}
	return decodeSeller(data)
}

func decodeSeller(data []byte) (collabplus.Seller, error) {
	var r collabplus.Seller
	if err := json.Unmarshal(data, &r); err != nil {
		return collabplus.Seller{}, fmt.Errorf("postgres: decode seller: %w", err)
	}
	return r, nil
}
