package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/store/postgres"
)

// Text PostgreSQL cannot hold exactly (invalid UTF-8, which JSON would replace with U+FFFD, and
// NUL, which neither text nor jsonb takes) is refused by every adapter with a FieldError of the
// domain package naming the field, and nothing is stored; a lookup by such a key finds nothing,
// as the in-memory stores' do, instead of a database error.
func TestUnstorableTextEverywhere(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	refused := func(t *testing.T, err error, text string) {
		t.Helper()
		var fe *affrules.FieldError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), text) {
			t.Errorf("error %v, want a FieldError containing %q", err, text)
		}
	}

	sellers := postgres.Collaborations(pool)
	_, err := sellers.Create(ctx, collabplus.Seller{ID: "s1", Market: affrules.TH, Updated: at, Groups: []collabplus.Group{{ID: "g\xff", MinLevel: level.L1}}})
	// A new record holds no groups (collabplus.Seller.Validate), whatever their text.
	refused(t, err, `collabplus: seller.groups 1: are saved by Evaluator.Apply`)
	if _, err := sellers.Seller(ctx, "s1"); !errors.Is(err, collabplus.ErrNotFound) {
		t.Errorf("a refused seller was stored: %v", err)
	}
	if _, err := sellers.Seller(ctx, "s\x00"); !errors.Is(err, collabplus.ErrNotFound) {
		t.Errorf("lookup by an unstorable ID: %v", err)
	}

	offers := postgres.Offers(pool)
	rates, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: at, Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	o := commission.Offer{ID: "t1", Source: commission.Target, Market: affrules.UK, Product: "p1", Coverage: commission.Listed,
		Creators: []string{"c1", "c\xff"}, Period: affrules.Period{Start: at}, Rates: rates}
	_, err = offers.Put(ctx, commission.DefaultPolicy().OfferRule(), o, at)
	refused(t, err, `commission: offer.creators[1] "c\xff"`)
	if _, err := offers.Offer(ctx, "t1"); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("a refused offer was stored: %v", err)
	}
	if _, err := offers.Offer(ctx, "t\x00"); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("lookup by an unstorable ID: %v", err)
	}
	if got, err := offers.Offers(ctx, affrules.UK, "p\x00"); err != nil || len(got) != 0 {
		t.Errorf("list by an unstorable product: %v, %v", got, err)
	}

	samples := postgres.Samples(pool)
	req := mpSampleRequest("r1", "c1")
	req.Partner = "ag\xff"
	_, _, err = samples.Request(ctx, mpRule(), req, sample.Facts{Band: "band_1", Quantity: 3, AutoApprove: true}, mpStart)
	refused(t, err, `sample: request.partner "ag\xff"`)
	if got, err := samples.Requests(ctx, "c1"); err != nil || len(got) != 0 {
		t.Errorf("a refused request was stored: %v, %v", got, err)
	}
	if got, err := samples.Requests(ctx, "c\x00"); err != nil || len(got) != 0 {
		t.Errorf("list by an unstorable creator: %v, %v", got, err)
	}
	if _, err := samples.Record(ctx, mpRule(), "r\x00", sample.ShippedEvent, mpStart); !errors.Is(err, sample.ErrNotFound) {
		t.Errorf("record by an unstorable ID: %v", err)
	}

	levels := postgres.Levels(pool)
	march := affrules.NewMonth(2026, time.March)
	err = levels.Put(ctx, level.Record{Market: affrules.MY, Creator: "a\x00b", Month: march, Level: level.L3})
	refused(t, err, `level: record.creator "a\x00b"`)
	// A creator no record may have is an error, as level.MemoryHistory's Get gives it.
	if l, ok, err := levels.Get(ctx, affrules.MY, "c\xff", march); err == nil || ok || l != level.L0 || !strings.Contains(err.Error(), `level: creator "c\xff"`) {
		t.Errorf("get by an unstorable creator: %v %v %v", l, ok, err)
	}
	for _, m := range []affrules.MarketCode{"T\x00", "\xff"} {
		if l, ok, err := levels.Get(ctx, m, "c", march); err != nil || ok || l != level.L0 {
			t.Errorf("get by an unstorable market %q: %v %v %v", m, l, ok, err)
		}
	}

	records := postgres.Records(pool)
	if _, err := records.Record(ctx, "id\x00"); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("record by an unstorable ID: %v", err)
	}
	if _, err := records.Apply(ctx, commission.DefaultPolicy().Settlement(), commission.Event{ID: "e", Record: "id\xff", Kind: commission.Cancel, At: at}); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("apply to an unstorable ID: %v", err)
	}
	if _, err := records.Apply(ctx, commission.DefaultPolicy().Settlement(), commission.Event{ID: "a\x00b", Record: "nonexistent", Kind: commission.Cancel, At: at}); !errors.Is(err, commission.ErrNotFound) {
		t.Errorf("an unstorable event ID for a record that does not exist: %v, want ErrNotFound as Memory gives", err)
	}

	campaigns := postgres.Campaigns(pool)
	c := mpCampaign("c0")
	c.Name = "a\x00b"
	_, err = campaigns.Create(ctx, mpEvaluator(), c, mpStart.Add(-2*time.Hour))
	refused(t, err, `campaign: campaign.name U+0000 at byte 1`) // the evaluator refuses it first (a control character)
	if got, err := campaigns.Campaigns(ctx, affrules.MY); err != nil || len(got) != 0 {
		t.Errorf("a refused campaign was stored: %v, %v", got, err)
	}

	ledger := postgres.Invitations(pool)
	if p, err := ledger.History(ctx, invitation.Query{Account: "a\x00"}); err != nil || len(p.Records) != 0 {
		t.Errorf("history of an unstorable account: %v, %v", p, err)
	}
	if _, err := ledger.Respond(ctx, "a\xff", 1, at); !errors.Is(err, invitation.ErrNotFound) {
		t.Errorf("respond for an unstorable account: %v", err)
	}
}

// INV-9: a history's time bounds beyond the years instants are kept in (year 9999 for "no upper
// bound", year 1000 for "no lower one") select as the bounds of those years do, as in Memory.
func TestInvitationHistoryFarBounds(t *testing.T) {
	ctx := context.Background()
	l := postgres.Invitations(migrated(t))
	a := invitation.Account{ID: "acc", HomeMarket: affrules.MY, Partner: true}
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	inv := invitation.Invitation{Market: affrules.MY, CreatorID: "c1", Purpose: invitation.ProductDistribution, Message: "hi",
		Contacts: []invitation.Contact{{Channel: affrules.Email, Value: "a@x.example.com"}}}
	if _, d, err := l.Reserve(ctx, invitation.Quota{DailyLimit: 5, RepeatWindowDays: 1}, a, inv, at); err != nil || !d.Allowed {
		t.Fatal(d, err)
	}
	for _, q := range []invitation.Query{
		{Account: "acc", To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Account: "acc", To: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Account: "acc", From: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Account: "acc", From: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		p, err := l.History(ctx, q)
		if err != nil || len(p.Records) != 1 {
			t.Errorf("%+v: %v, %v; want the one record", q, p, err)
		}
	}
	if p, err := l.History(ctx, invitation.Query{Account: "acc", From: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil || len(p.Records) != 0 {
		t.Errorf("from year 3000: %v, %v", p, err)
	}
}
