package storetest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cicpa/weiquan/internal/freeport"
	"github.com/cicpa/weiquan/internal/testenv"
)

// Server is a PostgreSQL server of the test's own (initdb in its temp dir, a free loopback
// port), so stopping or crashing it never touches the shared database. It runs with
// fsync=off: it is thrown away with the test.
type Server struct {
	t          testing.TB
	bin, data  string
	port       int
	asPostgres bool // initdb refuses root: run the server as the postgres user
}

// StartServer starts a private server from the installed binaries (WEIQUAN_PG_BIN, default
// /usr/lib/postgresql/15/bin), or skips when they are missing (fails under CI=true). The
// server is stopped when the test ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin := os.Getenv("WEIQUAN_PG_BIN")
	if bin == "" {
		bin = "/usr/lib/postgresql/15/bin"
	}
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		testenv.Missing(t, "PostgreSQL binaries not found in %s (set WEIQUAN_PG_BIN); under CI=true this fails", bin)
	}
	dir := t.TempDir()
	p := &Server{t: t, bin: bin, data: filepath.Join(dir, "pgdata"), port: freePort(t), asPostgres: os.Geteuid() == 0}
	if p.asPostgres {
		p.shareWithPostgres(dir)
	}
	p.run("initdb", "-D", p.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
	p.Start()
	t.Cleanup(func() { _ = p.cmd("pg_ctl", "-D", p.data, "-m", "immediate", "stop").Run() })
	return p
}

// URL is the server's connection string (database postgres, a 2 s connect timeout).
func (p *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", p.port)
}

// Start starts the server (again) and waits until it accepts connections.
func (p *Server) Start() {
	p.t.Helper()
	p.run("pg_ctl", "-D", p.data, "-w", "-l", p.data+".log", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", p.port, filepath.Dir(p.data)), "start")
}

// Crash stops the server at once, as a lost database host does (no clean shutdown).
func (p *Server) Crash() {
	p.t.Helper()
	p.run("pg_ctl", "-D", p.data, "-m", "immediate", "stop")
}

func (p *Server) run(name string, args ...string) {
	p.t.Helper()
	if out, err := p.cmd(name, args...).CombinedOutput(); err != nil {
		p.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func (p *Server) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.asPostgres {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// shareWithPostgres lets the postgres user into the test's temp dir.
func (p *Server) shareWithPostgres(dir string) {
	p.t.Helper()
	u, err := user.Lookup("postgres")
	if err != nil {
		p.t.Skipf("running as root and no postgres user to run the private server: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			p.t.Fatal(err)
		}
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		p.t.Fatal(err)
	}
}

// freePort is a loopback TCP port nothing listens on now, reserved until PostgreSQL binds it.
func freePort(t testing.TB) int {
	t.Helper()
	p, err := freeport.Reserve("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
