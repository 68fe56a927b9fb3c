package commission

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/strictjson"
)

// Sentinel errors of settlement and of the stores, for use with [errors.Is]. Each is wrapped in
// a [*affrules.FieldError] naming the field and value, which carries the package prefix.
var (
	// ErrNotFound reports a record or offer a store does not hold.
	ErrNotFound = errors.New("not found")
	// ErrConflict reports an ID already used for different data: a record created again with
	// other amounts, an event ID reused for another event.
	ErrConflict = errors.New("ID already used for different data")
	// ErrClosed reports an event on a record that is settled or ineligible (COM-8).
	ErrClosed = errors.New("record is closed")
	// ErrNotDue reports a settlement before the end of the settlement period (COM-8).
	ErrNotDue = errors.New("settlement period not over")
	// ErrNothingEarned reports a record opened on a commission that earns nothing.
	ErrNothingEarned = errors.New("nothing earned")
	// ErrForeignBook reports a [Book] prepared by an evaluator whose offer rule (rate bounds,
	// COM-9, exclusive-rate requirement, COM-4, relisting delay, COM-10, or shop-ads fallback,
	// COM-5) differs from the one resolving against it; the error names both rules' settings.
	ErrForeignBook = errors.New("book prepared under another offer rule")
)

// State is a commission record's state (COM-8). The zero value is [Pending].
type State uint8

// States.
const (
	Pending    State = iota // earned, waiting for the settlement period
	Settled                 // paid out
	Ineligible              // cancelled or fully refunded: nothing is paid
)

var stateNames = enum.Names[State]{"pending", "settled", "ineligible"}

// String returns "pending", "settled" or "ineligible".
func (s State) String() string { return stateNames.String("State", s) }

// MarshalText returns the state's name.
func (s State) MarshalText() ([]byte, error) {
	if b, ok := stateNames.Text(s); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "state", int(s), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	v, ok := stateNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "state", strconv.Quote(string(b)), "must be one of %s", stateNames.List())
	}
	*s = v
	return nil
}

// EventKind is what an [Event] does to a record. The zero value is not a kind.
type EventKind uint8

// Event kinds.
const (
	_ EventKind = iota
	// Refund refunds part or all of what the buyer paid for the line ([Record].Paid, and the
	// shipping where the base counts it, [Record].Shipping); the commission falls in proportion.
	Refund
	// Cancel cancels the order line: the record becomes ineligible.
	Cancel
	// Settle settles the record once the settlement period is over.
	Settle
)

var eventNames = enum.Names[EventKind]{"", "refund", "cancel", "settle"}

// String returns "refund", "cancel" or "settle".
func (k EventKind) String() string { return eventNames.String("EventKind", k) }

// MarshalText returns the kind's name.
func (k EventKind) MarshalText() ([]byte, error) {
	if k < Refund || k > Settle {
		return nil, fielderr.New(pkg, "event.kind", int(k), "%w", affrules.ErrOutOfRange)
	}
	b, _ := eventNames.Text(k)
	return b, nil
}

// UnmarshalText parses a kind's name.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, ok := eventNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "event.kind", strconv.Quote(string(b)), "must be one of refund, cancel, settle")
	}
	*k = v
	return nil
}

// Event is something that happens to an order line after its commission was recorded: a refund
// of part of what the buyer paid, its cancellation, its settlement (COM-8). Its ID makes
// applying it idempotent.
type Event struct {
	ID     string    `json:"id"`
	Record string    `json:"record"` // the order line's ID
	Kind   EventKind `json:"kind"`
	// Amount is the part of what the buyer paid for the line that is refunded; only for
	// Refund.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the currency of Amount, which must be the record's; required for Refund and
	// only for it.
	Currency string    `json:"currency,omitempty"`
	At       time.Time `json:"at"`
}

