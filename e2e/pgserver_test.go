package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cicpa/weiquan/devserver"
)

// pgServer is a PostgreSQL server of the test's own (initdb in its temp dir, a free port),
// so stopping it never touches the shared database.
type pgServer struct {
	t          *testing.T
	bin, data  string
	port       int
	asPostgres bool // initdb refuses root: run the server as the postgres user
}

// startPostgres starts a private server, or skips (fails under CI=true) when the PostgreSQL
// binaries are missing.
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	bin := os.Getenv("WEIQUAN_PG_BIN")
	if bin == "" {
		bin = "/usr/lib/postgresql/15/bin"
	}
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL binaries not found in %s (set WEIQUAN_PG_BIN)", bin)
		}
		t.Skipf("PostgreSQL binaries not found in %s (set WEIQUAN_PG_BIN); under CI=true this fails", bin)
	}
	port, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := &pgServer{t: t, bin: bin, data: filepath.Join(dir, "pgdata"), port: port, asPostgres: os.Geteuid() == 0}
	if p.asPostgres {
		p.shareWithPostgres(dir)
	}
	p.run("initdb", "-D", p.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")
	p.start()
	t.Cleanup(func() { _ = p.cmd("pg_ctl", "-D", p.data, "-m", "immediate", "stop").Run() })
	return p
}

// URL is the server's connection string.
func (p *pgServer) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", p.port)
}

func (p *pgServer) start() {
	p.run("pg_ctl", "-D", p.data, "-w", "-l", p.data+".log", "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", p.port, filepath.Dir(p.data)), "start")
}

// crash stops the server at once, as a lost database host does (no clean shutdown).
func (p *pgServer) crash() { p.run("pg_ctl", "-D", p.data, "-m", "immediate", "stop") }

func (p *pgServer) run(name string, args ...string) {
	p.t.Helper()
	if out, err := p.cmd(name, args...).CombinedOutput(); err != nil {
		p.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func (p *pgServer) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.asPostgres {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// shareWithPostgres lets the postgres user into the test's temp dir.
func (p *pgServer) shareWithPostgres(dir string) {
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
