package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cicpa/weiquan/activities"
	"github.com/cicpa/weiquan/api"
	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/config"
	"github.com/cicpa/weiquan/devserver"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/telemetry"
	"github.com/cicpa/weiquan/web"
	"github.com/cicpa/weiquan/worker"
)

// devKeyFile holds the HS256 key of a dev data directory, so `weiquan token --data-dir`
// mints tokens the dev API accepts.
const devKeyFile = "signing.key"

// runDev runs the whole system in one process: embedded Temporal (SQLite in the data dir),
// its Web UI, the store on embedded SQLite, the worker and the API. State survives restarts.
func runDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dev", stderr)
	port := fs.Int("port", 8080, "HTTP API and console port")
	tport := fs.Int("temporal-port", 7233, "embedded Temporal frontend (gRPC) port")
	uiPort := fs.Int("ui-port", 8233, "Temporal Web UI port (0: no UI)")
	dataDir := fs.String("data-dir", ".weiquan", "where all state is kept")
	if err := parse(fs, args); err != nil {
		return err
	}
	started := time.Now()
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("--data-dir: %w", err)
	}
	key, err := ensureDevKey(dir)
	if err != nil {
		return err
	}
	payload, err := ensureDevPayloadKeys(dir) // Temporal payloads encrypted, as in production
	if err != nil {
		return err
	}
	log := newLogger(os.Getenv("WEIQUAN_LOG_LEVEL"), os.Stderr)
	l, err := listen("--port", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		return err
	}
	defer l.Close()
	// Year files an admin uploads land in calDir, so they are in force again after a restart.
	calDir := os.Getenv("WEIQUAN_CALENDAR_DIR")
	if calDir == "" {
		calDir = filepath.Join(dir, "calendar")
	}
	if err := os.MkdirAll(calDir, 0o750); err != nil {
		return fmt.Errorf("calendar dir: %w", err)
	}
	cal, err := loadCalendar(calDir)
	if err != nil {
		return err
	}
	srv, err := devserver.Start(ctx, devserver.Options{DataDir: dir, Port: *tport, UIPort: *uiPort, LogFile: filepath.Join(dir, "temporal.log")})
	if err != nil {
		return err
	}
	defer srv.Stop()
	st, err := openStore(ctx, "sqlite://"+filepath.Join(dir, "weiquan.db"), true)
	if err != nil {
		return err
	}
	defer st.Close()
	logSupersessions(st, log)
	// one registry for everything the process runs: SDK (client and worker), HTTP, figures
	metrics := telemetry.NewRegistry()
	sdkMetrics, err := newSDKMetrics(metrics, log, true)
	if err != nil {
		return err
	}
	c, err := dialTemporal(ctx, config.Temporal{Address: srv.HostPort(), Namespace: srv.Namespace(), Payload: payload}, log, sdkMetrics)
	if err != nil {
		return err
	}
	defer c.Close()
	dcfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	holder := calendar.NewHolder(cal)
	dcfg.BlobDir = filepath.Join(dir, "blobs")
	letters, err := newLetters(st, dcfg, log, false)
	if err != nil {
		return err
	}
	if err := ensureSearchAttributes(ctx, c, srv.Namespace(), log); err != nil {
		return err
	}
	acts := &activities.Activities{Recorder: st, Marks: st, Calendar: holder, Cases: st, Notices: noticeIssuer(letters)}
	w := worker.New(c, acts, worker.Options{CacheSize: dcfg.WorkerCacheSize})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()
	if err := seedDevStaff(ctx, st); err != nil {
		return err
	}
	dctx, stopDispatch := context.WithCancel(ctx)
	defer startDispatcher(dctx, st, dcfg, holder, letters, log)()
	defer startCompactor(dctx, st, log)()
	defer stopDispatch()
	metrics.MustRegister(telemetry.NewBusiness(st, holder.Current, log))
	a := api.New(api.Deps{Logger: log, Ready: readiness(st, c), Version: version, Store: st, Metrics: metrics,
		Engine: api.TemporalEngine{Client: c}, Calendar: holder, Verifier: auth.HS256Verifier{Key: key},
		BlobDir: filepath.Join(dir, "blobs"), CalendarDir: calDir, Documents: documentSource(letters),
		WebhookTargets: notify.TargetPolicy{Allow: dcfg.WebhookAllow}})
	if err := mountCodec(a, payload, srv.UIURL()); err != nil {
		return err
	}
	console := web.New(web.Deps{API: a.Handler(), Logger: log, SessionKey: devSessionKey(key),
		Mint: func(o auth.MintOptions) (string, error) { o.Now = time.Now(); return auth.Mint(key, o) }})
	printBanner(stdout, banner{api: "http://" + l.Addr().String(), temporal: srv.HostPort(), ui: srv.UIURL(),
		dir: dir, calendar: cal.Version(), ready: time.Since(started)})
	return serve(ctx, l, console.Handler(), 10*time.Second)
}

