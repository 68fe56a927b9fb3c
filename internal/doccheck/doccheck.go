// Package doccheck is for a package's own tests: it checks that the package doc lists every
// message key the package defines, so that a host translating reasons with affrules.Catalog
// finds them all in one place.
package doccheck

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// MessageKeys reads every non-test Go file of the current directory (a package's, as its tests run
// there) and collects its message keys: every string literal of the form
// "<package>.<rule>.<outcome>" (a rule such as elg3 or cmp4), the package being the directory's
// name, whether it is passed to affrules.DefineMessage or to a helper that does. It fails t for
// each key doc.go does not list as a line "//\t<key> ", for each such doc line that names no key,
// and if fewer than min keys are found (the pattern no longer matching would otherwise pass
// silently).
func MessageKeys(t testing.TB, min int) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	pkg := regexp.QuoteMeta(filepath.Base(dir))
	literal := regexp.MustCompile(`"(` + pkg + `\.[a-z]+[0-9]+\.[a-z0-9_]+)"`)
	listed := regexp.MustCompile(`(?m)^//\t(` + pkg + `\.[a-z]+[0-9]+\.[a-z0-9_]+) `)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "doc.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range literal.FindAllSubmatch(src, -1) {
			keys[string(k[1])] = true
		}
	}
	if len(keys) < min {
		t.Fatalf("found %d message keys in the package's Go files, want at least %d", len(keys), min)
	}
	docKeys := map[string]bool{}
	for _, k := range listed.FindAllSubmatch(doc, -1) {
		docKeys[string(k[1])] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if !docKeys[k] {
			t.Errorf("doc.go does not list message key %s", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(docKeys)) {
		if !keys[k] {
			t.Errorf("doc.go lists %s, which is not a message key of the package", k)
		}
	}
}
