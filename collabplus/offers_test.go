package collabplus_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/level"
)

// The offers story: collaboration "mar" of shop-1 runs 1–14 March with products p1, at an
// exclusive 15% (shop ads 18%), and p2, without an exclusive rate; paid on 20 February. Mali
// joins on 2 March at 10:00, Kai on 5 March. Both products are listed in Open Collaboration
// at 10% from 1 January, p1 lowered to 8% on 3 March; both creators promote them from 1
// February.
var (
	lcOfJoinMali = lcDate(3, 2, 10)
	lcOfJoinKai  = lcDate(3, 5, 0)
	lcOfPromote  = lcDate(2, 1, 0)
)

func lcOfTerms() collabplus.Terms {
	return lcWith(lcTask(lcLcPeriod),
		collabplus.Product{ID: "p1", Rate: lcRate("15%"), ShopAds: lcRate("18%")}, collabplus.Product{ID: "p2"})
}

func lcOfSeller(t testing.TB) collabplus.Seller {
	t.Helper()
	s := lcDraft(t, lcSeller(t), "mar", lcOfTerms(), lcT0)
	s = lcApply(t, s, collabplus.Submit("mar", lcFacts([]string{"p1", "p2"})), lcLcSubmitted)
	s = lcApply(t, s, collabplus.Pay("mar", "credit_card"), lcLcPaid)
	s = lcApply(t, s, collabplus.Join("mar", collabplus.Creator{ID: "mali", Level: level.L4}), lcOfJoinMali)
	return lcApply(t, s, collabplus.Join("mar", collabplus.Creator{ID: "kai", Level: level.L7}), lcOfJoinKai)
}

func lcOfOpen() []commission.Offer {
	jan1 := lcDate(1, 1, 0)
	return []commission.Offer{lcOpen("p1", lcFrom(jan1, "10%"), lcFrom(lcDate(3, 3, 0), "8%")), lcOpen("p2", lcFrom(jan1, "10%"))}
}

func lcOffers(t testing.TB, c collabplus.Collaboration, at time.Time) []commission.Offer {
	t.Helper()
	o, err := lcEval.Offers(c, at)
	require.NoError(t, err)
	return o
}

// COM-2, COM-3, COM-4, CP-20: a paid collaboration makes one COLLAB_PLUS offer per product,
// covering the members who joined by the instant from their join instants, for its period; a
// product with an exclusive rate has it from the period's start, one without has no rate
// history (the Open rate applies).
func TestOffers_COM3_COM4(t *testing.T) {
	c := lcCollab(t, lcOfSeller(t), "mar")
	want := func(members ...commission.Member) []commission.Offer {
		return []commission.Offer{
			{ID: "mar/p1", Source: commission.CollabPlus, Market: affrules.TH, Product: "p1", Coverage: commission.Members, Members: members,
				Period: lcLcPeriod, Rates: lcHistory(affrules.Effective[commission.Terms]{From: lcLcPeriod.Start,
					Value: commission.Terms{Rate: lcRate("15%"), ShopAds: lcRate("18%")}})},
			{ID: "mar/p2", Source: commission.CollabPlus, Market: affrules.TH, Product: "p2", Coverage: commission.Members, Members: members,
				Period: lcLcPeriod},
		}
	}
	mali := commission.Member{Creator: "mali", Joined: lcOfJoinMali}
	kai := commission.Member{Creator: "kai", Joined: lcOfJoinKai}
	for _, tc := range []struct {
		at   time.Time
		want []commission.Offer
	}{
		{lcLcPaid, want()},
		{lcOfJoinMali.Add(-time.Nanosecond), want()},
		{lcOfJoinMali, want(mali)},
		{lcOfJoinKai, want(mali, kai)},
		{lcLcPeriod.End.AddDate(0, 1, 0), want(mali, kai)},
	} {
		if diff := cmp.Diff(tc.want, lcOffers(t, c, tc.at), lcExportTimelines, lcEquate); diff != "" {
			t.Errorf("offers at %v (-want +got):\n%s", tc.at, diff)
		}
	}
	// Each call returns its own members.
	o := lcOffers(t, c, lcOfJoinKai)
	o[0].Members[0].Creator = "x"
	require.Equal(t, "mali", o[1].Members[0].Creator)
	require.Equal(t, "mali", lcCollab(t, lcOfSeller(t), "mar").Members[0].Creator)
}

