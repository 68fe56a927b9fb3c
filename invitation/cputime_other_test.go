//go:build !unix

package invitation

import "time"

// cpuTime returns 0: the platform does not tell a process's CPU time the same way.
func cpuTime() time.Duration { return 0 }
