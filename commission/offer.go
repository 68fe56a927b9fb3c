package commission

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/strictjson"
)

// Source is a rate source (COM-2). The zero value is not a source: an offer or policy naming it
// is refused.
type Source uint8

// The rate sources of COM-2. The shop-ads rate is not a source of its own: it is a rate an offer
// of any source may carry ([Terms.ShopAds]).
const (
	_ Source = iota
	// Open is Open Collaboration: the product's standard rate, for every creator.
	Open
	// Target is Target Collaboration: a rate offered to listed creators.
	Target
	// CollabPlus is a Collaboration Plus exclusive rate, for the members of the collaboration.
	CollabPlus
	// Partner is an affiliate-partner campaign: a total rate split between partner and creator.
	Partner
)

var sourceNames = enum.Names[Source]{"", "OPEN", "TARGET", "COLLAB_PLUS", "PARTNER"}

// String returns "OPEN", "TARGET", "COLLAB_PLUS" or "PARTNER".
func (s Source) String() string { return sourceNames.String("Source", s) }

// IsValid reports whether s is one of the four sources.
func (s Source) IsValid() bool { return s >= Open && s <= Partner }

// MarshalText returns the source's name, or an error for an unknown source.
func (s Source) MarshalText() ([]byte, error) {
	if !s.IsValid() {
		return nil, fielderr.New(pkg, "source", int(s), "%w", affrules.ErrOutOfRange)
	}
	b, _ := sourceNames.Text(s)
	return b, nil
}

// UnmarshalText parses a source's name.
func (s *Source) UnmarshalText(b []byte) error {
	v, ok := sourceNames.Parse(b)
	if !ok || !v.IsValid() {
		return fielderr.New(pkg, "source", strconv.Quote(string(b)), "must be one of OPEN, TARGET, COLLAB_PLUS, PARTNER")
	}
	*s = v
	return nil
}

// Coverage says which creators an offer covers. The zero value is not a coverage.
type Coverage uint8

// Coverages. Each source has one: Open covers everyone, Target and Partner listed creators (for
// Partner, the creators the partner matched to the product, COM-12), Collaboration Plus its
// members with their join instants.
const (
	_ Coverage = iota
	// Everyone covers every creator.
	Everyone
	// Listed covers the creators of [Offer.Creators].
	Listed
	// Members covers the members of [Offer.Members] from their join instants.
	Members
)

var coverageNames = enum.Names[Coverage]{"", "everyone", "listed", "members"}

// String returns "everyone", "listed" or "members".
func (c Coverage) String() string { return coverageNames.String("Coverage", c) }

// MarshalText returns the coverage's name, or an error for an unknown one.
func (c Coverage) MarshalText() ([]byte, error) {
	if c < Everyone || c > Members {
		return nil, fielderr.New(pkg, "coverage", int(c), "%w", affrules.ErrOutOfRange)
	}
	b, _ := coverageNames.Text(c)
	return b, nil
}

// UnmarshalText parses a coverage's name.
func (c *Coverage) UnmarshalText(b []byte) error {
	v, ok := coverageNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "coverage", strconv.Quote(string(b)), "must be one of everyone, listed, members")
	}
	*c = v
	return nil
}

// coverageOf is the one coverage each source has.
var coverageOf = [...]Coverage{Open: Everyone, Target: Listed, CollabPlus: Members, Partner: Listed}

// Tier is the upper tier of a tiered Open Collaboration rate (COM-11): from the creator's
// Threshold-th order of the product on, the creator earns Rate instead of the standard rate.
type Tier struct {
	Threshold int64         `json:"threshold"`
	Rate      affrules.Rate `json:"rate"`
}

// Terms are one version of an offer's rates, in force from an instant on (COM-3).
type Terms struct {
	// Rate is the standard rate; for a partner campaign, the total rate for partner and creator
	// (COM-7). It lies within the policy's bounds (COM-9).
	Rate affrules.Rate `json:"rate"`
	// ShopAds is the rate for orders through shop ads (COM-5, COM-6); zero when the offer has
	// none. In JSON, leave it out for none: "0%" is refused ([ParseOffer], COM-9).
	ShopAds affrules.Rate `json:"shop_ads,omitzero" strict:"optional"`
	// Tier is the upper tier of a tiered Open rate (COM-11); nil when the rate has one tier.
	Tier *Tier `json:"tier,omitempty" strict:"optional"`
	// PartnerShare is, for a partner campaign, the partner's share of the commission (0%–100%);
	// the creator gets the rest (COM-7). Zero for other sources.
	PartnerShare affrules.Rate `json:"partner_share,omitzero" strict:"optional"`
}

