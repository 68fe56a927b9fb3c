package collabplus

import (
	"time"

	"github.com/affrules/affrules"
)

// Block is one change to a seller's blocklist (CP-13): the creator blocked (Blocked true) or
// unblocked at instant At.
type Block struct {
	Creator string    `json:"creator"`
	Blocked bool      `json:"blocked"`
	At      time.Time `json:"at"`
}

// Blocklist is a seller's blocklist as the changes made to it, in order of their instants
// (CP-13). The zero Blocklist blocks nobody.
type Blocklist []Block

// BlockedAt reports whether creator is blocked at instant at: the last change for the creator at
// or before at blocked them.
func (b Blocklist) BlockedAt(creator string, at time.Time) bool {
	_, blocked := b.blockedAt(creator, at)
	return blocked
}

var (
	keyBlocked = affrules.DefineMessage("collabplus.cp13.blocked", affrules.Message{
		Text: "creator blocked by the seller since the collaboration was published", Observed: "blocked {observed}", Limit: "published {limit}",
	})
	keyBlockedAtJoin = affrules.DefineMessage("collabplus.cp13.blocked_at_join", affrules.Message{
		Text: "creator blocked by the seller", Observed: "blocked {observed}", Limit: "joining {limit}",
	})
)

// Allows decides whether creator may join, at instant at, a collaboration published at
// published (CP-13): only if they were not blocked at any moment in [published, at]. A block
// takes effect at once for collaborations the creator has not joined; an unblock counts only
// for collaborations published after it. Members who joined before a block are not affected:
// joining is the only moment the blocklist is read. The denial observes the instant of the
// block that applies.
func (b Blocklist) Allows(creator string, published, at time.Time) affrules.Decision {
	// Blocked at published itself: the last change at or before it was a block.
	for i := len(b) - 1; i >= 0; i-- {
		if x := b[i]; x.Creator == creator && !x.At.After(published) {
			if x.Blocked {
				return denyBlocked(creator, x.At, published)
			}
			break
		}
	}
	// Or blocked at a moment after it, up to at.
	for _, x := range b {
		if x.Creator == creator && x.Blocked && x.At.After(published) && !x.At.After(at) {
			return denyBlocked(creator, x.At, published)
		}
	}
	return affrules.Decide()
}

// blockedAt reports whether creator is blocked at at, and since when: the last change at or
// before at is a block.
func (b Blocklist) blockedAt(creator string, at time.Time) (time.Time, bool) {
	for i := len(b) - 1; i >= 0; i-- {
		if x := b[i]; x.Creator == creator && !x.At.After(at) {
			return x.At, x.Blocked
		}
	}
	return time.Time{}, false
}

func denyBlocked(creator string, since, published time.Time) affrules.Decision {
	return affrules.Decide(affrules.Reason{Rule: RuleBlocklist, Key: keyBlocked, Observed: affrules.Instant(since), Limit: affrules.Instant(published), Subject: creator})
}
