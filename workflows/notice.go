package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// NoticeFactsChange is the workflow.GetVersion change ID under which each act that calls for
// a written notice carries the notice's facts in its event (article23.Notice), and the member
// is told of the committee's meeting. Chosen once per run, at start, like LocalDeadlinesChange.
const NoticeFactsChange = "notice-facts"

// The versions of NoticeFactsChange.
const (
	// NoticesFromCase: events carry no notice; letters of such cases are rendered from the
	// case as the store holds it (cases started before the change).
	NoticesFromCase = workflow.DefaultVersion
	// NoticesAtAct: the notice's facts are taken at the act and recorded with its event.
	NoticesAtAct workflow.Version = 1
)

// chooseNotices decides once per run whether acts carry their notices.
func (s *caseState) chooseNotices(ctx workflow.Context) {
	s.notices = workflow.GetVersion(ctx, NoticeFactsChange, NoticesFromCase, NoticesAtAct)
}

// noteActs completes the events an update emitted (from index from of the log) once its act
// is applied: a letter's event gets the notice as of now (the acceptance's clocks started,
// an extension's new date applied), and the committee's meeting is told to the member. Only
// records not yet handed to the recorder are changed; apply emits without yielding in between.
func (s *caseState) noteActs(ctx workflow.Context, from int) {
	if s.notices < NoticesAtAct {
		return
	}
	for i := from; i < len(s.Events); i++ {
		ev := &s.Events[i]
		var data article23.EventData
		// As for mustJSON: decoding reflects, and its result depends only on ev.Data.
		err := json.Unmarshal(ev.Data, &data) //workflowcheck:ignore
		if err != nil {
			panic(fmt.Sprintf("event %d data: %v", ev.Seq, err)) // written by emit from the same struct
		}
		var notes []article23.Notification
		if ev.Type == article23.EventCommitteeHeld {
			notes = append(notes, s.noteFor(ev.Seq, tell(article23.AudienceMember, false), ev.Type))
		}
		if n, ok := article23.NoticeFor(ev.Type, s.Case, data.Date, data.ExtensionID); ok {
			data.Notice = &n
			ev.Data = mustJSON(data)
		}
		s.amendRecord(ctx, *ev, notes)
	}
}

// hold keeps the events an update emits (from index from of the log) out of the recorder
// until noteActs has completed them, however long the act waits on activities in between
// (judging a stated date counts working days after the event is emitted).
func (s *caseState) hold(from int) {
	if s.notices >= NoticesAtAct {
		s.holdFrom = int64(from) + 1
	}
}

// release lets the main loop record the held events.
func (s *caseState) release() {
	if s.holdFrom != 0 {
		s.holdFrom = 0
		s.changed = true
	}
}

// amendRecord replaces the pending record of ev's seq with ev and adds notes to it.
func (s *caseState) amendRecord(ctx workflow.Context, ev article23.Event, notes []article23.Notification) {
	for i := range s.outbox {
		if r := &s.outbox[i]; r.Event.Seq == ev.Seq {
			r.Event = ev
			r.Notifications = append(r.Notifications, notes...)
			s.addTold(ev.Seq, notes)
			return
		}
	}
	workflow.GetLogger(ctx).Warn("event recorded before its notice was taken", "seq", ev.Seq, "type", ev.Type)
}