// CP-7, CP-20: a draft, a collaboration pending payment or expired, and a recalled one (at any
// instant, before its recall too) make no offer; final terms make the offers (CP-15).
func TestOffersOnlyPaid_CP7_CP15(t *testing.T) {
	for _, st := range []collabplus.State{collabplus.Draft, collabplus.PendingPayment, collabplus.Expired, collabplus.Recalled} {
		s, at := lcInState(t, st)
		for _, when := range []time.Time{lcLcPaid, at, lcLcPeriod.Start} {
			require.Empty(t, lcOffers(t, lcCollab(t, s, "c1"), when), "%v at %v", st, when)
		}
	}
	for _, st := range []collabplus.State{collabplus.Paid, collabplus.Ongoing, collabplus.Ended} {
		s, at := lcInState(t, st)
		require.Len(t, lcOffers(t, lcCollab(t, s, "c1"), at), 1, "%v", st)
	}

	// The preferences give p1 no exclusive rate; the final terms give it 20%.
	paid := lcLcPaidSeller(t)
	o := lcOffers(t, lcCollab(t, paid, "c1"), lcDate(3, 2, 0))
	require.Len(t, o, 1)
	_, ok := o[0].Rates.At(lcLcPeriod.Start)
	require.False(t, ok, "no exclusive rate in the preferences: the Open rate applies")
	// Final terms cannot add an exclusive rate CP-8 never checked against the Open rate.
	final := lcWith(lcTask(lcLcPeriod), collabplus.Product{ID: lcProduct, Rate: lcRate("20%")})
	_, err := lcEval.Apply(paid, collabplus.Finalize("c1", final), lcDate(2, 25, 0))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "final.products[0]", fe.Field)
	o = lcOffers(t, lcCollab(t, paid, "c1"), lcDate(3, 2, 0))
	require.Equal(t, "c1/p1", o[0].ID)
	_, ok = o[0].Rates.At(lcLcPeriod.Start)
	require.False(t, ok)
}

// Offer IDs are "<collaboration>/<product>", each part path-escaped, so no two collide.
func TestOfferIDs(t *testing.T) {
	s := lcDraft(t, lcSeller(t), "a/b", lcWith(lcTask(lcLcPeriod), collabplus.Product{ID: "x y"}, collabplus.Product{ID: "x/y"}), lcT0)
	s = lcApply(t, s, collabplus.Submit("a/b", lcFacts([]string{"x y", "x/y"})), lcLcSubmitted)
	s = lcApply(t, s, collabplus.Pay("a/b", "credit_card"), lcLcPaid)
	o := lcOffers(t, lcCollab(t, s, "a/b"), lcLcPaid)
	require.Equal(t, "a%2Fb/x%20y", o[0].ID)
	require.Equal(t, "a%2Fb/x%2Fy", o[1].ID)
}