// Member is a member of a Collaboration Plus and the instant the creator joined it (COM-3).
type Member struct {
	Creator string    `json:"creator"`
	Joined  time.Time `json:"joined"`
}

// Offer is one rate source for one product in one market (COM-2): who offers it, whom it covers,
// when it runs and its rate history. Packages of other areas (campaigns, Collaboration Plus)
// build offers and hand them to this package. An offer is checked by [OfferRule.Check] (through
// [Evaluator.Prepare] or an [OfferStore]); the zero Offer is refused.
type Offer struct {
	// ID identifies the offer; it is the subject of its reasons.
	ID      string              `json:"id"`
	Source  Source              `json:"source"`
	Market  affrules.MarketCode `json:"market"`
	Product string              `json:"product"`
	// Coverage must be the source's own: Everyone for Open, Listed for Target and Partner,
	// Members for Collaboration Plus.
	Coverage Coverage `json:"coverage"`
	// Creators are the creators a Target offer is made to, or the creators a partner matched
	// to the product (COM-12).
	Creators []string `json:"creators,omitempty" strict:"optional"`
	// Members are the members of a Collaboration Plus with their join instants.
	Members []Member `json:"members,omitempty" strict:"optional"`
	// Period is when the offer runs, [Start, End); a zero End means it has no end. A
	// Collaboration Plus's end dates are inclusive: its End is the first instant of the market
	// day after its last day (COM-3).
	Period affrules.Period `json:"period"`
	// Rates is the rate history (COM-3). A Collaboration Plus may have none: it then set no
	// exclusive rate (COM-4).
	Rates affrules.Timeline[Terms] `json:"rates"`
	// Approved says whether the partner campaign registration was approved (COM-12); it must be
	// false for other sources.
	Approved bool `json:"approved,omitempty" strict:"optional"`
	// Updated is the instant of the offer's last change: [OfferStore.Put] sets it to the at it
	// stores the offer at, in UTC, whatever it held, and refuses a later change dated before it.
	// It plays no part in resolving a commission.
	Updated time.Time `json:"updated,omitzero" strict:"optional"`
}

// ParseOffer decodes one offer from JSON strictly: keys that name no field, that name one only
// when case is ignored, or that are given twice are errors at any depth, as are unknown source
// and coverage names and rate histories that go backwards. Every shape problem is reported at
// once as [*affrules.FieldError] values. It does not check the offer against a policy; see
// [OfferRule.Check].
func ParseOffer(data []byte) (Offer, error) {
	var o Offer
	if t := bytes.TrimSpace(data); string(t) == "null" { // an offer, not "none"
		return Offer{}, fielderr.New(pkg, "offer", "null", "must be a JSON object")
	}
	if err := fielderr.Problems(pkg, "offer", strictjson.Check(data, &o)); err != nil {
		return Offer{}, err
	}
	if err := strictjson.Decode(data, &o); err != nil {
		return Offer{}, fielderr.Decoding(pkg, "offer", err)
	}
	// COM-9: a shop-ads rate given as 0% is not "none" (leave the key out for none); it is
	// below every rate bound.
	var given struct {
		Rates []struct {
			Value struct {
				ShopAds json.RawMessage `json:"shop_ads"`
			} `json:"value"`
		} `json:"rates"`
	}
	if json.Unmarshal(data, &given) == nil {
		l := fielderr.For(pkg)
		es := entries(o.Rates)
		for i, g := range given.Rates {
			if raw := g.Value.ShopAds; i < len(es) && len(raw) > 0 && string(raw) != "null" && es[i].Value.ShopAds.IsZero() {
				l.Add("offer.rates["+strconv.Itoa(i)+"].value.shop_ads", string(raw), "must be above 0%% (%s): leave it out when the offer has no shop-ads rate: %w", RuleBounds, affrules.ErrOutOfRange)
			}
		}
		if err := l.Err(); err != nil {
			return Offer{}, err
		}
	}
	return o, nil
}

