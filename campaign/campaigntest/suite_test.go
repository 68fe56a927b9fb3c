package campaigntest_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/campaign/campaigntest"
	"github.com/affrules/affrules/internal/childtest"
)

// upsert is a broken store: its rows have no unique key on the campaign ID (it keeps each one
// in a memory store under a row key of its own), so Create checks the ID itself, under its lock,
// then releases the lock for the round trip that writes the row; reads see the last row written
// for an ID. Two creates of one ID at the same moment both pass the check, and the later
// silently overwrites the earlier.
type upsert struct {
	*campaign.Memory
	rows childtest.Rows
}

// outside returns c as the store's callers see it: under its campaign ID.
func outside(c campaign.Campaign) campaign.Campaign {
	c.ID = childtest.ID(c.ID)
	return c
}

func (s *upsert) Create(ctx context.Context, e *campaign.Evaluator, c campaign.Campaign, at time.Time) (campaign.Campaign, error) {
	if _, ok := s.rows.Row(c.ID); ok {
		return campaign.Campaign{}, fmt.Errorf("campaign %q: %w", c.ID, campaign.ErrConflict)
	}
	time.Sleep(time.Millisecond) // the round trip to the database, lock released
	id, k := c.ID, s.rows.Next(c.ID)
	c.ID = k
	got, err := s.Memory.Create(ctx, e, c, at)
	if err != nil {
		return campaign.Campaign{}, err
	}
	s.rows.Keep(id, k)
	return outside(got), nil
}

func (s *upsert) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	k, ok := s.rows.Row(id)
	if !ok {
		return campaign.Campaign{}, fmt.Errorf("campaign %q: %w", id, campaign.ErrNotFound)
	}
	got, err := s.Memory.Apply(ctx, e, k, a, at)
	return outside(got), err
}

func (s *upsert) Campaign(ctx context.Context, id string) (campaign.Campaign, error) {
	k, ok := s.rows.Row(id)
	if !ok {
		return campaign.Campaign{}, fmt.Errorf("campaign %q: %w", id, campaign.ErrNotFound)
	}
	got, err := s.Memory.Campaign(ctx, k)
	return outside(got), err
}

func (s *upsert) Campaigns(ctx context.Context, m affrules.MarketCode) ([]campaign.Campaign, error) {
	all, err := s.Memory.Campaigns(ctx, m)
	if err != nil {
		return nil, err
	}
	var out []campaign.Campaign
	for _, c := range all {
		if s.rows.IsLast(c.ID) {
			out = append(out, outside(c))
		}
	}
	slices.SortFunc(out, func(a, b campaign.Campaign) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// undisqualified is a broken store: it reports a disqualification (ELG-11) as applied, but
// never stores it, as a store whose table lacks the products' end would.
type undisqualified struct{ *campaign.Memory }

func (s undisqualified) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	if !strings.HasPrefix(a.String(), "disqualify ") {
		return s.Memory.Apply(ctx, e, id, a, at)
	}
	c, err := s.Memory.Campaign(ctx, id)
	if err != nil {
		return campaign.Campaign{}, err
	}
	return e.Apply(c, a, at)
}

// sharedPartners is a broken store: it keeps each campaign's partners in a slice of its own,
// which it hands to every caller without copying, so that a caller changing the partners it was
// given changes what the store holds.
type sharedPartners struct {
	*campaign.Memory
	mu       sync.Mutex
	partners map[string][]campaign.Participant
}

func (s *sharedPartners) share(c campaign.Campaign) campaign.Campaign {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.partners[c.ID]; ok {
		c.Partners = p
	}
	return c
}

func (s *sharedPartners) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	got, err := s.Memory.Apply(ctx, e, id, a, at)
	if err == nil {
		s.mu.Lock()
		s.partners[id] = got.Partners
		s.mu.Unlock()
	}
	return got, err
}

func (s *sharedPartners) Campaign(ctx context.Context, id string) (campaign.Campaign, error) {
	got, err := s.Memory.Campaign(ctx, id)
	return s.share(got), err
}

func (s *sharedPartners) Campaigns(ctx context.Context, m affrules.MarketCode) ([]campaign.Campaign, error) {
	got, err := s.Memory.Campaigns(ctx, m)
	for i := range got {
		got[i] = s.share(got[i])
	}
	return got, err
}

// sharedReturns is a broken store: it hands out, on later reads, the very campaign Apply returned,
// so a caller changing what Apply returned changes what the store answers.
type sharedReturns struct {
	*campaign.Memory
	mu   sync.Mutex
	last map[string]campaign.Campaign
}

func (s *sharedReturns) Apply(ctx context.Context, e *campaign.Evaluator, id string, a campaign.Action, at time.Time) (campaign.Campaign, error) {
	got, err := s.Memory.Apply(ctx, e, id, a, at)
	if err == nil {
		s.mu.Lock()
		s.last[id] = got
		s.mu.Unlock()
	}
	return got, err
}

func (s *sharedReturns) Campaign(ctx context.Context, id string) (campaign.Campaign, error) {
	s.mu.Lock()
	c, ok := s.last[id]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	return s.Memory.Campaign(ctx, id)
}

func (s *sharedReturns) Campaigns(ctx context.Context, m affrules.MarketCode) ([]campaign.Campaign, error) {
	got, err := s.Memory.Campaigns(ctx, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range got {
		if c, ok := s.last[got[i].ID]; ok {
			got[i] = c
		}
	}
	return got, err
}

// The fixed cases of the suite fail on a store that overwrites a campaign created at the same
// moment, drops disqualifications, shares the partners it returns or hands out what Apply
// returned. Each suite runs in a child
// process, so that its failure is observed, not suffered.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	switch os.Getenv("CAMPAIGNTEST_BROKEN") {
	case "upsert":
		campaigntest.TestStore(t, func(t *testing.T) campaign.Store {
			return &upsert{Memory: campaign.NewMemory()}
		})
		return
	case "undisqualified":
		campaigntest.TestStore(t, func(t *testing.T) campaign.Store { return undisqualified{campaign.NewMemory()} })
		return
	case "sharedReturns":
		campaigntest.TestStore(t, func(t *testing.T) campaign.Store {
			return &sharedReturns{Memory: campaign.NewMemory(), last: map[string]campaign.Campaign{}}
		})
		return
	case "sharedPartners":
		campaigntest.TestStore(t, func(t *testing.T) campaign.Store {
			return &sharedPartners{Memory: campaign.NewMemory(), partners: map[string][]campaign.Participant{}}
		})
		return
	}
	for _, tc := range []struct{ store, subtest, says string }{
		{"upsert", "ConcurrentCreateSameID", "creates of one ID at once succeeded"},
		{"undisqualified", "Disqualify_ELG11", "the store holds what Apply did not return"},
		{"sharedPartners", "CopiesIsolated", "changing the partners"},
		// Reported, and the subtest stopped: not a panic on the products the store lost.
		{"sharedReturns", "CopiesIsolated", "after its copies were changed"},
	} {
		t.Run(tc.store, func(t *testing.T) {
			childtest.Fails(t, "TestSuiteCatchesBrokenStores", tc.subtest, "CAMPAIGNTEST_BROKEN="+tc.store, nil, tc.says)
		})
	}
}
