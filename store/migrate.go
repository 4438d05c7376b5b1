package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migrationFiles holds NNNN_name.sql (both dialects) and NNNN_name.<dialect>.sql files.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema step.
type Migration struct {
	Version int
	Name    string
	sql     string
}

// migrationLockID serialises concurrent Migrate calls on PostgreSQL ("weiquan" in ASCII).
const migrationLockID = 0x77656971756e

// Migrations lists the steps that apply to dialect, in version order.
func Migrations(dialect string) ([]Migration, error) {
	entries, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var out []Migration
	for _, path := range entries {
		base := strings.TrimSuffix(strings.TrimPrefix(path, "migrations/"), ".sql")
		stem, suffix, dialectSpecific := strings.Cut(base, ".")
		if dialectSpecific && suffix != dialect {
			continue
		}
		num, name, ok := strings.Cut(stem, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migrations: bad file name %q", path)
		}
		text, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		out = append(out, Migration{Version: version, Name: name, sql: string(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations: version %d defined twice", out[i].Version)
		}
	}
	return out, nil
}

// Migrate applies every migration not yet recorded in schema_migrations, all in one
// transaction. Running it again, or from two processes at once, is safe.
func (s *Store) Migrate(ctx context.Context) error {
	steps, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	err = s.transaction(ctx, func(tx *gorm.DB) error {
		if s.dialect == DialectPostgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockID).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at ` + s.timestampType() + ` NOT NULL)`).Error; err != nil {
			return err
		}
		var applied []int
		if err := tx.Table("schema_migrations").Pluck("version", &applied).Error; err != nil {
			return err
		}
		done := make(map[int]bool, len(applied))
		for _, v := range applied {
			done[v] = true
		}
		for _, m := range steps {
			if done[m.Version] {
				continue
			}
			if err := applyMigration(tx, m, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("migrate", err)
}

func applyMigration(tx *gorm.DB, m Migration, at time.Time) error {
	if err := tx.Exec(m.sql).Error; err != nil {
		return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
	}
	err := tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, at).Error
	if err != nil {
		return fmt.Errorf("migration %04d_%s: record: %w", m.Version, m.Name, err)
	}
	return nil
}

// AppliedMigrations returns the versions recorded in schema_migrations, ascending; none on a
// database that was never migrated (no schema_migrations table).
func (s *Store) AppliedMigrations(ctx context.Context) ([]int, error) {
	versions := []int{}
	db := s.db.WithContext(ctx)
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.dialect == DialectPostgres {
		exists = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	if err := db.Raw(exists).Scan(&n).Error; err != nil {
		return nil, wrap("applied migrations", err)
	}
	if n == 0 {
		return versions, nil
	}
	err := db.Table("schema_migrations").Order("version").Pluck("version", &versions).Error
	if err != nil {
		return nil, wrap("applied migrations", err)
	}
	return versions, nil
}

func (s *Store) timestampType() string {
	if s.dialect == DialectPostgres {
		return "timestamptz"
	}
	return "TIMESTAMP"
}
