package campaign_test

import (
	"errors"
	"reflect"
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

// The story most tests share: an agency campaign in Malaysia created on 30 November 2026 at
// 09:00 local time, registration open 1–10 December (the instants [1 Dec 00:00, 11 Dec 00:00)
// in Kuala Lumpur), running 5–31 December ([5 Dec 00:00, 1 Jan 00:00)), requiring a total rate
// of at least 12%.
var (
	kl  = mustZone("Asia/Kuala_Lumpur")
	com = commission.MustNew(commission.DefaultPolicy())
	ev  = campaign.MustNew(campaign.DefaultPolicy(), com)

	t0       = on(0, 9) // 30 Nov 09:00, when the campaigns are created
	regStart = on(1, 0)
	regEnd   = on(11, 0)
	runStart = on(5, 0)
	runEnd   = on(32, 0) // 1 Jan 2027 00:00
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// on returns hour h of day d of December 2026 in Kuala Lumpur; day 0 is 30 November and day 32
// is 1 January 2027.
func on(d, h int) time.Time { return time.Date(2026, time.December, d, h, 0, 0, 0, kl) }

func rate(s string) affrules.Rate { return affrules.MustParseRate(s) }

// below returns r less 1e-9, the finest step a Rate has (0.0000001%).
func below(r affrules.Rate) affrules.Rate { return step(r, -1) }

// above returns r plus 1e-9.
func above(r affrules.Rate) affrules.Rate { return step(r, +1) }

func step(r affrules.Rate, sign int64) affrules.Rate {
	n, err := affrules.RateFromDecimal(r.Decimal().Add(decimal.New(sign, -9)))
	if err != nil {
		panic(err)
	}
	return n
}

func period(t *testing.T, first, last string) affrules.Period {
	t.Helper()
	p, err := campaign.Dates(affrules.MY, first, last)
	require.NoError(t, err)
	return p
}

// agencyTerms returns the terms of partner agency-1's campaign "year-end", open to all sellers.
func agencyTerms(t *testing.T) campaign.Campaign {
	return campaign.Campaign{
		ID: "year-end", Initiator: campaign.Agency, Owner: "agency-1", Market: affrules.MY,
		Name: "Year-end beauty", Description: "Skincare for the holidays", Contact: "ops@agency.example",
		Registration: period(t, "2026-12-01", "2026-12-10"), Period: period(t, "2026-12-05", "2026-12-31"),
		Requirement: rate("12%"), Audience: campaign.Audience{All: true},
	}
}

// sellerTerms returns the terms of seller shop-1's campaign "shop-sale", for partners agency-1
// and agency-2, with the same periods and no requirement.
func sellerTerms(t *testing.T) campaign.Campaign {
	return campaign.Campaign{
		ID: "shop-sale", Initiator: campaign.Seller, Owner: "shop-1", Market: affrules.MY,
		Name: "Shop-1 December sale", Contact: "+60 3 1234", Preferences: "beauty creators, L3 and up",
		Registration: period(t, "2026-12-01", "2026-12-10"), Period: period(t, "2026-12-05", "2026-12-31"),
		Audience: campaign.Audience{IDs: []string{"agency-1", "agency-2"}},
	}
}

func create(t *testing.T, c campaign.Campaign) campaign.Campaign {
	t.Helper()
	n, err := ev.Create(c, t0)
	require.NoError(t, err)
	return n
}

// eligible returns an eligible product's result, as package eligibility gives it.
func eligible(product, shop string) eligibility.Result {
	return eligibility.Result{ID: product, ShopID: shop, Market: affrules.MY, State: eligibility.Eligible, Decision: affrules.Decide()}
}

// registration returns shop's registration of product at total rate r, partner share 20%.
func registration(product, shop, r string) campaign.Registration {
	return campaign.Registration{Product: product, Seller: shop, Rate: rate(r), PartnerShare: rate("20%"), Samples: 5, Contact: "+60 3 1234"}
}

// register returns the action registering an eligible product of shop at rate r.
func register(product, shop, r string) campaign.Action {
	return campaign.Register(registration(product, shop, r), eligible(product, shop))
}

// apply applies a at instant at and requires it to succeed.
func apply(t *testing.T, c campaign.Campaign, a campaign.Action, at time.Time) campaign.Campaign {
	t.Helper()
	n, err := ev.Apply(c, a, at)
	require.NoError(t, err, "%v at %s", a, at)
	require.True(t, n.Updated.Equal(at), "Updated is the instant of the action")
	return n
}

// approved returns the agency campaign with shop-1's toner registered at 15% on 2 December,
// approved on 3 December and matched to creator aisyah on 4 December at 09:00.
func approved(t *testing.T) campaign.Campaign {
	c := create(t, agencyTerms(t))
	c = apply(t, c, register("toner", "shop-1", "15%"), on(2, 10))
	c = apply(t, c, campaign.Review("agency-1", "toner", true), on(3, 9))
	return apply(t, c, campaign.MatchCreators("agency-1", "toner", "aisyah"), on(4, 9))
}

// published returns the seller campaign with shop-1's serum registered at 20% and published
// at t0.
func published(t *testing.T) campaign.Campaign {
	c := create(t, sellerTerms(t))
	c = apply(t, c, register("serum", "shop-1", "20%"), t0)
	return apply(t, c, campaign.Publish("shop-1"), t0)
}

// snapshot returns a deep copy of c, to compare it with after an action.
func snapshot(c campaign.Campaign) campaign.Campaign {
	c.Audience.IDs = slices.Clone(c.Audience.IDs)
	c.Products = slices.Clone(c.Products)
	for i := range c.Products {
		c.Products[i].Matches = slices.Clone(c.Products[i].Matches)
	}
	c.Partners = slices.Clone(c.Partners)
	return c
}

// refused applies a at instant at, requires a *affrules.Refusal wrapping ErrRefused and no
// field error, and requires the campaign returned, and the one given, to be c unchanged.
func refused(t *testing.T, c campaign.Campaign, a campaign.Action, at time.Time) *affrules.Refusal {
	t.Helper()
	before := snapshot(c)
	got, err := ev.Apply(c, a, at)
	require.ErrorIs(t, err, affrules.ErrRefused, "%v at %s", a, at)
	var r *affrules.Refusal
	require.ErrorAs(t, err, &r)
	var fe *affrules.FieldError
	require.False(t, errors.As(err, &fe), "a refusal is not bad input: %v", err)
	require.False(t, r.Decision.Allowed, "a refusal's decision denies")
	if diff := cmp.Diff(before, got); diff != "" {
		t.Fatalf("the refused action changed the campaign returned (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, c); diff != "" {
		t.Fatalf("the refused action changed the campaign given (-want +got):\n%s", diff)
	}
	return r
}

// fieldErrors returns every *affrules.FieldError in err's tree, in order.
func fieldErrors(err error) []*affrules.FieldError {
	var out []*affrules.FieldError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *affrules.FieldError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, x := range e.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(e.Unwrap())
		}
	}
	walk(err)
	return out
}

// fields returns the fields named by the field errors in err.
func fields(err error) []string {
	var out []string
	for _, fe := range fieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}

// badInput requires err to be bad input, not a refusal: every error it joins a
// *affrules.FieldError, and exactly the given fields named, in any order and each at least once.
func badInput(t *testing.T, err error, want ...string) {
	t.Helper()
	require.Error(t, err)
	require.NotErrorIs(t, err, affrules.ErrRefused, "bad input is not a refusal")
	var r *affrules.Refusal
	require.False(t, errors.As(err, &r))
	got := fields(err)
	require.NotEmpty(t, got, "no *affrules.FieldError in %T %v", err, err)
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		require.Len(t, j.Unwrap(), len(got), "every joined error is a field error: %v", err)
	}
	slices.Sort(got)
	got = slices.Compact(got)
	want = slices.Clone(want)
	slices.Sort(want)
	want = slices.Compact(want)
	require.Equal(t, want, got, "fields named by %v", err)
}

