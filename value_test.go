package affrules_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// MKT-5: every kind of value keeps its typed content, renders without words and survives JSON.
func TestValueKinds(t *testing.T) {
	bangkok := time.FixedZone("", 7*3600)
	at := time.Date(2026, 11, 18, 9, 0, 0, 123, bangkok)
	tests := []struct {
		name   string
		v      affrules.Value
		kind   affrules.ValueKind
		text   string
		json   string
		verify func(t *testing.T, v affrules.Value)
	}{
		{"none", affrules.Value{}, affrules.NoValue, "", `{"kind":"none"}`, nil},
		{"count", affrules.Count(3), affrules.CountValue, "3", `{"kind":"count","count":3}`, func(t *testing.T, v affrules.Value) { assert.EqualValues(t, 3, v.Int()) }},
		{"ratio", affrules.Ratio(4, 400), affrules.RatioValue, "1% (4/400)", `{"kind":"ratio","num":4,"den":400}`, func(t *testing.T, v affrules.Value) {
			n, d := v.Ratio()
			assert.Equal(t, [2]int64{4, 400}, [2]int64{n, d})
			assert.True(t, v.Rate().Equal(affrules.MustParseRate("1%")))
		}},
		{"ratio with no denominator", affrules.Ratio(1, 0), affrules.RatioValue, "undefined (1/0)", `{"kind":"ratio","num":1,"den":0}`, func(t *testing.T, v affrules.Value) { assert.True(t, v.Rate().IsZero()) }},
		{"rate", affrules.RateOf(affrules.MustParseRate("0.7%")), affrules.RateValue, "0.7%", `{"kind":"rate","rate":"0.7%"}`, func(t *testing.T, v affrules.Value) {
			assert.True(t, v.Rate().Equal(affrules.MustParseRate("0.7%")))
		}},
		{"decimal", affrules.Decimal(decimal.RequireFromString("2.40")), affrules.DecimalValue, "2.4", `{"kind":"decimal","decimal":"2.4"}`, func(t *testing.T, v affrules.Value) {
			assert.True(t, v.Decimal().Equal(decimal.RequireFromString("2.4")))
		}},
		{"huge decimal", affrules.Decimal(decimal.RequireFromString("123456789012345678901234.5")), affrules.DecimalValue, "123456789012345678901234.5", `{"kind":"decimal","decimal":"123456789012345678901234.5"}`, nil},
		{"amount", affrules.Amount(decimal.RequireFromString("12.50"), "GBP"), affrules.AmountValue, "12.5 GBP", `{"kind":"amount","decimal":"12.5","currency":"GBP"}`, func(t *testing.T, v affrules.Value) {
			assert.Equal(t, "GBP", v.Currency())
			assert.True(t, v.Decimal().Equal(decimal.RequireFromString("12.5")))
		}},
		{"huge amount", affrules.Amount(decimal.RequireFromString("1234567890123456789012"), "IDR"), affrules.AmountValue, "1234567890123456789012 IDR", `{"kind":"amount","decimal":"1234567890123456789012","currency":"IDR"}`, nil},
		{"instant", affrules.Instant(at), affrules.InstantValue, "2026-11-18T09:00:00.000000123+07:00", `{"kind":"instant","time":"2026-11-18T09:00:00.000000123+07:00"}`, func(t *testing.T, v affrules.Value) {
			assert.True(t, v.Time().Equal(at))
			_, off := v.Time().Zone()
			assert.Equal(t, 7*3600, off)
		}},
		{"instant before 1970, west of UTC", affrules.Instant(time.Date(1960, 1, 2, 3, 4, 5, 6, time.FixedZone("", -5*3600))), affrules.InstantValue, "1960-01-02T03:04:05.000000006-05:00", `{"kind":"instant","time":"1960-01-02T03:04:05.000000006-05:00"}`, nil},
		{"day", affrules.Day(time.Date(2026, 11, 21, 0, 0, 0, 0, bangkok)), affrules.DayValue, "2026-11-21", `{"kind":"day","time":"2026-11-21T00:00:00+07:00"}`, nil},
		{"days", affrules.DaysOf(60), affrules.DaysValue, "60", `{"kind":"days","count":60}`, func(t *testing.T, v affrules.Value) { assert.EqualValues(t, 60, v.Int()) }},
		{"level", affrules.LevelOf(3), affrules.LevelValue, "L3", `{"kind":"level","level":3}`, nil},
		{"duration", affrules.DurationOf(12*time.Hour + time.Second), affrules.DurationValue, "12h0m1s", `{"kind":"duration","nanoseconds":43201000000000}`, func(t *testing.T, v affrules.Value) {
			assert.Equal(t, 12*time.Hour+time.Second, v.Duration())
		}},
		{"text", affrules.Text("mcn-9"), affrules.TextValue, "mcn-9", `{"kind":"text","text":"mcn-9"}`, func(t *testing.T, v affrules.Value) { assert.Equal(t, "mcn-9", v.Text()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.kind, tt.v.Kind())
			assert.Equal(t, tt.text, tt.v.String())
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.JSONEq(t, tt.json, string(b))
			var back affrules.Value
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.v.String(), back.String())
			assert.Equal(t, tt.kind, back.Kind())
			if tt.verify != nil {
				tt.verify(t, tt.v)
				tt.verify(t, back)
			}
		})
	}
	// Accessors of another kind return zero values.
	c := affrules.Count(5)
	assert.Equal(t, "", c.Text())
	assert.Equal(t, "", c.Currency())
	assert.True(t, c.Time().IsZero())
	n, d := c.Ratio()
	assert.Zero(t, n+d)
	assert.True(t, affrules.Value{}.IsZero())
	assert.False(t, c.IsZero())
}

