// Command invitations walks an Indonesian agency that holds both the MCN and the affiliate-partner
// role through one day of Affiliate Marketplace invitations (SPEC §3): accepted invitations, a
// refusal for the daily limit with its retry time, a refusal for the seven-day rule, an invalid
// contact for the market, a history search, another MCN's creator invited for product
// distribution but not for creator partnership, a partner-only account refused, and what an
// invitation shows the creator. One evaluator built from one policy applies the
// input rules and hands the policy's quota to the ledger on every reservation; a refusal's
// reasons carry typed values, shown here in English and, through a host's message table, in
// Bahasa Indonesia.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

func main() {
	ctx := context.Background()
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		log.Fatal(err)
	}
	policy := invitation.DefaultPolicy()
	policy.DailyLimit = 5 // a small budget, so that the day runs out within the example
	evaluator, err := invitation.New(policy)
	if err != nil {
		log.Fatal(err)
	}
	ledger := invitation.NewMemory() // owns no policy: Send passes the policy's quota
	bahasa := affrules.Catalog{Messages: map[affrules.MessageKey]string{
		"invitation.inv2.failed": "batas harian tercapai: {observed} undangan pada {subject} (maks. {limit})",
		"invitation.inv3.failed": "kreator sudah diundang pada {observed}; jeda {limit} hari",
	}}
	agency := invitation.Account{ID: "nusantara-media", HomeMarket: affrules.ID, MCN: true, Partner: true,
		// What its invitations show the creator beside the message (INV-13), kept by its account manager.
		Company: &invitation.Company{Name: "Nusantara Media", LinkedCreators: 48, Services: []string{"live selling", "short video"},
			Category: "beauty & home", Introduction: "We grow Indonesian brands with creators.", Address: "Jl. Sudirman 1, Jakarta"},
		LinkedCreators: []invitation.LinkedCreator{
			{ID: "c-001", Username: "lina.glow", Followers: 120_000},
			{ID: "c-002", Username: "dapur.bunda", Followers: 910_000},
			{ID: "c-003", Username: "rumah.rapi", Followers: 45_000},
			{ID: "c-004", Username: "kopi.pagi", Followers: 300_000},
		},
	}
	contacts := []invitation.Contact{
		{Channel: affrules.WhatsApp, Value: "+62 812 3456 7890"},
		{Channel: affrules.Email, Value: "talent@nusantara.example.co.id"},
	}
	send := func(at time.Time, id, username, nickname string, purpose invitation.Purpose, cs []invitation.Contact) {
		inv := invitation.Invitation{
			Market: affrules.ID, Username: username, Nickname: nickname, Purpose: purpose,
			Message:  "Halo! We manage beauty and home brands and would love to work with you.",
			Contacts: cs,
		}
		creator := eligibility.Creator{ID: id, ECommercePermission: true} // the creator, given once
		rec, d, err := evaluator.Send(ctx, ledger, agency, inv, creator, at)
		stamp := at.Format("15:04")
		switch {
		case err != nil:
			fmt.Printf("%s %-16s error:\n", stamp, username)
			problems := []error{err}
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				problems = joined.Unwrap()
			}
			var fe *affrules.FieldError
			for _, e := range problems {
				if errors.As(e, &fe) && errors.Is(e, invitation.ErrContact) {
					fmt.Printf("      %s\n", fe)
				}
			}
		case d.Allowed:
			fmt.Printf("%s %-16s invitation #%d sent (%s)\n", stamp, username, rec.Seq, purpose)
		default:
			fmt.Printf("%s %-16s refused, retry from %s\n", stamp, username, d.NextAllowed.In(jakarta).Format("Mon 02 Jan 15:04 MST"))
			for _, r := range d.Failures() {
				fmt.Printf("      %s\n", r)
				fmt.Printf("      [%s] %s\n", r.Key, bahasa.Reason(r))
			}
		}
	}

	day := time.Date(2026, 11, 23, 0, 0, 0, 0, jakarta)
	fmt.Println("== Monday in Jakarta: a budget of", policy.DailyLimit, "invitations a day, one per creator a week")
	send(day.Add(9*time.Hour), "c-101", "siti.rahma", "Siti Rahma", invitation.ProductDistribution, contacts)
	send(day.Add(9*time.Hour+15*time.Minute), "c-102", "budi_fit", "Budi Fitness", invitation.CreatorPartnership, contacts)
	send(day.Add(10*time.Hour), "c-103", "dewi.masak", "Dapur Dewi", invitation.ProductDistribution, contacts)
	// The same creator for the other role: one seven-day window for the whole account (INV-3, INV-4).
	send(day.Add(11*time.Hour), "c-101", "siti.rahma", "Siti Rahma", invitation.CreatorPartnership, contacts)
	// LINE is a Thai channel, not an Indonesian one (INV-5): bad input, nothing recorded.
	send(day.Add(11*time.Hour+30*time.Minute), "c-104", "rahmat.vlog", "Rahmat", invitation.ProductDistribution,
		[]invitation.Contact{{Channel: affrules.Line, Value: "nusantara.media"}, {Channel: affrules.Email, Value: "talent@nusantara"}})
	send(day.Add(12*time.Hour), "c-104", "rahmat.vlog", "Rahmat", invitation.ProductDistribution, contacts)
	send(day.Add(14*time.Hour), "c-105", "ayu.style", "Ayu Style", invitation.ProductDistribution, contacts)
	// The sixth invitation of the day: the daily limit, until the next midnight in Jakarta (INV-2).
	send(day.Add(16*time.Hour), "c-106", "putri.rahmawati", "Putri R", invitation.ProductDistribution, contacts)
	send(day.Add(24*time.Hour), "c-106", "putri.rahmawati", "Putri R", invitation.ProductDistribution, contacts)

	fmt.Println("\n== History: search \"rahm\" (username or nickname), newest first")
	page, err := ledger.History(ctx, invitation.Query{Account: agency.ID, Search: "rahm"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range page.Records {
		fmt.Printf("#%d %s %-16s %-14s %s\n", r.Seq, r.At.Format("Mon 15:04"), r.Username, r.Nickname, r.Purpose)
	}

	fmt.Println("\n== Siti answers \"interested\" and sees the agency's contacts (INV-10)")
	rec, err := ledger.Respond(ctx, agency.ID, 1, day.Add(20*time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range rec.ContactsShown() {
		fmt.Printf("%s: %s\n", c.Channel, c.Value)
	}

	fmt.Println("\n== Another MCN's creator (ELG-7, INV-8): product distribution yes, creator partnership no")
	managed := eligibility.Creator{ID: "c-201", ECommercePermission: true, LinkedMCN: "garuda-talent"}
	for _, purpose := range []invitation.Purpose{invitation.CreatorPartnership, invitation.ProductDistribution} {
		inv := invitation.Invitation{Market: affrules.ID, Username: "wulan.daily", Nickname: "Wulan", Purpose: purpose,
			Message: "Halo Wulan! Would you like samples of our new home range?", Contacts: contacts}
		rec, d, err := evaluator.Send(ctx, ledger, agency, inv, managed, day.Add(33*time.Hour))
		switch {
		case err != nil:
			log.Fatal(err)
		case d.Allowed:
			fmt.Printf("%-20s invitation #%d sent\n", purpose, rec.Seq)
			fmt.Println("  shows the creator:", rec.Message)
			if rec.Showcase != nil { // nil: the invitation shows nothing but its message
				for _, c := range rec.Showcase.TopCreators {
					fmt.Printf("    %-12s %7d followers\n", c.Username, c.Followers)
				}
				co := rec.Showcase.Company
				fmt.Printf("    %s, %s, %d linked creators, %s\n", co.Name, co.Category, co.LinkedCreators, co.Address)
			}
		default:
			fmt.Printf("%-20s refused\n", purpose)
			for _, r := range d.Failures() {
				fmt.Printf("      %s\n", r)
			}
		}
	}

	fmt.Println("\n== A partner-only account does not use the Marketplace (INV-12)")
	tap := invitation.Account{ID: "solo-partner", HomeMarket: affrules.ID, Partner: true}
	_, _, err = evaluator.Send(ctx, ledger, tap, invitation.Invitation{Market: affrules.ID, Username: "wulan.daily",
		Purpose: invitation.ProductDistribution, Message: "Halo!", Contacts: contacts}, managed, day.Add(34*time.Hour))
	fmt.Println(errors.Is(err, invitation.ErrAccess), err)
}
