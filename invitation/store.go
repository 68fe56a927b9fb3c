package invitation

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Sentinel errors of a [Ledger], for use with [errors.Is].
var (
	// ErrNotFound reports an invitation a [Ledger] does not hold.
	ErrNotFound = errors.New("invitation not found")
	// ErrQuery reports a [Query] a [Ledger] cannot answer: no account, an inverted time range,
	// a negative cursor, a page size out of range, an unknown purpose or market.
	ErrQuery = errors.New("invalid query")
	// ErrTooLate reports an instant further behind the instants a [Ledger] has accepted than its
	// lateness bound: the ledger no longer holds what an exact answer needs, so it answers
	// nothing and records nothing ([Ledger.Reserve]).
	ErrTooLate = errors.New("instant too late")
	// ErrTooFarAhead reports an instant further ahead of the latest instant a [Ledger] has
	// accepted than its lead bound, such as a host's clock that jumped years ahead: accepted, it
	// would hold the account's quotas against every real instant after it ([Ledger.Reserve]).
	ErrTooFarAhead = errors.New("instant too far ahead")
)

// Ledger stores invitations and the usage of their quotas. It owns no policy: the quota rule is
// given to [Ledger.Reserve] on every call. Implementations must be safe for concurrent use, and
// Reserve must be atomic across every process sharing the store (INV-11); package
// invitationtest checks an implementation. A ledger keeps none of the slices it is given, and
// the records it returns are the caller's own: a caller that changes an invitation's contacts
// or showcase after Reserve, or those of a record it was returned, changes nothing the ledger
// shows later (INV-10, INV-13).
type Ledger interface {
	// Reserve checks quota q for account a inviting inv.CreatorID at instant at and, if it
	// allows it, records the invitation, in one atomic step: it reads the account's [Usage] at
	// that instant, calls [Quota.Check] (or decides exactly as it would), and records the
	// invitation with a new [Record]. Each call is decided by the quota it is given, so a policy
	// change applies from the next call.
	//
	// The answer is exact over the invitations recorded so far, judged at the instant given,
	// whatever order instants arrive in, within the ledger's lateness bound: the daily count is
	// that of the instant's own calendar day ([Quota.Day]: the home market's, or the zone the
	// quota names, INV-2), a creator invited less than the repeat
	// window before or after the instant is refused (INV-3), with the last invitation as the
	// reason's observed value, and [affrules.Decision.NextAllowed] is the first instant at
	// which the recorded invitations allow it. An account's answers do not depend on other
	// accounts' instants, except through the ledger's documented bounds: a lead bound such as
	// [Memory]'s is moved by every account's instants, so one account can move it for all. An
	// instant further behind than the lateness bound is an error wrapping [ErrTooLate]; one
	// further ahead of the latest instant the ledger has accepted than its lead bound, an error
	// wrapping [ErrTooFarAhead] ([Memory] documents its bounds).
	//
	// A denial or an error records nothing and changes nothing a later answer depends on; a
	// denial returns a zero Record. Reserve does not check the input rules; call it through
	// [Evaluator.Send], which does and passes its policy's quota. It returns an error for a
	// cancelled context, a failing store, a quota [Quota.Validate] refuses, an account without
	// ID or with an unknown home market, a home market other than the one the ledger already
	// knows for the account, an account or creator ID that is empty, over 256 bytes or not UTF-8
	// text without ASCII control characters (stored as given, an ID must be one every store holds),
	// an instant outside the years 1900–2199, or outside the ledger's bounds.
	Reserve(ctx context.Context, q Quota, a Account, inv Invitation, at time.Time) (Record, affrules.Decision, error)
	// History returns one page of an account's invitations (INV-9), newest first. A query
	// [Query.Validate] refuses is an error wrapping [ErrQuery]. It returns an error for a
	// cancelled context or a failing store.
	History(ctx context.Context, q Query) (Page, error)
	// Respond records that the creator answered "interested" to the account's invitation seq at
	// instant at (INV-10) and returns the updated record. Answering again keeps the first answer.
	// An invitation the ledger does not hold is an error wrapping [ErrNotFound]; an instant
	// before the invitation was sent is an error, answered or not. It returns an error, and
	// records no answer, for a cancelled context or a failing store.
	Respond(ctx context.Context, account string, seq int64, at time.Time) (Record, error)
}

// Record is one recorded invitation. The zero Record is no invitation: not answered, showing no
// contacts.
type Record struct {
	Account string `json:"account"`
	// Seq numbers the account's invitations in the order they were recorded, from 1, and never
	// gives one account the same number twice. A ledger that forgets accounts left idle
	// ([Memory]) may start an account's numbers above 1, above every number it forgot.
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Invitation `json:"invitation"`
	// InterestedAt is when the creator answered "interested" (INV-10); zero if not yet.
	InterestedAt time.Time `json:"interested_at,omitzero"`
}

// Interested reports whether the creator has answered "interested" (INV-10).
func (r Record) Interested() bool { return !r.InterestedAt.IsZero() }

