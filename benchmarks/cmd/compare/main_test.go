package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/affrules/affrules/benchmarks"
)

// writeRun writes one process's result file: affrules at ns, each peer at peerX × ns, the floor
// at ns ÷ floorX, on every timed workload and mix.
func writeRun(t *testing.T, dir string, i int, ns, peerX, floorX float64) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "# cpu\tTest CPU\n# nproc\t2\n# go\tgo1.26\n# agree\tall agreed\n# timing\t3 times for 100ms each\n# first\tx (rotated by %d)\n# load\t1 1 1\n", i)
	for _, w := range timedWorkloads {
		for _, mix := range benchmarks.Mixes {
			fmt.Fprintf(&b, "result\t%s\t%s\t%s\t%.1f\t0\t1\n", w, mix, benchmarks.ImplAffrules, ns)
			for _, p := range peers {
				fmt.Fprintf(&b, "result\t%s\t%s\t%s\t%.1f\t3\t%.4f\n", w, mix, p, ns*peerX, peerX)
			}
			fmt.Fprintf(&b, "result\t%s\t%s\t%s\t%.1f\t0\t%.4f\n", w, mix, benchmarks.ImplFloor, ns/floorX, 1/floorX)
		}
	}
	name := filepath.Join(dir, fmt.Sprintf("run%d.tsv", i))
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// merge merges the result files into doc, without profiles or notes, and returns doc's text.
func merge(t *testing.T, doc string, files []string) string {
	t.Helper()
	if err := mergeFiles(doc, "", "", files); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The merged section replaces the text between the markers and nothing else; the ratios are the
// medians of the per-process ratios, judged against the targets (≥ 5× the fastest peer, ≤ 15×
// the floor).
func TestMerge(t *testing.T) {
	dir := t.TempDir()
	files := []string{
		writeRun(t, dir, 0, 100, 6, 10),
		writeRun(t, dir, 1, 100, 4, 20), // the outlier on both sides
		writeRun(t, dir, 2, 100, 7, 12),
	}
	doc := filepath.Join(dir, "BENCHMARKS.md")
	before, after := "# Benchmarks\n\nearlier rounds\n\n", "\nlater text\n"
	if err := os.WriteFile(doc, []byte(before+beginMarker+"\nold table\n"+endMarker+after), 0o644); err != nil {
		t.Fatal(err)
	}
	merge(t, doc, files) // merging twice gives one section
	got := merge(t, doc, files)
	if !strings.HasPrefix(got, before+beginMarker+"\n") || !strings.HasSuffix(got, endMarker+after) {
		t.Fatalf("text outside the markers changed:\n%s", got)
	}
	if strings.Contains(got, "old table") || strings.Count(got, beginMarker) != 1 {
		t.Fatalf("the old section stayed:\n%s", got)
	}
	for _, want := range []string{
		"| level | daily | expr | 6.0 met | 12.0 met |",
		"| commission | pass | expr | 6.0 met | 12.0 met |",
		"Every target is met.",
		"Test CPU, 2 CPUs",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q:\n%s", want, got)
		}
	}
}

func TestMergeMissed(t *testing.T) {
	dir := t.TempDir()
	files := []string{writeRun(t, dir, 0, 100, 3, 40), writeRun(t, dir, 1, 100, 3, 40), writeRun(t, dir, 2, 100, 3, 40)}
	doc := filepath.Join(dir, "BENCHMARKS.md")
	if err := os.WriteFile(doc, []byte("# Benchmarks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := printMissed(&out, files); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != len(timedWorkloads)*len(benchmarks.Mixes) {
		t.Fatalf("%d missed rows, want every one:\n%s", n, out.String())
	}
	profiles := t.TempDir()
	for line := range strings.SplitSeq(strings.TrimSpace(out.String()), "\n") {
		if err := os.WriteFile(filepath.Join(profiles, summaryName(line)+".txt"), []byte("flat flat%\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := mergeFiles(doc, profiles, "", files); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{"# Benchmarks\n\n" + beginMarker, "| level | fail | expr | 3.0 **missed** | 40.0 **missed** |", "**12 of 12 rows miss a target.**", "    flat flat%"} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q:\n%s", want, got)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aa bb cc dd", 5)
	if got != "aa bb\ncc dd" {
		t.Fatalf("wrap: %q", got)
	}
}

// TestOrder: every variant is timed once per round, the implementations of a workload and mix
// next to each other, and the first variant changes with the rotation.
func TestOrder(t *testing.T) {
	var vs []benchmarks.Variant
	for _, w := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		for _, impl := range []string{"affrules", "expr", "cel"} {
			vs = append(vs, benchmarks.Variant{Workload: w, Mix: "pass", Impl: impl})
		}
	}
	firsts := map[string]bool{}
	for rotate := range 5 {
		got := order(vs, rotate)
		if len(got) != len(vs) {
			t.Fatalf("rotate %d: %d variants, want %d", rotate, len(got), len(vs))
		}
		seen := map[string]bool{}
		for i, v := range got {
			if seen[v.Name()] {
				t.Fatalf("rotate %d: %s twice", rotate, v.Name())
			}
			seen[v.Name()] = true
			if i%3 != 0 && v.Workload != got[i-1].Workload {
				t.Fatalf("rotate %d: %s not next to the rest of its workload and mix", rotate, v.Name())
			}
		}
		firsts[got[0].Name()] = true
	}
	if len(firsts) < 5 {
		t.Errorf("5 rotations start with only %d different variants", len(firsts))
	}
}

// Rows timed by value too get a table of their own against the peer target, judged on the
// per-process quotient of the fastest peer's ratio and the by-value ratio, and not counted among
// the rows that miss a target.
func TestMergeByValue(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, byValue := range []float64{2, 2.5, 0.9} { // by-value ns ÷ affrules ns in each process
		name := writeRun(t, dir, i, 100, 6, 10)
		f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, mix := range benchmarks.Mixes {
			fmt.Fprintf(f, "result\t%s\t%s\t%s\t%.1f\t1\t%.4f\n", benchmarks.WorkEligShopResult, mix, benchmarks.ImplByValue, 100*byValue, byValue)
		}
		f.Close()
		files = append(files, name)
	}
	doc := filepath.Join(dir, "BENCHMARKS.md")
	if err := os.WriteFile(doc, []byte("# Benchmarks\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := merge(t, doc, files)
	for _, want := range []string{
		"Every target is met.",
		"| eligibility, shop result given | daily | expr | 3.0 **missed** |", // the median of 3, 2.4 and 6.7
		"**By value, 3 of 3 rows miss the peer target.**",
		"| eligibility, shop result given | pass | affrules-by-value | 200 | 1.00 | 2 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "| level | pass | expr | 6.0 |") {
		t.Errorf("a row not timed by value is in the by-value table:\n%s", got)
	}
}
