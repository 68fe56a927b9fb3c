package cut

import (
	"strings"
	"testing"
)

func TestCut(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	for _, tt := range []struct {
		name, got, want string
	}{
		{"short value", Value(`"abc"`), `"abc"`},
		{"value at the bound", Value(strings.Repeat("a", 300)), strings.Repeat("a", 300)},
		{"long value", Value(strings.Repeat("a", 301)), strings.Repeat("a", 64) + "… (301 bytes)"},
		{"long value of runes", Value(long), strings.Repeat("é", 64) + "… (400 bytes)"},
		{"field at the bound", Field(strings.Repeat("f", 300)), strings.Repeat("f", 300)},
		{"short field", Field("product[p].orders"), "product[p].orders"},
		{"long field", Field("product[" + strings.Repeat("x", 300) + "].orders"),
			"product[" + strings.Repeat("x", 120) + "… (316 bytes) …" + strings.Repeat("x", 56) + "].orders"},
		{"field cut at characters", Field(long), strings.Repeat("é", 64) + "… (400 bytes) …" + strings.Repeat("é", 32)},
		{"short problem", Problem("must be at most 5"), "must be at most 5"},
		{"long problem", Problem(strings.Repeat("p", 2000) + " (ELG-5)"),
			strings.Repeat("p", 512) + "… (2008 bytes) …" + strings.Repeat("p", 120) + " (ELG-5)"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
