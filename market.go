package affrules

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // MKT-1: market zones load on machines without a system zone database.

	"github.com/affrules/affrules/internal/marketreg"
	"github.com/affrules/affrules/internal/tzname"
)

// MarketCode identifies a market, e.g. "TH".
type MarketCode string

// The seven markets of the catalog (MKT-1).
const (
	UK MarketCode = "UK"
	ID MarketCode = "ID"
	MY MarketCode = "MY"
	VN MarketCode = "VN"
	TH MarketCode = "TH"
	PH MarketCode = "PH"
	SG MarketCode = "SG"
)

// Channel is an invitation contact channel (INV-5).
type Channel string

// Contact channels used by the default markets (INV-5).
const (
	Email    Channel = "email"
	Phone    Channel = "phone"
	WhatsApp Channel = "whatsapp"
	Zalo     Channel = "zalo"
	Viber    Channel = "viber"
	Line     Channel = "line"
)

// Market is a market's data (MKT-1): its code, IANA time zone, payout currency and minor unit, and
// the contact channels an invitation in it may carry. Markets are data: a host adds one with
// [RegisterMarket]. Obtain a market with [LookupMarket] so its zone is loaded once.
type Market struct {
	Code      MarketCode `json:"code"`
	Zone      string     `json:"zone"`       // IANA zone name, e.g. "Asia/Bangkok"
	Currency  string     `json:"currency"`   // ISO 4217 code, e.g. "THB"
	MinorUnit int32      `json:"minor_unit"` // decimal places used for payouts, e.g. 2
	Channels  []Channel  `json:"channels"`   // contact channels offered, Phone optional (INV-5)

	loc *time.Location
}

// Location returns the market's time zone. A market from [LookupMarket] or [NewMarket] has it
// loaded; for a Market built as a literal it is loaded on each call, and UTC is returned if Zone
// does not name a zone (use [NewMarket] to have that reported as an error).
func (m Market) Location() *time.Location {
	if m.loc != nil {
		return m.loc
	}
	loc, err := time.LoadLocation(m.Zone)
	if err != nil || m.Zone == "" || m.Zone == "Local" {
		return time.UTC
	}
	return loc
}

// HasChannel reports whether the market offers contact channel c.
func (m Market) HasChannel(c Channel) bool { return slices.Contains(m.Channels, c) }

// Day returns the calendar day containing t in the market's zone (MKT-2).
func (m Market) Day(t time.Time) Period { return DayOf(t, m.Location()) }

// Month returns the calendar month containing t in the market's zone (MKT-2).
func (m Market) Month(t time.Time) Period { return MonthOf(t, m.Location()) }

// String returns the market code.
func (m Market) String() string { return string(m.Code) }

