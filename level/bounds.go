package level

import (
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// The months this package takes from a caller: those of the years of the library's instants,
// 1900 to 2199 ([bounds.MinInstant], [bounds.MaxInstant]). A month outside, such as
// affrules.NewMonth(200000000, time.January), which wraps to a negative year, is an error wherever
// a month comes in, so no record, performance or aggregation is ever made for one.
var (
	minMonth = affrules.NewMonth(bounds.MinInstant.Year(), time.January)
	maxMonth = affrules.NewMonth(bounds.MaxInstant.Year(), time.January) - 1
)

// monthInRange reports whether m is in [minMonth, maxMonth].
func monthInRange(m affrules.Month) bool { return minMonth <= m && m <= maxMonth }

// checkMonth returns a FieldError naming field if m is outside [minMonth, maxMonth], and nil
// otherwise. It allocates nothing unless it returns an error.
func checkMonth(field string, m affrules.Month) error {
	if monthInRange(m) {
		return nil
	}
	return fielderr.New(pkg, field, m, "must be a month of the years %d to %d: %w",
		bounds.MinInstant.Year(), bounds.MaxInstant.Year()-1, affrules.ErrOutOfRange)
}

// checkKey returns nil for a valid History key, and otherwise every problem of it, each a
// FieldError whose field is prefix followed by "market", "creator" or "month": an empty market, a
// creator that is not an identifier every store holds as given (bounds.IDOK: not empty, at most
// 256 bytes of UTF-8 without ASCII control characters), or a month out of range. It allocates nothing
// for a valid key.
func checkKey(prefix string, market affrules.MarketCode, creator string, m affrules.Month) error {
	if market != "" && bounds.IDOK(creator) && monthInRange(m) {
		return nil
	}
	l := fielderr.For(pkg)
	if market == "" {
		l.Add(prefix+"market", market, "must not be empty")
	}
	l.Append(bounds.ID(pkg, prefix+"creator", creator))
	l.Append(checkMonth(prefix+"month", m))
	return l.Err()
}
