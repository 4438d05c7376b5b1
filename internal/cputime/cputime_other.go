//go:build !linux

// Package cputime reads the CPU time this process has used, for the benchmarks' CPU per
// request: steadier than wall time on a shared machine, and blind to time spent waiting.
package cputime

import "time"

// Process is not measured off Linux: it is always 0, and so are the figures made of it.
func Process() time.Duration { return 0 }
