package commission_test

import (
	"testing"
	"time"

	"github.com/affrules/affrules/commission"
)

// COM-3 and COM-10: the seed's October example as SPEC COM-3 states it.
func TestOctoberStory_COM3_COM10(t *testing.T) {
	e := commission.MustNew(commission.DefaultPolicy())
	b, err := e.Prepare(october()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		at     time.Time
		want   string
		source commission.Source
	}{
		{"Oct 1 open", day(1).Add(12 * time.Hour), "10%", commission.Open},
		{"Oct 2 joined", day(2), "15%", commission.CollabPlus},
		{"Oct 4", day(4).Add(12 * time.Hour), "15%", commission.CollabPlus},
		{"Oct 5 23:59", day(6).Add(-time.Minute), "15%", commission.CollabPlus},
		{"Oct 6 00:00", day(6), "8%", commission.Open},
		{"Oct 7", day(7), "8%", commission.Open},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := e.Resolve(b, order("o1", day(1)), tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if r.Rate.String() != tc.want || r.Source != tc.source {
				t.Errorf("at %s: got %s %s, want %s %s\n%s", tc.at, r.Source, r.Rate, tc.source, tc.want, r.Explain())
			}
		})
	}
	// Without COM-10's reset the creator, promoting since Oct 1, would keep 10% until the
	// decrease is 30 days old.
	p := commission.DefaultPolicy()
	p.ResetSources = nil
	e2 := commission.MustNew(p)
	b2, _ := e2.Prepare(october()...)
	r, err := e2.Resolve(b2, order("o1", day(1)), day(6))
	if err != nil {
		t.Fatal(err)
	}
	if r.Rate.String() != "10%" {
		t.Errorf("no reset: got %s, want 10%%\n%s", r.Rate, r.Explain())
	}
}
