package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/internal/bench"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/telemetry"
	"github.com/cicpa/weiquan/worker"
)

// runBench is `weiquan bench`: a bounded load on a system of its own (an embedded Temporal
// server and a store in a temp dir, or a fresh schema of a loopback PostgreSQL), printing
// throughput and latency of intake against the ceiling; with --json the last line is JSON.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	cases := fs.Int("cases", 200, fmt.Sprintf("cases to submit and accept (≤ %d)", bench.MaxCases))
	conc := fs.Int("concurrency", 16, fmt.Sprintf("requests in flight (≤ %d)", bench.MaxConcurrency))
	asJSON := fs.Bool("json", false, "end with one line of JSON figures")
	dbURL := fs.String("database-url", "", "postgres://… on 127.0.0.1 for the store (a fresh schema, dropped after); default SQLite")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process to the file: server, worker and API for intake; server and client only with --open-cases (the worker runs as its own process)")
	phaseProfiles := fs.String("phase-profiles", "", "write a CPU profile of each measured phase to this directory: intake.pprof, decide.pprof, ceiling-intake.pprof, ceiling-decide.pprof (not with --cpuprofile)")
	openCases := fs.Int("open-cases", 0, fmt.Sprintf("capacity instead: open N cases on timers (≤ %d) held by a `weiquan worker` child, measure idle RSS/CPU and a calendar reload", bench.MaxOpenCases))
	cacheSize := fs.Int("worker-cache-size", 0, "capacity: the child worker's WEIQUAN_WORKER_CACHE_SIZE (0: its default)")
	idle := fs.Duration("idle", 10*time.Second, "capacity: how long to measure both processes at idle")
	sdkMetrics := fs.Bool("sdk-metrics", true, "the Temporal SDK's metrics on the client and worker, as in production; false measures without them")
	workers := fs.Int("workers", 1, fmt.Sprintf("case workers polling (and as many for the ceiling), each with its own cache and sticky queue (≤ %d)", bench.MaxWorkers))
	temporalURL := fs.String("temporal-database-url", "", "postgres://… on 127.0.0.1: persist the embedded Temporal server in fresh PostgreSQL databases (4 history shards, dropped after), as production does; default SQLite")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := bench.Options{Cases: *cases, Concurrency: *conc, Timeout: *timeout, Workers: *workers}
	if err := opts.Validate(); err != nil {
		return usageError{err.Error()}
	}
	if *phaseProfiles != "" {
		if *cpuProfile != "" || *openCases > 0 {
			return usageError{"--phase-profiles: not with --cpuprofile or --open-cases (one CPU profile runs at a time)"}
		}
		if err := os.MkdirAll(*phaseProfiles, 0o750); err != nil {
			return fmt.Errorf("--phase-profiles: %w", err)
		}
		opts.Profile = func(phase string) (func(), error) {
			return startProfile(filepath.Join(*phaseProfiles, phase+".pprof"))
		}
	}
	if *workers < 1 {
		return usageError{fmt.Sprintf("--workers: want 1…%d, got %d", bench.MaxWorkers, *workers)}
	}
	for _, u := range []string{*dbURL, *temporalURL} {
		if err := loopbackOnly(u); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "weiquan-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sys, err := startBenchSystem(ctx, dir, *dbURL, *temporalURL, *sdkMetrics)
	if err != nil {
		return err
	}
	defer sys.close()
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *openCases > 0 {
		return runCapacity(ctx, sys, capacityRun{cases: *openCases, conc: *conc, cacheSize: *cacheSize, idle: *idle,
			timeout: *timeout, asJSON: *asJSON}, stdout)
	}
	fmt.Fprintf(stdout, "weiquan bench: %d cases at concurrency %d; store %s; embedded Temporal (%s); %d case worker(s); payloads encrypted; SDK metrics %s\n",
		*cases, *conc, sys.st.Dialect(), sys.temporalStore, *workers, onOff(*sdkMetrics))
	res, err := bench.Run(ctx, sys.client, sys.st, opts)
	if err != nil {
		return err
	}
	printBench(stdout, res)
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	return nil
}

