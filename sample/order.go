package sample

import (
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// SampleOrder is the order an approved free-sample request creates (SMP-13): marked as a sample
// order and shipped like a customer order. Commission and GMV say whether it earns commission
// and counts as the creator's GMV, by the policy.
type SampleOrder struct {
	Request    string              `json:"request"`
	Seller     string              `json:"seller"`
	Creator    string              `json:"creator"`
	Product    string              `json:"product"`
	Market     affrules.MarketCode `json:"market"`
	Approved   time.Time           `json:"approved"`
	Commission bool                `json:"commission"`
	GMV        bool                `json:"gmv"`
}

var keyNotApproved = affrules.DefineMessage("sample.smp13.not_approved", affrules.Message{
	Text: "only an approved request creates a sample order", Observed: "{observed}",
})

// Order returns the sample order request req has created by instant at (SMP-13): one exists
// once the request is approved, whatever happened to it since. A request not approved by at
// (requested, rejected or expired) has none: an [*affrules.Refusal] naming its state. A
// request whose events the rules cannot have recorded, and an instant before the request was
// made, are a [*affrules.FieldError].
func (r Rule) Order(req Request, at time.Time) (SampleOrder, error) {
	if !r.ready() {
		return SampleOrder{}, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	l.Append(bounds.Instant(pkg, "at", at))
	checkEvents(l, &req)
	if len(req.Events) > 0 && bounds.InRange(at) && at.Before(req.Events[0].At) {
		l.Add("at", at.Format(time.RFC3339Nano), "is before the request was made at %s", req.Events[0].At.Format(time.RFC3339Nano))
	}
	if err := l.Err(); err != nil {
		return SampleOrder{}, err
	}
	a, ok := req.last(Approved, at)
	if !ok {
		return SampleOrder{}, &affrules.Refusal{Pkg: pkg, Action: "order", Subject: req.ID, Decision: affrules.Decide(affrules.Reason{
			Rule: RuleSampleOrder, Key: keyNotApproved, Observed: affrules.Text(req.StateAt(at).String()), Subject: req.ID})}
	}
	return SampleOrder{Request: req.ID, Seller: req.Seller, Creator: req.Creator, Product: req.Product, Market: req.Market,
		Approved: a.At, Commission: r.p.SampleOrdersEarnCommission, GMV: r.p.SampleOrdersCountAsGMV}, nil
}
