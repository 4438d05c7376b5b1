package api

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/store"
	"github.com/cicpa/weiquan/wire"
	"github.com/cicpa/weiquan/workflows"
)

func TestListFiltersAndPaging(t *testing.T) {
	a := newTestAPI(t)
	for range 3 {
		a.submit()
	}
	var l wire.CaseList
	r := a.do(secretaryBJ, "GET", "/api/v1/cases?limit=2", nil).want(http.StatusOK)
	r.decode(&l)
	if len(l.Cases) != 2 || l.Next == "" || !strings.Contains(r.Header().Get("Link"), `rel="next"`) {
		t.Fatalf("page 1: %d cases, next %q, Link %q", len(l.Cases), l.Next, r.Header().Get("Link"))
	}
	var l2 wire.CaseList
	a.do(secretaryBJ, "GET", "/api/v1/cases?limit=2&cursor="+l.Next, nil).want(http.StatusOK).decode(&l2)
	if len(l2.Cases) != 1 || l2.Next != "" {
		t.Fatalf("page 2: %d cases, next %q", len(l2.Cases), l2.Next)
	}
	for q, want := range map[string]int{"stage=received": 3, "stage=accepted": 0, "due_within=15": 3, "due_within=14": 0,
		"breached=true": 0, "q=工资": 3, "q=nothing": 0} {
		a.do(secretaryBJ, "GET", "/api/v1/cases?"+q, nil).want(http.StatusOK).decode(&l)
		if len(l.Cases) != want {
			t.Errorf("%s: %d cases, want %d", q, len(l.Cases), want)
		}
	}
	for _, q := range []string{"stage=open", "due_within=x", "breached=maybe", "limit=0", "cursor=AAAA"} {
		a.do(secretaryBJ, "GET", "/api/v1/cases?"+q, nil).problem(http.StatusUnprocessableEntity, "invalid")
	}
}

func TestTasks(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	a.submit()
	a.do(secretaryBJ, "POST", "/api/v1/cases/"+c.Number+"/extensions", map[string]any{"workdays": 70, "reason": "复杂"}).want(http.StatusOK)
	escalate(t, a.engine, c.Number, 1)
	var tasks wire.Tasks
	a.do(secretaryBJ, "GET", "/api/v1/tasks", nil).want(http.StatusOK).decode(&tasks)
	if len(tasks.Cases) != 2 || tasks.Cases[0].NextDeadline.After(*tasks.Cases[1].NextDeadline) {
		t.Fatalf("secretary tasks %+v", tasks.Cases)
	}
	a.do(supervisorBJ, "GET", "/api/v1/tasks", nil).want(http.StatusOK).decode(&tasks)
	if len(tasks.Extensions) != 1 || len(tasks.Escalations) != 1 {
		t.Fatalf("supervisor tasks %+v", tasks)
	}
	a.do(memberWang, "GET", "/api/v1/tasks", nil).want(http.StatusOK).decode(&tasks)
	if len(tasks.Cases) != 0 {
		t.Errorf("member tasks %+v", tasks.Cases)
	}
}

func TestCalendarRoutes(t *testing.T) {
	a := newTestAPI(t)
	var due wire.Due
	a.do(memberWang, "GET", "/api/v1/calendar/due?from=2026-11-27&workdays=60", nil).want(http.StatusOK).decode(&due)
	if due.Due.String() != "2027-02-26" || !strings.Contains(due.Text, "春节") {
		t.Fatalf("due %+v", due)
	}
	a.do(memberWang, "GET", "/api/v1/calendar/due?from=1999-01-01&workdays=1", nil).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(memberWang, "GET", "/api/v1/calendar/due?from=2026-11-27", nil).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(memberWang, "GET", "/api/v1/calendar/years/2027", nil).want(http.StatusOK)
	a.do(memberWang, "GET", "/api/v1/calendar/years/3000", nil).problem(http.StatusNotFound, "not_found")
}

