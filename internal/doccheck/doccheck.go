// Package doccheck is for a package's own tests: it checks that the package doc lists every
// message key the package defines, so that a host translating reasons with affrules.Catalog
// finds them all in one place.
package doccheck

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var define = regexp.MustCompile(`DefineMessage\("([a-z0-9_.]+)"`)

// MessageKeys reads every non-test Go file of the current directory (a package's, as its tests
// run there), collects the keys passed to affrules.DefineMessage, and fails t for each one that
// doc.go does not list as a line "//\t<key> ", or if fewer than min keys are found (the pattern
// no longer matching would otherwise pass silently).
func MessageKeys(t testing.TB, min int) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range define.FindAllSubmatch(src, -1) {
			keys = append(keys, string(k[1]))
		}
	}
	if len(keys) < min {
		t.Fatalf("found %d message keys in the package's Go files, want at least %d", len(keys), min)
	}
	for _, k := range keys {
		if !strings.Contains(string(doc), "//\t"+k+" ") {
			t.Errorf("doc.go does not list message key %s", k)
		}
	}
}
