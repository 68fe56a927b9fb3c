package invitation

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Memory is an in-memory [Ledger], safe for concurrent use by many goroutines of one process.
// Accounts are spread over independently locked shards by a hash of their ID, so callers working
// on different accounts rarely wait for each other; everything one account owns is in one shard,
// which makes each reservation atomic (INV-11). It owns no policy: each [Memory.Reserve] is
// decided by the [Quota] it is given. The zero Memory is an empty ledger ready for use, keeping
// history for the default 90 days; [NewMemory] sets options.
//
// A reservation touches little memory: an account's day counter and its compact table of the
// creators it invited within the repeat window. Records keep the caller's creator ID, username,
// nickname and message strings, which the ledger does not copy, and share the account's market,
// purpose and contacts, copied once for as long as the account keeps sending the same ones.
//
// Memory stays bounded on a long run. History is kept for the retention period ([KeepHistory],
// default 90 days, and never less than the repeat window of the quota given), dropped from its
// oldest end in blocks. An account's creator table holds at most the invitations of the longest
// repeat window the account has been given, and a sweep releases the table of an account that
// has invited no one within that window before the latest instant of its shard.
//
// The ledger's notion of the present is the latest instant it has been given: per account for
// the quotas, per shard for history. For the repeat window (INV-3) an instant earlier than the
// account's present is taken as the present: the creator's window is judged, and if the
// invitation is recorded runs, from the account's latest instant, so a clock that goes backwards
// can neither reopen a window nor open two for one creator; the record keeps the instant given.
// An account's present is its own: another account's instants never reopen its quotas (should an
// account come back after the sweep released its table, at an instant the released entries
// would still cover, it is refused as if every creator had been invited at the latest of them).
// History is dropped relative to the shard's present, so an instant that jumps years ahead drops
// the history of the accounts of its shard that is older than the retention before it.
//
// A quota may change between calls: the daily limit applies to the day's count as it stands,
// and a creator's last invitation is kept for the longest window the account has been given, so
// that a window lengthened again still covers it.
//
// Creators are keyed by a seeded 64-bit hash of their ID in the repeat-window state; a collision
// (about one chance in 10^13 for an account that invites 800 creators a week) can only make the
// ledger refuse, never admit. Records returned by History and Respond are in the account's
// home-market zone.
type Memory struct {
	state atomic.Pointer[memState] // nil until first used
}

// memState is a [Memory] once in use. The shards come first and the state is padded beyond
// 32 KiB, which makes it a large object to the Go allocator: one of its own, starting on a page,
// without the 8-byte header put before smaller objects that hold pointers. So the shards start
// on a cache line and no two share one (TestShardSize checks it); the padding costs 16 KiB a
// ledger, never touched.
type memState struct {
	shards    [shardCount]shard
	seed      maphash.Seed // shard of an account
	keySeed   maphash.Seed // creatorKey
	retention int64        // history retention, ns; raised to each call's repeat window
	_         [16 << 10]byte
}

// defaultRetention is how long a [Memory] keeps history unless [KeepHistory] says otherwise.
const defaultRetention = int64(90 * 24 * time.Hour)

// MemoryOption configures a [Memory] ledger made by [NewMemory]. A nil option does nothing.
type MemoryOption func(*memConfig)

// memConfig is what the options of [NewMemory] set.
type memConfig struct {
	retention int64
}

// KeepHistory sets how long a [Memory] ledger keeps invitation history (INV-9), counted back from
// the latest instant it has been given. It is at least the repeat window of each reservation's
// quota; a shorter duration is raised to it. The default is 90 days.
func KeepHistory(d time.Duration) MemoryOption {
	return func(c *memConfig) { c.retention = int64(d) }
}

// NewMemory returns an empty in-memory ledger with the given options.
func NewMemory(opts ...MemoryOption) *Memory {
	c := memConfig{retention: defaultRetention}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	m := new(Memory)
	m.state.Store(newMemState(c))
	return m
}

func newMemState(c memConfig) *memState {
	st := &memState{seed: maphash.MakeSeed(), keySeed: maphash.MakeSeed(), retention: c.retention}
	for i := range st.shards {
		st.shards[i].latest = math.MinInt64
	}
	return st
}

// load returns the ledger's state, making it on the first use of a zero Memory.
func (m *Memory) load() *memState {
	if st := m.state.Load(); st != nil {
		return st
	}
	st := newMemState(memConfig{retention: defaultRetention})
	if m.state.CompareAndSwap(nil, st) {
		return st
	}
	return m.state.Load() // another goroutine made it first
}

