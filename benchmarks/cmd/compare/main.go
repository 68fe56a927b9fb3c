// Command compare times every variant of the benchmarks corpus in one process and prints, per
// variant, its ns/op, allocs/op and its ratio to affrules on the same workload and mix, as
// tab-separated lines that -merge turns into the table of BENCHMARKS.md.
//
// Measure (one process; run.sh runs several with different -rotate):
//
//	compare -rotate 2 > run2.tsv
//
// The corpus is generated, every implementation is checked against affrules on every case (a
// mismatch exits with status 1 before any timing), then every variant is timed with
// testing.Benchmark, -rounds times, the implementations of each workload and mix one after
// another, the groups and the implementations within them in an order rotated by -rotate; a
// variant's figure is its median round, and each ratio is taken within the process.
//
// Missed targets, for profiling (one workload/mix/affrules line each), and a profile of one:
//
//	compare -missed run*.tsv
//	compare -run '^(level/fail/affrules)$' -benchtime 2s -cpuprofile dir
//
// Merge (medians over processes, written between the markers of a markdown file):
//
//	compare -merge ../BENCHMARKS.md -profiles dir -notes notes.md run*.tsv
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/affrules/affrules/benchmarks"
)

func main() {
	testing.Init()
	seed := flag.Uint64("seed", 1, "corpus seed")
	rotate := flag.Int("rotate", 0, "rotate the order of the variants by this many steps (a step is a fifth of them); odd values also reverse it")
	rounds := flag.Int("rounds", 3, "times each variant is timed; its figure is the median round")
	benchtime := flag.Duration("benchtime", 100*time.Millisecond, "target duration of one round of one variant")
	run := flag.String("run", "", "time only the variants whose workload/mix/implementation name matches this regular expression")
	merge := flag.String("merge", "", "merge the result files given as arguments into the marked section of this markdown file")
	profiles := flag.String("profiles", "", "with -merge: a directory of CPU profile summaries, one per missed row, named as -profile-name names them")
	notes := flag.String("notes", "", "with -merge: a markdown file whose text is written under the missed targets")
	profileName := flag.String("profile-name", "", "print the file name, without extension, of the profile summary of this variant name")
	missed := flag.Bool("missed", false, "print the workload/mix/affrules names of the rows whose targets the result files given as arguments miss")
	cpuprofile := flag.String("cpuprofile", "", "time only the variants -run matches, once each, writing a CPU profile of each one's timing (not of the set-up) into this directory")
	flag.Parse()
	var err error
	switch {
	case *merge != "":
		err = mergeFiles(*merge, *profiles, *notes, flag.Args())
	case *profileName != "":
		fmt.Println(summaryName(*profileName))
	case *missed:
		err = printMissed(os.Stdout, flag.Args())
	case *cpuprofile != "":
		err = profile(*cpuprofile, *seed, *benchtime, *run)
	default:
		err = measure(os.Stdout, *seed, *rotate, *rounds, *benchtime, *run)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func measure(w io.Writer, seed uint64, rotate, rounds int, benchtime time.Duration, run string) error {
	if rounds < 1 {
		return fmt.Errorf("-rounds %d: must be at least 1", rounds)
	}
	if rotate < 0 {
		return fmt.Errorf("-rotate %d: must be at least 0", rotate)
	}
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		return err
	}
	match, err := regexp.Compile(run)
	if err != nil {
		return err
	}
	c, err := benchmarks.NewCorpus(seed)
	if err != nil {
		return err
	}
	vs, err := benchmarks.Variants(c)
	if err != nil {
		return err
	}
	if err := benchmarks.Agree(vs); err != nil {
		return err
	}
	cases := 0
	for _, v := range vs {
		cases += v.Cases
	}
	var chosen []benchmarks.Variant
	for _, v := range vs {
		if match.MatchString(v.Name()) || v.Impl == benchmarks.ImplAffrules {
			chosen = append(chosen, v)
		}
	}
	timed := order(chosen, rotate)
	for _, line := range header() {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "# agree\tevery one of %d variants gave affrules' answer on each of its cases (%d in all)\n", len(vs), cases)
	fmt.Fprintf(w, "# timing\t%d times for %s each\n", rounds, benchtime)
	fmt.Fprintf(w, "# first\t%s (rotated by %d)\n", timed[0].Name(), rotate)
	ns := map[string][]float64{}
	allocs := map[string][]float64{}
	for range rounds {
		for _, v := range timed {
			var loopErr error
			r := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				if _, err := v.Loop(b.N); err != nil {
					loopErr = err
				}
			})
			if loopErr != nil {
				return fmt.Errorf("%s: %w", v.Name(), loopErr)
			}
			if r.N == 0 {
				return fmt.Errorf("%s: did not run", v.Name())
			}
			ns[v.Name()] = append(ns[v.Name()], float64(r.T.Nanoseconds())/float64(r.N))
			allocs[v.Name()] = append(allocs[v.Name()], float64(r.MemAllocs)/float64(r.N))
		}
	}
	fmt.Fprintf(w, "# load\t%s\n", loadAverage())
	for _, v := range vs {
		if _, ok := ns[v.Name()]; !ok {
			continue
		}
		ref := median(ns[v.Workload+"/"+v.Mix+"/"+benchmarks.ImplAffrules])
		n := median(ns[v.Name()])
		fmt.Fprintf(w, "result\t%s\t%s\t%s\t%.1f\t%.2f\t%.4f\n", v.Workload, v.Mix, v.Impl, n, median(allocs[v.Name()]), n/ref)
	}
	return nil
}

