package invitation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
)

func TestMemoryConformance(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T, p invitation.Policy) invitation.Ledger {
		m, err := invitation.NewMemory(p)
		require.NoError(t, err)
		return m
	})
}
