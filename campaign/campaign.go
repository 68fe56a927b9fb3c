package campaign

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/marketreg"
	"github.com/affrules/affrules/internal/shown"
)

// Initiator says who created an affiliate partner campaign (CMP-2). The zero value is not an
// initiator: a campaign naming it is refused.
type Initiator uint8

// The two kinds of partner campaign (CMP-2).
const (
	_ Initiator = iota
	// Agency is a campaign an affiliate partner creates; sellers of its audience register
	// products, which the partner reviews (CMP-5).
	Agency
	// Seller is a campaign a seller creates with its own products; once published, partners
	// of its audience join it (CMP-6).
	Seller
)

var initiatorNames = enum.Names[Initiator]{"", "agency", "seller"}

// String returns "agency" or "seller".
func (i Initiator) String() string { return initiatorNames.String("Initiator", i) }

// IsValid reports whether i is [Agency] or [Seller].
func (i Initiator) IsValid() bool { return i == Agency || i == Seller }

// MarshalText returns the initiator's name, or an error for an unknown one.
func (i Initiator) MarshalText() ([]byte, error) {
	if !i.IsValid() {
		return nil, fielderr.New(pkg, "initiator", int(i), "%w", affrules.ErrOutOfRange)
	}
	b, _ := initiatorNames.Text(i)
	return b, nil
}

// UnmarshalText parses an initiator's name.
func (i *Initiator) UnmarshalText(b []byte) error {
	v, ok := initiatorNames.Parse(b)
	if !ok || !v.IsValid() {
		return fielderr.New(pkg, "initiator", strconv.Quote(string(b)), "must be agency or seller")
	}
	*i = v
	return nil
}

// Status is where a registered product stands in the partner's review (CMP-5). The zero value
// is [Pending].
type Status uint8

// Review statuses (CMP-5): pending → approved or rejected, and nothing after that.
const (
	// Pending waits for the partner's review.
	Pending Status = iota
	// Approved products are promoted during the campaign period; their offer is live then.
	Approved
	// Rejected products take no part in the campaign.
	Rejected
)

var statusNames = enum.Names[Status]{"pending", "approved", "rejected"}

// String returns "pending", "approved" or "rejected".
func (s Status) String() string { return statusNames.String("Status", s) }

// MarshalText returns the status's name, or an error for an unknown one.
func (s Status) MarshalText() ([]byte, error) {
	b, ok := statusNames.Text(s)
	if !ok {
		return nil, fielderr.New(pkg, "status", int(s), "%w", affrules.ErrOutOfRange)
	}
	return b, nil
}

// UnmarshalText parses a status's name.
func (s *Status) UnmarshalText(b []byte) error {
	v, ok := statusNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "status", strconv.Quote(string(b)), "must be one of pending, approved, rejected")
	}
	*s = v
	return nil
}

// Audience says who may take part in a campaign (CMP-2, CMP-6): every seller (of an agency
// campaign) or partner (of a seller campaign), or only those listed. Exactly one of All and
// IDs is given.
type Audience struct {
	All bool     `json:"all,omitempty" strict:"optional"`
	IDs []string `json:"ids,omitempty" strict:"optional"`
}

// Includes reports whether the audience includes the seller or partner id.
func (a Audience) Includes(id string) bool { return id != "" && (a.All || slices.Contains(a.IDs, id)) }

// Match is a creator a partner matched to an approved product, from instant At on (COM-12).
type Match struct {
	Partner string    `json:"partner"`
	Creator string    `json:"creator"`
	At      time.Time `json:"at"`
}

// Participant is a partner that joined a seller's campaign, at instant Joined (CMP-6).
type Participant struct {
	Partner string    `json:"partner"`
	Joined  time.Time `json:"joined"`
}