// order returns the variants in the order a process times them: the implementations of one
// workload and mix next to each other, so that each ratio compares figures taken moments apart,
// the groups rotated by rotate fifths of their number, and the implementations within each group
// rotated by rotate steps; for odd rotate, both orders are reversed.
func order(vs []benchmarks.Variant, rotate int) []benchmarks.Variant {
	var keys []string
	groups := map[string][]benchmarks.Variant{}
	for _, v := range vs {
		k := v.Workload + "/" + v.Mix
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], v)
	}
	k := rotate * (len(keys)/5 + 1) % max(len(keys), 1)
	keys = append(keys[k:], keys[:k]...)
	if rotate%2 != 0 {
		slices.Reverse(keys)
	}
	out := make([]benchmarks.Variant, 0, len(vs))
	for _, key := range keys {
		g := groups[key]
		j := rotate % len(g)
		g = append(g[j:], g[:j]...)
		if rotate%2 != 0 {
			slices.Reverse(g)
		}
		out = append(out, g...)
	}
	return out
}

// profile times each variant matching run once under the CPU profiler, writing its profile to
// dir/<summaryName(variant)>.prof.
func profile(dir string, seed uint64, benchtime time.Duration, run string) error {
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		return err
	}
	match, err := regexp.Compile(run)
	if err != nil {
		return err
	}
	c, err := benchmarks.NewCorpus(seed)
	if err != nil {
		return err
	}
	vs, err := benchmarks.Variants(c)
	if err != nil {
		return err
	}
	vs = slices.DeleteFunc(vs, func(v benchmarks.Variant) bool { return !match.MatchString(v.Name()) })
	if len(vs) == 0 {
		return fmt.Errorf("-run %q matches no variant", run)
	}
	for _, v := range vs {
		f, err := os.Create(filepath.Join(dir, summaryName(v.Name())+".prof"))
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		var loopErr error
		testing.Benchmark(func(b *testing.B) {
			if _, err := v.Loop(b.N); err != nil {
				loopErr = err
			}
		})
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return err
		}
		if loopErr != nil {
			return fmt.Errorf("%s: %w", v.Name(), loopErr)
		}
	}
	return nil
}

// header returns the machine and versions, as "# key\tvalue" lines.
func header() []string {
	out := []string{"# cpu\t" + cpuModel(), fmt.Sprintf("# nproc\t%d", runtime.NumCPU()), "# go\t" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/expr-lang/expr", "cel.dev/cel-go", "github.com/open-policy-agent/opa", "github.com/shopspring/decimal":
				out = append(out, "# module\t"+d.Path+" "+d.Version)
			}
		}
	}
	return out
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// results are the figures of several processes.
type results struct {
	processes int
	header    map[string][]string  // "# key" lines, in file order
	ns        map[string][]float64 // by workload/mix/impl
	allocs    map[string][]float64 //
	ratio     map[string][]float64 // impl ÷ affrules, per process
}

func readResults(files []string) (*results, error) {
	if len(files) == 0 {
		return nil, errors.New("no result files")
	}
	r := &results{header: map[string][]string{}, ns: map[string][]float64{}, allocs: map[string][]float64{}, ratio: map[string][]float64{}}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			fs := strings.Split(sc.Text(), "\t")
			switch {
			case strings.HasPrefix(fs[0], "# ") && len(fs) == 2:
				// every file's load, first and agree lines; the other lines (machine, versions)
				// of the first file
				if k := fs[0][2:]; r.processes == 0 || k == "load" || k == "first" || k == "agree" {
					r.header[k] = append(r.header[k], fs[1])
				}
			case fs[0] == "result" && len(fs) == 7:
				key := fs[1] + "/" + fs[2] + "/" + fs[3]
				var v [3]float64
				for i := range v {
					if v[i], err = strconv.ParseFloat(fs[4+i], 64); err != nil {
						f.Close()
						return nil, fmt.Errorf("%s: %q: %w", name, sc.Text(), err)
					}
				}
				r.ns[key], r.allocs[key], r.ratio[key] = append(r.ns[key], v[0]), append(r.allocs[key], v[1]), append(r.ratio[key], v[2])
				n++
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: no results", name)
		}
		r.processes++
	}
	return r, nil
}

