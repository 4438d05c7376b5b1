package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/auth"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
)

// The dashboard through the API (token check, the overview's query set, JSON) over the
// schema the store's benchmarks seed: WEIQUAN_BENCH_DATABASE_URL and WEIQUAN_BENCH_CASES as
// there (go test -bench . ./store/ seeds bench_<N> first; docs/BENCHMARKS.md).

func BenchmarkOverviewAPINational(b *testing.B) { benchOverviewAPI(b, national) }

func BenchmarkOverviewAPIInstitute(b *testing.B) { benchOverviewAPI(b, supervisorBJ) }

func benchOverviewAPI(b *testing.B, p principal) {
	dsn, cases := os.Getenv("WEIQUAN_BENCH_DATABASE_URL"), os.Getenv("WEIQUAN_BENCH_CASES")
	if dsn == "" {
		b.Skip("WEIQUAN_BENCH_DATABASE_URL not set")
	}
	if cases == "" {
		cases = "100000"
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	st, err := store.Open(b.Context(), dsn+sep+"search_path=bench_"+cases)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	cal, err := calendar.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC) } // the store benchmarks' fixture "now"
	srv := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Store: st, Calendar: calendar.NewHolder(cal),
		Verifier: auth.HS256Verifier{Key: testKey, Now: now}, Now: now, RatePerSecond: 1e6, Burst: 1e6})
	tok, err := auth.Mint(testKey, auth.MintOptions{Subject: "bench", Role: p.role, Institute: p.institute, Now: now()})
	if err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		req := httptest.NewRequestWithContext(b.Context(), "GET", "/api/v1/reports/overview", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[(len(took)*95+99)/100-1].Microseconds())/1000, "p95-ms")
}
