package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cicpa/weiquan/article23"
)

// pages are the parsed templates, one set per page, each with the layout and partials.
type pages map[string]*template.Template

var funcs = template.FuncMap{
	"fid":       func(name string) string { return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name) },
	"lower":     strings.ToLower,
	"hasPrefix": strings.HasPrefix,
	"pct": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", *v)
	},
	"rate": rate,
	// ratio shows a 0–1 rate as a whole percentage, "—" when there is none.
	"ratio": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", *v*100)
	},
	// num shows an optional figure (a median of working days), "—" when there is none.
	"num": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	},
	"short": shortName,
	"list":  func(s ...string) []string { return s },
	"month": monthName,
	// clockList names clocks in the page's language, joined with its enumeration comma.
	"clockList": func(v *view, ns []article23.ClockName) string {
		names := make([]string, len(ns))
		for i, n := range ns {
			names[i] = v.T("clock." + string(n))
		}
		return strings.Join(names, v.T("common.list_sep"))
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"pathEscape": url.PathEscape,
	"inc":        func(i int) int { return i + 1 },
}

func parsePages() (pages, error) {
	names, err := fs.Glob(assets, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	ps := pages{}
	for _, n := range names {
		t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/parts.html", n)
		if err != nil {
			return nil, err
		}
		ps[strings.TrimSuffix(strings.TrimPrefix(n, "templates/page_"), ".html")] = t
	}
	return ps, nil
}

func mustPages() pages {
	ps, err := parsePages()
	if err != nil {
		panic(err) // embedded; the package's tests parse and render every page
	}
	return ps
}

// view is what every page template receives.
type view struct {
	Lang     string
	Title    string // message key
	S        *session
	Flash    string // message key
	Errors   map[string]string
	Problem  string // a message not tied to one field
	Form     url.Values
	Data     any
	Unread   int // the signed-in person's unread notifications, for the header's badge
	path     string
	rawQuery url.Values
	cat      catalogue
}

// T translates a message key.
func (v *view) T(key string, args ...any) string { return v.cat.t(v.Lang, key, args...) }

// D writes a YYYY-MM-DD date in the page's language (2026年12月25日 in Chinese).
func (v *view) D(date string) string { return localDate(v.Lang, date) }

// When writes an instant in Asia/Shanghai in the page's language, its date as D writes it.
func (v *view) When(t time.Time) string { return localTime(v.Lang, t) }

// Size writes a file size in B, KB or MB.
func (v *view) Size(n int64) string { return fileSize(n) }

// CSRF is a fresh form token; call it once per form.
func (v *view) CSRF() string { return v.S.formToken() }

// Err is the error shown next to a field.
func (v *view) Err(field string) string { return v.Errors[field] }

// Val is the value a field was posted with, so a refused form keeps what was typed.
func (v *view) Val(field string) string { return v.Form.Get(field) }

// LangURL is this page in another language.
func (v *view) LangURL(lang string) string {
	q := url.Values{}
	for k, vs := range v.rawQuery {
		q[k] = vs
	}
	q.Set("lang", lang)
	return v.path + "?" + q.Encode()
}

// newView starts the view of a page for r.
func (c *Console) newView(r *http.Request, s *session, title string, data any) *view {
	return &view{Lang: language(r), Title: title, S: s, Data: data, Errors: map[string]string{}, Form: url.Values{},
		Unread: c.unread(r, s), path: r.URL.Path, rawQuery: r.URL.Query(), cat: c.cat, Flash: flashKey(r.URL.Query().Get("done"))}
}

// flashKey turns ?done=<what> after a redirect into its message key.
func flashKey(done string) string {
	for _, c := range done {
		if !(c >= 'a' && c <= 'z' || c == '_' || c == '-') {
			return ""
		}
	}
	if done == "" {
		return ""
	}
	return "done." + done
}

// render writes page name with status.
func (c *Console) render(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := c.pages[name]
	var buf bytes.Buffer
	if !ok {
		c.log.Error("web: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if v.Flash != "" && !c.cat.has(v.Flash) {
		v.Flash = ""
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		c.log.Error("web: render", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail renders the error page for status with a message key.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, s *session, status int, key string) {
	v := c.newView(r, s, "error.title", map[string]any{"Status": status, "Message": key})
	c.render(w, status, "error", v)
}
