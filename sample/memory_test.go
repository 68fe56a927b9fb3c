package sample_test

import (
	"testing"

	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
)

func TestMemoryConformance(t *testing.T) {
	sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return sample.NewMemory() })
}

// The zero Memory is a ledger ready for use.
func TestZeroMemoryConformance(t *testing.T) {
	sampletest.TestLedger(t, func(t *testing.T) sample.Ledger { return &sample.Memory{} })
}
