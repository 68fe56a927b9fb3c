package invitation_test

import (
	"testing"

	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
)

func TestMemoryConformance(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger {
		return invitation.NewMemory()
	})
}

// The zero Memory is a ledger ready for use: it passes the whole suite.
func TestZeroMemoryConformance(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger {
		return new(invitation.Memory)
	})
}