// same reports whether e and o are the same event.
func (e Event) same(o Event) bool {
	return e.ID == o.ID && e.Record == o.Record && e.Kind == o.Kind && e.Amount.Equal(o.Amount) && e.Currency == o.Currency && e.At.Equal(o.At)
}

// Record is the commission record of one order line (COM-8): what was earned and by which
// source (COM-5), what remains after refunds, its state and the events applied to it. The zero
// Record is no record.
type Record struct {
	ID         string              `json:"id"` // the order line's ID
	Market     affrules.MarketCode `json:"market"`
	CreatorID  string              `json:"creator_id"`
	SellerType string              `json:"seller_type"`
	Source     Source              `json:"source"`
	OfferID    string              `json:"offer_id"`
	Rate       affrules.Rate       `json:"rate"`
	OrderedAt  time.Time           `json:"ordered_at"`
	// DueAt is when the record may settle: OrderedAt + the seller type's settlement days when
	// the record was opened (a later change of the period applies to records opened after it).
	DueAt time.Time `json:"due_at"`
	// Rounding is how Earned was rounded and how refunds reduce it: the settlement rule's mode
	// when the record was opened (a later change of the mode applies to records opened after it).
	// Its JSON is required ([Record.UnmarshalJSON]).
	Rounding affrules.RoundingMode `json:"rounding"`
	// PartnerShare is a partner campaign's partner share of the commission (COM-7); zero for
	// other sources.
	PartnerShare affrules.Rate `json:"partner_share,omitzero"`
	// Price, Paid and Base of the line, the commission earned and the partner's part of it, as
	// computed ([Commission]). Paid is what the buyer paid, the price less the platform and
	// seller coupons (tax included); refunds are measured against it, and the shipping where
	// the base counts it ([Record].Shipping).
	Price Money `json:"price"`
	Paid  Money `json:"paid"`
	Base  Money `json:"base"`
	// Shipping is the line's shipping where the base counts it ([Commission].ShippingInBase,
	// [Policy.ShippingInBase]); zero where it does not, as by default. The base is at most the
	// price plus it.
	Shipping      Money `json:"shipping,omitzero"`
	Earned        Money `json:"earned"`
	EarnedPartner Money `json:"earned_partner"`
	// Refunded is the part of what was paid (and of the shipping the base counts) refunded so
	// far; Amount, Partner and Creator what remains of the commission and its parts.
	Refunded Money `json:"refunded"`
	Amount   Money `json:"amount"`
	Partner  Money `json:"partner"`
	Creator  Money `json:"creator"`
	State    State `json:"state"`
	// ClosedAt is when the record was settled or became ineligible; zero while pending.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Events are the events applied, in the order they were applied.
	Events []Event `json:"events,omitempty"`
}

// UnmarshalJSON decodes a record as encoding/json does, and refuses one without "rounding" (or
// with null for it): a
// record written before [Record.Rounding] existed would otherwise read as half_up, the zero
// mode, whatever mode it was opened under, and its refunds would be rounded in it. Such stored
// JSON needs the mode its record was opened under added. null leaves r as it was.
func (r *Record) UnmarshalJSON(b []byte) error {
	type plain Record // without this method
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return fielderr.New(pkg, "record", "(JSON)", "must be a JSON object")
	}
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fielderr.Decoding(pkg, "record", err) // named as a record's field, not the type's
	}
	for key, v := range strictjson.Members(b) {
		if key == "rounding" && string(bytes.TrimSpace(v)) != "null" {
			*r = Record(p)
			return nil
		}
	}
	value := "(absent)"
	if _, given := strictjson.Keys(b)["rounding"]; given {
		value = "null"
	}
	return fielderr.New(pkg, "record.rounding", value, "is required: give the rounding mode the record was opened under (COM-8, MKT-4)")
}

// Clone returns a deep copy of r.
func (r Record) Clone() Record {
	r.Events = slices.Clone(r.Events)
	return r
}

