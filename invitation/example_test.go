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

func exampleInvitation(username string) invitation.Invitation {
	return invitation.Invitation{
		Market: affrules.ID, Username: username, Nickname: username,
		Purpose:  invitation.ProductDistribution,
		Message:  "We represent three skincare brands and would like to send you samples.",
		Contacts: []invitation.Contact{{Channel: affrules.WhatsApp, Value: "+62 812 3456 7890"}},
	}
}

func ExampleEvaluator_Send() {
	ctx := context.Background()
	e := invitation.MustNew(invitation.DefaultPolicy())
	ledger := invitation.NewMemory()
	creator := eligibility.Creator{ID: "c-100", ECommercePermission: true}
	inv := exampleInvitation("siti.rahma")

	rec, d, err := e.Send(ctx, ledger, exampleAccount, inv, creator, exampleAt)
	fmt.Println(rec.Seq, rec.CreatorID, d, err)

	// The same creator an hour later, for the other role: one window per account (INV-3, INV-4).
	inv.Purpose = invitation.CreatorPartnership
	_, d, err = e.Send(ctx, ledger, exampleAccount, inv, creator, exampleAt.Add(time.Hour))
	fmt.Println(d, err)
	r := d.Failures()[0]
	fmt.Println(r.Key, r.Observed.Time().Format(time.Kitchen), r.Limit.Int())
	// Output:
	// 1 c-100 allowed <nil>
	// denied: INV-3 failed: creator already invited within 7 days (observed last invited 2026-11-21T10:00:00+07:00, limit once every 7×24h per creator, across the account's roles (INV-4)); next allowed 2026-11-28T10:00:00+07:00 <nil>
	// invitation.inv3.failed 10:00AM 7
}

// An agency holding both roles may invite another MCN's creator for product distribution, not
// for creator partnership (ELG-7, INV-8); the invitation shows the agency's top linked creators
// and company information as at send time (INV-13).
func ExampleEvaluator_Send_listing() {
	ctx := context.Background()
	e := invitation.MustNew(invitation.DefaultPolicy())
	ledger := invitation.NewMemory()
	agency := exampleAccount
	agency.Company = &invitation.Company{Name: "Nusantara Media", LinkedCreators: 48, Services: []string{"live selling", "content"}, Category: "beauty", Address: "Jakarta"}
	agency.LinkedCreators = []invitation.LinkedCreator{
		{ID: "c-1", Username: "ayu.style", Followers: 120_000},
		{ID: "c-2", Username: "budi_fit", Followers: 910_000},
		{ID: "c-3", Username: "dewi.masak", Followers: 45_000},
		{ID: "c-4", Username: "rahmat.vlog", Followers: 300_000},
	}
	managed := eligibility.Creator{ID: "c-200", ECommercePermission: true, LinkedMCN: "other-agency"}

	inv := exampleInvitation("nadia")
	inv.Purpose = invitation.CreatorPartnership
	_, d, _ := e.Send(ctx, ledger, agency, inv, managed, exampleAt)
	fmt.Println(d.Failures()[1])

	inv.Purpose = invitation.ProductDistribution
	rec, d, _ := e.Send(ctx, ledger, agency, inv, managed, exampleAt)
	fmt.Println(d)
	for _, c := range rec.Showcase.TopCreators {
		fmt.Println(c.Username, c.Followers)
	}
	fmt.Println(rec.Showcase.Company.Name, rec.Showcase.Company.LinkedCreators)
	// Output:
	// ELG-7 failed: creator is linked to another MCN (observed linked to MCN other-agency, limit not linked to another MCN)
	// allowed
	// budi_fit 910000
	// rahmat.vlog 300000
	// ayu.style 120000
	// Nusantara Media 48
}

// What an invitation shows its creator (INV-13): the company information as at send time by
// default; with live_showcase, the account's profile as it is when the invitation is shown.
func ExampleEvaluator_Shown() {
	ctx := context.Background()
	agency := exampleAccount
	agency.Company = &invitation.Company{Name: "Nusantara Media", LinkedCreators: 48}
	creator := eligibility.Creator{ID: "c-300", ECommercePermission: true}
	for _, doc := range []string{`{}`, `{"live_showcase": true}`} {
		p, err := invitation.ParsePolicy([]byte(doc))
		if err != nil {
			fmt.Println(err)
			return
		}
		e := invitation.MustNew(p)
		rec, _, _ := e.Send(ctx, invitation.NewMemory(), agency, exampleInvitation("putri"), creator, exampleAt)

		later := agency // the account manager renames the company after the invitation was sent
		later.Company = &invitation.Company{Name: "Nusantara Media Group", LinkedCreators: 52}
		shown, err := e.Shown(rec, later)
		fmt.Println(doc, shown.Company.Name, shown.Company.LinkedCreators, err)
	}
	// Output:
	// {} Nusantara Media 48 <nil>
	// {"live_showcase": true} Nusantara Media Group 52 <nil>
}

