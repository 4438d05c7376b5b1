package calendar

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzYearFile feeds arbitrary bytes to the year-file parser (what an admin uploads): it never
// panics, every refusal wraps ErrBadYearFile, and an accepted file has sorted, unique entries
// inside its year. (Building a calendar from it takes ~150 ms: too slow to fuzz; the
// calendar's own tests cover conflicts between years.)
func FuzzYearFile(f *testing.F) {
	for _, pattern := range []string{"testdata/update2028/*.json", "testdata/bad/*.json", "data/2026.json", "data/2027.json"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"year":2030,"papers":[],"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`))
	f.Add([]byte(`{"year":2030,"days":[{"name":"x","date":"2030-02-30","isOffDay":true}]} trailing`))
	f.Fuzz(func(t *testing.T, data []byte) {
		yf, err := parseYearFile(data)
		if err != nil {
			if !errors.Is(err, ErrBadYearFile) {
				t.Fatalf("refusal does not wrap ErrBadYearFile: %v", err)
			}
			return
		}
		for i, e := range yf.Entries {
			if e.Date.Year != yf.Year {
				t.Fatalf("entry %s outside year %d", e.Date, yf.Year)
			}
			if i > 0 && !yf.Entries[i-1].Date.Before(e.Date) {
				t.Fatalf("entries not sorted and unique at %s", e.Date)
			}
		}
	})
}
