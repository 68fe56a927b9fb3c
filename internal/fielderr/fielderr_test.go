package fielderr

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
)

func TestList(t *testing.T) {
	l := For("commission")
	if l.Err() != nil || l.Len() != 0 {
		t.Fatal("an empty list reports an error")
	}
	l.Add("order.base", "-1", "%w", affrules.ErrNegative)
	if err := l.Err(); err.Error() != "commission: order.base -1: must not be negative" || !errors.Is(err, affrules.ErrNegative) {
		t.Errorf("one problem: %v", err)
	}
	l.Append(nil)
	l.Append(errors.Join(New("commission", "a", 1, "x"), errors.Join(New("commission", "b", 2, "y"))))
	if l.Len() != 3 {
		t.Errorf("joined errors are flattened: %d problems", l.Len())
	}
	var fe *affrules.FieldError
	if !errors.As(l.Err(), &fe) || fe.Field != "order.base" {
		t.Errorf("errors.As: %v", fe)
	}
	if Join(nil, nil) != nil {
		t.Error("Join of nils is not nil")
	}
	if err := New("level", "name", "", "must not be empty"); err.Error() != `level: name "": must not be empty` {
		t.Errorf("empty value: %v", err)
	}
}

func TestProblems(t *testing.T) {
	if err := Problems("x", "", nil); err != nil {
		t.Fatalf("no problems: %v", err)
	}
	err := Problems("commission", "offer", []strictjson.Problem{
		{Path: "policy.rates[0].frm", Value: "1", Problem: "is not a field"},
		{Path: "policy", Value: `"Rates"`, Problem: "matches rates only when case is ignored"},
	})
	want := "commission: offer.rates[0].frm 1: is not a field\ncommission: offer \"Rates\": matches rates only when case is ignored"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestDecoding(t *testing.T) {
	var v struct {
		N    int               `json:"n"`
		Rate affrules.Rate     `json:"rate"`
		L    []string          `json:"l"`
		M    map[string]string `json:"m"`
		B    bool              `json:"b"`
	}
	for doc, want := range map[string]string{
		`{"n": "x"}`:    `campaign: policy.n string: must be a JSON number`,
		`{"rate": 5}`:   `campaign: policy.rate number: must be a JSON string`,
		`{"l": {}}`:     `campaign: policy.l object: must be a JSON array`,
		`{"m": []}`:     `campaign: policy.m array: must be a JSON object`,
		`{"b": 1}`:      `campaign: policy.b number: must be a JSON boolean`,
		`{"rate": "x"}`: `campaign: policy JSON: affrules: rate "x": must be a percentage such as "15%" or "0.7%"`,
	} {
		err := Decoding("campaign", "policy", json.Unmarshal([]byte(doc), &v))
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", doc, err, want)
		}
	}
	err := Decoding("campaign", "policy", errors.New("unexpected end"))
	if err.Error() != "campaign: policy JSON: unexpected end" {
		t.Errorf("other errors are wrapped: %v", err)
	}
}

type textPolicy struct {
	Fee      affrules.Rate         `json:"fee"`
	Rounding affrules.RoundingMode `json:"rounding"`
	Nested   struct {
		Rate affrules.Rate `json:"rate"`
	} `json:"nested"`
}

func (textPolicy) Validate() error { return nil }

// A string a field's type refuses is reported at the field's path, in the package loading the
// policy, with every other such problem at once and the type's sentinel kept.
func TestParsePolicyTextValues(t *testing.T) {
	_, err := ParsePolicy("pkg", []byte(`{"fee":"11","rounding":"HALF_UP","nested":{"rate":"-1%"}}`), textPolicy{})
	var fes []*affrules.FieldError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *affrules.FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("%v is not a FieldError", e)
		}
		fes = append(fes, fe)
	}
	want := []string{`policy.fee "11"`, `policy.rounding "HALF_UP"`, `policy.nested.rate "-1%"`}
	if len(fes) != len(want) {
		t.Fatalf("errors %v, want %d", err, len(want))
	}
	for i, fe := range fes {
		if fe.Pkg != "pkg" || fe.Field+" "+fe.Value != want[i] {
			t.Errorf("error %d = %v, want pkg: %s", i, fe, want[i])
		}
	}
	if !errors.Is(err, affrules.ErrNegative) {
		t.Errorf("%v does not wrap ErrNegative", err)
	}
}

