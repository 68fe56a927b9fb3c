package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/campaign/campaigntest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/commission/commissiontest"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/level/leveltest"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
	"github.com/affrules/affrules/store/postgres"
)

// envURL names the environment variable holding the test database's connection string.
const envURL = "AFFRULES_POSTGRES"

// newSchema returns a pool whose connections use a new, empty schema of the test database,
// dropped when the test ends; it skips the test when AFFRULES_POSTGRES is unset.
func newSchema(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := os.Getenv(envURL)
	if url == "" {
		t.Skip(envURL + " is not set: set it to a PostgreSQL connection string, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run the store tests")
	}
	ctx := context.Background()
	b := make([]byte, 8)
	rand.Read(b)
	schema := "affrules_test_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", envURL, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("connect to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse %s: %v", envURL, err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// migrated returns a pool on a new schema that Migrate has prepared.
func migrated(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := newSchema(t)
	if err := postgres.Migrate(context.Background(), pool); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return pool
}

func TestCampaigns(t *testing.T) {
	campaigntest.TestStore(t, func(t *testing.T) campaign.Store { return postgres.Campaigns(migrated(t)) })
}

func TestCollaborations(t *testing.T) {
	collabplustest.TestStore(t, func(t *testing.T) collabplus.Store { return postgres.Collaborations(migrated(t)) })
}

func TestSamples(t *testing.T) {
	sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return postgres.Samples(migrated(t)) })
}

func TestLevels(t *testing.T) {
	leveltest.TestHistory(t, func(t *testing.T) level.History { return postgres.Levels(migrated(t)) })
}

func TestOffers(t *testing.T) {
	commissiontest.TestOffers(t, func(t *testing.T) commission.OfferStore { return postgres.Offers(migrated(t)) })
}

func TestRecords(t *testing.T) {
	commissiontest.TestRecords(t, func(t *testing.T) commission.RecordStore { return postgres.Records(migrated(t)) })
}
