// Package childtest runs part of the running test binary in a child process and checks that it
// fails: a test shows a conformance suite failing a deliberately broken store without failing
// itself.
package childtest

import (
	"flag"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Fails runs subtest sub of test, a top-level test of the running binary, in a child process
// with env (KEY=value, which tells the child which broken store to give the suite) added to its
// environment, rapid (if the binary has it) writing no fail file, and args after those flags.
// It fails t unless the child fails in that subtest and its output holds one of says.
func Fails(t testing.TB, test, sub, env string, args []string, says ...string) {
	t.Helper()
	flags := []string{"-test.run=^" + test + "$/^" + sub + "$"}
	if flag.Lookup("rapid.nofailfile") != nil { // a binary of rapid's: the child's failure leaves no file
		flags = append(flags, "-rapid.nofailfile")
	}
	cmd := exec.Command(os.Args[0], append(flags, args...)...)
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child (%s) passed %s/%s:\n%s", env, test, sub, out)
	}
	if !strings.Contains(string(out), "--- FAIL: "+test+"/"+sub+" ") ||
		!slices.ContainsFunc(says, func(w string) bool { return strings.Contains(string(out), w) }) {
		t.Fatalf("the child (%s) did not fail in %s/%s saying one of %q:\n%s", env, test, sub, says, out)
	}
}
