//go:build !race

package commission_test

// raceEnabled reports whether the race detector is on: allocation counts are not checked under it.
const raceEnabled = false
