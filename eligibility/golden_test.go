package eligibility_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// Typed reasons, as a host compares them.
func failed(rule affrules.RuleID, key string, observed, limit affrules.Value, subject string) affrules.Reason {
	return affrules.Reason{Rule: rule, Key: affrules.MessageKey(key), Observed: observed, Limit: limit, Subject: subject}
}

func notApplicable(rule affrules.RuleID, key string, observed, limit affrules.Value) affrules.Reason {
	return affrules.Reason{Rule: rule, Kind: affrules.NotApplicable, Key: affrules.MessageKey(key), Observed: observed, Limit: limit}
}

func permanent(key string) affrules.Reason {
	return affrules.Reason{Rule: eligibility.RulePermanent, Key: affrules.MessageKey(key)}
}

func campaign(state eligibility.State) affrules.Reason {
	return affrules.Reason{Rule: eligibility.RuleCampaigns, Key: "eligibility.elg9.failed", Observed: affrules.Text(state.String()), Limit: affrules.Text("eligible")}
}

var none affrules.Value

// agency holds both the MCN and the affiliate-partner role.
var agency = eligibility.Viewer{ID: "my-agency", MCN: true, Partner: true}

// TestGoldenReasons pins every reason the package gives: its typed values and key, and the English
// that Decision.String builds from them lazily, which must equal, word for word, the text the
// package printed before reasons were typed (taken from the previous release's output on the same
// inputs).
func TestGoldenReasons(t *testing.T) {
	e := eligibility.MustNew(thaiPolicy())
	bkk := time.FixedZone("ICT", 7*3600)
	shop := func(e *eligibility.Evaluator, s eligibility.Shop) eligibility.Result {
		t.Helper()
		s.ID = "s"
		r, err := e.Shop(s, t0)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	product := func(e *eligibility.Evaluator, sh eligibility.Result, p eligibility.Product) eligibility.Result {
		t.Helper()
		p.ID, p.ShopID = "p", "s"
		r, err := e.Product(p, sh, t0)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	good := shop(e, eligibility.Shop{Market: affrules.UK, StoreRating: dec("4.6")})
	goodTH := shop(e, eligibility.Shop{Market: affrules.TH, StoreRating: dec("4.6")})
	bad := shop(e, eligibility.Shop{Market: affrules.UK, StoreRating: dec("2"), LastCounterfeitViolation: t0.Add(-48 * time.Hour)})

	custom := eligibility.SeedThresholds()
	custom.MinReviews, custom.MinRefundCases, custom.CounterfeitWindowDays, custom.MinStoreRating = 12, 7, 30, dec("3.75")
	custom.Categories["home & garden"] = eligibility.Limits{NegativeReviewRate: affrules.MustParseRate("0.25%"), SellerFaultRefundRate: affrules.MustParseRate("1.125%")}
	ce := eligibility.MustNew(policyOf(mustTimeline(t, time.Time{}, custom)))
	cgood := shop(ce, eligibility.Shop{Market: affrules.SG, StoreRating: dec("5")})

	rate := affrules.MustParseRate
	elg1 := func(at time.Time, days int) affrules.Reason {
		return failed("ELG-1", "eligibility.elg1.failed", affrules.Instant(at), affrules.DaysOf(days), "")
	}
	elg2 := func(observed, limit string) affrules.Reason {
		return failed("ELG-2", "eligibility.elg2.failed", affrules.Decimal(dec(observed)), affrules.Decimal(dec(limit)), "")
	}
	elg3 := func(num, den int64, limit string, c affrules.Category) affrules.Reason {
		return failed("ELG-3", "eligibility.elg3.failed", affrules.Ratio(num, den), affrules.RateOf(rate(limit)), string(c))
	}
	elg4 := func(num, den int64, limit string, c affrules.Category) affrules.Reason {
		return failed("ELG-4", "eligibility.elg4.failed", affrules.Ratio(num, den), affrules.RateOf(rate(limit)), string(c))
	}
	elg3NA := func(reviews, min int64) affrules.Reason {
		return notApplicable("ELG-3", "eligibility.elg3.not_applicable", affrules.Count(reviews), affrules.Count(min))
	}
	elg4NA := func(cases, min int64) affrules.Reason {
		return notApplicable("ELG-4", "eligibility.elg4.not_applicable", affrules.Count(cases), affrules.Count(min))
	}
	fashion := eligibility.Product{Market: affrules.UK, Category: affrules.Fashion, Orders: 1000, Reviews: 4, NegativeReviewOrders: 4, RefundCases: 25, SellerFaultRefunds: 20}
	thLifestyle := eligibility.Product{Market: affrules.TH, Category: affrules.Lifestyle, Orders: 1000, Reviews: 50, NegativeReviewOrders: 7, RefundCases: 20, SellerFaultRefunds: 15}
	fmcg := eligibility.Product{Market: affrules.UK, Category: affrules.FMCG, Orders: 1000, Reviews: 50, RefundCases: 5}
	with := func(p eligibility.Product, f func(*eligibility.Product)) eligibility.Product { f(&p); return p }
	customFail := product(ce, cgood, eligibility.Product{Market: affrules.SG, Category: "home & garden", Orders: 800, Reviews: 12, NegativeReviewOrders: 2, RefundCases: 9, SellerFaultRefunds: 9})

	tests := []struct {
		name    string
		d       affrules.Decision
		reasons []affrules.Reason
		english string
	}{
		{"ELG-6 deactivated, ELG-1, ELG-2", shop(e, eligibility.Shop{Market: affrules.MY, StoreRating: dec("1.2"), LastCounterfeitViolation: t0.Add(-time.Hour), Deactivated: true}).Decision,
			[]affrules.Reason{permanent("eligibility.elg6.deactivated"), elg1(t0.Add(-time.Hour), 60), elg2("1.2", "2.5")},
			"denied: ELG-6 failed: permanently disqualified: later good metrics never lift it (observed seller account deactivated, limit no permanent disqualification); ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-11-21T08:00:00Z, limit none within 60 days); ELG-2 failed: store rating is below the minimum (observed 1.2, limit at least 2.5)"},
		{"ELG-6 shop permanent earlier", shop(e, eligibility.Shop{Market: affrules.UK, StoreRating: dec("4"), Previous: eligibility.PermanentlyDisqualified}).Decision,
			[]affrules.Reason{permanent("eligibility.elg6.earlier")},
			"denied: ELG-6 failed: permanently disqualified: later good metrics never lift it (observed permanently disqualified by an earlier evaluation, limit no permanent disqualification)"},
		{"ELG-1 in the violation's own offset", shop(e, eligibility.Shop{Market: affrules.TH, StoreRating: dec("4"), LastCounterfeitViolation: time.Date(2026, 10, 1, 8, 30, 15, 500, bkk)}).Decision,
			[]affrules.Reason{elg1(time.Date(2026, 10, 1, 8, 30, 15, 500, bkk), 60)},
			"denied: ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-10-01T08:30:15.0000005+07:00, limit none within 60 days); next allowed 2026-11-30T08:30:15.0000005+07:00"},
		{"ELG-2 trailing zero, Thai minimum", shop(e, eligibility.Shop{Market: affrules.TH, StoreRating: dec("2.40")}).Decision,
			[]affrules.Reason{elg2("2.40", "3")},
			"denied: ELG-2 failed: store rating is below the minimum (observed 2.4, limit at least 3)"},
		{"ELG-3 failed, ELG-4 not applicable", product(e, good, eligibility.Product{Market: affrules.UK, Category: affrules.Electronics, Orders: 400, Reviews: 120, NegativeReviewOrders: 4, RefundCases: 3, SellerFaultRefunds: 1}).Decision,
			[]affrules.Reason{elg3(4, 400, "1%", affrules.Electronics), elg4NA(3, 5)},
			"denied: ELG-3 failed: negative-review rate is not below the category limit (observed 1% (4/400), limit below 1% for electronics); ELG-4 not applicable: too few return/refund cases for the seller-fault refund rule (observed 3 return/refund cases, limit applies from 5 cases)"},
		{"ELG-3 not applicable, ELG-4 failed", product(e, good, fashion).Decision,
			[]affrules.Reason{elg3NA(4, 5), elg4(20, 1000, "1.8%", affrules.Fashion)},
			"denied: ELG-3 not applicable: too few reviews for the negative-review rule (observed 4 reviews, limit applies from 5 reviews); ELG-4 failed: seller-fault return/refund rate is not below the category limit (observed 2% (20/1000), limit below 1.8% for fashion)"},
		{"ELG-9 keeps failures only", product(e, good, fashion).ForCampaign(),
			[]affrules.Reason{campaign(eligibility.TemporarilyDisqualified), elg4(20, 1000, "1.8%", affrules.Fashion)},
			"denied: ELG-9 failed: only affiliate-eligible products may join a campaign (observed temporarily_disqualified, limit eligible); ELG-4 failed: seller-fault return/refund rate is not below the category limit (observed 2% (20/1000), limit below 1.8% for fashion)"},
		{"both not applicable, zero orders", product(e, good, eligibility.Product{Market: affrules.UK, Category: affrules.FMCG}).Decision,
			[]affrules.Reason{elg3NA(0, 5), elg4NA(0, 5)},
			"allowed: ELG-3 not applicable: too few reviews for the negative-review rule (observed 0 reviews, limit applies from 5 reviews); ELG-4 not applicable: too few return/refund cases for the seller-fault refund rule (observed 0 return/refund cases, limit applies from 5 cases)"},
		{"ELG-9 allows an eligible product", product(e, good, eligibility.Product{Market: affrules.UK, Category: affrules.FMCG}).ForCampaign(), nil, "allowed"},
		{"ELG-3, ELG-4 under the Thai override", product(e, goodTH, thLifestyle).Decision,
			[]affrules.Reason{elg3(7, 1000, "0.7%", affrules.Lifestyle), elg4(15, 1000, "1.5%", affrules.Lifestyle)},
			"denied: ELG-3 failed: negative-review rate is not below the category limit (observed 0.7% (7/1000), limit below 0.7% for lifestyle); ELG-4 failed: seller-fault return/refund rate is not below the category limit (observed 1.5% (15/1000), limit below 1.5% for lifestyle)"},
		{"ELG-6 frozen", product(e, good, with(fmcg, func(p *eligibility.Product) { p.Frozen = true })).Decision,
			[]affrules.Reason{permanent("eligibility.elg6.frozen")},
			"denied: ELG-6 failed: permanently disqualified: later good metrics never lift it (observed product frozen for a policy violation, limit no permanent disqualification)"},
		{"ELG-9 of a frozen product", product(e, good, with(fmcg, func(p *eligibility.Product) { p.Frozen = true })).ForCampaign(),
			[]affrules.Reason{campaign(eligibility.PermanentlyDisqualified), permanent("eligibility.elg6.frozen")},
			"denied: ELG-9 failed: only affiliate-eligible products may join a campaign (observed permanently_disqualified, limit eligible); ELG-6 failed: permanently disqualified: later good metrics never lift it (observed product frozen for a policy violation, limit no permanent disqualification)"},
		{"ELG-6 delisted", product(e, good, with(fmcg, func(p *eligibility.Product) { p.Delisted = true })).Decision,
			[]affrules.Reason{permanent("eligibility.elg6.delisted")},
			"denied: ELG-6 failed: permanently disqualified: later good metrics never lift it (observed product delisted for a policy violation, limit no permanent disqualification)"},
		{"ELG-6 product permanent earlier", product(e, good, with(fmcg, func(p *eligibility.Product) { p.Previous = eligibility.PermanentlyDisqualified })).Decision,
			[]affrules.Reason{permanent("eligibility.elg6.earlier")},
			"denied: ELG-6 failed: permanently disqualified: later good metrics never lift it (observed permanently disqualified by an earlier evaluation, limit no permanent disqualification)"},
		{"product of an ineligible shop", product(e, bad, with(fmcg, func(p *eligibility.Product) { p.Reviews = 3 })).Decision,
			[]affrules.Reason{elg3NA(3, 5), elg1(t0.Add(-48*time.Hour), 60), elg2("2", "2.5")},
			"denied: ELG-3 not applicable: too few reviews for the negative-review rule (observed 3 reviews, limit applies from 5 reviews); ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-11-19T09:00:00Z, limit none within 60 days); ELG-2 failed: store rating is below the minimum (observed 2, limit at least 2.5)"},
		{"ELG-9 of a product of an ineligible shop", product(e, bad, with(fmcg, func(p *eligibility.Product) { p.Reviews = 3 })).ForCampaign(),
			[]affrules.Reason{campaign(eligibility.TemporarilyDisqualified), elg1(t0.Add(-48*time.Hour), 60), elg2("2", "2.5")},
			"denied: ELG-9 failed: only affiliate-eligible products may join a campaign (observed temporarily_disqualified, limit eligible); ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-11-19T09:00:00Z, limit none within 60 days); ELG-2 failed: store rating is below the minimum (observed 2, limit at least 2.5)"},
		{"custom policy: ELG-1, ELG-2", shop(ce, eligibility.Shop{Market: affrules.SG, StoreRating: dec("3.7"), LastCounterfeitViolation: t0.Add(-72 * time.Hour)}).Decision,
			[]affrules.Reason{elg1(t0.Add(-72*time.Hour), 30), elg2("3.7", "3.75")},
			"denied: ELG-1 failed: shop had a counterfeit violation within the window (observed counterfeit violation at 2026-11-18T09:00:00Z, limit none within 30 days); ELG-2 failed: store rating is below the minimum (observed 3.7, limit at least 3.75)"},
		{"custom policy: ELG-3, ELG-4", customFail.Decision,
			[]affrules.Reason{elg3(2, 800, "0.25%", "home & garden"), elg4(9, 800, "1.125%", "home & garden")},
			"denied: ELG-3 failed: negative-review rate is not below the category limit (observed 0.25% (2/800), limit below 0.25% for home & garden); ELG-4 failed: seller-fault return/refund rate is not below the category limit (observed 1.125% (9/800), limit below 1.125% for home & garden)"},
		{"custom policy: ELG-9", customFail.ForCampaign(),
			[]affrules.Reason{campaign(eligibility.TemporarilyDisqualified), elg3(2, 800, "0.25%", "home & garden"), elg4(9, 800, "1.125%", "home & garden")},
			"denied: ELG-9 failed: only affiliate-eligible products may join a campaign (observed temporarily_disqualified, limit eligible); ELG-3 failed: negative-review rate is not below the category limit (observed 0.25% (2/800), limit below 0.25% for home & garden); ELG-4 failed: seller-fault return/refund rate is not below the category limit (observed 1.125% (9/800), limit below 1.125% for home & garden)"},
		{"custom policy: not applicable", product(ce, cgood, eligibility.Product{Market: affrules.SG, Category: "home & garden", Orders: 800, Reviews: 11, RefundCases: 6}).Decision,
			[]affrules.Reason{elg3NA(11, 12), elg4NA(6, 7)},
			"allowed: ELG-3 not applicable: too few reviews for the negative-review rule (observed 11 reviews, limit applies from 12 reviews); ELG-4 not applicable: too few return/refund cases for the seller-fault refund rule (observed 6 return/refund cases, limit applies from 7 cases)"},
		{"ELG-7 every condition", eligibility.DefaultListing().Listed(agency, eligibility.CreatorPartnership, eligibility.Creator{ID: "c", LinkedMCN: "other-agency", OfficialAccount: true, MarketingAccount: true}),
			[]affrules.Reason{
				failed("ELG-7", "eligibility.elg7.no_ecommerce_permission", none, none, ""),
				failed("ELG-7", "eligibility.elg7.linked_to_other_mcn", affrules.Text("other-agency"), none, ""),
				failed("ELG-7", "eligibility.elg7.official_account", none, none, ""),
				failed("ELG-7", "eligibility.elg7.marketing_account", none, none, ""),
			},
			"denied: ELG-7 failed: creator lacks e-commerce permission (observed no e-commerce permission, limit e-commerce permission); ELG-7 failed: creator is linked to another MCN (observed linked to MCN other-agency, limit not linked to another MCN); ELG-7 failed: official accounts are not listed (observed official account, limit not an official account); ELG-7 failed: marketing accounts are not listed (observed marketing account, limit not a marketing account)"},
		{"INV-12 and the purpose's role", eligibility.DefaultListing().Listed(eligibility.Viewer{ID: "tap-1", Partner: true}, eligibility.CreatorPartnership, eligibility.Creator{ID: "c", ECommercePermission: true}),
			[]affrules.Reason{
				failed("INV-12", "eligibility.inv12.no_marketplace_access", affrules.Text("the affiliate-partner role only"), none, "tap-1"),
				failed("INV-7", "eligibility.inv7.purpose_not_held", affrules.Text("creator_partnership"), affrules.Text("the MCN role"), "tap-1"),
			},
			"denied: INV-12 failed: only MCN/CAP accounts use the Affiliate Marketplace (observed account tap-1 holds the affiliate-partner role only, limit the MCN/CAP role); INV-7 failed: the account does not hold the role of the purpose (observed creator_partnership by account tap-1, limit the MCN role)"},
		{"unknown purpose, no role", eligibility.DefaultListing().Listed(eligibility.Viewer{ID: "x"}, "", eligibility.Creator{ID: "c", ECommercePermission: true}),
			[]affrules.Reason{
				failed("INV-12", "eligibility.inv12.no_marketplace_access", affrules.Text("no role"), none, "x"),
				failed("INV-7", "eligibility.inv7.unknown_purpose", affrules.Text(""), none, ""),
			},
			"denied: INV-12 failed: only MCN/CAP accounts use the Affiliate Marketplace (observed account x holds no role, limit the MCN/CAP role); INV-7 failed: nothing is listed for an unknown purpose (observed purpose , limit creator_partnership or product_distribution)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.reasons, tt.d.Reasons, cmp.Comparer(func(a, b affrules.Value) bool { return a == b })); diff != "" {
				t.Errorf("typed reasons (-want +got):\n%s", diff)
			}
			if got := tt.d.String(); got != tt.english {
				t.Errorf("English:\n got %s\nwant %s", got, tt.english)
			}
		})
	}
}
