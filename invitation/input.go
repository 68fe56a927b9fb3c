package invitation

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/shown"
)

// Sentinel errors wrapped by the [*affrules.FieldError] values that [Evaluator.Validate] returns,
// one per rule, for use with [errors.Is]. An unknown market wraps [affrules.ErrUnknownMarket]
// instead.
var (
	// ErrContact reports missing, unoffered or malformed contact details (INV-5).
	ErrContact = errors.New("invalid contact")
	// ErrMessage reports an empty, malformed or oversize message (INV-6).
	ErrMessage = errors.New("invalid message")
	// ErrPurpose reports an unknown purpose or one the account's roles do not allow (INV-7).
	ErrPurpose = errors.New("purpose not allowed")
	// ErrMarket reports a market where invitations are not offered (MKT-1) or that the account
	// does not invite in (INV-1).
	ErrMarket = errors.New("market not allowed")
	// ErrAccess reports an account that may not use the Affiliate Marketplace (INV-12).
	ErrAccess = errors.New("marketplace not available to the account")
	// ErrProfile reports a malformed company profile or linked creator (INV-13).
	ErrProfile = errors.New("invalid profile")
)

// Purpose is what an invitation is for (INV-7): package eligibility's Purpose, on which the
// listing depends (INV-8). The zero Purpose is no purpose: [Evaluator.Validate] refuses it with
// an error wrapping [ErrPurpose].
type Purpose = eligibility.Purpose

// The two purposes of INV-7.
const (
	// CreatorPartnership is a long-term linking relationship; it needs the MCN role.
	CreatorPartnership = eligibility.CreatorPartnership
	// ProductDistribution is product distribution; it needs the affiliate-partner role.
	ProductDistribution = eligibility.ProductDistribution
)

// Account is an MCN or affiliate-partner account that sends invitations. Its quotas (INV-2,
// INV-3) are kept by [Account.ID], whatever role or market an invitation uses (INV-4). The zero
// Account is refused by [Evaluator.Validate] (no ID, no role, and a home market "" that wraps
// [affrules.ErrUnknownMarket]) and by [Ledger.Reserve].
type Account struct {
	ID string `json:"id"`
	// HomeMarket is the account's home market; its calendar day bounds the daily limit (INV-2),
	// unless the quota names another zone ([Quota].DayZone).
	HomeMarket affrules.MarketCode `json:"home_market"`
	// Markets lists further markets a cross-border account invites in (INV-1); the home market
	// is always allowed.
	Markets []affrules.MarketCode `json:"markets,omitempty"`
	MCN     bool                  `json:"mcn"`     // holds the MCN/CAP role: uses the Marketplace (INV-12); CreatorPartnership
	Partner bool                  `json:"partner"` // holds the affiliate-partner role (ProductDistribution)
	// Company is the company information the account's invitations show (INV-13), as its
	// account manager keeps it, or nil if it has none; [Evaluator.Send] copies it onto each
	// invitation. It is a pointer so that an Account, which a host passes by value on every
	// reservation, stays small.
	Company *Company `json:"company,omitempty"`
	// LinkedCreators are creators linked to the account, at least its most-followed ones: each
	// invitation shows the top [Policy.TopCreators] of them by followers (INV-13).
	LinkedCreators []LinkedCreator `json:"linked_creators,omitempty"`
}

// Viewer returns the account as the Affiliate Marketplace sees it: its ID and roles, on which
// the listing depends (ELG-7, INV-8, INV-12).
func (a Account) Viewer() eligibility.Viewer {
	return eligibility.Viewer{ID: a.ID, MCN: a.MCN, Partner: a.Partner}
}

// Company is an account's company information as an invitation shows it (INV-13): the number of
// linked creators, name, services, category, introduction and address. The zero Company is no
// information.
type Company struct {
	Name           string   `json:"name,omitempty"`
	LinkedCreators int64    `json:"linked_creators,omitempty"` // how many creators are linked to the account
	Services       []string `json:"services,omitempty"`
	Category       string   `json:"category,omitempty"`
	Introduction   string   `json:"introduction,omitempty"`
	Address        string   `json:"address,omitempty"`
}

// LinkedCreator is a creator linked to an account, as an invitation shows it (INV-13).
type LinkedCreator struct {
	ID        string `json:"id"`
	Username  string `json:"username,omitempty"`
	Followers int64  `json:"followers"`
}

// Showcase is what an invitation shows the creator beside its message (INV-13), as at send
// time: the account's top linked creators by followers, most followed first, and its company
// information. [Evaluator.Send] fills it from the [Account], so a later change of the account
// does not change the showcase of an invitation already sent (which [Evaluator.Shown] gives the
// creator unless [Policy.LiveShowcase] shows the account as it is now). A nil or zero Showcase
// shows nothing.
type Showcase struct {
	TopCreators []LinkedCreator `json:"top_creators,omitempty"`
	Company     Company         `json:"company,omitzero"`
}

