package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/store/postgres"
)

// MKT-6, "each adapter gives exactly the answers of the in-memory store": an instant of 1900
// given in a market's own zone, whose offset then had seconds (Kuala Lumpur, +06:46:46), is
// stored as the same instant, not 46 s later (JSON writes offsets in whole minutes), so an event
// recorded at that instant is in order, as in memory.
func TestInstantOffsetWithSeconds(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	e, err := sample.New(sample.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	rule, err := e.Rule()
	if err != nil {
		t.Fatal(err)
	}
	kl, err := time.LoadLocation("Asia/Kuala_Lumpur")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(1900, 6, 1, 12, 0, 0, 0, kl)
	if _, off := at.Zone(); off%60 == 0 {
		t.Fatalf("Kuala Lumpur's offset in 1900 is %ds: the test needs one with seconds", off)
	}
	req := sample.Request{ID: "r1", Seller: "shop-1", Creator: "aisyah", Product: "serum", Market: affrules.MY, Source: sample.Direct}
	for name, l := range map[string]sample.Ledger{"memory": sample.NewMemory(), "postgres": postgres.Samples(pool)} {
		if _, d, err := l.Request(ctx, rule, req, sample.Facts{Band: "band_1"}, at); err != nil || !d.Allowed {
			t.Fatalf("%s: request: %v, %v", name, d, err)
		}
		held, err := l.Requests(ctx, "aisyah")
		if err != nil || len(held) != 1 || !held[0].Events[0].At.Equal(at) {
			t.Fatalf("%s: held %v, %v; want the request asked at %v", name, held, err, at)
		}
		if _, err := l.Record(ctx, rule, "r1", sample.Approved, at); err != nil {
			t.Errorf("%s: approving at the instant asked: %v", name, err)
		}
	}
}
