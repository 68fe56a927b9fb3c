package campaigntest

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
)

// The rate bounds the generators keep to: commission's catalog bounds (COM-9), which
// [Properties] build their evaluator with.
var (
	minRate = affrules.MustParseRate("1%")
	maxRate = affrules.MustParseRate("80%")
)

// Policy draws valid campaign policies: variations of [campaign.DefaultPolicy] with markets left
// out, each flag switched and each reading of the commission requirement. Every policy it draws
// passes [campaign.Policy.Validate]; some break one of the [Properties] on purpose, as a host's
// edit might.
func Policy() *rapid.Generator[campaign.Policy] {
	return rapid.Custom(func(t *rapid.T) campaign.Policy {
		p := campaign.DefaultPolicy()
		p.Markets = rapid.SliceOfNDistinct(rapid.SampledFrom(p.Markets), 1, len(p.Markets), func(m affrules.MarketCode) affrules.MarketCode { return m }).Draw(t, "markets")
		p.OpenApproval = rapid.Bool().Draw(t, "open_approval")
		p.RegistrationWithinCampaign = rapid.Bool().Draw(t, "registration_within_campaign")
		p.PermanentEndsParticipation = rapid.Bool().Draw(t, "permanent_ends_participation")
		p.TemporaryEndsParticipation = p.PermanentEndsParticipation && rapid.Bool().Draw(t, "temporary_ends_participation")
		p.RequirementOf = rapid.SampledFrom([]string{campaign.RequirementOfTotal, campaign.RequirementOfCreator, campaign.RequirementOfPartner}).Draw(t, "requirement_of")
		return p
	})
}

// rate draws a rate within commission's bounds that straddles r: just below, at or just above
// it, or anywhere within the bounds.
func rate(r affrules.Rate) *rapid.Generator[affrules.Rate] {
	return affrulestest.StraddleRate(r).Filter(func(x affrules.Rate) bool { return x.Cmp(minRate) >= 0 && x.Cmp(maxRate) <= 0 })
}

// Campaign draws the terms of a new campaign that [campaign.Evaluator.Create] accepts under p:
// an agency or seller campaign in one of p's markets whose period runs from a local midnight of
// 2026 for 1 to 90 days (some across a daylight-saving change in the United Kingdom), whose
// registration ends at the campaign's end, a nanosecond or days before it, and starts at the
// campaign's start or days before it; when p does not keep registration within the campaign
// (p.RegistrationWithinCampaign false), a nanosecond or a day after too. The requirement is
// none or a rate within commission's bounds around 10%.
func Campaign(p campaign.Policy) *rapid.Generator[campaign.Campaign] {
	bad := unusable(p)
	midnights := map[affrules.MarketCode][]time.Time{}
	for _, m := range p.Markets {
		if mk, err := affrules.LookupMarket(m); err == nil {
			loc := mk.Location()
			midnights[m] = affrulestest.Midnights(loc, time.Date(2026, 1, 1, 12, 0, 0, 0, loc), time.Date(2026, 12, 31, 12, 0, 0, 0, loc))
		}
	}
	return rapid.Custom(func(t *rapid.T) campaign.Campaign {
		if bad != nil {
			t.Fatalf("campaigntest.Campaign: %v", bad)
		}
		m := rapid.SampledFrom(p.Markets).Draw(t, "market")
		mk, err := affrules.LookupMarket(m)
		if err != nil {
			t.Fatalf("market %s: %v", m, err)
		}
		loc := mk.Location()
		first := rapid.SampledFrom(midnights[m]).Draw(t, "start")
		days := rapid.IntRange(1, 90).Draw(t, "days")
		period := affrules.Period{Start: first, End: first.In(loc).AddDate(0, 0, days)}
		ends := []time.Duration{0, -time.Nanosecond, -24 * time.Hour}
		starts := []time.Duration{0, -time.Nanosecond, -7 * 24 * time.Hour}
		if !p.RegistrationWithinCampaign {
			ends = append(ends, time.Nanosecond, 24*time.Hour)
			starts = append(starts, time.Nanosecond, 24*time.Hour)
		}
		reg := affrules.Period{
			Start: period.Start.Add(rapid.SampledFrom(starts).Draw(t, "registration_start")),
			End:   period.End.Add(rapid.SampledFrom(ends).Draw(t, "registration_end")),
		}
		if !reg.Start.Before(reg.End) {
			reg.Start = reg.End.Add(-time.Hour)
		}
		if !reg.Start.Before(period.End) { // registration opens before the campaign ends (CMP-3)
			reg.Start = period.End.Add(-time.Hour)
		}
		c := campaign.Campaign{
			ID: rapid.StringMatching(`c-[a-z0-9]{1,8}`).Draw(t, "id"), Market: m,
			Name: "Campaign", Contact: "ops@example.com", Registration: reg, Period: period,
		}
		if rapid.Bool().Draw(t, "requirement") {
			c.Requirement = rate(affrules.MustParseRate("10%")).Draw(t, "requirement_rate")
		}
		if rapid.Bool().Draw(t, "agency") {
			c.Initiator, c.Owner = campaign.Agency, "partner-1"
			c.Audience = campaign.Audience{All: true}
			if rapid.Bool().Draw(t, "selected") {
				c.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-2"}}
			}
		} else {
			c.Initiator, c.Owner = campaign.Seller, "shop-1"
			c.Audience = campaign.Audience{IDs: []string{"partner-1", "partner-2"}}
			c.Preferences = "beauty creators"
		}
		return c
	})
}