var timedWorkloads = []string{benchmarks.WorkEligShopResult, benchmarks.WorkEligRaw, benchmarks.WorkLevel, benchmarks.WorkCommission}

var peers = []string{benchmarks.ImplExpr, benchmarks.ImplExprMap, benchmarks.ImplCEL, benchmarks.ImplOPA}

// target is one workload and mix against the targets: the fastest peer at least 5×
// slower than affrules, affrules within 15× of the float64 floor.
type target struct {
	workload, mix string
	peer          string
	peerX         float64 // fastest peer ÷ affrules, the median of per-process ratios
	floorX        float64 // affrules ÷ floor, likewise
	byValueX      float64 // the same peer ÷ affrules by value, likewise; 0 if not timed by value
}

func (t target) peerMet() bool  { return t.peerX >= 5 }
func (t target) floorMet() bool { return t.floorX <= 15 }

func (r *results) targets() []target {
	var out []target
	for _, w := range timedWorkloads {
		for _, mix := range benchmarks.Mixes {
			t := target{workload: w, mix: mix}
			for _, p := range peers {
				if x := median(r.ratio[w+"/"+mix+"/"+p]); x > 0 && (t.peer == "" || x < t.peerX) {
					t.peer, t.peerX = p, x
				}
			}
			var inv []float64
			for _, x := range r.ratio[w+"/"+mix+"/"+benchmarks.ImplFloor] {
				inv = append(inv, 1/x)
			}
			t.floorX = median(inv)
			peerR, byValueR := r.ratio[w+"/"+mix+"/"+t.peer], r.ratio[w+"/"+mix+"/"+benchmarks.ImplByValue]
			if len(byValueR) == len(peerR) && len(peerR) > 0 { // one of each per process
				var q []float64
				for i := range peerR {
					q = append(q, peerR[i]/byValueR[i])
				}
				t.byValueX = median(q)
			}
			if t.peer != "" && len(inv) > 0 {
				out = append(out, t)
			}
		}
	}
	return out
}

// byValueTable writes the peer target of the rows timed by value too (ImplByValue), if any, and
// returns how many of them miss it.
func (r *results) byValueTable(p, para func(string, ...any)) int {
	rows, missed := 0, 0
	for _, t := range r.targets() {
		if t.byValueX > 0 {
			rows++
			if t.byValueX < 5 {
				missed++
			}
		}
	}
	if rows == 0 {
		return 0
	}
	p("\n")
	para("The same workloads through affrules' plain calls, by value (`%s` above: `Evaluator.Shop` and `Evaluator.Product`, "+
		"which allocate each result's reasons, and `Evaluator.Compute`), against the peer target; the target "+
		"is set for affrules as a run calls it, so these rows are reported beside it and not counted above:", benchmarks.ImplByValue)
	p("| workload | mix | fastest peer | peer ÷ affrules by value (≥ 5) |\n|---|---|---|---:|\n")
	for _, t := range r.targets() {
		if t.byValueX > 0 {
			p("| %s | %s | %s | %.1f %s |\n", t.workload, t.mix, t.peer, t.byValueX, verdict(t.byValueX >= 5))
		}
	}
	if missed == 0 {
		p("\nBy value, every row meets the peer target.\n")
	} else {
		p("\n**By value, %d of %d rows miss the peer target.**\n", missed, rows)
	}
	return missed
}

func printMissed(w io.Writer, files []string) error {
	r, err := readResults(files)
	if err != nil {
		return err
	}
	for _, t := range r.targets() {
		if !t.peerMet() || !t.floorMet() {
			fmt.Fprintf(w, "%s/%s/%s\n", t.workload, t.mix, benchmarks.ImplAffrules)
		}
	}
	return nil
}

const (
	beginMarker = "<!-- benchmarks:begin -->"
	endMarker   = "<!-- benchmarks:end -->"
)

func mergeFiles(doc, profiles, notes string, files []string) error {
	r, err := readResults(files)
	if err != nil {
		return err
	}
	section, err := r.markdown(profiles, notes)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	text := string(b)
	i, j := strings.Index(text, beginMarker), strings.Index(text, endMarker)
	switch {
	case i < 0 && j < 0:
		text = strings.TrimRight(text, "\n") + "\n\n" + beginMarker + "\n" + section + endMarker + "\n"
	case i >= 0 && j > i:
		text = text[:i+len(beginMarker)] + "\n" + section + text[j:]
	default:
		return fmt.Errorf("%s: the markers %s and %s are not in order", doc, beginMarker, endMarker)
	}
	return os.WriteFile(doc, []byte(text), 0o644)
}

