package api

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v4"
)

// callerLang is "zh" when the caller asks for Chinese (lang=zh, or Accept-Language's first
// range is zh…), else "en".
func callerLang(c echo.Context) string {
	if l := c.QueryParam("lang"); l != "" {
		if strings.HasPrefix(strings.ToLower(l), "zh") {
			return "zh"
		}
		return "en"
	}
	first, _, _ := strings.Cut(c.Request().Header.Get("Accept-Language"), ",")
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "zh") {
		return "zh"
	}
	return "en"
}

// The reports' field messages, in both languages (fmt formats).
const (
	msgNotDate = iota
	msgAfterTo
	msgTooLong
	msgUnknownInstitute
	msgUnknownStage
	msgYear
)

var reportMessages = map[int][2]string{
	msgNotDate:          {"must be a date YYYY-MM-DD, got %q", "应为 YYYY-MM-DD 格式的日期，收到的是“%s”"},
	msgAfterTo:          {"%s is after to (%s)", "开始日期 %s 晚于结束日期 %s"},
	msgTooLong:          {"the period is longer than %d years", "统计期间超过 %d 年"},
	msgUnknownInstitute: {"unknown institute %q", "没有代码为“%s”的注协"},
	msgUnknownStage:     {"unknown stage %q; one of decision, committee, feedback", "没有“%s”这个阶段，应为 decision（受理决定）、committee（委员会意见）或 feedback（反馈）"},
	msgYear:             {"must be a year from 2000 to 2100", "应为 2000 至 2100 之间的年份"},
}

// phrase is message m in lang.
func phrase(lang string, m int) string {
	if lang == "zh" {
		return reportMessages[m][1]
	}
	return reportMessages[m][0]
}

// localized gives a 422 of invalid fields its summary in lang; the fields' details are
// already in it.
func localized(err error, lang string) error {
	var p *Problem
	if lang == "zh" && errors.As(err, &p) && p.Code == "invalid" {
		p.Detail = "请求中有无效的字段"
	}
	return err
}

// wantsCSV reports whether the caller asked for CSV.
func wantsCSV(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
}
