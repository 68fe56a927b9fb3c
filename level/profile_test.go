package level_test

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

func gpm(gmv string, exposures int64) level.GPM {
	return level.GPM{GMV: decimal.RequireFromString(gmv), Exposures: exposures}
}

// LVL-12: GPM = GMV ÷ shopping-cart exposures × 1,000, exact; rounded once, for display.
func TestGPM(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		g      level.GPM
		places int32
		mode   affrules.RoundingMode
		want   string
	}{
		{"one exposure", gpm("12.34", 1), 2, affrules.HalfUp, "12340"},
		{"one exposure, no GMV", gpm("0", 1), 2, affrules.HalfUp, "0"},
		{"a thousand exposures: GPM equals GMV", gpm("57.89", 1_000), 2, affrules.HalfUp, "57.89"},
		{"a third, half-up", gpm("1", 3), 2, affrules.HalfUp, "333.33"},
		{"two thirds, half-up", gpm("2", 3), 2, affrules.HalfUp, "666.67"},
		{"two thirds, down", gpm("2", 3), 2, affrules.Down, "666.66"},
		{"exactly half, half-up", gpm("0.001", 2), 0, affrules.HalfUp, "1"},
		{"exactly half, half-even", gpm("0.001", 2), 0, affrules.HalfEven, "0"},
		{"exactly one and a half, half-even", gpm("0.003", 2), 0, affrules.HalfEven, "2"},
		// 0.50000003…: above half, though truncating at 7 places would make it look exactly half.
		{"just above half, half-even", gpm("0.0015000001", 3), 0, affrules.HalfEven, "1"},
		{"just above half, down", gpm("0.0015000001", 3), 0, affrules.Down, "0"},
		{"whole rupiah", gpm("1500000", 7), 0, affrules.HalfUp, "214285714"},
		{"places clamped to 0", gpm("1", 3), -2, affrules.HalfUp, "333"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.True(t, tt.g.HasData())
			got, ok := tt.g.Round(tt.places, tt.mode)
			require.True(t, ok)
			assert.True(t, got.Equal(d(tt.want)), "got %s, want %s", got, tt.want)
		})
	}

	// Zero exposures: no data, whatever the GMV (documented choice: not an error).
	for _, g := range []level.GPM{{}, gpm("0", 0), gpm("250", 0)} {
		assert.False(t, g.HasData(), "%+v", g)
		_, ok := g.Round(2, affrules.HalfUp)
		assert.False(t, ok)
		r, ok := g.Rat()
		assert.False(t, ok)
		assert.Nil(t, r)
		assert.Equal(t, "no data", g.String())
	}

	r, ok := gpm("1", 3).Rat()
	require.True(t, ok)
	assert.Equal(t, "1000/3", r.String())
	assert.Equal(t, "333.33", gpm("1", 3).String())

	// Comparison is exact: 1000/3 is above 333.333, equal to itself at any scale.
	assert.Equal(t, 1, gpm("1", 3).Cmp(gpm("0.333333", 1)))
	assert.Equal(t, 0, gpm("2", 2_000).Cmp(gpm("1.000", 1_000)))
	assert.Equal(t, -1, gpm("1", 1_000).Cmp(gpm("1", 999)))
	assert.Equal(t, -1, level.GPM{}.Cmp(gpm("0", 1)), "no data is below a GPM of zero")
	assert.Equal(t, 1, gpm("0", 1).Cmp(level.GPM{}))
	assert.Equal(t, 0, level.GPM{}.Cmp(gpm("9", 0)), "no data equals no data")
}