// TestLoadYearFile: a new 2026 file that makes 2026-12-01 a holiday moves the open case's
// decision deadline by one working day, swaps the calendar and signals the case.
func TestLoadYearFile(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	data, err := os.ReadFile("../calendar/data/2026.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	_ = json.Unmarshal(data, &file)
	file["days"] = append(file["days"].([]any), map[string]any{"name": "测试假日", "date": "2026-12-01", "isOffDay": true})
	old := a.cal.Current().Version()
	var res wire.Reload
	r := a.do(admin, "POST", "/api/v1/calendar/years/2026", file).want(http.StatusAccepted)
	r.decode(&res)
	if res.PreviousVersion != old || res.Version == old || a.cal.Current().Version() != res.Version {
		t.Fatalf("versions %+v", res)
	}
	if len(res.Moved) != 1 || res.Moved[0].Number != c.Number || res.Moved[0].OldDue != "2026-12-18" || res.Moved[0].NewDue != "2026-12-21" {
		t.Fatalf("moved %+v", res.Moved)
	}
	if res.OpenCases != 1 || len(res.ChangedDays) != 1 || r.Header().Get("Location") != res.Reload {
		t.Fatalf("response %+v, Location %q", res, r.Header().Get("Location"))
	}
	var p workflows.ReloadProgress
	a.do(admin, "GET", res.Reload, nil).want(http.StatusOK).decode(&p)
	if !p.Done || p.Signalled != 1 || p.Calendar != res.Version || len(a.engine.Signals()) != 1 || a.engine.Signals()[0] != c.Number+" "+res.Version {
		t.Fatalf("progress %+v, signals %v", p, a.engine.Signals())
	}
	a.do(secretaryBJ, "GET", res.Reload, nil).problem(http.StatusForbidden, "forbidden")
	a.do(admin, "GET", "/api/v1/calendar/reloads/1999.1", nil).problem(http.StatusNotFound, "not_found")
	a.do(admin, "POST", "/api/v1/calendar/years/2027", file).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(admin, "POST", "/api/v1/calendar/years/2026", `{"year": 2026, "days": "x"}`).problem(http.StatusUnprocessableEntity, "invalid")
}

// TestLoadYearFileWithoutEngine: when the reload cannot be started the calendar stays as it
// was and the answer is 503, so no case runs on a calendar its workflow was never told of;
// uploading again once Temporal is back puts it in force.
func TestLoadYearFileWithoutEngine(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	data, err := os.ReadFile("../calendar/data/2026.json")
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	_ = json.Unmarshal(data, &file)
	file["days"] = append(file["days"].([]any), map[string]any{"name": "测试假日", "date": "2026-12-01", "isOffDay": true})
	old := a.cal.Current().Version()
	a.engine.FailReload(1)
	a.do(admin, "POST", "/api/v1/calendar/years/2026", file).problem(http.StatusServiceUnavailable, "unavailable")
	if a.cal.Current().Version() != old || len(a.engine.Signals()) != 0 {
		t.Fatalf("calendar %s (was %s), signals %v", a.cal.Current().Version(), old, a.engine.Signals())
	}
	a.engine.FailReload(0)
	var res wire.Reload
	a.do(admin, "POST", "/api/v1/calendar/years/2026", file).want(http.StatusAccepted).decode(&res)
	if a.cal.Current().Version() != res.Version || len(a.engine.Signals()) != 1 || len(res.Moved) != 1 || res.Moved[0].Number != c.Number {
		t.Fatalf("after the retry: %+v, signals %v", res, a.engine.Signals())
	}
}

func TestDeadlinesICS(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	r := a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/deadlines.ics", nil).want(http.StatusOK)
	body := r.Body.String()
	// the decision clock (met) and the committee, feedback and cap clocks (running)
	if !strings.HasPrefix(r.Header().Get("Content-Type"), "text/calendar") || strings.Count(body, "BEGIN:VEVENT") != 4 {
		t.Fatalf("ics %q", body)
	}
	checkICS(t, body)
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n", "UID:" + c.Number + "-committee@", "受理决定期限（15 个工作日）（已完成）",
		"SEQUENCE:0", "TRIGGER;VALUE=DATE-TIME:"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("ics lacks %q:\n%s", want, unfolded)
		}
	}
	if n := strings.Count(body, "BEGIN:VALARM"); n != 4 { // 5 and 1 working days before the committee and feedback dates
		t.Errorf("%d alarms", n)
	}
	// each event ends at the instant its period ends, read in the VTIMEZONE's offset
	for _, k := range c.Clocks {
		due, _ := calendar.ParseDate(k.DueDate)
		end := "DTEND;TZID=Asia/Shanghai:" + due.AddDays(1).Start().Format("20060102") + "T000000"
		at, err := time.Parse("20060102T150405-0700", strings.TrimPrefix(end, "DTEND;TZID=Asia/Shanghai:")+"+0800")
		if !strings.Contains(unfolded, end) || err != nil || !at.Equal(k.DeadlineAt) {
			t.Errorf("%s clock due %s (%s): want %s, the same instant", k.Name, k.DueDate, k.DeadlineAt, end)
		}
	}
}

