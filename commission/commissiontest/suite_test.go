package commissiontest_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/commission/commissiontest"
	"github.com/affrules/affrules/internal/childtest"
)

// stale is an offer store that answers Offers with the first answer it gave for a market and
// product that had offers, whatever was stored since.
type stale struct {
	*commission.OfferMemory
	mu    sync.Mutex
	first map[string][]commission.Offer
}

func (s *stale) Offers(ctx context.Context, m affrules.MarketCode, product string) ([]commission.Offer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if got, ok := s.first[string(m)+"/"+product]; ok {
		return got, nil
	}
	got, err := s.OfferMemory.Offers(ctx, m, product)
	if err == nil && len(got) > 0 {
		s.first[string(m)+"/"+product] = got
	}
	return got, err
}

// sharing is a record store whose Record hands every caller one copy of a record, so that a
// caller that changes what it was given changes what the next caller reads.
type sharing struct {
	*commission.RecordMemory
	mu   sync.Mutex
	read map[string]commission.Record
}

func (s *sharing) Record(ctx context.Context, id string) (commission.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.read[id]; ok {
		return r, nil
	}
	r, err := s.RecordMemory.Record(ctx, id)
	if err == nil {
		s.read[id] = r
	}
	return r, err
}

func (s *sharing) Apply(ctx context.Context, rule commission.Settlement, ev commission.Event) (commission.Record, error) {
	s.mu.Lock()
	delete(s.read, ev.Record)
	s.mu.Unlock()
	return s.RecordMemory.Apply(ctx, rule, ev)
}

// The fixed cases of the suites fail on a store that answers from an old read or shares what it
// returns. Each suite runs in a child process, so that its failure is observed, not suffered.
func TestSuitesCatchBrokenStores(t *testing.T) {
	switch os.Getenv("COMMISSIONTEST_BROKEN") {
	case "stale":
		commissiontest.TestOffers(t, func(t *testing.T) commission.OfferStore {
			return &stale{OfferMemory: commission.NewOfferMemory(), first: map[string][]commission.Offer{}}
		})
		return
	case "sharing":
		commissiontest.TestRecords(t, func(t *testing.T) commission.RecordStore {
			return &sharing{RecordMemory: commission.NewRecordMemory(), read: map[string]commission.Record{}}
		})
		return
	}
	for _, tc := range []struct{ store, subtest, says string }{
		{"stale", "OffersAfterEachPut", "after a change"},
		{"sharing", "CopiesIsolated", "a slice returned by Record changed the stored record"},
	} {
		t.Run(tc.store, func(t *testing.T) {
			childtest.Fails(t, "TestSuitesCatchBrokenStores", tc.subtest, "COMMISSIONTEST_BROKEN="+tc.store, nil, tc.says)
		})
	}
}
