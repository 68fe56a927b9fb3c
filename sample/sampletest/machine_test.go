package sampletest_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/childtest"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
)

// ownRule is a broken ledger: it decides requests by the catalog's rule, not by the rule it is
// given.
type ownRule struct{ *sample.Memory }

func (l ownRule) Request(ctx context.Context, _ sample.Rule, req sample.Request, f sample.Facts, at time.Time) (sample.Request, affrules.Decision, error) {
	r, err := sample.MustNew(sample.DefaultPolicy()).Rule()
	if err != nil {
		return sample.Request{}, affrules.Decision{}, err
	}
	return l.Memory.Request(ctx, r, req, f, at)
}

// TestLedger's machine fails on a ledger that does not apply the rule it is given. The suite
// runs in a child process, so that its failure is observed, not suffered.
func TestMachineCatchesBrokenLedger(t *testing.T) {
	if os.Getenv("SAMPLETEST_BROKEN_LEDGER") == "1" {
		sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return ownRule{sample.NewMemory()} })
		return
	}
	childtest.Fails(t, "TestMachineCatchesBrokenLedger", "machine", "SAMPLETEST_BROKEN_LEDGER=1", nil, "[rapid] failed")
}
