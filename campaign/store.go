package campaign

import (
	"context"
	"errors"
	"time"

	"github.com/affrules/affrules"
)

// Sentinel errors of a [Store].
var (
	// ErrNotFound reports a campaign the store does not hold.
	ErrNotFound = errors.New("campaign not found")
	// ErrConflict reports a campaign created again under an ID the store holds.
	ErrConflict = errors.New("campaign exists")
)

// Store keeps campaigns with their registrations (CMP-2..6). It owns no policy: the
// [Evaluator] whose rules apply is given on every change, and the store applies them in one
// atomic step, so two sellers registering the same product, or a registration racing the end
// of the registration period, record exactly what the rules allow. Implementations must be
// safe for concurrent use; a cancelled or expired ctx is an error from every method (wrapping
// ctx.Err()) and stores nothing. Package campaigntest checks an implementation.
type Store interface {
	// Create stores the new campaign e.Create(c, at) returns and returns the stored copy. A
	// campaign whose ID the store holds is an error wrapping [ErrConflict]; an error stores
	// nothing.
	Create(ctx context.Context, e *Evaluator, c Campaign, at time.Time) (Campaign, error)
	// Apply applies action a at instant at to the campaign stored under id with e.Apply in one
	// atomic step, stores the result and returns it. An error (a [*affrules.Refusal], bad input, or an
	// unknown id, wrapping [ErrNotFound]) stores nothing.
	Apply(ctx context.Context, e *Evaluator, id string, a Action, at time.Time) (Campaign, error)
	// Campaign returns the campaign stored under id, or an error wrapping [ErrNotFound].
	Campaign(ctx context.Context, id string) (Campaign, error)
	// Campaigns returns the campaigns of market m, by ID; none is not an error, a market not
	// registered is (wrapping [affrules.ErrUnknownMarket]: a code in the wrong case would
	// otherwise find nothing, silently). With an empty m it returns every campaign.
	Campaigns(ctx context.Context, m affrules.MarketCode) ([]Campaign, error)
}
