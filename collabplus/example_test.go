package collabplus_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

// A Thai seller's task collaboration from draft to payment; one creator joins, one is refused by
// the creator group and one by the blocklist.
func ExampleEvaluator_Apply() {
	com := commission.MustNew(commission.DefaultPolicy())
	e := collabplus.MustNew(collabplus.DefaultPolicy(), com)
	bkk, _ := time.LoadLocation("Asia/Bangkok")
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, bkk) }

	s, _ := e.NewSeller("shop-1", affrules.TH, day(1, 5, 9))
	terms := collabplus.Terms{
		Type:     collabplus.Task,
		Period:   affrules.Period{Start: day(2, 1, 0), End: day(2, 15, 0)}, // Feb 1–14
		Products: []collabplus.Product{{ID: "lamp", Rate: affrules.MustParseRate("15%")}},
		Group:    "beauty-l3",
		Tasks:    []collabplus.TaskSpec{{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)}},
		Reward:   decimal.RequireFromString("500.00"),
		Objectives: []collabplus.Objective{{Name: "orders", Budget: decimal.RequireFromString("10000.00"),
			Target: decimal.NewFromInt(400)}},
	}
	facts := collabplus.Facts{Allowlisted: true, Eligibility: []eligibility.Result{
		{ID: "lamp", ShopID: "shop-1", Market: affrules.TH, State: eligibility.Eligible, Decision: affrules.Decide()}}}
	steps := []struct {
		a  collabplus.Action
		at time.Time
	}{
		{collabplus.SaveGroup(collabplus.Group{ID: "beauty-l3", MinLevel: level.L3}), day(1, 5, 10)},
		{collabplus.NewDraft(collabplus.Collaboration{ID: "feb-lamp", Preferences: terms}), day(1, 5, 11)},
		{collabplus.Submit("feb-lamp", facts), day(1, 20, 9)},
		{collabplus.Pay("feb-lamp", "bank_transfer"), day(1, 20, 15)},
		{collabplus.BlockCreator("kai"), day(1, 25, 9)},
		{collabplus.Join("feb-lamp", collabplus.Creator{ID: "mali", Level: level.L4}), day(2, 2, 9)},
		{collabplus.Join("feb-lamp", collabplus.Creator{ID: "niran", Level: level.L1}), day(2, 2, 10)},
		{collabplus.Join("feb-lamp", collabplus.Creator{ID: "kai", Level: level.L5}), day(2, 2, 11)},
	}
	for _, st := range steps {
		next, err := e.Apply(s, st.a, st.at)
		var refusal *affrules.Refusal
		switch {
		case errors.As(err, &refusal):
			fmt.Println(err)
			continue
		case err != nil:
			fmt.Println(err)
			return
		}
		s = next
	}
	c := s.Collaborations[0]
	fmt.Println(c.StateAt(day(1, 20, 10)), c.StateAt(day(1, 31, 0)), c.StateAt(day(2, 2, 0)), c.StateAt(day(2, 15, 0)))
	fmt.Println("members:", c.Members[0].Creator)
	// Output:
	// collabplus: join "niran" refused: CP-4 failed: creator level below the group's range (observed L1, limit at least L3)
	// collabplus: join "kai" refused: CP-13 failed: creator blocked by the seller since the collaboration was published (observed blocked 2026-01-25T09:00:00+07:00, limit published 2026-01-20T15:00:00+07:00)
	// pending_payment paid ongoing ended
	// members: mali
}