// IsZero reports whether s shows nothing: it is nil, or it has no top creators and no company
// information.
func (s *Showcase) IsZero() bool {
	return s == nil || len(s.TopCreators) == 0 && s.Company.isZero()
}

// isZero reports whether c holds nothing.
func (c Company) isZero() bool {
	return c.Name == "" && c.LinkedCreators == 0 && len(c.Services) == 0 && c.Category == "" && c.Introduction == "" && c.Address == ""
}

// Contact is one of the account's contact details carried by an invitation (INV-5).
// [Evaluator.Validate] checks its value for its channel:
//
//   - email: local@domain, at most 254 bytes, in plain form (no display name, no quoting): the
//     local part 1–64 letters, digits or !#$%&'*+/=?^_`{|}~.- without a leading, trailing or
//     doubled dot; the domain two or more labels of letters, digits and inner hyphens, the last
//     alphabetic and at least two letters long or an internationalised one in its xn-- form;
//   - phone, whatsapp, zalo, viber: an optional "+" and 7–15 digits, which may be grouped by
//     single spaces, hyphens or dots and one pair of parentheses (which may hold the "+" and
//     the country code: "(+62) 812-3456-7890");
//   - line: a LINE ID of 4–20 of a–z, 0–9, ".", "-", "_", optionally after "@" (upper-case
//     letters are accepted, as a phone keyboard capitalises the first letter);
//   - a channel a host adds: 1–254 bytes of UTF-8 with a visible character, without control or
//     invisible format characters (zero-width space…) or surrounding spaces.
//
// The zero Contact is refused with an error wrapping [ErrContact].
type Contact struct {
	Channel affrules.Channel `json:"channel"`
	Value   string           `json:"value"`
}

// Invitation is what an account sends to one creator. The zero Invitation is refused by
// [Evaluator.Validate] with errors wrapping [affrules.ErrUnknownMarket], [ErrContact],
// [ErrMessage] and [ErrPurpose].
type Invitation struct {
	Market affrules.MarketCode `json:"market"` // market the creator is invited in (INV-1)
	// CreatorID is the invited creator's ID, by which a [Ledger] keeps the repeat window (INV-3)
	// and history (INV-9). Its one source is the creator given to [Evaluator.Send], which sets
	// it to that creator's eligibility.Creator ID whatever it held; only a caller of
	// [Ledger.Reserve] itself fills it in.
	CreatorID string    `json:"creator_id"`
	Username  string    `json:"username"` // the creator's username, for search (INV-9); at most 200 characters
	Nickname  string    `json:"nickname"` // the creator's nickname, for search (INV-9); at most 200 characters
	Purpose   Purpose   `json:"purpose"`  // INV-7
	Message   string    `json:"message"`  // INV-6, at most 20,000 characters; shown to the creator (INV-13)
	Contacts  []Contact `json:"contacts"` // INV-5; shown to the creator per INV-10
	// Showcase is what the invitation shows the creator beside the message (INV-13), or nil if
	// it shows nothing. Its one source is the account given to [Evaluator.Send], which sets it
	// as at the send instant whatever it held; [Evaluator.Validate] does not read it. A Showcase
	// that holds nothing shows nothing, as nil does: ledgers return nil for it.
	Showcase *Showcase `json:"showcase,omitzero"`
}

