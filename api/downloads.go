package api

import (
	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// auditDownload records that the caller, when staff, takes the case's file; a member's own
// downloads are not audited. No download is served without its record: a failure to record
// is the request's failure.
func (s *Server) auditDownload(c echo.Context, number, kind, id, name string) error {
	cl := claimsOf(c)
	if cl.Role == article23.RoleMember {
		return nil
	}
	return s.deps.Store.AddDownload(c.Request().Context(), store.Download{CaseNumber: number, At: s.deps.Now(),
		Actor: s.actor(cl), FileKind: kind, FileID: id, FileName: name})
}

// caseDownloads lists the case's staff downloads for a staff reader (nil for a member, and
// when they cannot be read: logged, the case document is still served).
func (s *Server) caseDownloads(c echo.Context, number string) []wire.Download {
	if claimsOf(c).Role == article23.RoleMember {
		return nil
	}
	ctx := c.Request().Context()
	ds, err := s.deps.Store.Downloads(ctx, number)
	if err != nil {
		s.log.WarnContext(ctx, "downloads not listed", "case", number, "error", err)
		return nil
	}
	out := make([]wire.Download, len(ds))
	for i, d := range ds {
		out[i] = wire.Download{At: sh(d.At), Actor: d.Actor, FileKind: d.FileKind, FileID: d.FileID, FileName: d.FileName}
	}
	return out
}
