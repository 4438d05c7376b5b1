package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/cicpa/weiquan/calendar"
)

// ExplanationLanguage is the language of DeadlineResult.Explanation: the members read Chinese.
const ExplanationLanguage = "zh"

// DeadlineRequest asks for the due date Workdays working days after Start (Start itself not
// counted), or, when Until is set, for the deadline of the working days in (Start, Until].
type DeadlineRequest struct {
	Start                 string `json:"start"`
	Workdays              int    `json:"workdays"`
	Until                 string `json:"until,omitempty"`
	ReminderWorkdays      []int  `json:"reminder_workdays,omitempty"`
	EscalateAfterWorkdays int    `json:"escalate_after_workdays,omitempty"`
	WorkingHoursStart     string `json:"working_hours_start,omitempty"` // "HH:MM", default 09:00
	// CalendarVersion, when set, is the calendar a reload put in force: a worker that does
	// not have it yet reloads its calendar directory first (see calendar.Holder.RefreshFor).
	CalendarVersion string `json:"calendar_version,omitempty"`
}

// DeadlineResult is a computed deadline with the instants of its reminders and escalation.
type DeadlineResult struct {
	Due             string      `json:"due"`
	Workdays        int         `json:"workdays"`
	DeadlineAt      time.Time   `json:"deadline_at"` // 24:00 Asia/Shanghai of Due, in UTC
	Provisional     bool        `json:"provisional"`
	CalendarVersion string      `json:"calendar_version"`
	Explanation     string      `json:"explanation"`
	ReminderAt      []time.Time `json:"reminder_at,omitempty"` // working-hours start of the n-th working day before Due, per ReminderWorkdays
	EscalateAt      time.Time   `json:"escalate_at,omitempty"` // end of the EscalateAfterWorkdays-th working day after Due
}

// ComputeDeadline computes a deadline with the calendar in force. Refusals (bad dates, out
// of the calendar's range) are non-retryable.
func (a *Activities) ComputeDeadline(ctx context.Context, req DeadlineRequest) (DeadlineResult, error) {
	cal, err := a.calendarAt(req.CalendarVersion)
	if err != nil {
		return DeadlineResult{}, err
	}
	start, err := parseDate("start", req.Start)
	if err != nil {
		return DeadlineResult{}, err
	}
	n, err := requestWorkdays(cal, start, req)
	if err != nil {
		return DeadlineResult{}, err
	}
	dl, err := cal.Due(start, n)
	if err != nil {
		return DeadlineResult{}, calendarError(err)
	}
	res := DeadlineResult{Due: dl.Due.String(), Workdays: n, DeadlineAt: dl.DeadlineAt.UTC(),
		Provisional: dl.Provisional, CalendarVersion: cal.Version()}
	if err := explain(cal, start, n, &res); err != nil {
		return DeadlineResult{}, err
	}
	if err := alarms(cal, dl.Due, req, &res); err != nil {
		return DeadlineResult{}, err
	}
	return res, nil
}

// requestWorkdays is req.Workdays, or the working days in (start, req.Until] when Until is set.
func requestWorkdays(cal *calendar.Calendar, start calendar.Date, req DeadlineRequest) (int, error) {
	if req.Until == "" {
		if req.Workdays < 1 {
			return 0, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("workdays must be positive, got %d", req.Workdays), ErrTypeInvalidInput, nil)
		}
		return req.Workdays, nil
	}
	until, err := parseDate("until", req.Until)
	if err != nil {
		return 0, err
	}
	c, err := cal.WorkdaysBetween(start, until)
	if err != nil {
		return 0, calendarError(err)
	}
	if c.Workdays < 1 {
		return 0, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("no working day in (%s, %s]", req.Start, req.Until), ErrTypeInvalidInput, nil)
	}
	return c.Workdays, nil
}

func explain(cal *calendar.Calendar, start calendar.Date, n int, res *DeadlineResult) error {
	e, err := cal.Explain(start, n)
	if err != nil {
		return calendarError(err)
	}
	res.Explanation = e.Text(ExplanationLanguage)
	return nil
}

// alarms fills the reminder and escalation instants of a deadline due on due.
func alarms(cal *calendar.Calendar, due calendar.Date, req DeadlineRequest, res *DeadlineResult) error {
	offset, err := workingHoursOffset(req.WorkingHoursStart)
	if err != nil {
		return err
	}
	for _, n := range req.ReminderWorkdays {
		b, err := cal.Before(due, n)
		if err != nil {
			return calendarError(err)
		}
		res.ReminderAt = append(res.ReminderAt, b.Due.Start().Add(offset).UTC())
	}
	if req.EscalateAfterWorkdays > 0 {
		e, err := cal.Due(due, req.EscalateAfterWorkdays)
		if err != nil {
			return calendarError(err)
		}
		res.EscalateAt = e.DeadlineAt.UTC()
	}
	return nil
}

// workingHoursOffset parses "HH:MM" into the time after midnight; "" means 09:00.
func workingHoursOffset(hhmm string) (time.Duration, error) {
	if hhmm == "" {
		hhmm = "09:00"
	}
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return 0, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("working_hours_start %q: want HH:MM", hhmm), ErrTypeInvalidInput, err)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