// Validate checks the input rules of an invitation from account a under e's policy and returns
// every problem at once, joined with [errors.Join], or nil:
//
//   - INV-1, MKT-1: the account's ID and home market, its other markets (registered, each
//     once), and the invitation's market, which must be registered, one of [Policy.Markets],
//     and the home market or one of [Account.Markets];
//   - INV-12: the account holds the MCN/CAP role, or only the affiliate-partner role where
//     [Policy.Listing] allows it;
//   - INV-5: at least one contact, on a channel the market offers other than phone unless
//     [Policy.PhoneAloneCounts], no channel the market lacks, no channel twice, each value
//     well-formed for its channel (see [Contact]);
//   - INV-6: a message that is valid UTF-8, at most 20,000 characters (runes) whatever the
//     policy's budgets, without control characters, not blank, and within the word budget: with
//     w whitespace-separated words and c characters of scripts written without spaces (a token
//     made only of such characters is counted by its characters, not as a word), w/MaxWords +
//     c/MaxSpacelessChars must not exceed 1;
//   - INV-7: a known purpose whose role the account holds;
//   - INV-9: the creator's username and nickname, by which the history is searched, at most 200
//     characters each (either may be empty);
//   - INV-13: the account's linked creators each with an ID (at most 256 bytes of UTF-8 without
//     ASCII control characters: the invitation's showcase stores it), given once, and followers
//     and the company's number of linked creators not negative; the texts an invitation shows (the
//     company's name, category, services, introduction and address, the linked creators'
//     usernames), where given, UTF-8 with something visible, no control character (but tab,
//     line feed and carriage return in the introduction and address, as in the message) and no
//     bidirectional control, at most 200 characters each (address 500, introduction 5,000).
//
// Each problem is an [*affrules.FieldError] wrapping [ErrContact], [ErrMessage], [ErrPurpose],
// [ErrMarket], [ErrAccess], [ErrProfile], [affrules.ErrUnknownMarket] or (a username or nickname
// too long) [affrules.ErrOutOfRange]. A text too long is named by its length in characters,
// and another value of more than 256 bytes by its first 64 characters and its length, never
// quoted whole. inv.CreatorID and inv.Showcase are not read ([Evaluator.Send] takes them from
// the creator and the account).
// Whether the creator may be invited (INV-8) and the quotas (INV-2..4) are business decisions,
// not input errors; see [Evaluator.Send].
func (e *Evaluator) Validate(a Account, inv Invitation) error {
	if err := e.ready(); err != nil {
		return err
	}
	l := fielderr.For(pkg)
	e.validate(l, a, inv)
	return l.Err()
}