// Registration is a product registered in a campaign (CMP-4) and where it stands (CMP-5). The
// seller gives Product, Seller, Rate, PartnerShare, Samples and Contact; the rules set the rest
// as actions are applied.
type Registration struct {
	Product string `json:"product"`
	// Seller is the seller (shop) whose product it is: the product's eligibility result must
	// name it as its shop.
	Seller string `json:"seller"`
	// Rate is the total commission rate for partner and creator (COM-7), meeting the
	// campaign's requirement (CMP-4: at or above it, or its part named by
	// [Policy.RequirementOf] is) and within the rate bounds (COM-9).
	Rate affrules.Rate `json:"rate"`
	// PartnerShare is the partner's share of the commission, 0%–100%; the creator gets the
	// rest (COM-7).
	PartnerShare affrules.Rate `json:"partner_share"`
	// Samples is the number of free samples approved automatically when the partner requests
	// them for creators (SMP-2); the seller may change it at any time ([SetSamples]).
	Samples int64 `json:"samples"`
	// Contact is the seller's contact information for the partner (required).
	Contact string `json:"contact"`
	// Registered is the instant of registration, set by [Register].
	Registered time.Time `json:"registered,omitzero" strict:"optional"`
	Status     Status    `json:"status" strict:"optional"`
	// Reviewed is the instant of the review, set by [Review]; a seller's own product is
	// approved when registered.
	Reviewed time.Time `json:"reviewed,omitzero" strict:"optional"`
	// Matches are the creators partners matched to the product, in order (COM-12).
	Matches []Match `json:"matches,omitempty" strict:"optional"`
	// Ended is when the product's participation ended on a permanent disqualification, or a
	// temporary one under [Policy.TemporaryEndsParticipation] ([Disqualify], ELG-11); zero while
	// it takes part. Its offers end then.
	Ended time.Time `json:"ended,omitzero" strict:"optional"`
}

// Campaign is an affiliate partner campaign (CMP-2, CMP-3) with the products registered in it
// and, for a seller's campaign, the partners that joined. A host fills in the terms; [Evaluator.Create]
// checks them and sets Created and Updated; every later change is an [Action] applied with
// [Evaluator.Apply]. Periods are half-open instants; [Dates] builds one from calendar days in
// the market's zone (MKT-2).
type Campaign struct {
	ID        string    `json:"id"`
	Initiator Initiator `json:"initiator"`
	// Owner is the partner who created an agency campaign, or the seller who created a seller
	// campaign.
	Owner       string              `json:"owner"`
	Market      affrules.MarketCode `json:"market"`
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty" strict:"optional"`
	// Contact is the owner's contact information (required).
	Contact string `json:"contact"`
	// Registration is when sellers register products in an agency campaign, or partners join
	// a seller campaign (CMP-4, CMP-6).
	Registration affrules.Period `json:"registration"`
	// Period is when approved products are promoted and their offers are live (CMP-5).
	Period affrules.Period `json:"period"`
	// Requirement is the least rate a product may be registered at (CMP-3): its total rate,
	// or the creator's or the partner's part of it ([Policy.RequirementOf]); zero for none,
	// else within the rate bounds (COM-9).
	Requirement affrules.Rate `json:"requirement,omitzero" strict:"optional"`
	// Audience is who may take part: the sellers of an agency campaign, the partners of a
	// seller campaign.
	Audience Audience `json:"audience"`
	// Preferences are a seller campaign's creator preferences, as text (CMP-6).
	Preferences string `json:"preferences,omitempty" strict:"optional"`

	// Created is when the campaign was created, and Updated when it last changed; the rules
	// set both.
	Created time.Time `json:"created,omitzero" strict:"optional"`
	Updated time.Time `json:"updated,omitzero" strict:"optional"`
	// Published is when a seller campaign was published ([Publish]); zero until then, and
	// always for an agency campaign, which its audience sees once created.
	Published time.Time      `json:"published,omitzero" strict:"optional"`
	Products  []Registration `json:"products,omitempty" strict:"optional"`
	Partners  []Participant  `json:"partners,omitempty" strict:"optional"`
}

// Limits on the text a campaign and a registration carry, in characters.
const (
	maxName    = 200
	maxText    = 5000 // description, preferences
	maxContact = 500
)

// registration returns the index of product's registration in c, or -1.
func (c *Campaign) registration(product string) int {
	return slices.IndexFunc(c.Products, func(r Registration) bool { return r.Product == product })
}

// joined returns the index of partner among the participants of c, or -1.
func (c *Campaign) joined(partner string) int {
	return slices.IndexFunc(c.Partners, func(p Participant) bool { return p.Partner == partner })
}

