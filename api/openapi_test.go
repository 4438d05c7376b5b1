package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every exchange of the handler tests is checked against the document by a real OpenAPI
// validator (kin-openapi's openapi3filter): the path, method and status must be documented,
// and the request (when the server accepted it) and the response must match their schemas,
// so a field the handler serves and the document lacks fails the test that served it.

func init() {
	for _, ct := range []string{"application/pdf", "text/calendar", "image/png", "image/jpeg",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/x-ole-storage"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// loadSpec parses and validates the served document once.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(openAPIDoc)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(l.Context)
})

var specRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := loadSpec()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

// checkOpenAPI checks one exchange against the document.
func checkOpenAPI(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") || req.URL.Path == "/api/v1/openapi.json" || rec.Code == http.StatusNotFound && rec.Body.Len() == 0 {
		return
	}
	router, err := specRouter()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		switch rec.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusUnauthorized: // 401: authentication comes before routing
		default:
			t.Errorf("openapi: %s %s is not documented: %v", req.Method, req.URL.Path, err)
		}
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	what := fmt.Sprintf("%s %s %d", req.Method, route.Path, rec.Code)
	if rec.Code < 300 {
		if req.GetBody != nil {
			req.Body, _ = req.GetBody()
		}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("openapi: %s request: %v", what, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: %s response: %v", what, err)
	}
}

// TestOpenAPIMatchesRoutes: every /api/v1 route is documented and every documented
// operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := newTestAPI(t)
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, r := range a.srv.echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" || strings.HasPrefix(r.Method, "echo_") {
			continue
		}
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "{" + s[1:] + "}"
			}
		}
		key := strings.ToLower(r.Method) + " " + strings.Join(segs, "/")
		routed[key] = true
		if item := doc.Paths.Find(strings.Join(segs, "/")); item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s is not documented", key)
		}
	}
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			if m = strings.ToLower(m); !routed[m+" "+p] {
				t.Errorf("documented %s %s has no route", m, p)
			}
		}
	}
	a.do(principal{}, "GET", "/api/v1/openapi.json", nil).want(http.StatusOK)
}

// TestOpenAPICheckerCatches: the checker is not vacuous: a case missing its fields, with an
// undocumented one and a stage outside the enum, is refused on every count.
func TestOpenAPICheckerCatches(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	err = doc.Components.Schemas["Case"].Value.VisitJSON(map[string]any{"number": 7.0, "stage": "pending", "surprise": true}, openapi3.MultiErrors())
	var me openapi3.MultiError
	if !errors.As(err, &me) || len(me) < 5 {
		t.Fatalf("missed problems: %v", err)
	}
}

// TestOpenAPIDocumentIsValid: the document passes kin-openapi's validation, and every
// operation has a unique operationId and a tag, so generated clients and the reference
// read by resource; and each names the statuses it answers (no catch-all default), so the
// handler tests' exchanges, checked against the document, fail on an undocumented one.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	ids := map[string]string{}
	for p, item := range doc.Paths.Map() {
		for m, op := range item.Operations() {
			if op.OperationID == "" || len(op.Tags) == 0 {
				t.Errorf("%s %s: operationId %q, tags %v", m, p, op.OperationID, op.Tags)
			}
			if prev, ok := ids[op.OperationID]; ok {
				t.Errorf("operationId %q of %s %s is also %s", op.OperationID, m, p, prev)
			}
			ids[op.OperationID] = m + " " + p
			if op.Responses.Default() != nil {
				t.Errorf("%s %s: a catch-all default response; name each status it answers", m, p)
			}
			if op.Security != nil && len(*op.Security) > 0 {
				for _, st := range []int{401, 403, 429, 500, 503} {
					if op.Responses.Status(st) == nil {
						t.Errorf("%s %s: no %d response", m, p, st)
					}
				}
			}
		}
	}
}

// TestUnknownMethodIs405WithAllow: a known path asked with a method it does not serve
// answers 405 with Allow listing the methods it does (RFC 9110 §15.5.6), in the caller's
// language; an unknown path stays 404, and an anonymous caller gets 401 before either.
func TestUnknownMethodIs405WithAllow(t *testing.T) {
	a := newTestAPI(t)
	for path, allow := range map[string]string{
		"/api/v1/cases":                   "GET, POST",
		"/api/v1/cases/7":                 "GET",
		"/api/v1/staff/li":                "PATCH",
		"/api/v1/institutes/BJ/settings":  "GET, PUT",
		"/api/v1/cases/7/attachments/3":   "GET",
		"/api/v1/notifications/9/read":    "POST",
		"/api/v1/calendar/feed-token":     "POST, DELETE",
		"/api/v1/feeds/abc/deadlines.ics": "GET",
	} {
		method := "DELETE"
		if allow == "POST, DELETE" {
			method = "PUT"
		}
		r := a.do(secretaryBJ, method, path, nil)
		r.problem(http.StatusMethodNotAllowed, "method_not_allowed")
		if got := r.Header().Get("Allow"); got != allow {
			t.Errorf("DELETE %s: Allow %q, want %q", path, got, allow)
		}
	}
	zh := a.do(secretaryBJ, "PUT", "/api/v1/cases", nil, "Accept-Language", "zh-CN").problem(http.StatusMethodNotAllowed, "method_not_allowed")
	if zh.Title != "不支持的操作" || zh.Detail != "该地址不支持这种操作。" {
		t.Errorf("zh 405: %+v", zh)
	}
	a.do(secretaryBJ, "GET", "/api/v1/no-such-thing", nil).problem(http.StatusNotFound, "not_found")
	a.do(principal{}, "DELETE", "/api/v1/cases", nil).problem(http.StatusUnauthorized, "unauthenticated")
}
