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
		{"Rahmawati.Official", "WATI.o", true}, // ASCII, compared in place
		{"rahma", "rahmawati", false},
		{"ab", "b", true},
		{"ab", "c", false},
	} {
		q := invitation.Query{Account: "a", Search: tc.search}
		got := q.Matches(invitation.Record{Account: "a", Invitation: invitation.Invitation{Username: tc.username}})
		assert.Equal(t, tc.want, got, "%q in %q", tc.search, tc.username)
		got = q.Matches(invitation.Record{Account: "a", Invitation: invitation.Invitation{Nickname: tc.username}})
		assert.Equal(t, tc.want, got, "%q in nickname %q", tc.search, tc.username)
	}
}

// An ASCII search of ASCII names allocates nothing.
func TestSearchASCIINoAllocation_INV9(t *testing.T) {
	q := invitation.Query{Account: "a", Search: "WATI"}
	r := invitation.Record{Account: "a", Invitation: invitation.Invitation{Username: "rahmawati.official", Nickname: "Rahma"}}
	if n := testing.AllocsPerRun(100, func() { q.Matches(r) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