// applyBad applies a at instant at and requires bad input naming exactly the given fields, with
// the campaign returned and the one given unchanged.
func applyBad(t *testing.T, c campaign.Campaign, a campaign.Action, at time.Time, want ...string) error {
	t.Helper()
	before := snapshot(c)
	got, err := ev.Apply(c, a, at)
	badInput(t, err, want...)
	if diff := cmp.Diff(before, got); diff != "" {
		t.Fatalf("bad input changed the campaign returned (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, c); diff != "" {
		t.Fatalf("bad input changed the campaign given (-want +got):\n%s", diff)
	}
	return err
}

// The message keys of the reasons the package gives (rules.go).
const (
	keyNotOpenYet        affrules.MessageKey = "campaign.cmp4.not_open_yet"
	keyClosed            affrules.MessageKey = "campaign.cmp4.closed"
	keyBelowRequirement  affrules.MessageKey = "campaign.cmp4.below_requirement"
	keyRegistered        affrules.MessageKey = "campaign.cmp4.registered"
	keyIneligible        affrules.MessageKey = "campaign.elg9.ineligible"
	keyNotInAudience     affrules.MessageKey = "campaign.cmp2.not_in_audience"
	keyNotOwner          affrules.MessageKey = "campaign.cmp2.not_owner"
	keyJoinNotOpenYet    affrules.MessageKey = "campaign.cmp6.not_open_yet"
	keyJoinClosed        affrules.MessageKey = "campaign.cmp6.closed"
	keyJoinNotInAudience affrules.MessageKey = "campaign.cmp6.not_in_audience"
	keyNotSeller         affrules.MessageKey = "campaign.cmp4.not_seller"
	keyWrongInitiator    affrules.MessageKey = "campaign.cmp2.wrong_initiator"
	keyWrongStatus       affrules.MessageKey = "campaign.cmp5.wrong_status"
	keyNotRegistered     affrules.MessageKey = "campaign.cmp5.not_registered"
	keyCampaignOver      affrules.MessageKey = "campaign.cmp5.campaign_over"
	keyMatched           affrules.MessageKey = "campaign.cmp5.matched"
	keyNotPublished      affrules.MessageKey = "campaign.cmp6.not_published"
	keyPublished         affrules.MessageKey = "campaign.cmp6.published"
	keyNoProducts        affrules.MessageKey = "campaign.cmp6.no_products"
	keyJoined            affrules.MessageKey = "campaign.cmp6.joined"
	keyNotJoined         affrules.MessageKey = "campaign.cmp6.not_joined"
	keyNotListed         affrules.MessageKey = "campaign.cmp1.not_listed"
)

// decision returns the denial the reasons add up to, next allowed at next (zero for none).
func decision(next time.Time, reasons ...affrules.Reason) affrules.Decision {
	d := affrules.Decide(reasons...)
	d.NextAllowed = next
	return d
}

// requireDecision compares a refusal's decision with want, and requires every reason to have
// an English message (its key is defined).
func requireDecision(t *testing.T, want affrules.Decision, got *affrules.Refusal) {
	t.Helper()
	if diff := cmp.Diff(want, got.Decision); diff != "" {
		t.Fatalf("decision of %v (-want +got):\n%s", got, diff)
	}
	for _, r := range got.Decision.Reasons {
		require.NotEqual(t, string(r.Key), r.Message(), "reason %s has no English message", r.Key)
	}
}

// exportTimelines lets cmp look inside affrules.Timeline, whose entries are unexported.
var exportTimelines = cmp.Exporter(func(t reflect.Type) bool {
	return strings.HasPrefix(t.String(), "affrules.Timeline[")
})

// history returns a rate history of the given entries.
func history(entries ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
	tl, err := affrules.NewTimeline(entries...)
	if err != nil {
		panic(err)
	}
	return tl
}

func terms(from time.Time, r string) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: rate(r)}}
}

// order returns an attributed order line of 100.00 MYR for creator and product, whose creator
// has promoted the product since promoting.
func order(creator, product string, promoting time.Time) commission.Order {
	return commission.Order{ID: "line-" + creator, Creator: creator, Product: product, Market: affrules.MY, Attributed: true,
		OrderCount: 1, PromotingSince: promoting, Currency: "MYR", Price: decimal.RequireFromString("100.00")}
}

// resolve resolves order o at instant at against the given offers.
func resolve(t *testing.T, o commission.Order, at time.Time, offers ...commission.Offer) commission.Resolution {
	t.Helper()
	b, err := com.Prepare(offers...)
	require.NoError(t, err, "commission's Prepare accepts the offers")
	r, err := com.Resolve(b, o, at)
	require.NoError(t, err)
	return r
}

// outcome returns the outcome of the candidate offer id in r.
func outcome(t *testing.T, r commission.Resolution, id string) commission.Outcome {
	t.Helper()
	for _, c := range r.Candidates() {
		if c.OfferID == id {
			return c.Outcome
		}
	}
	t.Fatalf("no candidate %q in %s", id, r.Explain())
	return 0
}
