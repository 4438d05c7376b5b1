package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/telemetry"
	"github.com/cicpa/weiquan/web"
	"github.com/cicpa/weiquan/worker"
)

// loadConfig reads and validates the environment for one process role.
func loadConfig(role config.Role) (config.Config, error) {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate(role)
}

// backend is what both production processes connect to at start: configuration, logger,
// calendar, database and Temporal.
type backend struct {
	cfg config.Config
	log *slog.Logger
	cal *calendar.Calendar
	st  *store.Store
	c   client.Client
	// metrics is the process's registry: Go runtime, the Temporal SDK's metrics, and what
	// the role adds (the API's HTTP metrics and the store's figures).
	metrics *prometheus.Registry
}

// openBackend validates the configuration for role and connects, failing with a message that
// names the setting at fault.
func openBackend(ctx context.Context, role config.Role) (*backend, error) {
	cfg, err := loadConfig(role)
	if err != nil {
		return nil, err
	}
	b := &backend{cfg: cfg, log: newLogger(cfg.LogLevel, os.Stderr), metrics: telemetry.NewRegistry()}
	sdkMetrics, err := newSDKMetrics(b.metrics, b.log, role == config.RoleWorker)
	if err != nil {
		return nil, err
	}
	if b.cal, err = loadCalendar(cfg.CalendarDir); err != nil {
		return nil, err
	}
	if b.st, err = openStore(ctx, cfg.DatabaseURL, false); err != nil {
		return nil, err
	}
	logSupersessions(b.st, b.log)
	if b.c, err = dialTemporal(ctx, cfg.Temporal, b.log, sdkMetrics); err != nil {
		_ = b.st.Close()
		return nil, err
	}
	return b, nil
}

func (b *backend) close() {
	b.c.Close()
	_ = b.st.Close()
}

// runAPI runs the production HTTP API until SIGTERM, then drains in-flight requests.
func runAPI(ctx context.Context, args []string, stderr io.Writer) error {
	if err := parse(newFlags("api", stderr), args); err != nil {
		return err
	}
	b, err := openBackend(ctx, config.RoleAPI)
	if err != nil {
		return err
	}
	defer b.close()
	cfg := b.cfg
	l, err := listen("WEIQUAN_LISTEN", cfg.Listen)
	if err != nil {
		return err
	}
	verifier, err := tokenVerifier(ctx, cfg)
	if err != nil {
		return err
	}
	holder := calendar.NewReloadingHolder(b.cal, cfg.CalendarDir)
	b.metrics.MustRegister(telemetry.NewBusiness(b.st, holder.Current, b.log))
	a := api.New(api.Deps{Logger: b.log, Ready: readiness(b.st, b.c), Version: version, Store: b.st, Metrics: b.metrics,
		Engine: api.TemporalEngine{Client: b.c}, Calendar: holder,
		Verifier: verifier, BlobDir: cfg.BlobDir, CalendarDir: cfg.CalendarDir,
		WebhookTargets: notify.TargetPolicy{Allow: cfg.WebhookAllow},
		// Serving letters needs only the store and the blob directory the worker writes them to.
		Documents: &notify.Letters{Store: b.st, BlobDir: cfg.BlobDir}})
	if err := mountCodec(a, cfg.Temporal.Payload); err != nil {
		return err
	}
	console := web.New(web.Deps{API: a.Handler(), OIDC: consoleOIDC(cfg, verifier), SessionKey: cfg.Console.SessionKey,
		Secure: cfg.Console.SecureCookies(), Logger: b.log})
	b.log.Info("api listening", "addr", l.Addr().String(), "temporal", cfg.Temporal.Address, "console_sso", cfg.Console.OIDCClientID != "")
	err = serve(ctx, l, console.Handler(), cfg.ShutdownTimeout)
	b.log.Info("api stopped")
	return err
}

