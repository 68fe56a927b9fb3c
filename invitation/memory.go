package invitation

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/fielderr"
)

// errNilMemory is the error of a method called on a nil *Memory, which holds nothing to use.
var errNilMemory = errors.New(pkg + ": nil *Memory: use a Memory value (its zero value is ready) or NewMemory")

// Memory is an in-memory [Ledger], safe for concurrent use by many goroutines of one process.
// Accounts are spread over independently locked shards by a hash of their ID, so callers working
// on different accounts rarely wait for each other; everything one account owns is in one shard,
// which makes each reservation atomic (INV-11). It owns no policy: each [Memory.Reserve] is
// decided by the [Quota] it is given. It counts an account's days in one zone, the one its quota
// named when it first counted them ([Quota.Day]): a Reserve whose quota names another day zone
// for that account is an error (a ledger in PostgreSQL counts in whatever zone each call's
// quota names). The zero Memory is an empty ledger ready for use, with the default bounds and
// history retention; [NewMemory] sets options.
//
// A reservation touches little memory: an account's day counters and its compact table of the
// creators it invited within the repeat window. Records keep the caller's creator ID, username,
// nickname and message strings, which the ledger does not copy, and share the account's market,
// purpose and contacts, copied once for as long as the account keeps sending the same ones.
//
// # Instants out of order
//
// An answer is exact over the invitations recorded so far, judged at the instant given, for an
// instant within two bounds. The lateness bound ([AllowLate], default one minute) is how far an
// instant may be behind the latest instant accepted for the same account: requests that reach
// the ledger a little out of timestamp order. Within it the daily count is that of the
// instant's own day, which may be the day before the account's latest, and a creator invited
// up to a window before or after the instant is refused. The lead bound ([AllowAhead], default
// 30 days) is how far an instant may be ahead of the latest instant the whole ledger has
// accepted, and, the same distance, behind it: a host's clock that jumps years ahead is refused
// instead of holding an account's quotas against every real instant after it, and one instant
// accepted at the lead leaves the real ones within the bound. Outside the bounds Reserve
// returns an error wrapping [ErrTooLate] or [ErrTooFarAhead] and records nothing. The lead bound
// is the ledger's, not an account's: one account whose instants each lie a little less than the
// lead beyond the last can carry it months ahead, and every other account's real instants are
// then refused as too late, in effect for the life of the ledger, so a host that lets accounts
// supply their own instants checks them against its own clock first. An account's answers
// depend on other accounts' instants through the lead bound only, and, under a repeat window
// longer than any the account was given before, through the history retention (see below).
// The ledger has no clock: its first instant is taken as it is, and a ledger that accepted
// nothing for longer than the lead refuses every instant as too far ahead (a host whose traffic
// can stop that long sets a longer lead).
//
// A refusal or an error records nothing and changes nothing a later answer depends on: neither
// the account's latest instant nor its counters. (A refusal under a window longer than any the
// account was given before does widen what its creator table keeps; no answer depends on that.)
//
// # Memory
//
// Memory stays bounded on a long run. History is kept for the retention period ([KeepHistory],
// default 90 days, and never less than the repeat window of the quota given), counted back from
// the latest instant accepted in the account's shard, and dropped from its oldest end in blocks.
// An account's creator table holds the invitations of the longest repeat window the account has
// been given, back from its latest instant less the lateness bound. An account whose counted
// day and whose longest window after its last invitation both ended more than the lead bound
// before the latest instant of its shard gives up that state, which no instant within the
// bounds can need any more; once its history is also older than the retention the ledger
// forgets the account. A sweep visits four accounts for every account added and one every 64
// reservations of a shard, so that accounts that come and go do not accumulate: with 20,000 new
// accounts a day, a 7-day retention and a 7-day lead, the ledger holds about 17 days of them.
// Sequence numbers never repeat: an account the ledger forgot and that comes back numbers its
// invitations above every number its shard has forgotten, so its numbers may start above 1
// (see [Record.Seq]).
//
// A quota may change between calls: the daily limit applies to the day's count as it stands,
// and a creator's last invitation is kept for the longest window the account has been given, so
// that a window lengthened again still covers it; a window longer than any given before takes
// the invitations it covers back from the history (INV-9), so it covers every invitation the
// history still holds: all of them within the retention ([KeepHistory]) counted back from the
// latest instant of the account's shard, which other accounts move on. A host that lengthens a
// window keeps history at least that long plus the lead bound to be exact.
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
	late      int64        // lateness bound, ns
	ahead     int64        // lead bound, ns
	_         [64 - 40]byte
	// hint is an instant the ledger has accepted, at most step before the latest one, or
	// math.MinInt64 before the first; it moves only when the latest gets step ahead of it, so
	// that its cache line is rarely written: step is a sixteenth of the lead bound. lo and hi
	// are the instants the hint vouches for, hint+step-ahead to hint+ahead, and next is
	// hint+step, beyond which an accepted instant moves the hint; only an instant outside
	// [lo, hi] takes the exact latest instant from the shards. (Before the first instant lo is
	// above hi.) Each is raised after the hint, so a reader may pair values of two hints, each
	// a bound of the latest it sees; the shard's own check under its lock is exact.
	hint, lo, hi, next atomic.Int64
	step               int64
	// first serializes the reservations made before the ledger's first instant is accepted: the
	// hint cannot bound them, and two accounts in two shards would each be taken as the first
	// (2029 and 2041 both accepted, which no order of the calls allows).
	first sync.Mutex
	_     [16 << 10]byte
}

