package affrules_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// entries collects a timeline's entries through All.
func entries[T any](tl affrules.Timeline[T]) []affrules.Effective[T] {
	var out []affrules.Effective[T]
	for from, v := range tl.All() {
		out = append(out, affrules.Effective[T]{From: from, Value: v})
	}
	return out
}

// The COM-3 seed example: the open-collaboration rate is 10% from 1 October and the seller lowers
// it to 8% from 4 October (Bangkok time).
func openRates(t *testing.T) (affrules.Timeline[affrules.Rate], time.Time, time.Time) {
	bkk := market(t, affrules.TH).Location()
	oct1 := time.Date(2026, 10, 1, 0, 0, 0, 0, bkk)
	oct4 := time.Date(2026, 10, 4, 9, 30, 0, 0, bkk)
	tl, err := affrules.NewTimeline(
		affrules.Effective[affrules.Rate]{From: oct1, Value: affrules.MustParseRate("10%")},
		affrules.Effective[affrules.Rate]{From: oct4, Value: affrules.MustParseRate("8%")},
	)
	require.NoError(t, err)
	return tl, oct1, oct4
}

// ELG-10, COM-3: the value in force at t is the last entry starting at or before t.
func TestTimelineAt(t *testing.T) {
	tl, oct1, oct4 := openRates(t)
	ns := time.Nanosecond
	tests := []struct {
		name string
		at   time.Time
		want string // "" for nothing in force
	}{
		{"before the first entry", oct1.Add(-ns), ""},
		{"long before", time.Time{}, ""},
		{"exactly at the first From", oct1, "10%"},
		{"between entries", oct1.Add(48 * time.Hour), "10%"},
		{"just before the second From", oct4.Add(-ns), "10%"},
		{"exactly at the second From: the new value", oct4, "8%"},
		{"the same instant in another zone", oct4.UTC(), "8%"},
		{"after the last entry (COM-3: the Oct 6 order earns 8%)", time.Date(2026, 10, 6, 12, 0, 0, 0, time.UTC), "8%"},
		{"far after", oct4.AddDate(100, 0, 0), "8%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tl.At(tt.at)
			assert.Equal(t, tt.want != "", ok)
			if tt.want == "" {
				assert.True(t, got.IsZero(), "the zero value when nothing is in force")
				return
			}
			assert.Equal(t, tt.want, got.String())
		})
	}
	assert.Equal(t, 2, tl.Len())
}

func TestTimelineZeroValue(t *testing.T) {
	var tl affrules.Timeline[string]
	v, ok := tl.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.False(t, ok)
	assert.Empty(t, v)
	assert.Equal(t, 0, tl.Len())
	assert.Empty(t, entries(tl))
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	assert.Equal(t, "[]", string(b))

	empty, err := affrules.NewTimeline[string]()
	require.NoError(t, err)
	_, ok = empty.At(time.Time{})
	assert.False(t, ok)
}

// Entries must start at strictly increasing instants; the error names the first that does not.
func TestNewTimelineOrder(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := func(from time.Time, v int) affrules.Effective[int] {
		return affrules.Effective[int]{From: from, Value: v}
	}
	tests := []struct {
		name    string
		entries []affrules.Effective[int]
		field   string
	}{
		{"equal From", []affrules.Effective[int]{e(t0, 1), e(t0, 2)}, "timeline[1].from"},
		{"equal instant in another zone", []affrules.Effective[int]{e(t0, 1), e(t0.In(market(t, affrules.TH).Location()), 2)}, "timeline[1].from"},
		{"decreasing", []affrules.Effective[int]{e(t0, 1), e(t0.Add(time.Hour), 2), e(t0.Add(time.Minute), 3)}, "timeline[2].from"},
		{"first of several problems", []affrules.Effective[int]{e(t0, 1), e(t0.Add(time.Hour), 2), e(t0, 3), e(t0, 4)}, "timeline[2].from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := affrules.NewTimeline(tt.entries...)
			require.Error(t, err)
			var fe *affrules.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tt.field, fe.Field)
			assert.Contains(t, err.Error(), "affrules: "+tt.field+" ")
		})
	}
	_, err := affrules.NewTimeline(e(t0, 1), e(t0.Add(time.Hour), 2), e(t0.Add(time.Minute), 3))
	assert.EqualError(t, err, "affrules: timeline[2].from 2026-01-01T00:01:00Z: must be after entry 1's 2026-01-01T01:00:00Z: versions may not overlap or go backwards")

	tl, err := affrules.NewTimeline(e(t0, 1), e(t0.Add(time.Nanosecond), 2))
	require.NoError(t, err, "one nanosecond apart is enough")
	assert.Equal(t, 2, tl.Len())
}

