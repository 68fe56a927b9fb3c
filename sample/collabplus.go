package sample

import (
	"slices"
	"time"

	"github.com/affrules/affrules/collabplus"
)

// CollabPlusFacts returns the facts of a Collaboration Plus request by creator for product at
// instant at from collaboration c: Until, the end of its period (SMP-4); FreeSamples, whether it
// offers free samples (SMP-12); and Member, whether at at it runs (paid, not recalled, within
// its period), creator has joined it, and product is one of its products whose participation
// has not ended by at (c.Ended: a permanent disqualification, or a temporary one where
// collabplus's policy has it end participations; SMP-3, CP-20, ELG-11). The other facts (Band, for a
// policy counting Collaboration Plus requests under the caps) are the host's to add.
func CollabPlusFacts(c collabplus.Collaboration, creator, product string, at time.Time) Facts {
	t := c.Terms()
	f := Facts{Until: t.Period.End, FreeSamples: t.FreeSamples}
	joined := slices.ContainsFunc(c.Members, func(m collabplus.Member) bool { return m.Creator == creator && !m.Joined.After(at) })
	listed := slices.ContainsFunc(t.Products, func(p collabplus.Product) bool { return p.ID == product })
	ended := slices.ContainsFunc(c.Ended, func(e collabplus.ProductEnd) bool { return e.Product == product && !e.At.After(at) })
	f.Member = c.StateAt(at) == collabplus.Ongoing && joined && listed && !ended
	return f
}
