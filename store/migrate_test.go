package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/article23"
)

func TestMigrateTwice(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		migrate(t, s) // forEachDB migrated once already
		got, err := s.AppliedMigrations(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
		if s.Dialect() == DialectSQLite {
			want = append(want, 17) // the full-text trigger: PostgreSQL has none
		}
		if !slices.Equal(got, want) {
			t.Fatalf("applied %v, want %v", got, want)
		}
		all, err := s.Institutes(t.Context())
		if err != nil || len(all) != 37 {
			t.Fatalf("after two migrations: %d institutes, %v", len(all), err)
		}
	})
}

func TestSeededInstitutes(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		all, err := s.Institutes(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, in := range all {
			codes = append(codes, in.Code)
			if in.Code != article23.NationalInstitute && (in.Level != LevelLocal || in.Parent != "CICPA") {
				t.Errorf("%s: level %q parent %q", in.Code, in.Level, in.Parent)
			}
		}
		want := "CICPA AH BJ CQ DL FJ GD GS GX GZ HA HB HE HI HL HN JL JS JX LN NB NM NX QD QH SC SD SH SN SX SZ TJ XJ XM XZ YN ZJ"
		if got := strings.Join(codes, " "); got != want {
			t.Fatalf("codes\n got %s\nwant %s", got, want)
		}
		for code, name := range map[string]string{
			"CICPA": "中国注册会计师协会", "BJ": "北京注册会计师协会", "SH": "上海市注册会计师协会",
			"GD": "广东省注册会计师协会", "HA": "河南省注册会计师协会", "SN": "陕西省注册会计师协会", "SZ": "深圳市注册会计师协会",
		} {
			in, err := s.Institute(t.Context(), code)
			if err != nil || in.Name != name {
				t.Errorf("%s: %q, %v; want %q", code, in.Name, err, name)
			}
		}
		if _, err := s.Institute(t.Context(), "XX"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown institute: %v, want ErrNotFound", err)
		}
	})
}

func TestEventsAreAppendOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		mustRecord(t, s, received(newCase("BJ-2026-0001", "BJ", "2026-03-23")))
		for _, stmt := range []string{
			"UPDATE events SET type = 'closed' WHERE case_number = 'BJ-2026-0001'",
			"DELETE FROM events WHERE case_number = 'BJ-2026-0001'",
		} {
			err := s.db.WithContext(context.Background()).Exec(stmt).Error
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the append-only refusal", stmt, err)
			}
		}
		view, err := s.Case(t.Context(), "BJ-2026-0001")
		if err != nil || len(view.Events) != 1 || view.Events[0].Type != article23.EventReceived {
			t.Fatalf("log after refused writes: %+v, %v", view.Events, err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	_, err := Open(ctx, "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, ErrUnavailable) || err.Error() != "DATABASE_URL: cannot connect to 127.0.0.1:1: connection refused" {
		t.Errorf("refused: %v", err)
	}
	if _, err := Open(ctx, "mysql://x"); err == nil {
		t.Error("mysql:// accepted")
	}
	s, err := Open(ctx, "sqlite://:memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil || s.Dialect() != DialectSQLite {
		t.Fatalf("in-memory: %v %s", err, s.Dialect())
	}
}
