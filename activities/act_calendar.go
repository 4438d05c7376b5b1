package activities

import "context"

// ActCalendarRequest is the calendar work of one act in one call: how many working days the
// act took (Count) and the deadlines it starts (Deadlines, in order).
type ActCalendarRequest struct {
	Count     CountRequest      `json:"count"`
	Deadlines []DeadlineRequest `json:"deadlines,omitempty"`
}

// ActCalendarResult is the answer to an ActCalendarRequest, Deadlines in the request's order.
type ActCalendarResult struct {
	Count     CountResult      `json:"count"`
	Deadlines []DeadlineResult `json:"deadlines,omitempty"`
}

// ActCalendar is CountWorkdays and each ComputeDeadline of an act in one local activity: one
// marker in the case's history where an acceptance had four (docs/WORKFLOW.md, "Version changes").
// It answers exactly what those calls answer one by one, and refuses what they refuse.
func (a *Activities) ActCalendar(ctx context.Context, req ActCalendarRequest) (ActCalendarResult, error) {
	count, err := a.CountWorkdays(ctx, req.Count)
	if err != nil {
		return ActCalendarResult{}, err
	}
	res := ActCalendarResult{Count: count, Deadlines: make([]DeadlineResult, 0, len(req.Deadlines))}
	for _, d := range req.Deadlines {
		dl, err := a.ComputeDeadline(ctx, d)
		if err != nil {
			return ActCalendarResult{}, err
		}
		res.Deadlines = append(res.Deadlines, dl)
	}
	return res, nil
}
