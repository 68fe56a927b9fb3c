package eligibility_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// version is a policy version from its start: the counterfeit window and the minimum rating.
type version struct {
	from   time.Time
	window int
	min    string
}

func versioned(t require.TestingT, vs ...version) *eligibility.Evaluator {
	return versionedWith(t, vs, nil)
}

// versionedWith is versioned with edit applied to version i's thresholds.
func versionedWith(t require.TestingT, vs []version, edit func(i int, th *eligibility.Thresholds)) *eligibility.Evaluator {
	var es []affrules.Effective[eligibility.Thresholds]
	for i, v := range vs {
		th := eligibility.SeedThresholds()
		th.CounterfeitWindowDays, th.MinStoreRating = v.window, decimal.RequireFromString(v.min)
		if edit != nil {
			edit(i, &th)
		}
		es = append(es, affrules.Effective[eligibility.Thresholds]{From: v.from, Value: th})
	}
	tl, err := affrules.NewTimeline(es...)
	require.NoError(t, err)
	p := eligibility.DefaultPolicy()
	p.Default = tl
	e, err := eligibility.New(p)
	require.NoError(t, err)
	return e
}

// MKT-5, ELG-1, ELG-2, ELG-10: a temporarily disqualified shop's NextAllowed is the first instant
// at which its facts pass under the policy version in force then, not under the version in
// force at the instant evaluated.
func TestNextAllowedAcrossVersions_ELG1_ELG2(t *testing.T) {
	T := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, tt := range []struct {
		name      string
		versions  []version
		rating    string
		violation time.Duration // before T; 0 for none
		want      time.Time     // zero: time alone never lifts it
	}{
		{"window lengthened before the violation leaves it", []version{{time.Time{}, 30, "2.5"}, {T, 60, "2.5"}}, "4", 25 * day, T.Add(35 * day)},
		{"window shortened: lifted at the new version's start", []version{{time.Time{}, 60, "2.5"}, {T, 30, "2.5"}}, "4", 50 * day, T},
		{"window shortened, violation still inside the new one", []version{{time.Time{}, 60, "2.5"}, {T, 30, "2.5"}}, "4", 12 * day, T.Add(18 * day)},
		{"leaves the window before the next version", []version{{time.Time{}, 30, "2.5"}, {T, 60, "2.5"}}, "4", 40 * day, T.Add(-10 * day)},
		{"minimum lowered later", []version{{time.Time{}, 60, "3"}, {T, 60, "2.5"}}, "2.8", 0, T},
		{"minimum raised before the violation leaves the window", []version{{time.Time{}, 60, "2.5"}, {T, 60, "3"}}, "2.8", 50 * day, time.Time{}},
		{"minimum only", []version{{time.Time{}, 60, "3"}}, "2.8", 0, time.Time{}},
		{"minimum lowered only from 2250, after the last instant evaluated", []version{{time.Time{}, 60, "3"}, {time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC), 60, "2.5"}}, "2.8", 0, time.Time{}},
		{"minimum lowered from 2199-12-31", []version{{time.Time{}, 60, "3"}, {time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC), 60, "2.5"}}, "2.8", 0, time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"one version, violation", []version{{time.Time{}, 60, "2.5"}}, "4", 50 * day, T.Add(10 * day)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := versioned(t, tt.versions...)
			s := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString(tt.rating)}
			if tt.violation > 0 {
				s.LastCounterfeitViolation = T.Add(-tt.violation)
			}
			at := T.Add(-11 * day)
			r, err := e.Shop(s, at)
			require.NoError(t, err)
			require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
			require.True(t, r.Decision.NextAllowed.Equal(tt.want), "next allowed %v, want %v", r.Decision.NextAllowed, tt.want)
			if tt.want.IsZero() {
				return
			}
			require.True(t, r.Lifted(tt.want))
			require.False(t, r.Lifted(tt.want.Add(-time.Nanosecond)))
			then, err := e.Shop(s, tt.want)
			require.NoError(t, err)
			require.True(t, then.Eligible(), "at the announced instant: %v", then.Decision)
			before, err := e.Shop(s, tt.want.Add(-time.Nanosecond))
			require.NoError(t, err)
			require.False(t, before.Eligible(), "a nanosecond before the announced instant")
		})
	}
}