func TestValueJSONErrors(t *testing.T) {
	for _, in := range []string{`{"kind":"count"}`, `{"kind":"ratio","num":1}`, `{"kind":"rate"}`, `{"kind":"decimal"}`, `{"kind":"amount"}`, `{"kind":"instant"}`, `{"kind":"level"}`, `{"kind":"text"}`, `{"kind":"duration"}`, `{"kind":"weird"}`, `[]`} {
		var v affrules.Value
		assert.Error(t, json.Unmarshal([]byte(in), &v), in)
	}
	// A JSON number that is not a whole number within int64 is named as such, not as "not a
	// number".
	for _, in := range []string{`{"kind":"count","count":1.5}`, `{"kind":"count","count":1e3}`, `{"kind":"count","count":9223372036854775808}`, `{"kind":"level","level":2.0}`} {
		var v affrules.Value
		assert.ErrorContains(t, json.Unmarshal([]byte(in), &v), "must be a whole number (digits, no fraction or exponent) from -9223372036854775808 to 9223372036854775807", in)
	}
}

// Building values and reasons allocates nothing (issue: reasons cost almost nothing).
func TestValueNoAllocation(t *testing.T) {
	r := affrules.MustParseRate("1%")
	rating := decimal.RequireFromString("2.4")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var sink affrules.Reason
	allocs := testing.AllocsPerRun(100, func() {
		sink = affrules.Reason{Rule: "ELG-3", Key: keyNegative, Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(r), Subject: "electronics"}
		sink.Observed = affrules.Decimal(rating)
		sink.Limit = affrules.Instant(at)
	})
	assert.Zero(t, allocs)
	_ = sink
}

