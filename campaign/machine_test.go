package campaign_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
)

// machModel is the plain model of one campaign: the campaign it must be, kept by the rules of
// SPEC §7 written out one by one. Each method returns the reasons ("rule key") an action must
// be refused with, or bad when it is bad input, and the change it makes when accepted.
type machModel struct {
	want campaign.Campaign
}

func (m *machModel) agency() bool { return m.want.Initiator == campaign.Agency }

func (m *machModel) inAudience(id string) bool {
	return m.want.Audience.All || slices.Contains(m.want.Audience.IDs, id)
}

func (m *machModel) product(p string) *campaign.Registration {
	for i := range m.want.Products {
		if m.want.Products[i].Product == p {
			return &m.want.Products[i]
		}
	}
	return nil
}

func (m *machModel) hasJoined(partner string) bool {
	return slices.ContainsFunc(m.want.Partners, func(p campaign.Participant) bool { return p.Partner == partner })
}

// CMP-4, ELG-9: inside the registration period (an agency campaign) or before the campaign's
// end (a seller campaign, whose owner registers), by a seller of the audience, at a rate
// meeting the requirement, an eligible product, once. A seller's own products are approved as
// registered (CMP-6).
func (m *machModel) register(r campaign.Registration, state eligibility.State, at time.Time) (reasons []string, bad bool, apply func()) {
	c := &m.want
	if r.Samples < 0 {
		return nil, true, nil
	}
	if m.agency() {
		if !m.inAudience(r.Seller) {
			reasons = append(reasons, "CMP-2 campaign.cmp2.not_in_audience")
		}
		if at.Before(c.Registration.Start) {
			reasons = append(reasons, "CMP-4 campaign.cmp4.not_open_yet")
		}
		if !at.Before(c.Registration.End) {
			reasons = append(reasons, "CMP-4 campaign.cmp4.closed")
		}
		if !at.Before(c.Period.End) {
			reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
		}
	} else {
		if r.Seller != c.Owner {
			reasons = append(reasons, "CMP-2 campaign.cmp2.not_owner")
		}
		if !c.Published.IsZero() {
			reasons = append(reasons, "CMP-6 campaign.cmp6.published")
		}
		if !at.Before(c.Period.End) {
			reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
		}
	}
	if r.Rate.Cmp(c.Requirement) < 0 {
		reasons = append(reasons, "CMP-4 campaign.cmp4.below_requirement")
	}
	if state != eligibility.Eligible {
		reasons = append(reasons, "ELG-9 campaign.elg9.ineligible")
	}
	if m.product(r.Product) != nil {
		reasons = append(reasons, "CMP-4 campaign.cmp4.registered")
	}
	return reasons, false, func() {
		r.Registered = at
		if !m.agency() {
			r.Status, r.Reviewed = campaign.Approved, at
		}
		c.Products = append(c.Products, r)
	}
}

// CMP-5: the owner of an agency campaign reviews a pending product once, before the campaign
// ends.
func (m *machModel) review(partner, product string, approve bool, at time.Time) (reasons []string, apply func()) {
	if !m.agency() {
		return []string{"CMP-2 campaign.cmp2.wrong_initiator"}, nil
	}
	if partner != m.want.Owner {
		reasons = append(reasons, "CMP-2 campaign.cmp2.not_owner")
	}
	r := m.product(product)
	switch {
	case r == nil:
		reasons = append(reasons, "CMP-5 campaign.cmp5.not_registered")
	case r.Status != campaign.Pending:
		reasons = append(reasons, "CMP-5 campaign.cmp5.wrong_status")
	}
	if !at.Before(m.want.Period.End) {
		reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
	}
	return reasons, func() {
		r.Status, r.Reviewed = campaign.Rejected, at
		if approve {
			r.Status = campaign.Approved
		}
	}
}

// CMP-5, COM-12: the owner of an agency campaign, or a partner that joined a seller campaign,
// matches creators to an approved product before the campaign ends, each creator once.
func (m *machModel) match(partner, product string, creators []string, at time.Time) (reasons []string, apply func()) {
	switch {
	case m.agency() && partner != m.want.Owner:
		reasons = append(reasons, "CMP-2 campaign.cmp2.not_owner")
	case !m.agency() && !m.hasJoined(partner):
		reasons = append(reasons, "CMP-6 campaign.cmp6.not_joined")
	}
	r := m.product(product)
	switch {
	case r == nil:
		reasons = append(reasons, "CMP-5 campaign.cmp5.not_registered")
	case r.Status != campaign.Approved:
		reasons = append(reasons, "CMP-5 campaign.cmp5.wrong_status")
	}
	if !at.Before(m.want.Period.End) {
		reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
	}
	if r != nil {
		for _, cr := range creators {
			// CMP-6: one partner matches a creator to a product; the first match holds.
			switch i := slices.IndexFunc(r.Matches, func(x campaign.Match) bool { return x.Creator == cr }); {
			case i < 0:
			case r.Matches[i].Partner == partner:
				reasons = append(reasons, "CMP-5 campaign.cmp5.matched")
			case !m.agency(): // an agency campaign's owner alone matches (CMP-2)
				reasons = append(reasons, "CMP-6 campaign.cmp6.matched_by_other")
			}
		}
	}
	return reasons, func() {
		for _, cr := range creators {
			r.Matches = append(r.Matches, campaign.Match{Partner: partner, Creator: cr, At: at})
		}
	}
}

