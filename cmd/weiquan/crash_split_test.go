package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/codec"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestCrashKill9APIAndWorker is TestCrashKill9UnderLoad for the production processes: the
// test hosts the Temporal server and the database, and runs `weiquan api` and `weiquan
// worker` as processes of their own on the production configuration. Each of them is killed
// with SIGKILL twice at random points of the same retrying load and restarted up to 2 s
// later. While the API is dead the clients' connections fail; while the worker is dead a
// submission waits and may answer 202 (started, deadline not yet computed), and an action
// waits or answers 404 (its case not yet recorded). Every request is retried with its
// Idempotency-Key until it is answered. Then every request has exactly one case, store and
// workflows agree on the stage its actions imply, and every event log is gapless, each event
// once.
//
// The database is a fresh schema of the PostgreSQL suite's server when
// WEIQUAN_TEST_DATABASE_URL is set, else a SQLite file both processes open.
func TestCrashKill9APIAndWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the API and the worker")
	}
	requireLetterFonts(t)
	const cases, clients, kills = 20, 4, 4
	rng := seededRand(t)
	dir := t.TempDir()
	sys := startSplit(t, dir, crashDatabase(t, dir))
	cfg, procs, start := sys.cfg, sys.procs, sys.start

	// each process is killed twice, in an order drawn from the seed
	victims := []string{"api", "api", "worker", "worker"}
	rng.Shuffle(len(victims), func(i, j int) { victims[i], victims[j] = victims[j], victims[i] })
	load := newCrashLoad(cfg.SigningKey, cases, "http://"+cfg.Listen)
	ctx, cancel := context.WithTimeout(t.Context(), 80*time.Second)
	defer cancel()
	done := make(chan struct{})
	began := time.Now()
	go func() { defer close(done); load.run(ctx, clients) }()
	load.killDuring(ctx, rng, kills, func(k int) {
		name, answered := victims[k], load.answered()
		if err := procs[name].cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-procs[name].exited
		down := time.Duration(rng.IntN(2000)) * time.Millisecond // as long as a supervisor might take
		time.Sleep(down)
		restarted := time.Now()
		procs[name] = start[name]()
		t.Logf("kill %d: %s after %d of %d requests answered; restarted %s later, ready in %s", k+1, name, answered, load.total(),
			down, procs[name].waitReady(t, restarted).Round(time.Millisecond))
	})
	<-done
	load.check(t, ctx.Err())
	t.Logf("every request answered after %s", time.Since(began).Round(time.Millisecond))

	sys.converge(t, load)
	t.Logf("converged %s after the load began", time.Since(began).Round(time.Millisecond))
}

// splitSystem is weiquan as production runs it, for one test: an embedded Temporal server,
// the schema migrated by `weiquan migrate`, and `weiquan api` and `weiquan worker` as child
// processes (this test binary re-executed) on the production configuration.
type splitSystem struct {
	cfg   config.Config                 // the first API's configuration
	apis  []string                      // every API's base URL, "http://host:port"
	procs map[string]*devProcess        // "api", "worker" (and "api2", "worker2", …): the running processes
	start map[string]func() *devProcess // starts a process again on the same configuration
}

// topology is how many of each process a splitSystem runs and on what.
type topology struct {
	apis, workers int
	// temporal persists the Temporal server in PostgreSQL when set, else in memory (SQLite).
	temporal *devserver.Postgres
	env      map[string]string // added to every process's environment
}

// processName is "api" for the first API, "api2" for the second, and so on.
func processName(kind string, i int) string {
	if i == 0 {
		return kind
	}
	return kind + strconv.Itoa(i+1)
}

// startSplit starts one API and one worker on databaseURL and waits until both are ready.
func startSplit(t *testing.T, dir, databaseURL string) *splitSystem {
	t.Helper()
	return startTopology(t, dir, databaseURL, topology{apis: 1, workers: 1})
}

// startTopology starts the processes of top on databaseURL and waits until all are ready.
func startTopology(t *testing.T, dir, databaseURL string, top topology) *splitSystem {
	t.Helper()
	srv, err := devserver.Start(t.Context(), devserver.Options{LogFile: filepath.Join(dir, "temporal.log"), Postgres: top.temporal})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop) // after the processes: cleanups run last first
	signing := make([]byte, 32)
	_, _ = rand.Read(signing)
	payloadKey, err := codec.NewKey("crash1")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"DATABASE_URL":         databaseURL,
		"TEMPORAL_ADDRESS":     srv.HostPort(),
		"TEMPORAL_NAMESPACE":   srv.Namespace(),
		"WEIQUAN_SIGNING_KEY":  hex.EncodeToString(signing),
		"WEIQUAN_PAYLOAD_KEYS": payloadKey.String(),
		"WEIQUAN_BLOB_DIR":     filepath.Join(dir, "blobs"),
	}
	maps.Copy(env, top.env)
	sys := &splitSystem{procs: map[string]*devProcess{}, start: map[string]func() *devProcess{}}
	for _, p := range []struct {
		kind, listenVar string
		n               int
	}{{"api", "WEIQUAN_LISTEN", top.apis}, {"worker", "WEIQUAN_HEALTH_LISTEN", top.workers}} {
		for i := range p.n {
			addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
			own := maps.Clone(env)
			own[p.listenVar] = addr
			if i == 0 {
				env[p.listenVar] = addr // the first of each in cfg
			}
			var envList []string
			for k, v := range own {
				envList = append(envList, k+"="+v)
			}
			args := []string{p.kind}
			sys.start[processName(p.kind, i)] = func() *devProcess { return startMain(t, args, envList, "http://"+addr) }
			if p.kind == "api" {
				sys.apis = append(sys.apis, "http://"+addr)
			}
		}
	}
	if sys.cfg, err = config.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer // the production schema step, in process
	if err := run(t.Context(), []string{"migrate", "--database-url", sys.cfg.DatabaseURL}, &out, &errb); err != nil {
		t.Fatalf("weiquan migrate: %v\n%s", err, errb.String())
	}
	for name, start := range sys.start {
		sys.procs[name] = start()
	}
	for _, p := range sys.procs {
		p.waitReady(t, time.Now())
	}
	return sys
}

// converge waits until the store and the workflows agree on every case of load
// (checkConverged), reading the system's own database and Temporal.
func (sys *splitSystem) converge(t *testing.T, load *crashLoad) {
	t.Helper()
	st, err := store.Open(t.Context(), sys.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := dialTemporal(t.Context(), sys.cfg.Temporal, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	checkConverged(t, st, c, load)
}

// crashDatabase returns the DATABASE_URL api and worker share: a fresh schema (dropped when
// the test ends) on the server of WEIQUAN_TEST_DATABASE_URL, as storetest.Postgres makes,
// or else a SQLite file in dir.
func crashDatabase(t *testing.T, dir string) string {
	t.Helper()
	url := storetest.PostgresURL()
	if url == "" {
		t.Log("database: a SQLite file (set WEIQUAN_TEST_DATABASE_URL for PostgreSQL)")
		return "sqlite://" + filepath.Join(dir, "weiquan.db")
	}
	admin, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "crash_" + hex.EncodeToString(b)
	if err := admin.CreateSchema(t.Context(), schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = admin.DropSchema(context.Background(), schema)
		_ = admin.Close()
	})
	t.Logf("database: PostgreSQL schema %s", schema)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}
