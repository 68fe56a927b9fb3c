package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrSchemaTooNew reports a database whose schema was migrated by a newer version of this
// package than the running one; [Migrate] wraps it in a [*SchemaVersionError].
var ErrSchemaTooNew = errors.New("postgres: database schema is newer than this package")

// SchemaVersionError reports a database schema at version Database, newer than the latest
// version Known this package can migrate to. It wraps [ErrSchemaTooNew].
type SchemaVersionError struct {
	Database, Known int
}

// Error names both schema versions and says to upgrade the package.
func (e *SchemaVersionError) Error() string {
	return fmt.Sprintf("postgres: database schema is at version %d, newer than version %d, the latest this package knows: upgrade github.com/affrules/affrules/store/postgres", e.Database, e.Known)
}

// Unwrap returns [ErrSchemaTooNew].
func (e *SchemaVersionError) Unwrap() error { return ErrSchemaTooNew }

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded migration: migrations/NNNN_name.sql is version NNNN.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations by version, checking that the versions run 1, 2,
// 3 … without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %s: name does not start with a version number", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %s: version %d, want %d", m.name, m.version, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this package migrates a database to: the number of
// its embedded migrations, which run 1 … SchemaVersion.
const SchemaVersion = 4

// Migrate brings the schema of pool's database, in the first schema of the connections'
// search_path that exists (see the package doc), to [SchemaVersion] by applying the embedded migrations it lacks, in one
// transaction. It is idempotent, and safe when several processes call it at once: the
// transaction holds a transaction-level advisory lock for the schema, so one applies the
// migrations and the others then find nothing to do. A database at a newer version than this
// package knows is refused with a [*SchemaVersionError] and left unchanged.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if err := usable(ctx, pool); err != nil {
		return err
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	if len(ms) != SchemaVersion {
		return fmt.Errorf("postgres: %d embedded migrations, want SchemaVersion, %d", len(ms), SchemaVersion)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('affrules/store/postgres migrate ' || coalesce(current_schema(), ''), 0))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS affrules_schema_migrations (
			version integer     PRIMARY KEY,
			name    text        NOT NULL,
			applied timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM affrules_schema_migrations`).Scan(&current); err != nil {
			return err
		}
		if current > len(ms) {
			return &SchemaVersionError{Database: current, Known: len(ms)}
		}
		for _, m := range ms[current:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO affrules_schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
	var sv *SchemaVersionError
	if err != nil && !errors.As(err, &sv) {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return err
}
