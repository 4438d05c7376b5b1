package api

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
)

// The boundary: every string that enters through a request — the path, the query, the
// headers weiquan reads (here), every string of a JSON body (decodeBody) — is checked once
// with article23.CheckText, so nothing the store cannot store (U+0000 in PostgreSQL text) or
// nobody can read gets further. Bounds keep the rest of the request cheap.

const (
	maxQueryValue = 1000 // characters of one query parameter
	maxKeyLength  = 200  // characters of an Idempotency-Key
	maxSearchTerm = 20   // words of q=
)

// boundary refuses a request whose path, query or Idempotency-Key is not plain text:
// 400 for the path (no route could match it), 422 naming the parameter otherwise.
func (s *Server) boundary(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if err := article23.CheckText(r.URL.Path); err != nil {
			return problem(http.StatusBadRequest, "invalid_path", "the path "+err.Error())
		}
		var f fields
		q := r.URL.Query()
		names := make([]string, 0, len(q))
		for name := range q {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			checkParam(&f, name, q[name])
		}
		if key := r.Header.Get("Idempotency-Key"); key != "" && !printableASCII(key, maxKeyLength) {
			f.add("Idempotency-Key", "must be 1–%d printable ASCII characters", maxKeyLength)
		}
		if err := f.err(); err != nil {
			return err
		}
		return next(c)
	}
}

func checkParam(f *fields, name string, values []string) {
	if err := article23.CheckText(name); err != nil {
		f.add("query", "a parameter name %v", err)
		return
	}
	for _, v := range values {
		if err := article23.CheckText(v); err != nil {
			f.addErr(name, err)
		} else if n := len([]rune(v)); n > maxQueryValue {
			f.add(name, "is %d characters; at most %d", n, maxQueryValue)
		}
	}
}

func printableASCII(s string, maxLen int) bool {
	if len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
