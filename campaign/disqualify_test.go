package campaign_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// live returns an agency campaign in MY with products p1 and p2 of shop-1 approved and creator
// c1 matched to both, and the instants it used.
func live(t *testing.T, e *campaign.Evaluator) (campaign.Campaign, time.Time) {
	t.Helper()
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c, err := e.Create(campaign.Campaign{ID: "c", Initiator: campaign.Agency, Owner: "agency", Market: affrules.MY,
		Name: "n", Contact: "x", Registration: affrules.Period{Start: t0, End: t0.Add(48 * time.Hour)},
		Period: affrules.Period{Start: t0.Add(24 * time.Hour), End: t0.Add(240 * time.Hour)}, Audience: campaign.Audience{All: true}}, t0)
	require.NoError(t, err)
	for _, p := range []string{"p1", "p2"} {
		el := eligibility.Result{ID: p, ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible}
		reg := campaign.Registration{Product: p, Seller: "shop-1", Rate: affrules.MustParseRate("10%"), Contact: "x"}
		for _, a := range []campaign.Action{campaign.Register(reg, el), campaign.Review("agency", p, true), campaign.MatchCreators("agency", p, "c1")} {
			c, err = e.Apply(c, a, t0.Add(time.Hour))
			require.NoError(t, err)
		}
	}
	return c, t0
}

func TestDisqualifyEndsParticipation(t *testing.T) { // ELG-11
	com := commission.MustNew(commission.DefaultPolicy())
	e := campaign.MustNew(campaign.DefaultPolicy(), com)
	c, t0 := live(t, e)
	end := t0.Add(72 * time.Hour)
	perm := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}

	// A temporary disqualification changes nothing in a running campaign.
	temp := perm
	temp.State = eligibility.TemporarilyDisqualified
	_, err := e.Apply(c, campaign.Disqualify(temp), end)
	var ref *affrules.Refusal
	require.ErrorAs(t, err, &ref)
	require.True(t, ref.Decision.Failed(campaign.RuleLaterDisqualification))

	d, err := e.Apply(c, campaign.Disqualify(perm), end)
	require.NoError(t, err)
	require.True(t, d.Products[0].Ended.Equal(end))
	require.True(t, d.Products[1].Ended.IsZero(), "a product-scoped result ends that product only")

	// Orders before the end keep the offer; from the end on there is none for p1.
	before, err := e.Offers(d, end.Add(-time.Nanosecond))
	require.NoError(t, err)
	require.Len(t, before, 2)
	require.True(t, before[0].Period.End.Equal(end))
	book, err := com.Prepare(before...)
	require.NoError(t, err)
	order := commission.Order{ID: "o", Creator: "c1", Product: "p1", Market: affrules.MY, Attributed: true, OrderCount: 1, PromotingSince: t0}
	r, err := com.Resolve(book, order, end.Add(-time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, commission.Partner, r.Source)
	r, err = com.Resolve(book, order, end)
	require.NoError(t, err)
	require.False(t, r.Earned(), "the offer ends with the participation")
	// Offers made after the end keep p1's, ended then, so the earlier order keeps its answer.
	after, err := e.Offers(d, end.Add(24*time.Hour))
	require.NoError(t, err)
	require.Len(t, after, 2)
	require.True(t, after[0].Period.End.Equal(end))
	book, err = com.Prepare(after...)
	require.NoError(t, err)
	r, err = com.Resolve(book, order, end.Add(-time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, commission.Partner, r.Source, "an order before the end keeps its rate")

	// Ended once: again is refused, and so are matches.
	_, err = e.Apply(d, campaign.Disqualify(perm), end.Add(time.Hour))
	require.True(t, errors.Is(err, affrules.ErrRefused))
	_, err = e.Apply(d, campaign.MatchCreators("agency", "p1", "c2"), end.Add(time.Hour))
	require.ErrorAs(t, err, &ref)
	require.True(t, ref.Decision.Failed(campaign.RuleLaterDisqualification))

	// A shop-scoped result ends every product of the shop.
	shop := perm
	shop.Scope = eligibility.ShopScope
	s, err := e.Apply(c, campaign.Disqualify(shop), end)
	require.NoError(t, err)
	require.True(t, s.Products[0].Ended.Equal(end) && s.Products[1].Ended.Equal(end))
}

func TestDisqualifyPolicyKeeps(t *testing.T) { // ELG-11 (policy)
	p := campaign.DefaultPolicy()
	p.PermanentEndsParticipation = false
	e := campaign.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	c, t0 := live(t, e)
	perm := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	got, err := e.Apply(c, campaign.Disqualify(perm), t0.Add(72*time.Hour))
	require.ErrorIs(t, err, affrules.ErrRefused)
	require.Equal(t, c.Updated, got.Updated, "the campaign is returned unchanged")
	_, err = e.Apply(c, campaign.Disqualify(eligibility.Result{}), t0.Add(72*time.Hour))
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "eligibility.state", fe.Field)
}

