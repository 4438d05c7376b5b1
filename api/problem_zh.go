package api

import (
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"

	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/wire"
)

// Problems in the caller's language: a request whose Accept-Language prefers Chinese (the
// console's zh pages send zh-CN) gets title, detail and field details in Chinese. The code
// stays the same, so clients branch on it whatever the language.

// prefersChinese reports whether the request asks for Chinese: lang=zh… in its query (a CSV
// link a spreadsheet opens), or an Accept-Language whose first choice is Chinese.
func prefersChinese(r *http.Request) bool {
	if l := r.URL.Query().Get("lang"); l != "" {
		return strings.HasPrefix(strings.ToLower(l), "zh")
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return false
	}
	base, _ := tags[0].Base()
	return base.String() == "zh"
}

// inChinese is p's document in Chinese where the catalogues know how; anything else stays
// as written.
func inChinese(p Problem) wire.Problem {
	doc := p.Problem
	if t, ok := zhTitles[doc.Status]; ok {
		doc.Title = t
	}
	if d, ok := zhDetails[doc.Code]; ok {
		doc.Detail = d
	} else {
		doc.Detail = doc.Title + "。" // a code without its sentence (a test holds there is none)
	}
	doc.Errors = wireFields(p.fields, FieldProblem.inChinese)
	return doc
}

// zhTitles are the HTTP statuses' names in Chinese.
var zhTitles = map[int]string{
	http.StatusBadRequest:            "请求有误",
	http.StatusUnauthorized:          "未登录",
	http.StatusForbidden:             "无权操作",
	http.StatusNotFound:              "未找到",
	http.StatusMethodNotAllowed:      "不支持的操作",
	http.StatusConflict:              "与案件现状冲突",
	http.StatusRequestEntityTooLarge: "内容过大",
	http.StatusUnsupportedMediaType:  "不支持的格式",
	http.StatusUnprocessableEntity:   "填写有误",
	http.StatusTooManyRequests:       "请求过于频繁",
	http.StatusInternalServerError:   "服务器内部错误",
	http.StatusServiceUnavailable:    "服务暂不可用",
}

// zhDetails say each code's problem in Chinese; the English detail may name more (a date, a
// stage) that the Chinese pages show elsewhere.
var zhDetails = map[string]string{
	"invalid":                  "请求中有填写不正确的项目。",
	"not_found":                "未找到该资源。",
	"forbidden":                "您无权进行此项操作。",
	"unauthenticated":          "请先登录。",
	"unavailable":              "有依赖的服务暂时没有响应，请稍后用同一请求重试。",
	"internal":                 "发生内部错误；请求编号可用于在日志中查找。",
	"idempotency_conflict":     "该幂等键已用于另一份不同的请求。",
	"letters_unavailable":      "本服务器未配置书面通知。",
	"already_served":           "该书面通知已记录过送达日期。",
	"case_withdrawn":           "会员已撤回本案，不能再上传材料。",
	"case_finished":            "本案已办结，不能再上传材料。",
	"case_attachments_full":    "每个案件的附件合计不能超过 100 MiB。",
	"file_too_large":           "单个文件不能超过 20 MiB。",
	"unsupported_file_type":    "只接受 PDF、JPEG、PNG 和 Office 文档。",
	"malformed_multipart":      "上传内容不完整，请重新上传。",
	"wrong_stage":              "本案当前阶段不能办理此项操作。",
	"already_decided":          "本案已作出受理或不予受理的决定。",
	"withdrawn":                "会员已撤回本案。",
	"committee_required":       "须先记录委员会会议及专家意见，才能反馈会员。",
	"extension_pending":        "已有一项延期申请待审批，同一时间只能有一项。",
	"extension_not_pending":    "该延期申请已审批。",
	"clock_breached":           "反馈期限已届满，延期不能消除超期。",
	"supplement_not_allowed":   "本注协的规定不允许要求补充材料。",
	"supplement_requested":     "已要求过一次补充材料，只能要求一次。",
	"supplement_window_closed": "已超过可以要求补充材料的期间。",
	"already_acknowledged":     "该超期提醒已确认。",
	"already_assigned":         "本案已有经办人。",
	"reasons_required":         "不予受理必须写明理由，理由将书面告知会员。",
	"beyond_cap":               "延长后的期限超过了最长 90 个工作日的上限。",
	"extension_too_short":      "新的反馈期限须晚于现在的期限。",
	"invalid_date":             "日期格式不正确（应为 2026-12-03 这样的写法）。",
	"date_in_future":           "日期不能晚于今天。",
	"date_before_stage":        "日期不能早于本案当前阶段开始的日期。",
	"invalid_argument":         "有必填项缺失或格式不正确。",
	"account_deactivated":      "您的账号已被停用，请联系本注协的管理员。",
	"already_exists":           "人员名录中已有这个账号。",
	"invalid_path":             "网址中含有不允许的字符。",
	"malformed_json":           "请求内容不是有效的 JSON。",
	"not_ready":                "有依赖的服务没有响应，暂不能处理请求。",
	"rate_limited":             "请求过于频繁，请稍后再试。",
	"stale_version":            "设置已被他人修改，请刷新后重新填写。",
	"too_large":                "内容超过了大小上限。",
	"unknown_field":            "请求中有无法识别的项目。",
	"unsupported_media_type":   "不支持这种内容格式。",
	"method_not_allowed":       "该地址不支持这种操作。",
	"bad_request":              "请求有误。",
}

// zhArgs writes the dates among args the Chinese way.
func zhArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) == 10 && s[4] == '-' && s[7] == '-' {
			a = zhDate(s)
		} else if d, ok := zhWeekdays[fmt.Sprint(a)]; ok {
			a = d
		}
		out[i] = a
	}
	return out
}

// zhDate is "2026年12月25日" for a YYYY-MM-DD date, anything else as given.
func zhDate(s string) string {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return s
	}
	return d.Chinese()
}
