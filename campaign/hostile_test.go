package campaign_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// The zero Evaluator and a nil *Evaluator fail closed: every method returns ErrNoPolicy.
func TestZeroEvaluator(t *testing.T) {
	c := approved(t)
	open := list(t, "10%", on(1, 0))
	for name, e := range map[string]*campaign.Evaluator{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			calls := map[string]func() error{
				"Policy": func() error { _, err := e.Policy(); return err },
				"Create": func() error { _, err := e.Create(agencyTerms(t), t0); return err },
				"Apply": func() error {
					got, err := e.Apply(c, campaign.Review("agency-1", "toner", true), on(5, 0))
					if diff := cmp.Diff(c, got); diff != "" {
						t.Errorf("Apply changed the campaign (-want +got):\n%s", diff)
					}
					return err
				},
				"Offers":  func() error { _, err := e.Offers(c, on(10, 0)); return err },
				"Visible": func() error { _, err := e.Visible(c, campaign.Viewer{Seller: "shop-1"}, on(10, 0)); return err },
				"List": func() error {
					_, err := e.List("o", affrules.MY, "toner", commission.Terms{Rate: rate("10%")}, on(1, 0))
					return err
				},
				"Target":     func() error { _, err := e.Target(targetOffer(), on(2, 0)); return err },
				"ChangeRate": func() error { _, err := e.ChangeRate(open, commission.Terms{Rate: rate("12%")}, on(10, 0)); return err },
				"Remove":     func() error { _, err := e.Remove(open, on(10, 0)); return err },
				"Request": func() error {
					st, d, err := e.Request(open, "aisyah", on(10, 0))
					require.NotEqual(t, campaign.Approved, st)
					require.False(t, d.Allowed)
					return err
				},
			}
			for m, call := range calls {
				require.ErrorIs(t, call(), campaign.ErrNoPolicy, m)
			}
			visible, _ := e.Visible(c, campaign.Viewer{Seller: "shop-1"}, on(10, 0))
			require.False(t, visible, "fails closed")
		})
	}
}

// New needs a commission evaluator built with commission.New: its rate bounds apply (COM-9).
func TestNewWithoutCommission(t *testing.T) {
	e, err := campaign.New(campaign.DefaultPolicy(), nil)
	require.ErrorIs(t, err, campaign.ErrNoCommission)
	require.Nil(t, e)
	e, err = campaign.New(campaign.DefaultPolicy(), &commission.Evaluator{})
	require.ErrorIs(t, err, campaign.ErrNoCommission)
	require.ErrorIs(t, err, commission.ErrNoPolicy)
	require.Nil(t, e)
	require.Panics(t, func() { campaign.MustNew(campaign.DefaultPolicy(), nil) })
}

// The zero Campaign, one not made by Create, is bad input to Apply, Offers and Visible.
func TestZeroCampaign(t *testing.T) {
	var zero campaign.Campaign
	got, err := ev.Apply(zero, register("serum", "shop-1", "15%"), on(2, 0))
	require.NotErrorIs(t, err, affrules.ErrRefused)
	require.Contains(t, fields(err), "campaign.created")
	require.Contains(t, fields(err), "campaign.id")
	require.Len(t, fieldErrors(err), len(err.(interface{ Unwrap() []error }).Unwrap()), "only field errors: %v", err)
	if diff := cmp.Diff(zero, got); diff != "" {
		t.Errorf("Apply (-want +got):\n%s", diff)
	}
	offers, err := ev.Offers(zero, on(2, 0))
	require.Contains(t, fields(err), "campaign.created")
	require.Nil(t, offers)
	visible, err := ev.Visible(zero, campaign.Viewer{Seller: "shop-1"}, on(2, 0))
	require.Contains(t, fields(err), "campaign.created")
	require.False(t, visible)

	// A campaign whose terms are valid but that Create never saw.
	terms := agencyTerms(t)
	_, err = ev.Apply(terms, register("serum", "shop-1", "15%"), on(2, 0))
	badInput(t, err, "campaign.created")
	_, err = ev.Offers(terms, on(2, 0))
	badInput(t, err, "campaign.created")
	_, err = ev.Visible(terms, campaign.Viewer{Seller: "shop-1"}, on(2, 0))
	badInput(t, err, "campaign.created")
}

