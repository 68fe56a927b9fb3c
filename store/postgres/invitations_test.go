package postgres_test

import (
	"testing"

	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/invitation/invitationtest"
	"github.com/affrules/affrules/store/postgres"
)

func TestInvitations(t *testing.T) {
	invitationtest.TestLedger(t, func(t *testing.T) invitation.Ledger { return postgres.Invitations(migrated(t)) })
}
