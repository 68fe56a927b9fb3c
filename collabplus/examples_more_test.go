package collabplus_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// A seller's record in Thailand, and one in a market where Collaboration Plus does not run.
func ExampleEvaluator_NewSeller() {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	s, err := e.NewSeller("shop-1", affrules.TH, time.Date(2026, 2, 1, 9, 0, 0, 0, bkk))
	fmt.Println(s.ID, s.Market, s.Updated.Format(time.RFC3339), len(s.Collaborations), err)

	p := collabplus.DefaultPolicy()
	p.Markets = []affrules.MarketCode{affrules.MY}
	myOnly := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	_, err = myOnly.NewSeller("shop-1", affrules.TH, time.Date(2026, 2, 1, 9, 0, 0, 0, bkk))
	fmt.Println(err)
	// Output:
	// shop-1 TH 2026-02-01T09:00:00+07:00 0 <nil>
	// collabplus: seller.market "TH": Collaboration Plus does not run there (policy markets [MY]): unknown market
}

// CP-3, the seed's example: five collaborations submitted on day 1 (1 March); a sixth is
// refused until day 31 begins in Bangkok.
func ExampleEvaluator_Quota() {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	march := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, bkk) }
	terms := collabplus.Terms{
		Type: collabplus.Task, Period: affrules.Period{Start: time.Date(2026, 4, 15, 0, 0, 0, 0, bkk), End: time.Date(2026, 4, 29, 0, 0, 0, 0, bkk)},
		Products: []collabplus.Product{{ID: "lamp"}}, Group: "all",
		Tasks:      []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Content, Target: decimal.NewFromInt(2)}},
		Reward:     decimal.RequireFromString("300.00"),
		Objectives: []collabplus.Objective{{Name: "content", Budget: decimal.RequireFromString("6000.00"), Target: decimal.NewFromInt(40)}},
	}
	facts := collabplus.Facts{Allowlisted: true, Eligibility: []eligibility.Result{{ID: "lamp", ShopID: "shop-1", Market: affrules.TH, State: eligibility.Eligible, Decision: affrules.Decide()}}}

	s, _ := e.NewSeller("shop-1", affrules.TH, march(1, 8))
	s, _ = e.Apply(s, collabplus.SaveGroup(collabplus.Group{ID: "all"}), march(1, 8))
	for i := 1; i <= 5; i++ {
		id := fmt.Sprintf("c%d", i)
		s, _ = e.Apply(s, collabplus.NewDraft(collabplus.Collaboration{ID: id, Preferences: terms}), march(1, 8+i))
		s, _ = e.Apply(s, collabplus.Submit(id, facts), march(1, 8+i))
	}
	for _, at := range []time.Time{march(15, 12), march(31, 0).Add(-time.Nanosecond), march(31, 0)} {
		d, _ := e.Quota(s, at)
		fmt.Println(at.Format(time.RFC3339Nano), d)
	}
	// Output:
	// 2026-03-15T12:00:00+07:00 denied: CP-3 failed: creation quota reached (observed 5 submitted in the window, limit at most 5); next allowed 2026-03-31T00:00:00+07:00
	// 2026-03-30T23:59:59.999999999+07:00 denied: CP-3 failed: creation quota reached (observed 5 submitted in the window, limit at most 5); next allowed 2026-03-31T00:00:00+07:00
	// 2026-03-31T00:00:00+07:00 allowed
}

// CP-7: the state of a collaboration at any instant, from its events: submitted on 20 February
// at 10:00 (payment due within 24 hours), paid at 12:00, running 1–14 March.
func ExampleCollaboration_StateAt() {
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, bkk) }
	c := collabplus.Collaboration{
		ID: "spring", Market: affrules.TH,
		Preferences: collabplus.Terms{Type: collabplus.Task, Period: affrules.Period{Start: at(3, 1, 0), End: at(3, 15, 0)}},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: at(2, 20, 10), Due: at(2, 21, 10)},
			{Kind: collabplus.PaidEvent, At: at(2, 20, 12), Method: "bank_transfer"},
		},
	}
	for _, t := range []time.Time{at(2, 20, 9), at(2, 20, 11), at(2, 25, 0), at(3, 1, 0), at(3, 15, 0).Add(-time.Nanosecond), at(3, 15, 0)} {
		fmt.Println(t.Format("Jan 2 15:04:05.000000000"), c.StateAt(t))
	}
	unpaid := c
	unpaid.Events = c.Events[:1]
	fmt.Println("unpaid:", unpaid.StateAt(at(2, 21, 10).Add(-time.Nanosecond)), unpaid.StateAt(at(2, 21, 10)))
	// Output:
	// Feb 20 09:00:00.000000000 draft
	// Feb 20 11:00:00.000000000 pending_payment
	// Feb 25 00:00:00.000000000 paid
	// Mar 1 00:00:00.000000000 ongoing
	// Mar 14 23:59:59.999999999 ongoing
	// Mar 15 00:00:00.000000000 ended
	// unpaid: pending_payment expired
}