// Defaults and limits of a [Memory] ledger's options.
const (
	defaultRetention = int64(90 * 24 * time.Hour)
	defaultLate      = int64(time.Minute)
	defaultAhead     = int64(30 * 24 * time.Hour)
	// maxLate keeps a late instant within the day before the account's latest day (days are at
	// least 23 hours long) and within every repeat window (at least 24 hours).
	maxLate  = int64(12 * time.Hour)
	minAhead = int64(time.Hour)
)

// MemoryOption configures a [Memory] ledger made by [NewMemory]. A nil option does nothing.
type MemoryOption func(*memConfig)

// memConfig is what the options of [NewMemory] set.
type memConfig struct {
	retention, late, ahead int64
}

// KeepHistory sets how long a [Memory] ledger keeps invitation history (INV-9), counted back from
// the latest instant it has accepted in the account's shard. It is at least the repeat window of
// each reservation's quota; a shorter duration is raised to it. The default is 90 days.
func KeepHistory(d time.Duration) MemoryOption {
	return func(c *memConfig) { c.retention = int64(d) }
}

// AllowLate sets the lateness bound of a [Memory] ledger: how far an instant may be behind the
// latest instant the ledger has accepted for the same account and still be judged exactly; one
// further behind is an error wrapping [ErrTooLate]. It is clamped to 0–12 hours, so that a late
// instant is always within the repeat window and at most one calendar day back. The default is
// one minute, more than a request spends between a host's clock and the ledger.
func AllowLate(d time.Duration) MemoryOption {
	return func(c *memConfig) { c.late = min(max(int64(d), 0), maxLate) }
}

// AllowAhead sets the lead bound of a [Memory] ledger: how far an instant may be ahead of the
// latest instant the ledger has accepted, for any account; one further ahead is an error
// wrapping [ErrTooFarAhead]. Every account's accepted instants move that latest one for all
// accounts (see [Memory] on instants a host does not check). An instant as far behind that
// latest one is an error wrapping [ErrTooLate], so that one instant accepted at the lead leaves
// the real ones within bounds, and so that the ledger can give up the state of accounts idle
// for longer. It is at least an hour. The default is 30 days: a clock that jumped a year or
// more is refused, a month of simulated time between two calls is not.
func AllowAhead(d time.Duration) MemoryOption {
	return func(c *memConfig) { c.ahead = max(int64(d), minAhead) }
}