func ExampleEvaluator_Validate() {
	e := invitation.MustNew(invitation.DefaultPolicy())
	inv := exampleInvitation("siti.rahma")
	inv.Contacts = []invitation.Contact{{Channel: affrules.Zalo, Value: "0912345678"}, {Channel: affrules.Email, Value: "team@agency"}}
	inv.Message = ""
	fmt.Println(e.Validate(exampleAccount, inv))
	// Output:
	// invitation: contacts[0].channel "zalo": is not offered in market ID, which offers whatsapp, email, phone (INV-5): invalid contact
	// invitation: contacts[1].value "team@agency": is not an e-mail address of the form name@example.com (INV-5): invalid contact
	// invitation: message "": is required (INV-6): invalid message
}

func ExampleQuota_Check() {
	q := invitation.DefaultPolicy().Quota
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, jakarta)
	used := invitation.Usage{Day: affrules.DayOf(at, jakarta), Count: 100}
	d, _, err := q.Check(jakarta, used, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := d.Failures()[0]
	fmt.Println(d.Allowed, r.Rule, r.Observed.Int(), r.Limit.Int(), r.Subject, d.NextAllowed)
	fmt.Println(r)
	// Output:
	// false INV-2 100 100 2026-11-21 2026-11-22 00:00:00 +0700 WIB
	// INV-2 failed: daily invitation limit reached (observed 100 invitations on 2026-11-21, limit 100 a day in the account's home market, across its roles (INV-4))
}

// A host shows the reasons in its own language: a template per message key, filled with the
// reason's typed values (here in Bahasa Indonesia, with dates in the Indonesian style).
func ExampleQuota_Check_catalog() {
	q := invitation.Quota{DailyLimit: 100, RepeatWindowDays: 7}
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, jakarta)
	last := at.Add(-2 * 24 * time.Hour)
	d, _, err := q.Check(jakarta, invitation.Usage{Day: affrules.DayOf(at, jakarta), Count: 100, Last: last}, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	id := affrules.Catalog{
		Messages: map[affrules.MessageKey]string{
			"invitation.inv2.failed": "Batas harian tercapai: {observed} undangan pada {subject} (maksimal {limit} per hari).",
			"invitation.inv3.failed": "Kreator ini sudah diundang pada {observed}; undang lagi setelah {limit} hari.",
		},
		Format: func(v affrules.Value) string {
			if v.Kind() == affrules.InstantValue {
				return v.Time().Format("02/01/2006 15.04")
			}
			return v.String()
		},
	}
	for _, line := range id.Decision(d) {
		fmt.Println(line)
	}
	// Output:
	// Batas harian tercapai: 100 undangan pada 2026-11-21 (maksimal 100 per hari).
	// Kreator ini sudah diundang pada 19/11/2026 15.00; undang lagi setelah 7 hari.
}

func ExampleMemory_History() {
	ctx := context.Background()
	q := invitation.DefaultPolicy().Quota
	var ledger invitation.Memory // the zero Memory is ready for use
	for i, name := range []string{"siti.rahma", "budi_fit", "rahmat"} {
		inv := exampleInvitation(name)
		inv.CreatorID = fmt.Sprint("c-", i)
		_, _, _ = ledger.Reserve(ctx, q, exampleAccount, inv, exampleAt.Add(time.Duration(i)*time.Minute))
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
	ledger := invitation.NewMemory()
	inv := exampleInvitation("siti.rahma")
	inv.CreatorID = "c-1"
	rec, _, _ := ledger.Reserve(ctx, invitation.DefaultPolicy().Quota, exampleAccount, inv, exampleAt)
	fmt.Println(rec.ContactsShown())
	rec, _ = ledger.Respond(ctx, exampleAccount.ID, rec.Seq, exampleAt.Add(2*time.Hour))
	fmt.Println(rec.ContactsShown())
	// Output:
	// []
	// [{whatsapp +62 812 3456 7890}]
}

func ExampleParsePolicy() {
	// Settings left out keep their defaults.
	p, err := invitation.ParsePolicy([]byte(`{"daily_limit": 50, "channels": {"SG": ["email", "phone"]}}`))
	fmt.Println(p.DailyLimit, p.RepeatWindowDays, p.Channels, err)
	// A misspelt key is an error, not a setting silently ignored.
	_, err = invitation.ParsePolicy([]byte(`{"daily_limit": 50, "max_word": 300}`))
	fmt.Println(err)
	// Every problem of the values at once.
	_, err = invitation.ParsePolicy([]byte(`{"daily_limit": 0, "channels": {"TH": ["phone"]}}`))
	fmt.Println(err)
	// Output:
	// 50 7 map[SG:[email phone]] <nil>
	// invitation: policy "max_word": is not a field (want one of daily_limit, repeat_window_days, day_zone, max_words, max_spaceless_chars, spaceless_scripts, channels, custom_channels, phone_alone_counts, markets, listing, top_creators, live_showcase)
	// invitation: policy.daily_limit 0: must be between 1 and 1000000: out of range
	// invitation: policy.channels[TH] [phone]: must offer a channel other than phone (INV-5)
}
