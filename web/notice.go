package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// The operator's November: the State Council publishes next year's holidays as a notice; the
// operator pastes its text, checks the days the reader found and what they would move, and
// confirms. Both steps post the text to POST /calendar/notices: first with preview, then without.

// noticePreview is the preview as the page shows it.
type noticePreview struct {
	wire.Notice
	Changed      []changedDay
	StatusBefore string // the year's status in force; "" when the page's years do not hold it
	changed      map[calendar.Date]bool
}

// changedDay is a day the notice changes: to what it lists, or (Listed nil) back to an
// ordinary working day or weekend day, as another file or the provisional rules had listed it.
type changedDay struct {
	Date   calendar.Date
	Listed *calendar.NoticeDay
}

// IsChanged reports whether loading the notice changes d.
func (p *noticePreview) IsChanged(d calendar.Date) bool { return p.changed[d] }

func newNoticePreview(doc wire.Notice) *noticePreview {
	p := &noticePreview{Notice: doc, changed: map[calendar.Date]bool{}}
	listed := map[calendar.Date]*calendar.NoticeDay{}
	for i, d := range doc.Days {
		listed[d.Date] = &doc.Days[i]
	}
	for _, s := range doc.ChangedDays {
		if d, err := calendar.ParseDate(s); err == nil {
			p.Changed = append(p.Changed, changedDay{Date: d, Listed: listed[d]})
			p.changed[d] = true
		}
	}
	return p
}

// handleNotice previews a pasted notice, or with confirm=1 puts it in force and shows what it
// moved as the year file upload does. A refusal keeps the text and says why beside it.
func (c *Console) handleNotice(w http.ResponseWriter, r *http.Request, s *session) {
	if !s.Is("admin") {
		c.fail(w, r, s, http.StatusForbidden, "problem.forbidden")
		return
	}
	req, p := c.noticeForm(r)
	if p != nil {
		c.renderCalendar(w, r, s, calendarResult{problem: p, keep: true})
		return
	}
	b, _ := json.Marshal(req)
	// The reader's sentences come in English, which noticeMessage re-frames line by line in
	// the page's language (the API's Chinese says only that the notice cannot be read).
	res := c.call(r, s, apiCall{method: http.MethodPost, path: "/api/v1/calendar/notices", body: bytes.NewReader(b),
		contentType: "application/json", header: map[string]string{"Accept-Language": "en"}})
	refused := func(p *wire.Problem) {
		c.renderCalendar(w, r, s, calendarResult{problem: c.noticeProblem(language(r), p), field: "notice", keep: true,
			badLine: badLine(req.Text, p)})
	}
	if res.Status == http.StatusServiceUnavailable { // the reload could not start: nothing changed, keep the text to retry
		refused(res.problem())
		return
	}
	var doc wire.Notice // a load's answer is its wire.Reload alone
	if err := res.decode(&doc); err != nil {
		c.formFailure(w, r, s, err, refused)
		return
	}
	if !req.Preview {
		c.renderCalendar(w, r, s, calendarResult{loaded: &doc.Reload})
		return
	}
	c.renderCalendar(w, r, s, calendarResult{preview: newNoticePreview(doc), keep: true})
}

// noticeForm is the API request the posted form asks for, or the refusal of a year that is
// not one.
func (c *Console) noticeForm(r *http.Request) (wire.NoticeRequest, *wire.Problem) {
	req := wire.NoticeRequest{Text: r.PostFormValue("notice"), Preview: r.PostFormValue("confirm") != "1"}
	y := strings.TrimSpace(r.PostFormValue("notice_year"))
	if y == "" {
		return req, nil
	}
	if !yearPattern.MatchString(y) {
		return req, fieldProblem("notice_year", c.cat.t(language(r), "err.year"))
	}
	req.Year, _ = strconv.Atoi(y)
	return req, nil
}

// noticeProblem puts the API's field errors on the notice form's fields, in lang.
func (c *Console) noticeProblem(lang string, p *wire.Problem) *wire.Problem {
	out := *p
	out.Errors = nil
	for _, e := range p.Errors {
		field := "notice"
		if e.Field == "year" {
			field = "notice_year"
		}
		out.Errors = append(out.Errors, fieldProblem(field, c.noticeMessage(lang, e.Detail)).Errors...)
	}
	return &out
}

var lineNamed = regexp.MustCompile(`^` + regexp.QuoteMeta(calendar.ErrBadNotice.Error()) + `: line (\d+)\b`)

// badLine is the line of text a refusal names, as pasted, to show beside the reason; "" when
// it names none.
func badLine(text string, p *wire.Problem) string {
	for _, e := range p.Errors {
		m := lineNamed.FindStringSubmatch(e.Detail)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n"); n >= 1 && n <= len(lines) {
			return strings.TrimSpace(lines[n-1])
		}
	}
	return ""
}

// fieldProblem is a 422 with one field's message, for a form refused before the API is called.
func fieldProblem(field, detail string) *wire.Problem {
	p := &wire.Problem{Status: http.StatusUnprocessableEntity, Code: "invalid"}
	p.Errors = append(p.Errors, struct {
		Field  string `json:"field"`
		Detail string `json:"detail"`
	}{field, detail})
	return p
}
