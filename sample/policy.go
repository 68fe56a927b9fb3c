package sample

import (
	"slices"
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Band is a creator GMV band and the number of sample requests a creator in it may make in a
// calendar month (SMP-11).
type Band struct {
	Name string `json:"name"`
	Cap  int    `json:"cap"`
}

// Over-quantity handling of [Policy.OverQuantity] (SMP-2).
const (
	OverQuantityReview = "review"
	OverQuantityReject = "reject"
)

// Policy is the policy data of SPEC §6. Its defaults come from [DefaultPolicy]; a host changes
// them through JSON ([ParsePolicy]) or a struct literal, checks the result with
// [Policy.Validate], and builds an [Evaluator] from it with [New].
//
// The zero Policy is invalid: [New] refuses it.
type Policy struct {
	// Markets are the markets where these sample rules run (MKT-1). Default the catalog's
	// seven markets.
	Markets []affrules.MarketCode `json:"markets"`
	// AnswerDays is the seller's answer window in 24-hour days (SMP-10); an unanswered request
	// expires at its end. Default 7.
	AnswerDays int `json:"answer_days"`
	// WaitDays is how long after a rejection or an expiry the creator waits to request the
	// same product again, in 24-hour days (SMP-10). Default 30.
	WaitDays int `json:"wait_days"`
	// ContentDays is when content is due after delivery outside Collaboration Plus, and
	// ExtensionDays the one extension, in 24-hour days (SMP-9). Defaults 14 and 7.
	ContentDays   int `json:"content_days"`
	ExtensionDays int `json:"extension_days"`
	// CollabPlusFree is how many pre-approved free samples a creator may request per
	// Collaboration Plus (SMP-3). Default 3.
	CollabPlusFree int `json:"collab_plus_free"`
	// CollabPlusCapped counts Collaboration Plus requests under the monthly caps (SMP-3, SMP-11).
	// Default false: they are outside them.
	CollabPlusCapped bool `json:"collab_plus_capped"`
	// OverQuantity is what happens to a partner-campaign request beyond the sample quantity
	// (SMP-2): "review" (it waits for the seller) or "reject". Default review.
	OverQuantity string `json:"over_quantity"`
	// Bands are the monthly request caps by GMV band (SMP-11). Default band_1 5, band_2 20,
	// band_3 50; a host assigns its creators to bands. Each band's name and cap are required.
	Bands []Band `json:"bands" strict:"all"`
	// FulfilmentDays is the window of the fulfilment rate, in 24-hour days back from the
	// instant it is computed at (SMP-8). Default 90.
	FulfilmentDays int `json:"fulfilment_days"`
	// SampleOrdersEarnCommission and SampleOrdersCountAsGMV say whether the order an approved
	// request creates earns commission and counts as the creator's GMV (SMP-13). Defaults
	// false: a sample order is neither. A sample given free has no price to earn on, and
	// package commission refuses a price of zero: only a sample order at a price is computed.
	SampleOrdersEarnCommission bool `json:"sample_orders_earn_commission"`
	SampleOrdersCountAsGMV     bool `json:"sample_orders_count_as_gmv"`
	// RefundDays is the refundable sample's window for reaching the sales goal, in 24-hour days
	// from the purchase (SMP-5). Default 60.
	RefundDays int `json:"refund_days"`
	// CountOwnPurchases counts the creator's own purchases towards a refundable sample's sales
	// goal (SMP-5). Default false: a sale whose buyer is the creator does not count.
	CountOwnPurchases bool `json:"count_own_purchases"`
	// PartialRefund refunds a refundable sample whose sales goal is missed in part (SMP-5):
	// once the window has closed, the price and shipping × the sales counted ÷ the goal,
	// rounded down to the minor unit. Default false: all or nothing.
	PartialRefund bool `json:"partial_refund"`
	// CollabPlusExemptFromWait lets a Collaboration Plus request through SMP-10's wait after
	// the creator's rejected or expired request for the same product. Default false: the wait
	// holds back every request for the product, whatever its source (SPEC exempts Collaboration
	// Plus requests from SMP-1, SMP-2 and SMP-11 only). An open request still holds one back.
	CollabPlusExemptFromWait bool `json:"collab_plus_exempt_from_wait"`
}

// DefaultPolicy returns the catalog's values (SPEC §6).
func DefaultPolicy() Policy {
	return Policy{
		Markets:        []affrules.MarketCode{"UK", "ID", "MY", "VN", "TH", "PH", "SG"},
		FulfilmentDays: 90,
		AnswerDays:     7,
		WaitDays:       30,
		ContentDays:    14,
		ExtensionDays:  7,
		CollabPlusFree: 3,
		OverQuantity:   OverQuantityReview,
		Bands:          []Band{{"band_1", 5}, {"band_2", 20}, {"band_3", 50}},
		RefundDays:     60,
	}
}

// Validate reports every problem of the policy at once, each an [*affrules.FieldError] naming
// the field and its value.
func (p Policy) Validate() error {
	l := fielderr.For(pkg)
	between := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			l.Add(field, v, "must be between %d and %d: %w", lo, hi, affrules.ErrOutOfRange)
		}
	}
	between("answer_days", p.AnswerDays, 1, 3650)
	between("wait_days", p.WaitDays, 0, 3650)
	between("content_days", p.ContentDays, 1, 3650)
	between("extension_days", p.ExtensionDays, 0, 3650)
	between("collab_plus_free", p.CollabPlusFree, 0, 1000)
	between("refund_days", p.RefundDays, 1, 3650)
	between("fulfilment_days", p.FulfilmentDays, 1, 3650)
	if len(p.Markets) == 0 {
		l.Add("markets", "[]", "must list at least one market (MKT-1)")
	}
	for i, m := range p.Markets {
		f := "markets[" + strconv.Itoa(i) + "]"
		if _, err := affrules.LookupMarket(m); err != nil {
			l.Add(f, strconv.Quote(string(m)), "%w", affrules.ErrUnknownMarket)
		} else if slices.Contains(p.Markets[:i], m) {
			l.Add(f, m, "is listed twice")
		}
	}
	if p.OverQuantity != OverQuantityReview && p.OverQuantity != OverQuantityReject {
		l.Add("over_quantity", strconv.Quote(p.OverQuantity), "must be review or reject (%s)", RuleQuantity)
	}
	if len(p.Bands) == 0 {
		l.Add("bands", "[]", "must list at least one band (%s)", RuleMonthlyCap)
	}
	for i, b := range p.Bands {
		f := "bands[" + strconv.Itoa(i) + "]"
		switch {
		case b.Name == "":
			l.Add(f+".name", "", "must not be empty")
		case slices.ContainsFunc(p.Bands[:i], func(x Band) bool { return x.Name == b.Name }):
			l.Add(f+".name", b.Name, "is listed twice")
		}
		between(f+".cap", b.Cap, 0, 1_000_000)
	}
	return fielderr.UnderPolicy(pkg, l.Err())
}

// ParsePolicy decodes a JSON policy object and validates it, each problem an
// [*affrules.FieldError]: every problem of the document itself at once (its keys, JSON types and
// values a type refuses to decode, such as a rate over 100%), then, for a document without any,
// every problem [Policy.Validate] finds at once. It follows the library's one policy-loading rule:
// keys that name no field, that name one only when case is ignored, or that are given twice are
// errors at any depth; a top-level setting left out keeps its [DefaultPolicy] value, and so does
// one given as null, except a list or map, which null makes nil (as encoding/json writes a nil one,
// so a policy reads back from its own JSON). Every field is named under "policy", as the data's
// keys are ("policy.markets[1]"), whether its problem is its JSON type or its value.
func ParsePolicy(data []byte) (Policy, error) {
	return fielderr.ParsePolicy(pkg, data, DefaultPolicy())
}
