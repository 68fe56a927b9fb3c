package sample

import (
	"hash/maphash"
	"math/bits"
	"strconv"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/marketreg"
)

// Fulfilment is a creator's sample record over a window (SMP-8): the requests that ended
// fulfilled (content posted) or overdue (the content deadline passed) at an instant inside it.
type Fulfilment struct {
	Fulfilled int64           `json:"fulfilled"`
	Overdue   int64           `json:"overdue"`
	Window    affrules.Period `json:"window"`
}

// Ratio returns the exact fulfilment rate, fulfilled ÷ (fulfilled + overdue), and whether it
// is defined, as [Fulfilment.Rate] says: some request ended in the window, neither count is
// negative, nor is their sum past int64.
func (f Fulfilment) Ratio() (affrules.Value, bool) {
	n := f.Fulfilled + f.Overdue
	if f.Fulfilled < 0 || f.Overdue < 0 || n <= 0 { // none, a negative count, or a sum past int64
		return affrules.Value{}, false
	}
	return affrules.Ratio(f.Fulfilled, n), true
}

// Rate returns the fulfilment rate as an [affrules.Rate], rounded down to the nearest 1e-9 (so
// a threshold the exact rate does not reach is never reached), and whether it is defined (some
// request ended, neither count is negative, nor is their sum past int64); it is what level's
// badges read.
func (f Fulfilment) Rate() (affrules.Rate, bool) {
	v, ok := f.Ratio()
	if !ok {
		return affrules.Rate{}, false
	}
	return v.Rate(), true // rounded down, exactly
}

// Fulfilment returns creator's fulfilment record over the policy's window ending at instant at,
// (at − [Policy.FulfilmentDays] × 24 h, at] (SMP-8, MKT-3), as of at: [FulfilmentRate] over that
// window, with its checks of the requests.
func (r Rule) Fulfilment(requests []Request, creator string, at time.Time) (Fulfilment, error) {
	if !r.ready() {
		return Fulfilment{}, ErrNoPolicy
	}
	if err := bounds.Instant(pkg, "at", at); err != nil {
		return Fulfilment{}, err
	}
	w := affrules.Period{Start: at.Add(-r.fulfilment).Add(1), End: at.Add(1)}
	if w.Start.Before(bounds.MinInstant) { // nothing ends before 1900: the window starts there
		w.Start = bounds.MinInstant
	}
	return FulfilmentRate(requests, creator, w)
}

// FulfilmentRate returns creator's fulfilment record over any window w (SMP-8), as of w's last
// instant: the requests that ended fulfilled or overdue inside w (content posted; or the
// deadline passed, or the sample delivered after it). [Fulfilment.Ratio] is then the exact rate,
// undefined without any such request (an empty window has none). Requests of other creators are
// ignored. [Rule.Fulfilment] uses the policy's window.
//
// The creator's requests are checked, since one given twice or with events the rules would not
// have recorded would count wrongly (their events as [Rule.Decide] checks a product's history's,
// and their IDs and markets besides): bad input
// is a [*affrules.FieldError] naming requests[i], for a request without an ID or a registered
// market, one whose ID an earlier request of the creator has, or one whose events are not a
// history the rules record (the request first, with its answer window, then events in order of
// time and of the lifecycle, each with its deadline); and so is an empty creator or a window
// that is inverted or starts or ends outside the years 1900 to 2199 (it may end at the first
// instant of 2200, which it excludes).
func FulfilmentRate(requests []Request, creator string, w affrules.Period) (Fulfilment, error) {
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "creator", creator))
	l.Append(bounds.Instant(pkg, "window.start", w.Start))
	if !w.End.Equal(bounds.MaxInstant) { // the end is excluded: the window may end with 2199
		l.Append(bounds.Instant(pkg, "window.end", w.End))
	}
	if w.End.Before(w.Start) {
		l.Add("window.end", w.End.Format(time.RFC3339Nano), "is before the window's start %s", w.Start.Format(time.RFC3339Nano))
	}
	if err := l.Err(); err != nil {
		return Fulfilment{}, err
	}
	checkRequests(l, requests, creator)
	if err := l.Err(); err != nil {
		return Fulfilment{}, err
	}
	f := Fulfilment{Window: w}
	at := w.End.Add(-1)
	for i := range requests {
		q := &requests[i]
		if q.Creator != creator {
			continue
		}
		ended, s := q.endedAt(at)
		if ended.IsZero() || !w.Contains(ended) {
			continue
		}
		switch s {
		case Fulfilled:
			f.Fulfilled++
		case Overdue:
			f.Overdue++
		}
	}
	return f, nil
}

// checkRequests adds to l the problems of creator's requests among requests (FulfilmentRate).
// Repeated IDs are found by comparing each with those before it when the creator has few
// requests, and through a table of their IDs' hashes when many, so that no list makes the check
// quadratic, at the cost of one small array.
func checkRequests(l *fielderr.List, requests []Request, creator string) {
	n := 0
	for i := range requests {
		if requests[i].Creator == creator {
			n++
		}
	}
	var known affrules.MarketCode // the last market found registered
	var table []int32             // 1 + the index of a request whose ID hashes to the slot, or 0; linear probing
	if n > smallRequests {
		table = make([]int32, 2<<bits.Len(uint(n)))
	}
	for i := range requests {
		q := &requests[i]
		if q.Creator != creator {
			continue
		}
		field := func() string { return "requests[" + strconv.Itoa(i) + "]" }
		if err := bounds.ID(pkg, "id", q.ID); err != nil {
			l.Append(fielderr.Rebase(pkg, "id", field()+".id", err))
		} else if j := earlier(requests, i, table); j >= 0 {
			l.Add(field()+".id", strconv.Quote(q.ID), "is requests[%d]'s too: give each request once (%s)", j, RuleFulfilment)
		}
		if q.Market != known || known == "" { // a creator's requests are mostly of one market
			if _, _, ok := marketreg.Lookup(string(q.Market)); !ok {
				l.Add(field()+".market", strconv.Quote(string(q.Market)), "%w", affrules.ErrUnknownMarket)
			} else {
				known = q.Market
			}
		}
		if !checkEvents(nil, q) { // the problems named only once one is found
			one := fielderr.For(pkg)
			checkEvents(one, q)
			l.Append(fielderr.Rebase(pkg, "request", field(), one.Err()))
		}
	}
}

// earlier returns the index of a request of the same creator before requests[i] with its ID, or
// -1. Without a table it compares it with each of them; with one (whose length is a power of two,
// more than twice the creator's requests), it probes the table for the ID and records requests[i]
// there when it is new.
func earlier(requests []Request, i int, table []int32) int {
	q := &requests[i]
	if table == nil {
		for j := range requests[:i] {
			if requests[j].Creator == q.Creator && requests[j].ID == q.ID {
				return j
			}
		}
		return -1
	}
	mask := uint64(len(table) - 1)
	for slot := maphash.String(idSeed, q.ID) & mask; ; slot = (slot + 1) & mask {
		j := int(table[slot]) - 1
		if j < 0 {
			table[slot] = int32(i + 1)
			return -1
		}
		if requests[j].ID == q.ID {
			return j
		}
	}
}

// idSeed seeds the hashes of request IDs.
var idSeed = maphash.MakeSeed()

// smallRequests is the number of a creator's requests up to which repeated IDs are found
// without a table.
const smallRequests = 16