func TestCatalog(t *testing.T) {
	r := affrules.Reason{Rule: "ELG-3", Key: keyNegative, Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(affrules.MustParseRate("1%")), Subject: "fmcg"}
	th := affrules.Catalog{Messages: map[affrules.MessageKey]string{keyNegative: "อัตรารีวิวเชิงลบ {observed} ไม่ต่ำกว่า {limit} ({subject}) {unknown}"}}
	assert.Equal(t, "อัตรารีวิวเชิงลบ 1% (4/400) ไม่ต่ำกว่า 1% (fmcg) {unknown}", th.Reason(r))
	// A key the catalog lacks falls back to English.
	assert.Equal(t, inv2.String(), th.Reason(inv2))
	// A host formatter.
	pct := affrules.Catalog{Messages: th.Messages, Format: func(v affrules.Value) string { return "<" + v.Kind().String() + ">" }}
	assert.Equal(t, "อัตรารีวิวเชิงลบ <ratio> ไม่ต่ำกว่า <rate> (fmcg) {unknown}", pct.Reason(r))
	assert.Equal(t, []string{th.Reason(r), inv2.String()}, th.Decision(affrules.Decide(r, inv2)))
}

func TestDefineMessageTwice(t *testing.T) {
	m := affrules.Message{Text: "same"}
	k := affrules.DefineMessage("test.twice", m)
	assert.Equal(t, k, affrules.DefineMessage("test.twice", m), "the same wording again is fine")
	assert.Panics(t, func() { affrules.DefineMessage("test.twice", affrules.Message{Text: "other"}) })
}