func first(r *results, key string) string {
	if v := r.header[key]; len(v) > 0 {
		return v[0]
	}
	return "unknown"
}

func (r *results) markdown(profiles, notes string) (string, error) {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Side by side: affrules, expr, CEL, OPA and a float64 floor\n\n")
	para := func(format string, args ...any) { p("%s\n\n", wrap(fmt.Sprintf(format, args...), 100)) }
	para("Written by `benchmarks/run.sh` on %s; [benchmarks/README.md](benchmarks/README.md) says what each "+
		"workload and implementation does. Machine: %s, %s CPUs (`nproc`), %s. Peers: %s. Load average after each "+
		"process: %s.", time.Now().UTC().Format("2006-01-02 15:04 MST"), first(r, "cpu"), first(r, "nproc"), first(r, "go"),
		strings.Join(r.header["module"], ", "), strings.Join(r.header["load"], "; "))
	para("Before timing, each process checked that %s. %d processes, each timing every variant %s, the "+
		"implementations of each workload and mix one after another, and the order of the groups and of the "+
		"implementations within them rotated from one process to the next (the first variant of each: %s). A "+
		"variant's figure in a process is its median round, its ratio is taken within the process (its ns/op over "+
		"affrules' on the same workload and mix), and the table gives the median over the processes of each.",
		first(r, "agree"), r.processes, first(r, "timing"), strings.Join(r.header["first"], "; "))
	p("| workload | mix | implementation | ns/op | allocs/op | × affrules |\n|---|---|---|---:|---:|---:|\n")
	for _, w := range benchmarks.Workloads {
		for _, mix := range benchmarks.Mixes {
			for _, impl := range benchmarks.Impls {
				key := w + "/" + mix + "/" + impl
				if len(r.ns[key]) == 0 {
					continue
				}
				p("| %s | %s | %s | %s | %s | %s |\n", w, mix, impl, num(median(r.ns[key])), num(median(r.allocs[key])), ratio(median(r.ratio[key])))
			}
		}
	}
	p("\n")
	para("Targets (issue 17): affrules, with its reasons, at least 5× faster than the fastest peer on every workload " +
		"and mix, and within 15× of the float64 floor.")
	p("| workload | mix | fastest peer | peer ÷ affrules (≥ 5) | affrules ÷ floor (≤ 15) |\n|---|---|---|---:|---:|\n")
	var missedRows []target
	for _, t := range r.targets() {
		p("| %s | %s | %s | %.1f %s | %.1f %s |\n", t.workload, t.mix, t.peer, t.peerX, verdict(t.peerMet()), t.floorX, verdict(t.floorMet()))
		if !t.peerMet() || !t.floorMet() {
			missedRows = append(missedRows, t)
		}
	}
	if len(missedRows) == 0 {
		p("\nEvery target is met.\n")
	} else {
		p("\n**%d of %d rows miss a target.**\n", len(missedRows), len(r.targets()))
	}
	byValueMissed := r.byValueTable(p, para)
	if len(missedRows) == 0 && byValueMissed == 0 {
		return b.String(), nil
	}
	if notes != "" {
		b2, err := os.ReadFile(notes)
		if err != nil {
			return "", err
		}
		p("\n%s\n", strings.TrimSpace(string(b2)))
	}
	if len(missedRows) == 0 {
		return b.String(), nil
	}
	p("\n")
	p("%s\n", wrap("Where affrules' time goes on each missed row: a CPU profile of its timing alone (`compare -cpuprofile`, "+
		"2 s, after the set-up), `go tool pprof -top`, the first lines:", 100))
	for _, t := range missedRows {
		name := summaryName(t.workload + "/" + t.mix + "/" + benchmarks.ImplAffrules)
		p("\n%s/%s/affrules (`%s/%s/affrules` in bench_test.go):\n\n", t.workload, t.mix, benchmarks.BenchName(t.workload), t.mix)
		if profiles == "" {
			p("    (no profile taken)\n")
			continue
		}
		txt, err := os.ReadFile(filepath.Join(profiles, name+".txt"))
		if err != nil {
			return "", err
		}
		for _, line := range strings.Split(strings.TrimRight(string(txt), "\n"), "\n") {
			p("    %s\n", line)
		}
	}
	return b.String(), nil
}

// summaryName returns the file name, without extension, of a variant's profile summary.
func summaryName(variant string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, variant)
}

// wrap breaks text into lines of at most width bytes, between words.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "**missed**"
}

// ratio formats a ratio with three significant digits.
func ratio(x float64) string {
	if x >= 100 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// num formats a figure with three significant digits at most, thousands separated.
func num(x float64) string {
	switch {
	case x == 0:
		return "0"
	case x < 10:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case x < 100:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(x+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
