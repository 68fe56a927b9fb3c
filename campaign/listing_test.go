package campaign_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
)

// list puts toner into Open Collaboration at rate r from instant at.
func list(t *testing.T, r string, at time.Time) commission.Offer {
	t.Helper()
	o, err := ev.List("open-toner", affrules.MY, "toner", commission.Terms{Rate: rate(r)}, at)
	require.NoError(t, err)
	return o
}

// requireRefusal requires err to be a *affrules.Refusal of action on subject with decision want.
func requireRefusal(t *testing.T, err error, action, subject string, want affrules.Decision) {
	t.Helper()
	require.ErrorIs(t, err, affrules.ErrRefused)
	var r *affrules.Refusal
	require.ErrorAs(t, err, &r)
	require.Equal(t, action, r.Action)
	require.Equal(t, subject, r.Subject)
	requireDecision(t, want, r)
}

// earned resolves creator's order of toner at instant at against the offers and returns the
// source that pays it (zero for none) and the rate.
func earned(t *testing.T, creator string, promoting, at time.Time, offers ...commission.Offer) (commission.Source, affrules.Rate) {
	t.Helper()
	r := resolve(t, order(creator, "toner", promoting), at, offers...)
	return r.Source, r.Rate
}

// requireEarns requires creator's order at instant at to be paid by source at rate r.
func requireEarns(t *testing.T, source commission.Source, r string, creator string, promoting, at time.Time, offers ...commission.Offer) {
	t.Helper()
	s, got := earned(t, creator, promoting, at, offers...)
	require.Equal(t, source, s, "source for %s at %s", creator, at)
	if source != 0 {
		require.True(t, got.Equal(rate(r)), "rate for %s at %s: %s, want %s", creator, at, got, r)
	}
}

// CMP-1: List makes an OPEN offer for every creator from the instant of listing, with no end,
// that commission's Prepare accepts; terms breaking COM-9 or COM-11 are bad input.
func TestList(t *testing.T) {
	o := list(t, "10%", on(1, 0))
	want := commission.Offer{ID: "open-toner", Source: commission.Open, Market: affrules.MY, Product: "toner",
		Coverage: commission.Everyone, Period: affrules.Period{Start: on(1, 0)}, Rates: history(terms(on(1, 0), "10%"))}
	if diff := cmp.Diff(want, o, exportTimelines); diff != "" {
		t.Fatalf("List (-want +got):\n%s", diff)
	}
	requireEarns(t, commission.Open, "10%", "aisyah", on(1, 0), on(1, 0), o)
	s, _ := earned(t, "aisyah", on(1, 0).Add(-time.Hour), on(1, 0).Add(-time.Nanosecond), o)
	require.Zero(t, s, "nothing before the listing starts")

	tiered := commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 10, Rate: rate("12%")}}
	_, err := ev.List("open-toner", affrules.MY, "toner", tiered, on(1, 0))
	require.NoError(t, err, "COM-11: a tier above the standard rate")

	for name, tm := range map[string]commission.Terms{
		"rate 1e-9 below 1% (COM-9)":   {Rate: below(rate("1%"))},
		"rate 1e-9 above 80% (COM-9)":  {Rate: above(rate("80%"))},
		"no rate (COM-9)":              {},
		"tier below the rate (COM-11)": {Rate: rate("10%"), Tier: &commission.Tier{Threshold: 10, Rate: rate("9%")}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ev.List("open-toner", affrules.MY, "toner", tm, on(1, 0))
			require.NotEmpty(t, fieldErrors(err), "%v", err)
			require.NotErrorIs(t, err, affrules.ErrRefused)
			require.Empty(t, got.ID, "an error returns the zero Offer")
		})
	}
	for name, call := range map[string]func() error{
		"empty ID":       func() error { _, err := ev.List("", affrules.MY, "toner", tiered, on(1, 0)); return err },
		"empty product":  func() error { _, err := ev.List("o", affrules.MY, "", tiered, on(1, 0)); return err },
		"unknown market": func() error { _, err := ev.List("o", "ZZ", "toner", tiered, on(1, 0)); return err },
		"zero instant":   func() error { _, err := ev.List("o", affrules.MY, "toner", tiered, time.Time{}); return err },
		"instant in 2200": func() error {
			_, err := ev.List("o", affrules.MY, "toner", tiered, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC))
			return err
		},
	} {
		require.NotEmpty(t, fieldErrors(call()), name)
	}
}