// clone returns a deep copy of c.
func (c Campaign) clone() Campaign {
	c.Audience.IDs = slices.Clone(c.Audience.IDs)
	c.Products = slices.Clone(c.Products)
	for i := range c.Products {
		c.Products[i].Matches = slices.Clone(c.Products[i].Matches)
	}
	c.Partners = slices.Clone(c.Partners)
	return c
}

// Create checks a new campaign's terms (CMP-2, CMP-3) at instant at and returns it with Created
// and Updated set to at. Every problem is reported at once as [*affrules.FieldError] values
// joined: an empty ID, owner, name or contact; an unknown initiator; a market that is not
// registered or where partner campaigns do not run ([Policy.Markets]); text that is not UTF-8
// or too long (name 200 characters, description and preferences 5000, contact 500); a period
// out of the library's bounds, empty or inverted; registration starting after the campaign or
// ending after its end ([Policy.RegistrationWithinCampaign]); a requirement outside the rate
// bounds; an audience that is neither all nor a list of distinct IDs; preferences on an agency
// campaign; a campaign period or a registration period that has ended by at, or a registration
// period that opens only once the campaign is over; and anything the rules set (products,
// partners, the instants) given already.
func (e *Evaluator) Create(c Campaign, at time.Time) (Campaign, error) {
	if err := e.ready(); err != nil {
		return Campaign{}, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	e.checkTerms(l, &c, true)
	if !c.Created.IsZero() {
		l.Add("campaign.created", stamp(c.Created), "is set by the rules: leave it out")
	}
	if !c.Updated.IsZero() {
		l.Add("campaign.updated", stamp(c.Updated), "is set by the rules: leave it out")
	}
	if !c.Published.IsZero() {
		l.Add("campaign.published", stamp(c.Published), "is set when the campaign is published (%s): leave it out", RuleSellerCampaigns)
	}
	if len(c.Products) > 0 {
		l.Add("campaign.products", len(c.Products), "are registered after creation (%s): leave them out", RuleRegistration)
	}
	if len(c.Partners) > 0 {
		l.Add("campaign.partners", len(c.Partners), "join after publication (%s): leave them out", RuleSellerCampaigns)
	}
	// A campaign that has ended, or whose registration (for a seller campaign, the partners'
	// joining) has closed, by its creation would never run or never take a product or a
	// partner: careless dates, not a campaign.
	if bounds.InRange(at) && !c.Period.End.IsZero() && !at.Before(c.Period.End) {
		l.Add("campaign.period.end", stamp(c.Period.End), "is not after the creation at %s: the campaign would never run (%s)", stamp(at), RuleTerms)
	}
	if bounds.InRange(at) && !c.Registration.End.IsZero() && !at.Before(c.Registration.End) {
		l.Add("campaign.registration.end", stamp(c.Registration.End), "is not after the creation at %s: registration would never be open (%s)", stamp(at), RuleTerms)
	}
	// Reachable only with Policy.RegistrationWithinCampaign false (otherwise registration starts
	// no later than the campaign). Checked here, not with the terms every action reads, so that
	// a campaign stored before the check still reads.
	if bounds.InRange(c.Registration.Start) && bounds.InRange(c.Registration.End) && bounds.InRange(c.Period.Start) && bounds.InRange(c.Period.End) &&
		c.Registration.Start.Before(c.Registration.End) && c.Period.Start.Before(c.Period.End) && !c.Registration.Start.Before(c.Period.End) {
		l.Add("campaign.registration.start", stamp(c.Registration.Start), "is not before the campaign's end %s: registration would open only once it is over (%s)", stamp(c.Period.End), RuleTerms)
	}
	if err := l.Err(); err != nil {
		return Campaign{}, err
	}
	c = c.clone()
	c.Created, c.Updated = at, at
	return c, nil
}

// checkTerms adds every problem of the terms of c (what its creator gives) to l, those of its
// audience's entries (each a storable ID, none repeated) only with entries set.
func (e *Evaluator) checkTerms(l *fielderr.List, c *Campaign, entries bool) {
	l.Append(bounds.ID(pkg, "campaign.id", c.ID))
	if !c.Initiator.IsValid() {
		l.Add("campaign.initiator", int(c.Initiator), "must be agency or seller (%s): %w", RuleInitiators, affrules.ErrOutOfRange)
	}
	l.Append(bounds.ID(pkg, "campaign.owner", c.Owner))
	if _, _, ok := marketreg.Lookup(string(c.Market)); !ok { // without copying the market
		l.Add("campaign.market", strconv.Quote(string(c.Market)), "%w", affrules.ErrUnknownMarket)
	} else if !e.runs(c.Market) {
		l.Add("campaign.market", c.Market, "partner campaigns do not run in this market (policy markets %v): %w", e.markets, affrules.ErrUnknownMarket)
	}
	text(l, "campaign.name", c.Name, maxName, true, false)
	text(l, "campaign.description", c.Description, maxText, false, true)
	text(l, "campaign.contact", c.Contact, maxContact, true, false)
	text(l, "campaign.preferences", c.Preferences, maxText, false, true)
	if c.Preferences != "" && c.Initiator == Agency {
		l.Add("campaign.preferences", strconv.Quote(c.Preferences), "are only for seller campaigns (%s)", RuleSellerCampaigns)
	}
	regOK := period(l, "campaign.registration", c.Registration)
	campOK := period(l, "campaign.period", c.Period)
	if regOK && campOK && e.policy.RegistrationWithinCampaign {
		if c.Registration.Start.After(c.Period.Start) {
			l.Add("campaign.registration.start", stamp(c.Registration.Start), "is after the campaign's start %s: registration starts no later than the campaign (%s)", stamp(c.Period.Start), RuleTerms)
		}
		if c.Registration.End.After(c.Period.End) {
			l.Add("campaign.registration.end", stamp(c.Registration.End), "is after the campaign's end %s: registration ends no later than the campaign (%s)", stamp(c.Period.End), RuleTerms)
		}
	}
	if !c.Requirement.IsZero() {
		e.bound(l, "campaign.requirement", c.Requirement)
	}
	switch {
	case c.Audience.All && len(c.Audience.IDs) > 0:
		l.Add("campaign.audience.ids", len(c.Audience.IDs), "must be left out when the audience is all (%s)", RuleInitiators)
	case !c.Audience.All && len(c.Audience.IDs) == 0:
		l.Add("campaign.audience", "{}", "must be all or list at least one ID (%s)", RuleInitiators)
	}
	if entries {
		distinct(l, "campaign.audience.ids", c.Audience.IDs)
	}
}

// distinct adds a problem to l for each empty or repeated entry of list, field naming it.
func distinct(l *fielderr.List, field string, list []string) {
	var seen map[string]struct{}
	if len(list) > smallList {
		seen = make(map[string]struct{}, len(list))
	}
	for i, id := range list {
		dup := false
		if seen != nil {
			_, dup = seen[id]
			seen[id] = struct{}{}
		} else {
			dup = slices.Contains(list[:i], id)
		}
		switch {
		case !bounds.IDOK(id):
			l.Append(bounds.ID(pkg, index(field, i), id))
		case dup:
			l.Add(index(field, i), id, "is listed twice")
		}
	}
}

// smallList is the length up to which repeated entries are found by comparing each with those
// before it; longer lists use a map, so that no list makes a check quadratic.
const smallList = 16

// index returns field[i].
func index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// checkCampaign adds to l every problem of c as [Evaluator.Apply] is given it: not made by
// [Evaluator.Create], terms the rules refuse, or a state the rules cannot have produced (a
// campaign decoded from a store or written by hand): registrations without a product, seller
// or instant, repeated, at rates outside the bounds, reviewed without a review instant, ended
// before they were made, with matches on unapproved products, before the approval, naming no
// partner or creator or repeating a partner's match of a creator;
// participants that are repeated or in an agency campaign; instants out of bounds or after the
// last change. Field names are built only for the problems found.
func (e *Evaluator) checkCampaign(l *fielderr.List, c *Campaign) { e.checkHead(l, c, true) }

// checkHead adds to l the problems of c's terms and its own instants, and with state set those
// of its audience's entries, its registrations and its participants too.
func (e *Evaluator) checkHead(l *fielderr.List, c *Campaign, state bool) {
	if c.Created.IsZero() {
		l.Add("campaign.created", "", "is not set: build the campaign with Create")
	}
	e.checkTerms(l, c, state)
	// bad reports whether instant t is out of bounds or after the last change; report adds
	// the problem.
	bad := func(t time.Time) bool { return !bounds.InRange(t) || t.After(c.Updated) }
	report := func(field string, t time.Time) {
		if err := bounds.Instant(pkg, field, t); err != nil {
			l.Append(err)
		} else {
			l.Add(field, stamp(t), "is after the campaign's last change at %s", stamp(c.Updated))
		}
	}
	if !c.Created.IsZero() {
		if bad(c.Created) {
			report("campaign.created", c.Created)
		}
		if c.Updated.Before(c.Created) {
			l.Add("campaign.updated", stamp(c.Updated), "is before its creation at %s", stamp(c.Created))
		}
	}
	if !c.Published.IsZero() {
		if bad(c.Published) {
			report("campaign.published", c.Published)
		}
		if c.Initiator != Seller {
			l.Add("campaign.published", stamp(c.Published), "is only for seller campaigns (%s)", RuleSellerCampaigns)
		}
	}
	if state {
		e.checkState(l, c, bad, report)
	}
}

// checkState adds to l the problems of the registrations and participants of c, bad and report
// judging and reporting their instants as [Evaluator.checkCampaign] does.
func (e *Evaluator) checkState(l *fielderr.List, c *Campaign, bad func(time.Time) bool, report func(string, time.Time)) {
	var seen map[string]struct{}
	if len(c.Products) > smallList {
		seen = make(map[string]struct{}, len(c.Products))
	}
	inAudience, joinedAt := c.Audience.Includes, c.joined // long lists through maps, built once
	if len(c.Audience.IDs) > smallList && !c.Audience.All {
		ids := make(map[string]struct{}, len(c.Audience.IDs))
		for _, id := range c.Audience.IDs {
			ids[id] = struct{}{}
		}
		inAudience = func(id string) bool { _, ok := ids[id]; return ok && id != "" }
	}
	if len(c.Partners) > smallList {
		first := make(map[string]int, len(c.Partners))
		for k := len(c.Partners) - 1; k >= 0; k-- { // the first of a partner listed twice, as joined
			first[c.Partners[k].Partner] = k
		}
		joinedAt = func(partner string) int {
			if k, ok := first[partner]; ok {
				return k
			}
			return -1
		}
	}
	for i := range c.Products {
		r := &c.Products[i]
		f := func(leaf string) string { return index("campaign.products", i) + "." + leaf }
		dup := false
		if seen != nil {
			_, dup = seen[r.Product]
			seen[r.Product] = struct{}{}
		} else {
			dup = slices.ContainsFunc(c.Products[:i], func(x Registration) bool { return x.Product == r.Product })
		}
		switch {
		case r.Product == "":
			l.Add(f("product"), "", "must not be empty")
		case dup:
			l.Add(f("product"), r.Product, "is registered twice (%s)", RuleRegistration)
		}
		if r.Seller == "" {
			l.Add(f("seller"), "", "must not be empty")
		}
		if r.Rate.Cmp(e.rule.MinRate) < 0 || r.Rate.Cmp(e.rule.MaxRate) > 0 {
			e.bound(l, f("rate"), r.Rate)
		}
		if r.Samples < 0 {
			l.Add(f("samples"), r.Samples, "%w", affrules.ErrNegative)
		}
		switch {
		case bad(r.Registered):
			report(f("registered"), r.Registered)
		case r.Registered.Before(c.Created):
			l.Add(f("registered"), stamp(r.Registered), "is before the campaign's creation at %s", stamp(c.Created))
		}
		// The total rate, whatever the policy's RequirementOf: a part is never more than it, and
		// a registration made under another reading still stands.
		if r.Rate.Cmp(c.Requirement) < 0 {
			l.Add(f("rate"), r.Rate, "is below the campaign's requirement %s (%s)", c.Requirement, RuleRegistration)
		}
		if c.Initiator == Agency && !inAudience(r.Seller) {
			l.Add(f("seller"), r.Seller, "is not in the campaign's audience (%s)", RuleInitiators)
		}
		switch {
		case r.Status > Rejected:
			l.Add(f("status"), int(r.Status), "%w", affrules.ErrOutOfRange)
		case r.Status == Pending && !r.Reviewed.IsZero():
			l.Add(f("reviewed"), stamp(r.Reviewed), "is set on a pending product (%s)", RuleReview)
		case r.Status != Pending && bad(r.Reviewed):
			report(f("reviewed"), r.Reviewed)
		case r.Status != Pending && r.Reviewed.Before(r.Registered):
			l.Add(f("reviewed"), stamp(r.Reviewed), "is before the registration at %s (%s)", stamp(r.Registered), RuleReview)
		}
		if len(r.Matches) > 0 && r.Status != Approved {
			l.Add(f("matches"), len(r.Matches), "are only for approved products (%s)", RuleReview)
		}
		var pairs map[[2]string]struct{} // a long list's partner and creator pairs, for repeats
		if len(r.Matches) > smallList {
			pairs = make(map[[2]string]struct{}, len(r.Matches))
		}
		for j, m := range r.Matches {
			g := func(leaf string) string { return index(f("matches"), j) + "." + leaf }
			repeat := false // CMP-5: a partner matches a creator to a product once
			if pairs != nil {
				k := [2]string{m.Partner, m.Creator}
				_, repeat = pairs[k]
				pairs[k] = struct{}{}
			} else {
				repeat = slices.ContainsFunc(r.Matches[:j], func(x Match) bool { return x.Partner == m.Partner && x.Creator == m.Creator })
			}
			switch {
			case m.Partner == "":
				l.Add(g("partner"), "", "must not be empty")
			case c.Initiator == Agency && m.Partner != c.Owner:
				l.Add(g("partner"), m.Partner, "is not the campaign's owner %s (%s)", c.Owner, RuleReview)
			case c.Initiator == Seller:
				if k := joinedAt(m.Partner); k < 0 || m.At.Before(c.Partners[k].Joined) {
					l.Add(g("partner"), m.Partner, "had not joined the campaign at the match (%s)", RuleSellerCampaigns)
				}
			}
			switch {
			case m.Creator == "":
				l.Add(g("creator"), "", "must not be empty")
			case repeat:
				l.Add(g("creator"), m.Creator, "is matched twice by partner %s (%s)", m.Partner, RuleReview)
			}
			switch {
			case bad(m.At):
				report(g("at"), m.At)
			case m.At.Before(r.Reviewed):
				l.Add(g("at"), stamp(m.At), "is before the approval at %s (%s)", stamp(r.Reviewed), RuleReview)
			}
		}
		switch {
		case r.Ended.IsZero():
		case bad(r.Ended):
			report(f("ended"), r.Ended)
		case r.Ended.Before(r.Registered):
			l.Add(f("ended"), stamp(r.Ended), "is before the registration at %s (%s)", stamp(r.Registered), RuleLaterDisqualification)
		}
	}
	if len(c.Partners) > 0 && c.Initiator != Seller {
		l.Add("campaign.partners", len(c.Partners), "join seller campaigns only (%s)", RuleSellerCampaigns)
	}
	joined := make(map[string]struct{}, len(c.Partners))
	for i, p := range c.Partners {
		_, dup := joined[p.Partner]
		joined[p.Partner] = struct{}{}
		switch {
		case p.Partner == "":
			l.Add(index("campaign.partners", i)+".partner", "", "must not be empty")
		case dup:
			l.Add(index("campaign.partners", i)+".partner", p.Partner, "joined twice (%s)", RuleSellerCampaigns)
		}
		if bad(p.Joined) {
			report(index("campaign.partners", i)+".joined", p.Joined)
		}
	}
}

// bound adds a problem to l if rate r is outside the commission rate bounds (COM-9).
func (e *Evaluator) bound(l *fielderr.List, field string, r affrules.Rate) {
	if r.Cmp(e.rule.MinRate) < 0 || r.Cmp(e.rule.MaxRate) > 0 {
		l.Add(field, r, "must be between %s and %s (COM-9): %w", e.rule.MinRate, e.rule.MaxRate, affrules.ErrOutOfRange)
	}
}

// text adds a problem to l if s, a text shown to other parties, is empty when required or not
// fit to be shown ([shown.Problem]: not UTF-8, a control character (but tab, line feed and
// carriage return where lines allows), a bidirectional control, nothing visible, more than max
// characters).
func text(l *fielderr.List, field, s string, max int, required, lines bool) {
	if s == "" && required {
		l.Add(field, "", "must not be empty")
	} else if value, problem := shown.Problem(s, max, lines); problem != "" {
		l.Add(field, value, "%s", problem)
	}
}

// period adds the problems of p to l: an instant out of bounds, an end not after the start. It
// reports whether p is well formed.
func period(l *fielderr.List, field string, p affrules.Period) bool {
	if bounds.InRange(p.Start) && bounds.InRange(p.End) && p.End.After(p.Start) {
		return true
	}
	n := l.Len()
	l.Append(bounds.Instant(pkg, field+".start", p.Start))
	l.Append(bounds.Instant(pkg, field+".end", p.End))
	if l.Len() == n && !p.End.After(p.Start) {
		if p.End.Before(p.Start) {
			l.Add(field, p.String(), "%w", affrules.ErrInvertedPeriod)
		} else {
			l.Add(field, p.String(), "must not be empty")
		}
	}
	return l.Len() == n
}

func stamp(t time.Time) string { return t.Format(time.RFC3339Nano) }

// Dates returns the period of calendar days first to last, both included, in market m's time
// zone (MKT-2): from first's local midnight to the local midnight after last. Dates are
// written 2006-01-02.
func Dates(m affrules.MarketCode, first, last string) (affrules.Period, error) {
	mk, err := affrules.LookupMarket(m)
	if err != nil {
		return affrules.Period{}, fielderr.New(pkg, "market", strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
	}
	loc := mk.Location()
	l := fielderr.For(pkg)
	day := func(field, s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			l.Add(field, strconv.Quote(s), "must be a date written 2006-01-02")
			return time.Time{}
		}
		// Noon of that day in the zone: midnight may not exist where DST starts at midnight.
		noon := time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc)
		// The period starts at the first day's midnight and ends at the midnight after the
		// last: both must be in bounds.
		edge := mk.Day(noon).Start
		if field == "last" {
			edge = mk.Day(noon).End
		}
		l.Append(bounds.Instant(pkg, field, edge))
		return noon
	}
	f, t := day("first", first), day("last", last)
	if err := l.Err(); err != nil {
		return affrules.Period{}, err
	}
	if t.Before(f) {
		return affrules.Period{}, fielderr.New(pkg, "last", last, "is before first %s: %w", first, affrules.ErrInvertedPeriod)
	}
	return affrules.Period{Start: mk.Day(f).Start, End: mk.Day(t).End}, nil
}

