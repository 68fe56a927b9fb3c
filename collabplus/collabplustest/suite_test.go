package collabplustest_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
	"github.com/affrules/affrules/internal/childtest"
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

// shared lists, by name, the parts of a record a sharing store shares: each copies that part
// of from into to, by reference.
var shared = map[string]func(to, from *collabplus.Seller){
	"record":      func(to, from *collabplus.Seller) { *to = *from },
	"groups":      func(to, from *collabplus.Seller) { to.Groups = from.Groups },
	"blocklist":   func(to, from *collabplus.Seller) { to.Blocklist = from.Blocklist },
	"submissions": func(to, from *collabplus.Seller) { to.Submissions = from.Submissions },
	"categories":  eachGroup(func(to, from *collabplus.Group) { to.Categories = from.Categories }),
	"content":     eachGroup(func(to, from *collabplus.Group) { to.ContentTypes = from.ContentTypes }),
	"criteria":    eachGroup(func(to, from *collabplus.Group) { to.Criteria = from.Criteria }),
	"one_of": eachGroup(func(to, from *collabplus.Group) {
		for k := range min(len(to.Criteria), len(from.Criteria)) {
			to.Criteria[k].OneOf = from.Criteria[k].OneOf
		}
	}),
	"min": eachGroup(func(to, from *collabplus.Group) {
		for k := range min(len(to.Criteria), len(from.Criteria)) {
			to.Criteria[k].Min = from.Criteria[k].Min
		}
	}),
	"max_level":      eachGroup(func(to, from *collabplus.Group) { to.MaxLevel = from.MaxLevel }),
	"collaborations": func(to, from *collabplus.Seller) { to.Collaborations = from.Collaborations },
	"products":       eachCollab(func(to, from *collabplus.Collaboration) { to.Preferences.Products = from.Preferences.Products }),
	"tasks":          eachCollab(func(to, from *collabplus.Collaboration) { to.Preferences.Tasks = from.Preferences.Tasks }),
	"tiers":          eachCollab(func(to, from *collabplus.Collaboration) { to.Preferences.Tiers = from.Preferences.Tiers }),
	"objectives":     eachCollab(func(to, from *collabplus.Collaboration) { to.Preferences.Objectives = from.Preferences.Objectives }),
	"final":          eachCollab(func(to, from *collabplus.Collaboration) { to.Final = from.Final }),
	"final_objectives": eachCollab(func(to, from *collabplus.Collaboration) {
		if to.Final != nil && from.Final != nil {
			to.Final.Objectives = from.Final.Objectives
		}
	}),
	"group": eachCollab(func(to, from *collabplus.Collaboration) { to.Group = from.Group }),
	"group_categories": eachCollab(func(to, from *collabplus.Collaboration) {
		if to.Group != nil && from.Group != nil {
			to.Group.Categories = from.Group.Categories
		}
	}),
	"events":  eachCollab(func(to, from *collabplus.Collaboration) { to.Events = from.Events }),
	"members": eachCollab(func(to, from *collabplus.Collaboration) { to.Members = from.Members }),
	"ended":   eachCollab(func(to, from *collabplus.Collaboration) { to.Ended = from.Ended }),
}

func eachGroup(f func(to, from *collabplus.Group)) func(to, from *collabplus.Seller) {
	return func(to, from *collabplus.Seller) {
		for i := range min(len(to.Groups), len(from.Groups)) {
			f(&to.Groups[i], &from.Groups[i])
		}
	}
}

func eachCollab(f func(to, from *collabplus.Collaboration)) func(to, from *collabplus.Seller) {
	return func(to, from *collabplus.Seller) {
		for i := range min(len(to.Collaborations), len(from.Collaborations)) {
			f(&to.Collaborations[i], &from.Collaborations[i])
		}
	}
}

// sharing is a broken store, a Memory behind a cache: Seller answers with the record as stored
// but one part (shared[part]) that of the last record Apply returned or Seller read, by
// reference, so that a caller changing that part of what it was given changes what the next
// caller reads.
type sharing struct {
	*collabplus.Memory
	part  string
	mu    sync.Mutex
	cache map[string]collabplus.Seller
}

func (s *sharing) Apply(ctx context.Context, e *collabplus.Evaluator, id string, a collabplus.Action, at time.Time) (collabplus.Seller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.Memory.Apply(ctx, e, id, a, at)
	if err == nil {
		s.cache[id] = rec
	}
	return rec, err
}

func (s *sharing) Seller(ctx context.Context, id string) (collabplus.Seller, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.Memory.Seller(ctx, id)
	if err != nil {
		return rec, err
	}
	if c, ok := s.cache[id]; ok {
		shared[s.part](&rec, &c)
		return rec, nil
	}
	s.cache[id] = rec
	return rec, nil
}

// The fixed cases of TestStore fail on a store that lets two Creates of one seller both
// succeed, drops final terms, recalls or disqualifications, or shares any part of the records
// it returns. Each suite runs in a child process, so that its failure is observed, not
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
			case "sharing":
				return &sharing{Memory: collabplus.NewMemory(), part: part, cache: map[string]collabplus.Seller{}}
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
	says := map[string]string{ // what the diff of each shared part names
		"record": "Groups[0].ID", "groups": "Groups[0].ID", "blocklist": "Blocklist[0].Creator",
		"submissions": "Submissions[0].Collaboration", "categories": "Groups[0].Categories[0]",
		"content": "Groups[0].ContentTypes[0]", "criteria": "Groups[0].Criteria[0].Attribute",
		"one_of": "Groups[0].Criteria[0].OneOf[0]", "min": "Groups[0].Criteria[1].Min",
		"max_level": "Groups[0].MaxLevel", "collaborations": "Collaborations[0].ID",
		"products": "Collaborations[0].Preferences.Products[0].ID", "tasks": "Collaborations[0].Preferences.Tasks[0].ContentType",
		"tiers": "Collaborations[1].Preferences.Tiers[0].To", "objectives": "Collaborations[0].Preferences.Objectives[0].Name",
		"final": "Collaborations[0].Final.Group", "final_objectives": "Collaborations[0].Final.Objectives[0].Name",
		"group": "Collaborations[0].Group.ID", "group_categories": "Collaborations[0].Group.Categories[0]",
		"events": "Collaborations[0].Events[0].Kind", "members": "Collaborations[0].Members[0].Creator",
		"ended": "Collaborations[0].Ended[0].Product",
	}
	for part := range shared {
		if says[part] == "" {
			t.Fatalf("no expected diff for shared part %q", part)
		}
		cases = append(cases, struct{ store, subtest, says string }{"sharing:" + part, "CopiesIsolated", says[part]})
	}
	for _, tc := range cases {
		t.Run(tc.store, func(t *testing.T) {
			childtest.Fails(t, "TestSuitesCatchBrokenStores", tc.subtest, "COLLABPLUSTEST_BROKEN="+tc.store, nil, tc.says)
		})
	}
}