// The zero Action is refused as bad input, and the campaign is unchanged.
func TestZeroAction(t *testing.T) {
	c := approved(t)
	err := applyBad(t, c, campaign.Action{}, on(5, 0), "action")
	require.Contains(t, err.Error(), "Register")
	require.Equal(t, "no action", campaign.Action{}.String())
}

// Instants are in 1900–2199 (UTC): the zero time, the nanosecond before 1900 and 2200 itself are
// bad input to every method that takes one; the first and last instants pass.
func TestInstantBounds(t *testing.T) {
	c := approved(t)
	open := list(t, "10%", on(1, 0))
	bad := []time.Time{
		{},
		time.Date(1899, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for _, at := range bad {
		t.Run(at.String(), func(t *testing.T) {
			calls := map[string]func() error{
				"Create": func() error { _, err := ev.Create(agencyTerms(t), at); return err },
				"Offers": func() error { _, err := ev.Offers(c, at); return err },
				"Visible": func() error {
					_, err := ev.Visible(c, campaign.Viewer{Seller: "shop-1"}, at)
					return err
				},
				"List": func() error {
					_, err := ev.List("o", affrules.MY, "toner", commission.Terms{Rate: rate("10%")}, at)
					return err
				},
				"Target":     func() error { _, err := ev.Target(targetOffer(), at); return err },
				"ChangeRate": func() error { _, err := ev.ChangeRate(open, commission.Terms{Rate: rate("12%")}, at); return err },
				"Remove":     func() error { _, err := ev.Remove(open, at); return err },
				"Request":    func() error { _, _, err := ev.Request(open, "aisyah", at); return err },
			}
			for m, call := range calls {
				err := call()
				require.ErrorIs(t, err, affrules.ErrOutOfRange, m)
				require.NotErrorIs(t, err, affrules.ErrRefused, m)
				require.NotEmpty(t, fieldErrors(err), m)
			}
			applyBad(t, c, campaign.Review("agency-1", "toner", true), at, "at")
		})
	}
	for _, at := range []time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		_, err := ev.Offers(c, at)
		require.NoError(t, err)
		_, err = ev.Visible(c, campaign.Viewer{Seller: "shop-1"}, at)
		require.NoError(t, err)
	}
	_, err := ev.Apply(c, campaign.SetSamples("shop-1", "toner", 1), time.Date(2199, 12, 31, 23, 59, 59, 999999999, time.UTC))
	require.NoError(t, err, "the last instant")
}

// Instants only move forward: an action dated before the campaign's last change is bad input
// and changes nothing; one at the same instant is accepted.
func TestOutOfOrder(t *testing.T) {
	c := approved(t) // last changed on 4 December at 09:00
	last := on(4, 9)
	require.True(t, c.Updated.Equal(last))
	for _, a := range []campaign.Action{
		register("serum", "shop-1", "15%"),
		campaign.Review("agency-1", "toner", true),
		campaign.MatchCreators("agency-1", "toner", "budi"),
		campaign.SetSamples("shop-1", "toner", 1),
	} {
		applyBad(t, c, a, last.Add(-time.Nanosecond), "at")
	}
	got := apply(t, c, campaign.MatchCreators("agency-1", "toner", "budi"), last)
	require.Len(t, got.Products[0].Matches, 2)

	// An action out of order with other problems reports them all.
	applyBad(t, c, campaign.MatchCreators("", "toner", "budi"), last.Add(-time.Hour), "at")
}

// A campaign changed by the host after creation is checked again on every action: broken
// terms are bad input to Apply, Offers and Visible.

// A campaign edited into a state the rules cannot produce (a match by a partner other than the
// owner, a review before the registration, a registration before the creation) is bad input.
func TestImpossibleState(t *testing.T) {
	c := approved(t)
	for field, mutate := range map[string]func(c *campaign.Campaign){
		"campaign.products[0].matches[0].partner": func(c *campaign.Campaign) { c.Products[0].Matches[0].Partner = "agency-2" },
		"campaign.products[0].reviewed":           func(c *campaign.Campaign) { c.Products[0].Reviewed = c.Products[0].Registered.Add(-time.Hour) },
		"campaign.products[0].registered":         func(c *campaign.Campaign) { c.Products[0].Registered = c.Created.Add(-time.Hour) },
		// CMP-5: a partner's repeated match of a creator, which would list the creator twice in
		// the product's offer (refused by commission.Prepare, with every other offer of the book)
		"campaign.products[0].matches[1].creator": func(c *campaign.Campaign) {
			c.Products[0].Matches = append(slices.Clone(c.Products[0].Matches), c.Products[0].Matches[0])
		},
		// ELG-11: a participation ended before the product was registered
		"campaign.products[0].ended": func(c *campaign.Campaign) { c.Products[0].Ended = c.Products[0].Registered.Add(-time.Nanosecond) },
	} {
		bad := snapshot(c)
		mutate(&bad)
		_, err := ev.Offers(bad, on(6, 0))
		require.Contains(t, fields(err), field)
	}
}

// A stored state's long lists (an audience, the partners, over 16 entries each) are looked up
// through maps: a registration by a seller outside a long audience, and a match by a partner
// who joined after it or never, are still found; of a partner listed twice the first join
// counts.
func TestImpossibleStateLongLists(t *testing.T) {
	c := approved(t)
	long := snapshot(c)
	long.Audience = campaign.Audience{}
	for i := range 20 {
		long.Audience.IDs = append(long.Audience.IDs, fmt.Sprint("shop-", i+10))
	}
	applyBad(t, long, campaign.SetSamples("shop-1", "toner", 1), on(6, 0), "campaign.products[0].seller")
	long.Audience.IDs = append(long.Audience.IDs, "shop-1")
	apply(t, long, campaign.SetSamples("shop-1", "toner", 1), on(6, 0))

	// A partner's repeated match in a long list of matches (over 16) is found too.
	many := snapshot(c)
	for i := range 20 {
		many.Products[0].Matches = append(many.Products[0].Matches, campaign.Match{Partner: "agency-1", Creator: fmt.Sprint("creator-", i), At: on(4, 9)})
	}
	_, err := ev.Offers(many, on(6, 0))
	require.NoError(t, err, "20 creators matched once each")
	many.Products[0].Matches = append(many.Products[0].Matches, many.Products[0].Matches[7])
	_, err = ev.Offers(many, on(6, 0))
	badInput(t, err, "campaign.products[0].matches[21].creator")

	s := published(t)
	s = apply(t, s, campaign.Join("agency-1"), regStart)
	s = apply(t, s, campaign.MatchCreators("agency-1", "serum", "aisyah"), on(3, 0))
	s = snapshot(s)
	for i := range 20 {
		s.Partners = append(s.Partners, campaign.Participant{Partner: fmt.Sprint("agency-", i+10), Joined: regStart})
	}
	_, err = ev.Offers(s, on(6, 0))
	require.NoError(t, err, "a match by a partner who joined before it")
	late := snapshot(s)
	late.Partners[0].Joined, late.Updated = on(3, 0).Add(time.Nanosecond), on(3, 1)
	_, err = ev.Offers(late, on(6, 0))
	badInput(t, err, "campaign.products[0].matches[0].partner")
	gone := snapshot(s)
	gone.Partners = gone.Partners[1:]
	_, err = ev.Offers(gone, on(6, 0))
	badInput(t, err, "campaign.products[0].matches[0].partner")
	// A partner listed twice (itself bad input) is judged by its first join, as the list's scan
	// judged it: a second join after the match does not make the match early.
	twice := snapshot(s)
	twice.Partners = append(twice.Partners, campaign.Participant{Partner: "agency-1", Joined: on(3, 0).Add(time.Nanosecond)})
	twice.Updated = on(3, 1)
	_, err = ev.Offers(twice, on(6, 0))
	badInput(t, err, "campaign.partners[21].partner")
}

func TestTamperedCampaign(t *testing.T) {
	c := approved(t)
	for name, mutate := range map[string]func(c *campaign.Campaign){
		"campaign.name":        func(c *campaign.Campaign) { c.Name = "\xff" },
		"campaign.requirement": func(c *campaign.Campaign) { c.Requirement = rate("90%") },
		"campaign.period":      func(c *campaign.Campaign) { c.Period.End = c.Period.Start },
		"campaign.initiator":   func(c *campaign.Campaign) { c.Initiator = 7 },
		"campaign.audience":    func(c *campaign.Campaign) { c.Audience = campaign.Audience{} },
	} {
		t.Run(name, func(t *testing.T) {
			bad := snapshot(c)
			mutate(&bad)
			// The registrations no longer agree with terms changed under them: Apply and Offers,
			// which check the whole state, name them too.
			state := map[string][]string{
				"campaign.requirement": {"campaign.products[0].rate"},
				"campaign.audience":    {"campaign.products[0].seller"},
			}
			want := append([]string{name}, state[name]...)
			applyBad(t, bad, campaign.SetSamples("shop-1", "toner", 1), on(6, 0), want...)
			_, err := ev.Offers(bad, on(6, 0))
			badInput(t, err, want...)
			_, err = ev.Visible(bad, campaign.Viewer{Seller: "shop-1"}, on(6, 0))
			badInput(t, err, name)
		})
	}
}

// Text that is not UTF-8, holds a control character (but tab, line feed and carriage return in
// a text of several lines) or a bidirectional control, shows nothing, or is too long, counted in
// characters, is refused wherever it is given: other parties are shown it.
func TestHostileText(t *testing.T) {
	for _, s := range []string{"\xff", "ok\xc3", "\xed\xa0\x80", strings.Repeat("n", 201), strings.Repeat("ก", 201),
		"a\x00b", "Year-end\x1b[2J", "a\u0085b", "two\nlines", "\u202eylno", " ", "\u200b"} {
		c := agencyTerms(t)
		c.Name = s
		_, err := ev.Create(c, t0)
		badInput(t, err, "campaign.name")
	}
	for _, s := range []string{"ก\u200b", strings.Repeat("ก", 200), "🙂", "👩‍💻 creators"} {
		c := agencyTerms(t)
		c.Name = s
		_, err := ev.Create(c, t0)
		require.NoError(t, err, "%q", s)
	}
	c := agencyTerms(t)
	c.Description = "Year-end sale.\r\n\tBeauty creators first."
	_, err := ev.Create(c, t0)
	require.NoError(t, err, "a description of several lines")
	c.Description = "bell\x07"
	_, err = ev.Create(c, t0)
	badInput(t, err, "campaign.description")
	created := create(t, agencyTerms(t))
	reg := registration("serum", "shop-1", "15%")
	reg.Contact = "+60\xff"
	applyBad(t, created, campaign.Register(reg, eligible("serum", "shop-1")), on(2, 0), "registration.contact")
}

// Typos in policy JSON are errors naming where they are: an unknown key, a key that matches
// only when case is ignored, a key given twice, a value of the wrong type; a document that is not
// one JSON object is an error too. Nothing is returned with the error.
func TestPolicyTypos(t *testing.T) {
	tests := []struct {
		doc   string
		field string
		says  string // a part of the message
	}{
		{`{"markets": ["MY"], "open_aproval": true}`, "policy", `"open_aproval"`},
		{`{"Markets": ["MY"]}`, "policy", `did you mean "markets"`},
		{`{"OPEN_APPROVAL": true}`, "policy", `"OPEN_APPROVAL"`},
		{`{"open_approval": true, "open_approval": false}`, "policy", "given twice"},
		{`{"markets": ["MY"], "markets": ["TH"]}`, "policy", "given twice"},
		{`{"open_approval": "yes"}`, "policy.open_approval", "boolean"},
		{`{"registration_within_campaign": 1}`, "policy.registration_within_campaign", "boolean"},
		{`{"markets": "MY"}`, "policy.markets", "array"},
		{`{"markets": [1]}`, "policy.markets[0]", "must be a JSON string"},
		{`{"markets": {"MY": true}}`, "policy.markets", "array"},
		{`{`, "policy", "not valid JSON"},
		{`{"markets": ["MY"]`, "policy", "not valid JSON"},
		{`{} {}`, "policy", "not valid JSON"},
		{``, "policy", "not valid JSON"},
		{"\xff", "policy", "not valid JSON"},
		{`[]`, "policy", "JSON object"},
		{`null`, "policy", "JSON object"},
		{`"markets"`, "policy", "JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			p, err := campaign.ParsePolicy([]byte(tt.doc))
			badInput(t, err, tt.field)
			require.Contains(t, err.Error(), tt.says)
			require.True(t, strings.HasPrefix(err.Error(), "campaign: "), "%v", err)
			if diff := cmp.Diff(campaign.Policy{}, p); diff != "" {
				t.Errorf("an error returns the zero Policy (-want +got):\n%s", diff)
			}
		})
	}
}

