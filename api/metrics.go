package api

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicpa/weiquan/telemetry"
)

// metrics are the API's Prometheus metrics, on the process's registry (no global state).
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newMetrics registers the API's metrics on reg (a registry of its own when nil), which
// /metrics serves with whatever else the process registered there (Temporal SDK, figures).
func newMetrics(reg *prometheus.Registry, st outOfStepCounter) *metrics {
	if reg == nil {
		reg = telemetry.NewRegistry()
	}
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "weiquan_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "weiquan_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	m.registry.MustRegister(m.requests, m.duration)
	if st != nil {
		m.registry.MustRegister(outOfStepCollector{st})
	}
	return m
}

// outOfStepCounter counts the cases whose recording failed and the events a later workflow
// task replaced (store.Store).
type outOfStepCounter interface {
	CountRecordFailures(ctx context.Context) (int64, error)
	CountSuperseded(ctx context.Context) (int64, error)
}

var (
	outOfStepDesc = prometheus.NewDesc("weiquan_cases_out_of_step",
		"Cases whose latest events the store has not taken: the read model is behind the workflow.", nil, nil)
	supersededDesc = prometheus.NewDesc("weiquan_superseded_events",
		"Events recorded by a workflow task that was then discarded, replaced in the case log by the task that replaced it (kept in superseded_events).", nil, nil)
)

// outOfStepCollector reads the count from the store at each scrape. When the store does not
// answer the series is absent (an alert on absent() tells), never a made-up zero.
type outOfStepCollector struct{ st outOfStepCounter }

func (c outOfStepCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outOfStepDesc
	ch <- supersededDesc
}

func (c outOfStepCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if n, err := c.st.CountRecordFailures(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(outOfStepDesc, prometheus.GaugeValue, float64(n))
	}
	if n, err := c.st.CountSuperseded(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(supersededDesc, prometheus.GaugeValue, float64(n))
	}
}

// scrapeTimeout bounds the store's part of a scrape.
const scrapeTimeout = 2 * time.Second

// middleware counts every request by its route pattern (not its path: case numbers would
// make the label set unbounded).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status = toProblem(err).Status
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, c.Request().Method).Observe(time.Since(start).Seconds())
		return err
	}
}

func (m *metrics) handle(c echo.Context) error {
	telemetry.Handler(m.registry).ServeHTTP(c.Response(), c.Request())
	return nil
}

// logRequests logs one line per request with its request ID, route, status and latency.
func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: false,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			status := v.Status
			if v.Error != nil {
				status = toProblem(v.Error).Status
			}
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(c.Request().Context(), level, "request", slog.String("request_id", v.RequestID),
				slog.String("method", v.Method), slog.String("path", v.URIPath), slog.Int("status", status),
				slog.Duration("latency", v.Latency), slog.String("subject", claimsOf(c).Subject))
			return nil
		},
	})
}
