package affrules_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
)

func ExampleLookupMarket() {
	th, err := affrules.LookupMarket(affrules.TH)
	if err != nil {
		panic(err)
	}
	fmt.Println(th.Code, th.Zone, th.Currency, th.MinorUnit, th.Channels)
	fmt.Println("offers Line:", th.HasChannel(affrules.Line))

	_, err = affrules.LookupMarket("FR")
	fmt.Println(err)
	// Output:
	// TH Asia/Bangkok THB 2 [line email phone]
	// offers Line: true
	// affrules: market FR: unknown market
}

func ExampleMarket_Day() {
	uk, _ := affrules.LookupMarket(affrules.UK)
	th, _ := affrules.LookupMarket(affrules.TH)
	at := time.Date(2026, 3, 28, 18, 30, 0, 0, time.UTC)

	// The same instant is a different calendar day in each market (MKT-2).
	fmt.Println(uk.Day(at))
	fmt.Println(th.Day(at))

	// The UK's spring-forward day has 23 hours; its month loses none of them.
	fmt.Println(uk.Day(at.Add(24 * time.Hour)).Duration())
	fmt.Println(uk.Month(at))
	// Output:
	// [2026-03-28T00:00:00Z, 2026-03-29T00:00:00Z)
	// [2026-03-29T00:00:00+07:00, 2026-03-30T00:00:00+07:00)
	// 23h0m0s
	// [2026-03-01T00:00:00Z, 2026-04-01T00:00:00+01:00)
}

func ExampleWithinPast() {
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	lastInvite := at.Add(-affrules.Days(7))

	// INV-3: exactly 7×24h ago is no longer "within 7 days" (MKT-3).
	fmt.Println(affrules.WithinPast(lastInvite, at, 7))
	fmt.Println(affrules.WithinPast(lastInvite.Add(time.Second), at, 7))
	// Output:
	// false
	// true
}

func ExampleParseRate() {
	r, err := affrules.ParseRate("0.7%")
	if err != nil {
		panic(err)
	}
	fmt.Println(r, r.Decimal())

	_, err = affrules.ParseRate("0.15")
	fmt.Println(err)
	_, err = affrules.ParseRate("120%")
	fmt.Println(err)
	// Output:
	// 0.7% 0.007
	// affrules: rate "0.15": must be a percentage such as "15%" or "0.7%"
	// affrules: rate "120%": must be between 0% and 100%: out of range
}

func ExampleRate_CmpFraction() {
	limit := affrules.MustParseRate("1%") // ELG-3: negative-review rate must be below 1%

	for _, negative := range []int64{4, 5, 6} {
		const orders = 500
		below := limit.CmpFraction(negative, orders) < 0
		fmt.Println(affrules.FormatRatio(negative, orders), "below 1%:", below)
	}
	// Output:
	// 0.8% (4/500) below 1%: true
	// 1% (5/500) below 1%: false
	// 1.2% (6/500) below 1%: false
}

func ExampleMarket_Round() {
	uk, _ := affrules.LookupMarket(affrules.UK)
	id, _ := affrules.LookupMarket(affrules.ID)
	amount := decimal.RequireFromString("2.345")

	fmt.Println(uk.Round(amount, affrules.HalfUp))
	fmt.Println(uk.Round(amount, affrules.HalfEven))
	fmt.Println(uk.Round(amount, affrules.Down))
	fmt.Println(id.Round(decimal.RequireFromString("15000.5"), affrules.HalfUp))

	// Commission = rate × base, rounded once at the end (MKT-4, COM-1).
	commission := affrules.MustParseRate("15%").Decimal().Mul(decimal.RequireFromString("19.99"))
	fmt.Println(commission, "→", uk.Round(commission, affrules.HalfUp))
	// Output:
	// 2.35
	// 2.34
	// 2.34
	// 15001
	// 2.9985 → 3
}

// Message keys of the examples below; a domain package defines its own once, at initialisation.
var (
	exampleDaily     = affrules.DefineMessage("example.inv2.failed", affrules.Message{Text: "daily invitation limit reached"})
	exampleNoMessage = affrules.DefineMessage("example.inv6.not_applicable", affrules.Message{Text: "no message to check"})
	exampleFew       = affrules.DefineMessage("example.elg3.not_applicable", affrules.Message{Text: "fewer than 5 reviews"})
	exampleNegative  = affrules.DefineMessage("example.elg3.failed", affrules.Message{
		Text: "negative-review rate is not below the category limit", Limit: "below {limit} for {subject}"})
)

