package campaign_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// CMP-3: Create reports every problem its doc comment lists, all at once.
func TestCreateReportsEveryProblemAtOnce(t *testing.T) {
	c := campaign.Campaign{
		Market:       "ZZ",
		Description:  strings.Repeat("d", 5001),
		Preferences:  "\xff\xfe",
		Registration: affrules.Period{Start: on(10, 0), End: on(1, 0)},
		Period:       affrules.Period{Start: on(5, 0), End: on(5, 0)},
		Requirement:  rate("0.5%"),
		Audience:     campaign.Audience{All: true, IDs: []string{"shop-1", "", "shop-1"}},
		Created:      t0, Updated: t0, Published: t0,
		Products: []campaign.Registration{registration("serum", "shop-1", "15%")},
		Partners: []campaign.Participant{{Partner: "agency-2", Joined: t0}},
	}
	got, err := ev.Create(c, time.Time{})
	badInput(t, err, "at", "campaign.id", "campaign.initiator", "campaign.owner", "campaign.market", "campaign.name",
		"campaign.description", "campaign.contact", "campaign.preferences", "campaign.registration", "campaign.period",
		"campaign.requirement", "campaign.audience.ids", "campaign.audience.ids[1]", "campaign.audience.ids[2]",
		"campaign.created", "campaign.updated", "campaign.published", "campaign.products", "campaign.partners")
	require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	require.ErrorIs(t, err, affrules.ErrInvertedPeriod)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	require.Empty(t, got.ID, "an error returns the zero Campaign")
	for _, fe := range fieldErrors(err) {
		require.Equal(t, "campaign", fe.Pkg)
		require.True(t, strings.HasPrefix(fe.Error(), "campaign: "+fe.Field+" "), "message names package and field: %q", fe.Error())
	}
}

