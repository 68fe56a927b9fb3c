package postgres

import (
	"encoding/json"
	"testing"
	"time"
)

// encode writes every instant so that it reads back as the same instant, through exported
// fields, pointers, slices, arrays, maps and interfaces, and changes nothing of its argument.
func TestEncodeExactInstants(t *testing.T) {
	lmt := time.FixedZone("LMT", 6*3600+46*60+46)
	at := time.Date(1900, 6, 1, 12, 0, 0, 5, lmt)
	whole := time.Date(2026, 6, 1, 12, 0, 0, 0, time.FixedZone("", 8*3600))
	type inner struct {
		At   time.Time
		Many []time.Time
	}
	type outer struct {
		At     time.Time
		Whole  time.Time
		Ptr    *inner
		List   []inner
		Arr    [2]time.Time
		Map    map[string]time.Time
		Any    any
		hidden time.Time
	}
	in := outer{At: at, Whole: whole, Ptr: &inner{At: at, Many: []time.Time{whole, at}}, List: []inner{{At: at}}, Arr: [2]time.Time{at, whole},
		Map: map[string]time.Time{"a": at, "b": whole}, Any: at, hidden: at}
	b, err := encode(in)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		At, Whole time.Time
		Ptr       *inner
		List      []inner
		Arr       [2]time.Time
		Map       map[string]time.Time
		Any       time.Time
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]time.Time{"At": back.At, "Ptr.At": back.Ptr.At, "Ptr.Many[1]": back.Ptr.Many[1], "List[0].At": back.List[0].At,
		"Arr[0]": back.Arr[0], "Map[a]": back.Map["a"], "Any": back.Any} {
		if !got.Equal(at) {
			t.Errorf("%s read back as %v, want %v (%s)", name, got, at, b)
		}
	}
	if !back.Whole.Equal(whole) || back.Whole.Format(time.RFC3339) != whole.Format(time.RFC3339) {
		t.Errorf("an offset in whole minutes is rewritten: %v", back.Whole)
	}
	if in.At.Location() != lmt || in.Ptr.At.Location() != lmt || in.Ptr.Many[1].Location() != lmt || in.List[0].At.Location() != lmt || in.Map["a"].Location() != lmt {
		t.Error("encode changed its argument")
	}
}
