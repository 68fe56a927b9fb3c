package commission_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The package doc lists every message key the package defines, so that a host translating its
// reasons finds them all in one place.
func TestDocListsEveryMessageKey(t *testing.T) {
	rules, err := os.ReadFile("rules.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`DefineMessage\("([a-z0-9_.]+)"`).FindAllSubmatch(rules, -1)
	if len(keys) < 20 {
		t.Fatalf("found %d message keys in rules.go", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(string(doc), "//\t"+string(k[1])+" ") {
			t.Errorf("doc.go does not list message key %s", k[1])
		}
	}
}
