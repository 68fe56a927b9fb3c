package invitation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules/invitation"
)

// A top-level list given as null is nil, as encoding/json writes a nil one, not the default: a
// policy with no markets is refused, not silently given the default ones.
func TestParsePolicyNullListIsNil(t *testing.T) {
	_, err := invitation.ParsePolicy([]byte(`{"markets": null}`))
	require.ErrorContains(t, err, "must list at least one market (MKT-1)")
}
