package invitation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/affrules/affrules/invitation"
)

// TestSearchFoldsCase_INV9: the history search ignores case by Unicode simple case folding, as
// strings.EqualFold: Greek final sigma, the Kelvin sign and Turkish dotless forms are found as
// their other cases are, and what differs in more than case is not.
func TestSearchFoldsCase_INV9(t *testing.T) {
	for _, tc := range []struct {
		username, search string
		want             bool
	}{
		{"ΝΙΚΟΣ", "νικος", true}, // final sigma against capital sigma
		{"ΝΙΚΟΣ", "νικοσ", true},
		{"νικος", "ΝΙΚΟΣ", true},
		{"Nikos_shop", "OS_SH", true},
		{"kelvin", "\u212aELVIN", true}, // the Kelvin sign folds with k
		{"rahmawati", "RAHM", true},
		{"ΝΙΚΟΣ", "νικα", false},
		{"strasse", "straße", false}, // ß is one rune, SS two: no simple folding joins them
		{"shop", "", true},
	} {
		q := invitation.Query{Account: "a", Search: tc.search}
		got := q.Matches(invitation.Record{Account: "a", Invitation: invitation.Invitation{Username: tc.username}})
		assert.Equal(t, tc.want, got, "%q in %q", tc.search, tc.username)
		got = q.Matches(invitation.Record{Account: "a", Invitation: invitation.Invitation{Nickname: tc.username}})
		assert.Equal(t, tc.want, got, "%q in nickname %q", tc.search, tc.username)
	}
}
