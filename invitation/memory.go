package invitation

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/affrules/affrules"
)

// shardCount is the number of independently locked parts of a [Memory] ledger; accounts are
// spread over them by a hash of their ID.
const shardCount = 64

// Memory is an in-memory [Ledger], safe for concurrent use by many goroutines of one process.
// Accounts are spread over 64 shards, each with its own lock, so callers working on different
// accounts rarely wait for each other; everything one account owns is in one shard, which makes
// each reservation atomic (INV-11).
//
// A reservation touches little memory. An account keeps its day counter and a compact hash table
// of (creator key, last-invitation instant) pairs (16 bytes a slot); entries older than the
// repeat window are ignored, their slots reused, and they are dropped when the table is rebuilt.
// The history of a shard's accounts is one append-only log in recording order, each record
// (96 bytes) linked to the account's previous one; records share the account's market, purpose
// and contacts, copied once for as long as the account keeps sending the same ones, and keep the
// caller's creator ID, username, nickname and message strings, which the ledger does not copy.
//
// Memory stays bounded on a long run. History is kept for the retention period ([KeepHistory],
// default 90 days): the log is dropped from its oldest end, a block of 256 records at a time, once
// every record of the block is older than the retention. A table holds at most the invitations of
// one repeat window and twice as many slots, and a step of a sweep that each shard runs every 64
// reservations releases the table of an account that has invited no one within the window
// before the shard's latest instant.
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
// Creators are keyed by a seeded 64-bit hash of their ID in the repeat-window state; a collision
// (about one chance in 10^13 for an account that invites 800 creators a week) can only make the
// ledger refuse, never admit. Records returned by History and Respond are in the account's
// home-market zone.
type Memory struct {
	policy    Policy
	texts     reasonTexts        // the policy's fixed reason texts, built once
	window    int64              // repeat window, ns
	retention int64              // history retention, ns
	seed      maphash.Seed       // shard of an account
	keySeed   maphash.Seed       // creatorKey
	shards    *[shardCount]shard // an allocation of its own, aligned to cache lines
}

// shard is one independently locked part of a [Memory]. What a reservation reads and writes is in
// its first 128 bytes, two cache lines that move together between the cores taking turns on the
// shard; it is padded to 256 bytes, so that no two shards share a line (TestShardSize checks it).
type shard struct {
	mu      sync.Mutex
	tick    uint32
	touch   uint32        // see histLog.touch
	latest  int64         // latest instant reserved in the shard, ns; math.MinInt64 before the first
	index   []accountSlot // the shard's accounts by ID hash: open addressing, at most half full
	log     histLog       // history of the shard's accounts
	list    []*account    // every account of the shard, for the sweep
	sweep   int           // next index of list to sweep
	scratch []slot        // reused by table rebuilds
	_       [256 - 144]byte
}

// accountSlot is one entry of a shard's account index: the seeded hash of the account's ID,
// which also chose the shard, and the account; nil marks an empty slot.
type accountSlot struct {
	h   uint64
	acc *account
}

// account is the state of one account. Its fields are in the order a reservation reads them, and
// it is padded to 320 bytes, a size class whose objects are aligned to cache lines, so that a
// reservation reads its first four lines and no more (TestAccountSize checks the layout).
type account struct {
	id       string
	homeCode affrules.MarketCode
	latest   int64 // latest instant the account has been given, ns
	released int64 // latest instant of a table the sweep released, ns; math.MinInt64 if none
	count    int32 // Usage.Count, at most DailyLimit
	sentN    int32 // len(sent.contacts)
	home     *time.Location

	last     table // creator key → last invitation (ns); entries at or before latest-window are stale
	dayStart int64 // Usage.Day as ns; both 0 when the account has no day yet
	dayEnd   int64
	seq      int64
	newest   int64 // log position of the record numbered seq; 0 before the first

	lastAt int64 // latest instant stored in last, ns
	// sent is the account's latest market, purpose and contacts, shared by its records; the
	// account keeps a copy of them (the contacts if there are at most two), so that the usual
	// comparison with an invitation reads no other object.
	sent        *sent
	sentMarket  affrules.MarketCode
	sentPurpose Purpose
	markSeq     int64
	_           [8]byte
	sentInline  [2]Contact

	marks []int64              // log positions of the records numbered markSeq, markSeq+markEvery, ...
	older [sentCache - 1]*sent // the account's earlier sent, newest first
	_     [16]byte             // to 320 bytes
}