// CMP-2, CMP-3: each problem alone is reported alone, naming its field.
func TestCreateEachProblem(t *testing.T) {
	nano := time.Nanosecond
	tests := []struct {
		name   string
		seller bool // start from the seller campaign's terms
		mutate func(c *campaign.Campaign)
		field  string
		is     error
	}{
		{"empty ID", false, func(c *campaign.Campaign) { c.ID = "" }, "campaign.id", nil},
		{"zero initiator (CMP-2)", false, func(c *campaign.Campaign) { c.Initiator = 0 }, "campaign.initiator", affrules.ErrOutOfRange},
		{"unknown initiator (CMP-2)", false, func(c *campaign.Campaign) { c.Initiator = 3 }, "campaign.initiator", affrules.ErrOutOfRange},
		{"empty owner (CMP-2)", false, func(c *campaign.Campaign) { c.Owner = "" }, "campaign.owner", nil},
		{"unregistered market (MKT-1)", false, func(c *campaign.Campaign) { c.Market = "ZZ" }, "campaign.market", affrules.ErrUnknownMarket},
		{"empty market", false, func(c *campaign.Campaign) { c.Market = "" }, "campaign.market", affrules.ErrUnknownMarket},
		{"empty name", false, func(c *campaign.Campaign) { c.Name = "" }, "campaign.name", nil},
		{"name not UTF-8", false, func(c *campaign.Campaign) { c.Name = "Year-end \xc3" }, "campaign.name", nil},
		{"name of 201 characters", false, func(c *campaign.Campaign) { c.Name = strings.Repeat("n", 201) }, "campaign.name", nil},
		{"description not UTF-8", false, func(c *campaign.Campaign) { c.Description = "\x80" }, "campaign.description", nil},
		{"description of 5001 characters", false, func(c *campaign.Campaign) { c.Description = strings.Repeat("é", 5001) }, "campaign.description", nil},
		{"empty contact (CMP-3)", false, func(c *campaign.Campaign) { c.Contact = "" }, "campaign.contact", nil},
		{"contact of 501 characters", false, func(c *campaign.Campaign) { c.Contact = strings.Repeat("c", 501) }, "campaign.contact", nil},
		{"preferences not UTF-8", true, func(c *campaign.Campaign) { c.Preferences = "\xff" }, "campaign.preferences", nil},
		{"preferences of 5001 characters", true, func(c *campaign.Campaign) { c.Preferences = strings.Repeat("p", 5001) }, "campaign.preferences", nil},
		{"preferences on an agency campaign (CMP-6)", false, func(c *campaign.Campaign) { c.Preferences = "L3 and up" }, "campaign.preferences", nil},
		{"registration start zero", false, func(c *campaign.Campaign) { c.Registration.Start = time.Time{} }, "campaign.registration.start", affrules.ErrOutOfRange},
		{"registration start before 1900", false, func(c *campaign.Campaign) {
			c.Registration.Start = time.Date(1899, 12, 31, 23, 59, 59, 999999999, time.UTC)
		}, "campaign.registration.start", affrules.ErrOutOfRange},
		{"period end in 2200", false, func(c *campaign.Campaign) { c.Period.End = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }, "campaign.period.end", affrules.ErrOutOfRange},
		{"registration inverted", false, func(c *campaign.Campaign) { c.Registration.End = c.Registration.Start.Add(-nano) }, "campaign.registration", affrules.ErrInvertedPeriod},
		{"registration empty", false, func(c *campaign.Campaign) { c.Registration.End = c.Registration.Start }, "campaign.registration", nil},
		{"campaign period inverted", false, func(c *campaign.Campaign) { c.Period.Start = c.Period.End.Add(nano) }, "campaign.period", affrules.ErrInvertedPeriod},
		{"campaign period empty", false, func(c *campaign.Campaign) { c.Period.Start = c.Period.End }, "campaign.period", nil},
		{"registration starts 1ns after the campaign (CMP-3)", false, func(c *campaign.Campaign) {
			c.Registration.Start = c.Period.Start.Add(nano)
		}, "campaign.registration.start", nil},
		{"registration ends 1ns after the campaign (CMP-3)", false, func(c *campaign.Campaign) {
			c.Registration.End = c.Period.End.Add(nano)
		}, "campaign.registration.end", nil},
		{"requirement 0.9999999%, 1e-9 below 1% (COM-9)", false, func(c *campaign.Campaign) { c.Requirement = below(rate("1%")) }, "campaign.requirement", affrules.ErrOutOfRange},
		{"requirement 80.0000001%, 1e-9 above 80% (COM-9)", false, func(c *campaign.Campaign) { c.Requirement = above(rate("80%")) }, "campaign.requirement", affrules.ErrOutOfRange},
		{"requirement 100% (COM-9)", false, func(c *campaign.Campaign) { c.Requirement = rate("100%") }, "campaign.requirement", affrules.ErrOutOfRange},
		{"audience neither all nor listed (CMP-2)", false, func(c *campaign.Campaign) { c.Audience = campaign.Audience{} }, "campaign.audience", nil},
		{"audience both all and listed (CMP-2)", false, func(c *campaign.Campaign) { c.Audience.IDs = []string{"shop-1"} }, "campaign.audience.ids", nil},
		{"audience with an empty ID", false, func(c *campaign.Campaign) { c.Audience = campaign.Audience{IDs: []string{""}} }, "campaign.audience.ids[0]", nil},
		{"audience with an ID twice", false, func(c *campaign.Campaign) {
			c.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-2", "shop-1"}}
		}, "campaign.audience.ids[2]", nil},
		{"registration closed by its creation (CMP-3)", false, func(c *campaign.Campaign) {
			c.Registration = affrules.Period{Start: t0.Add(-48 * time.Hour), End: t0}
		}, "campaign.registration.end", nil},
		{"created given", false, func(c *campaign.Campaign) { c.Created = t0 }, "campaign.created", nil},
		{"updated given", false, func(c *campaign.Campaign) { c.Updated = t0 }, "campaign.updated", nil},
		{"published given (CMP-6)", true, func(c *campaign.Campaign) { c.Published = t0 }, "campaign.published", nil},
		{"products given (CMP-4)", false, func(c *campaign.Campaign) {
			c.Products = []campaign.Registration{registration("serum", "shop-1", "15%")}
		}, "campaign.products", nil},
		{"partners given (CMP-6)", true, func(c *campaign.Campaign) {
			c.Partners = []campaign.Participant{{Partner: "agency-1", Joined: t0}}
		}, "campaign.partners", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := agencyTerms(t)
			if tt.seller {
				c = sellerTerms(t)
			}
			_, err := ev.Create(c, t0)
			require.NoError(t, err, "precondition: the terms are valid as given")
			tt.mutate(&c)
			_, err = ev.Create(c, t0)
			badInput(t, err, tt.field)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}
}

// CMP-3: the boundaries Create accepts: registration starting with the campaign and ending with
// it, a requirement of exactly 1% or 80% or none, text at its longest in characters (not bytes).
func TestCreateBoundaries(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(c *campaign.Campaign)
		at     time.Time // t0 if zero
	}{
		{"registration starts with the campaign", func(c *campaign.Campaign) { c.Registration.Start = c.Period.Start }, time.Time{}},
		{"registration ends with the campaign", func(c *campaign.Campaign) { c.Registration.End = c.Period.End }, time.Time{}},
		{"registration is the campaign period", func(c *campaign.Campaign) { c.Registration = c.Period }, time.Time{}},
		{"registration one instant long", func(c *campaign.Campaign) { c.Registration.End = c.Registration.Start.Add(time.Nanosecond) }, time.Time{}},
		{"requirement exactly 1%", func(c *campaign.Campaign) { c.Requirement = rate("1%") }, time.Time{}},
		{"requirement exactly 80%", func(c *campaign.Campaign) { c.Requirement = rate("80%") }, time.Time{}},
		{"no requirement", func(c *campaign.Campaign) { c.Requirement = affrules.Rate{} }, time.Time{}},
		{"name of 200 three-byte characters", func(c *campaign.Campaign) { c.Name = strings.Repeat("ก", 200) }, time.Time{}},
		{"description of 5000 characters", func(c *campaign.Campaign) { c.Description = strings.Repeat("é", 5000) }, time.Time{}},
		{"no description", func(c *campaign.Campaign) { c.Description = "" }, time.Time{}},
		{"contact of 500 characters", func(c *campaign.Campaign) { c.Contact = strings.Repeat("c", 500) }, time.Time{}},
		{"selected sellers", func(c *campaign.Campaign) { c.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-2"}} }, time.Time{}},
		{"created at the first instant of 1900", func(c *campaign.Campaign) {}, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"created a nanosecond before registration closes", func(c *campaign.Campaign) {}, time.Date(2026, 12, 11, 0, 0, 0, 0, time.FixedZone("", 8*3600)).Add(-time.Nanosecond)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := agencyTerms(t)
			tt.mutate(&c)
			at := tt.at
			if at.IsZero() {
				at = t0
			}
			got, err := ev.Create(c, at)
			require.NoError(t, err)
			want := snapshot(c)
			want.Created, want.Updated = at, at
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Create (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("seller campaign with preferences", func(t *testing.T) {
		c := sellerTerms(t)
		c.Preferences = strings.Repeat("p", 5000)
		_, err := ev.Create(c, t0)
		require.NoError(t, err)
	})
}

// A Rate is exact to 1e-9 (0.0000001%): the steps just outside 1% and 80% that Create and
// Register refuse are 0.9999999% and 80.0000001%. Finer percentages such as 0.999999999% are
// not rates at all, so no campaign or registration can carry them: parsing one, as text or in a
// campaign's JSON, is an error.
func TestRateResolution(t *testing.T) {
	require.Equal(t, "0.9999999%", below(rate("1%")).String())
	require.Equal(t, "80.0000001%", above(rate("80%")).String())
	for _, s := range []string{"0.999999999%", "80.000000001%", "11.999999999%"} {
		_, err := affrules.ParseRate(s)
		require.Error(t, err, s)
		var c campaign.Campaign
		require.Error(t, json.Unmarshal([]byte(`{"requirement": "`+s+`"}`), &c), s)
	}
	_, err := affrules.RateFromDecimal(decimal.RequireFromString("0.00999999999"))
	require.Error(t, err)
}

// Create returns a copy: changing the campaign given afterwards does not change the one created.
func TestCreateCopies(t *testing.T) {
	c := agencyTerms(t)
	c.Audience = campaign.Audience{IDs: []string{"shop-1"}}
	got := create(t, c)
	c.Audience.IDs[0] = "shop-9"
	require.Equal(t, []string{"shop-1"}, got.Audience.IDs)
}

// CMP-3: Policy.RegistrationWithinCampaign true refuses a registration period reaching outside
// the campaign's, false accepts it; both refuse an inverted period.
func TestRegistrationWithinCampaign(t *testing.T) {
	le := looseEvaluator()
	c := agencyTerms(t)
	c.Registration = affrules.Period{Start: c.Period.Start.Add(time.Hour), End: c.Period.End.Add(time.Hour)}

	_, err := ev.Create(c, t0)
	badInput(t, err, "campaign.registration.start", "campaign.registration.end")
	got, err := le.Create(c, t0)
	require.NoError(t, err, "registration outside the campaign with the rule off")
	require.True(t, got.Registration.End.After(got.Period.End))

	// A registration period outlasting the campaign takes no product once the campaign is
	// over: the window is open, the campaign is not (CMP-4, CMP-5).
	_, err = le.Apply(got, register("serum", "shop-1", "15%"), got.Period.End.Add(-time.Nanosecond))
	require.NoError(t, err)
	_, err = le.Apply(got, register("serum", "shop-1", "15%"), got.Period.End)
	var r *affrules.Refusal
	require.ErrorAs(t, err, &r)
	require.Equal(t, []string{"CMP-5 campaign.cmp5.campaign_over"}, reasonKeys(r.Decision.Reasons))

	c.Registration.End = c.Registration.Start.Add(-time.Hour)
	_, err = le.Create(c, t0)
	badInput(t, err, "campaign.registration")
	require.ErrorIs(t, err, affrules.ErrInvertedPeriod)

	// Careless dates, whatever the policy (CMP-3): a campaign over by its creation (its
	// registration then closed too), a registration closed by it (a seller campaign's join
	// window included), a registration opening only once the campaign is over.
	for _, tc := range []struct {
		name   string
		seller bool
		edit   func(c *campaign.Campaign)
		fields []string
	}{
		{"campaign over", true, func(c *campaign.Campaign) {
			c.Period = affrules.Period{Start: t0.Add(-48 * time.Hour), End: t0}
			c.Registration = affrules.Period{Start: t0.Add(-48 * time.Hour), End: t0.Add(-time.Hour)}
		}, []string{"campaign.period.end", "campaign.registration.end"}},
		{"seller's join window closed", true, func(c *campaign.Campaign) {
			c.Registration = affrules.Period{Start: t0.Add(-48 * time.Hour), End: t0}
		}, []string{"campaign.registration.end"}},
		{"registration opens as the campaign ends", false, func(c *campaign.Campaign) {
			c.Registration = affrules.Period{Start: c.Period.End, End: c.Period.End.Add(time.Hour)}
		}, []string{"campaign.registration.start"}},
	} {
		c := agencyTerms(t)
		if tc.seller {
			c = sellerTerms(t)
		}
		tc.edit(&c)
		_, err := le.Create(c, t0)
		badInput(t, err, tc.fields...)
	}
}

// CMP-4, MKT-3: the registration period is half-open. Its first instant and the one before its
// end register; the end itself is refused with the closed reason and no next instant; one
// nanosecond before the start is refused with the start as the next allowed instant.
func TestRegisterWindow(t *testing.T) {
	c := create(t, agencyTerms(t))
	for _, at := range []time.Time{regStart, regEnd.Add(-time.Nanosecond)} {
		got := apply(t, c, register("serum", "shop-1", "15%"), at)
		want := registration("serum", "shop-1", "15%")
		want.Registered, want.Status = at, campaign.Pending
		if diff := cmp.Diff([]campaign.Registration{want}, got.Products); diff != "" {
			t.Errorf("registered at %s (-want +got):\n%s", at, diff)
		}
		require.Empty(t, c.Products, "the campaign given is not changed")
	}

	r := refused(t, c, register("serum", "shop-1", "15%"), regEnd)
	require.Equal(t, "register", r.Action)
	require.Equal(t, "serum", r.Subject)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyClosed,
		Observed: affrules.Instant(regEnd), Limit: affrules.Instant(c.Registration.End), Subject: "serum"}), r)
	require.True(t, r.Decision.NextAllowed.IsZero(), "a closed registration never opens again")

	early := regStart.Add(-time.Nanosecond)
	r = refused(t, c, register("serum", "shop-1", "15%"), early)
	requireDecision(t, decision(regStart, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyNotOpenYet,
		Observed: affrules.Instant(early), Limit: affrules.Instant(c.Registration.Start), Subject: "serum"}), r)
	require.Equal(t, c.Registration.Start, r.Decision.NextAllowed, "the start itself, in its own zone")
	require.Contains(t, r.Error(), `campaign: register "serum" refused: CMP-4 failed: registration has not opened`)
}

// CMP-4: a total rate exactly at the requirement registers; 1e-9 below it (11.9999999% for 12%)
// is refused with the rate observed and the requirement as the limit.
func TestRegisterRequirement(t *testing.T) {
	c := create(t, agencyTerms(t))
	apply(t, c, register("serum", "shop-1", "12%"), on(2, 0))

	low := below(rate("12%"))
	require.Equal(t, "11.9999999%", low.String())
	reg := registration("serum", "shop-1", "12%")
	reg.Rate = low
	r := refused(t, c, campaign.Register(reg, eligible("serum", "shop-1")), on(2, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyBelowRequirement,
		Observed: affrules.RateOf(low), Limit: affrules.RateOf(rate("12%")), Subject: "serum"}), r)

	none := agencyTerms(t)
	none.Requirement = affrules.Rate{}
	apply(t, create(t, none), register("serum", "shop-1", "1%"), on(2, 0))
}

