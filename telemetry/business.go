package telemetry

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// FigureMaxAge is how long a scrape's figures are reused: any number of scrapers cost the
// database one figures query per FigureMaxAge.
const FigureMaxAge = 15 * time.Second

// scrapeTimeout bounds the store's part of a scrape.
const scrapeTimeout = 2 * time.Second

var (
	openCasesDesc = prometheus.NewDesc("weiquan_open_cases",
		"Open cases by institute and stage.", []string{"institute", "stage"}, nil)
	breachedDesc = prometheus.NewDesc("weiquan_breached_clocks",
		"Breached clocks of open cases by institute and clock.", []string{"institute", "clock"}, nil)
	unackedDesc = prometheus.NewDesc("weiquan_escalations_unacknowledged",
		"Escalations nobody has acknowledged (nor resolved), by level (1 institute, 2 CICPA).", []string{"level"}, nil)
	overdueDesc = prometheus.NewDesc("weiquan_escalations_unacknowledged_overdue",
		"Unacknowledged escalations raised more than one working day ago (mainland calendar), by level.", []string{"level"}, nil)
	pendingDesc = prometheus.NewDesc("weiquan_outbox_pending",
		"Notifications waiting in the outbox, by audience (each fans out to e-mail, webhook and in-app at delivery).", []string{"audience"}, nil)
	deadDesc = prometheus.NewDesc("weiquan_outbox_dead_total",
		"Notifications given up on (attempts exhausted or expired); dead letters are never revived.", nil, nil)
	provisionalDesc = prometheus.NewDesc("weiquan_calendar_provisional_deadlines",
		"Running clocks of open cases whose due date lies in a year with no published holiday schedule.", nil, nil)
	calendarDesc = prometheus.NewDesc("weiquan_calendar_info",
		"The working-day calendar in force (value 1; the version is the label).", []string{"version"}, nil)
)

// Business exports the store's figures and the calendar in force. When the store does not
// answer, its series are absent (an alert on absent() tells), never a made-up zero.
type Business struct {
	Figures  *store.FigureCache
	Calendar func() *calendar.Calendar
	Now      func() time.Time
	Log      *slog.Logger
}

// NewBusiness reads the figures from st, cached for FigureMaxAge.
func NewBusiness(st *store.Store, cal func() *calendar.Calendar, log *slog.Logger) *Business {
	return &Business{Figures: &store.FigureCache{Store: st, MaxAge: FigureMaxAge}, Calendar: cal, Now: time.Now, Log: log}
}

// Describe implements prometheus.Collector.
func (b *Business) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{openCasesDesc, breachedDesc, unackedDesc, overdueDesc, pendingDesc, deadDesc,
		provisionalDesc, calendarDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (b *Business) Collect(ch chan<- prometheus.Metric) {
	cal := b.Calendar()
	ch <- prometheus.MustNewConstMetric(calendarDesc, prometheus.GaugeValue, 1, cal.Version())
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	f, err := b.Figures.Get(ctx, oneWorkdayAgo(cal, b.Now()))
	if err != nil {
		b.Log.Warn("metrics: the store's figures are not exported this scrape", "error", err)
		return
	}
	counts := []struct {
		d      *prometheus.Desc
		c      []store.Count
		labels int
	}{{openCasesDesc, f.OpenCases, 2}, {breachedDesc, f.BreachedClocks, 2}, {unackedDesc, f.UnacknowledgedEscalations, 1},
		{overdueDesc, f.OverdueEscalations, 1}, {pendingDesc, f.OutboxPending, 1}}
	for _, m := range counts {
		for _, c := range m.c {
			ch <- prometheus.MustNewConstMetric(m.d, prometheus.GaugeValue, float64(c.N), c.Labels[:m.labels]...)
		}
	}
	ch <- prometheus.MustNewConstMetric(deadDesc, prometheus.CounterValue, float64(f.OutboxDead))
	ch <- prometheus.MustNewConstMetric(provisionalDesc, prometheus.GaugeValue, float64(f.ProvisionalDeadlines))
}

// oneWorkdayAgo is the instant one working day before now: the same time of day on the
// working day before today. Without a calendar answer (a date outside its range) it is 24
// hours ago.
func oneWorkdayAgo(cal *calendar.Calendar, now time.Time) time.Time {
	today := calendar.DateOf(now)
	d, err := cal.Before(today, 1)
	if err != nil {
		return now.Add(-24 * time.Hour)
	}
	return d.Due.Start().Add(now.Sub(today.Start()))
}
