package sample

import (
	"context"
	"errors"
	"time"

	"github.com/affrules/affrules"
)

// Sentinel errors of a [Ledger].
var (
	// ErrNotFound reports a request the ledger does not hold.
	ErrNotFound = errors.New("request not found")
	// ErrConflict reports a request made again under an ID the ledger holds.
	ErrConflict = errors.New("request exists")
)

// Ledger keeps free-sample requests with their events. It owns no policy: the [Rule] is given
// on every call. Implementations must be safe for concurrent use, and Request must read the
// [History] and record the request in one atomic step (SMP-7), so that requests racing for the
// last units of a campaign's sample quantity admit exactly those units, and a creator never
// holds two open requests for one product; a cancelled or expired ctx is an error from every
// method (wrapping ctx.Err()) and stores nothing. Package sampletest checks an implementation.
type Ledger interface {
	// Request decides request req made at instant at with facts f by rule.Decide, given the
	// [History] the ledger holds at that moment, and records it when allowed, in one atomic
	// step. A denial records nothing and returns the zero Request; so does an error (bad
	// input, a request ID the ledger holds, wrapping [ErrConflict]), beside the zero Decision,
	// which allows nothing: a request that loses a race for its ID is not told it was allowed.
	Request(ctx context.Context, rule Rule, req Request, f Facts, at time.Time) (Request, affrules.Decision, error)
	// Record records event k on request id at instant at by rule.RecordAmong (given the
	// creator's requests the ledger holds), atomically, and returns the changed request. An
	// error records nothing; an unknown id wraps [ErrNotFound].
	Record(ctx context.Context, rule Rule, id string, k EventKind, at time.Time) (Request, error)
	// Requests returns the requests of creator by the instant each was asked (its first
	// event), those asked at the same instant in the order they were recorded; none is not an
	// error.
	Requests(ctx context.Context, creator string) ([]Request, error)
}
