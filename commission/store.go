package commission

import (
	"context"
	"time"

	"github.com/affrules/affrules"
)

// OfferStore keeps the offers and their rate histories a host holds (COM-2, COM-3). It owns no
// policy: the rule an offer must satisfy is given to [OfferStore.Put] on every call.
// Implementations must be safe for concurrent use, and Put must check and store in one atomic
// step; a cancelled or expired ctx is an error from every method (wrapping ctx.Err()) and
// stores nothing. Package commissiontest checks an implementation.
type OfferStore interface {
	// Put stores offer o, new or changed at instant at, if rule.Check(prev, o, at) accepts it,
	// prev being the offer stored under o.ID (nil if none), in one atomic step, and returns the
	// stored copy, whose Updated is at. A change keeps the offer's identity, changes nothing in
	// force before at and is not dated before the offer's last change (COM-3, COM-11). A second
	// OPEN offer of the same market and product under another ID that [OfferRule.Conflicts] with
	// it (periods overlapping, or a relisting within the decrease delay whose terms at its start
	// pay some order less than the other still owes) is refused, the error naming offer.source
	// (COM-10, COM-11, CMP-7). A refused offer is an error, [*affrules.FieldError] values naming
	// field and value, and stores nothing.
	Put(ctx context.Context, rule OfferRule, o Offer, at time.Time) (Offer, error)
	// Offer returns the offer stored under id, or an error wrapping [ErrNotFound].
	Offer(ctx context.Context, id string) (Offer, error)
	// Offers returns the offers of a product in a market, by ID; none is not an error, a market
	// not registered is (wrapping [affrules.ErrUnknownMarket]: a code in the wrong case would
	// otherwise find nothing, silently).
	Offers(ctx context.Context, market affrules.MarketCode, product string) ([]Offer, error)
}

// RecordStore keeps the commission records of order lines with their refunds and settlement
// (COM-8). It owns no policy: the [Settlement] rule is given on every call. Implementations must
// be safe for concurrent use, and Create and Apply must be atomic; a cancelled or expired ctx is
// an error from every method (wrapping ctx.Err()) and stores nothing. Package commissiontest
// checks an implementation.
type RecordStore interface {
	// Create stores the new record r if s.Check(r) accepts it, and returns the stored copy.
	// Creating a record again with the same data returns the stored one unchanged (its events
	// included); with other data under the same ID it is an error wrapping [ErrConflict]. A
	// refused record stores nothing.
	Create(ctx context.Context, s Settlement, r Record) (Record, error)
	// Apply applies event ev to the record it names with s.Apply in one atomic step, stores
	// the result and returns it. Applying an event again changes nothing. An error stores
	// nothing; a record the store does not hold is an error wrapping [ErrNotFound].
	Apply(ctx context.Context, s Settlement, ev Event) (Record, error)
	// Record returns the record stored under id, or an error wrapping [ErrNotFound].
	Record(ctx context.Context, id string) (Record, error)
}
