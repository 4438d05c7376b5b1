package activities

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store/storetest"
)

type embedded struct{ cal *calendar.Calendar }

func (e embedded) Current() *calendar.Calendar { return e.cal }

type failingRecorder struct{ calls, records int }

func (f *failingRecorder) Record(_ context.Context, rs ...article23.Record) (int, error) {
	f.calls++
	f.records += len(rs)
	return 0, errors.New("database down")
}

func newEnv(t *testing.T, rec Recorder) *testsuite.TestActivityEnvironment {
	cal, err := calendar.Embedded()
	require.NoError(t, err)
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(&Activities{Recorder: rec, Calendar: embedded{cal}})
	return env
}

func TestComputeDeadline(t *testing.T) {
	env := newEnv(t, nil)
	v, err := env.ExecuteActivity("ComputeDeadline", DeadlineRequest{Start: "2026-11-27", Workdays: 15,
		ReminderWorkdays: []int{5, 1}, EscalateAfterWorkdays: 5, WorkingHoursStart: "09:00"})
	require.NoError(t, err)
	var r DeadlineResult
	require.NoError(t, v.Get(&r))
	cst := calendar.Shanghai()
	require.Equal(t, "2026-12-18", r.Due)
	require.Equal(t, time.Date(2026, 12, 19, 0, 0, 0, 0, cst).UTC(), r.DeadlineAt)
	require.Equal(t, []time.Time{time.Date(2026, 12, 11, 9, 0, 0, 0, cst).UTC(), time.Date(2026, 12, 17, 9, 0, 0, 0, cst).UTC()}, r.ReminderAt)
	require.Equal(t, time.Date(2026, 12, 26, 0, 0, 0, 0, cst).UTC(), r.EscalateAt)
	require.NotEmpty(t, r.CalendarVersion)
	require.Contains(t, r.Explanation, "15 个工作日")
}

func TestComputeDeadlineUntil(t *testing.T) {
	env := newEnv(t, nil)
	v, err := env.ExecuteActivity("ComputeDeadline", DeadlineRequest{Start: "2026-12-10", Until: "2027-04-23"})
	require.NoError(t, err)
	var r DeadlineResult
	require.NoError(t, v.Get(&r))
	require.Equal(t, 90, r.Workdays)
	require.Equal(t, "2027-04-23", r.Due)
}

func TestComputeDeadlineRefusals(t *testing.T) {
	for _, req := range []DeadlineRequest{
		{Start: "2026-02-30", Workdays: 15},
		{Start: "2026-11-27", Workdays: 0},
		{Start: "2026-11-27", Workdays: 15, WorkingHoursStart: "9h"},
		{Start: "2200-01-01", Workdays: 15},
	} {
		_, err := newEnv(t, nil).ExecuteActivity("ComputeDeadline", req)
		var app *temporal.ApplicationError
		require.ErrorAs(t, err, &app, "%+v", req)
		require.True(t, app.NonRetryable(), "%+v", req)
	}
}

func TestCountWorkdays(t *testing.T) {
	v, err := newEnv(t, nil).ExecuteActivity("CountWorkdays", CountRequest{From: "2026-11-27", To: "2026-12-18"})
	require.NoError(t, err)
	var r CountResult
	require.NoError(t, v.Get(&r))
	require.Equal(t, 15, r.Workdays)
}

// TestActCalendar: an act's calendar work in one call answers what CountWorkdays and each
// ComputeDeadline answer one by one, in order, and refuses for good what they refuse.
func TestActCalendar(t *testing.T) {
	count := CountRequest{From: "2026-11-27", To: "2026-12-10"}
	deadlines := []DeadlineRequest{
		{Start: "2026-12-10", Workdays: 30, ReminderWorkdays: []int{5, 1}, EscalateAfterWorkdays: 5},
		{Start: "2026-12-10", Workdays: 60},
		{Start: "2026-12-10", Until: "2027-04-23"},
	}
	v, err := newEnv(t, nil).ExecuteActivity("ActCalendar", ActCalendarRequest{Count: count, Deadlines: deadlines})
	require.NoError(t, err)
	var got ActCalendarResult
	require.NoError(t, v.Get(&got))

	var want ActCalendarResult
	v, err = newEnv(t, nil).ExecuteActivity("CountWorkdays", count)
	require.NoError(t, err)
	require.NoError(t, v.Get(&want.Count))
	for _, d := range deadlines {
		v, err := newEnv(t, nil).ExecuteActivity("ComputeDeadline", d)
		require.NoError(t, err)
		var r DeadlineResult
		require.NoError(t, v.Get(&r))
		want.Deadlines = append(want.Deadlines, r)
	}
	require.Equal(t, want, got)
	require.Equal(t, 9, got.Count.Workdays)
	require.Equal(t, []string{"2027-01-22", "2027-03-11", "2027-04-23"},
		[]string{got.Deadlines[0].Due, got.Deadlines[1].Due, got.Deadlines[2].Due})

	for _, req := range []ActCalendarRequest{
		{Count: CountRequest{From: "2026-11-27", To: "2026-13-01"}},
		{Count: count, Deadlines: []DeadlineRequest{deadlines[0], {Start: "2026-12-10", Workdays: 0}}},
	} {
		_, err := newEnv(t, nil).ExecuteActivity("ActCalendar", req)
		var app *temporal.ApplicationError
		require.ErrorAs(t, err, &app, "%+v", req)
		require.True(t, app.NonRetryable(), "%+v", req)
	}
}

