package invitation

import (
	"context"
	"fmt"
	"hash/maphash"
	"strconv"
	"sync"
	"time"

	"github.com/affrules/affrules"
)

// shardCount is the number of independently locked parts of a [Memory] ledger; accounts are
// spread over them by a hash of their ID.
const shardCount = 64

// arenaChunk is how many contacts a shard's contact arena holds before it starts another.
const arenaChunk = 1024

// Memory is an in-memory [Ledger], safe for concurrent use by many goroutines of one process.
// Accounts are spread over 64 shards, each with its own lock, so callers working on different
// accounts rarely wait for each other; everything one account owns is in one shard, which makes
// each reservation atomic (INV-11).
//
// Memory stays bounded on a long run. An account keeps its day counter, one last-invitation
// instant per creator invited within the repeat window, and its history for the retention period
// ([KeepHistory], default 90 days). Older data is dropped as the account reserves and, for idle
// accounts, by a sweep that each shard runs a step of every 64 reservations. The ledger's notion
// of the present is the latest instant it has been given: an instant that jumps years ahead
// drops what is older than the window before it.
//
// Creators are keyed by a seeded 64-bit hash of their ID in the repeat-window state; a collision
// (about one chance in 10^13 for an account that invites 800 creators a week) can only make the
// ledger refuse, never admit. Records returned by History and Respond are in the account's
// home-market zone.
type Memory struct {
	policy    Policy
	window    int64        // repeat window, ns
	retention int64        // history retention, ns
	seed      maphash.Seed // shard of an account
	keySeed   maphash.Seed // creatorKey
	shards    [shardCount]shard
}

type shard struct {
	mu       sync.Mutex
	accounts map[string]*account
	list     []*account // every account of the shard, for the sweep
	sweep    int        // next index of list to sweep
	tick     uint32
	latest   int64     // latest instant reserved in the shard, ns
	arena    []Contact // contacts of recorded invitations, appended in chunks
	_        [64]byte  // keep neighbouring shards' locks off this cache line
}

type account struct {
	id       string
	home     *time.Location
	homeCode affrules.MarketCode
	dayStart int64 // Usage.Day as ns; both 0 when the account has no day yet
	dayEnd   int64
	count    int
	seq      int64
	last     map[uint64]int64 // creator key → last invitation (ns), within the window
	log      ring             // history, oldest first; log.at(i).seq == log.at(0).seq+i
	pruned   int              // log entries [0, pruned) are older than the window and out of last
}

// ring is a queue of entries in a power-of-two buffer, so that dropping the oldest and adding a
// newest entry moves and allocates nothing in steady state.
type ring struct {
	buf  []entry // len 0 or a power of two
	head int     // index in buf of the oldest entry
	n    int
}

func (r *ring) at(i int) *entry { return &r.buf[(r.head+i)&(len(r.buf)-1)] }

