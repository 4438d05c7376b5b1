package store

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// isUnavailable reports whether err means the database could not be reached, as opposed to a
// query the database refused.
func isUnavailable(err error) bool {
	var opErr *net.OpError
	var connErr *pgconn.ConnectError
	var errno syscall.Errno
	switch {
	case errors.As(err, &connErr), errors.As(err, &opErr):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), pgconn.SafeToRetry(err), adminShutdown(err):
		return true // a pooled connection the server dropped (crash, restart, failover)
	case errors.As(err, &errno):
		return errno == syscall.ECONNREFUSED || errno == syscall.ECONNRESET || errno == syscall.ETIMEDOUT
	}
	return false
}

// rootCause is the shortest useful reading of a connection failure: "connection refused"
// rather than pgx's full chain of dial attempts.
func rootCause(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// isDuplicate reports a unique or primary-key violation (GORM translates both dialects').
func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	return errors.Is(err, gorm.ErrDuplicatedKey)
}

// adminShutdown reports PostgreSQL's class 57P errors: the server is shutting down, crashed
// or is not yet accepting connections.
func adminShutdown(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "57P")
}