// MKT-5, ELG-6: a later version under which the shop's banned product disqualifies it
// permanently ends the search: nothing lifts the shop from that version's start.
func TestNextAllowedBeforeABan_ELG6(t *testing.T) {
	T := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	vs := []version{{time.Time{}, 60, "2.5"}, {T, 60, "2.5"}}
	e := versionedWith(t, vs, func(i int, th *eligibility.Thresholds) { th.ProductBanDisqualifiesShop = i == 1 })
	s := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), ProductBanned: true, LastCounterfeitViolation: T.Add(-50 * day)}
	r, err := e.Shop(s, T.Add(-10*day))
	require.NoError(t, err)
	require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
	require.True(t, r.Decision.NextAllowed.IsZero(), "next allowed %v: the ban takes over at %v", r.Decision.NextAllowed, T)
	then, err := e.Shop(s, T.Add(10*day))
	require.NoError(t, err)
	require.Equal(t, eligibility.PermanentlyDisqualified, then.State)
	// Lifted before the ban's version: the lift stands.
	s.LastCounterfeitViolation = T.Add(-65 * day)
	r, err = e.Shop(s, T.Add(-10*day))
	require.NoError(t, err)
	require.True(t, r.Decision.NextAllowed.Equal(T.Add(-5*day)), "%v", r.Decision.NextAllowed)
}

// MKT-5: a product whose only obstacle is its shop is told the shop's lift only if its own rules
// pass under the version in force then.
func TestProductNextAllowedAcrossVersions_ELG3(t *testing.T) {
	T := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	vs := []version{{time.Time{}, 60, "2.5"}, {T, 30, "2.5"}}
	e := versionedWith(t, vs, func(i int, th *eligibility.Thresholds) {
		if i == 1 { // FMCG's negative-review limit tightened from 0.6% to 0.2%
			th.Categories[affrules.FMCG] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate("0.2%"), SellerFaultRefundRate: affrules.MustParseRate("1.5%")}
		}
	})
	at := T.Add(-10 * day)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: T.Add(-40 * day)}, at)
	require.NoError(t, err)
	require.True(t, shop.Decision.NextAllowed.Equal(T), "the shop lifts as the shorter window starts: %v", shop.Decision.NextAllowed)
	for _, tc := range []struct {
		negative int64
		next     time.Time
	}{{3, time.Time{}}, {1, T}} {
		p := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 1000, Reviews: 50, NegativeReviewOrders: tc.negative}
		r, err := e.Product(p, shop, at)
		require.NoError(t, err)
		require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
		require.True(t, r.Decision.NextAllowed.Equal(tc.next), "%d of 1000 negative: next allowed %v, want %v", tc.negative, r.Decision.NextAllowed, tc.next)
		if !tc.next.IsZero() {
			shopThen, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: T.Add(-40 * day)}, tc.next)
			require.NoError(t, err)
			then, err := e.Product(p, shopThen, tc.next)
			require.NoError(t, err)
			require.True(t, then.Eligible(), "%v", then.Decision)
		}
	}
	// Nor is a product told the shop's lift when the version then would find its rates undefined
	// (ELG-5: ELG-3 applying from one review to a product without orders) or has no limits for
	// its category (ELG-10): evaluating it then is an error, not an answer.
	noOrders := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Reviews: 3}
	for name, edit := range map[string]func(th *eligibility.Thresholds){
		"ELG-3 from one review": func(th *eligibility.Thresholds) { th.MinReviews = 1 },
		"FMCG dropped":          func(th *eligibility.Thresholds) { delete(th.Categories, affrules.FMCG) },
	} {
		e := versionedWith(t, vs, func(i int, th *eligibility.Thresholds) {
			if i == 1 {
				edit(th)
			}
		})
		shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: T.Add(-40 * day)}, at)
		require.NoError(t, err)
		r, err := e.Product(noOrders, shop, at)
		require.NoError(t, err, name)
		require.Equal(t, eligibility.TemporarilyDisqualified, r.State, name)
		require.True(t, r.Decision.NextAllowed.IsZero(), "%s: next allowed %v, want none", name, r.Decision.NextAllowed)
		shopThen, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4), LastCounterfeitViolation: T.Add(-40 * day)}, T)
		require.NoError(t, err)
		_, err = e.Product(noOrders, shopThen, T)
		require.Error(t, err, "%s: the product at the shop's lift", name)
	}
}

