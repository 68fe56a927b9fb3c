package invitation

import (
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// shardCount is the number of independently locked parts of a [Memory] ledger; accounts are
// spread over them by a hash of their ID.
const shardCount = 64

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
	// seqFloor is the highest Seq of an account the shard has forgotten; an account added to
	// the shard numbers its invitations above it, so that one that comes back never repeats a
	// number.
	seqFloor int64
	_        [256 - 152]byte
}

// accountSlot is one entry of a shard's account index: the seeded hash of the account's ID,
// which also chose the shard, and the account; nil marks an empty slot.
type accountSlot struct {
	h   uint64
	acc *account
}

// account is the state of one account: its day counters (INV-2), its last-invitation [table]
// (INV-3), the position of its newest record in the shard's log, and its latest [sent]. Its
// fields are in the order a reservation reads them, and it is padded to 320 bytes, a size class
// whose objects are aligned to cache lines, so that a reservation reads its first four lines and
// no more (TestAccountSize checks the layout).
type account struct {
	id       string
	homeCode affrules.MarketCode
	latest   int64 // latest instant accepted for the account, ns
	count    int32 // invitations recorded on the counted day
	// prevCount is the number of invitations recorded on the day before the counted day, the
	// one earlier day a late instant can fall in.
	prevCount int32
	sentN     int32 // len(sent.contacts)
	// sentShows is whether sent has a showcase (INV-13), so that the usual comparison of an
	// invitation that shows nothing reads no other object.
	sentShows bool
	home      *time.Location

	last     table // creator key → last invitation (ns); entries at or before latest-late-keep are stale
	dayStart int64 // the counted day, the day of latest, as ns; both 0 when the account has none
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
	keep        int64 // the longest repeat window given for the account, ns
	sentInline  [2]Contact

	marks []int64              // log positions of the records numbered markSeq, markSeq+markEvery, ...
	older [sentCache - 1]*sent // the account's earlier sent, newest first
	// dayZone is the Quota.DayZone the counted days are days of, set with them.
	dayZone string // to 320 bytes
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
	showcase *Showcase // the ledger's copy of what the invitation showed (INV-13); nil if nothing
}

// same reports whether inv has e's market, purpose, contacts and showcase.
func (e *sent) same(inv Invitation) bool {
	return e.market == inv.Market && e.purpose == inv.Purpose && slices.Equal(e.contacts, inv.Contacts) && e.shows(inv.Showcase)
}

// shows reports whether e's showcase is s.
func (e *sent) shows(s *Showcase) bool {
	if e.showcase == nil || s == nil {
		return e.showcase == nil && s.IsZero()
	}
	c := e.showcase.Company
	return slices.Equal(e.showcase.TopCreators, s.TopCreators) && c.Name == s.Company.Name &&
		c.LinkedCreators == s.Company.LinkedCreators && slices.Equal(c.Services, s.Company.Services) &&
		c.Category == s.Company.Category && c.Introduction == s.Company.Introduction && c.Address == s.Company.Address
}

// sentCache is the number of recent [sent] an account remembers, so that an account inviting in
// two markets or for two purposes by turns does not make a new one for each invitation.
const sentCache = 4

// markEvery is the spacing of an account's marks, which bound the walk along the account's
// records to find one by Seq.
const markEvery = 64

// creatorKey is the key of a creator in an account's last-invitation table: a seeded 64-bit hash
// of the creator ID, which keeps the table free of pointers (the garbage collector does not scan
// it). Two creators of one account whose IDs collide (about one chance in 10^13 for an account
// that invites 800 creators a week) share one repeat window: a collision can make the ledger
// refuse, never admit.
func (st *memState) creatorKey(id string) uint64 {
	if k := maphash.String(st.keySeed, id); k != 0 {
		return k
	}
	return 1
}

