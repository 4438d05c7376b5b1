package notify

import (
	"fmt"
	"strings"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/calendar"
	"github.com/cicpa/weiquan/notify/letter"
	"github.com/cicpa/weiquan/store"
)

// say is the subject and text of a message to audience a about event p.Event with data d;
// c is the case as the store holds it (for facts recorded once and never changed: the
// committee's meeting, the supplement request).
func say(a article23.Audience, p store.OutboxPayload, d article23.EventData, c article23.Case) (subject, text string) {
	n := p.Case.Number
	switch p.Event.Type {
	case article23.EventReceived:
		text = fmt.Sprintf("案件 %s（申请人 %s）已于 %s 收到；是否受理的决定，期限%s。", n, p.Case.Applicant.Name, zh(d.Date), until(d.Due))
		if a == article23.AudienceSecretary && p.Case.Secretary == "" {
			text += "本案尚无承办人，请在收件箱「待认领」中认领。"
		}
		return "维权服务申请已收到", text
	case article23.EventAccepted:
		return "维权服务申请已受理", fmt.Sprintf("案件 %s 已于 %s 受理。%s受理通知书见附件或案件页。", n, zh(d.Date), deadlines(d.Notice))
	case article23.EventNotAccepted:
		return "维权服务申请不予受理", fmt.Sprintf("案件 %s 于 %s 决定不予受理。\n理由：%s\n不予受理通知书见附件或案件页。", n, zh(d.Date), d.Reason)
	case article23.EventSupplementRequested:
		return "请补充材料", fmt.Sprintf("案件 %s 需要您补充材料：\n%s\n请将材料上传到案件页或送交本会；本会收到后重新计算%s。", n, d.Note, article23.ClockDecision.DeadlineLabel())
	case article23.EventCommitteeHeld:
		return "委员会会议已召开", committeeText(n, d.Date, c.Committee)
	case article23.EventFeedbackGiven:
		return "反馈意见", feedbackText(n, d)
	case article23.EventWithdrawn:
		return "申请已撤回", fmt.Sprintf("会员已撤回案件 %s 的申请。%s", n, labelled("理由", d.Reason))
	}
	return sayDeadline(p.Event.Type, n, d, p.Case.Institute)
}

// sayDeadline is the subject and text of the events about deadlines and extensions.
func sayDeadline(t article23.EventType, n string, d article23.EventData, institute string) (string, string) {
	clock, deadline := d.Clock.Label("zh"), d.Clock.DeadlineLabel()
	switch t {
	case article23.EventReminder:
		return "期限提醒", fmt.Sprintf("案件 %s 的%s%s，还剩 %d 个工作日。", n, deadline, until(d.Due), d.Step)
	case article23.EventClockBreached:
		return "期限已逾期", fmt.Sprintf("案件 %s 的%s（截至 %s（含当日）24:00）已届满而未办结。", n, deadline, zh(d.Due))
	case article23.EventEscalated:
		return fmt.Sprintf("逾期升级（第 %d 级）", d.Level), fmt.Sprintf("案件 %s（%s）的%s已逾期，已升级至第 %d 级督办，请确认。", n, institute, deadline, d.Level)
	case article23.EventExtensionRequested:
		return "延期申请待审批", fmt.Sprintf("案件 %s 申请延长%s%s。\n理由：%s", n, article23.ClockFeedback.DeadlineLabel(), extendedTo(d), d.Reason)
	case article23.EventExtensionApproved:
		return article23.ClockFeedback.DeadlineLabel() + "已延长", extensionText(n, d)
	case article23.EventExtensionRefused:
		return "延期申请未获批准", fmt.Sprintf("案件 %s 的延期申请未获批准。%s", n, labelled("说明", d.Note))
	case article23.EventClockMoved:
		return "期限已调整", fmt.Sprintf("案件 %s 的%s由 %s 调整为 %s（含当日）。", n, deadline, zh(d.OldDue), zh(d.NewDue))
	case article23.EventBreachWithdrawn:
		return "超期已撤销", fmt.Sprintf("案件 %s 的%s已于 %s 办理，未超过期限（%s（含当日）），此前的超期及其督办已撤销。", n, clock, zh(d.Date), zh(d.Due))
	}
	return eventLabel(t), fmt.Sprintf("案件 %s：%s。", n, eventLabel(t))
}

// deadlines lists the periods an acceptance notice states.
func deadlines(nt *article23.Notice) string {
	if nt == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range nt.Deadlines {
		fmt.Fprintf(&b, "%s：截至 %s（含当日）24:00，%d 个工作日。", k.Clock.ActLabel(), zh(k.Due), k.Workdays)
	}
	return b.String()
}

func committeeText(n, on string, m *article23.Committee) string {
	text := fmt.Sprintf("案件 %s 的法律援助与权益保护委员会会议已于 %s 召开。", n, zh(on))
	if m != nil {
		text += "\n出席：" + strings.Join(m.MembersPresent, "、") + "\n专家意见：" + m.ExpertOpinion
	}
	return text
}

func feedbackText(n string, d article23.EventData) string {
	text := fmt.Sprintf("案件 %s 的反馈意见已于 %s 作出。", n, zh(d.Date))
	if nt := d.Notice; nt != nil {
		text += fmt.Sprintf("\n反馈方式：%s\n反馈意见：%s", letter.MannerLabel(nt.FeedbackManner), nt.FeedbackSummary)
	}
	return text + "\n反馈意见书见附件或案件页。"
}

func extensionText(n string, d article23.EventData) string {
	text := fmt.Sprintf("案件 %s 的%s由 %s 延长至 %s（含当日）24:00。", n, article23.ClockFeedback.DeadlineLabel(), zh(d.OldDue), zh(d.NewDue))
	if nt := d.Notice; nt != nil {
		text += labelled("\n理由", nt.ExtensionReason) + labelled("\n计算方法", nt.NewDueNote)
	}
	return text
}

// extendedTo says the date or the length an extension request asks for.
func extendedTo(d article23.EventData) string {
	switch {
	case d.NewDue != "":
		return "至 " + zh(d.NewDue)
	case d.Workdays > 0:
		return fmt.Sprintf("至 %d 个工作日", d.Workdays)
	}
	return ""
}

// until writes a due date the way people read a deadline that includes its day:
// "截至 2026年12月18日（含当日）24:00".
func until(due string) string {
	d, err := calendar.ParseDate(due)
	if err != nil {
		return ""
	}
	return d.ChineseDue()
}

// labelled is "label：text", or "" without text.
func labelled(label, text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	return label + "：" + text
}

// zh writes a YYYY-MM-DD date as 2026年12月18日.
func zh(date string) string { return letter.ZhDate(date) }
