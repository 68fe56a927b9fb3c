package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/store/postgres"
)

// BenchmarkInvitationsReserve measures invitation reservations per second through the
// PostgreSQL ledger with 1, 8 and 32 concurrent clients, each client an account of its own
// inviting a new creator every time (every reservation admitted and recorded), on a pool of as
// many connections as clients.
func BenchmarkInvitationsReserve(b *testing.B) {
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprint("clients=", clients), func(b *testing.B) {
			ctx := context.Background()
			base := migrated(b)
			cfg := base.Config()
			cfg.MaxConns = int32(clients)
			pool, err := pgxpool.NewWithConfig(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer pool.Close()
			ledger := postgres.Invitations(pool)
			q := invitation.Quota{DailyLimit: 1_000_000, RepeatWindowDays: 7}
			t0 := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
			var next atomic.Int64
			var failed atomic.Value
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			for c := range clients {
				wg.Go(func() {
					a := invitation.Account{ID: fmt.Sprint("bench-", c), HomeMarket: affrules.MY, Partner: true}
					for i := 0; ; i++ {
						if next.Add(1) > int64(b.N) {
							return
						}
						inv := invitationTo(affrules.MY, fmt.Sprint("creator-", c, "-", i), invitation.ProductDistribution)
						if _, d, err := ledger.Reserve(ctx, q, a, inv, t0.Add(time.Duration(i)*time.Millisecond)); err != nil || !d.Allowed {
							failed.Store(fmt.Sprint(d, err))
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			if f := failed.Load(); f != nil {
				b.Fatal(f)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reservations/s")
		})
	}
}