// CP-4: a creator is matched against every condition of a group; a refusal lists each
// attribute that failed, with the creator's value and the group's condition.
func ExampleGroup_Match() {
	min := decimal.NewFromInt(18)
	g := collabplus.Group{
		ID: "beauty-pros", Categories: []affrules.Category{"beauty"}, MinLevel: level.L3, MaxLevel: lcLevel(level.L6),
		ContentTypes: []string{"video", "live"}, MinFollowers: 5000, MaxRisk: collabplus.LowRisk,
		Criteria: []collabplus.Criterion{{Attribute: "age", Min: &min}},
	}
	ok := collabplus.Creator{ID: "mali", Categories: []affrules.Category{"beauty", "fashion"}, Level: level.L4,
		ContentTypes: []string{"video"}, Followers: 12000, Risk: collabplus.LowRisk, Attributes: map[string]string{"age": "24"}}
	fmt.Println(g.Match(ok))

	no := collabplus.Creator{ID: "niran", Categories: []affrules.Category{"food"}, Level: level.L7,
		ContentTypes: []string{"video"}, Followers: 900, Risk: collabplus.HighRisk}
	for _, r := range g.Match(no).Reasons {
		fmt.Println(r)
	}
	// Output:
	// allowed
	// CP-4 failed: creator does not promote the group's categories (observed food, limit one of beauty)
	// CP-4 failed: creator level above the group's range (observed L7, limit at most L6)
	// CP-4 failed: follower count below the group's range (observed 900, limit at least 5000)
	// CP-4 failed: fake-order risk above the group's limit (observed high, limit at most low)
	// CP-4 failed: creator does not meet the group's condition on age (observed none, limit 18–)
}

// CP-13: Y was blocked on 10 February and unblocked on 1 March. A collaboration published on
// 20 February stays closed to them; one published on 2 March is open.
func ExampleBlocklist_Allows() {
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, bkk) }
	b := collabplus.Blocklist{
		{Creator: "y", Blocked: true, At: at(2, 10)},
		{Creator: "y", Blocked: false, At: at(3, 1)},
	}
	fmt.Println(b.BlockedAt("y", at(2, 20)), b.BlockedAt("y", at(3, 5)))
	fmt.Println(b.Allows("y", at(2, 20), at(3, 5)))
	fmt.Println(b.Allows("y", at(3, 2), at(3, 5)))
	// Output:
	// true false
	// denied: CP-13 failed: creator blocked by the seller since the collaboration was published (observed blocked 2026-02-10T00:00:00+07:00, limit published 2026-02-20T00:00:00+07:00)
	// allowed
}

// COM-3, COM-4: a paid collaboration's offers for commission's resolver: the lamp at an
// exclusive 15%, the mug with none (the Open rate applies). Mali, a member since 2 March, earns
// 15% on the lamp until the end instant and the Open rate after it.
func ExampleEvaluator_Offers() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := collabplus.MustNew(collabplus.DefaultPolicy(), com)
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, bkk) }
	c := collabplus.Collaboration{
		ID: "spring", Market: affrules.TH,
		Preferences: collabplus.Terms{Type: collabplus.Task, Period: affrules.Period{Start: at(3, 1, 0), End: at(3, 15, 0)},
			Products: []collabplus.Product{{ID: "lamp", Rate: affrules.MustParseRate("15%")}, {ID: "mug"}}},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: at(2, 20, 10), Due: at(2, 21, 10)},
			{Kind: collabplus.PaidEvent, At: at(2, 20, 12), Method: "credit_card"},
		},
		Members: []collabplus.Member{{Creator: "mali", Joined: at(3, 2, 9)}},
	}
	offers, err := e.Offers(c, at(3, 14, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range offers {
		r, ok := o.Rates.At(at(3, 5, 0))
		fmt.Println(o.ID, o.Source, o.Period.End.Format(time.RFC3339), len(o.Members), r.Rate, ok)
	}

	ten, _ := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: at(1, 1, 0), Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	open := func(product string) commission.Offer { // listed in Open Collaboration at 10% since 1 January
		return commission.Offer{ID: "open-" + product, Source: commission.Open, Market: affrules.TH, Product: product, Coverage: commission.Everyone,
			Period: affrules.Period{Start: at(1, 1, 0)}, Rates: ten}
	}
	book, err := com.Prepare(append(offers, open("lamp"), open("mug"))...)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range []struct {
		product string
		at      time.Time
	}{{"lamp", at(3, 5, 0)}, {"mug", at(3, 5, 0)}, {"lamp", at(3, 15, 0)}} {
		order := commission.Order{ID: "o-" + o.product, Creator: "mali", Product: o.product, Market: affrules.TH, Attributed: true, OrderCount: 1,
			PromotingSince: at(2, 1, 0), Currency: "THB", Price: decimal.RequireFromString("100.00")}
		r, err := com.Resolve(book, order, o.at)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(o.product, o.at.Format("Jan 2 15:04"), r.Source, r.Rate)
	}
	// Output:
	// spring/lamp COLLAB_PLUS 2026-03-15T00:00:00+07:00 1 15% true
	// spring/mug COLLAB_PLUS 2026-03-15T00:00:00+07:00 1 0% false
	// lamp Mar 5 00:00 COLLAB_PLUS 15%
	// mug Mar 5 00:00 OPEN 10%
	// lamp Mar 15 00:00 OPEN 10%
}

// A host's policy in JSON: settings left out keep their defaults; a key that names no field is
// an error naming it.
func ExampleParsePolicy() {
	p, err := collabplus.ParsePolicy([]byte(`{"quota_limit": 3, "quota_calendar_days": false, "open_markets": ["TH"]}`))
	fmt.Println(p.QuotaLimit, p.QuotaDays, p.QuotaCalendarDays, p.OpenMarkets, p.MaxGroups, err)

	_, err = collabplus.ParsePolicy([]byte(`{"quota_limit": 3, "Max_Groups": 50}`))
	fmt.Println(err)
	// Output:
	// 3 30 false [TH] 100 <nil>
	// collabplus: policy "Max_Groups": is not a field: keys are case-sensitive (did you mean "max_groups"?)
}
