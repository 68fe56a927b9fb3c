package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

type version struct {
	From  string `json:"from" strict:"optional"`
	Value limits `json:"value" strict:"required,all"`
}

type limits struct {
	Min   int            `json:"min"`
	Max   int            `json:"max"`
	Note  string         `json:"note" strict:"optional"`
	Cats  map[string]cat `json:"cats"`
	Extra *int           `json:"extra,omitempty" strict:"optional"`
}

type cat struct {
	Rate int `json:"rate"`
}

type shaped struct{ v []version }

func (shaped) JSONShape() any { return []version(nil) }
func (s *shaped) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, &s.v)
}

type embedded struct {
	Limit int `json:"limit"`
}

type policy struct {
	embedded
	Name     string              `json:"name"`
	Versions shaped              `json:"versions"`
	Channels map[string][]string `json:"channels"`
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // "path value: problem" prefixes
	}{
		{"clean", `{"limit":1,"name":"x","versions":[{"value":{"min":1,"max":2,"cats":{"a":{"rate":1}}}}],"channels":{"TH":["a"]}}`, nil},
		{"repeated top-level key", `{"name":"a","name":"b"}`, []string{`policy "name": key is given twice`}},
		{"case-folded key", `{"Name":"a"}`, []string{`policy "Name": is not a field: keys are case-sensitive (did you mean "name"?)`}},
		{"unknown key", `{"nmae":"a"}`, []string{`policy "nmae": is not a field (want one of limit, name, versions, channels)`}},
		{"embedded key", `{"limit":2,"Limit":3}`, []string{`policy "Limit": is not a field: keys are case-sensitive`}},
		{"version field left out", `{"versions":[{"value":{"min":1,"cats":{"a":{}}}}]}`, []string{
			`policy.versions[0].value.cats[a].rate (absent): is required`, `policy.versions[0].value.max (absent): is required`}},
		{"value left out", `{"versions":[{"from":"x"}]}`, []string{`policy.versions[0].value (absent): is required`}},
		{"repeated map key deep", `{"channels":{"TH":["a"],"TH":["b"]},"versions":[{"value":{"min":1,"max":1,"cats":{"a":{"rate":1},"a":{"rate":2}}}}]}`, []string{
			`policy.channels "TH": key is given twice`, `policy.versions[0].value.cats "a": key is given twice`}},
		{"every problem at once", `{"name":1,"name":2,"Limit":3,"versions":[{"value":{}},{"value":{"min":1,"min":1}}]}`, []string{
			`policy.name 1: must be a JSON string`, `policy "name"`, `policy "Limit"`, `policy.versions[0].value.min`, `policy.versions[0].value.max`, `policy.versions[0].value.cats`,
			`policy.versions[1].value "min": key is given twice`, `policy.versions[1].value.max`, `policy.versions[1].value.cats`}},
		{"not JSON", `{"name":`, []string{`policy (document): is not valid JSON`}},
		{"unknown key repeated", `{"nmae":"a","nmae":"b","nmae":"c"}`, []string{`policy "nmae": is not a field (want one of`}},
		{"many problems", "{" + strings.Repeat(`"name":"a",`, 150) + `"name":"a"}`, append(slices.Repeat([]string{`policy "name": key is given twice`}, 100),
			`policy (document): has 50 more problems, not listed`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check([]byte(tt.doc), &policy{})
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems %v, want %d", len(got), got, len(tt.want))
			}
			for i, p := range got {
				text := p.Path + " " + p.Value + ": " + p.Problem
				if !strings.HasPrefix(text, tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, text, tt.want[i])
				}
			}
		})
	}
}

