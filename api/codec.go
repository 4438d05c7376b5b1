package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/cicpa/weiquan/article23"
)

// MountCodec serves h — the remote payload codec (converter.NewPayloadCodecHTTPHandler over
// the process's codec) — at POST /codec/encode and /codec/decode, so the Temporal Web UI and
// CLI can show encrypted payloads. Only an admin's bearer token may use it: decoding reveals
// every case's personal data. uiOrigins are the Web UI origins allowed to call it from the
// browser (CORS); the UI must pass the user's access token (codec "pass access token").
func (s *Server) MountCodec(h http.Handler, uiOrigins ...string) {
	g := s.echo.Group("/codec")
	if len(uiOrigins) > 0 {
		g.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:     uiOrigins,
			AllowMethods:     []string{http.MethodPost, http.MethodOptions},
			AllowHeaders:     []string{echo.HeaderAuthorization, echo.HeaderContentType, "X-Namespace"},
			AllowCredentials: true,
			MaxAge:           600,
		}))
	}
	wrapped := echo.WrapHandler(h)
	for _, path := range []string{"/encode", "/decode"} {
		g.POST(path, wrapped, s.authenticate, s.rateLimit(), s.requireAdmin)
		g.OPTIONS(path, func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }) // CORS preflight
	}
}

// requireAdmin refuses every caller whose token is not an admin's.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := requireRole(claimsOf(c), article23.RoleAdmin); err != nil {
			return err
		}
		return next(c)
	}
}
