package invitation_test

import (
	"context"
	"fmt"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

var (
	exampleAccount = invitation.Account{ID: "agency-1", HomeMarket: affrules.ID, MCN: true, Partner: true}
	exampleAt      = time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
)

func exampleInvitation(creator, username string) invitation.Invitation {
	return invitation.Invitation{
		Market: affrules.ID, CreatorID: creator, Username: username, Nickname: username,
		Purpose:  invitation.ProductDistribution,
		Message:  "We represent three skincare brands and would like to send you samples.",
		Contacts: []invitation.Contact{{Channel: affrules.WhatsApp, Value: "+62 812 3456 7890"}},
	}
}

func ExampleSend() {
	ctx := context.Background()
	p := invitation.DefaultPolicy()
	ledger, err := invitation.NewMemory(p)
	if err != nil {
		panic(err)
	}
	creator := eligibility.Creator{ID: "c-100", ECommercePermission: true}
	inv := exampleInvitation("c-100", "siti.rahma")

	rec, d, err := invitation.Send(ctx, ledger, p, exampleAccount, inv, creator, exampleAt)
	fmt.Println(rec.Seq, d, err)

	// The same creator an hour later, for the other role: one window per account (INV-3, INV-4).
	inv.Purpose = invitation.CreatorPartnership
	_, d, err = invitation.Send(ctx, ledger, p, exampleAccount, inv, creator, exampleAt.Add(time.Hour))
	fmt.Println(d, err)
	// Output:
	// 1 allowed <nil>
	// denied: INV-3 failed: creator already invited within 7 days (observed last invited 2026-11-21T10:00:00+07:00, limit once every 7×24h per creator, across the account's roles (INV-4)); next allowed 2026-11-28T10:00:00+07:00 <nil>
}

func ExampleValidate() {
	inv := exampleInvitation("c-100", "siti.rahma")
	inv.Contacts = []invitation.Contact{{Channel: affrules.Zalo, Value: "0912345678"}, {Channel: affrules.Email, Value: "team@agency"}}
	inv.Message = ""
	fmt.Println(invitation.Validate(invitation.DefaultPolicy(), exampleAccount, inv))
	// Output:
	// invitation: contacts[0].channel "zalo": is not offered in market ID, which offers whatsapp, email, phone (INV-5): invalid contact
	// invitation: contacts[1].value "team@agency": is not an e-mail address of the form name@example.com (INV-5): invalid contact
	// invitation: message "": is required (INV-6): invalid message
}

func ExamplePolicy_Check() {
	p := invitation.DefaultPolicy()
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, jakarta)
	used := invitation.Usage{Day: affrules.DayOf(at, jakarta), Count: 100}
	d, _ := p.Check(jakarta, used, at)
	fmt.Println(d.Allowed, d.Failures()[0].Rule, d.NextAllowed)
	// Output:
	// false INV-2 2026-11-22 00:00:00 +0700 WIB
}

func ExampleMemory_History() {
	ctx := context.Background()
	ledger, _ := invitation.NewMemory(invitation.DefaultPolicy())
	for i, name := range []string{"siti.rahma", "budi_fit", "rahmat"} {
		_, _, _ = ledger.Reserve(ctx, exampleAccount, exampleInvitation(fmt.Sprint("c-", i), name), exampleAt.Add(time.Duration(i)*time.Minute))
	}
	page, _ := ledger.History(ctx, invitation.Query{Account: exampleAccount.ID, Search: "RAHM"})
	for _, r := range page.Records {
		fmt.Println(r.Seq, r.Username, r.At.Format(time.Kitchen))
	}
	// Output:
	// 3 rahmat 10:02AM
	// 1 siti.rahma 10:00AM
}

func ExampleRecord_ContactsShown() {
	ctx := context.Background()
	ledger, _ := invitation.NewMemory(invitation.DefaultPolicy())
	rec, _, _ := ledger.Reserve(ctx, exampleAccount, exampleInvitation("c-1", "siti.rahma"), exampleAt)
	fmt.Println(rec.ContactsShown())
	rec, _ = ledger.Respond(ctx, exampleAccount.ID, rec.Seq, exampleAt.Add(2*time.Hour))
	fmt.Println(rec.ContactsShown())
	// Output:
	// []
	// [{whatsapp +62 812 3456 7890}]
}

func ExampleParsePolicy() {
	p, err := invitation.ParsePolicy([]byte(`{"daily_limit": 50, "channels": {"SG": ["email", "phone"]}}`))
	fmt.Println(p.DailyLimit, p.RepeatWindowDays, p.Channels, err)
	// Every problem at once.
	_, err = invitation.ParsePolicy([]byte(`{"daily_limit": 0, "max_word": 300, "channels": {"TH": ["phone"]}}`))
	fmt.Println(err)
	// Output:
	// 50 7 map[SG:[email phone]] <nil>
	// invitation: max_word 300: is not a policy field (want channels, daily_limit, max_spaceless_chars, max_words, repeat_window_days)
	// invitation: daily_limit 0: must be between 1 and 1000000: out of range
	// invitation: channels[TH] [phone]: must offer a channel other than phone (INV-5)
}
