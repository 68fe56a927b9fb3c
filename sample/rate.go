package sample

import (
	"github.com/affrules/affrules"
)

// FulfilmentRate returns creator's fulfilment rate over window w (SMP-8): the requests that
// ended fulfilled or overdue inside w (content posted, or the deadline passed or the sample was
// delivered after it, at an instant in [w.Start, w.End)), as the exact ratio fulfilled ÷ (fulfilled + overdue), and whether there is
// any such request (the rate is undefined without one). Requests of other creators are ignored.
func FulfilmentRate(requests []Request, creator string, w affrules.Period) (fulfilled, overdue int64, rate affrules.Value, ok bool) {
	for _, r := range requests {
		if r.Creator != creator || len(r.Events) == 0 {
			continue
		}
		// Judged as of the window's last instant: what ended inside it.
		at := w.End.Add(-1)
		ended, s := r.endedAt(at)
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