// MKT-5, ELG-3, ELG-10: a product that fails its own rules is told when a later version that its
// present facts pass starts, as a shop is (time is then the obstacle), and, of a paused shop, the
// first such instant at or after the shop's lift; a later stricter version tells it nothing. The
// product evaluated then is eligible; a nanosecond before, it is not.
func TestProductOwnNextAllowedAcrossVersions_ELG3(t *testing.T) {
	T := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	limit := func(r string) func(i int, th *eligibility.Thresholds) {
		return func(i int, th *eligibility.Thresholds) {
			if i == 1 { // FMCG's negative-review limit from T (0.6% before)
				th.Categories[affrules.FMCG] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate(r), SellerFaultRefundRate: affrules.MustParseRate("1.5%")}
			}
		}
	}
	p := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 1000, Reviews: 50, NegativeReviewOrders: 7} // 0.7%
	goodShop := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}
	pausedUntil := func(lift time.Time) eligibility.Shop { // 60-day window: a violation 60 days before its lift
		s := goodShop
		s.LastCounterfeitViolation = lift.Add(-60 * day)
		return s
	}
	for _, tc := range []struct {
		name  string
		limit string
		shop  eligibility.Shop
		want  time.Time
	}{
		{"looser from T", "0.8%", goodShop, T},
		{"stricter from T", "0.5%", goodShop, time.Time{}},
		{"looser from T, the shop lifts later", "0.8%", pausedUntil(T.Add(5 * day)), T.Add(5 * day)},
		{"looser from T, the shop lifts sooner", "0.8%", pausedUntil(T.Add(-5 * day)), T},
		{"stricter from T, the shop lifts sooner", "0.5%", pausedUntil(T.Add(-5 * day)), time.Time{}},
		// A version looser for the product but stricter for shops might keep the shop out: a
		// shop result does not say whether its facts pass then, so no instant is promised.
		{"looser from T, stricter for shops then", "0.8%/3", eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString("2.8")}, time.Time{}},
		{"looser from T, a longer window then", "0.8%/2.5/90", goodShop, time.Time{}},
		{"looser from T, a rating minimum lowered then", "0.8%/2", goodShop, T},
		{"looser from T, the shop never lifts", "0.8%", eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString("2.4")}, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim, min, window := tc.limit, "2.5", 60
			if parts := strings.Split(tc.limit, "/"); len(parts) > 1 {
				lim, min = parts[0], parts[1]
				if len(parts) > 2 {
					window, _ = strconv.Atoi(parts[2])
				}
			}
			e := versionedWith(t, []version{{time.Time{}, 60, "2.5"}, {T, window, min}}, limit(lim))
			at := T.Add(-10 * day)
			shop, err := e.Shop(tc.shop, at)
			require.NoError(t, err)
			r, err := e.Product(p, shop, at)
			require.NoError(t, err)
			require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
			require.True(t, r.Decision.NextAllowed.Equal(tc.want), "next allowed %v, want %v", r.Decision.NextAllowed, tc.want)
			if tc.want.IsZero() {
				return
			}
			for _, then := range []time.Time{tc.want.Add(-time.Nanosecond), tc.want} {
				shopThen, err := e.Shop(tc.shop, then)
				require.NoError(t, err)
				r, err := e.Product(p, shopThen, then)
				require.NoError(t, err)
				require.Equal(t, then.Equal(tc.want), r.Eligible(), "at %v: %v", then, r.Decision)
			}
		})
	}
}

