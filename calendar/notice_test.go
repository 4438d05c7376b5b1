package calendar

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoticeRoundTrip writes, for every official year file shipped, that year's notice text
// from its data in the notices' own style (varying what copies of notices vary: 星期 or 周,
// full-width or ASCII punctuation, traditional characters, lunar notes), reads it back, and
// checks that every date from December of the year before to January of the next has the
// same status (off, working) in both.
func TestNoticeRoundTrip(t *testing.T) {
	for y := 2007; y <= 2026; y++ {
		t.Run(fmt.Sprint(y), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("data", fmt.Sprintf("%d.json", y)))
			if err != nil {
				t.Fatal(err)
			}
			yf, err := parseYearFile(raw)
			if err != nil {
				t.Fatal(err)
			}
			text := renderNotice(yf, y)
			n, err := ReadNotice(text, 0)
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			back, err := parseYearFile(n.YearFile())
			if err != nil {
				t.Fatal(err)
			}
			if back.Status != StatusOfficial || back.Source != NoticeSource {
				t.Errorf("status %q source %q", back.Status, back.Source)
			}
			want, got := statuses(yf), statuses(back)
			for d := NewDate(y-1, 12, 1); !d.After(NewDate(y+1, 1, 31)); d = d.AddDays(1) {
				if want[d] != got[d] {
					t.Errorf("%s: data says %s, the notice read back says %s\n%s", d, want[d], got[d], text)
				}
			}
		})
	}
}

// statuses is each listed date's status, and the weekend days inside a block of days off
// (year files sometimes leave them out; they are off anyway).
func statuses(yf *yearFile) map[Date]string {
	out := map[Date]string{}
	for _, e := range yf.Entries {
		out[e.Date] = map[bool]string{true: "off", false: "working"}[e.Off]
	}
	for d := NewDate(yf.Year-1, 12, 1); !d.After(NewDate(yf.Year+1, 1, 31)); d = d.AddDays(1) {
		if _, listed := out[d]; !listed && isWeekend(d) {
			out[d] = "off"
		}
		if out[d] == "" {
			out[d] = "working"
		}
	}
	return out
}

// renderNotice writes yf as a notice: a title, a preamble, one numbered line per festival
// (in the order of its first day) with its blocks of days off and its make-up days.
func renderNotice(yf *yearFile, y int) string {
	style := y % 4 // 0: 星期, full-width; 1: 周, ASCII; 2: traditional; 3: lunar notes
	var names []string
	byName := map[string][]entry{}
	for _, e := range yf.Entries {
		if _, ok := byName[e.Name]; !ok {
			names = append(names, e.Name)
		}
		byName[e.Name] = append(byName[e.Name], e)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "国务院办公厅关于%d年部分节假日安排的通知\n经国务院批准，现将%d年放假调休日期的具体安排通知如下。\n", y, y)
	for i, name := range names {
		fmt.Fprintf(&b, "%s、%s：%s\n", numeral(i+1), name, festivalText(byName[name], y, style))
	}
	b.WriteString("节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。\n国务院办公厅\n")
	s := b.String()
	switch style {
	case 1:
		s = strings.NewReplacer("：", ":", "，", ",", "（", "(", "）", ")", "星期", "周").Replace(s)
	case 2:
		s = strings.NewReplacer("节", "節", "调", "調", "劳动", "勞動", "国庆", "國慶", "补", "補").Replace(s)
	}
	return s
}

