package commissiontest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/commission"
)

const (
	// machineSteps caps the actions of one check of a state machine, which keeps a check
	// against a store that is slow to call (a database) to a fraction of a second.
	machineSteps = 20
	// machineChecks is how many checks a state machine runs at most, each against a new
	// store, which may be slow to set up (a database schema).
	machineChecks = 20
)

// canon returns the JSON of offer o with every instant in UTC, so that offers a store returns
// in another zone compare equal.
func canon(o commission.Offer) string {
	o.Period.Start = o.Period.Start.UTC()
	if !o.Period.End.IsZero() {
		o.Period.End = o.Period.End.UTC()
	}
	o.Members = slices.Clone(o.Members)
	for i := range o.Members {
		o.Members[i].Joined = o.Members[i].Joined.UTC()
	}
	var es []affrules.Effective[commission.Terms]
	for from, terms := range o.Rates.All() {
		es = append(es, affrules.Effective[commission.Terms]{From: from.UTC(), Value: terms})
	}
	if tl, err := affrules.NewTimeline(es...); err == nil {
		o.Rates = tl
	}
	b, err := json.Marshal(o)
	if err != nil {
		return fmt.Sprintf("%+v", o)
	}
	return string(b)
}

// offersMachine checks an offer store against a plain model: a map of the offers stored, a put
// accepted exactly when the rule given accepts the offer over the one stored under its ID
// ([commission.OfferRule.Check]) and it is not a second OPEN offer of its market and product
// running at the same time, or starting within the rule's RelistDelay of the other's end with
// terms that pay some order less than the other still owes a creator promoting it (COM-3,
// COM-9..11, COM-10, CMP-7).
func offersMachine(t *rapid.T, s commission.OfferStore) {
	ctx := context.Background()
	p := commission.DefaultPolicy()
	rules := []commission.OfferRule{p.OfferRule()}
	strict := p.OfferRule()
	strict.MaxRate, strict.RequireExclusiveRate, strict.NoShopAdsFallback = affrules.MustParseRate("20%"), true, true
	rules = append(rules, strict)
	model := map[string]commission.Offer{}
	ids := []string{"o1", "o2", "o3", "o4"}
	products := []string{"p1", "p2"}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()

	// decide returns the model's answer to putting o at instant at under rule.
	decide := func(rule commission.OfferRule, o commission.Offer, at time.Time) error {
		var prev *commission.Offer
		if old, ok := model[o.ID]; ok {
			prev = &old
		}
		if err := rule.Check(prev, o, at); err != nil {
			return err
		}
		// runs reports whether period q runs at instant x or later (no end: it runs on).
		runs := func(x time.Time, q affrules.Period) bool { return q.End.IsZero() || x.Before(q.End) }
		// payAt is what the history entries es pay at instant t an order that is the creator's
		// n-th, through shop ads or not, as the resolver pays it: nothing before the first
		// entry, nothing for a shop-ads order without a shop-ads rate when strict.
		type entry struct {
			from  time.Time
			terms commission.Terms
		}
		listOf := func(q commission.Offer) []entry {
			var es []entry
			for from, t := range q.Rates.All() {
				es = append(es, entry{from, t})
			}
			return es
		}
		pay := func(t commission.Terms, n int64, shopAds, strict bool) (affrules.Rate, bool) {
			if shopAds && !t.ShopAds.IsZero() {
				return t.ShopAds, true
			}
			if strict {
				return affrules.Rate{}, false
			}
			if t.Tier != nil && t.Tier.Threshold > 0 && n >= t.Tier.Threshold {
				return t.Tier.Rate, true
			}
			return t.Rate, true
		}
		// owes reports whether later, relisting the product of earlier within the delay after
		// its end, starts with terms that pay some order less than earlier still owes a
		// creator promoting since before: the highest rate earlier paid it at an instant of
		// [start − delay, earlier's end) (COM-10, CMP-7); orders below and at every tier
		// threshold, through shop ads or not, under the rule's shop-ads fallback.
		owes := func(earlier, later commission.Offer) bool {
			olds, news := listOf(earlier), listOf(later)
			start, end, delay := later.Period.Start, earlier.Period.End, rule.RelistDelay
			counts := []int64{1}
			for _, e := range append(slices.Clone(olds), news...) {
				if e.terms.Tier != nil {
					counts = append(counts, e.terms.Tier.Threshold, e.terms.Tier.Threshold-1)
				}
			}
			for _, n := range counts {
				for _, shopAds := range []bool{false, true} {
					strict := shopAds && rule.NoShopAdsFallback
					var paid affrules.Rate
					paying := false
					for _, e := range news {
						if !e.from.After(start) {
							paid, paying = pay(e.terms, n, shopAds, strict)
						}
					}
					for i, e := range olds {
						until := end
						if i+1 < len(olds) && olds[i+1].from.Before(end) {
							until = olds[i+1].from
						}
						if e.from.Before(until) && until.After(start.Add(-delay)) {
							if owed, ok := pay(e.terms, n, shopAds, strict); ok && (!paying || paid.Cmp(owed) < 0) {
								return true
							}
						}
					}
				}
			}
			return false
		}
		// first reports whether offer a's period comes first: earlier start, then earlier end
		// (none last), then the lower ID.
		first := func(a, b commission.Offer) bool {
			switch {
			case !a.Period.Start.Equal(b.Period.Start):
				return a.Period.Start.Before(b.Period.Start)
			case a.Period.End.Equal(b.Period.End):
				return a.ID < b.ID
			case a.Period.End.IsZero():
				return false
			}
			return b.Period.End.IsZero() || a.Period.End.Before(b.Period.End)
		}
		if o.Source == commission.Open {
			for id, other := range model {
				if id == o.ID || other.Source != commission.Open || other.Market != o.Market || other.Product != o.Product {
					continue
				}
				if runs(o.Period.Start, other.Period) && runs(other.Period.Start, o.Period) {
					return fmt.Errorf("a second OPEN offer of %s in %s while %s runs", o.Product, o.Market, id)
				}
				earlier, later := other, o
				if first(o, other) {
					earlier, later = o, other
				}
				if later.Period.Start.Before(earlier.Period.End.Add(rule.RelistDelay)) && owes(earlier, later) {
					return fmt.Errorf("OPEN offer %s relists %s in %s within the delay after %s, paying less than it still owes", later.ID, o.Product, o.Market, earlier.ID)
				}
			}
		}
		return nil
	}
	put := func(t *rapid.T, o commission.Offer, at time.Time) {
		rule := rapid.SampledFrom(rules).Draw(t, "rule")
		want := decide(rule, o, at)
		got, err := s.Put(ctx, rule, o, at)
		what := fmt.Sprintf("put %s at %s", canon(o), at.Format(time.RFC3339Nano))
		switch {
		case want != nil && err == nil:
			t.Fatalf("%s: accepted, want refused: %v", what, want)
		case want != nil:
			var fe *affrules.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%s: %T %v, want a *affrules.FieldError", what, err, err)
			}
		case err != nil:
			t.Fatalf("%s: %v, want accepted", what, err)
		default:
			o.Updated = at.UTC() // the instant of the put
			if canon(got) != canon(o) {
				t.Fatalf("%s: returned %s", what, canon(got))
			}
			model[o.ID] = o
		}
	}

	t.Repeat(affrulestest.Capped(machineSteps, map[string]func(*rapid.T){
		"new": func(t *rapid.T) {
			// An offer from a case drawn under the default policy, under an ID of the pool.
			c := Cases(p).Draw(t, "case")
			o := rapid.SampledFrom(c.Offers).Draw(t, "offer")
			o.ID = rapid.SampledFrom(ids).Draw(t, "id")
			o.Product = rapid.SampledFrom(products).Draw(t, "product")
			put(t, o, o.Period.Start.Add(-time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "before_start"))))
		},
		"relist": func(t *rapid.T) {
			// A new OPEN offer of a product whose OPEN offer ended, starting at its end, within the
			// relisting delay after it or after one of its rate changes, or at or after the
			// delay's end, at a rate near one it paid (CMP-7, COM-10: a creator promoting it is
			// owed the highest paid within the delay).
			id := rapid.SampledFrom(ids).Draw(t, "ended")
			old, ok := model[id]
			if !ok || old.Source != commission.Open || old.Period.End.IsZero() {
				t.Skip("no ended OPEN offer under the ID")
			}
			o := old
			o.ID = rapid.SampledFrom(ids).Draw(t, "id")
			delay := p.OfferRule().RelistDelay
			var rates []affrules.Rate
			var changes []time.Time
			for from, terms := range old.Rates.All() {
				rates = append(rates, terms.Rate)
				changes = append(changes, from)
			}
			start := old.Period.End.Add(rapid.SampledFrom([]time.Duration{0, time.Hour, delay - 1, delay, delay + time.Hour}).Draw(t, "after_end"))
			if rapid.Bool().Draw(t, "after_a_change") { // the delay after a rate change, if after the end
				if c := rapid.SampledFrom(changes).Draw(t, "change").Add(delay + rapid.SampledFrom([]time.Duration{-1, 0}).Draw(t, "nudge")); c.After(old.Period.End) {
					start = c
				}
			}
			o.Period = affrules.Period{Start: start}
			ref := rapid.SampledFrom(rates).Draw(t, "paid") // a rate it paid: the relisting straddles it
			rate := rapid.OneOf(affrulestest.StraddleRate(ref), Rate(p)).Draw(t, "rate")
			if rate.Cmp(p.MinRate) < 0 || rate.Cmp(p.MaxRate) > 0 {
				rate = ref
			}
			tl, err := affrules.NewTimeline(affrules.Effective[commission.Terms]{From: o.Period.Start, Value: commission.Terms{Rate: rate}})
			if err != nil {
				t.Fatal(err)
			}
			o.Rates = tl
			put(t, o, o.Period.Start.Add(-time.Hour))
		},
		"change": func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			o, ok := model[id]
			if !ok {
				t.Skip("no offer under the ID")
			}
			at := o.Period.Start.Add(time.Duration(rapid.Int64Range(-int64(24*time.Hour), int64(10*24*time.Hour)).Draw(t, "at")))
			es := slices.Collect(func(yield func(affrules.Effective[commission.Terms]) bool) {
				for from, terms := range o.Rates.All() {
					if !yield(affrules.Effective[commission.Terms]{From: from, Value: terms}) {
						return
					}
				}
			})
			switch rapid.IntRange(0, 6).Draw(t, "change") {
			case 0: // a new rate from the change on, or a little before it
				if len(es) == 0 {
					t.Skip("no history")
				}
				terms := es[len(es)-1].Value
				terms.Rate = affrulestest.StraddleRate(rapid.SampledFrom([]affrules.Rate{p.MinRate, p.MaxRate, terms.Rate}).Draw(t, "near")).Draw(t, "rate")
				from := at.Add(time.Duration(rapid.Int64Range(-int64(time.Hour), int64(48*time.Hour)).Draw(t, "from")))
				if !from.After(es[len(es)-1].From) {
					t.Skip("the history must go forward")
				}
				es = append(es, affrules.Effective[commission.Terms]{From: from, Value: terms})
			case 1: // an entry's rate rewritten
				if len(es) == 0 {
					t.Skip("no history")
				}
				k := rapid.IntRange(0, len(es)-1).Draw(t, "entry")
				es[k].Value.Rate = Rate(p).Draw(t, "rate")
			case 2: // ended, at or around the change
				o.Period.End = at.Add(time.Duration(rapid.Int64Range(-int64(time.Hour), int64(48*time.Hour)).Draw(t, "end")))
				if !o.Period.End.After(o.Period.Start) {
					o.Period.End = o.Period.Start.Add(time.Hour)
				}
			case 3: // the start moved
				o.Period.Start = o.Period.Start.Add(time.Duration(rapid.Int64Range(-int64(time.Hour), int64(time.Hour)).Draw(t, "start")))
			case 4: // a member joins, around the change
				if o.Source != commission.CollabPlus {
					t.Skip("members are for COLLAB_PLUS offers")
				}
				o.Members = append(slices.Clone(o.Members), commission.Member{Creator: fmt.Sprint("m", len(o.Members)),
					Joined: at.Add(time.Duration(rapid.Int64Range(-int64(time.Hour), int64(time.Hour)).Draw(t, "joined")))})
			case 5: // the creators listed change
				if o.Coverage != commission.Listed {
					t.Skip("creators are for TARGET and PARTNER offers")
				}
				o.Creators = append(slices.Clone(o.Creators), fmt.Sprint("x", len(o.Creators)))
			case 6: // the source changes
				o.Source = rapid.SampledFrom(sources).Draw(t, "source")
			}
			if len(es) > 0 {
				tl, err := affrules.NewTimeline(es...)
				if err != nil {
					t.Skip("not a history")
				}
				o.Rates = tl
			}
			put(t, o, at)
		},
		"read": func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			got, err := s.Offer(ctx, id)
			want, ok := model[id]
			switch {
			case !ok && !errors.Is(err, commission.ErrNotFound):
				t.Fatalf("Offer(%s) = %s, %v; want an error wrapping ErrNotFound", id, canon(got), err)
			case ok && (err != nil || canon(got) != canon(want)):
				t.Fatalf("Offer(%s) = %s, %v; want %s", id, canon(got), err, canon(want))
			}
		},
		"list": func(t *rapid.T) {
			market := rapid.SampledFrom(caseMarkets).Draw(t, "market")
			product := rapid.SampledFrom(products).Draw(t, "product")
			got, err := s.Offers(ctx, market, product)
			if err != nil {
				t.Fatalf("Offers(%s, %s): %v", market, product, err)
			}
			var want []string
			for _, id := range ids {
				if o, ok := model[id]; ok && o.Market == market && o.Product == product {
					want = append(want, canon(o))
				}
			}
			var have []string
			for _, o := range got {
				have = append(have, canon(o))
			}
			if !slices.Equal(have, want) {
				t.Fatalf("Offers(%s, %s):\n got %v\nwant %v (by ID)", market, product, have, want)
			}
		},
		"invalid": func(t *rapid.T) {
			c := Cases(p).Draw(t, "case")
			o := c.Offers[0]
			o.ID = rapid.SampledFrom(ids).Draw(t, "id")
			var err error
			if rapid.Bool().Draw(t, "cancelled") {
				_, err = s.Put(cancelled, p.OfferRule(), o, o.Period.Start)
			} else {
				_, err = s.Put(ctx, p.OfferRule(), o, time.Time{})
			}
			if err == nil {
				t.Fatalf("an invalid put of %s succeeded", o.ID)
			}
		},
	}))
}