// Registration draws a registration of a product by a seller who may register in campaign c:
// a seller of an agency campaign's audience, or a seller campaign's owner; at a rate within
// commission's bounds that straddles c's requirement (CMP-4: at it passes, below it is refused),
// with a partner share and a sample quantity. When p reads the requirement as a minimum of the
// creator's or the partner's part of the rate ([campaign.Policy].RequirementOf), the share is
// mostly the one that gives that part the whole rate (0% or 100%), so that the part straddles
// the requirement as the rate does, and sometimes any.
func Registration(p campaign.Policy, c campaign.Campaign) *rapid.Generator[campaign.Registration] {
	err := drawnFrom(c)
	return rapid.Custom(func(t *rapid.T) campaign.Registration {
		if err != nil {
			t.Fatalf("campaigntest.Registration: %v", err)
		}
		r := campaign.Registration{
			Product:      rapid.StringMatching(`p-[a-z0-9]{1,8}`).Draw(t, "product"),
			Seller:       c.Owner,
			PartnerShare: rate(affrules.MustParseRate("30%")).Draw(t, "partner_share"),
			Samples:      affrulestest.Straddle(3).Draw(t, "samples"),
			Contact:      "+60 3 1234 5678",
		}
		if c.Initiator == campaign.Agency {
			r.Seller = "shop-1"
			if c.Audience.All {
				r.Seller = rapid.SampledFrom([]string{"shop-1", "shop-2", "shop-3"}).Draw(t, "seller")
			}
		}
		req := c.Requirement
		if req.IsZero() {
			req = minRate
		}
		r.Rate = rate(req).Draw(t, "rate")
		if whole, ok := wholeShare(p); ok && !sometimes(t, "any_share", 4) {
			r.PartnerShare = whole
		}
		return r
	})
}

// Eligible returns the eligibility result of registration r's product in market m: eligible
// (ELG-9).
func Eligible(r campaign.Registration, m affrules.MarketCode) eligibility.Result {
	return eligibility.Result{ID: r.Product, ShopID: r.Seller, Market: m, State: eligibility.Eligible, Decision: affrules.Decide()}
}

// Instant draws an instant at or near the edges of campaign c's periods (their starts and ends,
// a nanosecond, a second or an hour either side, a day after), at a daylight-saving change of
// the market's zone, or anywhere in the year from the registration's start.
func Instant(p campaign.Policy, c campaign.Campaign) *rapid.Generator[time.Time] {
	loc := time.UTC
	if mk, err := affrules.LookupMarket(c.Market); err == nil {
		loc = mk.Location()
	}
	if err := drawnFrom(c); err != nil {
		return rapid.Custom(func(t *rapid.T) time.Time {
			t.Fatalf("campaigntest.Instant: %v", err)
			return time.Time{}
		})
	}
	return affrulestest.Instant(loc, c.Registration.Start, c.Registration.End, c.Period.Start, c.Period.End)
}

// drawnFrom returns an error if c is not a campaign to draw from: no owner, or a registration
// or campaign period that is not well formed in the years 1900 to 2199 (the zero Campaign).
func drawnFrom(c campaign.Campaign) error {
	switch {
	case c.Owner == "":
		return errors.New("the campaign has no owner: draw it with Campaign, or give one Create accepts")
	case !bounds.InRange(c.Registration.Start) || !bounds.InRange(c.Registration.End) || !c.Registration.End.After(c.Registration.Start):
		return fmt.Errorf("registration %s: not a period in the years 1900 to 2199", c.Registration)
	case !bounds.InRange(c.Period.Start) || !bounds.InRange(c.Period.End) || !c.Period.End.After(c.Period.Start):
		return fmt.Errorf("period %s: not a period in the years 1900 to 2199", c.Period)
	}
	return nil
}

// Listing draws the terms of an Open Collaboration listing (CMP-1): a standard rate within
// commission's bounds around 10%.
func Listing(p campaign.Policy) *rapid.Generator[commission.Terms] {
	return rapid.Custom(func(t *rapid.T) commission.Terms {
		return commission.Terms{Rate: rate(affrules.MustParseRate("10%")).Draw(t, "listing_rate")}
	})
}

// wholeShare returns the partner share that gives the part of the rate p's requirement is a
// minimum of the whole rate (0% for the creator's part, 100% for the partner's), and false when
// p reads the requirement as a minimum total rate (CMP-3).
func wholeShare(p campaign.Policy) (affrules.Rate, bool) {
	switch p.RequirementOf {
	case campaign.RequirementOfCreator:
		return affrules.Rate{}, true
	case campaign.RequirementOfPartner:
		return affrules.MustParseRate("100%"), true
	}
	return affrules.Rate{}, false
}

// meets reports whether registration r meets campaign c's commission requirement under p
// (CMP-3, CMP-4): its total rate, or the creator's part (rate × (1 − share)) or the partner's
// (rate × share), at least the requirement, exactly.
func meets(p campaign.Policy, c *campaign.Campaign, r *campaign.Registration) bool {
	part := r.Rate.Decimal()
	switch p.RequirementOf {
	case campaign.RequirementOfCreator:
		part = part.Mul(decimal.NewFromInt(1).Sub(r.PartnerShare.Decimal()))
	case campaign.RequirementOfPartner:
		part = part.Mul(r.PartnerShare.Decimal())
	}
	return part.Cmp(c.Requirement.Decimal()) >= 0
}

// unusable returns why a generator cannot draw for policy p, or nil: p is invalid (the zero
// Policy has no markets to draw from).
func unusable(p campaign.Policy) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("the policy is invalid: %w", err)
	}
	return nil
}
