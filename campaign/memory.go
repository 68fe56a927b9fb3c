package campaign

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/fielderr"
)

// errNilMemory is the error of a method called on a nil *Memory, which holds nothing to use.
var errNilMemory = errors.New(pkg + ": nil *Memory: use a Memory value (its zero value is ready) or NewMemory")

// Memory is an in-memory [Store], safe for concurrent use. The zero Memory is an empty store
// ready for use.
type Memory struct {
	mu        sync.Mutex
	campaigns map[string]Campaign
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{} }

var _ Store = (*Memory)(nil)

// Create implements [Store.Create].
func (m *Memory) Create(ctx context.Context, e *Evaluator, c Campaign, at time.Time) (Campaign, error) {
	if m == nil {
		return Campaign{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Campaign{}, err
	}
	n, err := e.Create(c, at)
	if err != nil {
		return Campaign{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.campaigns[n.ID]; ok {
		return Campaign{}, fielderr.New(pkg, "campaign.id", strconv.Quote(n.ID), "%w", ErrConflict)
	}
	if m.campaigns == nil {
		m.campaigns = map[string]Campaign{}
	}
	m.campaigns[n.ID] = n
	return n.clone(), nil
}

// Apply implements [Store.Apply].
func (m *Memory) Apply(ctx context.Context, e *Evaluator, id string, a Action, at time.Time) (Campaign, error) {
	if m == nil {
		return Campaign{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Campaign{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.campaigns[id]
	if !ok {
		return Campaign{}, fielderr.New(pkg, "campaign.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	n, err := e.Apply(c, a, at)
	if err != nil {
		return Campaign{}, err
	}
	m.campaigns[id] = n
	return n.clone(), nil
}

// Campaign implements [Store.Campaign].
func (m *Memory) Campaign(ctx context.Context, id string) (Campaign, error) {
	if m == nil {
		return Campaign{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Campaign{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.campaigns[id]
	if !ok {
		return Campaign{}, fielderr.New(pkg, "campaign.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	return c.clone(), nil
}

// Campaigns implements [Store.Campaigns].
func (m *Memory) Campaigns(ctx context.Context, mk affrules.MarketCode) ([]Campaign, error) {
	if m == nil {
		return nil, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return nil, err
	}
	if _, err := affrules.LookupMarket(mk); mk != "" && err != nil {
		return nil, fielderr.New(pkg, "market", strconv.Quote(string(mk)), "%w", affrules.ErrUnknownMarket)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Campaign
	for _, id := range slices.Sorted(maps.Keys(m.campaigns)) {
		if c := m.campaigns[id]; mk == "" || c.Market == mk {
			out = append(out, c.clone())
		}
	}
	return out, nil
}