// recordModel is the plain model of one record: what a record store must hold, kept with
// integers and exact fractions.
type recordModel struct {
	r        commission.Record // as created
	refunded int64
	state    commission.State
	events   map[string]commission.Event
	last     time.Time // the latest instant of an event applied
}

// roundRat rounds the non-negative x to an integer in mode.
func roundRat(x *big.Rat, mode affrules.RoundingMode) int64 {
	q, r := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	twice := new(big.Int).Mul(r, big.NewInt(2))
	switch c := twice.Cmp(x.Denom()); {
	case mode == affrules.Down || r.Sign() == 0:
	case c > 0, c == 0 && mode == affrules.HalfUp, c == 0 && mode == affrules.HalfEven && q.Bit(0) == 1:
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// remains returns what remains of the commission and of its partner part: rate × base × the
// share of what was paid not refunded, and that × the partner share, each rounded once (COM-8).
func (m *recordModel) remains(mode affrules.RoundingMode) (amount, partner int64) {
	if m.state == commission.Ineligible {
		return 0, 0
	}
	rat := func(r affrules.Rate) *big.Rat { return new(big.Rat).SetFrac64(units(r), 1_000_000_000) }
	x := new(big.Rat).Mul(rat(m.r.Rate), big.NewRat(m.r.Base.Units, 1))
	x.Mul(x, big.NewRat(m.r.Paid.Units-m.refunded, max(m.r.Paid.Units, 1)))
	y := new(big.Rat).Mul(x, rat(m.r.PartnerShare))
	return roundRat(x, mode), roundRat(y, mode)
}

// recordsMachine checks a record store against a plain model of COM-8: records created once
// (again with the same data, or in conflict), refunds in proportion, cancellations and
// settlements, events applied once, and every refused call changing nothing.
func recordsMachine(t *rapid.T, st commission.RecordStore) {
	ctx := context.Background()
	p := commission.DefaultPolicy()
	p.Rounding = rapid.SampledFrom([]affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down}).Draw(t, "rounding")
	s := p.Settlement()
	ids := []string{"l1", "l2", "l3"}
	model := map[string]*recordModel{}
	fresh := 0 // numbers event IDs not used before

	// stored fails t unless got, err are the record m models, as call returned it.
	stored := func(t *rapid.T, call string, got commission.Record, err error, m *recordModel) {
		amount, partner := m.remains(p.Rounding)
		if err != nil || !got.SameOrigin(m.r) || got.State != m.state || got.Refunded.Units != m.refunded || got.Amount.Units != amount ||
			got.Partner.Units != partner || got.Creator.Units != amount-partner || len(got.Events) != len(m.events) {
			t.Fatalf("%s = %+v, %v\nwant state %s, refunded %d, amount %d, partner %d, %d events", call, got, err, m.state, m.refunded, amount, partner, len(m.events))
		}
	}
	check := func(t *rapid.T, id string) {
		got, err := st.Record(ctx, id)
		m, ok := model[id]
		if !ok {
			if !errors.Is(err, commission.ErrNotFound) {
				t.Fatalf("Record(%s) = %+v, %v; want an error wrapping ErrNotFound", id, got, err)
			}
			return
		}
		stored(t, "Record("+id+")", got, err, m)
	}
	record := func(t *rapid.T, id string) commission.Record {
		r := Records(p).Draw(t, "record")
		r.ID = id
		return r
	}

	t.Repeat(affrulestest.Capped(machineSteps, map[string]func(*rapid.T){
		"create": func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			r := record(t, id)
			m, exists := model[id]
			if exists && rapid.Bool().Draw(t, "same") {
				r = m.r // the same record again: the stored one, unchanged
			}
			broken := rapid.IntRange(0, 4).Draw(t, "broken") == 0
			if broken {
				r.Amount.Units++ // not what was earned: refused (COM-7)
			}
			got, err := st.Create(ctx, s, r)
			switch {
			case broken:
				if err == nil {
					t.Fatalf("a record whose amount is not what it earned was created: %+v", got)
				}
			case exists && !r.SameOrigin(m.r):
				if !errors.Is(err, commission.ErrConflict) {
					t.Fatalf("another record under %s: %v, want an error wrapping ErrConflict", id, err)
				}
			case exists: // the stored record, its events and refunds included, not the argument
				stored(t, "Create of the same record "+id+" again", got, err, m)
			default:
				if err != nil || !got.SameOrigin(r) {
					t.Fatalf("create %+v: %+v, %v", r, got, err)
				}
				model[id] = &recordModel{r: r, state: commission.Pending, events: map[string]commission.Event{}}
			}
			check(t, id)
		},
		"event": func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			m, ok := model[id]
			if !ok {
				ev := commission.Event{ID: "e0", Record: id, Kind: commission.Cancel, At: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
				if _, err := st.Apply(ctx, s, ev); !errors.Is(err, commission.ErrNotFound) {
					t.Fatalf("an event for no record: %v, want an error wrapping ErrNotFound", err)
				}
				return
			}
			cur := m.r
			cur.Refunded.Units = m.refunded
			ev := rapid.SampledFrom(Events(cur).Draw(t, "events")).Draw(t, "event")
			if rapid.IntRange(0, 3).Draw(t, "new_id") > 0 { // else an ID that may have been used
				fresh++
				ev.ID = fmt.Sprint("n", fresh)
			}
			if rapid.IntRange(0, 5).Draw(t, "before_order") == 0 {
				ev.At = m.r.OrderedAt.Add(-time.Nanosecond)
			}
			got, err := st.Apply(ctx, s, ev)
			var amount int64
			if ev.Kind == commission.Refund {
				amount = ev.Amount.Shift(m.r.Paid.Places).IntPart()
			}
			var want error
			if old, seen := m.events[ev.ID]; seen {
				if !sameEvent(old, ev) {
					want = commission.ErrConflict
				}
			} else {
				switch {
				case ev.At.Before(m.r.OrderedAt):
					want = errors.New("an event before the order")
				case ev.Kind == commission.Refund && amount > m.r.Paid.Units-m.refunded:
					want = affrules.ErrOutOfRange
				case m.state != commission.Pending:
					want = commission.ErrClosed
				case ev.Kind == commission.Settle && ev.At.Before(m.r.DueAt):
					want = commission.ErrNotDue
				case (ev.Kind == commission.Settle || ev.Kind == commission.Cancel) && ev.At.Before(m.last):
					want = errors.New("a settlement or cancellation before an event applied")
				}
			}
			what := fmt.Sprintf("%s %s %s at %s on %s", ev.ID, ev.Kind, ev.Amount, ev.At.Format(time.RFC3339Nano), id)
			if want != nil {
				sentinel := want == commission.ErrConflict || want == affrules.ErrOutOfRange || want == commission.ErrClosed || want == commission.ErrNotDue
				if err == nil || sentinel && !errors.Is(err, want) {
					t.Fatalf("%s: %+v, %v; want an error: %v", what, got, err, want)
				}
				check(t, id)
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if _, seen := m.events[ev.ID]; !seen {
				m.events[ev.ID] = ev
				if ev.At.After(m.last) {
					m.last = ev.At
				}
				switch ev.Kind {
				case commission.Refund:
					m.refunded += amount
					if m.refunded == m.r.Paid.Units {
						m.state = commission.Ineligible
					}
				case commission.Cancel:
					m.state = commission.Ineligible
				case commission.Settle:
					m.state = commission.Settled
				}
			}
			if got.State != m.state {
				t.Fatalf("%s: state %s, want %s", what, got.State, m.state)
			}
			check(t, id)
		},
		"malformed": func(t *rapid.T) {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			ev := commission.Event{ID: "bad", Record: id, Kind: commission.Refund, Amount: decimal.Zero, Currency: "GBP", At: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
			if rapid.Bool().Draw(t, "no_id") {
				ev.ID, ev.Kind, ev.Amount, ev.Currency = "", commission.Cancel, decimal.Zero, ""
			}
			if _, err := st.Apply(ctx, s, ev); err == nil {
				t.Fatalf("a malformed event %+v was applied", ev)
			}
			check(t, id)
		},
		"read": func(t *rapid.T) { check(t, rapid.SampledFrom(ids).Draw(t, "id")) },
	}))
	for _, id := range ids {
		check(t, id)
	}
}

// sameEvent reports whether a and b are the same event.
func sameEvent(a, b commission.Event) bool {
	return a.ID == b.ID && a.Record == b.Record && a.Kind == b.Kind && a.Amount.Equal(b.Amount) && a.Currency == b.Currency && a.At.Equal(b.At)
}
