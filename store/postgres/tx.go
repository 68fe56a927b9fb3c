package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/cut"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxAttempts bounds how many times a transaction failing with a serialization failure or a
// deadlock is run.
const maxAttempts = 5

// errRace ends a transaction that lost a race: a row it found missing was inserted by another
// transaction before it could insert it. Running it again reads that row.
var errRace = errors.New("postgres: row inserted by a concurrent transaction")

// retryable reports whether err is a serialization failure (40001), a deadlock (40P01) or
// [errRace], after which the whole transaction can be run again.
func retryable(err error) bool {
	if errors.Is(err, errRace) {
		return true
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// uniqueViolation reports whether err is a unique constraint violation (23505).
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// ErrNoPool reports an adapter or a Migrate call given no database pool.
var ErrNoPool = errors.New("postgres: no database pool: open one with pgxpool.New and pass it to the adapter")

// usable returns the context's error, or ErrNoPool for a nil pool: every adapter method checks it
// first, so a host that forgot the pool gets an error, not a nil-pointer panic.
func usable(ctx context.Context, pool *pgxpool.Pool) error {
	if pool == nil {
		return ErrNoPool
	}
	if err := ctxerr.Of("postgres", ctx); err != nil {
		return err // errors.Is still finds context.Canceled
	}
	return nil
}

// inTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise. A
// serialization failure, deadlock or lost race runs it again, up to maxAttempts times in all,
// after a short pause; the last such error is then reported. Any other error of fn is returned
// as is.
//
// ctx bounds fn's statements, not the COMMIT: once fn has succeeded, the commit runs to its end
// (within commitGrace), so that a context ending while the database commits never reports an
// error for a change that was stored, which the host would then retry (a second invitation, a
// request refused as its own duplicate). Every adapter promises that an error stores nothing.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err = runTx(ctx, pool, fn); err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 5 * time.Millisecond):
		}
	}
	return fmt.Errorf("postgres: transaction failed %d times: %w", maxAttempts, err)
}

// commitGrace bounds a COMMIT, which inTx runs whatever the caller's context says by then: long
// enough for a slow disk or a synchronous replica, short enough that a dead server is reported.
var commitGrace = 30 * time.Second // a variable for the test of a slow transaction

// runTx is one attempt of inTx.
func runTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	// Rolled back on every way out but a commit, a panic in fn included (as pgx.BeginFunc
	// does): the connection goes back to the pool and its row locks are released. After a
	// commit, Rollback does nothing.
	defer func() {
		detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitGrace)
		defer cancel()
		_ = tx.Rollback(detached)
	}()
	if err := fn(tx); err != nil {
		return err // the error reported is fn's
	}
	// The grace runs from here: fn's statements are ctx's to bound.
	detached, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitGrace)
	defer cancel()
	return tx.Commit(detached)
}

// quoted is an ID or key as an error names it: quoted, and cut to its first 64 characters and
// its length past 300 bytes, so that a database failure never puts megabytes of input in an
// error.
func quoted(s string) string { return cut.Value(strconv.Quote(s)) }