// sent is what an account's invitations usually repeat: market, purpose and the account's own
// contacts. Records share one sent for as long as the account sends the same ones, instead of
// each holding a copy. It is never changed once made. It takes 128 bytes, a size class aligned
// to it, with up to two contacts inline: two cache lines.
type sent struct {
	inline   [2]Contact
	contacts []Contact // the ledger's copy, in inline when it fits; nil if none
	market   affrules.MarketCode
	purpose  Purpose
}

// same reports whether inv has e's market, purpose and contacts.
func (e *sent) same(inv Invitation) bool {
	return e.market == inv.Market && e.purpose == inv.Purpose && slices.Equal(e.contacts, inv.Contacts)
}

// sentCache is the number of recent [sent] an account remembers, so that an account inviting in
// two markets or for two purposes by turns does not make a new one for each invitation.
const sentCache = 4

// markEvery is the spacing of an account's marks, which bound the walk along the account's
// records to find one by Seq.
const markEvery = 64

// slot is one entry of a [table]: a creator key and the instant of the last invitation to it.
type slot struct {
	key uint64 // creatorKey, never 0; 0 marks an empty slot
	at  int64
}

// table is an open-addressing hash table (linear probing, power-of-two size) from creator key to
// last-invitation instant. An entry at or before the cut (the account's latest instant minus the
// window) is stale: lookups ignore it and an insert may take its slot. A rebuild, when three
// quarters of the slots are used, drops the stale entries and resizes the table to between two
// and eight slots a live entry.
type table struct {
	slots []slot
	used  int // non-empty slots, stale or not
}

// find returns key's instant if it has a live entry, and the slot where an insert of key goes.
// The table must have an empty slot.
func (t *table) find(key uint64, cut int64) (i int, at int64, ok bool) {
	mask := len(t.slots) - 1
	free := -1
	for i = int(key) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch {
		case s.key == key:
			return i, s.at, s.at > cut
		case s.key == 0:
			if free < 0 {
				free = i
			}
			return free, 0, false
		case free < 0 && s.at <= cut:
			free = i
		}
	}
}

// set stores key's instant at in slot i, as returned by find.
func (t *table) set(i int, key uint64, at int64) {
	if t.slots[i].key == 0 {
		t.used++
	}
	t.slots[i] = slot{key, at}
}

