// Package activities holds the side effects of the case workflow: persisting each case
// event (with its notifications) and every working-day computation, which depends on
// calendar data and therefore never runs inside workflow code.
package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
)

// Recorder persists consecutive events of one case, their notifications (the outbox) and
// the case snapshot after the last, in one transaction. A record already present (same case
// and seq) is skipped; it returns how many were new. The store implements it.
type Recorder interface {
	Record(ctx context.Context, rs ...article23.Record) (int, error)
}

// CalendarSource hands out the calendar in force; the operator's reload swaps it.
type CalendarSource interface {
	Current() *calendar.Calendar
}

// FailureMarks marks a case whose recording failed, so the API shows it out of step and an
// operator is told, and removes the mark once a recording succeeds. The store implements it.
type FailureMarks interface {
	NoteRecordFailure(ctx context.Context, number string, cause error) error
	ClearRecordFailure(ctx context.Context, number string) error
}

// NoticeIssuer renders and stores the written notices that recorded events carry
// (article23.Notice); notify.Letters implements it.
type NoticeIssuer interface {
	IssueNotices(ctx context.Context, rs []article23.Record) error
}

// Activities are the case workflow's activities; register a *Activities with the worker.
type Activities struct {
	Recorder Recorder
	Marks    FailureMarks // nil: failures are only logged (tests without a store)
	Calendar CalendarSource
	Cases    OpenCases    // for the calendar reload
	Notices  NoticeIssuer // nil: letters are issued by the dispatcher only
}

// Error types of the non-retryable failures the activities return.
const (
	ErrTypeInvalidRecord = "invalid_record" // a record without case number or seq: a workflow bug
	ErrTypeInvalidDate   = "invalid_date"   // a date that does not parse or lies outside the calendar
	ErrTypeInvalidInput  = "invalid_argument"
)

// RecordEvent persists r. It is idempotent per case number and event seq, so Temporal may
// retry it freely; a database outage is retried, never reported as a business refusal.
// Cases on workflows.PathLocalRecords call RecordEvents instead.
func (a *Activities) RecordEvent(ctx context.Context, r article23.Record) error {
	return a.RecordEvents(ctx, []article23.Record{r})
}

// RecordEvents persists consecutive events of one case in one transaction, like RecordEvent
// does each of them.
func (a *Activities) RecordEvents(ctx context.Context, rs []article23.Record) error {
	for _, r := range rs {
		if r.Case.Number == "" || r.Event.Seq < 1 {
			return temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("record needs a case number and a positive seq, got %q/%d", r.Case.Number, r.Event.Seq),
				ErrTypeInvalidRecord, nil)
		}
	}
	if len(rs) == 0 {
		return nil
	}
	number := rs[0].Case.Number
	if _, err := a.Recorder.Record(ctx, rs...); errors.Is(err, article23.ErrTaskSuperseded) {
		// this activity runs in a workflow task Temporal has given to another worker, which
		// recorded first: its events are not the case's, and it issues no letter for them
		activity.GetLogger(ctx).Warn("events of a discarded workflow task not recorded", "case", number, "error", err)
		return nil
	} else if err != nil {
		err = recordError(rs, err)
		a.markFailure(ctx, number, err)
		return err
	}
	if activity.GetInfo(ctx).Attempt > 1 && a.Marks != nil {
		// an earlier attempt marked the case; on the first attempt there is nothing to clear
		if err := a.Marks.ClearRecordFailure(ctx, number); err != nil {
			activity.GetLogger(ctx).Warn("events recorded, out-of-step mark not cleared", "case", number, "error", err)
		}
	}
	a.issueNotices(ctx, rs)
	return nil
}

func recordError(rs []article23.Record, err error) error {
	first, last := rs[0].Event, rs[len(rs)-1].Event
	if first.Seq == last.Seq {
		return fmt.Errorf("record %s/%d %s: %w", rs[0].Case.Number, first.Seq, first.Type, err)
	}
	return fmt.Errorf("record %s/%d..%d: %w", rs[0].Case.Number, first.Seq, last.Seq, err)
}

// RecordFailuresMetric counts failed recordings of case events (every attempt), exported by
// the worker as weiquan_record_failures_total.
const RecordFailuresMetric = "weiquan_record_failures"

// markFailure logs a failed recording with its case and marks the case out of
// step. The mark is best effort: with the database down it fails too, and the log remains.
func (a *Activities) markFailure(ctx context.Context, number string, cause error) {
	// the activity logger adds the attempt
	activity.GetLogger(ctx).Error("case events not recorded: the store is out of step with the workflow until a retry succeeds",
		"case", number, "error", cause)
	// through the worker's SDK metrics handler: weiquan_record_failures_total on its /metrics,
	// counted even when the database is down and the mark below cannot be written
	activity.GetMetricsHandler(ctx).Counter(RecordFailuresMetric).Inc(1)
	if a.Marks == nil {
		return
	}
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err := a.Marks.NoteRecordFailure(mctx, number, cause); err != nil {
		activity.GetLogger(ctx).Warn("case not marked out of step", "case", number, "error", err)
	}
}

// markTimeout bounds the mark so that a database that hangs does not hold the retry back.
const markTimeout = 5 * time.Second

// issueNotices issues the letters of the recorded acts at once. A failure (a missing font, a
// full disk) must not hold the case back, so it is logged; the dispatcher issues the letter
// with the member's message, and issuing is idempotent.
func (a *Activities) issueNotices(ctx context.Context, rs []article23.Record) {
	if a.Notices == nil {
		return
	}
	if err := a.Notices.IssueNotices(ctx, rs); err != nil {
		activity.GetLogger(ctx).Error("written notice not issued at the act", "case", rs[0].Case.Number, "error", err)
	}
}

// calendarError turns a calendar refusal into a non-retryable error: asking again with the
// same input gives the same answer.
func calendarError(err error) error {
	kind := ErrTypeInvalidInput
	if errors.Is(err, calendar.ErrOutOfRange) {
		kind = ErrTypeInvalidDate
	}
	return temporal.NewNonRetryableApplicationError(err.Error(), kind, err)
}

// parseDate parses a YYYY-MM-DD date argument, refusing it for good if it is malformed.
func parseDate(field, s string) (calendar.Date, error) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("%s: %v", field, err), ErrTypeInvalidDate, err)
	}
	return d, nil
}

// OpenCases lists open cases by number; the store implements it.
type OpenCases interface {
	OpenCaseNumbers(ctx context.Context, after string, limit int) ([]string, error)
}

// CasePage asks for up to Limit open cases numbered after After ("" for the first).
type CasePage struct {
	After string `json:"after,omitempty"`
	Limit int    `json:"limit"`
}

// OpenCaseNumbers lists a page of open cases for the calendar reload, in number order.
func (a *Activities) OpenCaseNumbers(ctx context.Context, p CasePage) ([]string, error) {
	if a.Cases == nil {
		return nil, temporal.NewNonRetryableApplicationError("this worker has no case store", ErrTypeInvalidInput, nil)
	}
	if p.Limit < 1 || p.Limit > 1000 {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("page limit %d, want 1-1000", p.Limit), ErrTypeInvalidInput, nil)
	}
	return a.Cases.OpenCaseNumbers(ctx, p.After, p.Limit)
}
