package collabplus_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// The story most tests share: seller "shop-1" in Thailand (Asia/Bangkok, no daylight saving,
// THB to 2 places), created on 1 February 2026 at 09:00 local time with creator group "g1"
// (levels L3 and up). Its collaborations run on whole Bangkok days; the seed's "day 1" is
// 1 March 2026.
var (
	lcBKK    = lcZone("Asia/Bangkok")
	lcLondon = lcZone("Europe/London")
	lcCom    = commission.MustNew(commission.DefaultPolicy())
	lcEval   = collabplus.MustNew(collabplus.DefaultPolicy(), lcCom)

	lcT0 = lcDate(2, 1, 9) // the seller's record is created
)

// The seller, group and product IDs of the shared story.
const (
	lcShop    = "shop-1"
	lcGroup   = "g1"
	lcProduct = "p1"
)

func lcZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// lcDate returns hour h of day d of month m of 2026 in Bangkok; days past the month's end
// roll over (lcDate(3, 32, 0) is 1 April).
func lcDate(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, lcBKK) }

// lcDay returns the first instant of the seed's day d: day 1 is 1 March 2026, Bangkok.
func lcDay(d int) time.Time { return lcDate(3, d, 0) }

func lcRate(s string) affrules.Rate { return affrules.MustParseRate(s) }

func lcDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// lcAbove returns r plus 1e-9 (0.0000001%), the finest step a Rate has; lcBelow r less it.
func lcAbove(r affrules.Rate) affrules.Rate { return lcStep(r, +1) }
func lcBelow(r affrules.Rate) affrules.Rate { return lcStep(r, -1) }

func lcStep(r affrules.Rate, sign int64) affrules.Rate {
	n, err := affrules.RateFromDecimal(r.Decimal().Add(decimal.New(sign, -9)))
	if err != nil {
		panic(err)
	}
	return n
}

// lcDays returns the whole days first … first+n−1 as a period of loc: from first's local
// midnight to the local midnight n calendar days later (CP-2).
func lcDays(first time.Time, n int) affrules.Period {
	y, m, d := first.Date()
	loc := first.Location()
	return affrules.Period{Start: time.Date(y, m, d, 0, 0, 0, 0, loc), End: time.Date(y, m, d+n, 0, 0, 0, 0, loc)}
}

// lcTask returns task terms for group g1 and product p1 over period p: one video task of 20
// orders, a reward of 500.00 and one objective of 10,000.00 THB.
func lcTask(p affrules.Period) collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Task, Period: p, Group: lcGroup,
		Products:   []collabplus.Product{{ID: lcProduct}},
		Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)}},
		Reward:     lcDec("500.00"),
		Objectives: []collabplus.Objective{{Name: "orders", Budget: lcDec("10000.00"), Target: decimal.NewFromInt(400)}},
	}
}

// lcChallenge returns challenge terms for group g1 and product p1 over period p: ranked on
// sales, 1,000.00 to the first ten.
func lcChallenge(p affrules.Period) collabplus.Terms {
	return collabplus.Terms{
		Type: collabplus.Challenge, Period: p, Group: lcGroup,
		Products:   []collabplus.Product{{ID: lcProduct}},
		Goal:       collabplus.Sales,
		Tiers:      []collabplus.RankTier{{To: 10, Reward: lcDec("1000.00")}},
		Objectives: []collabplus.Objective{{Name: "gmv", Budget: lcDec("10000.00"), Target: lcDec("100000")}},
	}
}

// lcWith returns terms t with its products replaced by ps.
func lcWith(t collabplus.Terms, ps ...collabplus.Product) collabplus.Terms {
	t.Products = ps
	return t
}

// lcEligible returns an eligible product of seller shop in market m, as package eligibility
// gives it.
func lcEligible(product, shop string, m affrules.MarketCode) eligibility.Result {
	return eligibility.Result{ID: product, ShopID: shop, Market: m, State: eligibility.Eligible, Decision: affrules.Decide()}
}

// lcFacts returns the facts of an allowlisted shop-1 in TH whose products are all eligible,
// with the given Open Collaboration offers.
func lcFacts(products []string, open ...commission.Offer) collabplus.Facts {
	f := collabplus.Facts{Allowlisted: true, Open: open}
	for _, p := range products {
		f.Eligibility = append(f.Eligibility, lcEligible(p, lcShop, affrules.TH))
	}
	return f
}

// lcFactsFor returns lcFacts for the products of terms t.
func lcFactsFor(t collabplus.Terms, open ...commission.Offer) collabplus.Facts {
	var ids []string
	for _, p := range t.Products {
		ids = append(ids, p.ID)
	}
	return lcFacts(ids, open...)
}

