package api

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/notify"
	"github.com/cicpa/weiquan/store"
)

// fieldMessages is the one catalogue of field messages: each English format (what an API
// client reads by default) with its Chinese form, which takes the same arguments (by index
// where the order differs, none where Chinese says it without them). Every field problem is
// made from a format here (TestEveryFieldMessageIsCatalogued reads the sources to hold it);
// the messages of the staff directory and of the policy come from store and article23 with
// their format, and are in the catalogue too.
var fieldMessages = map[string]string{
	"is required":                             "此项必填。",
	"is %d characters; at most %d":            "共 %d 个字，最多 %d 个字。",
	"has %d words; at most %d":                "共 %d 个词，最多 %d 个词。",
	"must be a date YYYY-MM-DD, got %q":       "须为“年-月-日”格式的日期（如 2026-12-03），收到的是“%s”。",
	"%s is after today (%s, Asia/Shanghai)":   "不能晚于今天（%[2]s，北京时间），收到的是%[1]s。",
	"%s is before the notice was issued (%s)": "不能早于该通知的出具日期（%[2]s），收到的是%[1]s。",
	"%s is more than a year ago":              "%s 距今已超过一年。",
	"must be a whole number %d–%d":            "须为 %d–%d 之间的整数。",
	"must be true or false":                   "须为“是”或“否”。",
	"must be a %s":                            "类型不对。",
	msgAfterTo:                                "开始日期%s晚于结束日期%s。",
	msgTooLong:                                "统计期间不能超过 %d 年。",
	msgUnknownInstitute:                       "没有代码为“%s”的注协。",
	msgUnknownStage:                           "没有“%s”这个阶段；应为" + reportStagesZh() + "。",
	msgYear:                                   "须为 2000–2100 之间的年份。",
	"unknown stage %q":                        "没有“%s”这个阶段。",
	"not a cursor this API returned":          "翻页标记无效，请从第一页重新开始。",
	"cannot be combined with mine":            "不能与“我经办的”同时选择。",
	"a parameter name %v":                     "查询参数名含有不允许的字符。",
	"must be 1–%d printable ASCII characters": "须为 1–%d 个可打印的英文字符。",
	"outside the working-day calendar: %v":    "超出工作日历覆盖的年份。",

	// the case's acts
	"must be accept or reject, got %q":                                  "须为受理或不予受理，收到的是“%s”。",
	"must list 1–50 members":                                            "须列出 1–50 名出席人员。",
	"must be letter, meeting, phone or email, got %q":                   "须为书面、面谈、电话或电子邮件，收到的是“%s”。",
	"give either until (a date) or workdays":                            "请给出延长至的日期或工作日数，二者选一。",
	"must be 1–90":                                                      "须为 1–90。",
	"is required (true or false)":                                       "此项必填（是或否）。",
	"no such person in the staff directory":                             "人员名录中没有此人。",
	"is not of institute %s":                                            "不是%s的人员。",
	"is not a secretary":                                                "不是秘书。",
	"was deactivated":                                                   "已被停用。",
	"send at least one file in the multipart field \"file\"":            "请至少选择一个文件。",
	"only a secretary registering paper materials gives a receipt date": "只有登记纸质材料的秘书才填写收件日期。",

	// a new case
	"no such institute":                                  "没有这个注协。",
	"must be an institute code such as BJ, got %q":       "须为注协代码，收到的是“%s”。",
	"must be 1–32 letters, digits or '-'":                "须为 1–32 位字母、数字或连字符。",
	"must be firm, practising or non_practising, got %q": "须为事务所、执业会员或非执业会员，收到的是“%s”。",
	"must be a year 2007–2099":                           "须为 2007–2099 之间的年份。",
	"the file is for %d, the path says %s":               "文件是 %d 年的，地址中却是 %s 年。",
	msgNoticeUnread:                                      "无法读取通知正文，或其安排与已有的年份不符：请核对后重新粘贴。",
	msgYearNotUTF8:                                       "年度文件不是 UTF-8 编码。",
	msgYearNotJSON:                                       "年度文件不是有效的 JSON。",
	msgYearTrailing:                                      "年度文件在 JSON 对象之后还有多余的内容。",
	msgYearOutside:                                       "年份 %s 不在 %s–%s 之间。",
	msgYearStatus:                                        "%s 年：状态“%s”无法识别。",
	msgYearEntry:                                         "%s 年：%s 缺少节日名称或放假、上班的标记。",
	msgYearWrongYear:                                     "%s 年：%s 不在该年及前后一个月内（年份写错了？）。",
	msgYearEmpty:                                         "%s 年：文件中没有列出任何日期。",
	msgYearTwice:                                         "%s 年：%s列出了两次。",
	msgYearMakeUp:                                        "%s 年：调休上班日 %s是%s，不是周末。",
	msgYearOffWork:                                       "%s 年：%s 在这里是放假日，在 %s 年的文件中却是上班日。",
	msgYearWorkOff:                                       "%s 年：%s 在这里是上班日，在 %s 年的文件中却是放假日。",
	"the year file cannot be used: %v":                   "年度文件无法使用：格式不对，或与已有的年份不符。",
	"the working-day calendar cannot count from this date: %v": "工作日历无法从这一天起算。",
	"is not usable: %v":    "不可用。",
	"is not answering: %v": "没有响应。",

	// text anywhere
	"is not valid UTF-8": "不是有效的 UTF-8 文本。",
	"holds the control character U+%04X at byte %d; text may hold printable characters, tabs and line breaks only": "含有控制字符（U+%04X，第 %d 字节）；只能含可打印字符、制表符和换行。",

	// settings
	"is required: the version these settings replace (%d now)":      "此项必填：所替换设置的版本号（当前为 %d）。",
	"is required (empty lists for none)":                            "此项必填（没有就填空列表）。",
	"at most 10 addresses":                                          "最多 10 个地址。",
	"must be an e-mail address such as office@bicpa.org.cn, got %q": "须为电子邮件地址，收到的是“%s”。",
	"at most 5 webhooks":                                            "最多 5 个推送地址。",
	"must be 16–200 characters (it signs each delivery); a webhook kept as it was may omit it": "须为 16–200 个字符（用于给每次推送签名）；保留原样的推送地址可不填。",
	"the address is not allowed: %v":                    "不接受该地址：须为 HTTPS 公网地址。",
	"must be positive":                                  "须为正数。",
	"must be 1–15 (Article 23), got %d":                 "须为 1–15（第二十三条），收到的是 %d。",
	"must be 1–30, got %d":                              "须为 1–30，收到的是 %d。",
	"must be between committee_workdays and 60, got %d": "须在委员会期限与 60 之间，收到的是 %d。",
	"must be between feedback_workdays and 90, got %d":  "须在反馈期限与 90 之间，收到的是 %d。",
	"must be %q or %q, got %q":                          "须为“%s”或“%s”，收到的是“%s”。",
	"at most 5 reminders, got %d":                       "最多 5 次提醒，收到的是 %d 次。",
	"must each be 1–10, got %d":                         "每项须为 1–10，收到的是 %d。",
	"must be 1–%d when supplements are allowed":         "允许补充材料时须为 1–%d。",
	"must be HH:MM, got %q":                             "须为“时：分”格式（如 09:00），收到的是“%s”。",
	"must be HH:MM after working_hours_start, got %q":   "须为“时：分”格式，且晚于上班时间，收到的是“%s”。",

	// the staff directory
	"must be secretary, supervisor or admin":                           "须为秘书、监督人员或管理员。",
	"must be secretary, supervisor or admin, got %q":                   "须为秘书、监督人员或管理员，收到的是“%s”。",
	"must be 1–200 characters without spaces, '/', '?', '#' or '%%'":   "须为 1–200 个字符，不含空格及 /、?、#、% 符号。",
	"must be 1–100 characters":                                         "须为 1–100 个字符。",
	"must be an e-mail address such as li@bjicpa.org.cn, got %q":       "须为电子邮件地址，收到的是“%s”。",
	"cannot be changed":                                                "不能修改。",
	"cannot be changed: add the person to the other institute instead": "不能修改：请在另一注协另行添加此人。",
	"you cannot deactivate yourself":                                   "不能停用自己。",

	// a workflow's refusal of a date (refusal)
	"%q is not a date (YYYY-MM-DD)":                        "“%s”不是日期（应为 2026-12-03 这样的格式）。",
	"%s is before %s, when the case's current stage began": "%s 早于本案当前阶段开始的日期（%s）。",
}

