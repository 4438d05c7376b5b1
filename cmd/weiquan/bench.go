package main

import (
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
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/bench"
	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/store"
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
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (server, worker, API) to this file")
	openCases := fs.Int("open-cases", 0, fmt.Sprintf("capacity instead: open N cases on timers (≤ %d), measure idle RSS/CPU and a calendar reload", bench.MaxOpenCases))
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := bench.Options{Cases: *cases, Concurrency: *conc, Timeout: *timeout}
	if err := opts.Validate(); err != nil {
		return usageError{err.Error()}
	}
	if err := loopbackOnly(*dbURL); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "weiquan-bench-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sys, err := startBenchSystem(ctx, dir, *dbURL)
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
		return runCapacity(ctx, sys, *openCases, *conc, *timeout, *asJSON, stdout)
	}
	fmt.Fprintf(stdout, "weiquan bench: %d cases at concurrency %d; store %s; embedded Temporal (SQLite, WAL); payloads encrypted\n",
		*cases, *conc, sys.st.Dialect())
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
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms\n", "submit  POST /api/v1/cases", r.IntakePerS, r.P50ms, r.P99ms)
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms\n", "decide  POST …/decision (accept)", r.DecidePerS, r.DecideP50ms, r.DecideP99ms)
	fmt.Fprintf(w, "  %-34s %8.1f/s   p50 %7.1f ms   p99 %7.1f ms\n", "ceiling start + status query", r.CeilingPerS, r.CeilingP50ms, r.CeilingP99ms)
	fmt.Fprintf(w, "  %-34s %8.1f/s\n", "ceiling decide update", r.CeilingDecidePerS)
	fmt.Fprintf(w, "  intake / ceiling %.0f %%   errors %d   202 answers %d\n", 100*r.Ratio(), r.Errors, r.Accepted202)
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", r.FirstError)
	}
}

// benchSystem is the embedded server, the store and an encrypting client of one bench run.
type benchSystem struct {
	srv    *devserver.Server
	st     *store.Store
	client client.Client
	close  func()
}

func startBenchSystem(ctx context.Context, dir, dbURL string) (*benchSystem, error) {
	srv, err := devserver.Start(ctx, devserver.Options{DataDir: dir, LogFile: filepath.Join(dir, "temporal.log")})
	if err != nil {
		return nil, err
	}
	closers := []func(){srv.Stop}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	st, dropSchema, err := benchStore(ctx, dir, dbURL)
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
	c, err := dialTemporal(ctx, config.Temporal{Address: srv.HostPort(), Namespace: srv.Namespace(),
		Payload: config.Payload{Keys: []codec.Key{k}}}, quiet)
	if err != nil {
		closeAll()
		return nil, err
	}
	closers = append(closers, c.Close)
	return &benchSystem{srv: srv, st: st, client: c, close: closeAll}, nil
}

// benchStore opens a migrated store: SQLite in dir, or a fresh schema of the PostgreSQL at
// dbURL that drop removes.
func benchStore(ctx context.Context, dir, dbURL string) (st *store.Store, drop func(), err error) {
	if dbURL == "" {
		st, err = openStore(ctx, "sqlite://"+filepath.Join(dir, "weiquan.db"), true)
		return st, func() {}, err
	}
	admin, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if err := admin.CreateSchema(ctx, schema); err != nil {
		_ = admin.Close()
		return nil, nil, err
	}
	drop = func() {
		_ = admin.DropSchema(context.Background(), schema)
		_ = admin.Close()
	}
	sep := "?"
	if strings.Contains(dbURL, "?") {
		sep = "&"
	}
	st, err = openStore(ctx, dbURL+sep+"search_path="+schema, true)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return st, drop, nil
}

// startProfile writes a CPU profile of the process to path until stop.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}

// runCapacity is `weiquan bench --open-cases N`: not part of any test run (minutes for 10,000).
func runCapacity(ctx context.Context, sys *benchSystem, n, conc int, timeout time.Duration, asJSON bool, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fmt.Fprintf(stdout, "weiquan bench: capacity with %d open cases, one worker; store %s\n", n, sys.st.Dialect())
	c, err := bench.RunCapacity(ctx, sys.client, sys.st, n, conc)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  started %.1f/s, all open after %.1f s\n  idle: RSS %.0f MB, CPU %.1f %% of a core (whole process, server included)\n",
		c.StartPerS, c.AllOpenS, c.IdleRSSMB, c.IdleCPUPct)
	fmt.Fprintf(stdout, "  calendar reload: signalled all in %.1f s, all re-armed after %.1f s; RSS %.0f MB\n", c.ReloadSignalS, c.ReloadAllS, c.AfterRSSMB)
	if asJSON {
		return json.NewEncoder(stdout).Encode(c)
	}
	return nil
}
