package affrulestest_test

import (
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/affrulestest"
)

func TestFails(t *testing.T) {
	if msg := affrulestest.Fails(func(t *rapid.T) {
		if rapid.IntRange(0, 100).Draw(t, "n") > 50 {
			t.Fatalf("too large")
		}
	}); !strings.Contains(msg, "too large") {
		t.Errorf("Fails = %q, want the failure reported", msg)
	}
	if msg := affrulestest.Fails(func(t *rapid.T) { _ = rapid.IntRange(0, 100).Draw(t, "n") }); msg != "" {
		t.Errorf("Fails on a property that holds = %q, want empty", msg)
	}
}

func TestStraddleReachesEachSide(t *testing.T) {
	seen := map[int64]bool{}
	rapid.Check(t, func(t *rapid.T) {
		n := affrulestest.Straddle(10).Draw(t, "n")
		if n < 0 || n > 22 {
			t.Fatalf("Straddle(10) drew %d", n)
		}
		seen[n] = true
	})
	for _, n := range []int64{9, 10, 11} {
		if !seen[n] {
			t.Errorf("Straddle(10) never drew %d", n)
		}
	}
}

func TestStraddleRateAndDecimalStayValid(t *testing.T) {
	limit := affrules.MustParseRate("1%")
	rapid.Check(t, func(t *rapid.T) {
		r := affrulestest.StraddleRate(limit).Draw(t, "r")
		if r.Decimal().IsNegative() || r.Decimal().GreaterThan(decimal.NewFromInt(1)) {
			t.Fatalf("rate %v out of [0%%, 100%%]", r)
		}
		d := affrulestest.StraddleDecimal(decimal.RequireFromString("4.5"), 1).Draw(t, "d")
		if d.IsNegative() || d.Exponent() < -1 && !d.Equal(d.Truncate(1)) {
			t.Fatalf("decimal %v", d)
		}
		num, den := affrulestest.StraddleRatio(t, limit, 1000, "ratio")
		if num < 0 || num > den || den < 1 {
			t.Fatalf("ratio %d/%d", num, den)
		}
	})
}

func TestTransitionsAndMidnights(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := affrulestest.Transitions(ny, from, from.AddDate(1, 0, 0))
	want := []time.Time{time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)}
	if len(tr) != 2 || !tr[0].Equal(want[0]) || !tr[1].Equal(want[1]) {
		t.Fatalf("Transitions = %v, want %v", tr, want)
	}
	ms := affrulestest.Midnights(ny, time.Date(2026, 3, 7, 12, 0, 0, 0, ny), time.Date(2026, 3, 9, 12, 0, 0, 0, ny))
	if len(ms) != 3 || ms[2].Sub(ms[1]) != 23*time.Hour {
		t.Fatalf("Midnights = %v", ms)
	}
	rapid.Check(t, func(t *rapid.T) {
		at := affrulestest.Instant(ny, from).Draw(t, "at")
		if at.Before(from.Add(-time.Hour)) || at.After(from.AddDate(1, 0, 2)) {
			t.Fatalf("Instant drew %v", at)
		}
	})
}

// Fails leaves rapid's settings as it found them.
func TestFailsRestoresFlags(t *testing.T) {
	before := map[string]string{}
	for _, name := range []string{"rapid.nofailfile", "rapid.shrinktime"} {
		before[name] = flag.Lookup(name).Value.String()
	}
	affrulestest.Fails(func(t *rapid.T) { t.Fatalf("fails") })
	for name, v := range before {
		if got := flag.Lookup(name).Value.String(); got != v {
			t.Errorf("-%s is %s after Fails, was %s", name, got, v)
		}
	}
}

func TestWithout(t *testing.T) {
	props := []affrulestest.Property{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	got := affrulestest.Without(props, "b", "x")
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "c" || len(props) != 3 || props[1].Name != "b" {
		t.Errorf("Without = %v (props now %v)", got, props)
	}
}

// The zero Property fails its subtest with a clear message instead of panicking (checked in a
// child process, since the subtest's failure fails its parent).
func TestRunZeroProperty(t *testing.T) {
	if os.Getenv("AFFRULESTEST_ZERO_PROPERTY") == "1" {
		affrulestest.Run(t, []affrulestest.Property{{Name: "empty"}})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestRunZeroProperty$")
	cmd.Env = append(os.Environ(), "AFFRULESTEST_ZERO_PROPERTY=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `property "empty" has no Check`) || strings.Contains(string(out), "panic") {
		t.Errorf("Run of a zero Property: %v\n%s", err, out)
	}
}

// MustFail of a Property without a Check fails (a missing check proves nothing can fail), and
// Fails of a nil check reports it instead of passing or panicking; Transitions of a nil zone
// (UTC) has none.
func TestMustFailZeroProperty(t *testing.T) {
	if os.Getenv("AFFRULESTEST_MUSTFAIL_ZERO") == "1" {
		affrulestest.MustFail(t, affrulestest.Property{Name: "nocheck"})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestMustFailZeroProperty$")
	cmd.Env = append(os.Environ(), "AFFRULESTEST_MUSTFAIL_ZERO=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `property "nocheck" has no Check`) {
		t.Errorf("MustFail of a Property without a Check: %v\n%s", err, out)
	}
	if r := affrulestest.Fails(nil); !strings.Contains(r, "nil Check") || strings.Contains(r, "panic") {
		t.Errorf("Fails(nil) = %q", r)
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := affrulestest.Transitions(nil, from, from.AddDate(1, 0, 0)); got != nil {
		t.Errorf("Transitions(nil) = %v", got)
	}
}

// Diff names every difference of two maps of the same size: a key of want missing from got, and
// the key got has instead.
func TestDiffMaps(t *testing.T) {
	got := affrulestest.Diff(map[string]int{"a": 1, "b": 2}, map[string]int{"b": 3, "c": 1})
	want := "[a]: missing\n[b]: got 3, want 2\n[c]: unexpected, got 1\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if d := affrulestest.Diff(map[string]int{"a": 1}, map[string]int{"a": 1}); d != "" {
		t.Errorf("equal maps: %q", d)
	}
}
