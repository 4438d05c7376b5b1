package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/cicpa/weiquan/calendar"
)

// calendarPage is the operator's view of the working-day calendar: each year around now,
// the result of the last year file loaded, and how far telling the open cases of the version
// in force has got.
type calendarPage struct {
	Version string
	Years   []yearRow
	Loaded  *reloadDoc
	Reload  *reloadProgressDoc // nil when no reload ran for Version (the version loaded at start)
	Next    int
}

type yearRow struct {
	Year    int
	Covered bool
	Info    calendar.YearInfo
}

func (c *Console) handleCalendar(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderCalendar(w, r, s, http.StatusOK, nil, nil)
}

func (c *Console) renderCalendar(w http.ResponseWriter, r *http.Request, s *session, status int, loaded *reloadDoc, p *apiProblem) {
	if !s.Is("admin") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	this := calendar.DateOf(c.deps.Now()).Year
	page := calendarPage{Loaded: loaded, Next: this + 1}
	for y := this - 2; y <= this+2; y++ {
		var doc yearDoc
		err := c.get(r, s, "/api/v1/calendar/years/"+strconv.Itoa(y), nil, &doc)
		page.Years = append(page.Years, yearRow{Year: y, Covered: err == nil, Info: doc.Year})
		if err == nil {
			page.Version = doc.Version
		}
	}
	if page.Version != "" {
		var p reloadProgressDoc
		if err := c.get(r, s, "/api/v1/calendar/reloads/"+url.PathEscape(page.Version), nil, &p); err == nil {
			page.Reload = &p
		}
	}
	v := c.newView(r, s, "calendar.title", page)
	if p != nil {
		v.Form = r.PostForm
		c.showProblem(v, p, "file")
	}
	c.render(w, status, "calendar", v)
}

var yearPattern = regexp.MustCompile(`^[0-9]{4}$`)

// handleLoadYear uploads a published year file to the API and shows what it moved.
func (c *Console) handleLoadYear(w http.ResponseWriter, r *http.Request, s *session) {
	year := r.PostFormValue("year")
	if !yearPattern.MatchString(year) {
		c.renderCalendar(w, r, s, http.StatusUnprocessableEntity, nil, &apiProblem{Status: 422, Code: "invalid",
			Errors: []struct {
				Field  string `json:"field"`
				Detail string `json:"detail"`
			}{{Field: "year", Detail: c.cat.t(language(r), "err.year")}}})
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		c.renderCalendar(w, r, s, http.StatusUnprocessableEntity, nil, &apiProblem{Status: 422, Code: "file_required"})
		return
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		c.fail(w, r, s, http.StatusBadRequest, "error.bad_form")
		return
	}
	path := "/api/v1/calendar/years/" + year
	res := c.call(r, s, apiCall{method: http.MethodPost, path: path, body: bytes.NewReader(body), contentType: "application/json"})
	var doc reloadDoc
	if err := res.decode(&doc); err != nil {
		c.formFailure(w, r, s, err, func(p *apiProblem) { c.renderCalendar(w, r, s, statusOf(p), nil, p) })
		return
	}
	c.renderCalendar(w, r, s, http.StatusOK, &doc, nil)
}
