package collabplus_test

import (
	"testing"

	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/collabplus/collabplustest"
)

func TestMemoryConformance(t *testing.T) {
	collabplustest.TestStore(t, func(t *testing.T) collabplus.Store { return collabplus.NewMemory() })
}

// The zero Memory is a store ready for use.
func TestZeroMemoryConformance(t *testing.T) {
	collabplustest.TestStore(t, func(t *testing.T) collabplus.Store { return &collabplus.Memory{} })
}
