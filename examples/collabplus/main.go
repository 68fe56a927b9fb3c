// Command collabplus walks through a seller's task Collaboration Plus (SPEC §5) in Thailand: from
// draft to payment under the creation quota, creators joining (one refused by its creator group,
// one by the seller's blocklist), a partial achievement with the charge and the refund and their
// dates, and the commission one member earns during the collaboration and after it (COM-3).
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/level"
)

func main() {
	ctx := context.Background()
	com := commission.MustNew(commission.DefaultPolicy())
	ev := collabplus.MustNew(collabplus.DefaultPolicy(), com)
	store := collabplus.NewMemory()
	bkk, err := time.LoadLocation("Asia/Bangkok")
	if err != nil {
		log.Fatal(err)
	}
	at := func(m time.Month, d, h, mi int) time.Time { return time.Date(2027, m, d, h, mi, 0, 0, bkk) }

	// The lamp is in Open Collaboration at 10% since January 1.
	rates, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: at(1, 1, 0, 0), Value: commission.Terms{Rate: affrules.MustParseRate("10%")}})
	if err != nil {
		log.Fatal(err)
	}
	open := commission.Offer{ID: "open-lamp", Source: commission.Open, Market: affrules.TH, Product: "lamp",
		Coverage: commission.Everyone, Period: affrules.Period{Start: at(1, 1, 0, 0)}, Rates: rates}

	seller, err := ev.NewSeller("shop-siam", affrules.TH, at(1, 2, 9, 0))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := store.Create(ctx, seller); err != nil {
		log.Fatal(err)
	}
	// run applies each step through the store and prints what happened; a refusal lists every
	// rule that failed.
	var s collabplus.Seller
	type step struct {
		what string
		a    collabplus.Action
		when time.Time
	}
	run := func(steps ...step) {
		for _, st := range steps {
			next, err := store.Apply(ctx, ev, "shop-siam", st.a, st.when)
			var refusal *affrules.Refusal
			switch {
			case errors.As(err, &refusal):
				fmt.Printf("%s: refused\n", st.what)
				for _, r := range refusal.Decision.Failures() {
					fmt.Println("   ", r)
				}
				if !refusal.Decision.NextAllowed.IsZero() {
					fmt.Println("    next allowed", refusal.Decision.NextAllowed.Format(time.DateTime))
				}
			case err != nil:
				log.Fatal(err)
			default:
				s = next
				fmt.Printf("%s: done\n", st.what)
			}
		}
	}

	// CP-4: the creator group; CP-7: the draft, submitted, then paid too late.
	feb := collabplus.Terms{
		Type:     collabplus.Task,
		Period:   affrules.Period{Start: at(2, 1, 0, 0), End: at(2, 15, 0, 0)}, // Feb 1–14, 14 days (CP-2)
		Products: []collabplus.Product{{ID: "lamp", Rate: affrules.MustParseRate("15%")}},
		Group:    "home-l3",
		Tasks: []collabplus.TaskSpec{
			{ContentType: "video", Goal: collabplus.Content, Target: decimal.NewFromInt(2)},
			{ContentType: "video", Goal: collabplus.Orders, Target: decimal.NewFromInt(20)},
		},
		Reward: decimal.RequireFromString("800.00"),
		Objectives: []collabplus.Objective{
			{Name: "orders", Budget: decimal.RequireFromString("30000.00"), Target: decimal.NewFromInt(600)},
		},
		FreeSamples: true,
	}
	facts := collabplus.Facts{
		Allowlisted: true, // CP-17: Collaboration Plus is by invitation
		Eligibility: []eligibility.Result{{ID: "lamp", ShopID: "shop-siam", Market: affrules.TH, State: eligibility.Eligible, Decision: affrules.Decide()}},
		Open:        []commission.Offer{open},
	}
	run(
		step{"save group home-l3 (L3 and up, home)", collabplus.SaveGroup(collabplus.Group{ID: "home-l3", MinLevel: level.L3, Categories: []affrules.Category{"home"}}), at(1, 2, 10, 0)},
		step{"draft feb-lamp", collabplus.NewDraft(collabplus.Collaboration{ID: "feb-lamp", Preferences: feb}), at(1, 2, 10, 5)},
		step{"submit feb-lamp", collabplus.Submit("feb-lamp", facts), at(1, 20, 9, 0)},
		step{"pay feb-lamp 25 hours later", collabplus.Pay("feb-lamp", "bank_transfer"), at(1, 21, 10, 0)},
		step{"draft feb-lamp-2", collabplus.NewDraft(collabplus.Collaboration{ID: "feb-lamp-2", Preferences: feb}), at(1, 22, 9, 0)},
	)
	fmt.Println("feb-lamp is", s.Collaborations[0].StateAt(at(1, 22, 9, 0)))
	q, err := ev.Quota(s, at(1, 22, 9, 0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("may the seller submit again (CP-3, the expired one counted)?", q)
	run(
		step{"submit feb-lamp-2", collabplus.Submit("feb-lamp-2", facts), at(1, 22, 9, 30)},
		step{"pay feb-lamp-2", collabplus.Pay("feb-lamp-2", "credit_card"), at(1, 22, 15, 0)},
		step{"block kai", collabplus.BlockCreator("kai"), at(1, 25, 8, 0)},
		step{"join mali", collabplus.Join("feb-lamp-2", collabplus.Creator{ID: "mali", Level: level.L4, Categories: []affrules.Category{"home"}}), at(2, 2, 9, 0)},
		step{"join niran", collabplus.Join("feb-lamp-2", collabplus.Creator{ID: "niran", Level: level.L1, Categories: []affrules.Category{"home"}}), at(2, 2, 10, 0)},
		step{"join kai", collabplus.Join("feb-lamp-2", collabplus.Creator{ID: "kai", Level: level.L5, Categories: []affrules.Category{"home"}}), at(2, 2, 11, 0)},
	)
	c := s.Collaborations[1]

	// CP-5: mali completes both tasks inside the period; CP-9: 450 of 600 orders are reached.
	reward, _, err := ev.TaskReward(c, "mali", []collabplus.Completion{{Task: 0, At: at(2, 6, 20, 0)}, {Task: 1, At: at(2, 11, 18, 0)}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mali's reward: %s THB, due %s\n", reward.Amount.StringFixed(2), reward.Due.Format(time.DateTime))
	settled, err := ev.Settle(c, []decimal.Decimal{decimal.NewFromInt(450)}, at(2, 24, 11, 0), at(2, 16, 0, 0))
	if err != nil {
		log.Fatal(err)
	}
	// The refund's window is half-open: due from RefundFrom, and before RefundBy.
	fmt.Printf("deposit %s THB: charged %s, refunded %s, due from %s through %s\n", settled.Paid.StringFixed(2),
		settled.Charged.StringFixed(2), settled.Refunded.StringFixed(2), settled.RefundFrom.Format(time.DateOnly), settled.RefundBy.Add(-time.Nanosecond).Format(time.DateOnly))
	fmt.Printf("extra fee (CP-10, paid in January for a February start, refunded in February): %s THB, returned in %s\n",
		settled.ExtraFee.StringFixed(2), settled.ExtraFeeReturned)
	fmt.Println("tax report from", settled.TaxReport.Format(time.DateOnly))

	// COM-3: mali earns the exclusive 15% during the collaboration, the Open rate after it.
	offers, err := ev.Offers(c, at(2, 20, 0, 0))
	if err != nil {
		log.Fatal(err)
	}
	book, err := com.Prepare(append(offers, open)...)
	if err != nil {
		log.Fatal(err)
	}
	for _, when := range []time.Time{at(2, 10, 12, 0), at(2, 15, 0, 0)} {
		line := commission.Order{ID: "order-" + when.Format("0102"), Creator: "mali", Product: "lamp", Market: affrules.TH,
			Attributed: true, OrderCount: 1, PromotingSince: at(1, 5, 0, 0), Currency: "THB", Price: decimal.RequireFromString("1290.00")}
		got, err := com.Compute(book, line, when)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("order on %s: %s\n", when.Format("Jan 2 15:04"), got)
	}
}