// Identifiers every store can hold as given: not empty, UTF-8, no control character, at most
// 256 bytes; others are bad input (a database would refuse or change them).
func TestIdentifiers(t *testing.T) {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range []string{"a\x00b", "a\xffb", strings.Repeat("x", 257)} {
		_, err := e.Create(campaign.Campaign{ID: id, Initiator: campaign.Agency, Owner: "agency", Market: affrules.MY,
			Name: "n", Contact: "x", Registration: affrules.Period{Start: t0, End: t0.Add(48 * time.Hour)},
			Period: affrules.Period{Start: t0.Add(24 * time.Hour), End: t0.Add(240 * time.Hour)}, Audience: campaign.Audience{IDs: []string{"s\x00"}}}, t0)
		var fe *affrules.FieldError
		require.ErrorAs(t, err, &fe, "%q", id)
		require.ErrorContains(t, err, "campaign.id")
		require.ErrorContains(t, err, "campaign.audience.ids[0]")
	}
}

// ELG-11: at or after the campaign's end every participation is over with it: a permanent
// disqualification then has nothing to end and is refused, as collabplus refuses one of a
// product in no running collaboration; a nanosecond before the end it ends the product's.
func TestDisqualifyAfterTheEnd(t *testing.T) {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	c, _ := live(t, e)
	perm := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	for _, at := range []time.Time{c.Period.End, c.Period.End.Add(96 * time.Hour)} {
		_, err := e.Apply(c, campaign.Disqualify(perm), at)
		var ref *affrules.Refusal
		require.ErrorAs(t, err, &ref, "at %v", at)
		require.True(t, ref.Decision.Failed(campaign.RuleLaterDisqualification))
		require.Contains(t, ref.Error(), "the campaign has ended")
	}
	d, err := e.Apply(c, campaign.Disqualify(perm), c.Period.End.Add(-time.Nanosecond))
	require.NoError(t, err)
	require.True(t, d.Products[0].Ended.Equal(c.Period.End.Add(-time.Nanosecond)))
}

// MKT-5: a disqualification at the campaign's end that is also temporary is refused with both
// failures, not only the first.
func TestDisqualifyAfterTheEndEveryFailure(t *testing.T) {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	c, _ := live(t, e)
	temp := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.TemporarilyDisqualified, Scope: eligibility.ProductScope}
	_, err := e.Apply(c, campaign.Disqualify(temp), c.Period.End)
	var ref *affrules.Refusal
	require.ErrorAs(t, err, &ref)
	require.Len(t, ref.Decision.Failures(), 2, "%v", ref.Decision)
}

// ELG-11 with TemporaryEndsParticipation: a temporary disqualification ends the participation
// as a permanent one does, the product's alone or the shop's every product; an eligible result
// ends nothing, and a temporary one that had lifted by the instant is bad input. The setting
// needs PermanentEndsParticipation.
func TestDisqualifyTemporaryEnds(t *testing.T) { // ELG-11 (policy)
	p := campaign.DefaultPolicy()
	p.TemporaryEndsParticipation = true
	e := campaign.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	c, t0 := live(t, e)
	end := t0.Add(72 * time.Hour)
	temp := eligibility.Result{ID: "p1", ShopID: "shop-1", Market: affrules.MY, State: eligibility.TemporarilyDisqualified, Scope: eligibility.ProductScope,
		Decision: affrules.Decision{NextAllowed: end.Add(24 * time.Hour)}}
	d, err := e.Apply(c, campaign.Disqualify(temp), end)
	require.NoError(t, err)
	require.True(t, d.Products[0].Ended.Equal(end))
	require.True(t, d.Products[1].Ended.IsZero())
	offers, err := e.Offers(d, end)
	require.NoError(t, err)
	require.True(t, offers[0].Period.End.Equal(end), "p1's offer ends with it")

	shop := temp
	shop.ID, shop.Scope = "shop-1", eligibility.ShopScope
	s, err := e.Apply(c, campaign.Disqualify(shop), end)
	require.NoError(t, err)
	require.True(t, s.Products[0].Ended.Equal(end) && s.Products[1].Ended.Equal(end))

	ok := temp
	ok.State, ok.Decision = eligibility.Eligible, affrules.Decide()
	_, err = e.Apply(c, campaign.Disqualify(ok), end)
	var ref *affrules.Refusal
	require.ErrorAs(t, err, &ref)
	require.Equal(t, affrules.MessageKey("campaign.elg11.not_disqualified"), ref.Decision.Failures()[0].Key)

	stale := temp
	stale.Decision.NextAllowed = end
	_, err = e.Apply(c, campaign.Disqualify(stale), end)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "eligibility.decision.next_allowed", fe.Field)
	perm := stale // only a temporary one is read for its lift
	perm.State = eligibility.PermanentlyDisqualified
	_, err = e.Apply(c, campaign.Disqualify(perm), end)
	require.NoError(t, err)

	p.PermanentEndsParticipation = false
	err = p.Validate()
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "policy.temporary_ends_participation", fe.Field)
	got, err := campaign.ParsePolicy([]byte(`{"temporary_ends_participation": true}`))
	require.NoError(t, err)
	require.True(t, got.TemporaryEndsParticipation)
}
