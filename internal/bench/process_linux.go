package bench

import "syscall"

// dieWithParent has the kernel kill the child when the bench process dies, however it dies.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