func (e *Evaluator) validate(l *fielderr.List, a Account, inv Invitation) {
	l.Append(bounds.ID(pkg, "account.id", a.ID))
	if e.market(a.HomeMarket) == nil {
		l.Add("account.home_market", quoteCut(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	for i, m := range a.Markets { // INV-1: the markets a cross-border account invites in
		f := "account.markets[" + strconv.Itoa(i) + "]"
		switch {
		case e.market(m) == nil:
			l.Add(f, quoteCut(string(m)), "%w", affrules.ErrUnknownMarket)
		case slices.Contains(a.Markets[:i], m):
			l.Add(f, m, "is listed twice")
		}
	}
	if !e.policy.Listing.Uses(a.Viewer()) {
		held := "no role"
		if a.Partner {
			held = "affiliate-partner role only"
		}
		l.Add("account.roles", held, "only accounts holding the MCN/CAP role use the Affiliate Marketplace (INV-12): %w", ErrAccess)
	}
	m := e.market(inv.Market)
	switch {
	case m == nil:
		l.Add("market", quoteCut(string(inv.Market)), "%w", affrules.ErrUnknownMarket)
	case !slices.Contains(e.policy.Markets, inv.Market):
		l.Add("market", inv.Market, "is not a market where the policy offers invitations, which are %s (MKT-1): %w", e.offered, ErrMarket)
	case inv.Market != a.HomeMarket && !slices.Contains(a.Markets, inv.Market):
		l.Add("market", inv.Market, "is not a market account %s invites in (INV-1): %w", a.ID, ErrMarket)
	default:
		checkContacts(l, m, inv.Contacts, e.policy.PhoneAloneCounts)
	}
	checkMessage(l, e.policy, e.spaceless, inv.Message)
	checkName(l, "username", inv.Username)
	checkName(l, "nickname", inv.Nickname)
	switch inv.Purpose {
	case CreatorPartnership:
		if !a.MCN {
			l.Add("purpose", inv.Purpose, "needs the MCN role, which account %s does not hold (INV-7): %w", a.ID, ErrPurpose)
		}
	case ProductDistribution:
		if !a.Partner {
			l.Add("purpose", inv.Purpose, "needs the affiliate-partner role, which account %s does not hold (INV-7): %w", a.ID, ErrPurpose)
		}
	default:
		l.Add("purpose", quoteCut(string(inv.Purpose)), "must be %s or %s (INV-7): %w", CreatorPartnership, ProductDistribution, ErrPurpose)
	}
	checkProfile(l, a)
}

// Longest texts an invitation carries, in characters (runes): those it shows the creator
// (INV-13), the creator's names it is searched by (INV-9) and its message (INV-6). They are
// constants, not policy: the message's word budget is policy ([Policy.MaxWords]), its cap in
// characters only bounds what a ledger stores.
const (
	maxCompanyLine = 200    // name, category, each service, a linked creator's username
	maxAddress     = 500    // address
	maxIntro       = 5000   // introduction
	maxName        = 200    // an invitation's username and nickname, as a linked creator's username
	maxMessage     = 20_000 // message: 40 characters a word of the default 500 words (INV-6)
)

// checkName adds a problem to l if s, the invitation's username or nickname (INV-9), has more
// than [maxName] characters. Its length is reported, not its text.
func checkName(l *fielderr.List, field, s string) {
	if n, over := overLength(s, maxName); over {
		l.Add(field, fmt.Sprintf("%d characters", n), "must be at most %d characters (INV-9): %w", maxName, affrules.ErrOutOfRange)
	}
}

// checkProfile applies INV-13 to what the account's invitations show.
func checkProfile(l *fielderr.List, a Account) {
	if c := a.Company; c != nil {
		if c.LinkedCreators < 0 {
			l.Add("account.company.linked_creators", c.LinkedCreators, "must not be negative (INV-13): %w", ErrProfile)
		}
		showable(l, "account.company.name", c.Name, maxCompanyLine, false)
		showable(l, "account.company.category", c.Category, maxCompanyLine, false)
		showable(l, "account.company.introduction", c.Introduction, maxIntro, true)
		showable(l, "account.company.address", c.Address, maxAddress, true)
		for i, s := range c.Services {
			showable(l, "account.company.services["+strconv.Itoa(i)+"]", s, maxCompanyLine, false)
		}
	}
	var seen map[string]bool // for a long list; a short one is scanned
	if len(a.LinkedCreators) > 16 {
		seen = make(map[string]bool, len(a.LinkedCreators))
	}
	for i, c := range a.LinkedCreators {
		// The field named only for a problem: a long list of valid creators builds no names.
		field := func() string { return "account.linked_creators[" + strconv.Itoa(i) + "]" }
		var twice bool
		if seen != nil {
			twice = seen[c.ID]
			seen[c.ID] = true
		} else {
			twice = slices.ContainsFunc(a.LinkedCreators[:i], func(d LinkedCreator) bool { return d.ID == c.ID })
		}
		switch {
		case c.ID == "":
			l.Add(field()+".id", "", "must not be empty (INV-13): %w", ErrProfile)
		case !bounds.IDOK(c.ID): // stored in the invitation's showcase
			l.Add(field()+".id", quoteCut(c.ID), "must be at most %d bytes of UTF-8 text without ASCII control characters (INV-13): %w", bounds.MaxID, ErrProfile)
		case twice:
			l.Add(field()+".id", quoteCut(c.ID), "is given twice (INV-13): %w", ErrProfile)
		}
		if c.Followers < 0 {
			l.Add(field()+".followers", c.Followers, "must not be negative (INV-13): %w", ErrProfile)
		}
		if value, problem := shown.Problem(c.Username, maxCompanyLine, false); problem != "" { // the field name only for a problem
			l.Add(field()+".username", value, "%s (INV-13): %w", problem, ErrProfile)
		}
	}
}

// showable adds a problem to l if s, a text an invitation shows the creator (INV-13), is not fit
// to be shown ([shown.Problem]).
func showable(l *fielderr.List, field, s string, max int, lines bool) {
	if value, problem := shown.Problem(s, max, lines); problem != "" {
		l.Add(field, value, "%s (INV-13): %w", problem, ErrProfile)
	}
}

// showcase returns what an invitation from a shows the creator (INV-13): the top n linked
// creators by followers (most first, ties by ID) and the company information, copied so that a
// later change of the account does not reach the record, or nil if that is nothing. It keeps the
// top n as it goes, so a long list of linked creators costs one pass and n copies.
func showcase(a Account, n int) *Showcase {
	s := new(Showcase)
	if a.Company != nil {
		s.Company = *a.Company
		s.Company.Services = slices.Clone(a.Company.Services)
	}
	if n <= 0 || len(a.LinkedCreators) == 0 {
		if s.IsZero() {
			return nil
		}
		return s
	}
	before := func(x, y LinkedCreator) bool { // x ranks above y
		return x.Followers > y.Followers || x.Followers == y.Followers && x.ID < y.ID
	}
	top := make([]LinkedCreator, 0, min(n, len(a.LinkedCreators)))
	for _, c := range a.LinkedCreators {
		if len(top) == n && !before(c, top[n-1]) {
			continue
		}
		i := len(top)
		for i > 0 && before(c, top[i-1]) {
			i--
		}
		if len(top) < n {
			top = append(top, LinkedCreator{})
		}
		copy(top[i+1:], top[i:])
		top[i] = c
	}
	s.TopCreators = top
	return s
}

// checkInstant rejects the zero instant and instants outside the years every package supports
// (1900–2199, [bounds.Instant]), which a Ledger stores as nanoseconds.
func checkInstant(at time.Time) error {
	if bounds.InRange(at) { // inlined: the usual case takes no call
		return nil
	}
	return bounds.Instant(pkg, "at", at)
}
