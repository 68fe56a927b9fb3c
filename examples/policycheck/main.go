// Command policycheck checks a host's own policies, loaded from JSON, with the property-testing
// kits eligibilitytest and leveltest: the properties a policy must keep whatever its numbers
// (a worse record never approves, every category has thresholds everywhere, levels never fall
// for more GMV, tables are ordered, versions start at a market midnight or month start …). It
// then checks a deliberately broken eligibility policy, one that policy validation accepts, and
// prints the minimal counter-example a host would see in CI.
//
// A host runs the same checks in its own tests with eligibilitytest.CheckPolicy(t, p) and
// leveltest.CheckPolicy(t, p); a program has no *testing.T, so this one runs each property with
// affrulestest.Fails and prints its outcome.
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"

	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/eligibility/eligibilitytest"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/level/leveltest"
)

// The host's policies: the eligibility policy adds a stricter Malaysian override from 1 July
// 2026 beside the Thai one; the level policy has tables for Thailand (a new GMV-band table from 1
// July 2026, counting categories) and Malaysia.
var (
	//go:embed policies/eligibility.json
	eligibilityJSON []byte
	//go:embed policies/level.json
	levelJSON []byte
	// The same eligibility policy with the Malaysian override's date written in UTC: 08:00 in
	// Kuala Lumpur, so that 1 July would be judged by two versions.
	//go:embed policies/eligibility-broken.json
	brokenJSON []byte
)

func main() {
	// rapid reads its settings from the flags the testing package parses; a fixed seed draws the
	// same inputs, and so reports the same counter-example, on every run.
	testing.Init()
	flag.Parse()
	if err := flag.Set("rapid.seed", "20261130"); err != nil {
		log.Fatal(err)
	}

	elg, err := eligibility.ParsePolicy(eligibilityJSON)
	if err != nil {
		log.Fatal(err)
	}
	lvl, err := level.ParsePolicy(levelJSON)
	if err != nil {
		log.Fatal(err)
	}
	failed := check("eligibility policy (policies/eligibility.json)", eligibilitytest.Properties(elg))
	failed = append(failed, check("level policy (policies/level.json)", leveltest.Properties(lvl))...)
	if len(failed) > 0 {
		log.Fatalf("the host's policies fail %v", failed)
	}

	// Validation accepts the broken policy: its numbers are all in range.
	broken, err := eligibility.ParsePolicy(brokenJSON)
	if err != nil {
		log.Fatal(err)
	}
	failed = check("broken eligibility policy (policies/eligibility-broken.json)", eligibilitytest.Properties(broken))
	if len(failed) != 1 || failed[0] != "overrides_start_at_midnight" {
		log.Fatalf("the broken policy fails %v; want [overrides_start_at_midnight]", failed)
	}
	os.Exit(0)
}

// check runs each property and prints "ok <name>", or "FAIL <name>" and the minimal
// counter-example; it returns the names of the properties that failed.
func check(title string, props []affrulestest.Property) (failed []string) {
	fmt.Println(title + ":")
	for _, p := range props {
		report := affrulestest.Fails(p.Check)
		if report == "" {
			fmt.Println("  ok", p.Name)
			continue
		}
		failed = append(failed, p.Name)
		fmt.Println("  FAIL", p.Name)
		for _, line := range strings.Split(strings.TrimSpace(report), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "To reproduce") {
				continue // names the internal test run; the seed above reproduces it
			}
			fmt.Println("    " + strings.TrimSpace(line))
		}
	}
	return failed
}