// COM-3, COM-4, COM-10, CP-20 through commission's resolver: the offers pass Prepare; a member's
// order during the period earns the exclusive rate (shop ads through shop ads), the product
// without one the Open rate (COM-4 named); before the join, for a creator not a member and from
// the end instant on, the Open rate, the current one after the end (a returning member is a new
// promoter, COM-10).
func TestOffersResolve_COM3_COM4(t *testing.T) {
	c := lcCollab(t, lcOfSeller(t), "mar")
	offers := append(lcOffers(t, c, lcLcPeriod.End), lcOfOpen()...)
	type want struct {
		source commission.Source
		rate   string
	}
	cp := func(r string) want { return want{commission.CollabPlus, r} }
	open := func(r string) want { return want{commission.Open, r} }
	shopAds := lcOrder("mali", "p1", lcOfPromote)
	shopAds.ShopAds, shopAds.VideoAuthorised = true, true
	for _, tc := range []struct {
		name string
		o    commission.Order
		at   time.Time
		want want
	}{
		{"member p1", lcOrder("mali", "p1", lcOfPromote), lcDate(3, 4, 0), cp("15%")},
		{"member p1 shop ads", shopAds, lcDate(3, 4, 0), cp("18%")},
		{"member p1 at the join", lcOrder("mali", "p1", lcOfPromote), lcOfJoinMali, cp("15%")},
		{"member p1 before the join", lcOrder("mali", "p1", lcOfPromote), lcOfJoinMali.Add(-time.Nanosecond), open("10%")},
		{"member p1 last instant", lcOrder("mali", "p1", lcOfPromote), lcLcPeriod.End.Add(-time.Nanosecond), cp("15%")},
		{"member p1 at the end", lcOrder("mali", "p1", lcOfPromote), lcLcPeriod.End, open("8%")},
		{"member p2, no exclusive rate", lcOrder("mali", "p2", lcOfPromote), lcDate(3, 4, 0), open("10%")},
		{"not yet a member", lcOrder("kai", "p1", lcOfPromote), lcDate(3, 4, 0), open("10%")},
		{"never a member", lcOrder("niran", "p1", lcOfPromote), lcDate(3, 6, 0), open("10%")},
		{"never a member after the end", lcOrder("niran", "p1", lcOfPromote), lcLcPeriod.End, open("10%")},
		{"member after the end", lcOrder("kai", "p1", lcOfPromote), lcLcPeriod.End.Add(time.Hour), open("8%")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lcResolve(t, tc.o, tc.at, offers...)
			if r.Source != tc.want.source || r.Rate.String() != tc.want.rate {
				t.Fatalf("won %s %s, want %s %s\n%s", r.Source, r.Rate, tc.want.source, tc.want.rate, r.Explain())
			}
		})
	}
	r := lcResolve(t, lcOrder("mali", "p2", lcOfPromote), lcDate(3, 4, 0), offers...)
	var found bool
	for _, cand := range r.Candidates() {
		if cand.OfferID == "mar/p2" {
			found = true
			require.Equal(t, commission.RuleNoExclusiveRate, cand.Reason.Rule, "%s", r.Explain())
		}
	}
	require.True(t, found, "mar/p2 is a candidate: %s", r.Explain())

	// Without an Open rate either, nothing is earned, COM-4 failing.
	r = lcResolve(t, lcOrder("mali", "p2", lcOfPromote), lcDate(3, 4, 0), lcOffers(t, c, lcLcPeriod.End)...)
	require.False(t, r.Earned())
	require.True(t, r.Decision().Failed(commission.RuleNoExclusiveRate), "%v", r.Decision())

	// The offers as they stood at an earlier instant give the same answers at it (COM-3): Kai
	// joined on 5 March, so an order of 4 March is Open's under both.
	early := append(lcOffers(t, c, lcDate(3, 4, 0)), lcOfOpen()...)
	for _, set := range [][]commission.Offer{early, offers} {
		r := lcResolve(t, lcOrder("kai", "p1", lcOfPromote), lcDate(3, 4, 12), set...)
		require.Equal(t, commission.Open, r.Source)
	}
}

// Offers of a collaboration whose market is unknown, or at an instant out of bounds, are bad
// input.
func TestOffersBadInput(t *testing.T) {
	c := lcCollab(t, lcOfSeller(t), "mar")
	for _, at := range []time.Time{{}, time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := lcEval.Offers(c, at)
		lcBadInput(t, err, "at")
	}
	c.Market = "ZZ"
	_, err := lcEval.Offers(c, lcDate(3, 4, 0))
	lcBadInput(t, err, "collaboration.market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
}
