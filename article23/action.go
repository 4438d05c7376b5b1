package article23

import "slices"

// Action is something a person does to a case: one of the case workflow's updates, by the
// same name. Which stages an action fits is written here once, for the workflow's
// validators, the console's forms and the test engine alike.
type Action string

// The actions a case accepts.
const (
	ActionDecide                Action = "decide"
	ActionRequestSupplement     Action = "request_supplement"
	ActionReceiveSupplement     Action = "receive_supplement"
	ActionRecordCommittee       Action = "record_committee"
	ActionRecordFeedback        Action = "record_feedback"
	ActionRequestExtension      Action = "request_extension"
	ActionDecideExtension       Action = "decide_extension"
	ActionWithdraw              Action = "withdraw"
	ActionReassign              Action = "reassign"
	ActionClaim                 Action = "claim"
	ActionClose                 Action = "close"
	ActionRecordAttachments     Action = "record_attachments"
	ActionAcknowledgeEscalation Action = "acknowledge_escalation"
)

// unfinished are the stages of a case nobody has finished: it changes hands and takes
// materials in them.
var unfinished = []Stage{StageReceived, StageAwaitingSupplement, StageAccepted, StageCommitteeHeld, StageFeedbackGiven}

// actionStages is the stage × action table. An escalation is acknowledged whatever became
// of its case since, so that action fits every stage.
var actionStages = map[Action][]Stage{
	ActionDecide:                {StageReceived, StageAwaitingSupplement},
	ActionRequestSupplement:     {StageReceived},
	ActionReceiveSupplement:     {StageAwaitingSupplement},
	ActionRecordCommittee:       {StageAccepted},
	ActionRecordFeedback:        {StageCommitteeHeld},
	ActionRequestExtension:      {StageAccepted, StageCommitteeHeld},
	ActionDecideExtension:       {StageAccepted, StageCommitteeHeld},
	ActionWithdraw:              {StageReceived, StageAwaitingSupplement, StageAccepted, StageCommitteeHeld},
	ActionReassign:              unfinished,
	ActionClaim:                 unfinished,
	ActionClose:                 {StageFeedbackGiven},
	ActionRecordAttachments:     unfinished,
	ActionAcknowledgeEscalation: Stages,
}

// Actions lists every action.
var Actions = []Action{
	ActionDecide, ActionRequestSupplement, ActionReceiveSupplement, ActionRecordCommittee, ActionRecordFeedback,
	ActionRequestExtension, ActionDecideExtension, ActionWithdraw, ActionReassign, ActionClaim, ActionClose,
	ActionRecordAttachments, ActionAcknowledgeEscalation,
}

// Valid reports whether a is one of the actions.
func (a Action) Valid() bool {
	_, ok := actionStages[a]
	return ok
}

// Stages are the stages action a fits, in lifecycle order (a copy: callers may keep it).
func (a Action) Stages() []Stage { return slices.Clone(actionStages[a]) }

// Fits reports whether action a fits a case in stage s.
func Fits(s Stage, a Action) bool { return slices.Contains(actionStages[a], s) }

// ActionsIn lists the actions that fit stage s, in the order of Actions.
func ActionsIn(s Stage) []Action {
	var out []Action
	for _, a := range Actions {
		if Fits(s, a) {
			out = append(out, a)
		}
	}
	return out
}