// lcOpen returns product's Open Collaboration offer in TH, listed from 1 January 2026 with no
// end, with the given rate history.
func lcOpen(product string, entries ...affrules.Effective[commission.Terms]) commission.Offer {
	return commission.Offer{ID: "open-" + product, Source: commission.Open, Market: affrules.TH, Product: product,
		Coverage: commission.Everyone, Period: affrules.Period{Start: lcDate(1, 1, 0)}, Rates: lcHistory(entries...)}
}

func lcHistory(entries ...affrules.Effective[commission.Terms]) affrules.Timeline[commission.Terms] {
	tl, err := affrules.NewTimeline(entries...)
	if err != nil {
		panic(err)
	}
	return tl
}

// lcFrom returns the rate history entry of standard rate r from instant from.
func lcFrom(from time.Time, r string) affrules.Effective[commission.Terms] {
	return affrules.Effective[commission.Terms]{From: from, Value: commission.Terms{Rate: lcRate(r)}}
}

// lcNewSeller returns shop-1's record in market m created at lcT0, with group g1 (L3 and up)
// saved at lcT0.
func lcNewSeller(t testing.TB, m affrules.MarketCode) collabplus.Seller {
	t.Helper()
	s, err := lcEval.NewSeller(lcShop, m, lcT0)
	require.NoError(t, err)
	return lcApply(t, s, collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L3}), lcT0)
}

// lcSeller is lcNewSeller in TH.
func lcSeller(t testing.TB) collabplus.Seller { return lcNewSeller(t, affrules.TH) }

// lcApply applies a at instant at with lcEval and requires it to succeed.
func lcApply(t testing.TB, s collabplus.Seller, a collabplus.Action, at time.Time) collabplus.Seller {
	t.Helper()
	return lcApplyWith(t, lcEval, s, a, at)
}

func lcApplyWith(t testing.TB, e *collabplus.Evaluator, s collabplus.Seller, a collabplus.Action, at time.Time) collabplus.Seller {
	t.Helper()
	n, err := e.Apply(s, a, at)
	require.NoError(t, err, "%v at %s", a, at)
	require.True(t, n.Updated.Equal(at), "Updated is the instant of the action")
	return n
}

// lcDraft adds draft id with preferences terms at instant at.
func lcDraft(t testing.TB, s collabplus.Seller, id string, terms collabplus.Terms, at time.Time) collabplus.Seller {
	t.Helper()
	return lcApply(t, s, collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: terms}), at)
}

// lcSubmitted adds draft id with terms and submits it at instant at with facts of eligible
// products and no Open listing.
func lcSubmitted(t testing.TB, s collabplus.Seller, id string, terms collabplus.Terms, at time.Time) collabplus.Seller {
	t.Helper()
	s = lcDraft(t, s, id, terms, at)
	return lcApply(t, s, collabplus.Submit(id, lcFactsFor(terms)), at)
}