// festivalText lists one festival's blocks of days off (weekend days between its listed days
// filled in, as 至 reads) and its make-up days.
func festivalText(es []entry, y, style int) string {
	var parts []string
	var work []string
	for i := 0; i < len(es); i++ {
		e := es[i]
		if !e.Off {
			// a weekday listed as working (2020-02-03, after the separate notice extending
			// that Spring Festival) is working anyway, and no notice lists one
			if isWeekend(e.Date) {
				work = append(work, noticeDateText(e.Date, y, true, style))
			}
			continue
		}
		j := i
		for j+1 < len(es) && es[j+1].Off && onlyWeekendBetween(es[j].Date, es[j+1].Date) {
			j++
		}
		first, last := e.Date, es[j].Date
		note := ""
		if style == 3 && strings.Contains(e.Name, "春节") {
			note = "（农历除夕至正月初六，星期" + strings.TrimPrefix(weekdayZH[first.Weekday()], "星期") + "）"
		}
		if first == last {
			parts = append(parts, noticeDateText(first, y, false, style)+note+"放假")
		} else {
			end := fmt.Sprintf("%d日", last.Day)
			if last.Month != first.Month {
				end = fmt.Sprintf("%d月%d日", int(last.Month), last.Day)
			}
			parts = append(parts, fmt.Sprintf("%s%s至%s放假调休，共%d天", noticeDateText(first, y, false, style), note, end, last.days()-first.days()+1))
		}
		i = j
	}
	text := strings.Join(parts, "；") + "。"
	if len(work) > 0 {
		text += strings.Join(work, "、") + "上班。"
	}
	return text
}

// noticeDateText is "M月D日" (with the year when it is not y's, as notices write it), and
// the weekday in brackets for make-up days.
func noticeDateText(d Date, y int, weekday bool, style int) string {
	s := fmt.Sprintf("%d月%d日", int(d.Month), d.Day)
	if d.Year != y {
		s = fmt.Sprintf("%d年%s", d.Year, s)
	}
	if weekday {
		s += "（" + weekdayZH[d.Weekday()] + "）"
	}
	return s
}

func onlyWeekendBetween(a, b Date) bool {
	for d := a.AddDays(1); d.Before(b); d = d.AddDays(1) {
		if !isWeekend(d) {
			return false
		}
	}
	return true
}

func numeral(n int) string {
	return []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[n]
}

// The styles of real notices, quoted as they are written.
func TestNoticeStyles(t *testing.T) {
	tests := []struct {
		name, text string
		year       int
		off, work  []string
	}{
		{"放假调休 and 上班 (2026)", "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。", 2026,
			[]string{"2026-01-01", "2026-01-02", "2026-01-03"}, []string{"2026-01-04"}},
		{"补休 (2012)", "一、元旦：1月1日放假，1月2日（星期一）补休。2011年12月31日（星期六）上班。", 2012,
			[]string{"2012-01-01", "2012-01-02"}, []string{"2011-12-31"}},
		{"与周末连休", "三、劳动节：5月1日放假，与周末连休。", 2010, []string{"2010-05-01"}, nil},
		{"combined festivals (2023)", "六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。", 2023,
			[]string{"2023-09-29", "2023-10-06"}, []string{"2023-10-07", "2023-10-08"}},
		{"December of the year before (2019)", "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。", 2019,
			[]string{"2018-12-30", "2019-01-01"}, []string{"2018-12-29"}},
		{"December without its year", "一、元旦：12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。", 2019,
			[]string{"2018-12-30", "2019-01-01"}, []string{"2018-12-29"}},
		{"lunar notes and traditional characters", "二、春節：2月15日（農曆臘月二十八）至23日放假調休，共9天。2月14日（星期六）、2月28日（星期六）上班。", 2026,
			[]string{"2026-02-15", "2026-02-23"}, []string{"2026-02-14", "2026-02-28"}},
		{"full-width digits and ASCII colon", "五、端午节:６月１９日放假，共１天。", 2026, []string{"2026-06-19"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ReadNotice("国务院办公厅关于"+fmt.Sprint(tt.year)+"年部分节假日安排的通知\n"+tt.text, 0)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, d := range n.Days {
				got[d.Date.String()] = d.Off
			}
			for _, d := range tt.off {
				if off, ok := got[d]; !ok || !off {
					t.Errorf("%s should be off: %+v", d, n.Days)
				}
			}
			for _, d := range tt.work {
				if off, ok := got[d]; !ok || off {
					t.Errorf("%s should be a working day: %+v", d, n.Days)
				}
			}
		})
	}
}