// MKT-5 over arbitrary version histories, shops and products: a temporarily disqualified
// product evaluated at its NextAllowed (its shop evaluated then too) is eligible, and at no probed
// instant after the one evaluated at and before it (a nanosecond before, every version start, the
// shop's lift); Run agrees with Product.
func TestProductNextAllowedProperty_ELG3_ELG4(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "versions")
		vs := []version{{time.Time{}, rapid.SampledFrom([]int{30, 60, 90}).Draw(t, "window0"), rapid.SampledFrom([]string{"2.5", "3", "3.5"}).Draw(t, "min0")}}
		from := base
		for i := 1; i < n; i++ {
			from = from.Add(time.Duration(rapid.IntRange(1, 60).Draw(t, "gap")) * day)
			vs = append(vs, version{from, rapid.SampledFrom([]int{30, 60, 90}).Draw(t, "window"), rapid.SampledFrom([]string{"2.5", "3", "3.5"}).Draw(t, "min")})
		}
		type lim struct {
			neg, ref   string
			minReviews int64
			dropped    bool
		}
		lims := make([]lim, n)
		for i := range lims {
			lims[i] = lim{rapid.SampledFrom([]string{"0.5%", "0.6%", "0.8%", "1%"}).Draw(t, "neg"), rapid.SampledFrom([]string{"1%", "1.5%", "3%"}).Draw(t, "ref"),
				rapid.SampledFrom([]int64{5, 50}).Draw(t, "min_reviews"), i > 0 && rapid.IntRange(0, 5).Draw(t, "dropped") == 5}
		}
		e := versionedWith(t, vs, func(i int, th *eligibility.Thresholds) {
			th.MinReviews = lims[i].minReviews
			if lims[i].dropped {
				delete(th.Categories, affrules.FMCG)
				return
			}
			th.Categories[affrules.FMCG] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate(lims[i].neg), SellerFaultRefundRate: affrules.MustParseRate(lims[i].ref)}
		})
		at := base.Add(time.Duration(rapid.IntRange(-30, 150).Draw(t, "at")) * day)
		s := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString(rapid.SampledFrom([]string{"2.5", "2.8", "3", "4"}).Draw(t, "rating"))}
		if rapid.Bool().Draw(t, "violated") {
			s.LastCounterfeitViolation = at.Add(-time.Duration(rapid.IntRange(0, 100*24).Draw(t, "ago")) * time.Hour)
		}
		orders := rapid.Int64Range(1, 2000).Draw(t, "orders")
		cases := rapid.Int64Range(0, orders).Draw(t, "refund_cases")
		p := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: orders,
			Reviews: rapid.Int64Range(0, 200).Draw(t, "reviews"), RefundCases: cases}
		p.NegativeReviewOrders = rapid.Int64Range(0, min(p.Reviews, orders)/20).Draw(t, "negative")
		p.SellerFaultRefunds = rapid.Int64Range(0, cases).Draw(t, "seller_fault")
		evalAt := func(x time.Time) (eligibility.Result, bool) {
			shop, err := e.Shop(s, x)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.Product(p, shop, x)
			if err != nil {
				return r, false // the version then finds the product's rates undefined: not an answer
			}
			return r, true
		}
		r, ok := evalAt(at)
		if !ok || r.State != eligibility.TemporarilyDisqualified {
			return
		}
		shop, _ := e.Shop(s, at)
		run, err := e.NewRun(slices.Values([]eligibility.Shop{s}), at)
		if err != nil {
			t.Fatal(err)
		}
		viaRun, err := run.AppendProduct(nil, p)
		if err != nil {
			t.Fatal(err)
		}
		if !viaRun.Decision.NextAllowed.Equal(r.Decision.NextAllowed) {
			t.Fatalf("Run says next allowed %v, Product %v", viaRun.Decision.NextAllowed, r.Decision.NextAllowed)
		}
		na := r.Decision.NextAllowed
		if na.IsZero() {
			return
		}
		if then, ok := evalAt(na); !ok || !then.Eligible() {
			t.Fatalf("next allowed %v (evaluated at %v), but then %v", na, at, then.Decision)
		}
		probes := []time.Time{na.Add(-time.Nanosecond), shop.Decision.NextAllowed}
		for _, v := range vs {
			probes = append(probes, v.from)
		}
		for _, x := range probes {
			if x.After(at) && x.Before(na) {
				if then, ok := evalAt(x); ok && then.Eligible() {
					t.Fatalf("next allowed %v (evaluated at %v), yet eligible at %v", na, at, x)
				}
			}
		}
	})
}

