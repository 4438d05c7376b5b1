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
	feeds.RouteNotFound("/*", s.notRouted)
	feeds.GET("/deadlines.ics", s.handleFeed)
	feeds.GET("/cases/:number/deadlines.ics", s.handleCaseFeed)
	g := s.echo.Group("/api/v1", s.authenticate, s.rateLimit())
	g.RouteNotFound("", s.notRouted)
	g.RouteNotFound("/*", s.notRouted)
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
	for _, r := range s.echo.Routes() {
		s.routed[r.Method+" "+r.Path] = true
	}
}

// notRouted answers a request no route serves: 405 with Allow when the path is served for
// other methods (RFC 9110 §15.5.6), 404 otherwise. It runs after authentication, so an
// anonymous caller learns nothing about the paths.
func (s *Server) notRouted(c echo.Context) error {
	if allow := s.allowed(c.Request()); allow != "" {
		c.Response().Header().Set(echo.HeaderAllow, allow)
		return problem(http.StatusMethodNotAllowed, "method_not_allowed", c.Request().Method+" is not served at this path; it serves "+allow)
	}
	return echo.ErrNotFound
}

// allowed lists the methods routed for r's path, by asking the router as it would route them.
func (s *Server) allowed(r *http.Request) string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		c := s.echo.NewContext(r, nil)
		s.echo.Router().Find(m, routedPath(r), c)
		if s.routed[m+" "+c.Path()] {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

// routedPath is the path the router matches: the raw path when the request has one, as Echo does.
func routedPath(r *http.Request) string {
	if r.URL.RawPath != "" {
		return r.URL.RawPath
	}
	return r.URL.Path
}

// isUpload reports an attachment upload, which has its own body limit.
func isUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && strings.HasSuffix(c.Path(), "/attachments")
}
