package benchmarks

import (
	"slices"
	"sync"
	"testing"
)

var (
	setupOnce sync.Once
	setupVs   []Variant
	setupErr  error
)

// variants returns a copy of the variants of the corpus of seed 1, set up once for all tests.
func variants(t testing.TB) []Variant {
	t.Helper()
	setupOnce.Do(func() {
		var c *Corpus
		if c, setupErr = NewCorpus(1); setupErr == nil {
			setupVs, setupErr = Variants(c)
		}
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return slices.Clone(setupVs)
}

// TestAgree runs every implementation of every workload and mix on the whole corpus and requires
// each answer to be affrules' answer, exactly: eligibility allowed or not (ELG-1..5), the level
// (LVL-2), the winning source and the amount in minor units (COM-1, COM-3..5).
func TestAgree(t *testing.T) {
	vs := variants(t)
	if err := Agree(vs); err != nil {
		t.Fatal(err)
	}
}

// TestAgreeOtherSeeds runs the agreement check on the corpora of other seeds, as a user of
// compare -seed would: each draws other cases (seeds 7 and 9, for instance, order products that
// have no offer at all, which the CEL program once failed to look up).
func TestAgreeOtherSeeds(t *testing.T) {
	for seed := uint64(2); seed <= 10; seed++ {
		c, err := NewCorpus(seed)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		vs, err := Variants(c)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := Agree(vs); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
}

// TestVariantsComplete requires every implementation of every timed workload on every mix (and
// affrules by value on each workload with calls of its own), and the three explanations on the
// failing mix, each over at least 1,024 cases.
func TestVariantsComplete(t *testing.T) {
	have := map[string]bool{}
	for _, v := range variants(t) {
		if v.Cases < 1024 {
			t.Errorf("%s: %d cases", v.Name(), v.Cases)
		}
		if have[v.Name()] {
			t.Errorf("%s twice", v.Name())
		}
		have[v.Name()] = true
	}
	for _, w := range []string{WorkEligShopResult, WorkEligRaw, WorkLevel, WorkCommission} {
		for _, mix := range Mixes {
			for _, impl := range []string{ImplAffrules, ImplExpr, ImplExprMap, ImplCEL, ImplOPA, ImplFloor} {
				if !have[w+"/"+mix+"/"+impl] {
					t.Errorf("missing %s/%s/%s", w, mix, impl)
				}
			}
		}
	}
	for _, w := range []string{WorkEligShopResult, WorkEligRaw, WorkCommission} {
		for _, mix := range Mixes {
			if !have[w+"/"+mix+"/"+ImplByValue] {
				t.Errorf("missing %s/%s/%s", w, mix, ImplByValue)
			}
		}
	}
	for _, w := range []string{WorkExplainElig, WorkExplainComm} {
		for _, impl := range []string{ImplAffrules, ImplCELTracked, ImplOPATrace} {
			if !have[w+"/"+MixFail+"/"+impl] {
				t.Errorf("missing %s/%s/%s", w, MixFail, impl)
			}
		}
	}
}

// TestAgreeCatchesMismatch: one wrong answer on one case of one peer fails the check.
func TestAgreeCatchesMismatch(t *testing.T) {
	vs := variants(t)
	find := func(impl string) Variant {
		i := slices.IndexFunc(vs, func(v Variant) bool { return v.Impl == impl && v.Workload == WorkCommission && v.Mix == MixDaily })
		return vs[i]
	}
	ref, peer := find(ImplAffrules), find(ImplOPA)
	if err := Agree([]Variant{ref, peer}); err != nil {
		t.Fatal(err)
	}
	answer := peer.Answer
	peer.Answer = func(k int) (Answer, error) {
		a, err := answer(k)
		if k == 700 {
			a.Amount++
		}
		return a, err
	}
	if err := Agree([]Variant{ref, peer}); err == nil {
		t.Fatal("a wrong amount on case 700 passed the agreement check")
	}
}

// TestMixes: the passing mixes pass on every case, the failing ones fail on every case, and the
// daily mixes hold some of each (ELG-1..5, LVL-2, COM-3..5).
func TestMixes(t *testing.T) {
	for _, v := range variants(t) {
		if v.Impl != ImplAffrules {
			continue
		}
		pass := 0
		for i := range v.Cases {
			a, err := v.Answer(i)
			if err != nil {
				t.Fatal(err)
			}
			if a.Allowed || a.Level > 0 || a.Source != "" {
				pass++
			}
		}
		switch {
		case v.Mix == MixPass && pass != v.Cases, v.Mix == MixFail && pass != 0, v.Mix == MixDaily && (pass < v.Cases/2 || pass == v.Cases):
			t.Errorf("%s: %d of %d cases pass", v.Name(), pass, v.Cases)
		}
	}
}
