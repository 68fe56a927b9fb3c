package campaign_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/eligibility"
)

const (
	benchCases     = 1024 // inputs each benchmark cycles through
	benchCampaigns = 32   // distinct campaigns they use
	benchProducts  = 100  // products per campaign
)

// benchCampaign returns campaign i of the benchmarks: agency or seller, open to all or to 20
// listed sellers or partners, a requirement of 0% to 15%, registration [propHour(0),
// propHour(240)) and campaign [propHour(120), propHour(720)), created at propHour(-24), with
// 100 products registered by sellers of its audience (the owner's, in a seller campaign) over
// the first 100 hours. With approved, every product is approved an hour after registration
// and matched to 5 creators at instants through the campaign; otherwise products are pending.
// A seller campaign is published, and joined by 3 partners who match the creators.
func benchCampaign(rng *rand.Rand, i int, approved bool) campaign.Campaign {
	c := campaign.Campaign{ID: fmt.Sprintf("bench-%02d", i), Initiator: campaign.Agency, Owner: "a1", Market: affrules.MY, Name: "Benchmark",
		Contact: "ops@example.com", Registration: affrules.Period{Start: propHour(0), End: propHour(240)},
		Period: affrules.Period{Start: propHour(120), End: propHour(720)}, Requirement: pct(rng.IntN(16))}
	prefix := "seller-"
	if i%2 == 1 {
		c.Initiator, c.Owner, prefix = campaign.Seller, "seller-0", "partner-"
	}
	if i%4 < 2 {
		c.Audience.All = true
	} else {
		for j := range 20 {
			c.Audience.IDs = append(c.Audience.IDs, fmt.Sprintf("%s%d", prefix, j*3))
		}
	}
	c, err := propEval.Create(c, propHour(-24))
	if err != nil {
		panic(err)
	}
	partners := []string{"a1"}
	if c.Initiator == campaign.Seller {
		c.Published = propHour(1)
		partners = []string{"partner-0", "partner-3", "partner-6"}
		for _, p := range partners {
			c.Partners = append(c.Partners, campaign.Participant{Partner: p, Joined: propHour(2)})
		}
	}
	for j := range benchProducts {
		r := campaign.Registration{Product: fmt.Sprintf("prod-%03d", j), Seller: c.Owner, Rate: benchRate(rng, c.Requirement),
			PartnerShare: pct(rng.IntN(101)), Samples: int64(rng.IntN(20)), Contact: "+60 3 1234",
			Registered: propHour(j).Add(time.Duration(rng.Int64N(int64(time.Hour))))}
		if c.Initiator == campaign.Agency {
			r.Seller = fmt.Sprintf("seller-%d", rng.IntN(20)*3)
		}
		switch {
		case approved || c.Initiator == campaign.Seller:
			r.Status, r.Reviewed = campaign.Approved, r.Registered.Add(time.Hour)
		case j%3 == 0:
			r.Status, r.Reviewed = campaign.Approved, r.Registered.Add(time.Hour)
		}
		if approved {
			first := rng.IntN(1000)
			for k := range 5 { // five creators, none matched twice (CMP-5)
				r.Matches = append(r.Matches, campaign.Match{Partner: partners[k%len(partners)], Creator: fmt.Sprintf("creator-%d", (first+200*k)%1000),
					At: r.Reviewed.Add(time.Duration(rng.Int64N(int64(600 * time.Hour))))})
			}
		}
		c.Products = append(c.Products, r)
		for _, at := range []time.Time{r.Registered, r.Reviewed} {
			if at.After(c.Updated) {
				c.Updated = at
			}
		}
		for _, m := range r.Matches {
			if m.At.After(c.Updated) {
				c.Updated = m.At
			}
		}
	}
	return c
}

// benchRate returns a rate at or above requirement, to 30%.
func benchRate(rng *rand.Rand, requirement affrules.Rate) affrules.Rate {
	r := pct(1 + rng.IntN(30))
	if r.Cmp(requirement) < 0 {
		return requirement
	}
	return r
}

type registerCase struct {
	c  *campaign.Campaign
	a  campaign.Action
	at time.Time
}

