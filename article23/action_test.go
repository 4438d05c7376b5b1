package article23

import (
	"slices"
	"testing"
)

// TestActionTable pins the stage × action table row by row: a change to it changes what the
// workflow accepts, so it must be made here on purpose.
func TestActionTable(t *testing.T) {
	want := map[Stage][]Action{
		StageReceived: {ActionDecide, ActionRequestSupplement, ActionWithdraw, ActionReassign, ActionClaim,
			ActionRecordAttachments, ActionAcknowledgeEscalation},
		StageAwaitingSupplement: {ActionDecide, ActionReceiveSupplement, ActionWithdraw, ActionReassign, ActionClaim,
			ActionRecordAttachments, ActionAcknowledgeEscalation},
		StageAccepted: {ActionRecordCommittee, ActionRequestExtension, ActionDecideExtension, ActionWithdraw,
			ActionReassign, ActionClaim, ActionRecordAttachments, ActionAcknowledgeEscalation},
		StageCommitteeHeld: {ActionRecordFeedback, ActionRequestExtension, ActionDecideExtension, ActionWithdraw,
			ActionReassign, ActionClaim, ActionRecordAttachments, ActionAcknowledgeEscalation},
		StageFeedbackGiven: {ActionReassign, ActionClaim, ActionClose, ActionRecordAttachments, ActionAcknowledgeEscalation},
		StageNotAccepted:   {ActionAcknowledgeEscalation},
		StageClosed:        {ActionAcknowledgeEscalation},
		StageWithdrawn:     {ActionAcknowledgeEscalation},
	}
	for _, s := range Stages {
		if got := ActionsIn(s); !slices.Equal(got, want[s]) {
			t.Errorf("stage %s: actions %v, want %v", s, got, want[s])
		}
	}
	for _, a := range Actions {
		if !a.Valid() || len(a.Stages()) == 0 {
			t.Errorf("action %s: valid %v, stages %v", a, a.Valid(), a.Stages())
		}
		for _, s := range a.Stages() {
			if !s.Valid() || !Fits(s, a) {
				t.Errorf("action %s lists stage %q that it does not fit", a, s)
			}
		}
	}
	if Action("opened").Valid() || Fits(StageReceived, "opened") {
		t.Error("an action outside the table fits")
	}
}

// TestWithdrawFitsOpenStages: a member may withdraw exactly while the case awaits action.
func TestWithdrawFitsOpenStages(t *testing.T) {
	for _, s := range Stages {
		if Fits(s, ActionWithdraw) != s.Open() {
			t.Errorf("stage %s: withdraw fits %v, open %v", s, Fits(s, ActionWithdraw), s.Open())
		}
	}
}
