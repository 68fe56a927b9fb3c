package deadline

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestWithinReturns(t *testing.T) {
	ran := false
	Within(t, time.Minute, func() { ran = true })
	if !ran {
		t.Fatal("f did not run")
	}
}

// A slow f crashes the binary with a message naming the test: run in a child process.
func TestWithinCrashesWhenLate(t *testing.T) {
	if os.Getenv("DEADLINE_CHILD") == "1" {
		Within(t, 10*time.Millisecond, func() { time.Sleep(5 * time.Second) })
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestWithinCrashesWhenLate$")
	cmd.Env = append(os.Environ(), "DEADLINE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child passed:\n%s", out)
	}
	if !strings.Contains(string(out), "TestWithinCrashesWhenLate: took longer than 10ms") {
		t.Fatalf("the child's output does not name the test and the limit:\n%s", out)
	}
}
