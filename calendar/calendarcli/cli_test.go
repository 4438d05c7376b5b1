package calendarcli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/calendar"
)

func run(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := Run(args, &stdout, &stderr, func(k string) string { return env[k] })
	return stdout.String(), err
}

func TestDue(t *testing.T) {
	tests := []struct {
		args      []string
		firstLine string
		contains  string
	}{
		{[]string{"due", "--from", "2026-11-27", "--workdays", "60"}, "2027-02-26", "2月5–13日春节"},
		{[]string{"due", "--from", "2026-11-27", "--workdays", "15"}, "2026-12-18", "周末 6 天"},
		{[]string{"due", "--from", "2026-11-27", "--workdays", "60", "--lang", "en"}, "2027-02-26", "Spring Festival"},
		{[]string{"due", "--from=2027-12-01", "--workdays=30"}, "2028-01-12", "暂定：2028 年"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, err := run(t, nil, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if first, _, _ := strings.Cut(out, "\n"); first != tt.firstLine {
				t.Errorf("first line %q, want %q", first, tt.firstLine)
			}
			if !strings.Contains(out, tt.contains) || !strings.Contains(out, "calendar cal-") {
				t.Errorf("output lacks %q or the calendar version:\n%s", tt.contains, out)
			}
		})
	}
}

func TestDueJSON(t *testing.T) {
	out, err := run(t, nil, "due", "--from", "2026-11-27", "--workdays", "60", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := map[string]any{
		"from": "2026-11-27", "workdays": 60.0, "due_date": "2027-02-26",
		"deadline_at": "2027-02-27T00:00:00+08:00", "provisional": false, "unverified": true,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if v, _ := got["calendar_version"].(string); !strings.HasPrefix(v, "cal-") {
		t.Errorf("calendar_version = %v", got["calendar_version"])
	}
	if skipped, _ := got["skipped"].([]any); len(skipped) != 31 {
		t.Errorf("skipped has %d days, want 31", len(skipped))
	}
}

func TestYearAndStatus(t *testing.T) {
	out, err := run(t, nil, "year", "2027")
	if err != nil || !strings.HasPrefix(out, "2027 official-unverified, 248 working days") ||
		!strings.Contains(out, "2027-01-31 Sun makeup  春节") || !strings.Contains(out, "2027-10-07 Thu holiday 国庆节") {
		t.Errorf("year 2027: %v\n%s", err, out)
	}
	out, err = run(t, nil, "status")
	if err != nil || !strings.Contains(out, "2026\tofficial") || !strings.Contains(out, "2099\tprovisional") ||
		!strings.Contains(out, "2027\tofficial-unverified") || !strings.Contains(out, "provisional window 2027-12-20…2027-12-31") {
		t.Errorf("status: %v\n%s", err, out)
	}
}

func TestCalendarDir(t *testing.T) {
	good := t.TempDir()
	data, err := os.ReadFile("../testdata/update2028/2028.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(good, "2028.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, map[string]string{DirEnv: good}, "due", "--from", "2027-12-01", "--workdays", "30")
	if err != nil || !strings.HasPrefix(out, "2028-01-13\n") || strings.Contains(out, "暂定") {
		t.Errorf("with a 2028 file: %v\n%s", err, out)
	}
	_, err = run(t, map[string]string{DirEnv: "../testdata/bad"}, "status")
	if !errors.Is(err, calendar.ErrBadYearFile) || !strings.Contains(err.Error(), DirEnv) {
		t.Errorf("bad dir: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	tests := [][]string{
		{},
		{"frobnicate"},
		{"due", "--from", "2026-13-01", "--workdays", "1"},
		{"due", "--from", "2026-11-27"},
		{"due", "--from", "2026-11-27", "--workdays", "-3"},
		{"due", "--from", "2026-11-27", "--workdays", "100000"},
		{"due", "--from", "2099-12-01", "--workdays", "90"},
		{"due", "--workdays", "x"},
		{"year"},
		{"year", "twenty"},
		{"year", "2100"},
		{"status", "extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if _, err := run(t, nil, args...); err == nil {
				t.Error("no error")
			}
		})
	}
}