// SameOrigin reports whether r and o record the same commission: the fields a record is
// created with, which events leave alone, its period (DueAt) and rounding mode included. A
// [RecordStore]'s Create compares a record with the one it holds under the same ID by it, so a
// record opened again under another settlement period or mode conflicts with the one stored.
func (r Record) SameOrigin(o Record) bool {
	return r.ID == o.ID && r.Market == o.Market && r.CreatorID == o.CreatorID && r.SellerType == o.SellerType &&
		r.Source == o.Source && r.OfferID == o.OfferID && r.Rate.Equal(o.Rate) && r.PartnerShare.Equal(o.PartnerShare) && r.OrderedAt.Equal(o.OrderedAt) &&
		r.Price == o.Price && r.Paid == o.Paid && r.Base == o.Base && r.Shipping == o.Shipping && r.Earned == o.Earned && r.EarnedPartner == o.EarnedPartner &&
		r.DueAt.Equal(o.DueAt) && r.Rounding == o.Rounding
}

// Settlement is the pure settlement rule (COM-8), taken from a [Policy] ([Policy.Settlement]); a
// [RecordStore] is given it on every call.
type Settlement struct {
	// Days is the settlement period per seller type, in 24-hour days.
	Days map[string]int
	// Rounding is how a refund's proportional reduction is rounded.
	Rounding affrules.RoundingMode
}

// Validate reports every problem of the settlement rule, as [Settlement.Apply] does before
// anything else: no settlement period, an empty seller type, a period outside 0–3650 days, an
// unknown rounding mode. A [RecordStore]'s Apply checks the rule by it before it looks the record
// up.
func (s Settlement) Validate() error { return s.validate("settlement.days") }

func (s Settlement) validate(field string) error {
	l := fielderr.For(pkg)
	if len(s.Days) == 0 {
		l.Add(field, "{}", "must give the settlement period of at least one seller type (COM-8)")
	}
	types := slices.Collect(maps.Keys(s.Days))
	sort.Strings(types)
	for _, t := range types {
		if t == "" {
			l.Add(field+"[]", s.Days[t], "seller type must not be empty")
		}
		if d := s.Days[t]; d < 0 || d > 3650 {
			l.Add(field+"["+t+"]", d, "must be between 0 and 3650 days (COM-8): %w", affrules.ErrOutOfRange)
		}
	}
	if _, err := s.Rounding.MarshalText(); err != nil {
		l.Add("settlement.rounding", int(s.Rounding), "must be half_up, half_even or down: %w", affrules.ErrOutOfRange)
	}
	return l.Err()
}

// Open returns the pending record of commission c for a seller of type sellerType (COM-8): due
// after the seller type's settlement period from the order's instant. A commission that earns
// nothing (no source, or an amount of zero) is an error wrapping [ErrNothingEarned]; an unknown
// seller type, a rule that is not valid, an order or creator ID that is not one every store
// holds as given (over 256 bytes, or not UTF-8 text without ASCII control characters), or an
// order so late that its settlement period ends in 2200 or later, when no settle event is
// accepted, is a [*affrules.FieldError].
func (s Settlement) Open(c Commission, sellerType string) (Record, error) {
	if err := s.validate("settlement.days"); err != nil {
		return Record{}, err
	}
	days, ok := s.Days[sellerType]
	if !ok {
		return Record{}, fielderr.New(pkg, "seller_type", strconv.Quote(sellerType), "has no settlement period (COM-8)")
	}
	if !c.Earned() || c.Amount.Units == 0 {
		return Record{}, fielderr.New(pkg, "commission", strconv.Quote(c.Order), "%w", ErrNothingEarned)
	}
	if err := errors.Join(bounds.ID(pkg, "commission.order", c.Order), bounds.ID(pkg, "commission.creator_id", c.CreatorID)); err != nil {
		return Record{}, err // a record's IDs are stored as given
	}
	due := c.At.Add(affrules.Days(days))
	if err := lateDue("commission.at", c.At, days, due); err != nil {
		return Record{}, err
	}
	return Record{
		ID: c.Order, Market: c.Market, CreatorID: c.CreatorID, SellerType: sellerType,
		Source: c.Source, OfferID: c.OfferID, Rate: c.Rate, PartnerShare: c.PartnerShare, OrderedAt: c.At, DueAt: due, Rounding: s.Rounding,
		Price: c.Price, Paid: c.Paid, Base: c.Base, Shipping: inBase(c), Earned: c.Amount, EarnedPartner: c.Partner,
		Refunded: Money{Currency: c.Price.Currency, Places: c.Price.Places},
		Amount:   c.Amount, Partner: c.Partner, Creator: c.Creator, State: Pending,
	}, nil
}

