package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) is short and very
// regular: one numbered line per festival, each with its days off (放假, 放假调休, 补休) and its
// make-up working days (上班). ReadNotice turns its text into a year file. It reads what it
// recognises and refuses, naming the line, whatever else mentions a date: a year file that
// lost a holiday is worse than none.

// ErrBadNotice is wrapped by every refusal of a notice's text.
var ErrBadNotice = errors.New("calendar: notice not understood")

// NoticeSource is the source a year file read from a notice records.
const NoticeSource = "国务院办公厅关于部分节假日安排的通知（正文导入）"

// NoticeDay is one day a notice lists: off (a holiday or substitute day) or a make-up working day.
type NoticeDay struct {
	Date Date   `json:"date"`
	Off  bool   `json:"off"`
	Name string `json:"name"` // the festival, as the notice names it
	Line int    `json:"line"` // the line of the notice that lists it (1-based)
}

// Notice is what a notice's text says about one year.
type Notice struct {
	Year int         `json:"year"`
	Days []NoticeDay `json:"days"` // by date
}

// YearFile is the notice as a year file (the holiday-cn format, status official).
func (n Notice) YearFile() []byte {
	f := fileJSON{Year: n.Year, Status: StatusOfficial, Source: NoticeSource, Papers: []string{}, Days: []dayJSON{}}
	for _, d := range n.Days {
		off := d.Off
		f.Days = append(f.Days, dayJSON{Name: d.Name, Date: d.Date.String(), IsOffDay: &off})
	}
	b, _ := json.MarshalIndent(f, "", "    ") // plain strings, bools and ints: cannot fail
	return append(b, '\n')
}

var (
	noticeTitleYear = regexp.MustCompile(`关于\s*(\d{4})\s*年`)
	festivalLine    = regexp.MustCompile(`^\s*([一二三四五六七八九十]+)\s*[、.]\s*([^:]{1,40}?)\s*:\s*(.+)$`)
	noticeDate      = regexp.MustCompile(`(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?`)
	weekdayNote     = regexp.MustCompile(`(?:星期|周|礼拜)([一二三四五六日天])`)
	totalDays       = regexp.MustCompile(`共\s*(\d{1,2})\s*天`)
)

// ReadNotice reads the text of the notice for year (0: the year its title names). Lines that
// are not a numbered festival line are the notice's preamble and closing and are skipped,
// unless they list days off or working days.
func ReadNotice(text string, year int) (Notice, error) {
	lines := strings.Split(normalizeNotice(text), "\n")
	year, err := noticeYear(lines, year)
	if err != nil {
		return Notice{}, err
	}
	r := noticeReader{year: year, listed: map[Date]NoticeDay{}}
	for i, line := range lines {
		if err := r.line(i+1, line); err != nil {
			return Notice{}, err
		}
	}
	if len(r.listed) == 0 {
		return Notice{}, fmt.Errorf("%w: no festival line (such as 一、元旦：1月1日放假，共1天。) was found", ErrBadNotice)
	}
	n := Notice{Year: year}
	for _, d := range r.listed {
		n.Days = append(n.Days, d)
	}
	slices.SortFunc(n.Days, func(a, b NoticeDay) int { return a.Date.Compare(b.Date) })
	return n, nil
}

// noticeYear is the year the notice is for: its title's, which must agree with want when
// both are known.
func noticeYear(lines []string, want int) (int, error) {
	for i, line := range lines {
		m := noticeTitleYear.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[1])
		if want != 0 && y != want {
			return 0, fmt.Errorf("%w: line %d: the notice is for %d, not %d", ErrBadNotice, i+1, y, want)
		}
		return y, nil
	}
	if want == 0 {
		return 0, fmt.Errorf("%w: the text names no year (关于YYYY年…): give the year", ErrBadNotice)
	}
	return want, nil
}

// noticeReader collects the days of the festival lines, refusing contradictions.
type noticeReader struct {
	year   int
	listed map[Date]NoticeDay
}

