package enginetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cicpa/weiquan/article23"
	"github.com/cicpa/weiquan/workflows"
)

// act validates and applies one update, then completes its events with their notices, as
// the workflow's handle and noteActs do.
func (r *run) act(name string, arg any) error {
	if bad := article23.CheckTextFields(arg); len(bad) > 0 {
		return refuse(workflows.CodeInvalidArgument, "%s %v", bad[0].Field, bad[0].Err)
	}
	before := len(r.events)
	var err error
	switch u := arg.(type) {
	case workflows.Decide:
		err = then(r.validateDecide(u), func() error { return r.decide(u) })
	case workflows.RequestSupplement:
		err = then(r.validateRequestSupplement(u), func() error { return r.requestSupplement(u) })
	case workflows.ReceiveSupplement:
		err = then(r.validateReceiveSupplement(u), func() error { return r.receiveSupplement(u) })
	case workflows.RecordCommittee:
		err = then(r.validateCommittee(u), func() error { return r.recordCommittee(u) })
	case workflows.RecordFeedback:
		err = then(r.validateFeedback(u), func() error { return r.recordFeedback(u) })
	case workflows.RequestExtension:
		err = then(r.validateRequestExtension(u), func() error { return r.requestExtension(u) })
	case workflows.DecideExtension:
		err = then(r.validateDecideExtension(u), func() error { return r.decideExtension(u) })
	case workflows.Withdraw:
		err = then(r.validateWithdraw(u), func() error { return r.withdraw(u) })
	case workflows.Reassign:
		err = then(r.validateReassign(u), func() error { return r.reassign(u) })
	case workflows.Claim:
		err = then(r.validateClaim(u), func() error { return r.claim(u) })
	case workflows.Close:
		err = then(r.validateClose(u), func() error {
			r.finish(article23.StageClosed)
			r.emit(article23.EventClosed, u.Actor, article23.EventData{})
			return nil
		})
	case workflows.RecordAttachments:
		err = then(r.validateRecordAttachments(u), func() error {
			r.emit(article23.EventAttachmentsAdded, u.Actor, article23.EventData{Attachments: u.Files})
			return nil
		})
	case workflows.AcknowledgeEscalation:
		err = then(r.validateAcknowledge(u), func() error { return r.acknowledge(u) })
	default:
		return fmt.Errorf("enginetest: no update %s (%T)", name, arg)
	}
	if err != nil {
		return err
	}
	r.noteActs(before)
	return nil
}

// then runs apply unless the validation failed.
func then(err error, apply func() error) error {
	if err != nil {
		return err
	}
	return apply()
}

// noteActs gives a letter's event the notice as of now and tells the member of the committee.
func (r *run) noteActs(from int) {
	for i := from; i < len(r.events); i++ {
		ev := &r.events[i]
		var d article23.EventData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			panic(fmt.Sprintf("event %d data: %v", ev.Seq, err))
		}
		var notes []article23.Notification
		if ev.Type == article23.EventCommitteeHeld {
			notes = append(notes, r.note(ev.Seq, article23.AudienceMember, ev.Type))
		}
		if n, ok := article23.NoticeFor(ev.Type, r.c, d.Date, d.ExtensionID); ok {
			d.Notice = &n
			ev.Data = mustJSON(d)
		}
		for j := range r.outbox {
			if rec := &r.outbox[j]; rec.Event.Seq == ev.Seq {
				rec.Event = *ev
				rec.Notifications = append(rec.Notifications, notes...)
			}
		}
		r.addTold(ev.Seq, notes)
	}
}

// addTold adds notes to whom event seq told, in seq order.
func (r *run) addTold(seq int64, notes []article23.Notification) {
	if len(notes) == 0 {
		return
	}
	i, found := slices.BinarySearchFunc(r.told, seq, func(t workflows.Told, seq int64) int { return cmp.Compare(t.Seq, seq) })
	if found {
		r.told[i].Notifications = append(slices.Clone(r.told[i].Notifications), notes...)
		return
	}
	r.told = slices.Insert(r.told, i, workflows.Told{Seq: seq, Notifications: slices.Clone(notes)})
}

func mustJSON(d article23.EventData) json.RawMessage {
	raw, err := json.Marshal(d)
	if err != nil {
		panic(fmt.Sprintf("marshal event data: %v", err))
	}
	return raw
}