// CMP-4, COM-9: a total rate outside 1%–80% is bad input, not a refusal, whatever the
// requirement; 1% and 80% themselves register.
func TestRegisterRateBounds(t *testing.T) {
	terms := agencyTerms(t)
	terms.Requirement = affrules.Rate{}
	free := create(t, terms)
	strict := create(t, agencyTerms(t))
	for _, r := range []affrules.Rate{{}, below(rate("1%")), above(rate("80%")), rate("100%")} {
		for _, c := range []campaign.Campaign{free, strict} {
			reg := registration("serum", "shop-1", "15%")
			reg.Rate = r
			err := applyBad(t, c, campaign.Register(reg, eligible("serum", "shop-1")), on(2, 0), "registration.rate")
			require.ErrorIs(t, err, affrules.ErrOutOfRange, "rate %s", r)
		}
	}
	for _, r := range []string{"1%", "80%"} {
		apply(t, free, register("serum", "shop-1", r), on(2, 0))
	}
}

// productResult evaluates product p of an eligible shop with package eligibility.
func productResult(t *testing.T, p eligibility.Product) eligibility.Result {
	t.Helper()
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shop, err := e.Shop(eligibility.Shop{ID: p.ShopID, Market: affrules.MY, StoreRating: decimal.RequireFromString("4.8")}, on(2, 0))
	require.NoError(t, err)
	r, err := e.Product(p, shop, on(2, 0))
	require.NoError(t, err)
	return r
}

// negativeReviews is a product whose negative-review rate fails ELG-3: temporarily
// disqualified, with ELG-4 not applicable.
func negativeReviews(product, shop string) eligibility.Product {
	return eligibility.Product{ID: product, ShopID: shop, Market: affrules.MY, Category: affrules.Lifestyle,
		Orders: 500, Reviews: 100, NegativeReviewOrders: 50, RefundCases: 1}
}

// ELG-9, ELG-11: a temporarily or permanently disqualified product is refused; the ELG-9
// reason names its state, and its own failed reasons (not the rules that did not apply) follow.
func TestRegisterIneligible(t *testing.T) {
	c := create(t, agencyTerms(t))
	frozen := eligibility.Product{ID: "serum", ShopID: "shop-1", Market: affrules.MY, Category: affrules.Lifestyle, Orders: 500, Frozen: true}
	tests := []struct {
		name  string
		res   eligibility.Result
		state eligibility.State
		rule  affrules.RuleID
	}{
		{"temporarily disqualified", productResult(t, negativeReviews("serum", "shop-1")), eligibility.TemporarilyDisqualified, "ELG-3"},
		{"permanently disqualified", productResult(t, frozen), eligibility.PermanentlyDisqualified, "ELG-6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.state, tt.res.State, "precondition")
			own := tt.res.Decision.Failures()
			require.Len(t, own, 1, "precondition: one failed rule")
			require.Equal(t, tt.rule, own[0].Rule)
			require.Greater(t, len(tt.res.Decision.Reasons), 1, "precondition: rules that did not apply too")

			r := refused(t, c, campaign.Register(registration("serum", "shop-1", "15%"), tt.res), on(2, 0))
			requireDecision(t, decision(time.Time{},
				affrules.Reason{Rule: campaign.RuleEligibleProducts, Key: keyIneligible, Observed: affrules.Text(tt.state.String()),
					Limit: affrules.Text("eligible"), Subject: "serum"},
				own[0]), r)
			// ELG-9's reading for partner campaigns is policy: switched off, the product
			// registers whatever its eligibility.
			loose := campaign.DefaultPolicy()
			loose.EligibleProductsOnly = false
			got, err := campaign.MustNew(loose, com).Apply(c, campaign.Register(registration("serum", "shop-1", "15%"), tt.res), on(2, 0))
			require.NoError(t, err)
			require.Len(t, got.Products, 1)
		})
	}
}

// ELG-9, CMP-4: the eligibility result must be the product's own, evaluated, in the campaign's
// market: otherwise it is bad input, not a refusal.
func TestRegisterEligibilityOfAnother(t *testing.T) {
	c := create(t, agencyTerms(t))
	tests := []struct {
		name   string
		mutate func(r *eligibility.Result)
		field  string
	}{
		{"another product", func(r *eligibility.Result) { r.ID = "toner" }, "eligibility.id"},
		{"another shop", func(r *eligibility.Result) { r.ShopID = "shop-2" }, "eligibility.shop_id"},
		{"another market", func(r *eligibility.Result) { r.Market = affrules.TH }, "eligibility.market"},
		{"unevaluated", func(r *eligibility.Result) { r.State = eligibility.Unevaluated }, "eligibility.state"},
		{"the zero result", func(r *eligibility.Result) { *r = eligibility.Result{} }, "eligibility.state"},
		{"an unknown state", func(r *eligibility.Result) { r.State = 9 }, "eligibility.state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := eligible("serum", "shop-1")
			tt.mutate(&res)
			applyBad(t, c, campaign.Register(registration("serum", "shop-1", "15%"), res), on(2, 0), tt.field)
		})
	}
}

// CMP-4, SMP-2: the seller's part of a registration is checked as input: every problem at once.
func TestRegisterBadRegistration(t *testing.T) {
	c := create(t, agencyTerms(t))
	tests := []struct {
		name   string
		mutate func(r *campaign.Registration)
		fields []string
		is     error
	}{
		{"negative sample quantity (SMP-2)", func(r *campaign.Registration) { r.Samples = -1 }, []string{"registration.samples"}, affrules.ErrNegative},
		{"empty contact", func(r *campaign.Registration) { r.Contact = "" }, []string{"registration.contact"}, nil},
		{"contact not UTF-8", func(r *campaign.Registration) { r.Contact = "\xff" }, []string{"registration.contact"}, nil},
		{"contact of 501 characters", func(r *campaign.Registration) { r.Contact = strings.Repeat("c", 501) }, []string{"registration.contact"}, nil},
		{"status given", func(r *campaign.Registration) { r.Status = campaign.Approved }, []string{"registration"}, nil},
		{"registered given", func(r *campaign.Registration) { r.Registered = t0 }, []string{"registration"}, nil},
		{"matches given", func(r *campaign.Registration) {
			r.Matches = []campaign.Match{{Partner: "agency-1", Creator: "aisyah", At: t0}}
		}, []string{"registration"}, nil},
		{"everything at once", func(r *campaign.Registration) {
			r.Samples, r.Contact, r.Rate, r.Reviewed = -3, "", rate("90%"), t0
		}, []string{"registration.samples", "registration.contact", "registration.rate", "registration"}, affrules.ErrNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := registration("serum", "shop-1", "15%")
			tt.mutate(&reg)
			err := applyBad(t, c, campaign.Register(reg, eligible("serum", "shop-1")), on(2, 0), tt.fields...)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
		})
	}
	t.Run("empty product and seller", func(t *testing.T) {
		reg := registration("", "", "15%")
		applyBad(t, c, campaign.Register(reg, eligible("", "")), on(2, 0), "registration.product", "registration.seller")
	})
	t.Run("zero samples register", func(t *testing.T) {
		reg := registration("serum", "shop-1", "15%")
		reg.Samples = 0
		apply(t, c, campaign.Register(reg, eligible("serum", "shop-1")), on(2, 0))
	})
}

