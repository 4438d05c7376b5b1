package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	postgresplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	toolsql "go.temporal.io/server/tools/sql"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Postgres persists the server in PostgreSQL, as production's Temporal does, instead of
// SQLite: the history store in database Database and visibility in Database+"_visibility" on
// the server URL names. Both databases are created when absent and brought to this server
// release's schema from the schema files it embeds, as its temporal-sql-tool's
// create-database, setup-schema -v 0.0 and update-schema do.
type Postgres struct {
	// URL is postgres://user[:password]@host:port/?sslmode=…; its path is ignored.
	URL string
	// Database names the history store's database.
	Database string
	// HistoryShards is fixed for the life of the database; 0 means 4.
	HistoryShards int32
}

// schema names of the server's embedded PostgreSQL schemas (go.temporal.io/server/schema)
const (
	pgHistorySchema    = "postgresql/v12/temporal"
	pgVisibilitySchema = "postgresql/v12/visibility"
	namespaceRetention = 30 * 24 * time.Hour
)

func (p Postgres) visibilityDatabase() string { return p.Database + "_visibility" }

func (p Postgres) shards() int32 {
	if p.HistoryShards > 0 {
		return p.HistoryShards
	}
	return 4
}

// sqlConfig is the server's connection to database db.
func (p Postgres) sqlConfig(db string) (*config.SQL, error) {
	u, err := url.Parse(p.URL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Hostname() == "" {
		return nil, fmt.Errorf("temporal on postgres: want a URL like postgres://user@host:5432/, got %q", p.URL)
	}
	if p.Database == "" {
		return nil, errors.New("temporal on postgres: no database name")
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	conf := &config.SQL{PluginName: postgresplugin.PluginName, DatabaseName: db, ConnectProtocol: "tcp",
		ConnectAddr: net.JoinHostPort(u.Hostname(), port), User: u.User.Username(),
		MaxConns: 20, MaxIdleConns: 20, MaxConnLifetime: time.Hour, ConnectAttributes: map[string]string{}}
	conf.Password, _ = u.User.Password()
	for k, v := range u.Query() {
		if k != "search_path" && len(v) > 0 {
			conf.ConnectAttributes[k] = v[0]
		}
	}
	return conf, nil
}

// prepare creates both databases where absent and updates their schemas to this release's.
func (p Postgres) prepare(logger log.Logger) (history, visibility *config.SQL, err error) {
	for _, s := range []struct {
		db, schema string
		conf       **config.SQL
	}{{p.Database, pgHistorySchema, &history}, {p.visibilityDatabase(), pgVisibilitySchema, &visibility}} {
		conf, err := p.sqlConfig(s.db)
		if err != nil {
			return nil, nil, err
		}
		if err := setupDatabase(conf, s.schema, logger); err != nil {
			return nil, nil, fmt.Errorf("temporal database %s: %w", s.db, err)
		}
		*s.conf = conf
	}
	return history, visibility, nil
}

// setupDatabase creates conf's database if it is absent, then applies every versioned
// schema change the database has not had yet.
func setupDatabase(conf *config.SQL, schemaName string, logger log.Logger) error {
	admin := *conf
	if err := toolsql.DoCreateDatabase(&admin, "postgres", logger); err != nil && !isDuplicateDatabase(err) {
		return fmt.Errorf("create: %w", err)
	}
	conn, err := toolsql.NewConnection(conf, logger)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ReadSchemaVersion(); err != nil { // a new database: the version tables first
		if err := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
			return fmt.Errorf("set up schema versioning: %w", err)
		}
	}
	if err := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{SchemaName: schemaName}, logger).Run(); err != nil {
		return fmt.Errorf("update schema %s: %w", schemaName, err)
	}
	return nil
}

// isDuplicateDatabase is PostgreSQL's 42P04, "database already exists".
func isDuplicateDatabase(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "42P04") || strings.Contains(err.Error(), "already exists"))
}

// DropPostgres drops the databases p's server used; the server must be stopped.
func DropPostgres(p Postgres) error {
	var errs []error
	for _, db := range []string{p.Database, p.visibilityDatabase()} {
		conf, err := p.sqlConfig(db)
		if err != nil {
			return err
		}
		if err := toolsql.DoDropDatabase(conf, "postgres", newLogger("")); err != nil {
			errs = append(errs, fmt.Errorf("drop %s: %w", db, err))
		}
	}
	return errors.Join(errs...)
}

// registerNamespaces creates the namespaces a PostgreSQL-backed server lacks, through its
// frontend (the SQLite store has them written before the server starts), and waits until
// each can be described, so a worker started next finds it. The search attributes are the
// workers' to register (worker.EnsureSearchAttributes), as in production.
func registerNamespaces(ctx context.Context, hostPort string, names []string) error {
	c, err := client.NewNamespaceClient(client.Options{HostPort: hostPort})
	if err != nil {
		return fmt.Errorf("namespace client: %w", err)
	}
	defer c.Close()
	for _, name := range names {
		err := c.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: name,
			WorkflowExecutionRetentionPeriod: durationpb.New(namespaceRetention)})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return fmt.Errorf("register namespace %s: %w", name, err)
		}
	}
	for _, name := range names {
		for {
			if _, err := c.Describe(ctx, name); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("namespace %s not visible: %w", name, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return nil
}
