package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/cicpa/weiquan/wire"
)

// apiResult is one in-process API response.
type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
}

// OK reports a 2xx status.
func (res apiResult) OK() bool { return res.Status >= 200 && res.Status < 300 }

// decode decodes a successful JSON body into v, or returns the problem.
func (res apiResult) decode(v any) error {
	if !res.OK() {
		return res.problem()
	}
	if err := json.Unmarshal(res.Body, v); err != nil {
		return fmt.Errorf("web: decode API response: %w", err)
	}
	return nil
}

// problem decodes the body as a problem; a body that is not one still yields its status.
func (res apiResult) problem() *wire.Problem {
	p := &wire.Problem{}
	if json.Unmarshal(res.Body, p) != nil || p.Code == "" {
		p.Code, p.Detail = "internal", http.StatusText(res.Status)
	}
	p.Status = res.Status
	return p
}

// recorder is a minimal http.ResponseWriter that keeps what the API writes.
type recorder struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// apiCall is one request to the API.
type apiCall struct {
	method, path string
	query        url.Values
	body         io.Reader
	contentType  string
	header       map[string]string
}

// apiLanguage is the Accept-Language the console sends for each of its languages.
var apiLanguage = map[string]string{"zh": "zh-CN", "en": "en"}

// call sends c to the API as the session's holder, within the page request's context.
func (con *Console) call(r *http.Request, s *session, c apiCall) apiResult {
	u := c.path
	if len(c.query) > 0 {
		u += "?" + c.query.Encode()
	}
	req, err := http.NewRequestWithContext(r.Context(), c.method, u, c.body)
	if err != nil {
		return apiResult{Status: http.StatusInternalServerError, Body: []byte(`{"code":"internal"}`)}
	}
	if req.Body == nil {
		req.Body = http.NoBody // as a server-side request always has: the API may read it
	}
	req.RemoteAddr = r.RemoteAddr
	if id := r.Header.Get("X-Request-Id"); id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	if s.SignedIn() {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Language", apiLanguage[language(r)]) // problems in the page's language
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	rec := &recorder{header: http.Header{}}
	con.deps.API.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return apiResult{Status: rec.status, Header: rec.header, Body: rec.body.Bytes()}
}

// get reads path (with query) as the session's holder and decodes the JSON into v.
func (con *Console) get(r *http.Request, s *session, path string, q url.Values, v any) error {
	return con.call(r, s, apiCall{method: http.MethodGet, path: path, query: q}).decode(v)
}

// postJSON posts v as JSON with an Idempotency-Key derived from the form's nonce.
func (con *Console) postJSON(r *http.Request, s *session, path, nonce string, v any) apiResult {
	return con.sendJSON(r, s, http.MethodPost, path, nonce, v)
}

// sendJSON sends v as JSON with method (POST, PUT, PATCH) and an Idempotency-Key derived
// from the form's nonce.
func (con *Console) sendJSON(r *http.Request, s *session, method, path, nonce string, v any) apiResult {
	b, _ := json.Marshal(v)
	return con.call(r, s, apiCall{method: method, path: path, body: bytes.NewReader(b),
		contentType: "application/json", header: map[string]string{"Idempotency-Key": idempotencyKey(nonce, path)}})
}

// casePath is the API path of a case, or of a sub-resource of it.
func casePath(number string, rest ...string) string {
	p := "/api/v1/cases/" + url.PathEscape(number)
	for _, s := range rest {
		p += "/" + s
	}
	return p
}
