package collabplus

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

// Offers returns the commission offers collaboration c makes, as they stand at instant at
// (COM-2, COM-3, CP-20): for a collaboration paid and not recalled, one COLLAB_PLUS offer
// per product, with ID "<collaboration>/<product>" (each part path-escaped), covering the
// members who joined by at from their join instants, for the period of its terms, at the
// product's exclusive standard and shop-ads rates from the period's start; a product without
// an exclusive rate gets an offer without a rate history, so the Open rate applies (COM-4).
// Members join only while it is ongoing and never leave, so an offer never changes an answer
// given at an earlier instant. A draft, expired or recalled collaboration makes none.
//
// A book for one instant is commission's Prepare of Offers(c, at). A [commission.OfferStore]
// records each change as of its instant and refuses one dated after it (a member joining, or an
// end, before the put: COM-3): put the offers at the instant of each change that alters them,
// the payment, each join and each ELG-11 end (Offers(c, t) put at t), as the host applies them
// with [Evaluator.Apply], not at a later sync. Events
// [Evaluator.Apply] could not have recorded (CP-7, as [Evaluator.Settle] lists them) are bad
// input, a [*affrules.FieldError].
func (e *Evaluator) Offers(c Collaboration, at time.Time) ([]commission.Offer, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return nil, err
	}
	if err := c.checkEvents(); err != nil {
		return nil, err
	}
	// Only a collaboration paid and never recalled runs. A recall comes before the start, so
	// leaving out a collaboration recalled after at changes no answer at at either.
	if _, ok := c.event(PaidEvent, bounds.MaxInstant); !ok {
		return nil, nil
	}
	if _, ok := c.event(RecalledEvent, bounds.MaxInstant); ok {
		return nil, nil
	}
	t := c.Terms()
	if _, err := affrules.LookupMarket(c.Market); err != nil {
		return nil, fielderr.New(pkg, "collaboration.market", c.Market, "%w", affrules.ErrUnknownMarket)
	}
	var members []commission.Member
	for _, m := range c.Members {
		if !m.Joined.After(at) {
			members = append(members, commission.Member{Creator: m.Creator, Joined: m.Joined})
		}
	}
	out := make([]commission.Offer, 0, len(t.Products))
	for i, p := range t.Products {
		period := t.Period
		if k := slices.IndexFunc(c.Ended, func(x ProductEnd) bool { return x.Product == p.ID }); k >= 0 && c.Ended[k].At.Before(period.End) {
			period.End = c.Ended[k].At // ELG-11: the participation ended then
			if period.End.Before(period.Start) {
				period.End = period.Start
			}
		}
		o := commission.Offer{ID: url.PathEscape(c.ID) + "/" + url.PathEscape(p.ID), Source: commission.CollabPlus, Market: c.Market, Product: p.ID,
			Coverage: commission.Members, Members: append([]commission.Member(nil), members...), Period: period}
		if !p.Rate.IsZero() {
			var err error
			o.Rates, err = affrules.NewTimeline(affrules.Effective[commission.Terms]{From: t.Period.Start, Value: commission.Terms{Rate: p.Rate, ShopAds: p.ShopAds}})
			if err != nil {
				return nil, err
			}
		}
		if err := e.rule.Check(nil, o, at); err != nil {
			return nil, fielderr.Rebase(pkg, "offer", "collaboration.products["+strconv.Itoa(i)+"]", err)
		}
		out = append(out, o)
	}
	return out, nil
}
