package postgres_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/store/postgres"
)

// A stop is where a fault test holds an adapter's transaction: block, run in the holder's
// transaction, makes the adapter's transaction wait for it there. Stops after the adapter's
// last write use a trigger, made by stall, that waits on an advisory lock the holder takes.
type stop struct {
	name  string
	block func(ctx context.Context, holder pgx.Tx) error
}

// stall creates a trigger on the clause given (such as AFTER UPDATE ON t FOR EACH ROW) that
// waits, inside the adapter's transaction and after its write, for an advisory lock; it returns
// the stop whose holder takes that lock.
func stall(t *testing.T, pool *pgxpool.Pool, name, trigger string) stop {
	t.Helper()
	ctx := context.Background()
	key := rand.Int32N(1 << 30)
	_, err := pool.Exec(ctx, `CREATE FUNCTION affrules_test_stall() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_advisory_xact_lock_shared(`+strconv.Itoa(gateClass)+`, `+strconv.Itoa(int(key))+`); RETURN NULL; END $$`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE TRIGGER affrules_test_stall `+trigger+` EXECUTE FUNCTION affrules_test_stall()`); err != nil {
		t.Fatal(err)
	}
	return stop{name, func(ctx context.Context, holder pgx.Tx) error {
		_, err := holder.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, gateClass, key)
		return err
	}}
}

// dropMidTransaction holds the adapter's transaction at s, with a transaction of its own on a
// connection of its own, while call runs; once call's backend waits for it, it terminates that
// backend with pg_terminate_backend, then rolls its own transaction back. It returns call's
// error.
func dropMidTransaction(t *testing.T, pool *pgxpool.Pool, s stop, call func(ctx context.Context) error) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := pool.Config().ConnConfig.Copy()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	holder, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(context.Background())
	if err := s.block(ctx, holder); err != nil {
		t.Fatalf("hold %s: %v", s.name, err)
	}
	hpid := conn.PgConn().PID()

	done := make(chan error, 1)
	go func() { done <- call(ctx) }()
	for {
		var pid int32
		err := pool.QueryRow(ctx, `SELECT pid FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, hpid).Scan(&pid)
		if err == nil {
			var ok bool
			if err := pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
				t.Fatalf("terminate backend %d: %v, %v", pid, ok, err)
			}
			break
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			t.Fatalf("%s: the call ended before it waited: %v", s.name, err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	err = <-done
	if rerr := holder.Rollback(ctx); rerr != nil {
		t.Fatal(rerr)
	}
	return err
}

// snapshot returns the text of what query reads, the stored state a fault must leave either as
// it was or wholly changed.
func snapshot(t *testing.T, pool *pgxpool.Pool, query string) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(context.Background(), query).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDroppedConnectionSampleRequest terminates the backend of a campaign sample request
// held at three points of its transaction: waiting for the counter row after locking the
// creator's, waiting to insert the request after deciding it, and after counting the automatic
// approval, before the commit. The call fails, the database holds what it held before, and the
// request made again is recorded once, counted once.
func TestDroppedConnectionSampleRequest(t *testing.T) {
	const state = `SELECT (SELECT string_agg(id || ':' || data::text, ',' ORDER BY seq) FROM affrules_sample_requests)
		|| ' auto=' || (SELECT string_agg(auto::text, ',') FROM affrules_sample_quantities)`
	stops := []func(t *testing.T, pool *pgxpool.Pool) stop{
		func(*testing.T, *pgxpool.Pool) stop {
			return stop{"counter row", func(ctx context.Context, holder pgx.Tx) error {
				_, err := holder.Exec(ctx, `SELECT auto FROM affrules_sample_quantities FOR UPDATE`)
				return err
			}}
		},
		func(*testing.T, *pgxpool.Pool) stop {
			return stop{"request insert", func(ctx context.Context, holder pgx.Tx) error {
				_, err := holder.Exec(ctx, `INSERT INTO affrules_sample_requests (id, creator, seller, product, market, source, context, asked, data)
					VALUES ('r2', 'other', 'shop-1', 'serum', 'MY', 'campaign', 'year-end', now(), '{}')`)
				return err
			}}
		},
		func(t *testing.T, pool *pgxpool.Pool) stop {
			return stall(t, pool, "after counting, before commit",
				`AFTER UPDATE ON affrules_sample_quantities FOR EACH ROW WHEN (NEW.auto <> OLD.auto)`)
		},
	}
	for _, mkStop := range stops {
		pool := migrated(t)
		s := mkStop(t, pool)
		t.Run(s.name, func(t *testing.T) {
			l, rule := postgres.Samples(pool), mpRule()
			f := sample.Facts{Quantity: 3, Band: "band_1"}
			if _, d, err := l.Request(context.Background(), rule, mpSampleRequest("r1", "aisyah"), f, mpStart); err != nil || !d.Allowed {
				t.Fatalf("first request: %v, %v", d, err)
			}
			before := snapshot(t, pool, state)
			req := mpSampleRequest("r2", "budi")
			err := dropMidTransaction(t, pool, s, func(ctx context.Context) error {
				_, _, err := l.Request(ctx, rule, req, f, mpStart)
				return err
			})
			if err == nil {
				t.Fatalf("request on a terminated backend succeeded")
			}
			if got := snapshot(t, pool, state); got != before {
				t.Fatalf("after the dropped connection (%v) the database holds\n%s\nwant what it held before\n%s", err, got, before)
			}

			got, d, err := l.Request(context.Background(), rule, req, f, mpStart)
			if err != nil || !d.Allowed || got.StateAt(mpStart) != sample.ToShip {
				t.Fatalf("request made again: %v, %v, state %v; want approved automatically", d, err, got.StateAt(mpStart))
			}
			after := snapshot(t, pool, state)
			if rs, err := l.Requests(context.Background(), "budi"); err != nil || len(rs) != 1 {
				t.Errorf("budi holds %d requests (%v), want 1", len(rs), err)
			}
			if auto := snapshot(t, pool, `SELECT auto::text FROM affrules_sample_quantities`); auto != "2" {
				t.Errorf("automatic approvals counted: %s, want 2", auto)
			}
			if _, _, err := l.Request(context.Background(), rule, req, f, mpStart); !errors.Is(err, sample.ErrConflict) {
				t.Errorf("request made a third time: %v, want sample.ErrConflict", err)
			}
			if got := snapshot(t, pool, state); got != after {
				t.Errorf("the request made a third time changed the database:\n%s\nwant\n%s", got, after)
			}
		})
	}
}

// TestDroppedConnectionRecordApply terminates the backend of a commission record's Apply held
// waiting for the record's row lock, and held after writing the changed record, before the
// commit. The call fails, the record is as it was, and the event applied again is applied
// once.
func TestDroppedConnectionRecordApply(t *testing.T) {
	const state = `SELECT state || ' ' || refunded::text || ' ' || amount::text || ' ' || partner::text || ' ' || creator_amount::text
		|| ' ' || coalesce(closed_at::text, '-') || ' ' || data::text FROM affrules_commission_records WHERE id = 'l1'`
	stops := []func(t *testing.T, pool *pgxpool.Pool) stop{
		func(*testing.T, *pgxpool.Pool) stop {
			return stop{"record row", func(ctx context.Context, holder pgx.Tx) error {
				_, err := holder.Exec(ctx, `SELECT id FROM affrules_commission_records WHERE id = 'l1' FOR UPDATE`)
				return err
			}}
		},
		func(t *testing.T, pool *pgxpool.Pool) stop {
			return stall(t, pool, "after the write, before commit", `AFTER UPDATE ON affrules_commission_records FOR EACH ROW`)
		},
	}
	for _, mkStop := range stops {
		pool := migrated(t)
		s := mkStop(t, pool)
		t.Run(s.name, func(t *testing.T) {
			st, set := postgres.Records(pool), commission.DefaultPolicy().Settlement()
			r := newRecord(t, "l1")
			if _, err := st.Create(context.Background(), set, r); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, pool, state)
			refund := commission.Event{ID: "r1", Record: "l1", Kind: commission.Refund, Amount: gbp(2500).Decimal(), Currency: "GBP", At: r.OrderedAt.Add(time.Hour)}
			err := dropMidTransaction(t, pool, s, func(ctx context.Context) error {
				_, err := st.Apply(ctx, set, refund)
				return err
			})
			if err == nil {
				t.Fatalf("Apply on a terminated backend succeeded")
			}
			if got := snapshot(t, pool, state); got != before {
				t.Fatalf("after the dropped connection (%v) the record is\n%s\nwant it as it was\n%s", err, got, before)
			}

			got, err := st.Apply(context.Background(), set, refund)
			if err != nil || len(got.Events) != 1 || got.Refunded != gbp(2500) {
				t.Fatalf("Apply made again: %d events, refunded %v, %v; want the refund applied once", len(got.Events), got.Refunded, err)
			}
			after := snapshot(t, pool, state)
			if after == before {
				t.Fatalf("Apply made again changed nothing")
			}
			again, err := st.Apply(context.Background(), set, refund)
			if err != nil || len(again.Events) != 1 || again.Refunded != gbp(2500) {
				t.Errorf("Apply made a third time: %d events, refunded %v, %v; want the refund held once", len(again.Events), again.Refunded, err)
			}
			if got := snapshot(t, pool, state); got != after {
				t.Errorf("Apply made a third time changed the record:\n%s\nwant\n%s", got, after)
			}
		})
	}
}

