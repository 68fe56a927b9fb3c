// Package codeindex turns a market code of two capital letters, as every market the seeds name
// has, into a small integer, so that an evaluator finds a market's data by indexing an array
// instead of hashing the code on every call.
package codeindex

import "github.com/affrules/affrules"

// Size is the number of indexes [Of] returns: an array of this length holds one entry per code.
const Size = 26 * 26

// Of returns the index of m in [0, Size) and true if m is two capital letters A–Z, else false:
// a caller looks other codes up another way.
func Of(m affrules.MarketCode) (int, bool) {
	if len(m) != 2 || m[0]-'A' >= 26 || m[1]-'A' >= 26 {
		return 0, false
	}
	return int(m[0]-'A')*26 + int(m[1]-'A'), true
}
