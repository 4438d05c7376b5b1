package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/cicpa/weiquan/article23"
)

// RecordAttachments is the argument of RecordAttachmentsUpdate: files the API has stored on
// the case, written into its log so the timeline says who added what and when.
type RecordAttachments struct {
	Actor article23.Actor            `json:"actor"`
	Files []article23.AttachmentNote `json:"files"`
}

func (s *caseState) validateRecordAttachments(ctx workflow.Context, u RecordAttachments) error {
	return first(
		func() error {
			if s.checkStaff(u.Actor) != nil && s.checkOwner(u.Actor) != nil {
				return refuse(CodeForbidden, "only the member who made the request or the staff of institute %s may add materials", s.Case.Institute)
			}
			return nil
		},
		func() error { return s.checkFits(article23.ActionRecordAttachments) },
		func() error {
			if len(u.Files) == 0 {
				return refuse(CodeInvalidArgument, "files is required")
			}
			return nil
		},
	)
}

// recordAttachments logs the files; it tells nobody (the materials are on the case page).
func (s *caseState) recordAttachments(ctx workflow.Context, u RecordAttachments) error {
	s.emit(ctx, article23.EventAttachmentsAdded, u.Actor, article23.EventData{Attachments: u.Files})
	return nil
}