// Two requests under one ID by one creator, both waiting for the creator's row (another
// transaction holds it): the first recorded is allowed, the other is a conflict (ErrConflict),
// as sample.Memory answers a request under a held ID, not a denial by the first's open request
// (SMP-10), which it would be if the ID were checked only before the lock.
func TestSampleSameIDWaitingForCreator(t *testing.T) {
	pool := migrated(t)
	l, rule := postgres.Samples(pool), mpRule()
	ctx := context.Background()
	holder, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx)
	if _, err := holder.Exec(ctx, `INSERT INTO affrules_sample_creators (creator) VALUES ('aisyah')`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		allowed bool
		err     error
	}
	results := make(chan result, 2)
	for i := range 2 {
		go func() {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond) // both past the first check, in turn
			_, d, err := l.Request(ctx, rule, mpSampleRequest("r1", "aisyah"), sample.Facts{Quantity: 3, Band: "band_1"}, mpStart.Add(time.Duration(i)*time.Second))
			results <- result{d.Allowed, err}
		}()
	}
	time.Sleep(500 * time.Millisecond)
	if err := holder.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	allowed, conflicts := 0, 0
	for range 2 {
		r := <-results
		switch {
		case r.err == nil && r.allowed:
			allowed++
		case errors.Is(r.err, sample.ErrConflict):
			conflicts++
		default:
			t.Errorf("a request under r1: allowed %t, error %v; want one allowed and one ErrConflict", r.allowed, r.err)
		}
	}
	if allowed != 1 || conflicts != 1 {
		t.Errorf("%d allowed and %d conflicts, want 1 and 1", allowed, conflicts)
	}
}

