package commission

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

// errNilOfferMemory is the error of a method called on a nil *OfferMemory, which holds nothing to use.
var errNilOfferMemory = errors.New(pkg + ": nil *OfferMemory: use a OfferMemory value (its zero value is ready) or NewOfferMemory")

// errNilRecordMemory is the error of a method called on a nil *RecordMemory, which holds nothing to use.
var errNilRecordMemory = errors.New(pkg + ": nil *RecordMemory: use a RecordMemory value (its zero value is ready) or NewRecordMemory")

// OfferMemory is an in-memory [OfferStore], safe for concurrent use. The zero OfferMemory is an
// empty store ready for use.
type OfferMemory struct {
	mu     sync.RWMutex
	offers map[string]Offer
	ids    map[bookKey][]string // the IDs of each market and product's offers, in order
}

// NewOfferMemory returns an empty in-memory offer store.
func NewOfferMemory() *OfferMemory { return &OfferMemory{} }

var _ OfferStore = (*OfferMemory)(nil)

// Put implements [OfferStore.Put].
func (m *OfferMemory) Put(ctx context.Context, rule OfferRule, o Offer, at time.Time) (Offer, error) {
	if m == nil {
		return Offer{}, errNilOfferMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Offer{}, err
	}
	o = o.clone()
	m.mu.Lock()
	defer m.mu.Unlock()
	var prev *Offer
	if old, ok := m.offers[o.ID]; ok {
		prev = &old
	}
	if err := rule.Check(prev, o, at); err != nil {
		return Offer{}, err
	}
	o.Updated = at.UTC()
	k := bookKey{o.Market, o.Product}
	for _, id := range m.ids[k] { // only offers of one market and product conflict; in ID order, as store/postgres
		if x := m.offers[id]; id != o.ID && rule.Conflicts(x, o) {
			return Offer{}, rule.ConflictError(o, "offer "+strconv.Quote(id))
		}
	}
	if m.offers == nil {
		m.offers, m.ids = map[string]Offer{}, map[bookKey][]string{}
	}
	// An offer's market and product never change (Check refuses it), so its key is its first.
	if i, found := slices.BinarySearch(m.ids[k], o.ID); !found {
		m.ids[k] = slices.Insert(m.ids[k], i, o.ID)
	}
	m.offers[o.ID] = o
	return o.clone(), nil
}

// Offer implements [OfferStore.Offer].
func (m *OfferMemory) Offer(ctx context.Context, id string) (Offer, error) {
	if m == nil {
		return Offer{}, errNilOfferMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Offer{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	o, ok := m.offers[id]
	if !ok {
		return Offer{}, fielderr.New(pkg, "offer.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	return o.clone(), nil
}

// Offers implements [OfferStore.Offers].
func (m *OfferMemory) Offers(ctx context.Context, market affrules.MarketCode, product string) ([]Offer, error) {
	if m == nil {
		return nil, errNilOfferMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return nil, err
	}
	if _, err := affrules.LookupMarket(market); err != nil {
		return nil, fielderr.New(pkg, "market", strconv.Quote(string(market)), "%w", affrules.ErrUnknownMarket)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Offer
	for _, id := range m.ids[bookKey{market, product}] {
		out = append(out, m.offers[id].clone())
	}
	return out, nil
}

// RecordMemory is an in-memory [RecordStore], safe for concurrent use. The zero RecordMemory is
// an empty store ready for use.
type RecordMemory struct {
	mu      sync.Mutex
	records map[string]Record
}

// NewRecordMemory returns an empty in-memory record store.
func NewRecordMemory() *RecordMemory { return &RecordMemory{} }

var _ RecordStore = (*RecordMemory)(nil)

// Create implements [RecordStore.Create].
func (m *RecordMemory) Create(ctx context.Context, s Settlement, r Record) (Record, error) {
	if m == nil {
		return Record{}, errNilRecordMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Record{}, err
	}
	if err := s.Check(r); err != nil {
		return Record{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.records[r.ID]; ok {
		if old.SameOrigin(r) {
			return old.Clone(), nil
		}
		return Record{}, fielderr.New(pkg, "record.id", strconv.Quote(r.ID), "%w", ErrConflict)
	}
	if m.records == nil {
		m.records = map[string]Record{}
	}
	r = r.Clone()
	m.records[r.ID] = r
	return r.Clone(), nil
}

// Apply implements [RecordStore.Apply].
func (m *RecordMemory) Apply(ctx context.Context, s Settlement, ev Event) (Record, error) {
	if m == nil {
		return Record{}, errNilRecordMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Record{}, err
	}
	if err := s.Validate(); err != nil {
		return Record{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[ev.Record]
	if !ok {
		return Record{}, fielderr.New(pkg, "event.record", strconv.Quote(ev.Record), "%w", ErrNotFound)
	}
	out, err := s.Apply(r, ev)
	if err != nil {
		return Record{}, err
	}
	m.records[r.ID] = out
	return out.Clone(), nil
}

// Record implements [RecordStore.Record].
func (m *RecordMemory) Record(ctx context.Context, id string) (Record, error) {
	if m == nil {
		return Record{}, errNilRecordMemory
	}
	if err := ctxerr.Of(pkg, ctx); err != nil {
		return Record{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[id]
	if !ok {
		return Record{}, fielderr.New(pkg, "record.id", strconv.Quote(id), "%w", ErrNotFound)
	}
	return r.Clone(), nil
}