// CMP-6: the owner publishes a seller campaign with a product, once, before registration
// closes.
func (m *machModel) publish(seller string, at time.Time) (reasons []string, apply func()) {
	if m.agency() {
		return []string{"CMP-2 campaign.cmp2.wrong_initiator"}, nil
	}
	if seller != m.want.Owner {
		reasons = append(reasons, "CMP-2 campaign.cmp2.not_owner")
	}
	if !m.want.Published.IsZero() {
		reasons = append(reasons, "CMP-6 campaign.cmp6.published")
	}
	if len(m.want.Products) == 0 {
		reasons = append(reasons, "CMP-6 campaign.cmp6.no_products")
	}
	if !at.Before(m.want.Registration.End) {
		reasons = append(reasons, "CMP-6 campaign.cmp6.closed")
	}
	if !at.Before(m.want.Period.End) {
		reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
	}
	return reasons, func() { m.want.Published = at }
}

// CMP-6: a partner of the audience joins a published seller campaign inside the registration
// period, once.
func (m *machModel) join(partner string, at time.Time) (reasons []string, apply func()) {
	c := &m.want
	if m.agency() {
		return []string{"CMP-2 campaign.cmp2.wrong_initiator"}, nil
	}
	if c.Published.IsZero() {
		reasons = append(reasons, "CMP-6 campaign.cmp6.not_published")
	}
	if !m.inAudience(partner) {
		reasons = append(reasons, "CMP-6 campaign.cmp6.not_in_audience")
	}
	if at.Before(c.Registration.Start) {
		reasons = append(reasons, "CMP-6 campaign.cmp6.not_open_yet")
	}
	if !at.Before(c.Registration.End) {
		reasons = append(reasons, "CMP-6 campaign.cmp6.closed")
	}
	if !at.Before(c.Period.End) {
		reasons = append(reasons, "CMP-5 campaign.cmp5.campaign_over")
	}
	if m.hasJoined(partner) {
		reasons = append(reasons, "CMP-6 campaign.cmp6.joined")
	}
	return reasons, func() { c.Partners = append(c.Partners, campaign.Participant{Partner: partner, Joined: at}) }
}

// SMP-2: the seller who registered a product sets its sample quantity, at any time.
func (m *machModel) samples(seller, product string, n int64) (reasons []string, bad bool, apply func()) {
	if n < 0 {
		return nil, true, nil
	}
	r := m.product(product)
	switch {
	case r == nil:
		reasons = append(reasons, "CMP-5 campaign.cmp5.not_registered")
	case r.Seller != seller:
		reasons = append(reasons, "CMP-4 campaign.cmp4.not_seller")
	}
	return reasons, false, func() { r.Samples = n }
}