// lateDue is the error of an order at whose settlement period of days ends at due, at or after
// the last instant evaluators accept: the record could never settle (COM-8).
func lateDue(field string, at time.Time, days int, due time.Time) error {
	return bounds.Reaches(pkg, field, at, due, "its settlement period of %d days", days, "the record could never settle (COM-8)")
}

// inBase returns c's shipping where its base counts it, and the zero Money where it does not
// (a record then has none, as records opened before the setting existed).
func inBase(c Commission) Money {
	if !c.ShippingInBase || c.Shipping.IsZero() {
		return Money{}
	}
	return c.Shipping
}

// Check reports every problem of a record about to be created, as [*affrules.FieldError] values: an
// ID (the record's, its creator's) that is not one every store holds as given (empty, over 256
// bytes, or not UTF-8 text without ASCII control characters), an unknown seller type or market, an
// invalid source, instants out of bounds (a due instant in 2200 or later included: the record could
// never settle), amounts that are negative, in different currencies or inconsistent (what was paid
// above the price, a base above it and the shipping the base counts, a shipping of zero or less,
// above the base or with what was paid of 2^63 minor units, a commission that is not the rate times
// the base rounded once in the rule's mode, a partner part that is not the partner share of it,
// parts that do not sum), a state other than pending or events already applied.
func (s Settlement) Check(r Record) error {
	l := fielderr.For(pkg)
	s.checkRecord(l, r, true)
	if r.Refunded.Units != 0 || r.Amount != r.Earned || r.Partner != r.EarnedPartner || r.Creator.Units != r.Earned.Units-r.EarnedPartner.Units {
		l.Add("record.amount", r.Amount.String(), "a new record holds what was earned, nothing refunded, and parts that sum to it (COM-7)")
	}
	if r.State != Pending || !r.ClosedAt.IsZero() || len(r.Events) > 0 {
		l.Add("record.state", r.State, "a new record is pending with no events (COM-8)")
	}
	return l.Err()
}