// What the reader cannot read, or what contradicts itself, is refused naming the line.
func TestNoticeRefusals(t *testing.T) {
	title := "国务院办公厅关于2026年部分节假日安排的通知\n"
	for _, tt := range []struct{ name, text, want string }{
		{"another year", title + "一、元旦：1月1日放假，共1天。", "line 1: the notice is for 2026, not 2027"},
		{"no such date", title + "一、元旦：2月30日放假，共1天。", "line 2 (元旦): 2月30日 is not a date"},
		{"weekday that is wrong", title + "一、元旦：1月4日（周六）上班。1月1日放假。", "2026-01-04 is a 星期日, not 周六"},
		{"make-up day on a weekday", title + "一、元旦：1月1日放假。1月5日上班。", "make-up working day 2026-01-05 is a 星期一"},
		{"overlapping festivals", title + "一、中秋节：10月1日放假。\n二、国庆节：10月1日至3日放假调休，共3天。", "line 3 (国庆节): 2026-10-01 is already a day off of 中秋节 (line 2)"},
		{"count that does not add up", title + "一、元旦：1月1日至3日放假调休，共4天。", "says 共4天 but lists 3 days off"},
		{"no festival line", title + "经国务院批准，现通知如下。", "no festival line"},
		{"days outside a festival line", title + "元旦1月1日放假。", "line 2 lists days but is not a numbered festival line"},
		{"a clause it cannot read", title + "一、元旦：1月1日放假，1月2日另行通知。", "cannot tell whether \"1月2日另行通知\""},
		{"no year at all", "一、元旦：1月1日放假。", "names no year"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			year := 0
			if tt.name == "another year" {
				year = 2027
			}
			_, err := ReadNotice(tt.text, year)
			if !errors.Is(err, ErrBadNotice) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// FuzzReadNotice feeds arbitrary text to the notice reader (what an admin pastes): it never
// panics, every refusal wraps ErrBadNotice, and what it accepts is a year file the year-file
// parser accepts too.
func FuzzReadNotice(f *testing.F) {
	for y := 2007; y <= 2026; y += 5 {
		if raw, err := os.ReadFile(filepath.Join("data", fmt.Sprintf("%d.json", y))); err == nil {
			if yf, err := parseYearFile(raw); err == nil {
				f.Add(renderNotice(yf, y), 0)
			}
		}
	}
	f.Add("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。", 2026)
	f.Add("一、元旦:12月30日(星期日,农历)至1月1日放假;共3天。", 2019)
	f.Fuzz(func(t *testing.T, text string, year int) {
		n, err := ReadNotice(text, year)
		if err != nil {
			if !errors.Is(err, ErrBadNotice) {
				t.Fatalf("refusal does not wrap ErrBadNotice: %v", err)
			}
			return
		}
		if n.Year < firstYear || n.Year > lastYear {
			return // the reader reads any year; loading it is the calendar's decision
		}
		if _, err := parseYearFile(n.YearFile()); err != nil {
			t.Fatalf("accepted notice makes a bad year file: %v\n%s", err, n.YearFile())
		}
	})
}

// The 2026 notice as published in style (calendar/testdata/notice-2026.txt, with its
// preamble, closing and date line) reads back as the shipped 2026 file.
func TestNotice2026(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "notice-2026.txt"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := ReadNotice(string(text), 2026)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join("data", "2026.json"))
	want, _ := parseYearFile(raw)
	got, err := parseYearFile(n.YearFile())
	if err != nil {
		t.Fatal(err)
	}
	ws, gs := statuses(want), statuses(got)
	for d := NewDate(2025, 12, 1); !d.After(NewDate(2027, 1, 31)); d = d.AddDays(1) {
		if ws[d] != gs[d] {
			t.Errorf("%s: %s, read %s", d, ws[d], gs[d])
		}
	}
	if n.Days[0].Line != 5 || n.Days[0].Name != "元旦" {
		t.Errorf("first day %+v", n.Days[0])
	}
}