// LVL-12: GPM's exact comparison and rounding agree with big.Rat arithmetic.
func TestGPMMatchesRat(t *testing.T) {
	gen := rapid.Custom(func(t *rapid.T) level.GPM {
		return level.GPM{GMV: decimal.New(rapid.Int64Range(0, 1e12).Draw(t, "coef"), -rapid.Int32Range(0, 6).Draw(t, "places")),
			Exposures: rapid.Int64Range(0, 1e9).Draw(t, "exposures")}
	})
	rapid.Check(t, func(t *rapid.T) {
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		ra, okA := a.Rat()
		rb, okB := b.Rat()
		if okA != a.HasData() || okB != b.HasData() {
			t.Fatal("Rat and HasData disagree")
		}
		want := 0
		switch {
		case okA && okB:
			want = ra.Cmp(rb)
		case okA:
			want = 1
		case okB:
			want = -1
		}
		if got := a.Cmp(b); got != want {
			t.Fatalf("Cmp(%+v, %+v) = %d; big.Rat says %d", a, b, got, want)
		}
		if !okA {
			return
		}
		places := rapid.Int32Range(0, 4).Draw(t, "places")
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
		x := new(big.Rat).Mul(ra, scale) // the value in units of 10^-places
		floor := new(big.Int).Quo(x.Num(), x.Denom())
		frac := new(big.Rat).Sub(x, new(big.Rat).SetInt(floor))
		half := big.NewRat(1, 2)
		up := new(big.Int).Add(floor, big.NewInt(1))
		wantOf := map[affrules.RoundingMode]*big.Int{affrules.Down: floor, affrules.HalfUp: floor, affrules.HalfEven: floor}
		if frac.Cmp(half) >= 0 {
			wantOf[affrules.HalfUp] = up
		}
		if c := frac.Cmp(half); c > 0 || c == 0 && floor.Bit(0) == 1 {
			wantOf[affrules.HalfEven] = up
		}
		for mode, w := range wantOf {
			got, ok := a.Round(places, mode)
			if !ok || !got.Equal(decimal.NewFromBigInt(w, -places)) {
				t.Fatalf("%+v.Round(%d, %s) = %s; want %s", a, places, mode, got, decimal.NewFromBigInt(w, -places))
			}
		}
	})
}

// fullProfile is a valid profile with every field set, data sharing authorised.
func fullProfile() level.Profile {
	r := affrules.MustParseRate
	return level.Profile{
		Creator: "amy", Kind: level.AffiliateCreator, DataAuthorised: true, Category: "beauty",
		Labels: []string{"skincare", "makeup", "haircare"}, LabelIcons: []string{"rising-star"},
		Rating: decimal.RequireFromString("4.8"), ProductVolume: 120,
		Followers: level.Followers{Count: 52_000, Age: map[string]affrules.Rate{"18-24": r("45%"), "25-34": r("40%")},
			Gender: map[string]affrules.Rate{"female": r("70%"), "male": r("30%")}},
		Video: gpm("1234.50", 40_000), Live: gpm("980", 1),
	}
}

func TestProfileValidate(t *testing.T) { // LVL-12
	require.NoError(t, fullProfile().Validate())
	require.NoError(t, level.Profile{Creator: "new"}.Validate(), "every metric may be zero or absent")

	p := fullProfile()
	p.Labels = append(p.Labels, "fashion")
	err := p.Validate()
	assert.ErrorIs(t, err, affrules.ErrOutOfRange, "LVL-12: 4 labels")
	assert.EqualError(t, err, "level: profile.labels 4: a profile shows at most 3 main industry labels (LVL-12): out of range")

	r := affrules.MustParseRate
	bad := level.Profile{
		Kind: level.Kind(7), Labels: []string{"a", "", "a"}, LabelIcons: []string{""},
		Rating: decimal.RequireFromString("-1"), ProductVolume: -1,
		Followers: level.Followers{Count: -1, Age: map[string]affrules.Rate{"18-24": r("60%"), "25-34": r("50%")},
			Gender: map[string]affrules.Rate{"": r("10%")}},
		Video: gpm("-1", -1), Live: gpm("1e18", 5),
	}
	var fields []string
	for _, fe := range fieldErrors(t, bad.Validate()) {
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"profile.creator", "profile.kind", "profile.labels[1]", "profile.labels[2]", "profile.label_icons[0]",
		"profile.rating", "profile.product_volume", "profile.followers.count", "profile.followers.age", "profile.followers.gender",
		"profile.video.gmv", "profile.video.exposures", "profile.live.gmv"}, fields)
}

