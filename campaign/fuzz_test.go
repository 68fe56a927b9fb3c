package campaign_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
)

// fuzzLimit is the time one fuzz input may take: a slow input is a failure, saved.
const fuzzLimit = time.Second

// onlyFieldErrors reports whether err is bad input as the package reports it: one or more
// *affrules.FieldError values, joined, and nothing else.
func onlyFieldErrors(err error) bool {
	n := 1
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n = len(j.Unwrap())
	}
	return len(fieldErrors(err)) == n
}

// The policy loader never panics; what it accepts validates, builds an evaluator and survives
// a round trip through JSON unchanged; what it refuses is field errors.
func FuzzParsePolicy(f *testing.F) {
	def, _ := json.Marshal(campaign.DefaultPolicy())
	f.Add(def)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"markets": ["MY", "TH"], "open_approval": true, "registration_within_campaign": false}`))
	f.Add([]byte(`{"Markets": ["MY"], "markets": ["ZZ", "MY", "MY"], "markets": []}`))
	f.Add([]byte(`{"open_approval": "yes", "registration_within_campaign": null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p campaign.Policy
		var err error
		deadline.Within(t, fuzzLimit, func() { p, err = campaign.ParsePolicy(data) })
		if err != nil {
			if !onlyFieldErrors(err) || !strings.HasPrefix(err.Error(), "campaign: ") {
				t.Fatalf("error %T %v", err, err)
			}
			if diff := cmp.Diff(campaign.Policy{}, p); diff != "" {
				t.Fatalf("a policy beside the error:\n%s", diff)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy accepted a policy Validate refuses: %v", err)
		}
		if _, err := campaign.New(p, com); err != nil {
			t.Fatalf("New refused a parsed policy: %v", err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := campaign.ParsePolicy(b)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if diff := cmp.Diff(p, q); diff != "" {
			t.Fatalf("round trip changed the policy (-want +got):\n%s", diff)
		}
	})
}

// What FuzzApply draws its actions' fields from: valid values, near misses and empties.
var (
	fuzzPartners = []string{"agency-1", "agency-2", "agency-3", ""}
	fuzzSellers  = []string{"shop-1", "shop-2", "shop-3", ""}
	fuzzProducts = []string{"serum", "toner", "lotion", ""}
	fuzzCreators = []string{"aisyah", "budi", "cara", ""}
	fuzzRates    = []string{"0%", "0.9999999%", "1%", "10%", "11.9999999%", "12%", "80%", "80.0000001%"}
	fuzzSamples  = []int64{5, 0, -1, 1 << 62}
)

// fuzzReader hands out the bytes of a fuzz input, zero once they run out.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) next() byte {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func pick[T any](r *fuzzReader, xs []T) T { return xs[int(r.next())%len(xs)] }

// instant returns the instant of the next action, after (or, for a hostile input, before) the
// last change prev: a signed number of 3-hour steps from it, or a value out of bounds.
func (r *fuzzReader) instant(prev time.Time) time.Time {
	switch b := r.next(); b {
	case 0xff:
		return time.Time{}
	case 0xfe:
		return time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfd:
		return time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfc:
		return prev.Add(-time.Nanosecond)
	default:
		return prev.Add(time.Duration(int8(b)) * 3 * time.Hour)
	}
}

// action decodes the next action.
func (r *fuzzReader) action() campaign.Action {
	switch r.next() % 7 {
	case 0:
		reg := campaign.Registration{Product: pick(r, fuzzProducts), Seller: pick(r, fuzzSellers), Rate: rate(pick(r, fuzzRates)),
			PartnerShare: rate("20%"), Samples: pick(r, fuzzSamples), Contact: pick(r, []string{"+60 3 1234", "", "\xff"})}
		el := eligible(reg.Product, reg.Seller)
		switch b := r.next(); b % 6 {
		case 1:
			el.State = eligibility.TemporarilyDisqualified
			el.Decision = affrules.Decide(affrules.Reason{Rule: "ELG-3", Key: "eligibility.elg3.failed", Observed: affrules.Ratio(50, 500), Limit: affrules.RateOf(rate("0.7%"))})
		case 2:
			el.State = eligibility.PermanentlyDisqualified
			el.Decision = affrules.Decide(affrules.Reason{Rule: "ELG-6", Key: "eligibility.elg6.frozen"})
		case 3:
			el = eligibility.Result{}
		case 4:
			el.ShopID = pick(r, fuzzSellers)
		case 5:
			el.Market = affrules.TH
		}
		return campaign.Register(reg, el)
	case 1:
		return campaign.Review(pick(r, fuzzPartners), pick(r, fuzzProducts), r.next()%2 == 0)
	case 2:
		partner, product := pick(r, fuzzPartners), pick(r, fuzzProducts)
		creators := make([]string, int(r.next())%3)
		for i := range creators {
			creators[i] = pick(r, fuzzCreators)
		}
		return campaign.MatchCreators(partner, product, creators...)
	case 3:
		return campaign.Publish(pick(r, fuzzSellers))
	case 4:
		return campaign.Join(pick(r, fuzzPartners))
	case 5:
		return campaign.SetSamples(pick(r, fuzzSellers), pick(r, fuzzProducts), pick(r, fuzzSamples))
	default:
		return campaign.Action{}
	}
}

// checkStep checks the invariants of one applied action: on error the campaign is unchanged
// and the error is a refusal or bad input; on success each product is registered once, statuses
// only move pending → approved / rejected, Updated moves forward to the instant, and matches,
// partners and publication only grow and only on approved products and joined partners.
func checkStep(t *testing.T, prev, got campaign.Campaign, a campaign.Action, at time.Time, err error) {
	t.Helper()
	if err != nil {
		var r *affrules.Refusal
		if !errors.As(err, &r) && !onlyFieldErrors(err) {
			t.Fatalf("%v at %s: error %T %v", a, at, err, err)
		}
		if errors.As(err, &r) && (r.Decision.Allowed || len(r.Decision.Failures()) == 0) {
			t.Fatalf("%v at %s: a refusal without a failed reason: %v", a, at, r)
		}
		if diff := cmp.Diff(prev, got); diff != "" {
			t.Fatalf("%v at %s refused with %v, and the campaign changed (-want +got):\n%s", a, at, err, diff)
		}
		return
	}
	if !got.Updated.Equal(at) || at.Before(prev.Updated) {
		t.Fatalf("%v at %s: Updated %s after %s", a, at, got.Updated, prev.Updated)
	}
	if !got.Created.Equal(prev.Created) || !prev.Published.IsZero() && !got.Published.Equal(prev.Published) {
		t.Fatalf("%v at %s: Created or Published changed", a, at)
	}
	if len(got.Products) < len(prev.Products) || len(got.Partners) < len(prev.Partners) {
		t.Fatalf("%v at %s: a product or partner was dropped", a, at)
	}
	if !slices.Equal(got.Partners[:len(prev.Partners)], prev.Partners) {
		t.Fatalf("%v at %s: partners changed", a, at)
	}
	for i, p := range got.Partners {
		if slices.ContainsFunc(got.Partners[:i], func(q campaign.Participant) bool { return q.Partner == p.Partner }) {
			t.Fatalf("%v at %s: partner %s joined twice", a, at, p.Partner)
		}
	}
	for i, r := range got.Products {
		if slices.ContainsFunc(got.Products[:i], func(q campaign.Registration) bool { return q.Product == r.Product }) {
			t.Fatalf("%v at %s: product %s registered twice (CMP-4)", a, at, r.Product)
		}
		if i < len(prev.Products) {
			was := prev.Products[i]
			if was.Product != r.Product || !was.Registered.Equal(r.Registered) {
				t.Fatalf("%v at %s: registration %d changed from %s to %s", a, at, i, was.Product, r.Product)
			}
			if was.Status != campaign.Pending && r.Status != was.Status {
				t.Fatalf("%v at %s: %s moved from %s to %s (CMP-5)", a, at, r.Product, was.Status, r.Status)
			}
			if !slices.Equal(r.Matches[:len(was.Matches)], was.Matches) {
				t.Fatalf("%v at %s: matches of %s rewritten", a, at, r.Product)
			}
		} else {
			want := campaign.Pending
			if got.Initiator == campaign.Seller {
				want = campaign.Approved
			}
			if r.Status != want || !r.Registered.Equal(at) || len(r.Matches) != 0 {
				t.Fatalf("%v at %s: new registration %+v", a, at, r)
			}
			if r.Samples < 0 || r.Rate.Cmp(got.Requirement) < 0 || r.Rate.Cmp(rate("1%")) < 0 || r.Rate.Cmp(rate("80%")) > 0 {
				t.Fatalf("%v at %s: registration %+v breaks CMP-4 or COM-9", a, at, r)
			}
		}
		if len(r.Matches) > 0 && r.Status != campaign.Approved {
			t.Fatalf("%v at %s: matches on %s product %s (CMP-5)", a, at, r.Status, r.Product)
		}
		for _, m := range r.Matches {
			ok := got.Initiator == campaign.Agency && m.Partner == got.Owner ||
				got.Initiator == campaign.Seller && slices.ContainsFunc(got.Partners, func(p campaign.Participant) bool { return p.Partner == m.Partner })
			if !ok || m.At.After(at) || !m.At.Before(got.Period.End) {
				t.Fatalf("%v at %s: match %+v on %s (COM-12)", a, at, m, r.Product)
			}
		}
	}
}

// Sequences of actions with fuzzed fields and instants, applied to a new campaign, never
// panic; every step keeps the campaign's invariants (checkStep); the offers of every campaign
// reached pass commission's Prepare.
func FuzzApply(f *testing.F) {
	// Each action is its kind (0 register, 1 review, 2 match, 3 publish, 4 join, 5 samples,
	// 6 the zero Action), indexes into the fuzz lists, then its instant in 3-hour steps from the
	// last change (0xfc–0xff: out of order or out of bounds). The campaigns are created on 30
	// November at 09:00; registration opens 15 hours later.
	f.Add(slices.Concat( // agency campaign for all sellers
		[]byte{0},
		[]byte{0, 0, 0, 5, 0, 0, 0, 8}, // shop-1 registers serum at 12%, eligible, on 1 Dec 09:00
		[]byte{0, 1, 1, 3, 0, 0, 0, 1}, // shop-2 registers toner at 10%: below the requirement
		[]byte{0, 1, 1, 5, 0, 0, 1, 1}, // again at 12%, temporarily disqualified
		[]byte{0, 1, 1, 5, 0, 0, 0, 1}, // again, eligible
		[]byte{1, 0, 0, 0, 8},          // agency-1 approves serum
		[]byte{1, 0, 1, 1, 1},          // and rejects toner
		[]byte{1, 0, 1, 0, 1},          // toner again: not pending
		[]byte{2, 0, 0, 2, 0, 1, 8},    // agency-1 matches aisyah and budi to serum
		[]byte{2, 0, 0, 1, 0, 1},       // aisyah again
		[]byte{2, 0, 1, 1, 2, 1},       // cara to the rejected toner
		[]byte{5, 0, 0, 2, 1},          // shop-1 sets serum's samples to -1
		[]byte{5, 0, 0, 1, 0xfc},       // to 0, out of order
		[]byte{5, 0, 0, 1, 127},        // to 0, after the registration period
	))
	f.Add(slices.Concat( // seller campaign for agency-1 and agency-2
		[]byte{2},
		[]byte{3, 0, 0},                  // shop-1 publishes without products
		[]byte{0, 0, 0, 5, 0, 0, 0, 0},   // registers serum at 12%
		[]byte{0, 2, 1, 5, 0, 0, 0, 0},   // shop-2 registers lotion: not the owner
		[]byte{4, 0, 1},                  // agency-1 joins before publication
		[]byte{3, 0, 1},                  // shop-1 publishes
		[]byte{3, 0, 0},                  // and again
		[]byte{4, 0, 1},                  // agency-1 joins before registration opens
		[]byte{4, 0, 4},                  // and once it is open
		[]byte{4, 1, 1},                  // agency-2 joins
		[]byte{4, 2, 1},                  // agency-3 is not in the audience
		[]byte{2, 0, 0, 1, 0, 1},         // agency-1 matches aisyah
		[]byte{2, 1, 0, 2, 0, 2, 1},      // agency-2 matches aisyah and cara
		[]byte{2, 2, 0, 1, 1, 1},         // agency-3 has not joined
		[]byte{1, 0, 0, 0, 1},            // a review in a seller campaign
		[]byte{0, 0, 1, 6, 1, 0, 0, 100}, // toner after the campaign
	))
	f.Add(slices.Concat( // agency campaign for shop-1 and shop-3: bad input and refusals
		[]byte{1},
		[]byte{0, 1, 1, 5, 0, 0, 0, 8},    // shop-2 is not in the audience
		[]byte{0, 0, 0, 1, 2, 1, 3, 1},    // 0.9999999%, -1 samples, no contact, zero eligibility
		[]byte{0, 0, 0, 7, 0, 0, 4, 1},    // 80.0000001%, another shop's eligibility
		[]byte{0, 0, 0, 6, 0, 0, 5, 1},    // another market's eligibility
		[]byte{0, 0, 0, 6, 3, 0, 2, 0xff}, // permanently disqualified, the zero time
		[]byte{0, 0, 0, 6, 3, 0, 0, 0xfe}, // 2300
		[]byte{0, 0, 0, 6, 3, 0, 0, 0xfd}, // 1800
		[]byte{0, 3, 3, 6, 3, 2, 0, 1},    // empty product and seller, contact not UTF-8
		[]byte{6, 1},                      // the zero Action
		[]byte{2, 3, 3, 0, 1},             // a match of no creators by nobody
		[]byte{2, 0, 0, 2, 3, 3, 1},       // two empty creators
		[]byte{3, 0, 1},                   // publish an agency campaign
		[]byte{4, 0, 1},                   // join it
	))
	f.Fuzz(func(t *testing.T, data []byte) {
		deadline.Within(t, fuzzLimit, func() {
			r := &fuzzReader{b: data}
			var terms campaign.Campaign
			switch r.next() % 3 {
			case 0:
				terms = agencyTerms(t)
			case 1:
				terms = agencyTerms(t)
				terms.Audience = campaign.Audience{IDs: []string{"shop-1", "shop-3"}}
			default:
				terms = sellerTerms(t)
			}
			c, err := ev.Create(terms, t0)
			if err != nil {
				t.Fatal(err)
			}
			for steps := 0; len(r.b) > 0 && steps < 64; steps++ {
				a := r.action()
				at := r.instant(c.Updated)
				before := snapshot(c)
				got, err := ev.Apply(c, a, at)
				if diff := cmp.Diff(before, c); diff != "" {
					t.Fatalf("%v changed the campaign given (-want +got):\n%s", a, diff)
				}
				checkStep(t, before, got, a, at, err)
				if err != nil {
					continue
				}
				c = got
				offers, err := ev.Offers(c, at)
				if err != nil {
					t.Fatalf("Offers at %s: %v", at, err)
				}
				if _, err := com.Prepare(offers...); err != nil {
					t.Fatalf("commission's Prepare refuses the offers at %s: %v", at, err)
				}
				owner := campaign.Viewer{Partner: c.Owner}
				if c.Initiator == campaign.Seller {
					owner = campaign.Viewer{Seller: c.Owner}
				}
				if v, err := ev.Visible(c, owner, at); err != nil || !v {
					t.Fatalf("the owner does not see the campaign at %s: %v", at, err)
				}
				for _, j := range campaign.JoinedBy("shop-1", []campaign.Campaign{c}) {
					for _, p := range j.Products {
						if p.Seller != "shop-1" {
							t.Fatalf("JoinedBy(shop-1) lists %+v", p)
						}
					}
				}
			}
		})
	})
}

// Dates never panics; a period it returns starts at the local midnight of the first day and
// ends at the local midnight after the last, in the market's zone, inside the library's
// instants (a campaign may use it); what it refuses is field errors.
func FuzzDates(f *testing.F) {
	f.Add("MY", "2026-12-01", "2026-12-10")
	f.Add("UK", "2026-03-29", "2026-03-29")
	f.Add("UK", "2026-10-25", "2026-10-24")
	f.Add("TH", "1900-01-01", "2199-12-31")
	f.Add("ZZ", "2026-2-30", "")
	f.Fuzz(func(t *testing.T, m, first, last string) {
		var p affrules.Period
		var err error
		deadline.Within(t, fuzzLimit, func() { p, err = campaign.Dates(affrules.MarketCode(m), first, last) })
		if err != nil {
			if !onlyFieldErrors(err) {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		mk, err := affrules.LookupMarket(affrules.MarketCode(m))
		if err != nil {
			t.Fatalf("a period for unknown market %q", m)
		}
		loc := mk.Location()
		fd, err1 := time.ParseInLocation(time.DateOnly, first, loc)
		ld, err2 := time.ParseInLocation(time.DateOnly, last, loc)
		if err1 != nil || err2 != nil || ld.Before(fd) {
			t.Fatalf("Dates(%q, %q, %q) accepted: %s", m, first, last, p)
		}
		if !p.Start.Equal(mk.Day(fd).Start) || !p.End.Equal(mk.Day(ld).End) || !p.End.After(p.Start) {
			t.Fatalf("Dates(%q, %q, %q) = %s", m, first, last, p)
		}
		if !p.Start.Equal(fd) && p.Start.In(loc).Format(time.DateOnly) != first {
			t.Fatalf("Dates(%q, %q, %q) starts on another day: %s", m, first, last, p)
		}
		c := agencyTerms(t)
		c.Market, c.Registration, c.Period = mk.Code, p, p
		if _, err := ev.Create(c, p.Start); err != nil { // created as it starts, not after it ends
			t.Fatalf("Create refuses the period Dates(%q, %q, %q) = %s: %v", m, first, last, p, err)
		}
	})
}
