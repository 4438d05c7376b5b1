// Command weiquan is the whole weiquan system in one binary: `dev` runs everything in one
// process on embedded defaults; `api` and `worker` are the production processes; `migrate`,
// `token`, `calendar`, `seed` and `version` are the tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// usageError is bad command-line input: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `weiquan — Article 23 rights-protection case management

Usage: weiquan <command> [flags]

Commands:
  dev        run the whole system in one process (embedded Temporal, SQLite, API, worker)
  api        run the HTTP API (production; configured by environment)
  worker     run the Temporal worker (production; configured by environment)
  migrate    apply the database schema (DATABASE_URL or --database-url); safe to run twice
  temporal-setup  register the case workflow's search attributes in TEMPORAL_NAMESPACE (the worker also does)
  token      mint an access token: --role R --institute I [--member M] [--data-dir D]
  calendar   working-day calendar: due, year, status
  seed       load N deterministic demo cases into the database
  bench      load and capacity figures on a system of its own (docs/BENCHMARKS.md)
  probe      GET a health URL and exit 0 on 2xx (container health checks)
  reconcile  compare the case workflows with the store; exit 1 when any case differs
  version    print the version

Run 'weiquan <command> -h' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "weiquan:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		return runDev(ctx, rest, stdout, stderr)
	case "api":
		return runAPI(ctx, rest, stderr)
	case "worker":
		return runWorker(ctx, rest, stderr)
	case "temporal-setup":
		return runTemporalSetup(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "token":
		return runToken(rest, stdout, stderr)
	case "calendar":
		return runCalendar(rest, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, stdout, stderr)
	case "probe":
		return runProbe(ctx, rest, stdout, stderr)
	case "reconcile":
		return runReconcile(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "weiquan", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
