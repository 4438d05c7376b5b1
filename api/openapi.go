package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is the hand-written OpenAPI 3 description of /api/v1; openapi_test.go checks
// every request and response of the handler tests against it.
//
//go:embed openapi.json
var openAPIDoc []byte

func handleOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
