package sampletest_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/affrules/affrules/affrulestest"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/sample/sampletest"
)

// Sales refuses the zero Purchase, naming it, instead of drawing sales in year 1.
func TestSalesRefusesZeroPurchase(t *testing.T) {
	affrulestest.MustFail(t, affrulestest.Property{Name: "sales", Check: func(t *rapid.T) {
		sampletest.Sales(sample.DefaultPolicy(), sample.Purchase{}).Draw(t, "sales")
	}}, "sampletest.Sales: purchase at 0001-01-01T00:00:00Z")
}