func (r *ring) push(e entry) {
	if r.n == len(r.buf) {
		r.resize(max(8, 2*len(r.buf)))
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = e
	r.n++
}

// drop removes the k oldest entries, releasing what they hold, and shrinks a mostly empty buffer.
func (r *ring) drop(k int) {
	for i := range k {
		*r.at(i) = entry{}
	}
	r.head, r.n = (r.head+k)&(len(r.buf)-1), r.n-k
	switch {
	case r.n == 0:
		*r = ring{}
	case len(r.buf) > 64 && r.n <= len(r.buf)/4:
		r.resize(len(r.buf) / 2)
	}
}

func (r *ring) resize(size int) {
	buf := make([]entry, size)
	for i := range r.n {
		buf[i] = *r.at(i)
	}
	r.buf, r.head = buf, 0
}

type entry struct {
	at         int64  // first, with key: pruning reads only the entry's first cache line
	key        uint64 // creatorKey of inv.CreatorID
	seq        int64
	interested int64 // when the creator answered (ns), if answered
	answered   bool
	inv        Invitation
}

// creatorKey is the key of a creator in an account's last-invitation map: a seeded 64-bit hash
// of the creator ID, which keeps the map free of pointers (the garbage collector does not scan it)
// and lets pruning delete without reading the ID. Two creators of one account whose IDs collide
// (about one chance in 10^13 for an account that invites 800 creators a week) share one
// repeat window: a collision can make the ledger refuse, never admit.
func (m *Memory) creatorKey(id string) uint64 { return maphash.String(m.keySeed, id) }

// MemoryOption configures a [Memory] ledger.
type MemoryOption func(*Memory)

// KeepHistory sets how long a [Memory] ledger keeps invitation history (INV-9), counted back from
// the latest instant it has been given. It is at least the repeat window; a shorter duration is
// raised to it. The default is 90 days.
func KeepHistory(d time.Duration) MemoryOption {
	return func(m *Memory) { m.retention = int64(d) }
}

// NewMemory returns an empty in-memory ledger enforcing policy p, or the problems of p.
func NewMemory(p Policy, opts ...MemoryOption) (*Memory, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	m := &Memory{policy: p, window: int64(affrules.Days(p.RepeatWindowDays)), retention: int64(affrules.Days(90)), seed: maphash.MakeSeed(), keySeed: maphash.MakeSeed()}
	for _, o := range opts {
		o(m)
	}
	m.retention = max(m.retention, m.window)
	for i := range m.shards {
		m.shards[i].accounts = make(map[string]*account)
	}
	return m, nil
}

func (m *Memory) shard(id string) *shard {
	return &m.shards[maphash.String(m.seed, id)&(shardCount-1)]
}

// Reserve implements [Ledger.Reserve].
func (m *Memory) Reserve(ctx context.Context, a Account, inv Invitation, at time.Time) (Record, affrules.Decision, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, affrules.Decision{}, fmt.Errorf("%s: reserve: %w", pkg, err)
	}
	if a.ID == "" || inv.CreatorID == "" {
		return Record{}, affrules.Decision{}, affrules.Errorf(pkg, "reserve", fmt.Sprintf("account %q, creator %q", a.ID, inv.CreatorID), "account and creator IDs must not be empty")
	}
	if err := checkInstant(at); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	now := at.UnixNano()
	s := m.shard(a.ID)
	s.mu.Lock()
	acc := s.accounts[a.ID]
	if acc == nil {
		var err error
		if acc, err = s.add(a); err != nil {
			s.mu.Unlock()
			return Record{}, affrules.Decision{}, err
		}
	} else if acc.homeCode != a.HomeMarket {
		s.mu.Unlock()
		return Record{}, affrules.Decision{}, affrules.Errorf(pkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "differs from %s, the home market recorded for account %s", acc.homeCode, a.ID)
	}
	acc.prune(now, m.window, m.retention)
	u := Usage{Count: acc.count}
	if acc.dayEnd != 0 {
		u.Day = affrules.Period{Start: time.Unix(0, acc.dayStart), End: time.Unix(0, acc.dayEnd)}
	}
	key := m.creatorKey(inv.CreatorID)
	if last, ok := acc.last[key]; ok {
		u.Last = time.Unix(0, last)
	}
	d, next := m.policy.Check(acc.home, u, at)
	if !d.Allowed {
		s.mu.Unlock()
		return Record{}, d, nil
	}
	acc.dayStart, acc.dayEnd, acc.count = next.Day.Start.UnixNano(), next.Day.End.UnixNano(), next.Count
	acc.last[key] = next.Last.UnixNano()
	acc.seq++
	e := entry{at: now, key: key, seq: acc.seq, inv: inv}
	e.inv.Contacts = s.keep(inv.Contacts)
	acc.log.push(e)
	s.latest = max(s.latest, now)
	if s.tick++; s.tick%64 == 0 {
		s.sweepStep(m)
	}
	rec := Record{Account: acc.id, Seq: acc.seq, At: time.Unix(0, now).In(acc.home), Invitation: inv}
	s.mu.Unlock()
	return rec, d, nil
}