// CMP-4: a product registers once per campaign, whatever its status: again while pending, and
// again after its rejection, is refused.
func TestRegisterTwice(t *testing.T) {
	c := create(t, agencyTerms(t))
	c = apply(t, c, register("serum", "shop-1", "15%"), on(2, 0))
	r := refused(t, c, register("serum", "shop-1", "20%"), on(2, 1))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyRegistered,
		Observed: affrules.Text("pending"), Subject: "serum"}), r)

	c = apply(t, c, campaign.Review("agency-1", "serum", false), on(3, 0))
	r = refused(t, c, register("serum", "shop-1", "20%"), on(3, 1))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyRegistered,
		Observed: affrules.Text("rejected"), Subject: "serum"}), r)
}

// MKT-5: every failing rule of a registration is reported at once, and with obstacles besides
// the window there is no next allowed instant.
func TestRegisterEveryFailure(t *testing.T) {
	terms := agencyTerms(t)
	terms.Audience = campaign.Audience{IDs: []string{"shop-1"}}
	c := create(t, terms)
	c = apply(t, c, register("serum", "shop-1", "15%"), on(2, 0))

	res := productResult(t, negativeReviews("serum", "shop-2"))
	own := res.Decision.Failures()
	require.Len(t, own, 1, "precondition")
	r := refused(t, c, campaign.Register(registration("serum", "shop-2", "10%"), res), regEnd)
	requireDecision(t, decision(time.Time{},
		affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotInAudience, Subject: "shop-2"},
		affrules.Reason{Rule: campaign.RuleRegistration, Key: keyClosed, Observed: affrules.Instant(regEnd), Limit: affrules.Instant(c.Registration.End), Subject: "serum"},
		affrules.Reason{Rule: campaign.RuleRegistration, Key: keyBelowRequirement, Observed: affrules.RateOf(rate("10%")), Limit: affrules.RateOf(rate("12%")), Subject: "serum"},
		affrules.Reason{Rule: campaign.RuleEligibleProducts, Key: keyIneligible, Observed: affrules.Text("temporarily_disqualified"), Limit: affrules.Text("eligible"), Subject: "serum"},
		own[0],
		affrules.Reason{Rule: campaign.RuleRegistration, Key: keyRegistered, Observed: affrules.Text("pending"), Subject: "serum"},
	), r)

	early := regStart.Add(-time.Hour)
	fresh := create(t, agencyTerms(t))
	r = refused(t, fresh, register("toner", "shop-1", "10%"), early)
	require.True(t, r.Decision.Failed(campaign.RuleRegistration))
	require.Len(t, r.Decision.Reasons, 2)
	require.True(t, r.Decision.NextAllowed.IsZero(), "the window is not the only obstacle: %v", r.Decision)
}

// CMP-2: in a campaign for selected sellers, a seller not selected is refused; a selected one
// registers.
func TestRegisterAudience(t *testing.T) {
	terms := agencyTerms(t)
	terms.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-3"}}
	c := create(t, terms)
	apply(t, c, register("serum", "shop-3", "15%"), on(2, 0))
	r := refused(t, c, register("serum", "shop-2", "15%"), on(2, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotInAudience, Subject: "shop-2"}), r)
}

// CMP-6: in a seller campaign only the owner registers, its products are approved as
// registered, before and after the registration period, until the campaign ends.
func TestRegisterSellerCampaign(t *testing.T) {
	c := create(t, sellerTerms(t))
	for _, at := range []time.Time{t0, regEnd, runEnd.Add(-time.Nanosecond)} {
		got := apply(t, c, register("serum", "shop-1", "20%"), at)
		want := registration("serum", "shop-1", "20%")
		want.Registered, want.Status, want.Reviewed = at, campaign.Approved, at
		if diff := cmp.Diff([]campaign.Registration{want}, got.Products); diff != "" {
			t.Errorf("registered at %s (-want +got):\n%s", at, diff)
		}
	}

	r := refused(t, c, register("serum", "shop-2", "20%"), on(2, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotOwner,
		Observed: affrules.Text("shop-2"), Limit: affrules.Text("shop-1"), Subject: "shop-sale"}), r)

	for _, at := range []time.Time{runEnd, runEnd.Add(time.Hour)} {
		r = refused(t, c, register("serum", "shop-1", "20%"), at)
		requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyCampaignOver,
			Observed: affrules.Instant(at), Limit: affrules.Instant(c.Period.End), Subject: "serum"}), r)
	}
}

// CMP-5: the owner reviews each pending product once, approving or rejecting it, at any time
// before the campaign ends (after registration closes too).
func TestReview(t *testing.T) {
	c := create(t, agencyTerms(t))
	c = apply(t, c, register("toner", "shop-1", "15%"), on(2, 0))
	c = apply(t, c, register("serum", "shop-1", "15%"), on(2, 1))
	c = apply(t, c, register("lotion", "shop-2", "15%"), on(2, 2))

	c = apply(t, c, campaign.Review("agency-1", "toner", true), on(3, 0))
	c = apply(t, c, campaign.Review("agency-1", "serum", false), on(20, 0))
	want := []campaign.Registration{registration("toner", "shop-1", "15%"), registration("serum", "shop-1", "15%"), registration("lotion", "shop-2", "15%")}
	want[0].Registered, want[0].Status, want[0].Reviewed = on(2, 0), campaign.Approved, on(3, 0)
	want[1].Registered, want[1].Status, want[1].Reviewed = on(2, 1), campaign.Rejected, on(20, 0)
	want[2].Registered = on(2, 2)
	if diff := cmp.Diff(want, c.Products); diff != "" {
		t.Fatalf("after the reviews (-want +got):\n%s", diff)
	}

	t.Run("again", func(t *testing.T) {
		for _, p := range []struct{ product, status string }{{"toner", "approved"}, {"serum", "rejected"}} {
			for _, approve := range []bool{true, false} {
				r := refused(t, c, campaign.Review("agency-1", p.product, approve), on(21, 0))
				require.Equal(t, "review", r.Action)
				requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyWrongStatus,
					Observed: affrules.Text(p.status), Limit: affrules.Text("pending"), Subject: p.product}), r)
			}
		}
	})
	t.Run("unknown product", func(t *testing.T) {
		r := refused(t, c, campaign.Review("agency-1", "cream", true), on(21, 0))
		requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyNotRegistered, Subject: "cream"}), r)
	})
	t.Run("not the owner", func(t *testing.T) {
		r := refused(t, c, campaign.Review("agency-2", "lotion", true), on(21, 0))
		requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotOwner,
			Observed: affrules.Text("agency-2"), Limit: affrules.Text("agency-1"), Subject: "year-end"}), r)
	})
	t.Run("campaign over", func(t *testing.T) {
		apply(t, c, campaign.Review("agency-1", "lotion", true), runEnd.Add(-time.Nanosecond))
		for _, at := range []time.Time{runEnd, runEnd.Add(24 * time.Hour)} {
			r := refused(t, c, campaign.Review("agency-1", "lotion", true), at)
			requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyCampaignOver,
				Observed: affrules.Instant(at), Limit: affrules.Instant(c.Period.End), Subject: "lotion"}), r)
		}
	})
	t.Run("seller campaign", func(t *testing.T) {
		s := published(t)
		r := refused(t, s, campaign.Review("agency-1", "serum", true), on(2, 0))
		requireDecision(t, decision(time.Time{},
			affrules.Reason{Rule: campaign.RuleInitiators, Key: keyWrongInitiator, Observed: affrules.Text("seller"), Limit: affrules.Text("agency"), Subject: "shop-sale"},
		), r)
	})
	t.Run("empty partner and product", func(t *testing.T) {
		applyBad(t, c, campaign.Review("", "", true), on(21, 0), "action.actor", "action.product")
	})
}

