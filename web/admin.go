package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// calendarPage is the operator's view of the working-day calendar: each year around now,
// the result of the last year file or notice loaded, a notice's preview, and how far telling
// the open cases of the version in force has got.
type calendarPage struct {
	Version    string
	Years      []yearRow
	Unverified []int       // years whose dates are not yet checked against the State Council notice
	Late       *lateWindow // nil when the page's years do not show it
	Loaded     *wire.Reload
	Preview    *noticePreview
	BadLine    string               // the line of the pasted notice a refusal names
	Reload     *wire.ReloadProgress // nil when no reload ran for Version (the version loaded at start)
	Next       int
}

type yearRow struct {
	Year    int
	Covered bool
	Info    calendar.YearInfo
}

// calendarResult is what a post shows besides the years: a year loaded, a notice's preview,
// or a refusal (beside field when it names none). keep keeps the posted form's values.
type calendarResult struct {
	loaded  *wire.Reload
	preview *noticePreview
	problem *wire.Problem
	field   string
	keep    bool
	badLine string
}

func (c *Console) handleCalendar(w http.ResponseWriter, r *http.Request, s *session) {
	c.renderCalendar(w, r, s, calendarResult{})
}

// renderCalendar shows the calendar page with what a post on it has to show.
func (c *Console) renderCalendar(w http.ResponseWriter, r *http.Request, s *session, res calendarResult) {
	if !s.Is("admin") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	page := c.readCalendar(r, s)
	page.Loaded, page.Preview, page.BadLine = res.loaded, res.preview, res.badLine
	if p := res.preview; p != nil {
		p.StatusBefore = page.status(p.Year)
	}
	v := c.newView(r, s, "calendar.title", page)
	if res.keep || res.problem != nil {
		v.Form = r.PostForm
	}
	status := http.StatusOK
	if res.problem != nil {
		c.showProblem(v, res.problem, res.field)
		if v.Errors["notice"] != "" {
			v.Problem = v.T("notice.problem") // the reason stands above the text, far down the page
		}
		status = statusOf(res.problem)
	}
	c.render(w, status, "calendar", v)
}

// readCalendar reads the years from two before this one to two after, and how far the reload
// to the version in force has got.
func (c *Console) readCalendar(r *http.Request, s *session) calendarPage {
	this := calendar.DateOf(c.deps.Now()).Year
	page := calendarPage{Next: this + 1}
	for y := this - 2; y <= this+2; y++ {
		var doc wire.Year
		err := c.get(r, s, "/api/v1/calendar/years/"+strconv.Itoa(y), nil, &doc)
		page.Years = append(page.Years, yearRow{Year: y, Covered: err == nil, Info: doc.Year})
		if err == nil {
			page.Version = doc.Version
		}
		if err == nil && doc.Year.Status == calendar.StatusOfficialUnverified {
			page.Unverified = append(page.Unverified, y)
		}
		if w := doc.UncertainWindow; err == nil && w != nil && len(w.Weekends) > 0 {
			page.Late = &lateWindow{Year: w.From.Year, Weekends: w.Weekends}
		}
	}
	if page.Version != "" {
		var p wire.ReloadProgress
		if err := c.get(r, s, "/api/v1/calendar/reloads/"+url.PathEscape(page.Version), nil, &p); err == nil {
			page.Reload = &p
		}
	}
	return page
}

// status is year's status, or "" when the page does not show it.
func (p calendarPage) status(year int) string {
	for _, y := range p.Years {
		if y.Covered && y.Year == year {
			return y.Info.Status
		}
	}
	return ""
}

// lateWindow is late December of the last published year: its weekend days can still become
// make-up working days in the next year's notice (the API's uncertain_window).
type lateWindow struct {
	Year     int
	Weekends []calendar.Date
}

// Days lists the window's weekend days in v's language.
func (w *lateWindow) Days(v *view) string {
	days := make([]string, len(w.Weekends))
	for i, d := range w.Weekends {
		days[i] = v.T("calendar.december_day", d.Day)
	}
	return strings.Join(days, v.T("calendar.list_sep"))
}

var yearPattern = regexp.MustCompile(`^[0-9]{4}$`)

// handleLoadYear uploads a published year file to the API and shows what it moved.
func (c *Console) handleLoadYear(w http.ResponseWriter, r *http.Request, s *session) {
	year := r.PostFormValue("year")
	if !yearPattern.MatchString(year) {
		c.renderCalendar(w, r, s, calendarResult{problem: fieldProblem("year", c.cat.t(language(r), "err.year")), field: "file"})
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		c.renderCalendar(w, r, s, calendarResult{problem: &wire.Problem{Status: 422, Code: "file_required"}, field: "file"})
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
	var doc wire.Reload
	if err := res.decode(&doc); err != nil {
		c.formFailure(w, r, s, err, func(p *wire.Problem) { c.renderCalendar(w, r, s, calendarResult{problem: p, field: "file"}) })
		return
	}
	c.renderCalendar(w, r, s, calendarResult{loaded: &doc})
}
