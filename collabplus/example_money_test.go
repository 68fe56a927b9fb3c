package collabplus_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
)

// The seed's example in the UK (CP-9, CP-10, CP-11): paid on January 30, running February
// 1–14, two objectives partly met, the refund processed on February 25. The excess is refunded
// 7–14 days after the end, the extra fee is charged in February and returned in March, and the
// tax report is out on February 7.
func ExampleEvaluator_Settle() {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	london, _ := time.LoadLocation("Europe/London")
	on := func(m time.Month, d, h int) time.Time { return time.Date(2027, m, d, h, 0, 0, 0, london) }
	paid := on(time.January, 30, 10)
	c := collabplus.Collaboration{
		ID: "spring-launch", Market: affrules.UK,
		Preferences: collabplus.Terms{
			Type:   collabplus.Task,
			Period: affrules.Period{Start: on(time.February, 1, 0), End: on(time.February, 15, 0)}, // Feb 1–14
			Tasks:  []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Content, Target: decimal.NewFromInt(1)}},
			Reward: decimal.RequireFromString("40.00"),
			Objectives: []collabplus.Objective{
				{Name: "gmv", Budget: decimal.RequireFromString("600.00"), Target: decimal.NewFromInt(10000)},
				{Name: "orders", Budget: decimal.RequireFromString("400.00"), Target: decimal.NewFromInt(200)},
			},
		},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: paid.Add(-time.Hour), Due: paid.Add(23 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: paid, Method: "credit_card"},
		},
	}
	achieved := []decimal.Decimal{decimal.NewFromInt(7500), decimal.NewFromInt(250)} // 75% of the GMV, above the orders target
	s, err := e.Settle(c, achieved, on(time.February, 25, 9), on(time.February, 20, 0))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("paid %s %s: charged %s, refunded %s\n", s.Paid.StringFixed(2), s.Currency, s.Charged.StringFixed(2), s.Refunded.StringFixed(2))
	for _, o := range s.Objectives {
		fmt.Printf("  %s: %s of %s\n", o.Name, o.Charged.StringFixed(2), o.Budget.StringFixed(2))
	}
	fmt.Println("refund due from", s.RefundFrom.Format(time.DateOnly), "to before", s.RefundBy.Format(time.DateOnly))
	fmt.Printf("extra fee %s charged in %s, returned in %s\n", s.ExtraFee.StringFixed(2), s.ExtraFeeCharged, s.ExtraFeeReturned)
	fmt.Println("tax report", s.TaxReport.Format(time.RFC3339))
	// Output:
	// paid 1000.00 GBP: charged 850.00, refunded 150.00
	//   gmv: 450.00 of 600.00
	//   orders: 400.00 of 400.00
	// refund due from 2027-02-22 to before 2027-03-01
	// extra fee 110.00 charged in 2027-02, returned in 2027-03
	// tax report 2027-02-07T00:00:00Z
}

// A task collaboration in Thailand with two tasks (CP-5): one creator completes both within
// the period and is rewarded at the second completion; another completes the LIVE only after
// the end and earns nothing.
func ExampleEvaluator_TaskReward() {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	bangkok, _ := time.LoadLocation("Asia/Bangkok")
	on := func(d, h int) time.Time { return time.Date(2026, time.March, d, h, 0, 0, 0, bangkok) }
	paid := time.Date(2026, time.February, 25, 10, 0, 0, 0, bangkok)
	c := collabplus.Collaboration{
		ID: "serum-tasks", Market: affrules.TH,
		Preferences: collabplus.Terms{
			Type:   collabplus.Task,
			Period: affrules.Period{Start: on(1, 0), End: on(21, 0)}, // Mar 1–20
			Tasks: []collabplus.TaskSpec{
				{ContentType: "video", Goal: collabplus.Content, Target: decimal.NewFromInt(2)},
				{ContentType: "live", Goal: collabplus.Sales, Target: decimal.NewFromInt(3000)},
			},
			Reward:     decimal.RequireFromString("500.00"),
			Objectives: []collabplus.Objective{{Name: "gmv", Budget: decimal.NewFromInt(20000), Target: decimal.NewFromInt(100000)}},
		},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: paid.Add(-time.Hour), Due: paid.Add(23 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: paid, Method: "bank_transfer"},
		},
		Members: []collabplus.Member{{Creator: "malee", Joined: on(2, 9)}, {Creator: "somchai", Joined: on(3, 14)}},
	}
	r, d, _ := e.TaskReward(c, "malee", []collabplus.Completion{{Task: 0, At: on(6, 20)}, {Task: 1, At: on(12, 19)}})
	fmt.Println(d, "-", r.Creator, r.Amount.StringFixed(2), "THB due", r.Due.Format(time.RFC3339))
	r, d, _ = e.TaskReward(c, "somchai", []collabplus.Completion{{Task: 0, At: on(8, 20)}, {Task: 1, At: on(21, 20)}})
	fmt.Println(d)
	fmt.Println(r == collabplus.Reward{})
	// Output:
	// allowed - malee 500.00 THB due 2026-03-12T19:00:00+07:00
	// denied: CP-5 failed: tasks[1] completed after the period: no task reward (observed completed 2026-03-21T20:00:00+07:00, limit period ended 2026-03-21T00:00:00+07:00)
	// true
}

