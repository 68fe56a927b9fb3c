package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/fielderr"
)

// records is the [commission.RecordStore] [Records] returns.
type records struct {
	pool *pgxpool.Pool
}

// Records returns the [commission.RecordStore] kept in pool's database, which [Migrate] has
// prepared: a row per record, locked while an event is applied to it.
func Records(pool *pgxpool.Pool) commission.RecordStore { return &records{pool: pool} }

// money returns m as a decimal string with its minor unit's places, the value of a numeric
// column.
func money(m commission.Money) string { return m.Decimal().StringFixed(m.Places) }

// Create implements [commission.RecordStore.Create]: s.Check checks r; an insert that meets a
// stored record returns it if it records the same commission, and is an error wrapping
// [commission.ErrConflict] otherwise.
func (st *records) Create(ctx context.Context, s commission.Settlement, r commission.Record) (commission.Record, error) {
	if err := usable(ctx, st.pool); err != nil {
		return commission.Record{}, err
	}
	if err := s.Check(r); err != nil {
		return commission.Record{}, err
	}
	if err := storableText("commission", "record", r); err != nil {
		return commission.Record{}, err
	}
	data, err := encode(r)
	if err != nil {
		return commission.Record{}, fmt.Errorf("postgres: encode record %s: %w", quoted(r.ID), err)
	}
	var conflict bool
	err = inTx(ctx, st.pool, func(tx pgx.Tx) error {
		conflict = false
		tag, err := tx.Exec(ctx, `INSERT INTO affrules_commission_records
			(id, market, creator, offer, source, state, currency, earned, refunded, amount, partner, creator_amount, ordered_at, due_at, closed_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, $15)
			ON CONFLICT (id) DO NOTHING`,
			r.ID, string(r.Market), r.CreatorID, r.OfferID, r.Source.String(), r.State.String(), r.Earned.Currency,
			money(r.Earned), money(r.Refunded), money(r.Amount), money(r.Partner), money(r.Creator), r.OrderedAt, r.DueAt, data)
		if err != nil || tag.RowsAffected() == 1 {
			return err
		}
		// The ID is taken: by a record committed before the insert, which waited for it.
		var stored []byte
		err = tx.QueryRow(ctx, `SELECT data FROM affrules_commission_records WHERE id = $1`, r.ID).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) {
			return errRace
		}
		if err != nil {
			return err
		}
		old, err := decodeRecord(stored)
		if err != nil {
			return err
		}
		if !old.SameOrigin(r) {
			conflict = true
		}
		data = stored
		return nil
	})
	if err != nil {
		return commission.Record{}, fmt.Errorf("postgres: create record %s: %w", quoted(r.ID), err)
	}
	if conflict {
		return commission.Record{}, fielderr.New("commission", "record.id", strconv.Quote(r.ID), "%w", commission.ErrConflict)
	}
	return decodeRecord(data)
}

// Apply implements [commission.RecordStore.Apply]: in one transaction it locks the record's
// row, applies s.Apply and writes the result; an event the record already holds writes
// nothing.
func (st *records) Apply(ctx context.Context, s commission.Settlement, ev commission.Event) (commission.Record, error) {
	if err := usable(ctx, st.pool); err != nil {
		return commission.Record{}, err
	}
	if err := s.Validate(); err != nil {
		return commission.Record{}, err
	}
	if !textOK(ev.Record) { // nothing stored has such an ID
		return commission.Record{}, fielderr.New("commission", "event.record", strconv.Quote(ev.Record), "%w", commission.ErrNotFound)
	}
	var out commission.Record
	var domain bool // the error, if any, is the rule's or the sentinel's, not the database's
	err := inTx(ctx, st.pool, func(tx pgx.Tx) error {
		out, domain = commission.Record{}, false
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT data FROM affrules_commission_records WHERE id = $1 FOR UPDATE`, ev.Record).Scan(&stored)
		if errors.Is(err, pgx.ErrNoRows) {
			domain = true
			return fielderr.New("commission", "event.record", strconv.Quote(ev.Record), "%w", commission.ErrNotFound)
		}
		if err != nil {
			return err
		}
		r, err := decodeRecord(stored)
		if err != nil {
			return err
		}
		if err := storableText("commission", "event", ev); err != nil { // after the lookup, as Memory finds no record first
			domain = true
			return err
		}
		if out, err = s.Apply(r, ev); err != nil {
			domain = true
			return err
		}
		if len(out.Events) == len(r.Events) {
			return nil // the event was applied before: nothing changes
		}
		data, err := encode(out)
		if err != nil {
			return fmt.Errorf("encode record: %w", err)
		}
		var closed any
		if !out.ClosedAt.IsZero() {
			closed = out.ClosedAt
		}
		_, err = tx.Exec(ctx, `UPDATE affrules_commission_records SET state = $2, refunded = $3, amount = $4, partner = $5, creator_amount = $6,
			closed_at = $7, data = $8 WHERE id = $1`,
			out.ID, out.State.String(), money(out.Refunded), money(out.Amount), money(out.Partner), money(out.Creator), closed, data)
		return err
	})
	if err != nil {
		if domain {
			return commission.Record{}, err
		}
		return commission.Record{}, fmt.Errorf("postgres: apply event %s to record %s: %w", quoted(ev.ID), quoted(ev.Record), err)
	}
	return out, nil
}

// Record implements [commission.RecordStore.Record].
func (st *records) Record(ctx context.Context, id string) (commission.Record, error) {
	if err := usable(ctx, st.pool); err != nil {
		return commission.Record{}, err
	}
	if !textOK(id) { // nothing stored has such an ID
		return commission.Record{}, fielderr.New("commission", "record.id", strconv.Quote(id), "%w", commission.ErrNotFound)
	}
	var data []byte
	err := st.pool.QueryRow(ctx, `SELECT data FROM affrules_commission_records WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return commission.Record{}, fielderr.New("commission", "record.id", strconv.Quote(id), "%w", commission.ErrNotFound)
	}
	if err != nil {
		return commission.Record{}, fmt.Errorf("postgres: read record %s: %w", quoted(id), err)
	}
	return decodeRecord(data)
}

func decodeRecord(data []byte) (commission.Record, error) {
	var r commission.Record
	if err := json.Unmarshal(data, &r); err != nil {
		return commission.Record{}, fmt.Errorf("postgres: decode record: %w", err)
	}
	return r, nil
}
