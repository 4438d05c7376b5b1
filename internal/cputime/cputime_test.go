package cputime

import (
	"runtime"
	"testing"
)

// TestProcessCountsWork: on Linux, work done between two readings is counted.
func TestProcessCountsWork(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measured on Linux only")
	}
	before := Process()
	x := 0
	for i := range 50_000_000 {
		x ^= i * i
	}
	after := Process()
	if after <= before || before <= 0 {
		t.Fatalf("CPU time %v then %v (work %d): not counted", before, after, x)
	}
}
