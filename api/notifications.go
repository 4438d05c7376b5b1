package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// handleNotifications returns the caller's in-app notifications (at most 200, newest first)
// and the unread count; ?limit=0 returns the count alone, for a badge.
func (s *Server) handleNotifications(c echo.Context) error {
	var f fields
	limit, ok := queryInt(c, "limit", 0, 200, &f)
	if err := f.err(); err != nil {
		return err
	}
	items, err := s.deps.Store.InboxFor(c.Request().Context(), inboxOwner(claimsOf(c)))
	if err != nil {
		return err
	}
	out := wire.Notifications{Notifications: []wire.Notification{}}
	for _, it := range items {
		if it.ReadAt == nil {
			out.Unread++
		}
		if !ok || len(out.Notifications) < limit {
			out.Notifications = append(out.Notifications, newNotificationResponse(it))
		}
	}
	return c.JSON(http.StatusOK, out)
}

func newNotificationResponse(it store.InboxItem) wire.Notification {
	return wire.Notification{ID: it.ID, CaseNumber: it.CaseNumber, Kind: it.Kind, Text: it.Text,
		CreatedAt: sh(it.CreatedAt), ReadAt: shPtr(it.ReadAt)}
}

// handleMarkRead marks one of the caller's notifications read (204); anyone else's is 404.
func (s *Server) handleMarkRead(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return problem(http.StatusNotFound, "not_found", "id must be a positive number")
	}
	if err := s.deps.Store.MarkRead(c.Request().Context(), inboxOwner(claimsOf(c)), id, s.deps.Now()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
