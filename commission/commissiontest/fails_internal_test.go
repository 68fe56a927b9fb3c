package commissiontest

import (
	"flag"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/affrulestest"
)

// fails is [affrulestest.Fails] with rapid's shrinking cut to a second (-rapid.shrinktime): a
// counter-example found that fast still names the broken value, and the tests that expect one
// stay quick.
func fails(prop func(*rapid.T)) string {
	f := flag.Lookup("rapid.shrinktime")
	if f == nil {
		return affrulestest.Fails(prop)
	}
	old := f.Value.String()
	_ = f.Value.Set("1s")
	defer func() { _ = f.Value.Set(old) }()
	return affrulestest.Fails(prop)
}

// Fails is fails, for the tests of package _test.
var Fails = fails