// targetOffer offers toner at 14% and serum at 12% to aisyah and budi, 5–19 December.
func targetOffer() campaign.TargetOffer {
	return campaign.TargetOffer{ID: "tgt", Market: affrules.MY, Creators: []string{"aisyah", "budi"},
		Period:   affrules.Period{Start: on(5, 0), End: on(20, 0)},
		Products: []campaign.TargetProduct{{Product: "toner", Terms: commission.Terms{Rate: rate("14%")}}, {Product: "serum", Terms: commission.Terms{Rate: rate("12%")}}}}
}

// CMP-1, COM-5: a Target Collaboration offer makes one TARGET offer per product; it runs beside
// the product's Open listing, and precedence gives its listed creators the Target rate in its
// period and everyone else the Open rate.
func TestTargetBesideOpen(t *testing.T) {
	open := list(t, "10%", on(1, 0))
	targets, err := ev.Target(targetOffer(), on(2, 0))
	require.NoError(t, err)
	mk := func(product, r string) commission.Offer {
		return commission.Offer{ID: "TARGET/tgt/" + product, Source: commission.Target, Market: affrules.MY, Product: product,
			Coverage: commission.Listed, Creators: []string{"aisyah", "budi"}, Period: affrules.Period{Start: on(5, 0), End: on(20, 0)},
			Rates: history(terms(on(5, 0), r))}
	}
	if diff := cmp.Diff([]commission.Offer{mk("toner", "14%"), mk("serum", "12%")}, targets, exportTimelines); diff != "" {
		t.Fatalf("Target (-want +got):\n%s", diff)
	}

	offers := append([]commission.Offer{open}, targets...)
	since := on(1, 0)
	requireEarns(t, commission.Target, "14%", "aisyah", since, on(10, 0), offers...)
	requireEarns(t, commission.Target, "14%", "budi", since, on(5, 0), offers...)
	requireEarns(t, commission.Open, "10%", "cara", since, on(10, 0), offers...)
	requireEarns(t, commission.Open, "10%", "aisyah", since, on(5, 0).Add(-time.Nanosecond), offers...)
	requireEarns(t, commission.Open, "10%", "aisyah", since, on(20, 0), offers...)

	r := resolve(t, order("aisyah", "toner", since), on(10, 0), offers...)
	require.Equal(t, commission.Overridden, outcome(t, r, "open-toner"), r.Explain())
	r = resolve(t, order("cara", "toner", since), on(10, 0), offers...)
	require.Equal(t, commission.NotCovered, outcome(t, r, "TARGET/tgt/toner"), r.Explain())

	endless := targetOffer()
	endless.Period.End = time.Time{}
	_, err = ev.Target(endless, on(2, 0))
	require.NoError(t, err, "a Target offer without an end")
}

// CMP-1: every problem of a Target Collaboration offer is reported at once.
func TestTargetBadInput(t *testing.T) {
	tg := targetOffer()
	tg.ID = ""
	tg.Products = append(tg.Products, campaign.TargetProduct{Product: "toner", Terms: commission.Terms{Rate: rate("20%")}})
	tg.Products[1].Terms.Rate = rate("90%")
	got, err := ev.Target(tg, time.Time{})
	require.Nil(t, got)
	fs := fields(err)
	require.Subset(t, fs, []string{"at", "target.id", "target.products[2].product"}, "%v", err)
	require.Greater(t, len(fs), 3, "the 90%% rate too: %v", err)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)

	none := targetOffer()
	none.Products = nil
	_, err = ev.Target(none, on(2, 0))
	badInput(t, err, "target.products")

	nobody := targetOffer()
	nobody.Creators = nil
	_, err = ev.Target(nobody, on(2, 0))
	require.NotEmpty(t, fieldErrors(err), "a Target offer to no creator: %v", err)
}

