// Package affrulestest is what the property-testing kits of the domain packages share
// (eligibilitytest, leveltest, invitationtest, commissiontest, campaigntest, collabplustest,
// sampletest): a named [Property] of a policy, [Run] to check a list of them, [Fails] to prove a
// property can fail, and rapid generators that straddle a policy's own limits and instants.
//
// It uses the standard library, pgregory.net/rapid and github.com/shopspring/decimal (which
// affrules itself needs) only, so nothing else enters a host's build.
package affrulestest

import (
	"flag"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// Property is one named invariant of a policy, checked by rapid over inputs drawn for that
// policy. On failure rapid reports a minimal counter-example.
type Property struct {
	// Name is the property's name, used as the subtest's name, such as
	// "worse_record_never_approves".
	Name string
	// Check is the rapid property.
	Check func(*rapid.T)
}

// Run checks every property as a subtest of t, named after the property.
func Run(t *testing.T, props []Property) {
	t.Helper()
	for _, p := range props {
		if p.Check == nil { // the zero Property: a clear failure, not a panic inside rapid
			t.Run(p.Name, func(t *testing.T) { t.Fatalf("property %q has no Check", p.Name) })
			continue
		}
		t.Run(p.Name, rapid.MakeCheck(p.Check))
	}
}

// Fails runs the property under rapid without failing the calling test and returns rapid's report
// of the minimal counter-example, or "" if the property held on every input drawn (a nil prop
// is a report saying so, never a pass). It is how a
// test proves that a property can fail, for example on a deliberately broken policy. Since the
// inputs that show a fault may be rare among those one run draws, it runs the property up to
// three times, each run with inputs of its own, and reports the first failure. While it
// runs, rapid writes no fail file (an expected failure leaves nothing on disk) and shrinks for at
// most a second (a counter-example found that fast still names the broken value); it restores
// both settings (the -rapid.nofailfile and -rapid.shrinktime flags) when it returns. Calls of
// Fails run one at a time; since rapid reads its flags as it runs, do not call Fails (or
// [Machine], which lowers -rapid.checks) from parallel tests. Outside a test (a program checking
// a policy), call testing.Init and flag.Parse first: rapid reads its settings from the testing
// flags.
func Fails(prop func(*rapid.T)) string {
	if prop == nil {
		return "affrulestest: no property to run (a nil Check)"
	}
	flagMu.Lock()
	defer flagMu.Unlock()
	defer setFlag("rapid.nofailfile", "true")()
	defer setFlag("rapid.shrinktime", "1s")()
	for range failsRuns {
		r := &recorder{}
		done := make(chan struct{})
		go func() { // rapid stops a failed check with FailNow, which ends this goroutine only
			defer close(done)
			rapid.Check(r, prop)
		}()
		<-done
		if r.failed {
			return r.log.String()
		}
	}
	return ""
}

// failsRuns is how many times Fails runs a property that holds before it reports that it held.
const failsRuns = 3

// flagMu serialises the calls that change rapid's flags for a while.
var flagMu sync.Mutex

// setFlag sets flag name to value, if it is defined, and returns what restores it.
func setFlag(name, value string) (restore func()) {
	f := flag.Lookup(name)
	if f == nil {
		return func() {}
	}
	old := f.Value.String()
	_ = f.Value.Set(value)
	return func() { _ = f.Value.Set(old) }
}

// Without returns props without the properties named names: a host that switches off on
// purpose a rule one of them guards (a 0-day wait, a market opened to every seller) checks the
// rest.
func Without(props []Property, names ...string) []Property {
	return slices.DeleteFunc(slices.Clone(props), func(p Property) bool { return slices.Contains(names, p.Name) })
}

// Find returns the property named name of props, failing t if there is none.
func Find(t testing.TB, props []Property, name string) Property {
	t.Helper()
	for _, p := range props {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no property %q", name)
	return Property{}
}

// MustFail fails t unless property p finds a counter-example whose report mentions every one
// of want: the test that proves a property can fail, for example on a deliberately broken
// policy. A property finds a counter-example with a high probability, not with certainty, so
// it gets three runs.
func MustFail(t testing.TB, p Property, want ...string) {
	t.Helper()
	if p.Check == nil {
		t.Fatalf("property %q has no Check: nothing to fail", p.Name)
		return
	}
	var report string
	for range 3 {
		if report = Fails(p.Check); report != "" {
			break
		}
	}
	if report == "" {
		t.Fatalf("%s passed three times; want a counter-example", p.Name)
	}
	for _, w := range want {
		if !strings.Contains(report, w) {
			t.Errorf("%s's report does not mention %q:\n%s", p.Name, w, report)
		}
	}
}

// FewerChecks lowers rapid's number of checks (the -rapid.checks flag) to at most n and returns
// what restores it. A store's state machine runs each check on a new store, which for a
// database-backed store may be a schema and a connection pool of its own, so the conformance
// suites run at most a few; they must not run in parallel with other rapid checks of the same
// test binary while it is lowered. A -rapid.checks given on the command line is left as it is:
// a host that wants a store checked harder runs go test -rapid.checks=1000 and gets 1,000.
func FewerChecks(n int) (restore func()) {
	f := flag.Lookup("rapid.checks")
	if f == nil || given("rapid.checks") {
		return func() {}
	}
	old := f.Value.String()
	if v, err := strconv.Atoi(old); err == nil && v > n {
		_ = f.Value.Set(strconv.Itoa(n))
	}
	return func() { _ = f.Value.Set(old) }
}

// given reports whether flag name was set on the command line (flag.Parse, flag.Set); Set on a
// flag's Value, as FewerChecks sets it, does not count.
func given(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// Machine runs a store's state machine: check, against a new store from newStore, for each rapid
// check, at most checks of them unless -rapid.checks is given (see [FewerChecks]). newStore must
// not call t.Parallel: its subtest would wait for the machine, which waits for the store. Each
// store is made in a subtest of t that lasts until its check ends, so that whatever it holds (a
// schema, a pool of connections) is released then rather than at the end of the whole machine. t is
// skipped if newStore skips.
func Machine[S any](t *testing.T, checks int, newStore func(*testing.T) S, check func(*rapid.T, S)) {
	t.Helper()
	if newStore == nil || check == nil {
		t.Fatal("affrulestest.Machine: newStore and check must not be nil")
	}
	if _, release, ok := fresh(t, newStore); !ok {
		t.Skip("newStore returned no store")
	} else {
		release()
	}
	defer FewerChecks(checks)()
	rapid.Check(t, func(rt *rapid.T) {
		s, release, ok := fresh(t, newStore)
		defer release()
		if !ok {
			rt.Fatal("newStore returned no store")
		}
		check(rt, s)
	})
}

// fresh returns a new store from newStore, made in a subtest of t that lasts until release is
// called. ok is false if newStore ended its subtest (skipped or failed) without returning.
func fresh[S any](t *testing.T, newStore func(*testing.T) S) (s S, release func(), ok bool) {
	got := make(chan S, 1)
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t.Run("store", func(t *testing.T) {
			got <- newStore(t)
			<-done
		})
	}()
	select {
	case s = <-got:
		return s, func() { close(done); <-ended }, true
	case <-ended:
		return s, func() {}, false
	}
}

// Capped returns actions for rapid's T.Repeat that do nothing once steps of them have run, which
// keeps one check against a store that is slow to call (a database) short. Call it once per
// check.
func Capped(steps int, actions map[string]func(*rapid.T)) map[string]func(*rapid.T) {
	n := 0
	out := make(map[string]func(*rapid.T), len(actions))
	for name, act := range actions {
		if name == "" { // the check run after every action
			out[name] = act
			continue
		}
		out[name] = func(t *rapid.T) {
			if n == steps {
				return
			}
			n++
			act(t)
		}
	}
	return out
}

// recorder is the rapid.TB that Fails hands to rapid: it records failures instead of failing a
// test.
type recorder struct {
	failed bool
	log    strings.Builder
}

func (r *recorder) Helper()                         {}
func (r *recorder) Name() string                    { return "affrulestest.Fails" }
func (r *recorder) Logf(format string, args ...any) { fmt.Fprintf(&r.log, format+"\n", args...) }
func (r *recorder) Log(args ...any)                 { fmt.Fprintln(&r.log, args...) }
func (r *recorder) Skipf(format string, args ...any) {
	r.Logf(format, args...)
	r.SkipNow()
}
func (r *recorder) Skip(args ...any) {
	r.Log(args...)
	r.SkipNow()
}
func (r *recorder) SkipNow() { goexit() }
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Error(args ...any) {
	r.failed = true
	r.Log(args...)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.FailNow()
}
func (r *recorder) Fatal(args ...any) {
	r.Error(args...)
	r.FailNow()
}
func (r *recorder) FailNow() {
	r.failed = true
	goexit()
}
func (r *recorder) Fail()        { r.failed = true }
func (r *recorder) Failed() bool { return r.failed }

// Straddle draws a count near limit: limit−1, limit or limit+1 most of the time (never below
// zero), otherwise any count from 0 to 2×limit+2. Rules that hold a count to a limit are decided
// at those three values.
func Straddle(limit int64) *rapid.Generator[int64] {
	if limit < 0 {
		limit = 0
	}
	hi := limit
	if hi < math.MaxInt64/2-1 {
		hi = 2*hi + 2
	}
	return rapid.OneOf(
		rapid.SampledFrom(nonNegative(limit-1, limit, limit+1)),
		rapid.Int64Range(0, hi),
	)
}

// StraddleRatio draws a count of a denominator so that num/den falls just below, at or just above
// the rate r (or anywhere), with den drawn from 1 to maxDen. It returns num and den.
func StraddleRatio(t *rapid.T, r affrules.Rate, maxDen int64, label string) (num, den int64) {
	if maxDen < 1 {
		maxDen = 1
	}
	den = rapid.Int64Range(1, maxDen).Draw(t, label+"_den")
	// The smallest num with num/den ≥ r.
	at := r.Decimal().Mul(decimal.NewFromInt(den)).Ceil().IntPart()
	num = Straddle(at).Filter(func(n int64) bool { return n <= den }).Draw(t, label+"_num")
	return num, den
}

// StraddleRate draws a rate just below, at or just above r (by 1e-9, the smallest step of a Rate,
// or by 0.01%), or any rate from 0% to 100%.
func StraddleRate(r affrules.Rate) *rapid.Generator[affrules.Rate] {
	units := r.Decimal().Shift(9).IntPart()
	near := nonNegative(units-100_000, units-1, units, units+1, units+100_000)
	return rapid.Custom(func(t *rapid.T) affrules.Rate {
		u := rapid.OneOf(rapid.SampledFrom(near), rapid.Int64Range(0, 1_000_000_000)).Draw(t, "rate_units")
		if u > 1_000_000_000 {
			u = 1_000_000_000
		}
		rate, err := affrules.RateFromDecimal(decimal.New(u, -9))
		if err != nil {
			panic(err) // u is in [0, 1e9] by construction
		}
		return rate
	})
}

// StraddleDecimal draws a non-negative decimal just below, at or just above limit (by one unit of
// the places given), limit cut to those places, or anywhere from 0 to 2×limit+1 with places
// decimal places. The values near limit keep its own places where it has more (2.5 with places 0
// draws 1.5, 2.5 and 3.5 among them), so that the limit itself is always drawn.
func StraddleDecimal(limit decimal.Decimal, places int32) *rapid.Generator[decimal.Decimal] {
	step := decimal.New(1, -places)
	near := []decimal.Decimal{limit.Sub(step), limit, limit.Add(step)}
	near = append(near, limit.Truncate(places))
	hi := limit.Mul(decimal.NewFromInt(2)).Add(decimal.NewFromInt(1)).Shift(places).IntPart()
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		if rapid.Bool().Draw(t, "near") {
			d := rapid.SampledFrom(near).Draw(t, "decimal_near")
			if d.IsNegative() {
				return decimal.Zero
			}
			return d
		}
		return decimal.New(rapid.Int64Range(0, hi).Draw(t, "decimal_units"), -places)
	})
}

