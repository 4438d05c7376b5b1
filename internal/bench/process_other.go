//go:build !linux

package bench

import (
	"syscall"
	"time"
)

// dieWithParent is Linux-only (Pdeathsig); elsewhere Stop is the only way the child ends.
func dieWithParent(*syscall.SysProcAttr) {}

// processCPU is not measured off Linux: the CPU figures stay 0.
func processCPU() time.Duration { return 0 }
