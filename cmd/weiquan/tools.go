package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/calendar/calendarcli"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/store"
)

// newFlags returns a flag set that reports errors to the caller instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("weiquan "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses args and turns a flag error into a usage error (exit 2).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// runToken mints an access token. With --data-dir it uses the key of that `weiquan dev`
// data directory; otherwise WEIQUAN_SIGNING_KEY(_FILE). The token is the last line printed.
func runToken(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token", stderr)
	role := fs.String("role", "", "member, secretary, supervisor or admin")
	institute := fs.String("institute", "", "institute code, e.g. BJ or CICPA")
	member := fs.String("member", "", "member number (member tokens)")
	name := fs.String("name", "", "display name")
	subject := fs.String("sub", "", "subject (default role@institute[/member])")
	dataDir := fs.String("data-dir", "", "a `weiquan dev` data directory whose key to use")
	ttl := fs.Duration("ttl", 12*time.Hour, "validity")
	if err := parse(fs, args); err != nil {
		return err
	}
	key, err := tokenKey(*dataDir)
	if err != nil {
		return err
	}
	tok, err := auth.Mint(key, auth.MintOptions{Subject: *subject, Role: article23.Role(*role), Institute: *institute,
		MemberNo: *member, Name: *name, TTL: *ttl, Now: time.Now()})
	if err != nil {
		return usageError{err.Error()}
	}
	fmt.Fprintf(stderr, "token for %s at %s, valid %s:\n", *role, *institute, *ttl)
	fmt.Fprintln(stdout, tok)
	return nil
}

func tokenKey(dataDir string) ([]byte, error) {
	if dataDir != "" {
		return readDevKey(dataDir)
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(config.RoleToken); err != nil {
		return nil, err
	}
	return cfg.SigningKey, nil
}

// readDevKey reads the signing key that `weiquan dev` keeps in its data directory.
func readDevKey(dataDir string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, devKeyFile))
	if err != nil {
		return nil, fmt.Errorf("read the dev signing key (has `weiquan dev --data-dir %s` run?): %w", dataDir, err)
	}
	return config.DecodeKey(string(b))
}

// runMigrate applies the schema; running it twice changes nothing.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	dsn := fs.String("database-url", os.Getenv("DATABASE_URL"), "postgres://… or sqlite://…")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	cfg.DatabaseURL = *dsn
	if err := cfg.Validate(config.RoleMigrate); err != nil {
		return err
	}
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	applied, err := st.AppliedMigrations(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema up to date (%s): migrations %v\n", st.Dialect(), applied)
	return nil
}

// runCalendar hands over to the calendar tool.
func runCalendar(args []string, stdout, stderr io.Writer) error {
	if err := calendarcli.Run(args, stdout, stderr, os.Getenv); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

// runSeed loads deterministic demo cases (a load fixture: rows written directly, no workflows).
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", stderr)
	dsn := fs.String("database-url", os.Getenv("DATABASE_URL"), "postgres://… or sqlite://…")
	n := fs.Int("cases", 1000, "number of cases")
	seed := fs.Int64("seed", 1, "random seed (same seed and --now, same cases)")
	now := fs.String("now", "", "the day the cases are seeded up to, YYYY-MM-DD (default today)")
	if err := parse(fs, args); err != nil {
		return err
	}
	until := time.Now()
	if *now != "" {
		d, err := calendar.ParseDate(*now)
		if err != nil {
			return usageError{"--now: " + err.Error()}
		}
		until = d.End().Add(-time.Second)
	}
	if *n < 1 || *n > 10_000_000 {
		return usageError{fmt.Sprintf("--cases must be 1–10000000, got %d", *n)}
	}
	st, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	if err := st.Seed(ctx, store.SeedOptions{Cases: *n, Seed: *seed, Now: until}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d cases in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}