// loopbackOnly refuses a database that is not on this machine: the bench writes to it.
func loopbackOnly(dsn string) error {
	if dsn == "" {
		return nil
	}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return usageError{"--database-url: want postgres://…@127.0.0.1…"}
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return usageError{fmt.Sprintf("--database-url: the bench only runs against a loopback database, not %s", u.Hostname())}
	}
	return nil
}

func printBench(w io.Writer, r bench.Result) {
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms   CPU %5.2f ms\n", "submit  POST /api/v1/cases", r.IntakePerS, r.P50ms, r.P99ms, r.IntakeCPUms)
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms   CPU %5.2f ms\n", "decide  POST …/decision (accept)", r.DecidePerS, r.DecideP50ms, r.DecideP99ms, r.DecideCPUms)
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms   CPU %5.2f ms\n", "ceiling start + status query", r.CeilingPerS, r.CeilingP50ms, r.CeilingP99ms, r.CeilingCPUms)
	fmt.Fprintf(w, "  %-34s %8.1f/s   %35s CPU %5.2f ms\n", "ceiling decide update", r.CeilingDecidePerS, "", r.CeilingDecideCPUms)
	fmt.Fprintf(w, "  intake / ceiling %.0f %%   errors %d   202 answers %d\n", 100*r.Ratio(), r.Errors, r.Accepted202)
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", r.FirstError)
	}
}

