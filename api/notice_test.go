package api

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/cicpa/weiquan/wire"
)

// TestNoticePreviewThenLoad: an admin pastes the 2026 notice with one more day off
// (2026-12-01); the preview lists the days and the open case's moved deadline and changes
// nothing; loading it puts it in force like an upload.
func TestNoticePreviewThenLoad(t *testing.T) {
	a := newTestAPI(t)
	c := a.submit()
	raw, err := os.ReadFile("../calendar/testdata/notice-2026.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(raw), "节假日期间", "八、测试日：12月1日放假，共1天。\n节假日期间", 1)
	old := a.cal.Current().Version()
	var pre wire.Notice
	a.do(admin, "POST", "/api/v1/calendar/notices", map[string]any{"text": text, "year": 2026, "preview": true}).want(http.StatusOK).decode(&pre)
	if !pre.Preview || pre.Year != 2026 || len(pre.Days) != 40 || len(pre.ChangedDays) != 1 || pre.ChangedDays[0] != "2026-12-01" ||
		len(pre.Moved) != 1 || pre.Moved[0].Number != c.Number || pre.Moved[0].NewDue != "2026-12-21" || a.cal.Current().Version() != old {
		t.Fatalf("preview %+v", pre)
	}
	var res wire.Reload
	r := a.do(admin, "POST", "/api/v1/calendar/notices", map[string]any{"text": text}).want(http.StatusAccepted)
	r.decode(&res)
	if a.cal.Current().Version() != res.Version || res.Version != pre.Version || r.Header().Get("Location") != res.Reload || len(a.engine.Signals()) != 1 {
		t.Fatalf("load %+v, signals %v", res, a.engine.Signals())
	}
	p := a.do(admin, "POST", "/api/v1/calendar/notices", map[string]any{"text": text, "year": 2027, "preview": true}).problem(http.StatusUnprocessableEntity, "invalid")
	if p.Errors[0].Field != "text" || !strings.Contains(p.Errors[0].Detail, "line 1: the notice is for 2026, not 2027") {
		t.Fatalf("another year: %+v", p.Errors)
	}
	a.do(admin, "POST", "/api/v1/calendar/notices", map[string]any{"text": ""}).problem(http.StatusUnprocessableEntity, "invalid")
	a.do(secretaryBJ, "POST", "/api/v1/calendar/notices", map[string]any{"text": text, "preview": true}).problem(http.StatusForbidden, "forbidden")
}
