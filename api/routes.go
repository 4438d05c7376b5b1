package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// routes registers /api/v1: everything but the OpenAPI document and the calendar feeds (whose
// URL holds a feed token) needs a bearer token, and each token subject is rate limited.
func (s *Server) routes() {
	s.echo.GET("/api/v1/openapi.json", handleOpenAPI)
	feeds := s.echo.Group("/api/v1/feeds/:token", s.feedRateLimit()) // the token in the path is the credential
	feeds.GET("/deadlines.ics", s.handleFeed)
	feeds.GET("/cases/:number/deadlines.ics", s.handleCaseFeed)
	g := s.echo.Group("/api/v1", s.authenticate, s.rateLimit())
	g.POST("/cases", s.handleCreateCase)
	g.GET("/cases", s.handleListCases)
	g.GET("/cases/:number", s.handleGetCase)
	g.GET("/cases/:number/deadlines.ics", s.handleDeadlinesICS)
	g.POST("/cases/:number/attachments", s.handleUpload, uploadLimit)
	g.GET("/cases/:number/attachments", s.handleListAttachments)
	g.GET("/cases/:number/attachments/:id", s.handleDownload)
	g.GET("/cases/:number/documents", s.handleListDocuments)
	g.GET("/cases/:number/documents/:id", s.handleDocument)
	g.POST("/cases/:number/documents/:id/served", s.handleMarkServed)
	s.actionRoutes(g)
	g.GET("/tasks", s.handleTasks)
	g.POST("/session/revocation", s.handleRevoke)
	g.GET("/staff", s.handleListStaff)
	g.POST("/staff", s.handleAddStaff)
	g.PATCH("/staff/:id", s.handleUpdateStaff)
	g.GET("/institutes/:code/settings", s.handleGetSettings)
	g.PUT("/institutes/:code/settings", s.handlePutSettings)
	g.GET("/institutes/:code/settings/history", s.handleSettingsHistory)
	g.GET("/notifications", s.handleNotifications)
	g.POST("/notifications/:id/read", s.handleMarkRead)
	g.GET("/escalations", s.handleEscalations)
	g.GET("/reports/compliance", s.handleCompliance)
	g.GET("/reports/counts", s.handleCounts)
	g.GET("/reports/overview", s.handleOverview)
	g.POST("/calendar/feed-token", s.handleNewFeedToken)
	g.DELETE("/calendar/feed-token", s.handleRevokeFeedToken)
	g.GET("/calendar/due", s.handleDue)
	g.GET("/calendar/years/:year", s.handleYear)
	g.POST("/calendar/years/:year", s.handleLoadYear)
	g.POST("/calendar/notices", s.handleNotice)
	g.GET("/calendar/reloads/:version", s.handleReload)
}

// isUpload reports an attachment upload, which has its own body limit.
func isUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && strings.HasSuffix(c.Path(), "/attachments")
}