// registerCases returns 1,024 registrations into campaigns of 100 products: most accepted (a new
// product of a seller of the audience, or of the owner, inside the period), about one in ten a
// product registered already, one in twenty ineligible, one in twenty below the requirement,
// one in twenty after registration closes.
func registerCases() []registerCase {
	rng := rand.New(rand.NewPCG(21, 12))
	cs := make([]campaign.Campaign, benchCampaigns)
	for i := range cs {
		cs[i] = benchCampaign(rng, i, false)
	}
	out := make([]registerCase, benchCases)
	for i := range out {
		c := &cs[rng.IntN(len(cs))]
		r := campaign.Registration{Product: fmt.Sprintf("new-%d", i), Seller: c.Owner, Rate: benchRate(rng, c.Requirement),
			PartnerShare: pct(rng.IntN(101)), Samples: int64(rng.IntN(20)), Contact: "+60 3 1234"}
		if c.Initiator == campaign.Agency {
			r.Seller = fmt.Sprintf("seller-%d", rng.IntN(20)*3)
		}
		state := eligibility.Eligible
		at := c.Updated.Add(time.Duration(rng.Int64N(int64(100 * time.Hour))))
		switch k := rng.IntN(20); {
		case k < 2:
			r.Product = c.Products[rng.IntN(len(c.Products))].Product
		case k == 2:
			state = eligibility.TemporarilyDisqualified
		case k == 3 && !c.Requirement.IsZero():
			r.Rate = justBelow(c.Requirement)
		case k == 4:
			at = c.Registration.End.Add(time.Duration(rng.Int64N(int64(time.Hour))))
		}
		out[i] = registerCase{c: c, a: campaign.Register(r, resultOf(r.Product, r.Seller, state)), at: at}
	}
	return out
}

// BenchmarkRegister applies a registration (CMP-4) to a campaign of 100 products, over 1,024
// varied cases, about three in four accepted.
func BenchmarkRegister(b *testing.B) {
	cases := registerCases()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		_, _ = propEval.Apply(*k.c, k.a, k.at)
		i++
	}
}

type offersCase struct {
	c  *campaign.Campaign
	at time.Time
}

// BenchmarkOffers yields the PARTNER offers (COM-12) of a campaign of 100 approved products
// matched to 5 creators each, at 1,024 instants through its life: before the matches, while
// they are made, and after the campaign.
func BenchmarkOffers(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	cs := make([]campaign.Campaign, benchCampaigns)
	for i := range cs {
		cs[i] = benchCampaign(rng, i, true)
	}
	cases := make([]offersCase, benchCases)
	for i := range cases {
		cases[i] = offersCase{c: &cs[rng.IntN(len(cs))], at: propHour(rng.IntN(800))}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		if _, err := propEval.Offers(*k.c, k.at); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

type visibleCase struct {
	c  *campaign.Campaign
	v  campaign.Viewer
	at time.Time
}

// BenchmarkVisible decides whether a seller or partner sees a campaign (CMP-5, CMP-6), over
// 1,024 cases: agency and seller campaigns open to all or to 20 listed IDs, published or not,
// viewers in and out of the audience, owners, instants before and after creation.
func BenchmarkVisible(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	cs := make([]campaign.Campaign, benchCampaigns)
	for i := range cs {
		cs[i] = benchCampaign(rng, i, false)
		if i%8 == 1 {
			cs[i].Published = time.Time{}
		}
	}
	cases := make([]visibleCase, benchCases)
	for i := range cases {
		k := visibleCase{c: &cs[rng.IntN(len(cs))], at: propHour(rng.IntN(800) - 48)}
		if rng.IntN(2) == 0 {
			k.v.Seller = fmt.Sprintf("seller-%d", rng.IntN(60))
		} else {
			k.v.Partner = fmt.Sprintf("partner-%d", rng.IntN(60))
		}
		if rng.IntN(10) == 0 {
			k.v = campaign.Viewer{Partner: "a1"}
		}
		cases[i] = k
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := &cases[i%len(cases)]
		if _, err := propEval.Visible(*k.c, k.v, k.at); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
