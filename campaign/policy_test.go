package campaign_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
)

// SPEC §7 and MKT-1: the catalog's values.
func TestDefaultPolicy(t *testing.T) {
	want := campaign.Policy{
		Markets:                    []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"},
		OpenApproval:               false,                       // CMP-1: no seller approval
		RegistrationWithinCampaign: true,                        // CMP-3
		PermanentEndsParticipation: true,                        // ELG-11
		EligibleProductsOnly:       true,                        // ELG-9
		RequirementOf:              campaign.RequirementOfTotal, // CMP-3: a minimum total rate
	}
	if diff := cmp.Diff(want, campaign.DefaultPolicy()); diff != "" {
		t.Errorf("DefaultPolicy (-want +got):\n%s", diff)
	}
	require.NoError(t, campaign.DefaultPolicy().Validate())
}

// A top-level setting left out, or null, keeps its DefaultPolicy value; one given is used.
func TestParsePolicy(t *testing.T) {
	def := campaign.DefaultPolicy()
	tests := []struct {
		doc  string
		want func(p *campaign.Policy)
	}{
		{`{}`, func(p *campaign.Policy) {}},
		{`{"open_approval": null, "registration_within_campaign": null}`, func(p *campaign.Policy) {}},
		{`{"open_approval": true}`, func(p *campaign.Policy) { p.OpenApproval = true }},
		{`{"registration_within_campaign": false}`, func(p *campaign.Policy) { p.RegistrationWithinCampaign = false }},
		{`{"permanent_ends_participation": false}`, func(p *campaign.Policy) { p.PermanentEndsParticipation = false }},
		{`{"eligible_products_only": false}`, func(p *campaign.Policy) { p.EligibleProductsOnly = false }},
		{`{"markets": ["MY", "TH"]}`, func(p *campaign.Policy) { p.Markets = []affrules.MarketCode{"MY", "TH"} }},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			got, err := campaign.ParsePolicy([]byte(tt.doc))
			require.NoError(t, err)
			want := campaign.DefaultPolicy()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParsePolicy (-want +got):\n%s", diff)
			}
		})
	}

	b, err := json.Marshal(def)
	require.NoError(t, err)
	require.JSONEq(t, `{"markets": ["UK","ID","MY","VN","TH","PH","SG"], "open_approval": false, "registration_within_campaign": true, "permanent_ends_participation": true, "eligible_products_only": true, "requirement_of": "total", "temporary_ends_participation": false}`, string(b))
	back, err := campaign.ParsePolicy(b)
	require.NoError(t, err)
	if diff := cmp.Diff(def, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// Validate reports every problem at once, each naming its field: no market, a market that is
// not registered, a market listed twice, each field named under "policy" as the data's keys
// are. New and ParsePolicy report the same.
func TestValidate(t *testing.T) {
	p := campaign.Policy{Markets: []affrules.MarketCode{"ZZ", "MY", "MY", ""}}
	err := p.Validate()
	badInput(t, err, "policy.markets[0]", "policy.markets[2]", "policy.markets[3]")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)

	_, err = campaign.ParsePolicy([]byte(`{"markets": ["ZZ", "MY", "MY", ""]}`))
	badInput(t, err, "policy.markets[0]", "policy.markets[2]", "policy.markets[3]")

	for _, p := range []campaign.Policy{{}, {Markets: []affrules.MarketCode{}}} {
		badInput(t, p.Validate(), "policy.markets")
		e, err := campaign.New(p, com)
		badInput(t, err, "policy.markets")
		require.Nil(t, e)
	}
	_, err = campaign.ParsePolicy([]byte(`{"markets": []}`))
	badInput(t, err, "policy.markets")

	require.Panics(t, func() { campaign.MustNew(campaign.Policy{}, com) })
	require.NotPanics(t, func() { campaign.MustNew(campaign.DefaultPolicy(), com) })
}

