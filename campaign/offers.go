package campaign

import (
	"slices"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Offers returns the commission offers campaign c makes, as they stand at instant at (CMP-5,
// COM-12): one PARTNER offer for each approved product and each partner that matched creators
// to it by at, covering those creators, for the campaign period, at the product's total rate
// and partner share from its registration on. Its ID is "<campaign>/<product>/<partner>".
// Give them, with the product's other offers, to [commission.Evaluator.Prepare] to resolve an
// order at at: matches made after at are not in them, so the answer at at never changes.
// Products pending or rejected at at, approved products no creator was matched to, and products
// whose participation ended by at (ELG-11) make no offer; a participation that ends after at
// ends the offer's period then, so an order before it keeps its rate.
func (e *Evaluator) Offers(c Campaign, at time.Time) ([]commission.Offer, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	if c.Created.IsZero() {
		l.Add("campaign.created", "", "is not set: build the campaign with Create")
	}
	e.checkTerms(l, &c)
	if err := l.Err(); err != nil {
		return nil, err
	}
	var out []commission.Offer
	for _, r := range c.Products {
		if r.Status != Approved || r.Reviewed.After(at) || (!r.Ended.IsZero() && !r.Ended.After(at)) {
			continue
		}
		live := c.Period
		if !r.Ended.IsZero() && r.Ended.Before(live.End) { // ELG-11: it ends with the participation
			live.End = r.Ended
			if live.End.Before(live.Start) { // ended before the campaign started: never live
				live.End = live.Start
			}
		}
		var partners []string
		for _, m := range r.Matches {
			if !m.At.After(at) && !slices.Contains(partners, m.Partner) {
				partners = append(partners, m.Partner)
			}
		}
		for _, p := range partners {
			var creators []string
			for _, m := range r.Matches {
				if m.Partner == p && !m.At.After(at) {
					creators = append(creators, m.Creator)
				}
			}
			rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: r.Registered, Value: commission.Terms{Rate: r.Rate, PartnerShare: r.PartnerShare}})
			if err != nil {
				return nil, err
			}
			out = append(out, commission.Offer{
				ID: c.ID + "/" + r.Product + "/" + p, Source: commission.Partner, Market: c.Market, Product: r.Product,
				Coverage: commission.Listed, Creators: creators, Period: live, Rates: rates, Approved: true,
			})
		}
	}
	return out, nil
}

// Viewer is the account looking at campaigns: a seller or an affiliate partner. Exactly one of
// Seller and Partner is given.
type Viewer struct {
	Seller  string
	Partner string
}

// Visible reports whether viewer v sees campaign c at instant at (CMP-5, CMP-6). Its owner
// always does. The sellers of an agency campaign's audience (every seller when it is open to
// all) see it from its creation; the partners of a seller campaign's audience see it from its
// publication. Nobody else does: other partners do not see an agency campaign, other sellers a
// seller campaign. A viewer that names neither or both a seller and a partner is an error.
func (e *Evaluator) Visible(c Campaign, v Viewer, at time.Time) (bool, error) {
	if err := e.ready(); err != nil {
		return false, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	if (v.Seller == "") == (v.Partner == "") {
		l.Add("viewer", v.Seller+v.Partner, "must name a seller or a partner, not both")
	}
	if c.Created.IsZero() {
		l.Add("campaign.created", "", "is not set: build the campaign with Create")
	}
	e.checkTerms(l, &c)
	if err := l.Err(); err != nil {
		return false, err
	}
	switch c.Initiator {
	case Agency:
		if v.Partner != "" {
			return v.Partner == c.Owner, nil
		}
		return !at.Before(c.Created) && c.Audience.Includes(v.Seller), nil
	default:
		if v.Seller != "" {
			return v.Seller == c.Owner, nil
		}
		return !c.Published.IsZero() && !at.Before(c.Published) && c.Audience.Includes(v.Partner), nil
	}
}

// Joined is a campaign a seller registered products in, with those products and their status
// (CMP-5).
type Joined struct {
	Campaign string         `json:"campaign"`
	Name     string         `json:"name"`
	Products []Registration `json:"products"`
}

// JoinedBy returns the campaigns among cs in which seller registered products, in the order
// given, each with the seller's products in the order registered (CMP-5's joined list).
func JoinedBy(seller string, cs []Campaign) []Joined {
	var out []Joined
	for _, c := range cs {
		var ps []Registration
		for _, r := range c.Products {
			if r.Seller == seller {
				r.Matches = slices.Clone(r.Matches)
				ps = append(ps, r)
			}
		}
		if len(ps) > 0 {
			out = append(out, Joined{Campaign: c.ID, Name: c.Name, Products: ps})
		}
	}
	return out
}