func (r *noticeReader) line(no int, line string) error {
	m := festivalLine.FindStringSubmatch(line)
	if m == nil {
		if mentionsDays(line) && noticeDate.MatchString(line) {
			return fmt.Errorf("%w: line %d lists days but is not a numbered festival line (一、节日：…): %q", ErrBadNotice, no, line)
		}
		return nil
	}
	name := strings.TrimSpace(strings.Trim(strings.TrimSpace(m[2]), "\""))
	if name == "" {
		return fmt.Errorf("%w: line %d names no festival before its colon", ErrBadNotice, no)
	}
	f := festival{reader: r, no: no, name: name, newYear: strings.Contains(name, "元旦")}
	for _, sentence := range splitOutside(m[3], "。;") {
		if err := f.sentence(strings.TrimSpace(sentence)); err != nil {
			return fmt.Errorf("%w: line %d (%s): %v", ErrBadNotice, no, name, err)
		}
	}
	if f.off == 0 {
		return fmt.Errorf("%w: line %d (%s): no day off found", ErrBadNotice, no, name)
	}
	return nil
}

// mentionsDays reports whether a line speaks of days off or working days.
func mentionsDays(line string) bool {
	for _, w := range []string{"放假", "上班", "补休", "调休"} {
		if strings.Contains(line, w) {
			return true
		}
	}
	return false
}

// festival reads the sentences of one festival line.
type festival struct {
	reader  *noticeReader
	no      int
	name    string
	newYear bool // 元旦: a December date is of the year before
	month   int  // the month of the last date read, for "1月1日至3日"
	off     int  // days off listed so far
}

func (f *festival) sentence(s string) error {
	if s == "" || strings.HasPrefix(s, "其中") {
		return nil // an explanation of the arrangement ("其中1月1日为法定假日…"), not a listing
	}
	for _, clause := range splitOutside(s, ",") {
		if err := f.clause(strings.TrimSpace(clause)); err != nil {
			return err
		}
	}
	return nil
}

func (f *festival) clause(c string) error {
	if m := totalDays.FindStringSubmatch(c); m != nil {
		want, _ := strconv.Atoi(m[1])
		if want != f.off {
			return fmt.Errorf("says 共%d天 but lists %d days off", want, f.off)
		}
		return nil
	}
	dates, err := f.dates(c)
	if err != nil || len(dates) == 0 {
		return err
	}
	switch {
	case strings.Contains(c, "上班"):
		return f.list(dates, false)
	case strings.Contains(c, "放假") && strings.Contains(c, "至"):
		if len(dates) != 2 || dates[1].Before(dates[0]) || dates[1].days()-dates[0].days() > 20 {
			return fmt.Errorf("cannot read the range in %q", c)
		}
		var run []Date
		for d := dates[0]; !d.After(dates[1]); d = d.AddDays(1) {
			run = append(run, d)
		}
		return f.list(run, true)
	case strings.Contains(c, "放假"), strings.Contains(c, "补休"):
		return f.list(dates, true)
	}
	return fmt.Errorf("cannot tell whether %q lists days off or working days", c)
}

// dates reads the dates of a clause, checking each exists and matches its weekday note.
func (f *festival) dates(c string) ([]Date, error) {
	var out []Date
	for _, m := range noticeDate.FindAllStringSubmatch(c, -1) {
		if m[2] != "" {
			f.month, _ = strconv.Atoi(m[2])
		}
		if f.month == 0 {
			return nil, fmt.Errorf("%s has no month", m[0])
		}
		day, _ := strconv.Atoi(m[3])
		y := f.reader.year
		if m[1] != "" {
			y, _ = strconv.Atoi(m[1])
		} else if f.month == 12 && f.newYear {
			y-- // 元旦's make-up days and days off can fall in the December before
		}
		d := NewDate(y, time.Month(f.month), day)
		if day < 1 || d.Month != time.Month(f.month) || d.Day != day || f.month > 12 {
			return nil, fmt.Errorf("%s is not a date", m[0])
		}
		if w := weekdayNote.FindStringSubmatch(m[4]); w != nil && chineseWeekday(w[1]) != d.Weekday() {
			return nil, fmt.Errorf("%s: %s is a %s, not %s", m[0], d, weekdayZH[d.Weekday()], m[4])
		}
		out = append(out, d)
	}
	return out, nil
}

