package childtest

import (
	"os"
	"testing"
)

// fatal records a Fatalf instead of ending the test, so that Fails' verdicts can be read.
type fatal struct {
	testing.TB
	failed bool
}

func (f *fatal) Helper()               {}
func (f *fatal) Fatalf(string, ...any) { f.failed = true }

func TestFails(t *testing.T) {
	switch os.Getenv("CHILDTEST_SELF") {
	case "fail":
		t.Run("sub", func(t *testing.T) { t.Error("broken on purpose") })
		return
	case "pass":
		t.Run("sub", func(t *testing.T) {})
		return
	}
	Fails(t, "TestFails", "sub", "CHILDTEST_SELF=fail", nil, "broken on purpose")
	for name, tc := range map[string]struct{ env, says string }{
		"a child that passes":           {"CHILDTEST_SELF=pass", "broken on purpose"},
		"a child failing for no reason": {"CHILDTEST_SELF=fail", "another reason"},
	} {
		f := &fatal{TB: t}
		Fails(f, "TestFails", "sub", tc.env, nil, tc.says)
		if !f.failed {
			t.Errorf("%s: Fails did not fail", name)
		}
	}
}