// CMP-5, COM-12: the owner matches creators to approved products only, each creator once,
// before the campaign ends; the match is recorded with its instant.
func TestMatchAgency(t *testing.T) {
	c := approved(t)
	c = apply(t, c, register("serum", "shop-1", "15%"), on(4, 10))
	c = apply(t, c, register("lotion", "shop-1", "15%"), on(4, 11))
	c = apply(t, c, campaign.Review("agency-1", "lotion", false), on(4, 12))

	got := apply(t, c, campaign.MatchCreators("agency-1", "toner", "budi", "cara"), on(6, 0))
	want := []campaign.Match{{Partner: "agency-1", Creator: "aisyah", At: on(4, 9)}, {Partner: "agency-1", Creator: "budi", At: on(6, 0)},
		{Partner: "agency-1", Creator: "cara", At: on(6, 0)}}
	if diff := cmp.Diff(want, got.Products[0].Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}

	for _, p := range []struct{ product, status string }{{"serum", "pending"}, {"lotion", "rejected"}} {
		r := refused(t, c, campaign.MatchCreators("agency-1", p.product, "budi"), on(6, 0))
		requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyWrongStatus,
			Observed: affrules.Text(p.status), Limit: affrules.Text("approved"), Subject: p.product}), r)
	}
	r := refused(t, c, campaign.MatchCreators("agency-2", "toner", "budi"), on(6, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotOwner,
		Observed: affrules.Text("agency-2"), Limit: affrules.Text("agency-1"), Subject: "year-end"}), r)
	// A creator the owner matched: only the owner rule refuses another partner (CMP-6 is a
	// seller campaign's).
	r = refused(t, c, campaign.MatchCreators("agency-2", "toner", "aisyah"), on(6, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotOwner,
		Observed: affrules.Text("agency-2"), Limit: affrules.Text("agency-1"), Subject: "year-end"}), r)

	r = refused(t, c, campaign.MatchCreators("agency-1", "toner", "budi", "aisyah"), on(6, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyMatched, Subject: "aisyah"}), r)

	r = refused(t, c, campaign.MatchCreators("agency-1", "cream", "budi"), on(6, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyNotRegistered, Subject: "cream"}), r)

	apply(t, c, campaign.MatchCreators("agency-1", "toner", "budi"), runEnd.Add(-time.Nanosecond))
	r = refused(t, c, campaign.MatchCreators("agency-1", "toner", "budi"), runEnd)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyCampaignOver,
		Observed: affrules.Instant(runEnd), Limit: affrules.Instant(c.Period.End), Subject: "toner"}), r)

	applyBad(t, c, campaign.MatchCreators("agency-1", "toner"), on(6, 0), "action.creators")
	applyBad(t, c, campaign.MatchCreators("agency-1", "toner", "budi", "", "budi"), on(6, 0), "action.creators[1]", "action.creators[2]")
	applyBad(t, c, campaign.MatchCreators("", "", "budi"), on(6, 0), "action.actor", "action.product")
}

// CMP-6, COM-12: in a seller campaign the partners that joined match their own creators; a
// partner that has not joined, and the seller, cannot; a creator one partner matched to a product
// is not matched to it by another (an order names no partner, so one offer must pay it).
func TestMatchSellerCampaign(t *testing.T) {
	c := published(t)
	r := refused(t, c, campaign.MatchCreators("agency-1", "serum", "aisyah"), regStart)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyNotJoined, Subject: "agency-1"}), r)
	r = refused(t, c, campaign.MatchCreators("shop-1", "serum", "aisyah"), regStart)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyNotJoined, Subject: "shop-1"}), r)

	c = apply(t, c, campaign.Join("agency-1"), regStart)
	c = apply(t, c, campaign.Join("agency-2"), on(2, 0))
	c = apply(t, c, campaign.MatchCreators("agency-1", "serum", "aisyah"), on(3, 0))
	r = refused(t, c, campaign.MatchCreators("agency-2", "serum", "nurul", "aisyah"), on(3, 1))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: "campaign.cmp6.matched_by_other",
		Observed: affrules.Text("agency-1"), Subject: "aisyah"}), r)
	c = apply(t, c, campaign.MatchCreators("agency-2", "serum", "nurul"), on(3, 1))
	r = refused(t, c, campaign.MatchCreators("agency-1", "serum", "aisyah"), on(3, 2))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyMatched, Subject: "aisyah"}), r)
	want := []campaign.Match{{Partner: "agency-1", Creator: "aisyah", At: on(3, 0)}, {Partner: "agency-2", Creator: "nurul", At: on(3, 1)}}
	if diff := cmp.Diff(want, c.Products[0].Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
}

// CMP-5, CMP-6: a seller campaign stored before a second partner's match was refused may hold
// two partners' matches of one creator: matching the creator again is the partner's own match
// again (CMP-5), not another partner's (CMP-6).
func TestMatchAgainInAStoredCampaign(t *testing.T) {
	c := published(t)
	c = apply(t, c, campaign.Join("agency-1"), regStart)
	c = apply(t, c, campaign.Join("agency-2"), on(2, 0))
	c = apply(t, c, campaign.MatchCreators("agency-1", "serum", "aisyah"), on(3, 0))
	c.Products = slices.Clone(c.Products)
	c.Products[0].Matches = append(slices.Clone(c.Products[0].Matches), campaign.Match{Partner: "agency-2", Creator: "aisyah", At: on(3, 1)})
	c.Updated = on(3, 1)
	r := refused(t, c, campaign.MatchCreators("agency-2", "serum", "aisyah"), on(3, 2))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyMatched, Subject: "aisyah"}), r)
}

// CMP-6: the owner publishes a seller campaign with at least one product, once, before its
// registration period ends; an agency campaign is not published.
func TestPublish(t *testing.T) {
	empty := create(t, sellerTerms(t))
	r := refused(t, empty, campaign.Publish("shop-1"), t0)
	require.Equal(t, "publish", r.Action)
	require.Equal(t, "shop-sale", r.Subject)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyNoProducts,
		Observed: affrules.Count(0), Limit: affrules.Count(1), Subject: "shop-sale"}), r)

	c := apply(t, empty, register("serum", "shop-1", "20%"), t0)
	r = refused(t, c, campaign.Publish("shop-2"), t0)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyNotOwner,
		Observed: affrules.Text("shop-2"), Limit: affrules.Text("shop-1"), Subject: "shop-sale"}), r)

	r = refused(t, c, campaign.Publish("shop-1"), regEnd)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyJoinClosed,
		Observed: affrules.Instant(regEnd), Limit: affrules.Instant(c.Registration.End), Subject: "shop-sale"}), r)

	last := regEnd.Add(-time.Nanosecond)
	p := apply(t, c, campaign.Publish("shop-1"), last)
	require.True(t, p.Published.Equal(last))
	r = refused(t, p, campaign.Publish("shop-1"), last)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyPublished,
		Observed: affrules.Instant(last), Subject: "shop-sale"}), r)

	early := apply(t, c, campaign.Publish("shop-1"), t0)
	require.True(t, early.Published.Equal(t0), "published before registration opens")

	r = refused(t, approved(t), campaign.Publish("agency-1"), on(4, 10))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyWrongInitiator,
		Observed: affrules.Text("agency"), Limit: affrules.Text("seller"), Subject: "year-end"}), r)

	applyBad(t, c, campaign.Publish(""), t0, "action.actor")
}

