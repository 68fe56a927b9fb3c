package sample

import (
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Fulfilment is a creator's sample record over a window (SMP-8): the requests that ended
// fulfilled (content posted) or overdue (the content deadline passed) at an instant inside it.
type Fulfilment struct {
	Fulfilled int64           `json:"fulfilled"`
	Overdue   int64           `json:"overdue"`
	Window    affrules.Period `json:"window"`
}

// Ratio returns the exact fulfilment rate, fulfilled ÷ (fulfilled + overdue), and whether it
// is defined (at least one request ended in the window).
func (f Fulfilment) Ratio() (affrules.Value, bool) {
	if f.Fulfilled+f.Overdue == 0 {
		return affrules.Value{}, false
	}
	return affrules.Ratio(f.Fulfilled, f.Fulfilled+f.Overdue), true
}

// Rate returns the fulfilment rate as an [affrules.Rate], rounded down to the nearest 1e-9 (so
// a threshold the exact rate does not reach is never reached), and whether it is defined (some
// request ended, neither count is negative, nor is their sum past int64); it is what level's
// badges read.
func (f Fulfilment) Rate() (affrules.Rate, bool) {
	n := f.Fulfilled + f.Overdue
	if f.Fulfilled < 0 || f.Overdue < 0 || n <= 0 { // none, a negative count, or a sum past int64
		return affrules.Rate{}, false
	}
	return affrules.Ratio(f.Fulfilled, n).Rate(), true // rounded down, exactly
}

// Fulfilment returns creator's fulfilment record over the policy's window ending at instant at,
// (at − [Policy.FulfilmentDays] × 24 h, at] (SMP-8, MKT-3), as of at: [FulfilmentRate] over that
// window.
func (r Rule) Fulfilment(requests []Request, creator string, at time.Time) (Fulfilment, error) {
	if !r.ready() {
		return Fulfilment{}, ErrNoPolicy
	}
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "creator", creator))
	l.Append(bounds.Instant(pkg, "at", at))
	if err := l.Err(); err != nil {
		return Fulfilment{}, err
	}
	f := Fulfilment{Window: affrules.Period{Start: at.Add(-r.fulfilment).Add(1), End: at.Add(1)}}
	f.Fulfilled, f.Overdue, _, _ = FulfilmentRate(requests, creator, f.Window)
	return f, nil
}

// FulfilmentRate returns creator's fulfilment rate over any window w (SMP-8), as of w's last
// instant: the requests that ended fulfilled or overdue inside w (content posted; or the
// deadline passed, or the sample delivered after it), the exact ratio fulfilled ÷ (fulfilled +
// overdue), and whether there is any such request (the rate is undefined without one).
// Requests of other creators are ignored. [Rule.Fulfilment] uses the policy's window.
func FulfilmentRate(requests []Request, creator string, w affrules.Period) (fulfilled, overdue int64, rate affrules.Value, ok bool) {
	at := w.End.Add(-1)
	for _, q := range requests {
		if q.Creator != creator || len(q.Events) == 0 {
			continue
		}
		ended, s := q.endedAt(at)
		if ended.IsZero() || !w.Contains(ended) {
			continue
		}
		switch s {
		case Fulfilled:
			fulfilled++
		case Overdue:
			overdue++
		}
	}
	if fulfilled+overdue == 0 {
		return 0, 0, affrules.Value{}, false
	}
	return fulfilled, overdue, affrules.Ratio(fulfilled, fulfilled+overdue), true
}
