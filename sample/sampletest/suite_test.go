package sampletest_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/childtest"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
)

// unkeyed is a broken ledger: its rows have no unique key on the request ID (it keeps each
// request in a memory ledger under a row key of its own), so Request checks the ID itself,
// under its lock, then releases the lock for the round trip that decides and records the
// request. Two requests under one ID at the same moment both pass the check and are both
// recorded.
type unkeyed struct {
	*sample.Memory
	rows childtest.Rows
}

// outside returns r as the ledger's callers see it: under its request ID.
func outside(r sample.Request) sample.Request {
	r.ID = childtest.ID(r.ID)
	return r
}

// outsideDecision returns d with the requests it names under their request IDs.
func outsideDecision(d affrules.Decision) affrules.Decision {
	d.Reasons = slices.Clone(d.Reasons)
	for i := range d.Reasons {
		d.Reasons[i].Subject = childtest.ID(d.Reasons[i].Subject)
	}
	return d
}

// outsideErr returns err with the requests a refusal names under their request IDs.
func outsideErr(err error) error {
	var r *affrules.Refusal
	if !errors.As(err, &r) {
		return err
	}
	out := *r
	out.Subject = childtest.ID(out.Subject)
	out.Decision = outsideDecision(out.Decision)
	return &out
}

func (l *unkeyed) Request(ctx context.Context, rule sample.Rule, req sample.Request, f sample.Facts, at time.Time) (sample.Request, affrules.Decision, error) {
	if _, ok := l.rows.Row(req.ID); ok {
		return sample.Request{}, affrules.Decision{}, fmt.Errorf("request %q: %w", req.ID, sample.ErrConflict)
	}
	time.Sleep(time.Millisecond) // the round trip to the database, lock released
	id, k := req.ID, l.rows.Next(req.ID)
	req.ID = k
	got, d, err := l.Memory.Request(ctx, rule, req, f, at)
	d = outsideDecision(d)
	if err != nil || !d.Allowed {
		return sample.Request{}, d, outsideErr(err)
	}
	l.rows.Keep(id, k)
	return outside(got), d, nil
}

func (l *unkeyed) Record(ctx context.Context, rule sample.Rule, id string, k sample.EventKind, at time.Time) (sample.Request, error) {
	key, ok := l.rows.Row(id)
	if !ok {
		return sample.Request{}, fmt.Errorf("request %q: %w", id, sample.ErrNotFound)
	}
	got, err := l.Memory.Record(ctx, rule, key, k, at)
	return outside(got), outsideErr(err)
}

func (l *unkeyed) Requests(ctx context.Context, creator string) ([]sample.Request, error) {
	got, err := l.Memory.Requests(ctx, creator)
	for i := range got {
		got[i] = outside(got[i])
	}
	return got, err
}

// byID is a broken ledger: it lists the requests asked at one instant by their IDs, not in the
// order they were recorded.
type byID struct{ *sample.Memory }

func (l byID) Requests(ctx context.Context, creator string) ([]sample.Request, error) {
	got, err := l.Memory.Requests(ctx, creator)
	slices.SortStableFunc(got, func(a, b sample.Request) int {
		return cmp.Or(a.Events[0].At.Compare(b.Events[0].At), strings.Compare(a.ID, b.ID))
	})
	return got, err
}

// The fixed cases of the suite fail on a ledger that records two requests under one ID made at
// the same moment, or lists ties by ID. Each suite runs in a child process, so that its failure
// is observed, not suffered.
func TestSuiteCatchesBrokenLedgers(t *testing.T) {
	switch os.Getenv("SAMPLETEST_BROKEN") {
	case "unkeyed":
		sampletest.TestLedger(t, func(t *testing.T) sample.Ledger {
			return &unkeyed{Memory: sample.NewMemory()}
		})
		return
	case "byID":
		sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return byID{sample.NewMemory()} })
		return
	}
	for _, tc := range []struct{ ledger, subtest, says string }{
		{"unkeyed", "ConcurrentSameID", "requests under one ID at once recorded"},
		{"byID", "RequestsInRecordingOrder", "not in the order recorded"},
	} {
		t.Run(tc.ledger, func(t *testing.T) {
			childtest.Fails(t, "TestSuiteCatchesBrokenLedgers", tc.subtest, "SAMPLETEST_BROKEN="+tc.ledger, nil, tc.says)
		})
	}
}