// checkRecord adds r's problems to l. A fresh record (about to be created) is opened under s: its
// seller type has a period in s, its DueAt is that period after the order and its Rounding is
// s's. A stored one keeps the period and mode it was opened under: its DueAt is a whole number of
// days (0 to 3650) after the order, and its amounts are checked in its own Rounding.
func (s Settlement) checkRecord(l *fielderr.List, r Record, fresh bool) {
	before := l.Len()
	l.Append(s.validate("settlement.days"))
	switch {
	case fresh:
		// Stored as given, a new record's order and creator IDs, the host's, are ones every store
		// holds (at most 256 bytes of UTF-8 text without ASCII control characters); one stored under
		// an earlier version is the host's. Its offer's ID is an offer's (OfferRule.Check).
		l.Append(bounds.ID(pkg, "record.id", r.ID))
		l.Append(bounds.ID(pkg, "record.creator_id", r.CreatorID))
	case r.ID == "":
		l.Add("record.id", "", "must not be empty")
	}
	days, ok := s.Days[r.SellerType]
	switch {
	case r.SellerType == "":
		l.Add("record.seller_type", `""`, "must not be empty (COM-8)")
	case fresh && !ok:
		l.Add("record.seller_type", strconv.Quote(r.SellerType), "has no settlement period (COM-8)")
	case !fresh:
		// The period the record was opened under, whatever the rule says now.
		d := r.DueAt.Sub(r.OrderedAt)
		days, ok = int(d/affrules.Days(1)), d%affrules.Days(1) == 0 && d >= 0 && d <= affrules.Days(3650)
		if !ok && !r.OrderedAt.IsZero() {
			l.Add("record.due_at", r.DueAt.Format(time.RFC3339Nano), "must be ordered_at + a whole number of days, 0 to 3650 (COM-8)")
		}
	}
	if _, err := r.Rounding.MarshalText(); err != nil {
		l.Add("record.rounding", int(r.Rounding), "must be half_up, half_even or down: %w", affrules.ErrOutOfRange)
	} else if fresh && r.Rounding != s.Rounding {
		l.Add("record.rounding", r.Rounding, "must be the settlement rule's %s: a new record is opened under the rule", s.Rounding)
	}
	m, err := affrules.LookupMarket(r.Market)
	if err != nil {
		l.Add("record.market", strconv.Quote(string(r.Market)), "%w", affrules.ErrUnknownMarket)
	}
	if !r.Source.IsValid() {
		l.Add("record.source", int(r.Source), "%w", affrules.ErrOutOfRange)
	}
	if err := bounds.Instant(pkg, "record.ordered_at", r.OrderedAt); err != nil {
		l.Append(err)
	} else if ok && !r.DueAt.Equal(r.OrderedAt.Add(affrules.Days(days))) {
		l.Add("record.due_at", r.DueAt.Format(time.RFC3339Nano), "must be ordered_at + %d days (COM-8)", days)
	} else if ok && fresh {
		l.Append(lateDue("record.ordered_at", r.OrderedAt, days, r.DueAt))
	}
	for _, f := range []struct {
		name string
		v    Money
	}{{"price", r.Price}, {"paid", r.Paid}, {"base", r.Base}, {"earned", r.Earned}, {"earned_partner", r.EarnedPartner}, {"refunded", r.Refunded}, {"amount", r.Amount}, {"partner", r.Partner}, {"creator", r.Creator}} {
		if err == nil && (f.v.Currency != m.Currency || f.v.Places != m.MinorUnit) {
			l.Add("record."+f.name, f.v.String(), "must be in %s with %d decimal places (MKT-4)", m.Currency, m.MinorUnit)
		}
		if f.v.Units < 0 {
			l.Add("record."+f.name, f.v.String(), "%w", affrules.ErrNegative)
		}
	}
	if r.Shipping != (Money{}) { // only where the base counts it (Policy.ShippingInBase)
		if err == nil && (r.Shipping.Currency != m.Currency || r.Shipping.Places != m.MinorUnit) {
			l.Add("record.shipping", r.Shipping.String(), "must be in %s with %d decimal places (MKT-4)", m.Currency, m.MinorUnit)
		}
		switch {
		case r.Shipping.Units <= 0:
			l.Add("record.shipping", r.Shipping.String(), "must be above zero where the base counts it, or left out (COM-1): %w", affrules.ErrOutOfRange)
		case r.Shipping.Units > r.Base.Units:
			l.Add("record.shipping", r.Shipping.String(), "exceeds the base %s, which counts it (COM-1)", r.Base)
		case r.Paid.Units > math.MaxInt64-r.Shipping.Units:
			l.Add("record.shipping", r.Shipping.String(), "with what was paid %s reaches 2^63 minor units (COM-1): %w", r.Paid, affrules.ErrOutOfRange)
		}
	}
	if r.Source != Partner && !r.PartnerShare.IsZero() {
		l.Add("record.partner_share", r.PartnerShare, "is only for PARTNER records (COM-7)")
	}
	switch {
	case r.Paid.Units > r.Price.Units:
		l.Add("record.paid", r.Paid.String(), "exceeds the price %s (COM-1)", r.Price)
	case r.Base.Units > r.Price.Units && (r.Price.Units < 0 || r.Base.Units-r.Price.Units > max(r.Shipping.Units, 0)): // above what was paid only by a platform coupon kept in (Policy.PlatformCouponInBase), or the shipping (Policy.ShippingInBase)
		if r.Shipping.IsZero() {
			l.Add("record.base", r.Base.String(), "exceeds the price %s (COM-1)", r.Price)
		} else {
			l.Add("record.base", r.Base.String(), "exceeds the price %s and the shipping %s (COM-1)", r.Price, r.Shipping)
		}
	case r.Earned.Units == 0:
		l.Add("record.earned", r.Earned.String(), "%w", ErrNothingEarned)
	case r.Base.Units >= 0 && r.Earned.Units != int64(mulDivRound(uint64(r.Base.Units), uint64(rateUnits(r.Rate)), rateScale, r.Rounding)):
		l.Add("record.earned", r.Earned.String(), "is not %s of the base %s rounded %s once (COM-1)", r.Rate, r.Base, r.Rounding)
	case r.Base.Units >= 0 && r.EarnedPartner.Units != int64(mulMulDivRound(uint64(r.Base.Units), uint64(rateUnits(r.Rate)), uint64(rateUnits(r.PartnerShare)), r.Rounding)):
		l.Add("record.earned_partner", r.EarnedPartner.String(), "is not the partner share %s of the commission rounded %s once (COM-7)", r.PartnerShare, r.Rounding)
	case r.Refunded.Units > r.refundable():
		l.Add("record.refunded", r.Refunded.String(), "exceeds what was paid %s%s (COM-8)", r.Paid, r.withShipping())
	}
	// COM-7, COM-8: a stored record's parts are what Apply makes of what was earned and refunded
	// (a new one's are checked by Check): nothing once ineligible, else the rate × base × the
	// share of what was paid not refunded, rounded once, split between partner and creator.
	if !fresh && l.Len() == before {
		amount, partner := r.Earned.Units, r.EarnedPartner.Units
		switch {
		case r.State == Ineligible:
			amount, partner = 0, 0
		case r.Refunded.Units > 0: // then r.refundable() > 0
			amount, partner = remaining(r, r.refundable()-r.Refunded.Units, r.Rounding)
			// A record refunded before records kept the mode they were opened under took its
			// refunds in the rule's mode of the day: any mode's remainder is what Apply made.
			for _, mode := range []affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down} {
				if a, p := remaining(r, r.refundable()-r.Refunded.Units, mode); a == r.Amount.Units && p == r.Partner.Units {
					amount, partner = a, p
				}
			}
		}
		if r.Amount.Units != amount || r.Partner.Units != partner || r.Creator.Units != amount-partner {
			l.Add("record.amount", r.Amount.String()+" (partner "+r.Partner.String()+", creator "+r.Creator.String()+")",
				"is not what was earned less refunds, %d minor units with %d to the partner (COM-7, COM-8)", amount, partner)
		}
	}
}

