// Package childtest runs part of the running test binary in a child process and checks that it
// fails: a test shows a conformance suite failing a deliberately broken store without failing
// itself. Rows is the row-key table such broken stores share.
package childtest

import (
	"flag"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// Rows is the row-key table of a broken store whose rows have no unique key on their ID: it
// keeps each write in a correct store under a row key of its own ("id#n") and maps each ID to
// the key of its last row, so that two writes of one ID at once are both kept, the later
// hiding the earlier. The zero Rows is ready for use and safe for concurrent use.
type Rows struct {
	mu   sync.Mutex
	seq  int
	last map[string]string // ID → key of its last row
}

// Row returns the key of id's last row, and false if id has none.
func (r *Rows) Row(id string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k, ok := r.last[id]
	return k, ok
}

// Next returns a new row key for id, which [Rows.Keep] makes id's last row once written.
func (r *Rows) Next(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return id + rowSep + strconv.Itoa(r.seq)
}

// Keep records key as id's last row.
func (r *Rows) Keep(id, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last = map[string]string{}
	}
	r.last[id] = key
}

// IsLast reports whether key is the last row of its ID.
func (r *Rows) IsLast(key string) bool {
	k, ok := r.Row(ID(key))
	return ok && k == key
}

const rowSep = "#"

// ID returns the ID a row key, or a text naming one, stands for: key up to its row number.
func ID(key string) string {
	id, _, _ := strings.Cut(key, rowSep)
	return id
}