func ExampleCatalog() {
	r := affrules.Reason{Rule: "ELG-3", Key: exampleNegative,
		Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(affrules.MustParseRate("1%")), Subject: "electronics"}

	// The typed values, for a host that compares or stores them.
	num, den := r.Observed.Ratio()
	fmt.Println(r.Observed.Kind(), num, den, r.Limit.Rate())
	// English, built only now.
	fmt.Println(r)
	// Bahasa Indonesia, from a table the host supplies.
	id := affrules.Catalog{Messages: map[affrules.MessageKey]string{
		exampleNegative: "tingkat ulasan negatif {observed} tidak di bawah batas {limit} untuk {subject}",
	}}
	fmt.Println(id.Reason(r))
	// Subjects in the host's words too: here the category's name.
	id.Subject = func(_ affrules.MessageKey, s string) string {
		return map[string]string{"electronics": "elektronik"}[s]
	}
	fmt.Println(id.Reason(r))
	// A catalog is checked once, when it is loaded: a mistyped key or placeholder is an error.
	typo := affrules.Catalog{Messages: map[affrules.MessageKey]string{"example.elg3.faild": "{Observed} di atas {limit}"}}
	fmt.Println(id.Check(), typo.Check())
	// Output:
	// ratio 4 400 1%
	// ELG-3 failed: negative-review rate is not below the category limit (observed 1% (4/400), limit below 1% for electronics)
	// tingkat ulasan negatif 1% (4/400) tidak di bawah batas 1% untuk electronics
	// tingkat ulasan negatif 1% (4/400) tidak di bawah batas 1% untuk elektronik
	// <nil> affrules: catalog.messages[example.elg3.faild] "example.elg3.faild": is not a message key of any package imported by this program
	// affrules: catalog.messages[example.elg3.faild] "{Observed}": is not a placeholder: use {observed}, {limit} or {subject}
}

func ExampleDecide() {
	bangkok, _ := affrules.LookupMarket(affrules.TH)
	at := time.Date(2026, 11, 21, 15, 0, 0, 0, bangkok.Location())

	d := affrules.Decide(
		affrules.Reason{Rule: "INV-2", Key: exampleDaily, Observed: affrules.Count(100), Limit: affrules.Count(100)},
		affrules.Reason{Rule: "INV-6", Kind: affrules.NotApplicable, Key: exampleNoMessage},
	)
	d.NextAllowed = bangkok.Day(at).End // time is the obstacle: tomorrow, Bangkok time
	fmt.Println(d.Allowed)
	fmt.Println(d)
	fmt.Println(d.Failed("INV-2"), d.Failed("INV-6"))

	fmt.Println(affrules.Decide(affrules.Reason{Rule: "ELG-3", Kind: affrules.NotApplicable, Key: exampleFew}))
	fmt.Println(affrules.Decision{})
	// Output:
	// false
	// denied: INV-2 failed: daily invitation limit reached (observed 100, limit 100); INV-6 not applicable: no message to check; next allowed 2026-11-22T00:00:00+07:00
	// true false
	// allowed: ELG-3 not applicable: fewer than 5 reviews
	// denied
}

func ExampleNewTimeline() {
	// COM-3: the open-collaboration rate was 10% from 1 October and 8% from 4 October.
	oct := func(day int) time.Time { return time.Date(2026, 10, day, 0, 0, 0, 0, time.UTC) }
	open, err := affrules.NewTimeline(
		affrules.Effective[affrules.Rate]{From: oct(1), Value: affrules.MustParseRate("10%")},
		affrules.Effective[affrules.Rate]{From: oct(4), Value: affrules.MustParseRate("8%")},
	)
	if err != nil {
		panic(err)
	}
	for _, day := range []int{1, 3, 4, 6} {
		r, _ := open.At(oct(day).Add(12 * time.Hour))
		fmt.Printf("order on Oct %d: %s\n", day, r)
	}
	_, inForce := open.At(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))
	fmt.Println("anything in force on Sep 30:", inForce)

	_, err = affrules.NewTimeline(
		affrules.Effective[affrules.Rate]{From: oct(4), Value: affrules.MustParseRate("8%")},
		affrules.Effective[affrules.Rate]{From: oct(1), Value: affrules.MustParseRate("10%")},
	)
	fmt.Println(err)
	// Output:
	// order on Oct 1: 10%
	// order on Oct 3: 10%
	// order on Oct 4: 8%
	// order on Oct 6: 8%
	// anything in force on Sep 30: false
	// affrules: timeline[1].from 2026-10-01T00:00:00Z: must be after entry 0's 2026-10-04T00:00:00Z: versions may not overlap or go backwards
}

func ExampleRegisterMarket() {
	us := affrules.Market{Code: "US", Zone: "America/New_York", Currency: "USD", MinorUnit: 2,
		Channels: []affrules.Channel{affrules.Email, affrules.Phone}}
	if err := affrules.RegisterMarket(us); err != nil {
		panic(err)
	}
	m, err := affrules.LookupMarket("US")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Code, m.Location(), m.Currency, m.MinorUnit)
	// 23:30 on 31 January in New York is still January there, though February in UTC.
	fmt.Println(m.Month(time.Date(2026, 2, 1, 4, 30, 0, 0, time.UTC)))

	us.Currency = "EUR"
	fmt.Println(affrules.RegisterMarket(us))
	// Output:
	// US America/New_York USD 2
	// [2026-01-01T00:00:00-05:00, 2026-02-01T00:00:00-05:00)
	// affrules: market US: is already registered with different data
}
