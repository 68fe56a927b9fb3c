package level

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

// NewPerformance's quick path for the usual totals gives what the full checks give: the same
// performance, or the same error, for totals of every kind (GMV of any sign, size and exponent,
// counts out of range, months outside the bounds, a capability or none).
func TestNewPerformanceQuickPath(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		market := rapid.SampledFrom([]affrules.MarketCode{affrules.UK, affrules.ID, affrules.TH}).Draw(t, "market")
		places, ok := minorUnit(market)
		if !ok {
			t.Fatalf("%s not registered", market)
		}
		m := rapid.OneOf(
			rapid.Just(affrules.NewMonth(2026, time.February)),
			rapid.Just(affrules.NewMonth(2028, time.February)),
			rapid.Just(affrules.NewMonth(1899, time.December)),
			rapid.Just(affrules.NewMonth(2200, time.January)),
			rapid.Map(rapid.Int32(), func(n int32) affrules.Month { return affrules.Month(n) }),
		).Draw(t, "month")
		coef := rapid.OneOf(rapid.Int64Range(-1000, 1_000_000), rapid.Int64(), rapid.Just(int64(1)<<60), rapid.Just(int64(1)<<60-1)).Draw(t, "coef")
		exp := rapid.OneOf(rapid.Int32Range(-6, 3), rapid.Int32Range(-40, 40), rapid.Int32()).Draw(t, "exp")
		gmv := decimal.New(coef, exp)
		if rapid.Bool().Draw(t, "big") {
			gmv = gmv.Mul(decimal.New(rapid.Int64().Draw(t, "factor"), 0))
		}
		count := func(label string) int {
			return rapid.OneOf(rapid.IntRange(-2, 40), rapid.IntRange(maxCount-2, maxCount+2), rapid.Int()).Draw(t, label)
		}
		tot := Totals{GMV: gmv, ActiveDays: count("days"), Products: count("products"), Categories: count("categories")}
		if rapid.Bool().Draw(t, "capability") {
			c := decimal.New(rapid.Int64Range(-10, 1_000_000).Draw(t, "cap"), -rapid.Int32Range(0, 8).Draw(t, "cap_places"))
			tot.Capability = &c
		}
		got, gotErr := NewPerformance(market, m, tot)
		want, wantErr := checkedPerformance(market, m, tot, places)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("error %v, want %v", gotErr, wantErr)
		}
		if got != want {
			t.Fatalf("%+v, want %+v", got, want)
		}
	})
}
