//go:build !linux

package bench

import "syscall"

// dieWithParent is Linux-only (Pdeathsig); elsewhere Stop is the only way the child ends.
func dieWithParent(*syscall.SysProcAttr) {}
