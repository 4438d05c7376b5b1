package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// A focused OpenAPI checker: every exchange of the handler tests must use a documented
// path, method and status, and JSON bodies must match the documented schemas (type,
// required, properties, additionalProperties: false, items, enum, $ref).

type oaSchema struct {
	Ref        string               `json:"$ref"`
	Type       string               `json:"type"`
	Required   []string             `json:"required"`
	Properties map[string]*oaSchema `json:"properties"`
	Items      *oaSchema            `json:"items"`
	Enum       []any                `json:"enum"`
	Additional *bool                `json:"additionalProperties"`
}

type oaMedia map[string]struct {
	Schema *oaSchema `json:"schema"`
}

type oaOperation struct {
	RequestBody *struct {
		Content oaMedia `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content oaMedia `json:"content"`
	} `json:"responses"`
}

type oaDocument struct {
	Paths      map[string]map[string]oaOperation `json:"paths"`
	Components struct {
		Schemas map[string]*oaSchema `json:"schemas"`
	} `json:"components"`
}

var loadDoc = sync.OnceValues(func() (oaDocument, error) {
	var d oaDocument
	return d, json.Unmarshal(openAPIDoc, &d)
})

// checkOpenAPI checks one exchange against the document.
func checkOpenAPI(t *testing.T, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") || req.URL.Path == "/api/v1/openapi.json" || rec.Code == http.StatusNotFound && rec.Body.Len() == 0 {
		return
	}
	doc, err := loadDoc()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	tmpl, ok := matchPath(doc, req.URL.Path)
	op, okOp := doc.Paths[tmpl][strings.ToLower(req.Method)]
	if !ok || !okOp {
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("openapi: %s %s is not documented", req.Method, req.URL.Path)
		}
		return
	}
	resp, ok := op.Responses[fmt.Sprint(rec.Code)]
	if !ok {
		resp, ok = op.Responses["default"]
	}
	if !ok {
		t.Errorf("openapi: %s %s: status %d not documented", req.Method, tmpl, rec.Code)
		return
	}
	ct, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	media, ok := resp.Content[ct]
	if !ok && len(resp.Content) > 0 && !(ct != "" && resp.Content["application/octet-stream"].Schema != nil) {
		t.Errorf("openapi: %s %s %d: content type %q not documented", req.Method, tmpl, rec.Code, ct)
		return
	}
	if strings.HasSuffix(ct, "json") && media.Schema != nil {
		checkJSON(t, doc, fmt.Sprintf("%s %s %d response", req.Method, tmpl, rec.Code), media.Schema, rec.Body.Bytes())
	}
	if rec.Code < 300 && op.RequestBody != nil && req.GetBody != nil {
		if m, ok := op.RequestBody.Content["application/json"]; ok {
			body, _ := req.GetBody()
			b, _ := io.ReadAll(body)
			checkJSON(t, doc, fmt.Sprintf("%s %s request", req.Method, tmpl), m.Schema, b)
		}
	}
}

func checkJSON(t *testing.T, doc oaDocument, what string, s *oaSchema, body []byte) {
	t.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Errorf("openapi: %s: %v", what, err)
		return
	}
	for _, p := range validate(doc, s, v, "$") {
		t.Errorf("openapi: %s: %s", what, p)
	}
}

// validate returns where v departs from s.
func validate(doc oaDocument, s *oaSchema, v any, at string) []string {
	if s.Ref != "" {
		return validate(doc, doc.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")], v, at)
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		return []string{fmt.Sprintf("%s: %v is not one of %v", at, v, s.Enum)}
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if s.Type != "object" && s.Type != "" {
			return []string{at + ": object, want " + s.Type}
		}
		for _, r := range s.Required {
			if _, ok := x[r]; !ok {
				out = append(out, at+": missing "+r)
			}
		}
		for k, fv := range x {
			if ps, ok := s.Properties[k]; ok {
				out = append(out, validate(doc, ps, fv, at+"."+k)...)
			} else if s.Additional != nil && !*s.Additional {
				out = append(out, at+": undocumented property "+k)
			}
		}
	case []any:
		if s.Type != "array" && s.Type != "" {
			return []string{at + ": array, want " + s.Type}
		}
		for i, e := range x {
			if s.Items != nil {
				out = append(out, validate(doc, s.Items, e, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case string:
		if s.Type != "string" && s.Type != "" {
			out = append(out, at+": string, want "+s.Type)
		}
	case json.Number:
		if _, err := x.Int64(); (s.Type == "integer" && err != nil) || (s.Type != "integer" && s.Type != "number" && s.Type != "") {
			out = append(out, at+": number, want "+s.Type)
		}
	case bool:
		if s.Type != "boolean" && s.Type != "" {
			out = append(out, at+": boolean, want "+s.Type)
		}
	}
	return out
}

// matchPath finds the documented path template of path.
func matchPath(doc oaDocument, path string) (string, bool) {
	segs := strings.Split(path, "/")
	for tmpl := range doc.Paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		match := true
		for i := range ts {
			if ts[i] != segs[i] && !strings.HasPrefix(ts[i], "{") {
				match = false
			}
		}
		if match {
			return tmpl, true
		}
	}
	return "", false
}

// TestOpenAPIMatchesRoutes: every /api/v1 route is documented and every documented
// operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := newTestAPI(t)
	doc, err := loadDoc()
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
		if _, ok := doc.Paths[strings.Join(segs, "/")][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s is not documented", key)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !routed[m+" "+p] {
				t.Errorf("documented %s %s has no route", m, p)
			}
		}
	}
	a.do(principal{}, "GET", "/api/v1/openapi.json", nil).want(http.StatusOK)
}

// TestOpenAPICheckerCatches: the checker is not vacuous.
func TestOpenAPICheckerCatches(t *testing.T) {
	doc, _ := loadDoc()
	got := validate(doc, &oaSchema{Ref: "#/components/schemas/Case"}, map[string]any{"number": json.Number("7"), "stage": "pending"}, "$")
	if len(got) < 5 {
		t.Fatalf("missed problems: %v", got)
	}
}
