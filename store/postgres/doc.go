// Package postgres keeps the storage interfaces of affrules' domain packages in a PostgreSQL
// database shared by every instance of a host's service.
//
// The host owns a [pgxpool.Pool] and calls [Migrate] once at start-up (every instance may: it
// is idempotent and safe to run at once). The tables live in the first schema of the
// connections' search_path, so one database can hold several independent stores, one per
// schema.
//
// Schema changes are versioned SQL files embedded in the package and applied in order by
// [Migrate]; a database migrated by a newer version of this package is refused with a
// [*SchemaVersionError] rather than used.
package postgres
