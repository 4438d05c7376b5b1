package telemetry

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store/storetest"
)

// TestBusinessOnAnEmptyStore: with no cases the calendar, the dead letters and every label set
// an alert watches are exported at 0, so the first change is seen; open cases are absent.
func TestBusinessOnAnEmptyStore(t *testing.T) {
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewBusiness(storetest.SQLite(t), func() *calendar.Calendar { return cal }, slog.New(slog.DiscardHandler)))
	want := `
# HELP weiquan_calendar_info The working-day calendar in force (value 1; the version is the label).
# TYPE weiquan_calendar_info gauge
weiquan_calendar_info{version="` + cal.Version() + `"} 1
# HELP weiquan_escalations_unacknowledged_overdue Unacknowledged escalations raised more than one working day ago (mainland calendar), by level.
# TYPE weiquan_escalations_unacknowledged_overdue gauge
weiquan_escalations_unacknowledged_overdue{level="1"} 0
weiquan_escalations_unacknowledged_overdue{level="2"} 0
# HELP weiquan_outbox_dead_total Notifications given up on (attempts exhausted or expired); dead letters are never revived.
# TYPE weiquan_outbox_dead_total counter
weiquan_outbox_dead_total 0
# HELP weiquan_outbox_pending Notifications waiting in the outbox, by audience (each fans out to e-mail, webhook and in-app at delivery).
# TYPE weiquan_outbox_pending gauge
weiquan_outbox_pending{audience="member"} 0
weiquan_outbox_pending{audience="national_supervisors"} 0
weiquan_outbox_pending{audience="secretary"} 0
weiquan_outbox_pending{audience="supervisors"} 0
`
	names := []string{"weiquan_calendar_info", "weiquan_escalations_unacknowledged_overdue", "weiquan_outbox_dead_total",
		"weiquan_outbox_pending", "weiquan_open_cases", "weiquan_breached_clocks"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Fatal(err)
	}
}

func TestOneWorkdayAgo(t *testing.T) {
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct{ now, want string }{
		{"2026-03-03 10:30", "2026-03-02 10:30"}, // Tuesday: Monday
		{"2026-03-09 10:30", "2026-03-06 10:30"}, // Monday: the Friday before
		{"2026-03-02 10:30", "2026-02-28 10:30"}, // Monday after a make-up Saturday (调休): that Saturday
		{"2026-02-24 09:00", "2026-02-14 09:00"}, // after Spring Festival (02-15..23 off): the make-up Saturday before it
	} {
		if got := oneWorkdayAgo(cal, at(c.now)); !got.Equal(at(c.want)) {
			t.Errorf("one working day before %s: %s, want %s", c.now, got.In(calendar.Shanghai()), c.want)
		}
	}
}