// list records dates as off or working, refusing a date listed twice in contradiction, a
// day off listed by two festivals, a make-up day on a weekday and a date outside the notice's reach.
func (f *festival) list(dates []Date, off bool) error {
	r := f.reader
	for _, d := range dates {
		if d.Before(NewDate(r.year-1, 12, 1)) || d.After(NewDate(r.year+1, 1, 31)) {
			return fmt.Errorf("%s is not in %d or next to it (wrong year?)", d, r.year)
		}
		if !off && !isWeekend(d) {
			return fmt.Errorf("make-up working day %s is a %s, not a weekend day", d, weekdayZH[d.Weekday()])
		}
		if prev, ok := r.listed[d]; ok {
			switch {
			case prev.Off != off:
				return fmt.Errorf("%s is listed both as a day off and as a working day (line %d)", d, prev.Line)
			case prev.Line != f.no:
				return fmt.Errorf("%s is already a day off of %s (line %d): festivals overlap", d, prev.Name, prev.Line)
			}
			continue
		}
		r.listed[d] = NoticeDay{Date: d, Off: off, Name: f.name, Line: f.no}
		if off {
			f.off++
		}
	}
	return nil
}

var weekdayZH = map[time.Weekday]string{time.Sunday: "星期日", time.Monday: "星期一", time.Tuesday: "星期二",
	time.Wednesday: "星期三", time.Thursday: "星期四", time.Friday: "星期五", time.Saturday: "星期六"}

func chineseWeekday(s string) time.Weekday {
	return map[string]time.Weekday{"日": time.Sunday, "天": time.Sunday, "一": time.Monday, "二": time.Tuesday,
		"三": time.Wednesday, "四": time.Thursday, "五": time.Friday, "六": time.Saturday}[s]
}

// normalizeNotice folds what varies between copies of a notice and nothing else: full-width
// letters, digits and punctuation to ASCII (the ideographic full stop stays), the
// traditional characters a notice's words use to simplified ones, and line endings.
func normalizeNotice(s string) string {
	var b strings.Builder
	for _, c := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case c >= 0xFF01 && c <= 0xFF5E:
			c -= 0xFEE0
		case c == 0x3000 || c == '\t' || c == '\r':
			c = ' '
		case c == '“' || c == '”' || c == '「' || c == '」':
			c = '"'
		}
		if t, ok := traditional[c]; ok {
			c = t
		}
		b.WriteRune(c)
	}
	return b.String()
}

var traditional = map[rune]rune{'節': '节', '勞': '劳', '動': '动', '國': '国', '慶': '庆', '調': '调', '補': '补',
	'與': '与', '週': '周', '連': '连', '農': '农', '曆': '历', '歷': '历', '陽': '阳', '臘': '腊', '關': '关',
	'於': '于', '號': '号', '後': '后', '時': '时', '間': '间', '晚': '晚', '禮': '礼', '拜': '拜', '辦': '办',
	'廳': '厅', '務': '务', '為': '为', '將': '将', '兩': '两', '個': '个', '兒': '儿', '紀': '纪', '念': '念'}

// splitOutside splits s at any of seps that is not inside brackets (a note such as
// "(星期日,农历除夕)" is part of its date).
func splitOutside(s, seps string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0 && strings.ContainsRune(seps, c):
			out = append(out, s[start:i])
			start = i + len(string(c))
		}
	}
	return append(out, s[start:])
}
