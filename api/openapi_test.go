package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func checkOpenAPI(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {}
