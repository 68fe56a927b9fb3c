package shown

import "testing"

func TestProblem(t *testing.T) {
	for _, tt := range []struct {
		s     string
		max   int
		lines bool
		ok    bool
	}{
		{"", 1, false, true},
		{"Agency", 6, false, true},
		{"Agency", 5, false, false},
		{"ก\u200b", 2, false, true},
		{"👩‍💻", 3, false, true},
		{"a\nb", 3, false, false},
		{"a\r\n\tb", 5, true, true},
		{"a\x00", 2, true, false},
		{"a\x7f", 2, true, false},
		{"a\u0085", 2, true, false},
		{"\u202eab", 3, false, false},
		{"a\u2069", 2, true, false},
		{" \n", 2, true, false},
		{"\u3164", 1, false, false},
		{"\xff", 1, false, false},
		{"10\u200f-20", 6, false, false},
		{"a\u061cb", 3, false, false},
		{"a\u200eb", 3, false, false},
		{"a\u2028b", 3, false, false},
		{"a\u2028b", 3, true, true},
		{"می\u200cخواهم", 10, false, true},
		{"क्\u200dष", 4, false, true},
	} {
		if _, problem := Problem(tt.s, tt.max, tt.lines); (problem == "") != tt.ok {
			t.Errorf("Problem(%q, %d, %t) = %q, want ok %t", tt.s, tt.max, tt.lines, problem, tt.ok)
		}
	}
}
