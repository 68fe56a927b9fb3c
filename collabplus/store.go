package collabplus

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors of a [Store].
var (
	// ErrNotFound reports a seller the store does not hold.
	ErrNotFound = errors.New("seller not found")
	// ErrConflict reports a seller created again.
	ErrConflict = errors.New("seller exists")
)

// Store keeps each seller's Collaboration Plus record ([Seller]: groups, blocklist, creation log,
// collaborations with their events and members, a shop's disqualification). It owns no policy: the
// [Evaluator] whose rules apply is given on every change, and the store applies an action in one
// atomic step, so that submissions racing for the quota admit exactly the free slots and a join
// racing a block sees one order of the two. Implementations must be safe for concurrent use; a
// cancelled or expired ctx is an error from every method (wrapping ctx.Err()) and stores
// nothing. Package collabplustest checks an implementation.
type Store interface {
	// Create stores the new record s (from [Evaluator.NewSeller]) and returns the stored copy;
	// a record [Seller.Validate] refuses is bad input, and a seller the store holds is an error
	// wrapping [ErrConflict]. Nothing is stored on an error. Only a record NewSeller could have
	// made is new: one holding groups, a blocklist, a creation log, collaborations or a
	// disqualification (what only [Evaluator.Apply] sets, under CP-2, CP-3, CP-4, CP-7, CP-13
	// and ELG-11) is bad input naming the field, so a history built by hand never bypasses the
	// rules.
	Create(ctx context.Context, s Seller) (Seller, error)
	// Apply applies action a at instant at to the record of seller id with e.Apply in one
	// atomic step, stores the result and returns it. An error (an [*affrules.Refusal], bad
	// input, or an unknown seller, wrapping [ErrNotFound]) stores nothing.
	Apply(ctx context.Context, e *Evaluator, id string, a Action, at time.Time) (Seller, error)
	// Seller returns the record of seller id, or an error wrapping [ErrNotFound].
	Seller(ctx context.Context, id string) (Seller, error)
}