// The evaluator keeps its own copy of the policy, and Policy returns a copy of it.
func TestPolicyCopies(t *testing.T) {
	p := campaign.Policy{Markets: []affrules.MarketCode{"MY", "TH"}, RegistrationWithinCampaign: true}
	e, err := campaign.New(p, com)
	require.NoError(t, err)
	p.Markets[0] = "UK"
	got, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, []affrules.MarketCode{"MY", "TH"}, got.Markets)
	got.Markets[0] = "UK"
	_, err = e.Create(agencyTerms(t), t0)
	require.NoError(t, err, "MY still runs partner campaigns")
	again, err := e.Policy()
	require.NoError(t, err)
	require.Equal(t, []affrules.MarketCode{"MY", "TH"}, again.Markets)
}

// MKT-1: partner campaigns run only in the policy's markets, when created and on every action.
func TestPolicyMarkets(t *testing.T) {
	p := campaign.DefaultPolicy()
	p.Markets = []affrules.MarketCode{affrules.TH}
	th := campaign.MustNew(p, com)

	_, err := th.Create(agencyTerms(t), t0)
	badInput(t, err, "campaign.market")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)

	c := create(t, agencyTerms(t))
	got, err := th.Apply(c, register("serum", "shop-1", "15%"), on(2, 0))
	badInput(t, err, "campaign.market")
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("bad input changed the campaign (-want +got):\n%s", diff)
	}
	_, err = th.Offers(c, on(2, 0))
	badInput(t, err, "campaign.market")
	_, err = th.Visible(c, campaign.Viewer{Seller: "shop-1"}, on(2, 0))
	badInput(t, err, "campaign.market")
}

// COM-9: the rate bounds are the commission evaluator's: under bounds of 5%–50%, a requirement
// or registration outside them is bad input, and the bounds themselves pass.
func TestCommissionBounds(t *testing.T) {
	cp := commission.DefaultPolicy()
	cp.MinRate, cp.MaxRate = rate("5%"), rate("50%")
	narrow := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(cp))

	terms := agencyTerms(t)
	for _, r := range []string{"4%", "51%"} {
		terms.Requirement = rate(r)
		_, err := narrow.Create(terms, t0)
		badInput(t, err, "campaign.requirement")
		require.ErrorIs(t, err, affrules.ErrOutOfRange)
	}
	terms.Requirement = rate("5%")
	c, err := narrow.Create(terms, t0)
	require.NoError(t, err)
	for _, r := range []string{"4.9999999%", "50.0000001%"} {
		_, err = narrow.Apply(c, register("serum", "shop-1", r), on(2, 0))
		badInput(t, err, "registration.rate")
	}
	for _, r := range []string{"5%", "50%"} {
		_, err = narrow.Apply(c, register("serum", "shop-1", r), on(2, 0))
		require.NoError(t, err)
	}
	_, err = narrow.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: rate("4%")}, on(1, 0))
	require.NotEmpty(t, fieldErrors(err), "%v", err)
	_, err = ev.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: rate("4%")}, on(1, 0))
	require.NoError(t, err, "4% is inside the default bounds")
}

// A top-level list given as null is nil, as encoding/json writes a nil one, not the default: a
// policy with no markets is refused, not silently given the default ones.
func TestParsePolicyNullListIsNil(t *testing.T) {
	_, err := campaign.ParsePolicy([]byte(`{"markets": null}`))
	require.ErrorContains(t, err, "must list at least one market (MKT-1)")
}

