package workflows

import (
	"slices"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

// TestEveryUpdateIsAnAction: each update a person sends is an action of article23's stage ×
// action table, by the same name, and each action is an update.
func TestEveryUpdateIsAnAction(t *testing.T) {
	updates := []string{DecideUpdate, RequestSupplementUpdate, ReceiveSupplementUpdate, RecordCommitteeUpdate,
		RecordFeedbackUpdate, RequestExtensionUpdate, DecideExtensionUpdate, WithdrawUpdate, ReassignUpdate,
		ClaimUpdate, CloseUpdate, RecordAttachmentsUpdate, AcknowledgeEscalationUpdate}
	var actions []string
	for _, a := range article23.Actions {
		actions = append(actions, string(a))
	}
	slices.Sort(updates)
	slices.Sort(actions)
	if !slices.Equal(updates, actions) {
		t.Errorf("updates %v, actions %v", updates, actions)
	}
}