// Reserve implements [Ledger.Reserve].
func (m *Memory) Reserve(ctx context.Context, q Quota, a Account, inv Invitation, at time.Time) (Record, affrules.Decision, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, affrules.Decision{}, fmt.Errorf("%s: reserve: %w", pkg, err)
	}
	if !q.valid() {
		return Record{}, affrules.Decision{}, q.Validate()
	}
	if a.ID == "" || inv.CreatorID == "" {
		return Record{}, affrules.Decision{}, fielderr.New(pkg, "reserve", fmt.Sprintf("account %q, creator %q", a.ID, inv.CreatorID), "account and creator IDs must not be empty")
	}
	if err := checkInstant(at); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	st := m.load()
	now := at.UnixNano()
	window := int64(q.RepeatWindowDays) * int64(24*time.Hour)
	key := st.creatorKey(inv.CreatorID)
	s, h := st.locate(a.ID)
	s.mu.Lock()
	s.touch = s.log.touch()
	acc := s.account(h, a.ID)
	if acc == nil {
		var err error
		if acc, err = s.add(h, a); err != nil {
			s.mu.Unlock()
			return Record{}, affrules.Decision{}, err
		}
	} else if acc.homeCode != a.HomeMarket {
		s.mu.Unlock()
		return Record{}, affrules.Decision{}, fielderr.New(pkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "differs from %s, the home market recorded for account %s", acc.homeCode, a.ID)
	}
	acc.latest = max(acc.latest, now)
	acc.keep = max(acc.keep, window)
	keepCut := acc.latest - acc.keep // entries at or before it are stale for every window given
	cut := acc.latest - window       // entries after it are within this call's window
	acc.last.reserve(keepCut, &s.scratch)
	i, last, ok := acc.last.find(key, keepCut)
	ok = ok && last > cut
	if !ok && acc.released > cut {
		// The sweep released a table that may still have held this creator within the window
		// (the shard's present ran ahead of the account's): refuse as if it had.
		last, ok = acc.released, true
	}
	var d affrules.Decision
	if acc.dayEnd != 0 && now < acc.dayEnd && q.admits(int(acc.count), ok) {
		// An instant within the counted day, admitted by the rule's core (Quota.admits), which is
		// all Check would decide here, without building times: the day stays and its count goes
		// up by one; the creator's window runs from the account's present (see below).
		d.Allowed = true
		acc.count++
		last = acc.latest
	} else {
		u := Usage{Count: int(acc.count)}
		if acc.dayEnd != 0 {
			u.Day = affrules.Period{Start: time.Unix(0, acc.dayStart), End: time.Unix(0, acc.dayEnd)}
		}
		if ok {
			u.Last = time.Unix(0, last)
		}
		var next Usage
		d, next = q.Check(acc.home, u, at)
		if !d.Allowed {
			s.mu.Unlock()
			return Record{}, d, nil
		}
		acc.dayStart, acc.dayEnd, acc.count = next.Day.Start.UnixNano(), next.Day.End.UnixNano(), int32(next.Count)
		// The creator's window runs from the account's present: an instant earlier than the
		// latest the account has given is taken as that latest one. Storing the earlier instant
		// would leave an entry stale from the start when the instant is a whole window back, and
		// the creator could be invited again at once.
		last = max(next.Last.UnixNano(), acc.latest)
	}
	acc.last.set(i, key, last)
	acc.lastAt = max(acc.lastAt, last)
	acc.seq++
	acc.newest = s.log.add(record{prev: acc.newest, at: now, interested: notAnswered,
		creatorID: inv.CreatorID, username: inv.Username, nickname: inv.Nickname, message: inv.Message,
		sent: acc.share(inv)})
	if acc.seq%markEvery == 0 {
		acc.mark(&s.log)
	}
	s.latest = max(s.latest, now)
	s.log.drop(back(s.latest, max(st.retention, window)))
	if s.tick++; s.tick%64 == 0 {
		s.sweepStep()
	}
	rec := Record{Account: a.ID, Seq: acc.seq, At: time.Unix(0, now).In(acc.home), Invitation: inv}
	s.mu.Unlock()
	return rec, d, nil
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
	s, h := m.load().locate(q.Account)
	s.mu.Lock()
	defer s.mu.Unlock()
	acc := s.account(h, q.Account)
	if acc == nil {
		return Page{}, nil
	}
	var page Page
	var seen map[string]bool
	if q.LatestPerCreator {
		seen = make(map[string]bool)
	}
	for seq, pos := acc.seq, acc.newest; seq > 0; seq-- {
		e := s.log.at(pos)
		if e == nil {
			break
		}
		pos = e.prev
		r := acc.record(seq, e)
		if !q.Matches(r) {
			continue
		}
		if seen != nil {
			if seen[r.CreatorID] {
				continue
			}
			seen[r.CreatorID] = true
		}
		if q.Before != 0 && seq >= q.Before {
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
	s, h := m.load().locate(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *record
	acc := s.account(h, account)
	if acc != nil {
		e = s.log.at(acc.locate(&s.log, seq))
	}
	if e == nil {
		return Record{}, fielderr.New(pkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", ErrNotFound)
	}
	if e.interested == notAnswered {
		if at.UnixNano() < e.at {
			return Record{}, fielderr.New(pkg, "respond.at", at.Format(time.RFC3339Nano), "is before the invitation was sent at %s", time.Unix(0, e.at).In(acc.home).Format(time.RFC3339Nano))
		}
		e.interested = at.UnixNano()
	}
	r := acc.record(seq, e)
	r.Contacts = append([]Contact(nil), r.Contacts...)
	return r, nil
}