// NewMemory returns an empty in-memory ledger with the given options.
func NewMemory(opts ...MemoryOption) *Memory {
	c := memConfig{retention: defaultRetention, late: defaultLate, ahead: defaultAhead}
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
	st := &memState{seed: maphash.MakeSeed(), keySeed: maphash.MakeSeed(), retention: c.retention, late: c.late, ahead: c.ahead, step: c.ahead / 16}
	for i := range st.shards {
		st.shards[i].latest = math.MinInt64
	}
	st.hint.Store(math.MinInt64)
	st.lo.Store(math.MaxInt64)
	st.hi.Store(math.MinInt64)
	st.next.Store(math.MinInt64)
	return st
}

// load returns the ledger's state, making it on the first use of a zero Memory.
func (m *Memory) load() *memState {
	if st := m.state.Load(); st != nil {
		return st
	}
	st := newMemState(memConfig{retention: defaultRetention, late: defaultLate, ahead: defaultAhead})
	if m.state.CompareAndSwap(nil, st) {
		return st
	}
	return m.state.Load() // another goroutine made it first
}

// Reserve implements [Ledger.Reserve].
func (m *Memory) Reserve(ctx context.Context, q Quota, a Account, inv Invitation, at time.Time) (Record, affrules.Decision, error) {
	if m == nil {
		return Record{}, affrules.Decision{}, errNilMemory
	}
	if err := ctxerr.Of(pkg+": reserve", ctx); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	if !q.valid() {
		return Record{}, affrules.Decision{}, q.Validate()
	}
	if !bounds.IDOK(a.ID) || !bounds.IDOK(inv.CreatorID) {
		return Record{}, affrules.Decision{}, errors.Join(bounds.ID(pkg, "account.id", a.ID), bounds.ID(pkg, "invitation.creator_id", inv.CreatorID))
	}
	if err := checkInstant(at); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	st := m.load()
	now := at.UnixNano()
	if st.hint.Load() == math.MinInt64 { // no instant accepted yet: one first at a time
		st.first.Lock()
		defer st.first.Unlock()
	}
	if err := st.bounds(now, at); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	window := int64(q.RepeatWindowDays) * int64(24*time.Hour)
	key := st.creatorKey(inv.CreatorID)
	s, h := st.locate(a.ID)
	s.mu.Lock()
	s.touch = s.log.touch()
	acc := s.account(h, a.ID)
	if acc != nil {
		if acc.homeCode != a.HomeMarket {
			s.mu.Unlock()
			if _, err := affrules.LookupMarket(a.HomeMarket); err != nil { // unknown first, as for a new account
				return Record{}, affrules.Decision{}, fielderr.New(pkg, "account.home_market", quoteCut(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
			}
			return Record{}, affrules.Decision{}, fielderr.New(pkg, "account.home_market", quoteCut(string(a.HomeMarket)), "differs from %s, the home market recorded for account %s", acc.homeCode, a.ID)
		}
		if now < acc.latest-st.late { // instants are within 1900–2199, late at most 12 hours
			err := tooLate(at, st.late, acc.latest, acc.home, "for account "+a.ID)
			s.mu.Unlock()
			return Record{}, affrules.Decision{}, err
		}
		if acc.dayEnd != 0 && acc.dayZone != q.DayZone {
			// The counted days are another zone's: a day of this one would mix counts of two.
			s.mu.Unlock()
			return Record{}, affrules.Decision{}, fielderr.New(pkg, "quota.day_zone", quoteCut(q.DayZone), "differs from %q, the zone this ledger counts account %s's days in: a Memory ledger counts an account's days in one zone", acc.dayZone, quoteCut(a.ID))
		}
	}
	if now < back(s.latest, st.ahead) {
		// Behind the shard's latest, so behind the ledger's, by more than the lead: the shard
		// may have given up state this instant would need (see sweepStep). bounds checks the
		// ledger's latest; this is its check under the lock.
		err := tooLate(at, st.ahead, s.latest, time.UTC, "by the ledger")
		s.mu.Unlock()
		return Record{}, affrules.Decision{}, err
	}
	if acc == nil {
		// A new account: its first invitation is always admitted (no day counted, no creator
		// invited), so it is made here. Four sweep steps for every account added keep the
		// accounts a shard holds within a third more than those still needed when accounts
		// come and go.
		for range 4 {
			s.sweepStep(st)
		}
		var err error
		if acc, err = s.add(h, a); err != nil {
			s.mu.Unlock()
			return Record{}, affrules.Decision{}, err
		}
		acc.latest = now
	}
	if window > acc.keep {
		// A window longer than any the account has been given: its table may have dropped
		// entries this window covers, which widen takes back from the history.
		s.widen(st, acc, window)
	}
	// Entries at or before keepCut are stale: no instant within the lateness bound is within
	// the longest window the account has been given of them. (No overflow: instants are within
	// 1900–2199, the window at most 3650 days.)
	keepCut := acc.latest - st.late - acc.keep
	acc.last.reserve(keepCut, &s.scratch)
	i, last, found := acc.last.find(key, keepCut)
	// INV-3: the creator's latest invitation is within the window of the instant, before it or
	// after it (a later one is at most the lateness bound after, within every window).
	open := found && window > 0 && now < last+window
	var d affrules.Decision
	if now < acc.dayEnd && now >= acc.dayStart && q.admits(int(acc.count), open) {
		// An instant within the counted day, admitted by the rule's core (Quota.admits), which is
		// all Check would decide here, without building times: the count goes up by one.
		d.Allowed = true
		acc.count++
		if !found || last < now {
			last = now
		}
	} else {
		// Every other case goes through Check, with the usage of the instant's own day: the
		// counted day, the day before it (a late instant: the lateness bound is shorter than a
		// day, so that is the only earlier day it can fall in), or a later day, with none yet.
		var u Usage
		switch {
		case acc.dayEnd == 0 || now >= acc.dayEnd:
		case now >= acc.dayStart:
			u.Day = affrules.Period{Start: time.Unix(0, acc.dayStart), End: time.Unix(0, acc.dayEnd)}
			u.Count = int(acc.count)
		default:
			if u.Day = q.Day(acc.home, at); u.Day.End.UnixNano() == acc.dayStart {
				u.Count, u.NextDayCount = int(acc.prevCount), int(acc.count)
			}
		}
		if found {
			u.Last = time.Unix(0, last)
		}
		var next Usage
		d, next = q.check(acc.home, u, at) // the input is valid: Reserve checked it
		if !d.Allowed {
			s.mu.Unlock()
			return Record{}, d, nil
		}
		switch {
		case acc.dayEnd == 0 || now >= acc.dayEnd:
			// A later day: the counted day becomes the day before, if it is the day before.
			start := next.Day.Start.UnixNano()
			acc.prevCount = 0
			if start == acc.dayEnd {
				acc.prevCount = acc.count
			}
			acc.dayStart, acc.dayEnd, acc.dayZone = start, next.Day.End.UnixNano(), q.DayZone
			acc.count = int32(next.Count)
		case now >= acc.dayStart:
			acc.count = int32(next.Count)
		default:
			if next.Day.End.UnixNano() == acc.dayStart {
				acc.prevCount = int32(next.Count)
			}
		}
		last = next.Last.UnixNano()
	}
	acc.last.set(i, key, last)
	acc.lastAt = max(acc.lastAt, last)
	acc.latest = max(acc.latest, now)
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
		s.sweepStep(st)
	}
	rec := Record{Account: a.ID, Seq: acc.seq, At: time.Unix(0, now).In(acc.home), Invitation: inv}
	if inv.Showcase != nil && inv.Showcase.IsZero() {
		rec.Showcase = nil // shows nothing, as History will say
	}
	s.mu.Unlock()
	if now > st.next.Load() {
		st.advance(now)
	}
	return rec, d, nil
}

// bounds returns an error if instant now (at) is further than the lead bound ahead of or behind
// the latest instant the ledger has accepted. Usually the hint answers; only an instant near a
// bound takes the exact latest instant from the shards.
func (st *memState) bounds(now int64, at time.Time) error {
	if now >= st.lo.Load() && now <= st.hi.Load() {
		return nil // hint <= latest <= hint+step
	}
	if st.hint.Load() == math.MinInt64 {
		return nil // the first instant
	}
	g := st.latest()
	if now > ahead(g, st.ahead) {
		return fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "is more than %s after %s, the latest instant the ledger has accepted: %w",
			time.Duration(st.ahead), time.Unix(0, g).UTC().Format(time.RFC3339Nano), ErrTooFarAhead)
	}
	if now < back(g, st.ahead) {
		return tooLate(at, st.ahead, g, time.UTC, "by the ledger")
	}
	return nil
}