// OfferRule is the pure rule an offer and each change to it must satisfy, taken from a
// [Policy] ([Policy.OfferRule]); an [OfferStore] is given it on every [OfferStore.Put].
type OfferRule struct {
	MinRate affrules.Rate // COM-9, default 1%
	MaxRate affrules.Rate // COM-9, default 80%
	// RequireExclusiveRate refuses a Collaboration Plus without a rate history (COM-4's
	// alternative); by default it is allowed and falls back to the Open rate.
	RequireExclusiveRate bool
	// RelistDelay is how long after one OPEN offer of a product ends another may not start
	// with terms that pay less than the first still owes ([OfferRule.Conflicts]);
	// [Policy.OfferRule] sets it to the decrease delay when Open decreases are delayed
	// (COM-10), else to zero.
	RelistDelay time.Duration
	// NoShopAdsFallback is the negation of [Policy.ShopAdsFallback] (COM-5), which
	// [OfferRule.Conflicts] needs to know what an offer without a shop-ads rate pays a shop-ads
	// order: nothing from it when true, its standard rate when false (as the default policy has
	// it).
	NoShopAdsFallback bool
}

// Check reports every problem of offer o, as [*affrules.FieldError] values joined: an empty ID
// or product (IDs are otherwise the host's: an offer stored under an earlier version is not
// refused now, and packages collabplus and campaign build offer IDs from the IDs they check);
// an unknown source, market or coverage, or a coverage that is not the source's
// own; empty, repeated or misplaced creators and members, join instants out of bounds or before
// the period's start (CP-7: a member joins from the start); a
// period out of bounds or backwards; an empty history where a rate is needed (COM-4); a rate,
// shop-ads rate or tier rate outside the bounds (COM-9); a tier or partner share on a source
// that has none; a tier change that breaks COM-11 (threshold changed or removed once active, a
// tier rate that falls); an approval on a source other than Partner.
//
// prev is the offer as stored before, or nil for a new offer; at is the instant of the change
// (for a new offer, the instant it is added), which must lie within the library's bounds. A
// change keeps the ID, source, market and product and changes nothing in force before at, so
// an answer already given does not change (COM-3):
//
//   - at is not before prev.Updated, the instant of the offer's last change: changes to an offer
//     only move forward in time (otherwise a change dated before the last one could rewrite what
//     the last one had put in force). Changes at one instant count as one: a second change at
//     the last one's instant may still replace the entries dated at that instant, so an answer
//     given for an order at that very instant between the two can change (date such a change
//     later). A change dated too early is reported alone: the rules below are not checked
//     against it;
//   - the history's entries from before at stay as they were and no new entry is dated before
//     at; entries from at on are not yet in force and may be changed or removed (a tier
//     threshold not yet active may be corrected, COM-11);
//   - the period's start changes only when the old and the new start are both at or after at,
//     its end only when the old and the new end are both at or after at (a zero end being no
//     end): an offer is ended from at on, never in the past;
//   - a member joins, leaves or has its join instant changed only at or after at, and the
//     creators listed and the approval change only while the period has not started by at.
func (r OfferRule) Check(prev *Offer, o Offer, at time.Time) error {
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	r.check(l, o)
	if prev != nil && !at.IsZero() {
		if !prev.Updated.IsZero() && at.Before(prev.Updated) {
			l.Add("at", at.Format(time.RFC3339Nano), "is before the offer's last change at %s: changes to an offer only move forward (%s)", prev.Updated.Format(time.RFC3339Nano), RuleAtOrderTime)
		} else {
			checkChange(l, *prev, o, at)
		}
	}
	return l.Err()
}