// machine is the state machine of one campaign's registrations, review, matches, publication
// and joins (CMP-4, CMP-5, CMP-6, SMP-2), agency or seller, driven through Evaluator.Apply and
// a Memory store side by side and compared with machModel after every step: accepted actions
// make the model's campaign, refused ones name the model's reasons and change nothing, bad
// input (a negative sample quantity, an instant before the campaign's last change) is a
// FieldError and changes nothing.
func machine(t *rapid.T) {
	ctx := context.Background()
	c, h := genCampaign(t)
	terms := c
	terms.Created, terms.Updated = time.Time{}, time.Time{}
	store := campaign.NewMemory()
	if _, err := store.Create(ctx, propEval, terms, c.Created); err != nil {
		t.Fatal(err)
	}
	model := &machModel{want: c}
	model.want.Audience.IDs = slices.Clone(c.Audience.IDs)
	clock := c.Created
	var ahead []time.Time // the boundaries of the periods and their last instants
	for _, b := range []time.Time{propHour(0), propHour(h.regEnd), propHour(h.runStart), propHour(h.runEnd)} {
		ahead = append(ahead, b.Add(-time.Nanosecond), b)
	}
	slices.SortFunc(ahead, time.Time.Compare)

	// when draws the instant of the next action: the clock, moved on by nothing, an hour, a
	// day or to the next boundary; or, sometimes, an instant before the campaign's last change.
	when := func(t *rapid.T) time.Time {
		switch rapid.IntRange(0, 9).Draw(t, "clock") {
		case 5, 6, 7:
			clock = clock.Add(time.Hour)
		case 8:
			clock = clock.Add(24 * time.Hour)
		case 4:
			if i := slices.IndexFunc(ahead, clock.Before); i >= 0 {
				clock = ahead[i]
			} else {
				clock = clock.Add(24 * time.Hour)
			}
		case 9:
			if sometimes(t, "backwards", 3) { // must be refused as bad input
				return model.want.Updated.Add(-rapid.SampledFrom([]time.Duration{time.Nanosecond, time.Hour, 30 * 24 * time.Hour}).Draw(t, "back"))
			}
			clock = clock.Add(time.Nanosecond)
		}
		return clock
	}

	// step applies a at at to the campaign and the store and checks both against the model.
	step := func(t *rapid.T, name string, a campaign.Action, at time.Time, reasons []string, bad bool, apply func()) {
		if at.Before(model.want.Updated) { // instants only move forward
			reasons, bad = nil, true
		}
		got, err := propEval.Apply(c, a, at)
		stored, serr := store.Apply(ctx, propEval, c.ID, a, at)
		for _, e := range []error{err, serr} {
			var refusal *affrules.Refusal
			var fe *affrules.FieldError
			switch {
			case bad:
				if !errors.As(e, &fe) || errors.Is(e, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a FieldError", a, at, e)
				}
			case len(reasons) > 0:
				if !errors.As(e, &refusal) || !errors.Is(e, affrules.ErrRefused) {
					t.Fatalf("%v at %v: error %v, want a refusal for %v", a, at, e, reasons)
				}
				if diff := cmp.Diff(sortedKeys(reasons), reasonKeys(refusal.Decision.Reasons)); diff != "" {
					t.Fatalf("%v at %v: reasons (-want +got):\n%s", a, at, diff)
				}
				var next time.Time
				if len(reasons) == 1 && slices.Contains([]string{"CMP-4 campaign.cmp4.not_open_yet", "CMP-6 campaign.cmp6.not_open_yet"}, reasons[0]) {
					next = model.want.Registration.Start
				}
				if refusal.Action != name || !refusal.Decision.NextAllowed.Equal(next) {
					t.Fatalf("%v at %v: refusal of %q, next allowed %v; want %q, %v", a, at, refusal.Action, refusal.Decision.NextAllowed, name, next)
				}
			case e != nil:
				t.Fatalf("%v at %v: %v", a, at, e)
			}
		}
		if err != nil {
			if diff := cmp.Diff(c, got); diff != "" {
				t.Fatalf("%v at %v refused: the campaign returned is not the one given (-given +returned):\n%s", a, at, diff)
			}
			return
		}
		apply()
		model.want.Updated = at
		if diff := cmp.Diff(got, stored, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%v at %v: the store's campaign is not Apply's (-Apply +store):\n%s", a, at, diff)
		}
		c = got
	}

	// Draws of the usual actor or product, and sometimes of any other.
	usual := func(t *rapid.T, label, id string, pool []string) string {
		if id == "" || sometimes(t, label+".other", 5) {
			return rapid.SampledFrom(pool).Draw(t, label)
		}
		return id
	}
	pick := func(t *rapid.T, label string, ids []string) string {
		if len(ids) == 0 {
			return ""
		}
		return rapid.SampledFrom(ids).Draw(t, label+".usual")
	}
	audience := c.Audience.IDs
	if c.Audience.All {
		audience = propSellers[:3]
		if !model.agency() {
			audience = propPartners[:3]
		}
	}
	products := func(status ...campaign.Status) []string {
		var out []string
		for _, r := range model.want.Products {
			if len(status) == 0 || slices.Contains(status, r.Status) {
				out = append(out, r.Product)
			}
		}
		return out
	}

	register := func(t *rapid.T) {
		shop := c.Owner
		if model.agency() {
			shop = pick(t, "seller", audience)
		}
		p, shop := rapid.SampledFrom(propProducts[:4]).Draw(t, "product"), usual(t, "seller", shop, propSellers[:3])
		r := campaign.Registration{Product: p, Seller: shop, Rate: genRate(t, "rate", c.Requirement), PartnerShare: pct(rapid.IntRange(0, 100).Draw(t, "share")),
			Samples: int64(rapid.IntRange(0, 10).Draw(t, "samples")), Contact: "+60 3 1234"}
		if sometimes(t, "negative", 10) {
			r.Samples = -1
		}
		state := eligibility.Eligible
		if sometimes(t, "ineligible", 5) {
			state = rapid.SampledFrom([]eligibility.State{eligibility.TemporarilyDisqualified, eligibility.PermanentlyDisqualified}).Draw(t, "state")
		}
		at := when(t)
		reasons, bad, apply := model.register(r, state, at)
		step(t, "register", campaign.Register(r, resultOf(p, shop, state)), at, reasons, bad, apply)
	}
	review := func(t *rapid.T) {
		partner := usual(t, "partner", "a1", propPartners[:3])
		p := usual(t, "product", pick(t, "product", products(campaign.Pending)), propProducts[:4])
		approve := !sometimes(t, "reject", 3)
		at := when(t)
		reasons, apply := model.review(partner, p, approve, at)
		step(t, "review", campaign.Review(partner, p, approve), at, reasons, false, apply)
	}
	match := func(t *rapid.T) {
		partner := "a1"
		if !model.agency() {
			var joined []string
			for _, x := range model.want.Partners {
				joined = append(joined, x.Partner)
			}
			partner = pick(t, "partner", joined)
		}
		partner = usual(t, "partner", partner, propPartners[:3])
		p := usual(t, "product", pick(t, "product", products(campaign.Approved)), propProducts[:4])
		creators := rapid.SliceOfNDistinct(rapid.SampledFrom(propCreators[:3]), 1, 2, rapid.ID[string]).Draw(t, "creators")
		at := when(t)
		reasons, apply := model.match(partner, p, creators, at)
		step(t, "match", campaign.MatchCreators(partner, p, creators...), at, reasons, false, apply)
	}
	samples := func(t *rapid.T) {
		p := usual(t, "product", pick(t, "product", products()), propProducts[:4])
		shop := ""
		if r := model.product(p); r != nil {
			shop = r.Seller
		}
		shop = usual(t, "seller", shop, propSellers[:3])
		n := int64(rapid.IntRange(0, 10).Draw(t, "n"))
		if sometimes(t, "negative", 8) {
			n = -1
		}
		reasons, bad, apply := model.samples(shop, p, n)
		step(t, "set_samples", campaign.SetSamples(shop, p, n), when(t), reasons, bad, apply)
	}
	publish := func(t *rapid.T) {
		shop := usual(t, "seller", c.Owner, propSellers[:3])
		at := when(t)
		reasons, apply := model.publish(shop, at)
		step(t, "publish", campaign.Publish(shop), at, reasons, false, apply)
	}
	join := func(t *rapid.T) {
		partner := usual(t, "partner", pick(t, "partner", audience), propPartners[:3])
		at := when(t)
		reasons, apply := model.join(partner, at)
		step(t, "join", campaign.Join(partner), at, reasons, false, apply)
	}

	// A start that most runs share: products registered inside the registration period, then
	// reviewed, or published and joined.
	if !sometimes(t, "noStart", 4) {
		clock = propHour(rapid.IntRange(0, h.regEnd/2).Draw(t, "start"))
		for range rapid.IntRange(1, 3).Draw(t, "registrations") {
			register(t)
		}
		if model.agency() {
			review(t)
		} else {
			publish(t)
			join(t)
		}
	}

	check := func(t *rapid.T) {
		if diff := cmp.Diff(model.want, c, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("campaign (-model +got):\n%s", diff)
		}
		cs, err := store.Campaigns(ctx, "")
		if err != nil || len(cs) != 1 {
			t.Fatalf("store holds %d campaigns (%v), want 1", len(cs), err)
		}
		if diff := cmp.Diff(model.want, cs[0], cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("stored campaign (-model +got):\n%s", diff)
		}
	}

	actions := map[string]func(*rapid.T){
		"register": register,
		"match":    match,
		"samples":  samples,
		"":         check,
	}
	if model.agency() {
		actions["review"] = review
		actions["seller's"] = func(t *rapid.T) { // only for seller campaigns (CMP-6)
			if rapid.Bool().Draw(t, "publish") {
				publish(t)
			} else {
				join(t)
			}
		}
	} else {
		actions["publish"], actions["join"] = publish, join
		actions["review"] = review // only for agency campaigns (CMP-5)
	}
	t.Repeat(actions)
}
func sortedKeys(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return out
}

// CMP-4, CMP-5, CMP-6, SMP-2: registrations, the review, matches, publication and joins of
// agency and seller campaigns, applied with Evaluator.Apply and through a Memory store, agree
// with the plain model at every step.
func TestMachine_CMP5(t *testing.T) { rapid.Check(t, machine) }

// FuzzMachine drives the state machine of TestMachine_CMP5 from fuzzed bytes
// (rapid.MakeFuzz). Every input must finish within machineLimit.
func FuzzMachine(f *testing.F) {
	run := rapid.MakeFuzz(machine)
	f.Fuzz(func(t *testing.T, b []byte) { deadline.Within(t, machineLimit, func() { run(t, b) }) })
}

// machineLimit is the per-input deadline of FuzzMachine: one input is a whole run of the
// machine, a few dozen actions taking milliseconds, ten times more under the race detector.
const machineLimit = 10 * time.Second
