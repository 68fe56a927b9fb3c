package collabplus

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/fielderr"
)

// errNilMemory is the error of a method called on a nil *Memory, which holds nothing to use.
var errNilMemory = errors.New(pkg + ": nil *Memory: use a Memory value (its zero value is ready) or NewMemory")

// Memory is an in-memory [Store], safe for concurrent use. The zero Memory is an empty store
// ready for use.
type Memory struct {
	mu      sync.Mutex
	sellers map[string]Seller
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{} }

var _ Store = (*Memory)(nil)

// Create implements [Store.Create]: a record [Seller.Validate] refuses (no ID, market or
// instant, or anything only [Evaluator.Apply] sets: groups, blocklist, creation log,
// collaborations, a disqualification) is bad input, and nothing is stored.
func (m *Memory) Create(ctx context.Context, s Seller) (Seller, error) {
	if m == nil {
		return Seller{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Seller{}, err
	}
	if err := s.Validate(); err != nil {
		return Seller{}, err
	}
	s = s.clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sellers[s.ID]; ok {
		return Seller{}, fielderr.New(pkg, "seller.id", strconv.Quote(s.ID), "%w", ErrConflict)
	}
	if m.sellers == nil {
		m.sellers = map[string]Seller{}
	}
	m.sellers[s.ID] = s
	return s.clone(), nil
}

// Apply implements [Store.Apply].
func (m *Memory) Apply(ctx context.Context, e *Evaluator, id string, a Action, at time.Time) (Seller, error) {
	if m == nil {
		return Seller{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Seller{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sellers[id]
	if !ok {
		return Seller{}, fielderr.New(pkg, "seller.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	n, err := e.Apply(s, a, at)
	if err != nil {
		return Seller{}, err
	}
	m.sellers[id] = n
	return n.clone(), nil
}

// Seller implements [Store.Seller].
func (m *Memory) Seller(ctx context.Context, id string) (Seller, error) {
	if m == nil {
		return Seller{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Seller{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sellers[id]
	if !ok {
		return Seller{}, fielderr.New(pkg, "seller.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	return s.clone(), nil
}
