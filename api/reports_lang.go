package api

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// callerLang is "zh" when the caller asks for Chinese (prefersChinese), else "en".
func callerLang(c echo.Context) string {
	if prefersChinese(c.Request()) {
		return "zh"
	}
	return "en"
}

// The reports' field messages (their Chinese is in zhFieldFormats, like every other's).
const (
	msgNotDate          = "must be a date YYYY-MM-DD, got %q"
	msgAfterTo          = "%s is after to (%s)"
	msgTooLong          = "the period is longer than %d years"
	msgUnknownInstitute = "unknown institute %q"
	msgUnknownStage     = "unknown stage %q; one of decision, committee, feedback"
	msgYear             = "must be a year from 2000 to 2100"
)

// wantsCSV reports whether the caller asked for CSV.
func wantsCSV(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
}

// reportStagesZh names the report stages in Chinese as a list: "甲、乙或丙".
func reportStagesZh() string {
	names := make([]string, len(reportStages))
	for i, n := range reportStages {
		names[i] = n.Label("zh")
	}
	last := len(names) - 1
	return strings.Join(names[:last], "、") + "或" + names[last]
}
