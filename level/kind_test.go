package level_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

func TestKindText(t *testing.T) { // LVL-11
	for k, name := range map[level.Kind]string{level.UnknownKind: "unknown", level.LinkShareOnly: "link_share_only", level.AffiliateCreator: "affiliate_creator"} {
		assert.Equal(t, name, k.String())
		b, err := json.Marshal(k)
		require.NoError(t, err)
		assert.Equal(t, `"`+name+`"`, string(b))
		var back level.Kind
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, k, back)
	}
	var k level.Kind
	err := json.Unmarshal([]byte(`"LIVE"`), &k)
	assert.ErrorContains(t, err, `level: kind "LIVE": must be one of unknown, link_share_only, affiliate_creator (LVL-11)`)
	_, err = level.Kind(3).MarshalText()
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)
	assert.Equal(t, "Kind(3)", level.Kind(3).String())
}

// LVL-11 and the input CP-18 reads: a link-share-only creator promotes by link only, an affiliate
// creator by LIVE, video and link; an unknown kind by nothing; a selection is no promotion.
func TestKindPromotes(t *testing.T) {
	promotions := []level.Promotion{level.PromoLive, level.PromoVideo, level.PromoLinkShare, level.Selection, "post"}
	want := map[level.Kind][]bool{
		level.UnknownKind:      {false, false, false, false, false},
		level.LinkShareOnly:    {false, false, true, false, false},
		level.AffiliateCreator: {true, true, true, false, false},
		level.Kind(9):          {false, false, false, false, false},
	}
	for k, w := range want {
		for i, p := range promotions {
			assert.Equal(t, w[i], k.Promotes(p), "%s promotes by %s", k, p)
		}
	}
}

// LVL-11: sellers choose by kind. A need for link sharing is met by either kind, a need for
// content only by an affiliate creator; unknown kinds and needs meet nothing.
func TestKindMeets(t *testing.T) {
	kinds := []level.Kind{level.UnknownKind, level.LinkShareOnly, level.AffiliateCreator}
	want := map[[2]level.Kind]bool{ // {creator, need}
		{level.LinkShareOnly, level.LinkShareOnly}:       true,
		{level.AffiliateCreator, level.LinkShareOnly}:    true,
		{level.AffiliateCreator, level.AffiliateCreator}: true,
	}
	for _, k := range kinds {
		for _, need := range kinds {
			assert.Equal(t, want[[2]level.Kind{k, need}], k.Meets(need), "%s meets need %s", k, need)
		}
	}

	profiles := []level.Profile{{Creator: "a", Kind: level.LinkShareOnly}, {Creator: "b", Kind: level.AffiliateCreator}, {Creator: "c"}}
	pick := func(need level.Kind) []string {
		var out []string
		keep := level.ByKind(need)
		for _, p := range profiles {
			if keep(p) {
				out = append(out, p.Creator)
			}
		}
		return out
	}
	assert.Equal(t, []string{"a", "b"}, pick(level.LinkShareOnly))
	assert.Equal(t, []string{"b"}, pick(level.AffiliateCreator))
	assert.Empty(t, pick(level.UnknownKind))
}
