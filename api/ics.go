package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/article23"
)

// handleDeadlinesICS serves the case's running deadlines as an RFC 5545 calendar, one
// all-day event on each due date, for the caller's own calendar application.
func (s *Server) handleDeadlinesICS(c echo.Context) error {
	v, err := s.visibleCase(c, permView)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+v.Case.Number+`.ics"`)
	return c.String(http.StatusOK, deadlinesICS(v.Case, s.deps.Now()))
}

// clockTitles name each clock for a person.
var clockTitles = map[article23.ClockName]string{
	article23.ClockDecision:  "受理决定期限 decision",
	article23.ClockCommittee: "委员会会议期限 committee meeting",
	article23.ClockFeedback:  "反馈期限 feedback",
	article23.ClockCap:       "延长上限 extension cap",
}

// deadlinesICS renders the running clocks of c; stamp is the DTSTAMP of every event.
func deadlinesICS(c article23.Case, stamp time.Time) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//CICPA//weiquan//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escapeICS("维权 "+c.Number))
	for _, k := range c.Clocks {
		if k.State != article23.ClockRunning {
			continue
		}
		due, err := time.Parse(time.DateOnly, k.Due)
		if err != nil {
			continue
		}
		line("BEGIN:VEVENT")
		line("UID:" + c.Number + "-" + string(k.Name) + "@weiquan.cicpa.org.cn")
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE:" + due.Format("20060102"))
		line("DTEND;VALUE=DATE:" + due.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:" + escapeICS(fmt.Sprintf("%s %s (%d 个工作日)", c.Number, clockTitles[k.Name], k.Workdays)))
		line("DESCRIPTION:" + escapeICS(fmt.Sprintf("截止 %s 24:00 (Asia/Shanghai)。%s", k.Due, k.Explanation)))
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// escapeICS escapes a TEXT value (RFC 5545 §3.3.11).
func escapeICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldICS ends a content line with CRLF, folding it at 75 octets without splitting a
// UTF-8 character (RFC 5545 §3.1).
func foldICS(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := len(string(r))
		if n+w > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += w
	}
	b.WriteString("\r\n")
	return b.String()
}
