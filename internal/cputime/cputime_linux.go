// Package cputime reads the CPU time this process has used, for the benchmarks' CPU per
// request: steadier than wall time on a shared machine, and blind to time spent waiting.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time (user and system) this process has used so far, all its threads.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
