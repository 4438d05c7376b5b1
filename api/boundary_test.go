package api

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/wire"
)

// Nothing that is not plain text gets past the edge: U+0000 above all, which PostgreSQL
// cannot store in text (a case holding it could never be recorded, and the read model would
// stop following it). Each refusal names the field and changes nothing.
func TestBoundaryRefusesWhatTheStoreCannotStore(t *testing.T) {
	a := newTestAPI(t)
	bad := caseBody()
	bad["summary"] = "前雇主\u0000拖欠工资"
	bad["applicant"] = map[string]any{"member_no": "110000000001", "name": "王\u001b[31m会计师", "kind": "practising"}
	p := a.do(memberWang, "POST", "/api/v1/cases", bad).problem(http.StatusUnprocessableEntity, "invalid")
	if len(p.Errors) != 2 || p.Errors[0].Field != "applicant.name" || p.Errors[1].Field != "summary" || !strings.Contains(p.Errors[1].Detail, "U+0000") {
		t.Fatalf("errors %+v", p.Errors)
	}
	var list wire.CaseList
	a.do(memberWang, "GET", "/api/v1/cases", nil).want(http.StatusOK).decode(&list)
	if len(list.Cases) != 0 {
		t.Fatalf("a refused submission opened a case: %+v", list.Cases)
	}
	c := a.accepted()
	n := "/api/v1/cases/" + c.Number
	p = a.do(secretaryBJ, "POST", n+"/committee-meeting", map[string]any{"held_on": "2026-12-03",
		"members_present": []string{"张委员", "刘\u0000委员"}, "expert_opinion": "ok"}).problem(http.StatusUnprocessableEntity, "invalid")
	if p.Errors[0].Field != "members_present[1]" {
		t.Fatalf("errors %+v", p.Errors)
	}
	for _, tt := range []struct{ path, code, field string }{
		{"/api/v1/cases/%ff", "invalid_path", ""},
		{"/api/v1/cases/%00/deadlines.ics", "invalid_path", ""},
		{"/api/v1/cases?secretary=%00", "invalid", "secretary"},
		{"/api/v1/cases?institute=%ff", "invalid", "institute"},
		{"/api/v1/cases?cursor=%07", "invalid", "cursor"},
		{"/api/v1/cases?q=" + strings.Repeat("欠薪+", 21), "invalid", "q"},
		{"/api/v1/cases?q=" + strings.Repeat("x", 1001), "invalid", "q"},
	} {
		status := http.StatusUnprocessableEntity
		if tt.code == "invalid_path" {
			status = http.StatusBadRequest
		}
		p := a.do(secretaryBJ, "GET", tt.path, nil).problem(status, tt.code)
		if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field) {
			t.Errorf("%s: %+v", tt.path, p.Errors)
		}
	}
	a.do(secretaryBJ, "GET", "/api/v1/cases?q="+strings.Repeat("欠薪+", 20), nil).want(http.StatusOK)
	p = a.do(secretaryBJ, "POST", n+"/closure", nil, "Idempotency-Key", "键").problem(http.StatusUnprocessableEntity, "invalid")
	if p.Errors[0].Field != "Idempotency-Key" {
		t.Fatalf("errors %+v", p.Errors)
	}
	a.do(admin, "POST", "/api/v1/calendar/years/2026", []byte("{\"year\": 2026, \"days\": [{\"name\": \"\xff\", \"date\": \"2026-12-01\", \"isOffDay\": true}]}"),
		"Content-Type", "application/json").problem(http.StatusUnprocessableEntity, "invalid")
}

// A request's files are recorded all or none: a refused file refuses the ones before it.
func TestUploadIsAllOrNothing(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range []struct{ name, data string }{{"合同.pdf", "%PDF-1.7 contract"}, {"notes.txt", "plain text is not accepted"}} {
		fw, _ := w.CreateFormFile("file", f.name)
		_, _ = fw.Write([]byte(f.data))
	}
	_ = w.Close()
	a.do(memberWang, "POST", "/api/v1/cases/"+c.Number+"/attachments", b.Bytes(), "Content-Type", w.FormDataContentType()).
		problem(http.StatusUnsupportedMediaType, "unsupported_file_type")
	var list struct {
		Attachments []wire.Attachment `json:"attachments"`
	}
	a.do(memberWang, "GET", "/api/v1/cases/"+c.Number+"/attachments", nil).want(http.StatusOK).decode(&list)
	if len(list.Attachments) != 0 {
		t.Fatalf("the file before the refused one was kept: %+v", list.Attachments)
	}
}

// A multipart body cut off inside a file is a 400, not a 500.
func TestTruncatedUploadIsABadRequest(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	body, ct := multipartBody(t, map[string][]byte{"合同.pdf": []byte("%PDF-1.7 " + strings.Repeat("x", 4096))})
	a.do(memberWang, "POST", "/api/v1/cases/"+c.Number+"/attachments", body[:len(body)/2], "Content-Type", ct).
		problem(http.StatusBadRequest, "malformed_multipart")
}
