//go:build race

package invitation

// raceEnabled reports whether the race detector is on: long-running tests scale down under it.
const raceEnabled = true