// A timeline is a value: it keeps its own copy of the entries, and With returns a new timeline.
func TestTimelineWithAndImmutability(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	in := []affrules.Effective[string]{{From: t0, Value: "a"}, {From: t0.Add(time.Hour), Value: "b"}}
	tl, err := affrules.NewTimeline(in...)
	require.NoError(t, err)
	in[0].Value = "changed"
	v, _ := tl.At(t0)
	assert.Equal(t, "a", v, "NewTimeline copies its input")

	later, err := tl.With(affrules.Effective[string]{From: t0.Add(2 * time.Hour), Value: "c"})
	require.NoError(t, err)
	other, err := tl.With(affrules.Effective[string]{From: t0.Add(3 * time.Hour), Value: "d"})
	require.NoError(t, err)
	assert.Equal(t, 2, tl.Len(), "With leaves the receiver alone")
	v, _ = later.At(t0.Add(10 * time.Hour))
	assert.Equal(t, "c", v, "two With calls on one timeline do not share storage")
	v, _ = other.At(t0.Add(10 * time.Hour))
	assert.Equal(t, "d", v)

	_, err = later.With(affrules.Effective[string]{From: t0.Add(2 * time.Hour), Value: "x"})
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe), "With at the last From: %v", err)
	assert.Equal(t, "timeline[3].from", fe.Field)
	_, err = later.With(affrules.Effective[string]{From: t0, Value: "x"})
	assert.Error(t, err, "With before the last entry")
	assert.Equal(t, 3, later.Len())

	var zero affrules.Timeline[string]
	first, err := zero.With(affrules.Effective[string]{From: t0, Value: "first"})
	require.NoError(t, err)
	v, ok := first.At(t0)
	assert.True(t, ok)
	assert.Equal(t, "first", v)
}

func TestTimelineAll(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []affrules.Effective[int]{{From: t0, Value: 3}, {From: t0.Add(time.Hour), Value: 1}, {From: t0.Add(48 * time.Hour), Value: 2}}
	tl, err := affrules.NewTimeline(want...)
	require.NoError(t, err)
	if diff := cmp.Diff(want, entries(tl)); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}
	var seen []int
	for _, v := range tl.All() {
		seen = append(seen, v)
		if len(seen) == 2 {
			break
		}
	}
	assert.Equal(t, []int{3, 1}, seen, "All stops when the loop does")
}

