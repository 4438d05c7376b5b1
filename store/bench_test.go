package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/internal/cputime"
)

// benchNow is the fixed "now" of the benchmark fixture, so figures are comparable across runs.
var benchNow = time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)

var bench struct {
	once    sync.Once
	store   *Store
	numbers []string
	err     error
}

// benchStore opens schema bench_<N> at WEIQUAN_BENCH_DATABASE_URL, seeding N cases
// (WEIQUAN_BENCH_CASES, default 100000) the first time; later runs reuse it.
func benchStore(b *testing.B) (*Store, []string) {
	dsn := os.Getenv("WEIQUAN_BENCH_DATABASE_URL")
	if dsn == "" {
		b.Skip("WEIQUAN_BENCH_DATABASE_URL not set")
	}
	bench.once.Do(func() { bench.store, bench.numbers, bench.err = openBench(dsn) })
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.store, bench.numbers
}

func openBench(dsn string) (*Store, []string, error) {
	ctx := context.Background()
	n := 100000
	if v := os.Getenv("WEIQUAN_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return nil, nil, fmt.Errorf("WEIQUAN_BENCH_CASES: %w", err)
		}
	}
	schema := fmt.Sprintf("bench_%d", n)
	admin, err := Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	defer admin.Close()
	if err := admin.db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema).Error; err != nil {
		return nil, nil, err
	}
	s, err := Open(ctx, withSearchPath(dsn, schema))
	if err != nil {
		return nil, nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		return nil, nil, err
	}
	var have int64
	if err := s.db.Table("cases").Count(&have).Error; err != nil {
		return nil, nil, err
	}
	if have == 0 {
		start := time.Now()
		if err := s.Seed(ctx, SeedOptions{Cases: n, Seed: 1, Now: benchNow}); err != nil {
			return nil, nil, err
		}
		if err := s.db.Exec("VACUUM ANALYZE").Error; err != nil {
			return nil, nil, err
		}
		fmt.Printf("seeded %d cases into %s in %v\n", n, schema, time.Since(start).Round(time.Second))
	} else if have != int64(n) {
		return nil, nil, fmt.Errorf("%s holds %d cases, want %d: drop the schema and rerun", schema, have, n)
	}
	var numbers []string
	err = s.db.Table("cases").Where("institute = ?", "BJ").Order("number").Limit(1000).Pluck("number", &numbers).Error
	return s, numbers, err
}

// timed runs op in the benchmark loop and reports, besides ns/op, the 95th percentile of the
// iterations' wall times (nearest rank), the figure the performance goals are stated in.
func timed(b *testing.B, op func(context.Context) error) {
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := op(b.Context()); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	p95 := took[(len(took)*95+99)/100-1]
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
}

func BenchmarkCaseByNumber(b *testing.B) {
	s, numbers := benchStore(b)
	i := 0
	timed(b, func(ctx context.Context) error {
		_, err := s.Case(ctx, numbers[i%len(numbers)])
		i++
		return err
	})
}

// benchPage times one page of a clock list (50 rows, the default).
func benchPage(b *testing.B, page func(context.Context, DueFilter) (ClockPage, error), f DueFilter) {
	var rows int
	timed(b, func(ctx context.Context) error {
		p, err := page(ctx, f)
		rows = len(p.Clocks)
		return err
	})
	b.ReportMetric(float64(rows), "rows")
}

func BenchmarkDueSoonInstitute(b *testing.B) {
	s, _ := benchStore(b)
	benchPage(b, s.DueSoonPage, DueFilter{Institutes: []string{"BJ"}, Before: benchNow.AddDate(0, 0, 7)})
}

func BenchmarkDueSoonNational(b *testing.B) {
	s, _ := benchStore(b)
	benchPage(b, s.DueSoonPage, DueFilter{Before: benchNow.AddDate(0, 0, 7)})
}

// BenchmarkDueSoonNationalDeep reads the page after the first 1,000 rows: keyset pages cost
// the same however deep.
func BenchmarkDueSoonNationalDeep(b *testing.B) {
	s, _ := benchStore(b)
	f := DueFilter{Before: benchNow.AddDate(0, 0, 7), Limit: 100}
	for range 10 {
		p, err := s.DueSoonPage(b.Context(), f)
		if err != nil || p.Next == "" {
			b.Fatalf("paging to row 1,000: %v", err)
		}
		f.Cursor = p.Next
	}
	f.Limit = 50
	benchPage(b, s.DueSoonPage, f)
}

