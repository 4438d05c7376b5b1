package notify

import (
	"encoding/json"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/notify/letter"
	"github.com/cicpa/weiquan/store"
)

// compose writes the message of outbox message m about the case in view: a subject and a
// Chinese text naming the case, what happened, what is asked and why, and the date that
// matters (texts.go). The in-app item and the e-mail carry the same text.
func compose(m store.OutboxMessage, p store.OutboxPayload, view store.CaseView) Message {
	data := eventData(view, p.Event.Seq)
	subject, text := say(m.Audience, p, data, view.Case)
	return Message{
		Key: m.Key, CaseNumber: p.Case.Number, Institute: p.Case.Institute, Kind: m.Kind, Event: p.Event.Type, Seq: p.Event.Seq,
		At: p.Event.At, Urgent: m.Urgent, Subject: "【维权】" + p.Case.Number + " " + subject, Text: text,
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