// A campaign sample request in a market no index could hold is the rules' bad input, as
// sample.Memory reports it, not the database's error on the campaign's counter; nothing is
// stored.
func TestSampleLongMarket(t *testing.T) {
	l, rule := postgres.Samples(migrated(t)), mpRule()
	ctx := context.Background()
	req := mpSampleRequest("r1", "aisyah")
	req.Market = affrules.MarketCode(incompressible(3000))
	_, d, err := l.Request(ctx, rule, req, sample.Facts{Quantity: 3, Band: "band_1"}, mpStart)
	_, _, want := sample.NewMemory().Request(ctx, rule, req, sample.Facts{Quantity: 3, Band: "band_1"}, mpStart)
	if !errors.Is(err, affrules.ErrUnknownMarket) || want == nil || err.Error() != want.Error() || d.Allowed {
		t.Errorf("a 3,000-byte market: %v %v, want %v", d, err, want)
	}
	if got, err := l.Requests(ctx, "aisyah"); err != nil || len(got) != 0 {
		t.Errorf("stored: %v %v", got, err)
	}
}

// incompressible returns n bytes of letters and digits that PostgreSQL cannot compress into an
// index entry, as a repeated text would be.
func incompressible(n int) string {
	const digits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[rng.IntN(len(digits))]
	}
	return string(b)
}
