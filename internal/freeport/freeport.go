// Package freeport picks loopback TCP ports for servers that are given a port number, not a
// listener: the embedded Temporal server's services, a test's PostgreSQL, a child weiquan.
//
// A port found free by listening on port 0 and closing is free only until the kernel hands
// it out again, and it does: every outgoing connection (a test's database pool, a gRPC
// client) takes an ephemeral port from the same range. The embedded Temporal server cannot
// be retried past that: its gRPC listener's failure calls the logger's Fatal, which exits
// the process. So Reserve leaves the port in TIME_WAIT, the trick of Yelp's
// ephemeral-port-reserve: for the next minute the kernel gives the port to no outgoing
// connection and no other port-0 listener, while a server that binds it by number with
// SO_REUSEADDR (every Go listener, PostgreSQL) can.
package freeport

import (
	"fmt"
	"net"
)

// Reserve returns a port on host ("127.0.0.1") that nothing listens on and that the kernel
// will not hand out on its own for about a minute.
func Reserve(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		return 0, fmt.Errorf("reserve port %d: %w", port, err)
	}
	defer client.Close()
	server, err := l.Accept()
	if err != nil {
		return 0, fmt.Errorf("reserve port %d: %w", port, err)
	}
	// The side that closes first is the one left in TIME_WAIT: the accepted connection,
	// whose local port is the reserved one.
	if err := server.Close(); err != nil {
		return 0, fmt.Errorf("reserve port %d: %w", port, err)
	}
	return port, nil
}
