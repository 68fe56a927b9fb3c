package invitation

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
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
)

// Purpose is what an invitation is for (INV-7). The zero Purpose is no purpose:
// [Evaluator.Validate] refuses it with an error wrapping [ErrPurpose].
type Purpose string

// The two purposes of INV-7.
const (
	// CreatorPartnership is a long-term linking relationship; it needs the MCN role.
	CreatorPartnership Purpose = "creator_partnership"
	// ProductDistribution is product distribution; it needs the affiliate-partner role.
	ProductDistribution Purpose = "product_distribution"
)

// Account is an MCN or affiliate-partner account that sends invitations. Its quotas (INV-2,
// INV-3) are kept by [Account.ID], whatever role or market an invitation uses (INV-4). The zero
// Account is refused by [Evaluator.Validate] (no ID, and a home market "" that wraps
// [affrules.ErrUnknownMarket]) and by [Ledger.Reserve].
type Account struct {
	ID string `json:"id"`
	// HomeMarket is the account's home market; its calendar day bounds the daily limit (INV-2).
	HomeMarket affrules.MarketCode `json:"home_market"`
	// Markets lists further markets a cross-border account invites in (INV-1); the home market
	// is always allowed.
	Markets []affrules.MarketCode `json:"markets,omitempty"`
	MCN     bool                  `json:"mcn"`     // holds the MCN role (CreatorPartnership)
	Partner bool                  `json:"partner"` // holds the affiliate-partner role (ProductDistribution)
}

// Contact is one of the account's contact details carried by an invitation (INV-5).
// [Evaluator.Validate] checks its value for its channel:
//
//   - email: local@domain, at most 254 bytes, in plain form (no display name, no quoting): the
//     local part 1–64 letters, digits or !#$%&'*+/=?^_`{|}~.- without a leading, trailing or
//     doubled dot; the domain two or more labels of letters, digits and inner hyphens, the last
//     alphabetic and at least two letters long or an internationalised one in its xn-- form;
//   - phone, whatsapp, zalo, viber: an optional "+" and 7–15 digits, which may be grouped by
//     single spaces, hyphens or dots and one pair of parentheses;
//   - line: a LINE ID of 4–20 of a–z, 0–9, ".", "-", "_", optionally after "@" (upper-case
//     letters are accepted, as a phone keyboard capitalises the first letter);
//   - a channel a host adds: 1–254 bytes of UTF-8 without control characters or surrounding
//     spaces.
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
	Username  string    `json:"username"` // the creator's username, for search (INV-9)
	Nickname  string    `json:"nickname"` // the creator's nickname, for search (INV-9)
	Purpose   Purpose   `json:"purpose"`  // INV-7
	Message   string    `json:"message"`  // INV-6
	Contacts  []Contact `json:"contacts"` // INV-5; shown to the creator per INV-10
}

// Validate checks the input rules of an invitation from account a under e's policy and returns
// every problem at once, joined with [errors.Join], or nil:
//
//   - INV-1: the account's ID and home market, and the invitation's market, which must be
//     registered and be the home market or one of [Account.Markets];
//   - INV-5: at least one contact on a channel the market offers other than phone, no channel the
//     market lacks, no channel twice, each value well-formed for its channel (see [Contact]);
//   - INV-6: a message that is valid UTF-8, not blank, and within the word budget: with w
//     whitespace-separated words and c characters of scripts written without spaces (a token
//     made only of such characters is counted by its characters, not as a word), w/MaxWords +
//     c/MaxSpacelessChars must not exceed 1;
//   - INV-7: a known purpose whose role the account holds.
//
// Each problem is an [*affrules.FieldError] wrapping [ErrContact], [ErrMessage], [ErrPurpose] or
// [affrules.ErrUnknownMarket]. inv.CreatorID is not read ([Evaluator.Send] takes the creator's
// ID from the creator). Whether the creator may be invited (INV-8) and the quotas (INV-2..4) are
// business decisions, not input errors; see [Evaluator.Send].
func (e *Evaluator) Validate(a Account, inv Invitation) error {
	if err := e.ready(); err != nil {
		return err
	}
	l := fielderr.For(pkg)
	e.validate(l, a, inv)
	return l.Err()
}

func (e *Evaluator) validate(l *fielderr.List, a Account, inv Invitation) {
	if a.ID == "" {
		l.Add("account.id", "", "must not be empty")
	}
	if e.market(a.HomeMarket) == nil {
		l.Add("account.home_market", strconv.Quote(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	m := e.market(inv.Market)
	switch {
	case m == nil:
		l.Add("market", strconv.Quote(string(inv.Market)), "%w", affrules.ErrUnknownMarket)
	case inv.Market != a.HomeMarket && !slices.Contains(a.Markets, inv.Market):
		l.Add("market", inv.Market, "is not a market account %s invites in (INV-1)", a.ID)
	default:
		checkContacts(l, m, inv.Contacts)
	}
	checkMessage(l, e.policy, inv.Message)
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
		l.Add("purpose", strconv.Quote(string(inv.Purpose)), "must be %s or %s (INV-7): %w", CreatorPartnership, ProductDistribution, ErrPurpose)
	}
}

// checkInstant rejects the zero instant and instants a Ledger cannot store as nanoseconds.
func checkInstant(at time.Time) error {
	if at.Before(minInstant) || at.After(maxInstant) {
		return fielderr.New(pkg, "at", at.Format(time.RFC3339Nano), "must be between 1700 and 2200: %w", affrules.ErrOutOfRange)
	}
	return nil
}

var (
	minInstant = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)
