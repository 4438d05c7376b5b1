package api

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A body that does not arrive is cut off at the deadline and refused; a body that arrives is
// read. The test waits for the signal (the handler's failed read), not for a clock.
func TestBodyDeadline(t *testing.T) {
	got := make(chan error, 1)
	serve := func(base time.Duration) *httptest.Server {
		return httptest.NewServer(BodyDeadline(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, err := io.ReadAll(r.Body)
			got <- err
			if err != nil {
				http.Error(w, "body too slow", http.StatusRequestTimeout)
				return
			}
			_, _ = io.WriteString(w, "ok")
		}), base))
	}
	// the whole body is read under the servers' own budget, however slow the machine
	whole := serve(BodyTime)
	defer whole.Close()
	// the trickle is cut off by a short one: the test then waits for the failed read
	srv := serve(200 * time.Millisecond)
	defer srv.Close()

	// a complete body: read, answered
	res, err := http.Post(whole.URL, "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if err := <-got; err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("a whole body: %v %d", err, res.StatusCode)
	}

	// a body that never arrives: the handler's read fails once the deadline passes
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
	err = <-got
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("a trickled body was read: %v", err)
	}
	line, _ := bufio.NewReader(conn).ReadString('\n')
	if !strings.Contains(line, "408") {
		t.Fatalf("reply %q", line)
	}
}