// A case whose clocks ended, or that has none yet, is still a valid calendar: ended deadlines
// say how they ended and ring no alarm; without any, one event states the case.
func TestDeadlinesICSWithoutRunningClocks(t *testing.T) {
	c := article23.Case{Number: "BJ-2026-0042", ReceivedOn: "2026-11-27", Policy: article23.DefaultPolicy(), Clocks: []article23.Clock{
		{Name: article23.ClockDecision, Due: "2026-12-18", Workdays: 15, State: article23.ClockCancelled}}}
	moved := article23.Event{Type: article23.EventClockMoved, Data: json.RawMessage(`{"clock":"decision"}`)}
	cal, err := calendar.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	body := deadlinesICS(store.CaseView{Case: c, Events: []article23.Event{moved}}, cal, shanghai("2026-12-01", 9, 0))
	checkICS(t, body)
	if !strings.Contains(body, "STATUS:CANCELLED") || !strings.Contains(body, "SEQUENCE:1") || strings.Contains(body, "VALARM") {
		t.Errorf("cancelled clock: %q", body)
	}
	c.Clocks = nil
	body = deadlinesICS(store.CaseView{Case: c}, cal, shanghai("2026-12-01", 9, 0))
	checkICS(t, body)
	if !strings.Contains(body, "UID:BJ-2026-0042-case@") || !strings.Contains(body, "DTSTART;VALUE=DATE:20261127") {
		t.Errorf("case without clocks: %q", body)
	}
}

// checkICS checks what RFC 5545 requires of a calendar: CRLF lines of at most 75 octets, a
// VCALENDAR with VERSION and PRODID and at least one component, balanced BEGIN/END, and in
// every VEVENT a UID, DTSTAMP and DTSTART, in every VALARM an ACTION, TRIGGER and DESCRIPTION,
// and a VTIMEZONE (TZID, an observance with its offsets) for every TZID parameter used.
func checkICS(t *testing.T, body string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	var stack []string
	var props []map[string]bool // per open component
	components := 0
	zones, used := map[string]bool{}, []string{}
	for _, line := range lines {
		if len(line) > 75 || strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line not folded: %q", line)
		}
		name, _, _ := strings.Cut(line, ":")
		name, _, _ = strings.Cut(name, ";")
		switch {
		case strings.HasPrefix(line, " "):
		case name == "BEGIN":
			stack = append(stack, line[6:])
			props = append(props, map[string]bool{})
			if len(stack) == 2 {
				components++
			}
		case name == "END":
			if len(stack) == 0 || stack[len(stack)-1] != line[4:] {
				t.Fatalf("unbalanced %q in %v", line, stack)
			}
			required := map[string][]string{"VCALENDAR": {"VERSION", "PRODID"}, "VEVENT": {"UID", "DTSTAMP", "DTSTART"},
				"VALARM": {"ACTION", "TRIGGER", "DESCRIPTION"}, "VTIMEZONE": {"TZID"},
				"STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"}}[line[4:]]
			for _, p := range required {
				if !props[len(props)-1][p] {
					t.Fatalf("%s without %s", line[4:], p)
				}
			}
			stack, props = stack[:len(stack)-1], props[:len(props)-1]
		case name == "TZID" && len(stack) > 0 && stack[len(stack)-1] == "VTIMEZONE":
			zones[line[5:]] = true
			props[len(props)-1][name] = true
		default:
			params, _, _ := strings.Cut(line, ":")
			if _, tz, ok := strings.Cut(params, ";TZID="); ok {
				tz, _, _ = strings.Cut(tz, ";")
				used = append(used, tz)
			}
			if len(props) > 0 {
				props[len(props)-1][name] = true
			}
		}
	}
	for _, tz := range used {
		if !zones[tz] { // RFC 5545 §3.2.19: a TZID parameter names a VTIMEZONE of the calendar
			t.Fatalf("TZID=%s without its VTIMEZONE", tz)
		}
	}
	if len(stack) != 0 || components == 0 || !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") {
		t.Fatalf("not a calendar with a component: %v %d", stack, components)
	}
}

// multipartBody builds a multipart body with one part "file" per file.
func multipartBody(t *testing.T, files map[string][]byte) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for name, data := range files {
		fw, _ := w.CreateFormFile("file", name)
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return b.Bytes(), w.FormDataContentType()
}

func docx(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := z.Create(n)
		_, _ = w.Write([]byte("<x/>"))
	}
	_ = z.Close()
	return b.Bytes()
}

