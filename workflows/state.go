package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// caseState is everything the workflow holds. Handlers and the main loop share it; busy
// serialises the ones that wait on activities so that no two mutations interleave.
type caseState struct {
	Case      article23.Case
	Events    []article23.Event
	Alarms    []Alarm
	told      []Told             // the notifications of every event that had some, for a repair
	outbox    []article23.Record // recorded strictly in seq order by the main loop
	changed   bool               // set by every mutation; wakes the main loop
	busy      bool
	ready     bool              // start has run: an update delivered with the first task waits for it
	calendars []CalendarUpdated // received, not yet applied

	path                 workflow.Version // LocalDeadlinesChange: how activities run (fixed at start)
	notices              workflow.Version // NoticeFactsChange: whether acts carry their notices
	holdFrom             int64            // NoticesAtAct: events from this seq wait for their act's notice; 0 none
	visibility           workflow.Version // VisibilityChange: whether the case keeps its search attributes
	realDates            workflow.Version // RealDatesChange, once realDatesChosen: whether acts are judged by their stated dates
	realDatesChosen      bool             // at start (PathsAtStart), else at the run's first act
	fewerEvents          bool             // CasePathsChange ≥ PathsFewerEvents: ActCalendar, and the alarm timer kept across sleeps
	timer                *keptTimer       // PathsFewerEvents: the alarm timer the main loop sleeps on, nil when none runs
	shown                shown            // VisibilityUpserted: what the search attributes say now
	supplementWindowEnds string           // last day a supplement may be requested
	endedAt              time.Time        // when the case finished; the workflow lingers after it
}

func newCaseState(in CaseInput) *caseState {
	c := in.Case
	c.Stage = article23.StageReceived
	c.Clocks, c.Extensions, c.Escalations = nil, nil, nil
	c.Decision, c.Committee, c.Feedback, c.Supplement = nil, nil, nil, nil
	return &caseState{Case: c}
}

// lock waits until the case has started and no other handler or loop step is
// mid-mutation, and takes the state.
func (s *caseState) lock(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return s.ready && !s.busy }); err != nil {
		return err
	}
	s.busy = true
	return nil
}

func (s *caseState) unlock() { s.busy = false }

// emit appends an event to the log and its record to the outbox. notes are the audiences to
// tell; urgent ones are delivered at once, the others in working hours.
func (s *caseState) emit(ctx workflow.Context, t article23.EventType, actor article23.Actor, data article23.EventData, notes ...article23.Notification) {
	now := workflow.Now(ctx).UTC()
	ev := article23.Event{Seq: int64(len(s.Events)) + 1, Type: t, Actor: actor, At: now, Data: mustJSON(data)}
	s.Events = append(s.Events, ev)
	s.Case.UpdatedAt = now
	for i := range notes {
		notes[i] = s.noteFor(ev.Seq, notes[i], t)
	}
	var task article23.TaskMark // unknown without a history (the SDK's test environment)
	if n := workflow.GetInfo(ctx).GetCurrentHistoryLength(); n > 0 {
		task = article23.TaskMark{Event: int64(n), At: now}
	}
	s.outbox = append(s.outbox, article23.Record{Event: ev, Case: cloneCase(s.Case), Notifications: notes, Task: task})
	s.addTold(ev.Seq, notes)
	s.changed = true
}

// addTold adds notes to whom event seq told, keeping told in seq order.
func (s *caseState) addTold(seq int64, notes []article23.Notification) {
	if len(notes) == 0 {
		return
	}
	i, found := slices.BinarySearchFunc(s.told, seq, func(t Told, seq int64) int { return cmp.Compare(t.Seq, seq) })
	if found {
		s.told[i].Notifications = append(s.told[i].Notifications, notes...)
		return
	}
	s.told = slices.Insert(s.told, i, Told{Seq: seq, Notifications: slices.Clone(notes)})
}

// recordable is the head of the outbox the main loop may record now: all of it, except the
// events of an act whose notice is still being taken (holdFrom), and those after them.
func (s *caseState) recordable() []article23.Record {
	if s.holdFrom == 0 {
		return s.outbox
	}
	n := 0
	for n < len(s.outbox) && s.outbox[n].Event.Seq < s.holdFrom {
		n++
	}
	return s.outbox[:n]
}

// mustJSON marshals event data: a struct of strings, ints and slices of them cannot fail.
func mustJSON(data article23.EventData) json.RawMessage {
	// encoding/json reflects, and workflowcheck follows reflect into the runtime's garbage
	// collector; the encoding is deterministic (fields in declaration order, map keys sorted).
	raw, err := json.Marshal(data) //workflowcheck:ignore
	if err != nil {
		panic(fmt.Sprintf("marshal event data: %v", err))
	}
	return raw
}

// noteFor keys notification n of event seq of type t: delivered once per key.
func (s *caseState) noteFor(seq int64, n article23.Notification, t article23.EventType) article23.Notification {
	n.Key = fmt.Sprintf("%s/%d/%s", s.Case.Number, seq, n.Audience)
	if n.Kind == "" {
		n.Kind = string(t)
	}
	return n
}

// tell is a notification to audience a; urgent ones skip the working-hours window.
func tell(a article23.Audience, urgent bool) article23.Notification {
	return article23.Notification{Audience: a, Urgent: urgent}
}

// cloneCase copies c deeply enough for a snapshot: slices are copied; pointed-to values are
// never modified in place by the workflow, only replaced.
func cloneCase(c article23.Case) article23.Case {
	c.Clocks = slices.Clone(c.Clocks)
	c.Extensions = slices.Clone(c.Extensions)
	c.Escalations = slices.Clone(c.Escalations)
	c.Policy.ReminderWorkdays = slices.Clone(c.Policy.ReminderWorkdays)
	return c
}

// status is the StatusQuery answer.
func (s *caseState) status() StatusResult {
	r := StatusResult{Case: cloneCase(s.Case), Events: slices.Clone(s.Events), PendingAlarms: []Alarm{}, Told: slices.Clone(s.told)}
	for _, a := range s.Alarms {
		if !a.Fired {
			r.PendingAlarms = append(r.PendingAlarms, a)
		}
	}
	return r
}

// finished reports whether the case needs nothing more from anyone.
func (s *caseState) finished() bool {
	switch s.Case.Stage {
	case article23.StageClosed, article23.StageNotAccepted, article23.StageWithdrawn:
		return true
	}
	return false
}

// setStage moves the case to stage st.
func (s *caseState) setStage(st article23.Stage) { s.Case.Stage = st }
