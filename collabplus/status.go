package collabplus

import (
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// CreatorStatus is a member's status in a collaboration as the seller sees it (CP-12). The zero
// value is [Unfinished].
type CreatorStatus uint8

// The statuses of CP-12.
const (
	// Unfinished: the creator has not completed the task or mission.
	Unfinished CreatorStatus = iota
	// NotFulfilled ("haven't fulfilled"): the creator received the free sample but has posted
	// no video or LIVE content.
	NotFulfilled
	// Finished: the creator completed the task or mission; in a challenge, met the ranking
	// criteria.
	Finished
)

var creatorStatusNames = enum.Names[CreatorStatus]{"unfinished", "havent_fulfilled", "finished"}

// String returns "unfinished", "havent_fulfilled" or "finished".
func (s CreatorStatus) String() string { return creatorStatusNames.String("CreatorStatus", s) }

// MarshalText returns the status's name, or an error for an unknown one.
func (s CreatorStatus) MarshalText() ([]byte, error) {
	b, ok := creatorStatusNames.Text(s)
	if !ok {
		return nil, fielderr.New(pkg, "creator_status", int(s), "%w", affrules.ErrOutOfRange)
	}
	return b, nil
}

// UnmarshalText parses a status's name.
func (s *CreatorStatus) UnmarshalText(b []byte) error {
	v, ok := creatorStatusNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "creator_status", strconv.Quote(string(b)), "must be one of %s", creatorStatusNames.List())
	}
	*s = v
	return nil
}

// Progress is what a host knows of one member's progress in a collaboration (CP-12): whether
// they finished (completed every task, or in a challenge met the ranking criteria), whether a
// free sample was delivered to them, and whether they posted a video or LIVE for it.
type Progress struct {
	Finished        bool `json:"finished"`
	SampleDelivered bool `json:"sample_delivered"`
	Posted          bool `json:"posted"`
}

// StatusOf returns the creator status that progress p adds up to (CP-12), the first that holds
// of: [Finished] when p.Finished; [NotFulfilled] when a sample was delivered and nothing was
// posted; [Unfinished] otherwise.
//
// Interpretation (SPEC CP-12): finished takes precedence over haven't fulfilled, which takes
// precedence over unfinished; haven't fulfilled needs a delivered sample, so a creator who was
// sent nothing, or who posted, is unfinished until they finish.
func StatusOf(p Progress) CreatorStatus {
	switch {
	case p.Finished:
		return Finished
	case p.SampleDelivered && !p.Posted:
		return NotFulfilled
	}
	return Unfinished
}
