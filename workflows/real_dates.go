package workflows

import (
	"strconv"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// RealDatesChange is the workflow.GetVersion change ID under which an act is judged by its
// stated date (Art. 27): a breach its stated date answers is withdrawn, and the entry lag is
// kept. It is asked when an act meets a clock, so running cases take it from their next act,
// and acts recorded before it replay as they were.
const RealDatesChange = "real-dates"

// RealDatesJudged is RealDatesChange's version that judges acts by their stated dates.
const RealDatesJudged workflow.Version = 1

// judgeByStatedDate notes when the act of clock c, stated as done on on, was entered and how
// many working days after; and if c was breached before the act was entered although on is
// within its due date, withdraws the breach (c runs again, so meetClock meets it).
func (s *caseState) judgeByStatedDate(ctx workflow.Context, c *article23.Clock, on string) {
	if !s.realDatesChosen {
		s.realDates, s.realDatesChosen = workflow.GetVersion(ctx, RealDatesChange, workflow.DefaultVersion, RealDatesJudged), true
	}
	if s.realDates < RealDatesJudged {
		return
	}
	c.EnteredOn = today(ctx)
	if on < c.EnteredOn {
		lag, err := s.countWorkdays(ctx, on, c.EnteredOn)
		if err != nil {
			// the act's own count over the same calendar just succeeded; a lost lag is logged, not fatal
			workflow.GetLogger(ctx).Warn("entry lag not counted", "clock", c.Name, "error", err)
		}
		c.EntryLagWorkdays = lag
	}
	if c.State == article23.ClockBreached && on <= c.Due {
		s.withdrawBreach(ctx, c, on)
	}
}

// withdrawBreach undoes the breach of clock c, whose act was on time by its stated date on,
// with an audit event, and resolves the escalations it raised that nobody acknowledged (their
// ids, comma-separated, in the event's note).
func (s *caseState) withdrawBreach(ctx workflow.Context, c *article23.Clock, on string) {
	c.State, c.BreachedAt = article23.ClockRunning, nil
	now := workflow.Now(ctx).UTC()
	var resolved []string
	for i := range s.Case.Escalations {
		e := &s.Case.Escalations[i]
		if e.Clock == c.Name && e.AcknowledgedAt == nil && e.ResolvedAt == nil {
			e.ResolvedAt = &now
			resolved = append(resolved, strconv.Itoa(e.ID))
		}
	}
	s.emit(ctx, article23.EventBreachWithdrawn, article23.SystemActor, article23.EventData{Clock: c.Name, Due: c.Due, Date: on,
		Workdays: c.EntryLagWorkdays, Note: strings.Join(resolved, ",")}, tell(article23.AudienceSupervisors, false))
}