func TestTimelineJSON(t *testing.T) {
	tl, _, _ := openRates(t)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"from":"2026-10-01T00:00:00+07:00","value":"10%"},{"from":"2026-10-04T09:30:00+07:00","value":"8%"}]`, string(b))

	var back affrules.Timeline[affrules.Rate]
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(entries(tl), entries(back)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	type policy struct {
		Open affrules.Timeline[affrules.Rate] `json:"open"`
	}
	tests := []struct {
		name string
		in   string
		want string // substring of the error
	}{
		{"out of order", `{"open":[{"from":"2026-10-04T00:00:00Z","value":"8%"},{"from":"2026-10-01T00:00:00Z","value":"10%"}]}`, "affrules: timeline[1].from 2026-10-01T00:00:00Z: must be after entry 0's"},
		{"duplicate From", `{"open":[{"from":"2026-10-01T00:00:00Z","value":"8%"},{"from":"2026-10-01T07:00:00+07:00","value":"10%"}]}`, "timeline[1].from"},
		{"unknown field", `{"open":[{"from":"2026-10-01T00:00:00Z","value":"8%","until":"2026-11-01T00:00:00Z"}]}`, `affrules: timeline[0] "until": is not a field (want one of from, value)`},
		{"bad value", `{"open":[{"from":"2026-10-01T00:00:00Z","value":"8%"},{"from":"2026-11-01T00:00:00Z","value":"180%"}]}`, `affrules: timeline[1].value "180%": must be between 0% and 100%: out of range`},
		{"bad instant", `{"open":[{"from":"2026-10-01","value":"8%"}]}`, `affrules: timeline[0].from "2026-10-01": must be an RFC 3339 instant with its zone offset`},
		{"not an array", `{"open":{"from":"2026-10-01T00:00:00Z","value":"8%"}}`, "affrules: timeline object: must be a JSON array"},
		{"an entry's key given twice", `{"open":[{"from":"2026-10-01T00:00:00Z","value":"8%","value":"9%"}]}`, `affrules: timeline[0] "value": key is given twice`},
		{"an entry's key in another case", `{"open":[{"From":"2026-10-01T00:00:00Z","value":"8%"}]}`, `affrules: timeline[0] "From": is not a field: keys are case-sensitive`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p policy
			err := json.Unmarshal([]byte(tt.in), &p)
			require.Error(t, err)
			assert.ErrorContains(t, err, tt.want)
			assert.Equal(t, 0, p.Open.Len(), "a refused timeline is not half-set")
		})
	}

	var p policy
	require.NoError(t, json.Unmarshal([]byte(`{"open":[]}`), &p))
	assert.Equal(t, 0, p.Open.Len())
}

// Property (ELG-10, COM-3): for strictly increasing entries and any instant, At agrees with a
// linear scan for the last entry starting at or before it.
func TestTimelineAtProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		gaps := rapid.SliceOfN(rapid.Int64Range(1, 1000), 0, 20).Draw(t, "gaps")
		var in []affrules.Effective[int]
		at := base
		for i, g := range gaps {
			at = at.Add(time.Duration(g) * time.Second)
			in = append(in, affrules.Effective[int]{From: at, Value: i})
		}
		tl, err := affrules.NewTimeline(in...)
		if err != nil {
			t.Fatal(err)
		}
		// Query instants on and around the entries' starts as well as anywhere in the range.
		q := base.Add(time.Duration(rapid.Int64Range(-10, 21000).Draw(t, "q")) * time.Second / 2)
		if len(in) > 0 && rapid.Bool().Draw(t, "near an entry") {
			q = rapid.SampledFrom(in).Draw(t, "entry").From.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "ns")))
		}
		want, wantOK := 0, false
		for _, e := range in {
			if !e.From.After(q) {
				want, wantOK = e.Value, true
			}
		}
		got, ok := tl.At(q)
		if ok != wantOK || got != want {
			t.Fatalf("At(%s) = %d, %v; want %d, %v", q, got, ok, want, wantOK)
		}
	})
}

// Any bytes decode to an error or to a timeline whose entries strictly increase, which encodes
// and decodes back to itself.
func FuzzTimelineJSON(f *testing.F) {
	for _, s := range []string{
		`[]`, `null`, `[{"from":"2026-10-01T00:00:00Z","value":1}]`,
		`[{"from":"2026-10-01T00:00:00Z","value":1},{"from":"2026-10-02T00:00:00+07:00","value":2}]`,
		`[{"from":"2026-10-02T00:00:00Z","value":1},{"from":"2026-10-01T00:00:00Z","value":2}]`,
		`[{"from":"2026-10-01T00:00:00Z","value":1,"x":0}]`, `[{}]`, `[{},{}]`, `{`, `[1]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tl affrules.Timeline[int]
		if err := json.Unmarshal(b, &tl); err != nil {
			return
		}
		got := entries(tl)
		for i := 1; i < len(got); i++ {
			if !got[i].From.After(got[i-1].From) {
				t.Fatalf("%q decoded to entries %d and %d out of order: %v", b, i-1, i, got)
			}
		}
		out, err := json.Marshal(tl)
		if err != nil {
			t.Fatalf("re-encoding %q: %v", b, err)
		}
		var back affrules.Timeline[int]
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", out, err)
		}
		if diff := cmp.Diff(got, entries(back)); diff != "" {
			t.Fatalf("round trip of %q (-want +got):\n%s", b, diff)
		}
	})
}

