package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/reconcile"
)

// runReconcile compares the case workflows with the store and reports every case that
// differs; with --repair it then brings each such case in step from its workflow. The last
// line is JSON {"checked","differ","repaired"}; the exit status is 1 when anything differs
// (with --repair: when anything still differs). Against `weiquan dev` with --data-dir (and
// --temporal-address), otherwise configured by the environment as the worker is.
func runReconcile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reconcile", stderr)
	fs.Bool("check", true, "compare and report (the default; changes nothing)")
	repair := fs.Bool("repair", false, "after the check, re-record from each differing case's workflow what the store lacks")
	dir := fs.String("data-dir", "", "a `weiquan dev` data directory (its store and payload key)")
	address := fs.String("temporal-address", "127.0.0.1:7233", "with --data-dir: the dev Temporal frontend")
	if err := parse(fs, args); err != nil {
		return err
	}
	dsn, tcfg, err := reconcileTargets(*dir, *address)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, dsn, false)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := dialTemporal(ctx, tcfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		return err
	}
	defer c.Close()
	running, err := reconcile.Running(ctx, c)
	if err != nil {
		return err
	}
	eng := api.TemporalEngine{Client: c}
	r, err := reconcile.Check(ctx, st, eng, running)
	if err != nil {
		return err
	}
	printDifferences(stdout, "", r.Differences)
	if !*repair || r.Differ == 0 {
		return reconciled(stdout, r, r.Differ)
	}
	fixed, err := reconcile.Repair(ctx, st, eng, r)
	if err != nil {
		return err
	}
	printDifferences(stdout, "after the repair: ", fixed.Differences)
	return reconciled(stdout, fixed, r.Differ-fixed.Repaired)
}

func printDifferences(w io.Writer, prefix string, diffs []reconcile.Difference) {
	for _, d := range diffs {
		fmt.Fprintf(w, "%s%s: %s\n", prefix, d.Number, d.What)
	}
}

// reconciled prints the report's JSON line and fails when left cases still differ.
func reconciled(w io.Writer, r reconcile.Report, left int) error {
	line, _ := json.Marshal(r)
	fmt.Fprintln(w, string(line))
	if left > 0 {
		return fmt.Errorf("reconcile: %d of %d cases differ between Temporal and the store", left, r.Checked)
	}
	return nil
}

// reconcileTargets is where the store and Temporal are: a dev data dir's, or the environment's.
func reconcileTargets(dir, address string) (string, config.Temporal, error) {
	if dir != "" {
		payload, err := ensureDevPayloadKeys(dir)
		if err != nil {
			return "", config.Temporal{}, err
		}
		return "sqlite://" + filepath.Join(dir, "weiquan.db"), config.Temporal{Address: address, Namespace: "default", Payload: payload}, nil
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return "", config.Temporal{}, err
	}
	if cfg.DatabaseURL == "" {
		return "", config.Temporal{}, usageError{"DATABASE_URL is not set: give --data-dir of a weiquan dev, or the worker's environment"}
	}
	return cfg.DatabaseURL, cfg.Temporal, nil
}
