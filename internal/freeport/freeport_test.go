package freeport

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReserveLeavesPortInTimeWaitAndBindable: the reserved port is held by a TIME_WAIT
// socket (so the kernel hands it to nobody else), and a server can still listen on it.
func TestReserveLeavesPortInTimeWaitAndBindable(t *testing.T) {
	port, err := Reserve("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if port <= 0 || port > 65535 {
		t.Fatalf("port %d", port)
	}
	if runtime.GOOS == "linux" {
		// The accepted side reaches TIME_WAIT once the client's FIN arrives: wait for it.
		for !inTimeWait(t, port) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen on the reserved port: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReserveGivesDistinctPorts(t *testing.T) {
	seen := map[int]bool{}
	for range 20 {
		p, err := Reserve("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] {
			t.Fatalf("port %d reserved twice within a second", p)
		}
		seen[p] = true
	}
}

// inTimeWait reports whether /proc/net/tcp has a socket on 127.0.0.1:port in TIME_WAIT (06).
func inTimeWait(t *testing.T, port int) bool {
	t.Helper()
	f, err := os.Open("/proc/net/tcp")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	local := fmt.Sprintf("0100007F:%04X", port)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 3 && fields[1] == local && fields[3] == "06" {
			return true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return false
}
