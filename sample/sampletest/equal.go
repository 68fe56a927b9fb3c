package sampletest

import (
	"fmt"
	"strings"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/sample"
)

// diffRequests describes how got differs from want, one line per difference, or returns "" when
// they are the same: instants compared with time.Time.Equal (a store may return them in another
// zone), a nil slice equal to an empty one.
func diffRequests(want, got []sample.Request) string {
	var b strings.Builder
	if len(want) != len(got) {
		fmt.Fprintf(&b, "%d requests, want %d: got %v, want %v\n", len(got), len(want), ids(got), ids(want))
		return b.String()
	}
	for i := range want {
		if d := diffRequest(want[i], got[i]); d != "" {
			fmt.Fprintf(&b, "requests[%d] (%s): %s", i, want[i].ID, d)
		}
	}
	return b.String()
}

func ids(rs []sample.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// diffRequest is diffRequests for one request.
func diffRequest(want, got sample.Request) string {
	var b strings.Builder
	field := func(name string, w, g any) {
		if w != g {
			fmt.Fprintf(&b, "%s: got %v, want %v\n", name, g, w)
		}
	}
	field("id", want.ID, got.ID)
	field("seller", want.Seller, got.Seller)
	field("creator", want.Creator, got.Creator)
	field("product", want.Product, got.Product)
	field("market", want.Market, got.Market)
	field("source", want.Source, got.Source)
	field("context", want.Context, got.Context)
	field("partner", want.Partner, got.Partner)
	b.WriteString(diffEvents(want.Events, got.Events))
	return b.String()
}

// diffEvents is diffRequests for the events of a request.
func diffEvents(want, got []sample.Event) string {
	if len(want) != len(got) {
		return fmt.Sprintf("events: got %v, want %v\n", got, want)
	}
	var b strings.Builder
	for i := range want {
		w, g := want[i], got[i]
		if w.Kind != g.Kind || !w.At.Equal(g.At) || !w.Due.Equal(g.Due) || w.Auto != g.Auto {
			fmt.Fprintf(&b, "events[%d]: got %+v, want %+v\n", i, g, w)
		}
	}
	return b.String()
}

// diffReasons describes how the reasons got differ from want as sets (rule, kind, key, observed
// and limit values, subject), or returns "".
func diffReasons(want, got []affrules.Reason) string {
	key := func(r affrules.Reason) string {
		return fmt.Sprintf("%s %d %s observed=%s limit=%s subject=%s", r.Rule, r.Kind, r.Key, valueKey(r.Observed), valueKey(r.Limit), r.Subject)
	}
	count := map[string]int{}
	for _, r := range want {
		count[key(r)]++
	}
	for _, r := range got {
		count[key(r)]--
	}
	var b strings.Builder
	for k, n := range count {
		switch {
		case n > 0:
			fmt.Fprintf(&b, "missing: %s\n", k)
		case n < 0:
			fmt.Fprintf(&b, "unexpected: %s\n", k)
		}
	}
	return b.String()
}

// valueKey is v as a string in which an instant is the instant, whatever its zone.
func valueKey(v affrules.Value) string {
	if v.Kind() == affrules.InstantValue {
		return v.Time().UTC().Format(time.RFC3339Nano)
	}
	return v.String()
}
