package api

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/cicpa/weiquan/wire"
)

// complianceColumns are the CSV's headers: English, and Chinese for filing (Art. 27).
var complianceColumns = [2][]string{
	{"institute", "institute_name", "stage", "on_time", "late", "open", "on_time_rate", "median_workdays", "p90_workdays", "extensions", "late_entries"},
	{"注协代码", "注协", "阶段", "按时办结", "逾期办结", "未办结", "按时办结率", "用时中位数（工作日）", "用时第90百分位（工作日）", "延期次数", "事后补录"},
}

// writeComplianceCSV writes the report as CSV with CRLF line ends; in Chinese with a UTF-8
// byte order mark, without which Excel reads the file in the system's legacy code page.
func writeComplianceCSV(c echo.Context, lang string, rep wire.Compliance) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="compliance-`+rep.From+`-`+rep.To+`.csv"`)
	zh, header := lang == "zh", complianceColumns[0]
	if zh {
		h.Set("Content-Language", "zh-CN")
		header = complianceColumns[1]
	}
	c.Response().WriteHeader(http.StatusOK)
	if zh {
		_, _ = c.Response().Write([]byte("\ufeff"))
	}
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true
	_ = w.Write(header)
	for _, r := range rep.Rows {
		name, stage := r.InstituteNameEn, string(r.Clock)
		if zh {
			name, stage = r.InstituteName, r.Clock.Label("zh")
		}
		_ = w.Write([]string{r.Institute, name, stage, itoa(r.OnTime), itoa(r.Late), itoa(r.Open),
			percent(r.OnTimeRate), number(r.MedianWorkdaysUsed), number(r.P90WorkdaysUsed), itoa(r.Extensions), itoa(r.LateEntries)})
	}
	w.Flush()
	return w.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// percent is a rate as "87.5%" (Excel reads it as a number), "" when there is none.
func percent(r *float64) string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

func number(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
