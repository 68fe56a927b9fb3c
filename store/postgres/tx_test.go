package postgres

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// testDB returns the test database's connection string, skipping the test when
// AFFRULES_POSTGRES is unset.
func testDB(t *testing.T) string {
	t.Helper()
	url := os.Getenv("AFFRULES_POSTGRES")
	if url == "" {
		t.Skip("AFFRULES_POSTGRES is not set: set it to a PostgreSQL connection string, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run the store tests")
	}
	return url
}

// testPool returns a pool on the test database, closed when the test ends.
func testPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), testDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestInTxRetries(t *testing.T) {
	ctx := context.Background()
	pool := testPool(t)

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
	err := inTx(ctx, pool, func(tx pgx.Tx) error { attempts++; return fail(tx, "23505") })
	if err == nil || attempts != 1 {
		t.Errorf("another error: %v after %d attempts, want it reported after 1", err, attempts)
	}
}

// A panic inside a transaction rolls it back, as pgx.BeginFunc does: the connection returns to
// the pool and its row locks are released, so a host that recovers the panic is not left with a
// pool short of a connection and rows locked for good.
func TestInTxPanicRollsBack(t *testing.T) {
	url := testDB(t)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Closed only when every connection is back: Close waits for them.
	defer func() {
		if pool.Stat().AcquiredConns() == 0 {
			pool.Close()
		}
	}()
	table := "affrules_panic_probe_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := pool.Exec(ctx, `CREATE TABLE `+table+` (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	defer func() {
		conn, err := pgx.Connect(ctx, url) // the pool may be short of a connection
		if err == nil {                    // not waiting on a lock a leaked transaction holds
			conn.Exec(ctx, `SET lock_timeout = '1s'`)
			conn.Exec(ctx, `DROP TABLE `+table)
			conn.Close(ctx)
		}
	}()
	if _, err := pool.Exec(ctx, `INSERT INTO `+table+` VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = inTx(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT id FROM `+table+` WHERE id = 1 FOR UPDATE`); err != nil {
				return err
			}
			panic("inside the transaction")
		})
	}()
	if n := pool.Stat().AcquiredConns(); n != 0 {
		t.Fatalf("%d connections still acquired after the panic, holding the row's lock", n)
	}
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := inTx(short, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(short, `SELECT id FROM `+table+` WHERE id = 1 FOR UPDATE`)
		return err
	}); err != nil {
		t.Errorf("locking the row again: %v; the panicked transaction still holds it", err)
	}
}

// The commit's grace runs from the end of the transaction's statements: a transaction longer than
// the grace, under a context without a deadline, commits.
func TestInTxLongerThanCommitGrace(t *testing.T) {
	ctx := context.Background()
	pool := testPool(t)
	grace := commitGrace
	commitGrace = 100 * time.Millisecond
	defer func() { commitGrace = grace }()
	if err := inTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SELECT pg_sleep(0.3)`)
		return err
	}); err != nil {
		t.Errorf("a transaction of 300 ms with a commit grace of 100 ms: %v", err)
	}
}

// An ID a database failure names is quoted, and cut past 300 bytes: the error never carries
// megabytes of input.
func TestQuoted(t *testing.T) {
	if got := quoted("r-1"); got != `"r-1"` {
		t.Errorf("short: %s", got)
	}
	long := strings.Repeat("x", 1<<20)
	if got, want := quoted(long), `"`+strings.Repeat("x", 63)+"… (1048578 bytes)"; got != want {
		t.Errorf("long: %.100s", got)
	}
}
