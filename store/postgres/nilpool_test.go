package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

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
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	calls := map[string]func() error{
		"Migrate": func() error { return postgres.Migrate(ctx, nil) },
		"Campaigns.Create": func() error {
			_, err := postgres.Campaigns(nil).Create(ctx, nil, campaign.Campaign{}, at)
			return err
		},
		"Campaigns.Apply": func() error {
			_, err := postgres.Campaigns(nil).Apply(ctx, nil, "c", campaign.Action{}, at)
			return err
		},
		"Campaigns.Campaign":  func() error { _, err := postgres.Campaigns(nil).Campaign(ctx, "c"); return err },
		"Campaigns.Campaigns": func() error { _, err := postgres.Campaigns(nil).Campaigns(ctx, ""); return err },
		"Collaborations.Create": func() error {
			_, err := postgres.Collaborations(nil).Create(ctx, collabplus.Seller{ID: "s"})
			return err
		},
		"Collaborations.Apply": func() error {
			_, err := postgres.Collaborations(nil).Apply(ctx, nil, "s", collabplus.Action{}, at)
			return err
		},
		"Collaborations.Seller": func() error { _, err := postgres.Collaborations(nil).Seller(ctx, "s"); return err },
		"Samples.Request": func() error {
			_, _, err := postgres.Samples(nil).Request(ctx, sample.Rule{}, sample.Request{}, sample.Facts{}, at)
			return err
		},
		"Samples.Record": func() error {
			_, err := postgres.Samples(nil).Record(ctx, sample.Rule{}, "r", sample.Approved, at)
			return err
		},
		"Samples.Requests": func() error { _, err := postgres.Samples(nil).Requests(ctx, "c"); return err },
		"Offers.Put": func() error {
			_, err := postgres.Offers(nil).Put(ctx, commission.OfferRule{}, commission.Offer{}, at)
			return err
		},
		"Offers.Offer":  func() error { _, err := postgres.Offers(nil).Offer(ctx, "o"); return err },
		"Offers.Offers": func() error { _, err := postgres.Offers(nil).Offers(ctx, affrules.MY, "p"); return err },
		"Records.Create": func() error {
			_, err := postgres.Records(nil).Create(ctx, commission.Settlement{}, commission.Record{})
			return err
		},
		"Records.Apply": func() error {
			_, err := postgres.Records(nil).Apply(ctx, commission.Settlement{}, commission.Event{})
			return err
		},
		"Records.Record": func() error { _, err := postgres.Records(nil).Record(ctx, "r"); return err },
		"Levels.Put":     func() error { return postgres.Levels(nil).Put(ctx, level.Record{}) },
		"Levels.Get": func() error {
			_, _, err := postgres.Levels(nil).Get(ctx, affrules.MY, "c", affrules.NewMonth(2026, time.December))
			return err
		},
		"Invitations.Reserve": func() error {
			_, _, err := postgres.Invitations(nil).Reserve(ctx, invitation.Quota{}, invitation.Account{}, invitation.Invitation{}, at)
			return err
		},
		"Invitations.History": func() error {
			_, err := postgres.Invitations(nil).History(ctx, invitation.Query{Account: "a"})
			return err
		},
		"Invitations.Respond": func() error {
			_, err := postgres.Invitations(nil).Respond(ctx, "a", 1, at)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, postgres.ErrNoPool) {
			t.Errorf("%s with no pool: %v, want ErrNoPool", name, err)
		}
	}
}
