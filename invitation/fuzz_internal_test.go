package invitation

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/internal/deadline"
)

// FuzzLedger drives the ledger's state machine of TestMemoryMachineExact from fuzzed bytes
// (rapid.MakeFuzz): several accounts sharing shards, instants forward, backwards within and
// beyond the bounds, refused and invalid calls, each answer compared with the literal model.
// Every input must finish within ledgerLimit. Executions measured are in BENCHMARKS.md.
func FuzzLedger(f *testing.F) {
	run := rapid.MakeFuzz(machineExact)
	f.Fuzz(func(t *testing.T, b []byte) {
		deadline.Within(t, ledgerLimit, func() { run(t, b) })
	})
}

// ledgerLimit is the per-input deadline of FuzzLedger: one input is a whole run of the state
// machine, up to a few hundred reservations and history queries; the race detector makes it
// about ten times slower.
var ledgerLimit = map[bool]time.Duration{false: time.Second, true: 10 * time.Second}[raceEnabled]
