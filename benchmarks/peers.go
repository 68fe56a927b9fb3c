package benchmarks

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
)

// The facts and data every peer (expr, CEL, OPA) and the float64 floor are given, converted once
// from the corpus: instants as Unix seconds, counts and minor units as integers, rates as whole
// units of 0.01 % (basis points) so that integer engines compare and round exactly, a store
// rating as a float64. Thresholds, level tables and offers are data, never part of a program's
// text.

// EligFacts are one eligibility case's facts.
type EligFacts struct {
	ShopEligible  bool // the precomputed shop result (ELG-1, ELG-2)
	HasViolation  bool
	At, Violation int64
	Rating        float64
	Category      string
	Orders        int64
	Reviews       int64
	Neg           int64 // orders with a negative review
	RefundCases   int64
	SellerRefunds int64
}

// EligData are the seed thresholds (ELG-1..5).
type EligData struct {
	WindowSeconds  int64
	MinRating      float64
	MinReviews     int64
	MinRefundCases int64
	NegBP          map[string]int64 // per category, below which the negative-review rate must be
	RefundBP       map[string]int64 // per category, below which the seller-fault refund rate must be
}

func eligPeerData() (EligData, error) {
	th := eligibility.SeedThresholds()
	d := EligData{WindowSeconds: int64(th.CounterfeitWindowDays) * 86400, MinRating: th.MinStoreRating.InexactFloat64(),
		MinReviews: th.MinReviews, MinRefundCases: th.MinRefundCases, NegBP: map[string]int64{}, RefundBP: map[string]int64{}}
	for cat, l := range th.Categories {
		var err error
		if d.NegBP[string(cat)], err = perTenThousand(l.NegativeReviewRate); err != nil {
			return d, err
		}
		if d.RefundBP[string(cat)], err = perTenThousand(l.SellerFaultRefundRate); err != nil {
			return d, err
		}
	}
	return d, nil
}

func eligPeerFacts(cs []EligCase) []EligFacts {
	out := make([]EligFacts, len(cs))
	for i, c := range cs {
		p := c.Product
		out[i] = EligFacts{ShopEligible: c.ShopResult.Eligible(), At: c.At.Unix(), Rating: c.Shop.StoreRating.InexactFloat64(),
			Category: string(p.Category), Orders: p.Orders, Reviews: p.Reviews, Neg: p.NegativeReviewOrders,
			RefundCases: p.RefundCases, SellerRefunds: p.SellerFaultRefunds}
		if !c.Shop.LastCounterfeitViolation.IsZero() {
			out[i].HasViolation, out[i].Violation = true, c.Shop.LastCounterfeitViolation.Unix()
		}
	}
	return out
}

// LevelFacts are one creator's February figures.
type LevelFacts struct {
	Market   string
	GMV      int64 // minor units
	Days     int64
	Products int64
}

func levelPeerData(c *Corpus) (map[string][]LevelRow, error) {
	out := map[string][]LevelRow{}
	for _, m := range levelMarkets {
		rows, err := LevelTable(c.LevelPolicy, m, march2026)
		if err != nil {
			return nil, err
		}
		out[string(m)] = rows
	}
	return out, nil
}

func levelPeerFacts(cs []LevelCase) []LevelFacts {
	out := make([]LevelFacts, len(cs))
	for i, c := range cs {
		out[i] = LevelFacts{Market: string(c.Market), GMV: c.GMVUnits, Days: int64(c.ActiveDays), Products: int64(c.Products)}
	}
	return out
}

// CommFacts are one order line's facts; amounts in minor units.
type CommFacts struct {
	Product, Creator string
	At               int64
	Attributed       bool
	Price            int64
	PlatformCoupon   int64
	SellerCoupon     int64
	Tax              int64
}

// PeerOffer is an offer as the peers are given it (COM-2, COM-3): its period [Start, End) with
// End 0 for none, whom it covers, and its rate history by increasing From.
type PeerOffer struct {
	Source   string
	Start    int64
	End      int64
	Everyone bool
	Approved bool // a partner campaign's registration; true for the other sources
	Creators []string
	Members  []PeerMember
	Rates    []PeerRate
}

// PeerMember is a Collaboration Plus member and when they joined.
type PeerMember struct {
	Creator string
	Joined  int64
}

// PeerRate is a rate in force from From, in basis points.
type PeerRate struct {
	From, BP int64
}

// commPeerData returns each product's offers in the precedence order of the policy (COM-5), as
// a book indexes them once.
func commPeerData(c *Corpus) (map[string][]PeerOffer, error) {
	rank := map[commission.Source]int{}
	for i, s := range c.CommPolicy.Precedence {
		rank[s] = i
	}
	offers := slices.Clone(c.Offers)
	slices.SortStableFunc(offers, func(a, b commission.Offer) int { return rank[a.Source] - rank[b.Source] })
	out := map[string][]PeerOffer{}
	for _, o := range offers {
		if _, ok := rank[o.Source]; !ok {
			return nil, fmt.Errorf("benchmarks: offer %s: source %s not ranked", o.ID, o.Source)
		}
		po := PeerOffer{Source: o.Source.String(), Start: o.Period.Start.Unix(), Everyone: o.Coverage == commission.Everyone,
			Approved: o.Source != commission.Partner || o.Approved, Creators: o.Creators}
		if !o.Period.End.IsZero() {
			po.End = o.Period.End.Unix()
		}
		for _, m := range o.Members {
			po.Members = append(po.Members, PeerMember{Creator: m.Creator, Joined: m.Joined.Unix()})
		}
		for from, t := range o.Rates.All() {
			if !t.ShopAds.IsZero() || t.Tier != nil {
				return nil, fmt.Errorf("benchmarks: offer %s has shop-ads or tiered rates, which the peers do not implement", o.ID)
			}
			bp, err := perTenThousand(t.Rate)
			if err != nil {
				return nil, err
			}
			po.Rates = append(po.Rates, PeerRate{From: from.Unix(), BP: bp})
		}
		for _, other := range out[o.Product] {
			if other.Source == po.Source {
				return nil, fmt.Errorf("benchmarks: product %s has two %s offers", o.Product, po.Source)
			}
		}
		out[o.Product] = append(out[o.Product], po)
	}
	return out, nil
}

func commPeerFacts(cs []CommCase) ([]CommFacts, error) {
	out := make([]CommFacts, len(cs))
	for i, c := range cs {
		o := c.Order
		mk, err := affrules.LookupMarket(o.Market)
		if err != nil {
			return nil, err
		}
		u := func(d decimal.Decimal) int64 { return d.Shift(mk.MinorUnit).IntPart() }
		out[i] = CommFacts{Product: o.Product, Creator: o.Creator, At: c.At.Unix(), Attributed: o.Attributed,
			Price: u(o.Price), PlatformCoupon: u(o.PlatformCoupon), SellerCoupon: u(o.SellerCoupon), Tax: u(o.Tax)}
	}
	return out, nil
}