// NewMarket validates a market's fields and loads its zone. The code must be 2 to 8 upper-case
// letters A-Z or digits (ISO 3166 codes such as "TH" and "USA" are), so that a typo such as "uk" or
// a code with a space or an invisible character is refused rather than registered as a market of
// its own; the zone a known IANA zone, the currency three upper-case letters, the minor unit
// between 0 and 4, and each channel non-empty, none listed twice.
func NewMarket(code MarketCode, zone, currency string, minorUnit int32, channels ...Channel) (Market, error) {
	m := Market{Code: code, Zone: zone, Currency: currency, MinorUnit: minorUnit, Channels: slices.Clone(channels)}
	if code == "" {
		return Market{}, fieldErrorf("market.code", code, "must not be empty")
	}
	if !validCode(code) {
		return Market{}, fieldErrorf("market.code", strconv.Quote(string(code)), "must be 2 to 8 upper-case letters A-Z or digits")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || !tzname.Valid(zone) { // "Local" is the host's zone, not an IANA name (MKT-6); a path is a host's file
		return Market{}, fieldErrorf("market["+string(code)+"].zone", zone, "is not a known IANA time zone")
	}
	m.loc = loc
	if len(currency) != 3 || currency[0] < 'A' || currency[0] > 'Z' || currency[1] < 'A' || currency[1] > 'Z' || currency[2] < 'A' || currency[2] > 'Z' {
		return Market{}, fieldErrorf("market["+string(code)+"].currency", currency, "must be an ISO 4217 code of three upper-case letters")
	}
	if minorUnit < 0 || minorUnit > 4 {
		return Market{}, fieldErrorf("market["+string(code)+"].minor_unit", minorUnit, "must be between 0 and 4: %w", ErrOutOfRange)
	}
	for i, c := range channels {
		if c == "" {
			return Market{}, fieldErrorf(fmt.Sprintf("market[%s].channels[%d]", code, i), c, "must not be empty")
		}
		if slices.Contains(channels[:i], c) {
			return Market{}, fieldErrorf(fmt.Sprintf("market[%s].channels[%d]", code, i), c, "is listed twice")
		}
	}
	return m, nil
}

// validCode reports whether code is 2 to 8 upper-case letters A–Z or digits.
func validCode(code MarketCode) bool {
	if len(code) < 2 || len(code) > 8 {
		return false
	}
	for i := 0; i < len(code); i++ {
		if c := code[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func mustMarket(code MarketCode, zone, currency string, minor int32, channels ...Channel) Market {
	m, err := NewMarket(code, zone, currency, minor, channels...)
	if err != nil {
		panic(err) // literal data below; covered by TestDefaultMarkets
	}
	return m
}

var registry = struct {
	sync.RWMutex
	m map[MarketCode]Market
}{m: map[MarketCode]Market{
	// MKT-1 defaults; channels per INV-5, UK and SG by interpretation (Email, WhatsApp, Phone).
	UK: mustMarket(UK, "Europe/London", "GBP", 2, Email, WhatsApp, Phone),
	ID: mustMarket(ID, "Asia/Jakarta", "IDR", 0, WhatsApp, Email, Phone),
	MY: mustMarket(MY, "Asia/Kuala_Lumpur", "MYR", 2, WhatsApp, Email, Phone),
	VN: mustMarket(VN, "Asia/Ho_Chi_Minh", "VND", 0, Zalo, Email, Phone),
	TH: mustMarket(TH, "Asia/Bangkok", "THB", 2, Line, Email, Phone),
	PH: mustMarket(PH, "Asia/Manila", "PHP", 2, Viber, Email, Phone),
	SG: mustMarket(SG, "Asia/Singapore", "SGD", 2, Email, WhatsApp, Phone),
}}

// LookupMarket returns the registered market with the given code, or an error wrapping
// [ErrUnknownMarket]. It is safe for concurrent use.
func LookupMarket(code MarketCode) (Market, error) {
	registry.RLock()
	m, ok := registry.m[code]
	registry.RUnlock()
	if !ok {
		return Market{}, fieldErrorf("market", code, "%w", ErrUnknownMarket)
	}
	m.Channels = slices.Clone(m.Channels) // the caller's copy; the registry's must not change
	return m, nil
}

func init() {
	// The domain packages' hot paths read a market's zone and minor unit without copying it.
	marketreg.Install(func(code string) (*time.Location, int32, bool) {
		registry.RLock()
		m, ok := registry.m[MarketCode(code)]
		registry.RUnlock()
		return m.loc, m.MinorUnit, ok
	})
}

// RegisterMarket adds a market to the process-wide registry after checking it as [NewMarket]
// does. Registering a code again with identical data is a no-op; with different data it is an
// error, so a market in use cannot change under its evaluators.
func RegisterMarket(m Market) error {
	checked, err := NewMarket(m.Code, m.Zone, m.Currency, m.MinorUnit, m.Channels...)
	if err != nil {
		return err
	}
	registry.Lock()
	defer registry.Unlock()
	if old, ok := registry.m[m.Code]; ok {
		if old.Zone == checked.Zone && old.Currency == checked.Currency && old.MinorUnit == checked.MinorUnit && slices.Equal(old.Channels, checked.Channels) {
			return nil
		}
		return fieldErrorf("market", m.Code, "is already registered with different data")
	}
	registry.m[m.Code] = checked
	return nil
}

// Markets returns every registered market, sorted by code.
func Markets() []Market {
	registry.RLock()
	out := make([]Market, 0, len(registry.m))
	for _, m := range registry.m {
		m.Channels = slices.Clone(m.Channels)
		out = append(out, m)
	}
	registry.RUnlock()
	slices.SortFunc(out, func(a, b Market) int {
		switch {
		case a.Code < b.Code:
			return -1
		case a.Code > b.Code:
			return 1
		}
		return 0
	})
	return out
}
