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

// A Commission's and a Resolution's JSON is for reading: decoding it is an error, not a silent
// loss of the resolution.
func TestCommissionJSONIsForReading(t *testing.T) {
	var c commission.Commission
	require.ErrorContains(t, json.Unmarshal([]byte(`{"resolution":{"order":"o"},"amount":{}}`), &c), "commission: a Commission is not decoded from JSON")
	var r commission.Resolution
	require.ErrorContains(t, json.Unmarshal([]byte(`{"order":"o"}`), &r), "commission: a Resolution is not decoded from JSON")
}

// A candidate a host kept as JSON reads back: an outcome decodes from its name.
func TestCandidateJSONReadsBack(t *testing.T) {
	var o commission.Outcome
	require.NoError(t, o.UnmarshalText([]byte("overridden")))
	require.Equal(t, commission.Overridden, o)
	require.ErrorContains(t, o.UnmarshalText([]byte("lost")), `commission: outcome "lost": must be one of`)
	var c commission.Candidate
	require.NoError(t, json.Unmarshal([]byte(`{"offer_id":"o","source":"OPEN","outcome":"overridden"}`), &c))
	require.Equal(t, commission.Overridden, c.Outcome)
}

// A policy whose lists are nil (COM-10: no delayed source, no reset source) reads back from its
// own JSON, where encoding/json writes them as null: null is nil, not the default.
func TestParsePolicyNilListsReadBack(t *testing.T) {
	p := commission.DefaultPolicy()
	p.DelayedSources, p.ResetSources = nil, nil
	require.NoError(t, p.Validate())
	b, err := json.Marshal(p)
	require.NoError(t, err)
	got, err := commission.ParsePolicy(b)
	require.NoError(t, err)
	require.Nil(t, got.DelayedSources, "decreases apply at once, as written")
	require.Nil(t, got.ResetSources)
	got, err = commission.ParsePolicy([]byte(`{"rounding": null}`))
	require.NoError(t, err)
	require.Equal(t, commission.DefaultPolicy().Rounding, got.Rounding, "a null setting that cannot be nil keeps its default")
}

// A rate written as a JSON number is told at once what a rate is: one round trip, not two.
func TestParsePolicyRateAsNumber(t *testing.T) {
	_, err := commission.ParsePolicy([]byte(`{"min_rate": 1}`))
	require.Error(t, err)
	require.Contains(t, err.Error(), `commission: policy.min_rate 1: must be a JSON string, and must be a percentage such as "15%"`)
}

// COM-14: a suggested rate's category key that no order's category would match, a typo, is
// refused: padded with spaces, or differing only in case from another key of its market.
func TestSuggestedCategoryKeys_COM14(t *testing.T) {
	for _, tc := range []struct {
		keys []affrules.Category
		want string
	}{
		{[]affrules.Category{" fmcg"}, `policy.suggested[TH] " fmcg": category key has spaces around it`},
		{[]affrules.Category{"FMCG", "fmcg"}, `policy.suggested[TH] "fmcg": category key differs only in case from "FMCG"`},
	} {
		p := commission.DefaultPolicy()
		p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {}}
		for _, k := range tc.keys {
			p.Suggested[affrules.TH][k] = affrules.MustParseRate("5%")
		}
		require.ErrorContains(t, p.Validate(), tc.want)
	}
	p := commission.DefaultPolicy()
	p.Suggested = map[affrules.MarketCode]map[affrules.Category]affrules.Rate{affrules.TH: {"fmcg": affrules.MustParseRate("5%"), "fashion": affrules.MustParseRate("6%")}}
	require.NoError(t, p.Validate())
}