// CMP-6: partners of the audience join a published seller campaign once, inside the
// registration period. The decision names the instant joining opens only when that is the one
// obstacle.
func TestJoin(t *testing.T) {
	unpublished := apply(t, create(t, sellerTerms(t)), register("serum", "shop-1", "20%"), t0)
	r := refused(t, unpublished, campaign.Join("agency-1"), regStart)
	require.Equal(t, "join", r.Action)
	require.Equal(t, "agency-1", r.Subject)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyNotPublished,
		Observed: affrules.Instant(regStart), Subject: "shop-sale"}), r)

	early := regStart.Add(-time.Nanosecond)
	notOpen := affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyJoinNotOpenYet, Observed: affrules.Instant(early),
		Limit: affrules.Instant(unpublished.Registration.Start), Subject: "shop-sale"}
	r = refused(t, unpublished, campaign.Join("agency-1"), early)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyNotPublished,
		Observed: affrules.Instant(early), Subject: "shop-sale"}, notOpen), r)

	c := published(t)
	r = refused(t, c, campaign.Join("agency-1"), early)
	requireDecision(t, decision(regStart, notOpen), r)
	// The instant is the registration's start itself, in its own zone (not a fixed offset).
	require.Equal(t, c.Registration.Start, r.Decision.NextAllowed)

	r = refused(t, c, campaign.Join("agency-3"), regStart)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyJoinNotInAudience, Subject: "agency-3"}), r)

	r = refused(t, c, campaign.Join("agency-1"), regEnd)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyJoinClosed,
		Observed: affrules.Instant(regEnd), Limit: affrules.Instant(c.Registration.End), Subject: "shop-sale"}), r)

	c = apply(t, c, campaign.Join("agency-1"), regStart)
	c = apply(t, c, campaign.Join("agency-2"), regEnd.Add(-time.Nanosecond))
	want := []campaign.Participant{{Partner: "agency-1", Joined: regStart}, {Partner: "agency-2", Joined: regEnd.Add(-time.Nanosecond)}}
	if diff := cmp.Diff(want, c.Partners); diff != "" {
		t.Errorf("partners (-want +got):\n%s", diff)
	}
	r = refused(t, c, campaign.Join("agency-1"), regEnd.Add(-time.Nanosecond))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleSellerCampaigns, Key: keyJoined,
		Observed: affrules.Instant(regStart), Subject: "agency-1"}), r)

	all := sellerTerms(t)
	all.Audience = campaign.Audience{All: true}
	open := apply(t, apply(t, create(t, all), register("serum", "shop-1", "20%"), t0), campaign.Publish("shop-1"), t0)
	apply(t, open, campaign.Join("agency-9"), regStart)

	// A join window outlasting the campaign (the policy allows it) takes no partner once the
	// campaign is over (CMP-5).
	le, long := looseEvaluator(), outlasting(sellerTerms(t))
	lc, err := le.Create(long, t0)
	require.NoError(t, err)
	lc, err = le.Apply(lc, register("serum", "shop-1", "20%"), t0)
	require.NoError(t, err)
	lc, err = le.Apply(lc, campaign.Publish("shop-1"), t0)
	require.NoError(t, err)
	_, err = le.Apply(lc, campaign.Join("agency-1"), long.Period.End.Add(-time.Nanosecond))
	require.NoError(t, err)
	_, err = le.Apply(lc, campaign.Join("agency-1"), long.Period.End)
	var rf *affrules.Refusal
	require.ErrorAs(t, err, &rf)
	require.Equal(t, []string{"CMP-5 campaign.cmp5.campaign_over"}, reasonKeys(rf.Decision.Reasons))

	// Nor is it published once over: no partner could join it.
	unpub, err := le.Create(long, t0)
	require.NoError(t, err)
	unpub, err = le.Apply(unpub, register("serum", "shop-1", "20%"), t0)
	require.NoError(t, err)
	_, err = le.Apply(unpub, campaign.Publish("shop-1"), long.Period.End)
	require.ErrorAs(t, err, &rf)
	require.Equal(t, []string{"CMP-5 campaign.cmp5.campaign_over"}, reasonKeys(rf.Decision.Reasons))

	// A campaign stored before Create refused a registration opening after the campaign's end
	// still reads: the check is Create's, not the terms every action reads.
	stored := lc
	stored.Registration.Start = stored.Period.End
	_, err = le.Offers(stored, long.Period.End.Add(time.Hour))
	require.NoError(t, err)
	_, err = le.Visible(stored, campaign.Viewer{Partner: "agency-1"}, long.Period.End.Add(time.Hour))
	require.NoError(t, err)

	r = refused(t, approved(t), campaign.Join("agency-1"), on(4, 10))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleInitiators, Key: keyWrongInitiator,
		Observed: affrules.Text("agency"), Limit: affrules.Text("seller"), Subject: "year-end"}), r)

	applyBad(t, c, campaign.Join(""), on(20, 0), "action.actor")
}

// SMP-2: the seller who registered a product changes its sample quantity at any time, even
// after the campaign; another seller cannot; a negative quantity is bad input.
func TestSetSamples(t *testing.T) {
	c := approved(t)
	got := apply(t, c, campaign.SetSamples("shop-1", "toner", 0), runEnd.Add(time.Hour))
	require.Equal(t, int64(0), got.Products[0].Samples)
	got = apply(t, c, campaign.SetSamples("shop-1", "toner", 12), on(6, 0))
	require.Equal(t, int64(12), got.Products[0].Samples)

	r := refused(t, c, campaign.SetSamples("shop-2", "toner", 3), on(6, 0))
	require.Equal(t, "set_samples", r.Action)
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleRegistration, Key: keyNotSeller,
		Observed: affrules.Text("shop-2"), Limit: affrules.Text("shop-1"), Subject: "toner"}), r)
	r = refused(t, c, campaign.SetSamples("shop-1", "serum", 3), on(6, 0))
	requireDecision(t, decision(time.Time{}, affrules.Reason{Rule: campaign.RuleReview, Key: keyNotRegistered, Subject: "serum"}), r)

	err := applyBad(t, c, campaign.SetSamples("shop-1", "toner", -1), on(6, 0), "action.samples")
	require.ErrorIs(t, err, affrules.ErrNegative)
	applyBad(t, c, campaign.SetSamples("", "", 1), on(6, 0), "action.actor", "action.product")
}

