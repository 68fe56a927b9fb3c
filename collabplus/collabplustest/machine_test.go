package collabplustest_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
	"github.com/affrules/affrules/internal/childtest"
)

// logless is a broken store: it keeps sellers' records in a map but does not store their
// creation log (CP-3), as a store that forgot the table would.
type logless struct {
	mu sync.Mutex
	ss map[string]collabplus.Seller
}

func (s *logless) keep(rec collabplus.Seller) collabplus.Seller {
	rec.Submissions = nil
	s.ss[rec.ID] = rec
	return rec
}

func (s *logless) Create(ctx context.Context, rec collabplus.Seller) (collabplus.Seller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ss[rec.ID]; ok {
		return collabplus.Seller{}, collabplus.ErrConflict
	}
	return s.keep(rec), nil
}

func (s *logless) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.ss[id]
	if !ok {
		return collabplus.Seller{}, collabplus.ErrNotFound
	}
	rec, err := e.Apply(rec, a, at)
	if err != nil {
		return collabplus.Seller{}, err
	}
	return s.keep(rec), nil
}

func (s *logless) Seller(ctx context.Context, id string) (collabplus.Seller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.ss[id]
	if !ok {
		return collabplus.Seller{}, collabplus.ErrNotFound
	}
	return rec, nil
}

// TestStore's machine fails on a store that loses part of what it is given to store: the
// creation log, or the products a permanent disqualification ended (ELG-11), which it reports
// but does not store. The suite runs in a child process, so that its failure is observed, not
// suffered; for the disqualification, rare in a run, with 100 runs rather than 15.
func TestMachineCatchesBrokenStore(t *testing.T) {
	switch os.Getenv("COLLABPLUSTEST_BROKEN_STORE") {
	case "logless":
		collabplustest.TestStore(t, func(t *testing.T) collabplus.Store { return &logless{ss: map[string]collabplus.Seller{}} })
		return
	case "dropping:disqualify":
		collabplustest.TestStore(t, func(t *testing.T) collabplus.Store {
			return &dropping{Memory: collabplus.NewMemory(), kind: "disqualify"}
		})
		return
	}
	for _, tc := range []struct {
		store string
		says  []string // the child's report names one of them
		args  []string
	}{
		{"logless", []string{"Submissions"}, nil},
		// A dropped disqualification shows as a product not ended, or a shop not recorded.
		{"dropping:disqualify", []string{"Ended", "Disqualified"}, []string{"-rapid.checks=100"}},
	} {
		t.Run(tc.store, func(t *testing.T) {
			childtest.Fails(t, "TestMachineCatchesBrokenStore", "machine", "COLLABPLUSTEST_BROKEN_STORE="+tc.store, tc.args, tc.says...)
		})
	}
}