// runWorker runs the production worker until SIGTERM: pollers stop, in-flight activities
// finish, connections close. Its health endpoints listen on WEIQUAN_HEALTH_LISTEN.
func runWorker(ctx context.Context, args []string, stderr io.Writer) error {
	if err := parse(newFlags("worker", stderr), args); err != nil {
		return err
	}
	b, err := openBackend(ctx, config.RoleWorker)
	if err != nil {
		return err
	}
	defer b.close()
	l, err := listen("WEIQUAN_HEALTH_LISTEN", b.cfg.HealthListen)
	if err != nil {
		return err
	}
	holder := calendar.NewReloadingHolder(b.cal, b.cfg.CalendarDir)
	letters, err := newLetters(b.st, b.cfg, b.log, true)
	if err != nil {
		return err
	}
	if err := ensureSearchAttributes(ctx, b.c, b.cfg.Temporal.Namespace, b.log); err != nil {
		return err
	}
	acts := &activities.Activities{Recorder: b.st, Marks: b.st, Calendar: holder, Cases: b.st, Notices: noticeIssuer(letters)}
	w := worker.New(b.c, acts, worker.Options{CacheSize: b.cfg.WorkerCacheSize})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	dctx, stopDispatch := context.WithCancel(ctx)
	defer startDispatcher(dctx, b.st, b.cfg, holder, letters, b.log)()
	defer startCompactor(dctx, b.st, b.log)()
	defer stopDispatch()
	health := api.New(api.Deps{Logger: b.log, Ready: readiness(b.st, b.c), Version: version})
	b.log.Info("worker running", "temporal", b.cfg.Temporal.Address, "health", l.Addr().String(), "calendar", b.cal.Version(),
		"workflow_cache", cmp.Or(b.cfg.WorkerCacheSize, worker.DefaultCacheSize))
	err = serve(ctx, l, workerHealth(health.Handler(), b.metrics), b.cfg.ShutdownTimeout)
	b.log.Info("worker stopping: draining in-flight activities")
	return err
}

// runTemporalSetup registers the case workflow's search attributes in the configured
// namespace (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE): what `weiquan worker` also does at start,
// for an operator who gives workers no operator rights.
func runTemporalSetup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if err := parse(newFlags("temporal-setup", stderr), args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel, os.Stderr)
	c, err := dialTemporal(ctx, cfg.Temporal, log, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	added, err := worker.EnsureSearchAttributes(ctx, c, cfg.Temporal.Namespace)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "namespace %s: weiquan's search attributes are registered (added now: %v)\n", cfg.Temporal.Namespace, added)
	return err
}

// workerHealth exposes /healthz and /readyz of h and the worker's metrics (Go runtime and the
// Temporal SDK: pollers, task latencies, failed recordings) on /metrics, and nothing else.
func workerHealth(h http.Handler, metrics *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", h)
	mux.Handle("GET /readyz", h)
	mux.Handle("GET /metrics", telemetry.Handler(metrics))
	return mux
}

// tokenVerifier verifies bearer tokens against the OIDC issuer when one is configured, else
// with the HS256 signing key.
func tokenVerifier(ctx context.Context, cfg config.Config) (api.TokenVerifier, error) {
	if cfg.OIDCIssuer == "" {
		return auth.HS256Verifier{Key: cfg.SigningKey}, nil
	}
	return api.NewOIDCVerifier(ctx, cfg.OIDCIssuer, cfg.OIDCAudience, api.ClaimNames{
		Role: cfg.OIDCClaims.Role, Institute: cfg.OIDCClaims.Institute, MemberNo: cfg.OIDCClaims.MemberNo, Name: cfg.OIDCClaims.Name}, nil)
}

// consoleOIDC is the console's single sign-on at the API's issuer, or nil without a client
// registration (the console then has no sign-in; the API still takes bearer tokens).
func consoleOIDC(cfg config.Config, v api.TokenVerifier) *web.OIDCConfig {
	if cfg.OIDCIssuer == "" || cfg.Console.OIDCClientID == "" {
		return nil
	}
	return &web.OIDCConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.Console.OIDCClientID, ClientSecret: cfg.Console.OIDCClientSecret,
		RedirectURL: cfg.Console.OIDCRedirectURL, Verify: v.Verify}
}