// A timeline reads back what it writes whatever its values hold: fields left out by omitempty,
// nil lists, maps and pointers written as null (the values' own rules are their types' to check).
func TestTimelineJSONReadsBackOptionalFields(t *testing.T) {
	type value struct {
		A     int            `json:"a,omitempty"`
		List  []string       `json:"list"`
		Map   map[string]int `json:"map"`
		Ptr   *int           `json:"ptr"`
		Maybe any            `json:"maybe"`
	}
	tl, err := affrules.NewTimeline(affrules.Effective[value]{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var back affrules.Timeline[value]
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	var ptrs affrules.Timeline[*int]
	require.NoError(t, json.Unmarshal([]byte(`[{"from":"2026-01-01T00:00:00Z","value":null}]`), &ptrs))
}

// An entry that is not an object, one without a value, and a value given as null that cannot be
// nil are refused, not read as a zero value in force; null is a nil value that can be.
func TestTimelineJSONEntryNeedsValue(t *testing.T) {
	for doc, says := range map[string]string{
		`[null]`:                            `timeline[0] null: must be an entry`,
		`[1]`:                               `timeline[0] 1: must be an entry`,
		`[{"from":"2026-10-01T00:00:00Z"}]`: `timeline[0].value (absent): is required`,
		`[{"from":"2026-10-01T00:00:00Z","value":null}]`: `timeline[0].value null: is required`,
	} {
		var tl affrules.Timeline[affrules.Rate]
		err := json.Unmarshal([]byte(doc), &tl)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", doc, err, says)
		}
	}
	var tl affrules.Timeline[affrules.Rate]
	require.NoError(t, json.Unmarshal([]byte(`[{"value":"8%"}]`), &tl), "no from: from the beginning of time")
	require.NoError(t, json.Unmarshal([]byte(`[]`), &tl))
}

// A JSON round trip keeps every entry's instant, also one given in a zone whose offset then had
// seconds (Bangkok, +06:42:04 until 1920), which RFC 3339 cannot write: that one is written in
// UTC. Other entries keep their zone's offset.
func TestTimelineJSONOffsetWithSeconds(t *testing.T) {
	bkk, err := time.LoadLocation("Asia/Bangkok")
	require.NoError(t, err)
	froms := []time.Time{time.Date(1910, 1, 1, 0, 0, 0, 0, bkk), time.Date(2026, 1, 1, 0, 0, 0, 0, bkk)}
	tl, err := affrules.NewTimeline(affrules.Effective[int]{From: froms[0], Value: 1}, affrules.Effective[int]{From: froms[1], Value: 2})
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var back affrules.Timeline[int]
	require.NoError(t, json.Unmarshal(b, &back))
	i := 0
	for from := range back.All() {
		require.True(t, from.Equal(froms[i]), "entry %d from %v, want %v (%s)", i, from, froms[i], b)
		i++
	}
	require.Contains(t, string(b), `"2026-01-01T00:00:00+07:00"`)
	for from := range tl.All() { // the timeline marshalled is unchanged
		require.Equal(t, bkk, from.Location())
	}
}

// An instant value, a period and a decision's NextAllowed read back from JSON as the same
// instant, also in a zone whose offset then had seconds (Bangkok, 1910), as a Timeline does.
func TestJSONInstantsOffsetWithSeconds(t *testing.T) {
	bkk, err := time.LoadLocation("Asia/Bangkok")
	require.NoError(t, err)
	at := time.Date(1910, 1, 1, 0, 0, 0, 0, bkk)
	v := affrules.Instant(at)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var vb affrules.Value
	require.NoError(t, json.Unmarshal(b, &vb))
	require.True(t, vb.Time().Equal(at), "value %s read back as %v", b, vb.Time())

	p := affrules.Period{Start: at, End: at.Add(time.Hour)}
	b, err = json.Marshal(p)
	require.NoError(t, err)
	var pb affrules.Period
	require.NoError(t, json.Unmarshal(b, &pb))
	require.True(t, pb.Start.Equal(p.Start) && pb.End.Equal(p.End), "period %s read back as %v", b, pb)
	b, err = json.Marshal(affrules.Period{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, bkk)})
	require.NoError(t, err)
	require.JSONEq(t, `{"start":"2026-01-01T00:00:00+07:00","end":"0001-01-01T00:00:00Z"}`, string(b))

	// Their texts name the same instant too.
	require.Equal(t, "1909-12-31T17:17:56Z", v.String())
	require.Equal(t, "[1909-12-31T17:17:56Z, 1909-12-31T18:17:56Z)", p.String())

	d := affrules.Decide(affrules.Reason{Rule: "X-1", Key: "x"})
	d.NextAllowed = at
	require.Contains(t, d.String(), "next allowed 1909-12-31T17:17:56Z")
	b, err = json.Marshal(d)
	require.NoError(t, err)
	var db affrules.Decision
	require.NoError(t, json.Unmarshal(b, &db))
	require.True(t, db.NextAllowed.Equal(at), "decision %s read back as %v", b, db.NextAllowed)
}