// Rebase moves another package's field errors under the caller's field, keeping sentinels and
// other errors.
func TestRebase(t *testing.T) {
	other := errors.New("other")
	l := For("commission")
	l.Add("offer.product", "", "must not be empty")
	l.Add("offer.rates[0].value.rate", "90%", "%w", affrules.ErrOutOfRange)
	l.Add("at", "x", "bad")
	l.Append(other)
	err := Rebase("collabplus", "offer", "facts.open[1]", l.Err())
	want := []string{
		`collabplus: facts.open[1].product "": must not be empty`,
		"collabplus: facts.open[1].rates[0].value.rate 90%: out of range",
		"collabplus: at x: bad",
		"other",
	}
	got := err.(interface{ Unwrap() []error }).Unwrap()
	if len(got) != len(want) {
		t.Fatalf("Rebase = %v", err)
	}
	for i := range want {
		if got[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, got[i], want[i])
		}
	}
	if !errors.Is(err, affrules.ErrOutOfRange) || !errors.Is(err, other) {
		t.Errorf("%v lost a wrapped error", err)
	}
	if Rebase("p", "a", "b", nil) != nil {
		t.Error("Rebase of nil")
	}
}

func TestSplit(t *testing.T) {
	err := errors.Join(New("campaign", "offer.market", "XX", "unknown"), New("campaign", "offer.rates[0]", "1", "bad"), errors.New("other"))
	m, r := Split(err, func(f string) bool { return f == "offer.market" })
	if m == nil || !strings.Contains(m.Error(), "offer.market") || strings.Contains(m.Error(), "rates") {
		t.Errorf("matching: %v", m)
	}
	if r == nil || !strings.Contains(r.Error(), "offer.rates[0]") || !strings.Contains(r.Error(), "other") || strings.Contains(r.Error(), "market") {
		t.Errorf("rest: %v", r)
	}
	if m, r := Split(nil, nil); m != nil || r != nil {
		t.Error("Split(nil)")
	}
}

// UnderPolicy names each field under "policy" once, keeps fields already there and errors that
// name no field, and returns nil for nil.
func TestUnderPolicy(t *testing.T) {
	if UnderPolicy("sample", nil) != nil {
		t.Fatal("nil is not nil")
	}
	l := For("sample")
	l.Add("answer_days", 0, "must be at least 1")
	l.Add("policy.bands", "[]", "must list a band")
	l.Add("policy[0]", "x", "bad")
	l.Append(errors.New("sample: not a field error"))
	var fields []string
	for _, e := range UnderPolicy("sample", l.Err()).(interface{ Unwrap() []error }).Unwrap() {
		var f *affrules.FieldError
		if errors.As(e, &f) {
			fields = append(fields, f.Field)
		} else {
			fields = append(fields, e.Error())
		}
	}
	if got := strings.Join(fields, " | "); got != "policy.answer_days | policy.bands | policy[0] | sample: not a field error" {
		t.Errorf("fields %s", got)
	}
}

// A list keeps its first maxListed problems and counts the others in a last FieldError, so an
// input of many bad elements gets an error of bounded size.
func TestListBounded(t *testing.T) {
	l := For("sample")
	for i := range 100_000 {
		if i%2 == 0 {
			l.Add("requests[i].id", "", "must not be empty")
		} else {
			l.Append(errors.Join(New("sample", "a", 1, "x"), New("sample", "b", 2, "y")))
		}
	}
	if l.Len() != 150_000 {
		t.Errorf("Len %d, want every problem counted", l.Len())
	}
	err := l.Err()
	errs := err.(interface{ Unwrap() []error }).Unwrap()
	if len(errs) != maxListed+1 || len(err.Error()) > 20_000 {
		t.Fatalf("%d errors, %d bytes", len(errs), len(err.Error()))
	}
	if last := errs[maxListed].Error(); last != "sample: (more) 149900: problems past the first 100, not listed" {
		t.Errorf("last: %s", last)
	}
}

// A capped list's count of what it left out adds to the count of a list it is appended to, or
// renamed into: the outer error counts every problem left out.
func TestListBoundedNested(t *testing.T) {
	inner := For("sample")
	for range 150 {
		inner.Add("bands[i].cap", -1, "x")
	}
	for _, err := range []error{inner.Err(), UnderPolicy("sample", inner.Err()), Rebase("sample", "bands", "policy.bands", inner.Err())} {
		outer := For("sample")
		outer.Add("first", 1, "x")
		outer.Append(err)
		errs := outer.Err().(interface{ Unwrap() []error }).Unwrap()
		if last := errs[len(errs)-1].Error(); len(errs) != maxListed+1 || last != "sample: (more) 51: problems past the first 100, not listed" {
			t.Errorf("%d errors, last %s", len(errs), last)
		}
	}
}