func TestAttachments(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	n := "/api/v1/cases/" + c.Number + "/attachments"
	pdf := []byte("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")
	body, ct := multipartBody(t, map[string][]byte{"劳动合同.pdf": pdf, "contract.docx": docx(t)})
	var up struct{ Attachments []wire.Attachment }
	a.do(memberWang, "POST", n, body, "Content-Type", ct).want(http.StatusCreated).decode(&up)
	if len(up.Attachments) != 2 {
		t.Fatalf("uploaded %+v", up)
	}
	types := map[string]string{}
	for _, at := range up.Attachments {
		types[at.Name] = at.MediaType
	}
	if types["劳动合同.pdf"] != "application/pdf" || types["contract.docx"] != mediaDOCX {
		t.Fatalf("types %v", types)
	}
	// retrying the same upload changes nothing
	a.do(memberWang, "POST", n, body, "Content-Type", ct).want(http.StatusCreated)
	var list struct{ Attachments []wire.Attachment }
	a.do(secretaryBJ, "GET", n, nil).want(http.StatusOK).decode(&list)
	if len(list.Attachments) != 2 {
		t.Fatalf("list %+v", list)
	}
	var pdfID string
	for _, at := range list.Attachments {
		if at.MediaType == "application/pdf" {
			pdfID = at.ID
		}
	}
	r := a.do(memberWang, "GET", n+"/"+pdfID, nil).want(http.StatusOK)
	if !bytes.Equal(r.Body.Bytes(), pdf) || r.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("download %q %q", r.Header().Get("Content-Type"), r.Body.String())
	}
	a.do(memberOther, "GET", n+"/"+pdfID, nil).problem(http.StatusNotFound, "not_found")
	a.do(memberWang, "GET", n+"/nope", nil).problem(http.StatusNotFound, "not_found")
	exe, ct2 := multipartBody(t, map[string][]byte{"invoice.pdf": []byte("MZ\x90\x00 this is a program")})
	a.do(memberWang, "POST", n, exe, "Content-Type", ct2).problem(http.StatusUnsupportedMediaType, "unsupported_file_type")
	zipNotOffice, ct3 := multipartBody(t, map[string][]byte{"a.docx": func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.Create("evil.sh")
		_, _ = w.Write([]byte("rm -rf /"))
		_ = z.Close()
		return b.Bytes()
	}()})
	a.do(memberWang, "POST", n, zipNotOffice, "Content-Type", ct3).problem(http.StatusUnsupportedMediaType, "unsupported_file_type")
	huge, ct4 := multipartBody(t, map[string][]byte{"big.pdf": append([]byte("%PDF-1.7\n"), make([]byte, maxFileBytes)...)})
	a.do(memberWang, "POST", n, huge, "Content-Type", ct4).problem(http.StatusRequestEntityTooLarge, "file_too_large")
	a.do(memberWang, "POST", n, `{}`).problem(http.StatusUnsupportedMediaType, "unsupported_media_type")
}

func TestMetricsAndRateLimit(t *testing.T) {
	a := newTestAPI(t)
	a.do(memberWang, "GET", "/api/v1/cases", nil).want(http.StatusOK)
	r := a.do(principal{}, "GET", "/metrics", nil).want(http.StatusOK)
	if !strings.Contains(r.Body.String(), `weiquan_http_requests_total{method="GET",route="/api/v1/cases",status="200"} 1`) {
		t.Fatalf("metrics: %s", r.Body.String())
	}
	a.srv = New(Deps{Logger: a.srv.log, Store: a.st, Engine: a.engine, Calendar: a.cal, Verifier: a.srv.deps.Verifier, Now: a.clock, RatePerSecond: 0.01, Burst: 2})
	for range 2 {
		a.do(memberWang, "GET", "/api/v1/cases", nil).want(http.StatusOK)
	}
	r = a.do(memberWang, "GET", "/api/v1/cases", nil)
	r.problem(http.StatusTooManyRequests, "rate_limited")
	if r.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	a.do(memberOther, "GET", "/api/v1/cases", nil).want(http.StatusOK) // another subject has its own budget
}

// TestCounts: the dashboard's counts come from the store's grouped count, scoped like the
// lists; due_within counts working days from today.
func TestCounts(t *testing.T) {
	a := newTestAPI(t)
	for range 3 {
		a.submit() // received 2026-11-27, decision due 2026-12-18
	}
	var res wire.Counts
	a.do(secretaryBJ, "GET", "/api/v1/reports/counts", nil).want(http.StatusOK).decode(&res)
	if len(res.Rows) != 1 || res.Rows[0] != (wire.InstituteCounts{Institute: "BJ", Open: 3}) {
		t.Fatalf("within 5 working days: %+v", res)
	}
	a.do(national, "GET", "/api/v1/reports/counts?due_within=15", nil).want(http.StatusOK).decode(&res)
	if len(res.Rows) != 1 || res.Rows[0].DueSoon != 3 || res.DueBefore.Format(time.DateOnly) != "2026-12-19" {
		t.Fatalf("within 15 working days: %+v", res)
	}
	a.do(supervisorSH, "GET", "/api/v1/reports/counts?due_within=15", nil).want(http.StatusOK).decode(&res)
	if len(res.Rows) != 0 {
		t.Fatalf("SH's supervisor sees %+v", res.Rows)
	}
	a.do(national, "GET", "/api/v1/reports/counts?due_within=x", nil).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(memberWang, "GET", "/api/v1/reports/counts", nil).problem(http.StatusForbidden, "forbidden")
}
