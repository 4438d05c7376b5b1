package store

import (
	"context"
	"fmt"
	"regexp"
)

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// CreateSchema creates a PostgreSQL schema, for tests and benchmarks that isolate their data
// (point a Store at it with search_path=name in the DSN). SQLite has no schemas.
func (s *Store) CreateSchema(ctx context.Context, name string) error {
	return s.schemaDDL(ctx, "CREATE SCHEMA IF NOT EXISTS %s", name)
}

// DropSchema drops a schema made by CreateSchema and everything in it.
func (s *Store) DropSchema(ctx context.Context, name string) error {
	return s.schemaDDL(ctx, "DROP SCHEMA IF EXISTS %s CASCADE", name)
}

func (s *Store) schemaDDL(ctx context.Context, format, name string) error {
	if s.dialect != DialectPostgres {
		return fmt.Errorf("schemas need PostgreSQL, this store is %s", s.dialect)
	}
	if !schemaName.MatchString(name) {
		return fmt.Errorf("schema name %q: want lower-case letters, digits and _", name)
	}
	return wrap("schema", s.db.WithContext(ctx).Exec(fmt.Sprintf(format, name)).Error)
}
