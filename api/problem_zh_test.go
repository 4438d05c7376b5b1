package api

import (
	"net/http"
	"testing"
)

// A served date before the date the letter bears is refused in the caller's language, and
// nothing changes; the same request in English keeps the English problem.
func TestServedBeforeIssueRefusedInChinese(t *testing.T) {
	a := newTestAPI(t)
	c := a.accepted()
	d := a.letter(c.Number, "extension", 9, shanghai("2026-12-03", 9, 30))
	path := "/api/v1/cases/" + c.Number + "/documents/" + d.ID + "/served"
	p := a.do(secretaryBJ, "POST", path, map[string]string{"served_on": "2026-12-01"}, "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5").
		problem(http.StatusUnprocessableEntity, "invalid")
	if p.Title != "填写有误" || p.Detail != "请求中有填写不正确的项目。" || len(p.Errors) != 1 ||
		p.Errors[0].Detail != "不能早于该通知的出具日期（2026年12月3日），收到的是2026年12月1日。" {
		t.Fatalf("problem %+v", p)
	}
	en := a.do(secretaryBJ, "POST", path, map[string]string{"served_on": "2026-12-01"}, "Accept-Language", "en").
		problem(http.StatusUnprocessableEntity, "invalid")
	if en.Errors[0].Detail != "2026-12-01 is before the notice was issued (2026-12-03)" {
		t.Fatalf("english problem %+v", en)
	}
	var l documentList
	a.do(secretaryBJ, "GET", "/api/v1/cases/"+c.Number+"/documents", nil).want(http.StatusOK).decode(&l)
	if l.Documents[0].ServedOn != "" || l.Documents[0].IssuedOn != "2026-12-03" {
		t.Fatalf("a refused date changed the notice: %+v", l.Documents[0])
	}
}