// A campaign survives a round trip through JSON unchanged, registrations, reviews, matches and
// partners included, and the decoded campaign is one Apply accepts.
func TestCampaignJSON(t *testing.T) {
	a := approved(t)
	a = apply(t, a, register("serum", "shop-2", "12%"), on(4, 10))
	a = apply(t, a, register("lotion", "shop-1", "15%"), on(4, 11))
	a = apply(t, a, campaign.Review("agency-1", "lotion", false), on(4, 12))

	s := published(t)
	s = apply(t, s, campaign.Join("agency-1"), regStart)
	s = apply(t, s, campaign.MatchCreators("agency-1", "serum", "aisyah", "budi"), on(2, 0))

	for _, c := range []campaign.Campaign{a, s, create(t, agencyTerms(t))} {
		t.Run(c.ID, func(t *testing.T) {
			b, err := json.Marshal(c)
			require.NoError(t, err)
			var back campaign.Campaign
			require.NoError(t, json.Unmarshal(b, &back))
			if diff := cmp.Diff(c, back); diff != "" {
				t.Fatalf("round trip of %s (-want +got):\n%s", b, diff)
			}
			again, err := json.Marshal(back)
			require.NoError(t, err)
			require.JSONEq(t, string(b), string(again))
		})
	}

	b, _ := json.Marshal(a)
	var back campaign.Campaign
	require.NoError(t, json.Unmarshal(b, &back))
	require.Contains(t, string(b), `"initiator":"agency"`)
	require.Contains(t, string(b), `"status":"rejected"`)
	require.Contains(t, string(b), `"rate":"15%"`)
	got := apply(t, back, campaign.Review("agency-1", "serum", true), on(5, 0))
	require.Equal(t, campaign.Approved, got.Products[1].Status)
	refused(t, back, campaign.Review("agency-1", "toner", true), on(5, 0))
	offers, err := ev.Offers(back, on(10, 0))
	require.NoError(t, err)
	want, err := ev.Offers(a, on(10, 0))
	require.NoError(t, err)
	if diff := cmp.Diff(want, offers, exportTimelines); diff != "" {
		t.Errorf("offers of the decoded campaign (-want +got):\n%s", diff)
	}

	b, _ = json.Marshal(s)
	var sb campaign.Campaign
	require.NoError(t, json.Unmarshal(b, &sb))
	apply(t, sb, campaign.Join("agency-2"), on(3, 0))
	refused(t, sb, campaign.Join("agency-1"), on(3, 0))
}

