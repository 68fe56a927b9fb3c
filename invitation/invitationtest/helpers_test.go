package invitationtest_test

import (
	"slices"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
)

func marketOf(p invitation.Policy, code affrules.MarketCode) (*time.Location, bool) {
	m, err := affrules.LookupMarket(code)
	if err != nil || !slices.Contains(p.Markets, code) {
		return nil, false
	}
	return m.Location(), true
}
