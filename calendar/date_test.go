package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{"2026-11-27", NewDate(2026, 11, 27), ""},
		{"2024-02-29", NewDate(2024, 2, 29), ""},
		{"2025-02-29", Date{}, "no such day"},
		{"2026-13-01", Date{}, "no such day"},
		{"2026-00-10", Date{}, "no such day"},
		{"0000-01-01", Date{}, "no such day"},
		{"2026-1-01", Date{}, "want YYYY-MM-DD"},
		{"2026/11/27", Date{}, "want YYYY-MM-DD"},
		{"2026-11-27T00:00:00Z", Date{}, "want YYYY-MM-DD"},
		{"+026-11-27", Date{}, "want YYYY-MM-DD"},
		{"", Date{}, "want YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDate(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestDateArithmeticMatchesTime checks the allocation-free day arithmetic against package time
// over every day of the covered range and a margin on each side.
func TestDateArithmeticMatchesTime(t *testing.T) {
	start := time.Date(1999, 1, 1, 12, 0, 0, 0, time.UTC)
	base := NewDate(1999, 1, 1)
	for i := 0; i < 110*366; i++ {
		tm := start.AddDate(0, 0, i)
		want := Date{tm.Year(), tm.Month(), tm.Day()}
		got := base.AddDays(i)
		if got != want || got.Weekday() != tm.Weekday() || got.AddDays(-i) != base {
			t.Fatalf("day %d: got %v (%v), want %v (%v)", i, got, got.Weekday(), want, tm.Weekday())
		}
	}
}

func TestDateInstants(t *testing.T) {
	d := NewDate(2026, 12, 31)
	if got, want := d.Start().Format(time.RFC3339), "2026-12-31T00:00:00+08:00"; got != want {
		t.Errorf("Start = %s, want %s", got, want)
	}
	if got, want := d.End().Format(time.RFC3339), "2027-01-01T00:00:00+08:00"; got != want {
		t.Errorf("End = %s, want %s", got, want)
	}
	tests := []struct {
		instant string
		want    Date
	}{
		{"2026-12-31T15:59:59Z", NewDate(2026, 12, 31)},
		{"2026-12-31T16:00:00Z", NewDate(2027, 1, 1)},
		{"2027-01-01T00:00:00+08:00", NewDate(2027, 1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.instant, func(t *testing.T) {
			tm, _ := time.Parse(time.RFC3339, tt.instant)
			if got := DateOf(tm); got != tt.want {
				t.Errorf("DateOf(%s) = %v, want %v", tt.instant, got, tt.want)
			}
		})
	}
}

func TestDateCompareAndNormalize(t *testing.T) {
	a, b := NewDate(2026, 2, 28), NewDate(2026, 2, 30) // normalized to 2026-03-02
	if b != NewDate(2026, 3, 2) {
		t.Errorf("NewDate(2026, 2, 30) = %v", b)
	}
	if !a.Before(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare/Before/After disagree")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero")
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D Date `json:"d"`
		Z Date `json:"z"`
	}
	b, err := json.Marshal(doc{D: NewDate(2027, 2, 26)})
	if err != nil || string(b) != `{"d":"2027-02-26","z":""}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.D != NewDate(2027, 2, 26) || !back.Z.IsZero() {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2027-2-26"}`), &back); err == nil {
		t.Error("Unmarshal accepted a malformed date")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-27", "2024-02-29", "2025-02-29", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil && d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which prints differently", s, d)
		}
	})
}

func TestChineseDates(t *testing.T) {
	d := NewDate(2026, 12, 3)
	if got := d.Chinese(); got != "2026年12月3日" {
		t.Errorf("Chinese() = %q", got)
	}
	if got := NewDate(2026, 12, 25).ChineseDue(); got != "截至 2026年12月25日（含当日）24:00" {
		t.Errorf("ChineseDue() = %q", got)
	}
}
