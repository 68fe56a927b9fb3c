// Package deadline bounds the time a test or fuzz input may take: the per-input deadline of the
// library's fuzz targets, so that an input that makes an evaluation slow is a failure with the
// input saved, not a fuzz run that merely goes slower.
package deadline

import (
	"fmt"
	"testing"
	"time"
)

// Within runs f on the calling goroutine, so that f may call t.Fatal, and crashes the test
// binary with a message naming t if f has not returned after limit. A crash is how a fuzz
// target reports a hang: the fuzzing engine saves the input that caused it, as for a panic.
func Within(t testing.TB, limit time.Duration, f func()) {
	t.Helper()
	name := t.Name()
	watchdog := time.AfterFunc(limit, func() {
		panic(fmt.Sprintf("%s: took longer than %s", name, limit))
	})
	defer watchdog.Stop()
	f()
}
