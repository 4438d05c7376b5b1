package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/telemetry"
	"github.com/cicpa/weiquan/worker"
)

// newLogger returns the process logger: JSON to stderr at the configured level.
func newLogger(level string, w *os.File) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// loadCalendar returns the embedded calendar with the year files of dir (if any) applied.
func loadCalendar(dir string) (*calendar.Calendar, error) {
	cal, err := calendar.Embedded()
	if err != nil {
		return nil, fmt.Errorf("embedded calendar: %w", err)
	}
	if dir == "" {
		return cal, nil
	}
	cal, err = cal.WithDir(dir)
	if err != nil {
		return nil, fmt.Errorf("WEIQUAN_CALENDAR_DIR: %w", err)
	}
	return cal, nil
}

// openStore connects to the database; migrate applies the schema (dev), otherwise the
// schema must already be current (production runs `weiquan migrate` first).
func openStore(ctx context.Context, dsn string, migrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if migrate {
		err = st.Migrate(ctx)
	} else {
		err = schemaCurrent(ctx, st)
	}
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	return st, nil
}

// logSupersessions logs each time the store replaces events a discarded workflow task
// recorded with those of the task that replaced it (store.Record): the log is right again,
// and the replaced events stay in superseded_events for whoever wants to see what was sent.
func logSupersessions(st *store.Store, log *slog.Logger) {
	st.OnSupersede(func(s store.Supersession) {
		log.Warn("case events of a discarded workflow task superseded by the task that replaced it",
			"case", s.Case, "from_seq", s.FromSeq, "events", s.Events, "task_event", s.By.Event)
	})
}

func schemaCurrent(ctx context.Context, st *store.Store) error {
	want, err := store.Migrations(st.Dialect())
	if err != nil {
		return err
	}
	applied, err := st.AppliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: read the schema version: %w", err)
	}
	if len(applied) < len(want) {
		return fmt.Errorf("DATABASE_URL: schema has %d of %d migrations; run `weiquan migrate` first", len(applied), len(want))
	}
	return nil
}

// newSDKMetrics is the Temporal SDK's metrics handler on reg. With failures set it starts
// weiquan_record_failures_total at 0 (the worker's): increase() then sees the first failure.
func newSDKMetrics(reg *prometheus.Registry, log *slog.Logger, failures bool) (client.MetricsHandler, error) {
	h, err := telemetry.SDKMetrics(reg, log)
	if err != nil {
		return nil, err
	}
	if failures {
		h.Counter(activities.RecordFailuresMetric).Inc(0)
	}
	return h, nil
}

// ensureSearchAttributes registers the search attributes the case workflow sets that the
// namespace lacks, before a worker polls: Temporal fails a workflow task that sets an unknown one.
func ensureSearchAttributes(ctx context.Context, c client.Client, namespace string, log *slog.Logger) error {
	added, err := worker.EnsureSearchAttributes(ctx, c, namespace)
	if len(added) > 0 {
		log.Info("registered search attributes", "namespace", namespace, "names", added)
	}
	return err
}

// dialTemporal connects to the Temporal frontend, failing within 10 s with the address. With
// payload keys configured, every payload and failure message it sends is encrypted. The SDK
// (client and the workers built on it) reports its metrics to metrics, when not nil.
func dialTemporal(ctx context.Context, t config.Temporal, log *slog.Logger, metrics client.MetricsHandler) (client.Client, error) {
	opts := client.Options{HostPort: t.Address, Namespace: t.Namespace, Logger: sdklog.NewStructuredLogger(log), MetricsHandler: metrics}
	if t.TLS() {
		tc, err := temporalTLS(t)
		if err != nil {
			return nil, err
		}
		opts.ConnectionOptions.TLS = tc
	}
	if t.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(t.APIKey)
	}
	if err := encryptPayloads(&opts, t.Payload); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS: cannot reach %s (namespace %s): %w", t.Address, t.Namespace, err)
	}
	return c, nil
}

func temporalTLS(t config.Temporal) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(t.TLSCert, t.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT/KEY: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if t.TLSCA != "" {
		pem, err := os.ReadFile(t.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("TEMPORAL_TLS_CA: no certificate found in the file")
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// readiness lists the checks /readyz runs: the database and the Temporal frontend.
func readiness(st *store.Store, c client.Client) []api.Checker {
	return []api.Checker{
		{Name: "database", Check: st.Ping},
		{Name: "temporal", Check: func(ctx context.Context) error {
			_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
	}
}

// listen opens addr, with a message a person can act on when it is taken.
func listen(name, addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot listen on %s: %w", name, addr, err)
	}
	return l, nil
}

// serve runs an HTTP server on l until ctx ends, then drains it within timeout.
func serve(ctx context.Context, l net.Listener, h http.Handler, timeout time.Duration) error {
	srv := &http.Server{Handler: api.BodyDeadline(h, api.BodyTime), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("drain HTTP server: %w", err)
	}
	return nil
}

// newLetters prepares the written notices. requireLetters makes a missing font or blob
// directory fatal (production); otherwise letters are turned off (nil) with a warning so
// `weiquan dev` runs on a machine without the CJK font.
func newLetters(st *store.Store, cfg config.Config, log *slog.Logger, requireLetters bool) (*notify.Letters, error) {
	letters, err := notify.NewLetters(st, cfg)
	if err == nil {
		return letters, nil
	}
	if requireLetters {
		return nil, err
	}
	log.Warn("written notices (PDF letters) are off", "error", err,
		"fix", "apt-get install fonts-droid-fallback fonts-dejavu-core, or set WEIQUAN_FONT")
	return nil, nil
}

// noticeIssuer hands letters to the recorder, which issues each act's notice at once; none
// when letters are off (a nil *Letters in the interface would not read as none).
func noticeIssuer(l *notify.Letters) activities.NoticeIssuer {
	if l == nil {
		return nil
	}
	return l
}

// documentSource is l as the API's source of letters: nil when letters are off, so the API
// sees no source rather than a nil *notify.Letters inside an interface.
func documentSource(l *notify.Letters) api.DocumentSource {
	if l == nil {
		return nil
	}
	return l
}

// startDispatcher runs the notification dispatcher until ctx ends; wait blocks until it has
// stopped.
func startDispatcher(ctx context.Context, st *store.Store, cfg config.Config, cal notify.CalendarSource, letters *notify.Letters, log *slog.Logger) (wait func()) {
	d := notify.New(st, cfg, cal, letters, log)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.Run(ctx); err != nil {
			log.Error("notification dispatcher stopped", "error", err)
		}
	}()
	return func() { <-done }
}

// rollupCompactEvery is how often the worker folds the compliance rollup's deltas in. Record
// appends one or two rows per changed case; compliance reads sum what is still waiting.
const rollupCompactEvery = 10 * time.Second

// startCompactor compacts the compliance rollup every rollupCompactEvery until ctx ends;
// wait blocks until it has stopped.
func startCompactor(ctx context.Context, st *store.Store, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(rollupCompactEvery)
		defer tick.Stop()
		compactRollup(ctx, st, tick.C, log)
	}()
	return func() { <-done }
}

// compactRollup runs st.CompactRollup at every tick until ctx ends and returns how many
// deltas it folded. A failure is logged and retried at the next tick: the deltas stay, and
// the figures read from them stay right.
func compactRollup(ctx context.Context, st *store.Store, tick <-chan time.Time, log *slog.Logger) (folded int64) {
	for {
		select {
		case <-ctx.Done():
			return folded
		case <-tick:
		}
		n, err := st.CompactRollup(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("compliance rollup: compaction failed; retrying at the next tick", "error", err)
		}
		folded += n
	}
}
