package invitationtest

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
)

// Policy returns a generator of valid policies: variations of [invitation.DefaultPolicy] with
// the daily limit and the repeat window moved (small limits, where INV-2 is reached, as well as
// large ones; a window of 1 to 30 days, or 3650), other message budgets and spaceless scripts,
// numbers of top
// creators, phone alone counting or not, the showcase as at send time or live, at times the days
// of INV-2 in another zone (Quota.DayZone: UTC, or one of half an hour's or a quarter's offset
// or with daylight saving), a subset of the
// markets in another order, the
// listing's switches flipped, and a market's contact channels overridden, at times with a custom
// channel. Every policy it draws passes [invitation.Policy.Validate] and has a positive window.
func Policy() *rapid.Generator[invitation.Policy] {
	return rapid.Custom(func(t *rapid.T) invitation.Policy {
		p := invitation.DefaultPolicy()
		p.DailyLimit = rapid.OneOf(rapid.SampledFrom([]int{1, 2, 3, 5, 100, 1_000_000}), rapid.IntRange(1, 1000)).Draw(t, "daily_limit")
		p.RepeatWindowDays = rapid.OneOf(rapid.SampledFrom([]int{1, 7, 3650}), rapid.IntRange(1, 30)).Draw(t, "repeat_window_days")
		p.MaxWords = rapid.SampledFrom([]int{1, 50, 500, 100_000}).Draw(t, "max_words")
		p.MaxSpacelessChars = rapid.SampledFrom([]int{1, 250, 2500, 1_000_000}).Draw(t, "max_spaceless_chars")
		if rapid.Bool().Draw(t, "spaceless_subset") { // a part of the catalog's scripts, or none
			all := invitation.DefaultPolicy().SpacelessScripts
			p.SpacelessScripts = rapid.Permutation(all).Draw(t, "spaceless_scripts")[:rapid.IntRange(0, len(all)).Draw(t, "spaceless_count")]
		}
		p.TopCreators = rapid.IntRange(0, 100).Draw(t, "top_creators")
		p.PhoneAloneCounts = rapid.Bool().Draw(t, "phone_alone_counts")
		p.LiveShowcase = rapid.Bool().Draw(t, "live_showcase")
		if rapid.IntRange(0, 3).Draw(t, "day_zone_set") == 0 { // INV-2's days of another zone
			p.DayZone = rapid.SampledFrom([]string{"UTC", "America/New_York", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Kiritimati", "Europe/London"}).Draw(t, "day_zone")
		}
		markets := rapid.Permutation(p.Markets).Draw(t, "markets")
		p.Markets = markets[:rapid.IntRange(1, len(markets)).Draw(t, "market_count")]
		p.Listing = eligibility.Listing{
			AllowPartnerOnly:   rapid.Bool().Draw(t, "allow_partner_only"),
			PartnerSeesManaged: rapid.Bool().Draw(t, "partner_sees_managed"),
		}
		if rapid.Bool().Draw(t, "override") {
			m := rapid.SampledFrom(p.Markets).Draw(t, "override_market")
			chans := []affrules.Channel{affrules.Email}
			if rapid.Bool().Draw(t, "override_phone") {
				chans = append(chans, affrules.Phone)
			}
			if rapid.Bool().Draw(t, "custom") {
				p.CustomChannels = []affrules.Channel{"kit_chat"}
				chans = append(chans, "kit_chat")
			}
			p.Channels = map[affrules.MarketCode][]affrules.Channel{m: chans}
		}
		return p
	})
}

// location returns the time zone of market code, or UTC for a code no market is registered
// under (which no valid policy lists).
func location(code affrules.MarketCode) *time.Location {
	m, err := affrules.LookupMarket(code)
	if err != nil {
		return time.UTC
	}
	return m.Location()
}

// dayLocation returns the zone whose calendar days p's daily limit counts for an account at
// home in market home (INV-2): the zone p's Quota.DayZone names, or the home market's.
func dayLocation(p invitation.Policy, home affrules.MarketCode) *time.Location {
	if p.DayZone != "" {
		if loc, err := time.LoadLocation(p.DayZone); err == nil {
			return loc
		}
	}
	return location(home)
}

// edges returns the instants the quota rule turns on for an account whose days are those of loc
// under p: the local midnights of 2026 around London's and the other zones' daylight-saving
// changes, and each one a repeat window later.
func edges(p invitation.Policy, loc *time.Location) []time.Time {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	days := affrulestest.Midnights(loc, from, from.AddDate(1, 0, 0))
	w := affrules.Days(max(p.RepeatWindowDays, 0))
	out := make([]time.Time, 0, 2*len(days))
	for _, d := range days {
		out = append(out, d, d.Add(w))
	}
	return out
}

// Instant returns a generator of instants for an account whose home market is home under p:
// at or near the local midnights of the zone its days are counted in (the edges of INV-2's day:
// the home zone's, or those of the zone p's DayZone names), a repeat window after them (INV-3's
// edge, MKT-3), the home zone's daylight-saving changes (MKT-2), or anywhere in 2026. The
// instants are in the home zone.
func Instant(p invitation.Policy, home affrules.MarketCode) *rapid.Generator[time.Time] {
	key := instantKey{home, p.RepeatWindowDays, p.DayZone}
	instants.Lock()
	defer instants.Unlock()
	g, ok := instants.m[key]
	if !ok {
		g = affrulestest.Instant(location(home), edges(p, dayLocation(p, home))...)
		if instants.m == nil {
			instants.m = map[instantKey]*rapid.Generator[time.Time]{}
		}
		instants.m[key] = g
	}
	return g
}

// instantKey is what an [Instant] generator depends on.
type instantKey struct {
	home    affrules.MarketCode
	days    int
	dayZone string
}

// instants holds the generators [Instant] has built: a year of midnights and daylight-saving
// changes takes a while to find.
var instants struct {
	sync.Mutex
	m map[instantKey]*rapid.Generator[time.Time]
}

// QuotaInput is one question to the quota rule ([invitation.Quota.Check]): an account of home
// market Home, whose usage at the instant is Usage, invites a creator at At.
type QuotaInput struct {
	Home  affrules.MarketCode
	Usage invitation.Usage
	At    time.Time
}

// QuotaInputs returns a generator of questions to p's quota rule that straddle its limits: a
// home market of p, an instant from [Instant], a day's count just below, at or above the daily
// limit (INV-2), the creator's last invitation a repeat window before the instant give or take
// a nanosecond, a second or an hour (INV-3, MKT-3), or none, or a little after the instant (a
// late instant), and at times invitations on the next day. Every usage is valid input to
// [invitation.Quota.Check].
func QuotaInputs(p invitation.Policy) *rapid.Generator[QuotaInput] {
	return rapid.Custom(func(t *rapid.T) QuotaInput {
		home := rapid.SampledFrom(markets(p)).Draw(t, "home")
		loc := dayLocation(p, home) // INV-2's days
		at := Instant(p, home).Draw(t, "at")
		w := affrules.Days(max(p.RepeatWindowDays, 0))
		var u invitation.Usage
		switch rapid.IntRange(0, 3).Draw(t, "day") {
		case 0, 1: // the instant's own day
			u.Day = affrules.DayOf(at, loc)
		case 2: // a day that ended before the instant: no invitations today
			u.Day = affrules.DayOf(affrules.DayOf(at, loc).Start.Add(-time.Nanosecond), loc)
		} // 3: the zero day, no invitations
		if !u.Day.IsEmpty() {
			u.Count = int(affrulestest.Straddle(int64(p.DailyLimit)).Draw(t, "count"))
		}
		if u.Day.Contains(at) && rapid.IntRange(0, 4).Draw(t, "next_day") == 0 {
			// Invitations on the next day: the instant is late, behind them.
			u.NextDayCount = int(affrulestest.Straddle(int64(p.DailyLimit)).Draw(t, "next_day_count"))
		}
		offsets := []time.Duration{0, -1, 1, -time.Second, time.Second, -time.Hour, time.Hour}
		switch rapid.IntRange(0, 4).Draw(t, "last") {
		case 0, 1: // at the window's edge
			u.Last = at.Add(-w).Add(rapid.SampledFrom(offsets).Draw(t, "last_offset"))
		case 2: // anywhere within two windows before
			u.Last = at.Add(-time.Duration(rapid.Int64Range(0, int64(2*w)).Draw(t, "last_back")))
		case 3: // after the instant: the instant is late
			u.Last = at.Add(time.Duration(rapid.Int64Range(1, int64(12*time.Hour)).Draw(t, "last_ahead")))
		} // 4: no invitation of the creator
		return QuotaInput{Home: home, Usage: u, At: at}
	})
}

// markets returns p's markets, or the default ones if p lists none.
func markets(p invitation.Policy) []affrules.MarketCode {
	if len(p.Markets) == 0 {
		return invitation.DefaultPolicy().Markets
	}
	return p.Markets
}

// Request is one invitation sent through [invitation.Evaluator.Send]: account Account invites
// Creator with Invitation at At.
type Request struct {
	Account    invitation.Account
	Invitation invitation.Invitation
	Creator    eligibility.Creator
	At         time.Time
}

// Requests returns a generator of scripts of requests, in the order they are sent, valid input
// under p: one or two accounts holding both roles, at home in markets of p, invite listed
// creators in their home market, with a contact on a channel the market offers under p and a
// one-word message. The script straddles p's limits: bursts of invitations within one calendar
// day of the home market numbering the daily limit give or take one (INV-2) where the limit is
// small enough to reach, steps to a local midnight, and creators invited again a repeat window
// after their last invitation give or take a nanosecond (INV-3, MKT-3) where the window is at most
// 10 days. Instants never go back, and never more than 10 days at a step, so that a ledger's
// lead bound of 10 days (see [TestLedger]) admits each.
func Requests(p invitation.Policy) *rapid.Generator[[]Request] {
	return rapid.Custom(func(t *rapid.T) []Request {
		n := rapid.IntRange(1, 2).Draw(t, "accounts")
		accounts := make([]invitation.Account, n)
		for i := range accounts {
			accounts[i] = invitation.Account{ID: fmt.Sprint("acct-", i), HomeMarket: rapid.SampledFrom(markets(p)).Draw(t, "home"), MCN: true, Partner: true}
		}
		now := Instant(p, accounts[0].HomeMarket).Draw(t, "start")
		w := affrules.Days(max(p.RepeatWindowDays, 0))
		creators := rapid.IntRange(1, 12).Draw(t, "creators")
		var out []Request
		send := func(a invitation.Account, c string, at time.Time) {
			out = append(out, request(p, a, c, at))
		}
		steps := rapid.IntRange(1, 12).Draw(t, "steps")
		for range steps {
			a := rapid.SampledFrom(accounts).Draw(t, "account")
			switch rapid.IntRange(0, 4).Draw(t, "step") {
			case 0: // one invitation
				send(a, fmt.Sprint("c", rapid.IntRange(0, creators-1).Draw(t, "creator")), now)
			case 1: // a burst within the day, around the daily limit
				if p.DailyLimit > 200 {
					continue
				}
				k := int(affrulestest.Straddle(int64(p.DailyLimit)).Filter(func(k int64) bool { return k <= int64(p.DailyLimit)+1 }).Draw(t, "burst"))
				end := affrules.DayOf(now, dayLocation(p, a.HomeMarket)).End
				step := max(end.Sub(now)/time.Duration(2*k+2), 0)
				c0 := rapid.IntRange(0, 1000).Draw(t, "burst_creator")
				for i := range k {
					send(a, fmt.Sprint("b", c0+i), now)
					now = now.Add(step)
				}
			case 2: // to the next midnight of INV-2's day, or a nanosecond before it
				end := affrules.DayOf(now, dayLocation(p, a.HomeMarket)).End
				now = end.Add(-time.Duration(rapid.IntRange(0, 1).Draw(t, "before_midnight")))
			case 3: // a creator again, a window after its last invitation give or take 1 ns
				if w > 10*24*time.Hour { // beyond the lead bound a ledger need allow
					continue
				}
				var past []Request
				for _, r := range out {
					if r.Account.ID == a.ID && !r.At.Add(w).Add(-1).Before(now) {
						past = append(past, r)
					}
				}
				if len(past) == 0 {
					continue
				}
				r := rapid.SampledFrom(past).Draw(t, "again")
				now = r.At.Add(w).Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "again_offset")))
				send(a, r.Creator.ID, now)
			case 4: // time passes
				now = now.Add(time.Duration(rapid.Int64Range(0, int64(3*24*time.Hour)).Draw(t, "advance")))
			}
		}
		if len(out) == 0 {
			send(accounts[0], "c0", now)
		}
		return out
	})
}