func BenchmarkBreachedInstitute(b *testing.B) {
	s, _ := benchStore(b)
	benchPage(b, s.BreachedPage, DueFilter{Institutes: []string{"BJ"}})
}

func BenchmarkBreachedNational(b *testing.B) {
	s, _ := benchStore(b)
	benchPage(b, s.BreachedPage, DueFilter{})
}

func BenchmarkCompliance(b *testing.B) {
	s, _ := benchStore(b)
	timed(b, func(ctx context.Context) error {
		_, err := s.Compliance(ctx, "2025-06-01", "2026-05-31", nil)
		return err
	})
}

// BenchmarkCompliancePartialMonths reads a year whose first and last months are partial,
// so about a month of clocks is tallied directly.
func BenchmarkCompliancePartialMonths(b *testing.B) {
	s, _ := benchStore(b)
	timed(b, func(ctx context.Context) error {
		_, err := s.Compliance(ctx, "2025-06-16", "2026-06-15", nil)
		return err
	})
}

func BenchmarkComplianceInstitute(b *testing.B) {
	s, _ := benchStore(b)
	timed(b, func(ctx context.Context) error {
		_, err := s.Compliance(ctx, "2025-06-01", "2026-05-31", []string{"BJ"})
		return err
	})
}

func BenchmarkListCasesInstitutePage(b *testing.B) {
	s, _ := benchStore(b)
	timed(b, func(ctx context.Context) error {
		_, err := s.ListCases(ctx, CaseFilter{Institutes: []string{"BJ"}, Limit: 50})
		return err
	})
}

func BenchmarkCounts(b *testing.B) {
	s, _ := benchStore(b)
	timed(b, func(ctx context.Context) error {
		_, err := s.Counts(ctx, nil, benchNow.AddDate(0, 0, 7))
		return err
	})
}

// BenchmarkOverviewNational reads CICPA's dashboard: every institute's counts, the year's
// monthly figures, the median days to decision, the escalations and extensions waiting.
func BenchmarkOverviewNational(b *testing.B) { benchOverview(b, nil) }

// BenchmarkOverviewInstitute reads a supervisor's dashboard of the largest institute.
func BenchmarkOverviewInstitute(b *testing.B) { benchOverview(b, []string{"BJ"}) }

func benchOverview(b *testing.B, institutes []string) {
	s, _ := benchStore(b)
	f := OverviewFilter{Institutes: institutes, FirstMonth: "2026-01", LastMonth: "2026-12", DueBefore: benchNow.AddDate(0, 0, 7)}
	var months int
	timed(b, func(ctx context.Context) error {
		o, err := s.Overview(ctx, f)
		months = len(o.Months)
		return err
	})
	b.ReportMetric(float64(months), "rows")
}