// CMP-7, COM-10: an increase applies at once; a decrease reaches a creator already promoting
// only 30×24h after it is made (not 1ns before), and a new promoter at once. Entries already in
// force stay; entries not yet in force are replaced.
func TestChangeRate(t *testing.T) {
	o := list(t, "10%", on(1, 0))
	x := on(10, 0)
	promoting := on(2, 0)

	up, err := ev.ChangeRate(o, commission.Terms{Rate: rate("12%")}, x)
	require.NoError(t, err)
	want := o
	want.Rates = history(terms(on(1, 0), "10%"), terms(x, "12%"))
	if diff := cmp.Diff(want, up, exportTimelines); diff != "" {
		t.Fatalf("increase (-want +got):\n%s", diff)
	}
	require.Equal(t, 1, o.Rates.Len(), "the offer given is not changed")
	requireEarns(t, commission.Open, "10%", "aisyah", promoting, x.Add(-time.Nanosecond), up)
	requireEarns(t, commission.Open, "12%", "aisyah", promoting, x, up)

	down, err := ev.ChangeRate(o, commission.Terms{Rate: rate("8%")}, x)
	require.NoError(t, err)
	delay := 30 * 24 * time.Hour
	requireEarns(t, commission.Open, "10%", "aisyah", promoting, x, down)
	requireEarns(t, commission.Open, "10%", "aisyah", promoting, x.Add(delay-time.Nanosecond), down)
	requireEarns(t, commission.Open, "8%", "aisyah", promoting, x.Add(delay), down)
	requireEarns(t, commission.Open, "8%", "budi", x, x, down)

	scheduled, err := ev.ChangeRate(o, commission.Terms{Rate: rate("12%")}, on(20, 0))
	require.NoError(t, err)
	_, err = ev.ChangeRate(scheduled, commission.Terms{Rate: rate("11%")}, x) // CMP-7: changes move forward
	require.Equal(t, []string{"at"}, fields(err))
	kept, err := ev.ChangeRate(up, commission.Terms{Rate: rate("9%")}, on(15, 0))
	require.NoError(t, err)
	want.Rates = history(terms(on(1, 0), "10%"), terms(x, "12%"), terms(on(15, 0), "9%"))
	if diff := cmp.Diff(want, kept, exportTimelines); diff != "" {
		t.Fatalf("entries in force stay (-want +got):\n%s", diff)
	}

	got, err := ev.ChangeRate(o, commission.Terms{Rate: above(rate("80%"))}, x)
	require.NotEmpty(t, fieldErrors(err), "COM-9: %v", err)
	require.NotErrorIs(t, err, affrules.ErrRefused)
	if diff := cmp.Diff(o, got, exportTimelines); diff != "" {
		t.Errorf("an error returns the offer given (-want +got):\n%s", diff)
	}

	targets, err := ev.Target(targetOffer(), on(2, 0))
	require.NoError(t, err)
	tg, err := ev.ChangeRate(targets[0], commission.Terms{Rate: rate("16%")}, on(10, 0))
	require.NoError(t, err, "a Target offer's rate changes too")
	requireEarns(t, commission.Target, "16%", "aisyah", promoting, on(10, 0), tg)
}

// COM-11: a change that lowers an active tier's rate is bad input.
func TestChangeRateTier(t *testing.T) {
	tiered := commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 10, Rate: rate("12%")}}
	o, err := ev.List("open-toner", affrules.MY, "toner", tiered, on(1, 0))
	require.NoError(t, err)
	lower := commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 10, Rate: rate("11%")}}
	_, err = ev.ChangeRate(o, lower, on(10, 0))
	require.NotEmpty(t, fieldErrors(err), "%v", err)
	higher := commission.Terms{Rate: rate("10%"), Tier: &commission.Tier{Threshold: 10, Rate: rate("13%")}}
	_, err = ev.ChangeRate(o, higher, on(10, 0))
	require.NoError(t, err)
}

// CMP-7: removal ends the OPEN offer at its instant: orders from then on earn no Open rate,
// earlier ones keep theirs. Removing again is refused, as is changing the rate after removal.
func TestRemove(t *testing.T) {
	o := list(t, "10%", on(1, 0))
	r := on(10, 0)
	removed, err := ev.Remove(o, r)
	require.NoError(t, err)
	want := o
	want.Period.End = r
	if diff := cmp.Diff(want, removed, exportTimelines); diff != "" {
		t.Fatalf("Remove (-want +got):\n%s", diff)
	}
	require.True(t, o.Period.End.IsZero(), "the offer given is not changed")

	requireEarns(t, commission.Open, "10%", "aisyah", on(2, 0), r.Add(-time.Nanosecond), removed)
	res := resolve(t, order("aisyah", "toner", on(2, 0)), r, removed)
	require.False(t, res.Earned(), res.Explain())
	require.Equal(t, commission.OutsidePeriod, outcome(t, res, "open-toner"))

	for _, at := range []time.Time{r, r.Add(time.Hour)} {
		notListed := decision(time.Time{}, affrules.Reason{Rule: campaign.RuleOpenChange, Key: keyNotListed,
			Observed: affrules.Instant(at), Limit: affrules.Instant(r), Subject: "open-toner"})
		got, err := ev.Remove(removed, at)
		requireRefusal(t, err, "remove", "open-toner", notListed)
		require.True(t, got.Period.End.Equal(r), "a refusal returns the offer given")
		_, err = ev.ChangeRate(removed, commission.Terms{Rate: rate("12%")}, at)
		requireRefusal(t, err, "change_rate", "open-toner", notListed)
	}
	_, err = ev.ChangeRate(removed, commission.Terms{Rate: rate("12%")}, r.Add(-time.Hour))
	require.NoError(t, err, "a change before the removal instant")

	targets, err := ev.Target(targetOffer(), on(2, 0))
	require.NoError(t, err)
	_, err = ev.Remove(targets[0], on(10, 0))
	badInput(t, err, "offer.source")
	c := approved(t)
	partner, err := ev.Offers(c, on(10, 0))
	require.NoError(t, err)
	_, err = ev.Remove(partner[0], on(10, 0))
	badInput(t, err, "offer.source")
}

