package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
)

// surfaceWho are the callers the surface fuzz speaks as: nobody, members, staff of two
// institutes and CICPA.
var surfaceWho = []principal{{}, memberWang, memberOther, secretaryBJ, secretarySH, supervisorBJ, national, admin}

var surfaceTypes = []string{"application/json", "multipart/form-data; boundary=xyz", "text/calendar", "application/pdf", "", "text/plain; charset=utf-8"}

// FuzzHTTPSurface sends any method, path, query, header and body to every route of the real
// handlers (SQLite store; the engine is api's double) as any caller: never a 5xx, and a 4xx
// changes nothing a reader of the store could see.
func FuzzHTTPSurface(f *testing.F) {
	a := buildTestAPI(f)
	routes := a.srv.echo.Routes()
	number := surfaceSetup(f, a)
	index := func(method, path string) uint16 {
		for i, r := range routes {
			if r.Method == method && r.Path == path {
				return uint16(i)
			}
		}
		f.Fatalf("no route %s %s", method, path)
		return 0
	}
	create, _ := json.Marshal(caseBody())
	f.Add(index("POST", "/api/v1/cases"), uint8(0), "", "", uint8(0), "k-1", create, uint8(1))
	f.Add(index("POST", "/api/v1/cases/:number/decision"), uint8(0), "", "", uint8(0), "k-2", []byte(`{"decision":"reject","notice_served_on":"2026-11-27"}`), uint8(3))
	f.Add(index("POST", "/api/v1/cases/:number/attachments"), uint8(0), "", "", uint8(1), "", []byte("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\r\n--xy"), uint8(1))
	f.Add(index("GET", "/api/v1/cases/:number"), uint8(0), "\xff\x00", "q=\x00&institute=%ff", uint8(4), "\x00", []byte(nil), uint8(6))
	f.Add(index("PATCH", "/api/v1/staff/:id"), uint8(0), "secretary@BJ", "", uint8(0), "", []byte(`{"active":false,"name":"\u0000"}`), uint8(7))
	f.Add(index("POST", "/api/v1/calendar/years/:year"), uint8(0), "2027", "", uint8(0), "", []byte(`{"year":2027,"holidays":["\xff"]}`), uint8(7))
	f.Add(index("PUT", "/api/v1/institutes/:code/settings"), uint8(2), "ZZ", "lang=zh", uint8(0), "", []byte(`{"version":1,"policy":{}}`), uint8(5))
	f.Fuzz(func(t *testing.T, route uint16, method uint8, seg, query string, ctype uint8, header string, body []byte, who uint8) {
		r := routes[int(route)%len(routes)]
		req := surfaceRequest(r, method, seg, number, query, ctype, header, body)
		before := surfaceState(t, a)
		rec := httptest.NewRecorder()
		a.srv.Handler().ServeHTTP(rec, withToken(a, req, surfaceWho[int(who)%len(surfaceWho)]))
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s (%s route %s): %d %s", req.Method, req.URL.Path, req.URL.RawQuery, r.Method, r.Path, rec.Code, rec.Body.String())
		}
		if rec.Code >= 400 {
			if after := surfaceState(t, a); after != before {
				t.Fatalf("%s %s answered %d and changed the store:\nbefore %s\nafter  %s", req.Method, req.URL.Path, rec.Code, before, after)
			}
		}
	})
}

// surfaceSetup opens and accepts a case and lets every caller join the staff directory, so
// that a later request's only write on refusal would be a defect.
func surfaceSetup(f *testing.F, a *testAPI) string {
	for _, p := range surfaceWho {
		serve(a, p, "GET", "/api/v1/cases", nil)
	}
	body, _ := json.Marshal(caseBody())
	rec := serve(a, memberWang, "POST", "/api/v1/cases", body)
	var c wire.Case
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &c) != nil {
		f.Fatalf("setup submit: %d %s", rec.Code, rec.Body.String())
	}
	return c.Number
}

func serve(a *testAPI, p principal, method, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, withToken(a, req, p))
	return rec
}

func withToken(a *testAPI, req *http.Request, p principal) *http.Request {
	if p.role != "" {
		req.Header.Set("Authorization", "Bearer "+a.token(p))
	}
	return req
}

// surfaceRequest builds a request on route r: its parameters are the fuzzed segment or, when
// that is empty, a value that exists, so the handlers behind the lookups are reached too.
func surfaceRequest(r *echo.Route, method uint8, seg, number, query string, ctype uint8, header string, body []byte) *http.Request {
	methods := []string{r.Method, r.Method, r.Method, http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete}
	known := map[string]string{":number": number, ":id": "1", ":code": "BJ", ":year": "2027", ":version": "v1"}
	var raw, decoded []string
	for _, part := range strings.Split(r.Path, "/") {
		if v, ok := known[part]; ok {
			if seg != "" {
				v = seg
			}
			raw, decoded = append(raw, url.PathEscape(v)), append(decoded, v)
			continue
		}
		raw, decoded = append(raw, part), append(decoded, part)
	}
	req := httptest.NewRequest(methods[int(method)%len(methods)], "/", bytes.NewReader(body))
	req.URL = &url.URL{Path: strings.Join(decoded, "/"), RawPath: strings.Join(raw, "/"), RawQuery: query}
	req.RequestURI = req.URL.RequestURI()
	if t := surfaceTypes[int(ctype)%len(surfaceTypes)]; t != "" {
		req.Header.Set("Content-Type", t)
	}
	if header != "" {
		req.Header.Set("Idempotency-Key", header)
		req.Header.Set("Accept-Language", header)
	}
	return req
}

// surfaceState is everything a reader of the store could see change, as text: the cases
// (stage, assignee, events, attachments, documents, outbox), the staff directory (without
// the time each person was last seen), the settings, the calendar in force and the files.
func surfaceState(t *testing.T, a *testAPI) string {
	ctx := context.Background()
	var b strings.Builder
	page, err := a.st.ListCases(ctx, store.CaseFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Cases {
		v, err1 := a.st.Case(ctx, c.Number)
		docs, err2 := a.st.Documents(ctx, c.Number)
		out, err3 := a.st.Outbox(ctx, c.Number)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:%s:%s:%d:%d:%d:%d;", c.Number, v.Case.Stage, v.Case.Secretary, len(v.Events), len(v.Attachments), len(docs), len(out))
		for _, d := range docs {
			fmt.Fprintf(&b, "%s=%s;", d.ID, d.ServedOn)
		}
	}
	staff, err := a.st.ListStaff(ctx, store.StaffFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range staff {
		fmt.Fprintf(&b, "%s:%s:%s:%s:%s:%v;", m.ID, m.Institute, m.Role, m.Name, m.Email, m.Active)
	}
	settings, err := a.st.SettingsHistory(ctx, "BJ", 100)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "settings:%d;calendar:%s;files:%d", len(settings), a.cal.Current().Version(), countFiles(a.blobs))
	return b.String()
}

func countFiles(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}