// locate returns the shard of account id and the hash of id that chose it, the account's key in
// the shard's index.
func (st *memState) locate(id string) (*shard, uint64) {
	h := maphash.String(st.seed, id)
	return &st.shards[h&(shardCount-1)], h
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

// add creates the state of a new account, whose ID hashes to h; the caller holds s.mu.
func (s *shard) add(h uint64, a Account) (*account, error) {
	mk, err := affrules.LookupMarket(a.HomeMarket)
	if err != nil {
		return nil, fielderr.New(pkg, "account.home_market", quoteCut(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	acc := &account{id: a.ID, home: mk.Location(), homeCode: a.HomeMarket, latest: math.MinInt64, lastAt: math.MinInt64, seq: s.seqFloor}
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
		if slices.Equal(cs, inv.Contacts) && (acc.sentShows && acc.sent.shows(inv.Showcase) || !acc.sentShows && inv.Showcase.IsZero()) {
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
	if !inv.Showcase.IsZero() {
		e.showcase = inv.Showcase.clone()
	}
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
	acc.sentShows = e.showcase != nil
	acc.sentInline = [2]Contact{}
	copy(acc.sentInline[:], e.contacts)
}

// sweepStep visits one account of the shard, the next in turn. An account whose quota state no
// instant within the ledger's bounds can need (its counted day and the longest window after its
// last invitation both end at or before the lead bound behind the shard's latest instant, so at
// or before the same bound behind the ledger's) gives up its table and counters. If its history
// is also older than the retention, the shard forgets the account: an instant the ledger still
// accepts for it finds nothing it would have needed. The caller holds s.mu.
func (s *shard) sweepStep(st *memState) {
	if len(s.list) == 0 {
		return
	}
	if s.sweep >= len(s.list) {
		s.sweep = 0
	}
	acc := s.list[s.sweep]
	horizon := back(s.latest, st.ahead)
	if acc.dayEnd <= horizon && ahead(acc.lastAt, acc.keep) <= horizon {
		if acc.latest <= back(s.latest, max(st.retention, acc.keep)) {
			s.remove(st, s.sweep)
			return // the list's last account is now at s.sweep
		}
		acc.last = table{}
		acc.lastAt = math.MinInt64
		acc.dayStart, acc.dayEnd, acc.count, acc.prevCount = 0, 0, 0, 0
	}
	s.sweep++
}

// widen makes the account's creator table cover window, longer than any window the account has
// been given (INV-3, a quota changed between calls): the entries a shorter window let the table
// drop are taken back from the history the log still holds, the latest invitation of each
// creator invited within window before the account's latest instant, less the lateness bound.
// It raises the account's longest window to window whatever the call's answer: that keeps more
// entries and changes no answer, since a call compares each entry with its own window. The
// caller holds s.mu.
func (s *shard) widen(st *memState, acc *account, window int64) {
	cut := acc.latest - st.late - window
	// Records are walked newest first. An instant recorded is at most the lateness bound behind
	// the account's latest instant then, so once a record is a bound below the cut every earlier
	// one is at or below it.
	for seq, pos := acc.seq, acc.newest; seq > 0; seq-- {
		e := s.log.at(pos)
		if e == nil || e.at <= cut-st.late {
			break
		}
		pos = e.prev
		if e.at <= cut {
			continue
		}
		key := st.creatorKey(e.creatorID)
		acc.last.reserve(cut, &s.scratch)
		if i, last, found := acc.last.find(key, cut); !found || last < e.at {
			acc.last.set(i, key, e.at)
			// The sweep keeps the table while the longest window after its latest entry
			// lasts: an account whose state it had given up has it again.
			acc.lastAt = max(acc.lastAt, e.at)
		}
	}
	acc.keep = window
}

// remove forgets the account at position k of the list: it leaves the index (backward-shift
// deletion, so that no probe chain is broken) and the list, and its numbers the shard's
// seqFloor. Its records stay in the log, unreachable, until their block is dropped. The caller
// holds s.mu.
func (s *shard) remove(st *memState, k int) {
	acc := s.list[k]
	s.seqFloor = max(s.seqFloor, acc.seq)
	mask := uint64(len(s.index) - 1)
	i := maphash.String(st.seed, acc.id) / shardCount & mask
	for s.index[i].acc != acc {
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; s.index[j].acc != nil; j = (j + 1) & mask {
		// The entry at j stays unless the hole at i lies cyclically between its home slot and j.
		home := s.index[j].h / shardCount & mask
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		s.index[i] = s.index[j]
		i = j
	}
	s.index[i] = accountSlot{}
	last := len(s.list) - 1
	s.list[k] = s.list[last]
	s.list[last] = nil
	s.list = s.list[:last]
	if len(s.index) > 16 && 8*len(s.list) < len(s.index) {
		old := s.index
		s.index = make([]accountSlot, len(old)/2)
		for _, e := range old {
			if e.acc != nil {
				s.insert(e.h, e.acc)
			}
		}
	}
}

// ahead returns t+d for d >= 0, or math.MaxInt64 where that would overflow.
func ahead(t, d int64) int64 {
	if t > math.MaxInt64-d {
		return math.MaxInt64
	}
	return t + d
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

// owned returns r with its own copies of the slices and showcase it shares with the ledger.
func (r Record) owned() Record {
	r.Contacts = append([]Contact(nil), r.Contacts...)
	if r.Showcase != nil {
		r.Showcase = r.Showcase.clone()
	}
	return r
}

// clone returns a copy of s that shares none of its slices.
func (s *Showcase) clone() *Showcase {
	c := *s
	c.TopCreators = slices.Clone(s.TopCreators)
	c.Company.Services = slices.Clone(s.Company.Services)
	return &c
}

// record returns the account's record numbered seq, e. Its contacts and showcase are the ledger's:
// copy them before handing the record out.
func (acc *account) record(seq int64, e *record) Record {
	r := Record{Account: acc.id, Seq: seq, At: time.Unix(0, e.at).In(acc.home), Invitation: Invitation{
		Market: e.sent.market, CreatorID: e.creatorID, Username: e.username, Nickname: e.nickname,
		Purpose: e.sent.purpose, Message: e.message, Contacts: e.sent.contacts}}
	r.Showcase = e.sent.showcase
	if e.interested != notAnswered {
		r.InterestedAt = time.Unix(0, e.interested).In(acc.home)
	}
	return r
}