// Apply returns r with event ev applied (COM-8), or an error and r unchanged:
//
//   - An event whose ID r already holds changes nothing: the same event again returns r as it
//     is; another event under that ID is an error wrapping [ErrConflict].
//   - Refund: the refunded part of what was paid ([Record.Paid]: the price less coupons, tax
//     included; with the shipping where the base counts it, [Record].Shipping) grows by ev.Amount,
//     in ev.Currency, which must be the record's, and may not take it beyond what was paid (a
//     [*affrules.FieldError] naming event.amount); the commission becomes the exact rate × base ×
//     the share of what was paid not refunded, rounded once in the rule's mode, and the partner's
//     part likewise with the partner share (the creator's part is the rest), so the order refunds
//     arrive in does not matter and a full refund leaves exactly zero, and the record ineligible,
//     closed at the latest of its refunds.
//   - Cancel: the record becomes ineligible, its commission zero.
//   - Settle: the record becomes settled, from its DueAt on; earlier is an error wrapping
//     [ErrNotDue].
//
// A cancellation or settlement dated before an event already applied is a [*affrules.FieldError]
// naming event.at: a record closes after what happened to it. A record keeps the settlement
// period (its DueAt) and rounding mode it was opened under: s's Days and Rounding apply to
// records opened after a change of them, so a record opened before it still takes its events.
// The stored record is the host's and is taken as it is on these two: a DueAt a whole number of
// days (0 to 3650) after the order, and a known mode, are not compared with s.
//
// A settled or ineligible record takes no new event ([ErrClosed]), whatever the event's
// instant: a refund dated before the settlement but delivered after it is refused, and is the
// host's business. A record that [Settlement.Check] would refuse for its content (the checks
// of a new record's state and IDs aside) is refused, and so is one whose amount and parts are
// not what was earned less its refunds (nothing once ineligible): a corrupted or hand-edited
// record is never settled at the amount it claims. An event for another record, with an ID that is not
// one every store holds as given (empty, over 256 bytes, or not UTF-8 text without control
// characters; an event the record already holds is known by its ID whatever it is), an
// unknown kind, an instant out of bounds or before the order, a refund without the record's
// currency, or a refund amount that is zero, negative, out of bounds or finer than the minor
// unit is a [*affrules.FieldError].
func (s Settlement) Apply(r Record, ev Event) (Record, error) {
	rl := fielderr.For(pkg)
	s.checkRecord(rl, r, false)
	if err := rl.Err(); err != nil {
		return r, err
	}
	for _, old := range r.Events {
		if old.ID == ev.ID {
			if old.same(ev) {
				return r, nil
			}
			return r, fielderr.New(pkg, "event.id", strconv.Quote(ev.ID), "%w", ErrConflict)
		}
	}
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "event.id", ev.ID)) // kept in the record, so that a replay is known
	if ev.Record != r.ID {
		l.Add("event.record", strconv.Quote(ev.Record), "must be the record's ID %q", r.ID)
	}
	if err := bounds.Instant(pkg, "event.at", ev.At); err != nil {
		l.Append(err)
	} else if ev.At.Before(r.OrderedAt) {
		l.Add("event.at", ev.At.Format(time.RFC3339Nano), "is before the order's instant %s", r.OrderedAt.Format(time.RFC3339Nano))
	}
	var units int64
	switch ev.Kind {
	case Refund:
		if ev.Currency != r.Paid.Currency {
			l.Add("event.currency", strconv.Quote(ev.Currency), "must be %s, the record's currency (COM-8, MKT-4)", r.Paid.Currency)
		}
		u, err := minorUnits("event.amount", ev.Amount, r.Paid.Places)
		switch {
		case err != nil:
			l.Append(err)
		case u == 0:
			l.Add("event.amount", ev.Amount, "must be above zero")
		case u > r.refundable()-r.Refunded.Units:
			l.Add("event.amount", ev.Amount.String()+" "+r.Paid.Currency, "refunds beyond what was paid: %s of %s%s already refunded (COM-8): %w", r.Refunded, r.Paid, r.withShipping(), affrules.ErrOutOfRange)
		}
		units = u
	case Cancel, Settle:
		if !ev.Amount.IsZero() {
			l.Add("event.amount", ev.Amount, "is only for refunds")
		}
		if ev.Currency != "" {
			l.Add("event.currency", strconv.Quote(ev.Currency), "is only for refunds")
		}
	default:
		l.Add("event.kind", int(ev.Kind), "must be refund, cancel or settle: %w", affrules.ErrOutOfRange)
	}
	if err := l.Err(); err != nil {
		return r, err
	}
	if r.State != Pending {
		return r, fielderr.New(pkg, "record.state", r.State, "%w", ErrClosed)
	}
	if ev.Kind == Settle && ev.At.Before(r.DueAt) {
		return r, fielderr.New(pkg, "event.at", ev.At.Format(time.RFC3339Nano), "is before the end of the settlement period %s (COM-8): %w", r.DueAt.Format(time.RFC3339Nano), ErrNotDue)
	}
	if ev.Kind == Settle || ev.Kind == Cancel {
		for _, old := range r.Events {
			if ev.At.Before(old.At) {
				return r, fielderr.New(pkg, "event.at", ev.At.Format(time.RFC3339Nano), "is before event %q applied at %s: a record closes after what happened to it (COM-8)", old.ID, old.At.Format(time.RFC3339Nano))
			}
		}
	}
	out := r.Clone()
	out.Events = append(out.Events, ev)
	switch ev.Kind {
	case Refund:
		out.Refunded.Units += units
		rest := out.refundable() - out.Refunded.Units
		out.Amount.Units, out.Partner.Units = remaining(out, rest, r.Rounding)
		out.Creator.Units = out.Amount.Units - out.Partner.Units
		if rest == 0 { // fully refunded by the latest of its refunds, which may have arrived first
			out.State, out.ClosedAt = Ineligible, ev.At
			for _, old := range r.Events {
				if old.At.After(out.ClosedAt) {
					out.ClosedAt = old.At
				}
			}
		}
	case Cancel:
		out.Amount.Units, out.Partner.Units, out.Creator.Units = 0, 0, 0
		out.State, out.ClosedAt = Ineligible, ev.At
	case Settle:
		out.State, out.ClosedAt = Settled, ev.At
	}
	return out, nil
}

