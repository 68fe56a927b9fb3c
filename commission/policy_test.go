package commission_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// A policy is read back from its own JSON: a market whose suggested rates are nil (no
// suggestions, as {} is) marshals as null, which ParsePolicy takes.
func TestParsePolicyOwnJSONWithNilSuggestions(t *testing.T) {
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: nil}
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	_, err = commission.ParsePolicy(b)
	require.NoError(t, err)
}
