package telemetry

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cicpa/weiquan/article23"
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
	}{{openCasesDesc, f.OpenCases, 2}, {breachedDesc, withZeros(f.BreachedClocks, breachKeys(f.OpenCases)), 2},
		{unackedDesc, withZeros(f.UnacknowledgedEscalations, levelKeys), 1},
		{overdueDesc, withZeros(f.OverdueEscalations, levelKeys), 1}, {pendingDesc, withZeros(f.OutboxPending, audienceKeys), 1}}
	for _, m := range counts {
		for _, c := range m.c {
			ch <- prometheus.MustNewConstMetric(m.d, prometheus.GaugeValue, float64(c.N), c.Labels[:m.labels]...)
		}
	}
	ch <- prometheus.MustNewConstMetric(deadDesc, prometheus.CounterValue, float64(f.OutboxDead))
	ch <- prometheus.MustNewConstMetric(provisionalDesc, prometheus.GaugeValue, float64(f.ProvisionalDeadlines))
}

// The label sets exported as 0 when the store has no row for them: a series that exists at 0
// lets rate(), increase() and "> 0" see its first change, and an absent one means no answer.
var (
	levelKeys    = [][2]string{{"1"}, {"2"}}
	audienceKeys = [][2]string{{string(article23.AudienceMember)}, {string(article23.AudienceSecretary)},
		{string(article23.AudienceSupervisors)}, {string(article23.AudienceNationalSupervisors)}}
	clockNames = []article23.ClockName{article23.ClockDecision, article23.ClockCommittee, article23.ClockFeedback, article23.ClockCap}
)

// breachKeys are the clocks of every institute with open cases.
func breachKeys(open []store.Count) [][2]string {
	var keys [][2]string
	seen := map[string]bool{}
	for _, c := range open {
		if inst := c.Labels[0]; !seen[inst] {
			seen[inst] = true
			for _, k := range clockNames {
				keys = append(keys, [2]string{inst, string(k)})
			}
		}
	}
	return keys
}

// withZeros is counts with a zero count added for each key it lacks.
func withZeros(counts []store.Count, keys [][2]string) []store.Count {
	out := slices.Clone(counts)
	for _, k := range keys {
		if !slices.ContainsFunc(counts, func(c store.Count) bool { return c.Labels == k }) {
			out = append(out, store.Count{Labels: k})
		}
	}
	return out
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