// CMP-2, CMP-5, CMP-6: who sees a campaign, and from when.
func TestVisible(t *testing.T) {
	selected := agencyTerms(t)
	selected.Audience = campaign.Audience{IDs: []string{"shop-1"}}
	agencySel := create(t, selected)
	agencyAll := create(t, agencyTerms(t))

	unpub := apply(t, create(t, sellerTerms(t)), register("serum", "shop-1", "20%"), t0)
	pubAt := on(2, 0)
	pub := apply(t, unpub, campaign.Publish("shop-1"), pubAt)
	allTerms := sellerTerms(t)
	allTerms.Audience = campaign.Audience{All: true}
	pubAll := apply(t, apply(t, create(t, allTerms), register("serum", "shop-1", "20%"), t0), campaign.Publish("shop-1"), pubAt)

	seller := func(id string) campaign.Viewer { return campaign.Viewer{Seller: id} }
	partner := func(id string) campaign.Viewer { return campaign.Viewer{Partner: id} }
	tests := []struct {
		name string
		c    campaign.Campaign
		v    campaign.Viewer
		at   time.Time
		want bool
	}{
		{"agency, selected seller", agencySel, seller("shop-1"), t0, true},
		{"agency, unselected seller", agencySel, seller("shop-2"), on(3, 0), false},
		{"agency, selected seller before creation", agencySel, seller("shop-1"), t0.Add(-time.Nanosecond), false},
		{"agency for all, any seller", agencyAll, seller("shop-2"), t0, true},
		{"agency, owner", agencySel, partner("agency-1"), t0, true},
		{"agency, other partner", agencySel, partner("agency-2"), on(3, 0), false},
		{"agency for all, other partner", agencyAll, partner("agency-2"), on(3, 0), false},
		{"seller, owner unpublished", unpub, seller("shop-1"), t0, true},
		{"seller, audience partner unpublished", unpub, partner("agency-1"), on(3, 0), false},
		{"seller, audience partner before publication", pub, partner("agency-1"), pubAt.Add(-time.Nanosecond), false},
		{"seller, audience partner at publication", pub, partner("agency-1"), pubAt, true},
		{"seller, partner not in audience", pub, partner("agency-3"), on(3, 0), false},
		{"seller for all, any partner after publication", pubAll, partner("agency-3"), pubAt, true},
		{"seller for all, any partner before publication", pubAll, partner("agency-3"), pubAt.Add(-time.Nanosecond), false},
		{"seller, other seller", pubAll, seller("shop-2"), on(3, 0), false},
		{"seller, owner published", pub, seller("shop-1"), on(3, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ev.Visible(tt.c, tt.v, tt.at)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	for v, text := range map[campaign.Viewer]string{{}: `viewer {}: must name a seller or a partner`,
		{Seller: "shop-1", Partner: "agency-1"}: `viewer seller "shop-1", partner "agency-1": must name a seller or a partner, not both`} {
		got, err := ev.Visible(agencyAll, v, t0)
		badInput(t, err, "viewer")
		require.ErrorContains(t, err, text)
		require.False(t, got)
	}
}

// CMP-5: Visible searches a long audience for the viewer without checking each entry (Create
// and Apply do): no allocation, whatever its length, where a check of each built a map of them.
func TestVisibleLongAudience(t *testing.T) {
	terms := agencyTerms(t)
	terms.Audience = campaign.Audience{}
	for i := range 5000 {
		terms.Audience.IDs = append(terms.Audience.IDs, fmt.Sprintf("shop-%d", i))
	}
	c := create(t, terms)
	last := campaign.Viewer{Seller: "shop-4999"}
	got, err := ev.Visible(c, last, t0)
	require.NoError(t, err)
	require.True(t, got)
	require.Zero(t, testing.AllocsPerRun(20, func() { _, _ = ev.Visible(c, last, t0) }))
	// A campaign whose terms are wrong is still refused.
	c.Market = "XX"
	_, err = ev.Visible(c, last, t0)
	badInput(t, err, "campaign.market")
}

// CMP-5, COM-12: Offers as of an instant: one PARTNER offer per approved product and partner
// with the creators matched by then; matches made later are not in it; pending, rejected and
// unmatched products make none.
func TestOffers(t *testing.T) {
	c := approved(t)
	c = apply(t, c, register("serum", "shop-1", "15%"), on(4, 10))
	c = apply(t, c, register("lotion", "shop-1", "15%"), on(4, 11))
	c = apply(t, c, register("cream", "shop-2", "13%"), on(4, 12))
	c = apply(t, c, campaign.Review("agency-1", "lotion", false), on(4, 13))
	c = apply(t, c, campaign.Review("agency-1", "cream", true), on(4, 14))
	c = apply(t, c, campaign.MatchCreators("agency-1", "toner", "budi"), on(6, 0))

	// One offer per batch of matches, from the match (or the campaign's start, if later) on.
	offer := func(n string, start time.Time, creators ...string) commission.Offer {
		return commission.Offer{ID: "year-end/toner/agency-1/" + n, Source: commission.Partner, Market: affrules.MY, Product: "toner",
			Coverage: commission.Listed, Creators: creators, Period: affrules.Period{Start: start, End: c.Period.End}, Approved: true,
			Rates: history(affrules.Effective[commission.Terms]{From: on(2, 10), Value: commission.Terms{Rate: rate("15%"), PartnerShare: rate("20%")}})}
	}
	first, second := offer("1", c.Period.Start, "aisyah"), offer("2", on(6, 0), "budi")
	tests := []struct {
		at   time.Time
		want []commission.Offer
	}{
		{on(4, 9).Add(-time.Nanosecond), nil},
		{on(4, 9), []commission.Offer{first}},
		{on(6, 0).Add(-time.Nanosecond), []commission.Offer{first}},
		{on(6, 0), []commission.Offer{first, second}},
		{runEnd.Add(time.Hour), []commission.Offer{first, second}},
	}
	for _, tt := range tests {
		got, err := ev.Offers(c, tt.at)
		require.NoError(t, err)
		if diff := cmp.Diff(tt.want, got, exportTimelines); diff != "" {
			t.Errorf("Offers at %s (-want +got):\n%s", tt.at, diff)
		}
	}

	// The rules never match creators to a product that is not approved; a record that says so
	// anyway (a host's store edited by hand) is bad input. No offer is made before the review.
	for name, forge := range map[string]func(r *campaign.Registration){
		"pending":  func(r *campaign.Registration) { r.Status, r.Reviewed = campaign.Pending, time.Time{} },
		"rejected": func(r *campaign.Registration) { r.Status = campaign.Rejected },
	} {
		f := snapshot(c)
		forge(&f.Products[0])
		_, err := ev.Offers(f, on(10, 0))
		require.Contains(t, fields(err), "campaign.products[0].matches", name)
	}
	f := snapshot(c)
	f.Products[0].Matches[0].At = f.Products[0].Reviewed.Add(-time.Nanosecond)
	_, err := ev.Offers(f, on(10, 0))
	require.Equal(t, []string{"campaign.products[0].matches[0].at"}, fields(err), "a match before the approval")
}

// CMP-5, COM-5, COM-7, COM-12: the offers pass commission's Prepare; the resolver picks the
// PARTNER offer over the product's OPEN listing for a matched creator inside the campaign
// period, and OPEN for an unmatched creator, before the period and at its end instant.
func TestOffersResolve(t *testing.T) {
	c := approved(t)
	open, err := ev.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: rate("10%")}, on(1, 0))
	require.NoError(t, err)
	partnerID := "year-end/toner/agency-1/1"
	tests := []struct {
		name    string
		creator string
		at      time.Time
		source  commission.Source
		partner commission.Outcome
	}{
		{"matched creator in the period", "aisyah", on(10, 12), commission.Partner, commission.Won},
		{"matched creator at the period's first instant", "aisyah", runStart, commission.Partner, commission.Won},
		{"matched creator at the period's last instant", "aisyah", runEnd.Add(-time.Nanosecond), commission.Partner, commission.Won},
		{"matched creator before the period", "aisyah", runStart.Add(-time.Nanosecond), commission.Open, commission.OutsidePeriod},
		{"matched creator at the period's end", "aisyah", runEnd, commission.Open, commission.OutsidePeriod},
		{"unmatched creator", "budi", on(10, 12), commission.Open, commission.NotCovered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			offers, err := ev.Offers(c, tt.at)
			require.NoError(t, err)
			require.Len(t, offers, 1)
			r := resolve(t, order(tt.creator, "toner", on(4, 9)), tt.at, append(offers, open)...)
			require.Equal(t, tt.source, r.Source, r.Explain())
			require.Equal(t, tt.partner, outcome(t, r, partnerID), r.Explain())
			if tt.source == commission.Partner {
				require.Equal(t, partnerID, r.OfferID)
				require.True(t, r.Rate.Equal(rate("15%")))
				require.True(t, r.PartnerShare.Equal(rate("20%")))
				require.Equal(t, commission.Overridden, outcome(t, r, "open-toner"), r.Explain())
			} else {
				require.True(t, r.Rate.Equal(rate("10%")))
			}
		})
	}

	offers, err := ev.Offers(c, on(10, 12))
	require.NoError(t, err)
	b, err := com.Prepare(append(offers, open)...)
	require.NoError(t, err)
	got, err := com.Compute(b, order("aisyah", "toner", on(4, 9)), on(10, 12))
	require.NoError(t, err)
	require.Equal(t, "15% of 100.00 MYR = 15.00 MYR (partner 3.00 MYR, creator 12.00 MYR) (PARTNER offer year-end/toner/agency-1/1, half_up)", got.String())
}

// CMP-6, COM-12: a seller campaign with two partners that joined makes one offer per product
// and partner, each covering that partner's creators.
func TestOffersSellerCampaign(t *testing.T) {
	c := published(t)
	c = apply(t, c, campaign.Join("agency-1"), regStart)
	c = apply(t, c, campaign.Join("agency-2"), on(2, 0))
	c = apply(t, c, campaign.MatchCreators("agency-1", "serum", "aisyah"), on(3, 0))
	c = apply(t, c, campaign.MatchCreators("agency-2", "serum", "budi", "cara"), on(3, 1))

	offers, err := ev.Offers(c, on(10, 0))
	require.NoError(t, err)
	rates := history(affrules.Effective[commission.Terms]{From: t0, Value: commission.Terms{Rate: rate("20%"), PartnerShare: rate("20%")}})
	offer := func(partner string, creators ...string) commission.Offer {
		return commission.Offer{ID: "shop-sale/serum/" + partner + "/1", Source: commission.Partner, Market: affrules.MY, Product: "serum",
			Coverage: commission.Listed, Creators: creators, Period: c.Period, Rates: rates, Approved: true}
	}
	want := []commission.Offer{offer("agency-1", "aisyah"), offer("agency-2", "budi", "cara")}
	if diff := cmp.Diff(want, offers, exportTimelines); diff != "" {
		t.Fatalf("offers (-want +got):\n%s", diff)
	}
	for creator, id := range map[string]string{"aisyah": "shop-sale/serum/agency-1/1", "cara": "shop-sale/serum/agency-2/1"} {
		r := resolve(t, order(creator, "serum", t0), on(10, 0), offers...)
		require.Equal(t, id, r.OfferID, r.Explain())
	}
	r := resolve(t, order("dewi", "serum", t0), on(10, 0), offers...)
	require.False(t, r.Earned(), "no offer covers an unmatched creator: %s", r.Explain())
}

