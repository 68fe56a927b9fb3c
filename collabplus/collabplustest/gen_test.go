package collabplustest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
)

// Generators refuse what no evaluator would take, naming it, instead of drawing from year 1.
func TestGeneratorsRefuseZeroInputs(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s := collabplustest.Seller("shop", affrules.TH, at)
	draw := func(p collabplus.Policy, s collabplus.Seller, at time.Time) affrulestest.Property {
		return affrulestest.Property{Name: "terms", Check: func(t *rapid.T) { collabplustest.Terms(p, s, at).Draw(t, "terms") }}
	}
	affrulestest.MustFail(t, draw(collabplus.Policy{}, s, at), "collabplustest.Terms: the policy has no task or challenge days")
	affrulestest.MustFail(t, draw(collabplus.DefaultPolicy(), collabplus.Seller{}, at), "collabplustest.Terms: the seller has no ID")
	affrulestest.MustFail(t, draw(collabplus.DefaultPolicy(), s, time.Time{}), "collabplustest.Terms: instant 0001-01-01T00:00:00Z: outside the years 1900 to 2199")
	assert.PanicsWithValue(t, `collabplustest.Seller: affrules: market ZZ: unknown market`, func() { collabplustest.Seller("shop", "ZZ", at) })
}
