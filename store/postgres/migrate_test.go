package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules/store/postgres"
)

// versions returns the schema versions recorded in pool's schema.
func versions(t *testing.T, pool *pgxpool.Pool) []int {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT version FROM affrules_schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read versions: %v", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("read versions: %v", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read versions: %v", err)
	}
	return out
}

// wantAllVersions checks that pool's schema records versions 1 … SchemaVersion once each.
func wantAllVersions(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	got := versions(t, pool)
	if len(got) != postgres.SchemaVersion {
		t.Fatalf("versions %v, want 1 … %d", got, postgres.SchemaVersion)
	}
	for i, v := range got {
		if v != i+1 {
			t.Fatalf("versions %v, want 1 … %d", got, postgres.SchemaVersion)
		}
	}
}

func TestMigrateTwice(t *testing.T) {
	pool := newSchema(t)
	ctx := context.Background()
	for i := range 2 {
		if err := postgres.Migrate(ctx, pool); err != nil {
			t.Fatalf("Migrate, run %d: %v", i+1, err)
		}
	}
	wantAllVersions(t, pool)
}

func TestMigrateConcurrently(t *testing.T) {
	pool := newSchema(t)
	ctx := context.Background()
	// Two pools stand for two processes: neither shares a connection with the other.
	other, err := pgxpool.NewWithConfig(ctx, pool.Config())
	if err != nil {
		t.Fatalf("open second pool: %v", err)
	}
	defer other.Close()
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		p := pool
		if i%2 == 1 {
			p = other
		}
		wg.Go(func() { errs[i] = postgres.Migrate(ctx, p) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}
	wantAllVersions(t, pool)
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	newer := postgres.SchemaVersion + 1
	if _, err := pool.Exec(ctx, `INSERT INTO affrules_schema_migrations (version, name) VALUES ($1, 'from a newer release')`, newer); err != nil {
		t.Fatalf("record a newer version: %v", err)
	}
	err := postgres.Migrate(ctx, pool)
	if !errors.Is(err, postgres.ErrSchemaTooNew) {
		t.Fatalf("Migrate of a newer schema: error %v, want one wrapping ErrSchemaTooNew", err)
	}
	var sv *postgres.SchemaVersionError
	if !errors.As(err, &sv) || sv.Database != newer || sv.Known != postgres.SchemaVersion {
		t.Errorf("Migrate of a newer schema: error %#v, want a *SchemaVersionError{Database: %d, Known: %d}", err, newer, postgres.SchemaVersion)
	}
	if got := versions(t, pool); len(got) != newer {
		t.Errorf("versions after the refusal %v, want them unchanged", got)
	}
}

// TestMigrateFromVersion1 brings a database at schema version 1, holding data, to the latest
// version, keeping the data.
func TestMigrateFromVersion1(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	// Back to version 1: drop what the later migrations created.
	if _, err := pool.Exec(ctx, `DROP TABLE affrules_levels, affrules_offers, affrules_offer_products, affrules_commission_records,
		affrules_invitations, affrules_invitation_accounts;
		DELETE FROM affrules_schema_migrations WHERE version > 1`); err != nil {
		t.Fatalf("back to version 1: %v", err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO affrules_sample_creators (creator) VALUES ('c1')`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatalf("Migrate from version 1: %v", err)
	}
	wantAllVersions(t, pool)
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM affrules_sample_creators`).Scan(&n); err != nil || n != 1 {
		t.Errorf("data of version 1 after the migration: %d rows, %v; want 1", n, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM affrules_levels`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a table of version 2 after the migration: %d rows, %v; want 0", n, err)
	}
}