// A GMV challenge in Singapore (CP-6): ranked by GMV, two creators tied on it ordered by who
// reached it first, an unqualified creator left out, and the fourth below the last tier.
func ExampleEvaluator_Rank() {
	e := collabplus.MustNew(collabplus.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
	sg, _ := time.LoadLocation("Asia/Singapore")
	on := func(d, h int) time.Time { return time.Date(2026, time.May, d, h, 0, 0, 0, sg) }
	paid := time.Date(2026, time.April, 20, 10, 0, 0, 0, sg)
	c := collabplus.Collaboration{
		ID: "may-challenge", Market: affrules.SG,
		Preferences: collabplus.Terms{
			Type: collabplus.Challenge, Goal: collabplus.Sales,
			Period:     affrules.Period{Start: on(1, 0), End: on(31, 0)}, // May 1–30
			Tiers:      []collabplus.RankTier{{To: 1, Reward: decimal.NewFromInt(300)}, {To: 3, Reward: decimal.NewFromInt(100)}},
			Objectives: []collabplus.Objective{{Name: "gmv", Budget: decimal.NewFromInt(1000), Target: decimal.NewFromInt(50000)}},
		},
		Events: []collabplus.Event{
			{Kind: collabplus.Submitted, At: paid.Add(-time.Hour), Due: paid.Add(23 * time.Hour)},
			{Kind: collabplus.PaidEvent, At: paid, Method: "credit_card"},
		},
	}
	for _, m := range []string{"aiden", "bella", "chloe", "darius", "elena"} {
		c.Members = append(c.Members, collabplus.Member{Creator: m, Joined: on(1, 9)})
	}
	gmv := decimal.RequireFromString
	rewards, err := e.Rank(c, []collabplus.Score{
		{Creator: "aiden", Value: gmv("1840.50"), Reached: on(28, 21), Qualified: true},
		{Creator: "bella", Value: gmv("2310.00"), Reached: on(29, 12), Qualified: true},
		{Creator: "chloe", Value: gmv("1840.5"), Reached: on(27, 18), Qualified: true}, // tied with aiden, reached first
		{Creator: "darius", Value: gmv("5000.00"), Reached: on(20, 10), Qualified: false},
		{Creator: "elena", Value: gmv("920.00"), Reached: on(25, 8), Qualified: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rewards {
		fmt.Printf("%d. %s %s SGD, due %s\n", r.Rank, r.Creator, r.Amount, r.Due.Format(time.RFC3339))
	}
	// Output:
	// 1. bella 300 SGD, due 2026-05-31T00:00:00+08:00
	// 2. chloe 100 SGD, due 2026-05-31T00:00:00+08:00
	// 3. aiden 100 SGD, due 2026-05-31T00:00:00+08:00
}

// A member's status as the seller sees it (CP-12).
func ExampleStatusOf() {
	for _, p := range []collabplus.Progress{
		{},
		{SampleDelivered: true},
		{SampleDelivered: true, Posted: true},
		{SampleDelivered: true, Posted: true, Finished: true},
	} {
		fmt.Printf("%+v: %s\n", p, collabplus.StatusOf(p))
	}
	// Output:
	// {Finished:false SampleDelivered:false Posted:false}: unfinished
	// {Finished:false SampleDelivered:true Posted:false}: havent_fulfilled
	// {Finished:false SampleDelivered:true Posted:true}: unfinished
	// {Finished:true SampleDelivered:true Posted:true}: finished
}

// Advisories on a seller's settings in Thailand (CP-16, CP-19), where the platform recommends
// periods of three weeks and task rewards of 300 THB: a six-day period with free samples and a
// low reward, and an exclusive shop-ads rate without the prompt to authorise videos. None of
// them blocks the collaboration.
func ExampleEvaluator_Advise() {
	p := collabplus.DefaultPolicy()
	p.Recommended = map[affrules.MarketCode]collabplus.Recommendation{
		affrules.TH: {MinDays: 21, MinReward: decimal.NewFromInt(300)},
	}
	e := collabplus.MustNew(p, commission.MustNew(commission.DefaultPolicy()))
	bangkok, _ := time.LoadLocation("Asia/Bangkok")
	t := collabplus.Terms{
		Type:        collabplus.Task,
		Period:      affrules.Period{Start: time.Date(2026, time.June, 1, 0, 0, 0, 0, bangkok), End: time.Date(2026, time.June, 7, 0, 0, 0, 0, bangkok)}, // Jun 1–6
		Products:    []collabplus.Product{{ID: "serum", Rate: affrules.MustParseRate("15%"), ShopAds: affrules.MustParseRate("18%")}},
		Tasks:       []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Content, Target: decimal.NewFromInt(1)}},
		Reward:      decimal.RequireFromString("150.00"),
		FreeSamples: true,
	}
	advisories, err := e.Advise(affrules.TH, t)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range advisories {
		fmt.Println(a)
	}
	fmt.Println(affrules.Decide(advisories...).Allowed)
	// Output:
	// CP-16 not applicable: period may be too short to deliver samples and post content (advisory) (observed 6 days, limit at least 21 days)
	// CP-16 not applicable: period shorter than recommended in TH: low exposure (advisory) (observed 6 days, limit recommended at least 21 days)
	// CP-16 not applicable: task reward below the recommended reward in TH: low exposure (advisory) (observed 150 THB, limit recommended at least 300 THB)
	// CP-19 not applicable: exclusive shop-ads rate for serum while creators are not prompted to authorise videos: shop-ads commission needs an authorised video (advisory) (observed shop-ads rate 18%, limit prompt on)
	// true
}
