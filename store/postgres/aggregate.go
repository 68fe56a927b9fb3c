package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// aggregateTable is a table holding one JSON aggregate per row, keyed by id, beside its market
// and the instant of its last change: the campaigns and the Collaboration Plus seller records.
type aggregateTable[T any] struct {
	pool     *pgxpool.Pool
	table    string // a constant of this package, never input
	noun     string // "campaign", "seller": what error messages call a row
	pkg      string // the domain package, whose errors report unstorable text
	notFound func(id string) error
	// key returns the market and last-change instant of an aggregate, for their columns.
	key func(T) (market string, updated time.Time)
}

// apply locks the row of id, decodes its aggregate, applies change and writes the result, in
// one transaction; the error change returns (the rules' or a sentinel's) is returned as it is,
// a database's wrapped.
func (g aggregateTable[T]) apply(ctx context.Context, id string, change func(T) (T, error)) (T, error) {
	var zero T
	if err := usable(ctx, g.pool); err != nil {
		return zero, err
	}
	if !textOK(id) {
		return zero, g.notFound(id) // nothing stored has such an ID
	}
	var data []byte
	var domain bool // the error, if any, is the rules' or the sentinel's, not the database's
	err := inTx(ctx, g.pool, func(tx pgx.Tx) error {
		domain = false
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT data FROM `+g.table+` WHERE id = $1 FOR UPDATE`, id).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) {
			domain = true
			return g.notFound(id)
		}
		if err != nil {
			return err
		}
		v, err := g.decode(stored)
		if err != nil {
			return err
		}
		n, err := change(v)
		if err == nil {
			err = storableText(g.pkg, g.noun, n)
		}
		if err != nil {
			domain = true
			return err
		}
		if data, err = encode(n); err != nil {
			return fmt.Errorf("encode %s: %w", g.noun, err)
		}
		market, updated := g.key(n)
		_, err = tx.Exec(ctx, `UPDATE `+g.table+` SET market = $2, updated = $3, data = $4 WHERE id = $1`, id, market, updated, data)
		return err
	})
	if err != nil {
		if domain {
			return zero, err
		}
		return zero, fmt.Errorf("postgres: apply to %s %s: %w", g.noun, quoted(id), err)
	}
	return g.decode(data)
}

// get reads the aggregate of id.
func (g aggregateTable[T]) get(ctx context.Context, id string) (T, error) {
	var zero T
	if err := usable(ctx, g.pool); err != nil {
		return zero, err
	}
	if !textOK(id) {
		return zero, g.notFound(id) // nothing stored has such an ID
	}
	var data []byte
	err := g.pool.QueryRow(ctx, `SELECT data FROM `+g.table+` WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, g.notFound(id)
	}
	if err != nil {
		return zero, fmt.Errorf("postgres: read %s %s: %w", g.noun, quoted(id), err)
	}
	return g.decode(data)
}

// decode decodes an aggregate stored as JSON.
func (g aggregateTable[T]) decode(data []byte) (T, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		var zero T
		return zero, fmt.Errorf("postgres: decode %s: %w", g.noun, err)
	}
	return v, nil
}
