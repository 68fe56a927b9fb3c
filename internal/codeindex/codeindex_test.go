package codeindex

import (
	"testing"

	"github.com/affrules/affrules"
)

func TestOf(t *testing.T) {
	for _, tt := range []struct {
		code affrules.MarketCode
		k    int
		ok   bool
	}{
		{"AA", 0, true}, {"AZ", 25, true}, {"BA", 26, true}, {"UK", 20*26 + 10, true}, {"ZZ", 675, true},
		{"[A", 0, false}, {"A[", 0, false}, {"@A", 0, false}, {"A@", 0, false}, {"uk", 0, false},
		{"U", 0, false}, {"UKX", 0, false}, {"", 0, false},
	} {
		k, ok := Of(tt.code)
		if ok != tt.ok || ok && k != tt.k {
			t.Errorf("Of(%q) = %d, %t; want %d, %t", tt.code, k, ok, tt.k, tt.ok)
		}
	}
}