// add creates the state of a new account; the caller holds s.mu.
func (s *shard) add(a Account) (*account, error) {
	mk, err := affrules.LookupMarket(a.HomeMarket)
	if err != nil {
		return nil, affrules.Errorf(pkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	acc := &account{id: a.ID, home: mk.Location(), homeCode: a.HomeMarket, last: make(map[uint64]int64)}
	s.accounts[a.ID] = acc
	s.list = append(s.list, acc)
	return acc, nil
}

// keep copies cs into the shard's arena, so that the ledger does not share the caller's slice.
func (s *shard) keep(cs []Contact) []Contact {
	if len(cs) == 0 {
		return nil
	}
	if cap(s.arena)-len(s.arena) < len(cs) {
		s.arena = make([]Contact, 0, max(arenaChunk, len(cs)))
	}
	n := len(s.arena)
	s.arena = append(s.arena, cs...)
	return s.arena[n : n+len(cs) : n+len(cs)]
}

// sweepStep prunes one account of the shard at the shard's latest instant, so that accounts
// that stop inviting do not hold memory for ever. The caller holds s.mu.
func (s *shard) sweepStep(m *Memory) {
	if s.sweep >= len(s.list) {
		s.sweep = 0
	}
	s.list[s.sweep].prune(s.latest, m.window, m.retention)
	s.sweep++
}

// prune drops what no rule needs at instant now: last-invitation instants older than the window
// (INV-3, MKT-3: at exactly now-window the creator may be invited again) and history older than
// the retention.
func (acc *account) prune(now, window, retention int64) {
	cut := now - window
	for acc.pruned < acc.log.n && acc.log.at(acc.pruned).at <= cut {
		e := acc.log.at(acc.pruned)
		if v, ok := acc.last[e.key]; ok && v <= cut {
			delete(acc.last, e.key)
		}
		acc.pruned++
	}
	hcut, n := now-retention, 0
	for n < acc.pruned && acc.log.at(n).at <= hcut {
		n++
	}
	if n > 0 {
		acc.log.drop(n)
		acc.pruned -= n
	}
}

func (acc *account) record(e *entry) Record {
	r := Record{Account: acc.id, Seq: e.seq, At: time.Unix(0, e.at).In(acc.home), Invitation: e.inv}
	if e.answered {
		r.InterestedAt = time.Unix(0, e.interested).In(acc.home)
	}
	return r
}

// History implements [Ledger.History].
func (m *Memory) History(ctx context.Context, q Query) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, fmt.Errorf("%s: history: %w", pkg, err)
	}
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	limit := q.PageSize()
	s := m.shard(q.Account)
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.accounts[q.Account]
	if acc == nil {
		return Page{}, nil
	}
	var page Page
	var seen map[string]bool
	if q.LatestPerCreator {
		seen = make(map[string]bool)
	}
	for i := acc.log.n - 1; i >= 0; i-- {
		e := acc.log.at(i)
		r := acc.record(e)
		if !q.Matches(r) {
			continue
		}
		if seen != nil {
			if seen[r.CreatorID] {
				continue
			}
			seen[r.CreatorID] = true
		}
		if q.Before != 0 && e.seq >= q.Before {
			continue
		}
		if len(page.Records) == limit {
			page.Next = page.Records[limit-1].Seq
			break
		}
		r.Contacts = append([]Contact(nil), r.Contacts...)
		page.Records = append(page.Records, r)
	}
	return page, nil
}

// Respond implements [Ledger.Respond].
func (m *Memory) Respond(ctx context.Context, account string, seq int64, at time.Time) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, fmt.Errorf("%s: respond: %w", pkg, err)
	}
	if err := checkInstant(at); err != nil {
		return Record{}, err
	}
	s := m.shard(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.accounts[account]
	if acc == nil || acc.log.n == 0 || seq < acc.log.at(0).seq || seq > acc.seq {
		return Record{}, affrules.Errorf(pkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", ErrNotFound)
	}
	e := acc.log.at(int(seq - acc.log.at(0).seq))
	if !e.answered {
		if at.UnixNano() < e.at {
			return Record{}, affrules.Errorf(pkg, "respond.at", at.Format(time.RFC3339Nano), "is before the invitation was sent at %s", time.Unix(0, e.at).In(acc.home).Format(time.RFC3339Nano))
		}
		e.answered, e.interested = true, at.UnixNano()
	}
	r := acc.record(e)
	r.Contacts = append([]Contact(nil), r.Contacts...)
	return r, nil
}