// check adds every problem of o taken alone to l.
func (r OfferRule) check(l *fielderr.List, o Offer) {
	if o.ID == "" {
		l.Add("offer.id", "", "must not be empty")
	}
	if !o.Source.IsValid() {
		l.Add("offer.source", int(o.Source), "must be one of OPEN, TARGET, COLLAB_PLUS, PARTNER (COM-2): %w", affrules.ErrOutOfRange)
	}
	if o.Product == "" {
		l.Add("offer.product", "", "must not be empty")
	}
	if _, err := affrules.LookupMarket(o.Market); err != nil {
		l.Add("offer.market", strconv.Quote(string(o.Market)), "%w", affrules.ErrUnknownMarket)
	}
	if o.Source.IsValid() && o.Coverage != coverageOf[o.Source] {
		l.Add("offer.coverage", o.Coverage, "must be %s for a %s offer", coverageOf[o.Source], o.Source)
	}
	switch {
	case o.Source == Target || o.Source == Partner:
		if len(o.Creators) == 0 {
			l.Add("offer.creators", "[]", "must list at least one creator")
		}
	case len(o.Creators) > 0:
		l.Add("offer.creators", fmt.Sprint(o.Creators), "are only for TARGET and PARTNER offers")
	}
	seen := make(map[string]struct{}, max(len(o.Creators), len(o.Members)))
	for i, c := range o.Creators {
		switch _, dup := seen[c]; {
		case c == "":
			l.Add("offer.creators["+strconv.Itoa(i)+"]", "", "must not be empty")
		case dup:
			l.Add("offer.creators["+strconv.Itoa(i)+"]", c, "is listed twice")
		}
		seen[c] = struct{}{}
	}
	if o.Source != CollabPlus && len(o.Members) > 0 {
		l.Add("offer.members", len(o.Members), "are only for COLLAB_PLUS offers")
	}
	clear(seen)
	for i, m := range o.Members {
		_, dup := seen[m.Creator]
		seen[m.Creator] = struct{}{}
		switch {
		case m.Creator == "":
			l.Add("offer.members["+strconv.Itoa(i)+"].creator", "", "must not be empty")
		case dup:
			l.Add("offer.members["+strconv.Itoa(i)+"].creator", m.Creator, "is listed twice")
		}
		switch {
		case !bounds.InRange(m.Joined):
			l.Append(bounds.Instant(pkg, "offer.members["+strconv.Itoa(i)+"].joined", m.Joined))
		case bounds.InRange(o.Period.Start) && m.Joined.Before(o.Period.Start):
			// CP-7: creators join a Collaboration Plus from its start. (One who joined at or after
			// the offer's end, such as the end of a product that left the collaboration early, is
			// never covered by it.)
			l.Add("offer.members["+strconv.Itoa(i)+"].joined", m.Joined.Format(time.RFC3339Nano), "is before the offer's start %s: a creator joins from the start (CP-7)", o.Period.Start.Format(time.RFC3339Nano))
		}
	}
	l.Append(bounds.Instant(pkg, "offer.period.start", o.Period.Start))
	if !o.Period.End.IsZero() {
		if err := bounds.Instant(pkg, "offer.period.end", o.Period.End); err != nil {
			l.Append(err)
		} else if o.Period.End.Before(o.Period.Start) {
			l.Add("offer.period", o.Period.String(), "%w", affrules.ErrInvertedPeriod)
		}
	}
	if o.Approved && o.Source != Partner {
		l.Add("offer.approved", true, "is only for PARTNER offers (COM-12)")
	}
	if o.Rates.Len() == 0 && (o.Source != CollabPlus || r.RequireExclusiveRate) {
		l.Add("offer.rates", "[]", "must hold at least one rate (COM-3, COM-4)")
	}
	r.checkHistory(l, o)
}

func (r OfferRule) checkHistory(l *fielderr.List, o Offer) {
	i := 0
	var last *Terms
	for from, t := range o.Rates.All() {
		f := "offer.rates[" + strconv.Itoa(i) + "]"
		l.Append(bounds.Instant(pkg, f+".from", from))
		r.bound(l, f+".value.rate", t.Rate)
		if !t.ShopAds.IsZero() {
			r.bound(l, f+".value.shop_ads", t.ShopAds)
		}
		if !t.PartnerShare.IsZero() && o.Source != Partner {
			l.Add(f+".value.partner_share", t.PartnerShare, "is only for PARTNER offers (COM-7)")
		}
		if t.Tier != nil {
			switch {
			case o.Source != Open:
				l.Add(f+".value.tier", t.Tier.Threshold, "tiers are only for OPEN offers (%s)", RuleTiers)
			case t.Tier.Threshold < 2 || t.Tier.Threshold > 1_000_000_000:
				l.Add(f+".value.tier.threshold", t.Tier.Threshold, "must be between 2 and 1000000000 orders (%s): %w", RuleTiers, affrules.ErrOutOfRange)
			}
			r.bound(l, f+".value.tier.rate", t.Tier.Rate)
			if t.Tier.Rate.Cmp(t.Rate) <= 0 {
				l.Add(f+".value.tier.rate", t.Tier.Rate, "must be above the standard rate %s (%s)", t.Rate, RuleTiers)
			}
		}
		if last != nil && last.Tier != nil { // COM-11: once active, the threshold is fixed and tier rates only rise
			switch {
			case t.Tier == nil:
				l.Add(f+".value.tier", "null", "removes an active tier (%s: the threshold cannot change once active)", RuleTiers)
			case t.Tier.Threshold != last.Tier.Threshold:
				l.Add(f+".value.tier.threshold", t.Tier.Threshold, "changes the active threshold %d (%s: the threshold cannot change once active)", last.Tier.Threshold, RuleTiers)
			default:
				if t.Rate.Cmp(last.Rate) < 0 {
					l.Add(f+".value.rate", t.Rate, "lowers the tier rate %s (%s: tier rates may only rise)", last.Rate, RuleTiers)
				}
				if t.Tier.Rate.Cmp(last.Tier.Rate) < 0 {
					l.Add(f+".value.tier.rate", t.Tier.Rate, "lowers the tier rate %s (%s: tier rates may only rise)", last.Tier.Rate, RuleTiers)
				}
			}
		}
		last = &t
		i++
	}
}

