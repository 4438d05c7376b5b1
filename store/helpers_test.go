package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// forEachDB runs fn against a fresh, migrated SQLite file, and against a fresh PostgreSQL
// schema when WEIQUAN_TEST_DATABASE_URL is set. Subtests run in parallel.
func forEachDB(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, openSQLite(t))
	})
	if dsn := os.Getenv("WEIQUAN_TEST_DATABASE_URL"); dsn != "" {
		t.Run("postgres", func(t *testing.T) {
			t.Parallel()
			fn(t, openPostgres(t, dsn))
		})
	}
}

func openSQLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), "sqlite://"+filepath.Join(t.TempDir(), "weiquan.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	migrate(t, s)
	return s
}

// openPostgres creates schema t_<random>, points a Store at it through search_path and drops
// the schema when the test ends.
func openPostgres(t *testing.T, dsn string) *Store {
	t.Helper()
	schema := "t_" + randomHex(6)
	admin, err := Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.db.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = admin.db.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_ = admin.Close()
	})
	s, err := Open(t.Context(), withSearchPath(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	migrate(t, s)
	return s
}

func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func migrate(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var t0 = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) // 09:30 Monday in Shanghai

// newCase is a received case of institute with a running decision clock due on due.
func newCase(number, institute, due string) article23.Case {
	return article23.Case{
		Number: number, Institute: institute,
		Applicant:    article23.Applicant{MemberNo: "M-" + number, Name: "王会计师", Kind: article23.MemberPractising},
		Counterparty: "北京某会计师事务所", Category: "labour", Summary: "前事务所拖欠三个月工资 unpaid salary",
		Claims: "支付工资", ReceivedOn: "2026-03-02", Channel: article23.ChannelOnline, Stage: article23.StageReceived,
		Secretary: "li", Policy: article23.DefaultPolicy(),
		Clocks: []article23.Clock{{
			Name: article23.ClockDecision, Start: "2026-03-02", Workdays: 15, Due: due, DeadlineAt: endOf(due),
			State: article23.ClockRunning, CalendarVersion: "2026.1",
		}},
		SubmittedBy: article23.Actor{ID: "u1", Role: article23.RoleMember, MemberNo: "M-" + number},
		UpdatedAt:   t0,
	}
}

// received is the first Record of c.
func received(c article23.Case) article23.Record {
	return article23.Record{
		Event: article23.Event{Seq: 1, Type: article23.EventReceived, Actor: c.SubmittedBy, At: t0},
		Case:  c,
		Notifications: []article23.Notification{
			{Key: c.Number + "/1/member", Audience: article23.AudienceMember, Kind: "received"},
			{Key: c.Number + "/1/secretary", Audience: article23.AudienceSecretary, Kind: "received"},
		},
	}
}

// next is the Record following prev, after change alters the case.
func next(prev article23.Record, typ article23.EventType, change func(*article23.Case)) article23.Record {
	c := prev.Case
	c.Clocks = append([]article23.Clock(nil), c.Clocks...)
	change(&c)
	return article23.Record{
		Event: article23.Event{Seq: prev.Event.Seq + 1, Type: typ, Actor: article23.SystemActor, At: prev.Event.At.Add(time.Hour)},
		Case:  c,
	}
}

func mustRecord(t *testing.T, s *Store, r article23.Record) {
	t.Helper()
	applied, err := s.Record(context.Background(), r)
	if err != nil {
		t.Fatalf("record %s seq %d: %v", r.Case.Number, r.Event.Seq, err)
	}
	if applied != 1 {
		t.Fatalf("record %s seq %d: not applied", r.Case.Number, r.Event.Seq)
	}
}
