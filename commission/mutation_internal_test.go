package commission

import (
	"math/big"
	"testing"

	"github.com/affrules/affrules"
)

// MKT-4, COM-1: an exact half rounds up in HalfUp, to the even quotient in HalfEven (down from
// 2.5, up from 3.5), and never in Down; anything else to the nearest.
func TestMutationBigDivRoundTies(t *testing.T) {
	tests := []struct {
		n, d int64
		mode affrules.RoundingMode
		want int64
	}{
		{5, 2, affrules.HalfUp, 3},
		{5, 2, affrules.HalfEven, 2},
		{7, 2, affrules.HalfEven, 4},
		{5, 2, affrules.Down, 2},
		{7, 3, affrules.HalfEven, 2},
		{8, 3, affrules.HalfEven, 3},
		{6, 2, affrules.HalfEven, 3},
	}
	for _, tt := range tests {
		if got := bigDivRound(big.NewInt(tt.n), big.NewInt(tt.d), tt.mode); got != tt.want {
			t.Errorf("bigDivRound(%d, %d, %v) = %d, want %d", tt.n, tt.d, tt.mode, got, tt.want)
		}
	}
}
