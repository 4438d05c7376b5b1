package devserver

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/cicpa/weiquan/internal/freeport"
)

// FreePort is a free TCP port on the loopback interface, reserved so that the kernel hands
// it to nobody else before the server binds it (freeport.Reserve).
func FreePort() (int, error) { return freeport.Reserve(host) }

// portFree reports an error a person can act on when port is taken.
func portFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("%s:%d is in use (is another weiquan dev running?): %w", host, port, err)
	}
	return l.Close()
}

func waitListening(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		conn, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, "tcp", addr)
		if err == nil {
			return conn.Close()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("embedded temporal did not listen on %s: %w", addr, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
