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
// accounts, by a sweep that each shard runs a step of every few reservations. The ledger's notion
// of the present is the latest instant it has been given: an instant that jumps years ahead
// drops what is older than the window before it.
//
// Records returned by History and Respond are in the account's home-market zone.
type Memory struct {
	policy    Policy
	window    int64 // repeat window, ns
	retention int64 // history retention, ns
	seed      maphash.Seed
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
	last     map[string]int64 // creator ID → last invitation (ns), within the window
	log      []entry          // history, oldest first; log[i].seq == log[0].seq+i
	pruned   int              // log[:pruned] is older than the window and out of last
}

type entry struct {
	seq        int64
	at         int64
	interested int64 // when the creator answered (ns), if answered
	answered   bool
	inv        Invitation
}

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
	m := &Memory{policy: p, window: int64(affrules.Days(p.RepeatWindowDays)), retention: int64(affrules.Days(90)), seed: maphash.MakeSeed()}
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
	if last, ok := acc.last[inv.CreatorID]; ok {
		u.Last = time.Unix(0, last)
	}
	d, next := m.policy.Check(acc.home, u, at)
	if !d.Allowed {
		s.mu.Unlock()
		return Record{}, d, nil
	}
	acc.dayStart, acc.dayEnd, acc.count = next.Day.Start.UnixNano(), next.Day.End.UnixNano(), next.Count
	acc.last[inv.CreatorID] = next.Last.UnixNano()
	acc.seq++
	e := entry{seq: acc.seq, at: now, inv: inv}
	e.inv.Contacts = s.keep(inv.Contacts)
	acc.log = append(acc.log, e)
	s.latest = max(s.latest, now)
	if s.tick++; s.tick%8 == 0 {
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
	acc := &account{id: a.ID, home: mk.Location(), homeCode: a.HomeMarket, last: make(map[string]int64)}
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
	for acc.pruned < len(acc.log) && acc.log[acc.pruned].at <= cut {
		e := &acc.log[acc.pruned]
		if v, ok := acc.last[e.inv.CreatorID]; ok && v <= cut {
			delete(acc.last, e.inv.CreatorID)
		}
		acc.pruned++
	}
	hcut, n := now-retention, 0
	for n < acc.pruned && acc.log[n].at <= hcut {
		n++
	}
	if n > 0 {
		clear(acc.log[:n]) // release the strings the dropped records hold
		acc.log, acc.pruned = acc.log[n:], acc.pruned-n
		if len(acc.log) == 0 {
			acc.log = nil
		}
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
	for i := len(acc.log) - 1; i >= 0; i-- {
		e := &acc.log[i]
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
	if acc == nil || len(acc.log) == 0 || seq < acc.log[0].seq || seq > acc.seq {
		return Record{}, affrules.Errorf(pkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", ErrNotFound)
	}
	e := &acc.log[seq-acc.log[0].seq]
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