func TestReasonJSONRoundTrip(t *testing.T) {
	r := affrules.Reason{Rule: "ELG-3", Key: keyNegative, Observed: affrules.Ratio(4, 400), Limit: affrules.RateOf(affrules.MustParseRate("1%")), Subject: "electronics"}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"rule":"ELG-3","kind":"failed","key":"test.elg3.failed","message":"negative-review rate is not below the limit",
		"observed":"1% (4/400)","limit":"below 1% for electronics","observed_value":{"kind":"ratio","num":4,"den":400},
		"limit_value":{"kind":"rate","rate":"1%"},"subject":"electronics"}`, string(b))
	var back affrules.Reason
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)
}

// A decimal beyond the library's bounds (which evaluators refuse) is still built, printed and
// encoded at once, in coefficient-e-exponent form, not written out in full.
func TestValueHugeExponent(t *testing.T) {
	for _, v := range []affrules.Value{
		affrules.Amount(decimal.New(1, 100_000_000), "GBP"),
		affrules.Decimal(decimal.New(-25, -100_000_000)),
		affrules.Decimal(decimal.RequireFromString("1234567890123456789012345").Shift(100_000_000)),
	} {
		done := make(chan string, 1)
		go func() {
			b, err := json.Marshal(v)
			if err != nil {
				done <- err.Error()
				return
			}
			var back affrules.Value
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(v) {
				done <- fmt.Sprintf("round trip of %s: %v, %v", b, back, err)
				return
			}
			done <- v.String()
		}()
		select {
		case s := <-done:
			if !strings.Contains(s, "e") {
				t.Errorf("%s", s)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("a huge exponent took more than 2 s")
		}
	}
	if s := affrules.Amount(decimal.New(1, 100_000_000), "GBP").String(); s != "1e100000000 GBP" {
		t.Errorf("String() = %q", s)
	}
}

// An amount keeps any currency it is given, of any length, next to a long coefficient too:
// nothing is read from the wrong bytes and nothing panics (a stored reason decoded from JSON
// with a four-letter currency used to crash String).
func TestAmountOddCurrencies(t *testing.T) {
	long := decimal.RequireFromString("123456789012345678901234567890")
	for _, cur := range []string{"", "AB", "£", "EURO", "A B", "GBP"} {
		for _, x := range []decimal.Decimal{decimal.NewFromInt(5), long} {
			v := affrules.Amount(x, cur)
			if v.Currency() != cur || !v.Decimal().Equal(x) {
				t.Errorf("Amount(%s, %q): currency %q, number %s", x, cur, v.Currency(), v.Decimal())
			}
			_ = v.String()
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var back affrules.Value
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(v) {
				t.Errorf("round trip of %s: %v, %v", b, back, err)
			}
		}
	}
	var d affrules.Decision
	if err := json.Unmarshal([]byte(`{"allowed":false,"reasons":[{"rule":"COM-8","kind":"failed","key":"k","observed_value":{"kind":"amount","decimal":"5","currency":"EURO"}}]}`), &d); err != nil {
		t.Fatal(err)
	}
	if s := d.String(); !strings.Contains(s, "5 EURO") {
		t.Errorf("decision %q", s)
	}
}

// Equal compares decimals without rescaling one to the other's exponent, so exponents millions
// apart compare at once; Rate clamps a ratio of 1 or more to 100%, never overflowing below 0%.
func TestValueEqualHugeExponentsAndRateClamp(t *testing.T) {
	done := make(chan bool, 1)
	go func() {
		a := affrules.Decimal(decimal.New(1, 99_999_999))
		done <- !a.Equal(affrules.Decimal(decimal.NewFromInt(1))) && a.Equal(affrules.Decimal(decimal.New(10, 99_999_998))) &&
			affrules.Decimal(decimal.RequireFromString("2.40")).Equal(affrules.Decimal(decimal.RequireFromString("2.4"))) &&
			!affrules.Decimal(decimal.RequireFromString("-2.4")).Equal(affrules.Decimal(decimal.RequireFromString("2.4"))) &&
			affrules.Decimal(decimal.Zero).Equal(affrules.Decimal(decimal.New(0, 5)))
	}()
	select {
	case ok := <-done:
		if !ok {
			t.Error("Equal gave a wrong answer")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Equal of exponents millions apart took more than 2 s")
	}
	for _, tt := range []struct {
		v    affrules.Value
		want string
	}{
		{affrules.Ratio(5, 3), "100%"}, {affrules.Ratio(math.MaxInt64, 1), "100%"}, {affrules.Ratio(3, 3), "100%"},
		{affrules.Ratio(1, 3), "33.3333333%"}, {affrules.Ratio(-1, 3), "0%"}, {affrules.Ratio(1, 0), "0%"},
	} {
		if got := tt.v.Rate().String(); got != tt.want {
			t.Errorf("%v.Rate() = %s, want %s", tt.v, got, tt.want)
		}
	}
	start := time.Now()
	affrules.HalfUp.Round(decimal.New(1, 100_000_000), 2)
	if time.Since(start) > time.Second {
		t.Error("rounding an amount with a huge exponent took more than a second")
	}
	if affrules.NewMonth(2026, time.Month(math.MaxInt64)) != affrules.Month(math.MaxInt32) || affrules.NewMonth(2026, time.Month(math.MinInt64)) != affrules.Month(math.MinInt32) {
		t.Error("NewMonth with a huge month does not saturate to its side")
	}
}

// Equal holds two instants of one moment equal whatever zone each is shown in, as time.Time's
// Equal does, and two days equal only in the same zone offset.
func TestValueEqualInstantZones(t *testing.T) {
	at := time.Date(2026, 5, 20, 12, 0, 0, 5, time.UTC)
	bkk := time.FixedZone("ICT", 7*3600)
	west := time.FixedZone("", -7*3600-1800)
	for _, loc := range []*time.Location{time.UTC, bkk, west} {
		if !affrules.Instant(at).Equal(affrules.Instant(at.In(loc))) {
			t.Errorf("%s and the same moment in %s differ", at, loc)
		}
		if affrules.Instant(at).Equal(affrules.Instant(at.In(loc).Add(time.Nanosecond))) {
			t.Errorf("%s and 1ns later in %s are equal", at, loc)
		}
	}
	if affrules.Day(at).Equal(affrules.Day(at.In(bkk))) || !affrules.Day(at).Equal(affrules.Day(at)) {
		t.Error("days of two zone offsets starting at one instant are equal, or a day differs from itself")
	}
	if affrules.Instant(at).Equal(affrules.Day(at)) {
		t.Error("an instant equals a day")
	}
}

// A day of a zone whose offset had seconds (Monrovia until 1972, Bangkok until 1920) reads back
// from JSON equal to itself: RFC 3339 writes the offset to the minute, and Equal compares days
// as it writes them. Days whose written forms differ stay unequal.
func TestValueDayJSONOffsetSeconds(t *testing.T) {
	for _, name := range []string{"Africa/Monrovia", "Asia/Bangkok", "Europe/Amsterdam"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		for _, day := range []time.Time{time.Date(1910, 3, 1, 12, 0, 0, 0, loc), time.Date(1970, 11, 3, 12, 0, 0, 0, loc), time.Date(2026, 6, 1, 12, 0, 0, 0, loc)} {
			v := affrules.Day(affrules.DayOf(day, loc).Start)
			b, err := json.Marshal(v)
			require.NoError(t, err)
			var back affrules.Value
			require.NoError(t, json.Unmarshal(b, &back))
			assert.True(t, back.Equal(v) && v.Equal(back), "%s: %s read back as %v, not equal to %v", name, b, back.Time(), v.Time())
			assert.Equal(t, v.String(), back.String())
			next := affrules.Day(affrules.DayOf(day.AddDate(0, 0, 1), loc).Start)
			assert.False(t, next.Equal(v), "%s: the next day equals the day", name)
		}
	}
}

// A bad rate inside a value, a reason or a decision is named by its place: the field of the
// error is the rate's path from the root decoded.
func TestValueJSONRatePath(t *testing.T) {
	var v affrules.Value
	err := json.Unmarshal([]byte(`{"kind":"rate","rate":"150%"}`), &v)
	var fe *affrules.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "value.rate", fe.Field)
	require.ErrorIs(t, err, affrules.ErrOutOfRange)
	var d affrules.Decision
	err = json.Unmarshal([]byte(`{"allowed":false,"reasons":[{"rule":"X","kind":"failed","limit_value":{"kind":"rate","rate":"150%"}}]}`), &d)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "decision.reasons[0].limit_value.rate", fe.Field)
	assert.Contains(t, err.Error(), `affrules: decision.reasons[0].limit_value.rate "150%": must be between 0% and 100%`)
}

// Equal compares a decimal with many trailing zeros quickly too.
func TestValueEqualTrailingZeros(t *testing.T) {
	n := 100_000
	a := affrules.Decimal(decimal.RequireFromString("1" + strings.Repeat("0", n)))
	start := time.Now()
	if !a.Equal(affrules.Decimal(decimal.New(1, int32(n)))) || a.Equal(affrules.Decimal(decimal.New(1, int32(n-1)))) {
		t.Error("wrong answer")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

// A value's JSON refuses a decimal of more than 1,000 characters at once (reading one of a
// million digits took seconds), and takes one of 1,000.
func TestValueJSONLongDecimal(t *testing.T) {
	var v affrules.Value
	start := time.Now()
	err := json.Unmarshal([]byte(`{"kind":"amount","currency":"THB","decimal":"`+strings.Repeat("7", 1_000_000)+`"}`), &v)
	if err == nil || !strings.Contains(err.Error(), "affrules: value.decimal") || time.Since(start) > time.Second {
		t.Errorf("a million digits: %v after %v", err, time.Since(start))
	}
	if err := json.Unmarshal([]byte(`{"kind":"decimal","decimal":"`+strings.Repeat("7", 998)+`"}`), &v); err != nil {
		t.Errorf("998 digits: %v", err)
	}
}

// A value's malformed decimal is a FieldError naming the field, not the decimal library's error.
func TestValueJSONBadDecimal(t *testing.T) {
	for _, bad := range []string{`"NaN"`, `"1e2147483648"`, `"x"`, `true`} {
		var v affrules.Value
		err := json.Unmarshal([]byte(`{"kind":"decimal","decimal":`+bad+`}`), &v)
		if err == nil || !strings.Contains(err.Error(), "affrules: value.decimal") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Value JSON: a key given twice and a field of another kind are errors naming the field, not
// silently dropped or kept. (A day value's instant is the day's start, which is not always a
// midnight: a zone may skip its midnight.)
func TestValueJSONStrictShape(t *testing.T) {
	for doc, says := range map[string]string{
		`{"kind":"count","count":1,"count":2}`:         `value "count": key is given twice`,
		`{"kind":"count","count":1,"text":"x"}`:        "value.text (given): is not a field of a count value",
		`{"kind":"ratio","num":1,"den":2,"rate":"1%"}`: "value.rate (given): is not a field of a ratio value",
		`{"kind":"none","count":3}`:                    "value.count (given): is not a field of a",
	} {
		var v affrules.Value
		err := json.Unmarshal([]byte(doc), &v)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", doc, err, says)
		}
	}
	var v affrules.Value
	if err := json.Unmarshal([]byte(`{"kind":"day","time":"2026-09-06T01:00:00-03:00"}`), &v); err != nil {
		t.Errorf("a day starting at 01:00, its zone skipping midnight: %v", err)
	}
	var tl affrules.Timeline[int]
	if err := json.Unmarshal([]byte(`[{"from":"2026-01-01T00:00:00Z","value":1,"value":2}]`), &tl); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a timeline entry with a key given twice: %v", err)
	}
}

// A reason's or a decision's key given twice is an error too.
func TestReasonJSONDuplicateKey(t *testing.T) {
	var r affrules.Reason
	err := json.Unmarshal([]byte(`{"rule":"ELG-3","rule":"ELG-4","kind":"failed","key":"k"}`), &r)
	if err == nil || !strings.Contains(err.Error(), `reason "rule": key is given twice`) {
		t.Errorf("reason: %v", err)
	}
	var d affrules.Decision
	err = json.Unmarshal([]byte(`{"allowed":true,"allowed":false}`), &d)
	if err == nil || !strings.Contains(err.Error(), `decision "allowed": key is given twice`) {
		t.Errorf("decision: %v", err)
	}
	// A key that names a field only when case is ignored would be taken, and keep the last.
	err = json.Unmarshal([]byte(`{"allowed":false,"Allowed":true}`), &d)
	if err == nil || !strings.Contains(err.Error(), `decision "Allowed"`) {
		t.Errorf("decision, a case variant: %v", err)
	}
	err = json.Unmarshal([]byte(`{"rule":"ELG-3","Rule":"ELG-4","kind":"failed","key":"k"}`), &r)
	if err == nil || !strings.Contains(err.Error(), `reason "Rule"`) {
		t.Errorf("reason, a case variant: %v", err)
	}
}

// A null reason in a decision, a NUL in an amount's currency, and a decimal beyond 1,000 digits
// are refused; a timeline given null stays as it was (encoding/json's rule for null).
func TestJSONEdges(t *testing.T) {
	var d affrules.Decision
	err := json.Unmarshal([]byte(`{"allowed":false,"reasons":[null]}`), &d)
	require.ErrorContains(t, err, "decision.reasons[0] null: must be a reason")
	var v affrules.Value
	err = json.Unmarshal([]byte(`{"kind":"amount","decimal":"1","currency":"TH\u0000B"}`), &v)
	require.ErrorContains(t, err, "value.currency")
	digits := func(n int) string { return `{"kind":"decimal","decimal":"` + strings.Repeat("9", n) + `"}` }
	require.NoError(t, json.Unmarshal([]byte(digits(1000)), &v), "1,000 digits")
	require.Error(t, json.Unmarshal([]byte(digits(1001)), &v), "1,001 digits")
	tl, err := affrules.NewTimeline(affrules.Effective[int]{Value: 1})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(`null`), &tl))
	require.Equal(t, 1, tl.Len(), "null leaves the timeline as it was")
}

// A decimal value keeps its coefficient and exponent exactly on either side of the 18 digits a
// value holds inline: zero at any scale, negative, 18 and 19 digits, 2^60 − 1, a tiny exponent.
func TestDecimalValueExact(t *testing.T) {
	for _, s := range []string{"0", "0.00", "2.5", "-2.5", "999999999999999999", "99999999999999999.9", "1000000000000000000",
		"1152921504606846975", "-999999999999999999", "-1000000000000000000", "1e-28", "123456789012345678901234.5"} {
		d := decimal.RequireFromString(s)
		v := affrules.Decimal(d)
		back := v.Decimal()
		assert.True(t, back.Equal(d), "%s: %s", s, back)
		assert.Equal(t, d.Exponent(), back.Exponent(), s)
		assert.Equal(t, v, affrules.Decimal(decimal.NewFromBigInt(d.Coefficient(), d.Exponent())), s)
		b, err := json.Marshal(v)
		require.NoError(t, err, s)
		var w affrules.Value
		require.NoError(t, json.Unmarshal(b, &w), s)
		assert.True(t, w.Decimal().Equal(d), "%s: %s through JSON", s, b)
	}
}

// A ratio's rate is rounded down to 1e-9 exactly, even where the exact ratio lies a hair below a
// unit (a denominator past 2^53, where a 16-digit division would round up to the unit).
func TestRatioRateRoundsDown(t *testing.T) {
	check := func(t require.TestingT, n, d int64) {
		want := new(big.Int).Quo(new(big.Int).Mul(big.NewInt(n), big.NewInt(1_000_000_000)), big.NewInt(d))
		got := affrules.Ratio(n, d).Rate()
		require.Equal(t, decimal.NewFromBigInt(want, -9).String(), got.Decimal().String(), "%d/%d", n, d)
		require.GreaterOrEqual(t, got.CmpFraction(n, d), 0, "%d/%d: the rate is above the ratio", n, d)
	}
	check(t, 3_000_000_000, 3_000_000_000_000_000_001) // just under 1e-9: 0%, not 0.0000001%
	check(t, math.MaxInt64-1, math.MaxInt64)
	check(t, 1, math.MaxInt64)
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.Int64Range(1, math.MaxInt64).Draw(t, "den")
		check(t, rapid.Int64Range(0, d-1).Draw(t, "num"), d)
	})
}

// An instant RFC 3339 cannot write (a year past 9999, or before 0) is refused by every type that
// writes instants to JSON with a FieldError naming its place, not encoding/json's error.
func TestJSONYearOutOfRange(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	tl, err := affrules.NewTimeline(affrules.Effective[int]{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Value: 1}, affrules.Effective[int]{From: far, Value: 2})
	require.NoError(t, err)
	for _, tc := range []struct {
		v     any
		field string
	}{
		{affrules.Period{End: far}, "period.end"},
		{affrules.Period{Start: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}, "period.start"},
		{tl, "timeline[1].from"},
		{affrules.Instant(far), "value.time"},
		{affrules.Day(far), "value.time"},
		{affrules.Reason{Rule: "X", Limit: affrules.Instant(far)}, "reason.limit_value.time"},
		{affrules.Decide(affrules.Reason{Rule: "X"}, affrules.Reason{Rule: "Y", Observed: affrules.Instant(far)}), "decision.reasons[1].observed_value.time"},
		{affrules.Decision{NextAllowed: far}, "decision.next_allowed"},
	} {
		_, err := json.Marshal(tc.v)
		var fe *affrules.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, affrules.ErrOutOfRange) {
			t.Errorf("%T: error %v, want a FieldError on %s wrapping ErrOutOfRange", tc.v, err, tc.field)
		}
	}
	_, err = json.Marshal(affrules.Period{Start: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)})
	require.NoError(t, err, "the last second RFC 3339 writes")
}