// benchSystem is the embedded server, the store and an encrypting client of one bench run,
// with what a worker child needs to join them.
type benchSystem struct {
	srv    *devserver.Server
	st     *store.Store
	client client.Client
	close  func()
	dir    string    // the run's temp dir
	dsn    string    // the store's DATABASE_URL
	key    codec.Key // the payload key of client
	// temporalStore says where the server persists: "SQLite, WAL" or "PostgreSQL, 4 shards"
	temporalStore string
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func startBenchSystem(ctx context.Context, dir, dbURL, temporalURL string, sdkMetrics bool) (*benchSystem, error) {
	opts, where := devserver.Options{DataDir: dir, LogFile: filepath.Join(dir, "temporal.log")}, "SQLite, WAL"
	if temporalURL != "" {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		opts.Postgres = &devserver.Postgres{URL: temporalURL, Database: "bench_temporal_" + hex.EncodeToString(b)}
		where = "PostgreSQL, 4 history shards"
	}
	srv, err := devserver.Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	closers := []func(){}
	if p := opts.Postgres; p != nil {
		closers = append(closers, func() { _ = devserver.DropPostgres(*p) })
	}
	closers = append(closers, srv.Stop)
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	st, dsn, dropSchema, err := benchStore(ctx, dir, dbURL)
	if err != nil {
		closeAll()
		return nil, err
	}
	closers = append(closers, dropSchema, func() { _ = st.Close() })
	k, err := codec.NewKey("bench")
	if err != nil {
		closeAll()
		return nil, err
	}
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var metrics client.MetricsHandler
	if sdkMetrics {
		if metrics, err = telemetry.SDKMetrics(telemetry.NewRegistry(), quiet); err != nil {
			closeAll()
			return nil, err
		}
	}
	c, err := dialTemporal(ctx, config.Temporal{Address: srv.HostPort(), Namespace: srv.Namespace(),
		Payload: config.Payload{Keys: []codec.Key{k}}}, quiet, metrics)
	if err != nil {
		closeAll()
		return nil, err
	}
	closers = append(closers, c.Close)
	// as a production worker does before it polls (a server on SQLite has them from its start)
	if _, err := worker.EnsureSearchAttributes(ctx, c, srv.Namespace()); err != nil {
		closeAll()
		return nil, err
	}
	return &benchSystem{srv: srv, st: st, client: c, close: closeAll, dir: dir, dsn: dsn, key: k, temporalStore: where}, nil
}

// benchStore opens a migrated store: SQLite in dir, or a fresh schema of the PostgreSQL at
// dbURL that drop removes. dsn reaches the same database from another process.
func benchStore(ctx context.Context, dir, dbURL string) (st *store.Store, dsn string, drop func(), err error) {
	if dbURL == "" {
		dsn = "sqlite://" + filepath.Join(dir, "weiquan.db")
		st, err = openStore(ctx, dsn, true)
		return st, dsn, func() {}, err
	}
	admin, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, "", nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if err := admin.CreateSchema(ctx, schema); err != nil {
		_ = admin.Close()
		return nil, "", nil, err
	}
	drop = func() {
		_ = admin.DropSchema(context.Background(), schema)
		_ = admin.Close()
	}
	sep := "?"
	if strings.Contains(dbURL, "?") {
		sep = "&"
	}
	dsn = dbURL + sep + "search_path=" + schema
	st, err = openStore(ctx, dsn, true)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return st, dsn, drop, nil
}

// startProfile writes a CPU profile of the process to path until stop.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("CPU profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}

// capacityRun is the flags of `weiquan bench --open-cases N`.
type capacityRun struct {
	cases, conc, cacheSize int
	idle, timeout          time.Duration
	asJSON                 bool
}

// runCapacity is `weiquan bench --open-cases N`: the cases are held by a `weiquan worker`
// child (this binary, production environment) against the bench's server and store, so the
// worker is measured on its own. Not part of any test run at scale (minutes for 10,000).
func runCapacity(ctx context.Context, sys *benchSystem, o capacityRun, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("the weiquan binary for the worker child: %w", err)
	}
	calDir := filepath.Join(sys.dir, "calendar")
	if err := os.MkdirAll(calDir, 0o750); err != nil {
		return err
	}
	w, err := bench.StartWorker(ctx, bench.WorkerSpec{Exe: exe, DatabaseURL: sys.dsn,
		TemporalAddress: sys.srv.HostPort(), Namespace: sys.srv.Namespace(), PayloadKeys: sys.key.String(),
		BlobDir: filepath.Join(sys.dir, "blobs"), CalendarDir: calDir, CacheSize: o.cacheSize,
		LogFile: filepath.Join(sys.dir, "worker.log")})
	if err != nil {
		return err
	}
	defer w.Stop()
	cacheSize := cmp.Or(o.cacheSize, worker.DefaultCacheSize)
	cache := strconv.Itoa(cacheSize)
	fmt.Fprintf(stdout, "weiquan bench: capacity with %d open cases held by one `weiquan worker` (pid %d, workflow cache %s); store %s\n",
		o.cases, w.PID(), cache, sys.st.Dialect())
	c, err := bench.RunCapacity(ctx, sys.client, sys.st, bench.CapacityOptions{Cases: o.cases, Concurrency: o.conc,
		Idle: o.idle, Worker: w, CalendarDir: calDir, CacheSize: cacheSize})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  started %.1f/s, all open after %.1f s, notifications settled %.1f s later (%d still pending)\n",
		c.StartPerS, c.AllOpenS, c.OutboxSettledS, c.OutboxPending)
	fmt.Fprintf(stdout, "  calendar reload: signalled all in %.1f s, all re-armed after %.1f s\n", c.ReloadSignalS, c.ReloadAllS)
	fmt.Fprintf(stdout, "  re-arm ceiling (no-op timer workflows, same server, before the cases): signalled in %.1f s, all re-armed after %.1f s (the cases re-armed at %.0f %% of its rate)\n",
		c.CeilingReloadSignalS, c.CeilingReloadAllS, 100*c.CeilingReloadAllS/c.ReloadAllS)
	fmt.Fprintf(stdout, "  %-14s %9s %9s %9s %9s %10s %10s %10s\n", "process", "idle RSS", "idle anon", "idle peak", "idle CPU", "open CPU", "reload CPU", "after RSS")
	for _, p := range []struct {
		name string
		f    bench.Figures
	}{{"worker", c.Worker}, {"bench (server)", c.Server}} {
		fmt.Fprintf(stdout, "  %-14s %5.0f MiB %5.0f MiB %5.0f MiB %7.1f %% %8.1f s %8.1f s %6.0f MiB\n",
			p.name, p.f.IdleRSSMiB, p.f.IdleAnonMiB, p.f.IdlePeakMiB, p.f.IdleCPUPct, p.f.OpenCPUS, p.f.ReloadCPUS, p.f.AfterRSSMiB)
	}
	if o.asJSON {
		return json.NewEncoder(stdout).Encode(c)
	}
	return nil
}
