package main

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// TestMetricsScrape runs the production processes (`weiquan api` and `weiquan worker`), puts
// cases through the API and scrapes both /metrics: the series an on-call needs are there with
// the values the load implies, and every metric the Grafana dashboard and the Prometheus
// alerts name is exported by one of the two.
func TestMetricsScrape(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the API and the worker")
	}
	requireLetterFonts(t)
	dir := t.TempDir()
	sys := startSplit(t, dir, crashDatabase(t, dir))
	const cases = 4 // the even ones are accepted
	load := newCrashLoad(sys.cfg.SigningKey, cases, "http://"+sys.cfg.Listen)
	load.run(t.Context(), 2) // retried until answered; bounded only by go test's -timeout
	load.check(t, t.Context().Err())
	sys.converge(t, load)

	api := scrape(t, "http://"+sys.cfg.Listen+"/metrics")
	worker := scrape(t, "http://"+sys.cfg.HealthListen+"/metrics")
	expectValue(t, api, "weiquan_open_cases", map[string]string{"institute": "BJ", "stage": "received"}, cases/2)
	expectValue(t, api, "weiquan_open_cases", map[string]string{"institute": "BJ", "stage": "accepted"}, cases/2)
	expectValue(t, api, "weiquan_breached_clocks", map[string]string{"institute": "BJ", "clock": "decision"}, 0)
	expectValue(t, api, "weiquan_escalations_unacknowledged_overdue", map[string]string{"level": "1"}, 0)
	expectValue(t, api, "weiquan_outbox_dead_total", nil, 0)
	expectValue(t, api, "weiquan_cases_out_of_step", nil, 0)
	expectValue(t, api, "weiquan_calendar_provisional_deadlines", nil, 0)
	if v := sum(api, "weiquan_calendar_info", nil); v != 1 {
		t.Errorf("weiquan_calendar_info: %v series at 1, want one", v)
	}
	if v := sum(api, "weiquan_http_requests_total", map[string]string{"route": "/api/v1/cases", "method": "POST"}); v < cases {
		t.Errorf("POST /api/v1/cases counted %v times, want ≥ %d", v, cases)
	}
	// update-with-start waits for the update's result: a long request in the SDK's terms
	if v := sum(api, "temporal_long_request_total", map[string]string{"operation": "ExecuteMultiOperation"}); v < cases {
		t.Errorf("the API's Temporal client counted %v update-with-starts (ExecuteMultiOperation), want ≥ %d", v, cases)
	}
	if _, ok := api["temporal_num_pollers"]; ok {
		t.Error("the API polls no task queue, yet exports temporal_num_pollers")
	}
	if v := sum(worker, "temporal_num_pollers", map[string]string{"poller_type": "workflow_task"}); v < 1 {
		t.Errorf("worker: %v workflow task pollers, want ≥ 1", v)
	}
	if v := sum(worker, "temporal_workflow_task_schedule_to_start_latency_seconds", nil); v < cases {
		t.Errorf("worker: %v workflow tasks timed from schedule to start, want ≥ %d", v, cases)
	}
	expectValue(t, worker, "weiquan_record_failures_total", nil, 0)
	if _, ok := worker["weiquan_open_cases"]; ok {
		t.Error("the worker exports the store's figures: with the API replicas they would be counted twice")
	}

	exported := map[string]bool{}
	for _, families := range []map[string]*dto.MetricFamily{api, worker} {
		for name, f := range families {
			for _, n := range seriesNames(name, f.GetType()) {
				exported[n] = true
			}
		}
	}
	for _, e := range append(dashboardExprs(t), alertExprs(t)...) {
		names := metricNames(e)
		if len(names) == 0 {
			t.Errorf("no metric name read from %q", e)
		}
		for _, name := range names {
			if !exported[name] {
				t.Errorf("%s is not exported by the API or the worker (in %q)", name, e)
			}
		}
	}
}

func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return families
}