// A value's own error (a rate out of bounds, which names no path of its own) is named by the
// member it came from, as the policy loaders name it: the entry, then the field of the value.
func TestTimelineJSONNamesTheValuesField(t *testing.T) {
	type terms struct {
		Rate    affrules.Rate `json:"rate"`
		ShopAds affrules.Rate `json:"shop_ads,omitzero"`
	}
	var tl affrules.Timeline[terms]
	err := json.Unmarshal([]byte(`[{"from":"2026-01-01T00:00:00Z","value":{"rate":"5%"}},{"from":"2026-02-01T00:00:00Z","value":{"rate":"5%","shop_ads":"150%"}}]`), &tl)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "timeline[1].value.shop_ads", fe.Field)
	assert.Equal(t, `affrules: timeline[1].value.shop_ads "150%": must be between 0% and 100%: out of range`, err.Error())
	var vs affrules.Timeline[affrules.Value]
	err = json.Unmarshal([]byte(`[{"from":"2026-01-01T00:00:00Z","value":{"kind":"rate","rate":"150%"}}]`), &vs)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "timeline[0].value.rate", fe.Field, "a Value's own path within the entry's value")
}

// A misspelt key in an entry's value, and an instant that does not parse, are named at their
// place in the entry, as the policy loaders name them.
func TestTimelineJSONNamesThePlace(t *testing.T) {
	type terms struct {
		Rate affrules.Rate `json:"rate"`
	}
	var tl affrules.Timeline[terms]
	err := json.Unmarshal([]byte(`[{"from":"2026-10-01T00:00:00Z","value":{"rate":"8%","rat":"9%"}}]`), &tl)
	require.ErrorContains(t, err, `affrules: timeline[0].value "rat": is not a field (want one of rate)`)
	err = json.Unmarshal([]byte(`[{"from":"","value":{"rate":"8%"}}]`), &tl)
	require.ErrorContains(t, err, `affrules: timeline[0].from "": must be an RFC 3339 instant`)
	var pe *time.ParseError
	require.ErrorAs(t, err, &pe, "time's own error is kept")
}
