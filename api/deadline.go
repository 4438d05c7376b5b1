package api

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// Request bodies must arrive at a useful pace: a body trickled a byte every few seconds would
// otherwise hold a connection (and a goroutine) for as long as its sender likes. A request
// gets BodyTime to deliver its body, plus the time a large body needs at MinBodyRate.
const (
	BodyTime    = 30 * time.Second
	MinBodyRate = 256 << 10 // bytes per second: 20 MiB in 110 s
)

// BodyDeadline sets the read deadline of each request that has a body (the connection's,
// through http.ResponseController): base (BodyTime in the servers), plus Content-Length at
// MinBodyRate. Past it,
// reading the body fails and the request is refused. Once the body is read to its end the
// deadline is lifted, so a handler's own work is not bounded by it.
func BodyDeadline(h http.Handler, base time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		budget := base
		if r.ContentLength > 0 {
			budget += time.Duration(r.ContentLength) * time.Second / MinBodyRate
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(budget)) == nil {
			r.Body = &deadlineBody{ReadCloser: r.Body, lift: func() { _ = rc.SetReadDeadline(time.Time{}) }}
		}
		h.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline when its body has been read to the end.
type deadlineBody struct {
	io.ReadCloser
	lift func()
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, io.EOF) && !b.done {
		b.done = true
		b.lift()
	}
	return n, err
}