// Instant draws an instant at or near one of the edges given (exactly, a nanosecond, a second or
// an hour either side, or a day after), or at one of the time-zone transitions (daylight saving
// changes) of loc within a year after the first edge, or anywhere within a year after the first
// edge. Edges are a policy's effective dates, a period's start and end, midnights in a market's
// zone. With no edges it draws within a year after 2026-01-01 UTC.
func Instant(loc *time.Location, edges ...time.Time) *rapid.Generator[time.Time] {
	if loc == nil {
		loc = time.UTC
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if len(edges) > 0 {
		base = edges[0]
	}
	points := append([]time.Time(nil), edges...)
	points = append(points, Transitions(loc, base, base.AddDate(1, 0, 0))...)
	offsets := []time.Duration{0, -1, 1, -time.Second, time.Second, -time.Hour, time.Hour, 24 * time.Hour}
	return rapid.Custom(func(t *rapid.T) time.Time {
		if len(points) > 0 && rapid.IntRange(0, 3).Draw(t, "instant_how") > 0 {
			p := rapid.SampledFrom(points).Draw(t, "instant_edge")
			return p.Add(rapid.SampledFrom(offsets).Draw(t, "instant_offset")).In(loc)
		}
		secs := rapid.Int64Range(0, 366*24*3600).Draw(t, "instant_seconds")
		return base.Add(time.Duration(secs) * time.Second).In(loc)
	})
}

// Midnights returns the local midnights (the starts of the calendar days) of loc from the day of
// from to the day of to, inclusive: the edges of daily counts. A day whose midnight does not exist
// (a daylight-saving change at 00:00) starts at the first instant after it.
func Midnights(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	for d := affrules.DayOf(from, loc); !d.Start.After(to); d = affrules.DayOf(d.End, loc) {
		out = append(out, d.Start)
	}
	return out
}

// Transitions returns the instants in [from, to) at which loc's offset from UTC changes (daylight
// saving starts or ends), found to the second. A nil loc is UTC, which has none.
func Transitions(loc *time.Location, from, to time.Time) []time.Time {
	if loc == nil {
		return nil
	}
	var out []time.Time
	_, off := from.In(loc).Zone()
	for t := from; t.Before(to); {
		next := t.Add(24 * time.Hour)
		if _, o := next.In(loc).Zone(); o != off {
			lo, hi := t, next // offset at lo is off, at hi it differs
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.In(loc).Zone(); o == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			out = append(out, hi.Truncate(time.Second))
			_, off = hi.In(loc).Zone()
			t = hi
			continue
		}
		t = next
	}
	return out
}

func nonNegative(xs ...int64) []int64 {
	out := xs[:0]
	for _, x := range xs {
		if x >= 0 {
			out = append(out, x)
		}
	}
	return out
}

func goexit() { runtime.Goexit() }