// BenchmarkRecordIntake records the first event of new cases from 16 goroutines, all of one
// institute with decision clocks due in one month: what intake does to the store. On
// PostgreSQL it runs in a fresh schema at WEIQUAN_BENCH_DATABASE_URL, dropped afterwards;
// without it, on SQLite.
func BenchmarkRecordIntake(b *testing.B) {
	s := intakeStore(b)
	var n atomic.Int64
	b.SetParallelism(8) // 16 on 2 cores: the bench's 16 concurrent clients
	b.ResetTimer()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			number := fmt.Sprintf("BJ-2026-%07d", n.Add(1))
			if _, err := s.Record(b.Context(), received(newCase(number, "BJ", "2026-03-23"))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// reportCPU reports, when the returned func runs, the CPU time this process used per op
// since reportCPU was called (cpu-µs/op): the ns/op of a SQLite benchmark is mostly waiting
// on fsync, which hides what a change to the statements saves. On PostgreSQL the server's
// CPU is another process's and is not in it.
func reportCPU(b *testing.B) func() {
	cpu0 := cputime.Process()
	return func() {
		b.ReportMetric(float64((cputime.Process()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
	}
}

// BenchmarkRecordAccept records the acceptance of received cases from 16 goroutines: the
// decision clock met and the committee, feedback and cap clocks started, what a decision
// does to the store. The cases are received before the timer starts.
func BenchmarkRecordAccept(b *testing.B) {
	s := intakeStore(b)
	accepted := make([]article23.Record, b.N)
	for i := range accepted {
		r := received(newCase(fmt.Sprintf("BJ-2026-%07d", i+1), "BJ", "2026-03-23"))
		if _, err := s.Record(b.Context(), r); err != nil {
			b.Fatal(err)
		}
		accepted[i] = next(r, article23.EventAccepted, func(c *article23.Case) {
			c.Stage = article23.StageAccepted
			c.Clocks[0].State, c.Clocks[0].MetOn, c.Clocks[0].WorkdaysUsed = article23.ClockMet, "2026-03-10", 6
			for _, k := range []article23.ClockName{article23.ClockCommittee, article23.ClockFeedback, article23.ClockCap} {
				c.Clocks = append(c.Clocks, article23.Clock{Name: k, Start: "2026-03-10", Workdays: c.Policy.Workdays(k), Due: "2026-06-05",
					DeadlineAt: endOf("2026-06-05"), State: article23.ClockRunning, CalendarVersion: "2026.1", CountFrom: article23.CountFromDecision})
			}
			c.Decision = &article23.Decision{Accepted: true, DecidedOn: "2026-03-10", NoticeServedOn: "2026-03-10"}
		})
	}
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Record(b.Context(), accepted[n.Add(1)-1]); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func intakeStore(b *testing.B) *Store {
	dsn := os.Getenv("WEIQUAN_BENCH_DATABASE_URL")
	if dsn == "" {
		s, err := Open(b.Context(), "sqlite://"+filepath.Join(b.TempDir(), "weiquan.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
		if err := s.Migrate(b.Context()); err != nil {
			b.Fatal(err)
		}
		return s
	}
	schema := "bench_intake_" + randomHex(4)
	admin, err := Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = admin.Close() })
	if err := admin.CreateSchema(b.Context(), schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = admin.DropSchema(context.Background(), schema) })
	s, err := Open(b.Context(), withSearchPath(dsn, schema))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkReserveCaseIntake reserves keyed case numbers of one institute and year from 16
// goroutines: every intake of an institute takes the next number of one sequence row.
func BenchmarkReserveCaseIntake(b *testing.B) {
	s := intakeStore(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := fmt.Sprintf("bench-%d", n.Add(1))
			if _, _, err := s.ReserveCase(b.Context(), Reservation{Institute: "BJ", Year: 2026, IdempotencyKey: key, RequestHash: "h"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// The inbox (GET /tasks): a secretary's whole institute, her own cases, the institute's
// queue, and CICPA supervisors' breached cases nationally; first pages of 50.
func BenchmarkTasksInstitute(b *testing.B) { benchTasks(b, TaskFilter{Institutes: []string{"BJ"}}) }

func BenchmarkTasksMine(b *testing.B) {
	benchTasks(b, TaskFilter{Institutes: []string{"BJ"}, Secretary: "BJ-sec-1"})
}

func BenchmarkTasksQueue(b *testing.B) {
	benchTasks(b, TaskFilter{Institutes: []string{"BJ"}, Unassigned: true})
}

func BenchmarkTasksBreachedNational(b *testing.B) { benchTasks(b, TaskFilter{Breached: true}) }

func benchTasks(b *testing.B, f TaskFilter) {
	s, _ := benchStore(b)
	f.Limit = 50
	timed(b, func(ctx context.Context) error {
		page, err := s.ListTasks(ctx, f)
		if err == nil && len(page.Tasks) == 0 {
			err = fmt.Errorf("no tasks for %+v", f)
		}
		return err
	})
}

// BenchmarkCaseView and BenchmarkCaseHead: what an action read before it was taken (the
// whole view) and what it reads now, of a case with seven events (SQLite; PostgreSQL with
// WEIQUAN_BENCH_DATABASE_URL).
func BenchmarkCaseView(b *testing.B) { benchCaseRead(b, false) }
func BenchmarkCaseHead(b *testing.B) { benchCaseRead(b, true) }

func benchCaseRead(b *testing.B, head bool) {
	s := intakeStore(b)
	r := received(newCase("BJ-2026-0001", "BJ", "2026-03-23"))
	if _, err := s.Record(b.Context(), r); err != nil {
		b.Fatal(err)
	}
	for range 6 {
		r = next(r, article23.EventReassigned, func(c *article23.Case) { c.Secretary = "zhang" })
		if _, err := s.Record(b.Context(), r); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		var err error
		if head {
			_, _, err = s.CaseHead(b.Context(), "BJ-2026-0001")
		} else {
			_, err = s.Case(b.Context(), "BJ-2026-0001")
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
