package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/workflows"
)

// takesMaterials refuses an upload to a finished case before anything is read or stored.
func takesMaterials(st article23.Stage) error {
	switch {
	case article23.Fits(st, article23.ActionRecordAttachments):
		return nil
	case st == article23.StageWithdrawn:
		return problem(http.StatusConflict, "case_withdrawn", "the member withdrew this case; it takes no more materials")
	}
	return problem(http.StatusConflict, "case_finished", "this case is finished ("+string(st)+"); it takes no more materials")
}

// logAttachments writes the stored files into the case's log (the timeline), who added them
// and when. The workflow refuses them on a case that finished meanwhile (409): the files stay
// stored, unlisted in the log, as a late upload does not count.
func (s *Server) logAttachments(c echo.Context, number string, files []store.Attachment) error {
	notes := make([]article23.AttachmentNote, len(files))
	for i, f := range files {
		notes[i] = article23.AttachmentNote{ID: f.ID, Name: f.Name, Size: f.Size, SHA256: f.SHA256}
	}
	arg := workflows.RecordAttachments{Actor: s.actor(claimsOf(c)), Files: notes}
	_, err := s.deps.Engine.Update(c.Request().Context(), number, workflows.RecordAttachmentsUpdate, arg)
	return err
}
