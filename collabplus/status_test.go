package collabplus_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
)

// CP-12: finished > haven't fulfilled > unfinished, over every combination of progress;
// haven't fulfilled needs a delivered sample and no post.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		p    collabplus.Progress
		want collabplus.CreatorStatus
	}{
		{collabplus.Progress{}, collabplus.Unfinished},
		{collabplus.Progress{Posted: true}, collabplus.Unfinished},
		{collabplus.Progress{SampleDelivered: true}, collabplus.NotFulfilled},
		{collabplus.Progress{SampleDelivered: true, Posted: true}, collabplus.Unfinished},
		{collabplus.Progress{Finished: true}, collabplus.Finished},
		{collabplus.Progress{Finished: true, Posted: true}, collabplus.Finished},
		{collabplus.Progress{Finished: true, SampleDelivered: true}, collabplus.Finished},
		{collabplus.Progress{Finished: true, SampleDelivered: true, Posted: true}, collabplus.Finished},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, collabplus.StatusOf(tt.p), "%+v", tt.p)
	}
	require.Equal(t, collabplus.Unfinished, collabplus.CreatorStatus(0), "the zero status")
}

// CP-12: the statuses' text forms, and their refusal of unknown values.
func TestCreatorStatusText(t *testing.T) {
	for s, name := range map[collabplus.CreatorStatus]string{
		collabplus.Unfinished: "unfinished", collabplus.NotFulfilled: "havent_fulfilled", collabplus.Finished: "finished",
	} {
		require.Equal(t, name, s.String())
		b, err := json.Marshal(s)
		require.NoError(t, err)
		require.JSONEq(t, `"`+name+`"`, string(b))
		var back collabplus.CreatorStatus
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, s, back)
	}
	require.Equal(t, "CreatorStatus(3)", collabplus.CreatorStatus(3).String())
	_, err := collabplus.CreatorStatus(3).MarshalText()
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	fieldErr(t, err, "creator_status")
	for _, bad := range []string{"", "Finished", "haven't fulfilled", "not_fulfilled"} {
		var s collabplus.CreatorStatus
		err := s.UnmarshalText([]byte(bad))
		fieldErr(t, err, "creator_status")
		require.Equal(t, collabplus.Unfinished, s, "unchanged")
	}
}
