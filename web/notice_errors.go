package web

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/cicpa/weiquan/calendar"
)

// The notice reader (calendar.ReadNotice) explains a refusal in English, naming the line. The
// operator reads Chinese: noticeMessage re-frames the reader's usual sentences through the
// catalogue, keeping what they quote (the line number, the festival, the date as written),
// and shows any other sentence as sent after a lead that says the notice could not be read.

// noticeFrame is one sentence shape of the reader and its message key; the key's %s verbs take
// the submatches in order. With inner, the last submatch is itself a sentence of innerFrames.
type noticeFrame struct {
	shape *regexp.Regexp
	key   string
	inner bool
}

var quoted = `("(?:[^"\\]|\\.)*")`

// noticeFrames are the reader's sentences about the whole text or one line.
var noticeFrames = []noticeFrame{
	{regexp.MustCompile(`^no festival line \(such as .*\) was found$`), "notice.err_no_festival", false},
	{regexp.MustCompile(`^line (\d+): the notice is for (\d+), not (\d+)$`), "notice.err_other_year", false},
	{regexp.MustCompile(`^the text names no year .*: give the year$`), "notice.err_no_year", false},
	{regexp.MustCompile(`^line (\d+) lists days but is not a numbered festival line .*: ` + quoted + `$`), "notice.err_not_festival_line", false},
	{regexp.MustCompile(`^line (\d+) \((.+?)\): (.+)$`), "notice.err_line", true},
	{regexp.MustCompile(`^is (\d+) characters; at most (\d+)$`), "notice.err_too_long", false},
	{regexp.MustCompile(`^must be a year (\d+)–(\d+)$`), "notice.err_year_range", false},
}

// innerFrames are the reader's sentences about one festival line.
var innerFrames = []noticeFrame{
	{regexp.MustCompile(`^no day off found$`), "notice.err_no_day_off", false},
	{regexp.MustCompile(`^says 共(\d+)天 but lists (\d+) days off$`), "notice.err_total", false},
	{regexp.MustCompile(`^cannot read the range in ` + quoted + `$`), "notice.err_range", false},
	{regexp.MustCompile(`^cannot tell whether ` + quoted + ` lists days off or working days$`), "notice.err_off_or_work", false},
	{regexp.MustCompile(`^(.+): (\d{4}-\d{2}-\d{2}) is a (\S+), not (.+)$`), "notice.err_weekday", false},
	{regexp.MustCompile(`^(.+) has no month$`), "notice.err_no_month", false},
	{regexp.MustCompile(`^(.+) is not a date$`), "notice.err_not_a_date", false},
	{regexp.MustCompile(`^(\S+) is not in (\d+) or next to it \(wrong year\?\)$`), "notice.err_out_of_year", false},
	{regexp.MustCompile(`^make-up working day (\S+) is a (\S+), not a weekend day$`), "notice.err_makeup_weekday", false},
	{regexp.MustCompile(`^(\S+) is listed both as a day off and as a working day \(line (\d+)\)$`), "notice.err_both", false},
	{regexp.MustCompile(`^(\S+) is already a day off of (.+) \(line (\d+)\): festivals overlap$`), "notice.err_overlap", false},
}

// noticeMessage is the API's detail about the pasted text (or the year typed with it) in lang.
func (c *Console) noticeMessage(lang, detail string) string {
	rest, bad := strings.CutPrefix(detail, calendar.ErrBadNotice.Error()+": ")
	if msg, ok := c.frame(lang, rest, noticeFrames); ok {
		return msg
	}
	if bad || strings.HasPrefix(detail, "calendar:") {
		return c.cat.t(lang, "notice.err_unreadable", rest)
	}
	return c.fieldMessage(lang, "notice", detail)
}

// frame re-frames s by the first of frames whose shape it has; ok is false when none fits
// (or an inner sentence fits none).
func (c *Console) frame(lang, s string, frames []noticeFrame) (string, bool) {
	for _, f := range frames {
		m := f.shape.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := make([]any, 0, len(m)-1)
		for _, a := range m[1:] {
			args = append(args, localDate(lang, unquoted(a))) // a date the reader names, as the page writes dates
		}
		if f.inner {
			inner, ok := c.frame(lang, m[len(m)-1], innerFrames)
			if !ok {
				return "", false
			}
			args[len(args)-1] = inner
		}
		return c.cat.t(lang, f.key, args...), true
	}
	return "", false
}

// unquoted is a Go-quoted clause (the reader's %q) without its quotes; anything else as is.
func unquoted(s string) string {
	if strings.HasPrefix(s, `"`) {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}
