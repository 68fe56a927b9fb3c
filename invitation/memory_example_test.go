package invitation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
)

// Requests reach a ledger a little out of timestamp order. Within the lateness bound an instant
// is judged at its own instant: here one 5 ms before the latest falls in the day before it,
// whose count is its own. Further behind, the ledger answers an error and records nothing.
func ExampleAllowLate() {
	ctx := context.Background()
	ledger := invitation.NewMemory(invitation.AllowLate(time.Second))
	q := invitation.Quota{DailyLimit: 1, RepeatWindowDays: 7}
	account := invitation.Account{ID: "agency-1", HomeMarket: affrules.ID, Partner: true}
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	midnight := time.Date(2026, 11, 23, 0, 0, 0, 0, jakarta)
	reserve := func(creator string, at time.Time) {
		inv := invitation.Invitation{Market: affrules.ID, CreatorID: creator, Purpose: invitation.ProductDistribution, Message: "Hello"}
		rec, d, err := ledger.Reserve(ctx, q, account, inv, at)
		switch {
		case errors.Is(err, invitation.ErrTooLate):
			fmt.Println(creator, "too late")
		case err != nil:
			fmt.Println(creator, err)
		case d.Allowed:
			fmt.Println(creator, "recorded as", rec.Seq)
		default:
			fmt.Println(creator, "refused:", d.Failures()[0].Observed, "on", d.Failures()[0].Subject, "next", d.NextAllowed.Format(time.DateTime))
		}
	}
	reserve("c1", midnight.Add(10*time.Millisecond)) // the first of 23 November
	reserve("c2", midnight.Add(-5*time.Millisecond)) // late: the first of 22 November
	reserve("c3", midnight.Add(-1*time.Millisecond)) // late: 22 November is full, and 23 too
	reserve("c4", midnight.Add(-2*time.Second))      // beyond the bound
	reserve("c4", midnight.Add(24*time.Hour))        // 24 November
	// Output:
	// c1 recorded as 1
	// c2 recorded as 2
	// c3 refused: 1 on 2026-11-22 next 2026-11-24 00:00:00
	// c4 too late
	// c4 recorded as 3
}

// History is filtered by purpose and by market (INV-9): here an account inviting in two markets,
// for both of its roles.
func ExampleQuery_purposeAndMarket() {
	ctx := context.Background()
	ledger := invitation.NewMemory()
	q := invitation.DefaultPolicy().Quota
	account := invitation.Account{ID: "agency-2", HomeMarket: affrules.MY, Markets: []affrules.MarketCode{affrules.SG}, MCN: true, Partner: true}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for i, inv := range []invitation.Invitation{
		{Market: affrules.MY, CreatorID: "aisyah", Purpose: invitation.CreatorPartnership},
		{Market: affrules.MY, CreatorID: "farid", Purpose: invitation.ProductDistribution},
		{Market: affrules.SG, CreatorID: "wei", Purpose: invitation.ProductDistribution},
	} {
		inv.Message = "Hello"
		if _, _, err := ledger.Reserve(ctx, q, account, inv, at.Add(time.Duration(i)*time.Minute)); err != nil {
			fmt.Println(err)
		}
	}
	for _, query := range []invitation.Query{
		{Account: account.ID, Purpose: invitation.ProductDistribution},
		{Account: account.ID, Market: affrules.MY},
		{Account: account.ID, Purpose: invitation.ProductDistribution, Market: affrules.SG},
	} {
		page, _ := ledger.History(ctx, query)
		var creators []string
		for _, r := range page.Records {
			creators = append(creators, r.CreatorID)
		}
		fmt.Println(strings.Join(creators, " "))
	}
	// Output:
	// wei farid
	// farid aisyah
	// wei
}
