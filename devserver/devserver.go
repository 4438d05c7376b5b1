// Package devserver runs a real Temporal server inside the weiquan process: the frontend,
// history, matching and worker services on one host, persisted in SQLite (a file in the data
// directory, WAL mode, or memory for tests) or in PostgreSQL as in production, with the
// namespaces weiquan needs created at start (on SQLite with the search attributes too; on
// PostgreSQL the workers register those, as in production), and optionally the Temporal Web UI.
//
// It is the only package that imports go.temporal.io/server: every binary that links it is
// ~200 MB and slow to link, so only cmd/weiquan and the e2e tests do.
package devserver

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"

	"github.com/cicpa/weiquan/workflows"
	"go.temporal.io/server/temporal"
)

const (
	host        = "127.0.0.1"
	clusterName = "active"
)

// SearchAttributes are the custom search attributes the case workflow sets (one list, in
// workflows), registered with the namespace when the server creates it, so the Temporal UI and
// CLI can filter by them. Lists and dashboards read the store, not visibility.
var SearchAttributes = workflows.SearchAttributes

// Options configure an embedded server. The zero value runs in memory on free ports.
type Options struct {
	// DataDir holds temporal.db; empty keeps everything in memory.
	DataDir string
	// Port is the frontend gRPC port; 0 picks a free one.
	Port int
	// Namespace defaults to "default".
	Namespace string
	// ExtraNamespaces are created too: tests give each suite its own, so workers on the
	// same task queue never take each other's tasks.
	ExtraNamespaces []string
	// UIPort serves the Temporal Web UI when non-zero.
	UIPort int
	// LogFile receives the server's warnings; empty sends errors only to stderr.
	LogFile string
	// Postgres, when set, persists the server in PostgreSQL (DataDir is then unused).
	Postgres *Postgres
}

// Server is a running embedded Temporal server.
type Server struct {
	server    temporal.Server
	ui        *uiServer
	hostPort  string
	namespace string
	uiURL     string
}

// Start builds and starts the server and returns once its frontend accepts connections.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.Port == 0 {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		opts.Port = p
	} else if err := portFree(opts.Port); err != nil {
		return nil, fmt.Errorf("temporal port: %w", err)
	}
	srv, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{server: srv, hostPort: net.JoinHostPort(host, strconv.Itoa(opts.Port)), namespace: opts.Namespace}
	if err := waitListening(ctx, s.hostPort); err != nil {
		s.Stop()
		return nil, err
	}
	if opts.Postgres != nil {
		if err := registerNamespaces(ctx, s.hostPort, append([]string{opts.Namespace}, opts.ExtraNamespaces...)); err != nil {
			s.Stop()
			return nil, err
		}
	}
	if opts.UIPort != 0 {
		ui, err := startUI(opts.UIPort, s.hostPort, opts.Namespace)
		if err != nil {
			s.Stop()
			return nil, err
		}
		s.ui, s.uiURL = ui, fmt.Sprintf("http://%s:%d", host, opts.UIPort)
	}
	return s, nil
}

// newServer builds and starts the server on ports reserved by FreePort. A gRPC listener that
// cannot bind ends the process (the server calls its logger's Fatal), which is why the
// ports are reserved rather than only found free; the frontend's HTTP listener returns its
// error instead, and "address already in use" (and only that) is retried with fresh ports.
func newServer(opts Options) (temporal.Server, error) {
	for attempt := 1; ; attempt++ {
		conf, err := buildConfig(opts)
		if err != nil {
			return nil, err
		}
		srv, err := temporal.NewServer(serverOptions(conf, opts)...)
		if err == nil {
			if err = srv.Start(); err == nil {
				return srv, nil
			}
			_ = srv.Stop()
		}
		if attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			return nil, fmt.Errorf("start embedded temporal: %w", err)
		}
	}
}

// HostPort is the frontend address for SDK clients.
func (s *Server) HostPort() string { return s.hostPort }

// Namespace is the namespace created at start.
func (s *Server) Namespace() string { return s.namespace }

// UIURL is the Web UI's address, or "" when it is not served.
func (s *Server) UIURL() string { return s.uiURL }

// Stop stops the UI and the server; it is safe to call more than once.
func (s *Server) Stop() {
	if s.ui != nil {
		s.ui.stop()
		s.ui = nil
	}
	if s.server != nil {
		_ = s.server.Stop()
		s.server = nil
	}
}