// meets reports whether registration r meets campaign c's commission requirement (CMP-3,
// CMP-4), and gives the rate compared with it: r's total rate, or the creator's or the
// partner's part of it ([Policy.RequirementOf]), exactly; a part is given rounded down to a
// Rate's nine decimal places, so one below the requirement never shows as reaching it.
func (e *Evaluator) meets(c *Campaign, r *Registration) (bool, affrules.Rate) {
	var share decimal.Decimal
	switch e.policy.RequirementOf {
	case RequirementOfCreator:
		share = decimal.NewFromInt(1).Sub(r.PartnerShare.Decimal())
	case RequirementOfPartner:
		share = r.PartnerShare.Decimal()
	default: // total
		return r.Rate.Cmp(c.Requirement) >= 0, r.Rate
	}
	part := r.Rate.Decimal().Mul(share)
	down, err := affrules.RateFromDecimal(part.Truncate(9))
	if err != nil { // a rate or share out of range, which the checks report
		down = r.Rate
	}
	return part.Cmp(c.Requirement.Decimal()) >= 0, down
}

// belowKey is the message key of a rate below a campaign's requirement under the policy's
// RequirementOf.
func (e *Evaluator) belowKey() affrules.MessageKey {
	switch e.policy.RequirementOf {
	case RequirementOfCreator:
		return keyCreatorBelowRequirement
	case RequirementOfPartner:
		return keyPartnerBelowRequirement
	}
	return keyBelowRequirement
}
