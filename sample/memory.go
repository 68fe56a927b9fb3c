package sample

import (
	"context"
	"errors"
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

// Memory is an in-memory [Ledger], safe for concurrent use. The zero Memory is an empty ledger
// ready for use.
type Memory struct {
	mu        sync.Mutex
	byID      map[string]*Request
	byCreator map[string][]*Request
	auto      map[quantityKey]int64 // campaign requests approved automatically (SMP-2)
}

// quantityKey names a product's sample quantity in one partner campaign.
type quantityKey struct {
	seller, context, product string
	market                   affrules.MarketCode
}

// NewMemory returns an empty in-memory ledger.
func NewMemory() *Memory { return &Memory{} }

var _ Ledger = (*Memory)(nil)

// history returns what the ledger holds that bears on req at at.
func (m *Memory) history(rule Rule, req *Request, at time.Time) History {
	h := rule.history(req, at, slices.Values(m.byCreator[req.Creator])) // it clones what it keeps
	if req.Source == Campaign {
		h.AutoApproved = m.auto[quantityKey{req.Seller, req.Context, req.Product, req.Market}]
	}
	return h
}

// Request implements [Ledger.Request].
func (m *Memory) Request(ctx context.Context, rule Rule, req Request, f Facts, at time.Time) (Request, affrules.Decision, error) {
	if m == nil {
		return Request{}, affrules.Decision{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Request{}, affrules.Decision{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byID[req.ID]; ok && req.ID != "" {
		return Request{}, affrules.Decision{}, fielderr.New(pkg, "request.id", strconv.Quote(req.ID), "%w", ErrConflict)
	}
	h := m.history(rule, &req, at)
	out, d, err := rule.Decide(h, req, f, at)
	if err != nil || !d.Allowed {
		return Request{}, d, err
	}
	if m.byID == nil {
		m.byID, m.byCreator, m.auto = map[string]*Request{}, map[string][]*Request{}, map[quantityKey]int64{}
	}
	if out.Source == Campaign && len(out.Events) > 1 && out.Events[1].Kind == Approved {
		m.auto[quantityKey{out.Seller, out.Context, out.Product, out.Market}]++
	}
	stored := out.clone()
	m.byID[stored.ID] = &stored
	m.byCreator[stored.Creator] = append(m.byCreator[stored.Creator], &stored)
	return out, d, nil
}

// Record implements [Ledger.Record].
func (m *Memory) Record(ctx context.Context, rule Rule, id string, k EventKind, at time.Time) (Request, error) {
	if m == nil {
		return Request{}, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Request{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	x, ok := m.byID[id]
	if !ok {
		return Request{}, fielderr.New(pkg, "request.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	mine := make([]Request, 0, len(m.byCreator[x.Creator]))
	for _, y := range m.byCreator[x.Creator] {
		if y.Product == x.Product && y.ID != x.ID {
			mine = append(mine, *y) // read only: no copy of its events needed
		}
	}
	out, err := rule.RecordAmong(mine, *x, k, at)
	if err != nil {
		return Request{}, err
	}
	*x = out.clone()
	return out, nil
}

// Requests implements [Ledger.Requests].
func (m *Memory) Requests(ctx context.Context, creator string) ([]Request, error) {
	if m == nil {
		return nil, errNilMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Request, 0, len(m.byCreator[creator]))
	for _, x := range m.byCreator[creator] {
		out = append(out, x.clone())
	}
	slices.SortStableFunc(out, func(a, b Request) int { return a.Events[0].At.Compare(b.Events[0].At) })
	return out, nil
}