func TestLoadKeepsDefaultsOfAbsentTopLevelFields(t *testing.T) {
	def := policy{embedded: embedded{Limit: 7}, Name: "default", Channels: map[string][]string{"UK": {"email"}}}
	var p policy
	problems, err := Load([]byte(`{"name":"mine"}`), &p, def)
	if err != nil || problems != nil {
		t.Fatal(problems, err)
	}
	want := policy{embedded: embedded{Limit: 7}, Name: "mine", Channels: map[string][]string{"UK": {"email"}}}
	if !reflect.DeepEqual(p.embedded, want.embedded) || p.Name != want.Name || !reflect.DeepEqual(p.Channels, want.Channels) {
		t.Errorf("got %+v, want %+v", p, want)
	}
	// A top-level key that is present replaces the default whole, even when empty.
	p = policy{}
	if _, err := Load([]byte(`{"channels":{}}`), &p, def); err != nil {
		t.Fatal(err)
	}
	if len(p.Channels) != 0 || p.Name != "default" {
		t.Errorf("got %+v", p)
	}
	// Shape problems stop before decoding; decode errors are returned.
	if problems, _ := Load([]byte(`{"name":"a","name":"b"}`), &p, def); len(problems) != 1 {
		t.Errorf("problems = %v", problems)
	}
	if problems, err := Load([]byte(`{"name":5}`), &p, def); err == nil && len(problems) != 1 {
		t.Error("a type error was not reported")
	}
	if problems, err := Load([]byte(`{"name":"a"} {}`), &p, def); err == nil && len(problems) == 0 {
		t.Error("trailing data was not reported")
	}
}

func TestLoadNullAndNonObject(t *testing.T) {
	def := policy{Name: "default", embedded: embedded{Limit: 7}}
	var p policy
	if problems, err := Load([]byte(`{"name": null, "limit": 3}`), &p, def); err != nil || problems != nil {
		t.Fatal(problems, err)
	}
	if p.Name != "default" || p.Limit != 3 {
		t.Errorf("a top-level null keeps the default: %+v", p)
	}
	for _, doc := range []string{`null`, `[]`, `"x"`, `5`} {
		problems, _ := Load([]byte(doc), &policy{}, def)
		if len(problems) != 1 || problems[0].Problem != "must be a JSON object" {
			t.Errorf("Load(%s) = %v", doc, problems)
		}
	}
}

