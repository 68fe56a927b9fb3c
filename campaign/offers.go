package campaign

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Offers returns the commission offers campaign c makes, as they stand at instant at (CMP-5,
// COM-12): for each approved product, one PARTNER offer per batch of creators a partner matched
// to it by at ([MatchCreators] calls at one instant), covering those creators from the instant
// of the match (or the campaign's start, if later) to the campaign's end, at the product's total
// rate and partner share. Its ID is "<campaign>/<product>/<partner>/<n>", n counting that
// partner's batches for the product from 1, each part path-escaped ("/" is written %2F) so that
// no two offers share an ID. An offer never changes once made, except that a participation
// ended by a disqualification (ELG-11, [Disqualify]) ends it then; so a book built from the offers
// at any instant gives every earlier order the answer it had. Give them, with the product's
// other offers, to [commission.Evaluator.Prepare]. Products pending or rejected at at, and
// approved products no creator was matched to, make no offer; a product whose participation
// ended (ELG-11) keeps its offers, which end then, so earlier orders keep their answer. The
// campaign is checked as [Evaluator.Apply] checks it.
func (e *Evaluator) Offers(c Campaign, at time.Time) ([]commission.Offer, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	e.checkCampaign(l, &c)
	if err := l.Err(); err != nil {
		return nil, err
	}
	var out []commission.Offer
	for _, r := range c.Products {
		// Matches follow the approval (checkCampaign), so a batch matched by at was approved by then.
		if r.Status != Approved {
			continue
		}
		end := c.Period.End
		if !r.Ended.IsZero() && r.Ended.Before(end) { // ELG-11: it ends with the participation
			end = r.Ended
		}
		rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: r.Registered, Value: commission.Terms{Rate: r.Rate, PartnerShare: r.PartnerShare}})
		if err != nil {
			return nil, err
		}
		// A batch is one partner's matches at one instant (UnixNano keys them exactly: the
		// instants are within the library's bounds), in the order first made.
		type batch struct {
			partner string
			at      int64
		}
		var batches []batch
		creatorsOf := map[batch][]string{}
		atOf := map[batch]time.Time{}
		for _, m := range r.Matches {
			if m.At.After(at) {
				continue
			}
			b := batch{m.Partner, m.At.UnixNano()}
			if _, seen := creatorsOf[b]; !seen {
				batches = append(batches, b)
				atOf[b] = m.At
			}
			creatorsOf[b] = append(creatorsOf[b], m.Creator)
		}
		counts := map[string]int{}
		for _, b := range batches {
			creators := creatorsOf[b]
			counts[b.partner]++
			start := c.Period.Start
			if atOf[b].After(start) {
				start = atOf[b]
			}
			if start.After(end) { // ended before it could start: never live
				start = end
			}
			out = append(out, commission.Offer{
				ID:     url.PathEscape(c.ID) + "/" + url.PathEscape(r.Product) + "/" + url.PathEscape(b.partner) + "/" + strconv.Itoa(counts[b.partner]),
				Source: commission.Partner, Market: c.Market, Product: r.Product, Coverage: commission.Listed, Creators: creators,
				Period: affrules.Period{Start: start, End: end}, Rates: rates, Approved: true,
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
// does from its creation. The sellers of an agency campaign's audience (every seller when it is open to
// all) see it from its creation; the partners of a seller campaign's audience see it from its
// publication. Nobody else does: other partners do not see an agency campaign, other sellers a
// seller campaign. A viewer that names neither or both a seller and a partner is an error, and
// so is a campaign whose terms or instants [Evaluator.Apply] would refuse, but for the entries of
// its audience: Visible only searches them for the viewer, so a check of each (done by Create
// and Apply) would cost more than the answer.
func (e *Evaluator) Visible(c Campaign, v Viewer, at time.Time) (bool, error) {
	if err := e.ready(); err != nil {
		return false, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	switch {
	case v.Seller != "" && v.Partner != "":
		l.Add("viewer", "seller "+strconv.Quote(v.Seller)+", partner "+strconv.Quote(v.Partner), "must name a seller or a partner, not both")
	case v.Seller == "" && v.Partner == "":
		l.Add("viewer", "{}", "must name a seller or a partner")
	}
	e.checkHead(l, &c, false) // who sees it depends on its terms and instants only
	if err := l.Err(); err != nil {
		return false, err
	}
	switch c.Initiator {
	case Agency:
		if v.Partner != "" {
			return v.Partner == c.Owner && !at.Before(c.Created), nil
		}
		return !at.Before(c.Created) && c.Audience.Includes(v.Seller), nil
	default:
		if v.Seller != "" {
			return v.Seller == c.Owner && !at.Before(c.Created), nil
		}
		return !c.Published.IsZero() && !at.Before(c.Published) && c.Audience.Includes(v.Partner), nil
	}
}

// Joined is an agency campaign a seller registered products in, with those products and where
// they stand (CMP-5): status, and Ended for a participation a disqualification ended (ELG-11,
// [Disqualify]).
type Joined struct {
	Campaign string         `json:"campaign"`
	Name     string         `json:"name"`
	Products []Registration `json:"products"`
}

// JoinedBy returns the agency campaigns among cs in which seller registered products, in the
// order given, each with the seller's products in the order registered (CMP-5's joined list). A
// seller's own campaigns are not "joined" and are left out.
func JoinedBy(seller string, cs []Campaign) []Joined {
	var out []Joined
	for _, c := range cs {
		if c.Initiator != Agency {
			continue
		}
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
