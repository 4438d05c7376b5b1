// Package api is weiquan's HTTP API (Echo): members submit and follow their requests,
// secretaries act, supervisors watch. Handlers are thin — bind, validate, one call, respond —
// and every error leaves through one handler as an RFC 9457 problem document.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
)

// Checker reports whether a dependency is usable; /readyz runs each.
type Checker struct {
	Name  string
	Check func(ctx context.Context) error
}

// Deps is what the API needs from the rest of the process.
type Deps struct {
	Logger *slog.Logger
	// Ready lists the dependencies /readyz checks (store, Temporal).
	Ready []Checker
	// Version is printed by /healthz.
	Version string

	// Store is the read model, case numbering, policies, reports and attachments.
	Store *store.Store
	// Engine starts cases and applies actions (TemporalEngine in production).
	Engine Engine
	// Calendar is the working-day calendar in force; an admin's year-file upload swaps it.
	Calendar *calendar.Holder
	// Verifier checks bearer tokens: auth.HS256Verifier (dev) or *OIDCVerifier.
	Verifier TokenVerifier
	// Now is the clock (default time.Now); tests pin it.
	Now func() time.Time
	// Documents hands out the written notices and records their service (*notify.Letters);
	// nil turns the /documents routes into 503s.
	Documents DocumentSource
	// BlobDir holds attachment contents, content-addressed by SHA-256.
	BlobDir string
	// CalendarDir, when set, receives each uploaded year file as YYYY.json so a restart
	// (and a worker reading WEIQUAN_CALENDAR_DIR) loads it too.
	CalendarDir string
	// RatePerSecond and Burst limit each token subject (defaults 10 and 30).
	RatePerSecond float64
	Burst         int
	// WebhookTargets says which webhook URLs an institute's settings may name (public HTTPS
	// hosts and what WEIQUAN_WEBHOOK_ALLOW lists).
	WebhookTargets notify.TargetPolicy
	// Metrics is the registry /metrics serves, holding the process's other metrics (Temporal
	// SDK, the store's figures); nil gives the API a registry of its own.
	Metrics *prometheus.Registry
	// SubmitWait bounds how long POST /cases waits for the decision clock (default 10 s).
	SubmitWait time.Duration
}

// Server is the HTTP API.
type Server struct {
	echo    *echo.Echo
	routed  map[string]bool // "METHOD /path/:param" of every route, for 405's Allow
	log     *slog.Logger
	deps    Deps
	metrics *metrics
	dir     directory

	instMu     sync.Mutex
	institutes map[string]store.Institute // by code, loaded at first use
}

// New builds the API with its middleware and routes.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SubmitWait <= 0 {
		d.SubmitWait = 10 * time.Second
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, log: d.Logger, deps: d, routed: map[string]bool{}}
	e.HTTPErrorHandler = s.errorHandler
	var st outOfStepCounter
	if d.Store != nil {
		st = d.Store
	}
	s.metrics = newMetrics(d.Metrics, st)
	e.Use(middleware.RequestID())
	e.Use(s.boundary)
	e.Use(s.logRequests(), s.metrics.middleware)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: s.logPanic}))
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", ContentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'",
	}))
	// JSON bodies stop at 1 MiB; attachment uploads set their own limit
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1MiB", Skipper: isUpload}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: 30 * time.Second}))
	e.GET("/healthz", s.handleHealth)
	e.GET("/readyz", s.handleReady)
	e.GET("/metrics", s.metrics.handle)
	s.routes()
	return s
}

// Handler is the API as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err, "stack", string(stack))
	return err
}

// handleHealth answers while the process runs: liveness, no dependency checked.
func (s *Server) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.deps.Version})
}

// handleReady checks every dependency within two seconds: 200 when all answer, else 503
// with the failing ones, so a load balancer stops sending requests that would fail.
func (s *Server) handleReady(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	failed := map[string]string{}
	for _, ch := range s.deps.Ready {
		if err := ch.Check(ctx); err != nil {
			failed[ch.Name] = err.Error()
		}
	}
	if len(failed) > 0 {
		p := problem(http.StatusServiceUnavailable, "not_ready", "dependencies are not answering")
		for name, msg := range failed {
			p.fields = append(p.fields, fieldProblem(name, "is not answering: %v", msg))
		}
		return p
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
