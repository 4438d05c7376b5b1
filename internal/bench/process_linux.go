package bench

import (
	"syscall"
	"time"
)

// dieWithParent has the kernel kill the child when the bench process dies, however it dies.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// processCPU is the CPU time (user and system) this process has used so far, all its threads:
// the embedded server, the workers, the API and the load alike.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