// tooLate returns the error of an instant more than bound behind latest, the latest instant
// accepted by whom.
func tooLate(at time.Time, bound, latest int64, loc *time.Location, by string) error {
	return fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "is more than %s before %s, the latest instant accepted %s: %w",
		time.Duration(bound), time.Unix(0, latest).In(loc).Format(time.RFC3339Nano), by, ErrTooLate)
}

// latest returns the latest instant the ledger has accepted, math.MinInt64 if none.
func (st *memState) latest() int64 {
	g := int64(math.MinInt64)
	for i := range st.shards {
		s := &st.shards[i]
		s.mu.Lock()
		g = max(g, s.latest)
		s.mu.Unlock()
	}
	return g
}

// advance moves the hint after instant now has been accepted, if now is more than step ahead of
// it.
func (st *memState) advance(now int64) {
	for {
		g := st.hint.Load()
		if g != math.MinInt64 && now <= ahead(g, st.step) {
			return
		}
		if st.hint.CompareAndSwap(g, now) {
			raise(&st.lo, back(ahead(now, st.step), st.ahead))
			raise(&st.hi, ahead(now, st.ahead))
			raise(&st.next, ahead(now, st.step))
			return
		}
	}
}

// raise sets a to v if v is greater, so that two goroutines moving the hint at once leave the
// values of the later hint.
func raise(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old && old != math.MaxInt64 || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// History implements [Ledger.History].
func (m *Memory) History(ctx context.Context, q Query) (Page, error) {
	if m == nil {
		return Page{}, errNilMemory
	}
	if err := ctxerr.Of(pkg+": history", ctx); err != nil {
		return Page{}, err
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
	seq, pos := acc.seq, acc.newest
	if seen == nil && q.Before != 0 && q.Before <= acc.seq {
		// Straight to the record below the cursor, by the account's marks (as Respond finds
		// one), rather than through every record above it: a page costs its own records.
		seq = q.Before - 1
		if pos = acc.locate(&s.log, seq); pos == 0 {
			return page, nil // none below the cursor, or the log has dropped them
		}
	}
	for ; seq > 0; seq-- {
		e := s.log.at(pos)
		if e == nil {
			break
		}
		pos = e.prev
		if seen == nil && q.Before != 0 && seq >= q.Before {
			continue // above the page's cursor; latest per creator must still see it
		}
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
		page.Records = append(page.Records, r.owned())
	}
	return page, nil
}

// Respond implements [Ledger.Respond].
func (m *Memory) Respond(ctx context.Context, account string, seq int64, at time.Time) (Record, error) {
	if m == nil {
		return Record{}, errNilMemory
	}
	if err := ctxerr.Of(pkg+": respond", ctx); err != nil {
		return Record{}, err
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
	if at.UnixNano() < e.at { // answered or not: no answer comes before the invitation
		return Record{}, fielderr.New(pkg, "respond.at", at.Format(time.RFC3339Nano), "is before the invitation was sent at %s", time.Unix(0, e.at).In(acc.home).Format(time.RFC3339Nano))
	}
	if e.interested == notAnswered {
		e.interested = at.UnixNano()
	}
	return acc.record(seq, e).owned(), nil
}
