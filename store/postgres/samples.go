package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/sample"
)

// samples is the [sample.Ledger] [Samples] returns.
type samples struct {
	pool *pgxpool.Pool
}

// Samples returns the [sample.Ledger] kept in pool's database, which [Migrate] has prepared: a
// row per request, and the rows a request locks while the ledger reads its [sample.History]
// and records it: the creator's, then, for a campaign request, the counter of the product's
// automatic approvals in that campaign.
func Samples(pool *pgxpool.Pool) sample.Ledger { return &samples{pool: pool} }

// errDenied ends the transaction of a denied request, recording nothing.
var errDenied = errors.New("postgres: request denied")

func requestNotFound(id string) error {
	return fielderr.New("sample", "request.id", strconv.Quote(id), "%w", sample.ErrNotFound)
}

func requestConflict(id string) error {
	return fielderr.New("sample", "request.id", strconv.Quote(id), "%w", sample.ErrConflict)
}

// requestHeld reports whether a request is stored under id.
func requestHeld(ctx context.Context, tx pgx.Tx, id string) (bool, error) {
	var held bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM affrules_sample_requests WHERE id = $1)`, id).Scan(&held)
	return held, err
}

// keysStorable reports whether the keys of req that Request writes to indexes before deciding
// (its creator, and a campaign request's seller, context, product and market) are IDs the rules
// accept, or, for the market, text no longer than an ID.
func keysStorable(req sample.Request) bool {
	return bounds.IDOK(req.Creator) && bounds.IDOK(req.Seller) && bounds.IDOK(req.Product) && (req.Context == "" || bounds.IDOK(req.Context)) &&
		bounds.IDOK(string(req.Market)) // no registered market is longer than an ID
}

// lockCreator locks the row of creator, creating it if needed.
func lockCreator(ctx context.Context, tx pgx.Tx, creator string) error {
	_, err := tx.Exec(ctx, `INSERT INTO affrules_sample_creators (creator) VALUES ($1)
		ON CONFLICT (creator) DO UPDATE SET creator = EXCLUDED.creator`, creator)
	return err
}

// Request implements [sample.Ledger.Request]. In one transaction it locks the creator's row
// and, for a campaign request, the product's counter in that campaign (always in that order, so
// two requests never wait for each other), builds the [sample.History] from what they guard,
// decides with rule.Decide and records an allowed request.
func (s *samples) Request(ctx context.Context, rule sample.Rule, req sample.Request, f sample.Facts, at time.Time) (sample.Request, affrules.Decision, error) {
	if err := usable(ctx, s.pool); err != nil {
		return sample.Request{}, affrules.Decision{}, err
	}
	if err := storableText("sample", "request", req); err != nil {
		return sample.Request{}, affrules.Decision{}, err
	}
	var (
		out    sample.Request
		d      affrules.Decision
		domain bool // the error, if any, is the rules' or the sentinel's, not the database's
	)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		out, d, domain = sample.Request{}, affrules.Decision{}, false
		if req.ID != "" { // before any lock, as sample.Memory: a request under a held ID conflicts
			if held, err := requestHeld(ctx, tx, req.ID); err != nil || held {
				domain = err == nil
				return cmp.Or(err, requestConflict(req.ID))
			}
		}
		if !keysStorable(req) {
			// A key the indexes below cannot hold (an ID over 256 bytes, say) is the rules' bad
			// input, reported as Decide reports it, before any row is written.
			if _, _, err := rule.Decide(sample.History{}, req, f, at); err != nil {
				domain = true
				return err
			}
		}
		if err := lockCreator(ctx, tx, req.Creator); err != nil {
			return err
		}
		if req.ID != "" { // again under the lock: a request under the ID by the same creator may have been recorded since
			if held, err := requestHeld(ctx, tx, req.ID); err != nil || held {
				domain = err == nil
				return cmp.Or(err, requestConflict(req.ID))
			}
		}
		var h sample.History
		if req.Source == sample.Campaign {
			err := tx.QueryRow(ctx, `INSERT INTO affrules_sample_quantities AS q (seller, context, product, market) VALUES ($1, $2, $3, $4)
				ON CONFLICT (seller, context, product, market) DO UPDATE SET auto = q.auto RETURNING q.auto`,
				req.Seller, req.Context, req.Product, string(req.Market)).Scan(&h.AutoApproved)
			if err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT data FROM affrules_sample_requests WHERE creator = $1 AND market = $2 ORDER BY seq`,
			req.Creator, string(req.Market))
		if err != nil {
			return err
		}
		held, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		mine := make([]sample.Request, 0, len(held))
		for _, data := range held {
			x, err := decodeRequest(data)
			if err != nil {
				return err
			}
			mine = append(mine, x)
		}
		auto := h.AutoApproved
		h = rule.History(req, mine, at)
		h.AutoApproved = auto
		var derr error
		out, d, derr = rule.Decide(h, req, f, at)
		if derr != nil {
			domain = true
			return derr
		}
		if !d.Allowed {
			return errDenied
		}
		data, err := encode(out)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO affrules_sample_requests (id, creator, seller, product, market, source, context, asked, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			out.ID, out.Creator, out.Seller, out.Product, string(out.Market), out.Source.String(), out.Context, out.Events[0].At, data)
		if uniqueViolation(err) {
			// Another request under the ID was recorded since the check above: a conflict,
			// not the decision made before it, as when the check finds it.
			d, domain = affrules.Decision{}, true
			return requestConflict(out.ID)
		}
		if err != nil {
			return err
		}
		if out.Source == sample.Campaign && len(out.Events) > 1 && out.Events[1].Kind == sample.Approved {
			_, err = tx.Exec(ctx, `UPDATE affrules_sample_quantities SET auto = auto + 1 WHERE seller = $1 AND context = $2 AND product = $3 AND market = $4`,
				req.Seller, req.Context, req.Product, string(req.Market))
		}
		return err
	})
	switch {
	case errors.Is(err, errDenied):
		return sample.Request{}, d, nil
	case err != nil && domain:
		return sample.Request{}, d, err
	case err != nil:
		return sample.Request{}, affrules.Decision{}, fmt.Errorf("postgres: request %s: %w", quoted(req.ID), err)
	}
	return out, d, nil
}

