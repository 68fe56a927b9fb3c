package commission_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
)

// modelEvent and modelRecord are the plain model of a record store: a map of records, each with
// its price, what was earned, the refunds by event ID, and its state.
type modelEvent struct {
	kind   commission.EventKind
	amount int64
	at     time.Time
}

type modelRecord struct {
	price, paid, base, earned, partner, refunded int64
	ordered, due, lastAt                         time.Time
	rate, share                                  affrules.Rate
	state                                        commission.State
	events                                       map[string]modelEvent
}

// COM-8: a state machine of records, refunds, cancellations and settlements against a plain
// model: every answer of the store, error or record, is the model's.
func TestRecordMachine_COM8(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		p := commission.DefaultPolicy()
		p.Rounding = rapid.SampledFrom([]affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}).Draw(t, "mode")
		e := commission.MustNew(p)
		s := p.Settlement()
		store := commission.NewRecordMemory()
		model := map[string]*modelRecord{}
		ids := []string{"l1", "l2", "l3"}
		eventIDs := []string{"e1", "e2", "e3", "e4", "e5", "e6"}

		check := func(id string) {
			got, err := store.Record(ctx, id)
			m, ok := model[id]
			if !ok {
				if !errors.Is(err, commission.ErrNotFound) {
					t.Fatalf("Record(%s) = %v, want ErrNotFound", id, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantAmount, wantPartner := remainingRef(m.base, m.paid, m.paid-m.refunded, m.rate, m.share, p.Rounding)
			if m.state == commission.Ineligible {
				wantAmount, wantPartner = 0, 0
			}
			if got.State != m.state || got.Refunded.Units != m.refunded || got.Amount.Units != wantAmount || got.Partner.Units != wantPartner ||
				got.Creator.Units != wantAmount-wantPartner || len(got.Events) != len(m.events) {
				t.Fatalf("record %s: %+v\nmodel: %+v (amount %d partner %d)", id, got, m, wantAmount, wantPartner)
			}
		}

		t.Repeat(map[string]func(*rapid.T){
			"create": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				price := rapid.Int64Range(1, 100_000).Draw(t, "price")
				o := partnerOffer("tap", []string{"c1"}, true, day(1), day(30), "10%", "10%")
				o.Rates = history(affrules.Effective[commission.Terms]{From: day(1), Value: commission.Terms{Rate: genRate(t, "rate"), PartnerShare: genRate(t, "share")}})
				ord := order(id, day(1))
				ord.Price = decimal.New(price, -2)
				ord.PlatformCoupon = decimal.New(rapid.Int64Range(0, price).Draw(t, "coupon"), -2) // Q1: refunds are of what was paid
				when := day(2).Add(time.Duration(rapid.IntRange(0, 100).Draw(t, "at")) * time.Hour)
				c, err := e.Compute(mustBook(t, e, o), ord, when)
				if err != nil {
					t.Fatal(err)
				}
				r, err := s.Open(c, rapid.SampledFrom([]string{"standard", "trusted", "new"}).Draw(t, "seller"))
				if c.Amount.Units == 0 {
					if !errors.Is(err, commission.ErrNothingEarned) {
						t.Fatalf("Open of a zero commission: %v", err)
					}
					r = commission.Record{ID: id, Market: affrules.TH, SellerType: "standard", Source: commission.Partner, OrderedAt: when,
						DueAt: when.Add(7 * 24 * time.Hour), Price: c.Price, Paid: c.Paid, Base: c.Base, Earned: c.Amount, Amount: c.Amount,
						Partner: c.Partner, Creator: c.Creator, EarnedPartner: c.Partner, Refunded: commission.Money{Currency: "THB", Places: 2}}
				} else if err != nil {
					t.Fatal(err)
				}
				_, err = store.Create(ctx, s, r)
				old, exists := model[id]
				switch {
				case r.Earned.Units == 0:
					if err == nil {
						t.Fatalf("a record earning nothing was created")
					}
				case exists && (old.price != r.Price.Units || old.paid != r.Paid.Units || old.base != r.Base.Units || !old.share.Equal(r.PartnerShare) || old.earned != r.Earned.Units || old.partner != r.EarnedPartner.Units || !old.ordered.Equal(r.OrderedAt) || !old.due.Equal(r.DueAt) || !old.rate.Equal(r.Rate)):
					if !errors.Is(err, commission.ErrConflict) {
						t.Fatalf("conflicting create: %v, want ErrConflict", err)
					}
				case exists:
					if err != nil {
						t.Fatalf("identical create: %v", err)
					}
				default:
					if err != nil {
						t.Fatal(err)
					}
					model[id] = &modelRecord{price: r.Price.Units, paid: r.Paid.Units, base: r.Base.Units, earned: r.Earned.Units, partner: r.EarnedPartner.Units,
						ordered: r.OrderedAt, due: r.DueAt, rate: r.Rate, share: r.PartnerShare, events: map[string]modelEvent{}}
				}
				check(id)
			},
			"event": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				ev := commission.Event{ID: rapid.SampledFrom(eventIDs).Draw(t, "event"), Record: id,
					Kind: rapid.SampledFrom([]commission.EventKind{commission.Refund, commission.Refund, commission.Refund, commission.Cancel, commission.Settle}).Draw(t, "kind"),
					At:   day(2).Add(time.Duration(rapid.IntRange(0, 30*24).Draw(t, "at")) * time.Hour)}
				var amount int64
				if ev.Kind == commission.Refund {
					amount = rapid.Int64Range(1, 60_000).Draw(t, "amount")
					ev.Amount = decimal.New(amount, -2)
					ev.Currency = "THB"
				}
				got, err := store.Apply(ctx, s, ev)
				m, ok := model[id]
				if !ok {
					if !errors.Is(err, commission.ErrNotFound) {
						t.Fatalf("event for no record: %v", err)
					}
					return
				}
				me := modelEvent{kind: ev.Kind, amount: amount, at: ev.At}
				if old, seen := m.events[ev.ID]; seen {
					if old == me {
						if err != nil {
							t.Fatalf("duplicate event: %v", err)
						}
					} else if !errors.Is(err, commission.ErrConflict) {
						t.Fatalf("reused event ID: %v, want ErrConflict", err)
					}
					check(id)
					return
				}
				var want error
				switch {
				case ev.At.Before(m.ordered):
					want = errors.New("before the order")
				case ev.Kind == commission.Refund && amount > m.paid-m.refunded:
					want = affrules.ErrOutOfRange
				case m.state != commission.Pending:
					want = commission.ErrClosed
				case ev.Kind == commission.Settle && ev.At.Before(m.due):
					want = commission.ErrNotDue
				case (ev.Kind == commission.Settle || ev.Kind == commission.Cancel) && m.lastAt.After(ev.At): // Q2: closes after what happened
					want = errors.New("before an event applied")
				}
				if want != nil {
					if err == nil || (want == commission.ErrClosed || want == commission.ErrNotDue || want == affrules.ErrOutOfRange) && !errors.Is(err, want) {
						t.Fatalf("%+v on %+v: error %v, want %v", ev, m, err, want)
					}
					check(id)
					return
				}
				if err != nil {
					t.Fatalf("%+v on %+v: %v", ev, m, err)
				}
				m.events[ev.ID] = me
				if ev.At.After(m.lastAt) {
					m.lastAt = ev.At
				}
				switch ev.Kind {
				case commission.Refund:
					m.refunded += amount
					if m.refunded == m.paid {
						m.state = commission.Ineligible
					}
				case commission.Cancel:
					m.state = commission.Ineligible
				case commission.Settle:
					m.state = commission.Settled
				}
				if got.State != m.state {
					t.Fatalf("state %s, want %s", got.State, m.state)
				}
				check(id)
			},
			"read": func(t *rapid.T) { check(rapid.SampledFrom(ids).Draw(t, "id")) },
		})
	})
}