func serverOptions(conf *config.Config, opts Options) []temporal.ServerOption {
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range map[primitives.ServiceName]string{
		primitives.FrontendService: "frontend", primitives.HistoryService: "history",
		primitives.MatchingService: "matching", primitives.WorkerService: "worker",
	} {
		hosts[name] = static.SingleLocalHost(net.JoinHostPort(host, strconv.Itoa(conf.Services[svc].RPC.GRPCPort)))
	}
	dyn := dynamicconfig.StaticClient{
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key():      true,
		dynamicconfig.FrontendPersistenceMaxQPS.Key():                    10000,
		dynamicconfig.HistoryPersistenceMaxQPS.Key():                     45000,
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 8096,
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// One host needs no task queue partitions, and the default four stalled dispatch:
		// with a backlog, pollers and tasks ended up in different partitions and 1,000 new
		// cases waited ~50 s for their first workflow task (docs/BENCHMARKS.md, "Dispatch
		// stalls"). New tasks go to one partition; four are still read, so a backlog an older
		// data directory left in the others drains instead of being stranded.
		dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,
		dynamicconfig.MatchingNumTaskqueueReadPartitions.Key():  4,
	}
	return []temporal.ServerOption{
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(newLogger(opts.LogFile)),
		temporal.WithDynamicConfigClient(dyn),
	}
}

func newLogger(file string) log.Logger {
	if file == "" {
		return log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "error"}))
	}
	return log.NewZapLogger(log.BuildZapLogger(log.Config{Level: "warn", OutputFile: file}))
}

func buildConfig(opts Options) (*config.Config, error) {
	var conf config.Config
	if err := persistence(&conf, opts); err != nil {
		return nil, err
	}
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = host
	httpPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	frontend := net.JoinHostPort(host, strconv.Itoa(opts.Port))
	conf.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{clusterName: {
			Enabled: true, InitialFailoverVersion: 1, RPCAddress: frontend,
			HTTPAddress: net.JoinHostPort(host, strconv.Itoa(httpPort)), ClusterID: "weiquan-dev",
		}},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	conf.Services = map[string]config.Service{}
	for _, name := range []string{"frontend", "history", "matching", "worker"} {
		var svc config.Service
		svc.RPC.BindOnIP = host
		if name == "frontend" {
			svc.RPC.GRPCPort, svc.RPC.HTTPPort = opts.Port, httpPort
		} else if svc.RPC.GRPCPort, err = FreePort(); err != nil {
			return nil, err
		}
		conf.Services[name] = svc
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	conf.PublicClient.HostPort = frontend
	return &conf, nil
}

// persistence sets conf's stores: SQLite (one database for history and visibility, one
// shard), or PostgreSQL when opts.Postgres is set.
func persistence(conf *config.Config, opts Options) error {
	if p := opts.Postgres; p != nil {
		history, visibility, err := p.prepare(newLogger(opts.LogFile))
		if err != nil {
			return err
		}
		conf.Persistence.DefaultStore, conf.Persistence.VisibilityStore = "postgres-default", "postgres-visibility"
		conf.Persistence.NumHistoryShards = p.shards()
		conf.Persistence.DataStores = map[string]config.DataStore{"postgres-default": {SQL: history}, "postgres-visibility": {SQL: visibility}}
		return nil
	}
	sqlConf, err := sqlConfig(opts)
	if err != nil {
		return err
	}
	conf.Persistence.DefaultStore, conf.Persistence.VisibilityStore = "sqlite-default", "sqlite-default"
	conf.Persistence.NumHistoryShards = 1
	conf.Persistence.DataStores = map[string]config.DataStore{"sqlite-default": {SQL: sqlConf}}
	return nil
}

// sqlConfig prepares the SQLite store: the schema on first use of a file, and the namespace
// (CreateNamespaces skips one that exists, so a data directory is reused across restarts).
func sqlConfig(opts Options) (*config.SQL, error) {
	conf := config.SQL{PluginName: sqliteplugin.PluginName}
	if opts.DataDir == "" {
		conf.ConnectAttributes = map[string]string{"mode": "memory", "cache": "shared"}
		conf.DatabaseName = "weiquan-" + strconv.Itoa(rand.IntN(1_000_000_000))
	} else {
		if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		// keys without "_": the plugin passes unknown keys as _pragma=key=value (measured: the
		// "_journal_mode" spelling was silently ignored, leaving a rollback journal and an fsync per commit)
		conf.ConnectAttributes = map[string]string{"mode": "rwc", "journal_mode": "wal", "synchronous": "normal", "busy_timeout": "5000"}
		conf.DatabaseName = filepath.Join(opts.DataDir, "temporal.db")
		if _, err := os.Stat(conf.DatabaseName); errors.Is(err, os.ErrNotExist) {
			if err := sqliteschema.SetupSchema(&conf); err != nil {
				return nil, fmt.Errorf("set up temporal schema: %w", err)
			}
		}
	}
	var nss []*sqliteschema.NamespaceConfig
	for _, name := range append([]string{opts.Namespace}, opts.ExtraNamespaces...) {
		ns, err := sqliteschema.NewNamespaceConfig(clusterName, name, false, SearchAttributes)
		if err != nil {
			return nil, fmt.Errorf("namespace config %s: %w", name, err)
		}
		nss = append(nss, ns)
	}
	if err := sqliteschema.CreateNamespaces(&conf, nss...); err != nil {
		return nil, fmt.Errorf("create namespaces: %w", err)
	}
	return &conf, nil
}