// lcCollab returns the seller's collaboration id.
func lcCollab(t testing.TB, s collabplus.Seller, id string) collabplus.Collaboration {
	t.Helper()
	for _, c := range s.Collaborations {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("seller %s has no collaboration %q", s.ID, id)
	return collabplus.Collaboration{}
}

// lcSnapshot returns a deep copy of s, sharing no slice or pointer with it.
func lcSnapshot(s collabplus.Seller) collabplus.Seller {
	s.Groups = slices.Clone(s.Groups)
	for i := range s.Groups {
		s.Groups[i] = lcCloneGroup(s.Groups[i])
	}
	s.Blocklist = slices.Clone(s.Blocklist)
	s.Submissions = slices.Clone(s.Submissions)
	s.Collaborations = slices.Clone(s.Collaborations)
	for i := range s.Collaborations {
		c := &s.Collaborations[i]
		c.Preferences = lcCloneTerms(c.Preferences)
		if c.Final != nil {
			f := lcCloneTerms(*c.Final)
			c.Final = &f
		}
		if c.Group != nil {
			g := lcCloneGroup(*c.Group)
			c.Group = &g
		}
		c.Events = slices.Clone(c.Events)
		c.Members = slices.Clone(c.Members)
		c.Ended = slices.Clone(c.Ended)
	}
	return s
}

func lcCloneTerms(t collabplus.Terms) collabplus.Terms {
	t.Products = slices.Clone(t.Products)
	t.Tasks = slices.Clone(t.Tasks)
	t.Tiers = slices.Clone(t.Tiers)
	t.Objectives = slices.Clone(t.Objectives)
	return t
}

func lcCloneGroup(g collabplus.Group) collabplus.Group {
	g.Categories = slices.Clone(g.Categories)
	g.ContentTypes = slices.Clone(g.ContentTypes)
	g.Criteria = slices.Clone(g.Criteria)
	for i := range g.Criteria {
		c := &g.Criteria[i]
		c.OneOf = slices.Clone(c.OneOf)
		if c.Min != nil {
			v := *c.Min
			c.Min = &v
		}
		if c.Max != nil {
			v := *c.Max
			c.Max = &v
		}
	}
	if g.MaxLevel != nil {
		g.MaxLevel = lcLevel(*g.MaxLevel)
	}
	return g
}

// lcEquate compares records: instants with time.Time.Equal, rates, decimals and values with
// their Equal methods (go-cmp uses them), a nil slice equal to an empty one.
var lcEquate = cmpopts.EquateEmpty()

// lcSame fails t when got differs from want.
func lcSame(t testing.TB, want, got collabplus.Seller, what string) {
	t.Helper()
	if diff := cmp.Diff(want, got, lcEquate); diff != "" {
		t.Fatalf("%s (-want +got):\n%s", what, diff)
	}
}

// lcRefused applies a at instant at and requires an *affrules.Refusal wrapping ErrRefused, no
// field error, and the record returned, and the one given, to be s unchanged.
func lcRefused(t testing.TB, s collabplus.Seller, a collabplus.Action, at time.Time) *affrules.Refusal {
	t.Helper()
	return lcRefusedWith(t, lcEval, s, a, at)
}

func lcRefusedWith(t testing.TB, e *collabplus.Evaluator, s collabplus.Seller, a collabplus.Action, at time.Time) *affrules.Refusal {
	t.Helper()
	before := lcSnapshot(s)
	got, err := e.Apply(s, a, at)
	require.ErrorIs(t, err, affrules.ErrRefused, "%v at %s", a, at)
	var r *affrules.Refusal
	require.ErrorAs(t, err, &r)
	require.Empty(t, lcFieldErrors(err), "a refusal is not bad input: %v", err)
	require.False(t, r.Decision.Allowed, "a refusal's decision denies")
	require.Equal(t, "collabplus", r.Pkg)
	lcSame(t, before, got, "the refused action changed the record returned")
	lcSame(t, before, s, "the refused action changed the record given")
	for _, reason := range r.Decision.Reasons {
		require.NotEqual(t, string(reason.Key), reason.Message(), "reason %s has no English message", reason.Key)
	}
	return r
}

// lcBad applies a at instant at and requires bad input naming exactly the given fields, with
// the record returned and the one given unchanged.
func lcBad(t testing.TB, s collabplus.Seller, a collabplus.Action, at time.Time, fields ...string) error {
	t.Helper()
	return lcBadWith(t, lcEval, s, a, at, fields...)
}

func lcBadWith(t testing.TB, e *collabplus.Evaluator, s collabplus.Seller, a collabplus.Action, at time.Time, fields ...string) error {
	t.Helper()
	before := lcSnapshot(s)
	got, err := e.Apply(s, a, at)
	lcBadInput(t, err, fields...)
	lcSame(t, before, got, "bad input changed the record returned")
	lcSame(t, before, s, "bad input changed the record given")
	return err
}

// lcFieldErrors returns every *affrules.FieldError in err's tree, in order.
func lcFieldErrors(err error) []*affrules.FieldError {
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

// lcFields returns the fields named by the field errors in err, sorted, each once.
func lcFields(err error) []string {
	var out []string
	for _, fe := range lcFieldErrors(err) {
		out = append(out, fe.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lcBadInput requires err to be bad input, not a refusal: every error it joins a
// *affrules.FieldError of package collabplus, and exactly the given fields named, in any order.
func lcBadInput(t testing.TB, err error, want ...string) {
	t.Helper()
	require.Error(t, err)
	require.NotErrorIs(t, err, affrules.ErrRefused, "bad input is not a refusal")
	var r *affrules.Refusal
	require.False(t, errors.As(err, &r))
	fes := lcFieldErrors(err)
	require.NotEmpty(t, fes, "no *affrules.FieldError in %T %v", err, err)
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		require.Len(t, j.Unwrap(), len(fes), "every joined error is a field error: %v", err)
	}
	for _, fe := range fes {
		require.Equal(t, "collabplus", fe.Pkg, "%v", fe)
		require.True(t, strings.HasPrefix(fe.Error(), "collabplus: "), "%v", fe)
	}
	want = slices.Clone(want)
	slices.Sort(want)
	want = slices.Compact(want)
	require.Equal(t, want, lcFields(err), "fields named by %v", err)
}

// The message keys of the package's reasons.
const (
	lcKeyState         affrules.MessageKey = "collabplus.cp7.state"
	lcKeyPaymentLate   affrules.MessageKey = "collabplus.cp7.payment_late"
	lcKeyOngoing       affrules.MessageKey = "collabplus.cp7.ongoing"
	lcKeyStarted       affrules.MessageKey = "collabplus.cp7.started"
	lcKeyPayStarted    affrules.MessageKey = "collabplus.cp7.pay_started"
	lcKeyFinalStarted  affrules.MessageKey = "collabplus.cp7.final_started"
	lcKeyMember        affrules.MessageKey = "collabplus.cp7.member"
	lcKeyTooMany       affrules.MessageKey = "collabplus.cp4.too_many_groups"
	lcKeyAllowlist     affrules.MessageKey = "collabplus.cp17.not_allowlisted"
	lcKeyQuota         affrules.MessageKey = "collabplus.cp3.quota"
	lcKeyTooShort      affrules.MessageKey = "collabplus.cp2.too_short"
	lcKeyTooLong       affrules.MessageKey = "collabplus.cp2.too_long"
	lcKeyIneligible    affrules.MessageKey = "collabplus.elg9.ineligible"
	lcKeyNotAbove      affrules.MessageKey = "collabplus.cp8.not_above_open"
	lcKeyNoneAbove     affrules.MessageKey = "collabplus.cp8.none_possible"
	lcKeyBlocked       affrules.MessageKey = "collabplus.cp13.blocked"
	lcKeyCategory      affrules.MessageKey = "collabplus.cp4.category"
	lcKeyLevelLow      affrules.MessageKey = "collabplus.cp4.level_low"
	lcKeyLevelHigh     affrules.MessageKey = "collabplus.cp4.level_high"
	lcKeyAvgRateLow    affrules.MessageKey = "collabplus.cp4.avg_rate_low"
	lcKeyAvgRateHigh   affrules.MessageKey = "collabplus.cp4.avg_rate_high"
	lcKeyContentType   affrules.MessageKey = "collabplus.cp4.content_type"
	lcKeyFollowersLow  affrules.MessageKey = "collabplus.cp4.followers_low"
	lcKeyFollowersHigh affrules.MessageKey = "collabplus.cp4.followers_high"
	lcKeyRisk          affrules.MessageKey = "collabplus.cp4.risk"
	lcKeyCriterion     affrules.MessageKey = "collabplus.cp4.criterion"
)

// lcDecision returns the denial the reasons add up to, next allowed at next (zero for none).
func lcDecision(next time.Time, reasons ...affrules.Reason) affrules.Decision {
	d := affrules.Decide(reasons...)
	d.NextAllowed = next
	return d
}

// lcRequireDecision compares a decision with want.
func lcRequireDecision(t testing.TB, want, got affrules.Decision) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("decision (-want +got):\n%s\ngot: %v", diff, got)
	}
}

// lcStateReason returns the CP-7 reason of an action refused in state s that needs limit.
func lcStateReason(id string, s collabplus.State, limit string) affrules.Reason {
	return affrules.Reason{Rule: collabplus.RuleLifecycle, Key: lcKeyState, Observed: affrules.Text(s.String()), Limit: affrules.Text(limit), Subject: id}
}

// lcExportTimelines lets cmp look inside affrules.Timeline, whose entries are unexported.
var lcExportTimelines = cmp.Exporter(func(t reflect.Type) bool {
	return strings.HasPrefix(t.String(), "affrules.Timeline[")
})

// lcOrder returns an attributed order line of 100.00 THB of product by creator, who has
// promoted the product since promoting.
func lcOrder(creator, product string, promoting time.Time) commission.Order {
	return commission.Order{ID: "line-" + creator + "-" + product, Creator: creator, Product: product, Market: affrules.TH,
		Attributed: true, OrderCount: 1, PromotingSince: promoting, Currency: "THB", Price: lcDec("100.00")}
}

// lcResolve resolves order o at instant at against the given offers, prepared by lcCom.
func lcResolve(t testing.TB, o commission.Order, at time.Time, offers ...commission.Offer) commission.Resolution {
	t.Helper()
	b, err := lcCom.Prepare(offers...)
	require.NoError(t, err, "commission's Prepare accepts the offers")
	r, err := lcCom.Resolve(b, o, at)
	require.NoError(t, err)
	return r
}

// lcLevel returns a pointer to l, for a group's MaxLevel.
func lcLevel(l level.Level) *level.Level { return &l }
