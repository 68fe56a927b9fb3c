package level

import (
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// pkg names this package in its errors.
const pkg = "level"

// Level is a creator level, L0 (lowest) to L8 (LVL-1). The zero value is L0. It marshals to
// JSON as "L0" … "L8".
type Level uint8

// The nine levels (LVL-1).
const (
	L0 Level = iota
	L1
	L2
	L3
	L4
	L5
	L6
	L7
	L8
)

// numLevels is the number of levels above L0, each with its own thresholds (LVL-2).
const numLevels = int(L8)

var levelNames = enum.Names[Level]{"L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"}

// Valid reports whether l is one of L0 … L8.
func (l Level) Valid() bool { return l <= L8 }

// String returns "L0" … "L8", or "Level(n)" for a value out of range.
func (l Level) String() string { return levelNames.String("Level", l) }

// MarshalText returns "L0" … "L8", or an error for a level out of range.
func (l Level) MarshalText() ([]byte, error) {
	if b, ok := levelNames.Text(l); ok {
		return b, nil
	}
	return nil, errLevelRange("level", l)
}

// UnmarshalText parses "L0" … "L8".
func (l *Level) UnmarshalText(b []byte) error {
	v, ok := levelNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "level", strconv.Quote(string(b)), "must be one of L0 … L8 (LVL-1)")
	}
	*l = v
	return nil
}

// errLevelRange reports level l, named field, out of range (LVL-1).
func errLevelRange(field string, l Level) error {
	return fielderr.New(pkg, field, int(l), "must be between L0 and L8 (LVL-1): %w", affrules.ErrOutOfRange)
}
