package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/internal/bench"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestBenchSmall runs `weiquan bench` small and in-process: every request succeeds and the
// figures are sane, and each phase wrote its CPU profile. No timing is asserted;
// docs/BENCHMARKS.md holds the measurements.
func TestBenchSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded server and drives 20 cases")
	}
	var out, errb bytes.Buffer
	profiles := t.TempDir()
	err := run(t.Context(), []string{"bench", "--cases", "20", "--concurrency", "4", "--json", "--phase-profiles", profiles}, &out, &errb)
	if err != nil {
		t.Fatalf("bench: %v\n%s\n%s", err, out.String(), errb.String())
	}
	t.Log(out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var r bench.Result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	if r.Errors != 0 || r.Cases != 20 || r.IntakePerS <= 0 || r.CeilingPerS <= 0 || r.DecidePerS <= 0 {
		t.Fatalf("figures %+v", r)
	}
	if r.P50ms <= 0 || r.P50ms > r.P99ms || r.CeilingP50ms > r.CeilingP99ms {
		t.Fatalf("percentiles out of order: %+v", r)
	}
	if runtime.GOOS == "linux" && (r.IntakeCPUms <= 0 || r.DecideCPUms <= 0 || r.CeilingCPUms <= 0 || r.CeilingDecideCPUms <= 0) {
		t.Fatalf("a phase used no CPU: %+v", r)
	}
	for _, phase := range []string{bench.PhaseIntake, bench.PhaseDecide, bench.PhaseCeilingIntake, bench.PhaseCeilingDecide} {
		f, err := os.Open(filepath.Join(profiles, phase+".pprof"))
		if err != nil {
			t.Fatalf("phase %s: %v", phase, err)
		}
		z, err := gzip.NewReader(f) // a CPU profile is gzipped protobuf
		if err == nil {
			var n int64
			n, err = io.Copy(io.Discard, z)
			if err == nil && n == 0 {
				err = errors.New("empty")
			}
		}
		f.Close()
		if err != nil {
			t.Errorf("phase %s: not a profile: %v", phase, err)
		}
	}
}

// TestCapacitySmall runs `weiquan bench --open-cases` small: 20 cases held by a real
// `weiquan worker` child (this test binary, re-executed) whose cache of 5 workflows makes
// most tasks replay, a calendar reload through the shared directory, the re-arm ceiling of
// 20 no-op timer workflows, and figures for both processes. No timing is asserted.
func TestCapacitySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded server and a worker process")
	}
	requireLetterFonts(t)
	t.Setenv("WEIQUAN_TEST_RUN_MAIN", "1") // for the child: TestMain runs main
	var out, errb bytes.Buffer
	err := run(t.Context(), []string{"bench", "--open-cases", "20", "--concurrency", "4", "--worker-cache-size", "5",
		"--idle", "2s", "--timeout", "2m", "--json"}, &out, &errb)
	if err != nil {
		t.Fatalf("bench: %v\n%s\n%s", err, out.String(), errb.String())
	}
	t.Log(out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var c bench.Capacity
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &c); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	if c.Cases != 20 || c.AllOpenS <= 0 || c.ReloadAllS <= 0 || c.OutboxPending != 0 {
		t.Fatalf("figures %+v", c)
	}
	if c.CeilingReloadSignalS <= 0 || c.CeilingReloadAllS < c.CeilingReloadSignalS {
		t.Fatalf("re-arm ceiling: signalled in %v s, all re-armed after %v s", c.CeilingReloadSignalS, c.CeilingReloadAllS)
	}
	for name, f := range map[string]bench.Figures{"worker": c.Worker, "bench process": c.Server} {
		if f.IdleRSSMiB <= 0 || f.IdlePeakMiB < f.IdleRSSMiB || f.AfterPeakMiB < f.IdlePeakMiB || f.OpenCPUS <= 0 || f.ReloadCPUS <= 0 {
			t.Errorf("%s: %+v", name, f)
		}
	}
	if c.Worker.IdleRSSMiB >= c.Server.IdleRSSMiB {
		t.Errorf("the worker (%.0f MiB) holds as much as the process with the server (%.0f MiB): is it measuring itself?",
			c.Worker.IdleRSSMiB, c.Server.IdleRSSMiB)
	}
}

// TestBenchTwoWorkersOnPostgres runs the bench small on the production persistence: the
// Temporal server and the store both in PostgreSQL, two case workers polling.
func TestBenchTwoWorkersOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Temporal server on PostgreSQL and drives 20 cases")
	}
	pg := storetest.PostgresURL()
	if pg == "" {
		t.Skip("needs PostgreSQL: set WEIQUAN_TEST_DATABASE_URL (the PostgreSQL suite of .ci/run does)")
	}
	var out, errb bytes.Buffer
	err := run(t.Context(), []string{"bench", "--cases", "20", "--concurrency", "4", "--workers", "2",
		"--database-url", pg, "--temporal-database-url", pg, "--json"}, &out, &errb)
	if err != nil {
		t.Fatalf("bench: %v\n%s\n%s", err, out.String(), errb.String())
	}
	t.Log(out.String())
	if !strings.Contains(out.String(), "embedded Temporal (PostgreSQL, 4 history shards); 2 case worker(s)") {
		t.Errorf("the bench does not say it ran on PostgreSQL with two workers:\n%s", out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var r bench.Result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		t.Fatalf("last line is not JSON: %v", err)
	}
	if r.Errors != 0 || r.Cases != 20 || r.IntakePerS <= 0 || r.CeilingPerS <= 0 || r.DecidePerS <= 0 {
		t.Fatalf("figures %+v", r)
	}
}

func TestBenchRefusesRemoteDatabaseAndHugeRuns(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--database-url", "postgres://postgres@db.example.org:5432/x"},
		{"bench", "--cases", "1000000"},
		{"bench", "--temporal-database-url", "postgres://postgres@db.example.org:5432/"},
		{"bench", "--workers", "0"},
		{"bench", "--workers", "9"},
		{"bench", "--phase-profiles", t.TempDir(), "--cpuprofile", filepath.Join(t.TempDir(), "cpu.pprof")},
		{"bench", "--phase-profiles", t.TempDir(), "--open-cases", "5"},
	} {
		var out, errb bytes.Buffer
		if err := run(t.Context(), args, &out, &errb); err == nil {
			t.Errorf("%v ran", args)
		}
	}
}
