package collabplustest_test

import (
	"testing"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
)

// A large quota within a short window, and the shortest window, which Validate accepts, pass
// every property: the submissions the properties build all fall inside the window.
func TestCheckPolicyShortWindows(t *testing.T) {
	for _, q := range []struct{ limit, days int }{{2000, 1}, {5, 1}} {
		p := collabplus.DefaultPolicy()
		p.QuotaLimit, p.QuotaDays = q.limit, q.days
		collabplustest.CheckPolicy(t, p)
	}
}
