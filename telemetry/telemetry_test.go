package telemetry

import (
	"log/slog"
	"slices"
	"testing"
	"time"
)

// TestSDKMetricsInSeconds: the SDK's timers land in second-sized buckets under Prometheus
// names, and its counters are counters.
func TestSDKMetricsInSeconds(t *testing.T) {
	reg := NewRegistry()
	h, err := SDKMetrics(reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.WithTags(map[string]string{"task_queue": "q"}).Timer("temporal_workflow_task_schedule_to_start_latency").Record(300 * time.Millisecond)
	h.Counter("temporal_request").Inc(2)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, f := range families {
		seen = append(seen, f.GetName())
		switch f.GetName() {
		case "temporal_workflow_task_schedule_to_start_latency_seconds":
			hist := f.GetMetric()[0].GetHistogram()
			var bounds []float64
			for _, b := range hist.GetBucket() {
				bounds = append(bounds, b.GetUpperBound())
				if b.GetUpperBound() == .25 && b.GetCumulativeCount() != 0 || b.GetUpperBound() == .5 && b.GetCumulativeCount() != 1 {
					t.Errorf("300 ms in bucket le=%v: cumulative %d", b.GetUpperBound(), b.GetCumulativeCount())
				}
			}
			if !slices.Equal(bounds, latencyBuckets) {
				t.Errorf("bounds %v, want %v", bounds, latencyBuckets)
			}
		case "temporal_request_total":
			if v := f.GetMetric()[0].GetCounter().GetValue(); v != 2 {
				t.Errorf("temporal_request_total %v, want 2", v)
			}
		}
	}
	for _, want := range []string{"temporal_workflow_task_schedule_to_start_latency_seconds", "temporal_request_total", "go_goroutines"} {
		if !slices.Contains(seen, want) {
			t.Errorf("%s not exported; got %v", want, seen)
		}
	}
}