// Unknown enum names and values are errors, in both directions.
func TestHostileEnums(t *testing.T) {
	var c campaign.Campaign
	for _, doc := range []string{`{"initiator": "partner"}`, `{"initiator": ""}`, `{"initiator": "Agency"}`, `{"initiator": 1}`} {
		require.Error(t, json.Unmarshal([]byte(doc), &c), doc)
	}
	var r campaign.Registration
	for _, doc := range []string{`{"status": "done"}`, `{"status": "Pending"}`, `{"status": 0}`} {
		require.Error(t, json.Unmarshal([]byte(doc), &r), doc)
	}
	_, err := json.Marshal(campaign.Campaign{})
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe), "the zero Initiator does not marshal: %v", err)
	_, err = json.Marshal(campaign.Registration{Status: 3})
	require.True(t, errors.As(err, &fe), "an unknown Status does not marshal: %v", err)
	require.Equal(t, "Status(3)", campaign.Status(3).String())
	require.False(t, campaign.Initiator(0).IsValid())
	require.False(t, campaign.Audience{All: true}.Includes(""), "the empty ID is nobody")
}

// A nil *Memory (a store a host declared and never made) is an error from every method, not a
// panic.
func TestNilMemory(t *testing.T) {
	ctx := t.Context()
	var m *campaign.Memory
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err := m.Create(ctx, nil, campaign.Campaign{}, at)
	assert.ErrorContains(t, err, "campaign: nil *Memory")
	_, err = m.Apply(ctx, nil, "x", campaign.Action{}, at)
	assert.ErrorContains(t, err, "campaign: nil *Memory")
	_, err = m.Campaign(ctx, "x")
	assert.ErrorContains(t, err, "campaign: nil *Memory")
	_, err = m.Campaigns(ctx, affrules.MY)
	assert.ErrorContains(t, err, "campaign: nil *Memory")
}