// ensureDevKey returns the data directory's signing key, creating it on first start.
func ensureDevKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, devKeyFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write the dev signing key: %w", err)
		}
	}
	return readDevKey(dir)
}

// devSessionKey derives the console's cookie key from the dev signing key, so sessions
// survive a restart of the same data directory.
func devSessionKey(signing []byte) []byte {
	k := sha256.Sum256(append([]byte("weiquan console session\x00"), signing...))
	return k[:]
}

type banner struct {
	api, temporal, ui, dir, calendar string
	ready                            time.Duration
}

func printBanner(w io.Writer, b banner) {
	ui := b.ui
	if ui == "" {
		ui = "(off)"
	}
	fmt.Fprintf(w, "weiquan dev is ready (%s)\n", b.ready.Round(time.Millisecond))
	fmt.Fprintf(w, "  API          %s/api/v1   health %s/healthz, readiness %s/readyz\n", b.api, b.api, b.api)
	fmt.Fprintf(w, "  Console      %s/\n", b.api)
	fmt.Fprintf(w, "  Temporal     %s (namespace default)   Web UI %s\n", b.temporal, ui)
	fmt.Fprintf(w, "  Data dir     %s\n", b.dir)
	fmt.Fprintf(w, "  Calendar     %s\n\n", b.calendar)
	fmt.Fprintln(w, "Tokens (send as Authorization: Bearer <token>; from a checkout use `go run ./cmd/weiquan token ...`):")
	for _, r := range []struct{ who, args string }{
		{"member", "--role member --institute BJ --member 110000000001"},
		{"secretary", "--role secretary --institute BJ"},
		{"supervisor", "--role supervisor --institute BJ   (CICPA supervisors see all institutes)"},
		{"admin", "--role admin --institute CICPA"},
	} {
		fmt.Fprintf(w, "  %-11s weiquan token --data-dir %s %s\n", r.who, b.dir, r.args)
	}
	fmt.Fprintln(w, "Ctrl-C stops everything; state stays in the data dir.")
}

// devPeople are the people of the journeys (shared/mission/journeys.md), by the subjects
// `weiquan token` and the development sign-in mint by default.
var devPeople = []store.StaffMember{
	{ID: "secretary@BJ", Institute: "BJ", Role: article23.RoleSecretary, Name: "李秘书", Email: "li@bj.example"},
	{ID: "secretary2@BJ", Institute: "BJ", Role: article23.RoleSecretary, Name: "马秘书", Email: "ma@bj.example"},
	{ID: "supervisor@BJ", Institute: "BJ", Role: article23.RoleSupervisor, Name: "张处长", Email: "zhang@bj.example"},
	{ID: "supervisor@CICPA", Institute: "CICPA", Role: article23.RoleSupervisor, Name: "注册管理部", Email: "reg@cicpa.example"},
	{ID: "admin@CICPA", Institute: "CICPA", Role: article23.RoleAdmin, Name: "系统管理员"},
}

// seedDevStaff puts the journeys' people in the staff directory, and gives every other
// institute a secretary and a supervisor whose ids are the subjects `weiquan token` mints by
// default (secretary@SH …), so the messages of every institute have someone to reach. Only
// in dev; people already in the directory are left as they are.
func seedDevStaff(ctx context.Context, st *store.Store) error {
	insts, err := st.Institutes(ctx)
	if err != nil {
		return err
	}
	people := slices.Clone(devPeople)
	for _, in := range insts {
		short := strings.TrimSuffix(in.Name, "注册会计师协会")
		for _, role := range []article23.Role{article23.RoleSecretary, article23.RoleSupervisor} {
			if in.Code != "BJ" && in.Code != article23.NationalInstitute {
				people = append(people, store.StaffMember{ID: string(role) + "@" + in.Code, Institute: in.Code, Role: role,
					Name: short + map[article23.Role]string{article23.RoleSecretary: "秘书", article23.RoleSupervisor: "处长"}[role]})
			}
		}
	}
	for _, m := range people {
		m.Active = true
		if _, err := st.AddStaff(ctx, m); err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("dev staff: %w", err)
		}
	}
	return nil
}