// LVL-12 with ELG-8: without data authorisation, label icons and performance data (and, by
// default, follower age and gender) are hidden from every viewer but the creator.
func TestProfileView(t *testing.T) {
	ev := mustNew(t, level.DefaultPolicy())
	full := fullProfile()
	want := level.ProfileView{Creator: full.Creator, Kind: full.Kind, Category: full.Category, Labels: full.Labels,
		LabelIcons: full.LabelIcons, Rating: full.Rating, ProductVolume: full.ProductVolume, Followers: full.Followers,
		Video: full.Video, Live: full.Live, Data: affrules.Decide()}

	seller := level.Viewer{Role: level.RoleSeller, ID: "shop-1"}
	got, err := ev.ProfileView(full, seller)
	require.NoError(t, err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("authorised (-want +got):\n%s", diff)
	}

	hidden := full
	hidden.DataAuthorised = false
	wantHidden := want
	wantHidden.LabelIcons, wantHidden.Video, wantHidden.Live = nil, level.GPM{}, level.GPM{}
	wantHidden.Followers = level.Followers{Count: full.Followers.Count}
	wantHidden.Data = affrules.Decide(affrules.Reason{Rule: level.RuleProfile, Key: "level.lvl12.data_not_authorised",
		Subject: "label icons and performance data"})
	for _, v := range []level.Viewer{seller, {Role: level.RolePartner, ID: "mcn-1"}, {Role: level.RoleCreator, ID: "ben"}, {Role: level.RoleBuyer}, {}} {
		got, err := ev.ProfileView(hidden, v)
		require.NoError(t, err)
		if diff := cmp.Diff(wantHidden, got); diff != "" {
			t.Errorf("not authorised, viewer %+v (-want +got):\n%s", v, diff)
		}
		// A filter on performance data never matches a creator whose data is hidden.
		assert.Negative(t, got.Video.Cmp(gpm("0", 1)), "hidden GPM is below any GPM")
	}

	// The creator sees their own profile whole.
	got, err = ev.ProfileView(hidden, level.Viewer{Role: level.RoleCreator, ID: "amy"})
	require.NoError(t, err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the creator themself (-want +got):\n%s", diff)
	}

	// Policy: follower age and gender may count as basic information instead.
	p := level.DefaultPolicy()
	p.Profile.HideAudience = false
	got, err = mustNew(t, p).ProfileView(hidden, seller)
	require.NoError(t, err)
	assert.Equal(t, full.Followers, got.Followers)
	assert.Nil(t, got.LabelIcons)
	assert.False(t, got.Video.HasData())

	// The view shares nothing with the profile.
	got, err = ev.ProfileView(full, seller)
	require.NoError(t, err)
	got.Labels[0], got.LabelIcons[0], got.Followers.Age["18-24"] = "x", "x", affrules.MustParseRate("1%")
	assert.Equal(t, fullProfile(), full)

	// 3 labels are shown; 4 are an error.
	full.Labels = append(full.Labels, "fashion")
	_, err = ev.ProfileView(full, seller)
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	var zero level.Evaluator
	_, err = zero.ProfileView(fullProfile(), seller)
	assert.ErrorIs(t, err, level.ErrNoPolicy)

	// The view marshals to JSON with the GPM inputs and the decision.
	got, err = ev.ProfileView(hidden, seller)
	require.NoError(t, err)
	b, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"video_gpm":{"gmv":"0","exposures":0}`)
	assert.Contains(t, string(b), `"key":"level.lvl12.data_not_authorised"`)
}

func TestProfileViewAllocs(t *testing.T) {
	ev := mustNew(t, level.DefaultPolicy())
	p := fullProfile()
	p.DataAuthorised = false
	p.Followers.Age, p.Followers.Gender = nil, nil
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := ev.ProfileView(p, level.Viewer{Role: level.RoleSeller}); err != nil {
			t.Fatal(err)
		}
	})
	assert.LessOrEqual(t, allocs, 1.0, "only the labels are copied")
}