// A value of the wrong JSON kind is a problem at its exact path, every one at once: inside an
// embedded struct (no Go field name in the path), a map (its key in the path) and a list; an
// integer field given a fraction, an exponent or a number beyond its range; an unsigned one a
// negative number. A type's own UnmarshalJSON error is a problem at its path too.
func TestCheckKinds(t *testing.T) {
	type doc struct {
		embedded
		Small   int8              `json:"small"`
		Count   uint              `json:"count"`
		On      bool              `json:"on"`
		Rate    float64           `json:"rate"`
		Days    map[string]int    `json:"days"`
		List    []int             `json:"list"`
		Names   []string          `json:"names"`
		Sub     cat               `json:"sub"`
		When    timeLeaf          `json:"when"`
		Nothing map[string]string `json:"nothing"`
	}
	got := Check([]byte(`{"limit":1.5,"small":300,"count":-1,"on":1,"rate":"x","days":{"standard":7.5,"cod":1e3,"ok":3},
		"list":{},"names":[1,"a"],"sub":[],"when":"2026-09-22T00:00:00","nothing":null}`), &doc{})
	var texts []string
	for _, p := range got {
		texts = append(texts, p.Path+" "+p.Value+": "+p.Problem)
	}
	want := []string{
		`policy.limit 1.5: must be a whole number (digits, no fraction or exponent) from -9223372036854775808 to 9223372036854775807`,
		`policy.small 300: must be a whole number (digits, no fraction or exponent) from -128 to 127`,
		`policy.count -1: must not be negative`,
		`policy.on 1: must be a JSON boolean`,
		`policy.rate "x": must be a JSON number`,
		`policy.days[standard] 7.5: must be a whole number (digits, no fraction or exponent) from -9223372036854775808 to 9223372036854775807`,
		`policy.days[cod] 1e3: must be a whole number (digits, no fraction or exponent) from -9223372036854775808 to 9223372036854775807`,
		`policy.list {}: must be a JSON array`,
		`policy.names[0] 1: must be a JSON string`,
		`policy.sub []: must be a JSON object`,
		`policy.when "2026-09-22T00:00:00": no zone`,
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	if got := Check([]byte(`{"limit":-3,"small":-128,"count":0,"on":false,"rate":-0.5,"days":{"a":0},"list":[],"names":null,"sub":{},"when":null}`), &doc{}); got != nil {
		t.Errorf("a clean document: %v", got)
	}
}

// timeLeaf decodes only a string with a zone: a stand-in for time.Time's own check.
type timeLeaf struct{}

func (*timeLeaf) UnmarshalJSON(b []byte) error {
	if !strings.HasSuffix(string(b), `Z"`) {
		return errNoZone
	}
	return nil
}

var errNoZone = errors.New("no zone")

// A required field given as null would be left zero by encoding/json, like one left out: it is a
// problem at any depth, while an optional one may be null, and a top-level member null keeps its
// default in Load.
func TestCheckNull(t *testing.T) {
	got := Check([]byte(`{"versions":[{"value":{"min":null,"max":1,"cats":{"a":{"rate":null}},"note":null,"extra":null}}]}`), &policy{})
	var texts []string
	for _, p := range got {
		texts = append(texts, p.Path+" "+p.Value+": "+p.Problem)
	}
	want := []string{
		`policy.versions[0].value.min null: is required: null would silently be zero`,
		`policy.versions[0].value.cats[a].rate null: is required: null would silently be zero`,
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	type top struct {
		ID string `json:"id" strict:"required"`
	}
	if got := Check([]byte(`{"id":null}`), &top{}); len(got) != 1 || got[0].Path != "policy.id" {
		t.Errorf("a required top-level member given as null: %v", got)
	}
	var p top
	if problems, err := Load([]byte(`{"id":null}`), &p, top{ID: "default"}); err != nil || problems != nil || p.ID != "default" {
		t.Errorf("Load keeps the default of a top-level null: %v %v %+v", problems, err, p)
	}
}

// textLeaf decodes only "ok" and "true".
type textLeaf struct{}

func (*textLeaf) UnmarshalText(b []byte) error {
	if string(b) != "ok" && string(b) != "true" {
		return errors.New("not ok")
	}
	return nil
}

// A null map value or list element (of a type without a nil of its own; a map's or list's nil is
// "none") would silently be zero:
// a problem at its path. A type decoded from text takes a string or null, nothing else, and each
// such problem is at its path with the others, with what the type says of the value as text.
func TestCheckElementsAndText(t *testing.T) {
	type doc struct {
		Days  map[string]int   `json:"days"`
		Cats  map[string]cat   `json:"cats"`
		List  []string         `json:"list"`
		Ptrs  []*cat           `json:"ptrs"`
		Texts []textLeaf       `json:"texts"`
		One   textLeaf         `json:"one"`
		Maybe map[string]*cat  `json:"maybe"`
		Lists map[string][]int `json:"lists"`
	}
	got := Check([]byte(`{"days":{"a":null,"b":1},"cats":{"x":null},"list":["a",null],"ptrs":[null],
		"texts":["ok",1,"no",null,true],"one":5,"maybe":{"m":null},"lists":{"l":null}}`), &doc{})
	var texts []string
	for _, p := range got {
		texts = append(texts, p.Path+" "+p.Value+": "+p.Problem)
	}
	want := []string{
		`policy.days[a] null: must not be null: it would silently be zero`,
		`policy.cats[x] null: must not be null: it would silently be zero`,
		`policy.list[1] null: must not be null: it would silently be zero`,
		`policy.texts[1] 1: must be a JSON string, and not ok`,
		`policy.texts[2] "no": not ok`,
		`policy.texts[3] null: must not be null: it would silently be zero`,
		`policy.texts[4] true: must be a JSON string: "true"`,
		`policy.one 5: must be a JSON string, and not ok`,
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
}

// enumByte is an enum stored in a byte, decoded from its name.
type enumByte uint8

func (e *enumByte) UnmarshalText(b []byte) error {
	if string(b) != "one" {
		return errors.New("not one")
	}
	*e = 1
	return nil
}

// A list of an enum stored in a byte is a list of names: base64 text, which encoding/json would
// take as the bytes, is a problem; plain bytes may still come as base64.
func TestCheckEnumBytes(t *testing.T) {
	type doc struct {
		Enums []enumByte `json:"enums"`
		Raw   []byte     `json:"raw"`
	}
	got := Check([]byte(`{"enums":"AQ==","raw":"AQ=="}`), &doc{})
	if len(got) != 1 || got[0].Path != "policy.enums" || got[0].Problem != "must be a JSON array" {
		t.Errorf("got %v", got)
	}
	if got := Check([]byte(`{"enums":["one"],"raw":[1]}`), &doc{}); got != nil {
		t.Errorf("a clean document: %v", got)
	}
}

// Load reads a top-level null as encoding/json writes it: nil for a list, a map or a pointer
// (so a value reads back from its own JSON), the default for any other field.
func TestLoadTopLevelNull(t *testing.T) {
	type doc struct {
		List  []string       `json:"list"`
		Map   map[string]int `json:"map"`
		Ptr   *int           `json:"ptr"`
		Count int            `json:"count"`
	}
	one := 1
	def := doc{List: []string{"a"}, Map: map[string]int{"a": 1}, Ptr: &one, Count: 7}
	var got doc
	problems, err := Load([]byte(`{"list": null, "map": null, "ptr": null, "count": null}`), &got, def)
	if err != nil || len(problems) > 0 {
		t.Fatal(problems, err)
	}
	if got.List != nil || got.Map != nil || got.Ptr != nil || got.Count != 7 {
		t.Fatalf("got %+v, want nil list, map and pointer and the default count", got)
	}
	got = doc{}
	if problems, err := Load([]byte(`{}`), &got, def); err != nil || len(problems) > 0 || got.List == nil || got.Map == nil || got.Ptr == nil {
		t.Fatalf("left out keeps the defaults: %+v %v %v", got, problems, err)
	}
}

// A number or string decoded by its type is refused unread over 2,000 bytes, a string's quotes
// aside; at 2,000 it is decoded.
func TestCheckLongScalar(t *testing.T) {
	type doc struct {
		One textLeaf `json:"one"`
	}
	for n, want := range map[int]string{2000: `not ok`, 2001: `is longer than 2000 bytes`} {
		got := Check([]byte(`{"one":"`+strings.Repeat("é", n/2)+strings.Repeat("x", n%2)+`"}`), &doc{})
		if len(got) != 1 || got[0].Problem != want {
			t.Errorf("%d bytes: got %v, want %s", n, got, want)
		}
	}
}

// A map's key of megabytes is walked without copying it into the path of every value below it
// (which took seconds and gigabytes for a few megabytes of policy): paths name a long key by its
// start, and a problem quotes a long key by its start and length. Keys are as long as their
// types allow.
func TestLongMapKey(t *testing.T) {
	type doc struct {
		M map[string][]int `json:"m"`
	}
	huge := strings.Repeat("K", 1<<20)
	values := strings.TrimSuffix(strings.Repeat(`1,`, 100_000), ",")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if problems := Check([]byte(`{"m":{"`+huge+`":[`+values+`]}}`), &doc{}); len(problems) != 0 {
		t.Fatalf("problems %+v", problems)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 200<<20 { // the key in every path: 100 GB
		t.Errorf("%d MB allocated to check one long key over 100,000 values", n>>20)
	}
	problems := Check([]byte(`{"m":{"`+huge+`":[`+values+`,"x"]}}`), &doc{})
	if len(problems) != 1 || problems[0].Path != "policy.m["+huge[:60]+"…][100000]" {
		t.Fatalf("problems %+v", problems)
	}
	problems = Check([]byte(`{"`+huge+`":1}`), &doc{})
	if len(problems) != 1 || len(problems[0].Value) > 100 || !strings.Contains(problems[0].Value, "(1048576 bytes)") {
		t.Fatalf("an unknown key of a megabyte: %d problems, value %.100q", len(problems), problems[0].Value)
	}
}

// An instant without its zone offset, and a decimal decimal's parser refuses, are told what is
// wanted: time's layout text and decimal's "error decoding string" give no advice.
func TestCheckAdvice(t *testing.T) {
	type doc struct {
		At  time.Time       `json:"at"`
		D   decimal.Decimal `json:"d"`
		Exp decimal.Decimal `json:"exp"`
		Lit decimal.Decimal `json:"lit"`
	}
	got := Check([]byte(`{"at":"2026-11-01T00:00:00","d":"3,5","exp":"4e-2000000000","lit":true}`), &doc{})
	var texts []string
	for _, p := range got {
		texts = append(texts, p.Path+" "+p.Value+": "+p.Problem)
	}
	want := []string{
		`policy.at "2026-11-01T00:00:00": ` + InstantWanted,
		`policy.d "3,5": must be a decimal number, such as 3.5 or "3.5"`,
		`policy.exp "4e-2000000000": must be a decimal number, such as 3.5 or "3.5": exponent -2000000000 exceeds MaxDecodeExponent (10000)`,
		`policy.lit true: must be a decimal number, such as 3.5 or "3.5"`, // not decimal's "exponent is not numeric"
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	// An instant out of time's range is time's own problem, not a layout one.
	if got := Check([]byte(`{"at":"2026-13-01T00:00:00Z"}`), &doc{}); len(got) != 1 || got[0].Problem == InstantWanted {
		t.Errorf("a month 13: %+v, want time's own problem", got)
	}
}
