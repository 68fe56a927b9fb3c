package postgres

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestInTxRetries(t *testing.T) {
	url := os.Getenv("AFFRULES_POSTGRES")
	if url == "" {
		t.Skip("AFFRULES_POSTGRES is not set: set it to a PostgreSQL connection string, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run the store tests")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	// fail raises SQLSTATE code in the transaction, as PostgreSQL does on a serialization
	// failure or a deadlock.
	fail := func(tx pgx.Tx, code string) error {
		_, err := tx.Exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '`+code+`'; END $$`)
		return err
	}
	for _, code := range []string{"40001", "40P01"} {
		attempts := 0
		err := inTx(ctx, pool, func(tx pgx.Tx) error {
			if attempts++; attempts < maxAttempts {
				return fail(tx, code)
			}
			return nil
		})
		if err != nil || attempts != maxAttempts {
			t.Errorf("%s on all but the last attempt: %v after %d attempts, want success after %d", code, err, attempts, maxAttempts)
		}

		attempts = 0
		err = inTx(ctx, pool, func(tx pgx.Tx) error { attempts++; return fail(tx, code) })
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != code || attempts != maxAttempts {
			t.Errorf("%s on every attempt: %v after %d attempts, want the %s reported after %d", code, err, attempts, code, maxAttempts)
		}
	}

	attempts := 0
	err = inTx(ctx, pool, func(tx pgx.Tx) error { attempts++; return fail(tx, "23505") })
	if err == nil || attempts != 1 {
		t.Errorf("another error: %v after %d attempts, want it reported after 1", err, attempts)
	}
}
