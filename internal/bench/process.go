package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/internal/freeport"
)

// WorkerSpec is the production environment of a `weiquan worker` the capacity bench runs as a
// child process, against the bench's own Temporal server and store.
type WorkerSpec struct {
	Exe             string // the weiquan binary (os.Executable())
	DatabaseURL     string // DATABASE_URL: the bench's store (SQLite file or PostgreSQL schema)
	TemporalAddress string // TEMPORAL_ADDRESS
	Namespace       string // TEMPORAL_NAMESPACE
	PayloadKeys     string // WEIQUAN_PAYLOAD_KEYS: the bench client's key
	BlobDir         string // WEIQUAN_BLOB_DIR
	CalendarDir     string // WEIQUAN_CALENDAR_DIR: the bench writes the reload's year file here
	CacheSize       int    // WEIQUAN_WORKER_CACHE_SIZE; 0: the binary's default
	LogFile         string // the child's stdout and stderr
}

// WorkerProcess is a running `weiquan worker` child.
type WorkerProcess struct {
	cmd    *exec.Cmd
	log    string
	health string
	done   chan struct{} // closed when the child has exited
	err    error         // its exit status, once done
}

// StartWorker starts `weiquan worker` with spec's environment (every other weiquan variable
// of this process removed) and waits until its /readyz answers. The child is killed if this
// process dies (Linux); Stop ends it.
func StartWorker(ctx context.Context, spec WorkerSpec) (*WorkerProcess, error) {
	port, err := freeport.Reserve("127.0.0.1")
	if err != nil {
		return nil, err
	}
	health := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	env := map[string]string{
		"DATABASE_URL": spec.DatabaseURL, "TEMPORAL_ADDRESS": spec.TemporalAddress, "TEMPORAL_NAMESPACE": spec.Namespace,
		"WEIQUAN_PAYLOAD_KEYS": spec.PayloadKeys, "WEIQUAN_BLOB_DIR": spec.BlobDir, "WEIQUAN_CALENDAR_DIR": spec.CalendarDir,
		"WEIQUAN_HEALTH_LISTEN": health, "WEIQUAN_LOG_LEVEL": "warn", "WEIQUAN_SHUTDOWN_TIMEOUT": "5s",
	}
	if spec.CacheSize > 0 {
		env["WEIQUAN_WORKER_CACHE_SIZE"] = strconv.Itoa(spec.CacheSize)
	}
	logf, err := os.Create(spec.LogFile)
	if err != nil {
		return nil, fmt.Errorf("worker log: %w", err)
	}
	defer func() { _ = logf.Close() }() // the child writes through its own descriptor; this copy is never written
	cmd := exec.Command(spec.Exe, "worker")
	cmd.Env = childEnv(os.Environ(), env)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{}
	dieWithParent(cmd.SysProcAttr)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start weiquan worker: %w", err)
	}
	w := &WorkerProcess{cmd: cmd, log: spec.LogFile, health: "http://" + health, done: make(chan struct{})}
	go func() { w.err = cmd.Wait(); close(w.done) }()
	if err := w.waitReady(ctx, time.Minute); err != nil {
		w.Stop()
		return nil, err
	}
	return w, nil
}

// childEnv is base without any variable weiquan reads, plus set.
func childEnv(base []string, set map[string]string) []string {
	var out []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(config.Vars, k) {
			out = append(out, kv)
		}
	}
	for k, v := range set {
		out = append(out, k+"="+v)
	}
	return out
}

func (w *WorkerProcess) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	hc := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if err := w.Exited(); err != nil {
			return err
		}
		if resp, err := hc.Get(w.health + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("weiquan worker not ready within %s%s", limit, w.logTail())
}

// PID is the child's process id.
func (w *WorkerProcess) PID() int { return w.cmd.Process.Pid }

// Exited is nil while the child runs, and says how it ended (with its last log lines) after.
func (w *WorkerProcess) Exited() error {
	select {
	case <-w.done:
		return fmt.Errorf("weiquan worker exited (%v)%s", w.err, w.logTail())
	default:
		return nil
	}
}

// Stop sends SIGTERM, waits for the worker to drain (its shutdown timeout is 5 s, the SDK's
// stop timeout 10 s), then kills it.
func (w *WorkerProcess) Stop() {
	select {
	case <-w.done:
		return
	default:
	}
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.done:
	case <-time.After(20 * time.Second):
		_ = w.cmd.Process.Kill()
		<-w.done
	}
}

// logTail is the end of the child's log, for an error message.
func (w *WorkerProcess) logTail() string {
	b, err := os.ReadFile(w.log)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "; its log ends:\n" + strings.Join(lines, "\n")
}

// ProcStat is what /proc says about one process (Linux; zero elsewhere).
type ProcStat struct {
	RSSMiB  float64       // VmRSS: resident now, MiB (/proc says kB, meaning KiB)
	AnonMiB float64       // RssAnon: the part of RSS that is the process's own memory (heap, stacks), not mapped files such as the binary
	PeakMiB float64       // VmHWM: the most it has been resident
	CPU     time.Duration // utime + stime since it started
}

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100 on every Linux
// architecture Go supports.
const clockTicks = 100

// readProc reads /proc/<pid>/status and /proc/<pid>/stat; pid 0 is this process.
func readProc(pid int) (ProcStat, error) {
	dir := "/proc/self"
	if pid != 0 {
		dir = "/proc/" + strconv.Itoa(pid)
	}
	var p ProcStat
	status, err := os.ReadFile(dir + "/status")
	if err != nil {
		return p, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			p.RSSMiB = kb / 1024
		case "VmHWM:":
			p.PeakMiB = kb / 1024
		case "RssAnon:":
			p.AnonMiB = kb / 1024
		}
	}
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return p, err
	}
	// pid (comm) state ppid …: comm may hold spaces and parentheses, so count from the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return p, errors.New("unexpected /proc stat format")
	}
	f := strings.Fields(string(stat[i+1:]))
	if len(f) < 13 {
		return p, errors.New("unexpected /proc stat format")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return p, fmt.Errorf("/proc stat: %w", err)
	}
	p.CPU = time.Duration(utime+stime) * time.Second / clockTicks
	return p, nil
}
