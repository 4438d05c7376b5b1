package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// register installs the status query and every update. Temporal deduplicates updates by
// UpdateID: a retried request with the same UpdateID gets the first result, never a second run.
func (s *caseState) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, StatusQuery, func() (StatusResult, error) { return s.status(), nil }); err != nil {
		return err
	}
	return first(
		func() error { return workflow.SetUpdateHandler(ctx, OpenedUpdate, s.opened) },
		func() error { return handle(ctx, s, DecideUpdate, s.validateDecide, s.decide) },
		func() error {
			return handle(ctx, s, RequestSupplementUpdate, s.validateRequestSupplement, s.requestSupplement)
		},
		func() error {
			return handle(ctx, s, ReceiveSupplementUpdate, s.validateReceiveSupplement, s.receiveSupplement)
		},
		func() error { return handle(ctx, s, RecordCommitteeUpdate, s.validateCommittee, s.recordCommittee) },
		func() error { return handle(ctx, s, RecordFeedbackUpdate, s.validateFeedback, s.recordFeedback) },
		func() error {
			return handle(ctx, s, RequestExtensionUpdate, s.validateRequestExtension, s.requestExtension)
		},
		func() error {
			return handle(ctx, s, DecideExtensionUpdate, s.validateDecideExtension, s.decideExtension)
		},
		func() error { return handle(ctx, s, WithdrawUpdate, s.validateWithdraw, s.withdraw) },
		func() error { return handle(ctx, s, ReassignUpdate, s.validateReassign, s.reassign) },
		func() error { return handle(ctx, s, ClaimUpdate, s.validateClaim, s.claim) },
		func() error { return handle(ctx, s, CloseUpdate, s.validateClose, s.close) },
		func() error {
			return handle(ctx, s, RecordAttachmentsUpdate, s.validateRecordAttachments, s.recordAttachments)
		},
		func() error {
			return handle(ctx, s, AcknowledgeEscalationUpdate, s.validateAcknowledge, s.acknowledge)
		},
	)
}

// handle registers update name: validate refuses it synchronously with the state unchanged;
// apply runs under the state lock after validate passes again (the state may have moved
// while the update waited), and must change nothing before its last possible error.
func handle[T any](ctx workflow.Context, s *caseState, name string,
	validate func(workflow.Context, T) error, apply func(workflow.Context, T) error) error {
	run := func(ctx workflow.Context, arg T) (article23.Case, error) {
		if err := s.lock(ctx); err != nil {
			return article23.Case{}, err
		}
		defer s.unlock()
		if err := validate(ctx, arg); err != nil {
			return article23.Case{}, err
		}
		before := len(s.Events)
		s.hold(before)
		defer s.release()
		if err := apply(ctx, arg); err != nil {
			return article23.Case{}, err
		}
		s.noteActs(ctx, before)
		return cloneCase(s.Case), nil
	}
	// The validator also refuses text that is not plain (defence in depth behind the API's
	// boundary). Validators do not run on replay, so this check cannot change a history.
	validator := func(ctx workflow.Context, arg T) error {
		// CheckTextFields walks arg by reflection (map keys sorted): workflowcheck sees reflect.
		bad := article23.CheckTextFields(arg) //workflowcheck:ignore
		if len(bad) > 0 {
			return refuse(CodeInvalidArgument, "%s %v", bad[0].Field, bad[0].Err)
		}
		return validate(ctx, arg)
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, name, run, workflow.UpdateHandlerOptions{Validator: validator})
}

// opened answers OpenedUpdate: the status as soon as start has computed the decision clock.
// It takes no lock: it reads the state between two steps of the workflow and changes nothing.
func (s *caseState) opened(ctx workflow.Context) (StatusResult, error) {
	if err := workflow.Await(ctx, func() bool { return s.ready }); err != nil {
		return StatusResult{}, err
	}
	return s.status(), nil
}