func TestRecordEvent(t *testing.T) {
	bad := article23.Record{Case: article23.Case{Number: "X"}}
	_, err := newEnv(t, &failingRecorder{}).ExecuteActivity("RecordEvent", bad)
	var app *temporal.ApplicationError
	require.ErrorAs(t, err, &app)
	require.Equal(t, ErrTypeInvalidRecord, app.Type())

	f := &failingRecorder{}
	good := article23.Record{Case: article23.Case{Number: "X"}, Event: article23.Event{Seq: 1, Type: article23.EventReceived}}
	_, err = newEnv(t, f).ExecuteActivity("RecordEvent", good)
	require.ErrorContains(t, err, "database down")
	require.False(t, errors.As(err, &app) && app.NonRetryable(), "an outage is retried")
	require.Equal(t, 1, f.calls)

	// a batch is one call, refused whole when one record is malformed
	f = &failingRecorder{}
	second := good
	second.Event.Seq = 2
	_, err = newEnv(t, f).ExecuteActivity("RecordEvents", []article23.Record{good, bad})
	require.ErrorAs(t, err, &app)
	require.Equal(t, ErrTypeInvalidRecord, app.Type())
	require.Zero(t, f.calls)
	_, err = newEnv(t, f).ExecuteActivity("RecordEvents", []article23.Record{good, second})
	require.ErrorContains(t, err, "record X/1..2: database down")
	require.Equal(t, 1, f.calls)
	require.Equal(t, 2, f.records)
}

type listedCases struct {
	after string
	limit int
	err   error
}

func (l *listedCases) OpenCaseNumbers(_ context.Context, after string, limit int) ([]string, error) {
	l.after, l.limit = after, limit
	return []string{"BJ-2026-0008", "BJ-2026-0009"}, l.err
}

// TestOpenCaseNumbers: a page is passed through; a bad limit or a worker without the store is
// refused for good (a workflow bug or a misconfigured worker), a store outage is retried.
func TestOpenCaseNumbers(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	cases := &listedCases{}
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(&Activities{Cases: cases})
	v, err := env.ExecuteActivity("OpenCaseNumbers", CasePage{After: "BJ-2026-0007", Limit: 2})
	require.NoError(t, err)
	var got []string
	require.NoError(t, v.Get(&got))
	require.Equal(t, []string{"BJ-2026-0008", "BJ-2026-0009"}, got)
	require.Equal(t, "BJ-2026-0007", cases.after)
	require.Equal(t, 2, cases.limit)

	var app *temporal.ApplicationError
	_, err = env.ExecuteActivity("OpenCaseNumbers", CasePage{Limit: 0})
	require.ErrorAs(t, err, &app)
	require.True(t, app.NonRetryable())

	cases.err = errors.New("database down")
	_, err = env.ExecuteActivity("OpenCaseNumbers", CasePage{Limit: 200})
	require.ErrorAs(t, err, &app)
	require.False(t, app.NonRetryable(), "a store outage must be retried")

	bare := s.NewTestActivityEnvironment()
	bare.RegisterActivity(&Activities{})
	_, err = bare.ExecuteActivity("OpenCaseNumbers", CasePage{Limit: 200})
	require.ErrorAs(t, err, &app)
	require.True(t, app.NonRetryable())
}

type countingIssuer struct{ records int }

func (c *countingIssuer) IssueNotices(_ context.Context, rs []article23.Record) error {
	c.records += len(rs)
	return nil
}

// TestRecordEventsOfASupersededTask: the recording of a workflow task Temporal has given to
// another worker, which recorded first, succeeds without writing anything and issues no
// letter: the events are not the case's, and retrying would not make them so.
func TestRecordEventsOfASupersededTask(t *testing.T) {
	st := storetest.SQLite(t)
	c := article23.Case{Number: "BJ-2026-0009", Institute: "BJ", Applicant: article23.Applicant{MemberNo: "M-9", Kind: article23.MemberPractising},
		Stage: article23.StageReceived, ReceivedOn: "2026-12-01"}
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	rec := func(seq int64, typ article23.EventType, task int64) article23.Record {
		return article23.Record{Case: c, Event: article23.Event{Seq: seq, Type: typ, At: at}, Task: article23.TaskMark{Event: task, At: at}}
	}
	if _, err := st.Record(t.Context(), rec(1, article23.EventReceived, 9), rec(2, article23.EventAccepted, 9)); err != nil {
		t.Fatal(err)
	}
	issued := &countingIssuer{}
	cal, err := calendar.Embedded()
	require.NoError(t, err)
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(&Activities{Recorder: st, Marks: st, Calendar: embedded{cal}, Notices: issued})
	_, err = env.ExecuteActivity("RecordEvents", []article23.Record{rec(2, article23.EventNotAccepted, 3)})
	require.NoError(t, err)
	require.Zero(t, issued.records, "no letter for a discarded task's events")
	view, err := st.Case(t.Context(), c.Number)
	require.NoError(t, err)
	require.Equal(t, article23.EventAccepted, view.Events[1].Type)

	_, err = env.ExecuteActivity("RecordEvents", []article23.Record{rec(3, article23.EventClosed, 9)})
	require.NoError(t, err)
	require.Equal(t, 1, issued.records, "the case's own events are issued")
}
