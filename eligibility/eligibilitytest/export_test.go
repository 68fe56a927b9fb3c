package eligibilitytest

import (
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/eligibility"
)

// Evaluator is what the properties ask of an evaluator, so that a test can hand them a broken
// one.
type Evaluator = evaluator

// PropertiesWith returns the properties of p checked through the evaluators build returns.
func PropertiesWith(p eligibility.Policy, build func(eligibility.Policy) (Evaluator, error)) []affrulestest.Property {
	return properties(p, build)
}
