package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/internal/testenv"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// TestMain lets the test binary act as the weiquan binary: the dev-process test re-executes
// itself with WEIQUAN_TEST_RUN_MAIN=1, so no separate `go build` (and link) is needed.
func TestMain(m *testing.M) {
	if os.Getenv("WEIQUAN_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"weiquan"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// devProcess is a weiquan process the tests run from the test binary: `weiquan dev`, or the
// production `api` or `worker`.
type devProcess struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	api    string // base URL of its HTTP server: the API, or the worker's health endpoints
	tport  int
	waited chan error    // Wait's result, once
	exited chan struct{} // closed when the process has exited
}

func startDev(t *testing.T, dir string, port, tport int) *devProcess {
	t.Helper()
	p := startMain(t, []string{"dev", "--data-dir", dir, "--port", strconv.Itoa(port),
		"--temporal-port", strconv.Itoa(tport), "--ui-port", "0"}, nil, fmt.Sprintf("http://127.0.0.1:%d", port))
	p.tport = tport
	return p
}

// startMain re-executes the test binary as `weiquan args…` with env added to the test's
// environment; base is the URL of the process's /readyz. The process is killed when the test
// ends, and its output logged if the test failed.
func startMain(t *testing.T, args, env []string, base string) *devProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "WEIQUAN_TEST_RUN_MAIN=1", "WEIQUAN_LOG_LEVEL=warn"), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &devProcess{cmd: cmd, out: out, api: base, waited: make(chan error, 1), exited: make(chan struct{})}
	go func() { p.waited <- cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("output of weiquan %s (pid %d):\n%s", args[0], cmd.Process.Pid, tail(out.String(), 4000))
		}
	})
	return p
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// waitReady polls /readyz and returns how long the process took to become ready.
func (p *devProcess) waitReady(t *testing.T, since time.Time) time.Duration {
	t.Helper()
	testenv.WaitFor(t, 50*time.Millisecond, func() bool {
		select {
		case err := <-p.waited:
			t.Fatalf("weiquan %s exited early (%v):\n%s", p.cmd.Args[1], err, p.out)
		default:
		}
		resp, err := http.Get(p.api + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "weiquan %s never became ready:\n%s", p.cmd.Args[1], p.out)
	return time.Since(since)
}

// stop sends SIGTERM and expects a clean exit.
func (p *devProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.waited:
		if err != nil {
			t.Fatalf("weiquan dev exited with %v on SIGTERM:\n%s", err, p.out)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("weiquan dev did not exit within 30 s of SIGTERM:\n%s", p.out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	p, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDevRunsSurvivesRestartAndStops is the newcomer's path: `weiquan dev` becomes ready,
// serves /readyz and the console, keeps a case (workflow and record) across a restart, and
// exits cleanly on SIGTERM.
func TestDevRunsSurvivesRestartAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole system twice")
	}
	dir := t.TempDir()
	port, tport := freePort(t), freePort(t)
	started := time.Now()
	p := startDev(t, dir, port, tport)
	t.Logf("first start ready in %s", p.waitReady(t, started))
	p.waitOutput(t, "weiquan dev is ready", "--role member")
	assertConsole(t, p.api)
	number := startCase(t, dir, tport)
	p.stop(t)

	started = time.Now()
	p = startDev(t, dir, port, tport)
	t.Logf("restart ready in %s", p.waitReady(t, started))
	c := dialDev(t, dir, tport)
	resp, err := c.QueryWorkflow(context.Background(), workflows.CaseWorkflowID(number), "", workflows.StatusQuery)
	if err != nil {
		t.Fatalf("case workflow lost across restart: %v", err)
	}
	var st workflows.StatusResult
	if err := resp.Get(&st); err != nil || st.Case.Stage != article23.StageReceived || len(st.Case.Clocks) == 0 {
		t.Fatalf("status after restart: %+v, %v", st.Case, err)
	}
	p.stop(t)
	assertRecorded(t, dir, number)
}

// dialDev connects to the dev process's Temporal with the payload keys of its data dir.
func dialDev(t *testing.T, dir string, tport int) client.Client {
	t.Helper()
	opts := client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", tport)}
	p, err := ensureDevPayloadKeys(dir)
	if err == nil {
		err = encryptPayloads(&opts, p)
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// startCase starts a case workflow directly and waits until its first event is recorded.
func startCase(t *testing.T, dir string, tport int) string {
	t.Helper()
	c := dialDev(t, dir, tport)
	number := "BJ-2026-9001"
	in := workflows.CaseInput{Version: workflows.CaseInputVersion, Case: article23.Case{
		Number: number, Institute: "BJ", ReceivedOn: time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"),
		Applicant: article23.Applicant{MemberNo: "110000000001", Name: "王会计师", Kind: article23.MemberPractising},
		Channel:   article23.ChannelOnline, Policy: article23.DefaultPolicy(), Summary: "前所在事务所拖欠三个月工资",
		SubmittedBy: article23.Actor{ID: "member@BJ/110000000001", Role: article23.RoleMember, Institute: "BJ", MemberNo: "110000000001"},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.CaseWorkflowID(number), TaskQueue: workflows.TaskQueue}, workflows.CaseWorkflow, in)
	if err != nil {
		t.Fatal(err)
	}
	for ctx.Err() == nil {
		resp, err := c.QueryWorkflow(ctx, workflows.CaseWorkflowID(number), "", workflows.StatusQuery)
		var st workflows.StatusResult
		if err == nil && resp.Get(&st) == nil && len(st.Case.Clocks) > 0 {
			return number
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("case workflow did not start its clocks")
	return ""
}

// assertRecorded opens the dev database after the process exited and finds the case.
func assertRecorded(t *testing.T, dir, number string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "weiquan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.Case(ctx, number)
	if err != nil {
		t.Fatalf("case %s not in the store: %v", number, err)
	}
	if len(v.Events) == 0 || v.Events[0].Type != article23.EventReceived {
		t.Fatalf("events %+v", v.Events)
	}
}

// assertConsole checks the console is served beside the API: the development sign-in page.
func assertConsole(t *testing.T, base string) {
	t.Helper()
	resp, err := http.Get(base + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<form") || !strings.Contains(string(body), "BJ") {
		t.Fatalf("GET /signin: %d\n%s", resp.StatusCode, body)
	}
}

// syncBuffer collects a child's output; exec copies into it from its own goroutine while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitOutput waits until the process has printed every one of want: output reaches the
// buffer through a pipe, a moment after the process wrote it.
func (p *devProcess) waitOutput(t *testing.T, want ...string) {
	t.Helper()
	testenv.WaitFor(t, 20*time.Millisecond, func() bool {
		out := p.out.String()
		for _, w := range want {
			if !strings.Contains(out, w) {
				return false
			}
		}
		return true
	}, "weiquan dev never printed all of %q:\n%s", want, p.out) // p.out formats as what was printed by then
}

// requireLetterFonts skips a test that runs a `weiquan worker` child, which refuses to start
// without the letters' default fonts (production makes them mandatory; the children get no
// WEIQUAN_FONT), on a machine that lacks them; under CI=true it fails instead, since .ci/run
// installs them.
func requireLetterFonts(t *testing.T) {
	t.Helper()
	for _, path := range []string{config.DefaultFont, config.DefaultLatinFont} {
		if _, err := os.Stat(path); err != nil {
			testenv.Missing(t, "weiquan worker needs %s: apt-get install -y fonts-droid-fallback fonts-dejavu-core", path)
		}
	}
}