// A Target offer's creators and market are reported once, under the target's own fields,
// whatever the number of products; List and ChangeRate name their problems under campaign's
// prefix and List's own arguments.
func TestListingErrorFields(t *testing.T) {
	e := campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	per := affrules.Period{Start: at.AddDate(0, 1, 0), End: at.AddDate(0, 1, 9)}
	rate := func(s string) commission.Terms { return commission.Terms{Rate: affrules.MustParseRate(s)} }
	fields := func(err error) []string {
		t.Helper()
		var out []string
		for _, e := range flatten(err) {
			var fe *affrules.FieldError
			if !errors.As(e, &fe) || fe.Pkg != "campaign" {
				t.Fatalf("%v is not a campaign FieldError", e)
			}
			out = append(out, fe.Field)
		}
		return out
	}
	_, err := e.Target(campaign.TargetOffer{ID: "t", Market: affrules.UK, Period: per,
		Products: []campaign.TargetProduct{{Product: "p", Terms: rate("12%")}, {Product: "q", Terms: rate("12%")}}}, at)
	assert.Equal(t, []string{"target.creators"}, fields(err))
	_, err = e.Target(campaign.TargetOffer{ID: "t", Market: "XX", Creators: []string{"c"}, Period: per,
		Products: []campaign.TargetProduct{{Product: "p", Terms: rate("90%")}}}, at)
	assert.Equal(t, []string{"target.market", "target.products[0].terms.rate"}, fields(err))
	_, err = e.Target(campaign.TargetOffer{ID: "t", Market: affrules.UK, Period: per}, at)
	assert.Equal(t, []string{"target.products", "target.creators"}, fields(err))

	_, err = e.List("open-p", affrules.UK, "p", rate("90%"), at)
	assert.Equal(t, []string{"terms.rate"}, fields(err))
	_, err = e.List("", affrules.UK, "", rate("10%"), at)
	assert.Equal(t, []string{"id", "product"}, fields(err))
	o, err := e.List("open-p", affrules.UK, "p", rate("10%"), at)
	require.NoError(t, err)
	_, err = e.ChangeRate(o, rate("95%"), at.Add(time.Hour))
	assert.Equal(t, []string{"offer.rates[1].value.rate"}, fields(err))
}

