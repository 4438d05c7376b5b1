// Package store persists weiquan's read model, append-only case log, notification outbox and
// reference data. It is the only package that imports GORM; it speaks PostgreSQL in production
// and SQLite (pure Go, modernc.org) in development and tests, with the same behaviour on both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors; callers test them with errors.Is.
var (
	ErrNotFound            = errors.New("not found")
	ErrIdempotencyConflict = errors.New("idempotency key reused with a different request")
	ErrOutOfOrder          = errors.New("event out of order")
	ErrUnavailable         = errors.New("database unavailable")
)

// Dialect names.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// Store is the repository over one database. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect string
	now     func() time.Time
	// writer is held by a write transaction on SQLite, which admits one writer at a time:
	// waiting here hands the lock over the moment it is free, while SQLite's own busy wait
	// sleeps in steps of up to 100 ms and, with a dozen writers, can starve one past its
	// timeout (SQLITE_BUSY).
	writer chan struct{}
	// onSupersede is told of each supersession Record makes (OnSupersede).
	onSupersede func(Supersession)
}

// sqliteParams make every SQLite connection behave alike: WAL for concurrent readers, a busy
// wait instead of SQLITE_BUSY, enforced foreign keys, write-locking transactions (so
// read-then-write transactions serialise instead of failing), and instants stored as integer
// microseconds so they compare numerically, as timestamptz does on PostgreSQL.
const sqliteParams = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)" +
	"&_txlock=immediate&_time_integer_format=unix_micro&_inttotime=1&_texttotime=0"

// Open connects to dsn: postgres://… or postgresql://… (pgx), or sqlite:///abs/path.db,
// sqlite://relative.db, sqlite://:memory:. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	dsn, poolSize, err := takePoolSize(dsn)
	if err != nil {
		return nil, err
	}
	dialector, dialect, err := dialectorFor(dsn)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		// SQLite parses every statement again unless it is prepared: 13 % of the CPU of an
		// intake bench went to its parser. pgx already caches statements per connection.
		PrepareStmt:        dialect == DialectSQLite,
		PrepareStmtMaxSize: 512,
	})
	if err != nil {
		return nil, connectError(dsn, err)
	}
	s := &Store{db: db, dialect: dialect, now: func() time.Time { return time.Now().UTC() }, writer: make(chan struct{}, 1)}
	sqlDB, _ := db.DB()
	if dialect == DialectSQLite && strings.Contains(dsn, ":memory:") {
		sqlDB.SetMaxOpenConns(1) // every connection to :memory: is a separate database: keep exactly one
	} else {
		setPool(sqlDB, poolSize)
		preparedOnPool(db, sqlDB)
	}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Connection pool of one process. database/sql keeps only 2 idle connections unless told
// otherwise: under concurrent requests every other transaction opened a new connection (on
// PostgreSQL a new server process, its authentication and pgx's type loading; on SQLite its
// statements prepared again), and nothing bounded how many were open, so a burst could exceed
// the server's max_connections (100 by default) and fail. api and worker each keep at most
// maxConns (DATABASE_URL's pool_max_conns, as pgxpool spells it), all of them reusable.
const (
	maxConns        = 20
	maxPoolSize     = 1000
	poolSizeParam   = "pool_max_conns"
	connMaxIdleTime = 5 * time.Minute
	connMaxLifetime = 30 * time.Minute
)

func setPool(db *sql.DB, size int) {
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	db.SetConnMaxLifetime(connMaxLifetime)
}

// takePoolSize removes pool_max_conns from dsn's query (neither driver knows it: pgx would
// send it to the server as a setting) and returns the pool size it asks for, maxConns when
// absent. The rest of the query is kept as written.
func takePoolSize(dsn string) (string, int, error) {
	base, query, found := strings.Cut(dsn, "?")
	if !found {
		return dsn, maxConns, nil
	}
	size, kept := maxConns, []string{}
	for _, kv := range strings.Split(query, "&") {
		v, ok := strings.CutPrefix(kv, poolSizeParam+"=")
		if !ok {
			kept = append(kept, kv)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPoolSize {
			return "", 0, fmt.Errorf("DATABASE_URL: %s must be a whole number from 1 to %d, got %q", poolSizeParam, maxPoolSize, v)
		}
		size = n
	}
	if len(kept) == 0 {
		return base, size, nil
	}
	return base + "?" + strings.Join(kept, "&"), size, nil
}

func dialectorFor(dsn string) (gorm.Dialector, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(dsn), DialectPostgres, nil
	case strings.HasPrefix(dsn, "sqlite://"):
		path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "sqlite://"), "?")
		if path == "" {
			return nil, "", fmt.Errorf("DATABASE_URL: sqlite:// needs a path, e.g. sqlite:///var/lib/weiquan.db")
		}
		params := sqliteParams
		if query != "" {
			params = query + "&" + params
		}
		return sqlite.Open("file:" + path + "?" + params), DialectSQLite, nil
	}
	return nil, "", fmt.Errorf("DATABASE_URL: want postgres://…, postgresql://… or sqlite://…, got %q", redact(dsn))
}

// connectError reads like "DATABASE_URL: cannot connect to 127.0.0.1:5432: connection refused".
func connectError(dsn string, err error) error {
	where := redact(dsn)
	if u, perr := url.Parse(dsn); perr == nil && u.Host != "" {
		where = u.Host
	}
	return &unavailableError{msg: fmt.Sprintf("DATABASE_URL: cannot connect to %s: %s", where, rootCause(err)), cause: err}
}

// unavailableError reads as a short sentence for the operator yet matches ErrUnavailable and
// keeps the driver's error.
type unavailableError struct {
	msg   string
	cause error
}

func (e *unavailableError) Error() string   { return e.msg }
func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.cause} }

// redact hides a password in a DSN before it reaches an error message.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// transaction runs fn in a transaction, on SQLite after the other write transactions of this
// process have ended.
func (s *Store) transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.dialect == DialectSQLite {
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return s.db.WithContext(ctx).Transaction(fn)
}

// Dialect returns DialectPostgres or DialectSQLite.
func (s *Store) Dialect() string { return s.dialect }

// Ping checks the database answers; an unreachable one yields ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %s: %w", rootCause(err), ErrUnavailable)
	}
	return nil
}

// Close releases the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if err := sqlDB.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

// wrap prefixes err with op, maps a missing row to ErrNotFound and a lost or refused
// connection to ErrUnavailable, keeping the cause inspectable.
func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	case isUnavailable(err):
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