// Record implements [sample.Ledger.Record]. In one transaction it locks the creator's row, as
// Request does, then the request's, records the event by rule.Record and writes the request.
func (s *samples) Record(ctx context.Context, rule sample.Rule, id string, k sample.EventKind, at time.Time) (sample.Request, error) {
	if err := usable(ctx, s.pool); err != nil {
		return sample.Request{}, err
	}
	if !textOK(id) {
		return sample.Request{}, requestNotFound(id) // nothing stored has such an ID
	}
	var (
		out    sample.Request
		domain bool // the error, if any, is the rules' or the sentinel's, not the database's
	)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		out, domain = sample.Request{}, false
		var creator string
		err := tx.QueryRow(ctx, `SELECT creator FROM affrules_sample_requests WHERE id = $1`, id).Scan(&creator)
		if errors.Is(err, pgx.ErrNoRows) {
			domain = true
			return requestNotFound(id)
		}
		if err != nil {
			return err
		}
		if err := lockCreator(ctx, tx, creator); err != nil {
			return err
		}
		var stored []byte
		if err := tx.QueryRow(ctx, `SELECT data FROM affrules_sample_requests WHERE id = $1 FOR UPDATE`, id).Scan(&stored); err != nil {
			return err
		}
		x, err := decodeRequest(stored)
		if err != nil {
			return err
		}
		// The creator's other requests for the product, for the order of their events.
		rows, err := tx.Query(ctx, `SELECT data FROM affrules_sample_requests WHERE creator = $1 AND id <> $2 ORDER BY seq`, creator, id)
		if err != nil {
			return err
		}
		held, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		var mine []sample.Request
		for _, data := range held {
			y, err := decodeRequest(data)
			if err != nil {
				return err
			}
			if y.Product == x.Product {
				mine = append(mine, y)
			}
		}
		if out, err = rule.RecordAmong(mine, x, k, at); err != nil {
			domain = true
			return err
		}
		data, err := encode(out)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE affrules_sample_requests SET data = $2 WHERE id = $1`, id, data)
		return err
	})
	if err != nil {
		if domain {
			return sample.Request{}, err
		}
		return sample.Request{}, fmt.Errorf("postgres: record on request %s: %w", quoted(id), err)
	}
	return out, nil
}

// Requests implements [sample.Ledger.Requests]: the creator's requests by the instant they were
// asked, those asked at the same instant in the order they were recorded.
func (s *samples) Requests(ctx context.Context, creator string) ([]sample.Request, error) {
	if err := usable(ctx, s.pool); err != nil {
		return nil, err
	}
	if !textOK(creator) {
		return []sample.Request{}, nil // nothing stored has such a creator; empty, as Memory's
	}
	rows, err := s.pool.Query(ctx, `SELECT data FROM affrules_sample_requests WHERE creator = $1 ORDER BY seq`, creator)
	if err != nil {
		return nil, fmt.Errorf("postgres: requests of %s: %w", quoted(creator), err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("postgres: requests of %s: %w", quoted(creator), err)
	}
	out := make([]sample.Request, 0, len(all))
	for _, data := range all {
		x, err := decodeRequest(data)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	// Sorted here rather than by the asked column, which keeps microseconds only.
	slices.SortStableFunc(out, func(a, b sample.Request) int { return a.Events[0].At.Compare(b.Events[0].At) })
	return out, nil
}

func decodeRequest(data []byte) (sample.Request, error) {
	var r sample.Request
	if err := json.Unmarshal(data, &r); err != nil {
		return sample.Request{}, fmt.Errorf("postgres: decode request: %w", err)
	}
	if len(r.Events) == 0 {
		return sample.Request{}, errors.New("postgres: decode request: no events")
	}
	return r, nil
}
