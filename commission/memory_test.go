package commission_test

import (
	"testing"

	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/commission/commissiontest"
)

func TestOfferMemoryConformance(t *testing.T) {
	commissiontest.TestOffers(t, func(t *testing.T) commission.OfferStore { return commission.NewOfferMemory() })
}

// The zero OfferMemory is a store ready for use.
func TestZeroOfferMemoryConformance(t *testing.T) {
	commissiontest.TestOffers(t, func(t *testing.T) commission.OfferStore { return new(commission.OfferMemory) })
}

func TestRecordMemoryConformance(t *testing.T) {
	commissiontest.TestRecords(t, func(t *testing.T) commission.RecordStore { return commission.NewRecordMemory() })
}

// The zero RecordMemory is a store ready for use.
func TestZeroRecordMemoryConformance(t *testing.T) {
	commissiontest.TestRecords(t, func(t *testing.T) commission.RecordStore { return new(commission.RecordMemory) })
}
