package collabplustest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
)

// racy is a broken store: Create checks that the seller is new under its lock, releases it for
// a database round trip, then writes, so that two Creates of one ID at once both succeed and
// the later overwrites the earlier. It keeps each seller in a Memory of its own.
type racy struct {
	mu sync.Mutex
	ss map[string]*collabplus.Memory
}

func (s *racy) memory(id string) (*collabplus.Memory, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.ss[id]
	if !ok {
		return nil, fmt.Errorf("seller %q: %w", id, collabplus.ErrNotFound)
	}
	return m, nil
}

func (s *racy) Create(ctx context.Context, rec collabplus.Seller) (collabplus.Seller, error) {
	if _, err := s.memory(rec.ID); err == nil {
		return collabplus.Seller{}, fmt.Errorf("seller %q: %w", rec.ID, collabplus.ErrConflict)
	}
	time.Sleep(time.Millisecond) // the round trip between the check and the write
	m := collabplus.NewMemory()
	got, err := m.Create(ctx, rec)
	if err != nil {
		return collabplus.Seller{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ss[rec.ID] = m
	return got, nil
}

func (s *racy) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	m, err := s.memory(id)
	if err != nil {
		return collabplus.Seller{}, err
	}
	return m.Apply(ctx, e, id, a, at)
}

func (s *racy) Seller(ctx context.Context, id string) (collabplus.Seller, error) {
	m, err := s.memory(id)
	if err != nil {
		return collabplus.Seller{}, err
	}
	return m.Seller(ctx, id)
}

// dropping is a broken store that reports the result of applying an action of one kind
// ("finalize", "recall", "disqualify") but never stores it.
type dropping struct {
	*collabplus.Memory
	kind string
}

func (s *dropping) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	if !strings.HasPrefix(a.String(), s.kind+" ") {
		return s.Memory.Apply(ctx, e, id, a, at)
	}
	rec, err := s.Memory.Seller(ctx, id)
	if err != nil {
		return collabplus.Seller{}, err
	}
	return e.Apply(rec, a, at)
}

// The fixed cases of TestStore fail on a store that lets two Creates of one seller both
// succeed, or drops final terms, recalls or disqualifications. Each suite runs in a child process, so that its failure is observed, not
// suffered.
func TestSuitesCatchBrokenStores(t *testing.T) {
	if broken := os.Getenv("COLLABPLUSTEST_BROKEN"); broken != "" {
		collabplustest.TestStore(t, func(t *testing.T) collabplus.Store {
			kind, part, _ := strings.Cut(broken, ":")
			switch kind {
			case "racy":
				return &racy{ss: map[string]*collabplus.Memory{}}
			case "dropping":
				return &dropping{Memory: collabplus.NewMemory(), kind: part}
			}
			t.Fatalf("no broken store %q", broken)
			return nil
		})
		return
	}
	cases := []struct{ store, subtest, says string }{
		{"racy", "ConcurrentCreates", "both succeeded"},
		{"dropping:finalize", "FinalRecallDisqualifyStored_CP7_CP15_ELG11", "after finalize \"c1\" the store holds what Apply did not return"},
		{"dropping:recall", "FinalRecallDisqualifyStored_CP7_CP15_ELG11", "after recall \"c2\" the store holds what Apply did not return"},
		{"dropping:disqualify", "FinalRecallDisqualifyStored_CP7_CP15_ELG11", "after disqualify \"p1\" the store holds what Apply did not return"},
	}
	for _, tc := range cases {
		t.Run(tc.store, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuitesCatchBrokenStores$/^"+tc.subtest+"$", "-rapid.nofailfile")
			cmd.Env = append(os.Environ(), "COLLABPLUSTEST_BROKEN="+tc.store)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a %s store:\n%s", tc.store, out)
			}
			if !strings.Contains(string(out), "--- FAIL: TestSuitesCatchBrokenStores/"+tc.subtest) || !strings.Contains(string(out), tc.says) {
				t.Fatalf("the child did not fail in %s saying %q:\n%s", tc.subtest, tc.says, out)
			}
		})
	}
}
