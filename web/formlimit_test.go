package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingBody counts what the handler read of a body.
type countingBody struct {
	r    io.Reader
	read int
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

// A form post without a session is answered before its body is read (only sign-in reads
// one, and only a few KiB); a signed-in form other than an upload is bounded too.
func TestFormBodiesAreBoundedBeforeTheyAreRead(t *testing.T) {
	sys := newSystem(t)
	h := sys.console.Handler()
	big := func() *countingBody { return &countingBody{r: strings.NewReader(strings.Repeat("x", 8<<20))} }
	for _, path := range []string{"/cases", "/cases/BJ-2026-0001/attachments", "/calendar"} {
		body := big()
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther || body.read != 0 {
			t.Errorf("%s without a session: %d after reading %d bytes", path, rec.Code, body.read)
		}
	}
	body := big()
	req := httptest.NewRequest(http.MethodPost, "/signin", body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || body.read > maxAnonymous+1 {
		t.Errorf("an 8 MiB sign-in: %d after reading %d bytes", rec.Code, body.read)
	}
}