func (r OfferRule) bound(l *fielderr.List, field string, v affrules.Rate) {
	if v.Cmp(r.MinRate) < 0 || v.Cmp(r.MaxRate) > 0 {
		l.Add(field, v, "must be between %s and %s (%s): %w", r.MinRate, r.MaxRate, RuleBounds, affrules.ErrOutOfRange)
	}
}

// checkChange checks that o is a change of prev made at instant at: same identity, and nothing
// in force before at changed (COM-3; COM-11's rules across the change follow from the stored
// entries before at being kept, checkHistory comparing every entry with the one before it).
func checkChange(l *fielderr.List, prev, o Offer, at time.Time) {
	if o.Source != prev.Source {
		l.Add("offer.source", o.Source, "cannot change from %s", prev.Source)
	}
	if o.Market != prev.Market {
		l.Add("offer.market", o.Market, "cannot change from %s", prev.Market)
	}
	if o.Product != prev.Product {
		l.Add("offer.product", o.Product, "cannot change from %s", prev.Product)
	}
	stamp := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	atS := stamp(at)
	// The history: the entries before at are kept, none is added before at.
	old, cur := entries(prev.Rates), entries(o.Rates)
	i := 0
	for ; i < len(old) && old[i].From.Before(at); i++ {
		f := "offer.rates[" + strconv.Itoa(i) + "]"
		switch {
		case i >= len(cur):
			l.Add("offer.rates", len(cur), "drops the entry from %s, in force before the change at %s (%s)", stamp(old[i].From), atS, RuleAtOrderTime)
		case !cur[i].From.Equal(old[i].From) || !sameTerms(cur[i].Value, old[i].Value):
			l.Add(f, stamp(cur[i].From), "rewrites the entry from %s, in force before the change at %s (%s)", stamp(old[i].From), atS, RuleAtOrderTime)
		default:
			continue
		}
		break
	}
	if i == len(old) || !old[i].From.Before(at) { // every entry before at kept
		for j := i; j < len(cur) && cur[j].From.Before(at); j++ {
			l.Add("offer.rates["+strconv.Itoa(j)+"].from", stamp(cur[j].From), "is before the change at %s: a new rate is in force from the change on (%s)", atS, RuleAtOrderTime)
		}
	}
	// The period: start and end move only where both the old and the new instant are at or
	// after at. A zero end is no end, after every instant.
	if !o.Period.Start.Equal(prev.Period.Start) && (o.Period.Start.Before(at) || prev.Period.Start.Before(at)) {
		l.Add("offer.period.start", stamp(o.Period.Start), "cannot move from %s: one of them is before the change at %s (%s)", stamp(prev.Period.Start), atS, RuleAtOrderTime)
	}
	endBefore := func(e time.Time) bool { return !e.IsZero() && e.Before(at) }
	if !o.Period.End.Equal(prev.Period.End) && (endBefore(o.Period.End) || endBefore(prev.Period.End)) {
		l.Add("offer.period.end", stamp(o.Period.End), "cannot move from %s: one of them is before the change at %s (%s)", stamp(prev.Period.End), atS, RuleAtOrderTime)
	}
	// Members join and leave only from at on.
	for _, m := range prev.Members {
		k := slices.IndexFunc(o.Members, func(x Member) bool { return x.Creator == m.Creator })
		switch {
		case k < 0 && m.Joined.Before(at):
			l.Add("offer.members", m.Creator, "removes a member who joined at %s, before the change at %s (%s)", stamp(m.Joined), atS, RuleAtOrderTime)
		case k >= 0 && !o.Members[k].Joined.Equal(m.Joined) && (m.Joined.Before(at) || o.Members[k].Joined.Before(at)):
			l.Add("offer.members["+strconv.Itoa(k)+"].joined", stamp(o.Members[k].Joined), "cannot move from %s: one of them is before the change at %s (%s)", stamp(m.Joined), atS, RuleAtOrderTime)
		}
	}
	for k, m := range o.Members {
		if m.Joined.Before(at) && !slices.ContainsFunc(prev.Members, func(x Member) bool { return x.Creator == m.Creator }) {
			l.Add("offer.members["+strconv.Itoa(k)+"].joined", stamp(m.Joined), "adds a member joining before the change at %s (%s)", atS, RuleAtOrderTime)
		}
	}
	// Listed creators and the approval have no instant of their own: they change only while
	// the offer has not started.
	if prev.Period.Start.Before(at) {
		if !slices.Equal(sortedCopy(o.Creators), sortedCopy(prev.Creators)) {
			l.Add("offer.creators", fmt.Sprint(o.Creators), "cannot change from %v: the offer started at %s, before the change at %s (%s)", prev.Creators, stamp(prev.Period.Start), atS, RuleAtOrderTime)
		}
		if o.Approved != prev.Approved {
			l.Add("offer.approved", o.Approved, "cannot change: the offer started at %s, before the change at %s (%s)", stamp(prev.Period.Start), atS, RulePartnerScope)
		}
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func sameTerms(a, b Terms) bool {
	if !a.Rate.Equal(b.Rate) || !a.ShopAds.Equal(b.ShopAds) || !a.PartnerShare.Equal(b.PartnerShare) {
		return false
	}
	if (a.Tier == nil) != (b.Tier == nil) {
		return false
	}
	return a.Tier == nil || *a.Tier == *b.Tier
}

// entries returns a timeline's entries as a slice.
func entries(tl affrules.Timeline[Terms]) []affrules.Effective[Terms] {
	out := make([]affrules.Effective[Terms], 0, tl.Len())
	for from, v := range tl.All() {
		out = append(out, affrules.Effective[Terms]{From: from, Value: v})
	}
	return out
}

// Conflicts reports whether offers a and b may not both be kept: two OPEN offers of one product
// in one market whose periods overlap, or of which the later starts less than r.RelistDelay
// after the earlier ends with terms that underpay a creator promoting the earlier. A product
// has one Open listing at a time, so every change of its rate within a listing goes through the
// one history the decrease delay and the tier rules apply to (COM-10, COM-11). A product removed
// from Open Collaboration (CMP-7) may be listed again by a new offer from the removal on; within
// the delay after the removal, the terms in force at the relisting's start must pay every order
// (standard, through shop ads, at each tier threshold) at
// least the highest rate the removed offer paid it within the delay before that start, what
// COM-10 owes a creator promoting since before then. The resolver then pays such a creator at
// least that until the delay has passed (its window reaches back to the relisting's start),
// and what the removed offer owes only falls, so no decrease skips the delay through a removal
// and a relisting; the relisting's own later changes are delayed as any listing's are. So, at
// the removal, the rate it paid last, its tier and its shop-ads rate, or higher ones, unless a
// cut within the delay before it is still owed; lower ones once the delay has passed. Of two
// offers starting together, the one whose period ends first (then the lower ID) is the earlier,
// so Conflicts(a, b) is Conflicts(b, a).
func (r OfferRule) Conflicts(a, b Offer) bool {
	if a.Source != Open || b.Source != Open || a.Market != b.Market || a.Product != b.Product {
		return false
	}
	if startsBefore(a.Period.Start, b.Period.End, 0) && startsBefore(b.Period.Start, a.Period.End, 0) {
		return true // both run at some instant
	}
	earlier, later := a, b
	if runsFirst(b, a) {
		earlier, later = b, a
	}
	return later.Period.Start.Before(earlier.Period.End.Add(r.RelistDelay)) && r.lowers(earlier, later)
}

// runsFirst reports whether offer a's period comes before b's: it starts first, or together and
// ends first (a zero end last), or ends together and a's ID is the lower.
func runsFirst(a, b Offer) bool {
	if !a.Period.Start.Equal(b.Period.Start) {
		return a.Period.Start.Before(b.Period.Start)
	}
	if ae, be := a.Period.End, b.Period.End; !ae.Equal(be) {
		return !ae.IsZero() && (be.IsZero() || ae.Before(be))
	}
	return a.ID < b.ID
}

// lowers reports whether the terms of offer later in force at its start, s, pay some order less
// than the highest rate offer earlier paid it at an instant of [s − r.RelistDelay, earlier's
// end), its entries counted as the resolver counts them (one dated before the period's start
// included); the orders, the first and one at each tier threshold of either offer, through shop
// ads or not, an offer without a shop-ads rate paying a shop-ads order as r.NoShopAdsFallback
// says.
func (r OfferRule) lowers(earlier, later Offer) bool {
	s, end := later.Period.Start, earlier.Period.End
	since := s.Add(-r.RelistDelay)
	olds := entries(earlier.Rates)
	var pays Terms
	paying := false
	counts := []int64{1} // an order count is at least 1, this order included
	for from, t := range later.Rates.All() {
		if !from.After(s) {
			pays, paying = t, true
		}
		if t.Tier != nil {
			counts = append(counts, t.Tier.Threshold)
		}
	}
	for _, e := range olds {
		if e.Value.Tier != nil {
			counts = append(counts, e.Value.Tier.Threshold)
		}
	}
	// Each count once: every version of a tiered offer names its threshold, which is fixed once
	// active (COM-11), so the distinct counts are few however long the histories.
	slices.Sort(counts)
	counts = slices.Compact(counts)
	for _, n := range counts {
		for _, shopAds := range []bool{false, true} {
			strict := shopAds && r.NoShopAdsFallback
			paid, ok := payFor(pays, n, shopAds, strict)
			ok = ok && paying
			for i, e := range olds {
				until := end // in force over [From, next From), paid until the end
				if i+1 < len(olds) && olds[i+1].From.Before(until) {
					until = olds[i+1].From
				}
				if !e.From.Before(until) || !until.After(since) {
					continue // never in force before the end, or left the delay by s
				}
				if owed, owes := payFor(e.Value, n, shopAds, strict); owes && (!ok || paid.Cmp(owed) < 0) {
					return true
				}
			}
		}
	}
	return false
}

// payFor is the rate terms t pay an order that is its creator's count-th of the product, through
// shop ads or not, as the resolver pays it: the shop-ads rate where there is one, none for a
// shop-ads order without one when strict (no fallback, [Policy.ShopAdsFallback]), else the
// upper tier's from its threshold, else the standard rate.
func payFor(t Terms, count int64, shopAds, strict bool) (affrules.Rate, bool) {
	switch {
	case shopAds && !t.ShopAds.IsZero():
		return t.ShopAds, true
	case strict:
		return affrules.Rate{}, false
	case t.Tier != nil && t.Tier.Threshold != 0 && count >= t.Tier.Threshold:
		return t.Tier.Rate, true
	}
	return t.Rate, true
}

// ConflictError is the error of offer o, which [OfferRule.Conflicts] with the offer named
// other: a [*affrules.FieldError] naming offer.source.
func (r OfferRule) ConflictError(o Offer, other string) *affrules.FieldError {
	return fielderr.New(pkg, "offer.source", o.Source, "is a second OPEN offer of product %q in %s beside %s, which runs then, or which ended less than %s before it starts and still owes a creator promoting it more than its terms at its start pay (%s, %s: one OPEN offer per market and product at a time; CMP-7: a lower rate only once the higher one is the delay old)",
		o.Product, o.Market, other, r.RelistDelay, RuleDecrease, RuleTiers)
}

// startsBefore reports whether instant t is before end+delay, the zero end being none.
func startsBefore(t, end time.Time, delay time.Duration) bool {
	return end.IsZero() || t.Before(end.Add(delay))
}

// Clone returns a deep copy of o, sharing nothing with it (its creators, members, rate history
// and tiers copied), as a store keeps and returns an offer.
func (o Offer) Clone() Offer { return o.clone() }

// clone returns a deep copy of o.
func (o Offer) clone() Offer {
	o.Creators = slices.Clone(o.Creators)
	o.Members = slices.Clone(o.Members)
	if o.Rates.Len() > 0 {
		es := entries(o.Rates)
		for i := range es {
			if es[i].Value.Tier != nil {
				t := *es[i].Value.Tier
				es[i].Value.Tier = &t
			}
		}
		o.Rates, _ = affrules.NewTimeline(es...)
	}
	return o
}