// ContactsShown returns the account's contacts as shown to the creator: all of them once the
// creator has answered "interested", none before (INV-10).
func (r Record) ContactsShown() []Contact {
	if !r.Interested() {
		return nil
	}
	return r.Contacts
}

// Query selects invitations from an account's history (INV-9). The zero Query names no account:
// a [Ledger] refuses it with an error wrapping [ErrQuery].
type Query struct {
	Account string `json:"account"` // required
	// Search matches records whose username or nickname contains it, ignoring case (Unicode
	// simple case folding, as strings.EqualFold: "νικος" finds "ΝΙΚΟΣ"); "" matches
	// every record.
	Search string `json:"search,omitempty"`
	// From and To bound the invitation instant to [From, To); a zero bound leaves that side open.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Purpose keeps only invitations for that purpose; the zero Purpose keeps every purpose.
	Purpose Purpose `json:"purpose,omitempty"`
	// Market keeps only invitations to creators of that market; "" keeps every market.
	Market affrules.MarketCode `json:"market,omitempty"`
	// LatestPerCreator keeps, of the records matching the other conditions, only the newest for
	// each creator: the one of the highest Seq, the last recorded (an invitation recorded late,
	// dated before the creator's previous one, is the newest by this measure).
	LatestPerCreator bool `json:"latest_per_creator,omitempty"`
	// Before is a page cursor: only records with Seq below it; 0 starts at the newest record.
	Before int64 `json:"before,omitempty"`
	// Limit is the page size, 1 to 1000; 0 means 50.
	Limit int `json:"limit,omitempty"`
}

// Page is one page of history: records newest first (by Seq), and the cursor for the next page.
// The zero Page is an empty last page.
type Page struct {
	Records []Record `json:"records"`
	// Next is the Before of the following page, or 0 when this is the last.
	Next int64 `json:"next,omitempty"`
}

// Validate reports every problem of the query at once, each wrapping [ErrQuery]: a missing
// account, To before From (also wrapping [affrules.ErrInvertedPeriod]), a negative cursor (also
// [affrules.ErrNegative]), a page size outside 0–1000 (also [affrules.ErrOutOfRange]), a purpose
// other than the two of INV-7, a market not registered (also [affrules.ErrUnknownMarket]).
func (q Query) Validate() error {
	l := fielderr.For(pkg)
	if q.Account == "" {
		l.Add("query.account", "", "must not be empty: %w", ErrQuery)
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		l.Add("query.to", q.To.Format(time.RFC3339Nano), "is before from %s: %w", q.From.Format(time.RFC3339Nano), queryErr{affrules.ErrInvertedPeriod})
	}
	if q.Before < 0 {
		l.Add("query.before", q.Before, "%w", queryErr{affrules.ErrNegative})
	}
	if q.Limit < 0 || q.Limit > 1000 {
		l.Add("query.limit", q.Limit, "must be between 0 and 1000: %w", queryErr{affrules.ErrOutOfRange})
	}
	if q.Purpose != "" && q.Purpose != CreatorPartnership && q.Purpose != ProductDistribution {
		l.Add("query.purpose", quoteCut(string(q.Purpose)), "is not a purpose of INV-7: %w", ErrQuery)
	}
	if q.Market != "" {
		if _, err := affrules.LookupMarket(q.Market); err != nil {
			l.Add("query.market", quoteCut(string(q.Market)), "%w", queryErr{affrules.ErrUnknownMarket})
		}
	}
	return l.Err()
}

// queryErr is a root sentinel that is also an [ErrQuery], so that a query problem matches both.
type queryErr struct{ err error }

func (e queryErr) Error() string   { return e.err.Error() }
func (e queryErr) Unwrap() []error { return []error{e.err, ErrQuery} }

// PageSize returns q.Limit, or 50 when it is 0.
func (q Query) PageSize() int {
	if q.Limit == 0 {
		return 50
	}
	return q.Limit
}

// Matches reports whether record r satisfies the query's account, search, time range, purpose
// and market (not its cursor or LatestPerCreator), for a [Ledger] implementation that filters in
// Go.
func (q Query) Matches(r Record) bool {
	if r.Account != q.Account || q.Purpose != "" && r.Purpose != q.Purpose || q.Market != "" && r.Market != q.Market {
		return false
	}
	if !q.From.IsZero() && r.At.Before(q.From) || !q.To.IsZero() && !r.At.Before(q.To) {
		return false
	}
	return q.Search == "" || containsFold(r.Username, q.Search) || containsFold(r.Nickname, q.Search)
}

// containsFold reports whether sub is within s under Unicode simple case folding, as
// strings.EqualFold compares: both are mapped rune by rune to one member of each rune's folding
// orbit, so that Greek final ς matches Σ and σ, and the Kelvin sign K and k.
func containsFold(s, sub string) bool {
	if isASCII(s) && isASCII(sub) { // the usual names, compared in place
		for i := 0; i+len(sub) <= len(s); i++ {
			if strings.EqualFold(s[i:i+len(sub)], sub) {
				return true
			}
		}
		return false
	}
	return strings.Contains(foldCase(s), foldCase(sub))
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldCase maps each rune of s to the least rune of its simple case-folding orbit.
func foldCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
