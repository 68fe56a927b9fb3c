package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/store/postgres"
)

// A host that forgot the pool gets ErrNoPool from every method, never a nil-pointer panic; this
// needs no database.
func TestNilPool(t *testing.T) {
	for name, call := range adapterCalls(context.Background(), nil) {
		if err := call(); !errors.Is(err, postgres.ErrNoPool) {
			t.Errorf("%s with no pool: %v, want ErrNoPool", name, err)
		}
	}
}

// A host that forgot the context gets an error from every method, never a nil-pointer panic; this
// needs no database (the pool connects lazily, and no method gets that far).
func TestNilContext(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var ctx context.Context // a host that forgot it
	for name, call := range adapterCalls(ctx, pool) {
		if err := call(); err == nil || !strings.Contains(err.Error(), "postgres: nil context.Context") {
			t.Errorf("%s with a nil context: %v, want the nil context named", name, err)
		}
		if err := call(); !errors.Is(err, affrules.ErrNilContext) {
			t.Errorf("%s with a nil context: %v, want affrules.ErrNilContext", name, err)
		}
	}
}

// adapterCalls calls every adapter method on pool with ctx, by name.
func adapterCalls(ctx context.Context, pool *pgxpool.Pool) map[string]func() error {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return map[string]func() error{
		"Migrate": func() error { return postgres.Migrate(ctx, pool) },
		"Campaigns.Create": func() error {
			_, err := postgres.Campaigns(pool).Create(ctx, nil, campaign.Campaign{}, at)
			return err
		},
		"Campaigns.Apply": func() error {
			_, err := postgres.Campaigns(pool).Apply(ctx, nil, "c", campaign.Action{}, at)
			return err
		},
		"Campaigns.Campaign":  func() error { _, err := postgres.Campaigns(pool).Campaign(ctx, "c"); return err },
		"Campaigns.Campaigns": func() error { _, err := postgres.Campaigns(pool).Campaigns(ctx, ""); return err },
		"Collaborations.Create": func() error {
			_, err := postgres.Collaborations(pool).Create(ctx, collabplus.Seller{ID: "s"})
			return err
		},
		"Collaborations.Apply": func() error {
			_, err := postgres.Collaborations(pool).Apply(ctx, nil, "s", collabplus.Action{}, at)
			return err
		},
		"Collaborations.Seller": func() error { _, err := postgres.Collaborations(pool).Seller(ctx, "s"); return err },
		"Samples.Request": func() error {
			_, _, err := postgres.Samples(pool).Request(ctx, sample.Rule{}, sample.Request{}, sample.Facts{}, at)
			return err
		},
		"Samples.Record": func() error {
			_, err := postgres.Samples(pool).Record(ctx, sample.Rule{}, "r", sample.Approved, at)
			return err
		},
		"Samples.Requests": func() error { _, err := postgres.Samples(pool).Requests(ctx, "c"); return err },
		"Offers.Put": func() error {
			_, err := postgres.Offers(pool).Put(ctx, commission.OfferRule{}, commission.Offer{}, at)
			return err
		},
		"Offers.Offer":  func() error { _, err := postgres.Offers(pool).Offer(ctx, "o"); return err },
		"Offers.Offers": func() error { _, err := postgres.Offers(pool).Offers(ctx, affrules.MY, "p"); return err },
		"Records.Create": func() error {
			_, err := postgres.Records(pool).Create(ctx, commission.Settlement{}, commission.Record{})
			return err
		},
		"Records.Apply": func() error {
			_, err := postgres.Records(pool).Apply(ctx, commission.Settlement{}, commission.Event{})
			return err
		},
		"Records.Record": func() error { _, err := postgres.Records(pool).Record(ctx, "r"); return err },
		"Levels.Put":     func() error { return postgres.Levels(pool).Put(ctx, level.Record{}) },
		"Levels.Get": func() error {
			_, _, err := postgres.Levels(pool).Get(ctx, affrules.MY, "c", affrules.NewMonth(2026, time.December))
			return err
		},
		"Invitations.Reserve": func() error {
			_, _, err := postgres.Invitations(pool).Reserve(ctx, invitation.Quota{}, invitation.Account{}, invitation.Invitation{}, at)
			return err
		},
		"Invitations.History": func() error {
			_, err := postgres.Invitations(pool).History(ctx, invitation.Query{Account: "a"})
			return err
		},
		"Invitations.Respond": func() error {
			_, err := postgres.Invitations(pool).Respond(ctx, "a", 1, at)
			return err
		},
	}
}