// refundable returns what refunds of r may reach, in minor units: what was paid and, where the
// base counts it ([Record].Shipping), the shipping; saturated at 2^63 − 1 for a record whose sum
// is out of range, which checkRecord reports.
func (r *Record) refundable() int64 {
	if r.Shipping.Units <= 0 {
		return r.Paid.Units
	}
	if r.Paid.Units > math.MaxInt64-r.Shipping.Units {
		return math.MaxInt64
	}
	return r.Paid.Units + r.Shipping.Units
}

// withShipping returns " and the shipping …" for a record whose base counts the shipping, for
// messages about what was paid, and "" otherwise.
func (r *Record) withShipping() string {
	if r.Shipping.Units <= 0 {
		return ""
	}
	return " and the shipping " + r.Shipping.String()
}

// remaining returns what remains of r's commission and of its partner part when rest of what
// was paid (with the shipping where the base counts it: r.refundable()) is not refunded: the
// exact rate × base × rest / paid, and that × the partner share, each rounded once in mode
// (COM-8). It depends on rest only, so refunds in any order give the same result; rest = paid
// gives what was earned, rest = 0 zero.
func remaining(r Record, rest int64, mode affrules.RoundingMode) (amount, partner int64) {
	base, paid := big.NewInt(r.Base.Units), big.NewInt(r.refundable())
	n := new(big.Int).Mul(base, big.NewInt(rateUnits(r.Rate)))
	n.Mul(n, big.NewInt(rest))
	d := new(big.Int).Mul(paid, big.NewInt(rateScale))
	amount = bigDivRound(n, d, mode)
	if r.Source == Partner {
		n.Mul(n, big.NewInt(rateUnits(r.PartnerShare)))
		d.Mul(d, big.NewInt(rateScale))
		partner = bigDivRound(n, d, mode)
	}
	return amount, partner
}

// bigDivRound returns n / d rounded in mode, for n ≥ 0, d > 0 and a quotient below 2^63.
func bigDivRound(n, d *big.Int, mode affrules.RoundingMode) int64 {
	q, m := new(big.Int).QuoRem(n, d, new(big.Int))
	if mode != affrules.Down && m.Sign() != 0 {
		c := m.Lsh(m, 1).Cmp(d) // 2m vs d
		if c > 0 || (c == 0 && (mode != affrules.HalfEven || q.Bit(0) == 1)) {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}
