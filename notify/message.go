package notify

import (
	"encoding/json"
	"fmt"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/notify/letter"
	"github.com/cicpa/weiquan/store"
)

// compose writes the message of outbox message m about the case in view: a subject and a
// short Chinese text naming the case, what happened and the date that matters.
func compose(m store.OutboxMessage, p store.OutboxPayload, view store.CaseView) Message {
	data := eventData(view, p.Event.Seq)
	n := p.Case.Number
	clock := clockName(data.Clock)
	var subject, text string
	switch p.Event.Type {
	case article23.EventReceived:
		subject = "维权服务申请已收到"
		text = fmt.Sprintf("案件 %s（申请人 %s）已于 %s 收到，应于 %s 前作出是否受理的决定。", n, p.Case.Applicant.Name, data.Date, data.Due)
		if m.Audience == article23.AudienceSecretary && p.Case.Secretary == "" {
			text += "本案尚无承办人，请在收件箱「待认领」中认领。"
		}
	case article23.EventAccepted:
		subject = "维权服务申请已受理"
		text = fmt.Sprintf("案件 %s 已于 %s 受理，受理通知书见附件或案件文书。", n, data.Date)
	case article23.EventNotAccepted:
		subject = "维权服务申请不予受理"
		text = fmt.Sprintf("案件 %s 于 %s 决定不予受理。理由：%s", n, data.Date, data.Reason)
	case article23.EventReminder:
		subject = "期限提醒"
		text = fmt.Sprintf("案件 %s 的%s期限为 %s，还剩 %d 个工作日。", n, clock, data.Due, data.Step)
	case article23.EventClockBreached:
		subject = "期限已逾期"
		text = fmt.Sprintf("案件 %s 的%s期限 %s 已届满而未办结。", n, clock, data.Due)
	case article23.EventEscalated:
		subject = fmt.Sprintf("逾期升级（第 %d 级）", data.Level)
		text = fmt.Sprintf("案件 %s（%s）的%s期限已逾期，已升级至第 %d 级督办，请确认。", n, p.Case.Institute, clock, data.Level)
	case article23.EventExtensionRequested:
		subject = "延期申请待审批"
		text = fmt.Sprintf("案件 %s 申请将反馈期限延长至 %s，理由：%s", n, data.NewDue, data.Reason)
	case article23.EventExtensionApproved:
		subject = "反馈期限已延长"
		text = fmt.Sprintf("案件 %s 的反馈期限由 %s 延长至 %s。", n, data.OldDue, data.NewDue)
	case article23.EventExtensionRefused:
		subject = "延期申请未获批准"
		text = fmt.Sprintf("案件 %s 的延期申请未获批准。%s", n, data.Note)
	case article23.EventClockMoved:
		subject = "期限已调整"
		text = fmt.Sprintf("案件 %s 的%s期限由 %s 调整为 %s。", n, clock, data.OldDue, data.NewDue)
	case article23.EventBreachWithdrawn:
		subject = "超期已撤销"
		text = fmt.Sprintf("案件 %s 的%s已于 %s 办理，未超过期限 %s，此前的超期及其督办已撤销。", n, clock, data.Date, data.Due)
	case article23.EventFeedbackGiven:
		subject = "反馈意见"
		text = fmt.Sprintf("案件 %s 的反馈意见已于 %s 作出，反馈意见书见附件或案件文书。", n, data.Date)
	default:
		subject = eventLabel(p.Event.Type)
		text = fmt.Sprintf("案件 %s：%s。", n, eventLabel(p.Event.Type))
	}
	return Message{
		Key: m.Key, CaseNumber: n, Institute: p.Case.Institute, Kind: m.Kind, Event: p.Event.Type, Seq: p.Event.Seq,
		At: p.Event.At, Urgent: m.Urgent, Subject: "【维权】" + n + " " + subject, Text: text,
	}
}

// eventData decodes the data of the case's event seq; a missing event gives empty data.
func eventData(view store.CaseView, seq int64) article23.EventData {
	var d article23.EventData
	for _, e := range view.Events {
		if e.Seq == seq {
			_ = json.Unmarshal(e.Data, &d) // written by the store from the same struct
		}
	}
	return d
}

func clockName(n article23.ClockName) string {
	switch n {
	case article23.ClockDecision:
		return "受理决定"
	case article23.ClockCommittee:
		return "委员会会议"
	case article23.ClockFeedback:
		return "反馈"
	case article23.ClockCap:
		return "最长办理"
	}
	return string(n)
}

func eventLabel(t article23.EventType) string {
	switch t {
	case article23.EventSupplementRequested:
		return "请补充材料"
	case article23.EventSupplementReceived:
		return "补充材料已收到"
	case article23.EventWithdrawn:
		return "申请已撤回"
	case article23.EventReassigned:
		return "案件已分配给您"
	case article23.EventCommitteeHeld:
		return "委员会会议已召开"
	case article23.EventClosed:
		return "案件已结案"
	}
	return string(t)
}

// letterFor reports the letter kind an audience-member message about event t carries.
func letterFor(a article23.Audience, t article23.EventType) (letter.Kind, bool) {
	if a != article23.AudienceMember {
		return "", false
	}
	return letter.KindFor(t)
}