// msgNoticeUnread is the reader's own sentence about a pasted notice, as it wrote it (the
// console re-frames those sentences line by line in its catalogue, web/notice_errors.go).
const msgNoticeUnread = "%v"

// fieldProblem is one field problem made from a catalogued format.
func fieldProblem(field, format string, args ...any) FieldProblem {
	return FieldProblem{Field: field, Detail: fmt.Sprintf(format, args...), format: format, args: args}
}

// inChinese is e with its detail in Chinese; a format the catalogue lacks (there should be
// none) says only that the field is wrong, never English on a Chinese page.
func (e FieldProblem) inChinese() FieldProblem {
	zh, ok := fieldMessages[e.format]
	switch {
	case !ok:
		e.Detail = "此项填写有误。"
	case strings.Contains(zh, "%"):
		e.Detail = fmt.Sprintf(zh, zhArgs(e.args)...)
	default:
		e.Detail = zh
	}
	return e
}

// addErr adds the problem err says about field, with its format when err carries one.
func (f *fields) addErr(field string, err error) {
	var te *article23.TextError
	var pe *article23.PolicyError
	var se *store.StaffFieldError
	switch {
	case errors.As(err, &te):
		f.add(field, te.Format, te.Args...)
	case errors.As(err, &pe):
		f.add(field, pe.Format, pe.Args...)
	case errors.As(err, &se):
		f.add(field, se.Format, se.Args...)
	case errors.Is(err, notify.ErrTargetRefused):
		f.add(field, "the address is not allowed: %v", err)
	default:
		f.add(field, "is not usable: %v", err)
	}
}