// reserve makes room for one insert, rebuilding the table without its stale entries when three
// quarters of it is used. scratch is a buffer the rebuild may reuse.
func (t *table) reserve(cut int64, scratch *[]slot) {
	if t.used < len(t.slots)*3/4 {
		return
	}
	live := (*scratch)[:0]
	for _, s := range t.slots {
		if s.key != 0 && s.at > cut {
			live = append(live, s)
		}
	}
	size := len(t.slots)
	if size < 16 || 2*len(live) > size || 8*len(live) < size {
		size = 16
		for size < 2*len(live) {
			size *= 2
		}
	}
	if size == len(t.slots) {
		clear(t.slots)
	} else {
		t.slots = make([]slot, size)
	}
	mask := size - 1
	for _, s := range live {
		i := int(s.key) & mask
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
	t.used = len(live)
	*scratch = live[:0]
}

// live returns the number of entries after cut.
func (t *table) live(cut int64) int {
	n := 0
	for _, s := range t.slots {
		if s.key != 0 && s.at > cut {
			n++
		}
	}
	return n
}

// logChunkLen is the number of records in one block of a shard's history log.
const logChunkLen = 256

// record is one invitation in a shard's history log (96 bytes).
type record struct {
	prev       int64 // log position of the account's record numbered one less; 0 if none
	at         int64
	interested int64 // when the creator answered (ns); notAnswered if not yet
	creatorID  string
	username   string
	nickname   string
	message    string
	sent       *sent
}

// notAnswered is record.interested before the creator answers; answers are at instants within
// the years 1700–2200 ([checkInstant]), never at it.
const notAnswered = math.MinInt64

type logChunk struct {
	recs  [logChunkLen]record
	n     int
	maxAt int64 // latest instant among recs[:n]
}

// histLog is a shard's history: records in recording order, in blocks of logChunkLen, addressed
// by a position that is never reused. Block number c holds positions c×logChunkLen up to the
// next block; block 0 is never used, so that position 0 means none.
type histLog struct {
	chunks []*logChunk // blocks base, base+1, ...
	base   int64
	spare  *logChunk // a dropped block, reused by the next append that needs one
}

// at returns the record at position pos, or nil if there is none (any more).
func (l *histLog) at(pos int64) *record {
	k := pos/logChunkLen - l.base
	if pos <= 0 || k < 0 || k >= int64(len(l.chunks)) {
		return nil
	}
	c := l.chunks[k]
	if j := pos % logChunkLen; j < int64(c.n) {
		return &c.recs[j]
	}
	return nil
}

// touch reads the lines the next add writes, if the last block has room, and returns a value
// of them for the caller to keep (so that the reads are not optimised away). A reservation calls
// it first thing, so that the cache miss on the log's tail (a block recycled long ago) overlaps
// the account's lookup and the miss on its last-invitation table, instead of coming after them.
func (l *histLog) touch() uint32 {
	if n := len(l.chunks); n > 0 {
		if c := l.chunks[n-1]; c.n < logChunkLen {
			r := &c.recs[c.n]
			return uint32(r.prev) ^ uint32(len(r.message))
		}
	}
	return 0
}

// add appends r and returns its position.
func (l *histLog) add(r record) int64 {
	if l.base == 0 {
		l.base = 1
	}
	if len(l.chunks) == 0 || l.chunks[len(l.chunks)-1].n == logChunkLen {
		c := l.spare
		if c == nil {
			c = new(logChunk)
		}
		l.spare = nil
		c.maxAt = r.at
		l.chunks = append(l.chunks, c)
	}
	k := len(l.chunks) - 1
	c := l.chunks[k]
	c.recs[c.n] = r
	c.maxAt = max(c.maxAt, r.at)
	c.n++
	return (l.base+int64(k))*logChunkLen + int64(c.n-1)
}

// drop removes the oldest blocks whose every record is at or before cut. The last block removed
// is kept for reuse without clearing it (appends overwrite its records), so a shard holds on to
// the strings of at most one dropped block.
func (l *histLog) drop(cut int64) {
	for len(l.chunks) > 0 && l.chunks[0].maxAt <= cut {
		c := l.chunks[0]
		c.n = 0
		l.spare = c
		l.chunks[0] = nil
		l.chunks = l.chunks[1:]
		l.base++
	}
}

// creatorKey is the key of a creator in an account's last-invitation table: a seeded 64-bit hash
// of the creator ID, which keeps the table free of pointers (the garbage collector does not scan
// it). Two creators of one account whose IDs collide (about one chance in 10^13 for an account
// that invites 800 creators a week) share one repeat window: a collision can make the ledger
// refuse, never admit.
func (m *Memory) creatorKey(id string) uint64 {
	if k := maphash.String(m.keySeed, id); k != 0 {
		return k
	}
	return 1
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
	m := &Memory{policy: p, texts: p.reasonTexts(), window: int64(affrules.Days(p.RepeatWindowDays)), retention: int64(affrules.Days(90)), seed: maphash.MakeSeed(), keySeed: maphash.MakeSeed()}
	for _, o := range opts {
		o(m)
	}
	m.retention = max(m.retention, m.window)
	m.shards = new([shardCount]shard)
	for i := range m.shards {
		m.shards[i].latest = math.MinInt64
	}
	return m, nil
}

// locate returns the shard of account id and the hash of id that chose it, the account's key in
// the shard's index.
func (m *Memory) locate(id string) (*shard, uint64) {
	h := maphash.String(m.seed, id)
	return &m.shards[h&(shardCount-1)], h
}

func (m *Memory) shard(id string) *shard {
	s, _ := m.locate(id)
	return s
}

// account returns the shard's account id, whose hash is h, or nil. The caller holds s.mu.
func (s *shard) account(h uint64, id string) *account {
	if len(s.index) == 0 {
		return nil
	}
	mask := uint64(len(s.index) - 1)
	for i := h / shardCount & mask; ; i = (i + 1) & mask {
		e := &s.index[i]
		if e.acc == nil {
			return nil
		}
		if e.h == h && e.acc.id == id {
			return e.acc
		}
	}
}

// insert adds acc, whose ID hashes to h, to the index, which must have an empty slot.
func (s *shard) insert(h uint64, acc *account) {
	mask := uint64(len(s.index) - 1)
	i := h / shardCount & mask
	for s.index[i].acc != nil {
		i = (i + 1) & mask
	}
	s.index[i] = accountSlot{h, acc}
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
	key := m.creatorKey(inv.CreatorID)
	s, h := m.locate(a.ID)
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
		return Record{}, affrules.Decision{}, affrules.Errorf(pkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "differs from %s, the home market recorded for account %s", acc.homeCode, a.ID)
	}
	acc.latest = max(acc.latest, now)
	cut := acc.latest - m.window
	acc.last.reserve(cut, &s.scratch)
	i, last, ok := acc.last.find(key, cut)
	if !ok && acc.released > cut {
		// The sweep released a table that may still have held this creator within the window
		// (the shard's present ran ahead of the account's): refuse as if it had.
		last, ok = acc.released, true
	}
	var d affrules.Decision
	if acc.dayEnd != 0 && now < acc.dayEnd && m.policy.admits(int(acc.count), ok) {
		// An instant within the counted day, admitted by the rule's core (Policy.admits), which
		// is all Check would decide here, without building times: the day stays and its count
		// goes up by one; the creator's window runs from the account's present (see below).
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
		d, next = m.policy.check(acc.home, u, at, &m.texts)
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
	s.log.drop(back(s.latest, m.retention))
	if s.tick++; s.tick%64 == 0 {
		s.sweepStep(m)
	}
	rec := Record{Account: a.ID, Seq: acc.seq, At: time.Unix(0, now).In(acc.home), Invitation: inv}
	s.mu.Unlock()
	return rec, d, nil
}

// add creates the state of a new account, whose ID hashes to h; the caller holds s.mu.
func (s *shard) add(h uint64, a Account) (*account, error) {
	mk, err := affrules.LookupMarket(a.HomeMarket)
	if err != nil {
		return nil, affrules.Errorf(pkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	acc := &account{id: a.ID, home: mk.Location(), homeCode: a.HomeMarket, latest: math.MinInt64, lastAt: math.MinInt64, released: math.MinInt64}
	if 2*(len(s.list)+1) > len(s.index) {
		old := s.index
		s.index = make([]accountSlot, max(16, 2*len(old)))
		for _, e := range old {
			if e.acc != nil {
				s.insert(e.h, e.acc)
			}
		}
	}
	s.insert(h, acc)
	s.list = append(s.list, acc)
	return acc, nil
}

// share returns the account's [sent] for inv's market, purpose and contacts: one of its recent
// ones if they are the same, otherwise a new one with a copy of the contacts, so that the ledger
// never shares the caller's slice. The caller holds the shard's lock.
func (acc *account) share(inv Invitation) *sent {
	if acc.sent != nil && acc.sentMarket == inv.Market && acc.sentPurpose == inv.Purpose && int(acc.sentN) == len(inv.Contacts) {
		var cs []Contact
		if n := int(acc.sentN); n <= len(acc.sentInline) {
			cs = acc.sentInline[:n]
		} else {
			cs = acc.sent.contacts
		}
		if slices.Equal(cs, inv.Contacts) {
			return acc.sent
		}
	}
	for i, e := range acc.older {
		if e != nil && e.same(inv) {
			acc.older[i] = acc.sent
			acc.setSent(e)
			return e
		}
	}
	e := &sent{market: inv.Market, purpose: inv.Purpose}
	switch n := len(inv.Contacts); {
	case n > len(e.inline):
		e.contacts = slices.Clone(inv.Contacts)
	case n > 0:
		e.contacts = e.inline[:n:n]
		copy(e.contacts, inv.Contacts)
	}
	copy(acc.older[1:], acc.older[:])
	acc.older[0] = acc.sent
	acc.setSent(e)
	return e
}

// setSent makes e the account's latest sent and copies it into the account.
func (acc *account) setSent(e *sent) {
	acc.sent, acc.sentMarket, acc.sentPurpose, acc.sentN = e, e.market, e.purpose, int32(len(e.contacts))
	acc.sentInline = [2]Contact{}
	copy(acc.sentInline[:], e.contacts)
}

// sweepStep releases the last-invitation table of one account of the shard if every entry is
// older than the window before the shard's latest instant, so that accounts that stop inviting
// do not hold memory for ever. The account's own present is left alone: another account's
// instants must not reopen its quotas. Should the account come back with an instant at which
// the released entries would still count, it is refused as if every creator had been invited at
// the latest of them (acc.released). The caller holds s.mu.
func (s *shard) sweepStep(m *Memory) {
	if s.sweep >= len(s.list) {
		s.sweep = 0
	}
	acc := s.list[s.sweep]
	if acc.last.slots != nil && acc.lastAt <= back(s.latest, m.window) {
		acc.released = max(acc.released, acc.lastAt)
		acc.last = table{}
	}
	s.sweep++
}

// back returns t-d for d >= 0, or math.MinInt64 where that would overflow.
func back(t, d int64) int64 {
	if t < math.MinInt64+d {
		return math.MinInt64
	}
	return t - d
}

// mark records the position of the account's newest record, numbered a multiple of markEvery,
// and forgets marks whose records the log has dropped.
func (acc *account) mark(l *histLog) {
	n := 0
	for n < len(acc.marks) && l.at(acc.marks[n]) == nil {
		n++
	}
	if n == len(acc.marks) {
		acc.marks, acc.markSeq = acc.marks[:0], acc.seq
	} else if n > 0 {
		acc.marks = append(acc.marks[:0], acc.marks[n:]...)
		acc.markSeq += int64(n) * markEvery
	}
	acc.marks = append(acc.marks, acc.newest)
}

// locate returns the log position of the account's record numbered seq, which the log may have
// dropped; 0 if seq is outside 1..acc.seq.
func (acc *account) locate(l *histLog, seq int64) int64 {
	if seq < 1 || seq > acc.seq {
		return 0
	}
	pos, n := acc.newest, acc.seq
	// The first mark at or after seq, if any, shortens the walk to fewer than markEvery steps.
	if len(acc.marks) > 0 {
		k := max(0, (seq-acc.markSeq+markEvery-1)/markEvery)
		if k < int64(len(acc.marks)) {
			pos, n = acc.marks[k], acc.markSeq+k*markEvery
		}
	}
	for ; n > seq; n-- {
		r := l.at(pos)
		if r == nil {
			return 0
		}
		pos = r.prev
	}
	return pos
}

// record returns the account's record numbered seq, e. Its contacts are the ledger's: copy them
// before handing the record out.
func (acc *account) record(seq int64, e *record) Record {
	r := Record{Account: acc.id, Seq: seq, At: time.Unix(0, e.at).In(acc.home), Invitation: Invitation{
		Market: e.sent.market, CreatorID: e.creatorID, Username: e.username, Nickname: e.nickname,
		Purpose: e.sent.purpose, Message: e.message, Contacts: e.sent.contacts}}
	if e.interested != notAnswered {
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
	s, h := m.locate(q.Account)
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
	s, h := m.locate(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *record
	acc := s.account(h, account)
	if acc != nil {
		e = s.log.at(acc.locate(&s.log, seq))
	}
	if e == nil {
		return Record{}, affrules.Errorf(pkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", ErrNotFound)
	}
	if e.interested == notAnswered {
		if at.UnixNano() < e.at {
			return Record{}, affrules.Errorf(pkg, "respond.at", at.Format(time.RFC3339Nano), "is before the invitation was sent at %s", time.Unix(0, e.at).In(acc.home).Format(time.RFC3339Nano))
		}
		e.interested = at.UnixNano()
	}
	r := acc.record(seq, e)
	r.Contacts = append([]Contact(nil), r.Contacts...)
	return r, nil
}