// CMP-5: a seller's joined campaigns, in the order given, each with the seller's own products and
// their status; a copy the caller may change.
func TestJoinedBy(t *testing.T) {
	a := approved(t)
	a = apply(t, a, register("serum", "shop-2", "15%"), on(4, 10))
	flashTerms := agencyTerms(t)
	flashTerms.ID, flashTerms.Name = "flash", "Flash sale"
	flash := create(t, flashTerms)
	flash = apply(t, flash, register("lotion", "shop-1", "15%"), on(2, 0))
	flash = apply(t, flash, campaign.Review("agency-1", "lotion", false), on(3, 0))
	other := create(t, sellerTerms(t))

	got := campaign.JoinedBy("shop-1", []campaign.Campaign{a, other, flash})
	want := []campaign.Joined{
		{Campaign: "year-end", Name: "Year-end beauty", Products: []campaign.Registration{a.Products[0]}},
		{Campaign: "flash", Name: "Flash sale", Products: []campaign.Registration{flash.Products[0]}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("JoinedBy (-want +got):\n%s", diff)
	}
	require.Equal(t, campaign.Approved, got[0].Products[0].Status)
	require.Equal(t, campaign.Rejected, got[1].Products[0].Status)

	got[0].Products[0].Matches[0].Creator = "changed"
	require.Equal(t, "aisyah", a.Products[0].Matches[0].Creator, "JoinedBy returns copies")

	require.Empty(t, campaign.JoinedBy("shop-3", []campaign.Campaign{a, flash}))
	require.Empty(t, campaign.JoinedBy("shop-1", nil))
	j := campaign.JoinedBy("shop-2", []campaign.Campaign{a})
	require.Len(t, j, 1)
	require.Equal(t, "serum", j[0].Products[0].Product)
}

// MKT-2: Dates builds a period of calendar days in the market's zone, the last day included.
func TestDates(t *testing.T) {
	tests := []struct {
		name        string
		m           affrules.MarketCode
		first, last string
		start, end  time.Time
		length      time.Duration
	}{
		{"UK spring-forward day is 23 hours", affrules.UK, "2026-03-29", "2026-03-29",
			time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC), 23 * time.Hour},
		{"UK fall-back day is 25 hours", affrules.UK, "2026-10-25", "2026-10-25",
			time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), 25 * time.Hour},
		{"UK March is 743 hours", affrules.UK, "2026-03-01", "2026-03-31",
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), 743 * time.Hour},
		{"MY midnight is 16:00 UTC the day before", affrules.MY, "2026-12-01", "2026-12-10",
			time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), time.Date(2026, 12, 10, 16, 0, 0, 0, time.UTC), 240 * time.Hour},
		{"one MY day", affrules.MY, "2026-12-31", "2026-12-31",
			time.Date(2026, 12, 30, 16, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := campaign.Dates(tt.m, tt.first, tt.last)
			require.NoError(t, err)
			require.True(t, p.Start.Equal(tt.start), "start %s", p.Start)
			require.True(t, p.End.Equal(tt.end), "end %s", p.End)
			require.Equal(t, tt.length, p.Duration())
		})
	}
	p, err := campaign.Dates(affrules.MY, "2026-12-01", "2026-12-01")
	require.NoError(t, err)
	_, off := p.Start.Zone()
	require.Equal(t, 8*3600, off, "the start is shown in the market's zone (+08:00)")
	require.Equal(t, 0, p.Start.Hour())

	_, err = campaign.Dates(affrules.MY, "2026-12-10", "2026-12-01")
	badInput(t, err, "last")
	require.ErrorIs(t, err, affrules.ErrInvertedPeriod)

	_, err = campaign.Dates(affrules.MY, "2026-2-1", "2026-02-30")
	badInput(t, err, "first", "last")
	for _, bad := range []string{"", "2026-12-01T00:00:00Z", "01/12/2026", "2026-13-01", " 2026-12-01"} {
		_, err = campaign.Dates(affrules.MY, bad, "2026-12-31")
		badInput(t, err, "first")
	}
	// The library's instants are 1900–2199 in UTC: a period must start and end inside them.
	_, err = campaign.Dates(affrules.MY, "1899-12-31", "2200-01-01")
	badInput(t, err, "first", "last")
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	_, err = campaign.Dates(affrules.UK, "2199-12-01", "2199-12-31")
	badInput(t, err, "last")
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	p, err = campaign.Dates(affrules.MY, "2199-12-31", "2199-12-31")
	require.NoError(t, err, "ends at 2199-12-31T16:00Z")
	_, err = ev.Create(campaign.Campaign{ID: "late", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY, Name: "Late",
		Contact: "ops", Registration: p, Period: p, Audience: campaign.Audience{All: true}}, t0)
	require.NoError(t, err, "a period Dates returns is one Create accepts")

	for _, m := range []affrules.MarketCode{"ZZ", "", "my"} {
		_, err = campaign.Dates(m, "2026-12-01", "2026-12-31")
		badInput(t, err, "market")
		require.ErrorIs(t, err, affrules.ErrUnknownMarket)
	}
}

// MKT-5 with ELG-9: a registration refused by a shop's temporary disqualification that lifts at a
// known instant (ELG-1's NextAllowed) says when it will next be allowed: that instant, or the
// registration's opening if later, while registration is still open then; a product whose
// result says no such instant, or one lifting after registration closes, gives none.
func TestRegisterNextAllowedAfterDisqualification(t *testing.T) {
	c := create(t, agencyTerms(t))
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	result := func(violation, at time.Time) eligibility.Result {
		t.Helper()
		shop, err := e.Shop(eligibility.Shop{ID: "shop-1", Market: affrules.MY, StoreRating: decimal.RequireFromString("4.8"), LastCounterfeitViolation: violation}, at)
		require.NoError(t, err)
		r, err := e.Product(eligibility.Product{ID: "serum", ShopID: "shop-1", Market: affrules.MY, Category: affrules.Lifestyle, Orders: 500}, shop, at)
		require.NoError(t, err)
		return r
	}
	at := regStart.Add(time.Hour)
	lifts := regStart.Add(2 * 24 * time.Hour)
	r := refused(t, c, campaign.Register(registration("serum", "shop-1", "15%"), result(lifts.Add(-60*24*time.Hour), at)), at)
	require.True(t, r.Decision.Failed(campaign.RuleEligibleProducts))
	require.Equal(t, lifts, r.Decision.NextAllowed.In(lifts.Location()), "lifts while registration is open")

	early := regStart.Add(-time.Hour)
	soon := regStart.Add(-30 * time.Minute)
	r = refused(t, c, campaign.Register(registration("serum", "shop-1", "15%"), result(soon.Add(-60*24*time.Hour), early)), early)
	require.True(t, r.Decision.NextAllowed.Equal(regStart), "lifts before registration opens: it opens")

	r = refused(t, c, campaign.Register(registration("serum", "shop-1", "15%"), result(regEnd.Add(-60*24*time.Hour), at)), at)
	require.True(t, r.Decision.NextAllowed.IsZero(), "lifts when registration has closed")

	// A result that says it lifted by the registration is from an earlier instant: bad input.
	stale := result(regStart.Add(-60*24*time.Hour), regStart.Add(-time.Hour))
	_, err := ev.Apply(c, campaign.Register(registration("serum", "shop-1", "15%"), stale), at)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	require.ErrorContains(t, err, "eligibility.decision.next_allowed")

	r = refused(t, c, campaign.Register(registration("serum", "shop-1", "15%"), productResult(t, negativeReviews("serum", "shop-1"))), at)
	require.True(t, r.Decision.NextAllowed.IsZero(), "ELG-3: time alone does not help")

	// A registration period outlasting the campaign (the policy allows it): a lift after the
	// campaign's end would meet CMP-5's refusal, so none is named; one before it is.
	le, long := looseEvaluator(), outlasting(agencyTerms(t))
	lc, err := le.Create(long, t0)
	require.NoError(t, err)
	_, err = le.Apply(lc, campaign.Register(registration("serum", "shop-1", "15%"), result(long.Period.End.Add(24*time.Hour-60*24*time.Hour), at)), at)
	var rf *affrules.Refusal
	require.ErrorAs(t, err, &rf)
	require.True(t, rf.Decision.NextAllowed.IsZero(), "lifts after the campaign's end: %v", rf.Decision.NextAllowed)
	_, err = le.Apply(lc, campaign.Register(registration("serum", "shop-1", "15%"), result(lifts.Add(-60*24*time.Hour), at)), at)
	require.ErrorAs(t, err, &rf)
	require.Equal(t, lifts, rf.Decision.NextAllowed.In(lifts.Location()), "lifts before the campaign's end")
}

// looseEvaluator is an evaluator whose policy lets registration reach outside the campaign
// period (CMP-3's Policy.RegistrationWithinCampaign false).
func looseEvaluator() *campaign.Evaluator {
	loose := campaign.DefaultPolicy()
	loose.RegistrationWithinCampaign = false
	return campaign.MustNew(loose, com)
}

// outlasting returns terms whose registration (a seller campaign's join window) runs ten days
// past the campaign's end, as a loose evaluator accepts them.
func outlasting(terms campaign.Campaign) campaign.Campaign {
	terms.Registration.End = terms.Period.End.Add(10 * 24 * time.Hour)
	return terms
}
