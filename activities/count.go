package activities

import (
	"context"
)

// CountRequest asks how many working days lie in (From, To].
type CountRequest struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// CountResult is the answer to a CountRequest.
type CountResult struct {
	Workdays        int    `json:"workdays"`
	Provisional     bool   `json:"provisional"`
	CalendarVersion string `json:"calendar_version"`
}

// CountWorkdays counts the working days in (From, To] with the calendar in force: how many
// working days an act took (Clock.WorkdaysUsed). To before From counts 0.
func (a *Activities) CountWorkdays(ctx context.Context, req CountRequest) (CountResult, error) {
	cal := a.Calendar.Current()
	from, err := parseDate("from", req.From)
	if err != nil {
		return CountResult{}, err
	}
	to, err := parseDate("to", req.To)
	if err != nil {
		return CountResult{}, err
	}
	if to.Before(from) {
		return CountResult{CalendarVersion: cal.Version()}, nil
	}
	c, err := cal.WorkdaysBetween(from, to)
	if err != nil {
		return CountResult{}, calendarError(err)
	}
	return CountResult{Workdays: c.Workdays, Provisional: c.Provisional, CalendarVersion: c.Version}, nil
}