// CMP-7: a listing removed before it starts never runs: no order earns its rate, a request to
// promote it is denied with no instant to wait for, and it cannot be removed again.
func TestRemoveBeforeStart(t *testing.T) {
	o := list(t, "10%", on(10, 0))
	removed, err := ev.Remove(o, on(5, 0))
	require.NoError(t, err)
	require.True(t, removed.Period.IsEmpty(), "period %s", removed.Period)
	for _, at := range []time.Time{on(10, 0), on(20, 0)} {
		s, _ := earned(t, "aisyah", on(5, 0), at, removed)
		require.Zero(t, s, "a listing removed before it starts earns nothing at %s", at)
	}

	st, d, err := ev.Request(removed, "aisyah", on(6, 0))
	require.NoError(t, err)
	require.Equal(t, campaign.Rejected, st)
	require.False(t, d.Allowed)
	require.True(t, d.NextAllowed.IsZero(), "a listing that never runs has no next allowed instant: %v", d)
	require.True(t, d.Failed(campaign.RuleOpenChange), "denied because it was removed: %v", d)

	_, err = ev.Remove(removed, on(6, 0))
	require.ErrorIs(t, err, affrules.ErrRefused, "removed already")
	_, err = ev.ChangeRate(removed, commission.Terms{Rate: rate("12%")}, on(6, 0))
	require.ErrorIs(t, err, affrules.ErrRefused, "removed already")
}

// CMP-1: a creator's request to promote an Open product is granted at once, or waits for the
// seller under Policy.OpenApproval; it is denied before the listing starts (with the start as
// the next allowed instant) and from its removal on (with none).
func TestRequest(t *testing.T) {
	o := list(t, "10%", on(10, 0))
	st, d, err := ev.Request(o, "aisyah", on(10, 0))
	require.NoError(t, err)
	require.Equal(t, campaign.Approved, st)
	if diff := cmp.Diff(affrules.Decide(), d); diff != "" {
		t.Errorf("granted (-want +got):\n%s", diff)
	}

	strict := campaign.DefaultPolicy()
	strict.OpenApproval = true
	se := campaign.MustNew(strict, com)
	st, d, err = se.Request(o, "aisyah", on(10, 0))
	require.NoError(t, err)
	require.Equal(t, campaign.Pending, st, "CMP-1: waits for the seller")
	require.True(t, d.Allowed, "the request itself is allowed")

	early := on(10, 0).Add(-time.Nanosecond)
	st, d, err = ev.Request(o, "aisyah", early)
	require.NoError(t, err)
	require.Equal(t, campaign.Rejected, st)
	if diff := cmp.Diff(decision(on(10, 0), affrules.Reason{Rule: campaign.RuleListings, Key: keyNotListed,
		Observed: affrules.Instant(early), Limit: affrules.Instant(on(10, 0)), Subject: "open-toner"}), d); diff != "" {
		t.Errorf("before the listing starts (-want +got):\n%s", diff)
	}

	removed, err := ev.Remove(o, on(20, 0))
	require.NoError(t, err)
	st, _, err = ev.Request(removed, "aisyah", on(20, 0).Add(-time.Nanosecond))
	require.NoError(t, err)
	require.Equal(t, campaign.Approved, st)
	for _, at := range []time.Time{on(20, 0), on(25, 0)} {
		st, d, err = ev.Request(removed, "aisyah", at)
		require.NoError(t, err)
		require.Equal(t, campaign.Rejected, st)
		if diff := cmp.Diff(decision(time.Time{}, affrules.Reason{Rule: campaign.RuleOpenChange, Key: keyNotListed,
			Observed: affrules.Instant(at), Limit: affrules.Instant(on(20, 0)), Subject: "open-toner"}), d); diff != "" {
			t.Errorf("after removal (-want +got):\n%s", diff)
		}
	}

	targets, err := ev.Target(targetOffer(), on(2, 0))
	require.NoError(t, err)
	_, _, err = ev.Request(targets[0], "aisyah", on(10, 0))
	badInput(t, err, "offer.source")
	_, _, err = ev.Request(o, "", on(10, 0))
	badInput(t, err, "creator")
	_, _, err = ev.Request(o, "aisyah", time.Time{})
	require.NotEmpty(t, fieldErrors(err), "zero instant: %v", err)
}