// CMP-3 with RequirementOf: the campaign's requirement is a minimum of the creator's part of
// the rate (rate × (100% − partner share)) or of the partner's (rate × partner share), exactly;
// a part 1e-9 below the requirement is refused with the part observed, rounded down, so it never
// shows as reaching the limit. The total rate alone decides by default.
func TestRequirementOf_CMP3(t *testing.T) {
	reg := func(r, share string) campaign.Registration {
		g := registration("serum", "shop-1", r)
		g.PartnerShare = rate(share)
		return g
	}
	tests := []struct {
		of, rate, share string
		requirement     string
		key             affrules.MessageKey // "": registers
		observed        string
	}{
		{campaign.RequirementOfTotal, "12%", "90%", "12%", "", ""},
		{campaign.RequirementOfTotal, "11.9999999%", "0%", "12%", keyBelowRequirement, "11.9999999%"},
		{campaign.RequirementOfCreator, "15%", "20%", "12%", "", ""}, // 15% × 80% = 12% exactly
		{campaign.RequirementOfCreator, "15%", "20.0000001%", "12%", "campaign.cmp4.creator_below_requirement", "11.9999999%"},
		{campaign.RequirementOfCreator, "12%", "0%", "12%", "", ""},
		{campaign.RequirementOfCreator, "80%", "100%", "1%", "campaign.cmp4.creator_below_requirement", "0%"},
		{campaign.RequirementOfPartner, "15%", "20%", "3%", "", ""}, // 15% × 20% = 3% exactly
		{campaign.RequirementOfPartner, "15%", "19.9999999%", "3%", "campaign.cmp4.partner_below_requirement", "2.9999999%"},
		{campaign.RequirementOfPartner, "80%", "0%", "1%", "campaign.cmp4.partner_below_requirement", "0%"},
	}
	for _, tt := range tests {
		t.Run(tt.of+" "+tt.rate+" "+tt.share, func(t *testing.T) {
			p := campaign.DefaultPolicy()
			p.RequirementOf = tt.of
			e := campaign.MustNew(p, com)
			terms := agencyTerms(t)
			terms.Requirement = rate(tt.requirement)
			c, err := e.Create(terms, t0)
			require.NoError(t, err)
			g := reg(tt.rate, tt.share)
			got, err := e.Apply(c, campaign.Register(g, eligible("serum", "shop-1")), on(2, 0))
			if tt.key == "" {
				require.NoError(t, err)
				require.Len(t, got.Products, 1)
				return
			}
			var r *affrules.Refusal
			require.ErrorAs(t, err, &r)
			require.Equal(t, []affrules.Reason{{Rule: campaign.RuleRegistration, Key: tt.key, Observed: affrules.RateOf(rate(tt.observed)),
				Limit: affrules.RateOf(rate(tt.requirement)), Subject: "serum"}}, r.Decision.Reasons)
		})
	}

	// A registration made under the total reading stands under another: the campaign's stored
	// registrations are checked against the total rate, which no part exceeds. One whose total
	// is below the requirement is bad input under any reading.
	c := apply(t, create(t, agencyTerms(t)), register("serum", "shop-1", "14%"), on(2, 0)) // creator's part 11.2%
	p := campaign.DefaultPolicy()
	p.RequirementOf = campaign.RequirementOfCreator
	creatorEv := campaign.MustNew(p, com)
	reviewed, err := creatorEv.Apply(c, campaign.Review("agency-1", "serum", true), on(3, 0))
	require.NoError(t, err)
	_, err = creatorEv.Offers(reviewed, on(6, 0))
	require.NoError(t, err)
	bad := reviewed
	bad.Products = slices.Clone(reviewed.Products)
	bad.Products[0].Rate = rate("11.9999999%")
	_, err = creatorEv.Offers(bad, on(6, 0))
	badInput(t, err, "campaign.products[0].rate")
	require.ErrorContains(t, err, `campaign.products[0].rate 11.9999999%: is below the campaign's requirement 12% (CMP-4)`)

	// Policy data: the key, and a value that names no part.
	got, err := campaign.ParsePolicy([]byte(`{"requirement_of": "creator"}`))
	require.NoError(t, err)
	require.Equal(t, campaign.RequirementOfCreator, got.RequirementOf)
	for _, bad := range []string{"Total", "creators", "seller", " total"} {
		p := campaign.DefaultPolicy()
		p.RequirementOf = bad
		badInput(t, p.Validate(), "policy.requirement_of")
	}
	p = campaign.DefaultPolicy()
	p.RequirementOf = "" // a struct literal without it: total
	require.NoError(t, p.Validate())
	_, err = campaign.MustNew(p, com).Apply(create(t, agencyTerms(t)), register("serum", "shop-1", "11.9999999%"), on(2, 0))
	require.ErrorContains(t, err, "total rate below the campaign's commission requirement")
	_, err = campaign.ParsePolicy([]byte(`{"requirement_of": "creators"}`))
	badInput(t, err, "policy.requirement_of")
	require.ErrorContains(t, err, `policy.requirement_of "creators": must be total, creator or partner (CMP-3)`)
}
