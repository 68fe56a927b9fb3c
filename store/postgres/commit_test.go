package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/store/postgres"
)

// INV-11, "an error stores nothing": a caller's context that ends while the database commits
// (a slow disk, a synchronous replica; here a deferred trigger sleeping 300 ms at COMMIT) does
// not turn a stored invitation into an error, which the host would retry and see refused under
// INV-2 and INV-3 by the invitation it was told was not made.
func TestContextEndingDuringCommit(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	for _, sql := range []string{
		`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`,
		`CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON affrules_invitations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	l := postgres.Invitations(pool)
	q := invitation.Quota{DailyLimit: 1, RepeatWindowDays: 7}
	acc := invitation.Account{ID: "acc", HomeMarket: affrules.TH}
	inv := invitation.Invitation{Market: affrules.TH, CreatorID: "c1", Purpose: invitation.CreatorPartnership}
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, d, err := l.Reserve(short, q, acc, inv, at)
	if err != nil || !d.Allowed {
		t.Fatalf("Reserve under a context ending during COMMIT: %v, %v; want the invitation recorded and reported", d, err)
	}
	if short.Err() == nil {
		t.Fatal("the context had not ended by the end of COMMIT: the trigger did not slow it")
	}
	p, err := l.History(ctx, invitation.Query{Account: "acc"})
	if err != nil || len(p.Records) != 1 {
		t.Fatalf("history %v, %v; want the one invitation", p.Records, err)
	}
}
