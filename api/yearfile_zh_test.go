package api

import (
	"net/http"
	"testing"
)

// A year file the calendar refuses is said in Chinese to a zh-CN caller, naming what is
// wrong, and exactly as the calendar wrote it in English.
func TestYearFileRefusedInChinese(t *testing.T) {
	for _, s := range yearFileShapes {
		if _, ok := fieldMessages[s.format]; !ok {
			t.Errorf("%q is not in fieldMessages", s.format)
		}
	}
	a := newTestAPI(t)
	for _, tc := range []struct{ body, zh, en string }{
		{`{"year": 2027, "days": []}`, "2027 年：文件中没有列出任何日期。", "calendar: bad year file: 2027: no days listed"},
		{`{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`,
			"2027 年：2027年1月1日列出了两次。", "calendar: bad year file: 2027: 2027-01-01 listed twice"},
		{`{"year": 2027, "days": [{"name": "测试", "date": "2027-03-10", "isOffDay": false}]}`,
			"2027 年：调休上班日 2027年3月10日是星期三，不是周末。", "calendar: bad year file: 2027: make-up day 2027-03-10 is a Wednesday, not a weekend day"},
	} {
		zh := a.do(admin, "POST", "/api/v1/calendar/years/2027", []byte(tc.body), "Content-Type", "application/json",
			"Accept-Language", "zh-CN").problem(http.StatusUnprocessableEntity, "invalid")
		en := a.do(admin, "POST", "/api/v1/calendar/years/2027", []byte(tc.body), "Content-Type", "application/json").
			problem(http.StatusUnprocessableEntity, "invalid")
		if len(zh.Errors) != 1 || zh.Errors[0].Detail != tc.zh || len(en.Errors) != 1 || en.Errors[0].Detail != tc.en {
			t.Errorf("%s:\nzh %+v\nen %+v", tc.body, zh.Errors, en.Errors)
		}
	}
}