// flatten returns the errors joined in err, or err alone.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// A cancelled context is an error of the package, which errors.Is still finds.
func TestMemoryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := campaign.NewMemory().Campaign(ctx, "x")
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "campaign: context canceled")
}

// A nil context is an error of the package from every store method, not a panic.
func TestMemoryNilContext(t *testing.T) {
	var ctx context.Context                                  // a host that forgot it
	m, e := campaign.NewMemory(), (*campaign.Evaluator)(nil) // the context is checked first
	_, err1 := m.Create(ctx, e, campaign.Campaign{}, time.Now())
	_, err2 := m.Apply(ctx, e, "x", campaign.Action{}, time.Now())
	_, err3 := m.Campaign(ctx, "x")
	_, err4 := m.Campaigns(ctx, affrules.UK)
	for i, err := range []error{err1, err2, err3, err4} {
		assert.ErrorContains(t, err, "campaign: nil context.Context", "method %d", i)
		assert.ErrorIs(t, err, affrules.ErrNilContext)
	}
}

// ELG-11, CMP-5: a rejected product takes no part in the campaign, so a permanent
// disqualification of it alone has nothing to end and is refused; one of its shop ends the
// shop's other products and leaves the rejected one as it was.
func TestDisqualifyRejected(t *testing.T) {
	c := create(t, agencyTerms(t))
	c = apply(t, c, register("toner", "shop-1", "15%"), on(2, 10))
	c = apply(t, c, register("serum", "shop-1", "15%"), on(2, 11))
	c = apply(t, c, campaign.Review("agency-1", "toner", false), on(3, 9))
	perm := eligibility.Result{ID: "toner", ShopID: "shop-1", Market: affrules.MY, State: eligibility.PermanentlyDisqualified, Scope: eligibility.ProductScope}
	r := refused(t, c, campaign.Disqualify(perm), on(4, 9))
	require.Equal(t, affrules.MessageKey("campaign.cmp5.wrong_status"), r.Decision.Reasons[0].Key)
	shop := perm
	shop.ID, shop.Scope = "shop-1", eligibility.ShopScope
	c = apply(t, c, campaign.Disqualify(shop), on(4, 9))
	for _, p := range c.Products {
		require.Equal(t, p.Product == "serum", !p.Ended.IsZero(), "%s ended at %s", p.Product, p.Ended)
	}
}