// request builds a valid request of account a to creator c at instant at under p.
func request(p invitation.Policy, a invitation.Account, c string, at time.Time) Request {
	inv := invitation.Invitation{
		Market:    a.HomeMarket,
		Username:  "user_" + c,
		Nickname:  "Nick " + c,
		Purpose:   invitation.ProductDistribution,
		Message:   "hello",
		Contacts:  []invitation.Contact{contact(p, a.HomeMarket)},
		CreatorID: c,
	}
	return Request{Account: a, Invitation: inv, Creator: eligibility.Creator{ID: c, ECommercePermission: true}, At: at}
}

// contact returns a well-formed contact on a channel market m offers under p, other than phone
// where one is offered.
func contact(p invitation.Policy, code affrules.MarketCode) invitation.Contact {
	chans, ok := p.Channels[code]
	if !ok {
		if m, err := affrules.LookupMarket(code); err == nil {
			chans = m.Channels
		}
	}
	ch := affrules.Phone
	if i := slices.IndexFunc(chans, func(c affrules.Channel) bool { return c != affrules.Phone }); i >= 0 {
		ch = chans[i]
	}
	switch ch {
	case affrules.Email:
		return invitation.Contact{Channel: ch, Value: "team@agency.example.com"}
	case affrules.Line:
		return invitation.Contact{Channel: ch, Value: "agency.team"}
	case affrules.Phone, affrules.WhatsApp, affrules.Zalo, affrules.Viber:
		return invitation.Contact{Channel: ch, Value: "+62 812 3456 7890"}
	}
	return invitation.Contact{Channel: ch, Value: "agency-team"}
}