// MKT-5 over arbitrary version histories: a shop evaluated at NextAllowed is eligible, a
// nanosecond before it is not, and a shop without a NextAllowed is eligible at none of the
// instants at which a version starts or a violation leaves a version's window.
func TestNextAllowedProperty_ELG1_ELG2(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "versions")
		vs := []version{{time.Time{}, rapid.IntRange(1, 90).Draw(t, "window0"), rapid.SampledFrom([]string{"2.5", "3", "3.5"}).Draw(t, "min0")}}
		from := base
		for i := 1; i < n; i++ {
			from = from.Add(time.Duration(rapid.IntRange(1, 60).Draw(t, "gap")) * day)
			vs = append(vs, version{from, rapid.IntRange(1, 90).Draw(t, "window"), rapid.SampledFrom([]string{"2.5", "3", "3.5"}).Draw(t, "min")})
		}
		bans := make([]bool, n)
		for i := range bans {
			bans[i] = rapid.IntRange(0, 3).Draw(t, "ban") == 3
		}
		e := versionedWith(t, vs, func(i int, th *eligibility.Thresholds) { th.ProductBanDisqualifiesShop = bans[i] })
		at := base.Add(time.Duration(rapid.IntRange(-30, 150).Draw(t, "at")) * day)
		s := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString(rapid.SampledFrom([]string{"2.4", "2.5", "2.8", "3", "4"}).Draw(t, "rating"))}
		s.ProductBanned = rapid.IntRange(0, 3).Draw(t, "product_banned") == 3
		if rapid.Bool().Draw(t, "violated") {
			s.LastCounterfeitViolation = at.Add(-time.Duration(rapid.IntRange(0, 100*24).Draw(t, "ago")) * time.Hour)
		}
		r, err := e.Shop(s, at)
		if err != nil {
			t.Fatal(err)
		}
		if r.Eligible() || r.Permanent() {
			return
		}
		eligibleAt := func(x time.Time) bool {
			got, err := e.Shop(s, x)
			if err != nil {
				t.Fatal(err)
			}
			return got.Eligible()
		}
		if na := r.Decision.NextAllowed; !na.IsZero() {
			if na.Before(at) || !eligibleAt(na) || (na.After(at) && eligibleAt(na.Add(-time.Nanosecond))) {
				t.Fatalf("next allowed %v (evaluated at %v): eligible then %t, a nanosecond before %t", na, at, eligibleAt(na), eligibleAt(na.Add(-time.Nanosecond)))
			}
			return
		}
		// A version under which the shop's banned product disqualifies it permanently ends the
		// search (ELG-6: the run then records the shop as permanently disqualified, which a
		// later version does not undo), so only the instants before it are probed.
		ban := time.Time{}
		for i, v := range vs {
			if bans[i] && s.ProductBanned && v.from.After(at) && (ban.IsZero() || v.from.Before(ban)) {
				ban = v.from
			}
		}
		for _, v := range vs {
			probes := []time.Time{v.from}
			if !s.LastCounterfeitViolation.IsZero() {
				probes = append(probes, s.LastCounterfeitViolation.Add(time.Duration(v.window)*day))
			}
			for _, x := range probes {
				if !x.Before(at) && (ban.IsZero() || x.Before(ban)) && eligibleAt(x) {
					t.Fatalf("no next allowed (evaluated at %v), yet eligible at %v", at, x)
				}
			}
		}
	})
}

// MKT-5: a looser version from 2250 is beyond every instant accepted: the product is told none.
func TestProductOwnNextAllowedBeyond2199(t *testing.T) {
	T := time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC)
	e := versionedWith(t, []version{{time.Time{}, 60, "2.5"}, {T, 60, "2.5"}}, func(i int, th *eligibility.Thresholds) {
		if i == 1 {
			th.Categories[affrules.FMCG] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate("5%"), SellerFaultRefundRate: affrules.MustParseRate("5%")}
		}
	})
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.NewFromInt(4)}, at)
	require.NoError(t, err)
	r, err := e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 100, Reviews: 50, NegativeReviewOrders: 2}, shop, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
	require.True(t, r.Decision.NextAllowed.IsZero(), "next allowed %v", r.Decision.NextAllowed)
}

// MKT-5: a product of a temporarily disqualified shop is told the shop's lift, but never one from
// 2200 on, which no evaluator accepts: a shop result stored by an earlier version of the library
// may name one (2262, from a policy version starting after 2199).
func TestProductNextAllowedBeyond2199(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	s := eligibility.Shop{ID: "s", Market: affrules.UK, StoreRating: decimal.RequireFromString("4"), LastCounterfeitViolation: at.Add(-time.Hour)}
	shop, err := e.Shop(s, at)
	require.NoError(t, err)
	require.False(t, shop.Decision.NextAllowed.IsZero())
	p := eligibility.Product{ID: "p", ShopID: "s", Market: affrules.UK, Category: affrules.FMCG, Orders: 100}
	r, err := e.Product(p, shop, at)
	require.NoError(t, err)
	require.True(t, r.Decision.NextAllowed.Equal(shop.Decision.NextAllowed))
	shop.Decision.NextAllowed = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
	r, err = e.Product(p, shop, at)
	require.NoError(t, err)
	require.Equal(t, eligibility.TemporarilyDisqualified, r.State)
	require.True(t, r.Decision.NextAllowed.IsZero(), "next allowed %v", r.Decision.NextAllowed)
}
