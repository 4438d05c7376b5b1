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
// differs; the last line is JSON {"checked","differ","repaired"}, and the exit status is 1
// when anything differs. Against `weiquan dev` with --data-dir (and --temporal-address),
// otherwise configured by the environment as the worker is.
func runReconcile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reconcile", stderr)
	fs.Bool("check", true, "compare and report (the only mode so far: nothing is changed)")
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
	c, err := dialTemporal(ctx, tcfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer c.Close()
	running, err := reconcile.Running(ctx, c)
	if err != nil {
		return err
	}
	r, err := reconcile.Check(ctx, st, api.TemporalEngine{Client: c}, running)
	if err != nil {
		return err
	}
	for _, d := range r.Differences {
		fmt.Fprintf(stdout, "%s: %s\n", d.Number, d.What)
	}
	line, _ := json.Marshal(r)
	fmt.Fprintln(stdout, string(line))
	if r.Differ > 0 {
		return fmt.Errorf("reconcile: %d of %d cases differ between Temporal and the store", r.Differ, r.Checked)
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
