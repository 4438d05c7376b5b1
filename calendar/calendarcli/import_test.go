package calendarcli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/calendar"
)

const notice = "../testdata/notice-2026.txt"

func TestImportPrint(t *testing.T) {
	out, err := run(t, nil, "import", "--notice", notice, "--print")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	next, err := cal.WithYearFile([]byte(out))
	if err != nil {
		t.Fatalf("--print wrote a year file the calendar refuses: %v\n%s", err, out)
	}
	if changed := cal.ChangedDays(next); len(changed) != 0 {
		t.Fatalf("the 2026 notice changes %v against the shipped 2026 file", changed)
	}
	if _, err := run(t, nil, "import", "--notice", notice, "--year", "2027", "--print"); err == nil || !strings.Contains(err.Error(), "line 1: the notice is for 2026, not 2027") {
		t.Fatalf("another year: %v", err)
	}
	if _, err := run(t, nil, "import", "--notice", notice); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("loading without a token: %v", err)
	}
}

// Without --yes the command shows the API's preview and loads nothing; with --yes it loads.
// The server here answers as the API does (api.TestNoticePreviewThenLoad checks the API).
func TestImportThroughAPI(t *testing.T) {
	var calls []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		if r.URL.Path != "/api/v1/calendar/notices" || r.Header.Get("Authorization") != "Bearer T" {
			http.Error(w, "wrong call", http.StatusBadRequest)
			return
		}
		calls = append(calls, body)
		w.Header().Set("Content-Type", "application/json")
		if body["preview"] == true {
			_, _ = w.Write([]byte(`{"version":"cal-new","changed_days":["2026-12-01"],"open_cases":3,"moved":[{"number":"BJ-2026-0001","clock":"decision","old_due":"2026-12-18","new_due":"2026-12-21"}],"reload":""}`))
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"version":"cal-new","changed_days":[],"open_cases":3,"moved":[],"reload":"/api/v1/calendar/reloads/cal-new"}`))
	}))
	defer srv.Close()
	env := map[string]string{TokenEnv: "T"}
	out, err := run(t, env, "import", "--notice", notice, "--api", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"notice for 2026: 39 days listed", "2026-01-04 Sun working 元旦 (line 5)", "BJ-2026-0001 decision: 2026-12-18 -> 2026-12-21", "nothing loaded"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview output lacks %q:\n%s", want, out)
		}
	}
	if len(calls) != 1 || calls[0]["year"] != float64(2026) {
		t.Fatalf("calls %v", calls)
	}
	out, err = run(t, env, "import", "--notice", notice, "--api", srv.URL, "--yes")
	if err != nil || !strings.Contains(out, "loaded: calendar cal-new is in force") || len(calls) != 3 || calls[2]["preview"] != nil {
		t.Fatalf("load: %v %v\n%s", err, calls, out)
	}
}