// sum adds the values of name's series that carry labels (a histogram counts its observations).
func sum(families map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	var total float64
	for _, m := range families[name].GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.Counter.GetValue()
		case m.Gauge != nil:
			total += m.Gauge.GetValue()
		case m.Histogram != nil:
			total += float64(m.Histogram.GetSampleCount())
		}
	}
	return total
}

// expectValue requires one series of name with exactly labels (besides none) at want.
func expectValue(t *testing.T, families map[string]*dto.MetricFamily, name string, labels map[string]string, want float64) {
	t.Helper()
	for _, m := range families[name].GetMetric() {
		if len(m.GetLabel()) == len(labels) && hasLabels(m, labels) {
			if got := sum(map[string]*dto.MetricFamily{name: {Metric: []*dto.Metric{m}}}, name, nil); got != want {
				t.Errorf("%s%v = %v, want %v", name, labels, got, want)
			}
			return
		}
	}
	t.Errorf("no series %s%v", name, labels)
}

func hasLabels(m *dto.Metric, labels map[string]string) bool {
	for k, v := range labels {
		if !slices.ContainsFunc(m.GetLabel(), func(l *dto.LabelPair) bool { return l.GetName() == k && l.GetValue() == v }) {
			return false
		}
	}
	return true
}

// seriesNames are the names a query can use for a family: a histogram's _bucket, _sum, _count.
func seriesNames(name string, typ dto.MetricType) []string {
	if typ == dto.MetricType_HISTOGRAM || typ == dto.MetricType_SUMMARY {
		return []string{name, name + "_bucket", name + "_sum", name + "_count"}
	}
	return []string{name}
}

func dashboardExprs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../deploy/grafana/weiquan.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("deploy/grafana/weiquan.json: %v", err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	if len(exprs) < 10 {
		t.Fatalf("deploy/grafana/weiquan.json: %d queries, the dashboard lost its panels", len(exprs))
	}
	return exprs
}

func alertExprs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../deploy/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct{ Expr string } `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &rules); err != nil {
		t.Fatalf("deploy/prometheus/alerts.yml: %v", err)
	}
	var exprs []string
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, r.Expr)
		}
	}
	if len(exprs) < 5 {
		t.Fatalf("deploy/prometheus/alerts.yml: %d rules", len(exprs))
	}
	return exprs
}

var (
	promStrings   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promMatchers  = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	promGroupings = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent     = regexp.MustCompile(`\b[a-zA-Z_:][a-zA-Z0-9_:]*\s*\(?`)
	promKeywords  = []string{"and", "or", "unless", "bool", "offset", "inf", "nan"}
)

// metricNames are the metric names a PromQL expression reads: the identifiers left once
// strings, label matchers, ranges and groupings are gone that are neither functions nor
// keywords (the dashboard's and the alerts' queries use nothing this misreads).
func metricNames(expr string) []string {
	e := promGroupings.ReplaceAllString(promMatchers.ReplaceAllString(promStrings.ReplaceAllString(expr, ""), " "), " ")
	var names []string
	for _, m := range promIdent.FindAllString(e, -1) {
		m = strings.TrimSpace(m)
		if strings.HasSuffix(m, "(") || slices.Contains(promKeywords, strings.ToLower(m)) {
			continue
		}
		names = append(names, m)
	}
	return names
}

func TestMetricNames(t *testing.T) {
	got := metricNames(`histogram_quantile(0.95, sum by (le, task_queue) (rate(temporal_x_bucket{a="b",c=~"d|e"}[5m]))) > 2 ` +
		`or absent(up{job="x"}) unless on (instance) max(weiquan_y - min_over_time(weiquan_y[1h] offset 5m)) > 0`)
	want := []string{"temporal_x_bucket", "up", "weiquan_y", "weiquan_y"}
	if !slices.Equal(got, want) {
		t.Fatalf("metricNames: %v, want %v", got, want)
	}
}