// CMP-7, COM-3: a removal dated before a rate change already made is bad input: it would end the
// listing under orders already resolved at the changed rate.
func TestRemoveBeforeAChange(t *testing.T) {
	o := list(t, "10%", on(1, 0))
	changed, err := ev.ChangeRate(o, commission.Terms{Rate: rate("12%")}, on(20, 0))
	require.NoError(t, err)
	_, err = ev.Remove(changed, on(5, 0))
	badInput(t, err, "at")
	removed, err := ev.Remove(changed, on(20, 0))
	require.NoError(t, err, "at the change's own instant")
	require.True(t, removed.Period.End.Equal(on(20, 0)))
}

// CMP-1: a Target offer whose period ends at or before its start never runs: bad input.
func TestTargetEmptyPeriod(t *testing.T) {
	tg := targetOffer()
	tg.Period.End = tg.Period.Start
	_, err := ev.Target(tg, tg.Period.Start)
	require.Contains(t, fields(err), "target.period")
}

// COM-9: a rate out of bounds on one product of a Target offer is bad input of this package,
// named by the product's place in the offer.
func TestTargetBadProductNamed(t *testing.T) {
	o := targetOffer()
	o.Products[1].Terms.Rate = rate("90%")
	_, err := ev.Target(o, on(2, 0))
	badInput(t, err, "target.products[1].terms.rate")
	for _, fe := range fieldErrors(err) {
		require.Equal(t, "campaign", fe.Pkg, "%v", fe)
	}
}

// ChangeRate and Remove of an offer read back from a commission.OfferStore are not dated before
// the offer's last change (Offer.Updated, set by the store): at that instant or after they are
// accepted.
func TestChangeBeforeLastStored(t *testing.T) {
	o := list(t, "10%", on(1, 0))
	o.Updated = on(5, 0) // as the store that kept it set it
	early := func(err error) {
		t.Helper()
		fes := fieldErrors(err)
		require.Len(t, fes, 1, "%v", err)
		require.Contains(t, fes[0].Field, "at")
		require.Contains(t, err.Error(), "is before the offer's last change")
	}
	_, err := ev.ChangeRate(o, commission.Terms{Rate: rate("12%")}, on(3, 0))
	early(err)
	_, err = ev.Remove(o, on(3, 0))
	early(err)
	_, err = ev.ChangeRate(o, commission.Terms{Rate: rate("12%")}, on(5, 0))
	require.NoError(t, err)
	_, err = ev.Remove(o, on(5, 0))
	require.NoError(t, err)
}

// Identifiers other calls refuse are refused by Request and Target too: a creator with a control
// character is bad input, not an approval or an offer.
func TestListingIDs(t *testing.T) {
	open := list(t, "10%", on(1, 0))
	for _, id := range []string{"", "ai\x00syah"} {
		st, d, err := ev.Request(open, id, on(10, 0))
		badInput(t, err, "creator")
		require.NotEqual(t, campaign.Approved, st)
		require.False(t, d.Allowed)

		o := targetOffer()
		o.Creators = []string{"aisyah", id}
		offers, err := ev.Target(o, on(2, 0))
		badInput(t, err, "target.creators[1]")
		require.Nil(t, offers)
	}
}

// A new Open listing's or Target offer's product is an identifier as a registration's is.
func TestListingProductIDs(t *testing.T) {
	long := strings.Repeat("p", 257)
	_, err := ev.List("o", affrules.MY, long, commission.Terms{Rate: rate("10%")}, on(1, 0))
	badInput(t, err, "product")
	_, err = ev.List("o", affrules.MY, "to\x00ner", commission.Terms{Rate: rate("10%")}, on(1, 0))
	badInput(t, err, "product")
	_, err = ev.List("open\x1b[31m", affrules.MY, "toner", commission.Terms{Rate: rate("10%")}, on(1, 0))
	badInput(t, err, "id")
	tgt := targetOffer()
	tgt.ID = "tgt\x00"
	_, err = ev.Target(tgt, on(2, 0))
	badInput(t, err, "target.id")
	o := targetOffer()
	o.Products[1].Product = "se\nrum"
	_, err = ev.Target(o, on(2, 0))
	badInput(t, err, "target.products[1].product")
}
