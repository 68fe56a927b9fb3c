package leveltest

import (
	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/level"
)

// Assigner is what the properties ask of an evaluator, so that a test can hand them a broken
// one.
type Assigner = assigner

// PropertiesWith returns the properties of p checked through the evaluators build returns.
func PropertiesWith(p level.Policy, build func(level.Policy) (Assigner, error)) []affrulestest.Property {
	return properties(p, build)
}

// MachineCheck is one check of TestHistory's state machine against h.
var MachineCheck = machineCheck
